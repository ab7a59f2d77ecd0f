//! Custom fields on screen: each kind's input on the contact form (a text box, a number, a
//! date with the calendar button, a yes/no checkbox, a choice list), the values in the
//! contact's header and on an organization's page, and the contact list's field filter.
//! Every input is named by its field, for screen readers and tests.

use crate::model::ContactFilter;
use crate::model::custom_field::{CustomField, FieldFilter, FieldId, FieldKind, parse_date};
use crate::view::custom_fields::{FieldsCommand, FieldsView};
use crate::view::{Command, SelectedContact};
use std::collections::BTreeMap;

/// One grid row per field, editing `values` (by field name) in place: a value is written
/// only when the person changes it, so opening a form changes nothing.
pub(super) fn form_rows_ui(
    ui: &mut egui::Ui,
    values: &mut BTreeMap<String, String>,
    fields: &[CustomField],
) {
    for field in fields {
        let current = values.get(&field.name).cloned().unwrap_or_default();
        let changed = match field.kind {
            FieldKind::YesNo => yes_no_ui(ui, field, &current),
            _ => {
                let label = ui.label(&field.name);
                match field.kind {
                    FieldKind::Choice => choice_ui(ui, field, &current, label.id),
                    FieldKind::Date => date_ui(ui, field, &current, label.id),
                    _ => text_ui(ui, field, &current, label.id),
                }
            }
        };
        if let Some(value) = changed {
            values.insert(field.name.clone(), value);
        }
        ui.end_row();
    }
}

fn text_ui(
    ui: &mut egui::Ui,
    field: &CustomField,
    current: &str,
    label: egui::Id,
) -> Option<String> {
    let mut text = current.to_owned();
    let hint = if field.kind == FieldKind::Number {
        "A number, e.g. 42"
    } else {
        ""
    };
    let response = ui
        .add(
            egui::TextEdit::singleline(&mut text)
                .hint_text(hint)
                .desired_width(f32::INFINITY),
        )
        .labelled_by(label);
    super::widgets::note_enter(ui, &response);
    response.changed().then_some(text)
}

/// A checkbox named by the field ("VIP"); the grid's first column stays empty, as for the
/// decision maker's.
fn yes_no_ui(ui: &mut egui::Ui, field: &CustomField, current: &str) -> Option<String> {
    ui.label("");
    let mut yes = current == "1";
    let response = ui.checkbox(&mut yes, &field.name);
    response
        .changed()
        .then(|| if yes { "1" } else { "0" }.to_owned())
}

fn choice_ui(
    ui: &mut egui::Ui,
    field: &CustomField,
    current: &str,
    label: egui::Id,
) -> Option<String> {
    let mut chosen = current.to_owned();
    let shown = if chosen.is_empty() {
        "(none)".to_owned()
    } else {
        chosen.clone()
    };
    egui::ComboBox::from_id_salt(("custom_choice", field.id.0))
        .selected_text(shown)
        .show_ui(ui, |ui| {
            ui.selectable_value(&mut chosen, String::new(), "(none)");
            for choice in &field.choices {
                ui.selectable_value(&mut chosen, choice.clone(), choice);
            }
        })
        .response
        .labelled_by(label);
    (chosen != current).then_some(chosen)
}

/// The day typed (the keyboard's way in), or picked with the calendar button beside it, as
/// the conversation form has it.
fn date_ui(
    ui: &mut egui::Ui,
    field: &CustomField,
    current: &str,
    label: egui::Id,
) -> Option<String> {
    let mut changed = None;
    ui.horizontal(|ui| {
        let mut text = current.to_owned();
        let typed = ui
            .add(
                egui::TextEdit::singleline(&mut text)
                    .desired_width(110.0)
                    .hint_text("2027-03-01"),
            )
            .labelled_by(label);
        super::widgets::note_enter(ui, &typed);
        if typed.changed() {
            changed = Some(text);
        }
        let shown = parse_date(current).unwrap_or_else(|| chrono::Local::now().date_naive());
        let mut day = to_jiff(shown);
        let picked = ui
            .add(
                egui_extras::DatePickerButton::new(&mut day)
                    .id_salt(&format!("custom_date_{}", field.id.0))
                    .combo_boxes(false)
                    .format(""),
            )
            .on_hover_text(format!("Pick {} in a calendar", field.name));
        if picked.changed() {
            changed = Some(format!(
                "{:04}-{:02}-{:02}",
                day.year(),
                day.month(),
                day.day()
            ));
        }
        if !current.is_empty() && ui.small_button("✖").on_hover_text("Clear").clicked() {
            changed = Some(String::new());
        }
    });
    changed
}

/// A day as the calendar button holds it (a day chrono knows is one jiff knows).
fn to_jiff(day: chrono::NaiveDate) -> jiff::civil::Date {
    use chrono::Datelike as _;
    jiff::civil::Date::new(day.year() as i16, day.month() as i8, day.day() as i8)
        .unwrap_or_default()
}

/// The contact's values under their header ("Shop size Large · Contract renewal 1 March
/// 2027"), in the fields' order; nothing when they have none.
pub(super) fn header_fields_ui(ui: &mut egui::Ui, selected: &SelectedContact, fields: &FieldsView) {
    values_line_ui(ui, &selected.contact.draft.custom_fields, &fields.contact);
}

fn values_line_ui(ui: &mut egui::Ui, values: &BTreeMap<String, String>, fields: &[CustomField]) {
    let shown: Vec<(&str, String)> = fields
        .iter()
        .filter_map(|f| Some((f.name.as_str(), f.display(values.get(&f.name)?))))
        .collect();
    if shown.is_empty() {
        return;
    }
    ui.horizontal_wrapped(|ui| {
        for (index, (name, value)) in shown.iter().enumerate() {
            if index > 0 {
                ui.label(egui::RichText::new("·").weak());
            }
            ui.label(egui::RichText::new(*name).weak());
            ui.label(value);
        }
    });
}

/// An organization's values on its page, and their edit ("✏ Fields").
pub(super) fn organization_fields_ui(
    ui: &mut egui::Ui,
    selected: &SelectedContact,
    fields: &mut FieldsView,
    commands: &mut Vec<Command>,
) {
    let Some((organization, _, _)) = &selected.organization else {
        return;
    };
    if fields.organization.is_empty() {
        return;
    }
    let shown = match &mut fields.organization_values {
        Some(shown) if shown.organization == *organization => shown,
        _ => {
            commands.push(Command::CustomFields(FieldsCommand::LoadOrganization(
                *organization,
            )));
            return;
        }
    };
    let Some(editing) = &mut shown.editing else {
        ui.horizontal_wrapped(|ui| {
            if shown.values.is_empty() {
                ui.label(egui::RichText::new("No fields filled in yet.").weak());
            }
            values_line_ui(ui, &shown.values, &fields.organization);
            if ui
                .small_button("✏ Fields")
                .on_hover_text("Fill in this organization's fields")
                .clicked()
            {
                shown.editing = Some(shown.values.clone());
                shown.error = None;
            }
        });
        return;
    };
    egui::Grid::new(("organization_fields", organization.0))
        .num_columns(2)
        .spacing([12.0, 6.0])
        .show(ui, |ui| form_rows_ui(ui, editing, &fields.organization));
    let mut close = false;
    ui.horizontal(|ui| {
        if ui.button("Save fields").clicked() {
            commands.push(Command::CustomFields(FieldsCommand::SaveOrganization {
                organization: *organization,
                values: editing.clone(),
            }));
        }
        close = ui.button("Cancel").clicked();
    });
    if let Some(error) = &shown.error {
        ui.label(egui::RichText::new(format!("⚠ {error}")).color(ui.visuals().error_fg_color));
    }
    if close {
        shown.editing = None;
        shown.error = None;
    }
}

/// What the list's field filter holds between frames: the field chosen and the value typed.
#[derive(Clone, Default)]
struct FilterBuffer {
    field: Option<FieldId>,
    text: String,
    error: Option<String>,
    /// The list shows this filter: once it is gone ("Clear"), the row starts afresh.
    applied: bool,
}

/// "Field [Shop size] [Large]": narrows the list to contacts whose field has the value (a
/// text field: contains it; a number or date: that value, or `from..to`).
pub(super) fn filter_row_ui(ui: &mut egui::Ui, fields: &[CustomField], filter: &mut ContactFilter) {
    if fields.is_empty() {
        return;
    }
    let id = egui::Id::unique("custom_field_filter");
    let mut buffer: FilterBuffer = ui.data(|d| d.get_temp(id)).unwrap_or_default();
    if buffer.applied && filter.field.is_none() {
        buffer = FilterBuffer::default();
    }
    if buffer.field.is_none() {
        buffer.field = filter.field.as_ref().map(|f| f.field);
    }
    ui.horizontal_wrapped(|ui| {
        ui.spacing_mut().item_spacing.x = 4.0;
        let label = ui.label(egui::RichText::new("Field").small().weak());
        let chosen = buffer.field.and_then(|f| fields.iter().find(|x| x.id == f));
        let before = buffer.field;
        egui::ComboBox::from_id_salt("filter_field")
            .selected_text(chosen.map_or("Any", |f| f.name.as_str()))
            .width(90.0)
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut buffer.field, None, "Any");
                for field in fields {
                    ui.selectable_value(&mut buffer.field, Some(field.id), &field.name);
                }
            })
            .response
            .labelled_by(label.id);
        if buffer.field != before {
            buffer.text.clear();
            buffer.error = None;
            filter.field = None;
        }
        let Some(field) = buffer.field.and_then(|f| fields.iter().find(|x| x.id == f)) else {
            return;
        };
        value_filter_ui(ui, field, &mut buffer, filter);
    });
    if let Some(error) = &buffer.error {
        ui.label(
            egui::RichText::new(format!("⚠ {error}"))
                .small()
                .color(ui.visuals().error_fg_color),
        );
    }
    buffer.applied = filter.field.is_some();
    ui.data_mut(|d| d.insert_temp(id, buffer));
}

fn value_filter_ui(
    ui: &mut egui::Ui,
    field: &CustomField,
    buffer: &mut FilterBuffer,
    filter: &mut ContactFilter,
) {
    let name = format!("{} value", field.name);
    match field.kind {
        FieldKind::Choice | FieldKind::YesNo => {
            let options: Vec<(String, String)> = match field.kind {
                FieldKind::YesNo => vec![("1".into(), "Yes".into()), ("0".into(), "No".into())],
                _ => field
                    .choices
                    .iter()
                    .map(|c| (c.clone(), c.clone()))
                    .collect(),
            };
            let mut wanted = buffer.text.clone();
            let shown = options
                .iter()
                .find(|(v, _)| *v == wanted)
                .map_or("Any", |(_, l)| l.as_str())
                .to_owned();
            let response = egui::ComboBox::from_id_salt("filter_field_value")
                .selected_text(shown)
                .width(80.0)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut wanted, String::new(), "Any");
                    for (value, label) in &options {
                        ui.selectable_value(&mut wanted, value.clone(), label);
                    }
                })
                .response;
            response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::ComboBox, true, &name));
            if wanted != buffer.text {
                buffer.text = wanted;
                apply(field, buffer, filter);
            }
        }
        _ => {
            let hint = match field.kind {
                FieldKind::Text => "contains…",
                FieldKind::Number => "42, or 10..20",
                _ => "2027-03-01, or 2027-01-01..2027-06-30",
            };
            let response = ui.add(
                egui::TextEdit::singleline(&mut buffer.text)
                    .hint_text(hint)
                    .desired_width(120.0),
            );
            response.widget_info(|| egui::WidgetInfo::text_edit(true, "", &buffer.text, &name));
            let entered = response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            if entered || (response.changed() && buffer.text.trim().is_empty()) {
                apply(field, buffer, filter);
            }
        }
    }
}

/// Sets the list's field filter from what was chosen or typed (none for a blank value).
fn apply(field: &CustomField, buffer: &mut FilterBuffer, filter: &mut ContactFilter) {
    buffer.error = None;
    if buffer.text.trim().is_empty() {
        filter.field = None;
        return;
    }
    match FieldFilter::parse(field, &buffer.text) {
        Ok(wanted) => filter.field = Some(wanted),
        Err(sentence) => buffer.error = Some(sentence),
    }
}
