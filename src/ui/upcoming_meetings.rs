//! Today's "Upcoming meetings": conversations dated in the next days (logged ahead, or from
//! a calendar file), soonest first: when, how (the channel's icon), who (each name opens the
//! person) and what.

use crate::model::conversation_rows::UpcomingMeeting;
use crate::view::Command;
use chrono::NaiveDateTime;

/// The section, when there are meetings ahead.
pub(super) fn upcoming_meetings_ui(
    ui: &mut egui::Ui,
    meetings: &[UpcomingMeeting],
    now: NaiveDateTime,
    commands: &mut Vec<Command>,
) {
    if meetings.is_empty() {
        return;
    }
    ui.add_space(8.0);
    ui.label(
        egui::RichText::new(format!("\u{1f465} Upcoming meetings ({})", meetings.len()))
            .strong()
            .size(16.0),
    );
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.set_width(ui.available_width());
        for meeting in meetings {
            meeting_ui(ui, meeting, now, commands);
        }
    });
}

fn meeting_ui(
    ui: &mut egui::Ui,
    meeting: &UpcomingMeeting,
    now: NaiveDateTime,
    commands: &mut Vec<Command>,
) {
    ui.horizontal_wrapped(|ui| {
        ui.label(egui::RichText::new(meeting.channel.icon()).size(16.0))
            .on_hover_text(meeting.channel.label());
        let when = if meeting.at.date() == now.date() {
            meeting.at.format("%H:%M").to_string()
        } else {
            meeting.at.format("%a %-d %b %H:%M").to_string()
        };
        ui.label(egui::RichText::new(when).strong());
        if let Some(minutes) = meeting.duration_minutes {
            ui.label(egui::RichText::new(format!("{minutes} min")).weak());
        }
        let title = match meeting.summary.trim() {
            "" => meeting.channel.label(),
            summary => summary,
        };
        ui.label(egui::RichText::new(title).color(ui.visuals().strong_text_color()));
        ui.label("\u{2014}");
        for (index, (id, name)) in meeting.people.iter().enumerate() {
            if index > 0 {
                ui.label(",");
            }
            if ui.link(name).on_hover_text("Open this contact").clicked() {
                commands.push(Command::OpenContact(*id));
            }
        }
    });
}
