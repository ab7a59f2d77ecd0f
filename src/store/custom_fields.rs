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

use super::contacts::{load_contact, update_contact};
use super::db::{Db, OptionalExtension as _, params_from_iter};
use super::search::{BatchWrites, SearchIndexing, contact_search_row};
use super::undo::{Change, Part};
use super::{Result, Store, StoreError};
use crate::model::custom_field::{
    AppliesTo, CustomField, FieldDefinition, FieldFilter, FieldId, FieldKind, FieldMatch,
    checked_choices, checked_name, checked_remind_days, find,
};
use crate::model::{ContactId, FollowUpDraft, Initiator, OrganizationId};
use chrono::{DateTime, Utc};
use rusqlite::params;
use rusqlite::types::{FromSql, FromSqlResult, ToSql, ToSqlOutput, Value, ValueRef};
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

/// A contact's values by field name (for its draft).
pub(super) fn contact_values(conn: &Db, id: ContactId) -> Result<BTreeMap<String, String>> {
    let values = conn
        .prepare_cached(
            "SELECT f.name, v.value FROM contact_field_values v
             JOIN custom_fields f ON f.id = v.field_id WHERE v.contact_id = ?1",
        )?
        .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(values)
}

/// Writes contact `id`'s values from its draft (`values`, by field name, as typed), replacing
/// what it had (`replace`: an existing contact), and makes, moves or removes the follow-up of
/// each reminding date field whose value changed. Returns the values in canonical form (for
/// the search document). A name that is no field, or a value its field cannot hold, is
/// refused with a sentence, and the caller's transaction writes nothing.
pub(super) fn write_contact_values(
    tx: &Db,
    id: ContactId,
    values: &BTreeMap<String, String>,
    replace: bool,
    now: DateTime<Utc>,
) -> Result<BTreeMap<String, String>> {
    if !replace && values.is_empty() {
        return Ok(BTreeMap::new());
    }
    let old: BTreeMap<FieldId, String> = if replace {
        tx.prepare_cached("SELECT field_id, value FROM contact_field_values WHERE contact_id = ?1")?
            .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?
    } else {
        BTreeMap::new()
    };
    if old.is_empty() && values.is_empty() {
        return Ok(BTreeMap::new());
    }
    let fields = fields_of(tx, AppliesTo::Contact)?;
    let mut wanted: BTreeMap<FieldId, String> = BTreeMap::new();
    let mut canonical = BTreeMap::new();
    for (name, typed) in values {
        let field = find(&fields, name).ok_or_else(|| no_such_field(name, &fields))?;
        if let Some(value) = field.canonical(typed).map_err(StoreError::Invalid)? {
            canonical.insert(field.name.clone(), value.clone());
            wanted.insert(field.id, value);
        }
    }
    if old == wanted {
        return Ok(canonical);
    }
    for field in old.keys().filter(|f| !wanted.contains_key(f)) {
        tx.prepare_cached(
            "DELETE FROM contact_field_values WHERE contact_id = ?1 AND field_id = ?2",
        )?
        .execute(params![id, field])?;
    }
    for (field, value) in wanted.iter().filter(|(f, v)| old.get(f) != Some(v)) {
        tx.prepare_cached(
            "INSERT INTO contact_field_values (contact_id, field_id, value) VALUES (?1, ?2, ?3)
             ON CONFLICT (contact_id, field_id) DO UPDATE SET value = excluded.value",
        )?
        .execute(params![id, field, value])?;
    }
    for field in fields.iter().filter(|f| f.remind_days_before.is_some()) {
        let (then, now_value) = (old.get(&field.id), wanted.get(&field.id));
        if then != now_value {
            sync_reminder(tx, id, field, now_value.map(String::as_str), now)?;
        }
    }
    Ok(canonical)
}

/// Keeps one open follow-up for `contact`'s date in `field` (a reminding date field): made
/// when the date is set and has not passed, moved when it changes, removed when it is
/// cleared or has passed. A reminder already done or cancelled is left as it is.
fn sync_reminder(
    tx: &Db,
    contact: ContactId,
    field: &CustomField,
    value: Option<&str>,
    now: DateTime<Utc>,
) -> Result<()> {
    let today = now.date_naive();
    let wanted = value
        .filter(|v| crate::model::custom_field::parse_date(v).is_some_and(|d| d >= today))
        .and_then(|v| field.reminder(v));
    let open: Option<i64> = tx
        .prepare_cached(
            "SELECT id FROM follow_ups WHERE contact_id = ?1 AND field_id = ?2 AND status = 'open'
             ORDER BY id LIMIT 1",
        )?
        .query_row(params![contact, field.id], |r| r.get(0))
        .optional()?;
    match (wanted, open) {
        (Some((due, text)), Some(follow_up)) => {
            tx.prepare_cached(
                "UPDATE follow_ups SET due_date = ?2, text = ?3, updated_at = ?4 WHERE id = ?1",
            )?
            .execute(params![follow_up, due.to_string(), text, now])?;
        }
        (Some((due, text)), None) => {
            let draft = FollowUpDraft {
                contact_id: contact,
                organization_id: None,
                interaction_id: None,
                text,
                notes: String::new(),
                due_date: due,
                due_time: None,
                promised_by: Initiator::Me,
                repeat: None,
            };
            let made = super::follow_ups::insert_follow_up(tx, &draft, now)?;
            tx.prepare_cached("UPDATE follow_ups SET field_id = ?2 WHERE id = ?1")?
                .execute(params![made, field.id])?;
        }
        (None, Some(follow_up)) => {
            tx.prepare_cached("DELETE FROM follow_ups WHERE id = ?1")?
                .execute([follow_up])?;
        }
        (None, None) => {}
    }
    Ok(())
}

/// The condition (and its values) that narrows the contact list to `filter`, for
/// `contact_list::filtered_where`: the values are looked up in the index on
/// `(field_id, value)`, so the cost follows the field's values, not the number of contacts.
pub(super) fn filter_condition(filter: &FieldFilter) -> (String, Vec<Value>) {
    let field = Value::Integer(filter.field.0);
    let select = "SELECT v.contact_id FROM contact_field_values v WHERE v.field_id = ?";
    match &filter.wanted {
        FieldMatch::Is(value) => (
            format!(" AND c.id IN ({select} AND v.value = ?)"),
            vec![field, Value::Text(value.clone())],
        ),
        FieldMatch::Contains(words) => {
            let pattern = format!(
                "%{}%",
                words
                    .trim()
                    .replace('\\', "\\\\")
                    .replace('%', "\\%")
                    .replace('_', "\\_")
            );
            (
                format!(" AND c.id IN ({select} AND lower(v.value) LIKE lower(?) ESCAPE '\\')"),
                vec![field, Value::Text(pattern)],
            )
        }
        FieldMatch::Between { from, to } => {
            let mut sql = format!(" AND c.id IN ({select}");
            let mut values = vec![field];
            for (bound, op) in [(from, ">="), (to, "<=")] {
                let Some(bound) = bound else { continue };
                if filter.kind == FieldKind::Number {
                    // The field's values are all numbers: a number compares as one.
                    sql.push_str(&format!(" AND CAST(v.value AS DOUBLE PRECISION) {op} ?"));
                    values.push(Value::Real(bound.parse().unwrap_or(0.0)));
                } else {
                    // Dates as YYYY-MM-DD order as text, within the index.
                    sql.push_str(&format!(" AND v.value {op} ?"));
                    values.push(Value::Text(bound.clone()));
                }
            }
            sql.push(')');
            (sql, values)
        }
    }
}

/// Gives each person of a report (`people`, gathered for the scope in `cte`) their custom
/// fields in words, in the fields' order: one query for the whole scope.
pub(super) fn add_report_fields(
    conn: &Db,
    cte: &str,
    scope_param: &Value,
    people: &mut [crate::model::ReportPerson],
) -> Result<()> {
    let fields = fields_of(conn, AppliesTo::Contact)?;
    if fields.is_empty() {
        return Ok(());
    }
    let mut values: HashMap<ContactId, BTreeMap<FieldId, String>> = HashMap::new();
    let mut stmt = conn.prepare(&format!(
        "{cte} SELECT contact_id, field_id, value FROM contact_field_values
         WHERE contact_id IN (SELECT id FROM scope)"
    ))?;
    let rows = stmt
        .query_map([scope_param], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<Vec<(ContactId, FieldId, String)>>>()?;
    for (contact, field, value) in rows {
        values.entry(contact).or_default().insert(field, value);
    }
    for person in people.iter_mut() {
        let (Some(details), Some(held)) = (&mut person.personal, values.get(&person.id)) else {
            continue;
        };
        details.custom_fields = fields
            .iter()
            .filter_map(|f| Some((f.name.clone(), f.display(held.get(&f.id)?))))
            .collect();
    }
    Ok(())
}

/// After an undo that put back a field or its values, writes again the search documents of
/// the contacts whose values it touched.
pub(super) fn reindex_after_undo(tx: &Db, change: &Change) -> Result<()> {
    if change.touches_field_values() {
        reindex_contacts(tx, &change.contacts())?;
    }
    Ok(())
}

/// Writes the search documents of `ids` again from what they hold now.
fn reindex_contacts(tx: &Db, ids: &[ContactId]) -> Result<()> {
    let mut batch = BatchWrites::default();
    let mut later = SearchIndexing::Later(&mut batch);
    for id in ids {
        if let Some(contact) = load_contact(tx, *id)? {
            later.write(tx, contact_search_row(*id, &contact.draft, true))?;
        }
    }
    batch.finish(tx)
}
