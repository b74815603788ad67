//! What every page's template gets: its language and strings, the navigation, the
//! breadcrumbs, links to its other languages and to its PDFs.

use serde_json::Value;

use super::data::{
    Alternate, Base, BundleLink, LanguageLink, Link, MenuItem, PdfLink, SearchBox, value,
};
use super::*;

impl Renderer<'_> {
    /// A page's template data: `ctx` (a JSON object) with the strings of `lang` as `t`.
    pub(super) fn context(&self, mut ctx: Value, lang: &str) -> Value {
        if let Some(t) = self
            .string_values
            .get(lang)
            .or_else(|| self.string_values.values().next())
        {
            ctx["t"] = t.clone();
        }
        ctx
    }

    pub(super) fn strings(&self, lang: &str) -> &Strings {
        self.strings
            .get(lang)
            .or_else(|| self.strings.values().next())
            .expect("string tables exist for every language")
    }

    pub(super) fn dir_of(&self, lang: &str, job: Job) -> String {
        urls::page_path(self.site, lang, &current_url_for(job, self.site))
    }

    pub(super) fn link(&self, from_dir: &str, lang: &str, url: &str) -> String {
        urls::relative(from_dir, &urls::page_path(self.site, lang, url))
    }

    /// A link to a PDF in the reader's language (or the default language's when there is no
    /// translation), with its size to be filled in.
    pub(super) fn pdf_link(&self, what: &pdf::What, lang: &str, dir: &str) -> Option<PdfLink> {
        let own = pdf::file_name(self.site, what, lang, self.edition);
        let fallback = pdf::file_name(
            self.site,
            what,
            &self.site.config.default_language,
            self.edition,
        );
        let file = if self.pdfs.contains(&own) {
            own
        } else if self.pdfs.contains(&fallback) {
            fallback
        } else {
            return None;
        };
        // The mark holds the bare file name: tera escapes the `/` of `pdf/…`.
        let name = file.trim_start_matches("pdf/");
        Some(PdfLink {
            url: urls::relative(dir, &file),
            size: format!("{SIZE_MARK}{name}{SIZE_MARK}"),
        })
    }

    /// Links to the bundles of `casebook.yaml` this build makes that hold page `id` (every
    /// bundle for `None`), in the reader's language where they have it.
    pub(super) fn bundle_links(&self, id: Option<EntryId>, lang: &str, dir: &str) -> Vec<BundleLink> {
        self.bundles
            .iter()
            .enumerate()
            .filter(|(_, entries)| id.is_none_or(|id| entries.contains(&id)))
            .filter_map(|(i, _)| {
                Some(BundleLink {
                    title: self.site.config.bundles[i].title.clone(),
                    pdf: self.pdf_link(&pdf::What::Bundle(i), lang, dir)?,
                })
            })
            .collect()
    }

    pub(super) fn entry_title(&self, id: EntryId, lang: &str) -> String {
        self.site.entries[id].variant(lang).0.meta.title.clone()
    }

    /// Whether the page of `id` in `lang` is a draft (its original or the translation shown
    /// is marked `draft: true`), as its own page and the lists that hold it say.
    pub(super) fn is_draft(&self, id: EntryId, lang: &str) -> bool {
        let entry = &self.site.entries[id];
        entry.original.meta.draft || entry.variant(lang).0.meta.draft
    }

    /// What every page needs: language, navigation, links to its other languages.
    pub(super) fn base(&self, lang: &str, dir: &str, job: Job) -> Value {
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
        let menu: Vec<MenuItem> = menu
            .into_iter()
            .map(|(key, url)| MenuItem {
                label: t.get(key).to_string(),
                url: self.link(dir, lang, &url),
                current: key == current,
                key,
            })
            .collect();
        let translated_in = |code: &str| match job {
            Job::Entry(id) => {
                code == site.config.default_language
                    || site.entries[id].translations.contains_key(code)
            }
            _ => true,
        };
        let languages: Vec<LanguageLink> = site
            .config
            .languages
            .iter()
            .map(|l| LanguageLink {
                code: l.code.clone(),
                name: l.name.clone(),
                url: self.link(dir, &l.code, &current_url),
                current: l.code == lang,
                translated: translated_in(&l.code),
            })
            .collect();
        let alternates: Vec<Alternate> = site
            .config
            .languages
            .iter()
            .filter(|l| translated_in(&l.code))
            .map(|l| Alternate {
                lang: l.code.clone(),
                href: urls::absolute(site, &urls::page_path(site, &l.code, &current_url)),
            })
            .collect();
        value(Base {
            lang: lang.to_string(),
            content_lang: lang.to_string(),
            site_title: site.config.title.clone(),
            root,
            home,
            edition: self.edition.name(),
            trainer: self.edition == Edition::Trainer,
            asset_version: self.asset_version.clone(),
            canonical: urls::absolute(site, dir),
            noindex: self.edition == Edition::Trainer,
            menu,
            languages,
            alternates: if site.config.languages.len() > 1 {
                alternates
            } else {
                Vec::new()
            },
            breadcrumbs: Vec::new(),
            prev: None,
            next: None,
            fallback_note: None,
            overdue_note: None,
            needs_review: false,
            has_code: false,
            kind: "page",
            print: matches!(job, Job::Print(_)),
            search: SearchBox {
                url: self.link(dir, lang, urls::SEARCH),
                index: false,
                workshop: None,
                shows_box: !matches!(job, Job::Search | Job::Print(_)),
            },
        })
    }

    pub(super) fn crumb(&self, id: EntryId, lang: &str, dir: &str) -> Link {
        // The programme's own title can be long; in breadcrumbs it is just "Programme".
        let title = if id == self.site.programme {
            self.strings(lang).get("programme").to_string()
        } else {
            self.entry_title(id, lang)
        };
        Link {
            title,
            url: self.link(dir, lang, &self.site.entries[id].url),
        }
    }

    pub(super) fn toolkit_title(&self, lang: &str) -> Option<String> {
        self.site
            .toolkit
            .as_ref()
            .map(|t| self.entry_title(t.entry, lang))
    }

    pub(super) fn toolkit_crumb(&self, lang: &str, dir: &str) -> Link {
        match &self.site.toolkit {
            Some(t) => self.crumb(t.entry, lang, dir),
            None => Link {
                title: self.strings(lang).get("toolkit").to_string(),
                url: self.link(dir, lang, &format!("{TOOLKIT}/")),
            },
        }
    }
}

pub(super) fn current_url_for(job: Job, site: &Site) -> String {
    match job {
        Job::Entry(id) => site.entries[id].url.clone(),
        Job::Schedule => urls::SCHEDULE.into(),
        Job::FactIndex => urls::FACT_INDEX.into(),
        Job::Directory => urls::DIRECTORY.into(),
        Job::Search => urls::SEARCH.into(),
        Job::Saved => urls::SAVED.into(),
        Job::Print(Some(i)) => format!("{}/{}", site.workshops[i].folder, urls::PRINT),
        Job::Print(None) => format!("{TOOLKIT}/{}", urls::PRINT),
    }
}

pub(super) fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Programme => "programme",
        Kind::Workshop => "workshop",
        Kind::Lesson => "lesson",
        Kind::ToolkitIndex => "toolkit",
        Kind::Tool => "tool",
        Kind::FactPattern => "fact-pattern",
    }
}
