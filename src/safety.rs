//! Commands of the safety net that run before (or instead of) opening the store normally:
//! backup, restore, check, and the single-instance lock of the window.

use crate::store::backup::{self, FileHealth};
use crate::store::{Store, StoreError};
use anyhow::{Result, bail};
use std::fs::File;
use std::path::{Path, PathBuf};

/// Held while a window has the database open; a second window on the same file is refused.
#[derive(Debug)]
pub struct InstanceLock {
    _file: File,
    pub path: PathBuf,
}

/// Takes the lock beside the database, or says another Rapport has it.
pub fn lock_database(db_path: &Path) -> Result<InstanceLock, StoreError> {
    let path = PathBuf::from(format!("{}.lock", db_path.display()));
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
        Ok(()) => Ok(InstanceLock { _file: file, path }),
        Err(std::fs::TryLockError::WouldBlock) => Err(StoreError::Locked),
        Err(std::fs::TryLockError::Error(e)) => Err(e.into()),
    }
}

/// `rapport backup [-o FILE]`.
pub fn backup(db_path: &Path, output: Option<&Path>) -> Result<String> {
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
pub fn list(db_path: &Path) -> Result<String> {
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
pub fn restore(db_path: &Path, source: &Path) -> Result<String> {
    let now = chrono::Local::now().naive_local();
    match Store::open(db_path) {
        Ok(mut store) => {
            let safety = store.restore_from(source, now)?;
            Ok(format!(
                "Restored {}. The data you had is saved as {}.",
                source.display(),
                safety.display()
            ))
        }
        Err(StoreError::NotADatabase { .. } | StoreError::Corrupt { .. }) => {
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
pub fn check(db_path: &Path) -> Result<String> {
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
