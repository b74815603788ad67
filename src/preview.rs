//! The site in memory, rebuilt as it is edited: what `casebook serve` serves. Nothing is
//! written anywhere.
//!
//! A rebuild parses again only the files whose text changed. When only the text of pages
//! changed (not their front matter, not which pages exist), only those pages are rendered
//! again, in every language, with the print views that hold them; anything else (a page
//! added or renamed, a title, the config, the theme) renders every page. The search index
//! and the PDFs follow in a second step: PDFs whose inputs did not change are not typeset
//! again.

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

/// What a reader's browser gets: the site's files by path (`01-x/index.html`).
#[derive(Debug, Default, Clone)]
pub struct Snapshot {
    pub files: HashMap<String, Served>,
    /// PDF sizes, for the download links.
    pub pdf_sizes: HashMap<String, usize>,
    /// The problems that stop the site from being rebuilt, rendered as casebook prints
    /// them (file, line, the line, a caret, a hint); `None` when it builds.
    pub error: Option<String>,
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
    edition: Edition,
    drafts: bool,
    pdf: bool,
    parses: ParseCache,
    pdfs: PdfCache,
    /// The site as last built, kept for the second step.
    last: Option<Last>,
    snapshot: Snapshot,
}

struct Last {
    loaded: crate::Loaded,
    assets: Vec<PathBuf>,
    /// Those of `assets` the pages of this edition link to or show.
    used: std::collections::BTreeSet<PathBuf>,
}

impl Preview {
    pub fn new(root: &Path, edition: Edition, drafts: bool, pdf: bool) -> Self {
        Preview {
            root: root.to_path_buf(),
            edition,
            drafts,
            pdf,
            parses: ParseCache::default(),
            pdfs: PdfCache::default(),
            last: None,
            snapshot: Snapshot::default(),
        }
    }

    pub fn snapshot(&self) -> &Snapshot {
        &self.snapshot
    }

    /// Rebuilds after `changed` (paths relative to the site root; empty for the first
    /// build). On errors the site served stays as it was, with the errors beside it.
    pub fn rebuild(&mut self, changed: &[PathBuf]) -> Rebuilt {
        let started = Instant::now();
        let mut diagnostics = Vec::new();
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
        let site = &loaded.site;
        // The files beside the content that this edition publishes: a page that starts
        // or stops showing one changes what is served.
        let used = site.used_assets(self.edition);
        let assets_changed = self
            .last
            .as_ref()
            .is_none_or(|last| last.assets != site.assets || last.used != used);
        // Which PDFs the pages link to: those planned, whether made yet or not.
        let planned: std::collections::HashSet<String> = if self.pdf {
            render::pdf::plan(site, &loaded.strings, self.edition)
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
            self.edition,
            &loaded.theme,
            planned,
        );
        let by_template = if !everything
            && !changes.structure
            && !assets_changed
            && changes.pages.is_empty()
            && !templates.is_empty()
        {
            renderer.render_templates(&templates)
        } else {
            None
        };
        let full = everything
            || changes.structure
            || assets_changed
            || (!templates.is_empty() && by_template.is_none());
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
            let touched_content = changed
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
        if diagnostics.iter().any(Diagnostic::is_error) {
            return self.failed(diagnostics, started);
        }
        let (_, warnings) = crate::diag::counts(&diagnostics);
        let had_error = self.snapshot.error.take().is_some();
        match update {
            Update::Full(output) => {
                let mut files: HashMap<String, Served> = output
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
                    files.insert(to, Served::Content(self.root.join(from)));
                }
                // The search index and PDFs of the last build stay until the second step
                // replaces them.
                for (path, file) in self.snapshot.files.drain() {
                    if path.starts_with(render::search::BUNDLE) || path.starts_with("pdf/") {
                        files.entry(path).or_insert(file);
                    }
                }
                // Always there, in case an edit adds code to a page.
                files.insert(
                    "assets/highlight.css".into(),
                    Served::Made {
                        bytes: Arc::new(render::highlight::stylesheet().into_bytes()),
                        html: false,
                    },
                );
                self.snapshot.files = files;
            }
            Update::Pages(pages) => {
                for f in pages {
                    self.snapshot.files.insert(
                        f.path,
                        Served::Made {
                            bytes: Arc::new(f.bytes),
                            html: f.html,
                        },
                    );
                }
            }
        }
        let pages = if had_error { Pages::All } else { pages };
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
        if pages != Pages::None {
            self.snapshot.version += 1;
        }
        self.last = Some(Last {
            assets: loaded.site.assets.clone(),
            used,
            loaded,
        });
        Rebuilt {
            pages,
            rendered,
            elapsed: started.elapsed(),
            errors: 0,
            warnings,
            drafts,
        }
    }

    /// The second step: the search index over every page, and the PDFs (those whose
    /// inputs changed are typeset again).
    pub fn finish(&mut self) -> Finished {
        let mut done = Finished::default();
        let Some(last) = &self.last else {
            return done;
        };
        if self.snapshot.error.is_some() {
            return done;
        }
        let started = Instant::now();
        let pages: Vec<OutFile> = self
            .snapshot
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
        let across = render::search::Across::of(&last.loaded.site, self.edition);
        let (index, problems) = crate::build::index(render::search::Pages::of(&pages, &across));
        done.diagnostics.extend(problems);
        self.snapshot
            .files
            .retain(|p, _| !p.starts_with(render::search::BUNDLE));
        for f in index.files {
            self.snapshot.files.insert(
                f.path,
                Served::Made {
                    bytes: Arc::new(f.bytes),
                    html: false,
                },
            );
        }
        done.search = started.elapsed();
        if self.pdf {
            let started = Instant::now();
            let loaded = &last.loaded;
            let plans = crate::build::plan_pdfs(loaded, self.edition, true);
            done.pdfs_total = plans.len();
            let (made, problems) =
                crate::build::typeset(&self.root, loaded, plans, Some(&self.pdfs));
            done.diagnostics.extend(problems);
            done.pdfs_typeset = self.pdfs.typeset.load(std::sync::atomic::Ordering::Relaxed);
            for m in made {
                self.snapshot
                    .pdf_sizes
                    .insert(m.plan.file.clone(), m.bytes.len());
                self.snapshot.files.insert(
                    m.plan.file,
                    Served::Made {
                        bytes: Arc::new(m.bytes),
                        html: false,
                    },
                );
            }
            done.pdf_time = started.elapsed();
        }
        // An error here stops a build: the preview shows it as it shows any other.
        crate::diag::sort(&mut done.diagnostics);
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
        }
    }

    /// The diagnostics of the last failed rebuild, for the terminal.
    pub fn error(&self) -> Option<&str> {
        self.snapshot.error.as_deref()
    }
}
