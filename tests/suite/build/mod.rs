//! `casebook build`, as a trainer runs it: the fixture sites under tests/fixtures/ are built
//! with the real binary, and the tests read what a mentee or trainer would get: the pages,
//! the files in the output folder, the messages on stderr and the exit code.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

mod editions;
mod failures;
mod languages;
mod pages;
mod search_and_offline;

pub(crate) use crate::common::{
    assert_in_order, copy_dir, decoded, pdftotext, readable, visible_text,
};

pub(super) fn casebook() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_casebook"));
    cmd.env("NO_COLOR", "1");
    cmd
}

/// `casebook build --root ROOT --out OUT`, run to its end.
pub(super) fn build_into(root: &Path, out: &Path) -> Output {
    casebook()
        .arg("build")
        .arg("--root")
        .arg(root)
        .arg("--out")
        .arg(out)
        .output()
        .expect("runs")
}

pub(super) fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

pub(super) fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A site built once and shared by the tests that read it.
pub(super) struct Built {
    pub(super) _dir: tempfile::TempDir,
    pub(super) out: PathBuf,
}

impl Built {
    pub(super) fn page(&self, rel: &str) -> String {
        let path = self.out.join(rel);
        fs::read_to_string(&path).unwrap_or_else(|e| panic!("{} should exist: {e}", path.display()))
    }

    /// Every file of the output, with its bytes.
    pub(super) fn files(&self) -> Vec<(PathBuf, Vec<u8>)> {
        walkdir::WalkDir::new(&self.out)
            .into_iter()
            .map(|e| e.expect("readable output"))
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                (
                    e.path()
                        .strip_prefix(&self.out)
                        .expect("inside")
                        .to_path_buf(),
                    fs::read(e.path()).expect("readable"),
                )
            })
            .collect()
    }
}

pub(super) fn build(fixture_name: &str, args: &[&str]) -> Built {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("site");
    let result = casebook()
        .arg("build")
        .arg("--root")
        .arg(fixture(fixture_name))
        .arg("--out")
        .arg(&out)
        .args(args)
        .output()
        .expect("casebook runs");
    assert!(
        result.status.success(),
        "build of {fixture_name} {args:?} failed:\n{}",
        stderr(&result)
    );
    Built { _dir: dir, out }
}

pub(super) fn mentee() -> &'static Built {
    static SITE: OnceLock<Built> = OnceLock::new();
    SITE.get_or_init(|| build("basic", &[]))
}

pub(super) fn trainer() -> &'static Built {
    static SITE: OnceLock<Built> = OnceLock::new();
    SITE.get_or_init(|| build("basic", &["--edition", "trainer"]))
}

/// The visible text of an HTML page (see `common::visible_text`).
pub(super) fn text(html: &str) -> String {
    visible_text(html)
}
