//! A file protected with a passphrase, on real files: protecting, the wrong passphrase, the
//! bytes on disk, backups encrypted with it, restoring, changing and removing it.

use chrono::NaiveDateTime;
use rapport::model::ContactDraft;
use rapport::store::backup::{self, FileHealth};
use rapport::store::cipher::{self, Passphrase};
use rapport::store::{Store, StoreError};

fn at(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap()
}

fn pass(text: &str) -> Passphrase {
    Passphrase::new(text).unwrap()
}

/// A file with Maria in it and one backup taken before it was protected.
fn shop(dir: &std::path::Path) -> (std::path::PathBuf, Store) {
    let db = dir.join("shop.sqlite3");
    let mut store = Store::open(&db).unwrap();
    let mut maria = crate::common::maria();
    maria.emails = vec![rapport::model::Email {
        label: "work".into(),
        address: "maria@goldencrust.example".into(),
    }];
    maria.personal_notes = "Her mother is in hospital in Porto".into();
    store.create_contact(&maria).unwrap();
    store.backup_now("manual", at("2026-11-30 09:00")).unwrap();
    (db, store)
}

fn raw_holds(path: &std::path::Path, needle: &str) -> bool {
    let bytes = std::fs::read(path).unwrap();
    bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
}

#[test]
fn a_protected_file_and_its_backups_hold_no_readable_byte_and_open_only_with_the_passphrase() {
    let dir = tempfile::tempdir().unwrap();
    let (db, mut store) = shop(dir.path());
    assert!(
        raw_holds(&db, "goldencrust") || {
            // The row may still be in the write-ahead log of the plain file.
            raw_holds(
                std::path::Path::new(&format!("{}-wal", db.display())),
                "goldencrust",
            )
        }
    );
    let done = store.set_passphrase(Some(pass("correct horse"))).unwrap();
    assert!(store.is_protected());
    assert_eq!(done.backups, 1, "{done:?}");
    assert!(done.left.is_empty(), "{done:?}");
    assert_eq!(store.count_contacts("").unwrap(), 1);
    let later = store.backup_now("manual", at("2026-12-01 09:00")).unwrap();
    drop(store);
    for file in std::iter::once(db.clone()).chain(
        backup::list_backups(&db)
            .unwrap()
            .into_iter()
            .map(|b| b.path),
    ) {
        assert!(
            cipher::is_protected(&file),
            "{} is encrypted",
            file.display()
        );
        for needle in ["goldencrust", "Maria", "Porto", "SQLite format 3"] {
            assert!(!raw_holds(&file, needle), "{needle} in {}", file.display());
        }
    }
    assert!(
        backup::list_backups(&db)
            .unwrap()
            .iter()
            .any(|b| b.path == later)
    );

    // Without the passphrase, or with a wrong one: a sentence, and nothing changes.
    cipher::forget(&db);
    let before = std::fs::read(&db).unwrap();
    let err = Store::open(&db).unwrap_err();
    assert!(matches!(err, StoreError::NeedsPassphrase { .. }), "{err}");
    assert!(
        err.to_string().contains("protected with a passphrase"),
        "{err}"
    );
    cipher::remember(&db, pass("Correct horse"));
    let err = Store::open(&db).unwrap_err();
    assert!(matches!(err, StoreError::WrongPassphrase { .. }), "{err}");
    assert!(err.to_string().contains("does not open"), "{err}");
    assert_eq!(
        std::fs::read(&db).unwrap(),
        before,
        "a wrong passphrase changes nothing"
    );
    cipher::remember(&db, pass("correct horse"));
    let store = Store::open(&db).unwrap();
    assert!(store.is_protected());
    let row = &store.contact_rows("", 0, 5).unwrap()[0];
    assert_eq!(row.display_name, "Maria García");
    assert_eq!(
        backup::check_file(&later),
        FileHealth::Healthy {
            schema_version: rapport::store::SCHEMA_VERSION
        }
    );
}

#[test]
fn restoring_into_a_protected_file_works_from_its_backups_and_from_a_plain_file() {
    let dir = tempfile::tempdir().unwrap();
    let (db, mut store) = shop(dir.path());
    let plain_copy = dir.path().join("plain-copy.sqlite3");
    store.backup_to(&plain_copy).unwrap();
    assert!(!cipher::is_protected(&plain_copy));
    store.set_passphrase(Some(pass("tea at five"))).unwrap();
    let backup = store.backup_now("manual", at("2026-12-01 09:00")).unwrap();
    store
        .create_contact(&ContactDraft::named("Ben Okafor"))
        .unwrap();
    assert_eq!(store.count_contacts("").unwrap(), 2);

    store.restore_from(&backup, at("2026-12-01 10:00")).unwrap();
    assert_eq!(store.count_contacts("").unwrap(), 1);
    assert!(store.is_protected());
    store
        .create_contact(&ContactDraft::named("Ben Okafor"))
        .unwrap();
    store
        .restore_from(&plain_copy, at("2026-12-01 11:00"))
        .unwrap();
    assert_eq!(store.count_contacts("").unwrap(), 1);
    drop(store);
    assert!(
        cipher::is_protected(&db),
        "the restored file stays protected"
    );
    assert!(!raw_holds(&db, "goldencrust"));
    let store = Store::open(&db).unwrap();
    assert_eq!(store.count_contacts("").unwrap(), 1);
}

#[test]
fn the_passphrase_can_be_changed_and_removed_with_the_backups() {
    let dir = tempfile::tempdir().unwrap();
    let (db, mut store) = shop(dir.path());
    store.set_passphrase(Some(pass("first"))).unwrap();
    let done = store.set_passphrase(Some(pass("second"))).unwrap();
    assert_eq!((done.backups, done.left.len()), (1, 0), "{done:?}");
    drop(store);
    cipher::remember(&db, pass("first"));
    assert!(matches!(
        Store::open(&db).unwrap_err(),
        StoreError::WrongPassphrase { .. }
    ));
    cipher::remember(&db, pass("second"));
    let mut store = Store::open(&db).unwrap();
    let done = store.set_passphrase(None).unwrap();
    assert_eq!((done.backups, done.left.len()), (1, 0), "{done:?}");
    assert!(!store.is_protected());
    drop(store);
    cipher::forget(&db);
    assert!(!cipher::is_protected(&db));
    let store = Store::open(&db).unwrap();
    assert_eq!(store.count_contacts("").unwrap(), 1);
    for b in backup::list_backups(&db).unwrap() {
        assert!(!cipher::is_protected(&b.path));
        assert!(matches!(
            backup::check_file(&b.path),
            FileHealth::Healthy { .. }
        ));
    }
    let mut store = store;
    let err = store.set_passphrase(None).unwrap_err();
    assert!(err.to_string().contains("no passphrase"), "{err}");
}

#[test]
fn protecting_is_refused_while_another_connection_has_the_file_open() {
    let dir = tempfile::tempdir().unwrap();
    let (db, mut store) = shop(dir.path());
    let other = Store::open(&db).unwrap();
    let err = store.set_passphrase(Some(pass("secret"))).unwrap_err();
    assert!(err.to_string().contains("has this file open"), "{err}");
    assert!(!cipher::is_protected(&db));
    assert!(!store.is_protected());
    assert_eq!(
        store.count_contacts("").unwrap(),
        1,
        "the store still works"
    );
    drop(other);
    store.set_passphrase(Some(pass("secret"))).unwrap();
    assert!(cipher::is_protected(&db));
}

#[test]
fn a_damaged_protected_file_is_called_damaged_not_a_wrong_passphrase_and_its_backup_restores() {
    let dir = tempfile::tempdir().unwrap();
    let (db, mut store) = shop(dir.path());
    store.set_passphrase(Some(pass("tea at five"))).unwrap();
    drop(store);
    let mut bytes = std::fs::read(&db).unwrap();
    for byte in &mut bytes[100..400] {
        *byte ^= 0x5a;
    }
    std::fs::write(&db, &bytes).unwrap();
    let err = Store::open(&db).unwrap_err();
    assert!(matches!(err, StoreError::Corrupt { .. }), "{err:?}");
    assert!(err.to_string().contains("opens its backups"), "{err}");
    let latest = rapport::safety::latest_good_backup(&db).expect("its backup is offered");
    backup::replace_unusable_database(&db, &latest.path, at("2026-12-01 12:00")).unwrap();
    assert!(cipher::is_protected(&db), "restored protected");
    assert_eq!(Store::open(&db).unwrap().count_contacts("").unwrap(), 1);
    // With a wrong passphrase it is still a wrong passphrase.
    cipher::remember(&db, pass("coffee at six"));
    assert!(matches!(
        Store::open(&db).unwrap_err(),
        StoreError::WrongPassphrase { .. }
    ));
}
