//! The command line: argument definitions (clap) and the commands that do not open a window.
//! Each command prints results to stdout; errors reach `main` and become one sentence on stderr.
//!
//! `args` holds every clap definition; each command group has its own file (contacts,
//! conversations, follow-ups, import, export, database, passphrase) with one handler per
//! command, and `run` only dispatches.

mod args;
mod bulk;
mod contacts;
mod conversations;
mod database;
mod duplicates;
mod export;
mod fields;
mod follow_ups;
mod import;
mod import_conversations;
mod passphrase;
mod relationships;
mod settings;
mod team;

pub use args::{
    Cli, Command, ContactAddArgs, ContactCommand, ExportArgs, ExportContactsArgs, FollowupAddArgs,
    FollowupCommand, ImportArgs, LogArgs, RemindCommand, SettingsCommand, TeamCommand,
};
pub use conversations::parse_local_time;
pub use follow_ups::parse_due;
pub use passphrase::{
    NEW_PASSPHRASE_VAR, PASSPHRASE_VAR, env_passphrase, protect, unlock, unprotect,
};

use crate::store::{Location, Store};
use anyhow::{Context as _, Result};
use std::io::Write;
use std::path::PathBuf;

/// Where the database lives when `--db` is not given.
pub fn default_db_path() -> Result<PathBuf> {
    let dirs = directories::ProjectDirs::from("", "", "Rapport")
        .context("Could not find your home folder to keep the database in; pass --db PATH.")?;
    Ok(dirs.data_dir().join("rapport.sqlite3"))
}

/// The database `--db` (or `RAPPORT_DB`) names: a `postgres://` address is a team database,
/// anything else a file; without either, the file in the user data folder.
pub fn database_location(db: Option<PathBuf>) -> Result<Location> {
    Ok(match db {
        // A path that is not UTF-8 cannot be an address: it stays a file as it was given.
        Some(path) => match path.to_str() {
            // A team address without a password gets the one kept in the keychain.
            Some(text) => crate::credentials::with_saved_password(&Location::parse(text)),
            None => Location::File(path),
        },
        None => Location::File(default_db_path()?),
    })
}

/// `rapport team init URL`: the one command that opens its own database (the address it is
/// given, not `--db`).
pub fn team_init(url: &str, owner: &str, login: Option<&str>, out: &mut dyn Write) -> Result<()> {
    team::init(url, owner, login, out)
}

/// `rapport team login URL`: the password from `input` (one line), checked by connecting, then
/// kept in the system keychain.
pub fn team_login(url: &str, input: &mut dyn std::io::BufRead, out: &mut dyn Write) -> Result<()> {
    team::login(url, input, out)
}

/// `rapport team logout URL`: forgets the password kept for URL.
pub fn team_logout(url: &str, out: &mut dyn Write) -> Result<()> {
    team::logout(url, out)
}

/// Runs a command that does not need a window.
pub fn run(store: &mut Store, command: Command, out: &mut dyn Write) -> Result<()> {
    let changes_calendar = settings::changes_calendar(&command);
    let result = match command {
        Command::Contacts { json } => contacts::list(store, json, out),
        Command::Settings { setting } => settings::run(store, setting, out),
        Command::Contact(ContactCommand::Add(args)) => contacts::add(store, args, out),
        Command::Contact(ContactCommand::Everything { id, output }) => {
            contacts::everything(store, id, &output, out)
        }
        Command::Contact(ContactCommand::Set { id, fields }) => {
            fields::set_contact(store, id, &fields, out)
        }
        Command::Field(command) => fields::run(store, command, out),
        Command::Contact(ContactCommand::Erase { id, from_backups }) => {
            contacts::erase(store, id, from_backups, out)
        }
        Command::Duplicates(args) => duplicates::list(store, args, out),
        Command::Merge(args) => duplicates::merge(store, args, out),
        Command::TagCadence { tag, days } => contacts::tag_cadence(store, &tag, &days, out),
        Command::TagColor { tag, color } => contacts::tag_color(store, &tag, &color, out),
        Command::Tag(command) => bulk::tag(store, command, out),
        Command::Stage(command) => bulk::stage(store, command, out),
        Command::Cadence(command) => bulk::cadence(store, command, out),
        Command::Trash(args) => bulk::trash(store, args, out),
        Command::Attention { json, limit } => contacts::attention(store, json, limit, out),
        Command::Log(args) => conversations::log(store, args, out),
        Command::History { contact, json } => conversations::history(store, contact, json, out),
        Command::Relate(args) => relationships::relate(store, args, out),
        Command::Unrelate { a_id, kind, b_id } => {
            relationships::unrelate(store, a_id, &kind, b_id, out)
        }
        Command::Relations { id, json } => relationships::relations(store, id, json, out),
        Command::Referrals { json } => relationships::referrals(store, json, out),
        Command::Followup(FollowupCommand::Add(args)) => follow_ups::add(store, args, out),
        Command::Followup(FollowupCommand::Done { id }) => follow_ups::done(store, id, out),
        Command::Followups { json, overdue } => follow_ups::list(store, json, overdue, out),
        Command::Import(args) => import::import(store, args, out),
        Command::Imports => import::list(store, out),
        Command::Team(command) => team::run(store, command, out),
        Command::UndoImport { batch } => import::undo(store, batch, out),
        Command::ExportIcs { output } => export::calendar(store, &output, out),
        Command::Export(args) => export::report(store, args, out),
        Command::ExportContacts(args) => export::contacts(store, args, out),
        Command::Demo {
            contacts,
            interactions,
        } => database::demo(store, contacts, interactions, out),
        Command::StressWrites { count, import } => {
            database::stress_writes(store, count, import.as_deref(), out)
        }
        Command::Backup { .. }
        | Command::Backups { .. }
        | Command::Restore { .. }
        | Command::Check
        | Command::Protect { .. }
        | Command::Unprotect
        | Command::InstallDesktop
        | Command::Remind { .. } => database::needs_no_store(),
    };
    if result.is_ok() && changes_calendar {
        settings::refresh_calendar_file(store);
    }
    result
}

/// Whether `command` opens the database `--db` names (then a protected file's passphrase is
/// needed first, see `unlock`). The reminder companion finds its own (it never asks), and the
/// commands that only list files, set up the desktop or reach the address they are given open
/// none.
pub fn opens_database(command: &Command) -> bool {
    !matches!(
        command,
        Command::Remind { .. }
            | Command::InstallDesktop
            | Command::Backups {
                erase_erased: false
            }
            | Command::Team(
                TeamCommand::Init { .. } | TeamCommand::Login { .. } | TeamCommand::Logout { .. }
            )
    )
}

/// Local wall-clock time now, the way conversations and follow-ups record it.
fn now() -> chrono::NaiveDateTime {
    chrono::Local::now().naive_local()
}

/// Writes one JSON object per item, as a pretty array, and ends the line.
fn write_json_rows<T>(
    out: &mut dyn Write,
    items: &[T],
    row: impl Fn(&T) -> serde_json::Value,
) -> Result<()> {
    write_json(out, &items.iter().map(row).collect::<Vec<_>>())
}

/// Writes `value` as pretty JSON and ends the line.
fn write_json(out: &mut dyn Write, value: &impl serde::Serialize) -> Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    writeln!(out)?;
    Ok(())
}
