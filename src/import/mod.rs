//! Import: bytes of a contact file → contact drafts plus per-row problems. No SQL, no egui.
//! The store turns these into a plan (what will be created, merged, skipped, and why) and
//! applies it in one transaction as an undoable batch.

pub mod conversation_files;
mod decode;
pub mod display;
mod guess;
mod localized;
pub mod mail;
pub mod mapping;
pub mod meetings;
pub mod quick_add;
mod records;
mod table;
mod vcard;
mod vcard_legacy;

pub use decode::{Decoded, decode};
pub use mapping::{Column, Field, Format};
pub use records::{
    ImportedContact, RowProblem, normalize_phone, parse_birthday, records_from_table,
};
pub use table::{Table, read_table, read_table_with};

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
    /// The contact fields defined where the file goes: its values are read for these.
    pub custom_fields: Vec<crate::model::custom_field::CustomField>,
}

impl ParsedFile {
    /// Rebuilds the contacts after the user changed a column's target.
    pub fn remap(&mut self, mapping: Vec<Column>, phone_region: &str) {
        if let Some(table) = &self.table {
            let (mut contacts, mut problems) = records_from_table(table, &mapping, phone_region);
            clean_custom_values(&mut contacts, &mut problems, &self.custom_fields);
            let (contacts, notes) = merge_duplicates_in_file(contacts);
            self.mapping = mapping;
            self.contacts = contacts;
            self.problems = problems;
            self.notes.retain(|n| !n.starts_with("Row "));
            self.notes.extend(notes);
        }
    }
}

/// What the person chose about a CSV before it is read: the window's column choices, asked
/// for on the command line (`--no-header`, `--map "Column=field"`).
#[derive(Clone, Debug, Default)]
pub struct ReadOptions {
    /// The first row is a person, not column names.
    pub no_header: bool,
    /// A header name or a 1-based column number, and where that column goes.
    pub columns: Vec<(String, Column)>,
    /// The contact fields defined where the file goes: a column named like one (and a
    /// vCard's `X-RAPPORT-FIELD`) fills it.
    pub custom_fields: Vec<crate::model::custom_field::CustomField>,
}

/// Reads a contact file of any supported kind. `file_name` helps tell vCard from CSV;
/// `saved_mapping` is the mapping the user chose last time for the same header row.
pub fn parse_file(
    bytes: &[u8],
    file_name: &str,
    phone_region: &str,
    saved_mapping: impl Fn(&str) -> Option<Vec<Column>>,
) -> Result<ParsedFile, String> {
    parse_file_with(
        bytes,
        file_name,
        phone_region,
        saved_mapping,
        &ReadOptions::default(),
    )
}

/// [`parse_file`] with the person's choices about the columns of a CSV.
pub fn parse_file_with(
    bytes: &[u8],
    file_name: &str,
    phone_region: &str,
    saved_mapping: impl Fn(&str) -> Option<Vec<Column>>,
    options: &ReadOptions,
) -> Result<ParsedFile, String> {
    let vcard_bytes =
        decode::looks_like_vcard(bytes) || file_name.to_ascii_lowercase().ends_with(".vcf");
    // A vCard may name each property's charset; those are read before any guessing.
    let decoded = if vcard_bytes {
        decode::decode_vcard(bytes)?
    } else {
        decode(bytes)?
    };
    let text = decoded.text.trim_start_matches('\u{feff}');
    let begins_vcard = text
        .trim_start()
        .get(..11)
        .is_some_and(|start| start.eq_ignore_ascii_case("BEGIN:VCARD"));
    if vcard_bytes || begins_vcard {
        let (mut contacts, mut problems) = vcard::records_from_vcard(text, phone_region)?;
        clean_custom_values(&mut contacts, &mut problems, &options.custom_fields);
        let (contacts, duplicate_notes) = merge_duplicates_in_file(contacts);
        return Ok(ParsedFile {
            format: Format::VCard,
            encoding: decoded.encoding,
            table: None,
            mapping: Vec::new(),
            contacts,
            problems,
            notes: [decoded.notes, duplicate_notes].concat(),
            custom_fields: options.custom_fields.clone(),
        });
    }
    let table = table::read_table_with(text, options.no_header)?;
    let mut mapping = saved_mapping(&mapping::header_signature(&table.headers))
        .filter(|m| m.len() == table.headers.len())
        .unwrap_or_else(|| {
            if table.has_header_row {
                mapping::default_mapping(&table.headers)
            } else {
                guess::columns_from_content(&table)
            }
        });
    if table.has_header_row {
        custom_columns(&table.headers, &mut mapping, &options.custom_fields);
    }
    choose_columns(&table, &mut mapping, &options.columns)?;
    if mapping.iter().all(|c| c.field == Field::Ignore) {
        return Err(if table.has_header_row {
            "None of the columns could be matched to contact fields by name. Check that the first row holds column names."
        } else {
            "The file has no header row, and no column looks like names, e-mail addresses or phone numbers."
        }
        .to_owned());
    }
    let format = if table.has_header_row {
        mapping::detect_format(&table.headers)
    } else {
        Format::NoHeader
    };
    let notes = [decoded.notes.clone(), table_notes(&table)].concat();
    let (mut contacts, mut problems) = records_from_table(&table, &mapping, phone_region);
    clean_custom_values(&mut contacts, &mut problems, &options.custom_fields);
    let (contacts, duplicate_notes) = merge_duplicates_in_file(contacts);
    Ok(ParsedFile {
        format,
        encoding: decoded.encoding,
        table: Some(table),
        mapping,
        contacts,
        problems,
        notes: [notes, duplicate_notes].concat(),
        custom_fields: options.custom_fields.clone(),
    })
}

/// Sends a column whose header is a custom field's name (as Rapport's own CSV export writes
/// them) to that field.
fn custom_columns(
    headers: &[String],
    mapping: &mut [Column],
    fields: &[crate::model::custom_field::CustomField],
) {
    for (index, header) in headers.iter().enumerate() {
        if let (Some(field), Some(column)) = (
            crate::model::custom_field::find(fields, header),
            mapping.get_mut(index),
        ) {
            *column = Column::new(Field::Custom, 200 + index as u16, &field.name);
        }
    }
}

/// Makes each contact's custom values fit the fields defined (`custom_field::clean_values`);
/// what does not fit is a problem of its row, and the rest of the row is kept.
fn clean_custom_values(
    contacts: &mut [ImportedContact],
    problems: &mut Vec<RowProblem>,
    fields: &[crate::model::custom_field::CustomField],
) {
    let before = problems.len();
    for contact in contacts.iter_mut() {
        if contact.draft.custom_fields.is_empty() {
            continue;
        }
        for message in
            crate::model::custom_field::clean_values(&mut contact.draft.custom_fields, fields)
        {
            problems.push(RowProblem {
                row: contact.row,
                message,
            });
        }
    }
    if problems.len() > before {
        problems.sort_by_key(|p| p.row);
    }
}

/// What is worth saying about the table as a whole.
fn table_notes(table: &Table) -> Vec<String> {
    let mut notes = Vec::new();
    if !table.has_header_row {
        notes.push("The file has no header row: its first row is a person. The columns are named Column 1, Column 2, … and where each goes was guessed from what it holds; check them under Columns.".to_owned());
    }
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
    notes
}

/// Sends the columns the person named (a header, or a 1-based number) where they said, or
/// says which one the file does not have.
fn choose_columns(
    table: &Table,
    mapping: &mut [Column],
    choices: &[(String, Column)],
) -> Result<(), String> {
    for (name, target) in choices {
        let wanted = name.trim();
        let index = match wanted.parse::<usize>() {
            Ok(number) if (1..=table.headers.len()).contains(&number) => number - 1,
            Ok(number) => {
                return Err(format!(
                    "There is no column {number}: the file has only {} columns.",
                    table.headers.len()
                ));
            }
            Err(_) => table
                .headers
                .iter()
                .position(|h| h.trim().eq_ignore_ascii_case(wanted))
                .ok_or_else(|| {
                    format!(
                        "The file has no column named \"{wanted}\"; its columns are: {}.",
                        table.headers.join(", ")
                    )
                })?,
        };
        // A column of its own slot, as in the window, so it pairs with no other column.
        let mut column = target.clone();
        column.slot = 100 + index as u16;
        mapping[index] = column;
    }
    Ok(())
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
                kept[index].relations.extend(contact.relations);
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
