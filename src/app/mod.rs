//! The eframe application: owns the `Store` and the view state, draws the panels (through `ui`),
//! and applies the `Command`s they emit after each frame. This is the only layer that both
//! talks to the store and knows about egui.

mod command;
mod dashboard;
pub mod launch;
pub mod paged;

pub use command::Command;
pub use dashboard::{ATTENTION_SHOWN, CHART_WEEKS, DashboardData, compute_dashboard};

use crate::insight::{self, Briefing, MonthlyTouches, TimelineRow};
use crate::model::{
    Contact, ContactDraft, ContactId, ContactRow, HistoryFilter, HistoryScope, Interaction,
    InteractionDraft, Member, OrganizationId, PromiseCounts, TimelineEntry, TrashedContact,
};
use crate::store::undo::{Change, Part, Undone};
use crate::store::{Store, StoreError};
use crate::ui;
use chrono::NaiveDateTime;
use paged::PagedRows;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// UI choices remembered between launches (eframe persistence).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct Prefs {
    pub selected_contact: Option<i64>,
    pub zoom: f32,
    pub theme: Theme,
    /// View ▸ Contacts panel: the list on the left (hidden to give a small screen's width to
    /// the conversations).
    pub show_contacts_panel: bool,
    /// View ▸ Timeline panel: the relationship timeline on the right.
    pub show_timeline_panel: bool,
}

impl Prefs {
    /// Sets the window's zoom and theme to these choices.
    pub fn apply(&self, ctx: &egui::Context) {
        ctx.set_zoom_factor(self.zoom);
        ctx.set_theme(self.theme.preference());
    }
}

impl Default for Prefs {
    fn default() -> Self {
        Self {
            selected_contact: None,
            zoom: 1.0,
            theme: Theme::System,
            show_contacts_panel: true,
            show_timeline_panel: true,
        }
    }
}

/// Light, dark, or whatever the system says.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
pub enum Theme {
    System,
    Light,
    Dark,
}

impl Theme {
    pub fn preference(self) -> egui::ThemePreference {
        match self {
            Theme::System => egui::ThemePreference::System,
            Theme::Light => egui::ThemePreference::Light,
            Theme::Dark => egui::ThemePreference::Dark,
        }
    }
}

/// The contact on screen, with everything the three panels draw, cached until data changes.
pub struct SelectedContact {
    pub contact: Contact,
    /// The contact's own history, or everyone's at their organization.
    pub scope: HistoryScope,
    /// The organization's name and people, when the organization view is open.
    pub organization: Option<(OrganizationId, String, Vec<Member>)>,
    pub filter: HistoryFilter,
    pub history: PagedRows<Interaction>,
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

/// What an import needs once its thread is done.
struct PendingImport {
    file: String,
    format: &'static str,
    signature: Option<String>,
    mapping: Vec<crate::import::Column>,
    region: String,
}

enum ImportEvent {
    Progress {
        done: usize,
        total: usize,
    },
    Finished(
        Result<
            (
                crate::model::ImportBatchId,
                crate::store::import::ImportPlan,
            ),
            String,
        >,
    ),
}

/// An import running on its own thread.
struct ImportJob {
    pending: PendingImport,
    receiver: std::sync::mpsc::Receiver<ImportEvent>,
    cancel: std::sync::Arc<std::sync::atomic::AtomicBool>,
    done: usize,
    total: usize,
}

enum ReportEvent {
    /// A step of the export is done ("Laying out the PDF…" is next).
    Progress {
        done: usize,
        total: usize,
        next: String,
    },
    Finished(Result<(PathBuf, String), String>),
}

/// A timeline report being gathered, rendered and written on its own thread.
struct ReportJob {
    receiver: std::sync::mpsc::Receiver<ReportEvent>,
    cancel: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

/// Runs the export steps on the export thread: gather (when `data` is not given yet),
/// render, write. Stops between steps when `cancel` is set; nothing is written then.
#[allow(clippy::too_many_arguments)]
fn run_report_export(
    db_path: Option<PathBuf>,
    data: Option<crate::model::ReportData>,
    request: crate::model::ReportRequest,
    format: crate::report::ReportFormat,
    path: PathBuf,
    now: NaiveDateTime,
    cancel: &std::sync::atomic::AtomicBool,
    progress: &dyn Fn(usize, String),
) -> Result<(PathBuf, String), String> {
    use std::sync::atomic::Ordering;
    const CANCELLED: &str = "Export cancelled; no file was written.";
    // A folder that cannot take the file is said before the report is laid out.
    crate::files::check_folder(&path).map_err(|e| format!("{e:#}"))?;
    let data = match (data, db_path) {
        (Some(data), _) => data,
        (None, Some(db_path)) => {
            progress(0, "Gathering the timeline…".to_owned());
            let store = Store::open(&db_path).map_err(|e| e.to_string())?;
            store.report_data(&request).map_err(|e| e.to_string())?
        }
        (None, None) => return Err("There is no database to export from.".to_owned()),
    };
    if cancel.load(Ordering::Relaxed) {
        return Err(CANCELLED.to_owned());
    }
    progress(
        1,
        match format {
            crate::report::ReportFormat::Pdf => "Laying out the PDF…".to_owned(),
            _ => "Writing the report…".to_owned(),
        },
    );
    let report = crate::report::build(data, &request, now, &crate::files::report_generator());
    let bytes = crate::report::render(&report, format).map_err(|e| e.to_string())?;
    if cancel.load(Ordering::Relaxed) {
        return Err(CANCELLED.to_owned());
    }
    progress(2, "Saving…".to_owned());
    crate::files::write_atomically(&path, &bytes).map_err(|e| format!("{e:#}"))?;
    let n = report.entries.len();
    Ok((
        path.clone(),
        format!(
            "Wrote the timeline of {} ({n} {}) to {}.",
            report.header.subject,
            if n == 1 { "entry" } else { "entries" },
            path.display()
        ),
    ))
}

/// Gathers (when `contacts` is not given yet) and writes a contact export on the export thread.
fn run_contact_export(
    db_path: Option<PathBuf>,
    contacts: Option<Vec<ContactDraft>>,
    scope: crate::model::ReportScope,
    format: crate::report::contacts::ContactFormat,
    path: PathBuf,
) -> Result<String, String> {
    let contacts = match (contacts, db_path) {
        (Some(contacts), _) => contacts,
        (None, Some(db_path)) => Store::open(&db_path)
            .and_then(|store| store.contacts_for_export(&scope))
            .map_err(|e| e.to_string())?,
        (None, None) => return Err("There is no database to export from.".to_owned()),
    };
    if contacts.is_empty() {
        return Err(crate::files::nobody_to_export(&scope));
    }
    crate::files::write_contacts(&contacts, format, &path).map_err(|e| format!("{e:#}"))
}

/// A backup that can replace a damaged database.
#[derive(Debug, Clone)]
pub struct Recovery {
    pub backup: PathBuf,
    pub taken_at: NaiveDateTime,
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

/// What Edit > Undo would do; each step knows how to reverse one change.
#[derive(Debug, Clone)]
enum UndoStep {
    /// A change put back from the rows it touched, as they were before (`store::undo`): the
    /// same ids and timestamps, so the steps below it still find what they left.
    Rows {
        /// "Undo: mark 'Call back' done".
        label: String,
        change: Box<Change>,
        /// The contact to show after undoing, when they are still there.
        subject: Option<ContactId>,
    },
    Import {
        batch: crate::model::ImportBatchId,
        file: String,
    },
}

impl UndoStep {
    fn label(&self) -> String {
        match self {
            UndoStep::Rows { label, .. } => label.clone(),
            UndoStep::Import { file, .. } => format!("Undo: import of {file}"),
        }
    }
}

/// A step as "Undo: …" names it: a conversation by the start of its summary, else its kind
/// and day.
fn conversation_title(draft: &InteractionDraft) -> String {
    let summary = draft.summary.lines().next().unwrap_or_default().trim();
    if summary.is_empty() {
        return format!(
            "{} of {}",
            draft.channel.label().to_lowercase(),
            draft.occurred_at.format("%-d %b %Y")
        );
    }
    shorten(summary)
}

/// At most 40 characters, so a label fits a menu.
fn shorten(text: &str) -> String {
    const MAX: usize = 40;
    if text.chars().count() <= MAX {
        return text.to_owned();
    }
    let cut: String = text.chars().take(MAX - 1).collect();
    format!("{}…", cut.trim_end())
}

/// Writes through `write` and records it: the rows `parts` name are read before, those and the
/// ones `write` reports it created after. A failed read afterwards only costs the undo step
/// (logged): the write itself has landed.
fn recorded<T>(
    store: &mut Store,
    parts: &[Part],
    write: impl FnOnce(&mut Store) -> Result<(T, Vec<Part>), StoreError>,
) -> Result<(T, Option<Change>), StoreError> {
    let before = store.snapshot(parts)?;
    let (value, created) = write(store)?;
    match store.change_since(before, &created) {
        Ok(change) => Ok((value, Some(change))),
        Err(error) => {
            tracing::warn!("the change was saved but cannot be undone: {error:?}");
            Ok((value, None))
        }
    }
}

/// Why an undo step was not applied.
enum UndoFailure {
    /// It never will be: its rows changed outside the history ("the contact was changed
    /// since then"), or the import was undone already.
    Refused(String),
    /// The database could not do it now; trying again may work.
    Store(StoreError),
}

/// The organization and tags a contact draft names: saving it may create them.
fn contact_parts(draft: &ContactDraft) -> Vec<Part> {
    std::iter::once(Part::Organization(draft.organization.clone()))
        .chain(draft.tags.iter().map(|t| Part::Tag(t.clone())))
        .collect()
}

/// Everything the panels read and edit between frames. The panels never reach the store: they
/// change this state and push `Command`s.
#[derive(Default)]
pub struct ViewState {
    pub search: String,
    pub contacts: PagedRows<ContactRow>,
    pub selected: Option<SelectedContact>,
    pub contact_form: Option<ui::contact_form::ContactForm>,
    pub conversation_form: Option<ui::conversation_form::ConversationForm>,
    pub trash: Option<Vec<TrashedContact>>,
    pub life_event_form: Option<ui::history_panel::LifeEventForm>,
    pub filter_buffers: ui::history_panel::FilterBuffers,
    pub follow_up_offer: Option<ui::follow_up_offer::FollowUpOffer>,
    /// The database file is damaged or not a database (not merely locked or newer).
    pub damaged: bool,
    /// File > Import contacts: the chosen file and its preview.
    pub import_dialog: Option<ui::import_dialog::ImportDialog>,
    /// The latest good backup, offered when the database cannot be opened.
    pub recovery: Option<Recovery>,
    /// File > Backups: the list, newest first.
    pub backups: Option<Vec<crate::store::backup::BackupInfo>>,
    /// A first launch: show the welcome.
    pub first_run: bool,
    /// Set while the demo database is open: the user's own database, to go back to.
    pub demo_of: Option<PathBuf>,
    /// What happened when the last session crashed, shown once.
    pub crash_notice: Option<String>,
    pub main_view: MainView,
    /// File > Export timeline report: scope, period, kinds, privacy, format, where.
    pub export_report: Option<ui::export_dialog::ExportDialog>,
    /// The calendar export dialog: where to save, typed or picked.
    pub calendar_export: Option<ui::export_calendar::CalendarExport>,
    /// File > Export contacts: whose, vCard or CSV, where.
    pub contact_export: Option<ui::export_contacts::ContactExportDialog>,
    pub today: TodayData,
    pub dashboard: DashboardData,
    /// Tag, stage and health filters and the sort order of the contact list.
    pub contact_filter: crate::model::ContactFilter,
    /// Every tag (for the filter and the tags dialog), loaded when the list is refreshed.
    pub tags: Vec<crate::model::Tag>,
    /// View > Tags: colours and cadences being edited.
    pub tags_dialog: Option<ui::tags_dialog::TagsDialog>,
    pub show_about: bool,
    pub status: Option<StatusLine>,
    /// The step Ctrl+Z would undo, for Edit > Undo and the status bar's button.
    pub undo_top: Option<UndoMark>,
    pub database_label: String,
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

/// The Rapport window.
pub struct RapportApp {
    store: Option<Store>,
    pub view: ViewState,
    /// The user's own changes, oldest first, each with its serial (`UndoMark`).
    undo: Vec<(u64, UndoStep)>,
    /// The serial of the latest step pushed.
    undo_serial: u64,
    commands: Vec<Command>,
    /// A fixed local "now" for tests and snapshots; `None` reads the system clock.
    fixed_now: Option<NaiveDateTime>,
    /// Timed follow-ups due up to here have been announced.
    reminders_checked_until: NaiveDateTime,
    next_reminder_check: Option<std::time::Instant>,
    /// The database file on screen, and the lock that keeps a second window off it.
    db_path: Option<PathBuf>,
    lock: Option<crate::safety::InstanceLock>,
    /// An import running on its own thread and connection.
    import_job: Option<ImportJob>,
    /// A timeline report being written on its own thread.
    report_job: Option<ReportJob>,
    /// A contact export being written on its own thread: the sentence, or why it failed.
    contact_export_job: Option<std::sync::mpsc::Receiver<Result<String, String>>>,
    /// The launch backup running on its own thread and connection.
    backup_job: Option<std::sync::mpsc::Receiver<Result<Option<PathBuf>, String>>>,
    /// Relationship health and dashboard lists being computed off the frame loop.
    dashboard_jobs: dashboard::DashboardJobs,
}

const PREFS_KEY: &str = "rapport-prefs";

impl RapportApp {
    /// The app without an egui context, for tests and benchmarks.
    pub fn with_store(store: Result<Store, StoreError>, prefs: Prefs) -> Self {
        Self::with_store_at(store, prefs, None)
    }

    /// Like `with_store`, with the local time fixed at `now` (when given), so what the app
    /// shows does not depend on the day it runs.
    pub fn with_store_at(
        store: Result<Store, StoreError>,
        prefs: Prefs,
        now: Option<NaiveDateTime>,
    ) -> Self {
        let mut view = ViewState {
            prefs,
            ..ViewState::default()
        };
        let store = match store {
            Ok(store) => {
                view.database_label = store
                    .path()
                    .map(|p| p.display().to_string())
                    .unwrap_or_else(|| "in memory".to_owned());
                Some(store)
            }
            Err(error) => {
                tracing::error!("could not open the database: {error:?}");
                view.open_error = Some(error.to_string());
                view.damaged = matches!(
                    error,
                    StoreError::NotADatabase { .. } | StoreError::Corrupt { .. }
                );
                None
            }
        };
        let mut app = Self {
            store,
            view,
            undo: Vec::new(),
            undo_serial: 0,
            commands: Vec::new(),
            fixed_now: now,
            reminders_checked_until: NaiveDateTime::MIN,
            next_reminder_check: None,
            db_path: None,
            lock: None,
            backup_job: None,
            import_job: None,
            dashboard_jobs: dashboard::DashboardJobs::default(),
            report_job: None,
            contact_export_job: None,
        };
        // Health depends on the day and on changes made from the command line: judge everyone
        // again at each launch (on a thread for a file; at once in memory).
        app.start_health_job();
        app.refresh_list();
        if let Some(id) = app.view.prefs.selected_contact {
            app.select(ContactId(id));
            app.view.scroll_to_selected = true;
            app.locate_selected();
        }
        app.launch_summary();
        // With nobody selected, the window opens on the dashboard: who needs me today.
        if app.view.selected.is_none() && app.view.contacts.total > 0 {
            app.view.main_view = MainView::Dashboard;
            app.refresh_dashboard();
        }
        app.reminders_checked_until = app.now();
        app
    }

    /// Connects the app to the database file behind it: keeps the lock, offers the latest good
    /// backup when the file is damaged, takes the daily backup on its own thread, explains a
    /// crash of the last session, and shows the welcome on a first launch.
    pub fn attach_file(
        &mut self,
        db_path: PathBuf,
        lock: Option<crate::safety::InstanceLock>,
        crash_report: Option<String>,
    ) {
        self.lock = lock;
        // A backup is offered only for a damaged file: a locked or newer database is fine as it is.
        if self.store.is_none() && self.view.damaged {
            self.view.recovery = crate::safety::latest_good_backup(&db_path).map(|b| Recovery {
                backup: b.path,
                taken_at: b.taken_at,
            });
        }
        self.db_path = Some(db_path);
        if let Some(store) = &self.store {
            self.view.first_run = store.was_created();
            if let Some(path) = store.path().map(|p| p.to_path_buf()) {
                let now = self.now();
                let (sender, receiver) = std::sync::mpsc::channel();
                let spawned = std::thread::Builder::new()
                    .name("daily-backup".to_owned())
                    .spawn(move || {
                        let result = Store::open(&path)
                            .and_then(|store| store.backup_if_stale(now))
                            .map_err(|e| e.to_string());
                        let _ = sender.send(result);
                    });
                match spawned {
                    Ok(_) => self.backup_job = Some(receiver),
                    Err(e) => tracing::warn!("could not start the backup thread: {e}"),
                }
            }
        }
        if let Some(report) = crash_report {
            self.view.crash_notice = Some(report);
        }
    }

    /// What to do once an import finished: remember the mapping, offer undo, refresh.
    fn finish_import(
        &mut self,
        job: PendingImport,
        result: Result<
            (
                crate::model::ImportBatchId,
                crate::store::import::ImportPlan,
            ),
            String,
        >,
    ) {
        match result {
            Ok((batch, plan)) => {
                if let Some(store) = &mut self.store {
                    if let Some(signature) = &job.signature
                        && let Err(error) = store.save_mapping(signature, &job.mapping)
                    {
                        tracing::warn!("could not remember the column mapping: {error}");
                    }
                    if let Err(error) = store.set_setting("phone_region", &job.region) {
                        tracing::warn!("could not remember the phone country: {error}");
                    }
                }
                self.view.import_dialog = None;
                self.refresh_list();
                self.reselect();
                self.start_health_job();
                let mark = self.push_undo(UndoStep::Import {
                    batch,
                    file: job.file.clone(),
                });
                let text = format!(
                    "Imported {}: {} new, {} merged, {} already here. Undo with Ctrl+Z.",
                    job.file,
                    plan.created(),
                    plan.merged(),
                    plan.unchanged()
                );
                self.report_step(text, Some(mark));
            }
            Err(error) => {
                if let Some(dialog) = &mut self.view.import_dialog {
                    dialog.error = Some(if error.starts_with("Cancelled") {
                        "Import cancelled; nothing was changed.".to_owned()
                    } else {
                        format!("The import failed and changed nothing: {error}")
                    });
                }
            }
        }
    }

    /// Collects the import thread's progress and result.
    fn poll_import(&mut self) {
        let Some(job) = &mut self.import_job else {
            return;
        };
        let mut finished = None;
        while let Ok(event) = job.receiver.try_recv() {
            match event {
                ImportEvent::Progress { done, total } => {
                    job.done = done;
                    job.total = total;
                }
                ImportEvent::Finished(result) => finished = Some(result),
            }
        }
        if let Some(dialog) = &mut self.view.import_dialog {
            dialog.progress = Some((job.done, job.total));
        }
        if let Some(result) = finished
            && let Some(job) = self.import_job.take()
        {
            if let Some(dialog) = &mut self.view.import_dialog {
                dialog.progress = None;
            }
            self.finish_import(job.pending, result);
        }
    }

    /// Collects the export thread's progress and result.
    fn poll_report(&mut self) {
        let Some(job) = &self.report_job else {
            return;
        };
        let mut finished = None;
        loop {
            match job.receiver.try_recv() {
                Ok(ReportEvent::Progress { done, total, next }) => {
                    if let Some(dialog) = &mut self.view.export_report {
                        dialog.progress = Some((done, total, next));
                    }
                }
                Ok(ReportEvent::Finished(result)) => finished = Some(result),
                Err(std::sync::mpsc::TryRecvError::Empty) => break,
                Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                    if finished.is_none() {
                        // The thread ended without a result: it panicked.
                        finished = Some(Err(
                            "The export stopped unexpectedly; no file was written.".to_owned(),
                        ));
                    }
                    break;
                }
            }
        }
        let Some(result) = finished else {
            return;
        };
        self.report_job = None;
        match result {
            Ok((path, sentence)) => {
                tracing::info!("{sentence}");
                self.view.status = Some(StatusLine {
                    text: sentence.clone(),
                    is_error: false,
                    undo: None,
                });
                if let Some(dialog) = &mut self.view.export_report {
                    dialog.progress = None;
                    dialog.written = Some((path, sentence));
                }
            }
            Err(error) => {
                tracing::warn!("report export: {error}");
                match &mut self.view.export_report {
                    Some(dialog) => {
                        dialog.progress = None;
                        dialog.error = Some(error);
                    }
                    None => {
                        self.view.status = Some(StatusLine {
                            text: error,
                            is_error: true,
                            undo: None,
                        })
                    }
                }
            }
        }
    }

    /// Collects the contact export thread's result.
    fn poll_contact_export(&mut self) {
        let Some(receiver) = &self.contact_export_job else {
            return;
        };
        let result = match receiver.try_recv() {
            Ok(result) => result,
            Err(std::sync::mpsc::TryRecvError::Empty) => return,
            Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                Err("The export stopped unexpectedly; no file was written.".to_owned())
            }
        };
        self.contact_export_job = None;
        if let Err(error) = &result {
            tracing::warn!("contact export: {error}");
        }
        match (&mut self.view.contact_export, result) {
            (Some(dialog), Ok(sentence)) => {
                dialog.running = false;
                dialog.written = Some(sentence);
            }
            (Some(dialog), Err(error)) => {
                dialog.running = false;
                dialog.error = Some(error);
            }
            (None, result) => {
                let is_error = result.is_err();
                self.view.status = Some(StatusLine {
                    text: result.unwrap_or_else(|e| e),
                    is_error,
                    undo: None,
                });
            }
        }
    }

    /// Collects the launch backup's result when its thread is done.
    fn poll_jobs(&mut self) {
        let Some(receiver) = &self.backup_job else {
            return;
        };
        match receiver.try_recv() {
            Ok(Ok(Some(path))) => {
                tracing::info!("daily backup written to {}", path.display());
                self.backup_job = None;
            }
            Ok(Ok(None)) => self.backup_job = None,
            Ok(Err(error)) => {
                self.backup_job = None;
                self.view.status = Some(StatusLine {
                    text: format!(
                        "The daily backup failed: {error}. Your data is unchanged; try File > Backups > Back up now."
                    ),
                    is_error: true,
                    undo: None,
                });
            }
            Err(std::sync::mpsc::TryRecvError::Empty) => {}
            Err(std::sync::mpsc::TryRecvError::Disconnected) => self.backup_job = None,
        }
    }

    /// Replaces the store with the database at `path` (the demo database, or back to the
    /// user's own), with its own lock.
    fn switch_database(&mut self, path: PathBuf, fill_demo: bool) {
        // Release the current file first, so switching back finds it unlocked.
        self.store = None;
        self.lock = None;
        let (store, lock) = open_for_window(&path);
        let mut store = match store {
            Ok(store) => store,
            Err(error) => {
                self.report(Err(error));
                return;
            }
        };
        if fill_demo && store.count_contacts("").unwrap_or(0) == 0 {
            let now = self.now();
            if let Err(error) = crate::demo::fill(&mut store, 300, 4000, now, |_, _| {}) {
                self.report(Err(error));
            }
        }
        let prefs = self.view.prefs.clone();
        let demo_of = self.view.demo_of.clone();
        let fixed_now = self.fixed_now;
        *self = Self::with_store_at(
            Ok(store),
            Prefs {
                selected_contact: None,
                ..prefs
            },
            fixed_now,
        );
        self.lock = lock;
        self.db_path = Some(path);
        self.view.demo_of = demo_of;
    }

    fn now(&self) -> NaiveDateTime {
        self.fixed_now
            .unwrap_or_else(|| chrono::Local::now().naive_local())
    }

    /// The store, for tests that check what the UI wrote.
    pub fn store(&self) -> Option<&Store> {
        self.store.as_ref()
    }

    fn report(&mut self, result: Result<String, StoreError>) {
        self.view.status = Some(match result {
            Ok(text) => StatusLine {
                text,
                is_error: false,
                undo: None,
            },
            Err(error) => {
                tracing::warn!("{error:?}");
                StatusLine {
                    text: error.to_string(),
                    is_error: true,
                    undo: None,
                }
            }
        });
    }

    /// Re-counts the contact list for the current search; rows are fetched when drawn.
    fn refresh_list(&mut self) {
        let Some(store) = &self.store else { return };
        match store.tags() {
            Ok(tags) => self.view.tags = tags,
            Err(error) => tracing::warn!("could not list the tags: {error}"),
        }
        match store.count_contacts_filtered(&self.view.search, &self.view.contact_filter) {
            Ok(total) => self.view.contacts.reset(total),
            Err(error) => self.report(Err(error)),
        }
    }

    fn fetch_wanted_rows(&mut self) {
        let Some(store) = &self.store else { return };
        let mut failure = None;
        if let Some(range) = self.view.contacts.take_wanted() {
            match store.contact_rows_filtered(
                &self.view.search,
                &self.view.contact_filter,
                range.start,
                range.len(),
            ) {
                Ok(rows) => self.view.contacts.fill(range.start, rows),
                Err(error) => failure = Some(error),
            }
        }
        if let Some(selected) = &mut self.view.selected
            && let Some(range) = selected.history.take_wanted()
        {
            match store.history(selected.scope, &selected.filter, range.start, range.len()) {
                Ok(rows) => selected.history.fill(range.start, rows),
                Err(error) => failure = Some(error),
            }
        }
        if let Some(error) = failure {
            self.report(Err(error));
        }
    }

    /// Loads the contact and what the history and timeline panels show.
    fn select(&mut self, id: ContactId) {
        self.view.filter_buffers = ui::history_panel::FilterBuffers::default();
        self.view.life_event_form = None;
        self.select_with(id, HistoryScope::Contact(id), HistoryFilter::default());
    }

    /// Loads a contact with a history scope (theirs or their organization's) and filter.
    fn select_with(&mut self, id: ContactId, scope: HistoryScope, filter: HistoryFilter) {
        let Some(store) = &self.store else { return };
        let now = self.now();
        let today = now.date();
        let loaded = (|| {
            let contact = store.contact(id)?;
            let total = store.count_history(scope, &filter)?;
            let (timeline, organization) = match scope {
                HistoryScope::Contact(_) => (store.timeline_for_contact(id)?, None),
                HistoryScope::Organization(org) => {
                    let name = store.organization(org)?.name;
                    (
                        store.timeline_for_organization(org)?,
                        Some((org, name, store.members(org)?)),
                    )
                }
            };
            let briefing = insight::briefing(
                &store.interactions_for_contact(id, 0, 10)?,
                &store.follow_ups_for_contact(id)?,
                store.last_no_show(id)?,
            );
            let promises = store.promise_counts(Some(id), now)?;
            let health = store.health_of(id)?;
            let tags = store.tags()?;
            Ok::<_, StoreError>((
                contact,
                total,
                timeline,
                organization,
                briefing,
                promises,
                health,
                tags,
            ))
        })();
        match loaded {
            Ok((contact, total, timeline, organization, briefing, promises, health, tags))
                if contact.deleted_at.is_none() =>
            {
                let tag_colors = contact
                    .draft
                    .tags
                    .iter()
                    .map(|name| {
                        let rgb = tags
                            .iter()
                            .find(|t| t.name.eq_ignore_ascii_case(name))
                            .and_then(|t| t.rgb());
                        (name.clone(), rgb)
                    })
                    .collect();
                let mut history = PagedRows::default();
                history.reset(total);
                self.view.selected = Some(SelectedContact {
                    timeline_rows: insight::group_by_month(&timeline),
                    touches: insight::monthly_touches(&timeline, today, 12),
                    timeline,
                    history,
                    contact,
                    scope,
                    organization,
                    filter,
                    briefing,
                    promises,
                    health,
                    tag_colors,
                    phone_region: store
                        .setting("phone_region")
                        .unwrap_or_else(default_phone_region),
                });
                self.view.prefs.selected_contact = Some(id.0);
            }
            Ok(_) | Err(StoreError::NotFound { .. }) => {
                self.view.selected = None;
                self.view.prefs.selected_contact = None;
            }
            Err(error) => self.report(Err(error)),
        }
    }

    /// Reloads the selection after a change, keeping its scope and filter.
    fn reselect(&mut self) {
        if let Some(selected) = &self.view.selected {
            let (id, scope, filter) =
                (selected.contact.id, selected.scope, selected.filter.clone());
            self.select_with(id, scope, filter);
        }
    }

    /// Finds the selected contact's row in the list so the list can scroll to it.
    fn locate_selected(&mut self) {
        let (Some(store), Some(selected)) = (&self.store, &self.view.selected) else {
            self.view.scroll_to_selected = false;
            return;
        };
        // Positions are counted in the plain name order; a filtered or health-sorted list
        // keeps its scroll position instead of jumping to a wrong row.
        if !self.view.contact_filter.is_plain() {
            self.view.scroll_to_selected = false;
            return;
        }
        match store.contact_position(&self.view.search, selected.contact.id) {
            Ok(Some(index)) => self.view.selected_row = Some(index),
            Ok(None) => self.view.scroll_to_selected = false,
            Err(error) => {
                self.view.scroll_to_selected = false;
                self.report(Err(error));
            }
        }
    }

    /// Recomputes the Today view: due follow-ups, people going cold, the promise ledger.
    fn refresh_today(&mut self) {
        let Some(store) = &self.store else { return };
        let now = self.now();
        let computed = (|| {
            let open = store.open_follow_ups_until(now.date() + chrono::Duration::days(7))?;
            let cold = insight::going_cold(&store.cadence_rows()?, now.date());
            let ledger = store.promise_counts(None, now)?;
            Ok::<_, StoreError>(TodayData {
                now: Some(now),
                lists: insight::due_lists(open, now),
                cold,
                ledger,
            })
        })();
        match computed {
            Ok(data) => self.view.today = data,
            Err(error) => self.report(Err(error)),
        }
    }

    /// A one-line summary of what is due, for the status bar at launch.
    fn launch_summary(&mut self) {
        if self.store.is_none() {
            return;
        }
        // Only the due lists (an index lookup): the cadence scan waits until Today is opened,
        // so launch time does not grow with the number of contacts.
        let Some(store) = &self.store else { return };
        let now = self.now();
        match store.open_follow_ups_until(now.date() + chrono::Duration::days(7)) {
            Ok(open) => self.view.today.lists = insight::due_lists(open, now),
            Err(error) => {
                self.report(Err(error));
                return;
            }
        }
        let lists = &self.view.today.lists;
        let (overdue, today) = (lists.overdue.len(), lists.today.len());
        if overdue + today > 0 {
            self.view.status = Some(StatusLine {
                text: format!("Today: {overdue} overdue, {today} due today — see 📅 Today."),
                is_error: false,
                undo: None,
            });
        }
    }

    /// Puts a step on top of the undo history; the caller reports it with `report_step`.
    fn push_undo(&mut self, step: UndoStep) -> UndoMark {
        self.undo_serial += 1;
        self.undo.push((self.undo_serial, step));
        if self.undo.len() > 100 {
            self.undo.remove(0);
        }
        self.show_undo_top();
        UndoMark {
            serial: self.undo_serial,
            label: self.undo.last().map(|(_, s)| s.label()).unwrap_or_default(),
        }
    }

    /// Pushes a row-image step when the change could be recorded, and reports `text` with
    /// the step's Undo button (or without one, when it could not be recorded).
    fn push_change(
        &mut self,
        label: String,
        change: Option<Change>,
        subject: Option<ContactId>,
        text: String,
    ) -> Option<UndoMark> {
        let mark = change.map(|change| {
            self.push_undo(UndoStep::Rows {
                label,
                change: Box::new(change),
                subject,
            })
        });
        self.report_step(text, mark.clone());
        mark
    }

    /// Shows what Ctrl+Z would undo now in Edit > Undo (and hides a status line's stale button).
    fn show_undo_top(&mut self) {
        self.view.undo_top = self.undo.last().map(|(serial, step)| UndoMark {
            serial: *serial,
            label: step.label(),
        });
    }

    /// A status line reporting the step `mark` names (which is on top of the history).
    fn report_step(&mut self, text: String, mark: Option<UndoMark>) {
        self.view.status = Some(StatusLine {
            text,
            is_error: false,
            undo: mark,
        });
    }

    /// Takes the steps that can no longer be undone off the history (after deleting a contact
    /// for good, its conversations and follow-ups went with them). An import step stays:
    /// undoing it skips what is gone by itself.
    fn prune_undo(&mut self) {
        let Some(store) = &self.store else { return };
        self.undo.retain(|(_, step)| match step {
            UndoStep::Rows { change, .. } => store.can_undo(change).unwrap_or(true),
            UndoStep::Import { .. } => true,
        });
        self.show_undo_top();
    }

    /// Applies one command. Public so tests can drive the app without clicks where a click
    /// is not the point.
    pub fn apply(&mut self, command: Command, ctx: &egui::Context) {
        let touched = self.contacts_touched_by(&command);
        let replaces_data = matches!(command, Command::RestoreBackup(_));
        self.apply_command(command, ctx);
        if let Some(ids) = touched {
            self.after_data_change(ids);
        }
        if replaces_data {
            // Another version of the whole file: judge everyone again.
            self.start_health_job();
        }
    }

    fn apply_command(&mut self, command: Command, ctx: &egui::Context) {
        match command {
            Command::Quit => {
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
                return;
            }
            Command::RecoverFromBackup(backup) => {
                let Some(db_path) = self.db_path.clone() else {
                    return;
                };
                let now = self.now();
                match crate::store::backup::replace_unusable_database(&db_path, &backup, now) {
                    Ok(moved) => {
                        let lock = self.lock.take();
                        let (store, lock) = match lock {
                            Some(lock) => (Store::open(&db_path), Some(lock)),
                            None => open_for_window(&db_path),
                        };
                        let prefs = self.view.prefs.clone();
                        *self = Self::with_store_at(store, prefs, self.fixed_now);
                        self.lock = lock;
                        self.db_path = Some(db_path);
                        let kept = moved
                            .map(|p| format!(" The damaged file was kept as {}.", p.display()))
                            .unwrap_or_default();
                        self.report(Ok(format!(
                            "Restored the backup of {}.{kept}",
                            now.format("%-d %b %Y")
                        )));
                    }
                    Err(error) => {
                        self.view.open_error =
                            Some(format!("The backup could not be restored: {error}"));
                    }
                }
                return;
            }
            Command::TryDemo => {
                let Some(own) = self.db_path.clone() else {
                    return;
                };
                let demo = own.with_file_name("rapport-demo.sqlite3");
                self.view.first_run = false;
                self.switch_database(demo, true);
                self.view.demo_of = Some(own);
                return;
            }
            Command::BackToOwnData => {
                if let Some(own) = self.view.demo_of.take() {
                    self.switch_database(own, false);
                    self.view.demo_of = None;
                }
                return;
            }
            _ => {}
        }
        let now = self.now();
        let Some(store) = &mut self.store else { return };
        match command {
            Command::SearchChanged => {
                self.refresh_list();
            }
            Command::SelectContact(id) => {
                if self.view.main_view == MainView::Dashboard {
                    self.view.main_view = MainView::Contact;
                }
                self.select(id);
            }
            Command::NewContact => {
                self.view.contact_form = Some(ui::contact_form::ContactForm::new(
                    None,
                    &ContactDraft::default(),
                ));
            }
            Command::EditContact(id) => match store.contact(id) {
                Ok(contact) => {
                    self.view.contact_form =
                        Some(ui::contact_form::ContactForm::new(Some(id), &contact.draft));
                }
                Err(error) => self.report(Err(error)),
            },
            Command::SaveContact { id, draft } => {
                let name = draft.effective_display_name();
                let result = match id {
                    None => recorded(store, &contact_parts(&draft), |store| {
                        let new_id = store.create_contact(&draft)?;
                        Ok((new_id, vec![Part::Contact(new_id)]))
                    })
                    .map(|(new_id, change)| (new_id, change, format!("Undo: add {name}"))),
                    Some(id) => store.contact(id).and_then(|before| {
                        let mut parts = vec![Part::Contact(id)];
                        parts.extend(contact_parts(&before.draft));
                        parts.extend(contact_parts(&draft));
                        let (_, change) = recorded(store, &parts, |store| {
                            store.update_contact(id, &draft).map(|()| ((), Vec::new()))
                        })?;
                        Ok((id, change, format!("Undo: edit of {name}")))
                    }),
                };
                match result {
                    Ok((saved, change, label)) => {
                        let verb = if id.is_none() { "Added" } else { "Saved" };
                        self.view.contact_form = None;
                        self.refresh_list();
                        self.select(saved);
                        self.view.scroll_to_selected = true;
                        // After undoing an edit the contact is shown again; an added one is gone.
                        let subject = id.map(|_| saved);
                        self.push_change(label, change, subject, format!("{verb} {name}."));
                    }
                    Err(StoreError::Invalid(sentence)) => {
                        if let Some(form) = &mut self.view.contact_form {
                            form.error = Some(sentence);
                        }
                    }
                    Err(error) => {
                        if let Some(form) = &mut self.view.contact_form {
                            form.error = Some(error.to_string());
                        }
                        self.report(Err(error));
                    }
                }
            }
            Command::TrashContact(id) => {
                let name = store
                    .contact(id)
                    .map(|c| c.draft.display_name)
                    .unwrap_or_default();
                let parts = [Part::Contact(id)];
                match recorded(store, &parts, |store| {
                    store.trash_contact(id).map(|()| ((), Vec::new()))
                }) {
                    Ok(((), change)) => {
                        if self
                            .view
                            .selected
                            .as_ref()
                            .is_some_and(|s| s.contact.id == id)
                        {
                            self.view.selected = None;
                            self.view.prefs.selected_contact = None;
                        }
                        self.refresh_list();
                        self.push_change(
                            format!("Undo: delete {name}"),
                            change,
                            Some(id),
                            format!("Moved {name} to the trash. Undo with Ctrl+Z, or restore from File > Trash."),
                        );
                    }
                    Err(error) => self.report(Err(error)),
                }
            }
            Command::OpenTrash => match store.trashed_contacts() {
                Ok(list) => self.view.trash = Some(list),
                Err(error) => self.report(Err(error)),
            },
            Command::RestoreContact(id) => {
                let parts = [Part::Contact(id)];
                match recorded(store, &parts, |store| {
                    store.restore_contact(id).map(|()| ((), Vec::new()))
                }) {
                    Ok(((), change)) => {
                        self.view.trash = store.trashed_contacts().ok();
                        self.refresh_list();
                        self.select(id);
                        self.view.scroll_to_selected = true;
                        let name = self
                            .view
                            .selected
                            .as_ref()
                            .map(|s| s.contact.draft.display_name.clone())
                            .unwrap_or_default();
                        // Its own step: undoing it moves them back to the trash exactly as they
                        // were, so the move to the trash below it stays true and undoable
                        // (dropping that step would strand an older "add" of this contact).
                        self.push_change(
                            format!("Undo: restore {name}"),
                            change,
                            None,
                            format!("Restored {name}. Undo with Ctrl+Z."),
                        );
                    }
                    Err(error) => self.report(Err(error)),
                }
            }
            Command::PurgeContact(id) => match store.purge_contact(id) {
                Ok(()) => {
                    self.view.trash = store.trashed_contacts().ok();
                    // Steps that touched the purged contact (or the conversations and
                    // follow-ups that went with them) can no longer be applied.
                    self.prune_undo();
                    self.report(Ok("Deleted for good.".to_owned()));
                }
                Err(error) => self.report(Err(error)),
            },
            Command::LogConversation(contact) => {
                let names = self.participant_names(&[contact]);
                self.view.conversation_form = Some(ui::conversation_form::ConversationForm::new(
                    None,
                    &InteractionDraft::new(now, contact),
                    names,
                ));
            }
            Command::EditConversation(id) => match store.interaction(id) {
                Ok(interaction) => {
                    let names = interaction
                        .draft
                        .participants
                        .iter()
                        .copied()
                        .zip(interaction.participant_names.iter().cloned())
                        .collect();
                    self.view.conversation_form =
                        Some(ui::conversation_form::ConversationForm::new(
                            Some(id),
                            &interaction.draft,
                            names,
                        ));
                }
                Err(error) => self.report(Err(error)),
            },
            Command::FindParticipants(text) => {
                let found = store.contact_rows(&text, 0, 8).unwrap_or_default();
                if let Some(form) = &mut self.view.conversation_form {
                    form.candidates = found.into_iter().map(|r| (r.id, r.display_name)).collect();
                }
            }
            Command::SaveConversation { id, draft } => {
                let title = conversation_title(&draft);
                let result = match id {
                    None => recorded(store, &[], |store| {
                        let new_id = store.log_interaction(&draft)?;
                        Ok((new_id, vec![Part::Interaction(new_id)]))
                    })
                    .map(|(new_id, change)| {
                        (
                            new_id,
                            true,
                            change,
                            format!("Undo: log conversation '{title}'"),
                        )
                    }),
                    Some(id) => store.interaction(id).and_then(|before| {
                        let (_, change) = recorded(store, &[Part::Interaction(id)], |store| {
                            store
                                .update_interaction(id, &draft)
                                .map(|()| ((), Vec::new()))
                        })?;
                        let promise_changed =
                            before.draft.i_promised.trim() != draft.i_promised.trim();
                        let label = format!("Undo: edit of conversation '{title}'");
                        Ok((id, promise_changed, change, label))
                    }),
                };
                match result {
                    Ok((saved, promise_is_new, change, label)) => {
                        self.view.conversation_form = None;
                        // A new promise: offer to make it a dated follow-up, linked to this talk.
                        let contact = self
                            .view
                            .selected
                            .as_ref()
                            .map(|s| s.contact.id)
                            .filter(|c| draft.participants.contains(c))
                            .or_else(|| draft.participants.first().copied());
                        if promise_is_new
                            && !draft.i_promised.trim().is_empty()
                            && let Some(contact) = contact
                        {
                            self.view.follow_up_offer =
                                Some(ui::follow_up_offer::FollowUpOffer::new(
                                    contact,
                                    Some(saved),
                                    &draft.i_promised,
                                    now.date(),
                                ));
                        }
                        self.reselect();
                        let when = draft.occurred_at.format("%-d %b %Y %H:%M");
                        let text = format!(
                            "Saved the {} of {when}.",
                            draft.channel.label().to_lowercase()
                        );
                        self.push_change(label, change, None, text);
                    }
                    Err(error) => {
                        if let Some(form) = &mut self.view.conversation_form {
                            form.error = Some(error.to_string());
                        }
                    }
                }
            }
            Command::DeleteConversation(id) => {
                // Follow-ups made from this conversation lose their link to it: undo links
                // them again, so they are part of the step.
                let result = store.interaction(id).and_then(|before| {
                    let mut parts = vec![Part::Interaction(id)];
                    parts.extend(
                        store
                            .follow_ups_of_interaction(id)?
                            .into_iter()
                            .map(Part::FollowUp),
                    );
                    let ((), change) = recorded(store, &parts, |store| {
                        store.delete_interaction(id).map(|()| ((), Vec::new()))
                    })?;
                    Ok((before, change))
                });
                match result {
                    Ok((before, change)) => {
                        self.view.conversation_form = None;
                        self.reselect();
                        self.push_change(
                            format!(
                                "Undo: delete conversation '{}'",
                                conversation_title(&before.draft)
                            ),
                            change,
                            None,
                            "Deleted the conversation. Undo with Ctrl+Z.".to_owned(),
                        );
                    }
                    Err(error) => self.report(Err(error)),
                }
            }
            Command::CreateFollowUp(draft) => match recorded(store, &[], |store| {
                let id = store.add_follow_up(&draft)?;
                Ok((id, vec![Part::FollowUp(id)]))
            }) {
                Ok((_, change)) => {
                    self.view.follow_up_offer = None;
                    self.reselect();
                    let when = match draft.due_time {
                        Some(t) => format!(
                            "{} at {}",
                            draft.due_date.format("%a %-d %b"),
                            t.format("%H:%M")
                        ),
                        None => draft.due_date.format("%a %-d %b").to_string(),
                    };
                    self.push_change(
                        format!("Undo: add follow-up '{}'", shorten(draft.text.trim())),
                        change,
                        None,
                        format!("Follow-up due {when}: {}.", draft.text),
                    );
                }
                Err(error) => {
                    if let Some(offer) = &mut self.view.follow_up_offer {
                        offer.error = Some(error.to_string());
                    }
                }
            },
            Command::NewFollowUp(contact) => {
                self.view.follow_up_offer = Some(ui::follow_up_offer::FollowUpOffer::new(
                    contact,
                    None,
                    "",
                    now.date(),
                ));
            }
            Command::OpenBackups => match store.path().map(crate::store::backup::list_backups) {
                Some(Ok(list)) => self.view.backups = Some(list),
                Some(Err(error)) => self.report(Err(error)),
                None => self.report(Ok("A database in memory has no backups.".to_owned())),
            },
            Command::BackupNow => match store.backup_now("manual", now) {
                Ok(path) => {
                    self.view.backups = store
                        .path()
                        .and_then(|db| crate::store::backup::list_backups(db).ok());
                    self.report(Ok(format!("Backed up to {}.", path.display())));
                }
                Err(error) => self.report(Err(error)),
            },
            Command::RestoreBackup(path) => match store.restore_from(&path, now) {
                Ok(safety) => {
                    self.view.backups = None;
                    self.undo.clear();
                    self.view.undo_top = None;
                    self.view.selected = None;
                    self.refresh_list();
                    self.report(Ok(format!(
                        "Restored the backup. What you had before is saved as {}.",
                        safety
                            .file_name()
                            .map(|n| n.to_string_lossy().into_owned())
                            .unwrap_or_default()
                    )));
                }
                Err(error) => self.report(Err(error)),
            },
            Command::OpenImport => {
                if self.view.import_dialog.is_none() {
                    let region = store
                        .setting("phone_region")
                        .unwrap_or_else(default_phone_region);
                    self.view.import_dialog = Some(ui::import_dialog::ImportDialog {
                        region,
                        ..Default::default()
                    });
                }
            }
            Command::PickImportFile => {
                let picked = rfd::FileDialog::new()
                    .set_title("Import contacts")
                    .add_filter("Contacts", &["csv", "vcf", "txt", "tsv"])
                    .pick_file();
                if let (Some(path), Some(dialog)) = (picked, &mut self.view.import_dialog) {
                    dialog.path = path.display().to_string();
                    self.commands.push(Command::PreviewImport(path));
                }
            }
            Command::PreviewImport(path) => {
                let Some(dialog) = &mut self.view.import_dialog else {
                    return;
                };
                dialog.path = path.display().to_string();
                dialog.preview = None;
                if dialog.path.trim().is_empty() {
                    dialog.error = Some(
                        "Type the file's path above, choose it with Choose…, or drop the file on the window."
                            .to_owned(),
                    );
                    return;
                }
                let region = dialog.region.trim().to_ascii_uppercase();
                let file_name = path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let read = std::fs::read(&path).map_err(|e| {
                    format!(
                        "{} cannot be read ({e}). Nothing was changed.",
                        path.display()
                    )
                });
                let parsed = read.and_then(|bytes| {
                    crate::import::parse_file(&bytes, &file_name, &region, |sig| {
                        store.saved_mapping(sig)
                    })
                    .map_err(|why| {
                        format!("{file_name} cannot be imported: {why} Nothing was changed.")
                    })
                });
                match parsed.and_then(|parsed| {
                    store
                        .plan_import(&parsed.contacts)
                        .map(|plan| (parsed, plan))
                        .map_err(|e| e.to_string())
                }) {
                    Ok((parsed, plan)) => {
                        dialog.error = None;
                        dialog.preview = Some(ui::import_dialog::ImportPreview {
                            file_name,
                            parsed,
                            plan,
                        });
                    }
                    Err(sentence) => dialog.error = Some(sentence),
                }
            }
            Command::RemapImportColumn { index, field } => {
                let Some(dialog) = &mut self.view.import_dialog else {
                    return;
                };
                let region = dialog.region.trim().to_ascii_uppercase();
                if let Some(preview) = &mut dialog.preview {
                    let mut mapping = preview.parsed.mapping.clone();
                    if let Some(column) = mapping.get_mut(index) {
                        column.field = field;
                        // A re-targeted column gets its own slot so it does not pair with another.
                        column.slot = 100 + index as u16;
                    }
                    preview.parsed.remap(mapping, &region);
                    match store.plan_import(&preview.parsed.contacts) {
                        Ok(plan) => preview.plan = plan,
                        Err(error) => dialog.error = Some(error.to_string()),
                    }
                }
            }
            Command::ApplyImport => {
                let Some(dialog) = &mut self.view.import_dialog else {
                    return;
                };
                let Some(preview) = &dialog.preview else {
                    return;
                };
                if self.import_job.is_some() {
                    return;
                }
                let job = PendingImport {
                    file: preview.file_name.clone(),
                    format: preview.parsed.format.label(),
                    signature: preview
                        .parsed
                        .table
                        .as_ref()
                        .map(|t| crate::import::mapping::header_signature(&t.headers)),
                    mapping: preview.parsed.mapping.clone(),
                    region: dialog.region.trim().to_ascii_uppercase(),
                };
                let contacts = preview.parsed.contacts.clone();
                match store.path().map(|p| p.to_path_buf()) {
                    // On a file: a thread with its own connection does the work, so the window
                    // keeps drawing and shows progress; WAL lets it keep reading meanwhile.
                    Some(path) => {
                        let (sender, receiver) = std::sync::mpsc::channel();
                        let cancel = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
                        let cancelled = cancel.clone();
                        let repaint = ctx.clone();
                        let file = job.file.clone();
                        let format = job.format;
                        let spawned = std::thread::Builder::new().name("import".to_owned()).spawn(
                            move || {
                                let result = (|| {
                                    let mut store = Store::open(&path)?;
                                    store.backup_now("before-import", now)?;
                                    store.apply_import_with_progress(
                                        &file,
                                        format,
                                        &contacts,
                                        &mut |done, total| {
                                            let _ =
                                                sender.send(ImportEvent::Progress { done, total });
                                            repaint.request_repaint();
                                            !cancelled.load(std::sync::atomic::Ordering::Relaxed)
                                        },
                                    )
                                })();
                                let _ = sender
                                    .send(ImportEvent::Finished(result.map_err(|e| e.to_string())));
                                repaint.request_repaint();
                            },
                        );
                        match spawned {
                            Ok(_) => {
                                self.import_job = Some(ImportJob {
                                    pending: job,
                                    receiver,
                                    cancel,
                                    done: 0,
                                    total: 0,
                                })
                            }
                            Err(e) => {
                                dialog.error = Some(format!("Could not start the import: {e}"))
                            }
                        }
                    }
                    None => {
                        let result = store
                            .apply_import(&job.file, job.format, &contacts)
                            .map_err(|e| e.to_string());
                        self.finish_import(job, result);
                    }
                }
            }
            Command::SaveImportProblems => {
                let Some(dialog) = &mut self.view.import_dialog else {
                    return;
                };
                let Some(preview) = &dialog.preview else {
                    return;
                };
                let source = std::path::PathBuf::from(dialog.path.trim());
                let stem = source
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_else(|| "import".to_owned());
                let target = source.with_file_name(format!("{stem}-problems.csv"));
                match crate::files::write_atomically(
                    &target,
                    &crate::import::problems_csv(&preview.parsed),
                ) {
                    Ok(()) => {
                        dialog.error = None;
                        self.report(Ok(format!(
                            "Saved the problem rows to {}; fix them there and import that file.",
                            target.display()
                        )));
                    }
                    Err(error) => dialog.error = Some(format!("{error:#}")),
                }
            }
            Command::CancelImport => {
                if let Some(job) = &self.import_job {
                    job.cancel.store(true, std::sync::atomic::Ordering::Relaxed);
                }
            }
            Command::OpenExportReport(scope) => {
                if self.view.export_report.is_some() {
                    return;
                }
                // Most reports are PDFs: find the fonts while the user chooses.
                let _ = crate::report::pdf::warm_up();
                let folder = default_save_folder();
                let selected = self.view.selected.as_ref();
                let contact =
                    selected.map(|s| (s.contact.id, s.contact.draft.display_name.clone()));
                let mut organization = selected.and_then(|s| {
                    s.contact
                        .organization_id
                        .map(|id| (id, s.contact.draft.organization.clone()))
                });
                let choice = match &scope {
                    Some(crate::model::ReportScope::Organization(id)) => {
                        if organization.as_ref().is_none_or(|(o, _)| o != id) {
                            let name = store.organization(*id).map(|o| o.name).unwrap_or_default();
                            organization = Some((*id, name));
                        }
                        ui::export_dialog::ScopeChoice::Organization
                    }
                    Some(crate::model::ReportScope::Everyone) => {
                        ui::export_dialog::ScopeChoice::Everyone
                    }
                    Some(crate::model::ReportScope::Tag(_)) => ui::export_dialog::ScopeChoice::Tag,
                    Some(crate::model::ReportScope::Contact(_)) | None => {
                        if selected.is_some_and(|s| s.organization.is_some()) && scope.is_none() {
                            ui::export_dialog::ScopeChoice::Organization
                        } else if contact.is_some() {
                            ui::export_dialog::ScopeChoice::Contact
                        } else {
                            ui::export_dialog::ScopeChoice::Everyone
                        }
                    }
                };
                let mut dialog =
                    ui::export_dialog::ExportDialog::new(choice, contact, organization, &folder);
                if let Some(crate::model::ReportScope::Tag(tag)) = scope {
                    dialog.tag = tag;
                }
                self.view.export_report = Some(dialog);
            }
            Command::PickReportPath => {
                let Some(dialog) = &mut self.view.export_report else {
                    return;
                };
                if let Some(path) = pick_save_path(
                    "Save the timeline report",
                    dialog.format.label(),
                    dialog.format.extension(),
                    &dialog.path,
                    "timeline",
                ) {
                    dialog.path = path;
                }
            }
            Command::StartReportExport {
                request,
                format,
                path,
            } => {
                if self.report_job.is_some() {
                    return;
                }
                let (sender, receiver) = std::sync::mpsc::channel();
                let cancel = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
                // On a file the thread gathers with its own connection (WAL lets the window
                // keep reading); an in-memory database can only be read here, so the thread
                // then renders and writes what was gathered.
                let db_path = store.path().map(|p| p.to_path_buf());
                let data = match db_path {
                    Some(_) => None,
                    None => match store.report_data(&request) {
                        Ok(data) => Some(data),
                        Err(error) => {
                            if let Some(dialog) = &mut self.view.export_report {
                                dialog.error = Some(error.to_string());
                            }
                            return;
                        }
                    },
                };
                if let Some(dialog) = &mut self.view.export_report {
                    dialog.progress = Some((0, 3, "Starting…".to_owned()));
                    dialog.written = None;
                }
                let cancelled = cancel.clone();
                let repaint = ctx.clone();
                let spawned =
                    std::thread::Builder::new()
                        .name("export".to_owned())
                        .spawn(move || {
                            let progress = |done: usize, next: String| {
                                let _ = sender.send(ReportEvent::Progress {
                                    done,
                                    total: 3,
                                    next,
                                });
                                repaint.request_repaint();
                            };
                            let result = run_report_export(
                                db_path, data, request, format, path, now, &cancelled, &progress,
                            );
                            let _ = sender.send(ReportEvent::Finished(result));
                            repaint.request_repaint();
                        });
                match spawned {
                    Ok(_) => self.report_job = Some(ReportJob { receiver, cancel }),
                    Err(error) => {
                        if let Some(dialog) = &mut self.view.export_report {
                            dialog.progress = None;
                            dialog.error = Some(format!("Could not start the export: {error}"));
                        }
                    }
                }
            }
            Command::CancelReportExport => {
                if let Some(job) = &self.report_job {
                    job.cancel.store(true, std::sync::atomic::Ordering::Relaxed);
                }
            }
            Command::OpenExportedFile(path) => {
                if let Err(error) = open_in_system_viewer(&path) {
                    tracing::warn!("could not open {}: {error}", path.display());
                    self.view.status = Some(StatusLine {
                        text: format!(
                            "Could not open {} ({error}); open it from your file manager.",
                            path.display()
                        ),
                        is_error: true,
                        undo: None,
                    });
                } else {
                    self.view.export_report = None;
                }
            }
            Command::OpenExportContacts => {
                if self.view.contact_export.is_none() {
                    let organization = self.view.selected.as_ref().and_then(|s| {
                        s.contact
                            .organization_id
                            .map(|id| (id, s.contact.draft.organization.clone()))
                    });
                    self.view.contact_export = Some(ui::export_contacts::ContactExportDialog::new(
                        organization,
                        &default_save_folder(),
                    ));
                }
            }
            Command::PickContactExportPath => {
                let Some(dialog) = &mut self.view.contact_export else {
                    return;
                };
                if let Some(path) = pick_save_path(
                    "Save the contacts",
                    dialog.format.label(),
                    dialog.format.extension(),
                    &dialog.path,
                    "rapport-contacts",
                ) {
                    dialog.path = path;
                }
            }
            Command::StartContactExport {
                scope,
                format,
                path,
            } => {
                if self.contact_export_job.is_some() {
                    return;
                }
                // On a file the thread reads with its own connection; an in-memory database
                // can only be read here, and the thread then only writes.
                let db_path = store.path().map(|p| p.to_path_buf());
                let contacts = match db_path {
                    Some(_) => None,
                    None => match store.contacts_for_export(&scope) {
                        Ok(contacts) => Some(contacts),
                        Err(error) => {
                            if let Some(dialog) = &mut self.view.contact_export {
                                dialog.error = Some(error.to_string());
                            }
                            return;
                        }
                    },
                };
                let (sender, receiver) = std::sync::mpsc::channel();
                let repaint = ctx.clone();
                let spawned =
                    std::thread::Builder::new()
                        .name("export".to_owned())
                        .spawn(move || {
                            let result = run_contact_export(db_path, contacts, scope, format, path);
                            let _ = sender.send(result);
                            repaint.request_repaint();
                        });
                match spawned {
                    Ok(_) => {
                        self.contact_export_job = Some(receiver);
                        if let Some(dialog) = &mut self.view.contact_export {
                            dialog.running = true;
                            dialog.error = None;
                        }
                    }
                    Err(error) => {
                        if let Some(dialog) = &mut self.view.contact_export {
                            dialog.error = Some(format!("Could not start the export: {error}"));
                        }
                    }
                }
            }
            Command::ExportCalendar => {
                let folder = default_save_folder();
                self.view.calendar_export = Some(ui::export_calendar::CalendarExport {
                    path: folder.join("rapport-follow-ups.ics").display().to_string(),
                    error: None,
                });
            }
            Command::PickCalendarPath => {
                let Some(dialog) = &mut self.view.calendar_export else {
                    return;
                };
                if let Some(path) = pick_save_path(
                    "Save follow-ups and birthdays as a calendar",
                    "iCalendar",
                    "ics",
                    &dialog.path,
                    "rapport-follow-ups",
                ) {
                    dialog.path = path;
                }
            }
            Command::ExportCalendarTo(path) => {
                match crate::files::export_calendar(store, &path, now.date()) {
                    Ok(sentence) => {
                        self.view.calendar_export = None;
                        self.report(Ok(sentence));
                    }
                    Err(error) => {
                        tracing::warn!("{error:#}");
                        if let Some(dialog) = &mut self.view.calendar_export {
                            dialog.error = Some(format!("{error:#}"));
                        }
                    }
                }
            }
            Command::ShowView(main_view) => {
                self.view.main_view = main_view;
                if main_view == MainView::Today {
                    self.refresh_today();
                }
                if main_view == MainView::Dashboard {
                    self.refresh_dashboard();
                }
            }
            Command::SetContactFilter(filter) => {
                self.view.contact_filter = filter;
                self.refresh_list();
                self.view.scroll_to_selected = self.view.contact_filter.is_plain();
            }
            Command::OpenTags => {
                self.view.tags_dialog = Some(ui::tags_dialog::TagsDialog::new(&self.view.tags));
            }
            Command::SaveTag {
                name,
                color,
                cadence_days,
            } => {
                let result = recorded(store, &[Part::Tag(name.clone())], |store| {
                    store.set_tag_color(&name, color.as_deref())?;
                    store.set_tag_cadence(&name, cadence_days)?;
                    Ok(((), Vec::new()))
                });
                match result {
                    Ok(((), change)) => {
                        self.refresh_list();
                        self.reselect();
                        if let Some(dialog) = &mut self.view.tags_dialog {
                            dialog.error = None;
                        }
                        self.push_change(
                            format!("Undo: change of tag {name}"),
                            change,
                            None,
                            format!("Saved the tag {name}. Undo with Ctrl+Z."),
                        );
                        // A cadence changes who is going cold.
                        self.start_health_job();
                    }
                    Err(error) => {
                        if let Some(dialog) = &mut self.view.tags_dialog {
                            dialog.error = Some(error.to_string());
                        }
                    }
                }
            }
            Command::OpenContact(id) => {
                self.view.main_view = MainView::Contact;
                self.select(id);
                self.view.scroll_to_selected = true;
            }
            Command::CompleteFollowUp(id) => {
                let result = store.follow_up(id).and_then(|f| {
                    let (status, change) = recorded(store, &[Part::FollowUp(id)], |store| {
                        store.complete_follow_up(id, now).map(|s| (s, Vec::new()))
                    })?;
                    Ok((f.draft.text, status, change))
                });
                match result {
                    Ok((text, status, change)) => {
                        self.reselect();
                        self.refresh_today();
                        self.push_change(
                            format!("Undo: mark '{}' done", shorten(&text)),
                            change,
                            None,
                            format!(
                                "Marked {}. Undo with Ctrl+Z.",
                                status.label().to_lowercase()
                            ),
                        );
                    }
                    Err(error) => self.report(Err(error)),
                }
            }
            Command::MissFollowUp(id) => {
                let result = store.follow_up(id).and_then(|f| {
                    let ((), change) = recorded(store, &[Part::FollowUp(id)], |store| {
                        store
                            .set_follow_up_status(id, crate::model::FollowUpStatus::Missed, now)
                            .map(|()| ((), Vec::new()))
                    })?;
                    Ok((f.draft.text, change))
                });
                match result {
                    Ok((text, change)) => {
                        self.reselect();
                        self.refresh_today();
                        self.push_change(
                            format!("Undo: mark '{}' missed", shorten(&text)),
                            change,
                            None,
                            "Marked as missed: a broken promise. Undo with Ctrl+Z.".to_owned(),
                        );
                    }
                    Err(error) => self.report(Err(error)),
                }
            }
            Command::SnoozeFollowUp { id, days } => {
                let result = store.follow_up(id).and_then(|f| {
                    let base = f.draft.due_date.max(now.date());
                    let new_date = base + chrono::Duration::days(days);
                    let ((), change) = recorded(store, &[Part::FollowUp(id)], |store| {
                        store
                            .reschedule_follow_up(id, new_date, f.draft.due_time, "snoozed")
                            .map(|()| ((), Vec::new()))
                    })?;
                    Ok((f.draft.text, new_date, change))
                });
                match result {
                    Ok((text, new_date, change)) => {
                        self.reselect();
                        self.refresh_today();
                        self.push_change(
                            format!("Undo: snooze '{}'", shorten(&text)),
                            change,
                            None,
                            format!(
                                "Moved to {}; the old date stays in its history. Undo with Ctrl+Z.",
                                new_date.format("%a %-d %b")
                            ),
                        );
                    }
                    Err(error) => self.report(Err(error)),
                }
            }
            Command::FilterHistory(filter) => {
                if let Some(selected) = &self.view.selected {
                    let (id, scope) = (selected.contact.id, selected.scope);
                    self.select_with(id, scope, filter);
                }
            }
            Command::ShowOrganization(org) => {
                if let Some(selected) = &self.view.selected {
                    let id = selected.contact.id;
                    self.select_with(
                        id,
                        HistoryScope::Organization(org),
                        HistoryFilter::default(),
                    );
                }
            }
            Command::ShowContactHistory => {
                if let Some(id) = self.view.selected.as_ref().map(|s| s.contact.id) {
                    self.select(id);
                }
            }
            Command::AddLifeEvent {
                contact,
                occurred_on,
                kind,
                description,
            } => match recorded(store, &[], |store| {
                let id = store.add_life_event(contact, occurred_on, &kind, &description)?;
                Ok((id, vec![Part::LifeEvent(id)]))
            }) {
                Ok((_, change)) => {
                    self.view.life_event_form = None;
                    self.reselect();
                    self.push_change(
                        format!("Undo: add life event '{}'", shorten(kind.trim())),
                        change,
                        None,
                        format!("Added \"{kind}\" to the timeline. Undo with Ctrl+Z."),
                    );
                }
                Err(error) => {
                    if let Some(form) = &mut self.view.life_event_form {
                        form.error = Some(error.to_string());
                    }
                }
            },
            Command::Undo => self.undo_last(),
            Command::SetZoom(zoom) => {
                self.view.prefs.zoom = zoom.clamp(0.5, 3.0);
                ctx.set_zoom_factor(self.view.prefs.zoom);
            }
            Command::SetTheme(theme) => {
                self.view.prefs.theme = theme;
                ctx.set_theme(theme.preference());
            }
            // Handled above, before the store is needed.
            Command::Quit
            | Command::RecoverFromBackup(_)
            | Command::TryDemo
            | Command::BackToOwnData => {}
        }
    }

    fn participant_names(&self, ids: &[ContactId]) -> Vec<(ContactId, String)> {
        let Some(store) = &self.store else {
            return Vec::new();
        };
        ids.iter()
            .filter_map(|id| store.contact(*id).ok().map(|c| (*id, c.draft.display_name)))
            .collect()
    }

    /// Undoes the step on top of the history. A step that cannot be applied is said so and
    /// taken off (or kept, when trying again may work), naming what Ctrl+Z undoes next, so
    /// the next Ctrl+Z never silently reaches an older change.
    fn undo_last(&mut self) {
        let Some((serial, step)) = self.undo.pop() else {
            self.report(Ok("Nothing to undo.".to_owned()));
            return;
        };
        let label = step.label();
        let done = label.strip_prefix("Undo: ").unwrap_or(&label).to_owned();
        match self.apply_undo(&step) {
            Ok(outcome) => {
                self.show_undo_top();
                self.after_undo(&step, outcome, &done);
            }
            Err(UndoFailure::Refused(reason)) => {
                self.show_undo_top();
                let next = self.next_undo_sentence();
                self.report(Err(StoreError::Invalid(format!(
                    "Could not undo {done}: {reason}, so nothing was undone. {next}"
                ))));
            }
            Err(UndoFailure::Store(error)) => {
                // A busy or unreadable database: the step stays, so Ctrl+Z tries it again.
                self.undo.push((serial, step));
                self.show_undo_top();
                tracing::warn!("undo failed: {error:?}");
                self.report(Err(StoreError::Invalid(format!(
                    "Could not undo {done} ({error}); nothing was undone. Ctrl+Z tries again."
                ))));
            }
        }
    }

    /// What Ctrl+Z does now, for a sentence after an undo that could not be applied.
    fn next_undo_sentence(&self) -> String {
        match &self.view.undo_top {
            Some(top) => format!(
                "That step is gone from Edit > Undo; Ctrl+Z now undoes {}.",
                top.label.strip_prefix("Undo: ").unwrap_or(&top.label)
            ),
            None => {
                "That step is gone from Edit > Undo; there is nothing older to undo.".to_owned()
            }
        }
    }

    /// Writes one step back; the names of contacts an undone import kept (changed since).
    fn apply_undo(&mut self, step: &UndoStep) -> Result<Vec<String>, UndoFailure> {
        let Some(store) = &mut self.store else {
            return Ok(Vec::new());
        };
        match step {
            UndoStep::Rows { change, .. } => match store.undo_change(change) {
                Ok(Undone::Done) => Ok(Vec::new()),
                Ok(Undone::ChangedSince(what)) => Err(UndoFailure::Refused(format!(
                    "the {what} was changed since then"
                ))),
                Err(error) => Err(UndoFailure::Store(error)),
            },
            UndoStep::Import { batch, .. } => match store.undo_import(*batch) {
                Ok(report) => Ok(report.kept),
                // Undone already (from the command line), or the batch is gone.
                Err(StoreError::Invalid(_) | StoreError::NotFound { .. }) => Err(
                    UndoFailure::Refused("it was undone already or is gone".to_owned()),
                ),
                Err(error) => Err(UndoFailure::Store(error)),
            },
        }
    }

    /// Refreshes what the undone step touched and says what was undone.
    fn after_undo(&mut self, step: &UndoStep, kept: Vec<String>, done: &str) {
        self.refresh_list();
        match step {
            UndoStep::Rows {
                change, subject, ..
            } => {
                match subject {
                    Some(id) => {
                        self.select(*id);
                        self.view.scroll_to_selected = true;
                    }
                    None => self.reselect(),
                }
                self.after_data_change(change.contacts());
                if change.changed_tags() {
                    // A tag's cadence decides who is going cold: judge everyone again.
                    self.start_health_job();
                }
            }
            UndoStep::Import { .. } => {
                self.reselect();
                // Undoing an import changes many people at once: judge everyone again.
                self.start_health_job();
            }
        }
        if self.view.main_view == MainView::Today {
            self.refresh_today();
        }
        if self.view.trash.is_some()
            && let Some(store) = &self.store
        {
            // The Trash window, when open, shows who the undo moved in or out.
            self.view.trash = store.trashed_contacts().ok();
        }
        let text = match kept.len() {
            0 => format!("Undone: {done}."),
            n => format!(
                "Undone: {done}. Kept {n} {} changed since the import: {}.",
                if n == 1 { "contact" } else { "contacts" },
                kept.join(", ")
            ),
        };
        self.report(Ok(text));
    }

    /// Draws one frame and applies what the panels asked for. Split from `eframe::App::ui` so
    /// benchmarks can drive it on a bare `egui::Context`.
    pub fn frame_ui(&mut self, ui: &mut egui::Ui) {
        let mut commands = std::mem::take(&mut self.commands);
        ui::root_ui(ui, &mut self.view, &mut commands);
        let ctx = ui.ctx().clone();
        let any = !commands.is_empty();
        // A command may queue another (a picked file is then read): run those too.
        while !commands.is_empty() {
            for command in commands.drain(..) {
                self.apply(command, &ctx);
            }
            commands.append(&mut self.commands);
        }
        if self.view.scroll_to_selected {
            self.locate_selected();
        }
        if any && self.view.main_view == MainView::Today {
            self.refresh_today();
        }
        self.check_reminders(&ctx);
        self.poll_jobs();
        self.poll_import();
        self.poll_report();
        self.poll_contact_export();
        if self.poll_dashboard_jobs() {
            ctx.request_repaint_after(std::time::Duration::from_millis(100));
        }
        if self.backup_job.is_some()
            || self.report_job.is_some()
            || self.contact_export_job.is_some()
        {
            ctx.request_repaint_after(std::time::Duration::from_millis(250));
        }
        self.commands = commands;
        let wanted = self.view.contacts.has_wanted()
            || self
                .view
                .selected
                .as_ref()
                .is_some_and(|s| s.history.has_wanted());
        if wanted {
            self.fetch_wanted_rows();
        }
        if any || wanted {
            ctx.request_repaint();
        }
    }
}

impl RapportApp {
    /// While Rapport is open, announces timed follow-ups as they come due (a desktop
    /// notification through D-Bus, which is local; nothing goes to the network).
    fn check_reminders(&mut self, ctx: &egui::Context) {
        const EVERY: std::time::Duration = std::time::Duration::from_secs(30);
        if self.fixed_now.is_some() {
            return; // tests and snapshots run on a fixed clock and must not notify
        }
        let now_instant = std::time::Instant::now();
        if self
            .next_reminder_check
            .is_some_and(|next| now_instant < next)
        {
            return;
        }
        self.next_reminder_check = Some(now_instant + EVERY);
        ctx.request_repaint_after(EVERY);
        let Some(store) = &self.store else { return };
        let now = self.now();
        let due = match store.timed_follow_ups_due_between(self.reminders_checked_until, now) {
            Ok(due) => due,
            Err(error) => {
                tracing::warn!("could not check reminders: {error}");
                return;
            }
        };
        self.reminders_checked_until = now;
        // Keep the Today tab's counts current while the window stays open for hours.
        if let Ok(open) = store.open_follow_ups_until(now.date() + chrono::Duration::days(7)) {
            self.view.today.lists = insight::due_lists(open, now);
            if self.view.today.now.is_some() {
                self.view.today.now = Some(now);
            }
        }
        for item in due {
            let summary = format!("Follow-up due: {}", item.contact_name);
            let body = item.follow_up.draft.text.clone();
            self.view.status = Some(StatusLine {
                text: format!("⏰ Now: {body} ({})", item.contact_name),
                is_error: false,
                undo: None,
            });
            std::thread::Builder::new()
                .name("reminder".to_owned())
                .spawn(move || {
                    if let Err(error) = notify_rust::Notification::new()
                        .appname("Rapport")
                        .summary(&summary)
                        .body(&body)
                        .show()
                    {
                        tracing::info!(
                            "no desktop notification ({error}); the reminder is in the status bar"
                        );
                    }
                })
                .map_err(|e| tracing::warn!("could not start the reminder thread: {e}"))
                .ok();
        }
    }
}

impl eframe::App for RapportApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.frame_ui(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, PREFS_KEY, &self.view.prefs);
    }
}

/// Asks the system's save dialog where to write a `filter`/`extension` file, starting from the
/// file name typed in `typed` (else `stem.extension`). With no desktop portal the dialog returns
/// `None` and the typed path stays.
fn pick_save_path(
    title: &str,
    filter: &str,
    extension: &str,
    typed: &str,
    stem: &str,
) -> Option<String> {
    let name = std::path::Path::new(typed.trim())
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| format!("{stem}.{extension}"));
    rfd::FileDialog::new()
        .set_title(title)
        .add_filter(filter, &[extension])
        .set_file_name(name)
        .save_file()
        .map(|path| path.display().to_string())
}

/// Where exports are offered by default: the user's Documents folder, else their home.
fn default_save_folder() -> PathBuf {
    directories::UserDirs::new()
        .map(|d| {
            d.document_dir()
                .map(|p| p.to_path_buf())
                .unwrap_or_else(|| d.home_dir().to_path_buf())
        })
        .unwrap_or_default()
}

/// The phone country to assume for numbers without "+": from the system locale (LANG=en_GB →
/// GB), else US.
fn default_phone_region() -> String {
    std::env::var("LC_ALL")
        .or_else(|_| std::env::var("LANG"))
        .ok()
        .and_then(|lang| {
            lang.split(['.', '@'])
                .next()
                .and_then(|l| l.split('_').nth(1))
                .map(str::to_owned)
        })
        .filter(|r| r.len() == 2)
        .unwrap_or_else(|| "US".to_owned())
}

/// Opens a database for the window: takes the single-window lock, then the store.
fn open_for_window(
    db_path: &std::path::Path,
) -> (
    Result<Store, StoreError>,
    Option<crate::safety::InstanceLock>,
) {
    match crate::safety::lock_database(db_path) {
        Ok(lock) => (Store::open(db_path), Some(lock)),
        Err(error) => (Err(error), None),
    }
}

/// Opens the window on the database at `db_path`. If the database cannot be opened, the window
/// still opens and says why, so a double-click never fails silently; while a large file is
/// being prepared (a copy and an update after a new version), the window says so.
pub fn run_window(db_path: PathBuf, crash_report: Option<String>) -> anyhow::Result<()> {
    let patience = std::time::Duration::from_millis(300);
    let pending: launch::Handback =
        std::rc::Rc::new(std::cell::RefCell::new(Some(launch::Pending {
            opening: launch::Opening::start(db_path.clone(), patience),
            crash_report,
        })));
    let icon = ui::app_icon();
    let make_options = |renderer| eframe::NativeOptions {
        renderer,
        viewport: egui::ViewportBuilder::default()
            .with_title("Rapport")
            .with_app_id("rapport")
            .with_inner_size([1200.0, 760.0])
            .with_min_inner_size([760.0, 480.0])
            .with_icon(icon.clone()),
        ..Default::default()
    };
    let make_app = |cc: &eframe::CreationContext<'_>| -> launch::Launcher {
        let prefs: Prefs = cc
            .storage
            .and_then(|s| eframe::get_value(s, PREFS_KEY))
            .unwrap_or_default();
        ui::install_style(&cc.egui_ctx);
        // A second window (the OpenGL retry below) takes over the first one's open if that
        // window's launcher handed it back, else opens the file again (the first window had
        // opened it and is gone with its lock).
        let launch::Pending {
            opening,
            crash_report,
        } = pending
            .borrow_mut()
            .take()
            .unwrap_or_else(|| launch::Pending {
                opening: launch::Opening::start(db_path.clone(), patience),
                crash_report: None,
            });
        launch::Launcher::new(&cc.egui_ctx, opening, prefs, db_path.clone(), crash_report)
            .handing_back_to(pending.clone())
    };
    let result = eframe::run_native(
        "Rapport",
        make_options(eframe::Renderer::Wgpu),
        Box::new(|cc| Ok(Box::new(make_app(cc)))),
    );
    if let Err(wgpu_error) = result {
        // Old GPUs and some virtual machines have no working Vulkan/Metal/DX12: try OpenGL.
        tracing::warn!("the wgpu renderer could not start ({wgpu_error}); retrying with OpenGL");
        eframe::run_native(
            "Rapport",
            make_options(eframe::Renderer::Glow),
            Box::new(|cc| Ok(Box::new(make_app(cc)))),
        )
        .map_err(|glow_error| {
            anyhow::anyhow!(
                "Rapport could not open a window: {wgpu_error}; with OpenGL: {glow_error}"
            )
        })?;
    }
    Ok(())
}

/// Opens a file in the program the desktop uses for it, without waiting for that program.
fn open_in_system_viewer(path: &std::path::Path) -> std::io::Result<()> {
    let mut command = if cfg!(target_os = "windows") {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]).arg(path);
        c
    } else if cfg!(target_os = "macos") {
        let mut c = std::process::Command::new("open");
        c.arg(path);
        c
    } else {
        let mut c = std::process::Command::new("xdg-open");
        c.arg(path);
        c
    };
    let mut child = command
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()?;
    // Reap the launcher in the background so it does not linger as a zombie.
    std::thread::Builder::new()
        .name("open-file".to_owned())
        .spawn(move || {
            let _ = child.wait();
        })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_export_to_a_folder_that_cannot_take_it_stops_before_anything_else() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("missing").join("report.pdf");
        let steps = std::cell::RefCell::new(Vec::new());
        let result = run_report_export(
            None,
            None,
            crate::model::ReportRequest::new(crate::model::ReportScope::Everyone),
            crate::report::ReportFormat::Pdf,
            path,
            NaiveDateTime::default(),
            &std::sync::atomic::AtomicBool::new(false),
            &|step, text| steps.borrow_mut().push((step, text)),
        );
        // Said before gathering (which, with no database, would have failed otherwise) and
        // before any step was shown.
        assert_eq!(
            result.unwrap_err(),
            format!(
                "Could not write in {} (the folder does not exist); choose another folder.",
                dir.path().join("missing").display()
            )
        );
        assert!(steps.borrow().is_empty());
    }
}
