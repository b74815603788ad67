//! Site configuration: `casebook.yaml` → [`Config`], every key typed and checked.

use std::path::Path;

use crate::diag::Diagnostic;
use crate::schema::YamlReader;
use crate::values::Period;
use crate::yaml;

pub const FILE: &str = "casebook.yaml";

const KEYS: &[&str] = &[
    "title",
    "base_url",
    "default_language",
    "languages",
    "review_every",
    "bundles",
    "theme",
    "paper",
];
const LANGUAGE_KEYS: &[&str] = &["name"];
const BUNDLE_KEYS: &[&str] = &["id", "title", "include", "edition"];

#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub title: String,
    /// Absolute URL or path of the site's root, always ending in `/`.
    pub base_url: String,
    /// Where `base_url` is written in `casebook.yaml` (line, column, width), for warnings
    /// about it.
    pub base_url_at: Option<(usize, usize, usize)>,
    pub default_language: String,
    /// In the order written; the default language first.
    pub languages: Vec<Language>,
    pub review_every: Period,
    pub bundles: Vec<Bundle>,
    pub theme: String,
    /// Paper size of the PDFs.
    pub paper: Paper,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paper {
    A4,
    Letter,
}

impl Paper {
    /// The name typst knows it by.
    pub fn as_str(self) -> &'static str {
        match self {
            Paper::A4 => "a4",
            Paper::Letter => "us-letter",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Language {
    pub code: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bundle {
    pub id: String,
    pub title: String,
    pub include: Vec<String>,
    pub edition: Edition,
}

/// Who a build is for. The mentee edition never contains trainer-only material.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Edition {
    Mentee,
    Trainer,
}

impl Edition {
    pub fn name(self) -> &'static str {
        match self {
            Edition::Mentee => "mentee",
            Edition::Trainer => "trainer",
        }
    }
}

impl Config {
    /// Whether `base_url` is the site's full address (not only its path), as sitemaps
    /// need.
    pub fn has_full_address(&self) -> bool {
        self.base_url.starts_with("https://") || self.base_url.starts_with("http://")
    }

    /// The host of `base_url` when it stands for no real site: `example.org`, `example.com`,
    /// `example.net` (names reserved for examples) and their subdomains, or this computer
    /// (`localhost`, `127.0.0.1`). PDFs printed with it send their readers nowhere.
    pub fn placeholder_host(&self) -> Option<String> {
        let rest = self.base_url.split_once("://")?.1;
        let authority = rest.split('/').next()?;
        let host = authority
            .rsplit_once('@')
            .map_or(authority, |(_, h)| h)
            .split(':')
            .next()?
            .trim_end_matches('.')
            .to_ascii_lowercase();
        let placeholder = ["example.org", "example.com", "example.net", "localhost"]
            .iter()
            .any(|p| host == *p || host.ends_with(&format!(".{p}")))
            || host == "127.0.0.1";
        placeholder.then_some(host)
    }

    pub fn language(&self, code: &str) -> Option<&Language> {
        self.languages.iter().find(|l| l.code == code)
    }

    pub fn is_language(&self, code: &str) -> bool {
        self.language(code).is_some()
    }
}

/// A language code as casebook accepts it: `en`, `id`, `tl`, `pt-br`.
pub fn is_language_code(code: &str) -> bool {
    let mut parts = code.split('-');
    let primary = parts.next().unwrap_or_default();
    (2..=3).contains(&primary.len())
        && primary.bytes().all(|b| b.is_ascii_lowercase())
        && parts.all(|p| {
            (2..=8).contains(&p.len())
                && p.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// Reads `ROOT/casebook.yaml`. Problems go to `diagnostics`; `None` when nothing sensible
/// can be built from it.
pub fn load(root: &Path, diagnostics: &mut Vec<Diagnostic>) -> Option<Config> {
    let path = root.join(FILE);
    let text = match crate::source::read_text(&path, Path::new(FILE)) {
        Ok(text) => text,
        Err(mut d) => {
            if !path.exists() {
                d = Diagnostic::error(format!("no `{FILE}` in `{}`", root.display())).hint(
                    "run casebook in the folder that holds casebook.yaml, or pass `--root DIR`",
                );
            }
            diagnostics.push(d);
            return None;
        }
    };
    parse(&text, diagnostics)
}

pub fn parse(text: &str, diagnostics: &mut Vec<Diagnostic>) -> Option<Config> {
    let tree = match yaml::parse(text) {
        Ok(tree) => tree,
        Err(e) => {
            diagnostics.push(e.diagnostic(FILE, 0));
            return None;
        }
    };
    if tree.value == yaml::Value::Null {
        diagnostics.push(
            Diagnostic::error(format!("`{FILE}` is empty"))
                .at(FILE, 1, 1)
                .hint(
                    "give the site at least a title, e.g. `title: Case Handling for Union Leaders`",
                ),
        );
        return None;
    }
    let before = diagnostics.iter().filter(|d| d.is_error()).count();
    let mut r = YamlReader::new(FILE, 0, diagnostics);
    let fields = r.fields(&tree, KEYS, FILE)?;

    let title = match fields.get("title") {
        Some(node) => r.string(node, "title"),
        None => {
            r.missing(
                &fields,
                "title",
                FILE,
                "title: Case Handling for Union Leaders",
            );
            None
        }
    };

    let base_url_at = fields.get("base_url").map(|node| {
        let width = node.as_text().map_or(1, |t| t.chars().count());
        (node.line, node.col, width)
    });
    let base_url = match fields.get("base_url") {
        Some(node) => r.string(node, "base_url").and_then(|url| {
            let ok =
                url.starts_with("https://") || url.starts_with("http://") || url.starts_with('/');
            if !ok {
                r.error(
                    node,
                    format!("`base_url` must be a full URL or a path starting with `/`: `{url}`"),
                    "e.g. `base_url: https://example.org/casebook/` or `base_url: /`",
                );
                return None;
            }
            Some(if url.ends_with('/') {
                url
            } else {
                format!("{url}/")
            })
        }),
        None => Some("/".to_string()),
    };

    let mut languages = Vec::new();
    if let Some(node) = fields.get("languages") {
        match &node.value {
            yaml::Value::Map(entries) => {
                for (key, value) in entries {
                    if !is_language_code(&key.name) {
                        r.key_error(
                            key,
                            format!("`{}` is not a language code", key.name),
                            "use a short lowercase code such as `en`, `id` or `tl`",
                        );
                        continue;
                    }
                    let name = r.fields(value, LANGUAGE_KEYS, "language").and_then(|f| {
                        match f.get("name") {
                            Some(n) => r.string(n, "name"),
                            None => Some(language_name(&key.name).unwrap_or(&key.name).to_string()),
                        }
                    });
                    if let Some(name) = name {
                        languages.push(Language {
                            code: key.name.clone(),
                            name,
                        });
                    }
                }
            }
            other => {
                let kind = other.kind();
                r.error(node, format!("`languages` must list languages as `code: {{ name: … }}`, found {kind}"), "e.g.\n  languages:\n    en: { name: English }\n    id: { name: Bahasa Indonesia }");
            }
        }
    }

    let default_language = match fields.get("default_language") {
        Some(node) => r.string(node, "default_language").and_then(|code| {
            if languages.is_empty() || languages.iter().any(|l| l.code == code) {
                Some(code)
            } else {
                let known = languages
                    .iter()
                    .map(|l| format!("`{}`", l.code))
                    .collect::<Vec<_>>()
                    .join(", ");
                r.error(
                    node,
                    format!("the default language `{code}` is not one of `languages`"),
                    format!("add `{code}` under `languages:`, or choose one of {known}"),
                );
                None
            }
        }),
        None => Some(
            languages
                .first()
                .map(|l| l.code.clone())
                .unwrap_or_else(|| "en".to_string()),
        ),
    };
    if let Some(code) = &default_language {
        if languages.is_empty() {
            let name = language_name(code).unwrap_or(code).to_string();
            languages.push(Language {
                code: code.clone(),
                name,
            });
        }
        // The default language comes first everywhere (language switchers, sitemaps).
        if let Some(pos) = languages.iter().position(|l| &l.code == code) {
            let lang = languages.remove(pos);
            languages.insert(0, lang);
        }
    }

    let review_every = match fields.get("review_every") {
        Some(node) => r.period(node, "review_every"),
        None => Some(Period::Months(12)),
    };

    let mut bundles = Vec::new();
    if let Some(node) = fields.get("bundles") {
        match &node.value {
            yaml::Value::Seq(items) => {
                for item in items {
                    if let Some(b) = read_bundle(&mut r, item) {
                        if bundles.iter().any(|other: &Bundle| other.id == b.id) {
                            r.error(
                                item,
                                format!("two bundles have the id `{}`", b.id),
                                "give each bundle its own `id`: it names the PDF file",
                            );
                        } else {
                            bundles.push(b);
                        }
                    }
                }
            }
            other => {
                let kind = other.kind();
                r.error(
                    node,
                    format!("`bundles` must be a list, found {kind}"),
                    "start each bundle with `- id: …` under `bundles:`",
                );
            }
        }
    }

    let theme = match fields.get("theme") {
        Some(node) => r.string(node, "theme"),
        None => Some("default".to_string()),
    };

    let paper = match fields.get("paper") {
        Some(node) => r.choice(node, "paper", &["a4", "letter"]).map(|p| {
            if p == "letter" {
                Paper::Letter
            } else {
                Paper::A4
            }
        }),
        None => Some(Paper::A4),
    };

    let after = r.diagnostics.iter().filter(|d| d.is_error()).count();
    if after > before {
        return None;
    }
    Some(Config {
        title: title?,
        base_url: base_url?,
        base_url_at,
        default_language: default_language?,
        languages,
        review_every: review_every?,
        bundles,
        theme: theme?,
        paper: paper?,
    })
}

fn read_bundle(r: &mut YamlReader<'_>, node: &yaml::Item) -> Option<Bundle> {
    let f = r.fields(node, BUNDLE_KEYS, "bundle")?;
    let id = match f.get("id") {
        Some(n) => r.string(n, "id").filter(|id| {
            let ok = !id.is_empty()
                && id
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
            if !ok {
                r.error(
                    n,
                    format!("bundle id `{id}` may only use letters, digits, `-` and `_`"),
                    "the id names the PDF file, e.g. `id: sunday-pack`",
                );
            }
            ok
        }),
        None => {
            r.missing(&f, "id", "a bundle", "id: sunday-pack");
            None
        }
    };
    let title = match f.get("title") {
        Some(n) => r.string(n, "title"),
        None => {
            r.missing(&f, "title", "a bundle", "title: Sunday workshop pack");
            None
        }
    };
    let include = match f.get("include") {
        Some(n) => r.string_list(n, "include"),
        None => {
            r.missing(&f, "include", "a bundle", "include: [curriculum/01-*/**]");
            None
        }
    };
    let edition = match f.get("edition") {
        Some(n) => r.choice(n, "edition", &["mentee", "trainer"]).map(|e| {
            if e == "trainer" {
                Edition::Trainer
            } else {
                Edition::Mentee
            }
        }),
        None => Some(Edition::Mentee),
    };
    Some(Bundle {
        id: id?,
        title: title?,
        include: include?,
        edition: edition?,
    })
}

/// The names of the languages casebook has string tables for, in their own language.
pub fn language_name(code: &str) -> Option<&'static str> {
    match code {
        "en" => Some("English"),
        "id" => Some("Bahasa Indonesia"),
        "tl" => Some("Tagalog"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_fill_in_what_is_left_out() {
        let mut d = Vec::new();
        let config = parse("title: Test\n", &mut d).expect("valid");
        assert!(d.is_empty());
        assert_eq!(config.base_url, "/");
        assert_eq!(
            config.languages,
            vec![Language {
                code: "en".into(),
                name: "English".into()
            }]
        );
    }

    #[test]
    fn placeholder_hosts_are_the_example_domains_and_this_computer() {
        let host = |url: &str| {
            let mut d = Vec::new();
            parse(&format!("title: T\nbase_url: {url}\n"), &mut d)
                .expect("valid")
                .placeholder_host()
        };
        for (url, want) in [
            ("https://example.org/casebook/", "example.org"),
            ("https://training.EXAMPLE.com", "training.example.com"),
            ("http://example.net:8080/x/", "example.net"),
            ("http://localhost:1111/", "localhost"),
            ("http://127.0.0.1/", "127.0.0.1"),
        ] {
            assert_eq!(host(url).as_deref(), Some(want), "{url}");
        }
        for url in [
            "https://casebook.test/",
            "https://casebook.example/guide/",
            "https://notexample.org/",
            "https://example.org.hk/",
            "/course/",
        ] {
            assert_eq!(host(url), None, "{url}");
        }
    }

    #[test]
    fn default_language_comes_first() {
        let mut d = Vec::new();
        let config = parse("title: T\ndefault_language: id\nlanguages:\n  en: { name: English }\n  id: { name: Bahasa Indonesia }\n", &mut d).expect("valid");
        assert_eq!(config.languages[0].code, "id");
    }

    #[test]
    fn reports_every_problem_with_its_line() {
        let mut d = Vec::new();
        assert!(parse("titel: T\nbase_url: example.org\n", &mut d).is_none());
        // `titel` is reported with "did you mean `title`?"; a second "title is missing" would be noise.
        assert_eq!(d[0].hint.as_deref(), Some("did you mean `title`?"));
        let lines: Vec<_> = d.iter().map(|d| (d.line, d.message.as_str())).collect();
        assert_eq!(
            lines,
            vec![
                (1, "unknown casebook.yaml key `titel`"),
                (
                    2,
                    "`base_url` must be a full URL or a path starting with `/`: `example.org`"
                ),
            ]
        );
    }
}
