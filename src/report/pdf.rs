//! The timeline report as a PDF, laid out by Typst compiled into Rapport: wrapped text, page
//! breaks, a header and page numbers on each page, and any script the machine has fonts for
//! (Typst's embedded fonts always, system fonts when found). Nothing is downloaded.
//!
//! The report goes to the template as JSON bytes in `sys.inputs.data`; the template shows the
//! values as text, so a name like `#set page(…)` or `*bold*` is printed as typed, never run.

mod data;
mod plan;
mod world;

use super::ReportError;
use super::timeline_report::TimelineReport;
use data::template_data;
use plan::{entry_weight, split_parts};
use serde_json::json;
use typst::foundations::Bytes;
use typst::layout::Point;
use typst::model::Document as _;
use typst_layout::{Page, PagedDocument};
use world::{ReportWorld, diagnostics_error, fonts};

const TEMPLATE: &str = include_str!("timeline.typ");
const PAGE_MARKS: &str = include_str!("page_marks.typ");

/// Prepares PDF export on another thread — finds the fonts and lays out an empty report, which
/// loads the fonts, the line-breaking data and Typst's library — so that an export started
/// soon after (the export dialog is open, or the command line asked for a PDF) does not wait
/// for any of it. The first report in a process took 0.3–0.6 s longer than the next ones.
pub fn warm_up() -> std::thread::JoinHandle<()> {
    // Once per process: a second warm-up would only compete with a real export for the cores.
    static STARTED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    let first = !STARTED.swap(true, std::sync::atomic::Ordering::SeqCst);
    std::thread::spawn(move || {
        if !first {
            return;
        }
        fonts();
        let header = super::timeline_report::ReportHeader {
            title: "Relationship timeline".to_owned(),
            subject: "Rapport".to_owned(),
            from: None,
            to: None,
            generated_at: chrono::NaiveDateTime::default(),
            generator: "Rapport".to_owned(),
            kinds: String::new(),
            includes_personal: false,
            single_contact: true,
            people: Vec::new(),
        };
        let report = TimelineReport {
            header,
            summary: Default::default(),
            entries: Vec::new(),
        };
        if let Err(e) = render(&report) {
            tracing::warn!("preparing PDF export: {e}");
        }
    })
}

/// At most this many parts of a report are laid out at once.
const MAX_PARTS: usize = 4;

/// The parts' pages one after another, numbered on from the first part's.
fn join_parts(parts: &[PagedDocument]) -> PagedDocument {
    let pages: typst::ecow::EcoVec<Page> = parts
        .iter()
        .flat_map(|part| part.pages().iter().cloned())
        .enumerate()
        .map(|(index, mut page)| {
            page.number = index as u64 + 1;
            page
        })
        .collect();
    let info = parts
        .first()
        .map(|part| part.info().clone())
        .unwrap_or_default();
    PagedDocument::new(pages, info)
}

/// Draws each page of `marks` (the running header and the footer with its page number) onto
/// the same page of `body`.
fn stamp(body: &PagedDocument, marks: &PagedDocument) -> PagedDocument {
    if marks.pages().len() != body.pages().len() {
        // Never the case (one mark page is laid out per report page); were it so, every page
        // of the report is still kept, some without their header.
        tracing::warn!(
            "{} header pages for {} report pages",
            marks.pages().len(),
            body.pages().len()
        );
    }
    let pages: typst::ecow::EcoVec<Page> = body
        .pages()
        .iter()
        .enumerate()
        .map(|(index, page)| {
            let mut page = page.clone();
            if let Some(mark) = marks.pages().get(index) {
                page.frame.push_frame(Point::zero(), mark.frame.clone());
            }
            page
        })
        .collect();
    PagedDocument::new(pages, body.info().clone())
}

/// Renders the report as PDF bytes.
pub fn render(report: &TimelineReport) -> Result<Vec<u8>, ReportError> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    render_in_parts(report, cores.min(MAX_PARTS))
}

/// Compiles each of `inputs` (template data as JSON, or the error preparing it) on a thread of
/// its own, all at once, and joins their pages in order: Typst evaluates a template on one
/// thread before laying it out on every core, so parts evaluated at once keep both cores busy
/// from the start. The first part, which has the heading and the people, also gets
/// `front_photos`, the avatars' photos.
fn compile_parts(
    name: &str,
    template: &str,
    inputs: Vec<Result<Vec<u8>, ReportError>>,
    front_photos: &[Bytes],
) -> Result<(PagedDocument, Vec<PagedDocument>), ReportError> {
    let parts: Vec<Result<PagedDocument, ReportError>> = std::thread::scope(|scope| {
        let started: Vec<_> = inputs
            .into_iter()
            .enumerate()
            .map(|(index, input)| {
                let photos = if index == 0 { front_photos } else { &[] };
                std::thread::Builder::new()
                    .name("pdf-part".to_owned())
                    .spawn_scoped(scope, move || {
                        ReportWorld::new(name, template, input?, photos).compile()
                    })
            })
            .collect();
        started
            .into_iter()
            .map(|part| match part {
                Ok(handle) => handle.join().unwrap_or_else(|panic| {
                    Err(ReportError::Pdf(format!(
                        "laying out the report failed: {}",
                        panic_message(panic.as_ref())
                    )))
                }),
                Err(e) => Err(ReportError::Pdf(format!(
                    "could not start laying out the report: {e}"
                ))),
            })
            .collect()
    });
    let parts = parts.into_iter().collect::<Result<Vec<_>, _>>()?;
    Ok((join_parts(&parts), parts))
}

/// What a panic said, when it said it as text.
fn panic_message(panic: &(dyn std::any::Any + Send)) -> &str {
    panic
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("an internal error")
}

/// Renders the report laid out in up to `parts` parts at once (one for a small report).
fn render_in_parts(report: &TimelineReport, parts: usize) -> Result<Vec<u8>, ReportError> {
    let prepare = std::time::Instant::now();
    let mut data = template_data(report);
    let weights: Vec<usize> = report.entries.iter().map(entry_weight).collect();
    let breaks: Vec<bool> = data.entries.iter().map(|e| e.page_break).collect();
    let parts = split_parts(&weights, &breaks, parts);
    // A part starts on a page of its own already.
    for part in &parts {
        if let Some(first) = data.entries.get_mut(part.start) {
            first.page_break = false;
        }
    }
    let inputs = || -> Vec<_> {
        parts
            .iter()
            .map(|range| {
                serde_json::to_vec(&data.part(range.clone()))
                    .map_err(|e| ReportError::Pdf(format!("could not prepare the data: {e}")))
            })
            .collect()
    };
    let prepared = prepare.elapsed();
    let started = std::time::Instant::now();
    let (body, body_parts) = match compile_parts("timeline.typ", TEMPLATE, inputs(), &data.photos) {
        // A photo Typst cannot decode (only a crafted or damaged file holds one: the store
        // keeps what it decoded itself) fails the whole layout; the report is then laid out
        // again with initials for everyone rather than not written at all.
        Err(error) if !data.photos.is_empty() => {
            tracing::warn!(
                "laying out the report with its photos failed ({error}); again with initials"
            );
            compile_parts("timeline.typ", TEMPLATE, inputs(), &[])?
        }
        result => result?,
    };
    let laid_out = started.elapsed();
    // The running header and "Page n of N" for every page, in as many parts as the body.
    let h = &report.header;
    let pages = body.pages().len();
    let inputs: Vec<_> = (0..parts.len())
        .map(|part| {
            let first = pages * part / parts.len() + 1;
            let last = pages * (part + 1) / parts.len();
            serde_json::to_vec(&json!({
                "pages": pages,
                "first": first,
                "last": last,
                "header_left": format!("{} · {}", h.title, h.subject),
                "header_right": format!("Generated {}", h.generated()),
                "footer_left": h.generator,
            }))
            .map_err(|e| ReportError::Pdf(format!("could not prepare the page numbers: {e}")))
        })
        .collect();
    let (marks, marks_parts) = compile_parts("page_marks.typ", PAGE_MARKS, inputs, &[])?;
    let document = stamp(&body, &marks);
    let marked = started.elapsed() - laid_out;
    // Typst memoizes layout across compilations; a report is made once, so free its caches —
    // on another thread, while this one writes the PDF.
    std::thread::spawn(move || {
        drop((body_parts, body, marks_parts, marks));
        comemo::evict(0);
    });
    let write = std::time::Instant::now();
    let options = typst_pdf::PdfOptions {
        tagged: false,
        ..Default::default()
    };
    let pdf = typst_pdf::pdf(&document, &options).map_err(|errors| diagnostics_error(&errors))?;
    tracing::debug!(
        "PDF report: {} entries, {} pages in {} parts; data prepared in {} ms, laid out in {} ms, headers and page numbers in {} ms, written in {} ms",
        report.entries.len(),
        document.pages().len(),
        parts.len(),
        prepared.as_millis(),
        laid_out.as_millis(),
        marked.as_millis(),
        write.elapsed().as_millis()
    );
    // 900 pages of frames take a moment to free: not while the user waits.
    std::thread::spawn(move || drop(document));
    Ok(pdf)
}
#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::timeline_report::ReportHeader;
    use plan::sections;
    use plan::tests::{at, entries};

    fn pdf_text(pdf: &[u8]) -> String {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("report.pdf");
        std::fs::write(&path, pdf).expect("write");
        let out = std::process::Command::new("pdftotext")
            .arg("-layout")
            .arg(&path)
            .arg("-")
            .output()
            .expect("pdftotext (apt-get install poppler-utils)");
        assert!(out.status.success());
        String::from_utf8(out.stdout).expect("text")
    }

    #[test]
    fn a_report_laid_out_in_parts_prints_the_same_pages_as_laid_out_whole() {
        let report = TimelineReport {
            header: ReportHeader {
                title: "Relationship timeline".into(),
                subject: "Ana Lima".into(),
                from: None,
                to: None,
                generated_at: at("2026-11-20 09:00"),
                generator: "Rapport test".into(),
                kinds: "conversations".into(),
                includes_personal: false,
                single_contact: true,
                people: Vec::new(),
            },
            summary: Default::default(),
            entries: entries("2024-10-01 09:00", 400, 60, 300),
        };
        let weights: Vec<usize> = report.entries.iter().map(entry_weight).collect();
        let breaks: Vec<bool> = sections(&report.entries)
            .iter()
            .map(|s| s.page_break)
            .collect();
        assert_eq!(
            split_parts(&weights, &breaks, 3).len(),
            3,
            "three parts made"
        );
        let whole = pdf_text(&render_in_parts(&report, 1).expect("whole"));
        let in_three = pdf_text(&render_in_parts(&report, 3).expect("in parts"));
        let pages = whole.matches('\u{c}').count();
        assert!(pages > 20, "{pages} pages");
        assert!(whole.contains(&format!("Page {pages} of {pages}")));
        assert!(whole.contains("OCTOBER 2024") && whole.contains("DECEMBER 2025"));
        assert_eq!(whole, in_three, "the same text on the same pages");
    }
}
