//! Edit ▸ Custom fields…: the owner's fields for contacts and for organizations — add one
//! (name, kind, choices, reminder days), rename it, change its choices or reminder, move it
//! up or down the form, remove it (asked first, saying how many values go).

use crate::model::custom_field::{AppliesTo, CustomField, FieldKind};
use crate::view::custom_fields::{FieldEdit, FieldsCommand, FieldsDialog, RemoveQuestion};
use crate::view::{Command, ViewState};

pub fn fields_dialog_ui(ctx: &egui::Context, view: &mut ViewState, commands: &mut Vec<Command>) {
    let fields_view = &mut view.custom_fields;
    let Some(dialog) = &mut fields_view.dialog else {
        return;
    };
    let fields = match dialog.applies_to {
        AppliesTo::Contact => fields_view.contact.clone(),
        AppliesTo::Organization => fields_view.organization.clone(),
    };
    let mut close = false;
    let modal = egui::Modal::new(egui::Id::unique("custom_fields_dialog")).show(ctx, |ui| {
        ui.set_width((ctx.content_rect().width() - 48.0).clamp(300.0, 620.0));
        ui.heading("Custom fields");
        ui.label("Fields of your own on every contact or organization: an account number, the shop's size, when a contract is up for renewal. They show on the form and the header, and go into searches, filters, reports and exports.");
        ui.add_space(4.0);
        ui.horizontal(|ui| {
            for applies in AppliesTo::ALL {
                if ui
                    .selectable_label(dialog.applies_to == applies, applies.label())
                    .clicked()
                    && dialog.applies_to != applies
                {
                    dialog.applies_to = applies;
                    dialog.editing = None;
                    dialog.removing = None;
                    dialog.error = None;
                }
            }
        });
        ui.separator();
        if let Some(question) = dialog.removing.clone() {
            remove_question_ui(ui, dialog, &question, commands);
            return;
        }
        fields_list_ui(ui, dialog, &fields, commands);
        ui.separator();
        new_field_ui(ui, dialog, commands);
        if let Some(error) = &dialog.error {
            ui.label(egui::RichText::new(format!("⚠ {error}")).color(ui.visuals().error_fg_color));
        } else if let Some(note) = &dialog.note {
            ui.label(egui::RichText::new(note).weak());
        }
        ui.add_space(6.0);
        close = ui.button("Close").clicked();
    });
    // Escape closes the dialog, but first a choice list's open popup.
    let escape = modal.is_top_modal
        && !modal.any_popup_open
        && ctx.input(|i| i.key_pressed(egui::Key::Escape));
    if close || escape {
        view.custom_fields.dialog = None;
    }
}

fn remove_question_ui(
    ui: &mut egui::Ui,
    dialog: &mut FieldsDialog,
    question: &RemoveQuestion,
    commands: &mut Vec<Command>,
) {
    ui.label(question.sentence());
    ui.horizontal(|ui| {
        if ui.button(format!("Remove {}", question.name)).clicked() {
            commands.push(Command::CustomFields(FieldsCommand::Remove(question.id)));
        }
        if ui.button("Keep it").clicked() {
            dialog.removing = None;
        }
    });
}

/// The fields in the form's order, each with its kind and what can be done to it.
fn fields_list_ui(
    ui: &mut egui::Ui,
    dialog: &mut FieldsDialog,
    fields: &[CustomField],
    commands: &mut Vec<Command>,
) {
    if fields.is_empty() {
        ui.label(format!(
            "No fields for {} yet; add one below.",
            dialog.applies_to.label().to_lowercase()
        ));
        return;
    }
    egui::ScrollArea::vertical()
        .max_height(300.0)
        .show(ui, |ui| {
            for (index, field) in fields.iter().enumerate() {
                if dialog.editing.as_ref().is_some_and(|e| e.id == field.id) {
                    egui::Frame::group(ui.style()).show(ui, |ui| edit_row_ui(ui, dialog, commands));
                } else {
                    field_row_ui(ui, dialog, field, index, fields.len(), commands);
                }
            }
        });
}

/// "Shop size · Choice list: Small, Medium, Large" and its buttons.
fn field_row_ui(
    ui: &mut egui::Ui,
    dialog: &mut FieldsDialog,
    field: &CustomField,
    index: usize,
    count: usize,
    commands: &mut Vec<Command>,
) {
    let mut kind = field.kind.label().to_owned();
    if field.kind == FieldKind::Choice {
        kind.push_str(&format!(": {}", field.choices.join(", ")));
    }
    if let Some(days) = field.remind_days_before {
        kind.push_str(&format!(" (a follow-up {days} days before)"));
    }
    ui.horizontal(|ui| {
        let id = field.id;
        let name = &field.name;
        if ui
            .add_enabled(index > 0, egui::Button::new("⬆").small())
            .on_hover_text(format!("Move {name} up"))
            .clicked()
        {
            commands.push(Command::CustomFields(FieldsCommand::Move { id, by: -1 }));
        }
        if ui
            .add_enabled(index + 1 < count, egui::Button::new("⬇").small())
            .on_hover_text(format!("Move {name} down"))
            .clicked()
        {
            commands.push(Command::CustomFields(FieldsCommand::Move { id, by: 1 }));
        }
        if ui
            .small_button("✏")
            .on_hover_text(format!("Rename or change {name}"))
            .clicked()
        {
            dialog.editing = Some(FieldEdit::of(field));
            dialog.error = None;
        }
        if ui
            .small_button("🗑")
            .on_hover_text(format!("Remove {name}"))
            .clicked()
        {
            commands.push(Command::CustomFields(FieldsCommand::AskRemove(id)));
        }
        ui.strong(name);
        ui.add(egui::Label::new(egui::RichText::new(kind).weak()).wrap());
    });
}

/// The field being changed: its name, choices and reminder days, then Save or Cancel.
fn edit_row_ui(ui: &mut egui::Ui, dialog: &mut FieldsDialog, commands: &mut Vec<Command>) {
    let applies = dialog.applies_to;
    let Some(edit) = &mut dialog.editing else {
        return;
    };
    ui.vertical(|ui| {
        ui.horizontal(|ui| {
            let name_label = ui.label("Name");
            ui.add(egui::TextEdit::singleline(&mut edit.name).desired_width(200.0))
                .labelled_by(name_label.id);
        });
        if edit.kind == FieldKind::Choice {
            choices_ui(ui, &mut edit.choices);
        }
        if edit.kind == FieldKind::Date && applies == AppliesTo::Contact {
            remind_ui(ui, &mut edit.remind_days);
        }
    });
    let mut answer: Option<Result<Option<FieldsCommand>, String>> = None;
    ui.horizontal(|ui| {
        if ui.button("Save").clicked() {
            answer = Some(edit.to_command());
        }
        if ui.button("Cancel").clicked() {
            answer = Some(Ok(None));
        }
    });
    match answer {
        Some(Ok(Some(command))) => commands.push(Command::CustomFields(command)),
        Some(Ok(None)) => dialog.editing = None,
        Some(Err(sentence)) => dialog.error = Some(sentence),
        None => {}
    }
}

/// What a kind holds, for the pointer.
fn kind_hint(kind: FieldKind) -> &'static str {
    match kind {
        FieldKind::Text => "Any text: an account number, a note",
        FieldKind::Number => "A number: seats, employees, a credit limit",
        FieldKind::Date => "A date: a contract renewal; it can ask for a follow-up before it",
        FieldKind::YesNo => "A tick box: VIP, newsletter",
        FieldKind::Choice => "One of a list you give: Small, Medium, Large",
    }
}

fn choices_ui(ui: &mut egui::Ui, choices: &mut String) {
    ui.horizontal(|ui| {
        let label = ui.label("Choices");
        ui.add(
            egui::TextEdit::singleline(choices)
                .hint_text("Small, Medium, Large")
                .desired_width(220.0),
        )
        .labelled_by(label.id);
    });
}

fn remind_ui(ui: &mut egui::Ui, days: &mut String) {
    ui.horizontal(|ui| {
        let label = ui.label("Follow-up days before");
        ui.add(
            egui::TextEdit::singleline(days)
                .hint_text("none")
                .desired_width(50.0),
        )
        .labelled_by(label.id)
        .on_hover_text("A follow-up for each contact this many days before the date (empty: none)");
    });
}

/// "Add a field": name, kind, and for a choice list its choices, for a contact's date the
/// days before it a follow-up comes.
fn new_field_ui(ui: &mut egui::Ui, dialog: &mut FieldsDialog, commands: &mut Vec<Command>) {
    let applies = dialog.applies_to;
    let new = &mut dialog.new_field;
    ui.strong("Add a field");
    let mut add = false;
    egui::Grid::new("new_custom_field")
        .num_columns(2)
        .spacing([10.0, 6.0])
        .show(ui, |ui| {
            let label = ui.label("Field name");
            let name = ui
                .add(
                    egui::TextEdit::singleline(&mut new.name)
                        .hint_text("Shop size")
                        .desired_width(220.0),
                )
                .labelled_by(label.id);
            if std::mem::take(&mut dialog.focus_name) {
                name.request_focus();
            }
            add |= name.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            ui.end_row();
            // The five kinds side by side: one click, all in sight.
            ui.label("Kind");
            ui.horizontal_wrapped(|ui| {
                for kind in FieldKind::ALL {
                    ui.selectable_value(&mut new.kind, Some(kind), kind.label())
                        .on_hover_text(kind_hint(kind));
                }
            });
            ui.end_row();
            if new.kind == Some(FieldKind::Choice) {
                ui.label("");
                choices_ui(ui, &mut new.choices);
                ui.end_row();
            }
            if new.kind == Some(FieldKind::Date) && applies == AppliesTo::Contact {
                ui.label("");
                remind_ui(ui, &mut new.remind_days);
                ui.end_row();
            }
        });
    add |= ui.button("➕ Add field").clicked();
    if add {
        match new.to_definition(applies) {
            Ok(definition) => {
                commands.push(Command::CustomFields(FieldsCommand::Define(definition)))
            }
            Err(sentence) => dialog.error = Some(sentence),
        }
    }
}
