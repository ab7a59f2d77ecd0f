//! Relationships between contacts (issue 23, part 2): spouse, parent, assistant, referred,
//! reports to, colleague, partner, shown on both people in their own words, refused kindly
//! when they make no sense, undone exactly, hidden while one of them is in the trash, gone
//! with an erase, invisible to teammates who cannot see both people; the command line
//! (`relate`, `unrelate`, `relations`, `referrals`, `contacts --json`); and the window: add one
//! by typing, see it on both people, click through, undo, remove, Who referred whom.

use crate::common::{self, each_engine, rapport, stdout};
use crate::team_tests::{ANA, BEN, Team};
use rapport::model::relationship::{Related, RelationKind, Role, Side, referrers};
use rapport::model::{ContactDraft, ContactId, Stage};
use rapport::store::undo::{Part, Undone};
use rapport::store::{Store, StoreError};

fn role(word: &str) -> Role {
    Role::from_word(word).unwrap()
}

fn person(store: &mut Store, name: &str, stage: Stage) -> ContactId {
    let mut draft = ContactDraft::named(name);
    draft.stage = stage;
    store.create_contact(&draft).unwrap()
}

/// What a contact's page lists: "Married to Tom Weber", in page order.
fn words(store: &Store, id: ContactId) -> Vec<String> {
    store
        .relationships_of(id)
        .unwrap()
        .iter()
        .map(Related::wording)
        .collect()
}

// The rows compared before and after: `bulk_tests::dump`.
use crate::bulk_tests::dump;

fn family(mut store: Store) -> (Store, [ContactId; 4]) {
    let ana = person(&mut store, "Ana Lima", Stage::Customer);
    let tom = person(&mut store, "Tom Weber", Stage::Loyal);
    let leo = person(&mut store, "Leo Lima", Stage::Prospect);
    let mia = person(&mut store, "Mia Kurz", Stage::Customer);
    (store, [ana, tom, leo, mia])
}

#[test]
fn each_kind_shows_on_both_people_in_their_own_words() {
    each_engine(|store| {
        let (mut store, [ana, tom, leo, mia]) = family(store);
        store.relate(tom, role("spouse"), ana, "").unwrap();
        store.relate(leo, role("child-of"), ana, "").unwrap();
        store
            .relate(ana, role("referred-by"), tom, "at the fair")
            .unwrap();
        store.relate(mia, role("assistant-of"), ana, "").unwrap();
        store.relate(leo, role("reports-to"), mia, "").unwrap();
        store.relate(mia, role("colleague"), tom, "").unwrap();
        store.relate(tom, role("partner"), leo, "").unwrap();
        assert_eq!(
            words(&store, ana),
            [
                "Married to Tom Weber",
                "Parent of Leo Lima",
                "Assisted by Mia Kurz",
                "Referred by Tom Weber"
            ]
        );
        assert_eq!(
            words(&store, tom),
            [
                "Married to Ana Lima",
                "Partner of Leo Lima",
                "Colleague of Mia Kurz",
                "Referred Ana Lima"
            ]
        );
        assert_eq!(
            words(&store, leo),
            [
                "Partner of Tom Weber",
                "Child of Ana Lima",
                "Reports to Mia Kurz"
            ]
        );
        assert_eq!(
            words(&store, mia),
            [
                "Assistant to Ana Lima",
                "Manages Leo Lima",
                "Colleague of Tom Weber"
            ]
        );
        let referred = &store.relationships_of(ana).unwrap()[3];
        assert_eq!(referred.note, "at the fair");
        assert_eq!(referred.role, Role::of(RelationKind::Referred, Side::To));
        // Symmetric kinds are one row from the lower id, whoever said it.
        let all = store.relationships_by_contact().unwrap();
        assert_eq!(all[&ana].len(), 4);
        assert_eq!(all[&tom][0].wording(), "Married to Ana Lima");
    });
}

#[test]
fn nonsense_is_refused_kindly_and_a_repeat_changes_nothing() {
    each_engine(|store| {
        let (mut store, [ana, tom, leo, _]) = family(store);
        let err = store.relate(ana, role("spouse"), ana, "").unwrap_err();
        assert_eq!(
            err.to_string(),
            "A contact cannot be related to themselves; choose someone else."
        );
        assert!(
            store
                .relate(ana, role("spouse"), tom, "")
                .unwrap()
                .change
                .is_some()
        );
        let before = dump(&store);
        // Said again, from either side: already there.
        let again = store.relate(tom, role("married-to"), ana, "").unwrap();
        assert!(again.change.is_none());
        assert_eq!(again.related.wording(), "Married to Ana Lima");
        assert_eq!(dump(&store), before, "nothing written");
        store.relate(leo, role("child-of"), ana, "").unwrap();
        let err = store.relate(leo, role("parent-of"), ana, "").unwrap_err();
        assert_eq!(
            err.to_string(),
            "That is the opposite of what is recorded: Ana Lima is Leo Lima's parent. Remove that first; nothing was changed."
        );
        let err = store.unrelate(ana, role("colleague"), tom).unwrap_err();
        assert_eq!(
            err.to_string(),
            "It is not recorded that Ana Lima and Tom Weber are colleagues; nothing was changed."
        );
        store.trash_contact(tom).unwrap();
        let err = store.relate(leo, role("colleague"), tom, "").unwrap_err();
        assert!(
            err.to_string().starts_with("Tom Weber is in the trash"),
            "{err}"
        );
        let err = store
            .relate(leo, role("colleague"), ContactId(9999), "")
            .unwrap_err();
        assert!(matches!(err, StoreError::NotFound { .. }), "{err}");
    });
}

#[test]
fn adding_and_removing_undo_exactly_one_step_at_a_time() {
    each_engine(|store| {
        let (mut store, [ana, tom, leo, _]) = family(store);
        store.relate(leo, role("child-of"), ana, "").unwrap();
        let start = dump(&store);
        let added = store
            .relate(ana, role("spouse"), tom, "since 2019")
            .unwrap();
        let with_it = dump(&store);
        assert_ne!(with_it, start);
        let (removed, removal) = store.remove_relationship(tom, added.related.id).unwrap();
        assert_eq!(removed.wording(), "Married to Ana Lima", "in Tom's words");
        assert_eq!(words(&store, ana), ["Parent of Leo Lima"]);
        // Undo the removal, then the add: each puts back exactly what was there.
        assert_eq!(store.undo_change(&removal).unwrap(), Undone::Done);
        assert_eq!(dump(&store), with_it);
        assert_eq!(store.relationships_of(ana).unwrap()[0].note, "since 2019");
        assert_eq!(
            store.undo_change(&added.change.unwrap()).unwrap(),
            Undone::Done
        );
        assert_eq!(dump(&store), start);
        assert_eq!(words(&store, tom), Vec::<String>::new());
    });
}

#[test]
fn a_contact_who_gained_a_relationship_since_is_not_removed_by_undoing_their_add() {
    each_engine(|store| {
        let (mut store, [ana, ..]) = family(store);
        let before = store.snapshot(&[]).unwrap();
        let ben = person(&mut store, "Ben Brook", Stage::Prospect);
        let added = store.change_since(before, &[Part::Contact(ben)]).unwrap();
        assert!(store.can_undo(&added).unwrap());
        // Elsewhere (the command line), Ben is related to Ana: undoing his add would delete
        // the relationship along with him, so it is refused.
        store.relate(ben, role("referred-by"), ana, "").unwrap();
        assert!(!store.can_undo(&added).unwrap());
        assert_eq!(
            store.undo_change(&added).unwrap(),
            Undone::ChangedSince("contact's relationships")
        );
        assert_eq!(words(&store, ana), ["Referred Ben Brook"]);
    });
}

#[test]
fn the_trash_hides_a_relationship_the_restore_brings_back_and_a_purge_takes_along() {
    each_engine(|store| {
        let (mut store, [ana, tom, leo, mia]) = family(store);
        store.relate(ana, role("spouse"), tom, "").unwrap();
        for referred in [leo, mia] {
            store
                .relate(referred, role("referred-by"), tom, "")
                .unwrap();
        }
        store.trash_contact(ana).unwrap();
        assert_eq!(
            words(&store, tom),
            ["Referred Leo Lima", "Referred Mia Kurz"]
        );
        let held = store.held_relationships(tom).unwrap();
        assert!(held.iter().any(|r| r.other == ana && r.other_in_trash));
        store.restore_contact(ana).unwrap();
        assert_eq!(words(&store, tom)[0], "Married to Ana Lima");
        // Who referred whom counts the live people only.
        store.trash_contact(leo).unwrap();
        let list = referrers(&store.referrals().unwrap());
        assert_eq!(list.len(), 1);
        assert_eq!(
            (list[0].id, list[0].referred.len(), list[0].customers),
            (tom, 1, 1)
        );
        store.purge_contact(leo).unwrap();
        store.trash_contact(ana).unwrap();
        store.purge_contact(ana).unwrap();
        assert_eq!(words(&store, tom), ["Referred Mia Kurz"]);
        assert_eq!(
            store.held_relationships(tom).unwrap().len(),
            1,
            "gone for good"
        );
    });
}

#[test]
fn referral_counts_add_up_per_referrer() {
    each_engine(|store| {
        let (mut store, [ana, tom, leo, mia]) = family(store);
        let cleo = person(&mut store, "Cleo Costa", Stage::Former);
        store.relate(tom, role("referred"), ana, "").unwrap();
        store.relate(tom, role("referred"), leo, "").unwrap();
        store.relate(mia, role("referred-by"), tom, "").unwrap();
        store.relate(cleo, role("referred-by"), ana, "").unwrap();
        let list = referrers(&store.referrals().unwrap());
        let counts: Vec<(&str, usize, usize)> = list
            .iter()
            .map(|r| (r.name.as_str(), r.referred.len(), r.customers))
            .collect();
        assert_eq!(counts, [("Tom Weber", 3, 2), ("Ana Lima", 1, 0)]);
        let names: Vec<&str> = list[0].referred.iter().map(|(_, n)| n.as_str()).collect();
        assert_eq!(names, ["Ana Lima", "Leo Lima", "Mia Kurz"]);
    });
}

#[test]
fn a_teammates_private_contact_keeps_its_relationships_to_itself() {
    let Some(team) = Team::new() else { return };
    let mut ana = team.open(ANA);
    let mut ben = team.open(BEN);
    let shared = person(&mut ana, "Maria García", Stage::Customer);
    let mut secret = ContactDraft::named("Her sister Lucía");
    secret.private = true;
    let secret = ana.create_contact(&secret).unwrap();
    let friend = person(&mut ben, "Tom Weber", Stage::Loyal);
    // Maria referred her sister: a row from Maria that only Ana can see.
    ana.relate(shared, role("referred"), secret, "").unwrap();
    ana.relate(friend, role("colleague"), shared, "").unwrap();
    assert_eq!(
        words(&ana, shared),
        ["Colleague of Tom Weber", "Referred Her sister Lucía"]
    );
    assert_eq!(words(&ben, shared), ["Colleague of Tom Weber"]);
    assert!(ben.referrals().unwrap().is_empty());
    assert_eq!(ana.referrals().unwrap().len(), 1);
    assert!(
        !ben.relationships_by_contact()
            .unwrap()
            .contains_key(&secret)
    );
    assert_eq!(
        team.psql(BEN, "SELECT count(*) FROM relationships"),
        "1",
        "the server hides the row itself"
    );
    let err = ben.relate(shared, role("spouse"), secret, "").unwrap_err();
    assert!(matches!(err, StoreError::NotFound { .. }), "{err}");
    // Ben's undo of his own change writes Maria's relationships back: never the one he
    // cannot see.
    let spouse = ben.relate(friend, role("spouse"), shared, "").unwrap();
    assert_eq!(
        ben.undo_change(&spouse.change.unwrap()).unwrap(),
        Undone::Done
    );
    assert_eq!(
        words(&ana, shared),
        ["Colleague of Tom Weber", "Referred Her sister Lucía"]
    );
}

#[test]
fn erasing_a_person_takes_their_relationships_from_the_file_and_the_backups() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shop.sqlite3");
    let (mut store, [ana, tom, leo, _]) = family(Store::open(&db).unwrap());
    store
        .relate(ana, role("spouse"), tom, "Zanzibar honeymoon")
        .unwrap();
    store.relate(leo, role("referred-by"), ana, "").unwrap();
    store.relate(leo, role("colleague"), tom, "").unwrap();
    let backup = store
        .backup_now("manual", common::at("2026-11-19 08:00"))
        .unwrap();
    let (erased, _) = store.erase_contact(ana).unwrap();
    assert!(
        erased.removed.contains(&("relationships", 2)),
        "{:?}",
        erased.removed
    );
    assert_eq!(words(&store, tom), ["Colleague of Leo Lima"]);
    let in_backup = |path: &std::path::Path| -> i64 {
        rusqlite::Connection::open(path)
            .unwrap()
            .query_row(
                "SELECT count(*) FROM relationships WHERE from_id = ?1 OR to_id = ?1",
                [ana.0],
                |r| r.get(0),
            )
            .unwrap()
    };
    assert_eq!(in_backup(&backup), 2, "the older backup still holds them");
    let checks = rapport::store::erase::erase_from_backups(&db, &erased).unwrap();
    assert_eq!(checks.len(), 1);
    assert_eq!(in_backup(&backup), 0);
    let bytes = std::fs::read(&backup).unwrap();
    let phrase = b"Zanzibar honeymoon";
    assert!(
        !bytes.windows(phrase.len()).any(|w| w == phrase),
        "the note's bytes too"
    );
}

#[test]
fn everything_we_hold_lists_their_relationships() {
    let (mut store, [ana, tom, ..]) = family(Store::open_in_memory().unwrap());
    store
        .relate(ana, role("referred-by"), tom, "met at the fair")
        .unwrap();
    let held = store.everything_about(ana).unwrap();
    let json = rapport::report::everything::to_json(&held, common::at("2026-11-20 09:00"));
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    let first = &value["relationships"][0];
    assert_eq!(first["wording"], "Referred by Tom Weber");
    assert_eq!(first["other_contact_id"], tom.0);
    assert_eq!(first["note"], "met at the fair");
    let html = rapport::report::everything::to_html(&held, common::at("2026-11-20 09:00"));
    assert!(html.contains("<h2>Relationships</h2>"), "{html}");
    assert!(html.contains("Referred by Tom Weber"));
}

/// `contact add` and the id it printed.
fn add(db: &std::path::Path, name: &str) -> String {
    let said = stdout(&rapport(db, &["contact", "add", "--name", name]));
    said.split_whitespace().nth(2).unwrap().to_owned()
}

fn fails_with(output: &std::process::Output, sentence: &str) {
    assert!(!output.status.success(), "should fail");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains(sentence), "{stderr}");
}

#[test]
fn the_command_line_relates_unrelates_and_lists_in_both_directions_words() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shop.sqlite3");
    let ana = add(&db, "Ana Lima");
    let tom = add(&db, "Tom Weber");
    let leo = add(&db, "Leo Lima");
    assert_eq!(
        stdout(&rapport(&db, &["relate", &ana, "spouse", &tom])),
        "Recorded: Ana Lima is married to Tom Weber.\n"
    );
    assert_eq!(
        stdout(&rapport(&db, &["relate", &tom, "married-to", &ana])),
        "Already recorded: Tom Weber is married to Ana Lima. Nothing was changed.\n"
    );
    assert_eq!(
        stdout(&rapport(
            &db,
            &["relate", &leo, "referred-by", &tom, "--note", "at the fair"]
        )),
        "Recorded: Tom Weber referred Leo Lima.\n"
    );
    let listed = stdout(&rapport(&db, &["relations", &tom]));
    assert!(listed.contains("Married to Ana Lima"), "{listed}");
    assert!(listed.contains("Referred Leo Lima"), "{listed}");
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&rapport(&db, &["relations", &leo, "--json"]))).unwrap();
    assert_eq!(json[0]["kind"], "referred");
    assert_eq!(json[0]["role"], "referred-by");
    assert_eq!(json[0]["other_id"].to_string(), tom);
    assert_eq!(json[0]["other_name"], "Tom Weber");
    assert_eq!(json[0]["wording"], "Referred by Tom Weber");
    assert_eq!(json[0]["note"], "at the fair");
    fails_with(
        &rapport(&db, &["relate", &ana, "spouse", &ana]),
        "A contact cannot be related to themselves",
    );
    fails_with(
        &rapport(&db, &["relate", &ana, "cousin", &tom]),
        "\"cousin\" is not a kind of relationship. Use one of: spouse, partner, parent-of, child-of",
    );
    fails_with(
        &rapport(&db, &["relate", &ana, "spouse", "999"]),
        "No contact with id 999",
    );
    let referrals: serde_json::Value =
        serde_json::from_str(&stdout(&rapport(&db, &["referrals", "--json"]))).unwrap();
    assert_eq!(referrals[0]["name"], "Tom Weber");
    assert_eq!(referrals[0]["referred_count"], 1);
    assert_eq!(referrals[0]["referred"][0]["name"], "Leo Lima");
    assert_eq!(
        stdout(&rapport(&db, &["unrelate", &tom, "referred", &leo])),
        "Removed: Tom Weber referred Leo Lima.\n"
    );
    fails_with(
        &rapport(&db, &["unrelate", &tom, "referred", &leo]),
        "It is not recorded that Tom Weber referred Leo Lima; nothing was changed.",
    );
    assert!(stdout(&rapport(&db, &["referrals"])).contains("Nobody's referrals are recorded yet"));
}

#[test]
fn contacts_json_carries_relationships_and_whether_there_is_a_photo() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shop.sqlite3");
    let (ana, tom) = {
        let (mut store, [ana, tom, ..]) = family(Store::open(&db).unwrap());
        store.relate(ana, role("child-of"), tom, "").unwrap();
        let image = image::RgbImage::from_pixel(32, 32, image::Rgb([200, 80, 40]));
        let mut png = std::io::Cursor::new(Vec::new());
        image.write_to(&mut png, image::ImageFormat::Png).unwrap();
        store.set_photo(tom, png.get_ref()).unwrap();
        (ana, tom)
    };
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&rapport(&db, &["contacts", "--json"]))).unwrap();
    let of = |id: ContactId| {
        json.as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == id.0)
            .unwrap()
            .clone()
    };
    let (ana_json, tom_json) = (of(ana), of(tom));
    assert_eq!(ana_json["photo"], false);
    assert_eq!(tom_json["photo"], true);
    assert_eq!(
        ana_json["relationships"][0]["wording"],
        "Child of Tom Weber"
    );
    assert_eq!(ana_json["relationships"][0]["kind"], "parent");
    assert_eq!(ana_json["relationships"][0]["other_id"], tom.0);
    assert_eq!(
        tom_json["relationships"][0]["wording"],
        "Parent of Ana Lima"
    );
    assert_eq!(tom_json["relationships"][0]["other_name"], "Ana Lima");
    let leo = json
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "Leo Lima")
        .unwrap();
    assert_eq!(leo["relationships"], serde_json::json!([]));
}

mod window {
    use super::*;
    use crate::common::{Window, app_in, selecting};
    use egui::accesskit::Role as A11y;
    use egui_kittest::kittest::Queryable as _;

    fn status(h: &egui_kittest::Harness<'_, rapport::app::RapportApp>) -> String {
        h.state().view.status.clone().unwrap_or_default().text
    }

    #[test]
    fn add_married_to_by_typing_see_it_on_both_click_through_and_undo() {
        let (store, [ana, tom, ..]) = family(Store::open_in_memory().unwrap());
        let mut h = app_in(store, Window::of(1280.0, 800.0), selecting(Some(ana.0)));
        h.run();
        let before = dump(h.state().store().unwrap());
        h.get_by_label("Add relationship…").click();
        h.run();
        h.get_by_label("Married to").click();
        h.run();
        let who = h.get_by_role_and_label(A11y::TextInput, "Who");
        assert!(who.is_focused(), "the name box has the keyboard");
        who.type_text("Tom");
        h.run();
        assert!(
            h.query_by_label("Ana Lima is married to Tom Weber.")
                .is_some(),
            "the sentence says what Enter records"
        );
        h.key_press(egui::Key::Enter);
        h.run();
        assert_eq!(
            status(&h),
            "Recorded: Ana Lima is married to Tom Weber. It shows on both of them."
        );
        assert!(h.state().view.relationships.dialog.is_none(), "closed");
        assert!(h.query_by_label("Married to").is_some());
        assert!(
            h.query_by_label("Married to Tom Weber").is_some(),
            "before you talk"
        );
        h.get_by_role_and_label(A11y::Link, "Tom Weber").click();
        h.run();
        let selected = h.state().view.selected.as_ref().unwrap().contact.id;
        assert_eq!(selected, tom, "the name opened Tom");
        assert!(h.query_by_role_and_label(A11y::Link, "Ana Lima").is_some());
        assert!(
            h.query_by_label("Married to Ana Lima").is_some(),
            "on Tom too"
        );
        h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
        h.run();
        assert_eq!(status(&h), "Undone: add 'Married to Tom Weber'.");
        assert_eq!(h.state().view.selected.as_ref().unwrap().contact.id, ana);
        assert!(h.query_by_role_and_label(A11y::Link, "Tom Weber").is_none());
        assert_eq!(
            dump(h.state().store().unwrap()),
            before,
            "exactly as before"
        );
    }

    #[test]
    fn arrows_choose_among_the_names_found_and_a_right_click_removes() {
        let (mut store, [ana, _, leo, _]) = family(Store::open_in_memory().unwrap());
        person(&mut store, "Lena Lima", Stage::Prospect);
        let mut h = app_in(store, Window::of(1280.0, 800.0), selecting(Some(ana.0)));
        h.run();
        h.get_by_label("Add relationship…").click();
        h.run();
        // Nothing chosen yet: Enter says what is missing and records nothing.
        h.get_by_role_and_label(A11y::TextInput, "Who")
            .type_text("Lima");
        h.run();
        h.key_press(egui::Key::Enter);
        h.run();
        assert!(
            h.query_by_label("⚠ Choose what Ana Lima is to the other person.")
                .is_some(),
            "the dialog says so"
        );
        h.get_by_label("Parent of").click();
        h.run();
        h.get_by_role_and_label(A11y::TextInput, "Who").focus();
        h.run();
        // Lena Lima, then Leo Lima (Ana herself is never offered): ↓ takes Leo.
        h.key_press(egui::Key::ArrowDown);
        h.run();
        assert!(h.query_by_label("Ana Lima is Leo Lima's parent.").is_some());
        h.key_press(egui::Key::Enter);
        h.run();
        assert_eq!(
            words(h.state().store().unwrap(), leo),
            ["Child of Ana Lima"]
        );
        h.get_by_role_and_label(A11y::Link, "Leo Lima")
            .click_secondary();
        h.run();
        h.get_by_label("Remove \"Parent of Leo Lima\"").click();
        h.run();
        assert_eq!(
            status(&h),
            "Removed: Ana Lima is Leo Lima's parent. Undo with Ctrl+Z."
        );
        assert!(words(h.state().store().unwrap(), leo).is_empty());
    }

    #[test]
    fn a_page_with_many_relationships_shows_a_few_and_filters_by_name() {
        let mut store = Store::open_in_memory().unwrap();
        let tom = person(&mut store, "Tom Weber", Stage::Customer);
        let names = [
            "Ana Lima",
            "Ben Brook",
            "Cleo Costa",
            "Dan Dunn",
            "Eve Ernst",
            "Fay Fox",
            "Gus Gray",
            "Hal Hill",
            "Ivy Iker",
        ];
        for name in names {
            let id = person(&mut store, name, Stage::Prospect);
            store.relate(tom, role("referred"), id, "").unwrap();
        }
        let mut h = app_in(store, Window::of(1280.0, 800.0), selecting(Some(tom.0)));
        h.run();
        let links = |h: &egui_kittest::Harness<'_, rapport::app::RapportApp>| {
            names
                .iter()
                .filter(|n| h.query_by_role_and_label(A11y::Link, n).is_some())
                .copied()
                .collect::<Vec<_>>()
        };
        assert_eq!(links(&h), names[..5], "the first five by name");
        h.get_by_label("+ 4 more").click();
        h.run();
        assert_eq!(links(&h), names, "then everyone");
        let filter = h.get_by_role_and_label(A11y::TextInput, "Filter relationships");
        filter.focus();
        h.run();
        h.get_by_role_and_label(A11y::TextInput, "Filter relationships")
            .type_text("fox");
        h.run();
        assert_eq!(links(&h), ["Fay Fox"]);
        assert_eq!(h.query_all_by_label("Referred").count(), 1, "one of them");
    }

    #[test]
    fn who_referred_whom_counts_sorts_filters_and_opens_people() {
        let (mut store, [ana, tom, leo, mia]) = family(Store::open_in_memory().unwrap());
        let cleo = person(&mut store, "Cleo Costa", Stage::Prospect);
        person(&mut store, "Zoe Quiet", Stage::Prospect);
        store.relate(tom, role("referred"), ana, "").unwrap();
        store.relate(tom, role("referred"), leo, "").unwrap();
        store.relate(tom, role("referred"), mia, "").unwrap();
        store.relate(tom, role("referred"), cleo, "").unwrap();
        store.relate(leo, role("referred-by"), ana, "").unwrap();
        let mut h = app_in(store, Window::of(1280.0, 800.0), selecting(Some(tom.0)));
        h.run();
        assert_eq!(
            h.query_all_by_label("Referred 4 people (2 are customers)")
                .count(),
            2,
            "Tom's page and his briefing count them"
        );
        // Zoe has no relationships: the window's names are the only ones on screen.
        h.get_by_label("Zoe Quiet").click();
        h.run();
        h.get_by_label("View").click();
        h.run();
        h.get_by_label("Who referred whom…").click();
        h.run();
        assert!(
            h.query_by_label("2 people referred 5 contacts; 2 of them are customers.")
                .is_some()
        );
        let order = |h: &egui_kittest::Harness<'_, rapport::app::RapportApp>| {
            let window = h.state().view.relationships.referrals.as_ref().unwrap();
            window
                .shown
                .iter()
                .map(|&i| window.referrers[i].name.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(order(&h), ["Tom Weber", "Ana Lima"], "most referrals first");
        h.get_by_label("Who referred").click();
        h.run();
        assert_eq!(order(&h), ["Ana Lima", "Tom Weber"], "by name");
        h.get_by_role_and_label(A11y::TextInput, "Find a name")
            .focus();
        h.run();
        h.get_by_role_and_label(A11y::TextInput, "Find a name")
            .type_text("cleo");
        h.run();
        assert_eq!(order(&h), ["Tom Weber"]);
        assert!(
            h.query_by_label("1 person referred 4 contacts; 2 of them are customers.")
                .is_some()
        );
        h.get_by_label("+ 1 more").click();
        h.run();
        assert!(h.query_by_label("Tom Weber referred:").is_some());
        h.get_by_role_and_label(A11y::Link, "Mia Kurz").click();
        h.run();
        assert_eq!(h.state().view.selected.as_ref().unwrap().contact.id, mia);
        assert!(
            h.state().view.relationships.referrals.is_some(),
            "the window stays"
        );
    }
}
