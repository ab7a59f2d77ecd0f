//! View ▸ Tags: give each tag a colour (shown as chips on contacts) and a keep-in-touch cadence
//! (everyone with the tag should hear from you that often).

use crate::view::{Command, ViewState};

pub fn tags_dialog_ui(ctx: &egui::Context, view: &mut ViewState, commands: &mut Vec<Command>) {
    let Some(dialog) = &mut view.tags_dialog else {
        return;
    };
    let mut close = false;
    egui::Modal::new(egui::Id::unique("tags_dialog")).show(ctx, |ui| {
        ui.set_width((ctx.content_rect().width() - 48.0).clamp(280.0, 560.0));
        ui.heading("Tags");
        ui.label("A colour makes a tag easy to spot on a contact. A cadence says how often everyone with the tag should hear from you; people past it show as going cold.");
        ui.add_space(6.0);
        if dialog.rows.is_empty() {
            ui.label("No tags yet. Add tags on a contact (✏ Edit), or import a file whose labels or categories become tags.");
        }
        egui::ScrollArea::vertical().max_height(360.0).show(ui, |ui| {
            egui::Grid::new("tags_grid").num_columns(5).spacing([10.0, 6.0]).show(ui, |ui| {
                ui.label(egui::RichText::new("Tag").strong());
                ui.label(egui::RichText::new("Colour").strong());
                let cadence_header = ui.label(egui::RichText::new("Every … days").strong());
                ui.label("");
                ui.label("");
                ui.end_row();
                for (index, row) in dialog.rows.iter_mut().enumerate() {
                    let rgb = row.has_color.then_some(row.color);
                    super::widgets::tag_chip_ui(ui, &row.name, rgb)
                        .on_hover_text(format!("{} contact(s)", row.contacts));
                    ui.horizontal(|ui| {
                        let colour_label = ui.label(egui::RichText::new("Colour").small().weak());
                        let picked = ui.color_edit_button_srgb(&mut row.color).labelled_by(colour_label.id);
                        if picked.changed() {
                            row.has_color = true;
                        }
                        if row.has_color && ui.small_button("No colour").clicked() {
                            row.has_color = false;
                        }
                    });
                    let cadence = ui
                        .add(
                            egui::TextEdit::singleline(&mut row.cadence)
                                .hint_text("none")
                                .desired_width(60.0),
                        )
                        .labelled_by(cadence_header.id);
                    if index == 0 {
                        super::widgets::focus_when_none(ui, &cadence);
                    }
                    if ui.button("Save").on_hover_text(format!("Save the tag {}", row.name)).clicked() {
                        let cadence = row.cadence.trim();
                        let cadence_days = if cadence.is_empty() {
                            Ok(None)
                        } else {
                            match cadence.parse::<i64>() {
                                Ok(days) if days > 0 => Ok(Some(days)),
                                _ => Err(format!(
                                    "\"{cadence}\" is not a number of days; leave it empty for no cadence."
                                )),
                            }
                        };
                        match cadence_days {
                            Ok(cadence_days) => {
                                let [r, g, b] = row.color;
                                commands.push(Command::SaveTag {
                                    name: row.name.clone(),
                                    color: row.has_color.then(|| format!("#{r:02x}{g:02x}{b:02x}")),
                                    cadence_days,
                                });
                            }
                            Err(sentence) => dialog.error = Some(sentence),
                        }
                    }
                    let people = match row.contacts {
                        1 => "1 person".to_owned(),
                        n => format!("{n} people"),
                    };
                    ui.label(egui::RichText::new(people).small().weak());
                    ui.end_row();
                }
            });
        });
        if let Some(error) = &dialog.error {
            ui.label(egui::RichText::new(format!("⚠ {error}")).color(ui.visuals().error_fg_color));
        }
        ui.add_space(6.0);
        if ui.button("Close").clicked() {
            close = true;
        }
    });
    if close {
        view.tags_dialog = None;
    }
}
