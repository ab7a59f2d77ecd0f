//! Background jobs keep one shape: a named thread with its own connection (to the same file,
//! where WAL lets the window keep reading, or to the same team database), a channel that
//! carries progress and then the result, and a poll after each frame that drains it. The
//! import, the two exports, a large bulk change, the daily backup, relationship health, the dashboard's lists,
//! connecting to a team database and listening to it all run so; this file holds the draining
//! they share and the poll of them all.

use super::RapportApp;
use std::sync::mpsc::{Receiver, TryRecvError};

/// What a job with progress sends: steps as it goes, then its result, once.
pub(super) enum JobEvent<P, R> {
    Progress(P),
    Finished(R),
}

/// A job's channel, drained.
pub(super) enum Polled<R> {
    /// Still working; progress, if any, was handed on.
    Running,
    Finished(R),
    /// The thread ended without sending a result (it panicked).
    Vanished,
}

/// Drains what a job sent since the last frame: hands each progress step to `progress` and
/// returns the result once it came.
pub(super) fn drain<P, R>(
    receiver: &Receiver<JobEvent<P, R>>,
    mut progress: impl FnMut(P),
) -> Polled<R> {
    loop {
        match receiver.try_recv() {
            Ok(JobEvent::Progress(step)) => progress(step),
            Ok(JobEvent::Finished(result)) => return Polled::Finished(result),
            Err(TryRecvError::Empty) => return Polled::Running,
            Err(TryRecvError::Disconnected) => return Polled::Vanished,
        }
    }
}

/// Looks whether a job that sends only its result is done.
pub(super) fn poll_result<R>(receiver: &Receiver<R>) -> Polled<R> {
    match receiver.try_recv() {
        Ok(result) => Polled::Finished(result),
        Err(TryRecvError::Empty) => Polled::Running,
        Err(TryRecvError::Disconnected) => Polled::Vanished,
    }
}

impl RapportApp {
    /// Collects what the background jobs sent since the last frame, and keeps frames coming
    /// while one runs.
    pub(super) fn poll_jobs(&mut self, ctx: &egui::Context) {
        self.poll_backup();
        self.poll_import();
        self.poll_report();
        self.poll_contact_export();
        let bulk_running = self.poll_bulk();
        let calendar_file_running = self.poll_calendar_file();
        let team_connecting = self.poll_team_connect();
        if self.poll_live(ctx) {
            // Out of reach: frames keep coming to try the connection again.
            ctx.request_repaint_after(std::time::Duration::from_millis(500));
        }
        if self.poll_dashboard_jobs() {
            ctx.request_repaint_after(std::time::Duration::from_millis(100));
        }
        if self.backup_job.is_some()
            || self.report_job.is_some()
            || self.contact_export_job.is_some()
            || calendar_file_running
            || team_connecting
            || bulk_running
        {
            ctx.request_repaint_after(std::time::Duration::from_millis(250));
        }
    }
}
