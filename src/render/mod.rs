//! Render: the [`Site`] → output files in memory (HTML pages for every language, print views,
//! the sitemap, the theme's static files). Pages are rendered in parallel; nothing is
//! written here.

pub mod highlight;
pub mod icon;
pub mod markdown;
pub mod offline;
pub mod pdf;
pub mod search;
pub mod urls;

use std::collections::BTreeMap;
use std::path::PathBuf;

use rayon::prelude::*;
use serde_json::{Value, json};

use crate::config::Edition;
use crate::diag::{Diagnostic, display_path};
use crate::discover::TOOLKIT;
use crate::i18n::Strings;
use crate::model::{Entry, EntryId, Kind, Section, Site};
use crate::parse::referrals::{KINDS, dial_string};
use crate::parse::{self, Level};
use crate::theme::Theme;

/// A file to write, relative to the output folder.
#[derive(Debug, Clone)]
pub struct OutFile {
    pub path: String,
    pub bytes: Vec<u8>,
    /// HTML pages are minified on the way out.
    pub html: bool,
}

/// A rendered file's bytes as text. Pages are made from text, so this is only a check, and
/// a quick one: `String::from_utf8_lossy` alone takes ten times as long to find nothing to
/// replace.
pub fn text_of(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(text) => std::borrow::Cow::Borrowed(text),
        Err(_) => String::from_utf8_lossy(bytes),
    }
}

/// Everything a build writes: rendered files, and content files to copy as they are.
#[derive(Debug, Default)]
pub struct Output {
    pub files: Vec<OutFile>,
    /// (file relative to the site root, path relative to the output folder)
    pub copies: Vec<(PathBuf, String)>,
    pub pages: usize,
}

/// A page its template failed on.
struct Failed {
    template: &'static str,
    dir: String,
    cause: String,
}

#[derive(Debug, Clone, Copy)]
enum Job {
    Entry(EntryId),
    Schedule,
    FactIndex,
    Directory,
    Search,
    /// The print view of a workshop (its index in `site.workshops`), or of the toolkit.
    Print(Option<usize>),
}

pub struct Renderer<'a> {
    site: &'a Site,
    tera: tera::Tera,
    strings: &'a BTreeMap<String, Strings>,
    /// Each language's strings as the templates' `t`, made once: copying them into each
    /// page's context is quicker than turning the table into JSON again for every page.
    string_values: BTreeMap<String, Value>,
    edition: Edition,
    asset_version: String,
    /// The PDF files this build makes, for "Download PDF" links.
    pdfs: std::collections::HashSet<String>,
    /// For "due for review" notices.
    today: crate::values::Date,
}

/// Where a PDF's size goes in a page until the PDF is made.
pub const SIZE_MARK: char = '\u{E000}';

/// Puts the real sizes of the PDFs into the pages that link to them ("Download PDF, 240 KB").
pub fn fill_pdf_sizes(output: &mut Output, sizes: &std::collections::HashMap<String, usize>) {
    fill_marks(&mut output.files, SIZE_MARK, |name| {
        let size = sizes.get(&format!("pdf/{name}")).copied().unwrap_or(0);
        format!("{} KB", size.div_ceil(1024))
    });
}

/// Whether an HTML page holds a mark still to fill (a PDF's size, a part's size).
pub fn has_marks(file: &OutFile) -> bool {
    let mark = |c: char| {
        let mut buf = [0; 4];
        memchr::memmem::find(&file.bytes, c.encode_utf8(&mut buf).as_bytes()).is_some()
    };
    file.html && (mark(SIZE_MARK) || mark(offline::PART_MARK))
}

/// Replaces every `MARK key MARK` in the HTML pages with `value(key)`: for what is known
/// only once the pages are rendered (the sizes of PDFs and of offline parts).
pub fn fill_marks(files: &mut [OutFile], mark: char, value: impl Fn(&str) -> String + Sync) {
    files.par_iter_mut().filter(|f| f.html).for_each(|file| {
        let filled = std::str::from_utf8(&file.bytes)
            .ok()
            .and_then(|text| fill_text(text, mark, &value));
        if let Some(filled) = filled {
            file.bytes = filled.into_bytes();
        }
    });
}

/// [`fill_marks`] on one text; `None` when it has no mark.
pub fn fill_text(text: &str, mark: char, value: &impl Fn(&str) -> String) -> Option<String> {
    if !text.contains(mark) {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut parts = text.split(mark);
    out.push_str(parts.next().unwrap_or_default());
    while let (Some(key), Some(rest)) = (parts.next(), parts.next()) {
        out.push_str(&value(key));
        out.push_str(rest);
    }
    Some(out)
}

/// Compiles the theme's templates. Errors name the template file and line.
pub fn templates(theme: &Theme, diagnostics: &mut Vec<Diagnostic>) -> Option<tera::Tera> {
    let mut tera = tera::Tera::default();
    tera.autoescape_on(vec![".html", ".xml"]);
    let mut ok = true;
    for file in &theme.templates {
        let shown = file
            .origin
            .clone()
            .unwrap_or_else(|| PathBuf::from("themes/default/templates").join(&file.name));
        let text = match std::str::from_utf8(&file.bytes) {
            Ok(t) => t,
            Err(_) => {
                diagnostics.push(
                    Diagnostic::error(format!(
                        "`{}` is not valid UTF-8 text",
                        display_path(&shown)
                    ))
                    .in_file(shown),
                );
                ok = false;
                continue;
            }
        };
        if let Err(e) = tera.add_raw_template(&file.name, text) {
            let (line, col, message) = template_error(&e);
            diagnostics.push(
                Diagnostic::error(format!("template error: {message}"))
                    .at(shown, line, col)
                    .hint("fix the template syntax ({{ … }}, {% … %}); the built-in templates in casebook's themes/default/ show the expected form"),
            );
            ok = false;
        }
    }
    if ok && let Err(e) = tera.build_inheritance_chains() {
        diagnostics.push(
            Diagnostic::error(format!("template error: {}", error_chain(&e)))
                .hint("check the `{% extends %}` and `{% block %}` names in the theme's templates"),
        );
        ok = false;
    }
    ok.then_some(tera)
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut parts = vec![e.to_string()];
    let mut source = e.source();
    while let Some(s) = source {
        parts.push(s.to_string());
        source = s.source();
    }
    parts.join(": ")
}

/// Tera reports parse errors as `--> line:col` inside its message.
fn template_error(e: &tera::Error) -> (usize, usize, String) {
    let text = error_chain(e);
    let mut line = 0;
    let mut col = 1;
    if let Some(pos) = text.find("--> ") {
        let rest = &text[pos + 4..];
        let mut nums = rest
            .split(|c: char| !c.is_ascii_digit())
            .filter(|s| !s.is_empty());
        line = nums.next().and_then(|n| n.parse().ok()).unwrap_or(0);
        col = nums.next().and_then(|n| n.parse().ok()).unwrap_or(1);
    }
    let message = text
        .lines()
        .rfind(|l| !l.trim().is_empty())
        .unwrap_or(&text)
        .trim()
        .trim_start_matches("= ")
        .to_string();
    (line, col, message)
}

impl<'a> Renderer<'a> {
    pub fn new(
        site: &'a Site,
        tera: tera::Tera,
        strings: &'a BTreeMap<String, Strings>,
        edition: Edition,
        theme: &Theme,
        pdfs: std::collections::HashSet<String>,
    ) -> Self {
        let mut all = String::new();
        for file in &theme.statics {
            all.push_str(&file.name);
            all.push_str(&String::from_utf8_lossy(&file.bytes));
        }
        let asset_version = parse::fingerprint(&all)[..10].to_string();
        let string_values = strings
            .iter()
            .map(|(lang, s)| (lang.clone(), json!(s.map)))
            .collect();
        Renderer {
            site,
            tera,
            strings,
            string_values,
            edition,
            asset_version,
            pdfs,
            today: crate::values::Date::today(),
        }
    }

    /// Renders only the pages that show the text of `entries`: their own pages in every
    /// language (a translation's fallback shows the original) and the print views that
    /// hold them. For `serve`, when an edit changed a page's text and nothing else.
    pub fn render_entries(
        &self,
        entries: &std::collections::BTreeSet<EntryId>,
    ) -> (Vec<OutFile>, Vec<Diagnostic>) {
        let site = self.site;
        let mut jobs: Vec<(String, Job)> = Vec::new();
        for lang in site.config.languages.iter().map(|l| l.code.clone()) {
            for &id in entries {
                jobs.push((lang.clone(), Job::Entry(id)));
            }
            for (i, w) in site.workshops.iter().enumerate() {
                if entries.contains(&w.entry)
                    || w.pages
                        .iter()
                        .chain(&w.fact_patterns)
                        .any(|e| entries.contains(e))
                {
                    jobs.push((lang.clone(), Job::Print(Some(i))));
                }
            }
            if let Some(t) = &site.toolkit
                && (entries.contains(&t.entry) || t.pages.iter().any(|e| entries.contains(e)))
            {
                jobs.push((lang.clone(), Job::Print(None)));
            }
        }
        let (files, _, diagnostics) = self.render_jobs(&jobs, std::convert::identity);
        (files, diagnostics)
    }

    /// Renders only the pages made with the templates `names` (`page.html`…): for `serve`,
    /// when a template was edited. `None` when every page uses one of them (`base.html`,
    /// `macros.html`, or a template casebook does not know), so that everything must be
    /// rendered.
    pub fn render_templates(
        &self,
        names: &std::collections::BTreeSet<String>,
    ) -> Option<(Vec<OutFile>, Vec<Diagnostic>)> {
        const OWN: &[&str] = &[
            "programme.html",
            "workshop.html",
            "page.html",
            "fact_pattern.html",
            "fact_patterns.html",
            "schedule.html",
            "referrals.html",
            "search.html",
            "print.html",
            "404.html",
            "sw.js",
        ];
        if names.iter().any(|n| !OWN.contains(&n.as_str())) {
            return None;
        }
        let jobs: Vec<(String, Job)> = self
            .all_jobs()
            .into_iter()
            .filter(|(_, job)| names.contains(self.template_of(*job)))
            .collect();
        let (mut files, _, mut diagnostics) = self.render_jobs(&jobs, std::convert::identity);
        if names.contains("404.html") {
            match self.not_found() {
                Ok(file) => files.push(file),
                Err(d) => diagnostics.push(d),
            }
        }
        Some((files, diagnostics))
    }

    fn template_of(&self, job: Job) -> &'static str {
        match job {
            Job::Entry(id) => match self.site.entries[id].kind {
                Kind::Programme => "programme.html",
                Kind::Workshop | Kind::ToolkitIndex => "workshop.html",
                Kind::Lesson | Kind::Tool => "page.html",
                Kind::FactPattern => "fact_pattern.html",
            },
            Job::Schedule => "schedule.html",
            Job::FactIndex => "fact_patterns.html",
            Job::Directory => "referrals.html",
            Job::Search => "search.html",
            Job::Print(_) => "print.html",
        }
    }

    /// Every page of the site, in every language.
    fn all_jobs(&self) -> Vec<(String, Job)> {
        let site = self.site;
        let mut jobs: Vec<(String, Job)> = Vec::new();
        for lang in site.config.languages.iter().map(|l| l.code.clone()) {
            for id in 0..site.entries.len() {
                jobs.push((lang.clone(), Job::Entry(id)));
            }
            jobs.push((lang.clone(), Job::Schedule));
            if !site.fact_patterns.is_empty() {
                jobs.push((lang.clone(), Job::FactIndex));
            }
            jobs.push((lang.clone(), Job::Search));
            if site.toolkit.is_some() {
                jobs.push((lang.clone(), Job::Directory));
                jobs.push((lang.clone(), Job::Print(None)));
            }
            for i in 0..site.workshops.len() {
                jobs.push((lang.clone(), Job::Print(Some(i))));
            }
        }
        jobs
    }

    /// Renders `jobs` side by side, handing each page to `then` on the thread that made it:
    /// what `then` gave for each page, whether any page has code, and the pages that failed.
    fn render_jobs<T: Send>(
        &self,
        jobs: &[(String, Job)],
        then: impl Fn(OutFile) -> T + Sync,
    ) -> (Vec<T>, bool, Vec<Diagnostic>) {
        // One job at a time for each thread to take: a print page is worth tens of
        // lesson pages, and a run of them left to one thread kept the other idle.
        let results: Vec<Result<(T, bool), Failed>> = jobs
            .par_iter()
            .with_max_len(1)
            .map(|(lang, job)| {
                self.page(lang, *job)
                    .map(|(file, has_code)| (then(file), has_code))
            })
            .collect();
        let mut made = Vec::with_capacity(results.len());
        // A template's mistake fails every page made with it, alike: it is told once, with
        // the first page it failed on and how many others.
        let mut failures: Vec<(Failed, usize)> = Vec::new();
        let mut any_code = false;
        for result in results {
            match result {
                Ok((one, has_code)) => {
                    any_code |= has_code;
                    made.push(one);
                }
                Err(f) => match failures
                    .iter_mut()
                    .find(|(g, _)| g.template == f.template && g.cause == f.cause)
                {
                    Some((_, others)) => *others += 1,
                    None => failures.push((f, 0)),
                },
            }
        }
        let diagnostics = failures
            .into_iter()
            .map(|(f, others)| {
                let on = match others {
                    0 => format!("`{}`", f.dir),
                    1 => format!("`{}` and 1 other page", f.dir),
                    n => format!("`{}` and {n} other pages", f.dir),
                };
                Diagnostic::error(format!("the template `{}` failed on {on}: {}", f.template, f.cause))
                    .hint("check the names used in the template against the built-in one in themes/default/templates/")
            })
            .collect();
        (made, any_code, diagnostics)
    }

    /// What a build would say of the templates, without keeping anything: every page (and
    /// the 404 page) is rendered, for `check`. A template mistake that shows only when a
    /// page renders (an unknown filter or value) is found here.
    pub fn template_problems(&self) -> Vec<Diagnostic> {
        let (_, _, mut diagnostics) = self.render_jobs(&self.all_jobs(), drop::<OutFile>);
        if let Err(d) = self.not_found() {
            diagnostics.push(d);
        }
        diagnostics
    }

    /// The files [`Renderer::render_then`] hands on, one for each page in every language.
    pub fn page_paths(&self) -> Vec<String> {
        self.all_jobs()
            .into_iter()
            .map(|(lang, job)| format!("{}index.html", self.dir_of(&lang, job)))
            .collect()
    }

    /// Renders every page in every language, and the site's other files. Errors (a template
    /// failing on a page) are returned as diagnostics.
    pub fn render(&self, theme: &Theme) -> (Output, Vec<Diagnostic>) {
        let (mut output, pages, diagnostics) = self.render_then(theme, std::convert::identity);
        output.files.splice(0..0, pages);
        (output, diagnostics)
    }

    /// Renders every page in every language, handing each to `then` on the thread that made
    /// it, as soon as it is made: a build minifies and writes a page there, rather than
    /// keeping every page in memory until all are rendered. Returns the
    /// site's other files (`pages` counts the pages), what `then` gave for each page that
    /// rendered, in the order of [`Renderer::page_paths`], and the errors (a template failing
    /// on a page) as diagnostics.
    pub fn render_then<T: Send>(
        &self,
        theme: &Theme,
        then: impl Fn(OutFile) -> T + Sync + Send,
    ) -> (Output, Vec<T>, Vec<Diagnostic>) {
        let site = self.site;
        let ((pages, any_code, mut diagnostics), _) =
            rayon::join(|| self.render_jobs(&self.all_jobs(), then), icon::icons);
        let mut output = Output {
            pages: pages.len(),
            ..Output::default()
        };
        match self.not_found() {
            Ok(file) => output.files.push(file),
            Err(d) => diagnostics.push(d),
        }
        if self.site.config.has_full_address() {
            output.files.extend(self.sitemap());
        } else {
            // A sitemap lists full addresses only; without one the site still builds.
            diagnostics.push(
                Diagnostic::warning(format!(
                    "no `sitemap.xml`: `base_url` is `{}`, not the site's full address",
                    self.site.config.base_url
                ))
                .in_file(PathBuf::from(crate::config::FILE))
                .hint("set `base_url` to the address the site will have, e.g. `base_url: https://example.org/casebook/`: search engines need it, and printed pages show it"),
            );
            output.files.push(OutFile {
                path: "robots.txt".into(),
                bytes: if self.edition == Edition::Trainer {
                    b"User-agent: *\nDisallow: /\n".to_vec()
                } else {
                    b"User-agent: *\nAllow: /\n".to_vec()
                },
                html: false,
            });
        }
        for file in &theme.statics {
            output.files.push(OutFile {
                path: format!("assets/{}", file.name),
                bytes: file.bytes.clone(),
                html: false,
            });
        }
        if any_code {
            output.files.push(OutFile {
                path: "assets/highlight.css".into(),
                bytes: highlight::stylesheet().into_bytes(),
                html: false,
            });
        }
        for asset in site.used_assets(self.edition) {
            let to = urls::asset_path(&asset);
            output.copies.push((asset, to));
        }
        (output, pages, diagnostics)
    }

    /// A page's template context: `ctx` (a JSON object) with the strings of `lang` as `t`.
    fn context(&self, mut ctx: Value, lang: &str) -> tera::Context {
        if let Some(t) = self
            .string_values
            .get(lang)
            .or_else(|| self.string_values.values().next())
        {
            ctx["t"] = t.clone();
        }
        tera::Context::from_value(ctx).expect("the page context is a JSON object")
    }

    fn strings(&self, lang: &str) -> &Strings {
        self.strings
            .get(lang)
            .or_else(|| self.strings.values().next())
            .expect("string tables exist for every language")
    }

    fn dir_of(&self, lang: &str, job: Job) -> String {
        urls::page_path(self.site, lang, &current_url_for(job, self.site))
    }

    fn link(&self, from_dir: &str, lang: &str, url: &str) -> String {
        urls::relative(from_dir, &urls::page_path(self.site, lang, url))
    }

    /// A link to a PDF in the reader's language (or the default language's when there is no
    /// translation), with its size to be filled in.
    fn pdf_link(&self, what: &pdf::What, lang: &str, dir: &str) -> Value {
        let own = pdf::file_name(self.site, what, lang);
        let fallback = pdf::file_name(self.site, what, &self.site.config.default_language);
        let file = if self.pdfs.contains(&own) {
            own
        } else if self.pdfs.contains(&fallback) {
            fallback
        } else {
            return Value::Null;
        };
        // The mark holds the bare file name: tera escapes the `/` of `pdf/…`.
        let name = file.trim_start_matches("pdf/");
        json!({"url": urls::relative(dir, &file), "size": format!("{SIZE_MARK}{name}{SIZE_MARK}")})
    }

    fn entry_title(&self, id: EntryId, lang: &str) -> String {
        self.site.entries[id].variant(lang).0.meta.title.clone()
    }

    fn page(&self, lang: &str, job: Job) -> Result<(OutFile, bool), Failed> {
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
                let opts = markdown::Options {
                    site,
                    lang,
                    from_dir: &dir,
                    strings: t,
                    edition: self.edition,
                    absolute: false,
                    heading_shift: 0,
                    id_prefix: "",
                };
                let rendered = markdown::render(page, &nodes, &opts);
                has_code = rendered.has_code;
                let meta = &page.meta;
                let original = &entry.original.meta;
                let toc: Vec<Value> = page
                    .doc
                    .headings
                    .iter()
                    .filter(|h| {
                        h.level == 2 && !h.visibility.hidden(self.edition, entry.answers())
                    })
                    .map(|h| json!({"id": h.id, "text": h.text}))
                    .collect();
                ctx["page"] = json!({
                    "title": meta.title,
                    "content": rendered.html,
                    "summary": meta.summary.clone().or_else(|| original.summary.clone()).or_else(|| first_paragraph(&nodes)).unwrap_or_else(|| meta.title.clone()),
                    "reviewed": meta.reviewed.or(original.reviewed).map(|d| t.date(d)),
                    "reviewed_iso": meta.reviewed.or(original.reviewed).map(|d| d.to_string()),
                    "sources": if meta.sources.is_empty() { &original.sources } else { &meta.sources },
                    "duration": original.duration.map(|d| t.duration(d)),
                    "toc": if toc.len() >= 3 { toc } else { vec![] },
                });
                // Past its review window (the page's `review_every`, or the site's): say so.
                let reviewed = meta.reviewed.or(original.reviewed);
                let window = original.review_every.unwrap_or(site.config.review_every);
                if let Some(due) = reviewed
                    .map(|r| window.after(r))
                    .filter(|due| *due < self.today)
                {
                    ctx["overdue_note"] = json!(t.get("overdue").replace("{date}", &t.date(due)));
                }
                ctx["content_lang"] = json!(
                    page.source
                        .lang
                        .clone()
                        .unwrap_or_else(|| site.config.default_language.clone())
                );
                if !translated && lang != site.config.default_language {
                    let name = |code: &str| {
                        site.config
                            .language(code)
                            .map(|l| l.name.clone())
                            .unwrap_or_default()
                    };
                    ctx["fallback_note"] = json!(
                        t.get("not_translated")
                            .replace("{language}", &name(lang))
                            .replace("{default}", &name(&site.config.default_language))
                    );
                    ctx["noindex"] = json!(true);
                    ctx["canonical"] = json!(urls::absolute(
                        site,
                        &urls::page_path(site, &site.config.default_language, &entry.url)
                    ));
                }
                if translated
                    && page.meta.translation_status == Some(parse::TranslationStatus::NeedsReview)
                {
                    ctx["needs_review"] = json!(true);
                }
                self.entry_context(&mut ctx, id, lang, &dir, t);
                ctx["search"]["index"] = json!(true);
                let workshop = match entry.kind {
                    Kind::Lesson | Kind::Tool | Kind::FactPattern => entry.workshop,
                    _ => None,
                };
                ctx["search"]["workshop"] = json!(workshop.map(|w| self.entry_title(w, lang)));
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
                ctx["directory"] = self.directory(t);
                ctx["page"] =
                    json!({"title": t.get("directory"), "summary": t.get("directory_summary")});
                ctx["breadcrumbs"] = json!([
                    self.crumb(site.programme, lang, &dir),
                    self.toolkit_crumb(lang, &dir)
                ]);
                ctx["search"]["index"] = json!(true);
                ctx["search"]["workshop"] = json!(self.toolkit_title(lang));
                "referrals.html"
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
        ctx["has_code"] = json!(has_code);
        let tera_ctx = self.context(ctx, lang);
        let html = self
            .tera
            .render(template, &tera_ctx)
            .map_err(|e| Failed {
                template,
                dir: dir.clone(),
                cause: error_chain(&e),
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

    /// What every page needs: language, navigation, links to its other languages.
    fn base(&self, lang: &str, dir: &str, job: Job) -> Value {
        let site = self.site;
        let t = self.strings(lang);
        let root = urls::relative(dir, "");
        let home = self.link(dir, lang, "");
        let current_url = current_url_for(job, site);
        let section_of = |url: &str| -> &'static str {
            if url.is_empty() {
                "programme"
            } else if url.starts_with(urls::DIRECTORY) {
                "directory"
            } else if url.starts_with(urls::SCHEDULE) {
                "schedule"
            } else if url.starts_with(urls::FACT_INDEX) {
                "fact_patterns"
            } else if url.starts_with(&format!("{TOOLKIT}/")) {
                "toolkit"
            } else {
                "programme"
            }
        };
        let current = section_of(&current_url);
        let mut menu = vec![
            ("programme", String::new()),
            ("schedule", urls::SCHEDULE.to_string()),
        ];
        if !site.fact_patterns.is_empty() {
            menu.push(("fact_patterns", urls::FACT_INDEX.to_string()));
        }
        if site.toolkit.is_some() {
            menu.push(("toolkit", format!("{TOOLKIT}/")));
            menu.push(("directory", urls::DIRECTORY.to_string()));
        }
        let menu: Vec<Value> = menu
            .into_iter()
            .map(|(key, url)| json!({"label": t.get(key), "url": self.link(dir, lang, &url), "current": key == current, "key": key}))
            .collect();
        let translated_in = |code: &str| match job {
            Job::Entry(id) => {
                code == site.config.default_language
                    || site.entries[id].translations.contains_key(code)
            }
            _ => true,
        };
        let languages: Vec<Value> = site
            .config
            .languages
            .iter()
            .map(|l| {
                json!({
                    "code": l.code,
                    "name": l.name,
                    "url": self.link(dir, &l.code, &current_url),
                    "current": l.code == lang,
                    "translated": translated_in(&l.code),
                })
            })
            .collect();
        let alternates: Vec<Value> = site
            .config
            .languages
            .iter()
            .filter(|l| translated_in(&l.code))
            .map(|l| json!({"lang": l.code, "href": urls::absolute(site, &urls::page_path(site, &l.code, &current_url))}))
            .collect();
        json!({
            "lang": lang,
            "content_lang": lang,
            "site_title": site.config.title,
            "root": root,
            "home": home,
            "edition": self.edition.name(),
            "trainer": self.edition == Edition::Trainer,
            "asset_version": self.asset_version,
            "canonical": urls::absolute(site, dir),
            "noindex": self.edition == Edition::Trainer,
            "menu": menu,
            "languages": languages,
            "alternates": if site.config.languages.len() > 1 { alternates } else { vec![] },
            "breadcrumbs": [],
            "prev": null,
            "next": null,
            "fallback_note": null,
            "overdue_note": null,
            "needs_review": false,
            "has_code": false,
            "kind": "page",
            "print": matches!(job, Job::Print(_)),
            // `index`: the page goes into the search index; `workshop`: the part it belongs
            // to, shown with its search results.
            "search": {
                "url": self.link(dir, lang, urls::SEARCH),
                "index": false,
                "workshop": null,
                "box": !matches!(job, Job::Search | Job::Print(_)),
            },
        })
    }

    fn crumb(&self, id: EntryId, lang: &str, dir: &str) -> Value {
        // The programme's own title can be long; in breadcrumbs it is just "Programme".
        let title = if id == self.site.programme {
            self.strings(lang).get("programme").to_string()
        } else {
            self.entry_title(id, lang)
        };
        json!({"title": title, "url": self.link(dir, lang, &self.site.entries[id].url)})
    }

    fn toolkit_title(&self, lang: &str) -> Option<String> {
        self.site
            .toolkit
            .as_ref()
            .map(|t| self.entry_title(t.entry, lang))
    }

    /// The search page. Search needs JavaScript; the page also lists every page, which is
    /// what a reader without it gets.
    fn search_page(&self, ctx: &mut Value, lang: &str, dir: &str, t: &Strings) {
        let site = self.site;
        let item = |id: EntryId| json!({"title": self.entry_title(id, lang), "url": self.link(dir, lang, &site.entries[id].url)});
        let section = |s: &Section| {
            let mut v = item(s.entry);
            v["pages"] = json!(s.pages.iter().map(|&p| item(p)).collect::<Vec<_>>());
            v
        };
        let mut toolkit = site.toolkit.as_ref().map(section);
        if let Some(tk) = toolkit.as_mut()
            && let Some(pages) = tk["pages"].as_array_mut()
        {
            pages.push(
                json!({"title": t.get("directory"), "url": self.link(dir, lang, urls::DIRECTORY)}),
            );
        }
        ctx["page"] = json!({"title": t.get("search"), "summary": t.get("search_summary")});
        ctx["contents"] = json!({
            "programme": item(site.programme),
            "schedule_url": self.link(dir, lang, urls::SCHEDULE),
            "workshops": site.workshops.iter().map(section).collect::<Vec<_>>(),
            "toolkit": toolkit,
            "fact_patterns": site.fact_patterns.iter().map(|&f| item(f)).collect::<Vec<_>>(),
            "fact_index_url": self.link(dir, lang, urls::FACT_INDEX),
        });
        let (levels, topics) = self.fact_filters(t);
        ctx["filters"] = json!({"levels": levels, "topics": topics});
        ctx["bundle_url"] = json!(urls::relative(
            dir,
            &format!("{}pagefind.js", search::BUNDLE)
        ));
        ctx["breadcrumbs"] = json!([self.crumb(site.programme, lang, dir)]);
    }

    fn toolkit_crumb(&self, lang: &str, dir: &str) -> Value {
        match &self.site.toolkit {
            Some(t) => self.crumb(t.entry, lang, dir),
            None => {
                json!({"title": self.strings(lang).get("toolkit"), "url": self.link(dir, lang, &format!("{TOOLKIT}/"))})
            }
        }
    }

    fn entry_context(&self, ctx: &mut Value, id: EntryId, lang: &str, dir: &str, t: &Strings) {
        let site = self.site;
        let entry = &site.entries[id];
        let meta = &entry.original.meta;
        let (variant, _) = entry.variant(lang);
        let programme = self.crumb(site.programme, lang, dir);
        ctx["kind"] = json!(kind_name(entry.kind));
        match entry.kind {
            Kind::Programme => {
                let workshops: Vec<Value> = site
                    .workshops
                    .iter()
                    .map(|w| {
                        let m = &site.entries[w.entry].original.meta;
                        let (v, _) = site.entries[w.entry].variant(lang);
                        json!({
                            "title": v.meta.title,
                            "summary": v.meta.summary.clone().or_else(|| m.summary.clone()),
                            "session": m.session,
                            "date": m.date.map(|d| t.date(d)),
                            "duration": m.duration.map(|d| t.duration(d)),
                            "url": self.link(dir, lang, &site.entries[w.entry].url),
                        })
                    })
                    .collect();
                ctx["workshops"] = json!(workshops);
                ctx["toolkit"] = match &site.toolkit {
                    Some(s) => {
                        json!({"title": self.entry_title(s.entry, lang), "url": self.link(dir, lang, &site.entries[s.entry].url), "directory_url": self.link(dir, lang, urls::DIRECTORY)})
                    }
                    None => Value::Null,
                };
                ctx["schedule_url"] = json!(self.link(dir, lang, urls::SCHEDULE));
                ctx["fact_index_url"] = if site.fact_patterns.is_empty() {
                    Value::Null
                } else {
                    json!(self.link(dir, lang, urls::FACT_INDEX))
                };
            }
            Kind::Workshop | Kind::ToolkitIndex => {
                let section = if entry.kind == Kind::ToolkitIndex {
                    site.toolkit.as_ref()
                } else {
                    site.workshop_of(id)
                };
                let lessons: Vec<Value> = section
                    .map(|s| {
                        s.pages
                            .iter()
                            .map(|&p| {
                                json!({
                                    "title": self.entry_title(p, lang),
                                    "url": self.link(dir, lang, &site.entries[p].url),
                                    "duration": site.entries[p].original.meta.duration.map(|d| t.duration(d)),
                                })
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                let exercises: Vec<Value> = section
                    .map(|s| {
                        s.fact_patterns
                            .iter()
                            .map(|&f| self.fact_item(f, lang, dir, t))
                            .collect()
                    })
                    .unwrap_or_default();
                ctx["workshop"] = json!({
                    "session": meta.session,
                    "date": meta.date.map(|d| t.date(d)),
                    "duration": meta.duration.map(|d| t.duration(d)),
                    "objectives": if variant.meta.objectives.is_empty() { &meta.objectives } else { &variant.meta.objectives },
                    "prerequisites": if variant.meta.prerequisites.is_empty() { &meta.prerequisites } else { &variant.meta.prerequisites },
                    "lessons": lessons,
                    "exercises": exercises,
                    "is_toolkit": entry.kind == Kind::ToolkitIndex,
                    "print_url": self.link(dir, lang, &format!("{}{}", entry.url, urls::PRINT)),
                    "pdf": match (entry.kind, site.workshops.iter().position(|w| w.entry == id)) {
                        (Kind::ToolkitIndex, _) => self.pdf_link(&pdf::What::Toolkit, lang, dir),
                        (_, Some(i)) => self.pdf_link(&pdf::What::Handout(i), lang, dir),
                        _ => Value::Null,
                    },
                    "trainer_pdf": match site.workshops.iter().position(|w| w.entry == id) {
                        Some(i) => self.pdf_link(&pdf::What::TrainerPacket(i), lang, dir),
                        None => Value::Null,
                    },
                    "directory_url": if entry.kind == Kind::ToolkitIndex { json!(self.link(dir, lang, urls::DIRECTORY)) } else { Value::Null },
                    "offline": section.map(|sec| {
                        let folder = if entry.kind == Kind::ToolkitIndex { TOOLKIT.to_string() } else { sec.folder.clone() };
                        let id = offline::part_id(lang, &folder);
                        json!({"size": offline::size_mark(&id), "id": id})
                    }),
                });
                ctx["breadcrumbs"] = json!([programme]);
            }
            Kind::Lesson | Kind::Tool => {
                let parent = entry.workshop.map(|w| self.crumb(w, lang, dir));
                ctx["breadcrumbs"] = json!([programme, parent]);
            }
            Kind::FactPattern => {
                let workshop = entry.workshop.map(|w| self.crumb(w, lang, dir));
                ctx["fact"] = json!({
                    "level": meta.level.map(|l| l.name()),
                    "level_label": meta.level.map(|l| t.get(&format!("level_{}", l.name())).to_string()),
                    "topics": meta.topics.iter().map(|topic| topic.replace('-', " ")).collect::<Vec<_>>(),
                    "time": meta.time.map(|d| t.duration(d)),
                    "workshop": workshop,
                });
                ctx["breadcrumbs"] = json!([programme, {"title": t.get("fact_patterns"), "url": self.link(dir, lang, urls::FACT_INDEX)}]);
            }
        }
        if entry.kind != Kind::Programme {
            let order = &site.reading_order;
            if let Some(pos) = order.iter().position(|&e| e == id) {
                if pos > 0 {
                    ctx["prev"] = self.crumb(order[pos - 1], lang, dir);
                }
                if let Some(&next) = order.get(pos + 1) {
                    ctx["next"] = self.crumb(next, lang, dir);
                }
            }
        }
    }

    fn fact_item(&self, id: EntryId, lang: &str, dir: &str, t: &Strings) -> Value {
        let entry = &self.site.entries[id];
        let meta = &entry.original.meta;
        json!({
            "title": self.entry_title(id, lang),
            "url": self.link(dir, lang, &entry.url),
            "level": meta.level.map(Level::name),
            "level_label": meta.level.map(|l| t.get(&format!("level_{}", l.name())).to_string()),
            "topics": meta.topics,
            "topic_ids": meta.topics.iter().map(|topic| crate::parse::markdown::slug(topic)).collect::<Vec<_>>(),
            "time": meta.time.map(|d| t.duration(d)),
            "workshop": entry.workshop.map(|w| self.entry_title(w, lang)),
        })
    }

    fn schedule(&self, ctx: &mut Value, lang: &str, dir: &str, t: &Strings) {
        let site = self.site;
        let mut total = 0u32;
        let rows: Vec<Value> = site
            .workshops
            .iter()
            .map(|w| {
                let m = &site.entries[w.entry].original.meta;
                total += m.duration.map(|d| d.0).unwrap_or(0);
                json!({
                    "session": m.session,
                    "title": self.entry_title(w.entry, lang),
                    "url": self.link(dir, lang, &site.entries[w.entry].url),
                    "date": m.date.map(|d| t.date(d)),
                    "date_iso": m.date.map(|d| d.to_string()),
                    "duration": m.duration.map(|d| t.duration(d)),
                    "lessons": w.pages.len(),
                })
            })
            .collect();
        ctx["page"] = json!({"title": t.get("schedule"), "summary": t.get("schedule_summary")});
        ctx["schedule"] = json!({"rows": rows, "total": (total > 0).then(|| t.duration(crate::values::Minutes(total)))});
        ctx["breadcrumbs"] = json!([self.crumb(site.programme, lang, dir)]);
    }

    fn fact_index(&self, ctx: &mut Value, lang: &str, dir: &str, t: &Strings) {
        let site = self.site;
        let items: Vec<Value> = site
            .fact_patterns
            .iter()
            .map(|&f| self.fact_item(f, lang, dir, t))
            .collect();
        let (levels, topics) = self.fact_filters(t);
        ctx["page"] =
            json!({"title": t.get("fact_patterns"), "summary": t.get("fact_patterns_summary")});
        ctx["facts"] = json!({"items": items, "topics": topics, "levels": levels, "pdf": self.pdf_link(&pdf::What::FactPatterns, lang, dir)});
        ctx["breadcrumbs"] = json!([self.crumb(site.programme, lang, dir)]);
    }

    /// The levels and topics fact patterns have, for filtering them.
    fn fact_filters(&self, t: &Strings) -> (Vec<Value>, Vec<Value>) {
        let site = self.site;
        let mut topics: Vec<String> = site
            .fact_patterns
            .iter()
            .flat_map(|&f| site.entries[f].original.meta.topics.clone())
            .collect();
        topics.sort();
        topics.dedup();
        let mut levels: Vec<Level> = site
            .fact_patterns
            .iter()
            .filter_map(|&f| site.entries[f].original.meta.level)
            .collect();
        levels.sort_by_key(|l| *l as u8);
        levels.dedup();
        let levels = levels
            .iter()
            .map(|l| json!({"name": l.name(), "label": t.get(&format!("level_{}", l.name()))}))
            .collect();
        let topics = topics
            .iter()
            .map(|topic| json!({"name": topic, "id": crate::parse::markdown::slug(topic), "label": topic.replace('-', " ")}))
            .collect();
        (levels, topics)
    }

    fn directory(&self, t: &Strings) -> Value {
        let groups: Vec<Value> = KINDS
            .iter()
            .filter_map(|kind| {
                let entries: Vec<Value> = self
                    .site
                    .referrals
                    .iter()
                    .filter(|r| r.kind == *kind)
                    .map(|r| {
                        let mut v = serde_json::to_value(r).expect("referrals serialize");
                        v["tel"] = json!(r.phone.as_deref().map(dial_string));
                        v["wa"] = json!(r.whatsapp.as_deref().map(|w| format!("https://wa.me/{}", dial_string(w).trim_start_matches('+'))));
                        v["verified"] = json!(r.verified.map(|d| t.get("details_checked").replace("{date}", &t.date(d))));
                        v
                    })
                    .collect();
                (!entries.is_empty()).then(|| json!({"kind": kind, "label": t.get(&format!("kind_{kind}")), "entries": entries}))
            })
            .collect();
        json!({"groups": groups})
    }

    /// A print view: the workshop (or toolkit) and all its pages on one page. Returns whether
    /// any code was highlighted.
    fn print(
        &self,
        ctx: &mut Value,
        which: Option<usize>,
        lang: &str,
        dir: &str,
        t: &Strings,
    ) -> bool {
        let site = self.site;
        let section: &Section = match which {
            Some(i) => &site.workshops[i],
            None => site
                .toolkit
                .as_ref()
                .expect("print views of the toolkit exist only with a toolkit"),
        };
        let mut has_code = false;
        let mut parts = Vec::new();
        for (n, &id) in std::iter::once(&section.entry)
            .chain(&section.pages)
            .chain(&section.fact_patterns)
            .enumerate()
        {
            let entry: &Entry = &site.entries[id];
            let (page, _) = entry.variant(lang);
            let nodes = parse::visible(&page.doc, self.edition, entry.answers());
            let prefix = format!("p{n}-");
            let opts = markdown::Options {
                site,
                lang,
                from_dir: dir,
                strings: t,
                edition: self.edition,
                absolute: true,
                heading_shift: if n == 0 { 0 } else { 1 },
                id_prefix: &prefix,
            };
            let rendered = markdown::render(page, &nodes, &opts);
            has_code |= rendered.has_code;
            parts.push(json!({
                "title": page.meta.title,
                "id": format!("p{n}"),
                "content": rendered.html,
                "first": n == 0,
                "lang": page.source.lang.clone().unwrap_or_else(|| site.config.default_language.clone()),
                "url": urls::absolute(site, &urls::page_path(site, lang, &entry.url)),
                "duration": entry.original.meta.duration.or(entry.original.meta.time).map(|d| t.duration(d)),
            }));
        }
        let entry = &site.entries[section.entry];
        let (variant, _) = entry.variant(lang);
        let summary = variant
            .meta
            .summary
            .clone()
            .or_else(|| entry.original.meta.summary.clone())
            .unwrap_or_else(|| t.get("print_note").to_string());
        ctx["page"] = json!({"title": self.entry_title(section.entry, lang), "url": urls::absolute(site, &urls::page_path(site, lang, &entry.url)), "summary": summary});
        ctx["parts"] = json!(parts);
        ctx["directory"] = if which.is_none() {
            self.directory(t)
        } else {
            Value::Null
        };
        ctx["canonical"] = json!(urls::absolute(
            site,
            &urls::page_path(site, lang, &entry.url)
        ));
        ctx["noindex"] = json!(true);
        ctx["breadcrumbs"] = json!([
            self.crumb(site.programme, lang, dir),
            self.crumb(section.entry, lang, dir)
        ]);
        has_code
    }

    fn not_found(&self) -> Result<OutFile, Diagnostic> {
        let site = self.site;
        let lang = site.config.default_language.clone();
        let t = self.strings(&lang);
        // Served at any address, so its links start from the site's root path.
        let root_path = urls::base_path(site);
        let mut ctx = self.base(&lang, "", Job::Schedule);
        ctx["root"] = json!(root_path);
        ctx["home"] = json!(root_path);
        ctx["noindex"] = json!(true);
        ctx["languages"] = json!([]);
        ctx["alternates"] = json!([]);
        let menu: Vec<Value> = ctx["menu"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .map(|mut m| {
                let url = m["url"]
                    .as_str()
                    .unwrap_or_default()
                    .trim_start_matches("./")
                    .to_string();
                m["url"] = json!(format!("{root_path}{url}"));
                m["current"] = json!(false);
                m
            })
            .collect();
        ctx["menu"] = json!(menu);
        ctx["search"]["url"] = json!(format!("{root_path}{}", urls::SEARCH));
        ctx["page"] = json!({"title": t.get("not_found_title")});
        let tera_ctx = self.context(ctx, &lang);
        let html = self.tera.render("404.html", &tera_ctx).map_err(|e| {
            Diagnostic::error(format!(
                "the template `404.html` failed: {}",
                error_chain(&e)
            ))
        })?;
        Ok(OutFile {
            path: "404.html".into(),
            bytes: html.into_bytes(),
            html: true,
        })
    }

    fn sitemap(&self) -> Vec<OutFile> {
        let site = self.site;
        let mut xml = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
        );
        let mut pages: Vec<(String, Vec<String>)> = Vec::new();
        for entry in &site.entries {
            let langs: Vec<String> = site
                .config
                .languages
                .iter()
                .map(|l| l.code.clone())
                .filter(|c| {
                    *c == site.config.default_language || entry.translations.contains_key(c)
                })
                .collect();
            pages.push((entry.url.clone(), langs));
        }
        let all: Vec<String> = site
            .config
            .languages
            .iter()
            .map(|l| l.code.clone())
            .collect();
        pages.push((urls::SCHEDULE.into(), all.clone()));
        if !site.fact_patterns.is_empty() {
            pages.push((urls::FACT_INDEX.into(), all.clone()));
        }
        if site.toolkit.is_some() {
            pages.push((urls::DIRECTORY.into(), all.clone()));
        }
        for (url, langs) in &pages {
            for lang in langs {
                let loc = urls::encoded(&urls::absolute(site, &urls::page_path(site, lang, url)));
                xml.push_str(&format!("  <url>\n    <loc>{}</loc>\n", escape(&loc)));
                if langs.len() > 1 {
                    for other in langs {
                        let href = urls::encoded(&urls::absolute(
                            site,
                            &urls::page_path(site, other, url),
                        ));
                        xml.push_str(&format!("    <xhtml:link rel=\"alternate\" hreflang=\"{other}\" href=\"{}\"/>\n", escape(&href)));
                    }
                }
                xml.push_str("  </url>\n");
            }
        }
        xml.push_str("</urlset>\n");
        let robots = if self.edition == Edition::Trainer {
            "User-agent: *\nDisallow: /\n".to_string()
        } else {
            format!(
                "User-agent: *\nAllow: /\nSitemap: {}\n",
                urls::absolute(site, "sitemap.xml")
            )
        };
        vec![
            OutFile {
                path: "sitemap.xml".into(),
                bytes: xml.into_bytes(),
                html: false,
            },
            OutFile {
                path: "robots.txt".into(),
                bytes: robots.into_bytes(),
                html: false,
            },
        ]
    }
}

/// The start of a page's first paragraph, as plain text, for its description (search
/// engines and link previews). Taken from the visible nodes, so never from trainer text.
fn first_paragraph(nodes: &[&parse::Node]) -> Option<String> {
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

fn current_url_for(job: Job, site: &Site) -> String {
    match job {
        Job::Entry(id) => site.entries[id].url.clone(),
        Job::Schedule => urls::SCHEDULE.into(),
        Job::FactIndex => urls::FACT_INDEX.into(),
        Job::Directory => urls::DIRECTORY.into(),
        Job::Search => urls::SEARCH.into(),
        Job::Print(Some(i)) => format!("{}/{}", site.workshops[i].folder, urls::PRINT),
        Job::Print(None) => format!("{TOOLKIT}/{}", urls::PRINT),
    }
}

fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Programme => "programme",
        Kind::Workshop => "workshop",
        Kind::Lesson => "lesson",
        Kind::ToolkitIndex => "toolkit",
        Kind::Tool => "tool",
        Kind::FactPattern => "fact-pattern",
    }
}

/// Escapes text for HTML and XML.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}
