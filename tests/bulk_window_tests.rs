//! Bulk changes in the window, clicked and typed as a person does: Ctrl-click three and set
//! their cadence, undo; select all matches of a search and move them to the trash, undo;
//! Escape chooses none; export the chosen; and a large change on its own thread (a file, an
//! encrypted one too) with its progress in the bar, other changes refused while it runs, and
//! Cancel leaving the database as it was.

use crate::bulk_tests::{dump, four};
use crate::common::{Window, app_in, selecting};
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use rapport::app::RapportApp;
use rapport::store::Store;
use std::time::{Duration, Instant};

type App = Harness<'static, RapportApp>;

fn status(h: &App) -> String {
    h.state()
        .view
        .status
        .clone()
        .map(|s| s.text)
        .unwrap_or_default()
}

fn ctrl_click(h: &mut App, names: &[&str]) {
    for name in names {
        h.get_by_label(name)
            .click_modifiers(egui::Modifiers::COMMAND);
        h.run();
    }
}

#[test]
fn ctrl_click_three_set_their_cadence_and_undo() {
    let mut store = Store::open_in_memory().unwrap();
    let [ana, ben, cleo, dan] = four(&mut store);
    let mut h = app_in(store, Window::of(1280.0, 800.0), selecting(None));
    h.run();
    let before = dump(h.state().store().unwrap());
    ctrl_click(&mut h, &["Ben Brook", "Cleo Costa", "Dan Dunn"]);
    assert!(h.query_by_label("3 selected").is_some());
    assert!(
        h.query_by_label_contains("Select all").is_none(),
        "no search or filter: nothing more to select"
    );
    h.get_by_label("Change ⏷").click();
    h.run();
    h.get_by_label("Cadence…").click();
    h.run();
    let field = "Keep in touch every how many days";
    h.get_by_role_and_label(Role::TextInput, field).focus();
    h.run();
    h.get_by_role_and_label(Role::TextInput, field)
        .type_text("soon");
    h.run();
    assert!(
        h.query_by_label("\"soon\" is not a number of days; type e.g. 30.")
            .is_some(),
        "said in the menu"
    );
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get_by_role_and_label(Role::TextInput, field)
        .type_text("30");
    h.run();
    h.get_by_label("Set cadence").click();
    h.run();
    assert_eq!(status(&h), "Set 3 contacts to keep in touch every 30 days.");
    let cadence = |h: &App, id| {
        h.state()
            .store()
            .unwrap()
            .contact(id)
            .unwrap()
            .draft
            .cadence_days
    };
    for id in [ben, cleo, dan] {
        assert_eq!(cadence(&h, id), Some(30));
    }
    assert_eq!(cadence(&h, ana), None);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run();
    assert_eq!(status(&h), "Undone: set the cadence of 3 contacts.");
    assert_eq!(
        dump(h.state().store().unwrap()),
        before,
        "one step, exactly"
    );

    assert!(h.query_by_label("3 selected").is_some(), "still chosen");
    h.key_press(egui::Key::Escape);
    h.run();
    assert!(
        h.query_by_label("3 selected").is_none(),
        "Escape: none chosen"
    );
    assert!(h.state().view.bulk.ids.is_empty());
}

#[test]
fn select_all_matches_of_a_search_move_them_to_the_trash_and_undo() {
    let mut store = Store::open_in_memory().unwrap();
    let [ana, ben, cleo, dan] = four(&mut store);
    let mut h = app_in(store, Window::of(1280.0, 800.0), selecting(None));
    h.run();
    let before = dump(h.state().store().unwrap());
    h.get_by_role_and_label(Role::TextInput, "Search contacts")
        .focus();
    h.run();
    h.get_by_role_and_label(Role::TextInput, "Search contacts")
        .type_text("bakery");
    h.run();
    ctrl_click(&mut h, &["Ana Alves", "Ben Brook"]);
    assert!(h.query_by_label("2 selected").is_some());
    h.get_by_label("Select all 3 matches").click();
    h.run();
    assert!(h.query_by_label("3 selected").is_some());
    assert!(h.query_by_label_contains("Select all").is_none(), "all are");
    h.get_by_label("Change ⏷").click();
    h.run();
    h.get_by_label("🗑 Move to trash").click();
    h.run();
    assert_eq!(
        status(&h),
        "Moved 3 contacts to the trash. Undo with Ctrl+Z, or restore them one by one from File > Trash."
    );
    assert!(
        h.query_by_label("Ana Alves").is_none(),
        "gone from the list"
    );
    assert!(
        h.query_by_label_contains("selected").is_none(),
        "none chosen now"
    );
    {
        let store = h.state().store().unwrap();
        assert_eq!(store.trashed_contacts().unwrap().len(), 3);
        assert!(store.contact(dan).unwrap().deleted_at.is_none());
    }
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run();
    assert_eq!(status(&h), "Undone: move 3 contacts to the trash.");
    let store = h.state().store().unwrap();
    assert_eq!(dump(store), before, "all three back, exactly");
    for id in [ana, ben, cleo] {
        assert!(store.contact(id).unwrap().deleted_at.is_none());
    }
    assert!(h.query_by_label("Cleo Costa").is_some(), "back in the list");
}

#[test]
fn the_chosen_contacts_are_exported_and_nobody_else() {
    let mut store = Store::open_in_memory().unwrap();
    four(&mut store);
    let mut h = app_in(store, Window::of(1280.0, 800.0), selecting(None));
    h.run();
    ctrl_click(&mut h, &["Ben Brook", "Dan Dunn"]);
    h.get_by_label("Export…").click();
    h.run();
    assert!(
        h.query_by_label("The 2 contacts chosen in the list")
            .is_some(),
        "chosen for the export"
    );
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("two.vcf");
    crate::ui_tests::replace_text(&mut h, "Save as", target.to_str().unwrap());
    h.get_by_label("Export").click();
    let started = Instant::now();
    while h
        .state()
        .view
        .contact_export
        .as_ref()
        .is_some_and(|d| d.written.is_none() && d.error.is_none())
    {
        assert!(started.elapsed() < Duration::from_secs(30));
        h.step();
        std::thread::sleep(Duration::from_millis(10));
    }
    h.run();
    assert!(h.query_by_label_contains("Wrote 2 contacts").is_some());
    let cards = std::fs::read_to_string(&target).unwrap();
    assert_eq!(cards.matches("BEGIN:VCARD").count(), 2);
    assert!(cards.contains("Ben Brook") && cards.contains("Dan Dunn"));
    assert!(!cards.contains("Ana Alves"));
}

/// How many demo contacts the large changes below make: more than the window changes on its
/// own thread.
const MANY: usize = 1_000;

/// The window on `path` (made with `MANY` demo contacts) with every one of them chosen, once
/// the launch's health job is done (it writes too).
fn all_chosen(path: &std::path::Path) -> App {
    let mut store = Store::open(path).unwrap();
    rapport::demo::fill(
        &mut store,
        MANY,
        0,
        crate::common::at("2026-11-20 09:00"),
        |_, _| {},
    )
    .unwrap();
    let mut h = app_in(store, Window::of(1280.0, 800.0), selecting(None));
    steps_until(&mut h, |h| {
        h.state().view.dashboard.health_progress.is_none()
    });
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run();
    assert!(h.query_by_label("1,000 selected").is_some());
    h
}

/// Steps frames (as the window does while a job runs) until `done`, at most 60 s.
fn steps_until(h: &mut App, mut done: impl FnMut(&App) -> bool) {
    let started = Instant::now();
    while !done(h) {
        assert!(started.elapsed() < Duration::from_secs(60), "timed out");
        h.step();
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// Adds the tag `tag` to everyone chosen through the bar.
fn tag_all(h: &mut App, tag: &str) {
    h.get_by_label("Change ⏷").click();
    h.run();
    h.get_by_label("Add tag…").click();
    h.run();
    h.get_by_role_and_label(Role::TextInput, "New or existing tag")
        .focus();
    h.run();
    h.get_by_role_and_label(Role::TextInput, "New or existing tag")
        .type_text(tag);
    h.run();
    h.get_by_label("Add").click();
    h.step();
}

/// "Tagging 250 of 1,000…" as the number before "of".
fn progress_shown(h: &App) -> Option<usize> {
    let node = h.query_by_label_contains("Tagging ")?;
    // A label's text is its accessible value.
    let label = node.accesskit_node().value()?;
    let count = label.strip_prefix("Tagging ")?.split(" of ").next()?;
    count.replace(',', "").parse().ok()
}

#[test]
fn a_large_change_runs_on_its_thread_with_progress_and_cancel_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shop.sqlite3");
    let mut h = all_chosen(&path);
    let before = dump(h.state().store().unwrap());
    // Another program holds the file's write lock, so the change waits at its start.
    let other = rusqlite::Connection::open(&path).unwrap();
    other.busy_timeout(Duration::from_secs(10)).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    tag_all(&mut h, "Springfair");
    h.step();
    assert_eq!(progress_shown(&h), Some(0), "Tagging 0 of 1,000…");
    assert!(h.query_by_label("Tagging 0 of 1,000…").is_some());
    assert!(
        h.query_by_label("Change ⏷").is_none(),
        "no other change offered"
    );
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.step();
    assert_eq!(
        status(&h),
        "Not done yet: 1,000 contacts are still being changed (see the bar above the list). Try again when that has finished, or cancel it."
    );
    h.get_by_label("Cancel").click();
    h.step();
    h.step();
    assert!(
        h.query_by_label("Cancelling; nothing will be changed…")
            .is_some()
    );
    other.execute_batch("COMMIT").unwrap();
    steps_until(&mut h, |h| h.state().view.bulk.running.is_none());
    h.run();
    assert_eq!(status(&h), "Cancelled; none of the contacts was changed.");
    assert!(h.state().view.undo_top.is_none(), "no step to undo");
    assert!(h.query_by_label("1,000 selected").is_some(), "still chosen");
    assert_eq!(dump(h.state().store().unwrap()), before, "rolled back");
}

/// On a protected file the job's own connection opens with the passphrase this process was
/// given; the bar counts up, the undo step arrives at the end, and undoes exactly (on the
/// thread as well).
#[test]
fn a_large_change_on_a_protected_file_counts_up_and_undoes_as_one_step() {
    use rapport::store::cipher::{self, Passphrase};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("protected.sqlite3");
    cipher::remember(
        &path,
        Passphrase::new("Maria's café, 12 croissants").unwrap(),
    );
    let mut h = all_chosen(&path);
    assert!(h.state().store().unwrap().is_protected());
    let before = dump(h.state().store().unwrap());
    tag_all(&mut h, "Springfair");
    let mut seen = Vec::new();
    steps_until(&mut h, |h| {
        seen.extend(progress_shown(h));
        h.state().view.bulk.running.is_none()
    });
    h.run();
    assert_eq!(seen.first(), Some(&0), "{seen:?}");
    assert!(seen.windows(2).all(|w| w[0] <= w[1]), "counts up: {seen:?}");
    assert!(
        seen.iter().any(|&n| n > 0 && n < MANY),
        "a count on the way: {seen:?}"
    );
    assert_eq!(status(&h), "Added Springfair to 1000 contacts.");
    let store = h.state().store().unwrap();
    assert_eq!(store.count_contacts("springfair").unwrap(), MANY);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.step();
    h.step();
    assert!(
        h.query_by_label("Undoing the change to 1,000 contacts…")
            .is_some(),
        "on its thread too"
    );
    assert!(h.query_by_label("Cancel").is_none(), "all or nothing");
    steps_until(&mut h, |h| h.state().view.bulk.running.is_none());
    h.run();
    assert_eq!(status(&h), "Undone: add Springfair to 1000 contacts.");
    assert_eq!(
        dump(h.state().store().unwrap()),
        before,
        "exactly as before"
    );
    drop(h);
    cipher::forget(&path);
}
