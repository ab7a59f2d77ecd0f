//! Custom fields on the command line: `field add|list|rename|change|remove` and
//! `contact set ID --field NAME=VALUE`.

use super::args::{FieldAddArgs, FieldCommand};
use super::write_json;
use crate::model::ContactId;
use crate::model::custom_field::{
    AppliesTo, CustomField, FieldDefinition, FieldKind, parse_choices, removed_sentence,
};
use crate::store::Store;
use anyhow::{Result, bail};
use std::io::Write;

/// `rapport field …`.
pub(super) fn run(store: &mut Store, command: FieldCommand, out: &mut dyn Write) -> Result<()> {
    match command {
        FieldCommand::Add(args) => add(store, args, out),
        FieldCommand::List { json } => list(store, json, out),
        FieldCommand::Rename {
            name,
            new_name,
            applies_to,
        } => {
            let field = named(store, &applies_to, &name)?;
            store.rename_field(field.id, &new_name)?;
            let renamed = named(store, &applies_to, &new_name)?;
            writeln!(out, "Renamed {} to {}.", field.name, renamed.name)?;
            Ok(())
        }
        FieldCommand::Change {
            name,
            choices,
            remind_days,
            applies_to,
        } => change(store, &applies_to, &name, choices, remind_days, out),
        FieldCommand::Remove { name, applies_to } => {
            let field = named(store, &applies_to, &name)?;
            let (usage, _) = store.remove_field(field.id)?;
            let sentence = removed_sentence(&field.name, usage.values, usage.open_reminders);
            writeln!(out, "{sentence}")?;
            Ok(())
        }
    }
}

fn applies(text: &str) -> Result<AppliesTo> {
    match AppliesTo::parse(text) {
        Some(applies) => Ok(applies),
        None => bail!("--for takes contact or organization, not \"{text}\"."),
    }
}

/// The field called `name` (without case), or a sentence naming the fields there are.
fn named(store: &Store, applies_to: &str, name: &str) -> Result<CustomField> {
    let applies = applies(applies_to)?;
    if let Some(field) = store.custom_field_named(applies, name)? {
        return Ok(field);
    }
    let known: Vec<String> = store
        .custom_fields(applies)?
        .into_iter()
        .map(|f| f.name)
        .collect();
    if known.is_empty() {
        bail!(
            "There are no {} fields yet; add one with: rapport field add \"Shop size\" --type text",
            applies.as_str()
        );
    }
    bail!(
        "There is no {} field called \"{}\"; the fields are: {}.",
        applies.as_str(),
        name.trim(),
        known.join(", ")
    )
}

fn add(store: &mut Store, args: FieldAddArgs, out: &mut dyn Write) -> Result<()> {
    let kind = FieldKind::parse(&args.kind).map_err(anyhow::Error::msg)?;
    let definition = FieldDefinition {
        applies_to: applies(&args.applies_to)?,
        name: args.name,
        kind: Some(kind),
        choices: args
            .choices
            .as_deref()
            .map(parse_choices)
            .unwrap_or_default(),
        remind_days_before: args.remind_days,
    };
    let (field, _) = store.define_field(&definition)?;
    writeln!(
        out,
        "Added the {} field {}.",
        field.applies_to.as_str(),
        describe(&field)
    )?;
    Ok(())
}

/// "Shop size (choice: Small, Medium, Large)", "Contract renewal (date, a follow-up 30 days
/// before)".
fn describe(field: &CustomField) -> String {
    let mut kind = field.kind.as_str().to_owned();
    if field.kind == FieldKind::Choice {
        kind.push_str(&format!(": {}", field.choices.join(", ")));
    }
    if let Some(days) = field.remind_days_before {
        kind.push_str(&format!(", a follow-up {days} days before"));
    }
    format!("{} ({kind})", field.name)
}

fn list(store: &Store, json: bool, out: &mut dyn Write) -> Result<()> {
    let mut fields = Vec::new();
    for applies in AppliesTo::ALL {
        fields.extend(store.custom_fields(applies)?);
    }
    if json {
        let rows: Vec<serde_json::Value> = fields
            .iter()
            .map(|f| {
                serde_json::json!({
                    "id": f.id.0,
                    "for": f.applies_to.as_str(),
                    "name": f.name,
                    "type": f.kind.as_str(),
                    "choices": f.choices,
                    "remind_days_before": f.remind_days_before,
                })
            })
            .collect();
        return write_json(out, &rows);
    }
    if fields.is_empty() {
        writeln!(
            out,
            "No custom fields yet. Add one with: rapport field add \"Shop size\" --type choice --choices \"Small,Medium,Large\""
        )?;
    }
    for field in &fields {
        writeln!(out, "{:<13} {}", field.applies_to.as_str(), describe(field))?;
    }
    Ok(())
}

fn change(
    store: &mut Store,
    applies_to: &str,
    name: &str,
    choices: Option<String>,
    remind_days: Option<String>,
    out: &mut dyn Write,
) -> Result<()> {
    let field = named(store, applies_to, name)?;
    let choices = choices.map_or_else(|| field.choices.clone(), |c| parse_choices(&c));
    let remind = match remind_days.as_deref().map(str::trim) {
        None => field.remind_days_before,
        Some("none" | "off" | "") => None,
        Some(days) => match days.parse::<i64>() {
            Ok(days) => Some(days),
            Err(_) => bail!("--remind-days takes a number of days or \"none\", not \"{days}\"."),
        },
    };
    store.change_field(field.id, &choices, remind)?;
    let changed = named(store, applies_to, &field.name)?;
    writeln!(out, "Changed {}.", describe(&changed))?;
    Ok(())
}

/// `rapport contact set ID --field NAME=VALUE …`: one edit of the contact (its search
/// document and reminders with it).
pub(super) fn set_contact(
    store: &mut Store,
    id: i64,
    fields: &[String],
    out: &mut dyn Write,
) -> Result<()> {
    let mut values = Vec::new();
    for pair in fields {
        let Some((name, value)) = pair.split_once('=') else {
            bail!(
                "--field \"{pair}\" names no value: write it as NAME=VALUE, e.g. --field \"Shop size=Large\" (an empty value clears it). Nothing was changed."
            );
        };
        values.push((name.trim().to_owned(), value.trim().to_owned()));
    }
    store.set_contact_fields(ContactId(id), &values)?;
    let contact = store.contact(ContactId(id))?;
    let shown = store.custom_fields(AppliesTo::Contact)?;
    let lines: Vec<String> = shown
        .iter()
        .filter_map(|f| {
            let value = contact.draft.custom_fields.get(&f.name)?;
            Some(format!("{}: {}", f.name, f.display(value)))
        })
        .collect();
    writeln!(
        out,
        "Saved {}{}",
        contact.draft.display_name,
        if lines.is_empty() {
            " (no custom fields set).".to_owned()
        } else {
            format!(": {}.", lines.join("; "))
        }
    )?;
    Ok(())
}
