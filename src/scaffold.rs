//! `casebook new`: starter files for a workshop, a lesson or a fact pattern, with every front
//! matter field filled in with an example, so a trainer sees what can be set.

use std::fs;
use std::path::{Path, PathBuf};

use crate::diag::Diagnostic;
use crate::discover::{CURRICULUM, FACT_PATTERNS, INDEX};
use crate::values::Date;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum What {
    Workshop,
    Lesson,
    FactPattern,
}

fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !name.starts_with('-')
}

fn title_of(name: &str) -> String {
    let words: Vec<&str> = name
        .split('-')
        .filter(|w| !w.chars().all(|c| c.is_ascii_digit()))
        .collect();
    let mut title = words.join(" ");
    if let Some(first) = title.get(..1) {
        title = first.to_uppercase() + &title[1..];
    }
    if title.is_empty() {
        "Untitled".to_string()
    } else {
        title
    }
}

/// Why `casebook new` could not create a file.
#[derive(Debug)]
pub enum NewError {
    /// The name given is not usable (a usage error: exit code 2).
    Usage(Diagnostic),
    /// The file exists, or could not be written (exit code 1).
    Failed(Diagnostic),
}

/// Creates the starter file and returns its path (relative to `root`). Never overwrites.
pub fn create(root: &Path, what: What, name: &str, today: Date) -> Result<PathBuf, NewError> {
    let usage =
        |msg: String, hint: &str| NewError::Usage(Diagnostic::error(msg).hint(hint.to_string()));
    // A starter file outside a site would make a `curriculum/` folder nobody builds.
    if !root.join(crate::config::FILE).is_file() {
        return Err(usage(
            format!(
                "`{}` is not a casebook site: it has no `casebook.yaml`",
                root.display()
            ),
            "run `casebook new` inside your site's folder (the one with `casebook.yaml`), or give it with `--root FOLDER`",
        ));
    }
    let (path, text) = match what {
        What::Workshop => {
            if !valid_name(name) {
                return Err(usage(
                    format!("`{name}` is not a valid workshop folder name"),
                    "use lowercase letters, digits and `-`, starting with its number, e.g. `09-housing-and-food`",
                ));
            }
            let path = Path::new(CURRICULUM).join(name).join(format!("{INDEX}.md"));
            let session = name
                .split('-')
                .next()
                .and_then(|n| n.parse::<u32>().ok())
                .unwrap_or(1);
            (path, workshop(&title_of(name), session, today))
        }
        What::Lesson => {
            let Some((workshop, lesson)) = name.split_once('/') else {
                return Err(usage(
                    format!("`{name}` does not say which workshop the lesson is in"),
                    "write `WORKSHOP/LESSON`, e.g. `casebook new lesson 01-case-screening/04-follow-up`",
                ));
            };
            if !valid_name(workshop) || !valid_name(lesson) {
                return Err(usage(
                    format!("`{name}` is not a valid lesson name"),
                    "use lowercase letters, digits and `-`, e.g. `01-case-screening/04-follow-up`",
                ));
            }
            if !root
                .join(CURRICULUM)
                .join(workshop)
                .join(format!("{INDEX}.md"))
                .is_file()
            {
                return Err(usage(
                    format!("there is no workshop `{workshop}`"),
                    "create it first with `casebook new workshop NAME`, or check the folder name in `curriculum/`",
                ));
            }
            (
                Path::new(CURRICULUM)
                    .join(workshop)
                    .join(format!("{lesson}.md")),
                lesson_text(&title_of(lesson), today),
            )
        }
        What::FactPattern => {
            if !valid_name(name) {
                return Err(usage(
                    format!("`{name}` is not a valid fact pattern name"),
                    "use lowercase letters, digits and `-`, e.g. `unpaid-wages`",
                ));
            }
            (
                Path::new(FACT_PATTERNS).join(format!("{name}.md")),
                fact_pattern(&title_of(name), today),
            )
        }
    };
    write_new(root, &path, text.as_bytes())?;
    Ok(path)
}

/// Writes `bytes` to `path` below `root`, making its folders: never over a file that exists,
/// and never through a symbolic link.
pub(crate) fn write_new(root: &Path, path: &Path, bytes: &[u8]) -> Result<(), NewError> {
    let full = root.join(path);
    if let Some(link) = crate::source::link_on_the_way(root, path) {
        return Err(NewError::Failed(
            Diagnostic::error(format!(
                "refusing to write `{}`: `{}` is a symbolic link",
                crate::diag::display_path(path),
                crate::diag::display_path(&link)
            ))
            .hint("casebook writes only inside the site folder: replace the link with a real folder"),
        ));
    }
    if full.exists() {
        return Err(NewError::Failed(
            Diagnostic::error(format!(
                "`{}` already exists",
                crate::diag::display_path(path)
            ))
            .hint("choose another name; casebook never overwrites a file"),
        ));
    }
    if let Some(parent) = full.parent() {
        fs::create_dir_all(parent).map_err(|e| {
            NewError::Failed(Diagnostic::error(format!(
                "cannot create `{}`: {e}",
                parent.display()
            )))
        })?;
    }
    // `create_new`: never overwrite, and never write through a link made meanwhile.
    let written = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&full)
        .and_then(|mut file| std::io::Write::write_all(&mut file, bytes));
    written.map_err(|e| {
        NewError::Failed(Diagnostic::error(format!(
            "cannot write `{}`: {e}",
            full.display()
        )))
    })?;
    Ok(())
}

fn workshop(title: &str, session: u32, today: Date) -> String {
    format!(
        r#"---
title: {title}
summary: One sentence on what this workshop is about.
session: {session}
# date: {today}
duration: 3h
objectives:
  - What a participant can do after this workshop
prerequisites:
  - What they should know before it
reviewed: {today}
review_every: 12 months
sources:
  - "Employment Ordinance (Cap. 57), s. 0 (replace with the section you rely on)"
draft: true
# audience: trainer
---

Introduce the workshop here: who it is for and what happens on the day.

::: trainer
Facilitator notes: a timetable for the day, materials to bring, what to watch for.
These notes appear only in the trainer edition.
:::
"#
    )
}

fn lesson_text(title: &str, today: Date) -> String {
    format!(
        r#"---
title: {title}
# weight: 1
duration: 45m
reviewed: {today}
review_every: 12 months
sources: []
draft: true
# audience: trainer
---

## What to know

Write the lesson in plain words.

> [!TIP]
> A practical tip for the first conversation.

::: roleplay A first phone call
**Roles:** a worker, a union leader.

**Worker:** Hello, is this the union?
:::

::: trainer
How to run this lesson, and how long each part takes.
:::
"#
    )
}

fn fact_pattern(title: &str, today: Date) -> String {
    format!(
        r#"---
title: {title}
topics: [wages]
level: foundation
# workshop: 03-wages-and-rest-days
time: 30m
reviewed: {today}
sources: []
answers: reveal
draft: true
# audience: trainer
---

## Facts

Tell the story. Every name is invented; no phone numbers, ID or passport numbers.

## Questions

### 1. What is the first question?

::: answer
The model answer, citing the law (ordinance and section).
:::

::: trainer
How to run the exercise, and the common mistakes.
:::
"#
    )
}
