//! A window of rows fetched from the store, so lists of 100,000 contacts draw only what is on
//! screen. The UI asks for a range; when the range is not cached it reports what it needs and
//! the app fetches it after the frame.

use std::ops::Range;

/// Rows `start .. start + rows.len()` of a list with `total` rows.
#[derive(Debug)]
pub struct PagedRows<T> {
    pub total: usize,
    start: usize,
    rows: Vec<T>,
    /// A range the UI wanted but was not cached; the app fetches it after the frame.
    wanted: Option<Range<usize>>,
}

impl<T> Default for PagedRows<T> {
    fn default() -> Self {
        Self {
            total: 0,
            start: 0,
            rows: Vec::new(),
            wanted: None,
        }
    }
}

/// How many rows to fetch beyond the visible ones, on each side, so scrolling a little does
/// not query again.
pub const MARGIN: usize = 60;

impl<T> PagedRows<T> {
    /// Starts over with a new total; nothing is cached.
    pub fn reset(&mut self, total: usize) {
        self.total = total;
        self.start = 0;
        self.rows.clear();
        self.wanted = None;
    }

    /// The row at `index` if it is cached; otherwise remembers that `visible` is needed.
    pub fn row(&mut self, index: usize, visible: &Range<usize>) -> Option<&T> {
        if index >= self.start && index < self.start + self.rows.len() {
            return self.rows.get(index - self.start);
        }
        self.wanted = Some(visible.clone());
        None
    }

    /// True when the last frame asked for rows that are not cached.
    pub fn has_wanted(&self) -> bool {
        self.wanted.is_some()
    }

    /// The range to fetch next (with margins), if the UI asked for rows that are not cached.
    pub fn take_wanted(&mut self) -> Option<Range<usize>> {
        let visible = self.wanted.take()?;
        let start = visible.start.saturating_sub(MARGIN);
        let end = (visible.end + MARGIN).min(self.total);
        Some(start..end.max(start))
    }

    /// Stores freshly fetched rows that begin at `start`.
    pub fn fill(&mut self, start: usize, rows: Vec<T>) {
        self.start = start;
        self.rows = rows;
    }

    /// The cached range, for tests and benchmarks.
    pub fn cached(&self) -> Range<usize> {
        self.start..self.start + self.rows.len()
    }

    /// Finds a cached row by a predicate (e.g. the selected contact) and returns its index.
    pub fn position(&self, mut predicate: impl FnMut(&T) -> bool) -> Option<usize> {
        self.rows
            .iter()
            .position(&mut predicate)
            .map(|i| i + self.start)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn asks_only_for_rows_it_does_not_have() {
        let mut rows: PagedRows<u32> = PagedRows::default();
        rows.reset(1000);
        assert!(rows.row(0, &(0..20)).is_none());
        let wanted = rows.take_wanted().unwrap();
        assert_eq!(wanted, 0..80);
        rows.fill(wanted.start, (0..80).collect());
        assert_eq!(rows.row(79, &(60..79)), Some(&79));
        assert!(rows.take_wanted().is_none());
        assert!(rows.row(500, &(500..520)).is_none());
        assert_eq!(rows.take_wanted(), Some(440..580));
        rows.reset(10);
        assert!(rows.row(0, &(0..10)).is_none());
        assert_eq!(rows.take_wanted(), Some(0..10));
    }
}
