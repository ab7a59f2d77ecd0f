//! Who needs me today: overdue and due follow-ups on a given clock, and contacts going cold
//! against their keep-in-touch cadence.

use crate::model::{CadenceRow, ContactId, DueFollowUp};
use chrono::{Duration, NaiveDate, NaiveDateTime};

/// Open follow-ups split by when they are due, as of `now`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DueLists {
    /// Past their due moment; oldest first.
    pub overdue: Vec<DueFollowUp>,
    /// Due later today; in time order (untimed last).
    pub today: Vec<DueFollowUp>,
    /// Due in the next seven days after today.
    pub next_days: Vec<DueFollowUp>,
}

impl DueLists {
    pub fn is_empty(&self) -> bool {
        self.overdue.is_empty() && self.today.is_empty() && self.next_days.is_empty()
    }
}

/// Splits open follow-ups (soonest first, as the store returns them) into overdue, due today
/// and the next seven days. A follow-up without a time is due until the end of its day.
pub fn due_lists(open: Vec<DueFollowUp>, now: NaiveDateTime) -> DueLists {
    let today = now.date();
    let horizon = today + Duration::days(7);
    let mut lists = DueLists::default();
    for item in open {
        let draft = &item.follow_up.draft;
        if draft.due_moment() < now {
            lists.overdue.push(item);
        } else if draft.due_date == today {
            lists.today.push(item);
        } else if draft.due_date <= horizon {
            lists.next_days.push(item);
        }
    }
    lists
}

/// A contact past their keep-in-touch cadence.
#[derive(Clone, Debug, PartialEq)]
pub struct ColdContact {
    pub id: ContactId,
    pub display_name: String,
    pub cadence_days: i64,
    pub last_touch: Option<NaiveDateTime>,
    /// The day the next touch was due.
    pub due_on: NaiveDate,
    pub days_over: i64,
}

/// Contacts whose next touch (last conversation, or the day they were added, plus the cadence)
/// is before `today`, the longest overdue first.
pub fn going_cold(rows: &[CadenceRow], today: NaiveDate) -> Vec<ColdContact> {
    let mut cold: Vec<ColdContact> = rows
        .iter()
        .filter_map(|row| {
            let since = row.last_touch.map(|t| t.date()).unwrap_or(row.added_on);
            let due_on = since + Duration::days(row.cadence_days);
            (due_on < today).then(|| ColdContact {
                id: row.id,
                display_name: row.display_name.clone(),
                cadence_days: row.cadence_days,
                last_touch: row.last_touch,
                due_on,
                days_over: (today - due_on).num_days(),
            })
        })
        .collect();
    cold.sort_by(|a, b| {
        b.days_over
            .cmp(&a.days_over)
            .then_with(|| a.display_name.cmp(&b.display_name))
    });
    cold
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{FollowUp, FollowUpDraft, FollowUpId, FollowUpStatus, Initiator};
    use chrono::NaiveTime;

    fn due(id: i64, date: &str, time: Option<&str>) -> DueFollowUp {
        DueFollowUp {
            follow_up: FollowUp {
                id: FollowUpId(id),
                draft: FollowUpDraft {
                    contact_id: ContactId(1),
                    organization_id: None,
                    interaction_id: None,
                    text: format!("task {id}"),
                    notes: String::new(),
                    due_date: NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap(),
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
            contact_name: "Ada".into(),
        }
    }

    fn ids(list: &[DueFollowUp]) -> Vec<i64> {
        list.iter().map(|d| d.follow_up.id.0).collect()
    }

    #[test]
    fn due_lists_on_a_fixed_clock() {
        let now = NaiveDateTime::parse_from_str("2026-03-10 14:00", "%Y-%m-%d %H:%M").unwrap();
        let lists = due_lists(
            vec![
                due(1, "2026-03-02", None),          // last week: overdue
                due(2, "2026-03-10", Some("09:00")), // this morning: overdue
                due(3, "2026-03-10", Some("15:00")), // this afternoon: today
                due(4, "2026-03-10", None),          // today, no time: today until midnight
                due(5, "2026-03-17", Some("10:00")), // in seven days
                due(6, "2026-03-18", None),          // beyond the week
            ],
            now,
        );
        assert_eq!(ids(&lists.overdue), vec![1, 2]);
        assert_eq!(ids(&lists.today), vec![3, 4]);
        assert_eq!(ids(&lists.next_days), vec![5]);
    }

    #[test]
    fn cadence_counts_from_the_last_touch_or_the_day_added() {
        let today = NaiveDate::from_ymd_opt(2026, 3, 10).unwrap();
        let at = |s: &str| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
        let rows = vec![
            CadenceRow {
                id: ContactId(1),
                display_name: "Fresh".into(),
                cadence_days: 30,
                last_touch: Some(at("2026-03-01 10:00")),
                added_on: today,
            },
            CadenceRow {
                id: ContactId(2),
                display_name: "Cold".into(),
                cadence_days: 14,
                last_touch: Some(at("2026-01-01 10:00")),
                added_on: today,
            },
            CadenceRow {
                id: ContactId(3),
                display_name: "Never".into(),
                cadence_days: 7,
                last_touch: None,
                added_on: NaiveDate::from_ymd_opt(2026, 2, 20).unwrap(),
            },
            CadenceRow {
                id: ContactId(4),
                display_name: "Exactly".into(),
                cadence_days: 9,
                last_touch: Some(at("2026-03-01 10:00")),
                added_on: today,
            },
        ];
        let cold = going_cold(&rows, today);
        assert_eq!(
            cold.iter()
                .map(|c| c.display_name.as_str())
                .collect::<Vec<_>>(),
            vec!["Cold", "Never"]
        );
        assert_eq!(cold[0].days_over, 54);
        assert_eq!(
            cold[1].due_on,
            NaiveDate::from_ymd_opt(2026, 2, 27).unwrap()
        );
    }
}
