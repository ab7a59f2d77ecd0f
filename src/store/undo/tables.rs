//! The tables each undo `Part` spans, in the order rows are written back, and the row
//! images (`Entry`) a snapshot holds.

use super::Part;
use crate::store::sql_types::key_of;
use rusqlite::types::Value;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Role {
    /// Rows with an `id` that other rows point at: updated in place, never deleted to be
    /// inserted again (the delete would cascade to rows this step does not own).
    Keyed,
    /// Rows nothing points at: deleted by key and inserted again.
    Leaf,
    /// An organization or tag others may share: put back as it was, and removed only when
    /// the step created it and nothing uses it any more.
    Shared,
    /// Rows other steps own, compared and never written: a contact being removed again must
    /// not have gained a conversation, a follow-up or a life event since.
    Check,
}

/// The rows of `name` whose `column` equals a part's key. Tables are listed parents first
/// (`RANKED`), the order rows are written back in.
pub(super) struct Table {
    pub(super) name: &'static str,
    pub(super) column: &'static str,
    pub(super) order: &'static str,
    pub(super) role: Role,
    /// What the user would call a row, for "… was changed since".
    pub(super) what: &'static str,
}

const fn table(
    name: &'static str,
    column: &'static str,
    order: &'static str,
    role: Role,
    what: &'static str,
) -> Table {
    Table {
        name,
        column,
        order,
        role,
        what,
    }
}

pub(super) const ORGANIZATIONS: usize = 0;
pub(super) const TAGS: usize = 1;
pub(super) const CONTACTS: usize = 2;
const INTERACTIONS: usize = 9;
const FOLLOW_UPS: usize = 11;
const LIFE_EVENTS: usize = 13;

pub(super) static RANKED: [Table; 28] = [
    table(
        "organizations",
        "name_key",
        "id",
        Role::Shared,
        "organization",
    ),
    table("tags", "name", "id", Role::Shared, "tag"),
    table("contacts", "id", "id", Role::Keyed, "contact"),
    table("contact_emails", "contact_id", "id", Role::Leaf, "contact"),
    table("contact_phones", "contact_id", "id", Role::Leaf, "contact"),
    table(
        "contact_addresses",
        "contact_id",
        "id",
        Role::Leaf,
        "contact",
    ),
    table(
        "contact_tags",
        "contact_id",
        "tag_id",
        Role::Leaf,
        "contact",
    ),
    table("stage_changes", "contact_id", "id", Role::Leaf, "contact"),
    table(
        "interaction_participants",
        "contact_id",
        "interaction_id",
        Role::Check,
        "contact's conversations",
    ),
    table("interactions", "id", "id", Role::Keyed, "conversation"),
    table(
        "interaction_participants",
        "interaction_id",
        "contact_id",
        Role::Leaf,
        "conversation",
    ),
    table("follow_ups", "id", "id", Role::Keyed, "follow-up"),
    table(
        "follow_up_changes",
        "follow_up_id",
        "id",
        Role::Leaf,
        "follow-up",
    ),
    table("life_events", "id", "id", Role::Keyed, "life event"),
    table(
        "follow_ups",
        "contact_id",
        "id",
        Role::Check,
        "contact's follow-ups",
    ),
    table(
        "life_events",
        "contact_id",
        "id",
        Role::Check,
        "contact's life events",
    ),
    table(
        "follow_ups",
        "interaction_id",
        "id",
        Role::Check,
        "conversation's follow-ups",
    ),
    table(
        "contact_photos",
        "contact_id",
        "contact_id",
        Role::Leaf,
        "contact",
    ),
    // 18: a contact's relationships from them; 19, 20: a contact removed again must not have
    // gained one since (deleting them would take it along).
    table("relationships", "from_id", "id", Role::Leaf, "relationship"),
    table(
        "relationships",
        "from_id",
        "id",
        Role::Check,
        "contact's relationships",
    ),
    table(
        "relationships",
        "to_id",
        "id",
        Role::Check,
        "contact's relationships",
    ),
    // 21, 22: a contact's custom field values, and the follow-ups its reminding dates keep
    // (made, moved and removed by the contact's save, so its undo puts them back too).
    table(
        "contact_field_values",
        "contact_id",
        "field_id",
        Role::Leaf,
        "contact",
    ),
    table(
        "follow_ups",
        "field_id IS NOT NULL AND contact_id",
        "id",
        Role::Keyed,
        "contact's reminders",
    ),
    // 23-26: a custom field, the follow-ups it keeps and its values (`CUSTOM_FIELDS` is
    // written back before the follow-ups that name it: see `rank`); 27: an organization's.
    table("custom_fields", "id", "id", Role::Keyed, "custom field"),
    table(
        "follow_ups",
        "field_id",
        "id",
        Role::Keyed,
        "field's reminders",
    ),
    table(
        "contact_field_values",
        "field_id",
        "contact_id",
        Role::Leaf,
        "field's values",
    ),
    table(
        "organization_field_values",
        "field_id",
        "organization_id",
        Role::Leaf,
        "field's values",
    ),
    table(
        "organization_field_values",
        "organization_id",
        "field_id",
        Role::Leaf,
        "organization's fields",
    ),
];

const CUSTOM_FIELDS: usize = 23;

/// The order rows are written back in: by `RANKED`, except that a custom field comes before
/// the follow-ups and values that name it.
pub(super) fn rank(table: usize) -> (bool, usize) {
    (table != CUSTOM_FIELDS, table)
}

impl Part {
    /// The tables this part spans (indexes into `RANKED`) and the key they are selected by.
    pub(super) fn tables(&self) -> (Vec<usize>, Value) {
        match self {
            Part::Contact(id) => (
                vec![2, 3, 4, 5, 6, 7, 8, 14, 15, 17, 19, 20, 21, 22],
                Value::Integer(id.0),
            ),
            Part::Organization(name) => (nonblank(name, ORGANIZATIONS), Value::Text(key_of(name))),
            Part::Tag(name) => (nonblank(name, TAGS), Value::Text(name.trim().to_owned())),
            Part::Interaction(id) => (vec![INTERACTIONS, 10, 16], Value::Integer(id.0)),
            Part::FollowUp(id) => (vec![FOLLOW_UPS, 12], Value::Integer(id.0)),
            Part::LifeEvent(id) => (vec![LIFE_EVENTS], Value::Integer(id.0)),
            Part::Relationships(id) => (vec![18], Value::Integer(id.0)),
            Part::CustomField(id) => (vec![CUSTOM_FIELDS, 24], Value::Integer(id.0)),
            Part::FieldValues(id) => (vec![25, 26], Value::Integer(id.0)),
            Part::OrganizationFields(id) => (vec![27], Value::Integer(id.0)),
        }
    }
}

/// A blank organization or tag name names no row.
fn nonblank(name: &str, table: usize) -> Vec<usize> {
    if name.trim().is_empty() {
        Vec::new()
    } else {
        vec![table]
    }
}

/// The rows of one table for one key, at one moment.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Entry {
    pub(super) table: usize,
    pub(super) key: Value,
    pub(super) columns: Vec<String>,
    pub(super) rows: Vec<Vec<Value>>,
}

impl Entry {
    pub(super) fn spec(&self) -> &'static Table {
        &RANKED[self.table]
    }

    /// The same rows; `updated_at` is left out when `loosely` (an import undone since
    /// restores a merged contact's fields with a new time: the data is what this step left).
    /// The same rows; `loosely` ignores when they were last changed. Their version is never
    /// compared: it only counts saves, and an undo that writes a row back makes a new one.
    pub(super) fn same_as(&self, other: &Entry, loosely: bool) -> bool {
        let skip = self.columns.iter().position(|c| c == "updated_at");
        let version = self.columns.iter().position(|c| c == "version");
        self.rows.len() == other.rows.len()
            && self.rows.iter().zip(&other.rows).all(|(a, b)| {
                a.len() == b.len()
                    && a.iter().zip(b).enumerate().all(|(i, (x, y))| {
                        x == y || (loosely && Some(i) == skip) || Some(i) == version
                    })
            })
    }

    pub(super) fn ids(&self) -> Vec<&Value> {
        let Some(at) = self.columns.iter().position(|c| c == "id") else {
            return Vec::new();
        };
        self.rows.iter().filter_map(|r| r.get(at)).collect()
    }
}
