//! Duplicates in the window: Edit ▸ Find duplicates… looks for likely pairs on a thread
//! with its own connection (at once for a database in memory), shows them with their reasons,
//! and merges the pair the person chose field by field as one undoable step. Creating a
//! contact that looks like one already there asks first ("Is this Robert Smith at Smith
//! Plumbing?"); yes opens that contact's form with what was typed added.

use super::RapportApp;
use super::jobs::{self, Polled};
use crate::insight::duplicates::{Found, merged_draft};
use crate::model::{ContactDraft, ContactId};
use crate::store::{Store, StoreError};
use crate::view::contact_form::ContactForm;
use crate::view::duplicates::{DuplicatesDialog, FoundPairs, MergeView};
use std::sync::mpsc::Receiver;

/// The search for duplicates, running on its own thread: its result, or why it failed.
pub(super) type DuplicatesJob = Option<Receiver<Result<Found, String>>>;

const VANISHED: &str = "The search for duplicates stopped unexpectedly; the details are in rapport.log in Rapport's data folder.";

impl RapportApp {
    /// The phone country numbers without "+" are read in.
    fn phone_region(&self) -> String {
        self.store
            .as_ref()
            .and_then(|s| s.setting("phone_region"))
            .unwrap_or_else(super::navigation::default_phone_region)
    }

    /// `Command::OpenDuplicates`: opens the dialog and starts looking.
    pub(super) fn open_duplicates(&mut self) {
        let region = self.phone_region();
        let Some(store) = &self.store else { return };
        self.view.duplicates = Some(DuplicatesDialog::default());
        let Some(location) = store.location() else {
            let found = store.find_duplicates(&region).map_err(|e| e.to_string());
            return self.duplicates_found(found);
        };
        let (sender, receiver) = std::sync::mpsc::channel();
        let spawned = std::thread::Builder::new()
            .name("duplicates".to_owned())
            .spawn(move || {
                let found = Store::open_at(&location)
                    .and_then(|store| store.find_duplicates(&region))
                    .map_err(|e| {
                        tracing::warn!("finding duplicates failed: {}", e.for_the_log());
                        e.to_string()
                    });
                let _ = sender.send(found);
            });
        match spawned {
            Ok(_) => self.duplicates_job = Some(receiver),
            Err(error) => {
                tracing::warn!("could not start the duplicates thread: {error}");
                self.duplicates_found(Err(VANISHED.to_owned()));
            }
        }
    }

    /// After each frame: whether the search ended, and frames while it runs.
    pub(super) fn poll_duplicates(&mut self, ctx: &egui::Context) {
        let Some(receiver) = &self.duplicates_job else {
            return;
        };
        let found = match jobs::poll_result(receiver) {
            Polled::Running => {
                ctx.request_repaint_after(std::time::Duration::from_millis(100));
                return;
            }
            Polled::Finished(found) => found,
            Polled::Vanished => Err(VANISHED.to_owned()),
        };
        self.duplicates_job = None;
        self.duplicates_found(found);
        ctx.request_repaint();
    }

    fn duplicates_found(&mut self, found: Result<Found, String>) {
        // Closed meanwhile: nothing to show.
        let Some(dialog) = &mut self.view.duplicates else {
            return;
        };
        match found {
            Ok(found) => {
                dialog.found = Some(FoundPairs {
                    pairs: found.pairs,
                    contacts: found.contacts,
                    crowded_keys: found.crowded_keys,
                })
            }
            Err(error) => dialog.error = Some(error),
        }
    }

    /// `Command::OpenMerge`: the two side by side, as they are now.
    pub(super) fn open_merge(&mut self, first: ContactId, second: ContactId) {
        let (Some(store), Some(dialog)) = (&self.store, &mut self.view.duplicates) else {
            return;
        };
        let reasons = dialog
            .found
            .iter()
            .flat_map(|f| &f.pairs)
            .find(|p| p.first.id == first && p.second.id == second)
            .map(|p| p.reasons.clone())
            .unwrap_or_default();
        let previews = store
            .merge_preview(first, second)
            .and_then(|a| Ok((a, store.merge_preview(second, first)?)));
        match previews {
            Ok((keep_first, keep_second)) => {
                let moves = [keep_first.moves, keep_second.moves];
                let fields = store
                    .custom_fields(crate::model::custom_field::AppliesTo::Contact)
                    .unwrap_or_default();
                dialog.merge = Some(MergeView::new(
                    keep_first.kept,
                    keep_first.other,
                    moves,
                    reasons,
                    fields,
                ));
                dialog.error = None;
            }
            Err(error) => dialog.error = Some(error.to_string()),
        }
    }

    /// `Command::MergeContacts`: merges the pair the dialog shows, as chosen there.
    pub(super) fn merge_contacts(&mut self) {
        let region = self.phone_region();
        let Some(merge) = self.view.duplicates.as_ref().and_then(|d| d.merge.clone()) else {
            return;
        };
        let Some(store) = &mut self.store else { return };
        let (kept, other) = (merge.kept(), merge.other());
        let merged = merged_draft(&kept.draft, &other.draft, &merge.choices, &region);
        let (kept_name, other_name) = (
            merged.effective_display_name(),
            other.draft.effective_display_name(),
        );
        match store.merge_contacts(kept, other, &merged) {
            Ok((_, change)) => {
                if let Some(dialog) = &mut self.view.duplicates {
                    dialog.merge = None;
                    if let Some(found) = &mut dialog.found {
                        found.drop_pairs(Some(other.id), None);
                        found.contacts = found.contacts.saturating_sub(1);
                    }
                }
                // A photo may have moved.
                self.view.photos.clear();
                self.refresh_list();
                self.select(kept.id);
                self.view.scroll_to_selected = true;
                self.after_data_change(vec![kept.id]);
                self.calendar_changed();
                self.push_change(
                    format!("Undo: merge of {other_name} into {kept_name}"),
                    Some(change),
                    Some(kept.id),
                    format!("Merged {other_name} into {kept_name}; everything of theirs is kept. Undo with Ctrl+Z."),
                );
            }
            Err(error) => self.merge_failed(&merge, error),
        }
    }

    /// A merge that did not happen: said in the merge view; one of the two changed since it
    /// opened shows them again as they are now.
    fn merge_failed(&mut self, merge: &MergeView, error: StoreError) {
        let changed = matches!(error, StoreError::ChangedSince { .. });
        let sentence = match changed {
            true => format!(
                "{error} They are shown again as they are now; merge again if it still looks right."
            ),
            false => error.to_string(),
        };
        if changed {
            self.open_merge(merge.first.id, merge.second.id);
        }
        if let Some(view) = self.view.duplicates.as_mut().and_then(|d| d.merge.as_mut()) {
            view.error = Some(sentence);
        }
        if !matches!(
            error,
            StoreError::Invalid(_) | StoreError::ChangedSince { .. } | StoreError::NotAllowed(_)
        ) {
            self.report(Err(error));
        }
    }

    /// `Command::NotSamePerson`: the pair is not listed again.
    pub(super) fn not_same_person(&mut self, first: ContactId, second: ContactId) {
        let Some(store) = &mut self.store else { return };
        if let Err(error) = store.mark_not_same(first, second) {
            return self.report(Err(error));
        }
        let Some(dialog) = &mut self.view.duplicates else {
            return;
        };
        dialog.merge = None;
        let names = dialog.found.as_mut().and_then(|found| {
            let pair = found
                .pairs
                .iter()
                .find(|p| p.first.id == first && p.second.id == second)
                .map(|p| (p.first.name.clone(), p.second.name.clone()));
            found.drop_pairs(None, Some((first, second)));
            pair
        });
        if let Some((a, b)) = names {
            self.report(Ok(format!(
                "{a} and {b} are two people; they are not listed as duplicates again."
            )));
        }
    }

    /// Before a new contact is saved: whether it looks like contacts already here, asked in
    /// the form ("Is this Robert Smith at Smith Plumbing?"). True when the form now asks;
    /// asked once per form (an answer, or saving again, saves).
    pub(super) fn ask_about_look_alikes(&mut self, draft: &ContactDraft) -> bool {
        let region = self.phone_region();
        let (Some(store), Some(form)) = (&self.store, &mut self.view.contact_form) else {
            return false;
        };
        if form.id.is_some() || form.look_alikes.is_some() {
            return false;
        }
        let found = store.look_alikes(draft, &region).unwrap_or_else(|error| {
            tracing::warn!("could not look for look-alikes: {}", error.for_the_log());
            Vec::new()
        });
        let asks = !found.is_empty();
        form.look_alikes = Some(found);
        asks
    }

    /// `Command::AddToContact`: "Is this Robert Smith?" — yes: his form opens with what was
    /// typed added (new e-mails, phones, tags; blank fields filled), to look over and save.
    pub(super) fn add_to_contact(&mut self, id: ContactId, draft: &ContactDraft) {
        let Some(store) = &self.store else { return };
        let contact = match store.contact(id) {
            Ok(contact) => contact,
            Err(error) => return self.report(Err(error)),
        };
        let mut merged = contact.draft.clone();
        let report = merged.merge_from(draft);
        // "Bob Smith" typed for Robert Smith: Bob becomes his nickname, when he has none.
        let first_word = |d: &ContactDraft| {
            let name = d.effective_display_name();
            let word = name
                .split_whitespace()
                .next()
                .unwrap_or_default()
                .to_owned();
            (crate::insight::duplicates::fold(&word), word)
        };
        let (typed, theirs) = (first_word(draft), first_word(&contact.draft));
        if merged.nickname.trim().is_empty() && !typed.0.is_empty() && typed.0 != theirs.0 {
            merged.nickname = typed.1;
        }
        let mut form = ContactForm::new(Some(id), &merged);
        // Dirty from the start: what was typed is not saved yet, and Escape asks first.
        form.session = ContactForm::new(Some(id), &contact.draft).session;
        if !report.conflicts.is_empty() {
            form.error = Some(format!(
                "Check before saving: {}.",
                report
                    .conflicts
                    .join("; ")
                    .replace("the file says", "you typed")
            ));
        }
        form.started = Some(Box::new(contact));
        self.view.contact_form = Some(form);
        self.select(id);
        self.view.scroll_to_selected = true;
    }
}
