//! The companion on a database file protected with a passphrase. It runs without a terminal
//! (started at login), so it never asks: it takes the passphrase from `RAPPORT_PASSPHRASE` or
//! the system keychain. When neither gives one that opens the file, it says once (a desktop
//! notification and the log) that the reminders are paused, and waits without the
//! companion's lock (so an open window sends the reminders meanwhile) until the keychain keeps
//! one: it looks again when the file changes and every `wait::SAFETY_NET`, and tries each
//! passphrase the keychain gives only once.

use super::notifier::{self, Note, Notifier as _};
use super::wait;
use crate::store::cipher::{self, Passphrase};
use crate::store::{Store, StoreError};
use anyhow::{Context as _, Result};
use std::io::IsTerminal as _;
use std::path::Path;

/// What the companion says when it cannot open the protected file at `db`.
pub fn paused(db: &Path) -> String {
    format!(
        "Rapport's reminders are paused: {} is protected with a passphrase this computer does not keep. Open Rapport and tick 'Remember it on this computer' to have reminders while it is closed.",
        db.display()
    )
}

/// Remembers `RAPPORT_PASSPHRASE` for the protected file at `db`, when it is set. A wrong one
/// is for the open to say: it was given on purpose, so it is an error, not a pause.
pub fn from_environment(db: &Path) -> Result<()> {
    if cipher::is_protected(db)
        && cipher::passphrase_for(db).is_none()
        && let Some(passphrase) = crate::cli::env_passphrase(crate::cli::PASSPHRASE_VAR)?
    {
        cipher::remember(db, passphrase);
    }
    Ok(())
}

/// Whether the companion can open the file at `db` now: it is plain, its passphrase is known,
/// or the keychain keeps one (other than `tried`, which did not open it) that opens it. A
/// keychain passphrase that does not open it is forgotten and kept in `tried`.
pub fn unlocked(db: &Path, tried: &mut Option<Passphrase>) -> bool {
    if !cipher::is_protected(db) || cipher::passphrase_for(db).is_some() {
        return true;
    }
    let Some(passphrase) = crate::credentials::saved_passphrase(db) else {
        return false;
    };
    if tried.as_ref() == Some(&passphrase) {
        return false;
    }
    cipher::remember(db, passphrase.clone());
    match Store::open(db) {
        Err(StoreError::WrongPassphrase { .. }) => {
            tracing::warn!("the keychain's passphrase does not open {}", db.display());
            cipher::forget(db);
            *tried = Some(passphrase);
            false
        }
        // Any other trouble is the companion's to report when it opens the file.
        _ => true,
    }
}

/// Shows, as a desktop notification, that the reminders are paused (see `paused`).
pub fn notify_paused(db: &Path) {
    notifier::Desktop::once().notify(&Note {
        kind: "paused",
        follow_ups: Vec::new(),
        contact: crate::model::ContactId(0),
        title: "Rapport's reminders are paused".to_owned(),
        body: paused(db),
    });
}

/// For `--once`: the paused sentence as an error when the file cannot be opened now (shown
/// on the desktop too when there is no terminal: a scheduler that started it reads no error).
pub fn unlocked_once(db: &Path) -> Result<()> {
    if unlocked(db, &mut None) {
        return Ok(());
    }
    if !std::io::stdin().is_terminal() {
        notify_paused(db);
    }
    anyhow::bail!("{}", paused(db))
}

/// Waits until `unlocked` says the file at `db` can be opened, announcing the pause once
/// when it cannot at first.
pub fn wait_until_unlocked(db: &Path) -> Result<()> {
    let mut tried = None;
    if unlocked(db, &mut tried) {
        return Ok(());
    }
    tracing::warn!("{}", paused(db));
    notify_paused(db);
    let (wakes, woken) = std::sync::mpsc::channel();
    let _watch = wait::watch_database(db, wakes.clone())
        .with_context(|| format!("Could not watch {} for changes.", db.display()))?;
    let alarm = wait::Alarm::start(wakes).context("Could not set the reminders' alarm.")?;
    loop {
        let at = chrono::Utc::now() + wait::SAFETY_NET;
        let _ = wait::next_wakes(&alarm, &woken, at);
        if unlocked(db, &mut tried) {
            tracing::info!(
                "the keychain keeps the passphrase of {} now; reminding again",
                db.display()
            );
            return Ok(());
        }
    }
}
