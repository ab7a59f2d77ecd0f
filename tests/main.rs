//! One integration test binary (wgpu is linked once): store, CLI and UI tests.

mod bulk_tests;
mod bulk_window_tests;
mod calendar_export_tests;
mod cipher_cli_tests;
mod cipher_tests;
mod cipher_ui_tests;
mod cli_labels_tests;
mod cli_tests;
mod common;
mod connected_readers_tests;
mod contact_export_tests;
mod conversation_import_files_tests;
mod conversation_import_tests;
mod crafted_tests;
mod crash_tests;
mod custom_fields_tests;
mod dashboard_tests;
mod dialog_polish_tests;
mod duplicates_tests;
mod erase_tests;
mod follow_up_tests;
mod hostile_tests;
mod import_last_mile_tests;
mod import_tests;
mod keyring_tests;
mod laptop_content_tests;
mod laptop_ui_tests;
mod mail_reader_tests;
mod meetings_reader_tests;
mod meetings_ui_tests;
mod merge_connected_tests;
mod photo_tests;
mod privacy_tests;
mod quick_add_tests;
mod relationships_tests;
mod remind_setting_tests;
mod remind_tests;
mod repeat_tests;
mod report_export_tests;
mod report_photo_tests;
mod report_tests;
mod safety_tests;
mod store_tests;
mod tag_counts_tests;
mod team_app_tests;
mod team_files_tests;
mod team_guard_tests;
mod team_live_tests;
mod team_tests;
mod ui_follow_ups_tests;
mod ui_tests;
mod undo_tests;
mod vcard_export_tests;

use std::path::{Path, PathBuf};

/// A database file a store, crash or safety test makes (see `db_path`): used as the `Path`
/// it is. When it goes out of scope (before the test's temporary folder, made first), it
/// checks that the file, if there, and its backups are as its variant makes them, plain or
/// encrypted, so neither variant can quietly test the other's files; then the variant's
/// passphrase for it is forgotten.
struct DbFile {
    path: PathBuf,
    protected: bool,
}

impl std::ops::Deref for DbFile {
    type Target = Path;

    fn deref(&self) -> &Path {
        &self.path
    }
}

impl AsRef<Path> for DbFile {
    fn as_ref(&self) -> &Path {
        &self.path
    }
}

impl AsRef<std::ffi::OsStr> for DbFile {
    fn as_ref(&self) -> &std::ffi::OsStr {
        self.path.as_os_str()
    }
}

impl Drop for DbFile {
    fn drop(&mut self) {
        use rapport::store::{backup, cipher};
        let backups = backup::list_backups(&self.path).unwrap_or_default();
        let files = std::iter::once(self.path.clone()).chain(backups.into_iter().map(|b| b.path));
        for file in files.filter(|file| file.exists()) {
            if std::thread::panicking() {
                break;
            }
            assert_eq!(
                cipher::is_protected(&file),
                self.protected,
                "{} should be {} at the end of the test",
                file.display(),
                if self.protected { "encrypted" } else { "plain" }
            );
        }
        if self.protected {
            cipher::forget(&self.path);
        }
    }
}

/// The database file `name` in `dir` for the store, crash and safety tests: a plain file here,
/// one protected with a passphrase in `encrypted`.
fn db_path(dir: &Path, name: &str) -> DbFile {
    DbFile {
        path: dir.join(name),
        protected: false,
    }
}

/// A bare SQLite connection on a file made through `db_path`, for a test that rewrites it as
/// an older or newer Rapport would have left it, or reads it without Rapport.
fn raw_connection(path: &Path) -> rusqlite::Connection {
    rusqlite::Connection::open(path).unwrap()
}

/// A store test on each engine: SQLite in memory and PostgreSQL (see `common::each_engine`).
fn each_engine(test: impl Fn(rapport::store::Store)) {
    common::each_engine(test)
}

/// The store, crash and safety tests again, on files protected with a passphrase: every file
/// `db_path` names is created encrypted (the passphrase is remembered for it before it
/// exists), the CLI is given it in `RAPPORT_PASSPHRASE` (`common::rapport`), and the tests
/// that run on each engine run on an encrypted file instead (the engines are the plain
/// variant's business).
// Loaded twice on purpose: once plain at the root, once here on encrypted files.
#[allow(clippy::duplicate_mod)]
#[path = "."]
mod encrypted {
    #[path = "crash_tests.rs"]
    mod crash_tests;
    #[path = "safety_tests.rs"]
    mod safety_tests;
    #[path = "store_tests.rs"]
    mod store_tests;

    use super::DbFile;
    use rapport::store::Store;
    use rapport::store::cipher::{self, Passphrase};
    use std::path::Path;

    /// The variant's passphrase: not ASCII, with a quote and spaces, as people type them.
    const PASSPHRASE: &str = "Maria's café: 12 croissants, s'il vous plaît";

    fn db_path(dir: &Path, name: &str) -> DbFile {
        let path = dir.join(name);
        assert!(!path.exists(), "{} is made by the test", path.display());
        cipher::remember(&path, Passphrase::new(PASSPHRASE).unwrap());
        DbFile {
            path,
            protected: true,
        }
    }

    fn raw_connection(path: &Path) -> rusqlite::Connection {
        let conn = rusqlite::Connection::open(path).unwrap();
        conn.pragma_update(None, "key", PASSPHRASE).unwrap();
        conn.query_row("SELECT count(*) FROM sqlite_schema", (), |r| {
            r.get::<_, i64>(0)
        })
        .expect("the file opens with the variant's passphrase");
        conn
    }

    fn each_engine(test: impl Fn(Store)) {
        eprintln!("on an encrypted SQLite file");
        let dir = tempfile::tempdir().unwrap();
        let db = db_path(dir.path(), "rapport.sqlite3");
        let store = Store::open(&db).unwrap();
        assert!(store.is_protected());
        test(store);
    }
}
