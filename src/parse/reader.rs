//! Reads pulldown-cmark's events into a [`Document`]: the `:::` blocks' markers
//! (see `fences`) become open and close nodes where they stand as blocks of their own, and
//! are errors anywhere else; raw HTML loses its comments; headings get their ids; links,
//! images and footnotes are recorded with where they stand.

use std::ops::{ControlFlow, Range};
use std::path::Path;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, LinkType, Tag, TagEnd};

use super::depth::Depth;
use super::document::{BlockKind, Document, Footnote, Node, Reference, Visibility};
use super::fences::{Fence, Fences, What};
use super::headings::{PendingHeading, assign_ids};
use super::html;
use super::positions::Positions;
use crate::diag::{Diagnostic, did_you_mean};

/// A `:::` block being read.
struct OpenBlock {
    /// `None` for an unknown name (reported), so its closing `:::` is not reported too.
    kind: Option<BlockKind>,
    line: usize,
    /// The column of its first `:`, and the fence's width.
    col: usize,
    width: usize,
    /// Where its marker starts in the text.
    offset: usize,
    /// Where its inside stands.
    visibility: Visibility,
    /// The Markdown element it was opened in (`None`: the top level).
    element: Option<usize>,
}

/// A code block being read.
struct CodeBlock {
    /// The first word of its info string.
    lang: Option<String>,
    text: String,
    line: usize,
    /// Where it is in the text, closing fence included.
    range: Range<usize>,
    fenced: bool,
}

/// A raw HTML block being read: its line, its text so far, and where each of its parts
/// starts in its text and in the page's.
struct HtmlBlock {
    line: usize,
    text: String,
    parts: Vec<(usize, usize)>,
}

/// Why a fence line is not a block's boundary, for its error.
enum Stray {
    /// Inside raw HTML that starts on this line.
    Html(usize),
    /// Inside a code block indented four spaces or more.
    IndentedCode,
    /// Inside a fenced code block, opened on this line, that is never closed.
    UnclosedFence(usize),
    /// Inside inline code.
    InlineCode,
    /// Part of a paragraph, a table row, or a link.
    Inline,
}

/// What [`parse`] keeps while it reads the parser's events.
pub struct EventReader<'a, 'd> {
    file: &'a Path,
    fences: &'a Fences<'a>,
    positions: Positions<'a>,
    diagnostics: &'d mut Vec<Diagnostic>,
    doc: Document,
    depth: Depth,
    /// The open Markdown elements: an id each, and what it is called in messages.
    elements: Vec<(usize, &'static str)>,
    next_element: usize,
    open: Vec<OpenBlock>,
    /// Blocks reported as ending with the element they were opened in: the `:::` that was
    /// meant to close one of them is not reported again.
    dangling: usize,
    /// Where each block's inside was in the text, and where it stands.
    spans: Vec<(Range<usize>, Visibility)>,
    headings: Vec<PendingHeading>,
    heading: Option<PendingHeading>,
    /// A raw HTML block being read.
    html: Option<HtmlBlock>,
    code: Option<CodeBlock>,
    /// An image being read: its address, alt text and line.
    image: Option<(String, String, usize)>,
    /// The reference (by index) whose text is being read.
    in_link: Option<usize>,
    /// Links that take their address from a definition: (reference, address, title).
    link_sources: Vec<(usize, String, String)>,
    /// Footnote definitions: (label, line, where it stands).
    footnote_definitions: Vec<(String, usize, Visibility)>,
    footnote_uses: Vec<(String, usize, usize, Visibility)>,
    /// The fences met so far (as a boundary, as code, commented out, or reported).
    seen: Vec<bool>,
    /// Nested too deeply to go on (reported).
    stop: bool,
    /// Where addresses with a space were reported (a list item holds its nested items).
    spaced: std::collections::BTreeSet<usize>,
}

impl<'a, 'd> EventReader<'a, 'd> {
    pub fn new(
        file: &'a Path,
        fences: &'a Fences<'a>,
        line_offset: usize,
        diagnostics: &'d mut Vec<Diagnostic>,
    ) -> Self {
        EventReader {
            file,
            fences,
            positions: Positions::new(&fences.text, line_offset),
            diagnostics,
            doc: Document::default(),
            depth: Depth::default(),
            elements: Vec::new(),
            next_element: 0,
            open: Vec::new(),
            dangling: 0,
            spans: Vec::new(),
            headings: Vec::new(),
            heading: None,
            html: None,
            code: None,
            image: None,
            in_link: None,
            link_sources: Vec::new(),
            footnote_definitions: Vec::new(),
            footnote_uses: Vec::new(),
            seen: vec![false; fences.lines.len()],
            stop: false,
            spaced: Default::default(),
        }
    }

    /// Where the current event stands.
    fn visibility(&self) -> Visibility {
        self.open
            .last()
            .map_or(Visibility::Everyone, |o| o.visibility)
    }

    pub fn event(&mut self, event: Event<'_>, range: Range<usize>) -> ControlFlow<()> {
        if self.stop {
            return ControlFlow::Break(());
        }
        if let Some(problem) = self.depth.enter(&event) {
            let (line, col) = self.positions.line_col(range.start);
            self.diagnostics.push(problem.at(self.file, line, col));
            return ControlFlow::Break(());
        }
        match &event {
            Event::Start(tag) => {
                self.elements.push((self.next_element, element_name(tag)));
                self.next_element += 1;
            }
            Event::End(_) => {
                if let Some((id, name)) = self.elements.pop() {
                    self.element_ended(id, name, range.end);
                }
            }
            _ => {}
        }
        if let Some(block) = &mut self.html {
            match event {
                Event::Html(part) => {
                    block.parts.push((block.text.len(), range.start));
                    block.text.push_str(&part);
                }
                Event::End(TagEnd::HtmlBlock) => self.html_block(range.start),
                _ => {}
            }
            return ControlFlow::Continue(());
        }
        if let Some(code) = &mut self.code {
            match event {
                Event::Text(t) => code.text.push_str(&t),
                Event::End(TagEnd::CodeBlock) => self.code_block(),
                _ => {}
            }
            return ControlFlow::Continue(());
        }
        // Raw HTML in a paragraph, without its comments.
        let event = match event {
            Event::InlineHtml(raw) => {
                self.account(&raw);
                let kept = html::strip_comments(&raw);
                self.stray_in(&kept, Stray::Inline);
                self.html_ids(&kept);
                if self.image.is_some() || kept.is_empty() {
                    return ControlFlow::Continue(());
                }
                self.html_addresses(&raw, |at| range.start + at);
                Event::InlineHtml(CowStr::from(kept.into_owned()))
            }
            // `<help@example.org>`: an email autolink is a `mailto:` address, not a file.
            Event::Start(Tag::Link {
                link_type: LinkType::Email,
                dest_url,
                title,
                id,
            }) => Event::Start(Tag::Link {
                link_type: LinkType::Autolink,
                dest_url: CowStr::from(format!("mailto:{dest_url}")),
                title,
                id,
            }),
            event => event,
        };
        match &event {
            Event::Text(t) => self.stray_in(t, Stray::Inline),
            Event::Start(Tag::Paragraph | Tag::TableCell | Tag::Heading { .. } | Tag::Item) => {
                self.spaced_destinations(range.clone());
            }
            Event::Code(t) => self.stray_in(t, Stray::InlineCode),
            Event::Start(Tag::Link {
                dest_url, title, ..
            })
            | Event::Start(Tag::Image {
                dest_url, title, ..
            }) => {
                self.stray_in(dest_url, Stray::Inline);
                self.stray_in(title, Stray::Inline);
            }
            _ => {}
        }
        if let Some((_, alt, _)) = &mut self.image {
            match event {
                Event::Text(t) | Event::Code(t) => {
                    alt.push_str(&t);
                    if let Some(i) = self.in_link {
                        self.doc.references[i].alt_or_text.push_str(&t);
                    }
                }
                Event::End(TagEnd::Image) => {
                    let (dest, alt, line) = self.image.take().expect("inside an image");
                    self.doc.nodes.push(Node::Image {
                        dest,
                        alt: alt.trim().to_string(),
                        line,
                    });
                    self.in_link = None;
                }
                _ => {}
            }
            return ControlFlow::Continue(());
        }
        let visibility = self.visibility();
        match &event {
            Event::Start(Tag::HtmlBlock) => {
                self.html = Some(HtmlBlock {
                    line: self.positions.line(range.start),
                    text: String::new(),
                    parts: Vec::new(),
                });
                return ControlFlow::Continue(());
            }
            Event::Start(Tag::Heading { level, id, .. }) => {
                self.heading = Some(PendingHeading {
                    node: self.doc.nodes.len(),
                    line: self.positions.line(range.start),
                    level: *level as u8,
                    explicit: id.as_ref().map(|s| s.to_string()),
                    text: String::new(),
                    visibility,
                });
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some(mut heading) = self.heading.take() {
                    heading.text = heading.text.trim().to_string();
                    self.headings.push(heading);
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some(heading) = &mut self.heading {
                    heading.text.push_str(t);
                }
                if let Some(i) = self.in_link {
                    self.doc.references[i].alt_or_text.push_str(t);
                }
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                self.doc.has_code = true;
                let (lang, fenced) = match kind {
                    CodeBlockKind::Fenced(info) => (code_language(info), true),
                    CodeBlockKind::Indented => (None, false),
                };
                let line = self.positions.line(range.start);
                self.code = Some(CodeBlock {
                    lang,
                    text: String::new(),
                    line,
                    range,
                    fenced,
                });
                return ControlFlow::Continue(());
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                ..
            })
            | Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                ..
            }) => {
                let (line, col) = self.positions.line_col(range.start);
                let is_image = matches!(event, Event::Start(Tag::Image { .. }));
                if matches!(
                    link_type,
                    LinkType::Reference | LinkType::Collapsed | LinkType::Shortcut
                ) {
                    self.link_sources.push((
                        self.doc.references.len(),
                        dest_url.to_string(),
                        title.to_string(),
                    ));
                }
                self.doc.references.push(Reference {
                    dest: dest_url.to_string(),
                    line,
                    col,
                    image: is_image,
                    alt_or_text: String::new(),
                    visibility,
                    definition: None,
                });
                self.in_link = Some(self.doc.references.len() - 1);
                if is_image {
                    self.image = Some((dest_url.to_string(), String::new(), line));
                    return ControlFlow::Continue(());
                }
            }
            Event::End(TagEnd::Link) => self.in_link = None,
            Event::Start(Tag::FootnoteDefinition(label)) => {
                let line = self.positions.line(range.start);
                self.footnote_definitions
                    .push((label.to_lowercase(), line, visibility));
            }
            Event::FootnoteReference(label) => {
                let (line, col) = self.positions.line_col(range.start);
                self.footnote_uses
                    .push((label.to_string(), line, col, visibility));
            }
            _ => {}
        }
        let line = self.positions.line(range.start);
        self.doc.nodes.push(Node::Md(event.into_static(), line));
        ControlFlow::Continue(())
    }

    /// The `id`s written in raw HTML, anchors of the page where they stand.
    fn html_ids(&mut self, html: &str) {
        let visibility = self.visibility();
        for id in html::attribute_values(html, "id") {
            self.doc.html_ids.push((id.to_string(), visibility));
        }
    }

    /// The addresses written in raw HTML (`<img src>`, `<a href>`): links and images to
    /// resolve, check and publish as Markdown's are. `source_at` gives where a byte of
    /// `html` stands in the page's text.
    fn html_addresses(&mut self, html: &str, source_at: impl Fn(usize) -> usize) {
        let visibility = self.visibility();
        let attributes = html::attributes(html);
        for attribute in &attributes {
            let Some(loaded) = html::address(attribute) else {
                continue;
            };
            let (line, col) = self.positions.line_col(source_at(attribute.at));
            // What it shows or says: a picture's alt text.
            let alt = attributes
                .iter()
                .find(|a| a.element == attribute.element && a.name.eq_ignore_ascii_case("alt"))
                .map_or("", |a| a.value);
            self.doc.references.push(Reference {
                dest: attribute.value.to_string(),
                line,
                col,
                image: loaded,
                alt_or_text: alt.to_string(),
                visibility,
                definition: None,
            });
        }
    }

    /// The end of a raw HTML block: a fence's marker alone, or HTML to keep without its
    /// comments (a fence inside a comment stays commented out; one outside is an error).
    fn html_block(&mut self, offset: usize) {
        let HtmlBlock { line, text, parts } = self.html.take().expect("inside an HTML block");
        self.account(&text);
        if let Some(n) = self.fences.alone(&text) {
            self.fence(n, offset);
            return;
        }
        let kept = html::strip_comments(&text);
        self.stray_in(&kept, Stray::Html(line));
        self.html_ids(&kept);
        if kept.trim().is_empty() {
            return;
        }
        self.html_addresses(&text, |at| {
            let part = parts
                .partition_point(|&(start, _)| start <= at)
                .saturating_sub(1);
            parts
                .get(part)
                .map_or(offset, |&(start, source)| source + at - start)
        });
        let kept = CowStr::from(kept.into_owned());
        self.doc.nodes.extend([
            Node::Md(Event::Start(Tag::HtmlBlock), line),
            Node::Md(Event::Html(kept), line),
            Node::Md(Event::End(TagEnd::HtmlBlock), line),
        ]);
    }

    /// The end of a code block. A fence line inside a closed fenced block is code, shown as
    /// written (that is how a guide shows the syntax); inside an indented block, or one
    /// never closed, it is an error: the writer meant a block.
    fn code_block(&mut self) {
        let code = self.code.take().expect("inside a code block");
        let mut text = code.text;
        if !self.fences.within(&text).is_empty() {
            self.account(&text);
            let source = &self.positions.text[code.range];
            if code.fenced && fence_closed(source) {
                text = self.fences.restore(&text);
            } else if code.fenced {
                self.stray_in(&text, Stray::UnclosedFence(code.line));
            } else {
                self.stray_in(&text, Stray::IndentedCode);
            }
        }
        self.doc.nodes.push(Node::Code {
            lang: code.lang,
            text,
            line: code.line,
        });
    }

    /// Counts the fences whose markers are in `text` as met.
    fn account(&mut self, text: &str) {
        for n in self.fences.within(text) {
            self.seen[n] = true;
        }
    }

    /// A link or picture whose address has a space (`![Flowchart](My Flowchart.png)`) is no
    /// link in Markdown: it would be shown as written. The source of the paragraph (table
    /// cell, heading) at `range` is searched for `](` and an address with a space before
    /// `)`, outside inline code.
    fn spaced_destinations(&mut self, range: Range<usize>) {
        let source = &self.fences.text[range.clone()];
        let mut from = 0;
        while let Some(found) = source[from..].find("](") {
            let at = from + found;
            from = at + 2;
            let line_start = source[..at].rfind('\n').map_or(0, |n| n + 1);
            let in_code = source[line_start..at].matches('`').count() % 2 == 1;
            let rest = &source[at + 2..];
            let Some(end) = rest
                .find([')', '\n'])
                .filter(|&e| rest[e..].starts_with(')'))
            else {
                continue;
            };
            let dest = rest[..end].trim();
            let after_space = dest.split(' ').nth(1).unwrap_or_default();
            // `](url "title")` and `](<a b.png>)` are links.
            if in_code
                || !dest.contains(' ')
                || dest.starts_with('<')
                || after_space.starts_with(['"', '\'', '('])
            {
                continue;
            }
            if !self.spaced.insert(range.start + at) {
                continue;
            }
            let (line, col) = self.positions.line_col(range.start + at);
            let renamed: String = dest
                .chars()
                .map(|c| {
                    if c == ' ' {
                        '-'
                    } else {
                        c.to_ascii_lowercase()
                    }
                })
                .collect();
            self.diagnostics.push(
                Diagnostic::error(format!(
                    "the address `{dest}` has a space, so this link is shown as text, not as a link or picture"
                ))
                .at(self.file, line, col)
                .hint(format!(
                    "write the address in angle brackets, `](<{dest}>)`, or rename the file without spaces, e.g. `{renamed}`"
                )),
            );
        }
    }

    /// Reports every fence whose marker is in `text`, which is not a block's boundary.
    fn stray_in(&mut self, text: &str, why: Stray) {
        for n in self.fences.within(text) {
            self.seen[n] = true;
            let fence = &self.fences.lines[n];
            let shown = fence.shown();
            let (message, hint) = match why {
                Stray::Html(start) => (
                    format!("this `{shown}` is inside the HTML that starts on line {start}, so it would be published as it is"),
                    "leave a blank line between the HTML and the `:::` line".to_string(),
                ),
                Stray::IndentedCode => (
                    format!("this `{shown}` is indented four or more spaces deeper than the text it belongs to, so it is read as code and would be shown as written"),
                    "indent it like the text of its list item, or not at all outside a list".to_string(),
                ),
                Stray::UnclosedFence(start) => (
                    format!("this `{shown}` is inside the code block opened on line {start}, which is never closed, so it would be shown as code"),
                    "end the code block with a line of three backticks (or tildes, as it opened) before this line".to_string(),
                ),
                Stray::InlineCode => (
                    format!("this `{shown}` is inside inline code (between backticks), so it would be shown as text"),
                    "close the backtick that opens on a line above".to_string(),
                ),
                Stray::Inline => (
                    format!("this `{shown}` is read as part of the text around it (a paragraph, a table or a link), so it would be shown as text"),
                    "put the `:::` on a line of its own, indented like the text it belongs to and not four spaces deeper, outside any table".to_string(),
                ),
            };
            self.diagnostics
                .push(fence_error(self.file, fence, message, hint));
        }
    }

    /// A fence's marker came back as a block of its own: the block opens or closes here.
    fn fence(&mut self, n: usize, offset: usize) {
        self.seen[n] = true;
        let fence = &self.fences.lines[n];
        let element = self.elements.last().map(|(id, _)| *id);
        let outer = self.visibility();
        match &fence.what {
            What::Open { kind, title } => {
                if let Some(same) = self.open.iter().find(|o| o.kind == Some(*kind)) {
                    let name = kind.name();
                    let hint = format!(
                        "close the block opened on line {} with a line `:::` before opening the next one",
                        same.line
                    );
                    let message = format!("a `::: {name}` block inside another `::: {name}` block");
                    self.diagnostics.push(fence_error(self.file, fence, message, hint));
                }
                if let Some(problem) = self.depth.block(true) {
                    self.diagnostics
                        .push(problem.at(self.file, fence.line, fence.col));
                    self.stop = true;
                }
                self.open.push(OpenBlock {
                    kind: Some(*kind),
                    line: fence.line,
                    col: fence.col,
                    width: 4 + kind.name().len(),
                    offset,
                    visibility: outer.inside(*kind),
                    element,
                });
                self.doc.blocks.insert(*kind);
                self.doc.nodes.push(Node::Open {
                    kind: *kind,
                    title: title.clone(),
                    line: fence.line,
                });
            }
            What::Unknown(name) => {
                // The Carpentries' blocks (Pandoc fenced divs) with a casebook counterpart.
                let carpentries = match name.to_ascii_lowercase().as_str() {
                    "instructor" => Some(("trainer", "notes for the facilitator")),
                    "solution" => Some(("answer", "a model answer")),
                    _ => None,
                };
                let hint = match (carpentries, did_you_mean(name, BlockKind::NAMES)) {
                    (Some((ours, what)), _) => {
                        format!("casebook writes {what} as `::: {ours}`: write that instead")
                    }
                    (None, Some(s)) => format!("did you mean `::: {s}`?"),
                    (None, None) => {
                        "the blocks are `::: answer`, `::: trainer` and `::: roleplay`".to_string()
                    }
                };
                let message = format!("unknown block `::: {name}`");
                self.diagnostics.push(
                    Diagnostic::error(message)
                        .at(self.file, fence.line, fence.col)
                        .width(3 + 1 + name.chars().count())
                        .hint(hint),
                );
                self.open.push(OpenBlock {
                    kind: None,
                    line: fence.line,
                    col: fence.col,
                    width: 3,
                    offset,
                    visibility: outer,
                    element,
                });
            }
            What::Close => match self.open.last() {
                None if self.dangling > 0 => self.dangling -= 1,
                None => self.diagnostics.push(
                    Diagnostic::error("`:::` closes a block that was never opened")
                        .at(self.file, fence.line, fence.col)
                        .width(3)
                        .hint("delete this line, or open the block above it with `::: answer`, `::: trainer` or `::: roleplay`"),
                ),
                Some(top) if top.element != element => {
                    // Blocks opened in an element end with it (`element_ended`), so this
                    // `:::` stands deeper than the block it would close.
                    let inside = self.elements.last().map_or("list item", |(_, name)| name);
                    let opened = match top.kind {
                        Some(kind) => format!("`::: {}` block", kind.name()),
                        None => "block".to_string(),
                    };
                    let message = format!(
                        "this `:::` is inside a {inside}, but the {opened} it would close (line {}) is not",
                        top.line
                    );
                    let hint = "indent the closing `:::` exactly like the line that opens the block, so that both are in the same list item (or neither is)".to_string();
                    self.diagnostics.push(fence_error(self.file, fence, message, hint));
                }
                Some(_) => {
                    let top = self.open.pop().expect("a block is open");
                    self.spans.push((top.offset..offset, top.visibility));
                    if let Some(kind) = top.kind {
                        let _ = self.depth.block(false);
                        self.doc.nodes.push(Node::Close(kind));
                    }
                }
            },
        }
    }

    /// A Markdown element (a list item, a quote, a footnote) ended: blocks opened inside it
    /// end with it, and were not closed.
    fn element_ended(&mut self, id: usize, name: &str, offset: usize) {
        while self.open.last().is_some_and(|o| o.element == Some(id)) {
            let top = self.open.pop().expect("a block is open");
            self.spans.push((top.offset..offset, top.visibility));
            let Some(kind) = top.kind else { continue };
            self.dangling += 1;
            let _ = self.depth.block(false);
            self.doc.nodes.push(Node::Close(kind));
            self.diagnostics.push(
                Diagnostic::error(format!(
                    "the `::: {}` block is not closed before its {name} ends",
                    kind.name()
                ))
                .at(self.file, top.line, top.col)
                .width(top.width)
                .hint(format!(
                    "add a line `:::` at the end of the {name}, indented like the line that opens the block"
                )),
            );
        }
    }

    /// Reports blocks never closed, gives headings their ids, and places link and footnote
    /// definitions.
    pub fn finish(mut self, definitions: &[(String, String, usize)]) -> Document {
        let end = self.positions.text.len();
        for top in std::mem::take(&mut self.open) {
            self.spans.push((top.offset..end, top.visibility));
            let Some(kind) = top.kind else { continue };
            let name = kind.name();
            self.diagnostics.push(
                Diagnostic::error(format!("the `::: {name}` block is never closed"))
                    .at(self.file, top.line, top.col)
                    .width(top.width)
                    .hint("add a line with just `:::` where the block ends"),
            );
        }
        // A fence the parser took into something else (a link definition's title in
        // quotes spanning lines): not a block, so not to be left as text either.
        for (n, fence) in self.fences.lines.iter().enumerate() {
            if !self.seen[n] {
                let message = format!(
                    "this `{}` is taken into the text around it (such as a link definition's title in quotes), so it is not a block",
                    fence.shown()
                );
                let hint = "put the `:::` on a line of its own, after a blank line".to_string();
                self.diagnostics
                    .push(fence_error(self.file, fence, message, hint));
            }
        }
        let headings = std::mem::take(&mut self.headings);
        self.doc.headings = assign_ids(headings, &mut self.doc.nodes);
        let at = |offset: usize| {
            self.spans
                .iter()
                .filter(|(span, _)| span.contains(&offset))
                .map(|(_, v)| *v)
                .max()
                .unwrap_or_default()
        };
        // A link takes its address from the first definition of its label; several labels
        // may give the same address and title, and then the most widely read one is what a
        // reader could learn it from.
        for (index, dest, title) in std::mem::take(&mut self.link_sources) {
            let place = definitions
                .iter()
                .filter(|(d, t, _)| *d == dest && *t == title)
                .map(|(_, _, offset)| (at(*offset), self.positions.line(*offset)))
                .min();
            if let Some((visibility, line)) = place {
                self.doc.references[index].definition = Some((line, visibility));
            }
        }
        for (label, line, col, visibility) in std::mem::take(&mut self.footnote_uses) {
            let folded = label.to_lowercase();
            // A label whose case folds in a way `to_lowercase` does not match is taken to
            // be defined in the least widely read place there is.
            let definition = self
                .footnote_definitions
                .iter()
                .filter(|(l, _, _)| *l == folded)
                .map(|(_, line, v)| (*v, *line))
                .min()
                .or_else(|| {
                    self.footnote_definitions
                        .iter()
                        .map(|(_, line, v)| (*v, *line))
                        .max()
                })
                .map_or((line, Visibility::Everyone), |(v, l)| (l, v));
            self.doc.footnotes.push(Footnote {
                label,
                line,
                col,
                visibility,
                definition,
            });
        }
        self.doc
    }
}

/// What an element is called in messages about blocks inside it.
/// The language of a fenced code block, from the first word of its info string as other
/// tools write it: `rust`, `rust,ignore` (mdBook), `{.python}` and `{.r .output}` (Pandoc),
/// `{r echo=FALSE}` (R Markdown). Lowercase, or `None` when there is no word.
fn code_language(info: &str) -> Option<String> {
    info.split(|c: char| c.is_whitespace() || matches!(c, ',' | '{' | '}'))
        .map(|word| word.trim_start_matches('.'))
        .find(|word| !word.is_empty())
        .map(str::to_ascii_lowercase)
}

fn element_name(tag: &Tag<'_>) -> &'static str {
    match tag {
        Tag::Item => "list item",
        Tag::List(_) => "list",
        Tag::BlockQuote(None) => "quote",
        Tag::BlockQuote(Some(_)) => "callout",
        Tag::FootnoteDefinition(_) => "footnote",
        Tag::Table(_) | Tag::TableHead | Tag::TableRow | Tag::TableCell => "table",
        Tag::DefinitionList | Tag::DefinitionListTitle | Tag::DefinitionListDefinition => {
            "definition list"
        }
        _ => "paragraph",
    }
}

/// Whether a fenced code block's source (from its opening line to its end) ends with a
/// closing fence, or runs to the end of what holds it.
fn fence_closed(source: &str) -> bool {
    let bare = |line: &str| {
        line.trim_start_matches([' ', '\t', '>'])
            .trim_end()
            .to_string()
    };
    let mut lines = source.lines();
    let first = lines.next().map(bare).unwrap_or_default();
    let Some(last) = lines.next_back().map(bare) else {
        return false;
    };
    let Some(ch) = first.chars().next().filter(|c| *c == '`' || *c == '~') else {
        return false;
    };
    let opened = first.chars().take_while(|c| *c == ch).count();
    let run = last.chars().take_while(|c| *c == ch).count();
    run >= opened && last.chars().all(|c| c == ch)
}

/// An error at a fence line, underlining the fence.
fn fence_error(file: &Path, fence: &Fence, message: String, hint: String) -> Diagnostic {
    Diagnostic::error(message)
        .at(file, fence.line, fence.col)
        .width(fence.written.trim_end().chars().count().clamp(3, 60))
        .hint(hint)
}

#[cfg(test)]
mod tests {
    use super::code_language;

    #[test]
    fn a_code_blocks_language_is_the_first_word_of_its_info_string() {
        for (info, language) in [
            ("rust", Some("rust")),
            ("rust,ignore", Some("rust")),
            ("Python linenums", Some("python")),
            ("{.python}", Some("python")),
            ("{.r .output}", Some("r")),
            ("{r echo=FALSE}", Some("r")),
            ("", None),
            ("{}", None),
        ] {
            assert_eq!(code_language(info).as_deref(), language, "{info:?}");
        }
    }
}
