//! The state of the small forms in the history panel: the life-event form and the filter bar's
//! typed text. `ui::history_panel` draws them.

use crate::model::{ContactId, Interaction, InteractionId};

/// The small "add a life event" form under the contact header.
#[derive(Debug, Clone)]
pub struct LifeEventForm {
    pub contact: ContactId,
    pub date: String,
    pub kind: String,
    pub description: String,
    pub error: Option<String>,
}

/// The text buffers of the history filter bar (dates are typed).
#[derive(Debug, Clone, Default)]
pub struct FilterBuffers {
    pub from: String,
    pub to: String,
    pub text: String,
}

/// A thread opened in the history: its other messages are drawn under its newest one.
#[derive(Debug, Clone)]
pub struct OpenThread {
    pub thread_ref: String,
    /// The newest message's row in the history (the thread's own row).
    pub head: InteractionId,
    pub head_index: usize,
    /// The thread's other messages in this history, newest first.
    pub messages: Vec<Interaction>,
}
