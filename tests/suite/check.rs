//! `casebook check` as programme staff run it: a clean fixture reports nothing; the same
//! fixture with one kind of problem added reports it with its exact lines; the JSON output
//! parses; `casebook translate stamp` records what a translation was made from; and the
//! bundled curriculum has no errors.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::copy_dir;

fn casebook() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_casebook"));
    cmd.env("NO_COLOR", "1");
    cmd
}

/// The clean fixture in a temporary folder, as it is.
fn fixture_copy() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().join("site");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/check-clean"),
        &root,
    );
    (dir, root)
}

/// `casebook translate stamp` of the fixture's translation.
fn stamp(root: &Path) -> std::process::Output {
    casebook()
        .args([
            "translate",
            "stamp",
            "curriculum/01-intro/01-first.id.md",
            "--root",
        ])
        .arg(root)
        .output()
        .expect("runs")
}

/// The clean fixture in a temporary folder, its translation stamped.
fn clean_copy() -> (tempfile::TempDir, PathBuf) {
    let (dir, root) = fixture_copy();
    let out = stamp(&root);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let said = String::from_utf8_lossy(&out.stdout).into_owned();
    let hash = said.trim().rsplit(' ').next().unwrap().to_string();
    assert_eq!(
        said,
        format!("stamped `curriculum/01-intro/01-first.id.md` with source_hash {hash}\n")
    );
    let translation = fs::read_to_string(root.join("curriculum/01-intro/01-first.id.md")).unwrap();
    // The original's fingerprint, then each of its sections' (to name those that change).
    assert!(
        translation.contains(&format!(
            "translation_status: needs-review\nsource_hash: \"{hash} _="
        )),
        "{translation}"
    );
    assert!(
        translation.contains(" listening=") && translation.contains(" writing-it-down="),
        "{translation}"
    );
    (dir, root)
}

/// (exit code, stdout) of `casebook check` on `root`.
fn check(root: &Path, args: &[&str]) -> (i32, String) {
    let out = casebook()
        .arg("check")
        .arg("--root")
        .arg(root)
        .args(args)
        .output()
        .expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

fn append(root: &Path, file: &str, text: &str) {
    let path = root.join(file);
    let before = fs::read_to_string(&path).unwrap();
    fs::write(&path, before + text).unwrap();
}

#[test]
fn a_clean_curriculum_reports_nothing() {
    let (_dir, root) = clean_copy();
    let (code, out) = check(&root, &["--today", "2026-11-23", "--strict"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.ends_with("0 errors, 0 warnings (links 0, front-matter 0, freshness 0, translations 0, personal-data 0, accessibility 0)\n"),
        "{out}"
    );
    assert!(
        out.contains(
            "language    pages  translated    words   percent  stale\nid              5           1"
        ),
        "{out}"
    );
    // The JSON report.
    let (code, json) = check(&root, &["--today", "2026-11-23", "--format", "json"]);
    assert_eq!(code, 0);
    let report: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    assert_eq!(report["format"], 1);
    assert_eq!(report["summary"]["errors"], 0);
    assert_eq!(report["summary"]["warnings"], 0);
    assert_eq!(report["findings"].as_array().unwrap().len(), 0);
    assert_eq!(report["translations"][0]["language"], "id");
    assert_eq!(report["translations"][0]["pages"], 5);
    assert_eq!(report["translations"][0]["translated"], 1);
    assert_eq!(report["translations"][0]["stale"], 0);
    assert_eq!(
        report["translations"][0]["missing"][0],
        "curriculum/01-intro/_index.md"
    );
    assert_eq!(
        report["translations"][0]["missing"]
            .as_array()
            .unwrap()
            .len(),
        4
    );
    assert!(
        out.contains("not yet in id: curriculum/01-intro/_index.md, curriculum/_index.md, "),
        "{out}"
    );
}

#[test]
fn a_placeholder_base_url_is_a_links_warning_naming_the_pdfs_whose_covers_print_it() {
    let (_dir, root) = clean_copy();
    let config = root.join("casebook.yaml");
    let yaml = fs::read_to_string(&config).unwrap();
    fs::write(
        &config,
        yaml.replace("https://casebook.test/clean/", "https://example.org/clean/"),
    )
    .unwrap();
    let (code, out) = check(&root, &["--today", "2026-11-23"]);
    assert_eq!(code, 0, "a warning alone does not fail: {out}");
    // Both editions' PDFs, the mentee edition's first; a long list is cut short.
    assert!(
        out.contains("== Links (1)\n\nwarning: `base_url` is a placeholder address on `example.org`: the covers of 10 PDFs print it, and their QR codes lead there: `pdf/01-intro.id.pdf`, `pdf/01-intro.pdf`, `pdf/fact-patterns.pdf`, `pdf/toolkit.pdf`, `pdf/01-intro.handout.id.trainer.pdf`, `pdf/01-intro.handout.trainer.pdf`, `pdf/01-intro.id.trainer.pdf`, `pdf/01-intro.trainer.pdf` and 2 more\n --> casebook.yaml:2:11\n  |\n2 | base_url: https://example.org/clean/\n  |           ^^^^^^^^^^^^^^^^^^^^^^^^^^\n  = help: set `base_url` to the address the site will be published at, e.g. `base_url: https://training.yourunion.org/`\n"),
        "{out}"
    );
    assert!(
        out.ends_with("0 errors, 1 warning (links 1, front-matter 0, freshness 0, translations 0, personal-data 0, accessibility 0)\n"),
        "{out}"
    );
    let (code, _) = check(&root, &["--today", "2026-11-23", "--strict"]);
    assert_eq!(code, 1, "--strict fails on it");
}

#[test]
fn a_link_to_another_languages_version_is_a_links_warning() {
    let (_dir, root) = clean_copy();
    append(
        &root,
        "fact-patterns/case.md",
        "\nRead [the lesson](../curriculum/01-intro/01-first.id.md).\n",
    );
    let (_, out) = check(&root, &["--today", "2026-11-23"]);
    assert!(
        out.contains("warning: the link goes to the `id` version of a page\n  --> fact-patterns/case.md:21:6\n"),
        "{out}"
    );
    assert!(out.contains("= help: link to `01-first.md`: casebook takes each reader to the page in their own language"), "{out}");
}

#[test]
fn a_broken_link_is_an_error_under_links() {
    let (_dir, root) = clean_copy();
    append(
        &root,
        "curriculum/01-intro/_index.md",
        "\nSee [the form](nowhere.md).\n\nAsk the [Labour Department](https://www.labour.gov.hk/).\n",
    );
    let (code, out) = check(&root, &["--today", "2026-11-23"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("== Links (1)\n\nerror: the page `curriculum/01-intro/nowhere.md` does not exist\n  --> curriculum/01-intro/_index.md:13:5\n"), "{out}");
    assert!(out.ends_with("1 error, 0 warnings (links 1, front-matter 0, freshness 0, translations 0, personal-data 0, accessibility 0)\n"), "{out}");
    // Links to other sites are listed for a person to open.
    assert!(out.contains("== External links (1), not checked (add `--external`): open them to see that they still work\n\nhttps://www.labour.gov.hk/  (curriculum/01-intro/_index.md:15)\n"), "{out}");
    let (_, json) = check(&root, &["--today", "2026-11-23", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    assert_eq!(report["findings"][0]["kind"], "links");
    assert_eq!(report["findings"][0]["severity"], "error");
    assert_eq!(
        report["findings"][0]["file"],
        "curriculum/01-intro/_index.md"
    );
    assert_eq!(report["findings"][0]["line"], 13);
    assert_eq!(report["findings"][0]["column"], 5);
    assert_eq!(
        report["external_links"][0]["url"],
        "https://www.labour.gov.hk/"
    );
}

/// `check` of the clean site whose theme's `page.html` is `text`: its exit code and output.
fn check_with_page_template(root: &Path, text: &str) -> (i32, String) {
    let templates = root.join("themes/default/templates");
    fs::create_dir_all(&templates).unwrap();
    fs::write(templates.join("page.html"), text).unwrap();
    check(root, &["--today", "2026-11-23"])
}

/// A typo in a theme's template fails `check` as it fails `build`, with the template's
/// file and line, so that a clean check means the site builds.
#[test]
fn a_template_typo_is_an_error_with_its_file_and_line() {
    let (_dir, root) = clean_copy();
    let (code, out) = check_with_page_template(
        &root,
        "{% extends \"base.html\" %}\n{% block main %}\n{{ page.title\n{% endblock main %}\n",
    );
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("error: template error: expected `or`, `and`, `not`, `<=`, `>=`, `<`, `>`, `==`, `!=`, `+`, `-`, `*`, `/`, `%`, a filter, or a variable end (`}}`)\n --> themes/default/templates/page.html:4:1\n"), "{out}");
    assert!(out.ends_with("1 error, 0 warnings (links 0, front-matter 1, freshness 0, translations 0, personal-data 0, accessibility 0)\n"), "{out}");
}

#[test]
fn a_template_mistake_that_shows_only_when_pages_render_is_an_error_as_build_says_it() {
    let (_dir, root) = clean_copy();
    // An unknown filter fails every lesson, in both editions: told once.
    let (code, out) = check_with_page_template(
        &root,
        "{% extends \"base.html\" %}{% block main %}{{ page.title | no_such_filter }}{% endblock main %}\n",
    );
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("error: the template `page.html` failed on `01-intro/01-first/` and 1 other page: Failed to render 'page.html': Filter 'no_such_filter' not found\n  = help: check the names used in the template against the built-in one in themes/default/templates/\n"), "{out}");
    assert_eq!(out.matches("failed on").count(), 1, "{out}");
    // A value missing only where the trainer edition renders: that edition is named.
    let (code, out) = check_with_page_template(
        &root,
        "{% extends \"base.html\" %}{% block main %}{{ page.title }}{% if trainer %}{{ page.nope }}{% endif %}{% endblock main %}\n",
    );
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("error: in the trainer edition, the template `page.html` failed on `01-intro/01-first/` and 1 other page: Failed to render 'page.html': Variable `page.nope` not found in context while rendering 'page.html'\n"), "{out}");
    assert!(out.ends_with("1 error, 0 warnings (links 0, front-matter 1, freshness 0, translations 0, personal-data 0, accessibility 0)\n"), "{out}");
}

#[test]
fn a_workshop_without_objectives_and_an_exercise_without_answer_are_front_matter_warnings() {
    let (_dir, root) = clean_copy();
    let workshop = root.join("curriculum/01-intro/_index.md");
    let text = fs::read_to_string(&workshop)
        .unwrap()
        .replace("objectives:\n  - Take a first call calmly.\n", "");
    fs::write(&workshop, text).unwrap();
    let case = root.join("fact-patterns/case.md");
    let text = fs::read_to_string(&case)
        .unwrap()
        .replace("::: answer\nKeep a record of every payment.\n:::\n", "");
    fs::write(&case, text).unwrap();
    let (code, out) = check(&root, &["--today", "2026-11-23"]);
    assert_eq!(code, 0, "warnings alone do not fail: {out}");
    assert!(
        out.contains(
            "warning: the workshop has no `objectives`\n --> curriculum/01-intro/_index.md:1:1\n"
        ),
        "{out}"
    );
    assert!(out.contains("= help: add `objectives:` with what a mentee will be able to do afterwards, one item per line\n"), "{out}");
    assert!(
        out.contains(
            "warning: the fact pattern has no model answer\n --> fact-patterns/case.md:1:1\n"
        ),
        "{out}"
    );
    let (code, _) = check(&root, &["--today", "2026-11-23", "--strict"]);
    assert_eq!(code, 1, "--strict fails on warnings");
}

#[test]
fn pages_and_referrals_past_their_review_window_are_freshness_warnings() {
    let (_dir, root) = clean_copy();
    let (_, out) = check(&root, &["--today", "2027-09-02"]);
    assert!(out.contains("== Freshness (6)\n"), "{out}");
    assert!(
        out.contains("    curriculum/01-intro/01-first.md:3:1: overdue for review since 2027-06-01 (reviewed 2026-06-01)\n"),
        "{out}"
    );
    assert!(
        out.contains("warning: `Example Shelter` was last verified on 2026-09-01\n --> curriculum/toolkit/referrals.yaml:1:1\n"),
        "{out}"
    );
    // The day before the window ends, nothing.
    let (_, out) = check(&root, &["--today", "2027-05-31"]);
    assert!(!out.contains("== Freshness"), "{out}");
    let (code, out) = check(&root, &["--today", "someday"]);
    assert_eq!(code, 2, "{out}");
}

#[test]
fn hours_casebook_cannot_read_are_warnings_that_show_the_form_to_write() {
    let (_dir, root) = clean_copy();
    append(
        &root,
        "curriculum/toolkit/referrals.yaml",
        "\n- name: Night Line\n  kind: hotline\n  phone: \"+852 2000 0000\"\n  hours: \"24 hours\"\n\n- name: Day Office\n  kind: government\n  hours: \"Mon-Fri 9am-5pm\"\n",
    );
    let (code, out) = check(&root, &["--today", "2026-11-23"]);
    assert_eq!(code, 0, "hours in words still build: {out}");
    assert!(
        out.contains("warning: `24 hours` is not marked as answering at any hour\n"),
        "{out}"
    );
    assert!(out.contains("= help: write `hours: 24h` (a note may follow in brackets: `24h (answered by 1823)`), so the directory marks it and lists it first\n"), "{out}");
    assert!(out.contains("warning: these hours are shown as written and not marked open or closed: `9am-5pm` is not a time span: write it on a 24-hour clock, as `09:00-17:30`\n"), "{out}");
}

/// The same finding in many places is one block: the first in full, then a line each.
#[test]
fn findings_alike_are_one_block_with_a_line_for_each_place() {
    let (_dir, root) = clean_copy();
    let before = fs::read_to_string(root.join("curriculum/toolkit/referrals.yaml"))
        .expect("referrals")
        .lines()
        .count();
    append(
        &root,
        "curriculum/toolkit/referrals.yaml",
        "\n- name: First Desk\n  kind: union\n\n- name: Second Desk\n  kind: union\n\n- name: Third Desk\n  kind: union\n",
    );
    let (_, out) = check(&root, &["--today", "2026-11-23"]);
    let (first, second, third) = (before + 2, before + 5, before + 8);
    let expected = format!(
        "warning: `First Desk` has never been verified\n --> curriculum/toolkit/referrals.yaml:{first}:1\n"
    );
    assert!(out.contains(&expected), "{out}");
    assert!(
        out.contains(&format!("  = the same for 2 more:\n    curriculum/toolkit/referrals.yaml:{second}:1: `Second Desk` has never been verified\n    curriculum/toolkit/referrals.yaml:{third}:1: `Third Desk` has never been verified\n")),
        "{out}"
    );
    assert_eq!(out.matches("= help: call or check").count(), 1, "{out}");
}

#[test]
fn a_translation_whose_original_changed_is_stale() {
    let (_dir, root) = clean_copy();
    append(
        &root,
        "curriculum/01-intro/01-first.md",
        "\n## A new section\n\nMore advice.\n",
    );
    let (_, out) = check(&root, &["--today", "2026-11-23"]);
    assert!(
        out.contains("warning: the translation is stale: `curriculum/01-intro/01-first.md` changed since it was translated (changed: #a-new-section)\n --> curriculum/01-intro/01-first.id.md:5:1\n"),
        "{out}"
    );
    assert!(out.contains("= help: compare it with the original, update it, then run `casebook translate stamp curriculum/01-intro/01-first.id.md`"), "{out}");
    assert!(out.contains("id              5           1"), "{out}");
    let row = out
        .lines()
        .find(|l| l.starts_with("id "))
        .expect("a row for id");
    assert!(
        row.ends_with(" 1"),
        "one stale translation in the table: {row}"
    );
}

/// The sections of a stale translation's original are the headings its parser found: the
/// starter file's `# weight: 1` comment, in front matter, is no heading (it was read as
/// one, and a change to the front matter was reported as `#weight-1`).
#[test]
fn a_stale_translation_names_the_sections_the_page_has() {
    let (_dir, root) = clean_copy();
    let new = casebook()
        .args(["new", "lesson", "01-intro/02-second", "--root"])
        .arg(&root)
        .output()
        .expect("runs");
    assert!(
        new.status.success(),
        "{}",
        String::from_utf8_lossy(&new.stderr)
    );
    let original = root.join("curriculum/01-intro/02-second.md");
    let text = fs::read_to_string(&original)
        .unwrap()
        .replace("draft: true\n", "");
    fs::write(&original, &text).unwrap();
    fs::write(
        root.join("curriculum/01-intro/02-second.id.md"),
        "---\ntitle: Kedua\ntranslation_status: needs-review\n---\n\n## Yang perlu diketahui\n\nTulis dengan kata sederhana.\n",
    )
    .unwrap();
    let stamped = casebook()
        .args([
            "translate",
            "stamp",
            "curriculum/01-intro/02-second.id.md",
            "--root",
        ])
        .arg(&root)
        .output()
        .expect("runs");
    assert!(
        stamped.status.success(),
        "{}",
        String::from_utf8_lossy(&stamped.stderr)
    );
    // The front matter changes (it is the opening text), and so does a section.
    let edited = text.replace("duration: 45m", "duration: 50m").replace(
        "Write the lesson in plain words.",
        "Write it in plain words.",
    );
    fs::write(&original, edited).unwrap();
    let (_, out) = check(&root, &["--today", "2026-11-23"]);
    assert!(
        out.contains(
            "changed since it was translated (changed: (the opening text), #what-to-know)"
        ),
        "{out}"
    );
    assert!(!out.contains("weight-1"), "{out}");
}

#[test]
fn identity_numbers_phones_and_emails_in_case_material_are_personal_data() {
    let (_dir, root) = clean_copy();
    append(
        &root,
        "fact-patterns/case.md",
        "\nHer HKID is A123456(7) and her phone 9123 4567.\nHer sister's number, fictional: 9876 5432.\nShe wrote from ani.real@gmail.com.\nHer mother in Cebu: +63 917 123 4567; her cousin in Jakarta: +62 812 3456 7890.\n",
    );
    let (_, out) = check(&root, &["--today", "2026-11-23"]);
    assert!(out.contains("== Personal data (5)\n"), "{out}");
    assert!(out.contains("warning: this looks like an Indonesian or Philippine mobile number: `+62 812 3456 7890`\n  --> fact-patterns/case.md:24:62\n"), "{out}");
    assert!(out.contains("  = the same for 1 more:\n    fact-patterns/case.md:24:21: this looks like an Indonesian or Philippine mobile number: `+63 917 123 4567`\n"), "{out}");
    assert!(out.contains("warning: this looks like a Hong Kong identity card number: `A123456(7)`\n  --> fact-patterns/case.md:21:13\n"), "{out}");
    assert!(out.contains("warning: this looks like an 8-digit Hong Kong phone number: `9123 4567`\n  --> fact-patterns/case.md:21:38\n"), "{out}");
    assert!(out.contains("warning: this looks like an email address: `ani.real@gmail.com`\n  --> fact-patterns/case.md:23:16\n"), "{out}");
    // The shelter's number (in the directory) and the fictional one are allowed.
    assert!(
        !out.contains("2345 6789") && !out.contains("9876 5432"),
        "{out}"
    );
}

#[test]
fn images_without_alt_skipped_headings_vague_links_and_headerless_tables_are_accessibility_warnings()
 {
    let (_dir, root) = clean_copy();
    append(
        &root,
        "curriculum/01-intro/01-first.md",
        "\n![](form.png)\n\n## Next\n\n#### Too deep\n\nFor the form, [click here](form.png).\n\n|  |  |\n|---|---|\n| a | b |\n",
    );
    let (_, out) = check(&root, &["--today", "2026-11-23"]);
    assert!(out.contains("== Accessibility (4)\n"), "{out}");
    for expected in [
        "warning: the image `form.png` has no alt text\n  --> curriculum/01-intro/01-first.md:24:1\n",
        "warning: the heading `Too deep` skips from level 2 to level 4\n  --> curriculum/01-intro/01-first.md:28:1\n",
        "warning: the link text `click here` does not say where it goes\n  --> curriculum/01-intro/01-first.md:30:1\n",
        "warning: the table has no header row\n  --> curriculum/01-intro/01-first.md:32:1\n",
    ] {
        assert!(out.contains(expected), "{expected} missing from:\n{out}");
    }
}

#[test]
fn the_bundled_curriculum_has_no_errors() {
    let (code, out) = check(Path::new(env!("CARGO_MANIFEST_DIR")), &[]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("\n0 errors, "), "{out}");
    // Nor anything that looks like a real person's number in its case material, nor
    // content a screen reader stumbles on.
    assert!(out.contains("personal-data 0, accessibility 0)"), "{out}");
}

/// A local web server for the test: `/ok` answers 200, `/moved` redirects there, anything
/// else 404. Returns its address; it serves until the test ends.
fn local_site() -> String {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("binds");
    let address = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming().map_while(Result::ok) {
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request = String::new();
            let _ = reader.read_line(&mut request);
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                line.clear();
            }
            let path = request.split_whitespace().nth(1).unwrap_or("/").to_string();
            let head = match path.as_str() {
                "/ok" => "HTTP/1.1 200 OK\r\nContent-Length: 0".to_string(),
                "/moved" => "HTTP/1.1 301 Moved Permanently\r\nLocation: /ok\r\nContent-Length: 0"
                    .to_string(),
                _ => "HTTP/1.1 404 Not Found\r\nContent-Length: 0".to_string(),
            };
            let mut stream = stream;
            let _ = write!(stream, "{head}\r\nConnection: close\r\n\r\n");
        }
    });
    address
}

#[test]
fn external_links_are_asked_only_with_external_and_broken_ones_reported() {
    let (_dir, root) = clean_copy();
    let site = local_site();
    append(
        &root,
        "curriculum/01-intro/_index.md",
        &format!(
            "\nSee [the guide]({site}/ok), [the old guide]({site}/moved) and [the leaflet]({site}/gone).\n\nAgain, [the leaflet]({site}/gone).\n"
        ),
    );
    let (code, out) = check(&root, &["--today", "2026-11-23"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("== External links (4), not checked (add `--external`)"),
        "{out}"
    );
    let (code, out) = check(&root, &["--today", "2026-11-23", "--external", "--strict"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("== External links (4), checked: problems are listed under Links"),
        "{out}"
    );
    assert!(
        out.contains("== Links (2)\n"),
        "only the missing page, at both of its links: {out}"
    );
    assert!(
        out.contains(&format!("warning: the link `{site}/gone` answered HTTP 404\n  --> curriculum/01-intro/_index.md:13:1\n")),
        "{out}"
    );
    // The same finding at its second place is a line of the first one's block.
    assert!(
        out.contains(&format!("  = the same for 1 more:\n    curriculum/01-intro/_index.md:15:1: the link `{site}/gone` answered HTTP 404\n")),
        "{out}"
    );
}

#[test]
fn a_translation_saved_with_a_byte_order_mark_and_crlf_can_be_stamped() {
    let (_dir, root) = fixture_copy();
    let file = root.join("curriculum/01-intro/01-first.id.md");
    let text = fs::read_to_string(&file).expect("translation");
    // As Notepad on Windows saves it.
    fs::write(&file, format!("\u{feff}{}", text.replace('\n', "\r\n"))).expect("write");
    let out = stamp(&root);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stamped = fs::read_to_string(&file).expect("translation");
    assert!(stamped.starts_with("---\n"), "{stamped:?}");
    assert!(stamped.contains("\nsource_hash: \""), "{stamped}");
}
