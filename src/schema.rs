//! Typed reading of YAML trees (front matter, `casebook.yaml`, `referrals.yaml`): checks each
//! key against the keys allowed there (with a "did you mean" for typos) and each value against
//! its expected type, collecting every problem as a [`Diagnostic`] at its file and line.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, did_you_mean};
use crate::values::{Date, Minutes, Period};
use crate::yaml::{Item, Key, Value};

/// Reads values out of one YAML tree, collecting diagnostics. `line_offset` is added to the
/// tree's line numbers (front matter starts on line 2 of its file).
pub struct YamlReader<'d> {
    /// Keys suggested for typos, so a "missing key" error is not reported on top.
    suggested: Vec<String>,
    pub file: PathBuf,
    pub line_offset: usize,
    pub diagnostics: &'d mut Vec<Diagnostic>,
}

/// The entries of a mapping, by key, after unknown keys were reported.
pub struct Fields<'n> {
    entries: BTreeMap<&'n str, (&'n Key, &'n Item)>,
    /// Where the mapping is, for "missing key" errors.
    pub line: usize,
    pub col: usize,
}

impl<'n> Fields<'n> {
    pub fn get(&self, key: &str) -> Option<&'n Item> {
        self.entries.get(key).map(|(_, node)| *node)
    }

    pub fn key(&self, key: &str) -> Option<&'n Key> {
        self.entries.get(key).map(|(k, _)| *k)
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

impl<'d> YamlReader<'d> {
    pub fn new(
        file: impl Into<PathBuf>,
        line_offset: usize,
        diagnostics: &'d mut Vec<Diagnostic>,
    ) -> Self {
        YamlReader {
            suggested: Vec::new(),
            file: file.into(),
            line_offset,
            diagnostics,
        }
    }

    /// Whether a typo of `key` was already reported with a suggestion of it.
    pub fn suggested(&self, key: &str) -> bool {
        self.suggested.iter().any(|s| s == key)
    }

    pub fn file(&self) -> &Path {
        &self.file
    }

    fn at(&self, line: usize, col: usize, diagnostic: Diagnostic) -> Diagnostic {
        diagnostic.at(&self.file, line + self.line_offset, col)
    }

    /// Reports a problem at a node.
    pub fn error(&mut self, node: &Item, message: impl Into<String>, hint: impl Into<String>) {
        let width = node.as_text().map(|t| t.chars().count()).unwrap_or(1);
        let d = self
            .at(node.line, node.col, Diagnostic::error(message).hint(hint))
            .width(width);
        self.diagnostics.push(d);
    }

    /// Reports a problem at a key.
    pub fn key_error(&mut self, key: &Key, message: impl Into<String>, hint: impl Into<String>) {
        let d = self
            .at(key.line, key.col, Diagnostic::error(message).hint(hint))
            .width(key.name.chars().count());
        self.diagnostics.push(d);
    }

    pub fn warning_at(&mut self, node: &Item, message: impl Into<String>, hint: impl Into<String>) {
        let d = self.at(node.line, node.col, Diagnostic::warning(message).hint(hint));
        self.diagnostics.push(d);
    }

    /// A mapping whose keys must be among `allowed`; `what` names it in messages
    /// ("front matter", "casebook.yaml"). Unknown keys are reported with a suggestion.
    pub fn fields<'n>(
        &mut self,
        node: &'n Item,
        allowed: &[&str],
        what: &str,
    ) -> Option<Fields<'n>> {
        let entries = match &node.value {
            Value::Map(entries) => entries,
            Value::Null => {
                return Some(Fields {
                    entries: BTreeMap::new(),
                    line: node.line,
                    col: node.col,
                });
            }
            other => {
                let kind = other.kind();
                let hint = match other {
                    Value::Str(s) if s.contains(':') => {
                        "put a space after the `:` of each `key: value` line"
                    }
                    Value::Seq(_) => "write one `key: value` per line, without a `- ` in front",
                    _ => "write one `key: value` per line",
                };
                self.error(
                    node,
                    format!("{what} must be a set of `key: value` lines, found {kind}"),
                    hint,
                );
                return None;
            }
        };
        let mut fields = BTreeMap::new();
        for (key, value) in entries {
            if allowed.contains(&key.name.as_str()) {
                fields.insert(key.name.as_str(), (key, value));
                continue;
            }
            let hint = match did_you_mean(&key.name, allowed.iter().copied()) {
                Some(suggestion) => {
                    self.suggested.push(suggestion.to_string());
                    format!("did you mean `{suggestion}`?")
                }
                None => format!(
                    "the keys allowed here are: {}",
                    allowed
                        .iter()
                        .map(|k| format!("`{k}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            self.key_error(key, format!("unknown {what} key `{}`", key.name), hint);
        }
        Some(Fields {
            entries: fields,
            line: node.line,
            col: node.col,
        })
    }

    /// Reports a required key that is missing.
    pub fn missing(&mut self, fields: &Fields<'_>, key: &str, what: &str, example: &str) {
        if self.suggested.iter().any(|s| s == key) {
            return;
        }
        let d = self.at(
            fields.line,
            fields.col,
            Diagnostic::error(format!("{what} is missing the required key `{key}`"))
                .hint(format!("add a line such as `{example}`")),
        );
        self.diagnostics.push(d);
    }

    pub fn string(&mut self, node: &Item, key: &str) -> Option<String> {
        match &node.value {
            Value::Str(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
            Value::Str(_) | Value::Null => {
                self.error(
                    node,
                    format!("`{key}` is empty"),
                    format!("give `{key}` a value or delete the line"),
                );
                None
            }
            Value::Int(_) | Value::Float(_) | Value::Bool(_) => node.as_text(),
            other => {
                let kind = other.kind();
                self.error(
                    node,
                    format!("`{key}` must be text, found {kind}"),
                    format!(
                        "write it on one line after `{key}:`, in quotes if it contains `:` or `#`"
                    ),
                );
                None
            }
        }
    }

    pub fn string_list(&mut self, node: &Item, key: &str) -> Option<Vec<String>> {
        match &node.value {
            Value::Seq(items) => {
                let mut out = Vec::new();
                for item in items {
                    if let Some(s) = self.string(item, key) {
                        out.push(s);
                    }
                }
                Some(out)
            }
            Value::Str(s) => Some(vec![s.trim().to_string()]),
            other => {
                let kind = other.kind();
                self.error(
                    node,
                    format!("`{key}` must be a list, found {kind}"),
                    format!("write each item on its own line starting with `- `, under `{key}:`"),
                );
                None
            }
        }
    }

    pub fn integer(&mut self, node: &Item, key: &str) -> Option<i64> {
        match &node.value {
            Value::Int(i) => Some(*i),
            Value::Str(s) if s.trim().parse::<i64>().is_ok() => s.trim().parse().ok(),
            other => {
                let kind = match other {
                    Value::Float(f) => format!("`{f}`"),
                    _ => other.kind().to_string(),
                };
                self.error(
                    node,
                    format!("`{key}` must be a whole number, found {kind}"),
                    format!("write a number, e.g. `{key}: 3`"),
                );
                None
            }
        }
    }

    pub fn boolean(&mut self, node: &Item, key: &str) -> Option<bool> {
        match &node.value {
            Value::Bool(b) => Some(*b),
            other => {
                let kind = other.kind();
                self.error(
                    node,
                    format!("`{key}` must be `true` or `false`, found {kind}"),
                    format!("write `{key}: true` or `{key}: false`"),
                );
                None
            }
        }
    }

    pub fn date(&mut self, node: &Item, key: &str) -> Option<Date> {
        let hint = node
            .as_text()
            .and_then(|t| date_hint(key, &t))
            .unwrap_or_else(|| {
                format!("write dates as year-month-day, e.g. `{key}: 2026-03-01` for 1 March 2026")
            });
        self.parsed(node, key, Date::parse, "date", &hint)
    }

    pub fn duration(&mut self, node: &Item, key: &str) -> Option<Minutes> {
        self.parsed(
            node,
            key,
            Minutes::parse,
            "duration",
            &format!("write hours and minutes, e.g. `{key}: 3h`, `{key}: 90m` or `{key}: 2h30m`"),
        )
    }

    pub fn period(&mut self, node: &Item, key: &str) -> Option<Period> {
        self.parsed(node, key, Period::parse, "period", &format!("write a number and a unit, e.g. `{key}: 12 months`, `{key}: 1 year` or `{key}: 90 days`"))
    }

    /// A scalar read by `parse`, reported as "not a valid {what}" when it does not parse.
    fn parsed<T>(
        &mut self,
        node: &Item,
        key: &str,
        parse: fn(&str) -> Option<T>,
        what: &str,
        hint: &str,
    ) -> Option<T> {
        let parsed = node.as_text().and_then(|t| parse(&t));
        if parsed.is_none() {
            let shown = node
                .as_text()
                .unwrap_or_else(|| node.value.kind().to_string());
            self.error(
                node,
                format!("`{key}` is not a valid {what}: `{shown}`"),
                hint,
            );
        }
        parsed
    }

    /// One of a fixed set of words.
    pub fn choice(&mut self, node: &Item, key: &str, choices: &[&str]) -> Option<String> {
        let text = node.as_text();
        match text {
            Some(t) if choices.contains(&t.trim()) => Some(t.trim().to_string()),
            _ => {
                let shown = text.unwrap_or_else(|| node.value.kind().to_string());
                let list = choices
                    .iter()
                    .map(|c| format!("`{c}`"))
                    .collect::<Vec<_>>()
                    .join(", ");
                let hint = match did_you_mean(&shown, choices.iter().copied()) {
                    Some(s) => format!("did you mean `{s}`? `{key}` is one of {list}"),
                    None => format!("`{key}` is one of {list}"),
                };
                self.error(node, format!("`{shown}` is not a valid `{key}`"), hint);
                None
            }
        }
    }
}

/// What to write for a date in day and month numbers (`5/12/2026`, `25.12.2026`): which
/// dates it could be, each written as casebook reads it.
fn date_hint(key: &str, text: &str) -> Option<String> {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let parts: Vec<u32> = text
        .trim()
        .split(['/', '.', '-'])
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    let [a, b, year] = parts[..] else {
        return None;
    };
    if year < 1000 {
        return None;
    }
    let read = |day: u32, month: u32| {
        let iso = format!("{year}-{month:02}-{day:02}");
        Date::parse(&iso).map(|_| {
            format!(
                "`{key}: {iso}` for {day} {} {year}",
                MONTHS[month as usize - 1]
            )
        })
    };
    match (read(a, b), read(b, a)) {
        (Some(x), Some(y)) if a != b => Some(format!(
            "`{text}` could be {a} {} or {b} {}: write dates as year-month-day, {x}, {y}",
            MONTHS[b as usize - 1],
            MONTHS[a as usize - 1]
        )),
        (Some(x), _) | (None, Some(x)) => Some(format!("write dates as year-month-day: {x}")),
        (None, None) => None,
    }
}
