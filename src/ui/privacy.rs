//! The Contact menu's Everything we hold… and Erase completely…: a customer's right to see all
//! a business keeps about them, and to be forgotten.

use crate::view::{Command, ViewState};

/// The Contact menu, for the selected contact.
pub fn contact_menu_ui(ui: &mut egui::Ui, view: &ViewState, commands: &mut Vec<Command>) {
    let selected = view.selected.as_ref().map(|s| s.contact.id);
    ui.menu_button("Contact", |ui| {
        let everything = ui
            .add_enabled(selected.is_some(), egui::Button::new("Everything we hold…"))
            .on_hover_text("All Rapport holds about this person, as one file to give them");
        if everything.clicked()
            && let Some(id) = selected
        {
            commands.push(Command::OpenEverything(id));
            ui.close();
        }
        let erase = ui
            .add_enabled(selected.is_some(), egui::Button::new("Erase completely…"))
            .on_hover_text("Delete this person and every trace of them, for good");
        if erase.clicked()
            && let Some(id) = selected
        {
            commands.push(Command::OpenErase(id));
            ui.close();
        }
    });
}

/// The two dialogs.
pub fn privacy_dialogs_ui(ctx: &egui::Context, view: &mut ViewState, commands: &mut Vec<Command>) {
    everything_ui(ctx, view, commands);
    erase_ui(ctx, view, commands);
}

fn everything_ui(ctx: &egui::Context, view: &mut ViewState, commands: &mut Vec<Command>) {
    let Some(dialog) = &mut view.everything_dialog else {
        return;
    };
    let mut close = false;
    egui::Modal::new(egui::Id::unique("everything_dialog")).show(ctx, |ui| {
        ui.set_width(520.0);
        ui.heading(format!("Everything we hold about {}", dialog.name));
        ui.label(
            "Their details, every conversation they took part in with its notes, follow-ups, \
             life events and where the data came from, as one file: .html to read and print, \
             .json for another program. Only you can read the file.",
        );
        ui.add_space(4.0);
        ui.horizontal(|ui| {
            let label = ui.label("Save as");
            ui.add(egui::TextEdit::singleline(&mut dialog.path).desired_width(420.0))
                .labelled_by(label.id);
        });
        if let Some(error) = &dialog.error {
            ui.label(egui::RichText::new(format!("⚠ {error}")).color(ui.visuals().error_fg_color));
        }
        ui.horizontal(|ui| {
            if ui.button("Save").clicked() || super::widgets::take_enter(ui) {
                commands.push(Command::SaveEverything);
            }
            if ui.button("Cancel").clicked() || ui.input(|i| i.key_pressed(egui::Key::Escape)) {
                close = true;
            }
        });
    });
    if close {
        view.everything_dialog = None;
    }
}

fn erase_ui(ctx: &egui::Context, view: &mut ViewState, commands: &mut Vec<Command>) {
    let Some(dialog) = &mut view.erase_dialog else {
        return;
    };
    let mut close = false;
    egui::Modal::new(egui::Id::unique("erase_dialog")).show(ctx, |ui| {
        ui.set_width(520.0);
        ui.heading(format!("Erase {} completely?", dialog.name));
        ui.label(
            "Their details, the conversations only they took part in, their follow-ups, life \
             events and import records are deleted, and the file is compacted so the bytes are \
             gone. Shared conversations stay for the others in them. This cannot be undone, and \
             it clears the Edit menu's undo steps.",
        );
        ui.checkbox(
            &mut dialog.from_backups,
            "Erase them from the backups beside the database too",
        );
        ui.add_space(4.0);
        ui.horizontal(|ui| {
            let danger = egui::Button::new(
                egui::RichText::new(format!("Erase {}", dialog.name))
                    .color(ui.visuals().error_fg_color),
            );
            if ui.add(danger).clicked() {
                commands.push(Command::EraseContact {
                    id: dialog.contact,
                    from_backups: dialog.from_backups,
                });
            }
            let keep = ui.button("Keep them");
            if ui.memory(|m| m.focused().is_none()) {
                keep.request_focus();
            }
            if keep.clicked() || ui.input(|i| i.key_pressed(egui::Key::Escape)) {
                close = true;
            }
        });
    });
    if close {
        view.erase_dialog = None;
    }
}
