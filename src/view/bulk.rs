//! Many contacts chosen in the list at once (Ctrl-click, Shift-click, Ctrl+A) for a bulk
//! change: which ones, the row a Shift-click extends from, and what the bar is typing.

use crate::model::ContactId;
use std::collections::BTreeSet;

/// The contacts chosen for a bulk change; the bar shows once more than one is.
#[derive(Debug, Clone, Default)]
pub struct BulkSelection {
    pub ids: BTreeSet<ContactId>,
    /// The list row last clicked: a Shift-click chooses every row from it to the one clicked.
    pub anchor: Option<usize>,
    /// The tag typed into the bar's "Add tag…" menu.
    pub tag_text: String,
}

impl BulkSelection {
    /// More than one is chosen: the bar shows, and the actions apply to them.
    pub fn is_active(&self) -> bool {
        self.ids.len() > 1
    }

    pub fn contains(&self, id: ContactId) -> bool {
        self.ids.contains(&id)
    }

    /// A Ctrl-click on row `index` (contact `id`). The first one also takes in the contact
    /// shown (`shown`), as a file manager does.
    pub fn toggle(&mut self, id: ContactId, index: usize, shown: Option<ContactId>) {
        if self.ids.is_empty()
            && let Some(shown) = shown.filter(|s| *s != id)
        {
            self.ids.insert(shown);
        }
        if !self.ids.remove(&id) {
            self.ids.insert(id);
        }
        self.anchor = Some(index);
    }

    /// A plain click on row `index`: only that one, and the start of a Shift-click.
    pub fn click(&mut self, index: usize) {
        self.ids.clear();
        self.anchor = Some(index);
    }

    /// The rows a Shift-click on `index` chooses (from the anchor, or from the top).
    pub fn range_to(&self, index: usize) -> std::ops::RangeInclusive<usize> {
        let from = self.anchor.unwrap_or(index);
        from.min(index)..=from.max(index)
    }

    pub fn clear(&mut self) {
        self.ids.clear();
        self.anchor = None;
    }

    /// "3 selected".
    pub fn counted(&self) -> String {
        format!("{} selected", self.ids.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ctrl_clicks_toggle_and_take_in_the_shown_contact_first() {
        let mut s = BulkSelection::default();
        s.toggle(ContactId(2), 1, Some(ContactId(1)));
        assert_eq!(s.ids.len(), 2);
        s.toggle(ContactId(3), 2, Some(ContactId(1)));
        s.toggle(ContactId(2), 1, Some(ContactId(1)));
        assert_eq!(s.ids.iter().map(|i| i.0).collect::<Vec<_>>(), vec![1, 3]);
        assert_eq!(s.range_to(5), 1..=5);
        s.click(7);
        assert!(!s.is_active());
        assert_eq!(s.range_to(3), 3..=7);
    }
}
