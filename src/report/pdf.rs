//! The timeline report as a PDF, laid out by Typst compiled into Rapport: wrapped text, page
//! breaks, a header and page numbers on each page, and any script the machine has fonts for
//! (Typst's embedded fonts always, system fonts when found). Nothing is downloaded.
//!
//! The report goes to the template as JSON bytes in `sys.inputs.data`; the template shows the
//! values as text, so a name like `#set page(…)` or `*bold*` is printed as typed, never run.

use super::ReportError;
use super::timeline_report::{
    ReportEntry, TimelineReport, personal_lines, shown_participants, summary_lines,
};
use chrono::NaiveDateTime;
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
    let sections = sections(&report.entries);
    let entries: Vec<EntryData<'_>> = report
        .entries
        .iter()
        .zip(sections)
        .map(|(e, section)| {
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
                year: section.year,
                month: section.month,
                page_break: section.page_break,
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
        front: true,
        entry_count: entries.len(),
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
    /// Whether this part opens the report (title block, people, summary).
    front: bool,
    /// Entries in the whole report, of which this part holds `entries`.
    entry_count: usize,
    header: Value,
    cards: Vec<Value>,
    summary: Vec<Value>,
    needs: Vec<Value>,
    entries: Vec<EntryData<'a>>,
}

/// One part of a report laid out on its own: the front matter goes with the first.
#[derive(serde::Serialize)]
struct PartData<'a> {
    front: bool,
    entry_count: usize,
    header: &'a Value,
    cards: &'a [Value],
    summary: &'a [Value],
    needs: &'a [Value],
    entries: &'a [EntryData<'a>],
}

impl<'a> TemplateData<'a> {
    fn part(&'a self, range: std::ops::Range<usize>) -> PartData<'a> {
        let front = range.start == 0;
        PartData {
            front,
            entry_count: self.entry_count,
            header: &self.header,
            cards: if front { &self.cards } else { &[] },
            summary: if front { &self.summary } else { &[] },
            needs: if front { &self.needs } else { &[] },
            entries: &self.entries[range],
        }
    }
}

/// Splits a report into `parts` runs of entries of about equal weight, each starting at a
/// page break (so the parts laid out apart join into the same pages as the whole would).
/// Fewer parts when there are not enough breaks; one for a small report.
fn split_parts(weights: &[usize], breaks: &[bool], parts: usize) -> Vec<std::ops::Range<usize>> {
    // (index, weight of the entries before it) of every entry a new page starts at.
    let mut before = 0usize;
    let mut candidates = Vec::new();
    for (index, (weight, page_break)) in weights.iter().zip(breaks).enumerate() {
        if *page_break && index > 0 {
            candidates.push((index, before));
        }
        before += weight;
    }
    let total = before;
    let mut starts = vec![0];
    for part in 1..parts.max(1) {
        let goal = total * part / parts;
        let nearest = candidates
            .iter()
            .min_by_key(|(_, at)| at.abs_diff(goal))
            .map(|(index, _)| *index);
        if let Some(index) = nearest
            && starts.last().is_some_and(|last| index > *last)
        {
            starts.push(index);
        }
    }
    let ends = starts.iter().skip(1).copied().chain([weights.len()]);
    starts
        .iter()
        .zip(ends)
        .map(|(&start, end)| start..end)
        .collect()
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
    /// The year's heading over its first entry, else blank.
    year: String,
    /// In big reports, the month's heading over its first entry (and over the first entry
    /// of a new page run inside a very long month), else blank.
    month: String,
    page_break: bool,
    long: bool,
}

#[derive(serde::Serialize)]
struct NoteData<'a> {
    label: &'a str,
    text: String,
}

/// Reports longer than this many entries get month headings and start years (and, once
/// enough pages have passed, months) on a new page.
const BIG_REPORT: usize = 150;

/// Characters of entries (`entry_weight`) that fill about 11–16 pages, depending on how long
/// the notes are: once the entries since the last break weigh this much, the next month starts
/// on a new page.
const RUN_WEIGHT: usize = 60_000;

/// The headings over one entry and whether a new page starts before it.
#[derive(Debug, Default, PartialEq, Eq)]
struct Section {
    year: String,
    month: String,
    page_break: bool,
}

/// Headings and page breaks for a report's entries (oldest first). Every year has a heading;
/// a big report also has month headings, starts each year on a new page, and starts a month
/// on a new page once the entries since the last break weigh `RUN_WEIGHT` (inside a month, a
/// new day once they weigh three times that, under the month's heading marked "continued").
/// Typst lays out the runs of pages between breaks in parallel: runs of even size keep both
/// cores busy to the end, where a report broken only at its years left one core laying out
/// the longest year alone (0.38 s of a 1.9 s export).
fn sections(entries: &[ReportEntry]) -> Vec<Section> {
    use chrono::Datelike as _;
    let big = entries.len() > BIG_REPORT;
    let mut previous: Option<NaiveDateTime> = None;
    let mut run = 0usize;
    entries
        .iter()
        .map(|e| {
            let new_year = previous.is_none_or(|p| p.year() != e.at.year());
            let new_month = new_year || previous.is_some_and(|p| p.month() != e.at.month());
            let new_day = new_month || previous.is_some_and(|p| p.date() != e.at.date());
            let started = previous.is_some();
            previous = Some(e.at);
            let mut section = Section {
                year: if new_year {
                    e.at.year().to_string()
                } else {
                    String::new()
                },
                ..Section::default()
            };
            if big {
                let month = e.at.format("%B %Y").to_string();
                section.page_break = started
                    && (new_year
                        || (new_month && run >= RUN_WEIGHT)
                        || (new_day && run >= 3 * RUN_WEIGHT));
                if new_month {
                    section.month = month;
                } else if section.page_break {
                    section.month = format!("{month} (continued)");
                }
            }
            if section.page_break {
                run = 0;
            }
            run += entry_weight(e);
            section
        })
        .collect()
}

/// Roughly how much room an entry takes: its text, and a few lines of date and tag.
fn entry_weight(e: &ReportEntry) -> usize {
    120 + e.summary.len()
        + e.they_said.len()
        + e.they_need.len()
        + e.i_promised.len()
        + e.next_step.len()
        + e.participants.iter().map(String::len).sum::<usize>()
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
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    render_in_parts(report, cores.min(MAX_PARTS))
}

/// Compiles each of `inputs` (template data as JSON, or the error preparing it) on a thread of
/// its own, all at once, and joins their pages in order: Typst evaluates a template on one
/// thread before laying it out on every core, so parts evaluated at once keep both cores busy
/// from the start.
fn compile_parts(
    name: &str,
    template: &str,
    inputs: Vec<Result<Vec<u8>, ReportError>>,
) -> Result<(PagedDocument, Vec<PagedDocument>), ReportError> {
    let parts: Vec<Result<PagedDocument, ReportError>> = std::thread::scope(|scope| {
        let started: Vec<_> = inputs
            .into_iter()
            .map(|input| {
                std::thread::Builder::new()
                    .name("pdf-part".to_owned())
                    .spawn_scoped(scope, move || {
                        ReportWorld::new(name, template, input?).compile()
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
    let inputs: Vec<_> = parts
        .iter()
        .map(|range| {
            serde_json::to_vec(&data.part(range.clone()))
                .map_err(|e| ReportError::Pdf(format!("could not prepare the data: {e}")))
        })
        .collect();
    let prepared = prepare.elapsed();
    let started = std::time::Instant::now();
    let (body, body_parts) = compile_parts("timeline.typ", TEMPLATE, inputs)?;
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
    let (marks, marks_parts) = compile_parts("page_marks.typ", PAGE_MARKS, inputs)?;
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
    use crate::report::timeline_report::{EntryKind, ReportHeader};

    fn at(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").expect("a date")
    }

    /// A conversation at `when` with `words` characters of notes.
    fn entry(when: NaiveDateTime, words: usize) -> ReportEntry {
        ReportEntry {
            at: when,
            has_time: true,
            kind: EntryKind::Conversation,
            channel: "Visit".into(),
            purpose: "Service".into(),
            outcome: "Held".into(),
            participants: vec!["Ana Lima".into()],
            summary: format!("Visit on {when}"),
            they_said: "x".repeat(words),
            they_need: String::new(),
            i_promised: String::new(),
            next_step: String::new(),
        }
    }

    /// One entry every `hours` from `from`.
    fn entries(from: &str, count: usize, hours: i64, words: usize) -> Vec<ReportEntry> {
        (0..count)
            .map(|i| entry(at(from) + chrono::Duration::hours(hours * i as i64), words))
            .collect()
    }

    #[test]
    fn a_small_report_has_year_headings_and_no_page_breaks() {
        let list = entries("2024-12-20 09:00", 30, 24, 100);
        let sections = sections(&list);
        let years: Vec<(usize, &str)> = sections
            .iter()
            .enumerate()
            .filter(|(_, s)| !s.year.is_empty())
            .map(|(i, s)| (i, s.year.as_str()))
            .collect();
        assert_eq!(years, [(0, "2024"), (12, "2025")]);
        assert!(sections.iter().all(|s| s.month.is_empty() && !s.page_break));
    }

    #[test]
    fn a_big_report_starts_years_and_months_after_a_full_run_on_a_new_page() {
        // One entry a day for two years, each about 520 characters: about 115 fill a run.
        let list = entries("2024-01-01 09:00", 731, 24, 340);
        let sections = sections(&list);
        let weight = entry_weight(&list[0]);
        let mut run = 0;
        for (index, (e, s)) in list.iter().zip(&sections).enumerate() {
            let first_of_month = index == 0
                || list[index - 1].at.format("%Y-%m").to_string()
                    != e.at.format("%Y-%m").to_string();
            assert_eq!(s.month.is_empty(), !first_of_month, "entry {index}");
            if first_of_month {
                assert_eq!(s.month, e.at.format("%B %Y").to_string());
            }
            if s.page_break {
                assert!(first_of_month, "breaks fall at a month's start ({index})");
                assert!(
                    run >= RUN_WEIGHT || !s.year.is_empty(),
                    "a month starts a new page only after a full run ({index})"
                );
                run = 0;
            } else {
                assert!(
                    run < RUN_WEIGHT + 31 * weight,
                    "no run is much longer than a full run and a month ({index})"
                );
            }
            run += entry_weight(e);
        }
        assert!(sections[366].page_break, "2025 starts on a new page");
        assert_eq!(sections[366].year, "2025");
        assert!(
            !sections[0].page_break,
            "the first entry follows the summary"
        );
        let breaks = sections.iter().filter(|s| s.page_break).count();
        assert!((5..=8).contains(&breaks), "{breaks} breaks in two years");
    }

    #[test]
    fn a_very_long_month_breaks_at_a_new_day_and_says_it_continues() {
        // 1,200 entries in March 2025, one every 36 minutes (40 a day).
        let list: Vec<ReportEntry> = (0..1200)
            .map(|i| {
                entry(
                    at("2025-03-01 00:00") + chrono::Duration::minutes(36 * i),
                    340,
                )
            })
            .collect();
        let sections = sections(&list);
        assert_eq!(sections[0].month, "March 2025");
        let continued: Vec<usize> = (0..list.len())
            .filter(|&i| sections[i].page_break)
            .collect();
        assert!(
            !continued.is_empty(),
            "a month of 1,200 entries is broken up"
        );
        for i in continued {
            assert_eq!(sections[i].month, "March 2025 (continued)");
            assert_ne!(list[i - 1].at.date(), list[i].at.date(), "at a new day");
        }
    }

    #[test]
    fn parts_start_at_page_breaks_near_equal_shares() {
        let weights = vec![1; 100];
        let breaks: Vec<bool> = (0..100).map(|i| i % 10 == 0).collect();
        assert_eq!(split_parts(&weights, &breaks, 1), vec![0..100]);
        assert_eq!(split_parts(&weights, &breaks, 2), [0..50, 50..100]);
        assert_eq!(split_parts(&weights, &breaks, 3), [0..30, 30..70, 70..100]);
        // Without breaks a report stays whole; an empty one is one empty part.
        assert_eq!(split_parts(&weights, &[false; 100], 4), vec![0..100]);
        assert_eq!(split_parts(&[], &[], 2), vec![0..0]);
        // Two breaks cannot make four parts.
        let few: Vec<bool> = (0..100).map(|i| i == 40 || i == 80).collect();
        assert_eq!(split_parts(&weights, &few, 4), [0..40, 40..80, 80..100]);
    }

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
