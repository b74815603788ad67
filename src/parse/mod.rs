//! Parse: source pages → [`ParsedPage`]s (typed front matter + Markdown document), in
//! parallel, every problem reported with its file and line. Also the edition filter that
//! every renderer goes through.

mod depth;
mod document;
mod fences;
mod headings;
pub mod hours;
pub mod html;
pub mod markdown;
pub mod meta;
mod positions;
mod reader;
pub mod referrals;

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::Edition;
use crate::diag::Diagnostic;
use crate::discover::SourcePage;
pub use markdown::{BlockKind, Document, Footnote, Heading, Node, Reference, Visibility};
pub use meta::{Answers, Audience, Level, Meta, TranslationStatus};

#[derive(Debug, Clone)]
pub struct ParsedPage {
    pub source: SourcePage,
    pub meta: Meta,
    pub doc: Document,
    /// A fingerprint of the page's text, for telling when a translation went stale.
    pub text_hash: String,
}

/// Reads and parses every page. Pages with errors are left out; their diagnostics are returned.
pub fn parse_all(root: &Path, pages: &[SourcePage]) -> (Vec<ParsedPage>, Vec<Diagnostic>) {
    let results: Vec<(Option<ParsedPage>, Vec<Diagnostic>)> = pages
        .par_iter()
        .with_max_len(1)
        .map(|page| parse_page(root, page))
        .collect();
    let mut parsed = Vec::new();
    let mut diagnostics = Vec::new();
    for (page, diags) in results {
        parsed.extend(page);
        diagnostics.extend(diags);
    }
    (parsed, diagnostics)
}

/// Parsed pages kept between builds by `serve`: a file whose text has not changed is not
/// parsed again.
#[derive(Default)]
pub struct ParseCache {
    pages: std::sync::Mutex<std::collections::HashMap<PathBuf, Cached>>,
}

#[derive(Clone)]
struct Cached {
    text_hash: String,
    /// The front matter as parsed, to tell an edit of the text from one that moves or
    /// renames the page.
    meta: String,
    page: Option<ParsedPage>,
    diagnostics: Vec<Diagnostic>,
}

/// What changed since the cache's last build.
#[derive(Debug, Default, Clone)]
pub struct Changes {
    /// Pages whose text changed, appeared or disappeared.
    pub pages: std::collections::BTreeSet<PathBuf>,
    /// Something that other pages show changed too: a page came or went, or front matter
    /// (titles, order, links between workshops) changed.
    pub structure: bool,
}

/// [`parse_all`], reusing what `cache` holds for unchanged files, and saying what changed.
pub fn parse_all_cached(
    root: &Path,
    pages: &[SourcePage],
    cache: &ParseCache,
) -> (Vec<ParsedPage>, Vec<Diagnostic>, Changes) {
    let old = std::mem::take(&mut *cache.pages.lock().expect("parse cache lock"));
    let results: Vec<(PathBuf, Cached)> = pages
        .par_iter()
        .map(|page| {
            let text = match crate::source::read_text(&root.join(&page.path), &page.path) {
                Ok(text) => text,
                Err(d) => {
                    let cached = Cached {
                        text_hash: String::new(),
                        meta: String::new(),
                        page: None,
                        diagnostics: vec![d],
                    };
                    return (page.path.clone(), cached);
                }
            };
            let text_hash = fingerprint(&text);
            if let Some(hit) = old.get(&page.path).filter(|c| c.text_hash == text_hash) {
                return (page.path.clone(), hit.clone());
            }
            let mut diagnostics = Vec::new();
            let parsed = parse_text(&text, page, &mut diagnostics);
            let meta = parsed
                .as_ref()
                .map(|p| format!("{:?}", p.meta))
                .unwrap_or_default();
            (
                page.path.clone(),
                Cached {
                    text_hash,
                    meta,
                    page: parsed,
                    diagnostics,
                },
            )
        })
        .collect();
    let mut changes = Changes::default();
    let mut parsed = Vec::new();
    let mut diagnostics = Vec::new();
    let mut new = std::collections::HashMap::new();
    for (path, cached) in results {
        match old.get(&path) {
            Some(before) if before.text_hash == cached.text_hash => {}
            Some(before) => {
                changes.pages.insert(path.clone());
                changes.structure |=
                    before.meta != cached.meta || before.page.is_none() != cached.page.is_none();
            }
            None => {
                changes.pages.insert(path.clone());
                changes.structure = true;
            }
        }
        parsed.extend(cached.page.clone());
        diagnostics.extend(cached.diagnostics.iter().cloned());
        new.insert(path, cached);
    }
    for path in old.keys().filter(|p| !new.contains_key(*p)) {
        changes.pages.insert(path.clone());
        changes.structure = true;
    }
    *cache.pages.lock().expect("parse cache lock") = new;
    (parsed, diagnostics, changes)
}

pub fn parse_page(root: &Path, page: &SourcePage) -> (Option<ParsedPage>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let text = match crate::source::read_text(&root.join(&page.path), &page.path) {
        Ok(text) => text,
        Err(d) => return (None, vec![d]),
    };
    let parsed = parse_text(&text, page, &mut diagnostics);
    (parsed, diagnostics)
}

pub fn parse_text(
    text: &str,
    page: &SourcePage,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<ParsedPage> {
    let split = match meta::split(text, &page.path) {
        Ok(split) => split,
        Err(d) => {
            diagnostics.push(d);
            return None;
        }
    };
    let meta = meta::read(
        split.yaml,
        split.yaml_offset,
        &page.path,
        &page.role,
        page.lang.is_some(),
        diagnostics,
    );
    let errors_before = diagnostics.iter().filter(|d| d.is_error()).count();
    let doc = markdown::parse(split.body, split.body_offset, &page.path, diagnostics);
    let body_ok = diagnostics.iter().filter(|d| d.is_error()).count() == errors_before;
    let meta = meta?;
    body_ok.then(|| ParsedPage {
        source: page.clone(),
        meta,
        doc,
        text_hash: fingerprint(text),
    })
}

/// The Markdown of a page whose front matter has errors, so its links can be checked in
/// the same build: `None` when even its body cannot be read. A page with no front matter
/// at all (as other tools write them) is all body. Its diagnostics were reported when it
/// was parsed, so none are returned.
pub fn body_only(root: &Path, page: &SourcePage) -> Option<Document> {
    let text = crate::source::read_text(&root.join(&page.path), &page.path).ok()?;
    let (body, line_offset) = match meta::split(&text, &page.path) {
        Ok(split) => (split.body, split.body_offset),
        Err(_) if !text.starts_with("---") => (text.as_str(), 0),
        Err(_) => return None,
    };
    let mut ignored = Vec::new();
    let doc = markdown::parse(body, line_offset, &page.path, &mut ignored);
    (!ignored.iter().any(Diagnostic::is_error)).then_some(doc)
}

/// A short, stable fingerprint of a text (FNV-1a, 64 bits, as 16 hex digits).
pub fn fingerprint(text: impl AsRef<[u8]>) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in text.as_ref() {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}")
}

/// The nodes a reader of `edition` may see: in the mentee edition, `::: trainer` blocks are
/// dropped whole, and so are `::: answer` blocks of fact patterns whose answers are for
/// trainers only. Every renderer (HTML, search, PDF) takes its nodes from here.
pub fn visible(doc: &Document, edition: Edition, answers: Answers) -> Vec<&Node> {
    shown(doc, edition, answers, false)
}

/// The nodes a handout that shows no answer prints for `edition`: as [`visible`], but each
/// `::: answer` left out (kept for trainers, or inside a trainer block) stays as an empty
/// answer block, its opening and closing nodes with nothing between, so that the handout
/// leaves room to write under the question as it does for every other answer. Only for a
/// writer that turns every answer block into blank space: it must not print the block's
/// title.
pub fn visible_with_answer_room(doc: &Document, edition: Edition, answers: Answers) -> Vec<&Node> {
    shown(doc, edition, answers, true)
}

fn shown(doc: &Document, edition: Edition, answers: Answers, answer_room: bool) -> Vec<&Node> {
    let hidden = |kind: BlockKind| {
        edition == Edition::Mentee
            && (kind == BlockKind::Trainer
                || (kind == BlockKind::Answer && answers == Answers::Trainer))
    };
    let mut out = Vec::with_capacity(doc.nodes.len());
    // One per block open in what is left out: whether it is an answer kept as room to write.
    let mut left_out: Vec<bool> = Vec::new();
    for node in &doc.nodes {
        match node {
            Node::Open { kind, .. } if !left_out.is_empty() || hidden(*kind) => {
                let room = answer_room && *kind == BlockKind::Answer && !left_out.contains(&true);
                if room {
                    out.push(node);
                }
                left_out.push(room);
                continue;
            }
            Node::Close(_) if !left_out.is_empty() => {
                if left_out.pop() == Some(true) {
                    out.push(node);
                }
                continue;
            }
            _ if !left_out.is_empty() => continue,
            _ => {}
        }
        out.push(node);
    }
    out
}
