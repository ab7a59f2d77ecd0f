//! Imports: `import`, `imports` and `undo-import`.

use super::{ImportArgs, now, write_json};
use crate::import::{Format, ImportedContact, ParsedFile};
use crate::model::ImportBatchId;
use crate::store::Store;
use crate::store::import::{Action, ImportPlan};
use anyhow::{Context as _, Result, bail};
use std::io::Write;
use std::path::Path;

/// Row by row for a file a person reads through; a big file's first rows and a count
/// (100,000 lines of "create" told nothing the totals do not).
const LISTED: usize = 200;

/// `rapport import FILE`: parse, show the plan, and apply it unless `--dry-run`.
pub(super) fn import(store: &mut Store, args: ImportArgs, out: &mut dyn Write) -> Result<()> {
    // E-mails, mailboxes and calendars become conversations.
    if super::import_conversations::is_conversation_file(&args.file) {
        return super::import_conversations::import(store, args, out);
    }
    if !args.more.is_empty() {
        bail!(
            "Import one contact file at a time (several files go together only for e-mails, mailboxes and calendars). Nothing was changed."
        );
    }
    let ImportArgs {
        file,
        dry_run,
        region,
        json,
        format,
        no_header,
        map,
        ..
    } = args;
    let options = crate::import::ReadOptions {
        no_header,
        columns: column_choices(&map)?,
        custom_fields: store.custom_fields(crate::model::custom_field::AppliesTo::Contact)?,
    };
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let parsed = read_and_parse(store, &file, &name, &region, &format, &options)?;
    let skipped = parsed
        .problems
        .iter()
        .filter(|p| p.message.contains("skipped"))
        .count();
    if json {
        return print_json(store, &name, &parsed, dry_run, skipped, out);
    }
    writeln!(
        out,
        "{}: {} ({}), {} contact(s) found.",
        name,
        parsed.format.label(),
        parsed.encoding,
        parsed.contacts.len()
    )?;
    for note in &parsed.notes {
        writeln!(out, "  note: {note}")?;
    }
    for problem in parsed.problems.iter().take(LISTED) {
        writeln!(out, "  row {}: {}", problem.row, problem.message)?;
    }
    if parsed.problems.len() > LISTED {
        writeln!(
            out,
            "  … and {} more problems (--json lists every one)",
            parsed.problems.len() - LISTED
        )?;
    }
    let plan = store.plan_import(&parsed.contacts)?;
    print_plan(&parsed.contacts, &plan, out)?;
    if dry_run {
        writeln!(
            out,
            "Dry run: would create {}, merge {}, leave {} unchanged, skip {}. Nothing was changed.",
            plan.created(),
            plan.merged(),
            plan.unchanged(),
            skipped
        )?;
    } else {
        let (batch, plan) = apply(store, &name, &parsed)?;
        writeln!(
            out,
            "Imported as batch {}: created {}, merged {}, unchanged {}. Undo with: rapport undo-import {}",
            batch.0,
            plan.created(),
            plan.merged(),
            plan.unchanged(),
            batch.0
        )?;
    }
    Ok(())
}

/// `--map "Column=field"` as the columns to choose, or a sentence on what is wrong with one.
fn column_choices(map: &[String]) -> Result<Vec<(String, crate::import::Column)>> {
    map.iter()
        .map(|choice| {
            let Some((column, field)) = choice.split_once('=') else {
                bail!(
                    "--map \"{choice}\" names no field: write it as Column=field, e.g. --map \"Handy=mobile phone\" or --map \"3=e-mail\". Nothing was changed."
                );
            };
            let Some(target) = crate::import::mapping::target_by_words(field) else {
                let fields: Vec<String> = crate::import::Field::ALL
                    .iter()
                    .map(|f| f.label().to_lowercase())
                    .collect();
                bail!(
                    "--map \"{choice}\": \"{}\" is not a field Rapport knows; use one of: {}. Nothing was changed.",
                    field.trim(),
                    fields.join(", ")
                );
            };
            Ok((column.trim().to_owned(), target))
        })
        .collect()
}

/// Reads and parses the file, refusing one of another kind than `--format` asked for, or one
/// with no usable contact.
fn read_and_parse(
    store: &Store,
    file: &Path,
    name: &str,
    region: &str,
    format: &str,
    options: &crate::import::ReadOptions,
) -> Result<ParsedFile> {
    let bytes =
        std::fs::read(file).with_context(|| format!("Could not read {}.", file.display()))?;
    let saved = |sig: &str| store.saved_mapping(sig);
    let parsed =
        crate::import::parse_file_with(&bytes, name, region, saved, options).map_err(|why| {
            anyhow::anyhow!(
                "{} cannot be imported: {why} Nothing was changed.",
                file.display()
            )
        })?;
    if !is_expected_format(format, parsed.format) {
        bail!(
            "{} looks like {}, not {format}. Nothing was changed.",
            file.display(),
            parsed.format.label()
        );
    }
    if parsed.contacts.is_empty() {
        bail!(
            "{} holds no contact Rapport can use ({} problem row(s)). Nothing was changed.",
            file.display(),
            parsed.problems.len()
        );
    }
    Ok(parsed)
}

/// Whether the detected format is the one `--format` named (`auto` takes any).
fn is_expected_format(wanted: &str, found: Format) -> bool {
    match wanted {
        "google" => matches!(found, Format::GoogleCurrent | Format::GoogleOlder),
        "outlook" => found == Format::Outlook,
        "linkedin" => found == Format::LinkedIn,
        "thunderbird" => found == Format::Thunderbird,
        "vcard" => found == Format::VCard,
        "csv" => found != Format::VCard,
        _ => true,
    }
}

/// Backs the database file up, then applies the import as one batch.
fn apply(
    store: &mut Store,
    name: &str,
    parsed: &ParsedFile,
) -> Result<(ImportBatchId, ImportPlan)> {
    if store.path().is_some() {
        store.backup_now("before-import", now())?;
    }
    Ok(store.apply_import(name, parsed.format.label(), &parsed.contacts)?)
}

/// `--json`: the totals, every problem and the batch number in one object.
fn print_json(
    store: &mut Store,
    name: &str,
    parsed: &ParsedFile,
    dry_run: bool,
    skipped: usize,
    out: &mut dyn Write,
) -> Result<()> {
    let problems: Vec<serde_json::Value> = parsed
        .problems
        .iter()
        .map(|p| serde_json::json!({"row": p.row, "reason": p.message}))
        .collect();
    let plan = store.plan_import(&parsed.contacts)?;
    let batch = if dry_run {
        None
    } else {
        Some(apply(store, name, parsed)?.0.0)
    };
    write_json(
        out,
        &serde_json::json!({
            "format": parsed.format.label(),
            "encoding": parsed.encoding,
            "dry_run": dry_run,
            "created": plan.created(),
            "merged": plan.merged(),
            "unchanged": plan.unchanged(),
            "relationships": plan.relations.recorded(),
            "skipped": skipped,
            "problems": problems,
            "batch_id": batch,
        }),
    )
}

/// One line per planned contact (the first `LISTED`), conflicts indented below a merge.
fn print_plan(contacts: &[ImportedContact], plan: &ImportPlan, out: &mut dyn Write) -> Result<()> {
    for (imported, action) in contacts.iter().zip(&plan.actions).take(LISTED) {
        match action {
            Action::Create => writeln!(
                out,
                "  create  row {:<5} {}",
                imported.row, imported.draft.display_name
            )?,
            Action::Merge {
                existing_name,
                rule,
                changes,
                conflicts,
                ..
            } => {
                writeln!(
                    out,
                    "  merge   row {:<5} {} into {existing_name} ({}): {}",
                    imported.row,
                    imported.draft.display_name,
                    rule.label(),
                    changes.join(", ")
                )?;
                for conflict in conflicts {
                    writeln!(out, "            {conflict}")?;
                }
            }
            Action::Unchanged {
                existing_name,
                rule,
                ..
            } => writeln!(
                out,
                "  same    row {:<5} {} = {existing_name} ({}), nothing new",
                imported.row,
                imported.draft.display_name,
                rule.label()
            )?,
        }
    }
    if contacts.len() > LISTED {
        writeln!(
            out,
            "  … and {} more rows (--json gives the totals and every problem)",
            contacts.len() - LISTED
        )?;
    }
    if let Some(relations) = plan.relations_sentence() {
        writeln!(out, "  relationships: {relations}")?;
    }
    Ok(())
}

/// `rapport imports`: past imports.
pub(super) fn list(store: &Store, out: &mut dyn Write) -> Result<()> {
    let batches = store.import_batches()?;
    if batches.is_empty() {
        writeln!(out, "No imports yet.")?;
    }
    for b in batches {
        let state = if b.undone_at.is_some() { "undone" } else { "" };
        writeln!(
            out,
            "{:>4}  {:<30} {:<36} created {:<6} merged {:<6} {state}",
            b.id.0, b.source_name, b.format, b.created, b.merged
        )?;
    }
    Ok(())
}

/// `rapport undo-import BATCH`.
pub(super) fn undo(store: &mut Store, batch: i64, out: &mut dyn Write) -> Result<()> {
    let report = store.undo_import(ImportBatchId(batch))?;
    writeln!(
        out,
        "Undid import {batch}: removed {}, restored {}.",
        report.removed, report.restored
    )?;
    if report.conversations > 0 || !report.kept_conversations.is_empty() {
        writeln!(out, "Removed {} conversation(s).", report.conversations)?;
    }
    if !report.kept_conversations.is_empty() {
        writeln!(
            out,
            "Kept these conversations because they changed after the import: {}",
            report.kept_conversations.join(", ")
        )?;
    }
    if !report.kept.is_empty() {
        writeln!(
            out,
            "Kept because they changed after the import: {}",
            report.kept.join(", ")
        )?;
    }
    Ok(())
}
