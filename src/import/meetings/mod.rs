//! Meetings from calendar files (`.ics`: Google Calendar, Outlook, Apple Calendar): each
//! `VEVENT` becomes an [`IncomingConversation`], one per occurrence of a recurring one.
//! Pure: bytes in, conversations out; the conversation import matches the addresses to
//! contacts and stores them.
//!
//! - Parsing by calcard; series expanded by the `rrule` crate over a window (by default two
//!   years back to one year ahead of today), at most [`MeetingOptions::max_per_series`]
//!   occurrences each (those nearest to today); RECURRENCE-ID overrides replace the
//!   occurrence they name (moved, retitled or cancelled); EXDATE (several a line, any zone)
//!   and RDATE are honoured; single events are kept whatever their date. RANGE=THISANDFUTURE
//!   is read as an override of its one occurrence.
//! - Times: `TZID` with its `VTIMEZONE`, IANA and Windows zone names ("W. Europe Standard
//!   Time", mapped by calcard), UTC, fixed offsets; a `VTIMEZONE` no name maps ("Customized
//!   Time Zone") by its own STANDARD / DAYLIGHT rules; an unknown TZID without one as
//!   floating. Turned into the wall clock of [`MeetingOptions::zone`]. Floating times are taken as they
//!   are. An all-day event is at 00:00 of its (first) day, with no duration: a day is the
//!   same day wherever one is.
//! - `source_ref` is `ics:<UID>#<RECURRENCE-ID>` (UTC `YYYYMMDDTHHMMSSZ`, `YYYYMMDD` for
//!   all-day series, no `Z` for floating ones; empty for a single event), so reading the same
//!   file again gives the same references.
//! - The organizer is `from`, the attendees `to` (rooms, resources and people who declined
//!   left out). An event naming nobody is still returned, with `to` empty and `from` None:
//!   the import counts it as having no known person. An event without a start time is
//!   returned with `skip` set, so the import can say how many could not be read.
//! - Channel: a place as the location makes a visit (calendars add video links to meetings
//!   held at a place); otherwise a Meet / Zoom / Teams / Webex… link (in the location,
//!   description, URL or a conference property) makes a video call; otherwise a phone call.
//!   Outcome: they cancelled when the event (or the file, `METHOD:CANCEL`) is cancelled,
//!   otherwise held, future ones too (the history and Today show those as upcoming).

mod event;
mod expand;
mod words;
mod zone;

use std::collections::{HashMap, HashSet};
use std::path::Path;

use calcard::icalendar::{
    ICalendar, ICalendarComponentType, ICalendarMethod, ICalendarProperty, ICalendarValue,
};
use calcard::{Entry, Parser};
use chrono::{Local, Months, NaiveDate, NaiveDateTime};

use crate::model::Outcome;
use crate::model::incoming::{IncomingConversation, SkipReason};
use event::{Event, Moment, read_event};
use expand::{Occurrence, Window, occurrences};
pub use zone::LocalZone;

/// How a calendar file is read: today, the wall clock conversations are kept in, and the
/// window recurring meetings are expanded over.
#[derive(Clone, Debug)]
pub struct MeetingOptions {
    pub today: NaiveDate,
    pub zone: LocalZone,
    /// The first day occurrences of a series are made for.
    pub from: NaiveDate,
    /// The last day occurrences of a series are made for.
    pub until: NaiveDate,
    /// At most this many occurrences of one series (those nearest to today).
    pub max_per_series: usize,
}

/// Occurrences of one series kept at most: a meeting every weekday for three years is 780.
pub const MAX_PER_SERIES: usize = 1000;

impl MeetingOptions {
    /// On this computer's wall clock, series from two years before `today` to a year after.
    pub fn new(today: NaiveDate) -> Self {
        MeetingOptions {
            today,
            zone: LocalZone::system(),
            from: today.checked_sub_months(Months::new(24)).unwrap_or(today),
            until: today.checked_add_months(Months::new(12)).unwrap_or(today),
            max_per_series: MAX_PER_SERIES,
        }
    }

    /// The same, on another wall clock.
    pub fn in_zone(self, zone: LocalZone) -> Self {
        MeetingOptions { zone, ..self }
    }

    fn window(&self) -> Window {
        Window {
            from: self.from.and_hms_opt(0, 0, 0).unwrap_or_default(),
            until: self.until.and_hms_opt(23, 59, 59).unwrap_or_default(),
            max_per_series: self.max_per_series,
            today: self.today.and_hms_opt(12, 0, 0).unwrap_or_default(),
        }
    }
}

impl Default for MeetingOptions {
    fn default() -> Self {
        Self::new(Local::now().date_naive())
    }
}

/// Whether a file is a calendar: its name ends in `.ics` (or `.ical`, `.icalendar`, `.ifb`),
/// or its first bytes are `BEGIN:VCALENDAR`.
pub fn is_calendar(path: &Path, head: &[u8]) -> bool {
    let by_name = path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        ["ics", "ical", "icalendar", "ifb"].contains(&e.to_ascii_lowercase().as_str())
    });
    by_name || begins_calendar(head)
}

fn begins_calendar(head: &[u8]) -> bool {
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let start = head
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(head.len());
    head[start..]
        .get(..15)
        .is_some_and(|s| s.eq_ignore_ascii_case(b"BEGIN:VCALENDAR"))
}

/// Reads a calendar file into conversations, one per meeting (per occurrence of a series), in
/// time order. A file that is not iCalendar is refused with a sentence.
pub fn read_ics(bytes: &[u8], opts: &MeetingOptions) -> Result<Vec<IncomingConversation>, String> {
    let decoded = super::decode(bytes)?;
    let text = decoded.text.trim_start_matches('\u{feff}');
    if !begins_calendar(text.as_bytes()) {
        return Err(
            "This is not a calendar file: an iCalendar (.ics) file starts with BEGIN:VCALENDAR."
                .to_owned(),
        );
    }
    let calendars = parse(text);
    if calendars.is_empty() {
        return Err("The calendar file could not be read: it has no complete calendar in it (BEGIN:VCALENDAR … END:VCALENDAR).".to_owned());
    }
    let window = opts.window();
    let mut found = Vec::new();
    let mut seen = HashSet::new();
    for calendar in &calendars {
        for conversation in from_calendar(calendar, opts, &window) {
            if seen.insert(conversation.source_ref.clone()) {
                found.push(conversation);
            }
        }
    }
    found.sort_by(|a, b| (a.occurred_at, &a.source_ref).cmp(&(b.occurred_at, &b.source_ref)));
    Ok(found)
}

fn parse(text: &str) -> Vec<ICalendar> {
    let mut parser = Parser::new(text);
    let mut calendars = Vec::new();
    loop {
        match parser.entry() {
            Entry::ICalendar(calendar) => calendars.push(calendar),
            Entry::Eof => break,
            Entry::TooManyComponents => break,
            other => tracing::debug!("ics: skipped {other:?}"),
        }
    }
    calendars
}

fn from_calendar(
    calendar: &ICalendar,
    opts: &MeetingOptions,
    window: &Window,
) -> Vec<IncomingConversation> {
    let zones = zone::Zones::of(calendar);
    let cancels = calendar.components.first().is_some_and(|root| {
        root.property(&ICalendarProperty::Method)
            .and_then(|e| e.values.first())
            .is_some_and(|v| matches!(v, ICalendarValue::Method(ICalendarMethod::Cancel)))
    });
    let mut events: Vec<Event> = Vec::new();
    let mut unreadable = Vec::new();
    for component in calendar
        .components
        .iter()
        .filter(|c| c.component_type == ICalendarComponentType::VEvent)
    {
        match read_event(component, &zones) {
            Ok(mut event) => {
                event.cancelled |= cancels;
                if event.uid.is_empty() {
                    event.uid = made_up_uid(&event);
                }
                events.push(event);
            }
            Err(why) => unreadable.push(unreadable_entry(component.uid(), why, opts)),
        }
    }
    let mut by_uid: HashMap<&str, Vec<&Event>> = HashMap::new();
    let mut order = Vec::new();
    for event in &events {
        by_uid
            .entry(event.uid.as_str())
            .or_insert_with(|| {
                order.push(event.uid.as_str());
                Vec::new()
            })
            .push(event);
    }
    let mut found = unreadable;
    for uid in order {
        for occurrence in occurrences(&by_uid[uid], window) {
            found.push(conversation(&occurrence, opts));
        }
    }
    found
}

fn conversation(occurrence: &Occurrence<'_>, opts: &MeetingOptions) -> IncomingConversation {
    let event = occurrence.event;
    let slot = occurrence
        .slot
        .as_ref()
        .map(Moment::reference)
        .unwrap_or_default();
    IncomingConversation {
        source_ref: format!("ics:{}#{slot}", event.uid),
        thread_ref: None,
        occurred_at: local_time(&occurrence.start, opts),
        channel: event.channel,
        outcome: if event.cancelled {
            Outcome::TheyCancelled
        } else {
            Outcome::Held
        },
        duration_minutes: occurrence.length.map(|d| d.num_minutes()),
        from: event.organizer.clone(),
        to: event.attendees.clone(),
        summary: event.summary.clone(),
        they_said: event.they_said.clone(),
        attachments: Vec::new(),
        skip: None,
    }
}

/// The wall-clock time of this computer (or the options' zone) at a moment of the file.
fn local_time(moment: &Moment, opts: &MeetingOptions) -> NaiveDateTime {
    match moment.utc() {
        Some(at) => opts.zone.wall_clock(at),
        None => moment.wall,
    }
}

fn unreadable_entry(uid: Option<&str>, why: String, opts: &MeetingOptions) -> IncomingConversation {
    IncomingConversation {
        source_ref: format!("ics:{}#", uid.unwrap_or("").trim()),
        thread_ref: None,
        occurred_at: opts.today.and_hms_opt(0, 0, 0).unwrap_or_default(),
        channel: crate::model::Channel::Call,
        outcome: Outcome::Held,
        duration_minutes: None,
        from: None,
        to: Vec::new(),
        summary: String::new(),
        they_said: String::new(),
        attachments: Vec::new(),
        skip: Some(SkipReason::Unreadable(why)),
    }
}

/// A UID for an event that has none, from what it says (the same file gives the same one).
fn made_up_uid(event: &Event) -> String {
    let organizer = event
        .organizer
        .as_ref()
        .map(|o| o.key())
        .unwrap_or_default();
    let text = format!(
        "{}\u{1f}{}\u{1f}{organizer}",
        event.start.reference(),
        event.summary
    );
    // FNV-1a: stable across Rust versions, unlike the standard library's hasher.
    let hash = text.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    format!("no-uid-{hash:016x}")
}

#[cfg(test)]
mod tests;
