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

/// The largest text file casebook reads (a page, `casebook.yaml`, `referrals.yaml`):
/// 128 KB, about 20,000 words, five times the longest page of the bundled curriculum.
/// Typesetting a page into PDF costs up to 5 KB of memory per byte of Markdown (a page of
/// nothing but table rows), and some shapes cost time that grows with the square of their
/// length (one paragraph of thousands of lines): at this size the worst stays under a GB
/// and a few seconds. A larger file is far more likely a mistake (pictures pasted as
/// text, a whole book) than a page.
pub const MAX_TEXT_BYTES: u64 = 128 * 1024;

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

/// Reads a text file as UTF-8, without a byte-order mark, with `\n` line endings.
/// `shown` is the path as it appears in messages.
pub fn read_text(path: &Path, shown: &Path) -> Result<String, Diagnostic> {
    let cannot_read = |e: std::io::Error| {
        Diagnostic::error(format!("cannot read `{}`: {e}", display_path(shown)))
            .in_file(shown)
            .hint("check that the file exists and can be read")
    };
    let size = std::fs::metadata(path).map_err(cannot_read)?.len();
    if size > MAX_TEXT_BYTES {
        return Err(Diagnostic::error(format!(
            "`{}` is {}, larger than the {} casebook reads in one file",
            display_path(shown),
            size_in_words(size),
            size_in_words(MAX_TEXT_BYTES)
        ))
        .at(shown, 1, 1)
        .hint("split it into several pages; if it holds pictures pasted as text (`data:`), save them as image files beside the page and link them"));
    }
    let bytes = std::fs::read(path).map_err(cannot_read)?;
    decode(bytes, shown)
}

/// A file size as people say it: `128 KB`, `50.0 MB`.
fn size_in_words(bytes: u64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    } else {
        format!("{} KB", bytes.div_ceil(1024))
    }
}

/// Checks that `bytes` are UTF-8 text and returns them without a byte-order mark and with
/// `\n` line endings. Word documents, UTF-16 and NUL characters are reported where they are.
pub fn decode(bytes: Vec<u8>, shown: &Path) -> Result<String, Diagnostic> {
    let name = display_path(shown);
    if let Some(format) = binary_format(&bytes) {
        return Err(Diagnostic::error(format!("`{name}` is {format}, not a plain-text file"))
            .at(shown, 1, 1)
            .hint("open it in its program and save it as plain text (in Word: File > Save as > Plain Text, encoding Unicode (UTF-8)), then give the file its `.md` or `.yaml` name"));
    }
    if utf16_order(&bytes).is_some() {
        return Err(Diagnostic::error(format!("`{name}` is saved as UTF-16"))
            .at(shown, 1, 1)
            .hint("save it as UTF-8 (in Notepad: File > Save as > Encoding: UTF-8); casebook reads UTF-8 only"));
    }
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => {
            let (line, col) = line_col(&err.as_bytes()[..err.utf8_error().valid_up_to()]);
            return Err(Diagnostic::error(format!("`{name}` is not valid UTF-8 text"))
                .at(shown, line, col)
                .hint("save the file as UTF-8; text pasted from Word or an old editor may carry another encoding"));
        }
    };
    if let Some(at) = text.find('\0') {
        let (line, col) = line_col(&text.as_bytes()[..at]);
        return Err(Diagnostic::error(format!("`{name}` contains a NUL character, which is not text"))
            .at(shown, line, col)
            .hint("the file is damaged, or part of it was pasted from a binary file: delete the invisible character at this spot, or retype the line"));
    }
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

/// The line and column (1-based, in characters) just after `before`, which is UTF-8.
fn line_col(before: &[u8]) -> (usize, usize) {
    let before = String::from_utf8_lossy(before);
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// What a file is when it is a document format rather than text, by its first bytes:
/// a `.docx` renamed to `.md` is a common mistake.
fn binary_format(bytes: &[u8]) -> Option<&'static str> {
    const FORMATS: [(&[u8], &str); 4] = [
        (
            b"PK\x03\x04",
            "a Word document (.docx) or another zipped file",
        ),
        (b"\xD0\xCF\x11\xE0", "an old Word document (.doc)"),
        (b"%PDF-", "a PDF document"),
        (b"{\\rtf", "a rich-text (RTF) document"),
    ];
    FORMATS
        .iter()
        .find(|(magic, _)| bytes.starts_with(magic))
        .map(|(_, format)| *format)
}

/// Whether `bytes` are UTF-16, and if so whether little-endian, and how many bytes of
/// byte-order mark to skip. Without a mark, UTF-16 shows as every other one of the first
/// bytes being NUL, as in `-\0-\0-\0` (little-endian) or `\0-\0-\0-` (big-endian).
fn utf16_order(bytes: &[u8]) -> Option<(bool, usize)> {
    let head = &bytes[..bytes.len().min(64)];
    let nul_at =
        |first: usize| head.len() >= 4 && head.iter().skip(first).step_by(2).all(|b| *b == 0);
    match head {
        [0xFF, 0xFE, ..] => Some((true, 2)),
        [0xFE, 0xFF, ..] => Some((false, 2)),
        _ if nul_at(1) => Some((true, 0)),
        _ if nul_at(0) => Some((false, 0)),
        _ => None,
    }
}

/// The text of a UTF-16 file, decoded for showing in messages; `None` when `bytes` are
/// not UTF-16.
pub fn utf16_lossy(bytes: &[u8]) -> Option<String> {
    let (little, skip) = utf16_order(bytes)?;
    let units: Vec<u16> = bytes[skip..]
        .chunks_exact(2)
        .map(|pair| {
            let pair = [pair[0], pair[1]];
            if little {
                u16::from_le_bytes(pair)
            } else {
                u16::from_be_bytes(pair)
            }
        })
        .collect();
    Some(String::from_utf16_lossy(&units))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoding_names_what_is_not_utf8_text() {
        let error = |bytes: &[u8]| decode(bytes.to_vec(), Path::new("a.md")).expect_err("not text");
        assert!(
            error(b"\xff\xfe-\0")
                .message
                .ends_with("is saved as UTF-16")
        );
        assert!(
            error(b"-\0-\0-\0\n\0")
                .message
                .ends_with("is saved as UTF-16")
        );
        assert!(error(b"PK\x03\x04rest").message.contains("Word document"));
        let nul = error(b"a\nb\0");
        assert_eq!((nul.line, nul.col), (2, 2));
        let latin1 = error(b"a\nCaf\xe9");
        assert_eq!((latin1.line, latin1.col), (2, 4));
        assert_eq!(
            decode(b"\xef\xbb\xbfa\r\nb\rc".to_vec(), Path::new("a.md")).ok(),
            Some("a\nb\nc".to_string())
        );
    }

    #[test]
    fn names_with_spaces_get_a_suggestion() {
        assert_eq!(suggest_slug("03-première leçon"), "03-première-leçon");
        assert_eq!(suggest_slug("02  housing (draft)"), "02-housing-draft");
    }
}
