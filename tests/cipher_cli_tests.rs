//! A database file protected with a passphrase, on the command line as a user runs it:
//! `rapport protect` / `unprotect`, every other command with `RAPPORT_PASSPHRASE`, and the
//! sentences without it or with a wrong one. No terminal (stdin is null), so nothing is ever
//! prompted for, and no keychain (the session bus is unusable), so it keeps nothing.

use crate::common::stdout;
use rapport::store::cipher;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// `rapport --db DB ARGS` with the variables in `env` (and no others of Rapport's), no
/// terminal, no keychain and no notification server; its log and notifications in a data
/// folder beside `db`.
fn rapport(db: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    run(
        &db.parent().unwrap().join("data"),
        db.as_os_str(),
        args,
        env,
    )
}

/// `rapport --db DB ARGS` (see `rapport`), its data folder `data`.
fn run(data: &Path, db: &std::ffi::OsStr, args: &[&str], env: &[(&str, &str)]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rapport"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("RAPPORT_DB")
        .env_remove("RAPPORT_PASSPHRASE")
        .env_remove("RAPPORT_NEW_PASSPHRASE")
        .env("XDG_DATA_HOME", data)
        .env(
            "DBUS_SESSION_BUS_ADDRESS",
            "unix:path=/nonexistent/rapport-test-bus",
        )
        .env("RAPPORT_NOTIFY_LOG", data.join("notes.jsonl"))
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .output()
        .expect("the rapport binary runs")
}

/// `rapport` with `RAPPORT_PASSPHRASE` set to `passphrase`.
fn with(db: &Path, passphrase: &str, args: &[&str]) -> Output {
    rapport(db, args, &[("RAPPORT_PASSPHRASE", passphrase)])
}

/// What a command that must fail said on stderr.
fn refused(output: &Output) -> String {
    assert!(
        !output.status.success(),
        "succeeded: {}",
        String::from_utf8_lossy(&output.stdout)
    );
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A plain file with Maria in it, then protected with `passphrase` through the command line.
fn protected_shop(dir: &Path, passphrase: &str) -> PathBuf {
    let db = dir.join("shop.sqlite3");
    stdout(&rapport(
        &db,
        &["contact", "add", "--name", "Maria García"],
        &[],
    ));
    assert!(!cipher::is_protected(&db));
    let said = stdout(&with(&db, passphrase, &["protect"]));
    assert!(said.contains("Protected"), "{said}");
    assert!(said.contains("Keep it safe"), "{said}");
    assert!(cipher::is_protected(&db));
    db
}

#[test]
fn cipher_cli_commands_open_a_protected_file_only_with_its_passphrase() {
    let dir = tempfile::tempdir().unwrap();
    let db = protected_shop(dir.path(), "tea at five");
    stdout(&with(
        &db,
        "tea at five",
        &["contact", "add", "--name", "Ben Okafor"],
    ));
    let listed = stdout(&with(&db, "tea at five", &["contacts", "--json"]));
    assert!(
        listed.contains("Maria García") && listed.contains("Ben Okafor"),
        "{listed}"
    );

    for args in [
        &["contacts", "--json"][..],
        &["contact", "add", "--name", "Eve"],
    ] {
        let without = refused(&rapport(&db, args, &[]));
        assert!(
            without.contains("is protected with a passphrase"),
            "{without}"
        );
        assert!(without.contains("RAPPORT_PASSPHRASE"), "{without}");
        let wrong = refused(&with(&db, "Tea at five", args));
        assert!(wrong.contains("That passphrase does not open"), "{wrong}");
    }
    let empty = refused(&with(&db, "", &["contacts"]));
    assert!(empty.contains("empty"), "{empty}");
    let listed = stdout(&with(&db, "tea at five", &["contacts", "--json"]));
    assert!(
        !listed.contains("Eve"),
        "nothing was added without the passphrase: {listed}"
    );
}

#[test]
fn cipher_cli_protect_refuses_without_a_new_passphrase_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shop.sqlite3");
    stdout(&rapport(
        &db,
        &["contact", "add", "--name", "Maria García"],
        &[],
    ));
    let before = std::fs::read(&db).unwrap();
    let none = refused(&rapport(&db, &["protect"], &[]));
    assert!(
        none.contains("RAPPORT_PASSPHRASE") && none.contains("terminal"),
        "{none}"
    );
    let empty = refused(&with(&db, "", &["protect"]));
    assert!(empty.contains("empty"), "{empty}");
    assert_eq!(std::fs::read(&db).unwrap(), before);
    assert!(!cipher::is_protected(&db));
    let plain = refused(&rapport(&db, &["unprotect"], &[]));
    assert!(plain.contains("no passphrase to remove"), "{plain}");
}

#[test]
fn cipher_cli_changes_and_removes_the_passphrase() {
    let dir = tempfile::tempdir().unwrap();
    let db = protected_shop(dir.path(), "first");
    let no_new = refused(&with(&db, "first", &["protect"]));
    assert!(no_new.contains("RAPPORT_NEW_PASSPHRASE"), "{no_new}");
    let same = refused(&rapport(
        &db,
        &["protect"],
        &[
            ("RAPPORT_PASSPHRASE", "first"),
            ("RAPPORT_NEW_PASSPHRASE", "first"),
        ],
    ));
    assert!(same.contains("already"), "{same}");
    let wrong = refused(&rapport(
        &db,
        &["protect"],
        &[
            ("RAPPORT_PASSPHRASE", "second"),
            ("RAPPORT_NEW_PASSPHRASE", "third"),
        ],
    ));
    assert!(wrong.contains("does not open"), "{wrong}");
    let changed = stdout(&rapport(
        &db,
        &["protect", "--remember"],
        &[
            ("RAPPORT_PASSPHRASE", "first"),
            ("RAPPORT_NEW_PASSPHRASE", "second"),
        ],
    ));
    assert!(changed.contains("Changed the passphrase of"), "{changed}");
    // No keychain here: said, and the new passphrase stands all the same.
    assert!(changed.contains("protected all the same"), "{changed}");
    refused(&with(&db, "first", &["contacts"]));
    assert!(stdout(&with(&db, "second", &["contacts"])).contains("Maria García"));

    let removed = stdout(&with(&db, "second", &["unprotect"]));
    assert!(removed.contains("Removed the passphrase of"), "{removed}");
    assert!(removed.contains("are plain files again"), "{removed}");
    assert!(!cipher::is_protected(&db));
    assert!(stdout(&rapport(&db, &["contacts"], &[])).contains("Maria García"));
}

#[test]
fn cipher_cli_backup_check_and_restore_work_on_a_protected_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = protected_shop(dir.path(), "tea at five");
    let said = stdout(&with(&db, "tea at five", &["backup"]));
    let backup = PathBuf::from(
        said.strip_prefix("Backed up to ")
            .and_then(|rest| rest.rsplit_once(" ("))
            .map(|(path, _)| path)
            .unwrap_or_else(|| panic!("{said}")),
    );
    assert!(cipher::is_protected(&backup), "{}", backup.display());
    let copy = dir.path().join("copy.sqlite3");
    stdout(&with(
        &db,
        "tea at five",
        &["backup", "-o", copy.to_str().unwrap()],
    ));
    assert!(cipher::is_protected(&copy));

    let healthy = stdout(&with(&db, "tea at five", &["check"]));
    assert!(healthy.contains("healthy"), "{healthy}");
    let locked = refused(&rapport(&db, &["check"], &[]));
    assert!(
        locked.contains("is protected with a passphrase"),
        "{locked}"
    );

    stdout(&with(
        &db,
        "tea at five",
        &["contact", "add", "--name", "Ben Okafor"],
    ));
    let restored = stdout(&with(
        &db,
        "tea at five",
        &["restore", backup.to_str().unwrap()],
    ));
    assert!(restored.contains("Restored"), "{restored}");
    assert!(
        cipher::is_protected(&db),
        "the restored file stays protected"
    );
    let listed = stdout(&with(&db, "tea at five", &["contacts"]));
    assert!(
        listed.contains("Maria García") && !listed.contains("Ben Okafor"),
        "{listed}"
    );
}

#[test]
fn cipher_cli_remind_once_without_the_passphrase_says_the_reminders_are_paused() {
    let dir = tempfile::tempdir().unwrap();
    let db = protected_shop(dir.path(), "tea at five");
    let paused = refused(&rapport(&db, &["remind", "--once"], &[]));
    assert!(
        paused.contains("Rapport's reminders are paused"),
        "{paused}"
    );
    assert!(paused.contains("Remember it on this computer"), "{paused}");
    // No terminal: the desktop is told too.
    let notes = std::fs::read_to_string(dir.path().join("data/notes.jsonl")).unwrap();
    assert!(notes.contains("\"paused\""), "{notes}");
    assert!(!rapport::remind::companion_running(&db));

    stdout(&with(&db, "tea at five", &["remind", "--once"]));
    let wrong = refused(&with(&db, "Tea at five", &["remind", "--once"]));
    assert!(wrong.contains("does not open"), "{wrong}");
}

#[test]
fn cipher_cli_protect_takes_no_passphrase_argument_and_no_team_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shop.sqlite3");
    for command in ["protect", "unprotect"] {
        let help = stdout(&rapport(&db, &[command, "--help"], &[]));
        assert!(help.contains("never an argument"), "{help}");
        assert!(!help.contains("--passphrase"), "{help}");
        let given = refused(&rapport(&db, &[command, "--passphrase", "secret"], &[]));
        assert!(given.contains("unexpected argument"), "{given}");
        let team = "postgres://ana@localhost/shop".as_ref();
        let team = refused(&run(&dir.path().join("data"), team, &[command], &[]));
        assert!(team.contains("protected by its server"), "{team}");
    }
    assert!(!db.exists(), "nothing was made");
}

/// Polls `done` every 100 ms for up to 30 seconds.
fn eventually(what: &str, done: impl Fn() -> bool) {
    let until = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while !done() {
        assert!(
            std::time::Instant::now() < until,
            "{what} within 30 seconds"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}

/// A process this test started, stopped when dropped (a failed test too).
struct Stopped(std::process::Child);

impl Drop for Stopped {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn cipher_cli_remind_pauses_without_the_lock_and_goes_on_when_the_passphrase_is_removed() {
    let dir = tempfile::tempdir().unwrap();
    let db = protected_shop(dir.path(), "tea at five");
    let notes = dir.path().join("data/notes.jsonl");
    let mut companion = Stopped(
        Command::new(env!("CARGO_BIN_EXE_rapport"))
            .arg("--db")
            .arg(&db)
            .arg("remind")
            .env_remove("RAPPORT_DB")
            .env_remove("RAPPORT_PASSPHRASE")
            .env("XDG_DATA_HOME", dir.path().join("data"))
            .env(
                "DBUS_SESSION_BUS_ADDRESS",
                "unix:path=/nonexistent/rapport-test-bus",
            )
            .env("RAPPORT_NOTIFY_LOG", &notes)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    eventually("the pause is announced", || {
        std::fs::read_to_string(&notes).is_ok_and(|n| n.contains("\"paused\""))
    });
    std::thread::sleep(std::time::Duration::from_millis(500));
    // Paused, it waits, asking nothing, and leaves the reminders to a window (no lock).
    assert!(
        companion.0.try_wait().unwrap().is_none(),
        "the paused companion waits"
    );
    assert!(
        !rapport::remind::companion_running(&db),
        "a paused companion holds no lock"
    );
    stdout(&with(&db, "tea at five", &["unprotect"]));
    eventually("the companion goes on", || {
        rapport::remind::companion_running(&db)
    });
    let said = std::fs::read_to_string(&notes).unwrap();
    assert_eq!(said.matches("\"paused\"").count(), 1, "said once: {said}");
}
