//! What the renderers read from a Markdown table's nodes before writing it: whether it is a
//! form to fill in by hand (HTML and PDF give its blank cells room to write in), and whether
//! it may be too wide for a phone (HTML makes its region a tab stop, to scroll it by
//! keyboard). Also the names of a page's table regions, each one different.

use std::cell::RefCell;
use std::collections::HashMap;

use pulldown_cmark::{Event, Tag, TagEnd};

use crate::parse::Node;

/// The widest a character of table text is, in rem: 10.8 px of 16, the most measured in
/// Chromium over the bundled curriculum's 585 tables (bold header cells included).
const CHAR_REM: f32 = 0.7;
/// The right padding of a cell (`th, td` in the theme's style.css).
const CELL_REM: f32 = 0.6;
/// The narrowest text column on a 360-px phone: inside a model answer or a callout, 292 px.
const PHONE_REM: f32 = 18.25;

/// What a table is, read from its nodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Table {
    /// A form to fill in by hand: a body row with no text at all (a timeline's blank rows),
    /// or a body column blank in more than half its rows (a record's "Write here" column,
    /// even with one cell filled in as an example). A few blank cells in a table of data (a
    /// "Total" row's) do not make one.
    pub fill_in: bool,
    /// Its narrowest layout (its longest words side by side) may be wider than a phone's
    /// text column, so it may scroll sideways there.
    pub may_scroll: bool,
}

/// Reads the table that starts at `nodes[0]` (a `Start(Table)`), up to its end.
pub fn read(nodes: &[&Node]) -> Table {
    let mut in_head = false;
    let mut column = 0usize;
    // Per column: the longest word, in characters, and how many body cells are blank.
    let mut longest: Vec<usize> = Vec::new();
    let mut blanks: Vec<usize> = Vec::new();
    let mut rows = 0usize;
    let mut blank_row = false;
    let mut row_used = false;
    let mut cell = String::new();
    let mut cell_used = false;
    for node in nodes.iter().skip(1) {
        let event = match node {
            Node::Md(event, _) => event,
            // A picture in a cell is something in it, whatever its width.
            Node::Image { .. } => {
                cell_used = true;
                continue;
            }
            _ => continue,
        };
        match event {
            Event::End(TagEnd::Table) => break,
            Event::Start(Tag::TableHead) => in_head = true,
            Event::End(TagEnd::TableHead) => {
                in_head = false;
                column = 0;
            }
            Event::Start(Tag::TableRow) => {
                column = 0;
                row_used = false;
            }
            Event::End(TagEnd::TableRow) => {
                rows += 1;
                blank_row |= !row_used;
            }
            Event::Start(Tag::TableCell) => {
                cell.clear();
                cell_used = false;
            }
            Event::End(TagEnd::TableCell) => {
                if longest.len() <= column {
                    longest.resize(column + 1, 0);
                    blanks.resize(column + 1, 0);
                }
                let word = cell
                    .split_whitespace()
                    .map(|w| w.chars().count())
                    .max()
                    .unwrap_or(0);
                longest[column] = longest[column].max(word);
                if !in_head {
                    blanks[column] += usize::from(!cell_used);
                    row_used |= cell_used;
                }
                column += 1;
            }
            Event::Text(text) | Event::Code(text) | Event::InlineHtml(text) => {
                cell.push_str(text);
                cell_used = true;
            }
            Event::SoftBreak | Event::HardBreak => cell.push(' '),
            Event::FootnoteReference(_) | Event::TaskListMarker(_) => cell_used = true,
            _ => {}
        }
    }
    let chars: usize = longest.iter().sum();
    let narrowest = chars as f32 * CHAR_REM + longest.len() as f32 * CELL_REM;
    Table {
        fill_in: blank_row || blanks.iter().any(|&blank| blank * 2 > rows),
        may_scroll: narrowest > PHONE_REM,
    }
}

/// The names of a page's table regions: screen readers list regions by name, so two
/// tables under one heading are told apart ("Events", "Events (2)"). Shared by the parts
/// of a print view, which are one page.
#[derive(Debug, Default)]
pub struct Names(RefCell<HashMap<String, usize>>);

impl Names {
    pub fn unique(&self, name: &str) -> String {
        let mut seen = self.0.borrow_mut();
        let n = seen.entry(name.to_string()).or_insert(0);
        *n += 1;
        if *n == 1 {
            name.to_string()
        } else {
            format!("{name} ({n})")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(markdown: &str) -> Table {
        let nodes: Vec<Node> = pulldown_cmark::Parser::new_ext(markdown, pulldown_cmark::Options::ENABLE_TABLES)
            .map(|e| Node::Md(e.into_static(), 1))
            .collect();
        let refs: Vec<&Node> = nodes.iter().collect();
        let start = refs
            .iter()
            .position(|n| matches!(n, Node::Md(Event::Start(Tag::Table(_)), _)))
            .expect("a table");
        read(&refs[start..])
    }

    #[test]
    fn a_blank_column_or_row_makes_a_form_a_blank_cell_does_not() {
        assert!(table("| Field | Entry |\n| --- | --- |\n| Name |  |\n| Age |  |\n").fill_in);
        assert!(table("| Date | What |\n| --- | --- |\n| 1 May | Arrived |\n|  |  |\n").fill_in);
        let example = "| Item | Write here |\n| --- | --- |\n| Date |  |\n| Went well | (1) (2) |\n| Observer |  |\n";
        assert!(table(example).fill_in);
        let totals = "| Item | HK$ | Note |\n| --- | --- | --- |\n| Rent | 10 | paid |\n| **Total** | 10 |  |\n";
        assert!(!table(totals).fill_in);
        let breaks = "| Time | What | Who |\n| --- | --- | --- |\n| 1:00 | Talk | Ana |\n| 1:45 | Break |  |\n| 2:00 | Quiz | Ben |\n";
        assert!(!table(breaks).fill_in);
        // An empty header cell is a corner, not a space to write in.
        assert!(!table("|  | mentee |\n| --- | --- |\n| answers | yes |\n").fill_in);
    }

    #[test]
    fn a_table_of_long_words_may_scroll_on_a_phone_a_short_one_not() {
        assert!(!table("| Term | Meaning |\n| --- | --- |\n| FDH | foreign domestic helper |\n").may_scroll);
        let wide = "| Month | Wage in contract (HK$) | Amount received (HK$) | Date received | Deductions |\n| --- | --- | --- | --- | --- |\n|  |  |  |  |  |\n";
        assert!(table(wide).may_scroll);
    }

    #[test]
    fn names_repeat_with_a_number() {
        let names = Names::default();
        assert_eq!(names.unique("Events"), "Events");
        assert_eq!(names.unique("Events"), "Events (2)");
        assert_eq!(names.unique("Key dates"), "Key dates");
    }
}
