//! A database file protected with a passphrase, on the command line: where a command finds
//! the passphrase before it opens the file (`unlock`), and `rapport protect` / `unprotect`.
//!
//! The passphrase is never an argument (it would be in the shell's history and in every
//! process listing): it comes from `RAPPORT_PASSPHRASE`, from the system keychain when it
//! keeps one, or is typed at the terminal without echo. A changed one comes from
//! `RAPPORT_NEW_PASSPHRASE` or is typed twice.

use crate::credentials;
use crate::store::cipher::{self, Passphrase, Rewritten};
use crate::store::{Location, Store};
use anyhow::{Result, bail};
use std::io::{IsTerminal as _, Write};
use std::path::Path;

/// The variable holding the passphrase of the database file.
pub const PASSPHRASE_VAR: &str = "RAPPORT_PASSPHRASE";

/// The variable holding the new passphrase when `rapport protect` changes it.
pub const NEW_PASSPHRASE_VAR: &str = "RAPPORT_NEW_PASSPHRASE";

/// What `protect` and `unprotect` say on a team database.
const TEAM_DATABASE: &str = "A team database is protected by its server, not with a passphrase; `rapport protect` and `rapport unprotect` work on a database file.";

/// The passphrase in the environment variable `var`: none when it is not set, a sentence when
/// it is set but empty or not text.
pub fn env_passphrase(var: &str) -> Result<Option<Passphrase>> {
    let Some(value) = std::env::var_os(var) else {
        return Ok(None);
    };
    let Some(text) = value.into_string().ok() else {
        bail!("{var} is not text; set it to the passphrase as typed.");
    };
    match Passphrase::new(text) {
        Some(passphrase) => Ok(Some(passphrase)),
        None => bail!("{var} is set but empty; an empty passphrase opens and protects nothing."),
    }
}

/// Before a command opens the database file `location` names: when the file is protected and
/// this process knows no passphrase for it, the passphrase from `RAPPORT_PASSPHRASE`, else the
/// keychain's, else one typed at the terminal is remembered for the process. Without a
/// terminal to ask at, a sentence says how to give it. Whether it is the right one is for the
/// open to say (`StoreError::WrongPassphrase`).
pub fn unlock(location: &Location) -> Result<()> {
    let Some(path) = location.file() else {
        return Ok(());
    };
    if !cipher::is_protected(path) || cipher::passphrase_for(path).is_some() {
        return Ok(());
    }
    let passphrase = match env_passphrase(PASSPHRASE_VAR)? {
        Some(passphrase) => passphrase,
        None => match credentials::saved_passphrase(path) {
            Some(passphrase) => passphrase,
            None => typed(&format!("Passphrase for {}: ", path.display()), path)?,
        },
    };
    cipher::remember(path, passphrase);
    Ok(())
}

/// A passphrase typed at the terminal after `prompt`, without echo; a sentence when there is
/// no terminal to ask at, or nothing was typed.
fn typed(prompt: &str, path: &Path) -> Result<Passphrase> {
    if !std::io::stdin().is_terminal() {
        bail!(
            "{} is protected with a passphrase, and none was given: set {PASSPHRASE_VAR} to it, or run the command in a terminal to type it. Nothing was changed.",
            path.display()
        );
    }
    let text = rpassword::prompt_password(prompt)?;
    Passphrase::new(text)
        .ok_or_else(|| anyhow::anyhow!("No passphrase was typed; nothing was changed."))
}

/// The new passphrase for the file at `path`: from the variable `var`, or typed twice at the
/// terminal. A mismatch, an empty one or no way to ask is refused in a sentence.
fn new_passphrase(var: &str, path: &Path) -> Result<Passphrase> {
    if let Some(passphrase) = env_passphrase(var)? {
        return Ok(passphrase);
    }
    if !std::io::stdin().is_terminal() {
        bail!(
            "No new passphrase for {} was given: set {var} to it, or run the command in a terminal to type it. Nothing was changed.",
            path.display()
        );
    }
    let first = zeroize::Zeroizing::new(rpassword::prompt_password("New passphrase: ")?);
    let second = zeroize::Zeroizing::new(rpassword::prompt_password("Repeat it: ")?);
    if first != second {
        bail!("The two passphrases differ; nothing was changed.");
    }
    Passphrase::new(first.as_str()).ok_or_else(|| {
        anyhow::anyhow!("An empty passphrase protects nothing; nothing was changed.")
    })
}

/// The database file `location` names; a sentence for a team database.
fn file_of(location: &Location) -> Result<&Path> {
    match location.file() {
        Some(path) => Ok(path),
        None => bail!("{TEAM_DATABASE}"),
    }
}

/// `rapport protect [--remember]`: protects a plain file with a new passphrase, or changes the
/// passphrase of a protected one (its current one found by `unlock` first), with its backups;
/// `remember` keeps it in the system keychain too, as does a keychain that kept the old one.
pub fn protect(location: &Location, remember: bool, out: &mut dyn Write) -> Result<()> {
    let path = file_of(location)?;
    let changing = cipher::is_protected(path);
    let kept_before = changing && credentials::saved_passphrase(path).is_some();
    let var = if changing {
        NEW_PASSPHRASE_VAR
    } else {
        PASSPHRASE_VAR
    };
    // The current passphrase is checked before a new one is asked for.
    let mut store = Store::open(path)?;
    let new = new_passphrase(var, path)?;
    if changing && cipher::passphrase_for(path).as_ref() == Some(&new) {
        bail!(
            "That is the passphrase {} has already; nothing was changed.",
            path.display()
        );
    }
    let done = store.set_passphrase(Some(new.clone()))?;
    drop(store);
    say_protected(path, changing, done.backups, out)?;
    write_left(&done, out)?;
    if remember || kept_before {
        keep_in_keychain(path, &new, out)?;
    }
    Ok(())
}

/// `rapport unprotect`: removes the passphrase of the file (found by `unlock` first) and of its
/// backups, and forgets the one the keychain kept.
pub fn unprotect(location: &Location, out: &mut dyn Write) -> Result<()> {
    let path = file_of(location)?;
    if !cipher::is_protected(path) {
        bail!("{} has no passphrase to remove.", path.display());
    }
    let mut store = Store::open(path)?;
    let done = store.set_passphrase(None)?;
    drop(store);
    credentials::forget_passphrase(path);
    writeln!(
        out,
        "Removed the passphrase of {}; it and its {} are plain files again.",
        path.display(),
        backups(done.backups)
    )?;
    write_left(&done, out)
}

/// What `protect` did: the file and `count` backups are protected with the passphrase,
/// new (`changing`) or first.
fn say_protected(path: &Path, changing: bool, count: usize, out: &mut dyn Write) -> Result<()> {
    let backups = match count {
        1 => "1 backup is".to_owned(),
        n => format!("{n} backups are"),
    };
    let file = path.display();
    let done = match changing {
        true => {
            format!("Changed the passphrase of {file}; {backups} protected with the new one too.")
        }
        false => format!("Protected {file} with a passphrase; {backups} protected with it too."),
    };
    writeln!(
        out,
        "{done}\nKeep it safe: without it nobody can open the file, not even with Rapport's help."
    )?;
    Ok(())
}

/// "1 backup", "3 backups".
fn backups(count: usize) -> String {
    match count {
        1 => "1 backup".to_owned(),
        n => format!("{n} backups"),
    }
}

/// One line for each backup left as it was, with why.
fn write_left(done: &Rewritten, out: &mut dyn Write) -> Result<()> {
    for (backup, why) in &done.left {
        writeln!(out, "Left the backup {} as it was: {why}", backup.display())?;
    }
    Ok(())
}

/// Keeps `passphrase` in the keychain for the file at `path`, saying whether it could; a
/// keychain that could not leaves the protection as it is.
fn keep_in_keychain(path: &Path, passphrase: &Passphrase, out: &mut dyn Write) -> Result<()> {
    match credentials::save_passphrase(path, passphrase) {
        Ok(()) => writeln!(
            out,
            "The system keychain keeps it on this computer: Rapport and its reminders open the file without asking."
        )?,
        Err(why) => {
            // A passphrase it kept before is outdated now: better none than a wrong one.
            credentials::forget_passphrase(path);
            writeln!(out, "{why} The file is protected all the same.")?
        }
    }
    Ok(())
}
