//! Seeing a teammate's change at once. On a team database a `team-changes` thread listens on a
//! connection of its own (`store::live::ChangeListener`) and sends what it hears over a
//! channel, waking the window; the frame drains it and refreshes what is on screen and
//! affected (the list, the selected contact, the due lists, the dashboard).
//!
//! When the connection is lost the thread says so and connects again by itself, waiting a
//! little longer after each failure; once back it reads from the change log what it missed
//! (`Store::changes_since` the last id it saw), so nothing a teammate did meanwhile is lost.
//! The window's own connection is made again then too (`Store::reconnect`). While either is
//! down the window shows what it read last and refuses to write (`RapportApp::apply`).

use super::RapportApp;
use crate::store::live::{ChangeListener, TeamChange};
use crate::store::{Location, Store};
use crate::view::team_live::{LinkState, NOT_SAVED, TeamLink};
use crate::view::{Command, StatusLine};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender, TryRecvError};
use std::time::{Duration, Instant};

/// How long one wait for notifications lasts: how soon the thread notices it should stop.
const WAIT: Duration = Duration::from_millis(250);
/// Waits between attempts to connect again: doubling from the first to the last.
const FIRST_RETRY: Duration = Duration::from_millis(250);
const LAST_RETRY: Duration = Duration::from_secs(5);
/// Changes read from the log at a time when catching up.
const CATCH_UP_PAGE: usize = 500;

/// What the listening thread tells the window.
pub(super) enum LiveEvent {
    /// Changes heard (or read from the log when first listening).
    Changes(Vec<TeamChange>),
    /// The listening connection was lost (why, for the log); the thread is reconnecting.
    Lost(String),
    /// Listening again, with the changes made while it was away.
    Back(Vec<TeamChange>),
}

/// Doubling waits between attempts, up to `LAST_RETRY`.
#[derive(Debug, Clone, Copy)]
struct Backoff(Duration);

impl Backoff {
    fn new() -> Self {
        Self(FIRST_RETRY)
    }

    /// The wait before the next attempt, and a longer one after it.
    fn next(&mut self) -> Duration {
        let wait = self.0;
        self.0 = (self.0 * 2).min(LAST_RETRY);
        wait
    }
}

/// Whether the listening thread is heard from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Listening {
    /// Started, not yet listening.
    #[default]
    Starting,
    Up,
    Down,
}

/// The window's side of listening: the thread's channel, and what has been seen and shown.
#[derive(Default)]
pub(super) struct Live {
    receiver: Option<Receiver<LiveEvent>>,
    /// Set to stop the thread when the window leaves this database.
    stop: Option<Arc<AtomicBool>>,
    listening: Listening,
    /// The newest change log entry heard of (at first, the newest when the window read its
    /// data): listening starts (or starts again, should its thread stop) after it.
    pub seen: i64,
    /// Changes heard while the window's own connection was down, applied once it is back.
    pending: Vec<TeamChange>,
    /// Changes by me up to this entry were made by this window, which shows them already.
    pub shown_through: i64,
    /// The window's own connection is lost: when to try it again, and the wait after that.
    next_reconnect: Option<(Instant, Backoff)>,
}

impl Drop for Live {
    fn drop(&mut self) {
        if let Some(stop) = &self.stop {
            stop.store(true, Ordering::Relaxed);
        }
    }
}

/// Sleeps `wait`, waking early when asked to stop; false when it was.
fn sleep_unless_stopped(wait: Duration, stop: &AtomicBool) -> bool {
    let until = Instant::now() + wait;
    while Instant::now() < until {
        if stop.load(Ordering::Relaxed) {
            return false;
        }
        std::thread::sleep(Duration::from_millis(50).min(until - Instant::now()));
    }
    !stop.load(Ordering::Relaxed)
}

/// Starts listening at `url`, then reads what was logged after `seen` (listening first, so a
/// change made in between is heard or read, never neither; one that is both is dropped by id).
fn listen_from(url: &str, seen: i64) -> crate::store::Result<(ChangeListener, Vec<TeamChange>)> {
    let listener = ChangeListener::connect(url)?;
    let log = Store::open_team(url)?;
    let mut missed = Vec::new();
    let mut after = seen;
    loop {
        let page = log.changes_since(after, CATCH_UP_PAGE)?;
        let full = page.len() == CATCH_UP_PAGE;
        after = page.last().map_or(after, |c| c.id);
        missed.extend(page);
        if !full {
            return Ok((listener, missed));
        }
    }
}

/// The thread: listens, and after a lost connection connects again and catches up, until
/// `stop` is set or the window is gone.
fn listen_until(
    url: &str,
    seen: &mut i64,
    sender: &Sender<LiveEvent>,
    wake: &egui::Context,
    stop: &AtomicBool,
) {
    let send = |event: LiveEvent| {
        let sent = sender.send(event).is_ok();
        wake.request_repaint();
        sent
    };
    let mut listener: Option<ChangeListener> = None;
    let mut first = true;
    let mut backoff = Backoff::new();
    while !stop.load(Ordering::Relaxed) {
        let Some(connected) = &mut listener else {
            match listen_from(url, *seen) {
                Ok((new, missed)) => {
                    *seen = missed.last().map_or(*seen, |c| c.id);
                    let event = match first {
                        true => LiveEvent::Changes(missed),
                        false => LiveEvent::Back(missed),
                    };
                    if !send(event) {
                        return;
                    }
                    listener = Some(new);
                    backoff = Backoff::new();
                }
                Err(error) => {
                    tracing::info!("cannot listen to the team database yet: {error}");
                    if first && !send(LiveEvent::Lost(error.to_string())) {
                        return;
                    }
                    if !sleep_unless_stopped(backoff.next(), stop) {
                        return;
                    }
                }
            }
            first = false;
            continue;
        };
        match connected.wait(WAIT) {
            Ok(heard) => {
                let fresh: Vec<TeamChange> = heard.into_iter().filter(|c| c.id > *seen).collect();
                if let Some(last) = fresh.iter().map(|c| c.id).max() {
                    *seen = last;
                    if !send(LiveEvent::Changes(fresh)) {
                        return;
                    }
                }
            }
            Err(error) => {
                tracing::warn!("lost the team database's change notifications: {error}");
                listener = None;
                if !send(LiveEvent::Lost(error.to_string())) {
                    return;
                }
            }
        }
    }
}

/// Starts the `team-changes` thread for the team database at `url`, listening from `seen`.
fn spawn(
    url: String,
    seen: i64,
    wake: egui::Context,
) -> std::io::Result<(Receiver<LiveEvent>, Arc<AtomicBool>)> {
    let (sender, receiver) = std::sync::mpsc::channel();
    let stop = Arc::new(AtomicBool::new(false));
    let stop_here = stop.clone();
    std::thread::Builder::new()
        .name("team-changes".to_owned())
        .spawn(move || {
            let mut seen = seen;
            listen_until(&url, &mut seen, &sender, &wake, &stop_here);
        })?;
    Ok((receiver, stop))
}

/// Who the window is signed in as, for the status bar and the history's "Logged by".
pub(super) fn team_link(store: &Store) -> Option<TeamLink> {
    let address = store.team()?.to_owned();
    let login = store.me().ok().flatten().unwrap_or_default();
    let name = store
        .team_members()
        .ok()
        .and_then(|members| members.into_iter().find(|m| m.login == login))
        .map_or_else(|| login.clone(), |m| m.name);
    Some(TeamLink {
        address,
        login,
        name,
        state: LinkState::Connected,
    })
}

impl RapportApp {
    /// After each frame on a team database: starts listening on the first one, applies what
    /// was heard, and follows the connection (lost, back) in the status bar. Returns true
    /// while the connection is lost, so frames keep coming to try it again.
    pub(super) fn poll_live(&mut self, ctx: &egui::Context) -> bool {
        if self.view.team.is_none() {
            return false;
        }
        if self.live.receiver.is_none()
            && let Some(Location::Team(url)) = self.store.as_ref().and_then(Store::location)
        {
            self.start_listening(url, ctx);
        }
        let mut changes = std::mem::take(&mut self.live.pending);
        let mut back = false;
        while let Some(event) = self.next_live_event() {
            match event {
                LiveEvent::Changes(heard) => {
                    self.live.listening = Listening::Up;
                    changes.extend(heard);
                }
                LiveEvent::Lost(why) => {
                    tracing::info!("team database out of reach: {why}");
                    self.live.listening = Listening::Down;
                }
                LiveEvent::Back(missed) => {
                    self.live.listening = Listening::Up;
                    changes.extend(missed);
                    back = true;
                }
            }
        }
        if back {
            self.reconnect_store();
        }
        self.follow_own_connection();
        let heard = changes.len();
        if let Some(last) = changes.iter().map(|c| c.id).max() {
            self.live.seen = self.live.seen.max(last);
        }
        if self.is_offline() {
            // Nothing can be read now: kept for when the connection is back.
            self.live.pending = changes;
        } else if !changes.is_empty() {
            self.apply_team_changes(&changes);
        }
        self.show_link_state(heard);
        self.is_offline()
    }

    fn start_listening(&mut self, url: String, ctx: &egui::Context) {
        match spawn(url, self.live.seen, ctx.clone()) {
            Ok((receiver, stop)) => {
                self.live.receiver = Some(receiver);
                self.live.stop = Some(stop);
            }
            Err(error) => tracing::warn!("could not start listening for changes: {error}"),
        }
    }

    fn next_live_event(&mut self) -> Option<LiveEvent> {
        let receiver = self.live.receiver.as_ref()?;
        match receiver.try_recv() {
            Ok(event) => Some(event),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => {
                // The thread ended (it panicked): listen again from what was seen.
                tracing::warn!("the change listener stopped; starting it again");
                self.live.receiver = None;
                None
            }
        }
    }

    /// True while the team database cannot be reached: the window shows what it read last and
    /// writes nothing.
    pub(super) fn is_offline(&self) -> bool {
        self.live.listening == Listening::Down
            || self.store.as_ref().is_some_and(Store::is_disconnected)
    }

    /// The window's connection again, once the listener is back (the server is).
    fn reconnect_store(&mut self) {
        let Some(store) = &mut self.store else { return };
        match store.reconnect() {
            Ok(()) => self.live.next_reconnect = None,
            Err(error) => {
                tracing::warn!("could not reconnect to the team database: {error}");
                self.live.next_reconnect = Some((Instant::now(), Backoff::new()));
            }
        }
    }

    /// The window's own connection lost while the listener still hears: tries it again, waiting
    /// longer after each failure.
    fn follow_own_connection(&mut self) {
        let Some(store) = &mut self.store else { return };
        if !store.is_disconnected() || self.live.listening == Listening::Down {
            return;
        }
        let now = Instant::now();
        let (when, mut backoff) = self
            .live
            .next_reconnect
            .unwrap_or((now + FIRST_RETRY, Backoff::new()));
        if now < when {
            self.live.next_reconnect = Some((when, backoff));
            return;
        }
        match store.reconnect() {
            // `show_link_state` reads everything again: reads failed while it was down.
            Ok(()) => self.live.next_reconnect = None,
            Err(error) => {
                tracing::info!("the team database is still out of reach: {error}");
                self.live.next_reconnect = Some((now + backoff.next(), backoff));
            }
        }
    }

    /// Says the connection's state in the status bar, and when it came back.
    fn show_link_state(&mut self, caught_up: usize) {
        let offline = self.is_offline();
        let Some(link) = &mut self.view.team else {
            return;
        };
        let was_lost = link.is_lost();
        link.state = if offline {
            LinkState::Lost
        } else {
            LinkState::Connected
        };
        if was_lost && !offline {
            self.refresh_visible();
            let text = match caught_up {
                0 => "Connected to the team database again.".to_owned(),
                n => format!("Connected to the team database again; caught up on {n} changes."),
            };
            self.report(Ok(text));
        }
    }

    /// Applies the changes heard: refreshes what they touch that is on screen. A change by me
    /// that this window made is shown already and skipped; everything else counts.
    fn apply_team_changes(&mut self, changes: &[TeamChange]) {
        let me = self.view.team.as_ref().map(|t| t.login.clone());
        let shown_through = self.live.shown_through;
        let fresh: Vec<&TeamChange> = changes
            .iter()
            .filter(|c| me.as_deref() != Some(c.by.as_str()) || c.id > shown_through)
            .collect();
        if fresh.is_empty() {
            return;
        }
        let touches = |tables: &[&str]| fresh.iter().any(|c| tables.contains(&c.table.as_str()));
        for change in fresh.iter().filter(|c| c.table == "contacts") {
            self.view.photos.forget(crate::model::ContactId(change.row));
        }
        self.refresh_list();
        // Conversations, follow-ups, life events, tags and organizations may all show in the
        // selected contact's panels; another contact only in their organization's.
        let selected = self.view.selected.as_ref().map(|s| s.contact.id.0);
        let organization_view =
            (self.view.selected.as_ref()).is_some_and(|s| s.organization.is_some());
        let selected_changed = selected.is_some()
            && fresh
                .iter()
                .any(|c| c.table != "contacts" || Some(c.row) == selected || organization_view);
        if selected_changed {
            self.reselect();
        }
        if touches(&["follow_ups", "contacts", "interactions"]) {
            self.refresh_due_lists();
        }
        if touches(&["follow_ups", "contacts"]) {
            self.calendar_changed();
        }
        if touches(&["contacts"])
            && self.view.trash.is_some()
            && let Some(store) = &self.store
        {
            self.view.trash = store.trashed_contacts().ok();
        }
        self.dashboard_jobs.stale = true;
    }

    /// Everything on screen read again (after the connection came back).
    fn refresh_visible(&mut self) {
        self.refresh_list();
        self.reselect();
        self.refresh_due_lists();
        self.dashboard_jobs.stale = true;
    }

    /// Today's lists (all of Today when it is shown; else just what its tab counts).
    fn refresh_due_lists(&mut self) {
        if self.view.main_view == crate::view::MainView::Today {
            self.refresh_today();
            return;
        }
        let now = self.now();
        let Some(store) = &self.store else { return };
        match store.open_follow_ups_until(now.date() + chrono::Duration::days(7)) {
            Ok(open) => self.view.today.lists = crate::insight::due_lists(open, now),
            Err(error) => self.report(Err(error)),
        }
    }

    /// A write asked for while the team database is out of reach: said in the form that asked
    /// (which stays open with what was typed) and in the status line.
    pub(super) fn refuse_offline(&mut self, command: &Command) {
        if !self.say_in_form(command) {
            let text = match command {
                Command::Undo => {
                    "Nothing was undone: the connection to the team database is lost. Ctrl+Z tries again when it is back."
                }
                _ => {
                    "Not done: the connection to the team database is lost. Try again when it is back (Rapport reconnects by itself)."
                }
            };
            self.say_offline(text);
        }
    }

    /// The connection went while `command` wrote: when its form is still open (the save
    /// failed), it says why there; a command without a form said so through `report`.
    pub(super) fn lost_while(&mut self, command: &Command) {
        self.say_in_form(command);
    }

    /// Puts `NOT_SAVED` in the open form `command` came from; false when there is none.
    fn say_in_form(&mut self, command: &Command) -> bool {
        self.say_in_form_that(command, NOT_SAVED)
    }

    /// Says `text` in the open form `command` came from and in the status line; false (and
    /// nothing said) when there is no such form.
    pub(super) fn say_in_form_that(&mut self, command: &Command, text: &str) -> bool {
        let view = &mut self.view;
        let error = match command {
            Command::SaveContact { .. } => view.contact_form.as_mut().map(|f| &mut f.error),
            Command::ResolveContactClash { .. } => view
                .contact_form
                .as_mut()
                .and_then(|f| f.clash.as_mut())
                .map(|c| &mut c.error),
            Command::SaveConversation { .. } | Command::DeleteConversation(_) => {
                view.conversation_form.as_mut().map(|f| &mut f.error)
            }
            Command::AddLifeEvent { .. } => view.life_event_form.as_mut().map(|f| &mut f.error),
            Command::CreateFollowUp(_) => view.follow_up_offer.as_mut().map(|f| &mut f.error),
            Command::SaveTag { .. } => view.tags_dialog.as_mut().map(|d| &mut d.error),
            Command::ApplyImport => view.import_dialog.as_mut().map(|d| &mut d.error),
            _ => None,
        };
        let Some(error) = error else {
            return false;
        };
        *error = Some(text.to_owned());
        self.say_offline(text);
        true
    }

    fn say_offline(&mut self, text: &str) {
        self.view.status = Some(StatusLine {
            text: text.to_owned(),
            is_error: true,
            undo: None,
        });
    }

    /// After a change this window made: the change log's newest entry, so the notification of
    /// it is known as shown already, and the shown contact as it is now.
    pub(super) fn note_own_change(&mut self) {
        self.reread_selected_contact();
        if let Some(store) = &self.store
            && store.team().is_some()
            && let Ok(last) = store.last_change_id()
        {
            self.live.shown_through = last;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wait_between_attempts_doubles_up_to_a_limit() {
        let mut backoff = Backoff::new();
        let waits: Vec<Duration> = (0..8).map(|_| backoff.next()).collect();
        assert_eq!(waits[0], FIRST_RETRY);
        assert_eq!(waits[1], FIRST_RETRY * 2);
        assert_eq!(*waits.last().unwrap(), LAST_RETRY);
    }
}
