//! Exports: `export-ics`, `export` (the timeline report) and `export-contacts` (everyone, a
//! tag, an organization, or the contacts `--search` finds or `--ids` names).

use super::{ExportArgs, ExportContactsArgs, now};
use crate::model::{ContactId, EntryKinds, ReportRequest, ReportScope};
use crate::report::ReportFormat;
use crate::report::contacts::ContactFormat;
use crate::store::Store;
use anyhow::{Context as _, Result, bail};
use std::io::Write;
use std::path::Path;

/// `rapport export-ics -o FILE`: open follow-ups and birthdays as iCalendar.
pub(super) fn calendar(store: &mut Store, output: &Path, out: &mut dyn Write) -> Result<()> {
    let summary = crate::files::export_calendar(store, output, chrono::Local::now().date_naive())?;
    writeln!(out, "{summary}")?;
    Ok(())
}

/// `rapport export`: a relationship timeline report (PDF, HTML, CSV or Markdown).
pub(super) fn report(store: &Store, args: ExportArgs, out: &mut dyn Write) -> Result<()> {
    let request = report_request(store, &args)?;
    let format = match &args.format {
        Some(name) => ReportFormat::parse(name).with_context(|| {
            format!("\"{name}\" is not a report format; use pdf, html, csv or md.")
        })?,
        None => ReportFormat::from_path(&args.output).with_context(|| {
            format!(
                "Say which format to write with --format pdf|html|csv|md ({} has no known extension).",
                args.output.display()
            )
        })?,
    };
    let summary = crate::files::export_report(store, &request, format, &args.output, now())?;
    writeln!(out, "{summary}")?;
    Ok(())
}

/// `rapport export-contacts`: vCard 4.0 or 3.0, or a Google Contacts CSV.
pub(super) fn contacts(store: &Store, args: ExportContactsArgs, out: &mut dyn Write) -> Result<()> {
    let format = contact_format(&args)?;
    let scope = if args.search.is_some() || args.ids.is_some() {
        let ids = super::bulk::chosen_by(store, args.search.as_deref(), args.ids.as_deref())?;
        if let (Some(text), true) = (&args.search, ids.is_empty()) {
            bail!("Nobody matches \"{}\"; nothing was written.", text.trim());
        }
        ReportScope::Contacts(ids)
    } else {
        group_scope(store, args.org.as_deref(), args.tag.as_deref())?
    };
    let summary = crate::files::export_contacts(store, &scope, format, &args.output)?;
    writeln!(out, "{summary}")?;
    Ok(())
}

/// The format `--format` names (or the file's extension suggests), in the vCard version
/// `--vcard-version` names.
fn contact_format(args: &ExportContactsArgs) -> Result<ContactFormat> {
    let format = match &args.format {
        Some(name) => ContactFormat::parse(name)
            .with_context(|| format!("\"{name}\" is not a contact format; use vcard or csv."))?,
        None => ContactFormat::from_path(&args.output).with_context(|| {
            format!(
                "Say which format to write with --format vcard|csv ({} has no .vcf or .csv extension).",
                args.output.display()
            )
        })?,
    };
    let Some(version) = &args.vcard_version else {
        return Ok(format);
    };
    if format == ContactFormat::GoogleCsv {
        bail!("--vcard-version is for vCards; leave it out for a CSV, or use --format vcard.");
    }
    ContactFormat::vcard_version(version)
        .with_context(|| format!("\"{version}\" is not a vCard version; use 3.0 or 4.0."))
}

/// Everyone at an organization (by name), everyone carrying a tag, or everyone.
fn group_scope(store: &Store, org: Option<&str>, tag: Option<&str>) -> Result<ReportScope> {
    Ok(if let Some(name) = org {
        let organization = store.organization_by_name(name)?.with_context(|| {
            format!("No organization is called \"{name}\"; check the spelling.")
        })?;
        ReportScope::Organization(organization.id)
    } else if let Some(tag) = tag {
        ReportScope::Tag(tag.to_owned())
    } else {
        ReportScope::Everyone
    })
}

fn parse_day(text: &str, which: &str) -> Result<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").with_context(|| {
        format!("--{which} \"{text}\" is not a date; write it as YYYY-MM-DD, e.g. 2026-03-14.")
    })
}

/// Turns the export options into a report request, checking each one.
fn report_request(store: &Store, args: &ExportArgs) -> Result<ReportRequest> {
    let scope = match args.contact {
        Some(id) => ReportScope::Contact(ContactId(id)),
        None => group_scope(store, args.org.as_deref(), args.tag.as_deref())?,
    };
    let mut request = ReportRequest::new(scope);
    request.from = args
        .from
        .as_deref()
        .map(|d| parse_day(d, "from"))
        .transpose()?;
    request.to = args.to.as_deref().map(|d| parse_day(d, "to")).transpose()?;
    if let (Some(from), Some(to)) = (request.from, request.to)
        && from > to
    {
        bail!("--from {from} is after --to {to}; swap them.");
    }
    if args.personal {
        request.include_personal = true;
    }
    if args.no_personal {
        request.include_personal = false;
    }
    request.kinds = entry_kinds(&args.kinds)?;
    Ok(request)
}

/// `--kinds conversations,follow-ups,life-events` (any of them, singular or plural).
fn entry_kinds(kinds: &[String]) -> Result<EntryKinds> {
    let mut chosen = EntryKinds {
        conversations: false,
        follow_ups: false,
        life_events: false,
    };
    for kind in kinds {
        match kind.trim().to_ascii_lowercase().replace('_', "-").as_str() {
            "conversations" | "conversation" => chosen.conversations = true,
            "follow-ups" | "follow-up" | "followups" => chosen.follow_ups = true,
            "life-events" | "life-event" => chosen.life_events = true,
            "" => {}
            other => bail!(
                "\"{other}\" is not a kind of entry; use conversations, follow-ups or life-events."
            ),
        }
    }
    Ok(chosen)
}
