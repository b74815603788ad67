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
            let (text, pad, width) = excerpt(&text, self.col, self.width);
            let bar = paint("1;34", "|");
            let _ = writeln!(out, "{gutter} {bar}");
            let _ = writeln!(
                out,
                "{} {bar} {text}",
                paint("1;34", &self.line.to_string())
            );
            let _ = writeln!(
                out,
                "{gutter} {bar} {}{}",
                " ".repeat(pad),
                paint(code, &"^".repeat(width))
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

/// Line `line` (1-based) of a file, for showing. A UTF-16 file is decoded, and bytes that
/// are not UTF-8 show as `�`. Reads at most what casebook would read.
fn read_line(path: &Path, line: usize) -> Option<String> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .ok()?
        .take(crate::text::MAX_TEXT_BYTES)
        .read_to_end(&mut bytes)
        .ok()?;
    let text = crate::text::utf16_lossy(&bytes)
        .unwrap_or_else(|| String::from_utf8_lossy(&bytes).into_owned());
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    // Lines end as casebook reads them: at `\n`, `\r\n` or a lone `\r`.
    text.split_inclusive('\n')
        .flat_map(|l| l.trim_end_matches(['\r', '\n']).split('\r'))
        .nth(line - 1)
        .map(str::to_string)
}

/// The longest source line shown whole; longer ones are cut around the caret.
const SHOWN_CHARS: usize = 100;

/// A source line as shown under a diagnostic, with where its caret goes: control
/// characters shown as `�`, tabs expanded to four spaces, and a line longer than
/// [`SHOWN_CHARS`] cut to the part around the caret, with `…` where it was cut. Returns
/// the text, the caret's indent and its width.
fn excerpt(line: &str, col: usize, width: usize) -> (String, usize, usize) {
    let length = line.chars().count();
    let caret = col.saturating_sub(1).min(length);
    let start = if length <= SHOWN_CHARS {
        0
    } else {
        caret.saturating_sub(SHOWN_CHARS / 2)
    };
    let end = (start + SHOWN_CHARS).min(length);
    let shown: Vec<char> = line
        .chars()
        .skip(start)
        .take(end - start)
        .map(|c| {
            if c.is_control() && c != '\t' {
                '�'
            } else {
                c
            }
        })
        .collect();
    let columns = |part: &[char]| {
        part.iter()
            .map(|c| if *c == '\t' { 4 } else { 1 })
            .sum::<usize>()
    };
    let mut text = String::new();
    if start > 0 {
        text.push('…');
    }
    for c in &shown {
        match c {
            '\t' => text.push_str("    "),
            c => text.push(*c),
        }
    }
    if end < length {
        text.push('…');
    }
    let caret = caret - start;
    let pad = usize::from(start > 0) + columns(&shown[..caret]);
    let underlined = &shown[caret..(caret + width).min(shown.len())];
    (text, pad, columns(underlined).max(1))
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
    let length = word.chars().count();
    // Nobody mistypes a word that long, and comparing it would take long.
    if length > 200 {
        return None;
    }
    candidates
        .into_iter()
        .filter_map(|c| {
            let c_length = c.chars().count();
            let allowed = (c_length.max(length) / 3).max(1);
            // Words whose lengths differ by more than that cannot be close enough.
            (c_length.abs_diff(length) <= allowed)
                .then(|| (edit_distance(&word_lower, &c.to_lowercase()), allowed, c))
        })
        .filter(|(d, allowed, _)| d <= allowed)
        .min_by_key(|(d, _, _)| *d)
        .map(|(_, _, c)| c)
}

/// Edit distance where swapping two neighbouring letters counts as one edit (`titel` → `title`).
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
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

    #[test]
    fn long_lines_are_cut_around_the_caret_and_tabs_move_it() {
        let (text, pad, width) = excerpt(&"x".repeat(300), 200, 3);
        assert_eq!(text, format!("…{}…", "x".repeat(100)));
        assert_eq!((pad, width), (51, 3));
        assert_eq!(
            excerpt("\tkey: value", 1, 1),
            ("    key: value".to_string(), 0, 4)
        );
        assert_eq!(excerpt("a\tb\0", 4, 1), ("a    b�".to_string(), 6, 1));
    }

    #[test]
    fn suggestions_skip_words_too_long_to_be_typos() {
        assert_eq!(did_you_mean(&"a".repeat(60_000), ["a"]), None);
        assert_eq!(
            did_you_mean("open-question", ["open-questions", "x"]),
            Some("open-questions")
        );
    }
}
