//! A file protected with a passphrase: the File menu's items, the passphrase dialog (protect,
//! change, remove) and the unlock screen a protected file opens on.

use super::widgets::{focus_when_none, note_enter, take_enter};
use crate::view::protect::{MIN_LENGTH, PassphraseAction, PassphraseDialog, UnlockScreen};
use crate::view::{Command, ViewState};

/// The File menu's passphrase items: Protect… on a plain file; Change…, Remove… and Lock on a
/// protected one; nothing on a team database or in memory.
pub fn file_menu_items(ui: &mut egui::Ui, view: &ViewState, commands: &mut Vec<Command>) {
    let Some(protected) = view.protected else {
        return;
    };
    let mut item = |ui: &mut egui::Ui, text: &str, hover: &str, command: Command| {
        if ui.button(text).on_hover_text(hover).clicked() {
            commands.push(command);
            ui.close();
        }
    };
    if !protected {
        item(
            ui,
            "Protect with a passphrase…",
            "Encrypt this file and its backups, so a lost laptop or a copied file shows nothing",
            Command::OpenPassphraseDialog(PassphraseAction::Protect),
        );
        return;
    }
    item(
        ui,
        "Lock",
        "Close the file until its passphrase is typed again",
        Command::LockDatabase,
    );
    item(
        ui,
        "Change passphrase…",
        "Encrypt the file and its backups with a new passphrase",
        Command::OpenPassphraseDialog(PassphraseAction::Change),
    );
    item(
        ui,
        "Remove passphrase…",
        "Make the file and its backups plain files again",
        Command::OpenPassphraseDialog(PassphraseAction::Remove),
    );
}

/// A one-line passphrase box (dots, not letters) named by its label.
fn secret_row(ui: &mut egui::Ui, label: &str, value: &mut String) -> egui::Response {
    let label = ui.label(label);
    let response = ui
        .add(
            egui::TextEdit::singleline(value)
                .password(true)
                .desired_width(280.0),
        )
        .labelled_by(label.id);
    note_enter(ui, &response);
    ui.end_row();
    response
}

/// The passphrase dialog, when open.
pub fn passphrase_dialog_ui(
    ctx: &egui::Context,
    view: &mut ViewState,
    commands: &mut Vec<Command>,
) {
    let Some(dialog) = &mut view.passphrase_dialog else {
        return;
    };
    let mut close = false;
    egui::Modal::new(egui::Id::unique("passphrase_dialog")).show(ctx, |ui| {
        ui.set_width(520.0_f32.min(ctx.content_rect().width() - 48.0));
        dialog_text(ui, dialog.action);
        ui.add_space(6.0);
        egui::Grid::new("passphrase_grid")
            .num_columns(2)
            .spacing([12.0, 8.0])
            .show(ui, |ui| fields(ui, dialog));
        if dialog.action != PassphraseAction::Remove {
            ui.checkbox(&mut dialog.remember, "Remember it on this computer")
                .on_hover_text(
                    "Kept in the system keychain: Rapport (and its reminders) open the file without asking; anyone who can log in as you can open it too",
                );
        }
        if let Some(error) = &dialog.error {
            ui.label(egui::RichText::new(error).color(ui.visuals().error_fg_color));
        }
        ui.add_space(4.0);
        ui.horizontal(|ui| {
            let verb = match dialog.action {
                PassphraseAction::Protect => "Protect",
                PassphraseAction::Change => "Change passphrase",
                PassphraseAction::Remove => "Remove passphrase",
            };
            if ui.button(verb).clicked() || take_enter(ui) {
                commands.push(Command::ApplyPassphrase);
            }
            if ui.button("Cancel").clicked() || ui.input(|i| i.key_pressed(egui::Key::Escape)) {
                close = true;
            }
        });
    });
    if close {
        view.passphrase_dialog = None;
    }
}

fn dialog_text(ui: &mut egui::Ui, action: PassphraseAction) {
    let (heading, text) = match action {
        PassphraseAction::Protect => (
            "Protect this file with a passphrase",
            "Rapport encrypts the file and its backups (SQLCipher, AES-256): whoever copies them, \
             from a lost laptop or a USB stick, sees only noise. If you forget the passphrase, \
             nobody can open them, not even Rapport's makers: write it down somewhere safe.",
        ),
        PassphraseAction::Change => (
            "Change the passphrase",
            "The file and its backups are encrypted again with the new passphrase; the old one \
             stops opening them.",
        ),
        PassphraseAction::Remove => (
            "Remove the passphrase",
            "The file and its backups become plain files again, which anyone who copies them \
             can read.",
        ),
    };
    ui.heading(heading);
    ui.label(text);
}

fn fields(ui: &mut egui::Ui, dialog: &mut PassphraseDialog) {
    let first = if dialog.action == PassphraseAction::Protect {
        None
    } else {
        Some(secret_row(ui, "Current passphrase", &mut dialog.current))
    };
    let new = if dialog.action == PassphraseAction::Remove {
        None
    } else {
        let label = match dialog.action {
            PassphraseAction::Protect => "Passphrase",
            _ => "New passphrase",
        };
        let new = secret_row(ui, label, &mut dialog.new);
        secret_row(ui, "Repeat it", &mut dialog.repeat);
        Some(new)
    };
    if let Some(first) = first.as_ref().or(new.as_ref()) {
        focus_when_none(ui, first);
    }
    if dialog.action != PassphraseAction::Remove {
        ui.label("");
        ui.label(
            egui::RichText::new(format!(
                "At least {MIN_LENGTH} characters; a few words you will remember are best."
            ))
            .weak(),
        );
        ui.end_row();
    }
}

/// The screen a protected file opens on, until its passphrase is typed.
pub fn unlock_ui(ui: &mut egui::Ui, screen: &mut UnlockScreen, commands: &mut Vec<Command>) {
    egui::CentralPanel::default().show(ui, |ui| {
        egui::ScrollArea::vertical().show(ui, |ui| {
            ui.vertical_centered(|ui| {
                ui.add_space((ui.available_height() * 0.15).clamp(16.0, 90.0));
                ui.heading("This Rapport file is protected");
                ui.add_space(8.0);
                let name = screen
                    .path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_else(|| screen.path.display().to_string());
                ui.label(format!(
                    "{name} is encrypted with a passphrase. Type it to open your contacts."
                ));
                ui.add_space(12.0);
                unlock_form(ui, screen, commands);
                ui.add_space(16.0);
                ui.label(
                    egui::RichText::new(
                        "Forgot it? Without the passphrase nobody can open this file or its backups, not even Rapport's makers. \
                         To work in another file, start Rapport with --db FILE.",
                    )
                    .weak(),
                );
                ui.add_space(8.0);
                if ui.button("Quit").clicked() {
                    commands.push(Command::Quit);
                }
            });
        });
    });
}

fn unlock_form(ui: &mut egui::Ui, screen: &mut UnlockScreen, commands: &mut Vec<Command>) {
    ui.horizontal(|ui| {
        // Centred by hand: a horizontal row inside vertical_centered starts at the left.
        let width = 100.0 + 280.0 + 90.0;
        ui.add_space(((ui.available_width() - width) / 2.0).max(0.0));
        let label = ui.label("Passphrase");
        let field = ui
            .add(
                egui::TextEdit::singleline(&mut screen.passphrase)
                    .password(true)
                    .desired_width(280.0),
            )
            .labelled_by(label.id);
        // Read before giving the keyboard back: Enter just took it away.
        let entered = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        focus_when_none(ui, &field);
        if ui.button("Unlock").clicked() || entered {
            commands.push(Command::Unlock);
        }
    });
    ui.checkbox(&mut screen.remember, "Remember it on this computer")
        .on_hover_text("Kept in the system keychain: the file then opens without asking, and reminders arrive while Rapport is closed");
    if let Some(error) = &screen.error {
        ui.add_space(6.0);
        ui.label(egui::RichText::new(error).color(ui.visuals().error_fg_color));
        if screen.failed > 1 {
            ui.label(
                egui::RichText::new(format!(
                    "{} tries so far. Check Caps Lock and the keyboard layout; take your time.",
                    screen.failed
                ))
                .weak(),
            );
        }
    }
}
