//! The timeline report as a PDF, laid out by Typst compiled into Rapport: wrapped text, page
//! breaks, a header and page numbers on each page, and any script the machine has fonts for
//! (Typst's embedded fonts always, system fonts when found). Nothing is downloaded.
//!
//! The report goes to the template as JSON bytes in `sys.inputs.data`; the template shows the
//! values as text, so a name like `#set page(…)` or `*bold*` is printed as typed, never run.

use super::ReportError;
use super::timeline_report::{TimelineReport, personal_lines, shown_participants, summary_lines};
use serde_json::{Value, json};
use std::sync::OnceLock;
use typst::foundations::{Bytes, Dict, IntoValue as _};
use typst_as_lib::TypstEngine;
use typst_as_lib::typst_kit_options::TypstKitFontOptions;

const TEMPLATE: &str = include_str!("timeline.typ");

type Engine = TypstEngine<typst_as_lib::TypstTemplateMainFile>;

/// The engine with its fonts, found once per process: scanning system fonts takes a moment.
fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        TypstEngine::builder()
            .main_file(TEMPLATE)
            .search_fonts_with(
                TypstKitFontOptions::default()
                    .include_system_fonts(true)
                    .include_embedded_fonts(true),
            )
            .build()
    })
}

fn text_lines(text: &str) -> Value {
    Value::from(
        text.lines()
            .map(|l| Value::from(l.trim_end()))
            .collect::<Vec<_>>(),
    )
}

/// The report as the JSON the template reads (everything pre-formatted as text).
fn template_data(report: &TimelineReport) -> Value {
    let h = &report.header;
    let people: Vec<Value> = h
        .people
        .iter()
        .map(|p| {
            let role = [p.title.trim(), p.organization.trim()]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(", ");
            let personal: Vec<Value> = p
                .personal
                .as_ref()
                .map(|d| {
                    personal_lines(d)
                        .into_iter()
                        .map(|(label, text)| json!({"label": label, "lines": text_lines(&text)}))
                        .collect()
                })
                .unwrap_or_default();
            json!({"name": p.display_name, "role": role, "personal": personal})
        })
        .collect();
    // The headline numbers become cards at the top of the summary; the rest a table.
    const CARDS: [&str; 4] = ["Touches", "Last contact", "In person", "Open follow-ups"];
    let (cards, rest): (Vec<_>, Vec<_>) = summary_lines(&report.summary)
        .into_iter()
        .partition(|(label, _)| CARDS.contains(label));
    let as_json = |lines: Vec<(&str, String)>| -> Vec<Value> {
        lines
            .into_iter()
            .map(|(label, value)| json!({"label": label, "value": value}))
            .collect()
    };
    let cards = as_json(cards);
    let summary = as_json(rest);
    let needs: Vec<Value> = report
        .summary
        .open_needs
        .iter()
        .map(|n| {
            json!({"when": n.at.format("%-d %b %Y").to_string(), "who": n.who,
                   "lines": text_lines(&n.need)})
        })
        .collect();
    // Big reports start each year on a new page: the page runs between breaks are laid out
    // in parallel, and a printed year reads well on its own pages.
    let break_years = report.entries.len() > 150;
    let mut previous_year = None;
    let entries: Vec<Value> = report
        .entries
        .iter()
        .map(|e| {
            let year = chrono::Datelike::year(&e.at);
            let new_year = previous_year != Some(year);
            let page_break = new_year && break_years && previous_year.is_some();
            previous_year = Some(year);
            let meta = [e.channel.as_str(), e.purpose.as_str(), e.outcome.as_str()]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" · ");
            let notes: Vec<Value> = e
                .notes()
                .into_iter()
                .map(|(label, text)| json!({"label": label, "lines": text_lines(text)}))
                .collect();
            json!({
                "when": e.when_long(),
                "kind": e.kind.as_str(),
                "kind_label": e.kind.label(),
                "meta": meta,
                "with": shown_participants(report, e).unwrap_or_default(),
                "summary": text_lines(&e.summary),
                "notes": notes,
                "year": if new_year { year.to_string() } else { String::new() },
                "page_break": page_break,
                "long": e.summary.len() + e.they_said.len() + e.they_need.len()
                    + e.i_promised.len() + e.next_step.len() > 700,
            })
        })
        .collect();
    json!({
        "header": {
            "title": h.title,
            "subject": h.subject,
            "period": h.period(),
            "kinds": h.kinds,
            "generated": h.generated(),
            "generator": h.generator,
            "people": people,
            "show_people": super::timeline_report::lists_people(h),
        },
        "cards": cards,
        "summary": summary,
        "needs": needs,
        "entries": entries,
    })
}

/// Renders the report as PDF bytes.
pub fn render(report: &TimelineReport) -> Result<Vec<u8>, ReportError> {
    let data = serde_json::to_vec(&template_data(report))
        .map_err(|e| ReportError::Pdf(format!("could not prepare the data: {e}")))?;
    let started = std::time::Instant::now();
    let mut inputs = Dict::new();
    inputs.insert("data".into(), Bytes::new(data).into_value());
    let document: typst_layout::PagedDocument = engine()
        .compile_with_input(inputs)
        .output
        .map_err(|e| match e {
            typst_as_lib::TypstAsLibError::TypstSource(diagnostics) => ReportError::Pdf(
                diagnostics
                    .iter()
                    .map(|d| d.message.to_string())
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
            other => ReportError::Pdf(other.to_string()),
        })?;
    let laid_out = started.elapsed();
    let options = typst_pdf::PdfOptions::default();
    let pdf = typst_pdf::pdf(&document, &options).map_err(|errors| {
        ReportError::Pdf(
            errors
                .iter()
                .map(|e| e.message.to_string())
                .collect::<Vec<_>>()
                .join("; "),
        )
    })?;
    tracing::debug!(
        "PDF report: {} entries, {} pages laid out in {} ms, written in {} ms",
        report.entries.len(),
        document.pages().len(),
        laid_out.as_millis(),
        (started.elapsed() - laid_out).as_millis()
    );
    Ok(pdf)
}
