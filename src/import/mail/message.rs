//! One message's bytes → one [`IncomingConversation`].

use mail_parser::{Message, MessageParser, MimeHeaders, PartType};

use super::{ReadOptions, body, headers, slim};
use crate::model::incoming::{IncomingConversation, SkipReason};
use crate::model::{Channel, Outcome};

/// The conversation a message makes. `envelope` is its mbox `From ` line, if any; `ordinal`
/// its place in an mbox (for an entry that cannot be read at all).
pub(super) fn conversation(
    raw: &[u8],
    envelope: Option<&[u8]>,
    ordinal: Option<u64>,
    opts: &ReadOptions,
) -> IncomingConversation {
    let raw = slim::without_binary_bodies(raw);
    let Some(message) = MessageParser::default().parse(&raw).filter(is_mail) else {
        return unreadable(&raw, envelope, ordinal, opts, "it is not an e-mail message");
    };
    let mut conversation = from_headers(&message, &raw, envelope, opts);
    if conversation.skip.is_none() {
        conversation.they_said = body::they_said(&message, opts);
        conversation.attachments = attachment_names(&message);
    }
    conversation
}

/// An entry whose body was not read (too large, or cut off by the end of the file): what its
/// headers say, marked unreadable with `why`.
pub(super) fn headers_only(
    head: &[u8],
    envelope: Option<&[u8]>,
    ordinal: Option<u64>,
    opts: &ReadOptions,
    why: &str,
) -> IncomingConversation {
    // Headers cut off by the end of the file still end their last line.
    let mut head = head.to_vec();
    if !head.ends_with(b"\n") {
        head.push(b'\n');
    }
    head.push(b'\n');
    let mut conversation = match MessageParser::default()
        .parse_headers(&head)
        .filter(is_mail)
    {
        Some(message) => from_headers(&message, &head, envelope, opts),
        None => unreadable(&head, envelope, ordinal, opts, why),
    };
    conversation.skip = Some(SkipReason::Unreadable(why.to_owned()));
    conversation
}

/// Everything but the body: ids, people, subject, time, and whether it is bulk mail.
fn from_headers(
    message: &Message<'_>,
    raw: &[u8],
    envelope: Option<&[u8]>,
    opts: &ReadOptions,
) -> IncomingConversation {
    let source_ref = headers::own_ref(message, raw);
    let thread_ref = headers::thread_root(message).unwrap_or_else(|| source_ref.clone());
    let occurred_at =
        headers::instant(message, envelope).and_then(|s| opts.local_time.wall_clock(s));
    let skip = match occurred_at {
        None => Some(SkipReason::Unreadable("it has no date".to_owned())),
        Some(_) => headers::bulk_reason(message).map(SkipReason::Bulk),
    };
    IncomingConversation {
        source_ref,
        thread_ref: Some(thread_ref),
        occurred_at: occurred_at.unwrap_or_default(),
        channel: Channel::Email,
        outcome: Outcome::Held,
        duration_minutes: None,
        from: headers::sender(message),
        to: headers::recipients(message),
        summary: subject(message),
        they_said: String::new(),
        attachments: Vec::new(),
        skip,
    }
}

/// Whether what was parsed has any header a message has.
fn is_mail(message: &Message<'_>) -> bool {
    message.from().is_some()
        || message.message_id().is_some()
        || message.date().is_some()
        || message.subject().is_some()
}

fn subject(message: &Message<'_>) -> String {
    let subject = message
        .subject()
        .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
        .unwrap_or_default();
    if subject.is_empty() {
        "(no subject)".to_owned()
    } else {
        subject
    }
}

/// An entry that is not a message at all: a stable reference, the envelope's time if any.
fn unreadable(
    raw: &[u8],
    envelope: Option<&[u8]>,
    ordinal: Option<u64>,
    opts: &ReadOptions,
    why: &str,
) -> IncomingConversation {
    let source_ref = match ordinal {
        Some(n) => format!("mbox:#{n}"),
        None => headers::made_up_from_bytes(raw),
    };
    let occurred_at = envelope
        .and_then(headers::envelope_instant)
        .and_then(|s| opts.local_time.wall_clock(s))
        .unwrap_or_default();
    IncomingConversation {
        source_ref,
        thread_ref: None,
        occurred_at,
        channel: Channel::Email,
        outcome: Outcome::Held,
        duration_minutes: None,
        from: None,
        to: Vec::new(),
        summary: String::new(),
        they_said: String::new(),
        attachments: Vec::new(),
        skip: Some(SkipReason::Unreadable(why.to_owned())),
    }
}

/// The file names of the attachments; pictures shown inside the HTML are not attachments.
fn attachment_names(message: &Message<'_>) -> Vec<String> {
    let mut names = Vec::new();
    for part in message
        .attachments
        .iter()
        .filter_map(|&id| message.parts.get(id as usize))
    {
        let is_attachment = part
            .content_disposition()
            .is_some_and(|d| d.is_attachment());
        let in_the_html = !is_attachment
            && part
                .content_id()
                .is_some_and(|cid| shown_in_html(message, cid));
        let name = match (part.attachment_name(), &part.body) {
            (Some(name), _) if !in_the_html => name.trim().to_owned(),
            (None, PartType::Message(inner)) => {
                format!(
                    "{}.eml",
                    inner.subject().unwrap_or("Forwarded message").trim()
                )
            }
            _ => continue,
        };
        if !name.is_empty() {
            names.push(name);
        }
    }
    names
}

/// Whether an HTML body shows the part with this Content-ID (`<img src="cid:…">`).
fn shown_in_html(message: &Message<'_>, content_id: &str) -> bool {
    let reference = format!("cid:{content_id}");
    message.html_body.iter().any(|&id| {
        matches!(
            message.parts.get(id as usize).map(|p| &p.body),
            Some(PartType::Html(html)) if html.contains(&reference)
        )
    })
}
