//! Pages overdue for review, pages that cite the law with no review date, and directory
//! entries never verified or verified too long ago.

use std::path::PathBuf;

use crate::diag::Diagnostic;
use crate::model::Site;
use crate::values::Date;

use super::{Kind, Report, Wanted, add, pages};

pub(super) fn freshness(site: &Site, today: Date, wanted: Wanted<'_>, report: &mut Report) {
    for (entry, page) in pages(site).filter(|(_, p)| wanted(&p.source.path)) {
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
                    add(report, Kind::Freshness, Diagnostic::warning(format!("overdue for review since {due} (reviewed {reviewed})")).at(path, meta.line_of("reviewed"), 1).hint("check the page against the current law and phone numbers, then set `reviewed:` to today's date"));
                }
            }
            None if !meta.sources.is_empty() => {
                add(report, Kind::Freshness, Diagnostic::warning("the page cites `sources` but has no `reviewed` date").at(path, meta.line_of("sources"), 1).hint("add `reviewed: YYYY-MM-DD` with the date a lawyer last checked the page"));
            }
            None => {}
        }
    }
    let file = PathBuf::from(crate::discover::CURRICULUM).join("toolkit/referrals.yaml");
    if !wanted(&file) {
        return;
    }
    for r in &site.referrals {
        match r.verified {
            None => add(report, Kind::Freshness, Diagnostic::warning(format!("`{}` has never been verified", r.name)).at(&file, r.line, 1).hint("call or check the organisation's own site, then add `verified: YYYY-MM-DD` and `source:`")),
            Some(v) if site.config.review_every.after(v) < today => add(report, Kind::Freshness, Diagnostic::warning(format!("`{}` was last verified on {v}", r.name)).at(&file, r.line, 1).hint("check the phone number and hours again, then update `verified:`")),
            Some(_) => {}
        }
    }
}
