//! Words as pagefind 1.6 splits, normalises and stems them, with the forms it also
//! indexes (diacritics stripped, compounds and dotted words in parts, katakana suffixes).

use super::*;

/// A page's text as pagefind reads a record's content.
pub(super) struct Text {
    pub(super) content: String,
    pub(super) words: HashMap<String, Found>,
    pub(super) anchors: Vec<Anchor>,
    pub(super) word_count: usize,
}

/// Splits the text at white space; each word is indexed with its parts (`foo-bar`: also
/// `foo` and `bar`), at the weight of the marks around it (`___PAGEFIND_AUTO_WEIGHT___7 …
/// ___END_PAGEFIND_WEIGHT___`, which casebook's reader puts around headings).
pub(super) fn read_text(digest: &str, stemmer: Option<&Stemmer>, known: &mut Known) -> Text {
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
pub(super) fn without_marks(value: String) -> String {
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
pub(super) struct Indexable {
    pub(super) stemmed: String,
    pub(super) original: Option<String>,
    pub(super) part: bool,
}

/// What a word as written is indexed as: the whole word (lower case, letters and digits
/// only), katakana suffixes, its parts when it is a compound (`foo-bar`, `fooBar`,
/// `foo.bar`), and its emoji.
pub(super) fn indexable_words(raw: &str, stemmer: Option<&Stemmer>) -> Vec<Indexable> {
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
pub(super) fn dotted_tails(raw: &str, stemmer: Option<&Stemmer>, existing: &[Indexable]) -> Vec<Indexable> {
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
pub(super) fn normalize_word(raw: &str) -> String {
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

pub(super) fn stem(normalized: &str, stemmer: Option<&Stemmer>, part: bool) -> Indexable {
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
pub(super) fn strip_diacritics(word: &str) -> Option<String> {
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

pub(super) fn decomposes(word: &str) -> bool {
    word.chars().any(|c| {
        if unicode_normalization::char::is_combining_mark(c) {
            return true;
        }
        let mut differs = false;
        unicode_normalization::char::decompose_canonical(c, |part| differs |= part != c);
        differs
    })
}

pub(super) fn is_katakana(c: char) -> bool {
    matches!(c as u32, 0x30A1..=0x30FA | 0x30FC..=0x30FF | 0x31F0..=0x31FF | 0xFF66..=0xFF9F)
}

/// Every suffix (of 2 to 16 characters) of an all-katakana word of 3 characters or more,
/// so that a query for part of a compound finds it.
pub(super) fn katakana_suffixes(word: &str) -> Vec<&str> {
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
