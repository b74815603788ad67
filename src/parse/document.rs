//! What parsing a page's Markdown gives: a [`Document`], its nodes (Markdown events and the
//! `:::` blocks' boundaries), its headings, links and footnotes, each knowing which blocks
//! it stands inside ([`Visibility`]).

use std::collections::HashSet;

use pulldown_cmark::Event;

use super::meta::Answers;
use crate::config::Edition;

/// The kinds of `:::` block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BlockKind {
    Answer,
    Trainer,
    Roleplay,
}

impl BlockKind {
    pub const NAMES: [&'static str; 3] = ["answer", "trainer", "roleplay"];

    pub fn from_name(name: &str) -> Option<BlockKind> {
        match name {
            "answer" => Some(BlockKind::Answer),
            "trainer" => Some(BlockKind::Trainer),
            "roleplay" => Some(BlockKind::Roleplay),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        Self::NAMES[self as usize]
    }
}

/// Who can read a part of a page: everyone, or only where its blocks are shown. Ordered
/// from the most widely read to the least.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Visibility {
    #[default]
    Everyone,
    /// Inside a `::: answer` block: left out of the mentee edition when the page keeps its
    /// answers for trainers (`answers: trainer`).
    Answer,
    /// Inside a `::: trainer` block: in the trainer edition only.
    Trainer,
}

impl Visibility {
    /// Whether a reader of `edition` misses this part, on a page whose answers are `answers`.
    pub fn hidden(self, edition: Edition, answers: Answers) -> bool {
        edition == Edition::Mentee
            && match self {
                Visibility::Everyone => false,
                Visibility::Answer => answers == Answers::Trainer,
                Visibility::Trainer => true,
            }
    }

    /// Where the inside of a `kind` block stands, the block standing here.
    pub(super) fn inside(self, kind: BlockKind) -> Visibility {
        self.max(match kind {
            BlockKind::Trainer => Visibility::Trainer,
            BlockKind::Answer => Visibility::Answer,
            BlockKind::Roleplay => Visibility::Everyone,
        })
    }

    /// Whether a mentee who reads a link standing at `from` (on a page whose answers are
    /// `from_answers`) would miss what it leads to, which stands here (on a page whose
    /// answers are `answers`).
    pub fn hides_from(self, answers: Answers, from: Visibility, from_answers: Answers) -> bool {
        self.hidden(Edition::Mentee, answers) && !from.hidden(Edition::Mentee, from_answers)
    }

    /// Where this is, for messages: "a `::: trainer` block".
    pub fn place(self) -> &'static str {
        match self {
            Visibility::Everyone => "the page",
            Visibility::Answer => "a model answer that only trainers see (`answers: trainer`)",
            Visibility::Trainer => "a `::: trainer` block",
        }
    }
}

/// One step of a document.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// A Markdown event and the line (in the page's file) where it starts.
    Md(Event<'static>, usize),
    Open {
        kind: BlockKind,
        title: Option<String>,
        line: usize,
    },
    Close(BlockKind),
    /// An image: its address as written and its alt text.
    Image {
        dest: String,
        alt: String,
        line: usize,
    },
    /// A code block: its language (the first word of the info string) and its text.
    Code {
        lang: Option<String>,
        text: String,
        line: usize,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub text: String,
    pub line: usize,
    /// Inside which blocks it stands.
    pub visibility: Visibility,
}

/// A link or image destination as written, with where it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    pub dest: String,
    pub line: usize,
    pub col: usize,
    pub image: bool,
    pub alt_or_text: String,
    /// Inside which blocks the link stands.
    pub visibility: Visibility,
    /// For a link that takes its address from a definition (`[text][label]` and
    /// `[label]: address`): the definition's line, and where it stands.
    pub definition: Option<(usize, Visibility)>,
}

/// A footnote reference (`[^label]`) and where its definition stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Footnote {
    pub label: String,
    pub line: usize,
    pub col: usize,
    pub visibility: Visibility,
    /// The definition's line and where it stands.
    pub definition: (usize, Visibility),
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Document {
    pub nodes: Vec<Node>,
    pub headings: Vec<Heading>,
    pub references: Vec<Reference>,
    pub footnotes: Vec<Footnote>,
    pub has_code: bool,
    pub blocks: HashSet<BlockKind>,
    /// The `id`s written in raw HTML (`<a id="old-name"></a>`), with where they stand:
    /// anchors a link may point at, as a heading's id is.
    pub html_ids: Vec<(String, Visibility)>,
}

impl Document {
    /// Whether `id` is an anchor of this page (a heading's, or one written in raw HTML),
    /// and inside which blocks it stands.
    pub fn anchor(&self, id: &str) -> Option<Visibility> {
        self.headings
            .iter()
            .find(|h| h.id == id)
            .map(|h| h.visibility)
            .or_else(|| self.html_ids.iter().find(|(i, _)| i == id).map(|(_, v)| *v))
    }

    /// Every anchor of this page: its headings' ids, then those written in raw HTML.
    pub fn anchors(&self) -> impl Iterator<Item = &str> {
        self.headings
            .iter()
            .map(|h| h.id.as_str())
            .chain(self.html_ids.iter().map(|(i, _)| i.as_str()))
    }
}

/// A heading's anchor: lowercase words joined by `-`, punctuation dropped, letters of every
/// script kept (`## Open questions` → `open-questions`).
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    let mut dash = false;
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c);
        } else if c.is_whitespace() || c == '-' || c == '_' {
            dash = true;
        }
    }
    out
}
