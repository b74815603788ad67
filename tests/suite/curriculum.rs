//! The bundled curriculum (curriculum/, fact-patterns/ at the repository root), built as a
//! newcomer builds it: it must build with no errors and no warning but one (its `base_url`
//! is a placeholder) in both editions, and keep the structure a trainer relies on
//! (workshops, lessons, role-plays, exercises, the toolkit, the directory, translations).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

struct Built {
    _dir: tempfile::TempDir,
    out: PathBuf,
}

impl Built {
    fn page(&self, rel: &str) -> String {
        let path = self.out.join(rel).join("index.html");
        fs::read_to_string(&path).unwrap_or_else(|e| panic!("{} should exist: {e}", path.display()))
    }

    /// Folders directly under `rel` that hold a page.
    fn pages_under(&self, rel: &str) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(self.out.join(rel))
            .expect("folder exists")
            .map(|e| e.expect("entry"))
            .filter(|e| e.path().join("index.html").is_file())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }
}

fn build(edition: &str) -> Built {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("site");
    let result = Command::new(env!("CARGO_BIN_EXE_casebook"))
        .env("NO_COLOR", "1")
        .args(["build", "--edition", edition, "--root"])
        .arg(env!("CARGO_MANIFEST_DIR"))
        .arg("--out")
        .arg(&out)
        .output()
        .expect("casebook runs");
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(
        result.status.success(),
        "the bundled curriculum must build:\n{stderr}"
    );
    // One warning, an honest one: `base_url` is DESIGN.md's placeholder, `example.org`,
    // which every PDF's cover prints. Nothing else.
    let warnings: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("warning: ") || l.starts_with("error: "))
        .collect();
    assert_eq!(
        warnings.len(),
        1,
        "the bundled curriculum builds with no warning but the placeholder address's:\n{stderr}"
    );
    assert!(
        warnings[0].starts_with(
            "warning: `base_url` is a placeholder address on `example.org`: the covers of "
        ),
        "{stderr}"
    );
    let summary = stderr.lines().last().unwrap_or_default();
    assert!(
        summary.starts_with(&format!("built the {edition} edition: "))
            && summary.ends_with(" with 1 warning"),
        "{stderr}"
    );
    Built { _dir: dir, out }
}

fn mentee() -> &'static Built {
    static SITE: OnceLock<Built> = OnceLock::new();
    SITE.get_or_init(|| build("mentee"))
}

fn trainer() -> &'static Built {
    static SITE: OnceLock<Built> = OnceLock::new();
    SITE.get_or_init(|| build("trainer"))
}

fn workshops(site: &Built) -> Vec<String> {
    site.pages_under("")
        .into_iter()
        .filter(|n| n.chars().take(2).all(|c| c.is_ascii_digit()))
        .collect()
}

fn lessons(site: &Built, workshop: &str) -> Vec<String> {
    site.pages_under(workshop)
        .into_iter()
        .filter(|n| n != "print")
        .collect()
}

#[test]
fn a_year_of_workshops_each_ready_to_run() {
    let site = trainer();
    let workshops = workshops(site);
    assert!(
        workshops.len() >= 8,
        "at least eight workshops: {workshops:?}"
    );
    for (n, workshop) in workshops.iter().enumerate() {
        let page = site.page(workshop);
        assert!(
            page.contains(&format!("Session {}", n + 1)),
            "{workshop} is session {}",
            n + 1
        );
        assert!(page.contains("<dt>Duration"), "{workshop} has a duration");
        assert!(
            page.contains("What you will learn"),
            "{workshop} has objectives"
        );
        assert!(
            page.contains("Exercises for this workshop"),
            "{workshop} has linked fact patterns"
        );
        assert!(
            page.contains("Last reviewed"),
            "{workshop} carries its review date"
        );
        let lessons = lessons(site, workshop);
        assert!(
            (2..=4).contains(&lessons.len()),
            "{workshop} has 2-4 lessons: {lessons:?}"
        );
        let all: String = std::iter::once(page.clone())
            .chain(
                lessons
                    .iter()
                    .map(|l| site.page(&format!("{workshop}/{l}"))),
            )
            .collect();
        assert!(all.contains("Role-play:"), "{workshop} has a role-play");
        assert!(
            all.contains("Facilitator notes"),
            "{workshop} has facilitator notes"
        );
        assert!(all.contains("Sources"), "{workshop} cites its sources");
    }
}

#[test]
fn twelve_fact_patterns_at_every_level_with_questions_and_answers() {
    let trainer = trainer();
    let names: Vec<String> = trainer.pages_under("fact-patterns");
    assert!(
        names.len() >= 12,
        "at least twelve fact patterns: {names:?}"
    );
    let mut levels = std::collections::BTreeMap::new();
    let (mut reveal, mut exam) = (0, 0);
    for name in &names {
        let page = trainer.page(&format!("fact-patterns/{name}"));
        for part in [
            "<h2 id=facts>Facts</h2>",
            "<h2 id=questions>Questions</h2>",
            "Model answer",
            "Facilitator notes",
        ] {
            assert!(page.contains(part), "{name} has {part}");
        }
        for level in ["Foundation", "Intermediate", "Advanced"] {
            if page.contains(&format!(">{level}</span>")) {
                *levels.entry(level).or_insert(0) += 1;
            }
        }
        let mentee_page = mentee().page(&format!("fact-patterns/{name}"));
        if mentee_page.contains("Show model answer") {
            reveal += 1
        } else {
            exam += 1
        }
        assert!(
            !mentee_page.contains("Facilitator notes"),
            "{name}: no trainer notes for mentees"
        );
    }
    assert!(
        levels.values().all(|&n| n >= 2) && levels.len() == 3,
        "spread over the three levels: {levels:?}"
    );
    assert!(
        reveal >= 4 && exam >= 4,
        "some for self-study ({reveal}), some exam-style ({exam})"
    );
}

#[test]
fn the_toolkit_has_six_tools_and_a_directory_to_call_from() {
    let site = mentee();
    let tools: Vec<String> = site
        .pages_under("toolkit")
        .into_iter()
        .filter(|n| n != "print" && n != "referrals")
        .collect();
    for tool in [
        "intake-checklist",
        "interview-guide",
        "case-record-template",
        "evidence-checklist",
        "timeline-template",
        "avenues-of-redress",
    ] {
        assert!(
            tools.iter().any(|t| t == tool),
            "the toolkit has {tool}: {tools:?}"
        );
    }
    let directory = site.page("toolkit/referrals");
    let calls = directory.matches("href=tel:+852").count();
    assert!(
        calls >= 10,
        "at least ten organisations to call, found {calls}"
    );
    for kind in [
        "Government",
        "Legal help",
        "Shelters",
        "Consulates",
        "Hotlines",
    ] {
        assert!(
            directory.contains(&format!(">{kind}</h2>")),
            "the directory lists {kind}"
        );
    }
    assert!(
        site.page("toolkit/print").contains("Example")
            || site.page("toolkit/print").contains("Labour Department"),
        "the toolkit print view holds the pocket card"
    );
}

/// At night a reader needs what answers now: in each group of the directory, services open
/// at any hour come first and say so, in the reader's language; opening times are written
/// in her language too.
#[test]
fn the_directory_puts_what_answers_at_night_first() {
    let site = mentee();
    for (lang, open, days) in [
        (
            "",
            "Open 24 hours",
            "Monday to Friday 08:45\u{2013}13:00, 14:00\u{2013}17:30",
        ),
        (
            "id/",
            "Buka 24 jam",
            "Senin sampai Jumat 08:45\u{2013}13:00, 14:00\u{2013}17:30",
        ),
        (
            "tl/",
            "Bukas 24 oras",
            "Lunes hanggang Biyernes 08:45\u{2013}13:00, 14:00\u{2013}17:30",
        ),
    ] {
        let text = crate::common::visible_text(&site.page(&format!("{lang}toolkit/referrals")));
        crate::common::assert_in_order(&text, &["999", "Harmony House", open, "Bethune House"]);
        assert!(
            text.contains(days),
            "{lang}: the Labour Tribunal's hours read `{days}`"
        );
    }
}

/// A directory entry's number written in a page's text dials it; amounts and dates do not.
#[test]
fn numbers_in_page_text_dial_the_directory() {
    let site = mentee();
    let redress = site.page("toolkit/avenues-of-redress");
    assert!(
        redress.contains("<a class=number href=tel:+85221579537>2157 9537</a>"),
        "the Labour Department's helpline in the redress guide dials"
    );
    let agencies = site.page("05-employment-agencies");
    for page in [&redress, &agencies] {
        for link in page.split("href=tel:").skip(1) {
            let number = link.split(['>', ' ']).next().unwrap_or_default();
            assert!(
                number.len() >= 3
                    && number
                        .trim_start_matches('+')
                        .chars()
                        .all(|c| c.is_ascii_digit()),
                "a tel: link holds only a number: {number}"
            );
        }
    }
    assert!(!redress.contains("HK$<a"), "an amount is never a link");
}

#[test]
fn core_tools_and_two_exercises_are_translated_for_native_review() {
    let site = mentee();
    let translated = [
        "toolkit/intake-checklist",
        "toolkit/interview-guide",
        "toolkit/avenues-of-redress",
        "fact-patterns/agency-fees",
        "fact-patterns/unpaid-rest-days",
    ];
    for lang in ["id", "tl"] {
        for page in translated {
            let html = site.page(&format!("{lang}/{page}"));
            assert!(
                html.contains(&format!("<html lang={lang}")),
                "{lang}/{page}"
            );
            assert!(
                !html.contains("id=main lang=en"),
                "{lang}/{page} is really translated, not a fallback"
            );
            let review_note = if lang == "id" {
                "Terjemahan ini belum diperiksa oleh penutur asli."
            } else {
                "Hindi pa nasusuri ng katutubong nagsasalita ang salin na ito."
            };
            assert!(
                html.contains(review_note),
                "{lang}/{page} is marked as needing a native speaker's review"
            );
        }
    }
}

#[test]
fn mentees_never_see_mentor_checks_and_always_see_the_disclaimer() {
    let site = mentee();
    let mut pages = 0;
    for entry in walkdir::WalkDir::new(&site.out) {
        let entry = entry.expect("readable");
        if entry.path().extension().is_some_and(|e| e == "html") {
            pages += 1;
            let html = fs::read_to_string(entry.path()).expect("readable");
            assert!(!html.contains("Mentor check"), "{}", entry.path().display());
            assert!(
                html.contains("not legal advice")
                    || html.contains("bukan nasihat hukum")
                    || html.contains("hindi legal na payo"),
                "{} carries the disclaimer",
                entry.path().display()
            );
        }
    }
    assert!(pages > 150, "{pages} pages");
    let trainer_checks = walkdir::WalkDir::new(&trainer().out)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .filter(|e| fs::read_to_string(e.path()).is_ok_and(|h| h.contains("Mentor check")))
        .count();
    assert!(
        trainer_checks > 20,
        "the trainer edition shows the points a lawyer must check ({trainer_checks} pages)"
    );
}

#[test]
fn fact_patterns_hold_no_personal_data() {
    // Fictional material only: no Hong Kong ID numbers, phone numbers or emails in exercises.
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fact-patterns");
    for entry in fs::read_dir(dir).expect("fact-patterns") {
        let path = entry.expect("entry").path();
        let text = fs::read_to_string(&path).expect("readable");
        // A translation's `source_hash` is a fingerprint, not a number about a person.
        let text: String = text
            .lines()
            .filter(|l| !l.starts_with("source_hash:"))
            .collect::<Vec<_>>()
            .join("\n");
        let digits_run = text
            .split(|c: char| !c.is_ascii_digit() && c != ' ')
            .map(|s| s.chars().filter(char::is_ascii_digit).count())
            .max()
            .unwrap_or(0);
        assert!(
            digits_run < 8,
            "{} holds a long number (a phone or ID number?)",
            path.display()
        );
        assert!(
            !text.contains('@'),
            "{} holds an email address",
            path.display()
        );
    }
}

/// The page-weight budget: every HTML page of the bundled mentee site, with the stylesheets
/// and scripts it loads, is at most 30 KB gzipped on a first visit (pictures and PDFs, which
/// a reader chooses to open, aside). A workshop's print view holds the whole workshop, so
/// its weight follows what the trainers wrote: it has a budget of its own, 60 KB, about
/// twice the longest workshop's. The browser gate measures the same in Chromium; this test
/// needs no browser, so it guards the budget on any machine.
#[test]
fn every_page_with_its_css_and_js_stays_under_30_kb_gzipped() {
    use std::io::Write;
    const BUDGET: usize = 30 * 1024;
    const PRINT_BUDGET: usize = 60 * 1024;
    let site = mentee();
    let gz = |bytes: &[u8]| {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(bytes).unwrap();
        e.finish().unwrap().len()
    };
    let mut heaviest = (0, String::new());
    let mut heaviest_print = (0, String::new());
    let mut pages = 0;
    for entry in walkdir::WalkDir::new(&site.out) {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "html") {
            continue;
        }
        pages += 1;
        let html = fs::read_to_string(entry.path()).unwrap();
        let mut total = gz(html.as_bytes());
        // What the page loads itself: `src=` of scripts and `href=` of stylesheets.
        for (attr, tag) in [("src=", "<script"), ("href=", "<link")] {
            for piece in html.split(tag).skip(1) {
                let tag_text = piece.split('>').next().unwrap_or_default();
                if tag == "<link" && !tag_text.contains("stylesheet") {
                    continue;
                }
                let Some(at) = tag_text.find(attr) else {
                    continue;
                };
                let value = tag_text[at + attr.len()..].trim_start_matches(['"', '\'']);
                let value = value
                    .split(['"', '\'', ' ', '?'])
                    .next()
                    .unwrap_or_default();
                // The 404 page, served at any address, uses the site's root path.
                let file = match value.strip_prefix('/') {
                    Some(absolute) => site
                        .out
                        .join(&absolute[absolute.find("assets/").unwrap_or(0)..]),
                    None => entry.path().parent().unwrap().join(value),
                };
                let bytes = fs::read(&file).unwrap_or_else(|e| {
                    panic!("{} loads {}: {e}", entry.path().display(), file.display())
                });
                total += gz(&bytes);
            }
        }
        let print = entry.path().parent().is_some_and(|p| p.ends_with("print"));
        let (budget, record) = if print {
            (PRINT_BUDGET, &mut heaviest_print)
        } else {
            (BUDGET, &mut heaviest)
        };
        if total > record.0 {
            *record = (
                total,
                entry
                    .path()
                    .strip_prefix(&site.out)
                    .unwrap()
                    .display()
                    .to_string(),
            );
        }
        assert!(
            total <= budget,
            "{} weighs {total} bytes gzipped with its CSS and JS, over the {budget}-byte budget",
            entry.path().display()
        );
    }
    assert!(pages > 100, "{pages} pages");
    println!(
        "{pages} pages; heaviest first load {} bytes gzipped: {}; heaviest print view {} bytes: {}",
        heaviest.0, heaviest.1, heaviest_print.0, heaviest_print.1
    );
}

/// The bundled site uses every Markdown feature a trainer can write, so the browser gate
/// (valid HTML, no accessibility problem, no sideways scrolling) checks each of them on
/// real pages, not only on the test fixture.
#[test]
fn the_bundled_pages_use_every_feature_of_the_format() {
    let site = mentee();
    let features: [(&str, &str, &str); 10] = [
        (
            "03-wages-and-rest-days/02-wages-and-deductions",
            "class=footnote-definition",
            "a footnote",
        ),
        (
            "08-evidence-referrals-and-going-home/01-evidence-and-records",
            "<del>5 March</del>",
            "strikethrough",
        ),
        (
            "04-termination-and-claims/03-making-a-claim",
            "src=../path-of-a-claim.svg",
            "a picture",
        ),
        ("toolkit/timeline-template", "<pre", "a code block"),
        (
            "04-termination-and-claims/03-making-a-claim",
            "<table>",
            "a table",
        ),
        (
            "02-interviewing-and-client-care/04-caring-for-the-helper",
            "class=tick",
            "a task list",
        ),
        (
            "fact-patterns/unpaid-rest-days",
            "<summary>Show model answer</summary>",
            "a model answer to reveal",
        ),
        (
            "04-termination-and-claims/03-making-a-claim",
            "class=roleplay",
            "a role-play",
        ),
        (
            "04-termination-and-claims/03-making-a-claim",
            "callout-important",
            "a callout",
        ),
        (
            "08-evidence-referrals-and-going-home/01-evidence-and-records",
            "callout-caution",
            "a caution",
        ),
    ];
    for (page, needle, what) in features {
        assert!(
            site.page(page).contains(needle),
            "{what}: `{needle}` in {page}"
        );
    }
    assert!(
        site.out
            .join("04-termination-and-claims/path-of-a-claim.svg")
            .is_file()
    );
}
