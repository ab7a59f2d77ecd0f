//! Bulk changes (issue: a clean, connected contact base, part 3): a tag added to or removed
//! from many contacts, their stage or cadence set, or all of them moved to the trash, as one
//! undoable step that undoes exactly, on both engines; progress and Cancel; exporting the
//! chosen; the dry run; the command line (`tag add`, `tag remove`, `stage set`, `cadence set`,
//! `trash`, `export-contacts --ids/--search`); a team's privacy and versions. The window's
//! large changes on their own thread are in `bulk_window_tests.rs`.

use crate::common::{self, each_engine};
use rapport::model::{ContactDraft, ContactFilter, ContactId, Stage};
use rapport::store::undo::Undone;
use rapport::store::{BulkEdit, Store};

/// Every row (as `undo_tests` compares them), without relationship health, a team database's
/// change log, the versions, and the one- to three-letter counts by their sums.
pub(crate) fn dump(store: &Store) -> Vec<String> {
    dump_leaving_out(store, &["contact_health:", "changes:"])
}

/// The same, leaving out every row of the tables `left_out` names (`"settings:"`).
pub(crate) fn dump_leaving_out(store: &Store, left_out: &[&str]) -> Vec<String> {
    let delta =
        regex::Regex::new(r"^prefix_counts: prefix=(.*) delta=Integer\((-?\d+)\)$").unwrap();
    let mut sums = std::collections::BTreeMap::<String, i64>::new();
    let mut lines: Vec<String> = store
        .dump_for_tests()
        .unwrap()
        .into_iter()
        .filter(|line| !left_out.iter().any(|t| line.starts_with(t)))
        .filter(|line| match delta.captures(line) {
            Some(c) => {
                *sums.entry(c[1].to_owned()).or_default() += c[2].parse::<i64>().unwrap();
                false
            }
            None => true,
        })
        .collect();
    lines = common::without_versions(lines);
    lines.extend(
        sums.into_iter()
            .filter(|(_, sum)| *sum != 0)
            .map(|(prefix, sum)| format!("prefix_counts: prefix={prefix} sum={sum}")),
    );
    lines.sort();
    lines
}

fn person(given: &str, family: &str, tags: &[&str]) -> ContactDraft {
    ContactDraft {
        given_name: given.to_owned(),
        family_name: family.to_owned(),
        organization: "Corner Bakery".to_owned(),
        tags: tags.iter().map(|t| (*t).to_owned()).collect(),
        ..ContactDraft::default()
    }
}

/// Ana (already VIP), Ben, Cleo at the Corner Bakery, and Dan elsewhere.
pub(crate) fn four(store: &mut Store) -> [ContactId; 4] {
    let ana = store
        .create_contact(&person("Ana", "Alves", &["VIP"]))
        .unwrap();
    let ben = store.create_contact(&person("Ben", "Brook", &[])).unwrap();
    let cleo = store
        .create_contact(&person("Cleo", "Costa", &["supplier"]))
        .unwrap();
    let mut dan = person("Dan", "Dunn", &[]);
    dan.organization = "Harbour Fish".to_owned();
    let dan = store.create_contact(&dan).unwrap();
    [ana, ben, cleo, dan]
}

pub(crate) fn tags_of(store: &Store, id: ContactId) -> Vec<String> {
    store.contact(id).unwrap().draft.tags
}

fn found(store: &Store, search: &str) -> Vec<ContactId> {
    store
        .contact_ids_matching(search, &ContactFilter::default())
        .unwrap()
}

#[test]
fn adding_a_tag_to_many_is_one_step_and_undo_keeps_who_had_it() {
    each_engine(|mut store| {
        let [ana, ben, cleo, dan] = four(&mut store);
        let before = dump(&store);
        let ids = found(&store, "bakery");
        assert_eq!(ids, vec![ana, ben, cleo]);
        let version = |store: &Store, id| store.contact(id).unwrap().version;
        let (ana_was, ben_was) = (version(&store, ana), version(&store, ben));
        let done = store.add_tag_to(&ids, "VIP").unwrap();
        assert_eq!(done.changed, vec![ben, cleo], "Ana had it already");
        assert_eq!(version(&store, ben), ben_was + 1, "a teammate's form knows");
        assert_eq!(version(&store, ana), ana_was, "untouched");
        for id in [ana, ben, cleo] {
            assert!(tags_of(&store, id).contains(&"VIP".to_owned()));
        }
        assert!(tags_of(&store, dan).is_empty());
        assert_eq!(
            found(&store, "vip"),
            vec![ana, ben, cleo],
            "tags are searched"
        );
        assert_eq!(store.undo_change(&done.change).unwrap(), Undone::Done);
        assert_eq!(dump(&store), before, "exactly as before");
        assert_eq!(tags_of(&store, ana), vec!["VIP".to_owned()], "Ana keeps it");
        assert_eq!(found(&store, "vip"), vec![ana]);
    });
}

#[test]
fn a_new_tag_goes_again_with_the_undo() {
    each_engine(|mut store| {
        let [ana, ben, _, dan] = four(&mut store);
        let before = dump(&store);
        let done = store.add_tag_to(&[ben, dan, ben], "Wholesale").unwrap();
        assert_eq!(done.changed, vec![ben, dan], "each once");
        assert!(store.tags().unwrap().iter().any(|t| t.name == "Wholesale"));
        assert!(tags_of(&store, ana).len() == 1);
        store.undo_change(&done.change).unwrap();
        assert_eq!(dump(&store), before);
        assert!(!store.tags().unwrap().iter().any(|t| t.name == "Wholesale"));
    });
}

#[test]
fn removing_a_tag_and_setting_a_stage_undo_exactly() {
    each_engine(|mut store| {
        let [ana, ben, cleo, dan] = four(&mut store);
        store.add_tag_to(&[ben, dan], "VIP").unwrap();
        let before = dump(&store);
        let removed = store.remove_tag_from(&[ana, ben, cleo], "vip").unwrap();
        assert_eq!(removed.changed, vec![ana, ben], "Cleo never had it");
        assert_eq!(found(&store, "vip"), vec![dan]);
        assert!(
            store.tags().unwrap().iter().any(|t| t.name == "VIP"),
            "the tag stays"
        );
        store.undo_change(&removed.change).unwrap();
        assert_eq!(dump(&store), before);

        let staged = store
            .set_stage_of(&[ana, ben, dan], Stage::Customer)
            .unwrap();
        assert_eq!(staged.changed.len(), 3);
        for id in [ana, ben, dan] {
            assert_eq!(store.contact(id).unwrap().draft.stage, Stage::Customer);
        }
        let again = store.set_stage_of(&[ana, cleo], Stage::Customer).unwrap();
        assert_eq!(again.changed, vec![cleo], "only who was not a customer yet");
        store.undo_change(&again.change).unwrap();
        store.undo_change(&staged.change).unwrap();
        assert_eq!(dump(&store), before, "stage changes gone too");
    });
}

#[test]
fn the_dry_run_names_who_would_change_and_changes_nothing() {
    each_engine(|mut store| {
        let [ana, ben, cleo, _] = four(&mut store);
        let before = dump(&store);
        let would = store
            .bulk_preview(&[ana, ben, cleo], &BulkEdit::AddTag("VIP".to_owned()))
            .unwrap();
        assert_eq!(
            would,
            vec![
                (ben, "Ben Brook".to_owned()),
                (cleo, "Cleo Costa".to_owned())
            ]
        );
        let stage = store
            .bulk_preview(&[ana], &BulkEdit::SetStage(Stage::Prospect))
            .unwrap();
        assert!(stage.is_empty(), "already a prospect");
        assert_eq!(dump(&store), before);
        assert!(store.add_tag_to(&[ana], " ").is_err(), "a tag needs a name");
    });
}

#[test]
fn trashed_contacts_are_left_alone() {
    let mut store = Store::open_in_memory().unwrap();
    let [ana, ben, _, _] = four(&mut store);
    store.trash_contact(ben).unwrap();
    let done = store.add_tag_to(&[ana, ben], "Friends").unwrap();
    assert_eq!(done.changed, vec![ana]);
    assert!(tags_of(&store, ben).is_empty());
}

#[test]
fn the_command_line_tags_and_stages_after_a_dry_run() {
    use crate::common::{rapport, stdout};
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shop.sqlite3");
    let [ana, ben, cleo, dan] = {
        let mut store = Store::open(&db).unwrap();
        four(&mut store)
    };
    let dry = stdout(&rapport(
        &db,
        &["tag", "add", "VIP", "--search", "bakery", "--dry-run"],
    ));
    assert_eq!(
        dry,
        format!(
            "{ben} Ben Brook\n{cleo} Cleo Costa\n2 contacts would change; nothing was changed (dry run).\n"
        )
    );
    assert!(tags_of(&Store::open(&db).unwrap(), ben).is_empty());
    let done = stdout(&rapport(&db, &["tag", "add", "VIP", "--search", "bakery"]));
    assert!(done.starts_with("A backup was taken first: "), "{done}");
    assert!(done.ends_with("Added VIP to 2 contacts.\n"), "{done}");
    let ids = format!("{ana},{dan}");
    let removed = stdout(&rapport(&db, &["tag", "remove", "vip", "--ids", &ids]));
    assert!(
        removed.ends_with("Removed vip from 1 contact.\n"),
        "{removed}"
    );
    let staged = stdout(&rapport(&db, &["stage", "set", "customer", "--ids", &ids]));
    assert!(
        staged.ends_with("Set the stage of 2 contacts to customer.\n"),
        "{staged}"
    );
    let nothing = stdout(&rapport(&db, &["stage", "set", "customer", "--ids", &ids]));
    assert!(nothing.contains("Nothing needed changing."), "{nothing}");
    let store = Store::open(&db).unwrap();
    assert!(tags_of(&store, ana).is_empty());
    assert_eq!(tags_of(&store, ben), vec!["VIP".to_owned()]);
    assert_eq!(store.contact(dan).unwrap().draft.stage, Stage::Customer);
    drop(store);
    let wrong = rapport(&db, &["stage", "set", "royalty", "--ids", &ids]);
    assert!(!wrong.status.success());
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("royalty"));
    let neither = rapport(&db, &["tag", "add", "VIP"]);
    assert!(!neither.status.success(), "--search or --ids is required");
    let both = rapport(&db, &["tag", "add", "VIP", "--ids", "1", "--search", "x"]);
    assert!(!both.status.success(), "not both");
    let missing = rapport(&db, &["tag", "add", "VIP", "--ids", "999"]);
    assert!(!missing.status.success(), "an id that is not there");
    assert!(
        stdout(&rapport(&db, &["tag-color", "VIP", "#2a9d8f"])).contains("VIP"),
        "tag-color still works"
    );
}

#[test]
fn ctrl_click_three_tag_them_in_the_bar_and_undo_in_the_window() {
    use crate::common::{Window, app_in, selecting};
    use egui::accesskit::Role;
    use egui_kittest::kittest::Queryable as _;
    let mut store = Store::open_in_memory().unwrap();
    let [ana, ben, cleo, dan] = four(&mut store);
    let mut h = app_in(store, Window::of(1280.0, 800.0), selecting(None));
    h.run();
    let before = dump(h.state().store().unwrap());
    for name in ["Ben Brook", "Cleo Costa", "Dan Dunn"] {
        h.get_by_label(name)
            .click_modifiers(egui::Modifiers::COMMAND);
        h.run();
    }
    assert!(h.query_by_label("3 selected").is_some(), "the bar shows");
    h.get_by_label("Change ⏷").click();
    h.run();
    h.get_by_label("Add tag…").click();
    h.run();
    h.get_by_role_and_label(Role::TextInput, "New or existing tag")
        .focus();
    h.run();
    h.get_by_role_and_label(Role::TextInput, "New or existing tag")
        .type_text("VIP");
    h.run();
    h.get_by_label("Add").click();
    h.run();
    let said = h.state().view.status.clone().unwrap();
    assert_eq!(said.text, "Added VIP to 3 contacts.");
    assert!(said.undo.is_some(), "with its Undo button");
    {
        let store = h.state().store().unwrap();
        for id in [ana, ben, cleo, dan] {
            assert!(tags_of(store, id).contains(&"VIP".to_owned()), "{id}");
        }
    }
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run();
    let said = h.state().view.status.clone().unwrap();
    assert_eq!(said.text, "Undone: add VIP to 3 contacts.");
    let store = h.state().store().unwrap();
    assert_eq!(dump(store), before, "as before, one step");
    assert_eq!(tags_of(store, ana), vec!["VIP".to_owned()]);
    assert!(tags_of(store, dan).is_empty());
}

#[test]
fn ctrl_a_in_the_list_chooses_every_match_and_the_stage_menu_sets_them() {
    use crate::common::{Window, app_in, selecting};
    use egui_kittest::kittest::Queryable as _;
    let mut store = Store::open_in_memory().unwrap();
    let [ana, ben, cleo, dan] = four(&mut store);
    let mut h = app_in(store, Window::of(1280.0, 800.0), selecting(None));
    h.run();
    h.get_by_label("Ana Alves").click();
    h.run();
    h.get_by_label("Cleo Costa")
        .click_modifiers(egui::Modifiers::SHIFT);
    h.run();
    assert!(
        h.query_by_label("3 selected").is_some(),
        "Shift-click: Ana to Cleo"
    );
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run();
    assert!(h.query_by_label("4 selected").is_some(), "Ctrl+A: all four");
    h.get_by_label("Change ⏷").click();
    h.run();
    h.get_by_label("Stage…").click();
    h.run();
    h.get_by_label("💼 Customer").click();
    h.run();
    assert_eq!(
        h.state().view.status.clone().unwrap().text,
        "Set the stage of 4 contacts to customer."
    );
    let store = h.state().store().unwrap();
    for id in [ana, ben, cleo, dan] {
        assert_eq!(store.contact(id).unwrap().draft.stage, Stage::Customer);
    }
}

fn cadence_of(store: &Store, id: ContactId) -> Option<i64> {
    store.contact(id).unwrap().draft.cadence_days
}

#[test]
fn setting_and_clearing_a_cadence_for_many_undo_exactly() {
    each_engine(|mut store| {
        let [ana, ben, cleo, dan] = four(&mut store);
        let before = dump(&store);
        let version = |store: &Store, id| store.contact(id).unwrap().version;
        let ben_was = version(&store, ben);
        let set = store.set_cadence_of(&[ana, ben, cleo], Some(30)).unwrap();
        assert_eq!(set.changed, vec![ana, ben, cleo]);
        assert_eq!(version(&store, ben), ben_was + 1, "a teammate's form knows");
        for id in [ana, ben, cleo] {
            assert_eq!(cadence_of(&store, id), Some(30));
        }
        assert_eq!(cadence_of(&store, dan), None);
        let again = store.set_cadence_of(&[ana, dan], Some(30)).unwrap();
        assert_eq!(
            again.changed,
            vec![dan],
            "Ana keeps in touch every 30 days already"
        );
        let after_set = dump(&store);
        let cleared = store.set_cadence_of(&[ben, cleo, dan, ana], None).unwrap();
        assert_eq!(cleared.changed, vec![ben, cleo, dan, ana]);
        assert!(
            [ana, ben, cleo, dan]
                .iter()
                .all(|&id| cadence_of(&store, id).is_none())
        );
        store.undo_change(&cleared.change).unwrap();
        assert_eq!(dump(&store), after_set, "the cadences are back");
        store.undo_change(&again.change).unwrap();
        store.undo_change(&set.change).unwrap();
        assert_eq!(dump(&store), before, "exactly as before");
        let err = store.set_cadence_of(&[ana], Some(0)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "The keep-in-touch cadence must be at least one day."
        );
        assert_eq!(dump(&store), before, "refused: nothing changed");
        assert_eq!(
            BulkEdit::SetCadence(Some(30)).done_sentence(3),
            "Set 3 contacts to keep in touch every 30 days."
        );
        assert_eq!(
            BulkEdit::SetCadence(Some(1)).done_sentence(1),
            "Set 1 contact to keep in touch every day."
        );
    });
}

/// Ben has a conversation and a promise: they stay with him in the trash and come back.
fn with_a_conversation(store: &mut Store, ben: ContactId) {
    let talk = store
        .log_interaction(&rapport::model::InteractionDraft {
            summary: "Oven quote".into(),
            ..rapport::model::InteractionDraft::new(common::at("2026-11-02 10:00"), ben)
        })
        .unwrap();
    store
        .add_follow_up(&rapport::model::FollowUpDraft {
            contact_id: ben,
            organization_id: None,
            interaction_id: Some(talk),
            text: "Send the price list".into(),
            notes: String::new(),
            due_date: chrono::NaiveDate::from_ymd_opt(2026, 11, 9).unwrap(),
            due_time: None,
            promised_by: rapport::model::Initiator::Me,
            repeat: None,
        })
        .unwrap();
}

#[test]
fn many_moved_to_the_trash_come_back_with_one_undo() {
    each_engine(|mut store| {
        let [ana, ben, cleo, dan] = four(&mut store);
        with_a_conversation(&mut store, ben);
        let before = dump(&store);
        let ids = found(&store, "bakery");
        let would = store.bulk_preview(&ids, &BulkEdit::Trash).unwrap();
        assert_eq!(would.len(), 3, "the dry run");
        assert_eq!(dump(&store), before, "changes nothing");
        let done = store.trash_contacts(&ids).unwrap();
        assert_eq!(done.changed, vec![ana, ben, cleo]);
        assert!(
            found(&store, "bakery").is_empty(),
            "out of the list and search"
        );
        let trashed: Vec<ContactId> = store
            .trashed_contacts()
            .unwrap()
            .iter()
            .map(|t| t.id)
            .collect();
        assert_eq!(trashed.len(), 3);
        assert!(!trashed.contains(&dan));
        let again = store.trash_contacts(&[ana, dan]).unwrap();
        assert_eq!(again.changed, vec![dan], "Ana is in the trash already");
        store.undo_change(&again.change).unwrap();
        assert_eq!(store.undo_change(&done.change).unwrap(), Undone::Done);
        assert_eq!(dump(&store), before, "all three back, exactly");
        assert_eq!(found(&store, "bakery"), vec![ana, ben, cleo]);
        assert_eq!(store.count_interactions(ben).unwrap(), 1);
    });
}

/// File ▸ Trash still restores one of them; while that stands the bulk step does not undo
/// over it, and once the restore is undone (as the window's history does first) it does.
#[test]
fn the_trash_restores_one_of_many_and_the_history_stays_true() {
    use rapport::store::undo::Part;
    each_engine(|mut store| {
        let [ana, ben, cleo, _] = four(&mut store);
        let before = dump(&store);
        let done = store.trash_contacts(&[ana, ben, cleo]).unwrap();
        let restoring = store.snapshot(&[Part::Contact(ben)]).unwrap();
        store.restore_contact(ben).unwrap();
        let restored = store.change_since(restoring, &[]).unwrap();
        assert_eq!(found(&store, "bakery"), vec![ben]);
        assert!(matches!(
            store.undo_change(&done.change).unwrap(),
            Undone::ChangedSince(_)
        ));
        assert_eq!(found(&store, "bakery"), vec![ben], "nothing undone over it");
        store.undo_change(&restored).unwrap();
        assert_eq!(store.undo_change(&done.change).unwrap(), Undone::Done);
        assert_eq!(dump(&store), before);
    });
}

#[test]
fn a_large_change_tells_its_progress_and_cancel_changes_nothing() {
    use rapport::store::BULK_CHUNK as CHUNK;
    each_engine(|mut store| {
        rapport::demo::fill(
            &mut store,
            2 * CHUNK + 100,
            0,
            common::at("2026-11-20 09:00"),
            |_, _| {},
        )
        .unwrap();
        let ids = found(&store, "");
        let total = ids.len();
        let before = dump(&store);
        let edit = BulkEdit::AddTag("Chosenfew".to_owned());
        let mut told = Vec::new();
        let err = store
            .bulk_edit_with_progress(&ids, &edit, &mut |done, of| {
                told.push((done, of));
                told.len() < 2
            })
            .unwrap_err();
        assert!(
            matches!(err, rapport::store::StoreError::Cancelled),
            "{err}"
        );
        assert_eq!(told, vec![(0, total), (CHUNK, total)]);
        assert_eq!(dump(&store), before, "the transaction rolled back");
        told.clear();
        let done = store
            .bulk_edit_with_progress(&ids, &edit, &mut |done, of| {
                told.push((done, of));
                true
            })
            .unwrap();
        assert_eq!(
            told,
            vec![
                (0, total),
                (CHUNK, total),
                (2 * CHUNK, total),
                (total, total)
            ]
        );
        assert_eq!(done.changed.len(), total);
        assert_eq!(found(&store, "chosenfew").len(), total);
        store.undo_change(&done.change).unwrap();
        assert_eq!(
            dump(&store),
            before,
            "recorded a chunk at a time, undone as one"
        );
    });
}

#[test]
fn the_chosen_contacts_export_alone_in_name_order() {
    use rapport::model::ReportScope;
    each_engine(|mut store| {
        let [ana, ben, cleo, dan] = four(&mut store);
        store.trash_contact(cleo).unwrap();
        let names = |store: &Store, ids: Vec<ContactId>| -> Vec<String> {
            store
                .exported_contacts(&ReportScope::Contacts(ids))
                .unwrap()
                .into_iter()
                .map(|c| c.draft.display_name)
                .collect()
        };
        assert_eq!(
            names(&store, vec![dan, cleo, ben]),
            vec!["Ben Brook".to_owned(), "Dan Dunn".to_owned()],
            "in name order, not the one in the trash"
        );
        let vip = store
            .exported_contacts(&ReportScope::Contacts(vec![ana]))
            .unwrap();
        assert_eq!(vip[0].draft.tags, vec!["VIP".to_owned()], "every field");
        assert!(names(&store, Vec::new()).is_empty());
    });
}

#[test]
fn the_command_line_sets_cadences_trashes_and_exports_the_chosen() {
    use crate::common::{rapport, stdout};
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shop.sqlite3");
    let [ana, ben, cleo, dan] = {
        let mut store = Store::open(&db).unwrap();
        four(&mut store)
    };
    let ids = format!("{ben},{dan}");
    let dry = stdout(&rapport(
        &db,
        &["cadence", "set", "14", "--ids", &ids, "--dry-run"],
    ));
    assert_eq!(
        dry,
        format!(
            "{ben} Ben Brook\n{dan} Dan Dunn\n2 contacts would change; nothing was changed (dry run).\n"
        )
    );
    assert_eq!(cadence_of(&Store::open(&db).unwrap(), ben), None);
    let set = stdout(&rapport(&db, &["cadence", "set", "14", "--ids", &ids]));
    assert!(set.starts_with("A backup was taken first: "), "{set}");
    assert!(
        set.ends_with("Set 2 contacts to keep in touch every 14 days.\n"),
        "{set}"
    );
    let cleared = stdout(&rapport(&db, &["cadence", "set", "none", "--ids", &ids]));
    assert!(
        cleared.ends_with("Cleared the cadence of 2 contacts.\n"),
        "{cleared}"
    );
    for wrong in ["0", "soon", "3.5"] {
        let out = rapport(&db, &["cadence", "set", wrong, "--ids", &ids]);
        assert!(!out.status.success(), "{wrong}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("is not a number of days"),
            "{wrong}"
        );
    }

    let out = dir.path().join("bakery.vcf");
    let out_text = out.to_str().unwrap();
    let exported = stdout(&rapport(
        &db,
        &["export-contacts", "--search", "bakery", "-o", out_text],
    ));
    assert!(exported.contains("3 contacts"), "{exported}");
    let cards = std::fs::read_to_string(&out).unwrap();
    assert_eq!(cards.matches("BEGIN:VCARD").count(), 3);
    assert!(!cards.contains("Dan Dunn"));
    let one = stdout(&rapport(
        &db,
        &["export-contacts", "--ids", &dan.to_string(), "-o", out_text],
    ));
    assert!(one.contains("1 contact"), "{one}");
    let nobody = rapport(
        &db,
        &["export-contacts", "--search", "zebra", "-o", out_text],
    );
    assert!(!nobody.status.success());
    assert!(String::from_utf8_lossy(&nobody.stderr).contains("Nobody matches \"zebra\""));
    let both = rapport(
        &db,
        &[
            "export-contacts",
            "--search",
            "x",
            "--tag",
            "VIP",
            "-o",
            out_text,
        ],
    );
    assert!(!both.status.success(), "a search or a tag, not both");

    let dry = stdout(&rapport(&db, &["trash", "--search", "bakery", "--dry-run"]));
    assert!(
        dry.ends_with("3 contacts would change; nothing was changed (dry run).\n"),
        "{dry}"
    );
    assert_eq!(
        Store::open(&db).unwrap().trashed_contacts().unwrap().len(),
        0
    );
    let trashed = stdout(&rapport(&db, &["trash", "--search", "bakery"]));
    assert!(
        trashed.ends_with("Moved 3 contacts to the trash.\n"),
        "{trashed}"
    );
    let again = stdout(&rapport(&db, &["trash", "--ids", &format!("{ana},{cleo}")]));
    assert!(again.contains("Nothing needed changing."), "{again}");
    let store = Store::open(&db).unwrap();
    assert_eq!(store.trashed_contacts().unwrap().len(), 3);
    assert!(found(&store, "").contains(&dan));
    let neither = rapport(&db, &["trash"]);
    assert!(!neither.status.success(), "--search or --ids is required");
}

/// On a team database a bulk change reaches what its author may see and change: a teammate's
/// private contact is left alone, a read-only member changes nothing, every change raises
/// the version (a teammate's open form merges instead of writing over it), and an undo does
/// not write over a teammate's save since.
#[test]
fn on_a_team_database_cadence_and_trash_keep_privacy_and_versions() {
    use crate::team_tests::{ANA, BEN, RITA, Team};
    use rapport::store::{Saved, StoreError};
    let Some(team) = Team::new() else { return };
    let mut ana = team.open(ANA);
    let mut ben = team.open(BEN);
    let maria = ana
        .create_contact(&ContactDraft::named("Maria García"))
        .unwrap();
    let sam = ana
        .create_contact(&ContactDraft::named("Sam Stone"))
        .unwrap();
    let bo = ben
        .create_contact(&ContactDraft {
            private: true,
            ..ContactDraft::named("Bo Private")
        })
        .unwrap();
    let bens_form = ben.contact(maria).unwrap();

    let set = ana.set_cadence_of(&[maria, sam, bo], Some(14)).unwrap();
    assert_eq!(set.changed, vec![maria, sam], "Bo is Ben's alone");
    assert_eq!(cadence_of(&ben, bo), None);
    assert_eq!(ana.bulk_preview(&[bo], &BulkEdit::Trash).unwrap(), vec![]);
    let mut draft = bens_form.draft.clone();
    draft.title = "Owner".into();
    let saved = ben.save_contact(&bens_form, &draft, None).unwrap();
    assert!(matches!(saved, Saved::Merged { .. }), "{saved:?}");
    assert_eq!(cadence_of(&ben, maria), Some(14), "Ana's cadence kept");
    assert!(matches!(
        ana.undo_change(&set.change).unwrap(),
        Undone::ChangedSince(_)
    ));
    let now = ana.contact(maria).unwrap().draft;
    assert_eq!((now.cadence_days, now.title.as_str()), (Some(14), "Owner"));

    let mut rita = team.open(RITA);
    let refused = rita.trash_contacts(&[maria, sam]).unwrap_err();
    assert!(matches!(refused, StoreError::NotAllowed(_)), "{refused}");
    let refused = rita.set_cadence_of(&[sam], None).unwrap_err();
    assert!(matches!(refused, StoreError::NotAllowed(_)), "{refused}");
    assert_eq!(cadence_of(&ana, sam), Some(14), "nothing changed");

    let sam_was = ana.contact(sam).unwrap().version;
    let trashed = ana.trash_contacts(&[maria, sam, bo]).unwrap();
    assert_eq!(trashed.changed, vec![maria, sam]);
    assert_eq!(ana.contact(sam).unwrap().version, sam_was + 1);
    assert_eq!(ben.count_contacts("").unwrap(), 1, "Bo stays, for Ben");
    assert_eq!(ana.undo_change(&trashed.change).unwrap(), Undone::Done);
    assert_eq!(ben.count_contacts("").unwrap(), 3);
}
