//! The browser suites, in Debian's headless Chromium at phone size, over the bundled
//! curriculum built in both editions:
//! - tests/browser/run.mjs, the quality gate (issue: every page valid, accessible and fast on
//!   a phone): the Nu Html Checker, axe-core in light and dark mode, no sideways scrolling at
//!   360px, no console errors, nothing from another origin, the first-visit budget, keyboard
//!   use, print, and screenshots into `screenshots/`;
//! - tests/browser/features.mjs, search and offline reading as a mentee meets them.
//!
//! Both share tests/browser/harness.mjs. They need `chromium`, Java and
//! `npm ci --prefix tests/browser` (.ci/run installs them).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The bundled curriculum, built once in each edition: (mentee, trainer).
fn sites() -> &'static (PathBuf, PathBuf) {
    static SITES: OnceLock<(tempfile::TempDir, (PathBuf, PathBuf))> = OnceLock::new();
    let (_, sites) = SITES.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let build = |edition: &str| {
            let out = dir.path().join(edition);
            let built = Command::new(env!("CARGO_BIN_EXE_casebook"))
                .args(["build", "--edition", edition, "--root"])
                .arg(repo())
                .arg("--out")
                .arg(&out)
                .output()
                .expect("casebook runs");
            assert!(
                built.status.success(),
                "{}",
                String::from_utf8_lossy(&built.stderr)
            );
            out
        };
        let sites = (build("mentee"), build("trainer"));
        (dir, sites)
    });
    sites
}

/// Runs a script of the harness; fails with its report unless it found no problem.
fn node(script: &str, args: &[&std::ffi::OsStr]) {
    let harness = repo().join("tests/browser");
    assert!(
        harness.join("node_modules/playwright-core").is_dir(),
        "the browser harness is not installed: run `npm ci --prefix tests/browser` (and `apt-get install chromium`)"
    );
    let run = Command::new("node")
        .arg(harness.join(script))
        .args(args)
        .output()
        .expect("node runs");
    let report = String::from_utf8_lossy(&run.stdout);
    println!("{report}{}", String::from_utf8_lossy(&run.stderr));
    assert!(
        run.status.success(),
        "{script} found problems:\n{report}{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(report.contains("\n0 problems"), "{report}");
}

#[test]
fn every_page_is_valid_accessible_and_light_on_a_phone() {
    let (mentee, trainer) = sites();
    let shots = repo().join("screenshots");
    node(
        "run.mjs",
        &[
            "--screenshots".as_ref(),
            shots.as_os_str(),
            mentee.as_os_str(),
            trainer.as_os_str(),
        ],
    );
}

#[test]
fn search_finds_pages_in_every_language_and_saved_parts_work_offline() {
    let (mentee, _) = sites();
    let casebook = Path::new(env!("CARGO_BIN_EXE_casebook"));
    let fixture = repo().join("tests/fixtures/basic");
    node(
        "features.mjs",
        &[
            "--site".as_ref(),
            mentee.as_os_str(),
            "--casebook".as_ref(),
            casebook.as_os_str(),
            "--fixture".as_ref(),
            fixture.as_os_str(),
        ],
    );
}
