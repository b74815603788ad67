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
}

impl LanguageFiles {
    /// The language's WASM build, if pagefind has one with a stemmer for it.
    pub fn wasm(&self) -> Option<String> {
        let base = self.language.split('-').next().unwrap_or_default();
        (self.language != "unknown" && WASM_LANGUAGES.contains(&base))
            .then(|| self.language.clone())
    }
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
/// without a word to index are left out.
pub fn write(language: &str, records: Vec<Record>) -> LanguageFiles {
    write_in_batches(language, records, BATCH)
}

/// [`write`], reading `batch` pages at a time (tests try other sizes).
pub(super) fn write_in_batches(language: &str, records: Vec<Record>, batch: usize) -> LanguageFiles {
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
    let chunks = chunk(words, chunk_size());
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
    }
}

/// pagefind's `PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE`, or its default: how many positions a word
/// index chunk holds before the next one starts.
fn chunk_size() -> usize {
    std::env::var("PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20000)
}

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

/// A word's positions on one page, as (position, weight).
type Positions = Vec<(u32, u8)>;

/// One word on one page: packed position lists, ready for the index.
#[derive(Debug, Default)]
struct OnPage {
    /// Positions of the word as written (without diacritics to strip), and in the meta.
    plain: Option<(Vec<i32>, Vec<i32>)>,
    /// Forms with diacritics: the form, its positions and its meta positions.
    variants: Vec<(String, Vec<i32>, Vec<i32>)>,
}

/// A page's words in one shard of the word map.
type ShardWords = Vec<(String, OnPage)>;

/// What a page gives the index.
struct Page {
    url: String,
    /// The fragment file, gzipped.
    fragment: Vec<u8>,
    /// `<language>_<hash of the fragment's JSON>`.
    hash: String,
    word_count: usize,
    filters: BTreeMap<String, Vec<String>>,
    /// The page's meta fields, sorted (their numbers in the meta positions).
    fields: Vec<String>,
    /// The page's words by shard; empty when the page has no word to index.
    words: Vec<ShardWords>,
}

/// A word's positions on a page while it is read: as written, and per form with diacritics.
#[derive(Default)]
struct Found {
    plain: Positions,
    variants: BTreeMap<String, Positions>,
}

impl Found {
    fn add(&mut self, original: Option<&String>, at: (u32, u8)) {
        match original {
            None => self.plain.push(at),
            Some(form) => match self.variants.get_mut(form) {
                Some(positions) => positions.push(at),
                None => {
                    self.variants.insert(form.clone(), vec![at]);
                }
            },
        }
    }
}

/// Words already taken apart on this thread: a word as written → what it is indexed as
/// (most words of a site come back on page after page; stemming is the costly part).
type Known = HashMap<String, Vec<Indexable>>;

/// A word's meta positions on a page: (field, position), as written and per variant.
#[derive(Default)]
struct FoundMeta {
    plain: Vec<(u16, u32)>,
    variants: BTreeMap<String, Vec<(u16, u32)>>,
}

/// An anchor in the text (pagefind's `___PAGEFIND_ANCHOR___` mark), kept in the fragment.
#[derive(Serialize)]
struct Anchor {
    element: String,
    id: String,
    text: String,
    location: u32,
}

/// The fragment's JSON, in pagefind's field order.
#[derive(Serialize)]
struct Fragment<'a> {
    url: &'a str,
    content: &'a str,
    word_count: usize,
    filters: &'a BTreeMap<String, Vec<String>>,
    meta: &'a BTreeMap<String, String>,
    anchors: &'a [Anchor],
}

fn read_page(
    record: Record,
    stemmer: Option<&Stemmer>,
    language: &str,
    known: &mut Known,
    shards: &hashbrown::DefaultHashBuilder,
) -> Page {
    let Record {
        url,
        digest,
        meta,
        filters,
        ..
    } = record;
    let text = read_text(&digest, stemmer, known);
    drop(digest);
    // pagefind's private marks are taken out of meta and filters once the text is read.
    let meta: BTreeMap<String, String> = meta
        .into_iter()
        .map(|(k, v)| (k, without_marks(v)))
        .collect();
    let filters: BTreeMap<String, Vec<String>> = filters
        .into_iter()
        .map(|(k, vs)| (k, vs.into_iter().map(without_marks).collect()))
        .collect();
    let json = serde_json::to_string(&Fragment {
        url: &url,
        content: &text.content,
        word_count: text.word_count,
        filters: &filters,
        meta: &meta,
        anchors: &text.anchors,
    })
    .expect("plain data serializes");
    let hash = format!("{language}_{}", loose_hex(json.as_bytes()));
    let fragment = gzip(json.as_bytes());
    drop(json);
    if text.words.is_empty() {
        return Page {
            url,
            fragment,
            hash,
            word_count: text.word_count,
            filters,
            fields: Vec::new(),
            words: Vec::new(),
        };
    }

    let mut meta_words: HashMap<String, FoundMeta> = HashMap::new();
    for (field, value) in meta.values().enumerate() {
        for (position, word) in value.split_whitespace().enumerate() {
            for w in indexable_words(word, stemmer) {
                let found = meta_words.entry(w.stemmed).or_default();
                let at = (field as u16, position as u32);
                match w.original {
                    None => found.plain.push(at),
                    Some(form) => found.variants.entry(form).or_default().push(at),
                }
            }
        }
    }

    let mut words: Vec<ShardWords> = (0..SHARDS).map(|_| Vec::new()).collect();
    let mut text_words = text.words;
    let mut place = |word: String, on: OnPage| {
        let shard = (shards.hash_one(&word) % SHARDS as u64) as usize;
        words[shard].push((word, on));
    };
    for (word, found) in text_words.drain() {
        let mut on = OnPage {
            plain: (!found.plain.is_empty()).then(|| (pack(found.plain), Vec::new())),
            variants: found
                .variants
                .into_iter()
                .map(|(form, at)| (form, pack(at), Vec::new()))
                .collect(),
        };
        if let Some(m) = meta_words.remove(&word) {
            add_meta(&mut on, m);
        }
        place(word, on);
    }
    for (word, m) in meta_words {
        let mut on = OnPage::default();
        add_meta(&mut on, m);
        place(word, on);
    }
    Page {
        url,
        fragment,
        hash,
        word_count: text.word_count,
        filters,
        fields: meta.into_keys().collect(),
        words,
    }
}

/// Adds a word's meta positions to its positions on the page: the meta list of the plain
/// form, and of each variant (a variant only in the meta comes after those in the text).
fn add_meta(on: &mut OnPage, meta: FoundMeta) {
    if !meta.plain.is_empty() {
        let locs = pack_meta(meta.plain);
        match &mut on.plain {
            Some((_, m)) => *m = locs,
            None => on.plain = Some((Vec::new(), locs)),
        }
    }
    for (form, at) in meta.variants {
        let locs = pack_meta(at);
        match on.variants.iter_mut().find(|(f, _, _)| *f == form) {
            Some((_, _, m)) => *m = locs,
            None => on.variants.push((form, Vec::new(), locs)),
        }
    }
}

/// A page's positions as pagefind lists them: the ones at the usual weight first, then by
/// weight; each a step from the one before, and a change of weight written as `-(weight+1)`
/// followed by the position itself.
fn pack(mut at: Positions) -> Vec<i32> {
    at.sort_by_key(|&(position, weight)| {
        (if weight == LIST_WEIGHT { 0 } else { weight }, position)
    });
    let mut out = Vec::with_capacity(at.len());
    let mut weight_now = LIST_WEIGHT;
    let mut last = 0;
    for (position, weight) in at {
        if weight != weight_now {
            out.push(-(weight as i32) - 1);
            out.push(position as i32);
            weight_now = weight;
        } else {
            out.push((position - last) as i32);
        }
        last = position;
    }
    out
}

/// Meta positions as pagefind lists them: by field, a field written as `-(field+1)` (the
/// page's own numbering here, renumbered at the merge), then steps between positions.
fn pack_meta(mut at: Vec<(u16, u32)>) -> Vec<i32> {
    at.sort_unstable();
    let mut out = Vec::with_capacity(at.len() + 8);
    let mut field_now = None;
    let mut last = 0;
    for (field, position) in at {
        if field_now != Some(field) {
            out.push(-(field as i32) - 1);
            field_now = Some(field);
            last = 0;
        }
        out.push((position - last) as i32);
        last = position;
    }
    out
}

/// A page's text as pagefind reads a record's content.
struct Text {
    content: String,
    words: HashMap<String, Found>,
    anchors: Vec<Anchor>,
    word_count: usize,
}

/// Splits the text at white space; each word is indexed with its parts (`foo-bar`: also
/// `foo` and `bar`), at the weight of the marks around it (`___PAGEFIND_AUTO_WEIGHT___7 …
/// ___END_PAGEFIND_WEIGHT___`, which casebook's reader puts around headings).
fn read_text(digest: &str, stemmer: Option<&Stemmer>, known: &mut Known) -> Text {
    let mut content = String::with_capacity(digest.len());
    let mut words: HashMap<String, Found> = HashMap::new();
    let mut anchors = Vec::new();
    let mut weights: Vec<u8> = vec![PLAIN_WEIGHT];
    let mut position: u32 = 0;
    let mut last_position: u32 = 0;
    for word in digest.split_whitespace() {
        if word.starts_with('_') {
            if word.starts_with("___PAGEFIND_ANCHOR___") {
                let rest = word.replace("___PAGEFIND_ANCHOR___", "");
                if let Some((element, anchor)) = rest.split_once(':')
                    && let Some((_, id)) = anchor.split_once(':')
                {
                    anchors.push(Anchor {
                        element: element.to_string(),
                        id: id.to_string(),
                        text: String::new(),
                        location: position,
                    });
                }
                continue;
            }
            if word.starts_with("___PAGEFIND_WEIGHT___") {
                let weight: f32 = word
                    .replace("___PAGEFIND_WEIGHT___", "")
                    .parse()
                    .unwrap_or(1.0);
                weights.push(if weight <= 0.0 {
                    0
                } else {
                    ((weight.clamp(0.0, 10.0) * 24.0) as u8).max(1)
                });
                continue;
            }
            if word.starts_with("___PAGEFIND_AUTO_WEIGHT___") {
                // Only outside an explicit weight, which wins.
                if weights.len() == 1 {
                    let weight: f32 = word
                        .replace("___PAGEFIND_AUTO_WEIGHT___", "")
                        .parse()
                        .unwrap_or(1.0);
                    weights.push((weight.clamp(0.0, 10.0) * 24.0) as u8);
                } else {
                    weights.push(weights.last().copied().unwrap_or_default());
                }
                continue;
            }
            if word.starts_with("___END_PAGEFIND_WEIGHT___") {
                weights.pop();
                continue;
            }
        }
        let stripped;
        // U+200B is E2 80 8B: most words have no E2 byte, found sooner than the character.
        let word = if word.as_bytes().contains(&0xE2) && word.contains('\u{200B}') {
            stripped = word.replace('\u{200B}', "");
            if stripped.is_empty() {
                continue;
            }
            stripped.as_str()
        } else {
            word
        };
        content.push_str(word);
        content.push(' ');
        let weight = weights.last().copied().unwrap_or(1);
        let indexable: &[Indexable] = known.entry_ref(word).or_insert_with(|| {
            let mut indexable = indexable_words(word, stemmer);
            let tails = dotted_tails(word, stemmer, &indexable);
            indexable.extend(tails);
            indexable
        });
        let parts = indexable.iter().filter(|w| w.part).count();
        let part_weight = if parts > 0 && weight > 0 {
            (weight / u8::try_from(parts).unwrap_or(u8::MAX)).max(1)
        } else {
            0
        };
        for w in indexable {
            let at = (position, if w.part { part_weight } else { weight });
            match words.get_mut(&w.stemmed) {
                Some(found) => found.add(w.original.as_ref(), at),
                None => {
                    let mut found = Found::default();
                    found.add(w.original.as_ref(), at);
                    words.insert(w.stemmed.clone(), found);
                }
            }
        }
        last_position = position;
        position += 1;
    }
    if content.ends_with(' ') {
        content.pop();
    }
    Text {
        content,
        words,
        anchors,
        word_count: last_position as usize + 1,
    }
}

/// `___PAGEFIND_…` marks taken out of a meta or filter value.
fn without_marks(value: String) -> String {
    static MARK: LazyLock<Regex> =
        LazyLock::new(|| Regex::new("___PAGEFIND_[\\S]+\\s?").expect("a valid pattern"));
    if !value.contains("___PAGEFIND_") {
        return value;
    }
    match MARK.replace_all(&value, "") {
        std::borrow::Cow::Borrowed(_) => value,
        std::borrow::Cow::Owned(s) => s,
    }
}

// ---------------------------------------------------------------------------------------
// Words.

/// A word to index: its stemmed, diacritic-free form, the form as written when that had
/// diacritics, and whether it is a part of a longer word (parts share the word's weight).
#[derive(Debug)]
struct Indexable {
    stemmed: String,
    original: Option<String>,
    part: bool,
}

/// What a word as written is indexed as: the whole word (lower case, letters and digits
/// only), katakana suffixes, its parts when it is a compound (`foo-bar`, `fooBar`,
/// `foo.bar`), and its emoji.
fn indexable_words(raw: &str, stemmer: Option<&Stemmer>) -> Vec<Indexable> {
    let mut out = Vec::new();
    let normalized = normalize_word(raw);
    if !normalized.is_empty() {
        out.push(stem(&normalized, stemmer, false));
    }
    for suffix in katakana_suffixes(raw) {
        let plain = strip_diacritics(suffix);
        out.push(Indexable {
            original: plain.as_ref().map(|_| suffix.to_string()),
            stemmed: plain.unwrap_or_else(|| suffix.to_string()),
            part: true,
        });
    }
    let compound = raw.chars().any(|c| !c.is_alphanumeric())
        || raw.chars().skip(1).any(char::is_uppercase);
    if !compound {
        return out;
    }
    let parts = raw
        .replace(|c: char| c.is_ascii_punctuation(), " ")
        .to_case(Case::Lower)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if !normalized.is_empty()
        && (parts.contains(char::is_whitespace) || !normalized.starts_with(&parts))
    {
        for part in parts.split_whitespace().filter(|p| p.len() > 1) {
            out.push(stem(part, stemmer, true));
        }
    }
    static EMOJI: LazyLock<Regex> =
        LazyLock::new(|| Regex::new("\\p{Emoji}").expect("a valid pattern"));
    if EMOJI.is_match(raw) {
        for g in raw.graphemes(true) {
            if emojis::get(g).is_some() {
                out.push(Indexable {
                    stemmed: g.to_string(),
                    original: None,
                    part: false,
                });
            }
        }
    }
    out
}

/// For `a.b_c`-like words, the compound tails after each dot (`b_c`), so that the end of a
/// dotted name is found without taking it apart entirely.
fn dotted_tails(raw: &str, stemmer: Option<&Stemmer>, existing: &[Indexable]) -> Vec<Indexable> {
    let mut tails: Vec<Indexable> = Vec::new();
    if !raw.contains('.') {
        return tails;
    }
    for (i, _) in raw.match_indices('.') {
        let rest = &raw[i + 1..];
        let tail = match rest.char_indices().nth(64) {
            Some((end, _)) => &rest[..end],
            None => rest,
        };
        let compound = tail.chars().any(|c| !c.is_alphanumeric())
            || tail.chars().skip(1).any(char::is_uppercase);
        if !compound {
            continue;
        }
        let normalized = normalize_word(tail);
        if normalized.chars().count() < 2 {
            continue;
        }
        let word = stem(&normalized, stemmer, true);
        if !existing.iter().any(|w| w.stemmed == word.stemmed)
            && !tails.iter().any(|w| w.stemmed == word.stemmed)
        {
            tails.push(word);
        }
    }
    tails
}

/// Letters, digits and connector punctuation, in lower case.
fn normalize_word(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        if c.is_alphanumeric() || WORD_SYMBOLS.contains(&c) {
            let c = c.to_ascii_lowercase();
            if c.is_uppercase() {
                out.extend(c.to_lowercase());
            } else {
                out.push(c);
            }
        }
    }
    out
}

fn stem(normalized: &str, stemmer: Option<&Stemmer>, part: bool) -> Indexable {
    let plain = strip_diacritics(normalized);
    let base = plain.as_deref().unwrap_or(normalized);
    let stemmed = match stemmer {
        Some(s) => s.stem(base).into_owned(),
        None => base.to_string(),
    };
    Indexable {
        stemmed,
        original: plain.map(|_| normalized.to_string()),
        part,
    }
}

/// The word without its combining marks (`café` → `cafe`), if that differs; kana voicing
/// marks stay (and are composed again), as they tell words apart.
fn strip_diacritics(word: &str) -> Option<String> {
    if word.is_ascii() || !decomposes(word) {
        return None;
    }
    let voicing = |c: char| matches!(c, '\u{3099}' | '\u{309A}');
    let stripped: String = word
        .nfd()
        .filter(|&c| !unicode_normalization::char::is_combining_mark(c) || voicing(c))
        .collect();
    let stripped = if stripped.chars().any(voicing) {
        stripped.nfc().collect()
    } else {
        stripped
    };
    (stripped != word).then_some(stripped)
}

fn decomposes(word: &str) -> bool {
    word.chars().any(|c| {
        if unicode_normalization::char::is_combining_mark(c) {
            return true;
        }
        let mut differs = false;
        unicode_normalization::char::decompose_canonical(c, |part| differs |= part != c);
        differs
    })
}

fn is_katakana(c: char) -> bool {
    matches!(c as u32, 0x30A1..=0x30FA | 0x30FC..=0x30FF | 0x31F0..=0x31FF | 0xFF66..=0xFF9F)
}

/// Every suffix (of 2 to 16 characters) of an all-katakana word of 3 characters or more,
/// so that a query for part of a compound finds it.
fn katakana_suffixes(word: &str) -> Vec<&str> {
    if word.chars().count() < 3 || !word.chars().all(is_katakana) {
        return Vec::new();
    }
    let mut out: Vec<&str> = Vec::new();
    for (i, _) in word.char_indices().skip(1) {
        let rest = &word[i..];
        let suffix = match rest.char_indices().nth(16) {
            Some((end, _)) => &rest[..end],
            None => rest,
        };
        if suffix.chars().count() >= 2 && !out.contains(&suffix) {
            out.push(suffix);
        }
    }
    out
}

// ---------------------------------------------------------------------------------------
// The word index.

/// The pages a word is on: (page number, positions, meta positions).
type PageList = Vec<(usize, Vec<i32>, Vec<i32>)>;

/// A word with the pages it is on, and per form with diacritics the same.
#[derive(Default)]
struct Word {
    word: String,
    pages: PageList,
    variants: Vec<(String, PageList)>,
}

/// One shard's words from a batch of pages (in page order), merged into the shard's map.
fn merge(words: &mut HashMap<String, Word>, pages: Vec<(usize, ShardWords)>) {
    for (number, on_page) in pages {
        for (word, on) in on_page {
            let entry = words.entry(word).or_default();
            if let Some((locs, meta)) = on.plain {
                entry.pages.push((number, locs, meta));
            }
            for (form, locs, meta) in on.variants {
                let page = (number, locs, meta);
                match entry.variants.iter_mut().find(|(f, _)| *f == form) {
                    Some((_, pages)) => pages.push(page),
                    None => entry.variants.push((form, vec![page])),
                }
            }
        }
    }
}

/// A word's meta positions renumbered from each page's list of fields to the language's.
fn renumber(word: &mut Word, field_ids: &[Vec<i32>]) {
    let pages = word
        .pages
        .iter_mut()
        .chain(word.variants.iter_mut().flat_map(|(_, pages)| pages.iter_mut()));
    for (number, _, meta) in pages {
        let ids = &field_ids[*number];
        for l in meta.iter_mut().filter(|l| **l < 0) {
            *l = -ids[(-*l - 1) as usize] - 1;
        }
    }
}

/// Sorted words cut into chunks of about `size` positions each.
fn chunk(words: Vec<Word>, size: usize) -> Vec<Vec<Word>> {
    let mut chunks = Vec::new();
    let mut current = Vec::new();
    let mut held = 0;
    for word in words {
        held += word
            .pages
            .iter()
            .chain(word.variants.iter().flat_map(|(_, pages)| pages))
            .map(|(_, locs, meta)| locs.len() + meta.len() + 1)
            .sum::<usize>()
            + word.variants.len();
        current.push(word);
        if held >= size {
            chunks.push(std::mem::take(&mut current));
            held = 0;
        }
    }
    if !current.is_empty() {
        chunks.push(current);
    }
    chunks
}

/// Each chunk's first and last word, shortened to where neighbouring chunks differ (the
/// script picks the chunk for a query by these).
fn chunk_ranges(chunks: &[Vec<Word>]) -> Vec<(String, String)> {
    let mut ranges: Vec<(String, String)> = chunks
        .iter()
        .map(|c| {
            let first = c.first().map(|w| w.word.clone()).unwrap_or_default();
            let last = c.last().map(|w| w.word.clone()).unwrap_or_default();
            (first, last)
        })
        .collect();
    for i in 1..ranges.len() {
        let (to, from) = (&ranges[i - 1].1, &ranges[i].0);
        let common = from.chars().zip(to.chars()).take_while(|(a, b)| a == b).count();
        let to_prefix: String = to.chars().take(common + 1).collect();
        let from_prefix: String = from.chars().take(common + 1).collect();
        // A shorter end must not sort before the chunk's start.
        if to_prefix >= ranges[i - 1].0 {
            ranges[i - 1].1 = to_prefix;
        }
        ranges[i].0 = from_prefix;
    }
    ranges
}

type Encoder = minicbor::Encoder<Vec<u8>>;

/// Page lists are written with each page number as the step from the one before.
fn encode_pages(e: &mut Encoder, pages: &PageList) {
    e.array(pages.len() as u64).expect("writes to memory");
    let mut last = 0;
    for (number, locs, meta) in pages {
        e.array(3).expect("writes to memory");
        e.u64((number - last) as u64).expect("writes to memory");
        last = *number;
        e.array(locs.len() as u64).expect("writes to memory");
        for l in locs {
            e.i32(*l).expect("writes to memory");
        }
        e.array(meta.len() as u64).expect("writes to memory");
        for l in meta {
            e.i32(*l).expect("writes to memory");
        }
    }
}

/// A word index chunk: CBOR `[[[word, pages, [[form, pages]…]]…]]`.
fn encode_chunk(words: Vec<Word>) -> Vec<u8> {
    let mut e = Encoder::new(Vec::new());
    e.array(1).expect("writes to memory");
    e.array(words.len() as u64).expect("writes to memory");
    for word in &words {
        e.array(3).expect("writes to memory");
        e.str(&word.word).expect("writes to memory");
        encode_pages(&mut e, &word.pages);
        e.array(word.variants.len() as u64).expect("writes to memory");
        for (form, pages) in &word.variants {
            e.array(2).expect("writes to memory");
            e.str(form).expect("writes to memory");
            encode_pages(&mut e, pages);
        }
    }
    e.into_writer()
}

/// A filter: CBOR `[filter, [[value, [page…]]…]]`, values sorted.
fn encode_filter(filter: &str, values: BTreeMap<String, Vec<usize>>) -> Vec<u8> {
    let mut e = Encoder::new(Vec::new());
    e.array(2).expect("writes to memory");
    e.str(filter).expect("writes to memory");
    e.array(values.len() as u64).expect("writes to memory");
    for (value, pages) in &values {
        e.array(2).expect("writes to memory");
        e.str(value).expect("writes to memory");
        e.array(pages.len() as u64).expect("writes to memory");
        for p in pages {
            e.u64(*p as u64).expect("writes to memory");
        }
    }
    e.into_writer()
}

/// The metadata: CBOR `[version, pages, chunks, filters, sorts, meta fields]`.
fn encode_meta(
    pages: &[(String, u32)],
    chunks: &[(String, String, String)],
    filters: &[(String, String)],
    fields: &[String],
) -> Vec<u8> {
    let mut e = Encoder::new(Vec::new());
    e.array(6).expect("writes to memory");
    e.str(PAGEFIND_VERSION).expect("writes to memory");
    e.array(pages.len() as u64).expect("writes to memory");
    for (hash, word_count) in pages {
        e.array(3).expect("writes to memory");
        e.str(hash).expect("writes to memory");
        e.u32(*word_count).expect("writes to memory");
        e.str("").expect("writes to memory");
    }
    e.array(chunks.len() as u64).expect("writes to memory");
    for (from, to, hash) in chunks {
        e.array(3).expect("writes to memory");
        e.str(from).expect("writes to memory");
        e.str(to).expect("writes to memory");
        e.str(hash).expect("writes to memory");
    }
    e.array(filters.len() as u64).expect("writes to memory");
    for (filter, hash) in filters {
        e.array(2).expect("writes to memory");
        e.str(filter).expect("writes to memory");
        e.str(hash).expect("writes to memory");
    }
    e.array(0).expect("writes to memory");
    e.array(fields.len() as u64).expect("writes to memory");
    for f in fields {
        e.str(f).expect("writes to memory");
    }
    e.into_writer()
}
