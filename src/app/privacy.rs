//! A customer's rights in the window: Contact ▸ Everything we hold… writes one readable file
//! (HTML or JSON, by its extension) of all Rapport holds about the person; Contact ▸ Erase
//! completely… deletes them and every trace (`Store::erase_contact`, which compacts the file so
//! the bytes are gone) and says which backups still hold them, or erases them there too.

use super::RapportApp;
use crate::model::ContactId;
use crate::store::StoreError;
use crate::store::erase::{self, BackupCheck, BackupOutcome};
use crate::view::privacy::{EraseDialog, EverythingDialog};
use chrono::NaiveDateTime;

impl RapportApp {
    /// `Command::OpenEverything`.
    pub(super) fn open_everything(&mut self, id: ContactId) {
        let Some(store) = &self.store else { return };
        match store.contact(id) {
            Ok(contact) => {
                let name = contact.draft.effective_display_name();
                self.view.everything_dialog = Some(EverythingDialog::new(id, &name));
            }
            Err(error) => self.report(Err(error)),
        }
    }

    /// `Command::SaveEverything`: writes the dialog's file, 0600, or says in the dialog why not.
    pub(super) fn save_everything(&mut self, now: NaiveDateTime) {
        let (Some(store), Some(dialog)) = (&self.store, &mut self.view.everything_dialog) else {
            return;
        };
        let path = std::path::PathBuf::from(dialog.path.trim());
        let extension = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        let render = match extension.as_deref() {
            Some("json") => crate::report::everything::to_json,
            Some("html" | "htm") => crate::report::everything::to_html,
            _ => {
                dialog.error = Some("Name the file something.html or something.json.".to_owned());
                return;
            }
        };
        let written = store
            .everything_about(dialog.contact)
            .map_err(anyhow::Error::from)
            .and_then(|held| crate::files::write_atomically(&path, render(&held, now).as_bytes()));
        match written {
            Ok(()) => {
                crate::safety::make_private(&path);
                let name = dialog.name.clone();
                self.view.everything_dialog = None;
                self.report(Ok(format!(
                    "Wrote everything Rapport holds about {name} to {}.",
                    path.display()
                )));
            }
            Err(error) => dialog.error = Some(format!("{error:#}")),
        }
    }

    /// `Command::OpenErase`: asks first.
    pub(super) fn open_erase(&mut self, id: ContactId) {
        let Some(store) = &self.store else { return };
        match store.contact(id) {
            Ok(contact) => {
                self.view.erase_dialog = Some(EraseDialog {
                    contact: id,
                    name: contact.draft.effective_display_name(),
                    from_backups: true,
                })
            }
            Err(error) => self.report(Err(error)),
        }
    }

    /// `Command::EraseContact`: erases them for good. Every undo step goes too: one of them
    /// could write the erased person back.
    pub(super) fn erase_contact(&mut self, id: ContactId, from_backups: bool) {
        self.view.erase_dialog = None;
        let Some(store) = &mut self.store else { return };
        let (erased, _) = match store.erase_contact(id) {
            Ok(done) => done,
            Err(error) => return self.report(Err(error)),
        };
        let backups = match store.path().map(|db| db.to_path_buf()) {
            Some(db) if from_backups => erase::erase_from_backups(&db, &erased),
            Some(db) => erase::check_backups(&db, &erased),
            None => Ok(Vec::new()),
        };
        self.undo.clear();
        self.view.undo_top = None;
        self.view.photos.clear();
        self.view.selected = None;
        self.refresh_list();
        self.refresh_today();
        let text = format!(
            "Erased {} and every trace of them; the file was compacted. This cannot be undone.{}",
            erased.name,
            backups_sentence(backups, from_backups)
        );
        self.report(Ok(text));
    }
}

/// " 2 backups still hold them: …" / " Erased from 2 backups too." / a problem with them.
fn backups_sentence(checks: Result<Vec<BackupCheck>, StoreError>, erased_there: bool) -> String {
    let checks = match checks {
        Ok(checks) => checks,
        Err(error) => return format!(" The backups could not be checked: {error}"),
    };
    let holding: Vec<String> = checks
        .iter()
        .filter(|c| c.outcome == BackupOutcome::Holds)
        .filter_map(|c| c.path.file_name().map(|n| n.to_string_lossy().into_owned()))
        .collect();
    let unusable = checks
        .iter()
        .filter(|c| matches!(c.outcome, BackupOutcome::Unusable(_)))
        .count();
    let erased = checks
        .iter()
        .filter(|c| matches!(c.outcome, BackupOutcome::Erased(_)))
        .count();
    let mut text = match (erased_there, holding.len()) {
        (true, _) => format!(" Erased from {erased} backup(s) too."),
        (false, 0) => " No backup holds them.".to_owned(),
        (false, n) => format!(
            " {n} backup(s) still hold them ({}) until they rotate out; `rapport backups --erase-erased` erases them there.",
            holding.join(", ")
        ),
    };
    if unusable > 0 {
        text.push_str(&format!(
            " {unusable} backup(s) could not be read; see Backups…."
        ));
    }
    text
}
