//! The centre panel: who the selected person is, and every conversation with them, newest
//! first, with what they said, what they need, what I promised and the next step.

use crate::app::{Command, SelectedContact, ViewState};
use crate::model::{Interaction, Outcome, Purpose};

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
    let Some(selected) = &mut view.selected else {
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
    contact_header_ui(ui, selected, commands);
    ui.separator();
    let total = selected.history.total;
    ui.horizontal(|ui| {
        ui.heading("Conversation history");
        ui.label(egui::RichText::new(format!("({total})")).weak());
    });
    if total == 0 {
        ui.add_space(8.0);
        ui.label(format!(
            "No conversations with {} yet. Log the first one with 📝 Log conversation (Ctrl+L).",
            selected.contact.draft.display_name
        ));
        return;
    }
    let dark = ui.visuals().dark_mode;
    egui::ScrollArea::vertical()
        .id_salt(("history", selected.contact.id.0))
        .auto_shrink([false, false])
        .show_rows(ui, CARD_HEIGHT, total, |ui, range| {
            for index in range.clone() {
                match selected.history.row(index, &range) {
                    Some(interaction) => {
                        if conversation_card_ui(ui, interaction, dark).clicked() {
                            commands.push(Command::EditConversation(interaction.id));
                        }
                    }
                    None => {
                        ui.add_sized([ui.available_width(), CARD_HEIGHT], egui::Label::new("…"));
                    }
                }
            }
        });
}

fn contact_header_ui(ui: &mut egui::Ui, selected: &SelectedContact, commands: &mut Vec<Command>) {
    let contact = &selected.contact;
    let draft = &contact.draft;
    ui.add_space(4.0);
    ui.horizontal(|ui| {
        ui.heading(egui::RichText::new(&draft.display_name).strong());
        ui.label(egui::RichText::new(format!("{} {}", draft.stage.icon(), draft.stage.label())).weak());
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if ui.button("🗑 Delete").on_hover_text("Move this contact to the trash (undo with Ctrl+Z)").clicked() {
                commands.push(Command::TrashContact(contact.id));
            }
            if ui.button("✏ Edit").on_hover_text("Edit this contact").clicked() {
                commands.push(Command::EditContact(contact.id));
            }
            if ui
                .button("📝 Log conversation")
                .on_hover_text(format!("Record a visit, call, meal… ({})", ui.ctx().format_shortcut(&super::SHORTCUT_LOG)))
                .clicked()
            {
                commands.push(Command::LogConversation(contact.id));
            }
        });
    });
    let role = match (draft.title.is_empty(), draft.organization.is_empty()) {
        (false, false) => format!("{} at {}", draft.title, draft.organization),
        (false, true) => draft.title.clone(),
        (true, false) => draft.organization.clone(),
        (true, true) => String::new(),
    };
    ui.horizontal_wrapped(|ui| {
        if !role.is_empty() {
            ui.label(role);
        }
        if draft.is_decision_maker {
            ui.label(egui::RichText::new("★ Decision maker").strong().color(ui.visuals().warn_fg_color));
        }
        for tag in &draft.tags {
            ui.label(egui::RichText::new(format!("#{tag}")).small().weak());
        }
    });
    let mut facts: Vec<(&str, String)> = Vec::new();
    if let Some(email) = draft.emails.first() {
        facts.push(("✉", email.address.clone()));
    }
    if let Some(phone) = draft.phones.first() {
        facts.push(("📞", phone.number.clone()));
    }
    if let Some(birthday) = draft.birthday {
        let when = match birthday.year {
            Some(year) => format!("{} {}", month_day(birthday.month, birthday.day), year),
            None => month_day(birthday.month, birthday.day),
        };
        facts.push(("🎂", when));
    }
    if !draft.family.is_empty() {
        facts.push(("👪", draft.family.clone()));
    }
    if !draft.interests.is_empty() {
        facts.push(("⭐", draft.interests.clone()));
    }
    if !draft.how_we_met.is_empty() {
        facts.push(("📍", format!("Met: {}", draft.how_we_met)));
    }
    if !facts.is_empty() {
        ui.horizontal_wrapped(|ui| {
            for (icon, text) in facts {
                ui.label(format!("{icon} {text}"));
                ui.add_space(8.0);
            }
        });
    }
}

fn month_day(month: u32, day: u32) -> String {
    chrono::NaiveDate::from_ymd_opt(2000, month, day)
        .map(|d| d.format("%-d %B").to_string())
        .unwrap_or_default()
}

/// One conversation as a fixed-height card; clicking it opens it for editing.
fn conversation_card_ui(ui: &mut egui::Ui, interaction: &Interaction, dark: bool) -> egui::Response {
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
                ui.label(egui::RichText::new(d.channel.label()).weak());
                ui.label(egui::RichText::new(d.purpose.label()).color(color).strong());
                if d.outcome != Outcome::Held {
                    ui.label(
                        egui::RichText::new(format!("{} {}", d.outcome.icon(), d.outcome.label()))
                            .color(ui.visuals().warn_fg_color),
                    );
                }
                if let Some(minutes) = d.duration_minutes {
                    ui.label(egui::RichText::new(format!("{minutes} min")).weak());
                }
                if interaction.participant_names.len() > 1 {
                    ui.label(egui::RichText::new(format!("with {}", interaction.participant_names.join(", "))).weak());
                }
            });
            let summary = if d.summary.is_empty() { "(no summary)" } else { d.summary.as_str() };
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
    response.on_hover_text("Click to open, edit or delete this conversation")
}
