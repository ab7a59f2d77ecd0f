//! File ▸ Team database, app side: the dialog offers the last address used (never its
//! password), the connection is made on an `open-team-database` thread (a server can take
//! seconds to answer, or the connect timeout to pass), and when it answers the window starts
//! afresh on the team database. A failure is said in the dialog and the window keeps the
//! database it had.

use super::RapportApp;
use super::jobs::{Polled, poll_result};
use crate::store::{Location, Store, StoreError};
use crate::view::team_dialog::{TeamDialog, without_password};
use std::sync::mpsc::Receiver;

/// A team database being connected to on its own thread.
pub(super) struct TeamConnect {
    location: Location,
    receiver: Receiver<Result<Connected, StoreError>>,
}

/// The store connected to, at the address used (with the keychain's password when none was
/// typed), and whether the password typed (if one was) was kept in the system keychain.
type Connected = (Store, Location, Option<Result<(), String>>);

impl RapportApp {
    /// `Command::OpenTeamDialog`: the dialog, offering the last team address used.
    pub(super) fn open_team_dialog(&mut self) {
        if self.view.team_dialog.is_some() {
            return;
        }
        let remembered = self
            .view
            .prefs
            .team_database
            .clone()
            .or_else(|| match &self.location {
                Some(Location::Team(url)) => Some(without_password(url)),
                _ => None,
            });
        self.view.team_dialog = Some(TeamDialog::new(remembered.as_deref()));
    }

    /// `Command::ConnectTeam`: connect to `location` on a thread; `poll_team_connect` switches
    /// the window when it answers.
    pub(super) fn connect_team(&mut self, location: Location, ctx: &egui::Context) {
        if self.team_connect.is_some() {
            return;
        }
        let (sender, receiver) = std::sync::mpsc::channel();
        let repaint = ctx.clone();
        let to_open = location.clone();
        let spawned = std::thread::Builder::new()
            .name("open-team-database".to_owned())
            .spawn(move || {
                let used = crate::credentials::with_saved_password(&to_open);
                let connected = Store::open_at(&used).map(|store| {
                    // A password that let us in is kept for the next time; the keychain may
                    // take a moment over D-Bus, so it is asked here, off the window's thread.
                    let kept = match &to_open {
                        Location::Team(url) => crate::credentials::password_in(url)
                            .map(|password| crate::credentials::save_password(url, &password)),
                        Location::File(_) => None,
                    };
                    (store, used, kept)
                });
                // The window may have given up meanwhile; then nobody is left to tell.
                sender.send(connected).ok();
                repaint.request_repaint();
            });
        let Some(dialog) = &mut self.view.team_dialog else {
            return;
        };
        match spawned {
            Ok(_) => {
                dialog.connecting = true;
                dialog.error = None;
                self.team_connect = Some(TeamConnect { location, receiver });
            }
            Err(error) => dialog.error = Some(format!("Could not start connecting ({error}).")),
        }
    }

    /// Collects the connection when its thread answers: switches to the team database, or
    /// says why not in the dialog. Returns true while it is still being made.
    pub(super) fn poll_team_connect(&mut self) -> bool {
        let Some(job) = &self.team_connect else {
            return false;
        };
        let result = match poll_result(&job.receiver) {
            Polled::Running => return true,
            Polled::Finished(result) => result,
            Polled::Vanished => Err(StoreError::Invalid(
                "Connecting stopped unexpectedly; the details are in rapport.log in Rapport's data folder."
                    .to_owned(),
            )),
        };
        let Some(job) = self.team_connect.take() else {
            return false;
        };
        // Cancelled while connecting: the connection is dropped, the window stays as it is.
        let Some(dialog) = &mut self.view.team_dialog else {
            return false;
        };
        match result {
            Ok((store, used, kept)) => self.switch_to_team(store, used, kept),
            Err(error) => {
                tracing::warn!(
                    "could not connect to {}: {}",
                    job.location,
                    error.for_the_log()
                );
                dialog.connecting = false;
                dialog.error = Some(error.to_string());
            }
        }
        false
    }

    /// Starts the window afresh on the team database `store` at `location`, and remembers its
    /// address without the password for the next time (the password itself is in the system
    /// keychain when `kept` says so).
    fn switch_to_team(
        &mut self,
        store: Store,
        location: Location,
        kept: Option<Result<(), String>>,
    ) {
        if let Location::Team(url) = &location {
            self.view.prefs.team_database = Some(without_password(url));
        }
        tracing::info!("switched to the team database {location}");
        let said = match kept {
            None => format!("Connected to the team database {location}."),
            Some(Ok(())) => format!(
                "Connected to the team database {location}. Your password is kept in the system keychain."
            ),
            Some(Err(why)) => {
                format!("Connected to the team database {location}. {why}")
            }
        };
        self.rebuild_on(store, None, location);
        self.report(Ok(said));
    }
}
