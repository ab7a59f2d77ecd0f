//! Writing the files Rapport hands to people (calendars, reports): always through a temporary
//! file and a rename, so a crash or a full disk never leaves half a file where a good one was.

use crate::store::Store;
use anyhow::{Context as _, Result};
use std::io::Write as _;
use std::path::Path;

/// Writes `bytes` to `path` atomically.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir).with_context(|| {
        format!(
            "Could not write in {}; choose another folder.",
            dir.display()
        )
    })?;
    tmp.write_all(bytes)
        .with_context(|| format!("Could not write {} (is the disk full?).", path.display()))?;
    tmp.as_file().sync_all()?;
    tmp.persist(path)
        .with_context(|| format!("Could not save {}.", path.display()))?;
    Ok(())
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
