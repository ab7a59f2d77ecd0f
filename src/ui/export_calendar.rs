//! File ▸ Export calendar: where to save the ICS file, typed or chosen in the system dialog.

use crate::view::{Command, ViewState};

pub fn export_calendar_ui(ctx: &egui::Context, view: &mut ViewState, commands: &mut Vec<Command>) {
    let Some(dialog) = &mut view.calendar_export else {
        return;
    };
    let mut close = false;
    egui::Modal::new(egui::Id::unique("export_calendar")).show(ctx, |ui| {
        ui.set_width((ctx.content_rect().width() - 48.0).clamp(280.0, 520.0));
        ui.heading("Export calendar");
        ui.label("Open follow-ups and birthdays as an .ics file for your calendar app. Times are your local wall-clock times.");
        ui.add_space(6.0);
        let path = super::widgets::save_as_row(
            ui,
            &mut dialog.path,
            "/home/me/Documents/rapport.ics",
            330.0,
            Command::PickCalendarPath,
            commands,
        );
        super::widgets::focus_when_none(ui, &path);
        match super::widgets::export_buttons_ui(ui, dialog.error.as_deref()) {
            super::widgets::ExportAnswer::Export => {
                let path = dialog.path.trim();
                if path.is_empty() {
                    dialog.error = Some("Type where to save the file, or press Choose….".to_owned());
                } else {
                    commands.push(Command::ExportCalendarTo(std::path::PathBuf::from(path)));
                }
            }
            super::widgets::ExportAnswer::Cancel => close = true,
            super::widgets::ExportAnswer::Nothing => {}
        }
    });
    if close {
        view.calendar_export = None;
    }
}
