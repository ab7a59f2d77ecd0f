//! Time zones of a calendar file: the zone an event names (`TZID` with its `VTIMEZONE`, an
//! IANA name, a Windows name such as "W. Europe Standard Time", UTC `Z`, or none: floating),
//! and the zone of this computer's wall clock, where conversations are kept.
//!
//! Names are resolved by calcard (IANA names, Windows names, `X-LIC-LOCATION`, Outlook's
//! `X-MICROSOFT-CDO-TZID`). A `VTIMEZONE` whose name none of those know ("Customized Time
//! Zone") is read by its own rules: the onsets of its STANDARD and DAYLIGHT parts, expanded by
//! the `rrule` crate. A `TZID` that is neither known nor defined in the file is taken as
//! floating (this computer's wall clock).

use std::collections::HashMap;
use std::str::FromStr;
use std::sync::Arc;

use calcard::common::PartialDateTime;
use calcard::common::timezone::Tz;
use calcard::icalendar::{
    ICalendar, ICalendarComponent, ICalendarComponentType, ICalendarProperty, ICalendarValue,
};
use chrono::{DateTime, FixedOffset, Local, NaiveDate, NaiveDateTime, TimeDelta, TimeZone, Utc};

/// The zone of the wall clock conversations are kept in: this computer's (the default), or a
/// named one (tests, and whoever wants another).
#[derive(Clone, Copy, Debug)]
pub struct LocalZone(Wall);

#[derive(Clone, Copy, Debug)]
enum Wall {
    System,
    Zone(Tz),
}

impl LocalZone {
    /// This computer's zone (`chrono::Local`).
    pub fn system() -> Self {
        LocalZone(Wall::System)
    }

    /// An IANA name ("Europe/Berlin") or a Windows one ("W. Europe Standard Time").
    pub fn named(name: &str) -> Option<Self> {
        match Tz::from_str(name.trim()) {
            Ok(Tz::Floating) | Err(()) => None,
            Ok(tz) => Some(LocalZone(Wall::Zone(tz))),
        }
    }

    /// A fixed offset from UTC, no daylight-saving time.
    pub fn fixed(offset: FixedOffset) -> Self {
        LocalZone(Wall::Zone(Tz::Fixed(offset)))
    }

    /// The wall-clock time of `at` in this zone.
    pub fn wall_clock(&self, at: DateTime<Utc>) -> NaiveDateTime {
        match self.0 {
            Wall::System => at.with_timezone(&Local).naive_local(),
            Wall::Zone(tz) => at.with_timezone(&tz).naive_local(),
        }
    }
}

impl Default for LocalZone {
    fn default() -> Self {
        Self::system()
    }
}

/// The zone an event's times are written in.
#[derive(Clone, Debug)]
pub(super) enum EventZone {
    /// No zone: the same wall-clock time wherever one is.
    Floating,
    Known(Tz),
    /// A `VTIMEZONE` read by its own rules.
    Rules(Arc<Rules>),
}

impl EventZone {
    /// The instant of a wall-clock time in this zone; None when floating. A time that does not
    /// exist (the hour skipped when the clocks go forward) is read an hour later; one that
    /// exists twice is the first.
    pub(super) fn to_utc(&self, wall: NaiveDateTime) -> Option<DateTime<Utc>> {
        match self {
            EventZone::Floating => None,
            EventZone::Known(tz) => {
                let found = tz.from_local_datetime(&wall).earliest().or_else(|| {
                    tz.from_local_datetime(&(wall + TimeDelta::hours(1)))
                        .earliest()
                });
                found.map(|at| at.with_timezone(&Utc))
            }
            EventZone::Rules(rules) => Some(rules.to_utc(wall)),
        }
    }

    /// The wall-clock time of an instant in this zone; None when floating.
    pub(super) fn wall_of(&self, at: DateTime<Utc>) -> Option<NaiveDateTime> {
        match self {
            EventZone::Floating => None,
            EventZone::Known(tz) => Some(at.with_timezone(tz).naive_local()),
            EventZone::Rules(rules) => Some(at.naive_utc() + rules.offset_at(at.naive_utc())),
        }
    }
}

/// The zones a calendar defines, by `TZID`.
pub(super) struct Zones {
    defined: HashMap<String, EventZone>,
}

impl Zones {
    pub(super) fn of(calendar: &ICalendar) -> Self {
        let mut defined = HashMap::new();
        for zone in calendar
            .components
            .iter()
            .filter(|c| c.component_type == ICalendarComponentType::VTimezone)
        {
            let Some(id) = text_of(zone, &ICalendarProperty::Tzid) else {
                continue;
            };
            let resolved = match zone.timezone() {
                Some((_, Tz::Floating)) | None => Rules::of(calendar, zone)
                    .map(|rules| EventZone::Rules(Arc::new(rules)))
                    .or_else(|| Tz::from_str(id).ok().map(EventZone::Known)),
                Some((_, tz)) => Some(EventZone::Known(tz)),
            };
            if let Some(resolved) = resolved {
                defined.insert(id.to_owned(), resolved);
            }
        }
        Zones { defined }
    }

    /// The zone a `TZID` parameter names (None: floating, or UTC when `utc`).
    pub(super) fn zone(&self, tzid: Option<&str>) -> EventZone {
        let Some(id) = tzid.map(str::trim).filter(|id| !id.is_empty()) else {
            return EventZone::Floating;
        };
        if let Some(zone) = self.defined.get(id) {
            return zone.clone();
        }
        match Tz::from_str(id) {
            Ok(Tz::Floating) | Err(()) => EventZone::Floating,
            Ok(tz) => EventZone::Known(tz),
        }
    }
}

fn text_of<'a>(component: &'a ICalendarComponent, property: &ICalendarProperty) -> Option<&'a str> {
    component
        .property(property)
        .and_then(|entry| entry.values.first())
        .and_then(|value| value.as_text())
}

/// A `VTIMEZONE` as its onsets: the UTC instant each offset begins, in order.
#[derive(Debug)]
pub(super) struct Rules {
    /// (onset in UTC, offset from then on)
    onsets: Vec<(NaiveDateTime, TimeDelta)>,
    /// The offset before the first onset.
    before: TimeDelta,
    /// Every offset the zone uses, largest first.
    offsets: Vec<TimeDelta>,
}

/// Onsets are computed for these years: enough for any meeting a file holds.
const FIRST_YEAR: i32 = 1970;
const LAST_YEAR: i32 = 2100;

impl Rules {
    fn of(calendar: &ICalendar, zone: &ICalendarComponent) -> Option<Rules> {
        // (onset in UTC, offset before, offset after)
        let mut found = Vec::new();
        for id in &zone.component_ids {
            let Some(part) = calendar.components.get(*id as usize) else {
                continue;
            };
            if !matches!(
                part.component_type,
                ICalendarComponentType::Standard | ICalendarComponentType::Daylight
            ) {
                continue;
            }
            let (Some(from), Some(to)) = (
                offset_of(part, &ICalendarProperty::Tzoffsetfrom),
                offset_of(part, &ICalendarProperty::Tzoffsetto),
            ) else {
                continue;
            };
            let Some(start) = part
                .property(&ICalendarProperty::Dtstart)
                .and_then(|e| e.values.first())
                .and_then(ICalendarValue::as_partial_date_time)
                .and_then(naive_of)
            else {
                continue;
            };
            let mut starts = match part
                .property(&ICalendarProperty::Rrule)
                .and_then(|e| e.values.first())
            {
                Some(ICalendarValue::RecurrenceRule(rule)) => {
                    observance_onsets(start, &rule.to_string())
                }
                _ => vec![start],
            };
            for rdate in part.properties(&ICalendarProperty::Rdate) {
                starts.extend(
                    rdate
                        .values
                        .iter()
                        .filter_map(ICalendarValue::as_partial_date_time)
                        .filter_map(naive_of),
                );
            }
            found.extend(starts.into_iter().map(|local| (local - from, from, to)));
        }
        found.sort_by_key(|(at, _, _)| *at);
        let before = found.first()?.1;
        let onsets: Vec<(NaiveDateTime, TimeDelta)> =
            found.iter().map(|(at, _, to)| (*at, *to)).collect();
        let mut offsets: Vec<TimeDelta> = onsets.iter().map(|(_, o)| *o).collect();
        offsets.push(before);
        offsets.sort_by(|a, b| b.cmp(a));
        offsets.dedup();
        Some(Rules {
            onsets,
            before,
            offsets,
        })
    }

    fn offset_at(&self, utc: NaiveDateTime) -> TimeDelta {
        match self.onsets.partition_point(|(at, _)| *at <= utc) {
            0 => self.before,
            n => self.onsets[n - 1].1,
        }
    }

    fn to_utc(&self, wall: NaiveDateTime) -> DateTime<Utc> {
        // The largest offset that gives back the same wall time is the first of a time that
        // exists twice; none fits a skipped time, which is read with the offset before it.
        let utc = self
            .offsets
            .iter()
            .map(|offset| wall - *offset)
            .find(|utc| *utc + self.offset_at(*utc) == wall)
            .unwrap_or_else(|| wall - self.offset_at(wall - self.offsets[0]));
        utc.and_utc()
    }
}

/// The starts of a yearly observance rule from `start` through `LAST_YEAR`, as local times.
fn observance_onsets(start: NaiveDateTime, rule: &str) -> Vec<NaiveDateTime> {
    let Ok(rule) = rule.parse::<rrule::RRule<rrule::Unvalidated>>() else {
        return vec![start];
    };
    let from = start.max(first_day(FIRST_YEAR - 1));
    let Ok(set) = rule.build(rrule::Tz::UTC.from_utc_datetime(&start)) else {
        return vec![start];
    };
    let mut onsets = vec![start];
    for at in set.into_iter().take(4 * (LAST_YEAR - 1601) as usize) {
        let at = at.naive_utc();
        if at >= first_day(LAST_YEAR + 1) {
            break;
        }
        if at >= from && at != start {
            onsets.push(at);
        }
    }
    onsets
}

fn first_day(year: i32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(year, 1, 1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .unwrap_or_default()
}

fn offset_of(part: &ICalendarComponent, property: &ICalendarProperty) -> Option<TimeDelta> {
    let value = part
        .property(property)?
        .values
        .first()?
        .as_partial_date_time()?;
    let seconds = i64::from(value.tz_hour?) * 3600 + i64::from(value.tz_minute.unwrap_or(0)) * 60;
    Some(TimeDelta::seconds(if value.tz_minus {
        -seconds
    } else {
        seconds
    }))
}

/// The date and time written, without any zone.
pub(super) fn naive_of(value: &PartialDateTime) -> Option<NaiveDateTime> {
    NaiveDate::from_ymd_opt(
        i32::from(value.year?),
        u32::from(value.month?),
        u32::from(value.day?),
    )?
    .and_hms_opt(
        u32::from(value.hour.unwrap_or(0)),
        u32::from(value.minute.unwrap_or(0)),
        u32::from(value.second.unwrap_or(0)).min(59),
    )
}
