//! The files of one conversation import (e-mails `.eml`, mailboxes `.mbox`, calendars `.ics`,
//! one or many), read as one stream of [`IncomingConversation`]s in the order given. A
//! mailbox is streamed by [`mail::MboxReader`] (never read whole); a message or calendar file
//! is read at once. How far the reading is counts bytes over all the files, for a progress
//! bar. No SQL, no egui; the store matches and writes what comes out.

use super::mail::{self, MailFileKind, MboxReader};
use super::meetings::{self, MeetingOptions};
use crate::model::incoming::{IncomingConversation, SkipReason};
use std::collections::VecDeque;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

/// Bytes of a file looked at to tell what it is.
const HEAD: usize = 8192;
/// The read buffer of a mailbox.
const MBOX_BUFFER: usize = 256 * 1024;

/// What kind of file one of them is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConversationFileKind {
    Eml,
    Mbox,
    Ics,
}

impl ConversationFileKind {
    /// The batch's format as `import_batches` keeps it.
    pub fn label(self) -> &'static str {
        match self {
            ConversationFileKind::Eml => "eml",
            ConversationFileKind::Mbox => "mbox",
            ConversationFileKind::Ics => "ics",
        }
    }
}

/// Whether the file is an e-mail, a mailbox or a calendar, by its name and first bytes;
/// `None` for anything else (a contact file). A file that cannot be read is `None` too.
pub fn kind_of(path: &Path) -> Option<ConversationFileKind> {
    let head = head_of(path).ok()?;
    kind_from(path, &head)
}

fn kind_from(path: &Path, head: &[u8]) -> Option<ConversationFileKind> {
    if meetings::is_calendar(path, head) {
        return Some(ConversationFileKind::Ics);
    }
    match mail::detect(path, head)? {
        MailFileKind::Eml => Some(ConversationFileKind::Eml),
        MailFileKind::Mbox => Some(ConversationFileKind::Mbox),
    }
}

fn head_of(path: &Path) -> std::io::Result<Vec<u8>> {
    let mut head = Vec::with_capacity(HEAD);
    std::fs::File::open(path)?
        .take(HEAD as u64)
        .read_to_end(&mut head)?;
    Ok(head)
}

/// The files chosen, each with its kind and size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConversationFiles {
    files: Vec<(PathBuf, ConversationFileKind, u64)>,
}

impl ConversationFiles {
    /// Looks at each file; a sentence naming the first that cannot be read or is neither an
    /// e-mail, a mailbox nor a calendar.
    pub fn open(paths: &[PathBuf]) -> Result<Self, String> {
        if paths.is_empty() {
            return Err("Choose an e-mail (.eml), mailbox (.mbox) or calendar (.ics) file.".into());
        }
        let mut files = Vec::new();
        for path in paths {
            let shown = path.display();
            let size = std::fs::metadata(path)
                .map_err(|e| format!("{shown} cannot be read ({e}). Nothing was changed."))?
                .len();
            let head = head_of(path)
                .map_err(|e| format!("{shown} cannot be read ({e}). Nothing was changed."))?;
            let Some(kind) = kind_from(path, &head) else {
                return Err(format!(
                    "{shown} is not an e-mail (.eml), a mailbox (.mbox) or a calendar (.ics) file. Nothing was changed."
                ));
            };
            files.push((path.clone(), kind, size));
        }
        Ok(Self { files })
    }

    /// "Inbox.mbox", or "Inbox.mbox and 2 more files".
    pub fn source_name(&self) -> String {
        let first = self
            .files
            .first()
            .and_then(|(path, ..)| path.file_name())
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        match self.files.len() {
            0 | 1 => first,
            2 => format!("{first} and 1 more file"),
            n => format!("{first} and {} more files", n - 1),
        }
    }

    /// The kinds in the batch: "mbox", or "eml+ics" for several.
    pub fn format(&self) -> String {
        let mut kinds: Vec<&str> = Vec::new();
        for (_, kind, _) in &self.files {
            if !kinds.contains(&kind.label()) {
                kinds.push(kind.label());
            }
        }
        kinds.join("+")
    }

    /// The files' paths, in order.
    pub fn paths(&self) -> Vec<PathBuf> {
        self.files.iter().map(|(p, ..)| p.clone()).collect()
    }

    /// Their size in all.
    pub fn total_bytes(&self) -> u64 {
        self.files.iter().map(|(.., size)| size).sum()
    }

    /// The entries of every file, in order, read as they are asked for.
    pub fn entries(&self, mail: mail::ReadOptions, meetings: MeetingOptions) -> FileEntries {
        FileEntries {
            waiting: self.files.iter().cloned().collect(),
            current: Current::Between,
            done_before: 0,
            total: self.total_bytes(),
            mail,
            meetings,
        }
    }
}

/// The file being read.
enum Current {
    Between,
    Mbox(Box<MboxReader<BufReader<std::fs::File>>>, u64),
    Listed(std::vec::IntoIter<IncomingConversation>),
}

/// The stream of one import's entries over its files.
pub struct FileEntries {
    waiting: VecDeque<(PathBuf, ConversationFileKind, u64)>,
    current: Current,
    /// Bytes of the files finished (or read whole).
    done_before: u64,
    total: u64,
    mail: mail::ReadOptions,
    meetings: MeetingOptions,
}

impl FileEntries {
    /// Bytes read so far, and the files' size in all.
    pub fn bytes_done(&self) -> (u64, u64) {
        let within = match &self.current {
            Current::Mbox(reader, size) => reader.bytes_read().min(*size),
            _ => 0,
        };
        ((self.done_before + within).min(self.total), self.total)
    }

    /// Starts the next file; false when there is none.
    fn start_next(&mut self) -> bool {
        let Some((path, kind, size)) = self.waiting.pop_front() else {
            return false;
        };
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        self.current = match kind {
            ConversationFileKind::Mbox => match std::fs::File::open(&path) {
                Ok(file) => {
                    let reader = BufReader::with_capacity(MBOX_BUFFER, file);
                    Current::Mbox(Box::new(MboxReader::new(reader, self.mail.clone())), size)
                }
                Err(e) => {
                    self.done_before += size;
                    Current::Listed(vec![unreadable(&name, &e.to_string())].into_iter())
                }
            },
            ConversationFileKind::Eml | ConversationFileKind::Ics => {
                self.done_before += size;
                let entries = match std::fs::read(&path) {
                    Ok(bytes) if kind == ConversationFileKind::Eml => {
                        vec![mail::read_eml(&bytes, &self.mail)]
                    }
                    Ok(bytes) => meetings::read_ics(&bytes, &self.meetings)
                        .unwrap_or_else(|why| vec![unreadable(&name, &why)]),
                    Err(e) => vec![unreadable(&name, &e.to_string())],
                };
                Current::Listed(entries.into_iter())
            }
        };
        true
    }
}

/// A file that could not be read, as one skipped entry naming it.
fn unreadable(name: &str, why: &str) -> IncomingConversation {
    IncomingConversation {
        source_ref: format!("file:{name}"),
        thread_ref: None,
        occurred_at: chrono::NaiveDateTime::default(),
        channel: crate::model::Channel::Email,
        outcome: crate::model::Outcome::Held,
        duration_minutes: None,
        from: None,
        to: Vec::new(),
        summary: String::new(),
        they_said: String::new(),
        attachments: Vec::new(),
        skip: Some(SkipReason::Unreadable(format!("{name}: {why}"))),
    }
}

impl Iterator for FileEntries {
    type Item = IncomingConversation;

    fn next(&mut self) -> Option<IncomingConversation> {
        loop {
            let next = match &mut self.current {
                Current::Between => None,
                Current::Mbox(reader, _) => reader.next(),
                Current::Listed(entries) => entries.next(),
            };
            if next.is_some() {
                return next;
            }
            if let Current::Mbox(_, size) = self.current {
                self.done_before += size;
            }
            self.current = Current::Between;
            if !self.start_next() {
                return None;
            }
        }
    }
}
