//! The relationships a contact import records (`import::apply_import`): the people a vCard
//! names beside a contact (`ImportedContact::relations`) are looked for among the file's
//! other contacts (by UID, or by a name only one of them has) and then among the live contacts
//! in Rapport (the same). A person found, named with a word Rapport has a relationship for
//! (`card_relation::role_of_label`), becomes a relationship, and the line the reader added to
//! the family notes for them goes; anyone else stays in the family notes as the reader wrote
//! them. The rows are written in the import's transaction with the batch's start as their
//! `created_at`, and undoing the batch removes them (those with a contact it created go with
//! that contact).

use super::Result;
use super::db::{Db, OptionalExtension as _};
use super::import::ImportPlan;
use super::sql_types::key_of;
use crate::import::ImportedContact;
use crate::model::card_relation::{RelatedPerson, role_of_label};
use crate::model::relationship::{RelationKind, Role, Side};
use crate::model::{ContactDraft, ContactId, ImportBatchId};
use chrono::{DateTime, Utc};
use rusqlite::params;
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

/// One end of a relationship an import records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum End {
    /// The contact from the file at this place (created by the import).
    File(usize),
    /// A contact in Rapport (the file's contact matched to it, or someone already there).
    Contact(ContactId),
}

/// Someone the file names and the import found: the file's contact at `contact` is `role`
/// of `other`.
#[derive(Clone, Debug, PartialEq)]
pub struct PlannedRelation {
    pub contact: usize,
    pub role: Role,
    pub other: End,
    /// To be written: not recorded already, nor said on another card of the file too.
    pub new: bool,
    /// The family notes' line for the person, taken out.
    pub family_line: Option<String>,
}

/// What the import does with the people the file names.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RelationsPlan {
    /// The people found.
    pub found: Vec<PlannedRelation>,
    /// Found, and recorded already.
    pub already: usize,
    /// Named people neither in the file nor in Rapport: kept in the family notes.
    pub kept_as_text: usize,
    /// People found, but named with a word Rapport has no relationship for ("Friend"): kept
    /// in the family notes.
    pub other_words: usize,
    /// Cards named by a UID neither in the file nor in Rapport.
    pub left_out: usize,
}

impl RelationsPlan {
    /// How many relationships the import writes.
    pub fn recorded(&self) -> usize {
        self.found.iter().filter(|p| p.new).count()
    }
}

impl ImportPlan {
    /// "2 relationships recorded. 1 relationship to someone not in Rapport kept as text.", or
    /// `None` when the file names nobody.
    pub fn relations_sentence(&self) -> Option<String> {
        let plan = &self.relations;
        let count = |n: usize| match n {
            1 => "1 relationship".to_owned(),
            n => format!("{n} relationships"),
        };
        let parts: Vec<String> = [
            (plan.recorded(), "recorded"),
            (plan.already, "already recorded"),
            (plan.kept_as_text, "to someone not in Rapport kept as text"),
            (
                plan.other_words,
                "of a kind Rapport does not keep (a friend, a sibling…) kept as text",
            ),
            (
                plan.left_out,
                "to a card neither in the file nor in Rapport left out",
            ),
        ]
        .into_iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, what)| format!("{} {what}.", count(n)))
        .collect();
        (!parts.is_empty()).then(|| parts.join(" "))
    }

    /// Each contact of the file as the import writes it: without the family notes' lines of
    /// the people it records a relationship with.
    pub(super) fn drafts<'a>(&self, contacts: &'a [ImportedContact]) -> Vec<Cow<'a, ContactDraft>> {
        drafts(contacts, &self.relations)
    }
}

fn drafts<'a>(contacts: &'a [ImportedContact], plan: &RelationsPlan) -> Vec<Cow<'a, ContactDraft>> {
    let mut drafts: Vec<Cow<ContactDraft>> =
        contacts.iter().map(|c| Cow::Borrowed(&c.draft)).collect();
    for planned in &plan.found {
        let Some(line) = &planned.family_line else {
            continue;
        };
        let draft = drafts[planned.contact].to_mut();
        let kept: Vec<&str> = draft
            .family
            .split("; ")
            .filter(|part| part.trim() != line)
            .collect();
        draft.family = kept.join("; ").trim().to_owned();
    }
    drafts
}

/// Where each person the file names is: `matched[i]` is the contact in Rapport the file's
/// `i`-th contact was matched to, if any.
pub(super) fn plan_relations(
    conn: &Db,
    contacts: &[ImportedContact],
    matched: &[Option<ContactId>],
) -> Result<RelationsPlan> {
    let mut plan = RelationsPlan::default();
    if contacts.iter().all(|c| c.relations.is_empty()) {
        return Ok(plan);
    }
    let mut by_uid: HashMap<&str, usize> = HashMap::new();
    let mut by_name: HashMap<String, Option<usize>> = HashMap::new();
    for (at, contact) in contacts.iter().enumerate() {
        if !contact.draft.uid.trim().is_empty() {
            by_uid.entry(contact.draft.uid.trim()).or_insert(at);
        }
        by_name
            .entry(key_of(&contact.draft.effective_display_name()))
            .and_modify(|found| *found = None)
            .or_insert(Some(at));
    }
    let end_of = |at: usize| matched[at].map_or(End::File(at), End::Contact);
    let mut seen: HashSet<(End, &'static str, End)> = HashSet::new();
    for (at, contact) in contacts.iter().enumerate() {
        for relation in &contact.relations {
            let found = match &relation.person {
                RelatedPerson::Uid(uid) => match by_uid.get(uid.as_str()) {
                    Some(&other) => Some(end_of(other)),
                    None => live_by_uid(conn, uid)?.map(End::Contact),
                },
                RelatedPerson::Name(name) => match by_name.get(&key_of(name)) {
                    Some(Some(other)) => Some(end_of(*other)),
                    Some(None) => None,
                    None => live_by_name(conn, name)?.map(End::Contact),
                },
            };
            let me = end_of(at);
            let role = role_of_label(&relation.label);
            match (found.filter(|other| *other != me), role) {
                (None, _) if matches!(relation.person, RelatedPerson::Uid(_)) => plan.left_out += 1,
                (None, _) => plan.kept_as_text += 1,
                (Some(_), None) => plan.other_words += 1,
                (Some(other), Some(role)) => {
                    let (from, kind, to) = placed(role, me, other);
                    let recorded = match (from, to) {
                        (End::Contact(from), End::Contact(to)) => {
                            exists(conn, from, kind.as_str(), to)?
                        }
                        _ => false,
                    };
                    plan.already += usize::from(recorded);
                    plan.found.push(PlannedRelation {
                        contact: at,
                        role,
                        other,
                        new: !recorded && seen.insert((from, kind.as_str(), to)),
                        family_line: relation.in_family.clone(),
                    });
                }
            }
        }
    }
    Ok(plan)
}

/// (from, kind, to) as `Role::placement` stores it, for ends that may have no id yet.
fn placed(role: Role, me: End, other: End) -> (End, RelationKind, End) {
    if role.kind.is_symmetric() {
        (me.min(other), role.kind, me.max(other))
    } else {
        match role.side {
            Side::From => (me, role.kind, other),
            Side::To => (other, role.kind, me),
        }
    }
}

/// True when "from is kind of to" is stored, or its opposite (`relate` refuses to record both).
fn exists(conn: &Db, from: ContactId, kind: &str, to: ContactId) -> Result<bool> {
    conn.query_row(
        "SELECT EXISTS(SELECT 1 FROM relationships WHERE kind = ?2
           AND ((from_id = ?1 AND to_id = ?3) OR (from_id = ?3 AND to_id = ?1)))",
        params![from, kind, to],
        |r| r.get(0),
    )
}

/// The live contact with this UID.
fn live_by_uid(conn: &Db, uid: &str) -> Result<Option<ContactId>> {
    conn.prepare_cached("SELECT id FROM contacts WHERE uid = ?1 AND deleted_at IS NULL")?
        .query_row([uid.trim()], |r| r.get(0))
        .optional()
}

/// The one live contact of this name (two of the same name: nobody, the name stays text).
fn live_by_name(conn: &Db, name: &str) -> Result<Option<ContactId>> {
    let ids: Vec<ContactId> = conn
        .prepare_cached(
            "SELECT id FROM contacts WHERE deleted_at IS NULL AND sort_key = ?1 LIMIT 2",
        )?
        .query_map([key_of(name)], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(match ids.as_slice() {
        [one] => Some(*one),
        _ => None,
    })
}

/// Writes the new relationships of `plan` in the import's transaction, `ids[i]` being the
/// contact the file's `i`-th became; returns how many were written.
pub(super) fn write_relations(
    tx: &Db,
    plan: &RelationsPlan,
    ids: &[ContactId],
    now: DateTime<Utc>,
) -> Result<usize> {
    let by = if tx.is_postgres() {
        "CAST(current_user AS TEXT)"
    } else {
        "''"
    };
    let sql = format!(
        "INSERT INTO relationships (from_id, kind, to_id, note, created_at, created_by)
         VALUES (?1, ?2, ?3, '', ?4, {by}) ON CONFLICT DO NOTHING"
    );
    let id_of = |end: End| match end {
        End::File(at) => ids[at],
        End::Contact(id) => id,
    };
    let mut written = 0;
    for planned in plan.found.iter().filter(|p| p.new) {
        let (me, other) = (ids[planned.contact], id_of(planned.other));
        if me == other {
            continue;
        }
        let (from, kind, to) = planned.role.placement(me, other);
        if exists(tx, from, kind.as_str(), to)? {
            continue;
        }
        written += tx
            .prepare_cached(&sql)?
            .execute(params![from, kind.as_str(), to, now])?;
    }
    Ok(written)
}

/// Undoing batch `batch`: removes the relationships it recorded (made at its start).
pub(super) fn undo_relations(tx: &Db, batch: ImportBatchId) -> Result<()> {
    tx.execute(
        "DELETE FROM relationships
         WHERE created_at = (SELECT started_at FROM import_batches WHERE id = ?1)",
        [batch],
    )?;
    Ok(())
}
