//! Find duplicates…: the likely pairs with their reasons; the merge of one pair side by side,
//! field by field, with a choice where the two differ; and the contact form's question before
//! saving a new contact that looks like one already there.

use crate::insight::duplicates::{DuplicatePair, FieldChoice, Pick};
use crate::model::Contact;
use crate::view::duplicates::{DuplicatesDialog, MergeView};
use crate::view::{Command, ViewState};
use egui::{Align, Layout, RichText};

/// The dialog's width: the window's less a margin, up to `most`.
fn width(ctx: &egui::Context, most: f32) -> f32 {
    (ctx.content_rect().width() - 48.0).clamp(300.0, most)
}

/// The list of pairs, or the merge of one over it.
pub fn duplicates_dialog_ui(
    ctx: &egui::Context,
    view: &mut ViewState,
    commands: &mut Vec<Command>,
) {
    let Some(dialog) = &mut view.duplicates else {
        return;
    };
    if let Some(merge) = &mut dialog.merge {
        if merge_ui(ctx, merge, commands) {
            dialog.merge = None;
        }
        return;
    }
    let mut close = false;
    let modal = egui::Modal::new(egui::Id::unique("duplicates_dialog")).show(ctx, |ui| {
        ui.set_width(width(ctx, 760.0));
        ui.heading("Find duplicates");
        list_ui(ui, dialog, commands);
        ui.separator();
        let done = ui.button("Close");
        if ui.memory(|m| m.focused().is_none()) {
            done.request_focus();
        }
        close = done.clicked();
    });
    if close || modal.should_close() {
        view.duplicates = None;
    }
}

/// What the search found, one pair a row (drawn only where the list is scrolled to).
fn list_ui(ui: &mut egui::Ui, dialog: &DuplicatesDialog, commands: &mut Vec<Command>) {
    if let Some(error) = &dialog.error {
        ui.label(RichText::new(format!("⚠ {error}")).color(ui.visuals().error_fg_color));
    }
    let Some(found) = &dialog.found else {
        if dialog.error.is_none() {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label("Looking for duplicates among your contacts…");
            });
        }
        return;
    };
    ui.label(found.summary());
    if found.pairs.is_empty() {
        return;
    }
    ui.label(
        RichText::new(
            "Compare a pair to merge it: everything of both is kept, and Ctrl+Z undoes the merge.",
        )
        .weak(),
    );
    ui.separator();
    let spacing = ui.spacing().item_spacing.y;
    let row_height = (ui.text_style_height(&egui::TextStyle::Body)
        + ui.text_style_height(&egui::TextStyle::Small)
        + spacing)
        .max(ui.spacing().interact_size.y)
        + 2.0 * spacing;
    egui::ScrollArea::vertical()
        .max_height(ui.ctx().content_rect().height() * 0.55)
        .auto_shrink([false, true])
        .show_rows(ui, row_height, found.pairs.len(), |ui, rows| {
            for pair in &found.pairs[rows] {
                let size = egui::vec2(ui.available_width(), row_height);
                ui.allocate_ui(size, |ui| {
                    ui.set_min_height(row_height);
                    pair_row_ui(ui, pair, commands);
                });
            }
        });
}

/// "Robert Smith (Smith Plumbing) and Bob Smith", why, and what to do with them.
fn pair_row_ui(ui: &mut egui::Ui, pair: &DuplicatePair, commands: &mut Vec<Command>) {
    let side = |name: &str, org: &str| match org {
        "" => name.to_owned(),
        org => format!("{name} ({org})"),
    };
    let names = format!(
        "{} and {}",
        side(&pair.first.name, &pair.first.organization),
        side(&pair.second.name, &pair.second.organization)
    );
    let reasons = pair.reasons.join("; ");
    ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
        let apart = ui
            .button("Not the same")
            .on_hover_text("They are two people: do not list them again");
        if apart.clicked() {
            commands.push(Command::NotSamePerson {
                first: pair.first.id,
                second: pair.second.id,
            });
        }
        let compare = ui
            .button("Compare…")
            .on_hover_text("Both side by side, field by field, to merge them");
        if compare.clicked() {
            commands.push(Command::OpenMerge {
                first: pair.first.id,
                second: pair.second.id,
            });
        }
        ui.with_layout(Layout::top_down(Align::Min), |ui| {
            ui.add(egui::Label::new(RichText::new(&names).strong()).truncate())
                .on_hover_text(&names);
            ui.add(egui::Label::new(RichText::new(&reasons).small()).truncate())
                .on_hover_text(&reasons);
        });
    });
}

/// The two side by side; true when it is to close (back to the list).
fn merge_ui(ctx: &egui::Context, merge: &mut MergeView, commands: &mut Vec<Command>) -> bool {
    let mut back = false;
    let modal = egui::Modal::new(egui::Id::unique("merge_dialog")).show(ctx, |ui| {
        ui.set_width(width(ctx, 820.0));
        let kept = merge.kept().draft.effective_display_name();
        let other = merge.other().draft.effective_display_name();
        ui.heading(format!("Merge {other} into {kept}?"));
        if !merge.reasons.is_empty() {
            ui.label(format!("Listed because: {}.", merge.reasons.join("; ")));
        }
        keep_choice_ui(ui, merge);
        ui.separator();
        egui::ScrollArea::vertical()
            .max_height(ctx.content_rect().height() * 0.5)
            .auto_shrink([false, true])
            .show(ui, |ui| fields_ui(ui, merge));
        ui.separator();
        ui.label(merge.moves_sentence());
        ui.label(
            RichText::new(format!(
                "Every e-mail, phone, address, tag, relationship and field value of both is kept, and both notes; values you do not choose go into {kept}'s notes. {other} is then deleted. Ctrl+Z undoes the whole merge."
            ))
            .weak(),
        );
        if let Some(error) = &merge.error {
            ui.label(RichText::new(format!("⚠ {error}")).color(ui.visuals().error_fg_color));
        }
        ui.horizontal_wrapped(|ui| {
            if ui.button(format!("Merge into {kept}")).clicked() {
                commands.push(Command::MergeContacts);
            }
            if ui.button("Not the same person").clicked() {
                commands.push(Command::NotSamePerson {
                    first: merge.first.id,
                    second: merge.second.id,
                });
            }
            back = ui.button("Back to the list").clicked();
        });
    });
    back || modal.should_close()
}

/// Which of the two stays (with its id, UID and history).
fn keep_choice_ui(ui: &mut egui::Ui, merge: &mut MergeView) {
    let label = |c: &Contact| format!("Keep {} (no. {})", c.draft.effective_display_name(), c.id);
    let (first, second) = (label(&merge.first), label(&merge.second));
    ui.horizontal_wrapped(|ui| {
        if ui.radio(!merge.keep_second, first).clicked() && merge.keep_second {
            merge.swap();
        }
        if ui.radio(merge.keep_second, second).clicked() && !merge.keep_second {
            merge.swap();
        }
    });
}

/// Field by field: both values, a choice where they differ.
fn fields_ui(ui: &mut egui::Ui, merge: &mut MergeView) {
    let kept_name = merge.kept().draft.effective_display_name();
    let other_name = merge.other().draft.effective_display_name();
    let lists = lists_of(merge);
    egui::Grid::new("merge_fields")
        .num_columns(3)
        .striped(true)
        .spacing([16.0, 6.0])
        .show(ui, |ui| {
            ui.label("");
            ui.strong(format!("{kept_name} (stays)"));
            ui.strong(format!("{other_name} (merged in)"));
            ui.end_row();
            for choice in &mut merge.choices {
                field_row_ui(ui, choice);
            }
            for (label, kept, other) in lists {
                ui.label(label);
                ui.label(kept);
                ui.label(other);
                ui.end_row();
            }
        });
}

fn field_row_ui(ui: &mut egui::Ui, choice: &mut FieldChoice) {
    let mut label = choice.field.label().to_owned();
    if let Some(first) = label.get_mut(0..1) {
        first.make_ascii_uppercase();
    }
    ui.label(label);
    let shown = |value: &str| match value {
        "" => "—".to_owned(),
        value => value.to_owned(),
    };
    if choice.conflicts() {
        ui.radio_value(&mut choice.pick, Pick::Kept, shown(&choice.kept));
        ui.radio_value(&mut choice.pick, Pick::Other, shown(&choice.other));
    } else {
        ui.label(shown(&choice.kept));
        ui.label(shown(&choice.other));
    }
    ui.end_row();
}

/// What a row of lists shows of one side.
type ListOf = fn(&crate::model::ContactDraft) -> Vec<String>;

/// The lists both sides keep, one line each: e-mails, phones, addresses, tags, notes.
fn lists_of(merge: &MergeView) -> Vec<(&'static str, String, String)> {
    let (kept, other) = (&merge.kept().draft, &merge.other().draft);
    let join = |items: Vec<String>| match items.is_empty() {
        true => "—".to_owned(),
        false => items.join("\n"),
    };
    let rows: [(&'static str, ListOf); 5] = [
        ("E-mails (all kept)", |d| {
            d.emails.iter().map(|e| e.address.clone()).collect()
        }),
        ("Phones (all kept)", |d| {
            d.phones.iter().map(|p| p.number.clone()).collect()
        }),
        ("Addresses (all kept)", |d| {
            d.addresses.iter().map(|a| a.one_line()).collect()
        }),
        ("Tags (all kept)", |d| d.tags.clone()),
        ("Notes (both kept)", |d| {
            let notes = d.personal_notes.trim();
            (!notes.is_empty())
                .then(|| notes.to_owned())
                .into_iter()
                .collect()
        }),
    ];
    rows.into_iter()
        .map(|(label, of)| (label, join(of(kept)), join(of(other))))
        .filter(|(_, a, b)| a != "—" || b != "—")
        .collect()
}

/// "Is this Robert Smith at Smith Plumbing?", over the contact form before a new contact that
/// looks like one already here is saved. True while it asks (the form waits behind it).
pub fn look_alike_ui(
    ctx: &egui::Context,
    view: &mut ViewState,
    commands: &mut Vec<Command>,
) -> bool {
    let Some(form) = &mut view.contact_form else {
        return false;
    };
    let Some(look_alikes) = form.look_alikes.clone().filter(|l| !l.is_empty()) else {
        return false;
    };
    let draft = form.to_draft();
    let typed = draft
        .as_ref()
        .map(|d| d.effective_display_name())
        .unwrap_or_default();
    let mut answered = false;
    let modal = egui::Modal::new(egui::Id::unique("look_alike_question")).show(ctx, |ui| {
        ui.set_width(width(ctx, 560.0));
        let several = look_alikes.len() > 1;
        match several {
            false => ui.heading(look_alikes[0].question()),
            true => ui.heading(format!("Is {typed} someone already here?")),
        };
        ui.label(format!(
            "Before {typed} is added: {} like them {} already here.",
            if several { "contacts" } else { "someone" },
            if several { "are" } else { "is" }
        ));
        for look_alike in &look_alikes {
            ui.separator();
            // Two look-alikes of one name are told apart by their numbers.
            let name = match several {
                true => format!("{} (no. {})", look_alike.name, look_alike.id),
                false => look_alike.name.clone(),
            };
            if several {
                ui.strong(match look_alike.organization.as_str() {
                    "" => name.clone(),
                    org => format!("{name} at {org}"),
                });
            }
            ui.label(RichText::new(look_alike.reasons.join("; ")).small());
            let add = ui
                .button(format!("Yes — add what I typed to {name}"))
                .on_hover_text(
                    "Opens their form with the new details added, to look over and save",
                );
            if add.clicked()
                && let Ok(draft) = &draft
            {
                commands.push(Command::AddToContact {
                    id: look_alike.id,
                    draft: Box::new(draft.clone()),
                });
                answered = true;
            }
        }
        ui.separator();
        ui.horizontal_wrapped(|ui| {
            if ui.button("No — save a new contact").clicked()
                && let Ok(draft) = &draft
            {
                commands.push(Command::SaveContact {
                    id: None,
                    draft: Box::new(draft.clone()),
                });
                answered = true;
            }
            answered |= ui.button("Back to the form").clicked();
        });
    });
    if answered || modal.should_close() {
        // Asked once: saving the form again saves.
        form.look_alikes = Some(Vec::new());
    }
    true
}
