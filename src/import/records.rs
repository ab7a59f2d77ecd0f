//! Table rows to contact drafts, normalized: trimmed, names split or joined, Google's ` ::: `
//! multi-values and `* ` primary markers, phone numbers to E.164 where possible, birthdays in
//! the common forms (with or without a year), labels and categories to tags. Every row that
//! cannot be used says why.

use super::mapping::{Column, Field};
use super::table::Table;
use crate::model::{Address, Birthday, ContactDraft, Email, Phone};
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// One contact read from a file.
#[derive(Clone, Debug, PartialEq)]
pub struct ImportedContact {
    /// The row (CSV, 1-based after the header) or card number it came from.
    pub row: usize,
    pub draft: ContactDraft,
    /// LinkedIn's "Connected On", which becomes a timeline event.
    pub connected_on: Option<NaiveDate>,
    /// The image bytes of a vCard `PHOTO` as the file carried them (decoded from base64 or a
    /// `data:` URI, not yet checked to be an image: the store decodes and scales them).
    pub photo: Option<Vec<u8>>,
    /// The people a vCard names beside the contact (spouse, child…): the import records a
    /// relationship with those in Rapport or in the same file.
    pub relations: Vec<crate::model::card_relation::CardRelation>,
}

/// A row that was skipped or a value that was set aside, with the reason.
#[derive(Clone, Debug, PartialEq)]
pub struct RowProblem {
    pub row: usize,
    pub message: String,
}

/// Google joins several values in one cell with " ::: ".
fn split_multi(cell: &str) -> Vec<String> {
    cell.split(":::")
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())
        .collect()
}

/// "* Home" → ("home", primary).
fn clean_label(label: &str) -> (String, bool) {
    let trimmed = label.trim();
    match trimmed.strip_prefix('*') {
        Some(rest) => (rest.trim().to_lowercase(), true),
        None => (trimmed.to_lowercase(), false),
    }
}

/// Parses the birthday forms found in contact exports. `None` for blanks and Outlook's
/// "0/0/00"; `Err` with a sentence for anything else unreadable.
pub fn parse_birthday(text: &str) -> Result<Option<Birthday>, String> {
    let t = text.trim();
    if t.is_empty() || t == "0/0/00" || t == "00.00.0000" {
        return Ok(None);
    }
    let fail =
        || format!("\"{t}\" is not a birthday Rapport understands (use 1980-07-04 or --07-04)");
    if let Some(b) = Birthday::parse(t) {
        return Ok(Some(b));
    }
    if let Some(rest) = t.strip_prefix("--")
        && rest.len() == 4
        && rest.chars().all(|c| c.is_ascii_digit())
    {
        let (m, d) = rest.split_at(2);
        return Birthday::new(
            None,
            m.parse().map_err(|_| fail())?,
            d.parse().map_err(|_| fail())?,
        )
        .map(Some)
        .ok_or_else(fail);
    }
    if t.len() == 8 && t.chars().all(|c| c.is_ascii_digit()) {
        let (y, md) = t.split_at(4);
        let (m, d) = md.split_at(2);
        return Birthday::new(
            Some(y.parse().map_err(|_| fail())?),
            m.parse().map_err(|_| fail())?,
            d.parse().map_err(|_| fail())?,
        )
        .map(Some)
        .ok_or_else(fail);
    }
    for separator in ['/', '.'] {
        let parts: Vec<&str> = t.split(separator).collect();
        if parts.len() == 3
            && parts
                .iter()
                .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
        {
            let (a, b, y): (u32, u32, i32) = (
                parts[0].parse().map_err(|_| fail())?,
                parts[1].parse().map_err(|_| fail())?,
                parts[2].parse().map_err(|_| fail())?,
            );
            let year = if y < 100 {
                if y > 30 { 1900 + y } else { 2000 + y }
            } else {
                y
            };
            // Day first with dots (Germany) or when the first number cannot be a month.
            let (month, day) = if separator == '.' || a > 12 {
                (b, a)
            } else {
                (a, b)
            };
            return Birthday::new(Some(year), month, day)
                .map(Some)
                .ok_or_else(fail);
        }
    }
    for format in ["%d %b %Y", "%B %d, %Y", "%b %d, %Y", "%d %B %Y"] {
        if let Ok(d) = NaiveDate::parse_from_str(t, format) {
            use chrono::Datelike;
            return Birthday::new(Some(d.year()), d.month(), d.day())
                .map(Some)
                .ok_or_else(fail);
        }
    }
    Err(fail())
}

/// A phone number in E.164 ("+447700900123") when it parses for `region`, else as written.
pub fn normalize_phone(raw: &str, region: &str) -> String {
    let trimmed = raw.trim();
    if let Some(e164) = international_fast(trimmed) {
        return e164;
    }
    let country = region
        .to_ascii_uppercase()
        .parse::<phonenumber::country::Id>()
        .ok();
    match full_parse(country, trimmed) {
        // Only a form that reads back as itself: the parser can shorten its own output again
        // (a Brazilian carrier code, found by fuzzing: "+5590566666656" reads as
        // "+55566666656"), and normalizing a normalized number must change nothing.
        Some(e164)
            if international_fast(&e164).as_ref() == Some(&e164)
                || full_parse(None, &e164).as_ref() == Some(&e164) =>
        {
            e164
        }
        _ => trimmed.to_owned(),
    }
}

/// E.164 through the `phonenumber` parser, when the number fits its country's general pattern.
fn full_parse(country: Option<phonenumber::country::Id>, text: &str) -> Option<String> {
    let number = phonenumber::parse(country, text).ok()?;
    plausible(number.country().code(), &number.national().to_string())
        .then(|| number.format().mode(phonenumber::Mode::E164).to_string())
}

/// Numbers written in international form ("+44 7911 123456", "+1 (415) 555-2671") are most of
/// what contact files hold. Their E.164 form is the plus and the digits, once the country code
/// is known (codes are prefix-free) and the rest fits that country's general pattern — what
/// the full parser would give, at a fraction of its cost (a grammar, a dozen regular
/// expressions and a lock shared by every thread, ≈ 4 µs a number). It also reads the
/// "+44 (0)20 …" form, which the full parser gives up on. Anything else — an extension,
/// letters, a national number the full parser might shorten — returns `None` and goes to the
/// full parser.
fn international_fast(trimmed: &str) -> Option<String> {
    // "+44 (0)20 …": the trunk prefix is written for callers inside the country only.
    let rest = trimmed.strip_prefix('+')?.replacen("(0)", "", 1);
    if !rest
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b' ' | b'-' | b'.' | b'(' | b')' | b'/'))
    {
        return None;
    }
    let digits: String = rest
        .bytes()
        .filter(u8::is_ascii_digit)
        .map(char::from)
        .collect();
    // E.164 numbers have at most 15 digits; the shortest real ones about 7.
    if !(7..=15).contains(&digits.len()) {
        return None;
    }
    for length in 1..=3 {
        let code: u16 = digits[..length].parse().ok()?;
        let Some(regions) = phonenumber::metadata::DATABASE.by_code(&code) else {
            continue;
        };
        let national = &digits[length..];
        let may_strip_trunk = regions.iter().any(|meta| {
            let trunk = meta
                .national_prefix_for_parsing()
                .map(|r| r.as_str())
                .or(meta.national_prefix());
            trunk.is_some_and(|pattern| anchored_match(pattern, national, false))
        });
        return (!may_strip_trunk && plausible(code, national)).then(|| format!("+{digits}"));
    }
    None
}

/// The whole national number fits the general pattern of a region using country `code`.
/// `phonenumber::is_valid` goes on to try each number type (mobile, fixed line, toll free, …)
/// twice over, a dozen lookups per number in a regex cache behind one lock — 18 % of a
/// 100,000-row import — and decides nothing more that an import needs.
fn plausible(code: u16, national: &str) -> bool {
    phonenumber::metadata::DATABASE
        .by_code(&code)
        .is_some_and(|regions| {
            regions.iter().any(|meta| {
                anchored_match(
                    meta.descriptors().general().national_number().as_str(),
                    national,
                    true,
                )
            })
        })
}

/// `pattern` matches at the start of `text` (and, when `whole`, to its end). The compiled
/// patterns are kept per thread: the crate's own cache is one map behind one lock.
fn anchored_match(pattern: &str, text: &str, whole: bool) -> bool {
    type Compiled = std::collections::HashMap<String, Option<regex::Regex>>;
    thread_local! {
        static COMPILED: std::cell::RefCell<[Compiled; 2]> = std::cell::RefCell::default();
    }
    COMPILED.with(|compiled| {
        let compiled = &mut compiled.borrow_mut()[usize::from(whole)];
        if !compiled.contains_key(pattern) {
            let end = if whole { "$" } else { "" };
            // The metadata's patterns are written to be read with whitespace ignored.
            let regex = regex::RegexBuilder::new(&format!("^(?:{pattern}){end}"))
                .ignore_whitespace(true)
                .build()
                .ok();
            compiled.insert(pattern.to_owned(), regex);
        }
        let regex = &compiled[pattern];
        regex.as_ref().is_some_and(|r| r.is_match(text))
    })
}

/// Tags from Google labels / Outlook categories, without Google's system groups.
fn tags_from(cell: &str) -> Vec<String> {
    cell.split(":::")
        .flat_map(|part| part.split(';'))
        .map(|t| t.trim().trim_start_matches('*').trim().to_owned())
        .filter(|t| !t.is_empty())
        .filter(|t| {
            !matches!(
                t.to_lowercase().as_str(),
                "mycontacts" | "my contacts" | "starred"
            )
        })
        .collect()
}

/// Builds contacts from the table's rows using `mapping` (one target per column). Rows are
/// independent, so a large file is split across the machine's cores (phone numbers dominate);
/// contacts and problems come back in file order either way.
pub fn records_from_table(
    table: &Table,
    mapping: &[Column],
    phone_region: &str,
) -> (Vec<ImportedContact>, Vec<RowProblem>) {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(8));
    if threads < 2 || table.rows.len() < 4000 {
        return records_from_rows(&table.rows, 0, mapping, phone_region);
    }
    let chunk = table.rows.len().div_ceil(threads);
    let parts: Vec<(Vec<ImportedContact>, Vec<RowProblem>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = table
            .rows
            .chunks(chunk)
            .enumerate()
            .map(|(part, rows)| {
                scope.spawn(move || records_from_rows(rows, part * chunk, mapping, phone_region))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    });
    let mut contacts = Vec::with_capacity(table.rows.len());
    let mut problems = Vec::new();
    for (c, p) in parts {
        contacts.extend(c);
        problems.extend(p);
    }
    (contacts, problems)
}

/// What one row's cells said, gathered before they become a contact: e-mails, phones and
/// addresses by their column slot (a file's "E-mail 2" and "E-mail 2 type" go together).
#[derive(Default)]
struct RowParts {
    draft: ContactDraft,
    full_name: String,
    emails: BTreeMap<u16, (Vec<String>, String)>,
    phones: BTreeMap<u16, (Vec<String>, String)>,
    addresses: BTreeMap<u16, Address>,
    birth_parts: (Option<i32>, Option<u32>, Option<u32>),
    connected_on: Option<NaiveDate>,
    notes: Vec<String>,
}

/// `'=…`: a spreadsheet-safe cell (ours and others' exports write text that starts like a
/// formula this way); the text is what follows the apostrophe.
fn spreadsheet_text(value: &str) -> &str {
    match value.strip_prefix('\'') {
        Some(rest)
            if rest
                .trim_start_matches('\'')
                .starts_with(['=', '+', '-', '@', '\t', '\r']) =>
        {
            rest
        }
        _ => value,
    }
}

/// `rows` are the table's rows from index `first` on.
fn records_from_rows(
    rows: &[Vec<String>],
    first: usize,
    mapping: &[Column],
    phone_region: &str,
) -> (Vec<ImportedContact>, Vec<RowProblem>) {
    let mut contacts = Vec::with_capacity(rows.len());
    let mut problems = Vec::new();
    for (index, cells) in rows.iter().enumerate() {
        let row = first + index + 1;
        let mut parts = RowParts::default();
        for (column, cell) in mapping.iter().zip(cells) {
            let value = spreadsheet_text(cell.trim());
            if value.is_empty() || column.field == Field::Ignore {
                continue;
            }
            parts.take(column, value, row, &mut problems);
        }
        if let Some(contact) = parts.into_contact(row, phone_region, &mut problems) {
            contacts.push(contact);
        }
    }
    (contacts, problems)
}

impl RowParts {
    /// One cell, into the field its column was mapped to. A value the field cannot hold is a
    /// problem of the row, in words; the rest of the row is still read.
    fn take(&mut self, column: &Column, value: &str, row: usize, problems: &mut Vec<RowProblem>) {
        let set = |target: &mut String| {
            if target.is_empty() {
                *target = value.to_owned();
            }
        };
        match column.field {
            Field::Ignore => {}
            Field::FullName => set(&mut self.full_name),
            Field::GivenName => set(&mut self.draft.given_name),
            Field::MiddleName => set(&mut self.draft.middle_name),
            Field::FamilyName => set(&mut self.draft.family_name),
            Field::Prefix => set(&mut self.draft.prefix),
            Field::Suffix => set(&mut self.draft.suffix),
            Field::Nickname => set(&mut self.draft.nickname),
            Field::Organization => set(&mut self.draft.organization),
            Field::Title => set(&mut self.draft.title),
            Field::Email => self
                .emails
                .entry(column.slot)
                .or_insert_with(|| (Vec::new(), column.implied_label.clone()))
                .0
                .extend(split_multi(value)),
            Field::EmailLabel => {
                self.emails
                    .entry(column.slot)
                    .or_insert_with(|| (Vec::new(), String::new()))
                    .1 = value.to_owned()
            }
            Field::Phone => self
                .phones
                .entry(column.slot)
                .or_insert_with(|| (Vec::new(), column.implied_label.clone()))
                .0
                .extend(split_multi(value)),
            Field::PhoneLabel => {
                self.phones
                    .entry(column.slot)
                    .or_insert_with(|| (Vec::new(), String::new()))
                    .1 = value.to_owned()
            }
            Field::Street
            | Field::City
            | Field::Region
            | Field::PostalCode
            | Field::Country
            | Field::AddressLabel => {
                let a = self
                    .addresses
                    .entry(column.slot)
                    .or_insert_with(|| Address {
                        label: column.implied_label.clone(),
                        ..Address::default()
                    });
                let part = match column.field {
                    Field::Street => &mut a.street,
                    Field::City => &mut a.city,
                    Field::Region => &mut a.region,
                    Field::PostalCode => &mut a.postal_code,
                    Field::Country => &mut a.country,
                    _ => &mut a.label,
                };
                *part = value.replace(":::", ",");
            }
            Field::Birthday => match parse_birthday(value) {
                Ok(b) => self.draft.birthday = self.draft.birthday.or(b),
                Err(message) => problems.push(RowProblem {
                    row,
                    message: format!("{message}; the birthday was left empty"),
                }),
            },
            Field::BirthYear => self.birth_parts.0 = value.parse().ok(),
            Field::BirthMonth => self.birth_parts.1 = value.parse().ok(),
            Field::BirthDay => self.birth_parts.2 = value.parse().ok(),
            Field::Notes => self.notes.push(value.to_owned()),
            Field::Tags => {
                for tag in tags_from(value) {
                    if !self.draft.tags.iter().any(|t| t.eq_ignore_ascii_case(&tag)) {
                        self.draft.tags.push(tag);
                    }
                }
            }
            Field::Custom => {
                self.draft
                    .custom_fields
                    .entry(column.implied_label.clone())
                    .or_insert_with(|| value.to_owned());
            }
            Field::ConnectedOn => match NaiveDate::parse_from_str(value, "%d %b %Y")
                .or_else(|_| NaiveDate::parse_from_str(value, "%Y-%m-%d"))
            {
                Ok(date) => self.connected_on = Some(date),
                Err(_) => problems.push(RowProblem {
                    row,
                    message: format!("\"{value}\" is not a date; the connection date was left out"),
                }),
            },
        }
    }

    /// The contact the row makes, or none (with the reason) when it names nobody.
    fn into_contact(
        self,
        row: usize,
        phone_region: &str,
        problems: &mut Vec<RowProblem>,
    ) -> Option<ImportedContact> {
        let RowParts {
            draft: mut d,
            full_name,
            emails,
            phones,
            addresses,
            birth_parts,
            connected_on,
            mut notes,
        } = self;
        if d.birthday.is_none()
            && let (year, Some(month), Some(day)) = birth_parts
        {
            d.birthday = Birthday::new(year, month, day);
        }
        // A set, not a scan per address: one cell may hold thousands of `:::`-joined e-mails.
        let mut seen_emails = std::collections::HashSet::new();
        for (_, (values, label)) in emails {
            let (label, primary) = clean_label(&label);
            for address in values {
                if !address.contains('@') {
                    problems.push(RowProblem {
                        row,
                        message: format!(
                            "\"{address}\" is not an e-mail address; it was kept in the notes"
                        ),
                    });
                    notes.push(format!("E-mail as written: {address}"));
                    continue;
                }
                let email = Email {
                    label: label.clone(),
                    address: address.to_lowercase(),
                };
                // The same address in two columns is one e-mail, and the row is still read.
                if !seen_emails.insert(email.address.to_ascii_lowercase()) {
                    continue;
                }
                if primary {
                    d.emails.insert(0, email)
                } else {
                    d.emails.push(email)
                }
            }
        }
        for (_, (values, label)) in phones {
            let (label, primary) = clean_label(&label);
            for number in values {
                let phone = Phone {
                    label: label.clone(),
                    number: normalize_phone(&number, phone_region),
                };
                // Outlook's Primary Phone often repeats the Business Phone: listed once.
                if d.phones.iter().any(|p| p.number == phone.number) {
                    continue;
                }
                if primary {
                    d.phones.insert(0, phone)
                } else {
                    d.phones.push(phone)
                }
            }
        }
        for (_, mut address) in addresses {
            if !address.is_blank() {
                address.label = clean_label(&address.label).0;
                d.addresses.push(address);
            }
        }
        d.personal_notes = notes.join("\n");
        // Names: use the full name as given; split it when no parts were given, join the parts
        // when it is missing.
        let full_name = full_name.trim().to_owned();
        if !full_name.is_empty() {
            if d.given_name.is_empty() && d.family_name.is_empty() {
                let words: Vec<&str> = full_name.split_whitespace().collect();
                if words.len() >= 2 && !full_name.contains(',') && !full_name.contains('@') {
                    d.family_name = words[words.len() - 1].to_owned();
                    d.given_name = words[..words.len() - 1].join(" ");
                }
            }
            d.display_name = full_name;
        }
        if d.effective_display_name().is_empty() && d.phones.is_empty() {
            problems.push(RowProblem {
                row,
                message: "it has no name, e-mail, phone or organization, so it was skipped"
                    .to_owned(),
            });
            return None;
        }
        if d.effective_display_name().is_empty() {
            d.display_name = d.phones[0].number.clone();
        }
        d.display_name = d.effective_display_name();
        Some(ImportedContact {
            row,
            draft: d,
            connected_on,
            photo: None,
            relations: Vec::new(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn birthdays_in_the_forms_exports_use() {
        let b = |t: &str| parse_birthday(t).unwrap().map(|b| b.to_string());
        assert_eq!(b("1980-07-04").as_deref(), Some("1980-07-04"));
        assert_eq!(b("--12-01").as_deref(), Some("--12-01"));
        assert_eq!(b("--1201").as_deref(), Some("--12-01"));
        assert_eq!(b("19800704").as_deref(), Some("1980-07-04"));
        assert_eq!(
            b("7/4/1980").as_deref(),
            Some("1980-07-04"),
            "US month first"
        );
        assert_eq!(
            b("20/01/1991").as_deref(),
            Some("1991-01-20"),
            "day first when it cannot be a month"
        );
        assert_eq!(
            b("04.07.1980").as_deref(),
            Some("1980-07-04"),
            "German dots are day first"
        );
        assert_eq!(b("0/0/00"), None);
        assert!(parse_birthday("soon").is_err());
        assert!(parse_birthday("31/31/1999").is_err());
        // Found by fuzzing: chrono's %Y reads signed years, which "-027-12-01" cannot give back.
        assert!(parse_birthday("1dec-27").is_err());
        assert!(parse_birthday("1 Dec 12345").is_err());
        assert_eq!(Birthday::new(Some(-27), 12, 1), None);
        assert_eq!(
            Birthday::new(Some(9999), 12, 31).map(|b| Birthday::parse(&b.to_string())),
            Some(Birthday::new(Some(9999), 12, 31))
        );
    }

    #[test]
    fn phones_become_e164_where_they_parse() {
        assert_eq!(normalize_phone("+44 7911 123456", "US"), "+447911123456");
        assert_eq!(normalize_phone("07911 123456", "gb"), "+447911123456");
        // Ofcom's range for fiction has the shape of a UK mobile number: normalized, so the
        // same number written two ways still matches.
        assert_eq!(normalize_phone("07700 900123", "GB"), "+447700900123");
        // Too short or too long for the country: kept as written.
        assert_eq!(normalize_phone("0791 12", "GB"), "0791 12");
        assert_eq!(
            normalize_phone("+44 7911 123456 789", "GB"),
            "+44 7911 123456 789"
        );
        assert_eq!(normalize_phone("(415) 555-2671", "US"), "+14155552671");
        assert_eq!(normalize_phone("ext. 12", "GB"), "ext. 12");
        assert_eq!(
            normalize_phone("+44 (0)20 7946 0958", "US"),
            "+442079460958"
        );
        assert_eq!(normalize_phone("+49 30/901820", "GB"), "+4930901820");
        // Found by fuzzing: the parser reads its own E.164 output as another number.
        let raw = "9-09-05666666K6";
        let once = normalize_phone(raw, "BR");
        assert_eq!(normalize_phone(&once, "BR"), once);
    }

    /// The shortcut for international numbers gives what the full parser gives, or steps aside.
    #[test]
    fn the_international_shortcut_agrees_with_the_full_parser() {
        let full = |raw: &str| match phonenumber::parse(None, raw) {
            Ok(number) if plausible(number.country().code(), &number.national().to_string()) => {
                number.format().mode(phonenumber::Mode::E164).to_string()
            }
            _ => raw.to_owned(),
        };
        let codes = [
            "1", "7", "20", "27", "31", "33", "34", "39", "41", "44", "49", "52", "54", "55", "61",
            "81", "86", "91", "234", "353", "358", "380", "971", "998",
        ];
        let separators = [" ", "-", ".", "", " (", ") ", "/"];
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        let (mut fast, mut checked) = (0, 0);
        for _ in 0..5_000 {
            let mut raw = format!("+{}", codes[next(codes.len() as u64) as usize]);
            for _ in 0..(5 + next(9)) {
                if next(4) == 0 {
                    raw.push_str(separators[next(separators.len() as u64) as usize]);
                }
                raw.push(char::from(b'0' + next(10) as u8));
            }
            checked += 1;
            let expected = full(&raw);
            if let Some(shortcut) = international_fast(&raw) {
                fast += 1;
                // The crate cannot read a few punctuations ("+52458.0522595": "invalid
                // country code"); only where it reads the number must the two agree.
                if expected.starts_with('+')
                    && expected[1..].bytes().all(|b| b.is_ascii_digit())
                    && !raw.contains("(0)")
                {
                    assert_eq!(shortcut, expected, "{raw}");
                }
            }
        }
        // The shortcut must actually take most well-formed numbers, or it is not one.
        assert!(
            fast * 10 > checked,
            "only {fast} of {checked} took the shortcut"
        );
    }
}
