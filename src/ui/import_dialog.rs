//! File > Import contacts (Ctrl+I): choose a file (path, file dialog, or drop it on the
//! window), see what Rapport found and what it will do — who is created, who is merged into
//! whom and by which rule, which rows are skipped and why — change any column's target, then
//! import in one step that can be undone.
//!
//! The preview is built for small screens and big files: the lists scroll vertically only
//! (an 80-column strip scrolled sideways with Shift+wheel alone), draw only their visible rows,
//! and take the height the window has left, so the buttons stay on screen at 900×600 and 150 %.

use crate::import::{Field, ParsedFile, RowProblem};
use crate::store::import::{Action, ImportPlan, MatchRule};
use crate::view::import_dialog::{ImportDialog, ImportPreview, PreviewPage};
use crate::view::{Command, ViewState};

/// Room kept under a preview list for the separator and the import buttons.
const BELOW_LISTS: f32 = 56.0;
/// The modal's frame around its content, above and below.
const MODAL_MARGINS: f32 = 40.0;
/// A list is never squeezed below this, however small the window.
const MIN_LIST_HEIGHT: f32 = 90.0;

pub fn import_dialog_ui(ctx: &egui::Context, view: &mut ViewState, commands: &mut Vec<Command>) {
    let Some(dialog) = &mut view.import_dialog else {
        return;
    };
    let mut close = false;
    egui::Modal::new(egui::Id::unique("import_dialog")).show(ctx, |ui| {
        ui.set_width((ctx.content_rect().width() - 80.0).clamp(320.0, 980.0));
        ui.heading("Import contacts");
        ui.label("Google, Outlook, LinkedIn, Thunderbird or any spreadsheet's CSV (column names optional), and vCard (.vcf) files. Nothing changes until you press Import.");
        file_row_ui(ui, dialog, commands);
        if let Some(error) = &dialog.error {
            ui.label(egui::RichText::new(format!("⚠ {error}")).color(ui.visuals().error_fg_color));
        }
        if let Some(preview) = &dialog.preview {
            preview_ui(ui, preview, &mut dialog.page, commands);
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

/// The path field (focused when the dialog opens; Enter reads the file), Choose…, Read file
/// and the phone country, wrapping onto two lines in a narrow window.
fn file_row_ui(ui: &mut egui::Ui, dialog: &mut ImportDialog, commands: &mut Vec<Command>) {
    ui.horizontal_wrapped(|ui| {
        let label = ui.label("File");
        let width = (ui.available_width() - 40.0).clamp(160.0, 420.0);
        let field = ui
            .add(
                egui::TextEdit::singleline(&mut dialog.path)
                    .hint_text("/home/you/Downloads/contacts.csv")
                    .desired_width(width),
            )
            .labelled_by(label.id);
        if !dialog.path_focused {
            field.request_focus();
            dialog.path_focused = true;
        }
        let entered = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        if ui
            .button("Choose…")
            .on_hover_text("Pick the file in a dialog (or drop it on the window)")
            .clicked()
        {
            commands.push(Command::PickImportFile);
        }
        if ui
            .button("Read file")
            .on_hover_text(
                "Read the file and show what the import will do (Enter in the path does it too)",
            )
            .clicked()
            || entered
        {
            commands.push(Command::PreviewImport(std::path::PathBuf::from(
                dialog.path.trim(),
            )));
        }
        let region_label = ui.label("Phone country");
        ui.add(egui::TextEdit::singleline(&mut dialog.region).desired_width(34.0))
            .labelled_by(region_label.id)
            .on_hover_text("For numbers written without +country code: GB, US, DE, FR, …");
    });
}

fn preview_ui(
    ui: &mut egui::Ui,
    preview: &ImportPreview,
    page: &mut PreviewPage,
    commands: &mut Vec<Command>,
) {
    let parsed = &preview.parsed;
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
        let text = format!("Separated by {delimiter}; {} rows.", table.rows.len());
        ui.label(egui::RichText::new(text).small().weak());
    }
    let lines = PlanLines::new(preview);
    ui.label(lines.summary(&preview.plan));
    if let Some(relations) = preview.plan.relations_sentence() {
        ui.label(relations);
    }
    if let Some(table) = &parsed.table {
        ui.horizontal(|ui| {
            ui.selectable_value(
                page,
                PreviewPage::Plan,
                format!("What will happen ({})", lines.len()),
            );
            let columns = format!("Columns ({})", table.headers.len());
            ui.selectable_value(page, PreviewPage::Columns, columns)
                .on_hover_text("Change where a column goes if Rapport guessed wrong");
        });
    }
    // The list takes the window's height less what the dialog holds besides it. Measured from
    // the dialog's own top, not the screen's: the dialog is centred, so a list sized to reach
    // the screen's bottom grew the dialog, which moved up, which grew the list, until the
    // buttons were pushed off the screen.
    let used_above = ui.cursor().top() - ui.min_rect().top();
    let list_height = (ui.ctx().content_rect().height() - used_above - BELOW_LISTS - MODAL_MARGINS)
        .max(MIN_LIST_HEIGHT);
    match (*page, &parsed.table) {
        (PreviewPage::Columns, Some(table)) => columns_ui(ui, parsed, table, list_height, commands),
        _ => plan_list_ui(ui, preview, &lines, list_height),
    }
}

/// What the import will do, one line per row, as indexes into the plan and the file's
/// problems: made each frame in one pass (no text is formatted for rows not on screen).
struct PlanLines {
    created: Vec<usize>,
    merged: Vec<usize>,
    unchanged: Vec<usize>,
    skipped: Vec<usize>,
    /// File-wide notes first, then the problems that skipped nothing.
    notes: Vec<String>,
    other_problems: Vec<usize>,
}

impl PlanLines {
    fn new(preview: &ImportPreview) -> Self {
        let mut lines = PlanLines {
            created: Vec::new(),
            merged: Vec::new(),
            unchanged: Vec::new(),
            skipped: Vec::new(),
            notes: preview.parsed.notes.clone(),
            other_problems: Vec::new(),
        };
        for (index, action) in preview.plan.actions.iter().enumerate() {
            match action {
                Action::Create => lines.created.push(index),
                Action::Merge { .. } => lines.merged.push(index),
                Action::Unchanged { .. } => lines.unchanged.push(index),
            }
        }
        for (index, problem) in preview.parsed.problems.iter().enumerate() {
            if skips_row(problem) {
                lines.skipped.push(index)
            } else {
                lines.other_problems.push(index)
            }
        }
        lines
    }

    fn len(&self) -> usize {
        self.created.len()
            + self.merged.len()
            + self.unchanged.len()
            + self.skipped.len()
            + self.notes.len()
            + self.other_problems.len()
    }

    fn summary(&self, plan: &ImportPlan) -> String {
        let by_rule = |rule: MatchRule| {
            plan.actions
                .iter()
                .filter(|a| matches!(a, Action::Merge { rule: r, .. } if *r == rule))
                .count()
        };
        format!(
            "Will create {} · merge {} (by UID {}, e-mail {}, phone {}, name and organization {}) · already here {} · skip {}",
            self.created.len(),
            self.merged.len(),
            by_rule(MatchRule::Uid),
            by_rule(MatchRule::Email),
            by_rule(MatchRule::Phone),
            by_rule(MatchRule::NameAndOrganization),
            self.unchanged.len(),
            self.skipped.len()
        )
    }

    /// Line `index` of the list: its kind and its words.
    fn line(&self, preview: &ImportPreview, index: usize) -> Option<(LineKind, String)> {
        let contact = |i: usize| {
            let c = preview.parsed.contacts.get(i)?;
            Some((
                c.row,
                c.draft.display_name.as_str(),
                preview.plan.actions.get(i)?,
            ))
        };
        let problem = |i: usize| preview.parsed.problems.get(i).map(problem_text);
        let mut index = index;
        for (kind, count) in [
            (LineKind::Create, self.created.len()),
            (LineKind::Merge, self.merged.len()),
            (LineKind::Unchanged, self.unchanged.len()),
            (LineKind::Skip, self.skipped.len()),
            (LineKind::Note, self.notes.len()),
            (LineKind::Problem, self.other_problems.len()),
        ] {
            if index >= count {
                index -= count;
                continue;
            }
            let text = match kind {
                LineKind::Create => contact(self.created[index])
                    .map(|(row, name, _)| format!("{} · {name}", row_label(preview, row))),
                LineKind::Merge => contact(self.merged[index])
                    .map(|(row, name, action)| merge_text(&row_label(preview, row), name, action)),
                LineKind::Unchanged => contact(self.unchanged[index])
                    .map(|(row, name, action)| merge_text(&row_label(preview, row), name, action)),
                LineKind::Skip => problem(self.skipped[index]),
                LineKind::Note => self.notes.get(index).cloned(),
                LineKind::Problem => problem(self.other_problems[index]),
            };
            return text.map(|text| (kind, text));
        }
        None
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum LineKind {
    Create,
    Merge,
    Unchanged,
    Skip,
    Note,
    Problem,
}

impl LineKind {
    fn tag(self) -> &'static str {
        match self {
            LineKind::Create => "➕ New",
            LineKind::Merge => "🔀 Merge",
            LineKind::Unchanged => "✔ Already here",
            LineKind::Skip => "⛔ Skip",
            LineKind::Note | LineKind::Problem => "⚠ Note",
        }
    }
}

/// A problem that dropped its whole row (or card, or lines), not a value set aside.
fn skips_row(problem: &RowProblem) -> bool {
    problem.message.contains("skipped")
}

fn problem_text(problem: &RowProblem) -> String {
    if problem.row > 0 {
        format!("Row {}: {}", problem.row, problem.message)
    } else {
        problem.message.clone()
    }
}

/// "Row 4" for a table, "Card 4" for a vCard.
fn row_label(preview: &ImportPreview, row: usize) -> String {
    match preview.parsed.table {
        Some(_) => format!("Row {row}"),
        None => format!("Card {row}"),
    }
}

/// "Row 4 · María García into Maria García (same e-mail): adds phone; keeps title" or, for a
/// contact already here, "Row 5 · Bob Okafor is already here as Bob Okafor (same e-mail)".
fn merge_text(row: &str, name: &str, action: &Action) -> String {
    match action {
        Action::Merge {
            existing_name,
            rule,
            changes,
            conflicts,
            ..
        } => {
            let mut text = format!("{row} · {name} into {existing_name} ({})", rule.label());
            if !changes.is_empty() {
                text.push_str(&format!(": {}", changes.join(", ")));
            }
            if !conflicts.is_empty() {
                text.push_str(&format!("; {}", conflicts.join("; ")));
            }
            text
        }
        Action::Unchanged {
            existing_name,
            rule,
            ..
        } => format!(
            "{row} · {name} is already here as {existing_name} ({}), nothing new",
            rule.label()
        ),
        Action::Create => format!("{row} · {name}"),
    }
}

/// A list's height: its rows, or `room` when they need more. Set outright each frame: a list
/// left to shrink to its content grew a little each frame (the scroll area measures the
/// content it drew last time), moving the centred dialog and the buttons under a click.
/// `row_height` is without the spacing between rows (as `show_rows` takes it): counting the
/// spacing twice left three rows in a list two-thirds their height, with a scroll bar.
fn list_height(ui: &egui::Ui, room: f32, rows: usize, row_height: f32) -> f32 {
    let spacing = ui.spacing().item_spacing.y;
    (rows as f32 * (row_height + spacing) - spacing)
        .max(0.0)
        .min(room)
}

/// The height of a list row: a line of text, or a widget (a drop-down) when that is taller.
fn row_height(ui: &egui::Ui) -> f32 {
    ui.spacing()
        .interact_size
        .y
        .max(ui.text_style_height(&egui::TextStyle::Body))
}

/// The height of a row holding a drop-down: its text and the button's padding (taller than
/// `interact_size` with Rapport's padding, so the last column was cut with a scroll bar).
fn combo_row_height(ui: &egui::Ui) -> f32 {
    let button =
        ui.text_style_height(&egui::TextStyle::Button) + 2.0 * ui.spacing().button_padding.y;
    row_height(ui).max(button)
}

/// The plan, one line per row; only the visible lines are drawn. A line too long for the
/// dialog ends in "…" and shows in full on hover.
fn plan_list_ui(ui: &mut egui::Ui, preview: &ImportPreview, lines: &PlanLines, height: f32) {
    let total = lines.len();
    if total == 0 {
        return;
    }
    let row_height = row_height(ui);
    let warn = ui.visuals().warn_fg_color;
    let error = ui.visuals().error_fg_color;
    egui::ScrollArea::vertical()
        .id_salt("import_plan")
        .min_scrolled_height(list_height(ui, height, total, row_height))
        .max_height(list_height(ui, height, total, row_height))
        .auto_shrink([false, false])
        .show_rows(ui, row_height, total, |ui, range| {
            for index in range {
                let Some((kind, text)) = lines.line(preview, index) else {
                    continue;
                };
                let color = match kind {
                    LineKind::Skip => error,
                    LineKind::Note | LineKind::Problem => warn,
                    _ => ui.visuals().text_color(),
                };
                ui.horizontal(|ui| {
                    ui.label(
                        egui::RichText::new(kind.tag())
                            .small()
                            .strong()
                            .color(color),
                    );
                    ui.add(egui::Label::new(egui::RichText::new(text).color(color)).truncate());
                });
            }
        });
}

/// Each column as a row: its header, the field it goes to (a drop-down), and what the first
/// rows hold in it. Vertical, so a file with 80 columns scrolls with the wheel like any list.
fn columns_ui(
    ui: &mut egui::Ui,
    parsed: &ParsedFile,
    table: &crate::import::Table,
    height: f32,
    commands: &mut Vec<Command>,
) {
    ui.label(egui::RichText::new("Change where a column goes if Rapport guessed wrong. Your choice is remembered for files like this one.").small().weak());
    let row_height = combo_row_height(ui);
    let header_width = (ui.available_width() * 0.3).clamp(90.0, 240.0);
    let mut remap = None;
    let rows = table.headers.len();
    egui::ScrollArea::vertical()
        .id_salt("import_columns")
        .min_scrolled_height(list_height(ui, height, rows, row_height))
        .max_height(list_height(ui, height, rows, row_height))
        .auto_shrink([false, false])
        .show_rows(ui, row_height, rows, |ui, range| {
            for index in range {
                let header = &table.headers[index];
                let current = parsed.mapping.get(index).map_or(Field::Ignore, |c| c.field);
                ui.horizontal(|ui| {
                    // A fixed width, so the drop-downs line up under each other.
                    let layout = egui::Layout::left_to_right(egui::Align::Center);
                    let header_label = ui
                        .allocate_ui_with_layout(
                            egui::vec2(header_width, row_height),
                            layout,
                            |ui| {
                                ui.set_min_width(header_width);
                                ui.add(
                                    egui::Label::new(egui::RichText::new(header).strong())
                                        .truncate(),
                                )
                            },
                        )
                        .inner;
                    ui.label("➡");
                    let mut chosen = current;
                    egui::ComboBox::from_id_salt(("import_column", index))
                        .selected_text(current.label())
                        .width(150.0)
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
                    let sample = sample_of(table, index);
                    ui.add(egui::Label::new(egui::RichText::new(sample).weak()).truncate());
                });
            }
        });
    if let Some((index, field)) = remap {
        commands.push(Command::RemapImportColumn { index, field });
    }
}

/// The first few values of a column, so the user sees what it holds.
fn sample_of(table: &crate::import::Table, column: usize) -> String {
    // The first rows only: a column empty in a 100,000-row file must not be read every frame.
    let values: Vec<String> = table
        .rows
        .iter()
        .take(50)
        .filter_map(|row| row.get(column))
        .map(|cell| cell.replace('\n', " ").trim().to_owned())
        .filter(|cell| !cell.is_empty())
        .take(3)
        .collect();
    if values.is_empty() {
        "(empty in the first rows)".to_owned()
    } else {
        values.join(" · ")
    }
}
