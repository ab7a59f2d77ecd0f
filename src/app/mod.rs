//! The eframe application: owns the `Store` and the view state (`crate::view`), draws the panels
//! (through `ui`), and applies the `Command`s they emit after each frame. This is the only layer
//! that both talks to the store and knows about egui.
//!
//! This file holds the app itself, the frame and the dispatcher; each command is handled in the
//! file for what it is about: `contacts` (contacts, tags, life events), `conversations`,
//! `follow_ups` (and reminders), `import`, `export`, `database` (the file, backups, the demo),
//! `navigation` (selection, views, filters, zoom, theme, and the caches they fill). `undo` keeps
//! the undo history; `dashboard` the health and dashboard jobs; `launch` opens the file and the
//! window; `team` connects to a team database from File ▸ Team database; `live` listens for
//! teammates' changes and follows the team database's connection; `conflicts` saves a contact
//! against the version its form opened and moves to the trash what changed since it was shown.

mod bulk;
mod calendar_file;
mod conflicts;
mod contacts;
mod conversation_import;
mod conversations;
mod custom_fields;
mod dashboard;
mod database;
mod duplicates;
mod export;
mod follow_ups;
mod history_actions;
mod import;
mod jobs;
pub mod launch;
mod live;
mod navigation;
mod photos;
mod privacy;
mod protect;
mod relationships;
mod remind;
mod team;
mod undo;

pub use crate::view::paged;
pub use crate::view::{
    ATTENTION_SHOWN, CHART_WEEKS, Command, DashboardData, MainView, Prefs, Recovery,
    SelectedContact, StatusLine, Theme, TodayData, UndoMark, ViewState,
};
pub use dashboard::compute_dashboard;
pub use launch::{run_window, run_window_at};

use crate::model::ContactId;
use crate::store::{Location, Store, StoreError};
use crate::ui;
use chrono::NaiveDateTime;
use export::ReportJob;
use import::ImportJob;
use std::path::PathBuf;
use undo::UndoStep;

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
    /// The database on screen (a file or a team database; `None` in memory), and the lock
    /// that keeps a second window off a file.
    location: Option<Location>,
    lock: Option<crate::safety::InstanceLock>,
    /// The window title last sent, so it is sent again only when the database changes.
    title_sent: Option<String>,
    /// File ▸ Team database: a connection being made on its own thread.
    team_connect: Option<team::TeamConnect>,
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
    /// The calendar file kept up to date (the `calendar_file` setting), written on a thread.
    calendar_file: calendar_file::CalendarFileJob,
    /// A team database's changes, heard on a thread of their own.
    live: live::Live,
    /// Requests handed over by a second launch on the file this window holds (`--open-contact`).
    handoff: Option<launch::Handoff>,
    /// How the window sets up the reminder companion: this binary's `remind install`.
    remind_setup: remind::RemindSetup,
    /// Edit ▸ Find duplicates…, looking on its own thread.
    duplicates_job: duplicates::DuplicatesJob,
    /// File ▸ Import mail or calendar…: a plan or an import on its own thread.
    mail_import_job: Option<conversation_import::MailImportJob>,
    /// A bulk change to many contacts running on its own thread and connection.
    bulk_job: Option<bulk::BulkJob>,
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
                view.database = crate::view::DatabaseName::of(store.location().as_ref());
                view.team = live::team_link(&store);
                view.protected = store.path().map(|_| store.is_protected());
                Some(store)
            }
            Err(error) => {
                tracing::error!("could not open the database: {}", error.for_the_log());
                view.unlock = protect::unlock_screen_for(&error);
                if view.unlock.is_none() {
                    view.open_error = Some(error.to_string());
                }
                view.damaged = matches!(
                    error,
                    StoreError::NotADatabase { .. }
                        | StoreError::Corrupt { .. }
                        | StoreError::Untrusted { .. }
                );
                None
            }
        };
        let location = store.as_ref().and_then(Store::location);
        let mut app = Self {
            store,
            view,
            undo: Vec::new(),
            undo_serial: 0,
            commands: Vec::new(),
            fixed_now: now,
            reminders_checked_until: NaiveDateTime::MIN,
            next_reminder_check: None,
            location,
            lock: None,
            title_sent: None,
            team_connect: None,
            backup_job: None,
            import_job: None,
            dashboard_jobs: dashboard::DashboardJobs::default(),
            report_job: None,
            contact_export_job: None,
            calendar_file: calendar_file::CalendarFileJob::default(),
            live: live::Live::default(),
            handoff: None,
            remind_setup: remind::RemindSetup::default(),
            duplicates_job: None,
            mail_import_job: None,
            bulk_job: None,
        };
        // Listening starts from what the change log held before anything was read, so a
        // change made while the window fills itself is heard, not missed.
        if let Some(store) = &app.store {
            app.live.seen = store.last_change_id().unwrap_or(0);
            app.live.shown_through = app.live.seen;
        }
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
                tracing::warn!("a step failed: {}", error.for_the_log());
                let text = match self.store.as_ref().is_some_and(Store::is_disconnected) {
                    true => "Could not reach the team database: the connection is lost. The window shows what it read last and reconnects by itself.".to_owned(),
                    false => error.to_string(),
                };
                StatusLine {
                    text,
                    is_error: true,
                    undo: None,
                }
            }
        });
    }

    /// Applies one command. Public so tests can drive the app without clicks where a click
    /// is not the point.
    pub fn apply(&mut self, command: Command, ctx: &egui::Context) {
        let writes = command.writes();
        if writes && self.is_offline() {
            // Out of reach: said where it was asked, and what was typed stays in the form.
            return self.refuse_offline(&command);
        }
        if writes && self.bulk_running() {
            // Its transaction holds what the write would change until it finishes.
            return self.refuse_while_bulk(&command);
        }
        let touched = self.contacts_touched_by(&command);
        let replaces_data = matches!(command, Command::RestoreBackup(_));
        let asked = writes.then(|| command.clone());
        self.apply_command(command, ctx);
        // An undo that went to the bulk thread refreshes what it touched when it lands.
        let touched = touched.filter(|_| !self.bulk_running());
        if let Some(asked) = asked {
            if self.is_offline() {
                // The connection went while writing: a form that is still open failed to save.
                return self.lost_while(&asked);
            }
            self.note_own_change();
        }
        if touched.is_some() || replaces_data {
            self.calendar_changed();
        }
        if let Some(ids) = touched {
            self.after_data_change(ids);
        }
        if replaces_data {
            // Another version of the whole file: judge everyone again.
            self.start_health_job();
        }
    }

    /// Hands a command to the method for its domain (the files beside this one). The
    /// database commands come first: they work without a store (a damaged file can be
    /// recovered, the demo tried); every other command needs one.
    fn apply_command(&mut self, command: Command, ctx: &egui::Context) {
        match command {
            Command::Quit => {
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
                return;
            }
            Command::RecoverFromBackup(backup) => return self.recover_from_backup(backup),
            Command::TryDemo => return self.try_demo(),
            Command::BackToOwnData => return self.back_to_own_data(),
            // A team database can be chosen when the one at launch could not be opened.
            Command::OpenTeamDialog => return self.open_team_dialog(),
            Command::ConnectTeam(location) => return self.connect_team(location, ctx),
            // A protected file is unlocked before there is a store.
            Command::Unlock => return self.unlock(),
            _ => {}
        }
        let now = self.now();
        if self.store.is_none() {
            return;
        }
        match command {
            Command::SearchChanged => self.search_changed(),
            Command::SelectContact(id) => self.select_contact(id),
            Command::ShowView(main_view) => self.show_view(main_view),
            Command::SetContactFilter(filter) => self.set_contact_filter(filter),
            Command::OpenContact(id) => self.open_contact(id),
            Command::FilterHistory(filter) => self.filter_history(filter),
            Command::ShowOrganization(org) => self.show_organization(org),
            Command::ShowContactHistory => self.show_contact_history(),
            Command::SetZoom(zoom) => self.set_zoom(zoom, ctx),
            Command::SetTheme(theme) => self.set_theme(theme, ctx),
            Command::NewContact => self.new_contact(),
            Command::EditContact(id) => self.edit_contact(id),
            Command::SaveContact { id, draft } => self.save_contact(id, draft),
            Command::TrashContact(id) => self.trash_contact_seen(id),
            Command::TrashContactAnyway(id) => self.trash_contact(id),
            Command::ResolveContactClash { choices } => self.resolve_contact_clash(choices),
            Command::SetContactPhoto { contact, path } => self.set_contact_photo(contact, path),
            Command::PasteContactPhoto { contact, image } => {
                self.paste_contact_photo(contact, &image)
            }
            Command::PickContactPhoto(id) => self.pick_contact_photo(id),
            Command::RemoveContactPhoto(id) => self.remove_contact_photo(id),
            Command::OpenTrash => self.open_trash(),
            Command::RestoreContact(id) => self.restore_contact(id),
            Command::PurgeContact(id) => self.purge_contact(id),
            Command::OpenTags => self.open_tags(),
            Command::CountTags => self.count_tags(),
            Command::CustomFields(command) => self.custom_fields_command(command),
            Command::SaveTag {
                name,
                color,
                cadence_days,
            } => self.save_tag(name, color, cadence_days),
            Command::AddLifeEvent {
                contact,
                occurred_on,
                kind,
                description,
            } => self.add_life_event(contact, occurred_on, kind, description),
            Command::OpenAddRelationship(id) => self.open_add_relationship(id),
            Command::FindRelated(text) => self.find_related(&text),
            Command::Relate {
                contact,
                role,
                other,
                note,
            } => self.relate(contact, role, other, &note),
            Command::Unrelate {
                contact,
                relationship,
            } => self.unrelate(contact, relationship),
            Command::OpenReferrals => self.open_referrals(),
            Command::LogConversation(contact) => self.log_conversation(contact, now),
            Command::EditConversation(id) => self.edit_conversation(id),
            Command::FindParticipants(text) => self.find_participants(text),
            Command::SaveConversation { id, draft } => self.save_conversation(id, draft, now),
            Command::DeleteConversation(id) => self.delete_conversation(id),
            Command::SetConversationPurpose { id, purpose, seen } => {
                self.set_conversation_purpose(id, purpose, seen)
            }
            Command::OpenThread {
                thread_ref,
                head,
                head_index,
            } => self.open_thread(thread_ref, head, head_index),
            Command::CloseThread => self.close_thread(),
            Command::CreateFollowUp(draft) => self.create_follow_up(draft),
            Command::SetRemindWhenClosed(on) => self.set_remind_when_closed(on),
            Command::OpenPassphraseDialog(action) => self.open_passphrase_dialog(action),
            Command::ApplyPassphrase => self.apply_passphrase(),
            Command::LockDatabase => self.lock_database(),
            Command::OpenEverything(id) => self.open_everything(id),
            Command::SaveEverything => self.save_everything(now),
            Command::OpenErase(id) => self.open_erase(id),
            Command::EraseContact { id, from_backups } => self.erase_contact(id, from_backups),
            Command::OpenDuplicates => self.open_duplicates(),
            Command::OpenMerge { first, second } => self.open_merge(first, second),
            Command::MergeContacts => self.merge_contacts(),
            Command::NotSamePerson { first, second } => self.not_same_person(first, second),
            Command::AddToContact { id, draft } => self.add_to_contact(id, &draft),
            Command::PostponeRemindQuestion => self.view.remind_question = false,
            Command::NewFollowUp(contact) => self.new_follow_up(contact, now),
            Command::CompleteFollowUp { id, seen } => self.complete_follow_up(id, seen, now),
            Command::MissFollowUp { id, seen } => self.miss_follow_up(id, seen, now),
            Command::SnoozeFollowUp { id, days, seen } => {
                self.snooze_follow_up(id, days, seen, now)
            }
            Command::OpenBackups => self.open_backups(),
            Command::BackupNow => self.backup_now(now),
            Command::RestoreBackup(path) => self.restore_backup(path, now),
            Command::OpenImport => self.open_import(),
            Command::PickImportFile => self.pick_import_file(),
            Command::PreviewImport(path) => self.preview_import(path),
            Command::RemapImportColumn { index, field } => self.remap_import_column(index, field),
            Command::ApplyImport => self.apply_import(now, ctx),
            Command::SaveImportProblems => self.save_import_problems(),
            Command::CancelImport => self.cancel_import(),
            Command::ImportDropped { paths, contact } => {
                self.import_dropped(paths, contact, now, ctx)
            }
            Command::PickMailFiles => self.pick_mail_files(now, ctx),
            Command::PlanMailImport { paths, hint } => self.plan_mail_import(paths, hint, now, ctx),
            Command::ReplanMailImport => self.replan_mail_import(now, ctx),
            Command::ApplyMailImport => self.apply_mail_import(now, ctx),
            Command::CancelMailImport => self.cancel_mail_import(),
            Command::OpenExportReport(scope) => self.open_export_report(scope),
            Command::PickReportPath => self.pick_report_path(),
            Command::StartReportExport {
                request,
                format,
                path,
            } => self.start_report_export(request, format, path, now, ctx),
            Command::CancelReportExport => self.cancel_report_export(),
            Command::OpenExportedFile(path) => self.open_exported_file(path),
            Command::OpenExportContacts => self.open_export_contacts(),
            Command::PickContactExportPath => self.pick_contact_export_path(),
            Command::StartContactExport {
                scope,
                format,
                path,
            } => self.start_contact_export(scope, format, path, ctx),
            Command::ExportCalendar => self.export_calendar(),
            Command::PickCalendarPath => self.pick_calendar_path(),
            Command::ExportCalendarTo(path) => self.export_calendar_to(path, now),
            Command::Undo => self.undo_last(),
            Command::ExtendSelection(index) => self.extend_selection(index),
            Command::SelectAllMatches => self.select_all_matches(),
            Command::BulkEdit(edit) => self.bulk_edit(edit, ctx),
            Command::CancelBulk => self.cancel_bulk(),
            Command::ExportChosen => self.export_chosen(),
            // Handled above, before the store is needed.
            Command::Quit
            | Command::RecoverFromBackup(_)
            | Command::TryDemo
            | Command::BackToOwnData
            | Command::OpenTeamDialog
            | Command::ConnectTeam(_)
            | Command::Unlock => {}
        }
    }

    /// Draws one frame and applies what the panels asked for. Split from `eframe::App::ui` so
    /// benchmarks can drive it on a bare `egui::Context`.
    pub fn frame_ui(&mut self, ui: &mut egui::Ui) {
        // A contact a second launch asked for is opened in this frame.
        self.poll_handoff(ui.ctx());
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
        self.poll_jobs(&ctx);
        self.poll_duplicates(&ctx);
        self.poll_mail_import(&ctx);
        self.send_title(&ctx);
        self.commands = commands;
        // Out of reach, the rows read last stay; the missing ones are read when it is back.
        let wanted = !self.is_offline()
            && (self.view.contacts.has_wanted()
                || self
                    .view
                    .selected
                    .as_ref()
                    .is_some_and(|s| s.history.has_wanted()));
        if wanted {
            self.fetch_wanted_rows();
        }
        let photos = self.photos_wanted();
        if photos {
            self.fetch_photos(&ctx);
        }
        if any || wanted || photos {
            ctx.request_repaint();
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
