//! Watching the site folder: the only user of notify. Events are debounced, so an editor
//! that saves by writing a temporary file and renaming it, or that writes twice, gives one
//! batch of changed paths. A poll watcher is there for file systems whose events are
//! unreliable (network drives, some containers and virtual machines).

use std::path::{Path, PathBuf};
use std::time::Duration;

use notify_debouncer_full::notify::event::{AccessKind, AccessMode, MetadataKind, ModifyKind};
use notify_debouncer_full::notify::{
    self, EventKind, PollWatcher, RecommendedWatcher, RecursiveMode,
};
use notify_debouncer_full::{
    DebounceEventResult, Debouncer, NoCache, RecommendedCache, new_debouncer, new_debouncer_opt,
};

/// What the site is made from, below its root: anything else (the output of a build, a
/// `.git` folder, an editor's backup) is not watched.
const WATCHED: &[&str] = &[
    "casebook.yaml",
    "curriculum",
    "fact-patterns",
    "themes",
    "i18n",
];

/// Keeps the watch going until dropped.
pub enum Watcher {
    Native(Debouncer<RecommendedWatcher, RecommendedCache>),
    Poll(Debouncer<PollWatcher, NoCache>),
}

/// Calls `on_change` with the changed paths (relative to `root`) after each burst of
/// changes. `poll`: check the files every 300 ms instead of relying on the system's events.
pub fn watch(
    root: &Path,
    poll: bool,
    mut on_change: impl FnMut(Vec<PathBuf>) + Send + 'static,
) -> Result<Watcher, String> {
    let base = root
        .canonicalize()
        .map_err(|e| format!("cannot watch `{}`: {e}", root.display()))?;
    let filter_base = base.clone();
    let handler = move |result: DebounceEventResult| {
        let Ok(events) = result else {
            return;
        };
        let mut paths: Vec<PathBuf> = events
            .iter()
            .filter(|e| is_change(&e.kind))
            .flat_map(|e| e.paths.iter())
            .filter_map(|p| relevant(&filter_base, p))
            .collect();
        paths.sort();
        paths.dedup();
        if !paths.is_empty() {
            on_change(paths);
        }
    };
    let timeout = Duration::from_millis(30);
    let mut watcher = if poll {
        let config = notify::Config::default().with_poll_interval(Duration::from_millis(300));
        Watcher::Poll(
            new_debouncer_opt(timeout, None, handler, NoCache, config)
                .map_err(|e| format!("cannot watch `{}`: {e}", root.display()))?,
        )
    } else {
        Watcher::Native(
            new_debouncer(timeout, None, handler)
                .map_err(|e| format!("cannot watch `{}`: {e}", root.display()))?,
        )
    };
    // The root itself, not recursively, sees casebook.yaml and folders that appear later.
    watcher.add(&base, RecursiveMode::NonRecursive)?;
    for name in WATCHED {
        let path = base.join(name);
        if path.is_dir() {
            watcher.add(&path, RecursiveMode::Recursive)?;
        }
    }
    Ok(watcher)
}

impl Watcher {
    fn add(&mut self, path: &Path, mode: RecursiveMode) -> Result<(), String> {
        let result = match self {
            Watcher::Native(d) => d.watch(path, mode),
            Watcher::Poll(d) => d.watch(path, mode),
        };
        result.map_err(|e| format!("cannot watch `{}`: {e}", path.display()))
    }
}

/// Writes, creations, removals and renames; not reads (casebook's own reads would
/// otherwise start the next rebuild).
fn is_change(kind: &EventKind) -> bool {
    match kind {
        EventKind::Create(_) | EventKind::Remove(_) => true,
        EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime)) => false,
        EventKind::Modify(_) => true,
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) | EventKind::Any | EventKind::Other => false,
    }
}

/// `path` relative to `base`, when it is part of the site and not an editor's scratch file
/// or a folder that still exists (a folder's own event says nothing the files in it do not;
/// one renamed away still counts, as the rebuild must notice what left with it).
fn relevant(base: &Path, path: &Path) -> Option<PathBuf> {
    if path.is_dir() {
        return None;
    }
    let rel = path.strip_prefix(base).ok()?;
    let first = rel.components().next()?.as_os_str().to_str()?;
    if !WATCHED.contains(&first) {
        return None;
    }
    let name = rel.file_name()?.to_str()?;
    let scratch = name.starts_with(".#")
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name == "4913";
    (!scratch).then(|| rel.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::relevant;
    use std::path::Path;

    #[test]
    fn only_the_sites_own_files_count() {
        let base = Path::new("/site");
        let rel = |p: &str| relevant(base, Path::new(p)).map(|p| p.display().to_string());
        assert_eq!(
            rel("/site/curriculum/01-x/a.md").as_deref(),
            Some("curriculum/01-x/a.md")
        );
        assert_eq!(rel("/site/casebook.yaml").as_deref(), Some("casebook.yaml"));
        assert_eq!(rel("/site/public/index.html"), None);
        assert_eq!(rel("/site/.git/index"), None);
        assert_eq!(rel("/site/curriculum/01-x/.a.md.swp"), None);
        assert_eq!(rel("/site/curriculum/01-x/a.md~"), None);
    }
}
