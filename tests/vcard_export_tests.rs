//! vCard export that address books accept: every contact has a stable `UID` (made by the
//! migration for contacts that existed before, at creation for new ones, kept from a vCard
//! that carries one), cards carry `REV` and Rapport's `PRODID`, a re-import of Rapport's own
//! export merges by UID and changes nothing, vCard 3.0 is valid 3.0 and reads back field for
//! field; and real readers — khard, Python's vobject, LibreOffice for the Google CSV — read
//! the exports (`common::reader_available` skips them when missing, unless CI requires them).

use crate::common::each_engine;
use crate::common::reader_available;
use rapport::import::{ImportedContact, parse_file};
use rapport::model::{Birthday, ContactDraft, Email, Phone, ReportScope};
use rapport::report::contacts::{CardVersion, ContactFormat, vcard_cards};
use rapport::store::Store;
use rapport::store::import::{Action, MatchRule};
use std::collections::BTreeSet;
use std::path::Path;

const REGION: &str = "US";

/// `urn:uuid:` and a UUID in lower case: version 4 (made by migration 5) or 7 (new contacts).
fn is_uuid_urn(uid: &str) -> bool {
    regex::Regex::new(
        r"^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[47][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$",
    )
    .unwrap()
    .is_match(uid)
}

/// A store filled with `n` demo contacts.
fn demo(n: usize) -> Store {
    let mut store = Store::open_in_memory().unwrap();
    let now = chrono::NaiveDate::from_ymd_opt(2026, 3, 1)
        .unwrap()
        .and_hms_opt(9, 0, 0)
        .unwrap();
    rapport::demo::fill(&mut store, n, 0, now, |_, _| {}).unwrap();
    store
}

fn parsed(text: &str, name: &str) -> Vec<ImportedContact> {
    let parsed = parse_file(text.as_bytes(), name, REGION, |_| None).unwrap();
    assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
    parsed.contacts
}

fn uids(store: &Store) -> Vec<String> {
    store
        .contacts_for_export(&ReportScope::Everyone)
        .unwrap()
        .into_iter()
        .map(|c| c.uid)
        .collect()
}

fn ada() -> ContactDraft {
    ContactDraft {
        given_name: "Ada".into(),
        family_name: "Baker".into(),
        organization: "Golden Crust".into(),
        emails: vec![Email {
            label: "work".into(),
            address: "ada@goldencrust.example".into(),
        }],
        phones: vec![Phone {
            label: "mobile".into(),
            number: "+447911123456".into(),
        }],
        birthday: Birthday::new(None, 12, 1),
        ..ContactDraft::default()
    }
}

// ----- the UID in the store ----------------------------------------------------------------

#[test]
fn a_new_contact_gets_a_uid_that_edits_keep() {
    each_engine(|mut store| {
        let id = store.create_contact(&ada()).unwrap();
        let other = store.create_contact(&ContactDraft::named("Bo")).unwrap();
        let uid = store.contact(id).unwrap().draft.uid;
        assert!(is_uuid_urn(&uid), "{uid}");
        assert_ne!(uid, store.contact(other).unwrap().draft.uid);
        // The form's draft carries the UID as loaded; a draft without one (the command line's)
        // changes nothing either.
        let mut edited = store.contact(id).unwrap().draft;
        edited.title = "Owner".into();
        edited.emails[0].address = "ada@new.example".into();
        store.update_contact(id, &edited).unwrap();
        assert_eq!(store.contact(id).unwrap().draft.uid, uid);
        store
            .update_contact(
                id,
                &ContactDraft {
                    uid: String::new(),
                    ..edited.clone()
                },
            )
            .unwrap();
        assert_eq!(store.contact(id).unwrap().draft.uid, uid);
        store.trash_contact(id).unwrap();
        store.restore_contact(id).unwrap();
        assert_eq!(store.contact(id).unwrap().draft.uid, uid);
    });
}

#[test]
fn the_migration_gives_every_existing_contact_its_own_uid() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.sqlite3");
    {
        let mut store = Store::open(&path).unwrap();
        for n in 0..50 {
            store
                .create_contact(&ContactDraft::named(&format!("Person {n}")))
                .unwrap();
        }
    }
    {
        // What schema 4 was: no UID column (and no photos, migration 6).
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(crate::common::BEFORE_MIGRATION_9)
            .unwrap();
        conn.execute_batch(crate::common::BEFORE_MIGRATION_7)
            .unwrap();
        conn.execute_batch(
            "DROP INDEX contacts_by_uid; ALTER TABLE contacts DROP COLUMN uid;
             DROP TABLE contact_photos;
             PRAGMA user_version = 4;",
        )
        .unwrap();
    }
    let store = Store::open(&path).unwrap();
    let uids = uids(&store);
    assert_eq!(uids.len(), 50);
    assert!(uids.iter().all(|u| is_uuid_urn(u)), "{uids:?}");
    assert_eq!(
        uids.iter().collect::<BTreeSet<_>>().len(),
        50,
        "all different"
    );
}

// ----- import by UID -----------------------------------------------------------------------

#[test]
fn reimporting_rapports_own_export_merges_by_uid_and_changes_nothing() {
    let mut store = demo(150);
    let before = store.contacts_for_export(&ReportScope::Everyone).unwrap();
    for version in [CardVersion::V4, CardVersion::V3] {
        let cards = store.exported_contacts(&ReportScope::Everyone).unwrap();
        // Read with the demo's custom fields, as an import into this database reads.
        let options = rapport::import::ReadOptions {
            custom_fields: store
                .custom_fields(rapport::model::custom_field::AppliesTo::Contact)
                .unwrap(),
            ..Default::default()
        };
        let text = vcard_cards(&cards, version);
        let read = rapport::import::parse_file_with(
            text.as_bytes(),
            "rapport.vcf",
            REGION,
            |_| None,
            &options,
        )
        .unwrap();
        assert!(read.problems.is_empty(), "{:?}", read.problems);
        let contacts = read.contacts;
        assert_eq!(contacts.len(), 150);
        let plan = store.plan_import(&contacts).unwrap();
        assert_eq!(plan.unchanged(), 150, "{version:?}: {:?}", plan.actions);
        assert!(
            plan.actions.iter().all(|a| matches!(
                a,
                Action::Unchanged {
                    rule: MatchRule::Uid,
                    ..
                }
            )),
            "{version:?}"
        );
        store
            .apply_import("rapport.vcf", "vCard", &contacts)
            .unwrap();
        assert_eq!(
            store.contacts_for_export(&ReportScope::Everyone).unwrap(),
            before,
            "{version:?}"
        );
    }
}

#[test]
fn the_uid_rule_comes_before_the_e_mail_rule() {
    each_engine(|mut store| {
        let ada_id = store.create_contact(&ada()).unwrap();
        // Someone else already has the address Ada's card now gives.
        store
            .create_contact(&ContactDraft {
                display_name: "Shop".into(),
                emails: vec![Email {
                    label: String::new(),
                    address: "shop@goldencrust.example".into(),
                }],
                ..ContactDraft::default()
            })
            .unwrap();
        let cards = store
            .exported_contacts(&ReportScope::Contact(ada_id))
            .unwrap();
        let text = vcard_cards(&cards, CardVersion::V4)
            .replace("ada@goldencrust.example", "shop@goldencrust.example");
        let contacts = parsed(&text, "ada.vcf");
        let plan = store.plan_import(&contacts).unwrap();
        match &plan.actions[0] {
            Action::Merge {
                contact,
                rule,
                changes,
                ..
            } => {
                assert_eq!((*contact, *rule), (ada_id, MatchRule::Uid));
                assert_eq!(MatchRule::Uid.label(), "same UID");
                assert_eq!(changes, &["added e-mail shop@goldencrust.example"]);
            }
            other => panic!("{other:?}"),
        }
    });
}

#[test]
fn a_uid_from_another_program_is_kept_and_written_back() {
    each_engine(|mut store| {
        let card = |name: &str, uid: &str| {
            format!(
                "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:{name}\r\nN:;{name};;;\r\nUID:{uid}\r\nEND:VCARD\r\n"
            )
        };
        // The same UID twice in one file: one contact keeps it, the other gets its own.
        let text = [
            card("Kenji", "4B3F-ABC@icloud.example"),
            card("Bo", "4B3F-ABC@icloud.example"),
            card("Cy", &"x".repeat(300)),
        ]
        .concat();
        let contacts = parsed(&text, "phone.vcf");
        assert_eq!(contacts[0].draft.uid, "4B3F-ABC@icloud.example");
        store.apply_import("phone.vcf", "vCard", &contacts).unwrap();
        let stored = store.contacts_for_export(&ReportScope::Everyone).unwrap();
        let uid_of = |name: &str| {
            stored
                .iter()
                .find(|c| c.display_name == name)
                .unwrap()
                .uid
                .clone()
        };
        assert_eq!(uid_of("Kenji"), "4B3F-ABC@icloud.example");
        assert!(is_uuid_urn(&uid_of("Bo")), "{}", uid_of("Bo"));
        assert!(is_uuid_urn(&uid_of("Cy")), "a 300-byte UID is not kept");
        let cards = store.exported_contacts(&ReportScope::Everyone).unwrap();
        assert!(
            vcard_cards(&cards, CardVersion::V4).contains("\r\nUID:4B3F-ABC@icloud.example\r\n")
        );
        // The same file again finds Kenji by the UID.
        let plan = store
            .plan_import(&parsed(&card("Kenji", "4B3F-ABC@icloud.example"), "x.vcf"))
            .unwrap();
        assert!(matches!(
            plan.actions[0],
            Action::Unchanged {
                rule: MatchRule::Uid,
                ..
            }
        ));
    });
}

// ----- what the cards say ------------------------------------------------------------------

#[test]
fn every_card_has_uid_rev_and_prodid() {
    each_engine(|mut store| {
        store.set_clock(
            chrono::NaiveDate::from_ymd_opt(2026, 11, 20)
                .unwrap()
                .and_hms_opt(9, 5, 7)
                .unwrap()
                .and_utc(),
        );
        let id = store.create_contact(&ada()).unwrap();
        let uid = store.contact(id).unwrap().draft.uid;
        let cards = store.exported_contacts(&ReportScope::Everyone).unwrap();
        let product = format!(
            "PRODID:-//Rapport//Rapport {}//EN",
            env!("CARGO_PKG_VERSION")
        );
        for version in [CardVersion::V4, CardVersion::V3] {
            let text = vcard_cards(&cards, version);
            let lines: Vec<&str> = text.split("\r\n").collect();
            assert_eq!(lines[2], product, "{version:?}");
            assert!(lines.contains(&format!("UID:{uid}").as_str()), "{text}");
            assert!(lines.contains(&"REV:20261120T090507Z"), "{text}");
        }
    });
}

#[test]
fn vcard_3_is_valid_3_0_and_reads_back_field_for_field() {
    each_engine(|mut store| {
        let mut contact = ada();
        contact.emails.push(Email {
            label: "bakery shop".into(),
            address: "shop@goldencrust.example".into(),
        });
        contact.personal_notes = "Zoë — likes jazz".into();
        store.create_contact(&contact).unwrap();
        store
            .create_contact(&ContactDraft {
                birthday: Birthday::new(Some(1980), 7, 4),
                ..ContactDraft::named("Bo Stone")
            })
            .unwrap();
        let stored = store.contacts_for_export(&ReportScope::Everyone).unwrap();
        let cards = store.exported_contacts(&ReportScope::Everyone).unwrap();
        let text = vcard_cards(&cards, CardVersion::V3);
        let lines: Vec<&str> = text.split("\r\n").collect();
        assert_eq!(lines.iter().filter(|l| **l == "VERSION:3.0").count(), 2);
        assert!(
            lines.contains(&"EMAIL;TYPE=INTERNET,WORK,pref:ada@goldencrust.example"),
            "{text}"
        );
        assert!(
            lines.contains(&"TEL;TYPE=CELL,pref:+447911123456"),
            "{text}"
        );
        assert!(
            lines.contains(&"BDAY;X-APPLE-OMIT-YEAR=1604:1604-12-01"),
            "{text}"
        );
        assert!(lines.contains(&"BDAY:1980-07-04"), "{text}");
        assert!(
            lines.contains(&"NOTE:Zoë — likes jazz"),
            "UTF-8, no CHARSET: {text}"
        );
        // What 3.0 does not have: PREF, CHARSET (2.1), 4.0's dates without a year or dashes.
        for line in &lines {
            assert!(
                !line.contains("PREF=") && !line.contains("CHARSET"),
                "{line}"
            );
            assert!(!line.starts_with("BDAY:--"), "{line}");
        }
        let contacts = parsed(&text, "rapport3.vcf");
        let mut second = Store::open_in_memory().unwrap();
        second
            .apply_import("rapport3.vcf", "vCard", &contacts)
            .unwrap();
        assert_eq!(
            second.contacts_for_export(&ReportScope::Everyone).unwrap(),
            stored
        );
    });
}

#[test]
fn the_command_line_writes_vcard_3_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.sqlite3");
    {
        let mut store = Store::open(&db).unwrap();
        store.create_contact(&ada()).unwrap();
    }
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_rapport"))
            .arg("--db")
            .arg(&db)
            .args(args)
            .output()
            .unwrap()
    };
    let out = dir.path().join("c.vcf");
    let out_text = out.to_str().unwrap();
    let done = run(&[
        "export-contacts",
        "--format",
        "vcard",
        "--vcard-version",
        "3.0",
        "-o",
        out_text,
    ]);
    assert!(
        done.status.success(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
    assert!(String::from_utf8_lossy(&done.stdout).contains("as vCard 3.0"));
    assert!(
        std::fs::read_to_string(&out)
            .unwrap()
            .contains("\r\nVERSION:3.0\r\n")
    );
    let done = run(&["export-contacts", "-o", out_text]);
    assert!(done.status.success());
    assert!(
        std::fs::read_to_string(&out)
            .unwrap()
            .contains("\r\nVERSION:4.0\r\n")
    );
    let done = run(&["export-contacts", "--vcard-version", "2.1", "-o", out_text]);
    assert!(!done.status.success());
    assert!(String::from_utf8_lossy(&done.stderr).contains("use 3.0 or 4.0"));
}

// ----- real readers ------------------------------------------------------------------------

/// Writes each card of `text` to a file of its own in `folder`, as khard's (vdir) address
/// books keep them.
fn split_into_vdir(text: &str, folder: &Path) -> usize {
    std::fs::create_dir_all(folder).unwrap();
    let cards: Vec<&str> = text
        .split_inclusive("END:VCARD\r\n")
        .filter(|c| c.contains("BEGIN:VCARD"))
        .collect();
    for (n, card) in cards.iter().enumerate() {
        std::fs::write(folder.join(format!("{n:04}.vcf")), card).unwrap();
    }
    cards.len()
}

#[test]
fn khard_lists_every_card_of_a_demo_export() {
    if !reader_available("khard") {
        return;
    }
    let store = demo(300);
    let cards = store.exported_contacts(&ReportScope::Everyone).unwrap();
    let expected: BTreeSet<String> = cards.iter().map(|c| c.draft.uid.clone()).collect();
    for version in [CardVersion::V4, CardVersion::V3] {
        let dir = tempfile::tempdir().unwrap();
        let book = dir.path().join("rapport");
        assert_eq!(split_into_vdir(&vcard_cards(&cards, version), &book), 300);
        let config = dir.path().join("khard.conf");
        std::fs::write(
            &config,
            format!("[addressbooks]\n[[rapport]]\npath = {}\n", book.display()),
        )
        .unwrap();
        let khard = |args: &[&str]| {
            let out = std::process::Command::new("khard")
                .arg("-c")
                .arg(&config)
                .args(args)
                .env("HOME", dir.path())
                .output()
                .unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
            assert!(out.status.success(), "{version:?}: {stderr}");
            assert!(!stderr.contains("has no UID"), "{version:?}: {stderr}");
            assert!(
                !stderr.to_lowercase().contains("error"),
                "{version:?}: {stderr}"
            );
            String::from_utf8_lossy(&out.stdout).into_owned()
        };
        let listed = khard(&["list", "--parsable"]);
        let listed: BTreeSet<String> = listed
            .lines()
            .filter_map(|l| l.split('\t').next())
            .map(str::to_owned)
            .collect();
        assert_eq!(
            listed, expected,
            "{version:?}: khard lists every card by its UID"
        );
        // khard reads the e-mails too: every demo contact has one.
        let emails = khard(&["email", "--parsable"]);
        let emails = emails.lines().filter(|l| l.contains('@')).count();
        assert_eq!(
            emails,
            cards.iter().map(|c| c.draft.emails.len()).sum::<usize>()
        );
    }
}

/// What Python's vobject reads from a .vcf: per card the name, e-mails, UID and birthday.
const VOBJECT_READ: &str = r#"
import json, sys, vobject
cards = []
with open(sys.argv[1], encoding="utf-8", newline="") as f:
    for card in vobject.readComponents(f.read(), validate=True):
        cards.append({
            "version": card.version.value,
            "fn": card.fn.value,
            "emails": [e.value for e in card.contents.get("email", [])],
            "uid": card.uid.value,
            "bday": card.bday.value if hasattr(card, "bday") else None,
        })
print(json.dumps(cards))
"#;

#[test]
fn python_vobject_reads_every_card_with_names_e_mails_and_uids() {
    if !reader_available("python3") {
        return;
    }
    let has_vobject = std::process::Command::new("python3")
        .args(["-c", "import vobject"])
        .status()
        .is_ok_and(|s| s.success());
    if !has_vobject && !reader_available("python3-vobject (pip install vobject)") {
        return;
    }
    let mut store = demo(120);
    store.create_contact(&ada()).unwrap();
    let cards = store.exported_contacts(&ReportScope::Everyone).unwrap();
    let dir = tempfile::tempdir().unwrap();
    for (version, name) in [(CardVersion::V4, "4.0"), (CardVersion::V3, "3.0")] {
        let path = dir.path().join(format!("cards-{name}.vcf"));
        std::fs::write(&path, vcard_cards(&cards, version)).unwrap();
        let out = std::process::Command::new("python3")
            .args(["-c", VOBJECT_READ])
            .arg(&path)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let read: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(read.len(), cards.len(), "{name}");
        for (card, contact) in read.iter().zip(&cards) {
            let c = &contact.draft;
            assert_eq!(card["version"], name);
            assert_eq!(card["fn"], c.effective_display_name());
            assert_eq!(card["uid"], c.uid);
            let emails: Vec<&str> = c.emails.iter().map(|e| e.address.as_str()).collect();
            assert_eq!(card["emails"], serde_json::json!(emails));
        }
        let ada_card = read.iter().find(|c| c["fn"] == "Ada Baker").unwrap();
        let bday = if name == "3.0" {
            "1604-12-01"
        } else {
            "--1201"
        };
        assert_eq!(ada_card["bday"], bday);
    }
}

/// The sheet LibreOffice makes of `csv` (evaluating formulas, as Excel does), as flat ODS XML.
fn libreoffice_sheet(csv: &Path, dir: &Path) -> String {
    let profile = format!("file://{}", dir.join("lo-profile").display());
    let out = std::process::Command::new("soffice")
        .arg(format!("-env:UserInstallation={profile}"))
        .args(["--headless", "--norestore"])
        // Comma, double quotes, UTF-8 (76), from line 1, standard cells, no quoted-as-text,
        // detect special numbers, …, evaluate formulas (token 13): the reader at its worst.
        .arg("--infilter=CSV:44,34,76,1,,0,false,true,false,false,false,-1,true")
        .args(["--convert-to", "fods", "--outdir"])
        .arg(dir)
        .arg(csv)
        .env("HOME", dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let sheet = dir.join(csv.with_extension("fods").file_name().unwrap());
    std::fs::read_to_string(&sheet)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)))
}

#[test]
fn libreoffice_opens_the_google_csv_without_a_single_formula() {
    if !reader_available("soffice") {
        return;
    }
    let mut store = demo(20);
    store
        .create_contact(&ContactDraft {
            given_name: "=1+1".into(),
            family_name: "@SUM(A1:A2)".into(),
            title: "-2+3".into(),
            personal_notes: "+49 is Germany".into(),
            phones: vec![Phone {
                label: "work".into(),
                number: "+49 30 1234567".into(),
            }],
            tags: vec!["=HYPERLINK(\"http://x.example\")".into()],
            ..ContactDraft::default()
        })
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("contacts.csv");
    rapport::files::export_contacts(
        &store,
        &ReportScope::Everyone,
        ContactFormat::GoogleCsv,
        &csv,
    )
    .unwrap();
    let sheet = libreoffice_sheet(&csv, dir.path());
    assert!(sheet.contains("<table:table-cell"), "a sheet was made");
    assert!(!sheet.contains("table:formula="), "a cell became a formula");
    // The hostile cells are text as written (after the `'` that keeps them text).
    for text in ["=1+1", "@SUM(A1:A2)", "-2+3", "+49 30 1234567"] {
        assert!(
            sheet.contains(&format!("<text:p>&apos;{text}</text:p>"))
                || sheet.contains(&format!("<text:p>'{text}</text:p>")),
            "{text} is text"
        );
    }
    // Every row is there: a header and 21 contacts.
    let rows = sheet.matches("<table:table-row").count();
    assert!(rows >= 22, "{rows} rows");
}

// ----- the window --------------------------------------------------------------------------

#[test]
fn the_export_dialog_offers_vcard_3() {
    use egui_kittest::kittest::Queryable as _;
    // The window runs on SQLite here; the team database in the window is tested on its own.
    let mut store = rapport::store::Store::open_in_memory().unwrap();
    {
        store.create_contact(&ada()).unwrap();
        let window = crate::common::Window::of(1280.0, 800.0);
        let mut h = crate::common::app_in(store, window, rapport::app::Prefs::default());
        h.run();
        h.get_by_label("File").click();
        h.run();
        h.get_by_label("Export contacts…").click();
        h.run();
        h.get_by_label("vCard 3.0").click();
        h.run();
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("phone.vcf");
        crate::ui_tests::replace_text(&mut h, "Save as", target.to_str().unwrap());
        assert_eq!(
            h.state().view.contact_export.as_ref().map(|d| d.format),
            Some(ContactFormat::VCard3),
            "typing a .vcf path keeps 3.0"
        );
        h.get_by_label("Export").click();
        let started = std::time::Instant::now();
        while h
            .state()
            .view
            .contact_export
            .as_ref()
            .is_some_and(|d| d.written.is_none() && d.error.is_none())
        {
            assert!(started.elapsed() < std::time::Duration::from_secs(30));
            h.step();
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        h.run();
        assert!(
            h.query_by_label_contains("Wrote 1 contact as vCard 3.0")
                .is_some()
        );
        let text = std::fs::read_to_string(&target).unwrap();
        assert!(
            text.contains("\r\nVERSION:3.0\r\n") && text.contains("\r\nUID:urn:uuid:"),
            "{text}"
        );
    }
}
