//! The database itself: attaching the window to it (lock, recovery offer, the daily backup
//! thread, crash notice, welcome, the title), backups and restores, recovering a damaged file,
//! and switching to the demo database and back.

use super::RapportApp;
use super::jobs::{self, Polled};
use super::launch::open_for_window;
use crate::store::{Location, Store};
use crate::view::{Prefs, Recovery, StatusLine};
use chrono::NaiveDateTime;
use std::path::PathBuf;

impl RapportApp {
    /// Connects the app to the database file behind it (see `attach`).
    pub fn attach_file(
        &mut self,
        db_path: PathBuf,
        lock: Option<crate::safety::InstanceLock>,
        crash_report: Option<String>,
    ) {
        self.attach(Location::File(db_path), lock, crash_report);
    }

    /// Connects the app to the database behind it: keeps the lock, offers the latest good
    /// backup when a file is damaged, takes a file's daily backup on its own thread, explains
    /// a crash of the last session, and shows the welcome on a first launch.
    pub fn attach(
        &mut self,
        location: Location,
        lock: Option<crate::safety::InstanceLock>,
        crash_report: Option<String>,
    ) {
        self.lock = lock;
        // A backup is offered only for a damaged file: a locked or newer database is fine as it is.
        if self.store.is_none()
            && self.view.damaged
            && let Some(db_path) = location.file()
        {
            self.view.recovery = crate::safety::latest_good_backup(db_path).map(|b| Recovery {
                backup: b.path,
                taken_at: b.taken_at,
            });
        }
        if self.store.is_none() {
            // Named in the title even when it could not be opened.
            self.view.database = crate::view::DatabaseName::of(Some(&location));
        }
        self.location = Some(location);
        if let Some(store) = &self.store {
            self.view.first_run = store.was_created();
            if let Some(path) = store.path().map(|p| p.to_path_buf()) {
                self.start_daily_backup(path);
            }
        }
        if let Some(report) = crash_report {
            self.view.crash_notice = Some(report);
        }
    }

    /// The daily backup of the file at `path`, on its own thread and connection.
    fn start_daily_backup(&mut self, path: PathBuf) {
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

    /// Names the open database in the window's title when it changed (a team database is
    /// named there; a file keeps the plain "Rapport").
    pub(super) fn send_title(&mut self, ctx: &egui::Context) {
        let title = self.view.database.title();
        if self.title_sent.as_ref() != Some(&title) {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.title_sent = Some(title);
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

    /// Replaces the store with the database at `location` (the demo database, or back to the
    /// user's own), with its own lock.
    pub(super) fn switch_database(&mut self, location: Location, fill_demo: bool) {
        // Release the current file first, so switching back finds it unlocked.
        self.store = None;
        self.lock = None;
        self.view.photos.clear();
        let (store, lock) = open_for_window(&location);
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
        let demo_of = self.view.demo_of.clone();
        self.rebuild_on(store, lock, location);
        self.view.demo_of = demo_of;
    }

    /// Starts the app afresh on `store` (at `location`, holding `lock`), keeping the user's
    /// choices but not the selection, which belonged to the other database.
    pub(super) fn rebuild_on(
        &mut self,
        store: Store,
        lock: Option<crate::safety::InstanceLock>,
        location: Location,
    ) {
        let prefs = Prefs {
            selected_contact: None,
            ..self.view.prefs.clone()
        };
        *self = Self::with_store_at(Ok(store), prefs, self.fixed_now);
        self.lock = lock;
        self.location = Some(location);
    }

    /// `Command::RecoverFromBackup`: replace a damaged database with this backup (the damaged file
    /// is renamed aside).
    pub(super) fn recover_from_backup(&mut self, backup: PathBuf) {
        let Some(db_path) = self.file_path() else {
            return;
        };
        let now = self.now();
        match crate::store::backup::replace_unusable_database(&db_path, &backup, now) {
            Ok(moved) => {
                self.view.photos.clear();
                let lock = self.lock.take();
                let (store, lock) = match lock {
                    Some(lock) => (Store::open(&db_path), Some(lock)),
                    None => open_for_window(&Location::File(db_path.clone())),
                };
                let prefs = self.view.prefs.clone();
                *self = Self::with_store_at(store, prefs, self.fixed_now);
                self.lock = lock;
                self.location = Some(Location::File(db_path));
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
        let Some(own) = self.location.clone() else {
            return;
        };
        let Some(demo) = demo_file_for(&own) else {
            return self.report(Ok(
                "The demo data needs a folder to keep its file in; start Rapport with --db PATH to try it.".to_owned(),
            ));
        };
        self.view.first_run = false;
        self.switch_database(Location::File(demo), true);
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
        if store.team().is_some() {
            return self.report(Ok(crate::safety::TEAM_BACKUP.to_owned()));
        }
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
        match store.restore_from_erasing(&path, now) {
            Ok((safety, again)) => {
                self.view.backups = None;
                self.view.photos.clear();
                self.undo.clear();
                self.view.undo_top = None;
                self.view.selected = None;
                self.refresh_list();
                self.report(Ok(format!(
                    "Restored the backup. What you had before is saved as {}.{}",
                    safety
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default(),
                    crate::safety::erased_again(again)
                )));
            }
            Err(error) => self.report(Err(error)),
        }
    }
}

/// Where the demo database lives: beside the user's own file, or, on a team database, in the
/// user data folder (demo data never goes into a database the team shares).
fn demo_file_for(own: &Location) -> Option<PathBuf> {
    let own_file = match own {
        Location::File(path) => path.clone(),
        Location::Team(_) => directories::ProjectDirs::from("", "", "Rapport")?
            .data_dir()
            .join("rapport.sqlite3"),
    };
    Some(own_file.with_file_name("rapport-demo.sqlite3"))
}
