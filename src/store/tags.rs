//! Tags (colour, cadence, and how many carry each when asked) and remembered settings: the
//! small name-keyed tables.

use super::db::{Db, OptionalExtension as _};
use super::search::SearchIndexing;
use super::{Result, Store, StoreError};
use crate::model::Tag;
use rusqlite::params;

impl Store {
    /// Every tag with its colour and cadence, by name, their contacts not counted: a read of
    /// the tags table alone, for the list refresh and each selection (names and colours).
    pub fn tags(&self) -> Result<Vec<Tag>> {
        self.read_tags(
            "SELECT name, color, cadence_days, CAST(NULL AS BIGINT) FROM tags
             ORDER BY name COLLATE NOCASE",
        )
    }

    /// Every tag as `tags` gives them, with how many live contacts carry each: a pass over
    /// every tagged contact, so only where the counts are shown, when it opens (View ▸ Tags,
    /// the tag filter).
    pub fn tags_counted(&self) -> Result<Vec<Tag>> {
        self.read_tags(
            "SELECT t.name, t.color, t.cadence_days, COALESCE(n.live, 0)
             FROM tags t
             LEFT JOIN (SELECT ct.tag_id, COUNT(*) AS live
                        FROM contact_tags ct JOIN contacts c ON c.id = ct.contact_id
                        WHERE c.deleted_at IS NULL GROUP BY ct.tag_id) n ON n.tag_id = t.id
             ORDER BY t.name COLLATE NOCASE",
        )
    }

    fn read_tags(&self, sql: &str) -> Result<Vec<Tag>> {
        let rows = self
            .conn
            .prepare_cached(sql)?
            .query_map((), |r| {
                Ok(Tag {
                    name: r.get(0)?,
                    color: r.get(1)?,
                    cadence_days: r.get(2)?,
                    contacts: r.get::<Option<i64>>(3)?.map(|n| n as usize),
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Sets (or clears) a tag's colour; `color` must be `#rrggbb`.
    pub fn set_tag_color(&mut self, tag: &str, color: Option<&str>) -> Result<()> {
        let tag = tag.trim();
        if tag.is_empty() {
            return Err(StoreError::Invalid("Name the tag.".to_owned()));
        }
        let color = match color {
            Some(text) => {
                let [r, g, b] = crate::model::parse_hex_color(text).ok_or_else(|| {
                    StoreError::Invalid(format!(
                        "\"{text}\" is not a colour; write it as #rrggbb, for example #2a9d8f."
                    ))
                })?;
                Some(format!("#{r:02x}{g:02x}{b:02x}"))
            }
            None => None,
        };
        self.write(|tx| {
            tx.execute(
                "INSERT INTO tags (name) VALUES (?1) ON CONFLICT DO NOTHING",
                [tag],
            )?;
            tx.execute(
                "UPDATE tags SET color = ?2 WHERE name = ?1",
                params![tag, color],
            )?;
            Ok(())
        })
    }

    /// A remembered setting.
    pub fn setting(&self, key: &str) -> Option<String> {
        self.conn
            .prepare_cached("SELECT value FROM settings WHERE key = ?1")
            .ok()?
            .query_row([key], |r| r.get(0))
            .optional()
            .ok()?
    }

    /// Remembers a setting.
    pub fn set_setting(&mut self, key: &str, value: &str) -> Result<()> {
        self.conn.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )?;
        Ok(())
    }
}

/// The tag's id, created when new.
pub(super) fn tag_id(tx: &Db, tag: &str, indexing: &mut SearchIndexing<'_>) -> Result<i64> {
    if let SearchIndexing::Later(batch) = indexing
        && let Some(id) = batch.tags.get(tag)
    {
        return Ok(*id);
    }
    let found: Option<i64> = tx
        .prepare_cached("SELECT id FROM tags WHERE name = ?1")?
        .query_row([tag], |r| r.get(0))
        .optional()?;
    let id = match found {
        Some(id) => id,
        None => {
            tx.prepare_cached("INSERT INTO tags (name) VALUES (?1)")?
                .execute([tag])?;
            tx.last_insert_id("tags")?
        }
    };
    if let SearchIndexing::Later(batch) = indexing {
        batch.tags.insert(tag.to_owned(), id);
    }
    Ok(id)
}
