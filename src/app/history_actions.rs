//! What the history does besides opening a conversation: the one-key purpose (S, V, R on the
//! conversation under the pointer or with the keyboard focus), one undo step; and opening a
//! thread's messages under its newest one.

use super::RapportApp;
use super::conversations::conversation_title;
use super::undo::recorded;
use crate::model::{InteractionId, Purpose};
use crate::store::StoreError;
use crate::store::undo::Part;
use crate::view::history::OpenThread;

impl RapportApp {
    /// `Command::SetConversationPurpose`: the stored conversation with this purpose, unless
    /// it changed since the history showed version `seen`. Only the purpose changes: the rest
    /// is read from the store, not from what the window had.
    pub(super) fn set_conversation_purpose(
        &mut self,
        id: InteractionId,
        purpose: Purpose,
        seen: i64,
    ) {
        let Some(store) = &mut self.store else { return };
        let result = store.interaction(id).and_then(|before| {
            if before.draft.purpose == purpose {
                return Ok((before, None));
            }
            let draft = crate::model::InteractionDraft {
                purpose,
                ..before.draft.clone()
            };
            let ((), change) = recorded(store, &[Part::Interaction(id)], |store| {
                store
                    .update_interaction_seen(id, &draft, Some(seen))
                    .map(|()| ((), Vec::new()))
            })?;
            Ok((before, Some(change)))
        });
        let title = |draft| format!("\u{2018}{}\u{2019}", conversation_title(draft));
        match result {
            Ok((before, None)) => self.report(Ok(format!(
                "{} is already {}.",
                title(&before.draft),
                purpose.label().to_lowercase()
            ))),
            Ok((before, Some(change))) => {
                self.reselect();
                self.after_data_change(before.draft.participants.clone());
                let name = title(&before.draft);
                self.push_change(
                    format!("Undo: purpose of {name}"),
                    change,
                    None,
                    format!(
                        "{name} is now {}. Undo with Ctrl+Z.",
                        purpose.label().to_lowercase()
                    ),
                );
            }
            Err(StoreError::ChangedSince { by }) => {
                let who = if by.is_empty() {
                    "Someone"
                } else {
                    by.as_str()
                };
                self.reselect();
                self.report(Ok(format!(
                    "{who} changed this conversation since it was shown, so its purpose was not set. Here it is as it is now; press the key again to set it."
                )));
            }
            Err(error) => self.report(Err(error)),
        }
    }

    /// `Command::OpenThread`: read the thread's messages in this history.
    pub(super) fn open_thread(
        &mut self,
        thread_ref: String,
        head: InteractionId,
        head_index: usize,
    ) {
        let (Some(store), Some(selected)) = (&self.store, &mut self.view.selected) else {
            return;
        };
        match store.thread_in_history(selected.scope, &thread_ref) {
            Ok(mut messages) => {
                messages.retain(|m| m.id != head);
                selected.open_thread = Some(OpenThread {
                    thread_ref,
                    head,
                    head_index,
                    messages,
                });
            }
            Err(error) => self.report(Err(error)),
        }
    }

    /// `Command::CloseThread`.
    pub(super) fn close_thread(&mut self) {
        if let Some(selected) = &mut self.view.selected {
            selected.open_thread = None;
        }
    }
}
