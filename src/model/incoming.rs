//! A conversation read from a mail or calendar file, before it is matched to contacts and
//! stored: what the readers (`import::mail`, `import::meetings`) make and the conversation
//! import (`store::conversation_import`) takes. Pure data: no contact ids yet, only addresses.

use chrono::NaiveDateTime;

use super::{Channel, Outcome};

/// One person named in a message or an invitation.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MailAddress {
    /// As written ("Ana Lima"), empty when the header had only the address.
    pub name: String,
    /// As written; compared case-insensitively.
    pub address: String,
}

impl MailAddress {
    pub fn new(name: &str, address: &str) -> Self {
        Self {
            name: name.trim().to_owned(),
            address: address.trim().to_owned(),
        }
    }

    /// The address folded for comparison with `contact_emails.address_key`.
    pub fn key(&self) -> String {
        self.address.trim().to_lowercase()
    }
}

/// Why a message or event in the file does not become a conversation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SkipReason {
    /// A mailing list, newsletter or bulk sender (List-Id, Precedence: bulk/list, noreply@…);
    /// the words say which ("List-Id: <news.bakery.example>").
    Bulk(String),
    /// Nobody in it but the user.
    OnlyMe,
    /// The file's entry could not be read (what was wrong, in words).
    Unreadable(String),
}

impl SkipReason {
    /// The reason in words, for the plan and `--json`.
    pub fn describe(&self) -> String {
        match self {
            SkipReason::Bulk(why) => format!("newsletter or automated sender ({why})"),
            SkipReason::OnlyMe => "only your own addresses".to_owned(),
            SkipReason::Unreadable(why) => format!("could not be read: {why}"),
        }
    }
}

/// A message or a meeting (one occurrence of a recurring one), ready to be matched.
#[derive(Debug, Clone, PartialEq)]
pub struct IncomingConversation {
    /// Where it came from, unique: `mid:<Message-ID>` for a message (a made-up stable one
    /// from its headers when it has none), `ics:<UID>#<RECURRENCE-ID or empty>` for a meeting.
    pub source_ref: String,
    /// The thread's first Message-ID (`mid:…`, from References / In-Reply-To), or the
    /// message's own when it starts one. None for meetings.
    pub thread_ref: Option<String>,
    /// Local wall-clock time of this computer (the message's or event's own zone honoured).
    pub occurred_at: NaiveDateTime,
    pub channel: Channel,
    pub outcome: Outcome,
    pub duration_minutes: Option<i64>,
    /// Sender / organizer.
    pub from: Option<MailAddress>,
    /// Recipients / attendees (To and Cc, in order).
    pub to: Vec<MailAddress>,
    /// Subject or event title.
    pub summary: String,
    /// The first lines of the body without quoted replies and signatures, or the event's
    /// description (and location).
    pub they_said: String,
    /// Attachment file names.
    pub attachments: Vec<String>,
    /// Set when this entry is not to become a conversation.
    pub skip: Option<SkipReason>,
}
