//! Headings' ids: given once every heading of a page is known, so that the headings everyone
//! reads get theirs first and keep them in both editions.

use std::collections::{HashMap, HashSet};

use pulldown_cmark::{CowStr, Event, Tag};

use super::document::{Heading, Node, Visibility, slug};

/// A heading read, its id assigned once every heading is known.
pub struct PendingHeading {
    pub node: usize,
    pub line: usize,
    pub level: u8,
    pub explicit: Option<String>,
    pub text: String,
    pub visibility: Visibility,
}

/// Gives every heading its id: first those written by hand (`{#id}`), then the others by
/// their text, those everyone reads before those in answers and trainer notes, so that a
/// heading's id is the same in both editions. A taken id gets a number: `a`, `a-1`.
pub fn assign_ids(pending: Vec<PendingHeading>, nodes: &mut [Node]) -> Vec<Heading> {
    let mut used: HashSet<String> = HashSet::new();
    // The next number to try for each id already taken, so a page of a thousand headings
    // with the same text costs a thousand tries, not half a million.
    let mut next_number: HashMap<String, usize> = HashMap::new();
    let mut ids: Vec<Option<String>> = vec![None; pending.len()];
    let mut order: Vec<usize> = (0..pending.len()).collect();
    order.sort_by_key(|&i| (pending[i].explicit.is_none(), pending[i].visibility, i));
    for i in order {
        let heading = &pending[i];
        let base = heading
            .explicit
            .clone()
            .unwrap_or_else(|| slug(&heading.text));
        let base = if base.is_empty() {
            "section".to_string()
        } else {
            base
        };
        let mut id = base.clone();
        while !used.insert(id.clone()) {
            let n = next_number.entry(base.clone()).or_insert(1);
            id = format!("{base}-{n}");
            *n += 1;
        }
        ids[i] = Some(id);
    }
    pending
        .into_iter()
        .zip(ids)
        .map(|(heading, id)| {
            let id = id.expect("every heading has an id");
            if let Some(Node::Md(Event::Start(Tag::Heading { id: slot, .. }), _)) =
                nodes.get_mut(heading.node)
            {
                *slot = Some(CowStr::from(id.clone()));
            }
            Heading {
                level: heading.level,
                id,
                text: heading.text,
                line: heading.line,
                visibility: heading.visibility,
            }
        })
        .collect()
}
