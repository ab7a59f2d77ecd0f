//! Contacts and tags: `contacts`, `contact add`, `tag-cadence`, `tag-color`, `attention`.

use super::{ContactAddArgs, now, write_json_rows};
use crate::model::{ContactDraft, Email, Phone};
use crate::store::Store;
use anyhow::{Result, bail};
use std::io::Write;

/// `rapport contacts`: everyone in name order, as a table or JSON.
pub(super) fn list(store: &Store, json: bool, out: &mut dyn Write) -> Result<()> {
    let contacts = store.all_contacts()?;
    if json {
        write_json_rows(out, &contacts, |c| {
            serde_json::json!({
                "id": c.id.0,
                "name": c.draft.display_name,
                "organization": c.draft.organization,
                "title": c.draft.title,
                "decision_maker": c.draft.is_decision_maker,
                "stage": c.draft.stage.as_str(),
                "emails": c.draft.emails.iter().map(|e| &e.address).collect::<Vec<_>>(),
                "phones": c.draft.phones.iter().map(|p| &p.number).collect::<Vec<_>>(),
                // The same e-mails and phones with the label each came with ("work fax",
                // "pager", a label of the user's own); the flat lists above stay for scripts.
                "labelled_emails": c.draft.emails.iter().map(|e| serde_json::json!({
                    "label": e.label,
                    "address": e.address,
                })).collect::<Vec<_>>(),
                "labelled_phones": c.draft.phones.iter().map(|p| serde_json::json!({
                    "label": p.label,
                    "number": p.number,
                })).collect::<Vec<_>>(),
                "tags": c.draft.tags,
                "birthday": c.draft.birthday.map(|b| b.to_string()),
            })
        })?;
    } else if contacts.is_empty() {
        writeln!(
            out,
            "No contacts yet. Add one with: rapport contact add --name \"Ada Baker\""
        )?;
    } else {
        for c in &contacts {
            let email = c
                .draft
                .emails
                .first()
                .map(|e| e.address.as_str())
                .unwrap_or("");
            writeln!(
                out,
                "{:>6}  {:<28} {:<28} {}",
                c.id.0, c.draft.display_name, c.draft.organization, email
            )?;
        }
    }
    Ok(())
}

/// `rapport contact add`.
pub(super) fn add(store: &mut Store, args: ContactAddArgs, out: &mut dyn Write) -> Result<()> {
    let ContactAddArgs {
        name,
        emails,
        phones,
        org,
        title,
    } = args;
    let draft = ContactDraft {
        display_name: name.trim().to_owned(),
        organization: org.unwrap_or_default(),
        title: title.unwrap_or_default(),
        emails: emails
            .into_iter()
            .map(|address| Email {
                label: String::new(),
                address,
            })
            .collect(),
        phones: phones
            .into_iter()
            .map(|number| Phone {
                label: String::new(),
                number,
            })
            .collect(),
        ..ContactDraft::default()
    };
    let id = store.create_contact(&draft)?;
    writeln!(
        out,
        "Added contact {} ({}).",
        id.0,
        draft.effective_display_name()
    )?;
    Ok(())
}

/// `rapport tag-cadence TAG DAYS`: days between touches for everyone carrying the tag.
pub(super) fn tag_cadence(
    store: &mut Store,
    tag: &str,
    days: &str,
    out: &mut dyn Write,
) -> Result<()> {
    let days = match days.trim() {
        "none" | "off" => None,
        text => match text.parse::<i64>() {
            Ok(d) if d > 0 => Some(d),
            _ => bail!("\"{text}\" is not a number of days; write e.g. 30, or none."),
        },
    };
    store.set_tag_cadence(tag, days)?;
    match days {
        Some(d) => writeln!(
            out,
            "Contacts tagged {tag} should hear from you every {d} days."
        )?,
        None => writeln!(out, "Removed the cadence of tag {tag}.")?,
    }
    Ok(())
}

/// `rapport tag-color TAG COLOR`.
pub(super) fn tag_color(
    store: &mut Store,
    tag: &str,
    color: &str,
    out: &mut dyn Write,
) -> Result<()> {
    let color = match color.trim() {
        "none" | "off" | "" => None,
        text => Some(text),
    };
    store.set_tag_color(tag, color)?;
    match color {
        Some(c) => writeln!(out, "Tag {tag} is now shown in {c}.")?,
        None => writeln!(out, "Removed the colour of tag {tag}.")?,
    }
    Ok(())
}

/// `rapport attention`: weakest relationship first, with the reasons in words.
pub(super) fn attention(
    store: &mut Store,
    json: bool,
    limit: Option<usize>,
    out: &mut dyn Write,
) -> Result<()> {
    // Judge everyone now: changes made from the command line since the window last
    // ran are included.
    store.refresh_all_health(now(), |_, _| true)?;
    let items = store.attention_list(limit.unwrap_or(usize::MAX >> 2))?;
    if json {
        write_json_rows(out, &items, |item| {
            serde_json::json!({
                "id": item.contact_id.0,
                "name": item.name,
                "organization": item.organization,
                "score": item.score,
                "level": item.level.as_str(),
                "reasons": item.reasons,
                "reason_kinds": item.reason_keys,
            })
        })?;
    } else if items.is_empty() {
        writeln!(out, "Nobody needs attention right now.")?;
    } else {
        for item in &items {
            let org = if item.organization.is_empty() {
                String::new()
            } else {
                format!(" ({})", item.organization)
            };
            writeln!(
                out,
                "{:>3}  {}{org} [{}]",
                item.score, item.name, item.contact_id.0
            )?;
            for reason in &item.reasons {
                writeln!(out, "       - {reason}")?;
            }
        }
    }
    Ok(())
}
