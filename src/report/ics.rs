//! Open follow-ups and birthdays as an iCalendar file, so they land in the user's calendar.
//!
//! Times are written as *floating* local times (no time zone): a promise to call back "Tuesday
//! at 15:00" means 15:00 on the user's wall clock wherever the laptop is, which is also how
//! Rapport stores it. A fixed zone would move the reminder when the user travels, and UTC would
//! need a zone database to convert back. Follow-ups without a time become all-day events;
//! birthdays are all-day events that repeat every year.

use crate::model::{Birthday, DueFollowUp};
use chrono::{Duration, NaiveDate};
use icalendar::{Calendar, Component, Event, EventLike};

/// A birthday to put in the calendar.
#[derive(Clone, Debug, PartialEq)]
pub struct BirthdayEntry {
    pub contact_id: i64,
    pub name: String,
    pub birthday: Birthday,
}

/// Builds the calendar text. `today` decides which year a birthday without a year starts in.
pub fn calendar(
    follow_ups: &[DueFollowUp],
    birthdays: &[BirthdayEntry],
    today: NaiveDate,
) -> String {
    let mut calendar = Calendar::new();
    calendar.name("Rapport: follow-ups and birthdays");
    for item in follow_ups {
        let draft = &item.follow_up.draft;
        let mut event = Event::new();
        event
            .uid(&format!(
                "rapport-follow-up-{}@rapport.local",
                item.follow_up.id.0
            ))
            .summary(&format!("{} — {}", draft.text, item.contact_name))
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
                event.starts(start).ends(start + Duration::minutes(30));
            }
            None => {
                event.all_day(draft.due_date);
            }
        }
        calendar.push(event.done());
    }
    for entry in birthdays {
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
                "rapport-birthday-{}@rapport.local",
                entry.contact_id
            ))
            .summary(&format!("🎂 {}'s birthday", entry.name))
            .all_day(start)
            .add_property("RRULE", "FREQ=YEARLY");
        calendar.push(event.done());
    }
    calendar.done().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ContactId, FollowUp, FollowUpDraft, FollowUpId, FollowUpStatus, Initiator};
    use chrono::NaiveTime;
    use icalendar::{CalendarDateTime, DatePerhapsTime};

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
                },
                status: FollowUpStatus::Open,
                completed_at: None,
                created_at: chrono::DateTime::from_timestamp(0, 0).unwrap(),
            },
            contact_name: "Maria García".into(),
        }
    }

    #[test]
    fn parses_back_with_floating_times_all_day_events_and_yearly_birthdays() {
        let text = calendar(
            &[follow_up(1, Some("15:00")), follow_up(2, None)],
            &[BirthdayEntry {
                contact_id: 7,
                name: "Ada".into(),
                birthday: Birthday::parse("--12-01").unwrap(),
            }],
            NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
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
}
