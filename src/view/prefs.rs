//! The choices Rapport remembers between launches (eframe persistence): zoom, theme, the last
//! selection, which side panels are shown and the last team database's address. Plain data, read by the menus and kept by the app.

use serde::{Deserialize, Serialize};

/// UI choices remembered between launches (eframe persistence).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct Prefs {
    pub selected_contact: Option<i64>,
    pub zoom: f32,
    pub theme: Theme,
    /// View ▸ Contacts panel: the list on the left (hidden to give a small screen's width to
    /// the conversations).
    pub show_contacts_panel: bool,
    /// View ▸ Timeline panel: the relationship timeline on the right.
    pub show_timeline_panel: bool,
    /// File ▸ Team database: the last address connected to, never with its password
    /// (`team_dialog::without_password`), offered the next time the dialog opens.
    pub team_database: Option<String>,
    /// File ▸ Remind me even when Rapport is closed: `None` until asked (the first timed
    /// follow-up asks), then the answer.
    pub remind_when_closed: Option<bool>,
}

impl Prefs {
    /// Sets the window's zoom and theme to these choices.
    pub fn apply(&self, ctx: &egui::Context) {
        ctx.set_zoom_factor(self.zoom);
        ctx.set_theme(self.theme.preference());
    }
}

impl Default for Prefs {
    fn default() -> Self {
        Self {
            selected_contact: None,
            zoom: 1.0,
            theme: Theme::System,
            show_contacts_panel: true,
            show_timeline_panel: true,
            team_database: None,
            remind_when_closed: None,
        }
    }
}

/// Light, dark, or whatever the system says.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
pub enum Theme {
    System,
    Light,
    Dark,
}

impl Theme {
    pub fn preference(self) -> egui::ThemePreference {
        match self {
            Theme::System => egui::ThemePreference::System,
            Theme::Light => egui::ThemePreference::Light,
            Theme::Dark => egui::ThemePreference::Dark,
        }
    }
}
