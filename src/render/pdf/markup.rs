//! A page's nodes → typst markup: every text of the content as a string literal (so nothing
//! in it can be read as typst code), blocks and callouts as the preamble's functions, each
//! part marked with the content line it came from, for error messages.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use pulldown_cmark::{BlockQuoteKind, Event, Tag, TagEnd};

use crate::diag::display_path;
use crate::i18n::Strings;
use crate::model::{EntryId, Site, Target};
use crate::parse::{BlockKind, Node, ParsedPage, html};

use super::super::{tables, urls};

/// A typst document and, for error messages, which content line each part came from.
pub struct Source {
    pub text: String,
    /// (byte offset in `text`, content file, line), in order of offset.
    pub origins: Vec<(usize, PathBuf, usize)>,
}

impl Source {
    /// The content file and line a byte of the document came from.
    pub fn origin(&self, offset: usize) -> Option<(&Path, usize)> {
        let i = self.origins.partition_point(|(o, _, _)| *o <= offset);
        i.checked_sub(1)
            .map(|i| (self.origins[i].1.as_path(), self.origins[i].2))
    }
}

/// A string as a typst string literal.
pub(super) fn lit(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

pub(super) struct Writer<'a> {
    /// The pages in this PDF: links to them need no printed address.
    pub(super) inside: Vec<EntryId>,
    /// Where each open list's `#list(` arguments start, and whether it became a task list.
    pub(super) lists: Vec<(usize, bool)>,
    pub(super) site: &'a Site,
    pub(super) lang: &'a str,
    pub(super) t: &'a Strings,
    pub(super) answers: bool,
    pub(super) out: String,
    pub(super) origins: Vec<(usize, PathBuf, usize)>,
    /// The typst labels of the footnotes written so far: a second reference to a note
    /// shows its number again instead of a second copy.
    pub(super) footnotes_written: HashSet<String>,
}

impl Writer<'_> {
    pub(super) fn text(&mut self, s: &str) {
        if !s.is_empty() {
            self.out.push('#');
            self.out.push_str(&lit(s));
        }
    }

    pub(super) fn mark(&mut self, file: &Path, line: usize) {
        if self
            .origins
            .last()
            .is_none_or(|(_, f, l)| f != file || *l != line)
        {
            self.origins
                .push((self.out.len(), file.to_path_buf(), line));
        }
    }

    /// Whether a link goes to a page that is in this PDF.
    pub(super) fn is_inside(&self, page: &ParsedPage, dest: &str) -> bool {
        matches!(self.site.target(&page.source.path, dest), Some(Target::Page { id, .. }) if self.inside.contains(id))
    }

    /// The URL a link in `page` points to, in full, or `None` for anchors on the same page.
    pub(super) fn url(&self, page: &ParsedPage, dest: &str) -> Option<String> {
        match self.site.target(&page.source.path, dest) {
            None | Some(Target::External) => Some(dest.to_string()),
            Some(Target::Anchor(_)) => None,
            Some(Target::Page { id, anchor, lang }) => {
                let lang = lang.as_deref().unwrap_or(self.lang);
                let url = urls::absolute(
                    self.site,
                    &urls::page_path(self.site, lang, &self.site.entries[*id].url),
                );
                Some(match anchor {
                    Some(a) => format!("{url}#{a}"),
                    None => url,
                })
            }
            Some(Target::Directory) => Some(urls::absolute(
                self.site,
                &urls::page_path(self.site, self.lang, urls::DIRECTORY),
            )),
            Some(Target::Asset { path, .. }) => {
                Some(urls::absolute(self.site, &urls::asset_path(path)))
            }
        }
    }

    /// Writes a page's nodes as typst markup. Headings move down one level (the page title
    /// is the level-1 heading).
    pub(super) fn page(&mut self, page: &ParsedPage, nodes: &[&Node]) {
        let file = page.source.path.clone();
        // Footnote definitions, written where they are referenced.
        let mut footnotes: HashMap<String, String> = HashMap::new();
        let mut i = 0;
        let mut body: Vec<&Node> = Vec::with_capacity(nodes.len());
        while i < nodes.len() {
            if let Node::Md(Event::Start(Tag::FootnoteDefinition(label)), _) = nodes[i] {
                let start = i + 1;
                let mut depth = 1;
                let mut j = start;
                while j < nodes.len() {
                    match nodes[j] {
                        Node::Md(Event::Start(Tag::FootnoteDefinition(_)), _) => depth += 1,
                        Node::Md(Event::End(TagEnd::FootnoteDefinition), _) => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    j += 1;
                }
                let mut sub = Writer {
                    inside: self.inside.clone(),
                    lists: Vec::new(),
                    site: self.site,
                    lang: self.lang,
                    t: self.t,
                    answers: self.answers,
                    out: String::new(),
                    origins: Vec::new(),
                    footnotes_written: HashSet::new(),
                };
                sub.nodes(
                    page,
                    &file,
                    &nodes[start..j.min(nodes.len())],
                    &HashMap::new(),
                );
                footnotes.insert(label.to_string(), sub.out.trim().to_string());
                i = j + 1;
                continue;
            }
            body.push(nodes[i]);
            i += 1;
        }
        self.nodes(page, &file, &body, &footnotes);
    }

    pub(super) fn nodes(
        &mut self,
        page: &ParsedPage,
        file: &Path,
        nodes: &[&Node],
        footnotes: &HashMap<String, String>,
    ) {
        let mut skip_depth = 0usize;
        let mut closers: Vec<&'static str> = Vec::new();
        let mut link_urls: Vec<Option<String>> = Vec::new();
        let mut table = TableState::default();
        for (at, node) in nodes.iter().enumerate() {
            match node {
                Node::Open { kind, title, line } => {
                    if skip_depth > 0 {
                        skip_depth += 1;
                        continue;
                    }
                    self.mark(file, *line);
                    match kind {
                        BlockKind::Answer if !self.answers => {
                            let _ = writeln!(
                                self.out,
                                "\n#answer-space({})\n",
                                lit(self.t.get("your_answer"))
                            );
                            skip_depth = 1;
                        }
                        BlockKind::Answer => {
                            let _ =
                                write!(self.out, "\n#answer({})[", lit(self.t.get("model_answer")));
                            closers.push("]\n\n");
                        }
                        BlockKind::Trainer => {
                            let _ = write!(
                                self.out,
                                "\n#trainer-note({})[",
                                lit(self.t.get("facilitator_notes"))
                            );
                            closers.push("]\n\n");
                        }
                        BlockKind::Roleplay => {
                            let label = match title {
                                Some(t) => format!("{}: {t}", self.t.get("roleplay")),
                                None => self.t.get("roleplay").to_string(),
                            };
                            let _ = write!(self.out, "\n#roleplay({})[", lit(&label));
                            closers.push("]\n\n");
                        }
                    }
                    continue;
                }
                Node::Close(_) => {
                    if skip_depth > 0 {
                        skip_depth -= 1;
                    } else if let Some(c) = closers.pop() {
                        self.out.push_str(c);
                    }
                    continue;
                }
                Node::Md(..) | Node::Image { .. } | Node::Code { .. } if skip_depth > 0 => continue,
                Node::Code { lang, text, line } => {
                    self.mark(file, *line);
                    let lang = lang
                        .as_ref()
                        .map(|l| format!("lang: {}, ", lit(l)))
                        .unwrap_or_default();
                    let _ = writeln!(
                        self.out,
                        "\n#raw(block: true, {lang}{})\n",
                        lit(text.trim_end_matches('\n'))
                    );
                }
                Node::Image { dest, alt, line } => {
                    self.mark(file, *line);
                    self.image(page, dest, alt);
                }
                Node::Md(event, line) => {
                    if matches!(event, Event::Start(_)) {
                        self.mark(file, *line);
                    }
                    // Pictures in raw HTML (`<img src="…" alt="…">`) are printed too.
                    if let Event::Html(raw) | Event::InlineHtml(raw) = event {
                        self.mark(file, *line);
                        let attributes = html::attributes(raw);
                        for img in attributes.iter().filter(|a| {
                            a.tag.eq_ignore_ascii_case("img") && a.name.eq_ignore_ascii_case("src")
                        }) {
                            let alt = attributes
                                .iter()
                                .find(|a| a.element == img.element && a.name.eq_ignore_ascii_case("alt"))
                                .map_or("", |a| a.value);
                            self.image(page, img.value, alt);
                        }
                    }
                    if matches!(event, Event::Start(Tag::Table(_))) {
                        table.fill_in = tables::read(&nodes[at..]).fill_in;
                    }
                    self.event(page, event, footnotes, &mut link_urls, &mut table);
                }
            }
        }
        for c in closers.into_iter().rev() {
            self.out.push_str(c);
        }
    }

    /// A picture beside the content, as wide as it is up to the width of the page; its alt
    /// text where it is not a file of the site.
    fn image(&mut self, page: &ParsedPage, dest: &str, alt: &str) {
        match self.site.target(&page.source.path, dest) {
            Some(Target::Asset { path, .. }) => {
                // Written out here (not in a preamble function), so an error points at this line.
                let (path, alt) = (lit(&format!("/{}", display_path(path))), lit(alt));
                let _ = write!(
                    self.out,
                    "#layout(size => {{ let img = image({path}, alt: {alt}); if measure(img).width > size.width {{ image({path}, alt: {alt}, width: 100%) }} else {{ img }} }})"
                );
            }
            _ => self.text(alt),
        }
    }

    pub(super) fn event(
        &mut self,
        page: &ParsedPage,
        event: &Event<'_>,
        footnotes: &HashMap<String, String>,
        link_urls: &mut Vec<Option<String>>,
        table: &mut TableState,
    ) {
        match event {
            Event::Start(tag) => match tag {
                Tag::Paragraph => {}
                Tag::Heading { level, .. } => {
                    let _ = write!(self.out, "\n{} ", "=".repeat((*level as usize + 1).min(6)));
                }
                Tag::BlockQuote(None) => self.out.push_str("\n#quote(block: true)["),
                Tag::BlockQuote(Some(kind)) => {
                    let (class, key) = match kind {
                        BlockQuoteKind::Note => ("note", "callout_note"),
                        BlockQuoteKind::Tip => ("tip", "callout_tip"),
                        BlockQuoteKind::Important => ("important", "callout_important"),
                        BlockQuoteKind::Warning => ("warning", "callout_warning"),
                        BlockQuoteKind::Caution => ("caution", "callout_caution"),
                    };
                    let _ = write!(
                        self.out,
                        "\n#callout({}, {})[",
                        lit(self.t.get(key)),
                        lit(class)
                    );
                }
                Tag::List(Some(start)) => {
                    let _ = write!(self.out, "\n#enum(start: {start}, ");
                    self.lists.push((self.out.len(), false));
                }
                Tag::List(None) => {
                    self.out.push_str("\n#list(");
                    self.lists.push((self.out.len(), false));
                }
                Tag::Item => self.out.push('['),
                Tag::FootnoteDefinition(_) => {}
                Tag::Table(aligns) => {
                    let _ = write!(self.out, "\n#table(columns: {}, ", aligns.len().max(1));
                }
                Tag::TableHead => {
                    table.head = true;
                    self.out.push_str("table.header(");
                }
                Tag::TableRow => {}
                Tag::TableCell => self.out.push('['),
                Tag::Emphasis => self.out.push_str("#emph["),
                Tag::Strong => self.out.push_str("#strong["),
                Tag::Strikethrough => self.out.push_str("#strike["),
                Tag::Superscript => self.out.push_str("#super["),
                Tag::Subscript => self.out.push_str("#sub["),
                Tag::Link { dest_url, .. } => {
                    let url = self.url(page, dest_url);
                    let inside = self.is_inside(page, dest_url);
                    match &url {
                        Some(u) => {
                            let _ = write!(self.out, "#link({})[", lit(u));
                        }
                        // An anchor on the same page: just its text, in a content block.
                        None => self.out.push_str("#["),
                    }
                    // The address is printed after the link only when it leads out of this PDF.
                    link_urls.push(if inside { None } else { url });
                }
                // Code blocks and images arrive as their own nodes.
                Tag::CodeBlock(_)
                | Tag::Image { .. }
                | Tag::HtmlBlock
                | Tag::MetadataBlock(_)
                | Tag::DefinitionList => {}
                // A definition list: each term in bold, its definitions indented below it.
                Tag::DefinitionListTitle => self.out.push_str("\n#block(below: 0.4em, strong["),
                Tag::DefinitionListDefinition => self.out.push_str("#pad(left: 1.5em)["),
            },
            Event::End(tag) => match tag {
                TagEnd::Paragraph => self.out.push_str("\n\n"),
                TagEnd::Heading(_) => self.out.push_str("\n\n"),
                TagEnd::BlockQuote(_) => self.out.push_str("]\n\n"),
                TagEnd::List(_) => {
                    self.lists.pop();
                    self.out.push_str(")\n\n");
                }
                TagEnd::Item => self.out.push_str("], "),
                TagEnd::TableHead => {
                    table.head = false;
                    self.out.push_str("), ");
                }
                TagEnd::TableCell => {
                    // A blank cell of a form is as tall as a line of handwriting (about 1 cm
                    // with the cell's inset); elsewhere a blank cell stays small.
                    if table.fill_in && !table.head && self.out.ends_with('[') {
                        self.out.push_str("#box(height: 2em)");
                    }
                    self.out.push_str("], ");
                }
                TagEnd::Table => self.out.push_str(")\n\n"),
                TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Superscript
                | TagEnd::Subscript => self.out.push(']'),
                TagEnd::DefinitionListTitle => self.out.push_str("])\n"),
                TagEnd::DefinitionListDefinition => self.out.push_str("]\n\n"),
                TagEnd::Link => {
                    self.out.push(']');
                    if let Some(Some(url)) = link_urls.pop()
                        && !url.starts_with("mailto:")
                        && !url.starts_with("tel:")
                    {
                        let _ = write!(self.out, "#url-note({})", lit(&url));
                    }
                }
                _ => {}
            },
            Event::Text(t) => self.text(t),
            Event::Code(t) => {
                let _ = write!(self.out, "#raw({})", lit(t));
            }
            Event::SoftBreak => self.out.push(' '),
            Event::HardBreak => self.out.push_str("#linebreak()"),
            Event::Rule => self
                .out
                .push_str("\n#line(length: 100%, stroke: 0.5pt + luma(160))\n\n"),
            Event::TaskListMarker(done) => {
                // A checklist: tick boxes instead of bullets.
                if let Some((at, task)) = self.lists.last_mut()
                    && !*task
                {
                    *task = true;
                    self.out.insert_str(*at, "marker: none, ");
                }
                let _ = write!(self.out, "#tick({done}) ");
            }
            Event::FootnoteReference(label) => match footnotes.get(label.as_ref()) {
                Some(body) => {
                    let name = format!(
                        "casebook-fn-{}",
                        crate::parse::fingerprint(format!(
                            "{}#{label}",
                            page.source.path.display()
                        ))
                    );
                    if self.footnotes_written.contains(&name) {
                        let _ = write!(self.out, "#footnote(<{name}>)");
                    } else {
                        let _ = write!(self.out, "#footnote[{body}] <{name}>");
                        self.footnotes_written.insert(name);
                    }
                }
                None => self.text(&format!("[{label}]")),
            },
            Event::Html(_)
            | Event::InlineHtml(_)
            | Event::InlineMath(_)
            | Event::DisplayMath(_) => {}
        }
    }
}

/// Where the writer is in a table.
#[derive(Debug, Default)]
pub(super) struct TableState {
    /// In its header row.
    head: bool,
    /// It is a form to fill in by hand ([`tables::Table::fill_in`]).
    fill_in: bool,
}

#[cfg(test)]
mod tests {
    use super::lit;

    #[test]
    fn content_becomes_string_literals_that_typst_cannot_run() {
        assert_eq!(
            lit("#set page(width: 1pt) \"quoted\" \\"),
            "\"#set page(width: 1pt) \\\"quoted\\\" \\\\\""
        );
    }
}

