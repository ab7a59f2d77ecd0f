//! What the window tests share: the fixed clock, and the app in a harness of a given size and
//! scaling, so each test file says only what its window is.

use egui_kittest::Harness;
use rapport::app::{Prefs, RapportApp};
use rapport::model::ContactDraft;
use rapport::store::Store;

/// The local time every window test runs at, so what the app shows does not depend on today.
pub const NOW: &str = "2026-11-20 09:00";

pub fn at(text: &str) -> chrono::NaiveDateTime {
    chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap()
}

/// The window a test opens: its size in points, the system's scaling (pixels per point, as
/// Windows and Linux desktops scale a laptop screen), and the theme.
#[derive(Clone, Copy)]
pub struct Window {
    pub points: egui::Vec2,
    pub pixels_per_point: f32,
    pub theme: egui::Theme,
}

impl Window {
    /// A window this many points wide and high, unscaled, dark.
    pub fn of(width: f32, height: f32) -> Self {
        Self {
            points: egui::vec2(width, height),
            pixels_per_point: 1.0,
            theme: egui::Theme::Dark,
        }
    }
}

/// The app on `store` in `window`, the clock fixed at `NOW`, opened with `prefs` as the
/// launcher opens it (their zoom and theme applied).
pub fn app_in(mut store: Store, window: Window, prefs: Prefs) -> Harness<'static, RapportApp> {
    store.set_clock(at(NOW).and_utc());
    app_on(Ok(store), window, prefs)
}

/// `app_in` on what opening a database gave: a store, or why it could not be opened (the
/// window then shows that, or the unlock screen of a protected file).
pub fn app_on(
    opened: Result<Store, rapport::store::StoreError>,
    window: Window,
    prefs: Prefs,
) -> Harness<'static, RapportApp> {
    let mut slot = Some(opened);
    Harness::builder()
        .with_size(window.points)
        .with_pixels_per_point(window.pixels_per_point)
        .with_theme(window.theme)
        .with_max_steps(16)
        .build_eframe(move |cc| {
            rapport::ui::install_style(&cc.egui_ctx);
            prefs.apply(&cc.egui_ctx);
            RapportApp::with_store_at(slot.take().expect("built once"), prefs, Some(at(NOW)))
        })
}

/// Prefs that open the app with the contact `selected` (an id), as if remembered.
pub fn selecting(selected: Option<i64>) -> Prefs {
    Prefs {
        selected_contact: selected,
        ..Prefs::default()
    }
}

/// Maria García, owner and decision maker at Golden Crust Bakery, with what a good card holds:
/// the person most window tests talk to.
pub fn maria() -> ContactDraft {
    ContactDraft {
        given_name: "Maria".into(),
        family_name: "García".into(),
        organization: "Golden Crust Bakery".into(),
        title: "Owner".into(),
        is_decision_maker: true,
        family: "Married to Sam; two kids".into(),
        interests: "cycling, jazz".into(),
        how_we_met: "Trade fair in Lyon".into(),
        ..ContactDraft::default()
    }
}

/// Whether `program` (a real reader such as `khard`, `khal`, `soffice` or `python3`) can be run.
/// Missing, a reader test skips with a message; with `RAPPORT_REQUIRE_READERS=1` (CI sets it)
/// it panics instead, so a CI machine without the reader cannot pass silently.
pub fn reader_available(program: &str) -> bool {
    let found = std::process::Command::new(program)
        .arg("--version")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok();
    if !found {
        assert!(
            std::env::var("RAPPORT_REQUIRE_READERS").as_deref() != Ok("1"),
            "{program} is required (RAPPORT_REQUIRE_READERS=1) but cannot be run"
        );
        eprintln!("skipped: {program} is not installed");
    }
    found
}

/// The `rapport` binary as a user runs it, on the database file `db`, given its passphrase in
/// `RAPPORT_PASSPHRASE` when this process knows one for it (`cipher::remember`).
pub fn rapport(db: &std::path::Path, args: &[&str]) -> std::process::Output {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_rapport"));
    command
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("RAPPORT_DB");
    match rapport::store::cipher::passphrase_for(db) {
        Some(passphrase) => command.env("RAPPORT_PASSPHRASE", passphrase.as_str()),
        None => command.env_remove("RAPPORT_PASSPHRASE"),
    };
    command.output().expect("the rapport binary runs")
}

/// What a command that must succeed printed on stdout (its stderr in the failure message).
pub fn stdout(output: &std::process::Output) -> String {
    assert!(
        output.status.success(),
        "failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout.clone()).unwrap()
}

/// A fresh, empty database on the PostgreSQL server the environment names — `PGHOST`,
/// `PGPORT`, `PGUSER` and `PGPASSWORD`, as `pg_virtualenv` exports them (the `postgres` crate
/// does not read them itself) — as a `postgres://` URL. `None`, with a line saying so, when no
/// server is configured; a failure when `RAPPORT_REQUIRE_POSTGRES` is set (CI), so the team
/// half of the suite cannot pass by being skipped.
pub fn fresh_team_url() -> Option<String> {
    static COUNTER: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let Ok(host) = std::env::var("PGHOST") else {
        assert!(
            std::env::var_os("RAPPORT_REQUIRE_POSTGRES").is_none(),
            "RAPPORT_REQUIRE_POSTGRES is set but PGHOST is not: run the tests under pg_virtualenv"
        );
        eprintln!("skipped on PostgreSQL: PGHOST is not set (run under pg_virtualenv)");
        return None;
    };
    let port = std::env::var("PGPORT").unwrap_or_else(|_| "5432".into());
    let user = std::env::var("PGUSER").unwrap_or_else(|_| "postgres".into());
    let password = std::env::var("PGPASSWORD").unwrap_or_default();
    let name = format!(
        "rapport_test_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, std::sync::atomic::Ordering::SeqCst)
    );
    let base = format!(
        "postgres://{}:{}@{host}:{port}",
        url_escape(&user),
        url_escape(&password)
    );
    let mut admin = postgres::Client::connect(&format!("{base}/postgres"), postgres::NoTls)
        .expect("connect to the PostgreSQL server named by PGHOST");
    static SWEPT: std::sync::Once = std::sync::Once::new();
    SWEPT.call_once(|| sweep_earlier_runs(&base, &mut admin));
    for sql in [
        format!("DROP DATABASE IF EXISTS {name}"),
        format!("CREATE DATABASE {name}"),
    ] {
        admin
            .batch_execute(&sql)
            .expect("make a fresh test database");
    }
    if let Some(log) = std::env::var_os("RAPPORT_POSTGRES_LOG") {
        use std::io::Write as _;
        let mut file = std::fs::OpenOptions::new()
            .append(true)
            .create(true)
            .open(log)
            .unwrap();
        writeln!(file, "{name}").unwrap();
    }
    Some(format!("{base}/{name}?sslmode=disable"))
}

/// Drops the test databases, and the roles they made, of test runs that have ended (their
/// process is gone), so a developer's server does not fill up run after run.
fn sweep_earlier_runs(base: &str, admin: &mut postgres::Client) {
    let rows = admin
        .query(
            "SELECT datname FROM pg_database WHERE datname LIKE 'rapport\\_test\\_%'",
            &[],
        )
        .expect("list the test databases");
    for row in rows {
        let name: String = row.get(0);
        let pid = name.split('_').nth(2).unwrap_or("");
        if pid.is_empty() || std::path::Path::new(&format!("/proc/{pid}")).exists() {
            continue;
        }
        let logins = postgres::Client::connect(&format!("{base}/{name}"), postgres::NoTls)
            .and_then(|mut db| db.query("SELECT role_name FROM team_members", &[]))
            .map(|rows| rows.iter().map(|row| row.get::<_, String>(0)).collect())
            .unwrap_or_else(|_| Vec::new());
        let _ = admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
        let groups = ["owner", "member", "readonly"].map(|kind| format!("{name}_{kind}"));
        for role in logins.iter().chain(&groups) {
            let _ = admin.batch_execute(&format!("DROP ROLE IF EXISTS \"{role}\""));
        }
    }
}

fn url_escape(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Runs `test` on a fresh database of each engine: SQLite in memory, then a new PostgreSQL
/// database when a server is configured (see `fresh_team_url`).
pub fn each_engine(test: impl Fn(Store)) {
    eprintln!("on SQLite");
    test(Store::open_in_memory().unwrap());
    if let Some(url) = fresh_team_url() {
        eprintln!("on PostgreSQL");
        test(Store::open_team(&url).unwrap());
    }
}

/// SQL that takes a file back from schema 8 to schema 6 (what migration 8 added: repeating
/// follow-ups; and 7: who made and changed each record, private records, versions, the team
/// members' table), so a test can write a file as an older Rapport left it.
/// What migration 9 added, taken away again (a file as schema 8 had it).
pub const BEFORE_MIGRATION_9: &str = "
    DROP TABLE relationships; DROP TABLE contact_field_values; DROP TABLE organization_field_values;
    DROP TABLE custom_fields; ALTER TABLE follow_ups DROP COLUMN field_id;
    DROP INDEX interactions_by_source; DROP INDEX interactions_by_thread; DROP INDEX interactions_by_batch;
    ALTER TABLE interactions DROP COLUMN source_ref; ALTER TABLE interactions DROP COLUMN thread_ref;
    ALTER TABLE interactions DROP COLUMN import_batch_id; ALTER TABLE interactions DROP COLUMN attachments;
    PRAGMA user_version = 8;";

pub const BEFORE_MIGRATION_7: &str = "
    ALTER TABLE follow_ups DROP COLUMN repeat_rule; ALTER TABLE follow_ups DROP COLUMN series_first;
    ALTER TABLE follow_ups DROP COLUMN occurrence; ALTER TABLE follow_ups DROP COLUMN series_id;
    DROP TRIGGER contacts_version; DROP TRIGGER interactions_version; DROP TRIGGER follow_ups_version;
    DROP TABLE team_members;
    ALTER TABLE contacts DROP COLUMN created_by; ALTER TABLE contacts DROP COLUMN updated_by;
    ALTER TABLE contacts DROP COLUMN private; ALTER TABLE contacts DROP COLUMN version;
    ALTER TABLE interactions DROP COLUMN created_by; ALTER TABLE interactions DROP COLUMN updated_by;
    ALTER TABLE interactions DROP COLUMN private; ALTER TABLE interactions DROP COLUMN version;
    ALTER TABLE follow_ups DROP COLUMN created_by; ALTER TABLE follow_ups DROP COLUMN updated_by;
    ALTER TABLE follow_ups DROP COLUMN version;
    ALTER TABLE organizations DROP COLUMN created_by; ALTER TABLE organizations DROP COLUMN updated_by;
    ALTER TABLE life_events DROP COLUMN created_by; ALTER TABLE import_batches DROP COLUMN created_by;
    PRAGMA user_version = 6;";

/// Dump lines with each row's `version` masked: it counts saves, and an undo that writes a row
/// back is a save too, so only the data is compared.
pub fn without_versions(lines: Vec<String>) -> Vec<String> {
    let version = regex::Regex::new(r" version=Integer\(\d+\)").unwrap();
    lines
        .into_iter()
        .map(|line| version.replace(&line, " version=…").into_owned())
        .collect()
}
