//! Files from elsewhere that were made to harm: each test makes a real Rapport file, alters it
//! with a plain SQLite connection (no Rapport involved), and checks that opening, restoring and
//! checking it refuse it with a sentence and leave its bytes exactly as they were.

use chrono::NaiveDateTime;
use rapport::model::ContactDraft;
use rapport::store::backup::{self, FileHealth};
use rapport::store::{Location, SCHEMA_VERSION, Store, StoreError};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn at(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap()
}

/// A Rapport file in `dir` with two contacts, one with private notes.
fn made(dir: &Path, name: &str) -> PathBuf {
    let path = dir.join(name);
    let mut store = Store::open(&path).unwrap();
    let mut ada = ContactDraft::named("Ada Baker");
    ada.personal_notes = "Pays late; her son is ill.".into();
    store.create_contact(&ada).unwrap();
    store
        .create_contact(&ContactDraft::named("Bo Chen"))
        .unwrap();
    path
}

/// Runs `sql` on the file with a plain SQLite connection.
fn alter(path: &Path, sql: &str) {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.execute_batch(sql).unwrap();
}

/// A Rapport file altered by `sql`.
fn crafted(dir: &Path, name: &str, sql: &str) -> PathBuf {
    let path = made(dir, name);
    alter(&path, sql);
    path
}

fn side_file(path: &Path, suffix: &str) -> PathBuf {
    PathBuf::from(format!("{}{suffix}", path.display()))
}

/// Opens `path` with `Store::open`, which must refuse it and leave it as it was: the same
/// bytes, and no journal left beside it.
fn refused_on_open(path: &Path) -> StoreError {
    let before = std::fs::read(path).unwrap();
    let err = Store::open(path).unwrap_err();
    assert_eq!(std::fs::read(path).unwrap(), before, "{err}");
    for suffix in ["-wal", "-shm", "-journal"] {
        assert!(!side_file(path, suffix).exists(), "{suffix} left: {err}");
    }
    err
}

/// The sentence `Store::open` refuses a file with whose schema is not Rapport's.
fn untrusted(path: &Path, what: &str) -> String {
    format!(
        "{} is not a Rapport database as Rapport made it: {what}. It was not opened and nothing in it was changed.",
        path.display()
    )
}

/// Asserts that opening, checking, restoring and recovering from `path` all refuse it with
/// `what`, and that nothing changed: the file, and the database it was to be restored into.
fn refused_everywhere(dir: &Path, path: &Path, what: &str) {
    let err = refused_on_open(path);
    assert!(matches!(err, StoreError::Untrusted { .. }), "{err:?}");
    assert_eq!(err.to_string(), untrusted(path, what));
    let before = std::fs::read(path).unwrap();
    assert_eq!(
        backup::check_file(path),
        FileHealth::Unusable(what.to_owned())
    );
    let checked = rapport::safety::check(&Location::File(path.to_path_buf())).unwrap_err();
    assert!(
        checked
            .to_string()
            .starts_with(&format!("The database has a problem: {what}.")),
        "{checked}"
    );

    let home = made(dir, "home.sqlite3");
    let mut store = Store::open(&home).unwrap();
    let err = store
        .restore_from(path, at("2026-03-01 09:00"))
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "{} cannot be restored: {what}. Nothing was changed.",
            path.display()
        )
    );
    assert_eq!(store.count_contacts("").unwrap(), 2);
    assert!(
        backup::list_backups(&home).unwrap().is_empty(),
        "no copy taken"
    );
    drop(store);
    let cli = rapport::safety::restore(&Location::File(home.clone()), path).unwrap_err();
    assert!(cli.to_string().contains(what), "{cli}");
    let recovered = backup::replace_unusable_database(&home, path, at("2026-03-01 09:00"));
    assert!(recovered.unwrap_err().to_string().contains(what));
    assert_eq!(Store::open(&home).unwrap().count_contacts("").unwrap(), 2);
    assert_eq!(std::fs::read(path).unwrap(), before);
    std::fs::remove_file(&home).unwrap();
}

#[test]
fn crafted_trigger_that_copies_notes_elsewhere_is_refused_on_open_and_restore() {
    let dir = tempfile::tempdir().unwrap();
    let path = crafted(
        dir.path(),
        "trigger.sqlite3",
        "CREATE TRIGGER leak AFTER UPDATE ON contacts BEGIN
             INSERT OR REPLACE INTO settings (key, value) VALUES ('leak', NEW.personal_notes);
         END;",
    );
    refused_everywhere(
        dir.path(),
        &path,
        "it has a trigger \"leak\" that Rapport did not create",
    );
}

#[test]
fn crafted_change_to_one_of_rapports_own_triggers_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = crafted(
        dir.path(),
        "own-trigger.sqlite3",
        "DROP TRIGGER contacts_version;
         CREATE TRIGGER contacts_version AFTER UPDATE ON contacts FOR EACH ROW
             WHEN NEW.version <= OLD.version
             BEGIN UPDATE contacts SET version = OLD.version + 1 WHERE id = NEW.id;
                   DELETE FROM follow_ups; END;",
    );
    let what = format!(
        "its trigger \"contacts_version\" is not as Rapport schema {SCHEMA_VERSION} has it"
    );
    refused_everywhere(dir.path(), &path, &what);
}

#[test]
fn crafted_trigger_on_a_file_in_rollback_mode_leaves_it_in_rollback_mode() {
    // Switching to WAL writes the header: a refused file must be refused before that.
    let dir = tempfile::tempdir().unwrap();
    let path = crafted(
        dir.path(),
        "rollback.sqlite3",
        "PRAGMA journal_mode = DELETE;
         CREATE TRIGGER wipe AFTER INSERT ON contacts BEGIN DELETE FROM contacts; END;",
    );
    let err = refused_on_open(&path);
    assert_eq!(
        err.to_string(),
        untrusted(
            &path,
            "it has a trigger \"wipe\" that Rapport did not create"
        )
    );
    let header = std::fs::read(&path).unwrap();
    assert_eq!((header[18], header[19]), (1, 1), "still a rollback journal");
}

#[test]
fn crafted_views_calling_risky_functions_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    for (n, call) in [
        "load_extension('/tmp/evil.so')",
        "fts3_tokenizer('simple')",
        "readfile('/etc/passwd')",
        "edit('x', 'vi')",
    ]
    .into_iter()
    .enumerate()
    {
        let path = crafted(
            dir.path(),
            &format!("view-{n}.sqlite3"),
            &format!("CREATE VIEW v AS SELECT {call} AS x;"),
        );
        refused_everywhere(
            dir.path(),
            &path,
            "it has a view \"v\" that Rapport did not create",
        );
    }
}

#[test]
fn crafted_tables_indexes_and_columns_rapport_did_not_create_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let table = crafted(dir.path(), "table.sqlite3", "CREATE TABLE extra (x);");
    refused_everywhere(
        dir.path(),
        &table,
        "it has a table \"extra\" that Rapport did not create",
    );
    let index = crafted(
        dir.path(),
        "index.sqlite3",
        "CREATE INDEX contacts_by_notes ON contacts(lower(personal_notes));",
    );
    refused_everywhere(
        dir.path(),
        &index,
        "it has an index \"contacts_by_notes\" that Rapport did not create",
    );
    let column = crafted(
        dir.path(),
        "column.sqlite3",
        "ALTER TABLE contacts ADD COLUMN spy TEXT;",
    );
    let what = format!("its table \"contacts\" is not as Rapport schema {SCHEMA_VERSION} has it");
    refused_everywhere(dir.path(), &column, &what);
    let missing = crafted(dir.path(), "missing.sqlite3", "DROP TABLE team_members;");
    let what =
        format!("it lacks the table \"team_members\" that Rapport schema {SCHEMA_VERSION} has");
    refused_everywhere(dir.path(), &missing, &what);
}

#[test]
fn crafted_user_version_that_lies_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    // Lower than its tables: schema 3 had no `created_by`, added by migration 7.
    let lower = crafted(dir.path(), "lower.sqlite3", "PRAGMA user_version = 3;");
    refused_everywhere(
        dir.path(),
        &lower,
        "its table \"organizations\" is not as Rapport schema 3 has it",
    );
    // Zero: a new, empty file, which this is not.
    let zero = crafted(dir.path(), "zero.sqlite3", "PRAGMA user_version = 0;");
    refused_everywhere(
        dir.path(),
        &zero,
        "it has a table \"organizations\" that Rapport did not create",
    );
    let negative = crafted(dir.path(), "negative.sqlite3", "PRAGMA user_version = -1;");
    refused_everywhere(
        dir.path(),
        &negative,
        "its schema version -1 is not one Rapport writes",
    );
    // Higher than its tables: a schema 4 file that says it is the current one.
    let higher = dir.path().join("higher.sqlite3");
    genuine(&higher, 4);
    alter(&higher, &format!("PRAGMA user_version = {SCHEMA_VERSION};"));
    let what =
        format!("its table \"organizations\" is not as Rapport schema {SCHEMA_VERSION} has it");
    refused_everywhere(dir.path(), &higher, &what);
}

#[test]
fn crafted_user_version_newer_than_this_rapport_keeps_its_sentence() {
    let dir = tempfile::tempdir().unwrap();
    let newer = SCHEMA_VERSION + 1;
    let path = crafted(
        dir.path(),
        "newer.sqlite3",
        &format!("PRAGMA user_version = {newer};"),
    );
    let err = refused_on_open(&path);
    assert!(matches!(err, StoreError::TooNew { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        format!(
            "This database was written by a newer Rapport (schema {newer}, this version knows up to {SCHEMA_VERSION}). Update Rapport to open it; the file was left untouched."
        )
    );
    assert_eq!(
        backup::check_file(&path),
        FileHealth::TooNew { found: newer }
    );
}

#[test]
fn crafted_truncated_files_are_refused_as_damaged_and_not_changed() {
    let dir = tempfile::tempdir().unwrap();
    let whole = made(dir.path(), "whole.sqlite3");
    let size = std::fs::metadata(&whole).unwrap().len();
    for (name, len) in [("half.sqlite3", size / 2), ("hundred.sqlite3", 100)] {
        let path = dir.path().join(name);
        std::fs::copy(&whole, &path).unwrap();
        std::fs::OpenOptions::new()
            .write(true)
            .open(&path)
            .unwrap()
            .set_len(len)
            .unwrap();
        let err = refused_on_open(&path);
        assert!(matches!(err, StoreError::Corrupt { .. }), "{name}: {err:?}");
        assert_eq!(
            err.to_string(),
            format!(
                "The database {} is damaged (SQLite reports the file is malformed). It was left untouched; restore the latest backup.",
                path.display()
            )
        );
        assert!(matches!(backup::check_file(&path), FileHealth::Unusable(_)));
        let mut store = Store::open(&whole).unwrap();
        let restore = store.restore_from(&path, at("2026-03-01 09:00"));
        assert!(
            restore
                .unwrap_err()
                .to_string()
                .contains("cannot be restored")
        );
        assert_eq!(std::fs::metadata(&path).unwrap().len(), len);
    }
}

/// Sets the "in-header database size" (bytes 28..32) of the file at `path`, in place.
fn claim_pages(path: &Path, pages: u32) {
    use std::io::{Seek as _, SeekFrom, Write as _};
    let mut file = std::fs::OpenOptions::new().write(true).open(path).unwrap();
    file.seek(SeekFrom::Start(28)).unwrap();
    file.write_all(&pages.to_be_bytes()).unwrap();
}

#[test]
fn crafted_header_claiming_millions_of_pages_is_refused_quickly() {
    let dir = tempfile::tempdir().unwrap();
    let path = made(dir.path(), "claims.sqlite3");
    claim_pages(&path, 50_000_000);
    let started = Instant::now();
    let err = refused_on_open(&path);
    assert!(matches!(err, StoreError::Corrupt { .. }), "{err:?}");
    assert!(matches!(backup::check_file(&path), FileHealth::Unusable(_)));
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn crafted_sparse_file_of_many_gigabytes_opens_or_is_refused_quickly() {
    let dir = tempfile::tempdir().unwrap();
    let path = made(dir.path(), "sparse.sqlite3");
    let page = 4096u64;
    let huge = 8u64 << 30; // 8 GiB of holes: set_len writes no data.
    std::fs::OpenOptions::new()
        .write(true)
        .open(&path)
        .unwrap()
        .set_len(huge)
        .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        if std::fs::metadata(&path).unwrap().blocks() * 512 > 64 << 20 {
            eprintln!("this file system has no sparse files; skipped");
            return;
        }
    }
    let started = Instant::now();
    // The header still says how long the database is: the rest is never read.
    let store = Store::open(&path).unwrap();
    assert_eq!(store.count_contacts("").unwrap(), 2);
    drop(store);
    assert!(matches!(
        backup::check_file(&path),
        FileHealth::Healthy { .. }
    ));
    // A header that claims all two million pages: opened or refused, but at once.
    claim_pages(&path, (huge / page) as u32);
    match Store::open(&path) {
        Ok(store) => assert_eq!(store.count_contacts("").unwrap(), 2),
        Err(err) => assert!(matches!(err, StoreError::Corrupt { .. }), "{err:?}"),
    }
    let health = backup::check_file(&path);
    assert!(matches!(health, FileHealth::Unusable(_)), "{health:?}");
    assert_eq!(std::fs::metadata(&path).unwrap().len(), huge);
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
}

/// Writes at `path` the file a Rapport of schema `version` made: its migrations and nothing
/// else, by a plain SQLite connection.
fn genuine(path: &Path, version: usize) {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.pragma_update(None, "journal_mode", "WAL").unwrap();
    for sql in &rapport::store::migrations()[..version] {
        conn.execute_batch(sql).unwrap();
    }
    conn.pragma_update(None, "user_version", version as i64)
        .unwrap();
}

#[test]
fn crafted_checks_still_open_a_genuine_file_of_every_older_schema() {
    let dir = tempfile::tempdir().unwrap();
    for version in 0..=SCHEMA_VERSION as usize {
        let path = dir.path().join(format!("v{version}.sqlite3"));
        genuine(&path, version);
        if version > 0 {
            assert_eq!(
                backup::check_file(&path),
                FileHealth::Healthy {
                    schema_version: version as i64
                }
            );
        }
        let mut store = Store::open(&path).unwrap();
        assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
        store
            .create_contact(&ContactDraft::named("After the update"))
            .unwrap();
        drop(store);
        assert_eq!(
            backup::check_file(&path),
            FileHealth::Healthy {
                schema_version: SCHEMA_VERSION
            }
        );
    }
}

#[test]
fn crafted_checks_accept_what_sqlite_adds_and_the_tests_roll_back() {
    let dir = tempfile::tempdir().unwrap();
    // ANALYZE (run from the sqlite3 shell, say) adds SQLite's own statistics tables.
    let analyzed = crafted(dir.path(), "analyzed.sqlite3", "ANALYZE;");
    assert_eq!(
        Store::open(&analyzed).unwrap().count_contacts("").unwrap(),
        2
    );
    // The tests' ways back to schemas 8 and 6 leave what a Rapport of those schemas made.
    let eight = crafted(
        dir.path(),
        "eight.sqlite3",
        crate::common::BEFORE_MIGRATION_9,
    );
    assert_eq!(
        backup::check_file(&eight),
        FileHealth::Healthy { schema_version: 8 }
    );
    let older = crafted(
        dir.path(),
        "older.sqlite3",
        &format!(
            "{}{}",
            crate::common::BEFORE_MIGRATION_9,
            crate::common::BEFORE_MIGRATION_7
        ),
    );
    assert_eq!(
        backup::check_file(&older),
        FileHealth::Healthy { schema_version: 6 }
    );
    let store = Store::open(&older).unwrap();
    assert_eq!(store.count_contacts("").unwrap(), 2);
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
}
