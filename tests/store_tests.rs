//! The store on real SQLite files and in memory: migrations, CRUD, search, trash, refusal of
//! files it must not touch.
//!
//! Run twice (see `main.rs`): on plain files, and in `encrypted` on files protected with a
//! passphrase; the files come from `super::db_path`, and the tests on each engine run on an
//! encrypted file there.

use super::each_engine;
use chrono::NaiveDate;
use rapport::model::{
    Birthday, Channel, ContactDraft, ContactId, Email, FollowUpDraft, FollowUpStatus, Initiator,
    InteractionDraft, Outcome, Phone, Purpose, Stage, TimelineKind,
};
use rapport::store::{SCHEMA_VERSION, Store, StoreError};

fn at(text: &str) -> chrono::NaiveDateTime {
    chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap()
}

fn ada() -> ContactDraft {
    ContactDraft {
        given_name: "Ada".into(),
        family_name: "Baker".into(),
        organization: "Golden Crust Bakery".into(),
        title: "Owner".into(),
        is_decision_maker: true,
        stage: Stage::Customer,
        birthday: Birthday::parse("--12-01"),
        family: "Two kids, Ella and Max".into(),
        interests: "sourdough, cycling".into(),
        how_we_met: "Trade fair in Lyon".into(),
        emails: vec![Email {
            label: "work".into(),
            address: "ada@goldencrust.example".into(),
        }],
        phones: vec![Phone {
            label: "mobile".into(),
            number: "+44 7700 900123".into(),
        }],
        tags: vec!["wholesale".into(), "VIP".into()],
        ..ContactDraft::default()
    }
}

#[test]
fn a_new_file_is_migrated_and_reopened_with_everything_kept() {
    let dir = tempfile::tempdir().unwrap();
    let path = super::db_path(dir.path(), "sub/folder/rapport.sqlite3");
    let id = {
        let mut store = Store::open(&path).unwrap();
        assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
        store.create_contact(&ada()).unwrap()
    };
    let store = Store::open(&path).unwrap();
    let contact = store.contact(id).unwrap();
    assert_eq!(contact.draft.display_name, "Ada Baker");
    assert_eq!(contact.draft.organization, "Golden Crust Bakery");
    assert_eq!(
        contact.draft.birthday,
        Some(Birthday {
            year: None,
            month: 12,
            day: 1
        })
    );
    assert_eq!(
        contact.draft.tags,
        vec!["VIP".to_string(), "wholesale".to_string()]
    );
    assert_eq!(contact.draft.emails[0].address, "ada@goldencrust.example");
    assert!(contact.draft.is_decision_maker);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(
            mode, 0o600,
            "the database must be readable by its owner only"
        );
    }
}

#[test]
fn create_update_and_search_as_you_type() {
    each_engine(|mut store| {
        let ada = store.create_contact(&ada()).unwrap();
        let bob = store
            .create_contact(&ContactDraft {
                organization: "Harbor Hardware".into(),
                ..ContactDraft::named("Bob Okafor")
            })
            .unwrap();
        assert_eq!(store.count_contacts("").unwrap(), 2);
        // Prefixes of names, organizations, e-mails, tags and personal notes all find Ada.
        for typed in [
            "a",
            "ad",
            "Ada",
            "bak",
            "golden",
            "goldencrust",
            "VIP",
            "sourd",
            "ada bak",
        ] {
            let rows = store.contact_rows(typed, 0, 10).unwrap();
            assert!(
                rows.iter().any(|r| r.id == ada),
                "typing {typed:?} should find Ada: {rows:?}"
            );
            assert!(
                !rows.iter().any(|r| r.id == bob),
                "typing {typed:?} should not find Bob"
            );
        }
        assert_eq!(store.count_contacts("harb").unwrap(), 1);
        // FTS syntax typed by a user is taken literally rather than failing.
        assert_eq!(store.count_contacts("NEAR( \"zz* OR").unwrap(), 0);
        assert_eq!(
            store.count_contacts("\"kids\" AND").unwrap(),
            1,
            "words are words, even AND"
        );
        let mut edited = store.contact(bob).unwrap().draft;
        edited.organization = "Golden Crust Bakery".into();
        edited.stage = Stage::Loyal;
        store.update_contact(bob, &edited).unwrap();
        assert_eq!(store.count_contacts("golden").unwrap(), 2);
        assert_eq!(store.count_contacts("harb").unwrap(), 0);
        let timeline = store.timeline_for_contact(bob).unwrap();
        assert!(timeline.iter().any(|e| matches!(
            e.kind,
            TimelineKind::StageChange {
                to: Stage::Loyal,
                ..
            }
        )));
        // Invalid drafts are refused with a sentence and change nothing.
        let err = store.create_contact(&ContactDraft::default()).unwrap_err();
        assert!(err.to_string().contains("name"), "{err}");
        assert_eq!(store.count_contacts("").unwrap(), 2);
    });
}

#[test]
fn list_is_paged_in_name_order() {
    each_engine(|mut store| {
        for name in ["Zoe", "adam", "Émile", "Bea", "carl"] {
            store.create_contact(&ContactDraft::named(name)).unwrap();
        }
        let first = store.contact_rows("", 0, 2).unwrap();
        let rest = store.contact_rows("", 2, 10).unwrap();
        let names: Vec<_> = first
            .iter()
            .chain(&rest)
            .map(|r| r.display_name.as_str())
            .collect();
        assert_eq!(names, ["adam", "Bea", "carl", "Zoe", "Émile"]);
    });
}

#[test]
fn a_page_deep_in_a_long_list_is_the_same_rows_before_and_after_changes() {
    let dir = tempfile::tempdir().unwrap();
    let db = super::db_path(dir.path(), "rapport.sqlite3");
    let mut store = Store::open(&db).unwrap();
    // Many people share a name, so pages start in the middle of a run of equal names.
    let names = [
        "Ana Lima",
        "Bo Chen",
        "Cleo Diaz",
        "Dev Rao",
        "Eli Kahn",
        "Fay Ode",
        "Gus Ito",
    ];
    {
        let mut bulk = store.bulk().unwrap();
        for i in 0..3300 {
            bulk.add_contact(&ContactDraft::named(names[i % names.len()]), "test")
                .unwrap();
        }
        bulk.commit().unwrap();
    }
    for id in [5, 900, 1800, 2600] {
        store.trash_contact(rapport::model::ContactId(id)).unwrap();
    }
    // Every page compared with the whole list read from the top (no marks used there).
    let check = |store: &Store, when: &str| {
        let whole: Vec<i64> = store
            .contact_rows("", 0, 10_000)
            .unwrap()
            .iter()
            .map(|r| r.id.0)
            .collect();
        // Down the list (the marks are read as the jumps go), then back up (the marks known).
        let offsets = [
            255,
            256,
            257,
            1023,
            1024,
            1500,
            2047,
            2048,
            3000,
            whole.len() - 10,
        ];
        for offset in offsets.into_iter().chain(offsets.into_iter().rev()) {
            let page: Vec<i64> = store
                .contact_rows("", offset, 60)
                .unwrap()
                .iter()
                .map(|r| r.id.0)
                .collect();
            let end = (offset + 60).min(whole.len());
            assert_eq!(page, whole[offset..end], "{when}: page at {offset}");
        }
        whole
    };
    let before = check(&store, "first read");
    // A new first name shifts every row by one: the marks must not be reused.
    store
        .create_contact(&ContactDraft::named("Aaron Abbot"))
        .unwrap();
    let after = check(&store, "after a new contact");
    assert_eq!(after[1..], before[..]);
    // A change committed by another connection (the window and a background job) too.
    {
        let mut other = Store::open(&db).unwrap();
        other
            .create_contact(&ContactDraft::named("Aaa Aalto"))
            .unwrap();
    }
    let latest = check(&store, "after another connection wrote");
    assert_eq!(latest[1..], after[..]);
}

#[test]
fn trash_hides_restores_and_purges() {
    each_engine(|mut store| {
        let id = store.create_contact(&ada()).unwrap();
        let conversation = store
            .log_interaction(&InteractionDraft {
                summary: "Quote for spring".into(),
                ..InteractionDraft::new(at("2026-03-01 10:00"), id)
            })
            .unwrap();
        store.trash_contact(id).unwrap();
        assert_eq!(store.count_contacts("").unwrap(), 0);
        assert_eq!(store.count_contacts("ada").unwrap(), 0);
        assert_eq!(
            store.trashed_contacts().unwrap()[0].display_name,
            "Ada Baker"
        );
        assert!(matches!(
            store.trash_contact(id),
            Err(StoreError::NotFound { .. })
        ));
        store.restore_contact(id).unwrap();
        assert_eq!(store.count_contacts("ada").unwrap(), 1);
        assert_eq!(
            store.count_interactions(id).unwrap(),
            1,
            "conversations come back with the contact"
        );
        store.trash_contact(id).unwrap();
        store.purge_contact(id).unwrap();
        assert!(store.trashed_contacts().unwrap().is_empty());
        assert!(matches!(
            store.contact(id),
            Err(StoreError::NotFound { .. })
        ));
        assert!(
            store.interaction(conversation).is_err(),
            "a conversation only they took part in goes too"
        );
    });
}

#[test]
fn conversations_history_and_timeline() {
    each_engine(|mut store| {
        let ada = store.create_contact(&ada()).unwrap();
        let bob = store
            .create_contact(&ContactDraft::named("Bob Okafor"))
            .unwrap();
        let call = store
            .log_interaction(&InteractionDraft {
                channel: Channel::Call,
                purpose: Purpose::Sales,
                summary: "Spring order".into(),
                they_need: "Delivery before Easter".into(),
                i_promised: "Send prices by Friday".into(),
                ..InteractionDraft::new(at("2026-03-02 15:00"), ada)
            })
            .unwrap();
        let meal = store
            .log_interaction(&InteractionDraft {
                channel: Channel::Meal,
                outcome: Outcome::NoShow,
                participants: vec![ada, bob],
                summary: "Lunch at the bistro".into(),
                ..InteractionDraft::new(at("2026-04-10 12:30"), ada)
            })
            .unwrap();
        let history = store.interactions_for_contact(ada, 0, 10).unwrap();
        assert_eq!(
            history.iter().map(|i| i.id).collect::<Vec<_>>(),
            vec![meal, call],
            "newest first"
        );
        assert_eq!(
            history[0].participant_names,
            vec!["Ada Baker", "Bob Okafor"]
        );
        assert_eq!(history[1].draft.they_need, "Delivery before Easter");
        assert_eq!(store.count_interactions(bob).unwrap(), 1);
        assert_eq!(store.search_interactions("easter", 10).unwrap(), vec![call]);
        store
            .add_follow_up(&FollowUpDraft {
                contact_id: ada,
                organization_id: None,
                interaction_id: Some(call),
                text: "Send prices".into(),
                notes: String::new(),
                due_date: NaiveDate::from_ymd_opt(2026, 3, 6).unwrap(),
                due_time: chrono::NaiveTime::from_hms_opt(15, 0, 0),
                promised_by: Initiator::Me,
                repeat: None,
            })
            .unwrap();
        store
            .add_life_event(
                ada,
                NaiveDate::from_ymd_opt(2026, 2, 14).unwrap(),
                "New baby",
                "Daughter Lily",
            )
            .unwrap();
        let timeline = store.timeline_for_contact(ada).unwrap();
        let dates: Vec<_> = timeline.iter().map(|e| e.at).collect();
        let mut sorted = dates.clone();
        sorted.sort_by(|a, b| b.cmp(a));
        assert_eq!(dates, sorted, "timeline is newest first");
        assert!(timeline.iter().any(|e| e.title == "New baby"));
        assert!(timeline.iter().any(|e| matches!(
            e.kind,
            TimelineKind::FollowUpDue {
                status: FollowUpStatus::Open,
                ..
            }
        )));
        assert!(timeline.iter().any(|e| matches!(
            e.kind,
            TimelineKind::Conversation {
                outcome: Outcome::NoShow,
                ..
            }
        )));
        // Editing moves the conversation in the history order.
        let mut moved = store.interaction(call).unwrap().draft;
        moved.occurred_at = at("2026-05-01 09:00");
        store.update_interaction(call, &moved).unwrap();
        assert_eq!(
            store.interactions_for_contact(ada, 0, 1).unwrap()[0].id,
            call
        );
        // A conversation with an unknown participant is refused whole.
        let err = store
            .log_interaction(&InteractionDraft::new(
                at("2026-05-01 09:00"),
                ContactId(999),
            ))
            .unwrap_err();
        assert!(err.to_string().contains("999"), "{err}");
        assert_eq!(store.count_interactions(ada).unwrap(), 2);
    });
}

#[test]
fn a_file_that_is_not_sqlite_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.sqlite3");
    let bytes = b"These are my notes, not a database. Do not overwrite me.\n".repeat(100);
    std::fs::write(&path, &bytes).unwrap();
    let err = Store::open(&path).unwrap_err();
    assert!(matches!(err, StoreError::NotADatabase { .. }), "{err:?}");
    assert!(err.to_string().contains("left untouched"));
    assert_eq!(std::fs::read(&path).unwrap(), bytes);
}

/// A file written by the previous version (notes index without four-letter prefixes) is backed
/// up, then its notes index is built again: old notes are found by four-letter prefixes, and
/// nothing else changes.
#[test]
fn a_version_3_file_gets_its_notes_index_rebuilt_with_a_backup_first() {
    let dir = tempfile::tempdir().unwrap();
    let path = super::db_path(dir.path(), "v3.sqlite3");
    let (id, conversation) = {
        let mut store = Store::open(&path).unwrap();
        let id = store.create_contact(&ada()).unwrap();
        let conversation = store
            .log_interaction(&InteractionDraft {
                summary: "Delivery slots for the bakery".into(),
                they_need: "Prices before Friday".into(),
                ..InteractionDraft::new(at("2026-03-01 10:00"), id)
            })
            .unwrap();
        (id, conversation)
    };
    {
        // What migration 3 left: the same table with prefixes 1-3 only, filled.
        let conn = super::raw_connection(&path);
        conn.execute_batch(crate::common::BEFORE_MIGRATION_9)
            .unwrap();
        conn.execute_batch(crate::common::BEFORE_MIGRATION_7)
            .unwrap();
        conn.execute_batch(
            "DROP TABLE interaction_fts;
             CREATE VIRTUAL TABLE interaction_fts USING fts5(
                 summary, they_said, they_need, i_promised, next_step,
                 content='', contentless_delete=1,
                 tokenize='unicode61 remove_diacritics 2', prefix='1 2 3');
             INSERT INTO interaction_fts (rowid, summary, they_said, they_need, i_promised, next_step)
                 SELECT id, summary, they_said, they_need, i_promised, next_step FROM interactions;
             DROP INDEX contacts_by_uid; ALTER TABLE contacts DROP COLUMN uid;
             DROP TABLE contact_photos;
             PRAGMA user_version = 3;",
        )
        .unwrap();
    }
    let mut store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    let backups = rapport::store::backup::list_backups(&path).unwrap();
    assert!(
        backups.iter().any(|b| b.reason == "before-migration-v3"),
        "{backups:?}"
    );
    for words in ["deli", "deliv", "bake", "pric", "d", "fri"] {
        assert_eq!(
            store.search_interactions(words, 50).unwrap(),
            vec![conversation],
            "{words}"
        );
    }
    assert!(store.search_interactions("delx", 50).unwrap().is_empty());
    // New and edited notes are indexed the same way; deleted ones leave the index.
    let second = store
        .log_interaction(&InteractionDraft {
            summary: "Deliberately quiet week".into(),
            ..InteractionDraft::new(at("2026-03-02 10:00"), id)
        })
        .unwrap();
    assert_eq!(
        store.search_interactions("deli", 50).unwrap(),
        vec![second, conversation]
    );
    store.delete_interaction(second).unwrap();
    assert_eq!(
        store.search_interactions("deli", 50).unwrap(),
        vec![conversation]
    );
    assert_eq!(store.contact(id).unwrap().draft.display_name, "Ada Baker");
}

#[test]
fn a_database_from_a_newer_rapport_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = super::db_path(dir.path(), "future.sqlite3");
    drop(Store::open(&path).unwrap());
    {
        let conn = super::raw_connection(&path);
        conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
            .unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    let err = Store::open(&path).unwrap_err();
    assert!(matches!(err, StoreError::TooNew { .. }), "{err:?}");
    assert!(err.to_string().contains("newer Rapport"));
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn demo_data_is_varied_and_complete() {
    each_engine(|mut store| {
        let now = at("2026-11-22 09:00");
        let summary = rapport::demo::fill(&mut store, 50, 400, now, |_, _| {}).unwrap();
        assert_eq!(summary.contacts, 50);
        assert_eq!(store.count_contacts("").unwrap(), 50);
        let contacts = store.all_contacts().unwrap();
        let mut channels = std::collections::HashSet::new();
        let mut purposes = std::collections::HashSet::new();
        let mut total = 0;
        for c in &contacts {
            assert!(!c.draft.organization.is_empty());
            for i in store.interactions_for_contact(c.id, 0, 1000).unwrap() {
                channels.insert(i.draft.channel);
                purposes.insert(i.draft.purpose);
                assert!(i.draft.occurred_at <= now);
                total += 1;
            }
        }
        assert!(total >= 400, "every conversation has a participant");
        assert_eq!(purposes.len(), 3);
        assert!(channels.len() >= 8, "{channels:?}");
        assert!(summary.follow_ups > 0);
    });
}

#[test]
fn search_pages_match_a_plain_filter_whatever_plan_the_list_picks() {
    // 6,000 contacts: "m" matches nearly all (the name index is walked asking the search index
    // about each), deep pages of it collect the matches first, and "zed" matches a few
    // hundred (sorted by name). Every plan must give what a plain filter and sort would.
    each_engine(|mut store| {
        let mut all = Vec::new();
        {
            let mut bulk = store.bulk().unwrap();
            for i in 0..6_000 {
                let name = if i % 20 == 0 {
                    format!("Zed Q{i:04}")
                } else {
                    format!("Maria {}", ["García", "Smith", "Okafor"][i % 3])
                };
                let draft = ContactDraft {
                    display_name: name.clone(),
                    ..ContactDraft::default()
                };
                let id = bulk.add_contact(&draft, "test").unwrap();
                all.push((name.to_lowercase(), id, name));
            }
            bulk.commit().unwrap();
        }
        let trashed = all[1].1;
        store.trash_contact(trashed).unwrap();
        all.retain(|(_, id, _)| *id != trashed);
        all.sort();
        for (typed, word) in [
            ("m", "maria"),
            ("ma", "maria"),
            ("zed", "zed"),
            ("smi", "smith"),
        ] {
            let expected: Vec<_> = all
                .iter()
                .filter(|(key, _, _)| key.split_whitespace().any(|w| w.starts_with(typed)))
                .map(|(_, id, _)| *id)
                .collect();
            assert!(expected.len() > 100, "{word} matches many");
            assert_eq!(
                store.count_contacts(typed).unwrap(),
                expected.len(),
                "{typed}"
            );
            for offset in [0, 59, 3_000, expected.len().saturating_sub(30)] {
                let page: Vec<_> = store
                    .contact_rows(typed, offset, 60)
                    .unwrap()
                    .into_iter()
                    .map(|r| r.id)
                    .collect();
                let want: Vec<_> = expected.iter().skip(offset).take(60).copied().collect();
                assert_eq!(page, want, "{typed} from row {offset}");
            }
        }
        // The whole list, deep pages included (they start from a mark every 256 names).
        for offset in [0, 255, 256, 3_001, all.len() - 10] {
            let page: Vec<_> = store
                .contact_rows("", offset, 60)
                .unwrap()
                .into_iter()
                .map(|r| r.id)
                .collect();
            let expected: Vec<_> = all
                .iter()
                .skip(offset)
                .take(60)
                .map(|(_, id, _)| *id)
                .collect();
            assert_eq!(page, expected, "the whole list from {offset}");
        }
    });
}
