//! Bytes to text: byte-order marks (UTF-8, UTF-16 LE/BE), strict UTF-8, and otherwise the legacy
//! encoding chardetng guesses (Windows-1252 for an Outlook export, …), decoded by encoding_rs.

/// Text decoded from a file, with what was found.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded {
    pub text: String,
    /// The encoding's name as people know it ("UTF-8", "UTF-16LE", "windows-1252", …).
    pub encoding: &'static str,
    pub had_bom: bool,
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
        });
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        if text.contains('\0') {
            return Err(
                "The file looks binary (it contains NUL bytes), not like a contact list."
                    .to_owned(),
            );
        }
        return Ok(Decoded {
            text: text.to_owned(),
            encoding: "UTF-8",
            had_bom: false,
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
        });
    }
    if half > 8 && zeros_even * 10 > half * 8 {
        let (text, _, _) = encoding_rs::UTF_16BE.decode(bytes);
        return Ok(Decoded {
            text: text.into_owned(),
            encoding: "UTF-16BE",
            had_bom: false,
        });
    }
    if bytes.iter().filter(|b| **b == 0).count() > 0 {
        return Err(
            "The file looks binary (it contains NUL bytes), not like a contact list.".to_owned(),
        );
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let encoding = detector.guess(None, chardetng::Utf8Detection::Deny);
    let (text, _, _) = encoding.decode(bytes);
    Ok(Decoded {
        text: text.into_owned(),
        encoding: encoding.name(),
        had_bom: false,
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
}
