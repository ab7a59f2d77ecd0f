//! Opening files from elsewhere. A database or backup the user chose (`--db FILE`, the window's
//! Open or restore, a dropped file, `rapport restore FILE`) may have been made to harm: a trigger
//! that copies notes elsewhere, a view that calls a risky function, a table the store would
//! trip over. Two defences keep such a file from doing anything:
//!
//! - every connection the store opens on a file is hardened (`harden`) before it reads a byte:
//!   SQLite's defensive mode (no writable schema, no writes to the search indexes' shadow
//!   tables), an untrusted schema (functions and virtual tables a crafted schema names are
//!   refused unless SQLite marks them harmless), no `fts3_tokenizer` and no `ATTACH` that writes
//!   or creates files;
//! - before the first open of an existing file (`Store::open`), before a restore copies a backup
//!   in and in `rapport check` (`backup::check_file`), the file's `sqlite_schema` must be exactly
//!   the one a Rapport database of its `user_version` has (`schema_problem`): every table, index,
//!   trigger and view with its SQL text (whitespace aside). The expected schemas are built once
//!   per process by running the migrations in memory. Reading a schema is a few pages whatever
//!   the number of contacts, so the check costs the same on a small file and a large one.

use super::schema::MIGRATIONS;
use super::{Result, SCHEMA_VERSION, StoreError};
use rusqlite::config::DbConfig;
use rusqlite::{Connection, OpenFlags};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

/// A schema as `sqlite_schema` holds it: (type, name) → its entry.
type Schema = BTreeMap<(String, String), Entry>;

/// One entry of a schema Rapport makes: its table, and its SQL text as SQLite stored it (none
/// for the indexes SQLite makes for a `UNIQUE` or `PRIMARY KEY`).
struct Entry {
    table: String,
    sql: Option<String>,
}

impl Entry {
    /// True when a file's entry of the same type and name is this one. The text is compared as
    /// stored first, which is all a file this Rapport made needs; normalized only when that
    /// differs (an older SQLite, or a column added and dropped again, spaced it otherwise).
    fn matches(&self, table: &str, sql: Option<&str>) -> bool {
        self.table == table
            && (self.sql.as_deref() == sql
                || self.sql.as_deref().map(normalize) == sql.map(normalize))
    }
}

/// Tables SQLite itself makes in a file (ANALYZE's statistics, AUTOINCREMENT's counters), with
/// the only SQL it gives them; they hold numbers, never code.
const SQLITE_OWN: [(&str, &str); 3] = [
    ("sqlite_stat1", "CREATE TABLE sqlite_stat1(tbl,idx,stat)"),
    (
        "sqlite_stat4",
        "CREATE TABLE sqlite_stat4(tbl,idx,neq,nlt,ndlt,sample)",
    ),
    ("sqlite_sequence", "CREATE TABLE sqlite_sequence(name,seq)"),
];

/// Makes `conn` safe to point at a file someone else may have made; run it before the
/// connection reads anything. It changes nothing in the file.
pub(crate) fn harden(conn: &Connection) -> rusqlite::Result<()> {
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_DEFENSIVE, true)?;
    // The pragma and the setting are one switch; both are set so either way of reading it says
    // the same.
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_TRUSTED_SCHEMA, false)?;
    conn.pragma_update(None, "trusted_schema", "OFF")?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_FTS3_TOKENIZER, false)?;
    // Rapport never attaches a database; a statement that tries may neither make a file nor
    // write one.
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_ATTACH_CREATE, false)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_ATTACH_WRITE, false)?;
    Ok(())
}

/// Opens the file at `path` for reading only, hardened and keyed when it is protected (see
/// `cipher::key_connection`): how backups and files to restore or check are read.
pub(crate) fn open_read_only(path: &Path) -> Result<Connection> {
    super::cipher::ready();
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    super::cipher::key_connection(&conn, path)?;
    harden(&conn)?;
    Ok(conn)
}

/// What makes the schema of `conn`'s database differ from the one Rapport gives a database of
/// schema `version` (its `user_version`), in words ("it has a trigger "x" that Rapport did not
/// create"); `None` when it is Rapport's own. Versions newer than this build are refused before
/// (`StoreError::TooNew`); a negative one is never Rapport's.
pub(crate) fn schema_problem(conn: &Connection, version: i64) -> Result<Option<String>> {
    let expected = match usize::try_from(version) {
        Ok(index) if version <= SCHEMA_VERSION => &expected_schemas()?[index],
        _ => {
            return Ok(Some(format!(
                "its schema version {version} is not one Rapport writes"
            )));
        }
    };
    let mut stmt = conn.prepare("SELECT type, name, tbl_name, sql FROM sqlite_schema")?;
    let mut rows = stmt.query(())?;
    let mut present = Vec::with_capacity(expected.len());
    while let Some(row) = rows.next()? {
        let key: (String, String) = (row.get(0)?, row.get(1)?);
        let table: String = row.get(2)?;
        let sql: Option<String> = row.get(3)?;
        match expected.get(&key) {
            Some(entry) if entry.matches(&table, sql.as_deref()) => present.push(key),
            Some(_) => {
                return Ok(Some(format!(
                    "its {} \"{}\" is not as Rapport schema {version} has it",
                    key.0, key.1
                )));
            }
            None if is_sqlite_own(&key, sql.as_deref().map(normalize).as_deref()) => {}
            None => {
                let article = if key.0 == "index" { "an" } else { "a" };
                return Ok(Some(format!(
                    "it has {article} {} \"{}\" that Rapport did not create",
                    key.0, key.1
                )));
            }
        }
    }
    if present.len() == expected.len() {
        // Names are unique in a schema, so every expected entry was there.
        return Ok(None);
    }
    let missing = expected.keys().find(|key| !present.contains(key));
    Ok(missing.map(|(kind, name)| {
        format!("it lacks the {kind} \"{name}\" that Rapport schema {version} has")
    }))
}

/// True for a table SQLite makes by itself, with the SQL it gives it.
fn is_sqlite_own((kind, name): &(String, String), sql: Option<&str>) -> bool {
    kind == "table"
        && SQLITE_OWN
            .iter()
            .any(|(own, own_sql)| name == own && sql == Some(*own_sql))
}

/// The schema of every version this build knows, index = `user_version` (0: an empty file),
/// made once by running the migrations one by one in a database in memory.
fn expected_schemas() -> Result<&'static [Schema]> {
    static SCHEMAS: OnceLock<std::result::Result<Vec<Schema>, String>> = OnceLock::new();
    SCHEMAS
        .get_or_init(|| build_schemas().map_err(|e| e.to_string()))
        .as_deref()
        .map_err(|e| StoreError::Invalid(format!("Rapport could not build its own schema: {e}")))
}

fn build_schemas() -> rusqlite::Result<Vec<Schema>> {
    let conn = Connection::open_in_memory()?;
    let mut schemas = vec![read_schema(&conn)?];
    for sql in MIGRATIONS {
        conn.execute_batch(sql)?;
        schemas.push(read_schema(&conn)?);
    }
    Ok(schemas)
}

fn read_schema(conn: &Connection) -> rusqlite::Result<Schema> {
    let mut stmt = conn.prepare("SELECT type, name, tbl_name, sql FROM sqlite_schema")?;
    let rows = stmt.query_map((), |r| {
        let entry = Entry {
            table: r.get(2)?,
            sql: r.get(3)?,
        };
        Ok(((r.get(0)?, r.get(1)?), entry))
    })?;
    rows.collect()
}

/// SQL text with its whitespace normalized: runs of spaces, tabs and line breaks become one
/// space, none is kept next to a parenthesis or a comma (`ALTER TABLE … ADD COLUMN` and `DROP
/// COLUMN` splice the stored text there), and none at either end. Tokens stay apart, so two
/// texts that normalize alike say the same.
fn normalize(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut space = false;
    for c in sql.chars() {
        if c.is_whitespace() {
            space = true;
            continue;
        }
        let tight = matches!(c, '(' | ')' | ',') || out.ends_with(['(', ')', ',']);
        if space && !tight && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    #[test]
    fn whitespace_is_normalized_and_tokens_stay_apart() {
        assert_eq!(
            normalize("CREATE TABLE t (\n    a  INTEGER PRIMARY KEY ,\n b TEXT\n)"),
            "CREATE TABLE t(a INTEGER PRIMARY KEY,b TEXT)"
        );
        assert_ne!(normalize("a b"), normalize("ab"));
    }

    #[test]
    fn a_new_database_has_exactly_the_expected_schema() {
        let store = Store::open_in_memory().unwrap();
        let conn = store.conn.sqlite().unwrap();
        assert_eq!(schema_problem(conn, SCHEMA_VERSION).unwrap(), None);
        assert!(schema_problem(conn, SCHEMA_VERSION - 1).unwrap().is_some());
        assert_eq!(expected_schemas().unwrap().len(), MIGRATIONS.len() + 1);
        assert!(expected_schemas().unwrap()[0].is_empty());
    }

    #[test]
    fn the_store_connection_is_defensive_and_trusts_no_schema() {
        let store = Store::open_in_memory().unwrap();
        let conn = store.conn.sqlite().unwrap();
        assert!(conn.db_config(DbConfig::SQLITE_DBCONFIG_DEFENSIVE).unwrap());
        assert!(
            !conn
                .db_config(DbConfig::SQLITE_DBCONFIG_TRUSTED_SCHEMA)
                .unwrap()
        );
        let pragma: bool = conn
            .pragma_query_value(None, "trusted_schema", |r| r.get(0))
            .unwrap();
        assert!(!pragma);
        assert!(
            conn.db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG)
                .unwrap()
        );
        // What defensive mode forbids: writing the schema, and writing FTS5's shadow tables.
        conn.execute_batch("PRAGMA writable_schema = ON").unwrap();
        let schema = conn.execute(
            "UPDATE sqlite_schema SET sql = 'CREATE TABLE x(y)' WHERE name = 'settings'",
            (),
        );
        assert!(schema.is_err(), "{schema:?}");
        let shadow = conn.execute("DELETE FROM contact_fts_data", ());
        assert!(shadow.is_err(), "{shadow:?}");
        assert_eq!(schema_problem(conn, SCHEMA_VERSION).unwrap(), None);
    }

    #[test]
    fn a_connection_to_a_file_is_hardened_before_it_reads() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("rapport.sqlite3");
        let store = Store::open(&path).unwrap();
        let conn = store.conn.sqlite().unwrap();
        assert!(conn.db_config(DbConfig::SQLITE_DBCONFIG_DEFENSIVE).unwrap());
        assert!(
            !conn
                .db_config(DbConfig::SQLITE_DBCONFIG_TRUSTED_SCHEMA)
                .unwrap()
        );
        // An ATTACH may not make a file (nor write one it finds).
        let elsewhere = dir.path().join("elsewhere.sqlite3");
        let attach = conn.execute("ATTACH DATABASE ?1 AS elsewhere", [elsewhere.to_str()]);
        assert!(attach.is_err(), "{attach:?}");
        assert!(!elsewhere.exists());
        let reader = open_read_only(&path).unwrap();
        assert!(
            reader
                .db_config(DbConfig::SQLITE_DBCONFIG_DEFENSIVE)
                .unwrap()
        );
        assert!(
            !reader
                .db_config(DbConfig::SQLITE_DBCONFIG_TRUSTED_SCHEMA)
                .unwrap()
        );
    }
}
