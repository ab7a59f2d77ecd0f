//! Meetings ahead and threads in the window (issue 22): upcoming meetings in Today (the store
//! query on both engines, then the panel), a future meeting is no touch yet for going cold and
//! health, a thread of e-mails is one row of the history that opens in place (paging kept),
//! and the one-key purpose (S, V, R) on the conversation under the pointer, undone by Ctrl+Z.

use egui::accesskit::Role;
use egui_kittest::kittest::Queryable as _;
use rapport::insight;
use rapport::model::incoming::{IncomingConversation, MailAddress};
use rapport::model::{
    Channel, ContactDraft, ContactId, Email, HistoryFilter, HistoryScope, InteractionDraft,
    Outcome, Purpose,
};
use rapport::store::Store;
use rapport::store::conversation_import::{ConversationImportOptions, Listed};

use crate::common::{NOW, Window, app_in, at, each_engine, selecting};

const ME: &str = "me@shop.example";

fn with_email(name: &str, address: &str) -> ContactDraft {
    ContactDraft {
        emails: vec![Email {
            label: "work".into(),
            address: address.into(),
        }],
        ..ContactDraft::named(name)
    }
}

/// An e-mail of thread `thread` from Ana to me.
fn mail(id: &str, thread: &str, when: &str, subject: &str) -> IncomingConversation {
    IncomingConversation {
        source_ref: format!("mid:{id}"),
        thread_ref: Some(format!("mid:{thread}")),
        occurred_at: at(when),
        channel: Channel::Email,
        outcome: Outcome::Held,
        duration_minutes: None,
        from: Some(MailAddress::new("Ana Lima", "ana@lima.example")),
        to: vec![MailAddress::new("", ME)],
        summary: subject.into(),
        they_said: String::new(),
        attachments: Vec::new(),
        skip: None,
    }
}

/// Imports messages through the conversation import, as the window does.
fn import(store: &mut Store, entries: Vec<IncomingConversation>) {
    let options = ConversationImportOptions {
        my_addresses: vec![ME.into()],
        ..ConversationImportOptions::default()
    };
    store
        .import_conversations(
            "mail.mbox",
            "mbox",
            &mut Listed::new(entries),
            &options,
            &mut |_, _| true,
        )
        .unwrap();
}

fn log(store: &mut Store, who: ContactId, when: &str, summary: &str, outcome: Outcome) {
    store
        .log_interaction(&InteractionDraft {
            summary: summary.into(),
            outcome,
            channel: Channel::VideoCall,
            duration_minutes: Some(30),
            ..InteractionDraft::new(at(when), who)
        })
        .unwrap();
}

#[test]
fn upcoming_meetings_are_the_held_ones_ahead_soonest_first_with_their_people() {
    each_engine(|mut store| {
        let ana = store
            .create_contact(&ContactDraft::named("Ana Lima"))
            .unwrap();
        let bruno = store
            .create_contact(&ContactDraft::named("Bruno Costa"))
            .unwrap();
        let gone = store
            .create_contact(&ContactDraft::named("Gone Person"))
            .unwrap();
        log(
            &mut store,
            ana,
            "2026-11-19 10:00",
            "Yesterday",
            Outcome::Held,
        );
        log(&mut store, ana, "2026-11-23 09:30", "Prices", Outcome::Held);
        log(
            &mut store,
            ana,
            "2026-11-21 14:00",
            "Cancelled one",
            Outcome::TheyCancelled,
        );
        log(
            &mut store,
            ana,
            "2026-12-20 10:00",
            "Next month",
            Outcome::Held,
        );
        store
            .log_interaction(&InteractionDraft {
                participants: vec![bruno, ana, gone],
                summary: "Tasting".into(),
                ..InteractionDraft::new(at("2026-11-20 15:00"), bruno)
            })
            .unwrap();
        log(
            &mut store,
            gone,
            "2026-11-22 10:00",
            "Only the gone one",
            Outcome::Held,
        );
        store.trash_contact(gone).unwrap();
        let now = at(NOW);
        let found = store
            .upcoming_meetings(now, now + chrono::Duration::days(7), 50)
            .unwrap();
        let shown: Vec<(String, &str, Vec<&str>)> = found
            .iter()
            .map(|m| {
                let people = m.people.iter().map(|(_, n)| n.as_str()).collect();
                (m.at.to_string(), m.summary.as_str(), people)
            })
            .collect();
        assert_eq!(
            shown,
            [
                (
                    "2026-11-20 15:00:00".to_owned(),
                    "Tasting",
                    vec!["Ana Lima", "Bruno Costa"]
                ),
                ("2026-11-23 09:30:00".to_owned(), "Prices", vec!["Ana Lima"]),
            ]
        );
        assert_eq!(found[1].channel, Channel::VideoCall);
        assert_eq!(found[1].duration_minutes, Some(30));
        assert_eq!(found[0].people[1].0, bruno);
        // The limit counts meetings.
        let first = store
            .upcoming_meetings(now, now + chrono::Duration::days(7), 1)
            .unwrap();
        assert_eq!(first.len(), 1);
        assert_eq!(first[0].people.len(), 2);
    });
}

#[test]
fn a_meeting_ahead_or_a_cancelled_one_is_no_touch_for_going_cold_or_health() {
    each_engine(|mut store| {
        store.set_clock(at(NOW).and_utc());
        let ana = store
            .create_contact(&ContactDraft {
                cadence_days: Some(30),
                ..ContactDraft::named("Ana Lima")
            })
            .unwrap();
        log(
            &mut store,
            ana,
            "2026-09-01 10:00",
            "Last real talk",
            Outcome::Held,
        );
        log(
            &mut store,
            ana,
            "2026-11-10 10:00",
            "She cancelled",
            Outcome::TheyCancelled,
        );
        log(
            &mut store,
            ana,
            "2026-11-25 10:00",
            "Booked from the calendar",
            Outcome::Held,
        );
        let now = at(NOW);
        let cold = insight::going_cold(&store.cadence_rows_at(now).unwrap(), now.date());
        assert_eq!(cold.len(), 1, "{cold:?}");
        assert_eq!(cold[0].last_touch, Some(at("2026-09-01 10:00")));
        assert_eq!(cold[0].days_over, 80 - 30);
        store.refresh_health(&[ana], now).unwrap();
        let health = store.health_of(ana).unwrap().unwrap();
        assert!(
            health
                .reasons
                .iter()
                .any(|r| matches!(r, insight::HealthReason::GoingCold { days: Some(80), .. })),
            "{health:?}"
        );
        // Once the meeting has happened, it counts.
        let later = at("2026-11-26 09:00");
        let cold = insight::going_cold(&store.cadence_rows_at(later).unwrap(), later.date());
        assert!(cold.is_empty(), "{cold:?}");
    });
}

/// Ana with a thread of three e-mails (t1), a single e-mail (t2) and a logged visit.
fn threads_world(store: &mut Store) -> ContactId {
    let ana = store
        .create_contact(&ContactDraft {
            organization: "Lima Bakery".into(),
            ..with_email("Ana Lima", "ana@lima.example")
        })
        .unwrap();
    import(
        store,
        vec![
            mail("a1", "a1", "2026-11-01 09:00", "Spring order"),
            mail("a2", "a1", "2026-11-03 09:00", "Re: Spring order"),
            mail("b1", "b1", "2026-11-04 09:00", "Invoice"),
            mail("a3", "a1", "2026-11-05 09:00", "Re: Re: Spring order"),
        ],
    );
    log(
        store,
        ana,
        "2026-11-02 11:00",
        "Visit at the shop",
        Outcome::Held,
    );
    ana
}

#[test]
fn a_thread_is_one_row_of_the_history_under_its_newest_message() {
    each_engine(|mut store| {
        let ana = threads_world(&mut store);
        let scope = HistoryScope::Contact(ana);
        let all = HistoryFilter::default();
        assert_eq!(store.count_history(scope, &all).unwrap(), 5);
        assert_eq!(store.count_history_rows(scope, &all).unwrap(), 3);
        let rows = store.history_rows(scope, &all, 0, 10).unwrap();
        let shown: Vec<(&str, Option<usize>)> = rows
            .iter()
            .map(|r| {
                let messages = r.thread.as_ref().map(|t| t.messages);
                (r.interaction.draft.summary.as_str(), messages)
            })
            .collect();
        assert_eq!(
            shown,
            [
                ("Re: Re: Spring order", Some(3)),
                ("Invoice", None),
                ("Visit at the shop", None),
            ]
        );
        // Pages are pages of rows.
        let second = store.history_rows(scope, &all, 1, 1).unwrap();
        assert_eq!(second[0].interaction.draft.summary, "Invoice");
        let thread = rows[0].thread.as_ref().unwrap();
        assert_eq!(thread.thread_ref, "mid:a1");
        let messages: Vec<String> = store
            .thread_in_history(scope, &thread.thread_ref)
            .unwrap()
            .into_iter()
            .map(|i| i.draft.summary)
            .collect();
        assert_eq!(
            messages,
            ["Re: Re: Spring order", "Re: Spring order", "Spring order"]
        );
        // A filter shows every match on its own.
        let words = HistoryFilter {
            text: "spring".into(),
            ..HistoryFilter::default()
        };
        assert_eq!(store.count_history_rows(scope, &words).unwrap(), 3);
        let matches = store.history_rows(scope, &words, 0, 10).unwrap();
        assert!(matches.iter().all(|r| r.thread.is_some()));
        // The organization's history folds the same way.
        let org = store.contact(ana).unwrap().organization_id.unwrap();
        let at_org = HistoryScope::Organization(org);
        assert_eq!(store.count_history_rows(at_org, &all).unwrap(), 3);
        let rows = store.history_rows(at_org, &all, 0, 1).unwrap();
        assert_eq!(rows[0].thread.as_ref().map(|t| t.messages), Some(3));
    });
}

/// A window on the thread world, Ana selected.
fn window_on(
    store: Store,
    ana: ContactId,
) -> egui_kittest::Harness<'static, rapport::app::RapportApp> {
    let mut h = app_in(store, Window::of(1280.0, 900.0), selecting(Some(ana.0)));
    h.run();
    h
}

#[test]
fn the_window_opens_a_thread_under_its_newest_message_and_folds_it_again() {
    let mut store = Store::open_in_memory().unwrap();
    let ana = threads_world(&mut store);
    let mut h = window_on(store, ana);
    assert!(
        h.query_by_label_contains("e-mail on 2026-11-05 09:00")
            .is_some()
    );
    assert!(
        h.query_by_label_contains("e-mail on 2026-11-03 09:00")
            .is_none()
    );
    h.get_by_label("\u{23f5} 3 messages in this thread").click();
    h.run();
    assert!(
        h.query_by_label_contains("e-mail on 2026-11-03 09:00")
            .is_some()
    );
    assert!(
        h.query_by_label_contains("e-mail on 2026-11-01 09:00")
            .is_some()
    );
    // A message of the open thread takes the purpose keys too; the thread stays open.
    h.get_by_role_and_label(Role::Button, "Relationship e-mail on 2026-11-03 09:00")
        .hover();
    h.run();
    h.key_press(egui::Key::S);
    h.run();
    let purposes: Vec<(String, Purpose)> = h
        .state()
        .store()
        .unwrap()
        .thread_in_history(HistoryScope::Contact(ana), "mid:a1")
        .unwrap()
        .into_iter()
        .map(|i| (i.draft.summary, i.draft.purpose))
        .collect();
    assert_eq!(
        purposes,
        [
            ("Re: Re: Spring order".to_owned(), Purpose::Relationship),
            ("Re: Spring order".to_owned(), Purpose::Sales),
            ("Spring order".to_owned(), Purpose::Relationship),
        ]
    );
    assert!(
        h.query_by_label("Sales e-mail on 2026-11-03 09:00")
            .is_some()
    );
    h.get_by_label("\u{23f7} 3 messages in this thread").click();
    h.run();
    assert!(
        h.query_by_label_contains("e-mail on 2026-11-03 09:00")
            .is_none()
    );
}

#[test]
fn one_key_sets_the_purpose_of_the_conversation_under_the_pointer_and_ctrl_z_undoes_it() {
    let mut store = Store::open_in_memory().unwrap();
    store.set_clock(at(NOW).and_utc());
    let ana = store
        .create_contact(&ContactDraft::named("Ana Lima"))
        .unwrap();
    let visit = store
        .log_interaction(&InteractionDraft {
            channel: Channel::Visit,
            summary: "Oven check".into(),
            ..InteractionDraft::new(at("2026-11-10 10:00"), ana)
        })
        .unwrap();
    let mut h = window_on(store, ana);
    assert!(
        h.query_by_label("S sales \u{b7} V service \u{b7} R relationship")
            .is_some()
    );
    let purpose = |h: &egui_kittest::Harness<'_, rapport::app::RapportApp>| {
        h.state()
            .store()
            .unwrap()
            .interaction(visit)
            .unwrap()
            .draft
            .purpose
    };
    h.get_by_role_and_label(
        Role::Button,
        "Relationship in-person visit on 2026-11-10 10:00",
    )
    .hover();
    h.run();
    h.key_press(egui::Key::S);
    h.run();
    assert_eq!(purpose(&h), Purpose::Sales);
    assert!(h.query_by_label_contains("is now sales").is_some());
    // The card says so, and V on it again makes it service.
    h.get_by_role_and_label(Role::Button, "Sales in-person visit on 2026-11-10 10:00")
        .hover();
    h.run();
    h.key_press(egui::Key::V);
    h.run();
    assert_eq!(purpose(&h), Purpose::Service);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run();
    assert_eq!(purpose(&h), Purpose::Sales);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run();
    assert_eq!(purpose(&h), Purpose::Relationship);
    // Typing in a box is typing, not a purpose.
    h.get_by_role_and_label(Role::TextInput, "Notes").focus();
    h.run();
    h.get_by_role_and_label(
        Role::Button,
        "Relationship in-person visit on 2026-11-10 10:00",
    )
    .hover();
    h.key_press(egui::Key::R);
    h.key_press(egui::Key::S);
    h.run();
    assert_eq!(purpose(&h), Purpose::Relationship);
}

#[test]
fn today_shows_the_upcoming_meetings_and_a_name_opens_the_person() {
    let mut store = Store::open_in_memory().unwrap();
    store.set_clock(at(NOW).and_utc());
    let ana = store
        .create_contact(&ContactDraft::named("Ana Lima"))
        .unwrap();
    let bruno = store
        .create_contact(&ContactDraft::named("Bruno Costa"))
        .unwrap();
    log(
        &mut store,
        ana,
        "2026-11-20 15:00",
        "Prices for spring",
        Outcome::Held,
    );
    log(
        &mut store,
        bruno,
        "2026-11-24 09:30",
        "Oven delivery",
        Outcome::Held,
    );
    log(
        &mut store,
        bruno,
        "2026-11-01 09:30",
        "Old one",
        Outcome::Held,
    );
    let mut h = app_in(store, Window::of(1280.0, 900.0), selecting(None));
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::T);
    h.run();
    assert!(
        h.query_by_label("\u{1f465} Upcoming meetings (2)")
            .is_some()
    );
    assert!(
        h.query_by_label("15:00").is_some(),
        "today's is shown by its time"
    );
    assert!(h.query_by_label("Tue 24 Nov 09:30").is_some());
    assert!(h.query_by_label("Prices for spring").is_some());
    assert!(h.query_by_label("Old one").is_none());
    h.get_by_role_and_label(Role::Link, "Bruno Costa").click();
    h.run();
    let selected = h.state().view.selected.as_ref().map(|s| s.contact.id);
    assert_eq!(selected, Some(bruno));
}
