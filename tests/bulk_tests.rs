//! Bulk changes (issue: a clean, connected contact base, part 3): a tag added to or removed
//! from many contacts, or their stage set, as one undoable step that undoes exactly, on both
//! engines; the dry run; the command line (`tag add`, `tag remove`, `stage set`).

use crate::common::{self, each_engine};
use rapport::model::{ContactDraft, ContactFilter, ContactId, Stage};
use rapport::store::undo::Undone;
use rapport::store::{BulkEdit, Store};

/// Every row (as `undo_tests` compares them), without relationship health, a team database's
/// change log, the versions, and the one- to three-letter counts by their sums.
fn dump(store: &Store) -> Vec<String> {
    let delta =
        regex::Regex::new(r"^prefix_counts: prefix=(.*) delta=Integer\((-?\d+)\)$").unwrap();
    let mut sums = std::collections::BTreeMap::<String, i64>::new();
    let mut lines: Vec<String> = store
        .dump_for_tests()
        .unwrap()
        .into_iter()
        .filter(|l| !l.starts_with("contact_health:") && !l.starts_with("changes:"))
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
fn four(store: &mut Store) -> [ContactId; 4] {
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

fn tags_of(store: &Store, id: ContactId) -> Vec<String> {
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
