//! The full-text search index: turning what a person types into a safe FTS5 query, and writing
//! the search documents of contacts and conversations (at once, or collected for a batch).

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
                tx.prepare_cached(
                    "INSERT OR REPLACE INTO contact_fts (rowid, name, organization, details) VALUES (?1, ?2, ?3, ?4)",
                )?
                .execute(params![row.id, row.name, row.organization, row.details])?;
                Ok(())
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
    tx.prepare_cached(
        "INSERT OR REPLACE INTO interaction_fts (rowid, summary, they_said, they_need, i_promised, next_step)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        id,
        draft.summary,
        draft.they_said,
        draft.they_need,
        draft.i_promised,
        draft.next_step
    ])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::fts_query;

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
