//! Every link and image of every page resolved to what it points to (another page in the
//! reader's language, a heading, a file beside the content, the directory, another site),
//! or reported at its line with a hint; and the links the mentee edition would keep to what
//! it leaves out.

use std::collections::{HashMap, HashSet};
use std::path::{Component, Path, PathBuf};

use super::{Entry, EntryId, Site, Target, key_of};
use crate::diag::{Diagnostic, did_you_mean, display_path};
use crate::discover::{CURRICULUM, INDEX, REFERRALS, TOOLKIT};
use crate::parse::{Answers, ParsedPage, Reference};

pub(super) fn resolve_links(
    root: &Path,
    site: &mut Site,
    by_key: &HashMap<String, EntryId>,
    draft_keys: &HashSet<String>,
    broken: &HashSet<String>,
    unplaced: &[(crate::discover::SourcePage, crate::parse::Document)],
    diagnostics: &mut Vec<Diagnostic>,
) {
    let assets: HashSet<&Path> = site.assets.iter().map(PathBuf::as_path).collect();
    let site_now: &Site = site;
    let resolve_at = |from: &Path, own_ids: &HashSet<&str>, reference: &Reference| {
        resolve(
            root, site_now, by_key, draft_keys, broken, &assets, from, own_ids, reference,
        )
    };
    let mut links = HashMap::new();
    for entry in &site.entries {
        for page in std::iter::once(&entry.original).chain(entry.translations.values()) {
            // A page's own anchors are its own headings: a translation's headings have
            // their own ids.
            let own_ids: HashSet<&str> = page.doc.anchors().collect();
            // The languages this page is read in: its own, or for an original, also every
            // language it falls back into.
            let read_in: Vec<&str> = match &page.source.lang {
                Some(lang) => vec![lang.as_str()],
                None => site
                    .config
                    .languages
                    .iter()
                    .map(|l| l.code.as_str())
                    .filter(|l| {
                        *l == site.config.default_language || !entry.translations.contains_key(*l)
                    })
                    .collect(),
            };
            for reference in &page.doc.references {
                // An anchor on a translation's own page that only its original has: say
                // which of its headings is the original's.
                if page.source.lang.is_some()
                    && let Some(anchor) = reference.dest.trim().strip_prefix('#')
                    && !own_ids.contains(anchor)
                    && entry.original.doc.headings.iter().any(|h| h.id == anchor)
                {
                    let message = format!("`#{}` is not a heading on this page", shorten(anchor));
                    let hint = anchor_hint(entry, page, anchor);
                    diagnostics.push(link_error(&page.source.path, reference, message, hint));
                    continue;
                }
                let resolved = resolve_at(&page.source.path, &own_ids, reference);
                let resolved = resolved.and_then(|target| {
                    match &target {
                        Target::Page { id, anchor: Some(anchor), lang } => {
                            missing_anchor(site, *id, anchor, lang.as_deref(), &read_in)
                                .map_or(Ok(target), |problem| Err(Some(problem)))
                        }
                        _ => Ok(target),
                    }
                });
                let resolved = resolved.and_then(|target| {
                    match hidden_target(site, entry, page, reference, &target, &read_in) {
                        Some(problem) => Err(Some(problem)),
                        None => Ok(target),
                    }
                });
                match resolved {
                    Ok(target) => {
                        if let (true, Target::Asset { path, .. }) = (reference.image, &target)
                            && let Some(warning) = large_image(root, path)
                        {
                            diagnostics.push(
                                warning
                                    .at(page.source.path.clone(), reference.line, reference.col)
                                    .width(reference.dest.chars().count().min(60)),
                            );
                        }
                        links
                            .entry(page.source.path.clone())
                            .or_insert_with(HashMap::new)
                            .insert(reference.dest.clone(), target);
                    }
                    Err(None) => {}
                    Err(Some((message, hint))) => {
                        diagnostics.push(link_error(&page.source.path, reference, message, hint));
                    }
                }
            }
        }
    }
    // Footnotes whose text the mentee edition leaves out, referred to where it does not.
    for entry in &site.entries {
        let answers = entry.answers();
        for page in std::iter::once(&entry.original).chain(entry.translations.values()) {
            for note in &page.doc.footnotes {
                let (line, place) = note.definition;
                if place.hides_from(answers, note.visibility, answers) {
                    diagnostics.push(
                        Diagnostic::error(format!(
                            "the footnote `[^{}]` is written inside {} (line {line}), which the mentee edition leaves out",
                            shorten(&note.label),
                            place.place()
                        ))
                        .at(page.source.path.clone(), note.line, note.col)
                        .width(note.label.chars().count() + 3)
                        .hint("move the footnote's text out of the block, or this reference into it")
                        .topic("links"),
                    );
                }
            }
        }
    }
    // Pages left out for errors in their front matter: their links are checked where they
    // lead, so fixing the front matter does not bring new errors to light.
    for (source, doc) in unplaced {
        let own_ids: HashSet<&str> = doc.anchors().collect();
        for reference in &doc.references {
            if let Err(Some((message, hint))) = resolve_at(&source.path, &own_ids, reference) {
                diagnostics.push(link_error(&source.path, reference, message, hint));
            }
        }
    }
    site.links = links;
}

/// A link the mentee edition keeps to something it leaves out (a heading, or the address
/// itself when its definition is inside a block), as a message and a hint.
fn hidden_target(
    site: &Site,
    entry: &Entry,
    page: &ParsedPage,
    reference: &Reference,
    target: &Target,
    read_in: &[&str],
) -> Option<(String, String)> {
    let answers = entry.answers();
    let from = reference.visibility;
    if let Some((line, place)) = reference.definition
        && place.hides_from(answers, from, answers)
    {
        let what = if reference.image { "image" } else { "link" };
        return Some((
            format!(
                "this {what} takes its address from a definition inside {} (line {line}), which the mentee edition leaves out",
                place.place()
            ),
            format!("write the address in the {what} itself, or move the definition `[…]: …` out of the block"),
        ));
    }
    if let Target::Page { id, .. } = target
        && site.entries[*id].trainer_only
        && !entry.trainer_only
        && !from.hidden(crate::config::Edition::Mentee, answers)
    {
        return Some((
            format!(
                "`{}` is a page only trainers read (`audience: trainer`), which the mentee edition leaves out",
                display_path(&site.entries[*id].original.source.path)
            ),
            "link to it only from inside a `::: trainer` block or from another page for trainers, or take `audience: trainer` off that page".into(),
        ));
    }
    let (anchor, pages): (&str, Vec<(&ParsedPage, Answers)>) = match target {
        Target::Anchor(anchor) => (anchor, vec![(page, answers)]),
        Target::Page {
            id,
            anchor: Some(anchor),
            lang,
        } => {
            let to = &site.entries[*id];
            let langs: Vec<&str> = match lang {
                Some(lang) => vec![lang.as_str()],
                None => read_in.to_vec(),
            };
            let pages = langs
                .into_iter()
                .map(|l| (to.variant(l).0, to.answers()))
                .collect();
            (anchor, pages)
        }
        _ => return None,
    };
    for (to, to_answers) in pages {
        let Some(visibility) = to.doc.anchor(anchor) else {
            continue;
        };
        if visibility.hides_from(to_answers, from, answers) {
            let there = if std::ptr::eq(to, page) {
                String::new()
            } else {
                format!(" of `{}`", display_path(&to.source.path))
            };
            return Some((
                format!(
                    "`#{}` is a heading{there} inside {}, which the mentee edition leaves out",
                    shorten(anchor),
                    visibility.place()
                ),
                "link to it only from inside such a block, or move the heading out of the block"
                    .into(),
            ));
        }
    }
    None
}

/// The ids of a page's first eight headings, for a hint.
fn first_headings(doc: &crate::parse::Document) -> String {
    doc.headings
        .iter()
        .take(8)
        .map(|h| format!("`#{}`", h.id))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A broken link or image, at its place in the page.
fn link_error(file: &Path, reference: &Reference, message: String, hint: String) -> Diagnostic {
    Diagnostic::error(message)
        .at(file.to_path_buf(), reference.line, reference.col)
        .width(reference.dest.chars().count().clamp(1, 60))
        .hint(hint)
        .topic("links")
}

/// How to give `page` (the original of `entry` or one of its translations) the heading
/// `#anchor`: for a translation, the heading in the place of the original's.
fn anchor_hint(entry: &Entry, page: &ParsedPage, anchor: &str) -> String {
    let file = page
        .source
        .path
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    let place = entry.original.doc.headings.iter().position(|h| h.id == anchor);
    let counterpart = place.and_then(|i| page.doc.headings.get(i));
    match (page.source.lang.is_some(), place, counterpart) {
        (true, Some(_), Some(h)) => format!(
            "give the heading in `{file}` line {} the original's id: `{} {} {{#{anchor}}}`",
            h.line,
            "#".repeat(usize::from(h.level)),
            h.text
        ),
        (true, Some(_), None) => format!(
            "add `{{#{anchor}}}` to the heading of `{file}` that translates the original's `#{anchor}`"
        ),
        _ => match did_you_mean(anchor, page.doc.headings.iter().map(|h| h.id.as_str())) {
            Some(s) => format!("did you mean `#{s}`?"),
            None => format!(
                "the headings of `{file}` are: {}",
                first_headings(&page.doc)
            ),
        },
    }
}

/// A link to `#anchor` on page `id`, read in the languages `read_in`: the first version of
/// that page a reader is sent to that has no such heading, as a message and a hint.
fn missing_anchor(
    site: &Site,
    id: EntryId,
    anchor: &str,
    fixed: Option<&str>,
    read_in: &[&str],
) -> Option<(String, String)> {
    let entry = &site.entries[id];
    let langs: Vec<&str> = match fixed {
        Some(lang) => vec![lang],
        None => read_in.to_vec(),
    };
    for lang in langs {
        let (page, _) = entry.variant(lang);
        if page.doc.anchor(anchor).is_some() {
            continue;
        }
        let shown = display_path(&page.source.path);
        let hint = anchor_hint(entry, page, anchor);
        let readers = match (page.source.lang.as_deref(), fixed) {
            (Some(lang), None) if read_in.len() > 1 || read_in != [lang] => {
                let name = site.config.language(lang).map_or(lang, |l| l.name.as_str());
                format!(", where this link takes {name} readers")
            }
            _ => String::new(),
        };
        return Some((
            format!("`#{}` is not a heading in `{shown}`{readers}", shorten(anchor)),
            hint,
        ));
    }
    None
}

#[allow(clippy::too_many_arguments)]
fn resolve(
    root: &Path,
    site: &Site,
    by_key: &HashMap<String, EntryId>,
    draft_keys: &HashSet<String>,
    broken: &HashSet<String>,
    assets: &HashSet<&Path>,
    from: &Path,
    own_ids: &HashSet<&str>,
    reference: &Reference,
) -> Result<Target, Option<(String, String)>> {
    let dest = reference.dest.trim();
    let what = if reference.image { "image" } else { "link" };
    if dest.is_empty() {
        return Err(Some((
            format!("this {what} has no address"),
            "put the relative path of the file between the brackets, e.g. `(01-first-contact.md)`"
                .into(),
        )));
    }
    let shown_dest = shorten(dest);
    if let Some(scheme) = scheme_of(dest) {
        if reference.image && scheme == "data" {
            return Err(Some((
                "this image is pasted into the page as text (`data:`)".into(),
                "save the picture as a file beside the page (e.g. `intake.png`) and write `![what it shows](intake.png)`: pictures pasted as text make the page heavy and cannot be cached".into(),
            )));
        }
        if reference.image {
            return Err(Some((
                format!("the image `{shown_dest}` is loaded from another website"),
                "save the image beside the page and link it by file name: pages must not load anything from other sites (readers pay for data, and it breaks offline reading)".into(),
            )));
        }
        return match scheme.as_str() {
            "http" | "https" | "mailto" | "tel" => Ok(Target::External),
            _ => Err(Some((
                format!(
                    "links starting with `{}:` are not allowed",
                    shorten(&scheme)
                ),
                "use an `https://`, `mailto:` or `tel:` address, or a relative path to a file"
                    .into(),
            ))),
        };
    }
    if let Some(anchor) = dest.strip_prefix('#') {
        if own_ids.contains(anchor) {
            return Ok(Target::Anchor(anchor.to_string()));
        }
        let hint = match did_you_mean(anchor, own_ids.iter().copied()) {
            Some(s) => format!("did you mean `#{s}`?"),
            None => "an anchor is a heading's text in lowercase with `-` for spaces, e.g. `#open-questions`".into(),
        };
        return Err(Some((
            format!("`#{}` is not a heading on this page", shorten(anchor)),
            hint,
        )));
    }
    if dest.starts_with('/') {
        return Err(Some((
            format!("the {what} `{shown_dest}` is an absolute path"),
            if reference.image {
                "write the path relative to this file, e.g. `../pictures/payslip.png`"
            } else {
                "write the path relative to this file, e.g. `../fact-patterns/agency-fees.md`"
            }
            .into(),
        )));
    }
    let (path_part, anchor) = match dest.split_once('#') {
        Some((p, a)) => (p, Some(a.to_string()).filter(|a| !a.is_empty())),
        None => (dest, None),
    };
    let path_part = path_part.split('?').next().unwrap_or_default();
    let decoded = percent_decode(path_part);
    let base = from.parent().unwrap_or(Path::new(""));
    let Some(target) = normalize(&base.join(&decoded)) else {
        return Err(Some((
            format!("the {what} `{shown_dest}` points outside the site folder"),
            "link only to files inside the site; check the number of `../`".into(),
        )));
    };
    let shown = display_path(&target);

    if shown == format!("{CURRICULUM}/{TOOLKIT}/{REFERRALS}") && site.toolkit.is_some() {
        return Ok(Target::Directory);
    }
    let is_markdown = shown.ends_with(".md");
    let is_dir = decoded.ends_with('/') || root.join(&target).is_dir();
    if !reference.image && (is_markdown || is_dir) {
        let (key, lang) = if is_dir {
            (format!("{}/{INDEX}", shown.trim_end_matches('/')), None)
        } else {
            let key = key_of(&target);
            let stem = shown.trim_end_matches(".md");
            let lang = stem
                .strip_prefix(&key)
                .and_then(|s| s.strip_prefix('.'))
                .map(str::to_string);
            (key, lang)
        };
        if let Some(&id) = by_key.get(&key) {
            if let Some(lang) = &lang
                && !site.entries[id].translations.contains_key(lang)
            {
                return Err(Some((
                    format!(
                        "`{}` does not exist",
                        display_path(Path::new(&format!("{key}.{lang}.md")))
                    ),
                    format!(
                        "link to the original `{}.md`: readers get their language's version when there is one",
                        Path::new(&key)
                            .file_name()
                            .map(|f| f.to_string_lossy().into_owned())
                            .unwrap_or_default()
                    ),
                )));
            }
            if let Some(anchor) = &anchor {
                let entry = &site.entries[id];
                let known: HashSet<&str> = std::iter::once(&entry.original)
                    .chain(entry.translations.values())
                    .flat_map(|p| p.doc.anchors())
                    .collect();
                if !known.contains(anchor.as_str()) {
                    let hint = match did_you_mean(anchor, known.iter().copied()) {
                        Some(s) => format!("did you mean `#{s}`?"),
                        None => format!(
                            "the headings of that page are: {}",
                            first_headings(&entry.original.doc)
                        ),
                    };
                    return Err(Some((
                        format!("`#{}` is not a heading in `{shown}`", shorten(anchor)),
                        hint,
                    )));
                }
            }
            return Ok(Target::Page { id, anchor, lang });
        }
        if broken.contains(&key) {
            return Err(None);
        }
        if draft_keys.contains(&key) {
            return Err(Some((format!("`{}` is a draft, so this link would be broken", shorten(&shown)), "publish the page (remove `draft: true`), remove the link, or build with `--drafts` to preview".into())));
        }
        let folder = target.parent().unwrap_or(Path::new(""));
        // The page the link is on is no suggestion.
        let own = key_of(from);
        let siblings: Vec<String> = by_key
            .keys()
            .filter(|k| Path::new(k.as_str()).parent() == Some(folder) && **k != own)
            .map(|k| {
                format!(
                    "{}.md",
                    Path::new(k)
                        .file_name()
                        .map(|f| f.to_string_lossy().into_owned())
                        .unwrap_or_default()
                )
            })
            .collect();
        let name = target
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default();
        let hint = match did_you_mean(&name, siblings.iter().map(String::as_str)) {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!(
                "create the page `{}`, or correct the name in the link (it is read from this page's folder; each `../` goes up one folder)",
                shorten(&shown)
            ),
        };
        return Err(Some((
            format!("the page `{}` does not exist", shorten(&shown)),
            hint,
        )));
    }
    if assets.contains(target.as_path()) {
        return Ok(Target::Asset {
            path: target,
            anchor,
        });
    }
    if root.join(&target).is_symlink() {
        return Err(Some((
            format!(
                "the file `{}` is a symbolic link, which casebook does not follow",
                shorten(&shown)
            ),
            "copy the file itself into the site folder".into(),
        )));
    }
    // `chapter.html` beside `chapter.md`, as a site made by another tool links its pages.
    let page_beside = target
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm"))
        && by_key.contains_key(&key_of(&target.with_extension("md")));
    let hint = if page_beside {
        let written = decoded.rsplit_once('.').map_or(decoded.as_str(), |(stem, _)| stem);
        let anchor = anchor.as_ref().map(|a| format!("#{a}")).unwrap_or_default();
        format!(
            "link to the page's Markdown file, `{written}.md{anchor}`: casebook makes its address"
        )
    } else if root.join(&target).exists() {
        "files linked from pages must sit in `curriculum/` or `fact-patterns/`".to_string()
    } else {
        format!(
            "put the file at `{}`, or correct the name in the link (it is read from this page's folder; each `../` goes up one folder)",
            display_path(&target)
        )
    };
    Err(Some((
        format!("the file `{}` does not exist", shorten(&shown)),
        hint,
    )))
}

/// Images larger than this are a warning: readers pay for every megabyte on prepaid data.
pub const LARGE_IMAGE: u64 = 250 * 1024;

fn large_image(root: &Path, path: &Path) -> Option<Diagnostic> {
    let size = std::fs::metadata(root.join(path)).ok()?.len();
    (size > LARGE_IMAGE).then(|| {
        let shown = if size >= 1024 * 1024 { format!("{:.1} MB", size as f64 / (1024.0 * 1024.0)) } else { format!("{} KB", size.div_ceil(1024)) };
        Diagnostic::warning(format!("the image `{}` is {shown}, heavy for a phone on prepaid data", display_path(path)))
            .hint("make it at most 1200 pixels wide and save it as JPEG, or compress the PNG: aim for under 250 KB")
    })
}

/// An address as quoted in a message: at most 60 characters, cut with `…`.
fn shorten(dest: &str) -> String {
    match dest.char_indices().nth(59) {
        Some((at, _)) => format!("{}…", &dest[..at]),
        None => dest.to_string(),
    }
}

fn scheme_of(dest: &str) -> Option<String> {
    let colon = dest.find(':')?;
    let scheme = &dest[..colon];
    let valid = !scheme.is_empty()
        && scheme
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
    (valid && !dest[..colon].contains('/')).then(|| scheme.to_ascii_lowercase())
}

pub(super) fn percent_decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8_lossy()
        .into_owned()
}

/// Resolves `.` and `..` without touching the file system; `None` if it climbs above the root.
pub(super) fn normalize(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::Normal(part) => out.push(part),
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_cannot_climb_out() {
        assert_eq!(
            normalize(Path::new("curriculum/a/../b.md")),
            Some(PathBuf::from("curriculum/b.md"))
        );
        assert_eq!(normalize(Path::new("curriculum/../../etc/passwd")), None);
    }

    #[test]
    fn schemes_are_recognised() {
        assert_eq!(scheme_of("https://example.org"), Some("https".into()));
        assert_eq!(scheme_of("tel:+85299999999"), Some("tel".into()));
        assert_eq!(scheme_of("../a.md#x:y"), None);
    }
}
