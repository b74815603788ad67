//! The pipeline, one way: load (discover → parse → model, with the theme) → render →
//! index → typeset → write. Each step is a function with plain data in and out; `casebook
//! build` runs them into a staging folder swapped in at the end ([`build`]), and `casebook
//! serve` runs the same steps in memory (`preview`), so both report every diagnostic of
//! every step.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::config::Edition;
use crate::diag::{self, Diagnostic};
use crate::model::Site;
use crate::render::{self, Renderer, offline::Digest, pdf, search};
use crate::{discover, i18n, model, output, parse, source, theme};

/// What `casebook build` was asked to do, validated by the command line.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    pub out: PathBuf,
    pub edition: Edition,
    pub drafts: bool,
    /// Replace an output folder that holds files casebook did not write.
    pub force: bool,
    pub minify: bool,
    /// Typeset the PDF bundles (off with `--no-pdf`).
    pub pdf: bool,
}

/// A finished build.
#[derive(Debug)]
pub struct BuildReport {
    pub out: PathBuf,
    pub pages: usize,
    pub files: usize,
    pub bytes: u64,
    pub elapsed: Duration,
    /// Warnings (a successful build has no errors).
    pub diagnostics: Vec<Diagnostic>,
}

/// The one error type of the library.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Problems in the content: all of them, errors and warnings.
    #[error("{}", summary(.0))]
    Content(Vec<Diagnostic>),
    /// A site folder that cannot be read, or an output folder casebook may not write to.
    #[error("{}", .0.message)]
    Usage(Diagnostic),
}

fn summary(diagnostics: &[Diagnostic]) -> String {
    let (errors, warnings) = diag::counts(diagnostics);
    let mut s = diag::plural(errors, "error");
    if warnings > 0 {
        s.push_str(&format!(", {}", diag::plural(warnings, "warning")));
    }
    s
}

impl Error {
    pub fn diagnostics(&self) -> &[Diagnostic] {
        match self {
            Error::Content(d) => d,
            Error::Usage(d) => std::slice::from_ref(d),
        }
    }
}

/// The curriculum read from a site folder, ready to render; shared by build, check and serve.
pub struct Loaded {
    pub site: model::Site,
    pub theme: theme::Theme,
    pub strings: std::collections::BTreeMap<String, i18n::Strings>,
    /// The theme's templates, compiled; `None` when one of them has an error (reported).
    pub templates: Option<render::Templates>,
}

/// discover → parse → model, plus the theme, its string tables and its templates. Every
/// problem found goes to `diagnostics`; `None` when nothing can be rendered.
pub fn load(root: &Path, drafts: bool, diagnostics: &mut Vec<Diagnostic>) -> Option<Loaded> {
    load_cached(root, drafts, diagnostics, None).map(|(loaded, _)| loaded)
}

/// [`load`], parsing again only the files that changed since `cache` last saw them (as
/// `serve` does on every edit), and saying what changed. Without a cache everything counts
/// as changed. The content and the theme are read side by side.
pub fn load_cached(
    root: &Path,
    drafts: bool,
    diagnostics: &mut Vec<Diagnostic>,
    cache: Option<&parse::ParseCache>,
) -> Option<(Loaded, parse::Changes)> {
    let config = crate::config::load(root, diagnostics)?;
    let content = || {
        let mut diagnostics = Vec::new();
        let sources = discover::discover(root, &config, &mut diagnostics);
        let (pages, parse_diagnostics, changes) = match cache {
            Some(cache) => parse::parse_all_cached(root, &sources.pages, cache),
            None => {
                let (pages, diagnostics) = parse::parse_all(root, &sources.pages);
                let changes = parse::Changes {
                    structure: true,
                    ..Default::default()
                };
                (pages, diagnostics, changes)
            }
        };
        diagnostics.extend(parse_diagnostics);
        let referrals = match &sources.referrals {
            Some(path) => match source::read_text(&root.join(path), path) {
                Ok(text) => parse::referrals::parse(&text, path, &mut diagnostics),
                Err(d) => {
                    diagnostics.push(d);
                    Vec::new()
                }
            },
            None => Vec::new(),
        };
        (sources, pages, changes, referrals, diagnostics)
    };
    let theme = || {
        let mut diagnostics = Vec::new();
        let theme = theme::load(root, &config, &mut diagnostics);
        let languages: Vec<String> = config.languages.iter().map(|l| l.code.clone()).collect();
        let strings = i18n::load(&theme, &languages, &mut diagnostics);
        let templates = render::Templates::compile(&theme, &mut diagnostics);
        (theme, strings, templates, diagnostics)
    };
    let (
        (sources, pages, changes, referrals, content_diagnostics),
        (theme, strings, templates, theme_diagnostics),
    ) = rayon::join(content, theme);
    diagnostics.extend(content_diagnostics);
    diagnostics.extend(theme_diagnostics);
    // Without its curriculum a site has nothing to say beyond why.
    if !sources.has_curriculum {
        return None;
    }
    let parsed: HashSet<&Path> = pages.iter().map(|p| p.source.path.as_path()).collect();
    let unparsed: Vec<&discover::SourcePage> = sources
        .pages
        .iter()
        .filter(|p| !parsed.contains(p.path.as_path()))
        .collect();
    let broken = unparsed.iter().map(|p| model::key_of(&p.path)).collect();
    // Their links are checked all the same, so one build reports every error.
    let unplaced = unparsed
        .into_iter()
        .filter_map(|p| parse::body_only(root, p).map(|doc| (p.clone(), doc)))
        .collect();
    let input = model::Input {
        config,
        pages,
        referrals,
        assets: sources.assets,
        drafts,
        broken,
        unplaced,
    };
    let site = model::build(root, input, diagnostics)?;
    Some((
        Loaded {
            site,
            theme,
            strings,
            templates,
        },
        changes,
    ))
}

/// The PDFs a build of `edition` makes of `site` (that edition's, [`Site::edition`]); none
/// when they are not wanted.
pub fn plan_pdfs(site: &Site, loaded: &Loaded, edition: Edition, wanted: bool) -> Vec<pdf::Plan> {
    if wanted {
        pdf::plan(site, &loaded.strings, edition)
    } else {
        Vec::new()
    }
}

/// The search index over `pages`; a failure is a diagnostic, as every step's is.
pub fn index(pages: search::Pages) -> (search::Index, Vec<Diagnostic>) {
    let pace = pages.pace();
    match search::index_pages(pages, pace) {
        Ok(index) => (index, Vec::new()),
        Err(d) => (search::Index::default(), vec![d]),
    }
}

/// Typesets the PDFs of `plans` (planned from `site`), those whose inputs did not change
/// since `cache` last saw them taken from it.
pub fn typeset(
    root: &Path,
    site: &Site,
    loaded: &Loaded,
    plans: Vec<pdf::Plan>,
    cache: Option<&pdf::PdfCache>,
) -> (Vec<pdf::Made>, Vec<Diagnostic>) {
    let preamble = pdf::preamble(&loaded.theme);
    pdf::make(root, site, plans, &loaded.strings, &preamble, cache)
}

/// `casebook build`: the whole pipeline. On any error nothing is written and the previous
/// output stays as it was.
pub fn build(opts: &BuildOptions) -> Result<BuildReport, Error> {
    let started = Instant::now();
    let lap = Laps::new(started);
    let out = output::check_out_dir(&opts.root, &opts.out, opts.force).map_err(Error::Usage)?;
    let mut diagnostics = Vec::new();
    let loaded = load(&opts.root, opts.drafts, &mut diagnostics);
    lap.at("loaded");
    let Some(mut loaded) = loaded else {
        return Err(failed(diagnostics));
    };
    let Some(templates) = loaded.templates.take() else {
        return Err(failed(diagnostics));
    };
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(failed(diagnostics));
    }
    // What this edition publishes: the mentee edition leaves out pages for trainers.
    let site = loaded.site.edition(opts.edition);
    let plans = plan_pdfs(&site, &loaded, opts.edition, opts.pdf);
    let files: Vec<String> = plans.iter().map(|p| p.file.clone()).collect();
    // Said only once the PDFs are made: a failed build makes none.
    let placeholder = pdf::placeholder_warning(&site, &files);
    let pdf_files: HashSet<String> = files.into_iter().collect();
    let renderer = Renderer::new(
        &site,
        templates,
        &loaded.strings,
        opts.edition,
        &loaded.theme,
        pdf_files,
    );
    // The pages are rendered and written while the PDFs are typeset.
    let (pages, (pdfs, pdf_diagnostics)) = rayon::join(
        || render_and_write(&renderer, &loaded.theme, &out, opts.minify, &lap),
        || typeset(&opts.root, &site, &loaded, plans, None),
    );
    diagnostics.extend(pdf_diagnostics);
    let mut pages = match pages {
        Ok(pages) => pages,
        Err(problems) => {
            diagnostics.extend(problems);
            return Err(failed(diagnostics));
        }
    };
    diagnostics.append(&mut pages.diagnostics);
    let (mut index, index_diagnostics) = index(std::mem::take(&mut pages.search));
    lap.at("indexed");
    diagnostics.extend(index_diagnostics);
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(failed(diagnostics));
    }
    // What is left: the pages that show sizes known only now, the PDFs, the search index
    // and the offline lists.
    let sizes: HashMap<String, usize> = pdfs
        .iter()
        .map(|m| (m.plan.file.clone(), m.bytes.len()))
        .collect();
    let rendered = &mut pages.rendered;
    render::fill_pdf_sizes(rendered, &sizes);
    rendered
        .files
        .extend(pdfs.into_iter().map(|made| render::OutFile {
            path: made.plan.file,
            bytes: made.bytes,
            html: false,
        }));
    rendered.files.append(&mut index.files);
    if let Err(d) = renderer.finish_offline(rendered, &opts.root, &index, &pages.written) {
        diagnostics.push(d);
        return Err(failed(diagnostics));
    }
    lap.at("offline");
    let mut staging = pages.staging;
    let written = staging
        .write(&rendered.files)
        .and_then(|()| staging.copy(&opts.root, &rendered.copies))
        .and_then(|()| staging.finish());
    let written = match written {
        Ok(w) => w,
        Err(d) => {
            diagnostics.push(d);
            return Err(failed(diagnostics));
        }
    };
    lap.at("finished");
    diagnostics.extend(placeholder);
    diag::sort(&mut diagnostics);
    Ok(BuildReport {
        out,
        pages: rendered.pages,
        files: written.files,
        bytes: written.bytes,
        elapsed: started.elapsed(),
        diagnostics,
    })
}

/// The pages of a build, rendered and (those already final) written into the staging
/// folder.
struct Written {
    staging: output::Staging,
    /// What is not written yet: pages that show sizes known only at the end, the site's
    /// other files, and the content files to copy.
    rendered: render::Output,
    /// Each written file's digest, for the offline lists.
    written: HashMap<String, Digest>,
    /// What the search index needs of every page.
    search: search::Pages,
    /// Warnings from rendering.
    diagnostics: Vec<Diagnostic>,
}

/// A rendered file once minified: written (with what the offline lists need of it, and
/// its size), or kept, as it shows sizes known only once everything is made.
enum Settled {
    Written(String, Digest, u64),
    Kept(render::OutFile),
}

/// Renders every page into a staging folder beside `out`. Each page, on the thread that
/// rendered it and as soon as it is rendered, gives what the search index needs of it, is
/// minified and, if it is final already, written and let go: pages do not wait in memory
/// for the index, which is made after, nor for each other.
fn render_and_write(
    renderer: &Renderer<'_>,
    theme: &theme::Theme,
    out: &Path,
    minify: bool,
    lap: &Laps,
) -> Result<Written, Vec<Diagnostic>> {
    let mut staging = output::Staging::begin(out).map_err(|d| vec![d])?;
    let paths = renderer.page_paths();
    staging
        .make_folders(paths.iter().map(String::as_str))
        .map_err(|d| vec![d])?;
    let settle = |mut file: render::OutFile| -> Result<_, Diagnostic> {
        let page = search::Pages::page(&file, renderer.across());
        if minify {
            output::minify(&mut file);
        }
        if render::has_marks(&file) {
            return Ok((page, Settled::Kept(file)));
        }
        let bytes = staging.put(&file)?;
        let digest = Digest::of(&file);
        Ok((page, Settled::Written(file.path, digest, bytes)))
    };
    let (mut rendered, mut settled, diagnostics) = renderer.render_then(theme, settle);
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(diagnostics);
    }
    // The site's other files: the 404 page, the sitemap, the theme's files.
    staging
        .make_folders(rendered.files.iter().map(|f| f.path.as_str()))
        .map_err(|d| vec![d])?;
    let others: Vec<_> = std::mem::take(&mut rendered.files)
        .into_par_iter()
        .map(settle)
        .collect();
    settled.extend(others);
    let mut pages = Vec::new();
    let mut written = HashMap::new();
    for one in settled {
        let (page, file) = one.map_err(|d| vec![d])?;
        pages.extend(page);
        match file {
            Settled::Written(path, digest, bytes) => {
                staging.tally(bytes);
                written.insert(path, digest);
            }
            Settled::Kept(file) => rendered.files.push(file),
        }
    }
    lap.at("minified and written");
    Ok(Written {
        staging,
        rendered,
        written,
        search: search::Pages::gather(pages),
        diagnostics,
    })
}

/// With `CASEBOOK_TIMINGS` set, each step's time on stderr, with the memory in use and the
/// most used so far (where the system tells).
struct Laps {
    started: Instant,
    on: bool,
}

impl Laps {
    fn new(started: Instant) -> Laps {
        Laps {
            started,
            on: std::env::var_os("CASEBOOK_TIMINGS").is_some(),
        }
    }

    fn at(&self, what: &str) {
        if !self.on {
            return;
        }
        let memory = std::fs::read_to_string("/proc/self/status")
            .map(|status| {
                status
                    .lines()
                    .filter(|l| l.starts_with("VmRSS:") || l.starts_with("VmHWM:"))
                    .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .unwrap_or_default();
        eprintln!(
            "{:>8.1} ms  {what:<22} {memory}",
            self.started.elapsed().as_secs_f64() * 1e3
        );
    }
}

fn failed(mut diagnostics: Vec<Diagnostic>) -> Error {
    if !diagnostics.iter().any(Diagnostic::is_error) {
        diagnostics.push(
            Diagnostic::error("the build stopped without saying why")
                .hint("this is a bug in casebook: please report it"),
        );
    }
    diag::sort(&mut diagnostics);
    Error::Content(diagnostics)
}
