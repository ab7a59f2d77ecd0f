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
use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Dict, IntoValue as _};
use typst::layout::Point;
use typst::model::Document as _;
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt as _};
use typst_kit::fonts::FontStore;
use typst_layout::{Page, PagedDocument};

const TEMPLATE: &str = include_str!("timeline.typ");
const PAGE_MARKS: &str = include_str!("page_marks.typ");

/// Typst's embedded fonts first (so "Libertinus Serif" is always the same font), then the
/// system's, found once per process: scanning takes a moment. Each font is read from disk the
/// first time a report needs it and kept: `typst-as-lib` 0.17, used before, read and hashed a
/// system font again every time layout asked for it (a tenth of a 10,000-entry report's time).
fn fonts() -> &'static FontStore {
    static FONTS: OnceLock<FontStore> = OnceLock::new();
    FONTS.get_or_init(|| {
        let started = std::time::Instant::now();
        let mut store = FontStore::new();
        store.extend(typst_kit::fonts::embedded());
        store.extend(typst_kit::fonts::system());
        tracing::debug!(
            "fonts for PDF reports found in {} ms",
            started.elapsed().as_millis()
        );
        store
    })
}

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

/// What Typst sees while laying out one report: the template, the report's data as
/// `sys.inputs.data`, and the fonts. No files, no packages, no network.
struct ReportWorld {
    library: LazyHash<Library>,
    main: Source,
}

impl ReportWorld {
    fn new(name: &str, template: &str, data: Vec<u8>) -> Self {
        let mut inputs = Dict::new();
        inputs.insert("data".into(), Bytes::new(data).into_value());
        let path = VirtualPath::new(name).expect("a valid template path");
        let id = RootedPath::new(VirtualRoot::Project, path).intern();
        ReportWorld {
            library: LazyHash::new(Library::builder().with_inputs(inputs).build()),
            main: Source::new(id, template.to_owned()),
        }
    }

    /// Lays the template out as pages.
    fn compile(&self) -> Result<PagedDocument, ReportError> {
        typst::compile::<PagedDocument>(self)
            .output
            .map_err(|diagnostics| diagnostics_error(&diagnostics))
    }
}

/// Typst's errors as one sentence.
fn diagnostics_error(diagnostics: &[typst::diag::SourceDiagnostic]) -> ReportError {
    ReportError::Pdf(
        diagnostics
            .iter()
            .map(|d| d.message.to_string())
            .collect::<Vec<_>>()
            .join("; "),
    )
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

impl typst::World for ReportWorld {
    fn library(&self) -> &LazyHash<Library> {
        &self.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        fonts().book()
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn file(&self, _id: FileId) -> FileResult<Bytes> {
        Err(FileError::AccessDenied)
    }

    fn font(&self, index: usize) -> Option<Font> {
        fonts().font(index)
    }

    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        None
    }
}

/// The report as the JSON the template reads (everything pre-formatted as text).
fn template_data(report: &TimelineReport) -> TemplateData<'_> {
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
                        .map(|(label, text)| json!({"label": label, "lines": line_list(&text)}))
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
                   "lines": line_list(&n.need)})
        })
        .collect();
    // Big reports start each year on a new page: the page runs between breaks are laid out
    // in parallel, and a printed year reads well on its own pages.
    let break_years = report.entries.len() > 150;
    let mut previous_year = None;
    let entries: Vec<EntryData<'_>> = report
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
            let mut tag = e.kind.label().to_uppercase();
            if !meta.is_empty() {
                tag.push_str(" · ");
                tag.push_str(&meta.to_uppercase());
            }
            EntryData {
                when: e.when_long(),
                kind: e.kind.as_str(),
                tag,
                with: shown_participants(report, e).unwrap_or_default(),
                summary: line_text(&e.summary),
                notes: e
                    .notes()
                    .into_iter()
                    .map(|(label, text)| NoteData {
                        label,
                        text: line_text(text),
                    })
                    .collect(),
                year: if new_year {
                    year.to_string()
                } else {
                    String::new()
                },
                page_break,
                long: e.summary.len()
                    + e.they_said.len()
                    + e.they_need.len()
                    + e.i_promised.len()
                    + e.next_step.len()
                    > 700,
            }
        })
        .collect();
    TemplateData {
        header: json!({
            "title": h.title,
            "subject": h.subject,
            "period": h.period(),
            "kinds": h.kinds,
            "generated": h.generated(),
            "generator": h.generator,
            "people": people,
            "show_people": super::timeline_report::lists_people(h),
        }),
        cards,
        summary,
        needs,
        entries,
    }
}

/// What the template reads, serialized straight to JSON: the entries (nearly all of a big
/// report) as typed rows rather than a tree of `Value`s, which took 150 ms for 10,000.
#[derive(serde::Serialize)]
struct TemplateData<'a> {
    header: Value,
    cards: Vec<Value>,
    summary: Vec<Value>,
    needs: Vec<Value>,
    entries: Vec<EntryData<'a>>,
}

/// One timeline entry, as finished text: Typst evaluates the template's loop once per entry
/// on one thread, so the less it computes there, the sooner layout (on every core) begins.
/// Multi-line notes keep their line breaks as `\n`, which Typst breaks lines at.
#[derive(serde::Serialize)]
struct EntryData<'a> {
    when: String,
    kind: &'static str,
    /// "CONVERSATION · VISIT · SALES".
    tag: String,
    with: String,
    summary: String,
    notes: Vec<NoteData<'a>>,
    year: String,
    page_break: bool,
    long: bool,
}

#[derive(serde::Serialize)]
struct NoteData<'a> {
    label: &'a str,
    text: String,
}

/// A text's lines without trailing spaces, joined with `\n`.
fn line_text(text: &str) -> String {
    text.lines()
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("\n")
}

/// A text's lines, without trailing spaces.
fn line_list(text: &str) -> Vec<&str> {
    text.lines().map(str::trim_end).collect()
}

/// Renders the report as PDF bytes.
pub fn render(report: &TimelineReport) -> Result<Vec<u8>, ReportError> {
    let prepare = std::time::Instant::now();
    let data = serde_json::to_vec(&template_data(report))
        .map_err(|e| ReportError::Pdf(format!("could not prepare the data: {e}")))?;
    let prepared = prepare.elapsed();
    let started = std::time::Instant::now();
    let body = ReportWorld::new("timeline.typ", TEMPLATE, data).compile()?;
    let laid_out = started.elapsed();
    let h = &report.header;
    let marks_data = serde_json::to_vec(&json!({
        "pages": body.pages().len(),
        "header_left": format!("{} · {}", h.title, h.subject),
        "header_right": format!("Generated {}", h.generated()),
        "footer_left": h.generator,
    }))
    .map_err(|e| ReportError::Pdf(format!("could not prepare the page numbers: {e}")))?;
    let marks = ReportWorld::new("page_marks.typ", PAGE_MARKS, marks_data).compile()?;
    let document = stamp(&body, &marks);
    let marked = started.elapsed() - laid_out;
    // Typst memoizes layout across compilations; a report is made once, so free its caches —
    // on another thread, while this one writes the PDF.
    std::thread::spawn(move || {
        drop((body, marks));
        comemo::evict(0);
    });
    let write = std::time::Instant::now();
    let options = typst_pdf::PdfOptions {
        tagged: false,
        ..Default::default()
    };
    let pdf = typst_pdf::pdf(&document, &options).map_err(|errors| diagnostics_error(&errors))?;
    tracing::debug!(
        "PDF report: {} entries, {} pages; data prepared in {} ms, laid out in {} ms, headers and page numbers in {} ms, written in {} ms",
        report.entries.len(),
        document.pages().len(),
        prepared.as_millis(),
        laid_out.as_millis(),
        marked.as_millis(),
        write.elapsed().as_millis()
    );
    // 900 pages of frames take a moment to free: not while the user waits.
    std::thread::spawn(move || drop(document));
    Ok(pdf)
}
