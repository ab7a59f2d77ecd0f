//! Undo by row images. Before a change the app takes a `Snapshot` of the rows it may touch
//! (named by `Part`s); after it, another. Undoing writes the "before" rows back exactly, with
//! their ids and timestamps, so a step further down the history (or an import's "edited since"
//! check) finds the data as it left it. It does so only while the rows still look as the change
//! left them: a change made since outside the history (the command line, deleting for good) is
//! never overwritten; the app says so instead.

use super::contacts::load_contact;
use super::db::{Db, OptionalExtension as _, params_from_iter};
use super::search::{BatchWrites, SearchIndexing, SearchTable, contact_search_row, put_document};
use super::sql_types::key_of;
use super::{Result, Store};
use crate::model::{ContactId, FollowUpId, InteractionId, LifeEventId};
use rusqlite::types::Value;

/// Something a change may touch; each part names the rows of a few tables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    /// The contact's row, e-mails, phones, addresses, tags, stage history and photo.
    Contact(ContactId),
    /// An organization by name (as typed on a contact): saving a contact may create it.
    Organization(String),
    /// A tag by name: saving a contact or a tag may create it.
    Tag(String),
    /// A conversation and its participants.
    Interaction(InteractionId),
    /// A follow-up and its reschedule history.
    FollowUp(FollowUpId),
    LifeEvent(LifeEventId),
    /// The relationships stored from this contact (`from_id`; `model::relationship`).
    Relationships(ContactId),
    /// A custom field's definition and the follow-ups it made (`store::custom_fields`).
    CustomField(crate::model::custom_field::FieldId),
    /// Every value of a custom field, on contacts and organizations.
    FieldValues(crate::model::custom_field::FieldId),
    /// An organization's custom field values.
    OrganizationFields(crate::model::OrganizationId),
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Role {
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
struct Table {
    name: &'static str,
    column: &'static str,
    order: &'static str,
    role: Role,
    /// What the user would call a row, for "… was changed since".
    what: &'static str,
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

const ORGANIZATIONS: usize = 0;
const TAGS: usize = 1;
const CONTACTS: usize = 2;
const INTERACTIONS: usize = 9;
const FOLLOW_UPS: usize = 11;
const LIFE_EVENTS: usize = 13;

static RANKED: [Table; 28] = [
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
    table("relationships", "from_id", "id", Role::Check, "contact's relationships"),
    table("relationships", "to_id", "id", Role::Check, "contact's relationships"),
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
    table("follow_ups", "field_id", "id", Role::Keyed, "field's reminders"),
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
fn rank(table: usize) -> (bool, usize) {
    (table != CUSTOM_FIELDS, table)
}

impl Part {
    /// The tables this part spans (indexes into `RANKED`) and the key they are selected by.
    fn tables(&self) -> (Vec<usize>, Value) {
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
struct Entry {
    table: usize,
    key: Value,
    columns: Vec<String>,
    rows: Vec<Vec<Value>>,
}

impl Entry {
    fn spec(&self) -> &'static Table {
        &RANKED[self.table]
    }

    /// The same rows; `updated_at` is left out when `loosely` (an import undone since
    /// restores a merged contact's fields with a new time: the data is what this step left).
    /// The same rows; `loosely` ignores when they were last changed. Their version is never
    /// compared: it only counts saves, and an undo that writes a row back makes a new one.
    fn same_as(&self, other: &Entry, loosely: bool) -> bool {
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

    fn ids(&self) -> Vec<&Value> {
        let Some(at) = self.columns.iter().position(|c| c == "id") else {
            return Vec::new();
        };
        self.rows.iter().filter_map(|r| r.get(at)).collect()
    }
}

/// The rows some parts of the database held at one moment.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    parts: Vec<Part>,
    entries: Vec<Entry>,
}

/// One change as two snapshots of the same parts: what undo writes back, and what the rows
/// must still look like for that to be safe.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    before: Snapshot,
    after: Snapshot,
}

impl Change {
    /// The contacts this change touched: their own rows, or a conversation, follow-up or life
    /// event of theirs (their relationship health needs judging again after an undo).
    pub fn contacts(&self) -> Vec<ContactId> {
        let mut ids = Vec::new();
        for entry in self.before.entries.iter().chain(&self.after.entries) {
            let column = if entry.table == CONTACTS {
                "id"
            } else {
                "contact_id"
            };
            let Some(at) = entry.columns.iter().position(|c| c == column) else {
                continue;
            };
            ids.extend(entry.rows.iter().filter_map(|row| match row.get(at) {
                Some(Value::Integer(id)) => Some(ContactId(*id)),
                _ => None,
            }));
        }
        ids.sort();
        ids.dedup();
        ids
    }

    /// How many contacts it names as such (a bulk change's size, without reading its rows).
    pub fn contact_parts(&self) -> usize {
        self.after
            .parts
            .iter()
            .filter(|part| matches!(part, Part::Contact(_)))
            .count()
    }

    /// Appends `later`, a change to other rows made in the same transaction (a bulk change
    /// recorded a chunk at a time), so both are undone as one step.
    pub(super) fn join(&mut self, later: Change) {
        for (mine, theirs) in [
            (&mut self.before, later.before),
            (&mut self.after, later.after),
        ] {
            mine.parts.extend(theirs.parts);
            mine.entries.extend(theirs.entries);
        }
    }

    /// True when this change put a custom field or its values in its images.
    pub(super) fn touches_field_values(&self) -> bool {
        self.after
            .parts
            .iter()
            .any(|p| matches!(p, Part::CustomField(_) | Part::FieldValues(_)))
    }

    /// True when a tag was created or given another colour or cadence.
    pub fn changed_tags(&self) -> bool {
        self.before
            .entries
            .iter()
            .zip(&self.after.entries)
            .any(|(then, now)| then.table == TAGS && !then.same_as(now, false))
    }
}

/// What became of an undo.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Undone {
    /// The rows are as they were before the change.
    Done,
    /// Nothing was written: this (a contact, a conversation…) was changed since the step.
    ChangedSince(&'static str),
}

impl Store {
    /// The rows `parts` name, as they are now: take one before a change.
    pub fn snapshot(&self, parts: &[Part]) -> Result<Snapshot> {
        // An edit names the organization before and after, often the same one: read it once.
        let mut unique: Vec<Part> = Vec::with_capacity(parts.len());
        for part in parts {
            if !unique.contains(part) {
                unique.push(part.clone());
            }
        }
        read(&self.conn, &unique, false)
    }

    /// Runs `write` in the transaction `tx` between two reads of `parts` (on PostgreSQL held
    /// from the first read), so the change is exactly what `write` did, however busy the
    /// teammates are: a save of theirs cannot land between the snapshot and the write.
    pub(super) fn recorded_in<T>(
        tx: &Db,
        parts: &[Part],
        write: impl FnOnce(&Db) -> Result<T>,
    ) -> Result<(T, Change)> {
        let mut unique: Vec<Part> = Vec::with_capacity(parts.len());
        for part in parts {
            if !unique.contains(part) {
                unique.push(part.clone());
            }
        }
        let before = read(tx, &unique, tx.is_postgres())?;
        let value = write(tx)?;
        let after = read(tx, &before.parts, false)?;
        Ok((value, Change { before, after }))
    }

    /// Runs `write` in the transaction `tx` and records what it made: the parts it names
    /// held no rows before (a new custom field's id is known only once it is written).
    pub(super) fn created_in<T>(
        tx: &Db,
        write: impl FnOnce(&Db) -> Result<(T, Vec<Part>)>,
    ) -> Result<(T, Change)> {
        let (value, created) = write(tx)?;
        let mut before = Snapshot {
            parts: Vec::new(),
            entries: Vec::new(),
        };
        for part in created {
            let (tables, key) = part.tables();
            before.entries.extend(tables.into_iter().map(|table| Entry {
                table,
                key: key.clone(),
                columns: Vec::new(),
                rows: Vec::new(),
            }));
            before.parts.push(part);
        }
        let after = read(tx, &before.parts, false)?;
        Ok((value, Change { before, after }))
    }

    /// Completes a change begun with `before`: `created` names what the change made (a new
    /// contact's id is only known afterwards; it held no rows before).
    pub fn change_since(&self, mut before: Snapshot, created: &[Part]) -> Result<Change> {
        for part in created {
            let (tables, key) = part.tables();
            before.entries.extend(tables.into_iter().map(|table| Entry {
                table,
                key: key.clone(),
                columns: Vec::new(),
                rows: Vec::new(),
            }));
            before.parts.push(part.clone());
        }
        let after = read(&self.conn, &before.parts, false)?;
        Ok(Change { before, after })
    }

    /// True while the rows still look as the change left them, so undoing it is safe.
    pub fn can_undo(&self, change: &Change) -> Result<bool> {
        Ok(first_changed(
            &read(&self.conn, &change.after.parts, false)?,
            &change.after,
        )
        .is_none())
    }

    /// Puts the rows back as they were before `change`, in one transaction, and writes the
    /// search documents of the contacts, conversations and organizations again.
    pub fn undo_change(&mut self, change: &Change) -> Result<Undone> {
        self.write(|tx| {
            // Held until the undo commits: a teammate's save cannot land between the check and
            // the write (SQLite's write lock already holds everything).
            let current = read(tx, &change.after.parts, tx.is_postgres())?;
            if let Some(what) = first_changed(&current, &change.after) {
                return Ok(Undone::ChangedSince(what));
            }
            let mut by_rank: Vec<(&Entry, &Entry)> = current
                .entries
                .iter()
                .zip(&change.before.entries)
                .filter(|(now, then)| now.spec().role != Role::Check && !now.same_as(then, false))
                .collect();
            // Children first when removing, parents first when writing back.
            by_rank.sort_by_key(|(now, _)| rank(now.table));
            for (now, then) in by_rank.iter().rev() {
                remove_rows(tx, now, then)?;
            }
            for (_, then) in &by_rank {
                write_rows(tx, then)?;
            }
            for (now, then) in &by_rank {
                remove_unused_shared(tx, now, then)?;
            }
            reindex(tx, &change.after.parts)?;
            super::custom_fields::reindex_after_undo(tx, change)?;
            Ok(Undone::Done)
        })
    }

    /// Every row of every table (the full-text indexes by document id), one line per row,
    /// sorted: tests compare the database before a change and after undoing it.
    pub fn dump_for_tests(&self) -> Result<Vec<String>> {
        let tables: Vec<(String, bool)> = self
            .conn
            .prepare(if self.conn.is_postgres() {
                // The search tables hold a tsvector where FTS5 has its columns: by id, too.
                "SELECT CAST(table_name AS TEXT), table_name LIKE '%\\_fts'
                 FROM information_schema.tables
                 WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
                   AND table_name <> 'rapport_schema' ORDER BY 1"
            } else {
                "SELECT name, sql LIKE 'CREATE VIRTUAL TABLE%' FROM sqlite_master
                 WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
            })?
            .query_map((), |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let virtual_tables: Vec<&String> =
            tables.iter().filter(|(_, v)| *v).map(|(n, _)| n).collect();
        let mut lines = Vec::new();
        for (name, is_virtual) in &tables {
            // FTS5 keeps its index in shadow tables named after it: their bytes are not data.
            if virtual_tables
                .iter()
                .any(|v| name.starts_with(&format!("{v}_")))
            {
                continue;
            }
            let sql = if *is_virtual {
                format!("SELECT rowid FROM {name}")
            } else {
                format!("SELECT * FROM {name}")
            };
            let mut stmt = self.conn.prepare(&sql)?;
            let columns: Vec<String> = stmt.column_names()?;
            let mut rows = stmt.query(())?;
            while let Some(row) = rows.next()? {
                let mut line = format!("{name}:");
                for (i, column) in columns.iter().enumerate() {
                    line.push_str(&format!(" {column}={:?}", row.get::<Value>(i)?));
                }
                lines.push(line);
            }
        }
        lines.sort();
        Ok(lines)
    }
}

/// Reads the rows `parts` name.
fn read(conn: &Db, parts: &[Part], lock: bool) -> Result<Snapshot> {
    let mut entries = Vec::new();
    for part in parts {
        let (tables, key) = part.tables();
        for table in tables {
            let spec = &RANKED[table];
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT * FROM {} WHERE {} = ?1 ORDER BY {}{}",
                spec.name,
                spec.column,
                spec.order,
                if lock { " FOR UPDATE" } else { "" }
            ))?;
            let columns: Vec<String> = stmt.column_names()?;
            let width = columns.len();
            let rows = stmt
                .query_map([&key], |r| {
                    (0..width)
                        .map(|i| r.get::<Value>(i))
                        .collect::<rusqlite::Result<Vec<Value>>>()
                })?
                .collect::<rusqlite::Result<_>>()?;
            entries.push(Entry {
                table,
                key: key.clone(),
                columns,
                rows,
            });
        }
    }
    Ok(Snapshot {
        parts: parts.to_vec(),
        entries,
    })
}

/// What changed since `after` was taken, if anything.
fn first_changed(current: &Snapshot, after: &Snapshot) -> Option<&'static str> {
    if current.entries.len() != after.entries.len() {
        return Some("data");
    }
    current
        .entries
        .iter()
        .zip(&after.entries)
        .find(|(now, then)| !now.same_as(then, true))
        .map(|(now, _)| now.spec().what)
}

/// Removes what `now` holds that `then` did not: every row of a leaf table (they are written
/// back whole), rows of a keyed table whose id did not exist then.
fn remove_rows(tx: &Db, now: &Entry, then: &Entry) -> Result<()> {
    let spec = now.spec();
    match spec.role {
        Role::Leaf => {
            tx.execute(
                &format!("DELETE FROM {} WHERE {} = ?1", spec.name, spec.column),
                [&now.key],
            )?;
        }
        Role::Keyed => {
            let kept = then.ids();
            for id in now.ids().into_iter().filter(|id| !kept.contains(id)) {
                tx.execute(&format!("DELETE FROM {} WHERE id = ?1", spec.name), [id])?;
            }
        }
        Role::Shared | Role::Check => {}
    }
    Ok(())
}

/// Writes the rows of `then` back: inserted into a leaf table; in a keyed or shared one updated
/// in place (an upsert could trip over the table's other unique names) or inserted when gone.
fn write_rows(tx: &Db, then: &Entry) -> Result<()> {
    let spec = then.spec();
    if then.rows.is_empty() || spec.role == Role::Check {
        return Ok(());
    }
    let insert = format!(
        "INSERT INTO {} ({}) VALUES ({})",
        spec.name,
        then.columns.join(", "),
        vec!["?"; then.columns.len()].join(", ")
    );
    let id_at = then.columns.iter().position(|c| c == "id");
    let update = id_at.map(|at| {
        let set: Vec<String> = then
            .columns
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{c} = ?{}", i + 1))
            .collect();
        format!(
            "UPDATE {} SET {} WHERE id = ?{}",
            spec.name,
            set.join(", "),
            at + 1
        )
    });
    for row in &then.rows {
        let updated = match (&update, spec.role) {
            (Some(sql), Role::Keyed | Role::Shared) => {
                tx.prepare_cached(sql)?.execute(params_from_iter(row))?
            }
            _ => 0,
        };
        if updated == 0 {
            tx.prepare_cached(&insert)?.execute(params_from_iter(row))?;
        }
    }
    Ok(())
}

/// Removes an organization or tag the step created, unless something uses it now (another
/// contact may have been given it since): then it stays, as deleting it would change them.
fn remove_unused_shared(tx: &Db, now: &Entry, then: &Entry) -> Result<()> {
    let used_sql = match now.table {
        ORGANIZATIONS => {
            "SELECT EXISTS(SELECT 1 FROM contacts WHERE organization_id = ?1)
                 OR EXISTS(SELECT 1 FROM follow_ups WHERE organization_id = ?1)"
        }
        TAGS => "SELECT EXISTS(SELECT 1 FROM contact_tags WHERE tag_id = ?1)",
        _ => return Ok(()),
    };
    let kept = then.ids();
    for id in now.ids().into_iter().filter(|id| !kept.contains(id)) {
        let used: bool = tx.query_row(used_sql, [id], |r| r.get(0))?;
        if used {
            continue;
        }
        if now.table == ORGANIZATIONS {
            tx.execute("DELETE FROM organization_fts WHERE rowid = ?1", [id])?;
        }
        tx.execute(
            &format!("DELETE FROM {} WHERE id = ?1", now.spec().name),
            [id],
        )?;
    }
    Ok(())
}

/// Writes the search documents of what `parts` name again (or removes them when the row is
/// gone): the full-text tables are contentless, so they cannot be snapshotted themselves.
fn reindex(tx: &Db, parts: &[Part]) -> Result<()> {
    // The contacts' documents are written together at the end (a bulk change undone puts
    // back thousands; FTS5 flushes at every statement).
    let mut batch = BatchWrites::default();
    let mut contacts = SearchIndexing::Later(&mut batch);
    for part in parts {
        match part {
            Part::Contact(id) => match load_contact(tx, *id)? {
                Some(contact) => {
                    contacts.write(tx, contact_search_row(*id, &contact.draft, true))?;
                }
                None => {
                    tx.execute("DELETE FROM contact_fts WHERE rowid = ?1", [id])?;
                }
            },
            Part::Interaction(id) => reindex_interaction(tx, *id)?,
            Part::Organization(name) if !name.trim().is_empty() => {
                let org: Option<(i64, String, String)> = tx
                    .query_row(
                        "SELECT id, name, notes FROM organizations WHERE name_key = ?1",
                        [key_of(name)],
                        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                    )
                    .optional()?;
                if let Some((id, name, notes)) = org {
                    put_document(tx, SearchTable::Organizations, id, &[&name, &notes])?;
                }
            }
            _ => {}
        }
    }
    batch.finish(tx)
}

fn reindex_interaction(tx: &Db, id: InteractionId) -> Result<()> {
    let columns: Option<[String; 5]> = tx
        .query_row(
            "SELECT summary, they_said, they_need, i_promised, next_step FROM interactions WHERE id = ?1",
            [id],
            |r| Ok([r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?]),
        )
        .optional()?;
    match columns {
        Some(columns) => {
            let columns = columns.each_ref().map(String::as_str);
            put_document(tx, SearchTable::Interactions, id.0, &columns)
        }
        None => {
            tx.execute("DELETE FROM interaction_fts WHERE rowid = ?1", [id])?;
            Ok(())
        }
    }
}

impl Store {
    /// The follow-ups made from a conversation: deleting it unlinks them.
    pub fn follow_ups_of_interaction(&self, id: InteractionId) -> Result<Vec<FollowUpId>> {
        let ids = self
            .conn
            .prepare_cached("SELECT id FROM follow_ups WHERE interaction_id = ?1 ORDER BY id")?
            .query_map([id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(ids)
    }
}
