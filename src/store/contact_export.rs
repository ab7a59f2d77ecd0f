//! Reading contacts out for a contact export (vCard, Google CSV): every field an import can
//! fill, for everyone in a scope, in name order. Set-based like the timeline report: the scope
//! is one `WITH scope(id)` subquery joined into five queries (contacts, e-mails, phones,
//! addresses, tags) and one each for photos and relationships (`RELATED`), however many
//! contacts there are. Read-only. Each contact comes with its
//! `UID` (in the draft) and its last change (`updated_at`, a vCard's `REV`).

use super::{Result, Store, report::scope_cte};
use crate::model::card_relation::vcard_type;
use crate::model::relationship::{RelationKind, Role, Side};
use crate::model::{
    Address, ContactDraft, ContactId, ContactPhoto, Email, ExportedContact, Phone, ReportScope,
};
use chrono::{DateTime, Utc};
use std::collections::HashMap;

/// Adds what one row of a child table (e-mails, phones, addresses, tags) holds to the draft of
/// the contact named in its first column.
type ChildRow = fn(&super::db::Row<'_, '_>, &mut ContactDraft) -> rusqlite::Result<()>;

impl Store {
    /// Every live contact in `scope` (a trashed one too when asked for by id), with names,
    /// organization, title, decision maker, stage, birthday, personal notes and details,
    /// cadence, labelled e-mails, phones and addresses (in their stored order) and tags (by
    /// name), ordered by name like the contact list.
    pub fn contacts_for_export(&self, scope: &ReportScope) -> Result<Vec<ContactDraft>> {
        Ok(self
            .exported_contacts(scope)?
            .into_iter()
            .map(|c| c.draft)
            .collect())
    }

    /// What `contacts_for_export` reads, each contact with when it last changed.
    pub fn exported_contacts(&self, scope: &ReportScope) -> Result<Vec<ExportedContact>> {
        let (cte, scope_param) = scope_cte(&self.conn, scope);
        let sql = format!(
            "{cte} SELECT c.id, c.updated_at, {}
             FROM contacts c LEFT JOIN organizations o ON o.id = c.organization_id
             WHERE c.id IN (SELECT id FROM scope) ORDER BY c.sort_key, c.id",
            super::contacts::draft_columns!()
        );
        let mut order: Vec<(ContactId, DateTime<Utc>)> = Vec::new();
        let mut drafts: HashMap<ContactId, ContactDraft> = HashMap::new();
        let mut stmt = self.conn.prepare(&sql)?;
        let mut rows = stmt.query([&scope_param])?;
        while let Some(r) = rows.next()? {
            let id: ContactId = r.get(0)?;
            order.push((id, r.get(1)?));
            drafts.insert(id, super::contacts::draft_from_row(&r, 2)?);
        }
        drop(rows);
        drop(stmt);

        let mut children = |sql: &str, add: ChildRow| -> Result<()> {
            let mut stmt = self.conn.prepare(&format!("{cte} {sql}"))?;
            let mut rows = stmt.query([&scope_param])?;
            while let Some(r) = rows.next()? {
                let id: ContactId = r.get(0)?;
                if let Some(draft) = drafts.get_mut(&id) {
                    add(&r, draft)?;
                }
            }
            Ok(())
        };
        children(
            "SELECT contact_id, label, address FROM contact_emails
             WHERE contact_id IN (SELECT id FROM scope) ORDER BY contact_id, position",
            |r, d| {
                d.emails.push(Email {
                    label: r.get(1)?,
                    address: r.get(2)?,
                });
                Ok(())
            },
        )?;
        children(
            "SELECT contact_id, label, number FROM contact_phones
             WHERE contact_id IN (SELECT id FROM scope) ORDER BY contact_id, position",
            |r, d| {
                d.phones.push(Phone {
                    label: r.get(1)?,
                    number: r.get(2)?,
                });
                Ok(())
            },
        )?;
        children(
            "SELECT contact_id, label, street, city, region, postal_code, country
             FROM contact_addresses WHERE contact_id IN (SELECT id FROM scope) ORDER BY contact_id, position",
            |r, d| {
                d.addresses.push(Address {
                    label: r.get(1)?,
                    street: r.get(2)?,
                    city: r.get(3)?,
                    region: r.get(4)?,
                    postal_code: r.get(5)?,
                    country: r.get(6)?,
                });
                Ok(())
            },
        )?;
        children(
            "SELECT ct.contact_id, t.name FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id
             WHERE ct.contact_id IN (SELECT id FROM scope) ORDER BY ct.contact_id, t.name COLLATE NOCASE",
            |r, d| {
                d.tags.push(r.get(1)?);
                Ok(())
            },
        )?;
        children(
            "SELECT v.contact_id, f.name, v.value FROM contact_field_values v
             JOIN custom_fields f ON f.id = v.field_id WHERE v.contact_id IN (SELECT id FROM scope)",
            |r, d| {
                d.custom_fields.insert(r.get(1)?, r.get(2)?);
                Ok(())
            },
        )?;
        let mut photos = self.photos_in(cte, &scope_param)?;
        let mut related = self.related_in(cte, &scope_param)?;
        Ok(order
            .into_iter()
            .filter_map(|(id, revised_at)| {
                let draft = drafts.remove(&id)?;
                Some(ExportedContact {
                    id,
                    draft,
                    revised_at,
                    photo: photos.remove(&id),
                    related: related.remove(&id).unwrap_or_default(),
                })
            })
            .collect())
    }

    /// The relationships of the contacts in `scope` with live people, by contact: the
    /// vCard `RELATED` type of the other person and their UID, in the order of a page.
    fn related_in(
        &self,
        cte: &str,
        scope_param: &dyn rusqlite::ToSql,
    ) -> Result<HashMap<ContactId, Vec<(String, String)>>> {
        let mut stmt = self.conn.prepare(&format!(
            "{cte} SELECT r.from_id, r.kind, r.to_id, f.uid, t.uid
             FROM relationships r CROSS JOIN contacts f CROSS JOIN contacts t
             WHERE f.id = r.from_id AND t.id = r.to_id
               AND f.deleted_at IS NULL AND t.deleted_at IS NULL
               AND (r.from_id IN (SELECT id FROM scope) OR r.to_id IN (SELECT id FROM scope))
             ORDER BY r.id"
        ))?;
        type Row = (ContactId, String, ContactId, String, String);
        let rows: Vec<Row> = stmt
            .query_map([scope_param], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let mut related: HashMap<ContactId, Vec<(Role, String)>> = HashMap::new();
        for (from, kind, to, from_uid, to_uid) in rows {
            let Some(kind) = RelationKind::parse(&kind) else {
                continue;
            };
            for (me, side, other_uid) in [(from, Side::From, &to_uid), (to, Side::To, &from_uid)] {
                related
                    .entry(me)
                    .or_default()
                    .push((Role::of(kind, side), other_uid.clone()));
            }
        }
        Ok(related
            .into_iter()
            .map(|(id, mut lines)| {
                lines.sort_by(|a, b| (a.0.rank(), &a.1).cmp(&(b.0.rank(), &b.1)));
                let lines = lines
                    .into_iter()
                    .map(|(role, uid)| (vcard_type(role), uid))
                    .collect();
                (id, lines)
            })
            .collect())
    }

    /// The photos of the contacts in `scope`, by contact.
    fn photos_in(
        &self,
        cte: &str,
        scope_param: &dyn rusqlite::ToSql,
    ) -> Result<HashMap<ContactId, ContactPhoto>> {
        let mut stmt = self.conn.prepare(&format!(
            "{cte} SELECT contact_id, mime, image FROM contact_photos WHERE contact_id IN (SELECT id FROM scope)"
        ))?;
        let photos = stmt
            .query_map([scope_param], |r| {
                Ok((
                    r.get::<ContactId>(0)?,
                    ContactPhoto {
                        mime: r.get(1)?,
                        bytes: r.get(2)?,
                    },
                ))
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(photos)
    }
}
