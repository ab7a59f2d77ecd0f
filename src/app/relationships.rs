//! Relationships between contacts in the window: the selected contact's relationships (read
//! with the selection, and named in "Before you talk"), "Add relationship…" with its lookup of
//! people by name, adding and removing one as an undo step, and View ▸ Who referred whom.

use super::RapportApp;
use super::undo::shorten;
use crate::model::ContactId;
use crate::model::relationship::Role;
use crate::view::relationships::{AddRelationship, Candidate, ReferralsWindow, ShownRelationships};

/// How many people the dialog offers for what is typed.
const CANDIDATES: usize = 6;

impl RapportApp {
    /// Reads the relationships of `id`, just selected (keeping the section's filter when it is
    /// the same contact again), names them in the briefing and refreshes Who referred whom.
    pub(super) fn load_relationships(&mut self, id: ContactId) {
        let Some(store) = &self.store else { return };
        let previous = self.view.relationships.shown.take();
        match store.relationships_of(id) {
            Ok(lines) => {
                if let Some(selected) = &mut self.view.selected
                    && selected.contact.id == id
                {
                    selected.briefing.relationships = crate::insight::relationships_line(&lines);
                }
                let kept = previous.filter(|p| p.contact == id);
                self.view.relationships.shown = Some(ShownRelationships::new(
                    id,
                    lines,
                    kept.as_ref().map(|k| k.filter.clone()).unwrap_or_default(),
                    kept.is_some_and(|k| k.expanded),
                ));
            }
            Err(error) => {
                tracing::warn!("could not read the relationships: {}", error.for_the_log())
            }
        }
        self.refresh_referrals();
    }

    /// `Command::OpenAddRelationship`.
    pub(super) fn open_add_relationship(&mut self, id: ContactId) {
        let name = self.name_of(id);
        self.view.relationships.dialog = Some(AddRelationship::new(id, &name));
    }

    /// `Command::FindRelated`: the people whose name matches what is typed in the dialog.
    pub(super) fn find_related(&mut self, text: &str) {
        let Some(store) = &self.store else { return };
        let found = if text.trim().is_empty() {
            Vec::new()
        } else {
            store
                .contact_rows(text, 0, CANDIDATES + 1)
                .unwrap_or_default()
        };
        if let Some(dialog) = &mut self.view.relationships.dialog {
            dialog.set_candidates(
                found
                    .into_iter()
                    .map(|r| Candidate {
                        id: r.id,
                        name: r.display_name,
                        organization: r.organization,
                    })
                    .take(CANDIDATES)
                    .collect(),
            );
        }
    }

    /// `Command::Relate`: one undo step; the dialog closes, or stays open with the sentence
    /// saying why nothing was recorded.
    pub(super) fn relate(&mut self, contact: ContactId, role: Role, other: ContactId, note: &str) {
        let me = self.name_of(contact);
        let Some(store) = &mut self.store else { return };
        match store.relate(contact, role, other, note) {
            Ok(done) => {
                self.view.relationships.dialog = None;
                let sentence = role.sentence(&me, &done.related.other_name);
                match done.change {
                    Some(change) => {
                        self.push_change(
                            shorten(&format!("Undo: add '{}'", done.related.wording())),
                            Some(change),
                            Some(contact),
                            format!("Recorded: {sentence}. It shows on both of them."),
                        );
                    }
                    None => self.report(Ok(format!(
                        "Already recorded: {sentence}. Nothing was changed."
                    ))),
                }
                self.reselect();
            }
            Err(error) => match &mut self.view.relationships.dialog {
                Some(dialog) => {
                    dialog.error = Some(error.to_string());
                    // Back to the name: the keyboard goes on from there.
                    dialog.session.focus_first = true;
                }
                None => self.report(Err(error)),
            },
        }
    }

    /// `Command::Unrelate`: one undo step.
    pub(super) fn unrelate(&mut self, contact: ContactId, relationship: i64) {
        let me = self.name_of(contact);
        let Some(store) = &mut self.store else { return };
        match store.remove_relationship(contact, relationship) {
            Ok((removed, change)) => {
                let sentence = removed.role.sentence(&me, &removed.other_name);
                self.push_change(
                    shorten(&format!("Undo: remove '{}'", removed.wording())),
                    Some(change),
                    Some(contact),
                    format!("Removed: {sentence}. Undo with Ctrl+Z."),
                );
                self.reselect();
            }
            Err(error) => self.report(Err(error)),
        }
    }

    /// `Command::OpenReferrals`: View ▸ Who referred whom.
    pub(super) fn open_referrals(&mut self) {
        let Some(store) = &self.store else { return };
        match store.referrals() {
            Ok(list) => self.view.relationships.referrals = Some(ReferralsWindow::new(&list)),
            Err(error) => self.report(Err(error)),
        }
    }

    /// Reads the referrals again when Who referred whom is open.
    fn refresh_referrals(&mut self) {
        let (Some(store), Some(window)) = (&self.store, &mut self.view.relationships.referrals)
        else {
            return;
        };
        match store.referrals() {
            Ok(list) => window.fill(&list),
            Err(error) => tracing::warn!("could not read the referrals: {}", error.for_the_log()),
        }
    }

    /// A contact's name for a sentence (the selected one's without asking the store).
    fn name_of(&self, id: ContactId) -> String {
        match &self.view.selected {
            Some(selected) if selected.contact.id == id => {
                selected.contact.draft.display_name.clone()
            }
            _ => self
                .store
                .as_ref()
                .and_then(|s| s.contact(id).ok())
                .map(|c| c.draft.display_name)
                .unwrap_or_default(),
        }
    }
}
