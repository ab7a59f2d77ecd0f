//! Reading the rows parts name, checking they still look as a change left them, and
//! writing the "before" rows back (with the search documents they feed).

use super::tables::{Entry, ORGANIZATIONS, RANKED, Role, TAGS};
use super::{Part, Snapshot};
use crate::model::InteractionId;
use crate::store::Result;
use crate::store::contacts::load_contact;
use crate::store::db::{Db, OptionalExtension as _, params_from_iter};
use crate::store::search::{
    BatchWrites, SearchIndexing, SearchTable, contact_search_row, put_document,
};
use crate::store::sql_types::key_of;
use rusqlite::types::Value;

/// Reads the rows `parts` name.
pub(super) fn read(conn: &Db, parts: &[Part], lock: bool) -> Result<Snapshot> {
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
pub(super) fn first_changed(current: &Snapshot, after: &Snapshot) -> Option<&'static str> {
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
pub(super) fn remove_rows(tx: &Db, now: &Entry, then: &Entry) -> Result<()> {
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
pub(super) fn write_rows(tx: &Db, then: &Entry) -> Result<()> {
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
pub(super) fn remove_unused_shared(tx: &Db, now: &Entry, then: &Entry) -> Result<()> {
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
pub(super) fn reindex(tx: &Db, parts: &[Part]) -> Result<()> {
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
