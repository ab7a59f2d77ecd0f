//! Import: bytes of a contact file → contact drafts plus per-row problems. No SQL, no egui.
//! The store turns these into a plan (what will be created, merged, skipped, and why) and
//! applies it in one transaction as an undoable batch.

mod decode;
pub mod display;
pub mod mapping;
mod records;
mod table;
mod vcard;

pub use decode::{Decoded, decode};
pub use mapping::{Column, Field, Format};
pub use records::{
    ImportedContact, RowProblem, normalize_phone, parse_birthday, records_from_table,
};
pub use table::{Table, read_table};

/// A file read for import: what it is, a preview, and the contacts found (for the current
/// column mapping).
#[derive(Clone, Debug)]
pub struct ParsedFile {
    pub format: Format,
    pub encoding: &'static str,
    /// The CSV table (None for vCard), kept so the mapping can be changed and applied again.
    pub table: Option<Table>,
    pub mapping: Vec<Column>,
    pub contacts: Vec<ImportedContact>,
    pub problems: Vec<RowProblem>,
    /// Things worth saying about the file as a whole (a skipped preamble, ragged rows, …).
    pub notes: Vec<String>,
}

impl ParsedFile {
    /// Rebuilds the contacts after the user changed a column's target.
    pub fn remap(&mut self, mapping: Vec<Column>, phone_region: &str) {
        if let Some(table) = &self.table {
            let (contacts, problems) = records_from_table(table, &mapping, phone_region);
            let (contacts, notes) = merge_duplicates_in_file(contacts);
            self.mapping = mapping;
            self.contacts = contacts;
            self.problems = problems;
            self.notes.retain(|n| !n.starts_with("Row "));
            self.notes.extend(notes);
        }
    }
}

/// Reads a contact file of any supported kind. `file_name` helps tell vCard from CSV;
/// `saved_mapping` is the mapping the user chose last time for the same header row.
pub fn parse_file(
    bytes: &[u8],
    file_name: &str,
    phone_region: &str,
    saved_mapping: impl Fn(&str) -> Option<Vec<Column>>,
) -> Result<ParsedFile, String> {
    let decoded = decode(bytes)?;
    let text = decoded.text.trim_start_matches('\u{feff}');
    let looks_vcard = text
        .trim_start()
        .to_ascii_uppercase()
        .starts_with("BEGIN:VCARD")
        || file_name.to_ascii_lowercase().ends_with(".vcf");
    if looks_vcard {
        let (contacts, problems) = vcard::records_from_vcard(text, phone_region)?;
        let (contacts, duplicate_notes) = merge_duplicates_in_file(contacts);
        let mut notes = decoded.notes;
        notes.extend(duplicate_notes);
        return Ok(ParsedFile {
            format: Format::VCard,
            encoding: decoded.encoding,
            table: None,
            mapping: Vec::new(),
            contacts,
            problems,
            notes,
        });
    }
    let table = read_table(text)?;
    let format = mapping::detect_format(&table.headers);
    let mapping = saved_mapping(&mapping::header_signature(&table.headers))
        .filter(|m| m.len() == table.headers.len())
        .unwrap_or_else(|| mapping::default_mapping(&table.headers));
    if mapping.iter().all(|c| c.field == Field::Ignore) {
        return Err("None of the columns could be matched to contact fields by name. Check that the first row holds column names.".to_owned());
    }
    let mut notes = decoded.notes.clone();
    if table.skipped_lines > 0 {
        notes.push(format!(
            "Skipped {} line(s) before the column names.",
            table.skipped_lines
        ));
    }
    if !table.ragged_rows.is_empty() {
        notes.push(format!(
            "{} row(s) had a different number of cells than the header (first: row {}); missing cells were left empty.",
            table.ragged_rows.len(),
            table.ragged_rows[0]
        ));
    }
    let (contacts, problems) = records_from_table(&table, &mapping, phone_region);
    let (contacts, duplicate_notes) = merge_duplicates_in_file(contacts);
    notes.extend(duplicate_notes);
    Ok(ParsedFile {
        format,
        encoding: decoded.encoding,
        table: Some(table),
        mapping,
        contacts,
        problems,
        notes,
    })
}

/// Folds rows of the same file that share an e-mail address into the first of them.
pub fn merge_duplicates_in_file(
    contacts: Vec<ImportedContact>,
) -> (Vec<ImportedContact>, Vec<String>) {
    let mut kept: Vec<ImportedContact> = Vec::with_capacity(contacts.len());
    let mut by_email: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut notes = Vec::new();
    for contact in contacts {
        let earlier = contact
            .draft
            .emails
            .iter()
            .find_map(|e| by_email.get(&e.address.to_lowercase()).copied());
        match earlier {
            Some(index) => {
                let first_row = kept[index].row;
                kept[index].draft.merge_from(&contact.draft);
                notes.push(format!(
                    "Row {} has the same e-mail as row {first_row}; they were combined.",
                    contact.row
                ));
            }
            None => {
                let index = kept.len();
                for email in &contact.draft.emails {
                    by_email
                        .entry(email.address.to_lowercase())
                        .or_insert(index);
                }
                kept.push(contact);
            }
        }
    }
    (kept, notes)
}

/// The rows that had problems, as a CSV to fix and import again: the original columns (for a
/// CSV file) and a "Problem" column with the reason.
pub fn problems_csv(parsed: &ParsedFile) -> Vec<u8> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let result = (|| -> Result<(), csv::Error> {
        match &parsed.table {
            Some(table) => {
                let mut header: Vec<&str> = table.headers.iter().map(String::as_str).collect();
                header.push("Problem");
                writer.write_record(&header)?;
                for problem in &parsed.problems {
                    let mut record: Vec<String> = problem
                        .row
                        .checked_sub(1)
                        .and_then(|i| table.rows.get(i))
                        .cloned()
                        .unwrap_or_else(|| vec![String::new(); table.headers.len()]);
                    record.push(problem.message.clone());
                    writer.write_record(&record)?;
                }
            }
            None => {
                writer.write_record(["Card", "Problem"])?;
                for problem in &parsed.problems {
                    writer.write_record([problem.row.to_string(), problem.message.clone()])?;
                }
            }
        }
        Ok(())
    })();
    if let Err(e) = result {
        tracing::warn!("could not build the problems CSV: {e}");
    }
    writer.into_inner().unwrap_or_default()
}
