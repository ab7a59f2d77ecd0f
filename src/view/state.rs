//! Everything the panels read between frames: the view state the app fills after each command
//! (the contact list's rows, the selected contact with its history and timeline, Today, the
//! dashboard, open dialogs, the status line), as plain data. The panels change it and push
//! `Command`s; only the app fills it from the store.

use super::paged::PagedRows;
use super::{DashboardData, Prefs};
use crate::insight::{self, Briefing, MonthlyTouches, TimelineRow};
use crate::model::{
    Contact, ContactRow, HistoryFilter, HistoryScope, Member, OrganizationId, PromiseCounts,
    TimelineEntry, TrashedContact,
};
use crate::store::Location;
use chrono::NaiveDateTime;
use std::path::PathBuf;

/// Everything the panels read and edit between frames. The panels never reach the store: they
/// change this state and push `Command`s.
#[derive(Default)]
pub struct ViewState {
    pub search: String,
    pub contacts: PagedRows<ContactRow>,
    /// Photo textures: the list's thumbnails and the header's photo.
    pub photos: super::photos::PhotoTextures,
    pub selected: Option<SelectedContact>,
    /// The selected contact's relationships, "Add relationship…" and Who referred whom.
    pub relationships: super::relationships::RelationshipsView,
    /// The custom fields defined, Edit ▸ Custom fields… and an organization's values.
    pub custom_fields: super::custom_fields::FieldsView,
    /// Contacts chosen in the list for a bulk change (Ctrl-click, Shift-click, Ctrl+A).
    pub bulk: super::bulk::BulkSelection,
    pub contact_form: Option<super::contact_form::ContactForm>,
    pub conversation_form: Option<super::conversation_form::ConversationForm>,
    pub trash: Option<Vec<TrashedContact>>,
    pub life_event_form: Option<super::history::LifeEventForm>,
    pub filter_buffers: super::history::FilterBuffers,
    pub follow_up_offer: Option<super::follow_up_offer::FollowUpOffer>,
    /// "Remind you even when Rapport is closed?", asked once, after the first timed follow-up.
    pub remind_question: bool,
    /// The database file is damaged or not a database (not merely locked or newer).
    pub damaged: bool,
    /// File > Import contacts: the chosen file and its preview.
    pub import_dialog: Option<super::import_dialog::ImportDialog>,
    /// File > Import mail or calendar: the files, their plan, progress.
    pub mail_import: Option<super::conversation_import::MailImportDialog>,
    /// The latest good backup, offered when the database cannot be opened.
    pub recovery: Option<Recovery>,
    /// File > Backups: the list, newest first.
    pub backups: Option<Vec<crate::store::backup::BackupInfo>>,
    /// A first launch: show the welcome.
    pub first_run: bool,
    /// Set while the demo database is open: the user's own database, to go back to.
    pub demo_of: Option<Location>,
    /// What happened when the last session crashed, shown once.
    pub crash_notice: Option<String>,
    pub main_view: MainView,
    /// File > Export timeline report: scope, period, kinds, privacy, format, where.
    pub export_report: Option<super::export_dialog::ExportDialog>,
    /// The calendar export dialog: where to save, typed or picked.
    pub calendar_export: Option<super::export_calendar::CalendarExport>,
    /// File > Export contacts: whose, vCard or CSV, where.
    pub contact_export: Option<super::export_contacts::ContactExportDialog>,
    pub today: TodayData,
    pub dashboard: DashboardData,
    /// Tag, stage and health filters and the sort order of the contact list.
    pub contact_filter: crate::model::ContactFilter,
    /// Every tag (for the filter and the tags dialog), loaded when the list is refreshed;
    /// their contacts are counted only when the tag filter or View ▸ Tags opens.
    pub tags: Vec<crate::model::Tag>,
    /// View > Tags: colours and cadences being edited.
    pub tags_dialog: Option<super::tags_dialog::TagsDialog>,
    /// File ▸ Team database: the address to connect to.
    pub team_dialog: Option<super::team_dialog::TeamDialog>,
    /// File ▸ Protect with a passphrase… (or Change / Remove).
    pub passphrase_dialog: Option<super::protect::PassphraseDialog>,
    /// The protected file's passphrase, asked before anything else shows.
    pub unlock: Option<super::protect::UnlockScreen>,
    /// Whether the file is protected with a passphrase (`None`: not a file).
    pub protected: Option<bool>,
    /// Contact ▸ Everything we hold…
    pub everything_dialog: Option<super::privacy::EverythingDialog>,
    /// Contact ▸ Erase completely…
    pub erase_dialog: Option<super::privacy::EraseDialog>,
    /// Edit ▸ Find duplicates…: the likely pairs, and the merge of one.
    pub duplicates: Option<super::duplicates::DuplicatesDialog>,
    /// The team database the window is on, who signed in, and whether it can be reached
    /// (`None` on a file or in memory).
    pub team: Option<super::team_live::TeamLink>,
    /// Moving to the trash a contact someone changed since it was shown: asked first.
    pub trash_question: Option<super::team_live::TrashQuestion>,
    pub show_about: bool,
    pub status: Option<StatusLine>,
    /// The step Ctrl+Z would undo, for Edit > Undo and the status bar's button.
    pub undo_top: Option<UndoMark>,
    /// Which database is open, as the status bar, the title and the About box name it.
    pub database: DatabaseName,
    /// Set when the list should scroll to show the selected contact.
    pub scroll_to_selected: bool,
    /// The list index of the selected contact, when known, for scrolling to it.
    pub selected_row: Option<usize>,
    /// Request keyboard focus for the search box on the next frame.
    pub focus_search: bool,
    /// Why the database could not be opened; the window then shows only this.
    pub open_error: Option<String>,
    pub prefs: Prefs,
}

/// The contact on screen, with everything the three panels draw, cached until data changes.
pub struct SelectedContact {
    pub contact: Contact,
    /// The contact's own history, or everyone's at their organization.
    pub scope: HistoryScope,
    /// The organization's name and people, when the organization view is open.
    pub organization: Option<(OrganizationId, String, Vec<Member>)>,
    pub filter: HistoryFilter,
    /// The history's rows: conversations, a thread as its newest message.
    pub history: PagedRows<crate::model::conversation_rows::HistoryRow>,
    /// The thread opened under its newest message, if any.
    pub open_thread: Option<super::history::OpenThread>,
    pub timeline: Vec<TimelineEntry>,
    pub timeline_rows: Vec<TimelineRow>,
    pub touches: MonthlyTouches,
    pub briefing: Briefing,
    /// Promises kept, late and broken with this person, and their no-shows.
    pub promises: PromiseCounts,
    /// The relationship's health, once computed.
    pub health: Option<insight::Health>,
    /// The colours of the tags on this contact, by tag name.
    pub tag_colors: Vec<(String, Option<[u8; 3]>)>,
    /// The user's phone country ("US", "GB"): phones from it read in national format.
    pub phone_region: String,
}

/// Which view fills the centre of the window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MainView {
    /// The selected contact's conversation history.
    #[default]
    Contact,
    /// Who needs me today: due follow-ups, people going cold, the promise ledger.
    Today,
    /// The home view: who needs attention and why, birthdays, recent talks, charts.
    Dashboard,
}

/// What the Today view shows, computed when it opens and after every change.
#[derive(Debug, Clone, Default)]
pub struct TodayData {
    pub now: Option<NaiveDateTime>,
    pub lists: insight::DueLists,
    pub cold: Vec<insight::ColdContact>,
    pub ledger: PromiseCounts,
    /// Meetings in the next days (conversations dated after now).
    pub upcoming: Vec<crate::model::conversation_rows::UpcomingMeeting>,
}

/// A message at the bottom of the window; errors are shown in red.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StatusLine {
    pub text: String,
    pub is_error: bool,
    /// The undo step this line reports, set only where the step is pushed. The status bar
    /// offers Undo beside the line only while that step is still the top of the history, so
    /// a later message (an export, a reminder) never sits next to a button that would undo
    /// something else.
    pub undo: Option<UndoMark>,
}

/// The step on top of the undo history, as the Edit menu and the status bar name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UndoMark {
    /// Tells apart two steps with the same words ("mark 'Call back' done" twice).
    pub serial: u64,
    /// "Undo: add Ada Baker".
    pub label: String,
}

/// A backup that can replace a damaged database.
#[derive(Debug, Clone)]
pub struct Recovery {
    pub backup: PathBuf,
    pub taken_at: NaiveDateTime,
}

/// Which database the window shows, named without a password: a file's path, or a team
/// database's address as `Location` displays it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum DatabaseName {
    #[default]
    InMemory,
    File(String),
    Team(String),
}

impl DatabaseName {
    /// The name of the database at `location` (`None`: in memory).
    pub fn of(location: Option<&Location>) -> Self {
        match location {
            None => DatabaseName::InMemory,
            Some(location @ Location::File(_)) => DatabaseName::File(location.to_string()),
            Some(location @ Location::Team(_)) => DatabaseName::Team(location.to_string()),
        }
    }

    /// What the status bar says: "Database: /home/ana/rapport.sqlite3", or
    /// "Team database postgres://ana@server:5432/shop".
    pub fn line(&self) -> String {
        match self {
            DatabaseName::InMemory => "Database: in memory".to_owned(),
            DatabaseName::File(path) => format!("Database: {path}"),
            DatabaseName::Team(address) => format!("Team database {address}"),
        }
    }

    /// The window's title: a team database is named there too, since it is shared.
    pub fn title(&self) -> String {
        match self {
            DatabaseName::Team(address) => format!("Rapport — team database {address}"),
            _ => "Rapport".to_owned(),
        }
    }

    /// Where the data is kept, as a sentence for the welcome and the About box.
    pub fn where_kept(&self) -> String {
        match self {
            DatabaseName::InMemory => "Your data is kept in memory only.".to_owned(),
            DatabaseName::File(path) => {
                format!("Your data is kept in {path} on this computer only.")
            }
            DatabaseName::Team(address) => format!(
                "Your data is kept in the team database {address}, on its server, shared with your team."
            ),
        }
    }

    pub fn is_team(&self) -> bool {
        matches!(self, DatabaseName::Team(_))
    }
}
