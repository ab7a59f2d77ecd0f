//! Dialogs over the window, as a person meets them: nothing behind a dialog answers the
//! pointer or the purpose keys, the mail import's plan says plainly when nothing in the file
//! involves the contact it was dropped on, and the plan keeps its place while it is counted
//! again.

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use rapport::app::RapportApp;
use rapport::model::{ContactDraft, ContactId, Email, InteractionDraft, InteractionId, Purpose};
use rapport::store::Store;
use rapport::view::conversation_import::{MailImportStage, plan_sentence};
use std::path::PathBuf;

use crate::common::{self, Window, at, selecting};

const CARD_TIP: &str = "Click to open, edit or delete this conversation.";

/// A file dropped on the window, as the windowing integration hands it to egui.
#[derive(Debug)]
struct Dropped(std::path::PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &std::path::Path {
        &self.0
    }

    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

fn with_email(name: &str, address: &str) -> ContactDraft {
    ContactDraft {
        emails: vec![Email {
            label: "work".into(),
            address: address.into(),
        }],
        ..ContactDraft::named(name)
    }
}

const ME: &str = "me@shop.example";

/// Ana with twelve calls (so cards fill the middle of the window) and Bob; my address known.
fn world(store: &mut Store) -> (ContactId, Vec<InteractionId>) {
    store.set_my_addresses(&[ME.into()]).unwrap();
    let ana = store
        .create_contact(&with_email("Ana Lindqvist", "ana@lindqvist.example"))
        .unwrap();
    store
        .create_contact(&with_email("Bob Okafor", "bob@fish.example"))
        .unwrap();
    let calls = (1..=12)
        .map(|day| {
            store
                .log_interaction(&InteractionDraft {
                    summary: format!("Call {day}"),
                    ..InteractionDraft::new(at(&format!("2026-11-{day:02} 10:00")), ana)
                })
                .unwrap()
        })
        .collect();
    (ana, calls)
}

/// A calendar of meetings I organized, one with each of these attendees (name, address).
fn calendar(dir: &std::path::Path, name: &str, attendees: &[(&str, &str)]) -> PathBuf {
    let mut text = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Rapport tests//EN\r\n".to_owned();
    for (n, (who, address)) in attendees.iter().enumerate() {
        text.push_str(&format!(
            "BEGIN:VEVENT\r\nUID:meeting-{n}@shop.example\r\nDTSTAMP:20261101T090000Z\r\n\
             DTSTART:20261101T150000Z\r\nDTEND:20261101T153000Z\r\nSUMMARY:Tasting {n}\r\n\
             ORGANIZER;CN=Sam Shop:mailto:{ME}\r\n\
             ATTENDEE;CN={who};PARTSTAT=ACCEPTED:mailto:{address}\r\nEND:VEVENT\r\n"
        ));
    }
    text.push_str("END:VCALENDAR\r\n");
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn drop_file(h: &mut Harness<'static, RapportApp>, path: PathBuf) {
    h.input_mut()
        .dropped_files
        .push(std::sync::Arc::new(Dropped(path)));
}

/// Frames with the pointer still, long past the tooltip delay.
fn rest(h: &mut Harness<'static, RapportApp>) {
    for _ in 0..60 {
        h.step();
    }
}

/// The card under `point`, by its accessible name.
fn card_at(h: &Harness<'static, RapportApp>, point: egui::Pos2) -> Option<String> {
    h.query_all_by_role(Role::Button)
        .filter(|n| n.rect().contains(point))
        .filter_map(|n| n.accesskit_node().label())
        .find(|l| l.contains("call on 2026-11-"))
}

fn purposes(h: &Harness<'static, RapportApp>, calls: &[InteractionId]) -> Vec<Purpose> {
    let store = h.state().store().unwrap();
    calls
        .iter()
        .map(|id| store.interaction(*id).unwrap().draft.purpose)
        .collect()
}

fn tooltip_shown(h: &Harness<'static, RapportApp>) -> bool {
    h.query_by_label_contains(CARD_TIP).is_some()
}

#[test]
fn dialog_polish_no_tooltip_or_purpose_key_reaches_a_card_behind_a_dialog() {
    let mut store = Store::open_in_memory().unwrap();
    let (ana, calls) = world(&mut store);
    let dir = tempfile::tempdir().unwrap();
    let mut h = common::app_in(store, Window::of(1100.0, 760.0), selecting(Some(ana.0)));
    h.run();
    let middle = egui::pos2(550.0, 450.0);
    assert!(card_at(&h, middle).is_some(), "a card in the middle");
    h.hover_at(middle);
    rest(&mut h);
    assert!(
        tooltip_shown(&h),
        "the card's tooltip shows when it is pointed at"
    );
    let before = purposes(&h, &calls);

    // A calendar dropped while the pointer rests on the card; S in the dialog's first frame.
    drop_file(
        &mut h,
        calendar(dir.path(), "bob.ics", &[("Bob Okafor", "bob@fish.example")]),
    );
    h.step();
    assert!(h.state().view.mail_import.is_some());
    h.key_press(egui::Key::S);
    h.step();
    rest(&mut h);
    assert!(h.query_by_label("Import mail and meetings").is_some());
    assert!(!tooltip_shown(&h), "no tooltip of a card behind the dialog");
    // The pointer moves about inside the dialog, over the card behind it.
    for dx in [-60.0, 0.0, 60.0] {
        h.hover_at(middle + egui::vec2(dx, 12.0));
        rest(&mut h);
        assert!(!tooltip_shown(&h), "still none at {dx}");
    }
    for key in [egui::Key::S, egui::Key::V, egui::Key::R] {
        h.key_press(key);
        h.run();
    }
    assert_eq!(purposes(&h, &calls), before, "no key reached the card");

    h.get_by_label("Cancel").click();
    h.run();
    assert!(h.state().view.mail_import.is_none());
    h.hover_at(middle);
    rest(&mut h);
    assert!(
        tooltip_shown(&h),
        "the dialog closed, the card answers again"
    );

    // Another dialog, the contact import (Ctrl+I), opened while the tooltip shows.
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::I);
    h.step();
    assert!(h.state().view.import_dialog.is_some());
    h.key_press(egui::Key::S);
    h.step();
    rest(&mut h);
    assert!(!tooltip_shown(&h), "none behind the contact import either");
    h.key_press(egui::Key::V);
    h.run();
    assert_eq!(purposes(&h, &calls), before);
}

#[test]
fn dialog_polish_the_plan_names_the_contact_dropped_on_only_with_conversations() {
    let mut store = Store::open_in_memory().unwrap();
    let (ana, _) = world(&mut store);
    let dir = tempfile::tempdir().unwrap();
    let mut h = common::app_in(store, Window::of(1100.0, 760.0), selecting(Some(ana.0)));
    h.run();
    drop_file(
        &mut h,
        calendar(dir.path(), "bob.ics", &[("Bob Okafor", "bob@fish.example")]),
    );
    h.run();
    assert!(h.query_by_label("1 conversation will be added.").is_some());
    assert!(
        h.query_by_label("Nothing in this file involves Ana Lindqvist.")
            .is_some()
    );
    assert!(h.query_by_label("1 conversation").is_some(), "Bob's line");
    assert!(h.query_by_label("0 conversations").is_none());
    h.get_by_label("Cancel").click();
    h.run();

    // A file with Ana in it lists her first, and says nothing of the sort.
    let both = calendar(
        dir.path(),
        "both.ics",
        &[
            ("Bob Okafor", "bob@fish.example"),
            ("Bob Okafor", "bob@fish.example"),
            ("Ana Lindqvist", "ana@lindqvist.example"),
        ],
    );
    drop_file(&mut h, both);
    h.run();
    let plan = h.state().view.mail_import.as_ref().unwrap().plan.clone();
    let listed: Vec<(String, usize)> = plan
        .unwrap()
        .per_contact
        .iter()
        .map(|c| (c.name.clone(), c.conversations))
        .collect();
    assert_eq!(
        listed,
        [
            ("Ana Lindqvist".to_owned(), 1),
            ("Bob Okafor".to_owned(), 2)
        ]
    );
    assert!(h.query_by_label("1 conversation").is_some(), "Ana's line");
    assert!(h.query_by_label("2 conversations").is_some(), "Bob's line");
    assert!(h.query_by_label_contains("Nothing in this file").is_none());
}

/// Frames until `done` holds (the plan or the import runs on its own thread), at most ten
/// seconds.
fn frames_until(h: &mut Harness<'static, RapportApp>, done: impl Fn(&RapportApp) -> bool) {
    let started = std::time::Instant::now();
    while !done(h.state()) {
        assert!(started.elapsed().as_secs() < 10, "the job did not finish");
        std::thread::sleep(std::time::Duration::from_millis(10));
        h.step();
    }
    h.run();
}

/// Meetings with Bob in the calendar the plan is counted again on.
const TASTINGS: usize = 1500;

fn stage(app: &RapportApp) -> Option<MailImportStage> {
    app.view.mail_import.as_ref().map(|d| d.stage.clone())
}

#[test]
fn dialog_polish_the_plan_keeps_its_place_while_counted_again_and_import_waits_for_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("rapport.sqlite3")).unwrap();
    let (ana, _) = world(&mut store);
    let mut h = common::app_in(store, Window::of(1100.0, 760.0), selecting(Some(ana.0)));
    h.run();
    // A year of tastings with Bob, enough that counting again takes a moment, and one with
    // Carla, who is not in Rapport.
    let mut meetings = vec![("Bob Okafor", "bob@fish.example"); TASTINGS];
    meetings.push(("Carla Nunes", "carla@new.example"));
    let file = calendar(dir.path(), "tastings.ics", &meetings);
    drop_file(&mut h, file);
    frames_until(&mut h, |app| stage(app) == Some(MailImportStage::Ready));
    assert!(
        h.query_by_label("1,500 conversations will be added, with 1 contact.")
            .is_some()
    );
    let import = h.get_by_label("Import");
    assert!(!import.accesskit_node().is_disabled());
    let (import_at, heading_at) = (
        import.rect(),
        h.get_by_label("Import mail and meetings").rect(),
    );

    h.get_by_label("Create contacts for them").click();
    h.step();
    assert_eq!(stage(h.state()), Some(MailImportStage::Planning));
    // Every frame drawn while the files are counted again: the plan before stays where it
    // was, greyed, and Import waits for the new one.
    let mut frames = 0;
    while stage(h.state()) == Some(MailImportStage::Planning) {
        h.step();
        frames += 1;
        assert!(frames < 1000, "the new plan did not come");
        assert!(h.query_by_label_contains("Counting again").is_some());
        assert!(
            h.query_by_label("1,500 conversations will be added, with 1 contact.")
                .is_some()
        );
        let import = h.get_by_label("Import");
        assert!(import.accesskit_node().is_disabled(), "frame {frames}");
        assert_eq!(import.rect(), import_at, "Import stays where it was");
        assert_eq!(
            h.get_by_label("Import mail and meetings").rect(),
            heading_at,
            "the dialog stays where it was"
        );
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    eprintln!("{frames} frames while counting again");
    h.run();
    let plan = h
        .state()
        .view
        .mail_import
        .as_ref()
        .unwrap()
        .plan
        .clone()
        .unwrap();
    assert_eq!(
        plan_sentence(&plan),
        "1,501 conversations will be added, with 1 contact (and 1 new contact)."
    );
    assert!(h.query_by_label(&plan_sentence(&plan)).is_some());
    assert!(h.query_by_label_contains("Counting again").is_none());
    let import = h.get_by_label("Import");
    assert!(!import.accesskit_node().is_disabled());
    import.click();
    h.step();
    frames_until(&mut h, |app| {
        matches!(stage(app), Some(MailImportStage::Done { .. }))
    });
    assert!(
        h.query_by_label("Imported 1,501 conversations and made 1 new contact.")
            .is_some()
    );
    let names: Vec<String> = h
        .state()
        .store()
        .unwrap()
        .all_contacts()
        .unwrap()
        .into_iter()
        .map(|c| c.draft.display_name)
        .collect();
    assert!(names.contains(&"Carla Nunes".to_owned()), "{names:?}");
}
