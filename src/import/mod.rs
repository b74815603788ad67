//! `casebook import mdbook|carpentries SRC DEST`: material written for another tool becomes
//! a new casebook site. Each importer reads only inside `SRC`, works out every file in
//! memory, then writes them into `DEST` (which must be new or empty) with
//! `IMPORT-REPORT.md`, listing every change it made with the file and line it was made at.
//!
//! What the importers share lives here: the report, the pages' Markdown rewritten (links to
//! other pages moved with them, anchors renamed to casebook's, pictures and files copied
//! beside the content), and the writing.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::ops::Range;
use std::path::{Component, Path, PathBuf};

use pulldown_cmark::{Event, LinkType, Parser, Tag, TagEnd};

use crate::diag::{Diagnostic, display_path};
use crate::parse::html;
use crate::scaffold::{NewError, write_new};

pub mod carpentries;
pub mod mdbook;

/// One change an import made, where it made it (a file of `SRC`, and its line).
#[derive(Debug, Clone)]
pub struct Change {
    pub file: PathBuf,
    pub line: usize,
    pub what: String,
}

/// A site worked out in memory, before anything is written.
#[derive(Debug, Default)]
pub struct Site {
    /// What it was imported from, for the report's title: "the mdBook `The Book`".
    pub from: String,
    /// Files to write, by their path below `DEST`.
    pub files: BTreeMap<PathBuf, Vec<u8>>,
    pub changes: Vec<Change>,
    pub workshops: usize,
    pub lessons: usize,
    pub copied: usize,
}

impl Site {
    /// A site imported from `from` (for the report: "the mdBook `Title`"), with its
    /// `casebook.yaml`: the title, a path for `base_url`, and the language the source gives
    /// (`en` when it gives none that casebook can use).
    pub fn new(from: String, title: &str, language: Option<String>) -> Site {
        let code = language
            .map(|l| l.to_lowercase().replace('_', "-"))
            .filter(|l| !l.is_empty() && l.len() <= 12 && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
            .unwrap_or_else(|| "en".to_string());
        let mut site = Site {
            from: from.clone(),
            ..Site::default()
        };
        site.files.insert(
            PathBuf::from(crate::config::FILE),
            format!(
                "# Imported from {from}: see IMPORT-REPORT.md.\ntitle: {}\n# Set the address the site will be published at.\nbase_url: /\ndefault_language: {code}\nlanguages:\n  {code}: {{ name: {} }}\n",
                quoted(title),
                quoted(language_name(&code)),
            )
            .into_bytes(),
        );
        site
    }

    pub fn change(&mut self, file: &Path, line: usize, what: impl Into<String>) {
        self.changes.push(Change {
            file: file.to_path_buf(),
            line,
            what: what.into(),
        });
    }

    pub fn page(&mut self, path: impl Into<PathBuf>, front: &[(&str, String)], body: &str) {
        let mut text = String::from("---\n");
        for (key, value) in front {
            let _ = writeln!(text, "{key}: {value}");
        }
        text.push_str("---\n\n");
        text.push_str(body.trim_start_matches('\n'));
        if !text.ends_with('\n') {
            text.push('\n');
        }
        self.files.insert(path.into(), text.into_bytes());
    }
}

/// What `import` tells the trainer when it is done.
#[derive(Debug)]
pub struct Summary {
    pub files: usize,
    pub workshops: usize,
    pub lessons: usize,
    pub copied: usize,
    pub changes: usize,
}

/// Writes `site` into `dest`, made if missing and refused unless empty, with its report.
pub fn write(dest: &Path, mut site: Site) -> Result<Summary, NewError> {
    let taken = std::fs::read_dir(dest).is_ok_and(|mut entries| entries.next().is_some());
    if taken || dest.is_file() {
        return Err(NewError::Usage(
            Diagnostic::error(format!("`{}` is not empty", dest.display())).hint(
                "import into a new folder, e.g. `casebook import mdbook my-book imported`: casebook never writes over a file",
            ),
        ));
    }
    site.files.insert(PathBuf::from(REPORT), report(&site).into_bytes());
    std::fs::create_dir_all(dest).map_err(|e| {
        NewError::Failed(Diagnostic::error(format!(
            "cannot create `{}`: {e}",
            dest.display()
        )))
    })?;
    for (path, bytes) in &site.files {
        write_new(dest, path, bytes)?;
    }
    Ok(Summary {
        files: site.files.len(),
        workshops: site.workshops,
        lessons: site.lessons,
        copied: site.copied,
        changes: site.changes.len(),
    })
}

pub const REPORT: &str = "IMPORT-REPORT.md";

/// `IMPORT-REPORT.md`: what became of the source, and every change with its file and line.
fn report(site: &Site) -> String {
    let mut text = format!(
        "# Import report\n\nThis site was imported from {}: {} workshops, {} lessons, {} pictures and files copied. Each change the import made is listed below with the file and line of the source it was made at; read the pages it names, then delete this file.\n\n",
        site.from, site.workshops, site.lessons, site.copied
    );
    if site.changes.is_empty() {
        text.push_str("The import changed nothing but the pages' places.\n");
        return text;
    }
    text.push_str("| source | line | change |\n| --- | --- | --- |\n");
    let mut changes: Vec<&Change> = site.changes.iter().collect();
    changes.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
    for c in changes {
        let _ = writeln!(
            text,
            "| `{}` | {} | {} |",
            display_path(&c.file),
            c.line,
            c.what.replace('|', "\\|").replace('\n', " ")
        );
    }
    text
}

/// Reads a text file of the source, refusing one outside `root` (through `..` or a link).
pub fn read(root: &Path, path: &Path) -> Result<String, String> {
    let full = root.join(path);
    let real = full
        .canonicalize()
        .map_err(|e| format!("cannot read `{}`: {e}", display_path(path)))?;
    let root = root.canonicalize().map_err(|e| e.to_string())?;
    if !real.starts_with(&root) {
        return Err(format!(
            "`{}` is outside the folder being imported",
            display_path(path)
        ));
    }
    let bytes = std::fs::read(&real).map_err(|e| format!("cannot read `{}`: {e}", display_path(path)))?;
    let text = String::from_utf8_lossy(&bytes).into_owned();
    Ok(text.strip_prefix('\u{feff}').unwrap_or(&text).replace("\r\n", "\n"))
}

/// `path` with `.` and `..` taken out, as written (no file system): `None` when it climbs
/// above its start.
pub fn normalize(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::Normal(p) => out.push(p),
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(out)
}

/// The relative path from the folder `from` to the file `to`, both below the same root.
pub fn relative(from: &Path, to: &Path) -> String {
    let from: Vec<_> = from.components().collect();
    let to_parts: Vec<_> = to.components().collect();
    let common = from.iter().zip(&to_parts).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".to_string(); from.len() - common];
    parts.extend(
        to_parts[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    parts.join("/")
}

/// A name casebook accepts for a file or folder: lowercase letters, digits and `-`.
pub fn name_of(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-');
    let out: String = out.chars().take(48).collect();
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() {
        "page".to_string()
    } else if crate::discover::RESERVED.contains(&out.as_str()) || out.len() <= 3 && !out.contains('-') && out.chars().all(|c| c.is_ascii_lowercase()) {
        // Names casebook's own pages use, and two- or three-letter names that could be a
        // language's code.
        format!("{out}-page")
    } else {
        out
    }
}

/// A language's name for `casebook.yaml`, from its code (the code itself when unknown).
fn language_name(code: &str) -> &str {
    match code.split('-').next().unwrap_or(code) {
        "en" => "English",
        "id" => "Bahasa Indonesia",
        "tl" | "fil" => "Tagalog",
        "fr" => "Français",
        "es" => "Español",
        "de" => "Deutsch",
        "pt" => "Português",
        "zh" => "中文",
        "ja" => "日本語",
        "ko" => "한국어",
        "ru" => "Русский",
        _ => code,
    }
}

/// A YAML string, quoted.
pub fn quoted(text: &str) -> String {
    format!(
        "\"{}\"",
        text.trim().replace('\\', "\\\\").replace('"', "\\\"")
    )
}

/// `text` with each line number of `lines` (1-based, in the source) for each line of it.
pub struct Lines {
    pub text: String,
    /// The source line of each line of `text`.
    pub source: Vec<usize>,
}

impl Lines {
    pub fn new(text: String) -> Lines {
        let source = (1..=text.lines().count().max(1)).collect();
        Lines { text, source }
    }

    /// The source line of the byte `at` of `text`.
    pub fn line_at(&self, at: usize) -> usize {
        let line = self.text[..at.min(self.text.len())].matches('\n').count();
        self.source.get(line).copied().unwrap_or(1)
    }
}

/// Where the links and pictures of one page go: what `rewrite_links` needs to know.
pub struct Links<'a> {
    /// Source path (below the source root) → path below `DEST` of every imported page.
    pub pages: &'a HashMap<PathBuf, PathBuf>,
    /// Each imported page's anchors as the source tool wrote them → casebook's.
    pub anchors: &'a HashMap<PathBuf, HashMap<String, String>>,
    /// Another name a page is linked by (`index.html` for mdBook's `README.md`).
    pub aliases: &'a HashMap<PathBuf, PathBuf>,
    /// The source root (files are read only inside it).
    pub root: &'a Path,
    /// Where files that are not pages are copied to: their path below the source root →
    /// their path below `DEST`.
    pub file_dest: &'a dyn Fn(&Path) -> PathBuf,
}

/// One address to change: where it is in the text, and what to put there.
struct Edit {
    range: Range<usize>,
    with: String,
}

/// Rewrites the links, pictures and raw HTML addresses of `lines` (the page at `source`
/// below the source root, going to `dest` below `DEST`): pages to their new places, anchors
/// to casebook's names, files copied into `site`; an address that leads nowhere becomes its
/// text, reported.
pub fn rewrite_links(site: &mut Site, links: &Links<'_>, source: &Path, dest: &Path, lines: &Lines) -> String {
    let text = &lines.text;
    let mut edits: Vec<Edit> = Vec::new();
    let mut code: Vec<Range<usize>> = Vec::new();
    let mut open: Vec<(usize, bool)> = Vec::new();
    for (event, range) in Parser::new_ext(text, crate::parse::markdown::options()).into_offset_iter() {
        match &event {
            Event::Start(Tag::CodeBlock(_)) => code.push(range),
            Event::Start(Tag::Link { link_type, dest_url, .. })
            | Event::Start(Tag::Image { link_type, dest_url, .. }) => {
                let image = matches!(event, Event::Start(Tag::Image { .. }));
                open.push((range.start, image));
                if !matches!(link_type, LinkType::Inline) {
                    // `[text][label]`, `[text][]`, `[text]`: its definition is rewritten
                    // below; one that leads nowhere leaves the link as its text.
                    let line = lines.line_at(range.start);
                    if matches!(link_type, LinkType::Reference | LinkType::Collapsed | LinkType::Shortcut)
                        && matches!(target(&mut Site::default(), links, source, dest, dest_url, line), Target::Text)
                    {
                        let part = &text[range.clone()];
                        let inner_start = range.start + if image { 2 } else { 1 };
                        let inner_end = match link_type {
                            LinkType::Reference => part.rfind("][").map(|at| range.start + at),
                            LinkType::Collapsed => Some(range.end.saturating_sub(3)),
                            _ => Some(range.end.saturating_sub(1)),
                        };
                        if let Some(inner_end) = inner_end.filter(|&e| e >= inner_start) {
                            edits.push(Edit {
                                range: range.clone(),
                                with: text[inner_start..inner_end].to_string(),
                            });
                        }
                    }
                    continue;
                }
                let Some(at) = inline_destination(text, &range, dest_url) else {
                    continue;
                };
                let line = lines.line_at(range.start);
                match target(site, links, source, dest, dest_url, line) {
                    Target::Keep => {}
                    Target::Now(url) => edits.push(Edit { range: at, with: url }),
                    Target::Text => {
                        // `[text](x)` → `text`; `![alt](x)` → `alt`.
                        let inner_start = range.start + if image { 2 } else { 1 };
                        let inner_end = text[..at.start].rfind("](").unwrap_or(inner_start);
                        if inner_end >= inner_start {
                            edits.push(Edit {
                                range: range.clone(),
                                with: text[inner_start..inner_end].to_string(),
                            });
                        }
                    }
                }
            }
            Event::End(TagEnd::Link | TagEnd::Image) => {
                open.pop();
            }
            Event::Html(raw) | Event::InlineHtml(raw) => {
                let line = lines.line_at(range.start);
                let Some(offset) = text[range.clone()].find(&**raw).map(|o| range.start + o) else {
                    continue;
                };
                for attribute in html::attributes(raw) {
                    if html::address(&attribute).is_none() {
                        continue;
                    }
                    let value = offset + attribute.written.start..offset + attribute.written.end;
                    match target(site, links, source, dest, attribute.value, line) {
                        Target::Keep => {}
                        Target::Now(url) => edits.push(Edit {
                            range: value,
                            with: format!("\"{}\"", url.replace('"', "&quot;")),
                        }),
                        // The attribute goes: the element stays, leading nowhere.
                        Target::Text => {
                            let name = attribute.name.as_ptr() as usize - raw.as_ptr() as usize;
                            edits.push(Edit {
                                range: offset + name..value.end,
                                with: String::new(),
                            });
                        }
                    }
                }
            }
            _ => {}
        }
    }
    // Link definitions (`[label]: address`), outside code.
    let mut at = 0;
    for line_text in text.split_inclusive('\n') {
        let start = at;
        at += line_text.len();
        if code.iter().any(|c| c.contains(&start)) {
            continue;
        }
        let trimmed = line_text.trim_start_matches(' ');
        if line_text.len() - trimmed.len() > 3 || !trimmed.starts_with('[') {
            continue;
        }
        let Some(close) = trimmed.find("]:") else {
            continue;
        };
        let after = &trimmed[close + 2..];
        let address = after.trim_start();
        let address = address.split_whitespace().next().unwrap_or_default();
        let bare = address.trim_start_matches('<').trim_end_matches('>');
        if bare.is_empty() {
            continue;
        }
        let begin = start + (line_text.len() - trimmed.len()) + close + 2 + (after.len() - after.trim_start().len());
        let begin = begin + (address.len() - address.trim_start_matches('<').len());
        let line = lines.line_at(start);
        match target(site, links, source, dest, bare, line) {
            Target::Keep => {}
            Target::Now(url) => edits.push(Edit {
                range: begin..begin + bare.len(),
                with: url,
            }),
            // The definition goes; the links that use it are their text (above).
            Target::Text => edits.push(Edit {
                range: start..at,
                with: String::new(),
            }),
        }
    }
    edits.sort_by_key(|e| (e.range.start, std::cmp::Reverse(e.range.end)));
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for edit in edits {
        if edit.range.start < copied {
            continue;
        }
        out.push_str(&text[copied..edit.range.start]);
        out.push_str(&edit.with);
        copied = edit.range.end;
    }
    out.push_str(&text[copied..]);
    out
}

/// Where an inline link's address is written in `text` (the link at `range`).
fn inline_destination(text: &str, range: &Range<usize>, dest: &str) -> Option<Range<usize>> {
    let part = &text[range.clone()];
    let open = part.rfind("](")? + 2;
    let rest = &part[open..];
    let lead = rest.len() - rest.trim_start().len();
    let rest = rest.trim_start();
    let (skip, rest) = match rest.strip_prefix('<') {
        Some(inner) => (1, inner),
        None => (0, rest),
    };
    let written = rest.find(dest).filter(|&at| at == 0).map(|_| dest.len()).or_else(|| {
        // Written with escapes or spaces: up to the closing `)` or `>` or a space.
        rest.find([')', '>', ' ']).or(Some(rest.len()))
    })?;
    let start = range.start + open + lead + skip;
    Some(start..start + written)
}

enum Target {
    /// Left as written: another site, an address casebook checks as it is.
    Keep,
    /// Written anew.
    Now(String),
    /// Leads nowhere: the link becomes its text (reported).
    Text,
}

/// Where an address written on the page `source` (going to `dest`) leads now.
fn target(site: &mut Site, links: &Links<'_>, source: &Path, dest: &Path, address: &str, line: usize) -> Target {
    let address = address.trim();
    if address.is_empty() {
        site.change(source, line, "a link with no address: kept as its text");
        return Target::Text;
    }
    if address.contains("://") || address.starts_with("mailto:") || address.starts_with("tel:") || address.starts_with("data:") {
        return Target::Keep;
    }
    let (path, anchor) = match address.split_once('#') {
        Some((p, a)) => (p, Some(a)),
        None => (address, None),
    };
    let path = path.split('?').next().unwrap_or_default();
    let here = source.parent().unwrap_or(Path::new(""));
    let dest_dir = dest.parent().unwrap_or(Path::new(""));
    if path.is_empty() {
        // An anchor on the same page: casebook's name for it.
        let Some(anchor) = anchor else {
            return Target::Keep;
        };
        return match links.anchors.get(source).map(|a| a.get(anchor)) {
            Some(Some(new)) if new != anchor && !new.is_empty() => {
                site.change(source, line, format!("anchor `#{anchor}` is `#{new}` in casebook"));
                Target::Now(format!("#{new}"))
            }
            Some(None) => {
                site.change(source, line, format!("`#{anchor}` is no heading or anchor of this page: the link is kept as its text"));
                Target::Text
            }
            _ => Target::Keep,
        };
    }
    let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy().into_owned();
    let Some(resolved) = normalize(&here.join(&decoded)) else {
        site.change(source, line, format!("`{address}` leads outside the source: kept as text"));
        return Target::Text;
    };
    // A page: by its Markdown name, its HTML name, or another name it has.
    let as_page = |p: &Path| -> Option<PathBuf> {
        let p = links.aliases.get(p).cloned().unwrap_or_else(|| p.to_path_buf());
        links.pages.contains_key(&p).then_some(p)
    };
    let page = as_page(&resolved).or_else(|| {
        let ext = resolved.extension().and_then(|e| e.to_str());
        matches!(ext, Some("html" | "htm"))
            .then(|| as_page(&resolved.with_extension("md")))
            .flatten()
    });
    if let Some(page) = page {
        let to = &links.pages[&page];
        let mut url = relative(dest_dir, to);
        if let Some(anchor) = anchor {
            let new = match links.anchors.get(&page).map(|a| a.get(anchor)) {
                Some(Some(new)) => new.clone(),
                Some(None) => {
                    site.change(source, line, format!("`#{anchor}` is no heading or anchor of `{}`: the link leads to the page", page.display()));
                    String::new()
                }
                None => anchor.to_string(),
            };
            if !new.is_empty() {
                url.push('#');
                url.push_str(&new);
            }
        }
        if url != address {
            site.change(source, line, format!("link `{address}` now `{url}`"));
        }
        return Target::Now(url);
    }
    if resolved.extension().is_some_and(|e| e == "md" || e == "html") {
        site.change(source, line, format!("`{address}` is no page of the source: the link is kept as its text"));
        return Target::Text;
    }
    // A file beside the pages: copied, once.
    if !links.root.join(&resolved).is_file() || read_bytes(links.root, &resolved).is_none() {
        site.change(source, line, format!("`{address}` does not exist in the source: kept as text"));
        return Target::Text;
    }
    let to = (links.file_dest)(&resolved);
    if !site.files.contains_key(&to) {
        let bytes = read_bytes(links.root, &resolved).unwrap_or_default();
        site.files.insert(to.clone(), bytes);
        site.copied += 1;
    }
    let mut url = relative(dest_dir, &to);
    if let Some(anchor) = anchor {
        url.push('#');
        url.push_str(anchor);
    }
    if url != address {
        site.change(source, line, format!("`{address}` copied; linked as `{url}`"));
    }
    Target::Now(url)
}

/// A file's bytes, when it is inside `root`.
fn read_bytes(root: &Path, path: &Path) -> Option<Vec<u8>> {
    let real = root.join(path).canonicalize().ok()?;
    real.starts_with(root.canonicalize().ok()?)
        .then(|| std::fs::read(real).ok())
        .flatten()
}

/// Every anchor of a page in `text` → its name in casebook: each heading's as another tool
/// names it (`id_of`) and as casebook does, an explicit `{#id}`, an `id` in raw HTML.
pub fn anchors(text: &str, id_of: impl Fn(&str) -> String) -> HashMap<String, String> {
    let mut map = HashMap::new();
    let mut heading: Option<(String, bool)> = None;
    for event in Parser::new_ext(text, crate::parse::markdown::options()) {
        match event {
            Event::Start(Tag::Heading { id, .. }) => {
                if let Some(id) = &id {
                    map.insert(id.to_string(), id.to_string());
                }
                heading = Some((String::new(), id.is_some()));
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((h, _)) = &mut heading {
                    h.push_str(&t);
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((h, explicit)) = heading.take()
                    && !explicit
                {
                    let ours = crate::parse::markdown::slug(&h);
                    map.entry(id_of(&h)).or_insert_with(|| ours.clone());
                    map.entry(ours.clone()).or_insert(ours);
                }
            }
            Event::Html(raw) | Event::InlineHtml(raw) => {
                for id in html::attribute_values(&raw, "id") {
                    map.entry(id.to_string()).or_insert_with(|| id.to_string());
                }
            }
            _ => {}
        }
    }
    map
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_and_names() {
        assert_eq!(relative(Path::new("curriculum/01-a"), Path::new("curriculum/02-b/x.md")), "../02-b/x.md");
        assert_eq!(relative(Path::new("curriculum/01-a"), Path::new("curriculum/01-a/x.md")), "x.md");
        assert_eq!(relative(Path::new("curriculum/01-a"), Path::new("curriculum/img/x.png")), "../img/x.png");
        assert_eq!(name_of("Getting Started: the_basics!"), "getting-started-the-basics");
        assert_eq!(name_of("¿?"), "page");
        assert_eq!(normalize(Path::new("a/../b/./c")), Some(PathBuf::from("b/c")));
        assert_eq!(normalize(Path::new("../x")), None);
    }
}
