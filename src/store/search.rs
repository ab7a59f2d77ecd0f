//! The full-text search index: turning what a person types into a safe query, and writing
//! the search documents of contacts and conversations (at once, or collected for a batch).
//!
//! On SQLite the documents live in FTS5 tables; on PostgreSQL in tables of the same names with
//! a `tsvector` under a GIN index (`pg/schema.rs`). Both behave alike: every typed word is a
//! literal prefix, letters are compared without case or diacritics, and anything that is not a
//! letter or digit separates words (`fold` does for PostgreSQL what FTS5's `unicode61
//! remove_diacritics 2` tokenizer does).

use super::db::Db;
use super::{Result, StoreError};
use crate::model::{ContactDraft, ContactId, InteractionDraft, InteractionId, OrganizationId};
use rusqlite::params;

/// Builds an FTS5 query that matches rows containing every typed word as a prefix, so results
/// narrow as the user types. Returns `None` when there is nothing to search for. Quotes make
/// every character literal: FTS5 syntax in the input (`AND`, `"`, `*`, `:`) is never
/// interpreted.
pub(super) fn fts_query(text: &str) -> Option<String> {
    let terms: Vec<String> = text
        .split_whitespace()
        .filter(|word| word.chars().any(char::is_alphanumeric))
        .map(|word| format!("\"{}\"*", word.replace('"', "\"\"")))
        .collect();
    (!terms.is_empty()).then(|| terms.join(" "))
}

/// The query for `text` in the dialect of `db`: FTS5's quoted prefixes, or a `tsquery` whose
/// words are all prefixes (a typed word with inner punctuation, "o'brien", is a phrase).
pub(super) fn query_for(db: &Db, text: &str) -> Option<String> {
    if !db.is_postgres() {
        return fts_query(text);
    }
    let words: Vec<String> = text
        .split_whitespace()
        .filter_map(|word| {
            let parts: Vec<String> = fold(word)
                .split_whitespace()
                .map(|part| format!("'{part}'"))
                .collect();
            let last = parts.len().checked_sub(1)?;
            let phrase: Vec<String> = parts
                .into_iter()
                .enumerate()
                .map(|(i, p)| if i == last { format!("{p}:*") } else { p })
                .collect();
            Some(format!("({})", phrase.join(" <-> ")))
        })
        .collect();
    (!words.is_empty()).then(|| words.join(" & "))
}

/// The condition that a search table's row matches the query in the next parameter, e.g.
/// `contact_fts MATCH ?`; `table` is the search table's name or alias.
pub(super) fn matches(db: &Db, table: &str, placeholder: &str) -> String {
    if db.is_postgres() {
        format!("{table}.doc @@ to_tsquery('simple', {placeholder})")
    } else {
        format!("{table} MATCH {placeholder}")
    }
}

/// Lowercase words without diacritics, everything else a space: what FTS5's tokenizer keeps.
pub(crate) fn fold(text: &str) -> String {
    use unicode_normalization::{UnicodeNormalization, char::is_combining_mark};
    text.nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect()
}

/// Writes (or replaces) the search document `id` of `table` from its columns' text.
pub(super) fn put_document(tx: &Db, table: SearchTable, id: i64, columns: &[&str]) -> Result<()> {
    if tx.is_postgres() {
        tx.prepare_cached(&format!(
            "INSERT INTO {} (rowid, doc) VALUES (?1, to_tsvector('simple', ?2))
             ON CONFLICT (rowid) DO UPDATE SET doc = excluded.doc",
            table.name()
        ))?
        .execute(params![id, fold(&columns.join(" "))])?;
        return Ok(());
    }
    let names = table.columns();
    let marks: Vec<String> = (2..=names.len() + 1).map(|i| format!("?{i}")).collect();
    let sql = format!(
        "INSERT OR REPLACE INTO {} (rowid, {}) VALUES (?1, {})",
        table.name(),
        names.join(", "),
        marks.join(", ")
    );
    // Text given for fewer columns than the table has goes in the first ones; FTS5 searches
    // them all.
    let mut values: Vec<&dyn rusqlite::ToSql> = vec![&id];
    values.extend(columns.iter().map(|c| c as &dyn rusqlite::ToSql));
    values.resize(names.len() + 1, &"");
    tx.prepare_cached(&sql)?.execute(values.as_slice())?;
    Ok(())
}

/// The three search indexes.
#[derive(Clone, Copy)]
pub(super) enum SearchTable {
    Contacts,
    Organizations,
    Interactions,
}

impl SearchTable {
    fn name(self) -> &'static str {
        match self {
            SearchTable::Contacts => "contact_fts",
            SearchTable::Organizations => "organization_fts",
            SearchTable::Interactions => "interaction_fts",
        }
    }

    fn columns(self) -> &'static [&'static str] {
        match self {
            SearchTable::Contacts => &["name", "organization", "details"],
            SearchTable::Organizations => &["name", "notes"],
            SearchTable::Interactions => &[
                "summary",
                "they_said",
                "they_need",
                "i_promised",
                "next_step",
            ],
        }
    }
}

/// When a contact's search document is written: at once, or collected to be written after a
/// batch (`BatchWrites`, which also keeps the batch's organization and tag ids). FTS5 flushes
/// its pending terms at every statement savepoint, so an import that interleaves search rows
/// with other inserts pays a flush per contact; collecting them and writing them together at
/// the end made imports several times faster.
pub(super) enum SearchIndexing<'a> {
    Now,
    Later(&'a mut BatchWrites),
}

/// What a batch of contact writes (an import) collects to write together at the end, and the
/// organization and tag ids it has already looked up.
#[derive(Default)]
pub(super) struct BatchWrites {
    contact_rows: Vec<ContactSearchRow>,
    pub(super) organization_rows: Vec<(OrganizationId, String)>,
    pub(super) organizations: std::collections::HashMap<String, OrganizationId>,
    pub(super) tags: std::collections::HashMap<String, i64>,
}

impl BatchWrites {
    /// Writes the collected search documents, a few thousand per statement: each statement is
    /// one FTS5 savepoint, so the index is built in large runs instead of one flush per row.
    pub(super) fn finish(self, tx: &Db) -> Result<()> {
        if tx.is_postgres() {
            for r in &self.contact_rows {
                let columns = [r.name.as_str(), &r.organization, &r.details];
                put_document(tx, SearchTable::Contacts, r.id.0, &columns)?;
            }
            for (id, name) in &self.organization_rows {
                put_document(tx, SearchTable::Organizations, id.0, &[name, ""])?;
            }
            return Ok(());
        }
        let (replaced, new): (Vec<_>, Vec<_>) =
            self.contact_rows.into_iter().partition(|row| row.replace);
        for (rows, verb) in [(new, "INSERT"), (replaced, "INSERT OR REPLACE")] {
            for chunk in rows.chunks(5000) {
                let json = serde_json::to_string(
                    &chunk
                        .iter()
                        .map(|r| (r.id.0, &r.name, &r.organization, &r.details))
                        .collect::<Vec<_>>(),
                )
                .map_err(|e| StoreError::Invalid(e.to_string()))?;
                tx.prepare_cached(&format!(
                    "{verb} INTO contact_fts (rowid, name, organization, details)
                     SELECT value->>0, value->>1, value->>2, value->>3 FROM json_each(?1)"
                ))?
                .execute([json])?;
            }
        }
        for chunk in self.organization_rows.chunks(5000) {
            let json = serde_json::to_string(
                &chunk
                    .iter()
                    .map(|(id, name)| (id.0, name))
                    .collect::<Vec<_>>(),
            )
            .map_err(|e| StoreError::Invalid(e.to_string()))?;
            tx.prepare_cached(
                "INSERT INTO organization_fts (rowid, name, notes)
                 SELECT value->>0, value->>1, '' FROM json_each(?1)",
            )?
            .execute([json])?;
        }
        Ok(())
    }
}

/// One contact's full-text document.
pub(super) struct ContactSearchRow {
    pub(super) id: ContactId,
    pub(super) name: String,
    pub(super) organization: String,
    pub(super) details: String,
    /// The contact had a document already (an update, not a new contact).
    replace: bool,
}

impl SearchIndexing<'_> {
    pub(super) fn write(&mut self, tx: &Db, row: ContactSearchRow) -> Result<()> {
        match self {
            SearchIndexing::Now => {
                let columns = [row.name.as_str(), &row.organization, &row.details];
                put_document(tx, SearchTable::Contacts, row.id.0, &columns)
            }
            SearchIndexing::Later(batch) => {
                batch.contact_rows.push(row);
                Ok(())
            }
        }
    }
}

/// A contact's search document, from the same fields `write_contact_children` writes (so undo
/// can write it again after putting rows back): e-mails, phones, cities and tags, then the
/// personal notes.
pub(super) fn contact_search_row(
    id: ContactId,
    draft: &ContactDraft,
    replace: bool,
) -> ContactSearchRow {
    let name = draft.effective_display_name();
    let mut details: Vec<&str> = Vec::new();
    details.extend(
        draft
            .emails
            .iter()
            .filter(|e| !e.address.trim().is_empty())
            .map(|e| e.address.as_str()),
    );
    details.extend(
        draft
            .phones
            .iter()
            .filter(|p| !p.number.trim().is_empty())
            .map(|p| p.number.as_str()),
    );
    details.extend(
        draft
            .addresses
            .iter()
            .filter(|a| !a.is_blank())
            .map(|a| a.city.as_str()),
    );
    details.extend(
        draft
            .tags
            .iter()
            .map(|t| t.trim())
            .filter(|t| !t.is_empty()),
    );
    details.extend([
        draft.family.as_str(),
        draft.interests.as_str(),
        draft.personal_notes.as_str(),
        draft.how_we_met.as_str(),
    ]);
    let fields = crate::model::custom_field::search_words(&draft.custom_fields);
    details.push(&fields);
    // The display name, then any name part it does not already contain (usually none): each
    // word indexed once keeps the search index and an import's indexing time smaller.
    let mut full_name = name.clone();
    for part in [
        draft.given_name.as_str(),
        draft.middle_name.as_str(),
        draft.family_name.as_str(),
        draft.nickname.as_str(),
    ] {
        if !part.trim().is_empty() && !name.contains(part.trim()) {
            full_name.push(' ');
            full_name.push_str(part.trim());
        }
    }
    ContactSearchRow {
        id,
        name: full_name,
        organization: format!("{} {}", draft.organization, draft.title),
        details: details.join(" "),
        replace,
    }
}

pub(super) fn index_interaction(
    tx: &Db,
    id: InteractionId,
    draft: &InteractionDraft,
) -> Result<()> {
    let columns = [
        draft.summary.as_str(),
        &draft.they_said,
        &draft.they_need,
        &draft.i_promised,
        &draft.next_step,
    ];
    put_document(tx, SearchTable::Interactions, id.0, &columns)
}

#[cfg(test)]
mod tests {
    use super::{fold, fts_query};

    #[test]
    fn folding_keeps_letters_and_digits_without_case_or_accents() {
        assert_eq!(fold("Zoë O'Brien-Łukasz, 42"), "zoe o brien łukasz  42");
        assert_eq!(fold("ana@example.com"), "ana example com");
    }

    #[test]
    fn words_become_quoted_prefixes() {
        assert_eq!(fts_query("  "), None);
        assert_eq!(fts_query("- * \""), None);
        assert_eq!(fts_query("ada bak").as_deref(), Some("\"ada\"* \"bak\"*"));
        assert_eq!(
            fts_query("say \"hi\"").as_deref(),
            Some("\"say\"* \"\"\"hi\"\"\"*")
        );
    }
}
