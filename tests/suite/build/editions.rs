//! The two editions of the basic fixture: no byte of trainer material in any file the
//! mentee edition writes (decoded), every note and answer in the trainer edition, text
//! that stays text, answers revealed or kept, drafts.

use super::*;

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
/// programme overview and in a toolkit page, a model answer kept for trainers and one inside
/// a trainer note. Single
/// words, so that a leak shows in the search index's word lists too.
const LEAK_WORDS: [&str; 8] = [
    "zzleakworkshopzz",
    "zzleaknestedzz",
    "zzleakfactzz",
    "zzleaktranslatedzz",
    "zzleakprogrammezz",
    "zzleaktoolkitzz",
    "zzleakexamzz",
    // A model answer inside a trainer note: the handouts leave room to write under its
    // question, and nothing of it.
    "zzleaknestedanswerzz",
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
    let details = html
        .find("<details class=answer")
        .expect("a <details> element");
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
fn exercises_say_whether_their_readers_get_a_model_answer() {
    // The mentee edition: the exam case keeps its answers for trainers, so its lists say it
    // has none and its page says so after its questions.
    let index = text(&mentee().page("fact-patterns/index.html"));
    assert_in_order(
        &index,
        &[
            "The Reveal Case Foundation",
            "Model answer included",
            "The Exam Case Advanced",
            "No model answer",
        ],
    );
    let exam = text(&mentee().page("fact-patterns/exam-case/index.html"));
    assert_in_order(
        &exam,
        &[
            "1. What can she do?",
            "No model answer for self-study: discuss this exercise with your mentor.",
            "Previous",
        ],
    );
    let reveal = text(&mentee().page("fact-patterns/reveal-case/index.html"));
    assert!(!reveal.contains("No model answer"), "{reveal}");
    // The trainer edition shows every answer, and tells which ones mentees do not get.
    let index = text(&trainer().page("fact-patterns/index.html"));
    assert_in_order(
        &index,
        &[
            "The Reveal Case",
            "Model answer included",
            "The Exam Case",
            "Model answer for trainers only",
        ],
    );
    let exam = text(&trainer().page("fact-patterns/exam-case/index.html"));
    assert_in_order(
        &exam,
        &[
            "Model answer TRAINER-ANSWER-MARKER-exam",
            "Mentees do not see these model answers: they discuss this exercise with their mentor.",
        ],
    );
    // In Bahasa Indonesia.
    let index = text(&mentee().page("id/fact-patterns/index.html"));
    assert_in_order(&index, &["Ada contoh jawaban", "Tanpa contoh jawaban"]);
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
