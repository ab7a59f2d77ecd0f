//! Organizations: finding one by name or id, searching them, their people, and the
//! find-or-create every contact write uses.

use super::db::{Db, OptionalExtension as _};
use super::search::{SearchIndexing, SearchTable, matches, put_document, query_for};
use super::sql_types::key_of;
use super::{Result, Store, StoreError};
use crate::model::{Member, Organization, OrganizationId};
use chrono::{DateTime, Utc};
use rusqlite::params;

impl Store {
    /// The organization a name refers to, if one exists.
    pub fn organization_by_name(&self, name: &str) -> Result<Option<Organization>> {
        self.conn
            .prepare_cached("SELECT id, name, notes FROM organizations WHERE name_key = ?1")?
            .query_row([key_of(name)], |r| {
                Ok(Organization {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    notes: r.get(2)?,
                })
            })
            .optional()
    }

    /// Organizations whose name or notes match `search`, by name.
    pub fn search_organizations(&self, search: &str, limit: usize) -> Result<Vec<Organization>> {
        let Some(q) = query_for(&self.conn, search) else {
            return Ok(Vec::new());
        };
        let rows = self
            .conn
            .prepare_cached(&format!(
                "SELECT o.id, o.name, o.notes FROM organization_fts f
                 JOIN organizations o ON o.id = f.rowid
                 WHERE {} ORDER BY o.name_key LIMIT ?2",
                matches(&self.conn, "organization_fts", "?1")
            ))?
            .query_map(params![q, limit as i64], |r| {
                Ok(Organization {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    notes: r.get(2)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// An organization by id.
    pub fn organization(&self, id: OrganizationId) -> Result<Organization> {
        self.conn
            .prepare_cached("SELECT id, name, notes FROM organizations WHERE id = ?1")?
            .query_row([id], |r| {
                Ok(Organization {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    notes: r.get(2)?,
                })
            })
            .optional()?
            .ok_or(StoreError::NotFound {
                what: "organization",
                id: id.0,
            })
    }

    /// The live people at an organization: decision makers first, then by name.
    pub fn members(&self, organization: OrganizationId) -> Result<Vec<Member>> {
        let rows = self
            .conn
            .prepare_cached(
                "SELECT id, display_name, title, is_decision_maker FROM contacts
                 WHERE organization_id = ?1 AND deleted_at IS NULL
                 ORDER BY is_decision_maker DESC, sort_key",
            )?
            .query_map([organization], |r| {
                Ok(Member {
                    id: r.get(0)?,
                    display_name: r.get(1)?,
                    title: r.get(2)?,
                    is_decision_maker: r.get(3)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }
}

/// Finds or creates the organization called `name` (case-insensitively); `None` for blank.
pub(super) fn organization_for(
    tx: &Db,
    name: &str,
    now: DateTime<Utc>,
    indexing: &mut SearchIndexing<'_>,
) -> Result<Option<OrganizationId>> {
    let name = name.trim();
    if name.is_empty() {
        return Ok(None);
    }
    let key = key_of(name);
    if let SearchIndexing::Later(batch) = indexing
        && let Some(id) = batch.organizations.get(&key)
    {
        return Ok(Some(*id));
    }
    let found: Option<OrganizationId> = tx
        .prepare_cached("SELECT id FROM organizations WHERE name_key = ?1")?
        .query_row([&key], |r| r.get(0))
        .optional()?;
    let id = match found {
        Some(id) => id,
        None => {
            tx.prepare_cached(
                "INSERT INTO organizations (name, name_key, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)",
            )?
            .execute(params![name, key, now])?;
            let id = OrganizationId(tx.last_insert_id("organizations")?);
            match indexing {
                SearchIndexing::Now => {
                    put_document(tx, SearchTable::Organizations, id.0, &[name, ""])?;
                }
                SearchIndexing::Later(batch) => {
                    batch.organization_rows.push((id, name.to_owned()));
                }
            }
            id
        }
    };
    if let SearchIndexing::Later(batch) = indexing {
        batch.organizations.insert(key, id);
    }
    Ok(Some(id))
}
