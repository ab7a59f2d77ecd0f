//! File ▸ Export timeline report: whose timeline (one contact, an organization, a tag,
//! everyone), which period and kinds of entries, whether personal details go in, the format
//! and where to save. The app runs the export on its own thread; this dialog shows progress,
//! Cancel, and offers to open the file when it is written.

use crate::app::{Command, ViewState};
use crate::model::{ContactId, EntryKinds, OrganizationId, ReportRequest, ReportScope};
use crate::report::ReportFormat;
use chrono::NaiveDate;

/// Which scope the dialog's radio buttons point at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScopeChoice {
    Contact,
    Organization,
    Tag,
    Everyone,
}

/// The state of the export dialog.
#[derive(Clone, Debug)]
pub struct ExportDialog {
    pub scope: ScopeChoice,
    /// The contact the dialog was opened on, if any.
    pub contact: Option<(ContactId, String)>,
    /// That contact's organization (or the organization view's), if any.
    pub organization: Option<(OrganizationId, String)>,
    pub tag: String,
    /// First and last day, typed as YYYY-MM-DD; blank is open-ended.
    pub from: String,
    pub to: String,
    pub kinds: EntryKinds,
    pub include_personal: bool,
    /// True once the user set the privacy switch themselves: scope changes then leave it alone.
    pub personal_chosen: bool,
    pub format: ReportFormat,
    pub path: String,
    pub error: Option<String>,
    /// While the export runs: steps done of total, and what is happening.
    pub progress: Option<(usize, usize, String)>,
    /// The file just written, with the sentence saying so.
    pub written: Option<(std::path::PathBuf, String)>,
}

impl ExportDialog {
    /// A dialog on `scope`, saving into `folder`.
    pub fn new(
        scope: ScopeChoice,
        contact: Option<(ContactId, String)>,
        organization: Option<(OrganizationId, String)>,
        folder: &std::path::Path,
    ) -> Self {
        let mut dialog = Self {
            scope,
            contact,
            organization,
            tag: String::new(),
            from: String::new(),
            to: String::new(),
            kinds: EntryKinds::default(),
            include_personal: scope == ScopeChoice::Contact,
            personal_chosen: false,
            format: ReportFormat::Pdf,
            path: String::new(),
            error: None,
            progress: None,
            written: None,
        };
        dialog.path = folder
            .join(format!(
                "{}.{}",
                dialog.file_stem(),
                dialog.format.extension()
            ))
            .display()
            .to_string();
        dialog
    }

    /// A file name for the chosen scope: "timeline-maria-garcia".
    pub fn file_stem(&self) -> String {
        let who = match self.scope {
            ScopeChoice::Contact => self.contact.as_ref().map(|c| c.1.clone()),
            ScopeChoice::Organization => self.organization.as_ref().map(|o| o.1.clone()),
            ScopeChoice::Tag => Some(format!("tag {}", self.tag)),
            ScopeChoice::Everyone => Some("everyone".to_owned()),
        }
        .unwrap_or_default();
        let slug: String = who
            .chars()
            .map(|c| {
                if c.is_alphanumeric() {
                    c.to_lowercase().next().unwrap_or(c)
                } else {
                    '-'
                }
            })
            .collect();
        let slug = slug
            .split('-')
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join("-");
        if slug.is_empty() {
            "timeline".to_owned()
        } else {
            format!("timeline-{slug}")
        }
    }

    /// Checks the choices and turns them into a request, or says what to fix.
    pub fn request(&self) -> Result<ReportRequest, String> {
        let scope = match self.scope {
            ScopeChoice::Contact => ReportScope::Contact(
                self.contact
                    .as_ref()
                    .ok_or("Select a contact first, or choose another scope.")?
                    .0,
            ),
            ScopeChoice::Organization => ReportScope::Organization(
                self.organization
                    .as_ref()
                    .ok_or("This contact has no organization; choose another scope.")?
                    .0,
            ),
            ScopeChoice::Tag => {
                if self.tag.trim().is_empty() {
                    return Err("Type the tag whose people the report covers.".to_owned());
                }
                ReportScope::Tag(self.tag.trim().to_owned())
            }
            ScopeChoice::Everyone => ReportScope::Everyone,
        };
        let day = |text: &str, which: &str| -> Result<Option<NaiveDate>, String> {
            let text = text.trim();
            if text.is_empty() {
                return Ok(None);
            }
            NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .map(Some)
                .map_err(|_| {
                    format!(
                        "\"{text}\" is not a {which} date; write it as YYYY-MM-DD, e.g. 2026-03-14."
                    )
                })
        };
        let from = day(&self.from, "start")?;
        let to = day(&self.to, "end")?;
        if let (Some(from), Some(to)) = (from, to)
            && from > to
        {
            return Err("The start date is after the end date; swap them.".to_owned());
        }
        if self.path.trim().is_empty() {
            return Err("Type where to save the file, or press Choose….".to_owned());
        }
        Ok(ReportRequest {
            scope,
            from,
            to,
            kinds: self.kinds,
            include_personal: self.include_personal,
        })
    }
}

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
        ui.set_width(560.0);
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

        let before = (dialog.scope, dialog.tag.clone());
        ui.label(egui::RichText::new("Whose timeline").strong());
        let contact_text = match &dialog.contact {
            Some((_, name)) => format!("This contact: {name}"),
            None => "This contact (select one first)".to_owned(),
        };
        ui.add_enabled_ui(dialog.contact.is_some(), |ui| {
            ui.radio_value(&mut dialog.scope, ScopeChoice::Contact, contact_text);
        });
        let organization_text = match &dialog.organization {
            Some((_, name)) => format!("Everyone at {name}"),
            None => "Everyone at their organization (none)".to_owned(),
        };
        ui.add_enabled_ui(dialog.organization.is_some(), |ui| {
            ui.radio_value(&mut dialog.scope, ScopeChoice::Organization, organization_text);
        });
        ui.horizontal(|ui| {
            ui.radio_value(&mut dialog.scope, ScopeChoice::Tag, "Everyone tagged");
            let label = ui.label("Tag");
            let edit = ui
                .add(egui::TextEdit::singleline(&mut dialog.tag).desired_width(160.0).hint_text("e.g. vip"))
                .labelled_by(label.id);
            if edit.changed() {
                dialog.scope = ScopeChoice::Tag;
            }
        });
        ui.radio_value(&mut dialog.scope, ScopeChoice::Everyone, "Everyone");
        if (dialog.scope, dialog.tag.clone()) != before {
            if !dialog.personal_chosen {
                dialog.include_personal = dialog.scope == ScopeChoice::Contact;
            }
            // The suggested file name follows the scope while it is still the suggestion.
            let path = std::path::PathBuf::from(dialog.path.trim());
            if let Some(folder) = path.parent()
                && path.file_stem().is_some_and(|s| s.to_string_lossy().starts_with("timeline"))
            {
                dialog.path = folder
                    .join(format!("{}.{}", dialog.file_stem(), dialog.format.extension()))
                    .display()
                    .to_string();
            }
        }

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
