//! What the history and Today list about conversations beyond the conversation itself: the
//! thread a history row stands for, and the meetings ahead.

use chrono::NaiveDateTime;

use super::{Channel, ContactId, Interaction, InteractionId};

/// One row of a conversation history: a conversation, or the newest message of a thread
/// with the others folded under it.
#[derive(Clone, Debug, PartialEq)]
pub struct HistoryRow {
    pub interaction: Interaction,
    /// Set when the conversation belongs to a thread with more than one message in this
    /// history.
    pub thread: Option<ThreadInfo>,
}

/// A thread of messages (e-mails of one conversation) as a history shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ThreadInfo {
    /// The thread's first Message-ID (`interactions.thread_ref`).
    pub thread_ref: String,
    /// Messages of the thread in this history, the shown one included.
    pub messages: usize,
}

/// A conversation dated after now: a meeting ahead, for Today.
#[derive(Clone, Debug, PartialEq)]
pub struct UpcomingMeeting {
    pub id: InteractionId,
    pub at: NaiveDateTime,
    pub channel: Channel,
    pub summary: String,
    pub duration_minutes: Option<i64>,
    /// Who takes part (contacts not in the trash), by name.
    pub people: Vec<(ContactId, String)>,
}
