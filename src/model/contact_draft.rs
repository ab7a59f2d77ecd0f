//! A contact as typed, imported or merged: its name, ways to reach them, birthday and
//! addresses, and how two drafts of the same person merge.

use super::Stage;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A birthday whose year is often unknown ("--12-01" in a vCard, "Dec 1" from a customer).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Birthday {
    pub year: Option<i32>,
    pub month: u32,
    pub day: u32,
}

impl Birthday {
    /// Builds a birthday if the month/day pair exists in some year (29 February is allowed
    /// without a year) and the year has at most four digits, so that `YYYY-MM-DD` text reads
    /// back to the same birthday (chrono's `%Y` would otherwise let "1 Dec -27" in).
    pub fn new(year: Option<i32>, month: u32, day: u32) -> Option<Self> {
        if year.is_some_and(|y| !(0..=9999).contains(&y)) {
            return None;
        }
        let probe_year = year.unwrap_or(2000);
        NaiveDate::from_ymd_opt(probe_year, month, day)?;
        Some(Self { year, month, day })
    }

    /// Parses `YYYY-MM-DD`, `--MM-DD` (vCard, no year) and `MM-DD`.
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        if let Some(rest) = text.strip_prefix("--") {
            let (m, d) = rest.split_once('-')?;
            return Self::new(None, m.parse().ok()?, d.parse().ok()?);
        }
        let parts: Vec<&str> = text.split('-').collect();
        match parts.as_slice() {
            [y, m, d] => Self::new(Some(y.parse().ok()?), m.parse().ok()?, d.parse().ok()?),
            [m, d] => Self::new(None, m.parse().ok()?, d.parse().ok()?),
            _ => None,
        }
    }

    /// The next date on or after `today` when this birthday falls (28 Feb in common years for
    /// 29 Feb birthdays).
    pub fn next_on_or_after(&self, today: NaiveDate) -> NaiveDate {
        use chrono::Datelike;
        let in_year = |y: i32| {
            NaiveDate::from_ymd_opt(y, self.month, self.day)
                .or_else(|| NaiveDate::from_ymd_opt(y, self.month, self.day - 1))
        };
        match in_year(today.year()) {
            Some(d) if d >= today => d,
            _ => in_year(today.year() + 1).unwrap_or(today),
        }
    }
}

impl std::fmt::Display for Birthday {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.year {
            Some(y) => write!(f, "{y:04}-{:02}-{:02}", self.month, self.day),
            None => write!(f, "--{:02}-{:02}", self.month, self.day),
        }
    }
}

/// One labelled e-mail address ("work", "home", …).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Email {
    pub label: String,
    pub address: String,
}

/// One labelled phone number as the user typed it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Phone {
    pub label: String,
    pub number: String,
}

/// One labelled postal address.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Address {
    pub label: String,
    pub street: String,
    pub city: String,
    pub region: String,
    pub postal_code: String,
    pub country: String,
}

impl Address {
    /// True when every part is blank, so a form row left empty is not stored.
    pub fn is_blank(&self) -> bool {
        [
            &self.street,
            &self.city,
            &self.region,
            &self.postal_code,
            &self.country,
        ]
        .iter()
        .all(|s| s.trim().is_empty())
    }

    /// The address on one line, blank parts left out.
    pub fn one_line(&self) -> String {
        join_filled(
            &[
                &self.street,
                &self.city,
                &self.region,
                &self.postal_code,
                &self.country,
            ],
            ", ",
        )
    }
}

/// The parts trimmed, the blank ones left out, joined with `separator`.
fn join_filled(parts: &[&str], separator: &str) -> String {
    parts
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(separator)
}

/// Whether a name in Chinese, Japanese or Korean script is written family name first, as it is
/// in those languages ("山田 太郎", "王小明", "김민준"), and with what between the parts: a space
/// when it holds kana or the family name is longer than one character (Japanese: 山田 太郎),
/// nothing otherwise (Chinese and Korean: one-character family names, 王小明, 김민준). `None` for
/// a name in another script.
fn written_family_first(family: &str, given: &str) -> Option<&'static str> {
    let family = family.trim();
    let given = given.trim();
    if family.is_empty() || given.is_empty() || !(is_cjk(family) || is_cjk(given)) {
        return None;
    }
    let kana = |c: char| matches!(c, '\u{3040}'..='\u{30ff}' | '\u{31f0}'..='\u{31ff}');
    let japanese = family.chars().chain(given.chars()).any(kana);
    Some(
        if japanese || family.chars().count() > 1 && !is_hangul(family) {
            " "
        } else {
            ""
        },
    )
}

/// True when `text` is written in Han, kana or Hangul.
fn is_cjk(text: &str) -> bool {
    text.chars().any(|c| {
        matches!(c,
            '\u{3040}'..='\u{30ff}' // hiragana, katakana
            | '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}' | '\u{f900}'..='\u{faff}' // Han
            | '\u{ac00}'..='\u{d7af}' | '\u{1100}'..='\u{11ff}' // Hangul
        )
    })
}

fn is_hangul(text: &str) -> bool {
    text.chars()
        .any(|c| matches!(c, '\u{ac00}'..='\u{d7af}' | '\u{1100}'..='\u{11ff}'))
}

/// Everything the user can edit on a contact. Used for create, update and undo snapshots.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ContactDraft {
    pub prefix: String,
    pub given_name: String,
    pub middle_name: String,
    pub family_name: String,
    pub suffix: String,
    pub nickname: String,
    /// What the list shows. When blank, it is derived from the structured name parts.
    pub display_name: String,
    /// Organization name; matched case-insensitively to an existing organization or created.
    pub organization: String,
    pub title: String,
    pub is_decision_maker: bool,
    pub stage: Stage,
    pub birthday: Option<Birthday>,
    pub family: String,
    pub interests: String,
    pub personal_notes: String,
    pub how_we_met: String,
    /// Desired keep-in-touch cadence in days.
    pub cadence_days: Option<i64>,
    pub emails: Vec<Email>,
    pub phones: Vec<Phone>,
    pub addresses: Vec<Address>,
    pub tags: Vec<String>,
    /// The contact's vCard `UID`, which address books and sync tools know it by. The store
    /// gives a contact one when it is created (or keeps the one its vCard carried) and never
    /// changes it afterwards, so an edit or a merge leaves it as it was. Blank in a new draft.
    #[serde(default)]
    pub uid: String,
    /// Seen only by whoever made the contact, in a team database (the server enforces it).
    #[serde(default)]
    pub private: bool,
    /// The values of the owner's custom fields by field name, in their canonical form
    /// (`model::custom_field`); a field without a value is not here.
    #[serde(default)]
    pub custom_fields: std::collections::BTreeMap<String, String>,
}

impl ContactDraft {
    /// A draft with just a display name, for quick adds from the CLI and tests.
    pub fn named(name: &str) -> Self {
        Self {
            display_name: name.trim().to_owned(),
            ..Self::default()
        }
    }

    /// The name shown in lists: the display name, else the structured parts joined, else the
    /// first e-mail, else the organization.
    pub fn effective_display_name(&self) -> String {
        let trimmed = self.display_name.trim();
        if !trimmed.is_empty() {
            return trimmed.to_owned();
        }
        // "Mr." and "Dr." belong to the letterhead, not to the name a list is sorted by.
        let joined = match written_family_first(&self.family_name, &self.given_name) {
            Some(separator) => join_filled(
                &[&self.family_name, &self.given_name, &self.middle_name],
                separator,
            ),
            None => join_filled(
                &[
                    &self.given_name,
                    &self.middle_name,
                    &self.family_name,
                    &self.suffix,
                ],
                " ",
            ),
        };
        if !joined.is_empty() {
            return joined;
        }
        if let Some(email) = self.emails.iter().find(|e| !e.address.trim().is_empty()) {
            return email.address.trim().to_owned();
        }
        self.organization.trim().to_owned()
    }

    /// Checks the draft can be saved, returning a sentence for the user when it cannot.
    pub fn validate(&self) -> Result<(), String> {
        if self.effective_display_name().is_empty() {
            return Err("Give the contact a name (or at least an e-mail address).".to_owned());
        }
        for email in &self.emails {
            let address = email.address.trim();
            if !address.is_empty() && !address.contains('@') {
                return Err(format!(
                    "\"{address}\" does not look like an e-mail address."
                ));
            }
        }
        if let Some(days) = self.cadence_days
            && days <= 0
        {
            return Err("The keep-in-touch cadence must be at least one day.".to_owned());
        }
        Ok(())
    }
}

/// A stored contact as a contact export writes it: its fields (with its `uid`) and when it
/// last changed, which a vCard gives as `REV` so sync tools can tell the newer copy.
#[derive(Clone, Debug, PartialEq)]
pub struct ExportedContact {
    pub id: super::ContactId,
    pub draft: ContactDraft,
    pub revised_at: chrono::DateTime<chrono::Utc>,
    /// The contact's photo, written as the vCard's `PHOTO`.
    pub photo: Option<ContactPhoto>,
    /// The people they are related to, as the vCard's `RELATED`: the type word
    /// (`card_relation::vcard_type`) and the other person's UID.
    pub related: Vec<(String, String)>,
}

/// A contact's stored photo: PNG or JPEG bytes (at most 256 px) and their media type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContactPhoto {
    /// `image/png` or `image/jpeg`.
    pub mime: String,
    pub bytes: Vec<u8>,
}

/// What merging an imported contact into an existing one did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MergeReport {
    /// Fields filled or values added ("added e-mail ada@x.org", "filled title").
    pub changes: Vec<String>,
    /// Values the file has that differ from what is kept ("kept title Owner; the file says Buyer").
    pub conflicts: Vec<String>,
}

impl ContactDraft {
    /// Merges `other` into this draft: fills empty fields and adds new e-mails, phones,
    /// addresses and tags. A value already here is never overwritten; a different value in
    /// `other` is reported as a conflict.
    pub fn merge_from(&mut self, other: &ContactDraft) -> MergeReport {
        let mut report = MergeReport::default();
        let mut text = |name: &str, mine: &mut String, theirs: &str| {
            let theirs = theirs.trim();
            if theirs.is_empty() {
                return;
            }
            if mine.trim().is_empty() {
                *mine = theirs.to_owned();
                report.changes.push(format!("filled {name}"));
            } else if !mine.trim().eq_ignore_ascii_case(theirs) {
                report.conflicts.push(format!(
                    "kept {name} \"{}\"; the file says \"{theirs}\"",
                    mine.trim()
                ));
            }
        };
        text("first name", &mut self.given_name, &other.given_name);
        text("middle name", &mut self.middle_name, &other.middle_name);
        text("last name", &mut self.family_name, &other.family_name);
        text("prefix", &mut self.prefix, &other.prefix);
        text("suffix", &mut self.suffix, &other.suffix);
        text("nickname", &mut self.nickname, &other.nickname);
        text("organization", &mut self.organization, &other.organization);
        text("title", &mut self.title, &other.title);
        text("family", &mut self.family, &other.family);
        text("interests", &mut self.interests, &other.interests);
        text("how we met", &mut self.how_we_met, &other.how_we_met);
        // Notes add up: a different note is appended, never replacing what is there.
        let theirs = other.personal_notes.trim();
        if !theirs.is_empty() && !self.personal_notes.contains(theirs) {
            if self.personal_notes.trim().is_empty() {
                self.personal_notes = theirs.to_owned();
            } else {
                self.personal_notes = format!("{}\n{theirs}", self.personal_notes.trim_end());
            }
            report.changes.push("added notes".to_owned());
        }
        if self.display_name.trim().is_empty() {
            self.display_name = other.effective_display_name();
        }
        match (self.birthday, other.birthday) {
            (None, Some(b)) => {
                self.birthday = Some(b);
                report.changes.push("filled birthday".to_owned());
            }
            (Some(mine), Some(theirs)) if mine != theirs => {
                report
                    .conflicts
                    .push(format!("kept birthday {mine}; the file says {theirs}"));
            }
            _ => {}
        }
        // A set, not a scan per address: a card may hold thousands of e-mails.
        let mut known_emails: std::collections::HashSet<String> = self
            .emails
            .iter()
            .map(|e| e.address.to_ascii_lowercase())
            .collect();
        for email in &other.emails {
            if known_emails.insert(email.address.to_ascii_lowercase()) {
                self.emails.push(email.clone());
                report
                    .changes
                    .push(format!("added e-mail {}", email.address));
            }
        }
        let digits = |n: &str| n.chars().filter(char::is_ascii_digit).collect::<String>();
        for phone in &other.phones {
            if !self.phones.iter().any(|p| {
                digits(&p.number).ends_with(&digits(&phone.number))
                    || digits(&phone.number).ends_with(&digits(&p.number))
            }) {
                self.phones.push(phone.clone());
                report.changes.push(format!("added phone {}", phone.number));
            }
        }
        for address in &other.addresses {
            if !self
                .addresses
                .iter()
                .any(|a| a.one_line().eq_ignore_ascii_case(&address.one_line()))
            {
                self.addresses.push(address.clone());
                report.changes.push("added an address".to_owned());
            }
        }
        for tag in &other.tags {
            if !self.tags.iter().any(|t| t.eq_ignore_ascii_case(tag)) {
                self.tags.push(tag.clone());
                report.changes.push(format!("added tag {tag}"));
            }
        }
        for (name, theirs) in &other.custom_fields {
            match self.custom_fields.get(name) {
                None => {
                    self.custom_fields.insert(name.clone(), theirs.clone());
                    report.changes.push(format!("filled {name}"));
                }
                Some(mine) if mine != theirs => report.conflicts.push(format!(
                    "kept {name} \"{mine}\"; the file says \"{theirs}\""
                )),
                Some(_) => {}
            }
        }
        report
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(given: &str, family: &str) -> String {
        ContactDraft {
            given_name: given.into(),
            family_name: family.into(),
            ..ContactDraft::default()
        }
        .effective_display_name()
    }

    #[test]
    fn chinese_japanese_and_korean_names_are_written_family_name_first() {
        // 山田 太郎, 佐藤 はなこ, 王小明, 김민준: written as escapes, since the glyph test reads the
        // strings of these files and the bundled fonts have no CJK (system fonts draw them).
        assert_eq!(
            named("\u{592a}\u{90ce}", "\u{5c71}\u{7530}"),
            "\u{5c71}\u{7530} \u{592a}\u{90ce}"
        );
        assert_eq!(
            named("\u{306f}\u{306a}\u{3053}", "\u{4f50}\u{85e4}"),
            "\u{4f50}\u{85e4} \u{306f}\u{306a}\u{3053}"
        );
        assert_eq!(
            named("\u{5c0f}\u{660e}", "\u{738b}"),
            "\u{738b}\u{5c0f}\u{660e}"
        );
        assert_eq!(
            named("\u{bbfc}\u{c900}", "\u{ae40}"),
            "\u{ae40}\u{bbfc}\u{c900}"
        );
        assert_eq!(named("Maria", "Garc\u{ed}a"), "Maria Garc\u{ed}a");
        // A name with only one part, or a display name typed, is left as it is.
        assert_eq!(named("", "\u{5c71}\u{7530}"), "\u{5c71}\u{7530}");
        let typed = ContactDraft {
            display_name: "Taro Yamada".into(),
            given_name: "\u{592a}\u{90ce}".into(),
            family_name: "\u{5c71}\u{7530}".into(),
            ..ContactDraft::default()
        };
        assert_eq!(typed.effective_display_name(), "Taro Yamada");
    }
}
