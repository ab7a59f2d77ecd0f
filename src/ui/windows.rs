//! The small windows around the panels: Trash, Backups, About, the welcome on a first launch,
//! the notice after a crash, the screen shown while a large file (or a team database) opens,
//! and the one shown when the database cannot be opened.

use crate::build_info;
use crate::view::{Command, ViewState};

pub(super) fn trash_ui(ctx: &egui::Context, view: &mut ViewState, commands: &mut Vec<Command>) {
    let Some(trash) = &view.trash else { return };
    let mut open = true;
    egui::Window::new("Trash")
        .open(&mut open)
        .default_pos(ctx.content_rect().center() - egui::vec2(210.0, 200.0))
        .collapsible(false)
        .default_width((ctx.content_rect().width() - 48.0).clamp(280.0, 460.0))
        .show(ctx, |ui| {
            if trash.is_empty() {
                ui.label("The trash is empty. Deleted contacts wait here until you restore them or delete them for good.");
                return;
            }
            ui.label("Deleted contacts keep their conversations until you delete them for good.");
            ui.separator();
            egui::ScrollArea::vertical().max_height(360.0).show(ui, |ui| {
                for item in trash {
                    trash_item_ui(ui, item, commands);
                    ui.separator();
                }
            });
        });
    if !open {
        view.trash = None;
    }
}

/// One trashed contact: the buttons at the right, the name and when it was deleted in the
/// rest of the line, cut with "…" (full text on hover) rather than squeezed letter by letter.
fn trash_item_ui(
    ui: &mut egui::Ui,
    item: &crate::model::TrashedContact,
    commands: &mut Vec<Command>,
) {
    ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
        if ui
            .button("Delete for good")
            .on_hover_text("Cannot be undone")
            .clicked()
        {
            commands.push(Command::PurgeContact(item.id));
        }
        if ui
            .button("Restore")
            .on_hover_text(format!("Restore {}", item.display_name))
            .clicked()
        {
            commands.push(Command::RestoreContact(item.id));
        }
        ui.with_layout(egui::Layout::top_down(egui::Align::Min), |ui| {
            ui.add(egui::Label::new(egui::RichText::new(&item.display_name).strong()).truncate());
            let deleted = item
                .deleted_at
                .with_timezone(&chrono::Local)
                .format("%-d %b %Y %H:%M");
            let line = if item.organization.is_empty() {
                format!("deleted {deleted}")
            } else {
                format!("{} · deleted {deleted}", item.organization)
            };
            ui.add(egui::Label::new(egui::RichText::new(line).small().weak()).truncate());
        });
    });
}

pub(super) fn about_ui(ctx: &egui::Context, view: &mut ViewState) {
    if !view.show_about {
        return;
    }
    let modal = egui::Modal::new(egui::Id::unique("about")).show(ctx, |ui| {
        ui.set_width(380.0);
        ui.heading("Rapport");
        ui.label("Your memory for the people your business depends on: what they said, what they need, and what you promised.");
        ui.add_space(6.0);
        ui.label(build_info::describe());
        ui.label(view.database.line());
        if view.database.is_team() {
            ui.label(view.database.where_kept());
        } else {
            ui.label("Works fully offline; your data never leaves this computer.");
        }
        ui.add_space(6.0);
        ui.button("Close").clicked()
    });
    if modal.inner || modal.should_close() {
        view.show_about = false;
    }
}

/// What the window shows while the database file is being opened (only when that takes more
/// than a moment: the first start of a new version on a large file copies it, then updates it).
pub fn opening_screen(
    ui: &mut egui::Ui,
    database: &crate::view::DatabaseName,
    elapsed: std::time::Duration,
) {
    use crate::view::DatabaseName;
    egui::CentralPanel::default().show(ui, |ui| {
        ui.vertical_centered(|ui| {
            ui.add_space(80.0);
            match database {
                DatabaseName::Team(address) => {
                    ui.heading("Connecting to the team database…");
                    ui.add_space(8.0);
                    ui.label(egui::RichText::new(address).weak());
                }
                DatabaseName::File(path) => {
                    ui.heading("Opening your Rapport file…");
                    ui.add_space(8.0);
                    ui.label(egui::RichText::new(path).weak());
                }
                DatabaseName::InMemory => {
                    ui.heading("Opening your Rapport file…");
                }
            }
            ui.add_space(16.0);
            ui.add(egui::Spinner::new().size(28.0));
            ui.add_space(16.0);
            if database.is_team() {
                ui.label("The first connection after an update brings the team database up to date for this version.");
            } else {
                ui.label(
                    "After an update, Rapport first saves a copy of your file, then brings it up to date for this version.",
                );
            }
            ui.label(
                "With many conversations this can take a minute. Please leave Rapport open until your contacts appear.",
            );
            ui.add_space(8.0);
            ui.label(egui::RichText::new(format!("{} s", elapsed.as_secs())).weak());
        });
    });
}

pub(super) fn open_error_ui(
    ui: &mut egui::Ui,
    error: &str,
    recovery: Option<&crate::view::Recovery>,
    commands: &mut Vec<Command>,
) {
    egui::CentralPanel::default().show(ui, |ui| {
        ui.vertical_centered(|ui| {
            ui.add_space(80.0);
            ui.heading("Rapport could not open your database");
            ui.add_space(12.0);
            ui.label(egui::RichText::new(error).color(ui.visuals().error_fg_color));
            ui.add_space(12.0);
            ui.label("Nothing was changed or overwritten.");
            if let Some(recovery) = recovery {
                ui.add_space(8.0);
                ui.label(format!(
                    "The latest good backup is from {}. Restoring it keeps the damaged file beside it under a new name.",
                    recovery.taken_at.format("%A %-d %B %Y, %H:%M")
                ));
                if ui.button("Restore the latest good backup").clicked() {
                    commands.push(Command::RecoverFromBackup(recovery.backup.clone()));
                }
            } else {
                ui.label("Start Rapport with --db to open another file, or restore a backup with: rapport restore FILE");
            }
            if ui.button("Connect to a team database…").clicked() {
                commands.push(Command::OpenTeamDialog);
            }
            ui.add_space(12.0);
            if ui.button("Quit").clicked() {
                commands.push(Command::Quit);
            }
        });
    });
}

pub(super) fn backups_ui(ctx: &egui::Context, view: &mut ViewState, commands: &mut Vec<Command>) {
    let Some(backups) = &view.backups else { return };
    let mut open = true;
    egui::Window::new("Backups")
        .open(&mut open)
        .collapsible(false)
        .default_width(520.0)
        .default_pos(ctx.content_rect().center() - egui::vec2(260.0, 200.0))
        .show(ctx, |ui| {
            ui.label("Rapport copies your database every day you use it, and before every import, migration and restore. It keeps 7 daily and 4 weekly copies.");
            if ui.button("Back up now").clicked() {
                commands.push(Command::BackupNow);
            }
            ui.separator();
            if backups.is_empty() {
                ui.label("No backups yet.");
                return;
            }
            egui::ScrollArea::vertical().max_height(340.0).show(ui, |ui| {
                egui::Grid::new("backups_grid").striped(true).num_columns(4).show(ui, |ui| {
                    for backup in backups {
                        ui.label(backup.taken_at.format("%a %-d %b %Y, %H:%M").to_string());
                        ui.label(egui::RichText::new(backup.reason.replace('-', " ")).weak());
                        ui.label(crate::safety::human_size(backup.size_bytes));
                        if ui
                            .button("Restore")
                            .on_hover_text("Replace your data with this copy; what you have now is backed up first")
                            .clicked()
                        {
                            commands.push(Command::RestoreBackup(backup.path.clone()));
                        }
                        ui.end_row();
                    }
                });
            });
        });
    if !open {
        view.backups = None;
    }
}

pub(super) fn welcome_ui(ctx: &egui::Context, view: &mut ViewState, commands: &mut Vec<Command>) {
    // A shortcut (Ctrl+I, Ctrl+N) answers the welcome as well as its buttons do: it stayed
    // open over the list after an import started with Ctrl+I had filled it.
    if view.import_dialog.is_some() || view.contact_form.is_some() {
        view.first_run = false;
    }
    if !view.first_run {
        return;
    }
    let mut close = false;
    egui::Modal::new(egui::Id::unique("welcome")).show(ctx, |ui| {
        ui.set_width(480.0);
        ui.heading("Welcome to Rapport");
        ui.add_space(4.0);
        ui.label("Rapport is your memory for the people your business depends on: what they said, what they need, what you promised, and when to call back.");
        ui.add_space(8.0);
        if ui
            .button("📥 Import contacts…")
            .on_hover_text("Google, Outlook, LinkedIn, a phone's vCard file or any spreadsheet")
            .clicked()
        {
            commands.push(Command::OpenImport);
            close = true;
        }
        ui.label(egui::RichText::new("Bring in the contacts you already have; you see what will happen before anything changes.").small().weak());
        ui.add_space(6.0);
        if ui.button("🎭 Try with demo data").on_hover_text("Made-up customers in a separate database; one click takes you back").clicked() {
            commands.push(Command::TryDemo);
            close = true;
        }
        ui.label(egui::RichText::new("Look around with 300 made-up customers, kept apart from your own data.").small().weak());
        ui.add_space(6.0);
        if ui.button("➕ Start empty").clicked() {
            close = true;
        }
        ui.label(egui::RichText::new("Add your first contact with ➕ New contact (Ctrl+N).").small().weak());
        ui.add_space(6.0);
        ui.label(egui::RichText::new(view.database.where_kept()).small().weak());
    });
    if close {
        view.first_run = false;
    }
}

pub(super) fn crash_notice_ui(ctx: &egui::Context, view: &mut ViewState) {
    let Some(notice) = &view.crash_notice else {
        return;
    };
    let mut close = false;
    egui::Modal::new(egui::Id::unique("crash_notice")).show(ctx, |ui| {
        ui.set_width(480.0);
        ui.heading("Rapport closed unexpectedly last time");
        ui.label(
            "We are sorry. Every change is saved the moment you make it, so your data is safe.",
        );
        ui.add_space(4.0);
        ui.label(egui::RichText::new(notice).small().weak());
        if ui.button("OK").clicked() {
            close = true;
        }
    });
    if close {
        view.crash_notice = None;
    }
}
