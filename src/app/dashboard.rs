//! The dashboard and relationship health, app side: keeps `contact_health` current (everyone on
//! a background thread at launch and after an import, the touched contacts at once after an
//! edit) and computes what the dashboard shows off the frame loop, so a frame only draws
//! cached values whether there are 100 contacts or 100,000.

use super::jobs::{self, JobEvent, Polled};
use super::{Command, MainView, RapportApp, StatusLine};
use crate::insight;
use crate::model::ContactId;
use crate::store::{Store, StoreError};
use crate::view::{ATTENTION_SHOWN, CHART_WEEKS, DashboardData};
use chrono::{Duration, NaiveDateTime};
use std::sync::mpsc::Receiver;

/// Reads everything the dashboard shows, as of `now`.
pub fn compute_dashboard(store: &Store, now: NaiveDateTime) -> Result<DashboardData, StoreError> {
    let today = now.date();
    let weeks_from = insight::week_start(today) - Duration::weeks(CHART_WEEKS as i64 - 1);
    Ok(DashboardData {
        now: Some(now),
        attention: store.attention_list(ATTENTION_SHOWN)?,
        attention_total: store.count_attention()?,
        birthdays: store.upcoming_birthdays(today, 7)?,
        life_events: store
            .life_events_between(today - Duration::days(7), today + Duration::days(7))?,
        recent: store.recent_conversations(now, 8)?,
        weekly: insight::weekly_touches(
            &store.daily_touches(weeks_from, today)?,
            today,
            CHART_WEEKS,
        ),
        channels: store.channel_mix(today - Duration::days(365), today)?,
        health_progress: None,
        loading: false,
    })
}

/// Everyone's health being judged: contacts done, of how many; then how many were judged.
pub(super) type HealthEvent = JobEvent<(usize, usize), Result<usize, String>>;

/// Background work for the dashboard: everyone's health, and the dashboard's lists.
#[derive(Default)]
pub(super) struct DashboardJobs {
    health: Option<Receiver<HealthEvent>>,
    lists: Option<Receiver<Result<DashboardData, String>>>,
    /// The lists must be recomputed when the dashboard is next shown.
    pub stale: bool,
}

impl DashboardJobs {
    pub fn running(&self) -> bool {
        self.health.is_some() || self.lists.is_some()
    }
}

impl RapportApp {
    /// Recomputes everyone's health: on a thread with its own connection when the database is
    /// a file or a team database (the window keeps drawing), at once when it is in memory
    /// (tests, benchmarks).
    pub(super) fn start_health_job(&mut self) {
        let now = self.now();
        let Some(store) = &mut self.store else { return };
        let Some(location) = store.location() else {
            if let Err(error) = store.refresh_all_health(now, |_, _| true) {
                self.report(Err(error));
            }
            self.dashboard_jobs.stale = true;
            return;
        };
        let (sender, receiver) = std::sync::mpsc::channel();
        let spawned = std::thread::Builder::new()
            .name("health".to_owned())
            .spawn(move || {
                let result = Store::open_at(&location)
                    .and_then(|mut store| {
                        store.refresh_all_health(now, |done, total| {
                            sender.send(HealthEvent::Progress((done, total))).is_ok()
                        })
                    })
                    .map_err(|e| {
                        tracing::warn!("health refresh failed: {}", e.for_the_log());
                        e.to_string()
                    });
                let _ = sender.send(HealthEvent::Finished(result));
            });
        match spawned {
            Ok(_) => {
                self.dashboard_jobs.health = Some(receiver);
                self.view.dashboard.health_progress = Some((0, self.view.contacts.total));
            }
            Err(error) => tracing::warn!("could not start the health thread: {error}"),
        }
    }

    /// Recomputes the dashboard's lists (on a thread unless the database is in memory).
    pub(super) fn refresh_dashboard(&mut self) {
        let now = self.now();
        if self.is_offline() {
            // Out of reach: the lists read last stay, and are read again when it is back.
            self.dashboard_jobs.stale = true;
            return;
        }
        let Some(store) = &self.store else { return };
        self.dashboard_jobs.stale = false;
        let Some(location) = store.location() else {
            match compute_dashboard(store, now) {
                Ok(data) => self.set_dashboard(data),
                Err(error) => self.report(Err(error)),
            }
            return;
        };
        if self.dashboard_jobs.lists.is_some() {
            // One is running; run again when it is done so it sees the latest change.
            self.dashboard_jobs.stale = true;
            return;
        }
        self.view.dashboard.loading = self.view.dashboard.now.is_none();
        let (sender, receiver) = std::sync::mpsc::channel();
        let spawned = std::thread::Builder::new()
            .name("dashboard".to_owned())
            .spawn(move || {
                let result = Store::open_at(&location)
                    .and_then(|store| compute_dashboard(&store, now))
                    .map_err(|e| e.to_string());
                let _ = sender.send(result);
            });
        match spawned {
            Ok(_) => self.dashboard_jobs.lists = Some(receiver),
            Err(error) => tracing::warn!("could not start the dashboard thread: {error}"),
        }
    }

    fn set_dashboard(&mut self, data: DashboardData) {
        let progress = self.view.dashboard.health_progress;
        self.view.dashboard = DashboardData {
            health_progress: progress,
            ..data
        };
    }

    /// Collects the health and dashboard threads' results. Returns true while one runs.
    pub(super) fn poll_dashboard_jobs(&mut self) -> bool {
        if let Some(receiver) = &self.dashboard_jobs.health {
            let finished = match jobs::drain(receiver, |progress| {
                self.view.dashboard.health_progress = Some(progress);
            }) {
                Polled::Running => None,
                Polled::Finished(result) => Some(result),
                Polled::Vanished => Some(Err("the health thread stopped".to_owned())),
            };
            if let Some(result) = finished {
                self.dashboard_jobs.health = None;
                self.view.dashboard.health_progress = None;
                match result {
                    Ok(count) => {
                        tracing::info!("judged the health of {count} contacts");
                        self.refresh_list();
                        self.reload_selected_health();
                        self.dashboard_jobs.stale = true;
                    }
                    Err(error) => {
                        self.view.status = Some(StatusLine {
                            text: format!(
                                "Could not work out relationship health: {error}. Your data is unchanged."
                            ),
                            is_error: true,
                            undo: None,
                        });
                    }
                }
            }
        }
        if let Some(receiver) = &self.dashboard_jobs.lists {
            match jobs::poll_result(receiver) {
                Polled::Finished(result) => {
                    self.dashboard_jobs.lists = None;
                    self.view.dashboard.loading = false;
                    match result {
                        Ok(data) => self.set_dashboard(data),
                        Err(error) => {
                            self.report(Err(StoreError::Invalid(format!(
                                "Could not fill the dashboard: {error}"
                            ))));
                        }
                    }
                }
                Polled::Running => {}
                Polled::Vanished => {
                    self.dashboard_jobs.lists = None;
                    self.view.dashboard.loading = false;
                }
            }
        }
        if self.dashboard_jobs.stale && self.view.main_view == MainView::Dashboard {
            self.refresh_dashboard();
        }
        // Keep frames coming while a job runs or a refresh waits for the running one.
        self.dashboard_jobs.running()
            || (self.dashboard_jobs.stale && self.view.main_view == MainView::Dashboard)
    }

    /// Reloads the selected contact's health badge.
    pub(super) fn reload_selected_health(&mut self) {
        let (Some(store), Some(selected)) = (&self.store, &mut self.view.selected) else {
            return;
        };
        selected.health = store.health_of(selected.contact.id).ok().flatten();
    }

    /// The contacts whose health a command may change, or `None` when it changes no data.
    pub(super) fn contacts_touched_by(&self, command: &Command) -> Option<Vec<ContactId>> {
        let store = self.store.as_ref()?;
        let follow_up_contact = |id| {
            store
                .follow_up(id)
                .map(|f| vec![f.draft.contact_id])
                .unwrap_or_default()
        };
        Some(match command {
            Command::SaveContact { id, .. } => id.iter().copied().collect(),
            Command::ResolveContactClash { .. } => self
                .view
                .contact_form
                .as_ref()
                .and_then(|f| f.id)
                .into_iter()
                .collect(),
            Command::SaveConversation { draft, id } => {
                let mut ids = draft.participants.clone();
                if let Some(id) = id
                    && let Ok(before) = store.interaction(*id)
                {
                    ids.extend(before.draft.participants);
                }
                ids
            }
            Command::DeleteConversation(id) => store
                .interaction(*id)
                .map(|i| i.draft.participants)
                .unwrap_or_default(),
            Command::CreateFollowUp(draft) => vec![draft.contact_id],
            Command::CompleteFollowUp { id, .. } | Command::MissFollowUp { id, .. } => {
                follow_up_contact(*id)
            }
            Command::SnoozeFollowUp { id, .. } => follow_up_contact(*id),
            Command::Undo
            | Command::RestoreContact(_)
            | Command::TrashContact(_)
            | Command::TrashContactAnyway(_)
            | Command::PurgeContact(_)
            | Command::AddLifeEvent { .. } => Vec::new(),
            _ => return None,
        })
    }

    /// After a change: judge the touched contacts (and the selected one) again, redraw their
    /// badges, and mark the dashboard for recomputing.
    pub(super) fn after_data_change(&mut self, mut ids: Vec<ContactId>) {
        let now = self.now();
        if let Some(selected) = &self.view.selected {
            ids.push(selected.contact.id);
        }
        ids.sort();
        ids.dedup();
        if let Some(store) = &mut self.store
            && !ids.is_empty()
            && let Err(error) = store.refresh_health(&ids, now)
        {
            tracing::warn!(
                "could not update relationship health: {}",
                error.for_the_log()
            );
        }
        self.refresh_list();
        self.reload_selected_health();
        self.dashboard_jobs.stale = true;
    }
}
