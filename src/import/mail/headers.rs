//! What the headers say: who, when, which thread, and whether a person wrote it at all.

use chrono::{NaiveDate, NaiveTime};
use mail_parser::{Address, HeaderValue, Message};

use crate::model::incoming::MailAddress;

/// The raw value of the first header called `name` (any case), trimmed.
pub(super) fn raw<'m>(message: &'m Message<'_>, name: &str) -> Option<&'m str> {
    message
        .headers_raw()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.trim())
}

/// Whether `head` starts with RFC 5322 header lines, at least one of them one that only mail
/// has (a vCard's `N:` / `FN:` lines and a CSV's first row are not).
pub(super) fn looks_like_headers(head: &[u8]) -> bool {
    const MAIL: [&str; 10] = [
        "from",
        "to",
        "subject",
        "date",
        "message-id",
        "received",
        "return-path",
        "mime-version",
        "delivered-to",
        "x-mozilla-status",
    ];
    let text = String::from_utf8_lossy(&head[..head.len().min(8192)]);
    let mut lines = text.lines().peekable();
    let mut header_lines = 0;
    let mut mail_headers = 0;
    while let Some(line) = lines.next() {
        if line.trim().is_empty() {
            break;
        }
        if line.starts_with([' ', '\t']) && header_lines > 0 {
            continue;
        }
        let Some((name, _)) = line.split_once(':') else {
            // The last line of the head may be cut in the middle.
            return lines.peek().is_none() && header_lines > 0 && mail_headers > 0;
        };
        let is_name = !name.is_empty()
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if !is_name {
            return false;
        }
        header_lines += 1;
        if MAIL.iter().any(|m| name.eq_ignore_ascii_case(m)) {
            mail_headers += 1;
        }
    }
    mail_headers >= 1 && header_lines >= 2
}

/// Why this message is from a list or a machine, naming the header that says so.
pub(super) fn bulk_reason(message: &Message<'_>) -> Option<String> {
    if let Some(list) = raw(message, "List-Id") {
        return Some(format!("List-Id: {}", shorten(list)));
    }
    if let Some(precedence) = raw(message, "Precedence") {
        let value = precedence.to_ascii_lowercase();
        if ["bulk", "list", "junk"].contains(&value.as_str()) {
            let unsubscribe = if raw(message, "List-Unsubscribe").is_some() {
                " and List-Unsubscribe"
            } else {
                ""
            };
            return Some(format!("Precedence: {value}{unsubscribe}"));
        }
    }
    if let Some(auto) = raw(message, "Auto-Submitted") {
        let value = auto
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        if !value.is_empty() && value != "no" {
            return Some(format!("Auto-Submitted: {value}"));
        }
    }
    if raw(message, "X-Autoreply").is_some_and(|v| v.eq_ignore_ascii_case("yes")) {
        return Some("X-Autoreply: yes".to_owned());
    }
    let from = sender(message)?;
    is_automated_address(&from.address).then(|| format!("sender {}", from.address))
}

/// Whether an address is a machine's: noreply, no-reply, do_not_reply, mailer-daemon,
/// notifications… Only whole words of the local part count, so "juno.reply@" or
/// "noreen@" are people.
pub(super) fn is_automated_address(address: &str) -> bool {
    let local = address.rsplit_once('@').map_or(address, |(l, _)| l);
    let local = local
        .split('+')
        .next()
        .unwrap_or(local)
        .to_ascii_lowercase();
    let words: Vec<&str> = local
        .split(['.', '-', '_'])
        .filter(|w| !w.is_empty())
        .collect();
    let joined = words.concat();
    if [
        "mailerdaemon",
        "notifications",
        "notification",
        "postmaster",
    ]
    .contains(&joined.as_str())
    {
        return true;
    }
    let has = |seq: &[&str]| words.windows(seq.len()).any(|w| w == seq);
    words.iter().any(|w| {
        matches!(
            *w,
            "noreply" | "donotreply" | "dontreply" | "mailerdaemon" | "noresponse"
        )
    }) || has(&["no", "reply"])
        || has(&["do", "not", "reply"])
        || has(&["dont", "reply"])
        || has(&["mailer", "daemon"])
}

/// At most 80 characters of a header value, for a reason shown to the user.
fn shorten(value: &str) -> String {
    let one_line: String = value.split_whitespace().collect::<Vec<_>>().join(" ");
    match one_line.char_indices().nth(80) {
        Some((cut, _)) => format!("{}\u{2026}", &one_line[..cut]),
        None => one_line,
    }
}

/// The first From address.
pub(super) fn sender(message: &Message<'_>) -> Option<MailAddress> {
    message.from().and_then(|a| addresses(a).into_iter().next())
}

/// To then Cc, in order, groups flattened, entries without an address left out.
pub(super) fn recipients(message: &Message<'_>) -> Vec<MailAddress> {
    let mut all = Vec::new();
    for list in message.all_to().chain(message.all_cc()) {
        all.extend(addresses(list));
    }
    all
}

fn addresses(list: &Address<'_>) -> Vec<MailAddress> {
    list.iter()
        .filter_map(|a| {
            let address = a.address.as_deref()?.trim();
            if !address.contains('@') {
                return None;
            }
            let name = a.name.as_deref().unwrap_or("").trim();
            // Outlook writes 'Ana Lima'; some write the address again as the name.
            let name = name.trim_matches(|c| c == '\'' || c == '"').trim();
            let name = if name.eq_ignore_ascii_case(address) {
                ""
            } else {
                name
            };
            Some(MailAddress::new(name, address))
        })
        .collect()
}

/// `mid:` + the message's own id, or the made-up one (see the module doc).
pub(super) fn own_ref(message: &Message<'_>, raw_message: &[u8]) -> String {
    match message
        .message_id()
        .map(clean_id)
        .filter(|id| !id.is_empty())
    {
        Some(id) => format!("mid:{id}"),
        None => made_up_ref(message, raw_message),
    }
}

/// The thread's first message: References' first id, else In-Reply-To's, else None.
pub(super) fn thread_root(message: &Message<'_>) -> Option<String> {
    [message.references(), message.in_reply_to()]
        .into_iter()
        .find_map(first_id)
        .map(|id| format!("mid:{id}"))
}

fn first_id(value: &HeaderValue<'_>) -> Option<String> {
    match value {
        HeaderValue::Text(id) => Some(clean_id(id)),
        HeaderValue::TextList(ids) => ids.iter().map(|id| clean_id(id)).find(|id| !id.is_empty()),
        _ => None,
    }
    .filter(|id| !id.is_empty())
}

fn clean_id(id: &str) -> String {
    id.trim()
        .trim_start_matches('<')
        .trim_end_matches('>')
        .trim()
        .to_owned()
}

fn made_up_ref(message: &Message<'_>, raw_message: &[u8]) -> String {
    let mut hash = Fnv::new();
    for name in ["Date", "From", "Subject"] {
        hash.write(raw(message, name).unwrap_or("").as_bytes());
        hash.write(&[0]);
    }
    let body_start = (message.root_part().offset_body as usize).min(raw_message.len());
    let body = &raw_message[body_start..];
    hash.write(&body[..body.len().min(512)]);
    format!("mid:made-up-{:016x}@rapport", hash.0)
}

/// A stable id for bytes that are not a message at all.
pub(super) fn made_up_from_bytes(bytes: &[u8]) -> String {
    let mut hash = Fnv::new();
    hash.write(&bytes[..bytes.len().min(4096)]);
    format!("mid:made-up-{:016x}@rapport", hash.0)
}

/// FNV-1a, 64 bits, over the non-whitespace bytes: the same on every machine and release.
struct Fnv(u64);

impl Fnv {
    fn new() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes.iter().filter(|b| !b.is_ascii_whitespace()) {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// When the message was written, in seconds since the epoch: its Date, else its newest
/// Received date, else the mbox `From ` line's date.
pub(super) fn instant(message: &Message<'_>, envelope: Option<&[u8]>) -> Option<i64> {
    let date = message.date().filter(|d| d.is_valid());
    let received = || {
        message
            .received()
            .and_then(|r| r.date())
            .filter(|d| d.is_valid())
    };
    date.cloned()
        .or_else(received)
        .map(|d| d.to_timestamp())
        .or_else(|| envelope.and_then(envelope_instant))
}

/// The date of an mbox `From ` line: `From ana@example.com Mon Jan 15 09:00:00 2024`
/// (asctime, UTC) or Google's `From 1790…@xxx Sat Oct 03 14:56:07 +0000 2020`.
pub(super) fn envelope_instant(line: &[u8]) -> Option<i64> {
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let text = std::str::from_utf8(line).ok()?;
    let tokens: Vec<&str> = text.split_whitespace().skip(2).collect();
    let month_of = |t: &str| {
        let start = t.get(..3)?;
        MONTHS.iter().position(|m| start.eq_ignore_ascii_case(m))
    };
    let month_at = tokens.iter().position(|t| month_of(t).is_some())?;
    let month = month_of(tokens[month_at])? as u32 + 1;
    let day: u32 = tokens.get(month_at + 1)?.parse().ok()?;
    let rest = &tokens[month_at + 2..];
    let time = rest
        .iter()
        .find_map(|t| NaiveTime::parse_from_str(t, "%H:%M:%S").ok())?;
    let year: i32 = rest
        .iter()
        .find(|t| t.len() == 4 && t.bytes().all(|b| b.is_ascii_digit()))?
        .parse()
        .ok()?;
    let offset = rest
        .iter()
        .find(|t| t.len() == 5 && (t.starts_with('+') || t.starts_with('-')))
        .and_then(|t| {
            let n: i64 = t[1..].parse().ok()?;
            let seconds = (n / 100) * 3600 + (n % 100) * 60;
            Some(if t.starts_with('-') {
                -seconds
            } else {
                seconds
            })
        })
        .unwrap_or(0);
    let local = NaiveDate::from_ymd_opt(year, month, day)?.and_time(time);
    Some(local.and_utc().timestamp() - offset)
}
