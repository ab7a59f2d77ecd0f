//! Exports, app side: the timeline report and the contact export run on an `export` thread
//! (gather, render, write; progress and result over a channel), the calendar is written at
//! once; the save dialogs and opening a written file in the system's viewer.

use super::RapportApp;
use super::jobs::{self, JobEvent, Polled};
use crate::model::ExportedContact;
use crate::store::{Location, Store};
use crate::view::StatusLine;
use chrono::NaiveDateTime;
use std::path::PathBuf;

/// A report export's progress (steps done, of how many, and what is next: "Laying out the
/// PDF…") and result (the file written and the sentence saying so).
pub(super) type ReportEvent = JobEvent<(usize, usize, String), Result<(PathBuf, String), String>>;

/// What an export thread that ended without a result (it panicked) leaves.
const EXPORT_VANISHED: &str = "The export stopped unexpectedly; no file was written.";

/// A timeline report being gathered, rendered and written on its own thread.
pub(super) struct ReportJob {
    receiver: std::sync::mpsc::Receiver<ReportEvent>,
    cancel: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

/// Runs the export steps on the export thread: gather (when `data` is not given yet),
/// render, write. Stops between steps when `cancel` is set; nothing is written then.
#[allow(clippy::too_many_arguments)]
pub(super) fn run_report_export(
    location: Option<Location>,
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
    let data = match (data, location) {
        (Some(data), _) => data,
        (None, Some(location)) => {
            progress(0, "Gathering the timeline…".to_owned());
            let store = Store::open_at(&location).map_err(|e| e.to_string())?;
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
pub(super) fn run_contact_export(
    location: Option<Location>,
    contacts: Option<Vec<ExportedContact>>,
    scope: crate::model::ReportScope,
    format: crate::report::contacts::ContactFormat,
    path: PathBuf,
) -> Result<String, String> {
    let contacts = match (contacts, location) {
        (Some(contacts), _) => contacts,
        (None, Some(location)) => Store::open_at(&location)
            .and_then(|store| store.exported_contacts(&scope))
            .map_err(|e| e.to_string())?,
        (None, None) => return Err("There is no database to export from.".to_owned()),
    };
    if contacts.is_empty() {
        return Err(crate::files::nobody_to_export(&scope));
    }
    crate::files::write_contacts(&contacts, format, &path).map_err(|e| format!("{e:#}"))
}

/// Asks the system's save dialog where to write a `filter`/`extension` file, starting from the
/// file name typed in `typed` (else `stem.extension`). With no desktop portal the dialog returns
/// `None` and the typed path stays.
pub(super) fn pick_save_path(
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
pub(super) fn default_save_folder() -> PathBuf {
    directories::UserDirs::new()
        .map(|d| {
            d.document_dir()
                .map(|p| p.to_path_buf())
                .unwrap_or_else(|| d.home_dir().to_path_buf())
        })
        .unwrap_or_default()
}

/// Opens a file in the program the desktop uses for it, without waiting for that program.
pub(super) fn open_in_system_viewer(path: &std::path::Path) -> std::io::Result<()> {
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

impl RapportApp {
    /// Collects the export thread's progress and result.
    pub(super) fn poll_report(&mut self) {
        let Some(job) = &self.report_job else {
            return;
        };
        let polled = jobs::drain(&job.receiver, |(done, total, next)| {
            if let Some(dialog) = &mut self.view.export_report {
                dialog.progress = Some((done, total, next));
            }
        });
        let result = match polled {
            Polled::Running => return,
            Polled::Finished(result) => result,
            Polled::Vanished => Err(EXPORT_VANISHED.to_owned()),
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
    pub(super) fn poll_contact_export(&mut self) {
        let Some(receiver) = &self.contact_export_job else {
            return;
        };
        let result = match jobs::poll_result(receiver) {
            Polled::Running => return,
            Polled::Finished(result) => result,
            Polled::Vanished => Err(EXPORT_VANISHED.to_owned()),
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

    /// `Command::OpenExportReport`: open the timeline report dialog, on this scope (else the
    /// selected contact).
    pub(super) fn open_export_report(&mut self, scope: Option<crate::model::ReportScope>) {
        let Some(store) = &mut self.store else { return };
        if self.view.export_report.is_some() {
            return;
        }
        // Most reports are PDFs: find the fonts while the user chooses.
        let _ = crate::report::pdf::warm_up();
        let folder = default_save_folder();
        let selected = self.view.selected.as_ref();
        let contact = selected.map(|s| (s.contact.id, s.contact.draft.display_name.clone()));
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
                crate::view::export_dialog::ScopeChoice::Organization
            }
            Some(crate::model::ReportScope::Everyone) => {
                crate::view::export_dialog::ScopeChoice::Everyone
            }
            Some(crate::model::ReportScope::Tag(_)) => crate::view::export_dialog::ScopeChoice::Tag,
            // (Nothing opens the timeline report on chosen contacts yet.)
            Some(
                crate::model::ReportScope::Contact(_) | crate::model::ReportScope::Contacts(_),
            )
            | None => {
                if selected.is_some_and(|s| s.organization.is_some()) && scope.is_none() {
                    crate::view::export_dialog::ScopeChoice::Organization
                } else if contact.is_some() {
                    crate::view::export_dialog::ScopeChoice::Contact
                } else {
                    crate::view::export_dialog::ScopeChoice::Everyone
                }
            }
        };
        let mut dialog =
            crate::view::export_dialog::ExportDialog::new(choice, contact, organization, &folder);
        if let Some(crate::model::ReportScope::Tag(tag)) = scope {
            dialog.tag = tag;
        }
        self.view.export_report = Some(dialog);
    }

    /// `Command::PickReportPath`: ask the system file dialog where to save the report.
    pub(super) fn pick_report_path(&mut self) {
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

    /// `Command::StartReportExport`: gather, render and write a report on the export thread.
    pub(super) fn start_report_export(
        &mut self,
        request: crate::model::ReportRequest,
        format: crate::report::ReportFormat,
        path: PathBuf,
        now: NaiveDateTime,
        ctx: &egui::Context,
    ) {
        let Some(store) = &mut self.store else { return };
        if self.report_job.is_some() {
            return;
        }
        let (sender, receiver) = std::sync::mpsc::channel();
        let cancel = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        // On a file or a team database the thread gathers with its own connection (WAL
        // lets the window keep reading a file); an in-memory database can only be read
        // here, so the thread then renders and writes what was gathered.
        let location = store.location();
        let data = match location {
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
        let spawned = std::thread::Builder::new()
            .name("export".to_owned())
            .spawn(move || {
                let progress = |done: usize, next: String| {
                    let _ = sender.send(ReportEvent::Progress((done, 3, next)));
                    repaint.request_repaint();
                };
                let result = run_report_export(
                    location, data, request, format, path, now, &cancelled, &progress,
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

    /// `Command::CancelReportExport`: stop a running report export; no file is written.
    pub(super) fn cancel_report_export(&mut self) {
        if let Some(job) = &self.report_job {
            job.cancel.store(true, std::sync::atomic::Ordering::Relaxed);
        }
    }

    /// `Command::OpenExportedFile`: open a written report in the system's viewer.
    pub(super) fn open_exported_file(&mut self, path: PathBuf) {
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

    /// `Command::OpenExportContacts`: open File ▸ Export contacts.
    pub(super) fn open_export_contacts(&mut self) {
        if self.view.contact_export.is_none() {
            let organization = self.view.selected.as_ref().and_then(|s| {
                s.contact
                    .organization_id
                    .map(|id| (id, s.contact.draft.organization.clone()))
            });
            self.view.contact_export =
                Some(crate::view::export_contacts::ContactExportDialog::new(
                    organization,
                    &default_save_folder(),
                ));
        }
    }

    /// `Command::PickContactExportPath`: ask the system file dialog where to save the contacts.
    pub(super) fn pick_contact_export_path(&mut self) {
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

    /// `Command::StartContactExport`: gather the contacts in `scope` and write them in `format` on
    /// the export thread.
    pub(super) fn start_contact_export(
        &mut self,
        scope: crate::model::ReportScope,
        format: crate::report::contacts::ContactFormat,
        path: PathBuf,
        ctx: &egui::Context,
    ) {
        let Some(store) = &mut self.store else { return };
        if self.contact_export_job.is_some() {
            return;
        }
        // On a file or a team database the thread reads with its own connection; an
        // in-memory database can only be read here, and the thread then only writes.
        let location = store.location();
        let contacts = match location {
            Some(_) => None,
            None => match store.exported_contacts(&scope) {
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
        let spawned = std::thread::Builder::new()
            .name("export".to_owned())
            .spawn(move || {
                let result = run_contact_export(location, contacts, scope, format, path);
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

    /// `Command::ExportCalendar`: open the calendar export dialog.
    pub(super) fn export_calendar(&mut self) {
        let folder = default_save_folder();
        self.view.calendar_export = Some(crate::view::export_calendar::CalendarExport {
            path: folder.join("rapport-follow-ups.ics").display().to_string(),
            error: None,
        });
    }

    /// `Command::PickCalendarPath`: ask the system file dialog where to save the calendar.
    pub(super) fn pick_calendar_path(&mut self) {
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

    /// `Command::ExportCalendarTo`: write the calendar file here.
    pub(super) fn export_calendar_to(&mut self, path: PathBuf, now: NaiveDateTime) {
        let Some(store) = &mut self.store else { return };
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
