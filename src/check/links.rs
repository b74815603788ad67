//! Links a build lets through but a reader should not meet: a link into another language's
//! version of a page, and files beside the content that no page uses.

use crate::diag::{Diagnostic, display_path};
use crate::model::Site;

use super::{Kind, Report, add, pages};

/// Files beside the content that no page (of either edition, drafts included) links to or
/// shows: a build does not publish them.
pub(super) fn unused_files(site: &Site, report: &mut Report) {
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
pub(super) fn other_language_links(site: &Site, report: &mut Report) {
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
