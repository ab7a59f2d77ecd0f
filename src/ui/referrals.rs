//! View ▸ Who referred whom: everyone who referred someone, with how many and how many of
//! them are customers; sorted by a click on a column's heading, filtered by a name (theirs or
//! one they referred). A name opens that person; "+ n more" lists all whom one referred.
//! Only the rows on screen are drawn.

use crate::view::relationships::{ReferralSort, ReferralsWindow};
use crate::view::{Command, ViewState};

const ROW_HEIGHT: f32 = 22.0;
const NAME_WIDTH: f32 = 170.0;
const COUNT_WIDTH: f32 = 80.0;
/// How many of whom someone referred a row names.
const NAMED_IN_ROW: usize = 3;

pub(super) fn referrals_ui(ctx: &egui::Context, view: &mut ViewState, commands: &mut Vec<Command>) {
    let Some(window) = &mut view.relationships.referrals else {
        return;
    };
    let mut open = true;
    egui::Window::new("Who referred whom")
        .open(&mut open)
        .default_size([620.0, 440.0])
        .max_width((ctx.content_rect().width() - 24.0).max(280.0))
        .show(ctx, |ui| {
            if window.referrers.is_empty() {
                ui.label("No referrals recorded yet. On the page of someone who came through another customer, use Add relationship… and choose Referred by.");
                return;
            }
            filter_ui(ui, window);
            ui.label(egui::RichText::new(window.summary()).weak());
            ui.separator();
            headings_ui(ui, window);
            let height = (ui.available_height() - chosen_height(window)).max(ROW_HEIGHT * 3.0);
            egui::ScrollArea::vertical()
                .max_height(height)
                .auto_shrink([false, true])
                .show_rows(ui, ROW_HEIGHT, window.shown.len(), |ui, range| {
                    for index in range {
                        row_ui(ui, window, index, commands);
                    }
                });
            chosen_ui(ui, window, commands);
        });
    if !open {
        view.relationships.referrals = None;
    }
}

fn filter_ui(ui: &mut egui::Ui, window: &mut ReferralsWindow) {
    ui.horizontal(|ui| {
        let label = ui.label("Find a name");
        let typed = ui
            .add(
                egui::TextEdit::singleline(&mut window.filter)
                    .hint_text("who referred, or whom")
                    .desired_width(220.0),
            )
            .labelled_by(label.id);
        if typed.changed() {
            window.refresh();
        }
    });
}

/// A cell of a row: a fixed width, the row's height, left to right.
fn cell<R>(ui: &mut egui::Ui, width: f32, add: impl FnOnce(&mut egui::Ui) -> R) -> R {
    ui.allocate_ui_with_layout(
        egui::vec2(width, ROW_HEIGHT),
        egui::Layout::left_to_right(egui::Align::Center),
        |ui| {
            ui.set_width(width);
            add(ui)
        },
    )
    .inner
}

/// The column headings; a click sorts by that column (again: the other way round).
fn headings_ui(ui: &mut egui::Ui, window: &mut ReferralsWindow) {
    let arrow = |sort: ReferralSort| match (window.sort == sort, window.reversed) {
        (false, _) => "",
        (true, false) => " ⬇",
        (true, true) => " ⬆",
    };
    let columns = [
        (ReferralSort::Name, "Who referred", NAME_WIDTH),
        (ReferralSort::Referred, "Referred", COUNT_WIDTH),
        (ReferralSort::Customers, "Customers", COUNT_WIDTH),
    ];
    let mut clicked = None;
    ui.horizontal(|ui| {
        for (sort, title, width) in columns {
            let text = format!("{title}{}", arrow(sort));
            let heading = cell(ui, width, |ui| {
                ui.selectable_label(window.sort == sort, egui::RichText::new(text).strong())
            });
            if heading
                .on_hover_text(format!("Sort by {}", title.to_lowercase()))
                .clicked()
            {
                clicked = Some(sort);
            }
        }
        ui.label(egui::RichText::new("Whom").strong());
    });
    if let Some(sort) = clicked {
        window.sort_by(sort);
    }
}

fn row_ui(
    ui: &mut egui::Ui,
    window: &mut ReferralsWindow,
    index: usize,
    commands: &mut Vec<Command>,
) {
    let Some(referrer) = window
        .shown
        .get(index)
        .and_then(|&i| window.referrers.get(i))
    else {
        return;
    };
    let mut choose = false;
    ui.horizontal(|ui| {
        ui.set_height(ROW_HEIGHT);
        cell(ui, NAME_WIDTH, |ui| {
            let link = egui::Link::new(&referrer.name);
            if ui
                .add(link)
                .on_hover_text(format!("Open {}", referrer.name))
                .clicked()
            {
                commands.push(Command::OpenContact(referrer.id));
            }
        });
        cell(ui, COUNT_WIDTH, |ui| {
            ui.label(referrer.referred.len().to_string())
        });
        cell(ui, COUNT_WIDTH, |ui| {
            ui.label(referrer.customers.to_string())
        });
        for (id, name) in referrer.referred.iter().take(NAMED_IN_ROW) {
            if ui
                .link(name)
                .on_hover_text(format!("Open {name}"))
                .clicked()
            {
                commands.push(Command::OpenContact(*id));
            }
        }
        let more = referrer.referred.len().saturating_sub(NAMED_IN_ROW);
        if more > 0
            && ui
                .link(format!("+ {more} more"))
                .on_hover_text(format!("Everyone {} referred", referrer.name))
                .clicked()
        {
            choose = true;
        }
    });
    if choose {
        window.chosen = Some(referrer.id);
    }
}

/// The room `chosen_ui` takes below the rows.
fn chosen_height(window: &ReferralsWindow) -> f32 {
    if window.chosen_referrer().is_some() {
        ROW_HEIGHT * 4.0
    } else {
        0.0
    }
}

/// Everyone one person referred, in full (after "+ n more").
fn chosen_ui(ui: &mut egui::Ui, window: &mut ReferralsWindow, commands: &mut Vec<Command>) {
    let Some(referrer) = window.chosen_referrer() else {
        return;
    };
    let mut close = false;
    ui.separator();
    egui::ScrollArea::vertical()
        .id_salt("referred_in_full")
        .max_height(ROW_HEIGHT * 3.0)
        .show(ui, |ui| {
            ui.horizontal_wrapped(|ui| {
                ui.label(egui::RichText::new(format!("{} referred:", referrer.name)).strong());
                for (id, name) in &referrer.referred {
                    if ui.link(name).clicked() {
                        commands.push(Command::OpenContact(*id));
                    }
                }
                close = ui.small_button("Close list").clicked();
            });
        });
    if close {
        window.chosen = None;
    }
}
