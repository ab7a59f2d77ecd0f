//! The customer's right to their data: `rapport contact everything` writes all that is held
//! about one person to one JSON or HTML file, and `rapport contact erase` removes every trace
//! of them from the file (and, with `--from-backups`, from the backups beside it), so that not
//! even the raw bytes of the database keep their name, e-mail or notes.

use crate::common::{at, rapport, stdout};
use rapport::import::parse_file;
use rapport::model::{ContactId, FollowUpDraft, Initiator, InteractionDraft};
use rapport::store::Store;
use std::path::{Path, PathBuf};

/// A note phrase only the erased person's records hold.
const PHRASE: &str = "marmalade hovercraft";

/// A database file with Zebulon Quartermaine (imported from a CSV, then given a second e-mail,
/// a tag and notes with a `<script>`), Keep Other, a conversation with Zebulon alone, one with
/// both, a follow-up rescheduled once and a life event. Returns the file and the two ids.
fn shop(dir: &tempfile::TempDir) -> (PathBuf, ContactId, ContactId) {
    let db = dir.path().join("shop.sqlite3");
    let mut store = Store::open(&db).unwrap();
    let csv = b"Name,E-mail\nZebulon Quartermaine,zeb@quartermaine.example\nKeep Other,keep@other.example\n";
    let parsed = parse_file(csv, "people.csv", "GB", |_| None).unwrap();
    store
        .apply_import("people.csv", "csv", &parsed.contacts)
        .unwrap();
    // A second file about Zebulon merges a phone number in: an import record about them.
    let more =
        b"Name,E-mail,Phone\nZebulon Quartermaine,zeb@quartermaine.example,+44 20 7946 0001\n";
    let parsed = parse_file(more, "more.csv", "GB", |_| None).unwrap();
    store
        .apply_import("more.csv", "csv", &parsed.contacts)
        .unwrap();
    let all = store.all_contacts().unwrap();
    let id_of = |name: &str| {
        all.iter()
            .find(|c| c.draft.display_name == name)
            .unwrap()
            .id
    };
    let (zeb, keep) = (id_of("Zebulon Quartermaine"), id_of("Keep Other"));
    let mut draft = store.contact(zeb).unwrap().draft;
    draft.emails.push(rapport::model::Email {
        label: "home".into(),
        address: "zq@home.example".into(),
    });
    draft.tags = vec!["Regulars".into()];
    draft.family = "Two cats <script>alert('x')</script>".into();
    draft.interests = format!("Loves the {PHRASE}");
    draft.how_we_met = "Met at the Quartermaine fair".into();
    store.update_contact(zeb, &draft).unwrap();
    let mut alone = InteractionDraft::new(at("2026-10-01 10:00"), zeb);
    alone.they_said = format!("Asked about the {PHRASE} again");
    alone.they_need = "A quote by Friday".into();
    store.log_interaction(&alone).unwrap();
    let mut shared = InteractionDraft::new(at("2026-10-05 15:00"), zeb);
    shared.participants.push(keep);
    shared.summary = "Joint meeting about the bakery order".into();
    store.log_interaction(&shared).unwrap();
    let due = at("2026-11-01 09:00").date();
    let follow_up = store
        .add_follow_up(&FollowUpDraft {
            contact_id: zeb,
            organization_id: None,
            interaction_id: None,
            text: "Send the quote".into(),
            notes: String::new(),
            due_date: due,
            due_time: None,
            promised_by: Initiator::Me,
            repeat: None,
        })
        .unwrap();
    store
        .reschedule_follow_up(
            follow_up,
            due + chrono::Duration::days(3),
            None,
            "busy week",
        )
        .unwrap();
    store
        .add_life_event(zeb, due, "moved", "Moved to Quartermaine Street")
        .unwrap();
    store
        .refresh_health(&[zeb, keep], at("2026-11-20 09:00"))
        .unwrap();
    (db, zeb, keep)
}

/// The raw bytes of the database file and its WAL, if any.
fn raw_bytes(db: &Path) -> Vec<u8> {
    let mut bytes = std::fs::read(db).unwrap();
    if let Ok(wal) = std::fs::read(format!("{}-wal", db.display())) {
        bytes.extend(wal);
    }
    bytes
}

/// The traces of Zebulon that must be gone: their name, e-mail, a note phrase, and the words
/// as the search index keeps them (lower case).
fn assert_no_trace(bytes: &[u8], what: &str) {
    for needle in [
        "Zebulon",
        "zebulon",
        "Quartermaine",
        "quartermaine",
        "zeb@quartermaine.example",
        "marmalade",
        "hovercraft",
    ] {
        let found = bytes.windows(needle.len()).any(|w| w == needle.as_bytes());
        assert!(!found, "{needle:?} is still in the bytes of {what}");
    }
}

fn holds(bytes: &[u8], needle: &str) -> bool {
    bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn erase_everything_exports_every_section_as_json() {
    let dir = tempfile::tempdir().unwrap();
    let (db, zeb, _) = shop(&dir);
    let file = dir.path().join("zeb.json");
    let id = zeb.0.to_string();
    let said = stdout(&rapport(
        &db,
        &["contact", "everything", &id, "-o", file.to_str().unwrap()],
    ));
    assert!(said.contains("2 conversations"), "{said}");
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    let contact = &v["contact"];
    assert_eq!(contact["display_name"], "Zebulon Quartermaine");
    assert_eq!(contact["emails"].as_array().unwrap().len(), 2);
    assert_eq!(contact["emails"][1]["address"], "zq@home.example");
    assert_eq!(contact["tags"][0], "Regulars");
    assert_eq!(contact["has_photo"], false);
    assert!(contact["created_at"].as_str().unwrap().contains('T'));
    assert!(
        v["personal_notes"]["interests"]
            .as_str()
            .unwrap()
            .contains(PHRASE)
    );
    assert_eq!(
        v["personal_notes"]["how_we_met"],
        "Met at the Quartermaine fair"
    );
    let conversations = v["conversations"].as_array().unwrap();
    assert_eq!(conversations.len(), 2);
    assert_eq!(conversations[0]["shared_with_others"], true);
    assert_eq!(
        conversations[0]["participants"].as_array().unwrap().len(),
        2
    );
    assert_eq!(conversations[1]["they_need"], "A quote by Friday");
    assert_eq!(conversations[1]["occurred_at"], "2026-10-01T10:00:00");
    let follow_up = &v["follow_ups"][0];
    assert_eq!(follow_up["text"], "Send the quote");
    assert_eq!(follow_up["due_date"], "2026-11-04");
    assert_eq!(follow_up["status"], "open");
    assert_eq!(follow_up["reschedules"][0]["old_due_date"], "2026-11-01");
    assert_eq!(follow_up["reschedules"][0]["note"], "busy week");
    assert_eq!(v["life_events"][0]["kind"], "moved");
    assert_eq!(v["stage_history"].as_array().unwrap().len(), 1);
    assert!(v["relationship_health"]["score"].is_number());
    let origin = &v["origin"];
    assert_eq!(origin["import_batch"]["file_name"], "people.csv");
    assert_eq!(origin["import_batch"]["format"], "csv");
    assert!(
        origin["import_batch"]["started_at"]
            .as_str()
            .unwrap()
            .contains('T')
    );
    let record = &origin["import_records"][0];
    assert_eq!(record["batch"]["file_name"], "more.csv");
    assert_eq!(record["action"], "merged");
    assert!(
        record["previous"]
            .as_str()
            .unwrap()
            .contains("Quartermaine")
    );
    assert_eq!(contact["phones"].as_array().unwrap().len(), 1);
    #[cfg(unix)]
    assert_eq!(mode(&file), 0o600);
}

#[test]
fn erase_everything_as_html_escapes_notes() {
    let dir = tempfile::tempdir().unwrap();
    let (db, zeb, _) = shop(&dir);
    let file = dir.path().join("zeb.html");
    let id = zeb.0.to_string();
    stdout(&rapport(
        &db,
        &["contact", "everything", &id, "-o", file.to_str().unwrap()],
    ));
    let page = std::fs::read_to_string(&file).unwrap();
    assert!(!page.contains("<script"), "a note's script is escaped");
    assert!(page.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
    for shown in [
        "<h2>Conversations</h2>",
        "<h2>Follow-ups</h2>",
        "<h2>Where it came from</h2>",
        "Zebulon Quartermaine",
        "Keep Other",
        "A quote by Friday",
        "busy week",
        "people.csv",
    ] {
        assert!(page.contains(shown), "{shown} missing");
    }
    #[cfg(unix)]
    assert_eq!(mode(&file), 0o600);
    let refused = rapport(&db, &["contact", "everything", &id, "-o", "zeb.txt"]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("FILE.json or FILE.html"));
}

#[test]
fn erase_leaves_no_bytes_of_them() {
    let dir = tempfile::tempdir().unwrap();
    let (db, zeb, keep) = shop(&dir);
    assert!(
        holds(&raw_bytes(&db), "Quartermaine"),
        "the test would prove nothing"
    );
    let said = stdout(&rapport(&db, &["contact", "erase", &zeb.0.to_string()]));
    assert!(said.contains("Erased Zebulon Quartermaine"), "{said}");
    assert!(said.contains("2  e-mail addresses"), "{said}");
    assert!(said.contains("1  conversations only with them"), "{said}");
    assert!(said.contains("1  follow-up reschedules"), "{said}");
    assert!(said.contains("1  import records"), "{said}");
    assert!(said.contains("shared conversations kept"), "{said}");
    assert!(said.contains("This cannot be undone."), "{said}");
    assert_no_trace(&raw_bytes(&db), "the database");
    let store = Store::open(&db).unwrap();
    assert!(store.contact(zeb).is_err());
    let kept = store.contact(keep).unwrap();
    assert_eq!(kept.draft.emails[0].address, "keep@other.example");
    let shared = store.interactions_for_contact(keep, 0, 10).unwrap();
    assert_eq!(shared.len(), 1);
    assert_eq!(shared[0].draft.participants, vec![keep]);
    assert_eq!(
        shared[0].draft.summary,
        "Joint meeting about the bakery order"
    );
    assert_eq!(store.import_batches().unwrap().len(), 2, "the batches stay");
    assert!(store.integrity_problem().unwrap().is_none());
}

#[test]
fn erase_from_backups_too() {
    let dir = tempfile::tempdir().unwrap();
    let (db, zeb, _) = shop(&dir);
    let backup = {
        let store = Store::open(&db).unwrap();
        store.backup_now("manual", at("2026-11-19 08:00")).unwrap()
    };
    assert!(holds(&std::fs::read(&backup).unwrap(), "Quartermaine"));
    let id = zeb.0.to_string();
    let said = stdout(&rapport(&db, &["contact", "erase", &id]));
    assert!(said.contains("still holds them"), "{said}");
    assert!(said.contains("rapport backups --erase-erased"), "{said}");
    assert!(holds(&std::fs::read(&backup).unwrap(), "Quartermaine"));
    // Erased from the database already: the contact is gone, so a second erase is refused;
    // the backups are cleaned by `backups --erase-erased` (its own test).
    let again = rapport(&db, &["contact", "erase", &id, "--from-backups"]);
    assert!(
        !again.status.success(),
        "the contact is gone from the database"
    );

    let dir = tempfile::tempdir().unwrap();
    let (db, zeb, _) = shop(&dir);
    let backup = {
        let store = Store::open(&db).unwrap();
        store.backup_now("manual", at("2026-11-19 08:00")).unwrap()
    };
    let said = stdout(&rapport(
        &db,
        &["contact", "erase", &zeb.0.to_string(), "--from-backups"],
    ));
    assert!(said.contains("Erased them from backup"), "{said}");
    assert_no_trace(&raw_bytes(&backup), "the backup");
    #[cfg(unix)]
    assert_eq!(mode(&backup), 0o600);
    let copy = dir.path().join("copy.sqlite3");
    std::fs::copy(&backup, &copy).unwrap();
    let store = Store::open(&copy).unwrap();
    assert_eq!(store.all_contacts().unwrap().len(), 1);
    let checked = rapport(&copy, &["check"]);
    assert!(checked.status.success(), "{checked:?}");
}

#[test]
fn erase_of_an_id_that_is_not_there_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (db, _, _) = shop(&dir);
    let before = Store::open(&db).unwrap().all_contacts().unwrap();
    let output = rapport(&db, &["contact", "erase", "987654"]);
    assert!(!output.status.success());
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(said.contains("No contact with id 987654."), "{said}");
    assert_eq!(said.trim().lines().count(), 1, "{said}");
    assert_eq!(Store::open(&db).unwrap().all_contacts().unwrap(), before);
}

/// In the window: Contact ▸ Everything we hold… writes the file typed, readable by its owner
/// only; Contact ▸ Erase completely… asks, then erases them here and from the backup, says so,
/// and leaves nothing to undo that could bring them back.
#[test]
fn erase_and_everything_from_the_contact_menu_in_the_window() {
    use crate::common::{Window, app_in, selecting};
    use crate::ui_tests::replace_text;
    use egui_kittest::kittest::Queryable as _;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shop.sqlite3");
    let mut store = Store::open(&db).unwrap();
    let ana = store
        .create_contact(&rapport::model::ContactDraft::named("Ottilie Brandvold"))
        .unwrap();
    store
        .create_contact(&rapport::model::ContactDraft::named("Bea Stone"))
        .unwrap();
    let backup = store.backup_now("manual", at("2026-11-20 08:00")).unwrap();
    let mut h = app_in(store, Window::of(1280.0, 800.0), selecting(Some(ana.0)));
    h.run();
    h.get_by_label("Contact").click();
    h.run();
    h.get_by_label("Everything we hold…").click();
    h.run();
    let file = dir.path().join("ottilie.html");
    replace_text(&mut h, "Save as", file.to_str().unwrap());
    h.get_by_label("Save").click();
    h.run();
    let page = std::fs::read_to_string(&file).expect("the file is written");
    assert!(page.contains("Ottilie Brandvold"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    h.get_by_label("Contact").click();
    h.run();
    h.get_by_label("Erase completely…").click();
    h.run();
    assert!(
        h.query_by_label("Erase Ottilie Brandvold completely?")
            .is_some()
    );
    h.get_by_label("Erase Ottilie Brandvold").click();
    h.run();
    let said = h.state().view.status.clone().unwrap();
    assert!(
        !said.is_error
            && said.text.contains("Erased Ottilie Brandvold")
            && said.text.contains("Erased from 1 backup"),
        "{}",
        said.text
    );
    assert_eq!(h.state().view.undo_top, None, "nothing left to undo");
    let store = h.state().store().unwrap();
    assert_eq!(store.count_contacts("").unwrap(), 1);
    for path in [&db, &backup] {
        let bytes = std::fs::read(path).unwrap();
        assert!(
            !String::from_utf8_lossy(&bytes).contains("Ottilie"),
            "{} still holds her",
            path.display()
        );
    }
}

/// A backup made before someone was erased, restored later (from the command line), does not
/// bring them back: the database remembers the erased UIDs (random ids, not names) and erases
/// them from the restored data again, bytes included.
#[test]
fn erase_then_restore_an_older_backup_does_not_bring_them_back() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shop.sqlite3");
    let mut store = Store::open(&db).unwrap();
    let gone = store
        .create_contact(&rapport::model::ContactDraft::named("Isolde Farrowmere"))
        .unwrap();
    store
        .create_contact(&rapport::model::ContactDraft::named("Bea Stone"))
        .unwrap();
    let older = store.backup_now("manual", at("2026-11-20 08:00")).unwrap();
    let uid = store.contact(gone).unwrap().draft.uid;
    drop(store);
    stdout(&rapport(&db, &["contact", "erase", &gone.0.to_string()]));
    let ledger = Store::open(&db).unwrap().erased_uids().unwrap();
    assert_eq!(
        ledger,
        vec![uid],
        "only her random UID is kept, not her name"
    );
    let restored = stdout(&rapport(&db, &["restore", older.to_str().unwrap()]));
    assert!(
        restored.contains("1 person erased since that backup was made was erased from it again."),
        "{restored}"
    );
    let store = Store::open(&db).unwrap();
    assert_eq!(store.count_contacts("").unwrap(), 1);
    assert_eq!(store.count_contacts("isolde").unwrap(), 0);
    let bytes = std::fs::read(&db).unwrap();
    assert!(!String::from_utf8_lossy(&bytes).contains("Isolde"));
}

/// Erased without `--from-backups`, the backups can still be cleared later: `rapport backups
/// --erase-erased` erases everyone the database has erased from them.
#[test]
fn erase_from_the_backups_later_with_backups_erase_erased() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shop.sqlite3");
    let mut store = Store::open(&db).unwrap();
    let gone = store
        .create_contact(&rapport::model::ContactDraft::named("Ravenna Quistgaard"))
        .unwrap();
    let older = store.backup_now("manual", at("2026-11-20 08:00")).unwrap();
    drop(store);
    let said = stdout(&rapport(&db, &["contact", "erase", &gone.0.to_string()]));
    assert!(said.contains("still"), "{said}");
    assert!(String::from_utf8_lossy(&std::fs::read(&older).unwrap()).contains("Ravenna"));
    let said = stdout(&rapport(&db, &["backups", "--erase-erased"]));
    assert!(
        said.contains("Erased from the backups everyone erased from this database (1 person; 1 backup copy changed)."),
        "{said}"
    );
    assert!(!String::from_utf8_lossy(&std::fs::read(&older).unwrap()).contains("Ravenna"));
    assert!(Store::open(&older).is_ok(), "the backup still opens");
}

/// On a team database erasing is the administrator's, on the server: the window's and the
/// command line's erase are refused with a sentence, and nobody is deleted.
#[test]
fn erase_on_a_team_database_is_refused_and_deletes_nothing() {
    let Some(url) = crate::common::fresh_team_url() else {
        return;
    };
    let mut store = Store::open_team(&url).unwrap();
    let id = store
        .create_contact(&rapport::model::ContactDraft::named("Ottilie Brandvold"))
        .unwrap();
    let err = store.erase_contact(id).unwrap_err();
    assert!(err.to_string().contains("ask its administrator"), "{err}");
    assert_eq!(store.count_contacts("").unwrap(), 1);
    assert_eq!(
        store.contact(id).unwrap().draft.effective_display_name(),
        "Ottilie Brandvold"
    );
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_rapport"))
        .args(["--db", &url, "contact", "erase", &id.0.to_string()])
        .env_remove("RAPPORT_DB")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("ask its administrator"));
    assert_eq!(store.count_contacts("").unwrap(), 1);
}
