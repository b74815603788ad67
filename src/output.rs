//! Write: rendered files → the output folder, atomically. HTML is minified; everything is
//! written into a fresh folder beside the output, which then replaces the old site in one
//! rename, so a failed or interrupted build leaves the previous site whole. Refuses output
//! folders that would put content at risk.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diag::{Diagnostic, display_path};
use crate::render::{OutFile, Output};

/// The file casebook leaves in every output folder, so a later build knows it may replace it.
pub const MARKER: &str = ".casebook-output";

/// The folders of a site that casebook reads: the output may not be inside them.
const CONTENT_DIRS: &[&str] = &["curriculum", "fact-patterns", "themes", "i18n"];

/// Checks that `out` is a safe place to write, returning it as an absolute path.
pub fn check_out_dir(root: &Path, out: &Path, force: bool) -> Result<PathBuf, Diagnostic> {
    let root = fs::canonicalize(root).map_err(|e| {
        Diagnostic::error(format!(
            "cannot open the site folder `{}`: {e}",
            root.display()
        ))
        .hint("pass the folder that holds casebook.yaml with `--root DIR`")
    })?;
    let out_abs = absolute(out).map_err(|e| {
        Diagnostic::error(format!(
            "cannot use the output folder `{}`: {e}",
            out.display()
        ))
        .hint("choose another folder with `--out DIR`")
    })?;
    let refuse = |why: &str| {
        Diagnostic::error(format!(
            "refusing to write the site to `{}`: {why}",
            out.display()
        ))
        .hint("choose another folder with `--out DIR`, e.g. `--out public`")
    };
    if out_abs.parent().is_none() {
        return Err(refuse("it is the root of the file system"));
    }
    if out_abs == root {
        return Err(refuse(
            "it is the site folder itself, and building would replace the content",
        ));
    }
    if root.starts_with(&out_abs) {
        return Err(refuse(
            "it holds the site folder, and building would replace the content",
        ));
    }
    for dir in CONTENT_DIRS {
        if out_abs.starts_with(root.join(dir)) {
            return Err(refuse(&format!(
                "it is inside `{dir}/`, which casebook reads"
            )));
        }
    }
    if out_abs.is_file() {
        return Err(refuse("it is a file, not a folder"));
    }
    if out_abs.is_dir() && !force && !out_abs.join(MARKER).exists() {
        let mut entries = fs::read_dir(&out_abs).map_err(|e| refuse(&e.to_string()))?;
        if entries.next().is_some() {
            return Err(Diagnostic::error(format!("refusing to replace `{}`: it holds files casebook did not write", out.display()))
                .hint("choose an empty or new folder with `--out DIR`, or pass `--force` to replace it anyway"));
        }
    }
    Ok(out_abs)
}

/// The absolute form of `path`, with `.` and `..` resolved, whether or not it exists yet.
fn absolute(path: &Path) -> io::Result<PathBuf> {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()?.join(path)
    };
    // Canonicalize the longest existing ancestor (resolving symlinks), then add the rest.
    let mut existing = joined.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.file_name(), existing.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name.to_os_string());
                existing = parent.to_path_buf();
            }
            _ => break,
        }
    }
    let mut out = fs::canonicalize(&existing)?;
    for part in rest.into_iter().rev() {
        if part == ".." {
            out.pop();
        } else if part != "." {
            out.push(part);
        }
    }
    Ok(out)
}

/// What was written.
#[derive(Debug, Clone, Copy, Default)]
pub struct Written {
    pub files: usize,
    pub bytes: u64,
}

/// Minifies the HTML pages in place.
pub fn minify(files: &mut [OutFile]) {
    let cfg = minify_cfg();
    files.par_iter_mut().filter(|f| f.html).for_each(|f| {
        f.bytes = minify_html::minify(&f.bytes, &cfg);
    });
}

/// Writes `output` into `out` (an absolute path from [`check_out_dir`]), replacing what
/// was there only once everything is written.
pub fn write(root: &Path, out: &Path, output: Output) -> Result<Written, Diagnostic> {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    let parent = out
        .parent()
        .expect("checked: the output folder has a parent");
    let staging = parent.join(format!(".{name}.casebook-new"));
    let old = parent.join(format!(".{name}.casebook-old"));
    let fail = |what: &str, path: &Path, e: io::Error| {
        Diagnostic::error(format!("cannot {what} `{}`: {e}", path.display())).hint("check that the folder is writable and the disk is not full; the previous site was left as it was")
    };
    // A build stopped between moving the previous site aside and moving the new one in
    // (where the system cannot exchange two folders at once): the previous site comes back.
    if !out.exists() && old.is_dir() {
        fs::rename(&old, out).map_err(|e| fail("put back the previous site in", out, e))?;
    }
    // Leftovers of an interrupted build are ours to remove.
    for leftover in [&staging, &old] {
        if leftover.exists() {
            fs::remove_dir_all(leftover)
                .map_err(|e| fail("remove the leftover folder", leftover, e))?;
        }
    }
    fs::create_dir_all(&staging).map_err(|e| fail("create", &staging, e))?;
    let result = fill(root, &staging, output);
    let written = match result {
        Ok(w) => w,
        Err(d) => {
            let _ = fs::remove_dir_all(&staging);
            return Err(d);
        }
    };
    // On Linux the two folders trade places in one step, so the site is never missing,
    // even if the build is killed right then; the previous site is left in `staging`.
    if out.exists() && exchange(&staging, out) {
        fs::remove_dir_all(&staging)
            .map_err(|e| fail("remove the previous site in", &staging, e))?;
        return Ok(written);
    }
    if out.exists() {
        fs::rename(out, &old).map_err(|e| {
            let _ = fs::remove_dir_all(&staging);
            fail("move aside the previous site in", out, e)
        })?;
    }
    if let Err(e) = fs::rename(&staging, out) {
        // Put the previous site back.
        let _ = fs::rename(&old, out);
        let _ = fs::remove_dir_all(&staging);
        return Err(fail("move the new site into", out, e));
    }
    if old.exists() {
        fs::remove_dir_all(&old).map_err(|e| fail("remove the previous site in", &old, e))?;
    }
    Ok(written)
}

fn fill(root: &Path, dir: &Path, output: Output) -> Result<Written, Diagnostic> {
    let files: Vec<(String, Vec<u8>)> = output
        .files
        .into_iter()
        .map(|f| (f.path, f.bytes))
        .collect();
    let write_one = |path: &str, bytes: &[u8]| -> Result<u64, Diagnostic> {
        let target = dir.join(path);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent).map_err(|e| {
                Diagnostic::error(format!("cannot create `{}`: {e}", parent.display()))
            })?;
        }
        fs::write(&target, bytes)
            .map_err(|e| Diagnostic::error(format!("cannot write `{}`: {e}", target.display())))?;
        Ok(bytes.len() as u64)
    };
    let mut written = Written::default();
    let sizes: Vec<Result<u64, Diagnostic>> = files
        .par_iter()
        .map(|(path, bytes)| write_one(path, bytes))
        .collect();
    for size in sizes {
        written.bytes += size?;
        written.files += 1;
    }
    for (from, to) in &output.copies {
        let target = dir.join(to);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent).map_err(|e| {
                Diagnostic::error(format!("cannot create `{}`: {e}", parent.display()))
            })?;
        }
        let n = fs::copy(root.join(from), &target).map_err(|e| {
            Diagnostic::error(format!("cannot copy `{}`: {e}", display_path(from)))
                .in_file(from.clone())
        })?;
        written.bytes += n;
        written.files += 1;
    }
    fs::write(
        dir.join(MARKER),
        "This folder was written by casebook and is replaced on every build.\n",
    )
    .map_err(|e| Diagnostic::error(format!("cannot write into `{}`: {e}", dir.display())))?;
    Ok(written)
}

/// Swaps two folders atomically; `false` where the system or file system cannot.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> bool {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).is_ok()
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> bool {
    false
}

fn minify_cfg() -> minify_html::Cfg {
    let mut cfg = minify_html::Cfg::new();
    cfg.minify_css = true;
    cfg.minify_js = true;
    // Valid HTML for the Nu checker and old phone browsers.
    cfg.keep_html_and_head_opening_tags = true;
    cfg.keep_closing_tags = true;
    cfg.minify_doctype = false;
    cfg
}
