//! The clap definitions: the command line's words, their help text and defaults.
//! Only definitions live here; what each command does is in its group's file.

use crate::model::{Channel, Initiator, Outcome, Purpose};
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

// The argument structs below carry no doc comment on purpose: clap would take it as the
// command's description and hide the one written on the variant.

#[derive(Debug, Parser)]
#[command(
    name = "rapport",
    version,
    about = "Rapport: remember the people your business depends on."
)]
pub struct Cli {
    /// The database file, or a team database's address (postgres://name:password@server/database);
    /// default: rapport.sqlite3 in your user data folder.
    // The environment's value is not shown in --help: a team address may carry a password.
    #[arg(
        long,
        global = true,
        env = "RAPPORT_DB",
        hide_env_values = true,
        value_name = "PATH|URL"
    )]
    pub db: Option<PathBuf>,

    /// Open the window at this contact (by id); when a window is already open on the
    /// database, it shows the contact there instead.
    #[arg(long, value_name = "ID")]
    pub open_contact: Option<i64>,

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
    /// List likely duplicate contacts: pairs with their ids and why.
    Duplicates(DuplicatesArgs),
    /// Merge contact OTHER_ID into KEEP_ID: every e-mail, phone, tag, conversation, follow-up
    /// and life event of both is kept; OTHER_ID is then deleted (a backup is taken first).
    Merge(MergeArgs),
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
    Log(LogArgs),
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
    /// Add a tag to, or remove it from, many contacts at once (a backup is taken first).
    #[command(subcommand)]
    Tag(TagCommand),
    /// Set the stage of many contacts at once (a backup is taken first).
    #[command(subcommand)]
    Stage(StageCommand),
    /// Set how often to keep in touch with many contacts at once (a backup is taken first).
    #[command(subcommand)]
    Cadence(CadenceCommand),
    /// Move many contacts to the trash at once (a backup is taken first; the window's
    /// File > Trash restores them).
    Trash(TrashArgs),
    /// Custom fields for contacts or organizations: add, list, rename, change, remove.
    #[command(subcommand)]
    Field(FieldCommand),
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
    Export(ExportArgs),
    /// Export contacts as vCard 4.0 (every field) or a Google Contacts CSV.
    ExportContacts(ExportContactsArgs),
    /// Import contacts from a CSV (Google, Outlook, LinkedIn, Thunderbird, any) or vCard file,
    /// or conversations from e-mails (.eml), mailboxes (.mbox) and calendars (.ics).
    Import(ImportArgs),
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
    Backups {
        /// Erase everyone erased from the database (`contact erase`) from the backups too.
        #[arg(long)]
        erase_erased: bool,
    },
    /// Replace the database with a backup (the current data is backed up first).
    Restore { file: PathBuf },
    /// Check the database for damage and say so plainly.
    Check,
    /// Protect the database file and its backups with a passphrase, or change it. The
    /// passphrase is never an argument: it comes from RAPPORT_PASSPHRASE (the new one, when
    /// changing it, from RAPPORT_NEW_PASSPHRASE) or is typed twice at the terminal.
    Protect {
        /// Keep the passphrase in the system keychain too, so Rapport and its reminders open
        /// the file on this computer without asking.
        #[arg(long)]
        remember: bool,
    },
    /// Remove the passphrase of the database file and its backups (the current one from
    /// RAPPORT_PASSPHRASE, the keychain or the terminal, never an argument).
    Unprotect,
    /// Put Rapport in your desktop's application menu (Linux).
    InstallDesktop,
    /// List the settings, or change one (see `rapport settings --help`).
    Settings {
        #[command(subcommand)]
        setting: Option<SettingsCommand>,
    },
    /// A team database on a PostgreSQL server: set it up, add people, move a file in.
    #[command(subcommand)]
    Team(TeamCommand),
    /// Show a contact's conversations, newest first.
    History {
        #[arg(long)]
        contact: i64,
        #[arg(long)]
        json: bool,
    },
    /// Record how two contacts are related: `relate 5 spouse 9`, `relate 5 referred-by 9` (9
    /// referred 5). KIND: spouse, partner, colleague, parent-of, child-of, assistant-of,
    /// assisted-by, reports-to, manager-of, referred, referred-by.
    Relate(RelateArgs),
    /// Remove a relationship, said as `relate` said it: `unrelate 5 referred-by 9`.
    Unrelate { a_id: i64, kind: String, b_id: i64 },
    /// A contact's relationships, in their words ("Married to Ana Lima").
    Relations {
        id: i64,
        #[arg(long)]
        json: bool,
    },
    /// Who referred whom: everyone who referred someone, most referrals first.
    Referrals {
        #[arg(long)]
        json: bool,
    },
    /// Remind you of follow-ups as they come due, with the window closed too (keeps running
    /// in the background; `remind install` starts it when you log in).
    Remind {
        /// Send what is due now (and what came due while you were away), then stop.
        #[arg(long)]
        once: bool,
        #[command(subcommand)]
        setup: Option<RemindCommand>,
    },
}

#[derive(Debug, Args)]
pub struct RelateArgs {
    pub a_id: i64,
    pub kind: String,
    pub b_id: i64,
    /// A few words about it ("since 2019", "sent us the bakery").
    #[arg(long)]
    pub note: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum RemindCommand {
    /// Start the reminders whenever you log in, and now.
    Install,
    /// Stop starting the reminders when you log in.
    Uninstall,
}

#[derive(Debug, Subcommand)]
pub enum TeamCommand {
    /// Make the team's schema in the database at URL (connect as the server's admin or the
    /// database's owner) and its first owner, who gets a login and password of their own.
    Init {
        /// postgres://admin@server/database
        url: String,
        /// The first owner's name, as the team sees it.
        #[arg(long)]
        owner: String,
        /// Their login (made from the name when not given).
        #[arg(long)]
        login: Option<String>,
    },
    /// Add a person with a login of their own (owners only).
    AddPerson {
        name: String,
        /// owner, member or read-only.
        #[arg(long, default_value = "member")]
        role: String,
        #[arg(long)]
        login: Option<String>,
    },
    /// List the team's people and their roles.
    People,
    /// Check the password read from standard input (one line) by connecting to URL, then keep
    /// it in the system keychain, so the address works without it from then on.
    Login {
        /// postgres://you@server/database
        url: String,
    },
    /// Forget the password kept in the system keychain for URL.
    Logout {
        /// postgres://you@server/database
        url: String,
    },
    /// Copy a local Rapport file into this empty team database, in one transaction.
    MoveIn {
        file: PathBuf,
        /// Only count what would be copied.
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum SettingsCommand {
    /// Your own e-mail addresses (comma-separated; "none" forgets them): mail and calendar
    /// imports tell by them who wrote first, and never make you a participant.
    MyAddresses {
        #[arg(value_name = "ADDRESSES|none")]
        addresses: String,
    },
    /// How many minutes before a timed follow-up calendar apps remind you (default 15).
    AlarmMinutes { minutes: String },
    /// Keep this .ics file up to date whenever follow-ups change, for calendar apps that
    /// subscribe to a file; "none" stops.
    CalendarFile {
        #[arg(value_name = "PATH|none")]
        path: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum ContactCommand {
    /// Add a contact.
    Add(ContactAddArgs),
    /// Write everything Rapport holds about one contact to a JSON or HTML file.
    Everything {
        id: i64,
        /// The file to write: FILE.json or FILE.html.
        #[arg(short, long, value_name = "FILE")]
        output: PathBuf,
    },
    /// Set a contact's custom fields: `contact set 12 --field "Shop size=Large"` (an empty
    /// value clears the field).
    Set {
        id: i64,
        #[arg(long = "field", value_name = "NAME=VALUE", required = true)]
        fields: Vec<String>,
    },
    /// Erase a contact and every trace of them for good (this cannot be undone).
    Erase {
        id: i64,
        /// Erase them from the older backups beside the database too.
        #[arg(long)]
        from_backups: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum FieldCommand {
    /// Define a field: `field add "Shop size" --type choice --choices "Small,Medium,Large"`.
    Add(FieldAddArgs),
    /// List the fields with their kinds and choices.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Give a field another name (its values stay).
    Rename {
        name: String,
        new_name: String,
        #[arg(
            long = "for",
            default_value = "contact",
            value_name = "contact|organization"
        )]
        applies_to: String,
    },
    /// Change a choice list's choices, or how many days before a date field's date a
    /// follow-up comes ("none" for no reminder).
    Change {
        name: String,
        #[arg(long)]
        choices: Option<String>,
        #[arg(long, value_name = "DAYS|none")]
        remind_days: Option<String>,
        #[arg(
            long = "for",
            default_value = "contact",
            value_name = "contact|organization"
        )]
        applies_to: String,
    },
    /// Remove a field and every value it holds (the follow-ups it made stay).
    Remove {
        name: String,
        #[arg(
            long = "for",
            default_value = "contact",
            value_name = "contact|organization"
        )]
        applies_to: String,
    },
}

// `rapport field add`.
#[derive(Debug, Args)]
pub struct FieldAddArgs {
    pub name: String,
    #[arg(long = "type", value_name = "text|number|date|yes-no|choice")]
    pub kind: String,
    /// A choice list's choices, comma separated.
    #[arg(long)]
    pub choices: Option<String>,
    /// Whose field it is.
    #[arg(
        long = "for",
        default_value = "contact",
        value_name = "contact|organization"
    )]
    pub applies_to: String,
    /// A date field on contacts: a follow-up this many days before the date.
    #[arg(long)]
    pub remind_days: Option<i64>,
}

// `rapport contact add`.
#[derive(Debug, Args)]
pub struct ContactAddArgs {
    #[arg(long)]
    pub name: String,
    #[arg(long = "email")]
    pub emails: Vec<String>,
    #[arg(long = "phone")]
    pub phones: Vec<String>,
    #[arg(long)]
    pub org: Option<String>,
    #[arg(long)]
    pub title: Option<String>,
}

// `rapport log`.
#[derive(Debug, Args)]
pub struct LogArgs {
    #[arg(long)]
    pub contact: i64,
    #[arg(long, default_value = "call")]
    pub channel: Channel,
    #[arg(long, default_value = "relationship")]
    pub purpose: Purpose,
    #[arg(long, default_value = "")]
    pub summary: String,
    /// Local time, "YYYY-MM-DD HH:MM" (default: now).
    #[arg(long)]
    pub at: Option<String>,
    #[arg(long, default_value = "held")]
    pub outcome: Outcome,
    /// Who reached out: me or them.
    #[arg(long, default_value = "me")]
    pub by: Initiator,
    #[arg(long)]
    pub minutes: Option<i64>,
    #[arg(long, default_value = "")]
    pub they_said: String,
    #[arg(long, default_value = "")]
    pub they_need: String,
    #[arg(long, default_value = "")]
    pub promised: String,
    #[arg(long, default_value = "")]
    pub next_step: String,
}

#[derive(Debug, Subcommand)]
pub enum FollowupCommand {
    /// Add a follow-up for a contact.
    Add(FollowupAddArgs),
    /// Mark a follow-up done now (kept, or kept late when past due).
    Done { id: i64 },
}

// `rapport followup add`.
#[derive(Debug, Args)]
pub struct FollowupAddArgs {
    #[arg(long)]
    pub contact: i64,
    /// When: "Friday 15:00", "tomorrow", "in 2 weeks", "next Tuesday", "2026-12-12 09:30"
    /// (local time).
    #[arg(long)]
    pub due: String,
    #[arg(long)]
    pub text: String,
    /// Who made the promise: me or them.
    #[arg(long, default_value = "me")]
    pub by: Initiator,
    /// Repeats: "every 2 weeks", "every other Tuesday", "the third Sunday of June", "monthly"…
    #[arg(long)]
    pub repeat: Option<String>,
    /// The last day a repeat may fall on (YYYY-MM-DD or "30 June 2027").
    #[arg(long, requires = "repeat", conflicts_with = "count")]
    pub until: Option<String>,
    /// How many times in all, the first included.
    #[arg(long, requires = "repeat")]
    pub count: Option<u32>,
}

// `rapport export`.
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("scope").args(["contact", "org", "tag", "all"]).required(true)))]
pub struct ExportArgs {
    /// pdf, html, csv or md (default: from the file name's extension).
    #[arg(long)]
    pub format: Option<String>,
    /// One contact, by id (see `rapport contacts`).
    #[arg(long)]
    pub contact: Option<i64>,
    /// Everyone at an organization, by name.
    #[arg(long)]
    pub org: Option<String>,
    /// Everyone carrying a tag.
    #[arg(long)]
    pub tag: Option<String>,
    /// Everyone.
    #[arg(long)]
    pub all: bool,
    /// First day included, YYYY-MM-DD.
    #[arg(long)]
    pub from: Option<String>,
    /// Last day included, YYYY-MM-DD.
    #[arg(long)]
    pub to: Option<String>,
    /// Include family, birthday, personal notes, interests and how we met (always included
    /// for a single contact unless --no-personal).
    #[arg(long, conflicts_with = "no_personal")]
    pub personal: bool,
    /// Leave personal details out, even for a single contact.
    #[arg(long)]
    pub no_personal: bool,
    /// Which entries: any of conversations, follow-ups, life-events (comma-separated).
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "conversations,follow-ups,life-events"
    )]
    pub kinds: Vec<String>,
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: PathBuf,
}

// `rapport export-contacts`.
#[derive(Debug, Args)]
pub struct ExportContactsArgs {
    /// vcard or csv (default: from the file name's extension, .vcf or .csv).
    #[arg(long)]
    pub format: Option<String>,
    /// The vCard version: 4.0 (the default), or 3.0 for older phones and Outlook.
    #[arg(long, value_name = "3.0|4.0")]
    pub vcard_version: Option<String>,
    /// Only the contacts carrying this tag.
    #[arg(long, conflicts_with = "org")]
    pub tag: Option<String>,
    /// Only the people at this organization, by name.
    #[arg(long)]
    pub org: Option<String>,
    /// Only the contacts this search finds (as the window's search box does).
    #[arg(long, conflicts_with_all = ["tag", "org", "ids"])]
    pub search: Option<String>,
    /// Only these contacts, by id (comma separated).
    #[arg(long, value_delimiter = ',', value_name = "ID,ID,...", conflicts_with_all = ["tag", "org"])]
    pub ids: Option<Vec<i64>>,
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: PathBuf,
}

// `rapport duplicates`.
#[derive(Debug, Args)]
pub struct DuplicatesArgs {
    /// Print a JSON array instead of one pair a line.
    #[arg(long)]
    pub json: bool,
    /// Country for phone numbers written without +code (default: the one the window uses).
    #[arg(long)]
    pub region: Option<String>,
}

// `rapport merge`.
#[derive(Debug, Args)]
pub struct MergeArgs {
    pub keep_id: i64,
    pub other_id: i64,
    /// Show what would be kept, moved and written into the notes, and change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Take these fields from OTHER_ID where the two differ (comma separated: name, nickname,
    /// organization, title, decision-maker, stage, birthday, family, interests, how-we-met,
    /// cadence, private); by default the fuller value is kept.
    #[arg(long, value_delimiter = ',', value_name = "FIELDS")]
    pub take_other: Vec<String>,
    /// Country for phone numbers written without +code (default: the one the window uses).
    #[arg(long)]
    pub region: Option<String>,
}

// `rapport import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    pub file: PathBuf,
    /// More e-mail (.eml), mailbox (.mbox) or calendar (.ics) files, imported with the first
    /// as one batch.
    #[arg(value_name = "MORE")]
    pub more: Vec<PathBuf>,
    /// E-mail and calendar files: your own address (repeat it, or separate them with commas),
    /// for this import; `rapport settings my-addresses` keeps them.
    #[arg(long = "me", value_name = "ADDRESS")]
    pub me: Vec<String>,
    /// E-mail and calendar files: make a contact (name and e-mail) of each person in a
    /// message with nobody in Rapport, instead of leaving the message out.
    #[arg(long)]
    pub new_contacts: bool,
    /// Show what would happen and change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Country for phone numbers written without +code (ISO code, e.g. GB, US, DE).
    #[arg(long, default_value = "US")]
    pub region: String,
    /// Print the result as JSON.
    #[arg(long)]
    pub json: bool,
    /// The file's kind; auto detects it from the contents.
    #[arg(long, default_value = "auto", value_parser = ["auto", "google", "outlook", "linkedin", "thunderbird", "vcard", "csv"])]
    pub format: String,
    /// A CSV whose first row is already a person, not column names (the columns are then
    /// Column 1, Column 2, …).
    #[arg(long)]
    pub no_header: bool,
    /// Where a CSV column goes, as "Column=field": a header name or a 1-based column number,
    /// and a field such as "first name", "e-mail", "mobile phone", "organization", "title" or
    /// "ignore". Repeat it for each column to choose.
    #[arg(long = "map", value_name = "COLUMN=FIELD")]
    pub map: Vec<String>,
}

#[derive(Debug, Subcommand)]
pub enum TagCommand {
    /// Add TAG to every contact chosen (by --search or --ids) that lacks it.
    Add(TagBulkArgs),
    /// Take TAG off every contact chosen (by --search or --ids) that has it.
    Remove(TagBulkArgs),
}

#[derive(Debug, Subcommand)]
pub enum StageCommand {
    /// Set the stage (prospect, customer, loyal, friend, former) of every contact chosen.
    Set(StageBulkArgs),
}

#[derive(Debug, Subcommand)]
pub enum CadenceCommand {
    /// Keep in touch with every contact chosen every DAYS days ("none" clears their own
    /// cadence; a tag's cadence still applies).
    Set(CadenceBulkArgs),
}

// `rapport tag add|remove`.
#[derive(Debug, Args)]
pub struct TagBulkArgs {
    pub tag: String,
    #[command(flatten)]
    pub who: BulkWho,
    /// List who would change (id and name) and change nothing.
    #[arg(long)]
    pub dry_run: bool,
}

// `rapport stage set`.
#[derive(Debug, Args)]
pub struct StageBulkArgs {
    pub stage: String,
    #[command(flatten)]
    pub who: BulkWho,
    /// List who would change (id and name) and change nothing.
    #[arg(long)]
    pub dry_run: bool,
}

// `rapport cadence set`.
#[derive(Debug, Args)]
pub struct CadenceBulkArgs {
    /// Days between touches, or "none".
    pub days: String,
    #[command(flatten)]
    pub who: BulkWho,
    /// List who would change (id and name) and change nothing.
    #[arg(long)]
    pub dry_run: bool,
}

// `rapport trash`.
#[derive(Debug, Args)]
pub struct TrashArgs {
    #[command(flatten)]
    pub who: BulkWho,
    /// List who would go to the trash (id and name) and change nothing.
    #[arg(long)]
    pub dry_run: bool,
}

// Which contacts a bulk change is for, and whether only to say who would change.
#[derive(Debug, Args)]
#[group(id = "who", required = true, multiple = false)]
pub struct BulkWho {
    /// Every live contact this search finds (as the window's search box does).
    #[arg(long)]
    pub search: Option<String>,
    /// These contacts, by id (comma separated).
    #[arg(long, value_delimiter = ',', value_name = "ID,ID,...")]
    pub ids: Option<Vec<i64>>,
}
