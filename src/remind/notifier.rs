//! The notifications the companion sends: their words (`Note::of`), and the desktop notifier
//! that shows them through notify-rust, with Open, Done and +1 hour where the platform has
//! actions. A test gives the companion a notifier of its own that keeps what it was asked to
//! send; `RAPPORT_NOTIFY_LOG=<file>` makes the real one also append each note as a JSON line.

use super::Wake;
use super::schedule::{Announcement, Pending};
use crate::model::{ContactId, FollowUpId};
use chrono::NaiveDateTime;
use std::path::PathBuf;
use std::sync::mpsc::Sender;

/// At most this many follow-ups are named in one notification; the rest are counted.
const NAMED: usize = 8;

/// What a notification's button asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// Open Rapport at this contact.
    Open(ContactId),
    /// Tick the follow-up off, if it is still open at the moment announced.
    Done(FollowUpId, NaiveDateTime),
    /// Move it an hour from now, if it is still open at the moment announced.
    Snooze(FollowUpId, NaiveDateTime),
}

/// One notification: its kind (`due`, `late`, `away`, `many`), what it is about, and its words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Note {
    pub kind: &'static str,
    /// The follow-ups it names, with the moment each was announced for.
    pub follow_ups: Vec<(FollowUpId, NaiveDateTime)>,
    /// Whom "Open" shows: the one follow-up's contact, or the first of several.
    pub contact: ContactId,
    pub title: String,
    pub body: String,
}

impl Note {
    /// "follow-ups 3, 4" for the log, which carries no names or promises (ids only).
    fn ids(&self) -> String {
        let ids: Vec<String> = self
            .follow_ups
            .iter()
            .map(|(id, _)| id.0.to_string())
            .collect();
        format!(
            "follow-up{} {}",
            if ids.len() == 1 { "" } else { "s" },
            ids.join(", ")
        )
    }

    /// The words of an announcement.
    pub fn of(announcement: &Announcement) -> Self {
        let items = announcement.items();
        let follow_ups = items.iter().map(|i| (i.id, i.moment())).collect();
        let contact = items.first().map_or(ContactId(0), |i| i.contact);
        let (kind, title, body) = match announcement {
            Announcement::One { item, late: false } => (
                "due",
                format!("Follow-up due: {}", item.name),
                item.text.clone(),
            ),
            Announcement::One { item, late: true } => (
                "late",
                format!("Follow-up due {}: {}", when(item), item.name),
                item.text.clone(),
            ),
            Announcement::Several { items, away } => {
                let (kind, title) = match away {
                    true => (
                        "away",
                        format!("{} follow-ups came due while you were away", items.len()),
                    ),
                    false => ("many", format!("{} follow-ups due now", items.len())),
                };
                (kind, title, list(items))
            }
        };
        Note {
            kind,
            follow_ups,
            contact,
            title,
            body,
        }
    }

    /// Whether it is about one follow-up (then Done and +1 hour apply to it).
    fn single(&self) -> Option<(FollowUpId, NaiveDateTime)> {
        match self.follow_ups[..] {
            [one] => Some(one),
            _ => None,
        }
    }
}

/// "at 15:00", or "on Fri 20 Nov" for a follow-up without a time.
fn when(item: &Pending) -> String {
    match item.due_time {
        Some(time) => format!("at {}", time.format("%H:%M")),
        None => format!("on {}", item.due_date.format("%a %-d %b")),
    }
}

/// One line per follow-up ("15:00 Maria García: call back"), the rest counted.
fn list(items: &[Pending]) -> String {
    let mut lines: Vec<String> = items
        .iter()
        .take(NAMED)
        .map(|item| {
            let time = item.due_time.map_or_else(
                || item.due_date.format("%-d %b").to_string(),
                |t| t.format("%H:%M").to_string(),
            );
            format!("{time} {}: {}", item.name, item.text)
        })
        .collect();
    if items.len() > NAMED {
        lines.push(format!("and {} more", items.len() - NAMED));
    }
    lines.join("\n")
}

/// Where the companion's notifications go.
pub trait Notifier {
    /// Shows `note`; an action the person takes on it comes back as a `Wake::Action`.
    fn notify(&mut self, note: &Note);
}

/// The desktop's notifications (notify-rust), each shown from a thread of its own that waits
/// for its buttons, and the JSON log when `RAPPORT_NOTIFY_LOG` names one.
pub struct Desktop {
    /// Where the buttons' actions go; `None` for `--once`, whose notifications have none.
    wakes: Option<Sender<Wake>>,
    log: Option<PathBuf>,
}

impl Desktop {
    /// The notifier whose actions come back on `wakes`.
    pub fn new(wakes: Sender<Wake>) -> Self {
        Desktop {
            wakes: Some(wakes),
            log: std::env::var_os("RAPPORT_NOTIFY_LOG").map(PathBuf::from),
        }
    }

    /// The notifier of `--once`: plain notifications, each shown before `notify` returns.
    pub fn once() -> Self {
        Desktop {
            wakes: None,
            log: std::env::var_os("RAPPORT_NOTIFY_LOG").map(PathBuf::from),
        }
    }

    fn append_to_log(&self, note: &Note) {
        let Some(path) = &self.log else { return };
        let line = serde_json::json!({
            "kind": note.kind,
            "follow_ups": note.follow_ups.iter().map(|(id, _)| id.0).collect::<Vec<_>>(),
            "title": note.title,
            "body": note.body,
            "sent_at": chrono::Local::now().to_rfc3339(),
        });
        let written = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .and_then(|mut file| {
                use std::io::Write as _;
                writeln!(file, "{line}")
            });
        if let Err(e) = written {
            tracing::warn!(
                "could not write the notification log {}: {e}",
                path.display()
            );
        }
    }
}

impl Notifier for Desktop {
    fn notify(&mut self, note: &Note) {
        self.append_to_log(note);
        let Some(wakes) = self.wakes.clone() else {
            return show_plain(note);
        };
        let note = note.clone();
        let spawned = std::thread::Builder::new()
            .name("reminder".to_owned())
            .spawn(move || show(&note, &wakes));
        if let Err(e) = spawned {
            tracing::warn!("could not start the reminder thread: {e}");
        }
    }
}

/// Shows the note without buttons.
fn show_plain(note: &Note) {
    let shown = notify_rust::Notification::new()
        .appname("Rapport")
        .summary(&note.title)
        .body(&note.body)
        .show();
    if let Err(error) = shown {
        tracing::warn!("no desktop notification for {}: {error}", note.ids());
    }
}

/// Shows the note and waits for a button (Linux and the BSDs, whose notification servers have
/// actions).
#[cfg(all(unix, not(target_os = "macos")))]
fn show(note: &Note, wakes: &Sender<Wake>) {
    let mut notification = notify_rust::Notification::new();
    notification
        .appname("Rapport")
        .summary(&note.title)
        .body(&note.body)
        .action("default", "Open")
        .action("open", "Open");
    if note.single().is_some() {
        notification
            .action("done", "Done")
            .action("snooze", "+1 hour");
    }
    match notification.show() {
        Ok(handle) => handle.wait_for_action(|chosen| {
            if let Some(action) = action_for(note, chosen) {
                let _ = wakes.send(Wake::Action(action));
            }
        }),
        Err(error) => tracing::warn!("no desktop notification for {}: {error}", note.ids()),
    }
}

/// Shows the note as a plain notification (macOS and Windows: no actions here).
#[cfg(not(all(unix, not(target_os = "macos"))))]
fn show(note: &Note, _wakes: &Sender<Wake>) {
    show_plain(note);
}

/// The action behind a button's identifier ("default" is a click on the notification itself).
pub fn action_for(note: &Note, chosen: &str) -> Option<Action> {
    match (chosen, note.single()) {
        ("open" | "default", _) => Some(Action::Open(note.contact)),
        ("done", Some((id, moment))) => Some(Action::Done(id, moment)),
        ("snooze", Some((id, moment))) => Some(Action::Snooze(id, moment)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveDate, NaiveTime};

    fn maria(id: i64, time: Option<&str>) -> Pending {
        Pending {
            id: FollowUpId(id),
            contact: ContactId(3),
            name: "Maria García".to_owned(),
            text: "Call back about the quote".to_owned(),
            due_date: NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
            due_time: time.map(|t| NaiveTime::parse_from_str(t, "%H:%M").unwrap()),
        }
    }

    #[test]
    fn remind_notes_name_the_person_and_the_promise() {
        let due = Note::of(&Announcement::One {
            item: maria(1, Some("15:00")),
            late: false,
        });
        assert_eq!(due.title, "Follow-up due: Maria García");
        assert_eq!(due.body, "Call back about the quote");
        let late = Note::of(&Announcement::One {
            item: maria(1, Some("15:00")),
            late: true,
        });
        assert_eq!(late.title, "Follow-up due at 15:00: Maria García");
        let away = Note::of(&Announcement::Several {
            items: vec![maria(1, Some("13:00")), maria(2, None)],
            away: true,
        });
        assert_eq!(away.title, "2 follow-ups came due while you were away");
        assert_eq!(
            away.body,
            "13:00 Maria García: Call back about the quote\n20 Nov Maria García: Call back about the quote"
        );
        assert_eq!(away.kind, "away");
    }

    #[test]
    fn remind_buttons_act_on_the_one_follow_up_or_open_the_first_contact() {
        let one = Note::of(&Announcement::One {
            item: maria(1, Some("15:00")),
            late: false,
        });
        let moment = maria(1, Some("15:00")).moment();
        assert_eq!(
            action_for(&one, "done"),
            Some(Action::Done(FollowUpId(1), moment))
        );
        assert_eq!(
            action_for(&one, "snooze"),
            Some(Action::Snooze(FollowUpId(1), moment))
        );
        assert_eq!(action_for(&one, "open"), Some(Action::Open(ContactId(3))));
        assert_eq!(action_for(&one, "__closed"), None);
        let several = Note::of(&Announcement::Several {
            items: vec![maria(1, None), maria(2, None)],
            away: false,
        });
        assert_eq!(action_for(&several, "done"), None);
        assert_eq!(
            action_for(&several, "default"),
            Some(Action::Open(ContactId(3)))
        );
    }
}
