//! The guide (`docs/`) is a casebook site, the second real site every change is tried on:
//! it checks with no error and no warning, and builds.

use std::path::Path;
use std::process::Command;

#[test]
fn the_guide_checks_clean_and_builds() {
    let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs");
    let check = Command::new(env!("CARGO_BIN_EXE_casebook"))
        .args(["check", "--strict", "--today", "2026-12-04", "--root"])
        .arg(&docs)
        .env("NO_COLOR", "1")
        .output()
        .expect("casebook runs");
    let report = String::from_utf8_lossy(&check.stdout);
    assert!(check.status.success(), "{report}");
    assert!(report.contains("\n0 errors, 0 warnings ("), "{report}");
    let out = tempfile::tempdir().expect("temp dir");
    let build = Command::new(env!("CARGO_BIN_EXE_casebook"))
        .args(["build", "--no-pdf", "--root"])
        .arg(&docs)
        .arg("--out")
        .arg(out.path().join("guide"))
        .env("NO_COLOR", "1")
        .output()
        .expect("casebook runs");
    let said = String::from_utf8_lossy(&build.stderr);
    assert!(build.status.success(), "{said}");
    assert!(said.starts_with("built the mentee edition: "), "{said}");
    assert!(
        out.path().join("guide/03-blocks/index.html").is_file(),
        "the chapter on blocks and editions is built"
    );
}
