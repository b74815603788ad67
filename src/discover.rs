//! Discover: walk the content folders (`curriculum/`, `fact-patterns/`) → [`Sources`]: every
//! Markdown page with its role and language, the referral directory, and the other files
//! (images, forms) to copy beside their pages. Reads no page; reports misplaced files.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

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
}

/// Walks `ROOT/curriculum` and `ROOT/fact-patterns`.
pub fn discover(root: &Path, config: &Config, diagnostics: &mut Vec<Diagnostic>) -> Sources {
    let mut sources = Sources::default();
    if !root.join(CURRICULUM).is_dir() {
        diagnostics.push(
            Diagnostic::error(format!("no `{CURRICULUM}/` folder in `{}`", root.display())).hint(
                "a site keeps its workshops in `curriculum/`, starting with `curriculum/_index.md`",
            ),
        );
        return sources;
    }
    for top in [CURRICULUM, FACT_PATTERNS] {
        let base = root.join(top);
        if !base.is_dir() {
            continue;
        }
        let walker = WalkDir::new(&base)
            .follow_links(false)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
        for entry in walker {
            let entry = match entry {
                Ok(entry) => entry,
                Err(err) => {
                    let path = err
                        .path()
                        .and_then(|p| p.strip_prefix(root).ok())
                        .map(Path::to_path_buf)
                        .unwrap_or_else(|| PathBuf::from(top));
                    diagnostics.push(
                        Diagnostic::error(format!("cannot read `{}`: {err}", display_path(&path)))
                            .in_file(path)
                            .hint("check the file's permissions"),
                    );
                    continue;
                }
            };
            let rel = entry
                .path()
                .strip_prefix(root)
                .expect("walked paths are under the root")
                .to_path_buf();
            if entry.path_is_symlink() {
                diagnostics.push(
                    Diagnostic::warning(format!("`{}` is a symbolic link and is skipped", display_path(&rel)))
                        .in_file(&rel)
                        .hint("casebook only reads files that are really inside the site folder: copy the file here instead"),
                );
                continue;
            }
            if !entry.file_type().is_file() {
                continue;
            }
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
            diagnostics.push(Diagnostic::error(format!("`{}`: {problem}", display_path(&rel))).in_file(&rel).hint("rename it using lowercase letters, digits and `-`, e.g. `01-first-contact.md`"));
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

/// Reads a text file as UTF-8, without a byte-order mark, with `\n` line endings.
/// `shown` is the path as it appears in messages.
pub fn read_text(path: &Path, shown: &Path) -> Result<String, Diagnostic> {
    let bytes = std::fs::read(path).map_err(|e| {
        Diagnostic::error(format!("cannot read `{}`: {e}", display_path(shown)))
            .in_file(shown)
            .hint("check that the file exists and can be read")
    })?;
    decode(bytes, shown)
}

pub fn decode(bytes: Vec<u8>, shown: &Path) -> Result<String, Diagnostic> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(
            Diagnostic::error(format!("`{}` is saved as UTF-16", display_path(shown)))
                .at(shown, 1, 1)
                .hint("save it as UTF-8 (in Notepad: File > Save as > Encoding: UTF-8)"),
        );
    }
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => {
            let bytes = err.as_bytes();
            let at = err.utf8_error().valid_up_to();
            let before = String::from_utf8_lossy(&bytes[..at]);
            let line = before.matches('\n').count() + 1;
            let col = before
                .rsplit('\n')
                .next()
                .map(|l| l.chars().count())
                .unwrap_or(0)
                + 1;
            return Err(Diagnostic::error(format!("`{}` is not valid UTF-8 text", display_path(shown)))
                .at(shown, line, col)
                .hint("save the file as UTF-8; text pasted from Word or an old editor may carry another encoding"));
        }
    };
    let text = text
        .strip_prefix('\u{feff}')
        .map(str::to_string)
        .unwrap_or(text);
    Ok(if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text
    })
}
