//! The safety net on real files: backups and restore, rotation on disk, damaged and locked
//! databases refused without touching them, private file permissions, first-run choices.
//!
//! Run twice (see `main.rs`): on plain files, and in `encrypted` on files protected with a
//! passphrase (the files come from `super::db_path`).

use crate::common::rapport;
use chrono::NaiveDateTime;
use egui_kittest::{Harness, kittest::Queryable as _};
use rapport::app::launch::{Launcher, Opening};
use rapport::app::{Prefs, RapportApp};
use rapport::model::ContactDraft;
use rapport::store::backup::{self, FileHealth};
use rapport::store::{Store, StoreError};

fn at(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap()
}

#[test]
fn backup_and_restore_round_trip_keeps_a_copy_of_what_was_there() {
    let dir = tempfile::tempdir().unwrap();
    let db = super::db_path(dir.path(), "rapport.sqlite3");
    let mut store = Store::open(&db).unwrap();
    store
        .create_contact(&ContactDraft::named("Before the backup"))
        .unwrap();
    let copy = store.backup_now("manual", at("2026-03-01 09:00")).unwrap();
    assert_eq!(
        backup::check_file(&copy),
        FileHealth::Healthy {
            schema_version: rapport::store::SCHEMA_VERSION
        }
    );
    store
        .create_contact(&ContactDraft::named("After the backup"))
        .unwrap();
    let safety = store.restore_from(&copy, at("2026-03-02 09:00")).unwrap();
    assert_eq!(store.count_contacts("").unwrap(), 1, "back to the backup");
    assert_eq!(
        store.contact_rows("", 0, 5).unwrap()[0].display_name,
        "Before the backup"
    );
    // What was there before the restore is kept.
    let kept = Store::open(&safety).unwrap();
    assert_eq!(kept.count_contacts("").unwrap(), 2);
    drop(kept);
    // And the restored store still works.
    store.create_contact(&ContactDraft::named("Later")).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for b in backup::list_backups(&dir.path().join("rapport.sqlite3")).unwrap() {
            let mode = std::fs::metadata(&b.path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "{} must be private", b.path.display());
        }
    }
    // A file that is not a backup is refused and nothing changes.
    let junk = dir.path().join("junk.sqlite3");
    std::fs::write(&junk, b"not a database at all").unwrap();
    let err = store
        .restore_from(&junk, at("2026-03-03 09:00"))
        .unwrap_err();
    assert!(err.to_string().contains("cannot be restored"), "{err}");
    assert_eq!(store.count_contacts("").unwrap(), 2);
}

#[test]
fn two_databases_in_one_folder_keep_their_backups_apart() {
    let dir = tempfile::tempdir().unwrap();
    let shop_db = super::db_path(dir.path(), "rapport.sqlite3");
    let demo_db = super::db_path(dir.path(), "rapport-demo.sqlite3");
    let mut shop = Store::open(&shop_db).unwrap();
    shop.create_contact(&ContactDraft::named("Real customer"))
        .unwrap();
    let demo = Store::open(&demo_db).unwrap();
    let start = at("2026-01-01 09:00");
    // The shop's one backup, then forty days of the demo's daily backups in the same folder.
    let shop_copy = shop.backup_now("manual", start).unwrap();
    assert_eq!(
        shop_copy.file_name().unwrap().to_string_lossy(),
        "rapport-2026-01-01T090000_manual.sqlite3",
        "the default database keeps the names it always had"
    );
    for day in 1..40 {
        demo.backup_now("daily", start + chrono::Duration::days(day))
            .unwrap();
    }
    // The demo's rotation never removed the shop's copy, and neither lists the other's.
    assert!(shop_copy.exists());
    let shop_list = backup::list_backups(&dir.path().join("rapport.sqlite3")).unwrap();
    assert_eq!(shop_list.len(), 1);
    assert_eq!(shop_list[0].path, shop_copy);
    let demo_list = backup::list_backups(&dir.path().join("rapport-demo.sqlite3")).unwrap();
    assert!((9..=11).contains(&demo_list.len()), "{}", demo_list.len());
    assert!(demo_list.iter().all(|b| b.path != shop_copy));
    // A damaged shop database is offered its own copy, not the demo's newer ones.
    drop(shop);
    let offered = rapport::safety::latest_good_backup(&dir.path().join("rapport.sqlite3")).unwrap();
    assert_eq!(offered.path, shop_copy);
}

#[test]
fn daily_backups_rotate_on_disk() {
    let dir = tempfile::tempdir().unwrap();
    let db = super::db_path(dir.path(), "rapport.sqlite3");
    let store = Store::open(&db).unwrap();
    let start = at("2026-01-01 09:00");
    for day in 0..40 {
        let now = start + chrono::Duration::days(day);
        assert!(store.backup_if_stale(now).unwrap().is_some(), "one a day");
        assert!(
            store
                .backup_if_stale(now + chrono::Duration::hours(3))
                .unwrap()
                .is_none(),
            "not twice a day"
        );
    }
    let kept = backup::list_backups(&dir.path().join("rapport.sqlite3")).unwrap();
    assert!(
        kept.len() <= 11 && kept.len() >= 9,
        "7 daily + 4 weekly at most: {}",
        kept.len()
    );
    assert_eq!(kept[0].taken_at, start + chrono::Duration::days(39));
}

#[test]
fn a_damaged_database_is_refused_checked_and_restored_without_losing_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = super::db_path(dir.path(), "rapport.sqlite3");
    {
        let mut store = Store::open(&db).unwrap();
        store.create_contact(&ContactDraft::named("Ada")).unwrap();
        store.backup_now("daily", at("2026-03-01 09:00")).unwrap();
    }
    // Damage the header: the file is no longer a database. An encrypted file begins with its
    // salt instead: damaged, its first page no longer decrypts, which looks like a wrong
    // passphrase to SQLCipher, and is told from one by the backups the passphrase opens.
    let encrypted = rapport::store::cipher::is_protected(&db);
    let mut bytes = std::fs::read(&db).unwrap();
    bytes[..16].copy_from_slice(b"garbage garbage!");
    std::fs::write(&db, &bytes).unwrap();
    let err = Store::open(&db).unwrap_err();
    match encrypted {
        false => assert!(matches!(err, StoreError::NotADatabase { .. }), "{err:?}"),
        true => assert!(matches!(err, StoreError::Corrupt { .. }), "{err:?}"),
    }
    assert_eq!(std::fs::read(&db).unwrap(), bytes, "never overwritten");

    let check = rapport(&db, &["check"]);
    assert!(!check.status.success());
    let said = String::from_utf8_lossy(&check.stderr);
    assert!(
        said.contains("The database has a problem") && said.contains("latest good backup"),
        "{said}"
    );
    let latest = rapport::safety::latest_good_backup(&db).unwrap();
    let restored = rapport(&db, &["restore", latest.path.to_str().unwrap()]);
    assert!(
        restored.status.success(),
        "{}",
        String::from_utf8_lossy(&restored.stderr)
    );
    assert!(String::from_utf8_lossy(&restored.stdout).contains("The damaged file was kept as"));
    assert_eq!(Store::open(&db).unwrap().count_contacts("").unwrap(), 1);
    let aside: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains("damaged"))
        .collect();
    assert_eq!(
        std::fs::read(aside[0].path()).unwrap(),
        bytes,
        "the damaged file is kept as it was"
    );
    let ok = rapport(&db, &["check"]);
    assert!(String::from_utf8_lossy(&ok.stdout).contains("healthy"));
}

#[test]
fn a_second_window_on_the_same_database_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = super::db_path(dir.path(), "rapport.sqlite3");
    let first = rapport::safety::lock_database(&db).unwrap();
    let second = rapport::safety::lock_database(&db).unwrap_err();
    assert!(matches!(second, StoreError::Locked));
    assert!(second.to_string().contains("in use by another program"));
    drop(first);
    assert!(
        rapport::safety::lock_database(&db).is_ok(),
        "free again once the first window closes"
    );
}

#[test]
fn backup_commands_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = super::db_path(dir.path(), "rapport.sqlite3");
    if rapport::store::cipher::passphrase_for(&db).is_some() {
        // The command line makes a new file plain (RAPPORT_PASSPHRASE only opens a protected
        // one; `rapport protect` protects it): the encrypted variant's is made here.
        drop(Store::open(&db).unwrap());
    }
    assert!(
        rapport(&db, &["contact", "add", "--name", "Ada"])
            .status
            .success()
    );
    let out = rapport(&db, &["backup"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("Backed up to"));
    let file = dir.path().join("copy.sqlite3");
    assert!(
        rapport(&db, &["backup", "-o", file.to_str().unwrap()])
            .status
            .success()
    );
    assert_eq!(
        rapport::store::cipher::is_protected(&file),
        rapport::store::cipher::is_protected(&db),
        "a backup is encrypted as its database is"
    );
    let again = rapport(&db, &["backup", "-o", file.to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&again.stderr).contains("nothing was overwritten"));
    let list = String::from_utf8_lossy(&rapport(&db, &["backups"]).stdout).into_owned();
    assert!(list.contains("manual"), "{list}");
}

#[test]
fn first_run_offers_demo_data_in_a_separate_database_and_the_way_back() {
    let dir = tempfile::tempdir().unwrap();
    let db = super::db_path(dir.path(), "rapport.sqlite3");
    let store = Store::open(&db).unwrap();
    let lock = rapport::safety::lock_database(&db).unwrap();
    let mut slot = Some((store, lock));
    let db_for_app = db.to_path_buf();
    let mut h = Harness::builder()
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
    h.run();
    assert!(
        h.query_by_label("🎭 Try with demo data").is_some(),
        "the welcome offers demo data"
    );
    assert!(h.query_by_label("➕ Start empty").is_some());
    h.get_by_label("🎭 Try with demo data").click();
    h.run();
    assert!(h.query_by_label_contains("DEMO DATA").is_some());
    assert!(h.query_by_label("300 contacts").is_some());
    assert!(
        dir.path().join("rapport-demo.sqlite3").exists(),
        "a separate file"
    );
    h.get_by_label("⬅ Back to my own contacts").click();
    h.run();
    assert!(h.query_by_label_contains("DEMO DATA").is_none());
    assert!(
        h.query_by_label("0 contacts").is_some(),
        "the user's own, still empty"
    );
    assert_eq!(Store::open(&db).unwrap().count_contacts("").unwrap(), 0);
}

#[test]
fn while_a_file_opens_slowly_the_window_says_so_then_shows_the_contacts() {
    let dir = tempfile::tempdir().unwrap();
    let db = super::db_path(dir.path(), "rapport.sqlite3");
    {
        let mut store = Store::open(&db).unwrap();
        store
            .create_contact(&ContactDraft {
                display_name: "Ines Duarte".into(),
                ..ContactDraft::default()
            })
            .unwrap();
    }
    // The file "opens" when the test says so, as a migration on a big file would finish.
    let (sender, receiver) = std::sync::mpsc::channel();
    let mut slot = Some(receiver);
    let db_for_app = db.to_path_buf();
    let mut h = Harness::builder()
        .with_size(egui::vec2(1000.0, 600.0))
        .with_max_steps(16)
        .build_eframe(move |cc| {
            rapport::ui::install_style(&cc.egui_ctx);
            Launcher::new(
                &cc.egui_ctx,
                Opening::Waiting(slot.take().unwrap()),
                Prefs::default(),
                db_for_app.clone(),
                None,
            )
        });
    // The spinner keeps asking for frames: step instead of running to rest.
    h.step();
    assert!(h.query_by_label("Opening your Rapport file…").is_some());
    assert!(
        h.query_by_label_contains("saves a copy of your file")
            .is_some()
    );
    assert!(h.state().app().is_none());

    sender
        .send((Store::open(&db), rapport::safety::lock_database(&db).ok()))
        .unwrap();
    h.run();
    assert!(h.query_by_label("Opening your Rapport file…").is_none());
    assert!(
        h.query_by_label_contains("Ines Duarte").is_some(),
        "the contacts appear"
    );
    assert!(h.state().app().unwrap().store().is_some());
}

#[test]
fn the_window_offers_a_backup_for_a_damaged_file_but_not_for_a_locked_one() {
    let dir = tempfile::tempdir().unwrap();
    let db = super::db_path(dir.path(), "rapport.sqlite3");
    {
        let store = Store::open(&db).unwrap();
        store.backup_now("daily", at("2026-03-01 09:00")).unwrap();
    }
    let build = |db: std::path::PathBuf, result: Result<Store, StoreError>| {
        let mut slot = Some(result);
        Harness::builder()
            .with_size(egui::vec2(1000.0, 600.0))
            .build_eframe(move |cc| {
                // The window's own start: the launcher, given what opening the file gave.
                rapport::ui::install_style(&cc.egui_ctx);
                Launcher::new(
                    &cc.egui_ctx,
                    Opening::Done(Box::new((slot.take().unwrap(), None))),
                    Prefs::default(),
                    db.clone(),
                    None,
                )
            })
    };
    let held = rapport::safety::lock_database(&db).unwrap();
    let mut locked = build(
        db.to_path_buf(),
        rapport::safety::lock_database(&db).map(|_| unreachable!()),
    );
    locked.run();
    assert!(
        locked
            .query_by_label_contains("in use by another program")
            .is_some()
    );
    assert!(
        locked
            .query_by_label("Restore the latest good backup")
            .is_none(),
        "a locked file is not damaged"
    );

    drop(locked);
    drop(held);
    std::fs::write(&db, b"this file was overwritten by something else").unwrap();
    let mut damaged = build(db.to_path_buf(), Store::open(&db));
    damaged.run();
    damaged
        .get_by_label("Restore the latest good backup")
        .click();
    damaged.run();
    assert!(
        damaged
            .query_by_label_contains("The damaged file was kept as")
            .is_some()
    );
    assert_eq!(
        damaged
            .state()
            .app()
            .unwrap()
            .store()
            .unwrap()
            .count_contacts("")
            .unwrap(),
        0
    );
}

#[test]
fn an_import_runs_on_its_own_thread_with_progress_and_the_window_keeps_drawing() {
    use egui::accesskit::Role;
    let dir = tempfile::tempdir().unwrap();
    let db = super::db_path(dir.path(), "rapport.sqlite3");
    let csv_path = dir.path().join("many.csv");
    let mut text = String::from("First Name,Last Name,Company,E-mail Address\n");
    for i in 0..3000 {
        text.push_str(&format!("Ada{i},Baker,Golden Crust,ada{i}@example.org\n"));
    }
    std::fs::write(&csv_path, text).unwrap();
    let store = Store::open(&db).unwrap();
    let mut slot = Some(store);
    let db_for_app = db.to_path_buf();
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .with_max_steps(16)
        .build_eframe(move |cc| {
            rapport::ui::install_style(&cc.egui_ctx);
            let mut app = RapportApp::with_store(Ok(slot.take().unwrap()), Prefs::default());
            app.attach_file(db_for_app.clone(), None, None);
            app.view.first_run = false;
            app
        });
    h.run();
    // The launch's daily backup, on its own thread, is let finish first: opening an encrypted
    // file takes a while, and finishing after the import's backup, in the same second, it would
    // be kept as that day's backup and the import's removed (rotation keeps the later of a day's
    // backups, and on a tie the one whose name sorts last).
    let started = std::time::Instant::now();
    while backup::list_backups(&db).unwrap().is_empty() {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(60),
            "the daily backup should be taken"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::I);
    h.run();
    h.get_by_role_and_label(Role::TextInput, "File").focus();
    h.run();
    h.get_by_role_and_label(Role::TextInput, "File")
        .type_text(csv_path.to_str().unwrap());
    h.run();
    h.get_by_label("Read file").click();
    h.run();
    assert!(h.query_by_label_contains("Will create 3000").is_some());
    h.get_by_label("Import").click();
    // Step frames (the window keeps drawing) until the import thread reports back.
    let started = std::time::Instant::now();
    while h.query_by_label_contains("Imported many.csv").is_none() {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(60),
            "the import should finish"
        );
        h.step();
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert!(
        h.query_by_label_contains("Imported many.csv: 3000 new")
            .is_some()
    );
    assert_eq!(h.state().store().unwrap().count_contacts("").unwrap(), 3000);
    let backups = backup::list_backups(&dir.path().join("rapport.sqlite3")).unwrap();
    assert!(
        backups.iter().any(|b| b.reason == "before-import"),
        "a backup before the import"
    );
}
