//! The search index, the search box, and offline reading (parts, service worker,
//! manifests, the offline version).

use super::*;

/// Every search data file of a built site, decompressed, by path.
fn search_data(site: &Built) -> Vec<(String, String)> {
    site.files()
        .into_iter()
        .filter(|(p, _)| p.starts_with("pagefind"))
        .map(|(p, b)| (p.to_string_lossy().replace('\\', "/"), readable(&b)))
        .collect()
}

#[test]
fn search_index_has_one_index_per_language_and_no_trainer_text_in_the_mentee_edition() {
    let mentee_data = search_data(mentee());
    let entry = mentee().page("pagefind/pagefind-entry.json");
    let entry: serde_json::Value = serde_json::from_str(&entry).expect("JSON");
    let languages = entry["languages"].as_object().expect("languages");
    assert_eq!(
        languages.keys().collect::<Vec<_>>(),
        ["en", "id"],
        "{entry}"
    );
    // Indonesian is stemmed: it has its own wasm.
    assert_eq!(entry["languages"]["id"]["wasm"], "id", "{entry}");
    let fragments: Vec<&String> = mentee_data
        .iter()
        .filter(|(p, _)| p.contains("/fragment/"))
        .map(|(_, t)| t)
        .collect();
    // Lessons, the toolkit, fact patterns and the directory are indexed; list pages are not.
    assert!(
        fragments
            .iter()
            .any(|t| t.contains("\"url\":\"/01-first/01-alpha/\"")),
        "{fragments:?}"
    );
    assert!(
        fragments
            .iter()
            .any(|t| t.contains("\"url\":\"/id/fact-patterns/reveal-case/\"")),
        "the Indonesian index has the Indonesian pages"
    );
    assert!(
        fragments
            .iter()
            .any(|t| t.contains("\"url\":\"/toolkit/referrals/\"")),
        "the directory is searchable"
    );
    for list in [
        "/fact-patterns/",
        "/schedule/",
        "/search/",
        "/01-first/print/",
    ] {
        let url = format!("\"url\":\"{list}\"");
        assert!(
            !fragments.iter().any(|t| t.contains(&url)),
            "{list} should not be indexed"
        );
    }
    // Trainer-only text in the index: see
    // `nothing_the_mentee_edition_writes_holds_trainer_only_content`.
    // The workshop a page belongs to, and fact-pattern filters, go with the results.
    let alpha = fragments
        .iter()
        .find(|t| t.contains("\"url\":\"/01-first/01-alpha/\""))
        .expect("alpha indexed");
    assert!(alpha.contains("\"workshop\":\"First Workshop\""), "{alpha}");
    let reveal = fragments
        .iter()
        .find(|t| t.contains("\"url\":\"/fact-patterns/reveal-case/\""))
        .expect("reveal indexed");
    assert!(reveal.contains("\"level\":[\"Foundation\"]"), "{reveal}");
    assert!(
        reveal.contains("\"topic\":[\"wages\",\"rest days\"]"),
        "{reveal}"
    );
    // Only what search.js uses is shipped.
    for unused in [
        "pagefind-ui.js",
        "pagefind-worker.js",
        "pagefind-component-ui.js",
    ] {
        assert!(
            !mentee().out.join("pagefind").join(unused).exists(),
            "{unused}"
        );
    }
}

#[test]
fn search_box_on_every_page_submits_to_a_page_that_works_without_javascript() {
    let site = mentee();
    let lesson = site.page("01-first/01-alpha/index.html");
    assert!(lesson.contains("action=../../search/"), "{lesson}");
    assert!(lesson.contains("name=q"), "{lesson}");
    // The 404 page is served at any address: its box uses the site's root path.
    let not_found = site.page("404.html");
    assert!(not_found.contains("action=/course/search/"), "{not_found}");
    let search = site.page("search/index.html");
    let shown = text(&search);
    assert!(
        shown.contains(
            "Search needs JavaScript, which is turned off or not supported in this browser. Browse the list of all pages instead."
        ),
        "{shown}"
    );
    assert!(search.contains("href=#contents"), "{search}");
    // The full contents list: every workshop with its lessons, the toolkit, the exercises.
    assert_in_order(
        &shown,
        &[
            "All pages",
            "First Workshop",
            "Gamma Lesson",
            "Alpha Lesson",
            "Beta Lesson",
            "Second Workshop",
            "Toolkit",
            "Intake checklist",
            "Get help",
            "Exercises",
            "The Reveal Case",
        ],
    );
    let id_search = text(&site.page("id/search/index.html"));
    assert!(
        id_search.contains("Pencarian memerlukan JavaScript"),
        "{id_search}"
    );
}

#[test]
fn offline_parts_list_their_pages_pictures_pdf_and_search_data() {
    let site = mentee();
    // One small list per part, fetched when a reader saves it.
    let part: serde_json::Value =
        serde_json::from_str(&site.page("offline/en/01-first.json")).expect("the list is JSON");
    assert_eq!(part["title"], "First Workshop");
    let files: Vec<&str> = part["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|f| f.as_str().expect("path"))
        .collect();
    for wanted in [
        "01-first/",
        "01-first/01-alpha/",
        "01-first/print/",
        "01-first/form.png",
        "fact-patterns/reveal-case/",
        "pdf/01-first.pdf",
        "search/",
        "pagefind/pagefind.js",
        "pagefind/wasm.en.pagefind",
    ] {
        assert!(files.contains(&wanted), "{wanted} missing from {files:?}");
    }
    assert!(
        files.iter().any(|f| f.starts_with("pagefind/fragment/en_")),
        "{files:?}"
    );
    assert!(
        !files.iter().any(|f| f.starts_with("pagefind/fragment/id_")),
        "{files:?}"
    );
    // Every listed file exists, and the size is theirs.
    let mut total = 0;
    for f in &files {
        let bare = f.split('?').next().unwrap();
        let path = if bare.ends_with('/') {
            format!("{bare}index.html")
        } else {
            bare.to_string()
        };
        let meta = fs::metadata(site.out.join(&path)).unwrap_or_else(|e| panic!("{path}: {e}"));
        total += meta.len();
    }
    let bytes = part["bytes"].as_u64().expect("bytes");
    // The workshop page changed by a few bytes when its size was written into it.
    assert!(bytes.abs_diff(total) < 64, "listed {bytes}, files {total}");
    let page = text(&site.page("01-first/index.html"));
    let kb = bytes.div_ceil(1000);
    assert!(
        page.contains(&format!("Save for offline ({kb} KB)")),
        "{page}"
    );
    // The Indonesian part is the Indonesian pages.
    let id_part: serde_json::Value =
        serde_json::from_str(&site.page("offline/id/01-first.json")).expect("JSON");
    let id_files = id_part["files"].to_string();
    assert!(id_files.contains("\"id/01-first/01-alpha/\""), "{id_files}");
    assert!(id_files.contains("\"id/search/\""), "{id_files}");
}

#[test]
fn service_worker_and_manifests_let_the_site_install_and_work_under_a_base_path() {
    let site = mentee();
    let part: serde_json::Value =
        serde_json::from_str(&site.page("offline/en/toolkit.json")).expect("JSON");
    let sw = site.page("sw.js");
    let version = part["version"].as_str().expect("version");
    assert!(
        sw.contains(&format!("const VERSION = \"{version}\";")),
        "{sw}"
    );
    // Everything is relative to the worker's own address: no absolute paths.
    assert!(sw.contains("new URL(\"./\", self.location.href)"), "{sw}");
    assert!(!sw.contains("\"/assets"), "{sw}");
    let home = site.page("index.html");
    assert!(
        home.contains("<link href=./manifest.webmanifest rel=manifest>"),
        "{home}"
    );
    let lesson = site.page("id/01-first/01-alpha/index.html");
    assert!(
        lesson.contains("href=../../manifest.webmanifest"),
        "{lesson}"
    );
    assert!(
        lesson.contains("src=\"../../../assets/offline.js?v="),
        "{lesson}"
    );
    for (dir, scope) in [("", "./"), ("id/", "../")] {
        let manifest: serde_json::Value =
            serde_json::from_str(&site.page(&format!("{dir}manifest.webmanifest"))).expect("JSON");
        assert_eq!(manifest["start_url"], "./");
        assert_eq!(manifest["scope"], scope);
        assert_eq!(manifest["display"], "standalone");
        assert_eq!(manifest["name"], "Test Curriculum");
        for icon in manifest["icons"].as_array().expect("icons") {
            let src = icon["src"].as_str().expect("src");
            let png = fs::read(site.out.join(dir).join(src)).expect("icon exists");
            assert_eq!(&png[1..4], b"PNG", "{src}");
        }
    }
}

#[test]
fn the_offline_version_changes_with_the_content_and_only_then() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().join("site-src");
    copy_dir(&fixture("basic"), &root);
    let out = dir.path().join("out");
    let version = || {
        let result = casebook()
            .args(["build", "--no-pdf", "--root"])
            .arg(&root)
            .arg("--out")
            .arg(&out)
            .output()
            .expect("runs");
        assert!(result.status.success(), "{}", stderr(&result));
        let parts: serde_json::Value = serde_json::from_str(
            &fs::read_to_string(out.join("offline/en/01-first.json")).expect("read"),
        )
        .expect("JSON");
        parts["version"].as_str().expect("version").to_string()
    };
    let first = version();
    assert_eq!(first, version(), "the same content gives the same version");
    let lesson = root.join("curriculum/01-first/02-beta.md");
    let text = fs::read_to_string(&lesson).expect("read") + "\nA new paragraph.\n";
    fs::write(&lesson, text).expect("write");
    assert_ne!(first, version(), "an edit gives a new version");
}
