//! The window's side of reminders with Rapport closed: the first follow-up with a time asks
//! once, "Yes" writes the desktop's login entry and starts the companion (the real `rapport`
//! binary, as `remind install` does), and File ▸ Remind me even when Rapport is closed turns
//! it off again.

use crate::common::{Window, app_in};
use crate::ui_tests::replace_text;
use egui::accesskit::Role;
use egui_kittest::kittest::Queryable as _;
use rapport::app::Prefs;
use rapport::model::ContactDraft;
use rapport::store::Store;
use std::time::{Duration, Instant};

/// Stops the companion `remind install` started, by the process id its lock file holds.
fn stop_companion(db: &std::path::Path) {
    let lock = rapport::remind::lock_path(db);
    if let Ok(text) = std::fs::read_to_string(&lock)
        && let Ok(pid) = text.trim().parse::<i32>()
    {
        let _ = std::process::Command::new("kill")
            .arg(pid.to_string())
            .status();
    }
}

#[test]
fn the_first_timed_follow_up_asks_once_and_yes_starts_reminders_at_login() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shop.sqlite3");
    let config = dir.path().join("config");
    let mut store = Store::open(&db).unwrap();
    let ana = store
        .create_contact(&ContactDraft::named("Ana Lima"))
        .unwrap();
    let mut h = app_in(store, Window::of(1280.0, 800.0), Prefs::default());
    h.state_mut().set_remind_setup(
        env!("CARGO_BIN_EXE_rapport").into(),
        vec![
            ("XDG_CONFIG_HOME".into(), config.clone().into()),
            (
                "RAPPORT_NOTIFY_LOG".into(),
                dir.path().join("notes.log").into(),
            ),
        ],
    );
    h.run();
    let ctx = h.ctx.clone();
    h.state_mut()
        .apply(rapport::app::Command::NewFollowUp(ana), &ctx);
    h.run();
    h.get_by_role_and_label(Role::TextInput, "What")
        .type_text("Call back with prices");
    h.run();
    replace_text(&mut h, "Due date", "tomorrow 15:00");
    h.get_by_label("Create follow-up").click();
    h.run();
    assert!(
        h.query_by_label("Remind you even when Rapport is closed?")
            .is_some(),
        "asked after the first follow-up with a time"
    );
    h.get_by_label("Yes, remind me").click();
    h.run();
    let entry = config.join("autostart/rapport-remind.desktop");
    let text = std::fs::read_to_string(&entry).expect("the login entry is written");
    assert!(
        text.contains("remind") && text.contains("shop.sqlite3"),
        "{text}"
    );
    let said = h.state().view.status.clone().unwrap();
    assert!(
        !said.is_error && said.text.contains("when you log in"),
        "{}",
        said.text
    );
    let started = Instant::now();
    while !rapport::remind::companion_running(&db) {
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "the companion runs"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(h.state().view.prefs.remind_when_closed, Some(true));
    assert!(
        h.query_by_label("Remind you even when Rapport is closed?")
            .is_none()
    );

    // Turned off from the File menu: the entry goes (the companion of this login stays).
    h.get_by_label("File").click();
    h.run();
    h.get_by_label("Remind me even when Rapport is closed")
        .click();
    h.run();
    stop_companion(&db);
    assert!(!entry.exists(), "the login entry is removed");
    assert_eq!(h.state().view.prefs.remind_when_closed, Some(false));
    // Asked once: another timed follow-up asks nothing.
    h.state_mut()
        .apply(rapport::app::Command::NewFollowUp(ana), &ctx);
    h.run();
    h.get_by_role_and_label(Role::TextInput, "What")
        .type_text("Send the quote");
    h.run();
    replace_text(&mut h, "Due date", "friday 10:00");
    h.get_by_label("Create follow-up").click();
    h.run();
    assert!(
        h.query_by_label("Remind you even when Rapport is closed?")
            .is_none()
    );
}
