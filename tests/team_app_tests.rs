//! A team database used wherever a file is: the command line with `--db postgres://…`, the
//! window on a team store (its background jobs open their own connection to it), the commands
//! that only work on a file saying so, and File ▸ Team database switching the window.
//! Each test returns early when no PostgreSQL server is configured (see `fresh_team_url`).

use crate::common::{self, NOW, Window, at, fresh_team_url, rapport, stdout};
use egui::accesskit::Role;
use egui_kittest::{Harness, kittest::Queryable as _};
use rapport::app::{Command, Prefs, RapportApp};
use rapport::model::{ContactDraft, ReportScope};
use rapport::store::Store;
use std::path::Path;
use std::time::{Duration, Instant};

fn named(name: &str) -> ContactDraft {
    ContactDraft {
        display_name: name.into(),
        ..ContactDraft::default()
    }
}

/// Steps frames until `done` holds, for work that happens on another thread.
fn step_until(
    h: &mut Harness<'static, RapportApp>,
    what: &str,
    done: impl Fn(&Harness<'static, RapportApp>) -> bool,
) {
    let started = Instant::now();
    while !done(h) {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "timed out waiting until {what}"
        );
        h.step();
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// The password in `url`, to check it is shown nowhere.
fn password_of(url: &str) -> Option<String> {
    let user_info = url.split_once("://")?.1.split_once('@')?.0;
    let password = user_info.split_once(':')?.1;
    (!password.is_empty()).then(|| password.to_owned())
}

#[test]
fn the_command_line_adds_and_lists_contacts_on_a_team_database() {
    let Some(url) = fresh_team_url() else { return };
    let db = Path::new(&url);
    let added = stdout(&rapport(
        db,
        &["contact", "add", "--name", "Ana Team", "--org", "Shop"],
    ));
    assert!(added.contains("Added contact"), "{added}");
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&rapport(db, &["contacts", "--json"]))).unwrap();
    assert_eq!(json[0]["name"], "Ana Team");
    assert_eq!(json[0]["organization"], "Shop");

    // RAPPORT_DB names it as well as --db does.
    let listed = std::process::Command::new(env!("CARGO_BIN_EXE_rapport"))
        .arg("contacts")
        .env("RAPPORT_DB", &url)
        .output()
        .unwrap();
    assert!(stdout(&listed).contains("Ana Team"));
    // And what is in the team database is there for the store too.
    let store = Store::open_team(&url).unwrap();
    assert_eq!(store.count_contacts("").unwrap(), 1);
}

#[test]
fn help_never_shows_a_team_address_password_from_the_environment() {
    let Some(url) = fresh_team_url() else { return };
    let Some(password) = password_of(&url) else {
        return;
    };
    let help = std::process::Command::new(env!("CARGO_BIN_EXE_rapport"))
        .arg("--help")
        .env("RAPPORT_DB", &url)
        .output()
        .unwrap();
    let text = stdout(&help);
    assert!(text.contains("postgres://"), "{text}");
    assert!(!text.contains(&password), "{text}");
}

#[test]
fn file_only_commands_say_where_the_work_is_done_on_a_team_database() {
    let Some(url) = fresh_team_url() else { return };
    let db = Path::new(&url);
    let cases: [(&[&str], &str); 3] = [
        (&["backups"], "keeps no backups beside it"),
        (&["restore", "/tmp/some-backup.sqlite3"], "pg_restore"),
        (&["check"], "a team database is checked on its server"),
    ];
    for (args, sentence) in cases {
        let output = rapport(db, args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        // No backup was made, so a script must not go on as if one were: a failure, but a
        // plain one (exit code 1, not a panic's 101), with the sentence and nothing on stdout.
        assert_eq!(output.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(stderr.contains(sentence), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert!(output.stdout.is_empty(), "{args:?}");
        if let Some(password) = password_of(&url) {
            assert!(!stderr.contains(&password), "{args:?}: {stderr}");
        }
    }
}

#[test]
fn an_unreachable_team_database_is_one_sentence_on_the_command_line() {
    let output = rapport(
        Path::new("postgres://nobody:secret@127.0.0.1:1/shop?connect_timeout=2"),
        &["contacts"],
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("cannot be reached"), "{stderr}");
    assert!(!stderr.contains("secret"), "{stderr}");
}

#[test]
fn the_window_on_a_team_database_shows_it_and_its_jobs_open_their_own_connection() {
    let Some(url) = fresh_team_url() else { return };
    let id = Store::open_team(&url)
        .unwrap()
        .create_contact(&named("Ines Duarte"))
        .unwrap();
    let mut h = common::app_in(
        Store::open_team(&url).unwrap(),
        Window::of(1366.0, 768.0),
        Prefs::default(),
    );
    // The health pass went to a thread (in memory it runs at once and leaves no progress).
    assert!(h.state().view.dashboard.health_progress.is_some());
    step_until(&mut h, "the health pass finished", |h| {
        h.state().view.dashboard.health_progress.is_none()
    });
    h.run();
    assert!(h.query_by_label_contains("Ines Duarte").is_some());
    assert!(
        h.query_by_label_contains("Team database postgres://")
            .is_some(),
        "the status bar names the team database"
    );
    if let Some(password) = password_of(&url) {
        assert!(h.query_by_label_contains(&password).is_none());
    }
    let judged = Store::open_team(&url).unwrap().health_of(id).unwrap();
    assert!(
        judged.is_some(),
        "the health thread wrote to the team database"
    );

    // An export gathers on its own thread and connection too.
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("team.vcf");
    let ctx = h.ctx.clone();
    h.state_mut().apply(
        Command::StartContactExport {
            scope: ReportScope::Everyone,
            format: Default::default(),
            path: target.clone(),
        },
        &ctx,
    );
    step_until(&mut h, "the export finished", |h| {
        h.state()
            .view
            .status
            .as_ref()
            .is_some_and(|s| s.text.contains("Wrote"))
    });
    let status = h.state().view.status.clone().unwrap();
    assert!(!status.is_error, "{}", status.text);
    let card = std::fs::read_to_string(&target).unwrap();
    assert!(card.contains("Ines Duarte"), "{card}");
}

#[test]
fn backups_in_the_window_say_where_a_team_database_is_backed_up() {
    let Some(url) = fresh_team_url() else { return };
    let mut h = common::app_in(
        Store::open_team(&url).unwrap(),
        Window::of(1366.0, 768.0),
        Prefs::default(),
    );
    let ctx = h.ctx.clone();
    h.state_mut().apply(Command::OpenBackups, &ctx);
    let status = h.state().view.status.clone().unwrap();
    assert!(status.text.contains("pg_dump"), "{}", status.text);
    assert!(h.state().view.backups.is_none());
}

/// The window on a file with one contact of its own, for switching away from it.
fn app_on_a_file(dir: &tempfile::TempDir) -> Harness<'static, RapportApp> {
    let db = dir.path().join("own.sqlite3");
    let mut store = Store::open(&db).unwrap();
    store.create_contact(&named("Own Contact")).unwrap();
    store.set_clock(at(NOW).and_utc());
    let mut slot = Some(store);
    Harness::builder()
        .with_size(egui::vec2(1366.0, 768.0))
        .with_max_steps(16)
        .build_eframe(move |cc| {
            rapport::ui::install_style(&cc.egui_ctx);
            let mut app = RapportApp::with_store_at(
                Ok(slot.take().unwrap()),
                Prefs::default(),
                Some(at(NOW)),
            );
            app.attach_file(db.clone(), None, None);
            // A new file shows the welcome; these tests start past it.
            app.view.first_run = false;
            app
        })
}

fn open_team_dialog(h: &mut Harness<'static, RapportApp>) {
    h.get_by_label("File").click();
    h.run();
    h.get_by_label("Team database…").click();
    h.run();
    assert!(h.state().view.team_dialog.is_some(), "the dialog is open");
    assert!(
        h.get_by_role_and_label(Role::TextInput, "Address")
            .is_focused(),
        "typing goes to the address at once"
    );
}

fn type_address(h: &mut Harness<'static, RapportApp>, url: &str) {
    h.get_by_role_and_label(Role::TextInput, "Address").focus();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get_by_role_and_label(Role::TextInput, "Address").focus();
    h.run();
    h.get_by_role_and_label(Role::TextInput, "Address")
        .type_text(url);
    h.run();
}

#[test]
fn a_team_database_that_cannot_be_reached_is_said_and_the_file_stays_open() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = app_on_a_file(&dir);
    h.run();
    open_team_dialog(&mut h);
    type_address(&mut h, "not an address");
    h.get_by_label("Connect").click();
    h.run();
    let error = h.state().view.team_dialog.as_ref().unwrap().error.clone();
    assert!(error.unwrap().contains("starts with postgres://"));

    type_address(
        &mut h,
        "postgres://nobody:secret@127.0.0.1:1/shop?connect_timeout=2",
    );
    h.get_by_label("Connect").click();
    step_until(&mut h, "the connection failed", |h| {
        h.state()
            .view
            .team_dialog
            .as_ref()
            .is_some_and(|d| d.error.as_ref().is_some_and(|e| e.contains("reached")))
    });
    h.run();
    assert!(h.query_by_label_contains("cannot be reached").is_some());
    assert!(
        h.state().store().unwrap().path().is_some(),
        "still the file"
    );
    assert!(
        h.state().view.prefs.team_database.is_none(),
        "nothing remembered"
    );
    h.get_by_label("Cancel").click();
    h.run();
    assert!(h.state().view.team_dialog.is_none());
    assert!(h.query_by_label_contains("Own Contact").is_some());
}

#[test]
fn the_team_database_dialog_connects_and_switches_the_window() {
    let Some(url) = fresh_team_url() else { return };
    Store::open_team(&url)
        .unwrap()
        .create_contact(&named("Shared Customer"))
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut h = app_on_a_file(&dir);
    h.run();
    assert!(h.query_by_label_contains("Own Contact").is_some());
    open_team_dialog(&mut h);
    type_address(&mut h, &url);
    h.get_by_label("Connect").click();
    step_until(&mut h, "the window switched", |h| {
        h.state().store().is_some_and(|s| s.team().is_some())
    });
    step_until(&mut h, "the health pass finished", |h| {
        h.state().view.dashboard.health_progress.is_none()
    });
    h.run();
    assert!(h.state().view.team_dialog.is_none(), "the dialog closed");
    assert!(
        h.query_by_label_contains("Team database postgres://")
            .is_some()
    );
    assert!(
        h.query_by_label_contains("Connected to the team database")
            .is_some()
    );
    assert!(h.query_by_label_contains("Shared Customer").is_some());
    assert!(h.query_by_label_contains("Own Contact").is_none());

    // Remembered without its password, and offered the next time.
    let remembered = h.state().view.prefs.team_database.clone().unwrap();
    assert!(remembered.contains("sslmode=disable"), "{remembered}");
    if let Some(password) = password_of(&url) {
        assert!(!remembered.contains(&password), "{remembered}");
    }
    open_team_dialog(&mut h);
    assert_eq!(h.state().view.team_dialog.as_ref().unwrap().url, remembered);
    // Connecting kept the (test server's admin) password in the keychain, if one answers:
    // take it out again, so a developer's own keychain does not fill up with them.
    rapport::credentials::forget_password(&url);
}

#[test]
fn an_import_into_a_team_database_runs_on_its_thread_without_a_local_backup() {
    let Some(url) = fresh_team_url() else { return };
    let mut h = common::app_in(
        Store::open_team(&url).unwrap(),
        Window::of(1366.0, 768.0),
        Prefs::default(),
    );
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import/google_current.csv");
    let ctx = h.ctx.clone();
    for command in [
        Command::OpenImport,
        Command::PreviewImport(path),
        Command::ApplyImport,
    ] {
        h.state_mut().apply(command, &ctx);
    }
    step_until(&mut h, "the import finished", |h| {
        h.state()
            .view
            .status
            .as_ref()
            .is_some_and(|s| s.text.starts_with("Imported"))
            || h.state()
                .view
                .import_dialog
                .as_ref()
                .is_some_and(|d| d.error.is_some())
    });
    let error = h
        .state()
        .view
        .import_dialog
        .as_ref()
        .and_then(|d| d.error.clone());
    assert_eq!(error, None);
    assert_eq!(
        Store::open_team(&url).unwrap().count_contacts("").unwrap(),
        2
    );
}
