//! `casebook build`, as a trainer runs it: the fixture sites under tests/fixtures/ are built
//! with the real binary, and the tests read what a mentee or trainer would get: the pages,
//! the files in the output folder, the messages on stderr and the exit code.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use crate::common::{assert_in_order, copy_dir, decoded, pdftotext, readable, visible_text};

fn casebook() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_casebook"));
    cmd.env("NO_COLOR", "1");
    cmd
}

/// `casebook build --root ROOT --out OUT`, run to its end.
fn build_into(root: &Path, out: &Path) -> Output {
    casebook()
        .arg("build")
        .arg("--root")
        .arg(root)
        .arg("--out")
        .arg(out)
        .output()
        .expect("runs")
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A site built once and shared by the tests that read it.
struct Built {
    _dir: tempfile::TempDir,
    out: PathBuf,
}

impl Built {
    fn page(&self, rel: &str) -> String {
        let path = self.out.join(rel);
        fs::read_to_string(&path).unwrap_or_else(|e| panic!("{} should exist: {e}", path.display()))
    }

    /// Every file of the output, with its bytes.
    fn files(&self) -> Vec<(PathBuf, Vec<u8>)> {
        walkdir::WalkDir::new(&self.out)
            .into_iter()
            .map(|e| e.expect("readable output"))
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                (
                    e.path()
                        .strip_prefix(&self.out)
                        .expect("inside")
                        .to_path_buf(),
                    fs::read(e.path()).expect("readable"),
                )
            })
            .collect()
    }
}

fn build(fixture_name: &str, args: &[&str]) -> Built {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("site");
    let result = casebook()
        .arg("build")
        .arg("--root")
        .arg(fixture(fixture_name))
        .arg("--out")
        .arg(&out)
        .args(args)
        .output()
        .expect("casebook runs");
    assert!(
        result.status.success(),
        "build of {fixture_name} {args:?} failed:\n{}",
        stderr(&result)
    );
    Built { _dir: dir, out }
}

fn mentee() -> &'static Built {
    static SITE: OnceLock<Built> = OnceLock::new();
    SITE.get_or_init(|| build("basic", &[]))
}

fn trainer() -> &'static Built {
    static SITE: OnceLock<Built> = OnceLock::new();
    SITE.get_or_init(|| build("basic", &["--edition", "trainer"]))
}

/// The visible text of an HTML page (see `common::visible_text`).
fn text(html: &str) -> String {
    visible_text(html)
}

const TRAINER_MARKERS: [&str; 4] = [
    "TRAINER-NOTE-MARKER-workshop",
    "TRAINER-NOTE-MARKER-nested",
    "TRAINER-NOTE-MARKER-fact",
    "TRAINER-ANSWER-MARKER-exam",
];

#[test]
fn mentee_edition_has_no_byte_of_trainer_material_in_any_file() {
    let files = mentee().files();
    assert!(
        files.len() > 20,
        "the site should have its pages, got {}",
        files.len()
    );
    for (path, bytes) in &files {
        let content = String::from_utf8_lossy(bytes);
        for marker in TRAINER_MARKERS {
            assert!(
                !content.contains(marker),
                "{marker} leaked into the mentee edition's {}",
                path.display()
            );
        }
        assert!(
            !content.contains("Facilitator notes"),
            "facilitator notes label in {}",
            path.display()
        );
    }
}

/// One word in each kind of trainer-only content of the basic fixture: facilitator notes
/// in a workshop, nested in a role-play, in a fact pattern and in its translation, in the
/// programme overview and in a toolkit page, and a model answer kept for trainers. Single
/// words, so that a leak shows in the search index's word lists too.
const LEAK_WORDS: [&str; 7] = [
    "zzleakworkshopzz",
    "zzleaknestedzz",
    "zzleakfactzz",
    "zzleaktranslatedzz",
    "zzleakprogrammezz",
    "zzleaktoolkitzz",
    "zzleakexamzz",
];

#[test]
fn nothing_the_mentee_edition_writes_holds_trainer_only_content() {
    let mentee = decoded(&mentee().out);
    // Everything it writes is looked at: pages, search index, PDFs, sitemap, manifests,
    // service worker and offline lists.
    for kind in [
        ".html",
        ".pdf",
        "sitemap.xml",
        ".webmanifest",
        "sw.js",
        "pagefind/fragment/",
        "pagefind/index/",
        "offline/",
    ] {
        assert!(
            mentee.iter().any(|(p, _)| p.contains(kind)),
            "the mentee edition has no {kind} file to look at"
        );
    }
    for (path, text) in &mentee {
        for word in LEAK_WORDS {
            assert!(
                !text.contains(word),
                "{word} (trainer-only) leaked into the mentee edition's {path}"
            );
        }
    }
    // The same words are in the trainer edition, pages and search index alike, so the
    // check above can fail.
    let trainer = decoded(&trainer().out);
    for word in LEAK_WORDS {
        for place in [".html", "pagefind/"] {
            assert!(
                trainer
                    .iter()
                    .any(|(p, t)| p.contains(place) && t.contains(word)),
                "{word} is missing from the trainer edition's {place} files"
            );
        }
    }
    // Workshop packets and exercise books are PDFs: decoded too.
    for word in &LEAK_WORDS[..4] {
        assert!(
            trainer
                .iter()
                .any(|(p, t)| p.ends_with(".pdf") && t.contains(word)),
            "{word} is missing from the trainer edition's PDFs"
        );
    }
}

#[test]
fn front_matter_and_directory_strings_stay_text_in_pages_search_and_pdfs() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let site = tmp.path().join("content");
    copy_dir(&fixture("basic"), &site);
    // Markup of every kind the outputs speak: HTML, and Typst (PDFs), in a lesson title
    // and in a referral's name.
    let title = r#"</title><script>alert(1)</script><img src=x onerror=alert(2)> #set text(red) $x$ *y* @z"#;
    let beta = site.join("curriculum/01-first/02-beta.md");
    let text_of_beta = fs::read_to_string(&beta).expect("lesson");
    fs::write(
        &beta,
        text_of_beta.replace("title: Beta Lesson", &format!("title: '{title}'")),
    )
    .expect("write");
    let name = r#"Shelter <b>Bold</b> & #read("/etc/passwd") \ ]"#;
    let referrals = site.join("curriculum/toolkit/referrals.yaml");
    let text_of_referrals = fs::read_to_string(&referrals).expect("referrals");
    fs::write(
        &referrals,
        text_of_referrals.replacen("- name: Example Shelter", &format!("- name: '{name}'"), 1),
    )
    .expect("write");
    let out = tmp.path().join("site");
    let result = build_into(&site, &out);
    assert!(result.status.success(), "{}", stderr(&result));

    // Pages: the text is shown as written, and no element comes out of it.
    let page = fs::read_to_string(out.join("01-first/02-beta/index.html")).expect("page");
    let head_end = page.find("</title>").expect("a title") + "</title>".len();
    assert!(
        page[..head_end].contains("<title>&lt;/title>"),
        "{}",
        &page[..head_end]
    );
    let body = &page[head_end..];
    assert!(!body.contains("<script>alert"), "{body}");
    assert!(!body.contains("<img src=x"), "{body}");
    assert!(text(body).contains(title), "{}", text(body));
    let directory = fs::read_to_string(out.join("toolkit/referrals/index.html")).expect("page");
    assert!(!directory.contains("<b>Bold"), "{directory}");
    assert!(text(&directory).contains(name), "{}", text(&directory));

    // Search: titles are text (search.js sets them with textContent); excerpts are made
    // by pagefind from text it escapes, so the index holds the words as written.
    let fragment = walkdir::WalkDir::new(out.join("pagefind/fragment"))
        .into_iter()
        .map(|e| e.expect("entry"))
        .filter(|e| e.file_type().is_file())
        .map(|e| readable(&fs::read(e.path()).expect("fragment")))
        .find(|t| t.contains("\"url\":\"/01-first/02-beta/\""))
        .expect("the lesson is indexed");
    let json: serde_json::Value =
        serde_json::from_str(fragment.trim_start_matches("pagefind_dcd")).expect("JSON");
    assert_eq!(json["meta"]["title"], title);
    let search_js = fs::read_to_string(out.join("assets/search.js")).expect("search.js");
    assert!(search_js.contains("link.textContent = data.meta.title"));

    // PDFs: Typst's markup in the strings is printed, not obeyed.
    let packet = pdftotext(&out.join("pdf/01-first.pdf"), &[]);
    assert!(packet.contains(title), "{packet}");
    let toolkit = pdftotext(&out.join("pdf/toolkit.pdf"), &[]);
    assert!(toolkit.contains(name), "{toolkit}");
}

#[test]
fn trainer_edition_has_facilitator_notes_and_every_model_answer() {
    let site = trainer();
    let lesson = text(&site.page("01-first/01-alpha/index.html"));
    assert!(
        lesson.contains("Facilitator notes TRAINER-NOTE-MARKER-nested"),
        "{lesson}"
    );
    let exam = text(&site.page("fact-patterns/exam-case/index.html"));
    assert!(
        exam.contains("Model answer TRAINER-ANSWER-MARKER-exam"),
        "{exam}"
    );
    let workshop = text(&site.page("01-first/index.html"));
    assert!(workshop.contains("TRAINER-NOTE-MARKER-workshop"));
    assert!(workshop.contains(
        "Trainer edition: contains model answers and facilitator notes. Do not share with mentees."
    ));
    // The trainer edition asks search engines to stay away.
    assert!(site.page("robots.txt").contains("Disallow: /"));
}

#[test]
fn reveal_answers_are_collapsed_behind_show_model_answer() {
    let html = mentee().page("fact-patterns/reveal-case/index.html");
    let details = html.find("<details").expect("a <details> element");
    let rest = &html[details..];
    let end = rest.find("</details>").expect("closed");
    let inside = text(&rest[..end]);
    assert!(
        inside.starts_with("Show model answer REVEAL-ANSWER-MARKER"),
        "{inside}"
    );
    // The exam-style fact pattern shows its question but no answer at all.
    let exam = text(&mentee().page("fact-patterns/exam-case/index.html"));
    assert!(exam.contains("1. What can she do?"), "{exam}");
    assert!(!exam.contains("Show model answer"), "{exam}");
}

#[test]
fn untranslated_pages_fall_back_with_a_visible_note() {
    let html = mentee().page("id/01-first/index.html");
    let page = text(&html);
    assert!(
        page.contains(
            "Halaman ini belum diterjemahkan ke Bahasa Indonesia. Ditampilkan dalam English."
        ),
        "{page}"
    );
    // The English content is marked as English; the page's own words are Indonesian.
    assert!(html.contains("<html lang=id"), "{html}");
    assert!(html.contains("id=main lang=en"), "{html}");
    assert!(page.contains("First Workshop"));
    assert!(page.contains("Yang akan Anda pelajari"), "{page}");
    // Search engines are pointed at the original.
    assert!(
        html.contains("<meta content=noindex name=robots>"),
        "{html}"
    );
    assert!(
        html.contains("href=https://example.org/course/01-first/ rel=canonical"),
        "{html}"
    );
    // Links on a fallback page take the reader to pages in her language: the lesson's links
    // land on the reveal case's Indonesian translation and on the Indonesian copy of beta.
    let lesson = mentee().page("id/01-first/01-alpha/index.html");
    for (href, lands_on) in [
        (
            "../../fact-patterns/reveal-case/",
            "id/fact-patterns/reveal-case/index.html",
        ),
        ("../02-beta/#checklist", "id/01-first/02-beta/index.html"),
    ] {
        assert!(lesson.contains(&format!("href={href}")), "{href}: {lesson}");
        assert!(mentee().out.join(lands_on).is_file(), "{lands_on}");
    }
    assert!(
        text(&mentee().page("id/fact-patterns/reveal-case/index.html")).contains("Kasus Terbuka"),
        "the link lands on the translation"
    );
}

#[test]
fn translated_pages_are_in_their_language_and_link_to_the_others() {
    let html = mentee().page("id/fact-patterns/reveal-case/index.html");
    let page = text(&html);
    assert!(page.contains("Kasus Terbuka"));
    assert!(
        page.contains("Terjemahan ini belum diperiksa oleh penutur asli."),
        "{page}"
    );
    assert!(page.contains("Lihat contoh jawaban"), "{page}");
    assert!(
        !page.contains("belum diterjemahkan"),
        "a translated page has no fallback note"
    );
    // The language switcher links to the same page in English, and hreflang says so.
    assert!(
        html.contains("href=../../../fact-patterns/reveal-case/ hreflang=en lang=en>English</a>"),
        "{html}"
    );
    assert!(
        html.contains(
            "href=https://example.org/course/fact-patterns/reveal-case/ hreflang=en rel=alternate"
        ),
        "{html}"
    );
    assert!(html.contains("href=https://example.org/course/id/fact-patterns/reveal-case/ hreflang=id rel=alternate"), "{html}");
    // The English page links to its translation.
    let english = mentee().page("fact-patterns/reveal-case/index.html");
    assert!(
        english.contains(
            "href=../../id/fact-patterns/reveal-case/ hreflang=id lang=id>Bahasa Indonesia</a>"
        ),
        "{english}"
    );
}

#[test]
fn lessons_are_ordered_by_weight_then_file_name() {
    let workshop = text(&mentee().page("01-first/index.html"));
    assert_in_order(
        &workshop,
        &[
            "Lessons",
            "Gamma Lesson",
            "Alpha Lesson 45 min",
            "Beta Lesson 30 min",
        ],
    );
    // Previous and next follow the same order.
    let alpha = text(&mentee().page("01-first/01-alpha/index.html"));
    assert_in_order(&alpha, &["Previous Gamma Lesson", "Next Beta Lesson"]);
}

#[test]
fn workshop_page_shows_session_objectives_duration_lessons_and_exercises() {
    let page = text(&mentee().page("01-first/index.html"));
    assert_in_order(
        &page,
        &[
            "Session 1 First Workshop",
            "Date 1 March 2026",
            "Duration 3 h",
            "What you will learn Spot an urgent case Explain consent in plain words",
            "Before this workshop None",
            "This workshop is about the first call.",
            "Exercises for this workshop The Reveal Case Foundation 30 min The Exam Case Advanced",
            "Print this workshop",
            "Last reviewed: 10 January 2026",
            "Employment Ordinance (Cap. 57), s. 17 (rest days)",
        ],
    );
    let crumbs = mentee().page("01-first/01-alpha/index.html");
    let trail = &crumbs[crumbs
        .find("aria-label=\"You are here\"")
        .expect("a breadcrumb trail")..];
    assert_in_order(
        &text(trail),
        &["Programme", "First Workshop", "Alpha Lesson"],
    );
}

/// Every `id` on a page is used once: links to a heading or a footnote land on it.
fn assert_unique_ids(html: &str) {
    let mut seen = std::collections::HashSet::new();
    for (at, _) in html.match_indices(" id=") {
        let rest = &html[at + 4..];
        let id = match rest.strip_prefix('"') {
            Some(quoted) => &quoted[..quoted.find('"').expect("closing quote")],
            None => &rest[..rest.find([' ', '>']).expect("end of the tag")],
        };
        assert!(seen.insert(id), "the id `{id}` is used twice");
    }
    assert!(!seen.is_empty());
}

#[test]
fn markdown_features_render_as_readers_expect() {
    let html = mentee().page("01-first/01-alpha/index.html");
    let page = text(&html);
    assert!(
        html.contains("<h2 id=open-questions>Open questions</h2>"),
        "{html}"
    );
    assert!(
        page.contains("Warning Never promise an outcome."),
        "callout: {page}"
    );
    assert!(
        html.contains("<div class=table-wrap tabindex=0><table>"),
        "tables are wrapped: {html}"
    );
    for callout in [
        "Note Notes are kept for a year.",
        "Tip Ask for the payslips.",
        "Important Keep her passport out of it.",
        "Caution Do not post her story online.",
    ] {
        assert!(page.contains(callout), "callout `{callout}`: {page}");
    }
    assert!(
        html.contains("<del>the helper pays the agency HK$10,000</del>"),
        "strikethrough: {html}"
    );
    // The boxes are for the eye; a screen reader hears "Not done" and "Done".
    assert!(
        page.contains("☐Not done: Ask for consent") && page.contains("☑Done: Write down the date"),
        "task list: {page}"
    );
    // Footnotes are numbered, link both ways, and their ids never clash with a heading's:
    // the footnote `[^wages]` and the heading "Wages" are both on this page.
    assert!(
        html.contains("<sup class=footnote-reference id=fnref:wages><a href=#fn:wages>1</a></sup>"),
        "footnote reference: {html}"
    );
    assert!(
        html.contains("<sup class=footnote-reference><a href=#fn:wages>1</a></sup>"),
        "a second reference to the same note has no id of its own: {html}"
    );
    assert!(
        html.contains("<div class=footnote-definition id=fn:wages>"),
        "footnote: {html}"
    );
    assert!(html.contains("<h3 id=wages>Wages</h3>"), "{html}");
    assert_unique_ids(&html);
    assert!(
        html.contains("class=\"hl-source hl-rust\"") || html.contains("hl-rust"),
        "highlighted code: {html}"
    );
    assert!(
        html.contains("assets/highlight.css"),
        "the page links the highlighting stylesheet"
    );
    assert!(
        page.contains(
            "Role-play: The first phone call Roles: Rina, a worker; Maria, a union leader."
        ),
        "{page}"
    );
    // Links go to pages, not to Markdown files; the image is copied beside its page.
    assert!(html.contains("href=../02-beta/#checklist"), "{html}");
    assert!(
        html.contains("href=../../fact-patterns/reveal-case/"),
        "{html}"
    );
    assert!(html.contains("href=#open-questions"), "{html}");
    assert!(
        html.contains("<img alt=\"The intake form\" loading=lazy src=../form.png>"),
        "{html}"
    );
    assert!(mentee().out.join("01-first/form.png").is_file());
    // An "On this page" list for lessons with three or more sections.
    assert_in_order(
        &page,
        &[
            "On this page",
            "Open questions",
            "Second heading",
            "Third heading",
        ],
    );
    assert!(
        !html.contains(".md"),
        "no link to a Markdown file survives: {html}"
    );
}

#[test]
fn programme_schedule_sums_the_workshops() {
    let page = text(&mentee().page("schedule/index.html"));
    assert_in_order(
        &page,
        &[
            "Session Workshop Date Duration",
            "1 First Workshop 1 March 2026 3 h",
            "2 Second Workshop 1 h 30 min",
            "Total 4 h 30 min",
        ],
    );
}

#[test]
fn fact_pattern_index_is_filterable_by_level_and_topic() {
    let html = mentee().page("fact-patterns/index.html");
    let page = text(&html);
    assert_in_order(
        &page,
        &[
            "Level All Foundation Advanced",
            "Topic Topic All agencies rest days wages",
            "The Reveal Case Foundation",
            "The Exam Case Advanced",
        ],
    );
    let reveal = html.find("The Reveal Case").expect("listed");
    let item = &html[html[..reveal].rfind("<li").expect("in a list item")..reveal];
    assert!(
        item.contains("data-level=foundation") && item.contains("data-topics=\"wages rest-days\""),
        "{item}"
    );
    // The filters are CSS only: they work with JavaScript off.
    assert!(
        html.contains(".fp-index:has(#topic-wages:checked) .fp-list li:not([data-topics~=wages])"),
        "{html}"
    );
    // The only script is the offline one every page loads; filtering needs none.
    assert_eq!(html.matches("<script").count(), 1, "{html}");
    assert!(html.contains("assets/offline.js"), "{html}");
    assert!(!page.contains("DRAFT-CASE-MARKER"), "drafts are left out");
}

#[test]
fn referral_directory_has_tap_to_call_links_grouped_by_kind() {
    let html = mentee().page("toolkit/referrals/index.html");
    let page = text(&html);
    assert!(html.contains("href=tel:+85212345678"), "{html}");
    assert!(html.contains("href=https://wa.me/85287654321"), "{html}");
    assert!(html.contains("href=tel:999"), "{html}");
    assert_in_order(
        &page,
        &[
            "In an emergency, call 999.",
            "Shelters",
            "Example Shelter",
            "Call +852 1234 5678",
            "WhatsApp +852 8765 4321",
            "Hours 24 hours",
            "Details checked on 1 March 2026",
            "Government",
            "Example Labour Office",
            "Details not yet checked.",
        ],
    );
    // The toolkit links to the directory written as `referrals.yaml`.
    assert!(
        mentee()
            .page("toolkit/index.html")
            .contains("href=referrals/")
    );
}

#[test]
fn print_views_hold_every_page_with_full_urls_and_no_navigation() {
    let html = mentee().page("01-first/print/index.html");
    let page = text(&html);
    assert_in_order(
        &page,
        &[
            "First Workshop",
            "This workshop is about the first call.",
            "Gamma Lesson",
            "Alpha Lesson",
            "Open questions",
            "Beta Lesson",
            "The Reveal Case",
            "The Exam Case",
        ],
    );
    assert!(!html.contains("class=menu"), "no menu in print: {html}");
    assert!(
        !html.contains("class=\"breadcrumbs"),
        "no breadcrumbs in print"
    );
    // Links carry full URLs, to be printed beside them.
    assert!(
        html.contains("href=https://example.org/course/01-first/02-beta/#checklist"),
        "{html}"
    );
    assert!(html.contains("class=print-part"), "{html}");
    // Two lessons both have a footnote `[^wages]`: in one page, each keeps its own id.
    assert_unique_ids(&html);
    assert!(
        !page.contains("TRAINER-"),
        "no trainer text in the mentee print view"
    );
    let toolkit = text(&mentee().page("toolkit/print/index.html"));
    assert_in_order(
        &toolkit,
        &[
            "Toolkit",
            "Intake checklist",
            "Get help",
            "Example Shelter +852 1234 5678 24 hours",
        ],
    );
    // The stylesheet has the print rules: no chrome, URLs shown, a page per part.
    let css = mentee().page("assets/style.css");
    assert!(css.contains("content: \" (\" attr(href) \")\""));
    assert!(css.contains(".print-part + .print-part { break-before: page; }"));
}

#[test]
fn a_site_replaces_theme_files_one_by_one() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = tmp.path().join("public");
    let result = build_into(&fixture("theme-override"), &out);
    assert!(result.status.success(), "{}", stderr(&result));
    assert!(!stderr(&result).contains("warning"), "{}", stderr(&result));
    let read = |rel: &str| fs::read_to_string(out.join(rel)).expect(rel);
    // `themes/mine/templates/page.html` makes lessons; the other templates are built in.
    let lesson = read("01-first/01-alpha/index.html");
    assert!(
        text(&lesson).contains("Alpha Lesson Printed by the Domestic Workers' Union Listen first."),
        "{lesson}"
    );
    let exercise = read("fact-patterns/rest-days/index.html");
    assert!(!exercise.contains("Domestic Workers' Union"), "{exercise}");
    assert!(
        exercise.contains("class=\"breadcrumbs wrap\""),
        "built-in template: {exercise}"
    );
    // The site's stylesheet replaces the built-in one; the built-in scripts stay.
    assert!(read("assets/style.css").starts_with("/* The union's own stylesheet. */"));
    assert_eq!(
        read("assets/offline.js"),
        include_str!("../../themes/default/static/offline.js")
    );
    // `i18n/en.yaml` changes one string; the others stay as built in.
    assert!(
        exercise.contains("<summary>Reveal the answer</summary>"),
        "{exercise}"
    );
    assert!(
        text(&exercise).contains("Previous Alpha Lesson"),
        "{exercise}"
    );
}

#[test]
fn a_site_without_its_full_address_builds_without_a_sitemap_and_says_why() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let site = tmp.path().join("content");
    copy_dir(&fixture("theme-override"), &site);
    let config = site.join("casebook.yaml");
    let yaml = fs::read_to_string(&config).expect("config");
    fs::write(&config, yaml.replace("https://example.org/", "/course/")).expect("write");
    let out = tmp.path().join("public");
    let result = build_into(&site, &out);
    assert!(result.status.success(), "{}", stderr(&result));
    assert!(
        stderr(&result).starts_with(
            "warning: no `sitemap.xml`: `base_url` is `/course/`, not the site's full address\n --> casebook.yaml\n  = help: set `base_url` to the address the site will have, e.g. `base_url: https://example.org/casebook/`: search engines need it, and printed pages show it\n"
        ),
        "{}",
        stderr(&result)
    );
    assert!(!out.join("sitemap.xml").exists());
    assert_eq!(
        fs::read_to_string(out.join("robots.txt")).expect("robots.txt"),
        "User-agent: *\nAllow: /\n"
    );
}

#[test]
fn sitemap_lists_every_page_with_its_languages() {
    let xml = mentee().page("sitemap.xml");
    assert!(
        xml.contains("<loc>https://example.org/course/01-first/01-alpha/</loc>"),
        "{xml}"
    );
    assert!(
        xml.contains("<loc>https://example.org/course/id/fact-patterns/reveal-case/</loc>"),
        "{xml}"
    );
    assert!(xml.contains("<xhtml:link rel=\"alternate\" hreflang=\"id\" href=\"https://example.org/course/id/fact-patterns/reveal-case/\"/>"), "{xml}");
    // Fallback pages are not listed as translations; drafts are not listed at all.
    assert!(
        !xml.contains("<loc>https://example.org/course/id/01-first/01-alpha/</loc>"),
        "{xml}"
    );
    assert!(!xml.contains("draft-case"), "{xml}");
    assert!(
        mentee()
            .page("robots.txt")
            .contains("Sitemap: https://example.org/course/sitemap.xml")
    );
}

#[test]
fn pages_are_minified_and_load_nothing_from_elsewhere() {
    for (path, bytes) in mentee().files() {
        if path.extension().is_some_and(|e| e == "html") {
            let html = String::from_utf8_lossy(&bytes);
            assert!(
                html.starts_with("<!doctype html><html lang="),
                "{}: {}",
                path.display(),
                &html[..80.min(html.len())]
            );
            assert!(!html.contains("\n\n"), "{} is minified", path.display());
            assert!(
                !html.contains("src=http")
                    && !html.contains("src=\"http")
                    && !html.contains("stylesheet href=http"),
                "{} loads from another origin",
                path.display()
            );
            if path != Path::new("404.html") {
                assert!(
                    html.contains(" name=description>"),
                    "{} has a description for search engines and link previews",
                    path.display()
                );
            }
        }
    }
}

#[test]
fn drafts_are_built_only_when_asked() {
    assert!(!mentee().out.join("fact-patterns/draft-case").exists());
    let with_drafts = build("basic", &["--drafts"]);
    assert!(
        text(&with_drafts.page("fact-patterns/draft-case/index.html"))
            .contains("DRAFT-CASE-MARKER")
    );
}

#[test]
fn error_fixtures_report_exact_diagnostics_and_write_nothing() {
    let dir = fixture("errors");
    let mut cases: Vec<PathBuf> = fs::read_dir(&dir)
        .expect("errors folder")
        .map(|e| e.expect("entry").path())
        .collect();
    cases.sort();
    assert!(cases.len() >= 10, "{cases:?}");
    let mut failures = Vec::new();
    for case in cases {
        let expected =
            fs::read_to_string(case.join("expected-stderr.txt")).expect("expected-stderr.txt");
        let tmp = tempfile::tempdir().expect("temp dir");
        let out = tmp.path().join("site");
        let result = build_into(&case, &out);
        let got = stderr(&result);
        if result.status.code() != Some(1) || got != expected || out.exists() {
            failures.push(format!(
                "{}: exit {:?}, output written: {}\n--- expected\n{expected}\n--- got\n{got}",
                case.display(),
                result.status.code(),
                out.exists()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<_> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.expect("readable"))
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().to_path_buf(),
                fs::read(e.path()).expect("readable"),
            )
        })
        .collect();
    files.sort();
    files
}

#[test]
fn a_failed_build_leaves_the_previous_site_untouched() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let site = tmp.path().join("content");
    copy_dir(&fixture("basic"), &site);
    let out = tmp.path().join("public");
    let first = build_into(&site, &out);
    assert!(first.status.success(), "{}", stderr(&first));
    let before = snapshot(&out);

    fs::write(
        site.join("curriculum/01-first/02-beta.md"),
        "---\ntitle: Beta\nobjetives: [x]\n---\n",
    )
    .expect("write");
    let second = build_into(&site, &out);
    assert_eq!(second.status.code(), Some(1), "{}", stderr(&second));
    assert!(stderr(&second).contains("error: unknown front matter key `objetives`"));
    assert!(
        stderr(&second).ends_with("error: the build failed with 1 error; nothing was written\n"),
        "{}",
        stderr(&second)
    );
    assert_eq!(snapshot(&out), before, "the previous site changed");
    let leftovers: Vec<_> = fs::read_dir(tmp.path())
        .expect("list")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(
        leftovers.len(),
        2,
        "no temporary folders left beside the output: {leftovers:?}"
    );

    // A successful build replaces it whole, leaving no temporary folder either.
    fs::write(
        site.join("curriculum/01-first/02-beta.md"),
        "---\ntitle: Beta renamed\n---\n\n## Checklist\n",
    )
    .expect("write");
    let third = build_into(&site, &out);
    assert!(third.status.success(), "{}", stderr(&third));
    assert!(
        fs::read_to_string(out.join("01-first/02-beta/index.html"))
            .expect("page")
            .contains("Beta renamed")
    );
    assert_eq!(fs::read_dir(tmp.path()).expect("list").count(), 2);
}

/// The `basic` fixture copied into `tmp/content`, with a theme `broken` whose template
/// `name` is `text`.
fn with_broken_template(tmp: &Path, name: &str, text: &str) -> PathBuf {
    let site = tmp.join("content");
    copy_dir(&fixture("basic"), &site);
    let config = fs::read_to_string(site.join("casebook.yaml")).expect("config");
    fs::write(
        site.join("casebook.yaml"),
        format!("{config}theme: broken\n"),
    )
    .expect("write");
    fs::create_dir_all(site.join("themes/broken/templates")).expect("mkdir");
    fs::write(site.join("themes/broken/templates").join(name), text).expect("write");
    site
}

/// Builds `site` into `tmp/out` (`out` starting with `new/`), which must fail (exit code 1)
/// and leave `tmp` as it was, with no `new` folder; what it told.
fn fails_leaving_nothing(tmp: &Path, site: &Path, out: &str) -> String {
    let before = snapshot(tmp);
    let result = build_into(site, &tmp.join(out));
    assert_eq!(result.status.code(), Some(1), "{}", stderr(&result));
    assert!(!tmp.join("new").exists(), "folders were left behind");
    assert_eq!(snapshot(tmp), before, "something was written");
    stderr(&result)
}

#[test]
fn a_build_failing_after_its_pages_were_written_leaves_nothing_behind() {
    // Pages are written beside the output while the search index is made, before the
    // service worker; a theme whose service worker template fails stops the build then.
    let tmp = tempfile::tempdir().expect("temp dir");
    let site = with_broken_template(
        tmp.path(),
        "sw.js",
        "const VERSION = '{{ no_such_value }}';\n",
    );
    // Into a folder whose parents do not exist yet: they are not left behind either.
    let told = fails_leaving_nothing(tmp.path(), &site, "new/deeper/site");
    assert!(
        told.contains("error: the template `sw.js` failed"),
        "{told}"
    );
    assert!(told.ends_with("nothing was written\n"), "{told}");
}

#[test]
fn a_template_failing_on_every_page_is_told_once_and_nothing_is_written() {
    // Pages are written as soon as they are rendered; a template that fails on every
    // lesson stops the build with one error, not one per lesson, and leaves nothing.
    let tmp = tempfile::tempdir().expect("temp dir");
    let site = with_broken_template(
        tmp.path(),
        "page.html",
        "{% extends \"base.html\" %}{% block main %}{{ page.title | no_such_filter }}{% endblock main %}\n",
    );
    assert_eq!(
        fails_leaving_nothing(tmp.path(), &site, "new/site"),
        "error: the template `page.html` failed on `01-first/01-alpha/` and 7 other pages: Failed to render 'page.html': Filter 'no_such_filter' not found\n  = help: check the names used in the template against the built-in one in themes/default/templates/\n\nerror: the build failed with 1 error; nothing was written\n"
    );
}

#[test]
fn content_cannot_make_casebook_read_outside_the_site_folder() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let secret = tmp.path().join("secret");
    fs::create_dir_all(secret.join("workshop")).expect("mkdir");
    fs::write(secret.join("secret.png"), "SECRET-OUTSIDE").expect("write");
    fs::write(
        secret.join("workshop/_index.md"),
        "---\ntitle: SECRET-OUTSIDE\n---\n\nSECRET-OUTSIDE\n",
    )
    .expect("write");
    let site = tmp.path().join("content");
    copy_dir(&fixture("basic"), &site);
    // Links that lead out: a picture and a whole workshop folder.
    std::os::unix::fs::symlink(
        secret.join("secret.png"),
        site.join("curriculum/01-first/linked.png"),
    )
    .expect("symlink");
    std::os::unix::fs::symlink(secret.join("workshop"), site.join("curriculum/03-outside"))
        .expect("symlink");
    let out = tmp.path().join("site");

    // Followed by nothing: the site builds without them, with a warning for each.
    let result = build_into(&site, &out);
    assert!(result.status.success(), "{}", stderr(&result));
    for link in ["curriculum/01-first/linked.png", "curriculum/03-outside"] {
        assert!(
            stderr(&result).contains(&format!(
                "warning: `{link}` is a symbolic link and is skipped"
            )),
            "{}",
            stderr(&result)
        );
    }
    for (path, bytes) in snapshot(&out) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains("SECRET-OUTSIDE"),
            "{} holds a file from outside the site",
            path.display()
        );
    }

    // Paths that lead out are errors at their line; so is a theme named with a path.
    let beta = site.join("curriculum/01-first/02-beta.md");
    let lesson = fs::read_to_string(&beta).expect("lesson");
    let lines = lesson.lines().count();
    let outside = secret.join("secret.png");
    fs::write(
        &beta,
        format!(
            "{lesson}\n![a](../../../secret/secret.png)\n\n![b]({})\n\n![c](linked.png)\n",
            outside.display()
        ),
    )
    .expect("write");
    let config = fs::read_to_string(site.join("casebook.yaml")).expect("config");
    fs::write(
        site.join("casebook.yaml"),
        format!("{config}theme: ../../etc\n"),
    )
    .expect("write");
    let result = build_into(&site, &out);
    assert_eq!(result.status.code(), Some(1), "{}", stderr(&result));
    let err = stderr(&result);
    for expected in [
        format!(
            "error: the image `../../../secret/secret.png` points outside the site folder\n  --> curriculum/01-first/02-beta.md:{}:1",
            lines + 2
        ),
        format!(
            "error: the image `{}` is an absolute path\n  --> curriculum/01-first/02-beta.md:{}:1",
            outside.display(),
            lines + 4
        ),
        format!(
            "error: the file `curriculum/01-first/linked.png` is a symbolic link, which casebook does not follow\n  --> curriculum/01-first/02-beta.md:{}:1",
            lines + 6
        ),
        format!(
            "error: the theme `../../etc` is not a folder name\n --> casebook.yaml:{}:1",
            config.lines().count() + 1
        ),
    ] {
        assert!(err.contains(&expected), "{expected}\n--- in\n{err}");
    }
}

#[test]
fn refuses_output_folders_that_would_destroy_content() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let site = tmp.path().join("content");
    copy_dir(&fixture("basic"), &site);
    // A symbolic link is followed to the folder it stands for.
    let link = tmp.path().join("link-to-content");
    std::os::unix::fs::symlink(site.join("curriculum"), &link).expect("symlink");
    let before = snapshot(tmp.path());
    let cases: [(&str, PathBuf, &str); 5] = [
        (
            "the site itself",
            site.clone(),
            "it is the site folder itself, and building would replace the content",
        ),
        (
            "its parent",
            tmp.path().to_path_buf(),
            "it holds the site folder, and building would replace the content",
        ),
        (
            "the file system root",
            PathBuf::from("/"),
            "it is the root of the file system",
        ),
        (
            "a content folder",
            site.join("curriculum/out"),
            "it is inside `curriculum/`, which casebook reads",
        ),
        (
            "a link to a content folder",
            link.clone(),
            "it is inside `curriculum/`, which casebook reads",
        ),
    ];
    for (what, out, why) in cases {
        let result = build_into(&site, &out);
        // Wrong usage, not a problem in the content.
        assert_eq!(result.status.code(), Some(2), "{what}: {}", stderr(&result));
        let expected = format!(
            "error: refusing to write the site to `{}`: {why}",
            out.display()
        );
        assert!(
            stderr(&result).starts_with(&expected),
            "{what}: {}",
            stderr(&result)
        );
        assert!(
            stderr(&result).contains("help: choose another folder with `--out DIR`"),
            "{what}"
        );
    }
    // A folder with someone else's files is not replaced without --force.
    let foreign = tmp.path().join("photos");
    fs::create_dir(&foreign).expect("mkdir");
    fs::write(foreign.join("holiday.jpg"), b"jpg").expect("write");
    let result = build_into(&site, &foreign);
    assert_eq!(result.status.code(), Some(2));
    assert!(
        stderr(&result).contains("it holds files casebook did not write"),
        "{}",
        stderr(&result)
    );
    assert!(foreign.join("holiday.jpg").exists());
    let mut after = snapshot(tmp.path());
    after.retain(|(p, _)| !p.starts_with(&foreign));
    assert_eq!(after, before, "nothing in the content changed");
}

#[test]
fn new_creates_starter_files_that_build() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let site = tmp.path().join("content");
    copy_dir(&fixture("basic"), &site);
    let run = |args: &[&str]| {
        casebook()
            .args(args)
            .arg("--root")
            .arg(&site)
            .output()
            .expect("runs")
    };

    let made = run(&["new", "workshop", "03-housing-and-food"]);
    assert!(made.status.success(), "{}", stderr(&made));
    assert_eq!(
        String::from_utf8_lossy(&made.stdout),
        "curriculum/03-housing-and-food/_index.md\n"
    );
    assert!(
        run(&["new", "lesson", "03-housing-and-food/01-food-allowance"])
            .status
            .success()
    );
    assert!(
        run(&["new", "fact-pattern", "no-room-of-her-own"])
            .status
            .success()
    );
    let workshop =
        fs::read_to_string(site.join("curriculum/03-housing-and-food/_index.md")).expect("written");
    for key in [
        "title:",
        "summary:",
        "session: 3",
        "duration:",
        "objectives:",
        "prerequisites:",
        "reviewed:",
        "review_every:",
        "sources:",
        "draft: true",
    ] {
        assert!(workshop.contains(key), "{key} missing from:\n{workshop}");
    }

    // Drafts until published: absent from a normal build, present with --drafts.
    let out = tmp.path().join("public");
    let normal = build_into(&site, &out);
    assert!(normal.status.success(), "{}", stderr(&normal));
    assert!(!out.join("03-housing-and-food").exists());
    let drafts = casebook()
        .arg("build")
        .arg("--root")
        .arg(&site)
        .arg("--out")
        .arg(&out)
        .arg("--drafts")
        .output()
        .expect("runs");
    assert!(drafts.status.success(), "{}", stderr(&drafts));
    assert!(
        fs::read_to_string(out.join("03-housing-and-food/01-food-allowance/index.html"))
            .expect("page")
            .contains("Food allowance")
    );
    assert!(
        out.join("fact-patterns/no-room-of-her-own/index.html")
            .exists()
    );

    // Never overwrites; bad names are usage errors.
    let again = run(&["new", "fact-pattern", "no-room-of-her-own"]);
    assert_eq!(again.status.code(), Some(1));
    assert!(
        stderr(&again).starts_with("error: `fact-patterns/no-room-of-her-own.md` already exists"),
        "{}",
        stderr(&again)
    );
    let bad = run(&["new", "lesson", "Lesson One"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        stderr(&bad).contains("does not say which workshop the lesson is in"),
        "{}",
        stderr(&bad)
    );
}

#[test]
fn usage_errors_exit_with_code_2() {
    let result = casebook()
        .args(["build", "--edition", "teacher"])
        .output()
        .expect("runs");
    assert_eq!(result.status.code(), Some(2));
    assert!(
        stderr(&result).contains("invalid value 'teacher' for '--edition <EDITION>'"),
        "{}",
        stderr(&result)
    );
    let missing = casebook()
        .args(["build", "--root", "/nonexistent-casebook-site"])
        .output()
        .expect("runs");
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        stderr(&missing)
            .starts_with("error: cannot open the site folder `/nonexistent-casebook-site`"),
        "{}",
        stderr(&missing)
    );
}

#[test]
fn large_images_are_a_warning_that_does_not_fail_the_build() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let site = tmp.path().join("content");
    copy_dir(&fixture("basic"), &site);
    // A 400 KB file behind the image name: a phone photo pasted in as it came.
    let mut png = fs::read(site.join("curriculum/01-first/form.png")).expect("png");
    png.resize(400 * 1024, 0);
    fs::write(site.join("curriculum/01-first/form.png"), &png).expect("write");
    let out = tmp.path().join("public");
    let result = casebook()
        .arg("build")
        .arg("--no-pdf")
        .arg("--root")
        .arg(&site)
        .arg("--out")
        .arg(&out)
        .output()
        .expect("runs");
    assert!(result.status.success(), "{}", stderr(&result));
    let expected = "warning: the image `curriculum/01-first/form.png` is 400 KB, heavy for a phone on prepaid data\n  --> curriculum/01-first/01-alpha.md:46:1\n   |\n46 | ![The intake form](form.png)\n   | ^^^^^^^^\n   = help: make it at most 1200 pixels wide and save it as JPEG, or compress the PNG: aim for under 250 KB\n";
    assert!(stderr(&result).starts_with(expected), "{}", stderr(&result));
    assert!(
        stderr(&result).contains("with 1 warning"),
        "{}",
        stderr(&result)
    );
}

#[test]
fn pages_past_their_review_date_say_so() {
    // Reviewed 2020-01-01, to be reviewed every 12 months: overdue since 1 January 2021.
    let beta = text(&mentee().page("01-first/02-beta/index.html"));
    assert!(beta.contains("This page was due for review on 1 January 2021. The law or the phone numbers may have changed: check with your mentor before relying on it."), "{beta}");
    let indonesian = text(&mentee().page("id/01-first/02-beta/index.html"));
    assert!(
        indonesian.contains("Halaman ini seharusnya diperiksa ulang pada 1 Januari 2021."),
        "{indonesian}"
    );
    // A page with no review date has no such notice (`check` reports those).
    let gamma = text(&mentee().page("01-first/03-gamma/index.html"));
    assert!(!gamma.contains("due for review"), "{gamma}");
}

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
