//! Everything Rapport holds about one person, gathered for `rapport contact everything`: the
//! contact in full, every conversation they took part in, their follow-ups with each
//! reschedule, life events, stage history, the stored relationship health, and where they came
//! from (their source, the import that created them and every import record about them).
//! `report::everything` turns it into a JSON or HTML file.

use super::db::{Db, OptionalExtension as _};
use super::{Result, Store, StoreError};
use crate::insight::Health;
use crate::model::{Contact, ContactId, FollowUp, Interaction, InteractionId, LifeEvent};

/// Everything held about one contact, as it is stored. Bookkeeping times the store keeps as
/// text (stage changes, reschedules, imports) are given as stored.
#[derive(Clone, Debug, PartialEq)]
pub struct EverythingWeHold {
    pub contact: Contact,
    pub has_photo: bool,
    /// How the contact was made: "manual", "import", "demo", …
    pub source: String,
    /// Every conversation they took part in, newest first.
    pub conversations: Vec<HeldConversation>,
    pub follow_ups: Vec<HeldFollowUp>,
    pub life_events: Vec<LifeEvent>,
    /// How they are related to other contacts (those in the trash too), in their words.
    pub relationships: Vec<crate::model::relationship::Related>,
    pub stage_changes: Vec<StageChange>,
    pub health: Option<Health>,
    /// The import that created the contact, when one did.
    pub import_batch: Option<ImportOrigin>,
    /// Every import's record about the contact (created, merged, …), oldest first.
    pub import_records: Vec<ImportRecord>,
}

/// A conversation the contact took part in; `shared` when other people took part too.
#[derive(Clone, Debug, PartialEq)]
pub struct HeldConversation {
    pub interaction: Interaction,
    pub shared: bool,
}

/// A follow-up with its reschedule history, oldest change first.
#[derive(Clone, Debug, PartialEq)]
pub struct HeldFollowUp {
    pub follow_up: FollowUp,
    pub reschedules: Vec<Reschedule>,
}

/// One reschedule or snooze of a follow-up: when, and the due moment and status it had before.
#[derive(Clone, Debug, PartialEq)]
pub struct Reschedule {
    pub changed_at: String,
    pub old_due_date: String,
    pub old_due_time: Option<String>,
    pub old_status: String,
    pub note: String,
}

/// A change of the contact's stage (the first one has no old stage).
#[derive(Clone, Debug, PartialEq)]
pub struct StageChange {
    pub changed_at: String,
    pub old_stage: Option<String>,
    pub new_stage: String,
}

/// An import batch: the file it read, its format and when it ran.
#[derive(Clone, Debug, PartialEq)]
pub struct ImportOrigin {
    pub id: i64,
    pub file_name: String,
    pub format: String,
    pub started_at: String,
    pub finished_at: Option<String>,
    pub undone_at: Option<String>,
}

/// What one import recorded about the contact, so it could be undone.
#[derive(Clone, Debug, PartialEq)]
pub struct ImportRecord {
    pub batch: ImportOrigin,
    /// "created", "merged", …
    pub action: String,
    /// The contact as it was before the import changed it, as JSON (for a merge).
    pub previous_json: Option<String>,
}

impl Store {
    /// Everything held about contact `id`, in the trash or not.
    pub fn everything_about(&self, id: ContactId) -> Result<EverythingWeHold> {
        let contact = self.contact(id)?;
        let (source, batch_id, has_photo) = self.conn.query_row(
            "SELECT source, import_batch_id,
                    EXISTS(SELECT 1 FROM contact_photos p WHERE p.contact_id = c.id)
             FROM contacts c WHERE c.id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get::<Option<i64>>(1)?, r.get(2)?)),
        )?;
        let conversations = self.held_conversations(id)?;
        let follow_ups = self
            .follow_ups_for_contact(id)?
            .into_iter()
            .map(|follow_up| {
                let reschedules = reschedules(&self.conn, follow_up.id.0)?;
                Ok(HeldFollowUp {
                    follow_up,
                    reschedules,
                })
            })
            .collect::<Result<_>>()?;
        let import_batch = match batch_id {
            Some(batch) => import_origin(&self.conn, batch)?,
            None => None,
        };
        Ok(EverythingWeHold {
            contact,
            has_photo,
            source,
            conversations,
            follow_ups,
            life_events: self.life_events_for_contact(id)?,
            relationships: self.held_relationships(id)?,
            stage_changes: stage_changes(&self.conn, id)?,
            health: self.health_of(id)?,
            import_batch,
            import_records: import_records(&self.conn, id)?,
        })
    }

    /// Every conversation `id` took part in (trashed ones too), newest first.
    fn held_conversations(&self, id: ContactId) -> Result<Vec<HeldConversation>> {
        let rows: Vec<(InteractionId, bool)> = self
            .conn
            .prepare(
                "SELECT p.interaction_id, EXISTS(SELECT 1 FROM interaction_participants q
                    WHERE q.interaction_id = p.interaction_id AND q.contact_id <> ?1)
                 FROM interaction_participants p WHERE p.contact_id = ?1
                 ORDER BY p.occurred_at DESC, p.interaction_id DESC",
            )?
            .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        rows.into_iter()
            .map(|(conversation, shared)| {
                Ok(HeldConversation {
                    interaction: self.interaction(conversation)?,
                    shared,
                })
            })
            .collect()
    }
}

/// The reschedules of follow-up `id`, oldest first.
fn reschedules(conn: &Db, id: i64) -> Result<Vec<Reschedule>> {
    let rows = conn
        .prepare_cached(
            "SELECT changed_at, old_due_date, old_due_time, old_status, note
             FROM follow_up_changes WHERE follow_up_id = ?1 ORDER BY changed_at, id",
        )?
        .query_map([id], |r| {
            Ok(Reschedule {
                changed_at: r.get(0)?,
                old_due_date: r.get(1)?,
                old_due_time: r.get(2)?,
                old_status: r.get(3)?,
                note: r.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// The stage history of contact `id`, oldest first.
fn stage_changes(conn: &Db, id: ContactId) -> Result<Vec<StageChange>> {
    let rows = conn
        .prepare_cached(
            "SELECT changed_at, old_stage, new_stage FROM stage_changes
             WHERE contact_id = ?1 ORDER BY changed_at, id",
        )?
        .query_map([id], |r| {
            Ok(StageChange {
                changed_at: r.get(0)?,
                old_stage: r.get(1)?,
                new_stage: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// The columns `origin_from_row` reads, from `import_batches b`.
const BATCH_COLUMNS: &str =
    "b.id, b.source_name, b.format, b.started_at, b.finished_at, b.undone_at";

fn origin_from_row(r: &super::db::Row<'_, '_>) -> rusqlite::Result<ImportOrigin> {
    Ok(ImportOrigin {
        id: r.get(0)?,
        file_name: r.get(1)?,
        format: r.get(2)?,
        started_at: r.get(3)?,
        finished_at: r.get(4)?,
        undone_at: r.get(5)?,
    })
}

/// Import batch `id`, if it is still recorded.
fn import_origin(conn: &Db, id: i64) -> Result<Option<ImportOrigin>> {
    let sql = format!("SELECT {BATCH_COLUMNS} FROM import_batches b WHERE b.id = ?1");
    conn.prepare(&sql)?
        .query_row([id], origin_from_row)
        .optional()
}

/// Every import record about contact `id`, oldest batch first.
fn import_records(conn: &Db, id: ContactId) -> Result<Vec<ImportRecord>> {
    let sql = format!(
        "SELECT {BATCH_COLUMNS}, x.action, x.previous_json FROM import_batch_changes x
         JOIN import_batches b ON b.id = x.batch_id WHERE x.contact_id = ?1 ORDER BY b.id"
    );
    let rows = conn
        .prepare(&sql)?
        .query_map([id], |r| {
            Ok(ImportRecord {
                batch: origin_from_row(r)?,
                action: r.get(6)?,
                previous_json: r.get(7)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// The sentence for a contact id that is not there.
pub(super) fn no_such_contact(id: ContactId) -> StoreError {
    StoreError::NotFound {
        what: "contact",
        id: id.0,
    }
}
