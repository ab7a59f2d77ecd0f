//! The conversation form: log or edit a visit, call, meal, video call, e-mail or text, with the
//! four listening notes.

use super::widgets::{FormAnswer, FormLook, choice_row, form_modal_ui, notes_row, text_row};
use crate::model::{Channel, Initiator, InteractionId, Outcome, Purpose};
use crate::view::conversation_form::ConversationForm;
use crate::view::{Command, ViewState};

pub fn conversation_form_ui(
    ctx: &egui::Context,
    view: &mut ViewState,
    commands: &mut Vec<Command>,
) {
    let team = view.database.is_team();
    let Some(form) = &mut view.conversation_form else {
        return;
    };
    let title = if form.id.is_some() {
        "Conversation"
    } else {
        "Log a conversation"
    };
    let look = FormLook {
        id: "conversation_form",
        title,
        max_width: 600.0,
        save_hint: "Save this conversation (Enter in a one-line box, or Ctrl+Enter)",
    };
    let dirty = form.is_dirty();
    let mut session = form.session.clone();
    let error = form.error.clone();
    let (id, mut confirm_delete) = (form.id, form.confirm_delete);
    let mut delete = Vec::new();
    let answer = form_modal_ui(
        ctx,
        look,
        &mut session,
        dirty,
        error.as_deref(),
        |ui, focus_first| fields_ui(ui, form, focus_first, team, commands),
        |ui, asking| {
            if let Some(id) = id
                && !asking
            {
                delete_ui(ui, id, &mut confirm_delete, &mut delete);
            }
        },
    );
    commands.append(&mut delete);
    form.session = session;
    form.confirm_delete = confirm_delete;
    match answer {
        FormAnswer::Save => match form.to_draft() {
            Ok(draft) => commands.push(Command::SaveConversation { id: form.id, draft }),
            Err(sentence) => form.error = Some(sentence),
        },
        FormAnswer::Close => view.conversation_form = None,
        FormAnswer::Nothing => {}
    }
}

/// The day: typed (the keyboard's way in; a calendar popup took the keys and lost what was
/// typed, and Space pressed its buttons), or picked with the calendar button beside it.
fn when_day_ui(ui: &mut egui::Ui, when: egui::Id, form: &mut ConversationForm) {
    use crate::view::conversation_form::{day_text, typed_day};
    let day = ui
        .add(
            egui::TextEdit::singleline(&mut form.date_text)
                .desired_width(92.0)
                .hint_text("2026-03-14"),
        )
        .labelled_by(when);
    super::widgets::note_enter(ui, &day);
    if let Some(date) = typed_day(&form.date_text) {
        form.date = date;
    }
    let picked = ui
        .add(
            egui_extras::DatePickerButton::new(&mut form.date)
                .id_salt("conversation_date")
                .combo_boxes(false)
                .format(""),
        )
        .on_hover_text("Pick the day in a calendar");
    if picked.changed()
        && let Some(text) = day_text(form.date)
    {
        form.date_text = text;
    }
}

/// Delete, at the right end of the buttons, asking once before it deletes.
fn delete_ui(
    ui: &mut egui::Ui,
    id: InteractionId,
    confirm_delete: &mut bool,
    commands: &mut Vec<Command>,
) {
    ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
        if *confirm_delete {
            if ui.button("Yes, delete it").clicked() {
                commands.push(Command::DeleteConversation(id));
            }
            ui.label("Delete this conversation?");
        } else if ui
            .button("🗑 Delete")
            .on_hover_text("Delete this conversation (undo with Ctrl+Z)")
            .clicked()
        {
            *confirm_delete = true;
        }
    });
}

/// The form's fields; `team` adds the choice to keep the conversation to oneself.
fn fields_ui(
    ui: &mut egui::Ui,
    form: &mut ConversationForm,
    focus_first: bool,
    team: bool,
    commands: &mut Vec<Command>,
) {
    egui::Grid::new("conversation_grid")
        .num_columns(2)
        .spacing([12.0, 6.0])
        .show(ui, |ui| {
            let when = ui.label("When");
            ui.horizontal(|ui| {
                when_day_ui(ui, when.id, form);
                let time_label = ui.label("at");
                let time = ui
                    .add(
                        egui::TextEdit::singleline(&mut form.time)
                            .desired_width(56.0)
                            .hint_text("15:30"),
                    )
                    .labelled_by(time_label.id);
                super::widgets::note_enter(ui, &time);
                let minutes_label = ui.label("for");
                let duration = ui
                    .add(
                        egui::TextEdit::singleline(&mut form.duration)
                            .desired_width(40.0)
                            .hint_text("30"),
                    )
                    .labelled_by(minutes_label.id)
                    .on_hover_text("Duration in minutes (optional)");
                super::widgets::note_enter(ui, &duration);
                ui.label("minutes");
            });
            ui.end_row();
            choice_row(
                ui,
                "Channel",
                &mut form.draft.channel,
                Channel::ALL,
                Channel::icon,
            );
            // Summary right after when and how: the keyboard starts here (a new
            // conversation is dated now), and Tab goes on to who, why and the notes.
            let summary = text_row(ui, "Summary", &mut form.draft.summary, "What was it about?");
            if focus_first {
                summary.request_focus();
            }
            choice_row(
                ui,
                "Who reached out",
                &mut form.draft.initiated_by,
                Initiator::ALL,
                Initiator::icon,
            );
            choice_row(
                ui,
                "Purpose",
                &mut form.draft.purpose,
                Purpose::ALL,
                Purpose::icon,
            );
            choice_row(
                ui,
                "Outcome",
                &mut form.draft.outcome,
                Outcome::ALL,
                Outcome::icon,
            );

            ui.label("With");
            ui.vertical(|ui| {
                ui.horizontal_wrapped(|ui| {
                    let mut remove = None;
                    for (index, (_, name)) in form.participants.iter().enumerate() {
                        if ui
                            .button(format!("{name}  ✖"))
                            .on_hover_text(format!("Remove {name}"))
                            .clicked()
                        {
                            remove = Some(index);
                        }
                    }
                    if let Some(index) = remove {
                        form.participants.remove(index);
                    }
                });
                let add_label = ui.label(
                    egui::RichText::new("Add someone who was there")
                        .small()
                        .weak(),
                );
                let search = ui
                    .add(
                        egui::TextEdit::singleline(&mut form.participant_search)
                            .hint_text("Type a name…"),
                    )
                    .labelled_by(add_label.id);
                if search.changed() {
                    commands.push(Command::FindParticipants(form.participant_search.clone()));
                }
                if !form.participant_search.trim().is_empty() {
                    ui.horizontal_wrapped(|ui| {
                        let mut add = None;
                        for (id, name) in &form.candidates {
                            if !form.participants.iter().any(|(p, _)| p == id)
                                && ui.small_button(format!("➕ {name}")).clicked()
                            {
                                add = Some((*id, name.clone()));
                            }
                        }
                        if let Some(person) = add {
                            form.participants.push(person);
                            form.participant_search.clear();
                            form.candidates.clear();
                        }
                    });
                }
            });
            ui.end_row();

            notes_row(
                ui,
                "What they said",
                &mut form.draft.they_said,
                "In their words: worries, plans, news",
            );
            notes_row(
                ui,
                "What they need",
                &mut form.draft.they_need,
                "The need behind the request",
            );
            notes_row(
                ui,
                "What I promised",
                &mut form.draft.i_promised,
                "Only what you will really do, with a day",
            );
            notes_row(ui, "Next step", &mut form.draft.next_step, "");
            if team {
                super::team_live::private_row_ui(ui, &mut form.draft.private, "conversation");
            }
        });
}
