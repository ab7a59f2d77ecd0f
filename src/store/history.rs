//! Conversation histories: a contact's or an organization's, filtered by channel, purpose,
//! dates and words in the notes, fetched a window at a time, newest first.
//!
//! The window's history (`history_rows`) shows a thread of messages (conversations sharing a
//! `thread_ref`) as its newest message in the history, with how many it has: a row is a
//! conversation without a thread, or one no newer message of its thread in the same history
//! follows. Each row asks the thread index about its own thread only (`interactions_by_thread`,
//! then the participants' primary key), so paging costs what it did plus a look-up per row.
//! With a filter set, every matching message is a row of its own.

use super::db::Db;
use super::search::{matches, query_for};
use super::{Result, Store};
use crate::model::conversation_rows::{HistoryRow, ThreadInfo};
use crate::model::{HistoryFilter, HistoryScope, Interaction, InteractionId};
use rusqlite::types::Value;

/// Messages of one thread an opened thread shows at most.
pub const THREAD_SHOWN: usize = 500;

/// The FROM/WHERE part shared by the count and the page queries, with its parameters.
fn history_sql(db: &Db, scope: HistoryScope, filter: &HistoryFilter) -> (String, Vec<Value>) {
    let mut params: Vec<Value> = Vec::new();
    let mut sql = String::new();
    match scope {
        HistoryScope::Contact(id) => {
            sql.push_str(
                " FROM interaction_participants p JOIN interactions i ON i.id = p.interaction_id
                  WHERE p.contact_id = ?",
            );
            params.push(Value::Integer(id.0));
        }
        HistoryScope::Organization(id) => {
            // Everyone at the organization, through the contacts index; a conversation with two
            // of them appears once.
            sql.push_str(
                " FROM interactions i JOIN (SELECT DISTINCT p.interaction_id AS id, p.occurred_at
                     FROM contacts c JOIN interaction_participants p ON p.contact_id = c.id
                     WHERE c.organization_id = ? AND c.deleted_at IS NULL) p ON p.id = i.id
                  WHERE 1 = 1",
            );
            params.push(Value::Integer(id.0));
        }
    }
    if let Some(channel) = filter.channel {
        sql.push_str(" AND i.channel = ?");
        params.push(Value::Text(channel.as_str().to_owned()));
    }
    if let Some(purpose) = filter.purpose {
        sql.push_str(" AND i.purpose = ?");
        params.push(Value::Text(purpose.as_str().to_owned()));
    }
    if let Some(from) = filter.from {
        sql.push_str(" AND p.occurred_at >= ?");
        params.push(Value::Text(format!("{from} 00:00:00")));
    }
    if let Some(to) = filter.to {
        sql.push_str(" AND p.occurred_at <= ?");
        params.push(Value::Text(format!("{to} 23:59:59")));
    }
    if let Some(q) = query_for(db, &filter.text) {
        sql.push_str(&format!(
            " AND i.id IN (SELECT rowid FROM interaction_fts WHERE {})",
            matches(db, "interaction_fts", "?")
        ));
        params.push(Value::Text(q));
    }
    (sql, params)
}

/// `(SQL, parameter)` true when conversation `j` is in the history of `scope`.
fn in_scope(scope: HistoryScope) -> (&'static str, Value) {
    match scope {
        HistoryScope::Contact(id) => (
            "EXISTS (SELECT 1 FROM interaction_participants q WHERE q.contact_id = ?
                AND q.occurred_at = j.occurred_at AND q.interaction_id = j.id)",
            Value::Integer(id.0),
        ),
        HistoryScope::Organization(id) => (
            "EXISTS (SELECT 1 FROM interaction_participants q JOIN contacts c ON c.id = q.contact_id
                WHERE q.interaction_id = j.id AND c.organization_id = ? AND c.deleted_at IS NULL)",
            Value::Integer(id.0),
        ),
    }
}

/// The history's FROM/WHERE with a thread's older messages left out (they fold under its
/// newest); with a filter, every match is shown.
fn rows_sql(db: &Db, scope: HistoryScope, filter: &HistoryFilter) -> (String, Vec<Value>) {
    let (mut sql, mut params) = history_sql(db, scope, filter);
    if filter.is_empty() {
        let (member, id) = in_scope(scope);
        sql.push_str(&format!(
            " AND (i.thread_ref IS NULL OR NOT EXISTS (SELECT 1 FROM interactions j
                 WHERE j.thread_ref = i.thread_ref
                   AND (j.occurred_at > i.occurred_at OR (j.occurred_at = i.occurred_at AND j.id > i.id))
                   AND {member}))"
        ));
        params.push(id);
    }
    (sql, params)
}

impl Store {
    /// How many rows the window's history shows: conversations, a thread counting once.
    pub fn count_history_rows(&self, scope: HistoryScope, filter: &HistoryFilter) -> Result<usize> {
        let (tail, params) = rows_sql(&self.conn, scope, filter);
        let n: i64 = self
            .conn
            .prepare_cached(&format!("SELECT COUNT(*){tail}"))?
            .query_row(super::db::params_from_iter(params), |r| r.get(0))?;
        Ok(n as usize)
    }

    /// A window of the history's rows, newest first; a thread's row is its newest message,
    /// with how many messages the thread has in this history.
    pub fn history_rows(
        &self,
        scope: HistoryScope,
        filter: &HistoryFilter,
        offset: usize,
        limit: usize,
    ) -> Result<Vec<HistoryRow>> {
        let (tail, mut params) = rows_sql(&self.conn, scope, filter);
        let (member, id) = in_scope(scope);
        // One statement: the page, then each row's thread counted in the same history.
        let sql = format!(
            "WITH page AS (SELECT i.id AS id, i.thread_ref AS thread_ref, p.occurred_at AS at{tail}
                 ORDER BY p.occurred_at DESC, i.id DESC LIMIT ? OFFSET ?)
             SELECT page.id, page.thread_ref,
                    CASE WHEN page.thread_ref IS NULL THEN 1 ELSE
                      (SELECT COUNT(*) FROM interactions j WHERE j.thread_ref = page.thread_ref AND {member})
                    END
             FROM page ORDER BY page.at DESC, page.id DESC"
        );
        params.push(Value::Integer(limit as i64));
        params.push(Value::Integer(offset as i64));
        params.push(id);
        let found: Vec<(InteractionId, Option<String>, i64)> = self
            .conn
            .prepare_cached(&sql)?
            .query_map(super::db::params_from_iter(params), |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        found
            .into_iter()
            .map(|(interaction, thread_ref, messages)| {
                Ok(HistoryRow {
                    interaction: self.interaction(interaction)?,
                    thread: thread_ref
                        .filter(|_| messages > 1)
                        .map(|thread_ref| ThreadInfo {
                            thread_ref,
                            messages: messages as usize,
                        }),
                })
            })
            .collect()
    }

    /// The messages of a thread in a history, newest first (at most `THREAD_SHOWN`).
    pub fn thread_in_history(
        &self,
        scope: HistoryScope,
        thread_ref: &str,
    ) -> Result<Vec<Interaction>> {
        let (member, id) = in_scope(scope);
        let sql = format!(
            "SELECT j.id FROM interactions j WHERE j.thread_ref = ? AND {member}
             ORDER BY j.occurred_at DESC, j.id DESC LIMIT ?"
        );
        let ids: Vec<InteractionId> = self
            .conn
            .prepare_cached(&sql)?
            .query_map(
                super::db::params_from_iter([
                    Value::Text(thread_ref.to_owned()),
                    id,
                    Value::Integer(THREAD_SHOWN as i64),
                ]),
                |r| r.get(0),
            )?
            .collect::<rusqlite::Result<_>>()?;
        ids.into_iter().map(|id| self.interaction(id)).collect()
    }

    /// How many conversations a history shows.
    pub fn count_history(&self, scope: HistoryScope, filter: &HistoryFilter) -> Result<usize> {
        let (tail, params) = history_sql(&self.conn, scope, filter);
        let sql = format!("SELECT COUNT(*){tail}");
        let n: i64 = self
            .conn
            .prepare_cached(&sql)?
            .query_row(super::db::params_from_iter(params), |r| r.get(0))?;
        Ok(n as usize)
    }

    /// A window of a history, newest first.
    pub fn history(
        &self,
        scope: HistoryScope,
        filter: &HistoryFilter,
        offset: usize,
        limit: usize,
    ) -> Result<Vec<Interaction>> {
        let (tail, mut params) = history_sql(&self.conn, scope, filter);
        let sql =
            format!("SELECT i.id{tail} ORDER BY p.occurred_at DESC, i.id DESC LIMIT ? OFFSET ?");
        params.push(Value::Integer(limit as i64));
        params.push(Value::Integer(offset as i64));
        let ids: Vec<InteractionId> = self
            .conn
            .prepare_cached(&sql)?
            .query_map(super::db::params_from_iter(params), |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        ids.into_iter().map(|id| self.interaction(id)).collect()
    }

    /// When the contact last stood me up, if ever.
    pub fn last_no_show(
        &self,
        contact: crate::model::ContactId,
    ) -> Result<Option<chrono::NaiveDateTime>> {
        use super::db::OptionalExtension as _;
        let at: Option<String> = self
            .conn
            .prepare_cached(
                "SELECT p.occurred_at FROM interaction_participants p JOIN interactions i ON i.id = p.interaction_id
                 WHERE p.contact_id = ?1 AND i.outcome = 'no_show' ORDER BY p.occurred_at DESC LIMIT 1",
            )?
            .query_row([contact], |r| r.get(0))
            .optional()?;
        Ok(at.and_then(|t| chrono::NaiveDateTime::parse_from_str(&t, "%Y-%m-%d %H:%M:%S").ok()))
    }
}
