//! The two editions, as a trainer writes for them: trainer notes and kept model answers
//! wherever Markdown can hold them (nested list items, footnotes, callouts, after raw HTML,
//! commented out), pictures and attachments, editor backups and drafts. The mentee edition
//! holds none of it in any file, decoded (pages, search data, PDFs); the trainer edition
//! holds all of it, so that the first check can fail. Refusals are asserted by their exact
//! message, and what must not be written by its absence. Pages and a workshop for trainers
//! only (`audience: trainer`) are left out of the mentee edition in the same way.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use crate::common::{copy_dir, decoded, readable, tree, visible_text};

fn casebook() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_casebook"));
    cmd.env("NO_COLOR", "1");
    cmd
}

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/editions")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// `casebook build --root ROOT --out OUT ARGS`, run to its end.
fn build(root: &Path, out: &Path, args: &[&str]) -> Output {
    casebook()
        .arg("build")
        .arg("--root")
        .arg(root)
        .arg("--out")
        .arg(out)
        .args(args)
        .output()
        .expect("casebook runs")
}

/// The fixture built once per edition (with PDFs), shared by the tests that read it.
struct Built {
    _dir: tempfile::TempDir,
    out: PathBuf,
    stderr: String,
}

fn built(args: &'static [&'static str]) -> Built {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("site");
    let result = build(&fixture(), &out, args);
    assert!(result.status.success(), "{args:?}: {}", stderr(&result));
    Built {
        _dir: dir,
        out,
        stderr: stderr(&result),
    }
}

fn mentee() -> &'static Built {
    static SITE: OnceLock<Built> = OnceLock::new();
    SITE.get_or_init(|| built(&[]))
}

fn trainer() -> &'static Built {
    static SITE: OnceLock<Built> = OnceLock::new();
    SITE.get_or_init(|| built(&["--edition", "trainer"]))
}

/// One word in each place the fixture hides something from mentees.
const HIDDEN: [&str; 14] = [
    "zzleaklongzz",
    "zzleaklistzz",
    "zzleakfootnotezz",
    "zzleakcommentzz",
    "zzleakafterhtmlzz",
    "zzleakforgedzz",
    "zzleakcalloutzz",
    "zzleakanswerzz",
    "zzleakanswertwozz",
    "zzleakbackupzz",
    // Pages for trainers only (`audience: trainer`): a lesson, and a workshop with its
    // lesson and its fact pattern.
    "zzleakpagezz",
    "zzleakworkshopzz",
    "zzleaklessonzz",
    "zzleakdrillzz",
];

#[test]
fn trainer_notes_written_anywhere_markdown_holds_them_never_reach_the_mentee_edition() {
    let mentee_files = decoded(&mentee().out);
    for kind in [
        ".html",
        ".pdf",
        "pagefind/fragment/",
        "pagefind/index/",
        "sitemap.xml",
    ] {
        assert!(
            mentee_files.iter().any(|(p, _)| p.contains(kind)),
            "the mentee edition has no {kind} file to look at"
        );
    }
    for (path, text) in &mentee_files {
        for word in HIDDEN {
            assert!(
                !text.contains(word),
                "{word} leaked into the mentee edition's {path}"
            );
        }
    }
    // Nor does any page, list, sitemap, offline list or search record lead to a page for
    // trainers, or name its picture.
    for (path, text) in &mentee_files {
        for name in [
            "03-running-it",
            "02-trainers-day",
            "mentors-drill",
            "facilitation-chart",
        ] {
            assert!(
                !path.contains(name) && !text.contains(name),
                "{name} is named in the mentee edition's {path}"
            );
        }
    }
    // The trainer edition says which pages mentees never see, on them and in the lists.
    let page = visible_text(
        &fs::read_to_string(trainer().out.join("01-cases/03-running-it/index.html"))
            .expect("the page for trainers"),
    );
    assert!(
        page.contains("For trainers only: this page is in the trainer edition alone."),
        "{page}"
    );
    let workshop = visible_text(
        &fs::read_to_string(trainer().out.join("01-cases/index.html")).expect("workshop"),
    );
    assert!(
        workshop.contains("Running the session zzleakpagezz For trainers"),
        "{workshop}"
    );
    // The notes are really there, in the trainer edition's pages and search data (all but
    // the ones commented out and the editor backup, which no edition reads).
    let trainer_files = decoded(&trainer().out);
    for word in HIDDEN {
        let expected = !matches!(word, "zzleakcommentzz" | "zzleakbackupzz");
        for place in [".html", "pagefind/"] {
            let found = trainer_files
                .iter()
                .any(|(p, t)| p.contains(place) && t.contains(word));
            assert_eq!(
                found, expected,
                "{word} in the trainer edition's {place} files"
            );
        }
    }
    // And they read as notes, where they were written.
    let lesson = visible_text(
        &fs::read_to_string(trainer().out.join("01-cases/01-notes/index.html")).expect("lesson"),
    );
    for note in [
        "Facilitator notes A note under step 2 of a nested list: zzleaklistzz.",
        "Facilitator notes A note inside a callout: zzleakcalloutzz.",
        "Facilitator notes A note just after raw HTML: zzleakafterhtmlzz. Text after a forged end marker: zzleakforgedzz.",
    ] {
        assert!(lesson.contains(note), "{note:?} in\n{lesson}");
    }
    // A mentee reads everything else, in order.
    let lesson = visible_text(
        &fs::read_to_string(mentee().out.join("01-cases/01-notes/index.html")).expect("lesson"),
    );
    crate::common::assert_in_order(
        &lesson,
        &[
            "Ask what happened.",
            "Ask for the contract.",
            "Agree on the next step.",
            "The law has a rule for this.",
            "Employment Ordinance (Cap. 57), s. 17.",
            "Raw HTML above a block.",
            "Let her finish before you ask.",
            "Fill in the",
            "Who to call",
        ],
    );
    // Neither edition has a warning to give.
    for site in [mentee(), trainer()] {
        assert!(!site.stderr.contains("warning"), "{}", site.stderr);
    }
}

#[test]
fn each_edition_publishes_only_the_files_its_pages_use() {
    let files = |site: &Built| -> Vec<String> {
        tree(&site.out)
            .into_keys()
            .map(|p| p.to_string_lossy().into_owned())
            .filter(|p| !p.starts_with("pagefind/") && !p.starts_with("assets/"))
            .filter(|p| !p.ends_with(".html") && !p.ends_with(".pdf") && !p.starts_with("offline"))
            .collect()
    };
    // The mentee edition: the form its pages show, not the picture shown only in a trainer
    // note or in a kept answer, not the draft's handout, not the file no page uses, and no
    // editor backup.
    let published = files(mentee());
    assert!(
        published.contains(&"01-cases/form.png".to_string()),
        "{published:?}"
    );
    for absent in [
        "01-cases/trainer-only.png",
        "01-cases/facilitation-chart.png",
        "01-cases/03-running-it",
        "02-trainers-day",
        "fact-patterns/mentors-drill",
        "pdf/02-trainers-day.pdf",
        "pdf/02-trainers-day.handout.pdf",
        "fact-patterns/answer-sketch.png",
        "01-cases/draft-handout.pdf",
        "01-cases/unused-scan.txt",
    ] {
        assert!(
            !mentee().out.join(absent).exists(),
            "{absent} is in the mentee edition"
        );
    }
    for (path, bytes) in tree(&mentee().out) {
        let shown = path.to_string_lossy();
        assert!(
            !shown.contains("01-notes.md") && !readable(&bytes).contains("zzleakbackupzz"),
            "{shown}"
        );
    }
    // The trainer edition has the pictures its notes and answers show.
    for present in [
        "01-cases/form.png",
        "01-cases/trainer-only.png",
        "01-cases/facilitation-chart.png",
        "01-cases/03-running-it/index.html",
        "02-trainers-day/01-plan/index.html",
        "fact-patterns/mentors-drill/index.html",
        "pdf/02-trainers-day.trainer.pdf",
        "fact-patterns/answer-sketch.png",
    ] {
        assert!(
            trainer().out.join(present).is_file(),
            "{present} is missing from the trainer edition"
        );
    }
    assert!(!trainer().out.join("01-cases/unused-scan.txt").exists());
    assert!(!trainer().out.join("01-cases/draft-handout.pdf").exists());
    // With drafts, the draft's handout comes along.
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = tmp.path().join("site");
    let result = build(&fixture(), &out, &["--drafts", "--no-pdf"]);
    assert!(result.status.success(), "{}", stderr(&result));
    assert!(out.join("01-cases/draft-handout.pdf").is_file());
    // `check` names the file no page uses, and no other.
    let check = casebook()
        .args(["check", "--today", "2026-12-04", "--root"])
        .arg(fixture())
        .output()
        .expect("check runs");
    let report = String::from_utf8_lossy(&check.stdout);
    assert!(
        report.contains("warning: `curriculum/01-cases/unused-scan.txt` is not linked from any page, so it is not published"),
        "{report}"
    );
    assert_eq!(
        report.matches("is not linked from any page").count(),
        1,
        "{report}"
    );
}

/// A copy of the fixture a test may change, and a folder beside it to build into.
fn scratch() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let site = tmp.path().join("content");
    copy_dir(&fixture(), &site);
    let out = tmp.path().join("site");
    (tmp, site, out)
}

fn symlink(target: &Path, link: &Path) {
    std::os::unix::fs::symlink(target, link).expect("symlink");
}

#[test]
fn folders_behind_symbolic_links_are_not_walked_at_any_level() {
    let (tmp, site, out) = scratch();
    let outside = tmp.path().join("outside");
    fs::create_dir_all(outside.join("static")).expect("mkdir");
    fs::write(outside.join("static/outside.css"), "SECRET-OUTSIDE").expect("write");
    fs::write(outside.join("id.yaml"), "SECRET-OUTSIDE: x\n").expect("write");
    // A content folder that is a link: refused, whole.
    let curriculum = site.join("curriculum");
    fs::rename(&curriculum, tmp.path().join("real-curriculum")).expect("move");
    symlink(&tmp.path().join("real-curriculum"), &curriculum);
    let result = build(&site, &out, &["--no-pdf"]);
    assert_eq!(result.status.code(), Some(1), "{}", stderr(&result));
    assert_eq!(
        stderr(&result),
        "error: `curriculum` is a symbolic link, which casebook does not follow\n --> curriculum\n  = help: casebook reads only what is really inside the site folder: move or copy the folder here in place of the link\n\nerror: the build failed with 1 error; nothing was written\n"
    );
    assert!(!out.exists());
    fs::remove_file(&curriculum).expect("unlink");
    fs::rename(tmp.path().join("real-curriculum"), &curriculum).expect("move back");
    // A theme's `static/` and the site's `i18n/` behind links: skipped with a warning.
    fs::create_dir_all(site.join("themes/default")).expect("mkdir");
    symlink(&outside.join("static"), &site.join("themes/default/static"));
    symlink(&outside, &site.join("i18n"));
    let result = build(&site, &out, &["--no-pdf"]);
    assert!(result.status.success(), "{}", stderr(&result));
    for link in ["themes/default/static", "i18n"] {
        assert!(
            stderr(&result).contains(&format!(
                "warning: `{link}` is a symbolic link and is skipped"
            )),
            "{}",
            stderr(&result)
        );
    }
    for (path, bytes) in tree(&out) {
        assert!(
            !readable(&bytes).contains("SECRET-OUTSIDE"),
            "{}",
            path.display()
        );
    }
}

#[test]
fn leftover_folders_are_removed_only_when_casebook_wrote_them() {
    let (tmp, site, out) = scratch();
    // Someone's files, and a link to them where a build leaves its staging folder.
    let precious = tmp.path().join("precious");
    fs::create_dir(&precious).expect("mkdir");
    for n in 0..40 {
        fs::write(precious.join(format!("photo-{n}.jpg")), b"jpg").expect("write");
    }
    let staging = tmp.path().join(".site.casebook-new");
    symlink(&precious, &staging);
    let result = build(&site, &out, &["--no-pdf"]);
    assert_eq!(result.status.code(), Some(2), "{}", stderr(&result));
    assert_eq!(
        stderr(&result),
        format!(
            "error: refusing to remove `{}`, left beside the output folder: it is a symbolic link\n  = help: casebook removes only folders it wrote itself: move or delete it yourself, then build again\n\n",
            staging.display()
        )
    );
    assert_eq!(fs::read_dir(&precious).expect("read").count(), 40);
    fs::remove_file(&staging).expect("unlink");
    // A real folder without casebook's mark is refused too.
    let old = tmp.path().join(".site.casebook-old");
    fs::create_dir(&old).expect("mkdir");
    fs::write(old.join("notes.txt"), "mine").expect("write");
    let result = build(&site, &out, &["--no-pdf"]);
    assert_eq!(result.status.code(), Some(2), "{}", stderr(&result));
    assert!(
        stderr(&result)
            .contains("it does not hold the mark casebook leaves in the folders it writes")
    );
    assert!(old.join("notes.txt").exists());
    fs::remove_dir_all(&old).expect("rm");
    // A staging folder a killed build left (it is marked from the start) is removed.
    fs::create_dir(&staging).expect("mkdir");
    fs::write(staging.join(".casebook-output"), "x").expect("write");
    fs::write(staging.join("half.html"), "x").expect("write");
    let result = build(&site, &out, &["--no-pdf"]);
    assert!(result.status.success(), "{}", stderr(&result));
    assert!(!staging.exists());
}

#[test]
fn an_output_that_is_not_a_folder_is_refused() {
    let (tmp, site, _) = scratch();
    let fifo = tmp.path().join("pipe");
    let made = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    for args in [&[][..], &["--force"][..]] {
        let result = build(&site, &fifo, args);
        assert_eq!(result.status.code(), Some(2), "{}", stderr(&result));
        assert!(
            stderr(&result).starts_with(&format!(
                "error: refusing to write the site to `{}`: it is a named pipe, not a folder",
                fifo.display()
            )),
            "{}",
            stderr(&result)
        );
    }
    let meta = fs::symlink_metadata(&fifo).expect("still there");
    assert!(std::os::unix::fs::FileTypeExt::is_fifo(&meta.file_type()));
}

#[test]
fn new_does_not_write_through_a_symbolic_link() {
    let (tmp, site, _) = scratch();
    let elsewhere = tmp.path().join("elsewhere");
    fs::create_dir(&elsewhere).expect("mkdir");
    fs::write(elsewhere.join("_index.md"), "---\ntitle: Elsewhere\n---\n").expect("write");
    symlink(&elsewhere, &site.join("curriculum/02-linked"));
    let result = casebook()
        .args(["new", "lesson", "02-linked/01-first", "--root"])
        .arg(&site)
        .output()
        .expect("runs");
    assert_eq!(result.status.code(), Some(1), "{}", stderr(&result));
    assert_eq!(
        stderr(&result),
        "error: refusing to write `curriculum/02-linked/01-first.md`: `curriculum/02-linked` is a symbolic link\n  = help: casebook writes only inside the site folder: replace the link with a real folder\n\n"
    );
    assert_eq!(fs::read_dir(&elsewhere).expect("read").count(), 1);
}
