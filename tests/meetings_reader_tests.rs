//! Calendar files as Google Calendar, Outlook and Apple Calendar export them, read into the
//! conversations they make (`import::meetings`): times in this computer's zone (fixed here to
//! Europe/Berlin, never through TZ), channels, outcomes, references and people.

use std::path::Path;

use chrono::NaiveDate;
use rapport::import::meetings::{LocalZone, MeetingOptions, is_calendar, read_ics};
use rapport::model::incoming::{IncomingConversation, MailAddress, SkipReason};
use rapport::model::{Channel, Outcome};

fn options() -> MeetingOptions {
    MeetingOptions::new(NaiveDate::from_ymd_opt(2025, 6, 1).unwrap())
        .in_zone(LocalZone::named("Europe/Berlin").unwrap())
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!("tests/fixtures/calendar/{name}")).unwrap()
}

fn read(name: &str) -> Vec<IncomingConversation> {
    read_ics(&fixture(name), &options()).unwrap()
}

fn person(who: &MailAddress) -> String {
    match who.name.as_str() {
        "" => who.address.clone(),
        name => format!("{name} <{}>", who.address),
    }
}

/// One conversation on a line: reference, local time, channel, outcome, minutes, organizer
/// and attendees.
fn line(c: &IncomingConversation) -> String {
    let to: Vec<String> = c.to.iter().map(person).collect();
    format!(
        "{} | {} | {} | {} | {} | {} -> {}",
        c.source_ref,
        c.occurred_at.format("%Y-%m-%d %H:%M"),
        c.channel.as_str(),
        c.outcome.as_str(),
        c.duration_minutes.map_or("-".to_owned(), |m| m.to_string()),
        c.from.as_ref().map_or("nobody".to_owned(), person),
        to.join(", "),
    )
}

fn lines(found: &[IncomingConversation]) -> Vec<String> {
    found.iter().map(line).collect()
}

#[test]
fn a_google_export_gives_video_calls_visits_and_calls_with_their_people() {
    let found = read("google.ics");
    assert_eq!(
        lines(&found),
        [
            // Its VTIMEZONE; the organizer is not repeated among the attendees, the meeting
            // room and the person who declined are left out.
            "ics:4q9k2m1p7s3t5v8x0z@google.com# | 2025-03-12 10:00 | video_call | held | 30 | Me <me@bakery.example> -> Ana Lima <ana@lima.example>",
            // UTC: 11:30Z is 13:30 in Berlin in April; a place beats the Meet link Google adds.
            "ics:7h2j4k6l8n0p@google.com# | 2025-04-04 13:30 | visit | held | 90 | Ana Lima <ana@lima.example> -> Me <me@bakery.example>",
            // A phone number as the location is a call.
            "ics:9a8b7c6d5e@google.com# | 2025-07-15 10:00 | call | held | 30 | Me <me@bakery.example> -> Carla Diaz <Carla@Diaz.example>",
        ]
    );
    assert_eq!(found[0].summary, "Spring prices with Ana");
    // The description up to Google's invitation text, and the link made short.
    assert_eq!(
        found[0].they_said,
        "Spring prices and the new rye bread.\nAna wants samples.\nVideo: meet.google.com/abc-defg-hij"
    );
    assert_eq!(
        found[1].they_said,
        "Where: Café Central, Hauptstraße 5, 10827 Berlin, Germany"
    );
    assert_eq!(
        found[2].they_said,
        "Call her mobile.\nWhere: +34 612 345 678"
    );
    assert!(
        found
            .iter()
            .all(|c| c.thread_ref.is_none() && c.skip.is_none())
    );
}

#[test]
fn an_outlook_export_reads_windows_zone_names_and_its_own_zone_rules() {
    let found = read("outlook.ics");
    assert_eq!(
        lines(&found),
        [
            // "Customized Time Zone": US Eastern rules, read from its VTIMEZONE. 9 March 2025
            // was the first day of daylight-saving time there (UTC−4), Berlin still UTC+1.
            "ics:040000008200E00074C5B7101A82E00800000000FFEEDDCC# | 2025-03-10 14:00 | visit | held | 90 | Me <me@bakery.example> -> Eve Stone <eve@stone.example>",
            // "W. Europe Standard Time" (quoted TZID), a Teams meeting.
            "ics:040000008200E00074C5B7101A82E00800000000D0A8B3E0F283DB01000000000000000010000000A1B2C3D4E5F60718293A4B5C6D7E8F90# | 2025-04-02 14:00 | video_call | held | 60 | Carla Diaz <carla@diaz.example> -> me@bakery.example, Lima, Ana <ana@lima.example>",
        ]
    );
    assert_eq!(found[1].summary, "Summer deliveries");
    assert_eq!(
        found[1].they_said,
        "Delivery times for the summer.\nVideo: teams.microsoft.com/l/meetup-join/19%3ameeting_\u{2026}"
    );
}

#[test]
fn an_apple_export_reads_email_parameters_durations_and_floating_times() {
    let found = read("apple.ics");
    assert_eq!(
        lines(&found),
        [
            // New York 16:00 in February (UTC−5) is 22:00 in Berlin; the attendee's address
            // comes from EMAIL=, her value being a urn:uuid.
            "ics:6F1B2C3D-4E5F-4A6B-9C8D-7E6F5A4B3C2D# | 2025-02-18 22:00 | visit | held | 60 | Me <me@bakery.example> -> Dana Park <dana@park.example>",
            // DURATION:PT45M; a FaceTime link in URL.
            "ics:8A7B6C5D-1111-2222-3333-444455556666# | 2025-03-05 18:00 | video_call | held | 45 | Dana Park <dana@park.example> -> ",
            // Floating: the same wall-clock time wherever one is; nobody named in it.
            "ics:9C9C9C9C-AAAA-BBBB-CCCC-DDDDEEEEFFFF# | 2025-03-20 08:30 | call | held | 30 | nobody -> ",
        ]
    );
    assert_eq!(
        found[0].they_said,
        "Where: Park Roasters, 12 Main St, Brooklyn NY 11201"
    );
    // The link's secret part (after #) is not kept.
    assert_eq!(found[1].they_said, "Video: facetime.apple.com/join");
}

#[test]
fn a_weekly_series_is_expanded_with_its_exceptions_and_overrides() {
    let found = read("weekly.ics");
    let weekly: Vec<String> = lines(&found)
        .into_iter()
        .filter(|l| l.starts_with("ics:weekly"))
        .collect();
    assert_eq!(
        weekly,
        [
            "ics:weekly-standup-ana@google.com#20250303T083000Z | 2025-03-03 09:30 | visit | held | 30 | Me <me@bakery.example> -> Ana Lima <ana@lima.example>",
            // 10 March: EXDATE (two dates on one line, with TZID).
            // 17 March moved to Tuesday 11:00: the override keeps the slot's reference.
            "ics:weekly-standup-ana@google.com#20250317T083000Z | 2025-03-18 11:00 | visit | held | 30 | Me <me@bakery.example> -> Ana Lima <ana@lima.example>",
            // 24 March cancelled (its RECURRENCE-ID in UTC).
            "ics:weekly-standup-ana@google.com#20250324T083000Z | 2025-03-24 09:30 | call | they_cancelled | 30 | Me <me@bakery.example> -> Ana Lima <ana@lima.example>",
            // After the clocks changed: still 09:30 in Berlin, an hour earlier in UTC.
            "ics:weekly-standup-ana@google.com#20250331T073000Z | 2025-03-31 09:30 | visit | held | 30 | Me <me@bakery.example> -> Ana Lima <ana@lima.example>",
            // 7 April: EXDATE. COUNT=8 ends the series on 21 April.
            "ics:weekly-standup-ana@google.com#20250414T073000Z | 2025-04-14 09:30 | visit | held | 30 | Me <me@bakery.example> -> Ana Lima <ana@lima.example>",
            "ics:weekly-standup-ana@google.com#20250421T073000Z | 2025-04-21 09:30 | visit | held | 30 | Me <me@bakery.example> -> Ana Lima <ana@lima.example>",
        ]
    );
    let moved = found
        .iter()
        .find(|c| c.source_ref.ends_with("#20250317T083000Z"))
        .unwrap();
    assert_eq!(moved.summary, "Weekly order with Ana (moved to Tuesday)");
    // A monthly all-day series: UNTIL as a date is inclusive, RDATE adds a day, EXDATE
    // takes one away; all-day references are dates.
    let monthly: Vec<String> = found
        .iter()
        .filter(|c| c.source_ref.starts_with("ics:monthly"))
        .map(|c| format!("{} {}", c.source_ref, c.occurred_at))
        .collect();
    assert_eq!(
        monthly,
        [
            "ics:monthly-stocktake@bakery.example#20250501 2025-05-01 00:00:00",
            "ics:monthly-stocktake@bakery.example#20250515 2025-05-15 00:00:00",
            "ics:monthly-stocktake@bakery.example#20250701 2025-07-01 00:00:00",
            "ics:monthly-stocktake@bakery.example#20250801 2025-08-01 00:00:00",
        ]
    );
}

#[test]
fn a_series_without_end_is_cut_to_the_window_and_the_cap_nearest_today() {
    let daily = |opts: &MeetingOptions| -> Vec<IncomingConversation> {
        read_ics(&fixture("weekly.ics"), opts)
            .unwrap()
            .into_iter()
            .filter(|c| c.source_ref.starts_with("ics:daily"))
            .collect()
    };
    // Every day since 2010, at 16:00 UTC (18:00 in Berlin summer): two years back and one
    // ahead of 1 June 2025 holds 1,097 days; the cap keeps the 1,000 nearest to today: the
    // year ahead (366) and the 634 days before.
    let found = daily(&options());
    assert_eq!(found.len(), 1000);
    assert_eq!(found[0].occurred_at.to_string(), "2023-09-06 18:00:00");
    assert_eq!(found[999].occurred_at.to_string(), "2026-06-01 18:00:00");
    assert_eq!(
        found[0].source_ref,
        "ics:daily-forever@bakery.example#20230906T160000Z"
    );
    // A narrower window, no cap reached.
    let mut narrow = options();
    narrow.from = NaiveDate::from_ymd_opt(2025, 5, 30).unwrap();
    narrow.until = NaiveDate::from_ymd_opt(2025, 6, 2).unwrap();
    let found = daily(&narrow);
    let at: Vec<String> = found.iter().map(|c| c.occurred_at.to_string()).collect();
    assert_eq!(
        at,
        [
            "2025-05-30 18:00:00",
            "2025-05-31 18:00:00",
            "2025-06-01 18:00:00",
            "2025-06-02 18:00:00"
        ]
    );
}

#[test]
fn cancelled_all_day_and_unreadable_events() {
    assert_eq!(
        lines(&read("cancelled.ics")),
        [
            "ics:cancelled-tasting@google.com# | 2025-05-06 15:00 | visit | they_cancelled | 60 | Ana Lima <ana@lima.example> -> Me <me@bakery.example>"
        ]
    );
    let found = read("allday.ics");
    assert_eq!(
        lines(&found),
        [
            // An event naming nobody is kept, with nobody: the import counts it as having no
            // known person. An all-day event is at 00:00 of its first day, without duration.
            "ics:no-people@bakery.example# | 2025-04-10 00:00 | call | held | - | nobody -> ",
            // Without a start it cannot be a conversation: it comes marked, to be counted.
            "ics:no-start@bakery.example# | 2025-06-01 00:00 | call | held | - | nobody -> ",
            "ics:fair-2025@bakery.example# | 2025-09-22 00:00 | visit | held | - | Bruno Costa <bruno@costa.example> -> Me <me@bakery.example>",
        ]
    );
    assert_eq!(
        found[1].skip,
        Some(SkipReason::Unreadable(
            "the event \"Broken entry\" has no start time".to_owned()
        ))
    );
    assert!(found[0].skip.is_none() && found[2].skip.is_none());
}

#[test]
fn reading_the_same_file_twice_gives_the_same_references() {
    for name in [
        "google.ics",
        "outlook.ics",
        "apple.ics",
        "weekly.ics",
        "cancelled.ics",
        "allday.ics",
    ] {
        let first = read(name);
        let again = read(name);
        assert_eq!(first, again, "{name}");
        let mut refs: Vec<&str> = first.iter().map(|c| c.source_ref.as_str()).collect();
        refs.sort();
        refs.dedup();
        assert_eq!(refs.len(), first.len(), "{name}: references are unique");
    }
    // Another computer's zone changes the wall-clock times, not the references.
    let elsewhere = options().in_zone(LocalZone::named("America/New_York").unwrap());
    let there = read_ics(&fixture("weekly.ics"), &elsewhere).unwrap();
    let here = read("weekly.ics");
    let refs = |found: &[IncomingConversation]| -> Vec<String> {
        let mut refs: Vec<String> = found.iter().map(|c| c.source_ref.clone()).collect();
        refs.sort();
        refs
    };
    assert_eq!(refs(&there), refs(&here));
    let first = there
        .iter()
        .find(|c| c.source_ref.ends_with("#20250303T083000Z"))
        .unwrap();
    assert_eq!(first.occurred_at.to_string(), "2025-03-03 03:30:00");
}

#[test]
fn a_file_that_is_not_a_calendar_is_refused_with_a_sentence() {
    let refused = read_ics(&fixture("not-calendar.txt"), &options()).unwrap_err();
    assert_eq!(
        refused,
        "This is not a calendar file: an iCalendar (.ics) file starts with BEGIN:VCALENDAR."
    );
    assert_eq!(read_ics(b"", &options()).unwrap_err(), "The file is empty.");
    // Cut off inside an event: what was read is kept, the event is marked unreadable.
    let cut = read_ics(
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:x\r\n",
        &options(),
    )
    .unwrap();
    assert_eq!(
        cut.iter()
            .map(|c| (c.source_ref.as_str(), c.skip.clone()))
            .collect::<Vec<_>>(),
        [(
            "ics:x#",
            Some(SkipReason::Unreadable(
                "an event has no start time".to_owned()
            ))
        )]
    );
    assert!(is_calendar(Path::new("export.ics"), b""));
    assert!(is_calendar(
        Path::new("calendar"),
        &fixture("google.ics")[..64]
    ));
    assert!(!is_calendar(
        Path::new("people.csv"),
        &fixture("not-calendar.txt")
    ));
    assert_eq!(Channel::VideoCall.as_str(), "video_call");
    assert_eq!(Outcome::TheyCancelled.as_str(), "they_cancelled");
}
