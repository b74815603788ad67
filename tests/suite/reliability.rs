//! Reliability, as a trainer meets it.
//!
//! - A build killed (SIGKILL) at any moment leaves the previous site whole, and the next
//!   build leaves no temporary folder behind.
//! - Broken input never panics, hangs or runs out of memory. Each case of
//!   `tests/fixtures/invalid/` fails with exit code 1, the exact diagnostics of its
//!   `expected-stderr.txt` and no output folder, or builds and shows what its
//!   `expected-builds.txt` lists. Input a text fixture cannot hold (other encodings, NUL
//!   bytes, Windows line endings, symbolic links, huge or deeply nested files) is made at
//!   test time.

use std::fs;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{copy_dir, tree, visible_text};

fn build(root: &Path, out: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_casebook"));
    cmd.args(["build", "--root"])
        .arg(root)
        .arg("--out")
        .arg(out);
    cmd.stdout(Stdio::null()).stderr(Stdio::null());
    cmd
}

#[test]
fn a_build_killed_at_any_moment_leaves_the_previous_site_whole() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().join("content");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/basic"),
        &root,
    );
    let out = dir.path().join("site");
    let started = Instant::now();
    assert!(build(&root, &out).status().unwrap().success());
    let took = started.elapsed();
    let previous = tree(&out);
    assert!(previous.len() > 30, "{} files", previous.len());

    // The same content builds the same files, so after every kill the folder must hold
    // exactly them: the previous site, or a finished new one, never a mix or nothing.
    let kills = 40;
    for i in 0..kills {
        let mut child = build(&root, &out).spawn().expect("starts");
        // Spread the kills over the whole build, from its first moment to its end.
        std::thread::sleep(
            took.mul_f64(f64::from(i) / f64::from(kills))
                .max(Duration::from_micros(200)),
        );
        let _ = child.kill();
        let _ = child.wait();
        assert!(out.is_dir(), "kill {i}: the site folder is missing");
        let now = tree(&out);
        assert_eq!(
            now.keys().collect::<Vec<_>>(),
            previous.keys().collect::<Vec<_>>(),
            "kill {i}: the site's files changed"
        );
        assert!(now == previous, "kill {i}: a file of the site changed");
    }

    // The next build finishes and clears what the killed ones left.
    assert!(build(&root, &out).status().unwrap().success());
    let leftovers: Vec<String> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "content" && n != "site")
        .collect();
    assert!(leftovers.is_empty(), "left behind: {leftovers:?}");
    assert!(tree(&out) == previous);
}

/// On a machine with one core, rayon's pool has one thread, and a build that waits on it
/// for work that needs the pool too never ends (the search index once did). The build runs
/// with one pool thread, and pinned to one processor where `taskset` can do it.
#[test]
fn a_build_on_a_single_core_machine_finishes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/basic");
    let one_thread = dir.path().join("one-thread");
    let mut cmd = build(&root, &one_thread);
    cmd.env("RAYON_NUM_THREADS", "1");
    let mut ways = vec![("RAYON_NUM_THREADS=1", cmd, one_thread)];
    let taskset = Path::new("/usr/bin/taskset");
    if taskset.exists() {
        let one_cpu = dir.path().join("one-cpu");
        let mut cmd = Command::new(taskset);
        cmd.args(["-c", "0", env!("CARGO_BIN_EXE_casebook"), "build", "--root"])
            .arg(&root)
            .arg("--out")
            .arg(&one_cpu)
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        ways.push(("taskset -c 0", cmd, one_cpu));
    }
    for (how, mut cmd, out) in ways {
        let status = finished(&mut cmd, &format!("the build with {how}"));
        assert!(status.success(), "with {how}: {status}");
        let site = tree(&out);
        for file in ["index.html", "pagefind/pagefind-entry.json", "sw.js"] {
            assert!(site.contains_key(Path::new(file)), "with {how}: no {file}");
        }
        assert!(
            site.keys()
                .any(|f| f.extension().is_some_and(|x| x == "pdf")),
            "with {how}: no PDF"
        );
    }
}

/// The longest a build of broken input may run before the test calls it a hang.
const TIME_LIMIT: Duration = Duration::from_secs(60);
/// The most memory (peak resident set, in KB) a build of broken input may use.
const MEMORY_LIMIT_KB: u64 = 1024 * 1024;

/// A finished `casebook build`.
struct Run {
    code: Option<i32>,
    stderr: String,
    elapsed: Duration,
    /// Peak memory in KB, when `/usr/bin/time` is there to measure it.
    peak_kb: Option<u64>,
}

/// Runs `cmd` to its end, or fails the test once it has run for [`TIME_LIMIT`]. It runs
/// in its own process group, so that a hung build is stopped with whatever runs it
/// (`time`, `taskset`).
fn finished(cmd: &mut Command, what: &str) -> std::process::ExitStatus {
    let started = Instant::now();
    let mut child = cmd.process_group(0).spawn().expect("starts");
    loop {
        if let Some(status) = child.try_wait().expect("waits") {
            return status;
        }
        if started.elapsed() > TIME_LIMIT {
            let group = format!("-{}", child.id());
            let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
            let _ = child.wait();
            panic!("{what} still ran after {TIME_LIMIT:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Builds `root` into `out` as a trainer does (with PDFs), stopped after [`TIME_LIMIT`],
/// its peak memory measured by `/usr/bin/time`.
fn run_build(root: &Path, out: &Path) -> Run {
    let scratch = tempfile::tempdir().expect("temp dir");
    let stderr_file = scratch.path().join("stderr");
    let peak_file = scratch.path().join("peak-kb");
    let time = Path::new("/usr/bin/time");
    let mut cmd = if time.exists() {
        let mut cmd = Command::new(time);
        cmd.arg("-o")
            .arg(&peak_file)
            .args(["-f", "%M"])
            .arg(env!("CARGO_BIN_EXE_casebook"));
        cmd
    } else {
        Command::new(env!("CARGO_BIN_EXE_casebook"))
    };
    cmd.args(["build", "--root"])
        .arg(root)
        .arg("--out")
        .arg(out)
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .stderr(fs::File::create(&stderr_file).expect("stderr file"));
    let started = Instant::now();
    let status = finished(
        &mut cmd,
        &format!("`casebook build --root {}`", root.display()),
    );
    let peak_kb = fs::read_to_string(&peak_file)
        .ok()
        .and_then(|s| s.lines().filter_map(|l| l.trim().parse().ok()).next_back());
    Run {
        code: status.code(),
        stderr: fs::read_to_string(&stderr_file).unwrap_or_default(),
        elapsed: started.elapsed(),
        peak_kb,
    }
}

impl Run {
    /// What is wrong with the run whatever its input: a crash, a panic, too much memory.
    fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        if !matches!(self.code, Some(0 | 1)) {
            problems.push(format!(
                "exit code {:?}: 101 is a panic, above 128 a signal (a crash)",
                self.code
            ));
        }
        for sign in ["panicked", "overflowed its stack", "fatal runtime error"] {
            if self.stderr.contains(sign) {
                problems.push(format!("stderr says `{sign}`"));
            }
        }
        if let Some(kb) = self.peak_kb.filter(|kb| *kb > MEMORY_LIMIT_KB) {
            problems.push(format!("it used {} MB of memory", kb / 1024));
        }
        problems
    }

    /// Problems, when the run should have failed with exactly `expected` on stderr and
    /// written nothing.
    fn failed_with(&self, expected: &str, out: &Path) -> Vec<String> {
        let mut problems = self.problems();
        if self.code != Some(1) {
            problems.push(format!("exit code {:?}, not 1", self.code));
        }
        if self.stderr != expected {
            problems.push(format!(
                "--- expected stderr\n{expected}--- got\n{}",
                self.stderr
            ));
        }
        if out.exists() {
            problems.push("the failed build wrote its output folder".to_string());
        }
        problems
    }

    /// Problems, when the run should have built pages showing `shown`: (path of the page
    /// in the output, text a reader sees on it).
    fn built(&self, out: &Path, shown: &[(&str, &str)]) -> Vec<String> {
        let mut problems = self.problems();
        if self.code != Some(0) || self.stderr.contains("error:") {
            problems.push(format!(
                "the build failed ({:?}):\n{}",
                self.code, self.stderr
            ));
            return problems;
        }
        for (page, text) in shown {
            match fs::read_to_string(out.join(page)) {
                Ok(html) if visible_text(&html).contains(text) => {}
                Ok(html) => problems.push(format!(
                    "`{page}` does not show {text:?}; it shows:\n{}",
                    visible_text(&html)
                )),
                Err(e) => problems.push(format!("`{page}`: {e}")),
            }
        }
        // What the file carried that is not text must not reach a page.
        for (path, bytes) in tree(out) {
            let text = String::from_utf8_lossy(&bytes);
            if path.extension().is_some_and(|e| e == "html")
                && let Some(c) = ['\u{feff}', '\r', '\0'].iter().find(|c| text.contains(**c))
            {
                problems.push(format!("`{}` holds {c:?}", path.display()));
            }
        }
        problems
    }
}

fn invalid_fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/invalid")
        .join(name)
}

#[test]
fn broken_input_fixtures_fail_with_exact_diagnostics_or_build() {
    let dir = invalid_fixture("");
    let mut cases: Vec<PathBuf> = fs::read_dir(&dir)
        .expect("tests/fixtures/invalid")
        .map(|e| e.expect("entry").path())
        .collect();
    cases.sort();
    assert!(cases.len() >= 25, "{cases:?}");
    let mut failures = Vec::new();
    for case in &cases {
        let tmp = tempfile::tempdir().expect("temp dir");
        let out = tmp.path().join("site");
        let run = run_build(case, &out);
        let problems = match fs::read_to_string(case.join("expected-stderr.txt")) {
            Ok(expected) => run.failed_with(&expected, &out),
            Err(_) => {
                let expected = fs::read_to_string(case.join("expected-builds.txt"))
                    .expect("each case has expected-stderr.txt or expected-builds.txt");
                // `PAGE: TEXT` lines: the page shows the text; `PAGE hides: TEXT`, it does
                // not. `#` lines say why it builds.
                let lines: Vec<(&str, &str)> = expected
                    .lines()
                    .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
                    .map(|l| l.split_once(": ").expect("`PAGE: TEXT`"))
                    .collect();
                let (hidden, shown): (Vec<_>, Vec<_>) = lines
                    .into_iter()
                    .partition(|(page, _)| page.ends_with(" hides"));
                let mut problems = run.built(&out, &shown);
                for (page, text) in hidden {
                    let page = page.trim_end_matches(" hides");
                    let html = fs::read_to_string(out.join(page)).unwrap_or_default();
                    if html.is_empty() || html.contains(text) {
                        problems.push(format!("`{page}` should not show {text:?}"));
                    }
                }
                problems
            }
        };
        if !problems.is_empty() {
            failures.push(format!("{}:\n{}", case.display(), problems.join("\n")));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// A site made at test time: the programme and a workshop, plus `files` (path, bytes),
/// with a place beside it to build into.
struct Site {
    dir: tempfile::TempDir,
}

impl Site {
    fn new(files: &[(&str, &[u8])]) -> Site {
        let dir = tempfile::tempdir().expect("temp dir");
        let base: [(&str, &[u8]); 3] = [
            (
                "casebook.yaml",
                b"title: Invalid input\nbase_url: https://example.org/\n",
            ),
            (
                "curriculum/_index.md",
                b"---\ntitle: Programme\n---\n\nThe programme.\n",
            ),
            (
                "curriculum/01-screening/_index.md",
                b"---\ntitle: Case screening\n---\n\nThe first workshop.\n",
            ),
        ];
        for (path, bytes) in base.iter().chain(files) {
            let path = dir.path().join("content").join(path);
            fs::create_dir_all(path.parent().expect("in a folder")).expect("mkdir");
            fs::write(path, bytes).expect("write");
        }
        Site { dir }
    }

    fn root(&self) -> PathBuf {
        self.dir.path().join("content")
    }

    fn out(&self) -> PathBuf {
        self.dir.path().join("site")
    }

    fn build(&self) -> Run {
        run_build(&self.root(), &self.out())
    }
}

const LESSON: &str = "curriculum/01-screening/01-first-contact.md";

/// Asserts no problems, naming the case.
fn assert_none(case: &str, problems: Vec<String>) {
    assert!(problems.is_empty(), "{case}:\n{}", problems.join("\n"));
}

fn utf16(text: &str, little_endian: bool, bom: bool) -> Vec<u8> {
    let units = std::iter::once(0xFEFF)
        .filter(|_| bom)
        .chain(text.encode_utf16());
    units
        .flat_map(|u| {
            if little_endian {
                u.to_le_bytes()
            } else {
                u.to_be_bytes()
            }
        })
        .collect()
}

#[test]
fn files_saved_in_another_encoding_or_format_are_named_with_their_line() {
    let lesson = "---\ntitle: First contact\n---\n\nWhat to ask first.\n";
    let saved_as_utf16 = "error: `curriculum/01-screening/01-first-contact.md` is saved as UTF-16
 --> curriculum/01-screening/01-first-contact.md:1:1
  |
1 | ---
  | ^
  = help: save it as UTF-8 (in Notepad: File > Save as > Encoding: UTF-8); casebook reads UTF-8 only

error: the build failed with 1 error; nothing was written
";
    let cases: [(&str, Vec<u8>, &str); 6] = [
        ("UTF-16, little-endian", utf16(lesson, true, true), saved_as_utf16),
        ("UTF-16, big-endian", utf16(lesson, false, true), saved_as_utf16),
        ("UTF-16 without a byte-order mark", utf16(lesson, true, false), saved_as_utf16),
        (
            "Latin-1 (not UTF-8)",
            b"---\ntitle: First contact\n---\n\nWhat to ask first.\nCaf\xe9 au lait.\n".to_vec(),
            "error: `curriculum/01-screening/01-first-contact.md` is not valid UTF-8 text
 --> curriculum/01-screening/01-first-contact.md:6:4
  |
6 | Caf\u{fffd} au lait.
  |    ^
  = help: save the file as UTF-8; text pasted from Word or an old editor may carry another encoding

error: the build failed with 1 error; nothing was written
",
        ),
        (
            "a NUL character",
            b"---\ntitle: First contact\n---\n\nWhat to ask first.\n\nA\0B\n".to_vec(),
            "error: `curriculum/01-screening/01-first-contact.md` contains a NUL character, which is not text
 --> curriculum/01-screening/01-first-contact.md:7:2
  |
7 | A\u{fffd}B
  |  ^
  = help: the file is damaged, or part of it was pasted from a binary file: delete the invisible character at this spot, or retype the line

error: the build failed with 1 error; nothing was written
",
        ),
        (
            "a Word document renamed to .md",
            b"PK\x03\x04\x14\x00\x06\x00word/document.xml".to_vec(),
            "error: `curriculum/01-screening/01-first-contact.md` is a Word document (.docx) or another zipped file, not a plain-text file
 --> curriculum/01-screening/01-first-contact.md:1:1
  |
1 | PK\u{fffd}\u{fffd}\u{fffd}\u{fffd}\u{fffd}\u{fffd}word/document.xml
  | ^
  = help: open it in its program and save it as plain text (in Word: File > Save as > Plain Text, encoding Unicode (UTF-8)), then give the file its `.md` or `.yaml` name

error: the build failed with 1 error; nothing was written
",
        ),
    ];
    for (case, bytes, expected) in cases {
        let site = Site::new(&[(LESSON, &bytes)]);
        assert_none(case, site.build().failed_with(expected, &site.out()));
    }
}

#[test]
fn a_byte_order_mark_and_windows_line_endings_build_as_if_they_were_not_there() {
    let toolkit = "curriculum/toolkit/_index.md";
    let referrals = "curriculum/toolkit/referrals.yaml";
    let with_bom = |text: &str| [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat();
    let bom = Site::new(&[
        ("casebook.yaml", &with_bom("title: Invalid input\n")),
        (
            LESSON,
            &with_bom("---\ntitle: First contact\n---\n\nWhat to ask first.\n"),
        ),
        (toolkit, &with_bom("---\ntitle: Toolkit\n---\n\nTools.\n")),
        (
            referrals,
            &with_bom("- name: Example Shelter\n  kind: shelter\n  phone: \"+852 0000 0001\"\n"),
        ),
    ]);
    assert_none(
        "UTF-8 with a byte-order mark",
        bom.build().built(
            &bom.out(),
            &[
                (
                    "01-screening/01-first-contact/index.html",
                    "First contact What to ask first.",
                ),
                ("index.html", "Invalid input"),
                ("toolkit/referrals/index.html", "Example Shelter"),
            ],
        ),
    );

    let crlf = |text: &str| text.replace('\n', "\r\n").into_bytes();
    let windows = Site::new(&[
        (
            "casebook.yaml",
            &crlf("title: Invalid input\nbase_url: /\n"),
        ),
        (
            LESSON,
            &crlf(
                "---\ntitle: First contact\nweight: 1\n---\n\n## Open questions\n\nWhat to ask first,\nand what to ask next.\n\n::: trainer\nA facilitator note.\n:::\n",
            ),
        ),
        (
            "curriculum/01-screening/02-follow-up.md",
            "---\rtitle: Follow-up\r---\r\rWhat to do next.\r".as_bytes(),
        ),
        (toolkit, &crlf("---\ntitle: Toolkit\n---\n\nTools.\n")),
        (
            referrals,
            &crlf("- name: Example Shelter\n  kind: shelter\n  phone: \"+852 0000 0001\"\n"),
        ),
    ]);
    let run = windows.build();
    assert_none(
        "Windows (CRLF) and old Mac (CR) line endings",
        run.built(
            &windows.out(),
            &[
                (
                    "01-screening/01-first-contact/index.html",
                    "First contact Open questions What to ask first, and what to ask next.",
                ),
                (
                    "01-screening/02-follow-up/index.html",
                    "Follow-up What to do next.",
                ),
                ("toolkit/referrals/index.html", "Example Shelter"),
            ],
        ),
    );
    let lesson = fs::read_to_string(
        windows
            .out()
            .join("01-screening/01-first-contact/index.html"),
    )
    .expect("lesson page");
    assert!(
        !lesson.contains("facilitator note"),
        "the ::: trainer block closed with CRLF leaked"
    );
}

#[test]
fn a_symbolic_link_loop_is_skipped_with_a_warning() {
    let site = Site::new(&[(
        LESSON,
        b"---\ntitle: First contact\n---\n\nWhat to ask first.\n",
    )]);
    let folder = site.root().join("curriculum/01-screening");
    std::os::unix::fs::symlink("..", folder.join("loop")).expect("symlink");
    std::os::unix::fs::symlink("self", folder.join("self")).expect("symlink");
    let run = site.build();
    assert_none(
        "a symbolic link loop",
        run.built(
            &site.out(),
            &[(
                "01-screening/01-first-contact/index.html",
                "What to ask first.",
            )],
        ),
    );
    for link in ["loop", "self"] {
        let warning = format!(
            "warning: `curriculum/01-screening/{link}` is a symbolic link and is skipped\n --> curriculum/01-screening/{link}\n  = help: casebook only reads files that are really inside the site folder: copy the file here instead\n"
        );
        assert!(run.stderr.contains(&warning), "{}", run.stderr);
    }
}

#[test]
fn a_50_mb_page_is_refused_at_once_in_little_memory() {
    let paragraph =
        "The worker paid a fee to the agency before she left home. ".repeat(16) + "\n\n";
    let mut page = String::from("---\ntitle: A whole book\n---\n\n");
    while page.len() < 50 * 1024 * 1024 {
        page.push_str(&paragraph);
    }
    let site = Site::new(&[("curriculum/01-screening/01-big.md", page.as_bytes())]);
    drop(page);
    let run = site.build();
    assert_none(
        "a 50 MB page",
        run.failed_with(
            "error: `curriculum/01-screening/01-big.md` is 50.0 MB, larger than the 128 KB casebook reads in one file
 --> curriculum/01-screening/01-big.md:1:1
  |
1 | ---
  | ^
  = help: split it into several pages; if it holds pictures pasted as text (`data:`), save them as image files beside the page and link them

error: the build failed with 1 error; nothing was written
",
            &site.out(),
        ),
    );
    println!(
        "50 MB page: refused in {:.2} s, peak memory {}",
        run.elapsed.as_secs_f64(),
        run.peak_kb
            .map_or("not measured".to_string(), |kb| format!("{} MB", kb / 1024))
    );
    assert!(run.elapsed < Duration::from_secs(10), "{:?}", run.elapsed);
    assert!(
        run.peak_kb.is_none_or(|kb| kb < 256 * 1024),
        "{:?}",
        run.peak_kb
    );
}

#[test]
fn pages_nested_10000_deep_are_refused_at_the_line_not_overflowed() {
    let too_deep = |line: &str, col: usize, shown: &str, pad: &str, what: &str| {
        let (message, hint) = if what == "blocks" {
            (
                "lists, quotes and `:::` blocks are nested more than 10 deep here",
                "check the indentation of this line and the ones above it; a reader cannot follow more levels, and the PDF cannot print them",
            )
        } else {
            (
                "the text is nested more than 64 levels deep here",
                "look for a long run of `*`, `_` or `~`, or for HTML tags that are opened and never closed (`<div>` without `</div>`)",
            )
        };
        format!(
            "error: {message}\n --> {LESSON}:{line}:{col}\n  |\n{line} | {shown}\n  | {pad}^\n  = help: {hint}\n\nerror: the build failed with 1 error; nothing was written\n"
        )
    };
    let cases = [
        (
            "a list",
            "- ".repeat(10_000) + "the bottom\n",
            too_deep("5", 21, &("- ".repeat(50) + "…"), &" ".repeat(20), "blocks"),
        ),
        (
            "quotes",
            ">".repeat(10_000) + " the bottom\n",
            too_deep("5", 11, &(">".repeat(100) + "…"), &" ".repeat(10), "blocks"),
        ),
        (
            "emphasis",
            "*".repeat(10_000) + "the bottom" + &"*".repeat(10_000) + "\n",
            too_deep(
                "5",
                127,
                &format!("…{}…", "*".repeat(100)),
                &" ".repeat(51),
                "text",
            ),
        ),
        (
            "HTML tags",
            "<div>".repeat(10_000) + "the bottom" + &"</div>".repeat(10_000) + "\n",
            too_deep("5", 1, &("<div>".repeat(20) + "…"), "", "text"),
        ),
    ];
    for (case, body, expected) in cases {
        let page = format!("---\ntitle: Deep\n---\n\n{body}");
        let site = Site::new(&[(LESSON, page.as_bytes())]);
        assert_none(case, site.build().failed_with(&expected, &site.out()));
    }
}

#[test]
fn long_lines_and_long_pages_build_in_bounded_time() {
    // One line of 100 KB with a broken link at its end: the diagnostic shows the part of
    // the line around the link, not 100 KB.
    let line = "word ".repeat(20_000) + "[the form](intake.md)";
    let page = format!("---\ntitle: First contact\n---\n\n{line}\n");
    let site = Site::new(&[(LESSON, page.as_bytes())]);
    let expected = format!(
        "error: the page `curriculum/01-screening/intake.md` does not exist
 --> {LESSON}:5:100001
  |
5 | …{}[the form](intake.md)
  | {}^^^^^^^^^
  = help: create the page `curriculum/01-screening/intake.md`, or correct the name in the link (it is read from this page's folder; each `../` goes up one folder)

error: the build failed with 1 error; nothing was written
",
        "word ".repeat(10),
        " ".repeat(51)
    );
    assert_none(
        "a 100 KB line with a broken link",
        site.build().failed_with(&expected, &site.out()),
    );

    // One paragraph of 30,000 emphasised words on one line, and 10,000 headings with the
    // same text: each took minutes or many seconds (column counting and heading ids
    // went over the line or the ids again for each one).
    let line = "*a* ".repeat(30_000);
    let headings = "## Notes\n\n".repeat(10_000);
    let site = Site::new(&[
        (
            LESSON,
            format!("---\ntitle: First contact\n---\n\n{line}\n").as_bytes(),
        ),
        (
            "curriculum/01-screening/02-notes.md",
            format!("---\ntitle: Notes\n---\n\n{headings}").as_bytes(),
        ),
    ]);
    let run = site.build();
    assert_none(
        "a long line and many headings",
        run.built(
            &site.out(),
            &[
                ("01-screening/01-first-contact/index.html", "a a a a a"),
                ("01-screening/02-notes/index.html", "Notes Notes Notes"),
            ],
        ),
    );
    let notes = fs::read_to_string(site.out().join("01-screening/02-notes/index.html"))
        .expect("notes page");
    assert!(notes.contains("id=notes-9999"), "the last heading's id");
    println!(
        "long line and 10,000 headings: built in {:.2} s, peak memory {}",
        run.elapsed.as_secs_f64(),
        run.peak_kb
            .map_or("not measured".to_string(), |kb| format!("{} MB", kb / 1024))
    );
    assert!(run.elapsed < Duration::from_secs(30), "{:?}", run.elapsed);
}

#[path = "../../fuzz/fuzz_targets/editions_check.rs"]
mod editions_check;
#[path = "../../fuzz/fuzz_targets/common.rs"]
mod fuzz_targets;

/// Every input that once crashed a fuzz target (`fuzz/regressions/TARGET/`), replayed
/// through the same code the target runs: none may panic, and each finishes in moments.
#[test]
fn inputs_that_once_crashed_the_fuzzers_are_handled() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions");
    type Target = (&'static str, fn(&[u8]));
    let targets: [Target; 5] = [
        ("front_matter", fuzz_targets::front_matter),
        ("markdown", fuzz_targets::markdown),
        ("referrals", fuzz_targets::referrals),
        ("config", fuzz_targets::config),
        ("editions", |bytes| {
            editions_check::editions(bytes);
        }),
    ];
    let mut replayed = 0;
    for (target, run) in targets {
        let Ok(entries) = fs::read_dir(dir.join(target)) else {
            continue;
        };
        for entry in entries {
            let path = entry.expect("readable").path();
            let input = fs::read(&path).expect("readable");
            let started = Instant::now();
            run(&input);
            assert!(
                started.elapsed() < Duration::from_secs(5),
                "{} took {:?}",
                path.display(),
                started.elapsed()
            );
            replayed += 1;
        }
    }
    assert!(replayed > 0, "no inputs in {}", dir.display());
}

/// The corpus of the `editions` fuzz target (`fuzz/regressions/editions/`: the cases a
/// trainer meets, and what fuzzing found), replayed: every page that builds is looked at in
/// every file of its mentee edition, and never shows the trainer note or the kept answer.
/// Most of the cases build, so the check is not idle.
#[test]
fn the_editions_corpus_never_shows_a_mentee_a_trainer_note_or_a_kept_answer() {
    // `CASEBOOK_EDITIONS_CORPUS=fuzz/corpus/editions` replays a whole fuzzing corpus instead.
    let dir = std::env::var_os("CASEBOOK_EDITIONS_CORPUS").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions/editions"),
        std::path::PathBuf::from,
    );
    let mut built = Vec::new();
    let mut refused = Vec::new();
    for entry in fs::read_dir(&dir).expect("the editions corpus") {
        let path = entry.expect("readable").path();
        let name = path
            .file_name()
            .expect("a name")
            .to_string_lossy()
            .into_owned();
        if editions_check::editions(&fs::read(&path).expect("readable")) {
            built.push(name);
        } else {
            refused.push(name);
        }
    }
    built.sort();
    refused.sort();
    println!(
        "{} built, {} refused with an error\nbuilt: {built:?}\nrefused with an error: {refused:?}",
        built.len(),
        refused.len()
    );
    assert!(built.len() >= 8, "built: {built:?}, refused: {refused:?}");
    // The cases named so are a trainer's mistakes, which stop the build.
    let mistakes: Vec<&String> = built
        .iter()
        .filter(|n| n.ends_with("-refused.md"))
        .collect();
    assert!(mistakes.is_empty(), "these built: {mistakes:?}");
}
