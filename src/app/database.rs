//! The database file itself: attaching the window to it (lock, recovery offer, the daily backup
//! thread, crash notice, welcome), backups and restores, recovering a damaged file, and switching
//! to the demo database and back.

use super::RapportApp;
use super::jobs::{self, Polled};
use super::launch::open_for_window;
use crate::store::Store;
use crate::view::{Prefs, Recovery, StatusLine};
use chrono::NaiveDateTime;
use std::path::PathBuf;

impl RapportApp {
    /// Connects the app to the database file behind it: keeps the lock, offers the latest good
    /// backup when the file is damaged, takes the daily backup on its own thread, explains a
    /// crash of the last session, and shows the welcome on a first launch.
    pub fn attach_file(
        &mut self,
        db_path: PathBuf,
        lock: Option<crate::safety::InstanceLock>,
        crash_report: Option<String>,
    ) {
        self.lock = lock;
        // A backup is offered only for a damaged file: a locked or newer database is fine as it is.
        if self.store.is_none() && self.view.damaged {
            self.view.recovery = crate::safety::latest_good_backup(&db_path).map(|b| Recovery {
                backup: b.path,
                taken_at: b.taken_at,
            });
        }
        self.db_path = Some(db_path);
        if let Some(store) = &self.store {
            self.view.first_run = store.was_created();
            if let Some(path) = store.path().map(|p| p.to_path_buf()) {
                let now = self.now();
                let (sender, receiver) = std::sync::mpsc::channel();
                let spawned = std::thread::Builder::new()
                    .name("daily-backup".to_owned())
                    .spawn(move || {
                        let result = Store::open(&path)
                            .and_then(|store| store.backup_if_stale(now))
                            .map_err(|e| e.to_string());
                        let _ = sender.send(result);
                    });
                match spawned {
                    Ok(_) => self.backup_job = Some(receiver),
                    Err(e) => tracing::warn!("could not start the backup thread: {e}"),
                }
            }
        }
        if let Some(report) = crash_report {
            self.view.crash_notice = Some(report);
        }
    }

    /// Collects the launch backup's result when its thread is done.
    pub(super) fn poll_backup(&mut self) {
        let Some(receiver) = &self.backup_job else {
            return;
        };
        let result = match jobs::poll_result(receiver) {
            Polled::Running => return,
            // The thread ended without a result: nothing to say.
            Polled::Vanished => {
                self.backup_job = None;
                return;
            }
            Polled::Finished(result) => result,
        };
        self.backup_job = None;
        match result {
            Ok(Some(path)) => tracing::info!("daily backup written to {}", path.display()),
            Ok(None) => {}
            Err(error) => {
                self.view.status = Some(StatusLine {
                    text: format!(
                        "The daily backup failed: {error}. Your data is unchanged; try File > Backups > Back up now."
                    ),
                    is_error: true,
                    undo: None,
                });
            }
        }
    }

    /// Replaces the store with the database at `path` (the demo database, or back to the
    /// user's own), with its own lock.
    pub(super) fn switch_database(&mut self, path: PathBuf, fill_demo: bool) {
        // Release the current file first, so switching back finds it unlocked.
        self.store = None;
        self.lock = None;
        self.view.photos.clear();
        let (store, lock) = open_for_window(&path);
        let mut store = match store {
            Ok(store) => store,
            Err(error) => {
                self.report(Err(error));
                return;
            }
        };
        if fill_demo && store.count_contacts("").unwrap_or(0) == 0 {
            let now = self.now();
            if let Err(error) = crate::demo::fill(&mut store, 300, 4000, now, |_, _| {}) {
                self.report(Err(error));
            }
        }
        let prefs = self.view.prefs.clone();
        let demo_of = self.view.demo_of.clone();
        let fixed_now = self.fixed_now;
        *self = Self::with_store_at(
            Ok(store),
            Prefs {
                selected_contact: None,
                ..prefs
            },
            fixed_now,
        );
        self.lock = lock;
        self.db_path = Some(path);
        self.view.demo_of = demo_of;
    }

    /// `Command::RecoverFromBackup`: replace a damaged database with this backup (the damaged file
    /// is renamed aside).
    pub(super) fn recover_from_backup(&mut self, backup: PathBuf) {
        let Some(db_path) = self.db_path.clone() else {
            return;
        };
        let now = self.now();
        match crate::store::backup::replace_unusable_database(&db_path, &backup, now) {
            Ok(moved) => {
                self.view.photos.clear();
                let lock = self.lock.take();
                let (store, lock) = match lock {
                    Some(lock) => (Store::open(&db_path), Some(lock)),
                    None => open_for_window(&db_path),
                };
                let prefs = self.view.prefs.clone();
                *self = Self::with_store_at(store, prefs, self.fixed_now);
                self.lock = lock;
                self.db_path = Some(db_path);
                let kept = moved
                    .map(|p| format!(" The damaged file was kept as {}.", p.display()))
                    .unwrap_or_default();
                self.report(Ok(format!(
                    "Restored the backup of {}.{kept}",
                    now.format("%-d %b %Y")
                )));
            }
            Err(error) => {
                self.view.open_error = Some(format!("The backup could not be restored: {error}"));
            }
        }
    }

    /// `Command::TryDemo`: open the demo database (filled on first use) instead of the user's own.
    pub(super) fn try_demo(&mut self) {
        let Some(own) = self.db_path.clone() else {
            return;
        };
        let demo = own.with_file_name("rapport-demo.sqlite3");
        self.view.first_run = false;
        self.switch_database(demo, true);
        self.view.demo_of = Some(own);
    }

    /// `Command::BackToOwnData`: leave the demo database for the user's own.
    pub(super) fn back_to_own_data(&mut self) {
        if let Some(own) = self.view.demo_of.take() {
            self.switch_database(own, false);
            self.view.demo_of = None;
        }
    }

    /// `Command::OpenBackups`.
    pub(super) fn open_backups(&mut self) {
        let Some(store) = &mut self.store else { return };
        match store.path().map(crate::store::backup::list_backups) {
            Some(Ok(list)) => self.view.backups = Some(list),
            Some(Err(error)) => self.report(Err(error)),
            None => self.report(Ok("A database in memory has no backups.".to_owned())),
        }
    }

    /// `Command::BackupNow`.
    pub(super) fn backup_now(&mut self, now: NaiveDateTime) {
        let Some(store) = &mut self.store else { return };
        match store.backup_now("manual", now) {
            Ok(path) => {
                self.view.backups = store
                    .path()
                    .and_then(|db| crate::store::backup::list_backups(db).ok());
                self.report(Ok(format!("Backed up to {}.", path.display())));
            }
            Err(error) => self.report(Err(error)),
        }
    }

    /// `Command::RestoreBackup`: replace the data with this backup (after backing up what is
    /// there).
    pub(super) fn restore_backup(&mut self, path: PathBuf, now: NaiveDateTime) {
        let Some(store) = &mut self.store else { return };
        match store.restore_from(&path, now) {
            Ok(safety) => {
                self.view.backups = None;
                self.view.photos.clear();
                self.undo.clear();
                self.view.undo_top = None;
                self.view.selected = None;
                self.refresh_list();
                self.report(Ok(format!(
                    "Restored the backup. What you had before is saved as {}.",
                    safety
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default()
                )));
            }
            Err(error) => self.report(Err(error)),
        }
    }
}
