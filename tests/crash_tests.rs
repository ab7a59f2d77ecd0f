//! Crash safety: a child process writes (contacts, conversations, edits, whole imports) and
//! prints each write after it is committed; it is SIGKILLed at random moments, over and over.
//! After every kill the database must pass `PRAGMA integrity_check`, hold every acknowledged
//! write, and hold no half-applied import.
//!
//! Run twice (see `main.rs`): on a plain file, and in `encrypted` on one protected with a
//! passphrase, which the child is given in `RAPPORT_PASSPHRASE`.

#![cfg(unix)]

use rapport::store::Store;
use std::io::Read as _;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[test]
fn killed_at_random_moments_loses_nothing_acknowledged() {
    let dir = tempfile::tempdir().unwrap();
    let db = super::db_path(dir.path(), "rapport.sqlite3");
    let csv = dir.path().join("batch.csv");
    let mut rows = String::from("First Name,Last Name,E-mail Address\n");
    for i in 0..200 {
        rows.push_str(&format!("Batch,{i},batch{i}@example.org\n"));
    }
    std::fs::write(&csv, rows).unwrap();
    drop(Store::open(&db).unwrap());
    // The child is given the file's passphrase, as a user of the command line gives it.
    let passphrase = rapport::store::cipher::passphrase_for(&db).map(|p| p.as_str().to_owned());
    assert_eq!(
        passphrase.is_some(),
        rapport::store::cipher::is_protected(&db)
    );
    // The child opens the file before it writes, which takes an encrypted file's key
    // derivation, a fraction of a second on purpose: the kills come that much later, so that
    // they still fall at random moments of its writing (a few while it opens).
    let opening = {
        let started = Instant::now();
        drop(Store::open(&db).unwrap());
        started.elapsed()
    };
    eprintln!("the file opens in {opening:?}");
    let mut rng = fastrand::Rng::with_seed(20261122);
    // Each kill waits for the child's open, then the check opens the file too: the time limit
    // allows for both (next to nothing for a plain file).
    let deadline = Instant::now() + Duration::from_secs(120) + opening * 200;
    let mut kills = 0;
    let mut acknowledged_contacts = Vec::new();
    let mut acknowledged_conversations = Vec::new();
    let mut acknowledged_edits = Vec::new();
    let mut acknowledged_imports = Vec::new();
    let mut kills_in_an_import = 0;
    let said = dir.path().join("writer-stderr.txt");
    while kills < 100 && Instant::now() < deadline {
        let mut command = Command::new(env!("CARGO_BIN_EXE_rapport"));
        command
            .arg("--db")
            .arg(&db)
            .args(["stress-writes", "--count", "100000", "--import"])
            .arg(&csv)
            .env_remove("RAPPORT_DB")
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&said).unwrap());
        match &passphrase {
            Some(passphrase) => command.env("RAPPORT_PASSPHRASE", passphrase),
            None => command.env_remove("RAPPORT_PASSPHRASE"),
        };
        let mut child = command.spawn().unwrap();
        std::thread::sleep(opening + Duration::from_millis(rng.u64(5..120)));
        if let Some(status) = child.try_wait().unwrap() {
            let said = std::fs::read_to_string(&said).unwrap_or_default();
            panic!("the writer stopped by itself ({status}): {said}");
        }
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
        // Every tenth write is followed by an import: a kill after its edit came mid-import.
        let whole_lines = &out[..out.rfind('\n').map_or(0, |end| end + 1)];
        if let Some((_, i)) = whole_lines
            .lines()
            .last()
            .and_then(|l| l.split_once(" Edited "))
            && i.parse::<u64>().is_ok_and(|i| i % 10 == 0)
        {
            kills_in_an_import += 1;
        }
        // After each kill: the file is healthy, opens, and is still encrypted if it was.
        assert_eq!(
            rapport::store::cipher::is_protected(&db),
            passphrase.is_some(),
            "after kill {kills}"
        );
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
    let conn = super::raw_connection(&db);
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
        "{kills} kills ({kills_in_an_import} mid-import); {} contacts, {} conversations, {} edits, {} imports acknowledged and all present",
        acknowledged_contacts.len(),
        acknowledged_conversations.len(),
        acknowledged_edits.len(),
        acknowledged_imports.len()
    );
    assert!(!acknowledged_contacts.is_empty());
    assert!(
        kills_in_an_import > 0 && !acknowledged_imports.is_empty(),
        "imports were killed midway, and others finished"
    );
}
