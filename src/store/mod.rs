//! The only place that speaks SQL. `Store` owns a SQLite connection, applies migrations on
//! `PRAGMA user_version`, keeps the full-text indexes in step with the tables, and offers typed
//! queries for the app, the CLI and the benchmarks. Every write runs in one transaction.
//!
//! This file opens the database (pragmas, migrations, refusing files it must not touch, with
//! `trust` hardening every connection and comparing a file's schema with Rapport's own) and
//! holds `Store`, `write` and the errors; each table family has its own file: `contacts`,
//! `contact_list` (paging and filters), `organizations`, `conversations`, `follow_ups`,
//! `life_events`, `photos`, `tags` (and settings), `bulk` (the bulk writer), `search` (the full-text
//! index), and `sql_types` (how model values are stored in columns); `cipher` keys the
//! connections of a file protected with a passphrase.

pub mod backup;
mod bulk;
mod bulk_changes;
pub mod cipher;
mod contact_export;
mod contact_list;
mod contacts;
pub mod conversation_import;
mod conversations;
pub mod custom_fields;
pub(crate) mod db;
pub mod duplicates;
pub mod erase;
pub mod everything;
mod follow_ups;
pub mod health;
mod history;
pub mod import;
pub mod import_relations;
mod life_events;
pub mod live;
mod merge_links;
mod move_in;
mod organizations;
mod pg_schema;
mod pg_schema_later;
pub mod photos;
mod relationships;
mod report;
mod schema;
mod search;
mod sql_types;
mod tags;
pub mod team;
mod timeline;
mod trust;
pub mod undo;
mod upcoming;
mod versions;

pub use move_in::MoveIn;
pub use versions::{Chosen, Saved};

pub use bulk::BulkWriter;
pub use bulk_changes::{BULK_CHUNK, BulkDone, BulkEdit};
pub use relationships::Relating;

/// The schema's migrations, in order (for the import benchmark's measure of what SQLite alone
/// needs to write Rapport's rows).
pub fn migrations() -> &'static [&'static str] {
    schema::MIGRATIONS
}

use chrono::{DateTime, Utc};
use contact_list::NameAnchors;
use db::Db;
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};

/// The schema version this build writes; a database with a larger `user_version` came from a
/// newer Rapport and is refused rather than damaged.
pub const SCHEMA_VERSION: i64 = schema::MIGRATIONS.len() as i64;

/// What can go wrong in the store, each with a sentence a user can act on.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "This database was written by a newer Rapport (schema {found}, this version knows up to {supported}). Update Rapport to open it; the file was left untouched."
    )]
    TooNew { found: i64, supported: i64 },
    #[error(
        "{path} is not a Rapport database (it is not a SQLite file, or it is damaged). It was left untouched; restore a backup or choose another file."
    )]
    NotADatabase { path: String },
    #[error(
        "The database {path} is damaged ({detail}). It was left untouched; restore the latest backup."
    )]
    Corrupt { path: String, detail: String },
    /// A file whose schema is not the one Rapport makes (see `trust`): `what` names the first
    /// difference ("it has a trigger "x" that Rapport did not create").
    #[error(
        "{path} is not a Rapport database as Rapport made it: {what}. It was not opened and nothing in it was changed."
    )]
    Untrusted { path: String, what: String },
    /// A file encrypted with a passphrase this process does not know (see `cipher`).
    #[error(
        "{path} is protected with a passphrase. Enter it to open the file; nothing in it was changed."
    )]
    NeedsPassphrase { path: String },
    #[error(
        "That passphrase does not open {path} (passphrases are case-sensitive). Nothing was changed; try again."
    )]
    WrongPassphrase { path: String },
    #[error(
        "The database is in use by another program (another Rapport window?). Close it and try again."
    )]
    Locked,
    #[error("Could not create the folder for the database: {0}")]
    Io(#[from] std::io::Error),
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    NotAllowed(String),
    #[error("Cancelled; nothing was changed.")]
    Cancelled,
    #[error("No {what} with id {id}.")]
    NotFound { what: &'static str, id: i64 },
    #[error("{} changed this since you opened it; nothing was done.", if by.is_empty() { "Someone" } else { by.as_str() })]
    ChangedSince { by: String },
    #[error("Database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("Team database error: {}", pg_message(.0))]
    Postgres(#[from] postgres::Error),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Where a database lives: a SQLite file (the default), or a team database on a PostgreSQL
/// server, named by a `postgres://` URL. `Debug` and `Display` leave the password out.
#[derive(Clone, PartialEq, Eq)]
pub enum Location {
    File(PathBuf),
    Team(String),
}

impl Location {
    /// A `postgres://` (or `postgresql://`) URL is a team database; anything else a file path.
    pub fn parse(text: &str) -> Self {
        if team::is_team_url(text) {
            Location::Team(text.to_owned())
        } else {
            Location::File(PathBuf::from(text))
        }
    }

    /// The file, when this is one.
    pub fn file(&self) -> Option<&Path> {
        match self {
            Location::File(path) => Some(path),
            Location::Team(_) => None,
        }
    }
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Location::File(path) => write!(f, "{}", path.display()),
            Location::Team(url) => write!(f, "{}", team::redacted(url)),
        }
    }
}

impl std::fmt::Debug for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Location({self})")
    }
}

/// A Rapport database: one SQLite file (or memory, for tests), or a team database.
pub struct Store {
    conn: Db,
    path: Option<PathBuf>,
    /// The team database's address without its password, when this is one.
    team: Option<String>,
    /// The address it was opened with (password included, if it had one), for `location`.
    team_url: Option<String>,
    /// A fixed "now" for tests and snapshots; `None` reads the system clock.
    fixed_now: Option<DateTime<Utc>>,
    /// The passphrase the file is encrypted with, when it is protected (see `cipher`); its
    /// backups are encrypted with it too.
    passphrase: Option<cipher::Passphrase>,
    /// True when this open created the file (a first launch).
    created: bool,
    /// Marks along the contact list in name order, so a jump deep into it starts near the
    /// row it wants (see `name_anchor`).
    anchors: std::cell::RefCell<Option<NameAnchors>>,
    /// The last contact count on a team database: its words, the change log's newest id
    /// then, and the count (a keystroke asks for it twice).
    last_count: std::cell::RefCell<Option<(String, i64, usize)>>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("path", &self.path)
            .field("team", &self.team)
            .finish()
    }
}

fn now_utc() -> DateTime<Utc> {
    // Stored to the second: finer precision only makes the text longer.
    let now = Utc::now();
    DateTime::from_timestamp(now.timestamp(), 0).unwrap_or(now)
}

impl Store {
    /// Opens (or creates) the database at `path`, migrating it to the current schema.
    /// A file that is not SQLite, is damaged, comes from a newer Rapport or has a schema that is
    /// not Rapport's own (`admit`) is refused and left exactly as it was.
    pub fn open(path: &Path) -> Result<Self> {
        cipher::ready();
        if let Some(parent) = path.parent()
            && !parent.as_os_str().is_empty()
        {
            std::fs::create_dir_all(parent)?;
        }
        let existed = path.exists();
        let path_text = path.display().to_string();
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| classify(e, &path_text))?;
        let passphrase = cipher::key_connection(&conn, path)?;
        let conn = Db::Sqlite(conn);
        if !existed {
            restrict_permissions(path);
        }
        let mut store = Self {
            conn,
            path: Some(path.to_path_buf()),
            team: None,
            team_url: None,
            fixed_now: None,
            passphrase: None,
            created: !existed,
            anchors: Default::default(),
            last_count: Default::default(),
        };
        store.passphrase = passphrase;
        store
            .configure_connection()
            .map_err(|e| reclassify(e, &path_text))?;
        if existed {
            store
                .admit(&path_text)
                .map_err(|e| reclassify(e, &path_text))?;
        }
        store
            .configure_journal()
            .map_err(|e| reclassify(e, &path_text))?;
        if existed {
            let found = store.schema_version()?;
            if found > 0 && found < SCHEMA_VERSION {
                // A copy of the old schema before changing it.
                let now = chrono::Local::now().naive_local();
                store.backup_now(&format!("before-migration-v{found}"), now)?;
            }
        }
        store.migrate().map_err(|e| reclassify(e, &path_text))?;
        Ok(store)
    }

    /// Opens the database at `location`: the file (see `open`) or the team database (see
    /// `open_team`).
    pub fn open_at(location: &Location) -> Result<Self> {
        match location {
            Location::File(path) => Self::open(path),
            Location::Team(url) => Self::open_team(url),
        }
    }

    /// Where this store's database lives, so a job can open its own connection to it; `None`
    /// for a database in memory.
    pub fn location(&self) -> Option<Location> {
        match (&self.path, &self.team_url) {
            (Some(path), _) => Some(Location::File(path.clone())),
            (None, Some(url)) => Some(Location::Team(url.clone())),
            (None, None) => None,
        }
    }

    /// A private database in memory, for tests and previews.
    pub fn open_in_memory() -> Result<Self> {
        cipher::ready();
        let conn = Db::Sqlite(Connection::open_in_memory()?);
        let mut store = Self {
            conn,
            path: None,
            team: None,
            team_url: None,
            fixed_now: None,
            passphrase: None,
            created: true,
            anchors: Default::default(),
            last_count: Default::default(),
        };
        store.configure()?;
        store.migrate()?;
        Ok(store)
    }

    /// Makes every timestamp the store writes `now`, so tests and snapshots do not depend on
    /// the day they run.
    pub fn set_clock(&mut self, now: DateTime<Utc>) {
        self.fixed_now = Some(now);
    }

    fn now(&self) -> DateTime<Utc> {
        self.fixed_now.unwrap_or_else(now_utc)
    }

    /// True when opening created a new, empty database file (the first launch).
    pub fn was_created(&self) -> bool {
        self.created
    }

    /// The file behind this store, if any.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Sets up the connection; see `configure_connection` and `configure_journal`.
    fn configure(&self) -> Result<()> {
        self.configure_connection()?;
        self.configure_journal()
    }

    /// What the connection does, none of it written to the file: hardened against a crafted
    /// file (`trust::harden`), foreign keys, the statement cache, the planner's stability.
    fn configure_connection(&self) -> Result<()> {
        let conn = self.conn.sqlite()?;
        trust::harden(conn)?;
        // Fail fast on a lock instead of hanging the window; the caller explains it.
        conn.busy_timeout(std::time::Duration::from_millis(2000))?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // 16 MB of pages kept (SQLite's default is 2 MB): a jump through a 100,000-contact list
        // reads index and row pages all over the file. On a protected file each page read again
        // is decrypted and its HMAC checked again (7-12 µs a page here): 64 MB there, so a jump
        // or a search reads what the last one left decrypted (see BENCHMARKS.md, session 10).
        // Memory is taken only by pages read.
        let cache_kib = if self.passphrase.is_some() {
            65_536
        } else {
            16_384
        };
        conn.pragma_update(None, "cache_size", -cache_kib)?;
        // Imports and the health pass use a few dozen statements; keep them all prepared.
        conn.set_prepared_statement_cache_capacity(64);
        // Query-planner stability: without it, SQLite (built with STAT4) marks statements whose
        // plan could depend on a bound value and re-prepares them on every new binding — 27 %
        // of an import's time went to re-parsing the same SQL. Rapport never runs ANALYZE,
        // so the plans do not change anyway.
        conn.set_db_config(
            rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG,
            true,
        )?;
        Ok(())
    }

    /// The journal of a file: WAL, synchronous. Switching a file to WAL writes its header, so
    /// this runs only once the file has been admitted.
    fn configure_journal(&self) -> Result<()> {
        let conn = self.conn.sqlite()?;
        if self.path.is_some() {
            let mode: String =
                conn.pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))?;
            if !mode.eq_ignore_ascii_case("wal") {
                tracing::warn!("journal_mode is {mode}, not WAL");
            }
            // FULL: an acknowledged write survives a power cut, not just a crash.
            conn.pragma_update(None, "synchronous", "FULL")?;
        }
        Ok(())
    }

    /// Reads the header and the schema, which refuses a file that is not SQLite or whose first
    /// pages are damaged. It costs the same for 10 contacts or 100,000: a full check reads every
    /// page (seconds on a large file), so it runs on demand (`integrity_problem`) instead.
    fn header_check(&self) -> Result<()> {
        let _: i64 = self
            .conn
            .query_row("SELECT COUNT(*) FROM sqlite_schema", (), |r| r.get(0))?;
        Ok(())
    }

    /// Refuses an existing file before anything is written to it: one whose header or schema
    /// cannot be read (`header_check`), one from a newer Rapport, and one whose schema is not
    /// the one Rapport gives its `user_version` (`trust::schema_problem`). It reads the schema
    /// only (tens of microseconds whatever the number of contacts).
    fn admit(&self, path: &str) -> Result<()> {
        self.header_check()?;
        let found = self.schema_version()?;
        if found > SCHEMA_VERSION {
            return Err(StoreError::TooNew {
                found,
                supported: SCHEMA_VERSION,
            });
        }
        match trust::schema_problem(self.conn.sqlite()?, found)? {
            None => Ok(()),
            Some(what) => Err(StoreError::Untrusted {
                path: path.to_owned(),
                what,
            }),
        }
    }

    /// Runs SQLite's full integrity check; `Ok(None)` means healthy, `Ok(Some(text))` says what
    /// is wrong.
    pub fn integrity_problem(&self) -> Result<Option<String>> {
        let mut stmt = self.conn.sqlite()?.prepare("PRAGMA integrity_check(20)")?;
        let lines: Vec<String> = stmt
            .query_map((), |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        if lines.len() == 1 && lines[0] == "ok" {
            Ok(None)
        } else {
            Ok(Some(lines.join("; ")))
        }
    }

    /// The schema version stored in the file.
    pub fn schema_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .sqlite()?
            .pragma_query_value(None, "user_version", |r| r.get(0))?)
    }

    fn migrate(&mut self) -> Result<()> {
        let found = self.schema_version()?;
        if found > SCHEMA_VERSION {
            return Err(StoreError::TooNew {
                found,
                supported: SCHEMA_VERSION,
            });
        }
        if found == SCHEMA_VERSION {
            return Ok(());
        }
        let tx = self.conn.transaction()?;
        for (index, sql) in schema::MIGRATIONS.iter().enumerate().skip(found as usize) {
            tx.execute_batch(sql)?;
            tracing::info!("applied migration {}", index + 1);
        }
        tx.sqlite()?
            .pragma_update(None, "user_version", SCHEMA_VERSION)?;
        tx.commit()?;
        Ok(())
    }

    /// Runs `f` in one transaction: it all lands or none of it does.
    fn write<T>(&mut self, f: impl FnOnce(&Db) -> Result<T>) -> Result<T> {
        let tx = self.conn.transaction()?;
        let value = f(&tx)?;
        tx.commit()?;
        Ok(value)
    }
}

impl StoreError {
    /// A row broke a constraint (a foreign key to a row that is not there, a duplicate).
    pub fn is_constraint_violation(&self) -> bool {
        match self {
            StoreError::Sqlite(rusqlite::Error::SqliteFailure(f, _)) => {
                f.code == rusqlite::ErrorCode::ConstraintViolation
            }
            StoreError::Postgres(e) => e.code().is_some_and(|code| code.code().starts_with("23")),
            _ => false,
        }
    }
}

/// What the server said (its message, and the detail when it gave one), not just "db error".
impl StoreError {
    /// What went wrong, for `rapport.log`: the kind of error and codes, never a value from the
    /// database or what was typed (a sentence for the user may quote both; a server's error
    /// detail may hold a whole row), so the log carries no names, e-mails or notes.
    pub fn for_the_log(&self) -> String {
        match self {
            StoreError::TooNew { found, supported } => {
                format!("schema {found} is newer than {supported}")
            }
            StoreError::NotADatabase { .. } => "not a database file".to_owned(),
            StoreError::Corrupt { .. } => "a damaged database file".to_owned(),
            StoreError::Untrusted { .. } => "a schema Rapport did not make".to_owned(),
            StoreError::NeedsPassphrase { .. } => "protected, no passphrase given".to_owned(),
            StoreError::WrongPassphrase { .. } => "protected, a wrong passphrase".to_owned(),
            StoreError::Locked => "the database is locked".to_owned(),
            StoreError::Io(e) => format!("input/output: {:?}", e.kind()),
            StoreError::Invalid(_) => "refused as invalid".to_owned(),
            StoreError::NotAllowed(_) => "not allowed by the team database".to_owned(),
            StoreError::Cancelled => "cancelled".to_owned(),
            StoreError::NotFound { what, id } => format!("{what} {id} not found"),
            StoreError::ChangedSince { .. } => "changed by someone since it was read".to_owned(),
            StoreError::Sqlite(e) => match e.sqlite_error_code() {
                Some(code) => format!("SQLite {code:?}"),
                None => "SQLite: a value of the wrong type or no row".to_owned(),
            },
            StoreError::Postgres(e) => match e.as_db_error() {
                Some(db) => format!(
                    "PostgreSQL {} on {}",
                    db.code().code(),
                    db.constraint().or(db.table()).unwrap_or("a statement")
                ),
                None => "PostgreSQL: the connection".to_owned(),
            },
        }
    }
}

fn pg_message(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => match db.detail() {
            Some(detail) => format!("{} ({detail})", db.message()),
            None => db.message().to_owned(),
        },
        None => e.to_string(),
    }
}

/// Turns SQLite's codes on open into sentences.
fn classify(e: rusqlite::Error, path: &str) -> StoreError {
    match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::NotADatabase) => StoreError::NotADatabase {
            path: path.to_owned(),
        },
        Some(rusqlite::ErrorCode::DatabaseCorrupt) => StoreError::Corrupt {
            path: path.to_owned(),
            detail: "SQLite reports the file is malformed".to_owned(),
        },
        Some(rusqlite::ErrorCode::DatabaseBusy) | Some(rusqlite::ErrorCode::DatabaseLocked) => {
            StoreError::Locked
        }
        _ => StoreError::Sqlite(e),
    }
}

fn reclassify(e: StoreError, path: &str) -> StoreError {
    match e {
        StoreError::Sqlite(inner) => classify(inner, path),
        other => other,
    }
}

#[cfg(unix)]
fn restrict_permissions(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    if let Err(e) = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)) {
        tracing::warn!("could not make {} private: {e}", path.display());
    }
}

#[cfg(not(unix))]
fn restrict_permissions(_path: &Path) {}
