//! The history's cards with threads folded: a thread of messages is drawn as its newest
//! message with "⏵ 3 messages in this thread", which opens the others under it (indented).
//! And the one-key purpose: S, V or R on the conversation under the pointer or with the
//! keyboard focus sets its purpose (one undo step).

use std::ops::Range;

use super::history_panel::{CARD_HEIGHT, conversation_card_ui};
use crate::model::conversation_rows::ThreadInfo;
use crate::model::{Interaction, Purpose};
use crate::view::history::OpenThread;
use crate::view::team_live::TeamLink;
use crate::view::{Command, SelectedContact};

/// The keys that set a conversation's purpose.
pub const PURPOSE_KEYS: [(egui::Key, Purpose); 3] = [
    (egui::Key::S, Purpose::Sales),
    (egui::Key::V, Purpose::Service),
    (egui::Key::R, Purpose::Relationship),
];

/// How far an opened thread's messages are drawn in from the left.
const THREAD_INDENT: f32 = 28.0;

/// Where a drawn card comes from: a row of the history, or an opened thread's message.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Slot {
    Row(usize),
    Message(usize),
}

fn slot(open: Option<&OpenThread>, drawn: usize) -> Slot {
    match open {
        Some(open) if drawn > open.head_index => {
            let after = drawn - open.head_index - 1;
            if after < open.messages.len() {
                Slot::Message(after)
            } else {
                Slot::Row(drawn - open.messages.len())
            }
        }
        _ => Slot::Row(drawn),
    }
}

/// The history rows the drawn cards `drawn` need.
fn rows_for(open: Option<&OpenThread>, drawn: &Range<usize>) -> Range<usize> {
    let row = |d| match slot(open, d) {
        Slot::Row(r) => r,
        Slot::Message(_) => open.map_or(0, |o| o.head_index),
    };
    match drawn.end.checked_sub(1) {
        Some(last) if !drawn.is_empty() => row(drawn.start)..row(last) + 1,
        _ => drawn.clone(),
    }
}

/// The conversation cards on screen (rows and an opened thread's messages), and the purpose
/// keys for the one under the pointer or with the focus when `keys` is true (no dialog is
/// over the window: `behind_dialog::dialog_over`).
pub(super) fn history_cards_ui(
    ui: &mut egui::Ui,
    viewport: egui::Rect,
    selected: &mut SelectedContact,
    team: Option<&TeamLink>,
    keys: bool,
    commands: &mut Vec<Command>,
) {
    let open = selected.open_thread.as_ref();
    let history = &mut selected.history;
    let drawn_total = history.total + open.map_or(0, |o| o.messages.len());
    let dark = ui.visuals().dark_mode;
    let logged_by = |interaction: &Interaction| {
        team.filter(|t| !t.is_me(&interaction.logged_by))
            .map(|_| interaction.logged_by.clone())
            .filter(|by| !by.is_empty())
    };
    let mut target: Option<(Interaction, bool)> = None;
    let mut aim = |response: &egui::Response, interaction: &Interaction| {
        let focused = response.has_focus();
        if focused || (response.hovered() && !target.as_ref().is_some_and(|t| t.1)) {
            target = Some((interaction.clone(), focused));
        }
    };
    super::widgets::rows_in_viewport(ui, viewport, CARD_HEIGHT, drawn_total, |ui, range| {
        let rows = rows_for(open, &range);
        for drawn in range {
            match slot(open, drawn) {
                Slot::Row(index) => match history.row(index, &rows) {
                    Some(row) => {
                        let interaction = &row.interaction;
                        let by = logged_by(interaction);
                        let card = conversation_card_ui(ui, interaction, by.as_deref(), dark);
                        if card.clicked() {
                            commands.push(Command::EditConversation(interaction.id));
                        }
                        aim(&card, interaction);
                        if let Some(thread) = &row.thread {
                            thread_toggle_ui(ui, &card, thread, interaction, index, open, commands);
                        }
                        if open.is_some_and(|o| o.head_index == index && o.head != interaction.id) {
                            // The history changed under the open thread: fold it.
                            commands.push(Command::CloseThread);
                        }
                    }
                    None => {
                        ui.add_sized([ui.available_width(), CARD_HEIGHT], egui::Label::new("…"));
                    }
                },
                Slot::Message(k) => {
                    let Some(message) = open.and_then(|o| o.messages.get(k)) else {
                        continue;
                    };
                    ui.horizontal(|ui| {
                        ui.add_space(THREAD_INDENT);
                        ui.vertical(|ui| {
                            let by = logged_by(message);
                            let card = conversation_card_ui(ui, message, by.as_deref(), dark);
                            if card.clicked() {
                                commands.push(Command::EditConversation(message.id));
                            }
                            aim(&card, message);
                        });
                    });
                }
            }
        }
    });
    if keys && let Some((interaction, _)) = target {
        purpose_keys_ui(ui, &interaction, commands);
    }
}

/// The keys, beside the history's heading (the whole sentence on hover).
pub(super) fn purpose_hint_ui(ui: &mut egui::Ui) {
    ui.label(
        egui::RichText::new("S sales \u{b7} V service \u{b7} R relationship")
            .small()
            .weak(),
    )
    .on_hover_text(
        "Point at a conversation (or Tab to it) and press S for sales, V for service or R for relationship.",
    );
}

/// "⏵ 3 messages in this thread" at the card's lower right: opens or folds the thread.
fn thread_toggle_ui(
    ui: &mut egui::Ui,
    card: &egui::Response,
    thread: &ThreadInfo,
    head: &Interaction,
    index: usize,
    open: Option<&OpenThread>,
    commands: &mut Vec<Command>,
) {
    let is_open = open.is_some_and(|o| o.thread_ref == thread.thread_ref);
    let text = format!(
        "{} {} messages in this thread",
        if is_open { "\u{23f7}" } else { "\u{23f5}" },
        thread.messages
    );
    let size = egui::vec2(210.0, 20.0);
    let rect = egui::Rect::from_min_size(
        card.rect.right_bottom() - egui::vec2(size.x + 12.0, size.y + 8.0),
        size,
    );
    // A child drawn over the card: it takes the click, the card the rest of its area.
    let mut child = ui.new_child(
        egui::UiBuilder::new()
            .max_rect(rect)
            .id_salt(("thread", head.id.0))
            .layout(egui::Layout::right_to_left(egui::Align::Center)),
    );
    let hover = if is_open {
        "Fold the thread's other messages"
    } else {
        "Show the thread's other messages under this one"
    };
    if child.small_button(text).on_hover_text(hover).clicked() {
        commands.push(if is_open {
            Command::CloseThread
        } else {
            Command::OpenThread {
                thread_ref: thread.thread_ref.clone(),
                head: head.id,
                head_index: index,
            }
        });
    }
}

/// S, V or R (without modifiers, while no text box has the keyboard): set the purpose.
fn purpose_keys_ui(ui: &mut egui::Ui, interaction: &Interaction, commands: &mut Vec<Command>) {
    if ui.ctx().egui_wants_keyboard_input() {
        return;
    }
    let pressed = ui.input_mut(|input| {
        PURPOSE_KEYS
            .iter()
            .find(|(key, _)| input.consume_key(egui::Modifiers::NONE, *key))
            .map(|(_, purpose)| *purpose)
    });
    if let Some(purpose) = pressed {
        commands.push(Command::SetConversationPurpose {
            id: interaction.id,
            purpose,
            seen: interaction.version,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::InteractionId;

    fn open(head_index: usize, messages: usize) -> OpenThread {
        OpenThread {
            thread_ref: "mid:a".into(),
            head: InteractionId(1),
            head_index,
            messages: (0..messages)
                .map(|_| Interaction {
                    id: InteractionId(9),
                    draft: crate::model::InteractionDraft::new(
                        chrono::NaiveDateTime::default(),
                        crate::model::ContactId(1),
                    ),
                    participant_names: Vec::new(),
                    created_at: chrono::DateTime::default(),
                    logged_by: String::new(),
                    version: 1,
                })
                .collect(),
        }
    }

    #[test]
    fn an_open_thread_puts_its_messages_under_its_row() {
        let thread = open(2, 2);
        let slots: Vec<Slot> = (0..6).map(|d| slot(Some(&thread), d)).collect();
        assert_eq!(
            slots,
            [
                Slot::Row(0),
                Slot::Row(1),
                Slot::Row(2),
                Slot::Message(0),
                Slot::Message(1),
                Slot::Row(3)
            ]
        );
        assert_eq!(rows_for(Some(&thread), &(3..6)), 2..4);
        assert_eq!(rows_for(None, &(3..6)), 3..6);
        assert_eq!(rows_for(Some(&thread), &(0..0)), 0..0);
    }
}
