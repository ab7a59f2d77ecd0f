//! File ▸ Remind me even when Rapport is closed, and the question asked once, after the first
//! timed follow-up: the window runs this binary's `rapport --db FILE remind install` (or
//! `uninstall`), which writes the login entry of the desktop and starts the companion
//! (`crate::remind`), and says in the status line what it did.

use super::RapportApp;
use crate::model::FollowUpDraft;
use crate::store::Location;
use std::ffi::OsString;
use std::path::PathBuf;

/// The binary the window runs for `remind install` / `uninstall`, and what its environment
/// adds (tests point it at the built `rapport` and a folder of their own).
#[derive(Debug, Clone)]
pub struct RemindSetup {
    pub exe: Option<PathBuf>,
    pub env: Vec<(OsString, OsString)>,
}

impl Default for RemindSetup {
    fn default() -> Self {
        Self {
            exe: std::env::current_exe().ok(),
            env: Vec::new(),
        }
    }
}

impl RemindSetup {
    /// Runs `remind install` (on) or `remind uninstall` for the file `db`; its sentence.
    fn run(&self, on: bool, db: &std::path::Path) -> Result<String, String> {
        let exe = self
            .exe
            .as_ref()
            .ok_or("Could not find the rapport program to start the reminders.")?;
        let output = std::process::Command::new(exe)
            .arg("--db")
            .arg(db)
            .args(["remind", if on { "install" } else { "uninstall" }])
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .stdin(std::process::Stdio::null())
            .output()
            .map_err(|e| format!("Could not run {}: {e}", exe.display()))?;
        let said = |bytes: &[u8]| String::from_utf8_lossy(bytes).trim().to_owned();
        if output.status.success() {
            Ok(said(&output.stdout))
        } else {
            Err(said(&output.stderr)
                .trim_start_matches("rapport: ")
                .to_owned())
        }
    }
}

impl RapportApp {
    /// Points the reminder setup at another binary and environment (tests).
    pub fn set_remind_setup(&mut self, exe: PathBuf, env: Vec<(OsString, OsString)>) {
        self.remind_setup = RemindSetup {
            exe: Some(exe),
            env,
        };
    }

    /// `Command::SetRemindWhenClosed`.
    pub(super) fn set_remind_when_closed(&mut self, on: bool) {
        self.view.remind_question = false;
        let Some(Location::File(db)) = self.store.as_ref().and_then(|s| s.location()) else {
            return self.report(Err(crate::store::StoreError::Invalid(
                crate::remind::TEAM_DATABASE.to_owned(),
            )));
        };
        match self.remind_setup.run(on, &db) {
            Ok(sentence) => {
                // The command's sentence names the files; the status line has room for less.
                tracing::info!("{sentence}");
                self.view.prefs.remind_when_closed = Some(on);
                self.report(Ok(if on {
                    "Reminders now come even when Rapport is closed; they start when you log in."
                } else {
                    "Reminders now come only while Rapport is open."
                }
                .to_owned()));
            }
            Err(sentence) => self.report(Err(crate::store::StoreError::Invalid(sentence))),
        }
    }

    /// After a follow-up was made: the first one with a time asks, once, whether Rapport may
    /// remind with the window closed (on a local file, when nothing does it yet).
    pub(super) fn maybe_ask_to_remind(&mut self, draft: &FollowUpDraft) {
        let local = matches!(
            self.store.as_ref().and_then(|s| s.location()),
            Some(Location::File(ref db)) if !crate::remind::companion_running(db)
        );
        if draft.due_time.is_some() && local && self.view.prefs.remind_when_closed.is_none() {
            self.view.remind_question = true;
        }
    }
}
