//! File ▸ Export timeline report: whose timeline (one contact, an organization, a tag,
//! everyone), which period and kinds of entries, whether personal details go in, the format
//! and where to save. The app runs the export on its own thread; this dialog shows progress,
//! Cancel, and offers to open the file when it is written.

use crate::report::ReportFormat;
use crate::view::export_dialog::{ExportDialog, ScopeChoice};
use crate::view::{Command, ViewState};

fn labelled_text(
    ui: &mut egui::Ui,
    label: &str,
    text: &mut String,
    width: f32,
    hint: &str,
) -> egui::Response {
    let label = ui.label(label);
    ui.add(
        egui::TextEdit::singleline(text)
            .desired_width(width)
            .hint_text(hint),
    )
    .labelled_by(label.id)
}

pub fn export_dialog_ui(ctx: &egui::Context, view: &mut ViewState, commands: &mut Vec<Command>) {
    let Some(dialog) = &mut view.export_report else {
        return;
    };
    let mut close = false;
    egui::Modal::new(egui::Id::unique("export_report")).show(ctx, |ui| {
        ui.set_width((ctx.content_rect().width() - 48.0).clamp(280.0, 560.0));
        ui.heading("Export timeline report");
        ui.label("A record of the relationship to print, mail or keep: a summary, then every entry oldest first.");
        ui.add_space(4.0);

        if let Some((done, total, what)) = &dialog.progress {
            let fraction = if *total == 0 { 0.0 } else { *done as f32 / *total as f32 };
            ui.add(egui::ProgressBar::new(fraction).text(what.clone()).animate(true));
            if ui.button("Cancel export").on_hover_text("Stop; no file is written").clicked() {
                commands.push(Command::CancelReportExport);
            }
            return;
        }
        if let Some((path, sentence)) = &dialog.written {
            ui.label(egui::RichText::new(format!("✔ {sentence}")).strong());
            ui.horizontal(|ui| {
                if ui.button("Open the file").clicked() {
                    commands.push(Command::OpenExportedFile(path.clone()));
                }
                if ui.button("Close").clicked() {
                    close = true;
                }
            });
            return;
        }

        scope_ui(ui, dialog);

        period_and_entries_ui(ui, dialog);
        ui.add_space(4.0);
        ui.horizontal(|ui| {
            let before = dialog.format;
            egui::ComboBox::from_label("Format")
                .selected_text(dialog.format.label())
                .show_ui(ui, |ui| {
                    for format in ReportFormat::ALL {
                        ui.selectable_value(&mut dialog.format, format, format.label());
                    }
                });
            if dialog.format != before {
                dialog.path =
                    super::widgets::with_extension(&dialog.path, dialog.format.extension());
            }
        });
        let edit = super::widgets::save_as_row(
            ui,
            &mut dialog.path,
            "/home/me/Documents/timeline.pdf",
            360.0,
            Command::PickReportPath,
            commands,
        );
        if edit.changed()
            && let Some(format) = ReportFormat::from_path(std::path::Path::new(dialog.path.trim()))
        {
            // Typing "….html" picks the web page format.
            dialog.format = format;
        }
        match super::widgets::export_buttons_ui(ui, dialog.error.as_deref()) {
            super::widgets::ExportAnswer::Export => match dialog.request() {
                Ok(request) => {
                    dialog.error = None;
                    commands.push(Command::StartReportExport {
                        request,
                        format: dialog.format,
                        path: std::path::PathBuf::from(dialog.path.trim()),
                    });
                }
                Err(error) => dialog.error = Some(error),
            },
            super::widgets::ExportAnswer::Cancel => close = true,
            super::widgets::ExportAnswer::Nothing => {}
        }
    });
    if close {
        view.export_report = None;
    }
}

/// Whose timeline: this contact, everyone at their organization, everyone with a tag, or
/// everyone; the file name and the personal-details switch follow the choice.
fn scope_ui(ui: &mut egui::Ui, dialog: &mut ExportDialog) {
    let before = (dialog.scope, dialog.tag.clone());
    ui.label(egui::RichText::new("Whose timeline").strong());
    let contact_text = match &dialog.contact {
        Some((_, name)) => format!("This contact: {name}"),
        None => "This contact (select one first)".to_owned(),
    };
    let first = ui
        .add_enabled_ui(dialog.contact.is_some(), |ui| {
            ui.radio_value(&mut dialog.scope, ScopeChoice::Contact, contact_text)
        })
        .inner;
    let organization_text = match &dialog.organization {
        Some((_, name)) => format!("Everyone at {name}"),
        None => "Everyone at their organization (none)".to_owned(),
    };
    ui.add_enabled_ui(dialog.organization.is_some(), |ui| {
        ui.radio_value(
            &mut dialog.scope,
            ScopeChoice::Organization,
            organization_text,
        );
    });
    ui.horizontal(|ui| {
        ui.radio_value(&mut dialog.scope, ScopeChoice::Tag, "Everyone tagged");
        let label = ui.label("Tag");
        let edit = ui
            .add(
                egui::TextEdit::singleline(&mut dialog.tag)
                    .desired_width(160.0)
                    .hint_text("e.g. vip"),
            )
            .labelled_by(label.id);
        if edit.changed() {
            dialog.scope = ScopeChoice::Tag;
        }
    });
    let everyone = ui.radio_value(&mut dialog.scope, ScopeChoice::Everyone, "Everyone");
    // The keyboard starts at the first choice that can be taken.
    let first = if dialog.contact.is_some() {
        first
    } else {
        everyone
    };
    super::widgets::focus_when_none(ui, &first);
    if (dialog.scope, dialog.tag.clone()) != before {
        if !dialog.personal_chosen {
            dialog.include_personal = dialog.scope == ScopeChoice::Contact;
        }
        // The suggested file name follows the scope while it is still the suggestion.
        let path = std::path::PathBuf::from(dialog.path.trim());
        if let Some(folder) = path.parent()
            && path
                .file_stem()
                .is_some_and(|s| s.to_string_lossy().starts_with("timeline"))
        {
            dialog.path = folder
                .join(format!(
                    "{}.{}",
                    dialog.file_stem(),
                    dialog.format.extension()
                ))
                .display()
                .to_string();
        }
    }
}

/// The period and which entries go in, and whether personal details do.
fn period_and_entries_ui(ui: &mut egui::Ui, dialog: &mut ExportDialog) {
    ui.add_space(4.0);
    ui.label(egui::RichText::new("Period").strong());
    ui.horizontal(|ui| {
        labelled_text(ui, "From", &mut dialog.from, 100.0, "YYYY-MM-DD");
        labelled_text(ui, "To", &mut dialog.to, 100.0, "YYYY-MM-DD");
        ui.label(egui::RichText::new("blank: no limit").weak().small());
    });

    ui.add_space(4.0);
    ui.label(egui::RichText::new("Entries").strong());
    ui.horizontal(|ui| {
        ui.checkbox(&mut dialog.kinds.conversations, "Conversations");
        ui.checkbox(&mut dialog.kinds.follow_ups, "Follow-ups");
        ui.checkbox(&mut dialog.kinds.life_events, "Life events");
    });
    if ui
        .checkbox(
            &mut dialog.include_personal,
            "Include personal details (family, birthday, personal notes, interests, how we met)",
        )
        .on_hover_text("Off by default when the report covers more than one person")
        .changed()
    {
        dialog.personal_chosen = true;
    }
}
