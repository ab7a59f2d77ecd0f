//! Follow-ups and promises: the follow-up offer, ticking off, missing and snoozing, and the
//! reminders announced while the window is open.

use super::RapportApp;
use super::undo::{recorded, shorten};
use crate::insight;
use crate::model::{ContactId, FollowUpDraft, FollowUpId};
use crate::store::StoreError;
use crate::store::undo::{Change, Part};
use crate::view::StatusLine;
use chrono::NaiveDateTime;

impl RapportApp {
    /// While Rapport is open, announces timed follow-ups as they come due (a desktop
    /// notification through D-Bus, which is local; nothing goes to the network).
    pub(super) fn check_reminders(&mut self, ctx: &egui::Context) {
        const EVERY: std::time::Duration = std::time::Duration::from_secs(30);
        if self.fixed_now.is_some() {
            return; // tests and snapshots run on a fixed clock and must not notify
        }
        let now_instant = std::time::Instant::now();
        if self
            .next_reminder_check
            .is_some_and(|next| now_instant < next)
        {
            return;
        }
        self.next_reminder_check = Some(now_instant + EVERY);
        ctx.request_repaint_after(EVERY);
        let Some(store) = &self.store else { return };
        let now = self.now();
        let due = match store.timed_follow_ups_due_between(self.reminders_checked_until, now) {
            Ok(due) => due,
            Err(error) => {
                tracing::warn!("could not check reminders: {}", error.for_the_log());
                return;
            }
        };
        self.reminders_checked_until = now;
        // Keep the Today tab's counts current while the window stays open for hours.
        if let Ok(open) = store.open_follow_ups_until(now.date() + chrono::Duration::days(7)) {
            self.view.today.lists = insight::due_lists(open, now);
            if self.view.today.now.is_some() {
                self.view.today.now = Some(now);
            }
        }
        for item in due {
            let summary = format!("Follow-up due: {}", item.contact_name);
            let body = item.follow_up.draft.text.clone();
            self.view.status = Some(StatusLine {
                text: format!("⏰ Now: {body} ({})", item.contact_name),
                is_error: false,
                undo: None,
            });
            // The reminder companion (`rapport remind`) sends its own, with buttons: one
            // notification per promise, not two.
            if store.path().is_some_and(crate::remind::companion_running) {
                continue;
            }
            std::thread::Builder::new()
                .name("reminder".to_owned())
                .spawn(move || {
                    if let Err(error) = notify_rust::Notification::new()
                        .appname("Rapport")
                        .summary(&summary)
                        .body(&body)
                        .show()
                    {
                        tracing::info!(
                            "no desktop notification ({error}); the reminder is in the status bar"
                        );
                    }
                })
                .map_err(|e| tracing::warn!("could not start the reminder thread: {e}"))
                .ok();
        }
    }

    /// `Command::CreateFollowUp`: record a follow-up (a promise with a due date).
    pub(super) fn create_follow_up(&mut self, draft: FollowUpDraft) {
        let Some(store) = &mut self.store else { return };
        match recorded(store, &[], |store| {
            let id = store.add_follow_up(&draft)?;
            Ok((id, vec![Part::FollowUp(id)]))
        }) {
            Ok((_, change)) => {
                self.view.follow_up_offer = None;
                self.reselect();
                let when = match draft.due_time {
                    Some(t) => format!(
                        "{} at {}",
                        draft.due_date.format("%a %-d %b"),
                        t.format("%H:%M")
                    ),
                    None => draft.due_date.format("%a %-d %b").to_string(),
                };
                self.maybe_ask_to_remind(&draft);
                self.push_change(
                    format!("Undo: add follow-up '{}'", shorten(draft.text.trim())),
                    change,
                    None,
                    match &draft.repeat {
                        Some(repeat) => format!(
                            "Follow-up due {when}: {}, then {}.",
                            draft.text,
                            repeat.describe()
                        ),
                        None => format!("Follow-up due {when}: {}.", draft.text),
                    },
                );
            }
            Err(error) => {
                if let Some(offer) = &mut self.view.follow_up_offer {
                    offer.error = Some(error.to_string());
                }
            }
        }
    }

    /// `Command::NewFollowUp`: open the follow-up dialog for a contact.
    pub(super) fn new_follow_up(&mut self, contact: ContactId, now: NaiveDateTime) {
        self.view.follow_up_offer = Some(crate::view::follow_up_offer::FollowUpOffer::new(
            contact, None, "", now,
        ));
    }

    /// `Command::CompleteFollowUp`: tick a follow-up off now: kept, or kept late.
    pub(super) fn complete_follow_up(
        &mut self,
        id: FollowUpId,
        seen: Option<i64>,
        now: NaiveDateTime,
    ) {
        let Some(store) = &mut self.store else { return };
        let result = store.follow_up(id).and_then(|mut f| {
            f.version = seen.unwrap_or(f.version);
            // The next occurrence of a repeating one is made by the same step: undo removes it.
            let ((status, next), change) = recorded(store, &[Part::FollowUp(id)], |store| {
                let (status, next) = store.complete_follow_up_seen(&f, now)?;
                Ok((
                    (status, next),
                    next.into_iter().map(Part::FollowUp).collect(),
                ))
            })?;
            let next = next.map(|n| store.follow_up(n)).transpose()?;
            Ok((f.draft.text, status, next, change))
        });
        self.after_follow_up_step(result.map(|(text, status, next, change)| {
            (
                format!("Undo: mark '{}' done", shorten(&text)),
                change,
                format!(
                    "Marked {}.{} Undo with Ctrl+Z.",
                    status.label().to_lowercase(),
                    next_sentence(next.as_ref())
                ),
            )
        }));
    }

    /// `Command::MissFollowUp`: mark a follow-up as a broken promise.
    pub(super) fn miss_follow_up(&mut self, id: FollowUpId, seen: Option<i64>, now: NaiveDateTime) {
        let Some(store) = &mut self.store else { return };
        let result = store.follow_up(id).and_then(|f| {
            let (next, change) = recorded(store, &[Part::FollowUp(id)], |store| {
                let missed = crate::model::FollowUpStatus::Missed;
                let next = store.set_follow_up_status_seen(id, missed, now, seen)?;
                Ok((next, next.into_iter().map(Part::FollowUp).collect()))
            })?;
            let next = next.map(|n| store.follow_up(n)).transpose()?;
            Ok((f.draft.text, next, change))
        });
        self.after_follow_up_step(result.map(|(text, next, change)| {
            (
                format!("Undo: mark '{}' missed", shorten(&text)),
                change,
                format!(
                    "Marked as missed: a broken promise.{} Undo with Ctrl+Z.",
                    next_sentence(next.as_ref())
                ),
            )
        }));
    }

    /// `Command::SnoozeFollowUp`: move a follow-up a few days later, keeping the old date in its
    /// history.
    pub(super) fn snooze_follow_up(
        &mut self,
        id: FollowUpId,
        days: i64,
        seen: Option<i64>,
        now: NaiveDateTime,
    ) {
        let Some(store) = &mut self.store else { return };
        let result = store.follow_up(id).and_then(|f| {
            let base = f.draft.due_date.max(now.date());
            let new_date = base + chrono::Duration::days(days);
            let ((), change) = recorded(store, &[Part::FollowUp(id)], |store| {
                let due = (new_date, f.draft.due_time);
                store
                    .reschedule_follow_up_seen(id, due, "snoozed", seen)
                    .map(|()| ((), Vec::new()))
            })?;
            Ok((f.draft.text, new_date, change))
        });
        self.after_follow_up_step(result.map(|(text, new_date, change)| {
            (
                format!("Undo: snooze '{}'", shorten(&text)),
                change,
                format!(
                    "Moved to {}; the old date stays in its history. Undo with Ctrl+Z.",
                    new_date.format("%a %-d %b")
                ),
            )
        }));
    }

    /// After ticking off, missing or snoozing a follow-up: redraws the selection and Today and
    /// reports the step (its undo label, the change, the sentence), or what went wrong.
    fn after_follow_up_step(&mut self, step: Result<(String, Option<Change>, String), StoreError>) {
        match step {
            Ok((label, change, text)) => {
                self.reselect();
                self.refresh_today();
                self.push_change(label, change, None, text);
            }
            Err(error) => {
                if matches!(error, StoreError::ChangedSince { .. }) {
                    // Show what the teammate made of it, to choose again from there.
                    self.reselect();
                    self.refresh_today();
                }
                self.report(Err(error));
            }
        }
    }
}

/// " Next: Tue 15 Dec." after settling a repeating follow-up, or nothing.
fn next_sentence(next: Option<&crate::model::FollowUp>) -> String {
    match next {
        Some(next) => format!(" Next: {}.", next.draft.due_date.format("%a %-d %b")),
        None => String::new(),
    }
}
