//! An mdBook (`book.toml`, `SUMMARY.md`, chapters in `src/`) → a casebook site. Parts, or
//! without parts the top chapters, become workshops; the chapters below them become their
//! lessons in SUMMARY's order. `{{#include}}`, `{{#rustdoc_include}}` and `{{#playground}}`
//! are inlined as mdBook inlines them; links follow their pages; pictures are copied.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use super::{Lines, Links, Site, anchors, name_of, quoted, read, rewrite_links};
use crate::discover::{CURRICULUM, INDEX};

/// A chapter placed: the page it becomes below `DEST`, and that page's front matter.
type Placed = (Chapter, PathBuf, Vec<(&'static str, String)>);

/// One line of `SUMMARY.md` that names a chapter.
#[derive(Debug, Clone)]
struct Chapter {
    title: String,
    /// Below the book's `src` folder; `None` for a draft (`[Title]()`).
    path: Option<PathBuf>,
    /// 0 for a top chapter.
    depth: usize,
    line: usize,
}

/// What `SUMMARY.md` holds, in order.
#[derive(Debug, Default)]
struct Summary {
    prefix: Vec<Chapter>,
    /// Numbered chapters, in parts: a part's title (`None` before the first `# Part`).
    parts: Vec<(Option<String>, Vec<Chapter>)>,
    suffix: Vec<Chapter>,
}

/// Reads the mdBook at `root` into a site, or says why it cannot.
pub fn import(root: &Path) -> Result<Site, String> {
    let toml_text = read(root, Path::new("book.toml")).map_err(|e| {
        format!("{e}: an mdBook has a `book.toml` at its top (give the folder that holds it)")
    })?;
    let book: toml::Table = toml_text
        .parse()
        .map_err(|e| format!("`book.toml` is not valid TOML: {e}"))?;
    let table = |name: &str| book.get(name).and_then(|v| v.as_table());
    let string = |t: Option<&toml::Table>, key: &str| {
        t.and_then(|t| t.get(key)).and_then(|v| v.as_str()).map(str::to_string)
    };
    let title = string(table("book"), "title").unwrap_or_else(|| "Imported book".to_string());
    let src = PathBuf::from(string(table("book"), "src").unwrap_or_else(|| "src".to_string()));
    let summary_path = src.join("SUMMARY.md");
    let summary_text = read(root, &summary_path)?;
    let summary = parse_summary(&summary_text);

    let mut site = Site::new(
        format!("the mdBook `{title}`"),
        &title,
        string(table("book"), "language"),
    );

    // Where each chapter goes: (chapter, its page below DEST, front matter).
    let mut placed: Vec<Placed> = Vec::new();
    let mut seen: HashSet<PathBuf> = HashSet::new();
    let mut keep = |site: &mut Site, c: &Chapter| -> bool {
        match &c.path {
            None => {
                site.change(&summary_path, c.line, format!("draft chapter \"{}\" has no file: left out", c.title));
                false
            }
            Some(p) if !seen.insert(p.clone()) => {
                site.change(&summary_path, c.line, format!("`{}` is listed again: imported once, at its first place", p.display()));
                false
            }
            Some(p) if !root.join(&src).join(p).is_file() => {
                site.change(&summary_path, c.line, format!("`{}` does not exist: left out", p.display()));
                false
            }
            Some(_) => true,
        }
    };
    let mut prefix = summary.prefix.iter().filter(|c| keep(&mut site, c)).cloned();
    // The first chapter before the numbered ones (mdBook's introduction) is the programme
    // page; the programme page is empty but for its title otherwise.
    let programme = prefix.next();
    let mut session = 0;
    let mut workshop = |site: &mut Site, placed: &mut Vec<Placed>, title: &str, own: Option<Chapter>, lessons: Vec<Chapter>| {
        session += 1;
        let folder = format!("{session:02}-{}", name_of(title));
        let dir = PathBuf::from(CURRICULUM).join(&folder);
        let front = vec![("title", quoted(title)), ("session", session.to_string())];
        match own {
            Some(c) => placed.push((c, dir.join(format!("{INDEX}.md")), front)),
            None => {
                site.files.insert(dir.join(format!("{INDEX}.md")), page_text(&front, &format!("The chapters of \"{title}\".\n")));
            }
        }
        site.workshops += 1;
        let mut names: HashSet<String> = HashSet::new();
        for (i, c) in lessons.into_iter().enumerate() {
            let stem = c.path.as_ref().and_then(|p| p.file_stem()).map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
            let stem = if stem.eq_ignore_ascii_case("README") || stem == "index" { c.title.clone() } else { stem };
            let mut name = name_of(&stem);
            while !names.insert(name.clone()) {
                name.push_str("-2");
            }
            let front = vec![("title", quoted(&c.title)), ("weight", (i + 1).to_string())];
            placed.push((c, dir.join(format!("{name}.md")), front));
            site.lessons += 1;
        }
    };
    let rest: Vec<Chapter> = prefix.collect();
    if !rest.is_empty() {
        workshop(&mut site, &mut placed, "Introduction", None, rest);
    }
    let has_parts = summary.parts.iter().any(|(t, _)| t.is_some());
    for (part, chapters) in &summary.parts {
        let chapters: Vec<Chapter> = chapters.iter().filter(|c| keep(&mut site, c)).cloned().collect();
        if chapters.is_empty() {
            continue;
        }
        if has_parts {
            let title = part.clone().unwrap_or_else(|| chapters[0].title.clone());
            workshop(&mut site, &mut placed, &title, None, chapters);
        } else {
            // Each top chapter is a workshop, the chapters below it its lessons.
            let mut groups: Vec<(Chapter, Vec<Chapter>)> = Vec::new();
            for c in chapters {
                match groups.last_mut() {
                    Some((_, lessons)) if c.depth > 0 => lessons.push(c),
                    _ => groups.push((c, Vec::new())),
                }
            }
            for (top, lessons) in groups {
                let title = top.title.clone();
                workshop(&mut site, &mut placed, &title, Some(top), lessons);
            }
        }
    }
    let suffix: Vec<Chapter> = summary.suffix.iter().filter(|c| keep(&mut site, c)).cloned().collect();
    if !suffix.is_empty() {
        workshop(&mut site, &mut placed, "Appendix", None, suffix);
    }
    if let Some(c) = programme {
        placed.push((c, PathBuf::from(CURRICULUM).join(format!("{INDEX}.md")), vec![("title", quoted(&title))]));
    } else {
        site.files.insert(
            PathBuf::from(CURRICULUM).join(format!("{INDEX}.md")),
            page_text(&[("title", quoted(&title))], &format!("{title}, imported from its mdBook.\n")),
        );
    }

    // First the chapters' text (includes inlined, hidden lines and titles taken out), so
    // that every page's anchors are known; then their links.
    let mut texts: Vec<Lines> = Vec::new();
    let mut pages: HashMap<PathBuf, PathBuf> = HashMap::new();
    let mut page_anchors: HashMap<PathBuf, HashMap<String, String>> = HashMap::new();
    for (c, dest, _) in &placed {
        let rel = src.join(c.path.as_ref().expect("placed chapters have files"));
        let text = read(root, &rel)?;
        let (lines, title) = chapter_text(&mut site, root, &rel, text, &c.title);
        let mut named = anchors(&lines.text, mdbook_id);
        // The title's anchor is the page itself.
        if let Some(title) = title {
            named.insert(mdbook_id(&title), String::new());
            named.insert(crate::parse::markdown::slug(&title), String::new());
        }
        page_anchors.insert(rel.clone(), named);
        pages.insert(rel, dest.clone());
        texts.push(lines);
    }
    // mdBook publishes `README.md` as `index.html`.
    let aliases: HashMap<PathBuf, PathBuf> = pages
        .keys()
        .filter(|p| p.file_stem().is_some_and(|s| s == "README"))
        .map(|p| (p.with_file_name("index.md"), p.clone()))
        .collect();
    let src_for_files = src.clone();
    let file_dest = move |path: &Path| -> PathBuf {
        let below = path.strip_prefix(&src_for_files).unwrap_or(path);
        PathBuf::from(CURRICULUM).join(below)
    };
    let links = Links {
        pages: &pages,
        anchors: &page_anchors,
        aliases: &aliases,
        root,
        file_dest: &file_dest,
    };
    for ((c, dest, front), lines) in placed.iter().zip(&texts) {
        let rel = src.join(c.path.as_ref().expect("placed chapters have files"));
        let body = rewrite_links(&mut site, &links, &rel, dest, lines);
        site.files.insert(dest.clone(), page_text(front, &body));
    }
    Ok(site)
}

fn page_text(front: &[(&str, String)], body: &str) -> Vec<u8> {
    let mut site = Site::default();
    site.page("x", front, body);
    site.files.remove(Path::new("x")).unwrap_or_default()
}

/// `SUMMARY.md` read as mdBook reads it: the first `#` title is the summary's own; later
/// `#` titles start parts; list items are numbered chapters (their depth by indentation);
/// links outside a list are prefix or suffix chapters; `---` separates.
fn parse_summary(text: &str) -> Summary {
    let mut summary = Summary::default();
    let mut titled = false;
    let mut indents: Vec<usize> = Vec::new();
    let mut in_code = false;
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let trimmed = raw.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_code = !in_code;
            continue;
        }
        if in_code || trimmed.is_empty() || trimmed.starts_with("<!--") {
            continue;
        }
        if let Some(heading) = trimmed.strip_prefix("# ") {
            if !titled && summary.parts.is_empty() && summary.prefix.is_empty() {
                titled = true;
            } else {
                summary.parts.push((Some(heading.trim().to_string()), Vec::new()));
            }
            continue;
        }
        let item = trimmed.strip_prefix("- ").or_else(|| trimmed.strip_prefix("* "));
        let Some((title, path)) = link_of(item.unwrap_or(trimmed)) else {
            continue;
        };
        let chapter = |depth| Chapter {
            title: title.clone(),
            path: path.clone(),
            depth,
            line,
        };
        if item.is_some() {
            let indent = raw.len() - trimmed.len();
            while indents.last().is_some_and(|&i| i > indent) {
                indents.pop();
            }
            if indents.last() != Some(&indent) {
                indents.push(indent);
            }
            if summary.parts.is_empty() {
                summary.parts.push((None, Vec::new()));
            }
            let part = summary.parts.last_mut().expect("a part");
            part.1.push(chapter(indents.len() - 1));
        } else if summary.parts.iter().all(|(_, c)| c.is_empty()) {
            summary.prefix.push(chapter(0));
        } else {
            summary.suffix.push(chapter(0));
        }
    }
    summary
}

/// `[Title](path.md)` → its title and path (`None` for `()`).
fn link_of(text: &str) -> Option<(String, Option<PathBuf>)> {
    let text = text.trim();
    let rest = text.strip_prefix('[')?;
    let close = rest.rfind("](")?;
    let title = rest[..close].replace("\\[", "[").replace("\\]", "]");
    let target = rest[close + 2..].strip_suffix(')')?.trim();
    let target = target.trim_start_matches('<').trim_end_matches('>');
    let path = (!target.is_empty()).then(|| {
        let decoded = percent_encoding::percent_decode_str(target).decode_utf8_lossy().into_owned();
        PathBuf::from(decoded.trim_start_matches("./"))
    });
    Some((title.trim().to_string(), path))
}

/// The anchor mdBook gives a heading: lowercase letters, digits, `_` and `-` kept, spaces
/// as `-`, the rest dropped.
fn mdbook_id(text: &str) -> String {
    text.chars()
        .filter_map(|c| {
            if c.is_alphanumeric() || c == '_' || c == '-' {
                Some(c.to_lowercase().next().unwrap_or(c))
            } else if c.is_whitespace() {
                Some('-')
            } else {
                None
            }
        })
        .collect()
}

/// A chapter's text made casebook's: includes inlined, the lines mdBook hides in Rust
/// examples and its own `{{#title}}` taken out, the first heading (the page's title,
/// which casebook prints from front matter) taken out.
fn chapter_text(site: &mut Site, root: &Path, file: &Path, text: String, title: &str) -> (Lines, Option<String>) {
    let lines = expand(site, root, file, &text, 0);
    let lines = hide_rust_lines(site, file, lines);
    drop_title(site, file, lines, title)
}

/// `{{#include …}}`, `{{#rustdoc_include …}}` and `{{#playground …}}` inlined (in included
/// files too, ten deep at most); `\{{#…}}` stays as written without its backslash.
fn expand(site: &mut Site, root: &Path, file: &Path, text: &str, depth: usize) -> Lines {
    let mut out = String::with_capacity(text.len());
    let mut source = Vec::new();
    let dir = file.parent().unwrap_or(Path::new(""));
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let number = i + 1;
        let mut rest = line;
        let mut written = String::new();
        while let Some(at) = rest.find("{{#") {
            let Some(end) = rest[at..].find("}}").map(|e| at + e) else {
                break;
            };
            if rest[..at].ends_with('\\') {
                written.push_str(&rest[..at - 1]);
                written.push_str(&rest[at..end + 2]);
                rest = &rest[end + 2..];
                continue;
            }
            written.push_str(&rest[..at]);
            let inside = rest[at + 3..end].trim();
            let (command, argument) = inside.split_once(char::is_whitespace).unwrap_or((inside, ""));
            let argument = argument.trim();
            match command {
                "include" | "rustdoc_include" | "playground" | "rust" if depth < 10 => {
                    let (path, range) = split_range(argument);
                    let target = super::normalize(&dir.join(path));
                    match target.map(|t| (read(root, &t), t)) {
                        Some((Ok(content), target)) => {
                            let part = take(&content, range);
                            let part = if command == "include" && path.ends_with(".md") {
                                expand(site, root, &target, &part, depth + 1).text
                            } else {
                                part
                            };
                            let part = part.trim_end_matches('\n');
                            if command == "playground" || command == "rust" {
                                written.push_str("```rust\n");
                                written.push_str(part);
                                written.push_str("\n```");
                            } else {
                                written.push_str(part);
                            }
                            let how = if command == "rustdoc_include" {
                                " (the lines mdBook shows; those it hides are left out)"
                            } else {
                                ""
                            };
                            site.change(file, number, format!("`{{{{#{command} {argument}}}}}` inlined{how}"));
                        }
                        Some((Err(e), _)) => {
                            site.change(file, number, format!("`{{{{#{command} {argument}}}}}` left out: {e}"));
                        }
                        None => {
                            site.change(file, number, format!("`{{{{#{command} {argument}}}}}` left out: it leads outside the book"));
                        }
                    }
                }
                "title" => {
                    site.change(file, number, format!("`{{{{#title {argument}}}}}` taken out: the page's title is its front matter's"));
                }
                _ => {
                    written.push_str(&rest[at..end + 2]);
                    site.change(file, number, format!("`{{{{#{command}}}}}` is mdBook-only: kept as text"));
                }
            }
            rest = &rest[end + 2..];
        }
        written.push_str(rest);
        let count = written.matches('\n').count().max(usize::from(!written.is_empty() && !written.ends_with('\n')));
        source.extend(std::iter::repeat_n(number, count.max(1)));
        out.push_str(&written);
    }
    Lines { text: out, source }
}

/// `file.rs:2:10` → `file.rs` and its range (`:name` an anchor).
fn split_range(argument: &str) -> (&str, Option<&str>) {
    match argument.split_once(':') {
        Some((path, range)) => (path.trim(), Some(range.trim())),
        None => (argument.trim(), None),
    }
}

/// The part of `content` that `range` names, as mdBook takes it: `2` (line 2), `2:10`,
/// `2:`, `:10`, or an anchor name (the lines between `ANCHOR: name` and `ANCHOR_END: name`,
/// without any anchor lines).
fn take(content: &str, range: Option<&str>) -> String {
    let Some(range) = range else {
        return content.to_string();
    };
    let lines: Vec<&str> = content.lines().collect();
    let number = |s: &str| s.trim().parse::<usize>().ok();
    let (from, to) = match range.split_once(':') {
        Some((a, b)) => match (a.is_empty() || number(a).is_some(), b.is_empty() || number(b).is_some()) {
            (true, true) => (number(a).unwrap_or(1), number(b).unwrap_or(lines.len())),
            _ => return anchored(&lines, range),
        },
        None => match number(range) {
            Some(n) => (n, n),
            None => return anchored(&lines, range),
        },
    };
    let from = from.max(1);
    lines
        .iter()
        .skip(from - 1)
        .take((to + 1).saturating_sub(from))
        .copied()
        .collect::<Vec<_>>()
        .join("\n")
}

fn anchored(lines: &[&str], name: &str) -> String {
    let marker = |line: &str, word: &str| -> Option<String> {
        let at = line.find(word)?;
        let rest = line[at + word.len()..].trim_start();
        Some(rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '-').collect())
    };
    let mut out = Vec::new();
    let mut inside = false;
    for line in lines {
        if let Some(end) = marker(line, "ANCHOR_END:") {
            if inside && end == name {
                break;
            }
            continue;
        }
        if let Some(start) = marker(line, "ANCHOR:") {
            if start == name {
                inside = true;
            }
            continue;
        }
        if inside {
            out.push(*line);
        }
    }
    out.join("\n")
}

/// Lines mdBook hides in Rust examples (`# ` at their start) taken out, as a reader of the
/// book never sees them; `##` at a line's start is mdBook's escape for `#`.
fn hide_rust_lines(site: &mut Site, file: &Path, lines: Lines) -> Lines {
    let mut out = String::with_capacity(lines.text.len());
    let mut source = Vec::with_capacity(lines.source.len());
    let mut fence: Option<(String, bool)> = None;
    let mut hidden = 0;
    let mut first_hidden = 0;
    for (i, line) in lines.text.split_inclusive('\n').enumerate() {
        let at = lines.source.get(i).copied().unwrap_or(1);
        let trimmed = line.trim_start();
        let opener = ["```", "~~~"].into_iter().find(|f| trimmed.starts_with(f));
        match (&fence, opener) {
            (None, Some(f)) => {
                let marks: String = trimmed.chars().take_while(|c| *c == f.chars().next().unwrap_or('`')).collect();
                let info = trimmed[marks.len()..].trim();
                let lang = info.split([',', ' ', '{']).next().unwrap_or_default();
                fence = Some((marks, lang == "rust"));
            }
            (Some((marks, _)), Some(_)) if trimmed.trim_end() == marks.as_str() => fence = None,
            (Some((_, true)), _) => {
                let code = trimmed.trim_end_matches('\n');
                if code == "#" || code.starts_with("# ") {
                    hidden += 1;
                    if first_hidden == 0 {
                        first_hidden = at;
                    }
                    continue;
                }
                if code.starts_with("##") {
                    let indent = line.len() - trimmed.len();
                    out.push_str(&line[..indent]);
                    out.push_str(&trimmed[1..]);
                    source.push(at);
                    continue;
                }
            }
            _ => {}
        }
        out.push_str(line);
        source.push(at);
    }
    if hidden > 0 {
        site.change(file, first_hidden, format!("{hidden} lines that mdBook hides in Rust examples (`# …`) left out"));
    }
    Lines { text: out, source }
}

/// The page's first heading taken out when it opens the page (casebook prints the title
/// from front matter), and every other heading one level down when the page has more `#`
/// headings, so that the page has one title.
/// Gives the heading taken out: links to its anchor lead to the page.
fn drop_title(site: &mut Site, file: &Path, lines: Lines, title: &str) -> (Lines, Option<String>) {
    let first = lines.text.lines().position(|l| !l.trim().is_empty());
    let Some(first) = first else {
        return (lines, None);
    };
    let line = lines.text.lines().nth(first).unwrap_or_default();
    let hashes = line.chars().take_while(|c| *c == '#').count();
    let Some(heading) = line[hashes..].strip_prefix(' ').filter(|h| {
        hashes == 1 || (hashes <= 6 && h.trim().eq_ignore_ascii_case(title.trim()))
    }) else {
        return (levels(site, file, lines), None);
    };
    let start: usize = lines.text.lines().take(first).map(|l| l.len() + 1).sum();
    let end = (start + line.len() + 1).min(lines.text.len());
    let at = lines.source.get(first).copied().unwrap_or(1);
    let note = if heading.trim() == title.trim() {
        String::new()
    } else {
        format!(" (SUMMARY.md calls it \"{title}\")")
    };
    site.change(file, at, format!("first heading \"{}\" taken out: it is the page's title{note}", heading.trim()));
    let mut text = String::with_capacity(lines.text.len());
    text.push_str(&lines.text[..start]);
    text.push_str(&lines.text[end..]);
    let mut source = lines.source;
    if first < source.len() {
        source.remove(first);
    }
    let heading = heading.trim().trim_end_matches('#').trim().to_string();
    (levels(site, file, Lines { text, source }), Some(heading))
}

/// The page's headings moved up or down together so that its sections start at level 2
/// (the title is level 1): a chapter whose sections were `###` under a `##` title, or that
/// had more `#` headings, reads as one page.
fn levels(site: &mut Site, file: &Path, lines: Lines) -> Lines {
    use pulldown_cmark::{Event, Parser, Tag};
    let headings: Vec<(usize, usize)> = Parser::new_ext(&lines.text, crate::parse::markdown::options())
        .into_offset_iter()
        .filter_map(|(event, range)| match event {
            Event::Start(Tag::Heading { level, .. }) if lines.text[range.start..].starts_with('#') => {
                Some((range.start, level as usize))
            }
            _ => None,
        })
        .collect();
    let Some(top) = headings.iter().map(|(_, l)| *l).min() else {
        return lines;
    };
    if top == 2 {
        return lines;
    }
    let mut text = String::with_capacity(lines.text.len() + headings.len());
    let mut copied = 0;
    for (at, level) in &headings {
        text.push_str(&lines.text[copied..*at]);
        let new = (*level + 2).saturating_sub(top).clamp(1, 6);
        text.push_str(&"#".repeat(new));
        copied = at + level;
    }
    text.push_str(&lines.text[copied..]);
    let first = headings.first().map_or(1, |(at, _)| lines.line_at(*at));
    site.change(
        file,
        first,
        format!("headings moved from level {top} to level 2 and those below them alike: the page's title is its only level 1"),
    );
    Lines {
        text,
        source: lines.source,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_is_read_as_mdbook_reads_it() {
        let s = parse_summary(
            "# Summary\n\n[Introduction](README.md)\n\n# Basics\n\n- [First](first.md)\n  - [Inner](first/inner.md)\n- [Draft]()\n\n# Advanced\n\n* [Second](second.md)\n\n---\n\n[Credits](credits.md)\n",
        );
        assert_eq!(s.prefix.len(), 1);
        assert_eq!(s.parts.len(), 2);
        assert_eq!(s.parts[0].0.as_deref(), Some("Basics"));
        let depths: Vec<usize> = s.parts[0].1.iter().map(|c| c.depth).collect();
        assert_eq!(depths, [0, 1, 0]);
        assert_eq!(s.parts[0].1[2].path, None);
        assert_eq!(s.suffix[0].title, "Credits");
    }

    #[test]
    fn includes_take_the_lines_mdbook_takes() {
        let file = "a\n// ANCHOR: part\nb\n// ANCHOR: inner\nc\n// ANCHOR_END: inner\n// ANCHOR_END: part\nd";
        assert_eq!(take(file, Some("1")), "a");
        assert_eq!(take(file, Some("3:5")), "b\n// ANCHOR: inner\nc");
        assert_eq!(take(file, Some(":1")), "a");
        assert_eq!(take(file, Some("8:")), "d");
        assert_eq!(take(file, Some("part")), "b\nc");
        assert_eq!(take(file, Some("inner")), "c");
        assert_eq!(mdbook_id("Hello, World_2 again"), "hello-world_2-again");
    }
}
