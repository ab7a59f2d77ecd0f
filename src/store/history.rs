//! Conversation histories: a contact's or an organization's, filtered by channel, purpose,
//! dates and words in the notes, fetched a window at a time, newest first.

use super::db::Db;
use super::search::{matches, query_for};
use super::{Result, Store};
use crate::model::{HistoryFilter, HistoryScope, Interaction, InteractionId};
use rusqlite::types::Value;

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

impl Store {
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
