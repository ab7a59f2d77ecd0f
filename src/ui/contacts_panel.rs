//! The left panel: search as you type and a virtualized list of contacts. Only the rows on
//! screen are drawn, and only rows near them are fetched, so 100,000 contacts scroll like 100.

use crate::model::ContactRow;
use crate::view::{Command, ViewState};

/// Height of one list row: name on the first line, organization and role on the second.
pub const ROW_HEIGHT: f32 = 40.0;
/// The diameter of the avatar at the left of a row.
const ROW_AVATAR_SIZE: f32 = 28.0;

pub fn contacts_panel_ui(ui: &mut egui::Ui, view: &mut ViewState, commands: &mut Vec<Command>) {
    ui.add_space(4.0);
    ui.horizontal(|ui| {
        ui.heading("Contacts");
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if ui
                .button("➕ New contact")
                .on_hover_text(format!(
                    "Add a person ({})",
                    ui.ctx().format_shortcut(&super::SHORTCUT_NEW_CONTACT)
                ))
                .clicked()
            {
                commands.push(Command::NewContact);
            }
        });
    });
    let search_label = ui.label(egui::RichText::new("Search contacts").small().weak());
    let search = ui
        .add(
            egui::TextEdit::singleline(&mut view.search)
                .hint_text("🔍 Name, company, e-mail, notes…")
                .desired_width(f32::INFINITY),
        )
        .labelled_by(search_label.id);
    if view.focus_search {
        search.request_focus();
        view.focus_search = false;
    }
    let search_changed = search.changed();
    if search_changed {
        commands.push(Command::SearchChanged);
    }
    let total = view.contacts.total;
    let counted = if view.search.trim().is_empty() {
        format!(
            "{} contact{}",
            thousands(total),
            if total == 1 { "" } else { "s" }
        )
    } else {
        format!(
            "{} match{}",
            thousands(total),
            if total == 1 { "" } else { "es" }
        )
    };
    filter_ui(ui, view, commands);
    ui.label(egui::RichText::new(counted).small().weak());
    ui.separator();

    // The bar for the chosen contacts sits below the list, so choosing one does not move
    // the rows (a second Ctrl-click landed on "Move to trash" when the bar pushed them down).
    egui::Panel::bottom("contacts_footer")
        .show_separator_line(true)
        .show(ui, |ui| {
            super::bulk_bar::bulk_bar_ui(ui, view, commands);
            ui.add_space(2.0);
            if ui
                .button("🗑 Trash")
                .on_hover_text("Deleted contacts, to restore or delete for good")
                .clicked()
            {
                commands.push(Command::OpenTrash);
            }
        });

    if total == 0 {
        empty_list_ui(ui, view, commands);
        return;
    }

    let selected = view.selected.as_ref().map(|s| s.contact.id);
    let mut scroll_area = egui::ScrollArea::vertical()
        .id_salt("contact_list")
        .auto_shrink([false, false]);
    let spacing = ui.spacing().item_spacing.y;
    let keyboard_target: Option<usize> =
        ui.data_mut(|d| d.remove_temp(egui::Id::unique("contact_row_scroll")));
    if search_changed {
        // New results start at the top.
        scroll_area = scroll_area.vertical_scroll_offset(0.0);
    } else if let Some(index) = keyboard_target {
        // Keep the row the keyboard moved to in view: scroll only when it is off screen.
        let row_top = index as f32 * (ROW_HEIGHT + spacing);
        let seen: Option<(f32, f32)> =
            ui.data(|d| d.get_temp(egui::Id::unique("contact_list_view")));
        if let Some((offset, height)) = seen {
            if row_top < offset {
                scroll_area = scroll_area.vertical_scroll_offset(row_top);
            } else if row_top + ROW_HEIGHT > offset + height {
                scroll_area = scroll_area.vertical_scroll_offset(row_top + ROW_HEIGHT - height);
            }
        }
    } else if view.scroll_to_selected {
        view.scroll_to_selected = false;
        if let Some(index) = view.selected_row {
            let offset = (index as f32 * (ROW_HEIGHT + spacing) - 3.0 * ROW_HEIGHT).max(0.0);
            scroll_area = scroll_area.vertical_scroll_offset(offset);
        }
    }
    // Enter takes the focus away from a one-line box in the same frame.
    if search.has_focus() || search.lost_focus() {
        search_keys_ui(ui, total);
    }
    select_all_keys_ui(ui, commands);
    let output = scroll_area.show_rows(ui, ROW_HEIGHT, total, |ui, range| {
        for index in range.clone() {
            match view.contacts.row(index, &range) {
                Some(row) => {
                    // While many are chosen, the rows show those; otherwise the one shown.
                    let chosen = match view.bulk.is_active() {
                        true => view.bulk.contains(row.id),
                        false => selected == Some(row.id),
                    };
                    let response = contact_row_ui(ui, row, &mut view.photos, chosen, index);
                    let enter =
                        response.has_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                    if enter {
                        // Enter opens the person's page, from Today or the dashboard too.
                        commands.push(Command::OpenContact(row.id));
                    } else if response.clicked() {
                        row_clicked(ui, &mut view.bulk, commands, row.id, index, selected);
                    }
                    row_keys_ui(ui, &response, index, total);
                    // The selection follows the keyboard, as in a file manager — also to a row
                    // far away (End) that was "…" until its row arrived.
                    let moved_here = take_row_to_select(ui, index);
                    if (response.gained_focus() && !response.clicked()) || moved_here {
                        response.scroll_to_me(None);
                        if selected != Some(row.id) {
                            commands.push(Command::SelectContact(row.id));
                        }
                    }
                }
                None => {
                    let (rect, _) = ui.allocate_exact_size(
                        egui::vec2(ui.available_width(), ROW_HEIGHT),
                        egui::Sense::hover(),
                    );
                    // Keeps the row's id while its data is on the way, so the keyboard's
                    // focus is not dropped by egui for a row that was not drawn.
                    let placeholder = ui.interact(rect, row_id(index), egui::Sense::click());
                    row_keys_ui(ui, &placeholder, index, total);
                    ui.painter().text(
                        rect.left_center() + egui::vec2(6.0, 0.0),
                        egui::Align2::LEFT_CENTER,
                        "…",
                        egui::TextStyle::Body.resolve(ui.style()),
                        ui.visuals().weak_text_color(),
                    );
                }
            }
        }
    });
    // Where the list was scrolled and how tall it is, for the keyboard's next move.
    let seen = (output.state.clamped_offset().y, output.inner_rect.height());
    ui.data_mut(|d| d.insert_temp(egui::Id::unique("contact_list_view"), seen));
}

/// A click on a row: Ctrl (⌘) adds or takes it out of the bulk selection, Shift chooses every
/// row from the last one clicked, a plain click shows the contact (and chooses only them).
fn row_clicked(
    ui: &egui::Ui,
    bulk: &mut crate::view::bulk::BulkSelection,
    commands: &mut Vec<Command>,
    id: crate::model::ContactId,
    index: usize,
    shown: Option<crate::model::ContactId>,
) {
    let modifiers = ui.input(|i| i.modifiers);
    if modifiers.command {
        bulk.toggle(id, index, shown);
    } else if modifiers.shift {
        commands.push(Command::ExtendSelection(index));
    } else {
        bulk.click(index);
        commands.push(Command::SelectContact(id));
    }
}

/// Ctrl+A (⌘A) while no text box has the keyboard: every contact the search and filters match.
fn select_all_keys_ui(ui: &egui::Ui, commands: &mut Vec<Command>) {
    if ui.ctx().egui_wants_keyboard_input() {
        return;
    }
    if ui.input_mut(|i| i.consume_key(egui::Modifiers::COMMAND, egui::Key::A)) {
        commands.push(Command::SelectAllMatches);
    }
}

/// An empty list says what to do next: add or import the first contacts, or clear a search
/// that matches nobody.
fn empty_list_ui(ui: &mut egui::Ui, view: &mut ViewState, commands: &mut Vec<Command>) {
    ui.add_space(12.0);
    if view.search.trim().is_empty() {
        ui.label("No contacts yet.");
        ui.label("Add the first person you want to remember with ➕ New contact (Ctrl+N).");
        if ui.link("Or import your contacts (Ctrl+I)").clicked() {
            commands.push(Command::OpenImport);
        }
    } else {
        ui.label(format!("Nobody matches \"{}\".", view.search.trim()));
        if ui.link("Clear the search").clicked() {
            view.search.clear();
            commands.push(Command::SearchChanged);
        }
    }
}

/// In the search box: ↓ moves into the list at the first match, Enter opens the first match.
fn search_keys_ui(ui: &mut egui::Ui, total: usize) {
    if total == 0 {
        return;
    }
    let (down, enter) = ui.input_mut(|i| {
        (
            i.consume_key(egui::Modifiers::NONE, egui::Key::ArrowDown),
            i.key_pressed(egui::Key::Enter),
        )
    });
    // Both go to the first match: the selected contact's place is not known after a click or
    // a new search, and an old index would select someone else.
    if down || enter {
        move_to_row(ui, 0);
    }
}

/// On a focused row: ↑/↓ move to the neighbouring row, Page Up/Down by ten, Home/End to the
/// ends (egui's own arrow navigation would also stop at the filters above the list).
fn row_keys_ui(ui: &mut egui::Ui, response: &egui::Response, index: usize, total: usize) {
    if !response.has_focus() {
        return;
    }
    use egui::{Key, Modifiers};
    let target = ui.input_mut(|i| {
        let mut press = |key| i.consume_key(Modifiers::NONE, key);
        if press(Key::ArrowDown) {
            Some(index + 1)
        } else if press(Key::ArrowUp) {
            index.checked_sub(1)
        } else if press(Key::PageDown) {
            Some(index + 10)
        } else if press(Key::PageUp) {
            Some(index.saturating_sub(10))
        } else if press(Key::Home) {
            Some(0)
        } else if press(Key::End) {
            Some(total.saturating_sub(1))
        } else {
            None
        }
    });
    if let Some(target) = target {
        move_to_row(ui, target.min(total.saturating_sub(1)));
    }
}

/// Gives the keyboard focus to the row at `index` and scrolls it into view next frame (a row
/// far away is not drawn yet: the list scrolls there first).
fn move_to_row(ui: &mut egui::Ui, index: usize) {
    ui.memory_mut(|m| {
        m.move_focus(egui::FocusDirection::None);
        m.request_focus(row_id(index));
    });
    ui.data_mut(|d| {
        d.insert_temp(egui::Id::unique("contact_row_scroll"), index);
        d.insert_temp(egui::Id::unique("contact_row_select"), index);
    });
}

/// Whether the keyboard moved to the row at `index` and it is now drawn with its contact (its
/// selection is then due), forgetting the move.
fn take_row_to_select(ui: &egui::Ui, index: usize) -> bool {
    let id = egui::Id::unique("contact_row_select");
    let wanted = ui.data(|d| d.get_temp::<usize>(id)) == Some(index);
    if wanted {
        ui.data_mut(|d| d.remove_temp::<usize>(id));
    }
    wanted
}

/// Tag, stage and health filters and the sort order; they combine with the search text.
fn filter_ui(ui: &mut egui::Ui, view: &ViewState, commands: &mut Vec<Command>) {
    use crate::model::{HealthLevel, Stage};
    let current = &view.contact_filter;
    let mut filter = current.clone();
    ui.horizontal_wrapped(|ui| {
        ui.spacing_mut().item_spacing.x = 4.0;
        let tag_label = ui.label(egui::RichText::new("Tag").small().weak());
        let tags = egui::ComboBox::from_id_salt("filter_tag")
            .selected_text(filter.tag.clone().unwrap_or_else(|| "Any".to_owned()))
            .width(70.0)
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut filter.tag, None, "Any");
                for tag in &view.tags {
                    let label = match tag.contacts {
                        Some(n) => format!("{} ({n})", tag.name),
                        None => tag.name.clone(),
                    };
                    ui.selectable_value(&mut filter.tag, Some(tag.name.clone()), label);
                }
            })
            .response
            .labelled_by(tag_label.id);
        // Counting every tag's contacts reads every tagging: only when the list opens.
        if tags.clicked() && view.tags.iter().any(|t| t.contacts.is_none()) {
            commands.push(Command::CountTags);
        }
        let stage_label = ui.label(egui::RichText::new("Stage").small().weak());
        egui::ComboBox::from_id_salt("filter_stage")
            .selected_text(filter.stage.map_or("Any", |s| s.label()))
            .width(70.0)
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut filter.stage, None, "Any");
                for &stage in Stage::ALL {
                    ui.selectable_value(
                        &mut filter.stage,
                        Some(stage),
                        format!("{} {}", stage.icon(), stage.label()),
                    );
                }
            })
            .response
            .labelled_by(stage_label.id);
    });
    // Wraps rather than pushing "Clear" out of a narrow or zoomed panel.
    ui.horizontal_wrapped(|ui| {
        ui.spacing_mut().item_spacing.x = 4.0;
        let health_label = ui.label(egui::RichText::new("Health").small().weak());
        egui::ComboBox::from_id_salt("filter_health")
            .selected_text(filter.health.map_or("Any", |h| h.label()))
            .width(70.0)
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut filter.health, None, "Any");
                for level in HealthLevel::ALL {
                    ui.selectable_value(&mut filter.health, Some(level), level.label());
                }
            })
            .response
            .labelled_by(health_label.id);
        ui.toggle_value(&mut filter.sort_by_health, "⬇ Weakest first")
            .on_hover_text("Sort by relationship health, the people who need you most at the top");
        if !filter.is_plain()
            && ui
                .small_button("✖ Clear")
                .on_hover_text("Show everyone, by name")
                .clicked()
        {
            filter = crate::model::ContactFilter::default();
        }
    });
    super::custom_fields::filter_row_ui(ui, &view.custom_fields.contact, &mut filter);
    if &filter != current {
        commands.push(Command::SetContactFilter(filter));
    }
}

/// One contact as a selectable row (their photo's thumbnail or initials at the left), with an
/// accessible name so screen readers and tests find it by the person's name.
fn contact_row_ui(
    ui: &mut egui::Ui,
    row: &ContactRow,
    photos: &mut crate::view::photos::PhotoTextures,
    is_selected: bool,
    index: usize,
) -> egui::Response {
    let width = ui.available_width();
    let (rect, _) = ui.allocate_exact_size(egui::vec2(width, ROW_HEIGHT), egui::Sense::hover());
    let response = ui.interact(rect, row_id(index), egui::Sense::click());
    response.widget_info(|| {
        egui::WidgetInfo::selected(
            egui::Role::Button,
            ui.is_enabled(),
            is_selected,
            &row.display_name,
        )
    });
    if ui.is_rect_visible(rect) {
        let visuals = ui.style().interact_selectable(&response, is_selected);
        if is_selected || response.hovered() {
            ui.painter().rect_filled(rect, 4.0, visuals.weak_bg_fill);
        }
        if response.has_focus() {
            // The keyboard's place in the list, drawn like egui's own focus ring.
            let stroke = ui.visuals().selection.stroke;
            ui.painter()
                .rect_stroke(rect.shrink(1.0), 4.0, stroke, egui::StrokeKind::Inside);
        }
        let name_font = egui::TextStyle::Body.resolve(ui.style());
        let small_font = egui::TextStyle::Small.resolve(ui.style());
        let avatar = egui::Rect::from_min_size(
            egui::pos2(rect.left() + 6.0, rect.center().y - ROW_AVATAR_SIZE / 2.0),
            egui::vec2(ROW_AVATAR_SIZE, ROW_AVATAR_SIZE),
        );
        let photo = photos.thumbnail(row.id);
        super::avatar::paint_avatar(ui.painter(), avatar, &row.display_name, photo);
        let left = avatar.right() + 8.0;
        let mut name = row.display_name.clone();
        if row.is_decision_maker {
            name.push_str("  ★");
        }
        let text_color = if is_selected {
            visuals.text_color()
        } else {
            ui.visuals().strong_text_color()
        };
        let clip = ui.painter().with_clip_rect(rect.shrink(2.0));
        // The score at the right edge with a coloured dot before it (the tooltip says why);
        // the name ends with "…" before it rather than running under it.
        let right = rect.right() - 6.0;
        let mut name_right = right;
        if let Some((score, level)) = row.health {
            let color = super::widgets::health_color(ui, level);
            let text_rect = clip.text(
                egui::pos2(right, rect.top() + 12.0),
                egui::Align2::RIGHT_CENTER,
                score.to_string(),
                small_font.clone(),
                color,
            );
            let dot = egui::pos2(text_rect.left() - 7.0, text_rect.center().y);
            clip.circle_filled(dot, 4.0, color);
            name_right = dot.x - 10.0;
        }
        let name = one_line(&clip, name, name_font, text_color, name_right - left);
        clip.galley(egui::pos2(left, rect.top() + 3.0), name, text_color);
        let second = match (row.organization.is_empty(), row.title.is_empty()) {
            (false, false) => format!("{} · {}", row.organization, row.title),
            (false, true) => row.organization.clone(),
            (true, false) => row.title.clone(),
            (true, true) => String::new(),
        };
        let weak = ui.visuals().weak_text_color();
        let second = one_line(&clip, second, small_font, weak, rect.right() - 6.0 - left);
        clip.galley(egui::pos2(left, rect.top() + 22.0), second, weak);
    }
    let response = match row.health {
        Some((score, level)) if !row.health_notes.is_empty() => {
            let notes = row.health_notes.clone();
            response
                .on_hover_ui(move |ui| super::widgets::health_tooltip_ui(ui, score, level, &notes))
        }
        _ => response,
    };
    if row.is_decision_maker {
        response.on_hover_text("★ Decision maker")
    } else {
        response
    }
}

/// The id of the list row at `index`, so the keyboard can move to the row above or below.
fn row_id(index: usize) -> egui::Id {
    egui::Id::unique("contact_row").with(index)
}

/// `text` laid out on one line no wider than `max_width`, ending in "…" when it is cut.
fn one_line(
    painter: &egui::Painter,
    text: String,
    font: egui::FontId,
    color: egui::Color32,
    max_width: f32,
) -> std::sync::Arc<egui::Galley> {
    let mut job = egui::text::LayoutJob::simple_singleline(text, font, color);
    job.wrap = egui::text::TextWrapping::truncate_at_width(max_width.max(0.0));
    painter.layout_job(job)
}

pub use crate::model::thousands;
