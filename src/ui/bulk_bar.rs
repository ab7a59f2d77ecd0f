//! The bar below the contact list (above Trash) while more than one contact is chosen: "3 selected ·
//! Select all 40 matches", then "Change ⏷ (Add tag… · Remove tag… · Stage… · Cadence… · Move to
//! trash) · Export… · Clear". Each change is one undo step; Escape chooses none. While a large change runs on
//! its own thread the bar shows how far it got ("Tagging 4,200 of 10,000…") and Cancel.

use crate::model::{ContactFilter, Stage};
use crate::store::BulkEdit;
use crate::view::bulk::BulkRunning;
use crate::view::{Command, ViewState};

pub fn bulk_bar_ui(ui: &mut egui::Ui, view: &mut ViewState, commands: &mut Vec<Command>) {
    if let Some(running) = &view.bulk.running {
        running_ui(ui, running, commands);
        return;
    }
    if !view.bulk.is_active() {
        return;
    }
    if escape_pressed(ui) {
        view.bulk.clear();
        return;
    }
    ui.horizontal_wrapped(|ui| {
        ui.spacing_mut().item_spacing.x = 4.0;
        ui.strong(view.bulk.counted());
        select_all_ui(ui, view, commands);
    });
    ui.horizontal_wrapped(|ui| {
        ui.spacing_mut().item_spacing.x = 4.0;
        // The changes sit in one menu, so the bar stays two lines high at 150 % in a narrow
        // panel (eight buttons took seven lines and covered the list).
        ui.menu_button("Change ⏷", |ui| changes_menu_ui(ui, view, commands))
            .response
            .on_hover_text("Tag, stage, cadence or trash for all of them, one undo step");
        if ui
            .button("Export…")
            .on_hover_text("Write the chosen contacts to a vCard or CSV file")
            .clicked()
        {
            commands.push(Command::ExportChosen);
        }
        if ui
            .small_button("Clear")
            .on_hover_text("Choose none (Escape)")
            .clicked()
        {
            view.bulk.clear();
        }
    });
}

/// What the Change menu offers: tags, stage and cadence as submenus, and the trash.
fn changes_menu_ui(ui: &mut egui::Ui, view: &mut ViewState, commands: &mut Vec<Command>) {
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
    ui.menu_button("Cadence…", |ui| cadence_menu_ui(ui, view, commands));
    ui.separator();
    if ui
        .button("🗑 Move to trash")
        .on_hover_text("Move the chosen contacts to the trash (Ctrl+Z brings them all back)")
        .clicked()
    {
        commands.push(Command::BulkEdit(BulkEdit::Trash));
        ui.close();
    }
}

/// Escape while no text box, menu or dialog wants it: choose none.
fn escape_pressed(ui: &egui::Ui) -> bool {
    let ctx = ui.ctx();
    !ctx.egui_wants_keyboard_input()
        && !egui::Popup::is_any_open(ctx)
        && ctx.memory(|m| m.top_modal_layer()).is_none()
        && ui.input(|i| i.key_pressed(egui::Key::Escape))
}

/// "Select all 40 matches", while a search or filter narrows the list and not all of its
/// matches are chosen.
fn select_all_ui(ui: &mut egui::Ui, view: &ViewState, commands: &mut Vec<Command>) {
    let filtered = ContactFilter {
        sort_by_health: false,
        ..view.contact_filter.clone()
    };
    let narrowed = !view.search.trim().is_empty() || !filtered.is_plain();
    let matches = view.contacts.total;
    if narrowed && matches > view.bulk.ids.len() {
        let text = format!(
            "Select all {} {}",
            crate::view::bulk::thousands(matches),
            if matches == 1 { "match" } else { "matches" }
        );
        if ui
            .link(text)
            .on_hover_text("Every contact the search and filters find (Ctrl+A)")
            .clicked()
        {
            commands.push(Command::SelectAllMatches);
        }
    }
}

/// A change running on its thread: what it does, how far it got, and Cancel.
fn running_ui(ui: &mut egui::Ui, running: &BulkRunning, commands: &mut Vec<Command>) {
    ui.strong(running.sentence());
    ui.horizontal(|ui| {
        let bar = egui::ProgressBar::new(running.fraction())
            .desired_width((ui.available_width() - 80.0).max(60.0))
            .animate(true);
        ui.add(bar);
        // An undo puts everything back in one go: there is no half to stop at.
        if !running.undo
            && ui
                .add_enabled(!running.cancelling, egui::Button::new("Cancel"))
                .on_hover_text("Stop; nothing is changed")
                .clicked()
        {
            commands.push(Command::CancelBulk);
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

/// "Keep in touch every [30] days" (Enter or "Set" sets it), or clear their own cadence.
fn cadence_menu_ui(ui: &mut egui::Ui, view: &mut ViewState, commands: &mut Vec<Command>) {
    let label = ui.label("Keep in touch every how many days");
    let field = ui
        .add(
            egui::TextEdit::singleline(&mut view.bulk.cadence_text)
                .desired_width(60.0)
                .hint_text("30"),
        )
        .labelled_by(label.id);
    let typed = view.bulk.typed_cadence();
    let enter = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
    let set = ui
        .add_enabled(typed.is_ok(), egui::Button::new("Set cadence"))
        .clicked();
    match typed {
        Ok(days) if set || enter => {
            commands.push(Command::BulkEdit(BulkEdit::SetCadence(Some(days))));
            ui.close();
            return;
        }
        Err(why) if !view.bulk.cadence_text.trim().is_empty() => {
            ui.colored_label(ui.visuals().error_fg_color, why);
        }
        _ => {}
    }
    ui.separator();
    if ui
        .button("No cadence of their own")
        .on_hover_text("Their tags' cadence, if any, applies")
        .clicked()
    {
        commands.push(Command::BulkEdit(BulkEdit::SetCadence(None)));
        ui.close();
    }
}
