//! The follow-up offer's state: a promise and the day and time it is due, read from its words
//! ("by Thursday") where it names them, typed as people say it ("Friday", "in 2 weeks",
//! "tomorrow 15:00"), and how it repeats; turned into a `FollowUpDraft`.
//! `ui::follow_up_offer` draws it, and says back what the words mean before saving.

use crate::model::repeat::Repeat;
use crate::model::{
    ContactId, FollowUpDraft, Initiator, InteractionId, due_from_text, parse_typed_due,
};
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

#[derive(Debug, Clone)]
pub struct FollowUpOffer {
    pub contact: ContactId,
    /// The conversation the promise came from, when there is one.
    pub interaction: Option<InteractionId>,
    pub promised_by: Initiator,
    pub text: String,
    /// The due day as typed: a date, or words ("Friday", "in 2 weeks", "tomorrow 15:00").
    pub date: String,
    pub time: String,
    /// How it repeats, as typed ("every 2 weeks", "the first Monday of every month"); empty:
    /// once.
    pub repeat: String,
    /// When the offer opened: what "tomorrow" and "15:00" count from.
    pub now: NaiveDateTime,
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
        now: NaiveDateTime,
    ) -> Self {
        let today = now.date();
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
            repeat: String::new(),
            now,
        }
    }

    /// The due day and time the fields say: an ISO date, or typed words (a time among the
    /// words counts when the time field is empty).
    pub fn due(&self) -> Result<(NaiveDate, Option<NaiveTime>), String> {
        let typed = self.date.trim();
        let (date, typed_time) = match NaiveDate::parse_from_str(typed, "%Y-%m-%d") {
            Ok(date) => (date, None),
            Err(_) => parse_typed_due(typed, self.now)?,
        };
        let time = match self.time.trim() {
            "" => typed_time,
            text => Some(NaiveTime::parse_from_str(text, "%H:%M").map_err(|_| {
                format!("\"{text}\" is not a time; write it as 15:30, or leave it empty.")
            })?),
        };
        Ok((date, time))
    }

    /// How it repeats, read from its field (None: once).
    pub fn repetition(&self, first: NaiveDate) -> Result<Option<Repeat>, String> {
        match self.repeat.trim() {
            "" => Ok(None),
            text => Repeat::parse(text, first, None, None).map(Some),
        }
    }

    /// What the fields mean, said back before saving: "Friday 18 December at 15:00, then
    /// every 2 weeks", or what is wrong with them.
    pub fn reading(&self) -> Result<String, String> {
        let (date, time) = self.due()?;
        let mut text = date.format("%A %-d %B %Y").to_string();
        if let Some(time) = time {
            text.push_str(&format!(" at {}", time.format("%H:%M")));
        }
        if let Some(repeat) = self.repetition(date)? {
            text.push_str(&format!(", then {}", repeat.describe()));
        }
        Ok(text)
    }

    /// Reads the buffers, or says in a sentence what is wrong.
    pub fn to_draft(&self) -> Result<FollowUpDraft, String> {
        let (due_date, due_time) = self.due()?;
        let repeat = self.repetition(due_date)?;
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
            repeat,
        })
    }
}
