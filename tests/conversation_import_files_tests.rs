//! E-mails and meetings become conversations (issue 22), from the files (an e-mail, a
//! Thunderbird mailbox, a calendar): through the command line (plan, import, show, undo) and
//! the window (a mailbox dropped on a contact, a protected file on its own keyed connection).
//! The store's side, and the helpers shared here: `conversation_import_tests`.

use crate::common;
use crate::conversation_import_tests::{ME, counts, dump, history, person};
use egui_kittest::kittest::Queryable as _;
use rapport::model::Initiator;
use rapport::store::Store;

/// A mailbox as Thunderbird keeps one (tests/fixtures/conversations): Maria's message with a PDF and Bob in copy, my answer
/// in her thread, a newsletter, and a stranger.
const INBOX: &str = include_str!("fixtures/conversations/Inbox.mbox");

/// A meeting I organized with Bob, ten days ago, cancelled.
fn calendar() -> String {
    let day = chrono::Local::now().date_naive() - chrono::Duration::days(10);
    let day = day.format("%Y%m%d");
    format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Rapport tests//EN\r\nBEGIN:VEVENT\r\n\
         UID:tasting-1@shop.example\r\nDTSTAMP:{day}T090000Z\r\nDTSTART:{day}T150000Z\r\n\
         DTEND:{day}T153000Z\r\nSUMMARY:Fish tasting\r\nSTATUS:CANCELLED\r\n\
         ORGANIZER;CN=Sam Shop:mailto:me@shop.example\r\n\
         ATTENDEE;CN=Bob Okafor;PARTSTAT=ACCEPTED:mailto:bob@fish.example\r\n\
         END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
}

/// The wall-clock time here of a UTC time, as the readers keep it.
fn here(utc: &str) -> chrono::NaiveDateTime {
    common::at(utc)
        .and_utc()
        .with_timezone(&chrono::Local)
        .naive_local()
}

fn files_in(dir: &std::path::Path) -> (std::path::PathBuf, std::path::PathBuf) {
    let inbox = dir.join("Inbox.mbox");
    std::fs::write(&inbox, INBOX).unwrap();
    let meetings = dir.join("meetings.ics");
    std::fs::write(&meetings, calendar()).unwrap();
    (inbox, meetings)
}

fn json(output: &std::process::Output) -> serde_json::Value {
    serde_json::from_str(&common::stdout(output)).unwrap()
}

#[test]
fn conversation_import_from_the_command_line_plans_imports_shows_and_undoes() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("rapport.sqlite3");
    let (maria, bob) = {
        let mut store = Store::open(&db).unwrap();
        let maria = store
            .create_contact(&person("Maria García", "maria@bakery.example"))
            .unwrap();
        let bob = store
            .create_contact(&person("Bob Okafor", "bob@fish.example"))
            .unwrap();
        (maria, bob)
    };
    let before = dump(&Store::open(&db).unwrap());
    let (inbox, meetings) = files_in(dir.path());
    let (inbox, meetings) = (inbox.to_str().unwrap(), meetings.to_str().unwrap());

    let planned = json(&common::rapport(
        &db,
        &["import", inbox, meetings, "--me", ME, "--dry-run", "--json"],
    ));
    assert_eq!(planned["dry_run"], true);
    assert_eq!(planned["format"], "mbox+ics");
    assert_eq!(planned["read"], 5);
    assert_eq!(planned["conversations"], 3);
    assert_eq!(planned["already_in_rapport"], 0);
    assert_eq!(
        planned["per_contact"],
        serde_json::json!([
            {"id": bob.0, "name": "Bob Okafor", "conversations": 2},
            {"id": maria.0, "name": "Maria García", "conversations": 2},
        ])
    );
    assert_eq!(
        planned["unknown_senders"],
        serde_json::json!([{"address": "ana@new.example", "name": "Ana Lima", "messages": 1}])
    );
    assert_eq!(
        planned["skipped"],
        serde_json::json!([{
            "reason": "newsletter or automated sender (List-Id: Bakery News <news.example>)",
            "count": 1
        }])
    );
    assert_eq!(planned["batch_id"], serde_json::Value::Null);
    assert_eq!(
        dump(&Store::open(&db).unwrap()),
        before,
        "a dry run changes nothing"
    );

    // The addresses kept once serve every import after.
    let said = common::stdout(&common::rapport(&db, &["settings", "my-addresses", ME]));
    assert!(said.contains("Your addresses: me@shop.example"), "{said}");
    let listed = common::stdout(&common::rapport(&db, &["settings"]));
    assert!(
        listed.contains("my-addresses   me@shop.example"),
        "{listed}"
    );
    let done = json(&common::rapport(
        &db,
        &["import", inbox, meetings, "--json"],
    ));
    assert_eq!(done["conversations"], 3);
    let batch = done["batch_id"].as_i64().expect("a batch number");

    let history = json(&common::rapport(
        &db,
        &["history", "--contact", &maria.0.to_string(), "--json"],
    ));
    let history = history.as_array().unwrap();
    assert_eq!(history.len(), 2);
    let (reply, prices) = (&history[0], &history[1]);
    assert_eq!(prices["channel"], "email");
    assert_eq!(prices["subject"], "Prices for March");
    assert_eq!(prices["initiated_by"], "them");
    assert_eq!(
        prices["time"],
        here("2026-03-02 10:15")
            .format("%Y-%m-%d %H:%M:%S")
            .to_string()
    );
    assert_eq!(prices["message_id"], "prices-1@bakery.example");
    assert_eq!(prices["thread"], "prices-1@bakery.example");
    assert_eq!(prices["attachments"], serde_json::json!(["prices.pdf"]));
    assert!(
        prices["they_said"]
            .as_str()
            .unwrap()
            .starts_with("Could you send the new prices before Friday?"),
        "{prices}"
    );
    assert_eq!(
        prices["participants"],
        serde_json::json!(["Bob Okafor", "Maria García"])
    );
    assert_eq!(reply["message_id"], "reply-2@shop.example");
    assert_eq!(reply["thread"], "prices-1@bakery.example");
    assert_eq!(reply["initiated_by"], "me");
    let with_bob = json(&common::rapport(
        &db,
        &["history", "--contact", &bob.0.to_string(), "--json"],
    ));
    let tasting = &with_bob[0];
    assert_eq!(tasting["subject"], "Fish tasting");
    assert_eq!(tasting["outcome"], "i_cancelled", "{tasting}");
    assert_eq!(tasting["duration_minutes"], 30);
    assert_eq!(tasting["message_id"], serde_json::Value::Null);
    assert_eq!(tasting["source"], "ics:tasting-1@shop.example#");

    // The same files again: nothing new.
    let again = common::stdout(&common::rapport(&db, &["import", inbox, meetings]));
    assert!(again.contains("Already in Rapport: 3"), "{again}");
    assert!(again.contains(": 0 conversation(s)"), "{again}");

    let undone = common::stdout(&common::rapport(&db, &["undo-import", &batch.to_string()]));
    assert!(undone.contains("Removed 3 conversation(s)."), "{undone}");
    assert_eq!(
        dump(&Store::open(&db).unwrap()),
        before,
        "undo took back exactly the batch"
    );
    assert!(
        !rapport::store::backup::list_backups(&db)
            .unwrap()
            .is_empty(),
        "a backup was taken first"
    );

    // A file of another kind among them is refused with a sentence, and nothing changes.
    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "just some words\n").unwrap();
    let refused = common::rapport(&db, &["import", inbox, text.to_str().unwrap()]);
    assert!(!refused.status.success());
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(
        said.contains("is not an e-mail (.eml), a mailbox (.mbox) or a calendar (.ics) file"),
        "{said}"
    );
}

/// A file dropped on the window, as the windowing integration hands it to egui.
#[derive(Debug)]
struct Dropped(std::path::PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &std::path::Path {
        &self.0
    }

    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

#[test]
fn conversation_import_a_mailbox_dropped_on_a_contact_shows_the_plan_imports_and_undoes() {
    let mut store = Store::open_in_memory().unwrap();
    let maria = store
        .create_contact(&person("Maria García", "maria@bakery.example"))
        .unwrap();
    let bob = store
        .create_contact(&person("Bob Okafor", "bob@fish.example"))
        .unwrap();
    let before = dump(&store);
    let dir = tempfile::tempdir().unwrap();
    let (inbox, _) = files_in(dir.path());
    let mut h = common::app_in(
        store,
        common::Window::of(1100.0, 760.0),
        common::selecting(Some(bob.0)),
    );
    h.run();
    h.input_mut()
        .dropped_files
        .push(std::sync::Arc::new(Dropped(inbox)));
    h.run();
    assert!(h.query_by_label("Import mail and meetings").is_some());
    // No address of mine is known: the mailbox's most frequent one is offered.
    assert!(
        h.query_by_label_contains("Is me@shop.example you?")
            .is_some()
    );
    h.get_by_label("Yes, that's me").click();
    h.run();
    assert!(
        h.query_by_label("2 conversations will be added, with 2 contacts.")
            .is_some()
    );
    // Bob, the contact the file was dropped on, is listed first.
    let plan = h
        .state()
        .view
        .mail_import
        .as_ref()
        .unwrap()
        .plan
        .clone()
        .unwrap();
    assert_eq!(
        counts(&plan),
        [("Bob Okafor".to_owned(), 1), ("Maria García".to_owned(), 2)]
    );
    assert!(
        h.query_by_label_contains("1 message with nobody in Rapport")
            .is_some()
    );
    assert!(
        h.query_by_label_contains("Ana Lima <ana@new.example>: 1")
            .is_some()
    );
    assert!(
        h.query_by_label_contains("newsletter or automated sender")
            .is_some()
    );

    h.get_by_label("Import").click();
    h.run();
    assert!(h.query_by_label("Imported 2 conversations.").is_some());
    assert_eq!(
        h.state().store().unwrap().my_addresses().unwrap(),
        [ME],
        "the address said to be mine is kept"
    );
    h.get_by_label("Close").click();
    h.run();
    assert!(h.state().view.mail_import.is_none());
    // Bob's history shows Maria's message he was copied on.
    assert!(h.query_by_label_contains("Prices for March").is_some());
    let store = h.state().store().unwrap();
    let prices = &history(store, maria)[0];
    assert_eq!(prices.draft.occurred_at, here("2026-03-02 10:15"));
    assert_eq!(prices.draft.initiated_by, Initiator::Them);

    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run();
    assert!(h.query_by_label_contains("Prices for March").is_none());
    assert_eq!(
        dump(h.state().store().unwrap()),
        before,
        "undo took back the whole import"
    );
}

/// Frames until `done` holds (a job on its own thread), at most ten seconds.
fn frames_until(
    h: &mut egui_kittest::Harness<'static, rapport::app::RapportApp>,
    done: impl Fn(&rapport::app::RapportApp) -> bool,
) {
    let started = std::time::Instant::now();
    while !done(h.state()) {
        assert!(started.elapsed().as_secs() < 10, "the job did not finish");
        std::thread::sleep(std::time::Duration::from_millis(20));
        h.step();
    }
    h.run();
}

#[test]
fn conversation_import_on_a_protected_file_runs_on_its_own_keyed_connection() {
    use rapport::store::cipher::{self, Passphrase};
    use rapport::view::conversation_import::MailImportStage;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("rapport.sqlite3");
    cipher::remember(&db, Passphrase::new("Maria's café: 12 croissants").unwrap());
    let mut store = Store::open(&db).unwrap();
    assert!(store.is_protected());
    store.set_my_addresses(&[ME.into()]).unwrap();
    let maria = store
        .create_contact(&person("Maria García", "maria@bakery.example"))
        .unwrap();
    let (inbox, meetings) = files_in(dir.path());
    let mut h = common::app_in(
        store,
        common::Window::of(1100.0, 760.0),
        common::selecting(None),
    );
    h.run();
    h.state_mut().apply(
        rapport::app::Command::PlanMailImport {
            paths: vec![inbox, meetings],
            hint: None,
        },
        &egui::Context::default(),
    );
    let ready = |app: &rapport::app::RapportApp| {
        app.view
            .mail_import
            .as_ref()
            .is_some_and(|d| d.stage == MailImportStage::Ready)
    };
    frames_until(&mut h, ready);
    assert!(
        h.query_by_label_contains("Inbox.mbox and 1 more file")
            .is_some()
    );
    assert!(
        h.query_by_label("2 conversations will be added, with 1 contact.")
            .is_some()
    );
    h.get_by_label("Import").click();
    h.run();
    frames_until(&mut h, |app| {
        matches!(
            app.view.mail_import.as_ref().map(|d| &d.stage),
            Some(MailImportStage::Done { .. })
        )
    });
    assert!(h.query_by_label("Imported 2 conversations.").is_some());
    assert_eq!(
        h.state()
            .store()
            .unwrap()
            .count_interactions(maria)
            .unwrap(),
        2
    );
    let backups = rapport::store::backup::list_backups(&db).unwrap();
    assert!(
        backups.iter().all(|b| cipher::is_protected(&b.path)) && !backups.is_empty(),
        "the backup taken first is encrypted too"
    );
    drop(h);
    cipher::forget(&db);
}
