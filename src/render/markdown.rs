//! A page's nodes (already filtered by edition) → HTML: links resolved to URLs in the
//! reader's language, callouts and `:::` blocks in casebook's markup, code highlighted,
//! each table in a named region of its own that scrolls sideways, so the page never does.

use std::collections::HashMap;

use pulldown_cmark::{BlockQuoteKind, CowStr, Event, Tag, TagEnd};

use crate::config::Edition;
use crate::i18n::Strings;
use crate::model::{Site, Target};
use crate::parse::html::rewrite_addresses;
use crate::parse::referrals::dial_string;
use crate::parse::{BlockKind, Node, ParsedPage};

use super::{escape, tables, urls};

/// How to write a page's HTML where it is shown.
pub struct Options<'a> {
    pub site: &'a Site,
    /// The reader's language.
    pub lang: &'a str,
    /// The output folder of the page being written, relative to the output root
    /// (`id/01-case-screening/01-first-contact/`).
    pub from_dir: &'a str,
    pub strings: &'a Strings,
    pub edition: Edition,
    /// Write full URLs (for print, where a relative path means nothing on paper).
    pub absolute: bool,
    /// Added to heading levels (a lesson inside a print view starts at h3).
    pub heading_shift: u8,
    /// Prepended to heading ids (pages combined into one print view stay unique).
    pub id_prefix: &'a str,
    /// The names given to table regions so far on the page being written.
    pub table_names: &'a tables::Names,
}

pub struct Rendered {
    pub html: String,
    pub has_code: bool,
}

pub fn render(page: &ParsedPage, nodes: &[&Node], opts: &Options<'_>) -> Rendered {
    let mut events: Vec<Event<'_>> = Vec::with_capacity(nodes.len());
    let mut closers: Vec<&'static str> = Vec::new();
    let mut callouts: Vec<bool> = Vec::new();
    let mut has_code = false;
    // Footnotes are numbered in the order they first appear. Their ids start with `fn:`,
    // which no heading id has, and carry the print view's prefix like headings do.
    let mut footnotes: Vec<String> = Vec::new();
    let mut number = |name: &str| -> usize {
        match footnotes.iter().position(|n| n == name) {
            Some(i) => i + 1,
            None => {
                footnotes.push(name.to_string());
                footnotes.len()
            }
        }
    };
    let mut referenced: std::collections::HashSet<String> = std::collections::HashSet::new();
    let numbers = directory_numbers(opts.site);
    // Inside a link or a heading, numbers stay text.
    let mut in_link = 0usize;
    // The text of the last heading: a table's region is named after the heading above it.
    let mut heading: Option<String> = None;
    let mut in_heading = false;
    for (at, node) in nodes.iter().enumerate() {
        let event = match node {
            Node::Open { kind, title, .. } => {
                let (open, close) = open_block(*kind, title.as_deref(), opts);
                events.push(Event::Html(CowStr::from(open)));
                closers.push(close);
                continue;
            }
            Node::Close(_) => {
                if let Some(close) = closers.pop() {
                    events.push(Event::Html(CowStr::Borrowed(close)));
                }
                continue;
            }
            Node::Image { dest, alt, .. } => {
                let src = link_url(page, dest, true, opts);
                events.push(Event::InlineHtml(CowStr::from(format!(
                    "<img src=\"{}\" alt=\"{}\" loading=\"lazy\">",
                    escape(&src),
                    escape(alt)
                ))));
                continue;
            }
            Node::Code { lang, text, .. } => {
                events.push(Event::Html(CowStr::from(code_block(
                    lang.as_deref(),
                    text,
                    &mut has_code,
                ))));
                continue;
            }
            Node::Md(event, _) => event,
        };
        match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                in_link += 1;
                // `[2157 9537](tel:)`: the number is the link's text.
                let url = if &**dest_url == "tel:" {
                    format!("tel:{}", dial_string(&link_text(&nodes[at + 1..])))
                } else {
                    link_url(page, dest_url, false, opts)
                };
                events.push(Event::Start(Tag::Link {
                    link_type: *link_type,
                    dest_url: CowStr::from(url),
                    title: title.clone(),
                    id: id.clone(),
                }));
            }
            Event::End(TagEnd::Link) => {
                in_link = in_link.saturating_sub(1);
                events.push(event.clone());
            }
            Event::Text(text) if in_link == 0 && !in_heading && !numbers.is_empty() => {
                link_numbers(text, &numbers, &mut events);
            }
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                heading = Some(String::new());
                in_heading = true;
                let shifted = shift(*level, opts.heading_shift);
                let id = id
                    .as_ref()
                    .map(|id| CowStr::from(format!("{}{id}", opts.id_prefix)));
                events.push(Event::Start(Tag::Heading {
                    level: shifted,
                    id,
                    classes: classes.clone(),
                    attrs: attrs.clone(),
                }));
            }
            Event::End(TagEnd::Heading(level)) => {
                in_heading = false;
                events.push(Event::End(TagEnd::Heading(shift(
                    *level,
                    opts.heading_shift,
                ))));
            }
            Event::Text(text) | Event::Code(text) if in_heading => {
                if let Some(h) = heading.as_mut() {
                    h.push_str(text);
                }
                events.push(event.clone());
            }
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                callouts.push(true);
                let (class, key) = callout(*kind);
                events.push(Event::Html(CowStr::from(format!(
                    "<div class=\"callout callout-{class}\" role=\"note\"><p class=\"callout-title\">{}</p>",
                    escape(opts.strings.get(key))
                ))));
            }
            Event::Start(Tag::BlockQuote(None)) => {
                callouts.push(false);
                events.push(event.clone());
            }
            Event::End(TagEnd::BlockQuote(_)) => {
                if callouts.pop() == Some(true) {
                    events.push(Event::Html(CowStr::Borrowed("</div>")));
                } else {
                    events.push(event.clone());
                }
            }
            Event::Start(Tag::Table(_)) => {
                events.push(Event::Html(CowStr::from(table_region(
                    tables::read(&nodes[at..]),
                    heading.as_deref(),
                    opts,
                ))));
                events.push(event.clone());
            }
            Event::End(TagEnd::Table) => {
                events.push(event.clone());
                events.push(Event::Html(CowStr::Borrowed("</div>")));
            }
            Event::TaskListMarker(done) => {
                // The box is drawn for the eye; a screen reader hears the words.
                let (class, mark, key) = if *done {
                    ("tick done", "☑", "task_done")
                } else {
                    ("tick", "☐", "task_open")
                };
                events.push(Event::InlineHtml(CowStr::from(format!(
                    "<span class=\"{class}\" aria-hidden=\"true\">{mark}</span><span class=\"visually-hidden\">{}</span> ",
                    escape(opts.strings.get(key))
                ))));
            }
            Event::FootnoteReference(name) => {
                let n = number(name);
                // Only the first reference to a note gets the id its back link points to.
                let id = if referenced.insert(name.to_string()) {
                    format!(" id=\"{}fnref:{}\"", opts.id_prefix, escape(name))
                } else {
                    String::new()
                };
                events.push(Event::InlineHtml(CowStr::from(format!(
                    "<sup class=\"footnote-reference\"{id}><a href=\"#{}fn:{}\">{n}</a></sup>",
                    opts.id_prefix,
                    escape(name)
                ))));
            }
            Event::Start(Tag::FootnoteDefinition(name)) => {
                let n = number(name);
                events.push(Event::Html(CowStr::from(format!(
                    "<div class=\"footnote-definition\" id=\"{}fn:{}\"><sup class=\"footnote-definition-label\">{n}</sup><div class=\"footnote-body\">",
                    opts.id_prefix,
                    escape(name)
                ))));
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                events.push(Event::Html(CowStr::Borrowed("</div></div>")));
            }
            // Raw HTML's `src` and `href` lead where Markdown's links and images would.
            Event::Html(raw) | Event::InlineHtml(raw) => {
                let rewritten = rewrite_addresses(raw, |attribute, loaded| {
                    let url = link_url(page, attribute.value, loaded, opts);
                    (url != attribute.value).then_some(url)
                });
                let raw = CowStr::from(rewritten.into_owned());
                events.push(match event {
                    Event::Html(_) => Event::Html(raw),
                    _ => Event::InlineHtml(raw),
                });
            }
            other => events.push(other.clone()),
        }
    }
    for close in closers.into_iter().rev() {
        events.push(Event::Html(CowStr::Borrowed(close)));
    }
    let mut html = String::with_capacity(events.len() * 16);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    Rendered { html, has_code }
}

/// The referral directory's numbers, by their digits as a page may write them: the number
/// as dialled (`+85221579537`, `999`) and a Hong Kong number's eight local digits.
fn directory_numbers(site: &Site) -> HashMap<String, String> {
    let mut numbers = HashMap::new();
    for r in &site.referrals {
        for phone in [&r.phone, &r.whatsapp].into_iter().flatten() {
            let dial = dial_string(phone);
            if let Some(local) = dial.strip_prefix("+852") {
                numbers.insert(local.to_string(), dial.clone());
            }
            numbers.insert(dial.clone(), dial);
        }
    }
    numbers
}

/// The text of a link that starts the nodes, up to its end.
fn link_text(nodes: &[&Node]) -> String {
    let mut text = String::new();
    for node in nodes {
        match node {
            Node::Md(Event::End(TagEnd::Link), _) => break,
            Node::Md(Event::Text(t) | Event::Code(t), _) => text.push_str(t),
            _ => {}
        }
    }
    text
}

/// Text with each number of the directory in it (`2157 9537`, `+852 2157-9537`, `999`)
/// made a `tel:` link. Only a whole number counts: not the digits of an amount (`HK$999`),
/// a date or a longer number.
fn link_numbers<'a>(text: &CowStr<'a>, numbers: &HashMap<String, String>, events: &mut Vec<Event<'a>>) {
    let mut done = 0;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        let starts = (c == b'+' && bytes.get(i + 1).is_some_and(u8::is_ascii_digit)) || c.is_ascii_digit();
        // An ASCII byte starts a character, so `i` is a boundary when it `starts`.
        let boundary = || {
            text[..i]
                .chars()
                .next_back()
                .is_none_or(|b| b.is_whitespace() || "([\"'“‘:".contains(b))
        };
        if !starts || !boundary() {
            i += 1;
            continue;
        }
        // A run of digits with single spaces or hyphens between groups.
        let mut end = i + 1;
        let mut j = i + 1;
        while j < bytes.len() {
            if bytes[j].is_ascii_digit() {
                j += 1;
                end = j;
            } else if matches!(bytes[j], b' ' | b'-') && bytes.get(j + 1).is_some_and(u8::is_ascii_digit) {
                j += 1;
            } else {
                break;
            }
        }
        let after = &text[end..];
        let joined = after.starts_with(|a: char| a.is_alphanumeric())
            || (after.starts_with(['.', ',']) && after[1..].starts_with(|a: char| a.is_ascii_digit()));
        match numbers.get(&dial_string(&text[i..end])) {
            Some(dial) if !joined => {
                if done < i {
                    events.push(Event::Text(CowStr::from(text[done..i].to_string())));
                }
                events.push(Event::InlineHtml(CowStr::from(format!(
                    "<a class=\"number\" href=\"tel:{dial}\">{}</a>",
                    escape(&text[i..end])
                ))));
                done = end;
            }
            _ => {}
        }
        i = end.max(i + 1);
    }
    if done == 0 {
        events.push(Event::Text(text.clone()));
    } else if done < text.len() {
        events.push(Event::Text(CowStr::from(text[done..].to_string())));
    }
}

/// The opening of a table's region: named after the heading above it (or "Table"), with
/// the "scroll sideways" hint the stylesheet shows when the table is wider than the screen.
/// Only a table that may be too wide for a phone is a tab stop, to scroll it by keyboard: a
/// region that cannot scroll would be a stop with nothing to do.
fn table_region(table: tables::Table, heading: Option<&str>, opts: &Options<'_>) -> String {
    let name = match heading.map(str::trim).filter(|h| !h.is_empty()) {
        Some(h) => opts.table_names.unique(h),
        None => opts.table_names.unique(opts.strings.get("table")),
    };
    format!(
        "<div class=\"table-wrap{}\" role=\"region\" aria-label=\"{}\"{} data-hint=\"{}\">",
        if table.fill_in { " fill-in" } else { "" },
        escape(&name),
        if table.may_scroll { " tabindex=\"0\"" } else { "" },
        escape(opts.strings.get("table_scroll")),
    )
}

fn shift(level: pulldown_cmark::HeadingLevel, by: u8) -> pulldown_cmark::HeadingLevel {
    use pulldown_cmark::HeadingLevel::*;
    let n = (level as u8 + by).min(6);
    [H1, H2, H3, H4, H5, H6][usize::from(n.max(1)) - 1]
}

fn callout(kind: BlockQuoteKind) -> (&'static str, &'static str) {
    match kind {
        BlockQuoteKind::Note => ("note", "callout_note"),
        BlockQuoteKind::Tip => ("tip", "callout_tip"),
        BlockQuoteKind::Important => ("important", "callout_important"),
        BlockQuoteKind::Warning => ("warning", "callout_warning"),
        BlockQuoteKind::Caution => ("caution", "callout_caution"),
    }
}

fn open_block(kind: BlockKind, title: Option<&str>, opts: &Options<'_>) -> (String, &'static str) {
    let t = |key: &str| escape(opts.strings.get(key));
    match kind {
        BlockKind::Answer if opts.edition == Edition::Mentee => (
            format!(
                "<details class=\"answer\"><summary>{}</summary><div class=\"answer-body\">",
                t("show_model_answer")
            ),
            "</div></details>",
        ),
        BlockKind::Answer => (
            format!(
                "<div class=\"answer answer-open\"><p class=\"block-label\">{}</p>",
                t("model_answer")
            ),
            "</div>",
        ),
        BlockKind::Trainer => (
            format!(
                "<div class=\"trainer-note\"><p class=\"block-label\">{}</p>",
                t("facilitator_notes")
            ),
            "</div>",
        ),
        BlockKind::Roleplay => {
            let label = match title {
                Some(title) => format!("{}: {}", t("roleplay"), escape(title)),
                None => t("roleplay"),
            };
            (
                format!("<div class=\"roleplay\"><p class=\"block-label\">{label}</p>"),
                "</div>",
            )
        }
    }
}

fn code_block(lang: Option<&str>, text: &str, has_code: &mut bool) -> String {
    let highlighted = lang.and_then(|l| super::highlight::highlight(text, l));
    match highlighted {
        Some(html) => {
            *has_code = true;
            format!("<pre class=\"code\" tabindex=\"0\"><code>{html}</code></pre>\n")
        }
        None => format!(
            "<pre class=\"code\" tabindex=\"0\"><code>{}</code></pre>\n",
            escape(text)
        ),
    }
}

/// The URL a link or image in `page` points to, as written in the output page.
fn link_url(page: &ParsedPage, dest: &str, image: bool, opts: &Options<'_>) -> String {
    let target = opts.site.target(&page.source.path, dest);
    let (path, anchor) = match target {
        None | Some(Target::External) => return dest.to_string(),
        Some(Target::Anchor(a)) => return format!("#{}{a}", opts.id_prefix),
        Some(Target::Page { id, anchor, lang }) => {
            let lang = lang.as_deref().unwrap_or(opts.lang);
            (
                urls::page_path(opts.site, lang, &opts.site.entries[*id].url),
                anchor.clone(),
            )
        }
        Some(Target::Directory) => (urls::page_path(opts.site, opts.lang, urls::DIRECTORY), None),
        Some(Target::Asset { path, anchor }) => (urls::asset_path(path), anchor.clone()),
    };
    // Images stay relative even in print: they are loaded, not printed as addresses.
    let is_image = matches!(target, Some(Target::Asset { .. })) && image;
    let url = if opts.absolute && !is_image {
        urls::absolute(opts.site, &path)
    } else {
        urls::relative(opts.from_dir, &path)
    };
    match anchor {
        Some(a) => format!("{url}#{a}"),
        None => url,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn linked(text: &str) -> String {
        let numbers: HashMap<String, String> = [
            ("21579537", "+85221579537"),
            ("+85221579537", "+85221579537"),
            ("999", "999"),
        ]
        .into_iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
        let mut events = Vec::new();
        link_numbers(&CowStr::from(text.to_string()), &numbers, &mut events);
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, events.into_iter());
        html
    }

    #[test]
    fn directory_numbers_dial_and_nothing_else_does() {
        assert_eq!(
            linked("Call 2157 9537, or +852 2157-9537 (“999” at once)."),
            "Call <a class=\"number\" href=\"tel:+85221579537\">2157 9537</a>, or <a class=\"number\" href=\"tel:+85221579537\">+852 2157-9537</a> (“<a class=\"number\" href=\"tel:999\">999</a>” at once)."
        );
        for text in [
            "HK$999 a month",
            "9990 or 1999",
            "by 17 September 2021",
            "2157 95370",
            "999.5 hours",
            "It is 2157 9537a",
        ] {
            assert_eq!(linked(text), text, "{text} stays text");
        }
    }
}
