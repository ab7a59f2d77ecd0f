//! The top of the centre panel for one person: who they are (name, stage, health and why, role,
//! e-mail, phone as people read it, birthday, family, notes), what can be done (log, follow up,
//! export, edit, delete, add a life event), and "Before you talk".

use crate::model::ContactId;
use crate::view::history::LifeEventForm;
use crate::view::{Command, SelectedContact};
use chrono::NaiveDate;

/// The diameter of the avatar before the name.
const HEADER_AVATAR_SIZE: f32 = 40.0;

/// Who the person is: name, stage and health, the reason they need attention, the actions,
/// role, facts, notes and life events.
pub(super) fn contact_header_ui(
    ui: &mut egui::Ui,
    selected: &SelectedContact,
    commands: &mut Vec<Command>,
    life_event_form: &mut Option<LifeEventForm>,
    photo: Option<&egui::TextureHandle>,
) {
    let contact = &selected.contact;
    let draft = &contact.draft;
    ui.add_space(4.0);
    ui.horizontal_wrapped(|ui| {
        super::avatar::avatar_ui(ui, &draft.display_name, photo, HEADER_AVATAR_SIZE);
        ui.heading(egui::RichText::new(&draft.display_name).strong());
        ui.label(
            egui::RichText::new(format!("{} {}", draft.stage.icon(), draft.stage.label())).weak(),
        );
        if let Some(health) = &selected.health {
            super::widgets::health_badge_ui(ui, health.score, health.level, &health.explanation());
        }
    });
    if let Some(health) = &selected.health
        && health.needs_attention()
        && let Some(first) = health.reasons.iter().find(|r| r.asks_for_action())
    {
        let color = super::widgets::health_color(ui, health.level);
        ui.label(egui::RichText::new(format!("⚠ {}", first.sentence())).color(color));
    }
    actions_ui(ui, contact.id, photo.is_some(), commands);
    role_line_ui(ui, selected, commands);
    facts_ui(ui, selected);
    notes_ui(ui, &draft.personal_notes);
    life_event_ui(ui, contact.id, life_event_form, commands);
}

/// The contact's actions (the photo's among them) on their own row, wrapping when the window is narrow or zoomed.
fn actions_ui(ui: &mut egui::Ui, id: ContactId, has_photo: bool, commands: &mut Vec<Command>) {
    ui.horizontal_wrapped(|ui| {
        if ui
            .button("📝 Log conversation")
            .on_hover_text(format!(
                "Record a visit, call, meal… ({})",
                ui.ctx().format_shortcut(&super::SHORTCUT_LOG)
            ))
            .clicked()
        {
            commands.push(Command::LogConversation(id));
        }
        if ui
            .button("⏰ Follow-up")
            .on_hover_text("Add a promise or task with a due date")
            .clicked()
        {
            commands.push(Command::NewFollowUp(id));
        }
        if ui
            .button("📋 Export timeline")
            .on_hover_text(format!(
                "A report of this relationship to print, mail or keep: PDF, web page, CSV or Markdown ({})",
                ui.ctx().format_shortcut(&super::SHORTCUT_EXPORT_REPORT)
            ))
            .clicked()
        {
            commands.push(Command::OpenExportReport(Some(
                crate::model::ReportScope::Contact(id),
            )));
        }
        if ui
            .button("✏ Edit")
            .on_hover_text("Edit this contact")
            .clicked()
        {
            commands.push(Command::EditContact(id));
        }
        if ui
            .button("🖼 Photo…")
            .on_hover_text("Choose a picture of this person (or drop an image file on the window)")
            .clicked()
        {
            commands.push(Command::PickContactPhoto(id));
        }
        if has_photo
            && ui
                .button("Remove photo")
                .on_hover_text("Show their initials instead (undo with Ctrl+Z)")
                .clicked()
        {
            commands.push(Command::RemoveContactPhoto(id));
        }
        if ui
            .button("🗑 Delete")
            .on_hover_text("Move this contact to the trash (undo with Ctrl+Z)")
            .clicked()
        {
            commands.push(Command::TrashContact(id));
        }
    });
}

/// "Owner at Golden Crust Bakery" (the organization opens everyone there), the decision-maker
/// mark and the tags.
fn role_line_ui(ui: &mut egui::Ui, selected: &SelectedContact, commands: &mut Vec<Command>) {
    let contact = &selected.contact;
    let draft = &contact.draft;
    ui.horizontal_wrapped(|ui| {
        if !draft.title.is_empty() {
            ui.label(if draft.organization.is_empty() {
                draft.title.clone()
            } else {
                format!("{} at", draft.title)
            });
        }
        if let Some(org) = contact.organization_id
            && ui
                .link(&draft.organization)
                .on_hover_text(format!(
                    "Everyone at {} and all your conversations there",
                    draft.organization
                ))
                .clicked()
        {
            commands.push(Command::ShowOrganization(org));
        }
        if draft.is_decision_maker {
            ui.label(
                egui::RichText::new("★ Decision maker")
                    .strong()
                    .color(ui.visuals().warn_fg_color),
            );
        }
        for (tag, rgb) in &selected.tag_colors {
            super::widgets::tag_chip_ui(ui, tag, *rgb);
        }
    });
}

/// E-mail, phone, birthday and family on one wrapping line. The phone reads as people write
/// it ("(905) 555-1234" at home, "+44 20 …" abroad), not as stored; the tooltip lists them all.
fn facts_ui(ui: &mut egui::Ui, selected: &SelectedContact) {
    use crate::import::display::readable_phone;
    let draft = &selected.contact.draft;
    let mut facts: Vec<(&str, String, Option<String>)> = Vec::new();
    if let Some(email) = draft.emails.first() {
        facts.push(("✉", email.address.clone(), None));
    }
    if let Some(phone) = draft.phones.first() {
        let all: Vec<String> = draft
            .phones
            .iter()
            .map(|p| {
                let number = readable_phone(&p.number, &selected.phone_region);
                match p.label.trim() {
                    "" => number,
                    label => format!("{label}: {number}"),
                }
            })
            .collect();
        let shown = readable_phone(&phone.number, &selected.phone_region);
        let text = match draft.phones.len() {
            1 => shown,
            n => format!("{shown} (+{} more)", n - 1),
        };
        facts.push(("📞", text, Some(all.join("\n"))));
    }
    if let Some(birthday) = draft.birthday {
        let when = match birthday.year {
            Some(year) => format!("{} {}", month_day(birthday.month, birthday.day), year),
            None => month_day(birthday.month, birthday.day),
        };
        facts.push(("🎂", when, None));
    }
    if !draft.family.is_empty() {
        facts.push(("👪", draft.family.clone(), None));
    }
    if facts.is_empty() {
        return;
    }
    ui.horizontal_wrapped(|ui| {
        for (icon, text, tooltip) in facts {
            let label = ui.label(format!("{icon}\u{a0}{text}"));
            if let Some(tooltip) = tooltip {
                label.on_hover_text(tooltip);
            }
            ui.add_space(8.0);
        }
    });
}

/// How many lines of the personal notes the header shows; the tooltip has all of them.
const NOTE_LINES_SHOWN: usize = 3;

/// The personal notes (an import's "Notes" column, a vCard's NOTE land here), first lines only
/// so the history stays in view; each line is cut to the width with "…".
fn notes_ui(ui: &mut egui::Ui, notes: &str) {
    let lines: Vec<&str> = notes
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    if lines.is_empty() {
        return;
    }
    let response = ui
        .vertical(|ui| {
            for (index, line) in lines.iter().take(NOTE_LINES_SHOWN).enumerate() {
                let icon = if index == 0 {
                    "📝"
                } else {
                    "\u{a0}\u{a0}\u{a0}"
                };
                ui.add(egui::Label::new(format!("{icon}\u{a0}{line}")).truncate());
            }
            if lines.len() > NOTE_LINES_SHOWN {
                let more = lines.len() - NOTE_LINES_SHOWN;
                ui.label(
                    egui::RichText::new(format!("… {more} more lines"))
                        .small()
                        .weak(),
                );
            }
        })
        .response;
    response.on_hover_text(lines.join("\n"));
}

fn life_event_ui(
    ui: &mut egui::Ui,
    contact: ContactId,
    form: &mut Option<LifeEventForm>,
    commands: &mut Vec<Command>,
) {
    let Some(current) = form else {
        if ui
            .small_button("🎉 Add life event")
            .on_hover_text("A new baby, a move, a promotion: things worth remembering")
            .clicked()
        {
            *form = Some(LifeEventForm {
                contact,
                date: String::new(),
                kind: String::new(),
                description: String::new(),
                error: None,
            });
        }
        return;
    };
    let mut close = false;
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.horizontal_wrapped(|ui| {
            let what = ui.label("Life event");
            ui.add(
                egui::TextEdit::singleline(&mut current.kind)
                    .hint_text("New baby, moved shop…")
                    .desired_width(150.0),
            )
            .labelled_by(what.id);
            let when = ui.label("on");
            ui.add(
                egui::TextEdit::singleline(&mut current.date)
                    .hint_text("2026-03-14")
                    .desired_width(90.0),
            )
            .labelled_by(when.id);
            let note = ui.label("note");
            ui.add(egui::TextEdit::singleline(&mut current.description).desired_width(160.0))
                .labelled_by(note.id);
            if ui.button("Add").clicked() {
                match NaiveDate::parse_from_str(current.date.trim(), "%Y-%m-%d") {
                    Ok(occurred_on) => commands.push(Command::AddLifeEvent {
                        contact: current.contact,
                        occurred_on,
                        kind: current.kind.clone(),
                        description: current.description.clone(),
                    }),
                    Err(_) => {
                        current.error = Some(format!(
                            "\"{}\" is not a date; write it as 2026-03-14.",
                            current.date.trim()
                        ))
                    }
                }
            }
            if ui.button("Cancel").clicked() {
                close = true;
            }
        });
        if let Some(error) = &current.error {
            ui.label(egui::RichText::new(format!("⚠ {error}")).color(ui.visuals().error_fg_color));
        }
    });
    if close || current.contact != contact {
        *form = None;
    }
}

/// "Before you talk": what to have in mind before the next call or visit. Only promises with an
/// open follow-up are coloured as open; one said in a conversation and never scheduled reads as
/// such, so the briefing agrees with the promise ledger underneath.
pub(super) fn briefing_ui(ui: &mut egui::Ui, selected: &SelectedContact) {
    use crate::insight::PromiseState;
    /// How a line of the briefing is coloured.
    #[derive(Clone, Copy)]
    enum Tone {
        Plain,
        /// Waiting on me: an open promise.
        Open,
        Kept,
        Alarm,
    }

    let draft = &selected.contact.draft;
    let briefing = &selected.briefing;
    let mut lines: Vec<(&str, String, Tone)> = Vec::new();
    if !draft.interests.is_empty() {
        lines.push(("Interests", draft.interests.clone(), Tone::Plain));
    }
    if !draft.how_we_met.is_empty() {
        lines.push(("How we met", draft.how_we_met.clone(), Tone::Plain));
    }
    if !briefing.relationships.is_empty() {
        lines.push(("Relationships", briefing.relationships.clone(), Tone::Plain));
    }
    for (at, need) in &briefing.open_needs {
        let text = format!("{need} ({})", at.format("%-d %b %Y"));
        lines.push(("They need", text, Tone::Plain));
    }
    for promise in &briefing.promises {
        let tone = match promise.state {
            PromiseState::Open { .. } => Tone::Open,
            PromiseState::Kept { .. } => Tone::Kept,
            PromiseState::Broken => Tone::Alarm,
            PromiseState::SaidNeverScheduled { .. } | PromiseState::Dropped => Tone::Plain,
        };
        let text = format!("{} ({})", promise.text, promise.status_text());
        lines.push(("I promised", text, tone));
    }
    if let Some(at) = briefing.last_no_show {
        let text = at.format("%a %-d %b %Y, %H:%M").to_string();
        lines.push(("Last no-show", text, Tone::Alarm));
    }
    if lines.is_empty() {
        return;
    }
    egui::Frame::group(ui.style())
        .fill(ui.visuals().faint_bg_color)
        .inner_margin(egui::Margin::symmetric(10, 6))
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.label(egui::RichText::new("Before you talk").strong());
            egui::Grid::new("briefing")
                .num_columns(2)
                .spacing([10.0, 2.0])
                .show(ui, |ui| {
                    for (label, text, tone) in lines {
                        let color = match tone {
                            Tone::Plain => ui.visuals().text_color(),
                            Tone::Open => ui.visuals().warn_fg_color,
                            Tone::Kept => {
                                super::widgets::health_color(ui, crate::model::HealthLevel::Good)
                            }
                            Tone::Alarm => ui.visuals().error_fg_color,
                        };
                        ui.label(egui::RichText::new(label).weak());
                        ui.add(egui::Label::new(egui::RichText::new(text).color(color)).truncate());
                        ui.end_row();
                    }
                });
        });
}

fn month_day(month: u32, day: u32) -> String {
    chrono::NaiveDate::from_ymd_opt(2000, month, day)
        .map(|d| d.format("%-d %B").to_string())
        .unwrap_or_default()
}
