//! Open follow-ups and birthdays as an iCalendar file, so they land in the user's calendar.
//!
//! Times are written as *floating* local times (no time zone): a promise to call back "Tuesday
//! at 15:00" means 15:00 on the user's wall clock wherever the laptop is, which is also how
//! Rapport stores it. A fixed zone would move the reminder when the user travels, and UTC would
//! need a zone database to convert back. Follow-ups without a time become all-day events;
//! birthdays are all-day events that repeat every year.
//!
//! Calendars import the same file again and again (or subscribe to it), so each event keeps one
//! `UID` for as long as its follow-up or contact lives, and its `SEQUENCE` counts the follow-up's
//! reschedules: a re-import updates the event instead of adding a second one. Timed follow-ups
//! carry a `VALARM`, so the calendar app reminds even while Rapport is closed. A repeating
//! follow-up is one event with an `RRULE` for its whole series; a follow-up settled lately stays
//! in the file as `STATUS:CANCELLED`, so the calendar takes it off its list.

use crate::model::{Birthday, DueFollowUp, FollowUpId};
use chrono::{DateTime, Datelike as _, Duration, NaiveDate, Utc};
use icalendar::{Alarm, Calendar, Component, Event, EventLike, Property, Trigger};
use std::collections::HashMap;

/// A birthday to put in the calendar.
#[derive(Clone, Debug, PartialEq)]
pub struct BirthdayEntry {
    pub contact_id: i64,
    pub name: String,
    pub birthday: Birthday,
}

/// How the calendar is written, apart from what is in it.
#[derive(Clone, Debug, PartialEq)]
pub struct CalendarOptions {
    /// How long before a timed follow-up the calendar app reminds (the `alarm_minutes` setting).
    pub alarm_minutes: u32,
    /// The right-hand side of every `UID`, one per database: the demo database and one's own
    /// both have a follow-up 1, and a calendar that sees both must not take one for the other.
    pub uid_domain: String,
    /// When the file was made (`DTSTAMP`).
    pub stamp: DateTime<Utc>,
}

/// The `PRODID` calendars show as the file's maker.
pub fn product_id() -> String {
    format!("-//Rapport//Rapport {}//EN", crate::build_info::VERSION)
}

/// Builds the calendar text. `today` decides which year a birthday without a year starts in;
/// `reschedules` holds how often each follow-up was moved (missing: never).
pub fn calendar(
    follow_ups: &[DueFollowUp],
    reschedules: &HashMap<FollowUpId, u32>,
    birthdays: &[BirthdayEntry],
    today: NaiveDate,
    options: &CalendarOptions,
) -> String {
    calendar_cancelling(follow_ups, &[], reschedules, birthdays, today, options)
}

/// `calendar`, with the events of `settled` follow-ups (done, missed or cancelled lately)
/// marked `STATUS:CANCELLED` one `SEQUENCE` later, so a calendar that imports the file again
/// takes them off its list instead of keeping a promise that was kept. A settled occurrence
/// of a series that goes on is left out: its event is the series' next occurrence.
pub fn calendar_cancelling(
    follow_ups: &[DueFollowUp],
    settled: &[DueFollowUp],
    reschedules: &HashMap<FollowUpId, u32>,
    birthdays: &[BirthdayEntry],
    today: NaiveDate,
    options: &CalendarOptions,
) -> String {
    // Calendar::new() names the library as PRODID; calendars show that as the file's maker.
    let mut calendar = Calendar::empty();
    calendar
        .append_property(Property::new("VERSION", "2.0"))
        .append_property(Property::new("PRODID", product_id()))
        .append_property(Property::new("CALSCALE", "GREGORIAN"))
        .name("Rapport: follow-ups and birthdays");
    for item in follow_ups {
        let sequence = reschedules.get(&item.follow_up.id).copied().unwrap_or(0);
        calendar.push(follow_up_event(item, sequence, options));
    }
    let going_on: std::collections::HashSet<FollowUpId> =
        follow_ups.iter().map(|f| f.follow_up.series).collect();
    for item in settled
        .iter()
        .filter(|f| !going_on.contains(&f.follow_up.series))
    {
        let sequence = reschedules.get(&item.follow_up.id).copied().unwrap_or(0) + 1;
        let mut event = follow_up_event(item, sequence, options);
        event.add_property("STATUS", "CANCELLED");
        calendar.push(event);
    }
    for entry in birthdays {
        calendar.push(birthday_event(entry, today, options));
    }
    calendar.done().to_string()
}

/// One follow-up: a half-hour event with an alarm at its time, or an all-day event.
fn follow_up_event(item: &DueFollowUp, sequence: u32, options: &CalendarOptions) -> Event {
    let draft = &item.follow_up.draft;
    let summary = format!("{} — {}", draft.text, item.contact_name);
    // A repeating follow-up is one event for its whole series: ticking one off moves the
    // series on (its next occurrence is a new follow-up), and a re-import updates the event.
    let uid = format!(
        "follow-up-{}@{}",
        item.follow_up.series.0, options.uid_domain
    );
    let mut event = Event::new();
    event
        .uid(&uid)
        .timestamp(options.stamp)
        .sequence(sequence)
        .summary(&summary)
        .description(&if draft.notes.is_empty() {
            format!("Follow-up for {} (Rapport)", item.contact_name)
        } else {
            format!(
                "{}\n\nFollow-up for {} (Rapport)",
                draft.notes, item.contact_name
            )
        });
    match draft.due_time {
        Some(time) => {
            let start = draft.due_date.and_time(time);
            event
                .starts(start)
                .ends(start + Duration::minutes(30))
                .alarm(alarm(&summary, &uid, options));
        }
        // No alarm on a day without a time: relative to its start it would ring at midnight.
        None => all_day(&mut event, draft.due_date),
    }
    if let Some(repeat) = &draft.repeat {
        event.add_property(
            "RRULE",
            rrule_from(repeat, item.follow_up.occurrence, draft.due_time.is_some()),
        );
    }
    event.done()
}

/// The series' rule as seen from occurrence `occurrence` (the event starts there): a COUNT
/// counts what is left, and an UNTIL is a date-time when the event has a time (RFC 5545: the
/// same value type as DTSTART), the end of that day on the wall clock.
fn rrule_from(repeat: &crate::model::repeat::Repeat, occurrence: u32, timed: bool) -> String {
    repeat
        .rrule_value()
        .split(';')
        .map(|part| match part.split_once('=') {
            Some(("COUNT", n)) => {
                let left = n.parse::<u32>().unwrap_or(1).saturating_sub(occurrence - 1);
                format!("COUNT={}", left.max(1))
            }
            Some(("UNTIL", day)) if timed && day.len() == 8 => format!("UNTIL={day}T235959"),
            _ => part.to_owned(),
        })
        .collect::<Vec<_>>()
        .join(";")
}

/// A display alarm `alarm_minutes` before the start (`TRIGGER:-PT15M`, the form every
/// calendar reads; the library would write `-PT900S` with a `RELATED` parameter). The library
/// gives every component a DTSTAMP and, when it has none, a random UID: the alarm gets one
/// derived from its event's (RFC 9074 lets alarms carry one), so the same data always writes
/// the same file.
fn alarm(summary: &str, event_uid: &str, options: &CalendarOptions) -> Alarm {
    Alarm::display(summary, Trigger::before_start(Duration::zero()))
        .add_property("TRIGGER", format!("-PT{}M", options.alarm_minutes))
        .add_property("UID", format!("alarm-{event_uid}"))
        .timestamp(options.stamp)
        .done()
}

/// Makes `event` last the whole of `day`. DTEND is exclusive in iCalendar, so the event ends at
/// the start of the next day; an end equal to the start (what `EventLike::all_day` writes) is a
/// day of no length, and khal warns on every one.
fn all_day(event: &mut Event, day: NaiveDate) {
    event.starts(day);
    // iCalendar dates have four-digit years: 31 December 9999 has no next day to name there,
    // and a DURATION says the same.
    match day.succ_opt().filter(|next| next.year() <= 9999) {
        Some(next) => event.ends(next),
        None => event.add_property("DURATION", "P1D"),
    };
}

/// One yearly all-day event for a contact's birthday.
fn birthday_event(entry: &BirthdayEntry, today: NaiveDate, options: &CalendarOptions) -> Event {
    let first = entry.birthday.next_on_or_after(today);
    // Start in the birth year when known, so ages read right in calendars that show them.
    let start = entry
        .birthday
        .year
        .and_then(|y| NaiveDate::from_ymd_opt(y, entry.birthday.month, entry.birthday.day))
        .unwrap_or(first);
    let mut event = Event::new();
    event
        .uid(&format!(
            "birthday-{}@{}",
            entry.contact_id, options.uid_domain
        ))
        .timestamp(options.stamp)
        .sequence(0)
        .summary(&format!("🎂 {}'s birthday", entry.name))
        .add_property("RRULE", "FREQ=YEARLY");
    all_day(&mut event, start);
    event.done()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ContactId, FollowUp, FollowUpDraft, FollowUpId, FollowUpStatus, Initiator};
    use chrono::NaiveTime;
    use icalendar::{CalendarDateTime, DatePerhapsTime};

    fn options() -> CalendarOptions {
        CalendarOptions {
            alarm_minutes: 15,
            uid_domain: "a1b2c3.rapport.local".into(),
            stamp: chrono::DateTime::from_timestamp(1_772_000_000, 0).unwrap(),
        }
    }

    fn follow_up(id: i64, time: Option<&str>) -> DueFollowUp {
        DueFollowUp {
            follow_up: FollowUp {
                id: FollowUpId(id),
                draft: FollowUpDraft {
                    contact_id: ContactId(1),
                    organization_id: None,
                    interaction_id: None,
                    text: "Call back with prices; \"urgent\", really".into(),
                    notes: String::new(),
                    due_date: NaiveDate::from_ymd_opt(2026, 3, 10).unwrap(),
                    due_time: time.map(|t| NaiveTime::parse_from_str(t, "%H:%M").unwrap()),
                    promised_by: Initiator::Me,
                    repeat: None,
                },
                status: FollowUpStatus::Open,
                completed_at: None,
                created_at: chrono::DateTime::from_timestamp(0, 0).unwrap(),
                version: 1,
                series_first: NaiveDate::from_ymd_opt(2026, 3, 10).unwrap(),
                occurrence: 1,
                series: FollowUpId(id),
            },
            contact_name: "Maria García".into(),
        }
    }

    #[test]
    fn parses_back_with_floating_times_all_day_events_and_yearly_birthdays() {
        let text = calendar(
            &[follow_up(1, Some("15:00")), follow_up(2, None)],
            &HashMap::new(),
            &[BirthdayEntry {
                contact_id: 7,
                name: "Ada".into(),
                birthday: Birthday::parse("--12-01").unwrap(),
            }],
            NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
            &options(),
        );
        let parsed: Calendar = text.parse().expect("the ICS parses");
        let events: Vec<&Event> = parsed.events().collect();
        assert_eq!(events.len(), 3);
        assert_eq!(
            events[0].get_summary(),
            Some("Call back with prices; \"urgent\", really — Maria García")
        );
        assert_eq!(
            events[0].get_start(),
            Some(DatePerhapsTime::DateTime(CalendarDateTime::Floating(
                NaiveDate::from_ymd_opt(2026, 3, 10)
                    .unwrap()
                    .and_hms_opt(15, 0, 0)
                    .unwrap()
            )))
        );
        assert_eq!(
            events[1].get_start(),
            Some(DatePerhapsTime::Date(
                NaiveDate::from_ymd_opt(2026, 3, 10).unwrap()
            ))
        );
        assert_eq!(
            events[2].get_start(),
            Some(DatePerhapsTime::Date(
                NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
            ))
        );
        assert_eq!(events[2].property_value("RRULE"), Some("FREQ=YEARLY"));
        assert!(
            !text.contains("DTSTART:20260310T150000Z"),
            "floating, not UTC"
        );
        assert!(text.contains("DTSTART:20260310T150000"));
    }

    fn ada() -> BirthdayEntry {
        BirthdayEntry {
            contact_id: 7,
            name: "Ada".into(),
            birthday: Birthday::parse("1980-12-01").unwrap(),
        }
    }

    #[test]
    fn all_day_events_end_the_next_day() {
        let text = calendar(
            &[follow_up(2, None)],
            &HashMap::new(),
            &[ada()],
            NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
            &options(),
        );
        let parsed: Calendar = text.parse().expect("the ICS parses");
        let ends: Vec<_> = parsed.events().map(|e| e.get_end()).collect();
        assert_eq!(
            ends,
            [
                Some(DatePerhapsTime::Date(
                    NaiveDate::from_ymd_opt(2026, 3, 11).unwrap()
                )),
                Some(DatePerhapsTime::Date(
                    NaiveDate::from_ymd_opt(1980, 12, 2).unwrap()
                )),
            ]
        );
        assert!(
            !text.contains("BEGIN:VALARM"),
            "no alarm at midnight: {text}"
        );
    }

    #[test]
    fn the_last_day_there_is_lasts_a_day_too() {
        let mut item = follow_up(3, None);
        item.follow_up.draft.due_date = NaiveDate::from_ymd_opt(9999, 12, 31).unwrap();
        let text = calendar(&[item], &HashMap::new(), &[], NaiveDate::MIN, &options());
        assert!(text.contains("DURATION:P1D"), "{text}");
    }

    #[test]
    fn timed_follow_ups_remind_the_set_minutes_before() {
        let text = calendar(
            &[follow_up(1, Some("15:00"))],
            &HashMap::new(),
            &[],
            NaiveDate::MIN,
            &CalendarOptions {
                alarm_minutes: 45,
                ..options()
            },
        );
        let parsed: Calendar = text.parse().expect("the ICS parses");
        let event = parsed.events().next().unwrap();
        let alarms: Vec<_> = event
            .components()
            .iter()
            .filter(|c| c.component_kind() == "VALARM")
            .collect();
        assert_eq!(alarms.len(), 1, "{text}");
        assert_eq!(alarms[0].property_value("ACTION"), Some("DISPLAY"));
        assert_eq!(alarms[0].property_value("TRIGGER"), Some("-PT45M"));
        assert!(
            alarms[0]
                .property_value("DESCRIPTION")
                .is_some_and(|d| d.contains("Maria García")),
            "{text}"
        );
        // Nothing random: the same data writes the same file.
        let again = calendar(
            &[follow_up(1, Some("15:00"))],
            &HashMap::new(),
            &[],
            NaiveDate::MIN,
            &CalendarOptions {
                alarm_minutes: 45,
                ..options()
            },
        );
        assert_eq!(text, again);
    }

    #[test]
    fn uids_name_the_database_and_sequence_counts_reschedules() {
        let text = calendar(
            &[follow_up(1, Some("15:00")), follow_up(2, None)],
            &HashMap::from([(FollowUpId(2), 3)]),
            &[ada()],
            NaiveDate::MIN,
            &options(),
        );
        let parsed: Calendar = text.parse().expect("the ICS parses");
        let seen: Vec<_> = parsed
            .events()
            .map(|e| {
                (
                    e.get_uid().map(str::to_owned),
                    e.get_sequence(),
                    e.get_timestamp(),
                )
            })
            .collect();
        let stamp = Some(options().stamp);
        assert_eq!(
            seen,
            [
                (
                    Some("follow-up-1@a1b2c3.rapport.local".into()),
                    Some(0),
                    stamp
                ),
                (
                    Some("follow-up-2@a1b2c3.rapport.local".into()),
                    Some(3),
                    stamp
                ),
                (
                    Some("birthday-7@a1b2c3.rapport.local".into()),
                    Some(0),
                    stamp
                ),
            ]
        );
        assert_eq!(parsed.property_value("PRODID"), Some(product_id().as_str()));
        assert!(product_id().starts_with("-//Rapport//Rapport "));
        assert_eq!(text.matches("PRODID").count(), 1, "{text}");
    }
}
