//! A Carpentries lesson (sandpaper: `config.yaml`, `episodes/`, `instructors/`,
//! `learners/`) → a casebook site: one workshop whose lessons are the episodes in
//! `config.yaml`'s order, then the learners' pages; the instructors' pages for trainers
//! only; `learners/reference.md` the toolkit's glossary. Pandoc's fenced blocks become
//! casebook's: `solution` an answer, `instructor` a trainer note, the others callouts.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::{Lines, Links, Site, anchors, name_of, quoted, read, rewrite_links};
use crate::discover::{CURRICULUM, INDEX, TOOLKIT};
use crate::yaml::{self, Item, Value};

/// A page to write: its source, its place below `DEST`, its front matter and its text.
struct Page {
    source: PathBuf,
    dest: PathBuf,
    front: Vec<(&'static str, String)>,
    lines: Lines,
}

/// Reads the lesson at `root` into a site, or says why it cannot.
pub fn import(root: &Path) -> Result<Site, String> {
    let config_text = read(root, Path::new("config.yaml")).map_err(|e| {
        format!("{e}: a Carpentries lesson has a `config.yaml` at its top (give the folder that holds it)")
    })?;
    let config = yaml::parse(&config_text).map_err(|e| format!("`config.yaml` is not valid YAML: {e:?}"))?;
    let field = |key: &str| -> Option<&Item> {
        match &config.value {
            Value::Map(entries) => entries.iter().find(|(k, _)| k.name == key).map(|(_, v)| v),
            _ => None,
        }
    };
    let list = |key: &str| -> Vec<String> {
        match field(key).map(|i| &i.value) {
            Some(Value::Seq(items)) => items.iter().filter_map(Item::as_text).collect(),
            _ => Vec::new(),
        }
    };
    let title = field("title").and_then(Item::as_text).unwrap_or_else(|| "Imported lesson".to_string());
    let mut site = Site::new(
        format!("the Carpentries lesson `{title}`"),
        &title,
        field("lang").and_then(Item::as_text),
    );
    // sandpaper adds `links.md` to every page, for reference links.
    let shared_links = read(root, Path::new("links.md")).ok();

    let folder_name = format!("01-{}", name_of(&title));
    let workshop_dir = PathBuf::from(CURRICULUM).join(&folder_name);
    let in_order = |folder: &str, listed: Vec<String>| -> Vec<PathBuf> {
        let mut names = listed;
        if names.is_empty() {
            let mut found: Vec<String> = std::fs::read_dir(root.join(folder))
                .into_iter()
                .flatten()
                .flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| (n.ends_with(".md") || n.ends_with(".Rmd")) && !n.starts_with('.'))
                .collect();
            found.sort();
            names = found;
        }
        names.into_iter().map(|n| Path::new(folder).join(n)).collect()
    };
    let mut pages: Vec<Page> = Vec::new();
    let mut objectives: Vec<String> = Vec::new();
    let mut minutes = 0;
    let mut weight = 0;
    let mut lesson = |site: &mut Site, pages: &mut Vec<Page>, source: PathBuf, trainers: bool, objectives: &mut Vec<String>| -> Result<(), String> {
        let text = read(root, &source)?;
        let (front, body, body_line) = split_front(&text);
        let title = front.get("title").cloned().unwrap_or_else(|| name_of(&source.file_stem().unwrap_or_default().to_string_lossy()));
        let number = |k: &str| front.get(k).and_then(|v| v.trim().parse::<u64>().ok()).unwrap_or(0);
        let duration = number("teaching") + number("exercises");
        let mut lines = blocks(site, &source, body, body_line, objectives);
        if let Some(shared) = &shared_links {
            lines.text.push_str("\n\n");
            lines.text.push_str(shared);
            lines.source.extend(std::iter::repeat_n(0, shared.lines().count() + 2));
        }
        weight += 1;
        minutes += duration;
        let stem = source.file_stem().unwrap_or_default().to_string_lossy().into_owned();
        let mut front_out = vec![("title", quoted(&title)), ("weight", weight.to_string())];
        if duration > 0 {
            front_out.push(("duration", format!("{duration}m")));
        }
        if trainers {
            front_out.push(("audience", "trainer".to_string()));
            site.change(&source, 1, "an instructors' page: for trainers only (`audience: trainer`)");
        }
        site.lessons += 1;
        pages.push(Page {
            source,
            dest: workshop_dir.join(format!("{}.md", name_of(&stem))),
            front: front_out,
            lines,
        });
        Ok(())
    };
    for source in in_order("episodes", list("episodes")) {
        lesson(&mut site, &mut pages, source, false, &mut objectives)?;
    }
    let mut glossary = None;
    for source in in_order("learners", list("learners")) {
        if source.file_stem().is_some_and(|s| s == "reference") {
            glossary = Some(source);
            continue;
        }
        lesson(&mut site, &mut pages, source, false, &mut Vec::new())?;
    }
    for source in in_order("instructors", list("instructors")) {
        lesson(&mut site, &mut pages, source, true, &mut Vec::new())?;
    }
    // The workshop: the lesson's title, its episodes' objectives and time.
    let mut front = vec![("title", quoted(&title)), ("session", "1".to_string())];
    if minutes > 0 {
        front.push(("duration", format!("{minutes}m")));
    }
    let mut body = format!("The episodes of \"{title}\".\n");
    if !objectives.is_empty() {
        let mut items = String::from("\n");
        for o in &objectives {
            items.push_str(&format!("  - {}\n", quoted(o)));
        }
        front.push(("objectives", items.trim_end().to_string()));
    } else {
        body.push('\n');
    }
    site.page(workshop_dir.join(format!("{INDEX}.md")), &front, &body);
    site.workshops += 1;
    // The programme page: the lesson's `index.md`.
    let programme = PathBuf::from(CURRICULUM).join(format!("{INDEX}.md"));
    match read(root, Path::new("index.md")) {
        Ok(text) => {
            let (_, body, body_line) = split_front(&text);
            let lines = blocks(&mut site, Path::new("index.md"), body, body_line, &mut Vec::new());
            pages.push(Page {
                source: PathBuf::from("index.md"),
                dest: programme,
                front: vec![("title", quoted(&title))],
                lines,
            });
        }
        Err(_) => site.page(programme, &[("title", quoted(&title))], &format!("{title}, imported from its Carpentries lesson.\n")),
    }
    // The glossary, in the toolkit.
    if let Some(source) = glossary {
        let text = read(root, &source)?;
        let (front, body, body_line) = split_front(&text);
        let lines = blocks(&mut site, &source, body, body_line, &mut Vec::new());
        let gloss_title = front.get("title").cloned().unwrap_or_else(|| "Reference".to_string());
        site.page(
            PathBuf::from(CURRICULUM).join(TOOLKIT).join(format!("{INDEX}.md")),
            &[("title", quoted("Toolkit"))],
            "What to keep at hand during and after the lesson.\n",
        );
        site.change(&source, 1, "the learners' reference: the toolkit's page");
        pages.push(Page {
            source,
            dest: PathBuf::from(CURRICULUM).join(TOOLKIT).join("reference.md"),
            front: vec![("title", quoted(&gloss_title))],
            lines,
        });
    }

    // Links: pages to their new places, anchors to casebook's names, files copied beside
    // the workshop.
    let by_source: HashMap<PathBuf, PathBuf> = pages.iter().map(|p| (p.source.clone(), p.dest.clone())).collect();
    let page_anchors: HashMap<PathBuf, HashMap<String, String>> = pages
        .iter()
        .map(|p| (p.source.clone(), anchors(&p.lines.text, pandoc_id)))
        .collect();
    let aliases = HashMap::new();
    let dir = workshop_dir.clone();
    let file_dest = move |path: &Path| -> PathBuf {
        let mut parts = path.components();
        let first = parts.next().map(|c| c.as_os_str().to_string_lossy().into_owned());
        match first.as_deref() {
            Some("episodes" | "learners" | "instructors") => dir.join(parts.as_path()),
            _ => dir.join(path),
        }
    };
    let links = Links {
        pages: &by_source,
        anchors: &page_anchors,
        aliases: &aliases,
        root,
        file_dest: &file_dest,
    };
    for page in &pages {
        let body = rewrite_links(&mut site, &links, &page.source, &page.dest, &page.lines);
        site.page(page.dest.clone(), &page.front, &body);
    }
    Ok(site)
}

/// The anchor Pandoc gives a heading: lowercase, punctuation but `_`, `-` and `.` dropped,
/// spaces as `-`.
fn pandoc_id(text: &str) -> String {
    let id: String = text
        .chars()
        .filter_map(|c| {
            if c.is_alphanumeric() || matches!(c, '_' | '-' | '.') {
                Some(c.to_lowercase().next().unwrap_or(c))
            } else if c.is_whitespace() {
                Some('-')
            } else {
                None
            }
        })
        .collect();
    id.trim_start_matches(|c: char| !c.is_alphabetic()).to_string()
}

/// A page's front matter (its `key: value` lines), its body, and the line the body starts on.
fn split_front(text: &str) -> (HashMap<String, String>, &str, usize) {
    let mut front = HashMap::new();
    let Some(rest) = text.strip_prefix("---\n") else {
        return (front, text, 1);
    };
    let Some(end) = rest.find("\n---") else {
        return (front, text, 1);
    };
    if let Ok(item) = yaml::parse(&rest[..end])
        && let Value::Map(entries) = item.value
    {
        for (key, value) in entries {
            if let Some(v) = value.as_text() {
                front.insert(key.name, v);
            }
        }
    }
    let after = &rest[end + 4..];
    let body = after.strip_prefix('\n').unwrap_or(after);
    let line = text[..text.len() - body.len()].matches('\n').count() + 1;
    (front, body, line)
}

/// A line of the body, or a fenced block (`::: name` … `:::`) and what is inside it.
enum Part {
    Line(String, usize),
    Block { name: String, line: usize, inside: Vec<Part> },
}

/// The body with Pandoc's fenced blocks made casebook's, its image attributes made alt
/// text and its `[term]{#id}` anchors kept; `objectives` blocks go to `objectives`.
fn blocks(site: &mut Site, file: &Path, body: &str, first_line: usize, objectives: &mut Vec<String>) -> Lines {
    // Read into a tree, outside code fences.
    let mut stack: Vec<(String, usize, Vec<Part>)> = vec![(String::new(), 0, Vec::new())];
    let mut fence: Option<String> = None;
    for (i, raw) in body.lines().enumerate() {
        let line = first_line + i;
        let trimmed = raw.trim_start();
        if let Some(f) = &fence {
            if trimmed.starts_with(f.as_str()) && trimmed.trim_end().chars().all(|c| c == f.chars().next().unwrap_or('`')) {
                fence = None;
            }
            stack.last_mut().expect("the page").2.push(Part::Line(raw.to_string(), line));
            continue;
        }
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            let mark = trimmed.chars().next().unwrap_or('`');
            fence = Some(trimmed.chars().take_while(|c| *c == mark).collect());
            stack.last_mut().expect("the page").2.push(Part::Line(raw.to_string(), line));
            continue;
        }
        let colons = trimmed.chars().take_while(|c| *c == ':').count();
        if colons >= 3 && raw.len() == trimmed.len() {
            let name = trimmed[colons..].trim().trim_end_matches(':').trim();
            let name = name.trim_start_matches('{').trim_end_matches('}').trim_start_matches('.').trim();
            if name.is_empty() {
                if stack.len() > 1 {
                    let (name, line, inside) = stack.pop().expect("a block");
                    stack.last_mut().expect("the page").2.push(Part::Block { name, line, inside });
                }
            } else {
                stack.push((name.split_whitespace().next().unwrap_or_default().to_lowercase(), line, Vec::new()));
            }
            continue;
        }
        stack.last_mut().expect("the page").2.push(Part::Line(raw.to_string(), line));
    }
    while stack.len() > 1 {
        let (name, line, inside) = stack.pop().expect("a block");
        site.change(file, line, format!("`::: {name}` is never closed: closed at the end of the page"));
        stack.last_mut().expect("the page").2.push(Part::Block { name, line, inside });
    }
    let (_, _, parts) = stack.pop().expect("the page");
    let mut out = Lines { text: String::new(), source: Vec::new() };
    write_parts(site, file, &parts, "", &mut out, objectives, false);
    out
}

fn push(out: &mut Lines, prefix: &str, text: &str, line: usize) {
    if text.is_empty() {
        out.text.push_str(prefix.trim_end());
    } else {
        out.text.push_str(prefix);
        out.text.push_str(text);
    }
    out.text.push('\n');
    out.source.push(line);
}

/// `in_block`: inside an answer already, where another cannot open.
fn write_parts(site: &mut Site, file: &Path, parts: &[Part], prefix: &str, out: &mut Lines, objectives: &mut Vec<String>, in_block: bool) {
    for part in parts {
        match part {
            Part::Line(text, line) => {
                let (text, changed) = attributes(text);
                if let Some(what) = changed {
                    site.change(file, *line, what);
                }
                push(out, prefix, &text, *line);
            }
            Part::Block { name, line, inside } => {
                let line = *line;
                match name.as_str() {
                    "objectives" => {
                        for part in inside {
                            if let Part::Line(text, _) = part
                                && let Some(item) = text.trim_start().strip_prefix("- ").or_else(|| text.trim_start().strip_prefix("* "))
                            {
                                objectives.push(item.trim().to_string());
                            }
                        }
                        site.change(file, line, "`objectives` block: its items are the workshop's `objectives`");
                    }
                    "solution" | "instructor" if !(in_block && name == "solution") => {
                        let kind = if name == "instructor" { "trainer" } else { "answer" };
                        push(out, prefix, "", line);
                        push(out, prefix, &format!("::: {kind}"), line);
                        write_parts(site, file, inside, prefix, out, objectives, in_block || name == "solution");
                        push(out, prefix, ":::", line);
                        push(out, prefix, "", line);
                        site.change(file, line, format!("`{name}` block: a `::: {kind}` block"));
                    }
                    "challenge" => {
                        // An exercise: its own heading, or one; its solution is its answer.
                        let heading = inside.iter().find_map(|p| match p {
                            Part::Line(t, _) if !t.trim().is_empty() => Some(t.trim_start().starts_with('#')),
                            _ => None,
                        });
                        if heading != Some(true) {
                            push(out, prefix, "", line);
                            push(out, prefix, "### Challenge", line);
                        }
                        write_parts(site, file, inside, prefix, out, objectives, in_block);
                        site.change(file, line, "`challenge` block: an exercise in the page, its `solution` its answer");
                    }
                    other => {
                        let (alert, label) = match other {
                            "questions" => ("NOTE", Some("Questions")),
                            "keypoints" => ("TIP", Some("Key points")),
                            "prereq" => ("IMPORTANT", Some("Prerequisites")),
                            "caution" => ("CAUTION", None),
                            "discussion" => ("TIP", Some("Discussion")),
                            "testimonial" => ("NOTE", None),
                            "callout" | "checklist" | "hint" | "spoiler" => ("NOTE", None),
                            // A solution inside another: a callout in its answer.
                            "solution" => ("NOTE", Some("Solution")),
                            _ => ("NOTE", None),
                        };
                        let inner = format!("{prefix}> ");
                        push(out, prefix, "", line);
                        push(out, prefix, &format!("> [!{alert}]"), line);
                        if let Some(label) = label {
                            push(out, &inner, &format!("**{label}**"), line);
                            push(out, &inner, "", line);
                        }
                        write_parts(site, file, inside, &inner, out, objectives, in_block);
                        push(out, prefix, "", line);
                        site.change(file, line, format!("`{other}` block: a `[!{alert}]` callout"));
                    }
                }
            }
        }
    }
}

/// A line with Pandoc's attributes made casebook's: `![](x.png){alt='…'}` gets the alt
/// text, other attributes after a picture or link go; `[term]{#id}` keeps its anchor as an
/// HTML id. Says what changed.
fn attributes(text: &str) -> (String, Option<String>) {
    if !text.contains("){") && !text.contains("]{#") {
        return (text.to_string(), None);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut changed = Vec::new();
    while let Some(at) = rest.find('{') {
        let before = &rest[..at];
        let Some(close) = rest[at..].find('}').map(|c| at + c) else {
            break;
        };
        let inside = &rest[at + 1..close];
        if before.ends_with(')') {
            // After a link or picture: the alt text goes into `![…]`.
            let alt = attribute(inside, "alt");
            let mut head = before.to_string();
            if let (Some(alt), Some(open)) = (alt, head.rfind("![](")) {
                head.replace_range(open..open + 4, &format!("![{}](", alt.replace(['[', ']'], "")));
                changed.push("alt text from `{alt=…}`".to_string());
            } else {
                changed.push(format!("attributes `{{{inside}}}` left out"));
            }
            out.push_str(&head);
            rest = &rest[close + 1..];
            continue;
        }
        if before.ends_with(']') && inside.starts_with('#') {
            // `[term]{#id}`: the term, with its anchor.
            if let Some(open) = before.rfind('[') {
                let id = inside[1..].split_whitespace().next().unwrap_or_default();
                out.push_str(&before[..open]);
                out.push_str(&format!("<span id=\"{id}\">{}</span>", &before[open + 1..before.len() - 1]));
                changed.push(format!("`{{#{id}}}` kept as an anchor"));
                rest = &rest[close + 1..];
                continue;
            }
        }
        out.push_str(&rest[..=at]);
        rest = &rest[at + 1..];
    }
    out.push_str(rest);
    let changed = (!changed.is_empty()).then(|| changed.join("; "));
    (out, changed)
}

/// The value of `name='…'` or `name="…"` in Pandoc attributes.
fn attribute(inside: &str, name: &str) -> Option<String> {
    let at = inside.find(&format!("{name}="))? + name.len() + 1;
    let rest = &inside[at..];
    let quote = rest.chars().next()?;
    if quote == '\'' || quote == '"' {
        let end = rest[1..].find(quote)?;
        Some(rest[1..1 + end].to_string())
    } else {
        Some(rest.split_whitespace().next()?.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pandoc_attributes_become_alt_text_and_anchors() {
        assert_eq!(
            attributes("![](fig/a.svg){alt='The tree'} after").0,
            "![The tree](fig/a.svg) after"
        );
        assert_eq!(attributes("[absolute path]{#absolute-path}").0, "<span id=\"absolute-path\">absolute path</span>");
        assert_eq!(attributes("![x](a.png){width=\"50%\"}").0, "![x](a.png)");
        assert_eq!(attributes("a {b} c").0, "a {b} c");
        assert_eq!(pandoc_id("1. The Shell's history"), "the-shells-history");
    }
}
