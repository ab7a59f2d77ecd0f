//! The contact form (new and edit) as a modal dialog.

use super::widgets::{FormAnswer, choice_row, form_buttons_ui, notes_row, text_row};
use crate::app::{Command, ViewState};
use crate::model::{Address, Birthday, ContactDraft, ContactId, Email, Phone, Stage};

/// The form's text buffers; turned into a `ContactDraft` on save.
#[derive(Debug, Clone)]
pub struct ContactForm {
    pub id: Option<ContactId>,
    pub draft: ContactDraft,
    pub birthday: String,
    pub tags: String,
    pub cadence: String,
    pub error: Option<String>,
    show_name_parts: bool,
    /// Escape or Cancel was pressed with something typed: asking before closing.
    confirm_discard: bool,
    /// The buffers as they were opened, to tell whether anything was typed.
    opened_as: String,
    /// The first field is to get the keyboard (on opening, and after "Keep editing").
    focus_first: bool,
    /// The first frame has been drawn (Name got the keyboard, the scroll is at the top).
    shown: bool,
}

impl ContactForm {
    pub fn new(id: Option<ContactId>, draft: &ContactDraft) -> Self {
        let mut draft = draft.clone();
        if draft.emails.is_empty() {
            draft.emails.push(Email {
                label: "work".into(),
                address: String::new(),
            });
        }
        if draft.phones.is_empty() {
            draft.phones.push(Phone {
                label: "mobile".into(),
                number: String::new(),
            });
        }
        if draft.addresses.is_empty() {
            draft.addresses.push(Address {
                label: "work".into(),
                ..Address::default()
            });
        }
        let show_name_parts = [
            &draft.prefix,
            &draft.middle_name,
            &draft.suffix,
            &draft.nickname,
        ]
        .iter()
        .any(|s| !s.is_empty());
        let mut form = Self {
            id,
            birthday: draft.birthday.map(|b| b.to_string()).unwrap_or_default(),
            tags: draft.tags.join(", "),
            cadence: draft
                .cadence_days
                .map(|d| d.to_string())
                .unwrap_or_default(),
            draft,
            error: None,
            show_name_parts,
            confirm_discard: false,
            opened_as: String::new(),
            shown: false,
            focus_first: true,
        };
        form.opened_as = form.fingerprint();
        form
    }

    /// Everything the user can change, as text: differs from `opened_as` once they typed.
    fn fingerprint(&self) -> String {
        format!(
            "{:?}|{}|{}|{}",
            self.draft, self.birthday, self.tags, self.cadence
        )
    }

    /// Whether anything was typed or chosen since the form opened.
    pub fn is_dirty(&self) -> bool {
        self.fingerprint() != self.opened_as
    }

    /// Reads the buffers into a draft, or says in a sentence what is wrong.
    pub fn to_draft(&self) -> Result<ContactDraft, String> {
        let mut draft = self.draft.clone();
        draft.birthday = match self.birthday.trim() {
            "" => None,
            text => Some(Birthday::parse(text).ok_or_else(|| {
                format!("\"{text}\" is not a birthday; write 1985-12-01, or --12-01 when you don't know the year.")
            })?),
        };
        draft.tags = self
            .tags
            .split(',')
            .map(|t| t.trim().to_owned())
            .filter(|t| !t.is_empty())
            .collect();
        draft.cadence_days = match self.cadence.trim() {
            "" => None,
            text => Some(
                text.parse::<i64>()
                    .map_err(|_| format!("\"{text}\" is not a number of days."))?,
            ),
        };
        draft.emails.retain(|e| !e.address.trim().is_empty());
        draft.phones.retain(|p| !p.number.trim().is_empty());
        draft.addresses.retain(|a| !a.is_blank());
        draft.validate()?;
        Ok(draft)
    }
}

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
