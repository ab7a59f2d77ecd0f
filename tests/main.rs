//! One integration test binary (wgpu is linked once): store, CLI and UI tests.

mod calendar_export_tests;
mod cli_labels_tests;
mod cli_tests;
mod common;
mod contact_export_tests;
mod crash_tests;
mod dashboard_tests;
mod follow_up_tests;
mod hostile_tests;
mod import_last_mile_tests;
mod import_tests;
mod keyring_tests;
mod laptop_content_tests;
mod laptop_ui_tests;
mod photo_tests;
mod report_tests;
mod safety_tests;
mod store_tests;
mod team_app_tests;
mod team_files_tests;
mod team_guard_tests;
mod team_live_tests;
mod team_tests;
mod ui_tests;
mod undo_tests;
mod vcard_export_tests;
