//! Lines and columns of byte offsets in a page body, for diagnostics.

/// Lines and columns of byte offsets in a page body, for diagnostics. A column is counted
/// on from the last one asked for when that was earlier on the same line, so asking in
/// document order reads the text once, however long its lines are.
pub struct Positions<'t> {
    pub text: &'t str,
    line_starts: Vec<usize>,
    line_offset: usize,
    /// The last offset asked for, with its column.
    last: (usize, usize),
}

impl<'t> Positions<'t> {
    pub fn new(text: &'t str, line_offset: usize) -> Self {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Positions {
            text,
            line_starts,
            line_offset,
            last: (0, 1),
        }
    }

    /// The line in the page's file.
    pub fn line(&self, offset: usize) -> usize {
        self.line_starts.partition_point(|&s| s <= offset) + self.line_offset
    }

    /// The line in the page's file, and the column (in characters, from 1).
    pub fn line_col(&mut self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let index = self.line_starts.partition_point(|&s| s <= offset);
        let start = self.line_starts[index - 1];
        let (from, col) = if (start..=offset).contains(&self.last.0) {
            self.last
        } else {
            (start, 1)
        };
        let col = col + self.text[from..offset].chars().count();
        self.last = (offset, col);
        (index + self.line_offset, col)
    }
}
