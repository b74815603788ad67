//! The search index writer's tests: casebook's files against those pagefind's own API
//! writes, for every language of the test site and the curriculum, and for awkward records.

use super::*;

/// Who reads a page's words for the index (in tests, which compare the two readers).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum WordReader {
    /// casebook's own reader ([`record`]), falling back to pagefind's for a page it is not
    /// sure of.
    Casebook,
    /// pagefind's own HTML reader.
    Pagefind,
}

/// One language's pages, indexed by pagefind's API after `reader` read them: its files.
async fn bundle(pages: Vec<(String, String)>, reader: WordReader) -> Result<Vec<SyntheticFile>, String> {
    let read = pages
        .into_iter()
        .map(|(path, html)| match reader {
            WordReader::Casebook => record::read(&path, &html).ok_or((path, html)),
            WordReader::Pagefind => Err((path, html)),
        })
        .collect();
    bundle_read(read).await
}


#[test]
fn pages_are_cut_down_to_their_language_and_main() {
    let page = "<!doctype html><html lang=id><head><title>x</title></head><body><nav>menu</nav><main id=main data-pagefind-body><h1>Judul</h1></main><footer>f</footer></body></html>";
    assert_eq!(html_lang(page).as_deref(), Some("id"));
    assert_eq!(html_lang("<html lang=\"tl\">").as_deref(), Some("tl"));
    assert_eq!(
        slim(page, "id", |_| None),
        "<html lang=\"id\"><body><main id=main data-pagefind-body><h1>Judul</h1></main></body></html>"
    );
}

/// The mentee edition's pages of the site at `root`, as rendered (before minifying), and
/// what its languages' indexes add to the pages not translated into them.
fn rendered(root: &Path) -> (Vec<OutFile>, Across) {
    let mut d = Vec::new();
    let mut loaded = crate::load(root, false, &mut d).expect("the site loads");
    let tera = loaded.templates.take().expect("templates");
    let renderer = super::super::Renderer::new(
        &loaded.site,
        tera,
        &loaded.strings,
        crate::config::Edition::Mentee,
        &loaded.theme,
        Default::default(),
    );
    (renderer.render(&loaded.theme).0.files, renderer.across().clone())
}

/// Each page's fragment (url → text, word count, meta, filters) and the word index.
fn indexed(pages: Vec<(String, String)>, reader: WordReader) -> (BTreeMap<String, String>, Vec<Vec<u8>>) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let files = runtime.block_on(bundle(pages, reader)).expect("indexed");
    let mut fragments = BTreeMap::new();
    let mut words = Vec::new();
    for file in files {
        let name = file.filename.to_string_lossy().into_owned();
        if name.starts_with("fragment/") {
            let json = fragment(&file.contents).expect("a fragment");
            let url = json["url"].as_str().expect("url").to_string();
            let seen = serde_json::json!([
                json["content"],
                json["word_count"],
                json["meta"],
                json["filters"]
            ]);
            fragments.insert(url, seen.to_string());
        } else if name.starts_with("index/") {
            words.push(file.contents);
        }
    }
    words.sort();
    (fragments, words)
}

/// casebook's reader gives pagefind what its own reader would, page for page: the same
/// text, word count, title, meta and filters, and the same word index (weights and
/// positions), on every page of the test site and of the bundled curriculum. And it
/// reads every one of those pages itself.
#[test]
fn casebook_reads_pages_for_the_index_as_pagefind_does() {
    for_each_language_of_both_sites(|_, lang, pages| {
        let unread: Vec<&String> = pages
            .iter()
            .filter(|(path, html)| record::read(path, html).is_none())
            .map(|(path, _)| path)
            .collect();
        assert!(unread.is_empty(), "{lang}: left to pagefind: {unread:?}");
        let ours = indexed(pages.clone(), WordReader::Casebook);
        let theirs = indexed(pages, WordReader::Pagefind);
        assert_eq!(ours.0.len(), theirs.0.len(), "{lang}");
        for (url, fragment) in &theirs.0 {
            assert_eq!(ours.0.get(url), Some(fragment), "{lang} {url}");
        }
        assert!(ours.1 == theirs.1, "{lang}: the word index differs");
    });
}

/// Calls `f` with the pages of each language (path, `<main>`) of the test site and of the
/// bundled curriculum, as the build hands them to the index; each site has two languages
/// or more.
fn for_each_language_of_both_sites(mut f: impl FnMut(&Path, &str, Vec<(String, String)>)) {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    for root in [manifest.join("tests/fixtures/basic"), manifest.to_path_buf()] {
        let (files, across) = rendered(&root);
        let Pages(by_language) = Pages::of(&files, &across);
        assert!(by_language.len() >= 2, "{}", root.display());
        for (lang, pages) in by_language {
            f(&root, &lang, pages);
        }
    }
}

/// One language's index files as pagefind writes them for `records` (its own script,
/// WASM and UI files left out), by name, and the entry file.
fn pagefind_writes(records: &[record::Record]) -> BTreeMap<String, Vec<u8>> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let read = records.iter().cloned().map(Ok).collect();
    let files = runtime.block_on(bundle_read(read)).expect("files");
    files
        .into_iter()
        .map(|f| (f.filename.to_string_lossy().replace('\\', "/"), f.contents))
        .filter(|(name, _)| index_file(name))
        .collect()
}

/// The same files from casebook's writer.
fn casebook_writes(language: &str, records: Vec<record::Record>, batch: usize) -> BTreeMap<String, Vec<u8>> {
    // pagefind's chunk size, as `pagefind_writes` uses it (unless the variable sets both).
    let chunk = std::env::var("PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(writer::PAGEFIND_CHUNK_SIZE);
    let bundle = writer::write_in_batches(language, records, batch, chunk);
    let entry = writer::entry(&[&bundle]);
    let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    for (name, bytes, _) in bundle.files {
        assert!(files.insert(name.clone(), bytes).is_none(), "{name} written twice");
    }
    files.insert("pagefind-entry.json".into(), entry);
    files
}

/// A file's data, readable: gunzipped (without pagefind's mark), and CBOR written out
/// as text (`["word",[[0,[-25,3],[]]],[]]`).
fn readable(name: &str, bytes: &[u8]) -> String {
    let mut data = Vec::new();
    if flate2::read::GzDecoder::new(bytes).read_to_end(&mut data).is_err() {
        data = bytes.to_vec();
    }
    let data = data.strip_prefix(b"pagefind_dcd".as_slice()).unwrap_or(&data);
    if name.ends_with(".pf_index") || name.ends_with(".pf_filter") || name.ends_with(".pf_meta") {
        let mut out = String::new();
        cbor_text(data, &mut 0, &mut out);
        out
    } else {
        String::from_utf8_lossy(data).into_owned()
    }
}

/// The arrays, integers and texts pagefind's CBOR holds, as text.
fn cbor_text(data: &[u8], at: &mut usize, out: &mut String) {
    let Some(&first) = data.get(*at) else { return out.push('?') };
    *at += 1;
    let (major, small) = (first >> 5, u64::from(first & 31));
    let arg = match small {
        0..=23 => small,
        24..=27 => {
            let n = 1 << (small - 24);
            let arg = data[*at..*at + n].iter().fold(0u64, |a, b| a << 8 | u64::from(*b));
            *at += n;
            arg
        }
        _ => return out.push('?'),
    };
    match major {
        0 => out.push_str(&arg.to_string()),
        1 => out.push_str(&(-1 - arg as i64).to_string()),
        3 => {
            let text = String::from_utf8_lossy(&data[*at..*at + arg as usize]);
            out.push_str(&format!("{text:?}"));
            *at += arg as usize;
        }
        4 => {
            out.push('[');
            for i in 0..arg {
                if i > 0 {
                    out.push(',');
                }
                cbor_text(data, at, out);
            }
            out.push(']');
        }
        _ => out.push('?'),
    }
}

/// Requires the same file names and bytes. On a difference, shows the first one, kind by
/// kind (fragments, word index, filters, metadata, entry), decoded: where names differ
/// (they hold hashes), the files of that kind are paired by their decoded text.
fn assert_same_files(what: &str, ours: &BTreeMap<String, Vec<u8>>, theirs: &BTreeMap<String, Vec<u8>>) {
    let show = |name: &str, a: &str, b: &str| -> String {
        let at = a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count();
        let around = |s: &str| s.chars().skip(at.saturating_sub(80)).take(200).collect::<String>();
        format!(
            "{what}: {name} differs ({} vs {} characters decoded, first difference at {at})\n casebook: {}\n pagefind: {}",
            a.chars().count(),
            b.chars().count(),
            around(a),
            around(b)
        )
    };
    let kinds: [fn(&str) -> bool; 5] = [
        |n| n.starts_with("fragment/"),
        |n| n.starts_with("index/"),
        |n| n.starts_with("filter/"),
        |n| n.ends_with(".pf_meta"),
        |n| n == "pagefind-entry.json",
    ];
    for kind in kinds {
        let pick = |files: &BTreeMap<String, Vec<u8>>, other: &BTreeMap<String, Vec<u8>>| {
            let mut texts: Vec<(String, String)> = files
                .iter()
                .filter(|(n, b)| kind(n) && other.get(*n) != Some(*b))
                .map(|(n, b)| (readable(n, b), n.clone()))
                .collect();
            texts.sort();
            texts
        };
        let (mine, yours) = (pick(ours, theirs), pick(theirs, ours));
        for i in 0..mine.len().max(yours.len()) {
            match (mine.get(i), yours.get(i)) {
                (Some((a, an)), Some((b, bn))) => {
                    panic!("{}", show(&format!("{an} (pagefind's {bn})"), a, b))
                }
                (Some((a, an)), None) => panic!("{what}: only casebook writes {an}: {a:.300}"),
                (None, Some((b, bn))) => panic!("{what}: only pagefind writes {bn}: {b:.300}"),
                (None, None) => {}
            }
        }
    }
    assert_eq!(ours.len(), theirs.len(), "{what}: files of another kind");
    assert!(ours == theirs, "{what}");
}

/// casebook's writer writes what pagefind writes for the same records, byte for byte:
/// every language of the test site and of the bundled curriculum.
#[test]
fn casebook_writes_the_index_as_pagefind_does() {
    for_each_language_of_both_sites(|root, lang, pages| {
        let records: Vec<record::Record> = pages
            .iter()
            .map(|(path, html)| record::read(path, html).expect("read by casebook"))
            .collect();
        let language = records[0].language.clone();
        let theirs = pagefind_writes(&records);
        let ours = casebook_writes(&language, records, 64);
        assert_same_files(&format!("{} {lang}", root.display()), &ours, &theirs);
    });
}

/// Records that exercise pagefind's rules: diacritics, compounds, numbers, apostrophes,
/// emoji, katakana, weights and anchors, marks in meta and filters, repeated URLs, pages
/// without words, enough words for several index chunks, languages without a stemmer.
fn awkward_records(language: &str) -> Vec<record::Record> {
    let record = |url: &str, digest: String, meta: &[(&str, &str)], filters: &[(&str, &[&str])]| record::Record {
        url: url.to_string(),
        digest,
        language: language.to_string(),
        meta: meta.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
        filters: filters
            .iter()
            .map(|(k, vs)| (k.to_string(), vs.iter().map(|v| v.to_string()).collect()))
            .collect(),
    };
    let mut records = vec![
        record(
            "/diacritics/",
            "Café café CAFÉ crème-brûlée naïve résumé Straße İstanbul ÀÉÎ Ωμέγα Ärger. Cafe creme".into(),
            &[("title", "Café cafè & <crème> \"quoted\""), ("image", "/a b.png"), ("image_alt", "")],
            &[("tag", &["one", "two", "one"]), ("level", &["Ünï"])],
        ),
        record(
            "/compounds/",
            "three-antelopes ThreeAntelopes three_antelopes sysconfig.is_python_build a.b.c page.Find WKWebVIEWComponent cloud/cannon,page.find x.y.zeta_Eta. __array_structures -- - . ... iPhone".into(),
            &[("title", "Compound-words and.dots")],
            &[("tag", &["two"])],
        ),
        record(
            "/numbers/",
            "2024 3.14 1,000 v1.2.3 h2o 1st 10.000,50 #hash *star 0x1F 9".into(),
            &[("title", "Numbers 2024"), ("date", "2024-01-02")],
            &[],
        ),
        record(
            "/apostrophes/",
            "don't l'alphabet it’s rock’n’roll ‘quoted’ \"double\" (paren) end.".into(),
            &[("title", "Apostrophes")],
            &[("tag", &["three", "___PAGEFIND_HIDDEN___ kept"])],
        ),
        record(
            "/emoji/",
            "cloud🌦️cannon 👋👨‍👩‍👧‍👦🌾 ✨ hello✨world".into(),
            &[("title", "Emoji 👋")],
            &[],
        ),
        record(
            "/kana/",
            "バックアップ テスト リスト型 ハ\u{3099}ント\u{3099} 한국어 東京 วิกิพีเดีย ーーーーーーーーーーーーーーーーーーーー".into(),
            &[("title", "カタカナ")],
            &[],
        ),
        record(
            "/weights/",
            "___PAGEFIND_AUTO_WEIGHT___7 Heading words. ___END_PAGEFIND_WEIGHT___ plain words ___PAGEFIND_WEIGHT___2.5 weighted ___PAGEFIND_AUTO_WEIGHT___5 inherits ___END_PAGEFIND_WEIGHT___ ___END_PAGEFIND_WEIGHT___ ___PAGEFIND_WEIGHT___0 zero ___END_PAGEFIND_WEIGHT___ ___PAGEFIND_WEIGHT___x nan ___END_PAGEFIND_WEIGHT___ ___PAGEFIND_WEIGHT___99 big ___END_PAGEFIND_WEIGHT___ ___END_PAGEFIND_WEIGHT___ ___END_PAGEFIND_WEIGHT___ emptied ___PAGEFIND_AUTO_WEIGHT___3 after ___PAGEFIND_ANCHOR___h2:h2:intro anchored _underscore ___PAGEFIND_OTHER___ a-b-c-d-e-f-g-h-i-j-k-l-m-n-o-p-q-r-s-t-u-v-w-x-y-z-aa-bb-cc-dd-ee-ff-gg-hh-ii-jj-kk-ll-mm-nn-oo-pp-qq-rr-ss-tt-uu-vv-ww-xx-yy-zz-aaa-bbb-ccc-ddd-eee-fff-ggg-hhh-iii-jjj-kkk-lll-mmm-nnn-ooo-ppp-qqq-rrr-sss-ttt-uuu-vvv-www-xxx-yyy-zzz-abcd-efgh-ijkl-mnop-qrst-uvwx-yzab-cdef-ghij-klmn-opqr-stuv-wxyz-abcde-fghij-klmno-pqrst-uvwxy-zabcd-efghi-jklmn-opqrs-tuvwx-yzabc-defgh-ijklm-nopqr-stuvw-xyzab-cdefg-hijkl-mnopq-rstuv-wxyza-bcdef-ghijk-lmnop-qrstu-vwxyz-abcdef-ghijkl-mnopqr-stuvwx-yzabcd-efghij-klmnop-qrstuv-wxyzab-cdefgh-ijklmn-opqrst-uvwxyz-abcdefg-hijklmn-opqrstu-vwxyzab-cdefghi-jklmnop-qrstuvw-xyzabcd-efghijk-lmnopqr-stuvwxy-zabcdef-ghijklm-nopqrst-uvwxyza-bcdefgh-ijklmno-pqrstuv-wxyzabc-defghij-klmnopq-rstuvwx-yzabcde-fghijkl-mnopqrs-tuvwxyz".into(),
            &[("title", "Weights ___PAGEFIND_AUTO_WEIGHT___7 title"), ("zeta", "café cafe Café last meta word")],
            &[],
        ),
        record(
            "/zero\u{200B}width/",
            "\u{200B} ab\u{200B}cd \u{200B}\u{200B} tail".into(),
            &[],
            &[],
        ),
        record("/no-words/", "— … !!! -- ... ?".into(), &[("title", "Nothing here")], &[("tag", &["gone"])]),
        record("/repeated/", "first version".into(), &[("title", "First")], &[]),
        record("/meta-only/", "body".into(), &[("title", "Unique Metaword Métaword"), ("author", "Ada Lovelace")], &[("author", &["Ada"])]),
        record("/repeated/", "second version replaces the first".into(), &[("title", "Second")], &[("tag", &["one"])]),
        record("/empty/", "".into(), &[], &[]),
    ];
    // Pages with many words: several index chunks, and words on many pages.
    let syllables = ["ka", "lo", "mi", "ne", "su", "ta", "ri", "vo", "é", "zu"];
    for page in 0..12 {
        let mut digest = String::new();
        for i in 0..4000usize {
            let n = (i * 7919 + page * 104_729) % 9000;
            let word: String = [n % 10, n / 10 % 10, n / 100 % 10, n / 1000 % 10]
                .iter()
                .map(|&d| syllables[d])
                .collect();
            digest.push_str(&word);
            digest.push(if i % 17 == 0 { '\n' } else { ' ' });
        }
        records.push(record(
            &format!("/long/{page}/"),
            digest,
            &[("title", &format!("Long page {page}"))],
            &[("tag", &[if page % 2 == 0 { "even" } else { "odd" }, "long"])],
        ));
    }
    records
}

#[test]
fn casebook_writes_awkward_records_as_pagefind_does() {
    for language in ["en", "fr", "pt-br", "ja", "zz", "unknown"] {
        let records = awkward_records(language);
        let theirs = pagefind_writes(&records);
        let chunks = theirs.keys().filter(|n| n.starts_with("index/")).count();
        assert!(chunks >= 3, "{language}: {chunks} chunks");
        // In one batch, and in batches that split pages with the same words.
        for batch in [1000, 1, 7] {
            let ours = casebook_writes(language, records.clone(), batch);
            assert_same_files(&format!("{language} (batches of {batch})"), &ours, &theirs);
        }
    }
}

/// A language with a page casebook's reader leaves to pagefind is indexed by pagefind,
/// beside a language casebook writes itself: one entry file names both, and every page
/// has its fragment.
#[test]
fn a_language_left_to_pagefind_sits_beside_one_casebook_writes() {
    let page = |lang: &str, main: &str| {
        format!("<html lang=\"{lang}\"><body><main data-pagefind-body><h1>Title</h1>{main}</main></body></html>")
    };
    let mut by_language = BTreeMap::new();
    by_language.insert(
        "en".to_string(),
        vec![
            ("a/index.html".to_string(), page("en", "<p>Apples and pears</p>")),
            ("b/index.html".to_string(), page("en", "<p>Bananas</p>")),
        ],
    );
    by_language.insert(
        "id".to_string(),
        vec![
            ("id/a/index.html".to_string(), page("id", "<p>Apel</p>")),
            ("id/b/index.html".to_string(), page("id", "<div><p>Pisang</p>")),
        ],
    );
    assert!(record::read("id/b/index.html", &by_language["id"][1].1).is_none());
    for pace in [Pace::SideBySide, Pace::OneByOne] {
        let index = index_pages(Pages(by_language.clone()), pace).expect("indexed");
        assert_eq!(index.pages.get("en"), Some(&2));
        assert_eq!(index.pages.get("id"), Some(&2));
        for url in ["a/", "b/", "id/a/"] {
            assert!(index.fragments.contains_key(url), "{url}: {:?}", index.fragments);
        }
        let entry = index
            .files
            .iter()
            .find(|f| f.path == format!("{BUNDLE}pagefind-entry.json"))
            .expect("an entry file");
        let entry: serde_json::Value = serde_json::from_slice(&entry.bytes).expect("JSON");
        assert_eq!(entry["languages"]["en"]["page_count"], 2);
        assert_eq!(entry["languages"]["id"]["page_count"], 2);
        let names: Vec<&str> = index.files.iter().map(|f| f.path.as_str()).collect();
        for name in ["pagefind/pagefind.js", "pagefind/wasm.en.pagefind", "pagefind/wasm.id.pagefind"] {
            assert!(names.contains(&name), "{name}: {names:?}");
        }
        assert_eq!(names.iter().filter(|n| n.ends_with(".pf_meta")).count(), 2);
        let mut unique = names.clone();
        unique.dedup();
        assert_eq!(unique.len(), names.len());
        assert!(index.common["en"].iter().any(|f| f.ends_with(".pf_meta")));
    }
}

#[test]
fn pages_casebook_is_not_sure_of_are_left_to_pagefind() {
    let page = |main: &str| format!("<html lang=\"en\"><body><main data-pagefind-body>{main}</main></body></html>");
    assert!(record::read("a/index.html", &page("<h1>T</h1><p>Text</p>")).is_some());
    // An element left open, a script, an attribute casebook does not follow.
    assert!(record::read("a/index.html", &page("<h1>T</h1><div><p>Text</p>")).is_none());
    assert!(record::read("a/index.html", &page("<script>if (a < b) {}</script>")).is_none());
    assert!(record::read("a/index.html", &page("<p data-pagefind-weight=\"2\">x</p>")).is_none());
    assert!(record::read("a/index.html", &page("<div/><p>x</p>")).is_none());
    assert!(record::read("a/index.html", &page("<svg><path d=\"M0 0\"/></svg><p>x</p>")).is_some());
    assert!(record::read("a/index.html", "<p>no body</p>").is_none());
}

#[test]
fn bundle_files_are_sorted_by_language() {
    assert_eq!(languages_of("index/id_ab12.pf_index"), vec!["id"]);
    assert_eq!(languages_of("filter/tl_ab12.pf_filter"), vec!["tl"]);
    assert_eq!(languages_of("pagefind.en_ab12.pf_meta"), vec!["en"]);
    assert_eq!(languages_of("wasm.id.pagefind"), vec!["id"]);
    assert_eq!(languages_of("chunks.tl.json"), vec!["tl"]);
    assert!(wanted("chunks.tl.json"));
    assert!(languages_of("wasm.unknown.pagefind").is_empty());
    assert!(languages_of("pagefind.js").is_empty());
    assert!(!wanted("pagefind-ui.js"));
    assert!(!wanted("pagefind-worker.js"));
    assert!(!wanted("playground/index.html"));
}

/// The bundled curriculum's Tagalog and Indonesian indexes find lessons that are not
/// translated by their workshop's title in the reader's language and the glossary's words
/// for the English terms they use (issue 24: "sahod" and "gaji" found only translated
/// pages); their own text stays, in English; a translated page has no more than its own
/// text.
#[test]
fn a_page_not_translated_is_found_by_the_words_of_the_readers_language() {
    let (files, across) = rendered(Path::new(env!("CARGO_MANIFEST_DIR")));
    let index = index_pages(Pages::of(&files, &across), Pace::SideBySide).expect("indexed");
    let fragment_of = |page: &str| {
        let path = &index.fragments[page];
        let file = index.files.iter().find(|f| &f.path == path).expect("its file");
        fragment(&file.bytes).expect("a fragment")
    };
    let tl = fragment_of("tl/07-sexual-harassment-and-abuse/01-what-the-law-says/");
    assert_eq!(tl["meta"]["original"], "en");
    assert_eq!(tl["meta"]["workshop"], "Workshop 7: Sexual harassment at pang-aabuso");
    let content = tl["content"].as_str().expect("text");
    assert!(
        content.starts_with("Workshop 7: Sexual harassment at pang-aabuso. "),
        "{content}"
    );
    // The page's own text is still there, in English.
    assert!(content.contains("Before the law: how we talk about it."), "{content}");
    let id = fragment_of("id/07-sexual-harassment-and-abuse/01-what-the-law-says/");
    assert_eq!(id["meta"]["workshop"], "Lokakarya 7: Pelecehan seksual dan kekerasan");
    let content = id["content"].as_str().expect("text");
    assert!(content.contains("pelecehan seksual"), "{content}");
    assert!(content.contains("Before the law: how we talk about it."), "{content}");
    let lesson = "03-wages-and-rest-days/02-wages-and-deductions/";
    // A lesson with no title in Tagalog keeps its own, marked as English.
    assert_eq!(tl["meta"]["title"], "What the law says");
    assert_eq!(tl["meta"]["title_lang"], "en");
    for (page, title) in [
        (lesson.to_string(), "Wages and deductions."),
        ("tl/03-wages-and-rest-days/04-maternity-protection/".to_string(), "Proteksyon sa pagbubuntis."),
        (format!("tl/{lesson}"), "Sahod at mga kaltas."),
    ] {
        let f = fragment_of(&page);
        assert!(f["meta"].get("original").is_none(), "{page}: {}", f["meta"]);
        let content = f["content"].as_str().expect("text");
        assert!(content.starts_with(title), "{page}: {content}");
    }
}
