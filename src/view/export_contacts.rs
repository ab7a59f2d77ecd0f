//! File ▸ Export contacts, its state: whose, vCard or CSV, where, and whether the export thread
//! is running; checked and turned into a `ReportScope`. `ui::export_contacts` draws it.

use crate::model::{ContactId, OrganizationId, ReportScope};
use crate::report::contacts::ContactFormat;

/// Whose contacts the radio buttons point at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ContactScopeChoice {
    Everyone,
    Tag,
    Organization,
    /// The contacts chosen in the list (the bulk bar's Export…).
    Chosen,
}

/// The state of the contact export dialog.
#[derive(Clone, Debug)]
pub struct ContactExportDialog {
    pub scope: ContactScopeChoice,
    pub tag: String,
    /// The selected contact's organization, if any.
    pub organization: Option<(OrganizationId, String)>,
    /// The contacts chosen in the list when the dialog opened (empty: none).
    pub chosen: Vec<ContactId>,
    pub format: ContactFormat,
    pub path: String,
    pub error: Option<String>,
    /// True while the file is being written.
    pub running: bool,
    /// The sentence saying what was written.
    pub written: Option<String>,
}

impl ContactExportDialog {
    /// A dialog exporting everyone as vCard into `folder`.
    pub fn new(organization: Option<(OrganizationId, String)>, folder: &std::path::Path) -> Self {
        let format = ContactFormat::VCard;
        Self {
            scope: ContactScopeChoice::Everyone,
            tag: String::new(),
            organization,
            chosen: Vec::new(),
            format,
            path: folder
                .join(format!("rapport-contacts.{}", format.extension()))
                .display()
                .to_string(),
            error: None,
            running: false,
            written: None,
        }
    }

    /// Checks the choices and turns them into a scope, or says what to fix.
    pub fn scope(&self) -> Result<ReportScope, String> {
        let scope = match self.scope {
            ContactScopeChoice::Everyone => ReportScope::Everyone,
            ContactScopeChoice::Tag => {
                if self.tag.trim().is_empty() {
                    return Err("Type the tag whose people to export.".to_owned());
                }
                ReportScope::Tag(self.tag.trim().to_owned())
            }
            ContactScopeChoice::Organization => ReportScope::Organization(
                self.organization
                    .as_ref()
                    .ok_or("Select a contact with an organization first, or choose another scope.")?
                    .0,
            ),
            ContactScopeChoice::Chosen => {
                if self.chosen.is_empty() {
                    return Err(
                        "Choose the contacts in the list first, or choose another scope."
                            .to_owned(),
                    );
                }
                ReportScope::Contacts(self.chosen.clone())
            }
        };
        if self.path.trim().is_empty() {
            return Err("Type where to save the file, or press Choose….".to_owned());
        }
        Ok(scope)
    }
}
