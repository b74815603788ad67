//! What front matter and a page's shape leave out: a workshop without `summary` or
//! `objectives`, a fact pattern without a question or a model answer.

use pulldown_cmark::Event;

use crate::diag::Diagnostic;
use crate::model::{Kind as EntryKind, Site};
use crate::parse::{BlockKind, Node};

use super::{Kind, Report, add};

pub(super) fn front_matter(site: &Site, report: &mut Report) {
    for entry in &site.entries {
        let page = &entry.original;
        let path = &page.source.path;
        match entry.kind {
            EntryKind::Workshop => {
                if page.meta.summary.is_none() {
                    add(report, Kind::FrontMatter, Diagnostic::warning("the workshop has no `summary`").at(path, 1, 1).hint("add `summary:` with one sentence on what the workshop is about; it is shown on the programme page and in search results"));
                }
                if page.meta.objectives.is_empty() {
                    add(report, Kind::FrontMatter, Diagnostic::warning("the workshop has no `objectives`").at(path, 1, 1).hint("add `objectives:` with what a mentee will be able to do afterwards, one item per line"));
                }
            }
            EntryKind::FactPattern => {
                let doc = &page.doc;
                if !doc.blocks.contains(&BlockKind::Answer) {
                    add(
                        report,
                        Kind::FrontMatter,
                        Diagnostic::warning("the fact pattern has no model answer")
                            .at(path, 1, 1)
                            .hint("add a `::: answer` block after the questions"),
                    );
                }
                let asks = doc
                    .nodes
                    .iter()
                    .any(|n| matches!(n, Node::Md(Event::Text(t), _) if t.contains('?')));
                if !asks {
                    add(
                        report,
                        Kind::FrontMatter,
                        Diagnostic::warning("the fact pattern asks no question")
                            .at(path, 1, 1)
                            .hint("add a `## Questions` section with questions ending in `?`"),
                    );
                }
            }
            _ => {}
        }
    }
}
