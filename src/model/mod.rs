//! Plain domain types for Rapport: the people, organizations and conversations a small business
//! depends on. Nothing here does I/O or knows about egui; the store persists these values and the
//! UI draws them.

mod due_text;
mod enums;
mod ids;
mod report;

pub use due_text::due_from_text;
pub use enums::{Channel, FollowUpStatus, Initiator, Outcome, ParseEnumError, Purpose, Stage};
pub use ids::{ContactId, FollowUpId, ImportBatchId, InteractionId, LifeEventId, OrganizationId};
pub use report::{
    EntryKinds, NamedLifeEvent, PersonalDetails, ReportData, ReportPerson, ReportRequest,
    ReportScope,
};

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use serde::{Deserialize, Serialize};

/// A birthday whose year is often unknown ("--12-01" in a vCard, "Dec 1" from a customer).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Birthday {
    pub year: Option<i32>,
    pub month: u32,
    pub day: u32,
}

impl Birthday {
    /// Builds a birthday if the month/day pair exists in some year (29 February is allowed
    /// without a year) and the year has at most four digits, so that `YYYY-MM-DD` text reads
    /// back to the same birthday (chrono's `%Y` would otherwise let "1 Dec -27" in).
    pub fn new(year: Option<i32>, month: u32, day: u32) -> Option<Self> {
        if year.is_some_and(|y| !(0..=9999).contains(&y)) {
            return None;
        }
        let probe_year = year.unwrap_or(2000);
        NaiveDate::from_ymd_opt(probe_year, month, day)?;
        Some(Self { year, month, day })
    }

    /// Parses `YYYY-MM-DD`, `--MM-DD` (vCard, no year) and `MM-DD`.
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        if let Some(rest) = text.strip_prefix("--") {
            let (m, d) = rest.split_once('-')?;
            return Self::new(None, m.parse().ok()?, d.parse().ok()?);
        }
        let parts: Vec<&str> = text.split('-').collect();
        match parts.as_slice() {
            [y, m, d] => Self::new(Some(y.parse().ok()?), m.parse().ok()?, d.parse().ok()?),
            [m, d] => Self::new(None, m.parse().ok()?, d.parse().ok()?),
            _ => None,
        }
    }

    /// The next date on or after `today` when this birthday falls (28 Feb in common years for
    /// 29 Feb birthdays).
    pub fn next_on_or_after(&self, today: NaiveDate) -> NaiveDate {
        use chrono::Datelike;
        let in_year = |y: i32| {
            NaiveDate::from_ymd_opt(y, self.month, self.day)
                .or_else(|| NaiveDate::from_ymd_opt(y, self.month, self.day - 1))
        };
        match in_year(today.year()) {
            Some(d) if d >= today => d,
            _ => in_year(today.year() + 1).unwrap_or(today),
        }
    }
}

impl std::fmt::Display for Birthday {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.year {
            Some(y) => write!(f, "{y:04}-{:02}-{:02}", self.month, self.day),
            None => write!(f, "--{:02}-{:02}", self.month, self.day),
        }
    }
}

/// One labelled e-mail address ("work", "home", …).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Email {
    pub label: String,
    pub address: String,
}

/// One labelled phone number as the user typed it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Phone {
    pub label: String,
    pub number: String,
}

/// One labelled postal address.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Address {
    pub label: String,
    pub street: String,
    pub city: String,
    pub region: String,
    pub postal_code: String,
    pub country: String,
}

impl Address {
    /// True when every part is blank, so a form row left empty is not stored.
    pub fn is_blank(&self) -> bool {
        [
            &self.street,
            &self.city,
            &self.region,
            &self.postal_code,
            &self.country,
        ]
        .iter()
        .all(|s| s.trim().is_empty())
    }

    /// The address on one line, blank parts left out.
    pub fn one_line(&self) -> String {
        [
            &self.street,
            &self.city,
            &self.region,
            &self.postal_code,
            &self.country,
        ]
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", ")
    }
}

/// Everything the user can edit on a contact. Used for create, update and undo snapshots.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ContactDraft {
    pub prefix: String,
    pub given_name: String,
    pub middle_name: String,
    pub family_name: String,
    pub suffix: String,
    pub nickname: String,
    /// What the list shows. When blank, it is derived from the structured name parts.
    pub display_name: String,
    /// Organization name; matched case-insensitively to an existing organization or created.
    pub organization: String,
    pub title: String,
    pub is_decision_maker: bool,
    pub stage: Stage,
    pub birthday: Option<Birthday>,
    pub family: String,
    pub interests: String,
    pub personal_notes: String,
    pub how_we_met: String,
    /// Desired keep-in-touch cadence in days.
    pub cadence_days: Option<i64>,
    pub emails: Vec<Email>,
    pub phones: Vec<Phone>,
    pub addresses: Vec<Address>,
    pub tags: Vec<String>,
}

impl ContactDraft {
    /// A draft with just a display name, for quick adds from the CLI and tests.
    pub fn named(name: &str) -> Self {
        Self {
            display_name: name.trim().to_owned(),
            ..Self::default()
        }
    }

    /// The name shown in lists: the display name, else the structured parts joined, else the
    /// first e-mail, else the organization.
    pub fn effective_display_name(&self) -> String {
        let trimmed = self.display_name.trim();
        if !trimmed.is_empty() {
            return trimmed.to_owned();
        }
        // "Mr." and "Dr." belong to the letterhead, not to the name a list is sorted by.
        let joined = [
            &self.given_name,
            &self.middle_name,
            &self.family_name,
            &self.suffix,
        ]
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
        if !joined.is_empty() {
            return joined;
        }
        if let Some(email) = self.emails.iter().find(|e| !e.address.trim().is_empty()) {
            return email.address.trim().to_owned();
        }
        self.organization.trim().to_owned()
    }

    /// Checks the draft can be saved, returning a sentence for the user when it cannot.
    pub fn validate(&self) -> Result<(), String> {
        if self.effective_display_name().is_empty() {
            return Err("Give the contact a name (or at least an e-mail address).".to_owned());
        }
        for email in &self.emails {
            let address = email.address.trim();
            if !address.is_empty() && !address.contains('@') {
                return Err(format!(
                    "\"{address}\" does not look like an e-mail address."
                ));
            }
        }
        if let Some(days) = self.cadence_days
            && days <= 0
        {
            return Err("The keep-in-touch cadence must be at least one day.".to_owned());
        }
        Ok(())
    }
}

/// What merging an imported contact into an existing one did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MergeReport {
    /// Fields filled or values added ("added e-mail ada@x.org", "filled title").
    pub changes: Vec<String>,
    /// Values the file has that differ from what is kept ("kept title Owner; the file says Buyer").
    pub conflicts: Vec<String>,
}

impl ContactDraft {
    /// Merges `other` into this draft: fills empty fields and adds new e-mails, phones,
    /// addresses and tags. A value already here is never overwritten; a different value in
    /// `other` is reported as a conflict.
    pub fn merge_from(&mut self, other: &ContactDraft) -> MergeReport {
        let mut report = MergeReport::default();
        let mut text = |name: &str, mine: &mut String, theirs: &str| {
            let theirs = theirs.trim();
            if theirs.is_empty() {
                return;
            }
            if mine.trim().is_empty() {
                *mine = theirs.to_owned();
                report.changes.push(format!("filled {name}"));
            } else if !mine.trim().eq_ignore_ascii_case(theirs) {
                report.conflicts.push(format!(
                    "kept {name} \"{}\"; the file says \"{theirs}\"",
                    mine.trim()
                ));
            }
        };
        text("first name", &mut self.given_name, &other.given_name);
        text("middle name", &mut self.middle_name, &other.middle_name);
        text("last name", &mut self.family_name, &other.family_name);
        text("prefix", &mut self.prefix, &other.prefix);
        text("suffix", &mut self.suffix, &other.suffix);
        text("nickname", &mut self.nickname, &other.nickname);
        text("organization", &mut self.organization, &other.organization);
        text("title", &mut self.title, &other.title);
        text("family", &mut self.family, &other.family);
        text("interests", &mut self.interests, &other.interests);
        text("how we met", &mut self.how_we_met, &other.how_we_met);
        // Notes add up: a different note is appended, never replacing what is there.
        let theirs = other.personal_notes.trim();
        if !theirs.is_empty() && !self.personal_notes.contains(theirs) {
            if self.personal_notes.trim().is_empty() {
                self.personal_notes = theirs.to_owned();
            } else {
                self.personal_notes = format!("{}\n{theirs}", self.personal_notes.trim_end());
            }
            report.changes.push("added notes".to_owned());
        }
        if self.display_name.trim().is_empty() {
            self.display_name = other.effective_display_name();
        }
        match (self.birthday, other.birthday) {
            (None, Some(b)) => {
                self.birthday = Some(b);
                report.changes.push("filled birthday".to_owned());
            }
            (Some(mine), Some(theirs)) if mine != theirs => {
                report
                    .conflicts
                    .push(format!("kept birthday {mine}; the file says {theirs}"));
            }
            _ => {}
        }
        // A set, not a scan per address: a card may hold thousands of e-mails.
        let mut known_emails: std::collections::HashSet<String> = self
            .emails
            .iter()
            .map(|e| e.address.to_ascii_lowercase())
            .collect();
        for email in &other.emails {
            if known_emails.insert(email.address.to_ascii_lowercase()) {
                self.emails.push(email.clone());
                report
                    .changes
                    .push(format!("added e-mail {}", email.address));
            }
        }
        let digits = |n: &str| n.chars().filter(char::is_ascii_digit).collect::<String>();
        for phone in &other.phones {
            if !self.phones.iter().any(|p| {
                digits(&p.number).ends_with(&digits(&phone.number))
                    || digits(&phone.number).ends_with(&digits(&p.number))
            }) {
                self.phones.push(phone.clone());
                report.changes.push(format!("added phone {}", phone.number));
            }
        }
        for address in &other.addresses {
            if !self
                .addresses
                .iter()
                .any(|a| a.one_line().eq_ignore_ascii_case(&address.one_line()))
            {
                self.addresses.push(address.clone());
                report.changes.push("added an address".to_owned());
            }
        }
        for tag in &other.tags {
            if !self.tags.iter().any(|t| t.eq_ignore_ascii_case(tag)) {
                self.tags.push(tag.clone());
                report.changes.push(format!("added tag {tag}"));
            }
        }
        report
    }
}

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
}

impl FollowUpDraft {
    /// The moment it is due: its time, or the end of its day when no time was given.
    pub fn due_moment(&self) -> NaiveDateTime {
        match self.due_time {
            Some(time) => self.due_date.and_time(time),
            None => self.due_date.and_hms_opt(23, 59, 59).unwrap_or_default(),
        }
    }

    /// Kept on time, or kept late, when done at `at`.
    pub fn status_when_done(&self, at: NaiveDateTime) -> FollowUpStatus {
        if at <= self.due_moment() {
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
}

impl ContactFilter {
    /// True when the list is simply every contact by name.
    pub fn is_plain(&self) -> bool {
        self.tag.is_none()
            && self.stage.is_none()
            && self.health.is_none()
            && !self.needs_attention
            && !self.sort_by_health
    }
}

/// A tag with its colour and cadence.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tag {
    pub name: String,
    /// `#rrggbb`, when the user chose one.
    pub color: Option<String>,
    pub cadence_days: Option<i64>,
    /// How many live contacts carry it.
    pub contacts: usize,
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
