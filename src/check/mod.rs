//! `casebook check`: what to fix in a curriculum, grouped by kind. Everything the build
//! would reject, plus what a build lets through but a reader should not meet: pages overdue
//! for review, stale or missing translations, personal data in case material, and content
//! that is hard to read with a screen reader.

mod accessibility;
mod freshness;
mod front_matter;
mod links;
mod personal_data;
mod report;
mod translations;

use std::path::{Path, PathBuf};

use crate::config::Edition;
use crate::diag::Diagnostic;
use crate::model::Site;
use crate::parse::ParsedPage;
use crate::values::Date;

pub use report::{json, text};

/// Which files (relative to the site root) a lint looks at.
pub type Wanted<'a> = &'a dyn Fn(&Path) -> bool;

/// The kinds of problem, in the order they are reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Links,
    FrontMatter,
    Freshness,
    Translations,
    PersonalData,
    Accessibility,
}

impl Kind {
    pub const ALL: [Kind; 6] = [
        Kind::Links,
        Kind::FrontMatter,
        Kind::Freshness,
        Kind::Translations,
        Kind::PersonalData,
        Kind::Accessibility,
    ];

    /// The name in JSON output.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Links => "links",
            Kind::FrontMatter => "front-matter",
            Kind::Freshness => "freshness",
            Kind::Translations => "translations",
            Kind::PersonalData => "personal-data",
            Kind::Accessibility => "accessibility",
        }
    }

    /// The heading in text output.
    pub fn title(self) -> &'static str {
        match self {
            Kind::Links => "Links",
            Kind::FrontMatter => "Front matter",
            Kind::Freshness => "Freshness",
            Kind::Translations => "Translations",
            Kind::PersonalData => "Personal data",
            Kind::Accessibility => "Accessibility",
        }
    }
}

/// One problem found.
#[derive(Debug, Clone)]
pub struct Finding {
    pub kind: Kind,
    pub diagnostic: Diagnostic,
}

/// How far each language is translated.
#[derive(Debug, Clone)]
pub struct Coverage {
    pub language: String,
    pub pages: usize,
    pub translated: usize,
    pub words: usize,
    pub translated_words: usize,
    pub stale: usize,
    /// The originals with no translation into this language.
    pub missing: Vec<PathBuf>,
}

/// A link to another site, listed for a person to check.
#[derive(Debug, Clone)]
pub struct External {
    pub url: String,
    pub file: PathBuf,
    pub line: usize,
}

#[derive(Debug, Default)]
pub struct Report {
    pub findings: Vec<Finding>,
    pub coverage: Vec<Coverage>,
    pub external: Vec<External>,
    /// Whether the external links were asked (`--external`).
    pub external_checked: bool,
}

impl Report {
    pub fn errors(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.diagnostic.is_error())
            .count()
    }

    pub fn warnings(&self) -> usize {
        self.findings.len() - self.errors()
    }
}

/// Checks the site in `root`, with freshness judged on `today`.
pub fn check(root: &Path, today: Date) -> Report {
    let mut diagnostics = Vec::new();
    let loaded = crate::load(root, false, &mut diagnostics);
    let mut report = Report::default();
    for d in diagnostics {
        report.findings.push(Finding {
            kind: kind_of_build_problem(&d),
            diagnostic: d,
        });
    }
    if let Some(mut loaded) = loaded {
        if let Some(compiled) = loaded.templates.take() {
            templates(&loaded, compiled, &mut report);
        }
        let site = &loaded.site;
        // A build makes PDFs unless told not to: their covers print `base_url`.
        let pdfs: Vec<String> = [Edition::Mentee, Edition::Trainer]
            .into_iter()
            .flat_map(|edition| {
                crate::render::pdf::plan(&site.edition(edition), &loaded.strings, edition)
            })
            .map(|plan| plan.file)
            .collect();
        if let Some(d) = crate::render::pdf::placeholder_warning(site, &pdfs) {
            add(&mut report, Kind::Links, d);
        }
        if !site.config.has_full_address() {
            let mut d = Diagnostic::warning(format!(
                "`base_url` is `{}`, not the site's full address: a build makes no `sitemap.xml`, and the addresses and QR codes printed in print views and PDFs lead nowhere",
                site.config.base_url
            ))
            .hint("before you publish, set `base_url` to the address the site will have, e.g. `base_url: https://training.yourunion.org/`")
            .in_file(std::path::PathBuf::from(crate::config::FILE));
            if let Some((line, col, width)) = site.config.base_url_at {
                d = d.at(crate::config::FILE, line, col).width(width);
            }
            add(&mut report, Kind::Links, d);
        }
        front_matter::front_matter(site, &mut report);
        freshness::freshness(site, today, &|_| true, &mut report);
        translations::translations(root, site, &mut report);
        personal_data::personal_data(root, site, &|_| true, &mut report);
        accessibility::accessibility(site, &|_| true, &mut report);
        links::other_language_links(site, &mut report);
        links::unused_files(site, &mut report);
        for (_, page) in pages(site) {
            for r in page
                .doc
                .references
                .iter()
                .filter(|r| r.dest.starts_with("http://") || r.dest.starts_with("https://"))
            {
                report.external.push(External {
                    url: r.dest.clone(),
                    file: page.source.path.clone(),
                    line: r.line,
                });
            }
        }
        report
            .external
            .sort_by(|a, b| (&a.url, &a.file, a.line).cmp(&(&b.url, &b.file, b.line)));
    }
    sort_findings(&mut report);
    report
}

/// What `check` says of the content as written, beyond what a build rejects: pages overdue
/// for review, personal data in case material, what is hard to read with a screen reader.
/// Only of the files `wanted` (paths relative to `root`). For `serve`, which shows them
/// beside the page being edited; in the order `check` reports them.
pub fn content_warnings(root: &Path, site: &Site, today: Date, wanted: Wanted<'_>) -> Vec<Finding> {
    let mut report = Report::default();
    freshness::freshness(site, today, wanted, &mut report);
    personal_data::personal_data(root, site, wanted, &mut report);
    accessibility::accessibility(site, wanted, &mut report);
    sort_findings(&mut report);
    report.findings
}

/// What a build of either edition would say of the templates. A mistake the trainer
/// edition alone meets (in a `{% if trainer %}` part) says so.
fn templates(loaded: &crate::Loaded, templates: crate::render::Templates, report: &mut Report) {
    let render = |edition, templates| {
        crate::render::Renderer::new(
            &loaded.site.edition(edition),
            templates,
            &loaded.strings,
            edition,
            &loaded.theme,
            std::collections::HashSet::new(),
        )
        .template_problems()
    };
    let mentee = render(crate::config::Edition::Mentee, templates.clone());
    let trainer = render(crate::config::Edition::Trainer, templates);
    for mut d in trainer {
        if !mentee.iter().any(|m| m.message == d.message) {
            d.message = format!("in the trainer edition, {}", d.message);
            add(report, kind_of_build_problem(&d), d);
        }
    }
    for d in mentee {
        add(report, kind_of_build_problem(&d), d);
    }
}

/// By kind, then file, line and message: the order they are reported in.
fn sort_findings(report: &mut Report) {
    fn key(f: &Finding) -> (Kind, &Option<PathBuf>, usize, &str) {
        let d = &f.diagnostic;
        (f.kind, &d.path, d.line, &d.message)
    }
    report.findings.sort_by(|a, b| key(a).cmp(&key(b)));
}

/// Asks every external link whether it still works (at most `timeout` each, four at a
/// time, each address once), and reports those that do not as warnings under links.
pub fn check_external(report: &mut Report, timeout: std::time::Duration) {
    report.external_checked = true;
    let urls: Vec<String> = report.external.iter().map(|e| e.url.clone()).collect();
    let answers = crate::external::check(&urls, timeout, 4);
    for e in report.external.clone() {
        let problem = match answers.get(&e.url) {
            Some(Ok(status)) if *status < 400 => continue,
            Some(Ok(status)) => format!("answered HTTP {status}"),
            Some(Err(why)) => format!("could not be reached: {why}"),
            None => continue,
        };
        add(report, Kind::Links, Diagnostic::warning(format!("the link `{}` {problem}", e.url)).at(&e.file, e.line, 1).hint("open it: update the address, or remove the link; if the site is only down for now, check again later"));
    }
    sort_findings(report);
}

/// The build's own problems: links, anchors and images that point nowhere are links; the
/// rest are about what a file says.
fn kind_of_build_problem(d: &Diagnostic) -> Kind {
    match d.topic {
        Some("links") => Kind::Links,
        _ => Kind::FrontMatter,
    }
}

fn add(report: &mut Report, kind: Kind, d: Diagnostic) {
    report.findings.push(Finding {
        kind,
        diagnostic: d,
    });
}

fn pages(site: &Site) -> impl Iterator<Item = (&crate::model::Entry, &ParsedPage)> {
    site.entries.iter().flat_map(|e| {
        std::iter::once(&e.original)
            .chain(e.translations.values())
            .map(move |p| (e, p))
    })
}

