//! Quick add in the window: a signature pasted into New contact fills the empty fields, says
//! what it left, and saves like typed text.

use egui::accesskit::Role;
use egui_kittest::{Harness, kittest::Queryable as _};
use rapport::app::RapportApp;
use rapport::store::Store;

use crate::common::{Window, app_in, selecting};

const PASTE_BOX: &str = "Paste a signature or 'Name <e-mail>'";

/// Types `lines` into the multi-line box with this accessible name, Enter between them.
fn type_lines(h: &mut Harness<'static, RapportApp>, label: &str, lines: &[&str]) {
    h.get_by_role_and_label(Role::MultilineTextInput, label)
        .focus();
    h.run();
    for (index, line) in lines.iter().enumerate() {
        if index > 0 {
            h.key_press(egui::Key::Enter);
            h.run();
        }
        h.get_by_role_and_label(Role::MultilineTextInput, label)
            .type_text(line);
        h.run();
    }
}

#[test]
fn a_pasted_signature_fills_only_the_empty_fields_and_saves() {
    let store = Store::open_in_memory().unwrap();
    let mut h = app_in(store, Window::of(1280.0, 800.0), selecting(None));
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::N);
    h.run();
    assert!(h.query_by_label("New contact").is_some(), "Ctrl+N");
    // What the person typed first is theirs: the signature does not write over it.
    h.get_by_role_and_label(Role::TextInput, "Organization")
        .focus();
    h.run();
    h.get_by_role_and_label(Role::TextInput, "Organization")
        .type_text("Lima & Sons");
    h.run();
    type_lines(
        &mut h,
        PASTE_BOX,
        &[
            "Kind regards,",
            "Ana Lima",
            "Owner, Lima Bakery",
            "Mobile: +44 7700 900123",
            "+44 20 7946 0958 | ana@lima.example",
            "Open Tuesday to Saturday",
        ],
    );
    h.get_by_label("Fill empty fields from pasted text").click();
    h.run();
    assert!(
        h.query_by_label_contains("Kept what you typed for: organization")
            .is_some()
    );
    assert!(
        h.query_by_label_contains("Not recognised: \"Open Tuesday to Saturday\"")
            .is_some()
    );
    let form = h.state().view.contact_form.as_ref().unwrap();
    assert_eq!(form.draft.display_name, "Ana Lima");
    assert_eq!(form.draft.organization, "Lima & Sons");
    h.get_by_label("Save").click();
    h.run();
    assert!(h.query_by_label("New contact").is_none(), "the form closed");
    let store = h.state().store().unwrap();
    let saved = store
        .contact(store.contact_rows("", 0, 1).unwrap()[0].id)
        .unwrap()
        .draft;
    assert_eq!(saved.display_name, "Ana Lima");
    assert_eq!(
        (saved.given_name.as_str(), saved.family_name.as_str()),
        ("Ana", "Lima")
    );
    assert_eq!(saved.title, "Owner");
    assert_eq!(saved.organization, "Lima & Sons");
    let emails: Vec<&str> = saved.emails.iter().map(|e| e.address.as_str()).collect();
    assert_eq!(emails, ["ana@lima.example"]);
    let phones: Vec<(&str, &str)> = saved
        .phones
        .iter()
        .map(|p| (p.label.as_str(), p.number.as_str()))
        .collect();
    assert_eq!(
        phones,
        [("mobile", "+44 7700 900123"), ("work", "+44 20 7946 0958")]
    );
}
