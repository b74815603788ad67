//! Raw HTML inside Markdown, as the parser keeps it: comments removed (a note commented out
//! is for the writer, never for a reader, not even in the page source), and how deeply its
//! elements nest.

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
