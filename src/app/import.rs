//! File > Import contacts, app side: reading and planning a file for the preview, remapping
//! columns, and applying on an `import` thread with its own connection (progress and Cancel
//! over a channel), then remembering the mapping and offering undo.

use super::RapportApp;
use super::jobs::{self, JobEvent, Polled};
use super::undo::UndoStep;
use crate::store::Store;
use crate::view::Command;
use chrono::NaiveDateTime;
use std::path::PathBuf;

/// What an import needs once its thread is done.
pub(super) struct PendingImport {
    file: String,
    format: &'static str,
    signature: Option<String>,
    mapping: Vec<crate::import::Column>,
    region: String,
}

/// An import's progress (contacts written, of how many) and result.
pub(super) type ImportEvent = JobEvent<
    (usize, usize),
    Result<
        (
            crate::model::ImportBatchId,
            crate::store::import::ImportPlan,
        ),
        String,
    >,
>;

/// An import running on its own thread.
pub(super) struct ImportJob {
    pending: PendingImport,
    receiver: std::sync::mpsc::Receiver<ImportEvent>,
    cancel: std::sync::Arc<std::sync::atomic::AtomicBool>,
    done: usize,
    total: usize,
}

impl RapportApp {
    /// What to do once an import finished: remember the mapping, offer undo, refresh.
    pub(super) fn finish_import(
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
                // New birthdays (an import adds no follow-ups).
                self.calendar_changed();
                let mark = self.push_undo(UndoStep::Import {
                    batch,
                    file: job.file.clone(),
                });
                let relations = plan
                    .relations_sentence()
                    .map(|s| format!(" {s}"))
                    .unwrap_or_default();
                let text = format!(
                    "Imported {}: {} new, {} merged, {} already here.{relations} Undo with Ctrl+Z.",
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
    pub(super) fn poll_import(&mut self) {
        let Some(job) = &mut self.import_job else {
            return;
        };
        let polled = jobs::drain(&job.receiver, |(done, total)| {
            job.done = done;
            job.total = total;
        });
        if let Some(dialog) = &mut self.view.import_dialog {
            dialog.progress = Some((job.done, job.total));
        }
        let result = match polled {
            Polled::Running => return,
            Polled::Finished(result) => result,
            // The thread ended without a result (it panicked): its transaction was never
            // committed, so nothing changed; say so instead of showing progress forever.
            Polled::Vanished => {
                Err("it stopped unexpectedly; the details are in rapport.log".to_owned())
            }
        };
        if let Some(job) = self.import_job.take() {
            if let Some(dialog) = &mut self.view.import_dialog {
                dialog.progress = None;
            }
            self.finish_import(job.pending, result);
        }
    }

    /// `Command::OpenImport`: open the import dialog.
    pub(super) fn open_import(&mut self) {
        let Some(store) = &mut self.store else { return };
        if self.view.import_dialog.is_none() {
            let region = store
                .setting("phone_region")
                .unwrap_or_else(super::navigation::default_phone_region);
            self.view.import_dialog = Some(crate::view::import_dialog::ImportDialog {
                region,
                ..Default::default()
            });
        }
    }

    /// `Command::PickImportFile`: ask the system file dialog for a contact file.
    pub(super) fn pick_import_file(&mut self) {
        let picked = rfd::FileDialog::new()
            .set_title("Import contacts")
            .add_filter("Contacts", &["csv", "vcf", "txt", "tsv"])
            .pick_file();
        if let (Some(path), Some(dialog)) = (picked, &mut self.view.import_dialog) {
            dialog.path = path.display().to_string();
            self.commands.push(Command::PreviewImport(path));
        }
    }

    /// `Command::PreviewImport`: read a file and plan its import (nothing is written).
    pub(super) fn preview_import(&mut self, path: PathBuf) {
        let Some(store) = &mut self.store else { return };
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
        let options = crate::import::ReadOptions {
            custom_fields: store
                .custom_fields(crate::model::custom_field::AppliesTo::Contact)
                .unwrap_or_default(),
            ..crate::import::ReadOptions::default()
        };
        let parsed = read.and_then(|bytes| {
            let saved = |sig: &str| store.saved_mapping(sig);
            crate::import::parse_file_with(&bytes, &file_name, &region, saved, &options).map_err(
                |why| format!("{file_name} cannot be imported: {why} Nothing was changed."),
            )
        });
        match parsed.and_then(|parsed| {
            store
                .plan_import(&parsed.contacts)
                .map(|plan| (parsed, plan))
                .map_err(|e| e.to_string())
        }) {
            Ok((parsed, plan)) => {
                dialog.error = None;
                dialog.preview = Some(crate::view::import_dialog::ImportPreview {
                    file_name,
                    parsed,
                    plan,
                });
            }
            Err(sentence) => dialog.error = Some(sentence),
        }
    }

    /// `Command::RemapImportColumn`: send column `index` of the previewed file to `field` and plan
    /// again.
    pub(super) fn remap_import_column(&mut self, index: usize, field: crate::import::Field) {
        let Some(store) = &mut self.store else { return };
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

    /// `Command::ApplyImport`: import the previewed file.
    pub(super) fn apply_import(&mut self, now: NaiveDateTime, ctx: &egui::Context) {
        let Some(store) = &mut self.store else { return };
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
        match store.location() {
            // On a file or a team database: a thread with its own connection does the work,
            // so the window keeps drawing and shows progress; WAL lets it keep reading a file
            // meanwhile.
            Some(location) => {
                let (sender, receiver) = std::sync::mpsc::channel();
                let cancel = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
                let cancelled = cancel.clone();
                let repaint = ctx.clone();
                let file = job.file.clone();
                let format = job.format;
                let spawned =
                    std::thread::Builder::new()
                        .name("import".to_owned())
                        .spawn(move || {
                            let result = (|| {
                                let mut store = Store::open_at(&location)?;
                                // A team database is backed up on its server; undo stays.
                                if store.path().is_some() {
                                    store.backup_now("before-import", now)?;
                                }
                                store.apply_import_with_progress(
                                    &file,
                                    format,
                                    &contacts,
                                    &mut |done, total| {
                                        let _ = sender.send(ImportEvent::Progress((done, total)));
                                        repaint.request_repaint();
                                        !cancelled.load(std::sync::atomic::Ordering::Relaxed)
                                    },
                                )
                            })();
                            let _ = sender
                                .send(ImportEvent::Finished(result.map_err(|e| e.to_string())));
                            repaint.request_repaint();
                        });
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
                    Err(e) => dialog.error = Some(format!("Could not start the import: {e}")),
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

    /// `Command::SaveImportProblems`: write the previewed file's problem rows as a CSV beside it.
    pub(super) fn save_import_problems(&mut self) {
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
        match crate::files::write_atomically(&target, &crate::import::problems_csv(&preview.parsed))
        {
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

    /// `Command::CancelImport`: stop a running import; nothing it did is kept.
    pub(super) fn cancel_import(&mut self) {
        if let Some(job) = &self.import_job {
            job.cancel.store(true, std::sync::atomic::Ordering::Relaxed);
        }
    }
}
