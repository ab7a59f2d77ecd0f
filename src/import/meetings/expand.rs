//! The occurrences of the events of one UID: a single event, or a series expanded over the
//! window by the `rrule` crate (RRULE with COUNT or UNTIL, RDATE, EXDATE), each occurrence
//! replaced by its RECURRENCE-ID override when the file has one (moved, retitled or
//! cancelled). Series are expanded on wall-clock times in their own zone (fed to `rrule` as
//! UTC), so a weekly 10:00 stays at 10:00 across a daylight-saving change.

use std::collections::HashMap;

use chrono::{NaiveDateTime, TimeDelta, TimeZone};

use super::event::{Event, Moment};

/// One meeting to become a conversation.
pub(super) struct Occurrence<'a> {
    /// The event whose words it has (the series, or the override).
    pub event: &'a Event,
    pub start: Moment,
    pub length: Option<TimeDelta>,
    /// The slot in its series (the RECURRENCE-ID); None for a single event.
    pub slot: Option<Moment>,
}

/// The window series are expanded over, and how many occurrences one may have in it.
pub(super) struct Window {
    pub from: NaiveDateTime,
    pub until: NaiveDateTime,
    /// A series with more occurrences in the window keeps the ones nearest to `today`.
    pub max_per_series: usize,
    pub today: NaiveDateTime,
}

impl Window {
    fn holds(&self, wall: NaiveDateTime) -> bool {
        (self.from..=self.until).contains(&wall)
    }
}

/// Steps through a rule at most this often before the window ends (a rule every minute from
/// 1990 would otherwise take millions).
const MAX_STEPS: usize = 200_000;

/// The occurrences of all the events that share one UID.
pub(super) fn occurrences<'a>(events: &[&'a Event], window: &Window) -> Vec<Occurrence<'a>> {
    let (overrides, masters): (Vec<&Event>, Vec<&Event>) =
        events.iter().partition(|e| e.recurrence_id.is_some());
    let Some(master) = masters.into_iter().max_by_key(|e| e.sequence) else {
        return overrides
            .into_iter()
            .filter(|e| window.holds(e.start.wall))
            .map(|e| as_itself(e, e.recurrence_id.clone()))
            .collect();
    };
    if master.rule.is_none() && master.rdates.is_empty() {
        return single(master, overrides);
    }
    let zone = &master.start.zone;
    let slot = |wall| Moment {
        wall,
        date_only: master.start.date_only,
        zone: zone.clone(),
    };
    // Each override by the slot it replaces, as a wall time of the series' zone.
    let mut pending: HashMap<NaiveDateTime, &Event> = HashMap::new();
    for over in &overrides {
        if let Some(rid) = &over.recurrence_id {
            let key = rid.wall_in(zone);
            if pending
                .get(&key)
                .is_none_or(|o| o.sequence <= over.sequence)
            {
                pending.insert(key, over);
            }
        }
    }
    let mut found = Vec::new();
    for wall in slots(master, window) {
        match pending.remove(&wall) {
            Some(over) => found.push(as_itself(over, Some(slot(wall)))),
            None => found.push(Occurrence {
                event: master,
                start: slot(wall),
                length: master.length,
                slot: Some(slot(wall)),
            }),
        }
    }
    // Overrides of slots the rule did not make here (outside the window, past the cap, or a
    // file that moved a slot the rule does not have): kept when they fall in the window.
    let mut rest: Vec<(NaiveDateTime, &Event)> = pending.into_iter().collect();
    rest.sort_by_key(|(key, _)| *key);
    found.extend(
        rest.into_iter()
            .map(|(_, e)| e)
            .filter(|e| window.holds(e.start.wall_in(zone)))
            .map(|e| as_itself(e, e.recurrence_id.clone())),
    );
    found
}

/// A single event, and any override a file has for it (one of its own start replaces it).
fn single<'a>(master: &'a Event, overrides: Vec<&'a Event>) -> Vec<Occurrence<'a>> {
    let zone = &master.start.zone;
    let (same, others): (Vec<&Event>, Vec<&Event>) = overrides.into_iter().partition(|o| {
        o.recurrence_id
            .as_ref()
            .is_some_and(|rid| rid.wall_in(zone) == master.start.wall)
    });
    let mut found = vec![as_itself(same.last().copied().unwrap_or(master), None)];
    found.extend(
        others
            .into_iter()
            .map(|o| as_itself(o, o.recurrence_id.clone())),
    );
    found
}

fn as_itself(event: &Event, slot: Option<Moment>) -> Occurrence<'_> {
    Occurrence {
        event,
        start: event.start.clone(),
        length: event.length,
        slot,
    }
}

/// The series' start times in the window: the rule's, the RDATEs, less the EXDATEs.
fn slots(master: &Event, window: &Window) -> Vec<NaiveDateTime> {
    let zone = &master.start.zone;
    // DTSTART is the first occurrence, whether or not the rule makes it (as calendars show
    // it); a rule that makes it too gives it once.
    let mut walls = match &master.rule {
        Some(_) => rule_walls(master, window),
        None => Vec::new(),
    };
    if window.holds(master.start.wall) {
        walls.push(master.start.wall);
    }
    walls.extend(
        master
            .rdates
            .iter()
            .map(|d| d.wall_in(zone))
            .filter(|w| window.holds(*w)),
    );
    walls.sort();
    walls.dedup();
    walls.retain(|wall| {
        !master.exdates.iter().any(|ex| {
            if ex.date_only && !master.start.date_only {
                ex.wall.date() == wall.date()
            } else {
                ex.wall_in(zone) == *wall
            }
        })
    });
    nearest(walls, window)
}

/// At most `max_per_series` of the times, those nearest to today, in order.
fn nearest(mut walls: Vec<NaiveDateTime>, window: &Window) -> Vec<NaiveDateTime> {
    if walls.len() > window.max_per_series {
        walls.sort_by_key(|wall| (*wall - window.today).abs());
        walls.truncate(window.max_per_series);
        walls.sort();
    }
    walls
}

/// The rule's dates in the window. A rule `rrule` refuses leaves the series its first date.
fn rule_walls(master: &Event, window: &Window) -> Vec<NaiveDateTime> {
    let start = master.start.wall;
    let first_only = || {
        if window.holds(start) {
            vec![start]
        } else {
            Vec::new()
        }
    };
    let Some(rule) = &master.rule else {
        return first_only();
    };
    let Ok(mut parsed) = rule.to_string().parse::<rrule::RRule<rrule::Unvalidated>>() else {
        return first_only();
    };
    if let Some(until) = &master.until {
        let wall = if until.date_only {
            until.wall + TimeDelta::seconds(86_399)
        } else {
            until.wall_in(&master.start.zone)
        };
        parsed = parsed.until(rrule::Tz::UTC.from_utc_datetime(&wall));
    }
    let Ok(set) = parsed.build(rrule::Tz::UTC.from_utc_datetime(&start)) else {
        return first_only();
    };
    let mut walls = Vec::new();
    for at in set.into_iter().take(MAX_STEPS) {
        let wall = at.naive_utc();
        if wall > window.until {
            break;
        }
        if wall >= window.from {
            walls.push(wall);
        }
    }
    walls
}
