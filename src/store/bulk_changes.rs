//! Bulk changes: one tag added to or removed from many contacts, their stage or keep-in-touch
//! cadence set, or all of them moved to the trash, each in one transaction recorded as one
//! undo step (row images of every contact it changed, and of the tag it may create); and the
//! ids a search and filter match, for "select all" and the command line. Only contacts the
//! change really changes are touched and recorded: a contact that already had the tag keeps
//! it, untouched, after undoing "add VIP". A large change says how far it got every `BULK_CHUNK`
//! contacts and stops there when told to: the transaction then rolls back.

use super::contacts::load_contact;
use super::db::{Db, OptionalExtension as _};
use super::search::{BatchWrites, SearchIndexing, contact_search_row};
use super::undo::{Change, Part};
use super::{Result, Store, StoreError};
use crate::model::{ContactFilter, ContactId, Stage};
use chrono::{DateTime, Utc};
use rusqlite::params;
use rusqlite::types::Value;

/// How many contacts a bulk change checks, records and changes at a time: between chunks it
/// says how far it got, and hears a Cancel.
pub const BULK_CHUNK: usize = 250;

/// One change made to many contacts at once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BulkEdit {
    AddTag(String),
    RemoveTag(String),
    SetStage(Stage),
    /// Keep in touch every so many days (their own cadence), or `None`: no cadence of their own.
    SetCadence(Option<i64>),
    /// Move to the trash (File > Trash restores each one; undo restores them all).
    Trash,
}

/// What a bulk change did: the contacts it changed (in the order given) and the undo step.
#[derive(Debug, Clone)]
pub struct BulkDone {
    pub changed: Vec<ContactId>,
    pub change: Change,
}

impl BulkEdit {
    /// "Added VIP to 3 contacts." / "Set the stage of 2 contacts to customer."
    pub fn done_sentence(&self, count: usize) -> String {
        let people = contacts_word(count);
        match self {
            BulkEdit::AddTag(tag) => format!("Added {} to {people}.", tag.trim()),
            BulkEdit::RemoveTag(tag) => format!("Removed {} from {people}.", tag.trim()),
            BulkEdit::SetStage(stage) => {
                format!("Set the stage of {people} to {}.", stage.as_str())
            }
            BulkEdit::SetCadence(Some(days)) => {
                format!("Set {people} to keep in touch every {}.", days_word(*days))
            }
            BulkEdit::SetCadence(None) => format!("Cleared the cadence of {people}."),
            BulkEdit::Trash => format!("Moved {people} to the trash."),
        }
    }

    /// "Undo: add VIP to 3 contacts".
    pub fn undo_label(&self, count: usize) -> String {
        let people = contacts_word(count);
        match self {
            BulkEdit::AddTag(tag) => format!("Undo: add {} to {people}", tag.trim()),
            BulkEdit::RemoveTag(tag) => format!("Undo: remove {} from {people}", tag.trim()),
            BulkEdit::SetStage(stage) => {
                format!("Undo: set the stage of {people} to {}", stage.as_str())
            }
            BulkEdit::SetCadence(Some(_)) => format!("Undo: set the cadence of {people}"),
            BulkEdit::SetCadence(None) => format!("Undo: clear the cadence of {people}"),
            BulkEdit::Trash => format!("Undo: move {people} to the trash"),
        }
    }

    /// What a running change is doing, before "4,200 of 10,000": "Tagging", "Moving to the
    /// trash".
    pub fn doing(&self) -> &'static str {
        match self {
            BulkEdit::AddTag(_) => "Tagging",
            BulkEdit::RemoveTag(_) => "Untagging",
            BulkEdit::SetStage(_) => "Setting the stage of",
            BulkEdit::SetCadence(_) => "Setting the cadence of",
            BulkEdit::Trash => "Moving to the trash:",
        }
    }

    fn checked(&self) -> Result<()> {
        match self {
            BulkEdit::AddTag(tag) | BulkEdit::RemoveTag(tag) if tag.trim().is_empty() => {
                Err(StoreError::Invalid("Name the tag.".to_owned()))
            }
            BulkEdit::SetCadence(Some(days)) if *days <= 0 => Err(StoreError::Invalid(
                "The keep-in-touch cadence must be at least one day.".to_owned(),
            )),
            _ => Ok(()),
        }
    }

    /// The live contact `?1` with their name, when this edit would change them (`?2`, when
    /// the edit has a value).
    fn would_change_sql(&self) -> &'static str {
        match self {
            BulkEdit::AddTag(_) => {
                "SELECT c.display_name FROM contacts c WHERE c.id = ?1 AND c.deleted_at IS NULL
                 AND NOT EXISTS (SELECT 1 FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id
                                 WHERE ct.contact_id = c.id AND t.name = ?2)"
            }
            BulkEdit::RemoveTag(_) => {
                "SELECT c.display_name FROM contacts c WHERE c.id = ?1 AND c.deleted_at IS NULL
                 AND EXISTS (SELECT 1 FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id
                             WHERE ct.contact_id = c.id AND t.name = ?2)"
            }
            BulkEdit::SetStage(_) => {
                "SELECT c.display_name FROM contacts c WHERE c.id = ?1 AND c.deleted_at IS NULL
                 AND c.stage <> ?2"
            }
            BulkEdit::SetCadence(_) => {
                "SELECT c.display_name FROM contacts c WHERE c.id = ?1 AND c.deleted_at IS NULL
                 AND c.cadence_days IS DISTINCT FROM ?2"
            }
            BulkEdit::Trash => {
                "SELECT c.display_name FROM contacts c WHERE c.id = ?1 AND c.deleted_at IS NULL"
            }
        }
    }

    /// The value `?2` of `would_change_sql`; `None` when it has none.
    fn value(&self) -> Option<Value> {
        match self {
            BulkEdit::AddTag(tag) | BulkEdit::RemoveTag(tag) => {
                Some(Value::Text(tag.trim().to_owned()))
            }
            BulkEdit::SetStage(stage) => Some(Value::Text(stage.as_str().to_owned())),
            BulkEdit::SetCadence(days) => Some(days.map_or(Value::Null, Value::Integer)),
            BulkEdit::Trash => None,
        }
    }
}

/// "1 day", "30 days".
fn days_word(days: i64) -> String {
    match days {
        1 => "day".to_owned(),
        n => format!("{n} days"),
    }
}

fn contacts_word(count: usize) -> String {
    match count {
        1 => "1 contact".to_owned(),
        n => format!("{n} contacts"),
    }
}

impl Store {
    /// Adds `tag` to each of `ids` that lacks it (creating the tag when new): one transaction,
    /// one undo step. The contacts in the trash or already tagged are left alone.
    pub fn add_tag_to(&mut self, ids: &[ContactId], tag: &str) -> Result<BulkDone> {
        self.bulk_edit(ids, &BulkEdit::AddTag(tag.to_owned()))
    }

    /// Takes `tag` off each of `ids` that has it (the tag itself stays).
    pub fn remove_tag_from(&mut self, ids: &[ContactId], tag: &str) -> Result<BulkDone> {
        self.bulk_edit(ids, &BulkEdit::RemoveTag(tag.to_owned()))
    }

    /// Sets the stage of each of `ids` not at `stage` yet, with a stage change for each.
    pub fn set_stage_of(&mut self, ids: &[ContactId], stage: Stage) -> Result<BulkDone> {
        self.bulk_edit(ids, &BulkEdit::SetStage(stage))
    }

    /// Who `edit` would change among `ids` (live contacts it changes), with their names; the
    /// dry run. Changes nothing.
    pub fn bulk_preview(
        &self,
        ids: &[ContactId],
        edit: &BulkEdit,
    ) -> Result<Vec<(ContactId, String)>> {
        edit.checked()?;
        would_change(&self.conn, &unique(ids), edit)
    }

    /// Gives each of `ids` their own keep-in-touch cadence (`None` clears it).
    pub fn set_cadence_of(&mut self, ids: &[ContactId], days: Option<i64>) -> Result<BulkDone> {
        self.bulk_edit(ids, &BulkEdit::SetCadence(days))
    }

    /// Moves each live one of `ids` to the trash, as one undo step that restores them all.
    pub fn trash_contacts(&mut self, ids: &[ContactId]) -> Result<BulkDone> {
        self.bulk_edit(ids, &BulkEdit::Trash)
    }

    /// Applies `edit` to `ids` in one transaction, recorded as one undo step.
    pub fn bulk_edit(&mut self, ids: &[ContactId], edit: &BulkEdit) -> Result<BulkDone> {
        self.bulk_edit_with_progress(ids, edit, &mut |_, _| true)
    }

    /// `bulk_edit`, telling `progress` how many of the contacts it has been through (of how
    /// many) before each `BULK_CHUNK` of them and once at the end. When `progress` returns false
    /// it stops with `StoreError::Cancelled` and nothing is changed: the transaction rolls back.
    pub fn bulk_edit_with_progress(
        &mut self,
        ids: &[ContactId],
        edit: &BulkEdit,
        progress: &mut dyn FnMut(usize, usize) -> bool,
    ) -> Result<BulkDone> {
        edit.checked()?;
        let ids = unique(ids);
        let now = self.now();
        self.write(|tx| {
            let total = ids.len();
            let mut done = BulkDone {
                changed: Vec::new(),
                change: Store::recorded_in(tx, &[], |_| Ok(()))?.1,
            };
            let mut tag_recorded = false;
            // Written together at the end: FTS5 flushes at every statement, once per contact
            // (or per chunk) would cost most of the change.
            let mut documents = BatchWrites::default();
            for (n, chunk) in ids.chunks(BULK_CHUNK).enumerate() {
                if !progress(n * BULK_CHUNK, total) {
                    return Err(StoreError::Cancelled);
                }
                let targets: Vec<ContactId> = would_change(tx, chunk, edit)?
                    .into_iter()
                    .map(|(id, _)| id)
                    .collect();
                let mut parts: Vec<Part> = targets.iter().map(|&id| Part::Contact(id)).collect();
                // The tag is made with the first contact given it, and recorded there.
                if let BulkEdit::AddTag(tag) = edit
                    && !targets.is_empty()
                    && !std::mem::replace(&mut tag_recorded, true)
                {
                    parts.push(Part::Tag(tag.trim().to_owned()));
                }
                let ((), change) = Store::recorded_in(tx, &parts, |tx| {
                    write_edit(tx, &targets, edit, now, &mut documents)
                })?;
                done.change.join(change);
                done.changed.extend(targets);
            }
            if !progress(total, total) {
                return Err(StoreError::Cancelled);
            }
            documents.finish(tx)?;
            Ok(done)
        })
    }

    /// Every live contact `search` and `filter` match, in list order: select all.
    pub fn contact_ids_matching(
        &self,
        search: &str,
        filter: &ContactFilter,
    ) -> Result<Vec<ContactId>> {
        let (tail, values) = super::contact_list::filtered_where(&self.conn, search, filter);
        let order = if filter.sort_by_health {
            super::health::weakest_first_order(&self.conn)
        } else {
            "c.sort_key, c.id"
        };
        let ids = self
            .conn
            .prepare(&format!(
                "SELECT c.id FROM contacts c LEFT JOIN contact_health h ON h.contact_id = c.id{tail}
                 ORDER BY {order}"
            ))?
            .query_map(super::db::params_from_iter(values), |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(ids)
    }
}

/// `ids` without repeats, in their first order.
fn unique(ids: &[ContactId]) -> Vec<ContactId> {
    let mut seen = std::collections::HashSet::with_capacity(ids.len());
    ids.iter().copied().filter(|id| seen.insert(*id)).collect()
}

fn would_change(db: &Db, ids: &[ContactId], edit: &BulkEdit) -> Result<Vec<(ContactId, String)>> {
    let value = edit.value();
    let mut stmt = db.prepare_cached(edit.would_change_sql())?;
    let mut found = Vec::new();
    for &id in ids {
        let name: Option<String> = match &value {
            Some(value) => stmt.query_row(params![id, value], |r| r.get(0)),
            None => stmt.query_row(params![id], |r| r.get(0)),
        }
        .optional()?;
        if let Some(name) = name {
            found.push((id, name));
        }
    }
    Ok(found)
}

/// The change itself on `targets` (each one that it changes), in the caller's transaction.
/// Every contact row is updated, so its version goes up and a teammate's open form knows.
/// Search documents to write again go into `documents`, written once at the end.
fn write_edit(
    tx: &Db,
    targets: &[ContactId],
    edit: &BulkEdit,
    now: DateTime<Utc>,
    documents: &mut BatchWrites,
) -> Result<()> {
    if targets.is_empty() {
        // Nothing to change here (and no new tag made for nobody).
        return Ok(());
    }
    match edit {
        BulkEdit::AddTag(tag) => {
            let tag_id = super::tags::tag_id(tx, tag.trim(), &mut SearchIndexing::Now)?;
            let mut insert = tx.prepare_cached(
                "INSERT INTO contact_tags (contact_id, tag_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
            )?;
            for &id in targets {
                insert.execute(params![id, tag_id])?;
            }
        }
        BulkEdit::RemoveTag(tag) => {
            let mut delete = tx.prepare_cached(
                "DELETE FROM contact_tags WHERE contact_id = ?1
                 AND tag_id IN (SELECT id FROM tags WHERE name = ?2)",
            )?;
            for &id in targets {
                delete.execute(params![id, tag.trim()])?;
            }
        }
        BulkEdit::SetStage(stage) => {
            let mut record = tx.prepare_cached(
                "INSERT INTO stage_changes (contact_id, changed_at, old_stage, new_stage)
                 SELECT id, ?2, stage, ?3 FROM contacts WHERE id = ?1",
            )?;
            let mut set =
                tx.prepare_cached("UPDATE contacts SET stage = ?2, updated_at = ?3 WHERE id = ?1")?;
            for &id in targets {
                record.execute(params![id, now, stage])?;
                set.execute(params![id, stage, now])?;
            }
            // The stage is not searched: no documents to write again.
            return Ok(());
        }
        BulkEdit::SetCadence(days) => {
            let mut set = tx.prepare_cached(
                "UPDATE contacts SET cadence_days = ?2, updated_at = ?3 WHERE id = ?1",
            )?;
            for &id in targets {
                set.execute(params![id, days, now])?;
            }
            // Nor is the cadence.
            return Ok(());
        }
        BulkEdit::Trash => {
            // As one contact goes to the trash: their search document stays (the list and
            // search leave out the trash), and so does when they last changed.
            let mut trash = tx.prepare_cached(
                "UPDATE contacts SET deleted_at = ?2 WHERE id = ?1 AND deleted_at IS NULL",
            )?;
            for &id in targets {
                trash.execute(params![id, now])?;
            }
            return Ok(());
        }
    }
    touch_and_reindex(tx, targets, now, documents)
}

/// Marks each contact changed now (one update each: the version goes up once) and adds
/// their search documents to `documents`: tags are searched.
fn touch_and_reindex(
    tx: &Db,
    targets: &[ContactId],
    now: DateTime<Utc>,
    documents: &mut BatchWrites,
) -> Result<()> {
    let mut touch = tx.prepare_cached("UPDATE contacts SET updated_at = ?2 WHERE id = ?1")?;
    for &id in targets {
        touch.execute(params![id, now])?;
    }
    let mut later = SearchIndexing::Later(documents);
    for &id in targets {
        if let Some(contact) = load_contact(tx, id)? {
            later.write(tx, contact_search_row(id, &contact.draft, true))?;
        }
    }
    Ok(())
}

impl Store {
    /// The benchmark's yardstick: one column of `ids` updated in one transaction and nothing
    /// else (no undo images, no search documents). Returns how many rows changed.
    #[doc(hidden)]
    pub fn touch_contacts_plainly(&mut self, ids: &[ContactId]) -> Result<usize> {
        let now = self.now();
        self.write(|tx| {
            let mut stmt =
                tx.prepare_cached("UPDATE contacts SET updated_at = ?2 WHERE id = ?1")?;
            let mut changed = 0;
            for &id in ids {
                changed += stmt.execute(params![id, now])?;
            }
            Ok(changed)
        })
    }
}
