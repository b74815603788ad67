//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

/// Asserts that `needles` appear in `haystack` in this order.
pub fn assert_in_order(haystack: &str, needles: &[&str]) {
    let mut from = 0;
    for needle in needles {
        match haystack[from..].find(needle) {
            Some(at) => from += at + needle.len(),
            None => panic!("expected {needle:?} after position {from} in:\n{haystack}"),
        }
    }
}

/// The text of a PDF, by poppler's `pdftotext` with `args`.
pub fn pdftotext(path: &Path, args: &[&str]) -> String {
    let out = std::process::Command::new("pdftotext")
        .args(args)
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed");
    assert!(
        out.status.success(),
        "pdftotext failed on {}",
        path.display()
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Copies a fixture site into a temporary folder a test may change.
pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("readable");
        let target = to.join(entry.path().strip_prefix(from).expect("inside"));
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).expect("mkdir");
        } else {
            fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// Every file below `root` with its bytes, by path relative to `root`.
pub fn tree(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(root)
        .into_iter()
        .map(|e| e.expect("readable"))
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(root).expect("inside").to_path_buf();
            (rel, fs::read(e.path()).expect("readable"))
        })
        .collect()
}

/// The text a reader sees on an HTML page: tags and styles dropped, a few entities decoded,
/// spaces collapsed. Inline tags (links, emphasis, code) join their text to the words
/// around them, as a browser shows it.
pub fn visible_text(html: &str) -> String {
    const INLINE: [&str; 13] = [
        "a", "abbr", "b", "code", "del", "em", "i", "mark", "s", "small", "span", "strong", "sup",
    ];
    let mut out = String::new();
    let mut rest = html;
    let mut in_style = false;
    while let Some(at) = rest.find('<') {
        if !in_style {
            out.push_str(&rest[..at]);
        }
        let tag_end = rest[at..].find('>').map_or(rest.len(), |e| at + e + 1);
        let tag = rest[at + 1..tag_end]
            .trim_start_matches('/')
            .to_ascii_lowercase();
        let name: String = tag
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect();
        if name == "style" || name == "script" {
            in_style = !rest[at + 1..].starts_with('/');
        }
        if !INLINE.contains(&name.as_str()) {
            out.push(' ');
        }
        rest = &rest[tag_end..];
    }
    out.push_str(rest);
    let decoded = out
        .replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
    decoded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The text of a file as a reader's browser gets it: pagefind's data files are gzipped (after
/// a `pagefind_dcd` signature), everything else is read as it is.
pub fn readable(bytes: &[u8]) -> String {
    use std::io::Read;
    if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        if flate2::read::GzDecoder::new(bytes)
            .read_to_end(&mut out)
            .is_ok()
        {
            return String::from_utf8_lossy(&out).into_owned();
        }
    }
    String::from_utf8_lossy(bytes).into_owned()
}

/// Every file of a built site as the text a program could get out of it (search data
/// decompressed, PDFs through pdftotext), lowercased, letters and digits only, so that a
/// word broken over two lines of a PDF is still found.
pub fn decoded(out: &Path) -> Vec<(String, String)> {
    tree(out)
        .into_iter()
        .map(|(path, bytes)| {
            let text = if path.extension().is_some_and(|e| e == "pdf") {
                pdftotext(&out.join(&path), &[])
            } else {
                readable(&bytes)
            };
            let text: String = text
                .chars()
                .filter(|c| c.is_alphanumeric())
                .flat_map(char::to_lowercase)
                .collect();
            (path.to_string_lossy().replace('\\', "/"), text)
        })
        .collect()
}
