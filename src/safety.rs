//! Commands of the safety net that run before (or instead of) opening the store normally:
//! backup, restore, check, and the single-instance lock of the window.
//!
//! All of them work on a local Rapport file. On a team database they say, in one sentence,
//! where that work is done instead (its server), rather than failing on a file that is not there.

use crate::store::backup::{self, FileHealth};
use crate::store::{Location, Store, StoreError};
use anyhow::{Result, bail};
use std::fs::File;
use std::path::{Path, PathBuf};

/// Held while a window has the database open; a second window on the same file is refused
/// (or, asked to open a contact, hands that to the window: `remind::handoff`).
#[derive(Debug)]
pub struct InstanceLock {
    _file: File,
    pub path: PathBuf,
    /// The database it keeps to one window.
    pub db: PathBuf,
}

/// The file `<db>.<suffix>` beside the database: its lock, the reminder companion's lock and
/// memory, the window's handoff address.
pub fn beside(db_path: &Path, suffix: &str) -> PathBuf {
    let mut name = db_path.as_os_str().to_owned();
    name.push(".");
    name.push(suffix);
    PathBuf::from(name)
}

/// Whether a window holds the lock of the database at `db_path` (it is taken for an instant to
/// look, so ask only when about to open a window anyway).
pub fn database_locked(db_path: &Path) -> bool {
    let Ok(file) = File::open(beside(db_path, "lock")) else {
        return false;
    };
    matches!(file.try_lock(), Err(std::fs::TryLockError::WouldBlock))
}

/// Makes a file beside the database readable by its owner only (mode 0600 on Unix).
pub fn make_private(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        if let Err(e) = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)) {
            tracing::warn!("could not make {} private: {e}", path.display());
        }
    }
    #[cfg(not(unix))]
    let _ = path;
}

/// Takes the lock beside the database, or says another Rapport has it.
pub fn lock_database(db_path: &Path) -> Result<InstanceLock, StoreError> {
    let path = beside(db_path, "lock");
    if let Some(parent) = path.parent()
        && !parent.as_os_str().is_empty()
    {
        std::fs::create_dir_all(parent)?;
    }
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)?;
    match file.try_lock() {
        Ok(()) => Ok(InstanceLock {
            _file: file,
            path,
            db: db_path.to_path_buf(),
        }),
        Err(std::fs::TryLockError::WouldBlock) => Err(StoreError::Locked),
        Err(std::fs::TryLockError::Error(e)) => Err(e.into()),
    }
}

/// `rapport backups --erase-erased`: everyone erased from the database (by the UIDs it keeps)
/// is erased from the backups beside it too; says what each backup held.
pub fn erase_erased_from_backups(location: &Location) -> Result<String> {
    let db_path = file_of(location, TEAM_BACKUPS)?;
    let uids = Store::open(db_path)?.erased_uids()?;
    if uids.is_empty() {
        return Ok(
            "Nobody was erased from this database; the backups are as they were.".to_owned(),
        );
    }
    let checks = crate::store::erase::erase_uids_from_backups(db_path, &uids)?;
    let erased = checks
        .iter()
        .filter(|c| matches!(c.outcome, crate::store::erase::BackupOutcome::Erased(_)))
        .count();
    let unusable: Vec<String> = checks
        .iter()
        .filter_map(|c| match &c.outcome {
            crate::store::erase::BackupOutcome::Unusable(why) => {
                Some(format!("{}: {why}", c.path.display()))
            }
            _ => None,
        })
        .collect();
    let mut text = format!(
        "Erased from the backups everyone erased from this database ({} {}; {erased} backup {} changed).",
        uids.len(),
        if uids.len() == 1 { "person" } else { "people" },
        if erased == 1 { "copy" } else { "copies" }
    );
    if !unusable.is_empty() {
        text.push_str(&format!(" Could not change: {}", unusable.join("; ")));
    }
    Ok(text)
}

/// " 2 people erased since were erased from it again." after a restore, or nothing.
pub fn erased_again(count: usize) -> String {
    match count {
        0 => String::new(),
        1 => " 1 person erased since that backup was made was erased from it again.".to_owned(),
        n => format!(" {n} people erased since that backup was made were erased from it again."),
    }
}

/// What the window's Backups… says on a team database.
pub const TEAM_BACKUP: &str = "A team database is backed up on its server (pg_dump). `rapport backup` makes a local copy of everything you may read of it.";
/// What `rapport backups` says on a team database.
pub const TEAM_BACKUPS: &str = "A team database keeps no backups beside it: they are made on its server (pg_dump), so there is nothing to list here.";
/// What `rapport restore` says on a team database.
pub const TEAM_RESTORE: &str = "A team database is restored on its server (pg_restore); rapport restore puts a backup back into a local Rapport file.";
/// What `rapport check` says on a team database.
pub const TEAM_CHECK: &str = "rapport check reads a local Rapport file; a team database is checked on its server, and Rapport checks its schema each time it connects.";

/// The file `location` names, or `team_sentence` as the error when it is a team database.
fn file_of<'a>(location: &'a Location, team_sentence: &str) -> Result<&'a Path> {
    match location.file() {
        Some(path) => Ok(path),
        None => bail!("{team_sentence}"),
    }
}

/// `rapport backup [-o FILE]` of a team database: a local Rapport file with everything the
/// signed-in person may read (the server's own backups are `pg_dump`'s business).
fn backup_team(url: &str, output: Option<&Path>) -> Result<String> {
    let store = Store::open_team(url)?;
    let dest = match output {
        Some(path) => path.to_path_buf(),
        None => {
            let dirs = directories::ProjectDirs::from("", "", "Rapport").ok_or_else(|| {
                anyhow::anyhow!("Could not find your home folder; pass -o FILE for the copy.")
            })?;
            let dir = dirs.data_dir().join("team-copies");
            std::fs::create_dir_all(&dir)?;
            let stamp = chrono::Local::now().format("%Y-%m-%d-%H%M%S");
            dir.join(format!("team-{stamp}.sqlite3"))
        }
    };
    let copied = store.copy_to_file(&dest)?;
    Ok(format!(
        "Copied what you may read of the team database ({} rows, {} contacts) to {}. Open it with rapport --db FILE; the server's own backups are made with pg_dump.",
        copied.total(),
        copied.count("contacts"),
        dest.display()
    ))
}

/// `rapport backup [-o FILE]`.
pub fn backup(location: &Location, output: Option<&Path>) -> Result<String> {
    let db_path = match location {
        Location::Team(url) => return backup_team(url, output),
        Location::File(path) => path,
    };
    let store = Store::open(db_path)?;
    let now = chrono::Local::now().naive_local();
    let dest = match output {
        Some(path) => {
            if path.exists() {
                bail!(
                    "{} already exists; choose a new file name, nothing was overwritten.",
                    path.display()
                );
            }
            store.backup_to(path)?;
            path.to_path_buf()
        }
        None => store.backup_now("manual", now)?,
    };
    let size = std::fs::metadata(&dest).map(|m| m.len()).unwrap_or(0);
    Ok(format!(
        "Backed up to {} ({}).",
        dest.display(),
        human_size(size)
    ))
}

/// `rapport backups`.
pub fn list(location: &Location) -> Result<String> {
    let db_path = file_of(location, TEAM_BACKUPS)?;
    let dir = backup::backup_dir_for(db_path);
    let backups = backup::list_backups(db_path)?;
    if backups.is_empty() {
        return Ok(format!(
            "No backups yet in {}. Make one with: rapport backup",
            dir.display()
        ));
    }
    let mut out = String::new();
    for b in backups {
        out.push_str(&format!(
            "{}  {:<24} {:>9}  {}\n",
            b.taken_at.format("%Y-%m-%d %H:%M"),
            b.reason,
            human_size(b.size_bytes),
            b.path.display()
        ));
    }
    Ok(out.trim_end().to_owned())
}

/// `rapport restore FILE`: restores a backup; the current data is copied first, or, when the
/// current file cannot be opened at all, renamed aside.
pub fn restore(location: &Location, source: &Path) -> Result<String> {
    let db_path = file_of(location, TEAM_RESTORE)?;
    let now = chrono::Local::now().naive_local();
    match Store::open(db_path) {
        Ok(mut store) => {
            let (safety, again) = store.restore_from_erasing(source, now)?;
            Ok(format!(
                "Restored {}. The data you had is saved as {}.{}",
                source.display(),
                safety.display(),
                erased_again(again)
            ))
        }
        Err(
            StoreError::NotADatabase { .. }
            | StoreError::Corrupt { .. }
            | StoreError::Untrusted { .. },
        ) => {
            let moved = backup::replace_unusable_database(db_path, source, now)?;
            Ok(match moved {
                Some(aside) => format!(
                    "Restored {}. The damaged file was kept as {}.",
                    source.display(),
                    aside.display()
                ),
                None => format!("Restored {}.", source.display()),
            })
        }
        Err(other) => Err(other.into()),
    }
}

/// `rapport check`: a plain answer about the database's health.
pub fn check(location: &Location) -> Result<String> {
    let db_path = file_of(location, TEAM_CHECK)?;
    if !db_path.exists() {
        bail!("There is no database at {} yet.", db_path.display());
    }
    match backup::check_file(db_path) {
        FileHealth::Healthy { schema_version } => Ok(format!(
            "The database is healthy ({}, schema {schema_version}).",
            db_path.display()
        )),
        FileHealth::TooNew { found } => bail!(
            "The database was written by a newer Rapport (schema {found}); update Rapport to check it."
        ),
        FileHealth::Unusable(why) => {
            let latest = backup::list_backups(db_path)?
                .into_iter()
                .find(|b| matches!(backup::check_file(&b.path), FileHealth::Healthy { .. }));
            match latest {
                Some(b) => bail!(
                    "The database has a problem: {why}. The latest good backup is {} (from {}); restore it with: rapport restore \"{}\"",
                    b.path.display(),
                    b.taken_at.format("%Y-%m-%d %H:%M"),
                    b.path.display()
                ),
                None => bail!("The database has a problem: {why}. There is no backup to restore."),
            }
        }
    }
}

/// The newest backup that passes the health check, to offer when the database is damaged.
pub fn latest_good_backup(db_path: &Path) -> Option<backup::BackupInfo> {
    backup::list_backups(db_path)
        .ok()?
        .into_iter()
        .find(|b| matches!(backup::check_file(&b.path), FileHealth::Healthy { .. }))
}

/// 1536 → "1.5 KB".
pub fn human_size(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 30 => format!("{:.1} GB", b as f64 / (1u64 << 30) as f64),
        b if b >= 1 << 20 => format!("{:.1} MB", b as f64 / (1u64 << 20) as f64),
        b if b >= 1 << 10 => format!("{:.1} KB", b as f64 / 1024.0),
        b => format!("{b} bytes"),
    }
}
