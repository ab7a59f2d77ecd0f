//! `rapport team …`: setting up a team database, its people, and moving a local file into it.

use super::TeamCommand;
use crate::credentials;
use crate::store::team::{TeamRole, redacted};
use crate::store::{Location, Store};
use anyhow::{Result, bail};
use std::io::Write;

pub fn run(store: &mut Store, command: TeamCommand, out: &mut dyn Write) -> Result<()> {
    if store.team().is_none() {
        bail!(
            "This works on a team database: pass --db postgres://you@server/database (see `rapport team init`)."
        );
    }
    match command {
        TeamCommand::Init { .. } => unreachable_init(),
        TeamCommand::Login { .. } | TeamCommand::Logout { .. } => bail!(
            "`rapport team login URL` and `team logout URL` take the database's address themselves, not --db."
        ),
        TeamCommand::AddPerson { name, role, login } => {
            let role: TeamRole = role.parse().map_err(anyhow::Error::msg)?;
            let (login, password) = store.add_person(&name, login.as_deref(), role)?;
            say_login(store, &name, &login, &password, out)
        }
        TeamCommand::People => {
            for person in store.team_members()? {
                writeln!(out, "{}\t{}\t{}", person.name, person.login, person.role)?;
            }
            Ok(())
        }
        TeamCommand::MoveIn { file, dry_run } => move_in(store, &file, dry_run, out),
    }
}

/// `team init` is handled before a store is opened (`init`).
fn unreachable_init() -> Result<()> {
    bail!("`rapport team init URL` takes the database's address itself, not --db.")
}

/// Makes the schema at `url` and the team's first owner.
pub fn init(url: &str, owner: &str, login: Option<&str>, out: &mut dyn Write) -> Result<()> {
    if !matches!(Location::parse(url), Location::Team(_)) {
        bail!(
            "{url} is not a team database address: it looks like postgres://admin@server/database."
        );
    }
    let mut store = Store::open_team(url)?;
    let (login, password) = store.add_person(owner, login, TeamRole::Owner)?;
    writeln!(
        out,
        "The team database {} is ready (schema {}).",
        redacted(url),
        crate::store::team::PG_SCHEMA_VERSION
    )?;
    say_login(&store, owner, &login, &password, out)
}

/// Reads the password (one line of `input`), checks it by connecting to `url`, and keeps it
/// in the system keychain under the address without it.
pub fn login(url: &str, input: &mut dyn std::io::BufRead, out: &mut dyn Write) -> Result<()> {
    let Some(account) = team_account(url) else {
        bail!(
            "{url} is not a team database address with a login: it looks like postgres://you@server/database."
        );
    };
    let mut line = String::new();
    input.read_line(&mut line)?;
    let typed = line.trim_end_matches(['\r', '\n']);
    let password = if typed.is_empty() {
        match credentials::password_in(url) {
            Some(password) => password,
            None => bail!("Type the password of {account} on standard input (one line)."),
        }
    } else {
        typed.to_owned()
    };
    let Some(with_password) = credentials::with_password(url, &password) else {
        bail!("{url} names no login: it looks like postgres://you@server/database.");
    };
    // Checked before it is kept: a mistyped password is not remembered.
    Store::open_team(&with_password)?;
    credentials::save_password(url, &password).map_err(anyhow::Error::msg)?;
    writeln!(
        out,
        "Signed in: the password of {account} is kept in the system keychain, and Rapport uses it whenever the address comes without one."
    )?;
    Ok(())
}

/// Forgets the password kept in the system keychain for `url`.
pub fn logout(url: &str, out: &mut dyn Write) -> Result<()> {
    let Some(account) = team_account(url) else {
        bail!(
            "{url} is not a team database address with a login: it looks like postgres://you@server/database."
        );
    };
    if credentials::forget_password(url) {
        writeln!(
            out,
            "The password of {account} is no longer kept in the system keychain."
        )?;
    } else {
        writeln!(
            out,
            "No password of {account} was kept in the system keychain."
        )?;
    }
    Ok(())
}

fn team_account(url: &str) -> Option<String> {
    matches!(Location::parse(url), Location::Team(_))
        .then(|| credentials::account(url))
        .flatten()
}

fn say_login(
    store: &Store,
    name: &str,
    login: &str,
    password: &str,
    out: &mut dyn Write,
) -> Result<()> {
    let address = store.team().unwrap_or("postgres://server/database");
    let own = match address
        .split_once("://")
        .and_then(|(_, rest)| rest.split_once('@'))
    {
        Some((_, server)) => format!("postgres://{login}@{server}"),
        None => address.to_owned(),
    };
    writeln!(
        out,
        "{name} signs in as {login} with the password {password}"
    )?;
    writeln!(
        out,
        "Give it to them once, in person; in Rapport they choose File > Team database… and enter {own}"
    )?;
    Ok(())
}

fn move_in(
    store: &mut Store,
    file: &std::path::Path,
    dry_run: bool,
    out: &mut dyn Write,
) -> Result<()> {
    let report = store.move_in(file, dry_run)?;
    for (table, rows) in &report.rows {
        if *rows > 0 {
            writeln!(out, "{table}\t{rows}")?;
        }
    }
    if dry_run {
        writeln!(
            out,
            "Would copy {} rows from {}; nothing was changed (run again without --dry-run).",
            report.total(),
            file.display()
        )?;
    } else {
        writeln!(
            out,
            "Copied {} rows from {} in one transaction.",
            report.total(),
            file.display()
        )?;
    }
    Ok(())
}
