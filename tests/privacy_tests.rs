//! Nothing personal outside the database: after a scripted session on the command line (a
//! contact, a conversation with notes, follow-ups, an import, mistakes that are refused with
//! sentences quoting what was typed, a reminder the companion could not show), `rapport.log`,
//! the crash marker and the files Rapport keeps beside the database hold none of the names,
//! e-mails or notes used, and the log is readable by its owner only. Errors are logged by
//! kind (`StoreError::for_the_log`), never with the sentence meant for the user.

use rapport::store::StoreError;
use std::path::Path;
use std::process::Output;

const NAME: &str = "Zephyrine Quillfeather";
const EMAIL: &str = "zephyrine.q@quill.example";
const NOTE: &str = "her mother's hip operation";
const PROMISE: &str = "Send the lavender samples";

/// The binary with its data folder (log, crash marker) and config in `home`.
fn run(home: &Path, db: &Path, args: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_rapport"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("RAPPORT_DB")
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        .env("HOME", home)
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("RAPPORT_LOG", "info")
        .output()
        .expect("the rapport binary runs")
}

fn scripted_session(home: &Path, db: &Path) {
    let ok = |args: &[&str]| {
        let out = run(home, db, args);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    ok(&["contact", "add", "--name", NAME, "--email", EMAIL]);
    ok(&[
        "log",
        "--contact",
        "1",
        "--summary",
        "Talked flowers",
        "--they-said",
        NOTE,
    ]);
    let now = chrono::Local::now().naive_local();
    let due = (now - chrono::Duration::minutes(5))
        .format("%Y-%m-%d %H:%M")
        .to_string();
    ok(&[
        "followup",
        "add",
        "--contact",
        "1",
        "--due",
        &due,
        "--text",
        PROMISE,
    ]);
    let csv = home.join("people.csv");
    std::fs::write(&csv, format!("Name,E-mail\n{NAME} Junior,junior.{EMAIL}\n")).unwrap();
    ok(&["import", csv.to_str().unwrap()]);
    // Mistakes quoting what was typed: refused with sentences on the terminal.
    for args in [
        vec![
            "followup",
            "add",
            "--contact",
            "1",
            "--due",
            NAME,
            "--text",
            PROMISE,
        ],
        vec![
            "followup",
            "add",
            "--contact",
            "1",
            "--due",
            "Friday",
            "--text",
            "x",
            "--repeat",
            NOTE,
        ],
        vec!["contact", "show", "999"],
    ] {
        assert!(
            !run(home, db, &args).status.success(),
            "{args:?} should be refused"
        );
    }
    // The companion announces the follow-up due five minutes ago; with no desktop to show it,
    // it logs the failure.
    let out = run(home, db, &["remind", "--once"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Every file under `dir`, recursively.
fn files_in(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(files_in(&path));
        } else {
            found.push(path);
        }
    }
    found
}

#[test]
fn the_log_and_the_files_beside_the_database_hold_no_names_e_mails_or_notes() {
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("shop").join("rapport.sqlite3");
    scripted_session(home.path(), &db);
    let log = home.path().join("data/rapport/rapport.log");
    let logged = std::fs::read_to_string(&log).expect("the session wrote rapport.log");
    assert!(!logged.is_empty());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&log).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "rapport.log is its owner's only");
    }
    let mut looked_at = vec![log.clone()];
    // Beside the database: the companion's state and lock, handoff, lock files (not the
    // database, its WAL or its backups, which hold the data by design).
    for path in files_in(db.parent().unwrap()) {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.ends_with(".sqlite3") || name.ends_with("-wal") || name.ends_with("-shm") {
            continue;
        }
        looked_at.push(path);
    }
    looked_at.extend(files_in(&home.path().join("config")));
    looked_at.extend(files_in(&home.path().join("data")));
    assert!(looked_at.len() >= 3, "{looked_at:?}");
    for path in &looked_at {
        let bytes = std::fs::read(path).unwrap();
        let text = String::from_utf8_lossy(&bytes).to_lowercase();
        for secret in [
            NAME,
            "Zephyrine",
            "Quillfeather",
            EMAIL,
            NOTE,
            PROMISE,
            "lavender",
        ] {
            assert!(
                !text.contains(&secret.to_lowercase()),
                "{} holds {secret:?}:\n{text}",
                path.display()
            );
        }
    }
}

#[test]
fn errors_are_logged_by_kind_without_what_the_user_typed() {
    let quoting = [
        StoreError::Invalid(format!("\"{NAME}\" is not a due day")),
        StoreError::NotAllowed(format!("{NAME} is private")),
        StoreError::ChangedSince {
            by: NAME.to_owned(),
        },
        StoreError::Corrupt {
            path: format!("/home/{NAME}/rapport.sqlite3"),
            detail: NOTE.to_owned(),
        },
    ];
    for error in quoting {
        let logged = error.for_the_log();
        assert!(
            error.to_string().contains("Zephyrine"),
            "the user's sentence quotes it"
        );
        assert!(
            !logged.contains("Zephyrine") && !logged.contains(NOTE),
            "{logged}"
        );
    }
}
