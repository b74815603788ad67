//! Where pages live in the output and how one page links to another: paths below the
//! output root (`id/01-case-screening/`), links relative to the page (so the site works
//! under any base path and from a saved copy), and full URLs for print, sitemaps and
//! canonical links.

use std::path::Path;

use crate::diag::display_path;
use crate::discover::CURRICULUM;
use crate::model::Site;

pub const SCHEDULE: &str = "schedule/";
pub const FACT_INDEX: &str = "fact-patterns/";
pub const DIRECTORY: &str = "toolkit/referrals/";
pub const PRINT: &str = "print/";
pub const SEARCH: &str = "search/";
/// Help and what is saved on this phone; what the service worker shows offline for a page
/// that was not saved.
pub const SAVED: &str = "saved/";

/// A page's folder below the output root: the default language at the root, others in `LANG/`.
pub fn page_path(site: &Site, lang: &str, url: &str) -> String {
    if lang == site.config.default_language {
        url.to_string()
    } else {
        format!("{lang}/{url}")
    }
}

/// Where a content file is copied: `curriculum/01-x/form.png` → `01-x/form.png`;
/// `fact-patterns/map.png` stays.
pub fn asset_path(path: &Path) -> String {
    let shown = display_path(path);
    shown
        .strip_prefix(&format!("{CURRICULUM}/"))
        .map(str::to_string)
        .unwrap_or(shown)
}

/// The link from a page in folder `from_dir` to `to` (both below the output root; folders
/// end in `/`).
pub fn relative(from_dir: &str, to: &str) -> String {
    let from: Vec<&str> = from_dir.split('/').filter(|s| !s.is_empty()).collect();
    let to_parts: Vec<&str> = to.split('/').filter(|s| !s.is_empty()).collect();
    let to_is_dir = to.is_empty() || to.ends_with('/');
    let common = from
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count();
    let mut out = "../".repeat(from.len() - common);
    out.push_str(&to_parts[common..].join("/"));
    if to_is_dir && common < to_parts.len() {
        out.push('/');
    }
    if out.is_empty() {
        "./".to_string()
    } else {
        out
    }
}

/// The full URL of a path below the output root.
pub fn absolute(site: &Site, path: &str) -> String {
    format!("{}{path}", site.config.base_url)
}

/// `url` with everything outside ASCII letters, digits and `/:-._~%` percent-encoded, as
/// sitemaps require (`…/03-première-leçon/` → `…/03-premi%C3%A8re-le%C3%A7on/`).
pub fn encoded(url: &str) -> String {
    const KEEP: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'/')
        .remove(b':')
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~')
        .remove(b'%');
    percent_encoding::utf8_percent_encode(url, KEEP).to_string()
}

/// The path part of the base URL (`https://example.org/casebook/` → `/casebook/`).
pub fn base_path(site: &Site) -> String {
    let url = &site.config.base_url;
    match url.split_once("://") {
        Some((_, rest)) => rest
            .find('/')
            .map(|i| rest[i..].to_string())
            .unwrap_or_else(|| "/".into()),
        None => url.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::relative;

    #[test]
    fn relative_links_between_folders() {
        assert_eq!(relative("01-a/01-b/", "01-a/02-c/"), "../02-c/");
        assert_eq!(relative("01-a/", "01-a/01-b/"), "01-b/");
        assert_eq!(relative("id/01-a/", ""), "../../");
        assert_eq!(relative("", ""), "./");
        assert_eq!(relative("01-a/01-b/", "01-a/form.png"), "../form.png");
        assert_eq!(relative("01-a/", "01-a/"), "./");
    }
}
