//! Erasing one person completely (`rapport contact erase`): the contact and everything hanging
//! off it, the conversations only they took part in, their search documents and the import
//! records about them, in one transaction; then the file is compacted (`VACUUM`, with the WAL
//! checkpointed and truncated before and after) so the bytes are gone from it. Conversations
//! shared with other people keep everyone else: only the person's place in them goes, and what
//! the notes say about them stays. It cannot be undone, by design.
//!
//! Older backups beside the database may still hold the person: `check_backups` says which,
//! and `erase_from_backups` runs the same erase and compaction in each of them.

use super::contacts::{delete_contact_row, delete_lonely_conversations};
use super::db::{Db, OptionalExtension as _};
use super::everything::no_such_contact;
use super::{Result, SCHEMA_VERSION, Store, StoreError, backup, restrict_permissions, trust};
use crate::model::ContactId;
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};

/// Who was erased, and how many rows of each kind went with them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Erased {
    pub id: ContactId,
    pub name: String,
    pub uid: String,
    /// What went, in words, with how many: ("e-mail addresses", 2), in the order reported.
    pub removed: Vec<(&'static str, usize)>,
    /// Conversations shared with other people: kept for them, without this person.
    pub shared_conversations: usize,
}

/// The file's size before and after compaction (the database and its WAL together).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Compacted {
    pub before_bytes: u64,
    pub after_bytes: u64,
}

/// What became of one backup file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BackupOutcome {
    /// The person is not in it.
    Clean,
    /// It still holds the person.
    Holds,
    /// The person was erased from it, and it was compacted.
    Erased(Compacted),
    /// It could not be read or changed; the sentence says why.
    Unusable(String),
}

/// A backup beside the database and what became of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BackupCheck {
    pub path: PathBuf,
    pub outcome: BackupOutcome,
}

/// The tables hanging off a contact, as (words, table, the schema version that made it).
const CHILD_ROWS: [(&str, &str, i64); 8] = [
    ("e-mail addresses", "contact_emails", 1),
    ("phone numbers", "contact_phones", 1),
    ("postal addresses", "contact_addresses", 1),
    ("tag links", "contact_tags", 1),
    ("photo", "contact_photos", 6),
    ("relationship health", "contact_health", 2),
    ("stage changes", "stage_changes", 1),
    ("life events", "life_events", 1),
];

impl Store {
    /// Erases contact `id` and every trace of them (in the trash or not) in one transaction,
    /// then compacts the file. Refused on a team database.
    pub fn erase_contact(&mut self, id: ContactId) -> Result<(Erased, Compacted)> {
        if self.conn.is_postgres() {
            return Err(StoreError::NotAllowed(
                "Erasing a person completely works on a database file only; on a team database, ask its administrator to delete them on the server (and in its backups)."
                    .to_owned(),
            ));
        }
        let erased = erase_in(&self.conn, id, SCHEMA_VERSION)?;
        let compacted = compact(self.conn.sqlite()?, self.path.as_deref())?;
        Ok((erased, compacted))
    }
}

/// Erases contact `id` in one transaction on `db`, whose schema is `version`, with SQLite's
/// secure delete on so freed space is zeroed.
fn erase_in(db: &Db, id: ContactId, version: i64) -> Result<Erased> {
    let conn = db.sqlite()?;
    conn.pragma_update(None, "secure_delete", "ON")?;
    let tx = db.transaction()?;
    let erased = erase_rows(&tx, id, version)?;
    tx.commit()?;
    Ok(erased)
}

/// Deletes contact `id` with everything hanging off it and returns what went.
fn erase_rows(tx: &Db, id: ContactId, version: i64) -> Result<Erased> {
    let (name, uid): (String, String) = tx
        .query_row(
            if version >= 5 {
                "SELECT display_name, uid FROM contacts WHERE id = ?1"
            } else {
                "SELECT display_name, '' FROM contacts WHERE id = ?1"
            },
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?
        .ok_or_else(|| no_such_contact(id))?;
    let mut removed = Vec::new();
    for (words, table, since) in CHILD_ROWS {
        if version >= since {
            let sql = format!("DELETE FROM {table} WHERE contact_id = ?1");
            removed.push((words, tx.execute(&sql, [id])?));
        }
    }
    if version >= 9 {
        // The foreign keys would take them along; deleted here so the erase says how many.
        let sql = "DELETE FROM relationships WHERE from_id = ?1 OR to_id = ?1";
        removed.push(("relationships", tx.execute(sql, [id])?));
    }
    let reschedules = tx.execute(
        "DELETE FROM follow_up_changes WHERE follow_up_id IN
            (SELECT id FROM follow_ups WHERE contact_id = ?1)",
        [id],
    )?;
    let follow_ups: i64 = tx.query_row(
        "SELECT COUNT(*) FROM follow_ups WHERE contact_id = ?1",
        [id],
        |r| r.get(0),
    )?;
    let places: i64 = tx.query_row(
        "SELECT COUNT(*) FROM interaction_participants WHERE contact_id = ?1",
        [id],
        |r| r.get(0),
    )?;
    let imports = tx.execute(
        "DELETE FROM import_batch_changes WHERE contact_id = ?1",
        [id],
    )?;
    let lonely = delete_lonely_conversations(tx, id)?;
    delete_contact_row(tx, id)?;
    removed.push(("follow-ups", follow_ups as usize));
    removed.push(("follow-up reschedules", reschedules));
    removed.push(("conversations only with them", lonely));
    removed.push(("import records", imports));
    // Merging the search indexes drops the deleted documents' words from their segments.
    for index in ["contact_fts", "interaction_fts"] {
        tx.execute(
            &format!("INSERT INTO {index} ({index}) VALUES ('optimize')"),
            (),
        )?;
    }
    remember_erased(tx, &uid)?;
    Ok(Erased {
        id,
        name,
        uid,
        removed,
        shared_conversations: (places as usize).saturating_sub(lonely),
    })
}

/// The setting that lists the UIDs of everyone erased from this database, one a line: random
/// identifiers, not names, so a backup restored later can be cleared of them again.
const ERASED_KEY: &str = "erased_uids";

/// Adds `uid` to the erased list, in the erase's own transaction.
fn remember_erased(tx: &Db, uid: &str) -> Result<()> {
    if uid.is_empty() {
        return Ok(());
    }
    let mut uids = erased_in(tx)?;
    if !uids.iter().any(|u| u == uid) {
        uids.push(uid.to_owned());
    }
    write_erased(tx, &uids)
}

fn erased_in(db: &Db) -> Result<Vec<String>> {
    let text: Option<String> = db
        .query_row(
            "SELECT value FROM settings WHERE key = ?1",
            [ERASED_KEY],
            |r| r.get(0),
        )
        .optional()?;
    Ok(text
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect())
}

fn write_erased(db: &Db, uids: &[String]) -> Result<()> {
    db.execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        rusqlite::params![ERASED_KEY, uids.join("\n")],
    )?;
    Ok(())
}

impl Store {
    /// The UIDs of everyone erased from this database.
    pub fn erased_uids(&self) -> Result<Vec<String>> {
        erased_in(&self.conn)
    }

    /// After a restore: erases again whoever of `uids` (erased before the backup was put back)
    /// the restored data holds, keeps the list whole, and compacts the file. How many.
    pub fn erase_again(&mut self, uids: &[String]) -> Result<usize> {
        let mut again = 0;
        for uid in uids {
            let id: Option<ContactId> = self
                .conn
                .query_row("SELECT id FROM contacts WHERE uid = ?1", [uid], |r| {
                    r.get(0)
                })
                .optional()?;
            if let Some(id) = id {
                erase_in(&self.conn, id, SCHEMA_VERSION)?;
                again += 1;
            }
        }
        let mut merged = erased_in(&self.conn)?;
        for uid in uids {
            if !merged.contains(uid) {
                merged.push(uid.clone());
            }
        }
        write_erased(&self.conn, &merged)?;
        if again > 0 {
            compact(self.conn.sqlite()?, self.path.as_deref())?;
        }
        Ok(again)
    }
}

/// Checkpoints the WAL (truncating it), runs `VACUUM`, and checkpoints again, so no page of
/// the file or its WAL keeps deleted bytes. `path` is the file, for its size.
fn compact(conn: &Connection, path: Option<&Path>) -> Result<Compacted> {
    let before_bytes = path.map_or(0, file_bytes);
    checkpoint(conn)?;
    conn.execute_batch("VACUUM")?;
    checkpoint(conn)?;
    Ok(Compacted {
        before_bytes,
        after_bytes: path.map_or(0, file_bytes),
    })
}

/// `PRAGMA wal_checkpoint(TRUNCATE)`, refused when another connection keeps it from finishing.
fn checkpoint(conn: &Connection) -> Result<()> {
    let busy: i64 = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", (), |r| r.get(0))?;
    if busy != 0 {
        return Err(StoreError::Locked);
    }
    Ok(())
}

/// The size of the database file at `path` and its WAL, if any.
fn file_bytes(path: &Path) -> u64 {
    let wal = PathBuf::from(format!("{}-wal", path.display()));
    [path, wal.as_path()]
        .iter()
        .filter_map(|p| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .sum()
}

/// Which backups of the database at `db_path` still hold the person `erased` (by their UID, or
/// by their id and name in a backup older than UIDs), newest first; each is only read.
pub fn check_backups(db_path: &Path, erased: &Erased) -> Result<Vec<BackupCheck>> {
    let checks = backup::list_backups(db_path)?
        .into_iter()
        .map(|b| {
            let outcome =
                match trust::open_read_only(&b.path).and_then(|conn| find_in(&conn, erased)) {
                    Ok(Some(_)) => BackupOutcome::Holds,
                    Ok(None) => BackupOutcome::Clean,
                    Err(e) => BackupOutcome::Unusable(e.to_string()),
                };
            BackupCheck {
                path: b.path,
                outcome,
            }
        })
        .collect();
    Ok(checks)
}

/// Erases everyone of `uids` (the database's erased list) from the backups beside it: one
/// result per backup and person that needed it (backups from before UIDs are not searched).
pub fn erase_uids_from_backups(db_path: &Path, uids: &[String]) -> Result<Vec<BackupCheck>> {
    let mut all = Vec::new();
    for uid in uids {
        let erased = Erased {
            id: ContactId(-1),
            name: String::new(),
            uid: uid.clone(),
            removed: Vec::new(),
            shared_conversations: 0,
        };
        all.extend(erase_from_backups(db_path, &erased)?);
    }
    Ok(all)
}

/// Erases the person `erased` from every backup of the database at `db_path` that holds them,
/// compacting each and keeping it readable by the user only. A backup that cannot be opened or
/// changed is reported, not fatal.
pub fn erase_from_backups(db_path: &Path, erased: &Erased) -> Result<Vec<BackupCheck>> {
    let mut checks = check_backups(db_path, erased)?;
    for check in &mut checks {
        if check.outcome == BackupOutcome::Holds {
            check.outcome = match erase_in_file(&check.path, erased) {
                Ok(compacted) => BackupOutcome::Erased(compacted),
                Err(e) => BackupOutcome::Unusable(e.to_string()),
            };
        }
    }
    Ok(checks)
}

/// The id the person has in the Rapport database on `conn`, if they are in it.
fn find_in(conn: &Connection, erased: &Erased) -> Result<Option<ContactId>> {
    let version = file_version(conn)?;
    let sql = if version >= 5 {
        "SELECT id FROM contacts WHERE uid = ?1 OR (id = ?2 AND display_name = ?3) LIMIT 1"
    } else {
        "SELECT id FROM contacts WHERE ?1 IS NOT NULL AND id = ?2 AND display_name = ?3"
    };
    Ok(conn
        .query_row(
            sql,
            rusqlite::params![erased.uid, erased.id, erased.name],
            |r| r.get(0),
        )
        .map(Some)
        .or_else(|e| match e {
            rusqlite::Error::QueryReturnedNoRows => Ok(None),
            e => Err(e),
        })?)
}

/// The schema version of a file, once its schema is found to be Rapport's own.
fn file_version(conn: &Connection) -> Result<i64> {
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if version > SCHEMA_VERSION {
        return Err(StoreError::TooNew {
            found: version,
            supported: SCHEMA_VERSION,
        });
    }
    if let Some(what) = trust::schema_problem(conn, version)? {
        return Err(StoreError::Invalid(format!(
            "It is not a Rapport database as Rapport made it: {what}."
        )));
    }
    Ok(version)
}

/// Opens the backup at `path` for writing (hardened, its schema checked), erases the person
/// from it and compacts it.
fn erase_in_file(path: &Path, erased: &Erased) -> Result<Compacted> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    super::cipher::key_connection(&conn, path)?;
    trust::harden(&conn)?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    let version = file_version(&conn)?;
    let id = find_in(&conn, erased)?.ok_or_else(|| no_such_contact(erased.id))?;
    let db = Db::Sqlite(conn);
    erase_in(&db, id, version)?;
    let compacted = compact(db.sqlite()?, Some(path))?;
    drop(db);
    restrict_permissions(path);
    Ok(compacted)
}
