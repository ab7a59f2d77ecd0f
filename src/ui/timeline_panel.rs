//! The right panel: a chart of touches per month (sales, service, relationship) and the
//! relationship timeline, grouped by month with year markers. Rows are virtualized, so a
//! contact with 10,000 entries draws as fast as one with 10.

use super::history_panel::purpose_color;
use crate::insight::TimelineRow;
use crate::model::{FollowUpStatus, TimelineEntry, TimelineKind};
use crate::view::{Command, ViewState};

pub const ROW_HEIGHT: f32 = 22.0;

pub fn timeline_panel_ui(ui: &mut egui::Ui, view: &mut ViewState, commands: &mut Vec<Command>) {
    ui.add_space(4.0);
    ui.heading("Relationship timeline");
    let Some(selected) = &view.selected else {
        ui.add_space(8.0);
        ui.label("Select a contact to see everything that happened between you: conversations, promises, life events.");
        return;
    };
    touches_chart_ui(ui, selected.contact.id.0, &selected.touches);
    ui.separator();
    let dark = ui.visuals().dark_mode;
    let rows = &selected.timeline_rows;
    let entries = &selected.timeline;
    egui::ScrollArea::vertical()
        .id_salt(("timeline", selected.contact.id.0))
        .auto_shrink([false, false])
        .show_rows(ui, ROW_HEIGHT, rows.len(), |ui, range| {
            for row in &rows[range] {
                match *row {
                    TimelineRow::Year(year) => {
                        ui.add_sized(
                            [ui.available_width(), ROW_HEIGHT],
                            egui::Label::new(
                                egui::RichText::new(format!("— {year} —"))
                                    .strong()
                                    .size(15.0),
                            ),
                        );
                    }
                    TimelineRow::Month { year, month } => {
                        let name = chrono::NaiveDate::from_ymd_opt(year, month, 1)
                            .map(|d| d.format("%B %Y").to_string())
                            .unwrap_or_default();
                        ui.allocate_ui(egui::vec2(ui.available_width(), ROW_HEIGHT), |ui| {
                            ui.label(egui::RichText::new(name).weak().strong());
                        });
                    }
                    TimelineRow::Entry(index) => {
                        if let Some(entry) = entries.get(index)
                            && let Some(command) = entry_ui(ui, entry, dark)
                        {
                            commands.push(command);
                        }
                    }
                }
            }
        });
}

fn entry_icon(entry: &TimelineEntry) -> &'static str {
    match &entry.kind {
        TimelineKind::Conversation { channel, .. } => channel.icon(),
        TimelineKind::FollowUpMade { .. } => "📋",
        TimelineKind::FollowUpDue { status, .. } => match status {
            FollowUpStatus::Open => "⏰",
            other => other.icon(),
        },
        TimelineKind::LifeEvent { .. } => "🎉",
        TimelineKind::StageChange { .. } => "📈",
        TimelineKind::Created { .. } => "✨",
    }
}

fn entry_ui(ui: &mut egui::Ui, entry: &TimelineEntry, dark: bool) -> Option<Command> {
    let color = match &entry.kind {
        TimelineKind::Conversation { purpose, .. } => purpose_color(*purpose, dark),
        TimelineKind::FollowUpDue {
            status: FollowUpStatus::Missed,
            ..
        } => ui.visuals().error_fg_color,
        _ => ui.visuals().text_color(),
    };
    // Life events, and follow-ups due on a day without a time, have a day, not a time.
    let when = match entry.kind {
        TimelineKind::LifeEvent { .. } | TimelineKind::FollowUpDue { all_day: true, .. } => {
            entry.at.format("%-d %b")
        }
        _ => entry.at.format("%-d %b %H:%M"),
    };
    let text = format!("{}  {when}  {}", entry_icon(entry), entry.title);
    let response = ui
        .allocate_ui(egui::vec2(ui.available_width(), ROW_HEIGHT), |ui| {
            ui.add(
                egui::Label::new(egui::RichText::new(text).color(color))
                    .truncate()
                    .sense(egui::Sense::click()),
            )
        })
        .inner;
    let response = if entry.detail.is_empty() {
        response
    } else {
        response.on_hover_text(&entry.detail)
    };
    match &entry.kind {
        TimelineKind::Conversation { id, .. } if response.clicked() => {
            Some(Command::EditConversation(*id))
        }
        _ => None,
    }
}

fn touches_chart_ui(ui: &mut egui::Ui, contact: i64, touches: &crate::insight::MonthlyTouches) {
    let total: u32 = touches
        .sales
        .iter()
        .chain(&touches.service)
        .chain(&touches.relationship)
        .sum();
    ui.label(
        egui::RichText::new(format!("Touches per month, last 12 months ({total})"))
            .small()
            .weak(),
    );
    let labels: Vec<String> = touches
        .months
        .iter()
        .map(|m| m.format("%b").to_string())
        .collect();
    super::widgets::purpose_bars_ui(
        ui,
        ("touches", contact),
        labels,
        [&touches.sales, &touches.service, &touches.relationship],
        120.0,
    );
}
