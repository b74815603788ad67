//! What pagefind reads out of a page (its text, with the weights of its headings, its title,
//! meta and filters), read by casebook from the HTML it rendered itself. pagefind's own
//! reader parses every page with an HTML rewriter and compiles its selectors again for each
//! one: that was two fifths of the time the search index took. This reader follows the same
//! rules (pagefind 1.6's `fossick/parser.rs`) on the well-formed HTML casebook writes, so a
//! page gives the same words, weights, title, meta and filters; a page it is not sure of
//! (unbalanced tags from raw HTML in a page, a script, an attribute it does not know) is
//! left to pagefind's reader. `tests` below compare the two on every page of a site.
//!
//! One thing is left out on purpose: the anchors of headings (pagefind's sub-results), which
//! casebook's search page does not show.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use regex::Regex;

/// A page as pagefind's `add_custom_record` takes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub url: String,
    pub digest: String,
    pub language: String,
    pub meta: BTreeMap<String, String>,
    pub filters: BTreeMap<String, Vec<String>>,
}

/// Elements after which pagefind ends a sentence.
const SENTENCE: &[&str] = &[
    "h1", "h2", "h3", "h4", "h5", "h6", "p", "td", "div", "ul", "li", "article", "section",
];
/// Elements whose text pagefind never indexes.
const REMOVED: &[&str] = &[
    "head", "style", "script", "noscript", "label", "form", "svg", "footer", "nav", "iframe",
    "template",
];
/// Elements with no end tag.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr",
];
/// Elements whose content is not HTML: left to pagefind.
const RAW_TEXT: &[&str] = &["script", "style", "textarea", "title", "xmp", "plaintext"];
/// The attributes this reader follows; a page with another `data-pagefind-…` goes to pagefind.
const KNOWN: &[&str] = &[
    "data-pagefind-body",
    "data-pagefind-ignore",
    "data-pagefind-meta",
    "data-pagefind-filter",
];

/// pagefind's `SENTENCE_CHARS`: a block ending in one of these gets a full stop.
static SENTENCE_END: LazyLock<Regex> =
    LazyLock::new(|| Regex::new("[\\w'\"\\)\\$\\*]").expect("a valid pattern"));

/// Whether a block ending in `c` gets a full stop: pagefind's `SENTENCE_CHARS`, with the
/// answer for ASCII worked out without the regex (it is asked for every block).
fn ends_a_sentence(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric() || matches!(c, '_' | '\'' | '"' | ')' | '$' | '*')
    } else {
        SENTENCE_END.is_match(c.encode_utf8(&mut [0; 4]))
    }
}

/// pagefind's `PATH_ENCODE_SET`, for the page's URL.
const PATH: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}');

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Status {
    Indexing,
    Ignored,
    Excluded,
    Body,
    ParentOfBody,
}

#[derive(Debug)]
struct Element {
    tag: String,
    status: Status,
    value: String,
    filter: Option<Vec<String>>,
    meta: Option<Vec<String>>,
}

impl Element {
    fn new(tag: &str, status: Status) -> Element {
        Element {
            tag: tag.to_string(),
            status,
            value: String::new(),
            filter: None,
            meta: None,
        }
    }

    /// `key:value`, or `key` for the element's own text.
    fn pair(&self, spec: &str) -> Option<(String, String)> {
        match spec.split_once(':') {
            Some((key, value)) => Some((key.to_string(), normalize(value))),
            None if self.value.is_empty() => None,
            None => Some((spec.to_string(), normalize(&self.value))),
        }
    }
}

/// The record of the page at `path` (`workshop/lesson/index.html`), or `None` when the
/// page should be read by pagefind itself.
pub fn read(path: &str, html: &str) -> Option<Record> {
    let mut reader = HtmlReader {
        stack: vec![Element::new("", Status::Indexing)],
        meta: BTreeMap::new(),
        filters: BTreeMap::new(),
        language: None,
    };
    let mut rest = html;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = &after[after.find("-->")? + 3..];
        } else if let Some(after) = rest.strip_prefix("</") {
            let end = after.find('>')?;
            let name = after[..end].trim().to_ascii_lowercase();
            reader.close(&name)?;
            rest = &after[end + 1..];
        } else if rest.starts_with('<')
            && rest[1..].starts_with(|c: char| c.is_ascii_alphabetic())
        {
            let (tag, after) = start_tag(&rest[1..])?;
            reader.open(tag)?;
            rest = after;
        } else if rest.starts_with('<') {
            // A `<!doctype`, `<?…` or a lone `<`: not in the pages casebook writes.
            return None;
        } else {
            let end = rest.find('<').unwrap_or(rest.len());
            let top = reader.stack.last_mut().expect("the root stays");
            top.value.push_str(&rest[..end]);
            rest = &rest[end..];
        }
    }
    reader.finish(path)
}

struct HtmlReader {
    stack: Vec<Element>,
    meta: BTreeMap<String, String>,
    filters: BTreeMap<String, Vec<String>>,
    language: Option<String>,
}

struct StartTag<'a> {
    name: String,
    attrs: Vec<(String, Option<&'a str>)>,
    self_closing: bool,
}

impl StartTag<'_> {
    fn attr(&self, name: &str) -> Option<Option<&str>> {
        self.attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| *v)
    }
}

/// Reads a start tag after its `<`: the tag and what follows its `>`.
fn start_tag(text: &str) -> Option<(StartTag<'_>, &str)> {
    let name_end = text
        .find(|c: char| c.is_ascii_whitespace() || c == '>' || c == '/')
        .unwrap_or(text.len());
    let name = text[..name_end].to_ascii_lowercase();
    let mut rest = &text[name_end..];
    let mut attrs = Vec::new();
    loop {
        rest = rest.trim_start();
        if let Some(after) = rest.strip_prefix("/>") {
            return Some((StartTag { name, attrs, self_closing: true }, after));
        }
        if let Some(after) = rest.strip_prefix('>') {
            return Some((StartTag { name, attrs, self_closing: false }, after));
        }
        if let Some(after) = rest.strip_prefix('/') {
            rest = after;
            continue;
        }
        let attr_end = rest
            .find(|c: char| c.is_ascii_whitespace() || c == '=' || c == '>' || c == '/')
            .filter(|&i| i > 0)?;
        let attr = rest[..attr_end].to_ascii_lowercase();
        rest = rest[attr_end..].trim_start();
        let value = if let Some(after) = rest.strip_prefix('=') {
            let after = after.trim_start();
            let (value, next) = match after.chars().next()? {
                quote @ ('"' | '\'') => {
                    let close = after[1..].find(quote)?;
                    (&after[1..1 + close], &after[close + 2..])
                }
                _ => {
                    let end = after
                        .find(|c: char| c.is_ascii_whitespace() || c == '>')
                        .unwrap_or(after.len());
                    (&after[..end], &after[end..])
                }
            };
            rest = next;
            Some(value)
        } else {
            None
        };
        attrs.push((attr, value));
    }
}

impl HtmlReader {
    fn open(&mut self, tag: StartTag<'_>) -> Option<()> {
        if RAW_TEXT.contains(&tag.name.as_str()) {
            return None;
        }
        for (name, value) in &tag.attrs {
            if name.starts_with("data-pagefind-") && !KNOWN.contains(&name.as_str()) {
                return None;
            }
            // `key[attribute]` reads another attribute: left to pagefind.
            if (name == "data-pagefind-meta" || name == "data-pagefind-filter")
                && value.is_some_and(|v| v.contains('['))
            {
                return None;
            }
        }
        if tag.name == "html"
            && let Some(Some(lang)) = tag.attr("lang")
        {
            self.language = Some(lang.to_lowercase());
        }
        let own = if tag.attr("data-pagefind-body").is_some() {
            Status::Body
        } else {
            match tag.attr("data-pagefind-ignore") {
                None => Status::Indexing,
                Some(v) => match v.unwrap_or("").to_ascii_lowercase().as_str() {
                    "" | "index" | "true" => Status::Ignored,
                    _ => Status::Excluded,
                },
            }
        };
        let parent = self.stack.last_mut().expect("the root stays");
        let parent_status = parent.status;
        if own != Status::Excluded && own != Status::Ignored && tag.attr("id").is_some() {
            // pagefind marks an anchor here, which splits words like a space.
            let outside_body = parent_status == Status::ParentOfBody
                && own != Status::Body
                && own != Status::ParentOfBody;
            if !outside_body {
                parent.value.push(' ');
            }
        }
        if own != Status::Excluded && tag.name == "br" {
            parent.value.push(' ');
        }
        let mut node = Element::new(
            &tag.name,
            if parent_status == Status::Excluded {
                parent_status
            } else {
                own
            },
        );
        let list = |v: Option<Option<&str>>| v.flatten().map(split_spec);
        node.filter = list(tag.attr("data-pagefind-filter"));
        node.meta = list(tag.attr("data-pagefind-meta"));
        // The element itself is one pagefind removes (`html nav`, `html svg`, …).
        if self.stack.len() > 1 && REMOVED.contains(&tag.name.as_str()) {
            node.status = Status::Ignored;
        }
        let void = VOID.contains(&tag.name.as_str());
        let foreign = self.stack.iter().any(|n| n.tag == "svg" || n.tag == "math");
        if tag.self_closing && !void && !foreign {
            // `<div/>` in raw HTML: browsers and pagefind's reader may not agree on it.
            return None;
        }
        let void = void || tag.self_closing;
        if void {
            if node.status == Status::Excluded {
                return Some(());
            }
            self.facts(&node);
            if tag.name == "img"
                && !self.meta.contains_key("auto_image")
                && (self.meta.contains_key("auto_title") || self.meta.contains_key("title"))
                && let Some(Some(src)) = tag.attr("src")
            {
                self.meta.insert("auto_image".into(), normalize(src));
                if let Some(Some(alt)) = tag.attr("alt") {
                    self.meta.insert("auto_image_alt".into(), normalize(alt));
                }
            }
        } else {
            self.stack.push(node);
        }
        Some(())
    }

    /// The filters and meta an element sets (ignored elements set them too).
    fn facts(&mut self, node: &Element) {
        for spec in node.filter.iter().flatten() {
            if let Some((key, value)) = node.pair(spec) {
                self.filters.entry(key).or_default().push(normalize(&value));
            }
        }
        for spec in node.meta.iter().flatten() {
            if let Some((key, value)) = node.pair(spec) {
                self.meta.insert(key, value);
            }
        }
    }

    fn close(&mut self, name: &str) -> Option<()> {
        if self.stack.len() < 2 || self.stack.last()?.tag != name {
            return None;
        }
        let mut node = self.stack.pop()?;
        if node.status == Status::Excluded {
            return Some(());
        }
        self.facts(&node);
        if node.tag == "h1" && !self.meta.contains_key("auto_title") && !node.value.trim().is_empty()
        {
            self.meta.insert("auto_title".into(), normalize(&node.value));
        }
        if node.status == Status::Ignored {
            return Some(());
        }
        if SENTENCE.contains(&node.tag.as_str()) {
            node.value.insert(0, ' ');
            let ends_a_sentence = node.value.chars().last().is_some_and(ends_a_sentence);
            if ends_a_sentence {
                node.value.push('.');
            }
            node.value.push(' ');
        }
        let weight = match node.tag.as_str() {
            "h1" => Some('7'),
            "h2" => Some('6'),
            "h3" => Some('5'),
            "h4" => Some('4'),
            "h5" => Some('3'),
            "h6" => Some('2'),
            _ => None,
        };
        if let Some(weight) = weight {
            node.value = format!(
                " ___PAGEFIND_AUTO_WEIGHT___{weight} {} ___END_PAGEFIND_WEIGHT___ ",
                node.value
            );
        }
        let parent = self.stack.last_mut().expect("the root stays");
        if parent.status == Status::ParentOfBody
            && node.status != Status::Body
            && node.status != Status::ParentOfBody
        {
            return Some(());
        }
        match node.status {
            Status::Ignored | Status::Excluded => {}
            Status::Indexing => parent.value.push_str(&node.value),
            Status::Body | Status::ParentOfBody => {
                if parent.status != Status::ParentOfBody {
                    parent.value.clear();
                }
                parent.value.push_str(&node.value);
                parent.status = Status::ParentOfBody;
            }
        }
        Some(())
    }

    fn finish(mut self, path: &str) -> Option<Record> {
        // Every element was closed: the root alone is left, and it held a body.
        let root = self.stack.pop()?;
        if !self.stack.is_empty() || root.status != Status::ParentOfBody {
            return None;
        }
        let mut meta = self.meta;
        if let Some(image) = meta.remove("auto_image") {
            let alt = meta.remove("auto_image_alt").unwrap_or_default();
            if !meta.contains_key("image") {
                meta.insert("image".into(), image);
                meta.insert("image_alt".into(), alt);
            }
        }
        if let Some(title) = meta.remove("auto_title") {
            meta.entry("title".into()).or_insert(title);
        }
        let page = path
            .strip_suffix("index.html")
            .filter(|p| p.is_empty() || p.ends_with('/'))
            .unwrap_or(path);
        Some(Record {
            url: format!("/{}", utf8_percent_encode(page, PATH)),
            // pagefind splits the text at white space: only its entities need decoding.
            digest: html_escape::decode_html_entities(&root.value).into_owned(),
            language: self.language.filter(|l| !l.is_empty())?,
            meta,
            filters: self.filters,
        })
    }
}

/// `a, b:c` → `["a", "b:c"]`; a `:` ends the list (its value may hold commas).
fn split_spec(spec: &str) -> Vec<String> {
    if let Some((keys, literal)) = spec.split_once(':') {
        let mut keys = split_spec(keys);
        if let Some(last) = keys.last_mut() {
            last.push(':');
            last.push_str(literal);
        }
        return keys;
    }
    spec.split(',').map(|s| s.trim().to_string()).collect()
}

/// pagefind's `normalize_content`: entities decoded, the ends trimmed, line breaks and runs
/// of white space made one space.
fn normalize(text: &str) -> String {
    static ENDS: LazyLock<Regex> =
        LazyLock::new(|| Regex::new("^[\n\r\\s]+|[\n\r\\s]+$").expect("a valid pattern"));
    static LINES: LazyLock<Regex> =
        LazyLock::new(|| Regex::new("(\n|\r\n)+").expect("a valid pattern"));
    static SPACES: LazyLock<Regex> =
        LazyLock::new(|| Regex::new("\\s{2,}").expect("a valid pattern"));
    let decoded = html_escape::decode_html_entities(text);
    let text = ENDS.replace_all(&decoded, "");
    let text = LINES.replace_all(&text, " ");
    SPACES.replace_all(&text, " ").into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_quick_answer_for_ascii_is_pagefinds() {
        for c in (0u8..128).map(char::from) {
            assert_eq!(
                ends_a_sentence(c),
                SENTENCE_END.is_match(c.encode_utf8(&mut [0; 4])),
                "{c:?}"
            );
        }
    }
}
