//! The print view of a workshop, or of the toolkit: every page of it on one page, with full
//! addresses and no navigation.

use serde_json::Value;

use super::data::{PrintPage, PrintPart, value};
use super::*;

impl Renderer<'_> {
    /// A print view: the workshop (or toolkit) and all its pages on one page. Returns whether
    /// any code was highlighted.
    pub(super) fn print(
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
        // One page: its table regions' names are told apart across its parts.
        let table_names = tables::Names::default();
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
                table_names: &table_names,
            };
            let rendered = markdown::render(page, &nodes, &opts);
            has_code |= rendered.has_code;
            parts.push(PrintPart {
                title: page.meta.title.clone(),
                id: format!("p{n}"),
                content: rendered.html,
                first: n == 0,
                lang: page
                    .source
                    .lang
                    .clone()
                    .unwrap_or_else(|| site.config.default_language.clone()),
                url: urls::absolute(site, &urls::page_path(site, lang, &entry.url)),
                duration: entry
                    .original
                    .meta
                    .duration
                    .or(entry.original.meta.time)
                    .map(|d| t.duration(d)),
            });
        }
        let entry = &site.entries[section.entry];
        let (variant, _) = entry.variant(lang);
        let summary = variant
            .meta
            .summary
            .clone()
            .or_else(|| entry.original.meta.summary.clone())
            .unwrap_or_else(|| t.get("print_note").to_string());
        let url = urls::absolute(site, &urls::page_path(site, lang, &entry.url));
        ctx["page"] = value(PrintPage {
            title: self.entry_title(section.entry, lang),
            url: url.clone(),
            summary,
        });
        ctx["parts"] = value(parts);
        ctx["directory"] = value(which.is_none().then(|| self.directory(t)));
        ctx["canonical"] = value(url);
        ctx["noindex"] = value(true);
        ctx["breadcrumbs"] = value([
            self.crumb(site.programme, lang, dir),
            self.crumb(section.entry, lang, dir),
        ]);
        has_code
    }
}
