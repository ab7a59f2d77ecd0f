//! Panels and dialogs. They read `ViewState`, change only UI state, and push `Command`s for
//! anything that touches data. No SQL, files or threads here.

pub mod avatar;
mod behind_dialog;
mod bulk_bar;
pub mod contact_form;
mod contact_header;
pub mod contacts_panel;
pub mod conversation_form;
mod custom_fields;
pub mod dashboard_panel;
mod duplicates_dialog;
pub mod export_calendar;
pub mod export_contacts;
pub mod export_dialog;
mod fields_dialog;
pub mod follow_up_offer;
pub mod history_panel;
mod history_threads;
pub mod import_dialog;
mod mail_import_dialog;
mod privacy;
mod protect;
mod referrals;
mod relationships;
mod remind_question;
pub mod tags_dialog;
pub mod team_dialog;
pub mod team_live;
pub mod timeline_panel;
pub mod today_panel;
mod upcoming_meetings;
mod widgets;
mod windows;

pub use windows::opening_screen;

use crate::view::{Command, MainView, Theme, ViewState};
use egui::{Key, KeyboardShortcut, Modifiers};

pub const SHORTCUT_NEW_CONTACT: KeyboardShortcut =
    KeyboardShortcut::new(Modifiers::COMMAND, Key::N);
pub const SHORTCUT_LOG: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::L);
pub const SHORTCUT_SEARCH: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::F);
pub const SHORTCUT_UNDO: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Z);
pub const SHORTCUT_ZOOM_IN: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Plus);
pub const SHORTCUT_ZOOM_OUT: KeyboardShortcut =
    KeyboardShortcut::new(Modifiers::COMMAND, Key::Minus);
/// Ctrl+E: the timeline report people print and keep.
pub const SHORTCUT_EXPORT_REPORT: KeyboardShortcut =
    KeyboardShortcut::new(Modifiers::COMMAND, Key::E);
/// Ctrl+Shift+E: the calendar (ICS) export.
pub const SHORTCUT_EXPORT_CALENDAR: KeyboardShortcut =
    KeyboardShortcut::new(Modifiers::COMMAND.plus(Modifiers::SHIFT), Key::E);
pub const SHORTCUT_IMPORT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::I);
pub const SHORTCUT_TODAY: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::T);
pub const SHORTCUT_DASHBOARD: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::D);
pub const SHORTCUT_QUIT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Q);

/// Sets the look shared by every panel: slightly larger text for reading notes.
pub fn install_style(ctx: &egui::Context) {
    ctx.all_styles_mut(|style| {
        style.spacing.item_spacing = egui::vec2(8.0, 6.0);
        style.spacing.button_padding = egui::vec2(8.0, 3.0);
        // Scroll bars that are always there when a list is longer than its panel and take
        // their own room: floating bars showed only on hover, so a history looked as if it
        // ended where the panel did, and they lay over the rows' right edge.
        style.spacing.scroll = egui::style::ScrollStyle {
            bar_width: 8.0,
            dormant_background_opacity: 0.25,
            dormant_handle_opacity: 0.55,
            ..egui::style::ScrollStyle::solid()
        };
        for (text_style, font) in style.text_styles.iter_mut() {
            font.size = match text_style {
                egui::TextStyle::Heading => 20.0,
                egui::TextStyle::Body | egui::TextStyle::Button => 14.0,
                egui::TextStyle::Monospace => 13.0,
                egui::TextStyle::Small => 11.0,
                _ => font.size,
            };
        }
    });
}

/// The window icon, drawn from `assets/icon.png` at build time.
pub fn app_icon() -> std::sync::Arc<egui::IconData> {
    let bytes = include_bytes!("../../assets/icon.png");
    match eframe::icon_data::from_png_bytes(bytes) {
        Ok(icon) => std::sync::Arc::new(icon),
        Err(error) => {
            tracing::warn!("could not decode the app icon: {error}");
            std::sync::Arc::new(egui::IconData::default())
        }
    }
}

/// Draws the whole window for one frame.
pub fn root_ui(ui: &mut egui::Ui, view: &mut ViewState, commands: &mut Vec<Command>) {
    if let Some(screen) = view.unlock.as_mut() {
        protect::unlock_ui(ui, screen, commands);
        return;
    }
    if let Some(error) = view.open_error.clone() {
        windows::open_error_ui(ui, &error, view.recovery.as_ref(), commands);
        // A team database that cannot be reached leaves the way to another one open.
        team_dialog::team_dialog_ui(&ui.ctx().clone(), view, commands);
        return;
    }
    shortcuts(ui.ctx(), view, commands);
    plain_keys(ui.ctx(), view);
    // An image dropped on the window while a contact is selected becomes their photo; any
    // other file (a contact file) opens the import preview.
    let dropped: Vec<std::path::PathBuf> = ui.ctx().input(|i| {
        i.raw
            .dropped_files
            .iter()
            .map(|f| f.path().to_path_buf())
            .filter(|p| !p.as_os_str().is_empty())
            .collect()
    });
    let selected = view.selected.as_ref().map(|s| s.contact.id);
    let (photos, files): (Vec<_>, Vec<_>) = dropped
        .into_iter()
        .partition(|path| selected.is_some() && avatar::is_image_file(path));
    // An image pasted (Ctrl+V) while no text box has the keyboard becomes their photo too.
    let pasted = ui.ctx().input(|i| {
        i.events.iter().find_map(|event| match event {
            egui::Event::PasteImage(image) => Some(image.clone()),
            _ => None,
        })
    });
    if let (Some(contact), Some(image)) = (selected, pasted)
        && !ui.ctx().egui_wants_keyboard_input()
    {
        commands.push(Command::PasteContactPhoto { contact, image });
    }
    if let (Some(contact), Some(path)) = (selected, photos.into_iter().next()) {
        commands.push(Command::SetContactPhoto { contact, path });
    } else if !files.is_empty() {
        // The app tells e-mails, mailboxes and calendars (the mail import, the contact
        // shown listed first) from contact files (the contact import).
        commands.push(Command::ImportDropped {
            paths: files,
            contact: selected,
        });
    }

    // Behind an open dialog the panels do not see the pointer: no hover, tooltip or click.
    let hidden_pointer = behind_dialog::hide_pointer(ui.ctx(), view);
    egui::Panel::top("menu_bar").show(ui, |ui| {
        egui::MenuBar::new().ui(ui, |ui| menu_bar_ui(ui, view, commands));
    });
    egui::Panel::bottom("status_bar").show(ui, |ui| status_bar_ui(ui, view, commands));
    if view.demo_of.is_some() {
        egui::Panel::top("demo_banner").show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.label(
                    egui::RichText::new("🎭 DEMO DATA — made-up customers to try Rapport with. Nothing here is yours.")
                        .strong()
                        .color(ui.visuals().warn_fg_color),
                );
                if ui.button("⬅ Back to my own contacts").clicked() {
                    commands.push(Command::BackToOwnData);
                }
            });
        });
    }
    // Side panels take a share of the window, so the centre stays readable when the window is
    // small or zoomed to 150 %.
    // Both can be dragged wider or narrower, and hidden from the View menu.
    let total = ui.available_width();
    if view.prefs.show_contacts_panel {
        egui::Panel::left("contacts_panel")
            .resizable(true)
            .default_size((total * 0.24).clamp(200.0, 320.0))
            .size_range(180.0..=(total * 0.3).clamp(200.0, 480.0))
            .show(ui, |ui| {
                contacts_panel::contacts_panel_ui(ui, view, commands)
            });
    }
    if view.prefs.show_timeline_panel {
        egui::Panel::right("timeline_panel")
            .resizable(true)
            .default_size((total * 0.28).clamp(220.0, 380.0))
            .size_range(200.0..=(total * 0.32).clamp(220.0, 620.0))
            .show(ui, |ui| {
                timeline_panel::timeline_panel_ui(ui, view, commands)
            });
    }
    egui::CentralPanel::default().show(ui, |ui| {
        view_tabs_ui(ui, view, commands);
        match view.main_view {
            MainView::Contact => history_panel::history_panel_ui(ui, view, commands),
            MainView::Today => today_panel::today_panel_ui(ui, view, commands),
            MainView::Dashboard => dashboard_panel::dashboard_panel_ui(ui, view, commands),
        }
    });

    behind_dialog::give_back(ui.ctx(), hidden_pointer);
    let ctx = ui.ctx().clone();
    contact_form::contact_form_ui(&ctx, view, commands);
    conversation_form::conversation_form_ui(&ctx, view, commands);
    follow_up_offer::follow_up_offer_ui(&ctx, view, commands);
    remind_question::remind_question_ui(&ctx, view, commands);
    privacy::privacy_dialogs_ui(&ctx, view, commands);
    duplicates_dialog::duplicates_dialog_ui(&ctx, view, commands);
    protect::passphrase_dialog_ui(&ctx, view, commands);
    export_calendar::export_calendar_ui(&ctx, view, commands);
    export_contacts::export_contacts_ui(&ctx, view, commands);
    export_dialog::export_dialog_ui(&ctx, view, commands);
    import_dialog::import_dialog_ui(&ctx, view, commands);
    mail_import_dialog::mail_import_dialog_ui(&ctx, view, commands);
    tags_dialog::tags_dialog_ui(&ctx, view, commands);
    fields_dialog::fields_dialog_ui(&ctx, view, commands);
    relationships::add_relationship_ui(&ctx, &mut view.relationships, commands);
    referrals::referrals_ui(&ctx, view, commands);
    team_dialog::team_dialog_ui(&ctx, view, commands);
    team_live::trash_question_ui(&ctx, view, commands);
    windows::trash_ui(&ctx, view, commands);
    windows::backups_ui(&ctx, view, commands);
    windows::welcome_ui(&ctx, view, commands);
    windows::crash_notice_ui(&ctx, view);
    windows::about_ui(&ctx, view);
    shortcut_list_ui(&ctx);
    // An Enter no form took this frame must not save the next form that opens.
    widgets::take_enter(ui);
}

/// The switch between the selected contact and Today, at the top of the centre.
fn view_tabs_ui(ui: &mut egui::Ui, view: &ViewState, commands: &mut Vec<Command>) {
    ui.horizontal_wrapped(|ui| {
        let mut home = egui::RichText::new("🏠 Dashboard");
        if view.dashboard.attention_total > 0 && view.main_view != MainView::Dashboard {
            home =
                egui::RichText::new(format!("🏠 Dashboard ({})", view.dashboard.attention_total));
        }
        if ui
            .selectable_label(view.main_view == MainView::Dashboard, home)
            .on_hover_text(format!(
                "Who needs me and why ({})",
                ui.ctx().format_shortcut(&SHORTCUT_DASHBOARD)
            ))
            .clicked()
        {
            commands.push(Command::ShowView(MainView::Dashboard));
        }
        let contact_label = match &view.selected {
            Some(selected) => format!("👤 {}", selected.contact.draft.display_name),
            None => "👤 Contact".to_owned(),
        };
        if ui
            .selectable_label(view.main_view == MainView::Contact, contact_label)
            .clicked()
        {
            commands.push(Command::ShowView(MainView::Contact));
        }
        let lists = &view.today.lists;
        let mut today_label = "📅 Today".to_owned();
        if lists.overdue.len() + lists.today.len() > 0 {
            today_label.push_str(&format!(
                " ({} overdue, {} due)",
                lists.overdue.len(),
                lists.today.len()
            ));
        }
        let mut text = egui::RichText::new(today_label);
        if !lists.overdue.is_empty() && view.main_view != MainView::Today {
            text = text.color(ui.visuals().error_fg_color);
        }
        if ui
            .selectable_label(view.main_view == MainView::Today, text)
            .on_hover_text(format!(
                "Who needs me today ({})",
                ui.ctx().format_shortcut(&SHORTCUT_TODAY)
            ))
            .clicked()
        {
            commands.push(Command::ShowView(MainView::Today));
        }
    });
    ui.separator();
}

/// Id of the flag that keeps the keyboard-shortcut list open (UI state only).
fn shortcut_list_id() -> egui::Id {
    egui::Id::unique("shortcut_list_open")
}

/// Single keys that act only while no text box has the keyboard (else they are typed text):
/// `/` goes to the search, `?` lists every shortcut.
fn plain_keys(ctx: &egui::Context, view: &mut ViewState) {
    if ctx.egui_wants_keyboard_input() {
        return;
    }
    let (slash, question) = ctx.input_mut(|input| {
        (
            input.consume_key(Modifiers::NONE, Key::Slash),
            input.consume_key(Modifiers::NONE, Key::Questionmark),
        )
    });
    if slash {
        view.focus_search = true;
    }
    if question {
        ctx.data_mut(|d| d.insert_temp(shortcut_list_id(), true));
    }
}

/// Every shortcut, in words: what `?` and Help ▸ Keyboard shortcuts show.
pub const SHORTCUT_LIST: &[(&str, &str)] = &[
    ("Ctrl+F or /", "Find a contact"),
    (
        "Down arrow in the search",
        "Go into the contact list; Up/Down, Page Up/Down, Home, End move in it",
    ),
    ("Enter on a contact", "Open the contact"),
    (
        "Ctrl+A in the contact list",
        "Choose every contact the search and filters find, to change them all at once (Ctrl-click and Shift-click choose some, Escape none)",
    ),
    ("Ctrl+N", "New contact"),
    ("Ctrl+L", "Log a conversation with the selected contact"),
    (
        "Ctrl+T",
        "Today: what is due; Up/Down arrows move between the follow-ups",
    ),
    ("Ctrl+D", "Dashboard"),
    ("Ctrl+I", "Import contacts"),
    ("Ctrl+E", "Export the timeline report"),
    ("Ctrl+Shift+E", "Export the calendar (ICS)"),
    ("Ctrl+Z", "Undo the last change (Edit menu says which)"),
    ("Ctrl+Plus / Ctrl+Minus", "Zoom in / out"),
    ("Tab / Shift+Tab", "Next / previous field or button"),
    ("Space or Enter", "Press the focused button"),
    ("Enter in a one-line box", "Save the dialog"),
    ("Ctrl+Enter", "Save the dialog from anywhere in it"),
    (
        "Escape",
        "Close the dialog (asks first if you typed something)",
    ),
    ("?", "This list"),
    ("Ctrl+Q", "Quit"),
];

fn shortcut_list_ui(ctx: &egui::Context) {
    let mut open = ctx.data(|d| d.get_temp::<bool>(shortcut_list_id()).unwrap_or(false));
    if !open {
        return;
    }
    let modal = egui::Modal::new(egui::Id::unique("shortcut_list")).show(ctx, |ui| {
        ui.set_width((ctx.content_rect().width() - 48.0).clamp(280.0, 520.0));
        ui.heading("Keyboard shortcuts");
        egui::ScrollArea::vertical()
            .max_height(ctx.content_rect().height() * 0.7)
            .show(ui, |ui| {
                egui::Grid::new("shortcut_grid")
                    .striped(true)
                    .num_columns(2)
                    .show(ui, |ui| {
                        for (keys, what) in SHORTCUT_LIST {
                            ui.strong(*keys);
                            ui.label(*what);
                            ui.end_row();
                        }
                    });
            });
        ui.add_space(4.0);
        let close = ui.button("Close");
        if !close.has_focus() && ui.memory(|m| m.focused().is_none()) {
            close.request_focus();
        }
        close.clicked()
    });
    if modal.inner || modal.should_close() {
        open = false;
    }
    ctx.data_mut(|d| d.insert_temp(shortcut_list_id(), open));
}

fn shortcuts(ctx: &egui::Context, view: &mut ViewState, commands: &mut Vec<Command>) {
    let dialog_open = view.contact_form.is_some()
        || view.export_report.is_some()
        || view.contact_export.is_some()
        || view.conversation_form.is_some()
        || view.follow_up_offer.is_some()
        || view.import_dialog.is_some()
        || view.mail_import.is_some()
        || view.calendar_export.is_some()
        || view.team_dialog.is_some()
        || view.duplicates.is_some()
        || view.relationships.dialog.is_some()
        || view.trash_question.is_some();
    let mut focus_today = false;
    ctx.input_mut(|input| {
        if input.consume_shortcut(&SHORTCUT_QUIT) {
            commands.push(Command::Quit);
        }
        if dialog_open {
            return;
        }
        if input.consume_shortcut(&SHORTCUT_NEW_CONTACT) {
            commands.push(Command::NewContact);
        }
        if input.consume_shortcut(&SHORTCUT_LOG)
            && let Some(selected) = &view.selected
        {
            commands.push(Command::LogConversation(selected.contact.id));
        }
        if input.consume_shortcut(&SHORTCUT_SEARCH) {
            view.focus_search = true;
        }
        // The longer shortcut first: consume_shortcut ignores extra Shift for Ctrl+E.
        if input.consume_shortcut(&SHORTCUT_EXPORT_CALENDAR) {
            commands.push(Command::ExportCalendar);
        }
        if input.consume_shortcut(&SHORTCUT_EXPORT_REPORT) {
            commands.push(Command::OpenExportReport(None));
        }
        if input.consume_shortcut(&SHORTCUT_IMPORT) {
            commands.push(Command::OpenImport);
        }
        if input.consume_shortcut(&SHORTCUT_DASHBOARD) {
            commands.push(Command::ShowView(MainView::Dashboard));
        }
        if input.consume_shortcut(&SHORTCUT_TODAY) {
            commands.push(Command::ShowView(MainView::Today));
            focus_today = true;
        }
        if input.consume_shortcut(&SHORTCUT_UNDO) {
            commands.push(Command::Undo);
        }
        if input.consume_shortcut(&SHORTCUT_ZOOM_IN) {
            commands.push(Command::SetZoom(view.prefs.zoom + 0.25));
        }
        if input.consume_shortcut(&SHORTCUT_ZOOM_OUT) {
            commands.push(Command::SetZoom(view.prefs.zoom - 0.25));
        }
    });
    if focus_today {
        // Not inside `input_mut`: the context is locked there.
        today_panel::focus_first_item(ctx);
    }
}

fn menu_item(
    ui: &mut egui::Ui,
    text: &str,
    shortcut: Option<&KeyboardShortcut>,
    enabled: bool,
) -> bool {
    let mut button = egui::Button::new(text);
    if let Some(shortcut) = shortcut {
        button = button.shortcut_text(ui.ctx().format_shortcut(shortcut));
    }
    ui.add_enabled(enabled, button).clicked()
}

fn menu_bar_ui(ui: &mut egui::Ui, view: &mut ViewState, commands: &mut Vec<Command>) {
    let selected = view.selected.as_ref().map(|s| s.contact.id);
    ui.menu_button("File", |ui| {
        if menu_item(ui, "New contact…", Some(&SHORTCUT_NEW_CONTACT), true) {
            commands.push(Command::NewContact);
        }
        if menu_item(
            ui,
            "Log conversation…",
            Some(&SHORTCUT_LOG),
            selected.is_some(),
        ) && let Some(id) = selected
        {
            commands.push(Command::LogConversation(id));
        }
        if menu_item(ui, "Dashboard", Some(&SHORTCUT_DASHBOARD), true) {
            commands.push(Command::ShowView(MainView::Dashboard));
        }
        if menu_item(ui, "Today", Some(&SHORTCUT_TODAY), true) {
            commands.push(Command::ShowView(MainView::Today));
        }
        if menu_item(
            ui,
            "Export timeline report…",
            Some(&SHORTCUT_EXPORT_REPORT),
            true,
        ) {
            commands.push(Command::OpenExportReport(None));
        }
        if menu_item(
            ui,
            "Export calendar (ICS)…",
            Some(&SHORTCUT_EXPORT_CALENDAR),
            true,
        ) {
            commands.push(Command::ExportCalendar);
        }
        if menu_item(ui, "Import contacts…", Some(&SHORTCUT_IMPORT), true) {
            commands.push(Command::OpenImport);
        }
        if menu_item(ui, "Import mail or calendar…", None, true) {
            commands.push(Command::PickMailFiles);
        }
        if menu_item(ui, "Export contacts…", None, true) {
            commands.push(Command::OpenExportContacts);
        }
        ui.separator();
        if menu_item(ui, "Trash…", None, true) {
            commands.push(Command::OpenTrash);
        }
        if menu_item(ui, "Backups…", None, true) {
            commands.push(Command::OpenBackups);
        }
        let mut remind = view.prefs.remind_when_closed == Some(true);
        if ui
            .checkbox(&mut remind, "Remind me even when Rapport is closed")
            .on_hover_text("A small reminder runs in the background and starts when you log in")
            .clicked()
        {
            commands.push(Command::SetRemindWhenClosed(remind));
            ui.close();
        }
        if menu_item(ui, "Team database…", None, true) {
            commands.push(Command::OpenTeamDialog);
        }
        protect::file_menu_items(ui, view, commands);
        ui.separator();
        if menu_item(ui, "Quit", Some(&SHORTCUT_QUIT), true) {
            commands.push(Command::Quit);
        }
    });
    ui.menu_button("Edit", |ui| {
        // Named by the step it undoes ("Undo: mark 'Call back' done"), so the user knows
        // what Ctrl+Z will do before pressing it.
        let undo_text = view
            .undo_top
            .as_ref()
            .map_or_else(|| "Undo".to_owned(), |top| top.label.clone());
        if menu_item(
            ui,
            &undo_text,
            Some(&SHORTCUT_UNDO),
            view.undo_top.is_some(),
        ) {
            commands.push(Command::Undo);
        }
        ui.separator();
        if menu_item(ui, "Find contact", Some(&SHORTCUT_SEARCH), true) {
            view.focus_search = true;
        }
        if menu_item(ui, "Edit contact…", None, selected.is_some())
            && let Some(id) = selected
        {
            commands.push(Command::EditContact(id));
        }
        if menu_item(ui, "Delete contact", None, selected.is_some())
            && let Some(id) = selected
        {
            commands.push(Command::TrashContact(id));
        }
        ui.separator();
        if menu_item(ui, "Find duplicates…", None, true) {
            commands.push(Command::OpenDuplicates);
        }
        if menu_item(ui, "Custom fields…", None, true) {
            commands.push(Command::CustomFields(
                crate::view::custom_fields::FieldsCommand::Open,
            ));
        }
    });
    privacy::contact_menu_ui(ui, view, commands);
    ui.menu_button("View", |ui| {
        if menu_item(ui, "Tags…", None, true) {
            commands.push(Command::OpenTags);
        }
        if menu_item(ui, "Who referred whom…", None, true) {
            commands.push(Command::OpenReferrals);
        }
        ui.separator();
        ui.checkbox(&mut view.prefs.show_contacts_panel, "Contacts panel");
        ui.checkbox(&mut view.prefs.show_timeline_panel, "Timeline panel");
        ui.separator();
        if menu_item(ui, "Zoom in", Some(&SHORTCUT_ZOOM_IN), true) {
            commands.push(Command::SetZoom(view.prefs.zoom + 0.25));
        }
        if menu_item(ui, "Zoom out", Some(&SHORTCUT_ZOOM_OUT), true) {
            commands.push(Command::SetZoom(view.prefs.zoom - 0.25));
        }
        for (label, zoom) in [
            ("100 %", 1.0),
            ("125 %", 1.25),
            ("150 %", 1.5),
            ("200 %", 2.0),
        ] {
            if ui.radio(view.prefs.zoom == zoom, label).clicked() {
                commands.push(Command::SetZoom(zoom));
            }
        }
        ui.separator();
        for (label, theme) in [
            ("Follow the system", Theme::System),
            ("Light", Theme::Light),
            ("Dark", Theme::Dark),
        ] {
            if ui.radio(view.prefs.theme == theme, label).clicked() {
                commands.push(Command::SetTheme(theme));
            }
        }
    });
    ui.menu_button("Help", |ui| {
        let list = egui::Button::new("Keyboard shortcuts").shortcut_text("?");
        if ui.add(list).clicked() {
            ui.ctx()
                .data_mut(|d| d.insert_temp(shortcut_list_id(), true));
        }
        if menu_item(ui, "About Rapport", None, true) {
            view.show_about = true;
        }
    });
}

fn status_bar_ui(ui: &mut egui::Ui, view: &mut ViewState, commands: &mut Vec<Command>) {
    team_live::lost_line_ui(ui, view);
    ui.horizontal(|ui| {
        // The database's name on the right first, so a long sentence on the left is cut short
        // (whole on hover) instead of running under it.
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            ui.label(
                egui::RichText::new(team_live::database_line(view))
                    .small()
                    .weak(),
            );
            ui.add_space(12.0);
            ui.with_layout(egui::Layout::left_to_right(egui::Align::Center), |ui| {
                status_line_ui(ui, view, commands);
            });
        });
    });
}

/// The last sentence and, beside the step on top of the history, its Undo.
fn status_line_ui(ui: &mut egui::Ui, view: &ViewState, commands: &mut Vec<Command>) {
    let Some(status) = &view.status else { return };
    let text = if status.is_error {
        egui::RichText::new(format!("⚠ {}", status.text)).color(ui.visuals().error_fg_color)
    } else {
        egui::RichText::new(&status.text)
    };
    // Only beside the line that reported the step on top of the history: any later message
    // (an export, a reminder, an error) has no undo of its own.
    let undo = status
        .undo
        .as_ref()
        .filter(|step| view.undo_top.as_ref() == Some(*step));
    let room = ui.available_width() - if undo.is_some() { 64.0 } else { 0.0 };
    ui.scope(|ui| {
        ui.set_max_width(room.max(40.0));
        ui.add(egui::Label::new(text).truncate())
            .on_hover_text(&status.text);
    });
    if let Some(step) = undo
        && ui
            .small_button("Undo")
            .on_hover_text(step.label.as_str())
            .clicked()
    {
        commands.push(Command::Undo);
    }
}
