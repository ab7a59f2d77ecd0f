//! "Who needs me today": overdue follow-ups (impossible to miss), what is due today in time
//! order, the next seven days, people going cold, and the promise ledger. Ticking off is one
//! click; every name opens its contact.

use crate::model::{DueFollowUp, Initiator, PromiseCounts};
use crate::view::{Command, TodayData, ViewState};

pub fn today_panel_ui(ui: &mut egui::Ui, view: &mut ViewState, commands: &mut Vec<Command>) {
    let today = &view.today;
    let Some(now) = today.now else { return };
    ui.add_space(4.0);
    ui.heading(format!("Today — {}", now.format("%A %-d %B")));
    ledger_ui(ui, &today.ledger, "All promises");
    ui.separator();
    egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
        if today.lists.is_empty() && today.cold.is_empty() && today.upcoming.is_empty() {
            ui.add_space(8.0);
            ui.label("Nothing is due and nobody is going cold. When you promise something in a conversation, it shows up here on its day.");
            // No item to take the keyboard: a pending move must not wait for the next one.
            ui.data_mut(|d| d.remove_temp::<usize>(move_to_id()));
            return;
        }
        // Items are numbered across the sections, so ↑ ↓ go from one "✔ Done" to the next.
        let mut index = 0;
        section_ui(ui, today, Section::Overdue, &mut index, commands);
        section_ui(ui, today, Section::Today, &mut index, commands);
        section_ui(ui, today, Section::NextDays, &mut index, commands);
        super::upcoming_meetings::upcoming_meetings_ui(ui, &today.upcoming, now, commands);
        // ↓ on the last item: nowhere to go, the focus stays.
        if ui.data(|d| d.get_temp::<usize>(move_to_id())).is_some_and(|t| t >= index) {
            ui.data_mut(|d| d.remove_temp::<usize>(move_to_id()));
        }
        if !today.cold.is_empty() {
            ui.add_space(8.0);
            ui.label(egui::RichText::new(format!("❄ Going cold ({})", today.cold.len())).strong().size(16.0));
            ui.label(egui::RichText::new("Past the keep-in-touch cadence you set. Any conversation held resets it; one ahead does not yet.").small().weak());
            // Long lists are drawn a screen at a time.
            let shown = today.cold.len().min(200);
            for cold in &today.cold[..shown] {
                ui.horizontal(|ui| {
                    if ui.link(&cold.display_name).clicked() {
                        commands.push(Command::OpenContact(cold.id));
                    }
                    let last = match cold.last_touch {
                        Some(at) => format!("last talked {}", at.format("%-d %b %Y")),
                        None => "never talked yet".to_owned(),
                    };
                    let text = format!(
                        "every {} days · {last} · {} days over",
                        cold.cadence_days, cold.days_over
                    );
                    // Ends in "…" (whole on hover) in a narrow panel instead of being cut.
                    ui.add(egui::Label::new(egui::RichText::new(text).weak()).truncate());
                });
            }
            if today.cold.len() > shown {
                ui.label(egui::RichText::new(format!("… and {} more", today.cold.len() - shown)).weak());
            }
        }
    });
    // Nothing to focus (no follow-ups): the request does not wait for the next one to appear.
    ui.data_mut(|d| d.remove_temp::<bool>(focus_first_id()));
}

fn focus_first_id() -> egui::Id {
    egui::Id::unique("today_focus_first")
}

/// Asks Today to give the keyboard to its first "✔ Done" when it is next drawn (Ctrl+T), so
/// the first follow-up is one key away instead of sixty Tabs; ↑ ↓ then move between items.
pub fn focus_first_item(ctx: &egui::Context) {
    ctx.data_mut(|d| d.insert_temp(focus_first_id(), true));
}

fn move_to_id() -> egui::Id {
    egui::Id::unique("today_move_to")
}

/// On a focused "✔ Done": ↓ and ↑ go to the next and previous item's "✔ Done" (egui's own
/// arrow navigation went to the contact's name under a wrapped item, and Space opened it).
fn done_keys_ui(ui: &mut egui::Ui, done: &egui::Response, index: usize) {
    if !done.has_focus() {
        return;
    }
    let (down, up) = ui.input_mut(|i| {
        (
            i.consume_key(egui::Modifiers::NONE, egui::Key::ArrowDown),
            i.consume_key(egui::Modifiers::NONE, egui::Key::ArrowUp),
        )
    });
    let target = if down {
        Some(index + 1)
    } else if up {
        index.checked_sub(1)
    } else {
        None
    };
    if let Some(target) = target {
        ui.memory_mut(|m| m.move_focus(egui::FocusDirection::None));
        ui.data_mut(|d| d.insert_temp(move_to_id(), target));
    }
}

#[derive(Clone, Copy)]
enum Section {
    Overdue,
    Today,
    NextDays,
}

fn section_ui(
    ui: &mut egui::Ui,
    today: &TodayData,
    section: Section,
    index: &mut usize,
    commands: &mut Vec<Command>,
) {
    let (title, items, color) = match section {
        Section::Overdue => (
            "⚠ Overdue",
            &today.lists.overdue,
            ui.visuals().error_fg_color,
        ),
        Section::Today => (
            "📅 Due today",
            &today.lists.today,
            ui.visuals().strong_text_color(),
        ),
        Section::NextDays => (
            "📆 Next 7 days",
            &today.lists.next_days,
            ui.visuals().text_color(),
        ),
    };
    if items.is_empty() {
        if matches!(section, Section::Today) {
            ui.label(egui::RichText::new("📅 Nothing due today.").weak());
        }
        return;
    }
    ui.add_space(8.0);
    ui.label(
        egui::RichText::new(format!("{title} ({})", items.len()))
            .strong()
            .size(16.0)
            .color(color),
    );
    let frame = match section {
        Section::Overdue => egui::Frame::group(ui.style())
            .stroke(egui::Stroke::new(1.5, ui.visuals().error_fg_color))
            .fill(ui.visuals().error_fg_color.gamma_multiply(0.08)),
        _ => egui::Frame::group(ui.style()),
    };
    frame.show(ui, |ui| {
        ui.set_width(ui.available_width());
        for item in items.iter().take(300) {
            item_ui(
                ui,
                item,
                *index,
                today,
                matches!(section, Section::Overdue),
                commands,
            );
            *index += 1;
        }
    });
}

fn item_ui(
    ui: &mut egui::Ui,
    item: &DueFollowUp,
    index: usize,
    today: &TodayData,
    overdue: bool,
    commands: &mut Vec<Command>,
) {
    let f = &item.follow_up;
    ui.horizontal_wrapped(|ui| {
        let done = ui
            .button("✔ Done")
            .on_hover_text(format!("Tick off \"{}\" now", f.draft.text));
        let first = index == 0
            && ui
                .data_mut(|d| d.remove_temp::<bool>(focus_first_id()))
                .is_some();
        let moved_here = ui.data(|d| d.get_temp::<usize>(move_to_id())) == Some(index);
        if first || moved_here {
            ui.data_mut(|d| d.remove_temp::<usize>(move_to_id()));
            done.request_focus();
            done.scroll_to_me(None);
        }
        done_keys_ui(ui, &done, index);
        if done.clicked() {
            if done.has_focus() {
                // Ticked off by the keyboard: the next item slides into this place, and the
                // keyboard stays on its "✔ Done" instead of being lost with this one.
                ui.data_mut(|d| d.insert_temp(move_to_id(), index));
            }
            commands.push(Command::CompleteFollowUp {
                id: f.id,
                seen: Some(f.version),
            });
        }
        if ui
            .small_button("+1 day")
            .on_hover_text("Snooze to tomorrow; the old date is kept")
            .clicked()
        {
            commands.push(Command::SnoozeFollowUp {
                id: f.id,
                days: 1,
                seen: Some(f.version),
            });
        }
        if ui
            .small_button("Missed")
            .on_hover_text("I did not keep this promise")
            .clicked()
        {
            commands.push(Command::MissFollowUp {
                id: f.id,
                seen: Some(f.version),
            });
        }
        let when = match f.draft.due_time {
            Some(t) if Some(f.draft.due_date) == today.now.map(|n| n.date()) => {
                t.format("%H:%M").to_string()
            }
            Some(t) => format!(
                "{} {}",
                f.draft.due_date.format("%a %-d %b"),
                t.format("%H:%M")
            ),
            None => f.draft.due_date.format("%a %-d %b").to_string(),
        };
        ui.label(egui::RichText::new(when).strong());
        let who = match f.draft.promised_by {
            Initiator::Me => "",
            Initiator::Them => "they promised: ",
        };
        ui.label(
            egui::RichText::new(format!("{who}{}", f.draft.text))
                .color(ui.visuals().strong_text_color()),
        );
        ui.label("—");
        if ui
            .link(&item.contact_name)
            .on_hover_text("Open this contact")
            .clicked()
        {
            commands.push(Command::OpenContact(f.draft.contact_id));
        }
        if let Some(repeat) = &f.draft.repeat {
            ui.label(egui::RichText::new(format!("· {}", repeat.describe())).weak())
                .on_hover_text("Ticking it off schedules the next one");
        }
        if overdue && let Some(now) = today.now {
            let late = now.signed_duration_since(f.draft.due_moment());
            let text = if late.num_days() == 1 {
                "1 day late".to_owned()
            } else if late.num_days() > 1 {
                format!("{} days late", late.num_days())
            } else if late.num_hours() >= 1 {
                format!("{} h late", late.num_hours())
            } else {
                format!("{} min late", late.num_minutes().max(1))
            };
            ui.label(egui::RichText::new(text).color(ui.visuals().error_fg_color));
        }
    });
}

/// "Promises: 12 kept · 2 late · 1 broken · 3 open (1 overdue) · they: 4 kept, 1 broken · 2 no-shows".
pub fn ledger_ui(ui: &mut egui::Ui, ledger: &PromiseCounts, title: &str) {
    ui.horizontal_wrapped(|ui| {
        ui.label(egui::RichText::new(format!("{title}:")).weak());
        ui.label(format!("✔ {} kept on time", ledger.mine_kept));
        ui.label(format!("⌛ {} late", ledger.mine_late));
        let broken = egui::RichText::new(format!("❌ {} broken", ledger.mine_broken));
        ui.label(if ledger.mine_broken > 0 {
            broken.color(ui.visuals().error_fg_color)
        } else {
            broken
        });
        let mut open = format!("☐ {} open", ledger.mine_open);
        if ledger.mine_overdue > 0 {
            open.push_str(&format!(" ({} overdue)", ledger.mine_overdue));
        }
        ui.label(open);
        if ledger.theirs_kept + ledger.theirs_broken + ledger.theirs_open > 0 {
            ui.label(
                egui::RichText::new(format!(
                    "· they kept {}, broke {}, {} open",
                    ledger.theirs_kept, ledger.theirs_broken, ledger.theirs_open
                ))
                .weak(),
            );
        }
        if ledger.no_shows > 0 {
            ui.label(
                egui::RichText::new(format!(
                    "· 🚫 {} no-show{}",
                    ledger.no_shows,
                    if ledger.no_shows == 1 { "" } else { "s" }
                ))
                .color(ui.visuals().warn_fg_color),
            );
        }
    });
}
