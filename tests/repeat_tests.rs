//! Follow-ups that repeat: ticking one off schedules the next on the rule's dates (a late one
//! moves to the next date still ahead), each occurrence is a promise of its own in the ledger,
//! a series ends by its count, its last day or a cancel, undo takes the next one back, the
//! command line takes typed days and repeats, and calendars (khal, Python's dateutil) expand
//! the exported RRULE to the same dates.

use crate::calendar_export_tests::Khal;
use crate::common::{at, each_engine, rapport, reader_available, stdout};
use chrono::NaiveDate;
use rapport::model::repeat::Repeat;
use rapport::model::{ContactDraft, ContactId, FollowUpDraft, FollowUpStatus, Initiator};
use rapport::store::Store;

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

fn repeating(contact: ContactId, due: &str, rule: &str, count: Option<u32>) -> FollowUpDraft {
    FollowUpDraft {
        contact_id: contact,
        organization_id: None,
        interaction_id: None,
        text: "Call about the standing order".into(),
        notes: String::new(),
        due_date: day(due),
        due_time: Some(chrono::NaiveTime::from_hms_opt(15, 0, 0).unwrap()),
        promised_by: Initiator::Me,
        repeat: Some(Repeat::parse(rule, day(due), None, count).unwrap()),
    }
}

#[test]
fn ticking_off_a_repeating_follow_up_schedules_the_next_until_the_series_ends() {
    each_engine(|mut store| {
        let ana = store
            .create_contact(&ContactDraft::named("Ana Lima"))
            .unwrap();
        // Every other Tuesday from Tue 1 Dec 2026, four times (1, 15, 29 Dec, 12 Jan).
        let first = store
            .add_follow_up(&repeating(
                ana,
                "2026-12-01",
                "every other Tuesday",
                Some(4),
            ))
            .unwrap();
        let seen = store.follow_up(first).unwrap();
        let (status, next) = store
            .complete_follow_up_seen(&seen, at("2026-12-01 14:00"))
            .unwrap();
        assert_eq!(status, FollowUpStatus::Done);
        let second = store.follow_up(next.unwrap()).unwrap();
        assert_eq!(
            (second.draft.due_date, second.occurrence, second.series),
            (day("2026-12-15"), 2, first)
        );
        assert_eq!(
            second.draft.due_time, seen.draft.due_time,
            "the time is kept"
        );
        // Done three weeks late: the date passed meanwhile (29 Dec) is not made up for; the
        // next is the rule's next date still ahead, the series' fourth and last, as a
        // calendar counts.
        let (status, next) = store
            .complete_follow_up_seen(&second, at("2027-01-07 10:00"))
            .unwrap();
        assert_eq!(status, FollowUpStatus::DoneLate);
        let third = store.follow_up(next.unwrap()).unwrap();
        assert_eq!(
            (third.draft.due_date, third.occurrence),
            (day("2027-01-12"), 4)
        );
        let (_, next) = store
            .complete_follow_up_seen(&third, at("2027-01-12 09:00"))
            .unwrap();
        assert_eq!(next, None, "the fourth of four: the series has ended");
        // Each occurrence is a promise of its own in the ledger.
        let all = store.follow_ups_for_contact(ana).unwrap();
        assert_eq!(all.len(), 3);
        assert!(all.iter().all(|f| f.status != FollowUpStatus::Open));
    });
}

#[test]
fn a_missed_occurrence_moves_the_series_on_and_a_cancelled_one_ends_it() {
    each_engine(|mut store| {
        let ana = store
            .create_contact(&ContactDraft::named("Ana Lima"))
            .unwrap();
        // The last day of every month, from 31 January: February's is the 28th.
        let id = store
            .add_follow_up(&repeating(ana, "2027-01-31", "monthly", None))
            .unwrap();
        let next = store
            .set_follow_up_status_seen(id, FollowUpStatus::Missed, at("2027-02-01 09:00"), None)
            .unwrap()
            .unwrap();
        assert_eq!(
            store.follow_up(next).unwrap().draft.due_date,
            day("2027-02-28")
        );
        let after = store
            .set_follow_up_status_seen(
                next,
                FollowUpStatus::Cancelled,
                at("2027-02-10 09:00"),
                None,
            )
            .unwrap();
        assert_eq!(after, None);
        assert!(
            store
                .open_follow_ups_until(day("2030-01-01"))
                .unwrap()
                .is_empty()
        );
    });
}

#[test]
fn done_in_the_window_names_the_next_and_undo_takes_it_back() {
    use crate::common::{Window, app_in};
    use rapport::app::{Command, Prefs};
    let mut store = Store::open_in_memory().unwrap();
    let ana = store
        .create_contact(&ContactDraft::named("Ana Lima"))
        .unwrap();
    let call = store
        .add_follow_up(&repeating(ana, "2026-12-01", "every 2 weeks", None))
        .unwrap();
    store.set_clock(at("2026-12-01 15:30").and_utc());
    let mut h = app_in(store, Window::of(1280.0, 800.0), Prefs::default());
    h.run();
    let ctx = h.ctx.clone();
    h.state_mut().apply(
        Command::CompleteFollowUp {
            id: call,
            seen: None,
        },
        &ctx,
    );
    let said = h.state().view.status.clone().unwrap().text;
    assert!(said.contains("Next: Tue 15 Dec."), "{said}");
    let open = h
        .state()
        .store()
        .unwrap()
        .open_follow_ups_until(day("2027-01-01"))
        .unwrap();
    assert_eq!(open.len(), 1);
    h.state_mut().apply(Command::Undo, &ctx);
    let store = h.state().store().unwrap();
    assert_eq!(store.follow_up(call).unwrap().status, FollowUpStatus::Open);
    let open = store.open_follow_ups_until(day("2027-01-01")).unwrap();
    assert_eq!(open.len(), 1, "the next one went with the undo");
    assert_eq!(open[0].follow_up.id, call);
}

#[test]
fn the_command_line_takes_typed_days_and_repeats_and_shows_the_next() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shop.sqlite3");
    let mut store = Store::open(&db).unwrap();
    store
        .create_contact(&ContactDraft::named("Ana Lima"))
        .unwrap();
    drop(store);
    let added = rapport(
        &db,
        &[
            "followup",
            "add",
            "--contact",
            "1",
            "--due",
            "2026-12-04 15:00",
            "--text",
            "Send the price list",
            "--repeat",
            "every 2 weeks",
            "--count",
            "3",
        ],
    );
    assert!(added.status.success(), "{added:?}");
    assert!(
        stdout(&added).contains("due 2026-12-04 15:00, repeating every 2 weeks, 3 times"),
        "{}",
        stdout(&added)
    );
    let listed = rapport(&db, &["followups", "--json"]);
    let rows: serde_json::Value = serde_json::from_str(&stdout(&listed)).unwrap();
    let repeat = &rows[0]["repeat"];
    assert_eq!(repeat["rrule"], "FREQ=WEEKLY;INTERVAL=2;COUNT=3", "{rows}");
    assert_eq!(repeat["next"], "2026-12-18");
    assert_eq!(rows[0]["due"], "2026-12-04 15:00");
    let done = rapport(&db, &["followup", "done", "1"]);
    assert!(
        stdout(&done).contains("Next: follow-up 2"),
        "{}",
        stdout(&done)
    );
    // Words for a day are taken too, and a repeat that is not one is refused in a sentence.
    let typed = rapport(
        &db,
        &[
            "followup",
            "add",
            "--contact",
            "1",
            "--due",
            "tomorrow 9:00",
            "--text",
            "Visit",
        ],
    );
    assert!(typed.status.success(), "{typed:?}");
    let wrong = rapport(
        &db,
        &[
            "followup",
            "add",
            "--contact",
            "1",
            "--due",
            "Friday",
            "--text",
            "X",
            "--repeat",
            "now and then",
        ],
    );
    assert!(!wrong.status.success());
    let said = String::from_utf8_lossy(&wrong.stderr);
    assert!(said.contains("is not a repeat Rapport knows"), "{said}");
}

/// The exported series, expanded by the calendar programs: the same dates Rapport computes.
#[test]
fn calendars_expand_the_exported_series_to_rapports_dates() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rapport.ics");
    let mut store = Store::open_in_memory().unwrap();
    let ana = store
        .create_contact(&ContactDraft::named("Ana Lima"))
        .unwrap();
    let draft = repeating(ana, "2026-03-31", "monthly", Some(4));
    let expected: Vec<NaiveDate> = {
        let repeat = draft.repeat.clone().unwrap();
        std::iter::once(draft.due_date)
            .chain((1..4).filter_map(|k| repeat.next(draft.due_date, k, None)))
            .collect()
    };
    assert_eq!(
        expected,
        ["2026-03-31", "2026-04-30", "2026-05-31", "2026-06-30"].map(day)
    );
    store.add_follow_up(&draft).unwrap();
    rapport::files::export_calendar(&mut store, &path, day("2026-03-01")).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.contains("RRULE:FREQ=MONTHLY;BYMONTHDAY=-1;COUNT=4"),
        "{text}"
    );
    if reader_available("python3") {
        let script = "import sys, icalendar\n\
            from dateutil.rrule import rrulestr\n\
            cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())\n\
            for e in cal.walk('VEVENT'):\n\
            \x20   if 'RRULE' in e:\n\
            \x20       rule = e['RRULE'].to_ical().decode()\n\
            \x20       for d in rrulestr(rule, dtstart=e['DTSTART'].dt):\n\
            \x20           print(d.date())\n";
        let out = std::process::Command::new("python3")
            .args(["-c", script, path.to_str().unwrap()])
            .output()
            .unwrap();
        let dates: Vec<String> = stdout(&out).lines().map(str::to_owned).collect();
        assert_eq!(
            dates,
            expected.iter().map(|d| d.to_string()).collect::<Vec<_>>(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    if reader_available("khal") {
        let khal = Khal::new();
        khal.import(&path);
        let listed = khal.list();
        for date in &expected {
            assert!(
                listed.contains(&date.to_string()),
                "{date} missing in:\n{listed}"
            );
        }
        assert_eq!(
            listed.matches("Call about the standing order").count(),
            4,
            "{listed}"
        );
    }
}

/// The follow-up offer takes words for the day and the repeat, says back what they mean
/// before saving, and refuses what it cannot read in a sentence.
#[test]
fn the_offer_reads_typed_days_and_repeats_back_before_saving() {
    use crate::common::{Window, app_in};
    use crate::ui_tests::replace_text;
    use egui::accesskit::Role;
    use egui_kittest::kittest::Queryable as _;
    use rapport::app::{Command, Prefs};
    let mut store = Store::open_in_memory().unwrap();
    let ana = store
        .create_contact(&ContactDraft::named("Ana Lima"))
        .unwrap();
    // The window's clock: Friday 20 November 2026, 09:00 (`common::NOW`): "Friday" is the
    // next one.
    let mut h = app_in(store, Window::of(1280.0, 800.0), Prefs::default());
    h.run();
    let ctx = h.ctx.clone();
    h.state_mut().apply(Command::NewFollowUp(ana), &ctx);
    h.run();
    h.get_by_role_and_label(Role::TextInput, "What")
        .type_text("Call about the order");
    h.run();
    replace_text(&mut h, "Due date", "friday 15:00");
    h.get_by_role_and_label(Role::TextInput, "Repeats (optional)")
        .focus();
    h.run();
    h.get_by_role_and_label(Role::TextInput, "Repeats (optional)")
        .type_text("every other week");
    h.run();
    assert!(
        h.query_by_label("That is: Friday 27 November 2026 at 15:00, then every 2 weeks")
            .is_some(),
        "the offer says back what the words mean"
    );
    replace_text(&mut h, "Due date", "someday");
    assert!(
        h.query_by_label_contains("That is: ").is_some()
            && h.query_by_label_contains("someday").is_some(),
        "a day it cannot read is said in a sentence"
    );
    replace_text(&mut h, "Due date", "in 2 weeks");
    h.get_by_label("Create follow-up").click();
    h.run();
    let store = h.state().store().unwrap();
    let open = store.open_follow_ups_until(day("2027-01-01")).unwrap();
    assert_eq!(open.len(), 1);
    let made = &open[0].follow_up;
    assert_eq!(made.draft.due_date, day("2026-12-04"));
    assert_eq!(
        made.draft.due_time, None,
        "the time went with the words that said it"
    );
    assert_eq!(
        made.draft.repeat.as_ref().unwrap().describe(),
        "every 2 weeks"
    );
}
