//! Two people, one contact, app side. The contact form saves against the version it opened
//! (`Store::save_contact`): a teammate's save in between is merged field by field and the
//! status line says whose changes were kept; when both changed one field nothing is written
//! and the form waits behind a dialog showing both values, to save again with a choice for
//! each. Moving the shown contact to the trash names the version shown, and when someone
//! changed it since, the window asks first. Each save is an undoable step, as any edit.

use super::RapportApp;
use super::contacts::{contact_parts, name_of};
use super::undo::recorded;
use crate::model::three_way::{self, Keep, ThreeWay};
use crate::model::{Contact, ContactDraft, ContactId};
use crate::store::undo::Part;
use crate::store::{Chosen, Saved, StoreError};
use crate::view::contact_form::ContactForm;
use crate::view::team_live::{ContactClash, TrashQuestion, field_list};

/// "Saved Maria García; kept Ana Lima's change to interests."
fn merged_sentence(name: &str, by: &str, fields: &[String]) -> String {
    let fields = field_list(fields);
    match by {
        "" => format!("Saved {name}; kept the change saved meanwhile to {fields}."),
        by => format!("Saved {name}; kept {by}'s change to {fields}."),
    }
}

/// Whose fields a save kept, to say so when it lands.
pub(super) struct Kept {
    pub by: String,
    pub fields: Vec<String>,
}

impl RapportApp {
    /// Saves an edited contact over `started` (the version its form opened, or the one a clash
    /// showed), merging with what was saved since; `chosen` settles fields that clashed with
    /// the version the dialog showed, and `kept` names the fields already taken from the other
    /// person.
    pub(super) fn save_edited_contact(
        &mut self,
        started: Box<Contact>,
        draft: Box<ContactDraft>,
        chosen: Option<Chosen<'_>>,
        kept: Option<Kept>,
    ) {
        let Some(store) = &mut self.store else { return };
        let id = started.id;
        let name = draft.effective_display_name();
        let result = store.contact(id).and_then(|before| {
            let mut parts = vec![Part::Contact(id)];
            parts.extend(contact_parts(&before.draft));
            parts.extend(contact_parts(&draft));
            // Recorded in the save's own transaction: a teammate's save merged in is theirs,
            // and undoing this step must not take it away.
            let (saved, change) = store.save_contact_recorded(&started, &draft, chosen, &parts)?;
            Ok((saved, Some(change)))
        });
        let (saved, change) = match result {
            Ok(done) => done,
            Err(error) => return self.contact_save_failed(error),
        };
        let text = match saved {
            Saved::Clash {
                by,
                current,
                clashes,
            } => return self.show_clash(ContactClash::new(by, current, draft, clashes)),
            Saved::Merged { by, fields } if !fields.is_empty() => {
                merged_sentence(&name, &by, &fields)
            }
            _ => match kept {
                Some(kept) if !kept.fields.is_empty() => {
                    merged_sentence(&name, &kept.by, &kept.fields)
                }
                _ => format!("Saved {name}."),
            },
        };
        self.view.contact_form = None;
        self.refresh_list();
        self.select(id);
        self.view.scroll_to_selected = true;
        self.push_change(format!("Undo: edit of {name}"), change, Some(id), text);
    }

    /// A save that clashed: the dialog over the form, which keeps what was typed.
    fn show_clash(&mut self, clash: ContactClash) {
        let form = self
            .view
            .contact_form
            .get_or_insert_with(|| ContactForm::new(Some(clash.current.id), &clash.draft));
        if clash.clashes.is_empty() {
            // The two saves could not be put together field by field (it should not happen).
            form.clash = None;
            form.error = Some(format!(
                "{} saved this contact meanwhile and the two could not be merged; nothing was saved. Close the form and edit again.",
                if clash.by.is_empty() {
                    "Someone"
                } else {
                    clash.by.as_str()
                }
            ));
            return;
        }
        form.error = None;
        form.clash = Some(clash);
    }

    /// `Command::ResolveContactClash`: saves again from the other person's version, each
    /// clashing field as chosen and every other field merged as before.
    pub(super) fn resolve_contact_clash(&mut self, choices: Vec<(String, Keep)>) {
        let Some(form) = &self.view.contact_form else {
            return;
        };
        let Some(clash) = &form.clash else { return };
        let base = form
            .started
            .as_ref()
            .map_or(&clash.current.draft, |s| &s.draft);
        let choose = |field: &str| choices.iter().find(|(f, _)| f == field).map(|(_, k)| *k);
        let merged = three_way::merge_choosing(base, &clash.draft, &clash.current.draft, &choose);
        let current = clash.current.clone();
        let by = clash.by.clone();
        match merged {
            ThreeWay::Merged { draft, theirs } => {
                let kept = Kept { by, fields: theirs };
                let chosen = Chosen {
                    against_version: current.version,
                    keep: &choices,
                };
                self.save_edited_contact(current, draft, Some(chosen), Some(kept));
            }
            // A field without a choice: the dialog stays for it.
            ThreeWay::Clashes(clashes) => {
                let draft = clash.draft.clone();
                self.show_clash(ContactClash::new(by, current, draft, clashes));
            }
        }
    }

    /// `Command::TrashContact`: moves a contact to the trash, unless it is the one shown and
    /// changed since it was read; then asks (`Command::TrashContactAnyway` goes ahead).
    pub(super) fn trash_contact_seen(&mut self, id: ContactId) {
        let seen = self
            .view
            .selected
            .as_ref()
            .filter(|s| s.contact.id == id)
            .map(|s| s.contact.version);
        let Some(seen) = seen else {
            return self.trash_contact(id);
        };
        let Some(store) = &mut self.store else { return };
        let name = name_of(store, id);
        let parts = [Part::Contact(id)];
        match recorded(store, &parts, |store| {
            store
                .trash_contact_seen(id, seen)
                .map(|()| ((), Vec::new()))
        }) {
            Ok(((), change)) => self.after_trash(id, &name, change),
            Err(StoreError::ChangedSince { by }) => {
                self.view.trash_question = Some(TrashQuestion { id, name, by });
            }
            Err(error) => self.report(Err(error)),
        }
    }

    /// After a change this window made: the shown contact as it is now (a photo or an undo
    /// raises its version), so trashing it later compares with what is on screen.
    pub(super) fn reread_selected_contact(&mut self) {
        let (Some(store), Some(selected)) = (&self.store, &mut self.view.selected) else {
            return;
        };
        if let Ok(contact) = store.contact(selected.contact.id)
            && contact.version != selected.contact.version
            && contact.deleted_at.is_none()
        {
            selected.contact = contact;
        }
    }
}
