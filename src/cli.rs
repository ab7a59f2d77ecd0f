//! The command line: argument definitions (clap) and the commands that do not open a window.
//! Each command prints results to stdout; errors reach `main` and become one sentence on stderr.

use crate::model::{
    Channel, ContactDraft, ContactId, Email, Initiator, InteractionDraft, Outcome, Phone, Purpose,
};
use crate::store::Store;
use anyhow::{Context as _, Result, bail};
use chrono::NaiveDateTime;
use clap::{Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "rapport",
    version,
    about = "Rapport: remember the people your business depends on."
)]
pub struct Cli {
    /// The database file (default: rapport.sqlite3 in your user data folder).
    #[arg(long, global = true, env = "RAPPORT_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List contacts in name order.
    Contacts {
        /// Print a JSON array instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Work with one contact.
    #[command(subcommand)]
    Contact(ContactCommand),
    /// Fill the database with realistic demo data.
    Demo {
        /// How many contacts to create.
        #[arg(long, default_value_t = 200)]
        contacts: usize,
        /// How many conversations to create.
        #[arg(long, default_value_t = 2000)]
        interactions: usize,
    },
    /// Log a conversation with a contact.
    Log {
        #[arg(long)]
        contact: i64,
        #[arg(long, default_value = "call")]
        channel: Channel,
        #[arg(long, default_value = "relationship")]
        purpose: Purpose,
        #[arg(long, default_value = "")]
        summary: String,
        /// Local time, "YYYY-MM-DD HH:MM" (default: now).
        #[arg(long)]
        at: Option<String>,
        #[arg(long, default_value = "held")]
        outcome: Outcome,
        /// Who reached out: me or them.
        #[arg(long, default_value = "me")]
        by: Initiator,
        #[arg(long)]
        minutes: Option<i64>,
        #[arg(long, default_value = "")]
        they_said: String,
        #[arg(long, default_value = "")]
        they_need: String,
        #[arg(long, default_value = "")]
        promised: String,
        #[arg(long, default_value = "")]
        next_step: String,
    },
    /// Follow-ups: add one, or mark one done.
    #[command(subcommand)]
    Followup(FollowupCommand),
    /// List open follow-ups, soonest first.
    Followups {
        #[arg(long)]
        json: bool,
        /// Only those past their due moment.
        #[arg(long)]
        overdue: bool,
    },
    /// Set how often to keep in touch with everyone carrying a tag ("none" removes it).
    TagCadence {
        tag: String,
        /// Days between touches, or "none".
        days: String,
    },
    /// Give a tag a colour (#rrggbb), or "none" to remove it.
    TagColor { tag: String, color: String },
    /// Who needs attention, weakest relationship first, with the reasons in words.
    Attention {
        #[arg(long)]
        json: bool,
        /// Show at most this many (all by default).
        #[arg(long)]
        limit: Option<usize>,
    },
    /// Write open follow-ups and birthdays to an iCalendar file.
    ExportIcs {
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: PathBuf,
    },
    /// Export a relationship timeline report (PDF, HTML, CSV or Markdown).
    #[command(group(clap::ArgGroup::new("scope").args(["contact", "org", "tag", "all"]).required(true)))]
    Export {
        /// pdf, html, csv or md (default: from the file name's extension).
        #[arg(long)]
        format: Option<String>,
        /// One contact, by id (see `rapport contacts`).
        #[arg(long)]
        contact: Option<i64>,
        /// Everyone at an organization, by name.
        #[arg(long)]
        org: Option<String>,
        /// Everyone carrying a tag.
        #[arg(long)]
        tag: Option<String>,
        /// Everyone.
        #[arg(long)]
        all: bool,
        /// First day included, YYYY-MM-DD.
        #[arg(long)]
        from: Option<String>,
        /// Last day included, YYYY-MM-DD.
        #[arg(long)]
        to: Option<String>,
        /// Include family, birthday, personal notes, interests and how we met (always included
        /// for a single contact unless --no-personal).
        #[arg(long, conflicts_with = "no_personal")]
        personal: bool,
        /// Leave personal details out, even for a single contact.
        #[arg(long)]
        no_personal: bool,
        /// Which entries: any of conversations, follow-ups, life-events (comma-separated).
        #[arg(
            long,
            value_delimiter = ',',
            default_value = "conversations,follow-ups,life-events"
        )]
        kinds: Vec<String>,
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: PathBuf,
    },
    /// Export contacts as vCard 4.0 (every field) or a Google Contacts CSV.
    ExportContacts {
        /// vcard or csv (default: from the file name's extension, .vcf or .csv).
        #[arg(long)]
        format: Option<String>,
        /// Only the contacts carrying this tag.
        #[arg(long, conflicts_with = "org")]
        tag: Option<String>,
        /// Only the people at this organization, by name.
        #[arg(long)]
        org: Option<String>,
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: PathBuf,
    },
    /// Import contacts from a CSV (Google, Outlook, LinkedIn, Thunderbird, any) or vCard file.
    Import {
        file: PathBuf,
        /// Show what would happen and change nothing.
        #[arg(long)]
        dry_run: bool,
        /// Country for phone numbers written without +code (ISO code, e.g. GB, US, DE).
        #[arg(long, default_value = "US")]
        region: String,
        /// Print the result as JSON.
        #[arg(long)]
        json: bool,
        /// The file's kind; auto detects it from the contents.
        #[arg(long, default_value = "auto", value_parser = ["auto", "google", "outlook", "linkedin", "thunderbird", "vcard", "csv"])]
        format: String,
    },
    /// List past imports.
    Imports,
    /// Undo an import by its batch number (from `rapport imports`).
    UndoImport { batch: i64 },
    /// For the crash tests: write in a loop, printing each write after it is committed.
    #[command(hide = true)]
    StressWrites {
        #[arg(long, default_value_t = 1000)]
        count: usize,
        /// A contact file to import (as one batch) every 10 writes.
        #[arg(long)]
        import: Option<PathBuf>,
    },
    /// Copy the database (into the backups folder, or to FILE).
    Backup {
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// List the backups, newest first.
    Backups,
    /// Replace the database with a backup (the current data is backed up first).
    Restore { file: PathBuf },
    /// Check the database for damage and say so plainly.
    Check,
    /// Put Rapport in your desktop's application menu (Linux).
    InstallDesktop,
    /// Show a contact's conversations, newest first.
    History {
        #[arg(long)]
        contact: i64,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum FollowupCommand {
    /// Add a follow-up for a contact.
    Add {
        #[arg(long)]
        contact: i64,
        /// "YYYY-MM-DD" or "YYYY-MM-DD HH:MM" (local time).
        #[arg(long)]
        due: String,
        #[arg(long)]
        text: String,
        /// Who made the promise: me or them.
        #[arg(long, default_value = "me")]
        by: Initiator,
    },
    /// Mark a follow-up done now (kept, or kept late when past due).
    Done { id: i64 },
}

#[derive(Debug, Subcommand)]
pub enum ContactCommand {
    /// Add a contact.
    Add {
        #[arg(long)]
        name: String,
        #[arg(long = "email")]
        emails: Vec<String>,
        #[arg(long = "phone")]
        phones: Vec<String>,
        #[arg(long)]
        org: Option<String>,
        #[arg(long)]
        title: Option<String>,
    },
}

/// Where the database lives when `--db` is not given.
pub fn default_db_path() -> Result<PathBuf> {
    let dirs = directories::ProjectDirs::from("", "", "Rapport")
        .context("Could not find your home folder to keep the database in; pass --db PATH.")?;
    Ok(dirs.data_dir().join("rapport.sqlite3"))
}

/// Parses "YYYY-MM-DD HH:MM" (or with seconds, or a bare date at 09:00).
pub fn parse_local_time(text: &str) -> Result<NaiveDateTime> {
    let text = text.trim();
    for format in ["%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M"] {
        if let Ok(t) = NaiveDateTime::parse_from_str(text, format) {
            return Ok(t);
        }
    }
    if let Ok(d) = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Ok(d.and_hms_opt(9, 0, 0).unwrap_or_default());
    }
    bail!("\"{text}\" is not a date and time; write it as YYYY-MM-DD HH:MM, e.g. 2026-03-14 15:30.")
}

/// Parses a due moment: a date, or a date and a time.
pub fn parse_due(text: &str) -> Result<(chrono::NaiveDate, Option<chrono::NaiveTime>)> {
    let text = text.trim();
    if let Ok(date) = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Ok((date, None));
    }
    for format in ["%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M"] {
        if let Ok(t) = NaiveDateTime::parse_from_str(text, format) {
            return Ok((t.date(), Some(t.time())));
        }
    }
    bail!("\"{text}\" is not a due date; write YYYY-MM-DD, or YYYY-MM-DD HH:MM for a time.")
}

fn describe_due(draft: &crate::model::FollowUpDraft) -> String {
    match draft.due_time {
        Some(t) => format!("{} {}", draft.due_date, t.format("%H:%M")),
        None => draft.due_date.to_string(),
    }
}

/// Runs a command that does not need a window.
pub fn run(store: &mut Store, command: Command, out: &mut dyn std::io::Write) -> Result<()> {
    match command {
        Command::Contacts { json } => {
            let contacts = store.all_contacts()?;
            if json {
                let rows: Vec<serde_json::Value> = contacts
                    .iter()
                    .map(|c| {
                        serde_json::json!({
                            "id": c.id.0,
                            "name": c.draft.display_name,
                            "organization": c.draft.organization,
                            "title": c.draft.title,
                            "decision_maker": c.draft.is_decision_maker,
                            "stage": c.draft.stage.as_str(),
                            "emails": c.draft.emails.iter().map(|e| &e.address).collect::<Vec<_>>(),
                            "phones": c.draft.phones.iter().map(|p| &p.number).collect::<Vec<_>>(),
                            "tags": c.draft.tags,
                            "birthday": c.draft.birthday.map(|b| b.to_string()),
                        })
                    })
                    .collect();
                serde_json::to_writer_pretty(&mut *out, &rows)?;
                writeln!(out)?;
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
        }
        Command::Contact(ContactCommand::Add {
            name,
            emails,
            phones,
            org,
            title,
        }) => {
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
        }
        Command::Demo {
            contacts,
            interactions,
        } => {
            let started = std::time::Instant::now();
            let now = chrono::Local::now().naive_local();
            let summary = crate::demo::fill(store, contacts, interactions, now, |done, total| {
                if total >= 50_000 && done % 50_000 < 5000 {
                    eprint!("\r{done} / {total}…");
                }
            })?;
            if contacts + interactions >= 50_000 {
                eprintln!();
            }
            writeln!(
                out,
                "Added {} demo contacts, {} conversations and {} follow-ups in {:.1} s.",
                summary.contacts,
                summary.interactions,
                summary.follow_ups,
                started.elapsed().as_secs_f64()
            )?;
        }
        Command::Log {
            contact,
            channel,
            purpose,
            summary,
            at,
            outcome,
            by,
            minutes,
            they_said,
            they_need,
            promised,
            next_step,
        } => {
            let contact = ContactId(contact);
            store.contact(contact)?;
            let occurred_at = match at {
                Some(text) => parse_local_time(&text)?,
                None => chrono::Local::now().naive_local(),
            };
            let draft = InteractionDraft {
                occurred_at,
                channel,
                initiated_by: by,
                purpose,
                outcome,
                duration_minutes: minutes,
                participants: vec![contact],
                summary,
                they_said,
                they_need,
                i_promised: promised,
                next_step,
            };
            let id = store.log_interaction(&draft)?;
            writeln!(
                out,
                "Logged conversation {} on {}.",
                id.0,
                occurred_at.format("%Y-%m-%d %H:%M")
            )?;
        }
        Command::Followup(FollowupCommand::Add {
            contact,
            due,
            text,
            by,
        }) => {
            let contact = ContactId(contact);
            let person = store.contact(contact)?;
            let (due_date, due_time) = parse_due(&due)?;
            let draft = crate::model::FollowUpDraft {
                contact_id: contact,
                organization_id: person.organization_id,
                interaction_id: None,
                text,
                notes: String::new(),
                due_date,
                due_time,
                promised_by: by,
            };
            let id = store.add_follow_up(&draft)?;
            writeln!(
                out,
                "Added follow-up {} for {}, due {}.",
                id.0,
                person.display_name(),
                describe_due(&draft)
            )?;
        }
        Command::Followup(FollowupCommand::Done { id }) => {
            let now = chrono::Local::now().naive_local();
            let follow_up = store.follow_up(crate::model::FollowUpId(id))?;
            if follow_up.status != crate::model::FollowUpStatus::Open {
                bail!(
                    "Follow-up {id} is already {}.",
                    follow_up.status.label().to_lowercase()
                );
            }
            let status = store.complete_follow_up(follow_up.id, now)?;
            writeln!(
                out,
                "Follow-up {id} marked {}.",
                status.label().to_lowercase()
            )?;
        }
        Command::Followups { json, overdue } => {
            let now = chrono::Local::now().naive_local();
            let far = chrono::NaiveDate::MAX;
            let mut items = store.open_follow_ups_until(far)?;
            if overdue {
                items.retain(|d| d.follow_up.draft.due_moment() < now);
            }
            if json {
                let rows: Vec<serde_json::Value> = items
                    .iter()
                    .map(|d| {
                        let f = &d.follow_up;
                        serde_json::json!({
                            "id": f.id.0,
                            "contact_id": f.draft.contact_id.0,
                            "contact": d.contact_name,
                            "text": f.draft.text,
                            "due_date": f.draft.due_date.to_string(),
                            "due_time": f.draft.due_time.map(|t| t.format("%H:%M").to_string()),
                            "promised_by": f.draft.promised_by.as_str(),
                            "status": f.status.as_str(),
                            "overdue": f.draft.due_moment() < now,
                        })
                    })
                    .collect();
                serde_json::to_writer_pretty(&mut *out, &rows)?;
                writeln!(out)?;
            } else if items.is_empty() {
                writeln!(
                    out,
                    "{}",
                    if overdue {
                        "Nothing overdue."
                    } else {
                        "No open follow-ups."
                    }
                )?;
            } else {
                for d in &items {
                    let f = &d.follow_up;
                    let mark = if f.draft.due_moment() < now {
                        "OVERDUE"
                    } else {
                        ""
                    };
                    writeln!(
                        out,
                        "{:>6}  {:<18} {:<7} {:<24} {}",
                        f.id.0,
                        describe_due(&f.draft),
                        mark,
                        d.contact_name,
                        f.draft.text
                    )?;
                }
            }
        }
        Command::TagCadence { tag, days } => {
            let days = match days.trim() {
                "none" | "off" => None,
                text => match text.parse::<i64>() {
                    Ok(d) if d > 0 => Some(d),
                    _ => bail!("\"{text}\" is not a number of days; write e.g. 30, or none."),
                },
            };
            store.set_tag_cadence(&tag, days)?;
            match days {
                Some(d) => writeln!(
                    out,
                    "Contacts tagged {tag} should hear from you every {d} days."
                )?,
                None => writeln!(out, "Removed the cadence of tag {tag}.")?,
            }
        }
        Command::TagColor { tag, color } => {
            let color = match color.trim() {
                "none" | "off" | "" => None,
                text => Some(text),
            };
            store.set_tag_color(&tag, color)?;
            match color {
                Some(c) => writeln!(out, "Tag {tag} is now shown in {c}.")?,
                None => writeln!(out, "Removed the colour of tag {tag}.")?,
            }
        }
        Command::Attention { json, limit } => {
            // Judge everyone now: changes made from the command line since the window last
            // ran are included.
            let now = chrono::Local::now().naive_local();
            store.refresh_all_health(now, |_, _| true)?;
            let items = store.attention_list(limit.unwrap_or(usize::MAX >> 2))?;
            if json {
                let array: Vec<serde_json::Value> = items
                    .iter()
                    .map(|item| {
                        serde_json::json!({
                            "id": item.contact_id.0,
                            "name": item.name,
                            "organization": item.organization,
                            "score": item.score,
                            "level": item.level.as_str(),
                            "reasons": item.reasons,
                            "reason_kinds": item.reason_keys,
                        })
                    })
                    .collect();
                writeln!(out, "{}", serde_json::to_string_pretty(&array)?)?;
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
        }
        Command::Export {
            format,
            contact,
            org,
            tag,
            all: _,
            from,
            to,
            personal,
            no_personal,
            kinds,
            output,
        } => {
            let request = report_request(
                store,
                contact,
                org,
                tag,
                from,
                to,
                personal,
                no_personal,
                &kinds,
            )?;
            let format = match format {
                Some(name) => crate::report::ReportFormat::parse(&name).with_context(|| {
                    format!("\"{name}\" is not a report format; use pdf, html, csv or md.")
                })?,
                None => crate::report::ReportFormat::from_path(&output).with_context(|| {
                    format!(
                        "Say which format to write with --format pdf|html|csv|md ({} has no known extension).",
                        output.display()
                    )
                })?,
            };
            let now = chrono::Local::now().naive_local();
            let summary = crate::files::export_report(store, &request, format, &output, now)?;
            writeln!(out, "{summary}")?;
        }
        Command::ExportContacts {
            format,
            tag,
            org,
            output,
        } => {
            use crate::report::contacts::ContactFormat;
            let format = match format {
                Some(name) => ContactFormat::parse(&name).with_context(|| {
                    format!("\"{name}\" is not a contact format; use vcard or csv.")
                })?,
                None => ContactFormat::from_path(&output).with_context(|| {
                    format!(
                        "Say which format to write with --format vcard|csv ({} has no .vcf or .csv extension).",
                        output.display()
                    )
                })?,
            };
            let scope = if let Some(name) = org {
                let organization = store.organization_by_name(&name)?.with_context(|| {
                    format!("No organization is called \"{name}\"; check the spelling.")
                })?;
                crate::model::ReportScope::Organization(organization.id)
            } else if let Some(tag) = tag {
                crate::model::ReportScope::Tag(tag)
            } else {
                crate::model::ReportScope::Everyone
            };
            let summary = crate::files::export_contacts(store, &scope, format, &output)?;
            writeln!(out, "{summary}")?;
        }
        Command::ExportIcs { output } => {
            let summary =
                crate::files::export_calendar(store, &output, chrono::Local::now().date_naive())?;
            writeln!(out, "{summary}")?;
        }
        Command::Backup { .. }
        | Command::Backups
        | Command::Restore { .. }
        | Command::Check
        | Command::InstallDesktop => {
            bail!(
                "This command runs before the database is opened; call it through the rapport binary."
            )
        }
        Command::Import {
            file,
            dry_run,
            region,
            json,
            format,
        } => {
            let bytes = std::fs::read(&file)
                .with_context(|| format!("Could not read {}.", file.display()))?;
            let name = file
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let parsed =
                crate::import::parse_file(&bytes, &name, &region, |sig| store.saved_mapping(sig))
                    .map_err(|why| {
                    anyhow::anyhow!(
                        "{} cannot be imported: {why} Nothing was changed.",
                        file.display()
                    )
                })?;
            use crate::import::Format as F;
            let expected_ok = match format.as_str() {
                "google" => matches!(parsed.format, F::GoogleCurrent | F::GoogleOlder),
                "outlook" => parsed.format == F::Outlook,
                "linkedin" => parsed.format == F::LinkedIn,
                "thunderbird" => parsed.format == F::Thunderbird,
                "vcard" => parsed.format == F::VCard,
                "csv" => parsed.format != F::VCard,
                _ => true,
            };
            if !expected_ok {
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
            let skipped = parsed
                .problems
                .iter()
                .filter(|p| p.message.contains("skipped"))
                .count();
            if json {
                let problems: Vec<serde_json::Value> = parsed
                    .problems
                    .iter()
                    .map(|p| serde_json::json!({"row": p.row, "reason": p.message}))
                    .collect();
                let plan = store.plan_import(&parsed.contacts)?;
                let batch = if dry_run {
                    None
                } else {
                    if store.path().is_some() {
                        store.backup_now("before-import", chrono::Local::now().naive_local())?;
                    }
                    Some(
                        store
                            .apply_import(&name, parsed.format.label(), &parsed.contacts)?
                            .0
                            .0,
                    )
                };
                serde_json::to_writer_pretty(
                    &mut *out,
                    &serde_json::json!({
                        "format": parsed.format.label(),
                        "encoding": parsed.encoding,
                        "dry_run": dry_run,
                        "created": plan.created(),
                        "merged": plan.merged(),
                        "unchanged": plan.unchanged(),
                        "skipped": skipped,
                        "problems": problems,
                        "batch_id": batch,
                    }),
                )?;
                writeln!(out)?;
                return Ok(());
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
            // Row by row for a file a person reads through; a big file's first rows and a count
            // (100,000 lines of "create" told nothing the totals do not).
            const LISTED: usize = 200;
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
            for (imported, action) in parsed.contacts.iter().zip(&plan.actions).take(LISTED) {
                use crate::store::import::Action;
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
            if parsed.contacts.len() > LISTED {
                writeln!(
                    out,
                    "  … and {} more rows (--json gives the totals and every problem)",
                    parsed.contacts.len() - LISTED
                )?;
            }
            if dry_run {
                writeln!(
                    out,
                    "Dry run: would create {}, merge {}, leave {} unchanged, skip {}. Nothing was changed.",
                    plan.created(),
                    plan.merged(),
                    plan.unchanged(),
                    parsed
                        .problems
                        .iter()
                        .filter(|p| p.message.contains("skipped"))
                        .count()
                )?;
            } else {
                if store.path().is_some() {
                    store.backup_now("before-import", chrono::Local::now().naive_local())?;
                }
                let (batch, plan) =
                    store.apply_import(&name, parsed.format.label(), &parsed.contacts)?;
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
        }
        Command::Imports => {
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
        }
        Command::UndoImport { batch } => {
            let report = store.undo_import(crate::model::ImportBatchId(batch))?;
            writeln!(
                out,
                "Undid import {batch}: removed {}, restored {}.",
                report.removed, report.restored
            )?;
            if !report.kept.is_empty() {
                writeln!(
                    out,
                    "Kept because they changed after the import: {}",
                    report.kept.join(", ")
                )?;
            }
        }
        Command::StressWrites { count, import } => {
            let import_bytes = import.as_ref().map(std::fs::read).transpose()?;
            let now = chrono::Local::now().naive_local();
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
                    let (batch, plan) =
                        store.apply_import("stress.csv", "CSV", &parsed.contacts)?;
                    writeln!(
                        out,
                        "import {} {}",
                        batch.0,
                        plan.created() + plan.merged() + plan.unchanged()
                    )?;
                }
                out.flush()?;
            }
        }
        Command::History { contact, json } => {
            let contact = ContactId(contact);
            let person = store.contact(contact)?;
            let total = store.count_interactions(contact)?;
            let items = store.interactions_for_contact(contact, 0, total)?;
            if json {
                let rows: Vec<serde_json::Value> = items
                    .iter()
                    .map(|i| {
                        serde_json::json!({
                            "id": i.id.0,
                            "at": i.draft.occurred_at.format("%Y-%m-%d %H:%M").to_string(),
                            "channel": i.draft.channel.as_str(),
                            "initiated_by": i.draft.initiated_by.as_str(),
                            "purpose": i.draft.purpose.as_str(),
                            "outcome": i.draft.outcome.as_str(),
                            "duration_minutes": i.draft.duration_minutes,
                            "participants": i.participant_names,
                            "summary": i.draft.summary,
                            "they_said": i.draft.they_said,
                            "they_need": i.draft.they_need,
                            "i_promised": i.draft.i_promised,
                            "next_step": i.draft.next_step,
                        })
                    })
                    .collect();
                serde_json::to_writer_pretty(&mut *out, &rows)?;
                writeln!(out)?;
            } else if items.is_empty() {
                writeln!(
                    out,
                    "No conversations with {} yet. Log one with: rapport log --contact {} --channel call --summary \"…\"",
                    person.display_name(),
                    contact.0
                )?;
            } else {
                for i in &items {
                    writeln!(
                        out,
                        "{}  {:<16} {:<13} {:<10} {}",
                        i.draft.occurred_at.format("%Y-%m-%d %H:%M"),
                        i.draft.channel.label(),
                        i.draft.purpose.label(),
                        i.draft.outcome.label(),
                        i.draft.summary
                    )?;
                    for (label, text) in [
                        ("They said", &i.draft.they_said),
                        ("They need", &i.draft.they_need),
                        ("I promised", &i.draft.i_promised),
                        ("Next step", &i.draft.next_step),
                    ] {
                        if !text.is_empty() {
                            writeln!(out, "    {label}: {text}")?;
                        }
                    }
                }
            }
        }
    }
    Ok(())
}

fn parse_day(text: &str, which: &str) -> Result<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").with_context(|| {
        format!("--{which} \"{text}\" is not a date; write it as YYYY-MM-DD, e.g. 2026-03-14.")
    })
}

/// Turns the export options into a report request, checking each one.
#[allow(clippy::too_many_arguments)]
fn report_request(
    store: &Store,
    contact: Option<i64>,
    org: Option<String>,
    tag: Option<String>,
    from: Option<String>,
    to: Option<String>,
    personal: bool,
    no_personal: bool,
    kinds: &[String],
) -> Result<crate::model::ReportRequest> {
    use crate::model::{ContactId, EntryKinds, ReportRequest, ReportScope};
    let scope = if let Some(id) = contact {
        ReportScope::Contact(ContactId(id))
    } else if let Some(name) = org {
        let organization = store.organization_by_name(&name)?.with_context(|| {
            format!("No organization is called \"{name}\"; check the spelling.")
        })?;
        ReportScope::Organization(organization.id)
    } else if let Some(tag) = tag {
        ReportScope::Tag(tag)
    } else {
        ReportScope::Everyone
    };
    let mut request = ReportRequest::new(scope);
    request.from = from.as_deref().map(|d| parse_day(d, "from")).transpose()?;
    request.to = to.as_deref().map(|d| parse_day(d, "to")).transpose()?;
    if let (Some(from), Some(to)) = (request.from, request.to)
        && from > to
    {
        bail!("--from {from} is after --to {to}; swap them.");
    }
    if personal {
        request.include_personal = true;
    }
    if no_personal {
        request.include_personal = false;
    }
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
    request.kinds = chosen;
    Ok(request)
}
