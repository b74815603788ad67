//! `casebook serve`, as a trainer uses it: started on a free loopback port against a copy of
//! a fixture, it serves the site over HTTP, serves an edit after it is saved, shows a
//! broken front matter as an overlay on the page and drops it once fixed, serves the
//! trainer edition below `/__casebook/trainer/` with a switch between the two, shows what
//! `check` says of an edited file, and writes nothing into the content folder.

use std::fs;
use std::io::{BufRead, BufReader};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::common::{copy_dir, tree};
use crate::http;

/// A running `casebook serve`, stopped when dropped.
struct Server {
    child: Child,
    url: String,
    /// Everything it printed on stdout so far.
    lines: Arc<Mutex<Vec<String>>>,
    /// Everything it printed on stderr so far (diagnostics).
    errors: Arc<Mutex<Vec<String>>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(root: &Path, args: &[&str]) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_casebook"))
        .args(["serve", "--port", "0", "--root"])
        .arg(root)
        .args(args)
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("casebook runs");
    let stdout = child.stdout.take().expect("stdout");
    let stderr = child.stderr.take().expect("stderr");
    let errors = Arc::new(Mutex::new(Vec::new()));
    let kept = errors.clone();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            kept.lock().unwrap().push(line);
        }
    });
    let lines = Arc::new(Mutex::new(Vec::new()));
    let (tx, rx) = std::sync::mpsc::channel();
    let kept = lines.clone();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line.clone());
            kept.lock().unwrap().push(line);
        }
    });
    let first = rx
        .recv_timeout(Duration::from_secs(60))
        .expect("serve prints its address");
    let url = first
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap_or_else(|| panic!("no address in {first:?}"))
        .to_string();
    Server {
        child,
        url,
        lines,
        errors,
    }
}

/// A GET of a full URL: (status, body).
fn get(url: &str) -> (u16, String) {
    let rest = url.strip_prefix("http://").expect("http");
    let (host, path) = rest.split_once('/').expect("a path");
    http::get(host, &format!("/{path}"))
}

/// Polls `url` until its body satisfies `ok`, for up to 10 seconds.
fn until(url: &str, what: &str, ok: impl Fn(&str) -> bool) -> String {
    let end = Instant::now() + Duration::from_secs(10);
    loop {
        let (_, body) = get(url);
        if ok(&body) {
            return body;
        }
        assert!(
            Instant::now() < end,
            "{what}: {url} never did; last body:\n{body}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Saves as many editors do: the new text goes to a scratch file (named `…~`, which serve
/// ignores), renamed over the old one,
/// so the server never reads a half-written file.
fn save(path: &Path, text: impl AsRef<[u8]>) {
    let mut name = path.file_name().unwrap().to_os_string();
    name.push("~");
    let scratch = path.with_file_name(name);
    fs::write(&scratch, text).unwrap();
    fs::rename(&scratch, path).unwrap();
}

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/basic")
}

#[test]
fn serve_shows_edits_and_errors_and_writes_nothing_into_the_content() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().join("site");
    copy_dir(&fixture(), &root);
    let server = start(&root, &["--no-pdf"]);
    assert!(
        server.url.starts_with("http://127.0.0.1:"),
        "{}",
        server.url
    );
    let lesson_url = format!("{}01-first/01-alpha/", server.url);

    let (status, page) = get(&lesson_url);
    assert_eq!(status, 200);
    assert!(page.contains("<h1>Alpha Lesson</h1>"), "{page}");
    assert!(
        page.contains("/__casebook/live.js?v="),
        "the reload script is in the page"
    );
    let (status, _) = get(&format!("{}01-first/no-such-page/", server.url));
    assert_eq!(status, 404);

    // An edit is served once saved, and the terminal says what was rebuilt.
    let lesson = root.join("curriculum/01-first/01-alpha.md");
    let original = fs::read_to_string(&lesson).unwrap();
    let edited = format!("{original}\nA sentence SAVED-IN-THE-EDITOR.\n");
    save(&lesson, &edited);
    until(&lesson_url, "the edit should be served", |b| {
        b.contains("SAVED-IN-THE-EDITOR")
    });
    let line = until_line(&server, "curriculum/01-first/01-alpha.md: ");
    assert!(
        line.contains("pages rebuilt in") && line.contains(" ms"),
        "{line}"
    );
    // Only that lesson's pages (one per language) and the print views holding it.
    assert!(line.contains(": 4 pages rebuilt"), "{line}");

    // A broken front matter: the page shows the diagnostic over the last good version.
    let broken = edited.replacen("title: Alpha Lesson", "titel: Alpha Lesson", 1);
    save(&lesson, &broken);
    let page = until(&lesson_url, "the error overlay should appear", |b| {
        b.contains("casebook-error")
    });
    for expected in [
        "casebook cannot rebuild the site: 1 error",
        "error: unknown front matter key `titel`",
        "--&gt; curriculum/01-first/01-alpha.md:2:1",
        "= help: did you mean `title`?",
        "SAVED-IN-THE-EDITOR",
    ] {
        assert!(page.contains(expected), "{expected} missing from:\n{page}");
    }
    // Every page shows it, not just the broken one.
    let (_, home) = get(&server.url);
    assert!(home.contains("casebook-error"), "{home}");

    // Fixed: the overlay goes.
    save(&lesson, &edited);
    until(&lesson_url, "the overlay should clear", |b| {
        !b.contains("casebook-error") && b.contains("SAVED-IN-THE-EDITOR")
    });

    // A config edit rebuilds every page.
    let config = root.join("casebook.yaml");
    let yaml = fs::read_to_string(&config).unwrap();
    save(
        &config,
        yaml.replace("title: Test Curriculum", "title: Renamed Curriculum"),
    );
    until(
        &format!("{}fact-patterns/reveal-case/", server.url),
        "a config edit reaches every page",
        |b| b.contains("Renamed Curriculum"),
    );
    save(&config, &yaml);
    until(&server.url, "and back", |b| {
        b.contains("Test Curriculum") && !b.contains("Renamed")
    });

    // Stopped: the content folder holds exactly what the test wrote, nothing more.
    drop(server);
    let mut expected = tree(&fixture());
    expected.insert(
        PathBuf::from("curriculum/01-first/01-alpha.md"),
        edited.into_bytes(),
    );
    assert_eq!(
        tree(&root).keys().collect::<Vec<_>>(),
        expected.keys().collect::<Vec<_>>()
    );
    assert!(tree(&root) == expected, "the content folder changed");
}

/// A picture beside the content is served once a page shows it, and not before: the
/// preview publishes what a build of its edition would.
#[test]
fn serve_serves_a_picture_from_the_edit_that_shows_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().join("site");
    copy_dir(&fixture(), &root);
    fs::copy(
        root.join("curriculum/01-first/form.png"),
        root.join("curriculum/01-first/later.png"),
    )
    .expect("copy");
    let server = start(&root, &["--no-pdf"]);
    let picture = format!("{}01-first/later.png", server.url);
    assert_eq!(get(&picture).0, 404);
    let lesson = root.join("curriculum/01-first/01-alpha.md");
    let original = fs::read_to_string(&lesson).unwrap();
    save(&lesson, format!("{original}\n![Shown later](later.png)\n"));
    let end = Instant::now() + Duration::from_secs(10);
    while get(&picture).0 != 200 {
        assert!(Instant::now() < end, "the picture is never served");
        std::thread::sleep(Duration::from_millis(50));
    }
    save(&lesson, &original);
    let end = Instant::now() + Duration::from_secs(10);
    while get(&picture).0 != 404 {
        assert!(Instant::now() < end, "the picture is still served");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The second step of a rebuild (the search index, the PDFs) reports its errors as the first
/// does: a PDF that cannot be typeset shows in the overlay of every page and in the
/// terminal.
#[test]
fn serve_shows_a_pdf_that_cannot_be_typeset() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().join("site");
    copy_dir(&fixture(), &root);
    let preamble = root.join("themes/default/pdf/casebook.typ");
    fs::create_dir_all(preamble.parent().unwrap()).unwrap();
    let built_in = include_str!("../../themes/default/pdf/casebook.typ");
    fs::write(&preamble, format!("{built_in}\n#let broken = (\n")).unwrap();
    let server = start(&root, &[]);
    let page = until(&server.url, "the PDF error should show", |b| {
        b.contains("casebook-error")
    });
    assert!(page.contains("error: cannot typeset `pdf/"), "{page}");
    let line = until_line(&server, "first build: ");
    assert!(
        line.contains("shown in the browser; fix and save to rebuild"),
        "{line}"
    );
    // Fixed: the overlay goes.
    fs::write(&preamble, built_in).unwrap();
    until(&server.url, "the overlay should clear", |b| {
        !b.contains("casebook-error")
    });
}

fn until_line(server: &Server, start: &str) -> String {
    let end = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(line) = server
            .lines
            .lock()
            .unwrap()
            .iter()
            .find(|l| l.starts_with(start))
        {
            return line.clone();
        }
        assert!(
            Instant::now() < end,
            "no line starting {start:?} in {:?}",
            server.lines.lock().unwrap()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn serve_listens_on_loopback_only_answers_only_its_own_address_and_says_when_the_port_is_taken() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().join("site");
    copy_dir(&fixture(), &root);
    let server = start(&root, &["--no-pdf"]);
    let port = server
        .url
        .trim_end_matches('/')
        .rsplit(':')
        .next()
        .unwrap()
        .to_string();
    // 127.0.0.2 is this machine too, but not the address casebook listens on.
    assert!(TcpStream::connect(format!("127.0.0.1:{port}")).is_ok());
    assert!(
        TcpStream::connect(format!("127.0.0.2:{port}")).is_err(),
        "serve must listen on 127.0.0.1 only"
    );
    // A request addressed to another name (a web page elsewhere whose name was made to
    // point here, DNS rebinding) gets nothing of the site.
    let address = format!("127.0.0.1:{port}");
    let (status, body) = http::get_addressed(&address, &format!("rebind.example:{port}"), "/");
    assert_eq!(status, 421, "{body}");
    assert_eq!(
        body,
        format!(
            "casebook serve answers only requests addressed to it, such as http://127.0.0.1:{port}/ or http://localhost:{port}/\n"
        )
    );
    for host in [format!("localhost:{port}"), address.clone()] {
        let (status, body) = http::get_addressed(&address, &host, "/");
        assert_eq!(status, 200, "{host}");
        assert!(body.contains("Test Programme"), "{host}");
    }
    let taken = Command::new(env!("CARGO_BIN_EXE_casebook"))
        .args(["serve", "--no-pdf", "--port", &port, "--root"])
        .arg(&root)
        .output()
        .expect("runs");
    assert_eq!(taken.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&taken.stderr),
        format!(
            "error: port {port} is already in use: stop what uses it, or pass another one with `--port`\n"
        )
    );
}

#[test]
fn serve_does_not_typeset_again_a_pdf_whose_inputs_did_not_change() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().join("site");
    copy_dir(&fixture(), &root);
    let server = start(&root, &[]);
    let first = until_line(&server, "first build: ");
    assert!(first.contains("6 of 6 PDFs typeset"), "{first}");
    let (status, pdf) = get(&format!("{}pdf/02-second.pdf", server.url));
    assert_eq!(status, 200);
    assert!(pdf.starts_with("%PDF"), "a PDF is served");
    // An edit of a lesson of the first workshop: its handouts (English, and the Indonesian
    // one that falls back to it) and the packets holding it are typeset again, not the rest.
    let lesson = root.join("curriculum/01-first/01-alpha.md");
    let text = fs::read_to_string(&lesson).unwrap() + "\nOne more line.\n";
    save(&lesson, text);
    let line = until_line(&server, "curriculum/01-first/01-alpha.md: ");
    assert!(line.contains("2 of 6 PDFs typeset"), "{line}");
}

#[test]
fn serve_renders_again_only_the_pages_an_edited_template_makes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().join("site");
    copy_dir(&fixture(), &root);
    let templates = root.join("themes/default/templates");
    fs::create_dir_all(&templates).unwrap();
    let server = start(&root, &["--no-pdf", "--poll"]);
    // The site's own copy of the fact-pattern template, with a line of its own.
    let built_in = fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/fact_pattern.html"),
    )
    .unwrap();
    let changed = built_in.replace(
        "{% block main %}",
        "{% block main %}<p>OUR-OWN-TEMPLATE</p>",
    );
    save(&templates.join("fact_pattern.html"), changed);
    until(
        &format!("{}fact-patterns/reveal-case/", server.url),
        "the fact pattern uses the site's template",
        |b| b.contains("OUR-OWN-TEMPLATE"),
    );
    // Three fact patterns (the draft is shown in the preview) in two languages; no other
    // page.
    let line = until_line(&server, "themes/default/templates/fact_pattern.html: ");
    assert!(line.contains(": 6 pages rebuilt"), "{line}");
    let (_, lesson) = get(&format!("{}01-first/01-alpha/", server.url));
    assert!(!lesson.contains("OUR-OWN-TEMPLATE"));
}

/// A new lesson is a draft: the preview shows it, marked, and says how many drafts it
/// shows; `build` leaves it out; `--no-drafts` previews what `build` makes.
#[test]
fn serve_shows_drafts_marked_and_says_how_many() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().join("site");
    copy_dir(&fixture(), &root);
    let made = Command::new(env!("CARGO_BIN_EXE_casebook"))
        .args(["new", "lesson", "01-first/09-new-lesson", "--root"])
        .arg(&root)
        .output()
        .expect("casebook runs");
    assert!(made.status.success());
    let server = start(&root, &["--no-pdf"]);
    let first = until_line(&server, "first build: ");
    assert!(
        first.contains("; 2 drafts shown marked \"Draft\" (`build` leaves them out)"),
        "{first}"
    );
    let (status, page) = get(&format!("{}01-first/09-new-lesson/", server.url));
    assert_eq!(status, 200, "{page}");
    assert!(
        crate::common::visible_text(&page).contains("Draft: this page is in the preview only. It is published once “draft: true” is removed from its front matter."),
        "{page}"
    );
    // The lists that hold a draft say so beside it, and only beside it.
    let (_, workshop) = get(&format!("{}01-first/", server.url));
    let new_lesson = list_item(&workshop, "href=\"09-new-lesson&#x2F;\"");
    assert!(new_lesson.contains(DRAFT_MARK), "{new_lesson}");
    let published = list_item(&workshop, "href=\"01-alpha&#x2F;\"");
    assert!(!published.contains(DRAFT_MARK), "{published}");
    let (_, index) = get(&format!("{}fact-patterns/", server.url));
    assert!(
        list_item(&index, "href=\"draft-case&#x2F;\"").contains(DRAFT_MARK),
        "{index}"
    );
    assert!(!list_item(&index, "href=\"exam-case&#x2F;\"").contains(DRAFT_MARK));
    drop(server);
    let hidden = start(&root, &["--no-pdf", "--no-drafts"]);
    let first = until_line(&hidden, "first build: ");
    assert!(!first.contains("draft"), "{first}");
    let (status, _) = get(&format!("{}01-first/09-new-lesson/", hidden.url));
    assert_eq!(status, 404);
    let (_, workshop) = get(&format!("{}01-first/", hidden.url));
    assert!(!workshop.contains("badge-draft"), "{workshop}");
}

/// How a list marks a draft: the string table's `draft` word, beside its link.
const DRAFT_MARK: &str = "<strong class=\"badge badge-draft\" data-pagefind-ignore>Draft</strong>";

/// The list item of `html` that holds `needle`.
fn list_item<'a>(html: &'a str, needle: &str) -> &'a str {
    let at = html
        .find(needle)
        .unwrap_or_else(|| panic!("no {needle} in:\n{html}"));
    let start = html[..at].rfind("<li").expect("in a list item");
    let end = at + html[at..].find("</li>").expect("a closed list item");
    &html[start..end]
}

/// The trainer edition is served below `/__casebook/trainer/`, each page at the path the
/// mentee edition has it at, with its links, pictures, stylesheet, search index, reloads
/// and 404 page working there; every page has a switch to the same page in the other
/// edition, in the page's language.
#[test]
fn serve_serves_the_trainer_edition_below_a_prefix_with_a_switch() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().join("site");
    copy_dir(&fixture(), &root);
    let server = start(&root, &["--no-pdf"]);
    let first = server.lines.lock().unwrap()[0].clone();
    assert!(
        first.contains(&format!(
            " and the trainer edition at {}__casebook/trainer/ ",
            server.url
        )),
        "{first}"
    );
    let note = "TRAINER-NOTE-MARKER-nested";

    // The mentee's page: no trainer note, a switch to the trainer's.
    let (status, mentee) = get(&format!("{}01-first/01-alpha/", server.url));
    assert_eq!(status, 200);
    assert!(!mentee.contains(note), "{mentee}");
    assert!(
        mentee.contains("<a href=\"/__casebook/trainer/01-first/01-alpha/\" data-casebook-switch")
            && crate::common::visible_text(&mentee).contains("View as trainer"),
        "{mentee}"
    );

    // The trainer's page, made on this first request for it: the note, and the way back.
    let trainer_url = format!("{}__casebook/trainer/01-first/01-alpha/", server.url);
    let (status, trainer) = get(&trainer_url);
    assert_eq!(status, 200, "{trainer}");
    assert!(trainer.contains(note), "{trainer}");
    assert!(
        trainer.contains("<a href=\"/01-first/01-alpha/\" data-casebook-switch")
            && crate::common::visible_text(&trainer).contains("View as mentee"),
        "{trainer}"
    );
    let line = until_line(&server, "the trainer edition asked for: ");
    assert!(line.contains("in the trainer edition)"), "{line}");

    // In another language, the switch speaks it and keeps it.
    let (_, indonesian) = get(&format!("{}id/01-first/01-alpha/", server.url));
    assert!(
        indonesian
            .contains("<a href=\"/__casebook/trainer/id/01-first/01-alpha/\" data-casebook-switch")
            && indonesian.contains(">Lihat sebagai pelatih</a>"),
        "{indonesian}"
    );

    // What the page loads resolves below the prefix: its stylesheet, its picture, the
    // search index (made after the pages).
    let href = |html: &str, start: &str| -> String {
        let at = html.find(start).unwrap_or_else(|| panic!("no {start}"));
        let rest = &html[at + start.len()..];
        rest[..rest.find('"').unwrap()].replace("&#x2F;", "/")
    };
    let stylesheet = href(&trainer, "<link rel=\"stylesheet\" href=\"");
    assert!(
        stylesheet.starts_with("../../assets/style.css"),
        "{stylesheet}"
    );
    let (status, css) = get(&format!(
        "{}__casebook/trainer/assets/{}",
        server.url,
        stylesheet.trim_start_matches("../../assets/")
    ));
    assert_eq!(status, 200);
    assert!(css.contains(".badge-draft"), "the theme's stylesheet");
    let picture = href(&trainer, "<img src=\"");
    assert_eq!(picture, "../form.png");
    assert_eq!(
        get(&format!(
            "{}__casebook/trainer/01-first/form.png",
            server.url
        ))
        .0,
        200
    );
    let end = Instant::now() + Duration::from_secs(10);
    while get(&format!(
        "{}__casebook/trainer/pagefind/pagefind.js",
        server.url
    ))
    .0 != 200
    {
        assert!(
            Instant::now() < end,
            "the trainer edition's search is not served"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    // A page missing below the prefix gets the trainer edition's 404 page, whose links
    // start there too.
    let (status, missing) = get(&format!("{}__casebook/trainer/no-such-page/", server.url));
    assert_eq!(status, 404);
    assert!(
        missing.contains("href=\"&#x2F;__casebook&#x2F;trainer&#x2F;\""),
        "{missing}"
    );

    // An edit reaches both editions, and a tab open on the trainer's page is told to
    // reload.
    let host = server
        .url
        .trim_start_matches("http://")
        .trim_end_matches('/');
    let (_, now) = http::get(host, "/__casebook/wait?since=0");
    let now: serde_json::Value = serde_json::from_str(&now).unwrap();
    let since = now["version"].as_u64().unwrap();
    let lesson = root.join("curriculum/01-first/01-alpha.md");
    let text = fs::read_to_string(&lesson).unwrap();
    save(&lesson, format!("{text}\nBOTH-EDITIONS-SEE-THIS.\n"));
    let (_, change) = http::get(host, &format!("/__casebook/wait?since={since}"));
    let change: serde_json::Value = serde_json::from_str(&change).unwrap();
    let pages: Vec<&str> = change["pages"]
        .as_array()
        .unwrap_or_else(|| panic!("{change}"))
        .iter()
        .filter_map(|p| p.as_str())
        .collect();
    assert!(
        pages.contains(&"01-first/01-alpha/index.html")
            && pages.contains(&"__casebook/trainer/01-first/01-alpha/index.html"),
        "{pages:?}"
    );
    until(&trainer_url, "the trainer's page shows the edit", |b| {
        b.contains("BOTH-EDITIONS-SEE-THIS")
    });
    let line = until_line(&server, "curriculum/01-first/01-alpha.md: ");
    assert!(
        line.contains(": 8 pages rebuilt") && line.contains("(4 of them in the trainer edition)"),
        "{line}"
    );

    // A broken front matter shows over the trainer's pages too, and goes once fixed.
    save(
        &lesson,
        text.replacen("title: Alpha Lesson", "titel: Alpha Lesson", 1),
    );
    let page = until(&trainer_url, "the overlay on the trainer's page", |b| {
        b.contains("casebook-error")
    });
    assert!(
        page.contains("error: unknown front matter key `titel`") && page.contains(note),
        "{page}"
    );
    save(&lesson, &text);
    until(&trainer_url, "the overlay should clear", |b| {
        !b.contains("casebook-error") && !b.contains("BOTH-EDITIONS-SEE-THIS")
    });
}

/// Nothing of the preview reaches a built site: no switch, no link below `/__casebook/`,
/// no reload script, in either edition; `build --drafts` marks drafts in lists as the
/// preview does.
#[test]
fn build_output_has_nothing_of_the_preview() {
    let dir = tempfile::tempdir().expect("temp dir");
    for (edition, drafts) in [("mentee", false), ("trainer", true)] {
        let out = dir.path().join(edition);
        let mut args = vec!["build", "--no-pdf", "--edition", edition];
        if drafts {
            args.push("--drafts");
        }
        let built = Command::new(env!("CARGO_BIN_EXE_casebook"))
            .args(&args)
            .arg("--root")
            .arg(fixture())
            .arg("--out")
            .arg(&out)
            .output()
            .expect("casebook runs");
        assert!(built.status.success(), "{built:?}");
        let files = tree(&out);
        assert!(files.len() > 20, "a whole site");
        for (path, bytes) in &files {
            let text = crate::common::readable(bytes);
            for preview in ["__casebook", "casebook-switch", "View as", "casebook-check"] {
                assert!(
                    !text.contains(preview),
                    "{preview} in {} of the {edition} edition",
                    path.display()
                );
            }
        }
        let index = crate::common::readable(&files[Path::new("fact-patterns/index.html")]);
        assert_eq!(index.contains("badge-draft"), drafts, "{index}");
    }
}

/// After each rebuild the preview says what `check` would of the file saved: personal
/// data, accessibility, freshness. The terminal line counts it, the diagnostic is printed,
/// and every page shows it in a note that can be closed, over a page that is shown all the
/// same; the note goes once the file is fixed.
#[test]
fn serve_reports_what_check_says_of_the_edited_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().join("site");
    copy_dir(&fixture(), &root);
    let server = start(&root, &["--no-pdf"]);
    let exercise_url = format!("{}fact-patterns/exam-case/", server.url);
    let (_, clean) = get(&exercise_url);
    assert!(!clean.contains("casebook-check"), "no note before any edit");

    // A real-looking phone number in a fact pattern.
    let exercise = root.join("fact-patterns/exam-case.md");
    let original = fs::read_to_string(&exercise).unwrap();
    save(
        &exercise,
        original.replacen(
            "## Facts\n",
            "## Facts\n\nHer employer's number is 9123 4567.\n",
            1,
        ),
    );
    let page = until(&exercise_url, "the note should appear", |b| {
        b.contains("casebook-check")
    });
    let text = crate::common::visible_text(&page);
    for expected in [
        "casebook check: 1 warning in the files you edited",
        "warning: this looks like an 8-digit Hong Kong phone number: `9123 4567`",
        "--> fact-patterns/exam-case.md:",
        "Her employer's number is 9123 4567.",
        "Close",
    ] {
        assert!(text.contains(expected), "{expected} missing from:\n{text}");
    }
    assert!(page.contains("data-casebook-close"), "{page}");
    assert!(
        !page.contains("casebook-error"),
        "a warning never blocks the page"
    );
    let line = until_line(&server, "fact-patterns/exam-case.md: ");
    assert!(
        line.contains("; check: 1 warning (personal data), shown on the page"),
        "{line}"
    );
    let printed = server.errors.lock().unwrap().join("\n");
    assert!(
        printed.contains("warning: this looks like an 8-digit Hong Kong phone number: `9123 4567`"),
        "{printed}"
    );

    // A picture without alt text in a lesson long overdue for review: every warning of
    // the files edited so far is shown.
    let lesson = root.join("curriculum/01-first/02-beta.md");
    let beta = fs::read_to_string(&lesson).unwrap();
    save(&lesson, format!("{beta}\n![](form.png)\n"));
    let lesson_url = format!("{}01-first/02-beta/", server.url);
    let page = until(&lesson_url, "the lesson's note", |b| {
        b.contains("the image `form.png` has no alt text")
    });
    let text = crate::common::visible_text(&page);
    for expected in [
        "casebook check: 3 warnings in the files you edited",
        "warning: overdue for review since 2021-01-01 (reviewed 2020-01-01)",
        "warning: the image `form.png` has no alt text",
        "`9123 4567`",
    ] {
        assert!(text.contains(expected), "{expected} missing from:\n{text}");
    }
    let line = until_line(&server, "curriculum/01-first/02-beta.md: ");
    assert!(
        line.contains("; check: 2 warnings (freshness, accessibility), shown on the page"),
        "{line}"
    );

    // Fixed: their notes go; what is still true stays.
    save(&exercise, &original);
    save(&lesson, &beta);
    let page = until(&lesson_url, "the fixed warnings should go", |b| {
        !b.contains("no alt text") && !b.contains("9123 4567")
    });
    let text = crate::common::visible_text(&page);
    assert!(
        text.contains("casebook check: 1 warning in the files you edited")
            && text.contains("overdue for review"),
        "{text}"
    );
    let (_, exercise_page) = get(&exercise_url);
    assert!(!exercise_page.contains("9123 4567"), "{exercise_page}");
}
