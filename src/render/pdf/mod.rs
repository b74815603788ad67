//! PDF bundles: the [`Site`] → typst markup for each bundle (the toolkit, a handout and a
//! trainer packet per workshop, the fact-pattern packet, the bundles of `casebook.yaml`), in
//! every language that has translated pages, typeset in parallel by [`crate::typeset`].
//! Written from the same edition-filtered nodes as the HTML. Every text of the content goes
//! into typst as a string literal, so nothing in it can be read as typst code.

mod document;
mod markup;

use std::collections::HashMap;
use std::path::Path;

use rayon::prelude::*;

use crate::config::Edition;
use crate::diag::Diagnostic;
use crate::i18n::Strings;
use crate::model::{EntryId, Site};
use crate::typeset;

use super::urls;

pub use document::document;
pub use markup::Source;

/// Which PDF.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum What {
    Toolkit,
    Handout(usize),
    TrainerPacket(usize),
    FactPatterns,
    Bundle(usize),
}

/// One PDF to make.
#[derive(Debug, Clone)]
pub struct Plan {
    pub what: What,
    pub lang: String,
    /// Path below the output folder, e.g. `pdf/01-case-screening.id.pdf`.
    pub file: String,
    pub title: String,
    pub entries: Vec<EntryId>,
    /// Model answers shown (trainer material), or blank space to write in.
    pub answers: bool,
    /// The edition whose nodes are shown.
    pub edition: Edition,
    /// Made for the trainer edition: every page says it is not for mentees, whatever it
    /// shows (a trainer prints mentee handouts from the mentee edition).
    pub for_trainers: bool,
    /// The page of the site this PDF is the print form of (for the cover's QR code).
    pub url: String,
    pub directory: bool,
}

/// The base name of each kind of PDF, without language, edition and extension. In the
/// trainer edition a workshop has two PDFs: its handout is `WORKSHOP.handout`, its trainer
/// packet `WORKSHOP`.
fn base_name(site: &Site, what: &What, edition: Edition) -> String {
    match what {
        What::Toolkit => "toolkit".into(),
        What::Handout(i) if edition == Edition::Trainer => {
            format!("{}.handout", site.workshops[*i].folder)
        }
        What::Handout(i) | What::TrainerPacket(i) => site.workshops[*i].folder.clone(),
        What::FactPatterns => "fact-patterns".into(),
        What::Bundle(i) => site.config.bundles[*i].id.clone(),
    }
}

/// The PDF file for `what` in `lang`, as a build of `edition` names it: `pdf/NAME.pdf` in
/// the default language, `pdf/NAME.LANG.pdf` in others. Every PDF of the trainer edition
/// ends in `.trainer.pdf` (`pdf/NAME.trainer.pdf`, `pdf/NAME.LANG.trainer.pdf`), so that a
/// file copied out of it cannot pass for a mentee's.
pub fn file_name(site: &Site, what: &What, lang: &str, edition: Edition) -> String {
    let base = base_name(site, what, edition);
    let lang = if lang == site.config.default_language {
        String::new()
    } else {
        format!(".{lang}")
    };
    let trainer = if edition == Edition::Trainer {
        ".trainer"
    } else {
        ""
    };
    format!("pdf/{base}{lang}{trainer}.pdf")
}

/// Every PDF a build of `edition` makes. A language gets its own copy only when at least one
/// of the pages is translated into it; otherwise its readers get the default language's.
pub fn plan(
    site: &Site,
    strings: &std::collections::BTreeMap<String, Strings>,
    edition: Edition,
) -> Vec<Plan> {
    let mut wanted: Vec<(What, Vec<EntryId>, bool, Edition, String, bool)> = Vec::new();
    if let Some(t) = &site.toolkit {
        let entries: Vec<EntryId> = std::iter::once(t.entry)
            .chain(t.pages.iter().copied())
            .collect();
        wanted.push((
            What::Toolkit,
            entries,
            false,
            Edition::Mentee,
            site.entries[t.entry].url.clone(),
            true,
        ));
    }
    for (i, w) in site.workshops.iter().enumerate() {
        let entries: Vec<EntryId> = std::iter::once(w.entry)
            .chain(w.pages.iter().copied())
            .chain(w.fact_patterns.iter().copied())
            .collect();
        let url = site.entries[w.entry].url.clone();
        wanted.push((
            What::Handout(i),
            entries.clone(),
            false,
            Edition::Mentee,
            url.clone(),
            false,
        ));
        if edition == Edition::Trainer {
            wanted.push((
                What::TrainerPacket(i),
                entries,
                true,
                Edition::Trainer,
                url,
                false,
            ));
        }
    }
    if !site.fact_patterns.is_empty() {
        let trainer = edition == Edition::Trainer;
        wanted.push((
            What::FactPatterns,
            site.fact_patterns.clone(),
            trainer,
            edition,
            urls::FACT_INDEX.to_string(),
            false,
        ));
    }
    for (i, bundle) in site.config.bundles.iter().enumerate() {
        if bundle.edition == Edition::Trainer && edition == Edition::Mentee {
            continue;
        }
        let entries = bundle_entries(site, &bundle.include);
        if entries.is_empty() {
            continue;
        }
        let trainer = bundle.edition == Edition::Trainer;
        wanted.push((
            What::Bundle(i),
            entries,
            trainer,
            bundle.edition,
            String::new(),
            false,
        ));
    }
    let mut plans = Vec::new();
    for (what, entries, answers, content_edition, url, directory) in wanted {
        for lang in site.config.languages.iter().map(|l| l.code.as_str()) {
            let translated = lang == site.config.default_language
                || entries
                    .iter()
                    .any(|&e| site.entries[e].translations.contains_key(lang));
            if !translated {
                continue;
            }
            let t = strings.get(lang).expect("strings for every language");
            let title = match &what {
                What::Toolkit => site.entries[entries[0]].variant(lang).0.meta.title.clone(),
                What::Handout(i) | What::TrainerPacket(i) => site.entries[site.workshops[*i].entry]
                    .variant(lang)
                    .0
                    .meta
                    .title
                    .clone(),
                What::FactPatterns => t.get("fact_patterns").to_string(),
                What::Bundle(i) => site.config.bundles[*i].title.clone(),
            };
            plans.push(Plan {
                file: file_name(site, &what, lang, edition),
                what: what.clone(),
                lang: lang.to_string(),
                title,
                entries: entries.clone(),
                answers,
                edition: content_edition,
                for_trainers: edition == Edition::Trainer,
                url: urls::absolute(site, &urls::page_path(site, lang, &url)),
                directory,
            });
        }
    }
    plans
}

/// A warning when `base_url` is a placeholder address (`example.org`, `localhost`, …) and
/// PDFs are made: the cover of each prints the address, with a QR code that leads there,
/// and paper cannot be corrected once handed out. It names the PDFs (`files`, those of
/// the editions asked for), a few of them when there are many.
pub fn placeholder_warning(site: &Site, files: &[String]) -> Option<Diagnostic> {
    const NAMED: usize = 8;
    let host = site.config.placeholder_host()?;
    if files.is_empty() {
        return None;
    }
    // The mentee edition's first: those are the ones handed out.
    let mut files: Vec<&String> = files.iter().collect();
    files.sort_by_key(|f| (f.ends_with(".trainer.pdf"), *f));
    files.dedup();
    let mut named = files
        .iter()
        .take(NAMED)
        .map(|f| format!("`{f}`"))
        .collect::<Vec<_>>()
        .join(", ");
    if files.len() > NAMED {
        named.push_str(&format!(" and {} more", files.len() - NAMED));
    }
    let what = if files.len() == 1 {
        "the cover of 1 PDF prints it, and its QR code leads there".to_string()
    } else {
        format!(
            "the covers of {} PDFs print it, and their QR codes lead there",
            files.len()
        )
    };
    let d = Diagnostic::warning(format!(
        "`base_url` is a placeholder address on `{host}`: {what}: {named}"
    ))
    .hint("set `base_url` to the address the site will be published at, e.g. `base_url: https://training.yourunion.org/`")
    .topic("links");
    Some(match site.config.base_url_at {
        Some((line, col, width)) => d.at(crate::config::FILE, line, col).width(width),
        None => d.in_file(crate::config::FILE),
    })
}

/// The entries a bundle's `include` globs select, in reading order (fact patterns last).
pub fn bundle_entries(site: &Site, include: &[String]) -> Vec<EntryId> {
    let mut builder = globset::GlobSetBuilder::new();
    for pattern in include {
        if let Ok(glob) = globset::GlobBuilder::new(pattern)
            .literal_separator(true)
            .build()
        {
            builder.add(glob);
        }
    }
    let Ok(set) = builder.build() else {
        return Vec::new();
    };
    let matches = |id: &EntryId| set.is_match(&site.entries[*id].original.source.path);
    let mut out: Vec<EntryId> = site.reading_order.iter().copied().filter(matches).collect();
    for id in site.fact_patterns.iter().copied().filter(matches) {
        if !out.contains(&id) {
            out.push(id);
        }
    }
    out
}

/// A finished PDF.
pub struct Made {
    pub plan: Plan,
    pub bytes: Vec<u8>,
}

/// The theme's typst preamble (`pdf/casebook.typ`).
pub fn preamble(theme: &crate::theme::Theme) -> String {
    theme
        .pdf
        .iter()
        .find(|f| f.name == "casebook.typ")
        .map(|f| String::from_utf8_lossy(&f.bytes).into_owned())
        .unwrap_or_default()
}

/// PDFs kept between builds by `serve`, with the fingerprint of what they were made from
/// (their typst source, the preamble, and the files of the content folder they may show):
/// a PDF whose inputs did not change is not typeset again.
#[derive(Default)]
pub struct PdfCache {
    made: std::sync::Mutex<HashMap<String, (String, Vec<u8>)>>,
    /// How many PDFs the last `make` typeset (the others came from the cache).
    pub typeset: std::sync::atomic::AtomicUsize,
}

/// Typesets every plan, in parallel. Errors point at the content file and line they came
/// from when they can. With a cache, PDFs whose inputs are unchanged are reused.
pub fn make(
    root: &Path,
    site: &Site,
    plans: Vec<Plan>,
    strings: &std::collections::BTreeMap<String, Strings>,
    preamble: &str,
    cache: Option<&PdfCache>,
) -> (Vec<Made>, Vec<Diagnostic>) {
    if plans.is_empty() {
        return (Vec::new(), Vec::new());
    }
    let fonts = typeset::shared_fonts(root);
    let today = crate::values::Date::today();
    // Pictures are read by typst from the content folder: their sizes and times are part of
    // every PDF's fingerprint.
    let files_seen = cache.map(|_| {
        let mut all = String::from(preamble);
        for asset in &site.assets {
            let meta = std::fs::metadata(root.join(asset));
            let stamp = meta.as_ref().ok().map(|m| (m.len(), m.modified().ok()));
            all.push_str(&format!("{}{stamp:?}", asset.display()));
        }
        crate::parse::fingerprint(&all)
    });
    if let Some(cache) = cache {
        cache.typeset.store(0, std::sync::atomic::Ordering::Relaxed);
    }
    let results: Vec<Result<Made, Vec<Diagnostic>>> = plans
        .into_par_iter()
        .map(|plan| {
            let t = strings.get(&plan.lang).expect("strings for every language");
            let mut source = document(site, &plan, t, preamble);
            let key = files_seen
                .as_ref()
                .map(|seen| format!("{seen}{}{today}", crate::parse::fingerprint(&source.text)));
            if let (Some(cache), Some(key)) = (cache, &key) {
                let made = cache.made.lock().expect("PDF cache lock");
                if let Some((_, bytes)) = made.get(&plan.file).filter(|(k, _)| k == key) {
                    return Ok(Made { bytes: bytes.clone(), plan });
                }
            }
            let mut generated = HashMap::new();
            generated.insert("/qr.svg".to_string(), document::qr_svg(&plan.url));
            // The text goes to typst; the origins stay here for error messages.
            let job = typeset::Job { source: std::mem::take(&mut source.text), root, generated, today };
            match typeset::typeset(&fonts, job) {
                Ok(bytes) => {
                    if let (Some(cache), Some(key)) = (cache, key) {
                        cache.typeset.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        cache.made.lock().expect("PDF cache lock").insert(plan.file.clone(), (key, bytes.clone()));
                    }
                    Ok(Made { plan, bytes })
                }
                Err(problems) => Err(problems
                    .into_iter()
                    .map(|p| {
                        let message = format!("cannot typeset `{}`: {}", plan.file, p.message);
                        let hint = if p.message.contains("image") {
                            "the image file is damaged or not an image: open it and save it again as PNG or JPEG".to_string()
                        } else if p.hints.is_empty() {
                            "check the Markdown around this line".to_string()
                        } else {
                            p.hints.join("; ")
                        };
                        let d = Diagnostic::error(message).hint(hint);
                        match p.offset.and_then(|o| source.origin(o)) {
                            Some((file, line)) => d.at(file, line, 1),
                            None => d,
                        }
                    })
                    .collect()),
            }
        })
        .collect();
    let mut made = Vec::new();
    let mut diagnostics = Vec::new();
    for r in results {
        match r {
            Ok(m) => made.push(m),
            Err(d) => diagnostics.extend(d),
        }
    }
    (made, diagnostics)
}
