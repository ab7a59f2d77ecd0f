//! Follow-ups: `followup add`, `followup done` and `followups`.

use super::{FollowupAddArgs, now, write_json_rows};
use crate::model::repeat::Repeat;
use crate::model::{ContactId, FollowUpDraft, FollowUpId, FollowUpStatus};
use crate::store::Store;
use anyhow::{Result, bail};
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use std::io::Write;

/// Parses a due moment: a date, or a date and a time.
pub fn parse_due(text: &str) -> Result<(NaiveDate, Option<NaiveTime>)> {
    let text = text.trim();
    if let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Ok((date, None));
    }
    for format in ["%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M"] {
        if let Ok(t) = NaiveDateTime::parse_from_str(text, format) {
            return Ok((t.date(), Some(t.time())));
        }
    }
    bail!("\"{text}\" is not a due date; write YYYY-MM-DD, or YYYY-MM-DD HH:MM for a time.")
}

fn describe_due(draft: &FollowUpDraft) -> String {
    match draft.due_time {
        Some(t) => format!("{} {}", draft.due_date, t.format("%H:%M")),
        None => draft.due_date.to_string(),
    }
}

/// `rapport followup add`.
pub(super) fn add(store: &mut Store, args: FollowupAddArgs, out: &mut dyn Write) -> Result<()> {
    let contact = ContactId(args.contact);
    let person = store.contact(contact)?;
    let (due_date, due_time) = parse_due(&args.due).or_else(|_| {
        crate::model::parse_typed_due(&args.due, now()).map_err(|sentence| {
            anyhow::anyhow!("{sentence} Or write YYYY-MM-DD, or YYYY-MM-DD HH:MM for a time.")
        })
    })?;
    let until = args
        .until
        .as_deref()
        .map(|text| {
            crate::model::parse_typed_due(text, now())
                .map(|(day, _)| day)
                .map_err(anyhow::Error::msg)
        })
        .transpose()?;
    let repeat = args
        .repeat
        .as_deref()
        .map(|text| Repeat::parse(text, due_date, until, args.count).map_err(anyhow::Error::msg))
        .transpose()?;
    let draft = FollowUpDraft {
        contact_id: contact,
        organization_id: person.organization_id,
        interaction_id: None,
        text: args.text,
        notes: String::new(),
        due_date,
        due_time,
        promised_by: args.by,
        repeat,
    };
    let id = store.add_follow_up(&draft)?;
    writeln!(
        out,
        "Added follow-up {} for {}, due {}{}.",
        id.0,
        person.display_name(),
        describe_due(&draft),
        draft
            .repeat
            .as_ref()
            .map(|r| format!(", repeating {}", r.describe()))
            .unwrap_or_default()
    )?;
    Ok(())
}

/// `rapport followup done ID`: kept, or kept late when past due.
pub(super) fn done(store: &mut Store, id: i64, out: &mut dyn Write) -> Result<()> {
    let now = now();
    let follow_up = store.follow_up(FollowUpId(id))?;
    if follow_up.status != FollowUpStatus::Open {
        bail!(
            "Follow-up {id} is already {}.",
            follow_up.status.label().to_lowercase()
        );
    }
    let (status, next) = store.complete_follow_up_seen(&follow_up, now)?;
    write!(
        out,
        "Follow-up {id} marked {}.",
        status.label().to_lowercase()
    )?;
    if let Some(next) = next {
        let next = store.follow_up(next)?;
        write!(
            out,
            " Next: follow-up {}, due {}.",
            next.id.0,
            describe_due(&next.draft)
        )?;
    }
    writeln!(out)?;
    Ok(())
}

/// `rapport followups`: open follow-ups, soonest first.
pub(super) fn list(store: &Store, json: bool, overdue: bool, out: &mut dyn Write) -> Result<()> {
    let now = now();
    let mut items = store.open_follow_ups_until(NaiveDate::MAX)?;
    if overdue {
        items.retain(|d| d.follow_up.draft.due_moment() < now);
    }
    if json {
        write_json_rows(out, &items, |d| {
            let f = &d.follow_up;
            serde_json::json!({
                "id": f.id.0,
                "contact_id": f.draft.contact_id.0,
                "contact": d.contact_name,
                "text": f.draft.text,
                "due_date": f.draft.due_date.to_string(),
                "due_time": f.draft.due_time.map(|t| t.format("%H:%M").to_string()),
                "promised_by": f.draft.promised_by.as_str(),
                "status": f.status.as_str(),
                "overdue": f.draft.due_moment() < now,
                "due": describe_due(&f.draft),
                "repeat": f.draft.repeat.as_ref().map(|r| serde_json::json!({
                    "text": r.describe(),
                    "rrule": r.rrule_value(),
                    "occurrence": f.occurrence,
                    "series_first": f.series_first.to_string(),
                    // The one ticking this off would schedule, were it done on its day.
                    "next": r.next(f.series_first, f.occurrence, Some(f.draft.due_date))
                        .map(|d| d.to_string()),
                })),
            })
        })?;
    } else if items.is_empty() {
        writeln!(
            out,
            "{}",
            if overdue {
                "Nothing overdue."
            } else {
                "No open follow-ups."
            }
        )?;
    } else {
        for d in &items {
            let f = &d.follow_up;
            let mark = if f.draft.due_moment() < now {
                "OVERDUE"
            } else {
                ""
            };
            writeln!(
                out,
                "{:>6}  {:<18} {:<7} {:<24} {}",
                f.id.0,
                describe_due(&f.draft),
                mark,
                d.contact_name,
                f.draft.text
            )?;
        }
    }
    Ok(())
}
