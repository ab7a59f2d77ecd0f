//! The centre panel: who the selected person is, and every conversation with them, newest
//! first, with what they said, what they need, what I promised and the next step.

use crate::model::{Channel, HistoryFilter, Interaction, Outcome, Purpose};
use crate::view::history::FilterBuffers;
use crate::view::team_live::TeamLink;
use crate::view::{Command, SelectedContact, ViewState};
use chrono::NaiveDate;

/// Fixed card height so the list can be virtualized: a header line, the summary and up to
/// four listening notes.
pub const CARD_HEIGHT: f32 = 128.0;

pub fn purpose_color(purpose: Purpose, dark: bool) -> egui::Color32 {
    match (purpose, dark) {
        (Purpose::Sales, false) => egui::Color32::from_rgb(0xB4, 0x5F, 0x06),
        (Purpose::Sales, true) => egui::Color32::from_rgb(0xF0, 0xA2, 0x4B),
        (Purpose::Service, false) => egui::Color32::from_rgb(0x1F, 0x5F, 0xAD),
        (Purpose::Service, true) => egui::Color32::from_rgb(0x6C, 0xA6, 0xF0),
        (Purpose::Relationship, false) => egui::Color32::from_rgb(0x2E, 0x7D, 0x32),
        (Purpose::Relationship, true) => egui::Color32::from_rgb(0x7C, 0xC8, 0x7F),
    }
}

pub fn history_panel_ui(ui: &mut egui::Ui, view: &mut ViewState, commands: &mut Vec<Command>) {
    // The purpose keys wait while a dialog (the conversation form, an import…) is open.
    let keys = !super::behind_dialog::dialog_over(ui.ctx(), view);
    let Some(selected) = &mut view.selected else {
        view.filter_buffers = FilterBuffers::default();
        ui.add_space(40.0);
        ui.vertical_centered(|ui| {
            if view.contacts.total == 0 && view.search.trim().is_empty() {
                ui.heading("Welcome to Rapport");
                ui.add_space(8.0);
                ui.label("Rapport remembers the people your business depends on: what they said, what they need, and what you promised.");
                ui.add_space(8.0);
                ui.label("No contacts yet — start with ➕ New contact (Ctrl+N).");
                ui.add_space(4.0);
                if ui.button("➕ Add your first contact").clicked() {
                    commands.push(Command::NewContact);
                }
            } else {
                ui.heading("Conversation history");
                ui.add_space(8.0);
                ui.label("Select a contact on the left to see your conversations with them.");
            }
        });
        return;
    };
    let id = selected.contact.id.0;
    // The header, the briefing and the history scroll as one, so on a small or zoomed screen
    // the conversations are reached by scrolling instead of being pushed below the window.
    egui::ScrollArea::vertical()
        .id_salt(("centre", id))
        .auto_shrink([false, false])
        .show_viewport(ui, |ui, viewport| {
            match &selected.organization {
                None => {
                    super::contact_header::contact_header_ui(
                        ui,
                        selected,
                        commands,
                        &mut view.life_event_form,
                        view.photos.header(selected.contact.id).flatten(),
                    );
                    super::custom_fields::header_fields_ui(ui, selected, &view.custom_fields);
                    super::relationships::relationships_ui(
                        ui,
                        selected.contact.id,
                        &mut view.relationships,
                        commands,
                    );
                    super::contact_header::briefing_ui(ui, selected);
                    super::today_panel::ledger_ui(ui, &selected.promises, "Promises");
                }
                Some(_) => {
                    organization_header_ui(ui, selected, commands);
                    super::custom_fields::organization_fields_ui(
                        ui,
                        selected,
                        &mut view.custom_fields,
                        commands,
                    );
                }
            }
            ui.separator();
            let team = view.team.as_ref();
            history_ui(
                ui,
                viewport,
                selected,
                team,
                &mut view.filter_buffers,
                keys,
                commands,
            );
        });
}

/// The heading, the filter bar and the conversation cards (only those on screen are drawn).
fn history_ui(
    ui: &mut egui::Ui,
    viewport: egui::Rect,
    selected: &mut SelectedContact,
    team: Option<&TeamLink>,
    filter_buffers: &mut FilterBuffers,
    keys: bool,
    commands: &mut Vec<Command>,
) {
    let total = selected.history.total;
    ui.horizontal(|ui| {
        ui.heading("Conversation history");
        ui.label(egui::RichText::new(format!("({total})")).weak());
        if total > 0 {
            super::history_threads::purpose_hint_ui(ui);
        }
    });
    filter_bar_ui(ui, selected, filter_buffers, commands);
    if total == 0 && !selected.filter.is_empty() {
        ui.add_space(8.0);
        ui.label("No conversations match these filters.");
        if ui.link("Show all conversations").clicked() {
            *filter_buffers = FilterBuffers::default();
            commands.push(Command::FilterHistory(HistoryFilter::default()));
        }
        return;
    }
    if total == 0 {
        ui.add_space(8.0);
        ui.label(format!(
            "No conversations with {} yet. Log the first one with 📝 Log conversation (Ctrl+L).",
            selected.contact.draft.display_name
        ));
        return;
    }
    // On a team database, whoever else logged a conversation is named on its card.
    super::history_threads::history_cards_ui(ui, viewport, selected, team, keys, commands);
}

fn organization_header_ui(
    ui: &mut egui::Ui,
    selected: &SelectedContact,
    commands: &mut Vec<Command>,
) {
    let Some((organization_id, name, members)) = &selected.organization else {
        return;
    };
    ui.add_space(4.0);
    ui.horizontal(|ui| {
        ui.heading(egui::RichText::new(format!("🏢 {name}")).strong());
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if ui
                .button("📋 Export timeline")
                .on_hover_text(format!(
                    "A report on everyone at {name}: PDF, web page, CSV or Markdown"
                ))
                .clicked()
            {
                commands.push(Command::OpenExportReport(Some(
                    crate::model::ReportScope::Organization(*organization_id),
                )));
            }
            if ui
                .button(format!("⬅ Back to {}", selected.contact.draft.display_name))
                .clicked()
            {
                commands.push(Command::ShowContactHistory);
            }
        });
    });
    ui.label(egui::RichText::new(format!("{} people — ★ marks who decides", members.len())).weak());
    ui.horizontal_wrapped(|ui| {
        for member in members {
            let mut text = member.display_name.clone();
            if !member.title.is_empty() {
                text.push_str(&format!(" ({})", member.title));
            }
            if member.is_decision_maker {
                text = format!("★ {text}");
            }
            if ui.link(text).on_hover_text("Open this person").clicked() {
                commands.push(Command::SelectContact(member.id));
            }
        }
    });
}

/// Channel, purpose, dates and words: narrows the history below.
fn filter_bar_ui(
    ui: &mut egui::Ui,
    selected: &SelectedContact,
    buffers: &mut FilterBuffers,
    commands: &mut Vec<Command>,
) {
    let mut filter = selected.filter.clone();
    let mut changed = false;
    ui.horizontal_wrapped(|ui| {
        let channel_label = ui.label("Filter: channel");
        let channel_text = filter
            .channel
            .map(|c| format!("{} {}", c.icon(), c.label()))
            .unwrap_or_else(|| "Any".to_owned());
        egui::ComboBox::from_id_salt("history_channel")
            .selected_text(channel_text)
            .show_ui(ui, |ui| {
                changed |= ui
                    .selectable_value(&mut filter.channel, None, "Any")
                    .changed();
                for channel in Channel::ALL {
                    changed |= ui
                        .selectable_value(
                            &mut filter.channel,
                            Some(*channel),
                            format!("{} {}", channel.icon(), channel.label()),
                        )
                        .changed();
                }
            })
            .response
            .labelled_by(channel_label.id);
        let purpose_label = ui.label("purpose");
        let purpose_text = filter
            .purpose
            .map(|p| p.label().to_owned())
            .unwrap_or_else(|| "Any".to_owned());
        egui::ComboBox::from_id_salt("history_purpose")
            .selected_text(purpose_text)
            .show_ui(ui, |ui| {
                changed |= ui
                    .selectable_value(&mut filter.purpose, None, "Any")
                    .changed();
                for purpose in Purpose::ALL {
                    changed |= ui
                        .selectable_value(&mut filter.purpose, Some(*purpose), purpose.label())
                        .changed();
                }
            })
            .response
            .labelled_by(purpose_label.id);
        let from_label = ui.label("From");
        let from = ui
            .add(
                egui::TextEdit::singleline(&mut buffers.from)
                    .hint_text("YYYY-MM-DD")
                    .desired_width(84.0),
            )
            .labelled_by(from_label.id);
        let to_label = ui.label("to");
        let to = ui
            .add(
                egui::TextEdit::singleline(&mut buffers.to)
                    .hint_text("YYYY-MM-DD")
                    .desired_width(84.0),
            )
            .labelled_by(to_label.id);
        let search_label = ui.label("Notes");
        let search = ui
            .add(
                egui::TextEdit::singleline(&mut buffers.text)
                    .hint_text("🔍 words in the notes")
                    .desired_width(150.0),
            )
            .labelled_by(search_label.id);
        if from.changed() || to.changed() {
            // Only complete dates filter; a half-typed date keeps the previous one.
            let parse = |t: &str| NaiveDate::parse_from_str(t.trim(), "%Y-%m-%d").ok();
            let (new_from, new_to) = (parse(&buffers.from), parse(&buffers.to));
            if (buffers.from.trim().is_empty() || new_from.is_some()) && new_from != filter.from {
                filter.from = new_from;
                changed = true;
            }
            if (buffers.to.trim().is_empty() || new_to.is_some()) && new_to != filter.to {
                filter.to = new_to;
                changed = true;
            }
        }
        if search.changed() {
            filter.text = buffers.text.clone();
            changed = true;
        }
        if !filter.is_empty()
            && ui
                .small_button("✖ Clear")
                .on_hover_text("Show all conversations")
                .clicked()
        {
            *buffers = FilterBuffers::default();
            filter = HistoryFilter::default();
            changed = true;
        }
    });
    if changed {
        commands.push(Command::FilterHistory(filter));
    }
}

/// Channel, purpose (in its colour), outcome, duration, who else was there, and on a team
/// database who logged it (when not me) and whether it is private, on one line.
fn card_details(
    ui: &egui::Ui,
    interaction: &Interaction,
    logged_by: Option<&str>,
    purpose_color: egui::Color32,
) -> egui::text::LayoutJob {
    let d = &interaction.draft;
    let font = egui::TextStyle::Body.resolve(ui.style());
    let weak = ui.visuals().weak_text_color();
    let mut job = egui::text::LayoutJob::default();
    let mut add = |text: &str, color: egui::Color32| {
        job.append(text, 6.0, egui::TextFormat::simple(font.clone(), color));
    };
    add(d.channel.label(), weak);
    add(d.purpose.label(), purpose_color);
    if d.outcome != Outcome::Held {
        let text = format!("{} {}", d.outcome.icon(), d.outcome.label());
        add(&text, ui.visuals().warn_fg_color);
    }
    if let Some(minutes) = d.duration_minutes {
        add(&format!("{minutes} min"), weak);
    }
    if interaction.participant_names.len() > 1 {
        add(
            &format!("with {}", interaction.participant_names.join(", ")),
            weak,
        );
    }
    if let Some(by) = logged_by {
        add(&format!("Logged by {by}"), weak);
    }
    if d.private {
        add("🔒 Private", weak);
    }
    job
}

/// One conversation as a fixed-height card, naming who logged it when that was a teammate;
/// clicking it opens it for editing.
pub(super) fn conversation_card_ui(
    ui: &mut egui::Ui,
    interaction: &Interaction,
    logged_by: Option<&str>,
    dark: bool,
) -> egui::Response {
    let d = &interaction.draft;
    let width = ui.available_width();
    let color = purpose_color(d.purpose, dark);
    let response = egui::Frame::group(ui.style())
        .inner_margin(egui::Margin::symmetric(8, 4))
        .show(ui, |ui| {
            ui.set_width(width - 18.0);
            ui.set_height(CARD_HEIGHT - 14.0);
            ui.spacing_mut().item_spacing.y = 2.0;
            ui.horizontal(|ui| {
                ui.label(egui::RichText::new(d.channel.icon()).size(16.0));
                ui.strong(d.occurred_at.format("%a %-d %b %Y, %H:%M").to_string());
                // The rest of the line ends in "…" (full text on hover) when the panel is
                // narrow, instead of running out of the card.
                ui.add(
                    egui::Label::new(card_details(ui, interaction, logged_by, color)).truncate(),
                );
            });
            let summary = if d.summary.is_empty() {
                "(no summary)"
            } else {
                d.summary.as_str()
            };
            ui.add(egui::Label::new(egui::RichText::new(summary).strong()).truncate());
            for (label, text) in [
                ("They said", &d.they_said),
                ("They need", &d.they_need),
                ("I promised", &d.i_promised),
                ("Next step", &d.next_step),
            ] {
                if !text.is_empty() {
                    ui.add(
                        egui::Label::new(egui::RichText::new(format!("{label}: {text}")))
                            .truncate(),
                    );
                }
            }
        })
        .response;
    let response = response.interact(egui::Sense::click());
    let label = format!(
        "{} {} on {}",
        d.purpose.label(),
        d.channel.label().to_lowercase(),
        d.occurred_at.format("%Y-%m-%d %H:%M")
    );
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &label));
    response.on_hover_text(
        "Click to open, edit or delete this conversation. S, V or R: its purpose is sales, service or relationship.",
    )
}
