//! A dump of the whole database, for tests comparing it before a change and after its undo.

use crate::store::{Result, Store};
use rusqlite::types::Value;

impl Store {
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
