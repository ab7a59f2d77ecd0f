//! vCard 2.1 text in quoted-printable under a legacy charset (`N;CHARSET=SHIFT_JIS;
//! ENCODING=QUOTED-PRINTABLE:=8E=52=93=63;…`, what Japanese phones and old Outlook write).
//! calcard hands the decoded bytes to a charset table that knows UTF-8 and the ISO-8859 and
//! Windows code pages but not Shift-JIS, EUC-KR, Big5, GBK or KOI8-R, and keeps the bytes as
//! binary data when it does not know one. Such a property is decoded here with encoding_rs,
//! before calcard reads the card, and written back as plain UTF-8 text.

/// The charset a property's parameters name when it is quoted-printable and not UTF-8.
pub fn legacy_qp_charset(params: &[String]) -> Option<&'static encoding_rs::Encoding> {
    let quoted = params.iter().any(|p| {
        p.eq_ignore_ascii_case("QUOTED-PRINTABLE")
            || p.eq_ignore_ascii_case("ENCODING=QUOTED-PRINTABLE")
    });
    let charset = params.iter().find_map(|p| {
        let (name, value) = p.split_once('=')?;
        name.eq_ignore_ascii_case("CHARSET")
            .then(|| encoding_rs::Encoding::for_label(value.trim().as_bytes()))
            .flatten()
    })?;
    (quoted && charset != encoding_rs::UTF_8).then_some(charset)
}

/// The parameters without the two that no longer apply once the value is UTF-8 text.
pub fn without_encoding(params: &[String]) -> Vec<String> {
    params
        .iter()
        .filter(|p| {
            let name = p.split('=').next().unwrap_or_default();
            !name.eq_ignore_ascii_case("CHARSET")
                && !name.eq_ignore_ascii_case("ENCODING")
                && !p.eq_ignore_ascii_case("QUOTED-PRINTABLE")
        })
        .cloned()
        .collect()
}

/// Decodes a quoted-printable value (soft line breaks `=` + newline already joined or not)
/// in `charset`, as vCard text: line breaks become `\n`, which calcard reads back as breaks.
pub fn decode_qp(value: &str, charset: &'static encoding_rs::Encoding) -> String {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'=' if bytes[i + 1..].starts_with(b"\r\n") => i += 3,
            b'=' if bytes[i + 1..].starts_with(b"\n") => i += 2,
            b'=' => match bytes
                .get(i + 1..i + 3)
                .and_then(|hex| std::str::from_utf8(hex).ok())
                .and_then(|hex| u8::from_str_radix(hex, 16).ok())
            {
                Some(byte) => {
                    out.push(byte);
                    i += 3;
                }
                None => {
                    out.push(b'=');
                    i += 1;
                }
            },
            b'\r' | b'\n' => i += 1,
            byte => {
                out.push(byte);
                i += 1;
            }
        }
    }
    let text = charset.decode_without_bom_handling(&out).0;
    text.replace("\r\n", "\\n").replace('\n', "\\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shift_jis_quoted_printable_with_a_soft_break() {
        let params: Vec<String> = ["N", "CHARSET=SHIFT_JIS", "QUOTED-PRINTABLE"]
            .map(str::to_owned)
            .to_vec();
        let charset = legacy_qp_charset(&params).unwrap();
        assert_eq!(
            decode_qp("=97=E9=96=D8;=91=BE=\r\n=98=59;;;", charset),
            "鈴木;太郎;;;"
        );
        assert_eq!(without_encoding(&params), ["N"]);
        let utf8: Vec<String> = ["N", "CHARSET=UTF-8", "ENCODING=QUOTED-PRINTABLE"]
            .map(str::to_owned)
            .to_vec();
        assert!(
            legacy_qp_charset(&utf8).is_none(),
            "calcard reads UTF-8 itself"
        );
    }
}
