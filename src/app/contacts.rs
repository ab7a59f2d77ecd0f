//! Commands about contacts and what belongs to them: the contact form, saving, the trash, tags
//! (colours and cadences) and life events. Each change is recorded for undo.

use super::RapportApp;
use super::undo::{recorded, shorten};
use crate::model::{ContactDraft, ContactId};
use crate::store::StoreError;
use crate::store::undo::Part;

/// The organization and tags a contact draft names: saving it may create them.
pub(super) fn contact_parts(draft: &ContactDraft) -> Vec<Part> {
    std::iter::once(Part::Organization(draft.organization.clone()))
        .chain(draft.tags.iter().map(|t| Part::Tag(t.clone())))
        .collect()
}

impl RapportApp {
    /// `Command::NewContact`: open an empty contact form.
    pub(super) fn new_contact(&mut self) {
        self.view.contact_form = Some(crate::view::contact_form::ContactForm::new(
            None,
            &ContactDraft::default(),
        ));
    }

    /// `Command::EditContact`: open the contact form on an existing contact.
    pub(super) fn edit_contact(&mut self, id: ContactId) {
        let Some(store) = &mut self.store else { return };
        match store.contact(id) {
            Ok(contact) => {
                let mut form =
                    crate::view::contact_form::ContactForm::new(Some(id), &contact.draft);
                // The version it opened: saving merges with what a teammate saves meanwhile.
                form.started = Some(Box::new(contact));
                self.view.contact_form = Some(form);
            }
            Err(error) => self.report(Err(error)),
        }
    }

    /// `Command::SaveContact`: create (`id: None`) or update a contact. An update starts from
    /// the version the form opened (`conflicts.rs`).
    pub(super) fn save_contact(&mut self, id: Option<ContactId>, draft: Box<ContactDraft>) {
        if let Some(id) = id {
            let started = self
                .view
                .contact_form
                .as_ref()
                .filter(|f| f.id == Some(id))
                .and_then(|f| f.started.clone());
            let started = match started {
                Some(started) => started,
                // No form opened it (a command from a test): it starts from what is there.
                None => match self.store.as_ref().map(|s| s.contact(id)) {
                    Some(Ok(contact)) => Box::new(contact),
                    Some(Err(error)) => return self.contact_save_failed(error),
                    None => return,
                },
            };
            return self.save_edited_contact(started, draft, None, None);
        }
        // One that looks like someone already here asks first ("Is this …?").
        if self.ask_about_look_alikes(&draft) {
            return;
        }
        let Some(store) = &mut self.store else { return };
        let name = draft.effective_display_name();
        let result = recorded(store, &contact_parts(&draft), |store| {
            let new_id = store.create_contact(&draft)?;
            Ok((new_id, vec![Part::Contact(new_id)]))
        });
        match result {
            Ok((saved, change)) => {
                self.view.contact_form = None;
                self.refresh_list();
                self.select(saved);
                self.view.scroll_to_selected = true;
                // After undoing an add the contact is gone: nobody to show.
                self.push_change(
                    format!("Undo: add {name}"),
                    change,
                    None,
                    format!("Added {name}."),
                );
            }
            Err(error) => self.contact_save_failed(error),
        }
    }

    /// A contact that could not be saved: the form stays open with what was typed and says
    /// why (in the clash dialog, when it was saving the choices made there).
    pub(super) fn contact_save_failed(&mut self, error: StoreError) {
        let sentence = error.to_string();
        if let Some(form) = &mut self.view.contact_form {
            match &mut form.clash {
                Some(clash) => clash.error = Some(sentence),
                None => form.error = Some(sentence),
            }
        }
        if !matches!(error, StoreError::Invalid(_)) {
            self.report(Err(error));
        }
    }

    /// `Command::TrashContactAnyway` (and a trash of a contact not on screen): moves it to the
    /// trash as it is now.
    pub(super) fn trash_contact(&mut self, id: ContactId) {
        let Some(store) = &mut self.store else { return };
        let name = name_of(store, id);
        let parts = [Part::Contact(id)];
        match recorded(store, &parts, |store| {
            store.trash_contact(id).map(|()| ((), Vec::new()))
        }) {
            Ok(((), change)) => self.after_trash(id, &name, change),
            Err(error) => self.report(Err(error)),
        }
    }

    /// A contact went to the trash: off the screen, and an undoable step.
    pub(super) fn after_trash(
        &mut self,
        id: ContactId,
        name: &str,
        change: Option<crate::store::undo::Change>,
    ) {
        if self
            .view
            .selected
            .as_ref()
            .is_some_and(|s| s.contact.id == id)
        {
            self.view.selected = None;
            self.view.prefs.selected_contact = None;
        }
        self.refresh_list();
        self.push_change(
            format!("Undo: delete {name}"),
            change,
            Some(id),
            format!("Moved {name} to the trash. Undo with Ctrl+Z, or restore from File > Trash."),
        );
    }

    /// `Command::OpenTrash`.
    pub(super) fn open_trash(&mut self) {
        let Some(store) = &mut self.store else { return };
        match store.trashed_contacts() {
            Ok(list) => self.view.trash = Some(list),
            Err(error) => self.report(Err(error)),
        }
    }

    /// `Command::RestoreContact`.
    pub(super) fn restore_contact(&mut self, id: ContactId) {
        let Some(store) = &mut self.store else { return };
        let parts = [Part::Contact(id)];
        match recorded(store, &parts, |store| {
            store.restore_contact(id).map(|()| ((), Vec::new()))
        }) {
            Ok(((), change)) => {
                self.view.trash = store.trashed_contacts().ok();
                self.refresh_list();
                self.select(id);
                self.view.scroll_to_selected = true;
                let name = self
                    .view
                    .selected
                    .as_ref()
                    .map(|s| s.contact.draft.display_name.clone())
                    .unwrap_or_default();
                // Its own step: undoing it moves them back to the trash exactly as they
                // were, so the move to the trash below it stays true and undoable
                // (dropping that step would strand an older "add" of this contact).
                self.push_change(
                    format!("Undo: restore {name}"),
                    change,
                    None,
                    format!("Restored {name}. Undo with Ctrl+Z."),
                );
            }
            Err(error) => self.report(Err(error)),
        }
    }

    /// `Command::PurgeContact`: delete a trashed contact for good.
    pub(super) fn purge_contact(&mut self, id: ContactId) {
        let Some(store) = &mut self.store else { return };
        match store.purge_contact(id) {
            Ok(()) => {
                self.view.trash = store.trashed_contacts().ok();
                // Steps that touched the purged contact (or the conversations and
                // follow-ups that went with them) can no longer be applied.
                self.prune_undo();
                self.report(Ok("Deleted for good.".to_owned()));
            }
            Err(error) => self.report(Err(error)),
        }
    }

    /// `Command::OpenTags`: open View > Tags (colours and keep-in-touch cadences).
    pub(super) fn open_tags(&mut self) {
        self.count_tags();
        self.view.tags_dialog = Some(crate::view::tags_dialog::TagsDialog::new(&self.view.tags));
    }

    /// `Command::CountTags`: the tags read again with their contacts counted, for where the
    /// counts are shown (the list refresh reads them without).
    pub(super) fn count_tags(&mut self) {
        let Some(store) = &self.store else { return };
        match store.tags_counted() {
            Ok(tags) => self.view.tags = tags,
            Err(error) => self.report(Err(error)),
        }
    }

    /// `Command::SaveTag`: save a tag's colour (`#rrggbb`, or none) and cadence.
    pub(super) fn save_tag(
        &mut self,
        name: String,
        color: Option<String>,
        cadence_days: Option<i64>,
    ) {
        let Some(store) = &mut self.store else { return };
        let result = recorded(store, &[Part::Tag(name.clone())], |store| {
            store.set_tag_color(&name, color.as_deref())?;
            store.set_tag_cadence(&name, cadence_days)?;
            Ok(((), Vec::new()))
        });
        match result {
            Ok(((), change)) => {
                self.refresh_list();
                self.reselect();
                if let Some(dialog) = &mut self.view.tags_dialog {
                    dialog.error = None;
                }
                self.push_change(
                    format!("Undo: change of tag {name}"),
                    change,
                    None,
                    format!("Saved the tag {name}. Undo with Ctrl+Z."),
                );
                // A cadence changes who is going cold.
                self.start_health_job();
            }
            Err(error) => {
                if let Some(dialog) = &mut self.view.tags_dialog {
                    dialog.error = Some(error.to_string());
                }
            }
        }
    }

    /// `Command::AddLifeEvent`.
    pub(super) fn add_life_event(
        &mut self,
        contact: ContactId,
        occurred_on: chrono::NaiveDate,
        kind: String,
        description: String,
    ) {
        let Some(store) = &mut self.store else { return };
        match recorded(store, &[], |store| {
            let id = store.add_life_event(contact, occurred_on, &kind, &description)?;
            Ok((id, vec![Part::LifeEvent(id)]))
        }) {
            Ok((_, change)) => {
                self.view.life_event_form = None;
                self.reselect();
                self.push_change(
                    format!("Undo: add life event '{}'", shorten(kind.trim())),
                    change,
                    None,
                    format!("Added \"{kind}\" to the timeline. Undo with Ctrl+Z."),
                );
            }
            Err(error) => {
                if let Some(form) = &mut self.view.life_event_form {
                    form.error = Some(error.to_string());
                }
            }
        }
    }

    /// `Command::SetContactPhoto`: read an image file and make it the contact's photo (undoable).
    pub(super) fn set_contact_photo(&mut self, contact: ContactId, path: std::path::PathBuf) {
        let file = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.display().to_string());
        match std::fs::read(&path) {
            Ok(bytes) => self.set_contact_photo_bytes(contact, &bytes),
            Err(error) => self.report(Err(StoreError::Invalid(format!(
                "Could not read {file} ({error}); the photo was not changed."
            )))),
        }
    }

    /// `Command::PasteContactPhoto`: the pasted image (a screenshot, an image copied in a
    /// browser) becomes the contact's photo, as a dropped file would (undoable).
    pub(super) fn paste_contact_photo(&mut self, contact: ContactId, image: &egui::ColorImage) {
        let [width, height] = image.size;
        let pixels: Vec<u8> = image
            .pixels
            .iter()
            .flat_map(|c| c.to_srgba_unmultiplied())
            .collect();
        let mut png = std::io::Cursor::new(Vec::new());
        let encoded = image::RgbaImage::from_raw(width as u32, height as u32, pixels)
            .map(|rgba| rgba.write_to(&mut png, image::ImageFormat::Png));
        match encoded {
            Some(Ok(())) => self.set_contact_photo_bytes(contact, png.get_ref()),
            _ => self.report(Err(StoreError::Invalid(
                "The pasted image could not be read; the photo was not changed.".to_owned(),
            ))),
        }
    }

    /// Makes the image file contents `bytes` the contact's photo, as one undo step.
    fn set_contact_photo_bytes(&mut self, contact: ContactId, bytes: &[u8]) {
        let Some(store) = &mut self.store else { return };
        let name = name_of(store, contact);
        let parts = [Part::Contact(contact)];
        match recorded(store, &parts, |store| {
            store.set_photo(contact, bytes).map(|()| ((), Vec::new()))
        }) {
            Ok(((), change)) => {
                self.photo_changed(contact);
                self.push_change(
                    format!("Undo: photo of {name}"),
                    change,
                    Some(contact),
                    format!("Photo set for {name}."),
                );
            }
            Err(error) => self.report(Err(error)),
        }
    }

    /// `Command::PickContactPhoto`: ask the system file dialog for an image.
    pub(super) fn pick_contact_photo(&mut self, contact: ContactId) {
        let picked = rfd::FileDialog::new()
            .set_title("Choose a photo")
            .add_filter("Images", &crate::ui::avatar::IMAGE_EXTENSIONS)
            .pick_file();
        if let Some(path) = picked {
            self.commands
                .push(crate::view::Command::SetContactPhoto { contact, path });
        }
    }

    /// `Command::RemoveContactPhoto`: the contact goes back to their initials (undoable).
    pub(super) fn remove_contact_photo(&mut self, contact: ContactId) {
        let Some(store) = &mut self.store else { return };
        let name = name_of(store, contact);
        let parts = [Part::Contact(contact)];
        match recorded(store, &parts, |store| {
            store
                .remove_photo(contact)
                .map(|removed| (removed, Vec::new()))
        }) {
            Ok((true, change)) => {
                self.photo_changed(contact);
                self.push_change(
                    format!("Undo: photo removal of {name}"),
                    change,
                    Some(contact),
                    format!("Photo removed for {name}."),
                );
            }
            Ok((false, _)) => self.report(Ok(format!("{name} has no photo."))),
            Err(error) => self.report(Err(error)),
        }
    }

    /// After a photo was set or removed: read it again for the list and the header.
    fn photo_changed(&mut self, contact: ContactId) {
        self.view.photos.forget(contact);
        self.refresh_list();
    }
}

/// The contact's name for a sentence in the status line (empty when they cannot be read: the
/// command itself then says what went wrong).
pub(super) fn name_of(store: &crate::store::Store, id: ContactId) -> String {
    store
        .contact(id)
        .map(|c| c.draft.display_name)
        .unwrap_or_default()
}
