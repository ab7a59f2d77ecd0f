//! After a conversation where I promised something: "When will you do it?" — turns the promise
//! into a dated follow-up linked to the conversation it came from.

use crate::model::Initiator;
/// The offer's state lives in the view layer; named here too, where it is drawn.
pub use crate::view::follow_up_offer::FollowUpOffer;
use crate::view::{Command, ViewState};

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
                let what =
                    super::widgets::text_row(ui, "What", &mut offer.text, "Call back with prices");
                // The keyboard starts in the first box, so Enter accepts what was read from
                // the promise and Tab reaches the date and time.
                if ui.memory(|m| m.focused().is_none()) {
                    what.request_focus();
                }
                super::widgets::text_row(ui, "Due date", &mut offer.date, "Friday, in 2 weeks");
                super::widgets::text_row(ui, "Time (optional)", &mut offer.time, "15:30");
                super::widgets::text_row(
                    ui,
                    "Repeats (optional)",
                    &mut offer.repeat,
                    "every 2 weeks",
                );
            });
        // What the words mean, before anything is saved.
        let reading = match offer.reading() {
            Ok(text) => match offer.read_from_promise {
                Some(day) if offer.date.trim() == day.to_string() => {
                    format!("{text} — read from what you promised")
                }
                _ => text,
            },
            Err(sentence) => sentence,
        };
        ui.label(
            egui::RichText::new(format!("That is: {reading}"))
                .small()
                .weak(),
        );
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
            // Escape answers "Not now": the conversation is saved already, nothing is lost.
            let escape = ui.input(|i| i.key_pressed(egui::Key::Escape));
            if ui.button("Not now").clicked() || escape {
                close = true;
            }
        });
    });
    if close {
        view.follow_up_offer = None;
    }
}
