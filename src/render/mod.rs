//! Render: the [`Site`] → output files in memory (HTML pages for every language, print views,
//! the sitemap, the theme's static files). Pages are rendered in parallel; nothing is
//! written here.

mod context;
mod data;
pub mod highlight;
mod lists;
mod pages;
mod print;
mod site_files;
mod tables;
mod templates;
pub mod icon;
pub mod markdown;
pub mod offline;
pub mod pdf;
pub mod search;
pub mod urls;

pub use templates::Templates;

use std::collections::BTreeMap;
use std::path::PathBuf;

use rayon::prelude::*;
use serde_json::Value;

use crate::config::Edition;
use crate::diag::Diagnostic;
use crate::discover::TOOLKIT;
use crate::i18n::Strings;
use crate::model::{Entry, EntryId, Kind, Section, Site};
use crate::parse::referrals::{KINDS, dial_string};
use crate::parse::{self, Level};
use crate::theme::Theme;

/// A file to write, relative to the output folder.
#[derive(Debug, Clone)]
pub struct OutFile {
    pub path: String,
    pub bytes: Vec<u8>,
    /// HTML pages are minified on the way out.
    pub html: bool,
}

/// A rendered file's bytes as text. Pages are made from text, so this is only a check, and
/// a quick one: `String::from_utf8_lossy` alone takes ten times as long to find nothing to
/// replace.
pub fn text_of(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(text) => std::borrow::Cow::Borrowed(text),
        Err(_) => String::from_utf8_lossy(bytes),
    }
}

/// Everything a build writes: rendered files, and content files to copy as they are.
#[derive(Debug, Default)]
pub struct Output {
    pub files: Vec<OutFile>,
    /// (file relative to the site root, path relative to the output folder)
    pub copies: Vec<(PathBuf, String)>,
    pub pages: usize,
}

/// A page its template failed on.
struct Failed {
    template: &'static str,
    dir: String,
    cause: String,
}

#[derive(Debug, Clone, Copy)]
enum Job {
    Entry(EntryId),
    Schedule,
    FactIndex,
    Directory,
    Search,
    /// Help and the parts saved on this phone (`saved/`).
    Saved,
    /// The print view of a workshop (its index in `site.workshops`), or of the toolkit.
    Print(Option<usize>),
}

pub struct Renderer<'a> {
    site: &'a Site,
    templates: Templates,
    strings: &'a BTreeMap<String, Strings>,
    /// Each language's strings as the templates' `t`, made once: copying them into each
    /// page's context is quicker than turning the table into JSON again for every page.
    string_values: BTreeMap<String, Value>,
    edition: Edition,
    asset_version: String,
    /// The PDF files this build makes, for "Download PDF" links.
    pdfs: std::collections::HashSet<String>,
    /// The pages in each bundle of `casebook.yaml`, in its order: each page links to the
    /// bundles it is in.
    bundles: Vec<Vec<EntryId>>,
    /// For "due for review" notices.
    today: crate::values::Date,
    /// What each language's search index adds to the pages not translated into it.
    across: search::Across,
    /// The path the site is served from (`/casebook/`), for the 404 page, which is shown at
    /// any address: the path of `base_url`, unless [`Renderer::served_at`] says otherwise.
    root_path: String,
}

/// Where a PDF's size goes in a page until the PDF is made.
pub const SIZE_MARK: char = '\u{E000}';

/// Puts the real sizes of the PDFs into the pages that link to them ("Download PDF, 240 KB").
pub fn fill_pdf_sizes(output: &mut Output, sizes: &std::collections::HashMap<String, usize>) {
    fill_marks(&mut output.files, SIZE_MARK, |name| {
        let size = sizes.get(&format!("pdf/{name}")).copied().unwrap_or(0);
        format!("{} KB", size.div_ceil(1024))
    });
}

/// Whether an HTML page holds a mark still to fill (a PDF's size, a part's size).
pub fn has_marks(file: &OutFile) -> bool {
    let mark = |c: char| {
        let mut buf = [0; 4];
        memchr::memmem::find(&file.bytes, c.encode_utf8(&mut buf).as_bytes()).is_some()
    };
    file.html && (mark(SIZE_MARK) || mark(offline::PART_MARK))
}

/// Replaces every `MARK key MARK` in the HTML pages with `value(key)`: for what is known
/// only once the pages are rendered (the sizes of PDFs and of offline parts).
pub fn fill_marks(files: &mut [OutFile], mark: char, value: impl Fn(&str) -> String + Sync) {
    files.par_iter_mut().filter(|f| f.html).for_each(|file| {
        let filled = std::str::from_utf8(&file.bytes)
            .ok()
            .and_then(|text| fill_text(text, mark, &value));
        if let Some(filled) = filled {
            file.bytes = filled.into_bytes();
        }
    });
}

/// [`fill_marks`] on one text; `None` when it has no mark.
pub fn fill_text(text: &str, mark: char, value: &impl Fn(&str) -> String) -> Option<String> {
    if !text.contains(mark) {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut parts = text.split(mark);
    out.push_str(parts.next().unwrap_or_default());
    while let (Some(key), Some(rest)) = (parts.next(), parts.next()) {
        out.push_str(&value(key));
        out.push_str(rest);
    }
    Some(out)
}

impl<'a> Renderer<'a> {
    pub fn new(
        site: &'a Site,
        templates: Templates,
        strings: &'a BTreeMap<String, Strings>,
        edition: Edition,
        theme: &Theme,
        pdfs: std::collections::HashSet<String>,
    ) -> Self {
        let mut all = String::new();
        for file in &theme.statics {
            all.push_str(&file.name);
            all.push_str(&String::from_utf8_lossy(&file.bytes));
        }
        let asset_version = parse::fingerprint(&all)[..10].to_string();
        let string_values = strings
            .iter()
            .map(|(lang, s)| (lang.clone(), data::value(&s.map)))
            .collect();
        Renderer {
            site,
            templates,
            strings,
            string_values,
            edition,
            asset_version,
            pdfs,
            bundles: site
                .config
                .bundles
                .iter()
                .map(|b| pdf::bundle_entries(site, &b.include))
                .collect(),
            today: crate::values::Date::today(),
            across: search::Across::of(site, edition),
            root_path: urls::base_path(site),
        }
    }

    /// Serves the site from `path` (`/`, `/__casebook/trainer/`) rather than from the path
    /// of its `base_url`: what links of the 404 page start from.
    pub fn served_at(mut self, path: &str) -> Self {
        self.root_path = path.to_string();
        self
    }

    /// Renders only the pages that show the text of `entries`: their own pages in every
    /// language (a translation's fallback shows the original) and the print views that
    /// hold them. For `serve`, when an edit changed a page's text and nothing else.
    pub fn render_entries(
        &self,
        entries: &std::collections::BTreeSet<EntryId>,
    ) -> (Vec<OutFile>, Vec<Diagnostic>) {
        let site = self.site;
        let mut jobs: Vec<(String, Job)> = Vec::new();
        for lang in site.config.languages.iter().map(|l| l.code.clone()) {
            for &id in entries {
                jobs.push((lang.clone(), Job::Entry(id)));
            }
            for (i, w) in site.workshops.iter().enumerate() {
                if entries.contains(&w.entry)
                    || w.pages
                        .iter()
                        .chain(&w.fact_patterns)
                        .any(|e| entries.contains(e))
                {
                    jobs.push((lang.clone(), Job::Print(Some(i))));
                }
            }
            if let Some(t) = &site.toolkit
                && (entries.contains(&t.entry) || t.pages.iter().any(|e| entries.contains(e)))
            {
                jobs.push((lang.clone(), Job::Print(None)));
            }
        }
        let (files, _, diagnostics) = self.render_jobs(&jobs, std::convert::identity);
        (files, diagnostics)
    }

    /// Renders only the pages made with the templates `names` (`page.html`…): for `serve`,
    /// when a template was edited. `None` when every page uses one of them (`base.html`,
    /// `macros.html`, or a template casebook does not know), so that everything must be
    /// rendered.
    pub fn render_templates(
        &self,
        names: &std::collections::BTreeSet<String>,
    ) -> Option<(Vec<OutFile>, Vec<Diagnostic>)> {
        const OWN: &[&str] = &[
            "programme.html",
            "workshop.html",
            "page.html",
            "fact_pattern.html",
            "fact_patterns.html",
            "schedule.html",
            "referrals.html",
            "search.html",
            "saved.html",
            "print.html",
            "404.html",
            "sw.js",
        ];
        if names.iter().any(|n| !OWN.contains(&n.as_str())) {
            return None;
        }
        let jobs: Vec<(String, Job)> = self
            .all_jobs()
            .into_iter()
            .filter(|(_, job)| names.contains(self.template_of(*job)))
            .collect();
        let (mut files, _, mut diagnostics) = self.render_jobs(&jobs, std::convert::identity);
        if names.contains("404.html") {
            match self.not_found() {
                Ok(file) => files.push(file),
                Err(d) => diagnostics.push(d),
            }
        }
        Some((files, diagnostics))
    }

    fn template_of(&self, job: Job) -> &'static str {
        match job {
            Job::Entry(id) => match self.site.entries[id].kind {
                Kind::Programme => "programme.html",
                Kind::Workshop | Kind::ToolkitIndex => "workshop.html",
                Kind::Lesson | Kind::Tool => "page.html",
                Kind::FactPattern => "fact_pattern.html",
            },
            Job::Schedule => "schedule.html",
            Job::FactIndex => "fact_patterns.html",
            Job::Directory => "referrals.html",
            Job::Search => "search.html",
            Job::Saved => "saved.html",
            Job::Print(_) => "print.html",
        }
    }

    /// Every page of the site, in every language.
    fn all_jobs(&self) -> Vec<(String, Job)> {
        let site = self.site;
        let mut jobs: Vec<(String, Job)> = Vec::new();
        for lang in site.config.languages.iter().map(|l| l.code.clone()) {
            for id in 0..site.entries.len() {
                jobs.push((lang.clone(), Job::Entry(id)));
            }
            jobs.push((lang.clone(), Job::Schedule));
            if !site.fact_patterns.is_empty() {
                jobs.push((lang.clone(), Job::FactIndex));
            }
            jobs.push((lang.clone(), Job::Search));
            jobs.push((lang.clone(), Job::Saved));
            if site.toolkit.is_some() {
                jobs.push((lang.clone(), Job::Directory));
                jobs.push((lang.clone(), Job::Print(None)));
            }
            for i in 0..site.workshops.len() {
                jobs.push((lang.clone(), Job::Print(Some(i))));
            }
        }
        jobs
    }

    /// Renders `jobs` side by side, handing each page to `then` on the thread that made it:
    /// what `then` gave for each page, whether any page has code, and the pages that failed.
    fn render_jobs<T: Send>(
        &self,
        jobs: &[(String, Job)],
        then: impl Fn(OutFile) -> T + Sync,
    ) -> (Vec<T>, bool, Vec<Diagnostic>) {
        // One job at a time for each thread to take: a print page is worth tens of
        // lesson pages, and a run of them left to one thread kept the other idle.
        let results: Vec<Result<(T, bool), Failed>> = jobs
            .par_iter()
            .with_max_len(1)
            .map(|(lang, job)| {
                self.page(lang, *job)
                    .map(|(file, has_code)| (then(file), has_code))
            })
            .collect();
        let mut made = Vec::with_capacity(results.len());
        // A template's mistake fails every page made with it, alike: it is told once, with
        // the first page it failed on and how many others.
        let mut failures: Vec<(Failed, usize)> = Vec::new();
        let mut any_code = false;
        for result in results {
            match result {
                Ok((one, has_code)) => {
                    any_code |= has_code;
                    made.push(one);
                }
                Err(f) => match failures
                    .iter_mut()
                    .find(|(g, _)| g.template == f.template && g.cause == f.cause)
                {
                    Some((_, others)) => *others += 1,
                    None => failures.push((f, 0)),
                },
            }
        }
        let diagnostics = failures
            .into_iter()
            .map(|(f, others)| {
                let on = match others {
                    0 => format!("`{}`", f.dir),
                    1 => format!("`{}` and 1 other page", f.dir),
                    n => format!("`{}` and {n} other pages", f.dir),
                };
                Diagnostic::error(format!("the template `{}` failed on {on}: {}", f.template, f.cause))
                    .hint("check the names used in the template against the built-in one in themes/default/templates/")
            })
            .collect();
        (made, any_code, diagnostics)
    }

    /// What a build would say of the templates, without keeping anything: every page (and
    /// the 404 page) is rendered, for `check`. A template mistake that shows only when a
    /// page renders (an unknown filter or value) is found here.
    pub fn template_problems(&self) -> Vec<Diagnostic> {
        let (_, _, mut diagnostics) = self.render_jobs(&self.all_jobs(), drop::<OutFile>);
        if let Err(d) = self.not_found() {
            diagnostics.push(d);
        }
        diagnostics
    }

    /// What each language's search index adds to the pages not translated into it, for
    /// [`search::Pages`].
    pub fn across(&self) -> &search::Across {
        &self.across
    }

    /// The files [`Renderer::render_then`] hands on, one for each page in every language.
    pub fn page_paths(&self) -> Vec<String> {
        self.all_jobs()
            .into_iter()
            .map(|(lang, job)| format!("{}index.html", self.dir_of(&lang, job)))
            .collect()
    }

    /// Renders every page in every language, and the site's other files. Errors (a template
    /// failing on a page) are returned as diagnostics.
    pub fn render(&self, theme: &Theme) -> (Output, Vec<Diagnostic>) {
        let (mut output, pages, diagnostics) = self.render_then(theme, std::convert::identity);
        output.files.splice(0..0, pages);
        (output, diagnostics)
    }

    /// Renders every page in every language, handing each to `then` on the thread that made
    /// it, as soon as it is made: a build minifies and writes a page there, rather than
    /// keeping every page in memory until all are rendered. Returns the
    /// site's other files (`pages` counts the pages), what `then` gave for each page that
    /// rendered, in the order of [`Renderer::page_paths`], and the errors (a template failing
    /// on a page) as diagnostics.
    pub fn render_then<T: Send>(
        &self,
        theme: &Theme,
        then: impl Fn(OutFile) -> T + Sync + Send,
    ) -> (Output, Vec<T>, Vec<Diagnostic>) {
        let site = self.site;
        let ((pages, any_code, mut diagnostics), _) =
            rayon::join(|| self.render_jobs(&self.all_jobs(), then), icon::icons);
        let mut output = Output {
            pages: pages.len(),
            ..Output::default()
        };
        match self.not_found() {
            Ok(file) => output.files.push(file),
            Err(d) => diagnostics.push(d),
        }
        if self.site.config.has_full_address() {
            output.files.extend(self.sitemap());
        } else {
            // A sitemap lists full addresses only; without one the site still builds, and
            // `check` says what is missing before it is published.
            output.files.push(OutFile {
                path: "robots.txt".into(),
                bytes: if self.edition == Edition::Trainer {
                    b"User-agent: *\nDisallow: /\n".to_vec()
                } else {
                    b"User-agent: *\nAllow: /\n".to_vec()
                },
                html: false,
            });
        }
        for file in &theme.statics {
            output.files.push(OutFile {
                path: format!("assets/{}", file.name),
                bytes: file.bytes.clone(),
                html: false,
            });
        }
        if any_code {
            output.files.push(OutFile {
                path: "assets/highlight.css".into(),
                bytes: highlight::stylesheet().into_bytes(),
                html: false,
            });
        }
        for asset in site.used_assets(self.edition) {
            let to = urls::asset_path(&asset);
            output.copies.push((asset, to));
        }
        (output, pages, diagnostics)
    }
}

/// Escapes text for HTML and XML.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}
