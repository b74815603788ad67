//! Source files: reading a text file as casebook reads every one (UTF-8, no byte-order
//! mark, `\n` line endings, at most [`MAX_TEXT_BYTES`]), and walking a folder of the site
//! without following symbolic links or reading hidden files and editor backups.

use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, display_path};
use crate::text::{MAX_TEXT_BYTES, utf16_order};

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

/// Whether casebook passes a file or folder by, wherever it is: hidden ones (`.git`,
/// `.DS_Store`) and the copies editors leave beside a file (`lesson.md~`, `#lesson.md#`,
/// `lesson.md.orig`, `.bak`, `.swp`, `.tmp`), which hold the raw text, trainer notes and
/// all. They are never read as content nor published.
pub fn is_ignored(name: &str) -> bool {
    const BACKUPS: [&str; 6] = [".orig", ".bak", ".swp", ".swo", ".tmp", ".rej"];
    name.starts_with('.')
        || name.ends_with('~')
        || (name.len() > 1 && name.starts_with('#') && name.ends_with('#'))
        || BACKUPS.iter().any(|b| name.ends_with(b))
}

/// The first folder or file on the way from `root` to `root/rel` (`rel` included) that is a
/// symbolic link, relative to `root`.
pub fn link_on_the_way(root: &Path, rel: &Path) -> Option<PathBuf> {
    let mut at = PathBuf::new();
    for part in rel.components() {
        at.push(part);
        let is_link =
            std::fs::symlink_metadata(root.join(&at)).is_ok_and(|m| m.file_type().is_symlink());
        if is_link {
            return Some(at);
        }
    }
    None
}

/// A warning for a symbolic link (relative to the site root) that casebook skips.
pub fn skipped_link(rel: &Path) -> Diagnostic {
    Diagnostic::warning(format!(
        "`{}` is a symbolic link and is skipped",
        display_path(rel)
    ))
    .in_file(rel)
    .hint("casebook only reads files that are really inside the site folder: copy the file here instead")
}

/// Every file below the folder `root/rel`, by name, as paths relative to `root`. Symbolic
/// links are not followed, the folder's own included, nor on the way to it: each one met
/// is a warning, and a folder behind one gives nothing. Hidden files and editor backups
/// ([`is_ignored`]) are passed by. A folder that does not exist gives nothing.
pub fn walk(root: &Path, rel: &Path, diagnostics: &mut Vec<Diagnostic>) -> Vec<PathBuf> {
    if let Some(link) = link_on_the_way(root, rel) {
        diagnostics.push(skipped_link(&link));
        return Vec::new();
    }
    let base = root.join(rel);
    if !base.is_dir() {
        return Vec::new();
    }
    let walker = walkdir::WalkDir::new(&base)
        .follow_links(false)
        .follow_root_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored(&e.file_name().to_string_lossy()));
    let mut files = Vec::new();
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                let path = err
                    .path()
                    .and_then(|p| p.strip_prefix(root).ok())
                    .map_or_else(|| rel.to_path_buf(), Path::to_path_buf);
                diagnostics.push(
                    Diagnostic::error(format!("cannot read `{}`: {err}", display_path(&path)))
                        .in_file(path)
                        .hint("check the file's permissions"),
                );
                continue;
            }
        };
        let path = entry
            .path()
            .strip_prefix(root)
            .expect("walked paths are under the root")
            .to_path_buf();
        if entry.path_is_symlink() {
            diagnostics.push(skipped_link(&path));
        } else if entry.file_type().is_file() {
            files.push(path);
        }
    }
    files
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
    fn hidden_files_and_editor_backups_are_passed_by() {
        for name in [
            ".git",
            ".DS_Store",
            "lesson.md~",
            "#lesson.md#",
            "lesson.md.orig",
            "a.bak",
            ".lesson.md.swp",
            "x.tmp",
        ] {
            assert!(is_ignored(name), "{name}");
        }
        for name in ["lesson.md", "intake.png", "#", "form.docx"] {
            assert!(!is_ignored(name), "{name}");
        }
    }
}
