//! The `:::` lines of a page body, before pulldown-cmark reads it. Each line that looks
//! like a fence, after its indentation, quote `>` and list markers, is replaced by a marker:
//! a processing instruction holding a token the page does not contain
//! (`<?casebook-fence-… 12?>`). pulldown-cmark reads a marker as an HTML block of its own
//! wherever a block can stand (the top level, list items at any depth, footnotes, quotes),
//! and `markdown::parse` turns those into the blocks' boundaries. A marker that comes back
//! anywhere else (inside code, raw HTML, a table, a paragraph) is an error at its line, so a
//! `:::` line is never published as text; one inside an HTML comment stays commented out.
//! The token cannot be forged: the page does not contain it.

use std::borrow::Cow;

use super::document::BlockKind;

/// What a fence line says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum What {
    Open {
        kind: BlockKind,
        title: Option<String>,
    },
    Close,
    /// A name that is not a block, as written.
    Unknown(String),
}

/// One fence line.
#[derive(Debug, Clone)]
pub struct Fence {
    /// The line in the page's file.
    pub line: usize,
    /// The column (in characters, from 1) of its first `:`.
    pub col: usize,
    /// The fence as written, from its first `:` to the end of the line.
    pub written: String,
    pub what: What,
}

impl Fence {
    /// The fence as named in messages: `::: trainer` or `:::`.
    pub fn shown(&self) -> String {
        match &self.what {
            What::Open { kind, .. } => format!("::: {}", kind.name()),
            What::Close => ":::".to_string(),
            What::Unknown(name) => format!("::: {name}"),
        }
    }
}

/// A page body with its fence lines replaced by markers.
pub struct Fences<'b> {
    pub text: Cow<'b, str>,
    /// `<?` and the token, which starts every marker.
    start: String,
    pub lines: Vec<Fence>,
}

impl<'b> Fences<'b> {
    /// Finds the fence lines of `body`, whose first line is line `line_offset + 1` of its file.
    pub fn mark(body: &'b str, line_offset: usize) -> Fences<'b> {
        let mut lines = Vec::new();
        let mut starts = Vec::new();
        if body.contains(":::") {
            for (index, (at, line)) in line_spans(body).enumerate() {
                if let Some(col) = fence_column(line) {
                    let written = line[col..].trim_end_matches(['\n', '\r']);
                    lines.push(Fence {
                        line: index + 1 + line_offset,
                        col: line[..col].chars().count() + 1,
                        written: written.to_string(),
                        what: what(written),
                    });
                    starts.push((at + col, at + col + written.len()));
                }
            }
        }
        if lines.is_empty() {
            return Fences {
                text: Cow::Borrowed(body),
                start: String::new(),
                lines,
            };
        }
        // A token the page does not hold, so no marker can be written by hand.
        let mut token = format!("casebook-fence-{}", super::fingerprint(body));
        while body.contains(&token) {
            token.push('x');
        }
        let start = format!("<?{token} ");
        let mut text = String::with_capacity(body.len() + lines.len() * (start.len() + 8));
        let mut from = 0;
        for (n, (begin, end)) in starts.into_iter().enumerate() {
            text.push_str(&body[from..begin]);
            text.push_str(&format!("{start}{n}?>"));
            from = end;
        }
        text.push_str(&body[from..]);
        Fences {
            text: Cow::Owned(text),
            start,
            lines,
        }
    }

    /// The fence whose marker is all of `html` (an HTML block read back from the parser).
    pub fn alone(&self, html: &str) -> Option<usize> {
        let n = html
            .trim()
            .strip_prefix(self.start.as_str())?
            .strip_suffix("?>")?;
        n.parse().ok().filter(|n| *n < self.lines.len())
    }

    /// The fences whose markers stand in `text`, in order.
    pub fn within(&self, text: &str) -> Vec<usize> {
        if self.lines.is_empty() {
            return Vec::new();
        }
        text.match_indices(self.start.as_str())
            .filter_map(|(at, _)| {
                let rest = &text[at + self.start.len()..];
                let digits = rest
                    .find(|c: char| !c.is_ascii_digit())
                    .unwrap_or(rest.len());
                rest[..digits]
                    .parse()
                    .ok()
                    .filter(|n| *n < self.lines.len())
            })
            .collect()
    }

    /// `text` with every marker in it replaced by its fence as written.
    pub fn restore(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(at) = rest.find(self.start.as_str()) {
            out.push_str(&rest[..at]);
            let after = &rest[at + self.start.len()..];
            let digits = after
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(after.len());
            let fence = after[..digits]
                .parse::<usize>()
                .ok()
                .and_then(|n| self.lines.get(n));
            match (fence, after[digits..].strip_prefix("?>")) {
                (Some(fence), Some(tail)) => {
                    out.push_str(&fence.written);
                    rest = tail;
                }
                _ => {
                    out.push_str(&self.start);
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    }
}

/// Each line of `text` with its byte offset, its newline kept.
fn line_spans(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut at = 0;
    text.split_inclusive('\n').map(move |line| {
        let start = at;
        at += line.len();
        (start, line)
    })
}

/// Where a fence starts on `line`: after indentation, quote markers (`>`) and list markers
/// (`-`, `*`, `+`, `1.`, `1)` followed by a space), at three or more colons.
fn fence_column(line: &str) -> Option<usize> {
    let bytes = line.as_bytes();
    let mut i = 0;
    loop {
        match bytes.get(i)? {
            b' ' | b'\t' | b'>' => i += 1,
            b'-' | b'*' | b'+' if matches!(bytes.get(i + 1), Some(b' ' | b'\t')) => i += 2,
            b'0'..=b'9' => {
                let digits = bytes[i..].iter().take_while(|b| b.is_ascii_digit()).count();
                match (bytes.get(i + digits), bytes.get(i + digits + 1)) {
                    (Some(b'.' | b')'), Some(b' ' | b'\t')) if digits <= 9 => i += digits + 2,
                    _ => return None,
                }
            }
            b':' => return line[i..].starts_with(":::").then_some(i),
            _ => return None,
        }
    }
}

/// Reads a fence as written: `:::` (any number of colons) closes; `::: NAME [TITLE]`, or
/// Pandoc's `::: {.NAME}`, opens, with optional colons after it.
fn what(written: &str) -> What {
    let spec = written.trim_start_matches(':').trim();
    let spec = spec.trim_end_matches(':').trim_end();
    if spec.is_empty() {
        return What::Close;
    }
    let (name, title) = if let Some(attributes) = spec.strip_prefix('{') {
        let inside = attributes.split('}').next().unwrap_or_default();
        let class = inside
            .split_whitespace()
            .find_map(|a| a.strip_prefix('.'))
            .unwrap_or(inside.trim());
        let title = spec[spec.find('}').map_or(spec.len(), |i| i + 1)..].trim();
        (class, title)
    } else {
        match spec.split_once(char::is_whitespace) {
            Some((name, title)) => (name, title.trim()),
            None => (spec, ""),
        }
    };
    match BlockKind::from_name(name) {
        Some(kind) => What::Open {
            kind,
            title: Some(title.to_string()).filter(|t| !t.is_empty()),
        },
        None => What::Unknown(name.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fences_are_found_after_indentation_quotes_and_list_markers() {
        for (line, col) in [
            ("::: trainer\n", Some(0)),
            ("      ::: trainer\n", Some(6)),
            ("> > ::: answer\n", Some(4)),
            ("- ::: trainer\n", Some(2)),
            ("  12. :::\n", Some(6)),
            ("\t:::\n", Some(1)),
            ("text ::: trainer\n", None),
            ("-::: trainer\n", None),
            ("1234567890. :::\n", None),
            (":: x\n", None),
        ] {
            assert_eq!(fence_column(line), col, "{line:?}");
        }
    }

    #[test]
    fn long_openers_pandoc_attributes_and_trailing_colons_name_the_block() {
        let open = |kind, title: Option<&str>| What::Open {
            kind,
            title: title.map(str::to_string),
        };
        assert_eq!(what("::::::::: trainer"), open(BlockKind::Trainer, None));
        assert_eq!(what("::: {.answer}"), open(BlockKind::Answer, None));
        assert_eq!(
            what("::: roleplay A first call :::"),
            open(BlockKind::Roleplay, Some("A first call"))
        );
        assert_eq!(what("::::::::::::"), What::Close);
        assert_eq!(what("::: instructor"), What::Unknown("instructor".into()));
    }

    #[test]
    fn markers_carry_a_token_the_page_does_not_hold_and_restore_as_written() {
        let body = "a\n::: trainer\n- ::: answer\n:::\n";
        let fences = Fences::mark(body, 3);
        assert_eq!(fences.lines.len(), 3);
        assert_eq!(fences.lines[1].line, 6);
        assert_eq!(fences.lines[1].col, 3);
        assert_eq!(fences.restore(&fences.text), body);
        assert!(!fences.text.contains("::: trainer"));
        let n = fences.within(&fences.text);
        assert_eq!(n, [0, 1, 2]);
        let forged = format!("{}\n::: trainer\n", fences.start);
        let again = Fences::mark(&forged, 0);
        assert_ne!(again.start, fences.start);
        assert_eq!(again.within(&forged), Vec::<usize>::new());
    }
}
