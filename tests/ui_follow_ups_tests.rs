//! Promises, follow-ups, the dashboard and going cold, in the window driven like a person
//! would (the rest of the window, and the helpers used here: `ui_tests`).

use crate::common::at;
use crate::ui_tests::{harness_with, replace_text, small_world, type_into};
use egui::accesskit::Role;
use egui_kittest::{Harness, kittest::Queryable as _};
use rapport::app::RapportApp;
use rapport::model::{FollowUpDraft, Initiator};
use rapport::store::Store;

#[test]
fn a_promise_in_a_conversation_becomes_a_dated_follow_up() {
    let mut h = harness_with(small_world());
    h.run();
    h.get_by_label("Bob Okafor").click();
    h.run();
    h.get_by_label("📝 Log conversation").click();
    h.run();
    type_into(&mut h, "Summary", "Spring order");
    type_into(&mut h, "What I promised", "Send prices");
    h.get_by_label("Save").click();
    h.run();
    assert!(
        h.query_by_label("You made a promise").is_some(),
        "the offer appears"
    );
    type_into(&mut h, "Time (optional)", "15:00");
    h.get_by_label("Create follow-up").click();
    h.run();
    assert!(h.query_by_label("You made a promise").is_none());
    assert!(
        h.query_by_label("Send prices (due 21 Nov 15:00)").is_some(),
        "in the before-you-talk card"
    );
    let store = h.state().store().unwrap();
    let bob = store.contact_rows("bob", 0, 1).unwrap()[0].id;
    let follow_ups = store.follow_ups_for_contact(bob).unwrap();
    assert_eq!(follow_ups.len(), 1);
    assert_eq!(follow_ups[0].draft.due_date.to_string(), "2026-11-21");
    let conversation = store.interactions_for_contact(bob, 0, 1).unwrap()[0].id;
    assert_eq!(
        follow_ups[0].draft.interaction_id,
        Some(conversation),
        "linked to the conversation"
    );
}

#[test]
fn a_promise_shows_in_today_and_ticking_it_off_keeps_it() {
    let mut h = harness_with(small_world());
    h.run();
    h.get_by_label("Bob Okafor").click();
    h.run();
    h.get_by_label("📝 Log conversation").click();
    h.run();
    type_into(&mut h, "What I promised", "Send the spring prices");
    h.get_by_label("Save").click();
    h.run();
    // Due today at 17:00 (the clock says 09:00 on the 20th).
    replace_text(&mut h, "Due date", "2026-11-20");
    type_into(&mut h, "Time (optional)", "17:00");
    h.get_by_label("Create follow-up").click();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::T);
    h.run();
    assert!(h.query_by_label("Today — Friday 20 November").is_some());
    assert!(h.query_by_label("📅 Due today (1)").is_some());
    assert!(h.query_by_label("Send the spring prices").is_some());
    h.snapshot("today_view");
    h.get_by_label("✔ Done").click();
    h.run();
    assert!(h.query_by_label("📅 Due today (1)").is_none());
    assert!(
        h.query_by_label("✔ 1 kept on time").is_some(),
        "the ledger counts it as kept"
    );
    // The item opens its contact.
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run();
    assert!(
        h.query_by_label("📅 Due today (1)").is_some(),
        "undo reopens it"
    );
    // The name in Today opens the contact (the other "Bob Okafor" is the list row).
    h.get_all_by_label("Bob Okafor").last().unwrap().click();
    h.run();
    assert!(h.query_by_label_contains("Conversation history").is_some());
    assert!(
        h.query_by_label("Send the spring prices (due 20 Nov 17:00)")
            .is_some()
    );
}

#[test]
fn a_follow_up_they_promised_from_the_contact() {
    let mut h = harness_with(small_world());
    h.run();
    h.get_by_label("Chloé Dubois").click();
    h.run();
    h.get_by_label("⏰ Follow-up").click();
    h.run();
    assert!(h.query_by_label("New follow-up").is_some());
    h.get_by_role_and_label(Role::ComboBox, "Who promised")
        .click();
    h.run();
    h.get_by_label("⬅ They did").click();
    h.run();
    type_into(&mut h, "What", "Send the signed contract");
    h.get_by_label("Create follow-up").click();
    h.run();
    assert!(
        h.query_by_label_contains("they kept 0, broke 0, 1 open")
            .is_some(),
        "the ledger counts their promise"
    );
    let store = h.state().store().unwrap();
    let chloe = store.contact_rows("chloé", 0, 1).unwrap()[0].id;
    let saved = &store.follow_ups_for_contact(chloe).unwrap()[0];
    assert_eq!(saved.draft.promised_by, rapport::model::Initiator::Them);
    assert_eq!(saved.draft.interaction_id, None);
}

/// The small world plus an overdue promise to Maria and a 14-day cadence on Bob.
fn needy_world() -> Store {
    let mut store = small_world();
    let maria = store.contact_rows("maria", 0, 1).unwrap()[0].id;
    let bob = store.contact_rows("bob", 0, 1).unwrap()[0].id;
    store.set_clock(at("2026-11-01 10:00").and_utc());
    store
        .add_follow_up(&FollowUpDraft {
            contact_id: maria,
            organization_id: None,
            interaction_id: None,
            text: "Send the oven quote".into(),
            notes: String::new(),
            due_date: chrono::NaiveDate::from_ymd_opt(2026, 11, 10).unwrap(),
            due_time: None,
            promised_by: Initiator::Me,
            repeat: None,
        })
        .unwrap();
    let mut draft = store.contact(bob).unwrap().draft;
    draft.cadence_days = Some(14);
    store.update_contact(bob, &draft).unwrap();
    store
}

#[test]
fn the_dashboard_says_who_needs_me_and_why_and_opens_the_contact() {
    let mut h = harness_with(needy_world());
    h.run();
    h.get_by_label("🏠 Dashboard").click();
    h.run();
    assert!(h.query_by_label("⚠ Needs attention (2)").is_some());
    assert!(
        h.query_by_label(
            "You promised \u{201c}Send the oven quote\u{201d} 19 days ago — 10 days late"
        )
        .is_some()
    );
    assert!(
        h.query_by_label("No conversation yet; you wanted every 14 days")
            .is_some(),
        "Bob, never talked to, is past his cadence"
    );
    assert!(h.query_by_label_contains("Recent conversations").is_some());
    assert!(h.query_by_label_contains("Touches per week").is_some());
    // Bob (score 60) comes before Maria (65): the weakest first.
    let bob = h
        .get_all_by_label("Bob Okafor")
        .last()
        .unwrap()
        .rect()
        .top();
    let maria = h
        .get_all_by_label("Maria García")
        .last()
        .unwrap()
        .rect()
        .top();
    assert!(bob < maria, "Bob {bob} above Maria {maria}");
    h.snapshot("dashboard");

    // Follow an item to its contact: the contact view opens with the reason on top.
    h.get_all_by_label("Maria García").last().unwrap().click();
    h.run();
    assert!(h.query_by_label_contains("Conversation history").is_some());
    assert!(
        h.query_by_label(
            "⚠ You promised \u{201c}Send the oven quote\u{201d} 19 days ago — 10 days late"
        )
        .is_some()
    );
    // Ticking the promise off from Today clears it from the dashboard.
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::T);
    h.run();
    h.get_by_label("✔ Done").click();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::D);
    h.run();
    assert!(h.query_by_label("⚠ Needs attention (1)").is_some());
}

#[test]
fn sort_the_contact_list_weakest_first_and_back() {
    let mut h = harness_with(needy_world());
    h.run();
    let first = |h: &Harness<'static, RapportApp>, name: &str| {
        h.state().view.contacts.position(|r| r.display_name == name)
    };
    assert_eq!(
        first(&h, "Bob Okafor"),
        Some(0),
        "by name: Bob, Chloé, Maria"
    );
    h.get_by_label("⬇ Weakest first").click();
    h.run();
    h.run();
    assert_eq!(first(&h, "Bob Okafor"), Some(0));
    assert_eq!(first(&h, "Maria García"), Some(1));
    assert_eq!(first(&h, "Chloé Dubois"), Some(2));
    assert!(h.query_by_label("✖ Clear").is_some());
    h.get_by_label("✖ Clear").click();
    h.run();
    h.run();
    assert_eq!(first(&h, "Maria García"), Some(2));
}

#[test]
fn give_a_tag_a_cadence_in_view_tags_and_see_who_goes_cold() {
    let mut store = small_world();
    let chloe = store.contact_rows("chloé", 0, 1).unwrap()[0].id;
    let mut draft = store.contact(chloe).unwrap().draft;
    draft.tags = vec!["wholesale".into()];
    store.update_contact(chloe, &draft).unwrap();
    let mut h = harness_with(store);
    h.run();
    h.get_by_label("View").click();
    h.run();
    h.get_by_label("Tags…").click();
    h.run();
    assert!(h.query_by_label("wholesale").is_some());
    type_into(&mut h, "Every … days", "30");
    h.get_by_label("Save").click();
    h.run();
    assert!(
        h.query_by_label_contains("Saved the tag wholesale")
            .is_some()
    );
    h.get_by_label("Close").click();
    h.run();
    // Chloé, added in August and never talked to, is now past the tag's 30 days.
    let store = h.state().store().unwrap();
    let health = store.health_of(chloe).unwrap().expect("judged");
    assert!(
        health.explanation()[0].starts_with("No conversation yet; you wanted every 30 days"),
        "{:?}",
        health.explanation()
    );
}
