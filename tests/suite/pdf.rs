//! The PDF bundles, read as a trainer or mentee reads them: `pdftotext` and `pdfinfo`
//! (poppler-utils) on the files that `casebook build` writes into `OUT/pdf/`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use crate::common::{assert_in_order, copy_dir, pdftotext};

struct Built {
    _dir: tempfile::TempDir,
    out: PathBuf,
}

fn build_at(root: &Path, args: &[&str]) -> Built {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("site");
    let result = Command::new(env!("CARGO_BIN_EXE_casebook"))
        .env("NO_COLOR", "1")
        .arg("build")
        .arg("--root")
        .arg(root)
        .arg("--out")
        .arg(&out)
        .args(args)
        .output()
        .expect("casebook runs");
    assert!(
        result.status.success(),
        "build failed:\n{}",
        String::from_utf8_lossy(&result.stderr)
    );
    Built { _dir: dir, out }
}

fn basic() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/basic")
}

fn mentee() -> &'static Built {
    static SITE: OnceLock<Built> = OnceLock::new();
    SITE.get_or_init(|| build_at(&basic(), &[]))
}

fn trainer() -> &'static Built {
    static SITE: OnceLock<Built> = OnceLock::new();
    SITE.get_or_init(|| build_at(&basic(), &["--edition", "trainer"]))
}

/// The text of a PDF, as `pdftotext -layout` reads it, with whitespace collapsed.
fn pdf_text(path: &Path) -> String {
    pdftotext(path, &["-layout"])
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn pdf_info(path: &Path, field: &str) -> String {
    let out = Command::new("pdfinfo")
        .arg(path)
        .output()
        .expect("pdfinfo (poppler-utils) is installed");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    text.lines()
        .find_map(|l| {
            l.strip_prefix(&format!("{field}:"))
                .map(|v| v.trim().to_string())
        })
        .unwrap_or_else(|| panic!("no {field} in:\n{text}"))
}

fn pdfs(out: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(out.join("pdf"))
        .expect("pdf folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn each_edition_writes_its_bundles_in_every_translated_language() {
    assert_eq!(
        pdfs(&mentee().out),
        [
            "01-first.id.pdf",
            "01-first.pdf",
            "02-second.pdf",
            "fact-patterns.id.pdf",
            "fact-patterns.pdf",
            "toolkit.pdf"
        ],
        "the mentee edition holds no trainer packet; a language gets its own PDF only where something is translated"
    );
    // Every PDF of the trainer edition is `….trainer.pdf`, the handouts included, so that
    // none can be taken for a mentee's; a workshop's handout and packet have their own names.
    assert_eq!(
        pdfs(&trainer().out),
        [
            "01-first.handout.id.trainer.pdf",
            "01-first.handout.trainer.pdf",
            "01-first.id.trainer.pdf",
            "01-first.trainer.pdf",
            "02-second.handout.trainer.pdf",
            "02-second.trainer.pdf",
            "fact-patterns.id.trainer.pdf",
            "fact-patterns.trainer.pdf",
            "toolkit.trainer.pdf",
        ]
    );
}

#[test]
fn workshop_handout_has_its_pages_in_order_with_space_to_answer() {
    let path = mentee().out.join("pdf/01-first.pdf");
    let text = pdf_text(&path);
    assert_in_order(
        &text,
        &[
            "Session 1",
            "First Workshop",
            "Test Curriculum",
            "https://example.org/course/01-first/",
            "Contents",
        ],
    );
    assert_in_order(
        &text,
        &[
            "What you will learn",
            "Spot an urgent case",
            "This workshop is about the first call.",
            "Gamma Lesson",
            "Alpha Lesson",
            "Open questions",
            "Role-play: The first phone call",
            "Rina:",
            "Beta Lesson",
            "The Reveal Case",
            "1. Is that lawful?",
            "Your answer",
            "The Exam Case",
        ],
    );
    assert!(
        !text.contains("REVEAL-ANSWER-MARKER"),
        "the handout leaves the answers blank"
    );
    let pages: usize = pdf_info(&path, "Pages").parse().expect("a number");
    assert!((5..=20).contains(&pages), "{pages} pages");
    assert!(
        pdf_info(&path, "Page size").contains("595.276 x 841.89"),
        "A4 by default"
    );
    assert_eq!(
        pdf_info(&path, "Tagged"),
        "yes",
        "tagged for screen readers"
    );
    // Footer: the bundle title, the page number, and the review date of the page's content.
    assert!(text.contains("Last reviewed: 10 January 2026"), "{text}");
    assert!(
        text.contains(&format!("First Workshop 2/{pages}"))
            && text.contains(&format!("First Workshop {pages}/{pages}")),
        "page numbers: {text}"
    );
}

#[test]
fn no_mentee_pdf_holds_trainer_text_and_the_trainer_packet_holds_all_of_it() {
    for name in pdfs(&mentee().out) {
        let text = pdf_text(&mentee().out.join("pdf").join(&name));
        for marker in [
            "TRAINER-NOTE-MARKER",
            "TRAINER-ANSWER-MARKER",
            "REVEAL-ANSWER-MARKER",
            "Facilitator notes",
        ] {
            assert!(
                !text.contains(marker),
                "{marker} in the mentee edition's {name}"
            );
        }
    }
    let packet = pdf_text(&trainer().out.join("pdf/01-first.trainer.pdf"));
    assert_in_order(
        &packet,
        &[
            "Trainer edition",
            "Facilitator notes",
            "TRAINER-NOTE-MARKER-workshop",
            "TRAINER-NOTE-MARKER-nested",
            "Model answer",
            "REVEAL-ANSWER-MARKER",
            "TRAINER-NOTE-MARKER-fact",
            "Model answer",
            "TRAINER-ANSWER-MARKER-exam",
        ],
    );
    // The trainer build's exercise packet has the answers; its handouts still do not.
    let exercises = pdf_text(&trainer().out.join("pdf/fact-patterns.trainer.pdf"));
    assert!(
        exercises.contains("TRAINER-ANSWER-MARKER-exam"),
        "{exercises}"
    );
    assert!(
        exercises.contains("TRAINER-ANSWER-MARKER-nested"),
        "{exercises}"
    );
    let handout = pdf_text(&trainer().out.join("pdf/01-first.handout.trainer.pdf"));
    assert!(!handout.contains("TRAINER-NOTE-MARKER"), "{handout}");
    assert!(!handout.contains("TRAINER-ANSWER-MARKER"), "{handout}");
}

#[test]
fn markdown_is_typeset_and_typst_syntax_in_content_stays_text() {
    let text = pdf_text(&mentee().out.join("pdf/01-first.pdf"));
    assert!(
        text.contains("Warning Never promise an outcome."),
        "callout: {text}"
    );
    assert!(
        text.contains("Question Why What happened? Lets her tell it her way"),
        "table: {text}"
    );
    assert!(
        text.contains("Ask for consent") && text.contains("Write down the date"),
        "task list: {text}"
    );
    // A note referred to twice is printed once; both references show its number.
    assert!(
        text.contains("Wages are due within seven days.1 Late wages are an offence.1"),
        "footnote references: {text}"
    );
    assert_eq!(
        text.matches("1Employment Ordinance (Cap. 57), s. 23.")
            .count(),
        1,
        "footnote: {text}"
    );
    assert!(
        text.contains("2Keep them for a year."),
        "the next page's note: {text}"
    );
    for callout in [
        "Note Notes are kept",
        "Tip Ask for",
        "Important Keep her",
        "Caution Do not post",
    ] {
        assert!(text.contains(callout), "callout `{callout}`: {text}");
    }
    assert!(
        text.contains("fn main() { println!(\"hello\"); }"),
        "code: {text}"
    );
    // (A long URL may wrap at the end of a line.)
    assert!(
        text.replace(' ', "")
            .contains("LabourDepartment(https://www.labour.gov.hk/)"),
        "link URLs are printed: {text}"
    );
    assert!(text.contains("Typst-looking text stays as written: #set page(width: 1pt) and $x^2$ and [brackets] and // not a comment."), "{text}");
}

#[test]
fn indonesian_pdf_is_in_indonesian_word_for_word() {
    let text = pdf_text(&mentee().out.join("pdf/fact-patterns.id.pdf"));
    assert_in_order(
        &text,
        &[
            "Latihan",
            "Kasus Terbuka",
            "Fakta",
            "Siti bekerja setiap hari Minggu.",
            "Pertanyaan",
            "1. Apakah itu sah?",
            "Jawaban Anda",
        ],
    );
    // The untranslated exercise is there in English, with a note saying so.
    assert!(
        text.contains(
            "Halaman ini belum diterjemahkan ke Bahasa Indonesia. Ditampilkan dalam English."
        ),
        "{text}"
    );
    assert!(text.contains("The Exam Case"), "{text}");
}

#[test]
fn toolkit_ends_with_the_directory_as_a_pocket_card() {
    let path = mentee().out.join("pdf/toolkit.pdf");
    let text = pdf_text(&path);
    assert_in_order(
        &text,
        &[
            "Toolkit",
            "Contents",
            "Intake checklist",
            "Get help",
            "In an emergency, call 999.",
            "Example Shelter",
            "+852 1234 5678",
            "Open 24 hours",
            "Example Labour Office",
        ],
    );
    // The pocket card is the last page, and one page only.
    let last = Command::new("pdftotext")
        .args([
            "-f",
            &pdf_info(&path, "Pages"),
            "-l",
            &pdf_info(&path, "Pages"),
        ])
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext");
    let last = String::from_utf8_lossy(&last.stdout);
    assert!(
        last.contains("Example Shelter") && last.contains("In an emergency"),
        "{last}"
    );
}

/// Where a word first stands on a PDF's pages, as `pdftotext -bbox` finds it: (page,
/// top in points).
fn word_top(bbox: &str, word: &str) -> (usize, f64) {
    let mut page = 0;
    for line in bbox.lines() {
        if line.contains("<page ") {
            page += 1;
        }
        if line.trim_end().ends_with(&format!(">{word}</word>")) {
            let y = line
                .split("yMin=\"")
                .nth(1)
                .and_then(|rest| rest.split('"').next())
                .and_then(|y| y.parse().ok())
                .expect("a word has its yMin");
            return (page, y);
        }
    }
    panic!("`{word}` is not in the PDF:\n{bbox}");
}

#[test]
fn a_forms_blank_rows_leave_a_line_to_write_on() {
    // The toolkit's "Deadlines" table has a blank column: a form. Its rows, blank but for
    // their first cell, are at least 1 cm (28.35 pt) apart, room for handwriting; the rows
    // of a table of data (the hotlines below it) stay as close as lines of text.
    let bbox = pdftotext(&mentee().out.join("pdf/toolkit.pdf"), &["-bbox"]);
    let (visa_page, visa) = word_top(&bbox, "Visa");
    let (next_page, next) = word_top(&bbox, "Next");
    assert_eq!(visa_page, next_page, "both rows on one page");
    assert!(
        next - visa >= 28.35,
        "form rows {:.1} pt apart",
        next - visa
    );
    let (_, header) = word_top(&bbox, "Office");
    let (_, row) = word_top(&bbox, "Labour");
    assert!(
        row - header < 28.35,
        "data rows {:.1} pt apart",
        row - header
    );
}

#[test]
fn pages_link_to_their_pdf_with_its_size() {
    let html = fs::read_to_string(mentee().out.join("01-first/index.html")).expect("page");
    let size = fs::metadata(mentee().out.join("pdf/01-first.pdf"))
        .expect("pdf")
        .len()
        .div_ceil(1024);
    assert!(
        html.contains(&format!(
            "href=../pdf/01-first.pdf>Download PDF, {size} KB</a>"
        )),
        "{html}"
    );
    assert!(!html.contains("trainer packet"), "{html}");
    // A language without its own PDF links to the default language's.
    let second = fs::read_to_string(mentee().out.join("id/02-second/index.html")).expect("page");
    assert!(
        second.contains("href=../../pdf/02-second.pdf>Unduh PDF,"),
        "{second}"
    );
    let toolkit = fs::read_to_string(mentee().out.join("toolkit/index.html")).expect("page");
    assert!(
        toolkit.contains("href=../pdf/toolkit.pdf>Download PDF,"),
        "{toolkit}"
    );
    // The trainer edition's pages link to its own PDFs, every one `….trainer.pdf`.
    let workshop = fs::read_to_string(trainer().out.join("01-first/index.html")).expect("page");
    assert!(
        workshop.contains("href=../pdf/01-first.handout.trainer.pdf>Download PDF,")
            && workshop
                .contains("href=../pdf/01-first.trainer.pdf>Download the trainer packet (PDF),"),
        "{workshop}"
    );
    let trainer_id =
        fs::read_to_string(trainer().out.join("id/01-first/index.html")).expect("page");
    assert!(
        trainer_id.contains("href=../../pdf/01-first.handout.id.trainer.pdf>Unduh PDF,")
            && trainer_id
                .contains("href=../../pdf/01-first.id.trainer.pdf>Unduh paket pelatih (PDF),"),
        "{trainer_id}"
    );
    let toolkit = fs::read_to_string(trainer().out.join("toolkit/index.html")).expect("page");
    assert!(
        toolkit.contains("href=../pdf/toolkit.trainer.pdf>Download PDF,"),
        "{toolkit}"
    );
    let exercises =
        fs::read_to_string(trainer().out.join("fact-patterns/index.html")).expect("page");
    assert!(
        exercises.contains("href=../pdf/fact-patterns.trainer.pdf>Download all exercises (PDF),"),
        "{exercises}"
    );
    for (path, html) in crate::common::tree(&trainer().out) {
        let html = String::from_utf8_lossy(&html);
        if path.extension().is_some_and(|e| e == "html") {
            for link in html.split("href=").skip(1) {
                let target = link.split(['>', ' ']).next().unwrap_or_default();
                assert!(
                    !target.ends_with(".pdf") || target.ends_with(".trainer.pdf"),
                    "{} links to {target}",
                    path.display()
                );
            }
        }
    }
}

#[test]
fn letter_paper_by_config_and_no_pdfs_with_no_pdf() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let site = tmp.path().join("site");
    copy_dir(&basic(), &site);
    let config = fs::read_to_string(site.join("casebook.yaml")).expect("config");
    fs::write(
        site.join("casebook.yaml"),
        format!("{config}paper: letter\n"),
    )
    .expect("write");
    let built = build_at(&site, &[]);
    assert!(
        pdf_info(&built.out.join("pdf/toolkit.pdf"), "Page size").contains("612 x 792"),
        "US Letter"
    );
    let quick = build_at(&site, &["--no-pdf"]);
    assert!(!quick.out.join("pdf").exists());
    assert!(
        !fs::read_to_string(quick.out.join("01-first/index.html"))
            .expect("page")
            .contains("Download PDF")
    );
}

#[test]
fn the_cover_qr_code_leads_back_to_the_page_online() {
    let dir = tempfile::tempdir().expect("temp dir");
    let prefix = dir.path().join("cover");
    let status = Command::new("pdftoppm")
        .args(["-png", "-r", "150", "-f", "1", "-l", "1"])
        .arg(mentee().out.join("pdf/01-first.id.pdf"))
        .arg(&prefix)
        .status()
        .expect("pdftoppm");
    assert!(status.success());
    let image = fs::read_dir(dir.path())
        .expect("list")
        .map(|e| e.expect("entry").path())
        .find(|p| p.extension().is_some_and(|e| e == "png"))
        .expect("a page image");
    let scan = Command::new("zbarimg")
        .arg("-q")
        .arg(&image)
        .output()
        .expect("zbarimg (zbar-tools) is installed");
    assert_eq!(
        String::from_utf8_lossy(&scan.stdout).trim(),
        "QR-Code:https://example.org/course/id/01-first/"
    );
}

#[test]
fn pdfs_declare_their_language_and_embed_every_font() {
    let catalog_lang = |path: &Path| {
        let bytes = fs::read(path).expect("pdf");
        let at = bytes
            .windows(13)
            .position(|w| w == b"/Type/Catalog")
            .expect("a catalog");
        let rest = String::from_utf8_lossy(&bytes[at..at + 400.min(bytes.len() - at)]).into_owned();
        rest.split("/Lang(")
            .nth(1)
            .and_then(|s| s.split(')').next())
            .map(str::to_string)
    };
    assert_eq!(
        catalog_lang(&mentee().out.join("pdf/fact-patterns.id.pdf")).as_deref(),
        Some("id")
    );
    assert_eq!(
        catalog_lang(&mentee().out.join("pdf/fact-patterns.pdf")).as_deref(),
        Some("en")
    );
    let fonts = Command::new("pdffonts")
        .arg(mentee().out.join("pdf/01-first.pdf"))
        .output()
        .expect("pdffonts");
    let listing = String::from_utf8_lossy(&fonts.stdout);
    let rows: Vec<&str> = listing.lines().skip(2).collect();
    assert!(!rows.is_empty(), "{listing}");
    for row in rows {
        let columns: Vec<&str> = row.split_whitespace().collect();
        assert_eq!(columns[columns.len() - 5], "yes", "not embedded: {row}");
    }
}

#[test]
fn chinese_text_renders_with_a_cjk_font_from_the_machine() {
    // .ci/run installs fonts-wqy-microhei; casebook finds CJK fonts installed on the machine.
    let tmp = tempfile::tempdir().expect("temp dir");
    let site = tmp.path().join("site");
    copy_dir(&basic(), &site);
    let lesson = site.join("curriculum/01-first/02-beta.md");
    let text = fs::read_to_string(&lesson).expect("lesson");
    fs::write(
        &lesson,
        format!("{text}\n保护你的护照。 (Keep your passport safe.)\n"),
    )
    .expect("write");
    let built = build_at(&site, &[]);
    let pdf = built.out.join("pdf/01-first.pdf");
    assert!(pdf_text(&pdf).contains("保护你的护照。 (Keep your passport safe.)"));
    let fonts = Command::new("pdffonts")
        .arg(&pdf)
        .output()
        .expect("pdffonts");
    let listing = String::from_utf8_lossy(&fonts.stdout);
    assert!(
        [
            "WenQuanYi",
            "DroidSansFallback",
            "NotoSansCJK",
            "NotoSerifCJK"
        ]
        .iter()
        .any(|f| listing.contains(f)),
        "a CJK font is embedded:\n{listing}"
    );
}

/// The number of pages of a PDF, by `pdfinfo`.
fn page_count(path: &Path) -> usize {
    pdf_info(path, "Pages").parse().expect("a number")
}

/// The text of each page of a PDF, by `pdftotext -f N -l N`, whitespace collapsed.
fn pages_of(path: &Path) -> Vec<String> {
    (1..=page_count(path))
        .map(|n| {
            let n = n.to_string();
            pdftotext(path, &["-f", &n, "-l", &n])
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

/// The basic fixture with two bundles in `casebook.yaml`, one for each edition, built in
/// `edition`.
fn with_bundles(edition: &str) -> &'static Built {
    static SITES: OnceLock<(Built, Built, tempfile::TempDir)> = OnceLock::new();
    let (mentee, trainer, _) = SITES.get_or_init(|| {
        let tmp = tempfile::tempdir().expect("temp dir");
        let site = tmp.path().join("site");
        copy_dir(&basic(), &site);
        let config = fs::read_to_string(site.join("casebook.yaml")).expect("config");
        fs::write(
            site.join("casebook.yaml"),
            format!(
                "{config}bundles:\n  - id: first-pack\n    title: First workshop pack\n    include: [curriculum/01-first/**, fact-patterns/reveal-case.md]\n  - id: mentor-pack\n    title: Mentor pack\n    include: [curriculum/01-first/01-alpha.md]\n    edition: trainer\n"
            ),
        )
        .expect("write");
        (
            build_at(&site, &[]),
            build_at(&site, &["--edition", "trainer"]),
            tmp,
        )
    });
    if edition == "trainer" {
        trainer
    } else {
        mentee
    }
}

const BANNER: &str = "Trainer edition — do not share with mentees";
const BANNER_ID: &str = "Edisi pelatih — jangan dibagikan kepada peserta";

#[test]
fn every_page_of_every_trainer_pdf_says_not_to_share_it_and_no_mentee_page_does() {
    let mut checked = 0;
    for out in [&trainer().out, &with_bundles("trainer").out] {
        for name in pdfs(out) {
            let banner = if name.contains(".id.") {
                BANNER_ID
            } else {
                BANNER
            };
            let pages = pages_of(&out.join("pdf").join(&name));
            assert!(pages.len() >= 2, "{name}");
            for (n, text) in pages.iter().enumerate() {
                assert!(
                    text.contains(banner),
                    "page {} of {name} does not say `{banner}`:\n{text}",
                    n + 1
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 50, "{checked} pages");
    // The bundles are there, the trainer-only one too.
    let names = pdfs(&with_bundles("trainer").out);
    for name in [
        "first-pack.trainer.pdf",
        "first-pack.id.trainer.pdf",
        "mentor-pack.trainer.pdf",
    ] {
        assert!(names.contains(&name.to_string()), "{name} in {names:?}");
    }
    for out in [&mentee().out, &with_bundles("mentee").out] {
        for name in pdfs(out) {
            let text = pdf_text(&out.join("pdf").join(&name));
            for words in [
                "do not share",
                "Do not share",
                "Trainer edition",
                "jangan dibagikan",
                "Edisi pelatih",
            ] {
                assert!(
                    !text.contains(words),
                    "the mentee edition's {name} says `{words}`"
                );
            }
        }
    }
}

#[test]
fn each_pages_footer_shows_the_review_date_of_the_content_on_that_page() {
    // The workshop, then Gamma (no date), Alpha (10 January 2026, two pages), Beta
    // (1 January 2020) and the exercises: each page's footer has its own section's date,
    // not the next one's (a bug showed Beta's date on Alpha's last page, and so on).
    let expected = |section: &str| match section {
        "First Workshop" | "Alpha Lesson" | "The Reveal Case" => Some("10 January 2026"),
        "Beta Lesson" => Some("1 January 2020"),
        _ => None,
    };
    let titles = [
        "First Workshop",
        "Gamma Lesson",
        "Alpha Lesson",
        "Beta Lesson",
        "The Reveal Case",
        "The Exam Case",
    ];
    for path in [
        mentee().out.join("pdf/01-first.pdf"),
        trainer().out.join("pdf/01-first.trainer.pdf"),
    ] {
        let mut section = "contents";
        let mut seen = Vec::new();
        // The cover has no footer (it names the latest date of all); the contents page's
        // footer has no date.
        for (n, page) in pages_of(&path).iter().enumerate().skip(1) {
            let top = page.trim_start_matches(BANNER).trim_start();
            if let Some(title) = titles.iter().find(|t| top.starts_with(**t)) {
                section = title;
                seen.push(*title);
            }
            let footer = page.split("Last reviewed: ").nth(1).map(|rest| {
                rest.split_whitespace()
                    .take(3)
                    .collect::<Vec<_>>()
                    .join(" ")
            });
            assert_eq!(
                footer.as_deref(),
                expected(section),
                "page {} of {} ({section}):\n{page}",
                n + 1,
                path.display()
            );
        }
        assert_eq!(
            seen,
            titles,
            "every section starts a page of {}",
            path.display()
        );
    }
}

#[test]
fn handouts_leave_room_to_write_under_questions_whose_answers_are_for_trainers() {
    // The exam case keeps its answers for trainers (`answers: trainer`); the reveal case's
    // second question has its answer inside a trainer note. Under each, the handout leaves
    // the same room as under any question: five lines of handwriting (at least 82 pt) before
    // the next question.
    for (name, question, next) in [
        ("01-first.pdf", "do?", "licenses"),
        ("01-first.pdf", "missed", "lodge"),
        ("fact-patterns.pdf", "do?", "licenses"),
        ("fact-patterns.pdf", "missed", "lodge"),
    ] {
        let bbox = pdftotext(&mentee().out.join("pdf").join(name), &["-bbox"]);
        let (page, top) = word_top(&bbox, question);
        let (next_page, below) = word_top(&bbox, next);
        assert_eq!(
            page, next_page,
            "{name}: `{question}` and `{next}` on one page"
        );
        assert!(
            below - top >= 82.0,
            "{name}: `{question}` and `{next}` only {:.1} pt apart",
            below - top
        );
    }
    let text = pdf_text(&mentee().out.join("pdf/fact-patterns.pdf"));
    assert_in_order(
        &text,
        &[
            "1. Is that lawful?",
            "Your answer",
            "2. Who pays for the missed Sundays?",
            "Your answer",
            "3. Where could Siti lodge a claim?",
            "1. What can she do?",
            "Your answer",
            "2. Which office licenses agencies?",
        ],
    );
}

#[test]
fn bundles_are_linked_from_the_pages_they_hold_and_from_the_toolkit() {
    let mentee = &with_bundles("mentee").out;
    let names = pdfs(mentee);
    assert!(names.contains(&"first-pack.pdf".to_string()), "{names:?}");
    assert!(
        names.contains(&"first-pack.id.pdf".to_string()),
        "{names:?}"
    );
    assert!(
        !names.iter().any(|n| n.starts_with("mentor-pack")),
        "{names:?}"
    );
    let page = |out: &Path, rel: &str| fs::read_to_string(out.join(rel)).expect("page");
    let size = |out: &Path, file: &str| {
        fs::metadata(out.join("pdf").join(file))
            .expect("pdf")
            .len()
            .div_ceil(1024)
    };
    let first = format!(
        "href=../../pdf/first-pack.pdf>Download “First workshop pack” (PDF), {} KB</a>",
        size(mentee, "first-pack.pdf")
    );
    for rel in [
        "01-first/01-alpha/index.html",
        "fact-patterns/reveal-case/index.html",
    ] {
        let html = page(mentee, rel);
        assert!(html.contains(&first), "{rel}: {html}");
    }
    assert!(
        page(mentee, "01-first/index.html")
            .contains("href=../pdf/first-pack.pdf>Download “First workshop pack” (PDF),"),
    );
    assert!(
        page(mentee, "id/01-first/01-alpha/index.html")
            .contains("href=../../../pdf/first-pack.id.pdf>Unduh “First workshop pack” (PDF),")
    );
    for rel in ["02-second/index.html", "fact-patterns/exam-case/index.html"] {
        assert!(
            !page(mentee, rel).contains("first-pack"),
            "{rel} is not in the pack"
        );
    }
    assert!(page(mentee, "toolkit/index.html").contains("href=../pdf/first-pack.pdf>"));
    // The trainer edition links its own copies, and its trainer-only bundle.
    let trainer = &with_bundles("trainer").out;
    let alpha = page(trainer, "01-first/01-alpha/index.html");
    assert_in_order(
        &alpha,
        &[
            "href=../../pdf/first-pack.trainer.pdf>Download “First workshop pack” (PDF),",
            "href=../../pdf/mentor-pack.trainer.pdf>Download “Mentor pack” (PDF),",
        ],
    );
    assert!(!page(trainer, "01-first/02-beta/index.html").contains("mentor-pack"));
    let toolkit = page(trainer, "toolkit/index.html");
    assert!(
        toolkit.contains("href=../pdf/first-pack.trainer.pdf>")
            && toolkit.contains("href=../pdf/mentor-pack.trainer.pdf>"),
        "{toolkit}"
    );
}

#[test]
fn a_placeholder_base_url_warns_naming_the_pdfs_whose_covers_print_it() {
    let run = |root: &Path, args: &[&str]| {
        let dir = tempfile::tempdir().expect("temp dir");
        let out = Command::new(env!("CARGO_BIN_EXE_casebook"))
            .env("NO_COLOR", "1")
            .arg("build")
            .arg("--root")
            .arg(root)
            .arg("--out")
            .arg(dir.path().join("site"))
            .args(args)
            .output()
            .expect("casebook runs");
        assert!(out.status.success());
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let said = run(&basic(), &[]);
    assert!(
        said.starts_with(
            "warning: `base_url` is a placeholder address on `example.org`: the covers of 6 PDFs print it, and their QR codes lead there: `pdf/01-first.id.pdf`, `pdf/01-first.pdf`, `pdf/02-second.pdf`, `pdf/fact-patterns.id.pdf`, `pdf/fact-patterns.pdf`, `pdf/toolkit.pdf`\n --> casebook.yaml:2:11\n  |\n2 | base_url: https://example.org/course/\n  |           ^^^^^^^^^^^^^^^^^^^^^^^^^^^\n  = help: set `base_url` to the address the site will be published at, e.g. `base_url: https://training.yourunion.org/`\n"
        ),
        "{said}"
    );
    let said = run(&basic(), &["--edition", "trainer"]);
    assert!(said.contains("the covers of 9 PDFs print it, and their QR codes lead there: `pdf/01-first.handout.id.trainer.pdf`, "), "{said}");
    // Without PDFs, nothing prints it.
    let said = run(&basic(), &["--no-pdf"]);
    assert!(!said.contains("placeholder"), "{said}");
    // A real address, or a test one, is no placeholder; a subdomain of one, or this
    // computer, is.
    let tmp = tempfile::tempdir().expect("temp dir");
    let site = tmp.path().join("site");
    copy_dir(&basic(), &site);
    let config = fs::read_to_string(site.join("casebook.yaml")).expect("config");
    for (url, warns) in [
        ("https://casebook.test/course/", false),
        ("https://training.union.example/", false),
        ("https://hk.example.com/", true),
        ("http://localhost:8000/", true),
    ] {
        fs::write(
            site.join("casebook.yaml"),
            config.replace("https://example.org/course/", url),
        )
        .expect("write");
        let said = run(&site, &[]);
        assert_eq!(
            said.contains("is a placeholder address"),
            warns,
            "{url}: {said}"
        );
    }
}
