//! CSV text to a table: the delimiter (`,` `;` tab `|`) is detected, a LinkedIn-style preamble
//! before the header row is skipped, quoted fields may hold newlines and `""`, and ragged rows
//! are padded or trimmed with a note.

/// A CSV file as a header row and data rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub delimiter: u8,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// Lines before the header row that were skipped (LinkedIn's "Notes:" paragraph).
    pub skipped_lines: usize,
    /// Data rows whose number of cells differed from the header's (1-based row numbers).
    pub ragged_rows: Vec<usize>,
    /// False when the first row was already a person: the headers are then "Column 1", …
    pub has_header_row: bool,
}

fn count_outside_quotes(line: &str, delimiter: char) -> usize {
    let mut in_quotes = false;
    let mut count = 0;
    for c in line.chars() {
        if c == '"' {
            in_quotes = !in_quotes;
        } else if c == delimiter && !in_quotes {
            count += 1;
        }
    }
    count
}

/// The line of `body` (1-based) where a quoted cell opens that is never closed. The csv crate
/// would read everything after it, to the end of the file, as that one cell. Follows its rules:
/// a quote opens a cell only as the cell's first character, `""` inside is a quote, and after
/// the closing quote the cell goes on unquoted.
fn unclosed_quote_line(body: &str, delimiter: u8) -> Option<usize> {
    let mut line = 1;
    let mut opened_on = None;
    let mut at_cell_start = true;
    let mut bytes = body.bytes().peekable();
    while let Some(b) = bytes.next() {
        if b == b'\n' {
            line += 1;
        }
        if opened_on.is_some() {
            if b == b'"' {
                if bytes.peek() == Some(&b'"') {
                    bytes.next();
                } else {
                    opened_on = None;
                }
            }
        } else if b == b'"' && at_cell_start {
            opened_on = Some(line);
            at_cell_start = false;
        } else {
            at_cell_start = b == delimiter || b == b'\n' || b == b'\r';
        }
    }
    opened_on
}

/// The most frequent delimiter in the header line.
fn detect_delimiter(header_line: &str) -> u8 {
    let mut best = (b',', 0);
    for candidate in [b',', b';', b'\t', b'|'] {
        let n = count_outside_quotes(header_line, candidate as char);
        if n > best.1 {
            best = (candidate, n);
        }
    }
    best.0
}

/// Known header words; the first line holding two of them is the header row.
const HEADER_WORDS: &[&str] = &[
    "first name",
    "last name",
    "name",
    "e-mail",
    "email",
    "company",
    "organization",
    "phone",
    "display name",
    "given name",
    "family name",
    "title",
    "position",
    "vorname",
    "nachname",
    "prénom",
];

fn looks_like_header(line: &str) -> bool {
    let lower = line.to_lowercase();
    HEADER_WORDS.iter().filter(|w| lower.contains(*w)).count() >= 2
}

/// A first row that holds an e-mail address or a phone number is a person, not column names:
/// no program writes those shapes into a header.
fn first_row_is_data(line: &str) -> bool {
    let delimiter = detect_delimiter(line) as char;
    line.split(delimiter)
        .map(|cell| cell.trim().trim_matches('"'))
        .any(|cell| super::guess::is_email(cell) || super::guess::is_phone(cell))
}

/// Reads CSV text into a table, or says why it is not a contact table.
pub fn read_table(text: &str) -> Result<Table, String> {
    read_table_with(text, false)
}

/// Reads CSV text into a table; `no_header` says the first row is already a person (the
/// command line's `--no-header`), which is otherwise recognised from the row's content.
pub fn read_table_with(text: &str, no_header: bool) -> Result<Table, String> {
    let first = text
        .lines()
        .find(|l| !l.trim().is_empty())
        .ok_or("The file has no rows.")?;
    if no_header || first_row_is_data(first) {
        return read_headerless(text, detect_delimiter(first));
    }
    // Skip a preamble (LinkedIn exports start with "Notes:" and a quoted paragraph).
    let mut offset = 0;
    let mut skipped_lines = 0;
    let mut header_line = None;
    for line in text.split_inclusive('\n').take(40) {
        let trimmed = line.trim();
        if !trimmed.is_empty() && looks_like_header(trimmed) {
            header_line = Some(trimmed.to_owned());
            break;
        }
        offset += line.len();
        skipped_lines += 1;
    }
    let header_line_found = header_line.is_some();
    let (body, header_line) = match header_line {
        Some(h) => (&text[offset..], h),
        None => {
            // No known words: take the first non-empty line as the header (generic CSV).
            let first = text
                .lines()
                .find(|l| !l.trim().is_empty())
                .ok_or("The file has no rows.")?;
            skipped_lines = 0;
            (text, first.to_owned())
        }
    };
    let delimiter = detect_delimiter(&header_line);
    // One column is a table too when its one header says what it holds ("E-mail Address").
    let one_known_column =
        super::mapping::classify(&header_line).field != super::mapping::Field::Ignore;
    if count_outside_quotes(&header_line, delimiter as char) == 0
        && !looks_like_header(&header_line)
        && !one_known_column
    {
        return Err("This does not look like a CSV contact list: the first row has no column names separated by commas, semicolons or tabs.".to_owned());
    }
    if let Some(line) = unclosed_quote_line(body, delimiter) {
        let line = if header_line_found {
            skipped_lines + line
        } else {
            line
        };
        return Err(format!(
            "Line {line} opens a quoted cell (\") that is never closed, so the rest of the file would run together into one cell. Close or remove that quote and import again."
        ));
    }
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(true)
        .flexible(true)
        .trim(csv::Trim::None)
        .from_reader(body.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| format!("The header row cannot be read: {e}"))?
        .iter()
        .map(|h| h.trim().trim_start_matches('\u{feff}').to_owned())
        .collect();
    let (rows, ragged_rows) = collect_rows(reader.records(), headers.len())?;
    Ok(Table {
        delimiter,
        headers,
        rows,
        skipped_lines,
        ragged_rows,
        has_header_row: true,
    })
}

/// A table whose first row is data: as wide as that row, its columns named by number.
fn read_headerless(text: &str, delimiter: u8) -> Result<Table, String> {
    if let Some(line) = unclosed_quote_line(text, delimiter) {
        return Err(format!(
            "Line {line} opens a quoted cell (\") that is never closed, so the rest of the file would run together into one cell. Close or remove that quote and import again."
        ));
    }
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::None)
        .from_reader(text.as_bytes());
    let mut records = reader.records().peekable();
    let width = match records.peek() {
        Some(Ok(first)) => first.len(),
        _ => 0,
    };
    let (rows, ragged_rows) = collect_rows(records, width)?;
    Ok(Table {
        delimiter,
        headers: (1..=width).map(|n| format!("Column {n}")).collect(),
        rows,
        skipped_lines: 0,
        ragged_rows,
        has_header_row: false,
    })
}

/// The data rows, blank ones left out and each made `width` cells wide, and the 1-based
/// numbers of the rows that were not.
fn collect_rows(
    records: impl Iterator<Item = Result<csv::StringRecord, csv::Error>>,
    width: usize,
) -> Result<(Vec<Vec<String>>, Vec<usize>), String> {
    let mut rows = Vec::new();
    let mut ragged_rows = Vec::new();
    for (index, record) in records.enumerate() {
        let record = record.map_err(|e| format!("Row {} cannot be read: {e}", index + 1))?;
        let mut cells: Vec<String> = record.iter().map(|c| c.to_owned()).collect();
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if cells.len() != width {
            // A trailing empty cell from a final delimiter is not worth a note.
            let only_trailing_blank =
                cells.len() == width + 1 && cells.last().is_some_and(|c| c.is_empty());
            if !only_trailing_blank {
                ragged_rows.push(index + 1);
            }
            cells.resize(width, String::new());
        }
        rows.push(cells);
    }
    Ok((rows, ragged_rows))
}

#[cfg(test)]
mod tests {
    use super::read_table;

    #[test]
    fn delimiters_quotes_preamble_and_ragged_rows() {
        let t = read_table("Vorname;Nachname;Firma\nJürgen;Weiß;\"Bäcker; Konditor\"\n").unwrap();
        assert_eq!(t.delimiter, b';');
        assert_eq!(t.rows[0], vec!["Jürgen", "Weiß", "Bäcker; Konditor"]);

        let linkedin = "Notes:\n\"When exporting your connection data, you may notice that some of the email addresses are missing.\"\n\nFirst Name,Last Name,URL,Email Address,Company,Position,Connected On\nAda,Baker,https://www.linkedin.com/in/ada,,Golden Crust,Owner,22 Dec 2025\n";
        let t = read_table(linkedin).unwrap();
        assert_eq!(t.skipped_lines, 3);
        assert_eq!(t.headers[6], "Connected On");
        assert_eq!(t.rows.len(), 1);

        let t = read_table("Name,E-mail,Notes\n\"Ada\",ada@x.org,\"two\nlines with \"\"quotes\"\"\"\nBob,bob@x.org\nCy,cy@x.org,a,b\n").unwrap();
        assert_eq!(t.rows[0][2], "two\nlines with \"quotes\"");
        assert_eq!(t.rows[1], vec!["Bob", "bob@x.org", ""]);
        assert_eq!(t.ragged_rows, vec![2, 3]);

        let t =
            read_table("First Name\tLast Name\tE-mail Address\nAda\tBaker\tada@x.org\n").unwrap();
        assert_eq!(t.delimiter, b'\t');
        assert!(read_table("just one line of prose without columns").is_err());
    }

    #[test]
    fn an_unclosed_quote_is_refused_with_its_line() {
        let error =
            read_table("Notes:\n\nName,E-mail\nAda,ada@x.org\n\"Bob,bob@x.org\nCy,cy@x.org\n")
                .unwrap_err();
        assert!(error.starts_with("Line 5 opens a quoted cell"), "{error}");
        // Quotes inside an unquoted cell, doubled quotes and quoted newlines are fine.
        let t = read_table("Name,Notes\nAda \"Bo\" Baker,\"said \"\"hi\"\"\nand left\"\n").unwrap();
        assert_eq!(t.rows[0], vec!["Ada \"Bo\" Baker", "said \"hi\"\nand left"]);
    }
}
