//! Conversations (interactions): recording, editing and deleting them with their participants,
//! reading one back, and finding them by the words in their notes.

use super::contacts::member_name;
use super::db::{Db, OptionalExtension as _};
use super::search::{index_interaction, matches, query_for};
use super::sql_types::{fmt_time, parse_time};
use super::{Result, Store, StoreError};
use crate::model::{
    ContactId, HistoryFilter, HistoryScope, Interaction, InteractionDraft, InteractionId,
};
use chrono::{DateTime, Utc};
use rusqlite::params;

impl Store {
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
        self.update_interaction_seen(id, draft, None)
    }

    /// Replaces everything on a conversation, unless it changed since `seen_version` was read
    /// (a teammate saved it meanwhile): then it says who, and nothing is written.
    pub fn update_interaction_seen(
        &mut self,
        id: InteractionId,
        draft: &InteractionDraft,
        seen_version: Option<i64>,
    ) -> Result<()> {
        draft.validate().map_err(StoreError::Invalid)?;
        let now = self.now();
        self.write(|tx| {
            if let Some(seen) = seen_version {
                super::versions::unchanged_since(tx, "interactions", id.0, seen)?;
            }
            let changed = tx.execute(
                "UPDATE interactions SET occurred_at=?2, channel=?3, initiated_by=?4, purpose=?5,
                 outcome=?6, duration_minutes=?7, summary=?8, they_said=?9, they_need=?10,
                 i_promised=?11, next_step=?12, updated_at=?13, private=?14 WHERE id=?1",
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
                    now,
                    draft.private
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
            .prepare_cached(concat!(
                "SELECT occurred_at, channel, initiated_by, purpose, outcome, duration_minutes,
                 summary, they_said, they_need, i_promised, next_step, created_at, private, version, ",
                member_name!("created_by"),
                " FROM interactions WHERE id = ?1"
            ))?
            .query_row([id], |r| {
                Ok(Interaction {
                    id,
                    draft: InteractionDraft {
                        occurred_at: parse_time(&r.get::<String>(0)?)?,
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
                        private: r.get(12)?,
                    },
                    participant_names: Vec::new(),
                    created_at: r.get(11)?,
                    logged_by: r.get(14)?,
                    version: r.get(13)?,
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
        for row in stmt.query_map([id], |r| Ok((r.get::<ContactId>(0)?, r.get::<String>(1)?)))? {
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
        let Some(q) = query_for(&self.conn, search) else {
            return Ok(Vec::new());
        };
        let ids = self
            .conn
            .prepare_cached(&format!(
                "SELECT i.id FROM (SELECT rowid FROM interaction_fts WHERE {}
                                   ORDER BY rowid DESC LIMIT ?2) f
                 JOIN interactions i ON i.id = f.rowid
                 ORDER BY i.occurred_at DESC, i.id DESC",
                matches(&self.conn, "interaction_fts", "?1")
            ))?
            .query_map(params![q, limit as i64], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(ids)
    }
}

pub(super) fn insert_interaction(
    tx: &Db,
    draft: &InteractionDraft,
    now: DateTime<Utc>,
) -> Result<InteractionId> {
    tx.prepare_cached(
        "INSERT INTO interactions (occurred_at, channel, initiated_by, purpose, outcome,
         duration_minutes, summary, they_said, they_need, i_promised, next_step, created_at, updated_at,
         private)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12, ?13)",
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
        now,
        draft.private
    ])?;
    let id = InteractionId(tx.last_insert_id("interactions")?);
    insert_participants(tx, id, draft)?;
    index_interaction(tx, id, draft)?;
    Ok(id)
}

fn insert_participants(tx: &Db, id: InteractionId, draft: &InteractionDraft) -> Result<()> {
    let mut stmt = tx.prepare_cached(
        "INSERT INTO interaction_participants (interaction_id, contact_id, occurred_at)
         VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
    )?;
    let at = fmt_time(draft.occurred_at);
    for contact in &draft.participants {
        stmt.execute(params![id, contact, at])
            .map_err(|e| match e {
                e if e.is_constraint_violation() => StoreError::NotFound {
                    what: "contact",
                    id: contact.0,
                },
                other => other,
            })?;
    }
    Ok(())
}
