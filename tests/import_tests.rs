//! Import on real files: the project's own fixtures for every format, and the public real-world
//! samples in ../shared/fixtures when that folder exists. Plans, merges, all-or-nothing apply
//! and undo run on a real SQLite file.

use crate::common::each_engine;
use rapport::import::{Format, ParsedFile, parse_file};
use rapport::model::ContactDraft;
use rapport::store::Store;
use rapport::store::import::{Action, MatchRule};
use std::path::{Path, PathBuf};

pub(crate) fn own(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import")
        .join(name)
}

pub(crate) fn parse(path: &Path, region: &str) -> ParsedFile {
    let bytes = std::fs::read(path).unwrap();
    let name = path.file_name().unwrap().to_string_lossy();
    parse_file(&bytes, &name, region, |_| None)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

pub(crate) fn by_name<'a>(parsed: &'a ParsedFile, name: &str) -> &'a ContactDraft {
    &parsed
        .contacts
        .iter()
        .find(|c| c.draft.display_name == name)
        .unwrap_or_else(|| {
            panic!(
                "{name} not in {:?}",
                parsed
                    .contacts
                    .iter()
                    .map(|c| &c.draft.display_name)
                    .collect::<Vec<_>>()
            )
        })
        .draft
}

#[test]
fn google_current_layout() {
    let p = parse(&own("google_current.csv"), "GB");
    assert_eq!((p.format, p.encoding), (Format::GoogleCurrent, "UTF-8"));
    let maria = by_name(&p, "María García");
    assert_eq!(maria.organization, "Golden Crust Bakery");
    assert_eq!(maria.title, "Owner");
    assert_eq!(
        maria.emails[0].address, "maria@goldencrust.example",
        "* marks the primary"
    );
    assert_eq!(maria.emails[0].label, "work");
    assert_eq!(
        maria
            .phones
            .iter()
            .map(|p| p.number.as_str())
            .collect::<Vec<_>>(),
        ["+447911123456", "+442079460018"],
        "::: splits, E.164"
    );
    assert_eq!(maria.birthday.unwrap().to_string(), "--12-01");
    assert_eq!(
        maria.tags,
        vec!["VIP", "Wholesale"],
        "myContacts is Google's, not a tag"
    );
    assert_eq!(maria.addresses[0].city, "London");
    assert!(
        maria.personal_notes.contains("Same person as row 1"),
        "row 3 has the same e-mail and was combined"
    );
    assert!(
        p.notes
            .iter()
            .any(|n| n.contains("Row 3 has the same e-mail as row 1"))
    );
    assert!(
        p.problems
            .iter()
            .any(|pr| pr.row == 4 && pr.message.contains("skipped"))
    );
    assert_eq!(
        by_name(&p, "Kenji Tanaka").phones[0].number,
        "(415) 555-2671",
        "a US number stays as written with region GB"
    );
}

#[test]
fn outlook_desktop_windows_1252_and_outlook_com() {
    let p = parse(&own("outlook_desktop_cp1252.csv"), "FR");
    assert_eq!((p.format, p.encoding), (Format::Outlook, "windows-1252"));
    let jose = by_name(&p, "José Müller");
    assert_eq!(
        (
            jose.prefix.as_str(),
            jose.organization.as_str(),
            jose.title.as_str()
        ),
        ("Mr.", "Café Crème", "Gérant")
    );
    assert_eq!(jose.birthday.unwrap().to_string(), "1980-07-04");
    assert_eq!(jose.tags, vec!["Restaurants", "VIP"]);
    assert_eq!(jose.phones[0].label, "work");
    assert_eq!(
        by_name(&p, "Zoë Ångström").birthday,
        None,
        "0/0/00 is Outlook's empty date"
    );

    let p = parse(&own("outlook_com.csv"), "US");
    let aisha = by_name(&p, "Aisha Okafor");
    assert_eq!(
        (aisha.organization.as_str(), aisha.title.as_str()),
        ("Northside Pharmacy", "Purchasing Manager")
    );
    assert_eq!(aisha.emails[0].address, "aisha@northside.example");
    assert_eq!(aisha.birthday.unwrap().to_string(), "1985-02-28");
}

#[test]
fn linkedin_excel_semicolons_and_utf16() {
    let p = parse(&own("linkedin_connections.csv"), "US");
    assert_eq!(p.format, Format::LinkedIn);
    assert!(p.notes.iter().any(|n| n.contains("Skipped 3 line(s)")));
    let sofia = p
        .contacts
        .iter()
        .find(|c| c.draft.display_name == "Sofia Rossi")
        .unwrap();
    assert_eq!(sofia.connected_on.unwrap().to_string(), "2025-12-22");
    assert_eq!(sofia.draft.organization, "Maple Florist");

    let p = parse(&own("excel_semicolon.csv"), "DE");
    let jurgen = by_name(&p, "Jürgen Weiß");
    assert_eq!(jurgen.organization, "Bäckerei Weiß; Filiale Nord");
    assert_eq!(jurgen.phones[0].number, "+4915123456789");
    assert_eq!(jurgen.birthday.unwrap().to_string(), "1975-07-04");

    let p = parse(&own("excel_unicode.txt"), "US");
    assert_eq!(p.encoding, "UTF-16LE");
    assert_eq!(
        by_name(&p, "Nadia Haddad").emails[0].address,
        "nadia@sunrise.example"
    );
}

#[test]
fn vcards_2_1_quoted_printable_and_4_0() {
    let p = parse(&own("phone_v21.vcf"), "FR");
    assert_eq!(p.format, Format::VCard);
    let chloe = by_name(&p, "Chloé Dubois");
    assert_eq!(chloe.phones[0].number, "+33612345678");
    assert_eq!(chloe.organization, "Blue Door Deli");
    assert_eq!(
        by_name(&p, "Arjun Iyer").birthday.unwrap().to_string(),
        "1990-01-15",
        "no FN: the name is built from N"
    );

    let p = parse(&own("card_v4.vcf"), "US");
    let hannah = by_name(&p, "Hannah Larsen");
    assert_eq!(hannah.birthday.unwrap().to_string(), "--12-01");
    assert_eq!(hannah.tags, vec!["local", "retail"]);
    assert_eq!(hannah.personal_notes, "Met at the trade fair, Lyon");
}

/// A spouse or child named on a card (vCard 4.0 RELATED, Apple's related names, Outlook's
/// and Evolution's X-SPOUSE) lands in the contact's family notes, where the header shows it.
#[test]
fn a_spouse_on_a_card_is_kept_in_the_family_notes() {
    let p = parse(&own("relations.vcf"), "US");
    assert_eq!(
        by_name(&p, "Ana Lima").family,
        "Spouse: Paulo Lima; Child: Bia"
    );
    assert_eq!(
        by_name(&p, "Tom Becker").family,
        "Spouse: Julia Becker; Child: Max"
    );
    assert_eq!(
        by_name(&p, "Sara Olsen").family,
        "Two dogs; Spouse: Erik Olsen"
    );
    assert_eq!(by_name(&p, "Kai Wong").family, "Spouse: Mei Wong");
}

#[test]
fn files_that_cannot_be_read_say_why() {
    let err = |bytes: &[u8], name: &str| parse_file(bytes, name, "US", |_| None).unwrap_err();
    assert!(err(b"", "x.csv").contains("empty"));
    assert!(err(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "photo.csv").contains("binary"));
    assert!(
        err(b"Dear customer thank you for your order.", "letter.csv")
            .contains("does not look like a CSV")
    );
    assert!(
        err(b"Dear customer, thank you for your order.", "letter.csv")
            .contains("None of the columns")
    );
    assert!(
        err(b"Shoe size,Favourite colour\n42,blue\n", "shoes.csv").contains("None of the columns")
    );
    assert!(err(b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "cal.vcf").contains("No vCard"));
}

/// The public samples from other projects' test suites, read in place (never copied here).
#[test]
fn real_world_samples_from_shared_fixtures() {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/fixtures");
    if !shared.exists() {
        eprintln!("../shared/fixtures is not here; the project's own fixtures still ran");
        return;
    }
    let gmail = parse(&shared.join("csv/roundcube_gmail.csv"), "US");
    assert_eq!(gmail.format, Format::GoogleOlder);
    let first = &gmail.contacts[0].draft;
    assert_eq!(
        (first.given_name.as_str(), first.family_name.as_str()),
        ("Firstname", "Lastname")
    );
    assert!(first.emails.iter().any(|e| e.address == "home@aaa.pl"));
    assert_eq!(first.emails[0].address, "home@aaa.pl", "* Home is primary");
    assert_eq!(first.birthday.unwrap().to_string(), "1975-12-12");
    assert!(
        first.addresses[0].street.contains("home_street"),
        "a multi-line address"
    );

    let outlook = parse(&shared.join("csv/roundcube_outlook.csv"), "US");
    let emails: Vec<_> = outlook.contacts[0]
        .draft
        .emails
        .iter()
        .map(|e| e.address.as_str())
        .collect();
    assert_eq!(
        emails,
        ["test1@domain.tld", "test2@domain.tld", "test3@domain.tld"]
    );

    let tb = parse(&shared.join("csv/roundcube_tb_plain.csv"), "US");
    assert_eq!(tb.format, Format::Thunderbird);
    let t = &tb.contacts[0].draft;
    assert_eq!(
        (
            t.display_name.as_str(),
            t.organization.as_str(),
            t.title.as_str()
        ),
        ("Displayname", "Organization", "title")
    );
    assert_eq!(
        t.birthday.unwrap().to_string(),
        "1970-11-15",
        "from year, month and day columns"
    );

    let all = parse(&shared.join("csv/roundcube_all.csv"), "US");
    assert_eq!(all.encoding, "UTF-8");
    let a = &all.contacts[0].draft;
    assert_eq!(a.emails.len(), 3);
    assert_eq!(a.birthday.unwrap().to_string(), "1991-01-20");

    let mut cards = 0;
    for entry in std::fs::read_dir(shared.join("vcard")).unwrap() {
        let path = entry.unwrap().path();
        let parsed = parse(&path, "US");
        assert!(!parsed.contacts.is_empty(), "{}", path.display());
        cards += parsed.contacts.len();
        for c in &parsed.contacts {
            assert!(!c.draft.display_name.is_empty(), "{}", path.display());
        }
    }
    assert!(cards >= 12, "{cards} cards");
    let iphone = parse(&shared.join("vcard/ezvcard_John_Doe_IPHONE.vcf"), "US");
    let john = &iphone.contacts[0].draft;
    assert_eq!(
        (john.given_name.as_str(), john.family_name.as_str()),
        ("John", "Doe")
    );
    assert!(!john.emails.is_empty() && !john.phones.is_empty());
}

#[test]
fn plan_apply_merge_and_undo_on_a_real_file() {
    each_engine(|mut store| {
        // Kenji is already here, with a phone but no e-mail; María is here by e-mail with a
        // different title.
        let kenji = store
            .create_contact(&ContactDraft {
                organization: "Harbor Hardware".into(),
                ..ContactDraft::named("Kenji Tanaka")
            })
            .unwrap();
        let maria = store
            .create_contact(&ContactDraft {
                title: "Managing Director".into(),
                emails: vec![rapport::model::Email {
                    label: String::new(),
                    address: "Maria@GoldenCrust.example".into(),
                }],
                ..ContactDraft::named("Maria G.")
            })
            .unwrap();
        let parsed = parse(&own("google_current.csv"), "GB");
        let plan = store.plan_import(&parsed.contacts).unwrap();
        assert_eq!(
            store.count_contacts("").unwrap(),
            2,
            "the dry run writes nothing"
        );
        match &plan.actions[0] {
            Action::Merge {
                contact,
                rule,
                changes,
                conflicts,
                ..
            } => {
                assert_eq!(
                    (*contact, *rule),
                    (maria, MatchRule::Email),
                    "e-mail compared case-insensitively"
                );
                assert!(changes.iter().any(|c| c == "added tag VIP"), "{changes:?}");
                assert!(
                    conflicts
                        .iter()
                        .any(|c| c.contains("kept title \"Managing Director\"")),
                    "{conflicts:?}"
                );
            }
            other => panic!("{other:?}"),
        }
        assert!(
            matches!(plan.actions[1], Action::Merge { contact, rule: MatchRule::NameAndOrganization, .. } if contact == kenji)
        );

        let (batch, applied) = store
            .apply_import(
                "google_current.csv",
                "Google Contacts CSV",
                &parsed.contacts,
            )
            .unwrap();
        assert_eq!((applied.created(), applied.merged()), (0, 2));
        let merged = store.contact(maria).unwrap().draft;
        assert_eq!(
            merged.title, "Managing Director",
            "never silently overwritten"
        );
        assert_eq!(merged.phones.len(), 2);
        assert!(merged.tags.contains(&"Wholesale".to_string()));
        // Importing the same file again changes nothing.
        let again = store.plan_import(&parsed.contacts).unwrap();
        assert_eq!(again.unchanged(), 2, "{again:?}");

        // A second file creates new people; undo removes them and restores the merge.
        let linkedin = parse(&own("linkedin_connections.csv"), "US");
        let (second, plan2) = store
            .apply_import("linkedin_connections.csv", "LinkedIn", &linkedin.contacts)
            .unwrap();
        assert_eq!(plan2.created(), 2);
        assert_eq!(store.count_contacts("").unwrap(), 4);
        let sofia = store.contact_rows("sofia", 0, 1).unwrap()[0].id;
        assert!(
            store
                .timeline_for_contact(sofia)
                .unwrap()
                .iter()
                .any(|e| e.title == "Connected on LinkedIn")
        );
        let undo = store.undo_import(second).unwrap();
        assert_eq!(undo.removed, 2);
        assert_eq!(store.count_contacts("").unwrap(), 2);
        let undo = store.undo_import(batch).unwrap();
        assert_eq!(undo.restored, 2);
        let restored = store.contact(maria).unwrap().draft;
        assert!(
            restored.phones.is_empty() && restored.tags.is_empty(),
            "back as before the import"
        );
        assert!(
            store
                .undo_import(batch)
                .unwrap_err()
                .to_string()
                .contains("already undone")
        );
    });
}

#[test]
fn a_failed_import_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("rapport.sqlite3")).unwrap();
    let parsed = parse(&own("google_current.csv"), "GB");
    let contacts = parsed.contacts.clone();
    // The disk "fills up" on the second contact: the whole batch must roll back.
    rusqlite::Connection::open(dir.path().join("rapport.sqlite3"))
        .unwrap()
        .execute_batch(
            "CREATE TRIGGER full_disk BEFORE INSERT ON contacts WHEN NEW.display_name = 'Kenji Tanaka'
             BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END;",
        )
        .unwrap();
    let before = store.count_contacts("").unwrap();
    let result = store.apply_import("broken", "test", &contacts);
    assert!(result.is_err(), "{result:?}");
    assert_eq!(store.count_contacts("").unwrap(), before, "all or nothing");
    assert!(
        store.import_batches().unwrap().is_empty(),
        "no half-recorded batch"
    );
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]
    /// Whatever bytes arrive, the importer answers with contacts or a sentence, never a panic.
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..2048), vcf in proptest::prelude::any::<bool>()) {
        let name = if vcf { "x.vcf" } else { "x.csv" };
        let _ = parse_file(&bytes, name, "GB", |_| None);
    }

    /// CSV-shaped text with random cells (quotes, separators, ::: and newlines) never panics.
    #[test]
    fn csv_like_text_never_panics(cells in proptest::collection::vec("[a-zA-Z0-9@.,;:\"\\n *+-]{0,12}", 0..40)) {
        let mut text = String::from("First Name,Last Name,E-mail 1 - Value,Phone 1 - Value,Birthday,Labels\n");
        for (i, cell) in cells.iter().enumerate() {
            text.push_str(cell);
            text.push(if i % 6 == 5 { '\n' } else { ',' });
        }
        let _ = parse_file(text.as_bytes(), "x.csv", "US", |_| None);
    }
}

#[test]
fn a_cancelled_import_changes_nothing() {
    each_engine(|mut store| {
        let mut rows = String::from("First Name,Last Name,E-mail Address\n");
        for i in 0..1200 {
            rows.push_str(&format!("Person,{i},p{i}@example.org\n"));
        }
        let parsed = parse_file(rows.as_bytes(), "many.csv", "US", |_| None).unwrap();
        let mut calls = 0;
        let result = store.apply_import_with_progress(
            "many.csv",
            "CSV",
            &parsed.contacts,
            &mut |done, total| {
                calls += 1;
                assert_eq!(total, 1200);
                done < 500 // the user presses Cancel after 500
            },
        );
        assert!(matches!(result, Err(rapport::store::StoreError::Cancelled)));
        assert!(calls >= 3);
        assert_eq!(store.count_contacts("").unwrap(), 0);
        assert!(store.import_batches().unwrap().is_empty());
        let problems = rapport::import::problems_csv(&parsed);
        assert_eq!(
            String::from_utf8(problems).unwrap().lines().count(),
            1,
            "only the header: no problem rows"
        );
    });
}

#[test]
fn problem_rows_can_be_saved_for_fixing() {
    let p = parse(&own("google_current.csv"), "GB");
    let csv_text = String::from_utf8(rapport::import::problems_csv(&p)).unwrap();
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let header = reader.headers().unwrap().clone();
    assert_eq!(header.iter().next_back(), Some("Problem"));
    let rows: Vec<_> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 1);
    assert_eq!(&rows[0][14], "Nobody at all", "the original row, to fix");
    assert!(rows[0][header.len() - 1].contains("no name"));
}
