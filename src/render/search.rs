//! The search index, in pagefind's format (one index per language, split into chunks so a
//! phone downloads only what a query needs), read by pagefind's script and WASM. casebook
//! reads each page's words itself ([`record`]) and writes the index files itself
//! ([`writer`], byte for byte what pagefind writes, several times quicker); pagefind's API
//! still provides its script and WASM files, and indexes a language with a page casebook's
//! reader leaves to pagefind's.
//!
//! Pages opt in with `data-pagefind-body` on their `<main>`, so lists, print views and the
//! 404 page stay out of the results. The mentee edition's pages hold no trainer text, so
//! neither does its index.

use std::collections::{BTreeMap, HashMap};
use std::io::Read;
use std::path::Path;

use pagefind::api::{PagefindIndex, SyntheticFile};
use pagefind::options::PagefindServiceConfig;

use rayon::prelude::*;

use super::OutFile;
use crate::diag::Diagnostic;

mod across;
mod record;
mod writer;

pub use across::Across;

/// Where the bundle lives in the site.
pub const BUNDLE: &str = "pagefind/";

/// The WASM file a search in `lang` loads (pagefind's build with the language's stemmer, or
/// its generic one), so that a search page can ask for it before pagefind's script does.
pub fn wasm_file(lang: &str) -> String {
    let lang = lang.to_lowercase();
    let wasm = writer::wasm(&lang).unwrap_or_else(|| "unknown".into());
    format!("{BUNDLE}wasm.{wasm}.pagefind")
}
const OPT_IN: &[u8] = b"data-pagefind-body";

/// The bundle, and which of its files a reader needs offline.
#[derive(Debug, Default)]
pub struct Index {
    pub files: Vec<OutFile>,
    /// Per language: the files any search in it loads (script, wasm, metadata, word and
    /// filter chunks), as site paths.
    pub common: BTreeMap<String, Vec<String>>,
    /// Page path (`workshop/lesson/`) → its fragment, the excerpt data a result shows.
    pub fragments: HashMap<String, String>,
    /// Pages indexed, per language.
    pub pages: BTreeMap<String, usize>,
}

/// The pages to index, by language: each page's `<main>` only (what is indexed), with its
/// language, as owned text so that the pages can be minified, written and let go before
/// the index is made.
#[derive(Debug, Default)]
pub struct Pages(BTreeMap<String, Vec<(String, String)>>);

/// What the index needs of one page: its language, path and `<main>`.
pub type Page = (String, String, String);

impl Pages {
    /// Every page that opted in, with what `across` adds to those shown in a language they
    /// are not translated into.
    pub fn of(files: &[OutFile], across: &Across) -> Pages {
        Pages::gather(
            files
                .par_iter()
                .filter_map(|f| Pages::page(f, across))
                .collect::<Vec<_>>(),
        )
    }

    /// What the index needs of `file`, if it is a page that opted in: its `<main>`, and
    /// before its text the words of its language that `across` has for it.
    pub fn page(file: &OutFile, across: &Across) -> Option<Page> {
        if !file.html || memchr::memmem::find(&file.bytes, OPT_IN).is_none() {
            return None;
        }
        let html = super::text_of(&file.bytes);
        let lang = html_lang(&html).unwrap_or_default();
        let slim = slim(&html, &lang, |main| across.words_for(&file.path, main));
        Some((lang, file.path.clone(), slim))
    }

    /// Pages from [`Pages::page`], sorted by language (in their order).
    pub fn gather(pages: impl IntoIterator<Item = Page>) -> Pages {
        let mut by_language: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
        for (lang, path, slim) in pages {
            by_language.entry(lang).or_default().push((path, slim));
        }
        Pages(by_language)
    }

    /// Side by side for most sites; one language after another when there is so much text
    /// that indexing every language at once would take more memory than the rest of the
    /// build (the index holds several times the text of the pages it indexes).
    pub fn pace(&self) -> Pace {
        let text: usize = self.0.values().flatten().map(|(_, html)| html.len()).sum();
        if text > 48 << 20 {
            Pace::OneByOne
        } else {
            Pace::SideBySide
        }
    }
}

/// How the languages' indexes are made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pace {
    /// Side by side, on every core.
    SideBySide,
    /// One after another, on the calling thread: less memory at once.
    OneByOne,
}

/// Indexes every page that opted in: one pagefind index per language, then merged into one
/// bundle.
pub fn index(files: &[OutFile], across: &Across) -> Result<Index, Diagnostic> {
    index_pages(Pages::of(files, across), Pace::SideBySide)
}

/// A file of pagefind's bundle, and for a fragment the page it describes.
type Described = (SyntheticFile, Option<String>);

/// Indexes `pages`, one pagefind index per language, merged into one bundle.
pub fn index_pages(pages: Pages, pace: Pace) -> Result<Index, Diagnostic> {
    let failed = |e: &dyn std::fmt::Display| {
        Diagnostic::error(format!("the search index could not be built: {e}"))
            .hint("this is a bug in casebook: please report it")
    };
    // pagefind's API blocks on async work that may wait for threads it hands work to: it runs
    // on a pool of threads of its own, not on rayon's global one, where `build` waits for
    // the index (on a single-core machine, on the global pool's only thread). casebook's
    // own writer runs on the global pool, on the threads that rendered the pages: their
    // memory, freed, is at hand, where new threads would ask the system for more.
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .thread_name(|i| format!("casebook-index-{i}"))
        .build()
        .map_err(|e| failed(&e))?;
    // One language's files: casebook's writer when casebook reads every page itself, else
    // pagefind's API (with the page each fragment describes read out of its gzip).
    let one = |pages: Vec<(String, String)>| -> Result<Written, String> {
        let read: Vec<Result<record::Record, (String, String)>> = pages
            .into_par_iter()
            .with_max_len(1)
            .map(|(path, html)| record::read(&path, &html).ok_or((path, html)))
            .collect();
        let language = match read.first() {
            Some(Ok(first)) => Some(first.language.clone()),
            _ => None,
        };
        if let Some(language) = language
            && read
                .iter()
                .all(|r| r.as_ref().is_ok_and(|r| r.language == language))
        {
            let records = read.into_iter().flatten().collect();
            return Ok(Written::Casebook(writer::write(&language, records)));
        }
        let files = pool.install(|| {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| e.to_string())?;
            runtime.block_on(bundle_read(read))
        })?;
        Ok(Written::Pagefind(
            files
                .into_iter()
                .map(|file| {
                    let name = file.filename.to_string_lossy();
                    let url = (name.starts_with("fragment/") || name.starts_with("fragment\\"))
                        .then(|| fragment_url(&file.contents))
                        .flatten();
                    (file, url)
                })
                .collect(),
        ))
    };
    // pagefind's script and WASM builds, made meanwhile for the same languages.
    let asset_languages: Vec<String> = pages
        .0
        .keys()
        .map(|l| l.to_lowercase())
        .filter(|l| !l.is_empty())
        .collect();
    let languages: Vec<_> = pages.0.into_values().collect();
    type Made = Result<Written, String>;
    let (assets, bundles): (Result<Vec<SyntheticFile>, String>, Vec<Made>) = rayon::join(
        || pool.install(|| assets(&asset_languages)),
        || match pace {
            Pace::SideBySide => languages.into_par_iter().map(one).collect(),
            Pace::OneByOne => languages.into_iter().map(one).collect(),
        },
    );
    let mut written = Vec::new();
    let mut ours = Vec::new();
    for b in bundles {
        match b.map_err(|e| failed(&e))? {
            Written::Casebook(b) => ours.push(b),
            Written::Pagefind(files) => written.push(files),
        }
    }
    if !ours.is_empty() {
        let mut files: Vec<Described> = assets
            .map_err(|e| failed(&e))?
            .into_iter()
            .map(|f| (f, None))
            .collect();
        files.push((
            SyntheticFile {
                filename: "pagefind-entry.json".into(),
                contents: writer::entry(&ours.iter().collect::<Vec<_>>()),
            },
            None,
        ));
        for b in ours {
            files.push((
                SyntheticFile {
                    filename: chunk_list(&b.language).into(),
                    contents: serde_json::to_vec(&b.chunks).map_err(|e| failed(&e))?,
                },
                None,
            ));
            files.extend(b.files.into_iter().map(|(name, contents, url)| {
                let url = url.map(|u| u.trim_start_matches('/').to_string());
                (SyntheticFile { filename: name.into(), contents }, url)
            }));
        }
        written.insert(0, files);
    }
    let mut bundle = Vec::new();
    let mut entries: Vec<SyntheticFile> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for files in written {
        for (file, url) in files {
            let name = file.filename.to_string_lossy().replace('\\', "/");
            if name == "pagefind-entry.json" {
                entries.push(file);
            } else if seen.insert(name) {
                bundle.push((file, url));
            }
        }
    }
    // One entry file for all languages.
    if let [entry] = entries.as_slice() {
        bundle.push((entry.clone(), None));
    } else if let Some(entry) = entries.first() {
        let mut entry: serde_json::Value =
            serde_json::from_slice(&entry.contents).map_err(|e| failed(&e))?;
        for other in &entries[1..] {
            let other: serde_json::Value =
                serde_json::from_slice(&other.contents).map_err(|e| failed(&e))?;
            if let (Some(all), Some(more)) = (
                entry.get_mut("languages").and_then(|l| l.as_object_mut()),
                other.get("languages").and_then(|l| l.as_object()),
            ) {
                all.extend(more.clone());
            }
        }
        let entry = SyntheticFile {
            filename: "pagefind-entry.json".into(),
            contents: serde_json::to_vec(&entry).map_err(|e| failed(&e))?,
        };
        bundle.push((entry, None));
    }
    let mut out = Index::default();
    for (file, url) in bundle {
        let name = file.filename.to_string_lossy().replace('\\', "/");
        if !wanted(&name) {
            continue;
        }
        let path = format!("{BUNDLE}{name}");
        if let Some(rest) = name.strip_prefix("fragment/") {
            let lang = language_of(rest);
            *out.pages.entry(lang.to_string()).or_default() += 1;
            if let Some(url) = url {
                out.fragments.insert(url, path.clone());
            }
        } else {
            for lang in languages_of(&name) {
                out.common.entry(lang).or_default().push(path.clone());
            }
        }
        out.files.push(OutFile {
            path,
            bytes: file.contents,
            html: false,
        });
    }
    // Files every language loads; languages without a stemmer load the generic wasm.
    let has = |name: &str| {
        out.files
            .iter()
            .any(|f| f.path == format!("{BUNDLE}{name}"))
    };
    let mut shared: Vec<String> = ["pagefind.js", "pagefind-entry.json"]
        .into_iter()
        .filter(|n| has(n))
        .map(|n| format!("{BUNDLE}{n}"))
        .collect();
    let generic = has("wasm.unknown.pagefind").then(|| format!("{BUNDLE}wasm.unknown.pagefind"));
    shared.sort();
    let langs: Vec<String> = out.pages.keys().cloned().collect();
    for lang in langs {
        let own_wasm = has(&format!("wasm.{lang}.pagefind"));
        let list = out.common.entry(lang).or_default();
        list.extend(shared.iter().cloned());
        if !own_wasm {
            list.extend(generic.iter().cloned());
        }
        list.sort();
        list.dedup();
    }
    out.common.remove("");
    out.files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}

/// One language's index files: from casebook's writer, or pagefind's (with its script and
/// WASM).
enum Written {
    Casebook(writer::LanguageFiles),
    Pagefind(Vec<Described>),
}

/// pagefind's own files for these languages: its script and the WASM builds (which do not
/// depend on the pages), from an index of one page per language, its index files left out.
fn assets(languages: &[String]) -> Result<Vec<SyntheticFile>, String> {
    if languages.is_empty() {
        return Ok(Vec::new());
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let files = runtime.block_on(async {
        let config = PagefindServiceConfig::builder().build();
        let mut index = PagefindIndex::new(Some(config)).map_err(|e| e.to_string())?;
        for (i, language) in languages.iter().enumerate() {
            index
                .add_custom_record(format!("/{i}/"), "casebook".into(), language.clone(), None, None, None)
                .await
                .map_err(|e| e.to_string())?;
        }
        index.get_files().await.map_err(|e| e.to_string())
    })?;
    Ok(files
        .into_iter()
        .filter(|f| !index_file(&f.filename.to_string_lossy().replace('\\', "/")))
        .collect())
}

/// Pages casebook read (records) and pages it left to pagefind's reader, indexed by
/// pagefind, in their order.
async fn bundle_read(
    pages: Vec<Result<record::Record, (String, String)>>,
) -> Result<Vec<SyntheticFile>, String> {
    let config = PagefindServiceConfig::builder().build();
    let mut index = PagefindIndex::new(Some(config)).map_err(|e| e.to_string())?;
    for page in pages {
        match page {
            Ok(r) => {
                index
                    .add_custom_record(r.url, r.digest, r.language, Some(r.meta), Some(r.filters), None)
                    .await
                    .map_err(|e| e.to_string())?;
            }
            Err((path, html)) => {
                index
                    .add_html_file(Some(path), None, html)
                    .await
                    .map_err(|e| e.to_string())?;
            }
        }
    }
    index.get_files().await.map_err(|e| e.to_string())
}

/// The list of a language's word index chunks, for search.js (which asks for the chunk a
/// query needs while pagefind's WASM is still on its way, as pagefind's WASM would pick it):
/// `[[first word, last word, file]…]` in the bundle, as the metadata lists them.
pub fn chunk_list(lang: &str) -> String {
    format!("chunks.{}.json", lang.to_lowercase())
}

/// The parts of pagefind's bundle casebook uses: the search API, the entry file and the
/// per-language data (with casebook's lists of chunks). Not its ready-made UIs, the
/// playground, or the web worker (search.js searches on the page's own thread: for a
/// curriculum-sized index it is as quick, and a phone downloads 12 KB less).
fn wanted(name: &str) -> bool {
    matches!(name, "pagefind.js" | "pagefind-entry.json")
        || (name.starts_with("chunks.") && name.ends_with(".json"))
        || name.starts_with("fragment/")
        || name.starts_with("index/")
        || name.starts_with("filter/")
        || (name.starts_with("pagefind.") && name.ends_with(".pf_meta"))
        || (name.starts_with("wasm.") && name.ends_with(".pagefind"))
}

/// Whether a file of pagefind's bundle depends on the pages (casebook's writer makes these),
/// rather than being pagefind's script, WASM or UI.
fn index_file(name: &str) -> bool {
    name == "pagefind-entry.json"
        || name.starts_with("fragment/")
        || name.starts_with("index/")
        || name.starts_with("filter/")
        || name.ends_with(".pf_meta")
}

/// `en_3f2a…` → `en`. Pagefind names every per-language file after its language.
fn language_of(name: &str) -> &str {
    let name = Path::new(name)
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or(name);
    name.split('_').next().unwrap_or_default()
}

/// The languages a non-fragment bundle file belongs to (none for the shared files).
fn languages_of(name: &str) -> Vec<String> {
    let data = name
        .strip_prefix("index/")
        .or_else(|| name.strip_prefix("filter/"))
        .or_else(|| name.strip_prefix("pagefind."))
        .filter(|rest| {
            [".pf_index", ".pf_filter", ".pf_meta"]
                .iter()
                .any(|e| rest.ends_with(e))
        });
    if let Some(rest) = data {
        return vec![language_of(rest).to_string()];
    }
    if let Some(lang) = name
        .strip_prefix("chunks.")
        .and_then(|n| n.strip_suffix(".json"))
    {
        return vec![lang.to_string()];
    }
    if let Some(lang) = name
        .strip_prefix("wasm.")
        .and_then(|n| n.strip_suffix(".pagefind"))
        .filter(|l| *l != "unknown")
    {
        return vec![lang.to_string()];
    }
    Vec::new()
}

/// The page a fragment describes: its `url`, as a site path without the leading slash.
fn fragment_url(gzipped: &[u8]) -> Option<String> {
    let value = fragment(gzipped)?;
    let url = value.get("url")?.as_str()?;
    Some(url.trim_start_matches('/').to_string())
}

/// A fragment file's data: gzipped JSON after pagefind's `pagefind_dcd` mark.
fn fragment(gzipped: &[u8]) -> Option<serde_json::Value> {
    let mut text = Vec::new();
    flate2::read::GzDecoder::new(gzipped)
        .read_to_end(&mut text)
        .ok()?;
    let json = text.strip_prefix(b"pagefind_dcd".as_slice())?;
    serde_json::from_slice(json).ok()
}

/// The `lang` of a page's `<html>` element.
fn html_lang(html: &str) -> Option<String> {
    let tag = &html[html.find("<html")?..];
    let tag = &tag[..tag.find('>')?];
    let value = &tag[tag.find("lang=")? + 5..];
    let value = value.trim_start_matches(['"', '\'']);
    let end = value.find(['"', '\'', ' ', '>']).unwrap_or(value.len());
    Some(value[..end].to_string())
}

/// What pagefind needs of a page: its language and its `<main>`, without the header, menus
/// and footer around it (a third of the bytes to parse), with what `before` gives for the
/// `<main>` put before its content.
fn slim(html: &str, lang: &str, before: impl FnOnce(&str) -> Option<String>) -> String {
    let main = html.find("<main").and_then(|start| {
        html[start..]
            .find("</main>")
            .map(|end| &html[start..start + end + 7])
    });
    let Some(main) = main else {
        return html.to_string();
    };
    match (before(main), main.find('>')) {
        (Some(words), Some(open)) => format!(
            "<html lang=\"{lang}\"><body>{}{words}{}</body></html>",
            &main[..=open],
            &main[open + 1..]
        ),
        _ => format!("<html lang=\"{lang}\"><body>{main}</body></html>"),
    }
}

#[cfg(test)]
mod tests;
