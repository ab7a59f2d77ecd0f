//! Duplicates among the contacts already stored (issue: a clean, connected contact base): found
//! by e-mail, phone, and the name at an organization (nicknames, accents, transliteration,
//! legal forms), measured on a generated base with known doubles (precision and recall);
//! merged field by field keeping everything of both as one undoable step, on both engines;
//! refused over a teammate's save or private conversation; from the command line and in the
//! window, clicked like a person; and asked about before a look-alike is created.

use crate::common::{self, NOW, Window, app_in, at, selecting};
use egui_kittest::kittest::Queryable as _;
use rapport::insight::duplicates::{merge_choices, merged_draft};
use rapport::model::{
    ContactDraft, ContactId, Email, FollowUpDraft, Initiator, InteractionDraft, Phone,
};
use rapport::store::duplicates::Moves;
use rapport::store::undo::Undone;
use rapport::store::{Store, StoreError};

// The rows compared before and after: `bulk_tests::dump`.
use crate::bulk_tests::dump;

fn email(address: &str) -> Email {
    Email {
        label: "work".into(),
        address: address.into(),
    }
}

fn phone(number: &str) -> Phone {
    Phone {
        label: "mobile".into(),
        number: number.into(),
    }
}

fn robert() -> ContactDraft {
    ContactDraft {
        given_name: "Robert".into(),
        family_name: "Smith".into(),
        organization: "Smith Plumbing".into(),
        title: "Owner".into(),
        emails: vec![email("robert@smithplumbing.example")],
        phones: vec![phone("+44 7700 900123")],
        tags: vec!["VIP".into()],
        personal_notes: "Prefers calls after 4.".into(),
        ..ContactDraft::default()
    }
}

fn bob() -> ContactDraft {
    ContactDraft {
        display_name: "Bob Smith".into(),
        organization: "Smith Plumbing Ltd".into(),
        title: "Managing Director".into(),
        birthday: rapport::model::Birthday::new(Some(1970), 3, 2),
        emails: vec![email("bob@home.example")],
        phones: vec![phone("07700 900123")],
        tags: vec!["wholesale".into()],
        ..ContactDraft::default()
    }
}

/// Robert and Bob (one man, twice), Ana; conversations with Bob alone, with both, and with
/// Bob and Ana; a promise to Bob, his new job, his photo.
struct Shop {
    robert: ContactId,
    bob: ContactId,
    ana: ContactId,
    both: rapport::model::InteractionId,
    with_ana: rapport::model::InteractionId,
}

fn shop(store: &mut Store) -> Shop {
    store.set_setting("phone_region", "GB").unwrap();
    let robert = store.create_contact(&robert()).unwrap();
    let bob = store.create_contact(&bob()).unwrap();
    let ana = store
        .create_contact(&ContactDraft::named("Ana Lima"))
        .unwrap();
    let talk = |store: &mut Store, at_: &str, summary: &str, who: Vec<ContactId>| {
        store
            .log_interaction(&InteractionDraft {
                summary: summary.into(),
                participants: who,
                ..InteractionDraft::new(at(at_), bob)
            })
            .unwrap()
    };
    talk(store, "2026-10-01 10:00", "Quote for the boiler", vec![bob]);
    let both = talk(store, "2026-10-08 10:00", "Site visit", vec![robert, bob]);
    let with_ana = talk(store, "2026-10-15 10:00", "Supplier lunch", vec![bob, ana]);
    store
        .add_follow_up(&FollowUpDraft {
            contact_id: bob,
            organization_id: None,
            interaction_id: None,
            text: "Send the boiler quote".into(),
            notes: String::new(),
            due_date: chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(),
            due_time: None,
            promised_by: Initiator::Me,
            repeat: None,
        })
        .unwrap();
    store
        .add_life_event(
            bob,
            chrono::NaiveDate::from_ymd_opt(2026, 6, 1).unwrap(),
            "new job",
            "Took over the business",
        )
        .unwrap();
    store
        .set_photo(bob, &crate::photo_tests::png_bytes(64, 64))
        .unwrap();
    Shop {
        robert,
        bob,
        ana,
        both,
        with_ana,
    }
}

#[test]
fn a_merge_keeps_everything_of_both_and_one_undo_puts_both_back_exactly() {
    common::each_engine(|mut store| {
        store.set_clock(at(NOW).and_utc());
        let s = shop(&mut store);
        let found = store.find_duplicates("GB").unwrap();
        assert_eq!(found.pairs.len(), 1, "{:?}", found.pairs);
        assert_eq!(
            found.pairs[0].reasons,
            vec![
                "same phone +44 7700 900123",
                "Robert and Bob Smith, at Smith Plumbing and Smith Plumbing Ltd"
            ]
        );
        let before = dump(&store);
        let (kept, other) = (
            store.contact(s.robert).unwrap(),
            store.contact(s.bob).unwrap(),
        );
        let choices = merge_choices(&kept.draft, &other.draft);
        let merged = merged_draft(&kept.draft, &other.draft, &choices, "GB");
        let (moves, change) = store.merge_contacts(&kept, &other, &merged).unwrap();
        assert_eq!(
            moves,
            Moves {
                conversations: 3,
                follow_ups: 1,
                life_events: 1,
                stage_changes: 1,
                relationships: 0,
                photo: true,
                photo_dropped: false
            }
        );
        assert!(matches!(
            store.contact(s.bob),
            Err(StoreError::NotFound { .. })
        ));
        let now = store.contact(s.robert).unwrap().draft;
        let addresses: Vec<&str> = now.emails.iter().map(|e| e.address.as_str()).collect();
        assert_eq!(
            addresses,
            ["robert@smithplumbing.example", "bob@home.example"]
        );
        assert_eq!(now.phones.len(), 1, "one number in two forms is one phone");
        assert_eq!(now.tags, ["VIP", "wholesale"]);
        assert_eq!(now.title, "Managing Director", "the fuller value");
        assert_eq!(
            now.birthday,
            rapport::model::Birthday::new(Some(1970), 3, 2)
        );
        assert_eq!(now.uid, kept.draft.uid, "the kept one's UID");
        assert!(now.personal_notes.starts_with("Prefers calls after 4."));
        assert!(
            now.personal_notes.contains("role “Owner”"),
            "{}",
            now.personal_notes
        );
        assert!(
            now.personal_notes
                .contains("From the merged duplicate: name “Bob Smith”")
        );
        assert_eq!(store.count_interactions(s.robert).unwrap(), 3);
        assert_eq!(
            store.interaction(s.both).unwrap().draft.participants,
            [s.robert]
        );
        let mut lunch = store.interaction(s.with_ana).unwrap().draft.participants;
        lunch.sort();
        assert_eq!(lunch, [s.robert, s.ana]);
        assert_eq!(store.follow_ups_for_contact(s.robert).unwrap().len(), 1);
        assert_eq!(store.life_events_for_contact(s.robert).unwrap().len(), 1);
        assert!(store.photo(s.robert).unwrap().is_some(), "his photo moved");
        assert!(store.find_duplicates("GB").unwrap().pairs.is_empty());
        assert_eq!(store.undo_change(&change).unwrap(), Undone::Done);
        assert_eq!(dump(&store), before, "one undo puts both back exactly");
    });
}

#[test]
fn a_merge_refuses_a_contact_saved_since_it_was_shown_and_what_it_cannot_be() {
    common::each_engine(|mut store| {
        let s = shop(&mut store);
        let (kept, other) = (
            store.contact(s.robert).unwrap(),
            store.contact(s.bob).unwrap(),
        );
        let merged = merged_draft(
            &kept.draft,
            &other.draft,
            &merge_choices(&kept.draft, &other.draft),
            "GB",
        );
        let mut changed = other.draft.clone();
        changed.title = "Retired".into();
        store.update_contact(s.bob, &changed).unwrap();
        let before = dump(&store);
        let refused = store.merge_contacts(&kept, &other, &merged).unwrap_err();
        assert!(
            matches!(refused, StoreError::ChangedSince { .. }),
            "{refused}"
        );
        assert_eq!(dump(&store), before, "nothing was merged");
        let itself = store.merge_contacts(&kept, &kept, &kept.draft).unwrap_err();
        assert_eq!(
            itself.to_string(),
            "A contact cannot be merged with itself."
        );
        store.trash_contact(s.ana).unwrap();
        let ana = store.contact(s.ana).unwrap();
        let kept = store.contact(s.robert).unwrap();
        let trashed = store.merge_contacts(&kept, &ana, &kept.draft).unwrap_err();
        assert_eq!(
            trashed.to_string(),
            "Ana Lima is in the trash; restore them first to merge."
        );
    });
}

#[test]
fn a_teammates_private_conversation_with_the_other_keeps_the_merge_from_happening() {
    use crate::team_tests::{ANA, BEN, Team};
    let Some(team) = Team::new() else { return };
    let mut ana = team.open(ANA);
    let mut ben = team.open(BEN);
    let robert = ben.create_contact(&robert()).unwrap();
    let bob = ben.create_contact(&bob()).unwrap();
    ana.log_interaction(&InteractionDraft {
        summary: "His divorce".into(),
        private: true,
        ..InteractionDraft::new(at("2026-11-03 10:00"), bob)
    })
    .unwrap();
    let (kept, other) = (ben.contact(robert).unwrap(), ben.contact(bob).unwrap());
    let merged = merged_draft(
        &kept.draft,
        &other.draft,
        &merge_choices(&kept.draft, &other.draft),
        "GB",
    );
    let refused = ben.merge_contacts(&kept, &other, &merged).unwrap_err();
    assert_eq!(
        refused.to_string(),
        "A teammate keeps a private conversation or promise with Bob Smith, so the two cannot be merged while they do; nothing was changed."
    );
    assert_eq!(
        ben.contact(robert).unwrap().draft.title,
        "Owner",
        "nothing changed"
    );
    assert_eq!(
        ana.count_interactions(bob).unwrap(),
        1,
        "hers is where it was"
    );
}

/// A double of `original` as people make them, by one of five kinds of edit.
fn double_of(original: &ContactDraft, kind: usize) -> ContactDraft {
    const NICKNAMES: &[(&str, &str)] = &[
        ("James", "Jim"),
        ("Samuel", "Sam"),
        ("Oliver", "Ollie"),
        ("Gabriel", "Gabe"),
        ("Isabel", "Izzy"),
        ("Elena", "Ellie"),
        ("Tomasz", "Tom"),
        ("Rafael", "Rafa"),
        ("Sofia", "Sophie"),
        ("Maria", "Mary"),
        ("Ana", "Anna"),
        ("Lucas", "Luke"),
        ("Camila", "Cami"),
        ("Mateo", "Matt"),
        ("Liam", "Will"),
    ];
    let mut double = original.clone();
    double.uid = String::new();
    double.tags.clear();
    let drop_accents = |text: &str| {
        text.replace('í', "i")
            .replace('á', "a")
            .replace('é', "e")
            .replace('ö', "o")
            .replace('ü', "ue")
            .replace('ç', "c")
            .replace('ã', "a")
    };
    let mut given = original.given_name.clone();
    let mut family = original.family_name.clone();
    match kind % 5 {
        // A nickname where the first name has one, and a personal e-mail instead of work's.
        0 => {
            if let Some((_, nick)) = NICKNAMES.iter().find(|(full, _)| *full == given) {
                given = (*nick).to_owned();
            }
            double.emails = vec![email(&format!(
                "{}.{kind}@mail.example",
                given.to_lowercase()
            ))];
        }
        // Accents dropped (Müller written Mueller), the work e-mail in capitals.
        1 => {
            given = drop_accents(&given);
            family = drop_accents(&family);
            double.emails = original
                .emails
                .iter()
                .map(|e| email(&e.address.to_uppercase()))
                .collect();
            double.phones.clear();
        }
        // The mobile in national format, the organization with its legal form.
        2 => {
            let digits: String = original.phones[0]
                .number
                .chars()
                .filter(char::is_ascii_digit)
                .collect();
            double.phones = vec![phone(&format!("0{} {}", &digits[2..6], &digits[6..]))];
            double.emails.clear();
            double.organization = format!("{} Ltd", original.organization);
        }
        // The same name typed again, nothing else but the organization in lowercase.
        3 => {
            double.emails.clear();
            double.phones.clear();
            double.organization = original.organization.to_lowercase();
        }
        // A typo in the family name, the phone written without spaces.
        _ => {
            let mut letters: Vec<char> = family.chars().collect();
            if letters.len() >= 5 {
                letters.swap(2, 3);
            }
            family = letters.into_iter().collect();
            double.phones = original
                .phones
                .iter()
                .map(|p| phone(&p.number.replace(' ', "")))
                .collect();
            double.emails.clear();
        }
    }
    double.display_name = format!("{given} {family}");
    double.given_name = given;
    double.family_name = family;
    double
}

/// 2,000 demo contacts and 200 known doubles of some of them: what the search finds against
/// what it should, printed (`cargo test --test main duplicates -- --nocapture`) and held to
/// at least 0.95 for both.
#[test]
fn on_a_generated_base_with_known_doubles_precision_and_recall_are_at_least_0_95() {
    let mut store = Store::open_in_memory().unwrap();
    rapport::demo::fill(&mut store, 2000, 0, at(NOW), |_, _| {}).unwrap();
    let originals = store.all_contacts().unwrap();
    let mut rng = fastrand::Rng::with_seed(0xD0B1E5);
    let mut chosen: Vec<usize> = (0..originals.len()).collect();
    rng.shuffle(&mut chosen);
    let mut known = std::collections::BTreeSet::new();
    for (kind, &index) in chosen.iter().take(200).enumerate() {
        let original = &originals[index];
        let double = store
            .create_contact(&double_of(&original.draft, kind))
            .unwrap();
        known.insert((original.id.min(double), original.id.max(double)));
    }
    let began = std::time::Instant::now();
    let found = store.find_duplicates("GB").unwrap();
    let took = began.elapsed();
    let listed: std::collections::BTreeSet<(ContactId, ContactId)> = found
        .pairs
        .iter()
        .map(|p| (p.first.id, p.second.id))
        .collect();
    let right = listed.intersection(&known).count();
    let precision = right as f64 / listed.len() as f64;
    let recall = right as f64 / known.len() as f64;
    println!(
        "duplicates on 2,000 demo contacts + 200 known doubles: precision {precision:.3} ({right} of {} pairs listed are known doubles), recall {recall:.3} ({right} of {} known doubles found); {} pairs compared; {:.1} ms",
        listed.len(),
        known.len(),
        found.compared,
        took.as_secs_f64() * 1000.0
    );
    for pair in found
        .pairs
        .iter()
        .filter(|p| !known.contains(&(p.first.id, p.second.id)))
    {
        println!(
            "  listed, not a known double: {} / {}: {}",
            pair.first.name,
            pair.second.name,
            pair.reasons.join("; ")
        );
    }
    for (a, b) in known.difference(&listed) {
        let name = |id: &ContactId| store.contact(*id).unwrap().draft.display_name;
        println!("  missed: {} / {}", name(a), name(b));
    }
    assert!(precision >= 0.95, "precision {precision:.3}");
    assert!(recall >= 0.95, "recall {recall:.3}");
}

#[test]
fn the_command_line_lists_pairs_and_merges_one_after_a_dry_run() {
    use crate::common::{rapport, stdout};
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shop.sqlite3");
    let s = {
        let mut store = Store::open(&db).unwrap();
        shop(&mut store)
    };
    let listed = stdout(&rapport(&db, &["duplicates"]));
    assert!(
        listed.starts_with(&format!(
            "{} Robert Smith (Smith Plumbing) and {} Bob Smith (Smith Plumbing Ltd): same phone +44 7700 900123; Robert and Bob Smith",
            s.robert, s.bob
        )),
        "{listed}"
    );
    assert!(
        listed.contains("1 likely duplicate among 3 contacts."),
        "{listed}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&rapport(&db, &["duplicates", "--json"]))).unwrap();
    assert_eq!(json[0]["first"]["id"], s.robert.0);
    assert_eq!(json[0]["second"]["name"], "Bob Smith");
    assert_eq!(json[0]["reasons"][0], "same phone +44 7700 900123");
    let (keep, other) = (s.robert.0.to_string(), s.bob.0.to_string());
    let dry = stdout(&rapport(
        &db,
        &["merge", &keep, &other, "--dry-run", "--take-other", "title"],
    ));
    assert!(dry.contains("Would merge"), "{dry}");
    assert!(
        dry.contains("role: \"Managing Director\" is kept; \"Owner\" goes into the notes"),
        "{dry}"
    );
    assert!(dry.contains("e-mails added: bob@home.example"), "{dry}");
    assert!(
        dry.contains("moves: 3 conversation(s), 1 follow-up(s), 1 life event(s) and the photo"),
        "{dry}"
    );
    assert!(dry.ends_with("Nothing was changed (dry run).\n"), "{dry}");
    assert!(
        Store::open(&db).unwrap().contact(s.bob).is_ok(),
        "the dry run changed nothing"
    );
    let wrong = rapport(&db, &["merge", &keep, &other, "--take-other", "shoe-size"]);
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("There is no field \"shoe-size\""));
    let done = stdout(&rapport(&db, &["merge", &keep, &other]));
    assert!(done.contains("A backup was taken first"), "{done}");
    assert!(
        done.ends_with("Merged 2 Bob Smith into 1 Robert Smith.\n"),
        "{done}"
    );
    let store = Store::open(&db).unwrap();
    assert!(store.contact(s.bob).is_err());
    assert_eq!(store.count_interactions(s.robert).unwrap(), 3);
    assert!(
        stdout(&rapport(&db, &["duplicates"]))
            .starts_with("No likely duplicates among 2 contacts.")
    );
}

#[test]
fn find_duplicates_compare_choose_merge_and_undo_in_the_window() {
    let mut store = Store::open_in_memory().unwrap();
    let s = shop(&mut store);
    let mut h = app_in(store, Window::of(1280.0, 800.0), selecting(Some(s.ana.0)));
    h.run();
    let before = dump(h.state().store().unwrap());
    h.get_by_label("Edit").click();
    h.run();
    h.get_by_label("Find duplicates…").click();
    h.run();
    assert!(
        h.query_by_label("1 likely duplicate among 3 contacts.")
            .is_some()
    );
    assert!(
        h.query_by_label("Robert Smith (Smith Plumbing) and Bob Smith (Smith Plumbing Ltd)")
            .is_some()
    );
    h.get_by_label("Compare…").click();
    h.run();
    assert!(
        h.query_by_label("Merge Robert Smith into Bob Smith?")
            .is_some(),
        "Bob has more to keep"
    );
    h.get_by_label(&format!("Keep Robert Smith (no. {})", s.robert))
        .click();
    h.run();
    assert!(
        h.query_by_label("Merge Bob Smith into Robert Smith?")
            .is_some()
    );
    // The role differs: Robert's is chosen over the fuller one.
    h.get_by_label("Owner").click();
    h.run();
    assert!(
        h.query_by_label_contains(
            "Bob Smith's 3 conversations, 1 follow-up, 1 life event and photo move to Robert Smith."
        )
        .is_some()
    );
    h.get_by_label("Merge into Robert Smith").click();
    h.run();
    let said = h.state().view.status.clone().unwrap();
    assert!(
        said.text.starts_with("Merged Bob Smith into Robert Smith"),
        "{}",
        said.text
    );
    assert!(
        h.query_by_label("No likely duplicates among 2 contacts.")
            .is_some(),
        "the pair is off the list"
    );
    {
        let store = h.state().store().unwrap();
        assert!(store.contact(s.bob).is_err());
        let robert = store.contact(s.robert).unwrap().draft;
        assert_eq!(robert.title, "Owner");
        assert!(
            robert
                .personal_notes
                .contains("From the merged duplicate: name “Bob Smith”; role “Managing Director”"),
            "{}",
            robert.personal_notes
        );
    }
    assert_eq!(
        h.state().view.selected.as_ref().map(|s| s.contact.id),
        Some(s.robert),
        "the kept one is shown"
    );
    h.get_by_label("Close").click();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run();
    let said = h.state().view.status.clone().unwrap();
    assert_eq!(said.text, "Undone: merge of Bob Smith into Robert Smith.");
    assert_eq!(
        dump(h.state().store().unwrap()),
        before,
        "both back exactly"
    );
}

#[test]
fn two_people_are_not_listed_again_once_said() {
    let mut store = Store::open_in_memory().unwrap();
    let s = shop(&mut store);
    let mut h = app_in(store, Window::of(1280.0, 800.0), selecting(None));
    h.run();
    h.get_by_label("Edit").click();
    h.run();
    h.get_by_label("Find duplicates…").click();
    h.run();
    h.get_by_label("Not the same").click();
    h.run();
    assert!(
        h.query_by_label("No likely duplicates among 3 contacts.")
            .is_some()
    );
    let store = h.state().store().unwrap();
    assert_eq!(store.not_same_pairs(), [(s.robert, s.bob)]);
    assert!(store.find_duplicates("GB").unwrap().pairs.is_empty());
}

#[test]
fn a_new_contact_like_one_already_here_asks_first_and_yes_adds_to_them() {
    use crate::ui_tests::replace_text;
    let mut store = Store::open_in_memory().unwrap();
    let robert = store.create_contact(&robert()).unwrap();
    let mut h = app_in(store, Window::of(1280.0, 800.0), selecting(None));
    h.run();
    h.get_by_label("➕ New contact").click();
    h.run();
    replace_text(&mut h, "Name", "Bob Smith");
    replace_text(&mut h, "Phone", "+44 20 7946 0000");
    h.get_by_label("Save").click();
    h.run();
    assert!(
        h.query_by_label("Is this Robert Smith at Smith Plumbing?")
            .is_some()
    );
    assert!(
        h.query_by_label("Bob and Robert Smith").is_some(),
        "why it asks"
    );
    assert_eq!(
        h.state().store().unwrap().count_contacts("").unwrap(),
        1,
        "nothing saved yet"
    );
    h.get_by_label("Yes — add what I typed to Robert Smith")
        .click();
    h.run();
    assert!(
        h.query_by_label("Edit contact").is_some(),
        "his form, to look over"
    );
    h.get_by_label("Save").click();
    h.run();
    let store = h.state().store().unwrap();
    assert_eq!(store.count_contacts("").unwrap(), 1);
    let numbers: Vec<String> = store
        .contact(robert)
        .unwrap()
        .draft
        .phones
        .into_iter()
        .map(|p| p.number)
        .collect();
    assert_eq!(numbers, ["+44 7700 900123", "+44 20 7946 0000"]);
    assert_eq!(
        store.contact(robert).unwrap().draft.nickname,
        "Bob",
        "the name typed"
    );
    // Someone new after all: "No" saves them.
    h.get_by_label("➕ New contact").click();
    h.run();
    replace_text(&mut h, "Name", "Roberta Smith");
    replace_text(&mut h, "E-mail", "robert@smithplumbing.example");
    h.get_by_label("Save").click();
    h.run();
    assert!(
        h.query_by_label_contains("same e-mail robert@smithplumbing.example")
            .is_some()
    );
    h.get_by_label("No — save a new contact").click();
    h.run();
    assert_eq!(h.state().store().unwrap().count_contacts("").unwrap(), 2);
}
