//! The dashboard: who needs me and why, birthdays and life events this week, what is due,
//! recent conversations, and two charts (touches per week by purpose, the channel mix over
//! the last year). Every name opens its contact. It draws cached values only.

use super::history_panel::purpose_color;
use super::widgets::{health_color, health_tooltip_ui};
use crate::model::ContactFilter;
use crate::view::{CHART_WEEKS, Command, DashboardData, MainView, ViewState};

pub fn dashboard_panel_ui(ui: &mut egui::Ui, view: &mut ViewState, commands: &mut Vec<Command>) {
    let data = &view.dashboard;
    ui.add_space(4.0);
    let Some(now) = data.now else {
        ui.add_space(8.0);
        // No spinner: the lists arrive within a moment and a spinner would keep repainting.
        ui.label("Working out who needs you…");
        if let Some((done, total)) = data.health_progress {
            ui.label(
                egui::RichText::new(format!("Checked {done} of {total} relationships")).weak(),
            );
        }
        return;
    };
    ui.horizontal_wrapped(|ui| {
        ui.heading(format!("{} — {}", greeting(now), now.format("%A %-d %B")));
        if let Some((done, total)) = data.health_progress {
            let fraction = if total == 0 {
                0.0
            } else {
                done as f32 / total as f32
            };
            // Wide enough for its text (it was clipped at 160 px on a 100k-contact file); the
            // exact counts are in the tooltip.
            ui.add(
                egui::ProgressBar::new(fraction)
                    .desired_width(230.0)
                    .text(format!(
                        "Checking relationships {}%",
                        (fraction * 100.0).round() as u32
                    )),
            )
            .on_hover_text(format!("{done} of {total} contacts checked"));
        }
    });
    let mut see_all = false;
    let data = &view.dashboard;
    // The cards scroll with the lists: in a short window (768 px at 150 %) two rows of cards
    // held fixed above them left the lists a third of the height.
    egui::ScrollArea::vertical()
        .id_salt("dashboard_scroll")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            see_all |= summary_cards_ui(ui, view, commands);
            ui.separator();
            let wide = ui.available_width() > 520.0;
            if wide {
                ui.columns(2, |columns| {
                    // `vertical` so wrapped text is left-aligned, not justified.
                    see_all |= columns[0]
                        .vertical(|ui| attention_ui(ui, data, commands))
                        .inner;
                    columns[1].vertical(|ui| {
                        this_week_ui(ui, data, commands);
                        recent_ui(ui, data, commands);
                    });
                });
            } else {
                see_all |= attention_ui(ui, data, commands);
                this_week_ui(ui, data, commands);
                recent_ui(ui, data, commands);
            }
            ui.add_space(8.0);
            ui.separator();
            weekly_chart_ui(ui, data);
            ui.add_space(8.0);
            channel_chart_ui(ui, data);
        });
    if see_all {
        show_attention_list(view, commands);
    }
}

fn greeting(now: chrono::NaiveDateTime) -> &'static str {
    use chrono::Timelike;
    match now.hour() {
        5..=11 => "Good morning",
        12..=17 => "Good afternoon",
        _ => "Good evening",
    }
}

/// Where a summary card leads when clicked.
#[derive(Clone, Copy)]
enum CardTarget {
    AttentionList,
    Today,
    /// The detail is on the dashboard itself.
    Here,
}

/// The narrowest a summary card gets before the cards wrap into another row.
const CARD_MIN_WIDTH: f32 = 140.0;
/// The widest a card gets: on a wide window four cards do not stretch across it.
const CARD_MAX_WIDTH: f32 = 210.0;

/// Four counts at a glance; each opens where the detail is. The cards wrap as whole cards
/// into rows (a card squeezed into what was left of a row wrapped its label letter by letter,
/// and that tall card left a gap under the others); a label too long for its card ends in "…"
/// and shows in full on hover.
fn summary_cards_ui(ui: &mut egui::Ui, view: &ViewState, commands: &mut Vec<Command>) -> bool {
    let data = &view.dashboard;
    let lists = &view.today.lists;
    let warn = ui.visuals().warn_fg_color;
    let error = ui.visuals().error_fg_color;
    let normal = ui.visuals().strong_text_color();
    let pick = |alarming: bool, color| if alarming { color } else { normal };
    let cards = [
        (
            "Need attention",
            data.attention_total,
            pick(data.attention_total > 0, warn),
            "Everyone whose relationship needs care, weakest first",
            CardTarget::AttentionList,
        ),
        (
            "Overdue promises",
            lists.overdue.len(),
            pick(!lists.overdue.is_empty(), error),
            "Open 📅 Today",
            CardTarget::Today,
        ),
        (
            "Due today",
            lists.today.len(),
            normal,
            "Open 📅 Today",
            CardTarget::Today,
        ),
        (
            "Birthdays this week",
            data.birthdays.len(),
            normal,
            "Listed below",
            CardTarget::Here,
        ),
    ];
    let spacing = ui.spacing().item_spacing.x;
    let available = ui.available_width();
    let fit = (((available + spacing) / (CARD_MIN_WIDTH + spacing)).floor() as usize)
        .clamp(1, cards.len());
    // Rows as even as they can be: two and two rather than three and one.
    let per_row = cards.len().div_ceil(cards.len().div_ceil(fit));
    let width =
        ((available - spacing * (per_row as f32 - 1.0)) / per_row as f32).min(CARD_MAX_WIDTH);
    let mut attention_clicked = false;
    for row in cards.chunks(per_row) {
        ui.horizontal(|ui| {
            for &(label, count, color, hint, target) in row {
                if card_ui(ui, width, label, count, color)
                    .on_hover_text(hint)
                    .clicked()
                {
                    match target {
                        CardTarget::AttentionList => attention_clicked = true,
                        CardTarget::Today => commands.push(Command::ShowView(MainView::Today)),
                        CardTarget::Here => {}
                    }
                }
            }
        });
    }
    attention_clicked
}

/// One summary card `width` wide: the count, and the label on one line.
fn card_ui(
    ui: &mut egui::Ui,
    width: f32,
    label: &str,
    count: usize,
    color: egui::Color32,
) -> egui::Response {
    let margin = egui::Margin::symmetric(12, 6);
    let inner_width = (width - f32::from(margin.left + margin.right) - 2.0).max(20.0);
    let frame = egui::Frame::group(ui.style())
        .inner_margin(margin)
        .show(ui, |ui| {
            ui.set_width(inner_width);
            ui.label(
                egui::RichText::new(count.to_string())
                    .size(22.0)
                    .strong()
                    .color(color),
            );
            ui.add(egui::Label::new(egui::RichText::new(label).small()).truncate());
        });
    let response = frame.response.interact(egui::Sense::click());
    response.widget_info(|| {
        egui::WidgetInfo::labeled(egui::Role::Button, true, format!("{count} {label}"))
    });
    response
}

/// Shows the people on the attention list in the contact list, weakest first. The search text
/// is cleared: a name typed earlier narrowed "all 176" down to "1 match".
fn show_attention_list(view: &mut ViewState, commands: &mut Vec<Command>) {
    view.search.clear();
    commands.push(Command::SetContactFilter(ContactFilter {
        needs_attention: true,
        sort_by_health: true,
        ..ContactFilter::default()
    }));
}

fn section_title(ui: &mut egui::Ui, text: &str) {
    ui.add_space(6.0);
    ui.label(egui::RichText::new(text).strong().size(16.0));
}

/// The attention list; returns true when "See all … in the contact list" was clicked.
fn attention_ui(ui: &mut egui::Ui, data: &DashboardData, commands: &mut Vec<Command>) -> bool {
    section_title(ui, &format!("⚠ Needs attention ({})", data.attention_total));
    if data.attention.is_empty() {
        ui.label(if data.health_progress.is_some() {
            "Checking every relationship…"
        } else {
            "Nobody needs chasing: no overdue promises, nobody past their cadence, no sales-only streaks."
        });
        return false;
    }
    for item in &data.attention {
        let color = health_color(ui, item.level);
        ui.horizontal(|ui| {
            let badge = ui.add(
                egui::Label::new(
                    egui::RichText::new(format!("♥ {}", item.score))
                        .strong()
                        .color(color),
                )
                .sense(egui::Sense::hover()),
            );
            let reasons = item.reasons.clone();
            badge.on_hover_ui(|ui| health_tooltip_ui(ui, item.score, item.level, &reasons));
            if ui
                .link(egui::RichText::new(&item.name).strong())
                .on_hover_text("Open this contact")
                .clicked()
            {
                commands.push(Command::OpenContact(item.contact_id));
            }
            if !item.organization.is_empty() {
                // Cut to the column: a long name ran into the column beside it.
                ui.add(egui::Label::new(egui::RichText::new(&item.organization).weak()).truncate());
            }
        });
        if let Some(first) = item.reasons.first() {
            ui.indent(("attention_reason", item.contact_id.0), |ui| {
                ui.horizontal_wrapped(|ui| {
                    ui.label(egui::RichText::new(first).small());
                    if item.reasons.len() > 1 {
                        let more = ui.label(
                            egui::RichText::new(format!("+{}\u{a0}more", item.reasons.len() - 1))
                                .small()
                                .weak(),
                        );
                        let reasons = item.reasons.clone();
                        more.on_hover_ui(|ui| {
                            health_tooltip_ui(ui, item.score, item.level, &reasons)
                        });
                    }
                });
            });
        }
    }
    data.attention_total > data.attention.len()
        && ui
            .link(format!(
                "See all {} in the contact list, weakest first",
                data.attention_total
            ))
            .clicked()
}

fn this_week_ui(ui: &mut egui::Ui, data: &DashboardData, commands: &mut Vec<Command>) {
    section_title(ui, "🎂 Birthdays and life events this week");
    if data.birthdays.is_empty() && data.life_events.is_empty() {
        ui.label("No birthdays in the next 7 days and no life events around now. Add them on a contact so you can congratulate in time.");
        return;
    }
    let today = data.now.map(|n| n.date());
    const SHOWN: usize = 10;
    for birthday in data.birthdays.iter().take(SHOWN) {
        ui.horizontal(|ui| {
            let when = match today {
                Some(t) if t == birthday.on => "today".to_owned(),
                Some(t) if t.succ_opt() == Some(birthday.on) => "tomorrow".to_owned(),
                _ => birthday.on.format("%A %-d %b").to_string(),
            };
            ui.label("🎂");
            if ui.link(&birthday.name).clicked() {
                commands.push(Command::OpenContact(birthday.contact_id));
            }
            let age = birthday
                .birthday
                .year
                .map(|y| {
                    use chrono::Datelike;
                    format!(" (turns {})", birthday.on.year() - y)
                })
                .unwrap_or_default();
            ui.label(egui::RichText::new(format!("{when}{age}")).weak());
        });
    }
    if data.birthdays.len() > SHOWN {
        ui.label(
            egui::RichText::new(format!(
                "… and {} more birthdays this week",
                data.birthdays.len() - SHOWN
            ))
            .weak(),
        );
    }
    for event in data.life_events.iter().take(SHOWN) {
        ui.horizontal(|ui| {
            ui.label("🌱");
            if ui.link(&event.name).clicked() {
                commands.push(Command::OpenContact(event.contact_id));
            }
            let mut text = format!("{} · {}", event.kind, event.occurred_on.format("%-d %b"));
            if !event.description.is_empty() {
                text.push_str(" — ");
                text.push_str(&event.description);
            }
            ui.label(egui::RichText::new(text).weak());
        });
    }
}

fn recent_ui(ui: &mut egui::Ui, data: &DashboardData, commands: &mut Vec<Command>) {
    section_title(ui, "💬 Recent conversations");
    if data.recent.is_empty() {
        ui.label("No conversations yet. Select a contact and press 📝 Log conversation (Ctrl+L).");
        return;
    }
    let dark = ui.visuals().dark_mode;
    for talk in &data.recent {
        ui.horizontal(|ui| {
            ui.label(talk.channel.icon())
                .on_hover_text(talk.channel.label());
            ui.label(
                egui::RichText::new(talk.purpose.label())
                    .small()
                    .color(purpose_color(talk.purpose, dark)),
            );
            if ui.link(&talk.contact_name).clicked() {
                commands.push(Command::OpenContact(talk.contact_id));
            }
            ui.label(
                egui::RichText::new(talk.at.format("%-d %b %H:%M").to_string())
                    .weak()
                    .small(),
            );
        });
        if !talk.summary.trim().is_empty() {
            ui.indent(("recent_summary", talk.id.0), |ui| {
                let mut summary = talk.summary.trim().replace('\n', " ");
                if summary.chars().count() > 90 {
                    summary = summary.chars().take(89).collect::<String>() + "…";
                }
                ui.label(egui::RichText::new(summary).small());
            });
        }
    }
}

fn weekly_chart_ui(ui: &mut egui::Ui, data: &DashboardData) {
    let weekly = &data.weekly;
    let total: u32 = weekly
        .sales
        .iter()
        .chain(&weekly.service)
        .chain(&weekly.relationship)
        .sum();
    let sales_total: u32 = weekly.sales.iter().sum();
    section_title(ui, &format!("Touches per week, last {CHART_WEEKS} weeks"));
    let share = match (100 * sales_total + total / 2).checked_div(total) {
        Some(percent) => format!("{total} conversations; {percent}% of them about sales."),
        None => "No conversations in this period yet.".to_owned(),
    };
    ui.label(egui::RichText::new(share).small().weak());
    let labels: Vec<String> = weekly
        .weeks
        .iter()
        .map(|w| w.format("%-d %b").to_string())
        .collect();
    super::widgets::purpose_bars_ui(
        ui,
        "dashboard_weekly",
        labels,
        [&weekly.sales, &weekly.service, &weekly.relationship],
        160.0,
    );
}

fn channel_chart_ui(ui: &mut egui::Ui, data: &DashboardData) {
    use egui_plot::{Bar, BarChart, Plot};
    section_title(ui, "Channel mix, last 12 months");
    let total: u32 = data.channels.iter().map(|(_, n)| n).sum();
    if total == 0 {
        ui.label(
            egui::RichText::new("No conversations in the last 12 months.")
                .small()
                .weak(),
        );
        return;
    }
    let personal: u32 = data
        .channels
        .iter()
        .filter(|(c, _)| c.is_personal())
        .map(|(_, n)| n)
        .sum();
    ui.label(
        egui::RichText::new(format!(
            "{}% in person, by phone or video — the rest e-mail, text, letters and notes.",
            (100 * personal + total / 2) / total
        ))
        .small()
        .weak(),
    );
    let names: Vec<String> = data
        .channels
        .iter()
        .map(|(c, _)| format!("{} {}", c.icon(), c.label()))
        .collect();
    let accent = ui.visuals().selection.bg_fill;
    let weak = ui.visuals().weak_text_color();
    let bars: Vec<Bar> = data
        .channels
        .iter()
        .enumerate()
        .map(|(i, (channel, n))| {
            Bar::new(i as f64, f64::from(*n))
                .width(0.7)
                .fill(if channel.is_personal() { accent } else { weak })
                .name(channel.label())
        })
        .collect();
    let count = names.len();
    Plot::new("dashboard_channels")
        .height(30.0 + 24.0 * count as f32)
        .allow_zoom(false)
        .allow_drag(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .allow_double_click_reset(false)
        .include_x(0.0)
        .y_axis_min_width(120.0)
        .y_axis_formatter(move |mark, _| {
            let i = mark.value.round();
            if (mark.value - i).abs() < 1e-6 && i >= 0.0 {
                names.get(i as usize).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        })
        .show(ui, |plot| {
            plot.bar_chart(BarChart::new("Conversations", bars).horizontal());
        });
}
