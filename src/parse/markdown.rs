//! Markdown → [`Document`]: pulldown-cmark events (CommonMark + GFM) with casebook's `:::`
//! blocks (`answer`, `trainer`, `roleplay`) as open/close nodes in the tree, wherever
//! Markdown can hold a block; heading ids assigned; every link, image and footnote recorded
//! with its line and with where it stands (inside which blocks), so that the mentee edition
//! can be checked for links into what it leaves out. Renderers (HTML, PDF) walk the same
//! nodes, filtered by edition, so trainer-only text never reaches a mentee renderer.

use std::path::Path;

use pulldown_cmark::{Options, Parser};

pub use super::document::{
    BlockKind, Document, Footnote, Heading, Node, Reference, Visibility, slug,
};
use super::fences::Fences;
use super::reader::EventReader;
use crate::diag::Diagnostic;

pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_DEFINITION_LIST
}

/// Parses a page body. `line_offset` is the number of lines before the body in its file
/// (the front matter), so positions point into the file.
pub fn parse(
    body: &str,
    line_offset: usize,
    file: &Path,
    diagnostics: &mut Vec<Diagnostic>,
) -> Document {
    let fences = Fences::mark(body, line_offset);
    let text: &str = &fences.text;
    let parser = Parser::new_ext(text, options()).into_offset_iter();
    // Where each link definition stands is known once the blocks are: kept for the end.
    let definitions: Vec<(String, String, usize)> = parser
        .reference_definitions()
        .iter()
        .map(|(_, def)| {
            let title = def.title.as_deref().unwrap_or_default().to_string();
            (def.dest.to_string(), title, def.span.start)
        })
        .collect();
    let mut reader = EventReader::new(file, &fences, line_offset, diagnostics);
    for (event, range) in parser {
        if reader.event(event, range).is_break() {
            break;
        }
    }
    reader.finish(&definitions)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Edition;
    use crate::parse::depth::MAX_BLOCK_NESTING;
    use crate::parse::meta::Answers;
    use pulldown_cmark::{Event, Tag};

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

    /// The kinds of the open and close nodes, in order, with the Markdown element each
    /// stands in (the last one opened before it and not yet closed).
    fn blocks_in(doc: &Document) -> Vec<String> {
        let mut elements: Vec<String> = Vec::new();
        let mut out = Vec::new();
        for node in &doc.nodes {
            let inside = || elements.last().cloned().unwrap_or_else(|| "top".into());
            match node {
                Node::Md(Event::Start(tag), _) => elements.push(
                    format!("{tag:?}")
                        .chars()
                        .take_while(|c| c.is_alphanumeric())
                        .collect(),
                ),
                Node::Md(Event::End(_), _) => {
                    elements.pop();
                }
                Node::Open { kind, .. } => {
                    out.push(format!("open {} in {}", kind.name(), inside()))
                }
                Node::Close(kind) => out.push(format!("close {} in {}", kind.name(), inside())),
                _ => {}
            }
        }
        out
    }

    /// Every piece of text of the nodes a mentee reads (answers kept for trainers).
    fn mentee_text(doc: &Document) -> String {
        let mut text = String::new();
        for node in crate::parse::visible(doc, Edition::Mentee, Answers::Trainer) {
            match node {
                Node::Md(
                    Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t),
                    _,
                ) => text.push_str(t),
                Node::Md(
                    Event::Start(Tag::Link {
                        dest_url, title, ..
                    }),
                    _,
                ) => {
                    text.push_str(dest_url);
                    text.push_str(title);
                }
                Node::Code { text: t, .. } => text.push_str(t),
                Node::Image { dest, alt, .. } => {
                    text.push_str(dest);
                    text.push_str(alt);
                }
                _ => {}
            }
            text.push('\n');
        }
        text
    }

    fn errors(body: &str) -> Vec<(usize, usize, String)> {
        let mut d = Vec::new();
        parse(body, 0, Path::new("t.md"), &mut d);
        d.into_iter().map(|d| (d.line, d.col, d.message)).collect()
    }

    #[test]
    fn an_address_with_a_space_is_an_error_where_it_stands() {
        let spaced = |name: &str| {
            format!(
                "the address `{name}` has a space, so this link is shown as text, not as a link or picture"
            )
        };
        assert_eq!(
            errors(
                "See ![The flow](My Flowchart.png).\n\n- [form](Intake Form.pdf)\n  - [x](y z.png)\n\n| a |\n|---|\n| [b](c d.md) |\n"
            ),
            vec![
                (1, 15, spaced("My Flowchart.png")),
                (3, 8, spaced("Intake Form.pdf")),
                (4, 7, spaced("y z.png")),
                (8, 5, spaced("c d.md")),
            ]
        );
        // Titles, angle brackets and code are not addresses with spaces.
        assert_eq!(
            errors("[a](https://example.org \"A title\") [b](<a b.png>) `[c](d e)`\n"),
            vec![]
        );
    }

    #[test]
    fn a_block_works_in_list_items_at_any_depth_and_in_footnotes_and_quotes() {
        let doc = parse_ok(
            "1. Step one\n\n    - a nested step\n\n        ::: trainer\n        SECRET under the nested step\n        :::\n\n2. Step two\n   ::: trainer\n   SECRET under step two\n   :::\n\nText.[^n]\n\n[^n]: A footnote.\n\n    ::: trainer\n    SECRET in the footnote\n    :::\n\n> [!TIP]\n> Let her finish.\n> ::: trainer\n> SECRET in the callout\n> :::\n",
        );
        assert_eq!(
            blocks_in(&doc),
            [
                "open trainer in Item",
                "close trainer in Item",
                "open trainer in Item",
                "close trainer in Item",
                "open trainer in FootnoteDefinition",
                "close trainer in FootnoteDefinition",
                "open trainer in BlockQuote",
                "close trainer in BlockQuote",
            ]
        );
        let text = mentee_text(&doc);
        assert!(!text.contains("SECRET"), "{text}");
        assert!(text.contains("Step two") && text.contains("Let her finish."));
    }

    #[test]
    fn long_openers_and_closers_are_the_same_block() {
        let doc = parse_ok(":::::::::: trainer\nSECRET\n::::::::::\n\n::: {.answer}\nYes.\n:::\n");
        assert_eq!(
            blocks_in(&doc),
            [
                "open trainer in top",
                "close trainer in top",
                "open answer in top",
                "close answer in top"
            ]
        );
    }

    #[test]
    fn a_note_commented_out_stays_a_comment_and_no_comment_is_published() {
        let doc = parse_ok(
            "Before.\n\n<!--\n::: trainer\nSECRET old note\n:::\n-->\n\nAfter <!-- SECRET inline --> text.\n\n<div>kept<!-- SECRET --></div>\n",
        );
        assert!(doc.blocks.is_empty());
        let text = mentee_text(&doc);
        assert!(!text.contains("SECRET"), "{text}");
        assert!(
            text.contains("<div>kept</div>") && text.contains("After "),
            "{text}"
        );
    }

    #[test]
    fn the_old_marker_written_by_hand_is_only_a_comment() {
        let doc = parse_ok(
            "::: trainer\nSECRET one\n<!--casebook-block:end-->\nSECRET two\n:::\n\nPublic.\n",
        );
        let text = mentee_text(&doc);
        assert!(!text.contains("SECRET"), "{text}");
        assert!(text.contains("Public."));
    }

    #[test]
    fn a_fence_that_cannot_be_a_block_is_an_error_at_its_line() {
        let cases: [(&str, (usize, usize, &str)); 6] = [
            (
                "<div>\n::: trainer\nSECRET\n:::\n</div>\n",
                (
                    2,
                    1,
                    "this `::: trainer` is inside the HTML that starts on line 1, so it would be published as it is",
                ),
            ),
            (
                "Text\n\n    ::: trainer\n    SECRET\n",
                (
                    3,
                    5,
                    "this `::: trainer` is indented four or more spaces deeper than the text it belongs to, so it is read as code and would be shown as written",
                ),
            ),
            (
                "```\ncode\n::: trainer\nSECRET\n",
                (
                    3,
                    1,
                    "this `::: trainer` is inside the code block opened on line 1, which is never closed, so it would be shown as code",
                ),
            ),
            (
                "Text\n    ::: trainer\n",
                (
                    2,
                    5,
                    "this `::: trainer` is read as part of the text around it (a paragraph, a table or a link), so it would be shown as text",
                ),
            ),
            (
                "Some `code\n    ::: trainer\n` here\n",
                (
                    2,
                    5,
                    "this `::: trainer` is inside inline code (between backticks), so it would be shown as text",
                ),
            ),
            (
                "[x]: /u \"title\n    ::: trainer\n\"\n",
                (
                    2,
                    5,
                    "this `::: trainer` is taken into the text around it (such as a link definition's title in quotes), so it is not a block",
                ),
            ),
        ];
        for (body, expected) in cases {
            let got = errors(body);
            assert!(
                got.iter().any(|(l, c, m)| (*l, *c, m.as_str()) == expected),
                "{body:?}: {got:?}"
            );
        }
    }

    #[test]
    fn a_fence_ends_a_table_or_paragraph_above_it() {
        let doc = parse_ok(
            "| a |\n|---|\n| b |\n::: trainer\nSECRET\n:::\nText\n::: trainer\nSECRET\n:::\n",
        );
        assert_eq!(
            blocks_in(&doc),
            [
                "open trainer in top",
                "close trainer in top",
                "open trainer in top",
                "close trainer in top"
            ]
        );
        assert!(!mentee_text(&doc).contains("SECRET"));
    }

    #[test]
    fn a_block_must_close_where_it_opened() {
        assert_eq!(
            errors("- one\n  ::: trainer\n  SECRET\n- two\n  :::\n"),
            [(
                2,
                3,
                "the `::: trainer` block is not closed before its list item ends".to_string()
            ),]
        );
        assert_eq!(
            errors("::: trainer\n- one\n  :::\n:::\n"),
            [(3, 3, "this `:::` is inside a list item, but the `::: trainer` block it would close (line 1) is not".to_string())]
        );
    }

    #[test]
    fn fences_inside_closed_code_are_shown_as_written() {
        let doc = parse_ok("```markdown\n::: trainer\nA note.\n:::\n```\n");
        assert!(doc.blocks.is_empty());
        assert!(
            matches!(&doc.nodes[0], Node::Code { text, .. } if text == "::: trainer\nA note.\n:::\n")
        );
    }

    #[test]
    fn links_footnotes_and_headings_know_where_they_stand() {
        let doc = parse_ok(
            "See [the plan][p] and a note.[^n]\n\n## Public\n\n::: trainer\n[p]: /secret \"SECRET\"\n\n[^n]: SECRET note.\n\n## Public\n\n[inside](#public)\n:::\n\n## Public\n",
        );
        assert_eq!(doc.references[0].visibility, Visibility::Everyone);
        assert_eq!(doc.references[0].definition, Some((6, Visibility::Trainer)));
        assert_eq!(doc.references[1].visibility, Visibility::Trainer);
        assert_eq!(doc.footnotes[0].definition, (8, Visibility::Trainer));
        let ids: Vec<_> = doc
            .headings
            .iter()
            .map(|h| (h.id.as_str(), h.visibility))
            .collect();
        assert_eq!(
            ids,
            [
                ("public", Visibility::Everyone),
                ("public-2", Visibility::Trainer),
                ("public-1", Visibility::Everyone)
            ]
        );
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
