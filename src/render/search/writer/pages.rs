//! One page read for the index: its words with their positions and weights, its filters,
//! meta and anchors, and its fragment (the excerpt data a search result shows).

use super::*;

/// A word's positions on one page, as (position, weight).
pub(super) type Positions = Vec<(u32, u8)>;

/// One word on one page: packed position lists, ready for the index.
#[derive(Debug, Default)]
pub(super) struct OnPage {
    /// Positions of the word as written (without diacritics to strip), and in the meta.
    pub(super) plain: Option<(Vec<i32>, Vec<i32>)>,
    /// Forms with diacritics: the form, its positions and its meta positions.
    pub(super) variants: Vec<(String, Vec<i32>, Vec<i32>)>,
}

/// A page's words in one shard of the word map.
pub(super) type ShardWords = Vec<(String, OnPage)>;

/// What a page gives the index.
pub(super) struct Page {
    pub(super) url: String,
    /// The fragment file, gzipped.
    pub(super) fragment: Vec<u8>,
    /// `<language>_<hash of the fragment's JSON>`.
    pub(super) hash: String,
    pub(super) word_count: usize,
    pub(super) filters: BTreeMap<String, Vec<String>>,
    /// The page's meta fields, sorted (their numbers in the meta positions).
    pub(super) fields: Vec<String>,
    /// The page's words by shard; empty when the page has no word to index.
    pub(super) words: Vec<ShardWords>,
}

/// A word's positions on a page while it is read: as written, and per form with diacritics.
#[derive(Default)]
pub(super) struct Found {
    pub(super) plain: Positions,
    pub(super) variants: BTreeMap<String, Positions>,
}

impl Found {
    pub(super) fn add(&mut self, original: Option<&String>, at: (u32, u8)) {
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
pub(super) type Known = HashMap<String, Vec<Indexable>>;

/// A word's meta positions on a page: (field, position), as written and per variant.
#[derive(Default)]
pub(super) struct FoundMeta {
    pub(super) plain: Vec<(u16, u32)>,
    pub(super) variants: BTreeMap<String, Vec<(u16, u32)>>,
}

/// An anchor in the text (pagefind's `___PAGEFIND_ANCHOR___` mark), kept in the fragment.
#[derive(Serialize)]
pub(super) struct Anchor {
    pub(super) element: String,
    pub(super) id: String,
    pub(super) text: String,
    pub(super) location: u32,
}

/// The fragment's JSON, in pagefind's field order.
#[derive(Serialize)]
pub(super) struct Fragment<'a> {
    pub(super) url: &'a str,
    pub(super) content: &'a str,
    pub(super) word_count: usize,
    pub(super) filters: &'a BTreeMap<String, Vec<String>>,
    pub(super) meta: &'a BTreeMap<String, String>,
    pub(super) anchors: &'a [Anchor],
}

pub(super) fn read_page(
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
pub(super) fn add_meta(on: &mut OnPage, meta: FoundMeta) {
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
pub(super) fn pack(mut at: Positions) -> Vec<i32> {
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
pub(super) fn pack_meta(mut at: Vec<(u16, u32)>) -> Vec<i32> {
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
