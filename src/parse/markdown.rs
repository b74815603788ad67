//! Markdown → [`Document`]: pulldown-cmark events (CommonMark + GFM) with casebook's `:::`
//! blocks (`answer`, `trainer`, `roleplay`) turned into open/close nodes, heading ids
//! assigned, and every link and image recorded with its line. Renderers (HTML, PDF) walk the
//! same nodes, filtered by edition, so trainer-only text never reaches a mentee renderer.

use std::collections::HashSet;
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
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let position = |offset: usize| {
        let line = line_starts.partition_point(|&s| s <= offset);
        let col = text[line_starts[line - 1]..offset.min(text.len())]
            .chars()
            .count()
            + 1;
        (line + line_offset, col)
    };

    let mut doc = Document::default();
    let mut used_ids: HashSet<String> = HashSet::new();
    let mut in_heading: Option<(usize, usize, u8, Option<String>)> = None; // (node index, line, level, explicit id)
    let mut heading_text = String::new();
    let mut in_link: Option<usize> = None; // index into references
    let mut skip_html_block = false;
    let mut stack: Vec<BlockKind> = Vec::new();
    // Code blocks and images become one node each, their text gathered here.
    let mut code: Option<(Option<String>, String, usize)> = None;
    let mut image: Option<(String, String, usize)> = None;

    for (event, range) in Parser::new_ext(&text, options()).into_offset_iter() {
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
                let (line, _) = position(range.start);
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
                    let mut n = 1;
                    while !used_ids.insert(id.clone()) {
                        id = format!("{base}-{n}");
                        n += 1;
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
                code = Some((lang, String::new(), position(range.start).0));
                continue;
            }
            Event::Start(Tag::Link { dest_url, .. })
            | Event::Start(Tag::Image { dest_url, .. }) => {
                let (line, col) = position(range.start);
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
        let (line, _) = position(range.start);
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
    for (index, raw_line) in body.split_inclusive('\n').enumerate() {
        let line_no = index + 1 + line_offset;
        let line = raw_line.trim_end_matches('\n');
        let indent = line.len() - line.trim_start_matches(' ').len();
        let trimmed = line.trim_start_matches(' ');
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
}
