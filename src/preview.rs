//! The site in memory, rebuilt as it is edited: what `casebook serve` serves. Nothing is
//! written anywhere.
//!
//! A rebuild parses again only the files whose text changed. When only the text of pages
//! changed (not their front matter, not which pages exist), only those pages are rendered
//! again, in every language, with the print views that hold them; anything else (a page
//! added or renamed, a title, the config, the theme) renders every page. The search index
//! and the PDFs follow in a second step: PDFs whose inputs did not change are not typeset
//! again.
//!
//! Both editions are served: the one asked for at `/`, the other below [`prefix`] once a
//! reader first asks for it (until then it costs nothing), both from one load of the site.
//! After every rebuild, what `check` says of the content (personal data, accessibility,
//! freshness) is kept for the files edited since the preview started.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::config::Edition;
use crate::diag::Diagnostic;
use crate::model::EntryId;
use crate::parse::ParseCache;
use crate::render::{self, OutFile, pdf::PdfCache};

/// One file of the site as served.
#[derive(Debug, Clone)]
pub enum Served {
    /// Made by casebook: a page (whose PDF size marks are filled in when served), a
    /// stylesheet, a PDF, the search index.
    Made { bytes: Arc<Vec<u8>>, html: bool },
    /// A file of the content folder (a picture, a form), read from there when asked for.
    Content(PathBuf),
}

/// Where the edition that is not at `/` is served, below the server's root:
/// `__casebook/trainer/` (or `__casebook/mentee/` when the trainer edition is at `/`).
pub fn prefix(edition: Edition) -> String {
    format!("__casebook/{}/", edition.name())
}

/// The other edition.
pub fn other(edition: Edition) -> Edition {
    match edition {
        Edition::Mentee => Edition::Trainer,
        Edition::Trainer => Edition::Mentee,
    }
}

/// One edition's files by path (`01-x/index.html`).
#[derive(Debug, Clone)]
pub struct Files {
    pub edition: Edition,
    pub files: HashMap<String, Served>,
    /// PDF sizes, for the download links.
    pub pdf_sizes: HashMap<String, usize>,
}

/// The words of the switch between the editions, in one language.
#[derive(Debug, Default, Clone)]
pub struct Switch {
    pub to_trainer: String,
    pub to_mentee: String,
}

/// What a reader's browser gets.
#[derive(Debug, Default, Clone)]
pub struct Snapshot {
    /// The edition at `/`, then, once asked for, the other one (below [`prefix`]).
    pub editions: Vec<Files>,
    /// The problems that stop the site from being rebuilt, rendered as casebook prints
    /// them (file, line, the line, a caret, a hint); `None` when it builds.
    pub error: Option<String>,
    /// What `check` says of the files edited since the preview started, each rendered as
    /// casebook prints it. They never stop a page from being shown.
    pub notes: Vec<String>,
    /// The switch's words, by language.
    pub switch: HashMap<String, Switch>,
    /// Counts up with every rebuild that changed what is served.
    pub version: u64,
}

/// Which pages a rebuild changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pages {
    All,
    /// Site paths of pages, e.g. `01-x/02-y/index.html`.
    Some(Vec<String>),
    None,
}

/// What a rebuild did, for the terminal line and the browsers.
#[derive(Debug)]
pub struct Rebuilt {
    pub pages: Pages,
    /// How many pages were rendered.
    pub rendered: usize,
    pub elapsed: Duration,
    pub errors: usize,
    pub warnings: usize,
    /// Pages marked `draft: true` in what is served.
    pub drafts: usize,
    /// Of `rendered`, those of the edition below [`prefix`], once it is served.
    pub other: Option<(Edition, usize)>,
    /// What `check` says of the files this rebuild was for.
    pub checked: Vec<crate::check::Finding>,
}

enum Update {
    Full(render::Output),
    Pages(Vec<OutFile>),
}

/// What the second step (search index, PDFs) did.
#[derive(Debug, Default)]
pub struct Finished {
    pub search: Duration,
    pub pdfs_typeset: usize,
    pub pdfs_total: usize,
    pub pdf_time: Duration,
    /// What the search index and the PDFs had to say (a PDF that did not typeset, an index
    /// that could not be made), as a build says it.
    pub diagnostics: Vec<Diagnostic>,
}

pub struct Preview {
    root: PathBuf,
    /// The edition at `/`.
    edition: Edition,
    drafts: bool,
    pdf: bool,
    parses: ParseCache,
    /// The editions rendered: the one at `/`, then the other once asked for. Each is
    /// `snapshot.editions` of the same index once it is first rendered.
    sides: Vec<Side>,
    /// The site as last built, kept for the second step.
    last: Option<Last>,
    /// The files saved since the preview started: `check`'s findings about them are shown.
    edited: BTreeSet<PathBuf>,
    snapshot: Snapshot,
}

/// An edition as the preview keeps it.
#[derive(Default)]
struct Side {
    /// Those of the site's files its pages link to or show; `None` until it is rendered.
    used: Option<BTreeSet<PathBuf>>,
    pdfs: PdfCache,
    /// Its pages changed since its search index was made.
    stale: bool,
}

struct Last {
    loaded: crate::Loaded,
    assets: Vec<PathBuf>,
}

/// What a rebuild renders, the same for each edition.
struct Plan<'a> {
    changed: &'a [PathBuf],
    /// Templates edited, by file name.
    templates: &'a BTreeSet<String>,
    /// Every page, whatever changed (a theme file, the config, the first build).
    everything: bool,
    changes: &'a crate::parse::Changes,
    /// The files beside the content came or went.
    assets_changed: bool,
}

/// One edition rendered.
struct Rendered {
    update: Update,
    pages: Pages,
    rendered: usize,
    used: BTreeSet<PathBuf>,
}

impl Preview {
    pub fn new(root: &Path, edition: Edition, drafts: bool, pdf: bool) -> Self {
        Preview {
            root: root.to_path_buf(),
            edition,
            drafts,
            pdf,
            parses: ParseCache::default(),
            sides: vec![Side::default()],
            last: None,
            edited: BTreeSet::new(),
            snapshot: Snapshot::default(),
        }
    }

    pub fn snapshot(&self) -> &Snapshot {
        &self.snapshot
    }

    /// From now on, renders the other edition too (below [`prefix`]); the next rebuild
    /// renders all of it. False when it is rendered already.
    pub fn add_other(&mut self) -> bool {
        if self.sides.len() > 1 {
            return false;
        }
        self.sides.push(Side::default());
        true
    }

    /// The edition at `/`.
    pub fn edition(&self) -> Edition {
        self.edition
    }

    fn edition_of(&self, side: usize) -> Edition {
        if side == 0 {
            self.edition
        } else {
            other(self.edition)
        }
    }

    /// Rebuilds after `changed` (paths relative to the site root; empty for the first
    /// build). On errors the site served stays as it was, with the errors beside it.
    pub fn rebuild(&mut self, changed: &[PathBuf]) -> Rebuilt {
        let started = Instant::now();
        let mut diagnostics = Vec::new();
        self.edited.extend(changed.iter().cloned());
        // Edited templates (`themes/NAME/templates/page.html`) re-render the pages made
        // with them; any other theme file, a string table or the config, everything.
        let templates: BTreeSet<String> = changed
            .iter()
            .filter(|p| {
                p.starts_with("themes") && p.parent().is_some_and(|d| d.ends_with("templates"))
            })
            .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .collect();
        let everything = self.last.is_none()
            || changed.iter().any(|p| {
                (p.starts_with("themes")
                    && !p.ends_with("templates")
                    && !p.parent().is_some_and(|d| d.ends_with("templates")))
                    || p.starts_with("i18n")
                    || p == Path::new("casebook.yaml")
                    || p.extension().is_some_and(|e| e == "yaml" || e == "yml")
            });
        let loaded = crate::load_cached(
            &self.root,
            self.drafts,
            &mut diagnostics,
            Some(&self.parses),
        );
        let Some((mut loaded, changes)) = loaded else {
            return self.failed(diagnostics, started);
        };
        let Some(tera) = loaded.templates.take() else {
            return self.failed(diagnostics, started);
        };
        if diagnostics.iter().any(Diagnostic::is_error) {
            return self.failed(diagnostics, started);
        }
        let plan = Plan {
            changed,
            templates: &templates,
            everything,
            changes: &changes,
            assets_changed: self
                .last
                .as_ref()
                .is_none_or(|last| last.assets != loaded.site.assets),
        };
        let count = self.sides.len();
        let mut tera = Some(tera);
        let mut outcomes = Vec::with_capacity(count);
        for (i, side) in self.sides.iter().enumerate() {
            let tera = if i + 1 == count {
                tera.take().expect("templates for the last edition")
            } else {
                tera.clone().expect("templates for every edition")
            };
            let edition = self.edition_of(i);
            let at = if i == 0 {
                "/".to_string()
            } else {
                format!("/{}", prefix(edition))
            };
            outcomes.push(render_edition(
                &loaded,
                tera,
                edition,
                self.pdf,
                &at,
                side,
                &plan,
                &mut diagnostics,
            ));
        }
        if diagnostics.iter().any(Diagnostic::is_error) {
            return self.failed(diagnostics, started);
        }
        // Both editions say the same of the same page once.
        diagnostics.sort_by(|a, b| (&a.path, a.line, &a.message).cmp(&(&b.path, b.line, &b.message)));
        diagnostics.dedup_by(|a, b| (&a.path, a.line, &a.message) == (&b.path, b.line, &b.message));
        let (_, warnings) = crate::diag::counts(&diagnostics);
        let had_error = self.snapshot.error.take().is_some();
        let mut parts = Vec::with_capacity(count);
        let mut counts = Vec::with_capacity(count);
        for (i, outcome) in outcomes.into_iter().enumerate() {
            let edition = self.edition_of(i);
            if self.snapshot.editions.len() <= i {
                self.snapshot.editions.push(Files {
                    edition,
                    files: HashMap::new(),
                    pdf_sizes: HashMap::new(),
                });
            }
            let fresh = self.sides[i].used.is_none();
            let files = &mut self.snapshot.editions[i];
            let mut pages = outcome.pages;
            match outcome.update {
                Update::Full(output) => {
                    let mut made: HashMap<String, Served> = output
                        .files
                        .into_iter()
                        .map(|f| {
                            (
                                f.path,
                                Served::Made {
                                    bytes: Arc::new(f.bytes),
                                    html: f.html,
                                },
                            )
                        })
                        .collect();
                    for (from, to) in output.copies {
                        made.insert(to, Served::Content(self.root.join(from)));
                    }
                    // The search index and PDFs of the last build stay until the second
                    // step replaces them.
                    for (path, file) in files.files.drain() {
                        if path.starts_with(render::search::BUNDLE) || path.starts_with("pdf/") {
                            made.entry(path).or_insert(file);
                        }
                    }
                    // Always there, in case an edit adds code to a page.
                    made.insert(
                        "assets/highlight.css".into(),
                        Served::Made {
                            bytes: Arc::new(render::highlight::stylesheet().into_bytes()),
                            html: false,
                        },
                    );
                    // The other edition's first rendering reloads only its own pages.
                    if fresh && i > 0 {
                        let mut paths: Vec<String> = made
                            .iter()
                            .filter(|(_, f)| matches!(f, Served::Made { html: true, .. }))
                            .map(|(p, _)| p.clone())
                            .collect();
                        paths.sort();
                        pages = Pages::Some(paths);
                    }
                    files.files = made;
                }
                Update::Pages(made) => {
                    for f in made {
                        files.files.insert(
                            f.path,
                            Served::Made {
                                bytes: Arc::new(f.bytes),
                                html: f.html,
                            },
                        );
                    }
                }
            }
            let side = &mut self.sides[i];
            side.used = Some(outcome.used);
            side.stale |= pages != Pages::None;
            counts.push(outcome.rendered);
            parts.push((if i == 0 { String::new() } else { prefix(edition) }, pages));
        }
        let pages = if had_error { Pages::All } else { merge(parts) };
        let drafts = if self.drafts {
            loaded
                .site
                .entries
                .iter()
                .filter(|e| e.original.meta.draft)
                .count()
        } else {
            0
        };
        // What `check` would say of the content: of the files just saved, for the
        // terminal; of every file saved since the preview started, for the pages.
        let findings = crate::check::content_warnings(
            &self.root,
            &loaded.site,
            crate::values::Date::today(),
            &|path| self.edited.contains(path),
        );
        let about = |f: &crate::check::Finding, paths: &dyn Fn(&Path) -> bool| {
            f.diagnostic.path.as_deref().is_some_and(paths)
        };
        self.snapshot.notes = findings
            .iter()
            .filter(|f| about(f, &|p| self.edited.contains(p)))
            .map(|f| f.diagnostic.render(&self.root, false))
            .collect();
        let checked: Vec<crate::check::Finding> = findings
            .into_iter()
            .filter(|f| about(f, &|p| changed.iter().any(|c| c == p)))
            .collect();
        self.snapshot.switch = loaded
            .strings
            .iter()
            .map(|(lang, t)| {
                (
                    lang.clone(),
                    Switch {
                        to_trainer: t.get("view_as_trainer").to_string(),
                        to_mentee: t.get("view_as_mentee").to_string(),
                    },
                )
            })
            .collect();
        if pages != Pages::None {
            self.snapshot.version += 1;
        }
        self.last = Some(Last {
            assets: loaded.site.assets.clone(),
            loaded,
        });
        Rebuilt {
            pages,
            rendered: counts.iter().sum(),
            elapsed: started.elapsed(),
            errors: 0,
            warnings,
            drafts,
            other: (count > 1).then(|| (self.edition_of(1), counts[1])),
            checked,
        }
    }

    /// The second step, for each edition whose pages changed: the search index over
    /// every page, and the PDFs (those whose inputs changed are typeset again).
    pub fn finish(&mut self) -> Finished {
        let mut done = Finished::default();
        let Some(last) = &self.last else {
            return done;
        };
        if self.snapshot.error.is_some() {
            return done;
        }
        for i in 0..self.snapshot.editions.len() {
            if !self.sides[i].stale {
                continue;
            }
            self.sides[i].stale = false;
            let edition = self.edition_of(i);
            let files = &mut self.snapshot.editions[i];
            let started = Instant::now();
            let pages: Vec<OutFile> = files
                .files
                .iter()
                .filter_map(|(path, f)| match f {
                    Served::Made { bytes, html: true } => Some(OutFile {
                        path: path.clone(),
                        bytes: bytes.to_vec(),
                        html: true,
                    }),
                    _ => None,
                })
                .collect();
            let across = render::search::Across::of(&last.loaded.site, edition);
            let (index, problems) =
                crate::build::index(render::search::Pages::of(&pages, &across));
            done.diagnostics.extend(problems);
            files
                .files
                .retain(|p, _| !p.starts_with(render::search::BUNDLE));
            for f in index.files {
                files.files.insert(
                    f.path,
                    Served::Made {
                        bytes: Arc::new(f.bytes),
                        html: false,
                    },
                );
            }
            done.search += started.elapsed();
            if self.pdf {
                let started = Instant::now();
                let loaded = &last.loaded;
                let site = loaded.site.edition(edition);
                let plans = crate::build::plan_pdfs(&site, loaded, edition, true);
                done.pdfs_total += plans.len();
                let cache = &self.sides[i].pdfs;
                let (made, problems) = crate::build::typeset(&self.root, &site, loaded, plans, Some(cache));
                done.diagnostics.extend(problems);
                done.pdfs_typeset += cache.typeset.load(std::sync::atomic::Ordering::Relaxed);
                for m in made {
                    files.pdf_sizes.insert(m.plan.file.clone(), m.bytes.len());
                    files.files.insert(
                        m.plan.file,
                        Served::Made {
                            bytes: Arc::new(m.bytes),
                            html: false,
                        },
                    );
                }
                done.pdf_time += started.elapsed();
            }
        }
        // An error here stops a build: the preview shows it as it shows any other.
        crate::diag::sort(&mut done.diagnostics);
        done.diagnostics
            .dedup_by(|a, b| (&a.path, a.line, &a.message) == (&b.path, b.line, &b.message));
        let errors: Vec<String> = done
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(|d| d.render(&self.root, false))
            .collect();
        if !errors.is_empty() {
            self.snapshot.error = Some(errors.join("\n\n"));
            self.snapshot.version += 1;
        }
        done
    }

    fn failed(&mut self, mut diagnostics: Vec<Diagnostic>, started: Instant) -> Rebuilt {
        crate::diag::sort(&mut diagnostics);
        let (errors, warnings) = crate::diag::counts(&diagnostics);
        let text: Vec<String> = diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(|d| d.render(&self.root, false))
            .collect();
        let text = text.join("\n\n");
        let changed = self.snapshot.error.as_deref() != Some(text.as_str());
        self.snapshot.error = Some(text);
        if changed {
            self.snapshot.version += 1;
        }
        Rebuilt {
            pages: if changed { Pages::All } else { Pages::None },
            rendered: 0,
            elapsed: started.elapsed(),
            errors,
            warnings,
            drafts: 0,
            other: None,
            checked: Vec::new(),
        }
    }

    /// The diagnostics of the last failed rebuild, for the terminal.
    pub fn error(&self) -> Option<&str> {
        self.snapshot.error.as_deref()
    }
}

/// Renders one edition of the site: every page, the pages made with the edited templates,
/// or the pages of the entries whose text changed, as `plan` says.
#[allow(clippy::too_many_arguments)]
fn render_edition(
    loaded: &crate::Loaded,
    tera: render::Templates,
    edition: Edition,
    pdf: bool,
    served_at: &str,
    side: &Side,
    plan: &Plan<'_>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Rendered {
    // What this edition publishes: the mentee edition leaves out pages for trainers.
    let site = &*loaded.site.edition(edition);
    // The files beside the content that this edition publishes: a page that starts or
    // stops showing one changes what is served.
    let used = site.used_assets(edition);
    let assets_changed = plan.assets_changed || side.used.as_ref() != Some(&used);
    // Which PDFs the pages link to: those planned, whether made yet or not.
    let planned: std::collections::HashSet<String> = if pdf {
        render::pdf::plan(site, &loaded.strings, edition)
            .into_iter()
            .map(|p| p.file)
            .collect()
    } else {
        Default::default()
    };
    let renderer = render::Renderer::new(
        site,
        tera,
        &loaded.strings,
        edition,
        &loaded.theme,
        planned,
    )
    .served_at(served_at);
    let changes = plan.changes;
    let by_template = if !plan.everything
        && !changes.structure
        && !assets_changed
        && changes.pages.is_empty()
        && !plan.templates.is_empty()
    {
        renderer.render_templates(plan.templates)
    } else {
        None
    };
    let full = plan.everything
        || changes.structure
        || assets_changed
        || (!plan.templates.is_empty() && by_template.is_none());
    let (update, pages, rendered) = if let Some((files, d)) = by_template {
        diagnostics.extend(d);
        let paths: Vec<String> = files.iter().map(|f| f.path.clone()).collect();
        let rendered = files.len();
        let pages = if paths.is_empty() {
            Pages::None
        } else {
            Pages::Some(paths)
        };
        (Update::Pages(files), pages, rendered)
    } else if full {
        let (output, d) = renderer.render(&loaded.theme);
        diagnostics.extend(d);
        let rendered = output.files.iter().filter(|f| f.html).count();
        (Update::Full(output), Pages::All, rendered)
    } else {
        let entries: BTreeSet<EntryId> = site
            .entries
            .iter()
            .enumerate()
            .filter(|(_, e)| {
                std::iter::once(&e.original)
                    .chain(e.translations.values())
                    .any(|p| changes.pages.contains(&p.source.path))
            })
            .map(|(id, _)| id)
            .collect();
        let (files, d) = renderer.render_entries(&entries);
        diagnostics.extend(d);
        let paths: Vec<String> = files.iter().map(|f| f.path.clone()).collect();
        // A picture or form edited in place: pages show it again, nothing to render.
        let touched_content = plan
            .changed
            .iter()
            .any(|p| p.extension().is_none_or(|e| e != "md") && site.assets.contains(p));
        let pages = if !paths.is_empty() {
            Pages::Some(paths)
        } else if touched_content {
            Pages::All
        } else {
            Pages::None
        };
        let rendered = files.len();
        (Update::Pages(files), pages, rendered)
    };
    Rendered {
        update,
        pages,
        rendered,
        used,
    }
}

/// The pages each edition changed, as paths below the server's root: every page when one
/// edition changed every page.
fn merge(parts: Vec<(String, Pages)>) -> Pages {
    let mut paths = Vec::new();
    for (prefix, pages) in parts {
        match pages {
            Pages::All => return Pages::All,
            Pages::Some(some) => paths.extend(some.into_iter().map(|p| format!("{prefix}{p}"))),
            Pages::None => {}
        }
    }
    if paths.is_empty() {
        Pages::None
    } else {
        Pages::Some(paths)
    }
}
