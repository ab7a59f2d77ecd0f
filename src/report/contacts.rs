//! Contacts as files other programs read: vCard 4.0 (RFC 6350, written with calcard), vCard 3.0
//! (RFC 2426, for older phones and Outlook) and a Google Contacts CSV in Google's current
//! layout. Pure: contacts in, bytes out.
//!
//! Both are made so that Rapport's own importer reads back what was written:
//!
//! - **vCard** carries every field. Names, organization, title, labelled e-mails, phones and
//!   addresses, the birthday (`--MMDD` without a year), notes and tags (`CATEGORIES`) are
//!   standard properties; a label that is not a vCard type is an Apple-style
//!   `itemN.X-ABLabel`. What only Rapport knows goes in `X-RAPPORT-*` properties (decision
//!   maker, stage, family, interests, how we met, cadence), which other programs ignore.
//!   calcard escapes `\` `,` `;` and newlines and folds lines at 75 octets. Every card has the
//!   contact's `UID` (address books and CardDAV servers refuse or duplicate cards without one,
//!   and Rapport's importer merges by it), its `REV` and Rapport's `PRODID`. A 3.0 card says
//!   `TYPE=pref` for 4.0's `PREF=1` and writes a birthday without a year as Apple and Outlook
//!   do (`X-APPLE-OMIT-YEAR`), since 3.0 dates must have one. A photo is a `PHOTO` line: a
//!   `data:` URI in 4.0, `ENCODING=b;TYPE=JPEG|PNG` in 3.0.
//! - **Google CSV** has no columns for the Rapport-only fields, so it carries names (the
//!   display name in `File As` when it is not simply the name parts), organization, title,
//!   birthday, notes, tags (`Labels`, joined with ` ::: `) and every e-mail, phone and
//!   address with its label. Cells a spreadsheet could run as a formula (starting with `=`
//!   `+` `-` `@`, tab or CR) get a leading `'`, as in the timeline report's CSV. A phone
//!   number the importer can parse (every E.164 number) reads back unchanged, because the
//!   phone parser skips the `'`; other text keeps it until the CSV importer learns to drop it
//!   (see the ignored test in `tests/contact_export_tests.rs`). The birthday is written as
//!   Rapport formats it (`1980-07-04`, or Google's `--12-01` without a year), never user
//!   text, so it is left as it is: `'--12-01` would no longer read as a birthday.

use super::ReportError;
use crate::model::{Address, Birthday, ContactDraft, ContactPhoto, ExportedContact};
use base64::Engine as _;
use calcard::vcard::{
    VCard, VCardEntry, VCardParameter, VCardParameterName, VCardProperty, VCardType, VCardValue,
    VCardVersion,
};
use chrono::{DateTime, Utc};

/// The file formats contacts can be exported in.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum ContactFormat {
    /// vCard 4.0: every field, for address books and for moving to another Rapport.
    #[default]
    VCard,
    /// vCard 3.0: every field too, for older phones and Outlook.
    VCard3,
    /// Google Contacts CSV (current layout), for Google and spreadsheets.
    GoogleCsv,
}

impl ContactFormat {
    pub const ALL: [ContactFormat; 3] = [
        ContactFormat::VCard,
        ContactFormat::VCard3,
        ContactFormat::GoogleCsv,
    ];

    /// The usual file extension.
    pub fn extension(self) -> &'static str {
        match self {
            ContactFormat::VCard | ContactFormat::VCard3 => "vcf",
            ContactFormat::GoogleCsv => "csv",
        }
    }

    /// What each format is for, in a sentence.
    pub fn purpose(self) -> &'static str {
        match self {
            ContactFormat::VCard => {
                "Every field; for address books, phones and moving to another Rapport"
            }
            ContactFormat::VCard3 => {
                "Every field, in the older vCard 3.0; for older phones and Outlook"
            }
            ContactFormat::GoogleCsv => {
                "For Google Contacts and spreadsheets; no family, interests, how you met, stage, cadence or decision-maker mark"
            }
        }
    }

    /// The words shown to people.
    pub fn label(self) -> &'static str {
        match self {
            ContactFormat::VCard => "vCard 4.0",
            ContactFormat::VCard3 => "vCard 3.0",
            ContactFormat::GoogleCsv => "Google Contacts CSV",
        }
    }

    /// The format for a command-line name (`vcard`, `vcf`, `csv`, `google`).
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "vcard" | "vcf" | "vcards" => Some(ContactFormat::VCard),
            "csv" | "google" | "google-csv" => Some(ContactFormat::GoogleCsv),
            _ => None,
        }
    }

    /// The vCard format of a version named on the command line (`3.0` or `4.0`).
    pub fn vcard_version(text: &str) -> Option<Self> {
        match text.trim() {
            "3.0" | "3" => Some(ContactFormat::VCard3),
            "4.0" | "4" => Some(ContactFormat::VCard),
            _ => None,
        }
    }

    /// The format a file name's extension suggests.
    pub fn from_path(path: &std::path::Path) -> Option<Self> {
        path.extension()
            .and_then(|e| e.to_str())
            .and_then(Self::parse)
    }
}

/// Renders contacts in `format` to the bytes of a file.
pub fn render(contacts: &[ExportedContact], format: ContactFormat) -> Result<Vec<u8>, ReportError> {
    match format {
        ContactFormat::VCard => Ok(vcard_cards(contacts, CardVersion::V4).into_bytes()),
        ContactFormat::VCard3 => Ok(vcard_cards(contacts, CardVersion::V3).into_bytes()),
        ContactFormat::GoogleCsv => {
            google_csv_of(&contacts.iter().map(|c| &c.draft).collect::<Vec<_>>())
        }
    }
}

/// The vCard versions Rapport writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CardVersion {
    /// RFC 2426, for older phones and Outlook.
    V3,
    /// RFC 6350.
    V4,
}

/// Every draft as one vCard 4.0 card without `REV` (a draft has no last change), CRLF line
/// ends, lines folded at 75 octets.
pub fn vcard(contacts: &[ContactDraft]) -> String {
    write_cards(
        contacts.iter().map(|c| (c, None, None, &[][..])),
        CardVersion::V4,
    )
}

/// Every stored contact as one card of `version`, with its `UID`, `REV`, `PHOTO` and a
/// `RELATED` for each person they are related to (by that person's UID).
pub fn vcard_cards(contacts: &[ExportedContact], version: CardVersion) -> String {
    write_cards(
        contacts.iter().map(|c| {
            let related = c.related.as_slice();
            (&c.draft, Some(c.revised_at), c.photo.as_ref(), related)
        }),
        version,
    )
}

/// A card: the contact, its `REV`, its photo, its `RELATED` (type, UID).
type CardParts<'a> = (
    &'a ContactDraft,
    Option<DateTime<Utc>>,
    Option<&'a ContactPhoto>,
    &'a [(String, String)],
);

fn write_cards<'a>(
    cards: impl ExactSizeIterator<Item = CardParts<'a>>,
    version: CardVersion,
) -> String {
    let mut out = String::with_capacity(cards.len() * 400);
    for (contact, revised_at, photo, related) in cards {
        let mut card = card_of(contact, revised_at, version);
        for (kind, uid) in related {
            let mut entry = text(VCardProperty::Related, uid);
            entry.add_param(VCardParameter::new(VCardParameterName::Type, kind.clone()));
            card.entries.push(entry);
        }
        // Writing to a String cannot fail.
        let _ = match version {
            CardVersion::V4 => card.write_to(&mut out, VCardVersion::V4_0),
            CardVersion::V3 => write_v3(&card, &mut out),
        };
        if let Some(photo) = photo {
            insert_photo(&mut out, photo, version);
        }
    }
    out
}

/// Puts the `PHOTO` line before the card's `END:VCARD`. Written here, not by calcard: its 4.0
/// writer escapes the comma of `data:…;base64,` (`base64\,`, which other readers keep as part
/// of the data), and 3.0 wants `ENCODING=b;TYPE=JPEG` with bare base64 instead of a URI.
fn insert_photo(out: &mut String, photo: &ContactPhoto, version: CardVersion) {
    const END: &str = "END:VCARD\r\n";
    if !out.ends_with(END) {
        return;
    }
    out.truncate(out.len() - END.len());
    let data = base64::engine::general_purpose::STANDARD.encode(&photo.bytes);
    let line = match version {
        CardVersion::V4 => format!("PHOTO:data:{};base64,{data}", photo.mime),
        CardVersion::V3 => {
            let kind = if photo.mime == "image/png" {
                "PNG"
            } else {
                "JPEG"
            };
            format!("PHOTO;ENCODING=b;TYPE={kind}:{data}")
        }
    };
    push_folded(out, &line);
    out.push_str(END);
}

/// Folds an ASCII line at 75 octets, as RFC 6350 §3.2 and RFC 2426 ask: CRLF and a space.
fn push_folded(out: &mut String, line: &str) {
    let mut rest = line;
    let mut width = 75;
    while rest.len() > width {
        let (head, tail) = rest.split_at(width);
        out.push_str(head);
        out.push_str("\r\n ");
        rest = tail;
        width = 74;
    }
    out.push_str(rest);
    out.push_str("\r\n");
}

/// A card as RFC 2426 has it. calcard's 3.0 writer adds vCard 2.1's `CHARSET=UTF-8` to
/// non-ASCII values, a parameter 3.0 does not have (its text is in the file's charset, UTF-8
/// here), so the entries are written as calcard writes 4.0 ones — the same escaping and
/// folding — under `VERSION:3.0`; `card_of` already chose 3.0's parameters and values.
fn write_v3(card: &VCard, out: &mut String) -> std::fmt::Result {
    out.push_str("BEGIN:VCARD\r\nVERSION:3.0\r\n");
    for entry in &card.entries {
        entry.write_to(out, true)?;
    }
    out.push_str("END:VCARD\r\n");
    Ok(())
}

/// The `PRODID` of every card: `-//Rapport//Rapport 0.1.0//EN`.
pub fn product_id() -> String {
    format!("-//Rapport//Rapport {}//EN", env!("CARGO_PKG_VERSION"))
}

fn text(name: VCardProperty, value: &str) -> VCardEntry {
    VCardEntry::new(name).with_value(value.to_owned())
}

fn other(name: &str, value: &str) -> VCardEntry {
    text(VCardProperty::Other(name.to_owned()), value)
}

/// The vCard type a label maps to when the importer reads that type back as the same label;
/// any other label is written as an `X-ABLabel` (read back as written).
fn vcard_type(label: &str, property: &VCardProperty) -> Option<VCardType> {
    match (label, property) {
        ("work", _) => Some(VCardType::Work),
        ("home", _) => Some(VCardType::Home),
        ("mobile", VCardProperty::Tel) => Some(VCardType::Cell),
        ("fax", VCardProperty::Tel) => Some(VCardType::Fax),
        _ => None,
    }
}

/// Adds one labelled entry (e-mail, phone or address), the first of its kind preferred:
/// `PREF=1` in 4.0, `TYPE=pref` in 3.0 (which has no `PREF`), where an e-mail is also
/// `TYPE=INTERNET` as Outlook and older phones expect.
fn push_labelled(
    entries: &mut Vec<VCardEntry>,
    groups: &mut usize,
    mut entry: VCardEntry,
    label: &str,
    first: bool,
    version: CardVersion,
) {
    let label = label.trim();
    let type_param = |value: &str| VCardParameter::new(VCardParameterName::Type, value.to_owned());
    if version == CardVersion::V3 && entry.name == VCardProperty::Email {
        entry.add_param(type_param("INTERNET"));
    }
    if let Some(kind) = vcard_type(label, &entry.name) {
        entry.add_param(VCardParameter::new(VCardParameterName::Type, kind));
    }
    if first {
        entry.add_param(match version {
            CardVersion::V4 => VCardParameter::new(VCardParameterName::Pref, 1u32),
            CardVersion::V3 => type_param("pref"),
        });
    }
    if !label.is_empty() && vcard_type(label, &entry.name).is_none() {
        *groups += 1;
        let group = format!("item{groups}");
        entries.push(entry.with_group(Some(group.clone())));
        entries.push(other("X-ABLabel", label).with_group(Some(group)));
    } else {
        entries.push(entry);
    }
}

fn address_entry(a: &Address) -> VCardEntry {
    // PO box; extended address; street; locality; region; postal code; country.
    let parts = [
        "",
        "",
        &a.street,
        &a.city,
        &a.region,
        &a.postal_code,
        &a.country,
    ];
    VCardEntry::new(VCardProperty::Adr).with_values(
        parts
            .iter()
            .map(|p| VCardValue::Text(p.trim().to_owned()))
            .collect(),
    )
}

/// The year Apple's and Microsoft's address books write for a birthday without one, with
/// `X-APPLE-OMIT-YEAR` naming it: vCard 3.0's dates must have a year.
const NO_YEAR: i32 = 1604;

/// `BDAY`: 4.0's basic format (`19800704`, `--1201` without a year); 3.0's `1980-07-04`, and
/// without a year `1604-12-01` marked `X-APPLE-OMIT-YEAR=1604` (Apple Contacts and Outlook
/// show it without a year; Rapport's importer reads it back so).
fn birthday_entry(birthday: Birthday, version: CardVersion) -> VCardEntry {
    let (month, day) = (birthday.month, birthday.day);
    match (version, birthday.year) {
        (CardVersion::V4, Some(y)) => {
            text(VCardProperty::Bday, &format!("{y:04}{month:02}{day:02}"))
        }
        (CardVersion::V4, None) => text(VCardProperty::Bday, &format!("--{month:02}{day:02}")),
        (CardVersion::V3, Some(y)) => {
            text(VCardProperty::Bday, &format!("{y:04}-{month:02}-{day:02}"))
        }
        (CardVersion::V3, None) => {
            let mut entry = text(
                VCardProperty::Bday,
                &format!("{NO_YEAR}-{month:02}-{day:02}"),
            );
            entry.add_param(VCardParameter::new(
                VCardParameterName::Other("X-APPLE-OMIT-YEAR".to_owned()),
                NO_YEAR.to_string(),
            ));
            entry
        }
    }
}

fn card_of(c: &ContactDraft, revised_at: Option<DateTime<Utc>>, version: CardVersion) -> VCard {
    let mut entries = vec![text(VCardProperty::Prodid, &product_id())];
    push_names(&mut entries, c);
    push_reach(&mut entries, c, version);
    if let Some(birthday) = c.birthday {
        entries.push(birthday_entry(birthday, version));
    }
    if !c.personal_notes.trim().is_empty() {
        entries.push(text(VCardProperty::Note, c.personal_notes.trim()));
    }
    let tags: Vec<VCardValue> = c
        .tags
        .iter()
        .map(|t| t.trim())
        .filter(|t| !t.is_empty())
        .map(|t| VCardValue::Text(t.to_owned()))
        .collect();
    if !tags.is_empty() {
        entries.push(VCardEntry::new(VCardProperty::Categories).with_values(tags));
    }
    // Address books and CardDAV servers know a card by its UID, and sync tools keep the copy
    // with the later REV.
    if !c.uid.trim().is_empty() {
        entries.push(text(VCardProperty::Uid, c.uid.trim()));
    }
    if let Some(revised_at) = revised_at {
        let stamp = revised_at.format("%Y%m%dT%H%M%SZ").to_string();
        entries.push(text(VCardProperty::Rev, &stamp));
    }
    push_rapport(&mut entries, c);
    VCard { entries }
}

/// `FN`, `N`, `NICKNAME`, `ORG` and `TITLE`.
fn push_names(entries: &mut Vec<VCardEntry>, c: &ContactDraft) {
    entries.push(text(VCardProperty::Fn, &c.effective_display_name()));
    let parts = [
        &c.family_name,
        &c.given_name,
        &c.middle_name,
        &c.prefix,
        &c.suffix,
    ];
    entries.push(
        VCardEntry::new(VCardProperty::N).with_values(
            parts
                .iter()
                .map(|p| VCardValue::Text(p.trim().to_owned()))
                .collect(),
        ),
    );
    for (property, value) in [
        (VCardProperty::Nickname, &c.nickname),
        (VCardProperty::Org, &c.organization),
        (VCardProperty::Title, &c.title),
    ] {
        if !value.trim().is_empty() {
            entries.push(text(property, value.trim()));
        }
    }
}

/// The labelled e-mails, phones and addresses.
fn push_reach(entries: &mut Vec<VCardEntry>, c: &ContactDraft, version: CardVersion) {
    let mut groups = 0;
    let emails = c.emails.iter().filter(|e| !e.address.trim().is_empty());
    for (index, email) in emails.enumerate() {
        let entry = text(VCardProperty::Email, email.address.trim());
        push_labelled(
            entries,
            &mut groups,
            entry,
            &email.label,
            index == 0,
            version,
        );
    }
    let phones = c.phones.iter().filter(|p| !p.number.trim().is_empty());
    for (index, phone) in phones.enumerate() {
        let entry = text(VCardProperty::Tel, phone.number.trim());
        push_labelled(
            entries,
            &mut groups,
            entry,
            &phone.label,
            index == 0,
            version,
        );
    }
    for (index, address) in c.addresses.iter().filter(|a| !a.is_blank()).enumerate() {
        let entry = address_entry(address);
        push_labelled(
            entries,
            &mut groups,
            entry,
            &address.label,
            index == 0,
            version,
        );
    }
}

/// What only Rapport knows; other programs skip X- properties.
fn push_rapport(entries: &mut Vec<VCardEntry>, c: &ContactDraft) {
    if c.is_decision_maker {
        entries.push(other("X-RAPPORT-DECISION-MAKER", "TRUE"));
    }
    entries.push(other("X-RAPPORT-STAGE", c.stage.as_str()));
    for (property, value) in [
        ("X-RAPPORT-FAMILY", &c.family),
        ("X-RAPPORT-INTERESTS", &c.interests),
        ("X-RAPPORT-HOW-WE-MET", &c.how_we_met),
    ] {
        if !value.trim().is_empty() {
            entries.push(other(property, value.trim()));
        }
    }
    if let Some(days) = c.cadence_days {
        entries.push(other("X-RAPPORT-CADENCE-DAYS", &days.to_string()));
    }
    // One property per custom field, its name in a parameter: a property's own name allows
    // only ASCII letters, digits and "-", so "X-SHOP-SIZE" could not give "Größe des Ladens"
    // back, while a parameter value holds any text but a double quote (which a field's name
    // cannot have; calcard quotes one with ";", ":" or ",").
    for (name, value) in &c.custom_fields {
        if value.trim().is_empty() {
            continue;
        }
        let mut entry = other("X-RAPPORT-FIELD", value.trim());
        entry.add_param(VCardParameter::new(
            VCardParameterName::Other("X-NAME".to_owned()),
            name.clone(),
        ));
        entries.push(entry);
    }
}

/// The name and organization columns of Google's current layout, before the labels.
const HEAD: [&str; 17] = [
    "First Name",
    "Middle Name",
    "Last Name",
    "Phonetic First Name",
    "Phonetic Middle Name",
    "Phonetic Last Name",
    "Name Prefix",
    "Name Suffix",
    "Nickname",
    "File As",
    "Organization Name",
    "Organization Title",
    "Organization Department",
    "Birthday",
    "Notes",
    "Photo",
    "Labels",
];

/// The parts of Google's `Address N - …` columns, in its order.
const ADDRESS_PARTS: [&str; 9] = [
    "Label",
    "Formatted",
    "Street",
    "City",
    "PO Box",
    "Region",
    "Postal Code",
    "Country",
    "Extended Address",
];

/// The contacts as a Google Contacts CSV (current layout: `First Name`, …, `Labels`,
/// `E-mail 1 - Label`, `E-mail 1 - Value`, …), with as many e-mail, phone and address columns
/// as the contact with the most of them needs (at least one of each). UTF-8, `\n` line ends.
pub fn google_csv(contacts: &[ContactDraft]) -> Result<Vec<u8>, ReportError> {
    google_csv_of(&contacts.iter().collect::<Vec<_>>())
}

fn google_csv_of(contacts: &[&ContactDraft]) -> Result<Vec<u8>, ReportError> {
    use super::csv::neutralize;
    let emails = contacts
        .iter()
        .map(|c| c.emails.len())
        .max()
        .unwrap_or(0)
        .max(1);
    let phones = contacts
        .iter()
        .map(|c| c.phones.len())
        .max()
        .unwrap_or(0)
        .max(1);
    let addresses = contacts
        .iter()
        .map(|c| c.addresses.len())
        .max()
        .unwrap_or(0)
        .max(1);
    let mut header: Vec<String> = HEAD.iter().map(|h| (*h).to_owned()).collect();
    for n in 1..=emails {
        header.push(format!("E-mail {n} - Label"));
        header.push(format!("E-mail {n} - Value"));
    }
    for n in 1..=phones {
        header.push(format!("Phone {n} - Label"));
        header.push(format!("Phone {n} - Value"));
    }
    for n in 1..=addresses {
        for part in ADDRESS_PARTS {
            header.push(format!("Address {n} - {part}"));
        }
    }
    // A column for each custom field any of them has, named as the field (the importer
    // sends a column named like a field back to it).
    let fields: std::collections::BTreeSet<&String> = contacts
        .iter()
        .flat_map(|c| c.custom_fields.keys())
        .collect();
    header.extend(fields.iter().map(|name| (*name).clone()));
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::with_capacity(256 + contacts.len() * 200));
    writer.write_record(&header)?;
    for &c in contacts {
        let mut row: Vec<String> = Vec::with_capacity(header.len());
        // Text a person typed, made safe for spreadsheets.
        let mut cell = |text: &str| row.push(neutralize(text.trim()).into_owned());
        // The display name goes in "File As" only when the name parts (or the e-mail, or the
        // organization) would not give it back.
        let derived = ContactDraft {
            display_name: String::new(),
            ..c.clone()
        }
        .effective_display_name();
        let display = c.effective_display_name();
        let file_as = if display == derived { "" } else { &display };
        for value in [
            c.given_name.as_str(),
            &c.middle_name,
            &c.family_name,
            "",
            "",
            "",
            &c.prefix,
            &c.suffix,
            &c.nickname,
            file_as,
            &c.organization,
            &c.title,
            "",
        ] {
            cell(value);
        }
        // Formatted by us from numbers ("1980-07-04", "--12-01"), never a formula.
        row.push(c.birthday.map(|b| b.to_string()).unwrap_or_default());
        let mut cell = |text: &str| row.push(neutralize(text.trim()).into_owned());
        cell(&c.personal_notes);
        cell("");
        let tags: Vec<&str> = c
            .tags
            .iter()
            .map(|t| t.trim())
            .filter(|t| !t.is_empty())
            .collect();
        cell(&tags.join(" ::: "));
        for n in 0..emails {
            match c.emails.get(n) {
                Some(e) => {
                    cell(&e.label);
                    cell(&e.address);
                }
                None => {
                    cell("");
                    cell("");
                }
            }
        }
        for n in 0..phones {
            match c.phones.get(n) {
                Some(p) => {
                    cell(&p.label);
                    cell(&p.number);
                }
                None => {
                    cell("");
                    cell("");
                }
            }
        }
        for n in 0..addresses {
            let blank = Address::default();
            let a = c.addresses.get(n).unwrap_or(&blank);
            for value in [
                a.label.as_str(),
                "",
                &a.street,
                &a.city,
                "",
                &a.region,
                &a.postal_code,
                &a.country,
                "",
            ] {
                cell(value);
            }
        }
        for name in &fields {
            cell(c.custom_fields.get(*name).map_or("", String::as_str));
        }
        writer.write_record(&row)?;
    }
    writer
        .into_inner()
        .map_err(|e| ReportError::Csv(e.into_error().into()))
}
