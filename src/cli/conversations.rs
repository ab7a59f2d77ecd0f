//! Conversations: `log` and `history`.

use super::{LogArgs, now, write_json_rows};
use crate::model::{ContactId, InteractionDraft};
use crate::store::Store;
use anyhow::{Result, bail};
use chrono::NaiveDateTime;
use std::io::Write;

/// Parses "YYYY-MM-DD HH:MM" (or with seconds, or a bare date at 09:00).
pub fn parse_local_time(text: &str) -> Result<NaiveDateTime> {
    let text = text.trim();
    for format in ["%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M"] {
        if let Ok(t) = NaiveDateTime::parse_from_str(text, format) {
            return Ok(t);
        }
    }
    if let Ok(d) = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Ok(d.and_hms_opt(9, 0, 0).unwrap_or_default());
    }
    bail!("\"{text}\" is not a date and time; write it as YYYY-MM-DD HH:MM, e.g. 2026-03-14 15:30.")
}

/// `rapport log`: one conversation with one contact.
pub(super) fn log(store: &mut Store, args: LogArgs, out: &mut dyn Write) -> Result<()> {
    let contact = ContactId(args.contact);
    store.contact(contact)?;
    let occurred_at = match args.at {
        Some(text) => parse_local_time(&text)?,
        None => now(),
    };
    let draft = InteractionDraft {
        occurred_at,
        channel: args.channel,
        initiated_by: args.by,
        purpose: args.purpose,
        outcome: args.outcome,
        duration_minutes: args.minutes,
        participants: vec![contact],
        summary: args.summary,
        they_said: args.they_said,
        they_need: args.they_need,
        i_promised: args.promised,
        next_step: args.next_step,
        private: false,
    };
    let id = store.log_interaction(&draft)?;
    writeln!(
        out,
        "Logged conversation {} on {}.",
        id.0,
        occurred_at.format("%Y-%m-%d %H:%M")
    )?;
    Ok(())
}

/// `rapport history --contact ID`: a contact's conversations, newest first.
pub(super) fn history(store: &Store, contact: i64, json: bool, out: &mut dyn Write) -> Result<()> {
    let contact = ContactId(contact);
    let person = store.contact(contact)?;
    let total = store.count_interactions(contact)?;
    let items = store.interactions_for_contact(contact, 0, total)?;
    if json {
        // Where imported ones came from: the message (or meeting), its thread, attachments.
        let ids: Vec<_> = items.iter().map(|i| i.id).collect();
        let origins = store.conversation_origins(&ids)?;
        write_json_rows(out, &items, |i| {
            let origin = origins.get(&i.id);
            serde_json::json!({
                "subject": i.draft.summary,
                "time": i.draft.occurred_at.format("%Y-%m-%d %H:%M:%S").to_string(),
                "message_id": origin.and_then(|o| o.message_id()),
                "thread": origin
                    .and_then(|o| o.thread_ref.as_deref())
                    .map(|t| t.strip_prefix("mid:").unwrap_or(t)),
                "source": origin.map(|o| o.source_ref.as_str()),
                "attachments": origin.map(|o| o.attachments.clone()).unwrap_or_default(),
                "id": i.id.0,
                "at": i.draft.occurred_at.format("%Y-%m-%d %H:%M").to_string(),
                "channel": i.draft.channel.as_str(),
                "initiated_by": i.draft.initiated_by.as_str(),
                "purpose": i.draft.purpose.as_str(),
                "outcome": i.draft.outcome.as_str(),
                "duration_minutes": i.draft.duration_minutes,
                "participants": i.participant_names,
                "summary": i.draft.summary,
                "they_said": i.draft.they_said,
                "they_need": i.draft.they_need,
                "i_promised": i.draft.i_promised,
                "next_step": i.draft.next_step,
            })
        })?;
    } else if items.is_empty() {
        writeln!(
            out,
            "No conversations with {} yet. Log one with: rapport log --contact {} --channel call --summary \"…\"",
            person.display_name(),
            contact.0
        )?;
    } else {
        for i in &items {
            writeln!(
                out,
                "{}  {:<16} {:<13} {:<10} {}",
                i.draft.occurred_at.format("%Y-%m-%d %H:%M"),
                i.draft.channel.label(),
                i.draft.purpose.label(),
                i.draft.outcome.label(),
                i.draft.summary
            )?;
            for (label, text) in [
                ("They said", &i.draft.they_said),
                ("They need", &i.draft.they_need),
                ("I promised", &i.draft.i_promised),
                ("Next step", &i.draft.next_step),
            ] {
                if !text.is_empty() {
                    writeln!(out, "    {label}: {text}")?;
                }
            }
        }
    }
    Ok(())
}
