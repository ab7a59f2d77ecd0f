//! The undo history: each step is a change put back from the rows it touched (`store::undo`)
//! or an import batch. Steps are pushed with the status line that offers their Undo button;
//! undoing one refreshes what it touched and says what happened.

use super::RapportApp;
use crate::model::ContactId;
use crate::store::undo::{Change, Part, Undone};
use crate::store::{Store, StoreError};
use crate::view::{MainView, StatusLine, UndoMark};

/// What Edit > Undo would do; each step knows how to reverse one change.
#[derive(Debug, Clone)]
pub(super) enum UndoStep {
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

/// At most 40 characters, so a label fits a menu.
pub(super) fn shorten(text: &str) -> String {
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
pub(super) fn recorded<T>(
    store: &mut Store,
    parts: &[Part],
    write: impl FnOnce(&mut Store) -> Result<(T, Vec<Part>), StoreError>,
) -> Result<(T, Option<Change>), StoreError> {
    let before = store.snapshot(parts)?;
    let (value, created) = write(store)?;
    match store.change_since(before, &created) {
        Ok(change) => Ok((value, Some(change))),
        Err(error) => {
            tracing::warn!(
                "the change was saved but cannot be undone: {}",
                error.for_the_log()
            );
            Ok((value, None))
        }
    }
}

/// What putting a change's rows back came to, as `apply_undo` says it.
pub(super) fn rows_undone(result: Result<Undone, StoreError>) -> Result<Vec<String>, UndoFailure> {
    match result {
        Ok(Undone::Done) => Ok(Vec::new()),
        Ok(Undone::ChangedSince(what)) => Err(UndoFailure::Refused(format!(
            "the {what} was changed since then"
        ))),
        Err(error) => Err(UndoFailure::Store(error)),
    }
}

/// Why an undo step was not applied.
pub(super) enum UndoFailure {
    /// It never will be: its rows changed outside the history ("the contact was changed
    /// since then"), or the import was undone already.
    Refused(String),
    /// The database could not do it now; trying again may work.
    Store(StoreError),
}

impl RapportApp {
    /// Puts a step on top of the undo history; the caller reports it with `report_step`.
    pub(super) fn push_undo(&mut self, step: UndoStep) -> UndoMark {
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
    pub(super) fn push_change(
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
    pub(super) fn show_undo_top(&mut self) {
        self.view.undo_top = self.undo.last().map(|(serial, step)| UndoMark {
            serial: *serial,
            label: step.label(),
        });
    }

    /// A status line reporting the step `mark` names (which is on top of the history).
    pub(super) fn report_step(&mut self, text: String, mark: Option<UndoMark>) {
        self.view.status = Some(StatusLine {
            text,
            is_error: false,
            undo: mark,
        });
    }

    /// Takes the steps that can no longer be undone off the history (after deleting a contact
    /// for good, its conversations and follow-ups went with them). An import step stays:
    /// undoing it skips what is gone by itself.
    pub(super) fn prune_undo(&mut self) {
        let Some(store) = &self.store else { return };
        self.undo.retain(|(_, step)| match step {
            UndoStep::Rows { change, .. } => store.can_undo(change).unwrap_or(true),
            UndoStep::Import { .. } => true,
        });
        self.show_undo_top();
    }

    /// Undoes the step on top of the history. A step that cannot be applied is said so and
    /// taken off (or kept, when trying again may work), naming what Ctrl+Z undoes next, so
    /// the next Ctrl+Z never silently reaches an older change.
    pub(super) fn undo_last(&mut self) {
        let Some((serial, step)) = self.undo.pop() else {
            self.report(Ok("Nothing to undo.".to_owned()));
            return;
        };
        if self.undo_runs_in_background(&step) {
            // A bulk change of thousands: put back on its own thread (`bulk.rs`).
            return self.start_undo_job(serial, step);
        }
        let result = self.apply_undo(&step);
        self.undo_landed(serial, step, result);
    }

    /// Says what became of undoing `step` (taken off the history as `serial`): refreshes what
    /// it touched, or puts it back when trying again may work.
    pub(super) fn undo_landed(
        &mut self,
        serial: u64,
        step: UndoStep,
        result: Result<Vec<String>, UndoFailure>,
    ) {
        let label = step.label();
        let done = label.strip_prefix("Undo: ").unwrap_or(&label).to_owned();
        match result {
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
                tracing::warn!("undo failed: {}", error.for_the_log());
                self.report(Err(StoreError::Invalid(format!(
                    "Could not undo {done} ({error}); nothing was undone. Ctrl+Z tries again."
                ))));
            }
        }
    }

    /// What Ctrl+Z does now, for a sentence after an undo that could not be applied.
    pub(super) fn next_undo_sentence(&self) -> String {
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
    pub(super) fn apply_undo(&mut self, step: &UndoStep) -> Result<Vec<String>, UndoFailure> {
        // An undone change may bring a photo back or take one away.
        self.view.photos.clear();
        let Some(store) = &mut self.store else {
            return Ok(Vec::new());
        };
        match step {
            UndoStep::Rows { change, .. } => rows_undone(store.undo_change(change)),
            UndoStep::Import { batch, .. } => match store.undo_import(*batch) {
                // A mail import's conversations edited since are kept too, named so.
                Ok(report) => Ok(report
                    .kept
                    .into_iter()
                    .chain(
                        report
                            .kept_conversations
                            .iter()
                            .map(|s| format!("the conversation “{s}”")),
                    )
                    .collect()),
                // Undone already (from the command line), or the batch is gone.
                Err(StoreError::Invalid(_) | StoreError::NotFound { .. }) => Err(
                    UndoFailure::Refused("it was undone already or is gone".to_owned()),
                ),
                Err(error) => Err(UndoFailure::Store(error)),
            },
        }
    }

    /// Refreshes what the undone step touched and says what was undone.
    pub(super) fn after_undo(&mut self, step: &UndoStep, kept: Vec<String>, done: &str) {
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
                let contacts = change.contacts();
                if contacts.len() > 200 {
                    // A bulk change undone: judging thousands here would hold the window.
                    self.after_data_change(Vec::new());
                    self.start_health_job();
                } else {
                    self.after_data_change(contacts);
                }
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
            n => {
                let thing = match kept.iter().any(|k| k.starts_with("the conversation “")) {
                    true => "record",
                    false => "contact",
                };
                format!(
                    "Undone: {done}. Kept {n} {thing}{} changed since the import: {}.",
                    if n == 1 { "" } else { "s" },
                    kept.join(", ")
                )
            }
        };
        self.report(Ok(text));
    }
}
