//! The contact form (new and edit) as a modal dialog.

use super::widgets::{FormAnswer, FormLook, choice_row, form_modal_ui, notes_row, text_row};
use crate::model::{Email, Phone, Stage};
use crate::view::contact_form::ContactForm;
use crate::view::{Command, ViewState};

pub fn contact_form_ui(ctx: &egui::Context, view: &mut ViewState, commands: &mut Vec<Command>) {
    // A save that clashed with a teammate's asks first; the form waits, as typed, behind it.
    if super::team_live::clash_dialog_ui(ctx, view, commands) {
        return;
    }
    // So does one that looks like a contact already here ("Is this Robert Smith?").
    if super::duplicates_dialog::look_alike_ui(ctx, view, commands) {
        return;
    }
    let team = view.database.is_team();
    let fields = view.custom_fields.contact.clone();
    let Some(form) = &mut view.contact_form else {
        return;
    };
    let title = if form.id.is_some() {
        "Edit contact"
    } else {
        "New contact"
    };
    let look = FormLook {
        id: "contact_form",
        title,
        max_width: 560.0,
        save_hint: "Save this contact (Enter in a one-line box, or Ctrl+Enter)",
    };
    let dirty = form.is_dirty();
    let mut session = form.session.clone();
    let error = form.error.clone();
    let answer = form_modal_ui(
        ctx,
        look,
        &mut session,
        dirty,
        error.as_deref(),
        |ui, focus_first| form_fields_ui(ui, form, focus_first, team, &fields),
        |_, _| {},
    );
    form.session = session;
    match answer {
        FormAnswer::Save => match form.to_draft() {
            Ok(draft) => commands.push(Command::SaveContact {
                id: form.id,
                draft: Box::new(draft),
            }),
            Err(sentence) => form.error = Some(sentence),
        },
        FormAnswer::Close => view.contact_form = None,
        FormAnswer::Nothing => {}
    }
}

/// The form's fields, the owner's custom `fields` last; `team` adds the choice to keep the
/// contact to oneself.
fn form_fields_ui(
    ui: &mut egui::Ui,
    form: &mut ContactForm,
    focus_first: bool,
    team: bool,
    fields: &[crate::model::custom_field::CustomField],
) {
    if form.id.is_none() {
        quick_add_ui(ui, form);
    }
    egui::Grid::new("contact_form_grid")
        .num_columns(2)
        .spacing([12.0, 6.0])
        .show(ui, |ui| {
            let name = text_row(
                ui,
                "Name",
                &mut form.draft.display_name,
                "How you call them, e.g. Maria García",
            );
            if focus_first {
                name.request_focus();
            }
            text_row(ui, "First name", &mut form.draft.given_name, "");
            text_row(ui, "Last name", &mut form.draft.family_name, "");
            ui.label("");
            ui.checkbox(
                &mut form.show_name_parts,
                "More name parts (title, middle name, suffix, nickname)",
            );
            ui.end_row();
            if form.show_name_parts {
                text_row(ui, "Prefix", &mut form.draft.prefix, "Dr., Ms., …");
                text_row(ui, "Middle name", &mut form.draft.middle_name, "");
                text_row(ui, "Suffix", &mut form.draft.suffix, "Jr., PhD, …");
                text_row(ui, "Nickname", &mut form.draft.nickname, "");
            }
            text_row(
                ui,
                "Organization",
                &mut form.draft.organization,
                "Their business",
            );
            text_row(
                ui,
                "Role",
                &mut form.draft.title,
                "Owner, buyer, head chef…",
            );
            ui.label("");
            ui.checkbox(&mut form.draft.is_decision_maker, "★ Decides on purchases")
                .on_hover_text(
                    "The person who really decides, not just who sends the purchase order",
                );
            ui.end_row();
            choice_row(ui, "Stage", &mut form.draft.stage, Stage::ALL, Stage::icon);
            for (index, email) in form.draft.emails.iter_mut().enumerate() {
                let label = if index == 0 {
                    "E-mail".to_owned()
                } else {
                    format!("E-mail {}", index + 1)
                };
                text_row(ui, &label, &mut email.address, "name@example.com");
            }
            ui.label("");
            if ui.small_button("➕ Another e-mail").clicked() {
                form.draft.emails.push(Email {
                    label: "other".into(),
                    address: String::new(),
                });
            }
            ui.end_row();
            for (index, phone) in form.draft.phones.iter_mut().enumerate() {
                let label = if index == 0 {
                    "Phone".to_owned()
                } else {
                    format!("Phone {}", index + 1)
                };
                text_row(ui, &label, &mut phone.number, "+44 20 7946 0000");
            }
            ui.label("");
            if ui.small_button("➕ Another phone").clicked() {
                form.draft.phones.push(Phone {
                    label: "other".into(),
                    number: String::new(),
                });
            }
            ui.end_row();
            if let Some(address) = form.draft.addresses.first_mut() {
                text_row(ui, "Street", &mut address.street, "");
                text_row(ui, "City", &mut address.city, "");
                text_row(ui, "Postcode", &mut address.postal_code, "");
                text_row(ui, "Country", &mut address.country, "");
            }
            text_row(
                ui,
                "Birthday",
                &mut form.birthday,
                "1985-12-01, or --12-01 without the year",
            );
            notes_row(
                ui,
                "Family",
                &mut form.draft.family,
                "Partner, children, parents…",
            );
            notes_row(
                ui,
                "Interests",
                &mut form.draft.interests,
                "What they love talking about",
            );
            notes_row(ui, "How we met", &mut form.draft.how_we_met, "");
            notes_row(ui, "Personal notes", &mut form.draft.personal_notes, "");
            text_row(
                ui,
                "Tags",
                &mut form.tags,
                "Comma separated: wholesale, VIP",
            );
            text_row(
                ui,
                "Keep in touch every (days)",
                &mut form.cadence,
                "e.g. 30",
            );
            super::custom_fields::form_rows_ui(ui, &mut form.draft.custom_fields, fields);
            if team {
                super::team_live::private_row_ui(ui, &mut form.draft.private, "contact");
            }
        });
}

/// New contact's quick add: pasted "Name <e-mail>" or a signature fills the empty fields.
fn quick_add_ui(ui: &mut egui::Ui, form: &mut ContactForm) {
    let label = ui.label("Paste a signature or 'Name <e-mail>'");
    ui.add(
        egui::TextEdit::multiline(&mut form.pasted)
            .hint_text("Ana Lima <ana@lima.example>, or the lines under their e-mail")
            .desired_rows(2)
            .desired_width(f32::INFINITY),
    )
    .labelled_by(label.id);
    let ready = !form.pasted.trim().is_empty();
    let fill = ui
        .add_enabled(
            ready,
            egui::Button::new("Fill empty fields from pasted text"),
        )
        .on_hover_text("Fills only the fields that are still empty; never what you typed");
    if fill.clicked() {
        form.fill_from_pasted();
    }
    if let Some(note) = &form.pasted_note {
        ui.label(note);
    }
    ui.separator();
}
