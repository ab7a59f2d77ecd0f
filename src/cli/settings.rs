//! `rapport settings`: list the settings, set the calendar's reminder lead time, and choose the
//! calendar file Rapport keeps up to date (for calendar apps that subscribe to a file). Also the
//! rewrite of that file after a command changed follow-ups or birthdays.

use super::{Command, FollowupCommand, SettingsCommand};
use crate::files::{self, ALARM_MINUTES, CALENDAR_FILE};
use crate::store::Store;
use anyhow::{Context as _, Result, bail};
use std::io::Write;
use std::path::Path;

/// The longest reminder lead time taken: a week. More is surely a typo (minutes for hours).
const MAX_ALARM_MINUTES: u32 = 7 * 24 * 60;

/// `rapport settings [alarm-minutes N | calendar-file PATH|none]`.
pub(super) fn run(
    store: &mut Store,
    command: Option<SettingsCommand>,
    out: &mut dyn Write,
) -> Result<()> {
    match command {
        None => list(store, out),
        Some(SettingsCommand::AlarmMinutes { minutes }) => set_alarm_minutes(store, &minutes, out),
        Some(SettingsCommand::CalendarFile { path }) => set_calendar_file(store, &path, out),
        Some(SettingsCommand::MyAddresses { addresses }) => {
            super::import_conversations::set_my_addresses(store, &addresses, out)
        }
    }
}

/// Every setting with its value, one a line.
fn list(store: &Store, out: &mut dyn Write) -> Result<()> {
    let file = files::calendar_file(store)
        .map(|path| path.display().to_string())
        .unwrap_or_else(|| "none".to_owned());
    writeln!(out, "alarm-minutes  {}", files::alarm_minutes(store))?;
    writeln!(out, "calendar-file  {file}")?;
    // Listed once set (`rapport settings my-addresses` sets them).
    let mine = store.my_addresses()?;
    if !mine.is_empty() {
        writeln!(out, "my-addresses   {}", mine.join(", "))?;
    }
    Ok(())
}

fn set_alarm_minutes(store: &mut Store, text: &str, out: &mut dyn Write) -> Result<()> {
    let minutes: u32 = match text.trim().parse() {
        Ok(minutes) if minutes <= MAX_ALARM_MINUTES => minutes,
        _ => bail!(
            "\"{text}\" is not a number of minutes from 0 to {MAX_ALARM_MINUTES}; \
             write e.g. 15 (0 reminds at the follow-up's time)."
        ),
    };
    store.set_setting(ALARM_MINUTES, &minutes.to_string())?;
    writeln!(
        out,
        "Calendar apps will remind you {minutes} minutes before a timed follow-up."
    )?;
    // The kept file carries the old lead time until it is written again.
    refresh_calendar_file(store);
    Ok(())
}

fn set_calendar_file(store: &mut Store, text: &str, out: &mut dyn Write) -> Result<()> {
    if text.trim().eq_ignore_ascii_case("none") {
        store.set_setting(CALENDAR_FILE, "")?;
        writeln!(out, "Rapport no longer keeps a calendar file up to date.")?;
        return Ok(());
    }
    // Kept absolute: the window rewrites it from wherever it was started.
    let path = std::path::absolute(Path::new(text.trim()))
        .with_context(|| format!("\"{text}\" is not a file name."))?;
    if path.is_dir() {
        bail!(
            "{} is a folder; name a file in it, e.g. {}.",
            path.display(),
            path.join("rapport.ics").display()
        );
    }
    // Written once now, so a folder that cannot take it is said here and not later.
    let wrote = files::export_calendar(store, &path, chrono::Local::now().date_naive())?;
    store.set_setting(CALENDAR_FILE, &path.display().to_string())?;
    writeln!(
        out,
        "{wrote} Rapport rewrites it whenever follow-ups change."
    )?;
    Ok(())
}

/// Whether `command` may change what the calendar file holds (follow-ups, birthdays).
pub(super) fn changes_calendar(command: &Command) -> bool {
    matches!(
        command,
        Command::Followup(FollowupCommand::Add(_) | FollowupCommand::Done { .. })
            | Command::Import(_)
            | Command::UndoImport { .. }
            | Command::Demo { .. }
            | Command::Trash(_)
            | Command::Contact(super::ContactCommand::Set { .. })
            | Command::Field(_)
    )
}

/// Rewrites the kept calendar file, if one is set. The command that changed the data already
/// succeeded, so a failure is said on stderr (stdout may be JSON a script reads) and is no
/// error of the command's.
pub(super) fn refresh_calendar_file(store: &mut Store) {
    if let Some(Err(error)) = files::refresh_calendar_file(store, chrono::Local::now().date_naive())
    {
        tracing::debug!("could not update the calendar file: {error:?}");
        eprintln!("rapport: the calendar file was not updated: {error:#}");
    }
}
