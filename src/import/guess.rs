//! A CSV without a header row says nothing about its columns, so they are guessed from what
//! they hold: a column of e-mail addresses is the e-mail, a column of phone numbers the phone,
//! and the text columns before them the name (one column: the full name; two: first and last
//! name, the order Thunderbird and most address books write). Everything else is left for the
//! person to choose in the preview, or with `--map` on the command line.

use super::mapping::{Column, Field};
use super::table::Table;

/// How many rows are looked at: enough to see past a few blanks, few enough to stay instant.
const SAMPLE_ROWS: usize = 200;

/// "ada@bakery.example": one `@`, something before it, a dot inside the domain, no spaces.
pub fn is_email(cell: &str) -> bool {
    let cell = cell.trim();
    let Some((local, domain)) = cell.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !cell.contains(char::is_whitespace)
}

/// "+44 7911 123456", "(415) 555-2671", "030/1234567": digits with the punctuation people
/// write numbers with, 7 to 15 digits, and not a date ("2025-12-22", "04.07.1980").
pub fn is_phone(cell: &str) -> bool {
    let cell = cell.trim();
    let allowed = |c: char| c.is_ascii_digit() || " +-().\\/".contains(c);
    let digits = cell.chars().filter(char::is_ascii_digit).count();
    cell.chars().all(allowed) && (7..=15).contains(&digits) && !is_date(cell)
}

/// Three numbers joined by `-`, `.` or `/`, each of at most two digits but one of four.
fn is_date(cell: &str) -> bool {
    let parts: Vec<&str> = cell.split(['-', '.', '/']).collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        && parts.iter().filter(|p| p.len() == 4).count() <= 1
        && parts.iter().all(|p| p.len() <= 2 || p.len() == 4)
}

/// What a column mostly holds.
#[derive(Clone, Copy, PartialEq)]
enum Shape {
    Empty,
    Email,
    Phone,
    Text,
}

fn shape_of(table: &Table, index: usize) -> Shape {
    let cells: Vec<&str> = table
        .rows
        .iter()
        .take(SAMPLE_ROWS)
        .filter_map(|row| row.get(index).map(|c| c.trim()))
        .filter(|c| !c.is_empty())
        .collect();
    if cells.is_empty() {
        return Shape::Empty;
    }
    // Half is enough: a list of e-mails has the odd "n/a", a phone column the odd extension.
    let most = |test: fn(&str) -> bool| cells.iter().filter(|c| test(c)).count() * 2 >= cells.len();
    if most(is_email) {
        Shape::Email
    } else if most(is_phone) {
        Shape::Phone
    } else {
        Shape::Text
    }
}

/// Targets for a table that has no header row, from the shapes of its columns.
pub fn columns_from_content(table: &Table) -> Vec<Column> {
    let shapes: Vec<Shape> = (0..table.headers.len())
        .map(|index| shape_of(table, index))
        .collect();
    // The name is written before the e-mail and the phone, never after them.
    let first_contact = shapes
        .iter()
        .position(|s| matches!(s, Shape::Email | Shape::Phone))
        .unwrap_or(shapes.len());
    let name_columns: Vec<usize> = (0..first_contact)
        .filter(|&i| shapes[i] == Shape::Text)
        .collect();
    let name_fields: &[Field] = match name_columns.len() {
        0 => &[],
        1 => &[Field::FullName],
        2 => &[Field::GivenName, Field::FamilyName],
        // Thunderbird's order: first name, last name, display name.
        _ => &[Field::GivenName, Field::FamilyName, Field::FullName],
    };
    let (mut emails, mut phones) = (0u16, 0u16);
    let mut columns = vec![Column::ignore(); shapes.len()];
    for (index, shape) in shapes.iter().enumerate() {
        columns[index] = match shape {
            Shape::Email => {
                emails += 1;
                Column::new(Field::Email, emails, "")
            }
            Shape::Phone => {
                phones += 1;
                Column::new(Field::Phone, phones, "")
            }
            _ => Column::ignore(),
        };
    }
    for (index, field) in name_columns.iter().zip(name_fields) {
        columns[*index] = Column::new(*field, 0, "");
    }
    columns
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_of_cells() {
        assert!(is_email("Sofia.Rossi@Maple.example"));
        assert!(!is_email("E-mail Address"));
        assert!(!is_email("ada@localhost"));
        assert!(!is_email("two words@x.org"));
        assert!(is_phone("+44 7911 123456"));
        assert!(is_phone("(415) 555-2671"));
        assert!(is_phone("555-123-4567"));
        assert!(!is_phone("2025-12-22"), "a date");
        assert!(!is_phone("04.07.1980"), "a German date");
        assert!(!is_phone("12345"), "too short for a phone");
        assert!(!is_phone("Mobile Phone"));
    }
}
