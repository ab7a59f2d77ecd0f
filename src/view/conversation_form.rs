//! The conversation form's state (log or edit): its buffers, whether anything was typed, and
//! turning them into an `InteractionDraft` or a sentence saying what is wrong.
//! `ui::conversation_form` draws it.

use crate::model::{ContactId, InteractionDraft, InteractionId};
use chrono::{Datelike, NaiveDate, NaiveTime};

/// The form's buffers; turned into an `InteractionDraft` on save.
#[derive(Debug, Clone)]
pub struct ConversationForm {
    pub id: Option<InteractionId>,
    /// The version of the conversation when the form opened it (editing): a save against a
    /// newer one is refused, never written over.
    pub opened_version: Option<i64>,
    pub draft: InteractionDraft,
    /// The day as typed (`2026-12-01`): the keyboard's way in. The calendar button beside it
    /// edits `date` and writes it here.
    pub date_text: String,
    /// The day the calendar button shows and picks.
    pub date: jiff::civil::Date,
    pub time: String,
    pub duration: String,
    pub participants: Vec<(ContactId, String)>,
    pub participant_search: String,
    /// Contacts matching `participant_search`, filled by the app.
    pub candidates: Vec<(ContactId, String)>,
    pub error: Option<String>,
    pub(crate) confirm_delete: bool,
    /// What was opened, whether it is asking before dropping typed text, where the keyboard goes.
    pub session: super::FormSession,
}

fn to_jiff(date: NaiveDate) -> jiff::civil::Date {
    jiff::civil::Date::new(date.year() as i16, date.month() as i8, date.day() as i8)
        .unwrap_or(jiff::civil::Date::constant(2000, 1, 1))
}

/// The calendar's day, as the day typed in the box.
pub fn day_text(date: jiff::civil::Date) -> Option<String> {
    from_jiff(date).map(|d| d.format("%Y-%m-%d").to_string())
}

/// The typed day, for the calendar to open on (none while it does not read as a day).
pub fn typed_day(text: &str) -> Option<jiff::civil::Date> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .ok()
        .map(to_jiff)
}

fn from_jiff(date: jiff::civil::Date) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(
        i32::from(date.year()),
        date.month() as u32,
        date.day() as u32,
    )
}

impl ConversationForm {
    pub fn new(
        id: Option<InteractionId>,
        draft: &InteractionDraft,
        participants: Vec<(ContactId, String)>,
    ) -> Self {
        let mut form = Self {
            id,
            opened_version: None,
            date_text: draft.occurred_at.format("%Y-%m-%d").to_string(),
            date: to_jiff(draft.occurred_at.date()),
            time: draft.occurred_at.format("%H:%M").to_string(),
            duration: draft
                .duration_minutes
                .map(|m| m.to_string())
                .unwrap_or_default(),
            draft: draft.clone(),
            participants,
            participant_search: String::new(),
            candidates: Vec::new(),
            error: None,
            confirm_delete: false,
            session: super::FormSession::opened_as(String::new()),
        };
        form.session = super::FormSession::opened_as(form.fingerprint());
        form
    }

    /// Everything the user can change, as text: differs from what was opened once they typed.
    fn fingerprint(&self) -> String {
        format!(
            "{:?}|{}|{}|{}|{:?}",
            self.draft, self.date_text, self.time, self.duration, self.participants
        )
    }

    /// Whether anything was typed or chosen since the form opened.
    pub fn is_dirty(&self) -> bool {
        self.session.is_dirty(&self.fingerprint())
    }

    /// Reads the buffers into a draft, or says in a sentence what is wrong.
    pub fn to_draft(&self) -> Result<InteractionDraft, String> {
        let mut draft = self.draft.clone();
        let typed = self.date_text.trim();
        let date = NaiveDate::parse_from_str(typed, "%Y-%m-%d")
            .map_err(|_| format!("\"{typed}\" is not a day; write it as 2026-03-14."))?;
        let time = NaiveTime::parse_from_str(self.time.trim(), "%H:%M")
            .map_err(|_| format!("\"{}\" is not a time; write it as 15:30.", self.time.trim()))?;
        draft.occurred_at = date.and_time(time);
        draft.duration_minutes = match self.duration.trim() {
            "" => None,
            text => Some(
                text.parse::<i64>()
                    .map_err(|_| format!("\"{text}\" is not a number of minutes."))?,
            ),
        };
        draft.participants = self.participants.iter().map(|(id, _)| *id).collect();
        draft.validate()?;
        Ok(draft)
    }
}
