//! The only place that speaks SQL. `Store` owns a SQLite connection, applies migrations on
//! `PRAGMA user_version`, keeps the full-text indexes in step with the tables, and offers typed
//! queries for the app, the CLI and the benchmarks. Every write runs in one transaction.

pub mod backup;
mod contact_export;
mod follow_ups;
pub mod health;
mod history;
pub mod import;
mod report;
mod schema;
mod search;
mod timeline;
pub mod undo;

pub use search::fts_query;

/// The schema's migrations, in order (for the import benchmark's measure of what SQLite alone
/// needs to write Rapport's rows).
pub fn migrations() -> &'static [&'static str] {
    schema::MIGRATIONS
}

use crate::model::{
    Address, Birthday, Contact, ContactDraft, ContactFilter, ContactId, ContactRow, Email,
    FollowUp, FollowUpDraft, FollowUpId, FollowUpStatus, HistoryFilter, HistoryScope, Interaction,
    InteractionDraft, InteractionId, LifeEvent, LifeEventId, Organization, OrganizationId, Phone,
    Stage, TrashedContact,
};
use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use rusqlite::{Connection, OpenFlags, OptionalExtension, Transaction, params};
use std::path::{Path, PathBuf};

/// The schema version this build writes; a database with a larger `user_version` came from a
/// newer Rapport and is refused rather than damaged.
pub const SCHEMA_VERSION: i64 = schema::MIGRATIONS.len() as i64;

const TIME_FORMAT: &str = "%Y-%m-%d %H:%M:%S";

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
    #[error(
        "The database is in use by another program (another Rapport window?). Close it and try again."
    )]
    Locked,
    #[error("Could not create the folder for the database: {0}")]
    Io(#[from] std::io::Error),
    #[error("{0}")]
    Invalid(String),
    #[error("Cancelled; nothing was changed.")]
    Cancelled,
    #[error("No {what} with id {id}.")]
    NotFound { what: &'static str, id: i64 },
    #[error("Database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// A Rapport database: one SQLite file (or memory, for tests).
pub struct Store {
    conn: Connection,
    path: Option<PathBuf>,
    /// A fixed "now" for tests and snapshots; `None` reads the system clock.
    fixed_now: Option<DateTime<Utc>>,
    /// True when this open created the file (a first launch).
    created: bool,
    /// Marks along the contact list in name order, so a jump deep into it starts near the
    /// row it wants (see `name_anchor`).
    anchors: std::cell::RefCell<Option<NameAnchors>>,
}

/// Every `ANCHOR_STEP`-th live contact's place in name order (its sort key and id), and the
/// state of the database they were read from: any change made through this connection
/// (`total_changes`) or committed by another one (`data_version`) makes them stale.
struct NameAnchors {
    total_changes: u64,
    data_version: i64,
    /// Mark `k` is row `k * ANCHOR_STEP`; read as far as jumps have needed.
    keys: Vec<(String, i64)>,
    /// The walk reached the end of the list: there are no more marks.
    complete: bool,
}

/// Rows between two anchors: a jump walks at most this many index entries.
const ANCHOR_STEP: usize = 256;

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

fn now_utc() -> DateTime<Utc> {
    // Stored to the second: finer precision only makes the text longer.
    let now = Utc::now();
    DateTime::from_timestamp(now.timestamp(), 0).unwrap_or(now)
}

fn fmt_time(t: NaiveDateTime) -> String {
    t.format(TIME_FORMAT).to_string()
}

fn parse_time(text: &str) -> rusqlite::Result<NaiveDateTime> {
    NaiveDateTime::parse_from_str(text, TIME_FORMAT).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, e.into())
    })
}

fn parse_date(text: &str) -> rusqlite::Result<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, e.into())
    })
}

/// A page of the contact list: `$ids` selects the page's contact ids in name order; the
/// organization and health are joined for those rows only.
macro_rules! contact_page {
    ($ids:literal) => {
        concat!(
            "SELECT c.id, c.display_name, COALESCE(o.name, ''), c.title, c.is_decision_maker,
                    h.score, h.level, h.health_json
             FROM (",
            $ids,
            ") page
             JOIN contacts c ON c.id = page.id
             LEFT JOIN organizations o ON o.id = c.organization_id
             LEFT JOIN contact_health h ON h.contact_id = c.id
             ORDER BY c.sort_key, c.id"
        )
    };
}

/// Maps a contact-list row: id, name, organization, title, decision maker, then the health
/// score, level and judgement (NULL until computed).
fn contact_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ContactRow> {
    let score: Option<i64> = r.get(5)?;
    let level: Option<String> = r.get(6)?;
    let json: Option<String> = r.get(7)?;
    let health = score.zip(level.as_deref().and_then(health::level_of));
    let health_notes = json
        .and_then(|j| serde_json::from_str::<crate::insight::Health>(&j).ok())
        .map(|h| h.explanation())
        .unwrap_or_default();
    Ok(ContactRow {
        id: r.get(0)?,
        display_name: r.get(1)?,
        organization: r.get(2)?,
        title: r.get(3)?,
        is_decision_maker: r.get(4)?,
        health,
        health_notes,
    })
}

/// The WHERE clause and parameters of a filtered contact list (search + tag + stage + health).
fn filtered_where(search: &str, filter: &ContactFilter) -> (String, Vec<rusqlite::types::Value>) {
    use rusqlite::types::Value;
    let mut sql = String::from(" WHERE c.deleted_at IS NULL");
    let mut values = Vec::new();
    if let Some(q) = fts_query(search) {
        sql.push_str(" AND c.id IN (SELECT rowid FROM contact_fts WHERE contact_fts MATCH ?)");
        values.push(Value::Text(q));
    }
    if let Some(tag) = &filter.tag {
        sql.push_str(
            " AND c.id IN (SELECT ct.contact_id FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id
                           WHERE t.name = ?)",
        );
        values.push(Value::Text(tag.clone()));
    }
    if let Some(stage) = filter.stage {
        sql.push_str(" AND c.stage = ?");
        values.push(Value::Text(stage.as_str().to_owned()));
    }
    if let Some(level) = filter.health {
        sql.push_str(" AND h.level = ?");
        values.push(Value::Text(level.as_str().to_owned()));
    }
    if filter.needs_attention {
        sql.push_str(" AND h.attention = 1");
    }
    (sql, values)
}

/// Lowercased, trimmed text used for matching and ordering names.
fn key_of(text: &str) -> String {
    text.trim().to_lowercase()
}

/// Digits (and a leading +) of a phone number, for matching.
fn phone_key(number: &str) -> String {
    let trimmed = number.trim();
    let mut key: String = trimmed.chars().filter(|c| c.is_ascii_digit()).collect();
    if trimmed.starts_with('+') {
        key.insert(0, '+');
    }
    key
}

impl Store {
    /// Opens (or creates) the database at `path`, migrating it to the current schema.
    /// A file that is not SQLite, is damaged, or comes from a newer Rapport is refused and left
    /// exactly as it was.
    pub fn open(path: &Path) -> Result<Self> {
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
        if !existed {
            restrict_permissions(path);
        }
        let mut store = Self {
            conn,
            path: Some(path.to_path_buf()),
            fixed_now: None,
            created: !existed,
            anchors: Default::default(),
        };
        store.configure().map_err(|e| reclassify(e, &path_text))?;
        if existed {
            store
                .header_check()
                .map_err(|e| reclassify(e, &path_text))?;
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

    /// A private database in memory, for tests and previews.
    pub fn open_in_memory() -> Result<Self> {
        let conn = Connection::open_in_memory()?;
        let mut store = Self {
            conn,
            path: None,
            fixed_now: None,
            created: true,
            anchors: Default::default(),
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

    /// A remembered setting.
    pub fn setting(&self, key: &str) -> Option<String> {
        self.conn
            .prepare_cached("SELECT value FROM settings WHERE key = ?1")
            .ok()?
            .query_row([key], |r| r.get(0))
            .optional()
            .ok()?
    }

    /// Remembers a setting.
    pub fn set_setting(&mut self, key: &str, value: &str) -> Result<()> {
        self.conn.execute(
            "INSERT OR REPLACE INTO settings (key, value) VALUES (?1, ?2)",
            params![key, value],
        )?;
        Ok(())
    }

    /// The file behind this store, if any.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    fn configure(&self) -> Result<()> {
        // Fail fast on a lock instead of hanging the window; the caller explains it.
        self.conn
            .busy_timeout(std::time::Duration::from_millis(2000))?;
        self.conn.pragma_update(None, "foreign_keys", "ON")?;
        // Imports and the health pass use a few dozen statements; keep them all prepared.
        self.conn.set_prepared_statement_cache_capacity(64);
        // Query-planner stability: without it, SQLite (built with STAT4) marks statements whose
        // plan could depend on a bound value and re-prepares them on every new binding — 27 %
        // of an import's time went to re-parsing the same SQL. Rapport never runs ANALYZE,
        // so the plans do not change anyway.
        self.conn.set_db_config(
            rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG,
            true,
        )?;
        if self.path.is_some() {
            let mode: String =
                self.conn
                    .pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))?;
            if !mode.eq_ignore_ascii_case("wal") {
                tracing::warn!("journal_mode is {mode}, not WAL");
            }
            // FULL: an acknowledged write survives a power cut, not just a crash.
            self.conn.pragma_update(None, "synchronous", "FULL")?;
        }
        Ok(())
    }

    /// Reads the header and the schema, which refuses a file that is not SQLite or whose first
    /// pages are damaged. It costs the same for 10 contacts or 100,000: a full check reads every
    /// page (seconds on a large file), so it runs on demand (`integrity_problem`) instead.
    fn header_check(&self) -> Result<()> {
        let _: i64 = self
            .conn
            .query_row("SELECT COUNT(*) FROM sqlite_schema", [], |r| r.get(0))?;
        Ok(())
    }

    /// Runs SQLite's full integrity check; `Ok(None)` means healthy, `Ok(Some(text))` says what
    /// is wrong.
    pub fn integrity_problem(&self) -> Result<Option<String>> {
        let mut stmt = self.conn.prepare("PRAGMA integrity_check(20)")?;
        let lines: Vec<String> = stmt
            .query_map([], |r| r.get(0))?
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
        tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
        tx.commit()?;
        Ok(())
    }

    /// Runs `f` in one transaction: it all lands or none of it does.
    pub fn write<T>(&mut self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        let tx = self.conn.transaction()?;
        let value = f(&tx)?;
        tx.commit()?;
        Ok(value)
    }

    // ----- contacts -------------------------------------------------------------------------

    /// Creates a contact from a validated draft.
    pub fn create_contact(&mut self, draft: &ContactDraft) -> Result<ContactId> {
        draft.validate().map_err(StoreError::Invalid)?;
        let now = self.now();
        self.write(|tx| insert_contact(tx, draft, "manual", now))
    }

    /// Replaces everything editable on a contact with `draft`.
    pub fn update_contact(&mut self, id: ContactId, draft: &ContactDraft) -> Result<()> {
        draft.validate().map_err(StoreError::Invalid)?;
        let now = self.now();
        self.write(|tx| update_contact(tx, id, draft, now))
    }

    /// Moves a contact to the trash; its conversations stay and come back with it.
    pub fn trash_contact(&mut self, id: ContactId) -> Result<()> {
        let now = self.now();
        self.write(|tx| {
            let changed = tx.execute(
                "UPDATE contacts SET deleted_at = ?2 WHERE id = ?1 AND deleted_at IS NULL",
                params![id, now],
            )?;
            if changed == 0 {
                return Err(StoreError::NotFound {
                    what: "contact",
                    id: id.0,
                });
            }
            Ok(())
        })
    }

    /// Takes a contact back out of the trash.
    pub fn restore_contact(&mut self, id: ContactId) -> Result<()> {
        self.write(|tx| {
            let changed = tx.execute(
                "UPDATE contacts SET deleted_at = NULL WHERE id = ?1 AND deleted_at IS NOT NULL",
                params![id],
            )?;
            if changed == 0 {
                return Err(StoreError::NotFound {
                    what: "contact in the trash",
                    id: id.0,
                });
            }
            Ok(())
        })
    }

    /// Deletes a trashed contact for good, with conversations only they took part in.
    pub fn purge_contact(&mut self, id: ContactId) -> Result<()> {
        self.write(|tx| {
            let deleted: Option<Option<String>> = tx
                .query_row("SELECT deleted_at FROM contacts WHERE id = ?1", [id], |r| {
                    r.get(0)
                })
                .optional()?;
            match deleted {
                Some(Some(_)) => {}
                _ => {
                    return Err(StoreError::NotFound {
                        what: "contact in the trash",
                        id: id.0,
                    });
                }
            }
            // Conversations where this contact was the only participant go with them.
            let lonely: Vec<i64> = {
                let mut stmt = tx.prepare(
                    "SELECT p.interaction_id FROM interaction_participants p
                     WHERE p.contact_id = ?1 AND NOT EXISTS (
                        SELECT 1 FROM interaction_participants q
                        WHERE q.interaction_id = p.interaction_id AND q.contact_id <> ?1)",
                )?;
                stmt.query_map([id], |r| r.get(0))?
                    .collect::<rusqlite::Result<_>>()?
            };
            for interaction in lonely {
                tx.execute(
                    "DELETE FROM interaction_fts WHERE rowid = ?1",
                    [interaction],
                )?;
                tx.execute("DELETE FROM interactions WHERE id = ?1", [interaction])?;
            }
            tx.execute("DELETE FROM contact_fts WHERE rowid = ?1", [id])?;
            tx.execute("DELETE FROM contacts WHERE id = ?1", [id])?;
            Ok(())
        })
    }

    /// Contacts in the trash, most recently deleted first.
    pub fn trashed_contacts(&self) -> Result<Vec<TrashedContact>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT c.id, c.display_name, COALESCE(o.name, ''), c.deleted_at
             FROM contacts c LEFT JOIN organizations o ON o.id = c.organization_id
             WHERE c.deleted_at IS NOT NULL ORDER BY c.deleted_at DESC, c.id DESC",
        )?;
        let rows = stmt
            .query_map([], |r| {
                Ok(TrashedContact {
                    id: r.get(0)?,
                    display_name: r.get(1)?,
                    organization: r.get(2)?,
                    deleted_at: r.get(3)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// One contact with everything on it, including a trashed one.
    pub fn contact(&self, id: ContactId) -> Result<Contact> {
        load_contact(&self.conn, id)?.ok_or(StoreError::NotFound {
            what: "contact",
            id: id.0,
        })
    }

    /// How many live contacts match `search` and `filter`.
    pub fn count_contacts_filtered(&self, search: &str, filter: &ContactFilter) -> Result<usize> {
        if filter.is_plain() {
            return self.count_contacts(search);
        }
        let (tail, values) = filtered_where(search, filter);
        let n: i64 = self
            .conn
            .prepare_cached(&format!(
                "SELECT COUNT(*) FROM contacts c LEFT JOIN contact_health h ON h.contact_id = c.id{tail}"
            ))?
            .query_row(rusqlite::params_from_iter(values), |r| r.get(0))?;
        Ok(n as usize)
    }

    /// A window of the contact list for `search` and `filter`: by name, or weakest
    /// relationship first (contacts not yet judged last).
    pub fn contact_rows_filtered(
        &self,
        search: &str,
        filter: &ContactFilter,
        offset: usize,
        limit: usize,
    ) -> Result<Vec<ContactRow>> {
        if filter.is_plain() {
            return self.contact_rows(search, offset, limit);
        }
        let (tail, mut values) = filtered_where(search, filter);
        let order = if filter.sort_by_health {
            format!("ORDER BY {}", health::weakest_first_order())
        } else {
            "ORDER BY c.sort_key, c.id".to_owned()
        };
        values.push(rusqlite::types::Value::Integer(limit as i64));
        values.push(rusqlite::types::Value::Integer(offset as i64));
        let rows = self
            .conn
            .prepare_cached(&format!(
                "SELECT c.id, c.display_name, COALESCE(o.name, ''), c.title, c.is_decision_maker,
                        h.score, h.level, h.health_json
                 FROM contacts c
                 LEFT JOIN contact_health h ON h.contact_id = c.id
                 LEFT JOIN organizations o ON o.id = c.organization_id{tail}
                 {order} LIMIT ? OFFSET ?"
            ))?
            .query_map(rusqlite::params_from_iter(values), contact_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Every tag with its colour, cadence and how many live contacts carry it, by name.
    pub fn tags(&self) -> Result<Vec<crate::model::Tag>> {
        let rows = self
            .conn
            .prepare_cached(
                "SELECT t.name, t.color, t.cadence_days,
                        (SELECT COUNT(*) FROM contact_tags ct JOIN contacts c ON c.id = ct.contact_id
                         WHERE ct.tag_id = t.id AND c.deleted_at IS NULL)
                 FROM tags t ORDER BY t.name COLLATE NOCASE",
            )?
            .query_map([], |r| {
                Ok(crate::model::Tag {
                    name: r.get(0)?,
                    color: r.get(1)?,
                    cadence_days: r.get(2)?,
                    contacts: r.get::<_, i64>(3)? as usize,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Sets (or clears) a tag's colour; `color` must be `#rrggbb`.
    pub fn set_tag_color(&mut self, tag: &str, color: Option<&str>) -> Result<()> {
        let tag = tag.trim();
        if tag.is_empty() {
            return Err(StoreError::Invalid("Name the tag.".to_owned()));
        }
        let color = match color {
            Some(text) => {
                let [r, g, b] = crate::model::parse_hex_color(text).ok_or_else(|| {
                    StoreError::Invalid(format!(
                        "\"{text}\" is not a colour; write it as #rrggbb, for example #2a9d8f."
                    ))
                })?;
                Some(format!("#{r:02x}{g:02x}{b:02x}"))
            }
            None => None,
        };
        self.write(|tx| {
            tx.execute("INSERT OR IGNORE INTO tags (name) VALUES (?1)", [tag])?;
            tx.execute(
                "UPDATE tags SET color = ?2 WHERE name = ?1",
                params![tag, color],
            )?;
            Ok(())
        })
    }

    /// How many live contacts match `search` (all of them when it is blank).
    pub fn count_contacts(&self, search: &str) -> Result<usize> {
        let count: i64 = match fts_query(search) {
            None => self
                .conn
                .prepare_cached("SELECT COUNT(*) FROM contacts WHERE deleted_at IS NULL")?
                .query_row([], |r| r.get(0))?,
            // Counted in the search index alone, less the few trashed contacts that match:
            // joining every match to its contact row cost 25 ms for a one-letter prefix.
            Some(q) => self
                .conn
                .prepare_cached(
                    "SELECT (SELECT COUNT(*) FROM contact_fts WHERE contact_fts MATCH ?1)
                          - (SELECT COUNT(*) FROM contacts c INDEXED BY contacts_by_name
                             WHERE c.deleted_at IS NOT NULL
                               AND EXISTS (SELECT 1 FROM contact_fts
                                           WHERE contact_fts MATCH ?1 AND rowid = c.id))",
                )?
                .query_row([q], |r| r.get(0))?,
        };
        Ok(count.max(0) as usize)
    }

    /// A window of the contact list in name order: rows `offset .. offset + limit` of the live
    /// contacts matching `search`. The list is never loaded whole.
    pub fn contact_rows(
        &self,
        search: &str,
        offset: usize,
        limit: usize,
    ) -> Result<Vec<ContactRow>> {
        let map = contact_row;
        let Some(q) = fts_query(search) else {
            // Deep in the list, start at the nearest mark before the page: the OFFSET then
            // walks fewer than ANCHOR_STEP index entries wherever the page is.
            if offset >= ANCHOR_STEP
                && let Some((key, id)) = self.name_anchor(offset / ANCHOR_STEP)?
            {
                return Ok(self
                    .conn
                    .prepare_cached(contact_page!(
                        "SELECT id FROM contacts INDEXED BY contacts_by_name
                         WHERE deleted_at IS NULL AND (sort_key, id) >= (?3, ?4)
                         ORDER BY sort_key, id LIMIT ?1 OFFSET ?2"
                    ))?
                    .query_map(
                        params![limit as i64, (offset % ANCHOR_STEP) as i64, key, id],
                        map,
                    )?
                    .collect::<rusqlite::Result<Vec<_>>>()?);
            }
            return Ok(self
                .conn
                .prepare_cached(contact_page!(
                    // The OFFSET walks the covering name index only; the join runs for the page.
                    "SELECT id FROM contacts INDEXED BY contacts_by_name
                     WHERE deleted_at IS NULL ORDER BY sort_key, id LIMIT ?1 OFFSET ?2"
                ))?
                .query_map(params![limit as i64, offset as i64], map)?
                .collect::<rusqlite::Result<Vec<_>>>()?);
        };
        // How the matches are paged depends on how many there are, which the search index
        // counts in a few milliseconds.
        let matches: i64 = self
            .conn
            .prepare_cached("SELECT COUNT(*) FROM contact_fts WHERE contact_fts MATCH ?1")?
            .query_row([&q], |r| r.get(0))?;
        let highest: i64 = self
            .conn
            .prepare_cached("SELECT COALESCE(MAX(id), 0) FROM contacts")?
            .query_row([], |r| r.get(0))?;
        // Contacts walked in name order before the page is full, if each is asked about.
        let lookups = (offset + limit) as i64 * highest / matches.max(1);
        let sql = if matches <= 5_000 {
            // Few matches: sorting them is cheaper than walking every name.
            "SELECT c.id, c.display_name, COALESCE(o.name, ''), c.title, c.is_decision_maker,
                    h.score, h.level, h.health_json
             FROM contact_fts f JOIN contacts c ON c.id = f.rowid
             LEFT JOIN organizations o ON o.id = c.organization_id
             LEFT JOIN contact_health h ON h.contact_id = c.id
             WHERE contact_fts MATCH ?3 AND c.deleted_at IS NULL
             ORDER BY c.sort_key, c.id LIMIT ?1 OFFSET ?2"
        } else if lookups <= 250 {
            // Most contacts match: walk the name index in order and ask the search index
            // about each contact until the page is full (a few dozen lookups).
            contact_page!(
                "SELECT id FROM contacts c0 INDEXED BY contacts_by_name
                 WHERE deleted_at IS NULL
                   AND EXISTS (SELECT 1 FROM contact_fts WHERE contact_fts MATCH ?3 AND rowid = c0.id)
                 ORDER BY sort_key, id LIMIT ?1 OFFSET ?2"
            )
        } else {
            // Many matches, deep in the list: collect the matches once, then walk the name
            // index keeping them, so there is no sort of every match.
            contact_page!(
                "SELECT id FROM contacts INDEXED BY contacts_by_name
                 WHERE deleted_at IS NULL
                   AND id IN (SELECT rowid FROM contact_fts WHERE contact_fts MATCH ?3)
                 ORDER BY sort_key, id LIMIT ?1 OFFSET ?2"
            )
        };
        let rows = self
            .conn
            .prepare_cached(sql)?
            .query_map(params![limit as i64, offset as i64, q], map)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// The sort key and id of live contact number `n * ANCHOR_STEP` in name order, if there
    /// is one. The marks are read as far as a jump needs them, continuing from the last one
    /// known — so a first jump walks the index as far as a plain OFFSET would, and later jumps
    /// up to there walk fewer than ANCHOR_STEP entries — and are kept until the database
    /// changes.
    fn name_anchor(&self, n: usize) -> Result<Option<(String, i64)>> {
        let total_changes = self.conn.total_changes();
        let data_version: i64 = self
            .conn
            .pragma_query_value(None, "data_version", |r| r.get(0))?;
        let mut slot = self.anchors.borrow_mut();
        let anchors = match slot.as_mut() {
            Some(a) if a.total_changes == total_changes && a.data_version == data_version => a,
            _ => slot.insert(NameAnchors {
                total_changes,
                data_version,
                keys: Vec::new(),
                complete: false,
            }),
        };
        if n >= anchors.keys.len() && !anchors.complete {
            // Walk on from the last mark known (itself included, as row 0 of the walk).
            let (from_key, from_id) = anchors
                .keys
                .last()
                .cloned()
                .unwrap_or_else(|| (String::new(), i64::MIN));
            let mut stmt = self.conn.prepare_cached(
                "SELECT sort_key, id FROM contacts INDEXED BY contacts_by_name
                 WHERE deleted_at IS NULL AND (sort_key, id) >= (?1, ?2)
                 ORDER BY sort_key, id",
            )?;
            let mut rows = stmt.query(params![from_key, from_id])?;
            let skip_first = !anchors.keys.is_empty();
            let mut index = 0usize;
            loop {
                let Some(row) = rows.next()? else {
                    anchors.complete = true;
                    break;
                };
                if index.is_multiple_of(ANCHOR_STEP) && !(skip_first && index == 0) {
                    anchors.keys.push((row.get(0)?, row.get(1)?));
                    if anchors.keys.len() > n {
                        break;
                    }
                }
                index += 1;
            }
        }
        Ok(anchors.keys.get(n).cloned())
    }

    /// Where a live contact stands in the list for `search` (its row index), if it is there.
    pub fn contact_position(&self, search: &str, id: ContactId) -> Result<Option<usize>> {
        let key: Option<String> = self
            .conn
            .prepare_cached("SELECT sort_key FROM contacts WHERE id = ?1 AND deleted_at IS NULL")?
            .query_row([id], |r| r.get(0))
            .optional()?;
        let Some(key) = key else { return Ok(None) };
        let before: i64 = match fts_query(search) {
            None => self.conn.prepare_cached(
                "SELECT COUNT(*) FROM contacts WHERE deleted_at IS NULL AND (sort_key, id) < (?1, ?2)",
            )?
            .query_row(params![key, id], |r| r.get(0))?,
            Some(q) => {
                let matches: bool = self.conn.prepare_cached(
                    "SELECT EXISTS(SELECT 1 FROM contact_fts WHERE contact_fts MATCH ?1 AND rowid = ?2)",
                )?
                .query_row(params![q, id], |r| r.get(0))?;
                if !matches {
                    return Ok(None);
                }
                self.conn.prepare_cached(
                    "SELECT COUNT(*) FROM contact_fts f JOIN contacts c ON c.id = f.rowid
                     WHERE contact_fts MATCH ?3 AND c.deleted_at IS NULL AND (c.sort_key, c.id) < (?1, ?2)",
                )?
                .query_row(params![key, id, q], |r| r.get(0))?
            }
        };
        Ok(Some(before as usize))
    }

    /// Every live contact in full, in name order (for `rapport contacts` and exports).
    pub fn all_contacts(&self) -> Result<Vec<Contact>> {
        let ids: Vec<ContactId> = self
            .conn
            .prepare("SELECT id FROM contacts WHERE deleted_at IS NULL ORDER BY sort_key, id")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        ids.into_iter().map(|id| self.contact(id)).collect()
    }

    /// The organization a name refers to, if one exists.
    pub fn organization_by_name(&self, name: &str) -> Result<Option<Organization>> {
        Ok(self
            .conn
            .prepare_cached("SELECT id, name, notes FROM organizations WHERE name_key = ?1")?
            .query_row([key_of(name)], |r| {
                Ok(Organization {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    notes: r.get(2)?,
                })
            })
            .optional()?)
    }

    /// Organizations whose name or notes match `search`, by name.
    pub fn search_organizations(&self, search: &str, limit: usize) -> Result<Vec<Organization>> {
        let Some(q) = fts_query(search) else {
            return Ok(Vec::new());
        };
        let rows = self
            .conn
            .prepare_cached(
                "SELECT o.id, o.name, o.notes FROM organization_fts f
                 JOIN organizations o ON o.id = f.rowid
                 WHERE organization_fts MATCH ?1 ORDER BY o.name_key LIMIT ?2",
            )?
            .query_map(params![q, limit as i64], |r| {
                Ok(Organization {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    notes: r.get(2)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    // ----- conversations --------------------------------------------------------------------

    /// Records a conversation with its participants.
    pub fn log_interaction(&mut self, draft: &InteractionDraft) -> Result<InteractionId> {
        draft.validate().map_err(StoreError::Invalid)?;
        let now = self.now();
        self.write(|tx| insert_interaction(tx, draft, now))
    }

    /// Replaces everything on a conversation.
    pub fn update_interaction(
        &mut self,
        id: InteractionId,
        draft: &InteractionDraft,
    ) -> Result<()> {
        draft.validate().map_err(StoreError::Invalid)?;
        let now = self.now();
        self.write(|tx| {
            let changed = tx.execute(
                "UPDATE interactions SET occurred_at=?2, channel=?3, initiated_by=?4, purpose=?5,
                 outcome=?6, duration_minutes=?7, summary=?8, they_said=?9, they_need=?10,
                 i_promised=?11, next_step=?12, updated_at=?13 WHERE id=?1",
                params![
                    id,
                    fmt_time(draft.occurred_at),
                    draft.channel,
                    draft.initiated_by,
                    draft.purpose,
                    draft.outcome,
                    draft.duration_minutes,
                    draft.summary,
                    draft.they_said,
                    draft.they_need,
                    draft.i_promised,
                    draft.next_step,
                    now
                ],
            )?;
            if changed == 0 {
                return Err(StoreError::NotFound {
                    what: "conversation",
                    id: id.0,
                });
            }
            tx.execute(
                "DELETE FROM interaction_participants WHERE interaction_id = ?1",
                [id],
            )?;
            insert_participants(tx, id, draft)?;
            index_interaction(tx, id, draft)?;
            Ok(())
        })
    }

    /// Deletes a conversation (the app keeps the draft for undo).
    pub fn delete_interaction(&mut self, id: InteractionId) -> Result<()> {
        self.write(|tx| {
            tx.execute("DELETE FROM interaction_fts WHERE rowid = ?1", [id])?;
            let changed = tx.execute("DELETE FROM interactions WHERE id = ?1", [id])?;
            if changed == 0 {
                return Err(StoreError::NotFound {
                    what: "conversation",
                    id: id.0,
                });
            }
            Ok(())
        })
    }

    /// How many conversations a contact took part in.
    pub fn count_interactions(&self, contact: ContactId) -> Result<usize> {
        self.count_history(HistoryScope::Contact(contact), &HistoryFilter::default())
    }

    /// A window of a contact's conversations, newest first.
    pub fn interactions_for_contact(
        &self,
        contact: ContactId,
        offset: usize,
        limit: usize,
    ) -> Result<Vec<Interaction>> {
        self.history(
            HistoryScope::Contact(contact),
            &HistoryFilter::default(),
            offset,
            limit,
        )
    }

    /// One conversation with its participants.
    pub fn interaction(&self, id: InteractionId) -> Result<Interaction> {
        let mut interaction = self
            .conn
            .prepare_cached(
                "SELECT occurred_at, channel, initiated_by, purpose, outcome, duration_minutes,
                 summary, they_said, they_need, i_promised, next_step, created_at
                 FROM interactions WHERE id = ?1",
            )?
            .query_row([id], |r| {
                Ok(Interaction {
                    id,
                    draft: InteractionDraft {
                        occurred_at: parse_time(&r.get::<_, String>(0)?)?,
                        channel: r.get(1)?,
                        initiated_by: r.get(2)?,
                        purpose: r.get(3)?,
                        outcome: r.get(4)?,
                        duration_minutes: r.get(5)?,
                        participants: Vec::new(),
                        summary: r.get(6)?,
                        they_said: r.get(7)?,
                        they_need: r.get(8)?,
                        i_promised: r.get(9)?,
                        next_step: r.get(10)?,
                    },
                    participant_names: Vec::new(),
                    created_at: r.get(11)?,
                })
            })
            .optional()?
            .ok_or(StoreError::NotFound {
                what: "conversation",
                id: id.0,
            })?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT c.id, c.display_name FROM interaction_participants p
             JOIN contacts c ON c.id = p.contact_id WHERE p.interaction_id = ?1 ORDER BY c.sort_key",
        )?;
        for row in stmt.query_map([id], |r| {
            Ok((r.get::<_, ContactId>(0)?, r.get::<_, String>(1)?))
        })? {
            let (cid, name) = row?;
            interaction.draft.participants.push(cid);
            interaction.participant_names.push(name);
        }
        Ok(interaction)
    }

    /// The `limit` most recently recorded conversations whose notes match `search`, then
    /// ordered newest first by when they happened. FTS5 walks its index backwards by rowid
    /// (the order conversations were recorded in) and stops at `limit`, so a one-letter prefix
    /// over a million notes costs what a rare word does; ordering every match by date first
    /// took seconds.
    pub fn search_interactions(&self, search: &str, limit: usize) -> Result<Vec<InteractionId>> {
        let Some(q) = fts_query(search) else {
            return Ok(Vec::new());
        };
        let ids = self
            .conn
            .prepare_cached(
                "SELECT i.id FROM (SELECT rowid FROM interaction_fts WHERE interaction_fts MATCH ?1
                                   ORDER BY rowid DESC LIMIT ?2) f
                 JOIN interactions i ON i.id = f.rowid
                 ORDER BY i.occurred_at DESC, i.id DESC",
            )?
            .query_map(params![q, limit as i64], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(ids)
    }

    // ----- follow-ups and life events -------------------------------------------------------

    /// Records a follow-up (a promise, mine or theirs).
    pub fn add_follow_up(&mut self, draft: &FollowUpDraft) -> Result<FollowUpId> {
        if draft.text.trim().is_empty() {
            return Err(StoreError::Invalid(
                "Say what the follow-up is about.".to_owned(),
            ));
        }
        let now = self.now();
        self.write(|tx| insert_follow_up(tx, draft, now))
    }

    /// Marks a follow-up with a final status at a local time.
    pub fn set_follow_up_status(
        &mut self,
        id: FollowUpId,
        status: FollowUpStatus,
        at: NaiveDateTime,
    ) -> Result<()> {
        let now = self.now();
        self.write(|tx| {
            let completed = (status != FollowUpStatus::Open).then(|| fmt_time(at));
            let changed = tx.execute(
                "UPDATE follow_ups SET status = ?2, completed_at = ?3, updated_at = ?4 WHERE id = ?1",
                params![id, status, completed, now],
            )?;
            if changed == 0 {
                return Err(StoreError::NotFound { what: "follow-up", id: id.0 });
            }
            Ok(())
        })
    }

    /// A contact's follow-ups, soonest due first.
    pub fn follow_ups_for_contact(&self, contact: ContactId) -> Result<Vec<FollowUp>> {
        let rows = self
            .conn
            .prepare_cached(
                "SELECT id, contact_id, organization_id, interaction_id, text, notes, due_date,
                 due_time, promised_by, status, completed_at, created_at
                 FROM follow_ups WHERE contact_id = ?1 ORDER BY due_date, due_time, id",
            )?
            .query_map([contact], follow_up_from_row)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Records something that happened in a contact's life.
    pub fn add_life_event(
        &mut self,
        contact: ContactId,
        occurred_on: NaiveDate,
        kind: &str,
        description: &str,
    ) -> Result<LifeEventId> {
        if kind.trim().is_empty() {
            return Err(StoreError::Invalid(
                "Say what kind of life event it was.".to_owned(),
            ));
        }
        let now = self.now();
        self.write(|tx| {
            tx.execute(
                "INSERT INTO life_events (contact_id, occurred_on, kind, description, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![
                    contact,
                    occurred_on.to_string(),
                    kind.trim(),
                    description.trim(),
                    now
                ],
            )?;
            Ok(LifeEventId(tx.last_insert_rowid()))
        })
    }

    /// A contact's life events, newest first.
    pub fn life_events_for_contact(&self, contact: ContactId) -> Result<Vec<LifeEvent>> {
        let rows = self
            .conn
            .prepare_cached(
                "SELECT id, contact_id, occurred_on, kind, description FROM life_events
                 WHERE contact_id = ?1 ORDER BY occurred_on DESC, id DESC",
            )?
            .query_map([contact], |r| {
                Ok(LifeEvent {
                    id: r.get(0)?,
                    contact_id: r.get(1)?,
                    occurred_on: parse_date(&r.get::<_, String>(2)?)?,
                    kind: r.get(3)?,
                    description: r.get(4)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Opens a bulk writer: many inserts in one transaction with cached statements, for demo
    /// data and imports. Nothing lands until `commit`.
    pub fn bulk(&mut self) -> Result<BulkWriter<'_>> {
        let now = self.now();
        Ok(BulkWriter {
            tx: self.conn.transaction()?,
            now,
        })
    }
}

/// Many writes in one transaction; dropped without `commit`, it changes nothing.
pub struct BulkWriter<'a> {
    tx: Transaction<'a>,
    now: DateTime<Utc>,
}

impl BulkWriter<'_> {
    pub fn add_contact(&mut self, draft: &ContactDraft, source: &str) -> Result<ContactId> {
        insert_contact(&self.tx, draft, source, self.now)
    }

    pub fn add_interaction(&mut self, draft: &InteractionDraft) -> Result<InteractionId> {
        insert_interaction(&self.tx, draft, self.now)
    }

    /// Adds a follow-up made at `made_at` (the conversation it came from) with a final status.
    pub fn add_follow_up(
        &mut self,
        draft: &FollowUpDraft,
        status: FollowUpStatus,
        made_at: DateTime<Utc>,
    ) -> Result<FollowUpId> {
        let id = insert_follow_up(&self.tx, draft, made_at)?;
        if status != FollowUpStatus::Open {
            let done_at = draft
                .due_date
                .and_time(draft.due_time.unwrap_or(NaiveTime::MIN));
            self.tx
                .prepare_cached(
                    "UPDATE follow_ups SET status = ?2, completed_at = ?3 WHERE id = ?1",
                )?
                .execute(params![id, status, fmt_time(done_at)])?;
        }
        Ok(id)
    }

    pub fn commit(self) -> Result<()> {
        self.tx.commit()?;
        Ok(())
    }
}

fn follow_up_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<FollowUp> {
    let due_time: Option<String> = r.get(7)?;
    let completed: Option<String> = r.get(10)?;
    Ok(FollowUp {
        id: r.get(0)?,
        draft: FollowUpDraft {
            contact_id: r.get(1)?,
            organization_id: r.get(2)?,
            interaction_id: r.get(3)?,
            text: r.get(4)?,
            notes: r.get(5)?,
            due_date: parse_date(&r.get::<_, String>(6)?)?,
            due_time: due_time.and_then(|t| NaiveTime::parse_from_str(&t, "%H:%M").ok()),
            promised_by: r.get(8)?,
        },
        status: r.get(9)?,
        completed_at: completed.map(|t| parse_time(&t)).transpose()?,
        created_at: r.get(11)?,
    })
}

fn insert_follow_up(
    tx: &Connection,
    draft: &FollowUpDraft,
    now: DateTime<Utc>,
) -> Result<FollowUpId> {
    tx.prepare_cached(
        "INSERT INTO follow_ups (contact_id, organization_id, interaction_id, text, notes,
         due_date, due_time, promised_by, status, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'open', ?9, ?9)",
    )?
    .execute(params![
        draft.contact_id,
        draft.organization_id,
        draft.interaction_id,
        draft.text.trim(),
        draft.notes.trim(),
        draft.due_date.to_string(),
        draft.due_time.map(|t| t.format("%H:%M").to_string()),
        draft.promised_by,
        now
    ])?;
    Ok(FollowUpId(tx.last_insert_rowid()))
}

fn insert_interaction(
    tx: &Connection,
    draft: &InteractionDraft,
    now: DateTime<Utc>,
) -> Result<InteractionId> {
    tx.prepare_cached(
        "INSERT INTO interactions (occurred_at, channel, initiated_by, purpose, outcome,
         duration_minutes, summary, they_said, they_need, i_promised, next_step, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12)",
    )?
    .execute(params![
        fmt_time(draft.occurred_at),
        draft.channel,
        draft.initiated_by,
        draft.purpose,
        draft.outcome,
        draft.duration_minutes,
        draft.summary.trim(),
        draft.they_said.trim(),
        draft.they_need.trim(),
        draft.i_promised.trim(),
        draft.next_step.trim(),
        now
    ])?;
    let id = InteractionId(tx.last_insert_rowid());
    insert_participants(tx, id, draft)?;
    index_interaction(tx, id, draft)?;
    Ok(id)
}

fn insert_participants(tx: &Connection, id: InteractionId, draft: &InteractionDraft) -> Result<()> {
    let mut stmt = tx.prepare_cached(
        "INSERT OR IGNORE INTO interaction_participants (interaction_id, contact_id, occurred_at)
         VALUES (?1, ?2, ?3)",
    )?;
    let at = fmt_time(draft.occurred_at);
    for contact in &draft.participants {
        stmt.execute(params![id, contact, at])
            .map_err(|e| match e {
                rusqlite::Error::SqliteFailure(f, _)
                    if f.code == rusqlite::ErrorCode::ConstraintViolation =>
                {
                    StoreError::NotFound {
                        what: "contact",
                        id: contact.0,
                    }
                }
                other => other.into(),
            })?;
    }
    Ok(())
}

fn index_interaction(tx: &Connection, id: InteractionId, draft: &InteractionDraft) -> Result<()> {
    tx.prepare_cached(
        "INSERT OR REPLACE INTO interaction_fts (rowid, summary, they_said, they_need, i_promised, next_step)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        id,
        draft.summary,
        draft.they_said,
        draft.they_need,
        draft.i_promised,
        draft.next_step
    ])?;
    Ok(())
}

/// Finds or creates the organization called `name` (case-insensitively); `None` for blank.
fn organization_for(
    tx: &Connection,
    name: &str,
    now: DateTime<Utc>,
    indexing: &mut SearchIndexing<'_>,
) -> Result<Option<OrganizationId>> {
    let name = name.trim();
    if name.is_empty() {
        return Ok(None);
    }
    let key = key_of(name);
    if let SearchIndexing::Later(batch) = indexing
        && let Some(id) = batch.organizations.get(&key)
    {
        return Ok(Some(*id));
    }
    let found: Option<OrganizationId> = tx
        .prepare_cached("SELECT id FROM organizations WHERE name_key = ?1")?
        .query_row([&key], |r| r.get(0))
        .optional()?;
    let id = match found {
        Some(id) => id,
        None => {
            tx.prepare_cached(
                "INSERT INTO organizations (name, name_key, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)",
            )?
            .execute(params![name, key, now])?;
            let id = OrganizationId(tx.last_insert_rowid());
            match indexing {
                SearchIndexing::Now => {
                    tx.prepare_cached(
                        "INSERT INTO organization_fts (rowid, name, notes) VALUES (?1, ?2, '')",
                    )?
                    .execute(params![id, name])?;
                }
                SearchIndexing::Later(batch) => {
                    batch.organization_rows.push((id, name.to_owned()));
                }
            }
            id
        }
    };
    if let SearchIndexing::Later(batch) = indexing {
        batch.organizations.insert(key, id);
    }
    Ok(Some(id))
}

/// The tag's id, created when new.
fn tag_id(tx: &Connection, tag: &str, indexing: &mut SearchIndexing<'_>) -> Result<i64> {
    if let SearchIndexing::Later(batch) = indexing
        && let Some(id) = batch.tags.get(tag)
    {
        return Ok(*id);
    }
    let found: Option<i64> = tx
        .prepare_cached("SELECT id FROM tags WHERE name = ?1")?
        .query_row([tag], |r| r.get(0))
        .optional()?;
    let id = match found {
        Some(id) => id,
        None => {
            tx.prepare_cached("INSERT INTO tags (name) VALUES (?1)")?
                .execute([tag])?;
            tx.last_insert_rowid()
        }
    };
    if let SearchIndexing::Later(batch) = indexing {
        batch.tags.insert(tag.to_owned(), id);
    }
    Ok(id)
}

fn insert_contact(
    tx: &Connection,
    draft: &ContactDraft,
    source: &str,
    now: DateTime<Utc>,
) -> Result<ContactId> {
    insert_contact_indexing(tx, draft, source, now, None, &mut SearchIndexing::Now)
}

/// When a contact's search document is written: at once, or collected to be written after a
/// batch (`BatchWrites`, which also keeps the batch's organization and tag ids). FTS5 flushes
/// its pending terms at every statement savepoint, so an import that interleaves search rows
/// with other inserts pays a flush per contact; collecting them and writing them together at
/// the end made imports several times faster.
pub(crate) enum SearchIndexing<'a> {
    Now,
    Later(&'a mut BatchWrites),
}

/// What a batch of contact writes (an import) collects to write together at the end, and the
/// organization and tag ids it has already looked up.
#[derive(Default)]
pub(crate) struct BatchWrites {
    contact_rows: Vec<ContactSearchRow>,
    organization_rows: Vec<(OrganizationId, String)>,
    organizations: std::collections::HashMap<String, OrganizationId>,
    tags: std::collections::HashMap<String, i64>,
}

impl BatchWrites {
    /// Writes the collected search documents, a few thousand per statement: each statement is
    /// one FTS5 savepoint, so the index is built in large runs instead of one flush per row.
    pub(crate) fn finish(self, tx: &Connection) -> Result<()> {
        let (replaced, new): (Vec<_>, Vec<_>) =
            self.contact_rows.into_iter().partition(|row| row.replace);
        for (rows, verb) in [(new, "INSERT"), (replaced, "INSERT OR REPLACE")] {
            for chunk in rows.chunks(5000) {
                let json = serde_json::to_string(
                    &chunk
                        .iter()
                        .map(|r| (r.id.0, &r.name, &r.organization, &r.details))
                        .collect::<Vec<_>>(),
                )
                .map_err(|e| StoreError::Invalid(e.to_string()))?;
                tx.prepare_cached(&format!(
                    "{verb} INTO contact_fts (rowid, name, organization, details)
                     SELECT value->>0, value->>1, value->>2, value->>3 FROM json_each(?1)"
                ))?
                .execute([json])?;
            }
        }
        for chunk in self.organization_rows.chunks(5000) {
            let json = serde_json::to_string(
                &chunk
                    .iter()
                    .map(|(id, name)| (id.0, name))
                    .collect::<Vec<_>>(),
            )
            .map_err(|e| StoreError::Invalid(e.to_string()))?;
            tx.prepare_cached(
                "INSERT INTO organization_fts (rowid, name, notes)
                 SELECT value->>0, value->>1, '' FROM json_each(?1)",
            )?
            .execute([json])?;
        }
        Ok(())
    }
}

/// One contact's full-text document.
pub(crate) struct ContactSearchRow {
    id: ContactId,
    name: String,
    organization: String,
    details: String,
    /// The contact had a document already (an update, not a new contact).
    replace: bool,
}

impl SearchIndexing<'_> {
    fn write(&mut self, tx: &Connection, row: ContactSearchRow) -> Result<()> {
        match self {
            SearchIndexing::Now => {
                tx.prepare_cached(
                    "INSERT OR REPLACE INTO contact_fts (rowid, name, organization, details) VALUES (?1, ?2, ?3, ?4)",
                )?
                .execute(params![row.id, row.name, row.organization, row.details])?;
                Ok(())
            }
            SearchIndexing::Later(batch) => {
                batch.contact_rows.push(row);
                Ok(())
            }
        }
    }
}

/// Inserts a contact with every field in one row, then its e-mails, phones, addresses, tags,
/// first stage and search document. `batch` marks it as created by that import.
pub(crate) fn insert_contact_indexing(
    tx: &Connection,
    draft: &ContactDraft,
    source: &str,
    now: DateTime<Utc>,
    batch: Option<crate::model::ImportBatchId>,
    indexing: &mut SearchIndexing<'_>,
) -> Result<ContactId> {
    let organization = organization_for(tx, &draft.organization, now, indexing)?;
    let mut stmt = tx.prepare_cached(
        "INSERT INTO contacts (id, prefix, given_name, middle_name, family_name, suffix, nickname,
         display_name, sort_key, organization_id, title, is_decision_maker, stage, birthday_year,
         birthday_month, birthday_day, family, interests, personal_notes, how_we_met, cadence_days,
         updated_at, created_at, source, import_batch_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,
         ?19, ?20, ?21, ?22, ?22, ?23, ?24)",
    )?;
    bind_contact_row(&mut stmt, None, draft, organization, now)?;
    stmt.raw_bind_parameter(23, source)?;
    stmt.raw_bind_parameter(24, batch)?;
    stmt.raw_execute()?;
    let id = ContactId(tx.last_insert_rowid());
    write_contact_children(tx, id, draft, indexing, false)?;
    tx.prepare_cached(
        "INSERT INTO stage_changes (contact_id, changed_at, old_stage, new_stage) VALUES (?1, ?2, NULL, ?3)",
    )?
    .execute(params![id, now, draft.stage])?;
    Ok(id)
}

fn update_contact(
    tx: &Connection,
    id: ContactId,
    draft: &ContactDraft,
    now: DateTime<Utc>,
) -> Result<()> {
    update_contact_indexing(tx, id, draft, now, &mut SearchIndexing::Now)
}

pub(crate) fn update_contact_indexing(
    tx: &Connection,
    id: ContactId,
    draft: &ContactDraft,
    now: DateTime<Utc>,
    indexing: &mut SearchIndexing<'_>,
) -> Result<()> {
    let old_stage: Option<Stage> = tx
        .prepare_cached("SELECT stage FROM contacts WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?;
    let Some(old_stage) = old_stage else {
        return Err(StoreError::NotFound {
            what: "contact",
            id: id.0,
        });
    };
    let organization = organization_for(tx, &draft.organization, now, indexing)?;
    if old_stage != draft.stage {
        tx.prepare_cached(
            "INSERT INTO stage_changes (contact_id, changed_at, old_stage, new_stage) VALUES (?1, ?2, ?3, ?4)",
        )?
        .execute(params![id, now, old_stage, draft.stage])?;
    }
    for table in [
        "contact_emails",
        "contact_phones",
        "contact_addresses",
        "contact_tags",
    ] {
        tx.prepare_cached(&format!("DELETE FROM {table} WHERE contact_id = ?1"))?
            .execute([id])?;
    }
    let mut stmt = tx.prepare_cached(
        "UPDATE contacts SET prefix=?2, given_name=?3, middle_name=?4, family_name=?5, suffix=?6,
         nickname=?7, display_name=?8, sort_key=?9, organization_id=?10, title=?11,
         is_decision_maker=?12, stage=?13, birthday_year=?14, birthday_month=?15, birthday_day=?16,
         family=?17, interests=?18, personal_notes=?19, how_we_met=?20, cadence_days=?21,
         updated_at=?22 WHERE id=?1",
    )?;
    bind_contact_row(&mut stmt, Some(id), draft, organization, now)?;
    stmt.raw_execute()?;
    write_contact_children(tx, id, draft, indexing, true)
}

/// Binds parameters 1–22 of a contact row statement: the id (NULL for a new contact), every
/// editable field, and `updated_at`.
fn bind_contact_row(
    stmt: &mut rusqlite::Statement<'_>,
    id: Option<ContactId>,
    draft: &ContactDraft,
    organization: Option<OrganizationId>,
    now: DateTime<Utc>,
) -> Result<()> {
    let name = draft.effective_display_name();
    let birthday = draft.birthday;
    let values: [&dyn rusqlite::ToSql; 22] = [
        &id,
        &draft.prefix.trim(),
        &draft.given_name.trim(),
        &draft.middle_name.trim(),
        &draft.family_name.trim(),
        &draft.suffix.trim(),
        &draft.nickname.trim(),
        &name,
        &key_of(&name),
        &organization,
        &draft.title.trim(),
        &draft.is_decision_maker,
        &draft.stage,
        &birthday.and_then(|b| b.year),
        &birthday.map(|b| b.month),
        &birthday.map(|b| b.day),
        &draft.family.trim(),
        &draft.interests.trim(),
        &draft.personal_notes.trim(),
        &draft.how_we_met.trim(),
        &draft.cadence_days,
        &now,
    ];
    for (index, value) in values.into_iter().enumerate() {
        stmt.raw_bind_parameter(index + 1, value)?;
    }
    Ok(())
}

/// Writes the child rows (e-mails, phones, addresses, tags) and the search document of
/// contact `id`; `replace` when the contact already had a search document.
fn write_contact_children(
    tx: &Connection,
    id: ContactId,
    draft: &ContactDraft,
    indexing: &mut SearchIndexing<'_>,
    replace: bool,
) -> Result<()> {
    {
        let mut stmt = tx.prepare_cached(
            "INSERT INTO contact_emails (contact_id, position, label, address, address_key) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        for (position, email) in draft
            .emails
            .iter()
            .filter(|e| !e.address.trim().is_empty())
            .enumerate()
        {
            stmt.execute(params![
                id,
                position as i64,
                email.label.trim(),
                email.address.trim(),
                key_of(&email.address)
            ])?;
        }
    }
    {
        let mut stmt = tx.prepare_cached(
            "INSERT INTO contact_phones (contact_id, position, label, number, number_key) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        for (position, phone) in draft
            .phones
            .iter()
            .filter(|p| !p.number.trim().is_empty())
            .enumerate()
        {
            stmt.execute(params![
                id,
                position as i64,
                phone.label.trim(),
                phone.number.trim(),
                phone_key(&phone.number)
            ])?;
        }
    }
    {
        let mut stmt = tx.prepare_cached(
            "INSERT INTO contact_addresses (contact_id, position, label, street, city, region, postal_code, country)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?;
        for (position, a) in draft.addresses.iter().filter(|a| !a.is_blank()).enumerate() {
            stmt.execute(params![
                id,
                position as i64,
                a.label.trim(),
                a.street.trim(),
                a.city.trim(),
                a.region.trim(),
                a.postal_code.trim(),
                a.country.trim()
            ])?;
        }
    }
    for tag in draft
        .tags
        .iter()
        .map(|t| t.trim())
        .filter(|t| !t.is_empty())
    {
        let tag_id = tag_id(tx, tag, indexing)?;
        tx.prepare_cached(
            "INSERT OR IGNORE INTO contact_tags (contact_id, tag_id) VALUES (?1, ?2)",
        )?
        .execute(params![id, tag_id])?;
    }
    indexing.write(tx, contact_search_row(id, draft, replace))
}

/// A contact's search document, from the same fields `write_contact_children` writes (so undo
/// can write it again after putting rows back): e-mails, phones, cities and tags, then the
/// personal notes.
pub(crate) fn contact_search_row(
    id: ContactId,
    draft: &ContactDraft,
    replace: bool,
) -> ContactSearchRow {
    let name = draft.effective_display_name();
    let mut details: Vec<&str> = Vec::new();
    details.extend(
        draft
            .emails
            .iter()
            .filter(|e| !e.address.trim().is_empty())
            .map(|e| e.address.as_str()),
    );
    details.extend(
        draft
            .phones
            .iter()
            .filter(|p| !p.number.trim().is_empty())
            .map(|p| p.number.as_str()),
    );
    details.extend(
        draft
            .addresses
            .iter()
            .filter(|a| !a.is_blank())
            .map(|a| a.city.as_str()),
    );
    details.extend(
        draft
            .tags
            .iter()
            .map(|t| t.trim())
            .filter(|t| !t.is_empty()),
    );
    details.extend([
        draft.family.as_str(),
        draft.interests.as_str(),
        draft.personal_notes.as_str(),
        draft.how_we_met.as_str(),
    ]);
    // The display name, then any name part it does not already contain (usually none): each
    // word indexed once keeps the search index and an import's indexing time smaller.
    let mut full_name = name.clone();
    for part in [
        draft.given_name.as_str(),
        draft.middle_name.as_str(),
        draft.family_name.as_str(),
        draft.nickname.as_str(),
    ] {
        if !part.trim().is_empty() && !name.contains(part.trim()) {
            full_name.push(' ');
            full_name.push_str(part.trim());
        }
    }
    ContactSearchRow {
        id,
        name: full_name,
        organization: format!("{} {}", draft.organization, draft.title),
        details: details.join(" "),
        replace,
    }
}

/// The columns `draft_from_row` reads, in its order (`c` is the contact, `o` its organization).
macro_rules! draft_columns {
    () => {
        "c.prefix, c.given_name, c.middle_name, c.family_name, c.suffix, c.nickname,
         c.display_name, COALESCE(o.name, ''), c.title, c.is_decision_maker, c.stage,
         c.birthday_year, c.birthday_month, c.birthday_day, c.family, c.interests,
         c.personal_notes, c.how_we_met, c.cadence_days"
    };
}
pub(crate) use draft_columns;

/// A contact's own fields (no e-mails, phones, addresses or tags) from `draft_columns!()`
/// starting at column `first`.
pub(crate) fn draft_from_row(
    r: &rusqlite::Row<'_>,
    first: usize,
) -> rusqlite::Result<ContactDraft> {
    let month: Option<u32> = r.get(first + 12)?;
    let day: Option<u32> = r.get(first + 13)?;
    let birthday = match (month, day) {
        (Some(m), Some(d)) => Birthday::new(r.get(first + 11)?, m, d),
        _ => None,
    };
    Ok(ContactDraft {
        prefix: r.get(first)?,
        given_name: r.get(first + 1)?,
        middle_name: r.get(first + 2)?,
        family_name: r.get(first + 3)?,
        suffix: r.get(first + 4)?,
        nickname: r.get(first + 5)?,
        display_name: r.get(first + 6)?,
        organization: r.get(first + 7)?,
        title: r.get(first + 8)?,
        is_decision_maker: r.get(first + 9)?,
        stage: r.get(first + 10)?,
        birthday,
        family: r.get(first + 14)?,
        interests: r.get(first + 15)?,
        personal_notes: r.get(first + 16)?,
        how_we_met: r.get(first + 17)?,
        cadence_days: r.get(first + 18)?,
        ..ContactDraft::default()
    })
}

fn load_contact(conn: &Connection, id: ContactId) -> Result<Option<Contact>> {
    let base = conn
        .prepare_cached(concat!(
            "SELECT ",
            draft_columns!(),
            ", c.organization_id, c.created_at, c.updated_at, c.deleted_at
             FROM contacts c LEFT JOIN organizations o ON o.id = c.organization_id WHERE c.id = ?1"
        ))?
        .query_row([id], |r| {
            Ok(Contact {
                id,
                organization_id: r.get(19)?,
                draft: draft_from_row(r, 0)?,
                created_at: r.get(20)?,
                updated_at: r.get(21)?,
                deleted_at: r.get(22)?,
            })
        })
        .optional()?;
    let Some(mut contact) = base else {
        return Ok(None);
    };
    contact.draft.emails = conn
        .prepare_cached(
            "SELECT label, address FROM contact_emails WHERE contact_id = ?1 ORDER BY position",
        )?
        .query_map([id], |r| {
            Ok(Email {
                label: r.get(0)?,
                address: r.get(1)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    contact.draft.phones = conn
        .prepare_cached(
            "SELECT label, number FROM contact_phones WHERE contact_id = ?1 ORDER BY position",
        )?
        .query_map([id], |r| {
            Ok(Phone {
                label: r.get(0)?,
                number: r.get(1)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    contact.draft.addresses = conn
        .prepare_cached(
            "SELECT label, street, city, region, postal_code, country FROM contact_addresses
             WHERE contact_id = ?1 ORDER BY position",
        )?
        .query_map([id], |r| {
            Ok(Address {
                label: r.get(0)?,
                street: r.get(1)?,
                city: r.get(2)?,
                region: r.get(3)?,
                postal_code: r.get(4)?,
                country: r.get(5)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    contact.draft.tags = conn
        .prepare_cached(
            "SELECT t.name FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id
             WHERE ct.contact_id = ?1 ORDER BY t.name COLLATE NOCASE",
        )?
        .query_map([id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(Some(contact))
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
