//! Crash safety: a child process writes (contacts, conversations, edits, whole imports) and
//! prints each write after it is committed; it is SIGKILLed at random moments, over and over.
//! After every kill the database must pass `PRAGMA integrity_check`, hold every acknowledged
//! write, and hold no half-applied import.

#![cfg(unix)]

use rapport::store::Store;
use std::io::Read as _;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[test]
fn killed_at_random_moments_loses_nothing_acknowledged() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("rapport.sqlite3");
    let csv = dir.path().join("batch.csv");
    let mut rows = String::from("First Name,Last Name,E-mail Address\n");
    for i in 0..200 {
        rows.push_str(&format!("Batch,{i},batch{i}@example.org\n"));
    }
    std::fs::write(&csv, rows).unwrap();
    drop(Store::open(&db).unwrap());
    let mut rng = fastrand::Rng::with_seed(20261122);
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut kills = 0;
    let mut acknowledged_contacts = Vec::new();
    let mut acknowledged_conversations = Vec::new();
    let mut acknowledged_edits = Vec::new();
    let mut acknowledged_imports = Vec::new();
    while kills < 100 && Instant::now() < deadline {
        let mut child = Command::new(env!("CARGO_BIN_EXE_rapport"))
            .arg("--db")
            .arg(&db)
            .args(["stress-writes", "--count", "100000", "--import"])
            .arg(&csv)
            .env_remove("RAPPORT_DB")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(rng.u64(5..120)));
        child.kill().unwrap(); // SIGKILL: no destructors, no flush, no goodbye
        let _ = child.wait();
        kills += 1;
        let mut out = String::new();
        child
            .stdout
            .take()
            .unwrap()
            .read_to_string(&mut out)
            .unwrap();
        for line in out.lines() {
            let parts: Vec<&str> = line.splitn(3, ' ').collect();
            match parts.as_slice() {
                ["contact", id, _] => acknowledged_contacts.push(id.parse::<i64>().unwrap()),
                ["conversation", id, contact] => acknowledged_conversations
                    .push((id.parse::<i64>().unwrap(), contact.parse::<i64>().unwrap())),
                ["edit", id, title] => {
                    acknowledged_edits.push((id.parse::<i64>().unwrap(), title.to_string()))
                }
                ["import", batch, _] => acknowledged_imports.push(batch.parse::<i64>().unwrap()),
                _ => {} // a line cut by the kill was never acknowledged
            }
        }
        // After each kill: the file is healthy and opens.
        let check = rapport::store::backup::check_file(&db);
        assert!(
            matches!(check, rapport::store::backup::FileHealth::Healthy { .. }),
            "after kill {kills}: {check:?}"
        );
    }
    assert!(kills >= 100, "only {kills} kills in the time limit");
    let store = Store::open(&db).unwrap();
    for id in &acknowledged_contacts {
        assert!(
            store.contact(rapport::model::ContactId(*id)).is_ok(),
            "acknowledged contact {id} is missing"
        );
    }
    for (id, contact) in &acknowledged_conversations {
        let conversation = store
            .interaction(rapport::model::InteractionId(*id))
            .expect("acknowledged conversation");
        assert!(
            conversation
                .draft
                .participants
                .contains(&rapport::model::ContactId(*contact))
        );
    }
    for (id, title) in &acknowledged_edits {
        let contact = store.contact(rapport::model::ContactId(*id)).unwrap();
        assert_eq!(
            &contact.draft.title, title,
            "acknowledged edit of {id} is missing"
        );
    }
    // Imports are all or nothing: every recorded batch is complete, and none is half there.
    let conn = rusqlite::Connection::open(&db).unwrap();
    let unfinished: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM import_batches WHERE finished_at IS NULL",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(unfinished, 0, "no half-applied import");
    let batch_contacts: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM contacts WHERE source = 'import'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        batch_contacts % 200,
        0,
        "imported contacts come in whole batches of 200: {batch_contacts}"
    );
    for batch in &acknowledged_imports {
        let finished: Option<String> = conn
            .query_row(
                "SELECT finished_at FROM import_batches WHERE id = ?1",
                [batch],
                |r| r.get(0),
            )
            .unwrap();
        assert!(finished.is_some());
    }
    eprintln!(
        "{kills} kills; {} contacts, {} conversations, {} edits, {} imports acknowledged and all present",
        acknowledged_contacts.len(),
        acknowledged_conversations.len(),
        acknowledged_edits.len(),
        acknowledged_imports.len()
    );
    assert!(!acknowledged_contacts.is_empty());
}
