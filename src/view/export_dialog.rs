//! File ▸ Export timeline report, its state: scope, period, kinds, privacy, format, where, and
//! progress while the export thread runs; checked and turned into a `ReportRequest`.
//! `ui::export_dialog` draws it.

use crate::model::{ContactId, EntryKinds, OrganizationId, ReportRequest, ReportScope};
use crate::report::ReportFormat;
use chrono::NaiveDate;

/// Which scope the dialog's radio buttons point at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScopeChoice {
    Contact,
    Organization,
    Tag,
    Everyone,
}

/// The state of the export dialog.
#[derive(Clone, Debug)]
pub struct ExportDialog {
    pub scope: ScopeChoice,
    /// The contact the dialog was opened on, if any.
    pub contact: Option<(ContactId, String)>,
    /// That contact's organization (or the organization view's), if any.
    pub organization: Option<(OrganizationId, String)>,
    pub tag: String,
    /// First and last day, typed as YYYY-MM-DD; blank is open-ended.
    pub from: String,
    pub to: String,
    pub kinds: EntryKinds,
    pub include_personal: bool,
    /// True once the user set the privacy switch themselves: scope changes then leave it alone.
    pub personal_chosen: bool,
    pub format: ReportFormat,
    pub path: String,
    pub error: Option<String>,
    /// While the export runs: steps done of total, and what is happening.
    pub progress: Option<(usize, usize, String)>,
    /// The file just written, with the sentence saying so.
    pub written: Option<(std::path::PathBuf, String)>,
}

impl ExportDialog {
    /// A dialog on `scope`, saving into `folder`.
    pub fn new(
        scope: ScopeChoice,
        contact: Option<(ContactId, String)>,
        organization: Option<(OrganizationId, String)>,
        folder: &std::path::Path,
    ) -> Self {
        let mut dialog = Self {
            scope,
            contact,
            organization,
            tag: String::new(),
            from: String::new(),
            to: String::new(),
            kinds: EntryKinds::default(),
            include_personal: scope == ScopeChoice::Contact,
            personal_chosen: false,
            format: ReportFormat::Pdf,
            path: String::new(),
            error: None,
            progress: None,
            written: None,
        };
        dialog.path = folder
            .join(format!(
                "{}.{}",
                dialog.file_stem(),
                dialog.format.extension()
            ))
            .display()
            .to_string();
        dialog
    }

    /// A file name for the chosen scope: "timeline-maria-garcia".
    pub fn file_stem(&self) -> String {
        let who = match self.scope {
            ScopeChoice::Contact => self.contact.as_ref().map(|c| c.1.clone()),
            ScopeChoice::Organization => self.organization.as_ref().map(|o| o.1.clone()),
            ScopeChoice::Tag => Some(format!("tag {}", self.tag)),
            ScopeChoice::Everyone => Some("everyone".to_owned()),
        }
        .unwrap_or_default();
        let slug: String = who
            .chars()
            .map(|c| {
                if c.is_alphanumeric() {
                    c.to_lowercase().next().unwrap_or(c)
                } else {
                    '-'
                }
            })
            .collect();
        let slug = slug
            .split('-')
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join("-");
        if slug.is_empty() {
            "timeline".to_owned()
        } else {
            format!("timeline-{slug}")
        }
    }

    /// Checks the choices and turns them into a request, or says what to fix.
    pub fn request(&self) -> Result<ReportRequest, String> {
        let scope = match self.scope {
            ScopeChoice::Contact => ReportScope::Contact(
                self.contact
                    .as_ref()
                    .ok_or("Select a contact first, or choose another scope.")?
                    .0,
            ),
            ScopeChoice::Organization => ReportScope::Organization(
                self.organization
                    .as_ref()
                    .ok_or("This contact has no organization; choose another scope.")?
                    .0,
            ),
            ScopeChoice::Tag => {
                if self.tag.trim().is_empty() {
                    return Err("Type the tag whose people the report covers.".to_owned());
                }
                ReportScope::Tag(self.tag.trim().to_owned())
            }
            ScopeChoice::Everyone => ReportScope::Everyone,
        };
        let day = |text: &str, which: &str| -> Result<Option<NaiveDate>, String> {
            let text = text.trim();
            if text.is_empty() {
                return Ok(None);
            }
            NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .map(Some)
                .map_err(|_| {
                    format!(
                        "\"{text}\" is not a {which} date; write it as YYYY-MM-DD, e.g. 2026-03-14."
                    )
                })
        };
        let from = day(&self.from, "start")?;
        let to = day(&self.to, "end")?;
        if let (Some(from), Some(to)) = (from, to)
            && from > to
        {
            return Err("The start date is after the end date; swap them.".to_owned());
        }
        if self.path.trim().is_empty() {
            return Err("Type where to save the file, or press Choose….".to_owned());
        }
        Ok(ReportRequest {
            scope,
            from,
            to,
            kinds: self.kinds,
            include_personal: self.include_personal,
        })
    }
}
