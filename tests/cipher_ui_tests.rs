//! A protected file in the window, clicked and typed like a person: protecting it from the File
//! menu, the unlock screen (a wrong passphrase, then the right one), locking, removing the
//! passphrase; snapshots of the unlock screen and the dialog on a 1366×768 laptop at 150 %.

use crate::common::{Window, app_in, maria, selecting};
use egui::Key;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use rapport::app::{Prefs, RapportApp};
use rapport::store::Store;
use rapport::store::cipher::{self, Passphrase};
use std::path::Path;

type App = Harness<'static, RapportApp>;

/// Types `text` into the passphrase box named `label`, like a person.
fn type_secret(h: &mut App, label: &str, text: &str) {
    h.get_by_role_and_label(egui::accesskit::Role::PasswordInput, label)
        .focus();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, Key::A);
    h.get_by_role_and_label(egui::accesskit::Role::PasswordInput, label)
        .type_text(text);
    h.run();
}

/// The window as it opens on the protected file at `db` without its passphrase.
fn window_on_locked(db: &Path, window: Window) -> App {
    let refused = Store::open(db).unwrap_err();
    crate::common::app_on(Err(refused), window, Prefs::default())
}

fn protected_shop(dir: &Path) -> std::path::PathBuf {
    let db = dir.join("shop.sqlite3");
    let mut store = Store::open(&db).unwrap();
    store.create_contact(&maria()).unwrap();
    store
        .set_passphrase(Passphrase::new("tea at five o'clock"))
        .unwrap();
    drop(store);
    cipher::forget(&db);
    db
}

#[test]
fn the_unlock_screen_says_a_wrong_passphrase_and_opens_with_the_right_one_then_locks() {
    let dir = tempfile::tempdir().unwrap();
    let db = protected_shop(dir.path());
    let mut h = window_on_locked(&db, Window::of(1280.0, 800.0));
    // As a launch leaves it: the window holds the file's lock while it asks.
    let lock = rapport::safety::lock_database(&db).unwrap();
    h.state_mut()
        .attach(rapport::store::Location::File(db.clone()), Some(lock), None);
    h.run();
    assert!(h.query_by_label("This Rapport file is protected").is_some());
    assert!(h.state().store().is_none());

    type_secret(&mut h, "Passphrase", "tea at five o'clocK");
    h.get_by_label("Unlock").click();
    h.run();
    let said = h.state().view.unlock.as_ref().unwrap().error.clone();
    let said = said.unwrap_or_else(|| {
        panic!(
            "{:?} {:?}",
            h.state().view.unlock,
            h.state().view.status.as_ref().map(|s| s.text.clone())
        )
    });
    assert!(said.contains("does not open this file"));
    assert!(h.state().store().is_none());
    assert!(
        cipher::passphrase_for(&db).is_none(),
        "a wrong one is not kept"
    );

    // The right one, with Enter.
    type_secret(&mut h, "Passphrase", "tea at five o'clock");
    h.key_press(Key::Enter);
    h.run();
    h.run();
    let store = h
        .state()
        .store()
        .unwrap_or_else(|| panic!("not unlocked: {:?}", h.state().view.unlock));
    assert_eq!(store.count_contacts("").unwrap(), 1);
    assert!(h.state().view.unlock.is_none());
    assert!(h.query_by_label("Maria García").is_some());

    h.get_by_label("File").click();
    h.run();
    h.get_by_label("Lock").click();
    h.run();
    assert!(h.state().store().is_none());
    assert!(h.query_by_label("This Rapport file is protected").is_some());
    assert!(cipher::passphrase_for(&db).is_none(), "locking forgets it");
    // Locked, the window keeps the file: a second Rapport is told it is in use.
    assert!(matches!(
        rapport::safety::lock_database(&db),
        Err(rapport::store::StoreError::Locked)
    ));
    type_secret(&mut h, "Passphrase", "tea at five o'clock");
    h.key_press(Key::Enter);
    h.run();
    assert!(h.state().store().is_some(), "unlocked again after Lock");
}

#[test]
fn protecting_from_the_file_menu_then_removing_the_passphrase() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shop.sqlite3");
    let mut store = Store::open(&db).unwrap();
    let id = store.create_contact(&maria()).unwrap();
    let mut h = app_in(store, Window::of(1280.0, 800.0), selecting(Some(id.0)));
    h.run();
    h.get_by_label("File").click();
    h.run();
    h.get_by_label("Protect with a passphrase…").click();
    h.run();
    type_secret(&mut h, "Passphrase", "short");
    type_secret(&mut h, "Repeat it", "short");
    h.get_by_label("Protect").click();
    h.run();
    let refused = h.state().view.passphrase_dialog.as_ref().unwrap();
    assert!(refused.error.as_ref().unwrap().contains("at least 8"));
    assert!(!cipher::is_protected(&db));

    type_secret(&mut h, "Passphrase", "blue heron at dawn");
    type_secret(&mut h, "Repeat it", "blue heron at dawn");
    h.get_by_label("Protect").click();
    h.run();
    let said = h.state().view.status.clone().unwrap();
    assert!(!said.is_error, "{}", said.text);
    assert!(
        said.text.contains("protected with the passphrase"),
        "{}",
        said.text
    );
    assert!(cipher::is_protected(&db));
    assert!(h.state().view.passphrase_dialog.is_none());
    assert_eq!(h.state().store().unwrap().count_contacts("").unwrap(), 1);

    h.get_by_label("File").click();
    h.run();
    h.get_by_label("Remove passphrase…").click();
    h.run();
    type_secret(&mut h, "Current passphrase", "blue heron at dusk");
    h.get_by_label("Remove passphrase").click();
    h.run();
    let refused = h.state().view.passphrase_dialog.as_ref().unwrap();
    assert!(
        refused
            .error
            .as_ref()
            .unwrap()
            .contains("not the current passphrase")
    );
    assert!(cipher::is_protected(&db));
    type_secret(&mut h, "Current passphrase", "blue heron at dawn");
    h.get_by_label("Remove passphrase").click();
    h.run();
    assert!(!cipher::is_protected(&db));
    let said = h.state().view.status.clone().unwrap();
    assert!(said.text.contains("plain files again"), "{}", said.text);
}

#[test]
fn the_unlock_screen_fits_a_laptop_at_150_percent() {
    let dir = tempfile::tempdir().unwrap();
    let db = protected_shop(dir.path());
    let laptop = Window {
        points: egui::vec2(1366.0 / 1.5, 768.0 / 1.5),
        pixels_per_point: 1.5,
        theme: egui::Theme::Light,
    };
    let mut h = window_on_locked(&db, laptop);
    h.run();
    type_secret(&mut h, "Passphrase", "wrong one");
    h.get_by_label("Unlock").click();
    h.run();
    h.snapshot("unlock_1366x768_150");
}

#[test]
fn the_protect_dialog_fits_a_laptop_at_150_percent() {
    let dir = tempfile::tempdir().unwrap();
    let laptop = Window {
        points: egui::vec2(1366.0 / 1.5, 768.0 / 1.5),
        pixels_per_point: 1.5,
        theme: egui::Theme::Light,
    };
    let plain = dir.path().join("plain.sqlite3");
    let store = Store::open(&plain).unwrap();
    let mut h = app_in(store, laptop, Prefs::default());
    // The status bar names the file: a name that is the same at every run.
    let shown = rapport::store::Location::File("plain.sqlite3".into());
    h.state_mut().view.database = rapport::view::DatabaseName::of(Some(&shown));
    h.run();
    h.get_by_label("File").click();
    h.run();
    h.get_by_label("Protect with a passphrase…").click();
    h.run();
    h.snapshot("protect_dialog_1366x768_150");
}
