//! The database as a whole: `demo` and the crash tests' `stress-writes`. `backup`, `backups`,
//! `restore`, `check` and `install-desktop` run in `main` before any database is opened (see
//! `crate::safety` and `crate::desktop`).

use super::now;
use crate::model::{ContactDraft, InteractionDraft};
use crate::store::Store;
use anyhow::{Result, bail};
use std::io::Write;
use std::path::Path;

/// `rapport demo`: realistic demo data, with progress on stderr for a large amount.
pub(super) fn demo(
    store: &mut Store,
    contacts: usize,
    interactions: usize,
    out: &mut dyn Write,
) -> Result<()> {
    let started = std::time::Instant::now();
    let summary = crate::demo::fill(store, contacts, interactions, now(), |done, total| {
        if total >= 50_000 && done % 50_000 < 5000 {
            eprint!("\r{done} / {total}…");
        }
    })?;
    if contacts + interactions >= 50_000 {
        eprintln!();
    }
    writeln!(
        out,
        "Added {} demo contacts, {} conversations, {} follow-ups and {} relationships in {:.1} s.",
        summary.contacts,
        summary.interactions,
        summary.follow_ups,
        summary.relationships,
        started.elapsed().as_secs_f64()
    )?;
    Ok(())
}

/// `rapport stress-writes` (hidden): write in a loop, printing each write after it is committed,
/// and import `import` as one batch every 10 writes.
pub(super) fn stress_writes(
    store: &mut Store,
    count: usize,
    import: Option<&Path>,
    out: &mut dyn Write,
) -> Result<()> {
    let import_bytes = import.map(std::fs::read).transpose()?;
    let now = now();
    for i in 0..count {
        let id = store.create_contact(&ContactDraft::named(&format!("Stress {i}")))?;
        writeln!(out, "contact {} Stress {i}", id.0)?;
        let conversation = store.log_interaction(&InteractionDraft {
            summary: format!("stress conversation {i}"),
            ..InteractionDraft::new(now, id)
        })?;
        writeln!(out, "conversation {} {}", conversation.0, id.0)?;
        let mut draft = store.contact(id)?.draft;
        draft.title = format!("Edited {i}");
        store.update_contact(id, &draft)?;
        writeln!(out, "edit {} Edited {i}", id.0)?;
        if let Some(bytes) = &import_bytes
            && i % 10 == 0
        {
            let parsed = crate::import::parse_file(bytes, "stress.csv", "US", |_| None)
                .map_err(anyhow::Error::msg)?;
            let (batch, plan) = store.apply_import("stress.csv", "CSV", &parsed.contacts)?;
            writeln!(
                out,
                "import {} {}",
                batch.0,
                plan.created() + plan.merged() + plan.unchanged()
            )?;
        }
        out.flush()?;
    }
    Ok(())
}

/// The commands `main` runs before opening a database never reach `run`.
pub(super) fn needs_no_store() -> Result<()> {
    bail!("This command runs before the database is opened; call it through the rapport binary.")
}
