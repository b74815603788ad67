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

/// What the mark in an output folder says.
const MARK_TEXT: &str = "This folder was written by casebook and is replaced on every build.\n";

/// The folders a build of `out` uses beside it: the new site while it is written, and
/// the previous one while they trade places.
fn beside(out: &Path) -> (PathBuf, PathBuf) {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    let parent = out.parent().unwrap_or(Path::new("/"));
    (
        parent.join(format!(".{name}.casebook-new")),
        parent.join(format!(".{name}.casebook-old")),
    )
}

/// Whether `leftover`, beside the output folder, is absent or casebook's to remove: a
/// real folder (not a symbolic link) holding casebook's mark.
fn ours(leftover: &Path) -> Result<(), Diagnostic> {
    let Ok(meta) = fs::symlink_metadata(leftover) else {
        return Ok(());
    };
    let why = if meta.file_type().is_symlink() {
        "it is a symbolic link"
    } else if !meta.is_dir() {
        "it is not a folder"
    } else if !fs::symlink_metadata(leftover.join(MARKER)).is_ok_and(|m| m.is_file())
        && !holds_no_file(leftover)
    {
        "it does not hold the mark casebook leaves in the folders it writes"
    } else {
        return Ok(());
    };
    Err(Diagnostic::error(format!(
        "refusing to remove `{}`, left beside the output folder: {why}",
        leftover.display()
    ))
    .hint("casebook removes only folders it wrote itself: move or delete it yourself, then build again"))
}

/// Whether a folder holds nothing but (empty) folders: what a build stopped right after
/// making its staging folder, or while removing one, leaves (the mark goes last).
fn holds_no_file(dir: &Path) -> bool {
    walkdir::WalkDir::new(dir)
        .follow_root_links(false)
        .into_iter()
        .all(|e| e.is_ok_and(|e| e.file_type().is_dir()))
}

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
    if let Ok(meta) = fs::metadata(&out_abs)
        && !meta.is_dir()
    {
        return Err(refuse(&format!("it is {}, not a folder", kind_of(&meta))));
    }
    let (staging, old) = beside(&out_abs);
    ours(&staging)?;
    ours(&old)?;
    if out_abs.is_dir() && !force && !out_abs.join(MARKER).exists() {
        let mut entries = fs::read_dir(&out_abs).map_err(|e| refuse(&e.to_string()))?;
        if entries.next().is_some() {
            return Err(Diagnostic::error(format!("refusing to replace `{}`: it holds files casebook did not write", out.display()))
                .hint("choose an empty or new folder with `--out DIR`, or pass `--force` to replace it anyway"));
        }
    }
    Ok(out_abs)
}

/// What a file that is not a folder is, as people say it.
fn kind_of(meta: &fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let kind = meta.file_type();
        if kind.is_fifo() {
            return "a named pipe";
        }
        if kind.is_socket() {
            return "a socket";
        }
        if kind.is_block_device() || kind.is_char_device() {
            return "a device";
        }
    }
    let _ = meta;
    "a file"
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

/// Minifies `file` in place if it is an HTML page.
pub fn minify(file: &mut OutFile) {
    static CFG: std::sync::LazyLock<minify_html::Cfg> = std::sync::LazyLock::new(minify_cfg);
    if file.html {
        file.bytes = minify_html::minify(&file.bytes, &CFG);
    }
}

/// The folder a build writes into, beside the output folder, before it replaces the site.
/// Files can be written into it as soon as they are final, while the rest of the site is
/// still being made. If the build stops before [`Staging::finish`], dropping it removes
/// the folder, and any parent folders it had to create: nothing is left half-written.
#[derive(Debug)]
pub struct Staging {
    out: PathBuf,
    dir: PathBuf,
    old: PathBuf,
    /// The first of the output's parent folders that did not exist: removed with the
    /// staging folder if the build fails.
    created: Option<PathBuf>,
    written: Written,
    finished: bool,
}

fn fail(what: &str, path: &Path, e: io::Error) -> Diagnostic {
    Diagnostic::error(format!("cannot {what} `{}`: {e}", path.display())).hint(
        "check that the folder is writable and the disk is not full; the previous site was left as it was",
    )
}

impl Staging {
    /// Prepares to replace `out` (an absolute path from [`check_out_dir`]).
    pub fn begin(out: &Path) -> Result<Staging, Diagnostic> {
        let parent = out
            .parent()
            .expect("checked: the output folder has a parent");
        let (dir, old) = beside(out);
        // Leftovers of an interrupted build are ours to remove, and only if they are ours:
        // a real folder holding casebook's mark, never a link to somewhere else.
        for leftover in [&dir, &old] {
            ours(leftover)?;
        }
        // A build stopped between moving the previous site aside and moving the new one in
        // (where the system cannot exchange two folders at once): the previous site comes
        // back.
        if !out.exists() && old.is_dir() {
            fs::rename(&old, out).map_err(|e| fail("put back the previous site in", out, e))?;
        }
        for leftover in [&dir, &old] {
            if leftover.exists() {
                remove_tree(leftover)
                    .map_err(|e| fail("remove the leftover folder", leftover, e))?;
            }
        }
        let created = parent
            .ancestors()
            .take_while(|p| !p.exists())
            .last()
            .map(Path::to_path_buf);
        fs::create_dir_all(&dir).map_err(|e| fail("create", &dir, e))?;
        // Marked from the start, so that a build stopped half-way leaves a folder the next
        // build knows it may remove.
        fs::write(dir.join(MARKER), MARK_TEXT).map_err(|e| fail("write into", &dir, e))?;
        Ok(Staging {
            out: out.to_path_buf(),
            dir,
            old,
            created,
            written: Written::default(),
            finished: false,
        })
    }

    /// Writes `files`, side by side.
    pub fn write(&mut self, files: &[OutFile]) -> Result<(), Diagnostic> {
        self.make_folders(files.iter().map(|f| f.path.as_str()))?;
        let sizes: Vec<Result<u64, Diagnostic>> = files
            .par_iter()
            .with_max_len(1)
            .map(|f| self.put(f))
            .collect();
        for size in sizes {
            self.tally(size?);
        }
        Ok(())
    }

    /// Makes the folders that the files at `files` (paths in the site) go into, each folder
    /// once (a site has a folder per page), side by side: `create_dir_all` makes a missing
    /// parent itself, and counts one made meanwhile by another thread as made.
    pub fn make_folders<'a>(
        &self,
        files: impl IntoIterator<Item = &'a str>,
    ) -> Result<(), Diagnostic> {
        let folders: std::collections::BTreeSet<&str> = files
            .into_iter()
            .filter_map(|path| path.rsplit_once('/').map(|(folder, _)| folder))
            .collect();
        let folders: Vec<&str> = folders.into_iter().collect();
        folders.par_iter().with_max_len(1).try_for_each(|folder| {
            let path = self.dir.join(folder);
            fs::create_dir_all(&path).map_err(|e| fail("create", &path, e))
        })
    }

    /// Writes one file into a folder [`Staging::make_folders`] made; its size, for
    /// [`Staging::tally`].
    pub fn put(&self, file: &OutFile) -> Result<u64, Diagnostic> {
        let target = self.dir.join(&file.path);
        fs::write(&target, &file.bytes).map_err(|e| fail("write", &target, e))?;
        Ok(file.bytes.len() as u64)
    }

    /// Counts a file [`Staging::put`] wrote.
    pub fn tally(&mut self, bytes: u64) {
        self.written.bytes += bytes;
        self.written.files += 1;
    }

    /// Copies content files as they are: (file relative to `root`, path in the site).
    pub fn copy(&mut self, root: &Path, copies: &[(PathBuf, String)]) -> Result<(), Diagnostic> {
        for (from, to) in copies {
            let target = self.dir.join(to);
            if let Some(parent) = target.parent() {
                fs::create_dir_all(parent).map_err(|e| fail("create", parent, e))?;
            }
            let n = fs::copy(root.join(from), &target).map_err(|e| {
                Diagnostic::error(format!("cannot copy `{}`: {e}", display_path(from)))
                    .in_file(from.clone())
            })?;
            self.written.bytes += n;
            self.written.files += 1;
        }
        Ok(())
    }

    /// Puts the new site in place of the old one.
    pub fn finish(mut self) -> Result<Written, Diagnostic> {
        let (out, dir, old) = (&self.out, &self.dir, &self.old);
        // On Linux the two folders trade places in one step, so the site is never missing,
        // even if the build is killed right then; the previous site is left in `dir`.
        if out.exists() && exchange(dir, out) {
            self.finished = true;
            remove_tree(dir).map_err(|e| fail("remove the previous site in", dir, e))?;
            return Ok(self.written);
        }
        if out.exists() {
            fs::rename(out, old).map_err(|e| fail("move aside the previous site in", out, e))?;
        }
        if let Err(e) = fs::rename(dir, out) {
            // Put the previous site back.
            let _ = fs::rename(old, out);
            return Err(fail("move the new site into", out, e));
        }
        self.finished = true;
        if old.exists() {
            remove_tree(old).map_err(|e| fail("remove the previous site in", old, e))?;
        }
        Ok(self.written)
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.finished {
            let _ = remove_tree(&self.dir);
            if let Some(created) = &self.created {
                let _ = fs::remove_dir_all(created);
            }
        }
    }
}

/// Writes `output` into `out` (an absolute path from [`check_out_dir`]), replacing what
/// was there only once everything is written.
pub fn write(root: &Path, out: &Path, output: Output) -> Result<Written, Diagnostic> {
    let mut staging = Staging::begin(out)?;
    staging.write(&output.files)?;
    staging.copy(root, &output.copies)?;
    staging.finish()
}

/// Removes a folder and everything in it, its files side by side (a site has thousands).
fn remove_tree(dir: &Path) -> io::Result<()> {
    let mut files = Vec::new();
    let mut dirs = Vec::new();
    for entry in walkdir::WalkDir::new(dir).follow_root_links(false) {
        let entry = entry.map_err(io::Error::other)?;
        if entry.file_type().is_dir() {
            dirs.push(entry.into_path());
        } else {
            files.push(entry.into_path());
        }
    }
    // The mark goes last, so that a removal stopped half-way leaves a folder that is still
    // marked as casebook's (or holds no file at all).
    let (marks, files): (Vec<PathBuf>, Vec<PathBuf>) = files
        .into_iter()
        .partition(|f| f.file_name().is_some_and(|n| n == MARKER));
    files.par_iter().try_for_each(fs::remove_file)?;
    marks.iter().try_for_each(fs::remove_file)?;
    // Deepest first: a folder is empty once its files and folders are gone.
    for d in dirs.iter().rev() {
        fs::remove_dir(d)?;
    }
    Ok(())
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
