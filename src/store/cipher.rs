//! Encryption at rest, opt-in: a database file protected with a passphrase is encrypted by
//! SQLCipher (the SQLite Rapport is built with; no cipher code of Rapport's own). A file
//! without a passphrase is a plain SQLite file, as before.
//!
//! - **Which files are protected** is read off the file itself: a SQLite file begins with
//!   `SQLite format 3\0`, an encrypted one with SQLCipher's random salt (`is_protected`).
//! - **The passphrases this process knows** are kept in memory only, one per database file
//!   (`remember`, set by the unlock screen, the keychain or `RAPPORT_PASSPHRASE`), and wiped
//!   when forgotten or dropped. Every connection the store opens on a protected file takes its
//!   key from here (`key_connection`), so a background job's own connection opens it too. A
//!   backup is protected with its database's passphrase: a file in a database's `backups`
//!   folder named after it takes that database's (`passphrase_for`).
//! - **Protecting, changing and removing** the passphrase rewrites the file through
//!   `sqlcipher_export` into a new file beside it (`export_copy`), checked before it replaces
//!   the old one by a rename (`Store::set_passphrase`): a crash on the way leaves the old file.
//!
//! The passphrase goes through SQLCipher's own key derivation (PBKDF2-HMAC-SHA512, 256,000
//! rounds), which makes each connection's open cost a fraction of a second on purpose: a
//! stolen file cannot be guessed quickly.

use super::backup::{backup_dir_for, backup_name_prefix};
use super::{Result, Store, StoreError, restrict_permissions, trust};
use rusqlite::config::DbConfig;
use rusqlite::{Connection, OpenFlags};
use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use zeroize::Zeroizing;

/// Makes the process's first SQLite connection, once, before any other. SQLCipher registers
/// `sqlcipher_export` for every later connection at the end of SQLite's first initialization,
/// and a second thread can open its connection before that (SQLite counts itself initialized
/// already): that connection then lacks the function (seen: "no such function:
/// sqlcipher_export" when a test's first two connections opened at once). Every way the store
/// opens a connection calls this first.
pub(crate) fn ready() {
    static READY: std::sync::Once = std::sync::Once::new();
    READY.call_once(|| {
        let first = Connection::open_in_memory().and_then(|conn| {
            // Pages are authenticated with HMAC-SHA256 instead of SQLCipher 4's HMAC-SHA512:
            // as strong a check, at half the cost a page on CPUs with SHA-256 instructions
            // (7-12 µs a page read from outside the cache, most of a protected file's extra
            // cost: BENCHMARKS.md, session 10). Every connection and attached file of the
            // process takes it; another SQLCipher 4 program opens a Rapport file when told
            // `cipher_hmac_algorithm = HMAC_SHA256`.
            conn.pragma_update(None, "cipher_default_hmac_algorithm", "HMAC_SHA256")
        });
        if let Err(e) = first {
            tracing::error!("SQLite could not start: {e}");
        }
    });
}

/// A passphrase, wiped from memory when dropped; `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct Passphrase(Zeroizing<String>);

impl Passphrase {
    /// A passphrase from what was typed; an empty one is none (SQLCipher would read "no key").
    pub fn new(text: impl Into<String>) -> Option<Self> {
        let text = Zeroizing::new(text.into());
        (!text.is_empty()).then(|| Self(text))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Passphrase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Passphrase(..)")
    }
}

/// The passphrases this process knows, by database file.
static KNOWN: Mutex<BTreeMap<PathBuf, Passphrase>> = Mutex::new(BTreeMap::new());

/// How the registry names a file: its absolute path (the file may not exist yet).
fn key_of(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

/// Remembers, for this process only, that `passphrase` opens the database at `path` (and its
/// backups).
pub fn remember(path: &Path, passphrase: Passphrase) {
    if let Ok(mut known) = KNOWN.lock() {
        known.insert(key_of(path), passphrase);
    }
}

/// Forgets the passphrase of the database at `path` (locking it: the next open asks again).
pub fn forget(path: &Path) {
    if let Ok(mut known) = KNOWN.lock() {
        known.remove(&key_of(path));
    }
}

/// The passphrase this process knows for the file at `path`: its own, or, for a backup in a
/// database's backups folder, that database's.
pub fn passphrase_for(path: &Path) -> Option<Passphrase> {
    let path = key_of(path);
    let known = KNOWN.lock().ok()?;
    if let Some(passphrase) = known.get(&path) {
        return Some(passphrase.clone());
    }
    let name = path.file_name()?.to_string_lossy().into_owned();
    known
        .iter()
        .find(|(db, _)| {
            // "rapport-2026-…" is a backup of rapport.sqlite3; "rapport-demo-2026-…" is not.
            path.parent() == Some(backup_dir_for(db).as_path())
                && name
                    .strip_prefix(&backup_name_prefix(db))
                    .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
        })
        .map(|(_, passphrase)| passphrase.clone())
}

/// The first bytes of every plain SQLite file.
const SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// True when the file at `path` is encrypted: it has at least one page, and does not begin as
/// a SQLite file does. An empty, missing or plain file is not; neither is a short file that is
/// not a whole number of pages (text saved under a database's name) or a plain one whose first
/// bytes were damaged, which SQLite then refuses as not a database.
pub fn is_protected(path: &Path) -> bool {
    let Ok(mut file) = std::fs::File::open(path) else {
        return false;
    };
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    let mut head = [0u8; 24];
    if len < 512 || len % 512 != 0 || file.read_exact(&mut head).is_err() {
        return false;
    }
    // Bytes 21 to 23 of a SQLite header are always 64, 32, 32 (the payload fractions): a file
    // whose first bytes were damaged still has them, an encrypted one has noise there.
    &head[..16] != SQLITE_HEADER && head[21..24] != [64, 32, 32]
}

/// Gives `conn`, just opened on the file at `path`, the key it needs: none for a plain file,
/// the known passphrase for a protected one (`StoreError::NeedsPassphrase` when none is
/// known, `WrongPassphrase` when it does not open it), and, for a file not yet written, the
/// known passphrase if there is one, so the database is created protected. Run it before
/// anything reads the file.
pub(crate) fn key_connection(conn: &Connection, path: &Path) -> Result<Option<Passphrase>> {
    let protected = is_protected(path);
    let new = std::fs::metadata(path)
        .map(|m| m.len() == 0)
        .unwrap_or(true);
    if !protected && !new {
        return Ok(None);
    }
    let shown = path.display().to_string();
    let Some(passphrase) = passphrase_for(path) else {
        return match protected {
            true => Err(StoreError::NeedsPassphrase { path: shown }),
            false => Ok(None),
        };
    };
    quiet(conn)?;
    apply(conn, &passphrase)?;
    if protected {
        let read: rusqlite::Result<i64> =
            conn.query_row("SELECT count(*) FROM sqlite_schema", (), |r| r.get(0));
        if let Err(e) = read {
            return Err(match e.sqlite_error_code() {
                Some(rusqlite::ErrorCode::NotADatabase) => wrong_or_damaged(path, &passphrase),
                _ => StoreError::Sqlite(e),
            });
        }
    }
    Ok(Some(passphrase))
}

/// Why `passphrase` did not open the protected file at `path`: a wrong passphrase, or, when it
/// opens the newest protected backup of the file, a damaged first page (the two look alike to
/// SQLCipher), so a damaged file is offered its backup instead of being asked again and again.
fn wrong_or_damaged(path: &Path, passphrase: &Passphrase) -> StoreError {
    let shown = path.display().to_string();
    let newest = super::backup::list_backups(path)
        .ok()
        .and_then(|backups| backups.into_iter().find(|b| is_protected(&b.path)));
    let opens_backup = newest.is_some_and(|backup| {
        open_keyed(&backup.path, Some(passphrase)).is_ok_and(|conn| {
            conn.query_row("SELECT count(*) FROM sqlite_schema", (), |r| {
                r.get::<_, i64>(0)
            })
            .is_ok()
        })
    });
    match opens_backup {
        true => StoreError::Corrupt {
            path: shown,
            detail: "its first page cannot be decrypted, though the passphrase opens its backups"
                .to_owned(),
        },
        false => StoreError::WrongPassphrase { path: shown },
    }
}

/// Keys `conn` with `passphrase` (SQLCipher's `PRAGMA key`, the value bound as a quoted string).
fn apply(conn: &Connection, passphrase: &Passphrase) -> rusqlite::Result<()> {
    conn.pragma_update(None, "key", passphrase.as_str())
}

/// Writes a copy of `conn`'s main database into a new file at `dest` (readable by the user
/// only), encrypted with `passphrase`, or plain without one, with the same `user_version`.
/// The copy is SQLCipher's `sqlcipher_export`, which needs to attach and write `dest` and to
/// write its schema: `conn`'s hardening (`trust::harden`) is lifted for that statement only,
/// on a database Rapport admitted, and put back whatever happens.
pub(crate) fn export_copy(
    conn: &Connection,
    dest: &Path,
    passphrase: Option<&Passphrase>,
) -> Result<()> {
    let _ = std::fs::remove_file(dest);
    std::fs::File::create(dest)?;
    restrict_permissions(dest);
    loosen(conn, true)?;
    let copied = copy_into(conn, dest, passphrase);
    let _ = conn.execute_batch("DETACH DATABASE rapport_copy");
    loosen(conn, false)?;
    trust::harden(conn)?;
    if copied.is_err() {
        let _ = std::fs::remove_file(dest);
    }
    copied
}

fn copy_into(conn: &Connection, dest: &Path, passphrase: Option<&Passphrase>) -> Result<()> {
    let dest_text = dest.to_string_lossy();
    let key = passphrase.map(Passphrase::as_str).unwrap_or("");
    conn.execute(
        "ATTACH DATABASE ?1 AS rapport_copy KEY ?2",
        (dest_text.as_ref(), key),
    )?;
    export_between(conn, "rapport_copy", "main")
}

/// Copies the database `source` of `conn` into its (attached, empty) database `target` with
/// `sqlcipher_export`, and the `user_version` with it (Rapport's schema version).
fn export_between(conn: &Connection, target: &str, source: &str) -> Result<()> {
    conn.query_row("SELECT sqlcipher_export(?1, ?2)", (target, source), |_| {
        Ok(())
    })?;
    let version: i64 = conn.pragma_query_value(Some(source), "user_version", |r| r.get(0))?;
    conn.pragma_update(Some(target), "user_version", version)?;
    Ok(())
}

/// Writes a copy of the Rapport file at `source` (opened with `source_key`, only read) into a
/// new file at `dest`, encrypted with `dest_key` (plain without one): what a restore does with
/// a backup that is not encrypted as the database is. The source is attached read-only to a
/// connection on the copy, so it is never written, wherever it is (a USB stick).
pub(crate) fn export_file(
    source: &Path,
    source_key: Option<&Passphrase>,
    dest: &Path,
    dest_key: Option<&Passphrase>,
) -> Result<()> {
    ready();
    let _ = std::fs::remove_file(dest);
    std::fs::File::create(dest)?;
    restrict_permissions(dest);
    let copied = (|| -> Result<()> {
        let conn = Connection::open_with_flags(
            dest,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_URI
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        quiet(&conn)?;
        if let Some(key) = dest_key {
            apply(&conn, key)?;
        }
        trust::harden(&conn)?;
        loosen(&conn, true)?;
        conn.execute(
            "ATTACH DATABASE ?1 AS rapport_source KEY ?2",
            (
                format!("{}?mode=ro", file_uri(source)),
                source_key.map(Passphrase::as_str).unwrap_or(""),
            ),
        )?;
        export_between(&conn, "main", "rapport_source")
    })();
    if copied.is_err() {
        let _ = std::fs::remove_file(dest);
    }
    copied
}

/// `path` as a `file:` URI, every byte but the unreserved ones percent-encoded.
fn file_uri(path: &Path) -> String {
    let absolute = key_of(path);
    let mut uri = String::from("file:");
    for byte in absolute.to_string_lossy().bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                uri.push(byte as char)
            }
            _ => uri.push_str(&format!("%{byte:02X}")),
        }
    }
    uri
}

/// Keeps SQLCipher from writing its own log lines to the terminal (a wrong passphrase is
/// said in a sentence, once).
fn quiet(conn: &Connection) -> rusqlite::Result<()> {
    conn.pragma_update(None, "cipher_log_level", "NONE")
}

/// Lifts (`open`) or puts back the parts of the hardening that `sqlcipher_export` trips over:
/// defensive mode (it writes the copy's schema table) and attaching a file to write.
fn loosen(conn: &Connection, open: bool) -> rusqlite::Result<()> {
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_DEFENSIVE, !open)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_ATTACH_CREATE, open)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_ATTACH_WRITE, open)?;
    Ok(())
}

/// Opens the existing file at `path` to read and write, keyed with `passphrase` (plain
/// without one) and hardened: a copy `export_copy` just made, or a backup being rewritten.
pub(crate) fn open_keyed(path: &Path, passphrase: Option<&Passphrase>) -> Result<Connection> {
    ready();
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    quiet(&conn)?;
    if let Some(passphrase) = passphrase {
        apply(&conn, passphrase)?;
    }
    trust::harden(&conn)?;
    Ok(conn)
}

/// What `Store::set_passphrase` did to the backups beside the file.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Rewritten {
    /// Backups now protected as the file is (or plain, when the passphrase was removed).
    pub backups: usize,
    /// Backups left as they were, each with why (another passphrase, damaged).
    pub left: Vec<(PathBuf, String)>,
}

impl Store {
    /// True when the file is encrypted with a passphrase.
    pub fn is_protected(&self) -> bool {
        self.passphrase.is_some()
    }

    /// Protects the file with `new` (or removes the protection with `None`), changing the
    /// passphrase when it had one, and its backups with it. The file is rewritten into a copy
    /// beside it, which is checked (it opens with the new key, its schema is Rapport's, every
    /// table has as many rows) before a rename puts it in the old one's place: until then, and
    /// when anything fails, the old file is untouched and stays open. Refused while another
    /// connection has the file open (it would go on writing to the old one).
    pub fn set_passphrase(&mut self, new: Option<Passphrase>) -> Result<Rewritten> {
        let Some(path) = self.path.clone() else {
            return Err(StoreError::Invalid(
                "Only a database file can be protected with a passphrase; a team database is protected by its server."
                    .to_owned(),
            ));
        };
        if self.passphrase.is_none() && new.is_none() {
            return Err(StoreError::Invalid(
                "This file has no passphrase to remove.".to_owned(),
            ));
        }
        let old = self.passphrase.clone();
        let copy = path.with_extension("protecting");
        export_copy(self.conn.sqlite()?, &copy, new.as_ref())?;
        if let Err(e) = self.check_copy(&copy, new.as_ref()) {
            let _ = std::fs::remove_file(&copy);
            return Err(e);
        }
        self.replace_file_with(&path, &copy, new.clone())?;
        Ok(rewrite_backups(&path, old.as_ref(), new.as_ref()))
    }

    /// Checks that the copy at `copy` opens with `passphrase` and holds what this file holds.
    fn check_copy(&self, copy: &Path, passphrase: Option<&Passphrase>) -> Result<()> {
        let conn = open_keyed(copy, passphrase)?;
        let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if let Some(what) = trust::schema_problem(&conn, version)? {
            return Err(StoreError::Invalid(format!(
                "The protected copy did not come out right ({what}); your file was left as it was."
            )));
        }
        let ours = self.conn.sqlite()?;
        let mut tables = ours.prepare(
            "SELECT name FROM sqlite_schema WHERE type = 'table' AND rootpage > 0 AND name NOT LIKE 'sqlite_%'",
        )?;
        let names: Vec<String> = tables
            .query_map((), |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        for name in names {
            let sql = format!("SELECT count(*) FROM \"{}\"", name.replace('"', "\"\""));
            let here: i64 = ours.query_row(&sql, (), |r| r.get(0))?;
            let there: i64 = conn.query_row(&sql, (), |r| r.get(0))?;
            if here != there {
                return Err(StoreError::Invalid(format!(
                    "The protected copy lacks rows of {name} ({there} of {here}); your file was left as it was."
                )));
            }
        }
        Ok(())
    }

    /// Closes this store's connection, puts the checked copy at `copy` in place of the file at
    /// `path` and opens it with `passphrase`. When another connection still has the file open
    /// (its write-ahead log outlives this one's), the copy is dropped and the file reopened.
    fn replace_file_with(
        &mut self,
        path: &Path,
        copy: &Path,
        passphrase: Option<Passphrase>,
    ) -> Result<()> {
        let fixed_now = self.fixed_now;
        let old = self.passphrase.clone();
        self.conn = super::db::Db::Sqlite(Connection::open_in_memory()?);
        let wal = PathBuf::from(format!("{}-wal", path.display()));
        let replaced = if wal.exists() {
            Err(StoreError::Invalid(
                "Another program or window has this file open; close it and try again. Nothing was changed."
                    .to_owned(),
            ))
        } else {
            std::fs::rename(copy, path).map_err(StoreError::from)
        };
        if replaced.is_err() {
            let _ = std::fs::remove_file(copy);
        }
        let now_key = if replaced.is_ok() { passphrase } else { old };
        match &now_key {
            Some(passphrase) => remember(path, passphrase.clone()),
            None => forget(path),
        }
        let mut reopened = Store::open(path)?;
        reopened.fixed_now = fixed_now;
        *self = reopened;
        replaced
    }
}

/// Rewrites every backup of the database at `db_path` from `old` (the passphrase they were
/// taken with; none for plain ones) to `new`, each through a copy renamed over it. A backup
/// that does not open with `old` (taken under an earlier passphrase) is left as it is.
fn rewrite_backups(
    db_path: &Path,
    old: Option<&Passphrase>,
    new: Option<&Passphrase>,
) -> Rewritten {
    let mut done = Rewritten::default();
    let Ok(backups) = super::backup::list_backups(db_path) else {
        return done;
    };
    for backup in backups {
        match rewrite_file(&backup.path, old, new) {
            Ok(()) => done.backups += 1,
            Err(e) => done.left.push((backup.path, e.to_string())),
        }
    }
    done
}

/// Rewrites the Rapport file at `path` from `old` to `new` (see `rewrite_backups`).
fn rewrite_file(path: &Path, old: Option<&Passphrase>, new: Option<&Passphrase>) -> Result<()> {
    let key = if is_protected(path) { old } else { None };
    if is_protected(path) && old.is_none() {
        return Err(StoreError::NeedsPassphrase {
            path: path.display().to_string(),
        });
    }
    let conn = open_keyed(path, key)?;
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .map_err(|e| match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::NotADatabase) => StoreError::WrongPassphrase {
                path: path.display().to_string(),
            },
            _ => StoreError::Sqlite(e),
        })?;
    if let Some(what) = trust::schema_problem(&conn, version)? {
        return Err(StoreError::Invalid(what));
    }
    let copy = path.with_extension("protecting");
    export_copy(&conn, &copy, new)?;
    drop(conn);
    std::fs::rename(&copy, path)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn protected_files_authenticate_their_pages_with_hmac_sha256() {
        ready();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sha.sqlite3");
        let conn = Connection::open(&path).unwrap();
        apply(&conn, &Passphrase::new("tea at five").unwrap()).unwrap();
        conn.execute_batch("CREATE TABLE t(x)").unwrap();
        let algorithm: String = conn
            .pragma_query_value(None, "cipher_hmac_algorithm", |r| r.get(0))
            .unwrap();
        assert_eq!(algorithm, "HMAC_SHA256");
    }

    #[test]
    fn a_passphrase_is_never_shown_and_empty_is_none() {
        let p = Passphrase::new("correct horse").unwrap();
        assert_eq!(format!("{p:?}"), "Passphrase(..)");
        assert!(Passphrase::new("").is_none());
    }

    #[test]
    fn a_backup_takes_its_databases_passphrase() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("shop.sqlite3");
        remember(&db, Passphrase::new("s3cret").unwrap());
        let backup = dir
            .path()
            .join("backups/shop-2026-12-01T100000_daily.sqlite3");
        let other = dir
            .path()
            .join("backups/home-2026-12-01T100000_daily.sqlite3");
        assert_eq!(passphrase_for(&backup).unwrap().as_str(), "s3cret");
        assert!(passphrase_for(&other).is_none());
        let demo = dir
            .path()
            .join("backups/shop-demo-2026-12-01T100000_daily.sqlite3");
        assert!(
            passphrase_for(&demo).is_none(),
            "the demo database's backups are its own"
        );
        forget(&db);
        assert!(passphrase_for(&backup).is_none());
    }

    #[test]
    fn only_a_whole_page_file_without_the_header_is_protected() {
        let dir = tempfile::tempdir().unwrap();
        let text = dir.path().join("notes.sqlite3");
        std::fs::write(&text, "not a database at all").unwrap();
        assert!(!is_protected(&text));
        let random = dir.path().join("random.sqlite3");
        std::fs::write(&random, vec![7u8; 4096]).unwrap();
        assert!(is_protected(&random));
        let mut plain = SQLITE_HEADER.to_vec();
        plain.extend([16, 0, 1, 1, 0, 64, 32, 32]);
        plain.resize(4096, 0);
        std::fs::write(&random, &plain).unwrap();
        assert!(!is_protected(&random));
        plain[..16].copy_from_slice(b"garbage garbage!");
        std::fs::write(&random, &plain).unwrap();
        assert!(!is_protected(&random), "a plain file with a damaged header");
        assert!(!is_protected(&dir.path().join("missing.sqlite3")));
    }
}
