//! The timeline report as CSV: one row per entry, stable column names, and every cell that a
//! spreadsheet could take for a formula neutralized (OWASP: a leading `'`).

use super::timeline_report::TimelineReport;

/// The header row. These names are a contract with people's spreadsheets: only ever append.
pub const COLUMNS: [&str; 12] = [
    "date",
    "time",
    "kind",
    "channel",
    "purpose",
    "outcome",
    "participants",
    "summary",
    "they_said",
    "they_need",
    "i_promised",
    "next_step",
];

/// Prefixes a `'` to a cell a spreadsheet would read as a formula (starting with `=`, `+`,
/// `-`, `@`, a tab or a carriage return), and to one that already starts with `'`s before such
/// a character, so that taking one `'` off on import (`import::records`) gives the text back.
pub fn neutralize(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.trim_start_matches('\'').chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}").into(),
        _ => cell.into(),
    }
}

/// Renders the entries as CSV (UTF-8, comma-separated, quoted where needed, `\n` line ends).
pub fn render(report: &TimelineReport) -> Result<Vec<u8>, super::ReportError> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::with_capacity(256 + report.entries.len() * 200));
    writer.write_record(COLUMNS)?;
    for e in &report.entries {
        let date = e.at.format("%Y-%m-%d").to_string();
        let time = if e.has_time {
            e.at.format("%H:%M").to_string()
        } else {
            String::new()
        };
        let participants = e.participants.join("; ");
        let cells: [&str; 12] = [
            &date,
            &time,
            e.kind.as_str(),
            &e.channel,
            &e.purpose,
            &e.outcome,
            &participants,
            &e.summary,
            &e.they_said,
            &e.they_need,
            &e.i_promised,
            &e.next_step,
        ];
        writer.write_record(cells.iter().map(|c| neutralize(c).into_owned()))?;
    }
    writer
        .into_inner()
        .map_err(|e| super::ReportError::Csv(e.into_error().into()))
}
