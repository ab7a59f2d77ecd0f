//! The contact form (new and edit) as a modal dialog.

use super::widgets::{FormAnswer, choice_row, form_buttons_ui, notes_row, text_row};
use crate::model::{Email, Phone, Stage};
use crate::view::contact_form::ContactForm;
use crate::view::{Command, ViewState};

pub fn contact_form_ui(ctx: &egui::Context, view: &mut ViewState, commands: &mut Vec<Command>) {
    let Some(form) = &mut view.contact_form else {
        return;
    };
    let mut close = false;
    let title = if form.id.is_some() {
        "Edit contact"
    } else {
        "New contact"
    };
    egui::Modal::new(egui::Id::unique("contact_form")).show(ctx, |ui| {
        // Narrower on a small or zoomed screen, so the buttons stay inside the window.
        ui.set_width((ctx.content_rect().width() - 48.0).clamp(280.0, 560.0));
        ui.heading(title);
        ui.separator();
        // A fixed height: the dialog keeps its place while the form lays itself out, instead
        // of jumping up after the first keystroke (a click meant for Phone landed in Street).
        let height = ctx.content_rect().height() * 0.7;
        let mut scroll = egui::ScrollArea::vertical()
            .max_height(height)
            .min_scrolled_height(height);
        if !form.shown {
            // Opened again: start at the top, not where the last contact was left.
            scroll = scroll.vertical_scroll_offset(0.0);
        }
        scroll.show(ui, |ui| {
            // Room on the right so the scroll bar never covers the text boxes.
            egui::Frame::NONE
                .inner_margin(egui::Margin {
                    right: 14,
                    ..Default::default()
                })
                .show(ui, |ui| form_fields_ui(ui, form));
        });
        form.shown = true;
        if let Some(error) = &form.error {
            ui.label(egui::RichText::new(format!("⚠ {error}")).color(ui.visuals().error_fg_color));
        }
        ui.separator();
        ui.horizontal_wrapped(|ui| {
            let dirty = form.is_dirty();
            let was_asking = form.confirm_discard;
            let answer = form_buttons_ui(
                ui,
                "Save this contact (Enter in a one-line box, or Ctrl+Enter)",
                dirty,
                &mut form.confirm_discard,
            );
            match answer {
                FormAnswer::Save => match form.to_draft() {
                    Ok(draft) => commands.push(Command::SaveContact {
                        id: form.id,
                        draft: Box::new(draft),
                    }),
                    Err(sentence) => form.error = Some(sentence),
                },
                FormAnswer::Close => close = true,
                FormAnswer::Nothing => {}
            }
            if was_asking && !form.confirm_discard {
                // "Keep editing": back to typing without reaching for the mouse.
                form.focus_first = true;
            }
        });
    });
    if close {
        view.contact_form = None;
    }
}

fn form_fields_ui(ui: &mut egui::Ui, form: &mut ContactForm) {
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
            if std::mem::take(&mut form.focus_first) {
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
        });
}
