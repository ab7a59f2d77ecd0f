//! Contact ▸ Everything we hold… and Contact ▸ Erase completely…: the state of their two
//! dialogs (`ui::privacy` draws them, `app::privacy` does the work).

use crate::model::ContactId;

/// Where to write everything held about one person (the file's extension picks HTML or JSON).
#[derive(Debug, Clone)]
pub struct EverythingDialog {
    pub contact: ContactId,
    pub name: String,
    pub path: String,
    pub error: Option<String>,
}

/// "Erase Ana Lima completely?": asked before anything is deleted.
#[derive(Debug, Clone)]
pub struct EraseDialog {
    pub contact: ContactId,
    pub name: String,
    pub from_backups: bool,
}

impl EverythingDialog {
    /// Offers `<Documents>/<name> - everything we hold.html` (or the home folder).
    pub fn new(contact: ContactId, name: &str) -> Self {
        let folder = directories::UserDirs::new().map(|dirs| {
            dirs.document_dir()
                .unwrap_or_else(|| dirs.home_dir())
                .to_path_buf()
        });
        let file = format!(
            "{} - everything we hold.html",
            name.replace(['/', '\\'], "-")
        );
        let path = folder.map_or_else(|| file.clone(), |f| f.join(&file).display().to_string());
        Self {
            contact,
            name: name.to_owned(),
            path,
            error: None,
        }
    }
}
