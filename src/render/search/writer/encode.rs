//! The word map merged across pages and cut into chunks, and the CBOR encoding of chunks,
//! filters and metadata as pagefind writes them.

use super::*;

/// The pages a word is on: (page number, positions, meta positions).
pub(super) type PageList = Vec<(usize, Vec<i32>, Vec<i32>)>;

/// A word with the pages it is on, and per form with diacritics the same.
#[derive(Default)]
pub(super) struct Word {
    pub(super) word: String,
    pub(super) pages: PageList,
    pub(super) variants: Vec<(String, PageList)>,
}

/// One shard's words from a batch of pages (in page order), merged into the shard's map.
pub(super) fn merge(words: &mut HashMap<String, Word>, pages: Vec<(usize, ShardWords)>) {
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
pub(super) fn renumber(word: &mut Word, field_ids: &[Vec<i32>]) {
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
pub(super) fn chunk(words: Vec<Word>, size: usize) -> Vec<Vec<Word>> {
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
pub(super) fn chunk_ranges(chunks: &[Vec<Word>]) -> Vec<(String, String)> {
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

pub(super) type Encoder = minicbor::Encoder<Vec<u8>>;

/// Page lists are written with each page number as the step from the one before.
pub(super) fn encode_pages(e: &mut Encoder, pages: &PageList) {
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
pub(super) fn encode_chunk(words: Vec<Word>) -> Vec<u8> {
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
pub(super) fn encode_filter(filter: &str, values: BTreeMap<String, Vec<usize>>) -> Vec<u8> {
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
pub(super) fn encode_meta(
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
