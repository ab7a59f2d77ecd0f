//! One `VEVENT` read into plain values: its times in its own zone, its recurrence, the people
//! in it and what its words say.

use calcard::common::timezone::Tz;
use calcard::icalendar::{
    ICalendarComponent, ICalendarEntry, ICalendarParameterName as PN,
    ICalendarParameterValue as PV, ICalendarParticipationStatus, ICalendarProperty as P,
    ICalendarRecurrenceRule, ICalendarStatus, ICalendarUserTypes, ICalendarValue as V,
};
use chrono::{DateTime, FixedOffset, NaiveDateTime, TimeDelta, Utc};

use super::words::{first_lines, location_is_online, location_is_phone, video_link};
use super::zone::{EventZone, Zones, naive_of};
use crate::model::Channel;
use crate::model::incoming::MailAddress;

/// A time as the file wrote it: a wall-clock time in a zone, or a whole day.
#[derive(Clone, Debug)]
pub(super) struct Moment {
    pub wall: NaiveDateTime,
    /// A DATE value (an all-day event): `wall` is the day at 00:00.
    pub date_only: bool,
    pub zone: EventZone,
}

impl Moment {
    /// The instant; None for floating times and whole days.
    pub fn utc(&self) -> Option<DateTime<Utc>> {
        if self.date_only {
            None
        } else {
            self.zone.to_utc(self.wall)
        }
    }

    /// This moment as a wall-clock time of `zone` (to compare it with a series' times).
    pub fn wall_in(&self, zone: &EventZone) -> NaiveDateTime {
        self.utc()
            .and_then(|at| zone.wall_of(at))
            .unwrap_or(self.wall)
    }

    /// As a RECURRENCE-ID in the source reference: UTC `YYYYMMDDTHHMMSSZ`, a date
    /// `YYYYMMDD`, or a floating time without the Z.
    pub fn reference(&self) -> String {
        if self.date_only {
            return self.wall.format("%Y%m%d").to_string();
        }
        match self.utc() {
            Some(at) => at.format("%Y%m%dT%H%M%SZ").to_string(),
            None => self.wall.format("%Y%m%dT%H%M%S").to_string(),
        }
    }
}

/// What one `VEVENT` says.
#[derive(Clone, Debug)]
pub(super) struct Event {
    pub uid: String,
    pub start: Moment,
    /// DTEND − DTSTART or DURATION, for events with a time of day.
    pub length: Option<TimeDelta>,
    /// The RRULE without its UNTIL, which is in `until`.
    pub rule: Option<ICalendarRecurrenceRule>,
    pub until: Option<Moment>,
    pub rdates: Vec<Moment>,
    pub exdates: Vec<Moment>,
    pub recurrence_id: Option<Moment>,
    pub sequence: i64,
    pub cancelled: bool,
    pub organizer: Option<MailAddress>,
    pub attendees: Vec<MailAddress>,
    pub summary: String,
    pub they_said: String,
    pub channel: Channel,
}

/// Properties that hold a video-call link by definition.
const CONFERENCE_PROPERTIES: &[&str] = &[
    "X-GOOGLE-CONFERENCE",
    "X-MICROSOFT-SKYPETEAMSMEETINGURL",
    "X-MICROSOFT-ONLINEMEETINGCONFLINK",
    "X-MICROSOFT-ONLINEMEETINGEXTERNALLINK",
];

/// Reads a `VEVENT`, or says what is wrong with it.
pub(super) fn read_event(event: &ICalendarComponent, zones: &Zones) -> Result<Event, String> {
    let summary = text(event, &P::Summary).trim().to_owned();
    let start = event
        .property(&P::Dtstart)
        .and_then(|entry| moment(entry, zones))
        .ok_or_else(|| match summary.is_empty() {
            true => "an event has no start time".to_owned(),
            false => format!("the event \"{summary}\" has no start time"),
        })?;
    let organizer = event.property(&P::Organizer).and_then(person);
    let mut attendees: Vec<MailAddress> = Vec::new();
    for entry in event.properties(&P::Attendee).filter(|e| takes_part(e)) {
        if let Some(who) = person(entry) {
            let seen = |a: &MailAddress| a.key() == who.key();
            if !organizer.as_ref().is_some_and(seen) && !attendees.iter().any(seen) {
                attendees.push(who);
            }
        }
    }
    let (channel, they_said) = channel_and_words(event);
    let (rule, until) = match event.property(&P::Rrule).and_then(|e| e.values.first()) {
        Some(V::RecurrenceRule(rule)) => {
            let until = rule.until.as_ref().and_then(|u| {
                let wall = naive_of(u)?;
                Some(Moment {
                    wall,
                    date_only: !u.has_time(),
                    zone: offset_zone(u).unwrap_or_else(|| start.zone.clone()),
                })
            });
            let mut rule = (**rule).clone();
            rule.until = None;
            (Some(rule), until)
        }
        _ => (None, None),
    };
    Ok(Event {
        uid: text(event, &P::Uid).trim().to_owned(),
        length: length(event, &start, zones),
        rule,
        until,
        rdates: moments(event, &P::Rdate, zones, &start),
        exdates: moments(event, &P::Exdate, zones, &start),
        recurrence_id: event
            .property(&P::RecurrenceId)
            .and_then(|entry| moment_or(entry, zones, &start)),
        sequence: event
            .property(&P::Sequence)
            .and_then(|e| e.values.first())
            .and_then(V::as_integer)
            .unwrap_or(0),
        cancelled: event.status() == Some(&ICalendarStatus::Cancelled),
        organizer,
        attendees,
        summary,
        they_said,
        channel,
        start,
    })
}

fn text<'a>(event: &'a ICalendarComponent, property: &P) -> &'a str {
    event
        .property(property)
        .and_then(|entry| entry.values.first())
        .and_then(V::as_text)
        .unwrap_or("")
}

/// A zone written into the value itself: `Z` or an offset.
fn offset_zone(value: &calcard::common::PartialDateTime) -> Option<EventZone> {
    let hours = i32::from(value.tz_hour?);
    let seconds = hours * 3600 + i32::from(value.tz_minute.unwrap_or(0)) * 60;
    let seconds = if value.tz_minus { -seconds } else { seconds };
    Some(EventZone::Known(if seconds == 0 {
        Tz::UTC
    } else {
        Tz::Fixed(FixedOffset::east_opt(seconds)?)
    }))
}

fn moment_of(
    value: &calcard::common::PartialDateTime,
    entry: &ICalendarEntry,
    zones: &Zones,
) -> Option<Moment> {
    let wall = naive_of(value)?;
    if !value.has_time() {
        return Some(Moment {
            wall,
            date_only: true,
            zone: EventZone::Floating,
        });
    }
    let zone = offset_zone(value).unwrap_or_else(|| zones.zone(entry.tz_id()));
    Some(Moment {
        wall,
        date_only: false,
        zone,
    })
}

fn moment(entry: &ICalendarEntry, zones: &Zones) -> Option<Moment> {
    moment_of(entry.values.first()?.as_partial_date_time()?, entry, zones)
}

/// A time that, written without a zone of its own or a TZID, is in the start's zone.
fn moment_or(entry: &ICalendarEntry, zones: &Zones, start: &Moment) -> Option<Moment> {
    let value = entry.values.first()?.as_partial_date_time()?;
    let mut found = moment_of(value, entry, zones)?;
    if !found.date_only && value.tz_hour.is_none() && entry.tz_id().is_none() {
        found.zone = start.zone.clone();
    }
    Some(found)
}

/// Every date of every RDATE or EXDATE line (a line may hold several; a PERIOD counts by
/// its start).
fn moments(event: &ICalendarComponent, property: &P, zones: &Zones, start: &Moment) -> Vec<Moment> {
    let mut found = Vec::new();
    for entry in event.properties(property) {
        for value in &entry.values {
            let value = match value {
                V::PartialDateTime(value) => value.as_ref(),
                V::Period(calcard::icalendar::ICalendarPeriod::Range { start, .. })
                | V::Period(calcard::icalendar::ICalendarPeriod::Duration { start, .. }) => start,
                _ => continue,
            };
            if let Some(mut moment) = moment_of(value, entry, zones) {
                if !moment.date_only && value.tz_hour.is_none() && entry.tz_id().is_none() {
                    moment.zone = start.zone.clone();
                }
                found.push(moment);
            }
        }
    }
    found
}

/// How long a timed event lasts: DTEND − DTSTART (as instants when both have a zone), or
/// DURATION. None for whole days, for events without either, and past a day (a fair over
/// three days is no three-day conversation).
fn length(event: &ICalendarComponent, start: &Moment, zones: &Zones) -> Option<TimeDelta> {
    span(event, start, zones).filter(|d| *d >= TimeDelta::zero() && *d <= TimeDelta::days(1))
}

fn span(event: &ICalendarComponent, start: &Moment, zones: &Zones) -> Option<TimeDelta> {
    if start.date_only {
        return None;
    }
    if let Some(end) = event
        .property(&P::Dtend)
        .and_then(|entry| moment_or(entry, zones, start))
    {
        return match (start.utc(), end.utc()) {
            (Some(from), Some(to)) => Some(to - from),
            _ => Some(end.wall_in(&start.zone) - start.wall),
        };
    }
    match event.property(&P::Duration).and_then(|e| e.values.first()) {
        Some(V::Duration(duration)) => duration.to_time_delta(),
        _ => None,
    }
}

/// Whether an attendee took part: not a room or other resource, and not someone who
/// declined.
fn takes_part(entry: &ICalendarEntry) -> bool {
    let resource = entry.parameters(&PN::Cutype).any(|v| {
        matches!(
            v,
            PV::Cutype(ICalendarUserTypes::Room | ICalendarUserTypes::Resource)
        )
    });
    let declined = entry
        .parameters(&PN::Partstat)
        .any(|v| matches!(v, PV::Partstat(ICalendarParticipationStatus::Declined)));
    !resource && !declined
}

/// The person an ORGANIZER or ATTENDEE line names: the address (an EMAIL parameter, or the
/// mailto: value) and the CN.
fn person(entry: &ICalendarEntry) -> Option<MailAddress> {
    let address = entry
        .parameter(&PN::Email)
        .and_then(PV::as_text)
        .or_else(|| entry.calendar_address())?
        .trim();
    if !address.contains('@')
        || address.contains(':')
        || address
            .to_ascii_lowercase()
            .ends_with("resource.calendar.google.com")
    {
        return None;
    }
    let name = entry
        .parameter(&PN::Cn)
        .and_then(PV::as_text)
        .unwrap_or("")
        .trim()
        .trim_matches('"');
    let name = if name.eq_ignore_ascii_case(address) {
        ""
    } else {
        name
    };
    Some(MailAddress::new(name, address))
}

/// How the meeting happened, and what it said: the description's first lines, where, and
/// the video link. A place beats a link (calendars add a video link to many meetings held at
/// a place); a link, a conference property or a video service as the location make a video
/// call; a phone number or nothing, a phone call.
fn channel_and_words(event: &ICalendarComponent) -> (Channel, String) {
    let description = text(event, &P::Description);
    let location = text(event, &P::Location)
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    let location = location.as_str();
    let url = text(event, &P::Url);
    let conference: Vec<&str> = event
        .entries
        .iter()
        .filter(|entry| match &entry.name {
            P::Other(name) => CONFERENCE_PROPERTIES
                .iter()
                .any(|known| name.eq_ignore_ascii_case(known)),
            P::Conference => true,
            _ => false,
        })
        .filter_map(|entry| entry.values.first().and_then(V::as_text))
        .filter(|value| !value.trim().is_empty())
        .collect();
    let link = conference
        .iter()
        .map(|c| video_link(c).unwrap_or_else(|| super::words::short_link(c.trim())))
        .next()
        .or_else(|| {
            [location, url, description]
                .into_iter()
                .find_map(video_link)
        });
    let online = location_is_online(location);
    let channel = if !location.is_empty() && !online && !location_is_phone(location) {
        Channel::Visit
    } else if link.is_some() || online {
        Channel::VideoCall
    } else {
        Channel::Call
    };
    let mut words = vec![first_lines(description)];
    if !location.is_empty() && !online {
        words.push(format!("Where: {location}"));
    }
    if channel == Channel::VideoCall
        && let Some(link) = link
    {
        words.push(format!("Video: {link}"));
    }
    words.retain(|w| !w.is_empty());
    (channel, words.join("\n"))
}
