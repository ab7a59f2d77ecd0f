//! Relationships between contacts (`model::relationship`): adding and removing one, each in one
//! transaction recorded as an undo step (the row images of the relationships stored from the
//! row's `from` contact, `undo::Part::Relationships`), a contact's relationships in their own
//! words, who referred whom, and everyone's relationships at once for `rapport contacts --json`.
//!
//! A relationship shows only while both people are live: one whose other person is in the
//! trash is hidden (and back with the restore); deleting a contact for good takes their
//! relationships along (the foreign keys cascade). On a team database the server shows a
//! relationship only to whoever sees both people (row-level security).
//!
//! The contact search does not look at relationships ("Married to Ana" does not find Ana's
//! husband): a contact's search document would then hang on other people's names, and every
//! rename would rewrite the documents of everyone related. The relationships on a page and the
//! referrals view are filtered by name instead (`model::relationship::matches_filter`).

use super::db::{Db, OptionalExtension as _};
use super::undo::{Change, Part};
use super::{Result, Store, StoreError};
use crate::model::relationship::{Referral, Related, RelationKind, Role, Side};
use crate::model::{ContactId, Stage};
use rusqlite::params;
use std::collections::{HashMap, HashSet};

/// What `relate` did.
#[derive(Debug, Clone)]
pub struct Relating {
    /// The relationship as the contact it was said of sees it.
    pub related: Related,
    /// The undo step; `None` when it was recorded already and nothing changed.
    pub change: Option<Change>,
}

/// The columns `line_from_row` reads: the row and the other person (`c`), seen from `?1`.
const LINE: &str = "SELECT r.id, r.from_id, r.kind, r.to_id, r.note, c.display_name, c.stage,
        c.deleted_at IS NOT NULL
    FROM relationships r
    JOIN contacts c ON c.id = CASE WHEN r.from_id = ?1 THEN r.to_id ELSE r.from_id END";

/// One row of `LINE` as `me` sees it; `None` for a kind this build does not know.
fn line_from_row(r: &super::db::Row<'_, '_>, me: ContactId) -> rusqlite::Result<Option<Related>> {
    let from: ContactId = r.get(1)?;
    let to: ContactId = r.get(3)?;
    let Some(kind) = RelationKind::parse(&r.get::<String>(2)?) else {
        return Ok(None);
    };
    let side = if from == me { Side::From } else { Side::To };
    Ok(Some(Related {
        id: r.get(0)?,
        role: Role::of(kind, side),
        other: if from == me { to } else { from },
        note: r.get(4)?,
        other_name: r.get(5)?,
        other_stage: r.get(6)?,
        other_in_trash: r.get(7)?,
    }))
}

/// Page order: by role, then by the other person's name.
fn sorted(mut lines: Vec<Related>) -> Vec<Related> {
    lines.sort_by_cached_key(|l| (l.role.rank(), l.other_name.to_lowercase(), l.other));
    lines
}

/// `me`'s relationships; with `live_only`, those whose other person is in the trash are left out.
fn lines_of(db: &Db, me: ContactId, live_only: bool) -> Result<Vec<Related>> {
    let sql = format!(
        "{LINE} WHERE (r.from_id = ?1 OR r.to_id = ?1){}",
        if live_only {
            " AND c.deleted_at IS NULL"
        } else {
            ""
        }
    );
    let rows: Vec<Option<Related>> = db
        .prepare_cached(&sql)?
        .query_map([me], |r| line_from_row(r, me))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(sorted(rows.into_iter().flatten().collect()))
}

/// Relationship `id` as `me` sees it.
fn line_by_id(db: &Db, me: ContactId, id: i64) -> Result<Option<Related>> {
    let sql = format!("{LINE} WHERE r.id = ?2 AND (r.from_id = ?1 OR r.to_id = ?1)");
    Ok(db
        .prepare_cached(&sql)?
        .query_row(params![me, id], |r| line_from_row(r, me))
        .optional()?
        .flatten())
}

/// A contact's name, refusing one that is not there or is in the trash.
fn live_name(db: &Db, id: ContactId) -> Result<String> {
    let found: Option<(String, bool)> = db
        .query_row(
            "SELECT display_name, deleted_at IS NOT NULL FROM contacts WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    match found {
        None => Err(StoreError::NotFound {
            what: "contact",
            id: id.0,
        }),
        Some((name, true)) => Err(StoreError::Invalid(format!(
            "{name} is in the trash; restore them first (File > Trash). Nothing was changed."
        ))),
        Some((name, false)) => Ok(name),
    }
}

/// The id of the stored row (from, kind, to), if there is one.
fn row_id(db: &Db, from: ContactId, kind: RelationKind, to: ContactId) -> Result<Option<i64>> {
    db.query_row(
        "SELECT id FROM relationships WHERE from_id = ?1 AND kind = ?2 AND to_id = ?3",
        params![from, kind.as_str(), to],
        |r| r.get(0),
    )
    .optional()
}

impl Store {
    /// Records that `me` is `role` of `other` ("Ana is married to Tom"; `child-of`: "Leo is
    /// Ana's child"), with an optional note, as one undo step. Refused with a sentence for the
    /// same person twice, someone in the trash or the opposite of what is recorded; a
    /// relationship recorded already changes nothing (`change` is `None`).
    pub fn relate(
        &mut self,
        me: ContactId,
        role: Role,
        other: ContactId,
        note: &str,
    ) -> Result<Relating> {
        if me == other {
            return Err(StoreError::Invalid(
                "A contact cannot be related to themselves; choose someone else.".to_owned(),
            ));
        }
        let now = self.now();
        let note = note.trim().to_owned();
        self.write(|tx| {
            let my_name = live_name(tx, me)?;
            let other_name = live_name(tx, other)?;
            let (from, kind, to) = role.placement(me, other);
            if let Some(id) = row_id(tx, from, kind, to)? {
                let related = line_by_id(tx, me, id)?.ok_or(StoreError::NotFound {
                    what: "relationship",
                    id,
                })?;
                return Ok(Relating {
                    related,
                    change: None,
                });
            }
            if !kind.is_symmetric() && row_id(tx, to, kind, from)?.is_some() {
                let recorded = role.reversed().sentence(&my_name, &other_name);
                return Err(StoreError::Invalid(format!(
                    "That is the opposite of what is recorded: {recorded}. Remove that first; nothing was changed."
                )));
            }
            let by = if tx.is_postgres() {
                "CAST(current_user AS TEXT)"
            } else {
                "''"
            };
            let (id, change) = Store::recorded_in(tx, &[Part::Relationships(from)], |tx| {
                tx.execute(
                    &format!(
                        "INSERT INTO relationships (from_id, kind, to_id, note, created_at, created_by)
                         VALUES (?1, ?2, ?3, ?4, ?5, {by})"
                    ),
                    params![from, kind.as_str(), to, note, now],
                )?;
                tx.last_insert_id("relationships")
            })?;
            let related = line_by_id(tx, me, id)?.ok_or(StoreError::NotFound {
                what: "relationship",
                id,
            })?;
            Ok(Relating {
                related,
                change: Some(change),
            })
        })
    }

    /// Takes back "`me` is `role` of `other`", as one undo step; a sentence when it is not
    /// recorded.
    pub fn unrelate(
        &mut self,
        me: ContactId,
        role: Role,
        other: ContactId,
    ) -> Result<(Related, Change)> {
        let (from, kind, to) = role.placement(me, other);
        let id = row_id(&self.conn, from, kind, to)?;
        let Some(id) = id else {
            let my_name = live_name(&self.conn, me)?;
            let other_name = live_name(&self.conn, other)?;
            return Err(StoreError::Invalid(format!(
                "It is not recorded that {}; nothing was changed.",
                role.sentence(&my_name, &other_name)
            )));
        };
        self.remove_relationship(me, id)
    }

    /// Removes relationship `id` (one of `me`'s), as one undo step; what it was, in `me`'s words.
    pub fn remove_relationship(&mut self, me: ContactId, id: i64) -> Result<(Related, Change)> {
        self.write(|tx| {
            let related = line_by_id(tx, me, id)?.ok_or(StoreError::NotFound {
                what: "relationship",
                id,
            })?;
            let (from, _, _) = related.role.placement(me, related.other);
            let ((), change) = Store::recorded_in(tx, &[Part::Relationships(from)], |tx| {
                tx.execute("DELETE FROM relationships WHERE id = ?1", [id])?;
                Ok(())
            })?;
            Ok((related, change))
        })
    }

    /// A contact's relationships with live people, family first and referrals last, each
    /// group by name.
    pub fn relationships_of(&self, id: ContactId) -> Result<Vec<Related>> {
        lines_of(&self.conn, id, true)
    }

    /// Every relationship of a contact, with people in the trash too (`other_in_trash`), for
    /// "everything we hold".
    pub fn held_relationships(&self, id: ContactId) -> Result<Vec<Related>> {
        lines_of(&self.conn, id, false)
    }

    /// Who referred whom, among live contacts.
    pub fn referrals(&self) -> Result<Vec<Referral>> {
        let rows = self
            .conn
            .prepare_cached(
                // CROSS JOIN: SQLite starts from the relationships (a few thousand) instead of
                // walking every live contact (35 ms ÷ 10 ms on 100,000 contacts).
                "SELECT r.from_id, f.display_name, r.to_id, t.display_name, t.stage
                 FROM relationships r CROSS JOIN contacts f CROSS JOIN contacts t
                 WHERE f.id = r.from_id AND t.id = r.to_id AND r.kind = ?1
                   AND f.deleted_at IS NULL AND t.deleted_at IS NULL",
            )?
            .query_map([RelationKind::Referred.as_str()], |r| {
                Ok(Referral {
                    referrer: r.get(0)?,
                    referrer_name: r.get(1)?,
                    referred: r.get(2)?,
                    referred_name: r.get(3)?,
                    referred_stage: r.get(4)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Every live contact's relationships with live people, by contact (one query), for
    /// `rapport contacts --json`.
    pub fn relationships_by_contact(&self) -> Result<HashMap<ContactId, Vec<Related>>> {
        type RowParts = (
            i64,
            ContactId,
            String,
            ContactId,
            String,
            [(String, Stage); 2],
        );
        let rows: Vec<RowParts> = self
            .conn
            .prepare(
                "SELECT r.id, r.from_id, r.kind, r.to_id, r.note,
                        f.display_name, f.stage, t.display_name, t.stage
                 FROM relationships r CROSS JOIN contacts f CROSS JOIN contacts t
                 WHERE f.id = r.from_id AND t.id = r.to_id
                   AND f.deleted_at IS NULL AND t.deleted_at IS NULL",
            )?
            .query_map((), |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    [(r.get(5)?, r.get(6)?), (r.get(7)?, r.get(8)?)],
                ))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let mut by_contact: HashMap<ContactId, Vec<Related>> = HashMap::new();
        for (id, from, kind, to, note, [(from_name, from_stage), (to_name, to_stage)]) in rows {
            let Some(kind) = RelationKind::parse(&kind) else {
                continue;
            };
            let ends = [
                (from, Side::From, to, to_name, to_stage),
                (to, Side::To, from, from_name, from_stage),
            ];
            for (me, side, other, other_name, other_stage) in ends {
                by_contact.entry(me).or_default().push(Related {
                    id,
                    role: Role::of(kind, side),
                    other,
                    other_name,
                    other_stage,
                    other_in_trash: false,
                    note: note.clone(),
                });
            }
        }
        for lines in by_contact.values_mut() {
            *lines = sorted(std::mem::take(lines));
        }
        Ok(by_contact)
    }

    /// The contacts that have a photo (one query), for `rapport contacts --json`.
    pub fn contacts_with_photo(&self) -> Result<HashSet<ContactId>> {
        let ids = self
            .conn
            .prepare("SELECT contact_id FROM contact_photos")?
            .query_map((), |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(ids)
    }
}
