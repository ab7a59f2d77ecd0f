//! Who a message or meeting is with: its addresses matched to contacts by e-mail (a batch of
//! messages at a time, one query per few hundred addresses), what becomes of it (skipped and
//! why, already in Rapport, a conversation with these people, or nobody known), and the
//! counts a plan is made of, kept small whatever the size of the mailbox.

use super::super::Result;
use super::super::db::{Db, params_from_iter};
use super::super::sql_types::key_of;
use super::{ContactCount, ConversationPlan, SkippedCount, UnknownSender};
use crate::model::incoming::{IncomingConversation, MailAddress, SkipReason};
use crate::model::{ContactId, Initiator, Outcome};
use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};

/// Addresses asked about in one query.
const ADDRESSES_PER_QUERY: usize = 400;
/// Unknown addresses listed by name in a plan (all of them are counted).
pub const UNKNOWN_LISTED: usize = 2000;
/// Addresses counted for "is this you?" (a mailbox's owner is in nearly every message, so
/// they are among the first seen).
const PEOPLE_COUNTED: usize = 5000;
/// Distinct skip reasons kept by name; more are counted as "other reasons".
const REASONS_KEPT: usize = 100;
/// Addresses remembered as nobody's before that memory is let go (known ones stay).
const NOBODY_REMEMBERED: usize = 200_000;

/// What becomes of one entry of a file.
pub(super) enum Decision {
    Skip(String),
    Already,
    /// A conversation with `participants` (empty: nobody known, `unknown` are the others).
    Make {
        participants: Vec<ContactId>,
        unknown: Vec<MailAddress>,
        initiated_by: Initiator,
        outcome: Outcome,
    },
}

/// The addresses of the entries seen so far and whose they are.
pub(super) struct Matcher {
    mine: HashSet<String>,
    /// Address key → the contact with it (the lowest id when several), or nobody.
    known: HashMap<String, Option<ContactId>>,
    /// Source references of the current batch of entries already stored.
    stored: HashSet<String>,
}

impl Matcher {
    pub(super) fn new(my_addresses: &[String]) -> Self {
        Self {
            mine: my_addresses.iter().map(|a| key_of(a)).collect(),
            known: HashMap::new(),
            stored: HashSet::new(),
        }
    }

    /// Looks up the addresses of `batch` not seen before, and which of its entries are
    /// stored already.
    pub(super) fn resolve(&mut self, db: &Db, batch: &[IncomingConversation]) -> Result<()> {
        if self.known.len() > NOBODY_REMEMBERED {
            self.known.retain(|_, contact| contact.is_some());
        }
        let mut wanted: Vec<String> = Vec::new();
        for entry in batch {
            for address in entry.from.iter().chain(&entry.to) {
                let key = address.key();
                if !key.is_empty() && !self.mine.contains(&key) && !self.known.contains_key(&key) {
                    self.known.insert(key.clone(), None);
                    wanted.push(key);
                }
            }
        }
        for part in wanted.chunks(ADDRESSES_PER_QUERY) {
            let sql = format!(
                "SELECT e.address_key, e.contact_id FROM contact_emails e
                 JOIN contacts c ON c.id = e.contact_id
                 WHERE e.address_key IN ({}) AND c.deleted_at IS NULL ORDER BY e.contact_id",
                marks(part.len())
            );
            let mut stmt = db.prepare(&sql)?;
            let rows = stmt.query_map(params_from_iter(part), |r| {
                Ok((r.get::<String>(0)?, r.get::<ContactId>(1)?))
            })?;
            for row in rows {
                let (key, contact) = row?;
                let slot = self.known.entry(key).or_insert(None);
                slot.get_or_insert(contact);
            }
        }
        self.stored.clear();
        let refs: Vec<&str> = batch
            .iter()
            .filter(|e| e.skip.is_none())
            .map(|e| e.source_ref.as_str())
            .collect();
        for part in refs.chunks(ADDRESSES_PER_QUERY) {
            let sql = format!(
                "SELECT source_ref FROM interactions WHERE source_ref IN ({})",
                marks(part.len())
            );
            let mut stmt = db.prepare(&sql)?;
            let rows = stmt.query_map(params_from_iter(part), |r| r.get::<String>(0))?;
            for row in rows {
                self.stored.insert(row?);
            }
        }
        Ok(())
    }

    /// A contact made during the import for `address`: later entries match them.
    pub(super) fn learn(&mut self, address: &str, contact: ContactId) {
        self.known.insert(key_of(address), Some(contact));
    }

    pub(super) fn contact_of(&self, address: &MailAddress) -> Option<ContactId> {
        self.known.get(&address.key()).copied().flatten()
    }

    fn is_mine(&self, address: &MailAddress) -> bool {
        self.mine.contains(&address.key())
    }

    /// What becomes of `entry` (after `resolve` saw its batch); `seen` holds the entries of
    /// this import so far, so one in two files (or twice in one) is made once.
    pub(super) fn decide(&self, entry: &IncomingConversation, seen: &mut HashSet<u64>) -> Decision {
        if let Some(reason) = &entry.skip {
            return Decision::Skip(reason.describe());
        }
        let people = people_of(entry);
        let others: Vec<&MailAddress> = people.iter().filter(|a| !self.is_mine(a)).collect();
        // A meeting naming nobody is one with no known person, not one of mine alone.
        if others.is_empty() && !people.is_empty() {
            return Decision::Skip(SkipReason::OnlyMe.describe());
        }
        if self.stored.contains(&entry.source_ref) || !seen.insert(hash_of(&entry.source_ref)) {
            return Decision::Already;
        }
        let mut participants: Vec<ContactId> = Vec::new();
        let mut unknown = Vec::new();
        for address in others {
            match self.contact_of(address) {
                Some(id) if !participants.contains(&id) => participants.push(id),
                Some(_) => {}
                None => unknown.push(address.clone()),
            }
        }
        let from_me = entry.from.as_ref().is_some_and(|a| self.is_mine(a));
        let from_someone = entry.from.as_ref().is_some_and(|a| {
            !self.is_mine(a) && (self.contact_of(a).is_some() || participants.is_empty())
        });
        // Without a known sender: they reached out when I was among the recipients; else the
        // message is most likely mine, sent from an address not (yet) named as mine.
        let to_me = entry.to.iter().any(|a| self.is_mine(a));
        let initiated_by = if from_me {
            Initiator::Me
        } else if from_someone || to_me {
            Initiator::Them
        } else {
            Initiator::Me
        };
        let outcome = match entry.outcome {
            Outcome::TheyCancelled if from_me => Outcome::ICancelled,
            other => other,
        };
        Decision::Make {
            participants,
            unknown,
            initiated_by,
            outcome,
        }
    }
}

/// The entry's people (sender first), each address once.
fn people_of(entry: &IncomingConversation) -> Vec<MailAddress> {
    let mut people: Vec<MailAddress> = Vec::new();
    for address in entry.from.iter().chain(&entry.to) {
        let key = address.key();
        if !key.is_empty() && !people.iter().any(|p| p.key() == key) {
            people.push(address.clone());
        }
    }
    people
}

/// `?1, ?2, …, ?n`.
fn marks(n: usize) -> String {
    (1..=n)
        .map(|i| format!("?{i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

pub(super) fn hash_of(text: &str) -> u64 {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut hasher);
    hasher.finish()
}

/// The counts a plan (or an import's result) is made of: per contact, per unknown address
/// (the first `UNKNOWN_LISTED` by name, all of them counted), per reason; never the entries.
#[derive(Default)]
pub(super) struct Tally {
    pub(super) read: usize,
    pub(super) conversations: usize,
    pub(super) already: usize,
    pub(super) unknown_messages: usize,
    pub(super) new_contacts: usize,
    pub(super) seen: HashSet<u64>,
    per_contact: HashMap<ContactId, usize>,
    unknown: HashMap<String, (MailAddress, usize)>,
    unknown_distinct: HashSet<u64>,
    skipped: HashMap<String, usize>,
    people: HashMap<String, (MailAddress, usize)>,
}

impl Tally {
    pub(super) fn skip(&mut self, reason: String) {
        if self.skipped.len() < REASONS_KEPT || self.skipped.contains_key(&reason) {
            *self.skipped.entry(reason).or_default() += 1;
        } else {
            *self.skipped.entry("other reasons".to_owned()).or_default() += 1;
        }
    }

    pub(super) fn made(&mut self, participants: &[ContactId]) {
        self.conversations += 1;
        for id in participants {
            *self.per_contact.entry(*id).or_default() += 1;
        }
    }

    /// A message with nobody known: its other people are counted as unknown senders.
    pub(super) fn nobody_known(&mut self, unknown: &[MailAddress]) {
        self.unknown_messages += 1;
        for address in unknown {
            let key = address.key();
            self.unknown_distinct.insert(hash_of(&key));
            let listed = self.unknown.len() < UNKNOWN_LISTED || self.unknown.contains_key(&key);
            if listed {
                let slot = self
                    .unknown
                    .entry(key)
                    .or_insert_with(|| (address.clone(), 0));
                slot.1 += 1;
                if slot.0.name.is_empty() && !address.name.is_empty() {
                    slot.0.name = address.name.clone();
                }
            }
        }
    }

    /// Counts who is in a message nobody marked as bulk, for "is this you?": the addresses
    /// no contact has (a contact is someone else) and not known as the user's already.
    pub(super) fn count_people(&mut self, entry: &IncomingConversation, matcher: &Matcher) {
        if entry.skip.is_some() {
            return;
        }
        for address in people_of(entry) {
            if matcher.is_mine(&address) || matcher.contact_of(&address).is_some() {
                continue;
            }
            let key = address.key();
            if self.people.len() < PEOPLE_COUNTED || self.people.contains_key(&key) {
                self.people.entry(key).or_insert_with(|| (address, 0)).1 += 1;
            }
        }
    }

    /// The plan these counts make: the contacts by name (the `hint` first, then those with
    /// the most), unknown senders and reasons with the most first.
    pub(super) fn into_plan(self, db: &Db, hint: Option<ContactId>) -> Result<ConversationPlan> {
        let mut ids: Vec<ContactId> = self.per_contact.keys().copied().collect();
        if let Some(hint) = hint
            && !ids.contains(&hint)
        {
            ids.push(hint);
        }
        let names = names_of(db, &ids)?;
        let mut per_contact: Vec<ContactCount> = ids
            .iter()
            .filter_map(|id| {
                Some(ContactCount {
                    contact: *id,
                    name: names.get(id)?.clone(),
                    conversations: self.per_contact.get(id).copied().unwrap_or(0),
                })
            })
            .collect();
        per_contact.sort_by(|a, b| {
            (Some(b.contact) == hint)
                .cmp(&(Some(a.contact) == hint))
                .then(b.conversations.cmp(&a.conversations))
                .then_with(|| a.name.cmp(&b.name))
        });
        let mut unknown_senders: Vec<UnknownSender> = self
            .unknown
            .into_values()
            .map(|(address, messages)| UnknownSender {
                address: address.address,
                name: address.name,
                messages,
            })
            .collect();
        unknown_senders.sort_by(|a, b| {
            b.messages
                .cmp(&a.messages)
                .then_with(|| a.address.cmp(&b.address))
        });
        let mut skipped: Vec<SkippedCount> = self
            .skipped
            .into_iter()
            .map(|(reason, count)| SkippedCount { reason, count })
            .collect();
        skipped.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.reason.cmp(&b.reason)));
        let likely_me = self
            .people
            .into_values()
            .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.address.cmp(&a.0.address)))
            .map(|(address, _)| address);
        Ok(ConversationPlan {
            read: self.read,
            conversations: self.conversations,
            already: self.already,
            per_contact,
            unknown_addresses: self.unknown_distinct.len(),
            unknown_senders,
            unknown_messages: self.unknown_messages,
            new_contacts: self.new_contacts,
            skipped,
            likely_me,
        })
    }
}

/// Display names of `ids` (those the reader may see).
fn names_of(db: &Db, ids: &[ContactId]) -> Result<HashMap<ContactId, String>> {
    let mut names = HashMap::new();
    for part in ids.chunks(ADDRESSES_PER_QUERY) {
        let sql = format!(
            "SELECT id, display_name FROM contacts WHERE id IN ({})",
            marks(part.len())
        );
        let mut stmt = db.prepare(&sql)?;
        let rows = stmt.query_map(params_from_iter(part), |r| {
            Ok((r.get::<ContactId>(0)?, r.get::<String>(1)?))
        })?;
        for row in rows {
            let (id, name) = row?;
            names.insert(id, name);
        }
    }
    Ok(names)
}
