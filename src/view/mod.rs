//! The view layer: what the panels read and what they ask for, as plain data. The app fills it
//! after each command; `ui` draws it and pushes `Command`s. Both depend on this module and it on
//! neither, so the panels never name the app that runs them (rerun's `viewer_context` sits
//! between its store and its UI the same way). The dialogs' state lives here with the methods
//! that check and convert it (`new`, `to_draft`, `is_dirty` …); drawing stays in `ui`.

pub mod bulk;
mod command;
pub mod contact_form;
pub mod conversation_form;
pub mod conversation_import;
pub mod custom_fields;
mod dashboard;
pub mod duplicates;
pub mod export_calendar;
pub mod export_contacts;
pub mod export_dialog;
pub mod follow_up_offer;
mod form_session;
pub mod history;
pub mod import_dialog;
pub mod paged;
pub mod photos;
mod prefs;
pub mod privacy;
pub mod protect;
pub mod relationships;
mod state;
pub mod tags_dialog;
pub mod team_dialog;
pub mod team_live;

pub use command::Command;
pub use dashboard::{ATTENTION_SHOWN, CHART_WEEKS, DashboardData};
pub use form_session::FormSession;
pub use prefs::{Prefs, Theme};
pub use state::{
    DatabaseName, MainView, Recovery, SelectedContact, StatusLine, TodayData, UndoMark, ViewState,
};
