//! Moving in: a local Rapport file copied into an empty team database in one transaction, with
//! `COPY` for speed. Every table's rows keep their ids (so links between them hold), the
//! identities continue after the highest id, and the search documents are built on the server
//! from the folded text. A dry run counts what would move and changes nothing.

use super::db::Db;
use super::search::fold;
use super::{Result, Store, StoreError};
use rusqlite::types::ValueRef;
use std::io::Write as _;
use std::path::Path;

/// The tables that move, parents before children.
const TABLES: &[&str] = &[
    "organizations",
    "import_batches",
    "contacts",
    "contact_emails",
    "contact_phones",
    "contact_addresses",
    "tags",
    "contact_tags",
    "relationships",
    "custom_fields",
    "contact_field_values",
    "organization_field_values",
    "interactions",
    "interaction_participants",
    "follow_ups",
    "follow_up_changes",
    "life_events",
    "stage_changes",
    "import_batch_changes",
    "settings",
    "import_mappings",
    "contact_health",
    "contact_photos",
];

/// What moved (or would move), table by table.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct MoveIn {
    pub rows: Vec<(&'static str, u64)>,
}

impl MoveIn {
    pub fn total(&self) -> u64 {
        self.rows.iter().map(|(_, n)| n).sum()
    }

    pub fn count(&self, table: &str) -> u64 {
        self.rows
            .iter()
            .find(|(t, _)| *t == table)
            .map_or(0, |(_, n)| *n)
    }
}

impl Store {
    /// Copies the Rapport file at `source` into this (empty) team database; with `dry_run`, only
    /// counts. The file is opened as any file is (migrated to this version first, with a
    /// backup) and read, never changed otherwise.
    pub fn move_in(&mut self, source: &Path, dry_run: bool) -> Result<MoveIn> {
        let Db::Postgres(pg) = &self.conn else {
            return Err(StoreError::Invalid(
                "Moving in copies a local file into a team database: open the team database."
                    .to_owned(),
            ));
        };
        let local = Store::open(source)?;
        let file = local.conn.sqlite()?;
        let mut report = MoveIn::default();
        for table in TABLES {
            let n: i64 =
                file.query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0))?;
            report.rows.push((table, n as u64));
        }
        if dry_run {
            return Ok(report);
        }
        let existing: i64 = self
            .conn
            .query_row("SELECT COUNT(*) FROM contacts", (), |r| r.get(0))?;
        if existing > 0 {
            let contacts = if existing == 1 { "contact" } else { "contacts" };
            return Err(StoreError::Invalid(format!(
                "The team database already holds {existing} {contacts}; moving in fills an empty one, so nothing was copied."
            )));
        }
        let tx = self.conn.transaction()?;
        // Moving in is not news for the windows already open: no change log per row.
        tx.execute_batch("SET LOCAL rapport.moving_in = 'on'")?;
        for table in TABLES {
            copy_table(&mut pg.client(), file, table)?;
        }
        for table in TABLES {
            let has_identity: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM information_schema.columns
                                WHERE table_schema = current_schema() AND table_name = ?1
                                  AND column_name = 'id' AND is_identity = 'YES')",
                [table],
                |r| r.get(0),
            )?;
            if has_identity {
                tx.query_row(
                    &format!(
                        "SELECT setval(pg_get_serial_sequence('{table}', 'id'),
                                       COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
                    ),
                    (),
                    |_| Ok(()),
                )?;
            }
        }
        build_search_documents(&mut pg.client(), &local)?;
        tx.execute_batch(
            "INSERT INTO contact_prefixes (prefix, contact_id, author)
                 SELECT DISTINCT p, f.rowid, CASE WHEN c.private = 1 THEN c.created_by END
                 FROM contact_fts f JOIN contacts c ON c.id = f.rowid, rapport_prefixes_of(f.doc) p
                 WHERE c.deleted_at IS NULL;
             DELETE FROM prefix_counts;
             INSERT INTO prefix_counts (prefix, delta)
                 SELECT prefix, COUNT(*) FROM contact_prefixes WHERE author IS NULL GROUP BY prefix;",
        )?;
        // The planner's statistics of the now full tables: without them it scanned all 100,000
        // search documents for a word four of them hold.
        tx.execute_batch("ANALYZE")?;
        tx.commit()?;
        // A move-in writes no change log, by which the remembered counts and marks go stale.
        self.last_count.take();
        self.anchors.take();
        Ok(report)
    }
}

impl Store {
    /// The rows of the file at `source` copied into this team database's tables by `COPY`
    /// and nothing else (no search documents, identities or checks): what moving in is
    /// measured against. Returns how many rows were copied.
    pub fn copy_rows_only(&mut self, source: &Path) -> Result<u64> {
        let Db::Postgres(pg) = &self.conn else {
            return Err(StoreError::Invalid("Not a team database.".to_owned()));
        };
        let local = Store::open(source)?;
        let file = local.conn.sqlite()?;
        let tx = self.conn.transaction()?;
        tx.execute_batch("SET LOCAL rapport.moving_in = 'on'")?;
        let mut rows = 0;
        for table in TABLES {
            rows += copy_table(&mut pg.client(), file, table)?;
        }
        tx.commit()?;
        Ok(rows)
    }
}

/// `COPY table (columns) FROM STDIN` with every row of the file's table, in COPY's text form.
fn copy_table(
    client: &mut postgres::Client,
    file: &rusqlite::Connection,
    table: &str,
) -> Result<u64> {
    let mut stmt = file.prepare(&format!("SELECT * FROM {table}"))?;
    let columns: Vec<String> = stmt.column_names().map(str::to_owned).collect();
    let list = columns.join(", ");
    // PostgreSQL refuses COPY into a table under row-level security (every team table is, for
    // everyone but the server's superuser): the rows go to a scratch table of the same shape,
    // then across with one INSERT, which the policies check like any other.
    client.batch_execute(&format!(
        "CREATE TEMPORARY TABLE moving_rows (LIKE {table} INCLUDING DEFAULTS) ON COMMIT DROP"
    ))?;
    let mut writer = client
        .copy_in(&format!("COPY moving_rows ({list}) FROM STDIN"))
        .map_err(StoreError::from)?;
    let mut rows = stmt.query([])?;
    let mut line = String::new();
    while let Some(row) = rows.next()? {
        line.clear();
        for i in 0..columns.len() {
            if i > 0 {
                line.push('\t');
            }
            copy_field(&mut line, row.get_ref(i)?);
        }
        line.push('\n');
        writer.write_all(line.as_bytes())?;
    }
    let copied = writer.finish().map_err(StoreError::from)?;
    client.batch_execute(&format!(
        "INSERT INTO {table} ({list}) SELECT {list} FROM moving_rows; DROP TABLE moving_rows"
    ))?;
    Ok(copied)
}

/// One value in COPY's text form: `\N` for NULL, backslash escapes, bytea as `\\x` hex.
fn copy_field(out: &mut String, value: ValueRef<'_>) {
    match value {
        ValueRef::Null => out.push_str("\\N"),
        ValueRef::Integer(i) => out.push_str(&i.to_string()),
        ValueRef::Real(f) => out.push_str(&f.to_string()),
        ValueRef::Text(t) => {
            for c in String::from_utf8_lossy(t).chars() {
                match c {
                    '\\' => out.push_str("\\\\"),
                    '\t' => out.push_str("\\t"),
                    '\n' => out.push_str("\\n"),
                    '\r' => out.push_str("\\r"),
                    c => out.push(c),
                }
            }
        }
        ValueRef::Blob(b) => {
            out.push_str("\\\\x");
            for byte in b {
                out.push_str(&format!("{byte:02x}"));
            }
        }
    }
}

/// The search documents of every contact, organization and conversation, from the text the
/// file's search index was built from, folded here and turned into `tsvector`s by the server.
fn build_search_documents(client: &mut postgres::Client, local: &Store) -> Result<()> {
    client.batch_execute(
        "CREATE TEMPORARY TABLE moving_text (kind TEXT, id BIGINT, body TEXT) ON COMMIT DROP",
    )?;
    let mut writer = client
        .copy_in("COPY moving_text (kind, id, body) FROM STDIN")
        .map_err(StoreError::from)?;
    let mut line = String::new();
    let mut send = |kind: &str, id: i64, text: &str| -> Result<()> {
        line.clear();
        line.push_str(kind);
        line.push('\t');
        line.push_str(&id.to_string());
        line.push('\t');
        // Folded text holds letters, digits and spaces only: nothing to escape.
        line.push_str(&fold(text));
        line.push('\n');
        writer.write_all(line.as_bytes()).map_err(StoreError::from)
    };
    for (kind, id, text) in local.search_texts()? {
        send(kind, id, &text)?;
    }
    writer.finish().map_err(StoreError::from)?;
    client.batch_execute(
        "INSERT INTO contact_fts (rowid, doc)
             SELECT id, to_tsvector('simple', body) FROM moving_text WHERE kind = 'c';
         INSERT INTO organization_fts (rowid, doc)
             SELECT id, to_tsvector('simple', body) FROM moving_text WHERE kind = 'o';
         INSERT INTO interaction_fts (rowid, doc)
             SELECT id, to_tsvector('simple', body) FROM moving_text WHERE kind = 'i';",
    )?;
    Ok(())
}

impl Store {
    /// The text of every search document: `c` contacts, `o` organizations, `i` conversations.
    fn search_texts(&self) -> Result<Vec<(&'static str, i64, String)>> {
        let mut texts = Vec::new();
        let live = self.exported_contacts(&crate::model::ReportScope::Everyone)?;
        let trashed = self
            .trashed_contacts()?
            .into_iter()
            .map(|t| self.contact(t.id));
        let drafts = live
            .into_iter()
            .map(|c| Ok((c.id, c.draft)))
            .chain(trashed.map(|c| c.map(|c| (c.id, c.draft))));
        for contact in drafts {
            let (id, draft) = contact?;
            let row = super::search::contact_search_row(id, &draft, false);
            let text = format!("{} {} {}", row.name, row.organization, row.details);
            texts.push(("c", id.0, text));
        }
        let db = &self.conn;
        let organizations = db
            .prepare("SELECT id, name || ' ' || notes FROM organizations")?
            .query_map((), |r| Ok(("o", r.get::<i64>(0)?, r.get::<String>(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        texts.extend(organizations);
        let interactions = db
            .prepare(
                "SELECT id, summary || ' ' || they_said || ' ' || they_need || ' '
                        || i_promised || ' ' || next_step FROM interactions",
            )?
            .query_map((), |r| Ok(("i", r.get::<i64>(0)?, r.get::<String>(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        texts.extend(interactions);
        Ok(texts)
    }
}

impl Store {
    /// A local Rapport file at `dest` holding everything of this team database that the
    /// signed-in person may read (the server's row-level security decides), so the daily safety
    /// net keeps working in team mode. Written next to `dest` and renamed when complete; an
    /// existing file is never overwritten.
    pub fn copy_to_file(&self, dest: &Path) -> Result<MoveIn> {
        if !self.conn.is_postgres() {
            return Err(StoreError::Invalid(
                "This copies a team database; a local file is backed up with backup_to.".to_owned(),
            ));
        }
        if dest.exists() {
            return Err(StoreError::Invalid(format!(
                "{} already exists; nothing was overwritten.",
                dest.display()
            )));
        }
        let partial = dest.with_extension("partial");
        let _ = std::fs::remove_file(&partial);
        let report = self.copy_into(&partial);
        match report {
            Ok(report) => {
                std::fs::rename(&partial, dest)?;
                Ok(report)
            }
            Err(e) => {
                let _ = std::fs::remove_file(&partial);
                Err(e)
            }
        }
    }

    fn copy_into(&self, path: &Path) -> Result<MoveIn> {
        let mut local = Store::open(path)?;
        let mut report = MoveIn::default();
        // What the person may read can point at what they may not (a shared conversation with
        // someone's private contact): the links are checked after the copy, and the rows whose
        // other end stayed on the server are left out.
        local
            .conn
            .sqlite()?
            .pragma_update(None, "foreign_keys", "OFF")?;
        let tx = local.conn.transaction()?;
        let file = tx.sqlite()?;
        for table in TABLES.iter().chain(&["team_members"]) {
            let mut stmt = self.conn.prepare(&format!("SELECT * FROM {table}"))?;
            let columns = stmt.column_names()?;
            let marks: Vec<String> = (1..=columns.len()).map(|i| format!("?{i}")).collect();
            let mut insert = file.prepare(&format!(
                "INSERT INTO {table} ({}) VALUES ({})",
                columns.join(", "),
                marks.join(", ")
            ))?;
            let width = columns.len();
            let mut rows = stmt.query(())?;
            let mut count = 0;
            while let Some(row) = rows.next()? {
                let values = (0..width)
                    .map(|i| row.get::<rusqlite::types::Value>(i))
                    .collect::<rusqlite::Result<Vec<_>>>()?;
                insert.execute(rusqlite::params_from_iter(values))?;
                count += 1;
            }
            if let Some(name) = TABLES.iter().find(|t| *t == table) {
                report.rows.push((name, count));
            }
        }
        tx.execute_batch(
            "DELETE FROM interaction_participants
                 WHERE contact_id NOT IN (SELECT id FROM contacts)
                    OR interaction_id NOT IN (SELECT id FROM interactions);
             DELETE FROM follow_ups WHERE contact_id NOT IN (SELECT id FROM contacts);
             UPDATE follow_ups SET interaction_id = NULL
                 WHERE interaction_id NOT IN (SELECT id FROM interactions);
             DELETE FROM follow_up_changes WHERE follow_up_id NOT IN (SELECT id FROM follow_ups);",
        )?;
        tx.commit()?;
        let file = local.conn.sqlite()?;
        file.pragma_update(None, "foreign_keys", "ON")?;
        let broken: i64 =
            file.query_row("SELECT COUNT(*) FROM pragma_foreign_key_check", [], |r| {
                r.get(0)
            })?;
        if broken > 0 {
            return Err(StoreError::Invalid(format!(
                "The copy has {broken} rows whose links point nowhere; it was not kept."
            )));
        }
        local.rebuild_search_documents()?;
        Ok(report)
    }

    /// Writes every search document of this (local) store again from its rows.
    fn rebuild_search_documents(&mut self) -> Result<()> {
        let texts = self.search_texts()?;
        self.write(|tx| {
            for (kind, id, text) in &texts {
                let table = match *kind {
                    "c" => super::search::SearchTable::Contacts,
                    "o" => super::search::SearchTable::Organizations,
                    _ => super::search::SearchTable::Interactions,
                };
                super::search::put_document(tx, table, *id, &[text])?;
            }
            Ok(())
        })
    }
}
