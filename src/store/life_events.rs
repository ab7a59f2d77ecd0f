//! Life events: what happened in a contact's life (a move, a new job, a child), by date.

use super::sql_types::parse_date;
use super::{Result, Store, StoreError};
use crate::model::{ContactId, LifeEvent, LifeEventId};
use chrono::NaiveDate;
use rusqlite::params;

impl Store {
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
            Ok(LifeEventId(tx.last_insert_id("life_events")?))
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
                    occurred_on: parse_date(&r.get::<String>(2)?)?,
                    kind: r.get(3)?,
                    description: r.get(4)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }
}
