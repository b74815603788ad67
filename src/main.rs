//! The `casebook` command: parses arguments, calls the library, prints diagnostics, and
//! exits 0 (success), 1 (problems in the content) or 2 (wrong usage: bad arguments, a site
//! folder that cannot be read, an output folder casebook may not write to).

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use casebook::diag::{self, Diagnostic};
use casebook::scaffold::{self, NewError};
use casebook::{BuildOptions, Edition};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "casebook",
    version,
    about = "Build a training curriculum into a site for phones, in every language it is written in"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder
    Build {
        /// The site folder (the one holding casebook.yaml)
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site [default: public, or public-trainer for the trainer edition]
        #[arg(long)]
        out: Option<PathBuf>,
        /// Who the site is for: mentees never see model answers marked for trainers, nor facilitator notes
        #[arg(long, value_enum, default_value_t = EditionArg::Mentee)]
        edition: EditionArg,
        /// Include pages marked `draft: true`
        #[arg(long)]
        drafts: bool,
        /// Replace the output folder even if it holds files casebook did not write
        #[arg(long)]
        force: bool,
        /// Skip the PDF bundles (faster, for previews)
        #[arg(long)]
        no_pdf: bool,
    },
    /// Build the site in memory, serve it on this computer and rebuild it on every save
    Serve {
        /// The site folder (the one holding casebook.yaml)
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The port to listen on (0: any free port)
        #[arg(long, default_value_t = 8000)]
        port: u16,
        /// The address to listen on. Only this computer can see 127.0.0.1; another
        /// address shows your draft to the network
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Who the site is for
        #[arg(long, value_enum, default_value_t = EditionArg::Mentee)]
        edition: EditionArg,
        /// Leave out pages marked `draft: true`, as `build` does (the preview shows them,
        /// marked "Draft")
        #[arg(long)]
        no_drafts: bool,
        /// Show drafts (the preview's default; kept for older scripts)
        #[arg(long, hide = true)]
        drafts: bool,
        /// Skip the PDF bundles
        #[arg(long)]
        no_pdf: bool,
        /// Open the site in the browser
        #[arg(long)]
        open: bool,
        /// Check the files for changes every 300 ms, for folders where changes are not seen
        /// (network drives, some virtual machines)
        #[arg(long)]
        poll: bool,
    },
    /// Report what to fix: links, front matter, freshness, translations, personal data, accessibility
    Check {
        /// The site folder (the one holding casebook.yaml)
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// `text` for people, `json` for CI pipelines (format in the guide, docs/curriculum/06-check/)
        #[arg(long, value_enum, default_value_t = FormatArg::Text)]
        format: FormatArg,
        /// Fail (exit 1) on warnings too
        #[arg(long)]
        strict: bool,
        /// Judge freshness as on this date (YYYY-MM-DD) instead of today
        #[arg(long)]
        today: Option<String>,
        /// Also ask every external link whether it still works (needs the network)
        #[arg(long)]
        external: bool,
        /// How long to wait for each external link, in seconds
        #[arg(long, default_value_t = 10)]
        external_timeout: u64,
    },
    /// Translation helpers
    Translate {
        #[command(subcommand)]
        what: TranslateCommand,
    },
    /// Start a new site in a folder: a workshop, a lesson, a fact pattern and the toolkit,
    /// each saying what it is for
    Init {
        /// The folder to make the site in (made if missing; it must not hold a site)
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Copy the bundled example curriculum instead: a year-long programme in three
        /// languages
        #[arg(long)]
        example: bool,
    },
    /// Make a new site from material written for another tool
    Import {
        #[command(subcommand)]
        from: ImportCommand,
    },
    /// Create a starter file with every front matter field
    New {
        #[arg(value_enum)]
        what: WhatArg,
        /// The file's name: `09-housing` (workshop), `01-case-screening/04-follow-up` (lesson), `unpaid-wages` (fact pattern)
        name: String,
        /// The site folder
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

#[derive(Subcommand)]
enum ImportCommand {
    /// An mdBook: the folder with `book.toml`
    Mdbook {
        /// The book's folder (with `book.toml`)
        src: PathBuf,
        /// A new or empty folder for the site
        dest: PathBuf,
    },
    /// A Carpentries lesson: the folder with `config.yaml` and `episodes/`
    Carpentries {
        /// The lesson's folder (with `config.yaml`)
        src: PathBuf,
        /// A new or empty folder for the site
        dest: PathBuf,
    },
}

#[derive(Subcommand)]
enum TranslateCommand {
    /// Record in a translation (`name.LANG.md`) that it matches its original as it is now
    Stamp {
        /// The translation file
        file: PathBuf,
        /// The site folder
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
    Text,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum EditionArg {
    Mentee,
    Trainer,
}

impl From<EditionArg> for Edition {
    fn from(e: EditionArg) -> Self {
        match e {
            EditionArg::Mentee => Edition::Mentee,
            EditionArg::Trainer => Edition::Trainer,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum WhatArg {
    Workshop,
    Lesson,
    FactPattern,
}

fn color() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stderr().is_terminal()
}

fn print_diagnostics(root: &Path, diagnostics: &[Diagnostic]) {
    let color = color();
    for d in diagnostics {
        eprintln!("{}", d.render(root, color));
    }
}

/// How `casebook` ends: the exit code scripts and CI read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ExitStatus {
    /// 0: done.
    Success,
    /// 1: problems in the content (all of them reported), or the command failed.
    Failure,
    /// 2: wrong usage: a bad argument, a folder that cannot be read, an output refused.
    Usage,
}

impl From<ExitStatus> for ExitCode {
    fn from(status: ExitStatus) -> ExitCode {
        match status {
            ExitStatus::Success => ExitCode::SUCCESS,
            ExitStatus::Failure => ExitCode::from(1),
            ExitStatus::Usage => ExitCode::from(2),
        }
    }
}

fn main() -> ExitCode {
    // Where the system would back mimalloc's heaps with 2 MiB pages, a build (many
    // middle-sized buffers, made and freed on every core) keeps them whole and the kernel
    // spends its time zeroing them: without them the build takes less memory and less time
    // (benches/build_scale.rs, README "Performance").
    #[cfg(target_os = "linux")]
    let _ = rustix::thread::disable_transparent_huge_pages(true);
    if let Some(status) = unknown_command() {
        return status.into();
    }
    let status = match Cli::parse().command {
        Command::Build {
            root,
            out,
            edition,
            drafts,
            force,
            no_pdf,
        } => build(root, out, edition.into(), drafts, force, !no_pdf),
        Command::Serve {
            root,
            port,
            bind,
            edition,
            no_drafts,
            drafts: _,
            no_pdf,
            open,
            poll,
        } => serve(casebook::serve::ServeOptions {
            root,
            bind,
            port,
            edition: edition.into(),
            drafts: !no_drafts,
            pdf: !no_pdf,
            open,
            poll,
        }),
        Command::Check {
            root,
            format,
            strict,
            today,
            external,
            external_timeout,
        } => check(
            &root,
            format,
            strict,
            today.as_deref(),
            external.then_some(external_timeout),
        ),
        Command::Translate {
            what: TranslateCommand::Stamp { file, root },
        } => translate_stamp(&root, &file),
        Command::New { what, name, root } => new(&root, what, &name),
        Command::Init { dir, example } => init(&dir, example),
        Command::Import {
            from: ImportCommand::Mdbook { src, dest },
        } => import(&src, &dest, casebook::import::mdbook::import),
        Command::Import {
            from: ImportCommand::Carpentries { src, dest },
        } => import(&src, &dest, casebook::import::carpentries::import),
    };
    status.into()
}

/// `casebook build`.
fn build(
    root: PathBuf,
    out: Option<PathBuf>,
    edition: Edition,
    drafts: bool,
    force: bool,
    pdf: bool,
) -> ExitStatus {
    let out = out.unwrap_or_else(|| {
        PathBuf::from(if edition == Edition::Trainer {
            "public-trainer"
        } else {
            "public"
        })
    });
    let opts = BuildOptions {
        root: root.clone(),
        out: out.clone(),
        edition,
        drafts,
        force,
        minify: true,
        pdf,
    };
    match casebook::build(&opts) {
        Ok(report) => {
            print_diagnostics(&root, &report.diagnostics);
            let (_, warnings) = diag::counts(&report.diagnostics);
            let warned = if warnings > 0 {
                format!(" with {}", diag::plural(warnings, "warning"))
            } else {
                String::new()
            };
            eprintln!(
                "built the {} edition: {} ({} KB) into `{}` in {:.2}s{warned}",
                edition.name(),
                diag::plural(report.pages, "page"),
                report.bytes / 1024,
                out.display(),
                report.elapsed.as_secs_f64(),
            );
            ExitStatus::Success
        }
        Err(casebook::Error::Usage(d)) => {
            print_diagnostics(&root, &[d]);
            ExitStatus::Usage
        }
        Err(err) => {
            print_diagnostics(&root, err.diagnostics());
            eprintln!("error: the build failed with {err}; nothing was written");
            ExitStatus::Failure
        }
    }
}

/// `casebook serve`: runs until stopped.
fn serve(opts: casebook::serve::ServeOptions) -> ExitStatus {
    match casebook::serve::serve(opts) {
        Ok(()) => ExitStatus::Success,
        Err(message) => {
            eprintln!("error: {message}");
            ExitStatus::Failure
        }
    }
}

/// `casebook check`, asking external links with `external` seconds to answer each.
fn check(
    root: &Path,
    format: FormatArg,
    strict: bool,
    today: Option<&str>,
    external: Option<u64>,
) -> ExitStatus {
    let today = match today {
        None => casebook::values::Date::today(),
        Some(text) => match casebook::values::Date::parse(text) {
            Some(date) => date,
            None => {
                eprintln!(
                    "error: `--today {text}` is not a date\n  = help: write it as YYYY-MM-DD, e.g. --today 2026-12-31"
                );
                return ExitStatus::Usage;
            }
        },
    };
    let mut report = casebook::check::check(root, today);
    if let Some(seconds) = external {
        casebook::check::check_external(&mut report, std::time::Duration::from_secs(seconds));
    }
    match format {
        FormatArg::Text => {
            let color = std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
            print!("{}", casebook::check::text(&report, root, color));
        }
        FormatArg::Json => println!("{}", casebook::check::json(&report)),
    }
    if report.errors() > 0 || (strict && report.warnings() > 0) {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    }
}

/// `casebook translate stamp FILE`.
fn translate_stamp(root: &Path, file: &Path) -> ExitStatus {
    match casebook::translate::stamp(root, file) {
        Ok(hash) => {
            println!("stamped `{}` with source_hash {hash}", file.display());
            ExitStatus::Success
        }
        Err(message) => {
            eprintln!("error: {message}");
            ExitStatus::Failure
        }
    }
}

/// A command that writes files, refused: its diagnostic, and exit 2 (usage) or 1.
fn refused(root: &Path, e: NewError) -> ExitStatus {
    match e {
        NewError::Usage(d) => {
            print_diagnostics(root, &[d]);
            ExitStatus::Usage
        }
        NewError::Failed(d) => {
            print_diagnostics(root, &[d]);
            ExitStatus::Failure
        }
    }
}

/// `casebook import mdbook|carpentries SRC DEST`.
fn import(
    src: &Path,
    dest: &Path,
    read: fn(&Path) -> Result<casebook::import::Site, String>,
) -> ExitStatus {
    let site = match read(src) {
        Ok(site) => site,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitStatus::Failure;
        }
    };
    match casebook::import::write(dest, site) {
        Ok(s) => {
            eprintln!(
                "imported `{}` into `{}`: {} workshops, {} lessons, {} pictures and files copied",
                src.display(),
                dest.display(),
                s.workshops,
                s.lessons,
                s.copied
            );
            eprintln!(
                "{} changes are listed in `{}`, with the file and line of each",
                s.changes,
                dest.join(casebook::import::REPORT).display()
            );
            eprintln!(
                "next: `casebook check --root {}`, then `casebook serve --root {}`",
                dest.display(),
                dest.display()
            );
            ExitStatus::Success
        }
        Err(e) => refused(dest, e),
    }
}

/// `casebook init [DIR] [--example]`.
fn init(dir: &Path, example: bool) -> ExitStatus {
    match casebook::init::init(dir, example, casebook::values::Date::today()) {
        Ok(files) => {
            let what = if example {
                "the example curriculum"
            } else {
                "a new site"
            };
            eprintln!(
                "created {what} in `{}`: {} files, `casebook.yaml` among them",
                dir.display(),
                files.len()
            );
            let go = if dir == Path::new(".") {
                String::new()
            } else {
                format!("cd {} && ", dir.display())
            };
            eprintln!("next: `{go}casebook serve` previews it at http://127.0.0.1:8000/");
            ExitStatus::Success
        }
        Err(e) => refused(dir, e),
    }
}

/// `casebook new workshop|lesson|fact-pattern NAME`.
fn new(root: &Path, what: WhatArg, name: &str) -> ExitStatus {
    let what = match what {
        WhatArg::Workshop => scaffold::What::Workshop,
        WhatArg::Lesson => scaffold::What::Lesson,
        WhatArg::FactPattern => scaffold::What::FactPattern,
    };
    match scaffold::create(root, what, name, casebook::values::Date::today()) {
        Ok(path) => {
            println!("{}", diag::display_path(&path));
            eprintln!(
                "created `{}`: it is a draft until you remove `draft: true`",
                diag::display_path(&path)
            );
            ExitStatus::Success
        }
        Err(e) => refused(root, e),
    }
}

/// A first word that is no command of casebook's: what the trainer probably meant, and
/// where the list is. `None` when the word is a command (or an option), for clap to read.
fn unknown_command() -> Option<ExitStatus> {
    const COMMANDS: [&str; 8] = [
        "build",
        "serve",
        "check",
        "translate",
        "new",
        "init",
        "import",
        "help",
    ];
    // Words from other tools, and the command that does that job here.
    const MEANT: [(&str, &str); 8] = [
        ("publish", "build"),
        ("deploy", "build"),
        ("make", "build"),
        ("preview", "serve"),
        ("watch", "serve"),
        ("start", "serve"),
        ("lint", "check"),
        ("validate", "check"),
    ];
    let word = std::env::args().nth(1)?;
    if word.starts_with('-') || COMMANDS.contains(&word.as_str()) {
        return None;
    }
    let meant = MEANT
        .iter()
        .find(|(other, _)| *other == word)
        .map(|(_, ours)| *ours)
        .or_else(|| diag::did_you_mean(&word, COMMANDS.iter().copied()));
    eprintln!("error: `{word}` is not a casebook command");
    match (word.as_str(), meant) {
        ("create", _) | ("new-site", _) => eprintln!(
            "  = help: `casebook init FOLDER` starts a new site there; inside a site, `casebook new workshop NAME` adds a workshop"
        ),
        (_, Some(m)) => {
            eprintln!("  = help: did you mean `casebook {m}`? `casebook help` lists every command")
        }
        (_, None) => eprintln!("  = help: `casebook help` lists every command"),
    }
    Some(ExitStatus::Usage)
}
