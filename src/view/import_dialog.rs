//! File > Import contacts, its state: the path, the phone country, the preview of a file read
//! and planned, progress while the import runs. `ui::import_dialog` draws it; the app reads the
//! file and plans and applies the import.

use crate::import::ParsedFile;
use crate::store::import::ImportPlan;

/// The dialog's state: the path typed or picked, and the preview once a file was read.
#[derive(Debug, Clone, Default)]
pub struct ImportDialog {
    pub path: String,
    pub region: String,
    pub preview: Option<ImportPreview>,
    pub error: Option<String>,
    /// Contacts written so far and in all, while the import runs.
    pub progress: Option<(usize, usize)>,
    /// Which list the preview shows.
    pub page: PreviewPage,
    /// Set once the path field was given the keyboard on opening, so a click elsewhere keeps it.
    pub path_focused: bool,
}

/// The two lists of the preview.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum PreviewPage {
    /// Row by row: created, merged, already here, skipped, and notes.
    #[default]
    Plan,
    /// Each column of the file and the field it goes to.
    Columns,
}

/// A file read and planned, not yet applied.
#[derive(Debug, Clone)]
pub struct ImportPreview {
    pub file_name: String,
    pub parsed: ParsedFile,
    pub plan: ImportPlan,
}
