//! "Remind you even when Rapport is closed?": asked once, after the first follow-up with a
//! time. Yes is the default (Enter): a promise to call at 15:00 should reach its maker at 15:00,
//! lid closed at lunch or not. File ▸ Remind me even when Rapport is closed changes it later.

use crate::view::{Command, ViewState};

pub fn remind_question_ui(ctx: &egui::Context, view: &mut ViewState, commands: &mut Vec<Command>) {
    if !view.remind_question || view.follow_up_offer.is_some() {
        return;
    }
    egui::Modal::new(egui::Id::unique("remind_question")).show(ctx, |ui| {
        ui.set_width(460.0);
        ui.heading("Remind you even when Rapport is closed?");
        ui.label(
            "A small reminder keeps running in the background and tells you the moment a \
             follow-up is due, with the window closed, and when the computer wakes up after \
             one came due. It starts when you log in.",
        );
        ui.label(
            egui::RichText::new(
                "You can change this later in the File menu: \"Remind me even when Rapport is closed\".",
            )
            .small()
            .weak(),
        );
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            let yes = ui.button("Yes, remind me");
            if ui.memory(|m| m.focused().is_none()) {
                yes.request_focus();
            }
            if yes.clicked() {
                commands.push(Command::SetRemindWhenClosed(true));
            }
            if ui.button("Only while Rapport is open").clicked() {
                commands.push(Command::SetRemindWhenClosed(false));
            }
            if ui.input(|i| i.key_pressed(egui::Key::Escape)) {
                commands.push(Command::PostponeRemindQuestion);
            }
        });
    });
}
