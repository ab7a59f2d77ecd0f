//! Mail files → [`IncomingConversation`]s: `.eml` files (one message, as Thunderbird, Apple
//! Mail and Outlook on the web save a dragged message) and `.mbox` files (Thunderbird's folder
//! files, Apple Mail's export, Google Takeout's `All mail.mbox`). Pure: bytes in, values out;
//! no SQL, no egui, no files opened here.
//!
//! - [`detect`] tells an e-mail file from the contact files by its name and its first bytes.
//! - [`read_eml`] reads one message; [`MboxReader`] streams a mailbox one message at a time
//!   (never the whole file in memory; one message is held at most up to
//!   [`ReadOptions::max_message_bytes`], a bigger one comes back as
//!   [`SkipReason::Unreadable`] and is skipped without being held). `>From ` lines quoted by
//!   mboxo and mboxrd writers are given back their `From `. [`MboxReader::bytes_read`] tells
//!   how far into the file it is, for a progress bar.
//! - Messages are parsed with `mail-parser` (MIME, encoded words, every charset); the body is
//!   the text/plain part (`format=flowed` and `delsp=yes` undone), else the HTML part made
//!   text (no CSS, scripts or head), without quoted replies (`> ` lines, "On … wrote:" in
//!   several languages, Outlook's "-----Original Message-----" and "From: … Sent: …" blocks,
//!   Gmail's `gmail_quote`, Thunderbird's and Apple Mail's `blockquote type="cite"`) and
//!   signatures (`-- `, a lone `--`, "Sent from my iPhone" and the like); its first lines
//!   ([`ReadOptions::max_said_lines`] non-empty lines, at most
//!   [`ReadOptions::max_said_chars`] characters) become `they_said`.
//! - `source_ref` is `mid:<Message-ID without angle brackets>`. A message without a
//!   Message-ID gets a stable made-up one, `mid:made-up-<16 hex digits>@rapport`, from an
//!   FNV-1a hash of its raw Date, From and Subject values and the first 512 bytes of its body
//!   (whitespace left out, so CRLF and LF copies agree): reading the same file again gives the
//!   same id. An mbox entry that cannot be read at all is `mbox:#<n>` (its place in the file).
//! - `thread_ref` is the first id of `References`, else `In-Reply-To`, else the message's
//!   own, all as `mid:…`.
//! - `occurred_at` is the message's `Date` (its own zone honoured), else its newest
//!   `Received` date, else the mbox `From ` line's date, turned into the wall-clock time of
//!   [`ReadOptions::local_time`]. A message with none of these is unreadable.
//! - Newsletters and automated senders are marked [`SkipReason::Bulk`] with the header that
//!   decided: `List-Id`, `Precedence: bulk|list|junk` (with `List-Unsubscribe` said too when
//!   present), `Auto-Submitted` other than `no`, `X-Autoreply`, or a sender such as
//!   `noreply@`, `no-reply@`, `donotreply@`, `mailer-daemon@`, `notifications@`.
//! - The base64 bodies of binary parts (pictures, documents) are left out before parsing:
//!   their names and types are all that is used, so attachments are never decoded.
//! - Attachments are the parts with a file name, except images shown inside the HTML
//!   (inline with a Content-ID: logos, signature pictures); a forwarded message without a
//!   name is listed as its subject + `.eml`.
//! - Every conversation is channel `Email`, outcome `Held`, no duration.

mod body;
mod headers;
mod html;
mod mbox;
mod message;
mod slim;

use std::path::Path;

use chrono::NaiveDateTime;

pub use crate::model::incoming::{IncomingConversation, MailAddress, SkipReason};
pub use mbox::MboxReader;

/// What kind of mail file a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailFileKind {
    /// One message (RFC 5322).
    Eml,
    /// Many messages, each after a `From ` line.
    Mbox,
}

/// How an instant becomes the wall-clock time stored with a conversation.
#[derive(Debug, Clone, Default)]
pub enum LocalTime {
    /// This computer's time zone (`chrono::Local`).
    #[default]
    System,
    /// A given zone (tests pass one so they do not depend on the machine).
    Zone(jiff::tz::TimeZone),
}

impl LocalTime {
    /// The wall-clock time of `seconds` since the Unix epoch, or None when out of range.
    pub fn wall_clock(&self, seconds: i64) -> Option<NaiveDateTime> {
        match self {
            LocalTime::System => {
                use chrono::TimeZone;
                chrono::Local
                    .timestamp_opt(seconds, 0)
                    .earliest()
                    .map(|t| t.naive_local())
            }
            LocalTime::Zone(zone) => {
                let civil = jiff::Timestamp::from_second(seconds)
                    .ok()?
                    .to_zoned(zone.clone())
                    .datetime();
                chrono::NaiveDate::from_ymd_opt(
                    i32::from(civil.year()),
                    civil.month() as u32,
                    civil.day() as u32,
                )?
                .and_hms_opt(
                    civil.hour() as u32,
                    civil.minute() as u32,
                    civil.second() as u32,
                )
            }
        }
    }
}

/// How messages are read.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// The zone `occurred_at` is shown in.
    pub local_time: LocalTime,
    /// The longest `they_said`, in characters (cut at a word, with "…").
    pub max_said_chars: usize,
    /// The most non-empty lines of `they_said`.
    pub max_said_lines: usize,
    /// The biggest message may be (an `.eml` file or an mbox entry); a bigger one is
    /// unreadable ("it is larger than 64 MB").
    pub max_message_bytes: usize,
}

impl Default for ReadOptions {
    fn default() -> Self {
        Self {
            local_time: LocalTime::System,
            max_said_chars: 1000,
            max_said_lines: 12,
            max_message_bytes: 64 * 1024 * 1024,
        }
    }
}

/// Tells a mail file by its name and first bytes (`head`, a few KB are plenty): `.eml` and
/// `.mbox`/`.mbx` by extension; without one of those, a file that starts with `From ` is an
/// mbox and one that starts with RFC 5322 headers (From:, Message-ID:, Received:, …) is a
/// message. vCard and CSV files are never mail.
pub fn detect(path: &Path, head: &[u8]) -> Option<MailFileKind> {
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let head = skip_preamble(head);
    match extension.as_str() {
        "vcf" | "vcard" | "csv" | "tsv" | "ics" => None,
        "eml" => Some(MailFileKind::Eml),
        "mbox" | "mbx" => Some(MailFileKind::Mbox),
        _ if head.starts_with(b"From ") => Some(MailFileKind::Mbox),
        _ if headers::looks_like_headers(head) => Some(MailFileKind::Eml),
        _ => None,
    }
}

/// Reads one message (an `.eml` file's bytes). Never fails: what cannot be read comes back
/// with `skip: Some(SkipReason::Unreadable(..))`, and so does a message bigger than
/// [`ReadOptions::max_message_bytes`] (its headers still read).
pub fn read_eml(bytes: &[u8], opts: &ReadOptions) -> IncomingConversation {
    let bytes = skip_preamble(bytes);
    // Some tools save a message with its mbox `From ` line: it gives a date to fall back on.
    let (envelope, raw) = match bytes.strip_prefix(b"From ") {
        Some(_) => {
            let end = bytes
                .iter()
                .position(|&b| b == b'\n')
                .map_or(bytes.len(), |i| i + 1);
            (Some(&bytes[..end]), &bytes[end..])
        }
        None => (None, bytes),
    };
    if raw.len() > opts.max_message_bytes {
        let head = &raw[..mbox::header_end(raw)
            .unwrap_or(raw.len())
            .min(mbox::HEAD_KEPT)];
        let why = mbox::too_large_reason(opts);
        return message::headers_only(head, envelope, None, opts, &why);
    }
    message::conversation(raw, envelope, None, opts)
}

/// Skips a UTF-8 byte order mark and blank lines before the first header.
fn skip_preamble(bytes: &[u8]) -> &[u8] {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let start = bytes
        .iter()
        .position(|&b| !matches!(b, b'\r' | b'\n'))
        .unwrap_or(bytes.len());
    &bytes[start..]
}
