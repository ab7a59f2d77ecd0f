//! Contacts as files other programs read: vCard 4.0 (RFC 6350, written with calcard) and a
//! Google Contacts CSV in Google's current layout. Pure: `ContactDraft`s in, bytes out.
//!
//! Both are made so that Rapport's own importer reads back what was written:
//!
//! - **vCard** carries every field. Names, organization, title, labelled e-mails, phones and
//!   addresses, the birthday (`--MMDD` without a year), notes and tags (`CATEGORIES`) are
//!   standard properties; a label that is not a vCard type is an Apple-style
//!   `itemN.X-ABLabel`. What only Rapport knows goes in `X-RAPPORT-*` properties (decision
//!   maker, stage, family, interests, how we met, cadence), which other programs ignore.
//!   calcard escapes `\` `,` `;` and newlines and folds lines at 75 octets.
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
use crate::model::{Address, ContactDraft};
use calcard::vcard::{
    VCard, VCardEntry, VCardParameter, VCardParameterName, VCardProperty, VCardType, VCardValue,
    VCardVersion,
};

/// The file formats contacts can be exported in.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum ContactFormat {
    /// vCard 4.0: every field, for address books and for moving to another Rapport.
    #[default]
    VCard,
    /// Google Contacts CSV (current layout), for Google and spreadsheets.
    GoogleCsv,
}

impl ContactFormat {
    pub const ALL: [ContactFormat; 2] = [ContactFormat::VCard, ContactFormat::GoogleCsv];

    /// The usual file extension.
    pub fn extension(self) -> &'static str {
        match self {
            ContactFormat::VCard => "vcf",
            ContactFormat::GoogleCsv => "csv",
        }
    }

    /// What each format is for, in a sentence.
    pub fn purpose(self) -> &'static str {
        match self {
            ContactFormat::VCard => {
                "Every field; for address books, phones and moving to another Rapport"
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

    /// The format a file name's extension suggests.
    pub fn from_path(path: &std::path::Path) -> Option<Self> {
        path.extension()
            .and_then(|e| e.to_str())
            .and_then(Self::parse)
    }
}

/// Renders contacts in `format` to the bytes of a file.
pub fn render(contacts: &[ContactDraft], format: ContactFormat) -> Result<Vec<u8>, ReportError> {
    match format {
        ContactFormat::VCard => Ok(vcard(contacts).into_bytes()),
        ContactFormat::GoogleCsv => google_csv(contacts),
    }
}

/// Every contact as one vCard 4.0 card, CRLF line ends, lines folded at 75 octets.
pub fn vcard(contacts: &[ContactDraft]) -> String {
    let mut out = String::with_capacity(contacts.len() * 400);
    for contact in contacts {
        let card = card_of(contact);
        // Writing to a String cannot fail.
        let _ = card.write_to(&mut out, VCardVersion::V4_0);
    }
    out
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

/// Adds one labelled entry (e-mail, phone or address), the first of its kind preferred.
fn push_labelled(
    entries: &mut Vec<VCardEntry>,
    groups: &mut usize,
    mut entry: VCardEntry,
    label: &str,
    first: bool,
) {
    let label = label.trim();
    if let Some(kind) = vcard_type(label, &entry.name) {
        entry.add_param(VCardParameter::new(VCardParameterName::Type, kind));
    }
    if first {
        entry.add_param(VCardParameter::new(VCardParameterName::Pref, 1u32));
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

fn card_of(c: &ContactDraft) -> VCard {
    let mut entries = Vec::new();
    let name = c.effective_display_name();
    entries.push(text(VCardProperty::Fn, &name));
    entries.push(
        VCardEntry::new(VCardProperty::N).with_values(
            [
                &c.family_name,
                &c.given_name,
                &c.middle_name,
                &c.prefix,
                &c.suffix,
            ]
            .iter()
            .map(|p| VCardValue::Text(p.trim().to_owned()))
            .collect(),
        ),
    );
    if !c.nickname.trim().is_empty() {
        entries.push(text(VCardProperty::Nickname, c.nickname.trim()));
    }
    if !c.organization.trim().is_empty() {
        entries.push(text(VCardProperty::Org, c.organization.trim()));
    }
    if !c.title.trim().is_empty() {
        entries.push(text(VCardProperty::Title, c.title.trim()));
    }
    let mut groups = 0;
    let emails = c.emails.iter().filter(|e| !e.address.trim().is_empty());
    for (index, email) in emails.enumerate() {
        let entry = text(VCardProperty::Email, email.address.trim());
        push_labelled(&mut entries, &mut groups, entry, &email.label, index == 0);
    }
    let phones = c.phones.iter().filter(|p| !p.number.trim().is_empty());
    for (index, phone) in phones.enumerate() {
        let entry = text(VCardProperty::Tel, phone.number.trim());
        push_labelled(&mut entries, &mut groups, entry, &phone.label, index == 0);
    }
    for (index, address) in c.addresses.iter().filter(|a| !a.is_blank()).enumerate() {
        let entry = address_entry(address);
        push_labelled(&mut entries, &mut groups, entry, &address.label, index == 0);
    }
    if let Some(birthday) = c.birthday {
        // vCard 4.0's basic format: 19800704, or --1201 without a year.
        let value = match birthday.year {
            Some(y) => format!("{y:04}{:02}{:02}", birthday.month, birthday.day),
            None => format!("--{:02}{:02}", birthday.month, birthday.day),
        };
        entries.push(text(VCardProperty::Bday, &value));
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
    // What only Rapport knows; other programs skip X- properties.
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
    VCard { entries }
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
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::with_capacity(256 + contacts.len() * 200));
    writer.write_record(&header)?;
    for c in contacts {
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
        writer.write_record(&row)?;
    }
    writer
        .into_inner()
        .map_err(|e| ReportError::Csv(e.into_error().into()))
}
