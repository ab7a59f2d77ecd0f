//! The timeline report as one self-contained HTML file: inline CSS with a print stylesheet,
//! no scripts, no external resources (photos are embedded as `data:` URIs). Every value from
//! the database is escaped.

use super::timeline_report::{
    Avatar, EntryKind, ReportEntry, ReportHeader, TimelineReport, heading_person, lists_people,
    person_avatar, person_role, personal_lines, shown_participants, summary_lines,
};
use crate::model::ReportPerson;
use base64::Engine as _;
use std::fmt::Write as _;

/// Escapes text for HTML element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Escaped, with line breaks kept.
fn escape_lines(text: &str) -> String {
    escape(text).replace('\n', "<br>")
}

const STYLE: &str = r#"
:root { --ink: #1f2328; --muted: #5f6b7a; --rule: #d8dee4; --accent: #2f5d8a; --paper: #ffffff; }
* { box-sizing: border-box; }
body { font: 15px/1.5 "Segoe UI", "Noto Sans", "Helvetica Neue", Arial, sans-serif; color: var(--ink);
       background: #f4f5f7; margin: 0; }
main { max-width: 52rem; margin: 2rem auto; background: var(--paper); padding: 2.5rem 3rem;
       box-shadow: 0 1px 4px rgba(0,0,0,.08); border-radius: 6px; }
header.report { border-bottom: 3px solid var(--accent); padding-bottom: .8rem; margin-bottom: 1.2rem; }
header.report .kicker { color: var(--accent); text-transform: uppercase; letter-spacing: .08em;
       font-size: .8rem; font-weight: 600; }
header.report h1 { margin: .2rem 0 .4rem; font-size: 1.9rem; line-height: 1.2; }
header.report .who { display: flex; align-items: center; gap: .8rem; margin: .3rem 0 .4rem; }
header.report .who h1 { margin: 0; }
.avatar { display: inline-flex; align-items: center; justify-content: center; flex: none;
     border-radius: 50%; overflow: hidden; object-fit: cover; color: #fff; font-weight: 600;
     line-height: 1; vertical-align: middle; user-select: none;
     -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.avatar.large { width: 56px; height: 56px; font-size: 21px; }
.avatar.small { width: 28px; height: 28px; font-size: 11px; letter-spacing: .02em; }
header.report dl { display: grid; grid-template-columns: max-content 1fr; gap: .1rem 1rem;
       margin: 0; color: var(--muted); font-size: .9rem; }
header.report dt { font-weight: 600; }
header.report dd { margin: 0; }
h2 { font-size: 1.15rem; color: var(--accent); border-bottom: 1px solid var(--rule);
     padding-bottom: .2rem; margin: 1.6rem 0 .7rem; }
table.summary { border-collapse: collapse; width: 100%; font-size: .93rem; }
table.summary th { text-align: left; font-weight: 600; width: 11rem; padding: .25rem .6rem .25rem 0;
     vertical-align: top; color: var(--muted); }
table.summary td { padding: .25rem 0; }
table.summary tr + tr { border-top: 1px solid #eef1f4; }
.person { margin: .4rem 0 .8rem; }
.person .line { display: flex; align-items: center; gap: .5rem; }
.person .line .avatar + span { min-width: 0; }
.person .line + dl { margin-left: calc(28px + .5rem); }
.person .name { font-weight: 600; }
.person .role { color: var(--muted); }
.person dl { display: grid; grid-template-columns: max-content 1fr; gap: .05rem 1rem; margin: .2rem 0 0 1rem;
     font-size: .9rem; }
.person dt { color: var(--muted); }
.person dd { margin: 0; }
ul.needs { margin: .3rem 0 0 1.1rem; padding: 0; font-size: .93rem; }
h3.year { font-size: 1rem; color: var(--muted); margin: 1.1rem 0 .5rem; }
ol.timeline { list-style: none; margin: 0; padding: 0; }
ol.timeline > li { border-left: 3px solid var(--accent); padding: .35rem 0 .45rem .9rem; margin: 0 0 .8rem;
     break-inside: avoid; page-break-inside: avoid; }
ol.timeline > li.follow-up { border-left-color: #b7791f; }
ol.timeline > li.life-event { border-left-color: #6b46c1; }
.when { font-weight: 700; }
.meta { color: var(--muted); font-size: .85rem; margin-left: .5rem; }
.kind { text-transform: uppercase; letter-spacing: .05em; font-size: .75rem; font-weight: 600; }
.with { font-size: .9rem; color: var(--muted); }
.summary-text { margin: .15rem 0; }
dl.notes { display: grid; grid-template-columns: 8.5rem 1fr; gap: .05rem .8rem; margin: .2rem 0 0;
     font-size: .93rem; }
dl.notes dt { font-weight: 600; }
dl.notes dd { margin: 0; }
.empty { color: var(--muted); font-style: italic; }
footer.report { margin-top: 2rem; color: var(--muted); font-size: .8rem; border-top: 1px solid var(--rule);
     padding-top: .5rem; }
@media print {
  @page { size: A4; margin: 16mm 15mm 18mm; }
  body { background: none; font-size: 10.5pt; }
  main { box-shadow: none; margin: 0; padding: 0; max-width: none; border-radius: 0; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  a { color: inherit; text-decoration: none; }
}
"#;

/// Renders the report as a complete HTML document.
pub fn render(report: &TimelineReport) -> String {
    let mut out = String::with_capacity(4096 + report.entries.len() * 600);
    write_head(&mut out, &report.header);
    if lists_people(&report.header) {
        write_people(&mut out, &report.header);
    }
    write_summary(&mut out, report);
    write_timeline(&mut out, report);
    let h = &report.header;
    let _ = write!(
        out,
        "<footer class=\"report\">{} · {} · generated {} by {}</footer>\n</main>\n</body>\n</html>\n",
        escape(&h.title),
        escape(&h.subject),
        escape(&h.generated()),
        escape(&h.generator)
    );
    out
}

/// The document's head and the report's title block.
fn write_head(out: &mut String, h: &ReportHeader) {
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"{}\">\n<title>{} — {}</title>\n<style>{STYLE}</style>\n\
         </head>\n<body>\n<main>\n",
        escape(&h.generator),
        escape(&h.title),
        escape(&h.subject)
    );
    let _ = write!(
        out,
        "<header class=\"report\">\n<div class=\"kicker\">{}</div>\n",
        escape(&h.title)
    );
    // One contact's report shows their avatar beside their name, as the window's header does.
    match heading_person(h) {
        Some(person) => {
            out.push_str("<div class=\"who\">");
            write_avatar(out, person, "large");
            let _ = writeln!(out, "<h1>{}</h1></div>", escape(&h.subject));
        }
        None => {
            let _ = writeln!(out, "<h1>{}</h1>", escape(&h.subject));
        }
    }
    let _ = write!(
        out,
        "<dl><dt>Period</dt><dd>{}</dd><dt>Entries</dt><dd>{}</dd>\
         <dt>Generated</dt><dd>{} by {}</dd></dl>\n</header>\n",
        escape(&h.period()),
        escape(&h.kinds),
        escape(&h.generated()),
        escape(&h.generator)
    );
}

/// The people the report is about, each with their role and personal details.
fn write_people(out: &mut String, h: &ReportHeader) {
    let _ = write!(out, "<section>\n<h2>People ({})</h2>\n", h.people.len());
    for p in &h.people {
        let role = person_role(p);
        out.push_str("<div class=\"person\">");
        // In a group's report each person has their avatar; one contact's is at the top.
        let avatar = !h.single_contact;
        if avatar {
            out.push_str("<div class=\"line\">");
            write_avatar(out, p, "small");
            out.push_str("<span>");
        }
        let _ = write!(
            out,
            "<span class=\"name\">{}</span>",
            escape(&p.display_name)
        );
        if !role.is_empty() {
            let _ = write!(out, " <span class=\"role\">— {}</span>", escape(&role));
        }
        if avatar {
            out.push_str("</span></div>");
        }
        if let Some(details) = &p.personal {
            let lines = personal_lines(details);
            if !lines.is_empty() {
                out.push_str("<dl>");
                for (label, text) in lines {
                    let _ = write!(
                        out,
                        "<dt>{}</dt><dd>{}</dd>",
                        escape(&label),
                        escape_lines(&text)
                    );
                }
                out.push_str("</dl>");
            }
        }
        out.push_str("</div>\n");
    }
    out.push_str("</section>\n");
}

/// A person's round avatar of class `size` (`large` or `small`): the photo as a `data:` URI,
/// which keeps the page one file, or their initials on the name's colour.
fn write_avatar(out: &mut String, person: &ReportPerson, size: &str) {
    match person_avatar(person) {
        Avatar::Photo { mime, bytes, .. } => {
            let pixels = if size == "large" { 56 } else { 28 };
            let _ = write!(
                out,
                "<img class=\"avatar {size}\" width=\"{pixels}\" height=\"{pixels}\" alt=\"{}\" src=\"data:{mime};base64,",
                escape(&person.display_name)
            );
            base64::engine::general_purpose::STANDARD.encode_string(bytes, out);
            out.push_str("\">");
        }
        Avatar::Initials { text, color } => {
            let _ = write!(
                out,
                "<span class=\"avatar {size}\" style=\"background:{color}\" aria-hidden=\"true\">{}</span>",
                escape(&text)
            );
        }
    }
}

/// The summary table and the latest needs they mentioned.
fn write_summary(out: &mut String, report: &TimelineReport) {
    out.push_str("<section>\n<h2>Summary</h2>\n<table class=\"summary\">\n");
    for (label, value) in summary_lines(&report.summary) {
        let _ = writeln!(
            out,
            "<tr><th scope=\"row\">{label}</th><td>{}</td></tr>",
            escape(&value)
        );
    }
    out.push_str("</table>\n");
    if !report.summary.open_needs.is_empty() {
        out.push_str("<p><strong>Latest needs they mentioned</strong></p>\n<ul class=\"needs\">\n");
        for need in &report.summary.open_needs {
            let _ = writeln!(
                out,
                "<li>{} — {}: {}</li>",
                need.at.format("%-d %b %Y"),
                escape(&need.who),
                escape_lines(&need.need)
            );
        }
        out.push_str("</ul>\n");
    }
    out.push_str("</section>\n");
}

/// The entries, oldest first, each year under its own heading (the PDF also heads its months).
fn write_timeline(out: &mut String, report: &TimelineReport) {
    let _ = write!(
        out,
        "<section>\n<h2>Timeline ({} entries, oldest first)</h2>\n",
        report.entries.len()
    );
    if report.entries.is_empty() {
        out.push_str("<p class=\"empty\">Nothing recorded in this period.</p>\n");
    } else {
        let mut year = None;
        for e in &report.entries {
            let this_year = chrono::Datelike::year(&e.at);
            if year != Some(this_year) {
                if year.is_some() {
                    out.push_str("</ol>\n");
                }
                let _ = write!(
                    out,
                    "<h3 class=\"year\">{this_year}</h3>\n<ol class=\"timeline\">\n"
                );
                year = Some(this_year);
            }
            write_entry(out, report, e);
        }
        out.push_str("</ol>\n");
    }
    out.push_str("</section>\n");
}

/// One timeline entry as a list item.
fn write_entry(out: &mut String, report: &TimelineReport, e: &ReportEntry) {
    let class = match e.kind {
        EntryKind::Conversation => "conversation",
        EntryKind::FollowUp => "follow-up",
        EntryKind::LifeEvent => "life-event",
    };
    let meta = e.meta();
    let _ = write!(
        out,
        "<li class=\"{class}\"><span class=\"when\">{}</span><span class=\"meta\">\
         <span class=\"kind\">{}</span>{}{}</span>",
        escape(&e.when_long()),
        e.kind.label(),
        if meta.is_empty() { "" } else { " · " },
        escape(&meta)
    );
    if let Some(names) = shown_participants(report, e) {
        let _ = write!(out, "<div class=\"with\">With {}</div>", escape(&names));
    }
    if !e.summary.is_empty() {
        let _ = write!(
            out,
            "<p class=\"summary-text\">{}</p>",
            escape_lines(&e.summary)
        );
    }
    let notes = e.notes();
    if !notes.is_empty() {
        out.push_str("<dl class=\"notes\">");
        for (label, text) in notes {
            let _ = write!(out, "<dt>{label}</dt><dd>{}</dd>", escape_lines(text));
        }
        out.push_str("</dl>");
    }
    out.push_str("</li>\n");
}
