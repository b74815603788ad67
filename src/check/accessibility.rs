//! What is hard to read with a screen reader: skipped heading levels, images without alt
//! text, links that do not say where they go, tables without a header row.

use pulldown_cmark::{Event, Tag, TagEnd};

use crate::diag::Diagnostic;
use crate::model::Site;
use crate::parse::Node;

use super::{Kind, Report, Wanted, add, pages};

const VAGUE_LINKS: &[&str] = &[
    "click here",
    "here",
    "this link",
    "link",
    "read more",
    "more",
    "this page",
    "klik di sini",
    "di sini",
    "pindutin dito",
    "dito",
    "i-click dito",
];

pub(super) fn accessibility(site: &Site, wanted: Wanted<'_>, report: &mut Report) {
    for (_, page) in pages(site).filter(|(_, p)| wanted(&p.source.path)) {
        let path = &page.source.path;
        // Headings: a page's title is its h1, so sections start at h2.
        let mut last = 1u8;
        for h in &page.doc.headings {
            if h.level > last + 1 {
                add(
                    report,
                    Kind::Accessibility,
                    Diagnostic::warning(format!(
                        "the heading `{}` skips from level {last} to level {}",
                        h.text, h.level
                    ))
                    .at(path, h.line, 1)
                    .hint(format!(
                        "use {} here: screen reader users move by heading level",
                        "#".repeat(usize::from(last) + 1)
                    )),
                );
            }
            last = h.level;
        }
        let mut link: Option<(String, usize)> = None;
        let mut table_head: Option<(bool, usize)> = None;
        for node in &page.doc.nodes {
            match node {
                Node::Image { alt, line, dest } if alt.trim().is_empty() => {
                    add(report, Kind::Accessibility, Diagnostic::warning(format!("the image `{dest}` has no alt text")).at(path, *line, 1).hint("describe what the image shows: `![A filled-in claim form](form.png)`"));
                }
                Node::Md(Event::Start(Tag::Link { .. }), line) => {
                    link = Some((String::new(), *line))
                }
                Node::Md(Event::Text(t), _) | Node::Md(Event::Code(t), _) => {
                    if let Some((text, _)) = link.as_mut() {
                        text.push_str(t);
                    }
                    if let Some((empty, _)) = table_head.as_mut() {
                        *empty &= t.trim().is_empty();
                    }
                }
                Node::Md(Event::End(TagEnd::Link), _) => {
                    if let Some((text, line)) = link.take() {
                        let words = text.trim().trim_end_matches(['.', ':']).to_lowercase();
                        if VAGUE_LINKS.contains(&words.as_str()) {
                            add(report, Kind::Accessibility, Diagnostic::warning(format!("the link text `{}` does not say where it goes", text.trim())).at(path, line, 1).hint("name the destination: `see [the wage claim form](…)`, not `[click here](…)`"));
                        }
                    }
                }
                Node::Md(Event::Start(Tag::TableHead), line) => table_head = Some((true, *line)),
                Node::Md(Event::End(TagEnd::TableHead), _) => {
                    if let Some((true, line)) = table_head.take() {
                        add(report, Kind::Accessibility, Diagnostic::warning("the table has no header row").at(path, line, 1).hint("put column names in the first row, so each cell can be read with its column"));
                    }
                }
                _ => {}
            }
        }
    }
}
