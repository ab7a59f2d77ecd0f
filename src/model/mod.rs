//! Plain domain types for Rapport: the people, organizations and conversations a small business
//! depends on. Nothing here does I/O or knows about egui; the store persists these values and the
//! UI draws them.

pub mod avatar;
pub mod card_relation;
mod contact_draft;
pub mod conversation_rows;
pub mod custom_field;
mod due_text;
mod enums;
mod ids;
pub mod incoming;
mod numbers;
pub mod relationship;
pub mod repeat;
mod report;
pub mod three_way;

pub use contact_draft::{
    Address, Birthday, ContactDraft, ContactPhoto, Email, ExportedContact, MergeReport, Phone,
};
pub use due_text::{due_from_text, parse_typed_due};
pub use enums::{Channel, FollowUpStatus, Initiator, Outcome, ParseEnumError, Purpose, Stage};
pub use ids::{ContactId, FollowUpId, ImportBatchId, InteractionId, LifeEventId, OrganizationId};
pub use numbers::thousands;
pub use report::{
    EntryKinds, NamedLifeEvent, PersonalDetails, ReportData, ReportPerson, ReportRequest,
    ReportScope,
};

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use serde::{Deserialize, Serialize};

/// A stored contact: the editable draft plus identity and bookkeeping.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Contact {
    pub id: ContactId,
    pub organization_id: Option<OrganizationId>,
    pub draft: ContactDraft,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Set while the contact is in the trash.
    pub deleted_at: Option<DateTime<Utc>>,
    /// How many times it was saved: a save names the version it started from, so a newer one
    /// saved in between is merged with, never overwritten.
    pub version: i64,
    /// Who made it and who changed it last (team members' names; empty on a local file).
    pub created_by: String,
    pub updated_by: String,
}

impl Contact {
    pub fn display_name(&self) -> &str {
        &self.draft.display_name
    }
}

/// The slim row the contact list draws; fetched a page at a time.
#[derive(Clone, Debug, PartialEq)]
pub struct ContactRow {
    pub id: ContactId,
    pub display_name: String,
    pub organization: String,
    pub title: String,
    pub is_decision_maker: bool,
    /// The relationship health score (0–100) and band, once computed.
    pub health: Option<(i64, HealthLevel)>,
    /// Why the health is what it is, one sentence a line, for the badge's tooltip.
    pub health_notes: Vec<String>,
}

/// A contact in the trash, with when it was deleted.
#[derive(Clone, Debug, PartialEq)]
pub struct TrashedContact {
    pub id: ContactId,
    pub display_name: String,
    pub organization: String,
    pub deleted_at: DateTime<Utc>,
}

/// An organization (a customer's business, a supplier, …).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Organization {
    pub id: OrganizationId,
    pub name: String,
    pub notes: String,
}

/// Everything the user records about one conversation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InteractionDraft {
    /// Local wall-clock time, as the user entered it.
    pub occurred_at: NaiveDateTime,
    pub channel: Channel,
    pub initiated_by: Initiator,
    pub purpose: Purpose,
    pub outcome: Outcome,
    pub duration_minutes: Option<i64>,
    pub participants: Vec<ContactId>,
    pub summary: String,
    pub they_said: String,
    pub they_need: String,
    pub i_promised: String,
    pub next_step: String,
    /// Seen only by whoever logged it, in a team database (the server enforces it).
    #[serde(default)]
    pub private: bool,
}

impl InteractionDraft {
    /// A held conversation with one participant and nothing written yet.
    pub fn new(occurred_at: NaiveDateTime, contact: ContactId) -> Self {
        Self {
            occurred_at,
            channel: Channel::Call,
            initiated_by: Initiator::Me,
            purpose: Purpose::Relationship,
            outcome: Outcome::Held,
            duration_minutes: None,
            participants: vec![contact],
            summary: String::new(),
            they_said: String::new(),
            they_need: String::new(),
            i_promised: String::new(),
            next_step: String::new(),
            private: false,
        }
    }

    pub fn validate(&self) -> Result<(), String> {
        if self.participants.is_empty() {
            return Err("A conversation needs at least one participant.".to_owned());
        }
        if let Some(minutes) = self.duration_minutes
            && minutes < 0
        {
            return Err("The duration cannot be negative.".to_owned());
        }
        Ok(())
    }
}

/// A stored conversation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Interaction {
    pub id: InteractionId,
    pub draft: InteractionDraft,
    /// Display names of the participants, in the order of `draft.participants`.
    pub participant_names: Vec<String>,
    pub created_at: DateTime<Utc>,
    /// The team member who logged it (empty on a local file: it was me).
    pub logged_by: String,
    /// How many times it was saved (an edit names the version it opened).
    pub version: i64,
}

/// A promise or task: "call Maria back Tuesday at 15:00".
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FollowUpDraft {
    pub contact_id: ContactId,
    pub organization_id: Option<OrganizationId>,
    pub interaction_id: Option<InteractionId>,
    pub text: String,
    pub notes: String,
    pub due_date: NaiveDate,
    pub due_time: Option<NaiveTime>,
    pub promised_by: Initiator,
    /// How it repeats, when it does: ticking it off schedules the next one.
    #[serde(default)]
    pub repeat: Option<repeat::Repeat>,
}

impl FollowUpDraft {
    /// The moment it is due: its time, or the end of its day when no time was given.
    pub fn due_moment(&self) -> NaiveDateTime {
        match self.due_time {
            Some(time) => self.due_date.and_time(time),
            None => self.due_date.and_hms_opt(23, 59, 59).unwrap_or_default(),
        }
    }

    /// Kept on time, or kept late, when done at `at`. A timed promise done within its due
    /// minute is on time: the reminder arrives on the minute, and the click comes after it.
    pub fn status_when_done(&self, at: NaiveDateTime) -> FollowUpStatus {
        let grace = match self.due_time {
            Some(_) => chrono::Duration::seconds(59),
            None => chrono::Duration::zero(),
        };
        if at <= self.due_moment() + grace {
            FollowUpStatus::Done
        } else {
            FollowUpStatus::DoneLate
        }
    }
}

/// An open follow-up with the name of the person it is for, for the Today view.
#[derive(Clone, Debug, PartialEq)]
pub struct DueFollowUp {
    pub follow_up: FollowUp,
    pub contact_name: String,
}

/// A contact with a keep-in-touch cadence, and when we last talked.
#[derive(Clone, Debug, PartialEq)]
pub struct CadenceRow {
    pub id: ContactId,
    pub display_name: String,
    pub cadence_days: i64,
    pub last_touch: Option<NaiveDateTime>,
    /// When the contact was added: the cadence counts from here until the first conversation.
    pub added_on: NaiveDate,
}

/// Counts of follow-ups by who promised and how it ended.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PromiseCounts {
    pub mine_kept: u32,
    pub mine_late: u32,
    pub mine_broken: u32,
    pub mine_open: u32,
    pub mine_overdue: u32,
    pub theirs_kept: u32,
    pub theirs_broken: u32,
    pub theirs_open: u32,
    pub no_shows: u32,
}

/// A stored follow-up with its status.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FollowUp {
    pub id: FollowUpId,
    pub draft: FollowUpDraft,
    pub status: FollowUpStatus,
    pub completed_at: Option<NaiveDateTime>,
    pub created_at: DateTime<Utc>,
    /// Goes up with every change; a step names the version it was shown (team databases).
    pub version: i64,
    /// A repeating follow-up's first date, and which occurrence of its series this one is
    /// (1 for the first, and for one that does not repeat).
    pub series_first: NaiveDate,
    pub occurrence: u32,
    /// The series' first follow-up (itself when it does not repeat).
    pub series: FollowUpId,
}

/// Something that happened in a customer's life: a new baby, a move, a promotion.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LifeEvent {
    pub id: LifeEventId,
    pub contact_id: ContactId,
    pub occurred_on: NaiveDate,
    pub kind: String,
    pub description: String,
}

/// What a timeline entry is about; each kind has its own icon.
#[derive(Clone, Debug, PartialEq)]
pub enum TimelineKind {
    Conversation {
        id: InteractionId,
        channel: Channel,
        purpose: Purpose,
        outcome: Outcome,
    },
    FollowUpMade {
        id: FollowUpId,
    },
    FollowUpDue {
        id: FollowUpId,
        status: FollowUpStatus,
        /// Due on a day with no time given: shown without "00:00".
        all_day: bool,
    },
    LifeEvent {
        id: LifeEventId,
    },
    StageChange {
        from: Option<Stage>,
        to: Stage,
    },
    Created {
        source: String,
    },
}

/// One dated entry on a relationship timeline.
#[derive(Clone, Debug, PartialEq)]
pub struct TimelineEntry {
    pub at: NaiveDateTime,
    pub kind: TimelineKind,
    pub title: String,
    pub detail: String,
}

/// Whose conversations a history shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HistoryScope {
    Contact(ContactId),
    /// Everyone at an organization.
    Organization(OrganizationId),
}

/// Narrows a conversation history; the default shows everything.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HistoryFilter {
    pub channel: Option<Channel>,
    pub purpose: Option<Purpose>,
    /// First day shown (inclusive).
    pub from: Option<NaiveDate>,
    /// Last day shown (inclusive).
    pub to: Option<NaiveDate>,
    /// Words to find in the summary and the listening notes.
    pub text: String,
}

impl HistoryFilter {
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// One person at an organization, for the organization view.
#[derive(Clone, Debug, PartialEq)]
pub struct Member {
    pub id: ContactId,
    pub display_name: String,
    pub title: String,
    pub is_decision_maker: bool,
}

/// Three bands of the score, for the badge colour and the filter.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default,
)]
pub enum HealthLevel {
    /// Below 45: act now.
    AtRisk,
    /// 45 to 74: something to look at.
    Watch,
    /// 75 and up.
    #[default]
    Good,
}

impl HealthLevel {
    pub const ALL: [HealthLevel; 3] = [HealthLevel::AtRisk, HealthLevel::Watch, HealthLevel::Good];

    pub fn from_score(score: i64) -> Self {
        if score >= 75 {
            HealthLevel::Good
        } else if score >= 45 {
            HealthLevel::Watch
        } else {
            HealthLevel::AtRisk
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            HealthLevel::AtRisk => "at_risk",
            HealthLevel::Watch => "watch",
            HealthLevel::Good => "good",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            HealthLevel::AtRisk => "At risk",
            HealthLevel::Watch => "Needs a look",
            HealthLevel::Good => "Healthy",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.as_str() == text)
    }
}

/// Which contacts the list shows and in what order, besides the search text.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ContactFilter {
    /// Only contacts with this tag.
    pub tag: Option<String>,
    pub stage: Option<Stage>,
    pub health: Option<HealthLevel>,
    /// Only the people on the dashboard's attention list (what "See all … in the contact
    /// list" shows): a health level alone also lets in people who are merely weak.
    pub needs_attention: bool,
    /// Weakest relationships first instead of by name.
    pub sort_by_health: bool,
    /// Only contacts whose custom field has this value ("Shop size is Large").
    pub field: Option<custom_field::FieldFilter>,
}

impl ContactFilter {
    /// True when the list is simply every contact by name.
    pub fn is_plain(&self) -> bool {
        self.tag.is_none()
            && self.stage.is_none()
            && self.health.is_none()
            && !self.needs_attention
            && !self.sort_by_health
            && self.field.is_none()
    }
}

/// A tag with its colour and cadence.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tag {
    pub name: String,
    /// `#rrggbb`, when the user chose one.
    pub color: Option<String>,
    pub cadence_days: Option<i64>,
    /// How many live contacts carry it, when counted (`Store::tags_counted`).
    pub contacts: Option<usize>,
}

impl Tag {
    /// The colour as RGB, if it is a valid `#rrggbb`.
    pub fn rgb(&self) -> Option<[u8; 3]> {
        parse_hex_color(self.color.as_deref()?)
    }
}

/// Parses `#rrggbb` (or `rrggbb`).
pub fn parse_hex_color(text: &str) -> Option<[u8; 3]> {
    let hex = text.trim().trim_start_matches('#');
    if hex.len() != 6 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
    Some([byte(0)?, byte(2)?, byte(4)?])
}
