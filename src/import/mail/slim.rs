//! A message without the base64 bodies of its pictures, documents and other binary parts:
//! only their headers (names, types, Content-IDs) are needed, and decoding them was most of
//! the time spent on a mailbox (and, for a big attachment, most of the memory).

use std::borrow::Cow;

/// Messages smaller than this are parsed as they are.
const WORTH_IT: usize = 16 * 1024;

/// `raw` with the body of every base64 part that is not text or a message left empty. A part
/// starts after a line beginning with `--` (a MIME boundary) and its header block; its body
/// ends at the next line beginning with `--` (base64 has no `-`).
pub(super) fn without_binary_bodies(raw: &[u8]) -> Cow<'_, [u8]> {
    if raw.len() < WORTH_IT {
        return Cow::Borrowed(raw);
    }
    let mut out: Vec<u8> = Vec::new();
    let mut copied_to = 0;
    let mut at = 0;
    while let Some(end) = line_end(raw, at) {
        let line = &raw[at..end];
        at = end;
        if !line.starts_with(b"--") {
            continue;
        }
        let Some(body_start) = header_block_end(raw, at) else {
            continue;
        };
        if !is_binary_base64(&raw[at..body_start]) {
            at = body_start;
            continue;
        }
        let body_end = next_boundary(raw, body_start);
        if out.is_empty() {
            out.reserve(raw.len() / 2);
        }
        out.extend_from_slice(&raw[copied_to..body_start]);
        copied_to = body_end;
        at = body_end;
    }
    if copied_to == 0 {
        return Cow::Borrowed(raw);
    }
    out.extend_from_slice(&raw[copied_to..]);
    Cow::Owned(out)
}

/// Just after the `\n` of the line starting at `at`, or None at the end.
fn line_end(raw: &[u8], at: usize) -> Option<usize> {
    if at >= raw.len() {
        return None;
    }
    Some(
        raw[at..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(raw.len(), |n| at + n + 1),
    )
}

/// Just after the empty line that ends the header block starting at `at`.
fn header_block_end(raw: &[u8], mut at: usize) -> Option<usize> {
    while let Some(end) = line_end(raw, at) {
        if matches!(&raw[at..end], b"\n" | b"\r\n") {
            return Some(end);
        }
        if end - at > 4096 || end - at > 1 && raw[at..].starts_with(b"--") {
            return None; // not a header block after all
        }
        at = end;
    }
    None
}

/// The start of the next line beginning with `--`, or the end.
fn next_boundary(raw: &[u8], mut at: usize) -> usize {
    while let Some(end) = line_end(raw, at) {
        if raw[at..].starts_with(b"--") {
            return at;
        }
        at = end;
    }
    raw.len()
}

/// Whether a part's headers say base64 and a type that is neither text nor a message.
fn is_binary_base64(headers: &[u8]) -> bool {
    let text = String::from_utf8_lossy(headers).to_ascii_lowercase();
    let value = |name: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(name))
            .map(|v| v.trim_start_matches(':').trim().to_owned())
    };
    let base64 = value("content-transfer-encoding").is_some_and(|v| v.starts_with("base64"));
    let kind = value("content-type").unwrap_or_default();
    base64
        && !kind.is_empty()
        && !kind.starts_with("text/")
        && !kind.starts_with("message/")
        && !kind.starts_with("multipart/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binary_bodies_go_text_stays() {
        let pad = "x".repeat(WORTH_IT);
        let raw = format!(
            "Subject: s\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: \
             text/plain\n\n{pad}\n--b\nContent-Type: image/png;\n name=a.png\n\
             Content-Transfer-Encoding: base64\n\niVBORw0KGgo=\nAAAA\n--b\nContent-Type: \
             text/csv\nContent-Transfer-Encoding: base64\n\nYSxiCg==\n--b--\n"
        );
        let slim = without_binary_bodies(raw.as_bytes());
        let slim = String::from_utf8(slim.into_owned()).unwrap();
        assert!(!slim.contains("iVBORw0KGgo"));
        assert!(slim.contains("name=a.png\nContent-Transfer-Encoding: base64\n\n--b\n"));
        assert!(slim.contains("YSxiCg=="), "text attachments stay");
        assert!(slim.contains(&pad));
        let small = b"Subject: s\n\nhello\n";
        assert!(matches!(without_binary_bodies(small), Cow::Borrowed(_)));
    }
}
