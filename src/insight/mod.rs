//! Pure functions over model values: how a timeline is grouped for reading, and what it adds up
//! to. No SQL, no egui, no clock of its own (callers pass `today`).

mod briefing;
mod due;
pub mod duplicates;
mod health;

pub use briefing::{Briefing, BriefingPromise, PromiseState, briefing, relationships_line};

pub use due::{ColdContact, DueLists, due_lists, going_cold};
pub use health::{
    ATTENTION_URGENCY, AttentionItem, DECISION_MAKER_QUIET_DAYS, DEFAULT_CUSTOMER_CADENCE_DAYS,
    Health, HealthInput, HealthLevel, HealthReason, OpenPromise, RECENT_TOUCHES, Touch, health,
};

/// Conversations per week (weeks start on Monday), split by purpose, for the `weeks` weeks up
/// to and including the one with `today`. Index 0 is the oldest week.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct WeeklyTouches {
    /// The Monday of each week.
    pub weeks: Vec<NaiveDate>,
    pub sales: Vec<u32>,
    pub service: Vec<u32>,
    pub relationship: Vec<u32>,
}

/// The Monday on or before `day`.
pub fn week_start(day: NaiveDate) -> NaiveDate {
    day - chrono::Duration::days(i64::from(day.weekday().num_days_from_monday()))
}

/// Adds up daily counts (as the store returns them) into weeks.
pub fn weekly_touches(
    daily: &[(NaiveDate, Purpose, u32)],
    today: NaiveDate,
    weeks: usize,
) -> WeeklyTouches {
    let last = week_start(today);
    let first = last - chrono::Duration::weeks(weeks as i64 - 1);
    let mut out = WeeklyTouches {
        weeks: (0..weeks)
            .map(|w| first + chrono::Duration::weeks(w as i64))
            .collect(),
        sales: vec![0; weeks],
        service: vec![0; weeks],
        relationship: vec![0; weeks],
    };
    for (day, purpose, count) in daily {
        let start = week_start(*day);
        if start < first || start > last {
            continue;
        }
        let slot = ((start - first).num_days() / 7) as usize;
        match purpose {
            Purpose::Sales => out.sales[slot] += count,
            Purpose::Service => out.service[slot] += count,
            Purpose::Relationship => out.relationship[slot] += count,
        }
    }
    out
}

use crate::model::{Purpose, TimelineEntry, TimelineKind};
use chrono::{Datelike, NaiveDate};

/// One row of a timeline as drawn: a year marker, a month heading, or an entry (by index into
/// the entries it was built from).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimelineRow {
    Year(i32),
    Month { year: i32, month: u32 },
    Entry(usize),
}

/// Groups entries (already newest first) under month headings, with a year marker whenever
/// the year changes. The result has one row per line the panel draws, so the panel can show
/// only the visible slice of a timeline with thousands of entries.
pub fn group_by_month(entries: &[TimelineEntry]) -> Vec<TimelineRow> {
    let mut rows = Vec::with_capacity(entries.len() + entries.len() / 4 + 2);
    let mut current: Option<(i32, u32)> = None;
    for (index, entry) in entries.iter().enumerate() {
        let key = (entry.at.year(), entry.at.month());
        if current != Some(key) {
            if current.map(|(y, _)| y) != Some(key.0) {
                rows.push(TimelineRow::Year(key.0));
            }
            rows.push(TimelineRow::Month {
                year: key.0,
                month: key.1,
            });
            current = Some(key);
        }
        rows.push(TimelineRow::Entry(index));
    }
    rows
}

/// Conversations per calendar month, split by purpose, for the last `months` months up to and
/// including `today`'s month. Index 0 is the oldest month.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MonthlyTouches {
    pub months: Vec<NaiveDate>,
    pub sales: Vec<u32>,
    pub service: Vec<u32>,
    pub relationship: Vec<u32>,
}

pub fn monthly_touches(entries: &[TimelineEntry], today: NaiveDate, months: u32) -> MonthlyTouches {
    let month_index = |d: NaiveDate| d.year() * 12 + d.month0() as i32;
    let last = month_index(today);
    let first = last - months as i32 + 1;
    let len = months as usize;
    let mut out = MonthlyTouches {
        months: (first..=last)
            .filter_map(|m| {
                NaiveDate::from_ymd_opt(m.div_euclid(12), m.rem_euclid(12) as u32 + 1, 1)
            })
            .collect(),
        sales: vec![0; len],
        service: vec![0; len],
        relationship: vec![0; len],
    };
    for entry in entries {
        if let TimelineKind::Conversation { purpose, .. } = entry.kind {
            let m = month_index(entry.at.date());
            if m < first || m > last {
                continue;
            }
            let slot = (m - first) as usize;
            match purpose {
                Purpose::Sales => out.sales[slot] += 1,
                Purpose::Service => out.service[slot] += 1,
                Purpose::Relationship => out.relationship[slot] += 1,
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Channel, InteractionId, Outcome};
    use chrono::NaiveDateTime;

    #[test]
    fn weekly_touches_add_days_into_monday_weeks() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        // Wednesday 11 March 2026: its week starts on Monday 9 March.
        let today = d("2026-03-11");
        assert_eq!(week_start(today), d("2026-03-09"));
        let weekly = weekly_touches(
            &[
                (d("2026-03-09"), Purpose::Sales, 2),
                (d("2026-03-08"), Purpose::Service, 1), // Sunday: the week before
                (d("2026-03-02"), Purpose::Relationship, 3),
                (d("2026-02-15"), Purpose::Sales, 9), // before the 3 weeks shown
            ],
            today,
            3,
        );
        assert_eq!(
            weekly.weeks,
            vec![d("2026-02-23"), d("2026-03-02"), d("2026-03-09")]
        );
        assert_eq!(weekly.sales, vec![0, 0, 2]);
        assert_eq!(weekly.service, vec![0, 1, 0]);
        assert_eq!(weekly.relationship, vec![0, 3, 0]);
    }

    fn conversation(at: &str, purpose: Purpose) -> TimelineEntry {
        TimelineEntry {
            at: NaiveDateTime::parse_from_str(at, "%Y-%m-%d %H:%M").unwrap(),
            kind: TimelineKind::Conversation {
                id: InteractionId(1),
                channel: Channel::Call,
                purpose,
                outcome: Outcome::Held,
            },
            title: String::new(),
            detail: String::new(),
        }
    }

    #[test]
    fn months_and_years_are_marked_once_each() {
        let entries = vec![
            conversation("2026-02-10 09:00", Purpose::Sales),
            conversation("2026-02-01 09:00", Purpose::Service),
            conversation("2026-01-15 09:00", Purpose::Sales),
            conversation("2025-12-24 18:00", Purpose::Relationship),
        ];
        assert_eq!(
            group_by_month(&entries),
            vec![
                TimelineRow::Year(2026),
                TimelineRow::Month {
                    year: 2026,
                    month: 2
                },
                TimelineRow::Entry(0),
                TimelineRow::Entry(1),
                TimelineRow::Month {
                    year: 2026,
                    month: 1
                },
                TimelineRow::Entry(2),
                TimelineRow::Year(2025),
                TimelineRow::Month {
                    year: 2025,
                    month: 12
                },
                TimelineRow::Entry(3),
            ]
        );
    }

    #[test]
    fn touches_are_counted_per_month_and_purpose() {
        let entries = vec![
            conversation("2026-02-10 09:00", Purpose::Sales),
            conversation("2026-02-01 09:00", Purpose::Service),
            conversation("2025-12-24 18:00", Purpose::Relationship),
            conversation("2024-01-01 18:00", Purpose::Relationship),
        ];
        let t = monthly_touches(&entries, NaiveDate::from_ymd_opt(2026, 2, 20).unwrap(), 3);
        assert_eq!(t.months[0], NaiveDate::from_ymd_opt(2025, 12, 1).unwrap());
        assert_eq!(t.sales, vec![0, 0, 1]);
        assert_eq!(t.service, vec![0, 0, 1]);
        assert_eq!(t.relationship, vec![1, 0, 0]);
    }
}
