//! Many contacts chosen in the list at once (Ctrl-click, Shift-click, Ctrl+A; Escape chooses
//! none) for a bulk change: which ones, the row a Shift-click extends from, what the bar is
//! typing, and how far a large change running on its own thread got.

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
    /// The days typed into the bar's "Cadence…" menu.
    pub cadence_text: String,
    /// A large change running on its own thread; the bar shows its progress and Cancel.
    pub running: Option<BulkRunning>,
}

/// A bulk change running on its own thread: "Tagging 4,200 of 10,000…".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BulkRunning {
    /// What it does, before the count: "Tagging", "Setting the stage of".
    pub doing: &'static str,
    /// Contacts gone through so far, of how many.
    pub done: usize,
    pub total: usize,
    /// Cancel was pressed: it stops at the next few hundred and changes nothing.
    pub cancelling: bool,
    /// Undoing a bulk change: said without a count ("Undoing the change to 10,000
    /// contacts…"), and it cannot be cancelled.
    pub undo: bool,
}

impl BulkRunning {
    /// "Tagging 4,200 of 10,000…", or "Cancelling…".
    pub fn sentence(&self) -> String {
        if self.cancelling {
            return "Cancelling; nothing will be changed…".to_owned();
        }
        if self.undo {
            return format!("{} {} contacts…", self.doing, thousands(self.total));
        }
        format!(
            "{} {} of {}…",
            self.doing,
            thousands(self.done),
            thousands(self.total)
        )
    }

    /// How far it got, from 0 to 1.
    pub fn fraction(&self) -> f32 {
        match self.total {
            0 => 0.0,
            total => self.done as f32 / total as f32,
        }
    }
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

    /// "3 selected", "10,000 selected".
    pub fn counted(&self) -> String {
        format!("{} selected", thousands(self.ids.len()))
    }

    /// The cadence typed in the bar: a number of days, or why it is not one.
    pub fn typed_cadence(&self) -> Result<i64, String> {
        let text = self.cadence_text.trim();
        match text.parse::<i64>() {
            Ok(days) if days > 0 => Ok(days),
            _ if text.is_empty() => Err("Type a number of days.".to_owned()),
            _ => Err(format!("\"{text}\" is not a number of days; type e.g. 30.")),
        }
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

    #[test]
    fn progress_and_typed_cadences_read_as_people_write_them() {
        let running = BulkRunning {
            doing: "Tagging",
            done: 4200,
            total: 10_000,
            cancelling: false,
            undo: false,
        };
        assert_eq!(running.sentence(), "Tagging 4,200 of 10,000…");
        let undoing = BulkRunning {
            doing: "Undoing the change to",
            undo: true,
            ..running.clone()
        };
        assert_eq!(undoing.sentence(), "Undoing the change to 10,000 contacts…");
        assert!((running.fraction() - 0.42).abs() < 1e-6);
        let mut s = BulkSelection::default();
        for (typed, read) in [
            ("30", Ok(30)),
            (" 7 ", Ok(7)),
            ("", Err("Type a number of days.")),
            ("0", Err("\"0\" is not a number of days; type e.g. 30.")),
            (
                "soon",
                Err("\"soon\" is not a number of days; type e.g. 30."),
            ),
        ] {
            s.cadence_text = typed.to_owned();
            assert_eq!(s.typed_cadence(), read.map_err(str::to_owned), "{typed:?}");
        }
        s.ids.extend((0..12_345).map(ContactId));
        assert_eq!(s.counted(), "12,345 selected");
    }
}

pub use crate::model::thousands;
