//! Column names to contact fields, by name and never by position: Google (current and older
//! layouts), Outlook (Outlook.com, desktop, a few localized headers), Thunderbird, LinkedIn, and
//! any other CSV whose headers say what they hold. The user can change any column's target.

use serde::{Deserialize, Serialize};

/// What a column holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Field {
    Ignore,
    FullName,
    GivenName,
    MiddleName,
    FamilyName,
    Prefix,
    Suffix,
    Nickname,
    Organization,
    Title,
    Email,
    EmailLabel,
    Phone,
    PhoneLabel,
    Street,
    City,
    Region,
    PostalCode,
    Country,
    AddressLabel,
    Birthday,
    BirthYear,
    BirthMonth,
    BirthDay,
    Notes,
    Tags,
    ConnectedOn,
    /// A custom field, named by the column's `implied_label` (not in `ALL`: the fields
    /// defined are the database's, not the importer's).
    Custom,
}

impl Field {
    /// Every choice the mapping drop-down offers.
    pub const ALL: &'static [Field] = &[
        Field::Ignore,
        Field::FullName,
        Field::GivenName,
        Field::MiddleName,
        Field::FamilyName,
        Field::Prefix,
        Field::Suffix,
        Field::Nickname,
        Field::Organization,
        Field::Title,
        Field::Email,
        Field::EmailLabel,
        Field::Phone,
        Field::PhoneLabel,
        Field::Street,
        Field::City,
        Field::Region,
        Field::PostalCode,
        Field::Country,
        Field::AddressLabel,
        Field::Birthday,
        Field::BirthYear,
        Field::BirthMonth,
        Field::BirthDay,
        Field::Notes,
        Field::Tags,
        Field::ConnectedOn,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Field::Ignore => "(ignore)",
            Field::FullName => "Full name",
            Field::GivenName => "First name",
            Field::MiddleName => "Middle name",
            Field::FamilyName => "Last name",
            Field::Prefix => "Name prefix",
            Field::Suffix => "Name suffix",
            Field::Nickname => "Nickname",
            Field::Organization => "Organization",
            Field::Title => "Role / title",
            Field::Email => "E-mail",
            Field::EmailLabel => "E-mail label",
            Field::Phone => "Phone",
            Field::PhoneLabel => "Phone label",
            Field::Street => "Street",
            Field::City => "City",
            Field::Region => "Region / state",
            Field::PostalCode => "Postcode",
            Field::Country => "Country",
            Field::AddressLabel => "Address label",
            Field::Birthday => "Birthday",
            Field::BirthYear => "Birth year",
            Field::BirthMonth => "Birth month",
            Field::BirthDay => "Birth day",
            Field::Notes => "Notes",
            Field::Tags => "Tags / labels",
            Field::ConnectedOn => "Connected on (date)",
            Field::Custom => "Custom field",
        }
    }
}

/// Where one column goes: the field, which e-mail / phone / address it belongs to (so a
/// "Type" column pairs with its "Value"), and a label the header implies ("Business Phone" is
/// a work phone).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Column {
    pub field: Field,
    pub slot: u16,
    pub implied_label: String,
}

impl Column {
    pub(super) fn new(field: Field, slot: u16, label: &str) -> Self {
        Self {
            field,
            slot,
            implied_label: label.to_owned(),
        }
    }

    pub fn ignore() -> Self {
        Self::new(Field::Ignore, 0, "")
    }
}

/// Which program made the file, as far as its headers tell.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    GoogleCurrent,
    GoogleOlder,
    Outlook,
    Thunderbird,
    LinkedIn,
    Generic,
    /// A CSV whose first row is already a person: the columns were guessed from what they hold.
    NoHeader,
    VCard,
}

impl Format {
    pub fn label(self) -> &'static str {
        match self {
            Format::GoogleCurrent => "Google Contacts CSV",
            Format::GoogleOlder => "Google Contacts CSV (older layout)",
            Format::Outlook => "Outlook CSV",
            Format::Thunderbird => "Thunderbird CSV",
            Format::LinkedIn => "LinkedIn connections",
            Format::Generic => "CSV (columns matched by name)",
            Format::NoHeader => "CSV without a header row (columns guessed from their content)",
            Format::VCard => "vCard",
        }
    }
}

pub(super) fn normalize(header: &str) -> String {
    let lower = header
        .trim()
        .trim_start_matches('\u{feff}')
        .to_lowercase()
        .replace(['_', '.'], " ");
    lower.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Guesses the program from the header names.
pub fn detect_format(headers: &[String]) -> Format {
    let names: Vec<String> = headers.iter().map(|h| normalize(h)).collect();
    let has = |n: &str| names.iter().any(|h| h == n);
    if has("connected on") && has("first name") {
        Format::LinkedIn
    } else if has("e-mail 1 - value") && has("given name") {
        Format::GoogleOlder
    } else if has("e-mail 1 - value") || (has("organization name") && has("labels")) {
        Format::GoogleCurrent
    } else if has("primary email") && has("display name") {
        Format::Thunderbird
    } else if has("e-mail address")
        || has("e-mail 2 address")
        || has("job title") && has("company")
        || names.iter().any(|h| super::localized::is_outlook_email(h))
    {
        Format::Outlook
    } else {
        Format::Generic
    }
}

/// A Google-style numbered header: "E-mail 2 - Value", "Address 1 - City", "Organization 1 - Title".
fn numbered(name: &str) -> Option<Column> {
    let (left, right) = name.split_once(" - ")?;
    let (kind, number) = left.rsplit_once(' ')?;
    let slot: u16 = number.parse().ok()?;
    let field = match (kind, right) {
        ("e-mail" | "email", "value") => Field::Email,
        ("e-mail" | "email", "type" | "label") => Field::EmailLabel,
        ("phone", "value") => Field::Phone,
        ("phone", "type" | "label") => Field::PhoneLabel,
        ("address", "street") => Field::Street,
        ("address", "city") => Field::City,
        ("address", "region") => Field::Region,
        ("address", "postal code") => Field::PostalCode,
        ("address", "country") => Field::Country,
        ("address", "type" | "label") => Field::AddressLabel,
        ("organization", "name") if slot == 1 => Field::Organization,
        ("organization", "title") if slot == 1 => Field::Title,
        _ => Field::Ignore,
    };
    Some(Column::new(field, slot, ""))
}

/// Maps one header to its column target; unknown headers are ignored (and shown as such, so
/// the user can map them).
pub fn classify(header: &str) -> Column {
    let name = normalize(header);
    if let Some(column) = numbered(&name) {
        return column;
    }
    let c = Column::new;
    match name.as_str() {
        // Google's "File As" is the name a contact is shown and sorted under when it is not
        // simply the name parts (Rapport's export puts a custom display name there).
        "name" | "display name" | "full name" | "file as" | "anzeigename" | "nom complet" => {
            c(Field::FullName, 0, "")
        }
        "first name" | "given name" | "firstname" | "vorname" | "prénom" | "prenom" | "nombre" => {
            c(Field::GivenName, 0, "")
        }
        "middle name" | "additional name" | "weitere vornamen" | "deuxième prénom" => {
            c(Field::MiddleName, 0, "")
        }
        "last name" | "family name" | "surname" | "lastname" | "nachname" | "nom" | "apellidos" => {
            c(Field::FamilyName, 0, "")
        }
        "title" | "name prefix" | "prefix" | "anrede" => c(Field::Prefix, 0, ""),
        "suffix" | "name suffix" | "namenszusatz" => c(Field::Suffix, 0, ""),
        "nickname" | "spitzname" | "surnom" => c(Field::Nickname, 0, ""),
        "company" | "organization" | "organisation" | "organization name" | "firma" | "société"
        | "societe" | "empresa" => c(Field::Organization, 0, ""),
        "job title" | "position" | "organization title" | "role" | "funktion"
        | "position (job)" | "fonction" | "cargo" => c(Field::Title, 0, ""),
        "e-mail address"
        | "email address"
        | "email"
        | "e-mail"
        | "primary email"
        | "e-mail-adresse"
        | "adresse de messagerie" => c(Field::Email, 1, ""),
        "e-mail 2 address" | "secondary email" | "e-mail 2: adresse" | "e-mail-adresse 2" => {
            c(Field::Email, 2, "")
        }
        "e-mail 3 address" | "e-mail-adresse 3" => c(Field::Email, 3, ""),
        "email home" => c(Field::Email, 11, "home"),
        "email work" => c(Field::Email, 12, "work"),
        "email other" => c(Field::Email, 13, "other"),
        "mobile phone" | "mobile number" | "mobile" | "home mobile" | "mobiltelefon"
        | "téléphone mobile" => c(Field::Phone, 1, "mobile"),
        "business phone" | "work phone" | "telefon geschäftlich" | "téléphone bureau" => {
            c(Field::Phone, 2, "work")
        }
        "business phone 2" => c(Field::Phone, 3, "work"),
        "home phone" | "telefon privat" | "téléphone domicile" => c(Field::Phone, 4, "home"),
        "home phone 2" => c(Field::Phone, 5, "home"),
        "primary phone" | "phone" | "telephone" | "telefon" | "téléphone" => {
            c(Field::Phone, 6, "")
        }
        "other phone" => c(Field::Phone, 7, "other"),
        "company main phone" => c(Field::Phone, 8, "work"),
        // Outlook's other phone columns: each number keeps the kind its column names.
        "business fax" => c(Field::Phone, 9, "work fax"),
        "home fax" => c(Field::Phone, 10, "home fax"),
        "other fax" => c(Field::Phone, 11, "other fax"),
        "pager" => c(Field::Phone, 12, "pager"),
        "car phone" => c(Field::Phone, 13, "car"),
        "assistant's phone" => c(Field::Phone, 14, "assistant"),
        "callback" => c(Field::Phone, 15, "callback"),
        "isdn" => c(Field::Phone, 16, "isdn"),
        "radio phone" => c(Field::Phone, 17, "radio"),
        "tty/tdd phone" => c(Field::Phone, 18, "tty/tdd"),
        "telex" => c(Field::Phone, 19, "telex"),
        "business street" | "work address" | "work street" => c(Field::Street, 1, "work"),
        "business city" | "work city" => c(Field::City, 1, "work"),
        "business state" | "work state" => c(Field::Region, 1, "work"),
        "business postal code" | "work zip" | "work zipcode" => c(Field::PostalCode, 1, "work"),
        "business country/region" | "business country" | "work country" => {
            c(Field::Country, 1, "work")
        }
        "home street" | "home address" => c(Field::Street, 2, "home"),
        "home city" => c(Field::City, 2, "home"),
        "home state" => c(Field::Region, 2, "home"),
        "home postal code" | "home zip" | "home zipcode" => c(Field::PostalCode, 2, "home"),
        "home country/region" | "home country" => c(Field::Country, 2, "home"),
        "street" | "address" | "straße" | "adresse" => c(Field::Street, 3, ""),
        "city" | "ort" | "ville" => c(Field::City, 3, ""),
        "state" | "region" => c(Field::Region, 3, ""),
        "zip" | "postal code" | "postcode" | "zip code" | "postleitzahl" | "code postal" => {
            c(Field::PostalCode, 3, "")
        }
        "country" | "land" | "pays" => c(Field::Country, 3, ""),
        "birthday" | "date of birth" | "geburtstag" | "anniversaire" => c(Field::Birthday, 0, ""),
        "birth year" => c(Field::BirthYear, 0, ""),
        "birth month" => c(Field::BirthMonth, 0, ""),
        "birth day" => c(Field::BirthDay, 0, ""),
        "notes" | "note" | "notizen" | "remarques" => c(Field::Notes, 0, ""),
        "labels" | "categories" | "group membership" | "tags" | "kategorien" | "catégories" => {
            c(Field::Tags, 0, "")
        }
        "connected on" => c(Field::ConnectedOn, 0, ""),
        // Outlook in other languages translates every header.
        _ => super::localized::classify(&name).unwrap_or_else(Column::ignore),
    }
}

/// The target a person names in words (`--map "Handy=mobile phone"`): any field by the name
/// the window's drop-down shows ("Role / title", "E-mail"), or a common word for it.
pub fn target_by_words(words: &str) -> Option<Column> {
    let wanted = normalize(words);
    let c = |field, label: &str| Some(Column::new(field, 0, label));
    let by_alias = match wanted.as_str() {
        "ignore" | "none" | "skip" => c(Field::Ignore, ""),
        "name" | "display name" => c(Field::FullName, ""),
        "given name" => c(Field::GivenName, ""),
        "family name" | "surname" => c(Field::FamilyName, ""),
        "company" | "organisation" => c(Field::Organization, ""),
        "title" | "job title" | "role" | "position" => c(Field::Title, ""),
        "email" | "e-mail address" | "email address" => c(Field::Email, ""),
        "mobile" | "mobile phone" | "cell" | "cell phone" => c(Field::Phone, "mobile"),
        "work phone" | "business phone" => c(Field::Phone, "work"),
        "home phone" => c(Field::Phone, "home"),
        "fax" | "work fax" | "business fax" => c(Field::Phone, "work fax"),
        "pager" => c(Field::Phone, "pager"),
        "note" => c(Field::Notes, ""),
        "tags" | "labels" | "categories" => c(Field::Tags, ""),
        _ => None,
    };
    by_alias.or_else(|| {
        Field::ALL
            .iter()
            .find(|f| normalize(f.label()) == wanted || normalize(&format!("{f:?}")) == wanted)
            .map(|f| Column::new(*f, 0, ""))
    })
}

/// The default targets for a header row.
pub fn default_mapping(headers: &[String]) -> Vec<Column> {
    headers.iter().map(|h| classify(h)).collect()
}

/// A stable key for a header row, to remember the user's mapping for files like it.
pub fn header_signature(headers: &[String]) -> String {
    headers
        .iter()
        .map(|h| normalize(h))
        .collect::<Vec<_>>()
        .join("\u{1f}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(line: &str) -> Vec<String> {
        line.split(',').map(str::to_owned).collect()
    }

    #[test]
    fn formats_are_told_apart_by_their_headers() {
        assert_eq!(
            detect_format(&headers(
                "First Name,Last Name,URL,Email Address,Company,Position,Connected On"
            )),
            Format::LinkedIn
        );
        assert_eq!(
            detect_format(&headers(
                "Name,Given Name,Additional Name,Family Name,E-mail 1 - Type,E-mail 1 - Value"
            )),
            Format::GoogleOlder
        );
        assert_eq!(
            detect_format(&headers(
                "First Name,Middle Name,Last Name,Organization Name,Labels,E-mail 1 - Label,E-mail 1 - Value"
            )),
            Format::GoogleCurrent
        );
        assert_eq!(
            detect_format(&headers(
                "Title,First Name,Middle Name,Last Name,Suffix,Company,Job Title,E-mail Address"
            )),
            Format::Outlook
        );
        assert_eq!(
            detect_format(&headers(
                "First Name,Last Name,Display Name,Nickname,Primary Email"
            )),
            Format::Thunderbird
        );
        assert_eq!(detect_format(&headers("Kunde,Telefon")), Format::Generic);
    }

    #[test]
    fn numbered_and_named_columns_map_to_fields() {
        assert_eq!(
            classify("E-mail 2 - Value"),
            Column {
                field: Field::Email,
                slot: 2,
                implied_label: String::new()
            }
        );
        assert_eq!(classify("Phone 1 - Label").field, Field::PhoneLabel);
        assert_eq!(classify("Address 1 - Postal Code").field, Field::PostalCode);
        assert_eq!(classify("Organization 1 - Title").field, Field::Title);
        assert_eq!(classify("Business Phone").implied_label, "work");
        assert_eq!(classify("\u{feff}Vorname").field, Field::GivenName);
        assert_eq!(classify("Shoe size").field, Field::Ignore);
        assert_eq!(
            classify("File As").field,
            Field::FullName,
            "Google's display name"
        );
    }
}
