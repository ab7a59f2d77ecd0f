//! What a timeline report asks for (scope, period, kinds, privacy) and the raw data the store
//! gathers for it. The report layer turns `ReportData` into a `TimelineReport`; neither side
//! knows how the other works.

use super::{
    Birthday, ContactId, ContactPhoto, DueFollowUp, Interaction, LifeEvent, OrganizationId,
};
use chrono::NaiveDate;

/// Whose timeline a report covers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReportScope {
    Contact(ContactId),
    /// Everyone at an organization.
    Organization(OrganizationId),
    /// Everyone carrying a tag (matched case-insensitively).
    Tag(String),
    /// Every live contact.
    Everyone,
    /// These live contacts (chosen in the list for a bulk change).
    Contacts(Vec<ContactId>),
}

impl ReportScope {
    /// True when the report covers exactly one person, the only case where personal details
    /// are included unless asked otherwise.
    pub fn is_single_contact(&self) -> bool {
        matches!(self, ReportScope::Contact(_))
    }
}

/// Which kinds of timeline entries a report lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EntryKinds {
    pub conversations: bool,
    pub follow_ups: bool,
    pub life_events: bool,
}

impl Default for EntryKinds {
    fn default() -> Self {
        Self {
            conversations: true,
            follow_ups: true,
            life_events: true,
        }
    }
}

/// Everything that decides what a report contains.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportRequest {
    pub scope: ReportScope,
    /// First day included (inclusive); `None` is "from the beginning".
    pub from: Option<NaiveDate>,
    /// Last day included (inclusive); `None` is "up to now".
    pub to: Option<NaiveDate>,
    pub kinds: EntryKinds,
    /// Include family, birthday, personal notes, interests and how we met.
    pub include_personal: bool,
}

impl ReportRequest {
    /// A request with the defaults for `scope`: everything, all kinds, personal details only
    /// for a single contact.
    pub fn new(scope: ReportScope) -> Self {
        let include_personal = scope.is_single_contact();
        Self {
            scope,
            from: None,
            to: None,
            kinds: EntryKinds::default(),
            include_personal,
        }
    }

    /// True when `day` falls inside the requested period.
    pub fn covers(&self, day: NaiveDate) -> bool {
        self.from.is_none_or(|from| day >= from) && self.to.is_none_or(|to| day <= to)
    }
}

/// The personal side of a contact, shown only when the report asks for it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PersonalDetails {
    pub family: String,
    pub birthday: Option<Birthday>,
    pub personal_notes: String,
    pub interests: String,
    pub how_we_met: String,
    /// The person's custom fields that have a value: (field name, value in words), in the
    /// fields' order.
    pub custom_fields: Vec<(String, String)>,
}

impl PersonalDetails {
    pub fn is_empty(&self) -> bool {
        self.birthday.is_none()
            && self.custom_fields.is_empty()
            && [
                &self.family,
                &self.personal_notes,
                &self.interests,
                &self.how_we_met,
            ]
            .iter()
            .all(|s| s.trim().is_empty())
    }
}

/// One person a report covers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportPerson {
    pub id: ContactId,
    pub display_name: String,
    pub organization: String,
    pub title: String,
    /// `None` unless personal details were asked for.
    pub personal: Option<PersonalDetails>,
    /// The avatar photo: the stored image (at most 256 px) in a one-contact report, the small
    /// square thumbnail in a group's. `None` without a photo, and unless personal details were
    /// asked for (a photo is personal data; the report then shows the initials).
    pub photo: Option<ContactPhoto>,
}

/// A life event with the name of whose it is.
#[derive(Clone, Debug, PartialEq)]
pub struct NamedLifeEvent {
    pub event: LifeEvent,
    pub contact_name: String,
}

/// What the store gathered for a report, already narrowed to the scope and period. The
/// conversations and follow-ups are always gathered (the summary counts them); the entry kinds
/// decide what the report lists.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ReportData {
    /// Who the report is about, in words ("Maria García", "Everyone at Golden Crust").
    pub subject: String,
    pub people: Vec<ReportPerson>,
    /// Conversations in the period, oldest first, each once.
    pub conversations: Vec<Interaction>,
    /// Follow-ups due in the period, soonest first.
    pub follow_ups: Vec<DueFollowUp>,
    /// Life events in the period, oldest first (empty when life events were not asked for).
    pub life_events: Vec<NamedLifeEvent>,
}
