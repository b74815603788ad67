//! Diagnostics: every problem casebook finds in a site, with the file and line it is about,
//! and their compiler-style rendering (`error: …`, `--> path:line:col`, the line, a caret,
//! `help: …`).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One problem, tied to a place in a content file (or to the site as a whole when `path` is
/// `None`). `line` and `col` are 1-based; `col` counts characters, not bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub path: Option<PathBuf>,
    pub line: usize,
    pub col: usize,
    /// How many characters the caret underlines (at least 1).
    pub width: usize,
    pub message: String,
    pub hint: Option<String>,
    /// What the problem is about, when its maker knows better than its words: `links`
    /// for links and images that point nowhere. `check` groups by it.
    pub topic: Option<&'static str>,
}

impl Diagnostic {
    pub fn error(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            path: None,
            line: 0,
            col: 0,
            width: 1,
            message: message.into(),
            hint: None,
            topic: None,
        }
    }

    pub fn warning(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(message)
        }
    }

    /// The file the problem is in, relative to the site root (shown with `/` separators).
    pub fn at(mut self, path: impl Into<PathBuf>, line: usize, col: usize) -> Self {
        self.path = Some(path.into());
        self.line = line;
        self.col = col.max(1);
        self
    }

    pub fn in_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.path = Some(path.into());
        self
    }

    pub fn width(mut self, width: usize) -> Self {
        self.width = width.max(1);
        self
    }

    pub fn topic(mut self, topic: &'static str) -> Self {
        self.topic = Some(topic);
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `path:line:col`, or just the path when the line is unknown.
    pub fn location(&self) -> Option<String> {
        let path = self.path.as_ref()?;
        let shown = display_path(path);
        Some(if self.line == 0 {
            shown
        } else {
            format!("{shown}:{}:{}", self.line, self.col)
        })
    }

    /// Renders the diagnostic like a compiler does. `root` is the site root, used to read the
    /// offending line; `color` adds ANSI colours (off when `NO_COLOR` is set or stderr is not
    /// a terminal: the caller decides).
    pub fn render(&self, root: &Path, color: bool) -> String {
        let paint = |code: &str, text: &str| {
            if color {
                format!("\x1b[{code}m{text}\x1b[0m")
            } else {
                text.to_string()
            }
        };
        let (label, code) = match self.severity {
            Severity::Error => ("error", "1;31"),
            Severity::Warning => ("warning", "1;33"),
        };
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{}{}",
            paint(code, label),
            paint("1", &format!(": {}", self.message))
        );
        let source_line = match (&self.path, self.line) {
            (Some(path), line) if line > 0 => read_line(&root.join(path), line),
            _ => None,
        };
        let gutter = " ".repeat(self.line.max(1).to_string().len());
        if let Some(location) = self.location() {
            let _ = writeln!(out, "{gutter}{} {location}", paint("1;34", "-->"));
        }
        if let Some(text) = source_line {
            let text = text.replace('\t', "    ");
            let bar = paint("1;34", "|");
            let _ = writeln!(out, "{gutter} {bar}");
            let _ = writeln!(
                out,
                "{} {bar} {text}",
                paint("1;34", &self.line.to_string())
            );
            let pad = " ".repeat(self.col.saturating_sub(1));
            let _ = writeln!(
                out,
                "{gutter} {bar} {pad}{}",
                paint(code, &"^".repeat(self.width))
            );
        }
        if let Some(hint) = &self.hint {
            let indent = format!("\n{gutter}         ");
            let hint = hint.replace('\n', &indent);
            let _ = writeln!(
                out,
                "{gutter} {} {}",
                paint("1;34", "="),
                paint("1", &format!("help: {hint}"))
            );
        }
        out
    }
}

/// A path as users see it in messages: relative, with `/` separators on every platform.
pub fn display_path(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

fn read_line(path: &Path, line: usize) -> Option<String> {
    let bytes = std::fs::read(path).ok()?;
    let text = String::from_utf8_lossy(&bytes);
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    text.lines()
        .nth(line - 1)
        .map(|l| l.trim_end_matches('\r').to_string())
}

/// Orders diagnostics by file, then position, errors before warnings at the same place.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (&a.path, a.line, a.col, a.severity, &a.message)
            .cmp(&(&b.path, b.line, b.col, b.severity, &b.message))
    });
}

/// The closest of `candidates` to `word`, if it is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let word_lower = word.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (edit_distance(&word_lower, &c.to_lowercase()), c))
        .filter(|(d, c)| *d <= (c.chars().count().max(word.chars().count()) / 3).max(1))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Edit distance where swapping two neighbouring letters counts as one edit (`titel` → `title`).
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for j in 0..=b.len() {
        d[0][j] = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
            }
        }
    }
    d[a.len()][b.len()]
}

/// Counts errors and warnings for the closing summary line.
pub fn counts(diagnostics: &[Diagnostic]) -> (usize, usize) {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    (errors, diagnostics.len() - errors)
}

pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_keys_only() {
        let keys = ["title", "objectives", "summary", "session"];
        assert_eq!(did_you_mean("objetives", keys), Some("objectives"));
        assert_eq!(did_you_mean("Title", keys), Some("title"));
        assert_eq!(did_you_mean("colour", keys), None);
        assert_eq!(did_you_mean("titel", keys), Some("title"));
    }
}
