//! What a merge of two contacts does to what links people to each other and to their dates
//! (`duplicates::merge_contacts` calls these in its transaction):
//!
//! - Relationships: the other's move to the kept contact. One between the two merged people
//!   goes (nobody is their own spouse); one both had with the same third person is kept once
//!   (the kept one's row, with the other's note added when it says something else); a
//!   symmetric kind (spouse, partner, colleague) stays stored from the lower id, as
//!   `relationships` stores it.
//! - Reminders of date fields: the other's open ones go, and the kept contact keeps exactly one
//!   for the date the merge kept (`custom_fields::sync_reminder` makes or moves it).
//!
//! The undo step holds the relationships of both and of everyone related to them
//! (`Part::Relationships`), and every follow-up of the other (`Part::FollowUp`).

use super::Result;
use super::custom_fields::{fields_of, sync_reminder};
use super::db::{Db, OptionalExtension as _};
use crate::model::ContactId;
use crate::model::custom_field::{AppliesTo, FieldId};
use crate::model::relationship::RelationKind;
use chrono::{DateTime, Utc};
use rusqlite::params;

/// How many of `other`'s relationships are with someone other than `kept`.
pub(super) fn relationships_moving(db: &Db, kept: ContactId, other: ContactId) -> Result<usize> {
    let count: i64 = db.query_row(
        "SELECT count(*) FROM relationships
         WHERE (from_id = ?1 AND to_id <> ?2) OR (to_id = ?1 AND from_id <> ?2)",
        params![other, kept],
        |r| r.get(0),
    )?;
    Ok(count as usize)
}

/// Both contacts and everyone related to either, in id order: the contacts whose stored
/// relationships a merge may rewrite.
pub(super) fn related_to(db: &Db, kept: ContactId, other: ContactId) -> Result<Vec<ContactId>> {
    let ends: Vec<(ContactId, ContactId)> = db
        .prepare_cached(
            "SELECT from_id, to_id FROM relationships
             WHERE from_id = ?1 OR to_id = ?1 OR from_id = ?2 OR to_id = ?2",
        )?
        .query_map(params![kept, other], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut ids = vec![kept, other];
    ids.extend(ends.into_iter().flat_map(|(from, to)| [from, to]));
    ids.sort();
    ids.dedup();
    Ok(ids)
}

/// One stored relationship: id, from, kind, to, note.
type Stored = (i64, ContactId, String, ContactId, String);

/// Moves `other`'s relationships to `kept` (see the module's words).
pub(super) fn move_relationships(tx: &Db, kept: ContactId, other: ContactId) -> Result<()> {
    let rows: Vec<Stored> = tx
        .prepare_cached(
            "SELECT id, from_id, kind, to_id, note FROM relationships
             WHERE from_id = ?1 OR to_id = ?1 ORDER BY id",
        )?
        .query_map([other], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let swap = |id: ContactId| if id == other { kept } else { id };
    for (id, from, kind, to, note) in rows {
        let (from, to) = (swap(from), swap(to));
        if from == to {
            tx.execute("DELETE FROM relationships WHERE id = ?1", [id])?;
            continue;
        }
        let symmetric = RelationKind::parse(&kind).is_some_and(RelationKind::is_symmetric);
        let (from, to) = if symmetric {
            (from.min(to), from.max(to))
        } else {
            (from, to)
        };
        match same_relationship(tx, id, (from, &kind, to), symmetric)? {
            Some((kept_row, kept_note)) => {
                let (mine, theirs) = (kept_note.trim(), note.trim());
                if !theirs.is_empty() && !mine.eq_ignore_ascii_case(theirs) {
                    let joined = match mine {
                        "" => theirs.to_owned(),
                        mine => format!("{mine}; {theirs}"),
                    };
                    tx.execute(
                        "UPDATE relationships SET note = ?2 WHERE id = ?1",
                        params![kept_row, joined],
                    )?;
                }
                tx.execute("DELETE FROM relationships WHERE id = ?1", [id])?;
            }
            None => {
                tx.execute(
                    "UPDATE relationships SET from_id = ?2, to_id = ?3 WHERE id = ?1",
                    params![id, from, to],
                )?;
            }
        }
    }
    Ok(())
}

/// The row (not `except`) that already says (from, kind, to), either way round for a
/// symmetric kind: its id and note.
fn same_relationship(
    tx: &Db,
    except: i64,
    (from, kind, to): (ContactId, &str, ContactId),
    symmetric: bool,
) -> Result<Option<(i64, String)>> {
    let sql = if symmetric {
        "SELECT id, note FROM relationships WHERE kind = ?1 AND id <> ?4
           AND ((from_id = ?2 AND to_id = ?3) OR (from_id = ?3 AND to_id = ?2))
         ORDER BY id LIMIT 1"
    } else {
        "SELECT id, note FROM relationships WHERE kind = ?1 AND id <> ?4
           AND from_id = ?2 AND to_id = ?3"
    };
    tx.prepare_cached(sql)?
        .query_row(params![kind, from, to, except], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()
}

/// Deletes `other`'s open reminders of date fields (the merged contact keeps one of its
/// own: `keep_one_reminder`); returns the fields they were for.
pub(super) fn drop_other_reminders(tx: &Db, other: ContactId) -> Result<Vec<FieldId>> {
    let mut fields: Vec<FieldId> = tx
        .prepare_cached(
            "SELECT field_id FROM follow_ups
             WHERE contact_id = ?1 AND field_id IS NOT NULL AND status = 'open'",
        )?
        .query_map([other], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    fields.sort();
    fields.dedup();
    tx.execute(
        "DELETE FROM follow_ups
         WHERE contact_id = ?1 AND field_id IS NOT NULL AND status = 'open'",
        [other],
    )?;
    Ok(fields)
}

/// After the kept contact took its merged values: for each field whose reminder the other
/// had (`fields`), gives `kept` the open reminder its date asks for, unless it has one.
pub(super) fn keep_one_reminder(
    tx: &Db,
    kept: ContactId,
    fields: &[FieldId],
    now: DateTime<Utc>,
) -> Result<()> {
    if fields.is_empty() {
        return Ok(());
    }
    let defined = fields_of(tx, AppliesTo::Contact)?;
    for field in defined.iter().filter(|f| fields.contains(&f.id)) {
        let open: bool = tx.query_row(
            "SELECT EXISTS(SELECT 1 FROM follow_ups
               WHERE contact_id = ?1 AND field_id = ?2 AND status = 'open')",
            params![kept, field.id],
            |r| r.get(0),
        )?;
        if open {
            continue;
        }
        let value: Option<String> = tx
            .query_row(
                "SELECT value FROM contact_field_values WHERE contact_id = ?1 AND field_id = ?2",
                params![kept, field.id],
                |r| r.get(0),
            )
            .optional()?;
        sync_reminder(tx, kept, field, value.as_deref(), now)?;
    }
    Ok(())
}
