//! How far each language is translated, and translations whose original changed since they
//! were made (with the sections that changed).

use std::path::Path;

use pulldown_cmark::Event;

use crate::diag::{Diagnostic, display_path};
use crate::model::Site;
use crate::parse::{Node, ParsedPage};

use super::{Coverage, Kind, Report, add};

pub(super) fn translations(root: &Path, site: &Site, report: &mut Report) {
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
                    let sections = crate::translate::changed_sections(recorded, &text, &entry.original.doc);
                    let changed = if sections.is_empty() { String::new() } else { format!(" (changed: {})", sections.join(", ")) };
                    add(report, Kind::Translations, Diagnostic::warning(format!("the translation is stale: `{}` changed since it was translated{changed}", display_path(original))).at(&t.source.path, t.meta.line_of("source_hash"), 1).hint(format!("compare it with the original, update it, then run `casebook translate stamp {}`", display_path(&t.source.path))));
                }
                Some(_) => {}
                None => add(report, Kind::Translations, Diagnostic::warning("the translation does not record which version of the original it was made from").at(&t.source.path, 1, 1).hint(format!("once it matches the original, run `casebook translate stamp {}`", display_path(&t.source.path)))),
            }
        }
        c.missing.sort();
        report.coverage.push(c);
    }
}

pub(super) fn word_count(page: &ParsedPage) -> usize {
    page.doc
        .nodes
        .iter()
        .map(|n| match n {
            Node::Md(Event::Text(t), _) => t.split_whitespace().count(),
            _ => 0,
        })
        .sum()
}
