//! casebook's own writer of pagefind 1.6's index files: one language's [`Record`]s in, the
//! same fragments, word index chunks, filters, metadata and entry that pagefind's
//! `add_custom_record` + `get_files` would write for them, byte for byte (file names too,
//! which hold hashes of the contents), so pagefind's script and WASM read them as their own.
//!
//! Why not pagefind's API: it takes one page at a time behind one lock (a language's pages
//! are read strictly one after another), copies every page's words twice and looks for a
//! duplicate URL in the whole list for each page. Here each page is read on its own rayon
//! thread, the word → pages map is merged in shards side by side, and chunks and fragments
//! are encoded and compressed in parallel.
//!
//! The rules are pagefind 1.6's (`fossick/mod.rs`, `fossick/splitting.rs`, `index/mod.rs`,
//! `output/mod.rs`), for records (not HTML) and pagefind's default options, built without
//! its `extended` feature (no word segmenter). The tests in `search.rs` compare the two on
//! whole sites and on a set of awkward records; a change of pagefind's version must pass
//! them again.

use std::collections::BTreeMap;
use std::hash::BuildHasher;
use std::sync::{LazyLock, Mutex};

use convert_case::{Case, Casing};
use hashbrown::HashMap;
use pagefind_stem::{Algorithm, Stemmer};
use rayon::prelude::*;
use regex::Regex;
use serde::Serialize;
use sha1::{Digest, Sha1};
use unicode_normalization::UnicodeNormalization;
use unicode_segmentation::UnicodeSegmentation;

use super::record::Record;

mod encode;
mod pages;
mod words;

use encode::*;
use pages::*;
use words::*;

/// The version pagefind writes into its metadata and entry file (its script checks it).
pub const PAGEFIND_VERSION: &str = "1.6.0";

/// Characters pagefind keeps inside words (Unicode's connector punctuation); also listed in
/// the entry file, for the script to split queries alike.
const WORD_SYMBOLS: [char; 10] = ['_', '‿', '⁀', '⁔', '︳', '︴', '﹍', '﹎', '﹏', '＿'];

/// Languages pagefind ships a WASM build with a stemmer for (`wasm.<language>.pagefind`).
const WASM_LANGUAGES: &[&str] = &[
    "ar", "ca", "da", "de", "el", "en", "eo", "es", "et", "eu", "fi", "fr", "ga", "hi", "hu",
    "hy", "id", "it", "lt", "nb", "ne", "nl", "nn", "no", "pl", "pt", "ro", "ru", "sr", "sv",
    "ta", "tr", "yi",
];

/// A word's weight when nothing sets it: 1, times pagefind's multiplier of 24. Positions at
/// another weight are marked in the index.
const PLAIN_WEIGHT: u8 = 24;
/// The weight pagefind's position lists start at (its "weight 1" in the encoded lists).
const LIST_WEIGHT: u8 = 25;

/// Shards of the word map, merged side by side.
const SHARDS: usize = 64;
/// Pages read before their words are merged into the word map.
const BATCH: usize = 512;

/// One language's files, as pagefind would write them.
#[derive(Debug, Default)]
pub struct LanguageFiles {
    pub language: String,
    /// Path in the bundle (`fragment/en_1a2b3c4.pf_fragment`), gzipped contents, and for a
    /// fragment the URL of its page.
    pub files: Vec<(String, Vec<u8>, Option<String>)>,
    /// The metadata file's hash (`en_…`), as the entry file names it.
    pub hash: String,
    pub page_count: usize,
    /// Each word index chunk's first and last word (as the metadata holds them) and file.
    pub chunks: Vec<(String, String, String)>,
}

impl LanguageFiles {
    /// The language's WASM build, if pagefind has one with a stemmer for it.
    pub fn wasm(&self) -> Option<String> {
        wasm(&self.language)
    }
}

/// The WASM build pagefind's script loads for `language` (as the index names it), if
/// pagefind has one with a stemmer for it; else it loads `unknown`.
pub fn wasm(language: &str) -> Option<String> {
    let base = language.split('-').next().unwrap_or_default();
    (language != "unknown" && WASM_LANGUAGES.contains(&base)).then(|| language.to_string())
}

/// `pagefind-entry.json` for these languages, as pagefind writes it.
pub fn entry(bundles: &[&LanguageFiles]) -> Vec<u8> {
    #[derive(Serialize)]
    struct Entry {
        version: &'static str,
        languages: BTreeMap<String, Language>,
        include_characters: Vec<char>,
    }
    #[derive(Serialize)]
    struct Language {
        hash: String,
        wasm: Option<String>,
        page_count: usize,
    }
    let entry = Entry {
        version: PAGEFIND_VERSION,
        languages: bundles
            .iter()
            .map(|b| {
                let language = Language {
                    hash: b.hash.clone(),
                    wasm: b.wasm(),
                    page_count: b.page_count,
                };
                (b.language.clone(), language)
            })
            .collect(),
        include_characters: WORD_SYMBOLS.to_vec(),
    };
    serde_json::to_vec(&entry).expect("plain data serializes")
}

/// Writes one language's records. Records with the same URL count once, in the first one's
/// place with the last one's content (as pagefind replaces a page added again); records
/// without a word to index are left out. Word index chunks hold [`chunk_size`] positions.
pub fn write(language: &str, records: Vec<Record>) -> LanguageFiles {
    write_in_batches(language, records, BATCH, chunk_size())
}

/// [`write`], reading `batch` pages at a time (tests try other sizes), with chunks of
/// `positions` positions each (tests compare with pagefind's own size).
pub(super) fn write_in_batches(
    language: &str,
    records: Vec<Record>,
    batch: usize,
    positions: usize,
) -> LanguageFiles {
    let mut slots: Vec<Option<Record>> = Vec::with_capacity(records.len());
    let mut seen: HashMap<String, usize> = HashMap::with_capacity(records.len());
    for record in records {
        match seen.get(&record.url) {
            Some(&i) => slots[i] = Some(record),
            None => {
                seen.insert(record.url.clone(), slots.len());
                slots.push(Some(record));
            }
        }
    }
    drop(seen);
    let stemmer = stemmer(language);
    let shards = hashbrown::DefaultHashBuilder::default();
    // One cache of known words per thread of the pool (a page is read without waiting on
    // another, so a thread's lock is never contended).
    let known: Vec<Mutex<Known>> = (0..rayon::current_num_threads())
        .map(|_| Mutex::default())
        .collect();
    // Pages are read a batch at a time, each batch merged into the word map before the next
    // is read: only a batch's words are held page by page.
    let mut records = slots.into_iter().flatten();
    let mut word_map: Vec<HashMap<String, Word>> = (0..SHARDS).map(|_| HashMap::new()).collect();
    let mut page_fields: Vec<Vec<String>> = Vec::new();
    let mut meta_pages = Vec::new();
    let mut files = Vec::new();
    let mut taken: HashMap<String, String> = HashMap::new();
    let mut filters: BTreeMap<String, BTreeMap<String, Vec<usize>>> = BTreeMap::new();
    loop {
        let batch: Vec<Record> = records.by_ref().take(batch).collect();
        if batch.is_empty() {
            break;
        }
        let pages: Vec<Page> = batch
            .into_par_iter()
            .map(|record| {
                let thread = rayon::current_thread_index().unwrap_or(0) % known.len();
                let mut known = known[thread].lock().unwrap_or_else(|e| e.into_inner());
                read_page(record, stemmer.as_ref(), language, &mut known, &shards)
            })
            .filter(|page| !page.words.is_empty())
            .collect();
        // Fragments are named in page order (a clash of short hashes takes a longer one).
        let mut by_shard: Vec<Vec<(usize, ShardWords)>> =
            (0..SHARDS).map(|_| Vec::with_capacity(pages.len())).collect();
        for page in pages {
            let number = meta_pages.len();
            let mut end = language.len() + 8;
            while let Some(other) = taken.get(&page.hash[..end]) {
                if *other == page.hash || end >= page.hash.len() {
                    break;
                }
                end += 1;
            }
            let short = page.hash[..end].to_string();
            taken.insert(short.clone(), page.hash);
            meta_pages.push((short.clone(), page.word_count as u32));
            files.push((format!("fragment/{short}.pf_fragment"), page.fragment, Some(page.url)));
            for (filter, values) in page.filters {
                let values_of = filters.entry(filter).or_default();
                for value in values {
                    values_of.entry(value).or_default().push(number);
                }
            }
            page_fields.push(page.fields);
            for (shard, words) in by_shard.iter_mut().zip(page.words) {
                shard.push((number, words));
            }
        }
        word_map
            .par_iter_mut()
            .zip(by_shard)
            .for_each(|(map, pages)| merge(map, pages));
    }
    drop(taken);

    // Meta fields are numbered by their place among every page's fields: the meta positions
    // are renumbered from each page's own numbering.
    let mut fields: Vec<String> = page_fields.iter().flatten().cloned().collect();
    fields.sort();
    fields.dedup();
    let field_ids: Vec<Vec<i32>> = page_fields
        .iter()
        .map(|own| {
            own.iter()
                .map(|f| fields.binary_search(f).expect("listed") as i32)
                .collect()
        })
        .collect();
    drop(page_fields);
    let mut words: Vec<Word> = word_map
        .into_par_iter()
        .flat_map_iter(|map| {
            map.into_iter().map(|(word, mut w)| {
                w.word = word;
                renumber(&mut w, &field_ids);
                w
            })
        })
        .collect();
    words.par_sort_unstable_by(|a, b| a.word.cmp(&b.word));
    let chunks = chunk(words, positions);
    let ranges = chunk_ranges(&chunks);
    let encoded: Vec<(Vec<u8>, String)> = chunks
        .into_par_iter()
        .map(|chunk| {
            let cbor = encode_chunk(chunk);
            let hash = format!("{language}_{}", loose_hex(&cbor));
            (gzip(&cbor), hash)
        })
        .collect();
    let mut index_chunks = Vec::with_capacity(encoded.len());
    let mut names = hashbrown::HashSet::new();
    for ((gzipped, hash), (from, to)) in encoded.into_iter().zip(ranges) {
        let short = unclash(&hash, language, &names);
        names.insert(short.clone());
        files.push((format!("index/{short}.pf_index"), gzipped, None));
        index_chunks.push((from, to, short));
    }
    let chunk_files = index_chunks
        .iter()
        .map(|(from, to, short)| (from.clone(), to.clone(), format!("index/{short}.pf_index")))
        .collect();

    let encoded: Vec<(String, Vec<u8>, String)> = filters
        .into_par_iter()
        .map(|(filter, values)| {
            let cbor = encode_filter(&filter, values);
            let hash = format!("{language}_{}", loose_hex(&cbor));
            (filter, gzip(&cbor), hash)
        })
        .collect();
    let mut names = hashbrown::HashSet::new();
    let mut meta_filters = Vec::with_capacity(encoded.len());
    for (filter, gzipped, hash) in encoded {
        let short = unclash(&hash, language, &names);
        names.insert(short.clone());
        files.push((format!("filter/{short}.pf_filter"), gzipped, None));
        meta_filters.push((filter, short));
    }

    let page_count = meta_pages.len();
    let meta = encode_meta(&meta_pages, &index_chunks, &meta_filters, &fields);
    // The metadata's hash is cut after as many hex digits as the language has letters,
    // plus eight: pagefind slices the bare digest at the prefixed length.
    let hex = loose_hex(&meta);
    let hash = format!("{language}_{}", &hex[..(language.len() + 8).min(hex.len())]);
    files.push((format!("pagefind.{hash}.pf_meta"), gzip(&meta), None));
    LanguageFiles {
        language: language.to_string(),
        files,
        hash,
        page_count,
        chunks: chunk_files,
    }
}

/// How many positions a word index chunk holds before the next one starts: pagefind's
/// `PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE` where it is set, else a quarter of pagefind's own
/// default. A query loads the chunk of each of its words: on a phone at 400 kbps a
/// chunk of pagefind's size (about 30 KB for the bundled curriculum) took 1.1 s, a quarter
/// of it (about 8 KB) 0.5 s; an offline copy holds every chunk either way.
pub fn chunk_size() -> usize {
    std::env::var("PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(PAGEFIND_CHUNK_SIZE / 4)
}

/// pagefind's default size of a word index chunk, in positions.
pub const PAGEFIND_CHUNK_SIZE: usize = 20000;

/// A word index chunk's or filter's short name: the language and 7 hex digits, two more at a
/// time while it clashes with one already taken (pagefind's rule for these two kinds).
fn unclash(hash: &str, language: &str, taken: &hashbrown::HashSet<String>) -> String {
    let mut end = language.len() + 8;
    while taken.contains(&hash[..end]) {
        end = (end + 2).min(hash.len());
        if end == hash.len() {
            break;
        }
    }
    hash[..end].to_string()
}

/// pagefind's hash: SHA-1, each byte in hex *without* its leading zero (`0a` → `a`), so the
/// text is 20 to 40 digits long.
fn loose_hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    let digest = Sha1::digest(bytes);
    let mut hex = String::with_capacity(40);
    for b in digest {
        let _ = write!(hex, "{b:x}");
    }
    hex
}

/// pagefind's file encoding: its `pagefind_dcd` mark and the data, gzipped at the best level,
/// as flate2's `GzEncoder` writes it: a bare header (no name, no time, best level, unknown
/// system), the deflated data, its CRC-32 and length. Each thread keeps one compressor and
/// resets it for the next file: making a new one zeroes a third of a megabyte of tables,
/// which took longer than compressing a page's fragment.
fn gzip(data: &[u8]) -> Vec<u8> {
    use flate2::{Compress, Compression, Crc, FlushCompress, Status};
    const HEADER: [u8; 10] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 2, 255];
    const MARK: &[u8] = b"pagefind_dcd";
    thread_local! {
        static DEFLATE: std::cell::RefCell<Compress> =
            std::cell::RefCell::new(Compress::new(Compression::best(), false));
    }
    let mut out = Vec::with_capacity(HEADER.len() + data.len() / 2 + 64);
    out.extend_from_slice(&HEADER);
    DEFLATE.with_borrow_mut(|deflate| {
        deflate.reset();
        for (mut input, flush) in [(MARK, FlushCompress::None), (data, FlushCompress::Finish)] {
            loop {
                let before = deflate.total_in();
                let status = deflate
                    .compress_vec(input, &mut out, flush)
                    .expect("deflating into memory cannot fail");
                input = &input[(deflate.total_in() - before) as usize..];
                let done = match flush {
                    FlushCompress::Finish => status == Status::StreamEnd,
                    _ => input.is_empty(),
                };
                if done {
                    break;
                }
                out.reserve(out.capacity().max(256));
            }
        }
    });
    let mut crc = Crc::new();
    crc.update(MARK);
    crc.update(data);
    out.extend_from_slice(&crc.sum().to_le_bytes());
    out.extend_from_slice(&crc.amount().to_le_bytes());
    out
}

/// pagefind's stemmer for a language (by the part before a `-`), if it has one.
fn stemmer(language: &str) -> Option<Stemmer> {
    let algorithm = match language.split('-').next().unwrap_or_default() {
        "ar" => Algorithm::Arabic,
        "hy" => Algorithm::Armenian,
        "eu" => Algorithm::Basque,
        "ca" => Algorithm::Catalan,
        "da" => Algorithm::Danish,
        "nl" => Algorithm::Dutch,
        "en" => Algorithm::English,
        "eo" => Algorithm::Esperanto,
        "et" => Algorithm::Estonian,
        "fi" => Algorithm::Finnish,
        "fr" => Algorithm::French,
        "de" => Algorithm::German,
        "el" => Algorithm::Greek,
        "hi" => Algorithm::Hindi,
        "hu" => Algorithm::Hungarian,
        "id" => Algorithm::Indonesian,
        "ga" => Algorithm::Irish,
        "it" => Algorithm::Italian,
        "lt" => Algorithm::Lithuanian,
        "nb" | "nn" | "no" => Algorithm::Norwegian,
        "ne" => Algorithm::Nepali,
        "pt" => Algorithm::Portuguese,
        "ro" => Algorithm::Romanian,
        "ru" => Algorithm::Russian,
        "sr" => Algorithm::Serbian,
        "pl" => Algorithm::Polish,
        "es" => Algorithm::Spanish,
        "sv" => Algorithm::Swedish,
        "ta" => Algorithm::Tamil,
        "tr" => Algorithm::Turkish,
        "yi" => Algorithm::Yiddish,
        _ => return None,
    };
    Some(Stemmer::create(algorithm))
}

// ---------------------------------------------------------------------------------------
// Reading one page.
