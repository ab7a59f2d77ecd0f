//! Undo by row images. Before a change the app takes a `Snapshot` of the rows it may touch
//! (named by `Part`s); after it, another. Undoing writes the "before" rows back exactly, with
//! their ids and timestamps, so a step further down the history (or an import's "edited since"
//! check) finds the data as it left it. It does so only while the rows still look as the change
//! left them: a change made since outside the history (the command line, deleting for good) is
//! never overwritten; the app says so instead.
//!
//! Where things are: the tables a `Part` spans and the row images (`Entry`) in
//! `undo/tables.rs`; reading, checking and writing rows back in `undo/apply.rs`;
//! `dump_for_tests` in `undo/dump.rs`. `Part`, `Snapshot`, `Change` and the `Store` methods here.

mod apply;
mod dump;
mod tables;

use super::db::Db;
use super::{Result, Store};
use crate::model::{ContactId, FollowUpId, InteractionId, LifeEventId};
use apply::{first_changed, read, reindex, remove_rows, remove_unused_shared, write_rows};
use rusqlite::types::Value;
use tables::{CONTACTS, Entry, Role, TAGS, rank};

/// Something a change may touch; each part names the rows of a few tables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    /// The contact's row, e-mails, phones, addresses, tags, stage history and photo.
    Contact(ContactId),
    /// An organization by name (as typed on a contact): saving a contact may create it.
    Organization(String),
    /// A tag by name: saving a contact or a tag may create it.
    Tag(String),
    /// A conversation and its participants.
    Interaction(InteractionId),
    /// A follow-up and its reschedule history.
    FollowUp(FollowUpId),
    LifeEvent(LifeEventId),
    /// The relationships stored from this contact (`from_id`; `model::relationship`).
    Relationships(ContactId),
    /// A custom field's definition and the follow-ups it made (`store::custom_fields`).
    CustomField(crate::model::custom_field::FieldId),
    /// Every value of a custom field, on contacts and organizations.
    FieldValues(crate::model::custom_field::FieldId),
    /// An organization's custom field values.
    OrganizationFields(crate::model::OrganizationId),
}

/// The rows some parts of the database held at one moment.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    parts: Vec<Part>,
    entries: Vec<Entry>,
}

/// One change as two snapshots of the same parts: what undo writes back, and what the rows
/// must still look like for that to be safe.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    before: Snapshot,
    after: Snapshot,
}

impl Change {
    /// The contacts this change touched: their own rows, or a conversation, follow-up or life
    /// event of theirs (their relationship health needs judging again after an undo).
    pub fn contacts(&self) -> Vec<ContactId> {
        let mut ids = Vec::new();
        for entry in self.before.entries.iter().chain(&self.after.entries) {
            let column = if entry.table == CONTACTS {
                "id"
            } else {
                "contact_id"
            };
            let Some(at) = entry.columns.iter().position(|c| c == column) else {
                continue;
            };
            ids.extend(entry.rows.iter().filter_map(|row| match row.get(at) {
                Some(Value::Integer(id)) => Some(ContactId(*id)),
                _ => None,
            }));
        }
        ids.sort();
        ids.dedup();
        ids
    }

    /// How many contacts it names as such (a bulk change's size, without reading its rows).
    pub fn contact_parts(&self) -> usize {
        self.after
            .parts
            .iter()
            .filter(|part| matches!(part, Part::Contact(_)))
            .count()
    }

    /// Appends `later`, a change to other rows made in the same transaction (a bulk change
    /// recorded a chunk at a time), so both are undone as one step.
    pub(super) fn join(&mut self, later: Change) {
        for (mine, theirs) in [
            (&mut self.before, later.before),
            (&mut self.after, later.after),
        ] {
            mine.parts.extend(theirs.parts);
            mine.entries.extend(theirs.entries);
        }
    }

    /// True when this change put a custom field or its values in its images.
    pub(super) fn touches_field_values(&self) -> bool {
        self.after
            .parts
            .iter()
            .any(|p| matches!(p, Part::CustomField(_) | Part::FieldValues(_)))
    }

    /// True when a tag was created or given another colour or cadence.
    pub fn changed_tags(&self) -> bool {
        self.before
            .entries
            .iter()
            .zip(&self.after.entries)
            .any(|(then, now)| then.table == TAGS && !then.same_as(now, false))
    }
}

/// What became of an undo.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Undone {
    /// The rows are as they were before the change.
    Done,
    /// Nothing was written: this (a contact, a conversation…) was changed since the step.
    ChangedSince(&'static str),
}

impl Store {
    /// The rows `parts` name, as they are now: take one before a change.
    pub fn snapshot(&self, parts: &[Part]) -> Result<Snapshot> {
        // An edit names the organization before and after, often the same one: read it once.
        let mut unique: Vec<Part> = Vec::with_capacity(parts.len());
        for part in parts {
            if !unique.contains(part) {
                unique.push(part.clone());
            }
        }
        read(&self.conn, &unique, false)
    }

    /// Runs `write` in the transaction `tx` between two reads of `parts` (on PostgreSQL held
    /// from the first read), so the change is exactly what `write` did, however busy the
    /// teammates are: a save of theirs cannot land between the snapshot and the write.
    pub(super) fn recorded_in<T>(
        tx: &Db,
        parts: &[Part],
        write: impl FnOnce(&Db) -> Result<T>,
    ) -> Result<(T, Change)> {
        let mut unique: Vec<Part> = Vec::with_capacity(parts.len());
        for part in parts {
            if !unique.contains(part) {
                unique.push(part.clone());
            }
        }
        let before = read(tx, &unique, tx.is_postgres())?;
        let value = write(tx)?;
        let after = read(tx, &before.parts, false)?;
        Ok((value, Change { before, after }))
    }

    /// Runs `write` in the transaction `tx` and records what it made: the parts it names
    /// held no rows before (a new custom field's id is known only once it is written).
    pub(super) fn created_in<T>(
        tx: &Db,
        write: impl FnOnce(&Db) -> Result<(T, Vec<Part>)>,
    ) -> Result<(T, Change)> {
        let (value, created) = write(tx)?;
        let mut before = Snapshot {
            parts: Vec::new(),
            entries: Vec::new(),
        };
        for part in created {
            let (tables, key) = part.tables();
            before.entries.extend(tables.into_iter().map(|table| Entry {
                table,
                key: key.clone(),
                columns: Vec::new(),
                rows: Vec::new(),
            }));
            before.parts.push(part);
        }
        let after = read(tx, &before.parts, false)?;
        Ok((value, Change { before, after }))
    }

    /// Completes a change begun with `before`: `created` names what the change made (a new
    /// contact's id is only known afterwards; it held no rows before).
    pub fn change_since(&self, mut before: Snapshot, created: &[Part]) -> Result<Change> {
        for part in created {
            let (tables, key) = part.tables();
            before.entries.extend(tables.into_iter().map(|table| Entry {
                table,
                key: key.clone(),
                columns: Vec::new(),
                rows: Vec::new(),
            }));
            before.parts.push(part.clone());
        }
        let after = read(&self.conn, &before.parts, false)?;
        Ok(Change { before, after })
    }

    /// True while the rows still look as the change left them, so undoing it is safe.
    pub fn can_undo(&self, change: &Change) -> Result<bool> {
        Ok(first_changed(
            &read(&self.conn, &change.after.parts, false)?,
            &change.after,
        )
        .is_none())
    }

    /// Puts the rows back as they were before `change`, in one transaction, and writes the
    /// search documents of the contacts, conversations and organizations again.
    pub fn undo_change(&mut self, change: &Change) -> Result<Undone> {
        self.write(|tx| {
            // Held until the undo commits: a teammate's save cannot land between the check and
            // the write (SQLite's write lock already holds everything).
            let current = read(tx, &change.after.parts, tx.is_postgres())?;
            if let Some(what) = first_changed(&current, &change.after) {
                return Ok(Undone::ChangedSince(what));
            }
            let mut by_rank: Vec<(&Entry, &Entry)> = current
                .entries
                .iter()
                .zip(&change.before.entries)
                .filter(|(now, then)| now.spec().role != Role::Check && !now.same_as(then, false))
                .collect();
            // Children first when removing, parents first when writing back.
            by_rank.sort_by_key(|(now, _)| rank(now.table));
            for (now, then) in by_rank.iter().rev() {
                remove_rows(tx, now, then)?;
            }
            for (_, then) in &by_rank {
                write_rows(tx, then)?;
            }
            for (now, then) in &by_rank {
                remove_unused_shared(tx, now, then)?;
            }
            reindex(tx, &change.after.parts)?;
            super::custom_fields::reindex_after_undo(tx, change)?;
            Ok(Undone::Done)
        })
    }
}

impl Store {
    /// The follow-ups made from a conversation: deleting it unlinks them.
    pub fn follow_ups_of_interaction(&self, id: InteractionId) -> Result<Vec<FollowUpId>> {
        let ids = self
            .conn
            .prepare_cached("SELECT id FROM follow_ups WHERE interaction_id = ?1 ORDER BY id")?
            .query_map([id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(ids)
    }
}
