//! Merging duplicates keeps what connects people (issue 23): the merged-away contact's
//! relationships move to the kept one (one between the two goes, one both had with the same
//! person is kept once, symmetric kinds stay stored from the lower id); custom field values
//! are kept, a conflict is chosen like any other field and the value not chosen goes into the
//! notes; a reminding date ends with exactly one open reminder; and one undo puts both back
//! row for row — on SQLite and PostgreSQL, from the command line and in the window.

use crate::common::{NOW, Window, app_in, at, each_engine, rapport, selecting, stdout};
use egui_kittest::kittest::Queryable as _;
use rapport::insight::duplicates::{
    MergeField, Pick, merge_choices, merge_choices_in, merged_draft,
};
use rapport::model::custom_field::{AppliesTo, FieldDefinition, FieldKind, parse_choices};
use rapport::model::relationship::{Related, Role};
use rapport::model::{ContactDraft, ContactId, FollowUpStatus};
use rapport::store::Store;
use rapport::store::undo::Undone;

// The rows compared before and after: `bulk_tests::dump`.
use crate::bulk_tests::dump;

fn person(store: &mut Store, name: &str) -> ContactId {
    store.create_contact(&ContactDraft::named(name)).unwrap()
}

fn relate(store: &mut Store, me: ContactId, word: &str, other: ContactId) {
    store
        .relate(me, Role::from_word(word).unwrap(), other, "")
        .unwrap();
}

fn words(store: &Store, id: ContactId) -> Vec<String> {
    store
        .relationships_of(id)
        .unwrap()
        .iter()
        .map(Related::wording)
        .collect()
}

/// The stored rows "from kind to", sorted.
fn stored(store: &Store) -> Vec<String> {
    let mut rows: Vec<String> = store
        .dump_for_tests()
        .unwrap()
        .into_iter()
        .filter(|l| l.starts_with("relationships:"))
        .map(|l| {
            let value = |column: &str| {
                let at = l.find(&format!(" {column}=")).unwrap() + column.len() + 2;
                l[at..].split(' ').next().unwrap().to_owned()
            };
            format!("{} {} {}", value("from_id"), value("kind"), value("to_id"))
        })
        .collect();
    rows.sort();
    rows
}

#[test]
fn a_merge_moves_the_others_relationships_and_one_undo_puts_both_back() {
    each_engine(|mut store| {
        store.set_clock(at(NOW).and_utc());
        let ana = person(&mut store, "Ana Lima");
        let bob = person(&mut store, "Bob Smith");
        let tom = person(&mut store, "Tom Weber");
        let leo = person(&mut store, "Leo Lima");
        let robert = person(&mut store, "Robert Smith");
        let mia = person(&mut store, "Mia Kurz");
        relate(&mut store, bob, "spouse", ana);
        relate(&mut store, bob, "colleague", tom);
        relate(&mut store, bob, "referred", leo);
        relate(&mut store, mia, "reports-to", bob);
        relate(&mut store, robert, "colleague", tom);
        relate(&mut store, bob, "partner", robert);
        relate(&mut store, robert, "assistant-to", leo);
        let before = dump(&store);
        let preview = store.merge_preview(robert, bob).unwrap();
        assert_eq!(
            preview.moves.relationships, 4,
            "all but the one with Robert"
        );
        let (kept, other) = (preview.kept, preview.other);
        let merged = merged_draft(
            &kept.draft,
            &other.draft,
            &merge_choices(&kept.draft, &other.draft),
            "GB",
        );
        let (moves, change) = store.merge_contacts(&kept, &other, &merged).unwrap();
        assert_eq!(moves.relationships, 4);
        assert_eq!(
            words(&store, robert),
            [
                "Married to Ana Lima",
                "Assistant to Leo Lima",
                "Manages Mia Kurz",
                "Colleague of Tom Weber",
                "Referred Leo Lima",
            ],
            "Bob's moved; the partner with himself is gone; Tom once"
        );
        assert_eq!(words(&store, mia), ["Reports to Robert Smith"]);
        assert_eq!(words(&store, tom), ["Colleague of Robert Smith"]);
        let id = |c: ContactId| c.0.to_string();
        let mut expected = vec![
            format!(
                "Integer({}) Text(\"spouse\") Integer({})",
                id(ana),
                id(robert)
            ),
            // Tom's id is lower than Robert's: the colleagues stay stored from Tom.
            format!(
                "Integer({}) Text(\"colleague\") Integer({})",
                id(tom),
                id(robert)
            ),
            format!(
                "Integer({}) Text(\"referred\") Integer({})",
                id(robert),
                id(leo)
            ),
            format!(
                "Integer({}) Text(\"reports_to\") Integer({})",
                id(mia),
                id(robert)
            ),
            format!(
                "Integer({}) Text(\"assistant\") Integer({})",
                id(robert),
                id(leo)
            ),
        ];
        expected.sort();
        assert_eq!(stored(&store), expected);
        assert_eq!(store.undo_change(&change).unwrap(), Undone::Done);
        assert_eq!(
            dump(&store),
            before,
            "both contacts' relationships exactly back"
        );
        assert_eq!(words(&store, bob).len(), 5);
    });
}

/// Shop size (a choice), Account number (text) and Contract renewal (a date reminding 30
/// days before).
fn define_fields(store: &mut Store) {
    let field = |name: &str, kind, choices: &str, remind| FieldDefinition {
        applies_to: AppliesTo::Contact,
        name: name.into(),
        kind: Some(kind),
        choices: parse_choices(choices),
        remind_days_before: remind,
    };
    for definition in [
        field("Shop size", FieldKind::Choice, "Small,Medium,Large", None),
        field("Account number", FieldKind::Text, "", None),
        field("Contract renewal", FieldKind::Date, "", Some(30)),
    ] {
        store.define_field(&definition).unwrap();
    }
}

fn with_fields(name: &str, values: &[(&str, &str)]) -> ContactDraft {
    let mut draft = ContactDraft::named(name);
    for (field, value) in values {
        draft.custom_fields.insert((*field).into(), (*value).into());
    }
    draft
}

/// The open follow-ups of `id` a date field keeps, as "due text".
fn open_reminders(store: &Store, id: ContactId) -> Vec<String> {
    store
        .follow_ups_for_contact(id)
        .unwrap()
        .into_iter()
        .filter(|f| f.status == FollowUpStatus::Open && f.draft.text.starts_with("Contract"))
        .map(|f| format!("{} {}", f.draft.due_date, f.draft.text))
        .collect()
}

/// Robert (kept) and Bob, with their values; returns both ids.
fn two_with_fields(store: &mut Store) -> (ContactId, ContactId) {
    store.set_clock(at(NOW).and_utc());
    define_fields(store);
    let robert = store
        .create_contact(&with_fields(
            "Robert Smith",
            &[("Shop size", "Small"), ("Contract renewal", "2027-03-01")],
        ))
        .unwrap();
    let bob = store
        .create_contact(&with_fields(
            "Bob Smith",
            &[
                ("Shop size", "Large"),
                ("Account number", "A-4711"),
                ("Contract renewal", "2027-06-01"),
            ],
        ))
        .unwrap();
    (robert, bob)
}

#[test]
fn custom_field_values_are_kept_chosen_noted_and_leave_one_reminder() {
    each_engine(|mut store| {
        let (robert, bob) = two_with_fields(&mut store);
        // Bob's reminder was put off once: its history comes back with the undo too.
        let bobs = store.follow_ups_for_contact(bob).unwrap()[0].id;
        let later = chrono::NaiveDate::from_ymd_opt(2027, 5, 9).unwrap();
        store.reschedule_follow_up(bobs, later, None, "").unwrap();
        assert_eq!(open_reminders(&store, robert).len(), 1);
        let before = dump(&store);
        let (kept, other) = (store.contact(robert).unwrap(), store.contact(bob).unwrap());
        let fields = store.custom_fields(AppliesTo::Contact).unwrap();
        let mut choices = merge_choices_in(&kept.draft, &other.draft, &fields);
        let custom: Vec<(String, String, String, bool)> = choices
            .iter()
            .filter(|c| matches!(c.field, MergeField::Custom(_)))
            .map(|c| {
                (
                    c.field.label().to_owned(),
                    c.kept.clone(),
                    c.other.clone(),
                    c.conflicts(),
                )
            })
            .collect();
        let row = |name: &str, kept: &str, other: &str, conflict| {
            (name.to_owned(), kept.to_owned(), other.to_owned(), conflict)
        };
        assert_eq!(
            custom,
            [
                row("Shop size", "Small", "Large", true),
                row("Account number", "", "A-4711", false),
                row("Contract renewal", "1 March 2027", "1 June 2027", true),
            ],
            "in the fields' order, dates in words"
        );
        let renewal = MergeField::Custom("Contract renewal".into());
        let pick_of = |choices: &[rapport::insight::duplicates::FieldChoice], f: &MergeField| {
            choices.iter().find(|c| c.field == *f).unwrap().pick
        };
        assert_eq!(pick_of(&choices, &renewal), Pick::Kept, "the fuller one");
        for choice in &mut choices {
            if choice.field.is_named("shop size") || choice.field == renewal {
                choice.pick = Pick::Other;
            }
        }
        let merged = merged_draft(&kept.draft, &other.draft, &choices, "GB");
        let (_, change) = store.merge_contacts(&kept, &other, &merged).unwrap();
        let now = store.contact(robert).unwrap().draft;
        let values: Vec<(&str, &str)> = now
            .custom_fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            values,
            [
                ("Account number", "A-4711"),
                ("Contract renewal", "2027-06-01"),
                ("Shop size", "Large"),
            ]
        );
        assert!(
            now.personal_notes
                .contains("Before the merge: Shop size “Small”; Contract renewal “1 March 2027”."),
            "{}",
            now.personal_notes
        );
        assert_eq!(
            open_reminders(&store, robert),
            ["2027-05-02 Contract renewal on 1 June 2027"],
            "exactly one, for the date kept"
        );
        assert_eq!(store.undo_change(&change).unwrap(), Undone::Done);
        assert_eq!(
            dump(&store),
            before,
            "values and reminders of both exactly back"
        );
    });
}

#[test]
fn the_same_date_or_one_only_the_other_had_leaves_exactly_one_reminder() {
    each_engine(|mut store| {
        store.set_clock(at(NOW).and_utc());
        define_fields(&mut store);
        let date = [("Contract renewal", "2027-06-01")];
        for (kept_values, other_values) in [(&date[..], &date[..]), (&[][..], &date[..])] {
            let robert = store
                .create_contact(&with_fields("Robert Smith", kept_values))
                .unwrap();
            let bob = store
                .create_contact(&with_fields("Bob Smith", other_values))
                .unwrap();
            let before = dump(&store);
            let (kept, other) = (store.contact(robert).unwrap(), store.contact(bob).unwrap());
            let choices = merge_choices(&kept.draft, &other.draft);
            let merged = merged_draft(&kept.draft, &other.draft, &choices, "GB");
            let (_, change) = store.merge_contacts(&kept, &other, &merged).unwrap();
            assert_eq!(
                open_reminders(&store, robert),
                ["2027-05-02 Contract renewal on 1 June 2027"],
                "one reminder, not one of each ({kept_values:?})"
            );
            assert_eq!(
                store.contact(robert).unwrap().draft.custom_fields["Contract renewal"],
                "2027-06-01"
            );
            assert_eq!(store.undo_change(&change).unwrap(), Undone::Done);
            assert_eq!(dump(&store), before);
        }
    });
}

#[test]
fn the_command_line_takes_a_custom_field_from_the_other_by_its_name() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("fields.sqlite3");
    let (robert, bob) = {
        let mut store = Store::open(&db).unwrap();
        let pair = two_with_fields(&mut store);
        let ana = person(&mut store, "Ana Lima");
        relate(&mut store, pair.1, "spouse", ana);
        pair
    };
    let (keep, other) = (robert.0.to_string(), bob.0.to_string());
    let dry = stdout(&rapport(
        &db,
        &[
            "merge",
            &keep,
            &other,
            "--dry-run",
            "--take-other",
            "Shop size",
        ],
    ));
    assert!(
        dry.contains("Shop size: \"Large\" is kept; \"Small\" goes into the notes"),
        "{dry}"
    );
    assert!(
        dry.contains(
            "Contract renewal: \"1 March 2027\" is kept; \"1 June 2027\" goes into the notes"
        ),
        "{dry}"
    );
    assert!(
        dry.contains("Account number: \"A-4711\" is filled in"),
        "{dry}"
    );
    assert!(dry.contains("1 relationship(s)"), "{dry}");
    let wrong = rapport(&db, &["merge", &keep, &other, "--take-other", "shoe size"]);
    let said = String::from_utf8_lossy(&wrong.stderr);
    assert!(
        said.contains("There is no field \"shoe size\"") && said.contains("Shop size"),
        "{said}"
    );
    stdout(&rapport(
        &db,
        &[
            "merge",
            &keep,
            &other,
            "--take-other",
            "shop-size,contract-renewal",
        ],
    ));
    let store = Store::open(&db).unwrap();
    let now = store.contact(robert).unwrap().draft;
    assert_eq!(now.custom_fields["Shop size"], "Large");
    assert_eq!(now.custom_fields["Contract renewal"], "2027-06-01");
    assert_eq!(now.custom_fields["Account number"], "A-4711");
    assert_eq!(
        open_reminders(&store, robert),
        ["2027-05-02 Contract renewal on 1 June 2027"]
    );
    assert_eq!(words(&store, robert), ["Married to Ana Lima"]);
}

#[test]
fn the_merge_dialog_offers_both_values_of_a_custom_field() {
    let mut store = Store::open_in_memory().unwrap();
    let (robert, bob) = two_with_fields(&mut store);
    for id in [robert, bob] {
        let mut draft = store.contact(id).unwrap().draft;
        draft.organization = "Smith Plumbing".into();
        draft.phones = vec![rapport::model::Phone {
            label: "mobile".into(),
            number: "+44 7700 900123".into(),
        }];
        store.update_contact(id, &draft).unwrap();
    }
    let ana = person(&mut store, "Ana Lima");
    relate(&mut store, bob, "spouse", ana);
    let mut h = app_in(store, Window::of(1280.0, 800.0), selecting(Some(ana.0)));
    h.run();
    let before = dump(h.state().store().unwrap());
    h.get_by_label("Edit").click();
    h.run();
    h.get_by_label("Find duplicates…").click();
    h.run();
    h.get_by_label("Compare…").click();
    h.run();
    assert!(
        h.query_by_label("Merge Bob Smith into Robert Smith?")
            .is_some()
    );
    assert!(h.query_by_label("Shop size").is_some());
    assert!(h.query_by_label("1 June 2027").is_some());
    assert!(
        h.query_by_label_contains(
            "Bob Smith's 1 follow-up and 1 relationship move to Robert Smith."
        )
        .is_some()
    );
    h.get_by_label("Large").click();
    h.run();
    h.get_by_label("Merge into Robert Smith").click();
    h.run();
    {
        let store = h.state().store().unwrap();
        let now = store.contact(robert).unwrap().draft;
        assert_eq!(now.custom_fields["Shop size"], "Large", "as clicked");
        assert_eq!(
            now.custom_fields["Contract renewal"], "2027-03-01",
            "the preselected"
        );
        assert_eq!(now.custom_fields["Account number"], "A-4711");
        assert!(
            now.personal_notes.contains(
                "From the merged duplicate: name “Bob Smith”; Contract renewal “1 June 2027”."
            ) && now
                .personal_notes
                .contains("Before the merge: Shop size “Small”."),
            "{}",
            now.personal_notes
        );
        assert_eq!(
            open_reminders(store, robert),
            ["2027-01-30 Contract renewal on 1 March 2027"]
        );
        assert_eq!(words(store, robert), ["Married to Ana Lima"]);
    }
    h.get_by_label("Close").click();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run();
    assert_eq!(
        dump(h.state().store().unwrap()),
        before,
        "both back exactly"
    );
}

/// The stored relationships by kind, and every row, of a database.
fn relationship_rows(store: &Store) -> (std::collections::BTreeMap<String, usize>, Vec<String>) {
    let rows = stored(store);
    let mut kinds = std::collections::BTreeMap::new();
    for row in &rows {
        let kind = row.split(' ').nth(1).unwrap().to_owned();
        *kinds.entry(kind).or_default() += 1;
    }
    (kinds, rows)
}

#[test]
fn the_demo_people_have_relationships_and_custom_field_values_from_the_seed() {
    each_engine(|mut store| {
        let summary = rapport::demo::fill(&mut store, 2000, 0, at(NOW), |_, _| {}).unwrap();
        let (kinds, rows) = relationship_rows(&store);
        assert_eq!(summary.relationships, rows.len());
        for kind in [
            "Text(\"spouse\")",
            "Text(\"partner\")",
            "Text(\"colleague\")",
            "Text(\"assistant\")",
            "Text(\"reports_to\")",
            "Text(\"referred\")",
        ] {
            assert!(
                kinds.get(kind).is_some_and(|&n| n >= 5),
                "{kind}: {kinds:?}"
            );
        }
        // A quarter of the customers referred by a customer; a few refer many.
        let referrals = store.referrals().unwrap();
        let customers = |id: ContactId| {
            let stage = store.contact(id).unwrap().draft.stage;
            rapport::model::relationship::is_customer(stage)
        };
        assert!(
            referrals
                .iter()
                .all(|r| customers(r.referrer) && customers(r.referred))
        );
        let customer_count = store
            .contact_rows("", 0, 3000)
            .unwrap()
            .iter()
            .filter(|r| customers(r.id))
            .count();
        let share = referrals.len() as f64 / customer_count as f64;
        assert!((0.18..0.3).contains(&share), "{share} of {customer_count}");
        let mut by_referrer = std::collections::HashMap::<ContactId, usize>::new();
        for r in &referrals {
            *by_referrer.entry(r.referrer).or_default() += 1;
        }
        let busy = by_referrer.values().filter(|&&n| n >= 4).count();
        assert!((3..40).contains(&busy), "{busy} refer four or more");
        // Three fields; one shop size per organization, customers with a date and number.
        let fields: Vec<String> = store
            .custom_fields(AppliesTo::Contact)
            .unwrap()
            .into_iter()
            .map(|f| f.name)
            .collect();
        assert_eq!(fields, ["Shop size", "Customer since", "Account number"]);
        let mut sizes = std::collections::HashMap::<String, String>::new();
        let (mut sized, mut since) = (0, 0);
        for row in store.contact_rows("", 0, 3000).unwrap() {
            let draft = store.contact(row.id).unwrap().draft;
            if let Some(size) = draft.custom_fields.get("Shop size") {
                sized += 1;
                let first = sizes
                    .entry(draft.organization.clone())
                    .or_insert(size.clone());
                assert_eq!(first, size, "one size at {}", draft.organization);
            }
            let customer = rapport::model::relationship::is_customer(draft.stage);
            assert_eq!(draft.custom_fields.contains_key("Customer since"), customer);
            assert_eq!(draft.custom_fields.contains_key("Account number"), customer);
            since += usize::from(customer);
        }
        assert!(
            sized > 1500 && since > 300,
            "{sized} sized, {since} customers"
        );
        // The same seed, the same people and connections.
        let mut again = Store::open_in_memory().unwrap();
        rapport::demo::fill(&mut again, 2000, 0, at(NOW), |_, _| {}).unwrap();
        assert_eq!(relationship_rows(&again).1, rows);
    });
}

mod related_cards;
