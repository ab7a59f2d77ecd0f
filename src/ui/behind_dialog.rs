//! While a modal dialog is over the window, what is behind it is out of the pointer's reach.
//!
//! egui's `Modal` blocks hover and clicks for the layers below it, but a tooltip that was
//! already open stays open while the pointer is anywhere inside its widget's rectangle
//! (egui 0.37 `Tooltip::should_show_tooltip` keeps it without asking which layer is on
//! top), and in the first frame of a dialog the hover is still worked out from the frame
//! before it. So a conversation card's tooltip, shown while the pointer rested on it as
//! files were dropped, was drawn over the dialog's Cancel button and stayed there. The
//! panels behind an open modal are therefore drawn without the pointer (`hide_pointer`,
//! given back with `give_back` before the dialogs are drawn): no hover, tooltip or click
//! there. Their one-key actions check `dialog_over` too.

use crate::view::ViewState;

/// A modal dialog is over the window: one was shown in the frame before, or the view holds
/// one that opens in this frame.
pub fn dialog_over(ctx: &egui::Context, view: &ViewState) -> bool {
    ctx.memory(|m| m.top_modal_layer()).is_some() || modal_in_view(view)
}

/// The dialogs in the view state that are drawn as `egui::Modal`s (Trash, Backups and
/// "Who referred whom" are windows beside the panels, and leave them usable).
fn modal_in_view(view: &ViewState) -> bool {
    view.contact_form.is_some()
        || view.conversation_form.is_some()
        || view.follow_up_offer.is_some()
        || view.remind_question
        || view.import_dialog.is_some()
        || view.mail_import.is_some()
        || view.export_report.is_some()
        || view.contact_export.is_some()
        || view.calendar_export.is_some()
        || view.team_dialog.is_some()
        || view.duplicates.is_some()
        || view.relationships.dialog.is_some()
        || view.trash_question.is_some()
        || view.tags_dialog.is_some()
        || view.custom_fields.dialog.is_some()
        || view.passphrase_dialog.is_some()
        || view.everything_dialog.is_some()
        || view.erase_dialog.is_some()
        || view.crash_notice.is_some()
        || view.show_about
        || view.first_run
}

/// The pointer taken away while the panels behind a dialog are drawn.
#[must_use = "give the pointer back before the dialogs are drawn"]
pub struct HiddenPointer(Option<egui::PointerState>);

/// Takes the pointer away from what is drawn next when a dialog is over the window.
pub fn hide_pointer(ctx: &egui::Context, view: &ViewState) -> HiddenPointer {
    if !dialog_over(ctx, view) {
        return HiddenPointer(None);
    }
    HiddenPointer(Some(
        ctx.input_mut(|input| std::mem::take(&mut input.pointer)),
    ))
}

/// Gives the pointer back, for the dialogs.
pub fn give_back(ctx: &egui::Context, hidden: HiddenPointer) {
    if let Some(pointer) = hidden.0 {
        ctx.input_mut(|input| input.pointer = pointer);
    }
}
