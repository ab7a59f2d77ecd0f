//! Small widgets shared by the forms: every input gets an accessible name from its label.

/// A label in the first grid column and a one-line text box in the second.
pub fn text_row(ui: &mut egui::Ui, label: &str, value: &mut String, hint: &str) -> egui::Response {
    let label = ui.label(label);
    let response = ui
        .add(
            egui::TextEdit::singleline(value)
                .hint_text(hint)
                .desired_width(f32::INFINITY),
        )
        .labelled_by(label.id);
    note_enter(ui, &response);
    ui.end_row();
    response
}

/// Gives the keyboard to `response` (a dialog's first field) while nothing has it, so a
/// dialog opened by a shortcut can be answered by typing at once.
pub fn focus_when_none(ui: &egui::Ui, response: &egui::Response) {
    if ui.memory(|m| m.focused().is_none()) {
        response.request_focus();
    }
}

const ENTER_IN_FIELD: &str = "enter_in_one_line_field";

/// Remembers for this frame that Enter was pressed in this one-line box (which is safe to
/// save from: in a notes box Enter is a new line).
pub fn note_enter(ui: &egui::Ui, response: &egui::Response) {
    if response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
        ui.data_mut(|d| d.insert_temp(egui::Id::unique(ENTER_IN_FIELD), true));
    }
}

/// Whether Enter was pressed in one of the form's one-line boxes this frame (and forgets it).
pub fn take_enter(ui: &egui::Ui) -> bool {
    ui.data_mut(|d| d.remove_temp::<bool>(egui::Id::unique(ENTER_IN_FIELD)))
        .unwrap_or(false)
}

/// What the user asked of a form this frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormAnswer {
    Nothing,
    Save,
    Close,
}

/// How a form dialog looks: its title, widest width and the save button's hint.
pub struct FormLook<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub max_width: f32,
    pub save_hint: &'a str,
}

/// A form as a modal dialog: the title, the fields in a scroll area of fixed height (the dialog
/// keeps its place while the form lays itself out, instead of jumping up after the first
/// keystroke — a click meant for Phone landed in Street), starting at the top each time it
/// opens, the error sentence, then Save and Cancel (`form_buttons_ui`) and `extra` buttons.
/// `fields` is told whether its first field is to get the keyboard. Returns what was asked.
pub fn form_modal_ui(
    ctx: &egui::Context,
    look: FormLook<'_>,
    session: &mut crate::view::FormSession,
    dirty: bool,
    error: Option<&str>,
    fields: impl FnOnce(&mut egui::Ui, bool),
    extra: impl FnOnce(&mut egui::Ui, bool),
) -> FormAnswer {
    let modal = egui::Modal::new(egui::Id::unique(look.id)).show(ctx, |ui| {
        // Narrower on a small or zoomed screen, so the buttons stay inside the window.
        ui.set_width((ctx.content_rect().width() - 48.0).clamp(280.0, look.max_width));
        ui.heading(look.title);
        ui.separator();
        let height = ctx.content_rect().height() * 0.7;
        let mut scroll = egui::ScrollArea::vertical()
            .max_height(height)
            .min_scrolled_height(height);
        if !session.shown {
            // Opened again: start at the top, not where the last one was left.
            scroll = scroll.vertical_scroll_offset(0.0);
        }
        let focus_first = std::mem::take(&mut session.focus_first);
        scroll.show(ui, |ui| {
            // Room on the right so the scroll bar never covers the text boxes.
            egui::Frame::NONE
                .inner_margin(egui::Margin {
                    right: 14,
                    ..Default::default()
                })
                .show(ui, |ui| fields(ui, focus_first));
        });
        session.shown = true;
        if let Some(error) = error {
            ui.label(egui::RichText::new(format!("⚠ {error}")).color(ui.visuals().error_fg_color));
        }
        ui.separator();
        ui.horizontal_wrapped(|ui| {
            let was_asking = session.confirm_discard;
            let answer = form_buttons_ui(ui, look.save_hint, dirty, &mut session.confirm_discard);
            if was_asking && !session.confirm_discard {
                // "Keep editing": back to typing without reaching for the mouse.
                session.focus_first = true;
            }
            extra(ui, session.confirm_discard);
            answer
        })
        .inner
    });
    modal.inner
}

/// Save and Cancel at the bottom of a form. Ctrl+Enter saves, and so does Enter in a one-line
/// box; Escape or Cancel closes at once when nothing was typed (`dirty` false), and otherwise
/// asks first, so a stray Escape never throws away what was written. `asking` keeps that
/// question between frames.
pub fn form_buttons_ui(
    ui: &mut egui::Ui,
    save_hint: &str,
    dirty: bool,
    asking: &mut bool,
) -> FormAnswer {
    let escape = ui.input(|i| i.key_pressed(egui::Key::Escape));
    let enter = take_enter(ui);
    if *asking {
        ui.label(egui::RichText::new("Close without saving what you typed?").strong());
        let keep = ui.button("Keep editing");
        if !keep.has_focus() && ui.memory(|m| m.focused().is_none()) {
            keep.request_focus();
        }
        if ui.button("Discard").clicked() {
            return FormAnswer::Close;
        }
        if keep.clicked() || escape {
            *asking = false;
        }
        return FormAnswer::Nothing;
    }
    let save = ui.button("Save").on_hover_text(save_hint);
    let ctrl_enter = ui.input_mut(|i| i.consume_key(egui::Modifiers::COMMAND, egui::Key::Enter));
    if save.clicked() || ctrl_enter || enter {
        return FormAnswer::Save;
    }
    if ui.button("Cancel").clicked() || escape {
        if dirty {
            *asking = true;
            return FormAnswer::Nothing;
        }
        return FormAnswer::Close;
    }
    FormAnswer::Nothing
}

/// A label in the first grid column and a multi-line text box in the second.
pub fn notes_row(ui: &mut egui::Ui, label: &str, value: &mut String, hint: &str) -> egui::Response {
    let label = ui.label(label);
    let response = ui
        .add(
            egui::TextEdit::multiline(value)
                .hint_text(hint)
                .desired_rows(2)
                .desired_width(f32::INFINITY),
        )
        .labelled_by(label.id);
    ui.end_row();
    response
}

/// A drop-down over one of the model's vocabularies (channel, purpose, …).
pub fn choice_row<T: Copy + PartialEq + std::fmt::Display + 'static>(
    ui: &mut egui::Ui,
    label: &str,
    value: &mut T,
    all: &[T],
    icon: impl Fn(T) -> &'static str,
) {
    let label_response = ui.label(label);
    let response = egui::ComboBox::from_id_salt(label)
        .selected_text(format!("{} {}", icon(*value), value))
        .width(220.0)
        .show_ui(ui, |ui| {
            for option in all {
                ui.selectable_value(value, *option, format!("{} {}", icon(*option), option));
            }
        })
        .response;
    response.labelled_by(label_response.id);
    ui.end_row();
}

/// The colour of a health band: green, amber, red; readable on light and dark panels.
pub fn health_color(ui: &egui::Ui, level: crate::model::HealthLevel) -> egui::Color32 {
    use crate::model::HealthLevel;
    let dark = ui.visuals().dark_mode;
    match (level, dark) {
        (HealthLevel::Good, false) => egui::Color32::from_rgb(0x1f, 0x8a, 0x4c),
        (HealthLevel::Good, true) => egui::Color32::from_rgb(0x5c, 0xc9, 0x8a),
        (HealthLevel::Watch, false) => egui::Color32::from_rgb(0xb3, 0x6b, 0x00),
        (HealthLevel::Watch, true) => egui::Color32::from_rgb(0xf0, 0xb4, 0x50),
        (HealthLevel::AtRisk, false) => egui::Color32::from_rgb(0xc0, 0x2b, 0x2b),
        (HealthLevel::AtRisk, true) => egui::Color32::from_rgb(0xff, 0x7b, 0x72),
    }
}

/// A small pill with the health score in its band's colour; hovering says why, in words.
pub fn health_badge_ui(
    ui: &mut egui::Ui,
    score: i64,
    level: crate::model::HealthLevel,
    notes: &[String],
) -> egui::Response {
    let color = health_color(ui, level);
    let text = egui::RichText::new(format!("♥ {score}"))
        .small()
        .strong()
        .color(color);
    // One piece: in a wrapping header "♥" and the score must not land on two lines.
    let label = egui::Label::new(text)
        .wrap_mode(egui::TextWrapMode::Extend)
        .sense(egui::Sense::hover());
    ui.add(label)
        .on_hover_ui(|ui| health_tooltip_ui(ui, score, level, notes))
}

/// The words behind a health score: the band, then each reason on its own line.
pub fn health_tooltip_ui(
    ui: &mut egui::Ui,
    score: i64,
    level: crate::model::HealthLevel,
    notes: &[String],
) {
    ui.label(
        egui::RichText::new(format!(
            "Relationship health {score}/100 — {}",
            level.label()
        ))
        .strong()
        .color(health_color(ui, level)),
    );
    for note in notes {
        ui.label(format!("• {note}"));
    }
}

/// A tag as a small coloured chip (grey when it has no colour).
pub fn tag_chip_ui(ui: &mut egui::Ui, name: &str, rgb: Option<[u8; 3]>) -> egui::Response {
    let fill = match rgb {
        Some([r, g, b]) => egui::Color32::from_rgb(r, g, b),
        None => ui.visuals().widgets.inactive.weak_bg_fill,
    };
    // Dark text on light colours, light text on dark ones.
    let luminance =
        0.299 * f32::from(fill.r()) + 0.587 * f32::from(fill.g()) + 0.114 * f32::from(fill.b());
    let text_color = if luminance > 150.0 {
        egui::Color32::from_gray(20)
    } else {
        egui::Color32::from_gray(245)
    };
    egui::Frame::new()
        .fill(fill)
        .corner_radius(8.0)
        .inner_margin(egui::Margin::symmetric(6, 1))
        .show(ui, |ui| {
            ui.label(egui::RichText::new(name).small().color(text_color));
        })
        .response
}

/// The colours of the purpose charts, on a line of their own above the chart: drawn inside the
/// plot, the legend sat in its top-right corner over the newest bars. One label, so it wraps
/// as text and reads as one line to a screen reader.
fn purpose_legend_ui(ui: &mut egui::Ui) {
    use crate::model::Purpose;
    let dark = ui.visuals().dark_mode;
    let font = egui::TextStyle::Small.resolve(ui.style());
    let text_color = ui.visuals().text_color();
    let mut job = egui::text::LayoutJob::default();
    for (index, purpose) in [Purpose::Sales, Purpose::Service, Purpose::Relationship]
        .into_iter()
        .enumerate()
    {
        let gap = if index == 0 { "" } else { "   " };
        let color = super::history_panel::purpose_color(purpose, dark);
        job.append(
            &format!("{gap}■ "),
            0.0,
            egui::TextFormat::simple(font.clone(), color),
        );
        let name = egui::TextFormat::simple(font.clone(), text_color);
        job.append(purpose.label(), 0.0, name);
    }
    ui.label(job);
}

/// Conversations per period as bars stacked by purpose (sales, service, relationship), with
/// `labels` under the bars and the legend above. Used by the timeline (per month) and the
/// dashboard (per week).
pub fn purpose_bars_ui(
    ui: &mut egui::Ui,
    id_salt: impl std::hash::Hash + std::fmt::Debug,
    labels: Vec<String>,
    [sales, service, relationship]: [&[u32]; 3],
    height: f32,
) {
    use crate::model::Purpose;
    use egui_plot::{Bar, BarChart, Plot};
    let dark = ui.visuals().dark_mode;
    let color = |purpose| super::history_panel::purpose_color(purpose, dark);
    let bars = |values: &[u32]| -> Vec<Bar> {
        values
            .iter()
            .enumerate()
            .map(|(i, v)| Bar::new(i as f64, f64::from(*v)).width(0.7))
            .collect()
    };
    let sales = BarChart::new("Sales", bars(sales)).color(color(Purpose::Sales));
    let service = BarChart::new("Service", bars(service))
        .color(color(Purpose::Service))
        .stack_on(&[&sales]);
    let relationship = BarChart::new("Relationship", bars(relationship))
        .color(color(Purpose::Relationship))
        .stack_on(&[&sales, &service]);
    purpose_legend_ui(ui);
    Plot::new(id_salt)
        .height(height)
        .allow_zoom(false)
        .allow_drag(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .allow_double_click_reset(false)
        .include_y(0.0)
        .include_y(3.0)
        .y_axis_min_width(18.0)
        .x_axis_formatter(move |mark, _| {
            let i = mark.value.round();
            if (mark.value - i).abs() < 1e-6 && i >= 0.0 {
                labels.get(i as usize).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        })
        .show(ui, |plot| {
            plot.bar_chart(sales);
            plot.bar_chart(service);
            plot.bar_chart(relationship);
        });
}

/// "Save as": the path typed, or a "Choose…" button that asks the app for the system file
/// dialog (`pick`); typing always works, since rfd may find no portal. Returns the path field.
pub fn save_as_row(
    ui: &mut egui::Ui,
    path: &mut String,
    hint: &str,
    width: f32,
    pick: crate::view::Command,
    commands: &mut Vec<crate::view::Command>,
) -> egui::Response {
    ui.horizontal(|ui| {
        let label = ui.label("Save as");
        let edit = ui
            .add(
                egui::TextEdit::singleline(path)
                    .desired_width(width)
                    .hint_text(hint),
            )
            .labelled_by(label.id);
        // Enter here exports, like the Export button.
        note_enter(ui, &edit);
        if ui
            .button("Choose…")
            .on_hover_text("Pick the place in a file dialog")
            .clicked()
        {
            commands.push(pick);
        }
        edit
    })
    .inner
}

/// What the user did at the bottom of an export dialog this frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportAnswer {
    Nothing,
    Export,
    Cancel,
}

/// The end of an export dialog: its error in a sentence, a rule, then Export and Cancel
/// (Escape cancels too).
pub fn export_buttons_ui(ui: &mut egui::Ui, error: Option<&str>) -> ExportAnswer {
    if let Some(error) = error {
        ui.label(egui::RichText::new(format!("⚠ {error}")).color(ui.visuals().error_fg_color));
    }
    ui.separator();
    let enter = take_enter(ui);
    ui.horizontal(|ui| {
        if ui.button("Export").clicked() || enter {
            ExportAnswer::Export
        } else if ui.button("Cancel").clicked() || ui.input(|i| i.key_pressed(egui::Key::Escape)) {
            ExportAnswer::Cancel
        } else {
            ExportAnswer::Nothing
        }
    })
    .inner
}

/// `path` with its extension changed to `extension` (a blank path stays blank), so the file
/// name follows the format chosen in an export dialog.
pub fn with_extension(path: &str, extension: &str) -> String {
    let trimmed = path.trim();
    if trimmed.is_empty() {
        return path.to_owned();
    }
    std::path::PathBuf::from(trimmed)
        .with_extension(extension)
        .display()
        .to_string()
}

/// Inside `ScrollArea::show_viewport`, after whatever was drawn above: `total` rows of
/// `row_height` of which only those in `viewport` are drawn (`add_rows` gets their range),
/// while the whole height is reserved so the scroll bar is true. Lets a panel scroll as a
/// whole — a header, then a long virtualized list — instead of pinning the header and leaving
/// the list a sliver on a small screen.
pub fn rows_in_viewport(
    ui: &mut egui::Ui,
    viewport: egui::Rect,
    row_height: f32,
    total: usize,
    add_rows: impl FnOnce(&mut egui::Ui, std::ops::Range<usize>),
) {
    let spacing = ui.spacing().item_spacing.y;
    let step = row_height + spacing;
    let top = ui.cursor().top();
    // Where the rows start, in the viewport's coordinates (0 = top of the content).
    let offset = top - ui.max_rect().top();
    let first = (((viewport.min.y - offset) / step).floor().max(0.0) as usize).min(total);
    let last = ((((viewport.max.y - offset) / step).ceil().max(0.0) as usize) + 1).min(total);
    let first = first.min(last);
    let x = ui.max_rect().x_range();
    let rect =
        egui::Rect::from_x_y_ranges(x, (top + first as f32 * step)..=(top + last as f32 * step));
    ui.scope_builder(egui::UiBuilder::new().max_rect(rect), |ui| {
        ui.skip_ahead_auto_ids(first);
        add_rows(ui, first..last);
    });
    let height = (step * total as f32 - spacing).max(0.0);
    ui.advance_cursor_after_rect(egui::Rect::from_min_size(
        egui::pos2(x.min, top),
        egui::vec2(1.0, height),
    ));
}
