//! Reading offline: the parts a reader can save (a workshop, the toolkit), the service
//! worker and the web app manifests. Runs last, on the finished files, so that the sizes a
//! page shows are the sizes a phone downloads.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::Path;

use rayon::prelude::*;
use serde_json::json;

use super::search::Index;
use super::{OutFile, Output, Renderer, urls};
use crate::diag::Diagnostic;
use crate::discover::TOOLKIT;
use crate::parse;

/// Marks the place of a part's size in a page until it is known (as for PDF sizes).
pub const PART_MARK: char = '\u{E001}';
pub const MANIFEST: &str = "manifest.webmanifest";
/// Where each part's list of files is (`offline/en/01-case-screening.json`), fetched when a
/// reader saves that part: one small file per part, whatever the size of the site.
pub const PARTS: &str = "offline/";

/// One part a reader can save, in one language.
#[derive(Debug)]
pub struct Part {
    /// `LANG/folder`
    pub id: String,
    pub lang: String,
    pub title: String,
    /// Its pages, as site folders (`id/01-case-screening/`).
    pub pages: Vec<String>,
}

/// What the offline lists and the version need of a file already written (and no longer
/// held in memory): its size, its fingerprint, and for a page the pictures and PDFs it
/// links to.
#[derive(Debug)]
pub struct Digest {
    pub len: u64,
    pub fingerprint: String,
    pub links: Vec<String>,
}

/// A file's fingerprint for the version: its CRC-32 and length. Every byte of every file
/// goes through it, and the CRC is computed many bytes at a time, where the text
/// fingerprint (FNV-1a) takes one.
fn file_fingerprint(bytes: &[u8]) -> String {
    let mut crc = flate2::Crc::new();
    crc.update(bytes);
    format!("{:08x}{:x}", crc.sum(), bytes.len())
}

impl Digest {
    pub fn of(file: &OutFile) -> Digest {
        Digest {
            len: file.bytes.len() as u64,
            fingerprint: file_fingerprint(&file.bytes),
            links: if file.html {
                linked_files(&file.bytes)
            } else {
                Vec::new()
            },
        }
    }
}

impl Renderer<'_> {
    /// Every workshop, and the toolkit, in every language.
    pub fn offline_parts(&self) -> Vec<Part> {
        let site = self.site;
        let mut parts = Vec::new();
        for lang in site.config.languages.iter().map(|l| l.code.as_str()) {
            let path = |url: &str| urls::page_path(site, lang, url);
            let sections = site
                .workshops
                .iter()
                .map(|w| (w, w.folder.clone()))
                .chain(site.toolkit.iter().map(|t| (t, TOOLKIT.to_string())));
            for (section, folder) in sections {
                let entry = &site.entries[section.entry];
                let mut pages = vec![
                    path(&entry.url),
                    path(&format!("{}{}", entry.url, urls::PRINT)),
                ];
                pages.extend(section.pages.iter().map(|&p| path(&site.entries[p].url)));
                pages.extend(
                    section
                        .fact_patterns
                        .iter()
                        .map(|&f| path(&site.entries[f].url)),
                );
                if folder == TOOLKIT {
                    pages.push(path(urls::DIRECTORY));
                }
                // Searching what is saved needs the search page.
                pages.push(path(urls::SEARCH));
                parts.push(Part {
                    id: part_id(lang, &folder),
                    lang: lang.to_string(),
                    title: self.entry_title(section.entry, lang),
                    pages,
                });
            }
        }
        parts
    }

    /// Adds the parts' file lists (`offline/…json`), the sizes of the parts on their
    /// pages, the service worker and the manifests. `root` is the content root, for the
    /// sizes of copied files; `written` the files of the site already written, by path.
    pub fn finish_offline(
        &self,
        output: &mut Output,
        root: &Path,
        index: &Index,
        written: &HashMap<String, Digest>,
    ) -> Result<(), Diagnostic> {
        let site = self.site;
        let mut sizes: HashMap<String, u64> = output
            .files
            .iter()
            .map(|f| (f.path.clone(), f.bytes.len() as u64))
            .chain(written.iter().map(|(path, d)| (path.clone(), d.len)))
            .collect();
        for (from, to) in &output.copies {
            let len = std::fs::metadata(root.join(from))
                .map(|m| m.len())
                .unwrap_or(0);
            sizes.insert(to.clone(), len);
        }
        let html: HashMap<&str, &[u8]> = output
            .files
            .iter()
            .filter(|f| f.html)
            .map(|f| (f.path.as_str(), f.bytes.as_slice()))
            .collect();
        let shell = self.shell(&sizes);
        let size_of = |path: &str| -> u64 {
            let bare = path.split('?').next().unwrap_or(path);
            let file = if bare.is_empty() || bare.ends_with('/') {
                format!("{bare}index.html")
            } else {
                bare.to_string()
            };
            sizes.get(&file).copied().unwrap_or(0)
        };
        // The bundles of `casebook.yaml` gather pages of several parts: a part saved for
        // offline reading keeps its own handout, not every bundle its pages are in.
        let bundle_pdfs: HashSet<String> = (0..self.site.config.bundles.len())
            .flat_map(|i| {
                self.site.config.languages.iter().map(move |l| {
                    super::pdf::file_name(self.site, &super::pdf::What::Bundle(i), &l.code, self.edition)
                })
            })
            .collect();
        // Each part's files: its pages, what they link to (pictures, PDFs), their search
        // fragments and the language's search data.
        let lists: Vec<(Part, u64, BTreeSet<String>)> = self
            .offline_parts()
            .into_par_iter()
            .map(|part| {
                let mut files: BTreeSet<String> = shell.iter().cloned().collect();
                for page in &part.pages {
                    let file = format!("{page}index.html");
                    let links = match (html.get(file.as_str()), written.get(&file)) {
                        (Some(bytes), _) => linked_files(bytes),
                        (None, Some(digest)) => digest.links.clone(),
                        (None, None) => continue,
                    };
                    files.insert(page.clone());
                    for link in links {
                        if let Some(path) = resolve(page, &link)
                            && !bundle_pdfs.contains(&path)
                        {
                            files.insert(path);
                        }
                    }
                    if let Some(fragment) = index.fragments.get(page) {
                        files.insert(fragment.clone());
                    }
                }
                files.extend(index.common.get(&part.lang).into_iter().flatten().cloned());
                let bytes: u64 = files.iter().map(|f| size_of(f)).sum();
                (part, bytes, files)
            })
            .collect();
        let part_sizes: HashMap<&str, u64> = lists
            .iter()
            .map(|(part, bytes, _)| (part.id.as_str(), *bytes))
            .collect();
        super::fill_marks(&mut output.files, PART_MARK, |id| {
            human_size(part_sizes.get(id).copied().unwrap_or(0))
        });

        // The version changes whenever any file of the site does.
        let mut all: Vec<(&str, String)> = output
            .files
            .par_iter()
            .map(|f| (f.path.as_str(), file_fingerprint(&f.bytes)))
            .collect();
        all.extend(
            written
                .iter()
                .map(|(path, d)| (path.as_str(), d.fingerprint.clone())),
        );
        all.sort_unstable();
        let mut digest = String::new();
        for (path, fingerprint) in all {
            digest.push_str(path);
            digest.push_str(&fingerprint);
        }
        for (from, to) in &output.copies {
            digest.push_str(to);
            digest.push_str(&sizes.get(to).copied().unwrap_or(0).to_string());
            digest.push_str(&crate::diag::display_path(from));
        }
        let version = parse::fingerprint(&digest)[..12].to_string();

        for (part, bytes, files) in lists {
            let Part {
                id,
                lang,
                title,
                pages,
            } = part;
            // `url`: where the part starts, for the list of saved parts.
            let part = json!({"version": version, "id": id, "title": title, "lang": lang, "url": pages[0], "bytes": bytes, "files": files});
            output.files.push(OutFile {
                path: format!("{PARTS}{id}.json"),
                bytes: serde_json::to_vec(&part).expect("JSON values serialize"),
                html: false,
            });
        }
        // Help must be there offline before anything is saved: each language's page of
        // help and saved parts, and its Get help page, are kept when the worker installs.
        let mut help = Vec::new();
        let mut saved_pages = Vec::new();
        for lang in site.config.languages.iter().map(|l| l.code.as_str()) {
            let saved = urls::page_path(site, lang, urls::SAVED);
            help.push(saved.clone());
            if site.toolkit.is_some() {
                help.push(urls::page_path(site, lang, urls::DIRECTORY));
            }
            saved_pages.push((urls::page_path(site, lang, ""), saved));
        }
        // The longest folder first: `id/` before the default language's root.
        saved_pages.sort_by_key(|(prefix, _)| std::cmp::Reverse(prefix.len()));
        let data = super::data::value(super::data::ServiceWorker {
            version: &version,
            precache: &shell,
            help: &help,
            saved_pages: &saved_pages,
        });
        let sw = self.templates.render("sw.js", data).map_err(|e| {
            Diagnostic::error(format!("the template `sw.js` failed: {e}"))
                .hint("compare it with the built-in one in themes/default/templates/sw.js")
        })?;
        output.files.push(OutFile {
            path: "sw.js".into(),
            bytes: sw.into_bytes(),
            html: false,
        });
        for lang in &site.config.languages {
            let dir = urls::page_path(site, &lang.code, "");
            let manifest = json!({
                "name": site.config.title,
                "short_name": short_name(&site.config.title),
                "lang": lang.code,
                "start_url": "./",
                "scope": urls::relative(&dir, ""),
                "display": "standalone",
                "background_color": "#ffffff",
                "theme_color": "#0b4f6c",
                "icons": [
                    {"src": urls::relative(&dir, "assets/icon-192.png"), "sizes": "192x192", "type": "image/png", "purpose": "any maskable"},
                    {"src": urls::relative(&dir, "assets/icon-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "any maskable"},
                ],
            });
            output.files.push(OutFile {
                path: format!("{dir}{MANIFEST}"),
                bytes: serde_json::to_vec_pretty(&manifest).expect("JSON values serialize"),
                html: false,
            });
        }
        for (size, bytes) in super::icon::icons() {
            output.files.push(OutFile {
                path: format!("assets/icon-{size}.png"),
                bytes: bytes.clone(),
                html: false,
            });
        }
        Ok(())
    }

    /// What every page needs, cached when the service worker installs: the stylesheets and
    /// scripts, at their versioned addresses.
    fn shell(&self, sizes: &HashMap<String, u64>) -> Vec<String> {
        ["style.css", "offline.js", "search.js", "highlight.css"]
            .iter()
            .filter(|name| sizes.contains_key(&format!("assets/{name}")))
            .map(|name| format!("assets/{name}?v={}", self.asset_version))
            .collect()
    }
}

pub fn part_id(lang: &str, folder: &str) -> String {
    format!("{lang}/{folder}")
}

/// The text a page shows in place of a part's size mark.
pub fn size_mark(id: &str) -> String {
    format!("{PART_MARK}{id}{PART_MARK}")
}

/// `1234567` → `1.2 MB`; `56789` → `56 KB`.
pub fn human_size(bytes: u64) -> String {
    if bytes >= 1_000_000 {
        format!("{:.1} MB", bytes as f64 / 1_000_000.0)
    } else {
        format!("{} KB", bytes.div_ceil(1000).max(1))
    }
}

fn short_name(title: &str) -> String {
    if title.chars().count() <= 12 {
        return title.to_string();
    }
    // Initials of a long title: "Case Handling Programme" → "CHP".
    let initials: String = title
        .split_whitespace()
        .filter_map(|w| w.chars().next())
        .filter(|c| c.is_alphanumeric())
        .collect();
    if initials.chars().count() >= 2 {
        initials
    } else {
        title.chars().take(12).collect()
    }
}

/// The images (`src`) and PDFs (`href="….pdf"`) a page links to, as written in the page.
fn linked_files(html: &[u8]) -> Vec<String> {
    let text = super::text_of(html);
    let mut found = Vec::new();
    for attr in ["src=", "href="] {
        for at in memchr::memmem::find_iter(text.as_bytes(), attr) {
            if at > 0 && !text.as_bytes()[at - 1].is_ascii_whitespace() {
                continue;
            }
            let rest = &text[at + attr.len()..];
            let value = match rest.chars().next() {
                Some(q @ ('"' | '\'')) => rest[1..].split(q).next().unwrap_or_default(),
                _ => rest
                    .split(|c: char| c.is_whitespace() || c == '>')
                    .next()
                    .unwrap_or_default(),
            };
            let wanted = attr == "src="
                || value
                    .split(['?', '#'])
                    .next()
                    .is_some_and(|v| v.ends_with(".pdf"));
            if wanted && !value.is_empty() {
                found.push(value.replace("&amp;", "&"));
            }
        }
    }
    found
}

/// A link written in page folder `dir`, as a site path; `None` for other sites, `data:`
/// addresses and links outside the site.
fn resolve(dir: &str, link: &str) -> Option<String> {
    if link.contains("://") || link.starts_with('/') || link.contains(':') {
        return None;
    }
    let link = link.split('#').next().unwrap_or_default();
    let mut parts: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    for piece in link.split('/') {
        match piece {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    let mut out = parts.join("/");
    if link.ends_with('/') {
        out.push('/');
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_in_pages_become_site_paths() {
        let html = br#"<img src=../../01-x/form.png alt=""><a href="../pdf/a.pdf" download>x</a><a href=../other/>y</a><img src="data:image/png;base64,AA">"#;
        let links = linked_files(html);
        assert_eq!(
            links,
            vec![
                "../../01-x/form.png",
                "data:image/png;base64,AA",
                "../pdf/a.pdf"
            ]
        );
        assert_eq!(
            resolve("id/01-x/lesson/", "../../../01-x/form.png").as_deref(),
            Some("01-x/form.png")
        );
        assert_eq!(
            resolve("id/01-x/", "../pdf/a.pdf").as_deref(),
            Some("id/pdf/a.pdf")
        );
        assert_eq!(resolve("a/", "data:image/png;base64,AA"), None);
        assert_eq!(resolve("a/", "../../x.png"), None);
    }

    #[test]
    fn sizes_read_as_people_say_them() {
        assert_eq!(human_size(1_234_567), "1.2 MB");
        assert_eq!(human_size(56_789), "57 KB");
        assert_eq!(short_name("Case Handling Programme"), "CHP");
        assert_eq!(short_name("Casebook"), "Casebook");
    }
}
