//! The contact list, a window at a time: counting and paging the live contacts in name order
//! (or weakest relationship first), narrowed by search, tag, stage and health. The list is
//! never loaded whole; deep in the plain list a page starts from a mark (`NameAnchors`).

use super::db::OptionalExtension as _;
use super::search::{fts_query, matches, query_for};
use super::{Result, Store, health};
use crate::model::{ContactFilter, ContactId, ContactRow};
use rusqlite::params;

/// Every `ANCHOR_STEP`-th live contact's place in name order (its sort key and id), and the
/// state of the database they were read from: any change made through this connection
/// (`total_changes`) or committed by another one (`data_version`) makes them stale.
pub(super) struct NameAnchors {
    total_changes: u64,
    data_version: i64,
    /// Mark `k` is row `k * ANCHOR_STEP`; read as far as jumps have needed.
    keys: Vec<(String, i64)>,
    /// The walk reached the end of the list: there are no more marks.
    complete: bool,
}

/// Rows between two anchors: a jump walks at most this many index entries.
const ANCHOR_STEP: usize = 256;

/// A page of the contact list: `$ids` selects the page's contact ids in name order; the
/// organization and health are joined for those rows only.
macro_rules! contact_page {
    ($ids:literal) => {
        concat!(
            "SELECT c.id, c.display_name, COALESCE(o.name, ''), c.title, c.is_decision_maker,
                    h.score, h.level, h.health_json
             FROM (",
            $ids,
            ") page
             JOIN contacts c ON c.id = page.id
             LEFT JOIN organizations o ON o.id = c.organization_id
             LEFT JOIN contact_health h ON h.contact_id = c.id
             ORDER BY c.sort_key, c.id"
        )
    };
}

/// Maps a contact-list row: id, name, organization, title, decision maker, then the health
/// score, level and judgement (NULL until computed). Whether a photo is stored is not asked
/// here: the list learns it from the thumbnail it reads once a row stays on screen (asking
/// for every row of every jump read a page of the photos table per row: a jump through
/// 100,000 contacts with photos cost 1.5-1.6× the same jump without).
fn contact_row(r: &super::db::Row<'_, '_>) -> rusqlite::Result<ContactRow> {
    let score: Option<i64> = r.get(5)?;
    let level: Option<String> = r.get(6)?;
    let json: Option<String> = r.get(7)?;
    let health = score.zip(level.as_deref().and_then(health::level_of));
    let health_notes = json
        .and_then(|j| serde_json::from_str::<crate::insight::Health>(&j).ok())
        .map(|h| h.explanation())
        .unwrap_or_default();
    Ok(ContactRow {
        id: r.get(0)?,
        display_name: r.get(1)?,
        organization: r.get(2)?,
        title: r.get(3)?,
        is_decision_maker: r.get(4)?,
        health,
        health_notes,
    })
}

/// The WHERE clause and parameters of a filtered contact list (search + tag + stage + health).
pub(super) fn filtered_where(
    db: &super::db::Db,
    search: &str,
    filter: &ContactFilter,
) -> (String, Vec<rusqlite::types::Value>) {
    use rusqlite::types::Value;
    let mut sql = String::from(" WHERE c.deleted_at IS NULL");
    let mut values = Vec::new();
    if let Some(q) = query_for(db, search) {
        sql.push_str(&format!(
            " AND c.id IN (SELECT rowid FROM contact_fts WHERE {})",
            matches(db, "contact_fts", "?")
        ));
        values.push(Value::Text(q));
    }
    if let Some(tag) = &filter.tag {
        sql.push_str(
            " AND c.id IN (SELECT ct.contact_id FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id
                           WHERE t.name = ?)",
        );
        values.push(Value::Text(tag.clone()));
    }
    if let Some(stage) = filter.stage {
        sql.push_str(" AND c.stage = ?");
        values.push(Value::Text(stage.as_str().to_owned()));
    }
    if let Some(level) = filter.health {
        sql.push_str(" AND h.level = ?");
        values.push(Value::Text(level.as_str().to_owned()));
    }
    if filter.needs_attention {
        sql.push_str(" AND h.attention = 1");
    }
    if let Some(field) = &filter.field {
        let (condition, bound) = super::custom_fields::filter_condition(field);
        sql.push_str(&condition);
        values.extend(bound);
    }
    (sql, values)
}

impl Store {
    /// How many live contacts match `search` and `filter`.
    pub fn count_contacts_filtered(&self, search: &str, filter: &ContactFilter) -> Result<usize> {
        if filter.is_plain() {
            return self.count_contacts(search);
        }
        let (tail, values) = filtered_where(&self.conn, search, filter);
        let n: i64 = self
            .conn
            .prepare_cached(&format!(
                "SELECT COUNT(*) FROM contacts c LEFT JOIN contact_health h ON h.contact_id = c.id{tail}"
            ))?
            .query_row(super::db::params_from_iter(values), |r| r.get(0))?;
        Ok(n as usize)
    }

    /// A window of the contact list for `search` and `filter`: by name, or weakest
    /// relationship first (contacts not yet judged last).
    pub fn contact_rows_filtered(
        &self,
        search: &str,
        filter: &ContactFilter,
        offset: usize,
        limit: usize,
    ) -> Result<Vec<ContactRow>> {
        if filter.is_plain() {
            return self.contact_rows(search, offset, limit);
        }
        let (tail, mut values) = filtered_where(&self.conn, search, filter);
        let order = if filter.sort_by_health {
            format!("ORDER BY {}", health::weakest_first_order(&self.conn))
        } else {
            "ORDER BY c.sort_key, c.id".to_owned()
        };
        values.push(rusqlite::types::Value::Integer(limit as i64));
        values.push(rusqlite::types::Value::Integer(offset as i64));
        let rows = self
            .conn
            .prepare_cached(&format!(
                "SELECT c.id, c.display_name, COALESCE(o.name, ''), c.title, c.is_decision_maker,
                        h.score, h.level, h.health_json
                 FROM contacts c
                 LEFT JOIN contact_health h ON h.contact_id = c.id
                 LEFT JOIN organizations o ON o.id = c.organization_id{tail}
                 {order} LIMIT ? OFFSET ?"
            ))?
            .query_map(super::db::params_from_iter(values), contact_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// How many live contacts match `search` (all of them when it is blank).
    pub fn count_contacts(&self, search: &str) -> Result<usize> {
        if self.conn.is_postgres() {
            return self.count_contacts_pg_remembered(search);
        }
        let count: i64 = match fts_query(search) {
            None => self
                .conn
                .prepare_cached("SELECT COUNT(*) FROM contacts WHERE deleted_at IS NULL")?
                .query_row((), |r| r.get(0))?,
            // Counted in the search index alone, less the few trashed contacts that match:
            // joining every match to its contact row cost 25 ms for a one-letter prefix.
            Some(q) => self
                .conn
                .prepare_cached(
                    "SELECT (SELECT COUNT(*) FROM contact_fts WHERE contact_fts MATCH ?1)
                          - (SELECT COUNT(*) FROM contacts c INDEXED BY contacts_by_name
                             WHERE c.deleted_at IS NOT NULL
                               AND EXISTS (SELECT 1 FROM contact_fts
                                           WHERE contact_fts MATCH ?1 AND rowid = c.id))",
                )?
                .query_row([q], |r| r.get(0))?,
        };
        Ok(count.max(0) as usize)
    }

    /// A window of the contact list in name order: rows `offset .. offset + limit` of the live
    /// contacts matching `search`. The list is never loaded whole.
    pub fn contact_rows(
        &self,
        search: &str,
        offset: usize,
        limit: usize,
    ) -> Result<Vec<ContactRow>> {
        let map = contact_row;
        if self.conn.is_postgres() {
            return self.contact_rows_pg(search, offset, limit);
        }
        let Some(q) = fts_query(search) else {
            // Deep in the list, start at the nearest mark before the page: the OFFSET then
            // walks fewer than ANCHOR_STEP index entries wherever the page is.
            if offset >= ANCHOR_STEP
                && let Some((key, id)) = self.name_anchor(offset / ANCHOR_STEP)?
            {
                return Ok(self
                    .conn
                    .prepare_cached(contact_page!(
                        "SELECT id FROM contacts INDEXED BY contacts_by_name
                         WHERE deleted_at IS NULL AND (sort_key, id) >= (?3, ?4)
                         ORDER BY sort_key, id LIMIT ?1 OFFSET ?2"
                    ))?
                    .query_map(
                        params![limit as i64, (offset % ANCHOR_STEP) as i64, key, id],
                        map,
                    )?
                    .collect::<rusqlite::Result<Vec<_>>>()?);
            }
            return Ok(self
                .conn
                .prepare_cached(contact_page!(
                    // The OFFSET walks the covering name index only; the join runs for the page.
                    "SELECT id FROM contacts INDEXED BY contacts_by_name
                     WHERE deleted_at IS NULL ORDER BY sort_key, id LIMIT ?1 OFFSET ?2"
                ))?
                .query_map(params![limit as i64, offset as i64], map)?
                .collect::<rusqlite::Result<Vec<_>>>()?);
        };
        // How the matches are paged depends on how many there are, which the search index
        // counts in a few milliseconds.
        let matches: i64 = self
            .conn
            .prepare_cached("SELECT COUNT(*) FROM contact_fts WHERE contact_fts MATCH ?1")?
            .query_row([&q], |r| r.get(0))?;
        let highest: i64 = self
            .conn
            .prepare_cached("SELECT COALESCE(MAX(id), 0) FROM contacts")?
            .query_row((), |r| r.get(0))?;
        // Contacts walked in name order before the page is full, if each is asked about.
        let lookups = (offset + limit) as i64 * highest / matches.max(1);
        let sql = if matches <= 5_000 {
            // Few matches: sorting them is cheaper than walking every name. Only the page's
            // rows are joined to their organization and health: joining all of ~2,500 matches
            // read some 1,900 pages of health rows a keystroke (on a protected file, each
            // decrypted again: 38-58 ms for "mari").
            contact_page!(
                "SELECT c.id FROM contact_fts f JOIN contacts c ON c.id = f.rowid
                 WHERE contact_fts MATCH ?3 AND c.deleted_at IS NULL
                 ORDER BY c.sort_key, c.id LIMIT ?1 OFFSET ?2"
            )
        } else if lookups <= 250 && prefix_indexed(search) {
            // Most contacts match: walk the name index in order and ask the search index
            // about each contact until the page is full (a few dozen lookups). Only for
            // words of up to three letters, which the prefix index answers at once: a longer
            // word is a prefix query that merges its whole doclist again for every contact
            // asked about (a word in every document, such as a custom field's name, cost
            // 150 ms a keystroke on 100,000 contacts; collected once below, a few ms).
            contact_page!(
                "SELECT id FROM contacts c0 INDEXED BY contacts_by_name
                 WHERE deleted_at IS NULL
                   AND EXISTS (SELECT 1 FROM contact_fts WHERE contact_fts MATCH ?3 AND rowid = c0.id)
                 ORDER BY sort_key, id LIMIT ?1 OFFSET ?2"
            )
        } else {
            // Many matches, deep in the list: collect the matches once, then walk the name
            // index keeping them, so there is no sort of every match.
            contact_page!(
                "SELECT id FROM contacts INDEXED BY contacts_by_name
                 WHERE deleted_at IS NULL
                   AND id IN (SELECT rowid FROM contact_fts WHERE contact_fts MATCH ?3)
                 ORDER BY sort_key, id LIMIT ?1 OFFSET ?2"
            )
        };
        let rows = self
            .conn
            .prepare_cached(sql)?
            .query_map(params![limit as i64, offset as i64, q], map)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// The sort key and id of live contact number `n * ANCHOR_STEP` in name order, if there
    /// is one. The marks are read as far as a jump needs them, continuing from the last one
    /// known — so a first jump walks the index as far as a plain OFFSET would, and later jumps
    /// up to there walk fewer than ANCHOR_STEP entries — and are kept until the database
    /// changes.
    fn name_anchor(&self, n: usize) -> Result<Option<(String, i64)>> {
        // On a team database others write too, and nothing cheap tells: marks are made anew.
        let (total_changes, data_version): (u64, i64) = match &self.conn {
            super::db::Db::Sqlite(conn) => (
                conn.total_changes(),
                conn.pragma_query_value(None, "data_version", |r| r.get(0))?,
            ),
            super::db::Db::Postgres(_) => (u64::MAX, fastrand::i64(..)),
        };
        let mut slot = self.anchors.borrow_mut();
        let anchors = match slot.as_mut() {
            Some(a) if a.total_changes == total_changes && a.data_version == data_version => a,
            _ => slot.insert(NameAnchors {
                total_changes,
                data_version,
                keys: Vec::new(),
                complete: false,
            }),
        };
        if n >= anchors.keys.len() && !anchors.complete {
            // Walk on from the last mark known (itself included, as row 0 of the walk).
            let (from_key, from_id) = anchors
                .keys
                .last()
                .cloned()
                .unwrap_or_else(|| (String::new(), i64::MIN));
            let mut stmt = self.conn.prepare_cached(
                "SELECT sort_key, id FROM contacts INDEXED BY contacts_by_name
                 WHERE deleted_at IS NULL AND (sort_key, id) >= (?1, ?2)
                 ORDER BY sort_key, id",
            )?;
            let mut rows = stmt.query(params![from_key, from_id])?;
            let skip_first = !anchors.keys.is_empty();
            let mut index = 0usize;
            loop {
                let Some(row) = rows.next()? else {
                    anchors.complete = true;
                    break;
                };
                if index.is_multiple_of(ANCHOR_STEP) && !(skip_first && index == 0) {
                    anchors.keys.push((row.get(0)?, row.get(1)?));
                    if anchors.keys.len() > n {
                        break;
                    }
                }
                index += 1;
            }
        }
        Ok(anchors.keys.get(n).cloned())
    }

    /// Where a live contact stands in the list for `search` (its row index), if it is there.
    pub fn contact_position(&self, search: &str, id: ContactId) -> Result<Option<usize>> {
        let key: Option<String> = self
            .conn
            .prepare_cached("SELECT sort_key FROM contacts WHERE id = ?1 AND deleted_at IS NULL")?
            .query_row([id], |r| r.get(0))
            .optional()?;
        let Some(key) = key else { return Ok(None) };
        if self.conn.is_postgres() {
            return self.contact_position_pg(search, id, key);
        }
        let before: i64 = match fts_query(search) {
            None => self.conn.prepare_cached(
                "SELECT COUNT(*) FROM contacts WHERE deleted_at IS NULL AND (sort_key, id) < (?1, ?2)",
            )?
            .query_row(params![key, id], |r| r.get(0))?,
            Some(q) => {
                let matches: bool = self.conn.prepare_cached(
                    "SELECT EXISTS(SELECT 1 FROM contact_fts WHERE contact_fts MATCH ?1 AND rowid = ?2)",
                )?
                .query_row(params![q, id], |r| r.get(0))?;
                if !matches {
                    return Ok(None);
                }
                self.conn.prepare_cached(
                    "SELECT COUNT(*) FROM contact_fts f JOIN contacts c ON c.id = f.rowid
                     WHERE contact_fts MATCH ?3 AND c.deleted_at IS NULL AND (c.sort_key, c.id) < (?1, ?2)",
                )?
                .query_row(params![key, id, q], |r| r.get(0))?
            }
        };
        Ok(Some(before as usize))
    }
}

/// The contact list on PostgreSQL: its planner picks between the name index and the GIN
/// search index by itself, so one statement serves each question.
impl Store {
    fn count_contacts_pg(&self, search: &str) -> Result<usize> {
        if let Some(prefix) = short_prefix(search) {
            return self.count_by_prefix_pg(&prefix);
        }
        let count: i64 = match query_for(&self.conn, search) {
            None => self.conn.query_row(
                "SELECT COUNT(*) FROM contacts WHERE deleted_at IS NULL",
                (),
                |r| r.get(0),
            )?,
            // Counted in the search index alone, less the few trashed contacts that match (as
            // on SQLite): joining every match to its contact cost 12 ms for 2,400 matches.
            Some(q) => self.conn.query_row(
                "SELECT (SELECT COUNT(*) FROM contact_fts WHERE doc @@ to_tsquery('simple', ?1))
                      - (SELECT COUNT(*) FROM contacts c WHERE c.deleted_at IS NOT NULL
                           AND EXISTS (SELECT 1 FROM contact_fts f WHERE f.rowid = c.id
                                         AND f.doc @@ to_tsquery('simple', ?1)))",
                [q],
                |r| r.get(0),
            )?,
        };
        Ok(count.max(0) as usize)
    }

    /// A search of one to three letters: the shared contacts from the sum in `prefix_counts`,
    /// and my own private ones from their beginnings in `contact_prefixes`. A sum over many
    /// rows (changes since the last fold) is folded into one for the next keystroke.
    fn count_by_prefix_pg(&self, prefix: &str) -> Result<usize> {
        let (shared, rows, mine): (i64, i64, i64) = self.conn.query_row(
            "SELECT (SELECT COALESCE(SUM(delta), 0)::BIGINT FROM prefix_counts WHERE prefix = ?1),
                    (SELECT COUNT(*) FROM prefix_counts WHERE prefix = ?1),
                    (SELECT COUNT(*) FROM contact_prefixes WHERE author = current_user AND prefix = ?1)",
            [prefix],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        if rows > FOLD_AFTER
            && let Err(error) =
                self.conn
                    .query_row("SELECT rapport_fold_prefix(?1)", [prefix], |_| Ok(()))
        {
            tracing::warn!("could not fold the counts of a search beginning: {error}");
        }
        Ok((shared + mine).max(0) as usize)
    }

    fn contact_rows_pg(
        &self,
        search: &str,
        offset: usize,
        limit: usize,
    ) -> Result<Vec<ContactRow>> {
        let Some(q) = query_for(&self.conn, search) else {
            // Deep in the list, from the nearest mark: the OFFSET then walks fewer than
            // ANCHOR_STEP entries of the live-contacts index.
            if offset >= ANCHOR_STEP
                && let Some((key, id)) = self.name_anchor_pg(offset / ANCHOR_STEP)?
            {
                return Ok(self
                    .conn
                    .prepare_cached(contact_page!(
                        "SELECT id FROM contacts WHERE deleted_at IS NULL AND (sort_key, id) >= (?3, ?4)
                         ORDER BY sort_key, id LIMIT ?1 OFFSET ?2"
                    ))?
                    .query_map(
                        params![limit as i64, (offset % ANCHOR_STEP) as i64, key, id],
                        contact_row,
                    )?
                    .collect::<rusqlite::Result<Vec<_>>>()?);
            }
            return Ok(self
                .conn
                .prepare_cached(contact_page!(
                    "SELECT id FROM contacts WHERE deleted_at IS NULL
                     ORDER BY sort_key, id LIMIT ?1 OFFSET ?2"
                ))?
                .query_map(params![limit as i64, offset as i64], contact_row)?
                .collect::<rusqlite::Result<Vec<_>>>()?);
        };
        let matches = self.count_contacts_pg_remembered(search)?;
        // Few matches: sort them. Many: walk the names in order, asking the search index
        // about each contact until the page is full (PostgreSQL's own choice sorted them all).
        let sql = if matches <= 5_000 {
            // The matches gathered first: given a join, the planner walked every name in order
            // checking each (73 ms for 2,400 matches, 5.7 ms this way).
            contact_page!(
                "SELECT id FROM contacts
                 WHERE id = ANY(ARRAY(SELECT rowid FROM contact_fts
                                      WHERE doc @@ to_tsquery('simple', ?3)))
                   AND deleted_at IS NULL
                 ORDER BY sort_key, id LIMIT ?1 OFFSET ?2"
            )
        } else {
            contact_page!(
                "SELECT c.id FROM contacts c WHERE c.deleted_at IS NULL
                   AND EXISTS (SELECT 1 FROM contact_fts f
                               WHERE f.rowid = c.id AND f.doc @@ to_tsquery('simple', ?3))
                 ORDER BY c.sort_key, c.id LIMIT ?1 OFFSET ?2"
            )
        };
        Ok(self
            .conn
            .prepare_cached(sql)?
            .query_map(params![limit as i64, offset as i64, q], contact_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// `count_contacts_pg`, remembered for the same words while the change log stands still:
    /// a keystroke asks for the count and then the first page, which needs it to pick a plan.
    fn count_contacts_pg_remembered(&self, search: &str) -> Result<usize> {
        let stamp = self.last_change_id()?;
        if let Some((words, at, count)) = self.last_count.borrow().as_ref()
            && words == search
            && *at == stamp
        {
            return Ok(*count);
        }
        let count = self.count_contacts_pg(search)?;
        *self.last_count.borrow_mut() = Some((search.to_owned(), stamp, count));
        Ok(count)
    }

    /// Mark `n` of the live contacts in name order on PostgreSQL, every mark read in one
    /// statement (a walk of the index) and kept until the change log moves on.
    fn name_anchor_pg(&self, n: usize) -> Result<Option<(String, i64)>> {
        let stamp = self.last_change_id()?;
        let mut slot = self.anchors.borrow_mut();
        let fresh = slot
            .as_ref()
            .is_some_and(|a| a.data_version == stamp && a.complete);
        if !fresh {
            let keys = self
                .conn
                .prepare_cached(
                    "SELECT sort_key, id FROM (
                         SELECT sort_key, id, row_number() OVER (ORDER BY sort_key, id) - 1 AS n
                         FROM contacts WHERE deleted_at IS NULL) t
                     WHERE n % ?1 = 0 ORDER BY n",
                )?
                .query_map([ANCHOR_STEP as i64], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            *slot = Some(NameAnchors {
                total_changes: 0,
                data_version: stamp,
                keys,
                complete: true,
            });
        }
        Ok(slot.as_ref().and_then(|a| a.keys.get(n).cloned()))
    }

    fn contact_position_pg(
        &self,
        search: &str,
        id: ContactId,
        key: String,
    ) -> Result<Option<usize>> {
        let before: i64 = match query_for(&self.conn, search) {
            None => self.conn.query_row(
                "SELECT COUNT(*) FROM contacts WHERE deleted_at IS NULL AND (sort_key, id) < (?1, ?2)",
                params![key, id],
                |r| r.get(0),
            )?,
            Some(q) => {
                let found: bool = self.conn.query_row(
                    "SELECT EXISTS(SELECT 1 FROM contact_fts f
                                   WHERE f.doc @@ to_tsquery('simple', ?1) AND f.rowid = ?2)",
                    params![q, id],
                    |r| r.get(0),
                )?;
                if !found {
                    return Ok(None);
                }
                self.conn.query_row(
                    "SELECT COUNT(*) FROM contact_fts f JOIN contacts c ON c.id = f.rowid
                     WHERE f.doc @@ to_tsquery('simple', ?3) AND c.deleted_at IS NULL
                       AND (c.sort_key, c.id) < (?1, ?2)",
                    params![key, id, q],
                    |r| r.get(0),
                )?
            }
        };
        Ok(Some(before as usize))
    }
}

/// Rows of one beginning in `prefix_counts` past which a count folds them into one.
const FOLD_AFTER: i64 = 32;

/// True when every word of `search` folds to parts of at most three letters, the prefixes
/// the contact index keeps (`prefix='1 2 3'`).
fn prefix_indexed(search: &str) -> bool {
    super::search::fold(search)
        .split_whitespace()
        .all(|part| part.chars().count() <= 3)
}

/// The folded word of a search that is one word of one to three letters, if it is one
/// (`contact_prefixes` holds those beginnings).
fn short_prefix(search: &str) -> Option<String> {
    let mut words = search.split_whitespace();
    let word = words.next()?;
    if words.next().is_some() {
        return None;
    }
    let folded = super::search::fold(word);
    let mut parts = folded.split_whitespace();
    let part = parts.next()?;
    let letters = part.chars().count();
    (parts.next().is_none() && (1..=3).contains(&letters)).then(|| part.to_owned())
}
