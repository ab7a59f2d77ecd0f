//! File ▸ Import mail or calendar…, app side: files picked or dropped (on a contact: they are
//! listed first) are read for a plan, then imported in one undoable step. Both passes run on
//! a `mail-import` thread with its own connection (keyed through the store's cipher registry
//! on a protected file, as every job's), reporting bytes read over a channel; Cancel makes the
//! progress callback return false, which drops the transaction: nothing changes. A backup is
//! taken before the import. A database in memory (tests) is read on the frame.

use super::RapportApp;
use super::jobs::{self, JobEvent, Polled};
use super::undo::UndoStep;
use crate::import::conversation_files::{self, ConversationFiles};
use crate::import::mail::ReadOptions;
use crate::import::meetings::MeetingOptions;
use crate::model::{ContactId, ImportBatchId};
use crate::store::conversation_import::{
    ConversationImportOptions, ConversationPlan, parse_addresses,
};
use crate::store::{Store, StoreError};
use crate::view::conversation_import::{MailImportDialog, MailImportStage, done_sentence};
use chrono::NaiveDateTime;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// What a pass ends with.
pub(super) enum MailOutcome {
    Planned(ConversationPlan),
    Imported(ImportBatchId, ConversationPlan),
}

type MailEvent = JobEvent<(u64, u64), Result<MailOutcome, StoreError>>;

/// A plan or an import running on its own thread.
pub(super) struct MailImportJob {
    receiver: std::sync::mpsc::Receiver<MailEvent>,
    cancel: Arc<AtomicBool>,
}

/// One pass over the files: the plan, or the import.
struct Pass {
    files: ConversationFiles,
    options: ConversationImportOptions,
    import: bool,
    now: NaiveDateTime,
}

impl Pass {
    fn run(
        &self,
        store: &mut Store,
        progress: &mut dyn FnMut(u64, u64) -> bool,
    ) -> Result<MailOutcome, StoreError> {
        let mut entries = self
            .files
            .entries(ReadOptions::default(), MeetingOptions::new(self.now.date()));
        if !self.import {
            let plan = store.plan_conversation_import(&mut entries, &self.options, progress)?;
            return Ok(MailOutcome::Planned(plan));
        }
        // A team database is backed up on its server; undo stays.
        if store.path().is_some() {
            store.backup_now("before-import", self.now)?;
        }
        let (batch, plan) = store.import_conversations(
            &self.files.source_name(),
            &self.files.format(),
            &mut entries,
            &self.options,
            progress,
        )?;
        Ok(MailOutcome::Imported(batch, plan))
    }
}

impl RapportApp {
    /// `Command::ImportDropped`: mail and calendar files to the mail import, anything else
    /// (the first) to the contact import's preview.
    pub(super) fn import_dropped(
        &mut self,
        paths: Vec<PathBuf>,
        contact: Option<ContactId>,
        now: NaiveDateTime,
        ctx: &egui::Context,
    ) {
        let (mail, other): (Vec<PathBuf>, Vec<PathBuf>) = paths
            .into_iter()
            .partition(|path| conversation_files::kind_of(path).is_some());
        if !mail.is_empty() {
            self.plan_mail_import(mail, contact, now, ctx);
        } else if let Some(path) = other.into_iter().next() {
            self.open_import();
            self.preview_import(path);
        }
    }

    /// `Command::PickMailFiles`: the system file dialog, several files at once.
    pub(super) fn pick_mail_files(&mut self, now: NaiveDateTime, ctx: &egui::Context) {
        let picked = rfd::FileDialog::new()
            .set_title("Import mail or calendar")
            .add_filter("E-mail, mailbox, calendar", &["eml", "mbox", "mbx", "ics"])
            .add_filter("Any file", &["*"])
            .pick_files();
        if let Some(paths) = picked.filter(|p| !p.is_empty()) {
            self.plan_mail_import(paths, None, now, ctx);
        }
    }

    /// `Command::PlanMailImport`: opens the dialog on these files and reads them for a plan.
    pub(super) fn plan_mail_import(
        &mut self,
        paths: Vec<PathBuf>,
        hint: Option<ContactId>,
        now: NaiveDateTime,
        ctx: &egui::Context,
    ) {
        let Some(store) = &self.store else { return };
        if self.mail_import_job.is_some() {
            return;
        }
        let mine = store.my_addresses().unwrap_or_default();
        let files = ConversationFiles::open(&paths);
        let name = match &files {
            Ok(files) => files.source_name(),
            Err(_) => String::new(),
        };
        let mut dialog = MailImportDialog::new(paths, name, hint);
        dialog.addresses_unknown = mine.is_empty();
        dialog.my_addresses = mine.join(", ");
        self.view.mail_import = Some(dialog);
        match files {
            Ok(_) => self.replan_mail_import(now, ctx),
            Err(why) => self.mail_dialog_error(why, MailImportStage::Ready),
        }
    }

    /// `Command::ReplanMailImport`: reads the files for a plan with what the dialog holds.
    pub(super) fn replan_mail_import(&mut self, now: NaiveDateTime, ctx: &egui::Context) {
        if let Some(pass) = self.mail_pass(false, now) {
            if let Some(dialog) = &mut self.view.mail_import {
                dialog.planned_with =
                    Some((dialog.my_addresses.trim().to_owned(), dialog.new_contacts));
                dialog.stage = MailImportStage::Planning;
            }
            self.start_mail_pass(pass, ctx);
        }
    }

    /// `Command::ApplyMailImport`: keeps the addresses typed as the user's, then imports.
    pub(super) fn apply_mail_import(&mut self, now: NaiveDateTime, ctx: &egui::Context) {
        if !self
            .view
            .mail_import
            .as_ref()
            .is_some_and(|d| d.can_import())
        {
            return;
        }
        let Some(pass) = self.mail_pass(true, now) else {
            return;
        };
        if let Some(store) = &mut self.store
            && store.my_addresses().unwrap_or_default() != pass.options.my_addresses
            && !pass.options.my_addresses.is_empty()
            && let Err(error) = store.set_my_addresses(&pass.options.my_addresses)
        {
            tracing::warn!("could not keep your addresses: {}", error.for_the_log());
        }
        if let Some(dialog) = &mut self.view.mail_import {
            dialog.stage = MailImportStage::Importing;
        }
        self.start_mail_pass(pass, ctx);
    }

    /// `Command::CancelMailImport`: stops the pass running (nothing is kept), or closes.
    pub(super) fn cancel_mail_import(&mut self) {
        match &self.mail_import_job {
            Some(job) => job.cancel.store(true, Ordering::Relaxed),
            None => self.view.mail_import = None,
        }
    }

    /// The pass the dialog asks for, or None with the sentence shown there.
    fn mail_pass(&mut self, import: bool, now: NaiveDateTime) -> Option<Pass> {
        let dialog = self.view.mail_import.as_ref()?;
        let files = match ConversationFiles::open(&dialog.paths) {
            Ok(files) => files,
            Err(why) => {
                self.mail_dialog_error(why, MailImportStage::Ready);
                return None;
            }
        };
        let my_addresses = match parse_addresses(&dialog.my_addresses) {
            Ok(addresses) => addresses,
            Err(why) => {
                self.mail_dialog_error(why, MailImportStage::Ready);
                return None;
            }
        };
        let options = ConversationImportOptions {
            my_addresses,
            new_contacts: dialog.new_contacts,
            hint: dialog.hint,
        };
        Some(Pass {
            files,
            options,
            import,
            now,
        })
    }

    fn mail_dialog_error(&mut self, why: String, stage: MailImportStage) {
        if let Some(dialog) = &mut self.view.mail_import {
            dialog.error = Some(why);
            dialog.stage = stage;
            dialog.progress = None;
        }
    }

    /// Runs the pass on a thread with its own connection, or here for a database in memory.
    fn start_mail_pass(&mut self, pass: Pass, ctx: &egui::Context) {
        let Some(store) = &mut self.store else { return };
        if let Some(dialog) = &mut self.view.mail_import {
            dialog.error = None;
            dialog.progress = Some((0, pass.files.total_bytes()));
        }
        let Some(location) = store.location() else {
            let result = pass.run(store, &mut |_, _| true);
            return self.finish_mail_pass(result);
        };
        let (sender, receiver) = std::sync::mpsc::channel();
        let cancel = Arc::new(AtomicBool::new(false));
        let cancelled = cancel.clone();
        let repaint = ctx.clone();
        let spawned = std::thread::Builder::new()
            .name("mail-import".to_owned())
            .spawn(move || {
                let result = Store::open_at(&location).and_then(|mut store| {
                    pass.run(&mut store, &mut |done, total| {
                        let _ = sender.send(MailEvent::Progress((done, total)));
                        repaint.request_repaint();
                        !cancelled.load(Ordering::Relaxed)
                    })
                });
                let _ = sender.send(MailEvent::Finished(result));
                repaint.request_repaint();
            });
        match spawned {
            Ok(_) => self.mail_import_job = Some(MailImportJob { receiver, cancel }),
            Err(e) => self.mail_dialog_error(
                format!("Could not start reading the files: {e}"),
                MailImportStage::Ready,
            ),
        }
    }

    /// Collects the thread's progress and result; keeps frames coming while it runs.
    pub(super) fn poll_mail_import(&mut self, ctx: &egui::Context) {
        let Some(job) = &self.mail_import_job else {
            return;
        };
        let mut latest = None;
        let polled = jobs::drain(&job.receiver, |step| latest = Some(step));
        if let (Some(step), Some(dialog)) = (latest, &mut self.view.mail_import) {
            dialog.progress = Some(step);
        }
        let result = match polled {
            Polled::Running => {
                ctx.request_repaint_after(std::time::Duration::from_millis(100));
                return;
            }
            Polled::Finished(result) => result,
            // It panicked: its transaction was never committed, so nothing changed.
            Polled::Vanished => Err(StoreError::Invalid(
                "it stopped unexpectedly; the details are in rapport.log".to_owned(),
            )),
        };
        self.mail_import_job = None;
        self.finish_mail_pass(result);
    }

    fn finish_mail_pass(&mut self, result: Result<MailOutcome, StoreError>) {
        match result {
            Ok(MailOutcome::Planned(plan)) => {
                if let Some(dialog) = &mut self.view.mail_import {
                    dialog.plan = Some(plan);
                    dialog.stage = MailImportStage::Ready;
                    dialog.progress = None;
                }
            }
            Ok(MailOutcome::Imported(batch, plan)) => self.mail_imported(batch, &plan),
            Err(StoreError::Cancelled) => {
                let planning = self
                    .view
                    .mail_import
                    .as_ref()
                    .is_some_and(|d| d.stage == MailImportStage::Planning && d.plan.is_none());
                if planning {
                    // Cancelled before any plan: nothing to show.
                    self.view.mail_import = None;
                    self.report(Ok("Cancelled; nothing was changed.".to_owned()));
                } else {
                    if let Some(dialog) = &mut self.view.mail_import
                        && dialog.stage == MailImportStage::Planning
                    {
                        // The plan shown is the one before: read again before importing.
                        dialog.planned_with = None;
                    }
                    self.mail_dialog_error(
                        "Cancelled; nothing was changed.".to_owned(),
                        MailImportStage::Ready,
                    );
                }
            }
            Err(error) => {
                tracing::warn!("mail import failed: {}", error.for_the_log());
                self.mail_dialog_error(
                    format!("Nothing was changed: {error}"),
                    MailImportStage::Ready,
                );
            }
        }
    }

    /// After an import: offer undo, refresh what shows conversations, say what was done.
    fn mail_imported(&mut self, batch: ImportBatchId, plan: &ConversationPlan) {
        let file = self
            .view
            .mail_import
            .as_ref()
            .map(|d| d.source_name.clone())
            .unwrap_or_default();
        if let Some(dialog) = &mut self.view.mail_import {
            dialog.stage = MailImportStage::Done {
                conversations: plan.conversations,
                new_contacts: plan.new_contacts,
            };
            dialog.progress = None;
            dialog.plan = Some(plan.clone());
        }
        self.refresh_list();
        self.reselect();
        self.start_health_job();
        let mark = self.push_undo(UndoStep::Import {
            batch,
            file: file.clone(),
        });
        let text = format!(
            "{file}: {} Undo with Ctrl+Z.",
            done_sentence(plan.conversations, plan.new_contacts)
        );
        self.report_step(text, Some(mark));
    }
}
