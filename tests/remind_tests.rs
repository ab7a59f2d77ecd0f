//! The reminder companion (`rapport remind`) as a user runs it: the real binary in the
//! background on a database file that a `Store` writes as the window would, its notifications
//! read from `RAPPORT_NOTIFY_LOG`; one companion per database; `--once`; the autostart entry;
//! and the handoff of `--open-contact` to the window that holds the file.

use crate::common::{at, rapport, stdout};
use chrono::{Duration, Local, NaiveDateTime, Timelike as _};
use egui_kittest::Harness;
use rapport::app::{Prefs, RapportApp};
use rapport::model::{ContactDraft, ContactId, FollowUpDraft, FollowUpId, Initiator};
use rapport::store::Store;
use std::io::BufRead as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Instant;

/// A database file with one contact, in a folder of its own.
fn database(name: &str) -> (tempfile::TempDir, PathBuf, ContactId) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("rapport.sqlite3");
    let mut store = Store::open(&db).unwrap();
    let contact = store.create_contact(&ContactDraft::named(name)).unwrap();
    (dir, db, contact)
}

fn add_follow_up(db: &Path, contact: ContactId, text: &str, due: NaiveDateTime) -> FollowUpId {
    Store::open(db)
        .unwrap()
        .add_follow_up(&FollowUpDraft {
            contact_id: contact,
            organization_id: None,
            interaction_id: None,
            text: text.to_owned(),
            notes: String::new(),
            due_date: due.date(),
            due_time: Some(due.time()),
            promised_by: Initiator::Me,
            repeat: None,
        })
        .unwrap()
}

/// `rapport` with no notification server to reach (the companion still asks notify-rust,
/// which fails at once), and its notifications logged to `log`.
fn companion_command(db: &Path, log: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_rapport"));
    command
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("RAPPORT_DB")
        .env("RAPPORT_NOTIFY_LOG", log)
        .env(
            "DBUS_SESSION_BUS_ADDRESS",
            "unix:path=/nonexistent/rapport-test-bus",
        );
    command
}

/// A companion running in the background (and the pipe it printed its first line to),
/// stopped when dropped (a failed test too).
struct Running {
    child: Child,
    _said: std::io::BufReader<std::process::ChildStdout>,
}

impl Running {
    /// Starts `rapport remind` and waits until it says it is watching.
    fn start(db: &Path, log: &Path) -> Self {
        let mut child = companion_command(db, log, &["remind"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut said = std::io::BufReader::new(child.stdout.take().unwrap());
        let mut first = String::new();
        said.read_line(&mut first).unwrap();
        assert!(first.starts_with("Reminding you"), "{first:?}");
        Running { child, _said: said }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The notifications logged so far, one JSON value each.
fn logged(log: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(log)
        .unwrap_or_default()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

/// The next whole minute at least two seconds away, in local time.
fn next_minute() -> NaiveDateTime {
    let now = Local::now().naive_local();
    let minute = now.with_second(0).unwrap().with_nanosecond(0).unwrap() + Duration::minutes(1);
    if minute - now < Duration::seconds(2) {
        minute + Duration::minutes(1)
    } else {
        minute
    }
}

#[test]
fn remind_notices_a_follow_up_the_window_adds_and_announces_it_on_its_minute() {
    let (dir, db, maria) = database("Maria García");
    let log = dir.path().join("notifications.jsonl");
    let _companion = Running::start(&db, &log);
    // Written as the window writes, while the companion waits.
    let due = next_minute();
    let id = add_follow_up(&db, maria, "Call back about the quote", due);
    let due_instant = due.and_local_timezone(Local).earliest().unwrap();
    let deadline = due_instant + Duration::seconds(2);
    let line = loop {
        if let Some(line) = logged(&log).into_iter().next() {
            break line;
        }
        assert!(Local::now() < deadline, "no notification by {deadline}");
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    let sent = chrono::DateTime::parse_from_rfc3339(line["sent_at"].as_str().unwrap()).unwrap();
    assert!(sent >= due_instant, "sent at {sent}, before {due_instant}");
    assert!(sent <= deadline, "sent at {sent}, due {due_instant}");
    assert_eq!(line["kind"], "due");
    assert_eq!(line["follow_ups"], serde_json::json!([id.0]));
    assert_eq!(line["title"], "Follow-up due: Maria García");
    assert_eq!(line["body"], "Call back about the quote");
    // Announced once: nothing more comes while it stays open.
    std::thread::sleep(std::time::Duration::from_millis(500));
    assert_eq!(logged(&log).len(), 1);
}

#[test]
fn remind_runs_one_companion_per_database() {
    let (dir, db, _) = database("Maria García");
    let log = dir.path().join("notifications.jsonl");
    assert!(!rapport::remind::companion_running(&db));
    let first = Running::start(&db, &log);
    assert!(rapport::remind::companion_running(&db));
    let lock = std::fs::read_to_string(rapport::remind::lock_path(&db)).unwrap();
    assert_eq!(
        lock.trim(),
        first.child.id().to_string(),
        "the lock names its process"
    );
    let started = Instant::now();
    let second = companion_command(&db, &log, &["remind"]).output().unwrap();
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
    assert!(
        stdout(&second).contains("already running"),
        "exits 0 saying so"
    );
    // `--once` leaves the sending to the running one too.
    let once = companion_command(&db, &log, &["remind", "--once"])
        .output()
        .unwrap();
    assert!(stdout(&once).contains("already running"));
    drop(first);
    assert!(!rapport::remind::companion_running(&db));
}

#[test]
fn remind_once_sends_what_came_due_while_away_as_one_notification_once() {
    let (dir, db, maria) = database("Maria García");
    let log = dir.path().join("notifications.jsonl");
    let now = Local::now().naive_local().with_second(0).unwrap();
    let ken = Store::open(&db)
        .unwrap()
        .create_contact(&ContactDraft::named("Ken Adams"))
        .unwrap();
    let ids = [
        add_follow_up(&db, maria, "Send the quote", now - Duration::minutes(120)),
        add_follow_up(
            &db,
            ken,
            "Ask about the launch",
            now - Duration::minutes(90),
        ),
        add_follow_up(&db, maria, "Call back", now - Duration::minutes(60)),
    ];
    // The companion last looked three hours ago (then the computer slept).
    let since = chrono::Utc::now() - Duration::hours(3);
    let memory = format!(
        r#"{{"checked_until":"{}","announced":[]}}"#,
        since.to_rfc3339()
    );
    let state = rapport::safety::beside(&db, "reminded");
    std::fs::write(&state, memory).unwrap();
    stdout(
        &companion_command(&db, &log, &["remind", "--once"])
            .output()
            .unwrap(),
    );
    let lines = logged(&log);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert_eq!(lines[0]["kind"], "away");
    assert_eq!(
        lines[0]["title"],
        "3 follow-ups came due while you were away"
    );
    let body = lines[0]["body"].as_str().unwrap();
    assert!(body.contains("Maria García: Send the quote"), "{body}");
    assert!(body.contains("Ken Adams: Ask about the launch"), "{body}");
    let logged_ids: Vec<i64> = ids.iter().map(|id| id.0).collect();
    assert_eq!(lines[0]["follow_ups"], serde_json::json!(logged_ids));
    // Once: a second run (a restart) announces nothing again.
    stdout(
        &companion_command(&db, &log, &["remind", "--once"])
            .output()
            .unwrap(),
    );
    assert_eq!(logged(&log).len(), 1);
    // The memory beside the database holds ids and moments, no names or words, privately.
    let kept = std::fs::read_to_string(&state).unwrap();
    assert!(!kept.contains("Maria") && !kept.contains("quote"), "{kept}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&state).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}

#[test]
fn remind_on_a_team_database_says_it_works_on_files() {
    let output = Command::new(env!("CARGO_BIN_EXE_rapport"))
        .args(["--db", "postgres://ana@localhost/shop", "remind"])
        .env_remove("RAPPORT_DB")
        .output()
        .unwrap();
    assert!(!output.status.success());
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(
        said.contains("works on local Rapport files for now"),
        "{said}"
    );
}

#[test]
fn remind_install_writes_the_autostart_entry_and_uninstall_removes_it() {
    let (dir, db, _) = database("Maria García");
    let config = dir.path().join("config");
    let home = dir.path().join("home");
    let setup = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_rapport"))
            .arg("--db")
            .arg(&db)
            .args(args)
            .env_remove("RAPPORT_DB")
            .env("XDG_CONFIG_HOME", &config)
            .env("HOME", &home)
            .env(
                "DBUS_SESSION_BUS_ADDRESS",
                "unix:path=/nonexistent/rapport-test-bus",
            )
            .output()
            .unwrap()
    };
    let said = stdout(&setup(&["remind", "install"]));
    let entry = config.join("autostart/rapport-remind.desktop");
    assert!(said.contains(&entry.display().to_string()), "{said}");
    let text = std::fs::read_to_string(&entry).unwrap();
    let exe = std::fs::canonicalize(env!("CARGO_BIN_EXE_rapport")).unwrap();
    let db_abs = std::fs::canonicalize(&db).unwrap();
    assert!(
        text.contains(&format!(
            "Exec={} --db {} remind\n",
            exe.display(),
            db_abs.display()
        )),
        "{text}"
    );
    assert!(text.contains("X-GNOME-Autostart-enabled=true"));
    assert!(text.contains("NoDisplay=true"));
    // Installing started the companion too: stop it by the id its lock holds.
    let started = Instant::now();
    while !rapport::remind::companion_running(&db) {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(10),
            "not started"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let pid = std::fs::read_to_string(rapport::remind::lock_path(&db)).unwrap();
    let again = stdout(&setup(&["remind", "install"]));
    assert!(again.contains("already running"), "{again}");
    let removed = stdout(&setup(&["remind", "uninstall"]));
    assert!(removed.contains("no longer start"), "{removed}");
    assert!(!entry.exists());
    assert!(
        rapport::remind::companion_running(&db),
        "removing stops nothing"
    );
    assert!(
        Command::new("kill")
            .arg(pid.trim())
            .status()
            .unwrap()
            .success()
    );
    let gone = stdout(&setup(&["remind", "uninstall"]));
    assert!(gone.contains("were not set"), "{gone}");
}

#[test]
fn remind_open_contact_is_handed_to_the_window_that_holds_the_file() {
    let (_dir, db, _) = database("Maria García");
    let ken = Store::open(&db)
        .unwrap()
        .create_contact(&ContactDraft::named("Ken Adams"))
        .unwrap();
    let store = Store::open(&db).unwrap();
    let lock = rapport::safety::lock_database(&db).unwrap();
    let mut slot = Some((store, lock));
    let db_for_app = db.clone();
    let mut window = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .with_max_steps(16)
        .build_eframe(move |cc| {
            let (store, lock) = slot.take().unwrap();
            rapport::ui::install_style(&cc.egui_ctx);
            let mut app = RapportApp::with_store_at(
                Ok(store),
                Prefs::default(),
                Some(at("2026-11-20 09:00")),
            );
            app.attach_file(db_for_app.clone(), Some(lock), None);
            app
        });
    window.run();
    assert!(rapport::remind::handoff::address_path(&db).exists());
    // A second launch, as a reminder's Open runs it: handed over, it ends at once.
    let second = rapport(&db, &["--open-contact", &ken.0.to_string()]);
    assert!(
        stdout(&second).contains("already open"),
        "exits 0 saying so"
    );
    window.run();
    let selected = window.state().view.selected.as_ref().map(|s| s.contact.id);
    assert_eq!(selected, Some(ken));
    // Without the window (the lock and the listener gone), a launch would open one.
    drop(window);
    assert!(!rapport::remind::handoff::address_path(&db).exists());
    assert_eq!(
        rapport::remind::handoff::open_contact_in_window(&db, ken).unwrap(),
        rapport::remind::handoff::Handed::NoWindow
    );
}
