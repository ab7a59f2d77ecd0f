//! Relationship health and the dashboard's lists on a real database file, on fixed clocks:
//! each reason, the attention order, the cadence reset on a logged conversation, the contact
//! list's combined filters, tag colours, birthdays across the new year, and the CLI.

use chrono::{NaiveDate, NaiveDateTime};
use rapport::model::{
    Birthday, Channel, ContactDraft, ContactFilter, ContactId, FollowUpDraft, HealthLevel,
    Initiator, InteractionDraft, Outcome, Purpose, Stage,
};
use rapport::store::Store;

fn at(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap()
}

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

const NOW: &str = "2026-06-15 10:00";

struct World {
    _dir: Option<tempfile::TempDir>,
    store: Store,
    promiser: ContactId,
    cold: ContactId,
    seller: ContactId,
    boss: ContactId,
    fine: ContactId,
}

/// Five people on a real file, each with one thing wrong (or nothing), all added on 1 Jan.
fn world() -> World {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("health.sqlite3")).unwrap();
    world_in(store, Some(dir))
}

/// Runs `test` on the world on a real file, then in a team database when a server is configured.
fn each_world(test: impl Fn(World)) {
    test(world());
    if let Some(url) = crate::common::fresh_team_url() {
        test(world_in(Store::open_team(&url).unwrap(), None));
    }
}

fn world_in(mut store: Store, dir: Option<tempfile::TempDir>) -> World {
    store.set_clock(at("2026-01-01 09:00").and_utc());
    let add = |store: &mut Store, draft: ContactDraft| store.create_contact(&draft).unwrap();
    let promiser = add(
        &mut store,
        ContactDraft {
            tags: vec!["wholesale".into()],
            ..ContactDraft::named("Pat Promise")
        },
    );
    let cold = add(
        &mut store,
        ContactDraft {
            cadence_days: Some(30),
            tags: vec!["wholesale".into()],
            ..ContactDraft::named("Cora Cold")
        },
    );
    let seller = add(&mut store, ContactDraft::named("Sam Sales"));
    let boss = add(
        &mut store,
        ContactDraft {
            stage: Stage::Customer,
            is_decision_maker: true,
            organization: "Harbor Hardware".into(),
            ..ContactDraft::named("Dee Decider")
        },
    );
    let fine = add(
        &mut store,
        ContactDraft {
            stage: Stage::Customer,
            birthday: Birthday::new(Some(1980), 6, 17),
            ..ContactDraft::named("Finn Fine")
        },
    );
    let talk = |store: &mut Store, who: ContactId, when: &str, channel, purpose| {
        store
            .log_interaction(&InteractionDraft {
                channel,
                purpose,
                summary: format!("{purpose:?} talk"),
                ..InteractionDraft::new(at(when), who)
            })
            .unwrap();
    };
    talk(
        &mut store,
        promiser,
        "2026-06-01 10:00",
        Channel::Visit,
        Purpose::Service,
    );
    // The promise is made at that visit.
    store.set_clock(at("2026-06-01 10:30").and_utc());
    store
        .add_follow_up(&FollowUpDraft {
            contact_id: promiser,
            organization_id: None,
            interaction_id: None,
            text: "Send the quote".into(),
            notes: String::new(),
            due_date: day("2026-06-05"),
            due_time: None,
            promised_by: Initiator::Me,
            repeat: None,
        })
        .unwrap();
    talk(
        &mut store,
        cold,
        "2026-04-01 10:00",
        Channel::Call,
        Purpose::Relationship,
    );
    for when in ["2026-05-01 10:00", "2026-05-20 10:00", "2026-06-10 10:00"] {
        talk(&mut store, seller, when, Channel::Visit, Purpose::Sales);
    }
    talk(
        &mut store,
        boss,
        "2026-03-01 10:00",
        Channel::Meal,
        Purpose::Relationship,
    );
    talk(
        &mut store,
        fine,
        "2026-06-12 10:00",
        Channel::Call,
        Purpose::Relationship,
    );
    World {
        _dir: dir,
        store,
        promiser,
        cold,
        seller,
        boss,
        fine,
    }
}

#[test]
fn each_reason_is_found_and_the_attention_list_is_ordered() {
    each_world(|mut w| {
        let judged = w.store.refresh_all_health(at(NOW), |_, _| true).unwrap();
        assert_eq!(judged, 5);
        assert_eq!(w.store.health_computed_on(), Some(day("2026-06-15")));

        let list = w.store.attention_list(50).unwrap();
        let names: Vec<&str> = list.iter().map(|i| i.name.as_str()).collect();
        // Cora: 75 days quiet on a 30-day cadence (26 + 20, capped) = 54; Pat: overdue promise = 70;
        // Dee: quiet decision maker = 70 (a promise is more urgent, so Pat first); Sam: sales only
        // = 74. Finn is fine.
        assert_eq!(
            names,
            vec!["Cora Cold", "Pat Promise", "Dee Decider", "Sam Sales"]
        );
        let scores: Vec<i64> = list.iter().map(|i| i.score).collect();
        assert_eq!(scores, vec![54, 70, 70, 74]);
        assert_eq!(w.store.count_attention().unwrap(), 4);
        assert_eq!(
            list[0].reasons,
            vec!["No conversation for 75 days; you wanted every 30 days"]
        );
        assert_eq!(list[0].level, HealthLevel::Watch);
        assert_eq!(
            list[1].reasons,
            vec!["You promised \u{201c}Send the quote\u{201d} 14 days ago — 10 days late"]
        );
        assert_eq!(
            list[2].reasons,
            vec!["No conversation for 106 days with this decision maker at a customer"]
        );
        assert_eq!(
            list[3].reasons,
            vec!["Last 3 touches were all sales — call just to listen"]
        );
        assert_eq!(list[2].organization, "Harbor Hardware");

        let fine = w.store.health_of(w.fine).unwrap().expect("judged");
        assert_eq!(fine.score, 100);
        assert!(fine.explanation().contains(&"Talked 3 days ago".to_owned()));
        let _ = (w.promiser, w.seller, w.boss);
    });
}

#[test]
fn a_logged_conversation_resets_going_cold_and_a_kept_promise_clears_it() {
    each_world(|mut w| {
        w.store.refresh_all_health(at(NOW), |_, _| true).unwrap();
        assert!(
            w.store
                .health_of(w.cold)
                .unwrap()
                .unwrap()
                .needs_attention()
        );

        // Any conversation counts, even a short e-mail.
        w.store
            .log_interaction(&InteractionDraft {
                channel: Channel::Email,
                ..InteractionDraft::new(at("2026-06-14 16:00"), w.cold)
            })
            .unwrap();
        w.store.refresh_health(&[w.cold], at(NOW)).unwrap();
        let cold = w.store.health_of(w.cold).unwrap().unwrap();
        assert!(!cold.needs_attention(), "{:?}", cold.reasons);
        assert_eq!(cold.score, 100);

        let promise = w.store.follow_ups_for_contact(w.promiser).unwrap()[0].id;
        w.store.complete_follow_up(promise, at(NOW)).unwrap();
        w.store.refresh_health(&[w.promiser], at(NOW)).unwrap();
        let promiser = w.store.health_of(w.promiser).unwrap().unwrap();
        assert!(promiser.reasons.is_empty());
        assert!(promiser.strengths.contains(&"Kept 1 promise".to_owned()));

        let names: Vec<String> = w
            .store
            .attention_list(50)
            .unwrap()
            .into_iter()
            .map(|i| i.name)
            .collect();
        assert_eq!(names, vec!["Dee Decider", "Sam Sales"]);
    });
}

#[test]
fn trashed_contacts_leave_the_attention_list() {
    each_world(|mut w| {
        w.store.refresh_all_health(at(NOW), |_, _| true).unwrap();
        w.store.trash_contact(w.cold).unwrap();
        assert!(
            w.store
                .attention_list(50)
                .unwrap()
                .iter()
                .all(|i| i.contact_id != w.cold)
        );
        assert_eq!(w.store.count_attention().unwrap(), 3);
        // The next full judgement drops the row altogether.
        w.store.refresh_all_health(at(NOW), |_, _| true).unwrap();
        assert!(w.store.health_of(w.cold).unwrap().is_none());
    });
}

#[test]
fn the_contact_list_combines_tag_stage_health_and_text() {
    each_world(|mut w| {
        w.store.refresh_all_health(at(NOW), |_, _| true).unwrap();
        let names = |store: &Store, search: &str, filter: &ContactFilter| -> Vec<String> {
            let total = store.count_contacts_filtered(search, filter).unwrap();
            let rows = store.contact_rows_filtered(search, filter, 0, 100).unwrap();
            assert_eq!(rows.len(), total, "count and rows agree");
            rows.into_iter().map(|r| r.display_name).collect()
        };
        let by_tag = ContactFilter {
            tag: Some("wholesale".into()),
            ..ContactFilter::default()
        };
        assert_eq!(
            names(&w.store, "", &by_tag),
            vec!["Cora Cold", "Pat Promise"]
        );
        assert_eq!(names(&w.store, "cora", &by_tag), vec!["Cora Cold"]);

        let customers = ContactFilter {
            stage: Some(Stage::Customer),
            ..ContactFilter::default()
        };
        assert_eq!(
            names(&w.store, "", &customers),
            vec!["Dee Decider", "Finn Fine"]
        );
        let healthy_customers = ContactFilter {
            health: Some(HealthLevel::Good),
            ..customers.clone()
        };
        assert_eq!(names(&w.store, "", &healthy_customers), vec!["Finn Fine"]);
        let watch = ContactFilter {
            health: Some(HealthLevel::Watch),
            ..ContactFilter::default()
        };
        assert_eq!(
            names(&w.store, "", &watch),
            vec!["Cora Cold", "Dee Decider", "Pat Promise", "Sam Sales"]
        );

        let weakest_first = ContactFilter {
            sort_by_health: true,
            ..ContactFilter::default()
        };
        assert_eq!(
            names(&w.store, "", &weakest_first),
            // Equal scores: the more urgent reason first (an overdue promise before a quiet
            // decision maker), as on the dashboard and in `rapport attention`.
            vec![
                "Cora Cold",
                "Pat Promise",
                "Dee Decider",
                "Sam Sales",
                "Finn Fine"
            ]
        );
        // The rows carry the badge and its words.
        let rows = w
            .store
            .contact_rows_filtered("", &weakest_first, 0, 1)
            .unwrap();
        assert_eq!(rows[0].health, Some((54, HealthLevel::Watch)));
        assert!(rows[0].health_notes[0].starts_with("No conversation for 75 days"));
        // The plain list carries them too.
        let plain = w.store.contact_rows("", 0, 10).unwrap();
        assert!(plain.iter().all(|r| r.health.is_some()));
    });
}

#[test]
fn tag_colours_are_checked_and_kept() {
    each_world(|mut w| {
        w.store.set_tag_color("wholesale", Some("#2A9D8F")).unwrap();
        let error = w
            .store
            .set_tag_color("wholesale", Some("teal"))
            .unwrap_err();
        assert!(error.to_string().contains("#rrggbb"), "{error}");
        let tags = w.store.tags_counted().unwrap();
        assert_eq!(tags.len(), 1);
        assert_eq!(tags[0].color.as_deref(), Some("#2a9d8f"));
        assert_eq!(tags[0].rgb(), Some([0x2a, 0x9d, 0x8f]));
        assert_eq!(tags[0].contacts, Some(2));
        w.store.set_tag_color("wholesale", None).unwrap();
        assert_eq!(w.store.tags().unwrap()[0].color, None);
    });
}

#[test]
fn birthdays_life_events_recent_talks_and_touch_counts_for_the_dashboard() {
    each_world(|mut w| {
        let birthdays = w.store.upcoming_birthdays(day("2026-06-15"), 7).unwrap();
        assert_eq!(birthdays.len(), 1);
        assert_eq!(birthdays[0].name, "Finn Fine");
        assert_eq!(birthdays[0].on, day("2026-06-17"));
        // Across the new year.
        let newyear = w
            .store
            .create_contact(&ContactDraft {
                birthday: Birthday::new(None, 1, 2),
                ..ContactDraft::named("Nia Newyear")
            })
            .unwrap();
        let found = w.store.upcoming_birthdays(day("2026-12-29"), 7).unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].contact_id, newyear);
        assert_eq!(found[0].on, day("2027-01-02"));

        w.store
            .add_life_event(
                w.fine,
                day("2026-06-13"),
                "New shop",
                "Opened a second bakery",
            )
            .unwrap();
        let events = w
            .store
            .life_events_between(day("2026-06-08"), day("2026-06-22"))
            .unwrap();
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].kind, "New shop");

        let recent = w.store.recent_conversations(at(NOW), 3).unwrap();
        let who: Vec<&str> = recent.iter().map(|r| r.contact_name.as_str()).collect();
        assert_eq!(who, vec!["Finn Fine", "Sam Sales", "Pat Promise"]);

        let daily = w
            .store
            .daily_touches(day("2026-05-01"), day("2026-06-15"))
            .unwrap();
        let sales: u32 = daily
            .iter()
            .filter(|(_, p, _)| *p == Purpose::Sales)
            .map(|(_, _, n)| n)
            .sum();
        assert_eq!(sales, 3);
        let mix = w
            .store
            .channel_mix(day("2026-01-01"), day("2026-06-15"))
            .unwrap();
        assert_eq!(mix[0], (Channel::Visit, 4));
        let _ = Outcome::Held;
    });
}

#[test]
fn attention_on_the_command_line_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cli.sqlite3");
    {
        let mut store = Store::open(&db).unwrap();
        let id = store
            .create_contact(&ContactDraft {
                cadence_days: Some(7),
                ..ContactDraft::named("Quinn Quiet")
            })
            .unwrap();
        store
            .log_interaction(&InteractionDraft::new(at("2020-01-01 10:00"), id))
            .unwrap();
        store
            .create_contact(&ContactDraft::named("Hal Happy"))
            .unwrap();
    }
    let run = |args: &[&str]| {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_rapport"))
            .arg("--db")
            .arg(&db)
            .args(args)
            .env_remove("RAPPORT_DB")
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).unwrap()
    };
    let text = run(&["attention"]);
    assert!(text.contains("Quinn Quiet"), "{text}");
    assert!(text.contains("you wanted every 7 days"), "{text}");
    assert!(!text.contains("Hal Happy"), "{text}");
    let json: serde_json::Value = serde_json::from_str(&run(&["attention", "--json"])).unwrap();
    let items = json.as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["name"], "Quinn Quiet");
    assert_eq!(items[0]["reason_kinds"][0], "going_cold");
    assert!(items[0]["score"].as_i64().unwrap() < 75);

    assert!(run(&["tag-color", "VIP", "#ff8800"]).contains("#ff8800"));
    let bad = std::process::Command::new(env!("CARGO_BIN_EXE_rapport"))
        .arg("--db")
        .arg(&db)
        .args(["tag-color", "VIP", "orange"])
        .output()
        .unwrap();
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("#rrggbb"));
}
