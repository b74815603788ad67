//! Markdown → [`Document`]: pulldown-cmark events (CommonMark + GFM) with casebook's `:::`
//! blocks (`answer`, `trainer`, `roleplay`) turned into open/close nodes, heading ids
//! assigned, and every link and image recorded with its line. Renderers (HTML, PDF) walk the
//! same nodes, filtered by edition, so trainer-only text never reaches a mentee renderer.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd};

use crate::diag::{Diagnostic, did_you_mean};

/// The kinds of `:::` block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BlockKind {
    Answer,
    Trainer,
    Roleplay,
}

impl BlockKind {
    pub const NAMES: [&'static str; 3] = ["answer", "trainer", "roleplay"];

    fn from_name(name: &str) -> Option<BlockKind> {
        match name {
            "answer" => Some(BlockKind::Answer),
            "trainer" => Some(BlockKind::Trainer),
            "roleplay" => Some(BlockKind::Roleplay),
            _ => None,
        }
    }
}

/// One step of a document.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// A Markdown event and the line (in the page's file) where it starts.
    Md(Event<'static>, usize),
    Open {
        kind: BlockKind,
        title: Option<String>,
        line: usize,
    },
    Close(BlockKind),
    /// An image: its address as written and its alt text.
    Image {
        dest: String,
        alt: String,
        line: usize,
    },
    /// A code block: its language (the first word of the info string) and its text.
    Code {
        lang: Option<String>,
        text: String,
        line: usize,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub text: String,
    pub line: usize,
    /// Inside a `::: trainer` block (absent from the mentee edition).
    pub trainer_only: bool,
}

/// A link or image destination as written, with where it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    pub dest: String,
    pub line: usize,
    pub col: usize,
    pub image: bool,
    pub alt_or_text: String,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Document {
    pub nodes: Vec<Node>,
    pub headings: Vec<Heading>,
    pub references: Vec<Reference>,
    pub has_code: bool,
    pub blocks: HashSet<BlockKind>,
}

const MARKER: &str = "<!--casebook-block:";

pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
        | Options::ENABLE_SMART_PUNCTUATION
}

struct OpenBlock {
    kind: BlockKind,
    title: Option<String>,
    line: usize,
}

/// Parses a page body. `line_offset` is the number of lines before the body in its file
/// (the front matter), so positions point into the file.
pub fn parse(
    body: &str,
    line_offset: usize,
    file: &Path,
    diagnostics: &mut Vec<Diagnostic>,
) -> Document {
    let (text, opened) = mark_blocks(body, line_offset, file, diagnostics);
    let mut positions = Positions::new(&text, line_offset);

    let mut doc = Document::default();
    let mut used_ids: HashSet<String> = HashSet::new();
    // The next number to try for each heading id already taken, so a page of a thousand
    // headings with the same text costs a thousand tries, not half a million.
    let mut next_number: HashMap<String, usize> = HashMap::new();
    let mut depth = Depth::default();
    let mut in_heading: Option<(usize, usize, u8, Option<String>)> = None; // (node index, line, level, explicit id)
    let mut heading_text = String::new();
    let mut in_link: Option<usize> = None; // index into references
    let mut skip_html_block = false;
    let mut stack: Vec<BlockKind> = Vec::new();
    // Code blocks and images become one node each, their text gathered here.
    let mut code: Option<(Option<String>, String, usize)> = None;
    let mut image: Option<(String, String, usize)> = None;

    for (event, range) in Parser::new_ext(&text, options()).into_offset_iter() {
        if let Some(problem) = depth.enter(&event) {
            let (line, col) = positions.line_col(range.start);
            diagnostics.push(problem.at(file, line, col));
            break;
        }
        if let Some((_, body, _)) = &mut code {
            match event {
                Event::Text(t) => body.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    let (lang, text, line) = code.take().expect("inside a code block");
                    doc.nodes.push(Node::Code { lang, text, line });
                }
                _ => {}
            }
            continue;
        }
        if let Some((_, alt, _)) = &mut image {
            match event {
                Event::Text(t) | Event::Code(t) => {
                    alt.push_str(&t);
                    if let Some(i) = in_link {
                        doc.references[i].alt_or_text.push_str(&t);
                    }
                }
                Event::End(TagEnd::Image) => {
                    let (dest, alt, line) = image.take().expect("inside an image");
                    doc.nodes.push(Node::Image {
                        dest,
                        alt: alt.trim().to_string(),
                        line,
                    });
                    in_link = None;
                }
                _ => {}
            }
            continue;
        }
        match &event {
            Event::Start(Tag::HtmlBlock) => {
                let rest = &text[range.start..];
                if rest.starts_with(MARKER) {
                    skip_html_block = true;
                    continue;
                }
            }
            Event::End(TagEnd::HtmlBlock) if skip_html_block => {
                skip_html_block = false;
                continue;
            }
            Event::Html(html) if skip_html_block => {
                let code = html
                    .trim()
                    .trim_start_matches(MARKER)
                    .trim_end_matches("-->");
                if code == "end" {
                    if let Some(kind) = stack.pop() {
                        doc.nodes.push(Node::Close(kind));
                    }
                } else if let Some(open) = code.parse::<usize>().ok().and_then(|i| opened.get(i)) {
                    stack.push(open.kind);
                    doc.blocks.insert(open.kind);
                    doc.nodes.push(Node::Open {
                        kind: open.kind,
                        title: open.title.clone(),
                        line: open.line,
                    });
                }
                continue;
            }
            Event::Start(Tag::Heading { level, id, .. }) => {
                let line = positions.line(range.start);
                in_heading = Some((
                    doc.nodes.len(),
                    line,
                    *level as u8,
                    id.as_ref().map(|s| s.to_string()),
                ));
                heading_text.clear();
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((index, line, level, explicit)) = in_heading.take() {
                    let base = explicit.clone().unwrap_or_else(|| slug(&heading_text));
                    let base = if base.is_empty() {
                        "section".to_string()
                    } else {
                        base
                    };
                    let mut id = base.clone();
                    while !used_ids.insert(id.clone()) {
                        let n = next_number.entry(base.clone()).or_insert(1);
                        id = format!("{base}-{n}");
                        *n += 1;
                    }
                    if let Some(Node::Md(Event::Start(Tag::Heading { id: slot, .. }), _)) =
                        doc.nodes.get_mut(index)
                    {
                        *slot = Some(CowStr::from(id.clone()));
                    }
                    doc.headings.push(Heading {
                        level,
                        id,
                        text: heading_text.trim().to_string(),
                        line,
                        trainer_only: stack.contains(&BlockKind::Trainer),
                    });
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if in_heading.is_some() {
                    heading_text.push_str(t);
                }
                if let Some(i) = in_link {
                    doc.references[i].alt_or_text.push_str(t);
                }
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                doc.has_code = true;
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split_whitespace().next().map(str::to_string)
                    }
                    CodeBlockKind::Indented => None,
                };
                code = Some((lang, String::new(), positions.line(range.start)));
                continue;
            }
            Event::Start(Tag::Link { dest_url, .. })
            | Event::Start(Tag::Image { dest_url, .. }) => {
                let (line, col) = positions.line_col(range.start);
                let is_image = matches!(event, Event::Start(Tag::Image { .. }));
                doc.references.push(Reference {
                    dest: dest_url.to_string(),
                    line,
                    col,
                    image: is_image,
                    alt_or_text: String::new(),
                });
                in_link = Some(doc.references.len() - 1);
                if is_image {
                    image = Some((dest_url.to_string(), String::new(), line));
                    continue;
                }
            }
            Event::End(TagEnd::Link) => in_link = None,
            _ => {}
        }
        let line = positions.line(range.start);
        doc.nodes.push(Node::Md(event.into_static(), line));
    }
    doc
}

/// Finds the `:::` fence lines (outside code blocks), checks their nesting, and replaces each
/// with an HTML comment marker on the same line, so line numbers stay true. Returns the
/// rewritten text and the opened blocks, indexed by marker number.
fn mark_blocks(
    body: &str,
    line_offset: usize,
    file: &Path,
    diagnostics: &mut Vec<Diagnostic>,
) -> (String, Vec<OpenBlock>) {
    let mut out = String::with_capacity(body.len() + 64);
    let mut opened: Vec<OpenBlock> = Vec::new();
    let mut stack: Vec<usize> = Vec::new();
    let mut fence: Option<(char, usize)> = None;
    // A code fence opened inside a quote: `:::` lines in it are text.
    let mut quoted_fence = false;
    // Blocks opened inside the current quote (reported once, at their opening line).
    let mut quoted_open = 0usize;
    for (index, raw_line) in body.split_inclusive('\n').enumerate() {
        let line_no = index + 1 + line_offset;
        let line = raw_line.trim_end_matches('\n');
        let indent = line.len() - line.trim_start_matches(' ').len();
        let trimmed = line.trim_start_matches(' ');
        if fence.is_none() && indent <= 3 && trimmed.starts_with('>') {
            // A block cannot open inside a quote or callout: pulldown-cmark would keep its
            // fence lines as text, and a trainer note would reach the mentee edition.
            let inner = unquote(trimmed);
            let inner_indent = inner.len() - inner.trim_start_matches(' ').len();
            let inner = inner.trim_start_matches(' ');
            if inner_indent <= 3 && (inner.starts_with("```") || inner.starts_with("~~~")) {
                quoted_fence = !quoted_fence;
            } else if inner_indent <= 3 && !quoted_fence && inner.starts_with(":::") {
                let col = line.len() - inner.len() + 1;
                let name = inner[3..].split_whitespace().next().unwrap_or("");
                if name.is_empty() && quoted_open > 0 {
                    // The end of a block whose opening line was reported.
                    quoted_open -= 1;
                    out.push_str(raw_line);
                    continue;
                }
                if !name.is_empty() {
                    quoted_open += 1;
                }
                let what = if name.is_empty() {
                    "`:::`".to_string()
                } else {
                    format!("a `::: {name}` block")
                };
                diagnostics.push(
                    Diagnostic::error(format!("{what} inside a quote or callout"))
                        .at(file, line_no, col)
                        .width(inner.trim_end().chars().count())
                        .hint("blocks cannot go inside a quote (lines starting with `>`): end the quote before the block, or put the quote inside the block"),
                );
            }
            out.push_str(raw_line);
            continue;
        }
        quoted_fence = false;
        quoted_open = 0;
        if indent <= 3 {
            if let Some((ch, len)) = fence {
                let run = trimmed.chars().take_while(|c| *c == ch).count();
                if run >= len && trimmed[run * ch.len_utf8()..].trim().is_empty() {
                    fence = None;
                }
            } else if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
                let ch = trimmed
                    .chars()
                    .next()
                    .expect("starts with a fence character");
                fence = Some((ch, trimmed.chars().take_while(|c| *c == ch).count()));
            } else if let Some(spec) = trimmed.strip_prefix(":::") {
                let spec = spec.trim();
                let newline = if raw_line.ends_with('\n') { "\n" } else { "" };
                if spec.is_empty() || spec.chars().all(|c| c == ':') {
                    match stack.pop() {
                        Some(usize::MAX) => out.push_str(newline),
                        Some(_) => out.push_str(&format!("{MARKER}end-->{newline}")),
                        None => {
                            diagnostics.push(
                                Diagnostic::error("`:::` closes a block that was never opened")
                                    .at(file, line_no, indent + 1)
                                    .width(3)
                                    .hint("delete this line, or open the block above it with `::: answer`, `::: trainer` or `::: roleplay`"),
                            );
                            out.push_str(newline);
                        }
                    }
                    continue;
                }
                let (name, title) = match spec.split_once(char::is_whitespace) {
                    Some((name, title)) => (
                        name,
                        Some(title.trim().to_string()).filter(|t| !t.is_empty()),
                    ),
                    None => (spec, None),
                };
                match BlockKind::from_name(name) {
                    Some(kind) => {
                        let outer = stack
                            .iter()
                            .filter_map(|i| opened.get(*i))
                            .find(|o| o.kind == kind);
                        if let Some(outer) = outer {
                            diagnostics.push(
                                Diagnostic::error(format!(
                                    "a `::: {name}` block inside another `::: {name}` block"
                                ))
                                .at(file, line_no, indent + 1)
                                .width(4 + name.len())
                                .hint(format!(
                                    "close the block opened on line {} with a line `:::` before opening the next one",
                                    outer.line
                                )),
                            );
                        }
                        stack.push(opened.len());
                        out.push_str(&format!("{MARKER}{}-->{newline}", opened.len()));
                        opened.push(OpenBlock {
                            kind,
                            title,
                            line: line_no,
                        });
                    }
                    None => {
                        let hint = match did_you_mean(name, BlockKind::NAMES) {
                            Some(s) => format!("did you mean `::: {s}`?"),
                            None => "the blocks are `::: answer`, `::: trainer` and `::: roleplay`"
                                .to_string(),
                        };
                        diagnostics.push(
                            Diagnostic::error(format!("unknown block `::: {name}`"))
                                .at(file, line_no, indent + 1)
                                .width(3 + 1 + name.chars().count())
                                .hint(hint),
                        );
                        // Treat it as opening a block, so its closing `:::` is not reported too.
                        stack.push(usize::MAX);
                        out.push_str(newline);
                    }
                }
                continue;
            }
        }
        out.push_str(raw_line);
    }
    for index in stack {
        if let Some(open) = opened.get(index) {
            let name = BlockKind::NAMES[open.kind as usize];
            diagnostics.push(
                Diagnostic::error(format!("the `::: {name}` block is never closed"))
                    .at(file, open.line, 1)
                    .width(4 + name.len())
                    .hint("add a line with just `:::` where the block ends"),
            );
        }
    }
    (out, opened)
}

/// A quoted line without its `>` markers (and the one space after each).
fn unquote(mut line: &str) -> &str {
    while let Some(rest) = line.strip_prefix('>') {
        line = rest.strip_prefix(' ').unwrap_or(rest);
        let trimmed = line.trim_start_matches(' ');
        if !trimmed.starts_with('>') || line.len() - trimmed.len() > 3 {
            break;
        }
        line = trimmed;
    }
    line
}

/// Lines and columns of byte offsets in a page body, for diagnostics. A column is counted
/// on from the last one asked for when that was earlier on the same line, so asking in
/// document order reads the text once, however long its lines are.
struct Positions<'t> {
    text: &'t str,
    line_starts: Vec<usize>,
    line_offset: usize,
    /// The last offset asked for, with its column.
    last: (usize, usize),
}

impl<'t> Positions<'t> {
    fn new(text: &'t str, line_offset: usize) -> Self {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Positions {
            text,
            line_starts,
            line_offset,
            last: (0, 1),
        }
    }

    /// The line in the page's file.
    fn line(&self, offset: usize) -> usize {
        self.line_starts.partition_point(|&s| s <= offset) + self.line_offset
    }

    /// The line in the page's file, and the column (in characters, from 1).
    fn line_col(&mut self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let index = self.line_starts.partition_point(|&s| s <= offset);
        let start = self.line_starts[index - 1];
        let (from, col) = if (start..=offset).contains(&self.last.0) {
            self.last
        } else {
            (start, 1)
        };
        let col = col + self.text[from..offset].chars().count();
        self.last = (offset, col);
        (index + self.line_offset, col)
    }
}

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
struct Depth {
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
    fn enter(&mut self, event: &Event<'_>) -> Option<Diagnostic> {
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
            Event::Html(html) if html.starts_with(MARKER) => {
                if html.trim_end() == format!("{MARKER}end-->") {
                    self.elements = self.elements.saturating_sub(1);
                    self.blocks = self.blocks.saturating_sub(1);
                } else {
                    self.elements += 1;
                    self.blocks += 1;
                }
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                let (open, deepest) = html_depth(self.html, html);
                self.html = open;
                deepest_html = deepest;
            }
            _ => {}
        }
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

/// HTML elements that do not nest: void ones (`<br>`) and ones whose end tag may be left
/// out, which the next one closes (`<p>`, `<li>`, `<td>`).
const UNNESTED: [&str; 29] = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr", "p", "li", "dt", "dd", "tr", "td", "th", "option", "optgroup", "thead", "tbody",
    "tfoot", "colgroup", "caption", "rt", "rp",
];

/// How many raw HTML elements are open after `html`, `open` being open before it (a start
/// tag opens one, an end tag closes one), and the most that were open inside it.
fn html_depth(mut open: usize, html: &str) -> (usize, usize) {
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

/// A heading's anchor: lowercase words joined by `-`, punctuation dropped, letters of every
/// script kept (`## Open questions` → `open-questions`).
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    let mut dash = false;
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c);
        } else if c.is_whitespace() || c == '-' || c == '_' {
            dash = true;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_ok(body: &str) -> Document {
        let mut d = Vec::new();
        let doc = parse(body, 0, Path::new("t.md"), &mut d);
        assert!(d.is_empty(), "{d:?}");
        doc
    }

    #[test]
    fn blocks_nest_and_keep_markdown_inside() {
        let doc = parse_ok("Intro\n::: answer\nYes, *because*.\n::: trainer\nNote\n:::\n:::\n");
        let kinds: Vec<_> = doc
            .nodes
            .iter()
            .filter_map(|n| match n {
                Node::Open { kind, .. } => Some(format!("open {kind:?}")),
                Node::Close(kind) => Some(format!("close {kind:?}")),
                _ => None,
            })
            .collect();
        assert_eq!(
            kinds,
            [
                "open Answer",
                "open Trainer",
                "close Trainer",
                "close Answer"
            ]
        );
        assert!(
            doc.nodes
                .iter()
                .any(|n| matches!(n, Node::Md(Event::Start(Tag::Emphasis), _)))
        );
    }

    #[test]
    fn fences_inside_code_are_text() {
        let doc = parse_ok("```\n::: answer\n```\n");
        assert!(doc.blocks.is_empty());
    }

    #[test]
    fn unclosed_and_unknown_blocks_are_reported_where_they_open() {
        let mut d = Vec::new();
        parse(
            "a\n\n::: answr\nx\n:::\n::: trainer\n",
            4,
            Path::new("t.md"),
            &mut d,
        );
        let got: Vec<_> = d
            .iter()
            .map(|d| {
                (
                    d.line,
                    d.message.clone(),
                    d.hint.clone().unwrap_or_default(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    7,
                    "unknown block `::: answr`".to_string(),
                    "did you mean `::: answer`?".to_string()
                ),
                (
                    10,
                    "the `::: trainer` block is never closed".to_string(),
                    "add a line with just `:::` where the block ends".to_string()
                ),
            ]
        );
    }

    #[test]
    fn headings_get_unique_ids_and_lines() {
        let doc =
            parse_ok("## Open questions\n\ntext\n\n## Open questions\n\n### Custom {#mine}\n");
        let ids: Vec<_> = doc
            .headings
            .iter()
            .map(|h| (h.id.as_str(), h.line))
            .collect();
        assert_eq!(
            ids,
            [("open-questions", 1), ("open-questions-1", 5), ("mine", 7)]
        );
    }

    #[test]
    fn slugs_keep_letters_of_every_script() {
        assert_eq!(slug("1. Is the fee lawful?"), "1-is-the-fee-lawful");
        assert_eq!(slug("Biaya agen — apa itu?"), "biaya-agen-apa-itu");
    }

    #[test]
    fn nesting_deeper_than_casebook_renders_is_an_error_where_it_starts() {
        parse_ok(&format!("{}x\n", "- ".repeat(MAX_BLOCK_NESTING)));
        let mut d = Vec::new();
        parse(
            &format!("{}x\n", "- ".repeat(10_000)),
            2,
            Path::new("t.md"),
            &mut d,
        );
        assert_eq!((d.len(), d[0].line, d[0].col), (1, 3, 21));
        let mut d = Vec::new();
        parse(&"<div>".repeat(100), 0, Path::new("t.md"), &mut d);
        assert_eq!(
            d[0].message,
            "the text is nested more than 64 levels deep here"
        );
        // Elements whose end tag may be left out do not nest.
        parse_ok(&"<p>x".repeat(1_000));
    }

    #[test]
    fn a_block_inside_a_block_of_its_kind_is_an_error() {
        let mut d = Vec::new();
        parse(
            "::: answer\nNo.\n::: answer\nYes.\n:::\n:::\n",
            0,
            Path::new("t.md"),
            &mut d,
        );
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(
            (d[0].line, d[0].hint.as_deref()),
            (
                3,
                Some(
                    "close the block opened on line 1 with a line `:::` before opening the next one"
                )
            )
        );
    }

    #[test]
    fn a_block_inside_a_quote_is_an_error_so_no_trainer_note_is_left_as_text() {
        let mut d = Vec::new();
        let doc = parse(
            "> [!NOTE]\n> ::: trainer\n> secret\n> :::\n\n> > ```\n> > ::: answer\n> > ```\n> > :::\n",
            2,
            Path::new("t.md"),
            &mut d,
        );
        let got: Vec<_> = d
            .iter()
            .map(|d| (d.line, d.col, d.message.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (4, 3, "a `::: trainer` block inside a quote or callout"),
                (11, 5, "`:::` inside a quote or callout"),
            ]
        );
        assert!(doc.blocks.is_empty());
    }

    #[test]
    fn equal_headings_are_numbered_past_explicit_ids() {
        let doc = parse_ok("## A\n\n## A {#a-1}\n\n## A\n\n## A\n");
        let ids: Vec<_> = doc.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["a", "a-1", "a-2", "a-3"]);
    }

    #[test]
    fn columns_are_counted_in_characters_on_long_lines() {
        let line = "é ".repeat(5_000) + "[x](y.md)";
        let doc = parse_ok(&line);
        assert_eq!((doc.references[0].line, doc.references[0].col), (1, 10_001));
    }
}
