//! The bar above the contact list while more than one contact is chosen:
//! "3 selected · Add tag… · Remove tag… · Stage… · Clear". Each action is one undo step.

use crate::model::Stage;
use crate::store::BulkEdit;
use crate::view::{Command, ViewState};

pub fn bulk_bar_ui(ui: &mut egui::Ui, view: &mut ViewState, commands: &mut Vec<Command>) {
    if !view.bulk.is_active() {
        return;
    }
    ui.horizontal_wrapped(|ui| {
        ui.spacing_mut().item_spacing.x = 4.0;
        ui.strong(view.bulk.counted());
        ui.menu_button("Add tag…", |ui| add_tag_menu_ui(ui, view, commands));
        ui.menu_button("Remove tag…", |ui| {
            if view.tags.is_empty() {
                ui.label("There are no tags yet.");
            }
            for tag in &view.tags {
                if ui.button(&tag.name).clicked() {
                    commands.push(Command::BulkEdit(BulkEdit::RemoveTag(tag.name.clone())));
                    ui.close();
                }
            }
        });
        ui.menu_button("Stage…", |ui| {
            for &stage in Stage::ALL {
                if ui
                    .button(format!("{} {}", stage.icon(), stage.label()))
                    .clicked()
                {
                    commands.push(Command::BulkEdit(BulkEdit::SetStage(stage)));
                    ui.close();
                }
            }
        });
        if ui
            .small_button("Clear")
            .on_hover_text("Choose none")
            .clicked()
        {
            view.bulk.clear();
        }
    });
}

/// A tag typed (Enter or "Add" adds it) or one of those there already.
fn add_tag_menu_ui(ui: &mut egui::Ui, view: &mut ViewState, commands: &mut Vec<Command>) {
    let label = ui.label("New or existing tag");
    let field = ui
        .add(egui::TextEdit::singleline(&mut view.bulk.tag_text).desired_width(140.0))
        .labelled_by(label.id);
    let typed = view.bulk.tag_text.trim().to_owned();
    let enter = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
    let add = ui
        .add_enabled(!typed.is_empty(), egui::Button::new("Add"))
        .clicked();
    if (add || enter) && !typed.is_empty() {
        commands.push(Command::BulkEdit(BulkEdit::AddTag(typed)));
        ui.close();
        return;
    }
    if !view.tags.is_empty() {
        ui.separator();
    }
    for tag in &view.tags {
        if ui.button(&tag.name).clicked() {
            commands.push(Command::BulkEdit(BulkEdit::AddTag(tag.name.clone())));
            ui.close();
        }
    }
}
