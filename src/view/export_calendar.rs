//! File ▸ Export calendar, its state: where to save the ICS file and why it failed.
//! `ui::export_calendar` draws it.

#[derive(Debug, Clone)]
pub struct CalendarExport {
    pub path: String,
    pub error: Option<String>,
}
