//! File ▸ Import mail or calendar… (or mail and calendar files dropped on the window): what
//! importing them will do — conversations per contact (the contact they were dropped on
//! first, or "Nothing in this file involves …" when they give that contact none), messages
//! with nobody in Rapport and the choice to make contacts of them (a change counts again,
//! the plan before staying in place, greyed, with Import off until the new one), what is
//! skipped and why, what is already in Rapport — with the user's own addresses (offered from
//! the files when none is known yet). Import, then progress, then "Imported 212
//! conversations." with Undo. Nothing changes before Import.

use crate::store::conversation_import::ConversationPlan;
use crate::view::conversation_import::{
    MailImportDialog, MailImportStage, OTHERS_LISTED, contact_lines, done_sentence, first_of,
    hint_note, plan_sentence,
};
use crate::view::{Command, ViewState};

/// The plan's lists never take more of the window than this share of its height.
const LISTS_SHARE: f32 = 0.45;

pub fn mail_import_dialog_ui(
    ctx: &egui::Context,
    view: &mut ViewState,
    commands: &mut Vec<Command>,
) {
    let Some(dialog) = &mut view.mail_import else {
        return;
    };
    let mut close = false;
    egui::Modal::new(egui::Id::unique("mail_import_dialog")).show(ctx, |ui| {
        ui.set_width((ctx.content_rect().width() - 80.0).clamp(320.0, 760.0));
        ui.heading("Import mail and meetings");
        ui.label(
            egui::RichText::new(if dialog.source_name.is_empty() {
                "E-mails (.eml), mailboxes (.mbox) and calendars (.ics).".to_owned()
            } else {
                dialog.source_name.clone()
            })
            .strong(),
        );
        if let Some(error) = &dialog.error {
            ui.label(egui::RichText::new(format!("⚠ {error}")).color(ui.visuals().error_fg_color));
        }
        match dialog.stage.clone() {
            // Read again for a new plan: the one before stays, greyed, so nothing moves.
            MailImportStage::Planning if dialog.recounting() => {
                close = ready_ui(ui, ctx, dialog, commands);
            }
            MailImportStage::Planning => progress_ui(ui, dialog, "Reading", commands),
            MailImportStage::Importing => progress_ui(ui, dialog, "Importing", commands),
            MailImportStage::Ready => close = ready_ui(ui, ctx, dialog, commands),
            MailImportStage::Done {
                conversations,
                new_contacts,
            } => {
                ui.label(done_sentence(conversations, new_contacts));
                ui.horizontal(|ui| {
                    if ui
                        .button("Undo")
                        .on_hover_text("Take the whole import back")
                        .clicked()
                    {
                        commands.push(Command::Undo);
                        close = true;
                    }
                    if ui.button("Close").clicked() {
                        close = true;
                    }
                });
            }
        }
    });
    if close {
        view.mail_import = None;
    }
}

fn progress_ui(
    ui: &mut egui::Ui,
    dialog: &MailImportDialog,
    doing: &str,
    commands: &mut Vec<Command>,
) {
    ui.add(
        egui::ProgressBar::new(dialog.fraction())
            .text(format!("{doing}… {:.0} %", dialog.fraction() * 100.0)),
    );
    if ui
        .button("Cancel")
        .on_hover_text("Stop; nothing is changed")
        .clicked()
    {
        commands.push(Command::CancelMailImport);
    }
}

/// The plan and the choices; true when the dialog is to close. While the files are read
/// again the plan before stays, greyed, with "Counting again…" beside the buttons: the dialog
/// keeps its size and place, and Import waits for the new plan.
fn ready_ui(
    ui: &mut egui::Ui,
    ctx: &egui::Context,
    dialog: &mut MailImportDialog,
    commands: &mut Vec<Command>,
) -> bool {
    ui.add_enabled_ui(!dialog.recounting(), |ui| {
        addresses_ui(ui, dialog, commands);
        let Some(plan) = dialog.plan.clone() else {
            return;
        };
        ui.separator();
        ui.label(plan_sentence(&plan));
        egui::ScrollArea::vertical()
            .max_height((ctx.content_rect().height() * LISTS_SHARE).max(90.0))
            .auto_shrink([false, true])
            .show(ui, |ui| {
                if let Some(note) = hint_note(dialog, &plan) {
                    ui.label(egui::RichText::new(note).weak());
                }
                contacts_ui(ui, &plan);
                unknown_ui(ui, &plan, dialog, commands);
                skipped_ui(ui, &plan);
            });
    });
    ui.separator();
    buttons_ui(ui, dialog, commands)
}

/// Import and Cancel (which stops a count running); true when the dialog is to close.
fn buttons_ui(ui: &mut egui::Ui, dialog: &MailImportDialog, commands: &mut Vec<Command>) -> bool {
    let recounting = dialog.recounting();
    let mut close = false;
    ui.horizontal(|ui| {
        let why = if recounting {
            "Wait a moment: the plan is being counted again"
        } else if dialog.needs_new_plan() {
            "Press Read again first: the plan is for other addresses"
        } else {
            "Nothing new to import"
        };
        if ui
            .add_enabled(dialog.can_import(), egui::Button::new("Import"))
            .on_disabled_hover_text(why)
            .clicked()
        {
            commands.push(Command::ApplyMailImport);
        }
        if !recounting {
            close = ui.button("Cancel").clicked();
            return;
        }
        if ui
            .button("Cancel")
            .on_hover_text("Stop counting; nothing is changed")
            .clicked()
        {
            commands.push(Command::CancelMailImport);
        }
        ui.add(egui::Spinner::new());
        let done = dialog.fraction();
        ui.label(if done > 0.0 {
            format!("Counting again\u{2026} {:.0} %", done * 100.0)
        } else {
            "Counting again\u{2026}".to_owned()
        });
    });
    close
}

/// "Your addresses" (read again on Enter or Read again), and the files' guess when none is
/// known yet.
fn addresses_ui(ui: &mut egui::Ui, dialog: &mut MailImportDialog, commands: &mut Vec<Command>) {
    ui.horizontal_wrapped(|ui| {
        let label = ui.label("Your addresses");
        let field = ui
            .add(
                egui::TextEdit::singleline(&mut dialog.my_addresses)
                    .hint_text("you@example.com, you@home.example")
                    .desired_width((ui.available_width() - 120.0).clamp(160.0, 380.0)),
            )
            .labelled_by(label.id)
            .on_hover_text("They tell who wrote first; you are never listed as a participant");
        let entered = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        if dialog.needs_new_plan() && (ui.button("Read again").clicked() || entered) {
            commands.push(Command::ReplanMailImport);
        }
    });
    if let Some(address) = dialog.offered_address().map(str::to_owned) {
        ui.horizontal_wrapped(|ui| {
            ui.label(format!("Is {address} you? It is in the most messages."));
            if ui.button("Yes, that's me").clicked() {
                dialog.my_addresses = address;
                commands.push(Command::ReplanMailImport);
            }
        });
    }
}

fn contacts_ui(ui: &mut egui::Ui, plan: &ConversationPlan) {
    let (shown, more) = contact_lines(plan);
    if shown.is_empty() {
        return;
    }
    // Names get half the width (a truncated label in a grid takes none of its own).
    egui::Grid::new("mail_import_contacts")
        .num_columns(2)
        .min_col_width(ui.available_width() * 0.5)
        .striped(true)
        .show(ui, |ui| {
            for count in shown {
                ui.add(egui::Label::new(count.name.as_str()).truncate());
                ui.label(match count.conversations {
                    1 => "1 conversation".to_owned(),
                    n => format!("{n} conversations"),
                });
                ui.end_row();
            }
        });
    if more > 0 {
        ui.label(egui::RichText::new(format!("and {more} more")).weak());
    }
}

fn unknown_ui(
    ui: &mut egui::Ui,
    plan: &ConversationPlan,
    dialog: &mut MailImportDialog,
    commands: &mut Vec<Command>,
) {
    if plan.unknown_messages == 0 {
        return;
    }
    ui.add_space(6.0);
    ui.strong(format!(
        "{} {} with nobody in Rapport, from {} {}:",
        plan.unknown_messages,
        if plan.unknown_messages == 1 {
            "message"
        } else {
            "messages"
        },
        plan.unknown_addresses,
        if plan.unknown_addresses == 1 {
            "address"
        } else {
            "addresses"
        }
    ));
    let (shown, _) = first_of(&plan.unknown_senders, OTHERS_LISTED);
    for sender in shown {
        let who = match sender.name.as_str() {
            "" => sender.address.clone(),
            name => format!("{name} <{}>", sender.address),
        };
        ui.add(egui::Label::new(format!("{who}: {}", sender.messages)).truncate());
    }
    if plan.unknown_addresses > shown.len() {
        let more = plan.unknown_addresses - shown.len();
        ui.label(egui::RichText::new(format!("and {more} more")).weak());
    }
    if ui
        .checkbox(&mut dialog.new_contacts, "Create contacts for them")
        .on_hover_text("Each gets a contact with their name and e-mail; left unticked, their messages are not imported")
        .changed()
    {
        commands.push(Command::ReplanMailImport);
    }
}

fn skipped_ui(ui: &mut egui::Ui, plan: &ConversationPlan) {
    if plan.skipped.is_empty() {
        return;
    }
    ui.add_space(6.0);
    ui.strong(format!("Skipped {}:", plan.skipped_total()));
    let (shown, more) = first_of(&plan.skipped, OTHERS_LISTED);
    for skipped in shown {
        ui.add(egui::Label::new(format!("{}: {}", skipped.reason, skipped.count)).truncate());
    }
    if more > 0 {
        ui.label(egui::RichText::new(format!("and {more} more reasons")).weak());
    }
}
