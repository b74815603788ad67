//! The pages that list the curriculum: the schedule, the fact-pattern index with its
//! filters, the referral directory and the search page.

use serde_json::Value;

use super::data::{
    Contents, Directory, DirectoryGroup, FactItem, Facts, Filters, LevelFilter, Link,
    LinkWithPages, PageTitle, Schedule, ScheduleRow, TopicFilter, value,
};
use super::*;
use crate::parse::hours::{DAYS, Hours};

impl Renderer<'_> {
    /// The search page. Search needs JavaScript; the page also lists every page, which is
    /// what a reader without it gets.
    pub(super) fn search_page(&self, ctx: &mut Value, lang: &str, dir: &str, t: &Strings) {
        let site = self.site;
        let item = |id: EntryId| Link {
            title: self.entry_title(id, lang),
            url: self.link(dir, lang, &site.entries[id].url),
        };
        let section = |s: &Section| {
            let Link { title, url } = item(s.entry);
            LinkWithPages {
                title,
                url,
                pages: s.pages.iter().map(|&p| item(p)).collect(),
            }
        };
        let mut toolkit = site.toolkit.as_ref().map(section);
        if let Some(tk) = toolkit.as_mut() {
            tk.pages.push(Link {
                title: t.get("directory").to_string(),
                url: self.link(dir, lang, urls::DIRECTORY),
            });
        }
        ctx["page"] = value(PageTitle {
            title: t.get("search").to_string(),
            summary: Some(t.get("search_summary").to_string()),
        });
        ctx["contents"] = value(Contents {
            programme: item(site.programme),
            schedule_url: self.link(dir, lang, urls::SCHEDULE),
            workshops: site.workshops.iter().map(section).collect(),
            toolkit,
            fact_patterns: site.fact_patterns.iter().map(|&f| item(f)).collect(),
            fact_index_url: self.link(dir, lang, urls::FACT_INDEX),
        });
        let (levels, topics) = self.fact_filters(t);
        ctx["filters"] = value(Filters { levels, topics });
        ctx["bundle_url"] = value(urls::relative(
            dir,
            &format!("{}pagefind.js", search::BUNDLE),
        ));
        ctx["wasm_url"] = value(urls::relative(dir, &search::wasm_file(lang)));
        ctx["chunks_url"] = value(urls::relative(
            dir,
            &format!("{}{}", search::BUNDLE, search::chunk_list(lang)),
        ));
        ctx["breadcrumbs"] = value([self.crumb(site.programme, lang, dir)]);
    }

    pub(super) fn schedule(&self, ctx: &mut Value, lang: &str, dir: &str, t: &Strings) {
        let site = self.site;
        let mut total = 0u32;
        let rows: Vec<ScheduleRow> = site
            .workshops
            .iter()
            .map(|w| {
                let m = &site.entries[w.entry].original.meta;
                total += m.duration.map(|d| d.0).unwrap_or(0);
                ScheduleRow {
                    session: m.session,
                    title: self.entry_title(w.entry, lang),
                    url: self.link(dir, lang, &site.entries[w.entry].url),
                    date: m.date.map(|d| t.date(d)),
                    date_iso: m.date.map(|d| d.to_string()),
                    duration: m.duration.map(|d| t.duration(d)),
                    lessons: w.pages.len(),
                    draft: self.is_draft(w.entry, lang),
                    trainers: site.entries[w.entry].trainer_only,
                }
            })
            .collect();
        ctx["page"] = value(PageTitle {
            title: t.get("schedule").to_string(),
            summary: Some(t.get("schedule_summary").to_string()),
        });
        ctx["schedule"] = value(Schedule {
            rows,
            total: (total > 0).then(|| t.duration(crate::values::Minutes(total))),
        });
        ctx["breadcrumbs"] = value([self.crumb(site.programme, lang, dir)]);
    }

    pub(super) fn fact_index(&self, ctx: &mut Value, lang: &str, dir: &str, t: &Strings) {
        let site = self.site;
        let items: Vec<FactItem> = site
            .fact_patterns
            .iter()
            .map(|&f| self.fact_item(f, lang, dir, t))
            .collect();
        let (levels, topics) = self.fact_filters(t);
        ctx["page"] = value(PageTitle {
            title: t.get("fact_patterns").to_string(),
            summary: Some(t.get("fact_patterns_summary").to_string()),
        });
        ctx["facts"] = value(Facts {
            items,
            topics,
            levels,
            pdf: self.pdf_link(&pdf::What::FactPatterns, lang, dir),
        });
        ctx["breadcrumbs"] = value([self.crumb(site.programme, lang, dir)]);
    }

    /// The levels and topics fact patterns have, for filtering them.
    pub(super) fn fact_filters(&self, t: &Strings) -> (Vec<LevelFilter>, Vec<TopicFilter>) {
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
            .map(|l| LevelFilter {
                name: l.name(),
                label: t.get(&format!("level_{}", l.name())).to_string(),
            })
            .collect();
        let topics = topics
            .iter()
            .map(|topic| TopicFilter {
                name: topic.clone(),
                id: crate::parse::markdown::slug(topic),
                label: topic.replace('-', " "),
            })
            .collect();
        (levels, topics)
    }

    pub(super) fn directory(&self, t: &Strings) -> Directory {
        let groups = KINDS
            .iter()
            .filter_map(|kind| {
                let mut referrals: Vec<_> =
                    self.site.referrals.iter().filter(|r| r.kind == *kind).collect();
                // What answers at any hour comes first within its kind.
                referrals.sort_by_key(|r| !r.hours.as_ref().is_some_and(Hours::all_day));
                let entries: Vec<Value> = referrals
                    .into_iter()
                    .map(|r| {
                        let mut entry = value(r);
                        entry["tel"] = value(r.phone.as_deref().map(dial_string));
                        entry["wa"] = value(r.whatsapp.as_deref().map(|w| {
                            format!("https://wa.me/{}", dial_string(w).trim_start_matches('+'))
                        }));
                        entry["verified"] = value(
                            r.verified
                                .map(|d| t.get("details_checked").replace("{date}", &t.date(d))),
                        );
                        entry["hours"] = value(r.hours.as_ref().map(|h| hours_text(h, t)));
                        entry["all_day"] = value(r.hours.as_ref().is_some_and(Hours::all_day));
                        entry["open"] = value(r.hours.as_ref().map(Hours::machine));
                        entry
                    })
                    .collect();
                (!entries.is_empty()).then(|| DirectoryGroup {
                    kind: kind.to_string(),
                    label: t.get(&format!("kind_{kind}")).to_string(),
                    entries,
                })
            })
            .collect();
        Directory { groups }
    }
}

/// A referral's hours in the reader's words: "Open 24 hours (answered by 1823)", "Monday to
/// Friday 08:45–13:00, 14:00–17:30".
pub(super) fn hours_text(hours: &Hours, t: &Strings) -> String {
    let with_note = |text: String, note: &Option<String>| match note {
        Some(note) => format!("{text} ({note})"),
        None => text,
    };
    match hours {
        Hours::AllDay { note } => with_note(t.get("open_24h").to_string(), note),
        Hours::Text(words) => words.clone(),
        Hours::Times { spans, note } => {
            let day = |d: u8| t.get(&format!("day_{}", DAYS[usize::from(d)])).to_string();
            let clock = |m: u16| format!("{:02}:{:02}", m / 60, m % 60);
            let spans: Vec<String> = spans
                .iter()
                .map(|span| {
                    let days: Vec<String> = span
                        .days
                        .iter()
                        .map(|&(a, b)| match (a, b) {
                            (0, 6) => t.get("daily").to_string(),
                            (a, b) if a == b => day(a),
                            (a, b) => t
                                .get("day_range")
                                .replace("{first}", &day(a))
                                .replace("{last}", &day(b)),
                        })
                        .collect();
                    let times: Vec<String> = span
                        .times
                        .iter()
                        .map(|&(a, b)| format!("{}\u{2013}{}", clock(a), clock(b)))
                        .collect();
                    format!("{} {}", days.join(", "), times.join(", "))
                })
                .collect();
            with_note(spans.join("; "), note)
        }
    }
}
