//! An mbox file, one message at a time.

use std::io::{BufRead, Read};

use super::{IncomingConversation, ReadOptions, headers, message};

/// The most of one line read at once: a longer line is read in pieces, so a file without
/// line breaks never sits whole in memory.
const PIECE: u64 = 1 << 20;
/// The most of a too-large message's headers kept to say what it was.
pub(super) const HEAD_KEPT: usize = 256 * 1024;
/// A message buffer bigger than this is given back to the allocator after its message.
const KEEP_CAPACITY: usize = 4 << 20;

/// Streams the messages of an mbox (mboxo, mboxrd, mboxcl; LF or CRLF) as conversations.
///
/// Holds one message at a time, at most [`ReadOptions::max_message_bytes`] of it: a bigger
/// one comes back unreadable ("larger than 64 MB", its headers still read) and the rest of
/// it is passed over up to the next `From ` line without being kept. A message cut off by
/// the end of the file inside its headers comes back unreadable too. A read error ends the
/// iteration with one last unreadable entry saying what happened. Never panics.
pub struct MboxReader<R: BufRead> {
    reader: R,
    opts: ReadOptions,
    bytes_read: u64,
    /// The `From ` line of the message to be read next.
    envelope: Option<Vec<u8>>,
    message: Vec<u8>,
    scratch: Vec<u8>,
    ordinal: u64,
    started: bool,
    finished: bool,
}

/// How the reading of one message ended.
enum End {
    /// At the next message's `From ` line (given).
    NextMessage(Vec<u8>),
    EndOfFile,
}

impl<R: BufRead> MboxReader<R> {
    pub fn new(reader: R, opts: ReadOptions) -> Self {
        Self {
            reader,
            opts,
            bytes_read: 0,
            envelope: None,
            message: Vec::new(),
            scratch: Vec::new(),
            ordinal: 0,
            started: false,
            finished: false,
        }
    }

    /// How many bytes of the file have been read so far (for progress: ÷ the file's size).
    pub fn bytes_read(&self) -> u64 {
        self.bytes_read
    }

    /// Reads lines into `self.message` up to the next `From ` line or the end of the file;
    /// the bool says the message was too large (only its headers are left in `message`).
    fn read_message(&mut self) -> std::io::Result<(End, bool)> {
        let cap = self.opts.max_message_bytes;
        let mut too_large = false;
        let mut at_line_start = true;
        let mut after_blank = !self.started;
        loop {
            let target = if too_large {
                self.scratch.clear();
                &mut self.scratch
            } else {
                &mut self.message
            };
            let start = target.len();
            let n = (&mut self.reader).take(PIECE).read_until(b'\n', target)?;
            if n == 0 {
                return Ok((End::EndOfFile, too_large));
            }
            self.bytes_read += n as u64;
            if at_line_start {
                let line = &target[start..];
                if is_separator(line, after_blank || !self.started) {
                    let envelope = line.to_vec();
                    target.truncate(start);
                    self.started = true;
                    return Ok((End::NextMessage(envelope), too_large));
                }
                if is_quoted_from(line) {
                    target.remove(start);
                }
                after_blank = matches!(&target[start..], b"\n" | b"\r\n");
            }
            self.started = true;
            at_line_start = target.ends_with(b"\n");
            if !too_large && self.message.len() > cap {
                too_large = true;
                let keep = header_end(&self.message)
                    .unwrap_or(self.message.len())
                    .min(HEAD_KEPT);
                self.message.truncate(keep);
                self.message.shrink_to_fit();
            }
        }
    }

    /// The entry for what `read_message` collected.
    fn entry(
        &mut self,
        envelope: Option<&[u8]>,
        end: &End,
        too_large: bool,
    ) -> IncomingConversation {
        self.ordinal += 1;
        let ordinal = Some(self.ordinal);
        if too_large {
            let why = too_large_reason(&self.opts);
            return message::headers_only(&self.message, envelope, ordinal, &self.opts, &why);
        }
        let cut_off = matches!(end, End::EndOfFile) && header_end(&self.message).is_none();
        if cut_off {
            let why = "the file ends in the middle of it";
            return message::headers_only(&self.message, envelope, ordinal, &self.opts, why);
        }
        message::conversation(&self.message, envelope, ordinal, &self.opts)
    }

    fn clear_message(&mut self) {
        self.message.clear();
        if self.message.capacity() > KEEP_CAPACITY {
            self.message = Vec::new();
        }
    }
}

impl<R: BufRead> Iterator for MboxReader<R> {
    type Item = IncomingConversation;

    fn next(&mut self) -> Option<IncomingConversation> {
        while !self.finished {
            let envelope = self.envelope.take();
            let (end, too_large) = match self.read_message() {
                Ok(read) => read,
                Err(error) => return Some(self.read_error(envelope.as_deref(), &error)),
            };
            self.finished = matches!(end, End::EndOfFile);
            let blank = !too_large && self.message.iter().all(u8::is_ascii_whitespace);
            // Blank lines before the first `From ` line, or a last `From ` line with nothing
            // after it: nothing to say.
            if blank && (envelope.is_none() || self.finished) {
                self.clear_message();
                self.envelope = next_envelope(end);
                continue;
            }
            let entry = self.entry(envelope.as_deref(), &end, too_large);
            self.clear_message();
            self.envelope = next_envelope(end);
            return Some(entry);
        }
        None
    }
}

impl<R: BufRead> MboxReader<R> {
    /// The last entry, when the file could not be read further.
    fn read_error(
        &mut self,
        envelope: Option<&[u8]>,
        error: &std::io::Error,
    ) -> IncomingConversation {
        self.finished = true;
        self.ordinal += 1;
        let why = format!("the file could not be read further ({error})");
        let entry = message::headers_only(
            &self.message,
            envelope,
            Some(self.ordinal),
            &self.opts,
            &why,
        );
        self.clear_message();
        entry
    }
}

/// What is said of a message over the size limit.
pub(super) fn too_large_reason(opts: &ReadOptions) -> String {
    let limit = opts.max_message_bytes;
    if limit >= 1024 * 1024 {
        format!("it is larger than {} MB", limit / (1024 * 1024))
    } else {
        format!("it is larger than {} KB", limit.div_ceil(1024))
    }
}

fn next_envelope(end: End) -> Option<Vec<u8>> {
    match end {
        End::NextMessage(line) => Some(line),
        End::EndOfFile => None,
    }
}

/// Whether a line starts a new message: `From ` with the envelope's date, or, at the start of
/// the file or after an empty line, `From ` and a sender (`ana@example.com`, `-`,
/// `MAILER-DAEMON`).
fn is_separator(line: &[u8], after_blank: bool) -> bool {
    if !line.starts_with(b"From ") {
        return false;
    }
    if headers::envelope_instant(line).is_some() {
        return true;
    }
    let sender = line[5..]
        .split(|b| b.is_ascii_whitespace())
        .find(|t| !t.is_empty())
        .unwrap_or_default();
    after_blank
        && (sender.contains(&b'@')
            || sender == b"-"
            || sender.eq_ignore_ascii_case(b"MAILER-DAEMON"))
}

/// `>From `, `>>From ` …: a body line an mboxo or mboxrd writer quoted.
fn is_quoted_from(line: &[u8]) -> bool {
    let quotes = line.iter().take_while(|&&b| b == b'>').count();
    quotes > 0 && line[quotes..].starts_with(b"From ")
}

/// Where the body starts (just after the empty line that ends the headers).
pub(super) fn header_end(message: &[u8]) -> Option<usize> {
    let mut at = 0;
    while let Some(n) = message[at..].iter().position(|&b| b == b'\n') {
        let line_start = at + n + 1;
        match &message[line_start..] {
            [b'\n', ..] => return Some(line_start + 1),
            [b'\r', b'\n', ..] => return Some(line_start + 2),
            _ => at = line_start,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separators_and_quotes() {
        assert!(is_separator(
            b"From ana@example.com Mon Jan 15 09:00:00 2024\n",
            false
        ));
        assert!(is_separator(b"From - Tue Mar 12 10:15:00 2024\r\n", false));
        assert!(is_separator(
            b"From 1790@xxx Sat Oct 03 14:56:07 +0000 2020\n",
            false
        ));
        assert!(is_separator(b"From ana@example.com\n", true));
        assert!(!is_separator(b"From ana@example.com\n", false));
        assert!(!is_separator(b"From now on we ship on Mondays.\n", true));
        assert!(!is_separator(b"From: Ana <ana@example.com>\n", true));
        assert!(is_quoted_from(b">From the desk\n"));
        assert!(is_quoted_from(b">>From the desk\n"));
        assert!(!is_quoted_from(b"> From the desk\n"));
        assert_eq!(header_end(b"A: b\nC: d\n\nbody"), Some(11));
        assert_eq!(header_end(b"A: b\r\n\r\nbody"), Some(8));
        assert_eq!(header_end(b"A: b\nC: d"), None);
    }

    #[test]
    fn mboxrd_quoting_is_undone_once() {
        let file = b"From a@b.example Mon Apr  1 10:00:00 2024\nSubject: s\n\n>From here\n\
            >>From there\n> From a quote\n\nFrom c@d.example Mon Apr  1 11:00:00 2024\n\
            Subject: t\n\nx\n";
        let mut reader = MboxReader::new(&file[..], ReadOptions::default());
        assert!(matches!(
            reader.read_message().unwrap(),
            (End::NextMessage(_), false)
        ));
        assert!(
            reader.message.is_empty(),
            "nothing before the first From line"
        );
        let (end, too_large) = reader.read_message().unwrap();
        assert!(!too_large);
        assert_eq!(
            String::from_utf8_lossy(&reader.message),
            "Subject: s\n\nFrom here\n>From there\n> From a quote\n\n"
        );
        let End::NextMessage(envelope) = end else {
            panic!("the second From line")
        };
        assert_eq!(envelope, b"From c@d.example Mon Apr  1 11:00:00 2024\n");
    }
}
