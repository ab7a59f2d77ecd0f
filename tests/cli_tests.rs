//! The `rapport` binary as a user runs it: real process, real database file.

use crate::common::{rapport, stdout};

#[test]
fn add_list_log_and_history_through_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cli.sqlite3");
    let added = stdout(&rapport(
        &db,
        &[
            "contact",
            "add",
            "--name",
            "Maria García",
            "--email",
            "maria@bakery.example",
            "--email",
            "m.garcia@home.example",
            "--phone",
            "+34 600 111 222",
            "--org",
            "Golden Crust",
            "--title",
            "Owner",
        ],
    ));
    assert!(added.contains("Added contact 1"), "{added}");
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&rapport(&db, &["contacts", "--json"]))).unwrap();
    let first = &json[0];
    assert_eq!(first["id"], 1);
    assert_eq!(first["name"], "Maria García");
    assert_eq!(first["organization"], "Golden Crust");
    assert_eq!(first["title"], "Owner");
    assert_eq!(
        first["emails"],
        serde_json::json!(["maria@bakery.example", "m.garcia@home.example"])
    );
    assert_eq!(first["phones"], serde_json::json!(["+34 600 111 222"]));
    assert_eq!(first["tags"], serde_json::json!([]));

    stdout(&rapport(
        &db,
        &[
            "log",
            "--contact",
            "1",
            "--channel",
            "visit",
            "--purpose",
            "service",
            "--summary",
            "Oven repair follow-up",
            "--at",
            "2026-03-14 15:30",
            "--they-need",
            "A spare thermostat",
        ],
    ));
    stdout(&rapport(
        &db,
        &[
            "log",
            "--contact",
            "1",
            "--channel",
            "meal",
            "--outcome",
            "no-show",
            "--summary",
            "Lunch",
            "--at",
            "2026-04-01 12:00",
        ],
    ));
    let history: serde_json::Value = serde_json::from_str(&stdout(&rapport(
        &db,
        &["history", "--contact", "1", "--json"],
    )))
    .unwrap();
    assert_eq!(history[0]["outcome"], "no_show");
    assert_eq!(history[1]["channel"], "visit");
    assert_eq!(history[1]["at"], "2026-03-14 15:30");
    assert_eq!(history[1]["they_need"], "A spare thermostat");
}

#[test]
fn mistakes_get_a_sentence_on_stderr_and_a_failing_exit() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cli.sqlite3");
    let bad_channel = rapport(&db, &["log", "--contact", "1", "--channel", "fax"]);
    assert!(!bad_channel.status.success());
    assert!(String::from_utf8_lossy(&bad_channel.stderr).contains("not a known channel"));

    let missing = rapport(&db, &["history", "--contact", "42"]);
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("No contact with id 42"));

    stdout(&rapport(&db, &["contact", "add", "--name", "Ada"]));
    let bad_time = rapport(&db, &["log", "--contact", "1", "--at", "next tuesday"]);
    assert!(!bad_time.status.success());
    assert!(String::from_utf8_lossy(&bad_time.stderr).contains("YYYY-MM-DD HH:MM"));

    let not_db = dir.path().join("letter.txt");
    std::fs::write(&not_db, "Dear customer, ".repeat(500)).unwrap();
    let refused = rapport(&not_db, &["contacts"]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("not a Rapport database"));
    assert!(
        std::fs::read_to_string(&not_db)
            .unwrap()
            .starts_with("Dear customer")
    );
}

#[test]
fn demo_fills_a_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.sqlite3");
    let out = stdout(&rapport(
        &db,
        &["demo", "--contacts", "300", "--interactions", "3000"],
    ));
    assert!(
        out.contains("Added 300 demo contacts, 3000 conversations"),
        "{out}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&rapport(&db, &["contacts", "--json"]))).unwrap();
    assert_eq!(json.as_array().unwrap().len(), 300);
}

#[test]
fn follow_ups_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cli.sqlite3");
    stdout(&rapport(&db, &["contact", "add", "--name", "Ada Baker"]));
    let added = stdout(&rapport(
        &db,
        &[
            "followup",
            "add",
            "--contact",
            "1",
            "--due",
            "2020-01-02 15:00",
            "--text",
            "Call back with prices",
        ],
    ));
    assert!(added.contains("due 2020-01-02 15:00"), "{added}");
    stdout(&rapport(
        &db,
        &[
            "followup",
            "add",
            "--contact",
            "1",
            "--due",
            "2999-01-01",
            "--text",
            "Anniversary visit",
            "--by",
            "them",
        ],
    ));
    let all: serde_json::Value =
        serde_json::from_str(&stdout(&rapport(&db, &["followups", "--json"]))).unwrap();
    assert_eq!(all.as_array().unwrap().len(), 2);
    assert_eq!(all[0]["due_time"], "15:00");
    assert_eq!(all[0]["overdue"], true);
    assert_eq!(all[1]["promised_by"], "them");
    let overdue: serde_json::Value = serde_json::from_str(&stdout(&rapport(
        &db,
        &["followups", "--json", "--overdue"],
    )))
    .unwrap();
    assert_eq!(overdue.as_array().unwrap().len(), 1);
    let done = stdout(&rapport(&db, &["followup", "done", "1"]));
    assert!(done.contains("marked done late"), "{done}");
    let again = rapport(&db, &["followup", "done", "1"]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already done late"));
    let bad = rapport(
        &db,
        &[
            "followup",
            "add",
            "--contact",
            "1",
            "--due",
            "someday",
            "--text",
            "x",
        ],
    );
    assert!(String::from_utf8_lossy(&bad.stderr).contains("YYYY-MM-DD"));
    let cadence = stdout(&rapport(&db, &["tag-cadence", "VIP", "14"]));
    assert!(cadence.contains("every 14 days"), "{cadence}");
    assert!(
        !rapport(&db, &["tag-cadence", "VIP", "soon"])
            .status
            .success()
    );
    let ics = dir.path().join("out.ics");
    let wrote = stdout(&rapport(&db, &["export-ics", "-o", ics.to_str().unwrap()]));
    assert!(wrote.contains("Wrote 1 follow-ups"), "{wrote}");
    assert!(
        std::fs::read_to_string(&ics)
            .unwrap()
            .contains("SUMMARY:Anniversary visit — Ada Baker")
    );
}

#[test]
fn import_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cli.sqlite3");
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import/google_current.csv");
    let file = fixture.to_str().unwrap();
    let dry: serde_json::Value = serde_json::from_str(&stdout(&rapport(
        &db,
        &["import", file, "--dry-run", "--json", "--region", "GB"],
    )))
    .unwrap();
    assert_eq!(
        (dry["created"].as_u64(), dry["batch_id"].is_null()),
        (Some(2), true)
    );
    assert_eq!(dry["problems"][0]["row"], 4);
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&rapport(&db, &["contacts", "--json"]))).unwrap();
    assert_eq!(
        json.as_array().unwrap().len(),
        0,
        "a dry run writes nothing"
    );
    let done: serde_json::Value = serde_json::from_str(&stdout(&rapport(
        &db,
        &[
            "import", file, "--json", "--format", "google", "--region", "GB",
        ],
    )))
    .unwrap();
    assert_eq!(done["created"], 2);
    let batch = done["batch_id"].as_i64().unwrap();
    let contacts: serde_json::Value =
        serde_json::from_str(&stdout(&rapport(&db, &["contacts", "--json"]))).unwrap();
    let maria = contacts
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "María García")
        .unwrap();
    assert_eq!(maria["tags"], serde_json::json!(["VIP", "Wholesale"]));
    assert_eq!(maria["phones"][0], "+447911123456");
    let wrong = rapport(&db, &["import", file, "--format", "vcard"]);
    assert!(!wrong.status.success());
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("looks like Google Contacts CSV"));
    let undo = stdout(&rapport(&db, &["undo-import", &batch.to_string()]));
    assert!(undo.contains("removed 2"), "{undo}");
    // The undo command the plain output suggests is one that works.
    let said = stdout(&rapport(&db, &["import", file, "--region", "GB"]));
    let hint = said
        .split("Undo with: rapport ")
        .nth(1)
        .unwrap_or_else(|| panic!("no undo hint in {said}"));
    let args: Vec<&str> = hint.split_whitespace().collect();
    let undone = stdout(&rapport(&db, &args));
    assert!(undone.contains("removed 2"), "{hint}: {undone}");
    let empty = dir.path().join("empty.csv");
    std::fs::write(&empty, "").unwrap();
    let refused = rapport(&db, &["import", empty.to_str().unwrap()]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("The file is empty"));
    // A big file: the first rows one by one, then a count, then the totals.
    let big = dir.path().join("big.csv");
    let mut text = String::from("First Name,Last Name,E-mail 1 - Value\n");
    for i in 0..250 {
        text.push_str(&format!("Person,{i},p{i}@shop.example\n"));
    }
    std::fs::write(&big, text).unwrap();
    let said = stdout(&rapport(
        &db,
        &["import", big.to_str().unwrap(), "--dry-run"],
    ));
    assert_eq!(
        said.lines().filter(|l| l.starts_with("  create")).count(),
        200
    );
    assert!(said.contains("  … and 50 more rows"), "{said}");
    assert!(said.contains("Dry run: would create 250"), "{said}");
    // A file with many rows it cannot use lists the first problems, then a count.
    let messy = dir.path().join("messy.csv");
    let mut text = String::from("First Name,Last Name,E-mail 1 - Value,Notes\n");
    text.push_str("Ana,Lima,ana@shop.example,\n");
    for i in 0..230 {
        text.push_str(&format!(",,,note {i} without a person\n"));
    }
    std::fs::write(&messy, text).unwrap();
    let said = stdout(&rapport(
        &db,
        &["import", messy.to_str().unwrap(), "--dry-run"],
    ));
    let problems = said.lines().filter(|l| l.starts_with("  row ")).count();
    assert_eq!(problems, 200, "{said}");
    assert!(said.contains("  … and 30 more problems"), "{said}");
    assert!(said.contains("Dry run: would create 1,"), "{said}");
}

#[test]
fn export_contacts_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cli.sqlite3");
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import/google_current.csv");
    stdout(&rapport(
        &db,
        &["import", fixture.to_str().unwrap(), "--region", "GB"],
    ));
    let path = |name: &str| dir.path().join(name).to_str().unwrap().to_owned();
    let all = path("all.vcf");
    let said = stdout(&rapport(
        &db,
        &["export-contacts", "--format", "vcard", "-o", &all],
    ));
    assert!(said.starts_with("Wrote 2 contacts as vCard 4.0"), "{said}");
    let text = std::fs::read_to_string(&all).unwrap();
    assert!(text.starts_with("BEGIN:VCARD\r\nVERSION:4.0\r\n"), "{text}");
    // The format follows the extension; --tag and --org narrow who is written.
    let vip = path("vip.csv");
    let said = stdout(&rapport(
        &db,
        &["export-contacts", "--tag", "vip", "-o", &vip],
    ));
    assert!(
        said.starts_with("Wrote 1 contact as Google Contacts CSV"),
        "{said}"
    );
    let harbor = path("harbor.vcf");
    stdout(&rapport(
        &db,
        &["export-contacts", "--org", "harbor hardware", "-o", &harbor],
    ));
    assert!(
        std::fs::read_to_string(&harbor)
            .unwrap()
            .contains("FN:Kenji Tanaka")
    );

    // Each file read back into a new database gives the same contacts.
    let without_ids = |db: &std::path::Path| {
        let mut json: serde_json::Value =
            serde_json::from_str(&stdout(&rapport(db, &["contacts", "--json"]))).unwrap();
        for contact in json.as_array_mut().unwrap() {
            contact.as_object_mut().unwrap().remove("id");
        }
        json
    };
    let original = without_ids(&db);
    let copy = dir.path().join("copy.sqlite3");
    stdout(&rapport(&copy, &["import", &all, "--region", "GB"]));
    assert_eq!(without_ids(&copy), original);
    let from_csv = dir.path().join("from-csv.sqlite3");
    stdout(&rapport(
        &from_csv,
        &["import", &vip, "--format", "google", "--region", "GB"],
    ));
    let maria = without_ids(&from_csv);
    assert_eq!(maria.as_array().unwrap().len(), 1);
    assert_eq!(
        maria[0], original[1],
        "María García, all that the CSV carries"
    );

    // Mistakes: one sentence on stderr, a failing exit, and no file.
    let nobody = path("nobody.vcf");
    let text_file = path("contacts.txt");
    for (args, says) in [
        (
            vec!["export-contacts", "--format", "pdf", "-o", &nobody],
            "not a contact format",
        ),
        (
            vec!["export-contacts", "-o", &text_file],
            "--format vcard|csv",
        ),
        (
            vec!["export-contacts", "--tag", "nobody", "-o", &nobody],
            "Nobody is tagged \"nobody\"",
        ),
        (
            vec!["export-contacts", "--org", "Nowhere Ltd", "-o", &nobody],
            "No organization is called",
        ),
    ] {
        let out = rapport(&db, &args);
        assert!(!out.status.success(), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.trim().lines().count(), 1, "{args:?}: {err}");
        assert!(err.contains(says), "{args:?}: {err}");
    }
    assert!(!std::path::Path::new(&nobody).exists());
    assert!(!std::path::Path::new(&text_file).exists());
}
