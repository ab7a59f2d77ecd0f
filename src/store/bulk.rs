//! The bulk writer: many inserts in one transaction with cached statements, for demo data and
//! imports. Dropped without `commit`, it changes nothing.

use super::contacts::insert_contact;
use super::conversations::insert_interaction;
use super::db::Tx;
use super::follow_ups::insert_follow_up;
use super::sql_types::fmt_time;
use super::{Result, Store};
use crate::model::{
    ContactDraft, ContactId, FollowUpDraft, FollowUpId, FollowUpStatus, InteractionDraft,
    InteractionId,
};
use chrono::{DateTime, NaiveTime, Utc};
use rusqlite::params;

impl Store {
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
    tx: Tx<'a>,
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
