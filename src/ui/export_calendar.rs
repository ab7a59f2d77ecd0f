//! File ▸ Export calendar: where to save the ICS file, typed or chosen in the system dialog.

use crate::app::{Command, ViewState};

#[derive(Debug, Clone)]
pub struct CalendarExport {
    pub path: String,
    pub error: Option<String>,
}

pub fn export_calendar_ui(ctx: &egui::Context, view: &mut ViewState, commands: &mut Vec<Command>) {
    let Some(dialog) = &mut view.calendar_export else {
        return;
    };
    let mut close = false;
    egui::Modal::new(egui::Id::unique("export_calendar")).show(ctx, |ui| {
        ui.set_width(520.0);
        ui.heading("Export calendar");
        ui.label("Open follow-ups and birthdays as an .ics file for your calendar app. Times are your local wall-clock times.");
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            let label = ui.label("Save as");
            ui.add(egui::TextEdit::singleline(&mut dialog.path).desired_width(330.0))
                .labelled_by(label.id);
            if ui.button("Choose…").on_hover_text("Pick the place in a file dialog").clicked() {
                commands.push(Command::PickCalendarPath);
            }
        });
        if let Some(error) = &dialog.error {
            ui.label(egui::RichText::new(format!("⚠ {error}")).color(ui.visuals().error_fg_color));
        }
        ui.horizontal(|ui| {
            if ui.button("Export").clicked() {
                let path = dialog.path.trim();
                if path.is_empty() {
                    dialog.error = Some("Type where to save the file, or press Choose….".to_owned());
                } else {
                    commands.push(Command::ExportCalendarTo(std::path::PathBuf::from(path)));
                }
            }
            if ui.button("Cancel").clicked() {
                close = true;
            }
        });
    });
    if close {
        view.calendar_export = None;
    }
}
