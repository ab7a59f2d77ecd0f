//! Two people, one record: a save names the version it started from. When someone saved in
//! between, the two are merged field by field (`model::three_way`) and a clash is handed back
//! for the person to choose, nothing written; a delete of something changed since it was read
//! asks first. The check and the write happen in one transaction that holds the row, so no
//! third save slips between them.

use super::contacts::{load_contact, member_name, update_contact};
use super::db::{Db, OptionalExtension as _};
use super::undo::{Change, Part};
use super::{Result, Store, StoreError};
use crate::model::three_way::{self, FieldClash, Keep, ThreeWay};
use crate::model::{Contact, ContactDraft, ContactId};

/// What became of a save.
#[derive(Debug, PartialEq)]
pub enum Saved {
    /// Nobody saved in between.
    Saved,
    /// Someone did (`by`), on other fields: theirs are kept alongside mine.
    Merged { by: String, fields: Vec<String> },
    /// Someone did, on the same fields: nothing was saved. `current` is their version, to start
    /// again from with the person's choices.
    Clash {
        by: String,
        current: Box<Contact>,
        clashes: Vec<FieldClash>,
    },
}

/// What a person chose in a clash dialog, field by field, and the version of the contact the
/// dialog showed: the choices settle those values only. Whoever saves after the dialog opened
/// brings values the person has not seen, so those clash again instead of being overwritten.
#[derive(Clone, Copy, Debug)]
pub struct Chosen<'a> {
    pub against_version: i64,
    pub keep: &'a [(String, Keep)],
}

/// The row's version, holding the row until the transaction ends (SQLite's write lock already
/// holds everything).
fn locked_version(tx: &Db, id: ContactId) -> Result<i64> {
    let sql = if tx.is_postgres() {
        "SELECT version FROM contacts WHERE id = ?1 FOR UPDATE"
    } else {
        "SELECT version FROM contacts WHERE id = ?1"
    };
    tx.query_row(sql, [id], |r| r.get(0)).map_err(|e| match e {
        StoreError::Sqlite(rusqlite::Error::QueryReturnedNoRows) => StoreError::NotFound {
            what: "contact",
            id: id.0,
        },
        other => other,
    })
}

impl Store {
    /// Saves `draft` over the contact as it was in `started` (the version the form opened),
    /// merging with anything saved since; `chosen` settles fields that clashed with the version
    /// a clash dialog showed, and only while that is still the newest.
    pub fn save_contact(
        &mut self,
        started: &Contact,
        draft: &ContactDraft,
        chosen: Option<Chosen<'_>>,
    ) -> Result<Saved> {
        draft.validate().map_err(StoreError::Invalid)?;
        let now = self.now();
        self.write(|tx| save_in(tx, started, draft, chosen, now))
    }

    /// `save_contact`, recording the rows `parts` name before and after it in the same
    /// transaction, as one undoable step (nothing to undo after a clash: nothing was written).
    pub fn save_contact_recorded(
        &mut self,
        started: &Contact,
        draft: &ContactDraft,
        chosen: Option<Chosen<'_>>,
        parts: &[Part],
    ) -> Result<(Saved, Change)> {
        draft.validate().map_err(StoreError::Invalid)?;
        let now = self.now();
        self.write(|tx| {
            Store::recorded_in(tx, parts, |tx| save_in(tx, started, draft, chosen, now))
        })
    }

    /// Moves a contact to the trash unless it changed since `seen_version` was read: then it
    /// says who changed it, and nothing happens (the caller asks, then calls `trash_contact`).
    pub fn trash_contact_seen(&mut self, id: ContactId, seen_version: i64) -> Result<()> {
        let now = self.now();
        self.write(|tx| {
            if locked_version(tx, id)? != seen_version {
                let current = load_contact(tx, id)?;
                let by = current.map(|c| c.updated_by).unwrap_or_default();
                return Err(StoreError::ChangedSince { by });
            }
            tx.execute(
                "UPDATE contacts SET deleted_at = ?2 WHERE id = ?1 AND deleted_at IS NULL",
                rusqlite::params![id, now],
            )?;
            Ok(())
        })
    }
}

/// Fails with who changed it when the row of `table` (conversations, follow-ups) is no longer
/// at `seen` (the version the person was shown), holding the row until the write that follows
/// in the same transaction. A row that is gone passes: the write then says it is not found.
pub(super) fn unchanged_since(tx: &Db, table: &'static str, id: i64, seen: i64) -> Result<()> {
    let lock = if tx.is_postgres() { " FOR UPDATE" } else { "" };
    let sql = format!(
        concat!(
            "SELECT version, ",
            member_name!("updated_by"),
            " FROM {} WHERE id = ?1{}"
        ),
        table, lock
    );
    let current: Option<(i64, String)> = tx
        .query_row(&sql, [id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    match current {
        Some((version, by)) if version != seen => Err(StoreError::ChangedSince { by }),
        _ => Ok(()),
    }
}

/// The body of `save_contact`, in the caller's transaction.
fn save_in(
    tx: &Db,
    started: &Contact,
    draft: &ContactDraft,
    chosen: Option<Chosen<'_>>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Saved> {
    let id = started.id;
    if locked_version(tx, id)? == started.version {
        update_contact(tx, id, draft, now)?;
        return Ok(Saved::Saved);
    }
    let current = load_contact(tx, id)?.ok_or(StoreError::NotFound {
        what: "contact",
        id: id.0,
    })?;
    let choices = chosen
        .filter(|c| c.against_version == current.version)
        .map_or(&[][..], |c| c.keep);
    let choose = |field: &str| choices.iter().find(|(f, _)| f == field).map(|(_, k)| *k);
    let by = current.updated_by.clone();
    match three_way::merge_choosing(&started.draft, draft, &current.draft, &choose) {
        ThreeWay::Merged { draft, theirs } => {
            update_contact(tx, id, &draft, now)?;
            Ok(Saved::Merged { by, fields: theirs })
        }
        ThreeWay::Clashes(clashes) => Ok(Saved::Clash {
            by,
            current: Box::new(current),
            clashes,
        }),
    }
}
