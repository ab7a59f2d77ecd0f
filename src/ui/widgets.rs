//! Small widgets shared by the forms: every input gets an accessible name from its label.

/// A label in the first grid column and a one-line text box in the second.
pub fn text_row(ui: &mut egui::Ui, label: &str, value: &mut String, hint: &str) -> egui::Response {
    let label = ui.label(label);
    let response = ui
        .add(
            egui::TextEdit::singleline(value)
                .hint_text(hint)
                .desired_width(f32::INFINITY),
        )
        .labelled_by(label.id);
    ui.end_row();
    response
}

/// A label in the first grid column and a multi-line text box in the second.
pub fn notes_row(ui: &mut egui::Ui, label: &str, value: &mut String, hint: &str) -> egui::Response {
    let label = ui.label(label);
    let response = ui
        .add(
            egui::TextEdit::multiline(value)
                .hint_text(hint)
                .desired_rows(2)
                .desired_width(f32::INFINITY),
        )
        .labelled_by(label.id);
    ui.end_row();
    response
}

/// A drop-down over one of the model's vocabularies (channel, purpose, …).
pub fn choice_row<T: Copy + PartialEq + std::fmt::Display + 'static>(
    ui: &mut egui::Ui,
    label: &str,
    value: &mut T,
    all: &[T],
    icon: impl Fn(T) -> &'static str,
) {
    let label_response = ui.label(label);
    let response = egui::ComboBox::from_id_salt(label)
        .selected_text(format!("{} {}", icon(*value), value))
        .width(220.0)
        .show_ui(ui, |ui| {
            for option in all {
                ui.selectable_value(value, *option, format!("{} {}", icon(*option), option));
            }
        })
        .response;
    response.labelled_by(label_response.id);
    ui.end_row();
}
