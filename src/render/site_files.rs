//! The site's files beside its pages: the 404 page and the sitemap.

use super::data::{PageTitle, value};
use super::*;

impl Renderer<'_> {
    pub(super) fn not_found(&self) -> Result<OutFile, Diagnostic> {
        let site = self.site;
        let lang = site.config.default_language.clone();
        let t = self.strings(&lang);
        // Served at any address, so its links start from the site's root path.
        let root_path = self.root_path.clone();
        let mut ctx = self.base(&lang, "", Job::Schedule);
        ctx["root"] = value(&root_path);
        ctx["home"] = value(&root_path);
        ctx["noindex"] = value(true);
        ctx["languages"] = value([(); 0]);
        ctx["alternates"] = value([(); 0]);
        // The menu's links, from the site's root path, none of them the current page.
        if let Some(menu) = ctx["menu"].as_array_mut() {
            for item in menu {
                let url = item["url"].as_str().unwrap_or_default();
                item["url"] = value(format!("{root_path}{}", url.trim_start_matches("./")));
                item["current"] = value(false);
            }
        }
        ctx["search"]["url"] = value(format!("{root_path}{}", urls::SEARCH));
        ctx["page"] = value(PageTitle {
            title: t.get("not_found_title").to_string(),
            summary: None,
        });
        let html = self
            .templates
            .render("404.html", self.context(ctx, &lang))
            .map_err(|e| Diagnostic::error(format!("the template `404.html` failed: {e}")))?;
        Ok(OutFile {
            path: "404.html".into(),
            bytes: html.into_bytes(),
            html: true,
        })
    }

    pub(super) fn sitemap(&self) -> Vec<OutFile> {
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
