//! The pages of the curriculum: the programme, each workshop, lesson, toolkit page and
//! fact pattern, with their text (the nodes the edition keeps), table of contents, review
//! dates, PDFs and exercises.

use serde_json::Value;

use super::data::{
    AnswerMark, Fact, FactItem, LessonItem, Link, OfflinePart, PageText, PageTitle, TocItem, ToolkitLink,
    Workshop, WorkshopSummary, value,
};
use super::*;

impl Renderer<'_> {
    pub(super) fn page(&self, lang: &str, job: Job) -> Result<(OutFile, bool), Failed> {
        let site = self.site;
        let dir = self.dir_of(lang, job);
        let t = self.strings(lang);
        let mut ctx = self.base(lang, &dir, job);
        let mut has_code = false;
        let template = match job {
            Job::Entry(id) => {
                let entry = &site.entries[id];
                let (page, translated) = entry.variant(lang);
                let nodes = parse::visible(&page.doc, self.edition, entry.answers());
                let table_names = tables::Names::default();
                let opts = markdown::Options {
                    site,
                    lang,
                    from_dir: &dir,
                    strings: t,
                    edition: self.edition,
                    absolute: false,
                    heading_shift: 0,
                    id_prefix: "",
                    table_names: &table_names,
                };
                let rendered = markdown::render(page, &nodes, &opts);
                has_code = rendered.has_code;
                let meta = &page.meta;
                let original = &entry.original.meta;
                let toc: Vec<TocItem> = page
                    .doc
                    .headings
                    .iter()
                    // A model answer's headings are inside it, folded: not sections.
                    .filter(|h| {
                        h.level == 2
                            && h.visibility != crate::parse::Visibility::Answer
                            && !h.visibility.hidden(self.edition, entry.answers())
                    })
                    .map(|h| TocItem {
                        id: h.id.clone(),
                        text: h.text.clone(),
                    })
                    .collect();
                let reviewed = meta.reviewed.or(original.reviewed);
                ctx["page"] = value(PageText {
                    title: meta.title.clone(),
                    content: rendered.html,
                    summary: meta
                        .summary
                        .clone()
                        .or_else(|| original.summary.clone())
                        .or_else(|| first_paragraph(&nodes))
                        .unwrap_or_else(|| meta.title.clone()),
                    lead: meta.summary.clone().or_else(|| original.summary.clone()),
                    reviewed: reviewed.map(|d| t.date(d)),
                    reviewed_iso: reviewed.map(|d| d.to_string()),
                    sources: if meta.sources.is_empty() {
                        &original.sources
                    } else {
                        &meta.sources
                    },
                    duration: original.duration.map(|d| t.duration(d)),
                    toc: if toc.len() >= 3 { toc } else { Vec::new() },
                    draft: original.draft || meta.draft,
                    trainers: entry.trainer_only,
                });
                // Past its review window (the page's `review_every`, or the site's): say so.
                let window = original.review_every.unwrap_or(site.config.review_every);
                if let Some(due) = reviewed
                    .map(|r| window.after(r))
                    .filter(|due| *due < self.today)
                {
                    ctx["overdue_note"] = value(t.get("overdue").replace("{date}", &t.date(due)));
                }
                ctx["content_lang"] = value(
                    page.source
                        .lang
                        .clone()
                        .unwrap_or_else(|| site.config.default_language.clone()),
                );
                if !translated && lang != site.config.default_language {
                    let name = |code: &str| {
                        site.config
                            .language(code)
                            .map(|l| l.name.clone())
                            .unwrap_or_default()
                    };
                    ctx["fallback_note"] = value(
                        t.get("not_translated")
                            .replace("{language}", &name(lang))
                            .replace("{default}", &name(&site.config.default_language)),
                    );
                    ctx["noindex"] = value(true);
                    ctx["canonical"] = value(urls::absolute(
                        site,
                        &urls::page_path(site, &site.config.default_language, &entry.url),
                    ));
                }
                if translated
                    && page.meta.translation_status == Some(parse::TranslationStatus::NeedsReview)
                {
                    ctx["needs_review"] = value(true);
                }
                self.entry_context(&mut ctx, id, lang, &dir, t);
                // The toolkit page lists every bundle; any other page, those it is in.
                let holding = (entry.kind != Kind::ToolkitIndex).then_some(id);
                ctx["bundles"] = value(self.bundle_links(holding, lang, &dir));
                ctx["search"]["index"] = value(true);
                let workshop = match entry.kind {
                    Kind::Lesson | Kind::Tool | Kind::FactPattern => entry.workshop,
                    _ => None,
                };
                // Named in the reader's language where a translated page names it so.
                ctx["search"]["workshop"] = value(workshop.map(|w| {
                    let title = self.across.title(w, lang).map(str::to_string);
                    title.unwrap_or_else(|| self.entry_title(w, lang))
                }));
                self.template_of(job)
            }
            Job::Schedule => {
                self.schedule(&mut ctx, lang, &dir, t);
                "schedule.html"
            }
            Job::FactIndex => {
                self.fact_index(&mut ctx, lang, &dir, t);
                "fact_patterns.html"
            }
            Job::Directory => {
                ctx["directory"] = value(self.directory(t));
                ctx["page"] = value(PageTitle {
                    title: t.get("directory").to_string(),
                    summary: Some(t.get("directory_summary").to_string()),
                });
                ctx["breadcrumbs"] = value([
                    self.crumb(site.programme, lang, &dir),
                    self.toolkit_crumb(lang, &dir),
                ]);
                ctx["search"]["index"] = value(true);
                ctx["search"]["workshop"] = value(self.toolkit_title(lang));
                "referrals.html"
            }
            Job::Saved => {
                ctx["page"] = value(PageTitle {
                    title: t.get("saved_title").to_string(),
                    summary: Some(t.get("saved_summary").to_string()),
                });
                ctx["directory_url"] = value(
                    site.toolkit
                        .is_some()
                        .then(|| self.link(&dir, lang, urls::DIRECTORY)),
                );
                ctx["noindex"] = value(true);
                "saved.html"
            }
            Job::Search => {
                self.search_page(&mut ctx, lang, &dir, t);
                "search.html"
            }
            Job::Print(which) => {
                has_code = self.print(&mut ctx, which, lang, &dir, t);
                "print.html"
            }
        };
        ctx["has_code"] = value(has_code);
        let html = self
            .templates
            .render(template, self.context(ctx, lang))
            .map_err(|cause| Failed {
                template,
                dir: dir.clone(),
                cause,
            })?;
        Ok((
            OutFile {
                path: format!("{dir}index.html"),
                bytes: html.into_bytes(),
                html: true,
            },
            has_code,
        ))
    }

    pub(super) fn entry_context(&self, ctx: &mut Value, id: EntryId, lang: &str, dir: &str, t: &Strings) {
        let site = self.site;
        let entry = &site.entries[id];
        let meta = &entry.original.meta;
        let (variant, _) = entry.variant(lang);
        let programme = self.crumb(site.programme, lang, dir);
        ctx["kind"] = value(super::context::kind_name(entry.kind));
        match entry.kind {
            Kind::Programme => {
                let workshops: Vec<WorkshopSummary> = site
                    .workshops
                    .iter()
                    .map(|w| {
                        let m = &site.entries[w.entry].original.meta;
                        let (v, _) = site.entries[w.entry].variant(lang);
                        WorkshopSummary {
                            title: v.meta.title.clone(),
                            summary: v.meta.summary.clone().or_else(|| m.summary.clone()),
                            session: m.session,
                            date: m.date.map(|d| t.date(d)),
                            duration: m.duration.map(|d| t.duration(d)),
                            url: self.link(dir, lang, &site.entries[w.entry].url),
                            draft: self.is_draft(w.entry, lang),
                            trainers: site.entries[w.entry].trainer_only,
                        }
                    })
                    .collect();
                ctx["workshops"] = value(workshops);
                ctx["toolkit"] = value(site.toolkit.as_ref().map(|s| ToolkitLink {
                    title: self.entry_title(s.entry, lang),
                    url: self.link(dir, lang, &site.entries[s.entry].url),
                    directory_url: self.link(dir, lang, urls::DIRECTORY),
                }));
                ctx["schedule_url"] = value(self.link(dir, lang, urls::SCHEDULE));
                ctx["fact_index_url"] = value(
                    (!site.fact_patterns.is_empty())
                        .then(|| self.link(dir, lang, urls::FACT_INDEX)),
                );
            }
            Kind::Workshop | Kind::ToolkitIndex => {
                let section = if entry.kind == Kind::ToolkitIndex {
                    site.toolkit.as_ref()
                } else {
                    site.workshop_of(id)
                };
                let lessons: Vec<LessonItem> = section
                    .map(|s| {
                        s.pages
                            .iter()
                            .map(|&p| LessonItem {
                                title: self.entry_title(p, lang),
                                url: self.link(dir, lang, &site.entries[p].url),
                                duration: site.entries[p].original.meta.duration.map(|d| t.duration(d)),
                                draft: self.is_draft(p, lang),
                                trainers: site.entries[p].trainer_only,
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                let exercises: Vec<FactItem> = section
                    .map(|s| {
                        s.fact_patterns
                            .iter()
                            .map(|&f| self.fact_item(f, lang, dir, t))
                            .collect()
                    })
                    .unwrap_or_default();
                let handout = site.workshops.iter().position(|w| w.entry == id);
                let toolkit = entry.kind == Kind::ToolkitIndex;
                ctx["workshop"] = value(Workshop {
                    session: meta.session,
                    date: meta.date.map(|d| t.date(d)),
                    duration: meta.duration.map(|d| t.duration(d)),
                    objectives: if variant.meta.objectives.is_empty() {
                        &meta.objectives
                    } else {
                        &variant.meta.objectives
                    },
                    prerequisites: if variant.meta.prerequisites.is_empty() {
                        &meta.prerequisites
                    } else {
                        &variant.meta.prerequisites
                    },
                    lessons,
                    exercises,
                    is_toolkit: toolkit,
                    print_url: self.link(dir, lang, &format!("{}{}", entry.url, urls::PRINT)),
                    pdf: match (toolkit, handout) {
                        (true, _) => self.pdf_link(&pdf::What::Toolkit, lang, dir),
                        (_, Some(i)) => self.pdf_link(&pdf::What::Handout(i), lang, dir),
                        _ => None,
                    },
                    // Only the trainer edition has packets (in the mentee edition the
                    // name would be the handout's).
                    trainer_pdf: handout
                        .filter(|_| self.edition == Edition::Trainer)
                        .and_then(|i| self.pdf_link(&pdf::What::TrainerPacket(i), lang, dir)),
                    directory_url: toolkit.then(|| self.link(dir, lang, urls::DIRECTORY)),
                    offline: section.map(|sec| {
                        let folder = if toolkit {
                            TOOLKIT.to_string()
                        } else {
                            sec.folder.clone()
                        };
                        let id = offline::part_id(lang, &folder);
                        OfflinePart {
                            size: offline::size_mark(&id),
                            id,
                        }
                    }),
                });
                ctx["breadcrumbs"] = value([programme]);
            }
            Kind::Lesson | Kind::Tool => {
                let parent = entry.workshop.map(|w| self.crumb(w, lang, dir));
                ctx["breadcrumbs"] = value([Some(programme), parent]);
            }
            Kind::FactPattern => {
                let workshop = entry.workshop.map(|w| self.crumb(w, lang, dir));
                ctx["fact"] = value(Fact {
                    level: meta.level.map(|l| l.name()),
                    level_label: meta
                        .level
                        .map(|l| t.get(&format!("level_{}", l.name())).to_string()),
                    topics: meta.topics.iter().map(|topic| topic.replace('-', " ")).collect(),
                    time: meta.time.map(|d| t.duration(d)),
                    workshop,
                    answer: self.answer_mark(id, lang, t),
                });
                let exercises = Link {
                    title: t.get("fact_patterns").to_string(),
                    url: self.link(dir, lang, urls::FACT_INDEX),
                };
                ctx["breadcrumbs"] = value([programme, exercises]);
            }
        }
        if entry.kind != Kind::Programme {
            let order = &site.reading_order;
            if let Some(pos) = order.iter().position(|&e| e == id) {
                if pos > 0 {
                    ctx["prev"] = value(self.crumb(order[pos - 1], lang, dir));
                }
                if let Some(&next) = order.get(pos + 1) {
                    ctx["next"] = value(self.crumb(next, lang, dir));
                }
            }
        }
    }

    pub(super) fn fact_item(&self, id: EntryId, lang: &str, dir: &str, t: &Strings) -> FactItem<'_> {
        let entry = &self.site.entries[id];
        let meta = &entry.original.meta;
        FactItem {
            title: self.entry_title(id, lang),
            url: self.link(dir, lang, &entry.url),
            level: meta.level.map(Level::name),
            level_label: meta
                .level
                .map(|l| t.get(&format!("level_{}", l.name())).to_string()),
            topics: &meta.topics,
            topic_ids: meta.topics.iter().map(|topic| crate::parse::markdown::slug(topic)).collect(),
            time: meta.time.map(|d| t.duration(d)),
            workshop: entry.workshop.map(|w| self.entry_title(w, lang)),
            answer: self.answer_mark(id, lang, t),
            draft: self.is_draft(id, lang),
            trainers: entry.trainer_only,
        }
    }

    /// Whether a fact pattern's page, as this edition shows it in `lang`, has model answers
    /// to open. The mentee edition keeps those of `answers: trainer` out, so such an
    /// exercise, like one with no `::: answer` at all, ends after its questions: its page
    /// says to discuss it with a mentor.
    fn answer_mark(&self, id: EntryId, lang: &str, t: &Strings) -> AnswerMark {
        let entry = &self.site.entries[id];
        let (page, _) = entry.variant(lang);
        let shown = parse::visible(&page.doc, self.edition, entry.answers())
            .iter()
            .any(|n| matches!(n, parse::Node::Open { kind: parse::BlockKind::Answer, .. }));
        let (kind, note) = match (shown, entry.answers()) {
            (false, _) => ("none", Some("answer_none_note")),
            // Only the trainer edition shows these; its readers are told what mentees get.
            (true, parse::Answers::Trainer) => ("trainer", Some("answer_trainer_note")),
            (true, parse::Answers::Reveal) => ("included", None),
        };
        AnswerMark {
            kind,
            label: t.get(&format!("answer_{kind}")).to_string(),
            note: note.map(|key| t.get(key).to_string()),
        }
    }
}

/// The start of a page's first paragraph, as plain text, for its description (search
/// engines and link previews). Taken from the visible nodes, so never from trainer text.
pub(super) fn first_paragraph(nodes: &[&parse::Node]) -> Option<String> {
    use pulldown_cmark::{Event, Tag, TagEnd};
    let mut text = String::new();
    let mut inside = false;
    for node in nodes {
        match node {
            parse::Node::Md(Event::Start(Tag::Paragraph), _) => inside = true,
            parse::Node::Md(Event::End(TagEnd::Paragraph), _)
                if inside && !text.trim().is_empty() =>
            {
                break;
            }
            parse::Node::Md(Event::End(TagEnd::Paragraph), _) => inside = false,
            parse::Node::Md(Event::Text(t) | Event::Code(t), _) if inside => text.push_str(t),
            parse::Node::Md(Event::SoftBreak | Event::HardBreak, _) if inside => text.push(' '),
            parse::Node::Open { .. } | parse::Node::Close(_) => inside = false,
            _ => {}
        }
    }
    if text.trim().is_empty() {
        // No paragraph (a checklist, a table): the first text of any kind.
        for node in nodes {
            match node {
                parse::Node::Md(Event::Text(t) | Event::Code(t), _) => text.push_str(t),
                parse::Node::Md(Event::End(_), _) if !text.trim().is_empty() => break,
                parse::Node::Open { .. } => break,
                _ => {}
            }
        }
    }
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.is_empty() {
        return None;
    }
    if text.chars().count() <= 160 {
        return Some(text);
    }
    let cut: String = text.chars().take(157).collect();
    let cut = cut
        .rsplit_once(' ')
        .map(|(head, _)| head.to_string())
        .unwrap_or(cut);
    Some(format!("{cut}…"))
}
