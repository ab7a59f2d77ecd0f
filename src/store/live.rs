//! Seeing a teammate's change at once: every change to a team database's records is written
//! to its change log, and the server sends a notification carrying the log entry's id, the
//! table, the record and who did it (`pg_schema.rs`, `rapport_log_change`). A window listens
//! on a connection of its own (`ChangeListener`); notifications sent while it was disconnected
//! are lost, so after reconnecting it reads the log from the last id it saw (`changes_since`).

use super::{Result, Store, StoreError};
use std::time::Duration;

/// The channel the server notifies on.
const CHANNEL: &str = "rapport_changes";

/// One change a teammate (or this window) made.
#[derive(Clone, Debug, PartialEq, Eq, serde::Deserialize)]
pub struct TeamChange {
    /// Its place in the change log.
    pub id: i64,
    /// The table and the record's id (`contacts` 12).
    pub table: String,
    pub row: i64,
    /// `INSERT`, `UPDATE` or `DELETE`.
    pub op: String,
    /// The login that made it.
    pub by: String,
}

impl Store {
    /// The newest entry of the change log (0 when there is none, and on a local file).
    pub fn last_change_id(&self) -> Result<i64> {
        if !self.conn.is_postgres() {
            return Ok(0);
        }
        self.conn
            .query_row("SELECT COALESCE(MAX(id), 0) FROM changes", (), |r| r.get(0))
    }

    /// The changes after log entry `after`, oldest first, at most `limit` of them.
    pub fn changes_since(&self, after: i64, limit: usize) -> Result<Vec<TeamChange>> {
        if !self.conn.is_postgres() {
            return Ok(Vec::new());
        }
        self.conn
            .prepare_cached(
                "SELECT id, table_name, row_id, op, changed_by FROM changes
                 WHERE id > ?1 ORDER BY id LIMIT ?2",
            )?
            .query_map(rusqlite::params![after, limit as i64], |r| {
                Ok(TeamChange {
                    id: r.get(0)?,
                    table: r.get(1)?,
                    row: r.get(2)?,
                    op: r.get(3)?,
                    by: r.get(4)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()
            .map_err(StoreError::from)
    }
}

/// A connection that waits for the team's change notifications.
pub struct ChangeListener {
    client: postgres::Client,
}

impl ChangeListener {
    /// Connects to the team database at `url` and starts listening.
    pub fn connect(url: &str) -> Result<Self> {
        let mut client = super::team::connect(url)?;
        client.batch_execute(&format!("LISTEN {CHANNEL}"))?;
        Ok(Self { client })
    }

    /// The changes notified within `timeout` (waiting no longer once one has come, and
    /// collecting those that arrive with it); an error when the connection is lost.
    pub fn wait(&mut self, timeout: Duration) -> Result<Vec<TeamChange>> {
        use postgres::fallible_iterator::FallibleIterator as _;
        let mut notes = Vec::new();
        let first = self.client.notifications().timeout_iter(timeout).next()?;
        if let Some(note) = first {
            notes.push(note);
            // Those that came with it, without waiting for more.
            let mut notifications = self.client.notifications();
            let mut pending = notifications.iter();
            while let Some(note) = pending.next()? {
                notes.push(note);
            }
        }
        let changes: Vec<TeamChange> = notes
            .iter()
            .filter_map(|note| serde_json::from_str(note.payload()).ok())
            .collect();
        if changes.is_empty() && self.client.is_closed() {
            return Err(StoreError::Invalid(
                "The connection to the team database was lost.".to_owned(),
            ));
        }
        Ok(changes)
    }

    /// True while the connection stands.
    pub fn is_connected(&mut self) -> bool {
        !self.client.is_closed() && self.client.is_valid(Duration::from_secs(2)).is_ok()
    }
}
