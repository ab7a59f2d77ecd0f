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
#[derive(Clone, Debug, PartialEq, Eq)]
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

/// A connection that waits for the team's change notifications. A notification only wakes it:
/// what changed is read from the change log, which the server writes (anyone who may connect
/// can send a notification, with any words in it).
pub struct ChangeListener {
    client: postgres::Client,
    /// The newest log entry read.
    last_id: i64,
}

impl ChangeListener {
    /// Connects to the team database at `url` and starts listening, from the log's newest entry.
    pub fn connect(url: &str) -> Result<Self> {
        let mut client = super::team::connect(url)?;
        // Named apart from the window's own connection in the server's list of sessions.
        client.batch_execute(&format!(
            "SET application_name = 'Rapport: listening for changes'; LISTEN {CHANNEL}"
        ))?;
        let last_id: i64 = client
            .query_one("SELECT COALESCE(MAX(id), 0) FROM changes", &[])?
            .get(0);
        Ok(Self { client, last_id })
    }

    /// The changes logged since the last call, once a notification came within `timeout`
    /// (none when it did not); an error when the connection is lost.
    pub fn wait(&mut self, timeout: Duration) -> Result<Vec<TeamChange>> {
        use postgres::fallible_iterator::FallibleIterator as _;
        let woken = self.client.notifications().timeout_iter(timeout).next()?;
        if woken.is_none() {
            if self.client.is_closed() {
                return Err(StoreError::Invalid(
                    "The connection to the team database was lost.".to_owned(),
                ));
            }
            return Ok(Vec::new());
        }
        // The others that came with it are read from the log too.
        {
            let mut notifications = self.client.notifications();
            let mut pending = notifications.iter();
            while pending.next()?.is_some() {}
        }
        let rows = self.client.query(
            "SELECT id, table_name, row_id, op, changed_by FROM changes
             WHERE id > $1 ORDER BY id LIMIT 10000",
            &[&self.last_id],
        )?;
        let changes: Vec<TeamChange> = rows
            .iter()
            .map(|r| TeamChange {
                id: r.get(0),
                table: r.get(1),
                row: r.get(2),
                op: r.get(3),
                by: r.get(4),
            })
            .collect();
        if let Some(last) = changes.last() {
            self.last_id = last.id;
        }
        Ok(changes)
    }

    /// True while the connection stands.
    pub fn is_connected(&mut self) -> bool {
        !self.client.is_closed() && self.client.is_valid(Duration::from_secs(2)).is_ok()
    }
}
