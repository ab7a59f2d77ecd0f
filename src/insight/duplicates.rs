//! Duplicates among stored contacts: the keys a contact is matched by, blocking on them so
//! that only contacts sharing a key are compared (never every pair with every other), and the
//! reasons a pair is likely one person, in words ("same e-mail ana@lima.example", "Bob and
//! Robert Smith, both at Smith Plumbing"). Pure: the store streams the contacts in, the
//! window and the command line show what comes out. `merge` builds the merged contact.
//!
//! The keys: each e-mail (lowercased), each phone in E.164 (the importer's `normalize_phone`
//! with the user's phone country, so "07700 900123" and "+44 7700 900123" meet), and the name
//! at its organization: the family name folded (no case, no accents, other scripts
//! transliterated with `deunicode`, "ü" also as "ue") with the organization folded and without
//! its legal form ("Ltd", "GmbH", …); and the first name's nickname group with the
//! organization, so a family name with a typo is still compared. A key shared by more than
//! `CROWDED` contacts (an office's one e-mail, a family business's surname) is not compared
//! pair by pair; such keys are counted instead.

mod merge;
mod nicknames;

pub use merge::{FieldChoice, MergeField, Pick, merge_choices, merge_choices_in, merged_draft};

use crate::model::{ContactDraft, ContactId};
use std::sync::Arc;

/// Contacts sharing one key beyond this many are not compared pair by pair.
pub const CROWDED: usize = 100;

/// A family name this long or longer may be taken for another with one typo.
const TYPO_LENGTH: usize = 5;

/// A block key's hash takes the top 40 bits of a key entry, the contact's index the low 24:
/// eight bytes an entry. A collision of two keys' hashes only adds a pair to compare.
const INDEX_BITS: u32 = 24;

/// What the finder reads of one contact: its names, organization, e-mails and phones as
/// stored.
#[derive(Clone, Debug, PartialEq)]
pub struct Person {
    pub id: ContactId,
    pub name: String,
    pub given_name: String,
    pub family_name: String,
    pub nickname: String,
    pub organization: String,
    pub emails: Vec<String>,
    pub phones: Vec<String>,
}

impl Person {
    /// The person a contact draft describes (the contact form's, before it is saved).
    pub fn of_draft(id: ContactId, draft: &ContactDraft) -> Self {
        Self {
            id,
            name: draft.effective_display_name(),
            given_name: draft.given_name.clone(),
            family_name: draft.family_name.clone(),
            nickname: draft.nickname.clone(),
            organization: draft.organization.clone(),
            emails: draft.emails.iter().map(|e| e.address.clone()).collect(),
            phones: draft.phones.iter().map(|p| p.number.clone()).collect(),
        }
    }
}

/// One contact of a pair, as the list names them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PairSide {
    pub id: ContactId,
    pub name: String,
    pub organization: String,
}

/// Two contacts that are likely one person, with why, strongest reasons first. `first` has
/// the lower id; a pair is listed once however many keys it shares.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DuplicatePair {
    pub first: PairSide,
    pub second: PairSide,
    pub reasons: Vec<String>,
    /// Higher is surer: a shared e-mail or phone counts 4, the same name at the same
    /// organization 3, a nickname 2, an initial 1.
    pub score: u32,
}

/// What a search for duplicates found, and what it cost.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Found {
    pub pairs: Vec<DuplicatePair>,
    /// Contacts read.
    pub contacts: usize,
    /// Pairs compared (those sharing a key), against contacts × (contacts − 1) / 2.
    pub compared: usize,
    /// Keys shared by more than `CROWDED` contacts, not compared pair by pair.
    pub crowded_keys: usize,
}

/// A contact a new one looks like, for "Is this Robert Smith at Smith Plumbing?".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LookAlike {
    pub id: ContactId,
    pub name: String,
    pub organization: String,
    pub reasons: Vec<String>,
}

impl LookAlike {
    /// "Is this Robert Smith at Smith Plumbing?"
    pub fn question(&self) -> String {
        match self.organization.trim() {
            "" => format!("Is this {}?", self.name),
            org => format!("Is this {} at {org}?", self.name),
        }
    }
}

/// An organization as written and as its key; contacts at one share it.
#[derive(Debug)]
struct Org {
    name: Box<str>,
    key: Box<str>,
}

/// The organizations met so far, each folded once.
#[derive(Debug, Default)]
struct Orgs(std::collections::HashMap<Box<str>, Arc<Org>>);

impl Orgs {
    fn of(&mut self, name: &str) -> Arc<Org> {
        let name = name.trim();
        if let Some(org) = self.0.get(name) {
            return org.clone();
        }
        let org = Arc::new(Org {
            name: name.into(),
            key: organization_key(name).into(),
        });
        self.0.insert(name.into(), org.clone());
        org
    }
}

/// A contact as the finder compares it: its keys, folded once, kept small (a hundred
/// thousand of them are held at once).
#[derive(Debug)]
struct Entry {
    id: ContactId,
    name: Box<str>,
    org: Arc<Org>,
    /// The first word of the first name, folded ("" when the name has no two parts).
    given: Box<str>,
    given_raw: Box<str>,
    /// The nickname groups of `given` (`nicknames`).
    groups: Box<[u16]>,
    nickname: Box<str>,
    /// The family name folded without spaces; a second form with "ü" as "ue" when it has one.
    /// Empty when the name has no two parts.
    family: Box<[Box<str>]>,
    family_raw: Box<str>,
    emails: Box<[Box<str>]>,
    phones: Box<[Box<str>]>,
}

/// Sorted, without repeats, boxed.
fn key_list(mut keys: Vec<String>) -> Box<[Box<str>]> {
    keys.sort();
    keys.dedup();
    keys.into_iter().map(String::into_boxed_str).collect()
}

impl Entry {
    fn new(person: Person, region: &str, orgs: &mut Orgs) -> Self {
        let (given_raw, family_raw) = name_parts(&person);
        let given = fold(&given_raw)
            .split(' ')
            .next()
            .unwrap_or_default()
            .to_owned();
        let mut family = vec![fold(&family_raw).replace(' ', "")];
        if family_raw.contains(['ä', 'ö', 'ü', 'Ä', 'Ö', 'Ü']) {
            family.push(fold(&spell_umlauts(&family_raw)).replace(' ', ""));
        }
        if given.is_empty() || family[0].is_empty() {
            family.clear();
        }
        let emails = person
            .emails
            .iter()
            .map(|e| e.trim().to_lowercase())
            .filter(|e| e.contains('@'))
            .collect();
        let phones = person
            .phones
            .iter()
            .filter_map(|p| phone_key(p, region))
            .collect();
        Entry {
            id: person.id,
            org: orgs.of(&person.organization),
            groups: nicknames::groups_of(&given).into(),
            given: if family.is_empty() {
                "".into()
            } else {
                given.into()
            },
            given_raw: given_raw.into(),
            nickname: fold(&person.nickname).into(),
            family: family.into_iter().map(String::into_boxed_str).collect(),
            family_raw: family_raw.into(),
            emails: key_list(emails),
            phones: key_list(phones),
            name: person.name.into(),
        }
    }

    fn has_name(&self) -> bool {
        !self.family.is_empty()
    }

    fn side(&self) -> PairSide {
        PairSide {
            id: self.id,
            name: self.name.to_string(),
            organization: self.org.name.to_string(),
        }
    }

    /// The keys this contact is blocked on.
    fn blocks(&self) -> Vec<u64> {
        let mut keys: Vec<u64> = Vec::new();
        keys.extend(self.emails.iter().map(|e| block(1, &[e])));
        keys.extend(self.phones.iter().map(|p| block(2, &[p])));
        if self.has_name() {
            let org = &*self.org.key;
            keys.extend(self.family.iter().map(|f| block(3, &[f, org])));
            // A family name with one typo keeps its first two letters or its last two.
            let family: Vec<char> = self.family[0].chars().collect();
            if family.len() >= TYPO_LENGTH {
                let head: String = family[..2].iter().collect();
                let tail: String = family[family.len() - 2..].iter().collect();
                keys.push(block(4, &[&self.given, org, &head]));
                keys.push(block(5, &[&self.given, org, &tail]));
            }
        }
        keys.sort_unstable();
        keys.dedup();
        keys
    }
}

/// Collects contacts one at a time (the store streams them in) and finds the pairs.
pub struct Finder {
    region: String,
    orgs: Orgs,
    entries: Vec<Entry>,
    /// Each block key's hash with the index of a contact that has it (`INDEX_BITS`).
    keys: Vec<u64>,
}

impl Finder {
    /// `region` is the phone country numbers without "+" are read in ("GB", "US").
    pub fn new(region: &str) -> Self {
        Self::with_capacity(region, 0)
    }

    /// A finder with room for `contacts` (the store counts them first: no growing by doubling).
    pub fn with_capacity(region: &str, contacts: usize) -> Self {
        Self {
            region: region.to_owned(),
            orgs: Orgs::default(),
            entries: Vec::with_capacity(contacts),
            keys: Vec::with_capacity(contacts * 6),
        }
    }

    pub fn add(&mut self, person: Person) {
        let entry = Entry::new(person, &self.region, &mut self.orgs);
        let index = self.entries.len() as u64;
        assert!(index < 1 << INDEX_BITS, "at most 16 million contacts");
        self.keys.extend(
            entry
                .blocks()
                .into_iter()
                .map(|key| key << INDEX_BITS | index),
        );
        self.entries.push(entry);
    }

    /// The pairs, surest first; `not_same` lists pairs the person said are two people.
    pub fn finish(mut self, not_same: &[(ContactId, ContactId)]) -> Found {
        self.keys.sort_unstable();
        let mut candidates: Vec<(u32, u32)> = Vec::new();
        let mut crowded_keys = 0;
        let index = |key: u64| (key & ((1 << INDEX_BITS) - 1)) as u32;
        for run in self
            .keys
            .chunk_by(|a, b| a >> INDEX_BITS == b >> INDEX_BITS)
        {
            if run.len() > CROWDED {
                crowded_keys += 1;
                continue;
            }
            for (i, a) in run.iter().enumerate() {
                candidates.extend(run[i + 1..].iter().map(|b| (index(*a), index(*b))));
            }
        }
        drop(std::mem::take(&mut self.keys));
        candidates.sort_unstable();
        candidates.dedup();
        let mut pairs: Vec<DuplicatePair> = candidates
            .iter()
            .filter_map(|&(a, b)| {
                let (a, b) = (&self.entries[a as usize], &self.entries[b as usize]);
                let (a, b) = if a.id <= b.id { (a, b) } else { (b, a) };
                let dismissed = not_same.contains(&(a.id, b.id));
                let (reasons, score) = compare(a, b, false).filter(|_| !dismissed)?;
                Some(DuplicatePair {
                    first: a.side(),
                    second: b.side(),
                    reasons,
                    score,
                })
            })
            .collect();
        pairs.sort_by(|x, y| {
            y.score
                .cmp(&x.score)
                .then_with(|| x.first.name.cmp(&y.first.name))
                .then_with(|| x.first.id.cmp(&y.first.id))
                .then_with(|| x.second.id.cmp(&y.second.id))
        });
        Found {
            pairs,
            contacts: self.entries.len(),
            compared: candidates.len(),
            crowded_keys,
        }
    }
}

/// The pairs among `people` (for tests and small lists; the store streams into a `Finder`).
pub fn find_duplicates(people: impl IntoIterator<Item = Person>, region: &str) -> Found {
    let mut finder = Finder::new(region);
    for person in people {
        finder.add(person);
    }
    finder.finish(&[])
}

/// The stored contacts a new contact looks like, surest first. The new one may have no
/// organization yet: "Bob Smith" typed alone still asks about Robert Smith at Smith Plumbing.
pub fn look_alikes(new: Person, existing: Vec<Person>, region: &str) -> Vec<LookAlike> {
    let mut orgs = Orgs::default();
    let new = Entry::new(new, region, &mut orgs);
    let mut found: Vec<(u32, LookAlike)> = existing
        .into_iter()
        .map(|p| Entry::new(p, region, &mut orgs))
        .filter_map(|e| {
            let (reasons, score) = compare(&new, &e, true)?;
            Some((
                score,
                LookAlike {
                    id: e.id,
                    name: e.name.to_string(),
                    organization: e.org.name.to_string(),
                    reasons,
                },
            ))
        })
        .collect();
    found.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.id.cmp(&b.1.id)));
    found.into_iter().map(|(_, l)| l).collect()
}

/// Why `a` and `b` are likely one person, and how sure that is; `None` when they are not.
/// `typed`: `a` is a contact being typed, who may have no organization yet.
fn compare(a: &Entry, b: &Entry, typed: bool) -> Option<(Vec<String>, u32)> {
    let mut reasons = Vec::new();
    let mut score = 0;
    let given = given_match(a, b);
    // Two people with different first names sharing an address or a number are an office's
    // shared line or a couple's e-mail, not one person; a contact being typed is asked about
    // all the same (a typo in the first name, or the same person after all).
    let strangers = !typed && a.has_name() && b.has_name() && given.is_none();
    if !strangers {
        for email in a.emails.iter().filter(|e| b.emails.contains(e)).take(2) {
            reasons.push(format!("same e-mail {email}"));
            score += 4;
        }
        for phone in a.phones.iter().filter(|p| b.phones.contains(p)).take(2) {
            let shown = crate::import::display::readable_phone(phone, "");
            reasons.push(format!("same phone {shown}"));
            score += 4;
        }
    }
    if let Some((reason, points)) = given.and_then(|g| name_reason(a, b, g, typed)) {
        reasons.push(reason);
        score += points;
    }
    (!reasons.is_empty()).then_some((reasons, score))
}

/// How two first names are one person's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Given {
    Same,
    Nickname,
    Initial,
}

fn given_match(a: &Entry, b: &Entry) -> Option<Given> {
    let (x, y) = (&*a.given, &*b.given);
    if x.is_empty() || y.is_empty() {
        return None;
    }
    if x == y {
        Some(Given::Same)
    } else if a.groups.iter().any(|g| b.groups.contains(g))
        || &*a.nickname == y
        || &*b.nickname == x
    {
        Some(Given::Nickname)
    } else if (x.len() == 1 || y.len() == 1) && x.chars().next() == y.chars().next() {
        Some(Given::Initial)
    } else {
        None
    }
}

/// "Bob and Robert Smith, both at Smith Plumbing", with its points.
fn name_reason(a: &Entry, b: &Entry, given: Given, typed: bool) -> Option<(String, u32)> {
    let lenient = typed && a.org.key.is_empty();
    if a.org.key != b.org.key && !lenient {
        return None;
    }
    let same_family = a.family.iter().any(|f| b.family.contains(f));
    let nearly = !same_family
        && given == Given::Same
        && a.family[0].chars().count().min(b.family[0].chars().count()) >= TYPO_LENGTH
        && one_edit_apart(&a.family[0], &b.family[0]);
    if !same_family && !nearly {
        return None;
    }
    let (an, bn) = (&a.name, &b.name);
    let (name, points) = match given {
        _ if nearly => (format!("nearly the same name ({an} and {bn})"), 2),
        Given::Nickname => (
            format!("{} and {} {}", a.given_raw, b.given_raw, a.family_raw),
            2,
        ),
        Given::Initial => (format!("{an} and {bn}"), 1),
        Given::Same => {
            let written = |e: &Entry| format!("{} {}", e.given_raw, e.family_raw).to_lowercase();
            if written(a) == written(b) {
                ("same name".to_owned(), 3)
            } else if without_marks(&written(a)) == without_marks(&written(b)) {
                ("same name written with and without accents".to_owned(), 3)
            } else {
                (format!("same name transliterated ({an} and {bn})"), 3)
            }
        }
    };
    let (ao, bo) = (&a.org.name, &b.org.name);
    let place = if lenient {
        String::new()
    } else if a.org.key.is_empty() {
        // Without an organization only the whole name counts, and for less.
        if given != Given::Same || nearly {
            return None;
        }
        return Some((format!("{name}; neither has an organization"), 1));
    } else if ao.to_lowercase() == bo.to_lowercase() {
        format!(", both at {ao}")
    } else {
        format!(", at {ao} and {bo}")
    };
    Some((format!("{name}{place}"), points))
}

/// The first and family name as written: the structured parts, else read from the display
/// name ("Dr. Maria García" → Maria, García; "García, Maria" → Maria, García). A name of one
/// word, or an e-mail standing for the name, has no parts.
fn name_parts(person: &Person) -> (String, String) {
    let (given, family) = (person.given_name.trim(), person.family_name.trim());
    if !given.is_empty() && !family.is_empty() {
        return (given.to_owned(), family.to_owned());
    }
    let name = person.name.trim();
    if name.contains('@') {
        return (String::new(), String::new());
    }
    if let Some((family, given)) = name.split_once(',') {
        return (given.trim().to_owned(), family.trim().to_owned());
    }
    const TITLES: [&str; 8] = ["mr", "mrs", "ms", "miss", "dr", "prof", "sir", "mx"];
    let words: Vec<&str> = name
        .split_whitespace()
        .skip_while(|w| TITLES.contains(&w.trim_end_matches('.').to_lowercase().as_str()))
        .collect();
    match words.as_slice() {
        [first, .., last] => ((*first).to_owned(), (*last).to_owned()),
        _ => (String::new(), String::new()),
    }
}

/// Lowercase ASCII words: accents dropped, other scripts transliterated (Иванова → ivanova,
/// Øster → oster, ß → ss), anything but letters and digits a single space.
pub(crate) fn fold(text: &str) -> String {
    let ascii = if text.is_ascii() {
        std::borrow::Cow::Borrowed(text)
    } else {
        std::borrow::Cow::Owned(deunicode::deunicode(text))
    };
    let mut out = String::with_capacity(ascii.len());
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with(' ') {
            out.push(' ');
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// German umlauts as they are spelled without them: Müller → Mueller.
fn spell_umlauts(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 4);
    for c in text.chars() {
        match c {
            'ä' | 'Ä' => out.push_str("ae"),
            'ö' | 'Ö' => out.push_str("oe"),
            'ü' | 'Ü' => out.push_str("ue"),
            _ => out.push(c),
        }
    }
    out
}

/// The text without combining accents (é → e, but ø and Cyrillic stay as they are).
fn without_marks(text: &str) -> String {
    use unicode_normalization::{UnicodeNormalization as _, char::is_combining_mark};
    text.nfd().filter(|c| !is_combining_mark(*c)).collect()
}

/// An organization folded, without its legal form and "the"/"and": "Smith Plumbing Ltd." and
/// "smith plumbing" are one key, "Oak & Iron" and "Oak and Iron" another.
pub(crate) fn organization_key(name: &str) -> String {
    const LEGAL: &[&str] = &[
        "ltd",
        "limited",
        "llc",
        "llp",
        "inc",
        "incorporated",
        "corp",
        "corporation",
        "co",
        "company",
        "plc",
        "gmbh",
        "ag",
        "kg",
        "ug",
        "sa",
        "sarl",
        "sas",
        "srl",
        "spa",
        "bv",
        "nv",
        "oy",
        "ab",
        "as",
        "aps",
        "pty",
        "the",
        "and",
    ];
    let folded = fold(name);
    let kept: Vec<&str> = folded.split(' ').filter(|w| !LEGAL.contains(w)).collect();
    if kept.is_empty() {
        folded
    } else {
        kept.join(" ")
    }
}

/// Whether two different words are one typo apart: a letter changed, added, dropped, or two
/// neighbours swapped.
fn one_edit_apart(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a == b || a.len().abs_diff(b.len()) > 1 {
        return false;
    }
    let start = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let (x, y) = (&a[start..], &b[start..]);
    match x.len().cmp(&y.len()) {
        std::cmp::Ordering::Equal => {
            x[1..] == y[1..] || (x.len() >= 2 && x[0] == y[1] && x[1] == y[0] && x[2..] == y[2..])
        }
        std::cmp::Ordering::Greater => x[1..] == *y,
        std::cmp::Ordering::Less => *x == y[1..],
    }
}

/// A phone number as a key: E.164 where the importer's `normalize_phone` reads it for
/// `region`, else its digits; `None` for fewer than 7 digits (an extension, a typo). A number
/// written with its "+" country code is its digits at once ("+44 (0)20 …" without the "(0)"):
/// checking it against the country's patterns, as an import does, would cost a search of a
/// hundred thousand contacts a fifth of its time and only tell a wrong number from a right one.
pub fn phone_key(number: &str, region: &str) -> Option<String> {
    let trimmed = number.trim();
    let international = trimmed.strip_prefix('+').filter(|rest| {
        rest.bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b' ' | b'-' | b'.' | b'(' | b')' | b'/'))
    });
    let normalized = match international {
        Some(rest) => format!("+{}", rest.replacen("(0)", "", 1)),
        None => crate::import::normalize_phone(trimmed, region),
    };
    let digits: String = normalized.chars().filter(char::is_ascii_digit).collect();
    if !(7..=15).contains(&digits.len()) {
        return None;
    }
    Some(if normalized.starts_with('+') {
        format!("+{digits}")
    } else {
        digits
    })
}

/// A block key's hash (FNV-1a: keys are short, and SipHash's defence against chosen keys is
/// not needed to compare a person's own contacts).
fn block(kind: u8, parts: &[&str]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325 ^ u64::from(kind);
    for part in parts {
        for byte in part.bytes().chain(std::iter::once(0xff)) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
}

#[cfg(test)]
mod tests;
