//! `casebook check`: what to fix in a curriculum, grouped by kind. Everything the build
//! would reject, plus what a build lets through but a reader should not meet: pages overdue
//! for review, stale or missing translations, personal data in case material, and content
//! that is hard to read with a screen reader.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use pulldown_cmark::{Event, Tag, TagEnd};
use regex::Regex;
use serde_json::json;

use crate::diag::{Diagnostic, Severity, display_path};
use crate::model::{Kind as EntryKind, Site};
use crate::parse::{BlockKind, Node, ParsedPage};
use crate::values::Date;

/// The kinds of problem, in the order they are reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Links,
    FrontMatter,
    Freshness,
    Translations,
    PersonalData,
    Accessibility,
}

impl Kind {
    pub const ALL: [Kind; 6] = [
        Kind::Links,
        Kind::FrontMatter,
        Kind::Freshness,
        Kind::Translations,
        Kind::PersonalData,
        Kind::Accessibility,
    ];

    /// The name in JSON output.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Links => "links",
            Kind::FrontMatter => "front-matter",
            Kind::Freshness => "freshness",
            Kind::Translations => "translations",
            Kind::PersonalData => "personal-data",
            Kind::Accessibility => "accessibility",
        }
    }

    /// The heading in text output.
    pub fn title(self) -> &'static str {
        match self {
            Kind::Links => "Links",
            Kind::FrontMatter => "Front matter",
            Kind::Freshness => "Freshness",
            Kind::Translations => "Translations",
            Kind::PersonalData => "Personal data",
            Kind::Accessibility => "Accessibility",
        }
    }
}

/// One problem found.
#[derive(Debug, Clone)]
pub struct Finding {
    pub kind: Kind,
    pub diagnostic: Diagnostic,
}

/// How far each language is translated.
#[derive(Debug, Clone)]
pub struct Coverage {
    pub language: String,
    pub pages: usize,
    pub translated: usize,
    pub words: usize,
    pub translated_words: usize,
    pub stale: usize,
    /// The originals with no translation into this language.
    pub missing: Vec<PathBuf>,
}

/// A link to another site, listed for a person to check.
#[derive(Debug, Clone)]
pub struct External {
    pub url: String,
    pub file: PathBuf,
    pub line: usize,
}

#[derive(Debug, Default)]
pub struct Report {
    pub findings: Vec<Finding>,
    pub coverage: Vec<Coverage>,
    pub external: Vec<External>,
    /// Whether the external links were asked (`--external`).
    pub external_checked: bool,
}

impl Report {
    pub fn errors(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.diagnostic.is_error())
            .count()
    }

    pub fn warnings(&self) -> usize {
        self.findings.len() - self.errors()
    }
}

/// Checks the site in `root`, with freshness judged on `today`.
pub fn check(root: &Path, today: Date) -> Report {
    let mut diagnostics = Vec::new();
    let loaded = crate::load(root, false, &mut diagnostics);
    let mut report = Report::default();
    for d in diagnostics {
        report.findings.push(Finding {
            kind: kind_of_build_problem(&d),
            diagnostic: d,
        });
    }
    if let Some(mut loaded) = loaded {
        if let Some(compiled) = loaded.templates.take() {
            templates(&loaded, compiled, &mut report);
        }
        let site = &loaded.site;
        front_matter(site, &mut report);
        freshness(root, site, today, &mut report);
        translations(root, site, &mut report);
        personal_data(root, site, &mut report);
        accessibility(site, &mut report);
        other_language_links(site, &mut report);
        unused_files(site, &mut report);
        for (_, page) in pages(site) {
            for r in page
                .doc
                .references
                .iter()
                .filter(|r| r.dest.starts_with("http://") || r.dest.starts_with("https://"))
            {
                report.external.push(External {
                    url: r.dest.clone(),
                    file: page.source.path.clone(),
                    line: r.line,
                });
            }
        }
        report
            .external
            .sort_by(|a, b| (&a.url, &a.file, a.line).cmp(&(&b.url, &b.file, b.line)));
    }
    sort_findings(&mut report);
    report
}

/// What a build of either edition would say of the templates. A mistake the trainer
/// edition alone meets (in a `{% if trainer %}` part) says so.
fn templates(loaded: &crate::Loaded, templates: crate::render::Templates, report: &mut Report) {
    let render = |edition, templates| {
        crate::render::Renderer::new(
            &loaded.site,
            templates,
            &loaded.strings,
            edition,
            &loaded.theme,
            std::collections::HashSet::new(),
        )
        .template_problems()
    };
    let mentee = render(crate::config::Edition::Mentee, templates.clone());
    let trainer = render(crate::config::Edition::Trainer, templates);
    for mut d in trainer {
        if !mentee.iter().any(|m| m.message == d.message) {
            d.message = format!("in the trainer edition, {}", d.message);
            add(report, kind_of_build_problem(&d), d);
        }
    }
    for d in mentee {
        add(report, kind_of_build_problem(&d), d);
    }
}

/// By kind, then file, line and message: the order they are reported in.
fn sort_findings(report: &mut Report) {
    fn key(f: &Finding) -> (Kind, &Option<PathBuf>, usize, &str) {
        let d = &f.diagnostic;
        (f.kind, &d.path, d.line, &d.message)
    }
    report.findings.sort_by(|a, b| key(a).cmp(&key(b)));
}

/// Asks every external link whether it still works (at most `timeout` each, four at a
/// time, each address once), and reports those that do not as warnings under links.
pub fn check_external(report: &mut Report, timeout: std::time::Duration) {
    report.external_checked = true;
    let urls: Vec<String> = report.external.iter().map(|e| e.url.clone()).collect();
    let answers = crate::external::check(&urls, timeout, 4);
    for e in report.external.clone() {
        let problem = match answers.get(&e.url) {
            Some(Ok(status)) if *status < 400 => continue,
            Some(Ok(status)) => format!("answered HTTP {status}"),
            Some(Err(why)) => format!("could not be reached: {why}"),
            None => continue,
        };
        add(report, Kind::Links, Diagnostic::warning(format!("the link `{}` {problem}", e.url)).at(&e.file, e.line, 1).hint("open it: update the address, or remove the link; if the site is only down for now, check again later"));
    }
    sort_findings(report);
}

/// The build's own problems: links, anchors and images that point nowhere are links; the
/// rest are about what a file says.
fn kind_of_build_problem(d: &Diagnostic) -> Kind {
    match d.topic {
        Some("links") => Kind::Links,
        _ => Kind::FrontMatter,
    }
}

fn add(report: &mut Report, kind: Kind, d: Diagnostic) {
    report.findings.push(Finding {
        kind,
        diagnostic: d,
    });
}

fn pages(site: &Site) -> impl Iterator<Item = (&crate::model::Entry, &ParsedPage)> {
    site.entries.iter().flat_map(|e| {
        std::iter::once(&e.original)
            .chain(e.translations.values())
            .map(move |p| (e, p))
    })
}

/// Files beside the content that no page (of either edition, drafts included) links to or
/// shows: a build does not publish them.
fn unused_files(site: &Site, report: &mut Report) {
    let used = site.used_assets(crate::config::Edition::Trainer);
    for file in &site.assets {
        if used.contains(file) || site.draft_assets.contains(file) {
            continue;
        }
        add(
            report,
            Kind::Links,
            Diagnostic::warning(format!(
                "`{}` is not linked from any page, so it is not published",
                display_path(file)
            ))
            .in_file(file)
            .hint("link it from the page it belongs to (`[the form](form.docx)` or `![what it shows](picture.png)`), or delete it"),
        );
    }
}

/// A link written to `page.id.md` from a page in another language: readers of that page
/// would be sent to the Indonesian version, whatever their language.
fn other_language_links(site: &Site, report: &mut Report) {
    for (_, page) in pages(site) {
        let own = page
            .source
            .lang
            .clone()
            .unwrap_or_else(|| site.config.default_language.clone());
        for r in &page.doc.references {
            let file = r.dest.split(['#', '?']).next().unwrap_or_default();
            let name = file.rsplit('/').next().unwrap_or_default();
            let Some(stem) = name.strip_suffix(".md") else {
                continue;
            };
            let Some((base, lang)) = stem.rsplit_once('.') else {
                continue;
            };
            if lang != own && site.config.is_language(lang) {
                add(report, Kind::Links, Diagnostic::warning(format!("the link goes to the `{lang}` version of a page")).at(&page.source.path, r.line, r.col).width(r.dest.chars().count().max(1)).hint(format!("link to `{base}.md`: casebook takes each reader to the page in their own language")));
            }
        }
    }
}

fn front_matter(site: &Site, report: &mut Report) {
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

fn freshness(root: &Path, site: &Site, today: Date, report: &mut Report) {
    for (entry, page) in pages(site) {
        let meta = &page.meta;
        let path = &page.source.path;
        let window = entry
            .original
            .meta
            .review_every
            .unwrap_or(site.config.review_every);
        match meta.reviewed {
            Some(reviewed) => {
                let due = window.after(reviewed);
                if due < today {
                    add(report, Kind::Freshness, Diagnostic::warning(format!("overdue for review since {due} (reviewed {reviewed})")).at(path, line_of_key(root, page, "reviewed"), 1).hint("check the page against the current law and phone numbers, then set `reviewed:` to today's date"));
                }
            }
            None if !meta.sources.is_empty() => {
                add(report, Kind::Freshness, Diagnostic::warning("the page cites `sources` but has no `reviewed` date").at(path, line_of_key(root, page, "sources"), 1).hint("add `reviewed: YYYY-MM-DD` with the date a lawyer last checked the page"));
            }
            None => {}
        }
    }
    let file = PathBuf::from(crate::discover::CURRICULUM).join("toolkit/referrals.yaml");
    for r in &site.referrals {
        match r.verified {
            None => add(report, Kind::Freshness, Diagnostic::warning(format!("`{}` has never been verified", r.name)).at(&file, r.line, 1).hint("call or check the organisation's own site, then add `verified: YYYY-MM-DD` and `source:`")),
            Some(v) if site.config.review_every.after(v) < today => add(report, Kind::Freshness, Diagnostic::warning(format!("`{}` was last verified on {v}", r.name)).at(&file, r.line, 1).hint("check the phone number and hours again, then update `verified:`")),
            Some(_) => {}
        }
    }
}

fn translations(root: &Path, site: &Site, report: &mut Report) {
    for lang in site
        .config
        .languages
        .iter()
        .filter(|l| l.code != site.config.default_language)
    {
        let mut c = Coverage {
            language: lang.code.clone(),
            pages: 0,
            translated: 0,
            words: 0,
            translated_words: 0,
            stale: 0,
            missing: Vec::new(),
        };
        for entry in &site.entries {
            let words = word_count(&entry.original);
            c.pages += 1;
            c.words += words;
            let Some(t) = entry.translations.get(&lang.code) else {
                c.missing.push(entry.original.source.path.clone());
                continue;
            };
            c.translated += 1;
            c.translated_words += words;
            match &t.meta.source_hash {
                Some(recorded) if recorded.split_whitespace().next() != Some(entry.original.text_hash.as_str()) => {
                    c.stale += 1;
                    let original = &entry.original.source.path;
                    let text = crate::source::read_text(&root.join(original), original).unwrap_or_default();
                    let sections = changed_sections(recorded, &text);
                    let changed = if sections.is_empty() { String::new() } else { format!(" (changed: {})", sections.join(", ")) };
                    add(report, Kind::Translations, Diagnostic::warning(format!("the translation is stale: `{}` changed since it was translated{changed}", display_path(original))).at(&t.source.path, line_of_key(root, t, "source_hash"), 1).hint(format!("compare it with the original, update it, then run `casebook translate stamp {}`", display_path(&t.source.path))));
                }
                Some(_) => {}
                None => add(report, Kind::Translations, Diagnostic::warning("the translation does not record which version of the original it was made from").at(&t.source.path, 1, 1).hint(format!("once it matches the original, run `casebook translate stamp {}`", display_path(&t.source.path)))),
            }
        }
        c.missing.sort();
        report.coverage.push(c);
    }
}

fn word_count(page: &ParsedPage) -> usize {
    page.doc
        .nodes
        .iter()
        .map(|n| match n {
            Node::Md(Event::Text(t), _) => t.split_whitespace().count(),
            _ => 0,
        })
        .sum()
}

/// Where `key:` is in the page's front matter (line 1 when it is not there).
fn line_of_key(root: &Path, page: &ParsedPage, key: &str) -> usize {
    let path = &page.source.path;
    let Ok(text) = crate::source::read_text(&root.join(path), path) else {
        return 1;
    };
    let prefix = format!("{key}:");
    text.lines()
        .enumerate()
        .skip(1)
        .take_while(|(_, l)| l.trim_end() != "---")
        .find(|(_, l)| l.starts_with(&prefix))
        .map(|(i, _)| i + 1)
        .unwrap_or(1)
}

static PERSONAL: LazyLock<Vec<(Regex, &'static str)>> = LazyLock::new(|| {
    [
        (
            r"\b[A-Z]{1,2}[0-9]{6}\s?\(?[0-9A]\)",
            "a Hong Kong identity card number",
        ),
        (r"\b[A-Z]{1,2}[0-9]{7}[A-Z]?\b", "a passport number"),
        (
            r"\+6[23][\s-]?8[0-9]{1,2}[\s-]?[0-9]{3,4}[\s-]?[0-9]{3,5}\b",
            "an Indonesian or Philippine mobile number",
        ),
        (
            r"(?:\+852[\s-]?)?\b[2-9][0-9]{3}[\s-]?[0-9]{4}\b",
            "an 8-digit Hong Kong phone number",
        ),
        (
            r"\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b",
            "an email address",
        ),
    ]
    .into_iter()
    .map(|(re, what)| (Regex::new(re).expect("valid pattern"), what))
    .collect()
});

/// Fact patterns, and trainer notes anywhere: a line whose text looks like a real person's
/// identity number, phone or email. Numbers of the referral directory are allowed, and so
/// is a line that says the value is fictional.
fn personal_data(root: &Path, site: &Site, report: &mut Report) {
    let allowed: Vec<String> = site
        .referrals
        .iter()
        .flat_map(|r| {
            [&r.phone, &r.whatsapp, &r.email]
                .into_iter()
                .flatten()
                .cloned()
        })
        .map(|v| digits_or_text(&v))
        .collect();
    for (entry, page) in pages(site) {
        let path = &page.source.path;
        let Ok(text) = crate::source::read_text(&root.join(path), path) else {
            continue;
        };
        let whole = entry.kind == EntryKind::FactPattern;
        let mut depth_trainer: Vec<bool> = Vec::new();
        let mut in_front = false;
        for (i, line) in text.lines().enumerate() {
            let trimmed = line.trim();
            if i == 0 && trimmed == "---" {
                in_front = true;
                continue;
            }
            if in_front {
                in_front = trimmed != "---";
                continue;
            }
            if let Some(rest) = trimmed.strip_prefix(":::") {
                let word = rest.split_whitespace().next();
                match word {
                    Some(w) => depth_trainer.push(w == "trainer"),
                    None => {
                        depth_trainer.pop();
                    }
                }
                continue;
            }
            let in_trainer = depth_trainer.iter().any(|t| *t);
            if !(whole || in_trainer) || line.to_lowercase().contains("fictional") {
                continue;
            }
            for (re, what) in PERSONAL.iter() {
                for m in re.find_iter(line) {
                    if allowed.contains(&digits_or_text(m.as_str())) {
                        continue;
                    }
                    let col = line[..m.start()].chars().count() + 1;
                    add(report, Kind::PersonalData, Diagnostic::warning(format!("this looks like {what}: `{}`", m.as_str())).at(path, i + 1, col).width(m.as_str().chars().count()).hint("case material must not identify a real person: replace it with an invented value, and mark the line as fictional (write \"fictional\" on it)"));
                }
            }
        }
    }
}

/// Digits only for numbers, lower case for the rest: `+852 2345 6789` = `85223456789`.
fn digits_or_text(v: &str) -> String {
    let digits: String = v.chars().filter(char::is_ascii_digit).collect();
    if digits.len() >= 6 {
        digits.trim_start_matches("852").to_string()
    } else {
        v.to_lowercase()
    }
}

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

fn accessibility(site: &Site, report: &mut Report) {
    for (_, page) in pages(site) {
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

/// The report as text: grouped by kind, each finding with file:line and its hint, then the
/// translation coverage and a summary.
pub fn text(report: &Report, root: &Path, color: bool) -> String {
    let mut out = String::new();
    for kind in Kind::ALL {
        let found: Vec<&Finding> = report.findings.iter().filter(|f| f.kind == kind).collect();
        if found.is_empty() {
            continue;
        }
        out.push_str(&format!("== {} ({})\n\n", kind.title(), found.len()));
        for f in found {
            out.push_str(&f.diagnostic.render(root, color));
            out.push('\n');
        }
    }
    if !report.external.is_empty() {
        let how = if report.external_checked {
            "checked: problems are listed under Links"
        } else {
            "not checked (add `--external`): open them to see that they still work"
        };
        out.push_str(&format!(
            "== External links ({}), {how}\n\n",
            report.external.len()
        ));
        for e in &report.external {
            out.push_str(&format!(
                "{}  ({}:{})\n",
                e.url,
                display_path(&e.file),
                e.line
            ));
        }
        out.push('\n');
    }
    if !report.coverage.is_empty() {
        out.push_str("== Translation coverage\n\n");
        out.push_str(&format!(
            "{:<10} {:>6} {:>11} {:>8} {:>9} {:>6}\n",
            "language", "pages", "translated", "words", "percent", "stale"
        ));
        for c in &report.coverage {
            out.push_str(&format!(
                "{:<10} {:>6} {:>11} {:>8} {:>8}% {:>6}\n",
                c.language,
                c.pages,
                c.translated,
                c.words,
                percent(c),
                c.stale
            ));
        }
        for c in report.coverage.iter().filter(|c| !c.missing.is_empty()) {
            let shown: Vec<String> = c.missing.iter().take(5).map(|p| display_path(p)).collect();
            let more = c.missing.len().saturating_sub(shown.len());
            let tail = if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            };
            out.push_str(&format!(
                "not yet in {}: {}{tail}\n",
                c.language,
                shown.join(", ")
            ));
        }
        out.push('\n');
    }
    let by_kind: Vec<String> = Kind::ALL
        .iter()
        .map(|k| {
            format!(
                "{} {}",
                k.name(),
                report.findings.iter().filter(|f| f.kind == *k).count()
            )
        })
        .collect();
    out.push_str(&format!(
        "{}, {} ({})\n",
        crate::diag::plural(report.errors(), "error"),
        crate::diag::plural(report.warnings(), "warning"),
        by_kind.join(", ")
    ));
    out
}

fn percent(c: &Coverage) -> usize {
    (c.translated_words * 100)
        .checked_div(c.words)
        .unwrap_or(100)
}

/// The report as JSON, in the documented format (`"format": 1`).
pub fn json(report: &Report) -> String {
    let findings: Vec<serde_json::Value> = report
        .findings
        .iter()
        .map(|f| {
            let d = &f.diagnostic;
            json!({
                "kind": f.kind.name(),
                "severity": match d.severity { Severity::Error => "error", Severity::Warning => "warning" },
                "file": d.path.as_ref().map(|p| display_path(p)),
                "line": (d.line > 0).then_some(d.line),
                "column": (d.line > 0).then_some(d.col.max(1)),
                "message": d.message,
                "hint": d.hint,
            })
        })
        .collect();
    let by_kind: BTreeMap<&str, usize> = Kind::ALL
        .iter()
        .map(|k| {
            (
                k.name(),
                report.findings.iter().filter(|f| f.kind == *k).count(),
            )
        })
        .collect();
    let coverage: Vec<serde_json::Value> = report
        .coverage
        .iter()
        .map(|c| json!({"language": c.language, "pages": c.pages, "translated": c.translated, "words": c.words, "percent": percent(c), "stale": c.stale, "missing": c.missing.iter().map(|p| display_path(p)).collect::<Vec<_>>()}))
        .collect();
    serde_json::to_string_pretty(&json!({
        "format": 1,
        "summary": {"errors": report.errors(), "warnings": report.warnings(), "by_kind": by_kind},
        "findings": findings,
        "translations": coverage,
        "external_links": report.external.iter().map(|e| json!({"url": e.url, "file": display_path(&e.file), "line": e.line})).collect::<Vec<_>>(),
    }))
    .expect("JSON values serialize")
}

/// The fingerprint of each section of a page's text, by heading (`listening`), with the
/// text before the first heading under `_`.
fn section_hashes(text: &str) -> Vec<(String, String)> {
    let mut sections: Vec<(String, String)> = vec![("_".into(), String::new())];
    let mut fenced = false;
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
        }
        let heading = line.trim_start_matches('#');
        if !fenced
            && line.starts_with('#')
            && heading.starts_with(' ')
            && line.len() - heading.len() <= 6
        {
            sections.push((crate::parse::markdown::slug(heading.trim()), String::new()));
        }
        if let Some((_, body)) = sections.last_mut() {
            body.push_str(line);
            body.push('\n');
        }
    }
    sections
        .into_iter()
        .map(|(id, body)| (id, crate::parse::fingerprint(body.trim())[..8].to_string()))
        .collect()
}

/// What `source_hash` records: the whole original's fingerprint, then each section's.
fn stamp_value(original: &str) -> String {
    let mut value = crate::parse::fingerprint(original);
    for (id, hash) in section_hashes(original) {
        value.push_str(&format!(" {id}={hash}"));
    }
    value
}

/// The headings of `original` whose sections changed since `recorded` (a `source_hash`
/// value), including sections added or removed.
fn changed_sections(recorded: &str, original: &str) -> Vec<String> {
    let before: BTreeMap<&str, &str> = recorded
        .split_whitespace()
        .skip(1)
        .filter_map(|p| p.split_once('='))
        .collect();
    if before.is_empty() {
        return Vec::new();
    }
    let now = section_hashes(original);
    let mut changed: Vec<String> = now
        .iter()
        .filter(|(id, hash)| before.get(id.as_str()) != Some(&hash.as_str()))
        .map(|(id, _)| {
            if id == "_" {
                "(the opening text)".to_string()
            } else {
                format!("#{id}")
            }
        })
        .collect();
    for id in before
        .keys()
        .filter(|id| !now.iter().any(|(n, _)| n == *id))
    {
        changed.push(format!("#{id} (removed)"));
    }
    changed
}

/// `casebook translate stamp FILE`: records in a translation's front matter which version
/// of its original it matches (`source_hash`). Returns the hash written.
pub fn stamp(root: &Path, file: &Path) -> Result<String, String> {
    let rel = file.strip_prefix(root).unwrap_or(file).to_path_buf();
    let name = rel.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    let parts: Vec<&str> = name.split('.').collect();
    let [stem @ .., _lang, "md"] = parts.as_slice() else {
        return Err(format!(
            "`{}` is not a translation: a translation is named like `name.id.md`",
            display_path(&rel)
        ));
    };
    if stem.is_empty() {
        return Err(format!(
            "`{}` is not a translation: a translation is named like `name.id.md`",
            display_path(&rel)
        ));
    }
    let original = rel.with_file_name(format!("{}.md", stem.join(".")));
    let original_text =
        crate::source::read_text(&root.join(&original), &original).map_err(|_| {
            format!(
                "no original `{}` beside `{}`",
                display_path(&original),
                display_path(&rel)
            )
        })?;
    let hash = crate::parse::fingerprint(&original_text);
    let value = stamp_value(&original_text);
    // Read as every page is (a byte-order mark or CRLF line endings are no obstacle); the
    // file is written back in UTF-8 with `\n` line endings.
    let text = crate::source::read_text(&root.join(&rel), &rel).map_err(|d| d.message)?;
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    if lines.first().map(|l| l.trim_end()) != Some("---") {
        return Err(format!(
            "`{}` does not start with front matter",
            display_path(&rel)
        ));
    }
    let close = lines
        .iter()
        .skip(1)
        .position(|l| l.trim_end() == "---")
        .map(|i| i + 1)
        .ok_or_else(|| {
            format!(
                "the front matter of `{}` has no closing `---`",
                display_path(&rel)
            )
        })?;
    let entry = format!("source_hash: \"{value}\"");
    match lines[1..close]
        .iter()
        .position(|l| l.starts_with("source_hash:"))
    {
        Some(i) => lines[i + 1] = entry,
        None => lines.insert(close, entry),
    }
    let mut out = lines.join("\n");
    if text.ends_with('\n') {
        out.push('\n');
    }
    std::fs::write(root.join(&rel), out)
        .map_err(|e| format!("cannot write `{}`: {e}", display_path(&rel)))?;
    Ok(hash)
}
