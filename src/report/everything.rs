//! Everything Rapport holds about one person as one readable file (`rapport contact
//! everything`): JSON (one object with a section per kind of data, times as ISO 8601 strings)
//! or a self-contained HTML page (no script, every value escaped, a heading per section,
//! readable when printed). Both are drawn from the same ordered tree (`Node`), so the page
//! shows exactly what the JSON holds. Pure: the store gathers `EverythingWeHold`.

use super::html::escape;
use crate::store::everything::{
    EverythingWeHold, HeldConversation, HeldFollowUp, ImportOrigin, ImportRecord,
};
use chrono::{DateTime, NaiveDateTime, Utc};
use serde_json::Value;
use std::fmt::Write as _;

/// A value of the document, with its fields in the order they are shown.
#[derive(Clone, Debug, PartialEq)]
enum Node {
    Null,
    Bool(bool),
    Number(i64),
    Text(String),
    List(Vec<Node>),
    Fields(Vec<(&'static str, Node)>),
}

impl Node {
    fn text(text: impl Into<String>) -> Self {
        Node::Text(text.into())
    }

    fn maybe(text: Option<impl Into<String>>) -> Self {
        text.map_or(Node::Null, |t| Node::Text(t.into()))
    }

    /// As JSON.
    fn to_json(&self) -> Value {
        match self {
            Node::Null => Value::Null,
            Node::Bool(b) => Value::Bool(*b),
            Node::Number(n) => Value::from(*n),
            Node::Text(t) => Value::String(t.clone()),
            Node::List(items) => Value::Array(items.iter().map(Node::to_json).collect()),
            Node::Fields(fields) => Value::Object(
                fields
                    .iter()
                    .map(|(k, v)| ((*k).to_owned(), v.to_json()))
                    .collect(),
            ),
        }
    }
}

/// The sections of the document, in order: (key, heading).
const SECTIONS: [(&str, &str); 9] = [
    ("contact", "The contact"),
    ("personal_notes", "Personal notes"),
    ("conversations", "Conversations"),
    ("follow_ups", "Follow-ups"),
    ("life_events", "Life events"),
    ("relationships", "Relationships"),
    ("stage_history", "Stage history"),
    ("relationship_health", "Relationship health"),
    ("origin", "Where it came from"),
];

/// The document as JSON, pretty-printed.
pub fn to_json(held: &EverythingWeHold, exported_at: NaiveDateTime) -> String {
    let value = document(held, exported_at).to_json();
    serde_json::to_string_pretty(&value).unwrap_or_default() + "\n"
}

/// The document as one self-contained HTML page.
pub fn to_html(held: &EverythingWeHold, exported_at: NaiveDateTime) -> String {
    let Node::Fields(fields) = document(held, exported_at) else {
        return String::new();
    };
    let name = escape(&held.contact.draft.display_name);
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>Everything Rapport holds about {name}</title>\n<style>{STYLE}</style>\n\
         </head>\n<body>\n<main>\n<h1>Everything Rapport holds about {name}</h1>\n\
         <p class=\"meta\">Exported {}.</p>\n",
        escape(&iso_local(exported_at))
    );
    for (key, heading) in SECTIONS {
        let Some((_, node)) = fields.iter().find(|(k, _)| *k == key) else {
            continue;
        };
        let _ = write!(out, "<section>\n<h2>{}</h2>\n", escape(heading));
        write_node(&mut out, node);
        out.push_str("</section>\n");
    }
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

const STYLE: &str = "body { font: 15px/1.5 \"Segoe UI\", \"Noto Sans\", Arial, sans-serif; color: #1f2328; \
margin: 2rem auto; max-width: 52rem; padding: 0 1rem; }
h1 { font-size: 1.7rem; border-bottom: 3px solid #2f5d8a; padding-bottom: .4rem; }
h2 { font-size: 1.2rem; color: #2f5d8a; margin-top: 1.8rem; border-bottom: 1px solid #d8dee4; }
dl { display: grid; grid-template-columns: 12rem 1fr; gap: .1rem 1rem; margin: .3rem 0; }
dt { font-weight: 600; } dd { margin: 0; white-space: pre-wrap; }
ol { padding-left: 1.4rem; } li { margin-bottom: .8rem; break-inside: avoid; page-break-inside: avoid; }
.meta, .empty { color: #5f6b7a; }
@media print { body { margin: 0; max-width: none; font-size: 10.5pt; } h2 { break-after: avoid; } }";

/// Writes `node` as HTML: fields as a definition list (empty ones left out), lists numbered.
fn write_node(out: &mut String, node: &Node) {
    match node {
        Node::Null => out.push_str("<p class=\"empty\">None.</p>\n"),
        Node::Bool(b) => out.push_str(if *b { "yes" } else { "no" }),
        Node::Number(n) => {
            let _ = write!(out, "{n}");
        }
        Node::Text(t) => out.push_str(&escape(t)),
        Node::List(items) if items.is_empty() => out.push_str("<p class=\"empty\">None.</p>\n"),
        Node::List(items) if items.iter().all(|i| matches!(i, Node::Text(_))) => {
            let texts: Vec<String> = items
                .iter()
                .map(|i| match i {
                    Node::Text(t) => escape(t),
                    _ => String::new(),
                })
                .collect();
            out.push_str(&texts.join(", "));
        }
        Node::List(items) => {
            out.push_str("<ol>\n");
            for item in items {
                out.push_str("<li>");
                write_node(out, item);
                out.push_str("</li>\n");
            }
            out.push_str("</ol>\n");
        }
        Node::Fields(fields) => {
            out.push_str("<dl>\n");
            for (key, value) in fields.iter().filter(|(_, v)| !is_blank(v)) {
                let _ = write!(out, "<dt>{}</dt><dd>", escape(&label(key)));
                write_node(out, value);
                out.push_str("</dd>\n");
            }
            out.push_str("</dl>\n");
        }
    }
}

/// True for a value the page leaves out of a list of fields: nothing, or empty text.
fn is_blank(node: &Node) -> bool {
    match node {
        Node::Null => true,
        Node::Text(t) => t.trim().is_empty(),
        Node::List(items) => items.is_empty(),
        _ => false,
    }
}

/// A field's key in words: "they_said" → "They said".
fn label(key: &str) -> String {
    let words = key.replace('_', " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().collect::<String>() + chars.as_str(),
        None => String::new(),
    }
}

/// A stored UTC time as ISO 8601 ("2026-11-20T09:00:00Z").
fn iso_utc(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// A local wall-clock time as ISO 8601 without a zone ("2026-11-20T09:00:00").
fn iso_local(at: NaiveDateTime) -> String {
    at.format("%Y-%m-%dT%H:%M:%S").to_string()
}

/// A time the store keeps as text ("2026-11-20 09:00:00+00:00") in ISO 8601: the space
/// between the day and the time becomes a `T`.
fn iso_text(text: &str) -> String {
    match text.split_once(' ') {
        Some((day, time)) if day.len() == 10 => format!("{day}T{time}"),
        _ => text.to_owned(),
    }
}

/// The whole document.
fn document(held: &EverythingWeHold, exported_at: NaiveDateTime) -> Node {
    let d = &held.contact.draft;
    Node::Fields(vec![
        (
            "about",
            Node::text("Everything Rapport holds about one person."),
        ),
        ("exported_at", Node::text(iso_local(exported_at))),
        ("contact", contact(held)),
        (
            "personal_notes",
            Node::Fields(vec![
                ("family", Node::text(&d.family)),
                ("interests", Node::text(&d.interests)),
                ("how_we_met", Node::text(&d.how_we_met)),
                ("notes", Node::text(&d.personal_notes)),
            ]),
        ),
        (
            "conversations",
            Node::List(held.conversations.iter().map(conversation).collect()),
        ),
        (
            "follow_ups",
            Node::List(held.follow_ups.iter().map(follow_up).collect()),
        ),
        (
            "life_events",
            Node::List(
                held.life_events
                    .iter()
                    .map(|e| {
                        Node::Fields(vec![
                            ("occurred_on", Node::text(e.occurred_on.to_string())),
                            ("kind", Node::text(&e.kind)),
                            ("description", Node::text(&e.description)),
                        ])
                    })
                    .collect(),
            ),
        ),
        (
            "relationships",
            Node::List(held.relationships.iter().map(relationship).collect()),
        ),
        (
            "stage_history",
            Node::List(
                held.stage_changes
                    .iter()
                    .map(|s| {
                        Node::Fields(vec![
                            ("changed_at", Node::text(iso_text(&s.changed_at))),
                            ("from", Node::maybe(s.old_stage.clone())),
                            ("to", Node::text(&s.new_stage)),
                        ])
                    })
                    .collect(),
            ),
        ),
        ("relationship_health", health(held)),
        ("origin", origin(held)),
    ])
}

/// The contact's own fields, e-mails, phones, addresses and tags.
fn contact(held: &EverythingWeHold) -> Node {
    let c = &held.contact;
    let d = &c.draft;
    let labelled = |label: &str, value: &str, key: &'static str| {
        Node::Fields(vec![("label", Node::text(label)), (key, Node::text(value))])
    };
    Node::Fields(vec![
        ("id", Node::Number(c.id.0)),
        ("uid", Node::text(&d.uid)),
        ("display_name", Node::text(&d.display_name)),
        ("prefix", Node::text(&d.prefix)),
        ("given_name", Node::text(&d.given_name)),
        ("middle_name", Node::text(&d.middle_name)),
        ("family_name", Node::text(&d.family_name)),
        ("suffix", Node::text(&d.suffix)),
        ("nickname", Node::text(&d.nickname)),
        ("organization", Node::text(&d.organization)),
        ("title", Node::text(&d.title)),
        ("decision_maker", Node::Bool(d.is_decision_maker)),
        ("stage", Node::text(d.stage.as_str())),
        ("birthday", Node::maybe(d.birthday.map(|b| b.to_string()))),
        (
            "emails",
            Node::List(
                d.emails
                    .iter()
                    .map(|e| labelled(&e.label, &e.address, "address"))
                    .collect(),
            ),
        ),
        (
            "phones",
            Node::List(
                d.phones
                    .iter()
                    .map(|p| labelled(&p.label, &p.number, "number"))
                    .collect(),
            ),
        ),
        (
            "addresses",
            Node::List(d.addresses.iter().map(address).collect()),
        ),
        ("tags", Node::List(d.tags.iter().map(Node::text).collect())),
        (
            "custom_fields",
            Node::List(
                d.custom_fields
                    .iter()
                    .map(|(name, value)| labelled(name, value, "value"))
                    .collect(),
            ),
        ),
        (
            "cadence_days",
            d.cadence_days.map_or(Node::Null, Node::Number),
        ),
        ("private", Node::Bool(d.private)),
        ("has_photo", Node::Bool(held.has_photo)),
        ("created_at", Node::text(iso_utc(c.created_at))),
        ("updated_at", Node::text(iso_utc(c.updated_at))),
        ("in_trash_since", Node::maybe(c.deleted_at.map(iso_utc))),
        ("created_by", Node::text(&c.created_by)),
        ("updated_by", Node::text(&c.updated_by)),
    ])
}

fn address(a: &crate::model::Address) -> Node {
    Node::Fields(vec![
        ("label", Node::text(&a.label)),
        ("street", Node::text(&a.street)),
        ("city", Node::text(&a.city)),
        ("region", Node::text(&a.region)),
        ("postal_code", Node::text(&a.postal_code)),
        ("country", Node::text(&a.country)),
    ])
}

/// One conversation with its listening notes.
fn conversation(held: &HeldConversation) -> Node {
    let i = &held.interaction;
    let d = &i.draft;
    Node::Fields(vec![
        ("id", Node::Number(i.id.0)),
        ("occurred_at", Node::text(iso_local(d.occurred_at))),
        ("channel", Node::text(d.channel.as_str())),
        ("initiated_by", Node::text(d.initiated_by.as_str())),
        ("purpose", Node::text(d.purpose.as_str())),
        ("outcome", Node::text(d.outcome.as_str())),
        (
            "duration_minutes",
            d.duration_minutes.map_or(Node::Null, Node::Number),
        ),
        (
            "participants",
            Node::List(i.participant_names.iter().map(Node::text).collect()),
        ),
        ("shared_with_others", Node::Bool(held.shared)),
        ("summary", Node::text(&d.summary)),
        ("they_said", Node::text(&d.they_said)),
        ("they_need", Node::text(&d.they_need)),
        ("i_promised", Node::text(&d.i_promised)),
        ("next_step", Node::text(&d.next_step)),
        ("logged_at", Node::text(iso_utc(i.created_at))),
        ("logged_by", Node::text(&i.logged_by)),
    ])
}

/// One follow-up with its status and reschedule history.
fn follow_up(held: &HeldFollowUp) -> Node {
    let f = &held.follow_up;
    let d = &f.draft;
    let reschedules = held
        .reschedules
        .iter()
        .map(|r| {
            Node::Fields(vec![
                ("changed_at", Node::text(iso_text(&r.changed_at))),
                ("old_due_date", Node::text(&r.old_due_date)),
                ("old_due_time", Node::maybe(r.old_due_time.clone())),
                ("old_status", Node::text(&r.old_status)),
                ("note", Node::text(&r.note)),
            ])
        })
        .collect();
    Node::Fields(vec![
        ("id", Node::Number(f.id.0)),
        ("text", Node::text(&d.text)),
        ("notes", Node::text(&d.notes)),
        ("due_date", Node::text(d.due_date.to_string())),
        (
            "due_time",
            Node::maybe(d.due_time.map(|t| t.format("%H:%M").to_string())),
        ),
        ("promised_by", Node::text(d.promised_by.as_str())),
        ("status", Node::text(f.status.as_str())),
        ("completed_at", Node::maybe(f.completed_at.map(iso_local))),
        (
            "conversation_id",
            d.interaction_id.map_or(Node::Null, |i| Node::Number(i.0)),
        ),
        ("created_at", Node::text(iso_utc(f.created_at))),
        ("reschedules", Node::List(reschedules)),
    ])
}

/// One relationship with another contact, in this person's words.
fn relationship(r: &crate::model::relationship::Related) -> Node {
    Node::Fields(vec![
        ("wording", Node::text(r.wording())),
        ("kind", Node::text(r.role.kind.as_str())),
        ("role", Node::text(r.role.word())),
        ("other_contact_id", Node::Number(r.other.0)),
        ("other_name", Node::text(&r.other_name)),
        ("other_in_trash", Node::Bool(r.other_in_trash)),
        ("note", Node::text(&r.note)),
    ])
}

/// The stored health judgement, or nothing when it was never computed.
fn health(held: &EverythingWeHold) -> Node {
    let Some(h) = &held.health else {
        return Node::Null;
    };
    Node::Fields(vec![
        ("score", Node::Number(h.score)),
        ("level", Node::text(h.level.as_str())),
        (
            "reasons",
            Node::List(h.explanation().into_iter().map(Node::Text).collect()),
        ),
    ])
}

/// The contact's source, the import that made them and every import record about them.
fn origin(held: &EverythingWeHold) -> Node {
    Node::Fields(vec![
        ("source", Node::text(&held.source)),
        (
            "import_batch",
            held.import_batch.as_ref().map_or(Node::Null, batch),
        ),
        (
            "import_records",
            Node::List(held.import_records.iter().map(record).collect()),
        ),
    ])
}

fn batch(b: &ImportOrigin) -> Node {
    Node::Fields(vec![
        ("id", Node::Number(b.id)),
        ("file_name", Node::text(&b.file_name)),
        ("format", Node::text(&b.format)),
        ("started_at", Node::text(iso_text(&b.started_at))),
        (
            "finished_at",
            Node::maybe(b.finished_at.as_deref().map(iso_text)),
        ),
        (
            "undone_at",
            Node::maybe(b.undone_at.as_deref().map(iso_text)),
        ),
    ])
}

fn record(r: &ImportRecord) -> Node {
    Node::Fields(vec![
        ("batch", batch(&r.batch)),
        ("action", Node::text(&r.action)),
        ("previous", Node::maybe(r.previous_json.clone())),
    ])
}
