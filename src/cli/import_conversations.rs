//! `rapport import` of e-mail, mailbox and calendar files (the kind is detected; one or many
//! files make one batch): the plan with `--dry-run`, else the import after a backup, said
//! like the contact import (`--json` for scripts). `--me` names the user's own addresses for
//! this import (`rapport settings my-addresses` keeps them); `--new-contacts` makes contacts
//! of unknown senders.

use super::{ImportArgs, now, write_json};
use crate::import::conversation_files::ConversationFiles;
use crate::import::mail::ReadOptions;
use crate::import::meetings::MeetingOptions;
use crate::store::Store;
use crate::store::conversation_import::{
    ConversationImportOptions, ConversationPlan, parse_addresses,
};
use anyhow::{Result, anyhow};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Contacts, unknown senders and reasons listed by name; the rest are counted.
const LISTED: usize = 20;

/// Whether `rapport import` was given mail or calendar files (then they go here).
pub(super) fn is_conversation_file(path: &Path) -> bool {
    crate::import::conversation_files::kind_of(path).is_some()
}

/// `rapport import FILE [MORE…]` for mail and calendar files.
pub(super) fn import(store: &mut Store, args: ImportArgs, out: &mut dyn Write) -> Result<()> {
    let paths: Vec<PathBuf> = std::iter::once(args.file.clone())
        .chain(args.more.iter().cloned())
        .collect();
    let files = ConversationFiles::open(&paths).map_err(|why| anyhow!(why))?;
    let my_addresses = if args.me.is_empty() {
        store.my_addresses()?
    } else {
        parse_addresses(&args.me.join(","))
            .map_err(|why| anyhow!("--me: {why} Nothing was changed."))?
    };
    let options = ConversationImportOptions {
        my_addresses,
        new_contacts: args.new_contacts,
        hint: None,
    };
    let (batch, plan) = if args.dry_run {
        let mut entries = files.entries(ReadOptions::default(), MeetingOptions::default());
        let plan = store.plan_conversation_import(&mut entries, &options, &mut |_, _| true)?;
        (None, plan)
    } else {
        if store.path().is_some() {
            store.backup_now("before-import", now())?;
        }
        let mut entries = files.entries(ReadOptions::default(), MeetingOptions::default());
        let (batch, plan) = store.import_conversations(
            &files.source_name(),
            &files.format(),
            &mut entries,
            &options,
            &mut |_, _| true,
        )?;
        (Some(batch.0), plan)
    };
    if args.json {
        return print_json(&files, &options, &plan, args.dry_run, batch, out);
    }
    print_plan(&files, &options, &plan, out)?;
    match batch {
        None => writeln!(
            out,
            "Dry run: would make {} conversation(s){}. Nothing was changed.",
            plan.conversations,
            new_contacts_said(&plan, "would make")
        )?,
        Some(batch) => writeln!(
            out,
            "Imported as batch {batch}: {} conversation(s){}. Undo with: rapport undo-import {batch}",
            plan.conversations,
            new_contacts_said(&plan, "made")
        )?,
    }
    Ok(())
}

fn new_contacts_said(plan: &ConversationPlan, verb: &str) -> String {
    match plan.new_contacts {
        0 => String::new(),
        n => format!(" and {verb} {n} new contact(s)"),
    }
}

fn print_plan(
    files: &ConversationFiles,
    options: &ConversationImportOptions,
    plan: &ConversationPlan,
    out: &mut dyn Write,
) -> Result<()> {
    writeln!(
        out,
        "{} ({}): {} message(s) and meeting(s) read.",
        files.source_name(),
        files.format(),
        plan.read
    )?;
    if options.my_addresses.is_empty() {
        let guess = plan
            .likely_me
            .as_ref()
            .map(|a| format!(" (is it {}?)", a.address))
            .unwrap_or_default();
        writeln!(
            out,
            "  note: Rapport does not know your own addresses{guess}; name them with --me ADDRESS or rapport settings my-addresses ADDRESS, so it can tell who wrote first."
        )?;
    }
    for count in plan.per_contact.iter().take(LISTED) {
        writeln!(
            out,
            "  {:<30} {} conversation(s)",
            count.name, count.conversations
        )?;
    }
    if plan.per_contact.len() > LISTED {
        writeln!(
            out,
            "  … and {} more contacts",
            plan.per_contact.len() - LISTED
        )?;
    }
    if plan.already > 0 {
        writeln!(out, "Already in Rapport: {}", plan.already)?;
    }
    if plan.unknown_messages > 0 {
        let what = if options.new_contacts {
            "made contacts of them"
        } else {
            "not imported; --new-contacts makes contacts of them"
        };
        writeln!(
            out,
            "Nobody in Rapport: {} message(s) from {} address(es) ({what})",
            plan.unknown_messages, plan.unknown_addresses
        )?;
        for sender in plan.unknown_senders.iter().take(LISTED) {
            let name = match sender.name.as_str() {
                "" => String::new(),
                name => format!(" ({name})"),
            };
            writeln!(out, "  {}{name}  {}", sender.address, sender.messages)?;
        }
        if plan.unknown_addresses > LISTED {
            writeln!(
                out,
                "  … and {} more addresses",
                plan.unknown_addresses - LISTED.min(plan.unknown_senders.len())
            )?;
        }
    }
    if !plan.skipped.is_empty() {
        writeln!(out, "Skipped: {}", plan.skipped_total())?;
        for skipped in plan.skipped.iter().take(LISTED) {
            writeln!(out, "  {}  {}", skipped.reason, skipped.count)?;
        }
        if plan.skipped.len() > LISTED {
            writeln!(
                out,
                "  … and {} more reasons (--json lists them)",
                plan.skipped.len() - LISTED
            )?;
        }
    }
    Ok(())
}

fn print_json(
    files: &ConversationFiles,
    options: &ConversationImportOptions,
    plan: &ConversationPlan,
    dry_run: bool,
    batch: Option<i64>,
    out: &mut dyn Write,
) -> Result<()> {
    let per_contact: Vec<serde_json::Value> = plan
        .per_contact
        .iter()
        .map(|c| serde_json::json!({"id": c.contact.0, "name": c.name, "conversations": c.conversations}))
        .collect();
    let unknown: Vec<serde_json::Value> = plan
        .unknown_senders
        .iter()
        .map(|u| serde_json::json!({"address": u.address, "name": u.name, "messages": u.messages}))
        .collect();
    let skipped: Vec<serde_json::Value> = plan
        .skipped
        .iter()
        .map(|s| serde_json::json!({"reason": s.reason, "count": s.count}))
        .collect();
    let file_names: Vec<String> = files
        .paths()
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    write_json(
        out,
        &serde_json::json!({
            "files": file_names,
            "format": files.format(),
            "dry_run": dry_run,
            "my_addresses": options.my_addresses,
            "likely_me": plan.likely_me.as_ref().map(|a| a.address.clone()),
            "read": plan.read,
            "conversations": plan.conversations,
            "already_in_rapport": plan.already,
            "per_contact": per_contact,
            "unknown_senders": unknown,
            "unknown_addresses": plan.unknown_addresses,
            "unknown_messages": plan.unknown_messages,
            "new_contacts": plan.new_contacts,
            "skipped": skipped,
            "batch_id": batch,
        }),
    )
}

/// `rapport settings my-addresses a@x,b@y` (or `none`).
pub(super) fn set_my_addresses(store: &mut Store, text: &str, out: &mut dyn Write) -> Result<()> {
    if text.trim().eq_ignore_ascii_case("none") {
        store.set_my_addresses(&[])?;
        writeln!(out, "Rapport no longer knows your own addresses.")?;
        return Ok(());
    }
    let addresses = parse_addresses(text).map_err(|why| anyhow!("{why} Nothing was changed."))?;
    if addresses.is_empty() {
        anyhow::bail!(
            "Name at least one address, e.g. rapport settings my-addresses you@example.com (or none). Nothing was changed."
        );
    }
    store.set_my_addresses(&addresses)?;
    writeln!(
        out,
        "Your addresses: {}. Mail and calendar imports tell by them who wrote first.",
        addresses.join(", ")
    )?;
    Ok(())
}
