//! The conversation form's state (log or edit): its buffers, whether anything was typed, and
//! turning them into an `InteractionDraft` or a sentence saying what is wrong.
//! `ui::conversation_form` draws it.

use crate::model::{ContactId, InteractionDraft, InteractionId};
use chrono::{Datelike, NaiveDate, NaiveTime};

/// The form's buffers; turned into an `InteractionDraft` on save.
#[derive(Debug, Clone)]
pub struct ConversationForm {
    pub id: Option<InteractionId>,
    pub draft: InteractionDraft,
    pub date: jiff::civil::Date,
    pub time: String,
    pub duration: String,
    pub participants: Vec<(ContactId, String)>,
    pub participant_search: String,
    /// Contacts matching `participant_search`, filled by the app.
    pub candidates: Vec<(ContactId, String)>,
    pub error: Option<String>,
    pub(crate) confirm_delete: bool,
    /// Escape or Cancel was pressed with something typed: asking before closing.
    pub(crate) confirm_discard: bool,
    /// The buffers as they were opened, to tell whether anything was typed.
    opened_as: String,
    /// The first field is to get the keyboard (on opening, and after "Keep editing").
    pub(crate) focus_first: bool,
    /// The first frame has been drawn (the Summary got the keyboard, the scroll is at the top).
    pub(crate) shown: bool,
}

fn to_jiff(date: NaiveDate) -> jiff::civil::Date {
    jiff::civil::Date::new(date.year() as i16, date.month() as i8, date.day() as i8)
        .unwrap_or(jiff::civil::Date::constant(2000, 1, 1))
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
            confirm_discard: false,
            opened_as: String::new(),
            shown: false,
            focus_first: true,
        };
        form.opened_as = form.fingerprint();
        form
    }

    /// Everything the user can change, as text: differs from `opened_as` once they typed.
    fn fingerprint(&self) -> String {
        format!(
            "{:?}|{}|{}|{}|{:?}",
            self.draft, self.date, self.time, self.duration, self.participants
        )
    }

    /// Whether anything was typed or chosen since the form opened.
    pub fn is_dirty(&self) -> bool {
        self.fingerprint() != self.opened_as
    }

    /// Reads the buffers into a draft, or says in a sentence what is wrong.
    pub fn to_draft(&self) -> Result<InteractionDraft, String> {
        let mut draft = self.draft.clone();
        let date = from_jiff(self.date).ok_or("The date is not valid.")?;
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
