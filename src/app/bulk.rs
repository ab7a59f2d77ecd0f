//! Bulk changes from the contact list: choosing many (Shift-click, Ctrl+A: the ids come from
//! the store, the rows are never loaded) and adding or removing a tag or setting the stage of
//! all of them as one undo step. Runs on the UI thread: 10,000 contacts take about a second.

use super::RapportApp;
use crate::store::BulkEdit;

impl RapportApp {
    /// `Command::ExtendSelection`: every list row from the last one clicked to `index`.
    pub(super) fn extend_selection(&mut self, index: usize) {
        let Some(store) = &self.store else { return };
        let range = self.view.bulk.range_to(index);
        match store.contact_ids_matching(&self.view.search, &self.view.contact_filter) {
            Ok(ids) => {
                let end = (*range.end() + 1).min(ids.len());
                let start = (*range.start()).min(end);
                self.view.bulk.ids.extend(ids[start..end].iter().copied());
                if let Some(shown) = self.view.selected.as_ref().map(|s| s.contact.id)
                    && self.view.bulk.anchor.is_none()
                {
                    self.view.bulk.ids.insert(shown);
                }
                if self.view.bulk.anchor.is_none() {
                    self.view.bulk.anchor = Some(index);
                }
            }
            Err(error) => self.report(Err(error)),
        }
    }

    /// `Command::SelectAllMatches`: every contact the search and filters match.
    pub(super) fn select_all_matches(&mut self) {
        let Some(store) = &self.store else { return };
        match store.contact_ids_matching(&self.view.search, &self.view.contact_filter) {
            Ok(ids) => {
                self.view.bulk.ids = ids.into_iter().collect();
                let text = self.view.bulk.counted();
                self.report(Ok(format!("{text}.")));
            }
            Err(error) => self.report(Err(error)),
        }
    }

    /// `Command::BulkEdit`: the change to every chosen contact, as one undo step.
    pub(super) fn bulk_edit(&mut self, edit: BulkEdit) {
        let Some(store) = &mut self.store else { return };
        let ids: Vec<_> = self.view.bulk.ids.iter().copied().collect();
        match store.bulk_edit(&ids, &edit) {
            Ok(done) => {
                let count = done.changed.len();
                self.view.bulk.tag_text.clear();
                if count == 0 {
                    self.report(Ok(format!(
                        "{} Nothing needed changing.",
                        edit.done_sentence(0)
                    )));
                    return;
                }
                self.push_change(
                    edit.undo_label(count),
                    Some(done.change),
                    None,
                    edit.done_sentence(count),
                );
                if count > 200 {
                    // Judging thousands on this thread would hold the window: the job does it.
                    self.after_data_change(Vec::new());
                    self.start_health_job();
                } else {
                    self.after_data_change(done.changed);
                }
                self.reselect();
                if matches!(edit, BulkEdit::AddTag(_)) {
                    // A new tag may carry a cadence later; and the filter lists tags.
                    self.refresh_list();
                }
            }
            Err(error) => self.report(Err(error)),
        }
    }
}
