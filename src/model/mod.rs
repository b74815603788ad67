//! Model: parsed pages → the curriculum ([`Site`]): the programme, workshops and their
//! lessons in order, fact patterns tied to their workshops, the toolkit and its directory,
//! each page with its translations; every link and image resolved to its target, or
//! reported with file and line.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::diag::{Diagnostic, did_you_mean, display_path};
use crate::discover::{CURRICULUM, FACT_PATTERNS, INDEX, Role, TOOLKIT};
use crate::parse::referrals::Referral;
use crate::parse::{Answers, Audience, ParsedPage};

mod links;

use links::{normalize, percent_decode, resolve_links};

pub type EntryId = usize;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Programme,
    Workshop,
    Lesson,
    ToolkitIndex,
    Tool,
    FactPattern,
}

/// One page of the curriculum in all its languages.
#[derive(Debug, Clone)]
pub struct Entry {
    pub kind: Kind,
    /// The original's path without `.md`, e.g. `curriculum/01-case-screening/01-first-contact`.
    pub key: String,
    /// Where the page lives below a language's root, e.g. `01-case-screening/01-first-contact/`.
    pub url: String,
    pub original: ParsedPage,
    pub translations: BTreeMap<String, ParsedPage>,
    /// A lesson's or fact pattern's workshop.
    pub workshop: Option<EntryId>,
    /// Only trainers read it (`audience: trainer` on the page or its workshop): the mentee
    /// edition leaves it out entirely ([`Site::edition`]).
    pub trainer_only: bool,
}

impl Entry {
    /// The page in `lang`, and whether it really is in that language (or fell back).
    pub fn variant(&self, lang: &str) -> (&ParsedPage, bool) {
        match self.translations.get(lang) {
            Some(page) => (page, true),
            None => (&self.original, false),
        }
    }

    pub fn answers(&self) -> Answers {
        self.original.meta.answers.unwrap_or_default()
    }
}

/// A workshop (or the toolkit): its `_index.md` and its pages in order.
#[derive(Debug, Clone)]
pub struct Section {
    pub entry: EntryId,
    pub folder: String,
    pub pages: Vec<EntryId>,
    pub fact_patterns: Vec<EntryId>,
}

/// What a link points to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// Another page (in the reader's language, unless `lang` forces one).
    Page {
        id: EntryId,
        anchor: Option<String>,
        lang: Option<String>,
    },
    /// A heading on the same page.
    Anchor(String),
    /// A file copied into the output, by its path relative to the site root.
    Asset {
        path: PathBuf,
        anchor: Option<String>,
    },
    /// The referral directory page.
    Directory,
    /// A web address, email or phone link: left as written.
    External,
}

#[derive(Debug, Clone)]
pub struct Site {
    pub config: Config,
    pub entries: Vec<Entry>,
    pub programme: EntryId,
    pub workshops: Vec<Section>,
    pub toolkit: Option<Section>,
    pub fact_patterns: Vec<EntryId>,
    pub referrals: Vec<Referral>,
    /// Every file beside the content (pictures, forms); a build publishes those its pages
    /// use ([`Site::used_assets`]).
    pub assets: Vec<PathBuf>,
    /// Those that draft pages left out of this build link to.
    pub draft_assets: HashSet<PathBuf>,
    /// Source file → destination as written → target; read with [`Site::target`].
    links: HashMap<PathBuf, HashMap<String, Target>>,
    /// Programme, then each workshop, its lessons and its fact patterns, then the toolkit.
    pub reading_order: Vec<EntryId>,
}

impl Site {
    /// What a link or image written as `dest` in the file `from` points to.
    pub fn target(&self, from: &Path, dest: &str) -> Option<&Target> {
        self.links.get(from)?.get(dest)
    }

    /// The files beside the content that pages of `edition` link to or show: what a build
    /// of that edition publishes of them. A picture shown only in a trainer note is not in
    /// the mentee edition, nor an attachment of a draft left out.
    pub fn used_assets(&self, edition: crate::config::Edition) -> std::collections::BTreeSet<PathBuf> {
        let mut used = std::collections::BTreeSet::new();
        for entry in &self.entries {
            let answers = entry.answers();
            for page in std::iter::once(&entry.original).chain(entry.translations.values()) {
                for reference in &page.doc.references {
                    if reference.visibility.hidden(edition, answers) {
                        continue;
                    }
                    if let Some(Target::Asset { path, .. }) =
                        self.target(&page.source.path, &reference.dest)
                    {
                        used.insert(path.clone());
                    }
                }
            }
        }
        used
    }

    /// The site as a build of `edition` publishes it: for the mentee edition, without the
    /// pages only trainers read (`audience: trainer`), so that nothing renders, lists,
    /// indexes, links to, copies or prints them. Borrowed when nothing is left out.
    pub fn edition(&self, edition: crate::config::Edition) -> std::borrow::Cow<'_, Site> {
        use std::borrow::Cow;
        if edition == crate::config::Edition::Trainer || !self.entries.iter().any(|e| e.trainer_only) {
            return Cow::Borrowed(self);
        }
        // Each kept entry's new id.
        let mut ids: Vec<Option<EntryId>> = Vec::with_capacity(self.entries.len());
        let mut kept = 0;
        for entry in &self.entries {
            ids.push((!entry.trainer_only).then(|| {
                kept += 1;
                kept - 1
            }));
        }
        let map = |id: &EntryId| ids[*id];
        let left_out: HashSet<&Path> = self
            .entries
            .iter()
            .filter(|e| e.trainer_only)
            .flat_map(|e| std::iter::once(&e.original).chain(e.translations.values()))
            .map(|p| p.source.path.as_path())
            .collect();
        let section = |s: &Section| -> Option<Section> {
            Some(Section {
                entry: map(&s.entry)?,
                folder: s.folder.clone(),
                pages: s.pages.iter().filter_map(map).collect(),
                fact_patterns: s.fact_patterns.iter().filter_map(map).collect(),
            })
        };
        let links = self
            .links
            .iter()
            .filter(|(from, _)| !left_out.contains(from.as_path()))
            .map(|(from, targets)| {
                let targets = targets
                    .iter()
                    .filter_map(|(dest, target)| {
                        let target = match target {
                            // A link to a page left out stands where mentees do not read it.
                            Target::Page { id, anchor, lang } => Target::Page {
                                id: map(id)?,
                                anchor: anchor.clone(),
                                lang: lang.clone(),
                            },
                            other => other.clone(),
                        };
                        Some((dest.clone(), target))
                    })
                    .collect();
                (from.clone(), targets)
            })
            .collect();
        Cow::Owned(Site {
            config: self.config.clone(),
            entries: self
                .entries
                .iter()
                .filter(|e| !e.trainer_only)
                .map(|e| Entry {
                    workshop: e.workshop.as_ref().and_then(map),
                    ..e.clone()
                })
                .collect(),
            programme: ids[self.programme].expect("the programme is read by everyone"),
            workshops: self.workshops.iter().filter_map(section).collect(),
            toolkit: self.toolkit.as_ref().and_then(section),
            fact_patterns: self.fact_patterns.iter().filter_map(map).collect(),
            referrals: self.referrals.clone(),
            assets: self.assets.clone(),
            draft_assets: self.draft_assets.clone(),
            links,
            reading_order: self.reading_order.iter().filter_map(map).collect(),
        })
    }

    pub fn workshop_of(&self, id: EntryId) -> Option<&Section> {
        self.workshops.iter().find(|w| w.entry == id)
    }
}

pub struct Input {
    pub config: Config,
    pub pages: Vec<ParsedPage>,
    pub referrals: Vec<Referral>,
    pub assets: Vec<PathBuf>,
    pub drafts: bool,
    /// Keys of pages that exist but could not be parsed (their errors are already reported):
    /// links to them are not reported again.
    pub broken: HashSet<String>,
    /// The Markdown of those pages, where it could be read: their links are checked too.
    pub unplaced: Vec<(crate::discover::SourcePage, crate::parse::Document)>,
}

/// Ties parsed pages into a [`Site`]. `None` when no site can be made (no programme page).
pub fn build(root: &Path, input: Input, diagnostics: &mut Vec<Diagnostic>) -> Option<Site> {
    let Input {
        config,
        pages,
        referrals,
        assets,
        drafts,
        broken,
        unplaced,
    } = input;
    let default_lang = config.default_language.clone();

    // Originals first, so translations find them.
    let (mut originals, translations): (Vec<ParsedPage>, Vec<ParsedPage>) =
        pages.into_iter().partition(|p| p.source.lang.is_none());
    originals.sort_by(|a, b| a.source.path.cmp(&b.source.path));

    let mut draft_keys: HashSet<String> = HashSet::new();
    let mut draft_assets: HashSet<PathBuf> = HashSet::new();
    let mut entries: Vec<Entry> = Vec::new();
    let mut by_key: HashMap<String, EntryId> = HashMap::new();
    let mut draft_workshops: HashSet<String> = HashSet::new();
    for page in &originals {
        if let Role::WorkshopIndex { folder } = &page.source.role
            && page.meta.draft
            && !drafts
        {
            draft_workshops.insert(folder.clone());
        }
    }
    for page in originals {
        let key = key_of(&page.source.path);
        let excluded = !drafts
            && (page.meta.draft
                || matches!(&page.source.role, Role::Lesson { folder, .. } if draft_workshops.contains(folder)));
        if excluded {
            draft_keys.insert(key);
            draft_assets.extend(files_linked(&page, &assets));
            continue;
        }
        let (kind, url) = match &page.source.role {
            Role::Programme => (Kind::Programme, String::new()),
            Role::WorkshopIndex { folder } => (Kind::Workshop, format!("{folder}/")),
            Role::Lesson { folder, name } => (Kind::Lesson, format!("{folder}/{name}/")),
            Role::ToolkitIndex => (Kind::ToolkitIndex, format!("{TOOLKIT}/")),
            Role::Tool { name } => (Kind::Tool, format!("{TOOLKIT}/{name}/")),
            Role::FactPattern { name } => (Kind::FactPattern, format!("{FACT_PATTERNS}/{name}/")),
        };
        by_key.insert(key.clone(), entries.len());
        entries.push(Entry {
            kind,
            key,
            url,
            original: page,
            translations: BTreeMap::new(),
            workshop: None,
            trainer_only: false,
        });
    }
    for page in translations {
        let key = key_of(&page.source.path);
        let lang = page
            .source
            .lang
            .clone()
            .expect("translations have a language");
        match by_key.get(&key) {
            Some(&id) => {
                if page.meta.draft && !drafts {
                    draft_assets.extend(files_linked(&page, &assets));
                    continue;
                }
                entries[id].translations.insert(lang, page);
            }
            // A draft's translation is left out with it; an original that could not be
            // parsed has had its errors reported already.
            None if draft_keys.contains(&key) || broken.contains(&key) => {}
            None => {
                let original = format!(
                    "{}.md",
                    Path::new(&key)
                        .file_name()
                        .map(|f| f.to_string_lossy().into_owned())
                        .unwrap_or_default()
                );
                diagnostics.push(
                    Diagnostic::error(format!("`{}` translates `{original}`, which does not exist", display_path(&page.source.path)))
                        .at(&page.source.path, 1, 1)
                        .hint(format!("a translation sits beside its {default_lang} original: add `{original}`, or fix the file name")),
                );
            }
        }
    }

    let Some(&programme) = by_key.get(&format!("{CURRICULUM}/{INDEX}")) else {
        if broken.contains(&format!("{CURRICULUM}/{INDEX}")) {
            // Its own errors say what is wrong with it.
            return None;
        }
        diagnostics.push(
            Diagnostic::error(format!("the programme page `{CURRICULUM}/{INDEX}.md` is missing"))
                .hint("create it with a title and an overview of the programme, e.g.\n---\ntitle: Case Handling for Union Leaders\n---"),
        );
        return None;
    };

    // Workshops and the toolkit, with their pages.
    let mut sections: BTreeMap<String, Section> = BTreeMap::new();
    for (id, entry) in entries.iter().enumerate() {
        // A workshop's or the toolkit's own page is its entry; the others are its pages.
        let folder = match &entry.original.source.role {
            Role::WorkshopIndex { folder } | Role::Lesson { folder, .. } => folder.clone(),
            _ if matches!(entry.kind, Kind::ToolkitIndex | Kind::Tool) => TOOLKIT.to_string(),
            _ => continue,
        };
        let section = sections.entry(folder.clone()).or_insert_with(|| Section {
            entry: usize::MAX,
            folder,
            pages: vec![],
            fact_patterns: vec![],
        });
        if matches!(entry.kind, Kind::Workshop | Kind::ToolkitIndex) {
            section.entry = id
        } else {
            section.pages.push(id)
        }
    }
    let mut workshops = Vec::new();
    let mut toolkit = None;
    for (folder, mut section) in sections {
        if section.entry == usize::MAX {
            if broken.contains(&format!("{CURRICULUM}/{folder}/{INDEX}")) {
                // The folder's `_index.md` is there; its own errors are reported.
                continue;
            }
            let first = &entries[section.pages[0]].original.source.path;
            diagnostics.push(
                Diagnostic::error(format!("the folder `{CURRICULUM}/{folder}/` has pages but no `{INDEX}.md`"))
                    .in_file(first.clone())
                    .hint(format!("add `{CURRICULUM}/{folder}/{INDEX}.md` with the workshop's title, session and objectives")),
            );
            continue;
        }
        section
            .pages
            .sort_by(|&a, &b| order_key(&entries[a]).cmp(&order_key(&entries[b])));
        for &page in &section.pages {
            entries[page].workshop = Some(section.entry);
        }
        if folder == TOOLKIT {
            toolkit = Some(section)
        } else {
            workshops.push(section)
        }
    }
    workshops.sort_by_key(|w| {
        (
            entries[w.entry].original.meta.session.unwrap_or(i64::MAX),
            w.folder.clone(),
        )
    });
    let mut sessions: HashMap<i64, &str> = HashMap::new();
    for w in &workshops {
        if let Some(n) = entries[w.entry].original.meta.session
            && let Some(other) = sessions.insert(n, &w.folder)
        {
            diagnostics.push(
                Diagnostic::warning(format!(
                    "sessions `{other}` and `{}` both have session number {n}",
                    w.folder
                ))
                .in_file(entries[w.entry].original.source.path.clone())
                .hint(
                    "give each workshop its own `session` number, so the schedule reads in order",
                ),
            );
        }
    }

    // Fact patterns and their workshops.
    let mut fact_patterns: Vec<EntryId> = entries
        .iter()
        .enumerate()
        .filter(|(_, e)| e.kind == Kind::FactPattern)
        .map(|(i, _)| i)
        .collect();
    let folders: Vec<String> = workshops.iter().map(|w| w.folder.clone()).collect();
    for &id in &fact_patterns {
        let Some((folder, line, col)) = entries[id].original.meta.workshop.clone() else {
            continue;
        };
        match workshops.iter_mut().find(|w| w.folder == folder) {
            Some(w) => {
                w.fact_patterns.push(id);
                entries[id].workshop = Some(w.entry);
            }
            None if draft_workshops.contains(&folder)
                || broken.contains(&format!("{CURRICULUM}/{folder}/{INDEX}")) => {}
            None => {
                let hint = match did_you_mean(&folder, folders.iter().map(String::as_str)) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!(
                        "`workshop` names a folder in `{CURRICULUM}/`: {}",
                        folders
                            .iter()
                            .map(|f| format!("`{f}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                };
                diagnostics.push(
                    Diagnostic::error(format!("there is no workshop `{folder}`"))
                        .at(entries[id].original.source.path.clone(), line, col)
                        .width(folder.chars().count())
                        .hint(hint),
                );
            }
        }
    }
    let level_rank = |e: &Entry| e.original.meta.level.map(|l| l as usize).unwrap_or(9);
    fact_patterns.sort_by(|&a, &b| {
        (
            level_rank(&entries[a]),
            entries[a].original.meta.title.to_lowercase(),
        )
            .cmp(&(
                level_rank(&entries[b]),
                entries[b].original.meta.title.to_lowercase(),
            ))
    });
    for w in &mut workshops {
        w.fact_patterns.sort_by(|&a, &b| {
            (level_rank(&entries[a]), entries[a].key.clone())
                .cmp(&(level_rank(&entries[b]), entries[b].key.clone()))
        });
    }

    // Pages only trainers read: marked so, or in a workshop marked so.
    for id in 0..entries.len() {
        let own = entries[id].original.meta.audience == Audience::Trainer;
        let workshop = entries[id]
            .workshop
            .is_some_and(|w| entries[w].original.meta.audience == Audience::Trainer);
        entries[id].trainer_only = own || workshop;
    }

    let mut reading_order = vec![programme];
    for w in &workshops {
        reading_order.push(w.entry);
        reading_order.extend(&w.pages);
        reading_order.extend(&w.fact_patterns);
    }
    if let Some(t) = &toolkit {
        reading_order.push(t.entry);
        reading_order.extend(&t.pages);
    }

    let mut site = Site {
        config,
        entries,
        programme,
        workshops,
        toolkit,
        fact_patterns,
        referrals,
        assets,
        draft_assets,
        links: HashMap::new(),
        reading_order,
    };
    resolve_links(
        root,
        &mut site,
        &by_key,
        &draft_keys,
        &broken,
        &unplaced,
        diagnostics,
    );
    Some(site)
}

/// The files of `assets` that `page` links to or shows, by their paths as written.
fn files_linked(page: &ParsedPage, assets: &[PathBuf]) -> Vec<PathBuf> {
    let base = page.source.path.parent().unwrap_or(Path::new(""));
    page.doc
        .references
        .iter()
        .filter_map(|r| {
            let path = r.dest.split(['#', '?']).next().unwrap_or_default();
            normalize(&base.join(percent_decode(path)))
        })
        .filter(|path| assets.contains(path))
        .collect()
}

/// Lessons and tools: those with a `weight` first, by weight; then the rest; file name breaks ties.
fn order_key(entry: &Entry) -> (bool, i64, String) {
    let weight = entry.original.meta.weight;
    (weight.is_none(), weight.unwrap_or(0), entry.key.clone())
}

/// `curriculum/01-x/01-y.id.md` → `curriculum/01-x/01-y`.
pub fn key_of(path: &Path) -> String {
    let shown = display_path(path);
    let stem = shown.strip_suffix(".md").unwrap_or(&shown);
    match stem.rsplit_once('.') {
        Some((name, lang)) if crate::config::is_language_code(lang) && !name.ends_with('/') => {
            name.to_string()
        }
        _ => stem.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_drop_language_and_extension() {
        assert_eq!(
            key_of(Path::new("fact-patterns/agency-fees.id.md")),
            "fact-patterns/agency-fees"
        );
        assert_eq!(
            key_of(Path::new("curriculum/_index.md")),
            "curriculum/_index"
        );
    }
}
