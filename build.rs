//! Lists the bundled curriculum for `casebook init --example`, which carries it in the
//! binary, and links the `casebook` program at a fixed address on Linux rather than as a
//! position-independent executable. A position-independent casebook has about 150,000
//! addresses for the loader to fix at every start: that was 15% of the time of a small
//! build, and 16 MB of memory (`casebook --version` peaked at 24 MB, and at 8 MB linked
//! this way). Go links its programs the same way by default. README, Performance.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    example();
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!("cargo::rustc-link-arg-bins=-no-pie");
    }
}

/// `$OUT_DIR/example.rs`: the bundled curriculum's files as `(path, bytes)`, read into the
/// binary with `include_bytes!`. Hidden files and editor backups are left out, as a build
/// leaves them out.
fn example() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = vec!["casebook.yaml".to_string()];
    for folder in ["curriculum", "fact-patterns"] {
        println!("cargo::rerun-if-changed={folder}");
        walk(root, Path::new(folder), &mut files);
    }
    println!("cargo::rerun-if-changed=casebook.yaml");
    files.sort();
    let mut code = String::from("&[\n");
    for file in &files {
        let full = root.join(file);
        let _ = writeln!(
            code,
            "    ({file:?}, include_bytes!({:?}).as_slice()),",
            full.display().to_string()
        );
    }
    code.push_str("]\n");
    let out = Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("example.rs");
    std::fs::write(out, code).expect("OUT_DIR is writable");
}

fn walk(root: &Path, folder: &Path, files: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(root.join(folder)) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let backup = name.starts_with(['.', '#'])
            || name.ends_with('~')
            || name.ends_with(".orig")
            || name.ends_with(".swp");
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if backup || kind.is_symlink() {
            continue;
        }
        let path = folder.join(&name);
        if kind.is_dir() {
            walk(root, &path, files);
        } else if kind.is_file() {
            files.push(path.to_string_lossy().replace('\\', "/"));
        }
    }
}
