//! Contacts and tags: `contacts`, `contact add`, `contact everything`, `contact erase`,
//! `tag-cadence`, `tag-color`, `attention`.

use super::{ContactAddArgs, now, write_json_rows};
use crate::model::{ContactDraft, ContactId, Email, Phone};
use crate::report::everything as report;
use crate::store::{Store, erase};
use anyhow::{Result, bail};
use std::io::Write;
use std::path::Path;

/// `rapport contacts`: everyone in name order, as a table or JSON.
pub(super) fn list(store: &Store, json: bool, out: &mut dyn Write) -> Result<()> {
    let contacts = store.all_contacts()?;
    if json {
        let relationships = store.relationships_by_contact()?;
        let photos = store.contacts_with_photo()?;
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
                // Custom fields by name, in their stored form (dates YYYY-MM-DD, yes/no 1/0).
                "fields": c.draft.custom_fields,
                "photo": photos.contains(&c.id),
                "relationships": relationships.get(&c.id).map_or_else(Vec::new, |lines| {
                    lines.iter().map(super::relationships::related_json).collect()
                }),
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

/// `rapport contact everything ID -o FILE`: everything held about one contact, as JSON or
/// HTML by the file's extension, written atomically and readable by the user only.
pub(super) fn everything(store: &Store, id: i64, output: &Path, out: &mut dyn Write) -> Result<()> {
    let extension = output
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let render = match extension.as_deref() {
        Some("json") => report::to_json,
        Some("html" | "htm") => report::to_html,
        _ => bail!(
            "Name the file FILE.json or FILE.html; {} is neither.",
            output.display()
        ),
    };
    let held = store.everything_about(ContactId(id))?;
    crate::files::write_atomically(output, render(&held, now()).as_bytes())?;
    crate::safety::make_private(output);
    writeln!(
        out,
        "Wrote everything held about {} ({} conversations, {} follow-ups, {} life events) to {}.",
        held.contact.draft.display_name,
        held.conversations.len(),
        held.follow_ups.len(),
        held.life_events.len(),
        output.display()
    )?;
    Ok(())
}

/// `rapport contact erase ID [--from-backups]`: erases the contact and every trace of them,
/// compacts the file, then says which backups still hold them (or erases them there too).
pub(super) fn erase(
    store: &mut Store,
    id: i64,
    from_backups: bool,
    out: &mut dyn Write,
) -> Result<()> {
    let (erased, compacted) = store.erase_contact(ContactId(id))?;
    writeln!(out, "Erased {} (contact {id}) for good.", erased.name)?;
    for (what, count) in &erased.removed {
        writeln!(out, "  {count:>5}  {what}")?;
    }
    if erased.shared_conversations > 0 {
        writeln!(
            out,
            "  {:>5}  shared conversations kept for the other people in them, without {}; what their notes say about {} stays as written.",
            erased.shared_conversations, erased.name, erased.name
        )?;
    }
    writeln!(
        out,
        "The file was compacted so the erased bytes are gone ({} → {} bytes).",
        compacted.before_bytes, compacted.after_bytes
    )?;
    writeln!(out, "This cannot be undone.")?;
    super::settings::refresh_calendar_file(store);
    match store.path() {
        Some(path) => report_backups(path, &erased, from_backups, out),
        None => Ok(()),
    }
}

/// Says, for each backup beside the database at `db_path`, whether it still holds the erased
/// person, or erases them from it with `from_backups`.
fn report_backups(
    db_path: &Path,
    erased: &erase::Erased,
    from_backups: bool,
    out: &mut dyn Write,
) -> Result<()> {
    let checks = if from_backups {
        erase::erase_from_backups(db_path, erased)?
    } else {
        erase::check_backups(db_path, erased)?
    };
    let holding = checks
        .iter()
        .filter(|c| c.outcome == erase::BackupOutcome::Holds)
        .count();
    if checks.is_empty() {
        writeln!(out, "There are no backups beside the database.")?;
    }
    for check in &checks {
        let path = check.path.display();
        match &check.outcome {
            erase::BackupOutcome::Clean => writeln!(out, "Backup {path} does not hold them.")?,
            erase::BackupOutcome::Holds => writeln!(out, "Backup {path} still holds them.")?,
            erase::BackupOutcome::Erased(c) => writeln!(
                out,
                "Erased them from backup {path} ({} → {} bytes).",
                c.before_bytes, c.after_bytes
            )?,
            erase::BackupOutcome::Unusable(why) => {
                writeln!(out, "Backup {path} could not be checked: {why}")?
            }
        }
    }
    if holding > 0 {
        writeln!(
            out,
            "{holding} older backup(s) still hold them until rotation removes those backups; `rapport backups --erase-erased` erases them there too."
        )?;
    }
    Ok(())
}
