//! What the `editions` target checks, shared with `tests/suite/reliability.rs`, which
//! replays its corpus (`fuzz/regressions/editions/`): whatever Markdown a trainer writes
//! around a `::: trainer` note and a `::: answer` kept for trainers, a page that builds
//! never shows either to a mentee.
//!
//! The input is cut at `\x01` into seven parts, a to g, and made into a fact pattern with
//! `answers: trainer`:
//!
//! ```text
//! a::: trainer
//! b zzcanarytrainerzz c:::
//! d::: answer
//! e zzcanaryanswerzz f:::
//! g
//! ```
//!
//! Each `:::` starts a line of its own, after what the part before it leaves on its line
//! when that is only indentation, quote and list markers (so a block can stand in a list
//! item, a footnote or a quote). The parts inside the blocks hold no `:::` (so the canary is inside its block as the
//! trainer wrote it), and no part holds a `z` in any form (so no text around the blocks
//! can become a canary). The page is built in both editions:
//! parsed, tied into a site, rendered (pages, print views, the search records of every
//! page) and written as the typst markup of every PDF. When the build has no error, no
//! file of the mentee edition may hold a canary, unless the line that opens its block is
//! inside a code block as CommonMark reads the page (then the block is code, shown as
//! written, as in a guide to the syntax). The site around the page has a lesson and a
//! whole workshop for trainers only (`audience: trainer`): nothing of them may reach the
//! mentee edition either, whatever the page says.
// Each target uses one of these functions.
#![allow(dead_code)]

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use casebook::Edition;
use casebook::discover::{Role, SourcePage};
use casebook::parse::{self, ParsedPage};
use casebook::render::{self, Renderer};

const TRAINER_CANARY: &str = "zzcanarytrainerzz";
const ANSWER_CANARY: &str = "zzcanaryanswerzz";
const AUDIENCE_CANARY: &str = "zzcanaryaudiencezz";

/// The site the page is added to, loaded once.
struct Base {
    root: PathBuf,
    loaded: casebook::Loaded,
    pages: Vec<ParsedPage>,
}

fn base() -> &'static Base {
    static BASE: OnceLock<Base> = OnceLock::new();
    BASE.get_or_init(|| {
        let root =
            std::env::temp_dir().join(format!("casebook-fuzz-editions-{}", std::process::id()));
        let files = [
            (
                "casebook.yaml",
                "title: Editions\nbase_url: https://fuzz.test/\ndefault_language: en\nlanguages:\n  en: { name: English }\n",
            ),
            ("curriculum/_index.md", "---\ntitle: Programme\n---\n\nThe programme.\n"),
            (
                "curriculum/01-a/_index.md",
                "---\ntitle: Workshop\nsession: 1\n---\n\nThe workshop.\n",
            ),
            ("curriculum/01-a/picture.png", "not really a picture"),
            (
                "curriculum/01-a/02-zzcanaryaudiencezz.md",
                "---\ntitle: Running it zzcanaryaudiencezz\naudience: trainer\n---\n\nFor trainers: zzcanaryaudiencezz.\n\n![A chart zzcanaryaudiencezz](zzcanaryaudiencezz.png)\n",
            ),
            ("curriculum/01-a/zzcanaryaudiencezz.png", "a chart zzcanaryaudiencezz"),
            (
                "curriculum/02-zzcanaryaudiencezz/_index.md",
                "---\ntitle: Trainers' day zzcanaryaudiencezz\nsession: 2\naudience: trainer\nobjectives: [Plan zzcanaryaudiencezz]\n---\n\nThe day zzcanaryaudiencezz.\n",
            ),
            (
                "curriculum/02-zzcanaryaudiencezz/01-plan.md",
                "---\ntitle: Plan zzcanaryaudiencezz\n---\n\nThe plan zzcanaryaudiencezz.\n",
            ),
        ];
        for (path, text) in files {
            let path = root.join(path);
            std::fs::create_dir_all(path.parent().expect("a folder")).expect("a folder");
            std::fs::write(path, text).expect("written");
        }
        let mut diagnostics = Vec::new();
        let loaded = casebook::load(&root, false, &mut diagnostics).expect("the base site loads");
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let pages = loaded
            .site
            .entries
            .iter()
            .flat_map(|e| std::iter::once(e.original.clone()).chain(e.translations.values().cloned()))
            .collect();
        Base {
            root,
            loaded,
            pages,
        }
    })
}

/// `text` without any character that is, or becomes, a `z` once lowercased, decomposed or
/// stripped of its marks (`Z`, `ｚ`, `ž`, `ⓩ`): the canaries hold `z`, so no text around
/// the blocks can become one, however a page, a heading id or the search index reshapes it
/// (a slug drops everything but letters and digits, and would join `zcan…` and `…zz`).
fn without_z(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    text.chars()
        .filter(|c| {
            !std::iter::once(*c)
                .nfkd()
                .flat_map(char::to_lowercase)
                .any(|d| d == 'z')
        })
        .collect()
}

/// Whether `text`, put before `:::` on a line, leaves it a fence line: the line so far is
/// only indentation, quote markers and list markers (the rule DESIGN.md gives).
fn fence_prefix(text: &str) -> bool {
    let line = text.rsplit('\n').next().unwrap_or_default();
    let mut rest = line;
    loop {
        let trimmed = rest.trim_start_matches([' ', '\t', '>']);
        if trimmed.is_empty() {
            return true;
        }
        let marker = match trimmed.as_bytes()[0] {
            b'-' | b'*' | b'+' => 1,
            b'0'..=b'9' => {
                let digits = trimmed.bytes().take_while(u8::is_ascii_digit).count();
                match trimmed.as_bytes().get(digits) {
                    Some(b'.' | b')') if digits <= 9 => digits + 1,
                    _ => return false,
                }
            }
            _ => return false,
        };
        match trimmed.as_bytes().get(marker) {
            Some(b' ' | b'\t') => rest = &trimmed[marker + 1..],
            _ => return false,
        }
    }
}

/// The page made of `bytes`, and where its two blocks' `:::` openers are. Each fence gets
/// the end of the part before it as its line's start (so a block can stand in a list item
/// or a quote), or a line of its own when that would not leave it a fence.
fn page_of(bytes: &[u8]) -> (String, usize, usize) {
    let text = String::from_utf8_lossy(bytes);
    let mut parts: Vec<String> = text.split('\u{1}').map(str::to_string).collect();
    parts.resize(7, String::new());
    for part in &mut parts {
        *part = without_z(part);
    }
    for i in [1, 2, 4, 5] {
        while parts[i].contains(":::") {
            parts[i] = parts[i].replace(":::", "::");
        }
    }
    let mut body = String::new();
    let fence = |body: &mut String, line: &str| -> usize {
        if !fence_prefix(body) {
            body.push('\n');
        }
        let at = body.len();
        body.push_str(line);
        body.push('\n');
        at
    };
    body.push_str(&parts[0]);
    let trainer_at = fence(&mut body, "::: trainer");
    body.push_str(&format!("{} {TRAINER_CANARY} {}", parts[1], parts[2]));
    fence(&mut body, ":::");
    body.push_str(&parts[3]);
    let answer_at = fence(&mut body, "::: answer");
    body.push_str(&format!("{} {ANSWER_CANARY} {}", parts[4], parts[5]));
    fence(&mut body, ":::");
    body.push_str(&parts[6]);
    (body, trainer_at, answer_at)
}

/// Whether `offset` of `body` is inside a code block, as CommonMark reads it.
fn in_code(body: &str, offset: usize) -> bool {
    use pulldown_cmark::{Event, Parser, Tag};
    Parser::new_ext(body, parse::markdown::options())
        .into_offset_iter()
        .any(|(event, range)| {
            matches!(event, Event::Start(Tag::CodeBlock(_))) && range.contains(&offset)
        })
}

const FRONT_MATTER: &str = "---\ntitle: The case\ntopics: [wages]\nlevel: foundation\nworkshop: 01-a\nanswers: trainer\n---\n";

/// Checks the page made of `bytes`; `true` when it built, and was looked at.
pub fn editions(bytes: &[u8]) -> bool {
    let (body, trainer_at, answer_at) = page_of(bytes);
    // As casebook reads a file: what it refuses (NUL characters) never reaches the parser.
    let path = Path::new("fact-patterns/case.md");
    let Ok(text) = casebook::source::decode(format!("{FRONT_MATTER}{body}").into_bytes(), path)
    else {
        return false;
    };
    let source = SourcePage {
        path: path.to_path_buf(),
        role: Role::FactPattern {
            name: "case".into(),
        },
        lang: None,
    };
    let mut diagnostics = Vec::new();
    // `CASEBOOK_FUZZ_SHOW=1` prints each page and why it did not build, to read a corpus.
    let show = |diagnostics: &[casebook::Diagnostic]| {
        if std::env::var_os("CASEBOOK_FUZZ_SHOW").is_some() {
            eprintln!("--- page:\n{body}\n--- {diagnostics:#?}");
        }
    };
    let Some(page) = parse::parse_text(&text, &source, &mut diagnostics) else {
        show(&diagnostics);
        return false;
    };
    if diagnostics.iter().any(|d| d.is_error()) {
        show(&diagnostics);
        return false;
    }
    let base = base();
    let loaded = &base.loaded;
    let input = casebook::model::Input {
        config: loaded.site.config.clone(),
        pages: base.pages.iter().cloned().chain([page]).collect(),
        referrals: Vec::new(),
        assets: loaded.site.assets.clone(),
        drafts: false,
        broken: HashSet::new(),
        unplaced: Vec::new(),
    };
    let Some(site) = casebook::model::build(&base.root, input, &mut diagnostics) else {
        show(&diagnostics);
        return false;
    };
    if diagnostics.iter().any(|d| d.is_error()) {
        show(&diagnostics);
        return false;
    }
    let tera = loaded
        .templates
        .clone()
        .expect("the theme's templates compile");
    let preamble = render::pdf::preamble(&loaded.theme);
    let mut hidden = vec![AUDIENCE_CANARY];
    if !in_code(&body, trainer_at) {
        hidden.push(TRAINER_CANARY);
    }
    if !in_code(&body, answer_at) {
        hidden.push(ANSWER_CANARY);
    }
    for edition in [Edition::Mentee, Edition::Trainer] {
        let site = site.edition(edition);
        let renderer = Renderer::new(
            &site,
            tera.clone(),
            &loaded.strings,
            edition,
            &loaded.theme,
            HashSet::new(),
        );
        let (output, problems) = renderer.render(&loaded.theme);
        assert!(
            !problems.iter().any(|d| d.is_error()),
            "{problems:?}; the page:\n{body}"
        );
        if edition == Edition::Trainer {
            continue;
        }
        let leaked = |what: &str, text: &[u8]| {
            for canary in &hidden {
                if memchr::memmem::find(text, canary.as_bytes()).is_some() {
                    panic!("{canary} reached the mentee edition's {what}; the page:\n{body}");
                }
            }
        };
        for file in &output.files {
            leaked(&file.path, &file.bytes);
            if let Some((_, _, record)) = render::search::Pages::page(file, renderer.across()) {
                leaked(
                    &format!("search record of {}", file.path),
                    record.as_bytes(),
                );
            }
        }
        for (from, to) in &output.copies {
            leaked(&format!("copy of {}", from.display()), to.as_bytes());
            leaked(
                &format!("copy of {}", from.display()),
                from.as_os_str().as_encoded_bytes(),
            );
            let bytes = std::fs::read(base.root.join(from)).unwrap_or_default();
            leaked(&format!("copy of {}", from.display()), &bytes);
        }
        for plan in render::pdf::plan(&site, &loaded.strings, edition) {
            let strings = &loaded.strings[&plan.lang];
            let document = render::pdf::document(&site, &plan, strings, &preamble);
            leaked(&plan.file, document.text.as_bytes());
        }
    }
    true
}
