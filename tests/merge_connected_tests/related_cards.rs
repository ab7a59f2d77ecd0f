//! The people a vCard names beside a contact become relationships when they are in Rapport or
//! in the same file (vCard 4.0 `RELATED` by UID or by name, Apple's related names with their
//! label), and stay in the family notes otherwise, as the plan says; undoing the import takes
//! them away again; and the vCard export writes a `RELATED` with the other person's UID for
//! each relationship, which an import elsewhere reads back.

use super::{each_engine, person, relate, words};
use crate::conversation_import_tests::dump;
use rapport::import::{ImportedContact, parse_file};
use rapport::model::ReportScope;
use rapport::report::contacts::{CardVersion, vcard_cards};
use rapport::store::Store;
use std::path::Path;

fn parsed(text: &str, name: &str) -> Vec<ImportedContact> {
    let parsed = parse_file(text.as_bytes(), name, "US", |_| None).unwrap();
    assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
    parsed.contacts
}

fn family_of(store: &Store, name: &str) -> String {
    let id = store.contact_rows(name, 0, 1).unwrap()[0].id;
    store.contact(id).unwrap().draft.family
}

fn id_of(store: &Store, name: &str) -> rapport::model::ContactId {
    let rows = store.contact_rows(name, 0, 5).unwrap();
    assert_eq!(rows.len(), 1, "{name}: {rows:?}");
    rows[0].id
}

#[test]
fn apples_spouse_is_recorded_when_she_is_here_and_kept_as_text_when_not() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/fixtures/vcard/ezvcard_John_Doe_MAC_ADDRESS_BOOK.vcf");
    if !path.exists() {
        eprintln!("skipped: {} is not here", path.display());
        return;
    }
    let text = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned();
    each_engine(|mut store| {
        // Nobody called Jenny: the spouse stays in the family notes, as before.
        let contacts = parsed(&text, "john.vcf");
        let plan = store.plan_import(&contacts).unwrap();
        assert_eq!(
            plan.relations_sentence().as_deref(),
            Some("1 relationship to someone not in Rapport kept as text.")
        );
        let (batch, _) = store.apply_import("john.vcf", "vCard", &contacts).unwrap();
        let john = id_of(&store, "John");
        assert_eq!(store.contact(john).unwrap().draft.family, "Spouse: Jenny");
        assert!(words(&store, john).is_empty());
        store.undo_import(batch).unwrap();

        // Jenny is here: John is married to her, and the notes do not say it twice.
        let jenny = person(&mut store, "Jenny");
        let before = dump(&store);
        let plan = store.plan_import(&contacts).unwrap();
        assert_eq!(
            plan.relations_sentence().as_deref(),
            Some("1 relationship recorded.")
        );
        let (batch, _) = store.apply_import("john.vcf", "vCard", &contacts).unwrap();
        let john = id_of(&store, "John");
        assert_eq!(words(&store, john), ["Married to Jenny"]);
        assert_eq!(
            words(&store, jenny),
            [format!("Married to {}", contacts[0].draft.display_name)]
        );
        assert_eq!(store.contact(john).unwrap().draft.family, "");
        store.undo_import(batch).unwrap();
        assert_eq!(
            dump(&store),
            before,
            "the import and its relationship undone"
        );
        assert!(words(&store, jenny).is_empty());
    });
}

/// Ana and Tom, naming each other and others in every way a card can.
const FAMILY: &str = "BEGIN:VCARD\r
VERSION:4.0\r
FN:Ana Lima\r
UID:urn:uuid:0b9a5c2e-4d7f-4a8e-9c1d-1f2e3d4c5b6a\r
RELATED;TYPE=spouse:urn:uuid:7c3b2a10-9e8f-4d6c-8b5a-4f3e2d1c0b9a\r
RELATED;TYPE=child;VALUE=text:Leo Lima\r
RELATED;TYPE=friend;VALUE=text:Mia Kurz\r
RELATED;TYPE=colleague:urn:uuid:00000000-0000-4000-8000-000000000000\r
END:VCARD\r
BEGIN:VCARD\r
VERSION:3.0\r
FN:Tom Weber\r
UID:urn:uuid:7c3b2a10-9e8f-4d6c-8b5a-4f3e2d1c0b9a\r
item1.X-ABRELATEDNAMES:Ana Lima\r
item1.X-ABLabel:_$!<Spouse>!$_\r
item2.X-ABRELATEDNAMES:Bea Boss\r
item2.X-ABLabel:_$!<Manager>!$_\r
END:VCARD\r
";

#[test]
fn a_file_of_my_own_records_whom_it_finds_and_keeps_the_rest_as_text() {
    each_engine(|mut store| {
        let leo = person(&mut store, "Leo Lima");
        person(&mut store, "Mia Kurz");
        let before = dump(&store);
        let contacts = parsed(FAMILY, "family.vcf");
        let plan = store.plan_import(&contacts).unwrap();
        assert_eq!(
            plan.relations_sentence().as_deref(),
            Some(
                "2 relationships recorded. 1 relationship to someone not in Rapport kept as text. \
                 1 relationship of a kind Rapport does not keep (a friend, a sibling…) kept as text. \
                 1 relationship to a card neither in the file nor in Rapport left out."
            )
        );
        let (batch, _) = store
            .apply_import("family.vcf", "vCard", &contacts)
            .unwrap();
        let (ana, tom) = (id_of(&store, "Ana Lima"), id_of(&store, "Tom Weber"));
        assert_eq!(
            words(&store, ana),
            ["Married to Tom Weber", "Parent of Leo Lima"],
            "the spouse said on both cards is one relationship"
        );
        assert_eq!(words(&store, leo), ["Child of Ana Lima"]);
        assert_eq!(family_of(&store, "Ana Lima"), "Friend: Mia Kurz");
        assert_eq!(
            store.contact(tom).unwrap().draft.family,
            "Manager: Bea Boss"
        );
        // The same file again: nothing new.
        let again = store.plan_import(&contacts).unwrap();
        assert_eq!(again.relations.recorded(), 0);
        assert_eq!(again.unchanged(), 2, "{:?}", again.actions);
        store.undo_import(batch).unwrap();
        assert_eq!(dump(&store), before);
    });
}

#[test]
fn the_vcard_export_writes_related_by_uid_and_an_import_elsewhere_reads_it_back() {
    each_engine(|mut store| {
        let ana = person(&mut store, "Ana Lima");
        let tom = person(&mut store, "Tom Weber");
        let leo = person(&mut store, "Leo Lima");
        let mia = person(&mut store, "Mia Kurz");
        let bea = person(&mut store, "Bea Boss");
        relate(&mut store, ana, "spouse", tom);
        relate(&mut store, leo, "child-of", ana);
        relate(&mut store, ana, "referred", mia);
        relate(&mut store, tom, "reports-to", bea);
        relate(&mut store, mia, "assistant-to", bea);
        let uid = |id| store.contact(id).unwrap().draft.uid;
        let cards = store.exported_contacts(&ReportScope::Everyone).unwrap();
        // Unfolded: a long line goes on after CRLF and a space.
        let v4 = vcard_cards(&cards, CardVersion::V4).replace("\r\n ", "");
        for line in [
            format!("RELATED;TYPE=spouse:{}", uid(tom)),
            format!("RELATED;TYPE=child:{}", uid(leo)),
            format!("RELATED;TYPE=parent:{}", uid(ana)),
            format!("RELATED;TYPE=x-rapport-referred:{}", uid(mia)),
            format!("RELATED;TYPE=x-rapport-referred-by:{}", uid(ana)),
        ] {
            assert!(v4.contains(&format!("{line}\r\n")), "{line} in\n{v4}");
        }
        let everyone = |store: &Store| -> Vec<(String, Vec<String>)> {
            store
                .contact_rows("", 0, 10)
                .unwrap()
                .into_iter()
                .map(|row| (row.display_name.clone(), words(store, row.id)))
                .collect()
        };
        let expected = everyone(&store);
        for version in [CardVersion::V4, CardVersion::V3] {
            let text = vcard_cards(&cards, version);
            let mut elsewhere = Store::open_in_memory().unwrap();
            let contacts = parsed(&text, "everyone.vcf");
            let (_, plan) = elsewhere
                .apply_import("everyone.vcf", "vCard", &contacts)
                .unwrap();
            assert_eq!(plan.relations.recorded(), 5, "{version:?}");
            assert_eq!(everyone(&elsewhere), expected, "{version:?}");
            // Read back into the same database: everything is there already.
            let again = store.plan_import(&parsed(&text, "everyone.vcf")).unwrap();
            assert_eq!(again.relations.recorded(), 0, "{version:?}");
            assert_eq!(again.unchanged(), 5, "{version:?}: {:?}", again.actions);
        }
    });
}

#[test]
fn the_command_line_says_what_becomes_of_the_people_a_file_names() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("family.sqlite3");
    {
        let mut store = Store::open(&db).unwrap();
        person(&mut store, "Leo Lima");
        person(&mut store, "Mia Kurz");
    }
    let file = dir.path().join("family.vcf");
    std::fs::write(&file, FAMILY).unwrap();
    let file = file.to_string_lossy().into_owned();
    let dry = crate::common::stdout(&crate::common::rapport(
        &db,
        &["import", &file, "--dry-run"],
    ));
    assert!(
        dry.contains("  relationships: 2 relationships recorded. 1 relationship to someone not in Rapport kept as text."),
        "{dry}"
    );
    crate::common::stdout(&crate::common::rapport(&db, &["import", &file]));
    let store = Store::open(&db).unwrap();
    assert_eq!(
        words(&store, id_of(&store, "Ana Lima")),
        ["Married to Tom Weber", "Parent of Leo Lima"]
    );
}
