//! Contacts: creating, editing, the trash, and reading one contact in full. The row writers
//! (`insert_contact_indexing`, `update_contact_indexing`) are shared with imports and the bulk
//! writer, which choose when the search documents are written (`SearchIndexing`).

use super::db::{Db, OptionalExtension as _};
use super::organizations::organization_for;
use super::search::{SearchIndexing, contact_search_row};
use super::sql_types::{key_of, phone_key};
use super::tags::tag_id;
use super::{Result, Store, StoreError};
use crate::model::{
    Address, Birthday, Contact, ContactDraft, ContactId, Email, OrganizationId, Phone, Stage,
    TrashedContact,
};
use chrono::{DateTime, Utc};
use rusqlite::params;

impl Store {
    /// Creates a contact from a validated draft.
    pub fn create_contact(&mut self, draft: &ContactDraft) -> Result<ContactId> {
        draft.validate().map_err(StoreError::Invalid)?;
        let now = self.now();
        self.write(|tx| insert_contact(tx, draft, "manual", now))
    }

    /// Replaces everything editable on a contact with `draft`.
    pub fn update_contact(&mut self, id: ContactId, draft: &ContactDraft) -> Result<()> {
        draft.validate().map_err(StoreError::Invalid)?;
        let now = self.now();
        self.write(|tx| update_contact(tx, id, draft, now))
    }

    /// Moves a contact to the trash; its conversations stay and come back with it.
    pub fn trash_contact(&mut self, id: ContactId) -> Result<()> {
        let now = self.now();
        self.write(|tx| {
            let changed = tx.execute(
                "UPDATE contacts SET deleted_at = ?2 WHERE id = ?1 AND deleted_at IS NULL",
                params![id, now],
            )?;
            if changed == 0 {
                return Err(StoreError::NotFound {
                    what: "contact",
                    id: id.0,
                });
            }
            Ok(())
        })
    }

    /// Takes a contact back out of the trash.
    pub fn restore_contact(&mut self, id: ContactId) -> Result<()> {
        self.write(|tx| {
            let changed = tx.execute(
                "UPDATE contacts SET deleted_at = NULL WHERE id = ?1 AND deleted_at IS NOT NULL",
                params![id],
            )?;
            if changed == 0 {
                return Err(StoreError::NotFound {
                    what: "contact in the trash",
                    id: id.0,
                });
            }
            Ok(())
        })
    }

    /// Deletes a trashed contact for good, with conversations only they took part in.
    pub fn purge_contact(&mut self, id: ContactId) -> Result<()> {
        self.write(|tx| {
            let deleted: Option<Option<String>> = tx
                .query_row("SELECT deleted_at FROM contacts WHERE id = ?1", [id], |r| {
                    r.get(0)
                })
                .optional()?;
            match deleted {
                Some(Some(_)) => {}
                _ => {
                    return Err(StoreError::NotFound {
                        what: "contact in the trash",
                        id: id.0,
                    });
                }
            }
            delete_lonely_conversations(tx, id)?;
            delete_contact_row(tx, id)
        })
    }

    /// Contacts in the trash, most recently deleted first.
    pub fn trashed_contacts(&self) -> Result<Vec<TrashedContact>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT c.id, c.display_name, COALESCE(o.name, ''), c.deleted_at
             FROM contacts c LEFT JOIN organizations o ON o.id = c.organization_id
             WHERE c.deleted_at IS NOT NULL ORDER BY c.deleted_at DESC, c.id DESC",
        )?;
        let rows = stmt
            .query_map((), |r| {
                Ok(TrashedContact {
                    id: r.get(0)?,
                    display_name: r.get(1)?,
                    organization: r.get(2)?,
                    deleted_at: r.get(3)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// One contact with everything on it, including a trashed one.
    pub fn contact(&self, id: ContactId) -> Result<Contact> {
        load_contact(&self.conn, id)?.ok_or(StoreError::NotFound {
            what: "contact",
            id: id.0,
        })
    }

    /// Every live contact in full, in name order (for `rapport contacts` and exports).
    pub fn all_contacts(&self) -> Result<Vec<Contact>> {
        let ids: Vec<ContactId> = self
            .conn
            .prepare("SELECT id FROM contacts WHERE deleted_at IS NULL ORDER BY sort_key, id")?
            .query_map((), |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        ids.into_iter().map(|id| self.contact(id)).collect()
    }
}

/// A time-ordered UUID (version 7, RFC 9562: the Unix time in milliseconds, then random bits)
/// as a `urn:uuid:` URI. Time first, so new UIDs land at the end of the unique index: with
/// random v4 UIDs an import of 100,000 contacts spent ≈ 0.3 s more splitting index pages all
/// over the tree.
pub(super) fn new_uid() -> String {
    let ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
        & 0xFFFF_FFFF_FFFF;
    let r = fastrand::u128(..);
    format!(
        "urn:uuid:{:08x}-{:04x}-7{:03x}-{:x}{:03x}-{:012x}",
        ms >> 16,
        ms & 0xFFFF,
        r & 0xFFF,
        8 | ((r >> 12) & 0x3),
        (r >> 14) & 0xFFF,
        (r >> 26) & 0xFFFF_FFFF_FFFF
    )
}

pub(super) fn insert_contact(
    tx: &Db,
    draft: &ContactDraft,
    source: &str,
    now: DateTime<Utc>,
) -> Result<ContactId> {
    insert_contact_indexing(tx, draft, source, now, None, &mut SearchIndexing::Now)
}

/// Inserts a contact with every field in one row, then its e-mails, phones, addresses, tags,
/// first stage and search document. `batch` marks it as created by that import.
pub(super) fn insert_contact_indexing(
    tx: &Db,
    draft: &ContactDraft,
    source: &str,
    now: DateTime<Utc>,
    batch: Option<crate::model::ImportBatchId>,
    indexing: &mut SearchIndexing<'_>,
) -> Result<ContactId> {
    let organization = organization_for(tx, &draft.organization, now, indexing)?;
    // A new contact's id is NULL: SQLite then picks the next rowid, PostgreSQL needs to be
    // asked for the next value of the identity.
    macro_rules! insert_contact_sql {
        ($id:literal) => {
            concat!(
                "INSERT INTO contacts (id, prefix, given_name, middle_name, family_name, suffix,
                 nickname, display_name, sort_key, organization_id, title, is_decision_maker, stage,
                 birthday_year, birthday_month, birthday_day, family, interests, personal_notes,
                 how_we_met, cadence_days, private, updated_at, created_at, source, import_batch_id,
                 uid)
                 VALUES (",
                $id,
                ", ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,
                 ?19, ?20, ?21, ?22, ?23, ?23, ?24, ?25, ?26)"
            )
        };
    }
    let mut stmt = tx.prepare_cached(if tx.is_postgres() {
        concat!(
            insert_contact_sql!("COALESCE(?1, nextval(pg_get_serial_sequence('contacts', 'id')))"),
            " ON CONFLICT (uid) DO NOTHING"
        )
    } else {
        insert_contact_sql!("?1")
    })?;
    let mut uid = kept_uid(tx, &draft.uid)?.unwrap_or_else(new_uid);
    loop {
        bind_contact_row(&mut stmt, None, draft, organization, now)?;
        stmt.raw_bind_parameter(24, source)?;
        stmt.raw_bind_parameter(25, batch)?;
        stmt.raw_bind_parameter(26, &uid)?;
        if stmt.raw_execute()? > 0 {
            break;
        }
        // A teammate's private contact has this UID (hidden from `kept_uid` by row-level
        // security): this one gets a new one, as for any UID already taken.
        uid = new_uid();
    }
    let id = ContactId(tx.last_insert_id("contacts")?);
    write_contact_children(tx, id, draft, indexing, false, now)?;
    tx.prepare_cached(
        "INSERT INTO stage_changes (contact_id, changed_at, old_stage, new_stage) VALUES (?1, ?2, NULL, ?3)",
    )?
    .execute(params![id, now, draft.stage])?;
    Ok(id)
}

/// Deletes the conversations `id` was the only participant in, with their search documents;
/// returns how many there were.
pub(super) fn delete_lonely_conversations(tx: &Db, id: ContactId) -> Result<usize> {
    let lonely: Vec<i64> = {
        let mut stmt = tx.prepare(
            "SELECT p.interaction_id FROM interaction_participants p
             WHERE p.contact_id = ?1 AND NOT EXISTS (
                SELECT 1 FROM interaction_participants q
                WHERE q.interaction_id = p.interaction_id AND q.contact_id <> ?1)",
        )?;
        stmt.query_map([id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?
    };
    for interaction in &lonely {
        tx.execute(
            "DELETE FROM interaction_fts WHERE rowid = ?1",
            [interaction],
        )?;
        tx.execute("DELETE FROM interactions WHERE id = ?1", [interaction])?;
    }
    Ok(lonely.len())
}

/// Deletes a contact for good with what hangs off it. The promises and conversation places
/// that the person may see are deleted here; on a team database any left (a teammate's
/// private ones) make the server refuse the delete rather than take them along.
pub(super) fn delete_contact_row(tx: &Db, id: ContactId) -> Result<()> {
    tx.execute("DELETE FROM follow_ups WHERE contact_id = ?1", [id])?;
    tx.execute(
        "DELETE FROM interaction_participants WHERE contact_id = ?1",
        [id],
    )?;
    tx.execute("DELETE FROM contact_fts WHERE rowid = ?1", [id])?;
    tx.execute("DELETE FROM contacts WHERE id = ?1", [id])?;
    Ok(())
}

/// The UID a new contact keeps from its draft (a vCard's own `UID`), or `None` for a new one:
/// when the draft has none, when it is not a sane UID (blank, control characters, longer than
/// 255 bytes — a hostile file cannot put megabytes into the index), or when another contact
/// already has it (the same card twice in one file, or its contact in the trash), since a UID
/// names one contact.
fn kept_uid(tx: &Db, uid: &str) -> Result<Option<String>> {
    let uid = uid.trim();
    if uid.is_empty() || uid.len() > 255 || uid.chars().any(char::is_control) {
        return Ok(None);
    }
    let taken: bool = tx
        .prepare_cached("SELECT EXISTS(SELECT 1 FROM contacts WHERE uid = ?1)")?
        .query_row([uid], |r| r.get(0))?;
    Ok((!taken).then(|| uid.to_owned()))
}

pub(super) fn update_contact(
    tx: &Db,
    id: ContactId,
    draft: &ContactDraft,
    now: DateTime<Utc>,
) -> Result<()> {
    update_contact_indexing(tx, id, draft, now, &mut SearchIndexing::Now)
}

pub(super) fn update_contact_indexing(
    tx: &Db,
    id: ContactId,
    draft: &ContactDraft,
    now: DateTime<Utc>,
    indexing: &mut SearchIndexing<'_>,
) -> Result<()> {
    let old_stage: Option<Stage> = tx
        .prepare_cached("SELECT stage FROM contacts WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?;
    let Some(old_stage) = old_stage else {
        return Err(StoreError::NotFound {
            what: "contact",
            id: id.0,
        });
    };
    let organization = organization_for(tx, &draft.organization, now, indexing)?;
    if old_stage != draft.stage {
        tx.prepare_cached(
            "INSERT INTO stage_changes (contact_id, changed_at, old_stage, new_stage) VALUES (?1, ?2, ?3, ?4)",
        )?
        .execute(params![id, now, old_stage, draft.stage])?;
    }
    for table in [
        "contact_emails",
        "contact_phones",
        "contact_addresses",
        "contact_tags",
    ] {
        tx.prepare_cached(&format!("DELETE FROM {table} WHERE contact_id = ?1"))?
            .execute([id])?;
    }
    let mut stmt = tx.prepare_cached(
        "UPDATE contacts SET prefix=?2, given_name=?3, middle_name=?4, family_name=?5, suffix=?6,
         nickname=?7, display_name=?8, sort_key=?9, organization_id=?10, title=?11,
         is_decision_maker=?12, stage=?13, birthday_year=?14, birthday_month=?15, birthday_day=?16,
         family=?17, interests=?18, personal_notes=?19, how_we_met=?20, cadence_days=?21,
         private=?22, updated_at=?23 WHERE id=?1",
    )?;
    bind_contact_row(&mut stmt, Some(id), draft, organization, now)?;
    stmt.raw_execute()?;
    write_contact_children(tx, id, draft, indexing, true, now)
}

/// Binds parameters 1–23 of a contact row statement: the id (NULL for a new contact), every
/// editable field, and `updated_at`.
fn bind_contact_row(
    stmt: &mut super::db::Stmt<'_>,
    id: Option<ContactId>,
    draft: &ContactDraft,
    organization: Option<OrganizationId>,
    now: DateTime<Utc>,
) -> Result<()> {
    let name = draft.effective_display_name();
    let birthday = draft.birthday;
    let values: [&dyn rusqlite::ToSql; 23] = [
        &id,
        &draft.prefix.trim(),
        &draft.given_name.trim(),
        &draft.middle_name.trim(),
        &draft.family_name.trim(),
        &draft.suffix.trim(),
        &draft.nickname.trim(),
        &name,
        &key_of(&name),
        &organization,
        &draft.title.trim(),
        &draft.is_decision_maker,
        &draft.stage,
        &birthday.and_then(|b| b.year),
        &birthday.map(|b| b.month),
        &birthday.map(|b| b.day),
        &draft.family.trim(),
        &draft.interests.trim(),
        &draft.personal_notes.trim(),
        &draft.how_we_met.trim(),
        &draft.cadence_days,
        &draft.private,
        &now,
    ];
    for (index, value) in values.into_iter().enumerate() {
        stmt.raw_bind_parameter(index + 1, value)?;
    }
    Ok(())
}

/// Writes the child rows (e-mails, phones, addresses, tags, custom field values) and the
/// search document of contact `id`; `replace` when the contact already had a search document.
fn write_contact_children(
    tx: &Db,
    id: ContactId,
    draft: &ContactDraft,
    indexing: &mut SearchIndexing<'_>,
    replace: bool,
    now: DateTime<Utc>,
) -> Result<()> {
    {
        let mut stmt = tx.prepare_cached(
            "INSERT INTO contact_emails (contact_id, position, label, address, address_key) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        for (position, email) in draft
            .emails
            .iter()
            .filter(|e| !e.address.trim().is_empty())
            .enumerate()
        {
            stmt.execute(params![
                id,
                position as i64,
                email.label.trim(),
                email.address.trim(),
                key_of(&email.address)
            ])?;
        }
    }
    {
        let mut stmt = tx.prepare_cached(
            "INSERT INTO contact_phones (contact_id, position, label, number, number_key) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        for (position, phone) in draft
            .phones
            .iter()
            .filter(|p| !p.number.trim().is_empty())
            .enumerate()
        {
            stmt.execute(params![
                id,
                position as i64,
                phone.label.trim(),
                phone.number.trim(),
                phone_key(&phone.number)
            ])?;
        }
    }
    {
        let mut stmt = tx.prepare_cached(
            "INSERT INTO contact_addresses (contact_id, position, label, street, city, region, postal_code, country)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?;
        for (position, a) in draft.addresses.iter().filter(|a| !a.is_blank()).enumerate() {
            stmt.execute(params![
                id,
                position as i64,
                a.label.trim(),
                a.street.trim(),
                a.city.trim(),
                a.region.trim(),
                a.postal_code.trim(),
                a.country.trim()
            ])?;
        }
    }
    for tag in draft
        .tags
        .iter()
        .map(|t| t.trim())
        .filter(|t| !t.is_empty())
    {
        let tag_id = tag_id(tx, tag, indexing)?;
        tx.prepare_cached(
            "INSERT INTO contact_tags (contact_id, tag_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
        )?
        .execute(params![id, tag_id])?;
    }
    let fields =
        super::custom_fields::write_contact_values(tx, id, &draft.custom_fields, replace, now)?;
    if fields != draft.custom_fields {
        // The document holds the values as stored ("Large" for "large").
        let stored = ContactDraft {
            custom_fields: fields,
            ..draft.clone()
        };
        return indexing.write(tx, contact_search_row(id, &stored, replace));
    }
    indexing.write(tx, contact_search_row(id, draft, replace))
}

/// The columns `draft_from_row` reads, in its order (`c` is the contact, `o` its organization).
macro_rules! draft_columns {
    () => {
        "c.prefix, c.given_name, c.middle_name, c.family_name, c.suffix, c.nickname,
         c.display_name, COALESCE(o.name, ''), c.title, c.is_decision_maker, c.stage,
         c.birthday_year, c.birthday_month, c.birthday_day, c.family, c.interests,
         c.personal_notes, c.how_we_met, c.cadence_days, c.uid, c.private"
    };
}
pub(super) use draft_columns;

/// The name a team member goes by, for the login role in `$column` (the role itself when it
/// is not a member any more; empty on a local file).
macro_rules! member_name {
    ($column:literal) => {
        concat!(
            "COALESCE((SELECT m.display_name FROM team_members m WHERE m.role_name = ",
            $column,
            "), ",
            $column,
            ")"
        )
    };
}
pub(super) use member_name;

/// A contact's own fields (no e-mails, phones, addresses or tags) from `draft_columns!()`
/// starting at column `first`.
pub(super) fn draft_from_row(
    r: &super::db::Row<'_, '_>,
    first: usize,
) -> rusqlite::Result<ContactDraft> {
    let month: Option<u32> = r.get(first + 12)?;
    let day: Option<u32> = r.get(first + 13)?;
    let birthday = match (month, day) {
        (Some(m), Some(d)) => Birthday::new(r.get(first + 11)?, m, d),
        _ => None,
    };
    Ok(ContactDraft {
        prefix: r.get(first)?,
        given_name: r.get(first + 1)?,
        middle_name: r.get(first + 2)?,
        family_name: r.get(first + 3)?,
        suffix: r.get(first + 4)?,
        nickname: r.get(first + 5)?,
        display_name: r.get(first + 6)?,
        organization: r.get(first + 7)?,
        title: r.get(first + 8)?,
        is_decision_maker: r.get(first + 9)?,
        stage: r.get(first + 10)?,
        birthday,
        family: r.get(first + 14)?,
        interests: r.get(first + 15)?,
        personal_notes: r.get(first + 16)?,
        how_we_met: r.get(first + 17)?,
        cadence_days: r.get(first + 18)?,
        uid: r.get(first + 19)?,
        private: r.get(first + 20)?,
        ..ContactDraft::default()
    })
}

pub(super) fn load_contact(conn: &Db, id: ContactId) -> Result<Option<Contact>> {
    let base = conn
        .prepare_cached(concat!(
            "SELECT ",
            draft_columns!(),
            ", c.organization_id, c.created_at, c.updated_at, c.deleted_at, c.version, ",
            member_name!("c.created_by"),
            ", ",
            member_name!("c.updated_by"),
            " FROM contacts c LEFT JOIN organizations o ON o.id = c.organization_id WHERE c.id = ?1"
        ))?
        .query_row([id], |r| {
            Ok(Contact {
                id,
                organization_id: r.get(21)?,
                draft: draft_from_row(r, 0)?,
                created_at: r.get(22)?,
                updated_at: r.get(23)?,
                deleted_at: r.get(24)?,
                version: r.get(25)?,
                created_by: r.get(26)?,
                updated_by: r.get(27)?,
            })
        })
        .optional()?;
    let Some(mut contact) = base else {
        return Ok(None);
    };
    contact.draft.emails = conn
        .prepare_cached(
            "SELECT label, address FROM contact_emails WHERE contact_id = ?1 ORDER BY position",
        )?
        .query_map([id], |r| {
            Ok(Email {
                label: r.get(0)?,
                address: r.get(1)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    contact.draft.phones = conn
        .prepare_cached(
            "SELECT label, number FROM contact_phones WHERE contact_id = ?1 ORDER BY position",
        )?
        .query_map([id], |r| {
            Ok(Phone {
                label: r.get(0)?,
                number: r.get(1)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    contact.draft.addresses = conn
        .prepare_cached(
            "SELECT label, street, city, region, postal_code, country FROM contact_addresses
             WHERE contact_id = ?1 ORDER BY position",
        )?
        .query_map([id], |r| {
            Ok(Address {
                label: r.get(0)?,
                street: r.get(1)?,
                city: r.get(2)?,
                region: r.get(3)?,
                postal_code: r.get(4)?,
                country: r.get(5)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    contact.draft.tags = conn
        .prepare_cached(
            "SELECT t.name FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id
             WHERE ct.contact_id = ?1 ORDER BY t.name COLLATE NOCASE",
        )?
        .query_map([id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    contact.draft.custom_fields = super::custom_fields::contact_values(conn, id)?;
    Ok(Some(contact))
}
