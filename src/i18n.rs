//! The theme's own words in each language: string tables (built in for en, id and tl,
//! overridable per site), month names for dates, and language names.

use std::collections::BTreeMap;
use std::path::Path;

use crate::diag::{Diagnostic, display_path};
use crate::theme::Theme;
use crate::values::{Date, Minutes};
use crate::yaml::{self, Value};

/// One language's strings, complete: missing ones were filled in from English.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Strings {
    #[serde(flatten)]
    pub map: BTreeMap<String, String>,
    #[serde(skip)]
    pub months: Vec<String>,
    /// Keys that fell back to English, for `check`.
    #[serde(skip)]
    pub missing: Vec<String>,
}

impl Strings {
    pub fn get<'s>(&'s self, key: &'s str) -> &'s str {
        self.map.get(key).map(String::as_str).unwrap_or(key)
    }

    /// `23 November 2026`.
    pub fn date(&self, date: Date) -> String {
        let month = self
            .months
            .get(date.month as usize - 1)
            .cloned()
            .unwrap_or_else(|| format!("{:02}", date.month));
        format!("{} {} {}", date.day, month, date.year)
    }

    /// `3 h 30 min`.
    pub fn duration(&self, d: Minutes) -> String {
        match (d.hours(), d.minutes()) {
            (0, m) => format!("{m} {}", self.get("minutes_short")),
            (h, 0) => format!("{h} {}", self.get("hours_short")),
            (h, m) => format!(
                "{h} {} {m} {}",
                self.get("hours_short"),
                self.get("minutes_short")
            ),
        }
    }
}

struct Table {
    map: BTreeMap<String, String>,
    months: Vec<String>,
}

fn read_table(file: &crate::theme::ThemeFile, diagnostics: &mut Vec<Diagnostic>) -> Option<Table> {
    let shown = file
        .origin
        .clone()
        .unwrap_or_else(|| Path::new("themes/default/i18n").join(&file.name));
    let text = match crate::source::decode(file.bytes.clone(), &shown) {
        Ok(t) => t,
        Err(d) => {
            diagnostics.push(d);
            return None;
        }
    };
    let tree = match yaml::parse(&text) {
        Ok(t) => t,
        Err(e) => {
            diagnostics.push(
                Diagnostic::error(e.message)
                    .at(&shown, e.line, e.col)
                    .hint(e.hint),
            );
            return None;
        }
    };
    let mut table = Table {
        map: BTreeMap::new(),
        months: Vec::new(),
    };
    let Value::Map(entries) = tree.value else {
        diagnostics.push(
            Diagnostic::error(format!(
                "`{}` must be a list of `key: text` lines",
                display_path(&shown)
            ))
            .at(&shown, 1, 1),
        );
        return None;
    };
    for (key, node) in entries {
        match (&key.name[..], &node.value) {
            ("months", Value::Seq(items)) if items.len() == 12 => {
                table.months = items.iter().filter_map(yaml::Item::as_text).collect();
            }
            ("months", _) => diagnostics.push(
                Diagnostic::error("`months` must list the twelve month names")
                    .at(&shown, key.line, key.col)
                    .hint("e.g. `months: [January, February, …, December]`"),
            ),
            (_, _) => match node.as_text() {
                Some(text) => {
                    table.map.insert(key.name.clone(), text);
                }
                None => diagnostics.push(
                    Diagnostic::error(format!("the string `{}` must be text", key.name))
                        .at(&shown, node.line, node.col)
                        .hint("write it on one line, in quotes if it contains `:`"),
                ),
            },
        }
    }
    Some(table)
}

/// Builds the complete string table of each of `languages`.
pub fn load(
    theme: &Theme,
    languages: &[String],
    diagnostics: &mut Vec<Diagnostic>,
) -> BTreeMap<String, Strings> {
    let mut tables: BTreeMap<String, Table> = BTreeMap::new();
    for (lang, file) in &theme.strings {
        if let Some(table) = read_table(file, diagnostics) {
            let entry = tables.entry(lang.clone()).or_insert_with(|| Table {
                map: BTreeMap::new(),
                months: Vec::new(),
            });
            entry.map.extend(table.map);
            if !table.months.is_empty() {
                entry.months = table.months;
            }
        }
    }
    let english = tables.remove("en").unwrap_or(Table {
        map: BTreeMap::new(),
        months: Vec::new(),
    });
    let mut out = BTreeMap::new();
    for lang in languages {
        let own = if lang == "en" { None } else { tables.get(lang) };
        let mut strings = Strings {
            map: english.map.clone(),
            months: english.months.clone(),
            missing: Vec::new(),
        };
        if let Some(own) = own {
            for key in english.map.keys() {
                if !own.map.contains_key(key) {
                    strings.missing.push(key.clone());
                }
            }
            strings.map.extend(own.map.clone());
            if !own.months.is_empty() {
                strings.months = own.months.clone();
            }
        } else if lang != "en" {
            strings.missing = english.map.keys().cloned().collect();
        }
        out.insert(lang.clone(), strings);
    }
    out
}
