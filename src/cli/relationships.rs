//! Relationships between contacts: `relate A KIND B`, `unrelate A KIND B`, `relations ID`,
//! `referrals`. KIND is said from A's side, in either direction's words (`relate 5
//! referred-by 9` records that 9 referred 5).

use super::args::RelateArgs;
use super::{write_json, write_json_rows};
use crate::model::ContactId;
use crate::model::relationship::{Related, Role, people, referrers};
use crate::store::Store;
use anyhow::Result;
use std::io::Write;

/// A relationship as `contacts --json` and `relations --json` give it.
pub(super) fn related_json(line: &Related) -> serde_json::Value {
    serde_json::json!({
        "id": line.id,
        "kind": line.role.kind.as_str(),
        "role": line.role.word(),
        "other_id": line.other.0,
        "other_name": line.other_name,
        "wording": line.wording(),
        "note": line.note,
    })
}

/// `rapport relate A KIND B [--note TEXT]`.
pub(super) fn relate(store: &mut Store, args: RelateArgs, out: &mut dyn Write) -> Result<()> {
    let role = Role::from_word(&args.kind).map_err(anyhow::Error::msg)?;
    let (me, other) = (ContactId(args.a_id), ContactId(args.b_id));
    let done = store.relate(me, role, other, args.note.as_deref().unwrap_or(""))?;
    let my_name = store.contact(me)?.draft.display_name;
    let sentence = role.sentence(&my_name, &done.related.other_name);
    match done.change {
        Some(_) => writeln!(out, "Recorded: {sentence}.")?,
        None => writeln!(out, "Already recorded: {sentence}. Nothing was changed.")?,
    }
    Ok(())
}

/// `rapport unrelate A KIND B`.
pub(super) fn unrelate(
    store: &mut Store,
    a_id: i64,
    kind: &str,
    b_id: i64,
    out: &mut dyn Write,
) -> Result<()> {
    let role = Role::from_word(kind).map_err(anyhow::Error::msg)?;
    let me = ContactId(a_id);
    let (removed, _) = store.unrelate(me, role, ContactId(b_id))?;
    let my_name = store.contact(me)?.draft.display_name;
    writeln!(
        out,
        "Removed: {}.",
        role.sentence(&my_name, &removed.other_name)
    )?;
    Ok(())
}

/// `rapport relations ID [--json]`.
pub(super) fn relations(store: &Store, id: i64, json: bool, out: &mut dyn Write) -> Result<()> {
    let contact = store.contact(ContactId(id))?;
    let lines = store.relationships_of(contact.id)?;
    if json {
        return write_json_rows(out, &lines, related_json);
    }
    let name = &contact.draft.display_name;
    if lines.is_empty() {
        writeln!(
            out,
            "No relationships recorded for {name}. Add one with: rapport relate {id} spouse OTHER_ID"
        )?;
    }
    for line in &lines {
        writeln!(out, "{:>6}  {}", line.other.0, line.wording())?;
    }
    Ok(())
}

/// `rapport referrals [--json]`: each referrer with how many they referred and whom.
pub(super) fn referrals(store: &Store, json: bool, out: &mut dyn Write) -> Result<()> {
    let list = referrers(&store.referrals()?);
    if json {
        let rows: Vec<serde_json::Value> = list
            .iter()
            .map(|r| {
                serde_json::json!({
                    "id": r.id.0,
                    "name": r.name,
                    "referred_count": r.referred.len(),
                    "customers": r.customers,
                    "referred": r.referred.iter().map(|(id, name)| serde_json::json!({
                        "id": id.0,
                        "name": name,
                    })).collect::<Vec<_>>(),
                })
            })
            .collect();
        return write_json(out, &rows);
    }
    if list.is_empty() {
        writeln!(
            out,
            "Nobody's referrals are recorded yet. Record one with: rapport relate NEW_ID referred-by WHO_ID"
        )?;
    }
    for r in &list {
        let names: Vec<&str> = r.referred.iter().map(|(_, n)| n.as_str()).collect();
        writeln!(
            out,
            "{:>6}  {:<28} referred {} ({}): {}",
            r.id.0,
            r.name,
            people(r.referred.len()),
            match r.customers {
                1 => "1 customer".to_owned(),
                n => format!("{n} customers"),
            },
            names.join(", ")
        )?;
    }
    Ok(())
}
