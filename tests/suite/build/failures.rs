//! What a build refuses, and what it leaves when it fails: exact diagnostics, nothing
//! written, the previous site untouched, nothing read outside the site, unsafe output
//! folders refused; `new` and usage errors.

use super::*;

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

    // Outside a site, nothing is created.
    let elsewhere = tmp.path().join("not-a-site");
    fs::create_dir(&elsewhere).expect("folder");
    let outside = casebook()
        .args(["new", "workshop", "01-first", "--root"])
        .arg(&elsewhere)
        .output()
        .expect("runs");
    assert_eq!(outside.status.code(), Some(2));
    assert!(
        stderr(&outside).trim_end().ends_with("is not a casebook site: it has no `casebook.yaml`\n  = help: run `casebook new` inside your site's folder (the one with `casebook.yaml`), or give it with `--root FOLDER`"),
        "{}",
        stderr(&outside)
    );
    assert_eq!(
        fs::read_dir(&elsewhere).expect("folder").count(),
        0,
        "nothing was created"
    );
}

/// `casebook init`: a site that builds with nothing to say and passes `check` with only the
/// reminder to set its address; `--example`, the bundled curriculum as it is here. Neither
/// writes over anything.
#[test]
fn init_starts_a_site_that_builds_at_once_and_example_copies_the_curriculum() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let site = tmp.path().join("our-programme");
    let made = casebook().arg("init").arg(&site).output().expect("runs");
    assert!(made.status.success(), "{}", stderr(&made));
    assert_eq!(
        stderr(&made),
        format!(
            "created a new site in `{0}`: 7 files, `casebook.yaml` among them\nnext: `cd {0} && casebook serve` previews it at http://127.0.0.1:8000/\n",
            site.display()
        )
    );
    let out = tmp.path().join("public");
    let built = build_into(&site, &out);
    assert!(built.status.success(), "{}", stderr(&built));
    assert!(!stderr(&built).contains("warning"), "{}", stderr(&built));
    let home = visible_text(&fs::read_to_string(out.join("index.html")).expect("home"));
    assert!(
        home.contains("Our training programme") && home.contains("First workshop"),
        "{home}"
    );
    let lesson = visible_text(
        &fs::read_to_string(out.join("01-first-workshop/01-first-lesson/index.html"))
            .expect("lesson"),
    );
    assert!(
        lesson.contains("A lesson is a page of plain Markdown."),
        "{lesson}"
    );
    assert!(out.join("fact-patterns/first-case/index.html").is_file());
    assert!(out.join("pdf/01-first-workshop.pdf").is_file());
    let checked = casebook()
        .args(["check", "--root"])
        .arg(&site)
        .output()
        .expect("check runs");
    let report = String::from_utf8_lossy(&checked.stdout);
    assert!(checked.status.success(), "{report}");
    assert!(
        report.ends_with("0 errors, 1 warning (links 1, front-matter 0, freshness 0, translations 0, personal-data 0, accessibility 0)\n")
            && report.contains("warning: `base_url` is `/`, not the site's full address"),
        "{report}"
    );

    // A site already, or a folder holding one of its files: refused, nothing written.
    let again = casebook().arg("init").arg(&site).output().expect("runs");
    assert_eq!(again.status.code(), Some(2));
    assert!(
        stderr(&again).starts_with(&format!(
            "error: `{}` is a casebook site already: it has a `casebook.yaml`",
            site.display()
        )),
        "{}",
        stderr(&again)
    );
    let started = tmp.path().join("started");
    fs::create_dir_all(started.join("curriculum")).expect("folder");
    fs::write(started.join("curriculum/_index.md"), "mine").expect("written");
    let refused = casebook().arg("init").arg(&started).output().expect("runs");
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        stderr(&refused).starts_with(&format!(
            "error: `{}` holds `curriculum/_index.md` already",
            started.display()
        )),
        "{}",
        stderr(&refused)
    );
    assert_eq!(
        fs::read_to_string(started.join("curriculum/_index.md")).expect("kept"),
        "mine"
    );
    assert!(!started.join("casebook.yaml").exists());

    // The example: every file of the bundled curriculum, byte for byte; it checks clean.
    let example = tmp.path().join("example");
    let made = casebook()
        .args(["init", "--example"])
        .arg(&example)
        .output()
        .expect("runs");
    assert!(made.status.success(), "{}", stderr(&made));
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut bundled = 1;
    for folder in ["curriculum", "fact-patterns"] {
        for (path, bytes) in crate::common::tree(&repo.join(folder)) {
            bundled += 1;
            assert_eq!(
                fs::read(example.join(folder).join(&path)).ok().as_ref(),
                Some(&bytes),
                "{folder}/{}",
                path.display()
            );
        }
    }
    assert!(
        stderr(&made).contains(&format!("{bundled} files")),
        "{}",
        stderr(&made)
    );
    let checked = casebook()
        .args(["check", "--root"])
        .arg(&example)
        .output()
        .expect("check runs");
    let report = String::from_utf8_lossy(&checked.stdout);
    assert!(
        checked.status.success() && report.contains("\n0 errors, "),
        "{report}"
    );
}

#[test]
fn an_unknown_command_names_the_one_meant() {
    for (word, help) in [
        (
            "publish",
            "  = help: did you mean `casebook build`? `casebook help` lists every command\n",
        ),
        (
            "chek",
            "  = help: did you mean `casebook check`? `casebook help` lists every command\n",
        ),
        (
            "create",
            "  = help: `casebook init FOLDER` starts a new site there; inside a site, `casebook new workshop NAME` adds a workshop\n",
        ),
    ] {
        let result = casebook().arg(word).output().expect("runs");
        assert_eq!(result.status.code(), Some(2), "{word}");
        assert_eq!(
            stderr(&result),
            format!("error: `{word}` is not a casebook command\n{help}")
        );
    }
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

/// `casebook import KIND tests/fixtures/import/KIND DEST`, which must succeed and say
/// `counts`; gives a reader of the files written.
fn imported<'a>(kind: &str, dest: &'a Path, counts: &str) -> impl Fn(&str) -> String + 'a {
    let made = casebook()
        .args(["import", kind])
        .arg(fixture(&format!("import/{kind}")))
        .arg(dest)
        .output()
        .expect("runs");
    assert!(made.status.success(), "{}", stderr(&made));
    assert!(stderr(&made).contains(counts), "{}", stderr(&made));
    move |path: &str| fs::read_to_string(dest.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// `casebook import mdbook`: a book of our own (parts, nested and draft chapters, every
/// kind of include, hidden Rust lines, `.html` links with mdBook's anchors, a picture) comes
/// in as a site that builds and checks with no error, its report naming each change with
/// its file and line; a folder that is not empty is refused.
#[test]
fn import_mdbook_makes_a_site_that_builds_and_reports_each_change() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dest = tmp.path().join("imported");
    let read = imported(
        "mdbook",
        &dest,
        "3 workshops, 5 lessons, 1 pictures and files copied\n21 changes are listed in",
    );
    // Parts are workshops, chapters their lessons in SUMMARY's order, titled by SUMMARY.
    assert!(
        read("curriculum/01-getting-started/_index.md")
            .starts_with("---\ntitle: \"Getting started\"\nsession: 1\n---")
    );
    let first = read("curriculum/01-getting-started/first-steps.md");
    assert!(first.starts_with("---\ntitle: \"First steps\"\nweight: 1\n---\n\n![The desk on a Sunday](../img/desk.png)"), "{first}");
    assert!(
        first.contains("Hello, this is the help desk.")
            && first.contains("[the welcome](../_index.md)"),
        "{first}"
    );
    assert!(
        first.contains("See the old notes, which were never written."),
        "{first}"
    );
    assert!(
        read("curriculum/01-getting-started/counting.md")
            .contains("[the first steps](first-steps.md#before-you-call).\n\n## On a holiday")
    );
    assert!(
        read("curriculum/_index.md")
            .contains("(01-getting-started/first-steps.md#before-you-call)")
    );
    // A name casebook's own pages use (`print`) is taken with `-page`; an anchor the page
    // does not have is left off, so the link leads to the page.
    assert!(
        read("curriculum/02-going-further/print-page.md")
            .contains("[the counting](../01-getting-started/counting.md).")
    );
    // Includes as mdBook takes them; hidden lines and `{{#title}}` out; escapes kept.
    let code = read("curriculum/02-going-further/code.md");
    assert!(
        code.contains("```rust\nfn deadline(days: u32) -> u32 {\n    days + 14\n}\n```"),
        "{code}"
    );
    assert!(
        code.contains("```rust\nlet days = 14;\n```") && !code.contains("fn main"),
        "{code}"
    );
    assert!(
        code.contains("Escaped: {{#include never.md}}.") && !code.contains("#title"),
        "{code}"
    );
    assert_eq!(
        fs::read(dest.join("curriculum/img/desk.png")).expect("copied"),
        fs::read(fixture("import/mdbook/src/img/desk.png")).expect("source")
    );
    let report = read("IMPORT-REPORT.md");
    for row in [
        "| `src/SUMMARY.md` | 9 | draft chapter \"A chapter still to write\" has no file: left out |",
        "| `src/basics/counting.md` | 3 | link `first_steps.md#before_you-call` now `first-steps.md#before-you-call` |",
        "| `src/basics/first_steps.md` | 11 | `old-notes.md` is no page of the source: the link is kept as its text |",
        "| `src/code.md` | 8 | `{{#rustdoc_include ../listings/days.rs:2:3}}` inlined (the lines mdBook shows; those it hides are left out) |",
        "| `src/code.md` | 12 | 2 lines that mdBook hides in Rust examples (`# …`) left out |",
        "| `src/print.md` | 3 | `#no-such-part` is no heading or anchor of `src/basics/counting.md`: the link leads to the page |",
    ] {
        assert!(report.contains(row), "{row}\n{report}");
    }
    // It builds, PDFs and all, and `check` finds no error.
    let out = tmp.path().join("public");
    let built = build_into(&dest, &out);
    assert!(built.status.success(), "{}", stderr(&built));
    assert!(!stderr(&built).contains("error"), "{}", stderr(&built));
    let lesson = visible_text(
        &fs::read_to_string(out.join("02-going-further/code/index.html")).expect("page"),
    );
    assert!(
        lesson.contains("Examples in code") && lesson.contains("let days = 14;"),
        "{lesson}"
    );
    let checked = casebook()
        .args(["check", "--root"])
        .arg(&dest)
        .output()
        .expect("check runs");
    assert!(
        checked.status.success(),
        "{}",
        String::from_utf8_lossy(&checked.stdout)
    );

    // Into a folder that is not empty: refused, nothing written.
    let again = casebook()
        .args(["import", "mdbook"])
        .arg(fixture("import/mdbook"))
        .arg(&dest)
        .output()
        .expect("runs");
    assert_eq!(again.status.code(), Some(2));
    assert!(
        stderr(&again).starts_with(&format!("error: `{}` is not empty", dest.display())),
        "{}",
        stderr(&again)
    );
    // Not an mdBook: said so.
    let not_a_book = casebook()
        .args(["import", "mdbook"])
        .arg(fixture("basic"))
        .arg(tmp.path().join("other"))
        .output()
        .expect("runs");
    assert_eq!(not_a_book.status.code(), Some(1));
    assert!(
        stderr(&not_a_book).starts_with("error: cannot read `book.toml`"),
        "{}",
        stderr(&not_a_book)
    );
    assert!(!tmp.path().join("other").exists());
}

/// `casebook import carpentries`: a lesson of our own comes in as one workshop, its
/// episodes in `config.yaml`'s order; Pandoc's blocks become casebook's (a solution an
/// answer, instructor notes for trainers only, the rest callouts); the objectives are the
/// workshop's; the reference is the toolkit's glossary; it builds and checks with no error.
#[test]
fn import_carpentries_makes_a_workshop_of_the_episodes() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dest = tmp.path().join("imported");
    let read = imported(
        "carpentries",
        &dest,
        "1 workshops, 4 lessons, 1 pictures and files copied\n18 changes are listed in",
    );
    let workshop = read("curriculum/01-reading-a-payslip/_index.md");
    assert!(
        workshop.starts_with("---\ntitle: \"Reading a payslip\"\nsession: 1\nduration: 40m\nobjectives: \n  - \"Name the parts of a payslip.\"\n  - \"Spot a deduction that needs a question.\"\n---"),
        "{workshop}"
    );
    let reading = read("curriculum/01-reading-a-payslip/reading.md");
    assert!(
        reading.starts_with("---\ntitle: \"Reading the lines\"\nweight: 1\nduration: 25m\n---"),
        "{reading}"
    );
    for part in [
        "> [!NOTE]\n> **Questions**",
        "<span id=\"wage-period\">wage period</span>",
        "![A payslip with its lines numbered](fig/payslip.png)",
        "[setup](setup.md)",
        "## Find the period",
        "::: answer\n\nThe first line gives the start and end of the wage period.\n\n:::",
        "::: trainer\n\nLearners often confuse the pay date with the period.\n\n:::",
        "> [!TIP]\n> **Key points**",
    ] {
        assert!(reading.contains(part), "{part}\n{reading}");
    }
    let deductions = read("curriculum/01-reading-a-payslip/deductions.md");
    assert!(deductions.contains("weight: 2"), "{deductions}");
    // A solution inside a solution: a callout inside its answer.
    assert!(
        deductions.contains("::: answer\n\nNo.\n\n\n> [!NOTE]\n> **Solution**\n>\n>\n> A second, nested solution: some deductions are lawful."),
        "{deductions}"
    );
    assert!(
        read("curriculum/01-reading-a-payslip/instructor-notes.md").contains("audience: trainer")
    );
    assert!(
        read("curriculum/toolkit/reference.md")
            .contains("Wage period\n:   The days a payslip pays for.")
    );
    let report = read("IMPORT-REPORT.md");
    for row in [
        "| `episodes/reading.md` | 31 | `solution` block: a `::: answer` block |",
        "| `episodes/deductions.md` | 23 | `discussion` block: a `[!TIP]` callout |",
        "| `instructors/instructor-notes.md` | 1 | an instructors' page: for trainers only (`audience: trainer`) |",
    ] {
        assert!(report.contains(row), "{row}\n{report}");
    }
    // The mentee edition: the episodes with their answers, no instructor notes.
    let out = tmp.path().join("public");
    let built = build_into(&dest, &out);
    assert!(built.status.success(), "{}", stderr(&built));
    let page = visible_text(
        &fs::read_to_string(out.join("01-reading-a-payslip/reading/index.html")).expect("page"),
    );
    assert!(
        page.contains("The first line gives the start and end of the wage period."),
        "{page}"
    );
    assert!(!page.contains("Learners often confuse"), "{page}");
    assert!(!out.join("01-reading-a-payslip/instructor-notes").exists());
    let glossary = fs::read_to_string(out.join("toolkit/reference/index.html")).expect("glossary");
    assert!(glossary.contains("<dt>Wage period</dt>"), "{glossary}");
    let checked = casebook()
        .args(["check", "--root"])
        .arg(&dest)
        .output()
        .expect("check runs");
    assert!(
        checked.status.success(),
        "{}",
        String::from_utf8_lossy(&checked.stdout)
    );
}
