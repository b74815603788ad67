//! `casebook translate stamp`: recording in a translation which version of its original it
//! was made from (`source_hash`), and telling later which sections of the original changed
//! since (for `check`).

use std::collections::BTreeMap;
use std::path::Path;

use crate::diag::display_path;
use crate::parse::{Document, fingerprint};

/// The fingerprint of each section of a page's file, by the id of the heading that starts
/// it, with the text before the first heading (front matter included) under `_`. The
/// headings are those the parser found in `doc`, so a `#` line in code or in the front
/// matter starts no section.
pub fn section_hashes(text: &str, doc: &Document) -> Vec<(String, String)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut starts: Vec<(usize, &str)> = vec![(1, "_")];
    starts.extend(doc.headings.iter().map(|h| (h.line, h.id.as_str())));
    starts
        .iter()
        .enumerate()
        .map(|(i, (start, id))| {
            let end = starts.get(i + 1).map_or(lines.len() + 1, |(next, _)| *next);
            let body = lines
                .get(start.saturating_sub(1)..end.saturating_sub(1).max(start.saturating_sub(1)))
                .unwrap_or_default()
                .join("\n");
            (id.to_string(), fingerprint(body.trim())[..8].to_string())
        })
        .collect()
}

/// What `source_hash` records: the whole original's fingerprint, then each section's.
pub fn stamp_value(original: &str, doc: &Document) -> String {
    let mut value = fingerprint(original);
    for (id, hash) in section_hashes(original, doc) {
        value.push_str(&format!(" {id}={hash}"));
    }
    value
}

/// The headings of `original` whose sections changed since `recorded` (a `source_hash`
/// value), including sections added or removed.
pub fn changed_sections(recorded: &str, original: &str, doc: &Document) -> Vec<String> {
    let before: BTreeMap<&str, &str> = recorded
        .split_whitespace()
        .skip(1)
        .filter_map(|p| p.split_once('='))
        .collect();
    if before.is_empty() {
        return Vec::new();
    }
    let now = section_hashes(original, doc);
    let mut changed: Vec<String> = now
        .iter()
        .filter(|(id, hash)| before.get(id.as_str()) != Some(&hash.as_str()))
        .map(|(id, _)| {
            if id == "_" {
                "(the opening text)".to_string()
            } else {
                format!("#{id}")
            }
        })
        .collect();
    for id in before
        .keys()
        .filter(|id| !now.iter().any(|(n, _)| n == *id))
    {
        changed.push(format!("#{id} (removed)"));
    }
    changed
}

/// The parsed body of a page's text (empty when it has no front matter to split off).
fn parse_body(text: &str, file: &Path) -> Document {
    match crate::parse::meta::split(text, file) {
        Ok(split) => crate::parse::markdown::parse(split.body, split.body_offset, file, &mut Vec::new()),
        Err(_) => Document::default(),
    }
}

/// `casebook translate stamp FILE`: records in a translation's front matter which version
/// of its original it matches (`source_hash`). Returns the hash written.
pub fn stamp(root: &Path, file: &Path) -> Result<String, String> {
    let rel = file.strip_prefix(root).unwrap_or(file).to_path_buf();
    let name = rel.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    let parts: Vec<&str> = name.split('.').collect();
    let [stem @ .., _lang, "md"] = parts.as_slice() else {
        return Err(format!(
            "`{}` is not a translation: a translation is named like `name.id.md`",
            display_path(&rel)
        ));
    };
    if stem.is_empty() {
        return Err(format!(
            "`{}` is not a translation: a translation is named like `name.id.md`",
            display_path(&rel)
        ));
    }
    let original = rel.with_file_name(format!("{}.md", stem.join(".")));
    let original_text =
        crate::source::read_text(&root.join(&original), &original).map_err(|_| {
            format!(
                "no original `{}` beside `{}`",
                display_path(&original),
                display_path(&rel)
            )
        })?;
    let hash = fingerprint(&original_text);
    let doc = parse_body(&original_text, &original);
    let value = stamp_value(&original_text, &doc);
    // Read as every page is (a byte-order mark or CRLF line endings are no obstacle); the
    // file is written back in UTF-8 with `\n` line endings.
    let text = crate::source::read_text(&root.join(&rel), &rel).map_err(|d| d.message)?;
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    if lines.first().map(|l| l.trim_end()) != Some("---") {
        return Err(format!(
            "`{}` does not start with front matter",
            display_path(&rel)
        ));
    }
    let close = lines
        .iter()
        .skip(1)
        .position(|l| l.trim_end() == "---")
        .map(|i| i + 1)
        .ok_or_else(|| {
            format!(
                "the front matter of `{}` has no closing `---`",
                display_path(&rel)
            )
        })?;
    let entry = format!("source_hash: \"{value}\"");
    match lines[1..close]
        .iter()
        .position(|l| l.starts_with("source_hash:"))
    {
        Some(i) => lines[i + 1] = entry,
        None => lines.insert(close, entry),
    }
    let mut out = lines.join("\n");
    if text.ends_with('\n') {
        out.push('\n');
    }
    std::fs::write(root.join(&rel), out)
        .map_err(|e| format!("cannot write `{}`: {e}", display_path(&rel)))?;
    Ok(hash)
}
