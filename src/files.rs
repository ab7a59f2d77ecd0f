//! Writing the files Rapport hands to people (calendars, reports, contacts): always through a
//! temporary file and a rename, so a crash or a full disk never leaves half a file where a good
//! one was.

use crate::store::Store;
use anyhow::Result;
use std::io::Write as _;
use std::path::Path;

/// Writes `bytes` to `path` atomically: into a new file beside it, synced, then renamed over
/// it. A failure is one sentence with the reason in words, and leaves any old file as it was.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut tmp = temp_file_beside(path)?;
    let written = tmp.write_all(bytes).and_then(|()| tmp.as_file().sync_all());
    written
        .map_err(|e| anyhow::anyhow!("Could not write {} ({}).", path.display(), io_reason(&e)))?;
    tmp.persist(path).map_err(|e| {
        anyhow::anyhow!(
            "Could not save {} ({}).",
            path.display(),
            io_reason(&e.error)
        )
    })?;
    Ok(())
}

/// A new, empty file in the folder `path` is to be written in (deleted when dropped), or a
/// sentence saying why the folder cannot take one.
fn temp_file_beside(path: &Path) -> Result<tempfile::NamedTempFile> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    tempfile::NamedTempFile::new_in(dir).map_err(|e| {
        anyhow::anyhow!(
            "Could not write in {} ({}); choose another folder.",
            dir.display(),
            io_reason(&e)
        )
    })
}

/// Checks that a file can be written beside `path` before the slow work of making it, so a
/// missing or read-only folder is said at once rather than after the report is laid out.
pub fn check_folder(path: &Path) -> Result<()> {
    temp_file_beside(path).map(drop)
}

/// Why a file could not be written, in words a user acts on.
fn io_reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match e.kind() {
        ErrorKind::NotFound => "the folder does not exist".to_owned(),
        ErrorKind::PermissionDenied => {
            "you are not allowed to write there, or the file is open in another program".to_owned()
        }
        ErrorKind::StorageFull => "the disk is full".to_owned(),
        ErrorKind::ReadOnlyFilesystem => "the disk is read-only".to_owned(),
        ErrorKind::IsADirectory => "that name is a folder".to_owned(),
        ErrorKind::NotADirectory => "part of the path is a file, not a folder".to_owned(),
        _ => e.to_string(),
    }
}

/// Writes open follow-ups and birthdays to an iCalendar file; returns a sentence saying what
/// was written.
pub fn export_calendar(store: &Store, path: &Path, today: chrono::NaiveDate) -> Result<String> {
    let items = store.open_follow_ups_until(chrono::NaiveDate::MAX)?;
    let birthdays: Vec<crate::report::ics::BirthdayEntry> = store
        .birthdays()?
        .into_iter()
        .map(|(id, name, birthday)| crate::report::ics::BirthdayEntry {
            contact_id: id.0,
            name,
            birthday,
        })
        .collect();
    let text = crate::report::ics::calendar(&items, &birthdays, today);
    write_atomically(path, text.as_bytes())?;
    Ok(format!(
        "Wrote {} follow-ups and {} birthdays to {}.",
        items.len(),
        birthdays.len(),
        path.display()
    ))
}

/// The name a report is signed with: "Rapport 0.1.0 (a1b2c3d)".
pub fn report_generator() -> String {
    format!(
        "Rapport {} ({})",
        crate::build_info::VERSION,
        crate::build_info::GIT_HASH
    )
}

/// Builds the report from gathered data, renders it in `format` and writes it atomically;
/// returns a sentence saying what was written. Pure apart from the file.
pub fn write_report(
    data: crate::model::ReportData,
    request: &crate::model::ReportRequest,
    format: crate::report::ReportFormat,
    path: &Path,
    now: chrono::NaiveDateTime,
) -> Result<String> {
    let report = crate::report::build(data, request, now, &report_generator());
    let bytes = crate::report::render(&report, format)?;
    write_atomically(path, &bytes)?;
    let n = report.entries.len();
    Ok(format!(
        "Wrote the timeline of {} ({} {}) to {}.",
        report.header.subject,
        n,
        if n == 1 { "entry" } else { "entries" },
        path.display()
    ))
}

/// Gathers, renders and writes a timeline report, once the folder is known to take the file.
pub fn export_report(
    store: &Store,
    request: &crate::model::ReportRequest,
    format: crate::report::ReportFormat,
    path: &Path,
    now: chrono::NaiveDateTime,
) -> Result<String> {
    check_folder(path)?;
    let data = store.report_data(request)?;
    write_report(data, request, format, path, now)
}

/// Renders contacts in `format` and writes them atomically; returns a sentence saying what was
/// written. Pure apart from the file: the window calls it on its export thread.
pub fn write_contacts(
    contacts: &[crate::model::ContactDraft],
    format: crate::report::contacts::ContactFormat,
    path: &Path,
) -> Result<String> {
    let bytes = crate::report::contacts::render(contacts, format)?;
    write_atomically(path, &bytes)?;
    let n = contacts.len();
    Ok(format!(
        "Wrote {n} {} as {} to {}.",
        if n == 1 { "contact" } else { "contacts" },
        format.label(),
        path.display()
    ))
}

/// The sentence for a contact export whose scope holds nobody.
pub fn nobody_to_export(scope: &crate::model::ReportScope) -> String {
    use crate::model::ReportScope;
    match scope {
        ReportScope::Tag(tag) => {
            format!("Nobody is tagged \"{}\"; nothing was written.", tag.trim())
        }
        ReportScope::Organization(_) => {
            "Nobody works at that organization; nothing was written.".to_owned()
        }
        ReportScope::Contact(_) | ReportScope::Everyone => {
            "There are no contacts to export; nothing was written.".to_owned()
        }
    }
}

/// Gathers the contacts in `scope` and writes them in `format` (vCard or Google CSV); a scope
/// that holds nobody writes no file and says so.
pub fn export_contacts(
    store: &Store,
    scope: &crate::model::ReportScope,
    format: crate::report::contacts::ContactFormat,
    path: &Path,
) -> Result<String> {
    let contacts = store.contacts_for_export(scope)?;
    if contacts.is_empty() {
        anyhow::bail!("{}", nobody_to_export(scope));
    }
    write_contacts(&contacts, format, path)
}
