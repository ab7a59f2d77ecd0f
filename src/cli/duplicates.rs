//! Duplicates: `duplicates` (the likely pairs, with ids and why) and `merge KEEP_ID OTHER_ID`
//! (`--dry-run` says what would be kept, moved and written into the notes).

use super::args::{DuplicatesArgs, MergeArgs};
use super::{now, write_json_rows};
use crate::insight::duplicates::{FieldChoice, MergeField, Pick, merge_choices_in, merged_draft};
use crate::model::custom_field::AppliesTo;
use crate::model::{ContactDraft, ContactId};
use crate::store::Store;
use crate::store::duplicates::Moves;
use anyhow::{Result, bail};
use std::io::Write;

/// The phone country: `--region`, else the one the window and imports remember, else US.
fn region(store: &Store, given: Option<String>) -> String {
    given
        .or_else(|| store.setting("phone_region"))
        .unwrap_or_else(|| "US".to_owned())
}

/// `rapport duplicates`: one pair a line ("12 Robert Smith (Smith Plumbing) and 40 Bob Smith
/// (Smith Plumbing Ltd): …"), surest first, or a JSON array.
pub(super) fn list(store: &Store, args: DuplicatesArgs, out: &mut dyn Write) -> Result<()> {
    let found = store.find_duplicates(&region(store, args.region))?;
    if args.json {
        let side = |s: &crate::insight::duplicates::PairSide| serde_json::json!({ "id": s.id.0, "name": s.name, "organization": s.organization });
        return write_json_rows(out, &found.pairs, |p| {
            serde_json::json!({
                "first": side(&p.first),
                "second": side(&p.second),
                "reasons": p.reasons,
                "score": p.score,
            })
        });
    }
    let side = |s: &crate::insight::duplicates::PairSide| match s.organization.as_str() {
        "" => format!("{} {}", s.id, s.name),
        org => format!("{} {} ({org})", s.id, s.name),
    };
    for pair in &found.pairs {
        writeln!(
            out,
            "{} and {}: {}",
            side(&pair.first),
            side(&pair.second),
            pair.reasons.join("; ")
        )?;
    }
    let count = match found.pairs.len() {
        0 => "No likely duplicates".to_owned(),
        1 => "1 likely duplicate".to_owned(),
        n => format!("{n} likely duplicates"),
    };
    writeln!(out, "{count} among {} contacts.", found.contacts)?;
    if found.pairs.len() == 1 {
        let p = &found.pairs[0];
        writeln!(
            out,
            "Merge them with: rapport merge {} {}",
            p.first.id, p.second.id
        )?;
    } else if !found.pairs.is_empty() {
        writeln!(
            out,
            "Merge a pair with: rapport merge KEEP_ID OTHER_ID (--dry-run first)"
        )?;
    }
    Ok(())
}

/// `rapport merge KEEP_ID OTHER_ID`: merges OTHER_ID into KEEP_ID after a backup, or with
/// `--dry-run` says what would happen.
pub(super) fn merge(store: &mut Store, args: MergeArgs, out: &mut dyn Write) -> Result<()> {
    let region = region(store, args.region.clone());
    let preview = store.merge_preview(ContactId(args.keep_id), ContactId(args.other_id))?;
    let (kept, other) = (&preview.kept, &preview.other);
    for contact in [kept, other] {
        if contact.deleted_at.is_some() {
            bail!(
                "{} {} is in the trash; restore them first to merge.",
                contact.id,
                contact.draft.effective_display_name()
            );
        }
    }
    let fields = store.custom_fields(AppliesTo::Contact)?;
    let mut choices = merge_choices_in(&kept.draft, &other.draft, &fields);
    let field_names: Vec<&str> = fields.iter().map(|f| f.name.as_str()).collect();
    take_other(&mut choices, &args.take_other, &field_names)?;
    let merged = merged_draft(&kept.draft, &other.draft, &choices, &region);
    let (kept_name, other_name) = (
        kept.draft.effective_display_name(),
        other.draft.effective_display_name(),
    );
    let verb = if args.dry_run {
        "Would merge"
    } else {
        "Merging"
    };
    writeln!(
        out,
        "{verb} {} {other_name} into {} {kept_name}:",
        other.id, kept.id
    )?;
    for line in plan_lines(&choices, &kept.draft, &merged, &preview.moves) {
        writeln!(out, "  {line}")?;
    }
    writeln!(out, "  {} {other_name} is then deleted.", other.id)?;
    if args.dry_run {
        writeln!(out, "Nothing was changed (dry run).")?;
        return Ok(());
    }
    if store.path().is_some() {
        let backup = store.backup_now("before-merge", now())?;
        writeln!(out, "A backup was taken first: {}", backup.display())?;
    }
    store.merge_contacts(kept, other, &merged)?;
    super::settings::refresh_calendar_file(store);
    writeln!(
        out,
        "Merged {} {other_name} into {} {kept_name}.",
        other.id, kept.id
    )?;
    Ok(())
}

/// `--take-other title,birthday`: those fields come from the other contact; a custom field
/// is named by its name (`"Shop size"` or `shop-size`).
fn take_other(choices: &mut [FieldChoice], fields: &[String], custom: &[&str]) -> Result<()> {
    for name in fields.iter().filter(|n| !n.trim().is_empty()) {
        let known = MergeField::from_key(name).or_else(|| {
            let field = MergeField::Custom(name.trim().to_owned());
            custom.iter().any(|c| field.is_named(c)).then_some(field)
        });
        let Some(field) = known else {
            let mut known: Vec<&str> = MergeField::ALL.iter().map(|f| f.key()).collect();
            known.extend(custom);
            bail!(
                "There is no field \"{name}\" to take; the fields are {}.",
                known.join(", ")
            );
        };
        match choices.iter_mut().find(|c| c.field.is_named(field.key())) {
            Some(choice) if !choice.other.is_empty() => choice.pick = Pick::Other,
            _ => bail!("The other contact has no {} to take.", field.label()),
        }
    }
    Ok(())
}

/// What the merge does, a line each: the fields that differ, what is added, what moves.
fn plan_lines(
    choices: &[FieldChoice],
    kept: &ContactDraft,
    merged: &ContactDraft,
    moves: &Moves,
) -> Vec<String> {
    let mut lines: Vec<String> = choices
        .iter()
        .filter(|c| c.conflicts())
        .map(|c| {
            let (chosen, not) = match c.pick {
                Pick::Kept => (&c.kept, &c.other),
                Pick::Other => (&c.other, &c.kept),
            };
            format!(
                "{}: \"{chosen}\" is kept; \"{not}\" goes into the notes",
                c.field.label()
            )
        })
        .collect();
    lines.extend(
        choices
            .iter()
            .filter(|c| c.kept.is_empty() && !c.other.is_empty())
            .map(|c| format!("{}: \"{}\" is filled in", c.field.label(), c.other)),
    );
    let added = |what: &str, before: Vec<String>, after: Vec<String>| {
        let new: Vec<String> = after.into_iter().filter(|a| !before.contains(a)).collect();
        (!new.is_empty()).then(|| format!("{what} added: {}", new.join(", ")))
    };
    let emails = |d: &ContactDraft| d.emails.iter().map(|e| e.address.clone()).collect();
    let phones = |d: &ContactDraft| d.phones.iter().map(|p| p.number.clone()).collect();
    let addresses = |d: &ContactDraft| d.addresses.iter().map(|a| a.one_line()).collect();
    lines.extend(added("e-mails", emails(kept), emails(merged)));
    lines.extend(added("phones", phones(kept), phones(merged)));
    lines.extend(added("addresses", addresses(kept), addresses(merged)));
    lines.extend(added("tags", kept.tags.clone(), merged.tags.clone()));
    let mut moved = format!(
        "moves: {} conversation(s), {} follow-up(s), {} life event(s)",
        moves.conversations, moves.follow_ups, moves.life_events
    );
    if moves.relationships > 0 {
        moved.push_str(&format!(", {} relationship(s)", moves.relationships));
    }
    if moves.photo {
        moved.push_str(" and the photo");
    }
    lines.push(moved);
    if moves.photo_dropped {
        lines.push("photo: the kept contact's stays; the other's is not kept".to_owned());
    }
    lines
}
