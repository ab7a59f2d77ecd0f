//! The report as the data the template reads: everything pre-formatted as text, so the
//! template only places it.

use super::plan::sections;
use crate::model::ReportPerson;
use crate::model::avatar::{avatar_hex, initials};
use crate::report::timeline_report::{
    Avatar, TimelineReport, heading_person, lists_people, person_avatar, person_role,
    personal_lines, shown_participants, summary_lines,
};
use serde_json::{Value, json};
use typst::foundations::Bytes;

/// A person's avatar as the template reads it: `photo` is the index of their photo in the
/// photos handed to Typst beside the JSON (`sys.inputs.photos`), else null and the initials
/// on `color` are drawn. The photo's bytes are pushed onto `photos`. The initials are there
/// with a photo too, for a report laid out again without its photos (`render_in_parts`).
fn avatar_data(person: &ReportPerson, photos: &mut Vec<Bytes>) -> Value {
    let (photo, format) = match person_avatar(person) {
        Avatar::Photo { format, bytes, .. } => {
            photos.push(Bytes::new(bytes.to_vec()));
            (Some(photos.len() - 1), format)
        }
        Avatar::Initials { .. } => (None, ""),
    };
    json!({
        "photo": photo,
        "format": format,
        "initials": initials(&person.display_name),
        "color": avatar_hex(&person.display_name),
    })
}

/// The report as the JSON the template reads (everything pre-formatted as text).
pub(super) fn template_data(report: &TimelineReport) -> TemplateData<'_> {
    let h = &report.header;
    let mut photos = Vec::new();
    // One contact's avatar goes beside their name at the top; a group's beside each person.
    let heading_avatar = heading_person(h).map(|p| avatar_data(p, &mut photos));
    let list_avatars = lists_people(h) && !h.single_contact;
    let people: Vec<Value> = h
        .people
        .iter()
        .map(|p| {
            let role = person_role(p);
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
            let avatar = if list_avatars {
                avatar_data(p, &mut photos)
            } else {
                Value::Null
            };
            json!({"name": p.display_name, "role": role, "personal": personal, "avatar": avatar})
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
            let meta = e.meta();
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
            "show_people": lists_people(h),
            "avatar": heading_avatar,
        }),
        photos,
        cards,
        summary,
        needs,
        entries,
    }
}

/// What the template reads, serialized straight to JSON: the entries (nearly all of a big
/// report) as typed rows rather than a tree of `Value`s, which took 150 ms for 10,000.
#[derive(serde::Serialize)]
pub(super) struct TemplateData<'a> {
    /// Whether this part opens the report (title block, people, summary).
    front: bool,
    /// Entries in the whole report, of which this part holds `entries`.
    entry_count: usize,
    header: Value,
    cards: Vec<Value>,
    summary: Vec<Value>,
    needs: Vec<Value>,
    pub(super) entries: Vec<EntryData<'a>>,
    /// The photos the avatars show, handed to Typst as bytes beside the JSON (`photo` in an
    /// avatar is an index here); only the first part, which has the heading and the people,
    /// gets them.
    #[serde(skip)]
    pub(super) photos: Vec<Bytes>,
}

/// One part of a report laid out on its own: the front matter goes with the first.
#[derive(serde::Serialize)]
pub(super) struct PartData<'a> {
    front: bool,
    entry_count: usize,
    header: &'a Value,
    cards: &'a [Value],
    summary: &'a [Value],
    needs: &'a [Value],
    entries: &'a [EntryData<'a>],
}

impl<'a> TemplateData<'a> {
    pub(super) fn part(&'a self, range: std::ops::Range<usize>) -> PartData<'a> {
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

/// One timeline entry, as finished text: Typst evaluates the template's loop once per entry
/// on one thread, so the less it computes there, the sooner layout (on every core) begins.
/// Multi-line notes keep their line breaks as `\n`, which Typst breaks lines at.
#[derive(serde::Serialize)]
pub(super) struct EntryData<'a> {
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
    pub(super) page_break: bool,
    long: bool,
}

#[derive(serde::Serialize)]
pub(super) struct NoteData<'a> {
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
