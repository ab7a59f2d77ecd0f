//! Bytes to text: byte-order marks (UTF-8, UTF-16 LE/BE), strict UTF-8, and otherwise the legacy
//! encoding chardetng guesses (Windows-1252 for an Outlook export, …), decoded by encoding_rs.
//! A file that is UTF-8 except for some lines is decoded line by line, so rows pasted from a
//! legacy export (or a last character cut off by a broken download) do not turn the whole file
//! into mojibake.

/// Text decoded from a file, with what was found.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded {
    pub text: String,
    /// The encoding's name as people know it ("UTF-8", "UTF-16LE", "windows-1252", …).
    pub encoding: &'static str,
    pub had_bom: bool,
    /// Sentences worth showing about the decoding (lines read in another encoding, …).
    pub notes: Vec<String>,
}

/// Decodes `bytes`, or says why it cannot be text.
pub fn decode(bytes: &[u8]) -> Result<Decoded, String> {
    if bytes.is_empty() {
        return Err("The file is empty.".to_owned());
    }
    if let Some((encoding, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
        if had_errors {
            return Err(format!(
                "The file says it is {} but is not valid {}.",
                encoding.name(),
                encoding.name()
            ));
        }
        return Ok(Decoded {
            text: text.into_owned(),
            encoding: encoding.name(),
            had_bom: true,
            notes: Vec::new(),
        });
    }
    // Valid UTF-8 with NUL bytes may still be UTF-16 without a BOM (ASCII-only text): that is
    // checked below before calling the file binary.
    if let Ok(text) = std::str::from_utf8(bytes)
        && !text.contains('\0')
    {
        return Ok(Decoded {
            text: text.to_owned(),
            encoding: "UTF-8",
            had_bom: false,
            notes: Vec::new(),
        });
    }
    // UTF-16 without a BOM: every other byte zero in ASCII-heavy text.
    let zeros_odd = bytes.iter().skip(1).step_by(2).filter(|b| **b == 0).count();
    let zeros_even = bytes.iter().step_by(2).filter(|b| **b == 0).count();
    let half = bytes.len() / 2;
    if half > 8 && zeros_odd * 10 > half * 8 {
        let (text, _, _) = encoding_rs::UTF_16LE.decode(bytes);
        return Ok(Decoded {
            text: text.into_owned(),
            encoding: "UTF-16LE",
            had_bom: false,
            notes: Vec::new(),
        });
    }
    if half > 8 && zeros_even * 10 > half * 8 {
        let (text, _, _) = encoding_rs::UTF_16BE.decode(bytes);
        return Ok(Decoded {
            text: text.into_owned(),
            encoding: "UTF-16BE",
            had_bom: false,
            notes: Vec::new(),
        });
    }
    if bytes.iter().filter(|b| **b == 0).count() > 0 {
        return Err(
            "The file looks binary (it contains NUL bytes), not like a contact list.".to_owned(),
        );
    }
    if let Some(decoded) = decode_mostly_utf8(bytes) {
        return Ok(decoded);
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let encoding = detector.guess(None, chardetng::Utf8Detection::Deny);
    let (text, _, _) = encoding.decode(bytes);
    Ok(Decoded {
        text: text.into_owned(),
        encoding: encoding.name(),
        had_bom: false,
        notes: Vec::new(),
    })
}

/// A file that is not valid UTF-8 as a whole but whose non-ASCII lines are partly UTF-8 (rows
/// from two exports pasted together), or that is UTF-8 up to a character cut off at the very
/// end: UTF-8 lines stay UTF-8 and only the other lines are read in the legacy encoding that
/// chardetng guesses from them. `None` when no line is non-ASCII UTF-8 (a plain legacy file).
fn decode_mostly_utf8(bytes: &[u8]) -> Option<Decoded> {
    let cut_at_end = std::str::from_utf8(bytes).is_err_and(|e| e.error_len().is_none());
    let lines: Vec<&[u8]> = bytes.split_inclusive(|b| *b == b'\n').collect();
    let has_utf8_line = lines
        .iter()
        .any(|line| !line.is_ascii() && std::str::from_utf8(line).is_ok());
    if !has_utf8_line && !cut_at_end {
        return None;
    }
    let last = lines.len().saturating_sub(1);
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    for (index, line) in lines.iter().enumerate() {
        if std::str::from_utf8(line).is_err() && !(index == last && cut_at_end) {
            detector.feed(line, false);
        }
    }
    detector.feed(&[], true);
    let legacy = detector.guess(None, chardetng::Utf8Detection::Deny);
    let mut text = String::with_capacity(bytes.len());
    let mut legacy_lines = 0;
    for (index, line) in lines.iter().enumerate() {
        match std::str::from_utf8(line) {
            Ok(utf8) => text.push_str(utf8),
            Err(e) if index == last && cut_at_end => {
                text.push_str(&String::from_utf8_lossy(&line[..e.valid_up_to()]));
                text.push('\u{FFFD}');
            }
            Err(_) => {
                legacy_lines += 1;
                text.push_str(&legacy.decode_without_bom_handling(line).0);
            }
        }
    }
    let mut notes = Vec::new();
    if legacy_lines > 0 {
        notes.push(format!(
            "{legacy_lines} line(s) were not UTF-8 like the rest of the file; they were read as {}.",
            legacy.name()
        ));
    }
    if cut_at_end {
        notes.push(
            "The file ends in the middle of a character; it may have been cut short.".to_owned(),
        );
    }
    Some(Decoded {
        text,
        encoding: "UTF-8",
        had_bom: false,
        notes,
    })
}

/// Whether the bytes begin like a vCard (after a UTF-8 byte-order mark and blank lines).
pub fn looks_like_vcard(bytes: &[u8]) -> bool {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let start = bytes.trim_ascii_start();
    start.len() >= 11 && start[..11].eq_ignore_ascii_case(b"BEGIN:VCARD")
}

/// The charset a vCard property line declares (`N;CHARSET=SHIFT_JIS:…`), when encoding_rs
/// knows it and it keeps ASCII as ASCII (the property names and separators must stay readable).
fn declared_charset(line: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let head = &line[..line.iter().position(|b| *b == b':')?];
    head.split(|b| *b == b';').find_map(|param| {
        let (name, value) = param.split_at(param.iter().position(|b| *b == b'=')?);
        name.eq_ignore_ascii_case(b"CHARSET")
            .then(|| encoding_rs::Encoding::for_label(value[1..].trim_ascii()))
            .flatten()
            .filter(|e| e.is_ascii_compatible())
    })
}

/// A vCard file: each property line that declares its charset (vCard 2.1 and 3.0 allow
/// `CHARSET=SHIFT_JIS`, `CHARSET=KOI8-R`, … on any property) is read in that charset, and its
/// folded continuation lines with it; the other lines as UTF-8 when they are, else in the
/// legacy encoding chardetng guesses from them. One guess for the whole file read a card in
/// Shift-JIS next to one in KOI8-R as mojibake in one of them.
pub fn decode_vcard(bytes: &[u8]) -> Result<Decoded, String> {
    let declares = bytes
        .windows(8)
        .any(|w| w.eq_ignore_ascii_case(b"CHARSET="));
    if !declares
        || std::str::from_utf8(bytes).is_ok()
        || encoding_rs::Encoding::for_bom(bytes).is_some()
    {
        return decode(bytes);
    }
    let lines: Vec<&[u8]> = bytes.split_inclusive(|b| *b == b'\n').collect();
    let mut charsets = Vec::with_capacity(lines.len());
    let mut current = None;
    for line in &lines {
        // A line starting with a space or a tab continues the property above it.
        if !line.starts_with(b" ") && !line.starts_with(b"\t") {
            current = declared_charset(line);
        }
        charsets.push(current);
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    for (line, charset) in lines.iter().zip(&charsets) {
        if charset.is_none() && std::str::from_utf8(line).is_err() {
            detector.feed(line, false);
        }
    }
    detector.feed(&[], true);
    let guessed = detector.guess(None, chardetng::Utf8Detection::Deny);
    let mut text = String::with_capacity(bytes.len());
    let mut used: Vec<&'static str> = Vec::new();
    for (line, charset) in lines.iter().zip(&charsets) {
        match (charset, std::str::from_utf8(line)) {
            (None, Ok(utf8)) => text.push_str(utf8),
            (Some(encoding), _) => {
                if !line.is_ascii() && !used.contains(&encoding.name()) {
                    used.push(encoding.name());
                }
                text.push_str(&encoding.decode_without_bom_handling(line).0);
            }
            (None, Err(_)) => text.push_str(&guessed.decode_without_bom_handling(line).0),
        }
    }
    let mut notes = Vec::new();
    if used.len() > 1 {
        notes.push(format!(
            "The cards name several charsets ({}); each property was read in its own.",
            used.join(", ")
        ));
    }
    Ok(Decoded {
        text,
        encoding: used.first().copied().unwrap_or(guessed.name()),
        had_bom: false,
        notes,
    })
}

#[cfg(test)]
mod tests {
    use super::decode;

    #[test]
    fn boms_utf8_and_legacy_encodings() {
        let utf8_bom = b"\xEF\xBB\xBFName\nJos\xC3\xA9\n";
        let d = decode(utf8_bom).unwrap();
        assert_eq!(
            (d.text.as_str(), d.encoding, d.had_bom),
            ("Name\nJosé\n", "UTF-8", true)
        );

        let mut utf16 = vec![0xFF, 0xFE];
        for unit in "Name\tE-mail\nJosé\tj@x.org\n".encode_utf16() {
            utf16.extend_from_slice(&unit.to_le_bytes());
        }
        let d = decode(&utf16).unwrap();
        assert_eq!((d.encoding, d.text.contains("José")), ("UTF-16LE", true));

        // Windows-1252: é is 0xE9, and the guess must make it é, not U+FFFD.
        let cp1252 = b"First Name,Last Name,Company\nJos\xE9,M\xFCller,Caf\xE9 Cr\xE8me\nFran\xE7oise,Gar\xE7on,\xC9tude\n";
        let d = decode(cp1252).unwrap();
        assert!(
            d.text.contains("José,Müller,Café Crème"),
            "{} {}",
            d.encoding,
            d.text
        );
        assert_eq!(d.encoding, "windows-1252");

        assert!(decode(b"").unwrap_err().contains("empty"));
        assert!(
            decode(b"\x00\x01\x02\x89PNG\x00\x00\xff\xfe\xfd")
                .unwrap_err()
                .contains("binary")
        );
    }

    #[test]
    fn mixed_utf8_and_legacy_lines_and_a_cut_off_end() {
        // UTF-8 rows followed by rows pasted from a Windows-1252 export.
        let mixed = b"Name,City\nJos\xC3\xA9 M\xC3\xBCller,K\xC3\xB6ln\nFran\xE7oise Gar\xE7on,Besan\xE7on\n";
        let d = decode(mixed).unwrap();
        assert_eq!(
            d.text,
            "Name,City\nJosé Müller,Köln\nFrançoise Garçon,Besançon\n"
        );
        assert_eq!(d.encoding, "UTF-8");
        assert!(
            d.notes[0].contains("1 line(s) were not UTF-8"),
            "{:?}",
            d.notes
        );

        // A download cut in the middle of "ç": the rest stays UTF-8.
        let cut = b"Name\nFran\xC3\xA7ois\nFran\xC3";
        let d = decode(cut).unwrap();
        assert_eq!(d.text, "Name\nFrançois\nFran\u{FFFD}");
        assert!(d.notes[0].contains("cut short"), "{:?}", d.notes);

        // UTF-16 without a BOM and only ASCII is valid UTF-8 with NULs, but not binary.
        let utf16: Vec<u8> = "Name,E-mail\nAda,ada@x.org\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        let d = decode(&utf16).unwrap();
        assert_eq!(
            (d.encoding, d.text.as_str()),
            ("UTF-16LE", "Name,E-mail\nAda,ada@x.org\n")
        );
    }
}
