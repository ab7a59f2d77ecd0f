//! What the window shows and how the user moves around it: the contact list's count and rows,
//! the selected contact (their history, timeline and briefing), Today, and the commands that
//! select, switch views, filter, zoom and change the theme. Everything here reads the store to
//! fill the view; nothing here writes.

use super::RapportApp;
use crate::insight;
use crate::model::{ContactId, HistoryFilter, HistoryScope};
use crate::store::StoreError;
use crate::view::paged::PagedRows;
use crate::view::{MainView, SelectedContact, StatusLine, Theme, TodayData};

/// The phone country to assume for numbers without "+": from the system locale (LANG=en_GB →
/// GB), else US.
pub(super) fn default_phone_region() -> String {
    std::env::var("LC_ALL")
        .or_else(|_| std::env::var("LANG"))
        .ok()
        .and_then(|lang| {
            lang.split(['.', '@'])
                .next()
                .and_then(|l| l.split('_').nth(1))
                .map(str::to_owned)
        })
        .filter(|r| r.len() == 2)
        .unwrap_or_else(|| "US".to_owned())
}

/// Today lists the meetings of the next this many days (as it lists follow-ups)…
const UPCOMING_DAYS: i64 = 7;
/// … at most this many.
const UPCOMING_SHOWN: usize = 50;

impl RapportApp {
    /// The thread that was open in this history, read again (None when the history is
    /// another one, filtered, or the thread has no other message now).
    fn reopened_thread(
        &self,
        id: ContactId,
        scope: HistoryScope,
        filter: &HistoryFilter,
    ) -> Option<crate::view::history::OpenThread> {
        let selected = self.view.selected.as_ref()?;
        let open = selected.open_thread.as_ref()?;
        if selected.contact.id != id || selected.scope != scope || !filter.is_empty() {
            return None;
        }
        let mut messages = self
            .store
            .as_ref()?
            .thread_in_history(scope, &open.thread_ref)
            .ok()?;
        messages.retain(|m| m.id != open.head);
        (!messages.is_empty()).then(|| crate::view::history::OpenThread {
            messages,
            ..open.clone()
        })
    }

    /// Re-counts the contact list for the current search; rows are fetched when drawn.
    pub(super) fn refresh_list(&mut self) {
        let Some(store) = &self.store else { return };
        match store.tags() {
            Ok(tags) => self.view.tags = tags,
            Err(error) => tracing::warn!("could not list the tags: {error}"),
        }
        match store.count_contacts_filtered(&self.view.search, &self.view.contact_filter) {
            Ok(total) => self.view.contacts.reset(total),
            Err(error) => self.report(Err(error)),
        }
        self.load_custom_fields();
    }

    pub(super) fn fetch_wanted_rows(&mut self) {
        let Some(store) = &self.store else { return };
        let mut failure = None;
        if let Some(range) = self.view.contacts.take_wanted() {
            match store.contact_rows_filtered(
                &self.view.search,
                &self.view.contact_filter,
                range.start,
                range.len(),
            ) {
                Ok(rows) => self.view.contacts.fill(range.start, rows),
                Err(error) => failure = Some(error),
            }
        }
        if let Some(selected) = &mut self.view.selected
            && let Some(range) = selected.history.take_wanted()
        {
            match store.history_rows(selected.scope, &selected.filter, range.start, range.len()) {
                Ok(rows) => selected.history.fill(range.start, rows),
                Err(error) => failure = Some(error),
            }
        }
        if let Some(error) = failure {
            self.report(Err(error));
        }
    }

    /// Loads the contact and what the history and timeline panels show.
    pub(super) fn select(&mut self, id: ContactId) {
        self.view.filter_buffers = crate::view::history::FilterBuffers::default();
        self.view.life_event_form = None;
        self.select_with(id, HistoryScope::Contact(id), HistoryFilter::default());
    }

    /// Loads a contact with a history scope (theirs or their organization's) and filter.
    pub(super) fn select_with(
        &mut self,
        id: ContactId,
        scope: HistoryScope,
        filter: HistoryFilter,
    ) {
        let Some(store) = &self.store else { return };
        let now = self.now();
        let today = now.date();
        let loaded = (|| {
            let contact = store.contact(id)?;
            let total = store.count_history_rows(scope, &filter)?;
            let (timeline, organization) = match scope {
                HistoryScope::Contact(_) => (store.timeline_for_contact(id)?, None),
                HistoryScope::Organization(org) => {
                    let name = store.organization(org)?.name;
                    (
                        store.timeline_for_organization(org)?,
                        Some((org, name, store.members(org)?)),
                    )
                }
            };
            // Meetings ahead (a calendar import brings a year of them) are not what was said.
            let said_so_far = HistoryFilter {
                to: Some(today),
                ..HistoryFilter::default()
            };
            let briefing = insight::briefing(
                &store.history(HistoryScope::Contact(id), &said_so_far, 0, 10)?,
                &store.follow_ups_for_contact(id)?,
                store.last_no_show(id)?,
            );
            let promises = store.promise_counts(Some(id), now)?;
            let health = store.health_of(id)?;
            let tags = store.tags()?;
            Ok::<_, StoreError>((
                contact,
                total,
                timeline,
                organization,
                briefing,
                promises,
                health,
                tags,
            ))
        })();
        match loaded {
            Ok((contact, total, timeline, organization, briefing, promises, health, tags))
                if contact.deleted_at.is_none() =>
            {
                let tag_colors = contact
                    .draft
                    .tags
                    .iter()
                    .map(|name| {
                        let rgb = tags
                            .iter()
                            .find(|t| t.name.eq_ignore_ascii_case(name))
                            .and_then(|t| t.rgb());
                        (name.clone(), rgb)
                    })
                    .collect();
                let mut history = PagedRows::default();
                history.reset(total);
                let open_thread = self.reopened_thread(id, scope, &filter);
                self.view.selected = Some(SelectedContact {
                    open_thread,
                    timeline_rows: insight::group_by_month(&timeline),
                    touches: insight::monthly_touches(&timeline, today, 12),
                    timeline,
                    history,
                    contact,
                    scope,
                    organization,
                    filter,
                    briefing,
                    promises,
                    health,
                    tag_colors,
                    phone_region: store
                        .setting("phone_region")
                        .unwrap_or_else(default_phone_region),
                });
                self.view.prefs.selected_contact = Some(id.0);
                self.load_relationships(id);
            }
            Ok(_) | Err(StoreError::NotFound { .. }) => {
                self.view.selected = None;
                self.view.prefs.selected_contact = None;
            }
            Err(error) => self.report(Err(error)),
        }
    }

    /// Reloads the selection after a change, keeping its scope and filter.
    pub(super) fn reselect(&mut self) {
        if let Some(selected) = &self.view.selected {
            let (id, scope, filter) =
                (selected.contact.id, selected.scope, selected.filter.clone());
            self.select_with(id, scope, filter);
        }
    }

    /// Finds the selected contact's row in the list so the list can scroll to it.
    pub(super) fn locate_selected(&mut self) {
        let (Some(store), Some(selected)) = (&self.store, &self.view.selected) else {
            self.view.scroll_to_selected = false;
            return;
        };
        // Positions are counted in the plain name order; a filtered or health-sorted list
        // keeps its scroll position instead of jumping to a wrong row.
        if !self.view.contact_filter.is_plain() {
            self.view.scroll_to_selected = false;
            return;
        }
        match store.contact_position(&self.view.search, selected.contact.id) {
            Ok(Some(index)) => self.view.selected_row = Some(index),
            Ok(None) => self.view.scroll_to_selected = false,
            Err(error) => {
                self.view.scroll_to_selected = false;
                self.report(Err(error));
            }
        }
    }

    /// Recomputes the Today view: due follow-ups, people going cold, the promise ledger.
    pub(super) fn refresh_today(&mut self) {
        let Some(store) = &self.store else { return };
        let now = self.now();
        let computed = (|| {
            let open = store.open_follow_ups_until(now.date() + chrono::Duration::days(7))?;
            let cold = insight::going_cold(&store.cadence_rows_at(now)?, now.date());
            let ledger = store.promise_counts(None, now)?;
            let upcoming = store.upcoming_meetings(
                now,
                now + chrono::Duration::days(UPCOMING_DAYS),
                UPCOMING_SHOWN,
            )?;
            Ok::<_, StoreError>(TodayData {
                now: Some(now),
                lists: insight::due_lists(open, now),
                cold,
                ledger,
                upcoming,
            })
        })();
        match computed {
            Ok(data) => self.view.today = data,
            Err(error) => self.report(Err(error)),
        }
    }

    /// A one-line summary of what is due, for the status bar at launch.
    pub(super) fn launch_summary(&mut self) {
        if self.store.is_none() {
            return;
        }
        // Only the due lists (an index lookup): the cadence scan waits until Today is opened,
        // so launch time does not grow with the number of contacts.
        let Some(store) = &self.store else { return };
        let now = self.now();
        match store.open_follow_ups_until(now.date() + chrono::Duration::days(7)) {
            Ok(open) => self.view.today.lists = insight::due_lists(open, now),
            Err(error) => {
                self.report(Err(error));
                return;
            }
        }
        let lists = &self.view.today.lists;
        let (overdue, today) = (lists.overdue.len(), lists.today.len());
        if overdue + today > 0 {
            self.view.status = Some(StatusLine {
                text: format!("Today: {overdue} overdue, {today} due today — see 📅 Today."),
                is_error: false,
                undo: None,
            });
        }
    }

    /// `Command::SearchChanged`: the search text changed: recount the list.
    pub(super) fn search_changed(&mut self) {
        self.refresh_list();
    }

    /// `Command::SelectContact`.
    pub(super) fn select_contact(&mut self, id: ContactId) {
        if self.view.main_view == MainView::Dashboard {
            self.view.main_view = MainView::Contact;
        }
        self.select(id);
    }

    /// `Command::ShowView`: switch the centre of the window between the contact and Today.
    pub(super) fn show_view(&mut self, main_view: MainView) {
        self.view.main_view = main_view;
        if main_view == MainView::Today {
            self.refresh_today();
        }
        if main_view == MainView::Dashboard {
            self.refresh_dashboard();
        }
    }

    /// `Command::SetContactFilter`: show the contact list with these tag, stage and health filters
    /// and this order.
    pub(super) fn set_contact_filter(&mut self, filter: crate::model::ContactFilter) {
        self.view.contact_filter = filter;
        self.refresh_list();
        self.view.scroll_to_selected = self.view.contact_filter.is_plain();
    }

    /// `Command::OpenContact`: select a contact and show their history (from Today, the dashboard,
    /// …).
    pub(super) fn open_contact(&mut self, id: ContactId) {
        self.view.main_view = MainView::Contact;
        self.select(id);
        self.view.scroll_to_selected = true;
    }

    /// `Command::FilterHistory`: show the selected history with this filter.
    pub(super) fn filter_history(&mut self, filter: HistoryFilter) {
        if let Some(selected) = &self.view.selected {
            let (id, scope) = (selected.contact.id, selected.scope);
            self.select_with(id, scope, filter);
        }
    }

    /// `Command::ShowOrganization`: show everyone's conversations at the selected contact's
    /// organization.
    pub(super) fn show_organization(&mut self, org: crate::model::OrganizationId) {
        if let Some(selected) = &self.view.selected {
            let id = selected.contact.id;
            self.select_with(
                id,
                HistoryScope::Organization(org),
                HistoryFilter::default(),
            );
        }
    }

    /// `Command::ShowContactHistory`: back from the organization view to the contact's own history.
    pub(super) fn show_contact_history(&mut self) {
        if let Some(id) = self.view.selected.as_ref().map(|s| s.contact.id) {
            self.select(id);
        }
    }

    /// `Command::SetZoom`.
    pub(super) fn set_zoom(&mut self, zoom: f32, ctx: &egui::Context) {
        self.view.prefs.zoom = zoom.clamp(0.5, 3.0);
        ctx.set_zoom_factor(self.view.prefs.zoom);
    }

    /// `Command::SetTheme`.
    pub(super) fn set_theme(&mut self, theme: Theme, ctx: &egui::Context) {
        self.view.prefs.theme = theme;
        ctx.set_theme(theme.preference());
    }
}
