//! Reliability, as a trainer meets it when a build is interrupted: killed (SIGKILL) at any
//! moment, a build leaves the previous site whole, and the next build leaves no temporary
//! folder behind.

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

mod common;
use common::{copy_dir, tree};

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
