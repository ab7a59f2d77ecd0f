//! A contact's custom field values as its save writes them, the follow-up each reminding
//! date keeps, the contact list's filter on a field, a report's fields, and the search
//! documents written again after an undo (the definitions: `store::custom_fields`).

use super::{fields_of, no_such_field};
use crate::model::custom_field::{
    AppliesTo, CustomField, FieldFilter, FieldId, FieldKind, FieldMatch, find,
};
use crate::model::{ContactId, FollowUpDraft, Initiator};
use crate::store::contacts::load_contact;
use crate::store::db::{Db, OptionalExtension as _};
use crate::store::search::{BatchWrites, SearchIndexing, contact_search_row};
use crate::store::undo::Change;
use crate::store::{Result, StoreError};
use chrono::{DateTime, Utc};
use rusqlite::params;
use rusqlite::types::Value;
use std::collections::{BTreeMap, HashMap};

/// A contact's values by field name (for its draft).
pub(in crate::store) fn contact_values(
    conn: &Db,
    id: ContactId,
) -> Result<BTreeMap<String, String>> {
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
pub(in crate::store) fn write_contact_values(
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
pub(in crate::store) fn sync_reminder(
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
            let made = crate::store::follow_ups::insert_follow_up(tx, &draft, now)?;
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
pub(in crate::store) fn filter_condition(filter: &FieldFilter) -> (String, Vec<Value>) {
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
pub(in crate::store) fn add_report_fields(
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
pub(in crate::store) fn reindex_after_undo(tx: &Db, change: &Change) -> Result<()> {
    if change.touches_field_values() {
        reindex_contacts(tx, &change.contacts())?;
    }
    Ok(())
}

/// Writes the search documents of `ids` again from what they hold now.
pub(super) fn reindex_contacts(tx: &Db, ids: &[ContactId]) -> Result<()> {
    let mut batch = BatchWrites::default();
    let mut later = SearchIndexing::Later(&mut batch);
    for id in ids {
        if let Some(contact) = load_contact(tx, *id)? {
            later.write(tx, contact_search_row(*id, &contact.draft, true))?;
        }
    }
    batch.finish(tx)
}
