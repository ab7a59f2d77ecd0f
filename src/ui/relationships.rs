//! Relationships on a contact's page ("Married to Ana Lima · Referred by Tom Weber": each name
//! opens that person, a right-click removes the relationship) and the "Add relationship…"
//! dialog: a role, then the other person found by typing their name (↑ ↓ choose, Enter
//! records).

use crate::model::ContactId;
use crate::model::relationship::{Related, Role};
use crate::view::Command;
use crate::view::relationships::{AddRelationship, RelationshipsView};

/// How many people of one kind the page names before "+ n more".
const SHOWN_PER_GROUP: usize = 5;
/// From how many relationships on a page their filter box shows.
const FILTER_FROM: usize = 8;

/// The contact's relationships, one wrapping line, and the button that adds one.
pub(super) fn relationships_ui(
    ui: &mut egui::Ui,
    contact: ContactId,
    view: &mut RelationshipsView,
    commands: &mut Vec<Command>,
) {
    let Some(shown) = view.of(contact) else {
        return;
    };
    let many = shown.lines.len() >= FILTER_FROM;
    let mut expand = false;
    ui.horizontal_wrapped(|ui| {
        ui.label(egui::RichText::new("👥").weak())
            .on_hover_text("How they are related to other people you know");
        let limit = if shown.expanded {
            usize::MAX
        } else {
            SHOWN_PER_GROUP
        };
        for (index, group) in shown.groups.iter().enumerate() {
            if index > 0 {
                ui.label(egui::RichText::new("·").weak());
            }
            ui.label(egui::RichText::new(&group.heading).weak());
            for &member in group.members.iter().take(limit) {
                person_link_ui(ui, contact, &shown.lines[member], commands);
            }
            if group.members.len() > limit
                && ui
                    .link(format!("+ {} more", group.members.len() - limit))
                    .clicked()
            {
                expand = true;
            }
        }
        if shown.groups.is_empty() && !shown.filter.trim().is_empty() {
            ui.label(egui::RichText::new("No relationship matches.").weak());
        }
        if ui
            .small_button("Add relationship…")
            .on_hover_text("Married to, parent of, colleague, assistant, referred by, reports to…")
            .clicked()
        {
            commands.push(Command::OpenAddRelationship(contact));
        }
    });
    if many {
        ui.horizontal(|ui| {
            let label = ui.label(egui::RichText::new("Filter relationships").small().weak());
            let typed = ui
                .add(
                    egui::TextEdit::singleline(&mut shown.filter)
                        .hint_text("a name or a word like \"referred\"")
                        .desired_width(220.0),
                )
                .labelled_by(label.id);
            if typed.changed() {
                shown.refilter();
            }
        });
    }
    shown.expanded |= expand;
}

/// One related person's name: a click opens them, a right-click offers to remove it.
fn person_link_ui(ui: &mut egui::Ui, me: ContactId, line: &Related, commands: &mut Vec<Command>) {
    let mut hover = format!("Open {}; right-click to remove", line.other_name);
    if !line.note.is_empty() {
        hover = format!("{}\n{hover}", line.note);
    }
    let link = ui.link(&line.other_name).on_hover_text(hover);
    if link.clicked() {
        commands.push(Command::OpenContact(line.other));
    }
    link.context_menu(|ui| {
        if ui.button(format!("Open {}", line.other_name)).clicked() {
            commands.push(Command::OpenContact(line.other));
            ui.close();
        }
        if ui
            .button(format!("Remove \"{}\"", line.wording()))
            .clicked()
        {
            commands.push(Command::Unrelate {
                contact: me,
                relationship: line.id,
            });
            ui.close();
        }
    });
}

/// "Add relationship…": what the contact is to whom, and a note.
pub(super) fn add_relationship_ui(
    ctx: &egui::Context,
    view: &mut RelationshipsView,
    commands: &mut Vec<Command>,
) {
    let Some(dialog) = &mut view.dialog else {
        return;
    };
    let mut close = false;
    egui::Modal::new(egui::Id::unique("add_relationship")).show(ctx, |ui| {
        ui.set_width((ctx.content_rect().width() - 48.0).clamp(280.0, 520.0));
        ui.heading(format!("Add a relationship for {}", dialog.name));
        ui.separator();
        roles_ui(ui, dialog);
        ui.add_space(6.0);
        person_ui(ui, dialog, commands);
        ui.add_space(6.0);
        let note_label = ui.label("Note (optional)");
        let note = ui
            .add(
                egui::TextEdit::singleline(&mut dialog.note)
                    .hint_text("since 2019, sent us the bakery…")
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(note_label.id);
        super::widgets::note_enter(ui, &note);
        if let (Some(role), Some((_, other))) = (dialog.role, dialog.person()) {
            ui.label(
                egui::RichText::new(format!("{}.", role.sentence(&dialog.name, &other))).weak(),
            );
        }
        if let Some(error) = &dialog.error {
            ui.label(egui::RichText::new(format!("⚠ {error}")).color(ui.visuals().error_fg_color));
        }
        ui.separator();
        let dirty = dialog.is_dirty();
        let answer = ui
            .horizontal(|ui| {
                super::widgets::form_buttons_ui(
                    ui,
                    "Record it on both people (Enter)",
                    dirty,
                    &mut dialog.session.confirm_discard,
                )
            })
            .inner;
        match answer {
            super::widgets::FormAnswer::Save => match dialog.to_command() {
                Ok(command) => commands.push(command),
                Err(sentence) => {
                    dialog.error = Some(sentence);
                    dialog.session.focus_first = true;
                }
            },
            super::widgets::FormAnswer::Close => close = true,
            super::widgets::FormAnswer::Nothing => {}
        }
    });
    if close {
        view.dialog = None;
    }
}

/// The roles, each in the dialog contact's words ("Ana Lima is… Married to / Child of").
fn roles_ui(ui: &mut egui::Ui, dialog: &mut AddRelationship) {
    ui.label(format!("{} is…", dialog.name));
    ui.horizontal_wrapped(|ui| {
        for role in Role::all() {
            let chosen = dialog.role == Some(role);
            if ui.selectable_label(chosen, role.label()).clicked() {
                dialog.role = Some(role);
                dialog.error = None;
                // Back to the name, so the keyboard goes on from there.
                dialog.session.focus_first = dialog.chosen.is_none();
            }
        }
    });
}

/// The other person: typed, with the people it matches below (↑ ↓ move, Enter or a click picks).
fn person_ui(ui: &mut egui::Ui, dialog: &mut AddRelationship, commands: &mut Vec<Command>) {
    let label = ui.label("Who");
    let id = ui.make_persistent_id("relationship_person");
    if ui.memory(|m| m.has_focus(id)) {
        let (up, down) = ui.input_mut(|i| {
            (
                i.consume_key(egui::Modifiers::NONE, egui::Key::ArrowUp),
                i.consume_key(egui::Modifiers::NONE, egui::Key::ArrowDown),
            )
        });
        dialog.move_highlight(isize::from(down) - isize::from(up));
    }
    let search = ui
        .add(
            egui::TextEdit::singleline(&mut dialog.search)
                .id(id)
                .hint_text("Type a name…")
                .desired_width(f32::INFINITY),
        )
        .labelled_by(label.id);
    if std::mem::take(&mut dialog.session.focus_first) {
        search.request_focus();
    }
    super::widgets::note_enter(ui, &search);
    if search.changed() {
        dialog.chosen = None;
        dialog.error = None;
        commands.push(Command::FindRelated(dialog.search.clone()));
    }
    if dialog.chosen.is_some() || dialog.search.trim().is_empty() {
        return;
    }
    let mut picked = None;
    for (index, candidate) in dialog.candidates.iter().enumerate() {
        if ui
            .selectable_label(index == dialog.highlighted, candidate.label())
            .clicked()
        {
            picked = Some(candidate.clone());
        }
    }
    if dialog.candidates.is_empty() {
        ui.label(egui::RichText::new("Nobody by that name yet.").weak());
    }
    if let Some(person) = picked {
        dialog.choose(&person);
        search.request_focus();
    }
}
