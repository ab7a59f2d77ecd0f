//! File ▸ Team database: the address of a team database on a PostgreSQL server, then Connect.
//! The app connects on a thread; until it answers the dialog says "Connecting…", and a
//! failure is said here while the window keeps the database it has.

use crate::view::{Command, ViewState};

pub fn team_dialog_ui(ctx: &egui::Context, view: &mut ViewState, commands: &mut Vec<Command>) {
    let Some(dialog) = &mut view.team_dialog else {
        return;
    };
    let mut close = false;
    let modal = egui::Modal::new(egui::Id::unique("team_dialog")).show(ctx, |ui| {
        ui.set_width((ctx.content_rect().width() - 48.0).clamp(280.0, 560.0));
        ui.heading("Team database");
        ui.label("Work in a database your team shares on a PostgreSQL server. The database open now stays as it is; start Rapport again to come back to it.");
        ui.add_space(6.0);
        let address = ui
            .horizontal(|ui| {
                let label = ui.label("Address");
                let edit = ui
                    .add(
                        egui::TextEdit::singleline(&mut dialog.url)
                            .hint_text("postgres://name:password@server/database")
                            .desired_width(f32::INFINITY),
                    )
                    .labelled_by(label.id);
                super::widgets::note_enter(ui, &edit);
                edit
            })
            .inner;
        if std::mem::take(&mut dialog.focus_first) {
            address.request_focus();
        }
        ui.label(
            egui::RichText::new(
                "Rapport remembers the address without the password, and keeps the password in the system keychain once it let you in: next time the address alone will do.",
            )
            .small()
            .weak(),
        );
        if let Some(error) = &dialog.error {
            ui.label(egui::RichText::new(format!("⚠ {error}")).color(ui.visuals().error_fg_color));
        }
        ui.separator();
        let enter = super::widgets::take_enter(ui);
        ui.horizontal(|ui| {
            let connect = ui.add_enabled(!dialog.connecting, egui::Button::new("Connect"));
            if (connect.clicked() || enter) && !dialog.connecting {
                match dialog.location() {
                    Ok(location) => {
                        dialog.error = None;
                        commands.push(Command::ConnectTeam(location));
                    }
                    Err(sentence) => dialog.error = Some(sentence),
                }
            }
            if dialog.connecting {
                ui.spinner();
                ui.label("Connecting…");
            }
            if ui.button("Cancel").clicked() {
                close = true;
            }
        });
    });
    if close || modal.should_close() {
        // A connection still being made is dropped when it arrives (see the app's poll).
        view.team_dialog = None;
    }
}
