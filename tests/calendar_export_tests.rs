//! The calendar export read by the programs people use: khal imports it without a warning and
//! updates (not duplicates) events on a second import; Python's `icalendar` finds what calendar
//! apps need on every event. Also the `settings` command, and the calendar file the window and
//! the command line keep up to date.

use crate::common::each_engine;
use crate::common::{Window, app_in, at, reader_available};
use crate::common::{rapport, stdout};
use chrono::{NaiveDate, NaiveTime};
use rapport::app::{Command, Prefs};
use rapport::model::{Birthday, ContactDraft, ContactId, FollowUpDraft, FollowUpId, Initiator};
use rapport::store::Store;
use std::path::{Path, PathBuf};
use std::process::Output;

fn follow_up(contact: ContactId, text: &str, due: &str, time: Option<&str>) -> FollowUpDraft {
    FollowUpDraft {
        contact_id: contact,
        organization_id: None,
        interaction_id: None,
        text: text.into(),
        notes: String::new(),
        due_date: NaiveDate::parse_from_str(due, "%Y-%m-%d").unwrap(),
        due_time: time.map(|t| NaiveTime::parse_from_str(t, "%H:%M").unwrap()),
        promised_by: Initiator::Me,
        repeat: None,
    }
}

/// Ada (born 4 July 1980) with a call at 15:00 and a visit some day; Bea, a birthday without a
/// year. Returns the call's id.
fn fill(store: &mut Store) -> FollowUpId {
    let ada = store
        .create_contact(&ContactDraft {
            birthday: Birthday::parse("1980-07-04"),
            ..ContactDraft::named("Ada Baker")
        })
        .unwrap();
    store
        .create_contact(&ContactDraft {
            birthday: Birthday::parse("--12-01"),
            ..ContactDraft::named("Bea Stone")
        })
        .unwrap();
    let call = store
        .add_follow_up(&follow_up(ada, "Call back", "2026-03-10", Some("15:00")))
        .unwrap();
    store
        .add_follow_up(&follow_up(ada, "Visit the bakery", "2026-03-12", None))
        .unwrap();
    call
}

fn export(store: &mut Store, path: &Path) {
    rapport::files::export_calendar(store, path, NaiveDate::from_ymd_opt(2026, 3, 1).unwrap())
        .unwrap();
}

/// khal on a calendar folder of its own, with its own config and cache: nothing of the
/// machine's own khal is read or touched.
pub(crate) struct Khal {
    dir: tempfile::TempDir,
}

impl Khal {
    pub(crate) fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("calendar")).unwrap();
        let config = format!(
            "[calendars]\n[[rapport]]\npath = {}\ntype = calendar\n\
             [locale]\ntimeformat = %H:%M\ndateformat = %Y-%m-%d\nlongdateformat = %Y-%m-%d\n\
             datetimeformat = %Y-%m-%d %H:%M\nlongdatetimeformat = %Y-%m-%d %H:%M\n\
             local_timezone = Europe/Berlin\ndefault_timezone = Europe/Berlin\n\
             [sqlite]\npath = {}\n",
            dir.path().join("calendar").display(),
            dir.path().join("khal.db").display()
        );
        std::fs::write(dir.path().join("config"), config).unwrap();
        Self { dir }
    }

    fn run(&self, args: &[&str]) -> Output {
        std::process::Command::new("khal")
            .arg("-c")
            .arg(self.dir.path().join("config"))
            .args(args)
            .env("HOME", self.dir.path())
            .env("XDG_CONFIG_HOME", self.dir.path())
            .env("XDG_DATA_HOME", self.dir.path())
            .output()
            .expect("khal runs")
    }

    /// Imports `file` without questions; returns all khal printed, which must be nothing
    /// alarming.
    pub(crate) fn import(&self, file: &Path) -> String {
        let output = self.run(&["import", "--batch", file.to_str().unwrap()]);
        let said = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(output.status.success(), "khal import failed: {said}");
        said
    }

    /// What `khal list` shows from 1 March 2026 for 300 days.
    pub(crate) fn list(&self) -> String {
        let output = self.run(&["list", "2026-03-01", "300d"]);
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    /// How many events the calendar folder holds (khal keeps one file per UID).
    fn stored_events(&self) -> usize {
        std::fs::read_dir(self.dir.path().join("calendar"))
            .unwrap()
            .count()
    }
}

#[test]
fn khal_imports_the_calendar_without_a_warning_and_lists_every_event() {
    if !reader_available("khal") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    each_engine(|mut store| {
        fill(&mut store);
        let path = dir.path().join("rapport.ics");
        export(&mut store, &path);
        let khal = Khal::new();
        let said = khal.import(&path);
        assert!(
            !said.to_lowercase().contains("warn") && !said.to_lowercase().contains("error"),
            "khal had something to say about the file: {said}"
        );
        let listed = khal.list();
        for (day, summary) in [
            ("2026-03-10", "15:00-15:30 Call back — Ada Baker"),
            ("2026-03-12", "Visit the bakery — Ada Baker"),
            ("2026-07-04", "Ada Baker's birthday"),
            ("2026-12-01", "Bea Stone's birthday"),
        ] {
            let after_day = listed.split(day).nth(1).unwrap_or_default();
            let first_line = after_day.lines().nth(1).unwrap_or_default();
            assert!(
                first_line.contains(summary),
                "{summary} on {day}:\n{listed}"
            );
        }
        // An all-day event that ended where it started would be listed as a day of no length, or
        // not at all; one that ends a day later is there on its day only.
        assert_eq!(listed.matches("Visit the bakery").count(), 1, "{listed}");
    });
}

#[test]
fn importing_again_into_khal_updates_events_instead_of_adding_them() {
    if !reader_available("khal") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    each_engine(|mut store| {
        let call = fill(&mut store);
        let path = dir.path().join("rapport.ics");
        export(&mut store, &path);
        let khal = Khal::new();
        khal.import(&path);
        assert_eq!(khal.stored_events(), 4);
        store
            .reschedule_follow_up(
                call,
                NaiveDate::from_ymd_opt(2026, 3, 17).unwrap(),
                NaiveTime::from_hms_opt(11, 0, 0),
                "moved",
            )
            .unwrap();
        export(&mut store, &path);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains("SEQUENCE:1"), "one reschedule: {text}");
        khal.import(&path);
        assert_eq!(khal.stored_events(), 4, "updated, not added");
        let listed = khal.list();
        assert_eq!(listed.matches("Call back").count(), 1, "{listed}");
        assert!(listed.contains("11:00-11:30 Call back"), "{listed}");

        // Another database (the demo beside one's own) also has a follow-up 1: in the same
        // calendar it is an event of its own, not a new version of this one.
        let mut other = Store::open_in_memory().unwrap();
        fill(&mut other);
        let other_path = dir.path().join("other.ics");
        export(&mut other, &other_path);
        khal.import(&other_path);
        assert_eq!(khal.stored_events(), 8, "{}", khal.list());
    });
}

/// A follow-up ticked off stays in the file for a while as a cancelled event, one version on:
/// khal, importing the file again, shows it cancelled instead of keeping a promise that was
/// kept; one of a repeating series that goes on is the series' next occurrence instead.
#[test]
fn a_follow_up_done_is_cancelled_in_the_calendar_that_imports_the_file_again() {
    if !reader_available("khal") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    each_engine(|mut store| {
        let call = fill(&mut store);
        let path = dir.path().join("rapport.ics");
        export(&mut store, &path);
        let khal = Khal::new();
        khal.import(&path);
        assert!(!khal.list().contains("CANCELLED"));
        store
            .complete_follow_up(call, chrono::Local::now().naive_local())
            .unwrap();
        export(&mut store, &path);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains("STATUS:CANCELLED"), "{text}");
        khal.import(&path);
        assert_eq!(khal.stored_events(), 4, "updated, not added");
        let listed = khal.list();
        assert!(
            listed.contains("CANCELLED 15:00-15:30 Call back"),
            "{listed}"
        );
    });
}

/// Python's `icalendar` (pip) reads the file and reports what a calendar app would miss.
const ICALENDAR_CHECK: &str = r#"
import sys, icalendar
cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())
problems = []
if not str(cal.get('PRODID', '')).startswith('-//Rapport//Rapport '):
    problems.append('PRODID is %r' % str(cal.get('PRODID')))
events = cal.walk('VEVENT')
for e in events:
    uid = str(e.get('UID', ''))
    for prop in ('UID', 'DTSTAMP', 'DTSTART', 'SEQUENCE'):
        if prop not in e:
            problems.append('%s has no %s' % (uid, prop))
    start = e.decoded('DTSTART')
    timed = hasattr(start, 'hour')
    if 'DTEND' in e:
        if e.decoded('DTEND') <= start:
            problems.append('%s ends when it starts' % uid)
    elif 'DURATION' not in e:
        problems.append('%s has neither DTEND nor DURATION' % uid)
    alarms = e.walk('VALARM')
    if timed:
        if len(alarms) != 1:
            problems.append('%s has %d alarms' % (uid, len(alarms)))
        for a in alarms:
            if str(a.get('ACTION')) != 'DISPLAY' or 'DESCRIPTION' not in a:
                problems.append('%s alarm is not a display alarm' % uid)
            if a.decoded('TRIGGER').total_seconds() != -int(sys.argv[2]) * 60:
                problems.append('%s alarm at %s' % (uid, a.decoded('TRIGGER')))
uids = [str(e['UID']) for e in events if 'UID' in e]
if len(set(uids)) != len(uids):
    problems.append('UIDs repeat')
print(len(events), 'events')
for p in problems:
    print(p)
sys.exit(1 if problems else 0)
"#;

#[test]
fn python_icalendar_finds_uid_stamp_end_and_alarm_on_every_event() {
    if !reader_available("python3") {
        return;
    }
    let has_module = std::process::Command::new("python3")
        .args(["-c", "import icalendar"])
        .status()
        .is_ok_and(|s| s.success());
    if !has_module {
        assert!(
            std::env::var("RAPPORT_REQUIRE_READERS").as_deref() != Ok("1"),
            "Python's icalendar is required (RAPPORT_REQUIRE_READERS=1): pip install icalendar"
        );
        eprintln!("skipped: Python's icalendar is not installed (pip install icalendar)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    each_engine(|mut store| {
        fill(&mut store);
        store.set_setting("alarm_minutes", "25").unwrap();
        let path = dir.path().join("rapport.ics");
        export(&mut store, &path);
        let output = std::process::Command::new("python3")
            .args(["-c", ICALENDAR_CHECK, path.to_str().unwrap(), "25"])
            .output()
            .unwrap();
        let said = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success(),
            "{said}{}\n{}",
            String::from_utf8_lossy(&output.stderr),
            std::fs::read_to_string(&path).unwrap()
        );
        assert!(said.starts_with("4 events"), "{said}");
    });
}

#[test]
fn settings_from_the_command_line_keep_the_calendar_file_up_to_date() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cli.sqlite3");
    let ics = dir.path().join("kept.ics");
    let listed = stdout(&rapport(&db, &["settings"]));
    assert_eq!(listed, "alarm-minutes  15\ncalendar-file  none\n");
    let bad = rapport(&db, &["settings", "alarm-minutes", "soon"]);
    assert!(!bad.status.success());
    assert!(
        String::from_utf8_lossy(&bad.stderr).contains("\"soon\" is not a number of minutes"),
        "{}",
        String::from_utf8_lossy(&bad.stderr)
    );
    stdout(&rapport(&db, &["settings", "alarm-minutes", "30"]));
    stdout(&rapport(&db, &["contact", "add", "--name", "Ada Baker"]));
    let kept = stdout(&rapport(
        &db,
        &["settings", "calendar-file", ics.to_str().unwrap()],
    ));
    assert!(kept.contains("Wrote 0 follow-ups"), "{kept}");
    let listed = stdout(&rapport(&db, &["settings"]));
    assert_eq!(
        listed,
        format!("alarm-minutes  30\ncalendar-file  {}\n", ics.display())
    );

    stdout(&rapport(
        &db,
        &[
            "followup",
            "add",
            "--contact",
            "1",
            "--due",
            "2030-03-10 15:00",
            "--text",
            "Call back",
        ],
    ));
    let text = std::fs::read_to_string(&ics).unwrap();
    assert!(text.contains("SUMMARY:Call back — Ada Baker"), "{text}");
    assert!(text.contains("TRIGGER:-PT30M"), "{text}");
    stdout(&rapport(&db, &["followup", "done", "1"]));
    let text = std::fs::read_to_string(&ics).unwrap();
    assert!(
        text.contains("Call back") && text.contains("STATUS:CANCELLED"),
        "done, so cancelled in the calendar: {text}"
    );

    stdout(&rapport(&db, &["settings", "calendar-file", "none"]));
    stdout(&rapport(
        &db,
        &[
            "followup",
            "add",
            "--contact",
            "1",
            "--due",
            "2030-03-11",
            "--text",
            "Write",
        ],
    ));
    assert!(!std::fs::read_to_string(&ics).unwrap().contains("Write"));
    let missing = dir.path().join("missing").join("kept.ics");
    let refused = rapport(
        &db,
        &["settings", "calendar-file", missing.to_str().unwrap()],
    );
    assert!(!refused.status.success());
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("the folder does not exist"),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
    assert!(stdout(&rapport(&db, &["settings"])).ends_with("calendar-file  none\n"));
}

/// Steps the window until `done` holds, for at most ten seconds.
fn step_until(
    h: &mut egui_kittest::Harness<'static, rapport::app::RapportApp>,
    what: &str,
    done: impl Fn(&rapport::app::RapportApp) -> bool,
) {
    let start = std::time::Instant::now();
    while !done(h.state()) {
        assert!(start.elapsed().as_secs() < 10, "never happened: {what}");
        h.step();
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}

fn file_has(path: &Path, text: &str) -> bool {
    std::fs::read_to_string(path).is_ok_and(|t| t.contains(text))
}

fn status(app: &rapport::app::RapportApp) -> String {
    app.view
        .status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default()
}

#[test]
fn the_window_rewrites_the_calendar_file_when_follow_ups_change_and_says_once_when_it_cannot() {
    let dir = tempfile::tempdir().unwrap();
    let ics: PathBuf = dir.path().join("kept.ics");
    // The window runs on SQLite here; the team database in the window is tested on its own.
    let mut store = rapport::store::Store::open_in_memory().unwrap();
    {
        let call = fill(&mut store);
        store
            .set_setting("calendar_file", ics.to_str().unwrap())
            .unwrap();
        let ada = store.follow_up(call).unwrap().draft.contact_id;
        let mut h = app_in(store, Window::of(1100.0, 700.0), Prefs::default());
        let ctx = h.ctx.clone();
        let create =
            Command::CreateFollowUp(follow_up(ada, "Send the samples", "2026-11-23", None));
        h.state_mut().apply(create, &ctx);
        step_until(&mut h, "the new follow-up in the file", |_| {
            file_has(&ics, "Send the samples")
        });
        h.state_mut().apply(
            Command::CompleteFollowUp {
                id: call,
                seen: None,
            },
            &ctx,
        );
        step_until(&mut h, "the kept promise cancelled in the file", |_| {
            file_has(&ics, "STATUS:CANCELLED")
        });
        h.state_mut().apply(Command::Undo, &ctx);
        step_until(&mut h, "the undone tick back in the file", |_| {
            file_has(&ics, "Call back") && !file_has(&ics, "STATUS:CANCELLED")
        });

        // The folder goes away: the status line says so, in a sentence, once.
        std::fs::remove_dir_all(dir.path()).unwrap();
        h.state_mut().apply(
            Command::SnoozeFollowUp {
                id: call,
                days: 1,
                seen: None,
            },
            &ctx,
        );
        step_until(&mut h, "the failure in the status line", |app| {
            status(app).starts_with("The calendar file is not up to date.")
        });
        let said = status(h.state());
        assert!(said.contains("the folder does not exist"), "{said}");
        h.state_mut().apply(
            Command::SnoozeFollowUp {
                id: call,
                days: 1,
                seen: None,
            },
            &ctx,
        );
        for _ in 0..20 {
            h.step();
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        assert!(
            status(h.state()).starts_with("Moved to"),
            "said once, not after every change: {}",
            status(h.state())
        );
    }
}

#[test]
fn a_thousand_follow_ups_gather_in_milliseconds() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("big.sqlite3")).unwrap();
    let ada = store.create_contact(&ContactDraft::named("Ada")).unwrap();
    for i in 0..1000 {
        let time = (i % 2 == 0).then_some("09:30");
        let day = format!("2026-{:02}-{:02}", 1 + i % 12, 1 + i % 28);
        store
            .add_follow_up(&follow_up(ada, &format!("Promise {i}"), &day, time))
            .unwrap();
    }
    let started = std::time::Instant::now();
    let data = rapport::files::gather_calendar(&mut store, chrono::Utc::now()).unwrap();
    let gathered = started.elapsed();
    let path = dir.path().join("big.ics");
    let sentence =
        rapport::files::write_calendar(&data, &path, at("2026-01-01 00:00").date()).unwrap();
    let written = started.elapsed() - gathered;
    eprintln!(
        "1,000 follow-ups: gathered on the frame in {gathered:?}, rendered and written in {written:?}"
    );
    assert!(sentence.starts_with("Wrote 1000 follow-ups"), "{sentence}");
    // What the frame waits for: 7–20 ms in this debug build on two busy cores. The bound is
    // loose so a loaded CI machine passes; it guards against the read growing into a stall.
    assert!(gathered.as_millis() < 100, "{gathered:?}");
}
