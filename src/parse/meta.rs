//! Front matter: split it from the body, and read it into a typed [`Meta`] with the keys
//! allowed for the page's role (workshop, lesson, fact pattern…), every problem reported at
//! its line in the file.

use std::path::Path;

use crate::diag::Diagnostic;
use crate::discover::Role;
use crate::schema::YamlReader;
use crate::values::{Date, Minutes, Period};
use crate::yaml;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Foundation,
    Intermediate,
    Advanced,
}

impl Level {
    pub const NAMES: [&'static str; 3] = ["foundation", "intermediate", "advanced"];

    pub fn name(self) -> &'static str {
        Level::NAMES[self as usize]
    }
}

/// Where a fact pattern's model answers may appear.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Answers {
    /// Collapsed behind "Show model answer" in the mentee edition.
    #[default]
    Reveal,
    /// Only in the trainer edition.
    Trainer,
}

/// Who reads a page: everyone (both editions), or trainers only (`audience: trainer`: the
/// page, or a workshop with all its lessons and fact patterns, is in the trainer edition
/// alone).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Audience {
    #[default]
    Everyone,
    Trainer,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TranslationStatus {
    NeedsReview,
    Reviewed,
}

/// Everything front matter can say. Which keys are allowed depends on the page's role.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Meta {
    pub title: String,
    pub summary: Option<String>,
    pub session: Option<i64>,
    pub date: Option<Date>,
    pub duration: Option<Minutes>,
    pub objectives: Vec<String>,
    pub prerequisites: Vec<String>,
    pub reviewed: Option<Date>,
    pub review_every: Option<Period>,
    pub sources: Vec<String>,
    pub draft: bool,
    pub audience: Audience,
    pub weight: Option<i64>,
    pub topics: Vec<String>,
    pub level: Option<Level>,
    /// The fact pattern's workshop folder, with the line and column it was written at.
    pub workshop: Option<(String, usize, usize)>,
    pub time: Option<Minutes>,
    pub answers: Option<Answers>,
    pub translation_status: Option<TranslationStatus>,
    pub source_hash: Option<String>,
    /// Each key as written, with its line in the file: where `check` points at a value.
    pub key_lines: Vec<(String, usize)>,
}

impl Meta {
    /// The line of `key` in the file (the front matter's first line when it is not there).
    pub fn line_of(&self, key: &str) -> usize {
        self.key_lines
            .iter()
            .find(|(k, _)| k == key)
            .map_or(1, |(_, line)| *line)
    }
}

const PROGRAMME: &[&str] = &[
    "title",
    "summary",
    "reviewed",
    "review_every",
    "sources",
    "draft",
    "audience",
];
const WORKSHOP: &[&str] = &[
    "title",
    "summary",
    "session",
    "date",
    "duration",
    "objectives",
    "prerequisites",
    "reviewed",
    "review_every",
    "sources",
    "draft",
    "audience",
];
const LESSON: &[&str] = &[
    "title",
    "weight",
    "duration",
    "reviewed",
    "review_every",
    "sources",
    "draft",
    "audience",
];
const FACT_PATTERN: &[&str] = &[
    "title",
    "topics",
    "level",
    "workshop",
    "time",
    "reviewed",
    "review_every",
    "sources",
    "draft",
    "answers",
    "audience",
];
const TRANSLATION: &[&str] = &["translation_status", "source_hash"];

/// The keys a page in this role may carry.
pub fn allowed_keys(role: &Role, translation: bool) -> Vec<&'static str> {
    let mut keys: Vec<&'static str> = match role {
        Role::Programme => PROGRAMME.to_vec(),
        Role::WorkshopIndex { .. } => WORKSHOP.to_vec(),
        Role::ToolkitIndex => WORKSHOP.to_vec(),
        Role::Lesson { .. } | Role::Tool { .. } => LESSON.to_vec(),
        Role::FactPattern { .. } => FACT_PATTERN.to_vec(),
    };
    if translation {
        keys.extend_from_slice(TRANSLATION);
    }
    keys
}

/// The front matter text, the line its YAML starts on, and the body with the line it starts on.
pub struct Split<'a> {
    pub yaml: &'a str,
    /// Line number (1-based) of the first line of YAML, minus one: add it to YAML line numbers.
    pub yaml_offset: usize,
    pub body: &'a str,
    /// Line number (1-based) of the body's first line, minus one.
    pub body_offset: usize,
}

/// Splits `---` front matter from the body. A page must start with front matter.
pub fn split<'a>(text: &'a str, file: &Path) -> Result<Split<'a>, Diagnostic> {
    if text.trim().is_empty() {
        return Err(Diagnostic::error("the page is empty")
            .at(file, 1, 1)
            .hint("start it with front matter, e.g.\n---\ntitle: First contact\n---"));
    }
    let first_line = text.lines().next().unwrap_or_default();
    if first_line.trim_end() != "---" {
        let hint = match dash_lookalike(first_line) {
            Some(hint) => hint,
            None => "start the file with a line `---`, then `title: …`, then another `---` line"
                .to_string(),
        };
        return Err(
            Diagnostic::error("the page does not start with front matter")
                .at(file, 1, 1)
                .hint(hint),
        );
    }
    let after_open = first_line.len() + 1;
    let rest = text.get(after_open..).unwrap_or_default();
    let mut offset = 0;
    let mut lookalike = None;
    for (index, line) in rest.split('\n').enumerate() {
        if line.trim_end() == "---" {
            let yaml = &rest[..offset];
            let body_start = (offset + line.len() + 1).min(rest.len());
            return Ok(Split {
                yaml,
                yaml_offset: 1,
                body: &rest[body_start..],
                body_offset: index + 2,
            });
        }
        if lookalike.is_none() {
            lookalike = dash_lookalike(line).map(|hint| (index + 2, hint));
        }
        offset += line.len() + 1;
    }
    let d = Diagnostic::error("the front matter is never closed");
    Err(match lookalike {
        Some((line, hint)) => d.at(file, line, 1).hint(hint),
        None => d
            .at(file, 1, 1)
            .width(3)
            .hint("add a line `---` after the last front matter key, before the page text"),
    })
}

/// A hint for a line that looks like `---` but is not: a dash that Word made of three
/// hyphens, two or four hyphens, or hyphens with spaces between or before them.
fn dash_lookalike(line: &str) -> Option<String> {
    let trimmed = line.trim();
    let dashes = (1..=10).contains(&trimmed.chars().count())
        && trimmed
            .chars()
            .all(|c| matches!(c, '-' | '‐' | '‑' | '‒' | '–' | '—' | '―' | '−' | ' '));
    if !dashes || line.trim_end() == "---" {
        return None;
    }
    let word = if trimmed.chars().any(|c| c != '-' && c != ' ') {
        "a long dash, which Word and some editors make of `---` as you type"
    } else {
        "not exactly three hyphens at the start of the line"
    };
    Some(format!(
        "this line, `{trimmed}`, is {word}: front matter starts and ends with a line of three hyphens, `---`"
    ))
}

/// Reads front matter for a page in `role`. Returns `None` when the page cannot be built.
pub fn read(
    yaml_text: &str,
    yaml_offset: usize,
    file: &Path,
    role: &Role,
    translation: bool,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Meta> {
    let tree = match yaml::parse(yaml_text) {
        Ok(tree) => tree,
        Err(e) => {
            diagnostics.push(e.diagnostic(file, yaml_offset));
            return None;
        }
    };
    let errors_before = diagnostics.iter().filter(|d| d.is_error()).count();
    let allowed = allowed_keys(role, translation);
    let mut r = YamlReader::new(file, yaml_offset, diagnostics);
    let fields = r.fields(&tree, &allowed, "front matter")?;
    if matches!(tree.value, yaml::Value::Null) {
        r.diagnostics.push(
            Diagnostic::error("the front matter is empty")
                .at(file, 1, 1)
                .hint("add at least a title, e.g. `title: First contact`"),
        );
        return None;
    }
    let mut meta = Meta::default();
    if let yaml::Value::Map(entries) = &tree.value {
        meta.key_lines = entries
            .iter()
            .map(|(key, _)| (key.name.clone(), key.line + yaml_offset))
            .collect();
    }
    match fields.get("title") {
        Some(node) => meta.title = r.string(node, "title").unwrap_or_default(),
        None if r.suggested("title") => {}
        None => {
            let d = Diagnostic::error("the front matter has no `title`")
                .at(file, 1, 1)
                .width(3)
                .hint("add a line such as `title: First contact` between the `---` lines");
            r.diagnostics.push(d);
        }
    }
    if let Some(n) = fields.get("summary") {
        meta.summary = r.string(n, "summary");
    }
    if let Some(n) = fields.get("session") {
        meta.session = r.integer(n, "session");
    }
    if let Some(n) = fields.get("date") {
        meta.date = r.date(n, "date");
    }
    if let Some(n) = fields.get("duration") {
        meta.duration = r.duration(n, "duration");
    }
    if let Some(n) = fields.get("objectives") {
        meta.objectives = r.string_list(n, "objectives").unwrap_or_default();
    }
    if let Some(n) = fields.get("prerequisites") {
        meta.prerequisites = r.string_list(n, "prerequisites").unwrap_or_default();
    }
    if let Some(n) = fields.get("reviewed") {
        meta.reviewed = r.date(n, "reviewed");
    }
    if let Some(n) = fields.get("review_every") {
        meta.review_every = r.period(n, "review_every");
    }
    if let Some(n) = fields.get("sources") {
        meta.sources = r.string_list(n, "sources").unwrap_or_default();
    }
    if let Some(n) = fields.get("draft") {
        meta.draft = r.boolean(n, "draft").unwrap_or(false);
    }
    if let Some(n) = fields.get("audience") {
        let everyone = match role {
            Role::Programme => Some("the programme page"),
            // The toolkit holds the directory of help.
            Role::ToolkitIndex => Some("the toolkit, with its directory of help,"),
            _ => None,
        };
        if translation {
            r.error(
                n,
                "a translation follows its original's `audience`",
                "write `audience` in the original page only, and take it out of this one",
            );
        } else if let Some(page) = everyone
            && n.as_text().is_some_and(|t| t.trim() == "trainer")
        {
            r.error(
                n,
                format!("{page} is read by everyone: it cannot be for trainers only"),
                "write `audience: trainer` on the workshops or pages that only trainers read",
            );
        }
        meta.audience =
            r.choice(n, "audience", &["everyone", "trainer"])
                .map_or(Audience::Everyone, |a| {
                    if a == "trainer" {
                        Audience::Trainer
                    } else {
                        Audience::Everyone
                    }
                });
    }
    if let Some(n) = fields.get("weight") {
        meta.weight = r.integer(n, "weight");
    }
    if let Some(n) = fields.get("topics") {
        meta.topics = r.string_list(n, "topics").unwrap_or_default();
    }
    if let Some(n) = fields.get("level") {
        meta.level = r
            .choice(n, "level", &Level::NAMES)
            .map(|l| match l.as_str() {
                "foundation" => Level::Foundation,
                "intermediate" => Level::Intermediate,
                _ => Level::Advanced,
            });
    }
    if let Some(n) = fields.get("workshop") {
        meta.workshop = r.string(n, "workshop").map(|w| {
            (
                w.trim_end_matches('/').to_string(),
                n.line + yaml_offset,
                n.col,
            )
        });
    }
    if let Some(n) = fields.get("time") {
        meta.time = r.duration(n, "time");
    }
    if let Some(n) = fields.get("answers") {
        meta.answers = r.choice(n, "answers", &["reveal", "trainer"]).map(|a| {
            if a == "trainer" {
                Answers::Trainer
            } else {
                Answers::Reveal
            }
        });
    }
    if let Some(n) = fields.get("translation_status") {
        meta.translation_status = r
            .choice(n, "translation_status", &["needs-review", "reviewed"])
            .map(|s| {
                if s == "reviewed" {
                    TranslationStatus::Reviewed
                } else {
                    TranslationStatus::NeedsReview
                }
            });
    }
    if let Some(n) = fields.get("source_hash") {
        meta.source_hash = r.string(n, "source_hash");
    }
    let errors_after = r.diagnostics.iter().filter(|d| d.is_error()).count();
    (errors_after == errors_before).then_some(meta)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter_and_counts_lines() {
        let s = split("---\ntitle: A\n---\n\nBody\n", Path::new("a.md")).expect("has front matter");
        assert_eq!(
            (s.yaml, s.body, s.body_offset),
            ("title: A\n", "\nBody\n", 3)
        );
    }

    #[test]
    fn unclosed_front_matter_is_an_error() {
        let e = split("---\ntitle: A\n\nBody\n", Path::new("a.md"))
            .err()
            .expect("error");
        assert_eq!(e.message, "the front matter is never closed");
    }

    #[test]
    fn empty_pages_and_long_dashes_say_so() {
        let empty = split(" \n", Path::new("a.md")).err().expect("error");
        assert_eq!(empty.message, "the page is empty");
        let dash = split("—\ntitle: A\n—\n", Path::new("a.md"))
            .err()
            .expect("error");
        assert!(
            dash.hint
                .as_deref()
                .unwrap_or_default()
                .contains("long dash")
        );
        let closing = split("---\ntitle: A\n—\n\nBody\n", Path::new("a.md"))
            .err()
            .expect("error");
        assert_eq!(
            (closing.message.as_str(), closing.line),
            ("the front matter is never closed", 3)
        );
    }
}
