//! Team-database passwords in the system keychain (`rapport::credentials`), against a real
//! Secret Service: run inside a D-Bus session with one (CI: `dbus-run-session` and
//! `gnome-keyring-daemon --unlock`). Without one each test says it skipped, unless
//! `RAPPORT_REQUIRE_KEYRING` is set, when it fails instead.

use crate::common::fresh_team_url;
use rapport::credentials::{self, SERVICE};
use rapport::store::team::TeamRole;
use rapport::store::{Location, Store};
use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Output, Stdio};

/// True when a Secret Service answers on the session bus.
fn keychain_answers() -> bool {
    let required = std::env::var_os("RAPPORT_REQUIRE_KEYRING").is_some();
    let why_not = match std::env::var_os("DBUS_SESSION_BUS_ADDRESS") {
        None => Some("DBUS_SESSION_BUS_ADDRESS is not set".to_owned()),
        Some(_) => match keyring::Entry::new(SERVICE, "rapport-keyring-probe@nowhere:1/probe")
            .and_then(|entry| entry.get_password())
        {
            Ok(_) | Err(keyring::Error::NoEntry) => None,
            Err(error) => Some(format!("no secret service answered ({error})")),
        },
    };
    match why_not {
        None => true,
        Some(why) => {
            assert!(
                !required,
                "RAPPORT_REQUIRE_KEYRING is set but {why}: run the tests in a D-Bus session with gnome-keyring-daemon"
            );
            eprintln!("skipped keychain test: {why}");
            false
        }
    }
}

/// An address of its own for each call, so parallel tests (and a developer's own keychain)
/// never share an entry.
fn unique_address(database: &str) -> String {
    static COUNTER: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    format!(
        "postgres://kim_{}_{n}@db.shop.example/{database}?sslmode=disable",
        std::process::id()
    )
}

#[test]
fn a_password_is_saved_read_back_and_forgotten() {
    if !keychain_answers() {
        return;
    }
    let url = unique_address("shop");
    let password = "s3cr@t pass/word:%é";
    assert_eq!(credentials::saved_password(&url), None);
    credentials::save_password(&url, password).unwrap();
    assert_eq!(credentials::saved_password(&url).as_deref(), Some(password));
    // The same address written otherwise (the default port, a password of its own) is the
    // same entry.
    let with_port = url.replace("db.shop.example/", "db.shop.example:5432/");
    assert_eq!(
        credentials::saved_password(&with_port).as_deref(),
        Some(password)
    );
    // Filled into an address without one, percent-encoded so the server reads it back.
    let Location::Team(filled) = credentials::with_saved_password(&Location::Team(url.clone()))
    else {
        panic!("still a team database");
    };
    assert_eq!(credentials::password_in(&filled).as_deref(), Some(password));
    assert_eq!(credentials::account(&filled), credentials::account(&url));
    // A password typed in the address wins over the saved one.
    let typed = url.replace("@db.", ":typed@db.");
    let Location::Team(kept) = credentials::with_saved_password(&Location::Team(typed.clone()))
    else {
        panic!("still a team database");
    };
    assert_eq!(kept, typed);
    // Saving again replaces it.
    credentials::save_password(&url, "second").unwrap();
    assert_eq!(credentials::saved_password(&url).as_deref(), Some("second"));

    assert!(credentials::forget_password(&url));
    assert_eq!(credentials::saved_password(&url), None);
    assert!(
        !credentials::forget_password(&url),
        "nothing left to forget"
    );
    let Location::Team(unfilled) = credentials::with_saved_password(&Location::Team(url.clone()))
    else {
        panic!("still a team database");
    };
    assert_eq!(unfilled, url);
}

/// The folders a user's Rapport writes to (home, data, config, cache, state), all in `home`.
fn rapport_in(home: &Path, args: &[&str], input: Option<&str>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_rapport"));
    command
        .args(args)
        .env("HOME", home)
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_CACHE_HOME", home.join("cache"))
        .env("XDG_STATE_HOME", home.join("state"))
        // Everything Rapport logs goes to its log file too, which is searched below.
        .env("RAPPORT_LOG", "debug")
        .env_remove("RAPPORT_DB")
        // Only the keychain may let the member in, not the server admin's password.
        .env_remove("PGPASSWORD")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command.spawn().expect("the rapport binary runs");
    let mut stdin = child.stdin.take().expect("stdin is piped");
    if let Some(input) = input {
        stdin.write_all(input.as_bytes()).unwrap();
    }
    drop(stdin);
    child.wait_with_output().unwrap()
}

fn said(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// Every file under `dir` that holds `secret`.
fn files_holding(dir: &Path, secret: &str, found: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files_holding(&path, secret, found);
        } else if let Ok(bytes) = std::fs::read(&path)
            && bytes
                .windows(secret.len())
                .any(|window| window == secret.as_bytes())
        {
            found.push(path.display().to_string());
        }
    }
}

#[test]
fn team_login_keeps_the_password_for_later_commands_and_logout_forgets_it() {
    if !keychain_answers() {
        return;
    }
    let Some(admin_url) = fresh_team_url() else {
        return;
    };
    let mut admin = Store::open_team(&admin_url).unwrap();
    // Logins are the server's, not the database's: one of this test's own.
    let database = admin_url.rsplit('/').next().unwrap_or_default();
    let database = database.split('?').next().unwrap_or_default();
    let login = format!("kim_{}", database.trim_start_matches("rapport_test_"));
    let (login, password) = admin
        .add_person("Kim Keys", Some(&login), TeamRole::Member)
        .unwrap();
    admin
        .create_contact(&rapport::model::ContactDraft::named("Maria Keller"))
        .unwrap();
    drop(admin);
    // The member's own address, without a password: postgres://kim_…@host:port/db?sslmode=…
    let server = admin_url.split_once('@').map(|(_, rest)| rest).unwrap();
    let url = format!("postgres://{login}@{server}");
    let home = tempfile::tempdir().unwrap();

    // Without a saved password the address alone does not get in.
    let before = rapport_in(home.path(), &["--db", &url, "contacts"], None);
    assert!(!before.status.success(), "{}", said(&before));

    // A wrong password is refused and not kept.
    let wrong = rapport_in(home.path(), &["team", "login", &url], Some("not-it\n"));
    assert!(!wrong.status.success(), "{}", said(&wrong));
    assert_eq!(credentials::saved_password(&url), None);

    let login_run = rapport_in(
        home.path(),
        &["team", "login", &url],
        Some(&format!("{password}\n")),
    );
    assert!(login_run.status.success(), "{}", said(&login_run));
    let told = String::from_utf8_lossy(&login_run.stdout);
    assert!(told.contains("system keychain"), "{told}");
    assert_eq!(told.trim().lines().count(), 1, "one sentence: {told}");
    assert!(!told.contains(&password), "{told}");
    assert_eq!(
        credentials::saved_password(&url).as_deref(),
        Some(password.as_str())
    );

    // A later command with the address alone signs in with the kept password.
    let contacts = rapport_in(home.path(), &["--db", &url, "contacts"], None);
    assert!(contacts.status.success(), "{}", said(&contacts));
    assert!(
        String::from_utf8_lossy(&contacts.stdout).contains("Maria Keller"),
        "{}",
        said(&contacts)
    );

    let logout = rapport_in(home.path(), &["team", "logout", &url], None);
    assert!(logout.status.success(), "{}", said(&logout));
    assert!(
        String::from_utf8_lossy(&logout.stdout).contains("no longer kept"),
        "{}",
        said(&logout)
    );
    assert_eq!(credentials::saved_password(&url), None);
    let after = rapport_in(home.path(), &["--db", &url, "contacts"], None);
    assert!(!after.status.success(), "{}", said(&after));

    // The password never reached a file: not Rapport's (log, data, config) in the test's
    // home, nor the keychain daemon's own files (they hold it encrypted).
    let mut found = Vec::new();
    files_holding(home.path(), &password, &mut found);
    if let Some(daemon_home) = std::env::var_os("HOME") {
        files_holding(
            &Path::new(&daemon_home).join(".local/share/keyrings"),
            &password,
            &mut found,
        );
    }
    if let Some(runtime) = std::env::var_os("XDG_RUNTIME_DIR") {
        files_holding(Path::new(&runtime), &password, &mut found);
    }
    assert!(found.is_empty(), "the password is in {found:?}");
    assert!(
        home.path().join("data").exists(),
        "Rapport wrote its log under the test's XDG_DATA_HOME"
    );
}

/// Steps frames until `done` holds (the connection is made on its own thread).
fn step_until(
    h: &mut egui_kittest::Harness<'static, rapport::app::RapportApp>,
    what: &str,
    done: impl Fn(&egui_kittest::Harness<'static, rapport::app::RapportApp>) -> bool,
) {
    let started = std::time::Instant::now();
    while !done(h) {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(30),
            "timed out waiting until {what}"
        );
        h.step();
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}

#[test]
fn the_team_dialog_keeps_the_password_typed_in_the_keychain_and_says_so() {
    use egui::accesskit::Role;
    use egui_kittest::kittest::Queryable as _;
    if !keychain_answers() {
        return;
    }
    let Some(admin_url) = fresh_team_url() else {
        return;
    };
    let mut admin = Store::open_team(&admin_url).unwrap();
    let database = admin_url.rsplit('/').next().unwrap_or_default();
    let database = database.split('?').next().unwrap_or_default();
    let login = format!("win_{}", database.trim_start_matches("rapport_test_"));
    let (login, password) = admin
        .add_person("Wim Window", Some(&login), TeamRole::Member)
        .unwrap();
    drop(admin);
    let server = admin_url.split_once('@').map(|(_, rest)| rest).unwrap();
    let url = format!("postgres://{login}@{server}");
    let typed = format!("postgres://{login}:{password}@{server}");

    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("own.sqlite3")).unwrap();
    let mut slot = Some(store);
    let mut h = egui_kittest::Harness::builder()
        .with_size(egui::vec2(1366.0, 768.0))
        .with_max_steps(16)
        .build_eframe(move |cc| {
            rapport::ui::install_style(&cc.egui_ctx);
            let mut app = rapport::app::RapportApp::with_store_at(
                Ok(slot.take().unwrap()),
                rapport::app::Prefs::default(),
                None,
            );
            app.view.first_run = false;
            app
        });
    h.run();
    h.get_by_label("File").click();
    h.run();
    h.get_by_label("Team database…").click();
    h.run();
    h.get_by_role_and_label(Role::TextInput, "Address")
        .type_text(&typed);
    h.run();
    h.get_by_label("Connect").click();
    step_until(&mut h, "the window switched", |h| {
        h.state().store().is_some_and(|s| s.team().is_some())
    });
    h.run();
    assert!(
        h.query_by_label_contains("Your password is kept in the system keychain")
            .is_some()
    );
    assert_eq!(
        credentials::saved_password(&url).as_deref(),
        Some(password.as_str())
    );
    // What the prefs remember is the address alone; with the keychain it opens again.
    let remembered = h.state().view.prefs.team_database.clone().unwrap();
    assert!(!remembered.contains(&password), "{remembered}");
    let again = credentials::with_saved_password(&Location::Team(remembered));
    assert!(Store::open_at(&again).is_ok());
    assert!(credentials::forget_password(&url));
}
