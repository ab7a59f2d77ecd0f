//! What a team database adds to the window: the connection in words at the foot of the window,
//! the dialog for a contact save that clashed with a teammate's (both values of each field,
//! and a choice for each), and the question before trashing a contact someone changed since
//! it was shown.

use crate::model::three_way::Keep;
use crate::view::team_live::{ContactClash, LOST};
use crate::view::{Command, ViewState};

/// The connection's state for the status bar: the lost sentence on its own line while the
/// team database is out of reach.
pub fn lost_line_ui(ui: &mut egui::Ui, view: &ViewState) {
    if view.team.as_ref().is_some_and(|t| t.is_lost()) {
        ui.label(
            egui::RichText::new(format!("⚠ {LOST}"))
                .strong()
                .color(ui.visuals().warn_fg_color),
        );
    }
}

/// What the status bar names at its right: the team database and who is connected, or the
/// file.
pub fn database_line(view: &ViewState) -> String {
    match &view.team {
        Some(team) => team.line(),
        None => view.database.line(),
    }
}

/// A grid row with the checkbox that keeps a contact or conversation (`what`) to its author
/// (the server enforces it: teammates see neither it nor what hangs off it).
pub fn private_row_ui(ui: &mut egui::Ui, private: &mut bool, what: &str) {
    ui.label("");
    ui.checkbox(private, "Private (only you see it)")
        .on_hover_text(format!(
            "Only you see this {what} and everything attached to it; your teammates do not."
        ));
    ui.end_row();
}

/// The clash dialog, over the contact form it came from (which is hidden meanwhile and comes
/// back with what was typed on Cancel). True while it is shown.
pub fn clash_dialog_ui(
    ctx: &egui::Context,
    view: &mut ViewState,
    commands: &mut Vec<Command>,
) -> bool {
    let Some(form) = &mut view.contact_form else {
        return false;
    };
    let Some(clash) = &mut form.clash else {
        return false;
    };
    let mut cancel = false;
    let modal = egui::Modal::new(egui::Id::unique("contact_clash")).show(ctx, |ui| {
        ui.set_width((ctx.content_rect().width() - 48.0).clamp(280.0, 600.0));
        ui.heading(clash.heading());
        ui.label("You both changed these fields. Choose which to keep for each; everything else is kept from both of you.");
        ui.separator();
        egui::ScrollArea::vertical()
            .max_height(ctx.content_rect().height() * 0.6)
            .show(ui, |ui| choices_ui(ui, clash));
        if let Some(error) = &clash.error {
            ui.label(egui::RichText::new(format!("⚠ {error}")).color(ui.visuals().error_fg_color));
        }
        ui.separator();
        ui.horizontal_wrapped(|ui| {
            let chosen = clash.chosen();
            let save = ui
                .add_enabled(chosen.is_some(), egui::Button::new("Save with these choices"))
                .on_disabled_hover_text("Choose mine or theirs for each field first");
            if save.clicked()
                && let Some(choices) = chosen
            {
                commands.push(Command::ResolveContactClash { choices });
            }
            cancel = ui
                .button("Cancel")
                .on_hover_text("Back to the form; nothing is saved")
                .clicked();
        });
    });
    if cancel || modal.should_close() {
        form.clash = None;
    }
    true
}

/// Each clashing field with both values, labelled with whose they are, as two choices.
fn choices_ui(ui: &mut egui::Ui, clash: &mut ContactClash) {
    let theirs = clash.theirs();
    for (field, choice) in clash.clashes.iter().zip(clash.choices.iter_mut()) {
        ui.add_space(4.0);
        ui.strong(field.label());
        let mine = ui.radio(
            *choice == Some(Keep::Mine),
            format!("Keep mine: {}", field.mine),
        );
        if mine.clicked() {
            *choice = Some(Keep::Mine);
        }
        let other = ui.radio(
            *choice == Some(Keep::Theirs),
            format!("Keep {theirs}: {}", field.theirs),
        );
        if other.clicked() {
            *choice = Some(Keep::Theirs);
        }
    }
}

/// "Ana Lima changed Maria García since you opened it. Move to the trash anyway?"
pub fn trash_question_ui(ctx: &egui::Context, view: &mut ViewState, commands: &mut Vec<Command>) {
    let Some(question) = &view.trash_question else {
        return;
    };
    let mut answered = false;
    let modal = egui::Modal::new(egui::Id::unique("trash_question")).show(ctx, |ui| {
        ui.set_width((ctx.content_rect().width() - 48.0).clamp(280.0, 480.0));
        ui.label(question.sentence());
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            if ui.button("Move to the trash").clicked() {
                commands.push(Command::TrashContactAnyway(question.id));
                answered = true;
            }
            let cancel = ui.button("Cancel");
            if !cancel.has_focus() && ui.memory(|m| m.focused().is_none()) {
                // The safe answer has the keyboard: Enter or Space keeps the contact.
                cancel.request_focus();
            }
            answered |= cancel.clicked();
        });
    });
    if answered || modal.should_close() {
        view.trash_question = None;
    }
}
