//! The bulk writer: many inserts in one transaction with cached statements, for demo data and
//! imports. Dropped without `commit`, it changes nothing.

use super::contacts::insert_contact;
use super::conversations::insert_interaction;
use super::custom_fields::fields_of;
use super::db::Tx;
use super::follow_ups::insert_follow_up;
use super::sql_types::fmt_time;
use super::{Result, Store};
use crate::model::custom_field::{CustomField, FieldDefinition, find};
use crate::model::relationship::RelationKind;
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

    /// Records "from is `kind` of to" (a symmetric kind from the lower id, as
    /// `Store::relate` does); one recorded already is left as it is.
    pub fn add_relationship(
        &mut self,
        from: ContactId,
        kind: RelationKind,
        to: ContactId,
    ) -> Result<()> {
        let (from, to) = if kind.is_symmetric() {
            (from.min(to), from.max(to))
        } else {
            (from, to)
        };
        let sql = if self.tx.is_postgres() {
            "INSERT INTO relationships (from_id, kind, to_id, note, created_at, created_by)
             VALUES (?1, ?2, ?3, '', ?4, CAST(current_user AS TEXT)) ON CONFLICT DO NOTHING"
        } else {
            "INSERT INTO relationships (from_id, kind, to_id, note, created_at, created_by)
             VALUES (?1, ?2, ?3, '', ?4, '') ON CONFLICT DO NOTHING"
        };
        self.tx
            .prepare_cached(sql)?
            .execute(params![from, kind.as_str(), to, self.now])?;
        Ok(())
    }

    /// The custom field `definition` names (without case), defined last in the order when
    /// there is none yet; one of that name already there is returned as it is, whatever its
    /// kind.
    pub fn custom_field(&mut self, definition: &FieldDefinition) -> Result<CustomField> {
        let definition = definition.checked().map_err(super::StoreError::Invalid)?;
        let fields = fields_of(&self.tx, definition.applies_to)?;
        if let Some(field) = find(&fields, &definition.name) {
            return Ok(field.clone());
        }
        let position = fields.iter().map(|f| f.position + 1).max().unwrap_or(0);
        let kind = definition
            .kind
            .unwrap_or(crate::model::custom_field::FieldKind::Text);
        self.tx.execute(
            "INSERT INTO custom_fields (applies_to, name, kind, choices, position,
             remind_days_before, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                definition.applies_to.as_str(),
                definition.name,
                kind.as_str(),
                definition.choices.join("\n"),
                position,
                definition.remind_days_before,
                self.now
            ],
        )?;
        let fields = fields_of(&self.tx, definition.applies_to)?;
        find(&fields, &definition.name)
            .cloned()
            .ok_or(super::StoreError::NotFound {
                what: "custom field",
                id: 0,
            })
    }

    pub fn commit(self) -> Result<()> {
        self.tx.commit()?;
        Ok(())
    }
}
