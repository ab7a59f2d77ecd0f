//! Commands about conversations: the conversation form, its participants, saving (which may
//! offer to turn a promise into a follow-up) and deleting. Each change is recorded for undo.

use super::RapportApp;
use super::undo::{recorded, shorten};
use crate::model::{ContactId, InteractionDraft, InteractionId};
use crate::store::undo::Part;
use chrono::NaiveDateTime;

/// A step as "Undo: …" names it: a conversation by the start of its summary, else its kind
/// and day.
pub(super) fn conversation_title(draft: &InteractionDraft) -> String {
    let summary = draft.summary.lines().next().unwrap_or_default().trim();
    if summary.is_empty() {
        return format!(
            "{} of {}",
            draft.channel.label().to_lowercase(),
            draft.occurred_at.format("%-d %b %Y")
        );
    }
    shorten(summary)
}

impl RapportApp {
    pub(super) fn participant_names(&self, ids: &[ContactId]) -> Vec<(ContactId, String)> {
        let Some(store) = &self.store else {
            return Vec::new();
        };
        ids.iter()
            .filter_map(|id| store.contact(*id).ok().map(|c| (*id, c.draft.display_name)))
            .collect()
    }

    /// `Command::LogConversation`: open the conversation form for a new conversation with this
    /// contact.
    pub(super) fn log_conversation(&mut self, contact: ContactId, now: NaiveDateTime) {
        let names = self.participant_names(&[contact]);
        self.view.conversation_form = Some(crate::view::conversation_form::ConversationForm::new(
            None,
            &InteractionDraft::new(now, contact),
            names,
        ));
    }

    /// `Command::EditConversation`.
    pub(super) fn edit_conversation(&mut self, id: InteractionId) {
        let Some(store) = &mut self.store else { return };
        match store.interaction(id) {
            Ok(interaction) => {
                let names = interaction
                    .draft
                    .participants
                    .iter()
                    .copied()
                    .zip(interaction.participant_names.iter().cloned())
                    .collect();
                let mut form = crate::view::conversation_form::ConversationForm::new(
                    Some(id),
                    &interaction.draft,
                    names,
                );
                form.opened_version = Some(interaction.version);
                self.view.conversation_form = Some(form);
            }
            Err(error) => self.report(Err(error)),
        }
    }

    /// `Command::FindParticipants`: look up contacts to add as participants.
    pub(super) fn find_participants(&mut self, text: String) {
        let Some(store) = &mut self.store else { return };
        let found = store.contact_rows(&text, 0, 8).unwrap_or_default();
        if let Some(form) = &mut self.view.conversation_form {
            form.candidates = found.into_iter().map(|r| (r.id, r.display_name)).collect();
        }
    }

    /// `Command::SaveConversation`.
    pub(super) fn save_conversation(
        &mut self,
        id: Option<InteractionId>,
        draft: InteractionDraft,
        now: NaiveDateTime,
    ) {
        let opened_version = self
            .view
            .conversation_form
            .as_ref()
            .and_then(|form| form.opened_version);
        let Some(store) = &mut self.store else { return };
        let title = conversation_title(&draft);
        let result = match id {
            None => recorded(store, &[], |store| {
                let new_id = store.log_interaction(&draft)?;
                Ok((new_id, vec![Part::Interaction(new_id)]))
            })
            .map(|(new_id, change)| {
                (
                    new_id,
                    true,
                    change,
                    format!("Undo: log conversation '{title}'"),
                )
            }),
            Some(id) => store.interaction(id).and_then(|before| {
                let (_, change) = recorded(store, &[Part::Interaction(id)], |store| {
                    store
                        .update_interaction_seen(id, &draft, opened_version)
                        .map(|()| ((), Vec::new()))
                })?;
                let promise_changed = before.draft.i_promised.trim() != draft.i_promised.trim();
                let label = format!("Undo: edit of conversation '{title}'");
                Ok((id, promise_changed, change, label))
            }),
        };
        match result {
            Ok((saved, promise_is_new, change, label)) => {
                self.view.conversation_form = None;
                // A new promise: offer to make it a dated follow-up, linked to this talk.
                let contact = self
                    .view
                    .selected
                    .as_ref()
                    .map(|s| s.contact.id)
                    .filter(|c| draft.participants.contains(c))
                    .or_else(|| draft.participants.first().copied());
                if promise_is_new
                    && !draft.i_promised.trim().is_empty()
                    && let Some(contact) = contact
                {
                    self.view.follow_up_offer =
                        Some(crate::view::follow_up_offer::FollowUpOffer::new(
                            contact,
                            Some(saved),
                            &draft.i_promised,
                            now,
                        ));
                }
                self.reselect();
                let when = draft.occurred_at.format("%-d %b %Y %H:%M");
                let text = format!(
                    "Saved the {} of {when}.",
                    draft.channel.label().to_lowercase()
                );
                self.push_change(label, change, None, text);
            }
            Err(error) => {
                let text = match &error {
                    crate::store::StoreError::ChangedSince { by } => format!(
                        "{} changed this conversation since you opened it, so it was not saved; your text is still here. Copy what you need, then close and open the conversation again to see theirs.",
                        if by.is_empty() {
                            "Someone"
                        } else {
                            by.as_str()
                        }
                    ),
                    other => other.to_string(),
                };
                if let Some(form) = &mut self.view.conversation_form {
                    form.error = Some(text);
                }
            }
        }
    }

    /// `Command::DeleteConversation`.
    pub(super) fn delete_conversation(&mut self, id: InteractionId) {
        let Some(store) = &mut self.store else { return };
        // Follow-ups made from this conversation lose their link to it: undo links
        // them again, so they are part of the step.
        let result = store.interaction(id).and_then(|before| {
            let mut parts = vec![Part::Interaction(id)];
            parts.extend(
                store
                    .follow_ups_of_interaction(id)?
                    .into_iter()
                    .map(Part::FollowUp),
            );
            let ((), change) = recorded(store, &parts, |store| {
                store.delete_interaction(id).map(|()| ((), Vec::new()))
            })?;
            Ok((before, change))
        });
        match result {
            Ok((before, change)) => {
                self.view.conversation_form = None;
                self.reselect();
                self.push_change(
                    format!(
                        "Undo: delete conversation '{}'",
                        conversation_title(&before.draft)
                    ),
                    change,
                    None,
                    "Deleted the conversation. Undo with Ctrl+Z.".to_owned(),
                );
            }
            Err(error) => self.report(Err(error)),
        }
    }
}
