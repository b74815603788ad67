//! Personal data in case material: identity card and passport numbers, phone numbers and
//! email addresses in fact patterns and in trainer notes, which must never identify a real
//! person.

use std::path::Path;
use std::sync::LazyLock;

use pulldown_cmark::{Event, Tag};
use regex::Regex;

use crate::diag::Diagnostic;
use crate::model::{Kind as EntryKind, Site};
use crate::parse::{BlockKind, Document, Node};

use super::{Kind, Report, Wanted, add, pages};

static PERSONAL: LazyLock<Vec<(Regex, &'static str)>> = LazyLock::new(|| {
    [
        (
            r"\b[A-Z]{1,2}[0-9]{6}\s?\(?[0-9A]\)",
            "a Hong Kong identity card number",
        ),
        (r"\b[A-Z]{1,2}[0-9]{7}[A-Z]?\b", "a passport number"),
        (
            // Indonesian mobiles start with 8 after +62, Philippine ones with 9 after +63.
            r"\+(?:62[\s-]?8|63[\s-]?9)[0-9]{1,2}[\s-]?[0-9]{3,4}[\s-]?[0-9]{3,5}\b",
            "an Indonesian or Philippine mobile number",
        ),
        (
            r"(?:\+852[\s-]?)?\b[2-9][0-9]{3}[\s-]?[0-9]{4}\b",
            "an 8-digit Hong Kong phone number",
        ),
        (
            r"\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b",
            "an email address",
        ),
    ]
    .into_iter()
    .map(|(re, what)| (Regex::new(re).expect("valid pattern"), what))
    .collect()
});

/// Fact patterns, and trainer notes anywhere: text that looks like a real person's identity
/// number, phone or email. Numbers of the referral directory are allowed, and so is a line
/// that says the value is fictional. The text is what the parser read (so a `:::` or `#`
/// line is never mistaken for one), each piece at its line in the file.
pub(super) fn personal_data(root: &Path, site: &Site, wanted: Wanted<'_>, report: &mut Report) {
    let allowed: Vec<String> = site
        .referrals
        .iter()
        .flat_map(|r| {
            [&r.phone, &r.whatsapp, &r.email]
                .into_iter()
                .flatten()
                .cloned()
        })
        .map(|v| digits_or_text(&v))
        .collect();
    for (entry, page) in pages(site).filter(|(_, p)| wanted(&p.source.path)) {
        let path = &page.source.path;
        // The file's lines, to give each finding its column and to see "fictional".
        let Ok(source) = crate::source::read_text(&root.join(path), path) else {
            continue;
        };
        let lines: Vec<&str> = source.lines().collect();
        let whole = entry.kind == EntryKind::FactPattern;
        for (line, text) in texts(&page.doc, whole) {
            let raw = lines.get(line.wrapping_sub(1)).copied().unwrap_or_default();
            if raw.to_lowercase().contains("fictional") {
                continue;
            }
            // Every pattern's matches, less those inside another's (the last eight digits of
            // an Indonesian number are no Hong Kong number).
            let found: Vec<(regex::Match<'_>, &str)> = PERSONAL
                .iter()
                .flat_map(|(re, what)| re.find_iter(text).map(move |m| (m, *what)))
                .collect();
            let inside = |m: &regex::Match<'_>| {
                found.iter().any(|(o, _)| {
                    o.range() != m.range() && o.start() <= m.start() && m.end() <= o.end()
                })
            };
            for (m, what) in found.iter().filter(|(m, _)| !inside(m)) {
                if allowed.contains(&digits_or_text(m.as_str())) {
                    continue;
                }
                let col = raw
                    .find(m.as_str())
                    .map_or(1, |at| raw[..at].chars().count() + 1);
                add(report, Kind::PersonalData, Diagnostic::warning(format!("this looks like {what}: `{}`", m.as_str())).at(path, line, col).width(m.as_str().chars().count()).hint("case material must not identify a real person: replace it with an invented value, and mark the line as fictional (write \"fictional\" on it)"));
            }
        }
    }
}

/// The text of a document with the line of the file each piece is on: all of it (`whole`),
/// or only what stands inside `::: trainer` blocks. Text, code, raw HTML, pictures' alt text
/// and addresses, link addresses.
fn texts(doc: &Document, whole: bool) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut blocks: Vec<BlockKind> = Vec::new();
    for node in &doc.nodes {
        match node {
            Node::Open { kind, .. } => {
                blocks.push(*kind);
                continue;
            }
            Node::Close(_) => {
                blocks.pop();
                continue;
            }
            _ => {}
        }
        if !(whole || blocks.contains(&BlockKind::Trainer)) {
            continue;
        }
        match node {
            Node::Md(Event::Text(t) | Event::Code(t) | Event::InlineHtml(t), line) => {
                out.push((*line, t.as_ref()));
            }
            Node::Md(Event::Html(t), line) => {
                out.extend(t.lines().enumerate().map(|(i, l)| (line + i, l)));
            }
            Node::Md(Event::Start(Tag::Link { dest_url, .. }), line) => {
                out.push((*line, dest_url.as_ref()));
            }
            Node::Image { dest, alt, line } => {
                out.push((*line, dest.as_str()));
                out.push((*line, alt.as_str()));
            }
            // A fenced block's text starts on the line after its fence.
            Node::Code { text, line, .. } => {
                out.extend(text.lines().enumerate().map(|(i, l)| (line + 1 + i, l)));
            }
            _ => {}
        }
    }
    out
}

/// Digits only for numbers, lower case for the rest: `+852 2345 6789` = `85223456789`.
fn digits_or_text(v: &str) -> String {
    let digits: String = v.chars().filter(char::is_ascii_digit).collect();
    if digits.len() >= 6 {
        digits.trim_start_matches("852").to_string()
    } else {
        v.to_lowercase()
    }
}
