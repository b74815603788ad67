//! The pages that list the curriculum: the schedule, the fact-pattern index with its
//! filters, the referral directory and the search page.

use serde_json::{Value, json};

use super::*;

impl Renderer<'_> {
    /// The search page. Search needs JavaScript; the page also lists every page, which is
    /// what a reader without it gets.
    pub(super) fn search_page(&self, ctx: &mut Value, lang: &str, dir: &str, t: &Strings) {
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

    pub(super) fn schedule(&self, ctx: &mut Value, lang: &str, dir: &str, t: &Strings) {
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

    pub(super) fn fact_index(&self, ctx: &mut Value, lang: &str, dir: &str, t: &Strings) {
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
    pub(super) fn fact_filters(&self, t: &Strings) -> (Vec<Value>, Vec<Value>) {
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

    pub(super) fn directory(&self, t: &Strings) -> Value {
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
}
