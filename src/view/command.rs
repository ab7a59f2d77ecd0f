//! What the panels ask the app to do. Panels push these while drawing; the app applies them
//! after the frame, so the database is never changed in the middle of drawing.

use super::{MainView, Theme};
use crate::model::{
    ContactDraft, ContactId, FollowUpDraft, FollowUpId, HistoryFilter, InteractionDraft,
    InteractionId, OrganizationId,
};

#[derive(Debug, Clone)]
#[must_use]
pub enum Command {
    /// The search text changed: recount the list.
    SearchChanged,
    SelectContact(ContactId),
    /// Open an empty contact form.
    NewContact,
    /// Open the contact form on an existing contact.
    EditContact(ContactId),
    /// Create (`id: None`) or update a contact.
    SaveContact {
        id: Option<ContactId>,
        draft: Box<ContactDraft>,
    },
    /// Move a contact to the trash, unless it changed since it was shown (then ask).
    TrashContact(ContactId),
    /// Move a contact to the trash although someone changed it since it was shown.
    TrashContactAnyway(ContactId),
    /// Save the open contact form again with a choice for each field that clashed with a
    /// teammate's save, starting from their version.
    ResolveContactClash {
        choices: Vec<(String, crate::model::three_way::Keep)>,
    },
    /// Give the contact the photo in this image file (dropped on the window or picked).
    SetContactPhoto {
        contact: ContactId,
        path: std::path::PathBuf,
    },
    /// Give the contact the image pasted from the clipboard (Ctrl+V with no text box active).
    PasteContactPhoto {
        contact: ContactId,
        image: std::sync::Arc<egui::ColorImage>,
    },
    /// Ask the system file dialog for a photo of this contact.
    PickContactPhoto(ContactId),
    RemoveContactPhoto(ContactId),
    OpenTrash,
    RestoreContact(ContactId),
    /// Delete a trashed contact for good.
    PurgeContact(ContactId),
    /// Open the conversation form for a new conversation with this contact.
    LogConversation(ContactId),
    EditConversation(InteractionId),
    /// Look up contacts to add as participants.
    FindParticipants(String),
    SaveConversation {
        id: Option<InteractionId>,
        draft: InteractionDraft,
    },
    DeleteConversation(InteractionId),
    /// The history's one-key purpose (S, V, R): set a conversation's purpose, unless it
    /// changed since it was shown (`seen`, its version); one undo step.
    SetConversationPurpose {
        id: InteractionId,
        purpose: crate::model::Purpose,
        seen: i64,
    },
    /// Draw a thread's other messages under its newest one (`head`, at `head_index`).
    OpenThread {
        thread_ref: String,
        head: InteractionId,
        head_index: usize,
    },
    CloseThread,
    /// Replace a damaged database with this backup (the damaged file is renamed aside).
    RecoverFromBackup(std::path::PathBuf),
    /// Open the demo database (filled on first use) instead of the user's own.
    TryDemo,
    /// Leave the demo database for the user's own.
    BackToOwnData,
    OpenBackups,
    BackupNow,
    /// Open File ▸ Team database (the address to connect to).
    OpenTeamDialog,
    /// Connect to this team database on a thread, and switch the window to it when it answers.
    /// (`Location`'s `Debug` leaves the password out.)
    ConnectTeam(crate::store::Location),
    /// Replace the data with this backup (after backing up what is there).
    RestoreBackup(std::path::PathBuf),
    /// Open the import dialog.
    OpenImport,
    /// Ask the system file dialog for a contact file.
    PickImportFile,
    /// Read a file and plan its import (nothing is written).
    PreviewImport(std::path::PathBuf),
    /// Send column `index` of the previewed file to `field` and plan again.
    RemapImportColumn {
        index: usize,
        field: crate::import::Field,
    },
    /// Import the previewed file.
    ApplyImport,
    /// Stop a running import; nothing it did is kept.
    CancelImport,
    /// Write the previewed file's problem rows as a CSV beside it.
    SaveImportProblems,
    /// Files dropped on the window (not a photo for the selected contact): e-mails,
    /// mailboxes and calendars go to the mail import (`contact`, the one shown, listed
    /// first), anything else to the contact import.
    ImportDropped {
        paths: Vec<std::path::PathBuf>,
        contact: Option<ContactId>,
    },
    /// File ▸ Import mail or calendar…: ask the system file dialog for the files.
    PickMailFiles,
    /// Read these mail and calendar files and show what importing them will do.
    PlanMailImport {
        paths: Vec<std::path::PathBuf>,
        hint: Option<ContactId>,
    },
    /// Read the files again with the addresses and choice now in the dialog.
    ReplanMailImport,
    /// Import the planned mail and calendar files.
    ApplyMailImport,
    /// Stop reading or importing (nothing is kept), or close the dialog.
    CancelMailImport,
    /// Open the follow-up dialog for a contact.
    NewFollowUp(ContactId),
    /// Open the calendar export dialog.
    ExportCalendar,
    /// Ask the system file dialog where to save the calendar.
    PickCalendarPath,
    /// Write the calendar file here.
    ExportCalendarTo(std::path::PathBuf),
    /// Open the timeline report dialog, on this scope (else the selected contact).
    OpenExportReport(Option<crate::model::ReportScope>),
    /// Ask the system file dialog where to save the report.
    PickReportPath,
    /// Gather, render and write a report on the export thread.
    StartReportExport {
        request: crate::model::ReportRequest,
        format: crate::report::ReportFormat,
        path: std::path::PathBuf,
    },
    /// Stop a running report export; no file is written.
    CancelReportExport,
    /// Open a written report in the system's viewer.
    OpenExportedFile(std::path::PathBuf),
    /// Open File ▸ Export contacts.
    OpenExportContacts,
    /// Ask the system file dialog where to save the contacts.
    PickContactExportPath,
    /// Gather the contacts in `scope` and write them in `format` on the export thread.
    StartContactExport {
        scope: crate::model::ReportScope,
        format: crate::report::contacts::ContactFormat,
        path: std::path::PathBuf,
    },
    /// Switch the centre of the window between the contact and Today.
    ShowView(MainView),
    /// Select a contact and show their history (from Today, the dashboard, …).
    OpenContact(ContactId),
    /// Tick a follow-up off now: kept, or kept late. `seen` is the version shown: when a
    /// teammate changed it since, nothing happens and the window says who (None: no check).
    CompleteFollowUp {
        id: FollowUpId,
        seen: Option<i64>,
    },
    /// Mark a follow-up as a broken promise.
    MissFollowUp {
        id: FollowUpId,
        seen: Option<i64>,
    },
    /// Move a follow-up a few days later, keeping the old date in its history.
    SnoozeFollowUp {
        id: FollowUpId,
        days: i64,
        seen: Option<i64>,
    },
    /// Record a follow-up (a promise with a due date).
    CreateFollowUp(FollowUpDraft),
    /// File ▸ Protect with a passphrase… / Change passphrase… / Remove passphrase….
    OpenPassphraseDialog(super::protect::PassphraseAction),
    /// Do what the passphrase dialog says.
    ApplyPassphrase,
    /// File ▸ Lock: close the protected file until its passphrase is typed again.
    LockDatabase,
    /// Open the file with the passphrase typed on the unlock screen.
    Unlock,
    /// Contact ▸ Everything we hold…: the dialog for this contact.
    OpenEverything(ContactId),
    /// Write everything held about the dialog's contact to its path.
    SaveEverything,
    /// Contact ▸ Erase completely…: ask first.
    OpenErase(ContactId),
    /// Erase the contact and every trace of them (and from the backups too), for good.
    EraseContact {
        id: ContactId,
        from_backups: bool,
    },
    /// Find duplicates…: look for likely pairs among the contacts (on a thread).
    OpenDuplicates,
    /// Show two contacts side by side to merge them.
    OpenMerge {
        first: ContactId,
        second: ContactId,
    },
    /// Merge the pair the merge view shows, as chosen there (one undoable step).
    MergeContacts,
    /// The pair are two people: not listed again.
    NotSamePerson {
        first: ContactId,
        second: ContactId,
    },
    /// "Is this Robert Smith?" — yes: open Robert Smith's form with what was typed added.
    AddToContact {
        id: ContactId,
        draft: Box<ContactDraft>,
    },
    /// Start (true) or stop starting (false) the reminder companion at login for this file.
    SetRemindWhenClosed(bool),
    /// "Not now" to the question: asked again at a later launch.
    PostponeRemindQuestion,
    /// Show the selected history with this filter.
    FilterHistory(HistoryFilter),
    /// Show everyone's conversations at the selected contact's organization.
    ShowOrganization(OrganizationId),
    /// Back from the organization view to the contact's own history.
    ShowContactHistory,
    AddLifeEvent {
        contact: ContactId,
        occurred_on: chrono::NaiveDate,
        kind: String,
        description: String,
    },
    /// Open "Add relationship…" for this contact.
    OpenAddRelationship(ContactId),
    /// The relationship dialog's name box changed: look up people by this name.
    FindRelated(String),
    /// Record that `contact` is `role` of `other` ("married to", "referred by"), one undo step.
    Relate {
        contact: ContactId,
        role: crate::model::relationship::Role,
        other: ContactId,
        note: String,
    },
    /// Remove one of `contact`'s relationships (by its id), one undo step.
    Unrelate {
        contact: ContactId,
        relationship: i64,
    },
    /// View ▸ Who referred whom…
    OpenReferrals,
    /// Show the contact list with these tag, stage and health filters and this order.
    SetContactFilter(crate::model::ContactFilter),
    /// Open View > Tags (colours and keep-in-touch cadences).
    OpenTags,
    /// Count each tag's contacts (the tag filter was opened).
    CountTags,
    /// Custom fields: the dialog, their definitions, an organization's values.
    CustomFields(super::custom_fields::FieldsCommand),
    /// Save a tag's colour (`#rrggbb`, or none) and cadence.
    SaveTag {
        name: String,
        color: Option<String>,
        cadence_days: Option<i64>,
    },
    /// Shift-click: choose every list row from the last one clicked to this one.
    ExtendSelection(usize),
    /// Ctrl+A in the list: choose every contact the search and filters match.
    SelectAllMatches,
    /// The bulk bar: add or remove a tag, set the stage or cadence, or move to the trash,
    /// every chosen contact.
    BulkEdit(crate::store::BulkEdit),
    /// The bulk bar's Cancel: stop a bulk change running on its thread; nothing is changed.
    CancelBulk,
    /// The bulk bar's Export…: File ▸ Export contacts, on the chosen contacts.
    ExportChosen,
    Undo,
    SetZoom(f32),
    SetTheme(Theme),
    Quit,
}

impl Command {
    /// Whether this command changes the data (so it cannot be done while a team database is
    /// out of reach).
    pub fn writes(&self) -> bool {
        matches!(
            self,
            Command::SaveContact { .. }
                | Command::TrashContact(_)
                | Command::TrashContactAnyway(_)
                | Command::ResolveContactClash { .. }
                | Command::SetContactPhoto { .. }
                | Command::PasteContactPhoto { .. }
                | Command::RemoveContactPhoto(_)
                | Command::RestoreContact(_)
                | Command::PurgeContact(_)
                | Command::SaveConversation { .. }
                | Command::DeleteConversation(_)
                | Command::SetConversationPurpose { .. }
                | Command::RestoreBackup(_)
                | Command::ApplyImport
                | Command::ApplyMailImport
                | Command::CreateFollowUp(_)
                | Command::CompleteFollowUp { .. }
                | Command::MissFollowUp { .. }
                | Command::SnoozeFollowUp { .. }
                | Command::AddLifeEvent { .. }
                | Command::Relate { .. }
                | Command::Unrelate { .. }
                | Command::SaveTag { .. }
                | Command::Undo
                | Command::EraseContact { .. }
                | Command::ApplyPassphrase
                | Command::MergeContacts
                | Command::NotSamePerson { .. }
                | Command::BulkEdit(_)
        ) || matches!(self, Command::CustomFields(c) if c.writes())
    }
}
