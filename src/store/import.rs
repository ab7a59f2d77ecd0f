//! Import into the database: plan first (a dry run that says, row by row, what will be created,
//! merged — and by which rule — or skipped), then apply the plan in one transaction as a
//! recorded batch that can be undone later.

use super::contacts::{
    insert_contact_indexing, load_contact, update_contact, update_contact_indexing,
};
use super::db::{Db, OptionalExtension as _};
use super::search::{BatchWrites, SearchIndexing};
use super::sql_types::{key_of, phone_key};
use super::{Result, Store, StoreError};
use crate::import::ImportedContact;
use crate::model::{ContactDraft, ContactId, ImportBatchId};
use chrono::{DateTime, Utc};
use rusqlite::params;
use std::collections::HashSet;

/// How an imported row was matched to a contact already in Rapport.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MatchRule {
    /// The card's vCard `UID` is a contact's: Rapport's own export read back, or a card from
    /// an address book that had it from Rapport.
    Uid,
    Email,
    Phone,
    NameAndOrganization,
}

impl MatchRule {
    pub fn label(self) -> &'static str {
        match self {
            MatchRule::Uid => "same UID",
            MatchRule::Email => "same e-mail",
            MatchRule::Phone => "same phone",
            MatchRule::NameAndOrganization => "same name and organization",
        }
    }
}

/// What the import will do with one contact from the file.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    Create,
    Merge {
        contact: ContactId,
        existing_name: String,
        rule: MatchRule,
        changes: Vec<String>,
        conflicts: Vec<String>,
    },
    /// Already in Rapport with nothing new.
    Unchanged {
        contact: ContactId,
        existing_name: String,
        rule: MatchRule,
    },
}

/// The dry run: one action per imported contact, in file order, and what becomes of the people
/// the file names beside them (`import_relations`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ImportPlan {
    pub actions: Vec<Action>,
    pub relations: super::import_relations::RelationsPlan,
}

impl ImportPlan {
    pub fn created(&self) -> usize {
        self.actions
            .iter()
            .filter(|a| matches!(a, Action::Create))
            .count()
    }
    pub fn merged(&self) -> usize {
        self.actions
            .iter()
            .filter(|a| matches!(a, Action::Merge { .. }))
            .count()
    }
    pub fn unchanged(&self) -> usize {
        self.actions
            .iter()
            .filter(|a| matches!(a, Action::Unchanged { .. }))
            .count()
    }
}

/// What undoing a batch did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UndoReport {
    pub removed: usize,
    pub restored: usize,
    /// Contacts left as they are because they changed after the import (named).
    pub kept: Vec<String>,
    /// Conversations a mail or calendar import made, removed.
    pub conversations: usize,
    /// Its conversations edited since, kept (by summary).
    pub kept_conversations: Vec<String>,
}

/// One past import, for the list of batches.
#[derive(Clone, Debug, PartialEq)]
pub struct BatchInfo {
    pub id: ImportBatchId,
    pub source_name: String,
    pub format: String,
    pub finished_at: Option<DateTime<Utc>>,
    pub undone_at: Option<DateTime<Utc>>,
    pub created: i64,
    pub merged: i64,
}

/// Every key an imported contact can match on (UID, e-mail, phone, name + organization), loaded
/// in four scans so that a large import asks SQLite only about rows that may match. A superset:
/// trashed contacts are included, and `find_match` has the final word.
struct KnownKeys {
    uids: HashSet<String>,
    emails: HashSet<String>,
    phones: HashSet<String>,
    names: HashSet<(String, String)>,
}

impl KnownKeys {
    /// Loads the keys when that costs less than one lookup per imported row: when the file has
    /// at least a quarter as many rows as the database has contacts.
    fn load_if_cheaper(conn: &Db, rows: usize) -> Result<Option<Self>> {
        let existing: i64 = conn.query_row("SELECT count(*) FROM contacts", (), |r| r.get(0))?;
        if (rows as i64) * 4 < existing {
            return Ok(None);
        }
        let column = |sql: &str| -> Result<HashSet<String>> {
            let mut stmt = conn.prepare(sql)?;
            let keys = stmt
                .query_map((), |r| r.get::<String>(0))?
                .collect::<rusqlite::Result<_>>()?;
            Ok(keys)
        };
        let mut stmt = conn.prepare(
            "SELECT c.sort_key, o.name_key FROM contacts c JOIN organizations o ON o.id = c.organization_id",
        )?;
        let names = stmt
            .query_map((), |r| Ok((r.get::<String>(0)?, r.get::<String>(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(Some(KnownKeys {
            uids: column("SELECT uid FROM contacts")?,
            emails: column("SELECT address_key FROM contact_emails")?,
            phones: column("SELECT number_key FROM contact_phones")?,
            names,
        }))
    }

    fn might_match(&self, draft: &ContactDraft) -> bool {
        self.uids.contains(draft.uid.trim())
            || draft
                .emails
                .iter()
                .any(|e| self.emails.contains(&key_of(&e.address)))
            || draft
                .phones
                .iter()
                .any(|p| self.phones.contains(&phone_key(&p.number)))
            || (!draft.organization.trim().is_empty()
                && self.names.contains(&(
                    key_of(&draft.effective_display_name()),
                    key_of(&draft.organization),
                )))
    }
}

impl Store {
    fn find_match(&self, draft: &ContactDraft) -> Result<Option<(ContactId, MatchRule)>> {
        // First, because a UID names one contact even after its e-mails and name changed.
        let uid = draft.uid.trim();
        if !uid.is_empty() {
            let found: Option<ContactId> = self
                .conn
                .prepare_cached("SELECT id FROM contacts WHERE uid = ?1 AND deleted_at IS NULL")?
                .query_row([uid], |r| r.get(0))
                .optional()?;
            if let Some(id) = found {
                return Ok(Some((id, MatchRule::Uid)));
            }
        }
        for email in &draft.emails {
            let found: Option<ContactId> = self
                .conn
                .prepare_cached(
                    "SELECT e.contact_id FROM contact_emails e JOIN contacts c ON c.id = e.contact_id
                     WHERE e.address_key = ?1 AND c.deleted_at IS NULL ORDER BY e.contact_id LIMIT 1",
                )?
                .query_row([key_of(&email.address)], |r| r.get(0))
                .optional()?;
            if let Some(id) = found {
                return Ok(Some((id, MatchRule::Email)));
            }
        }
        for phone in &draft.phones {
            let key = phone_key(&phone.number);
            if key.trim_start_matches('+').len() < 6 {
                continue;
            }
            let found: Option<ContactId> = self
                .conn
                .prepare_cached(
                    "SELECT p.contact_id FROM contact_phones p JOIN contacts c ON c.id = p.contact_id
                     WHERE p.number_key = ?1 AND c.deleted_at IS NULL ORDER BY p.contact_id LIMIT 1",
                )?
                .query_row([key], |r| r.get(0))
                .optional()?;
            if let Some(id) = found {
                return Ok(Some((id, MatchRule::Phone)));
            }
        }
        let name = draft.effective_display_name();
        if !name.is_empty() && !draft.organization.trim().is_empty() {
            let found: Option<ContactId> = self
                .conn
                .prepare_cached(
                    "SELECT c.id FROM contacts c JOIN organizations o ON o.id = c.organization_id
                     WHERE c.sort_key = ?1 AND o.name_key = ?2 AND c.deleted_at IS NULL ORDER BY c.id LIMIT 1",
                )?
                .query_row(params![key_of(&name), key_of(&draft.organization)], |r| r.get(0))
                .optional()?;
            if let Some(id) = found {
                return Ok(Some((id, MatchRule::NameAndOrganization)));
            }
        }
        Ok(None)
    }

    /// The dry run: matches every imported contact (by UID, then e-mail, then phone, then name
    /// and organization) and says what applying would change. Nothing is written.
    pub fn plan_import(&self, contacts: &[ImportedContact]) -> Result<ImportPlan> {
        let known = KnownKeys::load_if_cheaper(&self.conn, contacts.len())?;
        let mut found = Vec::with_capacity(contacts.len());
        for imported in contacts {
            let may_match = known
                .as_ref()
                .is_none_or(|known| known.might_match(&imported.draft));
            found.push(match may_match {
                true => self.find_match(&imported.draft)?,
                false => None,
            });
        }
        let matched: Vec<Option<ContactId>> = found.iter().map(|f| f.map(|(id, _)| id)).collect();
        let mut plan = ImportPlan {
            actions: Vec::with_capacity(contacts.len()),
            relations: super::import_relations::plan_relations(&self.conn, contacts, &matched)?,
        };
        let drafts = plan.drafts(contacts);
        for ((imported, draft), found) in contacts.iter().zip(&drafts).zip(found) {
            let action = match found {
                None => Action::Create,
                Some((id, rule)) => {
                    let existing = self.contact(id)?;
                    let mut merged = existing.draft.clone();
                    let report = merged.merge_from(draft);
                    if report.changes.is_empty() && imported.connected_on.is_none() {
                        Action::Unchanged {
                            contact: id,
                            existing_name: existing.draft.display_name,
                            rule,
                        }
                    } else {
                        Action::Merge {
                            contact: id,
                            existing_name: existing.draft.display_name,
                            rule,
                            changes: report.changes,
                            conflicts: report.conflicts,
                        }
                    }
                }
            };
            plan.actions.push(action);
        }
        Ok(plan)
    }

    /// Plans again and applies in one transaction, recorded as a batch that `undo_import` can
    /// reverse. Planning again (rather than trusting the preview) means a contact added since
    /// the preview is merged into, not duplicated.
    pub fn apply_import(
        &mut self,
        source_name: &str,
        format: &str,
        contacts: &[ImportedContact],
    ) -> Result<(ImportBatchId, ImportPlan)> {
        self.apply_import_with_progress(source_name, format, contacts, &mut |_, _| true)
    }

    /// Like `apply_import`, calling `progress(done, total)` every few hundred contacts; when it
    /// returns false the import is cancelled and the transaction rolled back — nothing changes.
    pub fn apply_import_with_progress(
        &mut self,
        source_name: &str,
        format: &str,
        contacts: &[ImportedContact],
        progress: &mut dyn FnMut(usize, usize) -> bool,
    ) -> Result<(ImportBatchId, ImportPlan)> {
        let total = contacts.len();
        if !progress(0, total) {
            return Err(StoreError::Cancelled);
        }
        let plan = self.plan_import(contacts)?;
        let now = self.now();
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO import_batches (source_name, format, started_at) VALUES (?1, ?2, ?3)",
            params![source_name, format, now],
        )?;
        let batch = ImportBatchId(tx.last_insert_id("import_batches")?);
        let mut created = 0i64;
        let mut merged = 0i64;
        let mut writes = BatchWrites::default();
        let drafts = plan.drafts(contacts);
        let mut ids = Vec::with_capacity(contacts.len());
        for (index, (imported, action)) in contacts.iter().zip(&plan.actions).enumerate() {
            let imported_draft: &ContactDraft = &drafts[index];
            if index % 250 == 0 && !progress(index, total) {
                // Dropping the transaction rolls every row back.
                return Err(StoreError::Cancelled);
            }
            let contact = match action {
                // The contact row carries the batch id: undo finds what the import created by it.
                Action::Create => {
                    created += 1;
                    insert_contact_indexing(
                        &tx,
                        imported_draft,
                        "import",
                        now,
                        Some(batch),
                        &mut SearchIndexing::Later(&mut writes),
                    )?
                }
                Action::Merge { contact, .. } => {
                    let existing = load_contact(&tx, *contact)?.ok_or(StoreError::NotFound {
                        what: "contact",
                        id: contact.0,
                    })?;
                    let mut draft = existing.draft.clone();
                    draft.merge_from(imported_draft);
                    let previous = serde_json::to_string(&existing.draft)
                        .map_err(|e| StoreError::Invalid(e.to_string()))?;
                    tx.prepare_cached(
                        "INSERT INTO import_batch_changes (batch_id, contact_id, action, previous_json) VALUES (?1, ?2, 'merged', ?3) ON CONFLICT DO NOTHING",
                    )?
                    .execute(params![batch, contact, previous])?;
                    update_contact_indexing(
                        &tx,
                        *contact,
                        &draft,
                        now,
                        &mut SearchIndexing::Later(&mut writes),
                    )?;
                    merged += 1;
                    *contact
                }
                Action::Unchanged { contact, .. } => *contact,
            };
            ids.push(contact);
            // Only a contact the import creates gets the file's photo: undoing the import
            // removes it with the contact, while a merged contact's photo would outlive it.
            if let (Action::Create, Some(bytes)) = (action, &imported.photo) {
                store_imported_photo(&tx, contact, bytes, now)?;
            }
            if let Some(date) = imported.connected_on {
                tx.prepare_cached(
                    "INSERT INTO life_events (contact_id, occurred_on, kind, description, created_at) VALUES (?1, ?2, 'Connected on LinkedIn', '', ?3)",
                )?
                .execute(params![contact, date.to_string(), now])?;
            }
        }
        super::import_relations::write_relations(&tx, &plan.relations, &ids, now)?;
        // The search documents, together: FTS5 then builds its index in large runs.
        writes.finish(&tx)?;
        tx.execute(
            "UPDATE import_batches SET finished_at = ?2, created_count = ?3, merged_count = ?4, skipped_count = ?5 WHERE id = ?1",
            params![batch, now, created, merged, plan.unchanged() as i64],
        )?;
        tx.commit()?;
        progress(total, total);
        Ok((batch, plan))
    }

    /// Past imports, newest first.
    pub fn import_batches(&self) -> Result<Vec<BatchInfo>> {
        let rows = self
            .conn
            .prepare_cached(
                "SELECT id, source_name, format, finished_at, undone_at, created_count, merged_count
                 FROM import_batches ORDER BY id DESC",
            )?
            .query_map((), |r| {
                Ok(BatchInfo {
                    id: r.get(0)?,
                    source_name: r.get(1)?,
                    format: r.get(2)?,
                    finished_at: r.get(3)?,
                    undone_at: r.get(4)?,
                    created: r.get(5)?,
                    merged: r.get(6)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Undoes an import: removes the contacts it created and restores the ones it merged into,
    /// in one transaction. Contacts changed after the import (edited, or with conversations
    /// logged since) are kept as they are and named in the report.
    pub fn undo_import(&mut self, batch: ImportBatchId) -> Result<UndoReport> {
        let now = self.now();
        let tx = self.conn.transaction()?;
        let (finished, undone): (Option<DateTime<Utc>>, Option<String>) = tx
            .query_row(
                "SELECT finished_at, undone_at FROM import_batches WHERE id = ?1",
                [batch],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?
            .ok_or(StoreError::NotFound {
                what: "import",
                id: batch.0,
            })?;
        if undone.is_some() {
            return Err(StoreError::Invalid(
                "This import was already undone.".to_owned(),
            ));
        }
        let finished = finished.unwrap_or(now);
        // A mail or calendar import's conversations first: the contacts it made are then no
        // longer "talked to since".
        let (conversations, kept_conversations) =
            super::conversation_import::undo_conversations(&tx, batch, finished)?;
        // Contacts the import created carry its batch id (imports made before that also have
        // a 'created' change row); merged ones have their previous state in a change row.
        let changes: Vec<(ContactId, String, Option<String>)> = tx
            .prepare(
                "SELECT id, 'created', NULL FROM contacts WHERE import_batch_id = ?1
                   AND id NOT IN (SELECT contact_id FROM import_batch_changes WHERE batch_id = ?1)
                 UNION ALL
                 SELECT contact_id, action, previous_json FROM import_batch_changes WHERE batch_id = ?1",
            )?
            .query_map([batch], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let mut report = UndoReport {
            conversations,
            kept_conversations,
            ..UndoReport::default()
        };
        for (contact, action, previous) in changes {
            let Some(current) = load_contact(&tx, contact)? else {
                continue;
            };
            let touched_since: bool = tx.query_row(
                "SELECT EXISTS(SELECT 1 FROM interaction_participants WHERE contact_id = ?1)
                    OR EXISTS(SELECT 1 FROM follow_ups WHERE contact_id = ?1)",
                [contact],
                |r| r.get(0),
            )?;
            let edited_since = current.updated_at > finished;
            match action.as_str() {
                "created" if !edited_since && !touched_since => {
                    super::contacts::delete_contact_row(&tx, contact)?;
                    report.removed += 1;
                }
                "merged" if !edited_since => {
                    let Some(json) = previous else { continue };
                    let draft: ContactDraft = serde_json::from_str(&json)
                        .map_err(|e| StoreError::Invalid(e.to_string()))?;
                    update_contact(&tx, contact, &draft, now)?;
                    report.restored += 1;
                }
                _ => report.kept.push(current.draft.display_name),
            }
        }
        tx.execute(
            "DELETE FROM life_events WHERE kind = 'Connected on LinkedIn' AND created_at = (SELECT started_at FROM import_batches WHERE id = ?1)",
            [batch],
        )?;
        super::import_relations::undo_relations(&tx, batch)?;
        remove_unused_made_by(&tx, batch)?;
        tx.execute(
            "UPDATE import_batches SET undone_at = ?2 WHERE id = ?1",
            params![batch, now],
        )?;
        tx.commit()?;
        Ok(report)
    }

    /// The column mapping the user chose for files with this header signature.
    pub fn saved_mapping(&self, signature: &str) -> Option<Vec<crate::import::Column>> {
        let json: Option<String> = self
            .conn
            .prepare_cached("SELECT mapping_json FROM import_mappings WHERE header_signature = ?1")
            .ok()?
            .query_row([signature], |r| r.get(0))
            .optional()
            .ok()?;
        json.and_then(|j| serde_json::from_str(&j).ok())
    }

    /// Remembers a column mapping for files with this header signature.
    pub fn save_mapping(
        &mut self,
        signature: &str,
        mapping: &[crate::import::Column],
    ) -> Result<()> {
        let json =
            serde_json::to_string(mapping).map_err(|e| StoreError::Invalid(e.to_string()))?;
        self.conn.execute(
            "INSERT INTO import_mappings (header_signature, mapping_json) VALUES (?1, ?2)
             ON CONFLICT (header_signature) DO UPDATE SET mapping_json = excluded.mapping_json",
            params![signature, json],
        )?;
        Ok(())
    }
}

/// Removes what an import made only for the contacts it brought in, once undoing it left them
/// unused: organizations created in the batch (their `created_at` is its start) and tags that
/// carry nothing (no contact, colour or cadence; tags keep no time, and such a tag holds
/// nothing the user made). Anything still in use stays.
/// Writes a card's photo; one that is no image Rapport can read is left out, not the contact.
fn store_imported_photo(
    tx: &Db,
    contact: ContactId,
    bytes: &[u8],
    now: chrono::DateTime<chrono::Utc>,
) -> Result<()> {
    match super::photos::prepare_photo(bytes) {
        Ok(prepared) => super::photos::write_photo(tx, contact, &prepared, now),
        Err(e) => {
            tracing::warn!(
                "import: the photo of contact {} was left out: {e}",
                contact.0
            );
            Ok(())
        }
    }
}

fn remove_unused_made_by(tx: &Db, batch: ImportBatchId) -> Result<()> {
    const UNUSED_ORGANIZATIONS: &str = "SELECT o.id FROM organizations o
         WHERE o.created_at = (SELECT started_at FROM import_batches WHERE id = ?1)
           AND NOT EXISTS (SELECT 1 FROM contacts c WHERE c.organization_id = o.id)
           AND NOT EXISTS (SELECT 1 FROM follow_ups f WHERE f.organization_id = o.id)";
    tx.execute(
        &format!("DELETE FROM organization_fts WHERE rowid IN ({UNUSED_ORGANIZATIONS})"),
        [batch],
    )?;
    tx.execute(
        &format!("DELETE FROM organizations WHERE id IN ({UNUSED_ORGANIZATIONS})"),
        [batch],
    )?;
    tx.execute(
        "DELETE FROM tags WHERE color IS NULL AND cadence_days IS NULL
           AND NOT EXISTS (SELECT 1 FROM contact_tags ct WHERE ct.tag_id = tags.id)",
        (),
    )?;
    Ok(())
}
