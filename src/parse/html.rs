//! Raw HTML inside Markdown, as the parser keeps it: comments removed (a note commented out
//! is for the writer, never for a reader, not even in the page source), how deeply its
//! elements nest, and the values of its attributes.

use std::borrow::Cow;

/// `html` without its comments. A comment left open runs to the end of `html`, as it does
/// in a browser.
pub fn strip_comments(html: &str) -> Cow<'_, str> {
    if !html.contains("<!--") {
        return Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find("<!--") {
        out.push_str(&rest[..at]);
        let inside = &rest[at + 4..];
        rest = inside.find("-->").map_or("", |end| &inside[end + 3..]);
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// One attribute of a start tag in raw HTML, as a browser reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribute<'a> {
    /// The tag's name as written (`img`, `A`), and where its `<` stands in the HTML: the
    /// attributes of one element share it.
    pub tag: &'a str,
    pub element: usize,
    /// The attribute's name as written.
    pub name: &'a str,
    pub value: &'a str,
    /// Where the value stands in the HTML: its first byte, and the bytes it takes as
    /// written (with its quotes, if any).
    pub at: usize,
    pub written: std::ops::Range<usize>,
}

/// The attributes that have a value, in the start tags of `html`, in order. Comments and
/// end tags are skipped.
pub fn attributes(html: &str) -> Vec<Attribute<'_>> {
    let mut found = Vec::new();
    let offset = |part: &str| part.as_ptr() as usize - html.as_ptr() as usize;
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        rest = &rest[at + 1..];
        if let Some(comment) = rest.strip_prefix("!--") {
            rest = comment.split_once("-->").map_or("", |(_, after)| after);
            continue;
        }
        if !rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
            continue;
        }
        // Past the tag's name, then attribute by attribute up to `>`.
        let mut tag = rest.trim_start_matches(|c: char| c.is_ascii_alphanumeric() || c == '-');
        let tag_name = &rest[..rest.len() - tag.len()];
        let element = offset(rest) - 1;
        loop {
            tag = tag.trim_start_matches(|c: char| c.is_ascii_whitespace() || c == '/');
            if tag.is_empty() || tag.starts_with('>') {
                break;
            }
            let end = tag
                .find(|c: char| c.is_ascii_whitespace() || c == '=' || c == '>' || c == '/')
                .unwrap_or(tag.len())
                .max(1);
            let name = &tag[..end];
            tag = tag[end..].trim_start_matches(|c: char| c.is_ascii_whitespace());
            let Some(after) = tag.strip_prefix('=') else {
                continue;
            };
            let after = after.trim_start_matches(|c: char| c.is_ascii_whitespace());
            let (value, next) = match after.chars().next() {
                Some(q @ ('"' | '\'')) => {
                    let inner = &after[1..];
                    match inner.find(q) {
                        Some(close) => (&inner[..close], &inner[close + 1..]),
                        None => (inner, ""),
                    }
                }
                _ => {
                    let end = after
                        .find(|c: char| c.is_ascii_whitespace() || c == '>')
                        .unwrap_or(after.len());
                    (&after[..end], &after[end..])
                }
            };
            found.push(Attribute {
                tag: tag_name,
                element,
                name,
                value,
                at: offset(value),
                written: offset(after)..offset(next),
            });
            tag = next;
        }
        rest = tag;
    }
    found
}

/// The values of the attribute `name` (lowercase) in the start tags of `html`, as written:
/// `<a id="old-name">`, `<span id='path'>` and `<p id=intro>` give `old-name`, `path` and
/// `intro`. Comments and end tags are skipped.
pub fn attribute_values<'a>(html: &'a str, name: &str) -> Vec<&'a str> {
    attributes(html)
        .into_iter()
        .filter(|a| a.name.eq_ignore_ascii_case(name))
        .map(|a| a.value)
        .collect()
}

/// Whether an attribute is an address casebook resolves as it does a Markdown link's or
/// image's: `href` on any element, `src` on any (a picture, a video, a frame). Gives
/// whether it is loaded into the page (`src`) rather than followed.
pub fn address(attribute: &Attribute<'_>) -> Option<bool> {
    if attribute.name.eq_ignore_ascii_case("href") {
        Some(false)
    } else if attribute.name.eq_ignore_ascii_case("src") {
        Some(true)
    } else {
        None
    }
}

/// `html` with the value of each address attribute (see [`address`]) replaced by what
/// `url` gives for it (`None` keeps it as written). A replaced value is written in double
/// quotes, escaped.
pub fn rewrite_addresses(
    html: &str,
    mut url: impl FnMut(&Attribute<'_>, bool) -> Option<String>,
) -> Cow<'_, str> {
    let mut out = String::new();
    let mut copied = 0;
    for attribute in attributes(html) {
        let Some(loaded) = address(&attribute) else {
            continue;
        };
        let Some(new) = url(&attribute, loaded) else {
            continue;
        };
        out.push_str(&html[copied..attribute.written.start]);
        out.push('"');
        for c in new.chars() {
            match c {
                '"' => out.push_str("&quot;"),
                '&' => out.push_str("&amp;"),
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                c => out.push(c),
            }
        }
        out.push('"');
        copied = attribute.written.end;
    }
    if copied == 0 {
        return Cow::Borrowed(html);
    }
    out.push_str(&html[copied..]);
    Cow::Owned(out)
}

/// HTML elements that do not nest: void ones (`<br>`) and ones whose end tag may be left
/// out, which the next one closes (`<p>`, `<li>`, `<td>`).
const UNNESTED: [&str; 29] = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr", "p", "li", "dt", "dd", "tr", "td", "th", "option", "optgroup", "thead", "tbody",
    "tfoot", "colgroup", "caption", "rt", "rp",
];

/// How many raw HTML elements are open after `html`, `open` being open before it (a start
/// tag opens one, an end tag closes one), and the most that were open inside it.
pub fn depth(mut open: usize, html: &str) -> (usize, usize) {
    let mut deepest = open;
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        rest = &rest[at + 1..];
        if let Some(comment) = rest.strip_prefix("!--") {
            rest = comment.split_once("-->").map_or("", |(_, after)| after);
            continue;
        }
        let closing = rest.starts_with('/');
        let name = rest.trim_start_matches('/');
        let name = &name[..name
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(name.len())];
        let self_closing = rest
            .split_once('>')
            .is_some_and(|(tag, _)| tag.ends_with('/'));
        if name.is_empty()
            || !name.starts_with(|c: char| c.is_ascii_alphabetic())
            || self_closing
            || UNNESTED.contains(&name.to_ascii_lowercase().as_str())
        {
            continue;
        }
        if closing {
            open = open.saturating_sub(1);
        } else {
            open += 1;
            deepest = deepest.max(open);
        }
    }
    (open, deepest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attribute_values_are_read_as_a_browser_reads_them() {
        let html = r#"<a id="old-name"></a> <span class=x id='path'>t</span> <p ID=intro>
            <!-- <a id="gone"> --> </a id="end-tag"> <img src="a b.png" alt="x > y" id=pic />"#;
        assert_eq!(
            attribute_values(html, "id"),
            ["old-name", "path", "intro", "pic"]
        );
        assert_eq!(attribute_values(html, "src"), ["a b.png"]);
        assert_eq!(
            attribute_values("<a data-id=\"x\" hidden id=y>", "id"),
            ["y"]
        );
        assert!(attribute_values("a < b and id=\"no\"", "id").is_empty());
    }

    #[test]
    fn addresses_in_raw_html_are_rewritten_in_place() {
        let html = r#"<p align=center><img SRC=img/a.png alt="a"> <a href='x.md#y' id=z>x</a> <!-- <img src="gone.png"> --></p>"#;
        let rewritten = rewrite_addresses(html, |a, loaded| {
            Some(format!(
                "{}:{}",
                if loaded { "load" } else { "go" },
                a.value.to_uppercase()
            ))
        });
        assert_eq!(
            rewritten,
            r#"<p align=center><img SRC="load:IMG/A.PNG" alt="a"> <a href="go:X.MD#Y" id=z>x</a> <!-- <img src="gone.png"> --></p>"#
        );
        let attributes = attributes(html);
        let src = attributes.iter().find(|a| a.name == "SRC").unwrap();
        assert_eq!((src.tag, &html[src.at..src.at + 9]), ("img", "img/a.png"));
        assert_eq!(
            rewrite_addresses("<b>no</b>", |_, _| Some("x".into())),
            "<b>no</b>"
        );
        assert_eq!(
            rewrite_addresses(r#"<a href="a">"#, |_, _| Some("a\"b&c".into())),
            r#"<a href="a&quot;b&amp;c">"#
        );
    }

    #[test]
    fn comments_are_removed_even_when_left_open() {
        assert_eq!(strip_comments("<p>a</p>"), "<p>a</p>");
        assert_eq!(strip_comments("a<!-- x -->b<!--y-->c"), "abc");
        assert_eq!(
            strip_comments("<div>\n<!--\n::: trainer\nold\n:::\n-->\n</div>"),
            "<div>\n\n</div>"
        );
        assert_eq!(strip_comments("a <!-- never closed\nsecret"), "a ");
    }
}
