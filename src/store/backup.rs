//! The safety net: copies of the database made with SQLite's online backup API into a
//! `backups` folder beside it, named after it (`shop-2026-03-01T090000_daily.sqlite3` for
//! `shop.sqlite3`, so two databases in one folder never see, offer or rotate away each other's
//! copies) — at launch when the newest is over a day old, before every
//! migration, import and restore — rotated to 7 daily and 4 weekly copies. Restoring never
//! overwrites anything without a copy: the current file is backed up (or, when it is damaged,
//! renamed aside) first.

use super::cipher::{self, Passphrase};
use super::db::Db;
use super::{Result, SCHEMA_VERSION, Store, StoreError, restrict_permissions, trust};
use chrono::{Datelike, NaiveDateTime};
use rusqlite::Connection;
use std::path::{Path, PathBuf};

const NAME_TIME: &str = "%Y-%m-%dT%H%M%S";

/// One backup file.
#[derive(Clone, Debug, PartialEq)]
pub struct BackupInfo {
    pub path: PathBuf,
    /// Local time the copy was taken (from its name).
    pub taken_at: NaiveDateTime,
    /// Why it was taken: "daily", "manual", "before-import", …
    pub reason: String,
    pub size_bytes: u64,
}

/// The backups folder for a database file.
pub fn backup_dir_for(db_path: &Path) -> PathBuf {
    db_path.parent().unwrap_or(Path::new(".")).join("backups")
}

/// How the names of a database's backups begin: its file name without the extension, and a
/// dash ("rapport-" for `rapport.sqlite3`, the default database, as before per-database names).
pub fn backup_name_prefix(db_path: &Path) -> String {
    let stem = db_path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "rapport".to_owned());
    format!("{stem}-")
}

/// Every backup of the database at `db_path`, newest first. Files that do not follow the
/// naming — other databases' backups among them — are ignored (and never deleted).
pub fn list_backups(db_path: &Path) -> Result<Vec<BackupInfo>> {
    let dir = backup_dir_for(db_path);
    let prefix = backup_name_prefix(db_path);
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e.into()),
    };
    let mut backups = Vec::new();
    for entry in entries {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(stem) = name
            .strip_prefix(prefix.as_str())
            .and_then(|n| n.strip_suffix(".sqlite3"))
        else {
            continue;
        };
        let (time_text, reason) = stem.split_once('_').unwrap_or((stem, ""));
        let Ok(taken_at) = NaiveDateTime::parse_from_str(time_text, NAME_TIME) else {
            continue;
        };
        backups.push(BackupInfo {
            path: entry.path(),
            taken_at,
            reason: reason.to_owned(),
            size_bytes: entry.metadata().map(|m| m.len()).unwrap_or(0),
        });
    }
    backups.sort_by(|a, b| {
        b.taken_at
            .cmp(&a.taken_at)
            .then_with(|| b.path.cmp(&a.path))
    });
    Ok(backups)
}

/// Which backups rotation removes: it keeps the newest copy of each of the 7 most recent days
/// that have one, the newest copy of each of the 4 most recent ISO weeks that have one, and,
/// on the newest day, the newest copy of each reason: the copy taken before today's import or
/// restore outlives the day's later backups (the launch's daily backup, finishing on its
/// thread in the same second as a before-import copy, used to rotate that one away).
pub fn rotation_victims(backups: &[BackupInfo]) -> Vec<PathBuf> {
    let mut newest_first: Vec<&BackupInfo> = backups.iter().collect();
    newest_first.sort_by_key(|b| std::cmp::Reverse(b.taken_at));
    let mut days = Vec::new();
    let mut weeks = Vec::new();
    let mut reasons_today = Vec::new();
    let mut keep = std::collections::HashSet::new();
    for backup in &newest_first {
        let day = backup.taken_at.date();
        if days.first().is_none_or(|newest| *newest == day)
            && !reasons_today.contains(&backup.reason.as_str())
        {
            reasons_today.push(backup.reason.as_str());
            keep.insert(backup.path.clone());
        }
        if !days.contains(&day) && days.len() < 7 {
            days.push(day);
            keep.insert(backup.path.clone());
        }
        let week = (day.iso_week().year(), day.iso_week().week());
        if !weeks.contains(&week) && weeks.len() < 4 {
            weeks.push(week);
            keep.insert(backup.path.clone());
        }
    }
    newest_first
        .into_iter()
        .filter(|b| !keep.contains(&b.path))
        .map(|b| b.path.clone())
        .collect()
}

/// What a health check of a database file found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FileHealth {
    Healthy {
        schema_version: i64,
    },
    /// Not SQLite, damaged, or not a Rapport database; the sentence says which.
    Unusable(String),
    /// Written by a newer Rapport.
    TooNew {
        found: i64,
    },
}

/// Checks a database file without changing it: that it is a Rapport database this version can
/// read, with Rapport's own schema (`trust::schema_problem`), and SQLite's integrity check.
pub fn check_file(path: &Path) -> FileHealth {
    match trust::open_read_only(path) {
        Ok(conn) => check_connection(&conn),
        Err(e) => FileHealth::Unusable(format!("it cannot be opened ({e})")),
    }
}

/// `check_file` on a connection opened with `trust::open_read_only`. The schema is compared
/// before the integrity check, which reads every row through it.
fn check_connection(conn: &Connection) -> FileHealth {
    let version: i64 = match conn.pragma_query_value(None, "user_version", |r| r.get(0)) {
        Ok(version) => version,
        Err(e) => return unreadable(&e),
    };
    if version > SCHEMA_VERSION {
        return FileHealth::TooNew { found: version };
    }
    match trust::schema_problem(conn, version) {
        Ok(None) => {}
        Ok(Some(what)) => return FileHealth::Unusable(what),
        Err(StoreError::Sqlite(e)) => return unreadable(&e),
        Err(e) => return FileHealth::Unusable(e.to_string()),
    }
    if version == 0 {
        // Rapport's schema 0: an empty file.
        return FileHealth::Unusable("it is not a Rapport database".to_owned());
    }
    let lines: rusqlite::Result<Vec<String>> = conn
        .prepare("PRAGMA integrity_check(5)")
        .and_then(|mut s| s.query_map((), |r| r.get(0))?.collect());
    match lines {
        Err(e) => unreadable(&e),
        Ok(lines) if lines != ["ok"] => {
            FileHealth::Unusable(format!("it is damaged: {}", lines.join("; ")))
        }
        Ok(_) => FileHealth::Healthy {
            schema_version: version,
        },
    }
}

/// Why SQLite could not read a file, in words.
fn unreadable(e: &rusqlite::Error) -> FileHealth {
    match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::NotADatabase) => {
            FileHealth::Unusable("it is not a SQLite database".to_owned())
        }
        _ => FileHealth::Unusable(format!("SQLite cannot read it ({e})")),
    }
}

/// Opens the backup at `source` to copy from, once `check_connection` finds it healthy on that
/// same connection; otherwise a sentence that names the file, says `refused` ("cannot be
/// restored") and why.
fn open_backup(source: &Path, refused: &str) -> Result<Connection> {
    let unusable = |why: String| {
        StoreError::Invalid(format!(
            "{} {refused}: {why}. Nothing was changed.",
            source.display()
        ))
    };
    let src = trust::open_read_only(source).map_err(|e| match e {
        StoreError::NeedsPassphrase { .. } | StoreError::WrongPassphrase { .. } => e,
        e => unusable(format!("it cannot be opened ({e})")),
    })?;
    match check_connection(&src) {
        FileHealth::Healthy { .. } => Ok(src),
        FileHealth::TooNew { found } => Err(StoreError::TooNew {
            found,
            supported: SCHEMA_VERSION,
        }),
        FileHealth::Unusable(why) => Err(unusable(why)),
    }
}

/// Copies the open database `conn` to `dest`, through a temporary file so a half-written copy
/// never carries a backup's name: with the online backup API when both are plain, with
/// `sqlcipher_export` when either is protected (`protected`: `conn`'s file is), the copy
/// encrypted with `passphrase` (plain without one).
fn copy_database(
    conn: &Connection,
    dest: &Path,
    protected: bool,
    passphrase: Option<&Passphrase>,
) -> Result<()> {
    let dir = dest.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let partial = dest.with_extension("partial");
    let _ = std::fs::remove_file(&partial);
    if protected || passphrase.is_some() {
        cipher::export_copy(conn, &partial, passphrase)?;
    } else {
        let mut target = Connection::open(&partial)?;
        trust::harden(&target)?;
        restrict_permissions(&partial);
        let backup = rusqlite::backup::Backup::new(conn, &mut target)?;
        backup.run_to_completion(1024, std::time::Duration::from_millis(0), None)?;
    }
    std::fs::rename(&partial, dest)?;
    Ok(())
}

impl Store {
    /// Copies the database to `dest` (readable by the user only).
    pub fn backup_to(&self, dest: &Path) -> Result<()> {
        let protected = self.passphrase.is_some();
        copy_database(
            self.conn.sqlite()?,
            dest,
            protected,
            self.passphrase.as_ref(),
        )
    }

    /// Takes a backup into the backups folder, named by `now` and `reason`, then rotates.
    pub fn backup_now(&self, reason: &str, now: NaiveDateTime) -> Result<PathBuf> {
        let db_path = self.path.as_deref().ok_or_else(|| {
            StoreError::Invalid("A database in memory has no backups folder.".to_owned())
        })?;
        let dir = backup_dir_for(db_path);
        let prefix = backup_name_prefix(db_path);
        let mut dest = dir.join(format!(
            "{prefix}{}_{reason}.sqlite3",
            now.format(NAME_TIME)
        ));
        let mut n = 1;
        while dest.exists() {
            n += 1;
            dest = dir.join(format!(
                "{prefix}{}_{reason}-{n}.sqlite3",
                now.format(NAME_TIME)
            ));
        }
        self.backup_to(&dest)?;
        for victim in rotation_victims(&list_backups(db_path)?) {
            if victim != dest
                && let Err(e) = std::fs::remove_file(&victim)
            {
                tracing::warn!("could not remove old backup {}: {e}", victim.display());
            }
        }
        Ok(dest)
    }

    /// Takes the daily backup when the newest backup is more than a day old (or there is none).
    pub fn backup_if_stale(&self, now: NaiveDateTime) -> Result<Option<PathBuf>> {
        let Some(db_path) = self.path.as_deref() else {
            return Ok(None);
        };
        let newest = list_backups(db_path)?.into_iter().next();
        if newest.is_some_and(|b| now - b.taken_at < chrono::Duration::days(1)) {
            return Ok(None);
        }
        self.backup_now("daily", now).map(Some)
    }

    /// Replaces the database with the backup at `source`, after checking the backup (on the
    /// connection it is then copied from) and taking a copy of the current data. Returns that
    /// copy's path.
    pub fn restore_from(&mut self, source: &Path, now: NaiveDateTime) -> Result<PathBuf> {
        self.restore_from_erasing(source, now)
            .map(|(safety, _)| safety)
    }

    /// `restore_from`, and whoever was erased from this database since the backup was made
    /// is erased from the restored data again (`Store::erase_again`): a restore never brings
    /// back a person who asked to be forgotten. Also returns how many were.
    pub fn restore_from_erasing(
        &mut self,
        source: &Path,
        now: NaiveDateTime,
    ) -> Result<(PathBuf, usize)> {
        let erased = self.erased_uids().unwrap_or_default();
        let safety = self.restore_only(source, now)?;
        let again = self.erase_again(&erased)?;
        Ok((safety, again))
    }

    fn restore_only(&mut self, source: &Path, now: NaiveDateTime) -> Result<PathBuf> {
        let src = open_backup(source, "cannot be restored")?;
        // The online backup API copies pages, so both sides need the same key: a backup that
        // is not encrypted as this file is goes through a copy that is. Made before the
        // safety copy, whose rotation may remove the backup being restored.
        let converted = match (cipher::is_protected(source), &self.passphrase) {
            (false, None) => None,
            (_, passphrase) => {
                let here = self.path.as_deref().and_then(Path::parent);
                let copy = tempfile::Builder::new()
                    .prefix(".rapport-restore-")
                    .tempfile_in(here.unwrap_or(Path::new(".")))?;
                let source_key = cipher::passphrase_for(source);
                cipher::export_file(
                    source,
                    source_key.as_ref(),
                    copy.path(),
                    passphrase.as_ref(),
                )?;
                Some((cipher::open_keyed(copy.path(), passphrase.as_ref())?, copy))
            }
        };
        let safety = self.backup_now("before-restore", now)?;
        {
            let Db::Sqlite(conn) = &mut self.conn else {
                return Err(StoreError::Invalid(
                    "A team database is restored on its server (pg_restore), not here.".to_owned(),
                ));
            };
            let from = converted.as_ref().map_or(&src, |(copy, _)| copy);
            let backup = rusqlite::backup::Backup::new(from, conn)?;
            backup.run_to_completion(1024, std::time::Duration::from_millis(10), None)?;
        }
        self.configure()?;
        self.migrate()?;
        Ok(safety)
    }
}

/// Restores `source` into the database file at `db_path` when that file cannot be opened
/// (damaged, or not a database): the unusable file is renamed aside, never deleted, and the
/// backup is copied into its place. Returns where the old file went.
pub fn replace_unusable_database(
    db_path: &Path,
    source: &Path,
    now: NaiveDateTime,
) -> Result<Option<PathBuf>> {
    let src = open_backup(source, "is not a usable backup")?;
    let passphrase = cipher::passphrase_for(db_path);
    let mut moved = None;
    if db_path.exists() {
        let aside = db_path.with_extension(format!("damaged-{}.sqlite3", now.format(NAME_TIME)));
        std::fs::rename(db_path, &aside)?;
        for suffix in ["-wal", "-shm"] {
            let side = PathBuf::from(format!("{}{suffix}", db_path.display()));
            if side.exists() {
                std::fs::rename(&side, PathBuf::from(format!("{}{suffix}", aside.display())))?;
            }
        }
        moved = Some(aside);
    }
    if cipher::is_protected(source) || passphrase.is_some() {
        // `src` only reads: the copy is made on a connection of its own.
        let partial = db_path.with_extension("partial");
        let source_key = cipher::passphrase_for(source);
        cipher::export_file(source, source_key.as_ref(), &partial, passphrase.as_ref())?;
        std::fs::rename(&partial, db_path)?;
    } else {
        copy_database(&src, db_path, false, None)?;
    }
    Ok(moved)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(at: &str) -> BackupInfo {
        BackupInfo {
            path: PathBuf::from(at),
            taken_at: NaiveDateTime::parse_from_str(at, "%Y-%m-%d %H:%M").unwrap(),
            reason: "daily".into(),
            size_bytes: 1,
        }
    }

    #[test]
    fn rotation_keeps_seven_days_and_four_weeks() {
        // Two copies a day for 60 days.
        let mut all = Vec::new();
        let start = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        for d in 0..60 {
            let day = start + chrono::Duration::days(d);
            all.push(info(&format!("{day} 08:00")));
            all.push(info(&format!("{day} 18:00")));
        }
        let victims = rotation_victims(&all);
        let kept: Vec<_> = all
            .iter()
            .filter(|b| !victims.contains(&b.path))
            .map(|b| b.taken_at.to_string())
            .collect();
        // The last 7 days' evening copies (the weekly ones of the last weeks coincide with them
        // or add up to 4 distinct weeks).
        assert!(
            kept.contains(&"2026-03-01 18:00:00".to_string()),
            "{kept:?}"
        );
        assert!(
            kept.contains(&"2026-02-23 18:00:00".to_string()),
            "{kept:?}"
        );
        assert!(!kept.contains(&"2026-03-01 08:00:00".to_string()));
        assert!(kept.len() <= 11 && kept.len() >= 9, "{kept:?}");
        let oldest_kept = all
            .iter()
            .filter(|b| !victims.contains(&b.path))
            .map(|b| b.taken_at)
            .min()
            .unwrap();
        assert!(
            oldest_kept.date() >= chrono::NaiveDate::from_ymd_opt(2026, 2, 2).unwrap(),
            "four weeks back at most"
        );
    }

    #[test]
    fn rotation_keeps_todays_copy_before_an_import_past_a_later_daily_one() {
        let mut before_import = info("2026-03-02 09:00");
        before_import.path = PathBuf::from("before-import");
        before_import.reason = "before-import".into();
        let mut older_before_import = info("2026-03-01 09:00");
        older_before_import.path = PathBuf::from("older-before-import");
        older_before_import.reason = "before-import".into();
        let all = vec![
            info("2026-03-02 09:00"),
            before_import,
            info("2026-03-02 08:00"),
            older_before_import,
            info("2026-03-01 18:00"),
        ];
        let victims = rotation_victims(&all);
        assert!(!victims.contains(&PathBuf::from("before-import")));
        assert!(!victims.contains(&PathBuf::from("2026-03-02 09:00")));
        assert!(victims.contains(&PathBuf::from("2026-03-02 08:00")));
        // An earlier day keeps only its newest copy, as before.
        assert!(victims.contains(&PathBuf::from("older-before-import")));
        assert!(!victims.contains(&PathBuf::from("2026-03-01 18:00")));
    }
}
