//! Contact export (vCard 4.0 and Google CSV) read back through the real importer: import →
//! export → import keeps every field the format carries, for arbitrary contacts (proptest) and
//! for the demo database; the exact lines of one contact in each format; scopes; the window's
//! File ▸ Export contacts.

use crate::common::each_engine;
use proptest::prelude::*;
use rapport::import::{Format, normalize_phone, parse_file};
use rapport::model::{Address, Birthday, ContactDraft, Email, Phone, ReportScope, Stage};
use rapport::report::contacts::{ContactFormat, google_csv, vcard};
use rapport::store::Store;

/// The phone country both sides use, as `rapport import --region` would.
const REGION: &str = "US";

/// Writes `contacts` into a fresh store, exports everyone in `format` to a file the way
/// `rapport export-contacts` does, imports that file into a second fresh store the way
/// `rapport import` does, and returns (what the first store holds, what the second holds).
fn round_trip(
    contacts: &[ContactDraft],
    format: ContactFormat,
) -> (Vec<ContactDraft>, Vec<ContactDraft>) {
    let mut first = Store::open_in_memory().unwrap();
    for contact in contacts {
        first.create_contact(contact).unwrap();
    }
    let stored = first.contacts_for_export(&ReportScope::Everyone).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(format!("contacts.{}", format.extension()));
    rapport::files::export_contacts(&first, &ReportScope::Everyone, format, &path).unwrap();
    let imported = import_file(&path);
    (stored, imported)
}

/// Imports a file into a fresh store through the importer the CLI and the window use;
/// every contact must be read without a problem.
fn import_file(path: &std::path::Path) -> Vec<ContactDraft> {
    import_file_with(path, &[])
}

/// `import_file` into a store with `fields` defined, as the one the file came from has them.
fn import_file_with(
    path: &std::path::Path,
    fields: &[rapport::model::custom_field::CustomField],
) -> Vec<ContactDraft> {
    let bytes = std::fs::read(path).unwrap();
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    let options = rapport::import::ReadOptions {
        custom_fields: fields.to_vec(),
        ..Default::default()
    };
    let parsed =
        rapport::import::parse_file_with(&bytes, &name, REGION, |_| None, &options).unwrap();
    let expected_format = if name.ends_with(".vcf") {
        Format::VCard
    } else {
        Format::GoogleCurrent
    };
    assert_eq!(parsed.format, expected_format, "{name}");
    assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
    assert!(parsed.notes.is_empty(), "{:?}", parsed.notes);
    let mut second = Store::open_in_memory().unwrap();
    for field in fields {
        second
            .define_field(&rapport::model::custom_field::FieldDefinition {
                applies_to: field.applies_to,
                name: field.name.clone(),
                kind: Some(field.kind),
                choices: field.choices.clone(),
                remind_days_before: field.remind_days_before,
            })
            .unwrap();
    }
    let (_, plan) = second
        .apply_import(&name, parsed.format.label(), &parsed.contacts)
        .unwrap();
    assert_eq!(plan.created(), parsed.contacts.len(), "everyone is new");
    second.contacts_for_export(&ReportScope::Everyone).unwrap()
}

/// What a Google CSV has no column for goes back to the defaults; the UID too, which each store
/// made for itself (the CSV has no column for it), so apply this to both sides.
fn without_rapport_only_fields(contacts: Vec<ContactDraft>) -> Vec<ContactDraft> {
    contacts
        .into_iter()
        .map(|c| ContactDraft {
            uid: String::new(),
            is_decision_maker: false,
            stage: Stage::default(),
            family: String::new(),
            interests: String::new(),
            how_we_met: String::new(),
            cadence_days: None,
            ..c
        })
        .collect()
}

// ----- generators ------------------------------------------------------------------------

/// Name-like text: letters of several scripts, spaces, and the characters vCard and CSV must
/// escape or quote (`,` `;` `"` `\` `:`), plus a few that start a spreadsheet formula.
fn words() -> impl Strategy<Value = String> {
    "[A-Za-zÀ-ÿß°Ã©ØøĀ-žА-я中文字😀 ,;\"'\\\\:=+@.-]{0,14}"
}

/// Longer text with line breaks (notes, family, interests).
fn paragraph() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![words(), Just("\n".to_owned()), Just("\r\n".to_owned())],
        0..6,
    )
    .prop_map(|parts| parts.concat())
}

fn label() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("work".to_owned()),
        Just("home".to_owned()),
        Just("other".to_owned()),
        Just("mobile".to_owned()),
        Just("cell".to_owned()),
        Just("fax".to_owned()),
        // Labels come back lowercased (importers lowercase every label).
        "[a-zäß][a-zäß ,;]{0,8}",
    ]
}

/// Phone numbers as Rapport stores them: through the same normalization as an import (E.164
/// when the number parses, else as written).
fn phone() -> impl Strategy<Value = Phone> {
    let number = prop_oneof![
        (0u32..10_000).prop_map(|n| format!("+1 415 555 {n:04}")),
        (0u32..1000).prop_map(|n| format!("+44 7700 900{n:03}")),
        (0u32..10_000).prop_map(|n| format!("(212) 555-{n:04}")),
        (0u32..100).prop_map(|n| format!("ext. {n}")),
        (0u32..100, 0u32..10).prop_map(|(a, b)| format!("ext. {a}, {b}; ask")),
    ];
    (label(), number).prop_map(|(label, number)| Phone {
        label,
        number: normalize_phone(&number, REGION),
    })
}

fn address() -> impl Strategy<Value = Address> {
    (
        label(),
        prop_oneof![
            words(),
            (words(), words()).prop_map(|(a, b)| format!("{a}\n{b}"))
        ],
        words(),
        words(),
        "[0-9A-Z -]{0,8}",
        words(),
    )
        .prop_map(
            |(label, street, city, region, postal_code, country)| Address {
                label,
                street,
                city,
                region,
                postal_code,
                country,
            },
        )
}

fn birthday() -> impl Strategy<Value = Option<Birthday>> {
    prop_oneof![
        Just(None),
        (proptest::option::of(1900i32..2030), 1u32..=12, 1u32..=31)
            .prop_map(|(year, month, day)| Birthday::new(year, month, day)),
        Just(Birthday::new(None, 2, 29)),
        Just(Birthday::new(Some(7), 1, 1)),
    ]
}

fn tag() -> impl Strategy<Value = String> {
    "[A-Za-zÄäß0-9][A-Za-zÄäß0-9 ,;:._-]{0,9}"
}

prop_compose! {
    fn contact()(
        names in proptest::collection::vec(words(), 6),
        custom_name in proptest::option::of(words()),
        organization in words(),
        title in words(),
        is_decision_maker in any::<bool>(),
        stage in proptest::sample::select(Stage::ALL),
        birthday in birthday(),
        notes in paragraph(),
        personal in proptest::collection::vec(paragraph(), 3),
        cadence_days in proptest::option::of(1i64..400),
        emails in proptest::collection::vec(("[a-z][a-z0-9._+-]{0,7}", label(), "[a-z]{1,8}"), 0..4),
        phones in proptest::collection::vec(phone(), 0..4),
        addresses in proptest::collection::vec(address(), 0..3),
        tags in proptest::collection::vec(tag(), 0..4),
    ) -> ContactDraft {
        let mut phones_seen = std::collections::HashSet::new();
        ContactDraft {
            given_name: names[0].clone(),
            middle_name: names[1].clone(),
            family_name: names[2].clone(),
            prefix: names[3].clone(),
            suffix: names[4].clone(),
            nickname: names[5].clone(),
            display_name: custom_name.unwrap_or_default(),
            organization,
            title,
            is_decision_maker,
            stage,
            birthday,
            personal_notes: notes,
            family: personal[0].clone(),
            interests: personal[1].clone(),
            how_we_met: personal[2].clone(),
            cadence_days,
            // Made unique per contact below (a file's rows that share an e-mail are one person).
            emails: emails
                .into_iter()
                .map(|(local, label, domain)| Email {
                    label,
                    address: format!("{local}@{domain}.example"),
                })
                .collect(),
            // The importer keeps one of each number.
            phones: phones
                .into_iter()
                .filter(|p| phones_seen.insert(p.number.clone()))
                .collect(),
            addresses,
            tags,
            // The first store makes one.
            uid: String::new(),
            // Not written to Google CSV or vCard: a team database's own flag.
            private: false,
            // No fields are defined in these stores (tests/custom_fields_tests.rs has them).
            custom_fields: Default::default(),
        }
    }
}

/// `a  b` → `a b`. calcard's tokenizer drops the second of two equal whitespace characters
/// in a list value (CATEGORIES, NICKNAME) once an escape (`\,`) or a line fold came before
/// them in the same item, so a run of spaces inside a tag or nickname comes back as one.
fn single_spaces(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        if !(ch == ' ' && out.ends_with(' ')) {
            out.push(ch);
        }
    }
    out
}

/// A few contacts whose e-mail addresses are all different, each with a name to show.
fn contacts() -> impl Strategy<Value = Vec<ContactDraft>> {
    proptest::collection::vec(contact(), 1..4).prop_map(|mut contacts| {
        for (i, contact) in contacts.iter_mut().enumerate() {
            contact.nickname = single_spaces(&contact.nickname);
            contact.tags = contact.tags.iter().map(|t| single_spaces(t)).collect();
            for (j, email) in contact.emails.iter_mut().enumerate() {
                email.address = email.address.replacen('@', &format!(".{i}{j}@"), 1);
            }
            if contact.effective_display_name().trim().is_empty() {
                contact.given_name = format!("Person {i}");
            }
        }
        contacts
    })
}

/// What a Google CSV cannot carry unchanged through today's CSV importer, taken out:
/// - (text starting with `=` `+` `-` `@` is written with a leading `'`, formula
///   neutralization, and the importer takes it off again: it round-trips);
/// - `;` and `:::` split tags (Outlook categories, Google labels), a leading `*` marks a
///   primary and is dropped; `:::` in an address part becomes `,`;
/// - a display name over no first or last name is split into first and last name.
fn csv_shape(mut c: ContactDraft) -> ContactDraft {
    fn plain(s: &mut String) {
        *s = s.trim_start_matches(char::is_whitespace).to_owned();
    }
    for s in [
        &mut c.given_name,
        &mut c.middle_name,
        &mut c.family_name,
        &mut c.prefix,
        &mut c.suffix,
        &mut c.nickname,
        &mut c.display_name,
        &mut c.organization,
        &mut c.title,
        &mut c.personal_notes,
    ] {
        plain(s);
    }
    for a in &mut c.addresses {
        for s in [
            &mut a.label,
            &mut a.street,
            &mut a.city,
            &mut a.region,
            &mut a.postal_code,
            &mut a.country,
        ] {
            plain(s);
            while s.contains(":::") {
                *s = s.replace(":::", "::");
            }
        }
    }
    for t in &mut c.tags {
        *t = t.replace([';', ':', '*'], " ");
    }
    if c.given_name.trim().is_empty() && c.family_name.trim().is_empty() {
        // The name shown comes from the other name parts, the e-mail or the organization.
        c.display_name.clear();
        if c.effective_display_name().trim().is_empty() {
            c.given_name = "Ada".to_owned();
        }
    }
    c
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// vCard keeps every field of every contact: names, display name, organization, title,
    /// decision maker, stage, birthday (with or without a year), notes, family, interests,
    /// how we met, cadence, labelled e-mails, phones and addresses in order, and tags.
    #[test]
    fn vcard_round_trip_keeps_every_field(contacts in contacts()) {
        let (stored, imported) = round_trip(&contacts, ContactFormat::VCard);
        prop_assert_eq!(imported, stored);
    }

    /// The Google CSV keeps every field it has a column for: names, display name (File As),
    /// organization, title, birthday, notes, labelled e-mails, phones and addresses in order,
    /// and tags (Labels).
    #[test]
    fn google_csv_round_trip_keeps_every_field_it_has(contacts in contacts()) {
        let contacts: Vec<ContactDraft> = contacts.into_iter().map(csv_shape).collect();
        let (stored, imported) = round_trip(&contacts, ContactFormat::GoogleCsv);
        prop_assert_eq!(without_rapport_only_fields(imported), without_rapport_only_fields(stored));
    }
}

/// A CSV cell starting with `=` `+` `-` `@` is written as `'…` so a spreadsheet shows it as
/// text. The importer takes that `'` off again.
#[test]
fn google_csv_round_trip_keeps_text_that_looks_like_a_formula() {
    let contact = ContactDraft {
        given_name: "-Ada".into(),
        family_name: "@Baker".into(),
        title: "+1 supplier".into(),
        personal_notes: "- likes jazz\n- two kids".into(),
        phones: vec![Phone {
            label: "work".into(),
            number: "+44 7911 123456 789".into(),
        }],
        tags: vec!["=VIP".into()],
        ..ContactDraft::default()
    };
    let (stored, imported) = round_trip(&[contact], ContactFormat::GoogleCsv);
    assert_eq!(
        without_rapport_only_fields(imported),
        without_rapport_only_fields(stored)
    );
}

// ----- fixed examples --------------------------------------------------------------------

fn maria() -> ContactDraft {
    ContactDraft {
        prefix: "Dr.".into(),
        given_name: "María".into(),
        family_name: "García, Jr".into(),
        nickname: "Mari".into(),
        display_name: "María García".into(),
        organization: "Golden Crust; Bakery".into(),
        title: "Owner".into(),
        is_decision_maker: true,
        stage: Stage::Customer,
        birthday: Birthday::new(None, 12, 1),
        personal_notes: "Two kids\nLoves jazz, \"bebop\" \\ swing".into(),
        family: "Husband Tom".into(),
        interests: "Jazz".into(),
        how_we_met: "Trade fair 2019".into(),
        cadence_days: Some(30),
        emails: vec![
            Email {
                label: "work".into(),
                address: "maria@goldencrust.example".into(),
            },
            Email {
                label: "bakery shop".into(),
                address: "shop@goldencrust.example".into(),
            },
        ],
        phones: vec![Phone {
            label: "mobile".into(),
            number: "+447911123456".into(),
        }],
        addresses: vec![Address {
            label: "work".into(),
            street: "12 Baker St, Unit 3".into(),
            city: "London".into(),
            region: String::new(),
            postal_code: "NW1 6XE".into(),
            country: "United Kingdom".into(),
        }],
        tags: vec!["VIP".into(), "Wholesale, north".into()],
        ..ContactDraft::default()
    }
}

#[test]
fn one_contact_as_vcard_line_by_line() {
    let text = vcard(&[maria()]);
    assert!(text.ends_with("\r\n"));
    assert!(
        !text.replace("\r\n", "").contains('\n'),
        "CRLF line ends only"
    );
    let lines: Vec<&str> = text.split("\r\n").collect();
    // A draft has no UID or last change yet (a stored contact's card has both).
    let product = format!(
        "PRODID:-//Rapport//Rapport {}//EN",
        env!("CARGO_PKG_VERSION")
    );
    assert_eq!(
        lines,
        [
            "BEGIN:VCARD",
            "VERSION:4.0",
            &product,
            "FN:María García",
            "N:García\\, Jr;María;;Dr.;",
            "NICKNAME:Mari",
            "ORG:Golden Crust\\; Bakery",
            "TITLE:Owner",
            "EMAIL;TYPE=WORK;PREF=1:maria@goldencrust.example",
            "item1.EMAIL:shop@goldencrust.example",
            "item1.X-ABLabel:bakery shop",
            "TEL;TYPE=CELL;PREF=1:+447911123456",
            "ADR;TYPE=WORK;PREF=1:;;12 Baker St\\, Unit 3;London;;NW1 6XE;United Kingdom",
            "BDAY:--1201",
            "NOTE:Two kids\\nLoves jazz\\, \"bebop\" \\\\ swing",
            "CATEGORIES:VIP,Wholesale\\, north",
            "X-RAPPORT-DECISION-MAKER:TRUE",
            "X-RAPPORT-STAGE:customer",
            "X-RAPPORT-FAMILY:Husband Tom",
            "X-RAPPORT-INTERESTS:Jazz",
            "X-RAPPORT-HOW-WE-MET:Trade fair 2019",
            "X-RAPPORT-CADENCE-DAYS:30",
            "END:VCARD",
            "",
        ]
    );
}

#[test]
fn long_vcard_lines_fold_at_75_octets_without_splitting_a_character() {
    let contact = ContactDraft {
        display_name: "Zoë".into(),
        personal_notes: "Über den Wolken — ".repeat(12),
        ..ContactDraft::default()
    };
    let text = vcard(std::slice::from_ref(&contact));
    let lines: Vec<&str> = text.split("\r\n").collect();
    assert!(lines.iter().all(|l| l.len() <= 75), "{lines:#?}");
    assert!(lines.iter().filter(|l| l.starts_with(' ')).count() >= 3);
    // Unfolding gives the note back.
    let unfolded = text.replace("\r\n ", "");
    assert!(unfolded.contains(&format!(
        "NOTE:{}",
        contact.personal_notes.trim().replace(',', "\\,")
    )));
}

#[test]
fn one_contact_as_google_csv_line_by_line() {
    let mut ada = maria();
    ada.display_name = String::new(); // the name parts say it
    ada.personal_notes = "=HYPERLINK(\"http://x\")\nsecond line".into();
    let text = String::from_utf8(google_csv(&[ada, maria()]).unwrap()).unwrap();
    let mut lines = text.split('\n');
    assert_eq!(
        lines.next().unwrap(),
        "First Name,Middle Name,Last Name,Phonetic First Name,Phonetic Middle Name,\
         Phonetic Last Name,Name Prefix,Name Suffix,Nickname,File As,Organization Name,\
         Organization Title,Organization Department,Birthday,Notes,Photo,Labels,\
         E-mail 1 - Label,E-mail 1 - Value,E-mail 2 - Label,E-mail 2 - Value,\
         Phone 1 - Label,Phone 1 - Value,Address 1 - Label,Address 1 - Formatted,\
         Address 1 - Street,Address 1 - City,Address 1 - PO Box,Address 1 - Region,\
         Address 1 - Postal Code,Address 1 - Country,Address 1 - Extended Address"
    );
    // The formula in the notes is neutralized; the quoted cell spans two lines.
    assert_eq!(
        lines.next().unwrap(),
        "María,,\"García, Jr\",,,,Dr.,,Mari,,Golden Crust; Bakery,Owner,,--12-01,\
         \"'=HYPERLINK(\"\"http://x\"\")"
    );
    assert_eq!(
        lines.next().unwrap(),
        "second line\",,\"VIP ::: Wholesale, north\",work,maria@goldencrust.example,\
         bakery shop,shop@goldencrust.example,mobile,'+447911123456,work,,\
         \"12 Baker St, Unit 3\",London,,,NW1 6XE,United Kingdom,"
    );
    // "María García" is not "María García, Jr": the display name goes in File As.
    assert_eq!(
        lines.next().unwrap(),
        "María,,\"García, Jr\",,,,Dr.,,Mari,María García,Golden Crust; Bakery,Owner,,--12-01,\
         \"Two kids"
    );
    assert_eq!(
        lines.next().unwrap(),
        "Loves jazz, \"\"bebop\"\" \\ swing\",,\"VIP ::: Wholesale, north\",work,\
         maria@goldencrust.example,bakery shop,shop@goldencrust.example,mobile,'+447911123456,\
         work,,\"12 Baker St, Unit 3\",London,,,NW1 6XE,United Kingdom,"
    );
    assert_eq!(lines.next(), Some(""));
    assert_eq!(lines.next(), None);
}

#[test]
fn the_fixed_examples_read_back_field_for_field() {
    let (stored, imported) = round_trip(&[maria()], ContactFormat::VCard);
    assert_eq!(imported, stored);
    assert_eq!(imported[0].family, "Husband Tom");
    assert!(imported[0].is_decision_maker);
    let (stored, imported) = round_trip(&[maria()], ContactFormat::GoogleCsv);
    let imported = without_rapport_only_fields(imported);
    assert_eq!(imported, without_rapport_only_fields(stored));
    assert_eq!(
        imported[0].phones[0].number, "+447911123456",
        "the ' is gone"
    );
    assert_eq!(imported[0].birthday, Birthday::new(None, 12, 1));
}

#[test]
fn a_vcard_4_is_utf8_and_rapport_properties_are_read() {
    // "Ã©" is two characters a person may really have typed; only vCard 2.1's
    // quoted-printable text is re-read as UTF-8.
    let card = "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Ã© Test\r\nNOTE:20Â°\r\n\
                X-RAPPORT-STAGE:loyal\r\nX-RAPPORT-DECISION-MAKER:TRUE\r\n\
                X-RAPPORT-CADENCE-DAYS:14\r\nX-RAPPORT-HOW-WE-MET:At the fair\\, 2019\r\n\
                END:VCARD\r\n";
    let parsed = parse_file(card.as_bytes(), "x.vcf", REGION, |_| None).unwrap();
    let d = &parsed.contacts[0].draft;
    assert_eq!(d.display_name, "Ã© Test");
    assert_eq!(d.personal_notes, "20Â°");
    assert_eq!(d.stage, Stage::Loyal);
    assert!(d.is_decision_maker);
    assert_eq!(d.cadence_days, Some(14));
    assert_eq!(d.how_we_met, "At the fair, 2019");
    // A 2.1 card's quoted-printable UTF-8 without CHARSET is still repaired.
    let legacy =
        "BEGIN:VCARD\r\nVERSION:2.1\r\nFN;ENCODING=QUOTED-PRINTABLE:Jos=C3=A9\r\nEND:VCARD\r\n";
    let parsed = parse_file(legacy.as_bytes(), "x.vcf", REGION, |_| None).unwrap();
    assert_eq!(parsed.contacts[0].draft.display_name, "José");
}

// ----- the demo database and scopes --------------------------------------------------------

#[test]
fn the_demo_database_survives_export_and_import_in_both_formats() {
    let mut demo = Store::open_in_memory().unwrap();
    let now = chrono::NaiveDate::from_ymd_opt(2026, 3, 1)
        .unwrap()
        .and_hms_opt(9, 0, 0)
        .unwrap();
    rapport::demo::fill(&mut demo, 150, 0, now, |_, _| {}).unwrap();
    let stored = demo.contacts_for_export(&ReportScope::Everyone).unwrap();
    assert_eq!(stored.len(), 150);
    let dir = tempfile::tempdir().unwrap();
    for format in ContactFormat::ALL {
        let path = dir.path().join(format!("demo.{}", format.extension()));
        let said =
            rapport::files::export_contacts(&demo, &ReportScope::Everyone, format, &path).unwrap();
        assert!(said.starts_with("Wrote 150 contacts"), "{said}");
        // The demo's custom fields are defined where it goes.
        let fields = demo
            .custom_fields(rapport::model::custom_field::AppliesTo::Contact)
            .unwrap();
        let imported = import_file_with(&path, &fields);
        // The demo's phones are written as people type them ("+44 7911 123456"); an import
        // stores every number it can parse in E.164, so that is what comes back.
        let mut expected = stored.clone();
        for phone in expected.iter_mut().flat_map(|c| &mut c.phones) {
            phone.number = normalize_phone(&phone.number, REGION);
        }
        match format {
            ContactFormat::VCard | ContactFormat::VCard3 => assert_eq!(imported, expected),
            ContactFormat::GoogleCsv => {
                assert_eq!(
                    without_rapport_only_fields(imported),
                    without_rapport_only_fields(expected)
                )
            }
        }
    }
}

#[test]
fn export_reads_what_the_contact_view_reads_and_narrows_to_a_scope() {
    each_engine(|mut store| {
        let mut ada = maria();
        ada.display_name = "Ada Baker".into();
        ada.emails.truncate(1);
        let ada_id = store.create_contact(&ada).unwrap();
        let bob = store
            .create_contact(&ContactDraft {
                display_name: "Bob Stone".into(),
                organization: "Harbor Hardware".into(),
                tags: vec!["vip".into()],
                ..ContactDraft::default()
            })
            .unwrap();
        let gone = store
            .create_contact(&ContactDraft::named("Cy Gone"))
            .unwrap();
        store.trash_contact(gone).unwrap();

        let everyone = store.contacts_for_export(&ReportScope::Everyone).unwrap();
        let one_by_one: Vec<ContactDraft> = store
            .all_contacts()
            .unwrap()
            .into_iter()
            .map(|c| c.draft)
            .collect();
        assert_eq!(
            everyone, one_by_one,
            "same fields as the contact view, no trash"
        );

        let names = |scope: ReportScope| -> Vec<String> {
            store
                .contacts_for_export(&scope)
                .unwrap()
                .into_iter()
                .map(|c| c.display_name)
                .collect()
        };
        assert_eq!(
            names(ReportScope::Tag("VIP".into())),
            ["Ada Baker", "Bob Stone"]
        );
        assert_eq!(
            names(ReportScope::Tag("wholesale, north".into())),
            ["Ada Baker"]
        );
        let harbor = store
            .organization_by_name("harbor hardware")
            .unwrap()
            .unwrap();
        assert_eq!(names(ReportScope::Organization(harbor.id)), ["Bob Stone"]);
        assert_eq!(names(ReportScope::Contact(ada_id)), ["Ada Baker"]);
        assert_eq!(
            names(ReportScope::Tag("nobody".into())),
            Vec::<String>::new()
        );
        let _ = bob;

        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("none.vcf");
        let error = rapport::files::export_contacts(
            &store,
            &ReportScope::Tag("nobody".into()),
            ContactFormat::VCard,
            &path,
        )
        .unwrap_err();
        assert_eq!(
            error.to_string(),
            "Nobody is tagged \"nobody\"; nothing was written."
        );
        assert!(!path.exists());
    });
}

// ----- the window --------------------------------------------------------------------------

#[test]
fn export_contacts_from_the_file_menu() {
    use egui::accesskit::Role;
    use egui_kittest::{Harness, kittest::Queryable as _};
    use rapport::app::{Prefs, RapportApp};
    each_engine(|mut store| {
        store.create_contact(&maria()).unwrap();
        store
            .create_contact(&ContactDraft {
                display_name: "Kenji Tanaka".into(),
                tags: vec!["supplier".into()],
                ..ContactDraft::default()
            })
            .unwrap();
        let mut slot = Some(store);
        let now = chrono::NaiveDate::from_ymd_opt(2026, 11, 20)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap();
        let mut h = Harness::builder()
            .with_size(egui::vec2(1280.0, 800.0))
            .with_max_steps(16)
            .build_eframe(move |cc| {
                rapport::ui::install_style(&cc.egui_ctx);
                RapportApp::with_store_at(
                    Ok(slot.take().expect("built once")),
                    Prefs::default(),
                    Some(now),
                )
            });
        h.run();
        h.get_by_label("File").click();
        h.run();
        h.get_by_label("Export contacts…").click();
        h.run();
        assert!(
            h.query_by_label("Export contacts").is_some(),
            "the dialog is open"
        );
        h.get_by_label("Google Contacts CSV").click();
        h.run();
        h.get_by_role_and_label(Role::TextInput, "Tag").focus();
        h.run();
        h.get_by_role_and_label(Role::TextInput, "Tag")
            .type_text("supplier");
        h.run();
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("suppliers.csv");
        crate::ui_tests::replace_text(&mut h, "Save as", target.to_str().unwrap());
        h.get_by_label("Export").click();
        let started = std::time::Instant::now();
        while h
            .state()
            .view
            .contact_export
            .as_ref()
            .is_some_and(|d| d.written.is_none())
        {
            assert!(started.elapsed() < std::time::Duration::from_secs(30));
            let dialog = h.state().view.contact_export.as_ref().unwrap();
            assert!(dialog.error.is_none(), "{:?}", dialog.error);
            h.step();
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        h.run();
        assert!(
            h.query_by_label_contains("Wrote 1 contact as Google Contacts CSV")
                .is_some()
        );
        let text = std::fs::read_to_string(&target).expect("the file was written");
        assert!(
            text.contains("Kenji Tanaka") && !text.contains("María"),
            "{text}"
        );
        h.get_by_label("Close").click();
        h.run();
        assert!(h.state().view.contact_export.is_none());
    });
}
