//! Follow-ups and promises on fixed clocks: statuses, lateness, reschedule history, the promise
//! ledger, cadences that reset on any conversation, due lists, and the calendar export.

use crate::common::each_engine;
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use rapport::insight;
use rapport::model::{
    Channel, ContactDraft, ContactId, FollowUpDraft, FollowUpStatus, Initiator, InteractionDraft,
    Outcome,
};

fn at(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap()
}

fn promise(
    contact: ContactId,
    text: &str,
    due: &str,
    time: Option<&str>,
    by: Initiator,
) -> FollowUpDraft {
    FollowUpDraft {
        contact_id: contact,
        organization_id: None,
        interaction_id: None,
        text: text.into(),
        notes: String::new(),
        due_date: NaiveDate::parse_from_str(due, "%Y-%m-%d").unwrap(),
        due_time: time.map(|t| NaiveTime::parse_from_str(t, "%H:%M").unwrap()),
        promised_by: by,
        repeat: None,
    }
}

#[test]
fn kept_on_time_kept_late_broken_and_the_ledger() {
    each_engine(|mut store| {
        store.set_clock(at("2026-03-01 09:00").and_utc());
        let ada = store.create_contact(&ContactDraft::named("Ada")).unwrap();
        let call_back = store
            .add_follow_up(&promise(
                ada,
                "Call back",
                "2026-03-10",
                Some("15:00"),
                Initiator::Me,
            ))
            .unwrap();
        let quote = store
            .add_follow_up(&promise(
                ada,
                "Send quote",
                "2026-03-10",
                None,
                Initiator::Me,
            ))
            .unwrap();
        let catalogue = store
            .add_follow_up(&promise(
                ada,
                "Catalogue",
                "2026-03-05",
                None,
                Initiator::Me,
            ))
            .unwrap();
        let open = store
            .add_follow_up(&promise(
                ada,
                "Visit",
                "2026-03-09",
                Some("10:00"),
                Initiator::Me,
            ))
            .unwrap();
        let theirs = store
            .add_follow_up(&promise(
                ada,
                "Pay invoice",
                "2026-03-08",
                None,
                Initiator::Them,
            ))
            .unwrap();

        // 14:59 on the day is on time; 15:01 is late. A dateless one is on time until midnight.
        assert_eq!(
            store
                .complete_follow_up(call_back, at("2026-03-10 15:01"))
                .unwrap(),
            FollowUpStatus::DoneLate
        );
        assert_eq!(
            store
                .complete_follow_up(quote, at("2026-03-10 23:30"))
                .unwrap(),
            FollowUpStatus::Done
        );
        store
            .set_follow_up_status(catalogue, FollowUpStatus::Missed, at("2026-03-06 09:00"))
            .unwrap();
        store
            .set_follow_up_status(theirs, FollowUpStatus::Done, at("2026-03-08 09:00"))
            .unwrap();
        store
            .log_interaction(&InteractionDraft {
                outcome: Outcome::NoShow,
                ..InteractionDraft::new(at("2026-03-03 12:00"), ada)
            })
            .unwrap();

        let ledger = store
            .promise_counts(Some(ada), at("2026-03-12 09:00"))
            .unwrap();
        assert_eq!(
            (ledger.mine_kept, ledger.mine_late, ledger.mine_broken),
            (1, 1, 1)
        );
        assert_eq!(
            (ledger.mine_open, ledger.mine_overdue),
            (1, 1),
            "the visit is overdue on the 12th"
        );
        assert_eq!((ledger.theirs_kept, ledger.no_shows), (1, 1));
        assert_eq!(
            store
                .promise_counts(Some(ada), at("2026-03-09 09:59"))
                .unwrap()
                .mine_overdue,
            0
        );

        // Rescheduling keeps the old due moment in the history and reopens the promise.
        store
            .reschedule_follow_up(
                open,
                NaiveDate::from_ymd_opt(2026, 3, 16).unwrap(),
                None,
                "they asked",
            )
            .unwrap();
        store
            .reschedule_follow_up(
                open,
                NaiveDate::from_ymd_opt(2026, 3, 17).unwrap(),
                None,
                "snoozed",
            )
            .unwrap();
        assert_eq!(store.reschedule_count(open).unwrap(), 2);
        assert_eq!(
            store.follow_up(open).unwrap().draft.due_date.to_string(),
            "2026-03-17"
        );
    });
}

#[test]
fn due_lists_from_the_store_on_a_fixed_clock() {
    each_engine(|mut store| {
        let ada = store.create_contact(&ContactDraft::named("Ada")).unwrap();
        let bob = store.create_contact(&ContactDraft::named("Bob")).unwrap();
        store
            .add_follow_up(&promise(ada, "Late one", "2026-03-09", None, Initiator::Me))
            .unwrap();
        store
            .add_follow_up(&promise(
                bob,
                "Afternoon call",
                "2026-03-10",
                Some("16:00"),
                Initiator::Me,
            ))
            .unwrap();
        store
            .add_follow_up(&promise(
                ada,
                "Morning call",
                "2026-03-10",
                Some("09:30"),
                Initiator::Me,
            ))
            .unwrap();
        store
            .add_follow_up(&promise(
                bob,
                "Lunch",
                "2026-03-10",
                Some("12:30"),
                Initiator::Me,
            ))
            .unwrap();
        store
            .add_follow_up(&promise(
                ada,
                "Next week",
                "2026-03-15",
                None,
                Initiator::Them,
            ))
            .unwrap();
        let trashed = store.create_contact(&ContactDraft::named("Gone")).unwrap();
        store
            .add_follow_up(&promise(
                trashed,
                "Hidden",
                "2026-03-10",
                None,
                Initiator::Me,
            ))
            .unwrap();
        store.trash_contact(trashed).unwrap();
        let now = at("2026-03-10 10:00");
        let lists = insight::due_lists(
            store
                .open_follow_ups_until(now.date() + chrono::Duration::days(7))
                .unwrap(),
            now,
        );
        let texts = |l: &[rapport::model::DueFollowUp]| {
            l.iter()
                .map(|d| d.follow_up.draft.text.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(texts(&lists.overdue), ["Late one", "Morning call"]);
        assert_eq!(
            texts(&lists.today),
            ["Lunch", "Afternoon call"],
            "in time order"
        );
        assert_eq!(texts(&lists.next_days), ["Next week"]);
        assert_eq!(lists.today[0].contact_name, "Bob");
    });
}

#[test]
fn cadence_resets_on_any_logged_conversation() {
    each_engine(|mut store| {
        store.set_clock(at("2026-01-01 09:00").and_utc());
        let ada = store
            .create_contact(&ContactDraft {
                cadence_days: Some(30),
                ..ContactDraft::named("Ada")
            })
            .unwrap();
        let bob = store
            .create_contact(&ContactDraft {
                tags: vec!["VIP".into()],
                ..ContactDraft::named("Bob")
            })
            .unwrap();
        store
            .create_contact(&ContactDraft::named("No cadence"))
            .unwrap();
        store.set_tag_cadence("vip", Some(14)).unwrap();
        let today = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        let cold = insight::going_cold(&store.cadence_rows().unwrap(), today);
        assert_eq!(
            cold.iter().map(|c| c.id).collect::<Vec<_>>(),
            vec![bob, ada],
            "Bob's tag cadence is shorter, so he is further over"
        );
        // Any conversation resets it, even a text message about service.
        store
            .log_interaction(&InteractionDraft {
                channel: Channel::Text,
                ..InteractionDraft::new(at("2026-02-25 18:00"), ada)
            })
            .unwrap();
        let cold = insight::going_cold(&store.cadence_rows().unwrap(), today);
        assert_eq!(cold.iter().map(|c| c.id).collect::<Vec<_>>(), vec![bob]);
        assert_eq!(cold[0].cadence_days, 14);
    });
}

#[test]
fn calendar_export_parses_back() {
    let dir = tempfile::tempdir().unwrap();
    each_engine(|mut store| {
        let ada = store
            .create_contact(&ContactDraft {
                birthday: rapport::model::Birthday::parse("1980-07-04"),
                ..ContactDraft::named("Ada")
            })
            .unwrap();
        store
            .add_follow_up(&promise(
                ada,
                "Call back",
                "2026-03-10",
                Some("15:00"),
                Initiator::Me,
            ))
            .unwrap();
        let path = dir.path().join("out.ics");
        let sentence = rapport::files::export_calendar(
            &mut store,
            &path,
            NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
        )
        .unwrap();
        assert!(
            sentence.contains("1 follow-ups and 1 birthdays"),
            "{sentence}"
        );
        let text = std::fs::read_to_string(&path).unwrap();
        let calendar: icalendar::Calendar = text.parse().unwrap();
        use icalendar::Component as _;
        let events: Vec<_> = calendar.events().collect();
        assert_eq!(events[0].get_summary(), Some("Call back — Ada"));
        assert_eq!(
            events[0].get_start(),
            Some(icalendar::DatePerhapsTime::DateTime(
                icalendar::CalendarDateTime::Floating(at("2026-03-10 15:00"))
            ))
        );
        assert_eq!(
            events[1].get_start(),
            Some(icalendar::DatePerhapsTime::Date(
                NaiveDate::from_ymd_opt(1980, 7, 4).unwrap()
            ))
        );
        // A folder that does not exist gets a sentence, and no file appears.
        let err = rapport::files::export_calendar(
            &mut store,
            &dir.path().join("missing/out.ics"),
            NaiveDate::MIN,
        )
        .unwrap_err();
        assert_eq!(
            format!("{err:#}"),
            format!(
                "Could not write in {} (the folder does not exist); choose another folder.",
                dir.path().join("missing").display()
            )
        );
        assert!(!dir.path().join("missing").exists());
    });
}
