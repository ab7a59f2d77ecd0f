//! Custom fields (issue 23, part 4): the owner defines fields for contacts or organizations;
//! their values are saved with the contact (and undone with it, exactly), found by search,
//! narrow the list, go out in vCard and CSV and come back in, and a reminding date keeps one
//! follow-up per contact. Both engines; owners alone define fields on a team database; the
//! command line; the window driven by clicks and typing.

use egui::accesskit::Role;
use egui_kittest::kittest::Queryable as _;
use rapport::model::custom_field::{
    AppliesTo, CustomField, FieldDefinition, FieldFilter, FieldKind, parse_choices,
};
use rapport::model::{ContactDraft, ContactFilter, ContactId, ReportScope};
use rapport::store::{Store, StoreError};
use std::collections::BTreeMap;

use crate::bulk_tests::dump;
use crate::common::each_engine;

fn define(store: &mut Store, name: &str, kind: FieldKind, choices: &str) -> CustomField {
    store
        .define_field(&FieldDefinition {
            applies_to: AppliesTo::Contact,
            name: name.into(),
            kind: Some(kind),
            choices: parse_choices(choices),
            remind_days_before: None,
        })
        .unwrap()
        .0
}

fn shop_fields(store: &mut Store) -> Vec<CustomField> {
    vec![
        define(store, "Account number", FieldKind::Text, ""),
        define(
            store,
            "Shop size",
            FieldKind::Choice,
            "Small, Medium, Large",
        ),
        define(store, "VIP", FieldKind::YesNo, ""),
        define(store, "Seats", FieldKind::Number, ""),
        define(store, "Größe des Ladens; m²", FieldKind::Text, ""),
    ]
}

fn values(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

fn names(store: &Store, search: &str, filter: &ContactFilter) -> Vec<String> {
    let total = store.count_contacts_filtered(search, filter).unwrap();
    let rows = store.contact_rows_filtered(search, filter, 0, 50).unwrap();
    assert_eq!(rows.len(), total, "the count agrees with the rows");
    rows.into_iter().map(|r| r.display_name).collect()
}

fn field_filter(field: &CustomField, typed: &str) -> ContactFilter {
    ContactFilter {
        field: Some(FieldFilter::parse(field, typed).unwrap()),
        ..ContactFilter::default()
    }
}

#[test]
fn values_save_with_the_contact_are_found_filtered_and_undone_exactly_on_both_engines() {
    each_engine(|mut store| {
        store.set_clock(crate::common::at("2026-11-20 09:00").and_utc());
        let fields = shop_fields(&mut store);
        let maria = store.create_contact(&crate::common::maria()).unwrap();
        let bob = store
            .create_contact(&ContactDraft::named("Bob Okafor"))
            .unwrap();
        let before = dump(&store);
        // The form's save: the draft carries the values as typed, the store keeps them in
        // their canonical form, in the same transaction as the contact.
        let started = store.contact(maria).unwrap();
        let draft = ContactDraft {
            custom_fields: values(&[
                ("Account number", "4711"),
                ("shop size", "large"),
                ("VIP", "yes"),
                ("Seats", "12.50"),
                ("Größe des Ladens; m²", "80"),
            ]),
            ..started.draft.clone()
        };
        let parts = [rapport::store::undo::Part::Contact(maria)];
        let (_, change) = store
            .save_contact_recorded(&started, &draft, None, &parts)
            .unwrap();
        let saved = store.contact(maria).unwrap().draft.custom_fields;
        assert_eq!(
            saved,
            values(&[
                ("Account number", "4711"),
                ("Shop size", "Large"),
                ("VIP", "1"),
                ("Seats", "12.5"),
                ("Größe des Ladens; m²", "80"),
            ])
        );
        // Search finds the value with its field's name, on both engines.
        let plain = ContactFilter::default();
        assert_eq!(names(&store, "Account 4711", &plain), ["Maria García"]);
        assert_eq!(names(&store, "4711", &plain), ["Maria García"]);
        assert_eq!(names(&store, "VIP", &plain), ["Maria García"]);
        assert_eq!(names(&store, "grö", &plain), ["Maria García"]);
        // The filter: a choice exactly, text containing, a number in a range.
        assert_eq!(
            names(&store, "", &field_filter(&fields[1], "LARGE")),
            ["Maria García"]
        );
        assert!(names(&store, "", &field_filter(&fields[1], "Small")).is_empty());
        assert_eq!(
            names(&store, "", &field_filter(&fields[0], "71")),
            ["Maria García"]
        );
        assert_eq!(
            names(&store, "", &field_filter(&fields[3], "10..13")),
            ["Maria García"]
        );
        assert!(names(&store, "", &field_filter(&fields[3], "13..")).is_empty());
        assert_eq!(
            names(&store, "maria", &field_filter(&fields[2], "yes")),
            ["Maria García"]
        );
        // A value the field cannot hold is refused with a sentence, and nothing changes.
        let wrong = ContactDraft {
            custom_fields: values(&[("Seats", "many")]),
            ..store.contact(bob).unwrap().draft
        };
        let err = store.update_contact(bob, &wrong).unwrap_err();
        assert_eq!(err.to_string(), "Seats is a number: \"many\" is not.");
        let unknown = ContactDraft {
            custom_fields: values(&[("Colour", "red")]),
            ..store.contact(bob).unwrap().draft
        };
        assert!(
            store
                .update_contact(bob, &unknown)
                .unwrap_err()
                .to_string()
                .contains("no field called \"Colour\"")
        );
        assert!(store.contact(bob).unwrap().draft.custom_fields.is_empty());
        // Undo puts everything back exactly, the search documents too.
        store.undo_change(&change).unwrap();
        assert_eq!(dump(&store), before);
        assert!(names(&store, "Account 4711", &plain).is_empty());
        assert!(names(&store, "", &field_filter(&fields[1], "Large")).is_empty());
    });
}

#[test]
fn a_reminding_date_makes_moves_and_removes_one_follow_up_and_undo_puts_it_back() {
    each_engine(|mut store| {
        store.set_clock(crate::common::at("2026-11-20 09:00").and_utc());
        let (renewal, _) = store
            .define_field(&FieldDefinition {
                applies_to: AppliesTo::Contact,
                name: "Contract renewal".into(),
                kind: Some(FieldKind::Date),
                choices: Vec::new(),
                remind_days_before: Some(30),
            })
            .unwrap();
        let maria = store.create_contact(&crate::common::maria()).unwrap();
        let reminders = |store: &Store| -> Vec<(String, String)> {
            store
                .follow_ups_for_contact(maria)
                .unwrap()
                .into_iter()
                .filter(|f| f.status == rapport::model::FollowUpStatus::Open)
                .map(|f| (f.draft.text, f.draft.due_date.to_string()))
                .collect()
        };
        let set = |store: &mut Store, value: &str| {
            store
                .set_contact_fields(maria, &[("Contract renewal".into(), value.into())])
                .unwrap()
        };
        set(&mut store, "1 March 2027");
        assert_eq!(
            reminders(&store),
            [(
                "Contract renewal on 1 March 2027".to_owned(),
                "2027-01-30".to_owned()
            )]
        );
        let first_id = store.follow_ups_for_contact(maria).unwrap()[0].id;
        let before_move = dump(&store);
        let moved = set(&mut store, "2027-06-01");
        let after_move = store.follow_ups_for_contact(maria).unwrap();
        assert_eq!(after_move.len(), 1, "moved, not a second one");
        assert_eq!(after_move[0].id, first_id);
        assert_eq!(after_move[0].draft.due_date.to_string(), "2027-05-02");
        let before_clear = dump(&store);
        let cleared = set(&mut store, "");
        assert!(reminders(&store).is_empty(), "cleared: the follow-up goes");
        // A date already past asks for no reminder.
        let before_past = dump(&store);
        let past = set(&mut store, "2026-01-01");
        assert!(reminders(&store).is_empty());
        // Each undo puts the rows back as they were before its step, the follow-up too.
        for (change, then) in [
            (past, before_past),
            (cleared, before_clear),
            (moved, before_move),
        ] {
            store.undo_change(&change).unwrap();
            assert_eq!(dump(&store), then);
        }
        assert_eq!(store.follow_ups_for_contact(maria).unwrap()[0].id, first_id);
        assert_eq!(reminders(&store)[0].1, "2027-01-30");
        // Removing the field keeps its open follow-up as an ordinary one.
        let (usage, removal) = store.remove_field(renewal.id).unwrap();
        assert_eq!((usage.values, usage.open_reminders), (1, 1));
        assert_eq!(reminders(&store).len(), 1, "the follow-up stays");
        assert!(
            store
                .dump_for_tests()
                .unwrap()
                .iter()
                .filter(|l| l.starts_with("follow_ups:"))
                .all(|l| l.contains("field_id=Null")),
            "it forgets the field"
        );
        store.undo_change(&removal).unwrap();
        assert_eq!(store.custom_fields(AppliesTo::Contact).unwrap().len(), 1);
        assert_eq!(
            store.contact(maria).unwrap().draft.custom_fields["Contract renewal"],
            "2027-03-01"
        );
    });
}

#[test]
fn defining_renaming_moving_changing_and_removing_fields_each_undo_exactly() {
    each_engine(|mut store| {
        // Clearing the value below is a save of Maria (her `updated_at`): one clock, or the
        // comparison with the first dump depends on a second passing in between.
        store.set_clock(chrono::DateTime::from_timestamp(1_796_000_000, 0).unwrap());
        let maria = store.create_contact(&crate::common::maria()).unwrap();
        let empty = dump(&store);
        let (size, defined) = store
            .define_field(&FieldDefinition {
                name: "Shop size".into(),
                kind: Some(FieldKind::Choice),
                choices: parse_choices("Small,Medium,Large"),
                ..FieldDefinition::default()
            })
            .unwrap();
        let (_, _) = store
            .define_field(&FieldDefinition {
                name: "Account number".into(),
                kind: Some(FieldKind::Text),
                ..FieldDefinition::default()
            })
            .unwrap();
        // Another field of the same name (without case) is refused with a sentence.
        let twice = store.define_field(&FieldDefinition {
            name: "shop SIZE".into(),
            kind: Some(FieldKind::Text),
            ..FieldDefinition::default()
        });
        assert!(
            twice
                .unwrap_err()
                .to_string()
                .contains("already a field called \"Shop size\"")
        );
        store
            .set_contact_fields(maria, &[("Shop size".into(), "Medium".into())])
            .unwrap();
        let before = dump(&store);
        let renamed = store.rename_field(size.id, "Size of shop").unwrap();
        assert_eq!(
            store.contact(maria).unwrap().draft.custom_fields["Size of shop"],
            "Medium"
        );
        assert_eq!(store.count_contacts("size of shop medium").unwrap(), 1);
        let moved = store.move_field(size.id, 1).unwrap().unwrap();
        let order: Vec<String> = store
            .custom_fields(AppliesTo::Contact)
            .unwrap()
            .into_iter()
            .map(|f| f.name)
            .collect();
        assert_eq!(order, ["Account number", "Size of shop"]);
        assert!(
            store.move_field(size.id, 1).unwrap().is_none(),
            "last already"
        );
        // A choice someone has cannot be taken away.
        let refused = store.change_field(size.id, &parse_choices("Small, Large"), None);
        assert!(
            refused
                .unwrap_err()
                .to_string()
                .starts_with("1 has \"Medium\"")
        );
        let changed = store
            .change_field(size.id, &parse_choices("Small, Medium, Large, Huge"), None)
            .unwrap();
        let (usage, removed) = store.remove_field(size.id).unwrap();
        assert_eq!(usage.values, 1);
        assert!(store.contact(maria).unwrap().draft.custom_fields.is_empty());
        assert_eq!(store.count_contacts("medium").unwrap(), 0);
        for change in [removed, changed, moved, renamed] {
            store.undo_change(&change).unwrap();
        }
        assert_eq!(dump(&store), before);
        assert_eq!(store.count_contacts("shop size medium").unwrap(), 1);
        // Undoing the definition takes the field away again (no value left on it here).
        store
            .set_contact_fields(maria, &[("Shop size".into(), String::new())])
            .unwrap();
        let account = store
            .custom_field_named(AppliesTo::Contact, "account number")
            .unwrap()
            .unwrap();
        let (_, gone) = store.remove_field(account.id).unwrap();
        let _ = gone;
        store.undo_change(&defined).unwrap();
        assert_eq!(dump(&store), empty);
    });
}

#[test]
fn an_organizations_values_are_set_on_its_own_and_undone() {
    each_engine(|mut store| {
        store
            .define_field(&FieldDefinition {
                applies_to: AppliesTo::Organization,
                name: "Branches".into(),
                kind: Some(FieldKind::Number),
                ..FieldDefinition::default()
            })
            .unwrap();
        let maria = store.create_contact(&crate::common::maria()).unwrap();
        let bakery = store.contact(maria).unwrap().organization_id.unwrap();
        let before = dump(&store);
        let err = store
            .set_organization_fields(bakery, &values(&[("Branches", "three")]))
            .unwrap_err();
        assert_eq!(err.to_string(), "Branches is a number: \"three\" is not.");
        let change = store
            .set_organization_fields(bakery, &values(&[("branches", "3")]))
            .unwrap();
        assert_eq!(
            store.organization_field_values(bakery).unwrap(),
            values(&[("Branches", "3")])
        );
        store.undo_change(&change).unwrap();
        assert_eq!(dump(&store), before);
    });
}

#[test]
fn only_a_team_owner_defines_fields_and_members_fill_them_in() {
    use crate::team_tests::{ANA, OLGA, RITA, Team};
    let Some(team) = Team::new() else { return };
    let mut olga = team.open(OLGA);
    let mut ana = team.open(ANA);
    let definition = FieldDefinition {
        name: "Shop size".into(),
        kind: Some(FieldKind::Choice),
        choices: parse_choices("Small,Medium,Large"),
        ..FieldDefinition::default()
    };
    // The server refuses the member (its grants, not Rapport's checks), in words.
    let err = ana.define_field(&definition).unwrap_err();
    assert!(matches!(err, StoreError::NotAllowed(_)), "{err:?}");
    assert!(
        err.to_string()
            .starts_with("Only the team's owners define custom fields"),
        "{err}"
    );
    assert!(
        team.psql(ANA, "INSERT INTO custom_fields (applies_to, name, kind, position, created_at) VALUES ('contact', 'x', 'text', 9, 'now')")
            .contains("permission denied")
    );
    let (size, _) = olga.define_field(&definition).unwrap();
    let err = ana.rename_field(size.id, "Size").unwrap_err();
    assert!(
        err.to_string().starts_with("Only the team's owners"),
        "{err}"
    );
    assert!(ana.remove_field(size.id).is_err());
    // Members fill them in; the read-only person reads them.
    let maria = ana
        .create_contact(&ContactDraft::named("Maria García"))
        .unwrap();
    ana.set_contact_fields(maria, &[("Shop size".into(), "Large".into())])
        .unwrap();
    let rita = team.open(RITA);
    assert_eq!(
        rita.contact(maria).unwrap().draft.custom_fields["Shop size"],
        "Large"
    );
    // A private contact's values are its author's alone.
    let secret = ana
        .create_contact(&ContactDraft {
            private: true,
            custom_fields: values(&[("Shop size", "Small")]),
            ..ContactDraft::named("Sam Secret")
        })
        .unwrap();
    assert_eq!(
        team.psql(
            OLGA,
            &format!(
                "SELECT count(*) FROM contact_field_values WHERE contact_id = {}",
                secret.0
            )
        ),
        "0"
    );
    let filter = ContactFilter {
        field: Some(FieldFilter::parse(&size, "Small").unwrap()),
        ..ContactFilter::default()
    };
    assert_eq!(olga.count_contacts_filtered("", &filter).unwrap(), 0);
    assert_eq!(ana.count_contacts_filtered("", &filter).unwrap(), 1);
}

/// Exports every contact, reads the file into a store where the same fields are defined (the
/// first one's contacts erased), and gives back what was stored there.
fn round_trip(format: rapport::report::contacts::ContactFormat) {
    let mut first = Store::open_in_memory().unwrap();
    shop_fields(&mut first);
    let people = [
        (
            "Maria García",
            values(&[
                ("Account number", "=4711, \"A\"; b"),
                ("Shop size", "Large"),
                ("VIP", "1"),
                ("Seats", "12.5"),
                ("Größe des Ladens; m²", "80"),
            ]),
        ),
        ("Bob Okafor", values(&[("VIP", "0"), ("Seats", "-3")])),
        ("Chloé Dubois", BTreeMap::new()),
    ];
    for (name, fields) in &people {
        first
            .create_contact(&ContactDraft {
                custom_fields: fields.clone(),
                emails: vec![rapport::model::Email {
                    label: "work".into(),
                    address: format!(
                        "{}@example.org",
                        name.split(' ').next().unwrap().to_lowercase()
                    ),
                }],
                ..ContactDraft::named(name)
            })
            .unwrap();
    }
    let exported = first.exported_contacts(&ReportScope::Everyone).unwrap();
    let bytes = rapport::report::contacts::render(&exported, format).unwrap();
    let name = format!("people.{}", format.extension());
    for contact in first.all_contacts().unwrap() {
        first.erase_contact(contact.id).unwrap();
    }
    let options = rapport::import::ReadOptions {
        custom_fields: first.custom_fields(AppliesTo::Contact).unwrap(),
        ..Default::default()
    };
    let parsed = rapport::import::parse_file_with(&bytes, &name, "GB", |_| None, &options).unwrap();
    assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
    first
        .apply_import(&name, parsed.format.label(), &parsed.contacts)
        .unwrap();
    for (name, fields) in &people {
        let found = first
            .all_contacts()
            .unwrap()
            .into_iter()
            .find(|c| c.draft.display_name == *name)
            .unwrap();
        assert_eq!(&found.draft.custom_fields, fields, "{name} in {format:?}");
    }
}

#[test]
fn values_go_out_in_vcard_and_csv_and_come_back_on_import() {
    use rapport::report::contacts::ContactFormat;
    round_trip(ContactFormat::VCard);
    round_trip(ContactFormat::VCard3);
    round_trip(ContactFormat::GoogleCsv);
    // What the files say.
    let mut store = Store::open_in_memory().unwrap();
    shop_fields(&mut store);
    store
        .create_contact(&ContactDraft {
            custom_fields: values(&[("Shop size", "Large"), ("Größe des Ladens; m²", "80")]),
            ..ContactDraft::named("Maria García")
        })
        .unwrap();
    let exported = store.exported_contacts(&ReportScope::Everyone).unwrap();
    let card = rapport::report::contacts::vcard_cards(
        &exported,
        rapport::report::contacts::CardVersion::V4,
    );
    assert!(
        card.contains("X-RAPPORT-FIELD;X-NAME=\"Shop size\":Large"),
        "{card}"
    );
    assert!(
        card.contains("X-NAME=\"Größe des Ladens; m²\":80"),
        "{card}"
    );
    let csv = String::from_utf8(
        rapport::report::contacts::render(&exported, ContactFormat::GoogleCsv).unwrap(),
    )
    .unwrap();
    let header = csv.lines().next().unwrap();
    assert!(
        header.ends_with(",Größe des Ladens; m²,Shop size"),
        "{header}"
    );
    // A file's value the field cannot hold, or a field not defined here, is a row problem in
    // words, and the rest of the row comes in.
    let file = "Name,Shop size,Colour\nAda Baker,Huge,red\n";
    let options = rapport::import::ReadOptions {
        custom_fields: store.custom_fields(AppliesTo::Contact).unwrap(),
        ..Default::default()
    };
    let parsed =
        rapport::import::parse_file_with(file.as_bytes(), "x.csv", "GB", |_| None, &options)
            .unwrap();
    assert_eq!(parsed.contacts.len(), 1);
    assert!(parsed.contacts[0].draft.custom_fields.is_empty());
    assert_eq!(parsed.problems.len(), 1, "{:?}", parsed.problems);
    assert!(
        parsed.problems[0]
            .message
            .contains("Shop size is one of Small, Medium, Large")
    );
}

#[test]
fn the_contact_report_and_the_privacy_export_list_the_fields() {
    let mut store = Store::open_in_memory().unwrap();
    shop_fields(&mut store);
    let maria = store
        .create_contact(&ContactDraft {
            custom_fields: values(&[
                ("Shop size", "Large"),
                ("VIP", "1"),
                ("Account number", "<b>4711</b>"),
            ]),
            ..ContactDraft::named("Maria García")
        })
        .unwrap();
    let request = rapport::model::ReportRequest::new(ReportScope::Contact(maria));
    let data = store.report_data(&request).unwrap();
    let details = data.people[0].personal.clone().unwrap();
    assert_eq!(
        details.custom_fields,
        [
            ("Account number".to_owned(), "<b>4711</b>".to_owned()),
            ("Shop size".to_owned(), "Large".to_owned()),
            ("VIP".to_owned(), "Yes".to_owned())
        ]
    );
    let report = rapport::report::build(
        data,
        &request,
        crate::common::at("2026-11-20 09:00"),
        "Rapport",
    );
    let html = rapport::report::html::render(&report);
    assert!(html.contains("<dt>Shop size</dt><dd>Large</dd>"), "{html}");
    assert!(html.contains("&lt;b&gt;4711"), "escaped");
    let markdown = rapport::report::markdown::render(&report);
    assert!(markdown.contains("  - VIP: Yes"), "{markdown}");
    let held = store.everything_about(maria).unwrap();
    let json = rapport::report::everything::to_json(&held, crate::common::at("2026-11-20 09:00"));
    assert!(json.contains("\"Shop size\""), "{json}");
}

#[test]
fn the_command_line_defines_sets_and_lists_fields() {
    use crate::common::{rapport, stdout};
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shop.sqlite3");
    let out = stdout(&rapport(
        &db,
        &[
            "field",
            "add",
            "Shop size",
            "--type",
            "choice",
            "--choices",
            "Small,Medium,Large",
        ],
    ));
    assert_eq!(
        out.trim(),
        "Added the contact field Shop size (choice: Small, Medium, Large)."
    );
    stdout(&rapport(
        &db,
        &[
            "field",
            "add",
            "Contract renewal",
            "--type",
            "date",
            "--remind-days",
            "30",
        ],
    ));
    let listed: serde_json::Value =
        serde_json::from_str(&stdout(&rapport(&db, &["field", "list", "--json"]))).unwrap();
    assert_eq!(listed[1]["remind_days_before"], 30);
    let refused = rapport(&db, &["field", "add", "Colour", "--type", "colour"]);
    assert!(!refused.status.success());
    assert!(
        String::from_utf8_lossy(&refused.stderr)
            .contains("choose text, number, date, yes-no or choice")
    );
    stdout(&rapport(&db, &["contact", "add", "--name", "Maria García"]));
    let out = stdout(&rapport(
        &db,
        &[
            "contact",
            "set",
            "1",
            "--field",
            "shop size=large",
            "--field",
            "Contract renewal=2099-03-01",
        ],
    ));
    assert_eq!(
        out.trim(),
        "Saved Maria García: Shop size: Large; Contract renewal: 1 March 2099."
    );
    let bad = rapport(&db, &["contact", "set", "1", "--field", "Shop size=Huge"]);
    assert!(!bad.status.success());
    assert!(
        String::from_utf8_lossy(&bad.stderr)
            .contains("Shop size is one of Small, Medium, Large: \"Huge\" is not.")
    );
    let contacts: serde_json::Value =
        serde_json::from_str(&stdout(&rapport(&db, &["contacts", "--json"]))).unwrap();
    assert_eq!(contacts[0]["fields"]["Shop size"], "Large");
    assert_eq!(contacts[0]["fields"]["Contract renewal"], "2099-03-01");
    let followups = stdout(&rapport(&db, &["followups"]));
    assert!(
        followups.contains("Contract renewal on 1 March 2099"),
        "{followups}"
    );
    let out = stdout(&rapport(&db, &["field", "rename", "shop size", "Size"]));
    assert_eq!(out.trim(), "Renamed Shop size to Size.");
    let out = stdout(&rapport(&db, &["field", "remove", "Contract renewal"]));
    assert_eq!(
        out.trim(),
        "Removed Contract renewal and its one value. Its open follow-up stays, as an ordinary follow-up."
    );
}

/// Focuses the text box with this accessible name and types into it, like a person would.
fn type_into(
    h: &mut egui_kittest::Harness<'static, rapport::app::RapportApp>,
    label: &str,
    text: &str,
) {
    h.get_by_role_and_label(Role::TextInput, label).focus();
    h.run();
    h.get_by_role_and_label(Role::TextInput, label)
        .type_text(text);
    h.run();
}

fn shown(h: &egui_kittest::Harness<'static, rapport::app::RapportApp>, text: &str) -> bool {
    h.query_all_by_label(text).next().is_some()
}

#[test]
fn a_field_is_defined_in_the_dialog_filled_on_the_form_shown_in_the_header_and_undone() {
    let mut store = Store::open_in_memory().unwrap();
    store.create_contact(&crate::common::maria()).unwrap();
    let mut h = crate::common::app_in(
        store,
        crate::common::Window::of(1280.0, 800.0),
        crate::common::selecting(Some(1)),
    );
    h.run();
    h.get_by_label("Edit").click();
    h.run();
    h.get_by_label("Custom fields…").click();
    h.run();
    type_into(&mut h, "Field name", "Shop size");
    h.get_by_label("Choice list").click();
    h.run();
    type_into(&mut h, "Choices", "Small, Medium, Large");
    h.get_by_label("➕ Add field").click();
    h.run();
    assert!(shown(&h, "Added the field Shop size."));
    assert!(shown(&h, "Choice list: Small, Medium, Large"));
    h.get_by_label("Close").click();
    h.run();
    // The form has the field as a choice list; the header shows the value once saved.
    h.get_by_label("✏ Edit").click();
    h.run();
    // The custom fields come last on the form: scrolled to, as a person would.
    h.get_by_role_and_label(Role::ComboBox, "Shop size")
        .scroll_to_me();
    h.run();
    h.get_by_role_and_label(Role::ComboBox, "Shop size").click();
    h.run();
    h.get_by_label("Medium").click();
    h.run();
    h.get_by_label("Save").click();
    h.run();
    assert!(!shown(&h, "Edit contact"), "the form closed");
    assert!(shown(&h, "Shop size"), "the header names the field");
    assert!(shown(&h, "Medium"), "and shows the value");
    let store = h.state().store().unwrap();
    assert_eq!(
        store.contact(ContactId(1)).unwrap().draft.custom_fields["Shop size"],
        "Medium"
    );
    // Undo takes the value away, then the field itself.
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run();
    assert!(!shown(&h, "Medium"));
    let store = h.state().store().unwrap();
    assert!(
        store
            .contact(ContactId(1))
            .unwrap()
            .draft
            .custom_fields
            .is_empty()
    );
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run();
    let store = h.state().store().unwrap();
    assert!(store.custom_fields(AppliesTo::Contact).unwrap().is_empty());
    assert!(!shown(&h, "Shop size"));
}
