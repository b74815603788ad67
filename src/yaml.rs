//! YAML, behind one door: text in, a plain tree out ([`Item`]) in which every key and value
//! keeps its line and column, so later stages can point at the exact spot of a problem and
//! report all of them, not just the first. The only module that knows about serde-saphyr.

use std::path::PathBuf;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;

use crate::diag::Diagnostic;

/// A YAML value with its position (1-based line and column, relative to the text parsed).
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub value: Value,
    pub line: usize,
    pub col: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Item>),
    Map(Vec<(Key, Item)>),
}

/// A mapping key with its position.
#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    pub name: String,
    pub line: usize,
    pub col: usize,
}

/// A YAML syntax error with its position in the text parsed.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntaxError {
    pub line: usize,
    pub col: usize,
    pub message: String,
    pub hint: String,
    /// For a duplicate key: the key and the line where it was first set.
    first: Option<(String, usize)>,
}

impl SyntaxError {
    /// The error as a diagnostic in `file`, whose YAML starts after `line_offset` lines.
    pub fn diagnostic(&self, file: impl Into<PathBuf>, line_offset: usize) -> Diagnostic {
        let hint = match &self.first {
            Some((key, first)) => format!(
                "`{key}` is already set on line {}: keep one of them",
                first + line_offset
            ),
            None => self.hint.clone(),
        };
        let width = self
            .first
            .as_ref()
            .map_or(1, |(key, _)| key.chars().count());
        Diagnostic::error(self.message.clone())
            .at(file, self.line + line_offset, self.col)
            .width(width)
            .hint(hint)
    }
}

impl Value {
    /// The name of the value's type, as a trainer would understand it.
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Null => "nothing",
            Value::Bool(_) => "true/false",
            Value::Int(_) => "a whole number",
            Value::Float(_) => "a number",
            Value::Str(_) => "text",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a set of `key: value` pairs",
        }
    }
}

impl Item {
    /// A scalar as text, the way it was written (numbers and booleans included), for keys
    /// such as `date` or `phone` that YAML may read as a number.
    pub fn as_text(&self) -> Option<String> {
        match &self.value {
            Value::Str(s) => Some(s.clone()),
            Value::Int(i) => Some(i.to_string()),
            Value::Float(f) => Some(f.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }
}

/// Parses one YAML document. An empty document is `Value::Null`.
pub fn parse(text: &str) -> Result<Item, SyntaxError> {
    if text.trim().is_empty() {
        return Ok(Item {
            value: Value::Null,
            line: 1,
            col: 1,
        });
    }
    if let Some(err) = lookalike_space(text) {
        return Err(err);
    }
    match serde_saphyr::from_str::<Spanned<Raw>>(text) {
        Ok(spanned) => Ok(convert(spanned)),
        Err(err) => {
            let (line, col) = err
                .location()
                .map(|l| (l.line() as usize, l.column() as usize))
                .unwrap_or((1, 1));
            Err(explain(text, line.max(1), col.max(1), &err.to_string()))
        }
    }
}

/// Spaces that look like a space but are not one to YAML. Text copied from Word or a web
/// page brings non-breaking spaces, which break indentation and `key: value` silently.
fn is_lookalike_space(c: char) -> bool {
    matches!(
        c,
        '\u{a0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200b}' | '\u{202f}' | '\u{205f}' | '\u{3000}' | '\u{feff}'
    )
}

/// A look-alike space where YAML needs a real one: in the indentation, or right after a
/// line's first `:` or its leading `-`.
fn lookalike_space(text: &str) -> Option<SyntaxError> {
    for (index, line) in text.lines().enumerate() {
        let chars: Vec<char> = line.chars().collect();
        let indent = chars
            .iter()
            .take_while(|c| c.is_whitespace() || **c == '-' || is_lookalike_space(**c))
            .count();
        let after_colon = chars
            .iter()
            .position(|c| *c == ':')
            .map(|i| i + 1)
            .filter(|i| chars.get(*i).is_some_and(|c| is_lookalike_space(*c)));
        let at = (0..indent)
            .find(|i| is_lookalike_space(chars[*i]))
            .or(after_colon);
        if let Some(at) = at {
            let what = match chars[at] {
                '\u{a0}' | '\u{202f}' => "a non-breaking space".to_string(),
                '\u{200b}' | '\u{feff}' => "an invisible zero-width space".to_string(),
                c => format!("a special space (U+{:04X})", u32::from(c)),
            };
            return Some(SyntaxError {
                line: index + 1,
                col: at + 1,
                message: format!("invalid YAML: {what} where YAML needs an ordinary space"),
                hint: "it often comes with text copied from Word or a web page: delete it and type an ordinary space".to_string(),
                first: None,
            });
        }
    }
    None
}

/// Turns serde-saphyr's message (whose first line reads `error: line L column C: what`) into
/// plain words and a hint a trainer can act on, looking at the line it is about.
fn explain(text: &str, line: usize, col: usize, rendered: &str) -> SyntaxError {
    let first = rendered.lines().next().unwrap_or_default();
    let mut what = first.strip_prefix("error: ").unwrap_or(first).to_string();
    if let Some(rest) = what.strip_prefix("line ")
        && let Some((_, after)) = rest.split_once(": ")
    {
        what = after.to_string();
    }
    let lines: Vec<&str> = text.lines().collect();
    let source = lines.get(line - 1).copied().unwrap_or_default();
    let error = |line: usize, col: usize, message: String, hint: String| SyntaxError {
        line,
        col,
        message,
        hint,
        first: None,
    };

    if let Some(key) = what.strip_prefix("duplicate mapping key: ") {
        let key = key.split(", set DuplicateKeyPolicy").next().unwrap_or(key);
        return SyntaxError {
            first: first_setting(&lines, key, line, col).map(|at| (key.to_string(), at)),
            ..error(
                line,
                col,
                format!("duplicate key `{key}`"),
                "each key may appear only once: delete or merge one of them".to_string(),
            )
        };
    }
    if what
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| w == "tab" || w == "tabs")
    {
        // Point at the tab itself: the parser may report the end of the line before it.
        let (line, col) = (line..=line + 1)
            .find_map(|n| {
                let text = lines.get(n - 1)?;
                text.chars().position(|c| c == '\t').map(|i| (n, i + 1))
            })
            .unwrap_or((line, col));
        return error(
            line,
            col,
            "invalid YAML: a tab is used for indentation".to_string(),
            "indent with spaces: YAML does not allow tabs at the start of a line".to_string(),
        );
    }
    if what.contains("recursion limit") || what.contains("budget breached: Depth") {
        return error(
            line,
            col,
            "invalid YAML: the values are nested too deeply".to_string(),
            "front matter needs at most a key and its list: look for stray `[` or `{`".to_string(),
        );
    }
    if let Some(at) = source.chars().position(|c| "“”‘’„«»".contains(c)) {
        return error(
            line,
            at + 1,
            "invalid YAML: curly quotes are not quotes to YAML".to_string(),
            format!(
                "use straight quotes `\"` (word processors curl them as you type), e.g. `{}`",
                quoted(source)
            ),
        );
    }
    // A value opened with `[` or `{` (on this line or the one before) is read as a list or a
    // set of pairs, up to its closing bracket: an unclosed one is the likelier culprit.
    let flows: Vec<Flow> = [line, line.saturating_sub(1)]
        .into_iter()
        .filter_map(|n| Flow::at(n, lines.get(n.checked_sub(1)?)?))
        .collect();
    if let Some(flow) = flows.iter().find(|f| f.unclosed).or(flows.first()) {
        let (open, close) = flow.brackets;
        let (message, hint) = if flow.unclosed {
            (
                format!("invalid YAML: this `{open}` is never closed"),
                format!(
                    "close it with `{close}`; if the bracket is part of the text, put the whole value in quotes, e.g. `{}`",
                    flow.example
                ),
            )
        } else {
            let read_as = if open == '[' {
                "a list"
            } else {
                "a set of `key: value` pairs"
            };
            (
                format!("invalid YAML: a value that starts with `{open}` is read as {read_as}"),
                format!("put the whole value in quotes, e.g. `{}`", flow.example),
            )
        };
        return error(flow.line, flow.col, message, hint);
    }
    // A quoted value runs on, over lines, to the next quote of its kind: point at where the
    // quote that is never closed opens.
    let unclosed = unclosed_quote(&lines, line);
    if what.contains("unclosed quote")
        || (what.contains("trailing content after") && unclosed.is_some())
    {
        let (line, col) = unclosed.unwrap_or((line, col));
        return error(
            line,
            col,
            "invalid YAML: a quote that is never closed".to_string(),
            "end the value with the same quote mark it starts with".to_string(),
        );
    }
    let indentation = "check the indentation of this line and the one before it: the items of a list start with `- ` in the same column, and so do the keys of the same level".to_string();
    let quote_it = || format!("put the whole value in quotes, e.g. `{}`", quoted(source));
    let (col, message, hint) = if what.contains("mapping values are not allowed") {
        if source.chars().take(col - 1).any(|c| c == ':') {
            (
                col,
                "invalid YAML: the value contains `: `".to_string(),
                quote_it(),
            )
        } else {
            let key = source.chars().take_while(|c| *c == ' ').count() + 1;
            (
                key,
                "invalid YAML: this line is indented more than the line above it allows"
                    .to_string(),
                indentation,
            )
        }
    } else if what.contains("did not find expected") || what.contains("simple key expected") {
        (
            col,
            "invalid YAML: this line's indentation does not match the lines above it".to_string(),
            indentation,
        )
    } else if what.contains("trailing content after") {
        (
            col,
            "invalid YAML: text after the closing quote".to_string(),
            quote_it(),
        )
    } else if let Some(c) = value_of(source)
        .and_then(|v| v.chars().next())
        .filter(|c| "@`*&!%|>".contains(*c))
    {
        let shown = if c == '`' {
            "`` ` ``".to_string()
        } else {
            format!("`{c}`")
        };
        (
            col,
            format!("invalid YAML: a value cannot start with {shown}"),
            quote_it(),
        )
    } else {
        (col, format!("invalid YAML: {what}"), indentation)
    };
    error(line, col, message, hint)
}

/// A value written in brackets (`[…]` or `{…}`), which YAML reads as a list or a mapping.
struct Flow {
    line: usize,
    col: usize,
    brackets: (char, char),
    /// More brackets open than close on its line.
    unclosed: bool,
    /// The line with its value in quotes, as a fix to suggest.
    example: String,
}

impl Flow {
    fn at(line: usize, text: &str) -> Option<Flow> {
        let value = value_of(text)?;
        let brackets = match value.chars().next()? {
            '[' => ('[', ']'),
            '{' => ('{', '}'),
            _ => return None,
        };
        let count = |c: char| value.chars().filter(|v| *v == c).count();
        // The value runs to the end of the line.
        let at = text.trim_end().len() - value.len();
        Some(Flow {
            line,
            col: text[..at].chars().count() + 1,
            brackets,
            unclosed: count(brackets.0) > count(brackets.1),
            example: quoted(text),
        })
    }
}

/// The line and column of the nearest quoted value, at or above `line`, whose quote is
/// not closed on its own line.
fn unclosed_quote(lines: &[&str], line: usize) -> Option<(usize, usize)> {
    (1..=line.min(lines.len())).rev().find_map(|n| {
        let text = lines[n - 1];
        let value = value_of(text)?;
        let quote = value.chars().next().filter(|c| *c == '"' || *c == '\'')?;
        let marks = if quote == '"' {
            value.matches('"').count() - value.matches("\\\"").count()
        } else {
            value.matches('\'').count()
        };
        let at = text.trim_end().len() - value.len();
        (marks % 2 == 1).then(|| (n, text[..at].chars().count() + 1))
    })
}

/// The value of a `key: value` or `- value` line, as written.
fn value_of(line: &str) -> Option<&str> {
    let trimmed = line.trim_start();
    let value = match trimmed.strip_prefix("- ") {
        Some(item) => item.split_once(": ").map_or(item, |(_, v)| v),
        None => trimmed.split_once(": ")?.1,
    };
    Some(value.trim()).filter(|v| !v.is_empty())
}

/// `key: value` with the value quoted (straight quotes, curly ones replaced), for hints.
fn quoted(line: &str) -> String {
    let trimmed = line.trim();
    let (key, value) = match trimmed.split_once(": ") {
        Some((key, value)) => (key.trim_start_matches("- "), value.trim()),
        None => ("title", trimmed),
    };
    let value: String = value
        .trim_matches(|c| "“”‘’„«»".contains(c))
        .chars()
        .collect();
    if value.contains('"') {
        format!("{key}: '{}'", value.replace('\'', "''"))
    } else {
        format!("{key}: \"{value}\"")
    }
}

/// The line (1-based) where the mapping that holds a duplicate `key` (at `line`:`col`) first
/// set it: the nearest line above with `key:` in the same column, within the same mapping.
fn first_setting(lines: &[&str], key: &str, line: usize, col: usize) -> Option<usize> {
    for index in (0..line - 1).rev() {
        let text = lines[index];
        let before: String = text.chars().take(col - 1).collect();
        if !before.chars().all(|c| c == ' ' || c == '-') {
            return None;
        }
        let at: String = text.chars().skip(col - 1).collect();
        if at
            .strip_prefix(key)
            .is_some_and(|rest| rest.trim_start().starts_with(':'))
        {
            return Some(index + 1);
        }
        if before.contains('-') {
            return None;
        }
    }
    None
}

fn convert(spanned: Spanned<Raw>) -> Item {
    let line = spanned.referenced.line() as usize;
    let col = spanned.referenced.column() as usize;
    let value = match spanned.value {
        Raw::Null => Value::Null,
        Raw::Bool(b) => Value::Bool(b),
        Raw::Int(i) => Value::Int(i),
        Raw::Float(f) => Value::Float(f),
        Raw::Str(s) => Value::Str(s),
        Raw::Seq(items) => Value::Seq(items.into_iter().map(convert).collect()),
        Raw::Map(entries) => Value::Map(
            entries
                .into_iter()
                .map(|(k, v)| {
                    let key = Key {
                        name: k.value,
                        line: k.referenced.line() as usize,
                        col: k.referenced.column() as usize,
                    };
                    (key, convert(v))
                })
                .collect(),
        ),
    };
    Item { value, line, col }
}

/// What serde-saphyr fills in; converted to [`Item`] so no other module sees `Spanned`.
enum Raw {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Spanned<Raw>>),
    Map(Vec<(Spanned<String>, Spanned<Raw>)>),
}

impl<'de> Deserialize<'de> for Raw {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Raw, D::Error> {
        struct RawVisitor;
        impl<'de> Visitor<'de> for RawVisitor {
            type Value = Raw;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("any YAML value")
            }
            fn visit_unit<E>(self) -> Result<Raw, E> {
                Ok(Raw::Null)
            }
            fn visit_none<E>(self) -> Result<Raw, E> {
                Ok(Raw::Null)
            }
            fn visit_bool<E>(self, b: bool) -> Result<Raw, E> {
                Ok(Raw::Bool(b))
            }
            fn visit_i64<E>(self, i: i64) -> Result<Raw, E> {
                Ok(Raw::Int(i))
            }
            fn visit_u64<E>(self, u: u64) -> Result<Raw, E> {
                Ok(i64::try_from(u)
                    .map(Raw::Int)
                    .unwrap_or(Raw::Float(u as f64)))
            }
            fn visit_f64<E>(self, f: f64) -> Result<Raw, E> {
                Ok(Raw::Float(f))
            }
            fn visit_str<E>(self, s: &str) -> Result<Raw, E> {
                Ok(Raw::Str(s.to_string()))
            }
            fn visit_string<E>(self, s: String) -> Result<Raw, E> {
                Ok(Raw::Str(s))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Raw, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(Raw::Seq(items))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Raw, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    entries.push(entry);
                }
                Ok(Raw::Map(entries))
            }
        }
        deserializer.deserialize_any(RawVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_positions_of_keys_and_values() {
        let node = parse("title: Hello\nobjectives:\n  - one\n").expect("valid YAML");
        let Value::Map(entries) = node.value else {
            panic!("a map")
        };
        assert_eq!(
            (
                entries[1].0.name.as_str(),
                entries[1].0.line,
                entries[1].0.col
            ),
            ("objectives", 2, 1)
        );
        let Value::Seq(items) = &entries[1].1.value else {
            panic!("a list")
        };
        assert_eq!((items[0].line, items[0].col), (3, 5));
    }

    #[test]
    fn explains_duplicate_keys_in_plain_words() {
        let err = parse("a: 1\na: 2\n").expect_err("duplicate key");
        assert_eq!((err.line, err.message.as_str()), (2, "duplicate key `a`"));
    }

    #[test]
    fn explains_unquoted_colons() {
        let err = parse("title: Wages: what is owed\n").expect_err("colon in value");
        assert_eq!(err.line, 1);
        assert!(err.hint.contains("quotes"), "{err:?}");
    }

    #[test]
    fn points_at_what_editors_and_word_processors_put_in() {
        let tab = parse("title: A\n\tweight: 1\n").expect_err("a tab");
        assert_eq!((tab.line, tab.col), (2, 1));
        let nbsp = parse("title:\u{a0}A\n").expect_err("a non-breaking space");
        assert_eq!((nbsp.line, nbsp.col), (1, 7));
        let curly = parse("title: “Wages: owed”\n").expect_err("curly quotes");
        assert!(
            curly.hint.contains(r#"`title: "Wages: owed"`"#),
            "{curly:?}"
        );
    }

    #[test]
    fn points_at_the_quote_or_bracket_that_is_never_closed() {
        let bracket = parse("title: [Draft\nlevel: x\n").expect_err("unclosed bracket");
        assert_eq!(
            (bracket.line, bracket.col, bracket.message.as_str()),
            (1, 8, "invalid YAML: this `[` is never closed")
        );
        let quote = parse("- phone: \"1\n- phone: \"2\"\n").expect_err("unclosed quote");
        assert_eq!((quote.line, quote.col), (1, 10));
    }

    #[test]
    fn a_duplicate_key_names_the_line_of_the_first() {
        let err = parse("- name: A\n  phone: 1\n  hours: 2\n  phone: 3\n").expect_err("duplicate");
        let d = err.diagnostic("r.yaml", 1);
        assert_eq!(d.line, 5);
        assert_eq!(
            d.hint.as_deref(),
            Some("`phone` is already set on line 3: keep one of them")
        );
    }
}
