//! One PDF's typst document: its cover (title, edition, QR code of its page on the site),
//! its pages' markup in order, and for the toolkit the directory's pocket card.

use std::collections::HashSet;
use std::fmt::Write as _;

use crate::config::Edition;
use crate::i18n::Strings;
use crate::model::{Kind, Site};
use crate::parse::referrals::KINDS;
use crate::parse;

use super::markup::{Source, Writer, lit};
use super::{Plan, What};

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
    // Every page of a trainer-edition PDF says so, whatever it shows: a page of it found on
    // a photocopier is known for what it is.
    let banner = if plan.for_trainers {
        lit(t.get("trainer_banner"))
    } else {
        "none".into()
    };
    let _ = writeln!(
        w.out,
        "#show: casebook-document.with(title: {}, lang: {}, paper: {}, footer: {}, reviewed-label: {}, banner: {banner})",
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
        // Mentee PDFs use mentee nodes (no trainer notes); every answer, shown or kept for
        // trainers, becomes space to write in under its question.
        let nodes = if plan.answers {
            parse::visible(&page.doc, plan.edition, parse::Answers::Reveal)
        } else {
            parse::visible_with_answer_room(&page.doc, plan.edition, entry.answers())
        };
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
        "#pocket-card({}, {})[",
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
        let mut entries: Vec<_> = site.referrals.iter().filter(|r| r.kind == kind).collect();
        entries.sort_by_key(|r| {
            !r.hours
                .as_ref()
                .is_some_and(crate::parse::hours::Hours::all_day)
        });
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
            let hours = r
                .hours
                .as_ref()
                .map(|h| crate::render::lists::hours_text(h, t))
                .unwrap_or_default();
            let hours = [hours, r.languages.join(", ")]
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
pub(super) fn qr_svg(url: &str) -> Vec<u8> {
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
