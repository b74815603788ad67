//! PDF bundles: the [`Site`] → typst markup for each bundle (the toolkit, a handout and a
//! trainer packet per workshop, the fact-pattern packet, the bundles of `casebook.yaml`), in
//! every language that has translated pages, typeset in parallel by [`crate::typeset`].
//! Written from the same edition-filtered nodes as the HTML. Every text of the content goes
//! into typst as a string literal, so nothing in it can be read as typst code.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use pulldown_cmark::{BlockQuoteKind, Event, Tag, TagEnd};
use rayon::prelude::*;

use crate::config::Edition;
use crate::diag::{Diagnostic, display_path};
use crate::i18n::Strings;
use crate::model::{EntryId, Kind, Site, Target};
use crate::parse::referrals::KINDS;
use crate::parse::{self, BlockKind, Node, ParsedPage};
use crate::typeset;

use super::urls;

/// Which PDF.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum What {
    Toolkit,
    Handout(usize),
    TrainerPacket(usize),
    FactPatterns,
    Bundle(usize),
}

/// One PDF to make.
#[derive(Debug, Clone)]
pub struct Plan {
    pub what: What,
    pub lang: String,
    /// Path below the output folder, e.g. `pdf/01-case-screening.id.pdf`.
    pub file: String,
    pub title: String,
    pub entries: Vec<EntryId>,
    /// Model answers shown (trainer material), or blank space to write in.
    pub answers: bool,
    /// The edition whose nodes are shown.
    pub edition: Edition,
    /// The page of the site this PDF is the print form of (for the cover's QR code).
    pub url: String,
    pub directory: bool,
}

/// The base name of each kind of PDF, without language and extension.
fn base_name(site: &Site, what: &What) -> String {
    match what {
        What::Toolkit => "toolkit".into(),
        What::Handout(i) => site.workshops[*i].folder.clone(),
        What::TrainerPacket(i) => format!("{}.trainer", site.workshops[*i].folder),
        What::FactPatterns => "fact-patterns".into(),
        What::Bundle(i) => site.config.bundles[*i].id.clone(),
    }
}

/// The PDF file for `what` in `lang`: `pdf/NAME.pdf` in the default language,
/// `pdf/NAME.LANG.pdf` in others.
pub fn file_name(site: &Site, what: &What, lang: &str) -> String {
    let base = base_name(site, what);
    if lang == site.config.default_language {
        format!("pdf/{base}.pdf")
    } else {
        format!("pdf/{base}.{lang}.pdf")
    }
}

/// Every PDF a build of `edition` makes. A language gets its own copy only when at least one
/// of the pages is translated into it; otherwise its readers get the default language's.
pub fn plan(
    site: &Site,
    strings: &std::collections::BTreeMap<String, Strings>,
    edition: Edition,
) -> Vec<Plan> {
    let mut wanted: Vec<(What, Vec<EntryId>, bool, Edition, String, bool)> = Vec::new();
    if let Some(t) = &site.toolkit {
        let entries: Vec<EntryId> = std::iter::once(t.entry)
            .chain(t.pages.iter().copied())
            .collect();
        wanted.push((
            What::Toolkit,
            entries,
            false,
            Edition::Mentee,
            site.entries[t.entry].url.clone(),
            true,
        ));
    }
    for (i, w) in site.workshops.iter().enumerate() {
        let entries: Vec<EntryId> = std::iter::once(w.entry)
            .chain(w.pages.iter().copied())
            .chain(w.fact_patterns.iter().copied())
            .collect();
        let url = site.entries[w.entry].url.clone();
        wanted.push((
            What::Handout(i),
            entries.clone(),
            false,
            Edition::Mentee,
            url.clone(),
            false,
        ));
        if edition == Edition::Trainer {
            wanted.push((
                What::TrainerPacket(i),
                entries,
                true,
                Edition::Trainer,
                url,
                false,
            ));
        }
    }
    if !site.fact_patterns.is_empty() {
        let trainer = edition == Edition::Trainer;
        wanted.push((
            What::FactPatterns,
            site.fact_patterns.clone(),
            trainer,
            edition,
            urls::FACT_INDEX.to_string(),
            false,
        ));
    }
    for (i, bundle) in site.config.bundles.iter().enumerate() {
        if bundle.edition == Edition::Trainer && edition == Edition::Mentee {
            continue;
        }
        let entries = bundle_entries(site, &bundle.include);
        if entries.is_empty() {
            continue;
        }
        let trainer = bundle.edition == Edition::Trainer;
        wanted.push((
            What::Bundle(i),
            entries,
            trainer,
            bundle.edition,
            String::new(),
            false,
        ));
    }
    let mut plans = Vec::new();
    for (what, entries, answers, content_edition, url, directory) in wanted {
        for lang in site.config.languages.iter().map(|l| l.code.as_str()) {
            let translated = lang == site.config.default_language
                || entries
                    .iter()
                    .any(|&e| site.entries[e].translations.contains_key(lang));
            if !translated {
                continue;
            }
            let t = strings.get(lang).expect("strings for every language");
            let title = match &what {
                What::Toolkit => site.entries[entries[0]].variant(lang).0.meta.title.clone(),
                What::Handout(i) | What::TrainerPacket(i) => site.entries[site.workshops[*i].entry]
                    .variant(lang)
                    .0
                    .meta
                    .title
                    .clone(),
                What::FactPatterns => t.get("fact_patterns").to_string(),
                What::Bundle(i) => site.config.bundles[*i].title.clone(),
            };
            plans.push(Plan {
                file: file_name(site, &what, lang),
                what: what.clone(),
                lang: lang.to_string(),
                title,
                entries: entries.clone(),
                answers,
                edition: content_edition,
                url: urls::absolute(site, &urls::page_path(site, lang, &url)),
                directory,
            });
        }
    }
    plans
}

/// The entries a bundle's `include` globs select, in reading order (fact patterns last).
fn bundle_entries(site: &Site, include: &[String]) -> Vec<EntryId> {
    let mut builder = globset::GlobSetBuilder::new();
    for pattern in include {
        if let Ok(glob) = globset::GlobBuilder::new(pattern)
            .literal_separator(true)
            .build()
        {
            builder.add(glob);
        }
    }
    let Ok(set) = builder.build() else {
        return Vec::new();
    };
    let matches = |id: &EntryId| set.is_match(&site.entries[*id].original.source.path);
    let mut out: Vec<EntryId> = site.reading_order.iter().copied().filter(matches).collect();
    for id in site.fact_patterns.iter().copied().filter(matches) {
        if !out.contains(&id) {
            out.push(id);
        }
    }
    out
}

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
fn lit(text: &str) -> String {
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

struct Writer<'a> {
    /// The pages in this PDF: links to them need no printed address.
    inside: Vec<EntryId>,
    /// Where each open list's `#list(` arguments start, and whether it became a task list.
    lists: Vec<(usize, bool)>,
    site: &'a Site,
    lang: &'a str,
    t: &'a Strings,
    answers: bool,
    out: String,
    origins: Vec<(usize, PathBuf, usize)>,
    /// The typst labels of the footnotes written so far: a second reference to a note
    /// shows its number again instead of a second copy.
    footnotes_written: HashSet<String>,
}

impl Writer<'_> {
    fn text(&mut self, s: &str) {
        if !s.is_empty() {
            self.out.push('#');
            self.out.push_str(&lit(s));
        }
    }

    fn mark(&mut self, file: &Path, line: usize) {
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
    fn is_inside(&self, page: &ParsedPage, dest: &str) -> bool {
        matches!(self.site.target(&page.source.path, dest), Some(Target::Page { id, .. }) if self.inside.contains(id))
    }

    /// The URL a link in `page` points to, in full, or `None` for anchors on the same page.
    fn url(&self, page: &ParsedPage, dest: &str) -> Option<String> {
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
    fn page(&mut self, page: &ParsedPage, nodes: &[&Node]) {
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

    fn nodes(
        &mut self,
        page: &ParsedPage,
        file: &Path,
        nodes: &[&Node],
        footnotes: &HashMap<String, String>,
    ) {
        let mut skip_depth = 0usize;
        let mut closers: Vec<&'static str> = Vec::new();
        let mut link_urls: Vec<Option<String>> = Vec::new();
        let mut table_head = false;
        for node in nodes {
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
                Node::Md(event, line) => {
                    if matches!(event, Event::Start(_)) {
                        self.mark(file, *line);
                    }
                    self.event(page, event, footnotes, &mut link_urls, &mut table_head);
                }
            }
        }
        for c in closers.into_iter().rev() {
            self.out.push_str(c);
        }
    }

    fn event(
        &mut self,
        page: &ParsedPage,
        event: &Event<'_>,
        footnotes: &HashMap<String, String>,
        link_urls: &mut Vec<Option<String>>,
        table_head: &mut bool,
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
                    *table_head = true;
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
                | Tag::DefinitionList
                | Tag::DefinitionListTitle
                | Tag::DefinitionListDefinition => {}
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
                    *table_head = false;
                    self.out.push_str("), ");
                }
                TagEnd::TableCell => self.out.push_str("], "),
                TagEnd::Table => self.out.push_str(")\n\n"),
                TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Superscript
                | TagEnd::Subscript => self.out.push(']'),
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

/// Writes the typst document for one plan.
pub fn document(site: &Site, plan: &Plan, t: &Strings, preamble: &str) -> Source {
    let mut w = Writer {
        inside: plan.entries.clone(),
        lists: Vec::new(),
        site,
        lang: &plan.lang,
        t,
        answers: plan.answers,
        out: String::with_capacity(64 * 1024),
        origins: Vec::new(),
        footnotes_written: HashSet::new(),
    };
    w.out.push_str(preamble);
    w.out.push('\n');
    let lang_name = site
        .config
        .language(&plan.lang)
        .map(|l| l.name.clone())
        .unwrap_or_default();
    let kicker = match &plan.what {
        What::Handout(i) | What::TrainerPacket(i) => {
            let m = &site.entries[site.workshops[*i].entry].original.meta;
            m.session
                .map(|s| format!("{} {s}", t.get("session")))
                .unwrap_or_default()
        }
        What::Toolkit => t.get("toolkit").to_string(),
        _ => String::new(),
    };
    let latest = plan
        .entries
        .iter()
        .filter_map(|&e| {
            site.entries[e]
                .variant(&plan.lang)
                .0
                .meta
                .reviewed
                .or(site.entries[e].original.meta.reviewed)
        })
        .max();
    let mut lines = vec![lang_name];
    if let Some(d) = latest {
        lines.push(format!("{}: {}", t.get("last_reviewed"), t.date(d)));
    }
    let warning = (plan.answers || plan.edition == Edition::Trainer)
        .then(|| t.get("trainer_edition").to_string());
    let _ = writeln!(
        w.out,
        "#show: casebook-document.with(title: {}, lang: {}, paper: {}, footer: {}, reviewed-label: {})",
        lit(&plan.title),
        lit(&plan.lang),
        lit(site.config.paper.as_str()),
        lit(&plan.title),
        lit(t.get("last_reviewed")),
    );
    let _ = writeln!(
        w.out,
        "#cover(title: {}, kicker: {}, programme: {}, lines: ({},), url: {}, qr: \"/qr.svg\", note: {}, warning: {})",
        lit(&plan.title),
        lit(&kicker),
        lit(&site.config.title),
        lines.iter().map(|l| lit(l)).collect::<Vec<_>>().join(", "),
        lit(&plan.url),
        lit(&format!("{} {}", t.get("disclaimer"), t.get("pdf_online"))),
        warning.map(|w| lit(&w)).unwrap_or_else(|| "none".into()),
    );
    let _ = writeln!(
        w.out,
        "#outline(title: {}, depth: 1)\n#pagebreak(weak: true)\n",
        lit(t.get("contents"))
    );
    for &id in &plan.entries {
        let entry = &site.entries[id];
        let (page, _) = entry.variant(&plan.lang);
        let meta = &page.meta;
        let original = &entry.original.meta;
        let reviewed = meta.reviewed.or(original.reviewed).map(|d| t.date(d));
        let mut facts = Vec::new();
        if entry.kind == Kind::Workshop
            && let Some(d) = original.date
        {
            facts.push(format!("{}: {}", t.get("date"), t.date(d)));
        }
        if let Some(d) = original.duration.or(original.time) {
            facts.push(format!(
                "{}: {}",
                if entry.kind == Kind::FactPattern {
                    t.get("time")
                } else {
                    t.get("duration")
                },
                t.duration(d)
            ));
        }
        if let Some(level) = original.level {
            facts.push(format!(
                "{}: {}",
                t.get("level"),
                t.get(&format!("level_{}", level.name()))
            ));
        }
        w.mark(&page.source.path, 1);
        let _ = writeln!(
            w.out,
            "#section({}, reviewed: {}, meta: {})",
            lit(&meta.title),
            reviewed.map(|r| lit(&r)).unwrap_or_else(|| "none".into()),
            if facts.is_empty() {
                "none".to_string()
            } else {
                lit(&facts.join(" · "))
            },
        );
        if page.source.lang.as_deref() != Some(plan.lang.as_str())
            && plan.lang != site.config.default_language
        {
            let name = |code: &str| {
                site.config
                    .language(code)
                    .map(|l| l.name.clone())
                    .unwrap_or_default()
            };
            let note = t
                .get("not_translated")
                .replace("{language}", &name(&plan.lang))
                .replace("{default}", &name(&site.config.default_language));
            let _ = writeln!(
                w.out,
                "#text(size: 9pt, style: \"italic\", {})\n",
                lit(&note)
            );
        }
        if matches!(entry.kind, Kind::Workshop | Kind::ToolkitIndex) {
            let objectives = if meta.objectives.is_empty() {
                &original.objectives
            } else {
                &meta.objectives
            };
            if !objectives.is_empty() {
                let _ = writeln!(
                    w.out,
                    "== {}\n#list({})\n",
                    lit_markup(t.get("objectives")),
                    objectives
                        .iter()
                        .map(|o| format!("[#{}]", lit(o)))
                        .collect::<Vec<_>>()
                        .join(", ")
                );
            }
        }
        // Mentee PDFs use mentee nodes (no trainer notes); answers become space to write in.
        let nodes = parse::visible(
            &page.doc,
            plan.edition,
            if plan.answers {
                parse::Answers::Reveal
            } else {
                entry.answers()
            },
        );
        let lang = page
            .source
            .lang
            .clone()
            .unwrap_or_else(|| site.config.default_language.clone());
        if lang != plan.lang {
            let _ = write!(w.out, "#text(lang: {})[", lit(&lang));
        }
        w.page(page, &nodes);
        if lang != plan.lang {
            w.out.push_str("]\n");
        }
        let sources = if meta.sources.is_empty() {
            &original.sources
        } else {
            &meta.sources
        };
        if !sources.is_empty() {
            let _ = writeln!(
                w.out,
                "\n#text(size: 9pt)[#strong({}): {}]\n",
                lit(t.get("sources")),
                sources
                    .iter()
                    .map(|s| format!("#{}", lit(s)))
                    .collect::<Vec<_>>()
                    .join("; ")
            );
        }
    }
    if plan.directory && !site.referrals.is_empty() {
        pocket_card(&mut w, site);
    }
    Source {
        text: w.out,
        origins: w.origins,
    }
}

/// Text for a heading in markup mode.
fn lit_markup(text: &str) -> String {
    format!("#{}", lit(text))
}

/// The referral directory on one page, small enough to keep in a pocket.
fn pocket_card(w: &mut Writer<'_>, site: &Site) {
    let t = w.t;
    let _ = writeln!(
        w.out,
        "#cb-reviewed.update(none)\n#pocket-card({}, {})[",
        lit(t.get("directory")),
        lit(t.get("emergency"))
    );
    let _ = write!(
        w.out,
        "#table(columns: (2.3fr, 1.3fr, 2fr), table.header([#{}], [#{}], [#{}]), ",
        lit(t.get("organisation")),
        lit(t.get("call")),
        lit(t.get("hours"))
    );
    for kind in KINDS {
        let entries: Vec<_> = site.referrals.iter().filter(|r| r.kind == kind).collect();
        if entries.is_empty() {
            continue;
        }
        let _ = write!(
            w.out,
            "table.cell(colspan: 3, fill: luma(235))[#strong({})], ",
            lit(t.get(&format!("kind_{kind}")))
        );
        for r in entries {
            let phone = r.phone.as_deref().or(r.whatsapp.as_deref()).unwrap_or("");
            let dial = if phone.is_empty() {
                String::new()
            } else {
                format!(
                    "#link({})[#{}]",
                    lit(&format!(
                        "tel:{}",
                        crate::parse::referrals::dial_string(phone)
                    )),
                    lit(phone)
                )
            };
            let hours = [r.hours.clone().unwrap_or_default(), r.languages.join(", ")]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" · ");
            let _ = write!(w.out, "[#{}], [{dial}], [#{}], ", lit(&r.name), lit(&hours));
        }
    }
    w.out.push_str(")]\n");
}

/// A QR code of `url`, as SVG.
fn qr_svg(url: &str) -> Vec<u8> {
    match qrcode::QrCode::new(url.as_bytes()) {
        Ok(code) => code
            .render::<qrcode::render::svg::Color<'_>>()
            .min_dimensions(200, 200)
            .quiet_zone(true)
            .build()
            .into_bytes(),
        Err(_) => b"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1\" height=\"1\"/>".to_vec(),
    }
}

/// A finished PDF.
pub struct Made {
    pub plan: Plan,
    pub bytes: Vec<u8>,
}

/// The theme's typst preamble (`pdf/casebook.typ`).
pub fn preamble(theme: &crate::theme::Theme) -> String {
    theme
        .pdf
        .iter()
        .find(|f| f.name == "casebook.typ")
        .map(|f| String::from_utf8_lossy(&f.bytes).into_owned())
        .unwrap_or_default()
}

/// PDFs kept between builds by `serve`, with the fingerprint of what they were made from
/// (their typst source, the preamble, and the files of the content folder they may show):
/// a PDF whose inputs did not change is not typeset again.
#[derive(Default)]
pub struct PdfCache {
    made: std::sync::Mutex<HashMap<String, (String, Vec<u8>)>>,
    /// How many PDFs the last `make` typeset (the others came from the cache).
    pub typeset: std::sync::atomic::AtomicUsize,
}

/// Typesets every plan, in parallel. Errors point at the content file and line they came
/// from when they can. With a cache, PDFs whose inputs are unchanged are reused.
pub fn make(
    root: &Path,
    site: &Site,
    plans: Vec<Plan>,
    strings: &std::collections::BTreeMap<String, Strings>,
    preamble: &str,
    cache: Option<&PdfCache>,
) -> (Vec<Made>, Vec<Diagnostic>) {
    if plans.is_empty() {
        return (Vec::new(), Vec::new());
    }
    let fonts = typeset::shared_fonts(root);
    let today = crate::values::Date::today();
    // Pictures are read by typst from the content folder: their sizes and times are part of
    // every PDF's fingerprint.
    let files_seen = cache.map(|_| {
        let mut all = String::from(preamble);
        for asset in &site.assets {
            let meta = std::fs::metadata(root.join(asset));
            let stamp = meta.as_ref().ok().map(|m| (m.len(), m.modified().ok()));
            all.push_str(&format!("{}{stamp:?}", asset.display()));
        }
        crate::parse::fingerprint(&all)
    });
    if let Some(cache) = cache {
        cache.typeset.store(0, std::sync::atomic::Ordering::Relaxed);
    }
    let results: Vec<Result<Made, Vec<Diagnostic>>> = plans
        .into_par_iter()
        .map(|plan| {
            let t = strings.get(&plan.lang).expect("strings for every language");
            let mut source = document(site, &plan, t, preamble);
            let key = files_seen
                .as_ref()
                .map(|seen| format!("{seen}{}{today}", crate::parse::fingerprint(&source.text)));
            if let (Some(cache), Some(key)) = (cache, &key) {
                let made = cache.made.lock().expect("PDF cache lock");
                if let Some((_, bytes)) = made.get(&plan.file).filter(|(k, _)| k == key) {
                    return Ok(Made { bytes: bytes.clone(), plan });
                }
            }
            let mut generated = HashMap::new();
            generated.insert("/qr.svg".to_string(), qr_svg(&plan.url));
            // The text goes to typst; the origins stay here for error messages.
            let job = typeset::Job { source: std::mem::take(&mut source.text), root, generated, today };
            match typeset::typeset(&fonts, job) {
                Ok(bytes) => {
                    if let (Some(cache), Some(key)) = (cache, key) {
                        cache.typeset.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        cache.made.lock().expect("PDF cache lock").insert(plan.file.clone(), (key, bytes.clone()));
                    }
                    Ok(Made { plan, bytes })
                }
                Err(problems) => Err(problems
                    .into_iter()
                    .map(|p| {
                        let message = format!("cannot typeset `{}`: {}", plan.file, p.message);
                        let hint = if p.message.contains("image") {
                            "the image file is damaged or not an image: open it and save it again as PNG or JPEG".to_string()
                        } else if p.hints.is_empty() {
                            "check the Markdown around this line".to_string()
                        } else {
                            p.hints.join("; ")
                        };
                        let d = Diagnostic::error(message).hint(hint);
                        match p.offset.and_then(|o| source.origin(o)) {
                            Some((file, line)) => d.at(file, line, 1),
                            None => d,
                        }
                    })
                    .collect()),
            }
        })
        .collect();
    let mut made = Vec::new();
    let mut diagnostics = Vec::new();
    for r in results {
        match r {
            Ok(m) => made.push(m),
            Err(d) => diagnostics.extend(d),
        }
    }
    (made, diagnostics)
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
