//! A file protected with a passphrase, in the window: File ▸ Protect with a passphrase… (and
//! Change / Remove, `Store::set_passphrase`, which rewrites the file and its backups), File ▸
//! Lock (the window forgets the passphrase and shows the unlock screen), and unlocking (the
//! passphrase typed, or kept in the system keychain when the person asked for that).

use super::RapportApp;
use super::launch::open_for_window;
use crate::store::cipher::{self, Passphrase};
use crate::store::{Location, Store, StoreError};
use crate::view::protect::{PassphraseAction, PassphraseChange, PassphraseDialog, UnlockScreen};
use std::path::{Path, PathBuf};

impl RapportApp {
    /// The file the window is on, when it is one.
    pub(super) fn file_path(&self) -> Option<PathBuf> {
        self.location
            .as_ref()
            .and_then(Location::file)
            .map(Path::to_path_buf)
    }

    /// `Command::OpenPassphraseDialog`.
    pub(super) fn open_passphrase_dialog(&mut self, action: PassphraseAction) {
        let Some(path) = self.file_path() else { return };
        let remembered = crate::credentials::saved_passphrase(&path).is_some();
        self.view.passphrase_dialog = Some(PassphraseDialog::new(action, remembered));
    }

    /// `Command::ApplyPassphrase`: protects the file, changes or removes its passphrase, as the
    /// dialog says; a refusal stays in the dialog, with nothing changed.
    pub(super) fn apply_passphrase(&mut self) {
        let Some(mut dialog) = self.view.passphrase_dialog.take() else {
            return;
        };
        let outcome = dialog
            .change()
            .and_then(|change| self.change_passphrase(change, dialog.remember));
        dialog.clear_typed();
        match outcome {
            Ok(text) => {
                self.view.protected = self.store.as_ref().map(Store::is_protected);
                self.report(Ok(text));
            }
            Err(error) => {
                dialog.error = Some(error);
                self.view.passphrase_dialog = Some(dialog);
            }
        }
    }

    fn change_passphrase(
        &mut self,
        change: PassphraseChange,
        remember: bool,
    ) -> Result<String, String> {
        let path = self
            .file_path()
            .ok_or("Only a database file has a passphrase.")?;
        if change.current.is_some() && change.current != cipher::passphrase_for(&path) {
            return Err("That is not the current passphrase; nothing was changed.".to_owned());
        }
        let store = self.store.as_mut().ok_or("No database is open.")?;
        let removing = change.new.is_none();
        let done = store
            .set_passphrase(change.new.clone())
            .map_err(|e| e.to_string())?;
        let kept = keep_in_keychain(&path, change.new.as_ref().filter(|_| remember));
        let mut backups = match done.backups {
            1 => "its backup".to_owned(),
            n => format!("its {n} backups"),
        };
        if !done.left.is_empty() {
            backups.push_str(&format!(
                " ({} older one(s) left as they were: another passphrase, or damaged)",
                done.left.len()
            ));
        }
        let text = if removing {
            format!("Removed the passphrase: the file and {backups} are plain files again.")
        } else {
            format!(
                "The file and {backups} are protected with the passphrase. Keep it safe: without it nobody can open them.{kept}"
            )
        };
        Ok(text)
    }

    /// `Command::LockDatabase`: closes the file and forgets its passphrase; the window shows
    /// the unlock screen until it is typed again.
    pub(super) fn lock_database(&mut self) {
        let Some(path) = self.file_path() else { return };
        if !self.store.as_ref().is_some_and(Store::is_protected) {
            return;
        }
        cipher::forget(&path);
        let location = Location::File(path.clone());
        let prefs = self.view.prefs.clone();
        let locked = StoreError::NeedsPassphrase {
            path: path.display().to_string(),
        };
        // The window keeps the file's lock: no second Rapport opens it while this one asks.
        let lock = self.lock.take();
        *self = Self::with_store_at(Err(locked), prefs, self.fixed_now);
        self.location = Some(location);
        self.lock = lock;
        self.view.status = None;
    }

    /// `Command::Unlock`: opens the file with the passphrase typed on the unlock screen; a wrong
    /// one says so there and changes nothing.
    pub(super) fn unlock(&mut self) {
        let Some(screen) = self.view.unlock.as_mut() else {
            return;
        };
        let Some(passphrase) = Passphrase::new(std::mem::take(&mut screen.passphrase)) else {
            screen.error = Some("Type the passphrase first.".to_owned());
            return;
        };
        let (path, remember) = (screen.path.clone(), screen.remember);
        cipher::remember(&path, passphrase.clone());
        let location = Location::File(path.clone());
        // The window opened on the locked file holds its lock already (a launch that needed
        // the passphrase); taking it again would say the file is in use.
        let (store, lock) = match self.lock.take() {
            Some(lock) => (Store::open(&path), Some(lock)),
            None => open_for_window(&location),
        };
        if let Err(StoreError::WrongPassphrase { .. }) = &store {
            self.lock = lock;
            cipher::forget(&path);
            if let Some(screen) = self.view.unlock.as_mut() {
                screen.failed += 1;
                screen.error = Some(
                    "That passphrase does not open this file (passphrases are case-sensitive). Nothing was changed; try again."
                        .to_owned(),
                );
            }
            return;
        }
        let kept = match store.is_ok() && remember {
            true => keep_in_keychain(&path, Some(&passphrase)),
            false => String::new(),
        };
        let prefs = self.view.prefs.clone();
        *self = Self::with_store_at(store, prefs, self.fixed_now);
        self.attach(location, lock, None);
        if !kept.is_empty() {
            self.report(Ok(kept.trim().to_owned()));
        }
    }
}

/// Keeps `passphrase` in the keychain for the file at `path`, or forgets the one kept there
/// (none); returns a sentence when that failed (with a leading space), or when it was kept.
fn keep_in_keychain(path: &Path, passphrase: Option<&Passphrase>) -> String {
    match passphrase {
        Some(passphrase) => match crate::credentials::save_passphrase(path, passphrase) {
            Ok(()) => {
                " This computer's keychain keeps it, so Rapport opens without asking.".to_owned()
            }
            Err(why) => format!(" {why}"),
        },
        None => {
            crate::credentials::forget_passphrase(path);
            String::new()
        }
    }
}

/// The unlock screen for an open that needs a passphrase (`None` for any other outcome).
pub(super) fn unlock_screen_for(error: &StoreError) -> Option<UnlockScreen> {
    match error {
        StoreError::NeedsPassphrase { path } => Some(UnlockScreen::new(path.into(), None)),
        StoreError::WrongPassphrase { path } => {
            // The keychain's passphrase (or the one given) no longer opens it.
            cipher::forget(Path::new(path));
            Some(UnlockScreen::new(path.into(), Some(error.to_string())))
        }
        _ => None,
    }
}
