//! Bulk changes from the contact list: choosing many (Shift-click, Ctrl+A: the ids come from
//! the store, the rows are never loaded) and adding or removing a tag, setting the stage or
//! cadence, or moving all of them to the trash as one undo step; exporting them.
//!
//! A change to more than `IN_BACKGROUND_ABOVE` contacts of a file or team database runs on a
//! `bulk` thread with its own connection (a protected file keyed from the passphrases this
//! process knows, as every job's), telling the bar how far it got; Cancel stops it at the next
//! chunk and its transaction rolls back, so nothing changed. The undo step arrives when it
//! finishes; undoing it runs there too (without Cancel: it puts everything back at once). While
//! either runs the window keeps drawing and reading, and refuses other changes with
//! a sentence (what was typed stays in its form): on a file the change holds the write lock
//! until it commits, so any other write would wait for it, and on a team database the rows it
//! changes stay locked as long.

use super::RapportApp;
use super::jobs::{self, JobEvent, Polled};
use super::undo::{UndoStep, rows_undone};
use crate::model::ContactId;
use crate::store::undo::{Change, Undone};
use crate::store::{BulkDone, BulkEdit, Location, Store, StoreError};
use crate::view::Command;
use crate::view::bulk::BulkRunning;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// Changes to more contacts than this run on their own thread (they take a second or more).
pub const IN_BACKGROUND_ABOVE: usize = 300;

/// Judging more contacts than this on the UI thread would hold the window: the health job does it.
const JUDGED_HERE_UP_TO: usize = 200;

/// What the bulk thread sends: contacts gone through (of how many), then the result.
type BulkEvent = JobEvent<(usize, usize), Result<Landed, StoreError>>;

/// What a bulk thread does: a change, or undoing one (its step, taken off the history).
enum Doing {
    Edit(BulkEdit),
    /// Undoing the step `serial`, its change on the thread (coming back with the result).
    Undo {
        serial: u64,
        label: String,
        subject: Option<ContactId>,
    },
}

/// What it came to.
enum Landed {
    Edited(BulkDone),
    Undone {
        result: Result<Undone, StoreError>,
        change: Box<Change>,
    },
}

/// A bulk change, or its undo, running on its own thread.
pub(super) struct BulkJob {
    doing: Doing,
    /// The database it changes: its undo step belongs to the window only while that is open.
    location: Location,
    receiver: std::sync::mpsc::Receiver<BulkEvent>,
    cancel: Arc<AtomicBool>,
}

impl RapportApp {
    /// `Command::ExtendSelection`: every list row from the last one clicked to `index`.
    pub(super) fn extend_selection(&mut self, index: usize) {
        let Some(store) = &self.store else { return };
        let range = self.view.bulk.range_to(index);
        match store.contact_ids_matching(&self.view.search, &self.view.contact_filter) {
            Ok(ids) => {
                let end = (*range.end() + 1).min(ids.len());
                let start = (*range.start()).min(end);
                self.view.bulk.ids.extend(ids[start..end].iter().copied());
                if let Some(shown) = self.view.selected.as_ref().map(|s| s.contact.id)
                    && self.view.bulk.anchor.is_none()
                {
                    self.view.bulk.ids.insert(shown);
                }
                if self.view.bulk.anchor.is_none() {
                    self.view.bulk.anchor = Some(index);
                }
            }
            Err(error) => self.report(Err(error)),
        }
    }

    /// `Command::SelectAllMatches`: every contact the search and filters match.
    pub(super) fn select_all_matches(&mut self) {
        let Some(store) = &self.store else { return };
        match store.contact_ids_matching(&self.view.search, &self.view.contact_filter) {
            Ok(ids) => {
                self.view.bulk.ids = ids.into_iter().collect();
                let text = self.view.bulk.counted();
                self.report(Ok(format!("{text}.")));
            }
            Err(error) => self.report(Err(error)),
        }
    }

    /// `Command::BulkEdit`: the change to every chosen contact, as one undo step; on a thread
    /// when they are many and the database is not in memory.
    pub(super) fn bulk_edit(&mut self, edit: BulkEdit, ctx: &egui::Context) {
        let Some(store) = &mut self.store else { return };
        if self.bulk_job.is_some() {
            return;
        }
        let ids: Vec<ContactId> = self.view.bulk.ids.iter().copied().collect();
        if ids.len() > IN_BACKGROUND_ABOVE
            && let Some(location) = store.location()
        {
            return self.start_bulk_job(edit, ids, location, ctx);
        }
        match store.bulk_edit(&ids, &edit) {
            Ok(done) => self.finish_bulk(&edit, done),
            Err(error) => self.report(Err(error)),
        }
    }

    /// Starts `edit` on `ids` on the `bulk` thread, with its own connection to `location`.
    fn start_bulk_job(
        &mut self,
        edit: BulkEdit,
        ids: Vec<ContactId>,
        location: Location,
        ctx: &egui::Context,
    ) {
        let (sender, receiver) = std::sync::mpsc::channel();
        let cancel = Arc::new(AtomicBool::new(false));
        let cancelled = cancel.clone();
        let repaint = ctx.clone();
        let (job_edit, job_location) = (edit.clone(), location.clone());
        // The window's fixed clock (tests), so the job's times are the window's.
        let clock = self.fixed_now.map(|now| now.and_utc());
        let total = ids.len();
        let spawned = std::thread::Builder::new()
            .name("bulk".to_owned())
            .spawn(move || {
                let result = Store::open_at(&job_location).and_then(|mut store| {
                    if let Some(clock) = clock {
                        store.set_clock(clock);
                    }
                    store
                        .bulk_edit_with_progress(&ids, &job_edit, &mut |done, total| {
                            let _ = sender.send(BulkEvent::Progress((done, total)));
                            repaint.request_repaint();
                            !cancelled.load(Ordering::Relaxed)
                        })
                        .map(Landed::Edited)
                });
                if let Err(error) = &result
                    && !matches!(error, StoreError::Cancelled)
                {
                    tracing::warn!("bulk change failed: {}", error.for_the_log());
                }
                let _ = sender.send(BulkEvent::Finished(result));
                repaint.request_repaint();
            });
        match spawned {
            Ok(_) => {
                self.view.bulk.running = Some(BulkRunning {
                    doing: edit.doing(),
                    done: 0,
                    total,
                    cancelling: false,
                    undo: false,
                });
                self.bulk_job = Some(BulkJob {
                    doing: Doing::Edit(edit),
                    location,
                    receiver,
                    cancel,
                });
            }
            Err(error) => self.report(Err(StoreError::Invalid(format!(
                "Could not start the change ({error}); nothing was changed."
            )))),
        }
    }

    /// `Command::CancelBulk`: the running change stops at its next chunk; nothing is changed.
    pub(super) fn cancel_bulk(&mut self) {
        if let Some(job) = &self.bulk_job {
            job.cancel.store(true, Ordering::Relaxed);
            if let Some(running) = &mut self.view.bulk.running {
                running.cancelling = true;
            }
        }
    }

    /// Collects the bulk thread's progress and result; true while it runs.
    pub(super) fn poll_bulk(&mut self) -> bool {
        let Some(job) = &self.bulk_job else {
            return false;
        };
        let polled = jobs::drain(&job.receiver, |(done, total)| {
            if let Some(running) = &mut self.view.bulk.running {
                running.done = done;
                running.total = total;
            }
        });
        let result = match polled {
            Polled::Running => return true,
            Polled::Finished(result) => result,
            Polled::Vanished => Err(StoreError::Invalid(
                "The change stopped unexpectedly and changed nothing; the details are in rapport.log."
                    .to_owned(),
            )),
        };
        self.view.bulk.running = None;
        let Some(job) = self.bulk_job.take() else {
            return false;
        };
        let same_database = self.store.as_ref().and_then(Store::location) == Some(job.location);
        match job.doing {
            Doing::Edit(edit) => self.edit_landed(&edit, result, same_database),
            Doing::Undo {
                serial,
                label,
                subject,
            } => match result {
                Ok(Landed::Undone { result, change }) if same_database => {
                    self.undo_came_back(
                        serial,
                        UndoStep::Rows {
                            label,
                            change,
                            subject,
                        },
                        result,
                    );
                }
                Ok(_) => self.report(Ok(
                    "The undo finished in the database open before this one.".to_owned(),
                )),
                Err(error) => self.report(Err(error)),
            },
        }
        false
    }

    /// An undo from the bulk thread: said and refreshed as any undo. Once done, the step's
    /// thousands of row images are freed on a thread of their own (that takes a while), and
    /// everyone's health is judged again there too.
    fn undo_came_back(&mut self, serial: u64, step: UndoStep, result: Result<Undone, StoreError>) {
        // An undone change may bring a photo back or take one away.
        self.view.photos.clear();
        let done = matches!(result, Ok(Undone::Done));
        let step = match (done, step, self.nothing_changed()) {
            (
                true,
                UndoStep::Rows {
                    label,
                    change,
                    subject,
                },
                Some(nothing),
            ) => {
                let _ = std::thread::Builder::new()
                    .name("free".to_owned())
                    .spawn(move || drop(change));
                UndoStep::Rows {
                    label,
                    change: Box::new(nothing),
                    subject,
                }
            }
            (_, step, _) => step,
        };
        self.undo_landed(serial, step, rows_undone(result));
        if done {
            self.start_health_job();
            self.calendar_changed();
        }
        self.note_own_change();
    }

    /// A change of no rows at all.
    fn nothing_changed(&self) -> Option<Change> {
        let store = self.store.as_ref()?;
        store.change_since(store.snapshot(&[]).ok()?, &[]).ok()
    }

    /// What a bulk change on its thread came to, in the database open now (`same_database`)
    /// or another one.
    fn edit_landed(
        &mut self,
        edit: &BulkEdit,
        result: Result<Landed, StoreError>,
        same_database: bool,
    ) {
        match result {
            Ok(Landed::Edited(done)) if same_database => {
                self.finish_bulk(edit, done);
                // A team database's change log now holds this window's own change.
                self.note_own_change();
            }
            // Another database is open now: the step would undo nothing here.
            Ok(Landed::Edited(done)) => self.report(Ok(format!(
                "{} (In the database open before; it is not in Edit > Undo.)",
                edit.done_sentence(done.changed.len())
            ))),
            Ok(Landed::Undone { .. }) => {}
            Err(StoreError::Cancelled) => {
                self.report(Ok("Cancelled; none of the contacts was changed.".to_owned()))
            }
            Err(error) => self.report(Err(error)),
        }
    }

    /// Whether undoing `step` runs on the bulk thread: a change of more contacts than
    /// `IN_BACKGROUND_ABOVE` in a file or team database.
    pub(super) fn undo_runs_in_background(&self, step: &UndoStep) -> bool {
        let UndoStep::Rows { change, .. } = step else {
            return false;
        };
        self.store.as_ref().and_then(Store::location).is_some()
            && change.contact_parts() > IN_BACKGROUND_ABOVE
    }

    /// Undoes the bulk step `step` (taken off the history as `serial`) on the bulk thread:
    /// the bar says so, other changes wait, and the step comes back if it could not be done.
    pub(super) fn start_undo_job(&mut self, serial: u64, step: UndoStep) {
        let location = self.store.as_ref().and_then(Store::location);
        let (
            Some(location),
            UndoStep::Rows {
                label,
                change,
                subject,
            },
        ) = (location, step)
        else {
            return;
        };
        let total = change.contact_parts();
        let (sender, receiver) = std::sync::mpsc::channel();
        let job_location = location.clone();
        let spawned = std::thread::Builder::new()
            .name("bulk".to_owned())
            .spawn(move || {
                let result =
                    Store::open_at(&job_location).and_then(|mut store| store.undo_change(&change));
                if let Err(error) = &result {
                    tracing::warn!("undoing a bulk change failed: {}", error.for_the_log());
                }
                let _ = sender.send(BulkEvent::Finished(Ok(Landed::Undone { result, change })));
            });
        match spawned {
            Ok(_) => {
                self.show_undo_top();
                self.view.bulk.running = Some(BulkRunning {
                    doing: "Undoing the change to",
                    done: 0,
                    total,
                    cancelling: false,
                    undo: true,
                });
                self.bulk_job = Some(BulkJob {
                    doing: Doing::Undo {
                        serial,
                        label,
                        subject,
                    },
                    location,
                    receiver,
                    cancel: Arc::new(AtomicBool::new(false)),
                });
            }
            Err(error) => {
                // The step went with the closure that could not start: it is gone.
                self.show_undo_top();
                self.report(Err(StoreError::Invalid(format!(
                    "Could not start the undo ({error}); nothing was undone, and that step is gone from Edit > Undo."
                ))));
            }
        }
    }

    /// A bulk change landed: its undo step, the sentence, and what it changed on screen.
    fn finish_bulk(&mut self, edit: &BulkEdit, done: BulkDone) {
        let count = done.changed.len();
        self.view.bulk.tag_text.clear();
        self.view.bulk.cadence_text.clear();
        if count == 0 {
            self.report(Ok(format!(
                "{} Nothing needed changing.",
                edit.done_sentence(0)
            )));
            return;
        }
        let mut text = edit.done_sentence(count);
        if *edit == BulkEdit::Trash {
            text.push_str(" Undo with Ctrl+Z, or restore them one by one from File > Trash.");
            self.left_for_the_trash(&done.changed);
        }
        self.push_change(edit.undo_label(count), Some(done.change), None, text);
        if count > JUDGED_HERE_UP_TO {
            self.after_data_change(Vec::new());
            self.start_health_job();
        } else {
            self.after_data_change(done.changed);
        }
        // `after_data_change` read the list and its tags' counts again: a new tag shows in the
        // filter, the trashed left the list.
        self.reselect();
        self.calendar_changed();
        if self.view.trash.is_some()
            && let Some(store) = &self.store
        {
            self.view.trash = store.trashed_contacts().ok();
        }
    }

    /// Contacts moved to the trash leave the list: none of them stays chosen or shown.
    fn left_for_the_trash(&mut self, gone: &[ContactId]) {
        for id in gone {
            self.view.bulk.ids.remove(id);
        }
        self.view.bulk.anchor = None;
        if self
            .view
            .selected
            .as_ref()
            .is_some_and(|s| gone.contains(&s.contact.id))
        {
            self.view.selected = None;
            self.view.prefs.selected_contact = None;
        }
    }

    /// A change asked for while a bulk change runs: refused with a sentence, in its form when
    /// it has one (what was typed stays there).
    pub(super) fn refuse_while_bulk(&mut self, command: &Command) {
        let total = self.view.bulk.running.as_ref().map_or(0, |r| r.total);
        let text = format!(
            "Not done yet: {} contacts are still being changed (see the bar above the list). \
             Try again when that has finished, or cancel it.",
            crate::view::bulk::thousands(total)
        );
        if !self.say_in_form_that(command, &text) {
            self.report(Err(StoreError::Invalid(text)));
        }
    }

    /// `Command::ExportChosen`: File ▸ Export contacts, on the contacts chosen in the list.
    pub(super) fn export_chosen(&mut self) {
        self.open_export_contacts();
        if let Some(dialog) = &mut self.view.contact_export
            && !dialog.running
        {
            dialog.chosen = self.view.bulk.ids.iter().copied().collect();
            dialog.scope = crate::view::export_contacts::ContactScopeChoice::Chosen;
            dialog.error = None;
        }
    }

    /// True while a bulk change runs on its thread.
    pub(super) fn bulk_running(&self) -> bool {
        self.bulk_job.is_some()
    }
}
