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

/// The setting with how many minutes before a timed follow-up the calendar app reminds.
pub const ALARM_MINUTES: &str = "alarm_minutes";
/// The setting with the `.ics` file kept up to date whenever follow-ups change (unset: none).
pub const CALENDAR_FILE: &str = "calendar_file";
/// Where a database's own part of every calendar `UID` is kept once made.
const CALENDAR_UID_DOMAIN: &str = "calendar_uid_domain";
/// The reminder lead time when none was set.
pub const DEFAULT_ALARM_MINUTES: u32 = 15;

/// The reminder lead time in minutes (the setting, or 15).
pub fn alarm_minutes(store: &Store) -> u32 {
    store
        .setting(ALARM_MINUTES)
        .and_then(|text| text.parse().ok())
        .unwrap_or(DEFAULT_ALARM_MINUTES)
}

/// The calendar file to keep up to date, when one was chosen.
pub fn calendar_file(store: &Store) -> Option<std::path::PathBuf> {
    store
        .setting(CALENDAR_FILE)
        .filter(|path| !path.is_empty())
        .map(std::path::PathBuf::from)
}

/// This database's part of every calendar `UID` ("3f9a…c2.rapport.local"), made at random on
/// the first export and kept in the settings, so it survives renames, moves and backups (a
/// restored backup keeps its events' identities) while two databases never share one.
fn calendar_uid_domain(store: &mut Store) -> Result<String> {
    if let Some(domain) = store.setting(CALENDAR_UID_DOMAIN) {
        return Ok(domain);
    }
    let domain = format!("{:012x}.rapport.local", fastrand::u64(..) >> 16);
    store.set_setting(CALENDAR_UID_DOMAIN, &domain)?;
    Ok(domain)
}

/// What a calendar file holds, read from the store in one go; rendering and writing it need no
/// store, so the window can leave them (and the disk's sync) to a thread.
pub struct CalendarData {
    follow_ups: Vec<crate::model::DueFollowUp>,
    /// Settled in the last `SETTLED_DAYS` days: their events are cancelled.
    settled: Vec<crate::model::DueFollowUp>,
    reschedules: std::collections::HashMap<crate::model::FollowUpId, u32>,
    birthdays: Vec<crate::report::ics::BirthdayEntry>,
    options: crate::report::ics::CalendarOptions,
}

/// How long a settled follow-up's event stays in the file as cancelled: long enough for any
/// calendar that imports or subscribes to the file to see it.
const SETTLED_DAYS: i64 = 90;

/// Reads open follow-ups, those settled lately, their reschedule counts and birthdays,
/// stamped `stamp`.
pub fn gather_calendar(
    store: &mut Store,
    stamp: chrono::DateTime<chrono::Utc>,
) -> Result<CalendarData> {
    let options = crate::report::ics::CalendarOptions {
        alarm_minutes: alarm_minutes(store),
        uid_domain: calendar_uid_domain(store)?,
        stamp,
    };
    let birthdays = store
        .birthdays()?
        .into_iter()
        .map(|(id, name, birthday)| crate::report::ics::BirthdayEntry {
            contact_id: id.0,
            name,
            birthday,
        })
        .collect();
    let since = chrono::Local::now().naive_local() - chrono::Duration::days(SETTLED_DAYS);
    let settled = store.settled_follow_ups_since(since)?;
    let mut reschedules = store.open_follow_up_reschedules()?;
    for item in &settled {
        let moved = store.reschedule_count(item.follow_up.id)?;
        reschedules.insert(item.follow_up.id, u32::try_from(moved).unwrap_or(u32::MAX));
    }
    Ok(CalendarData {
        follow_ups: store.open_follow_ups_until(chrono::NaiveDate::MAX)?,
        settled,
        reschedules,
        birthdays,
        options,
    })
}

/// Renders gathered calendar data and writes it atomically; returns a sentence saying what was
/// written. `today` decides the first year of birthdays without a year.
pub fn write_calendar(
    data: &CalendarData,
    path: &Path,
    today: chrono::NaiveDate,
) -> Result<String> {
    let text = crate::report::ics::calendar_cancelling(
        &data.follow_ups,
        &data.settled,
        &data.reschedules,
        &data.birthdays,
        today,
        &data.options,
    );
    write_atomically(path, text.as_bytes())?;
    Ok(format!(
        "Wrote {} follow-ups and {} birthdays to {}.",
        data.follow_ups.len(),
        data.birthdays.len(),
        path.display()
    ))
}

/// Writes open follow-ups and birthdays to an iCalendar file; returns a sentence saying what
/// was written.
pub fn export_calendar(store: &mut Store, path: &Path, today: chrono::NaiveDate) -> Result<String> {
    let data = gather_calendar(store, chrono::Utc::now())?;
    write_calendar(&data, path, today)
}

/// Rewrites the calendar file of the `calendar_file` setting, if any, after the command line
/// changed follow-ups or birthdays. `None` when no file is kept.
pub fn refresh_calendar_file(
    store: &mut Store,
    today: chrono::NaiveDate,
) -> Option<Result<String>> {
    let path = calendar_file(store)?;
    Some(export_calendar(store, &path, today))
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
    contacts: &[crate::model::ExportedContact],
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
        ReportScope::Contacts(_) => {
            "None of the chosen contacts is there any more (in the trash, or deleted); nothing was written."
                .to_owned()
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
    let contacts = store.exported_contacts(scope)?;
    if contacts.is_empty() {
        anyhow::bail!("{}", nobody_to_export(scope));
    }
    write_contacts(&contacts, format, path)
}
