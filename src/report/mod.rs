//! Turning model values into files people keep: calendar (ICS), the relationship timeline
//! report (PDF, HTML, CSV, Markdown) and contacts (`contacts`: vCard 4.0, Google CSV). No SQL,
//! no egui: the store gathers `ReportData`, `timeline_report::build` makes the report value,
//! and each renderer draws that value.

pub mod contacts;
pub mod csv;
pub mod everything;
pub mod html;
pub mod ics;
pub mod markdown;
pub mod pdf;
pub mod timeline_report;

pub use timeline_report::{TimelineReport, build, summarize};

/// What can go wrong while rendering a report.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("Could not write the CSV: {0}")]
    Csv(#[from] ::csv::Error),
    #[error("Could not lay out the PDF: {0}")]
    Pdf(String),
}

/// The file formats a timeline report can be written in.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum ReportFormat {
    #[default]
    Pdf,
    Html,
    Csv,
    Markdown,
}

impl ReportFormat {
    pub const ALL: [ReportFormat; 4] = [
        ReportFormat::Pdf,
        ReportFormat::Html,
        ReportFormat::Csv,
        ReportFormat::Markdown,
    ];

    /// The usual file extension.
    pub fn extension(self) -> &'static str {
        match self {
            ReportFormat::Pdf => "pdf",
            ReportFormat::Html => "html",
            ReportFormat::Csv => "csv",
            ReportFormat::Markdown => "md",
        }
    }

    /// The words shown to people.
    pub fn label(self) -> &'static str {
        match self {
            ReportFormat::Pdf => "PDF (to print)",
            ReportFormat::Html => "Web page (HTML)",
            ReportFormat::Csv => "Spreadsheet (CSV)",
            ReportFormat::Markdown => "Markdown",
        }
    }

    /// The format for a command-line name (`pdf`, `html`, `csv`, `md`/`markdown`).
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "pdf" => Some(ReportFormat::Pdf),
            "html" | "htm" => Some(ReportFormat::Html),
            "csv" => Some(ReportFormat::Csv),
            "md" | "markdown" => Some(ReportFormat::Markdown),
            _ => None,
        }
    }

    /// The format a file name's extension suggests.
    pub fn from_path(path: &std::path::Path) -> Option<Self> {
        path.extension()
            .and_then(|e| e.to_str())
            .and_then(Self::parse)
    }
}

/// Renders a report in `format` to the bytes of a file.
pub fn render(report: &TimelineReport, format: ReportFormat) -> Result<Vec<u8>, ReportError> {
    match format {
        ReportFormat::Pdf => pdf::render(report),
        ReportFormat::Html => Ok(html::render(report).into_bytes()),
        ReportFormat::Csv => csv::render(report),
        ReportFormat::Markdown => Ok(markdown::render(report).into_bytes()),
    }
}
