//! The timeline report as a value: a header (who, period, when, by which Rapport), a summary
//! (touches, promises, needs) and the entries oldest first. Built from the store's
//! `ReportData`; every renderer (PDF, HTML, CSV, Markdown) draws this one value, so they agree.

use crate::model::{
    Channel, DueFollowUp, FollowUpStatus, Initiator, Interaction, Outcome, PersonalDetails,
    ReportData, ReportPerson, ReportRequest,
};
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

/// What an entry is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EntryKind {
    Conversation,
    FollowUp,
    LifeEvent,
}

impl EntryKind {
    pub const ALL: [EntryKind; 3] = [
        EntryKind::Conversation,
        EntryKind::FollowUp,
        EntryKind::LifeEvent,
    ];

    /// The stable name used in CSV and Markdown files.
    pub fn as_str(self) -> &'static str {
        match self {
            EntryKind::Conversation => "conversation",
            EntryKind::FollowUp => "follow-up",
            EntryKind::LifeEvent => "life event",
        }
    }

    /// The words shown to people.
    pub fn label(self) -> &'static str {
        match self {
            EntryKind::Conversation => "Conversation",
            EntryKind::FollowUp => "Follow-up",
            EntryKind::LifeEvent => "Life event",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == text.trim())
    }
}

/// One line of the report's timeline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportEntry {
    pub at: NaiveDateTime,
    /// False for life events and follow-ups without a time: only the date means anything.
    pub has_time: bool,
    pub kind: EntryKind,
    /// The channel label ("Phone call"), blank for entries that are not conversations.
    pub channel: String,
    /// The purpose label ("Sales"), or who promised for a follow-up.
    pub purpose: String,
    /// How it went: a conversation's outcome, a follow-up's status.
    pub outcome: String,
    pub participants: Vec<String>,
    pub summary: String,
    pub they_said: String,
    pub they_need: String,
    pub i_promised: String,
    pub next_step: String,
}

impl ReportEntry {
    /// The date, and the time when it is known: "2026-03-04 14:30" or "2026-03-04".
    pub fn when(&self) -> String {
        if self.has_time {
            self.at.format("%Y-%m-%d %H:%M").to_string()
        } else {
            self.at.format("%Y-%m-%d").to_string()
        }
    }

    /// A readable date for printed reports: "Wed 4 Mar 2026, 14:30".
    pub fn when_long(&self) -> String {
        if self.has_time {
            self.at.format("%a %-d %b %Y, %H:%M").to_string()
        } else {
            self.at.format("%a %-d %b %Y").to_string()
        }
    }

    /// The listening notes that are filled in, as (label, text) pairs.
    pub fn notes(&self) -> Vec<(&'static str, &str)> {
        [
            ("What they said", self.they_said.as_str()),
            ("What they need", self.they_need.as_str()),
            ("What I promised", self.i_promised.as_str()),
            ("Next step", self.next_step.as_str()),
        ]
        .into_iter()
        .filter(|(_, text)| !text.trim().is_empty())
        .collect()
    }

    /// Channel, purpose and outcome, the blank ones left out: "Visit · Service · Held".
    pub fn meta(&self) -> String {
        [
            self.channel.as_str(),
            self.purpose.as_str(),
            self.outcome.as_str(),
        ]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" · ")
    }
}

/// A count under a label ("Phone call: 12").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tally {
    pub label: String,
    pub count: u32,
}

/// A need someone mentioned, with when and who.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NeedNote {
    pub at: NaiveDateTime,
    pub who: String,
    pub need: String,
}

/// The numbers at the top of a report.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReportSummary {
    /// Conversations that took place (held), the touches.
    pub touches: u32,
    pub by_channel: Vec<Tally>,
    pub by_purpose: Vec<Tally>,
    /// The last held conversation.
    pub last_contact: Option<NaiveDateTime>,
    /// Share of touches in person (visits, meals, events), in whole percent.
    pub in_person_percent: Option<u32>,
    pub my_promises_kept: u32,
    pub my_promises_late: u32,
    pub my_promises_broken: u32,
    pub their_promises_kept: u32,
    pub their_promises_broken: u32,
    pub open_follow_ups: u32,
    /// Open follow-ups past their due moment at generation time.
    pub overdue_follow_ups: u32,
    /// Conversations whose "what they need" is filled in.
    pub needs_noted: u32,
    /// The most recent needs, newest first (at most five).
    pub open_needs: Vec<NeedNote>,
    pub no_shows: u32,
}

/// The top of the report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportHeader {
    pub title: String,
    /// Who it is about ("Maria García", "Everyone at Golden Crust").
    pub subject: String,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub generated_at: NaiveDateTime,
    /// The Rapport build that wrote it.
    pub generator: String,
    /// The kinds of entries listed, in words ("conversations, follow-ups").
    pub kinds: String,
    pub includes_personal: bool,
    /// True when the report is about one contact (not a group that happens to have one).
    pub single_contact: bool,
    pub people: Vec<ReportPerson>,
}

impl ReportHeader {
    /// The period in words: "1 Jan 2026 – 30 Jun 2026", "from 1 Jan 2026", "all dates".
    pub fn period(&self) -> String {
        let day = |d: NaiveDate| d.format("%-d %b %Y").to_string();
        match (self.from, self.to) {
            (Some(from), Some(to)) => format!("{} – {}", day(from), day(to)),
            (Some(from), None) => format!("from {}", day(from)),
            (None, Some(to)) => format!("up to {}", day(to)),
            (None, None) => "all dates".to_owned(),
        }
    }

    /// When it was generated: "2026-11-20 09:00".
    pub fn generated(&self) -> String {
        self.generated_at.format("%Y-%m-%d %H:%M").to_string()
    }
}

/// A whole report: header, summary, entries oldest first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimelineReport {
    pub header: ReportHeader,
    pub summary: ReportSummary,
    pub entries: Vec<ReportEntry>,
}

fn is_in_person(channel: Channel) -> bool {
    matches!(channel, Channel::Visit | Channel::Meal | Channel::Event)
}

fn tally<'a>(labels: impl Iterator<Item = &'a str>) -> Vec<Tally> {
    let mut tallies: Vec<Tally> = Vec::new();
    for label in labels {
        match tallies.iter_mut().find(|t| t.label == label) {
            Some(t) => t.count += 1,
            None => tallies.push(Tally {
                label: label.to_owned(),
                count: 1,
            }),
        }
    }
    // Most frequent first; ties by label so the order is stable.
    tallies.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.label.cmp(&b.label)));
    tallies
}

/// The summary of a period: touches by channel and purpose, last contact, in-person share,
/// the promise ledger, open follow-ups (overdue as of `now`), needs and no-shows.
pub fn summarize(
    conversations: &[Interaction],
    follow_ups: &[DueFollowUp],
    now: NaiveDateTime,
) -> ReportSummary {
    let held: Vec<&Interaction> = conversations
        .iter()
        .filter(|i| i.draft.outcome == Outcome::Held)
        .collect();
    let touches = held.len() as u32;
    let in_person = held
        .iter()
        .filter(|i| is_in_person(i.draft.channel))
        .count() as u32;
    let mut summary = ReportSummary {
        touches,
        by_channel: tally(held.iter().map(|i| i.draft.channel.label())),
        by_purpose: tally(held.iter().map(|i| i.draft.purpose.label())),
        last_contact: held.iter().map(|i| i.draft.occurred_at).max(),
        in_person_percent: (touches > 0)
            .then(|| ((in_person as f64 / touches as f64) * 100.0).round() as u32),
        no_shows: conversations
            .iter()
            .filter(|i| i.draft.outcome == Outcome::NoShow)
            .count() as u32,
        ..ReportSummary::default()
    };
    let mut needs: Vec<NeedNote> = conversations
        .iter()
        .filter(|i| !i.draft.they_need.trim().is_empty())
        .map(|i| NeedNote {
            at: i.draft.occurred_at,
            who: i.participant_names.join(", "),
            need: i.draft.they_need.trim().to_owned(),
        })
        .collect();
    summary.needs_noted = needs.len() as u32;
    needs.sort_by_key(|n| std::cmp::Reverse(n.at));
    needs.truncate(5);
    summary.open_needs = needs;
    for item in follow_ups {
        let f = &item.follow_up;
        match (f.draft.promised_by, f.status) {
            (Initiator::Me, FollowUpStatus::Done) => summary.my_promises_kept += 1,
            (Initiator::Me, FollowUpStatus::DoneLate) => summary.my_promises_late += 1,
            (Initiator::Me, FollowUpStatus::Missed) => summary.my_promises_broken += 1,
            (Initiator::Them, FollowUpStatus::Done | FollowUpStatus::DoneLate) => {
                summary.their_promises_kept += 1
            }
            (Initiator::Them, FollowUpStatus::Missed) => summary.their_promises_broken += 1,
            (_, FollowUpStatus::Open) => {
                summary.open_follow_ups += 1;
                if f.draft.due_moment() < now {
                    summary.overdue_follow_ups += 1;
                }
            }
            (_, FollowUpStatus::Cancelled) => {}
        }
    }
    summary
}

fn conversation_entry(i: &Interaction) -> ReportEntry {
    ReportEntry {
        at: i.draft.occurred_at,
        has_time: true,
        kind: EntryKind::Conversation,
        channel: i.draft.channel.label().to_owned(),
        purpose: i.draft.purpose.label().to_owned(),
        outcome: i.draft.outcome.label().to_owned(),
        participants: i.participant_names.clone(),
        summary: i.draft.summary.trim().to_owned(),
        they_said: i.draft.they_said.trim().to_owned(),
        they_need: i.draft.they_need.trim().to_owned(),
        i_promised: i.draft.i_promised.trim().to_owned(),
        next_step: i.draft.next_step.trim().to_owned(),
    }
}

fn follow_up_entry(item: &DueFollowUp, now: NaiveDateTime) -> ReportEntry {
    let f = &item.follow_up;
    let who = match f.draft.promised_by {
        Initiator::Me => "I promised",
        Initiator::Them => "They promised",
    };
    let outcome = match f.status {
        FollowUpStatus::Open if f.draft.due_moment() < now => "Overdue".to_owned(),
        FollowUpStatus::Open => "Open".to_owned(),
        FollowUpStatus::Done => "Kept".to_owned(),
        FollowUpStatus::DoneLate => "Kept late".to_owned(),
        FollowUpStatus::Missed => "Broken (missed)".to_owned(),
        FollowUpStatus::Cancelled => "Cancelled".to_owned(),
    };
    let mut summary = f.draft.text.trim().to_owned();
    if !f.draft.notes.trim().is_empty() {
        summary.push_str(" — ");
        summary.push_str(f.draft.notes.trim());
    }
    ReportEntry {
        at: f
            .draft
            .due_date
            .and_time(f.draft.due_time.unwrap_or(NaiveTime::MIN)),
        has_time: f.draft.due_time.is_some(),
        kind: EntryKind::FollowUp,
        channel: String::new(),
        purpose: who.to_owned(),
        outcome,
        participants: vec![item.contact_name.clone()],
        summary,
        they_said: String::new(),
        they_need: String::new(),
        i_promised: String::new(),
        next_step: String::new(),
    }
}

fn kinds_in_words(request: &ReportRequest) -> String {
    let mut kinds = Vec::new();
    if request.kinds.conversations {
        kinds.push("conversations");
    }
    if request.kinds.follow_ups {
        kinds.push("follow-ups");
    }
    if request.kinds.life_events {
        kinds.push("life events");
    }
    if kinds.is_empty() {
        "summary only".to_owned()
    } else {
        kinds.join(", ")
    }
}

/// Builds the report for `request` from the gathered `data`. `now` is when it is generated
/// (an injected clock: tests do not depend on today); `generator` names the Rapport build.
pub fn build(
    data: ReportData,
    request: &ReportRequest,
    now: NaiveDateTime,
    generator: &str,
) -> TimelineReport {
    let summary = summarize(&data.conversations, &data.follow_ups, now);
    let mut entries = Vec::new();
    if request.kinds.conversations {
        entries.extend(data.conversations.iter().map(conversation_entry));
    }
    if request.kinds.follow_ups {
        entries.extend(data.follow_ups.iter().map(|f| follow_up_entry(f, now)));
    }
    if request.kinds.life_events {
        entries.extend(data.life_events.iter().map(|e| ReportEntry {
            at: e.event.occurred_on.and_time(NaiveTime::MIN),
            has_time: false,
            kind: EntryKind::LifeEvent,
            channel: String::new(),
            purpose: String::new(),
            outcome: String::new(),
            participants: vec![e.contact_name.clone()],
            summary: if e.event.description.trim().is_empty() {
                e.event.kind.trim().to_owned()
            } else {
                format!("{}: {}", e.event.kind.trim(), e.event.description.trim())
            },
            they_said: String::new(),
            they_need: String::new(),
            i_promised: String::new(),
            next_step: String::new(),
        }));
    }
    // Oldest first; the sort is stable, so same-moment entries keep kind order.
    entries.sort_by_key(|e| e.at);
    let people = data
        .people
        .into_iter()
        .map(|mut p| {
            // A photo is personal data: it goes where the personal details go (the store
            // leaves both out already; a report built from other data does too).
            if !request.include_personal {
                p.personal = None;
                p.photo = None;
            }
            p
        })
        .collect();
    TimelineReport {
        header: ReportHeader {
            title: "Relationship timeline".to_owned(),
            subject: data.subject,
            from: request.from,
            to: request.to,
            generated_at: now,
            generator: generator.to_owned(),
            kinds: kinds_in_words(request),
            includes_personal: request.include_personal,
            single_contact: request.scope.is_single_contact(),
            people,
        },
        summary,
        entries,
    }
}

/// True when the report lists its people: always for a group, and for one contact when
/// personal details are included.
pub fn lists_people(header: &ReportHeader) -> bool {
    !header.single_contact || header.people.iter().any(|p| p.personal.is_some())
}

/// How a person's round avatar is drawn in a report: their photo, or their initials on the
/// colour the window gives the same name (`model::avatar`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Avatar<'a> {
    Photo {
        /// The image's format as Typst names it: `png` or `jpg`.
        format: &'static str,
        /// `image/png` or `image/jpeg`.
        mime: &'static str,
        bytes: &'a [u8],
    },
    Initials {
        /// Upper-case initials, "AL".
        text: String,
        /// `#rrggbb`; white text reads on it.
        color: String,
    },
}

/// The largest side of a photo a report draws, in pixels: the store keeps at most 256.
const MAX_PHOTO_SIDE: u32 = 1024;

/// The format of photo bytes by their signature, `(typst name, media type)`: PNG or JPEG
/// (what the store keeps), no larger than `MAX_PHOTO_SIDE` by its header, else `None`. The
/// bytes decide, not the stored media type: a crafted file's `image/svg+xml` never reaches a
/// page, bytes that are no image at all are drawn as initials, and so is a header claiming
/// a huge picture that decoding would spend the memory on.
pub fn photo_format(bytes: &[u8]) -> Option<(&'static str, &'static str)> {
    let (format, names) = if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        (image::ImageFormat::Png, ("png", "image/png"))
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        (image::ImageFormat::Jpeg, ("jpg", "image/jpeg"))
    } else {
        return None;
    };
    // Only the header is read: microseconds, where decoding would take a millisecond.
    let (width, height) = image::ImageReader::with_format(std::io::Cursor::new(bytes), format)
        .into_dimensions()
        .ok()?;
    (width > 0 && height > 0 && width.max(height) <= MAX_PHOTO_SIDE).then_some(names)
}

/// The person's avatar: the photo when the report carries one that is a PNG or a JPEG, else
/// the initials on the name's colour.
pub fn person_avatar(person: &ReportPerson) -> Avatar<'_> {
    let photo = person.photo.as_ref().map(|p| p.bytes.as_slice());
    match photo.and_then(|bytes| Some((photo_format(bytes)?, bytes))) {
        Some(((format, mime), bytes)) => Avatar::Photo {
            format,
            mime,
            bytes,
        },
        None => Avatar::Initials {
            text: crate::model::avatar::initials(&person.display_name),
            color: crate::model::avatar::avatar_hex(&person.display_name),
        },
    }
}

/// The person a one-contact report is about, whose avatar goes beside the report's title.
pub fn heading_person(header: &ReportHeader) -> Option<&ReportPerson> {
    if header.single_contact {
        header.people.first()
    } else {
        None
    }
}

/// A person's title and organization, the blank ones left out: "Owner, Lima Bakery".
pub fn person_role(person: &ReportPerson) -> String {
    [person.title.trim(), person.organization.trim()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Who took part, for the printed formats: `None` when it would only repeat the one person
/// the report is about.
pub fn shown_participants(report: &TimelineReport, entry: &ReportEntry) -> Option<String> {
    let only_subject = report.header.single_contact
        && match (
            report.header.people.as_slice(),
            entry.participants.as_slice(),
        ) {
            ([person], [participant]) => person.display_name == *participant,
            _ => false,
        };
    (!entry.participants.is_empty() && !only_subject).then(|| entry.participants.join(", "))
}

/// The personal details that are filled in, as (label, text) pairs, in print order; the
/// custom fields' labels are the names the owner gave them (escape them as any text).
pub fn personal_lines(details: &PersonalDetails) -> Vec<(std::borrow::Cow<'static, str>, String)> {
    let mut lines = Vec::new();
    if let Some(birthday) = details.birthday {
        let text = match birthday.year {
            Some(y) => format!("{y:04}-{:02}-{:02}", birthday.month, birthday.day),
            None => NaiveDate::from_ymd_opt(2000, birthday.month, birthday.day)
                .map(|d| d.format("%-d %B").to_string())
                .unwrap_or_default(),
        };
        lines.push(("Birthday".into(), text));
    }
    for (label, text) in [
        ("Family", &details.family),
        ("Interests", &details.interests),
        ("How we met", &details.how_we_met),
        ("Personal notes", &details.personal_notes),
    ] {
        if !text.trim().is_empty() {
            lines.push((label.into(), text.trim().to_owned()));
        }
    }
    for (name, text) in &details.custom_fields {
        lines.push((name.clone().into(), text.clone()));
    }
    lines
}

/// Summary lines shared by the text renderers: (label, value) in print order.
pub fn summary_lines(summary: &ReportSummary) -> Vec<(&'static str, String)> {
    let tallies = |t: &[Tally]| {
        if t.is_empty() {
            "—".to_owned()
        } else {
            t.iter()
                .map(|t| format!("{} {}", t.label, t.count))
                .collect::<Vec<_>>()
                .join(", ")
        }
    };
    vec![
        ("Touches", summary.touches.to_string()),
        ("By channel", tallies(&summary.by_channel)),
        ("By purpose", tallies(&summary.by_purpose)),
        (
            "Last contact",
            summary
                .last_contact
                .map(|t| t.format("%-d %b %Y").to_string())
                .unwrap_or_else(|| "—".to_owned()),
        ),
        (
            "In person",
            summary
                .in_person_percent
                .map(|p| format!("{p} %"))
                .unwrap_or_else(|| "—".to_owned()),
        ),
        (
            "My promises",
            format!(
                "{} kept, {} late, {} broken",
                summary.my_promises_kept, summary.my_promises_late, summary.my_promises_broken
            ),
        ),
        (
            "Their promises",
            format!(
                "{} kept, {} broken",
                summary.their_promises_kept, summary.their_promises_broken
            ),
        ),
        (
            "Open follow-ups",
            format!(
                "{} ({} overdue)",
                summary.open_follow_ups, summary.overdue_follow_ups
            ),
        ),
        ("Needs noted", summary.needs_noted.to_string()),
        ("No-shows", summary.no_shows.to_string()),
    ]
}
