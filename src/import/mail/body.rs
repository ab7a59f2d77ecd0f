//! "What they said": the body's own words, without what it quotes or signs with.

use mail_parser::{Message, MessagePart, MimeHeaders, PartType};

use super::{ReadOptions, html};

/// The first lines of the message's own words.
pub(super) fn they_said(message: &Message<'_>, opts: &ReadOptions) -> String {
    let lines = opts.max_said_lines;
    let said = first_lines(
        &cleaned(&body_text(message, &message.text_body), lines),
        opts,
    );
    if said.is_empty() && message.html_body != message.text_body {
        // A text/plain part that is only a stub ("view this in a browser"): try the HTML.
        return first_lines(
            &cleaned(&body_text(message, &message.html_body), lines),
            opts,
        );
    }
    said
}

/// The text of the body parts listed (at most four of them), as plain text.
fn body_text(message: &Message<'_>, parts: &[u32]) -> String {
    let mut text = String::new();
    for part in parts
        .iter()
        .take(4)
        .filter_map(|&id| message.parts.get(id as usize))
    {
        let piece = match &part.body {
            PartType::Text(plain) => match flowed(part) {
                Some(delsp) => unflow(plain, delsp),
                None => plain.to_string(),
            },
            PartType::Html(markup) => html::html_to_text(markup),
            _ => continue,
        };
        if !text.is_empty() {
            text.push('\n');
        }
        text.push_str(&piece);
    }
    text
}

/// Some(delsp) when the part is `format=flowed`.
fn flowed(part: &MessagePart<'_>) -> Option<bool> {
    let content_type = part.content_type()?;
    let format = content_type.attribute("format")?;
    format.eq_ignore_ascii_case("flowed").then(|| {
        content_type
            .attribute("delsp")
            .is_some_and(|d| d.eq_ignore_ascii_case("yes"))
    })
}

/// RFC 3676: lines ending in a space go on in the next line (of the same quote depth);
/// space-stuffing is undone; with `delsp=yes` the space at the break is not part of the text.
pub(super) fn unflow(text: &str, delsp: bool) -> String {
    let mut out = String::with_capacity(text.len());
    let mut paragraph = String::new();
    let mut depth_of_paragraph: Option<usize> = None;
    let flush = |out: &mut String, paragraph: &mut String, depth: usize| {
        for _ in 0..depth {
            out.push('>');
        }
        if depth > 0 {
            out.push(' ');
        }
        out.push_str(paragraph);
        out.push('\n');
        paragraph.clear();
    };
    for line in text.split('\n') {
        let line = line.strip_suffix('\r').unwrap_or(line);
        let depth = line.bytes().take_while(|&b| b == b'>').count();
        let content = &line[depth..];
        let content = content.strip_prefix(' ').unwrap_or(content);
        if let Some(open) = depth_of_paragraph
            && open != depth
        {
            flush(&mut out, &mut paragraph, open);
        }
        let soft = content.ends_with(' ') && content != "-- ";
        let content = if soft && delsp {
            &content[..content.len() - 1]
        } else {
            content
        };
        paragraph.push_str(content);
        depth_of_paragraph = Some(depth);
        if !soft {
            flush(&mut out, &mut paragraph, depth);
            depth_of_paragraph = None;
        }
    }
    if let Some(depth) = depth_of_paragraph {
        flush(&mut out, &mut paragraph, depth);
    }
    out
}

/// The lines the writer wrote (the first `enough` non-empty ones): up to the first
/// signature, quote header or forwarded message; `>` lines left out; image placeholders left
/// out.
pub(super) fn cleaned(text: &str, enough: usize) -> Vec<String> {
    let lines: Vec<&str> = text.lines().map(|l| l.trim_end_matches('\r')).collect();
    let mut kept: Vec<String> = Vec::new();
    let mut non_empty = 0;
    for (i, line) in lines.iter().enumerate() {
        if non_empty == enough {
            break;
        }
        let line = line.trim_end();
        if line == "--" {
            break;
        }
        let bare = line.trim_start().trim_start_matches('\u{feff}');
        if is_end_of_own_words(bare, &lines[i + 1..]) {
            break;
        }
        if bare.starts_with('>') || is_placeholder(bare) {
            continue;
        }
        non_empty += usize::from(!bare.is_empty());
        kept.push(bare.replace('\u{a0}', " "));
    }
    kept
}

/// Whether `line` starts what is not the writer's words: a phone's signature, an
/// "-----Original Message-----" line, an attribution ("On … wrote:"), an Outlook header block.
fn is_end_of_own_words(line: &str, next: &[&str]) -> bool {
    let lower = line.to_lowercase();
    is_phone_signature(&lower)
        || is_separator(&lower)
        || is_attribution(&lower)
        || (starts_attribution(&lower)
            && next
                .first()
                .is_some_and(|n| is_attribution(&format!("{lower} {}", n.trim().to_lowercase()))))
        || is_header_block(&lower, next)
}

fn is_phone_signature(lower: &str) -> bool {
    const STARTS: [&str; 20] = [
        "sent from my ",
        "sent from outlook",
        "sent from mail for windows",
        "sent from yahoo mail",
        "sent from samsung",
        "sent via ",
        "get outlook for ",
        "von meinem iphone gesendet",
        "von meinem ipad gesendet",
        "von meinem smartphone gesendet",
        "gesendet von meinem ",
        "gesendet von outlook",
        "envoy\u{e9} de mon ",
        "envoy\u{e9} depuis mon ",
        "obtenir outlook pour ",
        "enviado desde mi ",
        "enviado do meu ",
        "inviato da ",
        "verstuurd vanaf mijn ",
        "skickat fr\u{e5}n min ",
    ];
    lower.len() < 100 && STARTS.iter().any(|s| lower.starts_with(s))
}

fn is_separator(lower: &str) -> bool {
    let dashes = lower.starts_with("-----") && lower.trim_end_matches('-').len() < lower.len();
    let words = lower.trim_matches(|c: char| c == '-' || c.is_whitespace());
    (dashes && !words.is_empty() && words.chars().any(char::is_alphabetic))
        || lower.starts_with("begin forwarded message")
        || lower.starts_with("anfang der weitergeleiteten")
        || lower.starts_with("d\u{e9}but du message r\u{e9}exp\u{e9}di\u{e9}")
        || (lower.len() >= 10 && lower.chars().all(|c| c == '_'))
}

/// Words that end an attribution line, and what such a line starts with when the words
/// come before the name (German "Am … schrieb Ana:").
const WROTE_AT_END: [&str; 12] = [
    "wrote",
    "a \u{e9}crit",
    "escribi\u{f3}",
    "ha scritto",
    "escreveu",
    "kirjoitti",
    "napisa\u{142}",
    "napisa\u{142}(a)",
    "\u{43d}\u{430}\u{43f}\u{438}\u{441}\u{430}\u{43b}",
    "schreef",
    "schrieb",
    "skrev",
];
const WROTE_INSIDE: [(&str, &str); 5] = [
    ("am ", " schrieb "),
    ("op ", " schreef "),
    ("den ", " skrev "),
    ("p\u{e5} ", " skrev "),
    ("le ", " a \u{e9}crit"),
];

fn is_attribution(lower: &str) -> bool {
    let Some(body) = lower.strip_suffix(':') else {
        return false;
    };
    let body = body.trim_end();
    lower.len() < 400
        && (WROTE_AT_END.iter().any(|w| body.ends_with(w))
            || WROTE_INSIDE
                .iter()
                .any(|(start, word)| lower.starts_with(start) && lower.contains(word)))
}

/// The first line of an attribution a mail program wrapped onto two lines.
fn starts_attribution(lower: &str) -> bool {
    const STARTS: [&str; 10] = [
        "on ", "am ", "le ", "el ", "il ", "op ", "em ", "den ", "p\u{e5} ", "w dniu ",
    ];
    STARTS.iter().any(|s| lower.starts_with(s)) && lower.chars().any(|c| c.is_ascii_digit())
}

/// "From: Ana … / Sent: …" (Outlook), "Von: … / Gesendet: …", "De : … / Envoyé : …".
fn is_header_block(lower: &str, next: &[&str]) -> bool {
    const FROM: [&str; 11] = [
        "from:",
        "von:",
        "de:",
        "de :",
        "da:",
        "van:",
        "fr\u{e5}n:",
        "fra:",
        "od:",
        "\u{43e}\u{442}:",
        "l\u{e4}hett\u{e4}j\u{e4}:",
    ];
    const SENT: [&str; 16] = [
        "sent:",
        "date:",
        "gesendet:",
        "datum:",
        "envoy\u{e9}:",
        "envoy\u{e9} :",
        "date :",
        "enviado:",
        "fecha:",
        "inviato:",
        "data:",
        "verzonden:",
        "skickat:",
        "sendt:",
        "wys\u{142}ano:",
        "\u{43e}\u{442}\u{43f}\u{440}\u{430}\u{432}\u{43b}\u{435}\u{43d}\u{43e}:",
    ];
    let label = |line: &str| line.trim_start_matches(['*', ' ']).to_lowercase();
    let first = label(lower);
    FROM.iter().any(|f| first.starts_with(f))
        && next
            .iter()
            .take(4)
            .any(|n| SENT.iter().any(|s| label(n).starts_with(s)))
}

/// `[cid:image001.png@01D…]`, `[image: logo.png]`: where a picture was.
fn is_placeholder(line: &str) -> bool {
    line.starts_with('[')
        && line.ends_with(']')
        && (line.starts_with("[cid:") || line.to_lowercase().starts_with("[image"))
}

/// At most `max_said_lines` non-empty lines and `max_said_chars` characters, paragraphs kept
/// apart by one empty line.
pub(super) fn first_lines(lines: &[String], opts: &ReadOptions) -> String {
    let mut out = String::new();
    let mut count = 0;
    let mut blank_before = false;
    for line in lines {
        if line.trim().is_empty() {
            blank_before = !out.is_empty();
            continue;
        }
        if count == opts.max_said_lines {
            break;
        }
        if !out.is_empty() {
            out.push_str(if blank_before { "\n\n" } else { "\n" });
        }
        out.push_str(line);
        blank_before = false;
        count += 1;
        if out.chars().count() > opts.max_said_chars {
            break;
        }
    }
    cut(out, opts.max_said_chars)
}

/// `text` of at most `max` characters, cut after a whole word with "…".
fn cut(text: String, max: usize) -> String {
    let Some((at, _)) = text.char_indices().nth(max) else {
        return text;
    };
    let head = &text[..at];
    let word_end = head
        .rfind(char::is_whitespace)
        .filter(|&w| w > at / 2)
        .unwrap_or(at);
    format!("{}\u{2026}", head[..word_end].trim_end())
}
