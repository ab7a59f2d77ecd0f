//! vCard 2.1 / 3.0 / 4.0 files with one or many cards, parsed with calcard (it reads the real
//! Apple, Gmail, Outlook and Android samples), then turned into contact drafts. Two calcard quirks
//! are worked around before parsing: birthdays are read as text (its date parser drops the day of
//! `--12-01`), and vCard 2.1's bare `;QUOTED-PRINTABLE` is spelled out. A Rapport export's own
//! `X-RAPPORT-*` properties (decision maker, stage, family, interests, how we met, cadence) are
//! read back, so a Rapport vCard round trip keeps every field.

#![allow(dead_code)] // some parsed fields (version, po box, URLs) are read only by tests and future merges

use super::vcard_legacy::{decode_qp, legacy_qp_charset, without_encoding};
use super::{ImportedContact, RowProblem, parse_birthday, records::normalize_phone};
use crate::model::{Address, ContactDraft, Email, Phone};

use calcard::common::IanaString; // trait: needed for VCardType::as_str()
use calcard::vcard::{VCard, VCardEntry, VCardParameterName as PN, VCardParameterValue as PV};
use calcard::vcard::{VCardProperty as P, VCardValue as V};
use calcard::{Entry, Parser};

mod records;
pub use records::records_from_vcard;

#[derive(Debug, Default, Clone, PartialEq)]
struct Typed {
    pub value: String,
    pub types: Vec<String>,
    pub label: Option<String>,
}
#[derive(Debug, Default, Clone, PartialEq)]
struct VAddress {
    pub po_box: String,
    pub extended: String,
    pub street: String,
    pub locality: String,
    pub region: String,
    pub postal_code: String,
    pub country: String,
    pub types: Vec<String>,
    pub label: Option<String>,
}
#[derive(Debug, Default, Clone, PartialEq)]
struct Card {
    pub version: Option<String>,
    pub full_name: Option<String>,
    pub family: String,
    pub given: String,
    pub additional: String,
    pub prefixes: String,
    pub suffixes: String,
    pub nicknames: Vec<String>,
    pub org: Option<String>,
    /// The organizational units after the name in `ORG:Acme;Sales;Export`, joined ("Sales, Export").
    pub department: Option<String>,
    /// vCard 4.0 `KIND:org`: the card is an organization, not a person.
    pub is_org: bool,
    pub title: Option<String>,
    pub role: Option<String>,
    pub emails: Vec<Typed>,
    pub tels: Vec<Typed>,
    pub addresses: Vec<VAddress>,
    pub bday: Option<String>, // "YYYY-MM-DD" | "--MM-DD" (no year) | raw text if unrecognised
    pub notes: Vec<String>,
    pub categories: Vec<String>,
    pub urls: Vec<String>,
    pub has_photo: bool,
    /// The first `PHOTO` that carried its image inline (a URL to fetch is not followed).
    pub photo: Option<Vec<u8>>,
    /// The card's `UID`, kept on the contact so a later import of the same card merges into it.
    pub uid: Option<String>,
    /// Rapport's own `X-RAPPORT-*` properties (from a Rapport export), by name without the
    /// prefix: `DECISION-MAKER`, `STAGE`, `FAMILY`, `INTERESTS`, `HOW-WE-MET`, `CADENCE-DAYS`.
    pub rapport: Vec<(String, String)>,
    /// People named on the card and how they relate ("Spouse", "Child" …): vCard 4.0
    /// `RELATED`, Apple's `X-ABRELATEDNAMES` with its label, and the `X-SPOUSE` of Outlook,
    /// Evolution and KAddressBook.
    pub relations: Vec<(String, String)>,
    /// Cards a vCard 4.0 `RELATED` points at by their UID (`urn:uuid:…`), with the type.
    pub related_uids: Vec<(String, String)>,
}

/// Parses a whole .vcf text (any number of cards). Lines that are not part of a card are
/// counted, not fatal.
fn parse(text: &str) -> (Vec<Card>, usize) {
    let text = preprocess(text);
    // Not strict: strict mode drops a whole card for one bad line.
    let mut parser = Parser::new(&text);
    let mut cards = Vec::new();
    let mut skipped = 0;
    loop {
        match parser.entry() {
            Entry::VCard(vcard) => cards.push(convert(&vcard)),
            Entry::Eof => break,
            other => {
                tracing::debug!("vcard: skipped {other:?}");
                skipped += 1;
            }
        }
    }
    (cards, skipped)
}

/// Works around two calcard quirks (edits only the name;params part of unfolded lines):
/// BDAY -> BDAY;VALUE=text (calcard's date parser loses the day of `--12-01` and of 4.0
/// `1980-07-04`), and 2.1 bare `;QUOTED-PRINTABLE` -> `;ENCODING=QUOTED-PRINTABLE`.
fn preprocess(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 64);
    let mut lines = text.split_inclusive('\n');
    while let Some(line) = lines.next() {
        let Some(colon) = line.find(':').filter(|_| !line.starts_with([' ', '\t'])) else {
            out.push_str(line);
            continue;
        };
        let (head, rest) = line.split_at(colon);
        let mut parts: Vec<String> = head.split(';').map(str::to_string).collect();
        if parts[0]
            .rsplit('.')
            .next()
            .unwrap_or_default()
            .eq_ignore_ascii_case("BDAY")
        {
            parts.insert(1, "VALUE=text".into());
        }
        if let Some(charset) = legacy_qp_charset(&parts) {
            // The value goes on over each line that ends in a soft break (`=`).
            let mut value = rest[1..].to_owned();
            while value.trim_end().ends_with('=') {
                match lines.next() {
                    Some(next) => value.push_str(next),
                    None => break,
                }
            }
            out.push_str(&without_encoding(&parts).join(";"));
            out.push(':');
            out.push_str(&decode_qp(&value, charset));
            out.push_str("\r\n");
            continue;
        }
        for p in parts.iter_mut().skip(1) {
            if p.eq_ignore_ascii_case("QUOTED-PRINTABLE") {
                *p = "ENCODING=QUOTED-PRINTABLE".into();
            }
        }
        out.push_str(&parts.join(";"));
        out.push_str(rest);
    }
    out
}

fn normalize_date(raw: &str) -> String {
    let date = raw.trim().split(['T', 't']).next().unwrap_or_default();
    let d: String = date.chars().filter(char::is_ascii_digit).collect();
    match (date.starts_with("--"), d.len()) {
        (true, 4) => format!("--{}-{}", &d[0..2], &d[2..4]),
        (false, 8) => format!("{}-{}-{}", &d[0..4], &d[4..6], &d[6..8]),
        _ => raw.trim().to_string(),
    }
}

/// QP without CHARSET is decoded as ISO-8859-1 by calcard; undo if it was really UTF-8.
fn fix_latin1(s: String) -> String {
    if !(s.chars().all(|c| (c as u32) < 256) && s.chars().any(|c| (c as u32) >= 0x80)) {
        return s;
    }
    String::from_utf8(s.chars().map(|c| c as u8).collect()).unwrap_or(s)
}

fn text(v: &V) -> Option<String> {
    let s = match v {
        V::Text(s) => s.clone(),
        V::Component(parts) => {
            // comma-separated sub-values of N/ADR components
            let p: Vec<&str> = parts
                .iter()
                .map(|s| s.trim())
                .filter(|s| !s.is_empty())
                .collect();
            p.join(", ")
        }
        V::Binary(_) => v.clone().into_uri()?, // data: URI / base64 -> "data:<mime>;base64,..."
        other => other.as_text()?.to_string(),
    };
    Some(s)
}
fn first(e: &VCardEntry) -> Option<String> {
    e.values.first().and_then(text)
}
/// The `X-NAME` parameter of a Rapport custom field's property (`X-RAPPORT-FIELD`).
fn x_name(e: &VCardEntry) -> String {
    e.params
        .iter()
        .find_map(|p| match (&p.name, &p.value) {
            (PN::Other(n), PV::Text(name)) if n.eq_ignore_ascii_case("X-NAME") => {
                Some(name.clone())
            }
            _ => None,
        })
        .unwrap_or_default()
}

fn comp(e: &VCardEntry, i: usize) -> String {
    e.values.get(i).and_then(text).unwrap_or_default()
}

fn types(e: &VCardEntry) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for p in &e.params {
        let t = match (&p.name, &p.value) {
            (PN::Type, PV::Type(t)) => t.as_str().to_ascii_lowercase(), // WORK/HOME/CELL/VOICE/...
            (PN::Type, PV::Text(s)) => s.to_ascii_lowercase(),          // "pref","INTERNET","x-..."
            (PN::Pref, _) => "pref".into(), // 2.1 `;PREF` (Null) / 4.0 PREF=1
            (PN::Other(n), PV::Null) => n.to_ascii_lowercase(), // 2.1 bare `;INTERNET`
            _ => continue,
        };
        if !out.contains(&t) {
            out.push(t);
        }
    }
    out
}

fn label(card: &VCard, e: &VCardEntry) -> Option<String> {
    let g = e.group.as_deref()?; // "item1" from `item1.EMAIL`
    let l = card.entries.iter().find(|o| {
        o.group
            .as_deref()
            .is_some_and(|og| og.eq_ignore_ascii_case(g))
            && matches!(&o.name, P::Other(n) if n.eq_ignore_ascii_case("X-ABLabel"))
    })?;
    Some(
        first(l)?
            .trim_start_matches("_$!<")
            .trim_end_matches(">!$_")
            .to_string(),
    )
}

/// The bytes of an inline photo: calcard decodes 3.0 `ENCODING=b`, 2.1 `ENCODING=BASE64` and
/// 4.0 `data:` URIs into binary values already.
fn inline_image(e: &VCardEntry) -> Option<Vec<u8>> {
    e.values.iter().find_map(|value| match value {
        V::Binary(data) if !data.data.is_empty() => Some(data.data.clone()),
        _ => None,
    })
}

fn convert(card: &VCard) -> Card {
    let mut c = Card::default();
    for e in &card.entries {
        let typed = || Typed {
            value: first(e).unwrap_or_default(),
            types: types(e),
            label: label(card, e),
        };
        match &e.name {
            P::Version => c.version = first(e),
            P::Fn if c.full_name.is_none() => c.full_name = first(e),
            P::N => {
                (c.family, c.given, c.additional) = (comp(e, 0), comp(e, 1), comp(e, 2));
                (c.prefixes, c.suffixes) = (comp(e, 3), comp(e, 4));
            }
            P::Nickname => c.nicknames.extend(e.values.iter().filter_map(text)),
            P::Org if c.org.is_none() => {
                c.org = Some(comp(e, 0)).filter(|s| !s.is_empty());
                let units: Vec<String> = (e.values.iter().skip(1).filter_map(text))
                    .map(|u| u.trim().to_owned())
                    .filter(|u| !u.is_empty())
                    .collect();
                if c.department.is_none() && !units.is_empty() {
                    c.department = Some(units.join(", "));
                }
            }
            P::Kind => c.is_org = first(e).is_some_and(|k| k.trim().eq_ignore_ascii_case("org")),
            P::Title if c.title.is_none() => c.title = first(e),
            P::Role if c.role.is_none() => c.role = first(e),
            P::Email => c.emails.push(typed()),
            P::Tel => c.tels.push(typed()),
            P::Adr => c.addresses.push(VAddress {
                po_box: comp(e, 0),
                extended: comp(e, 1),
                street: comp(e, 2),
                locality: comp(e, 3),
                region: comp(e, 4),
                postal_code: comp(e, 5),
                country: comp(e, 6),
                types: types(e),
                label: label(card, e),
            }),
            P::Bday => {
                c.bday = match e.values.first() {
                    Some(V::Text(s)) => Some(normalize_date(s)), // always Text thanks to preprocess()
                    Some(V::PartialDateTime(d)) => match (d.year, d.month, d.day) {
                        (Some(y), Some(m), Some(dd)) => Some(format!("{y:04}-{m:02}-{dd:02}")),
                        (None, Some(m), Some(dd)) => Some(format!("--{m:02}-{dd:02}")),
                        _ => None,
                    },
                    _ => None,
                }
                .map(|date| without_omitted_year(e, date))
            }
            P::Note => c.notes.extend(first(e)),
            P::Categories => c
                .categories
                .extend(e.values.iter().filter_map(text).filter(|s| !s.is_empty())),
            P::Url => c.urls.extend(first(e)),
            P::Photo => {
                c.has_photo = true;
                if c.photo.is_none() {
                    c.photo = inline_image(e);
                }
            }
            P::Uid if c.uid.is_none() => c.uid = first(e),
            P::Related => match related(e) {
                Some((kind, uid)) if uid.to_ascii_lowercase().starts_with("urn:") => {
                    c.related_uids.push((kind, uid))
                }
                found => c.relations.extend(found),
            },
            P::Other(name) => {
                let upper = name.to_ascii_uppercase();
                if let Some(field) = upper.strip_prefix("X-RAPPORT-") {
                    // A custom field is named in the property's `X-NAME` parameter.
                    let field = match field {
                        "FIELD" => format!("FIELD={}", x_name(e)),
                        other => other.to_owned(),
                    };
                    c.rapport.push((field, first(e).unwrap_or_default()));
                } else if let Some(relation) = other_relation(card, e, &upper) {
                    c.relations.push(relation);
                }
            }
            _ => {}
        }
    }
    // Only vCard 2.1 (and loose 3.0) has quoted-printable text that calcard decodes as
    // ISO-8859-1 when no CHARSET is given. vCard 4.0 is always UTF-8 (RFC 6350 §3.1): there,
    // text such as "Ã©" is what the person wrote and must not be re-read as UTF-8.
    if card.version() != Some(calcard::vcard::VCardVersion::V4_0) {
        c.fix_latin1();
    }
    c
}

/// A birthday without a year as Apple Contacts and Outlook write it in vCard 3.0 (whose dates
/// must have a year, and as Rapport's 3.0 export writes it): a stand-in year that
/// `X-APPLE-OMIT-YEAR` names (`BDAY;X-APPLE-OMIT-YEAR=1604:1604-12-01` is `--12-01`).
fn without_omitted_year(e: &VCardEntry, date: String) -> String {
    let omitted = e.params.iter().find_map(|p| match (&p.name, &p.value) {
        (PN::Other(n), PV::Text(year)) if n.eq_ignore_ascii_case("X-APPLE-OMIT-YEAR") => {
            Some(year.trim().to_owned())
        }
        (PN::Other(n), PV::Integer(year)) if n.eq_ignore_ascii_case("X-APPLE-OMIT-YEAR") => {
            Some(year.to_string())
        }
        _ => None,
    });
    match (omitted, date.split_once('-')) {
        (Some(omitted), Some((year, rest))) if year == omitted => format!("--{rest}"),
        _ => date,
    }
}

/// A vCard 4.0 `RELATED` that names a person in text or another card by its UID (a
/// `urn:uuid:`, which says nothing a person can read: it is never written into the notes),
/// with its type in words; a web address is left out.
fn related(e: &VCardEntry) -> Option<(String, String)> {
    let name = first(e)?.trim().trim_start_matches("mailto:").to_owned();
    if name.is_empty() || name.contains("://") {
        return None;
    }
    let kind = types(e)
        .into_iter()
        .find(|t| t != "pref")
        .unwrap_or_else(|| "related".to_owned());
    Some((capitalized(&kind), name))
}

/// The relations other programs keep in their own properties.
fn other_relation(card: &VCard, e: &VCardEntry, upper: &str) -> Option<(String, String)> {
    let kind = match upper {
        "X-SPOUSE" | "X-EVOLUTION-SPOUSE" | "X-MS-SPOUSE" | "X-KADDRESSBOOK-X-SPOUSESNAME" => {
            "Spouse".to_owned()
        }
        "X-ABRELATEDNAMES" => {
            label(card, e).map_or_else(|| "Related".to_owned(), |l| capitalized(&l))
        }
        _ => return None,
    };
    let name = first(e)?.trim().to_owned();
    (!name.is_empty()).then_some((kind, name))
}

fn capitalized(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first
            .to_uppercase()
            .chain(chars.flat_map(char::to_lowercase))
            .collect(),
        None => String::new(),
    }
}

impl Card {
    /// Undoes calcard's ISO-8859-1 reading of quoted-printable UTF-8 in every text field.
    fn fix_latin1(&mut self) {
        let fix = |s: &mut String| *s = fix_latin1(std::mem::take(s));
        for s in [
            &mut self.family,
            &mut self.given,
            &mut self.additional,
            &mut self.prefixes,
            &mut self.suffixes,
        ] {
            fix(s);
        }
        for s in [
            &mut self.full_name,
            &mut self.org,
            &mut self.department,
            &mut self.title,
            &mut self.role,
            &mut self.bday,
        ]
        .into_iter()
        .flatten()
        {
            fix(s);
        }
        for s in self
            .nicknames
            .iter_mut()
            .chain(&mut self.notes)
            .chain(&mut self.categories)
            .chain(&mut self.urls)
            .chain(self.relations.iter_mut().map(|(_, name)| name))
        {
            fix(s);
        }
        for t in self.emails.iter_mut().chain(&mut self.tels) {
            fix(&mut t.value);
            t.label.iter_mut().for_each(fix);
        }
        for a in &mut self.addresses {
            for s in [
                &mut a.po_box,
                &mut a.extended,
                &mut a.street,
                &mut a.locality,
                &mut a.region,
                &mut a.postal_code,
                &mut a.country,
            ] {
                fix(s);
            }
            a.label.iter_mut().for_each(fix);
        }
        for (_, value) in &mut self.rapport {
            fix(value);
        }
    }
}
