//! YAML, behind one door: text in, a plain tree out ([`Node`]) in which every key and value
//! keeps its line and column, so later stages can point at the exact spot of a problem and
//! report all of them, not just the first. The only module that knows about serde-saphyr.

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;

/// A YAML value with its position (1-based line and column, relative to the text parsed).
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
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
    Seq(Vec<Node>),
    Map(Vec<(Key, Node)>),
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

impl Node {
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
pub fn parse(text: &str) -> Result<Node, SyntaxError> {
    if text.trim().is_empty() {
        return Ok(Node {
            value: Value::Null,
            line: 1,
            col: 1,
        });
    }
    match serde_saphyr::from_str::<Spanned<Raw>>(text) {
        Ok(spanned) => Ok(convert(spanned)),
        Err(err) => {
            let (line, col) = err
                .location()
                .map(|l| (l.line() as usize, l.column() as usize))
                .unwrap_or((1, 1));
            Err(explain(line.max(1), col.max(1), &err.to_string()))
        }
    }
}

/// Turns serde-saphyr's message (whose first line reads `error: line L column C: what`) into
/// plain words and a hint a trainer can act on.
fn explain(line: usize, col: usize, rendered: &str) -> SyntaxError {
    let first = rendered.lines().next().unwrap_or_default();
    let mut message = first.strip_prefix("error: ").unwrap_or(first).to_string();
    if let Some(rest) = message.strip_prefix("line ")
        && let Some((_, after)) = rest.split_once(": ")
    {
        message = after.to_string();
    }
    let (message, hint) = if let Some(key) = message.strip_prefix("duplicate mapping key: ") {
        let key = key.split(", set DuplicateKeyPolicy").next().unwrap_or(key);
        (
            format!("duplicate key `{key}`"),
            "each key may appear only once: delete or merge one of them".to_string(),
        )
    } else if message.contains("mapping values are not allowed")
        || message.contains("':' indicator")
    {
        (
            format!("invalid YAML: {message}"),
            "a value that contains `: ` must be put in quotes, e.g. `title: \"Wages: what is owed\"`".to_string(),
        )
    } else if message.contains("tab") {
        (
            format!("invalid YAML: {message}"),
            "indent with spaces, not tabs".to_string(),
        )
    } else {
        (
            format!("invalid YAML: {message}"),
            "check the indentation and quotes on this line and the one before it".to_string(),
        )
    };
    SyntaxError {
        line,
        col,
        message,
        hint,
    }
}

fn convert(spanned: Spanned<Raw>) -> Node {
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
    Node { value, line, col }
}

/// What serde-saphyr fills in; converted to [`Node`] so no other module sees `Spanned`.
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
}
