//! `casebook init [DIR]`: a new site that builds at once with nothing to fix, each file
//! saying what it is for; `--example`: the bundled curriculum, which the binary carries,
//! so that a trainer who installed only the program has the whole example.

use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, display_path};
use crate::scaffold::{NewError, write_new};
use crate::values::Date;

/// The bundled curriculum: `casebook.yaml`, `curriculum/` and `fact-patterns/` as they are in
/// casebook's repository (listed by `build.rs`).
const EXAMPLE: &[(&str, &[u8])] = include!(concat!(env!("OUT_DIR"), "/example.rs"));

/// Writes a new site into `dir` (made if missing) and returns the files written, relative to
/// it. Refuses a folder that is a site already or holds any file it would write; never
/// overwrites.
pub fn init(dir: &Path, example: bool, today: Date) -> Result<Vec<PathBuf>, NewError> {
    let files: Vec<(PathBuf, Vec<u8>)> = if example {
        EXAMPLE
            .iter()
            .map(|(path, bytes)| (PathBuf::from(path), bytes.to_vec()))
            .collect()
    } else {
        starter(today)
            .into_iter()
            .map(|(path, text)| (PathBuf::from(path), text.into_bytes()))
            .collect()
    };
    if dir.join(crate::config::FILE).exists() {
        return Err(NewError::Usage(
            Diagnostic::error(format!(
                "`{}` is a casebook site already: it has a `casebook.yaml`",
                dir.display()
            ))
            .hint("give `casebook init` a new folder, e.g. `casebook init our-programme`; inside a site, `casebook new` adds a workshop, a lesson or a fact pattern"),
        ));
    }
    let taken: Vec<&Path> = files
        .iter()
        .map(|(path, _)| path.as_path())
        .filter(|path| dir.join(path).exists())
        .collect();
    if let Some(first) = taken.first() {
        return Err(NewError::Usage(
            Diagnostic::error(format!(
                "`{}` holds `{}` already{}",
                dir.display(),
                display_path(first),
                match taken.len() {
                    1 => String::new(),
                    n => format!(" and {} more of the files a new site has", n - 1),
                }
            ))
            .hint("give `casebook init` a new or empty folder: casebook never overwrites a file"),
        ));
    }
    std::fs::create_dir_all(dir).map_err(|e| {
        NewError::Failed(Diagnostic::error(format!(
            "cannot create `{}`: {e}",
            dir.display()
        )))
    })?;
    let mut written = Vec::with_capacity(files.len());
    for (path, bytes) in files {
        write_new(dir, &path, &bytes)?;
        written.push(path);
    }
    Ok(written)
}

/// The starter site: a programme page, a workshop with one lesson, a fact pattern, and the
/// toolkit with an empty directory, each saying what it is and what to do with it.
fn starter(today: Date) -> Vec<(&'static str, String)> {
    vec![
        (
            "casebook.yaml",
            r#"# The site's settings. Every key is in casebook's guide, "Reference".
title: Our training programme
# Where the site will be published. `/` works on any server for a start; before you
# print PDFs, write its full address (e.g. https://training.yourunion.org/): their covers
# print it, and their QR codes lead back to it.
base_url: /
# The language pages are written in; a translation of `page.md` is `page.LANG.md`.
default_language: en
languages:
  en: { name: English }
# How long a lawyer's review of a page holds before `check` asks for another.
review_every: 12 months
"#
            .to_string(),
        ),
        (
            "curriculum/_index.md",
            format!(
                r#"---
title: Our training programme
summary: Who the programme is for, when it meets, and what mentees learn.
reviewed: {today}
---

This is the programme page, the first page readers see. Say here who the programme is
for, when it meets and how to join. The workshops are listed after this text, in the
order of their `session` numbers, then the toolkit.

Each page is a Markdown file that starts with front matter: the lines between the two
`---` lines. Preview the site with `casebook serve`, and run `casebook check` before you
publish it with `casebook build`.
"#
            ),
        ),
        (
            "curriculum/01-first-workshop/_index.md",
            format!(
                r#"---
title: First workshop
summary: What this workshop is about, in one sentence.
session: 1
duration: 45m
objectives:
  - What a mentee can do after this workshop
reviewed: {today}
---

A workshop is a folder in `curriculum/` with this `_index.md`: its title, its session
number and what a mentee will learn. Its lessons are the other Markdown files in the
folder, in the order of their file names. Add one with
`casebook new lesson 01-first-workshop/02-next-step`.

::: trainer
Facilitator notes go in a `::: trainer` block like this one: the trainer edition shows
them, and the mentee edition leaves them out everywhere.
:::
"#
            ),
        ),
        (
            "curriculum/01-first-workshop/01-first-lesson.md",
            format!(
                r#"---
title: First lesson
duration: 45m
reviewed: {today}
---

## What to know

A lesson is a page of plain Markdown. Write short sentences: many readers use English as
a second language, on a phone.

> [!TIP]
> A callout like this one holds a practical tip.

Where a lesson states the law, name the ordinance and section in the page's `sources`,
and set `reviewed` to the day a lawyer checked it.

## Quick check: who decides {{#quick-check-who-decides}}

A worker asks you what she should do. Who decides?

::: answer
She does. You explain her options and what each one means; she chooses.
:::
"#
            ),
        ),
        (
            "fact-patterns/first-case.md",
            format!(
                r#"---
title: A first case
topics: [wages]
level: foundation
workshop: 01-first-workshop
time: 20m
reviewed: {today}
answers: reveal
---

## Facts

A fact pattern is a case to analyse in a workshop: the facts, the questions, and model
answers. Every name in it is invented. Ana (an invented worker) says her employer paid
her a week late this month.

## Questions

1. What do you ask her first?

   ::: answer
   When her wages were due and when she was paid, and whether it has happened before.
   With `answers: reveal`, mentees open this answer when they are ready; with
   `answers: trainer`, only the trainer edition has it.
   :::
"#
            ),
        ),
        (
            "curriculum/toolkit/_index.md",
            format!(
                r#"---
title: Toolkit
summary: Checklists, templates and the directory of help.
reviewed: {today}
---

The toolkit holds what mentees use on a case: checklists and templates, each a Markdown
file in this folder, and the directory of help (`referrals.yaml`), which casebook turns
into a "Get help" page that works offline.
"#
            ),
        ),
        (
            "curriculum/toolkit/referrals.yaml",
            r#"# The directory of help: one entry per service, shown on the "Get help" page, which
# works offline. Call or check each service before you add it. An entry looks like this
# (remove the `#` at the start of its lines and the `[]` at the end):
#
# - name: The shelter's name
#   kind: shelter
#   phone: "+852 0000 0000"
#   hours: 24h
#   languages: [English]
#   verified: 2026-01-31
#   source: where you checked it
[]
"#
            .to_string(),
        ),
    ]
}
