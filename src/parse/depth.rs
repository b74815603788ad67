//! How deeply a page nests, as it is read: past what the renderers can take, the page is
//! refused at the line where it happens.

use pulldown_cmark::{Event, Tag, TagEnd};

use super::html;
use crate::diag::Diagnostic;

/// The most lists, quotes and `:::` blocks that may sit inside each other. Typst, which
/// typesets the PDFs, gives up at 16 quotes inside each other, and no reader follows 10
/// levels of a list on a phone.
pub const MAX_BLOCK_NESTING: usize = 10;

/// The most elements (Markdown and raw HTML, blocks and inline) that may sit inside each
/// other. minify-html, which writes the pages, recurses once per level and overflows its
/// stack after a few thousand.
pub const MAX_NESTING: usize = 64;

/// How deep the page is nested at the current event.
#[derive(Default)]
pub struct Depth {
    /// Open Markdown elements and `:::` blocks.
    elements: usize,
    /// Among them, lists, quotes and `:::` blocks.
    blocks: usize,
    /// Elements opened in raw HTML and not closed yet.
    html: usize,
}

impl Depth {
    /// Follows one event. Returns the error (to be placed at the event) when the page is
    /// nested deeper than casebook can render.
    pub fn enter(&mut self, event: &Event<'_>) -> Option<Diagnostic> {
        let mut deepest_html = self.html;
        match event {
            Event::Start(tag) => {
                self.elements += 1;
                self.blocks += usize::from(matches!(tag, Tag::List(_) | Tag::BlockQuote(_)));
            }
            Event::End(tag) => {
                self.elements = self.elements.saturating_sub(1);
                if matches!(tag, TagEnd::List(_) | TagEnd::BlockQuote(_)) {
                    self.blocks = self.blocks.saturating_sub(1);
                }
            }
            Event::Html(raw) | Event::InlineHtml(raw) => {
                let (open, deepest) = html::depth(self.html, raw);
                self.html = open;
                deepest_html = deepest;
            }
            _ => {}
        }
        self.too_deep(deepest_html)
    }

    /// A `:::` block opens (`true`) or closes. Returns the error when the page is nested
    /// deeper than casebook can render.
    pub fn block(&mut self, open: bool) -> Option<Diagnostic> {
        if open {
            self.elements += 1;
            self.blocks += 1;
        } else {
            self.elements = self.elements.saturating_sub(1);
            self.blocks = self.blocks.saturating_sub(1);
        }
        self.too_deep(self.html)
    }

    fn too_deep(&self, deepest_html: usize) -> Option<Diagnostic> {
        if self.blocks > MAX_BLOCK_NESTING {
            return Some(
                Diagnostic::error(format!(
                    "lists, quotes and `:::` blocks are nested more than {MAX_BLOCK_NESTING} deep here"
                ))
                .hint("check the indentation of this line and the ones above it; a reader cannot follow more levels, and the PDF cannot print them"),
            );
        }
        if self.elements + deepest_html > MAX_NESTING {
            return Some(
                Diagnostic::error(format!(
                    "the text is nested more than {MAX_NESTING} levels deep here"
                ))
                .hint("look for a long run of `*`, `_` or `~`, or for HTML tags that are opened and never closed (`<div>` without `</div>`)"),
            );
        }
        None
    }
}
