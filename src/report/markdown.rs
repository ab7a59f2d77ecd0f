//! The timeline report as Markdown, for notes apps and e-mail. User text is backslash-escaped
//! (CommonMark) and line breaks become `<br>`, so the file renders as plain text and
//! `parse_entries` reads the entries back exactly.

use super::timeline_report::{
    EntryKind, ReportEntry, TimelineReport, lists_people, person_role, personal_lines,
    summary_lines,
};
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use std::fmt::Write as _;

/// Characters that mean something in Markdown (or inline HTML) and are escaped in user text.
const SPECIAL: &[char] = &[
    '\\', '`', '*', '_', '{', '}', '[', ']', '<', '>', '(', ')', '#', '+', '-', '.', '!', '|', '~',
    ',', '&',
];

/// Escapes text for one Markdown line: punctuation backslash-escaped, newlines as `<br>`.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("<br>"),
            '\r' => {}
            c if SPECIAL.contains(&c) => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// Reverses `escape`.
pub fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if let Some(after) = rest.strip_prefix("<br>") {
            out.push('\n');
            rest = after;
        } else if c == '\\' && rest.len() > 1 {
            let next = rest[1..].chars().next().unwrap_or('\\');
            out.push(next);
            rest = &rest[1 + next.len_utf8()..];
        } else {
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

/// Splits escaped text on unescaped ", " (participant lists).
fn split_names(text: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut current = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                current.push(c);
                if let Some(next) = chars.next() {
                    current.push(next);
                }
            }
            ',' if chars.peek() == Some(&' ') => {
                chars.next();
                names.push(unescape(&current));
                current.clear();
            }
            c => current.push(c),
        }
    }
    if !current.is_empty() {
        names.push(unescape(&current));
    }
    names
}

const FIELDS: [&str; 9] = [
    "Channel",
    "Purpose",
    "Outcome",
    "With",
    "Summary",
    "What they said",
    "What they need",
    "What I promised",
    "Next step",
];

/// Renders the whole report as Markdown.
pub fn render(report: &TimelineReport) -> String {
    let h = &report.header;
    let mut out = String::with_capacity(2048 + report.entries.len() * 400);
    let _ = writeln!(out, "# {}: {}\n", escape(&h.title), escape(&h.subject));
    let _ = writeln!(out, "- **Period:** {}", escape(&h.period()));
    let _ = writeln!(out, "- **Entries:** {}", escape(&h.kinds));
    let _ = writeln!(
        out,
        "- **Generated:** {} by {}\n",
        escape(&h.generated()),
        escape(&h.generator)
    );
    if lists_people(h) {
        let _ = writeln!(out, "## People\n");
        for p in &h.people {
            let role = person_role(p);
            if role.is_empty() {
                let _ = writeln!(out, "- **{}**", escape(&p.display_name));
            } else {
                let _ = writeln!(out, "- **{}** ({})", escape(&p.display_name), escape(&role));
            }
            if let Some(details) = &p.personal {
                for (label, text) in personal_lines(details) {
                    let _ = writeln!(out, "  - {}: {}", escape(&label), escape(&text));
                }
            }
        }
        out.push('\n');
    }
    let _ = writeln!(out, "## Summary\n");
    let _ = writeln!(out, "| | |\n|---|---|");
    for (label, value) in summary_lines(&report.summary) {
        let _ = writeln!(out, "| {label} | {} |", escape(&value));
    }
    out.push('\n');
    if !report.summary.open_needs.is_empty() {
        let _ = writeln!(out, "Latest needs they mentioned:\n");
        for need in &report.summary.open_needs {
            let _ = writeln!(
                out,
                "- {} — {}: {}",
                need.at.format("%-d %b %Y"),
                escape(&need.who),
                escape(&need.need)
            );
        }
        out.push('\n');
    }
    let _ = writeln!(out, "## Timeline\n");
    if report.entries.is_empty() {
        let _ = writeln!(out, "_Nothing recorded in this period._");
    }
    for e in &report.entries {
        let _ = writeln!(out, "### {} — {}\n", e.when(), e.kind.label());
        let names = e
            .participants
            .iter()
            .map(|n| escape(n))
            .collect::<Vec<_>>()
            .join(", ");
        let values: [String; 9] = [
            escape(&e.channel),
            escape(&e.purpose),
            escape(&e.outcome),
            names,
            escape(&e.summary),
            escape(&e.they_said),
            escape(&e.they_need),
            escape(&e.i_promised),
            escape(&e.next_step),
        ];
        for (label, value) in FIELDS.iter().zip(values) {
            if !value.is_empty() {
                let _ = writeln!(out, "- **{label}:** {value}");
            }
        }
        out.push('\n');
    }
    out
}

/// Reads the timeline entries back from a Markdown report written by `render`.
pub fn parse_entries(markdown: &str) -> Vec<ReportEntry> {
    let mut entries = Vec::new();
    let mut in_timeline = false;
    let mut current: Option<ReportEntry> = None;
    for line in markdown.lines() {
        if line.starts_with("## ") {
            in_timeline = line == "## Timeline";
            continue;
        }
        if !in_timeline {
            continue;
        }
        if let Some(heading) = line.strip_prefix("### ") {
            if let Some(done) = current.take() {
                entries.push(done);
            }
            let Some((when, kind)) = heading.split_once(" — ") else {
                continue;
            };
            let kind = EntryKind::ALL.into_iter().find(|k| k.label() == kind);
            let (at, has_time) = match NaiveDateTime::parse_from_str(when, "%Y-%m-%d %H:%M") {
                Ok(at) => (Some(at), true),
                Err(_) => (
                    NaiveDate::parse_from_str(when, "%Y-%m-%d")
                        .ok()
                        .map(|d| d.and_time(NaiveTime::MIN)),
                    false,
                ),
            };
            if let (Some(at), Some(kind)) = (at, kind) {
                current = Some(ReportEntry {
                    at,
                    has_time,
                    kind,
                    channel: String::new(),
                    purpose: String::new(),
                    outcome: String::new(),
                    participants: Vec::new(),
                    summary: String::new(),
                    they_said: String::new(),
                    they_need: String::new(),
                    i_promised: String::new(),
                    next_step: String::new(),
                });
            }
            continue;
        }
        let Some(entry) = current.as_mut() else {
            continue;
        };
        let Some(rest) = line.strip_prefix("- **") else {
            continue;
        };
        let Some((label, value)) = rest.split_once(":** ") else {
            continue;
        };
        match label {
            "Channel" => entry.channel = unescape(value),
            "Purpose" => entry.purpose = unescape(value),
            "Outcome" => entry.outcome = unescape(value),
            "With" => entry.participants = split_names(value),
            "Summary" => entry.summary = unescape(value),
            "What they said" => entry.they_said = unescape(value),
            "What they need" => entry.they_need = unescape(value),
            "What I promised" => entry.i_promised = unescape(value),
            "Next step" => entry.next_step = unescape(value),
            _ => {}
        }
    }
    if let Some(done) = current.take() {
        entries.push(done);
    }
    entries
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_round_trips_markdown_and_html_punctuation() {
        for text in [
            "plain",
            "*bold* _it_ `code` [link](x) <b>&amp;</b> # h | t \\ back",
            "two\nlines, with comma",
            "1. not a list",
            "- not a bullet",
            "<br> literal",
        ] {
            assert_eq!(unescape(&escape(text)), text, "{text}");
        }
        assert_eq!(
            split_names(&format!("{}, {}", escape("A, B"), escape("C"))),
            ["A, B", "C"]
        );
    }
}
