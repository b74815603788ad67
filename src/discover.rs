//! Discover: walk the content folders (`curriculum/`, `fact-patterns/`) → [`Sources`]: every
//! Markdown page with its role and language, the referral directory, and the other files
//! (images, forms) to copy beside their pages. Reads no page; reports misplaced files.

use std::path::{Path, PathBuf};

use crate::config::{Config, is_language_code};
use crate::diag::{Diagnostic, display_path};

pub const CURRICULUM: &str = "curriculum";
pub const FACT_PATTERNS: &str = "fact-patterns";
pub const TOOLKIT: &str = "toolkit";
pub const REFERRALS: &str = "referrals.yaml";
pub const INDEX: &str = "_index";

/// Output names a content folder or file may not take, because casebook's own pages use them.
pub const RESERVED: &[&str] = &[
    "assets",
    "fact-patterns",
    "schedule",
    "print",
    "referrals",
    "pdf",
    "search",
    "saved",
    "offline",
    "404",
];

/// What a Markdown file is, from where it sits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    /// `curriculum/_index.md`
    Programme,
    /// `curriculum/<folder>/_index.md`
    WorkshopIndex { folder: String },
    /// `curriculum/<folder>/<name>.md`
    Lesson { folder: String, name: String },
    /// `curriculum/toolkit/_index.md`
    ToolkitIndex,
    /// `curriculum/toolkit/<name>.md`
    Tool { name: String },
    /// `fact-patterns/<name>.md`
    FactPattern { name: String },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourcePage {
    /// Relative to the site root, e.g. `curriculum/01-case-screening/01-first-contact.id.md`.
    pub path: PathBuf,
    pub role: Role,
    /// `Some("id")` for `name.id.md`; `None` for the default-language original.
    pub lang: Option<String>,
}

#[derive(Debug, Default)]
pub struct Sources {
    pub pages: Vec<SourcePage>,
    /// `curriculum/toolkit/referrals.yaml`, when present.
    pub referrals: Option<PathBuf>,
    /// Other files, relative to the site root.
    pub assets: Vec<PathBuf>,
    /// Whether `curriculum/` could be read at all (a folder, not a link to one).
    pub has_curriculum: bool,
}

/// Walks `ROOT/curriculum` and `ROOT/fact-patterns`.
pub fn discover(root: &Path, config: &Config, diagnostics: &mut Vec<Diagnostic>) -> Sources {
    let mut sources = Sources::default();
    let curriculum_is_link = crate::source::link_on_the_way(root, Path::new(CURRICULUM)).is_some();
    if !curriculum_is_link && !root.join(CURRICULUM).is_dir() {
        diagnostics.push(
            Diagnostic::error(format!("no `{CURRICULUM}/` folder in `{}`", root.display())).hint(
                "a site keeps its workshops in `curriculum/`, starting with `curriculum/_index.md`",
            ),
        );
        return sources;
    }
    sources.has_curriculum = !curriculum_is_link;
    for top in [CURRICULUM, FACT_PATTERNS] {
        // A content folder that is a link to somewhere else would publish what is there.
        if let Some(link) = crate::source::link_on_the_way(root, Path::new(top)) {
            diagnostics.push(
                Diagnostic::error(format!(
                    "`{}` is a symbolic link, which casebook does not follow",
                    display_path(&link)
                ))
                .in_file(&link)
                .hint("casebook reads only what is really inside the site folder: move or copy the folder here in place of the link"),
            );
            continue;
        }
        for rel in crate::source::walk(root, Path::new(top), diagnostics) {
            classify(rel, config, &mut sources, diagnostics);
        }
    }
    sources
}

fn classify(
    rel: PathBuf,
    config: &Config,
    sources: &mut Sources,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let file_name = parts.last().cloned().unwrap_or_default();
    let is_markdown = file_name.ends_with(".md");
    if parts.len() == 3 && parts[0] == CURRICULUM && parts[1] == TOOLKIT && file_name == REFERRALS {
        sources.referrals = Some(rel);
        return;
    }
    if !is_markdown {
        sources.assets.push(rel);
        return;
    }
    let stem = &file_name[..file_name.len() - 3];
    let (name, lang) = match stem.rsplit_once('.') {
        Some((name, lang)) if is_language_code(lang) => {
            if !config.is_language(lang) {
                let listed = config
                    .languages
                    .iter()
                    .map(|l| format!("`{}`", l.code))
                    .collect::<Vec<_>>()
                    .join(", ");
                diagnostics.push(
                    Diagnostic::error(format!("`{file_name}` is a translation into `{lang}`, which casebook.yaml does not list"))
                        .in_file(&rel)
                        .hint(format!("add `{lang}: {{ name: … }}` under `languages:` in casebook.yaml (listed now: {listed}), or rename the file")),
                );
                return;
            }
            if lang == config.default_language {
                diagnostics.push(
                    Diagnostic::error(format!("`{file_name}` is marked as `{lang}`, which is the default language"))
                        .in_file(&rel)
                        .hint(format!("pages in the default language have no language suffix: rename it to `{name}.md`")),
                );
                return;
            }
            (name.to_string(), Some(lang.to_string()))
        }
        _ => (stem.to_string(), None),
    };
    let role = match parts
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        [CURRICULUM, _] if name == INDEX => Role::Programme,
        [CURRICULUM, TOOLKIT, _] if name == INDEX => Role::ToolkitIndex,
        [CURRICULUM, TOOLKIT, _] => Role::Tool { name: name.clone() },
        [CURRICULUM, folder, _] if name == INDEX => Role::WorkshopIndex {
            folder: folder.to_string(),
        },
        [CURRICULUM, folder, _] => Role::Lesson {
            folder: folder.to_string(),
            name: name.clone(),
        },
        [FACT_PATTERNS, _] if name != INDEX => Role::FactPattern { name: name.clone() },
        [CURRICULUM, _] => {
            diagnostics.push(
                Diagnostic::error(format!("`{}` is not inside a workshop folder", display_path(&rel)))
                    .in_file(&rel)
                    .hint(format!("a lesson belongs in a workshop folder, e.g. `curriculum/01-case-screening/{file_name}`")),
            );
            return;
        }
        _ => {
            diagnostics.push(
                Diagnostic::error(format!("`{}` is nested too deeply to be a page", display_path(&rel)))
                    .in_file(&rel)
                    .hint("pages sit in `curriculum/<workshop>/`, `curriculum/toolkit/` or `fact-patterns/`; move it up a folder"),
            );
            return;
        }
    };
    let slug = match &role {
        Role::WorkshopIndex { folder } => Some(folder.as_str()),
        Role::Lesson { name, .. } | Role::Tool { name } | Role::FactPattern { name } => {
            Some(name.as_str())
        }
        _ => None,
    };
    if let Some(slug) = slug {
        if let Some(problem) = slug_problem(slug) {
            let (what, suggestion) = match role {
                Role::WorkshopIndex { .. } => ("the folder", suggest_slug(slug)),
                _ => ("the file", file_name.replacen(slug, &suggest_slug(slug), 1)),
            };
            diagnostics.push(
                Diagnostic::error(format!("`{}`: {problem}", display_path(&rel)))
                    .in_file(&rel)
                    .hint(format!("rename {what} to `{suggestion}`: names become web addresses, so they hold only letters, digits, `-` and `_`")),
            );
            return;
        }
        if RESERVED.contains(&slug) || config.is_language(slug) {
            diagnostics.push(
                Diagnostic::error(format!(
                    "`{}` uses the name `{slug}`, which casebook needs for its own pages",
                    display_path(&rel)
                ))
                .in_file(&rel)
                .hint("choose another name, e.g. add a number prefix such as `09-"),
            );
            return;
        }
    }
    sources.pages.push(SourcePage {
        path: rel,
        role,
        lang,
    });
}

/// Why a file or folder name cannot be part of a URL, if it cannot.
fn slug_problem(name: &str) -> Option<&'static str> {
    if name.is_empty() {
        return Some("the name is empty");
    }
    if name.chars().any(|c| c.is_whitespace()) {
        return Some("the name contains spaces, which make poor web addresses");
    }
    if !name
        .chars()
        .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
    {
        return Some("the name contains characters other than letters, digits, `-` and `_`");
    }
    None
}

/// A name that works as a web address: spaces become `-`, other characters that cannot
/// be part of an address are dropped (`03-première leçon` → `03-première-leçon`).
fn suggest_slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_alphanumeric() || c == '_' || c == '-' {
            out.push(c);
        } else if (c.is_whitespace() || c == '.') && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_with_spaces_get_a_suggestion() {
        assert_eq!(suggest_slug("03-première leçon"), "03-première-leçon");
        assert_eq!(suggest_slug("02  housing (draft)"), "02-housing-draft");
    }
}
