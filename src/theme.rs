//! The theme: templates, static files and string tables. The built-in theme is embedded in
//! the binary; a site's `themes/<name>/` replaces it file by file, and `i18n/LANG.yaml`
//! overrides or adds string tables.

use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::diag::{Diagnostic, display_path};

macro_rules! embedded {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/themes/default/", $name)))),*]
    };
}

/// The built-in theme, as `(path inside the theme, bytes)`.
const BUILT_IN: &[(&str, &[u8])] = embedded!(
    "templates/base.html",
    "templates/macros.html",
    "templates/programme.html",
    "templates/workshop.html",
    "templates/page.html",
    "templates/fact_pattern.html",
    "templates/fact_patterns.html",
    "templates/schedule.html",
    "templates/referrals.html",
    "templates/print.html",
    "templates/404.html",
    "templates/search.html",
    "templates/saved.html",
    "templates/sw.js",
    "static/style.css",
    "static/search.js",
    "static/offline.js",
    "pdf/casebook.typ",
    "i18n/en.yaml",
    "i18n/id.yaml",
    "i18n/tl.yaml",
);

/// One theme file and where it came from (`None`: built in).
#[derive(Debug, Clone)]
pub struct ThemeFile {
    pub name: String,
    pub bytes: Vec<u8>,
    pub origin: Option<PathBuf>,
}

#[derive(Debug, Clone, Default)]
pub struct Theme {
    /// Tera templates by name (`base.html`).
    pub templates: Vec<ThemeFile>,
    /// Files copied to `OUT/assets/`.
    pub statics: Vec<ThemeFile>,
    /// The typst preamble for PDFs (`pdf/casebook.typ`).
    pub pdf: Vec<ThemeFile>,
    /// String tables by language code, built-in first then the site's override.
    pub strings: Vec<(String, ThemeFile)>,
}

pub fn load(root: &Path, config: &Config, diagnostics: &mut Vec<Diagnostic>) -> Theme {
    let mut theme = Theme::default();
    for (path, bytes) in BUILT_IN {
        let file = |name: &str| ThemeFile {
            name: name.to_string(),
            bytes: bytes.to_vec(),
            origin: None,
        };
        if let Some(name) = path.strip_prefix("templates/") {
            theme.templates.push(file(name));
        } else if let Some(name) = path.strip_prefix("static/") {
            theme.statics.push(file(name));
        } else if let Some(name) = path.strip_prefix("pdf/") {
            theme.pdf.push(file(name));
        } else if let Some(name) = path.strip_prefix("i18n/") {
            theme
                .strings
                .push((name.trim_end_matches(".yaml").to_string(), file(name)));
        }
    }
    // A theme is a folder of `themes/`: its name is one folder name, so that it cannot
    // lead out of the site folder.
    let plain = {
        let mut parts = Path::new(&config.theme).components();
        matches!(
            (parts.next(), parts.next()),
            (Some(std::path::Component::Normal(_)), None)
        )
    };
    if !plain {
        let line = std::fs::read_to_string(root.join(crate::config::FILE))
            .ok()
            .and_then(|text| text.lines().position(|l| l.starts_with("theme:")))
            .map_or(1, |i| i + 1);
        diagnostics.push(
            Diagnostic::error(format!("the theme `{}` is not a folder name", config.theme))
                .at(crate::config::FILE, line, 1)
                .width("theme".len())
                .hint("name a folder of `themes/`, e.g. `theme: union` for `themes/union/`"),
        );
        return theme;
    }
    let dir = Path::new("themes").join(&config.theme);
    if let Some(link) = crate::source::link_on_the_way(root, &dir) {
        diagnostics.push(crate::source::skipped_link(&link));
    } else if !root.join(&dir).is_dir() {
        if config.theme != "default" {
            diagnostics.push(
                Diagnostic::error(format!("the theme `{}` has no folder `{}`", config.theme, display_path(&dir)))
                    .in_file(crate::config::FILE)
                    .hint("create the folder with the files you want to replace, or remove `theme:` from casebook.yaml"),
            );
        }
    } else {
        overlay(
            root,
            &dir.join("templates"),
            &mut theme.templates,
            diagnostics,
        );
        overlay(root, &dir.join("static"), &mut theme.statics, diagnostics);
        overlay(root, &dir.join("pdf"), &mut theme.pdf, diagnostics);
    }
    let site_strings = Path::new("i18n");
    if root.join(site_strings).is_dir() {
        let mut files = Vec::new();
        overlay(root, site_strings, &mut files, diagnostics);
        for file in files {
            match file.name.strip_suffix(".yaml") {
                Some(lang) => theme.strings.push((lang.to_string(), file)),
                None => diagnostics.push(
                    Diagnostic::warning(format!(
                        "`{}` is not a string table and is ignored",
                        display_path(&site_strings.join(&file.name))
                    ))
                    .hint("string tables are named after their language, e.g. `i18n/id.yaml`"),
                ),
            }
        }
    }
    theme
}

/// Adds or replaces files from `ROOT/dir` and its sub-folders.
fn overlay(root: &Path, dir: &Path, files: &mut Vec<ThemeFile>, diagnostics: &mut Vec<Diagnostic>) {
    for shown in crate::source::walk(root, dir, diagnostics) {
        let name = display_path(shown.strip_prefix(dir).expect("walked under dir"));
        match std::fs::read(root.join(&shown)) {
            Ok(bytes) => {
                let file = ThemeFile {
                    name: name.clone(),
                    bytes,
                    origin: Some(shown),
                };
                match files.iter_mut().find(|f| f.name == name) {
                    Some(existing) => *existing = file,
                    None => files.push(file),
                }
            }
            Err(e) => diagnostics.push(
                Diagnostic::error(format!("cannot read `{}`: {e}", display_path(&shown)))
                    .in_file(shown),
            ),
        }
    }
}
