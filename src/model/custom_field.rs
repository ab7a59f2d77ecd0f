//! Custom fields: what the owner adds to every contact or organization ("Account number",
//! "Shop size", "Contract renewal"), of five kinds. A value is kept as text in one canonical
//! form — a number as Rust writes it, a date as `YYYY-MM-DD`, yes/no as `1`/`0`, a choice as its
//! label — so the store compares, indexes and exports it as it is. This file reads what people
//! type into that form (or says in a sentence why it cannot), shows it back in words, and
//! names the follow-up a date field asks for. Pure: no SQL, no egui.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Identifies a custom field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct FieldId(pub i64);

impl std::fmt::Display for FieldId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// What a field holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum FieldKind {
    Text,
    Number,
    Date,
    YesNo,
    Choice,
}

impl FieldKind {
    pub const ALL: [FieldKind; 5] = [
        FieldKind::Text,
        FieldKind::Number,
        FieldKind::Date,
        FieldKind::YesNo,
        FieldKind::Choice,
    ];

    /// As stored and as the command line names it: `text`, `number`, `date`, `yes-no`, `choice`.
    pub fn as_str(self) -> &'static str {
        match self {
            FieldKind::Text => "text",
            FieldKind::Number => "number",
            FieldKind::Date => "date",
            FieldKind::YesNo => "yes-no",
            FieldKind::Choice => "choice",
        }
    }

    /// In words, for the window.
    pub fn label(self) -> &'static str {
        match self {
            FieldKind::Text => "Text",
            FieldKind::Number => "Number",
            FieldKind::Date => "Date",
            FieldKind::YesNo => "Yes / no",
            FieldKind::Choice => "Choice list",
        }
    }

    /// The kind a person names, or a sentence listing the kinds there are.
    pub fn parse(text: &str) -> Result<Self, String> {
        let wanted = text
            .trim()
            .to_ascii_lowercase()
            .replace(['_', ' ', '/'], "-");
        Ok(match wanted.as_str() {
            "text" => FieldKind::Text,
            "number" | "numeric" => FieldKind::Number,
            "date" => FieldKind::Date,
            "yes-no" | "yesno" | "bool" | "boolean" | "checkbox" => FieldKind::YesNo,
            "choice" | "choices" | "list" | "choice-list" => FieldKind::Choice,
            _ => {
                return Err(format!(
                    "\"{}\" is not a kind of field; choose text, number, date, yes-no or choice.",
                    text.trim()
                ));
            }
        })
    }
}

/// Whose field it is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AppliesTo {
    #[default]
    Contact,
    Organization,
}

impl AppliesTo {
    pub const ALL: [AppliesTo; 2] = [AppliesTo::Contact, AppliesTo::Organization];

    pub fn as_str(self) -> &'static str {
        match self {
            AppliesTo::Contact => "contact",
            AppliesTo::Organization => "organization",
        }
    }

    /// "Contacts", "Organizations".
    pub fn label(self) -> &'static str {
        match self {
            AppliesTo::Contact => "Contacts",
            AppliesTo::Organization => "Organizations",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "contact" | "contacts" | "person" | "people" => Some(AppliesTo::Contact),
            "organization" | "organizations" | "organisation" | "organisations" | "company" => {
                Some(AppliesTo::Organization)
            }
            _ => None,
        }
    }
}

/// A field as the owner defines it (before it has an id and a place).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldDefinition {
    pub applies_to: AppliesTo,
    pub name: String,
    pub kind: Option<FieldKind>,
    /// The labels of a choice list, in order.
    pub choices: Vec<String>,
    /// A date field on contacts: a follow-up this many days before the date.
    pub remind_days_before: Option<i64>,
}

/// A defined field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomField {
    pub id: FieldId,
    pub applies_to: AppliesTo,
    pub name: String,
    pub kind: FieldKind,
    pub choices: Vec<String>,
    /// Its place among the fields of its kind of record (the form's order).
    pub position: i64,
    pub remind_days_before: Option<i64>,
}

/// The longest name a field may have, and the most days ahead a reminder may ask for.
pub const MAX_NAME: usize = 60;
pub const MAX_REMIND_DAYS: i64 = 3650;
/// The longest text value (a field is a line, not a letter).
pub const MAX_TEXT: usize = 2000;

/// A field name trimmed, or why it cannot be one. `=` is refused because the command line
/// reads `--field NAME=VALUE`, `"` because a vCard parameter (where an export names the
/// field) cannot hold it.
pub fn checked_name(name: &str) -> Result<String, String> {
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        return Err("Give the field a name, e.g. Shop size.".to_owned());
    }
    if name.chars().count() > MAX_NAME {
        return Err(format!(
            "A field's name is at most {MAX_NAME} characters; \"{name}\" is longer."
        ));
    }
    if name.contains(['=', '"']) || name.chars().any(char::is_control) {
        return Err(format!(
            "A field's name cannot hold \"=\", a double quote or line breaks: {name}."
        ));
    }
    Ok(name)
}

/// The labels of a choice list typed as "Small, Medium, Large" (or one a line), trimmed, blanks
/// left out.
pub fn parse_choices(text: &str) -> Vec<String> {
    text.split([',', '\n'])
        .map(|c| c.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|c| !c.is_empty())
        .collect()
}

/// Checks a list of choices for a field named `name`.
pub fn checked_choices(name: &str, choices: &[String]) -> Result<Vec<String>, String> {
    let choices: Vec<String> = choices
        .iter()
        .map(|c| c.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|c| !c.is_empty())
        .collect();
    if choices.is_empty() {
        return Err(format!(
            "{name} is a choice list: give its choices, e.g. Small, Medium, Large."
        ));
    }
    for (i, choice) in choices.iter().enumerate() {
        if choices[..i].iter().any(|c| c.eq_ignore_ascii_case(choice)) {
            return Err(format!("{name} offers \"{choice}\" twice."));
        }
        if choice.chars().count() > MAX_NAME || choice.chars().any(char::is_control) {
            return Err(format!(
                "A choice is one line of at most {MAX_NAME} characters: \"{choice}\" is not."
            ));
        }
    }
    Ok(choices)
}

/// Checks how many days before a date field's date its reminder comes.
pub fn checked_remind_days(
    name: &str,
    kind: FieldKind,
    applies_to: AppliesTo,
    days: Option<i64>,
) -> Result<Option<i64>, String> {
    let Some(days) = days else { return Ok(None) };
    if kind != FieldKind::Date {
        return Err(format!(
            "Only a date field can remind you; {name} is not a date."
        ));
    }
    if applies_to != AppliesTo::Contact {
        return Err(format!(
            "Reminders come for a contact's date; {name} is an organization's field (follow-ups belong to a person)."
        ));
    }
    if !(0..=MAX_REMIND_DAYS).contains(&days) {
        return Err(format!(
            "A reminder comes 0 to {MAX_REMIND_DAYS} days before the date, not {days}."
        ));
    }
    Ok(Some(days))
}

impl FieldDefinition {
    /// The definition made ready to store (name and choices trimmed), or a sentence saying
    /// what is wrong with it.
    pub fn checked(&self) -> Result<FieldDefinition, String> {
        let name = checked_name(&self.name)?;
        let kind = self.kind.ok_or_else(|| {
            format!("Choose what {name} holds: text, a number, a date, yes/no or a choice.")
        })?;
        let choices = if kind == FieldKind::Choice {
            checked_choices(&name, &self.choices)?
        } else if self.choices.iter().any(|c| !c.trim().is_empty()) {
            return Err(format!(
                "Only a choice list has choices; {name} is {}.",
                kind.label().to_lowercase()
            ));
        } else {
            Vec::new()
        };
        let remind_days_before =
            checked_remind_days(&name, kind, self.applies_to, self.remind_days_before)?;
        Ok(FieldDefinition {
            applies_to: self.applies_to,
            name,
            kind: Some(kind),
            choices,
            remind_days_before,
        })
    }
}

impl CustomField {
    /// What was typed, in the canonical form the store keeps (`None`: blank, no value), or a
    /// sentence saying why it is not a value of this field ("Shop size is a number: "big" is
    /// not.").
    pub fn canonical(&self, typed: &str) -> Result<Option<String>, String> {
        let text = typed.trim();
        if text.is_empty() {
            return Ok(None);
        }
        let name = &self.name;
        let value = match self.kind {
            FieldKind::Text => {
                if text.chars().count() > MAX_TEXT {
                    return Err(format!(
                        "{name} holds at most {MAX_TEXT} characters; this is longer."
                    ));
                }
                text.to_owned()
            }
            FieldKind::Number => canonical_number(text)
                .ok_or_else(|| format!("{name} is a number: \"{text}\" is not."))?,
            FieldKind::Date => parse_date(text)
                .map(|d| d.format("%Y-%m-%d").to_string())
                .ok_or_else(|| format!("{name} is a date (like 2027-03-01): \"{text}\" is not."))?,
            FieldKind::YesNo => match parse_yes_no(text) {
                Some(true) => "1".to_owned(),
                Some(false) => "0".to_owned(),
                None => return Err(format!("{name} is yes or no: \"{text}\" is not.")),
            },
            FieldKind::Choice => self
                .choices
                .iter()
                .find(|c| c.eq_ignore_ascii_case(text))
                .cloned()
                .ok_or_else(|| {
                    format!(
                        "{name} is one of {}: \"{text}\" is not.",
                        self.choices.join(", ")
                    )
                })?,
        };
        Ok(Some(value))
    }

    /// A canonical value as people read it: "Yes", "1 March 2027", the number, the text.
    pub fn display(&self, canonical: &str) -> String {
        match self.kind {
            FieldKind::YesNo => match canonical {
                "1" => "Yes".to_owned(),
                "0" => "No".to_owned(),
                other => other.to_owned(),
            },
            FieldKind::Date => parse_date(canonical)
                .map(long_date)
                .unwrap_or_else(|| canonical.to_owned()),
            _ => canonical.to_owned(),
        }
    }

    /// The follow-up a date value asks for, when this field reminds: its due day and its
    /// words ("Contract renewal on 1 March 2027").
    pub fn reminder(&self, canonical: &str) -> Option<(NaiveDate, String)> {
        let days = self.remind_days_before?;
        if self.kind != FieldKind::Date || self.applies_to != AppliesTo::Contact {
            return None;
        }
        let date = parse_date(canonical)?;
        let due = date.checked_sub_days(chrono::Days::new(days.max(0) as u64))?;
        Some((due, format!("{} on {}", self.name, long_date(date))))
    }
}

/// "1 March 2027".
pub fn long_date(date: NaiveDate) -> String {
    date.format("%-d %B %Y").to_string()
}

/// A number as Rust writes it ("12", "12.5", "-3"), read from "12", "12.50", "+3", "1e3", or
/// "1 000" / "1_000" (spaces and underscores between digits); `None` for anything else,
/// infinity and NaN included. A comma is refused rather than guessed (a decimal point in
/// some countries, a thousands separator in others).
pub fn canonical_number(text: &str) -> Option<String> {
    let compact: String = text
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '_' | '\u{a0}'))
        .collect();
    if compact.is_empty() || compact.contains(',') {
        return None;
    }
    let value: f64 = compact.parse().ok()?;
    if !value.is_finite() {
        return None;
    }
    // No "-0": zero is zero.
    let value = if value == 0.0 { 0.0 } else { value };
    Some(format!("{value}"))
}

/// A date typed as 2027-03-01, 1 March 2027, 1 Mar 2027, March 1, 2027 or 01.03.2027. Slashes
/// are refused: 03/01/2027 is March in one country and January in another.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    [
        "%Y-%m-%d",
        "%d %B %Y",
        "%d %b %Y",
        "%B %d, %Y",
        "%b %d, %Y",
        "%B %d %Y",
        "%d.%m.%Y",
    ]
    .iter()
    .find_map(|format| NaiveDate::parse_from_str(text, format).ok())
    .filter(|d| (1..=9999).contains(&chrono::Datelike::year(d)))
}

/// Yes or no in the words people (and spreadsheets) use.
pub fn parse_yes_no(text: &str) -> Option<bool> {
    match text.trim().to_lowercase().as_str() {
        "1" | "yes" | "y" | "true" | "x" | "on" | "ja" | "oui" | "sí" | "si" => Some(true),
        "0" | "no" | "n" | "false" | "off" | "nein" | "non" => Some(false),
        _ => None,
    }
}

/// The field of `fields` called `name`, without regard to (ASCII) case, as the database
/// compares names.
pub fn find<'a>(fields: &'a [CustomField], name: &str) -> Option<&'a CustomField> {
    let name = name.trim();
    fields.iter().find(|f| f.name.eq_ignore_ascii_case(name))
}

/// The words a contact's values add to their search document: each field's name with its
/// value, so "Account 4711" finds the contact whose Account number is 4711 and "VIP" the
/// contacts marked yes. A value of `0` (a yes/no field's "no", or a number 0) adds nothing:
/// searching a field's name should not find those who are not.
pub fn search_words(values: &BTreeMap<String, String>) -> String {
    values
        .iter()
        .filter(|(_, v)| !v.trim().is_empty() && v.as_str() != "0")
        .map(|(name, value)| format!("{name} {value}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Makes the values a file brought fit `fields` (keyed by their names as defined, in
/// canonical form) and says, in a sentence each, which were left out: one the file names but
/// no field here is called, or one the field cannot hold.
pub fn clean_values(values: &mut BTreeMap<String, String>, fields: &[CustomField]) -> Vec<String> {
    let mut problems = Vec::new();
    let mut cleaned = BTreeMap::new();
    for (name, value) in std::mem::take(values) {
        let Some(field) = find(fields, &name) else {
            problems.push(format!(
                "there is no custom field \"{name}\" here, so its value \"{value}\" was left out"
            ));
            continue;
        };
        match field.canonical(&value) {
            Ok(Some(canonical)) => {
                cleaned.entry(field.name.clone()).or_insert(canonical);
            }
            Ok(None) => {}
            Err(sentence) => problems.push(format!(
                "{}; it was left out",
                sentence.trim_end_matches('.')
            )),
        }
    }
    *values = cleaned;
    problems
}

/// How the contact list is narrowed by a field: one field, and what its value must be.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldFilter {
    pub field: FieldId,
    /// The field's name, for saying what the list shows, and its kind (a range of numbers
    /// compares as numbers).
    pub name: String,
    pub kind: FieldKind,
    pub wanted: FieldMatch,
}

/// What a field's value must be for a contact to be listed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum FieldMatch {
    /// Exactly this canonical value (choices, yes/no, a number or a date).
    Is(String),
    /// Text that contains these words (without case).
    Contains(String),
    /// A number or date from `from` to `to` (either end open).
    Between {
        from: Option<String>,
        to: Option<String>,
    },
}

impl FieldFilter {
    /// The filter a person means by `typed` for `field`: text contains it; a number or date
    /// is that value, or a range written `from..to` (either end may be left out); a choice or
    /// yes/no is exactly it. A sentence when it is not a value of the field.
    pub fn parse(field: &CustomField, typed: &str) -> Result<FieldFilter, String> {
        let text = typed.trim();
        let one = |t: &str| -> Result<Option<String>, String> { field.canonical(t) };
        let wanted = match field.kind {
            FieldKind::Text => FieldMatch::Contains(text.to_owned()),
            FieldKind::Number | FieldKind::Date if text.contains("..") => {
                let (from, to) = text.split_once("..").unwrap_or((text, ""));
                FieldMatch::Between {
                    from: one(from)?,
                    to: one(to)?,
                }
            }
            _ => FieldMatch::Is(one(text)?.ok_or_else(|| {
                format!("Say which {} to list, e.g. {}.", field.name, example(field))
            })?),
        };
        Ok(FieldFilter {
            field: field.id,
            name: field.name.clone(),
            kind: field.kind,
            wanted,
        })
    }

    /// "Shop size is Large", "Contract renewal from 2027-01-01 to 2027-06-30".
    pub fn describe(&self) -> String {
        match &self.wanted {
            FieldMatch::Is(value) => format!("{} is {value}", self.name),
            FieldMatch::Contains(words) => format!("{} contains \"{words}\"", self.name),
            FieldMatch::Between { from, to } => match (from, to) {
                (Some(f), Some(t)) => format!("{} from {f} to {t}", self.name),
                (Some(f), None) => format!("{} from {f}", self.name),
                (None, Some(t)) => format!("{} up to {t}", self.name),
                (None, None) => format!("{} has a value", self.name),
            },
        }
    }
}

/// What removing a field took away, and what became of the follow-ups it made.
pub fn removed_sentence(name: &str, values: usize, open_reminders: usize) -> String {
    let values = match values {
        0 => "no values".to_owned(),
        1 => "its one value".to_owned(),
        n => format!("its {n} values"),
    };
    let reminders = match open_reminders {
        0 => String::new(),
        1 => " Its open follow-up stays, as an ordinary follow-up.".to_owned(),
        n => format!(" Its {n} open follow-ups stay, as ordinary follow-ups."),
    };
    format!("Removed {name} and {values}.{reminders}")
}

/// A value of the field, for a sentence that shows what to type.
pub fn example(field: &CustomField) -> String {
    match field.kind {
        FieldKind::Text => "any text".to_owned(),
        FieldKind::Number => "42".to_owned(),
        FieldKind::Date => "2027-03-01".to_owned(),
        FieldKind::YesNo => "yes".to_owned(),
        FieldKind::Choice => field.choices.first().cloned().unwrap_or_default(),
    }
}

#[cfg(test)]
#[path = "custom_field_tests.rs"]
mod tests;
