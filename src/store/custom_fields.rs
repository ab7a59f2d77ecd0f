//! Custom fields: the owner's definitions (`custom_fields`), a contact's values
//! (`contact_field_values`) and an organization's (`organization_field_values`), and the
//! follow-up a reminding date field keeps for each contact (`follow_ups.field_id`).
//!
//! A contact's values travel in its draft (`ContactDraft::custom_fields`, by field name), so
//! the contact's save writes them in its own transaction (`write_contact_values`, called by
//! the contact row writers) and undo's image of a contact holds them and its reminders. Every
//! change to a definition is recorded as an undo step of its own (`Part::CustomField`,
//! `Part::FieldValues`). On a team database only owners may change definitions: the server
//! refuses anyone else, and the refusal becomes a sentence (`owner_only`).
//!
//! Where things are: the definitions here; a contact's values, reminders, the list filter, a
//! report's fields and the reindex after an undo in `custom_fields/values.rs`.

mod values;

use values::reindex_contacts;
pub(super) use values::{
    add_report_fields, contact_values, filter_condition, reindex_after_undo, sync_reminder,
    write_contact_values,
};

use super::contacts::{load_contact, update_contact};
use super::db::{Db, OptionalExtension as _, params_from_iter};
use super::undo::{Change, Part};
use super::{Result, Store, StoreError};
use crate::model::custom_field::{
    AppliesTo, CustomField, FieldDefinition, FieldId, FieldKind, checked_choices, checked_name,
    checked_remind_days, find,
};
use crate::model::{ContactId, OrganizationId};
use rusqlite::params;
use rusqlite::types::{FromSql, FromSqlResult, ToSql, ToSqlOutput, ValueRef};
use std::collections::{BTreeMap, HashMap};

impl ToSql for FieldId {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.0))
    }
}

impl FromSql for FieldId {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        i64::column_result(value).map(FieldId)
    }
}

/// How much a field holds: its values, and the open follow-ups it keeps (a reminding date).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FieldUsage {
    pub values: usize,
    pub open_reminders: usize,
}

const FIELD_COLUMNS: &str = "id, applies_to, name, kind, choices, position, remind_days_before";

fn field_from_row(r: &super::db::Row<'_, '_>) -> rusqlite::Result<CustomField> {
    let applies: String = r.get(1)?;
    let kind: String = r.get(3)?;
    let choices: String = r.get(4)?;
    Ok(CustomField {
        id: r.get(0)?,
        applies_to: AppliesTo::parse(&applies).unwrap_or_default(),
        name: r.get(2)?,
        // A kind this version does not know reads as text: shown, never lost.
        kind: FieldKind::parse(&kind).unwrap_or(FieldKind::Text),
        choices: choices.lines().map(str::to_owned).collect(),
        position: r.get(5)?,
        remind_days_before: r.get(6)?,
    })
}

/// The fields of one kind of record, in their order.
pub(super) fn fields_of(conn: &Db, applies: AppliesTo) -> Result<Vec<CustomField>> {
    let fields = conn
        .prepare_cached(&format!(
            "SELECT {FIELD_COLUMNS} FROM custom_fields WHERE applies_to = ?1 ORDER BY position, id"
        ))?
        .query_map([applies.as_str()], field_from_row)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(fields)
}

fn field_by_id(conn: &Db, id: FieldId) -> Result<CustomField> {
    conn.prepare_cached(&format!(
        "SELECT {FIELD_COLUMNS} FROM custom_fields WHERE id = ?1"
    ))?
    .query_row([id], field_from_row)
    .optional()?
    .ok_or(StoreError::NotFound {
        what: "custom field",
        id: id.0,
    })
}

/// The server's refusal of a change to the definitions, in words.
fn owner_only(error: StoreError) -> StoreError {
    match error {
        StoreError::NotAllowed(_) => StoreError::NotAllowed(
            "Only the team's owners define custom fields (members fill them in); ask an owner. Nothing was changed.".to_owned(),
        ),
        other => other,
    }
}

/// Refuses a second field of the same name for the same kind of record.
fn name_is_free(tx: &Db, applies: AppliesTo, name: &str, except: Option<FieldId>) -> Result<()> {
    let taken: Option<String> = tx
        .prepare_cached(
            "SELECT name FROM custom_fields WHERE applies_to = ?1 AND name = ?2 AND id <> ?3",
        )?
        .query_row(
            params![applies.as_str(), name, except.map_or(0, |f| f.0)],
            |r| r.get(0),
        )
        .optional()?;
    match taken {
        Some(taken) => Err(StoreError::Invalid(format!(
            "There is already a field called \"{taken}\" for {}; choose another name.",
            applies.label().to_lowercase()
        ))),
        None => Ok(()),
    }
}

impl Store {
    /// The fields of contacts or of organizations, in the form's order.
    pub fn custom_fields(&self, applies: AppliesTo) -> Result<Vec<CustomField>> {
        fields_of(&self.conn, applies)
    }

    /// One field by its name (without case), if there is one.
    pub fn custom_field_named(
        &self,
        applies: AppliesTo,
        name: &str,
    ) -> Result<Option<CustomField>> {
        Ok(find(&fields_of(&self.conn, applies)?, name).cloned())
    }

    /// Defines a new field, last in the order.
    pub fn define_field(&mut self, definition: &FieldDefinition) -> Result<(CustomField, Change)> {
        let definition = definition.checked().map_err(StoreError::Invalid)?;
        let now = self.now();
        self.write(|tx| {
            Store::created_in(tx, |tx| {
                name_is_free(tx, definition.applies_to, &definition.name, None)?;
                let position: i64 = tx.query_row(
                    "SELECT COALESCE(MAX(position) + 1, 0) FROM custom_fields WHERE applies_to = ?1",
                    [definition.applies_to.as_str()],
                    |r| r.get(0),
                )?;
                let kind = definition.kind.unwrap_or(FieldKind::Text);
                tx.execute(
                    "INSERT INTO custom_fields (applies_to, name, kind, choices, position,
                     remind_days_before, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                    params![
                        definition.applies_to.as_str(),
                        definition.name,
                        kind.as_str(),
                        definition.choices.join("\n"),
                        position,
                        definition.remind_days_before,
                        now
                    ],
                )?;
                let id = FieldId(tx.last_insert_id("custom_fields")?);
                let field = field_by_id(tx, id)?;
                Ok((field, vec![Part::CustomField(id), Part::FieldValues(id)]))
            })
        })
        .map_err(owner_only)
    }

    /// Gives a field another name; its values stay. The open follow-ups it keeps are
    /// renamed too, and the search documents of the contacts with a value are written again
    /// (they hold the field's name).
    pub fn rename_field(&mut self, id: FieldId, name: &str) -> Result<Change> {
        let name = checked_name(name).map_err(StoreError::Invalid)?;
        self.write(|tx| {
            let field = field_by_id(tx, id)?;
            let parts = [Part::CustomField(id), Part::FieldValues(id)];
            let ((), change) = Store::recorded_in(tx, &parts, |tx| {
                name_is_free(tx, field.applies_to, &name, Some(id))?;
                tx.execute(
                    "UPDATE custom_fields SET name = ?2 WHERE id = ?1",
                    params![id, name],
                )?;
                let open: Vec<(i64, String)> = tx
                    .prepare_cached(
                        "SELECT id, text FROM follow_ups WHERE field_id = ?1 AND status = 'open'",
                    )?
                    .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
                    .collect::<rusqlite::Result<_>>()?;
                for (follow_up, text) in open {
                    if let Some(rest) = text.strip_prefix(field.name.as_str()) {
                        tx.execute(
                            "UPDATE follow_ups SET text = ?2 WHERE id = ?1",
                            params![follow_up, format!("{name}{rest}")],
                        )?;
                    }
                }
                reindex_contacts(tx, &contacts_with(tx, id)?)
            })?;
            Ok(change)
        })
        .map_err(owner_only)
    }

    /// Moves a field one place up (`-1`) or down (`1`) among its kind's; `None` when it is
    /// first or last already.
    pub fn move_field(&mut self, id: FieldId, by: i64) -> Result<Option<Change>> {
        self.write(|tx| {
            let field = field_by_id(tx, id)?;
            let fields = fields_of(tx, field.applies_to)?;
            let at = fields.iter().position(|f| f.id == id).unwrap_or(0) as i64;
            let Some(other) = usize::try_from(at + by).ok().and_then(|i| fields.get(i)) else {
                return Ok(None);
            };
            let parts = [Part::CustomField(id), Part::CustomField(other.id)];
            let ((), change) = Store::recorded_in(tx, &parts, |tx| {
                // Positions may have gaps or ties (fields removed, two owners at once): the
                // two take each other's place in the order as listed.
                let (mine, theirs) = (at, at + by);
                for (field, position) in [(id, theirs), (other.id, mine)] {
                    tx.execute(
                        "UPDATE custom_fields SET position = ?2 WHERE id = ?1",
                        params![field, position],
                    )?;
                }
                for (index, f) in fields.iter().enumerate() {
                    if f.id != id && f.id != other.id && f.position != index as i64 {
                        tx.execute(
                            "UPDATE custom_fields SET position = ?2 WHERE id = ?1",
                            params![f.id, index as i64],
                        )?;
                    }
                }
                Ok(())
            })?;
            Ok(Some(change))
        })
        .map_err(owner_only)
    }

    /// Changes a field's choices (a choice list) and how many days before its date it reminds
    /// (a contact's date field). A choice some contact has cannot be taken away: they would
    /// hold a value the field no longer offers. The open reminders move with the days (made
    /// for dates still ahead when reminding is turned on, removed when it is turned off).
    pub fn change_field(
        &mut self,
        id: FieldId,
        choices: &[String],
        remind_days_before: Option<i64>,
    ) -> Result<Change> {
        let now = self.now();
        self.write(|tx| {
            let field = field_by_id(tx, id)?;
            let choices = if field.kind == FieldKind::Choice {
                checked_choices(&field.name, choices).map_err(StoreError::Invalid)?
            } else {
                Vec::new()
            };
            let remind = checked_remind_days(
                &field.name,
                field.kind,
                field.applies_to,
                remind_days_before,
            )
            .map_err(StoreError::Invalid)?;
            for gone in field.choices.iter().filter(|c| !choices.contains(c)) {
                let holders = values_equal(tx, field.applies_to, id, gone)?;
                if holders > 0 {
                    return Err(StoreError::Invalid(format!(
                        "{holders} {} \"{gone}\" as {}; give them another value first, or keep \"{gone}\" in the list.",
                        if holders == 1 { "has" } else { "have" },
                        field.name
                    )));
                }
            }
            let ((), change) = Store::recorded_in(tx, &[Part::CustomField(id)], |tx| {
                tx.execute(
                    "UPDATE custom_fields SET choices = ?2, remind_days_before = ?3 WHERE id = ?1",
                    params![id, choices.join("\n"), remind],
                )?;
                if remind != field.remind_days_before {
                    let changed = field_by_id(tx, id)?;
                    for (contact, value) in contact_values_of_field(tx, id)? {
                        sync_reminder(tx, contact, &changed, Some(&value), now)?;
                    }
                }
                Ok(())
            })?;
            Ok(change)
        })
        .map_err(owner_only)
    }

    /// How many values a field holds and how many open follow-ups it keeps: what removing
    /// it would take away (the window says so before it asks).
    pub fn field_usage(&self, id: FieldId) -> Result<FieldUsage> {
        let field = field_by_id(&self.conn, id)?;
        let table = values_table(field.applies_to);
        let values: i64 = self.conn.query_row(
            &format!("SELECT COUNT(*) FROM {table} WHERE field_id = ?1"),
            [id],
            |r| r.get(0),
        )?;
        let open: i64 = self.conn.query_row(
            "SELECT COUNT(*) FROM follow_ups WHERE field_id = ?1 AND status = 'open'",
            [id],
            |r| r.get(0),
        )?;
        Ok(FieldUsage {
            values: values as usize,
            open_reminders: open as usize,
        })
    }

    /// Removes a field with every value it holds. The follow-ups it made stay as ordinary
    /// follow-ups (a promise to oneself is not taken away with a column): they only forget
    /// which field made them.
    pub fn remove_field(&mut self, id: FieldId) -> Result<(FieldUsage, Change)> {
        let usage = self.field_usage(id)?;
        self.write(|tx| {
            let made: Vec<crate::model::FollowUpId> = tx
                .prepare_cached("SELECT id FROM follow_ups WHERE field_id = ?1 ORDER BY id")?
                .query_map([id], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            let mut parts = vec![Part::CustomField(id), Part::FieldValues(id)];
            parts.extend(made.into_iter().map(Part::FollowUp));
            let ((), change) = Store::recorded_in(tx, &parts, |tx| {
                let holders = contacts_with(tx, id)?;
                // No foreign key in the file: the store lets go of the follow-ups itself.
                tx.execute(
                    "UPDATE follow_ups SET field_id = NULL WHERE field_id = ?1",
                    [id],
                )?;
                tx.execute("DELETE FROM contact_field_values WHERE field_id = ?1", [id])?;
                tx.execute(
                    "DELETE FROM organization_field_values WHERE field_id = ?1",
                    [id],
                )?;
                tx.execute("DELETE FROM custom_fields WHERE id = ?1", [id])?;
                reindex_contacts(tx, &holders)
            })?;
            Ok((usage, change))
        })
        .map_err(owner_only)
    }

    /// Sets some of a contact's values (`NAME`, typed value; a blank value clears it), as an
    /// edit of the contact: one transaction, a new version, its search document and
    /// reminders, recorded for undo. Nothing is written if any value is not one of its field.
    pub fn set_contact_fields(
        &mut self,
        id: ContactId,
        values: &[(String, String)],
    ) -> Result<Change> {
        let now = self.now();
        self.write(|tx| {
            let fields = fields_of(tx, AppliesTo::Contact)?;
            let ((), change) = Store::recorded_in(tx, &[Part::Contact(id)], |tx| {
                let contact = load_contact(tx, id)?.ok_or(StoreError::NotFound {
                    what: "contact",
                    id: id.0,
                })?;
                let mut draft = contact.draft;
                for (name, typed) in values {
                    let field = find(&fields, name).ok_or_else(|| no_such_field(name, &fields))?;
                    match field.canonical(typed).map_err(StoreError::Invalid)? {
                        Some(value) => draft.custom_fields.insert(field.name.clone(), value),
                        None => draft.custom_fields.remove(&field.name),
                    };
                }
                update_contact(tx, id, &draft, now)
            })?;
            Ok(change)
        })
    }

    /// An organization's values, by field name.
    pub fn organization_field_values(
        &self,
        organization: OrganizationId,
    ) -> Result<BTreeMap<String, String>> {
        let values = self
            .conn
            .prepare_cached(
                "SELECT f.name, v.value FROM organization_field_values v
                 JOIN custom_fields f ON f.id = v.field_id WHERE v.organization_id = ?1",
            )?
            .query_map([organization], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(values)
    }

    /// Replaces an organization's values with `values` (by field name, as typed; blank ones
    /// are cleared), as one undoable step; nothing is written if one is not a value of its
    /// field.
    pub fn set_organization_fields(
        &mut self,
        organization: OrganizationId,
        values: &BTreeMap<String, String>,
    ) -> Result<Change> {
        self.write(|tx| {
            let fields = fields_of(tx, AppliesTo::Organization)?;
            let mut rows = Vec::new();
            for (name, typed) in values {
                let field = find(&fields, name).ok_or_else(|| no_such_field(name, &fields))?;
                if let Some(value) = field.canonical(typed).map_err(StoreError::Invalid)? {
                    rows.push((field.id, value));
                }
            }
            let parts = [Part::OrganizationFields(organization)];
            let ((), change) = Store::recorded_in(tx, &parts, |tx| {
                tx.execute(
                    "DELETE FROM organization_field_values WHERE organization_id = ?1",
                    [organization],
                )?;
                for (field, value) in &rows {
                    tx.execute(
                        "INSERT INTO organization_field_values (organization_id, field_id, value)
                         VALUES (?1, ?2, ?3)",
                        params![organization, field, value],
                    )?;
                }
                Ok(())
            })?;
            Ok(change)
        })
    }

    /// The values of a page of contacts, by contact and field name (contacts without any are
    /// left out).
    pub fn field_values_for(
        &self,
        contacts: &[ContactId],
    ) -> Result<HashMap<ContactId, BTreeMap<String, String>>> {
        let mut found: HashMap<ContactId, BTreeMap<String, String>> = HashMap::new();
        for chunk in contacts.chunks(500) {
            let marks = vec!["?"; chunk.len()].join(", ");
            let mut stmt = self.conn.prepare(&format!(
                "SELECT v.contact_id, f.name, v.value FROM contact_field_values v
                 JOIN custom_fields f ON f.id = v.field_id WHERE v.contact_id IN ({marks})"
            ))?;
            let rows = stmt
                .query_map(params_from_iter(chunk), |r| {
                    Ok((r.get::<ContactId>(0)?, r.get(1)?, r.get(2)?))
                })?
                .collect::<rusqlite::Result<Vec<(ContactId, String, String)>>>()?;
            for (contact, name, value) in rows {
                found.entry(contact).or_default().insert(name, value);
            }
        }
        Ok(found)
    }
}

fn values_table(applies: AppliesTo) -> &'static str {
    match applies {
        AppliesTo::Contact => "contact_field_values",
        AppliesTo::Organization => "organization_field_values",
    }
}

/// How many records hold exactly `value` in field `id`.
fn values_equal(tx: &Db, applies: AppliesTo, id: FieldId, value: &str) -> Result<i64> {
    tx.query_row(
        &format!(
            "SELECT COUNT(*) FROM {} WHERE field_id = ?1 AND value = ?2",
            values_table(applies)
        ),
        params![id, value],
        |r| r.get(0),
    )
}

fn no_such_field(name: &str, fields: &[CustomField]) -> StoreError {
    let known: Vec<&str> = fields.iter().map(|f| f.name.as_str()).collect();
    StoreError::Invalid(if known.is_empty() {
        format!("There is no field called \"{name}\" (none are defined yet); nothing was saved.")
    } else {
        format!(
            "There is no field called \"{name}\" (renamed or removed since?); the fields are: {}. Nothing was saved.",
            known.join(", ")
        )
    })
}

/// The contacts with a value in field `id`.
fn contacts_with(tx: &Db, id: FieldId) -> Result<Vec<ContactId>> {
    let ids = tx
        .prepare_cached("SELECT contact_id FROM contact_field_values WHERE field_id = ?1")?
        .query_map([id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(ids)
}

fn contact_values_of_field(tx: &Db, id: FieldId) -> Result<Vec<(ContactId, String)>> {
    let rows = tx
        .prepare_cached("SELECT contact_id, value FROM contact_field_values WHERE field_id = ?1")?
        .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}
