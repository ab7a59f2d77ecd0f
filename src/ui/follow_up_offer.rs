//! After a conversation where I promised something: "When will you do it?" — turns the promise
//! into a dated follow-up linked to the conversation it came from.

use crate::app::{Command, ViewState};
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

pub fn follow_up_offer_ui(ctx: &egui::Context, view: &mut ViewState, commands: &mut Vec<Command>) {
    let Some(offer) = &mut view.follow_up_offer else {
        return;
    };
    let mut close = false;
    egui::Modal::new(egui::Id::unique("follow_up_offer")).show(ctx, |ui| {
        ui.set_width(460.0);
        if offer.interaction.is_some() {
            ui.heading("You made a promise");
            ui.label("Customers remember whether you did what you said. When will you do it?");
        } else {
            ui.heading("New follow-up");
            ui.label("A call back, a quote, a visit: with a day, and a time if you promised one.");
        }
        ui.add_space(6.0);
        egui::Grid::new("follow_up_grid")
            .num_columns(2)
            .spacing([12.0, 6.0])
            .show(ui, |ui| {
                super::widgets::choice_row(
                    ui,
                    "Who promised",
                    &mut offer.promised_by,
                    Initiator::ALL,
                    Initiator::icon,
                );
                super::widgets::text_row(ui, "What", &mut offer.text, "Call back with prices");
                super::widgets::text_row(ui, "Due date", &mut offer.date, "2026-03-14");
                super::widgets::text_row(ui, "Time (optional)", &mut offer.time, "15:30");
            });
        if let Some(day) = offer.read_from_promise
            && offer.date.trim() == day.to_string()
        {
            let reading = format!("{} — read from what you promised", day.format("%A %-d %B"));
            ui.label(egui::RichText::new(reading).small().weak());
        }
        if let Some(error) = &offer.error {
            ui.label(egui::RichText::new(format!("⚠ {error}")).color(ui.visuals().error_fg_color));
        }
        ui.horizontal(|ui| {
            // Enter in a one-line box creates it too: the offer is answered without the mouse.
            let create = ui.button("Create follow-up");
            if create.clicked() || super::widgets::take_enter(ui) {
                match offer.to_draft() {
                    Ok(draft) => commands.push(Command::CreateFollowUp(draft)),
                    Err(sentence) => offer.error = Some(sentence),
                }
            }
            if ui.button("Not now").clicked() {
                close = true;
            }
        });
    });
    if close {
        view.follow_up_offer = None;
    }
}
