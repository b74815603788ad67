//! Search across languages: what a language's index holds of a page that is not translated
//! into it. Such a page is built in the language's folder with the default language's text
//! and is indexed with that text in the language's index; a reader searches in her own
//! language, so the index also gets the words that do exist in it for the page:
//!
//! - its title there: a translated page links to it with words of the reader's language
//!   (the Tagalog workshop page lists "Sahod at mga kaltas"); the link text of its workshop's
//!   page (the programme's, for a workshop) is also the title its search result shows;
//! - its workshop's title there (translated, or named so by a link);
//! - the glossary's translations of the terms the page uses: a glossary entry's translation
//!   indexes the pages whose text holds its English term.
//!
//! These words are put before the page's own text in what the index reads (HTML, so that
//! casebook's reader and pagefind's read it alike); the page itself does not change.
//!
//! The glossary is every page named `glossary.md`. Its entries are paragraphs that start
//! with a bold term on a line of its own, the definition on the next line after `: `
//! (definition-list syntax); a translation's term names the English term first, then its
//! translation after a colon or in brackets: `**Wages: gaji**`, `**Wages (sahod)**`. Entries
//! are paired by that English term, not by their order; a term left in English alone adds
//! nothing.

use std::collections::{BTreeMap, HashMap};

use pulldown_cmark::{Event, Tag, TagEnd};

use crate::config::Edition;
use crate::model::{EntryId, Kind, Site, Target};
use crate::parse::{self, Node, ParsedPage};
use crate::render::urls;

/// What every language's index adds to the pages not translated into it.
#[derive(Debug, Default, Clone)]
pub struct Across {
    /// Page file (`tl/03-wages-and-rest-days/02-wages-and-deductions/index.html`) → what its
    /// language has of it.
    pages: HashMap<String, Fallback>,
    /// Each entry's title in each language where it has one: its translation's, or the
    /// words its parent page links to it with.
    titles: HashMap<(EntryId, String), String>,
    /// Language → its glossary terms.
    glossary: BTreeMap<String, Vec<Term>>,
}

/// A page shown in a language it is not translated into.
#[derive(Debug, Clone)]
struct Fallback {
    lang: String,
    /// The language its text is in.
    original: String,
    /// Its title in `lang`, if it has one.
    title: Option<String>,
    /// Other words of `lang` for it: its workshop's title, what links to it say.
    words: Vec<String>,
}

/// A glossary entry: the English term, as words to find, and its translation.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Term {
    words: Vec<String>,
    translation: String,
}

impl Across {
    /// What the pages of `site` in the `edition` add to each language's index.
    pub fn of(site: &Site, edition: Edition) -> Across {
        let default = &site.config.default_language;
        let mut across = Across {
            glossary: glossaries(site, edition),
            ..Across::default()
        };
        let others: Vec<&str> = site
            .config
            .languages
            .iter()
            .map(|l| l.code.as_str())
            .filter(|code| code != default)
            .collect();
        for &lang in &others {
            let links = link_texts(site, edition, lang);
            for &id in &site.reading_order {
                let entry = &site.entries[id];
                if let Some(page) = entry.translations.get(lang) {
                    across.titles.insert((id, lang.to_string()), page.meta.title.clone());
                } else if let Some(title) = links.get(&id).and_then(|l| l.title.clone()) {
                    across.titles.insert((id, lang.to_string()), title);
                }
            }
            for &id in &site.reading_order {
                let entry = &site.entries[id];
                if entry.translations.contains_key(lang) {
                    continue;
                }
                let title = across.title(id, lang).map(str::to_string);
                let mut words: Vec<String> = Vec::new();
                let mut add = |w: &str| {
                    if Some(w) != title.as_deref() && !words.iter().any(|o| o == w) {
                        words.push(w.to_string());
                    }
                };
                if let Some(w) = parent(site, id).and_then(|w| across.title(w, lang)) {
                    add(w);
                }
                for text in links.get(&id).map(|l| l.texts.as_slice()).unwrap_or_default() {
                    add(text);
                }
                let path = format!("{}index.html", urls::page_path(site, lang, &entry.url));
                across.pages.insert(
                    path,
                    Fallback {
                        lang: lang.to_string(),
                        original: default.clone(),
                        title,
                        words,
                    },
                );
            }
        }
        across
    }

    /// The title of entry `id` in `lang`, where it has one (translated, or named so by a link
    /// from its parent page).
    pub fn title(&self, id: EntryId, lang: &str) -> Option<&str> {
        self.titles
            .get(&(id, lang.to_string()))
            .map(String::as_str)
    }

    /// What the index reads of the page `path` (its `<main>`, as `main`) before its own
    /// text, if it is a page shown in a language it is not translated into: HTML with its
    /// title there (as its heading, which pagefind takes for the result's title), its other
    /// words there and the translations of the glossary terms it uses.
    pub fn words_for(&self, path: &str, main: &str) -> Option<String> {
        let page = self.pages.get(path)?;
        let text = plain_words(main);
        let terms: Vec<&str> = self
            .glossary
            .get(&page.lang)
            .into_iter()
            .flatten()
            .filter(|t| holds(&text, &t.words))
            .map(|t| t.translation.as_str())
            .collect();
        let escape = crate::render::escape;
        let mut html = format!(
            "<div lang=\"{}\" data-pagefind-meta=\"original:{}\">",
            escape(&page.lang),
            escape(&page.original)
        );
        match &page.title {
            Some(title) => html.push_str(&format!("<h1>{}</h1>", escape(title))),
            // The result shows the page's own heading, in its own language.
            None => html.push_str(&format!(
                "<span data-pagefind-meta=\"title_lang:{}\"></span>",
                escape(&page.original)
            )),
        }
        for words in &page.words {
            html.push_str(&format!("<p>{}</p>", escape(words)));
        }
        if !terms.is_empty() {
            html.push_str(&format!("<p>{}</p>", escape(&terms.join(", "))));
        }
        html.push_str("</div>");
        Some(html)
    }
}

/// The page that lists `id`: a lesson's, tool's or fact pattern's workshop (or the
/// toolkit), the programme for a workshop.
fn parent(site: &Site, id: EntryId) -> Option<EntryId> {
    let entry = &site.entries[id];
    match entry.kind {
        Kind::Programme => None,
        Kind::Workshop | Kind::ToolkitIndex => Some(site.programme),
        Kind::Lesson | Kind::Tool | Kind::FactPattern => entry.workshop,
    }
}

/// What the pages translated into a language call a page that is not.
#[derive(Debug, Default)]
struct Links {
    /// Every link text, in reading order, once each.
    texts: Vec<String>,
    /// What its parent page calls it: the fullest of the texts it links to it with.
    title: Option<String>,
}

/// The link texts of `lang`'s translations, by the entry they lead to (the whole page, not a
/// heading on it): those that say more than the page's own title does (not a number, not
/// its title in the default language).
fn link_texts(site: &Site, edition: Edition, lang: &str) -> HashMap<EntryId, Links> {
    let mut out: HashMap<EntryId, Links> = HashMap::new();
    for &from in &site.reading_order {
        let entry = &site.entries[from];
        let Some(page) = entry.translations.get(lang) else {
            continue;
        };
        for reference in &page.doc.references {
            if reference.image || reference.visibility.hidden(edition, entry.answers()) {
                continue;
            }
            let Some(Target::Page {
                id,
                anchor: None,
                lang: None,
            }) = site.target(&page.source.path, &reference.dest)
            else {
                continue;
            };
            let to = &site.entries[*id];
            let text = reference
                .alt_or_text
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            if to.translations.contains_key(lang)
                || !text.chars().any(char::is_alphabetic)
                || text.to_lowercase() == to.original.meta.title.to_lowercase()
            {
                continue;
            }
            let links = out.entry(*id).or_default();
            // A title starts with a capital (a link in a list, not in a sentence); of those,
            // the fullest ("Workshop 5: Mga employment agency", not "Mga employment agency").
            let rank = |t: &str| (t.starts_with(char::is_uppercase), t.len());
            if parent(site, *id) == Some(from)
                && links.title.as_deref().is_none_or(|t| rank(t) < rank(&text))
            {
                links.title = Some(text.clone());
            }
            if !links.texts.contains(&text) {
                links.texts.push(text);
            }
        }
    }
    out
}

/// Each language's glossary terms (English term → translation), from every page named
/// `glossary.md` and its translations.
fn glossaries(site: &Site, edition: Edition) -> BTreeMap<String, Vec<Term>> {
    let mut out: BTreeMap<String, Vec<Term>> = BTreeMap::new();
    for entry in &site.entries {
        if entry.key.rsplit('/').next() != Some("glossary") {
            continue;
        }
        let english = terms(&entry.original, edition, entry.answers());
        for (lang, page) in &entry.translations {
            let lines = terms(page, edition, entry.answers());
            let found = lines
                .iter()
                .filter_map(|line| pair(&english, line))
                .filter_map(|(english, translation)| {
                    let words = words_of(strip_brackets(english));
                    (!words.is_empty()).then_some(Term { words, translation })
                });
            let list = out.entry(lang.clone()).or_default();
            for term in found {
                if !list.contains(&term) {
                    list.push(term);
                }
            }
        }
    }
    out
}

/// The terms of a glossary page, in order: each paragraph that starts with a bold line of
/// its own followed by a line that starts with `:` (or, were definition lists read, each
/// term of one).
fn terms(page: &ParsedPage, edition: Edition, answers: parse::Answers) -> Vec<String> {
    #[derive(PartialEq)]
    enum State {
        Outside,
        /// At the start of a paragraph.
        Start,
        /// Inside the bold term at its start.
        Term,
        /// After the term: a line break must follow.
        AfterTerm,
        /// After the line break: the definition's `:` must follow.
        Break,
        /// Inside a definition list's term.
        ListTerm,
        /// Elsewhere in a paragraph.
        Other,
    }
    let mut out = Vec::new();
    let mut state = State::Outside;
    let mut term = String::new();
    for node in parse::visible(&page.doc, edition, answers) {
        let Node::Md(event, _) = node else {
            state = State::Outside;
            continue;
        };
        state = match (state, event) {
            (_, Event::Start(Tag::Paragraph)) => State::Start,
            (_, Event::Start(Tag::DefinitionListTitle)) => {
                term.clear();
                State::ListTerm
            }
            (State::ListTerm, Event::End(TagEnd::DefinitionListTitle)) => {
                out.push(term.trim().to_string());
                State::Outside
            }
            (State::ListTerm, Event::Text(t) | Event::Code(t)) => {
                term.push_str(t);
                State::ListTerm
            }
            (State::ListTerm, _) => State::ListTerm,
            (State::Start, Event::Start(Tag::Strong)) => {
                term.clear();
                State::Term
            }
            (State::Term, Event::End(TagEnd::Strong)) => State::AfterTerm,
            (State::Term, Event::Text(t) | Event::Code(t)) => {
                term.push_str(t);
                State::Term
            }
            (State::Term, _) => State::Term,
            (State::AfterTerm, Event::SoftBreak | Event::HardBreak) => State::Break,
            (State::Break, Event::Text(t)) if t.trim_start().starts_with(':') => {
                out.push(term.split_whitespace().collect::<Vec<_>>().join(" "));
                State::Other
            }
            (_, Event::End(TagEnd::Paragraph)) => State::Outside,
            (State::Outside, _) => State::Outside,
            _ => State::Other,
        };
    }
    out
}

/// A translated glossary term as the English term it translates and its translation:
/// `Wages: gaji` or `Wages (sahod)` for the English term `Wages`. The longest English term
/// that fits wins (`Wages in lieu of notice: …` is not `Wages`); a term that is one of the
/// English terms as it stands has no translation.
fn pair<'a>(english: &'a [String], line: &str) -> Option<(&'a str, String)> {
    if english.iter().any(|e| e.eq_ignore_ascii_case(line)) {
        return None;
    }
    let mut best: Option<(&str, String)> = None;
    for e in english {
        let Some(head) = line.get(..e.len()).filter(|h| h.eq_ignore_ascii_case(e)) else {
            continue;
        };
        let rest = line[head.len()..].trim_start();
        let translation = if let Some(after) = rest.strip_prefix(':') {
            after.trim()
        } else if let Some(inside) = rest.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
            inside.trim()
        } else {
            continue;
        };
        if translation.is_empty() || translation.eq_ignore_ascii_case(e) {
            continue;
        }
        if best.as_ref().is_none_or(|(b, _)| b.len() < e.len()) {
            best = Some((e.as_str(), translation.to_string()));
        }
    }
    best
}

/// A term without the brackets after it: `Standard Employment Contract (ID 407)` is found
/// in a page as `Standard Employment Contract`.
fn strip_brackets(term: &str) -> &str {
    match term.find(" (") {
        Some(at) if term.ends_with(')') => &term[..at],
        _ => term,
    }
}

/// Lowercase words: runs of letters and digits.
fn words_of(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// The words of an HTML text, tags left out.
fn plain_words(html: &str) -> Vec<String> {
    let mut text = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        text.push_str(&rest[..open]);
        text.push(' ');
        rest = rest[open..].find('>').map_or("", |close| &rest[open + close + 1..]);
    }
    text.push_str(rest);
    words_of(&html_escape::decode_html_entities(&text))
}

/// Whether `text` holds the words of a term in a row, its last word also in the plural
/// (`rest days`, `employment agencies`).
fn holds(text: &[String], term: &[String]) -> bool {
    let Some((last, first)) = term.split_last() else {
        return false;
    };
    let plural = |word: &str| {
        word == last
            || word.strip_suffix('s').is_some_and(|w| w == last)
            || word.strip_suffix("es").is_some_and(|w| w == last)
            || (last.ends_with('y')
                && word.strip_suffix("ies") == Some(&last[..last.len() - 1]))
    };
    text.windows(term.len()).any(|window| {
        window[..first.len()] == *first && plural(&window[first.len()])
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn english() -> Vec<String> {
        [
            "Wages",
            "Wages in lieu of notice",
            "Standard Employment Contract (ID 407)",
            "Minor Employment Claims Adjudication Board (the Board, MECAB)",
            "Consent",
        ]
        .map(String::from)
        .to_vec()
    }

    #[test]
    fn a_translated_term_is_paired_by_its_english_term() {
        let english = english();
        assert_eq!(pair(&english, "Wages: gaji"), Some(("Wages", "gaji".into())));
        assert_eq!(pair(&english, "Wages (sahod)"), Some(("Wages", "sahod".into())));
        assert_eq!(
            pair(&english, "Wages in lieu of notice: gaji pengganti pemberitahuan"),
            Some(("Wages in lieu of notice", "gaji pengganti pemberitahuan".into()))
        );
        assert_eq!(
            pair(&english, "Standard Employment Contract (ID 407): Kontrak Kerja Standar"),
            Some(("Standard Employment Contract (ID 407)", "Kontrak Kerja Standar".into()))
        );
        // Left in English: nothing to add, even where the term itself has brackets.
        assert_eq!(pair(&english, "Standard Employment Contract (ID 407)"), None);
        assert_eq!(pair(&english, "Minor Employment Claims Adjudication Board (the Board, MECAB)"), None);
        assert_eq!(pair(&english, "Wages"), None);
        // Not an English term of the glossary.
        assert_eq!(pair(&english, "Complainant at respondent"), None);
        assert_eq!(pair(&english, "Wagesmith: x"), None);
    }

    #[test]
    fn a_term_is_found_in_a_page_as_words_also_in_the_plural() {
        let text = plain_words("<p>The <b>rest days</b> of employment agencies &amp; Standard\nEmployment Contract</p>");
        let term = |t: &str| words_of(strip_brackets(t));
        assert!(holds(&text, &term("Rest day")));
        assert!(holds(&text, &term("Employment agency")));
        assert!(holds(&text, &term("Standard Employment Contract (ID 407)")));
        assert!(!holds(&text, &term("Statutory holiday")));
        assert!(!holds(&text, &term("Employment Contract (ID 407) day")));
        assert!(!holds(&plain_words("<p>wage</p>"), &term("Wages")));
    }
}
