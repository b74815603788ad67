//! The referral directory: `curriculum/toolkit/referrals.yaml` → [`Referral`]s, every field
//! checked (kind, phone numbers, dates) with its line.

use std::path::Path;

use super::hours::{self, Hours};
use crate::diag::Diagnostic;
use crate::schema::YamlReader;
use crate::values::Date;
use crate::yaml::{self, Value};

pub const KINDS: [&str; 7] = [
    "shelter",
    "legal-aid",
    "counselling",
    "government",
    "union",
    "consulate",
    "hotline",
];
const KEYS: &[&str] = &[
    "name",
    "kind",
    "phone",
    "whatsapp",
    "email",
    "website",
    "address",
    "hours",
    "languages",
    "notes",
    "verified",
    "source",
];

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Referral {
    pub name: String,
    pub kind: String,
    pub phone: Option<String>,
    pub whatsapp: Option<String>,
    pub email: Option<String>,
    pub website: Option<String>,
    pub address: Option<String>,
    pub hours: Option<Hours>,
    pub languages: Vec<String>,
    pub notes: Option<String>,
    #[serde(skip)]
    pub verified: Option<Date>,
    pub source: Option<String>,
    /// The line the entry starts on, for `check`.
    pub line: usize,
}

/// The digits of a phone number with a leading `+` kept: what a `tel:` link needs.
pub fn dial_string(phone: &str) -> String {
    let plus = phone.trim_start().starts_with('+');
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    if plus { format!("+{digits}") } else { digits }
}

pub fn parse(text: &str, file: &Path, diagnostics: &mut Vec<Diagnostic>) -> Vec<Referral> {
    let tree = match yaml::parse(text) {
        Ok(tree) => tree,
        Err(e) => {
            diagnostics.push(e.diagnostic(file, 0));
            return Vec::new();
        }
    };
    let mut r = YamlReader::new(file, 0, diagnostics);
    let items = match &tree.value {
        Value::Seq(items) => items,
        Value::Null => return Vec::new(),
        other => {
            let kind = other.kind();
            r.error(
                &tree,
                format!("the referral directory must be a list of entries, found {kind}"),
                "start each entry with `- name: …`",
            );
            return Vec::new();
        }
    };
    let mut out = Vec::new();
    for item in items {
        if let Value::Str(text) = &item.value {
            r.error(
                item,
                format!("this referral entry is only text: `{text}`"),
                format!("write each entry as `key: value` lines, e.g.\n- name: {text}\n  kind: legal-aid"),
            );
            continue;
        }
        let Some(f) = r.fields(item, KEYS, "referral") else {
            continue;
        };
        let errors_before = r.diagnostics.iter().filter(|d| d.is_error()).count();
        let text = |r: &mut YamlReader<'_>, key: &str| f.get(key).and_then(|n| r.string(n, key));
        let name = match f.get("name") {
            Some(n) => r.string(n, "name"),
            None => {
                r.missing(
                    &f,
                    "name",
                    "a referral entry",
                    "name: Example Legal Aid Desk",
                );
                None
            }
        };
        let kind = match f.get("kind") {
            Some(n) => r.choice(n, "kind", &KINDS),
            None => {
                r.missing(&f, "kind", "a referral entry", "kind: legal-aid");
                None
            }
        };
        let mut numbers = Vec::new();
        for key in ["phone", "whatsapp"] {
            let value = text(&mut r, key);
            if let (Some(v), Some(n)) = (&value, f.get(key)) {
                let digits = dial_string(v).trim_start_matches('+').len();
                let allowed = v.chars().all(|c| c.is_ascii_digit() || " +-()".contains(c));
                if digits < 3 || !allowed {
                    r.error(n, format!("`{v}` is not a phone number"), format!("write the number with digits, spaces and a leading `+`, e.g. `{key}: \"+852 2717 1771\"`"));
                }
            }
            numbers.push(value);
        }
        let email = text(&mut r, "email");
        if let (Some(e), Some(n)) = (&email, f.get("email"))
            && (!e.contains('@') || e.contains(' '))
        {
            r.error(
                n,
                format!("`{e}` is not an email address"),
                "write it as `name@example.org`",
            );
        }
        let website = text(&mut r, "website");
        if let (Some(w), Some(n)) = (&website, f.get("website"))
            && !(w.starts_with("https://") || w.starts_with("http://"))
        {
            r.error(
                n,
                format!("`{w}` is not a web address"),
                "write the full address, starting with `https://`",
            );
        }
        let hours = text(&mut r, "hours").map(|written| match hours::parse(&written) {
            Ok(Hours::Text(words)) => {
                let lower = words.to_ascii_lowercase();
                if (lower.starts_with("24 hour") || lower.starts_with("24-hour"))
                    && let Some(n) = f.get("hours")
                {
                    r.warning_at(
                        n,
                        format!("`{words}` is not marked as answering at any hour"),
                        "write `hours: 24h` (a note may follow in brackets: `24h (answered by 1823)`), so the directory marks it and lists it first",
                    );
                }
                Hours::Text(words)
            }
            Ok(read) => read,
            Err(why) => {
                if let Some(n) = f.get("hours") {
                    r.warning_at(
                        n,
                        format!("these hours are shown as written and not marked open or closed: {why}"),
                        format!("write {}", hours::EXAMPLE),
                    );
                }
                Hours::Text(written)
            }
        });
        let verified = f.get("verified").and_then(|n| r.date(n, "verified"));
        let languages = f
            .get("languages")
            .and_then(|n| r.string_list(n, "languages"))
            .unwrap_or_default();
        let entry = Referral {
            name: name.unwrap_or_default(),
            kind: kind.unwrap_or_default(),
            whatsapp: numbers.pop().flatten(),
            phone: numbers.pop().flatten(),
            email,
            website,
            address: text(&mut r, "address"),
            hours,
            languages,
            notes: text(&mut r, "notes"),
            verified,
            source: text(&mut r, "source"),
            line: item.line,
        };
        if r.diagnostics.iter().filter(|d| d.is_error()).count() == errors_before {
            out.push(entry);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tel_links_keep_the_plus_and_digits() {
        assert_eq!(dial_string("+852 2717 1771"), "+85227171771");
        assert_eq!(dial_string("999"), "999");
    }

    #[test]
    fn bad_kind_is_reported_with_a_suggestion() {
        let mut d = Vec::new();
        let got = parse("- name: A\n  kind: shelters\n", Path::new("r.yaml"), &mut d);
        assert!(got.is_empty());
        assert_eq!(
            (d[0].line, d[0].message.as_str()),
            (2, "`shelters` is not a valid `kind`")
        );
        assert!(
            d[0].hint
                .as_deref()
                .unwrap_or_default()
                .starts_with("did you mean `shelter`?")
        );
    }
}
