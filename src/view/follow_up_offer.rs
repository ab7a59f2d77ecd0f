//! The follow-up offer's state: a promise and the day and time it is due, read from its words
//! ("by Thursday") where it names them, and turned into a `FollowUpDraft`.
//! `ui::follow_up_offer` draws it.

use crate::model::{ContactId, FollowUpDraft, Initiator, InteractionId, due_from_text};
use chrono::{NaiveDate, NaiveTime};

#[derive(Debug, Clone)]
pub struct FollowUpOffer {
    pub contact: ContactId,
    /// The conversation the promise came from, when there is one.
    pub interaction: Option<InteractionId>,
    pub promised_by: Initiator,
    pub text: String,
    pub date: String,
    pub time: String,
    /// The day the promise named ("by Thursday"), said under the date while it is unchanged.
    pub read_from_promise: Option<NaiveDate>,
    pub error: Option<String>,
}

impl FollowUpOffer {
    /// Offers to follow up on `promise`, due on the day it names ("by Thursday", "in 3 days",
    /// "12 Dec", see `model::due_from_text`) at the time it names, else the day after `today`.
    pub fn new(
        contact: ContactId,
        interaction: Option<InteractionId>,
        promise: &str,
        today: NaiveDate,
    ) -> Self {
        let named = due_from_text(promise, today);
        let (date, time) = named.unwrap_or((today.succ_opt().unwrap_or(today), None));
        Self {
            contact,
            interaction,
            promised_by: Initiator::Me,
            text: promise.trim().to_owned(),
            date: date.to_string(),
            time: time
                .map(|t| t.format("%H:%M").to_string())
                .unwrap_or_default(),
            read_from_promise: named.map(|(date, _)| date),
            error: None,
        }
    }

    /// Reads the buffers, or says in a sentence what is wrong.
    pub fn to_draft(&self) -> Result<FollowUpDraft, String> {
        let due_date = NaiveDate::parse_from_str(self.date.trim(), "%Y-%m-%d").map_err(|_| {
            format!(
                "\"{}\" is not a date; write it as 2026-03-14.",
                self.date.trim()
            )
        })?;
        let due_time = match self.time.trim() {
            "" => None,
            text => Some(NaiveTime::parse_from_str(text, "%H:%M").map_err(|_| {
                format!("\"{text}\" is not a time; write it as 15:30, or leave it empty.")
            })?),
        };
        if self.text.trim().is_empty() {
            return Err("Say what you will do.".to_owned());
        }
        Ok(FollowUpDraft {
            contact_id: self.contact,
            organization_id: None,
            interaction_id: self.interaction,
            text: self.text.trim().to_owned(),
            notes: String::new(),
            due_date,
            due_time,
            promised_by: self.promised_by,
        })
    }
}
