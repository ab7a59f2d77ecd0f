//! File > Import contacts (Ctrl+I): choose a file (path, file dialog, or drop it on the
//! window), see what Rapport found and what it will do, change any column's target, then
//! import in one step that can be undone.

use crate::app::{Command, ViewState};
use crate::import::{Field, ParsedFile};
use crate::store::import::{Action, ImportPlan};

/// The dialog's state: the path typed or picked, and the preview once a file was read.
#[derive(Debug, Clone, Default)]
pub struct ImportDialog {
    pub path: String,
    pub region: String,
    pub preview: Option<ImportPreview>,
    pub error: Option<String>,
    /// Contacts written so far and in all, while the import runs.
    pub progress: Option<(usize, usize)>,
}

/// A file read and planned, not yet applied.
#[derive(Debug, Clone)]
pub struct ImportPreview {
    pub file_name: String,
    pub parsed: ParsedFile,
    pub plan: ImportPlan,
}

pub fn import_dialog_ui(ctx: &egui::Context, view: &mut ViewState, commands: &mut Vec<Command>) {
    let Some(dialog) = &mut view.import_dialog else {
        return;
    };
    let mut close = false;
    egui::Modal::new(egui::Id::unique("import_dialog")).show(ctx, |ui| {
        ui.set_width((ctx.content_rect().width() - 80.0).clamp(480.0, 980.0));
        ui.heading("Import contacts");
        ui.label("Google Contacts, Outlook, LinkedIn and Thunderbird CSV files, any spreadsheet with column names, and vCard (.vcf) files. Nothing changes until you press Import.");
        ui.horizontal(|ui| {
            let label = ui.label("File");
            ui.add(egui::TextEdit::singleline(&mut dialog.path).hint_text("/home/you/Downloads/contacts.csv").desired_width(420.0))
                .labelled_by(label.id);
            if ui.button("Choose…").on_hover_text("Pick the file in a dialog (or drop it on the window)").clicked() {
                commands.push(Command::PickImportFile);
            }
            if ui.button("Read file").clicked() {
                commands.push(Command::PreviewImport(std::path::PathBuf::from(dialog.path.trim())));
            }
            let region_label = ui.label("Phone country");
            ui.add(egui::TextEdit::singleline(&mut dialog.region).desired_width(34.0))
                .labelled_by(region_label.id)
                .on_hover_text("For numbers written without +country code: GB, US, DE, FR, …");
        });
        if let Some(error) = &dialog.error {
            ui.label(egui::RichText::new(format!("⚠ {error}")).color(ui.visuals().error_fg_color));
        }
        if let Some(preview) = &mut dialog.preview {
            preview_ui(ui, preview, commands);
        }
        ui.separator();
        if let Some((done, total)) = dialog.progress {
            let fraction = if total == 0 { 0.0 } else { done as f32 / total as f32 };
            ui.add(egui::ProgressBar::new(fraction).text(format!("Importing… {done} of {total}")).show_percentage());
            if ui.button("Cancel import").on_hover_text("Stop; nothing is kept").clicked() {
                commands.push(Command::CancelImport);
            }
            return;
        }
        ui.horizontal(|ui| {
            let ready = dialog.preview.as_ref().is_some_and(|p| !p.parsed.contacts.is_empty());
            if ui.add_enabled(ready, egui::Button::new("Import")).clicked() {
                commands.push(Command::ApplyImport);
            }
            if ui.button("Cancel").clicked() {
                close = true;
            }
            if let Some(preview) = &dialog.preview
                && !preview.parsed.problems.is_empty()
                && ui.button("Save problem rows…").on_hover_text("A CSV of the rows that need fixing, with the reason").clicked()
            {
                commands.push(Command::SaveImportProblems);
            }
        });
    });
    if close {
        view.import_dialog = None;
    }
}

fn preview_ui(ui: &mut egui::Ui, preview: &mut ImportPreview, commands: &mut Vec<Command>) {
    let parsed = &preview.parsed;
    let plan = &preview.plan;
    ui.separator();
    ui.label(
        egui::RichText::new(format!(
            "{} — {}, {}, {} contact(s)",
            preview.file_name,
            parsed.format.label(),
            parsed.encoding,
            parsed.contacts.len()
        ))
        .strong(),
    );
    if let Some(table) = &parsed.table {
        let delimiter = match table.delimiter {
            b'\t' => "tab".to_owned(),
            d => format!("\"{}\"", d as char),
        };
        ui.label(
            egui::RichText::new(format!(
                "Separated by {delimiter}; {} rows.",
                table.rows.len()
            ))
            .small()
            .weak(),
        );
    }
    let by_rule = |rule: crate::store::import::MatchRule| {
        plan.actions
            .iter()
            .filter(|a| matches!(a, Action::Merge { rule: r, .. } if *r == rule))
            .count()
    };
    let skipped = parsed
        .problems
        .iter()
        .filter(|p| p.message.contains("skipped"))
        .count();
    ui.label(format!(
        "Will create {} · merge {} (by e-mail {}, phone {}, name and organization {}) · already here {} · skip {}",
        plan.created(),
        plan.merged(),
        by_rule(crate::store::import::MatchRule::Email),
        by_rule(crate::store::import::MatchRule::Phone),
        by_rule(crate::store::import::MatchRule::NameAndOrganization),
        plan.unchanged(),
        skipped
    ));
    let mut remap = None;
    if let Some(table) = &parsed.table {
        ui.label(egui::RichText::new("Columns: change where a column goes if Rapport guessed wrong. Your choice is remembered for files like this one.").small().weak());
        egui::ScrollArea::both()
            .id_salt("import_preview")
            .max_height(220.0)
            .show(ui, |ui| {
                egui::Grid::new("import_grid").striped(true).show(ui, |ui| {
                    for (index, header) in table.headers.iter().enumerate() {
                        ui.vertical(|ui| {
                            let header_label = ui.label(egui::RichText::new(header).strong());
                            let current = parsed
                                .mapping
                                .get(index)
                                .map(|c| c.field)
                                .unwrap_or(Field::Ignore);
                            let mut chosen = current;
                            egui::ComboBox::from_id_salt(("import_column", index))
                                .selected_text(current.label())
                                .width(130.0)
                                .show_ui(ui, |ui| {
                                    for field in Field::ALL {
                                        ui.selectable_value(&mut chosen, *field, field.label());
                                    }
                                })
                                .response
                                .labelled_by(header_label.id);
                            if chosen != current {
                                remap = Some((index, chosen));
                            }
                        });
                    }
                    ui.end_row();
                    for row in table.rows.iter().take(6) {
                        for cell in row {
                            ui.add(egui::Label::new(cell.replace('\n', " ")).truncate());
                        }
                        ui.end_row();
                    }
                });
            });
    }
    if let Some((index, field)) = remap {
        commands.push(Command::RemapImportColumn { index, field });
    }
    let merges: Vec<String> = parsed
        .contacts
        .iter()
        .zip(&plan.actions)
        .filter_map(|(c, a)| match a {
            Action::Merge {
                existing_name,
                rule,
                changes,
                conflicts,
                ..
            } => Some(format!(
                "Row {}: {} into {existing_name} ({}): {}{}",
                c.row,
                c.draft.display_name,
                rule.label(),
                changes.join(", "),
                if conflicts.is_empty() {
                    String::new()
                } else {
                    format!("; {}", conflicts.join("; "))
                }
            )),
            _ => None,
        })
        .collect();
    let notes: Vec<String> = parsed
        .notes
        .iter()
        .cloned()
        .chain(parsed.problems.iter().map(|p| {
            if p.row > 0 {
                format!("Row {}: {}", p.row, p.message)
            } else {
                p.message.clone()
            }
        }))
        .collect();
    if !merges.is_empty() || !notes.is_empty() {
        egui::ScrollArea::vertical()
            .id_salt("import_notes")
            .max_height(140.0)
            .show(ui, |ui| {
                for line in merges.iter().take(200) {
                    ui.label(egui::RichText::new(line).small());
                }
                for line in notes.iter().take(200) {
                    ui.label(
                        egui::RichText::new(line)
                            .small()
                            .color(ui.visuals().warn_fg_color),
                    );
                }
            });
    }
}
