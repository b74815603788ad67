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
    let trainer = pdfs(&trainer().out);
    for name in [
        "01-first.trainer.pdf",
        "01-first.trainer.id.pdf",
        "02-second.trainer.pdf",
        "01-first.pdf",
        "toolkit.pdf",
    ] {
        assert!(trainer.contains(&name.to_string()), "{name} in {trainer:?}");
    }
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
    assert!(
        pdf_text(&trainer().out.join("pdf/fact-patterns.pdf"))
            .contains("TRAINER-ANSWER-MARKER-exam")
    );
    assert!(!pdf_text(&trainer().out.join("pdf/01-first.pdf")).contains("TRAINER-NOTE-MARKER"));
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
    let trainer = fs::read_to_string(trainer().out.join("01-first/index.html")).expect("page");
    assert!(
        trainer.contains("href=../pdf/01-first.trainer.pdf>Download the trainer packet (PDF),"),
        "{trainer}"
    );
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
