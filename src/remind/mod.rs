//! `rapport remind`: the reminder companion. The same binary, without a window, on a local
//! database file: it announces each open follow-up at its moment (see `schedule` for the
//! rules) as a desktop notification naming the person and the promise, with Open, Done and
//! +1 hour where the desktop has actions, whether Rapport's window is open or not.
//!
//! It sleeps until something can change what it has to say (`wait`): the database file
//! changed (the window or the command line wrote), the next moment came by the wall clock
//! (also after a suspend), or a button was pressed. It reads the file through its own
//! connection (WAL lets it read while the window writes; its reads are a few short queries),
//! and writes only when a button asks.
//!
//! One companion per database: it holds `<db>.remind.lock` (which holds its process id), and
//! a second one exits saying so. What it announced is kept in `<db>.reminded` (`state`), so a
//! restart announces nothing again. `autostart` starts it at login; `handoff` lets "Open"
//! reach a window that is already open. On a file protected with a passphrase it never asks
//! for one: `locked` finds it, or pauses the reminders until the keychain keeps it.

pub mod autostart;
pub mod handoff;
pub mod locked;
pub mod notifier;
pub mod schedule;
pub mod state;
pub mod wait;

use crate::model::FollowUpStatus;
use crate::store::{Location, Store};
use anyhow::{Context as _, Result, bail};
use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use notifier::{Action, Note, Notifier};
use schedule::{Pending, SystemZone, Zone};
use state::Memory;
use std::fs::File;
use std::path::{Path, PathBuf};

/// What the companion says on a team database.
pub const TEAM_DATABASE: &str = "The reminder companion works on local Rapport files for now; a team database's reminders come while its window is open.";

/// What wakes the companion.
#[derive(Debug)]
pub enum Wake {
    /// The database file or its `-wal` changed.
    FileChanged,
    /// The alarm rang (or the clock changed, or the computer woke up).
    Timer,
    /// A notification's button was pressed.
    Action(Action),
}

/// The local database file `location` names, as an absolute path; a sentence when it is a
/// team database or there is no file yet.
pub fn local_database(location: &Location) -> Result<PathBuf> {
    let Some(db) = location.file() else {
        bail!("{TEAM_DATABASE}");
    };
    if !db.exists() {
        bail!(
            "There is no Rapport database at {} yet; open Rapport on it once first.",
            db.display()
        );
    }
    std::fs::canonicalize(db).with_context(|| format!("Could not find {}.", db.display()))
}

/// Whether a reminder companion is running for the database at `db` (the window then leaves
/// the notifications to it).
pub fn companion_running(db: &Path) -> bool {
    let Ok(file) = File::open(lock_path(db)) else {
        return false;
    };
    matches!(file.try_lock(), Err(std::fs::TryLockError::WouldBlock))
}

/// The companion's lock file for the database at `db`.
pub fn lock_path(db: &Path) -> PathBuf {
    crate::safety::beside(db, "remind.lock")
}

/// Takes the companion's lock and writes this process's id in it; `None` when another
/// companion has it. A look by `companion_running` holds it for an instant, so a busy lock is
/// tried a few times before giving way.
fn take_lock(db: &Path) -> Result<Option<File>> {
    use std::io::Write as _;
    let path = lock_path(db);
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .with_context(|| format!("Could not open {}.", path.display()))?;
    crate::safety::make_private(&path);
    for attempt in 0..5 {
        match file.try_lock() {
            Ok(()) => {
                file.set_len(0)?;
                writeln!(file, "{}", std::process::id())?;
                return Ok(Some(file));
            }
            Err(std::fs::TryLockError::WouldBlock) if attempt < 4 => {
                std::thread::sleep(std::time::Duration::from_millis(100));
            }
            Err(std::fs::TryLockError::WouldBlock) => return Ok(None),
            Err(std::fs::TryLockError::Error(e)) => return Err(e.into()),
        }
    }
    Ok(None)
}

/// `rapport remind [--once]`: runs the companion on the database at `location` until it is
/// stopped, or with `once` sends what is due now and returns.
pub fn run(location: &Location, once: bool) -> Result<()> {
    let db = local_database(location)?;
    locked::from_environment(&db)?;
    match once {
        true => locked::unlocked_once(&db)?,
        false => locked::wait_until_unlocked(&db)?,
    }
    let Some(_lock) = take_lock(&db)? else {
        println!(
            "Reminders for {} are already running; there is nothing more to start.",
            db.display()
        );
        return Ok(());
    };
    if once {
        // Nobody stays to hear a button: plain notifications, shown before returning.
        let mut companion = Companion::open(&db, notifier::Desktop::once())?;
        companion.check(Utc::now())?;
        return Ok(());
    }
    let (wakes, woken) = std::sync::mpsc::channel();
    let mut companion = Companion::open(&db, notifier::Desktop::new(wakes.clone()))?;
    let _watch = wait::watch_database(&db, wakes.clone())
        .with_context(|| format!("Could not watch {} for changes.", db.display()))?;
    let alarm = wait::Alarm::start(wakes).context("Could not set the reminders' alarm.")?;
    println!("Reminding you of follow-ups in {}.", db.display());
    loop {
        // A failure (the file busy or unreadable for a moment) is logged and tried again:
        // the companion keeps running.
        let next = companion.check(Utc::now()).unwrap_or_else(|e| {
            tracing::warn!("could not check the reminders: {e:#}");
            Utc::now() + RETRY
        });
        let at = next.min(Utc::now() + wait::SAFETY_NET);
        let woke = wait::next_wakes(&alarm, &woken, at);
        if let Err(e) = companion.handle(woke) {
            tracing::warn!("could not read the follow-ups again: {e:#}");
        }
    }
}

/// How soon a check or read that failed is tried again.
const RETRY: Duration = Duration::minutes(1);

/// The companion on one database: its connection, what it knows is open, and its memory.
pub struct Companion<N: Notifier> {
    db: PathBuf,
    store: Store,
    notifier: N,
    memory: Memory,
    /// When the memory was last written.
    saved: Option<DateTime<Utc>>,
    /// Open follow-ups due up to the end of tomorrow, as last read.
    pending: Vec<Pending>,
    /// When to read them again at the latest (the day after tomorrow begins).
    reread_at: DateTime<Utc>,
    /// The file's identity when it was opened, to notice a restore that replaced it.
    opened: Option<FileId>,
}

impl<N: Notifier> Companion<N> {
    /// Opens the database at `db` and reads its memory and open follow-ups.
    pub fn open(db: &Path, notifier: N) -> Result<Self> {
        let store = Store::open(db)?;
        let mut companion = Companion {
            db: db.to_path_buf(),
            store,
            notifier,
            memory: state::load(&state::path_for(db)),
            saved: None,
            pending: Vec::new(),
            reread_at: Utc::now(),
            opened: file_id(db),
        };
        companion.saved = companion.memory.since;
        companion.reread(Utc::now())?;
        Ok(companion)
    }

    /// The notifier, for tests that look at what was sent.
    pub fn notifier(&self) -> &N {
        &self.notifier
    }

    /// Reads the open follow-ups due up to the end of tomorrow (opening the file again when a
    /// restore replaced it).
    fn reread(&mut self, now: DateTime<Utc>) -> Result<()> {
        // Tried again soon when it fails; what was read before stays meanwhile.
        self.reread_at = now + RETRY;
        let current = file_id(&self.db);
        if current != self.opened {
            tracing::info!("{} was replaced; opening it again", self.db.display());
            self.store = Store::open(&self.db)?;
            self.opened = current;
        }
        let today = SystemZone.local(now).date();
        let through = today + Duration::days(1);
        self.pending = self
            .store
            .open_follow_ups_until(through)?
            .into_iter()
            .map(|due| Pending {
                id: due.follow_up.id,
                contact: due.follow_up.draft.contact_id,
                name: due.contact_name,
                text: due.follow_up.draft.text,
                due_date: due.follow_up.draft.due_date,
                due_time: due.follow_up.draft.due_time,
            })
            .collect();
        self.reread_at = schedule::instant_of(
            &SystemZone,
            (through + Duration::days(1)).and_time(chrono::NaiveTime::MIN),
        );
        Ok(())
    }

    /// Sends what is due at `now`, remembers it, and returns when to look next.
    pub fn check(&mut self, now: DateTime<Utc>) -> Result<DateTime<Utc>> {
        if now >= self.reread_at {
            self.reread(now)?;
        }
        let since = self
            .memory
            .since
            .unwrap_or_else(|| schedule::first_since(&SystemZone, now));
        let plan = schedule::plan(
            &self.pending,
            &self.memory.announced,
            since,
            now,
            &SystemZone,
        );
        for announcement in &plan.announce {
            self.notifier.notify(&Note::of(announcement));
        }
        let changed = plan.announced != self.memory.announced;
        self.memory = Memory {
            since: Some(now),
            announced: plan.announced,
        };
        // The memory is written when it changed, and otherwise hourly (its `since` only bounds
        // how far back a restart looks).
        if changed
            || self
                .saved
                .is_none_or(|saved| now - saved > Duration::hours(1))
        {
            state::save(&state::path_for(&self.db), &self.memory)?;
            self.saved = Some(now);
        }
        Ok(plan
            .next
            .map_or(self.reread_at, |next| next.min(self.reread_at)))
    }

    /// Reacts to what woke it: presses the buttons asked for, and reads the file again when
    /// it changed.
    pub fn handle(&mut self, woke: Vec<Wake>) -> Result<()> {
        let mut changed = false;
        for wake in woke {
            match wake {
                Wake::FileChanged => changed = true,
                Wake::Timer => {}
                Wake::Action(action) => {
                    if let Err(e) = self.act(&action) {
                        tracing::warn!("could not do {action:?}: {e:#}");
                    }
                }
            }
        }
        if changed {
            self.reread(Utc::now())?;
        }
        Ok(())
    }

    /// Does what a button asked, when the follow-up is still open at the moment announced.
    fn act(&mut self, action: &Action) -> Result<()> {
        let now = chrono::Local::now().naive_local();
        match *action {
            Action::Open(contact) => open_contact(&self.db, contact),
            Action::Done(id, moment) => {
                if self.still_open(id, moment)? {
                    self.store.complete_follow_up(id, now)?;
                    self.after_change(now);
                }
                Ok(())
            }
            Action::Snooze(id, moment) => {
                if self.still_open(id, moment)? {
                    let to = snoozed(now);
                    self.store.reschedule_follow_up(
                        id,
                        to.date(),
                        Some(to.time()),
                        "snoozed from a reminder",
                    )?;
                    self.after_change(now);
                }
                Ok(())
            }
        }
    }

    fn still_open(&self, id: crate::model::FollowUpId, moment: NaiveDateTime) -> Result<bool> {
        let follow_up = self.store.follow_up(id)?;
        let item_moment = follow_up
            .draft
            .due_date
            .and_time(follow_up.draft.due_time.unwrap_or(schedule::UNTIMED_AT));
        let open = follow_up.status == FollowUpStatus::Open && item_moment == moment;
        if !open {
            tracing::info!("follow-up {id} changed since it was announced; left as it is");
        }
        Ok(open)
    }

    /// Keeps the calendar file current after a button changed a follow-up, as the command
    /// line does.
    fn after_change(&mut self, now: NaiveDateTime) {
        if let Some(Err(e)) = crate::files::refresh_calendar_file(&mut self.store, now.date()) {
            tracing::warn!("could not update the calendar file: {e:#}");
        }
    }
}

/// An hour from now, to the minute.
fn snoozed(now: NaiveDateTime) -> NaiveDateTime {
    use chrono::Timelike as _;
    let minute = now.with_second(0).and_then(|t| t.with_nanosecond(0));
    minute.unwrap_or(now) + Duration::hours(1)
}

/// Starts `rapport --db DB --open-contact ID`, which hands the contact to the window open on
/// the database or opens one at that contact.
fn open_contact(db: &Path, contact: crate::model::ContactId) -> Result<()> {
    let exe = std::env::current_exe().context("Could not find the rapport binary's path.")?;
    let mut child = std::process::Command::new(exe)
        .arg("--db")
        .arg(db)
        .arg("--open-contact")
        .arg(contact.0.to_string())
        .stdin(std::process::Stdio::null())
        .spawn()
        .context("Could not open Rapport.")?;
    // Waited for on a thread of its own, so it leaves no zombie behind when it ends.
    std::thread::Builder::new()
        .name("open-contact".to_owned())
        .spawn(move || child.wait())?;
    Ok(())
}

/// What tells one file from another at the same path (a restore renames a new one over it).
type FileId = (u64, u64);

#[cfg(unix)]
fn file_id(path: &Path) -> Option<FileId> {
    use std::os::unix::fs::MetadataExt as _;
    std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn file_id(path: &Path) -> Option<FileId> {
    let modified = std::fs::metadata(path).ok()?.created().ok()?;
    let since = modified.duration_since(std::time::UNIX_EPOCH).ok()?;
    Some((since.as_secs(), u64::from(since.subsec_nanos())))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ContactDraft, FollowUpDraft, FollowUpId};

    /// Keeps what the companion asked to send.
    #[derive(Default)]
    struct Capture(Vec<Note>);

    impl Notifier for Capture {
        fn notify(&mut self, note: &Note) {
            self.0.push(note.clone());
        }
    }

    fn minute(at: DateTime<Utc>) -> NaiveDateTime {
        use chrono::Timelike as _;
        let local = SystemZone.local(at);
        local.with_second(0).unwrap().with_nanosecond(0).unwrap()
    }

    /// A database with Maria's follow-up due at the minute before `now`, and a companion that
    /// last looked an hour ago.
    fn companion_at(now: DateTime<Utc>) -> (tempfile::TempDir, Companion<Capture>, FollowUpId) {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("rapport.sqlite3");
        let mut store = Store::open(&db).unwrap();
        let maria = store
            .create_contact(&ContactDraft::named("Maria García"))
            .unwrap();
        let due = minute(now) - Duration::minutes(1);
        let id = store
            .add_follow_up(&FollowUpDraft {
                contact_id: maria,
                organization_id: None,
                interaction_id: None,
                text: "Call back about the quote".to_owned(),
                notes: String::new(),
                due_date: due.date(),
                due_time: Some(due.time()),
                promised_by: crate::model::Initiator::Me,
                repeat: None,
            })
            .unwrap();
        let memory = Memory {
            since: Some(now - Duration::hours(1)),
            announced: Default::default(),
        };
        state::save(&state::path_for(&db), &memory).unwrap();
        let companion = Companion::open(&db, Capture::default()).unwrap();
        (dir, companion, id)
    }

    #[test]
    fn remind_companion_announces_once_and_snoozes_and_ticks_off_from_the_buttons() {
        let now = Utc::now();
        let (_dir, mut companion, id) = companion_at(now);
        companion.check(now).unwrap();
        let sent = &companion.notifier().0;
        assert_eq!(sent.len(), 1);
        assert_eq!(sent[0].kind, "due");
        assert_eq!(sent[0].title, "Follow-up due: Maria García");
        let moment = sent[0].follow_ups[0].1;
        companion.check(now + Duration::seconds(30)).unwrap();
        assert_eq!(companion.notifier().0.len(), 1, "announced once");
        // +1 hour: moved, with the note; announced again at its new minute.
        companion
            .handle(vec![
                Wake::Action(Action::Snooze(id, moment)),
                Wake::FileChanged,
            ])
            .unwrap();
        let moved = companion.store.follow_up(id).unwrap();
        let new_moment = moved.draft.due_moment();
        assert!(new_moment > moment + Duration::minutes(59), "{new_moment}");
        assert_eq!(companion.store.reschedule_count(id).unwrap(), 1);
        let later = schedule::instant_of(&SystemZone, new_moment);
        companion.check(later).unwrap();
        assert_eq!(companion.notifier().0.len(), 2);
        // Done from the old notification does nothing; from the new one it ticks it off.
        companion
            .handle(vec![Wake::Action(Action::Done(id, moment))])
            .unwrap();
        assert_eq!(
            companion.store.follow_up(id).unwrap().status,
            FollowUpStatus::Open
        );
        companion
            .handle(vec![Wake::Action(Action::Done(id, new_moment))])
            .unwrap();
        assert_ne!(
            companion.store.follow_up(id).unwrap().status,
            FollowUpStatus::Open
        );
    }
}
