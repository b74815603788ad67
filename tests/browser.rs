//! The browser quality gate (issue: every page valid, accessible and fast on a phone): builds
//! the bundled curriculum in both editions and runs tests/browser/run.mjs over them in
//! Debian's headless Chromium: the Nu Html Checker, axe-core in light and dark mode, no
//! sideways scrolling at 360px, no console errors, nothing from another origin, the
//! first-visit budget, keyboard use, print, and screenshots into `screenshots/`.
//! Needs `chromium`, Java and `npm ci --prefix tests/browser` (.ci/run installs them).

use std::path::Path;
use std::process::Command;

#[test]
fn every_page_is_valid_accessible_and_light_on_a_phone() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let harness = repo.join("tests/browser");
    assert!(
        harness.join("node_modules/playwright-core").is_dir(),
        "the browser harness is not installed: run `npm ci --prefix tests/browser` (and `apt-get install chromium`)"
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let mut sites = Vec::new();
    for edition in ["mentee", "trainer"] {
        let out = dir.path().join(edition);
        let built = Command::new(env!("CARGO_BIN_EXE_casebook"))
            .args(["build", "--edition", edition, "--root"])
            .arg(repo)
            .arg("--out")
            .arg(&out)
            .output()
            .expect("casebook runs");
        assert!(
            built.status.success(),
            "{}",
            String::from_utf8_lossy(&built.stderr)
        );
        sites.push(out);
    }
    let run = Command::new("node")
        .arg(harness.join("run.mjs"))
        .arg("--screenshots")
        .arg(repo.join("screenshots"))
        .args(&sites)
        .output()
        .expect("node runs");
    let report = String::from_utf8_lossy(&run.stdout);
    println!("{report}{}", String::from_utf8_lossy(&run.stderr));
    assert!(
        run.status.success(),
        "the browser quality gate found problems:\n{report}{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(report.contains("\n0 problems"), "{report}");
}
