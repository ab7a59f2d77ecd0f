//! What the reminder companion announces, and when it wakes next: pure, on an injected clock
//! and time zone, so every rule here is tested without waiting.
//!
//! A follow-up is reminded at its moment: its due time, or 09:00 local time on its day when it
//! has no time (a morning nudge for the day's promises, when a working day starts). Moments are
//! local wall-clock times as the user typed them; the zone turns them into instants, so a
//! reminder at 02:30 on the night the clocks go forward (when 02:30 never happens) comes when
//! the clocks jump to 03:00, and one at 02:30 on the night they go back comes at the first
//! 02:30, once.
//!
//! A check looks at the moments that passed since the last check (`since`, an instant) and now.
//! Those that came due within the last two minutes are on time and announced one by one (more
//! than three at once become one notification). Older ones came due while the computer slept,
//! was off, or the companion was not running: they arrive together, in one notification. What
//! was announced is remembered as follow-up ids with their moments, so nothing is announced
//! twice, and a follow-up moved to another moment is announced again at its new one.

use crate::model::{ContactId, FollowUpId};
use chrono::{DateTime, Duration, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use std::collections::BTreeSet;

/// When a follow-up without a time is reminded on its day.
pub const UNTIMED_AT: NaiveTime = match NaiveTime::from_hms_opt(9, 0, 0) {
    Some(time) => time,
    None => NaiveTime::MIN,
};

/// How late a reminder may come and still be "on time" rather than "while you were away".
pub const ON_TIME: Duration = Duration::minutes(2);

/// More follow-ups than this due at the same moment are announced in one notification.
pub const MOST_AT_ONCE: usize = 3;

/// The furthest back a check looks: a companion that was off for a month does not bring up
/// everything of that month.
pub const LOOK_BACK: Duration = Duration::days(7);

/// How local wall-clock times and instants map to each other: the system's time zone in the
/// companion, a fixed one in tests.
pub trait Zone {
    /// The instants a local time names: one, two (the hour repeated when the clocks go back),
    /// or none (the hour skipped when they go forward).
    fn instants(&self, local: NaiveDateTime) -> LocalResult<DateTime<Utc>>;
    /// The local wall-clock time at an instant.
    fn local(&self, instant: DateTime<Utc>) -> NaiveDateTime;
}

/// The computer's own time zone.
pub struct SystemZone;

impl Zone for SystemZone {
    fn instants(&self, local: NaiveDateTime) -> LocalResult<DateTime<Utc>> {
        use chrono::TimeZone as _;
        chrono::Local
            .from_local_datetime(&local)
            .map(|t| t.with_timezone(&Utc))
    }

    fn local(&self, instant: DateTime<Utc>) -> NaiveDateTime {
        instant.with_timezone(&chrono::Local).naive_local()
    }
}

/// The instant a local time comes: the first of two when the hour repeats, and when it is
/// skipped, the moment the clocks jump past it (02:30 on a spring-forward night is 03:00).
pub fn instant_of(zone: &impl Zone, local: NaiveDateTime) -> DateTime<Utc> {
    let mut probe = local;
    // Skipped hours are at most a few hours long; a day bounds the search whatever the zone.
    for _ in 0..=24 * 60 {
        match zone.instants(probe) {
            LocalResult::Single(at) | LocalResult::Ambiguous(at, _) => return at,
            LocalResult::None => probe += Duration::minutes(1),
        }
    }
    local.and_utc()
}

/// An open follow-up as the companion sees it: who, what, and when it is due.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pending {
    pub id: FollowUpId,
    pub contact: ContactId,
    pub name: String,
    pub text: String,
    pub due_date: NaiveDate,
    pub due_time: Option<NaiveTime>,
}

impl Pending {
    /// The local moment it is reminded at: its time, or `UNTIMED_AT` on its day.
    pub fn moment(&self) -> NaiveDateTime {
        self.due_date.and_time(self.due_time.unwrap_or(UNTIMED_AT))
    }

    fn key(&self) -> (FollowUpId, NaiveDateTime) {
        (self.id, self.moment())
    }
}

/// What was announced: follow-up ids with the moment they were announced for.
pub type Announced = BTreeSet<(FollowUpId, NaiveDateTime)>;

/// One notification to send.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Announcement {
    /// One follow-up: at its moment, or `late` when it came due while the computer slept or
    /// the companion was not running.
    One { item: Pending, late: bool },
    /// Several at once: `away` when they came due while the computer slept or the companion
    /// was not running, else many due at the same moment.
    Several { items: Vec<Pending>, away: bool },
}

impl Announcement {
    /// The follow-ups it names, in order.
    pub fn items(&self) -> &[Pending] {
        match self {
            Announcement::One { item, .. } => std::slice::from_ref(item),
            Announcement::Several { items, .. } => items,
        }
    }
}

/// The outcome of one check.
#[derive(Debug, PartialEq, Eq)]
pub struct Plan {
    /// The notifications to send now, oldest moment first.
    pub announce: Vec<Announcement>,
    /// What is announced from now on: what was, for follow-ups still open at the same moment,
    /// and what is announced now.
    pub announced: Announced,
    /// The next moment a follow-up is to be reminded, if any is known.
    pub next: Option<DateTime<Utc>>,
}

/// The first `since` of a companion that never ran on this database: the start of today, so
/// starting it in the afternoon brings up the morning's follow-ups, not last month's.
pub fn first_since(zone: &impl Zone, now: DateTime<Utc>) -> DateTime<Utc> {
    instant_of(zone, zone.local(now).date().and_time(NaiveTime::MIN))
}

/// What to announce at `now`, given the open follow-ups, what was announced already and the
/// last check (`since`), and when to wake next.
pub fn plan(
    pending: &[Pending],
    announced: &Announced,
    since: DateTime<Utc>,
    now: DateTime<Utc>,
    zone: &impl Zone,
) -> Plan {
    let since = since.max(now - LOOK_BACK);
    let mut due: Vec<(DateTime<Utc>, &Pending)> = Vec::new();
    let mut next: Option<DateTime<Utc>> = None;
    for item in pending {
        if announced.contains(&item.key()) {
            continue;
        }
        let at = instant_of(zone, item.moment());
        if at > now {
            next = Some(next.map_or(at, |n| n.min(at)));
        } else if at > since {
            due.push((at, item));
        }
    }
    due.sort_by_key(|(at, item)| (*at, item.id));
    let mut still: Announced = pending
        .iter()
        .map(Pending::key)
        .filter(|key| announced.contains(key))
        .collect();
    still.extend(due.iter().map(|(_, item)| item.key()));
    Plan {
        announce: group(&due, now),
        announced: still,
        next,
    }
}

/// Splits what is due into notifications: late ones together, on-time ones one by one unless
/// there are more than `MOST_AT_ONCE`.
fn group(due: &[(DateTime<Utc>, &Pending)], now: DateTime<Utc>) -> Vec<Announcement> {
    let (late, on_time): (Vec<_>, Vec<_>) = due.iter().partition(|(at, _)| now - *at > ON_TIME);
    let late: Vec<Pending> = late.into_iter().map(|(_, item)| (*item).clone()).collect();
    let on_time: Vec<Pending> = on_time
        .into_iter()
        .map(|(_, item)| (*item).clone())
        .collect();
    let mut out = Vec::new();
    match late.len() {
        0 => {}
        1 => out.extend(
            late.into_iter()
                .map(|item| Announcement::One { item, late: true }),
        ),
        _ => out.push(Announcement::Several {
            items: late,
            away: true,
        }),
    }
    if on_time.len() > MOST_AT_ONCE {
        out.push(Announcement::Several {
            items: on_time,
            away: false,
        });
    } else {
        out.extend(
            on_time
                .into_iter()
                .map(|item| Announcement::One { item, late: false }),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{FixedOffset, TimeZone as _};

    /// Central European time in 2026: +01:00, and +02:00 from 29 March 01:00 UTC to
    /// 25 October 01:00 UTC.
    struct Berlin;

    impl Berlin {
        fn summer(instant: DateTime<Utc>) -> bool {
            let starts = Utc.with_ymd_and_hms(2026, 3, 29, 1, 0, 0).unwrap();
            let ends = Utc.with_ymd_and_hms(2026, 10, 25, 1, 0, 0).unwrap();
            instant >= starts && instant < ends
        }

        fn offset(summer: bool) -> FixedOffset {
            FixedOffset::east_opt(if summer { 7200 } else { 3600 }).unwrap()
        }
    }

    impl Zone for Berlin {
        fn instants(&self, local: NaiveDateTime) -> LocalResult<DateTime<Utc>> {
            let found: Vec<DateTime<Utc>> = [false, true]
                .into_iter()
                .filter_map(|summer| {
                    let seconds = i64::from(Self::offset(summer).local_minus_utc());
                    let at = (local - Duration::seconds(seconds)).and_utc();
                    (Self::summer(at) == summer).then_some(at)
                })
                .collect();
            match found[..] {
                [one] => LocalResult::Single(one),
                [a, b] => LocalResult::Ambiguous(a.min(b), a.max(b)),
                _ => LocalResult::None,
            }
        }

        fn local(&self, instant: DateTime<Utc>) -> NaiveDateTime {
            instant
                .with_timezone(&Self::offset(Self::summer(instant)))
                .naive_local()
        }
    }

    fn local(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap()
    }

    /// The instant Berlin's clocks show `text` (the first, when they show it twice).
    fn at(text: &str) -> DateTime<Utc> {
        instant_of(&Berlin, local(text))
    }

    fn item(id: i64, name: &str, due: &str) -> Pending {
        let (date, time) = match due.split_once(' ') {
            Some((date, time)) => (date, Some(time)),
            None => (due, None),
        };
        Pending {
            id: FollowUpId(id),
            contact: ContactId(id * 10),
            name: name.to_owned(),
            text: format!("call {name}"),
            due_date: NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap(),
            due_time: time.map(|t| NaiveTime::parse_from_str(t, "%H:%M").unwrap()),
        }
    }

    fn names(plan: &Plan) -> Vec<(Vec<&str>, bool)> {
        plan.announce
            .iter()
            .map(|a| {
                let grouped = matches!(a, Announcement::Several { .. });
                (a.items().iter().map(|i| i.name.as_str()).collect(), grouped)
            })
            .collect()
    }

    #[test]
    fn remind_a_timed_follow_up_on_its_minute_and_wake_for_it() {
        let pending = [item(1, "Maria", "2026-11-20 15:00")];
        let before = plan(
            &pending,
            &Announced::new(),
            at("2026-11-20 14:00"),
            at("2026-11-20 14:30"),
            &Berlin,
        );
        assert!(before.announce.is_empty());
        assert_eq!(before.next, Some(at("2026-11-20 15:00")));
        let on_time = plan(
            &pending,
            &Announced::new(),
            at("2026-11-20 14:30"),
            at("2026-11-20 15:00"),
            &Berlin,
        );
        assert_eq!(
            on_time.announce,
            vec![Announcement::One {
                item: pending[0].clone(),
                late: false
            }]
        );
        assert_eq!(on_time.next, None);
    }

    #[test]
    fn remind_nothing_twice_even_after_a_restart_that_forgot_the_last_check() {
        let pending = [item(1, "Maria", "2026-11-20 15:00")];
        let first = plan(
            &pending,
            &Announced::new(),
            at("2026-11-20 14:00"),
            at("2026-11-20 15:00"),
            &Berlin,
        );
        assert_eq!(first.announce.len(), 1);
        // Restarted with an old `since`: the remembered announcement keeps it quiet.
        let again = plan(
            &pending,
            &first.announced,
            at("2026-11-20 08:00"),
            at("2026-11-20 15:30"),
            &Berlin,
        );
        assert!(again.announce.is_empty());
        assert_eq!(again.announced, first.announced);
    }

    #[test]
    fn remind_a_moved_follow_up_again_at_its_new_time() {
        let first = [item(1, "Maria", "2026-11-20 15:00")];
        let told = plan(
            &first,
            &Announced::new(),
            at("2026-11-20 14:00"),
            at("2026-11-20 15:00"),
            &Berlin,
        );
        // Snoozed by an hour: the old moment is forgotten, the new one is waited for.
        let moved = [item(1, "Maria", "2026-11-20 16:00")];
        let waiting = plan(
            &moved,
            &told.announced,
            at("2026-11-20 15:00"),
            at("2026-11-20 15:01"),
            &Berlin,
        );
        assert!(waiting.announce.is_empty());
        assert!(waiting.announced.is_empty());
        assert_eq!(waiting.next, Some(at("2026-11-20 16:00")));
        let later = plan(
            &moved,
            &waiting.announced,
            at("2026-11-20 15:01"),
            at("2026-11-20 16:00"),
            &Berlin,
        );
        assert_eq!(names(&later), vec![(vec!["Maria"], false)]);
    }

    #[test]
    fn remind_what_came_due_during_a_sleep_in_one_notification_on_wake() {
        let pending = [
            item(1, "Maria", "2026-11-20 13:00"),
            item(2, "Ken", "2026-11-20 14:00"),
            item(3, "Ana", "2026-11-20 15:00"),
            item(4, "Tom", "2026-11-20 17:00"),
        ];
        // The lid closed at 12:30 and opened at 15:05.
        let woke = plan(
            &pending,
            &Announced::new(),
            at("2026-11-20 12:30"),
            at("2026-11-20 15:05"),
            &Berlin,
        );
        assert_eq!(names(&woke), vec![(vec!["Maria", "Ken", "Ana"], true)]);
        assert!(matches!(
            woke.announce[0],
            Announcement::Several { away: true, .. }
        ));
        assert_eq!(woke.next, Some(at("2026-11-20 17:00")));
        // One missed call comes alone, said to be late.
        let one = plan(
            &pending[2..],
            &Announced::new(),
            at("2026-11-20 12:30"),
            at("2026-11-20 15:05"),
            &Berlin,
        );
        assert_eq!(
            one.announce,
            vec![Announcement::One {
                item: pending[2].clone(),
                late: true
            }]
        );
    }

    #[test]
    fn remind_many_due_at_once_in_one_notification_and_a_few_one_by_one() {
        let two = [
            item(1, "Maria", "2026-11-20 15:00"),
            item(2, "Ken", "2026-11-20 15:00"),
        ];
        let now = at("2026-11-20 15:00");
        let few = plan(
            &two,
            &Announced::new(),
            now - Duration::minutes(1),
            now,
            &Berlin,
        );
        assert_eq!(
            names(&few),
            vec![(vec!["Maria"], false), (vec!["Ken"], false)]
        );
        let five: Vec<Pending> = (1..=5)
            .map(|id| item(id, &format!("P{id}"), "2026-11-20 15:00"))
            .collect();
        let many = plan(
            &five,
            &Announced::new(),
            now - Duration::minutes(1),
            now,
            &Berlin,
        );
        assert!(matches!(
            &many.announce[..],
            [Announcement::Several { away: false, items }] if items.len() == 5
        ));
    }

    #[test]
    fn remind_untimed_follow_ups_at_nine_on_their_day() {
        let pending = [item(1, "Maria", "2026-11-20")];
        let night = plan(
            &pending,
            &Announced::new(),
            at("2026-11-19 22:00"),
            at("2026-11-20 07:00"),
            &Berlin,
        );
        assert!(night.announce.is_empty());
        assert_eq!(night.next, Some(at("2026-11-20 09:00")));
        let morning = plan(
            &pending,
            &Announced::new(),
            at("2026-11-20 07:00"),
            at("2026-11-20 09:00"),
            &Berlin,
        );
        assert_eq!(names(&morning), vec![(vec!["Maria"], false)]);
    }

    #[test]
    fn remind_nothing_that_was_due_before_the_last_check() {
        // Written down after the fact (due 10:00, added at 11:00): nothing to remind of.
        let pending = [item(1, "Maria", "2026-11-20 10:00")];
        let quiet = plan(
            &pending,
            &Announced::new(),
            at("2026-11-20 11:00"),
            at("2026-11-20 11:00"),
            &Berlin,
        );
        assert!(quiet.announce.is_empty() && quiet.next.is_none());
        // A companion that was off for weeks looks back a week at most.
        let old = [item(2, "Ken", "2026-10-01 10:00")];
        let back = plan(
            &old,
            &Announced::new(),
            at("2026-09-01 10:00"),
            at("2026-11-20 11:00"),
            &Berlin,
        );
        assert!(back.announce.is_empty());
    }

    #[test]
    fn remind_at_the_end_of_a_skipped_hour_on_the_spring_forward_night() {
        // 29 March 2026: Berlin's clocks go from 02:00 to 03:00; 02:30 never happens.
        assert_eq!(
            at("2026-03-29 02:30"),
            Utc.with_ymd_and_hms(2026, 3, 29, 1, 0, 0).unwrap()
        );
        let pending = [item(1, "Maria", "2026-03-29 02:30")];
        let before = plan(
            &pending,
            &Announced::new(),
            at("2026-03-29 01:00"),
            at("2026-03-29 01:59"),
            &Berlin,
        );
        assert_eq!(before.next, Some(at("2026-03-29 03:00")));
        // Woken at 03:00 local it is on time, not "while you were away".
        let on_time = plan(
            &pending,
            &Announced::new(),
            at("2026-03-29 01:59"),
            at("2026-03-29 03:00"),
            &Berlin,
        );
        assert_eq!(names(&on_time), vec![(vec!["Maria"], false)]);
    }

    #[test]
    fn remind_once_when_the_clocks_go_back_and_an_hour_repeats() {
        // 25 October 2026: 02:00–03:00 happens twice; 02:30 is reminded at the first.
        let first = Utc.with_ymd_and_hms(2026, 10, 25, 0, 30, 0).unwrap();
        assert_eq!(at("2026-10-25 02:30"), first);
        let pending = [item(1, "Maria", "2026-10-25 02:30")];
        let told = plan(
            &pending,
            &Announced::new(),
            first - Duration::minutes(5),
            first,
            &Berlin,
        );
        assert_eq!(told.announce.len(), 1);
        let second = first + Duration::hours(1);
        let again = plan(&pending, &told.announced, first, second, &Berlin);
        assert!(again.announce.is_empty() && again.next.is_none());
    }

    #[test]
    fn remind_from_the_start_of_today_on_a_first_run() {
        let since = first_since(&Berlin, at("2026-11-20 15:00"));
        assert_eq!(since, at("2026-11-20 00:00"));
        let pending = [
            item(1, "Yesterday", "2026-11-19 16:00"),
            item(2, "Maria", "2026-11-20 10:00"),
        ];
        let first = plan(
            &pending,
            &Announced::new(),
            since,
            at("2026-11-20 15:00"),
            &Berlin,
        );
        assert_eq!(names(&first), vec![(vec!["Maria"], false)]);
        assert!(matches!(
            first.announce[0],
            Announcement::One { late: true, .. }
        ));
    }
}
