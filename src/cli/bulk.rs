//! Bulk changes: `tag add TAG`, `tag remove TAG`, `stage set STAGE`, `cadence set DAYS|none`
//! and `trash`, each for the contacts `--search TEXT` finds or `--ids 1,2,3` names.
//! `--dry-run` lists who would change (id and name) and changes nothing; a real run takes a
//! backup first and says how many changed. `export-contacts --search/--ids` chooses the same way.

use super::args::{BulkWho, CadenceCommand, StageCommand, TagCommand, TrashArgs};
use super::now;
use crate::model::{ContactFilter, ContactId, Stage};
use crate::store::{BulkEdit, Store};
use anyhow::{Result, bail};
use std::io::Write;

/// `rapport tag add|remove TAG (--search TEXT | --ids …) [--dry-run]`.
pub(super) fn tag(store: &mut Store, command: TagCommand, out: &mut dyn Write) -> Result<()> {
    let (edit, args) = match command {
        TagCommand::Add(args) => (BulkEdit::AddTag(args.tag.clone()), args),
        TagCommand::Remove(args) => (BulkEdit::RemoveTag(args.tag.clone()), args),
    };
    run(store, &edit, &args.who, args.dry_run, out)
}

/// `rapport stage set STAGE (--search TEXT | --ids …) [--dry-run]`.
pub(super) fn stage(store: &mut Store, command: StageCommand, out: &mut dyn Write) -> Result<()> {
    let StageCommand::Set(args) = command;
    let stage: Stage = args.stage.parse()?;
    run(
        store,
        &BulkEdit::SetStage(stage),
        &args.who,
        args.dry_run,
        out,
    )
}

/// `rapport cadence set DAYS|none (--search TEXT | --ids …) [--dry-run]`.
pub(super) fn cadence(
    store: &mut Store,
    command: CadenceCommand,
    out: &mut dyn Write,
) -> Result<()> {
    let CadenceCommand::Set(args) = command;
    let days = match args.days.trim() {
        "none" | "off" => None,
        text => match text.parse::<i64>() {
            Ok(days) if days > 0 => Some(days),
            _ => bail!("\"{text}\" is not a number of days; write e.g. 30, or none."),
        },
    };
    run(
        store,
        &BulkEdit::SetCadence(days),
        &args.who,
        args.dry_run,
        out,
    )
}

/// `rapport trash (--search TEXT | --ids …) [--dry-run]`.
pub(super) fn trash(store: &mut Store, args: TrashArgs, out: &mut dyn Write) -> Result<()> {
    run(store, &BulkEdit::Trash, &args.who, args.dry_run, out)
}

/// The contacts `who` chooses: a search's matches in name order, or the ids as given (each
/// must exist).
fn chosen(store: &Store, who: &BulkWho) -> Result<Vec<ContactId>> {
    chosen_by(store, who.search.as_deref(), who.ids.as_deref())
}

/// The contacts `--search` finds (in name order) or `--ids` names (each must exist).
pub(super) fn chosen_by(
    store: &Store,
    search: Option<&str>,
    ids: Option<&[i64]>,
) -> Result<Vec<ContactId>> {
    if let Some(text) = search {
        if text.trim().is_empty() {
            bail!("Give --search some words to look for (or --ids).");
        }
        return Ok(store.contact_ids_matching(text, &ContactFilter::default())?);
    }
    let ids: Vec<ContactId> = ids
        .iter()
        .copied()
        .flatten()
        .map(|&id| ContactId(id))
        .collect();
    for &id in &ids {
        store.contact(id)?;
    }
    Ok(ids)
}

fn run(
    store: &mut Store,
    edit: &BulkEdit,
    who: &BulkWho,
    dry_run: bool,
    out: &mut dyn Write,
) -> Result<()> {
    let ids = chosen(store, who)?;
    if dry_run {
        let would = store.bulk_preview(&ids, edit)?;
        for (id, name) in &would {
            writeln!(out, "{id} {name}")?;
        }
        let count = match would.len() {
            1 => "1 contact would change".to_owned(),
            n => format!("{n} contacts would change"),
        };
        writeln!(out, "{count}; nothing was changed (dry run).")?;
        return Ok(());
    }
    if store.bulk_preview(&ids, edit)?.is_empty() {
        writeln!(out, "{} Nothing needed changing.", edit.done_sentence(0))?;
        return Ok(());
    }
    if store.path().is_some() {
        let backup = store.backup_now("before-bulk-change", now())?;
        writeln!(out, "A backup was taken first: {}", backup.display())?;
    }
    let done = store.bulk_edit(&ids, edit)?;
    writeln!(out, "{}", edit.done_sentence(done.changed.len()))?;
    Ok(())
}
