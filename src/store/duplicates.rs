//! Duplicates in the database: the keys of every live contact read in id order (pages of
//! 10,000, each three queries side by side: contacts, e-mails, phones; PostgreSQL, which hands
//! a query's rows over at once, then holds one page) into `insight::duplicates::Finder`; the
//! contacts a new one looks like, found through the indexes (e-mail, phone, the search index
//! for the family name); pairs the person said are two people, kept in the settings; and
//! merging two contacts in one transaction recorded as one undo step.
//!
//! A merge writes the merged fields over the kept contact, moves the other's conversations
//! (their place among the participants), follow-ups, life events, stage history, relationships
//! (`merge_links`) and photo (when the kept one has none) to the kept one, and deletes the
//! other for good. It checks both
//! against the versions the dialog showed (a teammate's save since is said, nothing merged),
//! and on a team database a teammate's private conversation or promise with the other keeps
//! the other from being deleted: the server refuses, nothing is merged, and that is said.

use super::contacts::{delete_contact_row, update_contact};
use super::db::{Db, OptionalExtension as _, Row};
use super::sql_types::phone_key as stored_phone_key;
use super::undo::{Change, Part};
use super::versions::unchanged_since;
use super::{Result, Store, StoreError};
use crate::insight::duplicates::{self, Finder, Found, LookAlike, Person};
use crate::model::{Contact, ContactDraft, ContactId, FollowUpId, InteractionId, LifeEventId};
use rusqlite::params;

/// Contacts read per page.
const PAGE: i64 = 10_000;
/// The setting that keeps the pairs the person said are two people: "12-40 13-99".
const NOT_SAME: &str = "duplicates_not_same";

/// What a merge moves from the other contact to the kept one.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Moves {
    pub conversations: usize,
    pub follow_ups: usize,
    pub life_events: usize,
    pub stage_changes: usize,
    /// The other's relationships with third people (one with the kept contact goes).
    pub relationships: usize,
    /// The other's photo becomes the kept one's (the kept one has none).
    pub photo: bool,
    /// The other's photo is not kept: the kept one has its own.
    pub photo_dropped: bool,
}

/// Both contacts as they are now, and what merging them would move.
#[derive(Clone, Debug, PartialEq)]
pub struct MergePreview {
    pub kept: Contact,
    pub other: Contact,
    pub moves: Moves,
}

/// The rows of the other contact a merge moves.
struct Linked {
    interactions: Vec<InteractionId>,
    follow_ups: Vec<FollowUpId>,
    life_events: Vec<LifeEventId>,
    stage_changes: usize,
    relationships: usize,
    /// Both contacts and everyone related to either (their relationships may be rewritten).
    related: Vec<ContactId>,
    kept_photo: bool,
    other_photo: bool,
}

impl Linked {
    fn moves(&self) -> Moves {
        Moves {
            conversations: self.interactions.len(),
            follow_ups: self.follow_ups.len(),
            life_events: self.life_events.len(),
            stage_changes: self.stage_changes,
            relationships: self.relationships,
            photo: self.other_photo && !self.kept_photo,
            photo_dropped: self.other_photo && self.kept_photo,
        }
    }
}

/// The keys of the live contacts matching `condition`, e-mails and phones gathered per contact
/// (for the few contacts a new one may look like).
fn person_sql(db: &Db, condition: &str) -> String {
    let (agg, separator) = if db.is_postgres() {
        ("string_agg", "chr(31)")
    } else {
        ("group_concat", "char(31)")
    };
    format!(
        "SELECT c.id, c.display_name, c.given_name, c.family_name, c.nickname, COALESCE(o.name, ''),
           COALESCE((SELECT {agg}(e.address_key, {separator}) FROM contact_emails e
                     WHERE e.contact_id = c.id), ''),
           COALESCE((SELECT {agg}(p.number, {separator}) FROM contact_phones p
                     WHERE p.contact_id = c.id), '')
         FROM contacts c LEFT JOIN organizations o ON o.id = c.organization_id
         WHERE c.deleted_at IS NULL AND {condition}"
    )
}

fn person_of(r: &Row<'_, '_>) -> rusqlite::Result<Person> {
    let list = |text: String| -> Vec<String> {
        text.split('\u{1f}')
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect()
    };
    Ok(Person {
        id: r.get(0)?,
        name: r.get(1)?,
        given_name: r.get(2)?,
        family_name: r.get(3)?,
        nickname: r.get(4)?,
        organization: r.get(5)?,
        emails: list(r.get(6)?),
        phones: list(r.get(7)?),
    })
}

/// The live contacts after id `after`, at most `PAGE`, in id order, with their e-mails and
/// phones: three queries walking id order side by side, merged like a sort-merge join (a
/// lookup of each contact's e-mails and phones costs three times as much).
fn page_of_people(db: &Db, after: i64) -> Result<Vec<Person>> {
    // On SQLite the planner would walk the name index (`deleted_at` leads it) and sort the
    // page by id; NOT INDEXED keeps it on the rowid: one pass over the table, in id order.
    let sql = if db.is_postgres() {
        "SELECT c.id, c.display_name, c.given_name, c.family_name, c.nickname, COALESCE(o.name, '')
         FROM contacts c LEFT JOIN organizations o ON o.id = c.organization_id
         WHERE c.deleted_at IS NULL AND c.id > ?1 ORDER BY c.id LIMIT ?2"
    } else {
        "SELECT c.id, c.display_name, c.given_name, c.family_name, c.nickname, COALESCE(o.name, '')
         FROM contacts c NOT INDEXED LEFT JOIN organizations o ON o.id = c.organization_id
         WHERE c.deleted_at IS NULL AND c.id > ?1 ORDER BY c.id LIMIT ?2"
    };
    let mut people: Vec<Person> = db
        .prepare_cached(sql)?
        .query_map(params![after, PAGE], |r| {
            Ok(Person {
                id: r.get(0)?,
                name: r.get(1)?,
                given_name: r.get(2)?,
                family_name: r.get(3)?,
                nickname: r.get(4)?,
                organization: r.get(5)?,
                emails: Vec::new(),
                phones: Vec::new(),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let Some(last) = people.last().map(|p| p.id) else {
        return Ok(people);
    };
    let range = (after, last);
    attach(
        db,
        "SELECT contact_id, address_key FROM contact_emails
         WHERE contact_id > ?1 AND contact_id <= ?2 ORDER BY contact_id",
        range,
        &mut people,
        |p| &mut p.emails,
    )?;
    attach(
        db,
        "SELECT contact_id, number FROM contact_phones
         WHERE contact_id > ?1 AND contact_id <= ?2 ORDER BY contact_id",
        range,
        &mut people,
        |p| &mut p.phones,
    )?;
    Ok(people)
}

/// Gives each of `people` (in id order) the values `sql` reads for it, in id order too; a
/// trashed contact's rows find nobody and are passed over.
fn attach(
    db: &Db,
    sql: &str,
    (after, last): (i64, ContactId),
    people: &mut [Person],
    list: fn(&mut Person) -> &mut Vec<String>,
) -> Result<()> {
    let mut stmt = db.prepare_cached(sql)?;
    let mut rows = stmt.query(params![after, last])?;
    let mut at = 0;
    while let Some(row) = rows.next()? {
        let id: ContactId = row.get(0)?;
        while at < people.len() && people[at].id < id {
            at += 1;
        }
        if let Some(person) = people.get_mut(at).filter(|p| p.id == id) {
            list(person).push(row.get(1)?);
        }
    }
    Ok(())
}

impl Store {
    /// Every likely pair of duplicates among the live contacts, surest first, without the
    /// pairs the person said are two people. `region` is the phone country ("GB").
    pub fn find_duplicates(&self, region: &str) -> Result<Found> {
        let not_same = self.not_same_pairs();
        let live: i64 = self.conn.query_row(
            "SELECT count(*) FROM contacts WHERE deleted_at IS NULL",
            (),
            |r| r.get(0),
        )?;
        let mut finder = Finder::with_capacity(region, live.max(0) as usize);
        let mut after = i64::MIN;
        loop {
            let page = page_of_people(&self.conn, after)?;
            let read = page.len() as i64;
            for person in page {
                after = person.id.0;
                finder.add(person);
            }
            if read < PAGE {
                break;
            }
        }
        Ok(finder.finish(&not_same))
    }

    /// The live contacts a contact being created looks like (at most three), surest first:
    /// found by its e-mails and phones, and by its family name (alone, with the whole name,
    /// with the organization) in the search index.
    pub fn look_alikes(&self, draft: &ContactDraft, region: &str) -> Result<Vec<LookAlike>> {
        let mut ids = self.ids_sharing_keys(draft, region)?;
        let new = Person::of_draft(ContactId(0), draft);
        let family = match draft.family_name.trim() {
            "" => new.name.split_whitespace().last().unwrap_or_default(),
            family => family,
        };
        if !family.is_empty() && !family.contains('@') {
            // The family name alone finds Bob for Robert; with the whole name, or with the
            // organization, the right one among thousands of Garcías (each search shows the
            // first 200 in name order).
            let organization = draft.organization.split_whitespace().next();
            let searches = [
                Some(family.to_owned()),
                Some(new.name.clone()).filter(|n| n != family),
                organization.map(|o| format!("{family} {o}")),
            ];
            for search in searches.into_iter().flatten() {
                ids.extend(
                    self.contact_rows(&search, 0, 200)?
                        .into_iter()
                        .map(|r| r.id),
                );
            }
        }
        ids.sort();
        ids.dedup();
        let sql = person_sql(&self.conn, "c.id = ?1");
        let mut people = Vec::with_capacity(ids.len());
        for id in ids {
            let found = self
                .conn
                .prepare_cached(&sql)?
                .query_row([id], person_of)
                .optional()?;
            people.extend(found);
        }
        let mut found = duplicates::look_alikes(new, people, region);
        found.truncate(3);
        Ok(found)
    }

    /// Live contacts with one of the draft's e-mails or phones.
    fn ids_sharing_keys(&self, draft: &ContactDraft, region: &str) -> Result<Vec<ContactId>> {
        let mut ids = Vec::new();
        let mut by = |sql: &str, key: String| -> Result<()> {
            let found = self
                .conn
                .prepare_cached(sql)?
                .query_map([key], |r| r.get(0))?
                .collect::<rusqlite::Result<Vec<ContactId>>>()?;
            ids.extend(found);
            Ok(())
        };
        for email in draft.emails.iter().filter(|e| e.address.contains('@')) {
            by(
                "SELECT e.contact_id FROM contact_emails e JOIN contacts c ON c.id = e.contact_id
                 WHERE e.address_key = ?1 AND c.deleted_at IS NULL LIMIT 20",
                email.address.trim().to_lowercase(),
            )?;
        }
        for phone in &draft.phones {
            // The number as typed and in E.164: stored numbers are keyed by their digits.
            let mut keys = vec![stored_phone_key(&phone.number)];
            keys.extend(duplicates::phone_key(&phone.number, region));
            keys.dedup();
            for key in keys
                .into_iter()
                .filter(|k| k.trim_start_matches('+').len() >= 7)
            {
                by(
                    "SELECT p.contact_id FROM contact_phones p JOIN contacts c ON c.id = p.contact_id
                     WHERE p.number_key = ?1 AND c.deleted_at IS NULL LIMIT 20",
                    key,
                )?;
            }
        }
        Ok(ids)
    }

    /// Both contacts and what a merge of `other` into `kept` would move.
    pub fn merge_preview(&self, kept: ContactId, other: ContactId) -> Result<MergePreview> {
        let preview = MergePreview {
            kept: self.contact(kept)?,
            other: self.contact(other)?,
            moves: linked(&self.conn, kept, other)?.moves(),
        };
        Ok(preview)
    }

    /// Merges `other` into `kept` (both as the dialog showed them, with their versions):
    /// `merged` is written over the kept contact, everything linked to the other moves to it,
    /// and the other is deleted, in one transaction recorded as one undo step.
    pub fn merge_contacts(
        &mut self,
        kept: &Contact,
        other: &Contact,
        merged: &ContactDraft,
    ) -> Result<(Moves, Change)> {
        merged.validate().map_err(StoreError::Invalid)?;
        if kept.id == other.id {
            return Err(StoreError::Invalid(
                "A contact cannot be merged with itself.".to_owned(),
            ));
        }
        let now = self.now();
        self.write(|tx| {
            for contact in [kept, other] {
                live_and_unchanged(tx, contact)?;
            }
            let linked = linked(tx, kept.id, other.id)?;
            let parts = merge_parts(kept, other, merged, &linked);
            let ((), change) = Store::recorded_in(tx, &parts, |tx| {
                write_merge(tx, kept.id, other, merged, now, &linked)
            })?;
            Ok((linked.moves(), change))
        })
    }

    /// The pairs the person said are two people (lower id first).
    pub fn not_same_pairs(&self) -> Vec<(ContactId, ContactId)> {
        let text = self.setting(NOT_SAME).unwrap_or_default();
        text.split_whitespace()
            .filter_map(|pair| {
                let (a, b) = pair.split_once('-')?;
                Some((ContactId(a.parse().ok()?), ContactId(b.parse().ok()?)))
            })
            .collect()
    }

    /// Remembers that `a` and `b` are two people: the pair is not listed again.
    pub fn mark_not_same(&mut self, a: ContactId, b: ContactId) -> Result<()> {
        let mut pairs = self.not_same_pairs();
        pairs.push((a.min(b), a.max(b)));
        pairs.sort();
        pairs.dedup();
        let text: Vec<String> = pairs.iter().map(|(a, b)| format!("{a}-{b}")).collect();
        self.set_setting(NOT_SAME, &text.join(" "))
    }

    /// Reads the live contacts' names row by row and nothing else: the benchmark's yardstick
    /// for `find_duplicates`. Returns how many rows it read.
    #[doc(hidden)]
    pub fn scan_contacts_plainly(&self) -> Result<usize> {
        let mut stmt = self.conn.prepare(if self.conn.is_postgres() {
            "SELECT id, display_name, given_name, family_name, nickname, organization_id
             FROM contacts WHERE deleted_at IS NULL"
        } else {
            "SELECT id, display_name, given_name, family_name, nickname, organization_id
             FROM contacts NOT INDEXED WHERE deleted_at IS NULL"
        })?;
        let mut rows = stmt.query(())?;
        let mut read = 0;
        while let Some(row) = rows.next()? {
            let name: String = row.get(1)?;
            std::hint::black_box(name);
            read += 1;
        }
        Ok(read)
    }
}

/// Fails unless the contact is live and at the version shown (holding its row until the
/// merge commits).
fn live_and_unchanged(tx: &Db, contact: &Contact) -> Result<()> {
    unchanged_since(tx, "contacts", contact.id.0, contact.version)?;
    let live: Option<bool> = tx
        .query_row(
            "SELECT deleted_at IS NULL FROM contacts WHERE id = ?1",
            [contact.id],
            |r| r.get(0),
        )
        .optional()?;
    match live {
        Some(true) => Ok(()),
        Some(false) => Err(StoreError::Invalid(format!(
            "{} is in the trash; restore them first to merge.",
            contact.draft.effective_display_name()
        ))),
        None => Err(StoreError::NotFound {
            what: "contact",
            id: contact.id.0,
        }),
    }
}

/// What hangs off `other` (the rows a merge moves), and whether each has a photo.
fn linked(db: &Db, kept: ContactId, other: ContactId) -> Result<Linked> {
    fn ids<T: rusqlite::types::FromSql>(db: &Db, sql: &str, id: ContactId) -> Result<Vec<T>> {
        let found = db
            .prepare_cached(sql)?
            .query_map([id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(found)
    }
    let photo = |id: ContactId| -> Result<bool> {
        db.query_row(
            "SELECT EXISTS(SELECT 1 FROM contact_photos WHERE contact_id = ?1)",
            [id],
            |r| r.get(0),
        )
    };
    let stage_changes: i64 = db.query_row(
        "SELECT count(*) FROM stage_changes WHERE contact_id = ?1",
        [other],
        |r| r.get(0),
    )?;
    Ok(Linked {
        interactions: ids(
            db,
            "SELECT interaction_id FROM interaction_participants WHERE contact_id = ?1 ORDER BY interaction_id",
            other,
        )?,
        follow_ups: ids(
            db,
            "SELECT id FROM follow_ups WHERE contact_id = ?1 ORDER BY id",
            other,
        )?,
        life_events: ids(
            db,
            "SELECT id FROM life_events WHERE contact_id = ?1 ORDER BY id",
            other,
        )?,
        stage_changes: stage_changes as usize,
        relationships: super::merge_links::relationships_moving(db, kept, other)?,
        related: super::merge_links::related_to(db, kept, other)?,
        kept_photo: photo(kept)?,
        other_photo: photo(other)?,
    })
}

/// The rows the undo step holds: both contacts (with their e-mails, phones, tags, stage
/// history, photo, custom field values and reminders), the organizations and tags the merged
/// contact names, every conversation, follow-up and life event that moves, and the
/// relationships of both and of everyone related to them.
fn merge_parts(
    kept: &Contact,
    other: &Contact,
    merged: &ContactDraft,
    linked: &Linked,
) -> Vec<Part> {
    let mut parts = vec![Part::Contact(kept.id), Part::Contact(other.id)];
    for organization in [&kept.draft, &other.draft, merged].map(|d| &d.organization) {
        parts.push(Part::Organization(organization.clone()));
    }
    parts.extend(merged.tags.iter().map(|t| Part::Tag(t.clone())));
    parts.extend(linked.interactions.iter().map(|&i| Part::Interaction(i)));
    parts.extend(linked.follow_ups.iter().map(|&f| Part::FollowUp(f)));
    parts.extend(linked.life_events.iter().map(|&l| Part::LifeEvent(l)));
    parts.extend(linked.related.iter().map(|&c| Part::Relationships(c)));
    parts
}

/// The merge itself, in the caller's transaction.
fn write_merge(
    tx: &Db,
    kept: ContactId,
    other: &Contact,
    merged: &ContactDraft,
    now: chrono::DateTime<chrono::Utc>,
    linked: &Linked,
) -> Result<()> {
    let reminders = super::merge_links::drop_other_reminders(tx, other.id)?;
    update_contact(tx, kept, merged, now)?;
    super::merge_links::keep_one_reminder(tx, kept, &reminders, now)?;
    super::merge_links::move_relationships(tx, kept, other.id)?;
    // A conversation both took part in keeps the kept one's place only.
    tx.execute(
        "DELETE FROM interaction_participants WHERE contact_id = ?1 AND interaction_id IN
           (SELECT interaction_id FROM interaction_participants WHERE contact_id = ?2)",
        params![other.id, kept],
    )?;
    for table in [
        "interaction_participants",
        "follow_ups",
        "life_events",
        "stage_changes",
    ] {
        tx.execute(
            &format!("UPDATE {table} SET contact_id = ?2 WHERE contact_id = ?1"),
            params![other.id, kept],
        )?;
    }
    if linked.other_photo && !linked.kept_photo {
        tx.execute(
            "UPDATE contact_photos SET contact_id = ?2 WHERE contact_id = ?1",
            params![other.id, kept],
        )?;
    }
    delete_contact_row(tx, other.id).map_err(|error| match error {
        StoreError::NotAllowed(why) if why.starts_with("A teammate keeps") => {
            StoreError::NotAllowed(format!(
                "A teammate keeps a private conversation or promise with {}, so the two cannot be merged while they do; nothing was changed.",
                other.draft.effective_display_name()
            ))
        }
        other => other,
    })
}
