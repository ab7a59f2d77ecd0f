//! File ▸ Export contacts: whose contacts (everyone, everyone with a tag, everyone at the
//! selected contact's organization, the contacts chosen in the list), vCard 4.0 or 3.0 or Google CSV, and where to save — typed, or chosen
//! in the system dialog. The app writes the file on its own thread; this dialog shows that it
//! is working and then what was written.

use crate::report::contacts::ContactFormat;
use crate::view::export_contacts::ContactScopeChoice;
use crate::view::{Command, ViewState};

pub fn export_contacts_ui(ctx: &egui::Context, view: &mut ViewState, commands: &mut Vec<Command>) {
    let Some(dialog) = &mut view.contact_export else {
        return;
    };
    let mut close = false;
    egui::Modal::new(egui::Id::unique("export_contacts")).show(ctx, |ui| {
        ui.set_width(540.0);
        ui.heading("Export contacts");
        ui.label("Your contacts as a file for another address book, Google Contacts or a spreadsheet. vCard keeps every field and reads back into Rapport as it was.");
        ui.add_space(4.0);
        if dialog.running {
            ui.add(egui::ProgressBar::new(0.5).text("Writing the contacts…").animate(true));
            return;
        }
        if let Some(sentence) = &dialog.written {
            ui.label(egui::RichText::new(format!("✔ {sentence}")).strong());
            if ui.button("Close").clicked() {
                close = true;
            }
            return;
        }

        ui.label(egui::RichText::new("Whose contacts").strong());
        let first = ui.radio_value(&mut dialog.scope, ContactScopeChoice::Everyone, "Everyone");
        super::widgets::focus_when_none(ui, &first);
        ui.horizontal(|ui| {
            ui.radio_value(&mut dialog.scope, ContactScopeChoice::Tag, "Everyone tagged");
            let label = ui.label("Tag");
            let edit = ui
                .add(egui::TextEdit::singleline(&mut dialog.tag).desired_width(160.0).hint_text("e.g. vip"))
                .labelled_by(label.id);
            if edit.changed() {
                dialog.scope = ContactScopeChoice::Tag;
            }
        });
        let organization_text = match &dialog.organization {
            Some((_, name)) => format!("Everyone at {name}"),
            None => "Everyone at the selected contact's organization (none)".to_owned(),
        };
        ui.add_enabled_ui(dialog.organization.is_some(), |ui| {
            ui.radio_value(&mut dialog.scope, ContactScopeChoice::Organization, organization_text);
        });
        if !dialog.chosen.is_empty() {
            let chosen = match dialog.chosen.len() {
                1 => "The contact chosen in the list".to_owned(),
                n => format!("The {} contacts chosen in the list", super::contacts_panel::thousands(n)),
            };
            ui.radio_value(&mut dialog.scope, ContactScopeChoice::Chosen, chosen);
        }

        ui.add_space(4.0);
        ui.label(egui::RichText::new("Format").strong());
        let before = dialog.format;
        for format in ContactFormat::ALL {
            ui.radio_value(&mut dialog.format, format, format.label())
                .on_hover_text(format.purpose());
        }
        if dialog.format != before {
            dialog.path = super::widgets::with_extension(&dialog.path, dialog.format.extension());
        }
        ui.label(egui::RichText::new(dialog.format.purpose()).weak().small());

        ui.add_space(4.0);
        let edit = super::widgets::save_as_row(
            ui,
            &mut dialog.path,
            "/home/me/Documents/contacts.vcf",
            340.0,
            Command::PickContactExportPath,
            commands,
        );
        // Only a change of extension changes the format: a typed .vcf keeps vCard 3.0 chosen.
        if edit.changed()
            && let Some(format) = ContactFormat::from_path(std::path::Path::new(dialog.path.trim()))
            && format.extension() != dialog.format.extension()
        {
            dialog.format = format;
        }
        match super::widgets::export_buttons_ui(ui, dialog.error.as_deref()) {
            super::widgets::ExportAnswer::Export => match dialog.scope() {
                Ok(scope) => {
                    dialog.error = None;
                    commands.push(Command::StartContactExport {
                        scope,
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
        view.contact_export = None;
    }
}
