//! Issue 18, "Usable on a real laptop": what the window says and where, at 900×600 and 150 %.
//! The attention order agrees everywhere, "See all" shows exactly those people, the briefing
//! tells an open promise from one never scheduled, the import preview names who and why, phones
//! read as people write them, notes show, promises' days are understood, and the dashboard's
//! cards and charts fit. Snapshot tests render with wgpu (Mesa's lavapipe without a GPU).

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use rapport::app::{ATTENTION_SHOWN, Prefs, RapportApp, compute_dashboard};
use rapport::model::{
    ContactDraft, ContactFilter, FollowUpDraft, Initiator, InteractionDraft, Phone, Stage,
    due_from_text,
};
use rapport::store::Store;

use crate::common::{NOW, Window, app_in, at};

fn day(text: &str) -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

/// The app on `store` in a window `size` pixels wide and high at `zoom`, the clock fixed at
/// `NOW`, `selected` (a contact id) selected as if remembered from the last session. The
/// harness measures its screen in points: a 900×600 window at 150 % is 600×400 points.
fn harness(
    store: Store,
    size: (f32, f32),
    zoom: f32,
    selected: Option<i64>,
) -> Harness<'static, RapportApp> {
    let prefs = Prefs {
        selected_contact: selected,
        zoom,
        ..Prefs::default()
    };
    app_in(store, Window::of(size.0 / zoom, size.1 / zoom), prefs)
}

/// Focuses the text box with this accessible name and types into it.
fn type_into(h: &mut Harness<'static, RapportApp>, label: &str, text: &str) {
    h.get_by_role_and_label(Role::TextInput, label).focus();
    h.run();
    h.get_by_role_and_label(Role::TextInput, label)
        .type_text(text);
    h.run();
}

/// Nine people on a 30-day cadence never talked to (the same score, 54), added on 1 Jan: the
/// last one added sorts first by name. Plus two healthy people.
fn tied_world() -> Store {
    let mut store = Store::open_in_memory().unwrap();
    store.set_clock(at("2026-01-01 09:00").and_utc());
    for name in [
        "Hana Hill",
        "Ivo Ives",
        "Jan Jones",
        "Kim Knox",
        "Lea Lund",
        "Max Moor",
        "Noa Nash",
        "Ola Ortiz",
        "Abby Adams",
    ] {
        store
            .create_contact(&ContactDraft {
                cadence_days: Some(30),
                ..ContactDraft::named(name)
            })
            .unwrap();
    }
    for name in ["Finn Fine", "Gus Good"] {
        store.create_contact(&ContactDraft::named(name)).unwrap();
    }
    store
}

fn names(items: &[rapport::insight::AttentionItem]) -> Vec<String> {
    items.iter().map(|i| i.name.clone()).collect()
}

/// The weakest-first contact list, keeping only the people on the attention list.
fn weakest_first_needing_attention(store: &Store) -> Vec<String> {
    let filter = ContactFilter {
        sort_by_health: true,
        ..ContactFilter::default()
    };
    let attention: Vec<String> = names(&store.attention_list(1000).unwrap());
    store
        .contact_rows_filtered("", &filter, 0, 1000)
        .unwrap()
        .into_iter()
        .map(|row| row.display_name)
        .filter(|name| attention.contains(name))
        .collect()
}

// Item 1. Without the fix the dashboard took the first 8 by (score, id) and sorted only those
// by name: Abby, added last, was cut off though `rapport attention` put her first.
#[test]
fn the_dashboard_the_cli_and_the_weakest_first_list_agree_on_ties() {
    let mut store = tied_world();
    let now = at(NOW);
    store.refresh_all_health(now, |_, _| true).unwrap();
    let dashboard = names(&compute_dashboard(&store, now).unwrap().attention);
    let mut out = Vec::new();
    let command = rapport::cli::Command::Attention {
        json: true,
        limit: None,
    };
    rapport::cli::run(&mut store, command, &mut out).unwrap();
    let cli: Vec<String> = serde_json::from_slice::<serde_json::Value>(&out)
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["name"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(cli.len(), 9);
    assert_eq!(cli[0], "Abby Adams");
    assert_eq!(dashboard.len(), ATTENTION_SHOWN);
    assert_eq!(dashboard, cli[..ATTENTION_SHOWN], "dashboard vs CLI");
    assert_eq!(weakest_first_needing_attention(&store), cli, "list vs CLI");
}

// Item 1, the tie-break by urgency: the weakest-first list once ordered equal scores by name
// only, the attention list by the most urgent reason first.
#[test]
fn equal_scores_put_the_more_urgent_reason_first_in_every_list() {
    let mut store = Store::open_in_memory().unwrap();
    store.set_clock(at("2026-01-01 09:00").and_utc());
    // Cal: a customer who decides, quiet for 70 days (30 points). Zed: an overdue promise (30).
    let cal = store
        .create_contact(&ContactDraft {
            stage: Stage::Customer,
            is_decision_maker: true,
            ..ContactDraft::named("Cal Decider")
        })
        .unwrap();
    let zed = store
        .create_contact(&ContactDraft::named("Zed Promise"))
        .unwrap();
    store
        .log_interaction(&InteractionDraft::new(at("2026-09-11 10:00"), cal))
        .unwrap();
    store
        .log_interaction(&InteractionDraft::new(at("2026-11-10 10:00"), zed))
        .unwrap();
    store
        .add_follow_up(&FollowUpDraft {
            contact_id: zed,
            organization_id: None,
            interaction_id: None,
            text: "Send the quote".into(),
            notes: String::new(),
            due_date: day("2026-11-12"),
            due_time: None,
            promised_by: Initiator::Me,
            repeat: None,
        })
        .unwrap();
    store.refresh_all_health(at(NOW), |_, _| true).unwrap();
    let attention = store.attention_list(10).unwrap();
    assert_eq!(attention[0].score, attention[1].score, "a tie");
    assert_eq!(names(&attention), ["Zed Promise", "Cal Decider"]);
    assert_eq!(
        weakest_first_needing_attention(&store),
        ["Zed Promise", "Cal Decider"]
    );
}

// Item 2. Without the fix the search text stayed ("1 match") and everyone was listed.
#[test]
fn see_all_clears_the_search_and_lists_exactly_the_people_who_need_attention() {
    let mut h = harness(tied_world(), (1280.0, 800.0), 1.0, None);
    h.run();
    h.get_by_label("🏠 Dashboard").click();
    h.run();
    type_into(&mut h, "Search contacts", "finn");
    assert_eq!(h.state().view.contacts.total, 1);
    h.get_by_label("See all 9 in the contact list, weakest first")
        .click();
    h.run();
    h.run();
    let view = &h.state().view;
    assert_eq!(view.search, "", "the search is cleared");
    assert_eq!(
        view.contacts.total, 9,
        "exactly the nine who need attention"
    );
    assert!(view.contact_filter.needs_attention && view.contact_filter.sort_by_health);
    assert_eq!(
        view.contacts.position(|r| r.display_name == "Abby Adams"),
        Some(0)
    );
}

/// Maria from the UI tests' small world: a promise said on 6 Oct and never scheduled, one with
/// an open follow-up, one kept.
fn promising_world() -> (Store, i64) {
    let mut store = Store::open_in_memory().unwrap();
    store.set_clock(at("2026-08-01 10:00").and_utc());
    let maria = store
        .create_contact(&ContactDraft {
            given_name: "Maria".into(),
            family_name: "García".into(),
            ..ContactDraft::default()
        })
        .unwrap();
    let promise = |store: &mut Store, when: &str, said: &str| {
        store
            .log_interaction(&InteractionDraft {
                summary: "Visit".into(),
                i_promised: said.into(),
                ..InteractionDraft::new(at(when), maria)
            })
            .unwrap()
    };
    promise(&mut store, "2026-10-06 10:30", "Call back Tuesday at 15:00");
    let kept = promise(&mut store, "2026-10-20 10:30", "Bring the price list");
    let open = promise(&mut store, "2026-11-02 10:30", "Send a quote by Thursday");
    let follow_up = |store: &mut Store, interaction, text: &str, due: &str| {
        store
            .add_follow_up(&FollowUpDraft {
                contact_id: maria,
                organization_id: None,
                interaction_id: Some(interaction),
                text: text.into(),
                notes: String::new(),
                due_date: day(due),
                due_time: None,
                promised_by: Initiator::Me,
                repeat: None,
            })
            .unwrap()
    };
    let done = follow_up(&mut store, kept, "Bring the price list", "2026-10-22");
    store
        .complete_follow_up(done, at("2026-10-21 16:00"))
        .unwrap();
    follow_up(&mut store, open, "Send a quote", "2026-11-26");
    (store, maria.0)
}

// Item 3. Without the fix the 6 Oct promise read "(said 6 Oct)" in orange, like an open one,
// and kept ones were left out.
#[test]
fn before_you_talk_tells_open_promises_from_ones_never_scheduled_and_kept_ones() {
    let (store, maria) = promising_world();
    let mut h = harness(store, (1280.0, 800.0), 1.0, Some(maria));
    h.run();
    assert!(h.query_by_label("Before you talk").is_some());
    assert!(
        h.query_by_label("Send a quote (due 26 Nov)").is_some(),
        "the open follow-up, with its due date"
    );
    assert!(
        h.query_by_label("Call back Tuesday at 15:00 (said 6 Oct, never scheduled)")
            .is_some(),
        "said in a conversation, no follow-up"
    );
    assert!(
        h.query_by_label("Bring the price list (kept 21 Oct)")
            .is_some()
    );
    let briefing = &h.state().view.selected.as_ref().unwrap().briefing;
    let open: Vec<&str> = briefing
        .promises
        .iter()
        .filter(|p| p.is_open())
        .map(|p| p.text.as_str())
        .collect();
    assert_eq!(
        open,
        ["Send a quote"],
        "only the follow-up is open, as in the ledger"
    );
}

/// A CSV with 80 columns: a new person, one matching Maria's e-mail, and a row with nobody in it.
fn wide_csv(dir: &std::path::Path) -> std::path::PathBuf {
    let mut headers = vec!["Name".to_owned(), "E-mail".to_owned()];
    headers.extend((3..=80).map(|n| format!("Col {n}")));
    let filler = |n: usize| vec![String::new(); n].join(",");
    let text = format!(
        "{}\nKenji Tanaka,kenji@example.com,{}\nMaria G.,maria@goldencrust.example,{}\n,,only a remark,{}\n",
        headers.join(","),
        filler(78),
        filler(78),
        filler(77)
    );
    let path = dir.join("wide.csv");
    std::fs::write(&path, text).unwrap();
    path
}

fn maria_world() -> Store {
    let mut store = Store::open_in_memory().unwrap();
    store.set_clock(at("2026-08-01 10:00").and_utc());
    store
        .create_contact(&ContactDraft {
            emails: vec![rapport::model::Email {
                label: String::new(),
                address: "maria@goldencrust.example".into(),
            }],
            ..ContactDraft::named("Maria García")
        })
        .unwrap();
    store
}

// Item 4. Without the fix: no focus, Enter did nothing, the preview gave counts only, and the
// columns lay side by side in a strip that only Shift+wheel scrolled.
#[test]
fn the_import_preview_names_who_and_why_and_fits_900x600_at_150_percent() {
    let dir = tempfile::tempdir().unwrap();
    let file = wide_csv(dir.path());
    let mut h = harness(maria_world(), (900.0, 600.0), 1.5, None);
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::I);
    h.run();
    assert!(
        h.get_by_role_and_label(Role::TextInput, "File")
            .is_focused(),
        "the path field has the keyboard"
    );
    h.get_by_role_and_label(Role::TextInput, "File")
        .type_text(file.to_str().unwrap());
    h.run();
    h.key_press(egui::Key::Enter);
    h.run();
    assert!(
        h.query_by_label_contains("Will create 1 · merge 1")
            .is_some()
    );
    assert!(
        h.query_by_label("Row 1 · Kenji Tanaka").is_some(),
        "who is created"
    );
    assert!(
        h.query_by_label_contains("Row 2 · Maria G. into Maria García (same e-mail)")
            .is_some(),
        "who is merged into whom, and by which rule"
    );
    assert!(
        h.query_by_label_contains(
            "Row 3: it has no name, e-mail, phone or organization, so it was skipped"
        )
        .is_some(),
        "the skipped row and why"
    );
    let screen = h.ctx.content_rect();
    let import = h.get_by_label("Import").rect();
    assert!(
        screen.contains_rect(import),
        "Import {import:?} on screen {screen:?}"
    );
    // The temporary folder's name changes from run to run.
    let path_field = h.get_by_role_and_label(Role::TextInput, "File").rect();
    h.mask(path_field);
    h.snapshot("import_preview_900x600_150");

    h.get_by_label("Columns (80)").click();
    h.run();
    let first = h.get_by_role_and_label(Role::ComboBox, "Name").rect();
    let second = h.get_by_role_and_label(Role::ComboBox, "E-mail").rect();
    assert_eq!(first.left(), second.left(), "one column per line");
    assert!(second.top() > first.bottom() - 1.0);
    // The plain wheel (here: the scroll-down action) reaches the last column.
    for _ in 0..40 {
        if h.query_by_role_and_label(Role::ComboBox, "Col 80")
            .is_some()
        {
            break;
        }
        h.get_all_by_role(Role::ComboBox)
            .last()
            .unwrap()
            .scroll_down();
        h.run();
    }
    let last = h.get_by_role_and_label(Role::ComboBox, "Col 80").rect();
    assert!(
        screen.contains_rect(last),
        "Col 80 {last:?} on screen {screen:?}"
    );
    assert!(screen.contains_rect(h.get_by_label("Import").rect()));
    let path_field = h.get_by_role_and_label(Role::TextInput, "File").rect();
    h.mask(path_field);
    h.snapshot("import_columns_900x600_150");
}

// Item 5, the formatting.
#[test]
fn phones_read_in_the_national_format_at_home_and_international_abroad() {
    use rapport::import::display::readable_phone;
    assert_eq!(readable_phone("+19055551234", "US"), "(905) 555-1234");
    assert_eq!(readable_phone("+19055551234", "ca"), "(905) 555-1234");
    assert_eq!(readable_phone("+442079460958", "US"), "+44 20 7946 0958");
    assert_eq!(readable_phone("+442079460958", "GB"), "020 7946 0958");
    assert_eq!(readable_phone("ask at the desk", "US"), "ask at the desk");
    assert_eq!(readable_phone("+19055551234", ""), "+1 905-555-1234");
}

// Items 5 and 6. Without the fix the header said "+19055551234" and showed no notes.
#[test]
fn the_contact_header_shows_a_readable_phone_and_the_imported_notes() {
    let mut store = Store::open_in_memory().unwrap();
    store.set_setting("phone_region", "US").unwrap();
    let dana = store
        .create_contact(&ContactDraft {
            phones: vec![
                Phone {
                    label: "mobile".into(),
                    number: "+19055551234".into(),
                },
                Phone {
                    label: "London office".into(),
                    number: "+442079460958".into(),
                },
            ],
            personal_notes: "Met at the Toronto trade show\nPrefers calls after 4pm".into(),
            ..ContactDraft::named("Dana Pierce")
        })
        .unwrap();
    let mut h = harness(store, (1280.0, 800.0), 1.0, Some(dana.0));
    h.run();
    assert!(
        h.query_by_label("📞\u{a0}(905) 555-1234 (+1 more)")
            .is_some(),
        "the phone as people read it"
    );
    assert!(h.query_by_label_contains("19055551234").is_none());
    assert!(
        h.query_by_label("📝\u{a0}Met at the Toronto trade show")
            .is_some()
    );
    assert!(
        h.query_by_label("Met at the Toronto trade show\nPrefers calls after 4pm")
            .is_some(),
        "every line of the notes on hover"
    );
    let stored = &h
        .state()
        .store()
        .unwrap()
        .contact(dana)
        .unwrap()
        .draft
        .phones[0];
    assert_eq!(stored.number, "+19055551234", "the store keeps E.164");
}

// Item 7. Without the fix every promise was offered for tomorrow.
#[test]
fn a_promise_s_words_give_its_due_day() {
    // Tuesday 8 December 2026.
    let today = day("2026-12-08");
    let due = |text: &str| due_from_text(text, today).map(|(d, t)| (d.to_string(), t));
    let date = |text: &str| due(text).map(|(d, _)| d);
    assert_eq!(
        date("Send a quote by Thursday").as_deref(),
        Some("2026-12-10")
    );
    assert_eq!(date("on Friday").as_deref(), Some("2026-12-11"));
    assert_eq!(
        date("by Tuesday").as_deref(),
        Some("2026-12-15"),
        "strictly after today"
    );
    assert_eq!(date("today, before closing").as_deref(), Some("2026-12-08"));
    assert_eq!(date("next Monday").as_deref(), Some("2026-12-14"));
    assert_eq!(date("next Thursday").as_deref(), Some("2026-12-17"));
    assert_eq!(date("tomorrow").as_deref(), Some("2026-12-09"));
    assert_eq!(
        date("the day after tomorrow").as_deref(),
        Some("2026-12-10")
    );
    assert_eq!(date("next week").as_deref(), Some("2026-12-14"));
    assert_eq!(date("in 3 days").as_deref(), Some("2026-12-11"));
    assert_eq!(date("in two weeks").as_deref(), Some("2026-12-22"));
    assert_eq!(
        date("by the end of the month").as_deref(),
        Some("2026-12-31")
    );
    assert_eq!(date("end of the week").as_deref(), Some("2026-12-11"));
    assert_eq!(date("samples on 12 Dec").as_deref(), Some("2026-12-12"));
    assert_eq!(date("samples by Dec 12th").as_deref(), Some("2026-12-12"));
    assert_eq!(
        date("call on 3 March").as_deref(),
        Some("2027-03-03"),
        "next year"
    );
    assert_eq!(date("by 2027-01-15").as_deref(), Some("2027-01-15"));
    let time = |text: &str| due(text).and_then(|(_, t)| t).map(|t| t.to_string());
    assert_eq!(
        time("Call back Tuesday at 15:00").as_deref(),
        Some("15:00:00")
    );
    assert_eq!(time("Friday at 3pm").as_deref(), Some("15:00:00"));
    assert_eq!(time("tomorrow at 9").as_deref(), Some("09:00:00"));
    assert_eq!(due("Send the brochure"), None);
    assert_eq!(
        due("I may call, the sun sat low"),
        None,
        "ordinary words are not dates"
    );

    use rapport::ui::follow_up_offer::FollowUpOffer;
    let contact = rapport::model::ContactId(1);
    let morning = today.and_hms_opt(9, 0, 0).unwrap();
    let offer = FollowUpOffer::new(contact, None, "Send a quote by Thursday", morning);
    assert_eq!(offer.date, "2026-12-10");
    let offer = FollowUpOffer::new(contact, None, "Call back Tuesday at 15:00", morning);
    assert_eq!(
        (offer.date.as_str(), offer.time.as_str()),
        ("2026-12-15", "15:00")
    );
    let offer = FollowUpOffer::new(contact, None, "Send the brochure", morning);
    assert_eq!(
        offer.date, "2026-12-09",
        "no day named: tomorrow, as before"
    );
}

/// Forty people from the demo data, some needing attention, with birthdays and charts.
fn demo_world() -> Store {
    let mut store = Store::open_in_memory().unwrap();
    store.set_clock(at("2023-11-01 09:00").and_utc());
    rapport::demo::fill(&mut store, 40, 300, at(NOW), |_, _| {}).unwrap();
    store
}

/// The dashboard's cards are whole, on screen, one line of text each, with no gap under them.
fn assert_cards_fit(h: &Harness<'static, RapportApp>) {
    let screen = h.ctx.content_rect();
    let labels = [
        "Need attention",
        "Overdue promises",
        "Due today",
        "Birthdays this week",
    ];
    let mut lowest = f32::MIN;
    for label in labels {
        let card = h
            .get_all_by_role(Role::Button)
            .find(|n| {
                n.accesskit_node()
                    .label()
                    .is_some_and(|l| l.ends_with(label))
            })
            .unwrap_or_else(|| panic!("card {label}"))
            .rect();
        assert!(screen.contains_rect(card), "{label} {card:?} on {screen:?}");
        assert!(
            card.height() < 70.0,
            "{label} is {card:?}: its text wrapped"
        );
        lowest = lowest.max(card.bottom());
    }
    let heading = h.get_by_label_contains("⚠ Needs attention (").rect();
    assert!(
        heading.top() - lowest < 40.0,
        "gap under the cards: {} points",
        heading.top() - lowest
    );
}

// Item 8. Without the fix the fourth card was squeezed into what was left of the row at 150 %:
// its label wrapped letter by letter and left a tall gap under the others.
#[test]
fn snapshot_dashboard_900x600() {
    let mut h = harness(demo_world(), (900.0, 600.0), 1.0, None);
    h.run();
    h.get_by_label("🏠 Dashboard").click();
    h.run();
    assert_cards_fit(&h);
    h.snapshot("dashboard_900x600");
}

#[test]
fn snapshot_dashboard_1366x768_150() {
    let mut h = harness(demo_world(), (1366.0, 768.0), 1.5, None);
    h.run();
    h.get_by_label("🏠 Dashboard").click();
    h.run();
    assert_cards_fit(&h);
    h.snapshot("dashboard_1366x768_150");
    // The charts, further down: the legend above the weekly bars, not over the newest ones.
    h.get_by_label_contains("Channel mix").scroll_to_me();
    h.run();
    let legend = h
        .get_by_label("■ Sales   ■ Service   ■ Relationship")
        .rect();
    let note = h.get_by_label_contains("conversations; ").rect();
    let channels = h.get_by_label_contains("Channel mix").rect();
    // Under the chart's title and note, above the 160-point chart.
    assert!(
        legend.top() >= note.bottom() - 1.0,
        "{legend:?} under {note:?}"
    );
    assert!(
        channels.top() - legend.bottom() > 150.0,
        "the chart is below the legend"
    );
    h.snapshot("dashboard_charts_1366x768_150");
}
