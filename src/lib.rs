//! casebook compiles a training curriculum written in Markdown (workshops, fact-pattern
//! exercises, a case handling toolkit) into a static site for phones, in every language it
//! is written in, with a trainer edition beside the mentee one.
//!
//! The pipeline, one way: discover → parse → model → render → write.

pub mod config;
pub mod diag;
pub mod discover;
pub mod i18n;
pub mod parse;
pub mod schema;
pub mod source;
pub mod text;
pub mod theme;
pub mod values;
pub mod yaml;

/// The modules beyond reading content: the `site` feature, on by default and off only for
/// the fuzz targets (fuzz/), which need the parsers alone.
macro_rules! site_modules {
    ($($name:ident),*) => {
        $(
            #[cfg(feature = "site")]
            pub mod $name;
        )*
    };
}
site_modules!(
    check, external, model, output, preview, render, scaffold, serve, typeset, watch
);

#[cfg(feature = "site")]
use rayon::prelude::*;
#[cfg(feature = "site")]
use std::path::{Path, PathBuf};
#[cfg(feature = "site")]
use std::time::{Duration, Instant};

pub use config::Edition;
pub use diag::{Diagnostic, Severity};

/// What `casebook build` was asked to do, validated by the command line.
#[cfg(feature = "site")]
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
#[cfg(feature = "site")]
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
#[cfg(feature = "site")]
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Problems in the content: all of them, errors and warnings.
    #[error("{}", summary(.0))]
    Content(Vec<Diagnostic>),
    /// A site folder that cannot be read, or an output folder casebook may not write to.
    #[error("{}", .0.message)]
    Usage(Diagnostic),
}

#[cfg(feature = "site")]
fn summary(diagnostics: &[Diagnostic]) -> String {
    let (errors, warnings) = diag::counts(diagnostics);
    let mut s = diag::plural(errors, "error");
    if warnings > 0 {
        s.push_str(&format!(", {}", diag::plural(warnings, "warning")));
    }
    s
}

#[cfg(feature = "site")]
impl Error {
    pub fn diagnostics(&self) -> &[Diagnostic] {
        match self {
            Error::Content(d) => d,
            Error::Usage(d) => std::slice::from_ref(d),
        }
    }
}

/// The curriculum read from a site folder, ready to render; shared by build, check and serve.
#[cfg(feature = "site")]
pub struct Loaded {
    pub site: model::Site,
    pub theme: theme::Theme,
    pub strings: std::collections::BTreeMap<String, i18n::Strings>,
    /// The theme's templates, compiled; `None` when one of them has an error (reported).
    pub templates: Option<tera::Tera>,
}

/// discover → parse → model, plus the theme, its string tables and its templates. Every
/// problem found goes to `diagnostics`; `None` when nothing can be rendered.
#[cfg(feature = "site")]
pub fn load(root: &Path, drafts: bool, diagnostics: &mut Vec<Diagnostic>) -> Option<Loaded> {
    load_cached(root, drafts, diagnostics, None).map(|(loaded, _)| loaded)
}

/// [`load`], parsing again only the files that changed since `cache` last saw them (as
/// `serve` does on every edit), and saying what changed. Without a cache everything counts
/// as changed. The content and the theme are read side by side.
#[cfg(feature = "site")]
pub fn load_cached(
    root: &Path,
    drafts: bool,
    diagnostics: &mut Vec<Diagnostic>,
    cache: Option<&parse::ParseCache>,
) -> Option<(Loaded, parse::Changes)> {
    let config = config::load(root, diagnostics)?;
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
        let templates = render::templates(&theme, &mut diagnostics);
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
    let parsed: std::collections::HashSet<&Path> =
        pages.iter().map(|p| p.source.path.as_path()).collect();
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

/// A rendered file once minified: written (with what the offline lists need of it, and
/// its size), or kept, as it shows sizes known only once everything is made.
#[cfg(feature = "site")]
enum Settled {
    Written(String, render::offline::Digest, u64),
    Kept(render::OutFile),
}

/// `casebook build`: the whole pipeline. On any error nothing is written and the previous
/// output stays as it was.
#[cfg(feature = "site")]
pub fn build(opts: &BuildOptions) -> Result<BuildReport, Error> {
    let started = Instant::now();
    let timings = std::env::var_os("CASEBOOK_TIMINGS").is_some();
    let lap = |what: &str| {
        if timings {
            // With the memory in use and the most used so far, where the system tells.
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
                started.elapsed().as_secs_f64() * 1e3
            );
        }
    };
    let mut diagnostics = Vec::new();
    let out = match output::check_out_dir(&opts.root, &opts.out, opts.force) {
        Ok(out) => out,
        Err(d) => return Err(Error::Usage(d)),
    };
    let loaded = load(&opts.root, opts.drafts, &mut diagnostics);
    lap("loaded");
    let Some(mut loaded) = loaded else {
        return Err(failed(diagnostics));
    };
    let Some(tera) = loaded.templates.take() else {
        return Err(failed(diagnostics));
    };
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(failed(diagnostics));
    }
    let site = &loaded.site;
    let plans = if opts.pdf {
        render::pdf::plan(site, &loaded.strings, opts.edition)
    } else {
        Vec::new()
    };
    let pdf_files: std::collections::HashSet<String> =
        plans.iter().map(|p| p.file.clone()).collect();
    let preamble = render::pdf::preamble(&loaded.theme);
    let renderer = render::Renderer::new(
        site,
        tera,
        &loaded.strings,
        opts.edition,
        &loaded.theme,
        pdf_files,
    );
    // HTML and PDFs are made side by side. Each page, on the thread that rendered it and as
    // soon as it is rendered, gives what the search index needs of it, is minified and, if
    // it is final already, written and let go (what the offline lists and the version need
    // of it is kept in a digest): pages do not wait in memory for the index, which is made
    // after, nor for each other.
    let html = || -> Result<_, Vec<Diagnostic>> {
        let mut staging = output::Staging::begin(&out).map_err(|d| vec![d])?;
        let paths = renderer.page_paths();
        staging
            .make_folders(paths.iter().map(String::as_str))
            .map_err(|d| vec![d])?;
        let settle = |mut file: render::OutFile| -> Result<_, Diagnostic> {
            let page = render::search::Pages::page(&file);
            if opts.minify {
                output::minify(&mut file);
            }
            if render::has_marks(&file) {
                return Ok((page, Settled::Kept(file)));
            }
            let bytes = staging.put(&file)?;
            let digest = render::offline::Digest::of(&file);
            Ok((page, Settled::Written(file.path, digest, bytes)))
        };
        let (mut rendered, mut settled, diagnostics) = renderer.render_then(&loaded.theme, settle);
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
        let mut written = std::collections::HashMap::new();
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
        lap("minified and written");
        let pages = render::search::Pages::gather(pages);
        let pace = pages.pace();
        let index = render::search::index_pages(pages, pace);
        lap("indexed");
        Ok((rendered, diagnostics, index, staging, written))
    };
    let (made, (pdfs, pdf_diagnostics)) = rayon::join(html, || {
        render::pdf::make(&opts.root, site, plans, &loaded.strings, &preamble, None)
    });
    diagnostics.extend(pdf_diagnostics);
    let (mut rendered, index, mut staging, written) = match made {
        Ok((rendered, render_diagnostics, index, staging, written)) => {
            diagnostics.extend(render_diagnostics);
            (rendered, index, staging, written)
        }
        Err(render_diagnostics) => {
            diagnostics.extend(render_diagnostics);
            return Err(failed(diagnostics));
        }
    };
    let mut index = match index {
        Ok(index) => index,
        Err(d) => {
            diagnostics.push(d);
            Default::default()
        }
    };
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(failed(diagnostics));
    }
    // What is left: the pages that show sizes known only now, the PDFs, the search index
    // and the offline lists.
    let sizes: std::collections::HashMap<String, usize> = pdfs
        .iter()
        .map(|m| (m.plan.file.clone(), m.bytes.len()))
        .collect();
    render::fill_pdf_sizes(&mut rendered, &sizes);
    for made in pdfs {
        rendered.files.push(render::OutFile {
            path: made.plan.file,
            bytes: made.bytes,
            html: false,
        });
    }
    rendered.files.append(&mut index.files);
    if let Err(d) = renderer.finish_offline(&mut rendered, &opts.root, &index, &written) {
        diagnostics.push(d);
        return Err(failed(diagnostics));
    }
    lap("offline");
    let pages = rendered.pages;
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
    lap("finished");
    diag::sort(&mut diagnostics);
    Ok(BuildReport {
        out,
        pages,
        files: written.files,
        bytes: written.bytes,
        elapsed: started.elapsed(),
        diagnostics,
    })
}

#[cfg(feature = "site")]
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
