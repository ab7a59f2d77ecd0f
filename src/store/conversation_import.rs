//! Conversations from mail and calendar files (`model::incoming`, read by `import::mail` and
//! `import::meetings`): a plan first (one streamed pass counting, per contact, the
//! conversations to be made, the unknown senders, what is skipped and why, and what is
//! already in Rapport), then the import (a second streamed pass writing them in one
//! transaction as a recorded batch, which `undo_import` takes back whole).
//!
//! Matching: each entry's From/To/Cc (a meeting's organizer and attendees) are matched to
//! contacts by `contact_emails.address_key` a few hundred addresses at a time; the user's own
//! addresses (the `my_addresses` setting, per person on a team database) decide who reached
//! out and are never a participant. A teammate's private contact is not matched by anyone
//! who cannot see them (row-level security hides their e-mails). An entry is stored once:
//! `interactions.source_ref` is unique (across the whole team), written with
//! `ON CONFLICT DO NOTHING`, so importing the same mailbox again makes nothing new.

mod matching;

use super::contacts::insert_contact_indexing;
use super::db::Db;
use super::search::{BatchWrites, SearchIndexing, SearchTable, put_document};
use super::sql_types::{fmt_time, key_of};
use super::{Result, Store, StoreError};
use crate::model::incoming::{IncomingConversation, MailAddress};
use crate::model::{ContactDraft, ContactId, Email, ImportBatchId, InteractionId, Purpose};
use chrono::{DateTime, Utc};
use matching::{Decision, Matcher, Tally};
use rusqlite::params;
use std::collections::HashMap;

pub use matching::UNKNOWN_LISTED;

/// The setting holding the user's own addresses, comma-separated (on a team database the
/// key carries the person's login: everyone has their own).
pub const MY_ADDRESSES: &str = "my_addresses";
/// Entries matched and written together.
const BATCH: usize = 256;
/// Search documents written per statement (one FTS5 savepoint each).
const DOCUMENTS_PER_WRITE: usize = 2000;

/// Entries to import, in file order, with how far the reading is (for progress).
pub trait IncomingSource: Iterator<Item = IncomingConversation> {
    /// Bytes read so far and in all (or entries, for a list).
    fn bytes_done(&self) -> (u64, u64);
}

impl IncomingSource for crate::import::conversation_files::FileEntries {
    fn bytes_done(&self) -> (u64, u64) {
        crate::import::conversation_files::FileEntries::bytes_done(self)
    }
}

/// Entries already in memory (tests, a single small file).
pub struct Listed {
    entries: std::vec::IntoIter<IncomingConversation>,
    total: usize,
}

impl Listed {
    pub fn new(entries: Vec<IncomingConversation>) -> Self {
        let total = entries.len();
        Self {
            entries: entries.into_iter(),
            total,
        }
    }
}

impl Iterator for Listed {
    type Item = IncomingConversation;
    fn next(&mut self) -> Option<IncomingConversation> {
        self.entries.next()
    }
}

impl IncomingSource for Listed {
    fn bytes_done(&self) -> (u64, u64) {
        ((self.total - self.entries.len()) as u64, self.total as u64)
    }
}

/// What the user chose for an import.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ConversationImportOptions {
    /// The user's own addresses (as typed; compared without case).
    pub my_addresses: Vec<String>,
    /// Make a contact (name and e-mail) of each unknown person in a message with nobody
    /// known, instead of leaving the message out.
    pub new_contacts: bool,
    /// The contact the files were dropped on: listed first in the plan.
    pub hint: Option<ContactId>,
}

/// How many conversations one contact gets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContactCount {
    pub contact: ContactId,
    pub name: String,
    pub conversations: usize,
}

/// An address no contact has, in messages with nobody known.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownSender {
    pub address: String,
    pub name: String,
    pub messages: usize,
}

/// Entries left out for one reason.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SkippedCount {
    pub reason: String,
    pub count: usize,
}

/// What an import will do (the plan) or did (its result).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ConversationPlan {
    /// Messages and meetings read.
    pub read: usize,
    /// Conversations to be made (made, for a result).
    pub conversations: usize,
    /// Already in Rapport (imported before, or twice in these files).
    pub already: usize,
    /// Conversations per contact: the contact dropped on first, then those with the most.
    pub per_contact: Vec<ContactCount>,
    /// Unknown people of messages with nobody known, most messages first (at most
    /// `UNKNOWN_LISTED`; `unknown_addresses` counts them all).
    pub unknown_senders: Vec<UnknownSender>,
    pub unknown_addresses: usize,
    /// Messages with nobody known: left out, or made with new contacts when asked.
    pub unknown_messages: usize,
    /// Contacts to be made for unknown people (made, for a result).
    pub new_contacts: usize,
    /// Left out, by reason, most first.
    pub skipped: Vec<SkippedCount>,
    /// The address in the most messages that no contact has: most likely the user's own,
    /// offered when no address of theirs is known yet.
    pub likely_me: Option<MailAddress>,
}

impl ConversationPlan {
    pub fn skipped_total(&self) -> usize {
        self.skipped.iter().map(|s| s.count).sum()
    }
}

/// Where a stored conversation came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConversationOrigin {
    /// `mid:<Message-ID>` or `ics:<UID>#<RECURRENCE-ID>`.
    pub source_ref: String,
    pub thread_ref: Option<String>,
    pub attachments: Vec<String>,
    pub batch: Option<ImportBatchId>,
}

impl ConversationOrigin {
    /// The Message-ID (without `mid:`), for a message.
    pub fn message_id(&self) -> Option<&str> {
        self.source_ref.strip_prefix("mid:")
    }
}

/// Reads "a@x.com, b@y.org" (commas, semicolons or spaces between) as addresses, or says
/// which one is not an e-mail address.
pub fn parse_addresses(text: &str) -> std::result::Result<Vec<String>, String> {
    let mut addresses: Vec<String> = Vec::new();
    for word in text.split([',', ';', ' ', '\t', '\n']) {
        let word = word.trim().trim_start_matches('<').trim_end_matches('>');
        if word.is_empty() {
            continue;
        }
        let valid = word
            .split_once('@')
            .is_some_and(|(local, domain)| !local.is_empty() && domain.contains('.'));
        if !valid {
            return Err(format!(
                "\"{word}\" is not an e-mail address; write them as you@example.com, separated by commas."
            ));
        }
        if !addresses.iter().any(|a| key_of(a) == key_of(word)) {
            addresses.push(word.to_owned());
        }
    }
    Ok(addresses)
}

impl Store {
    fn my_addresses_key(&self) -> Result<String> {
        Ok(match self.me()? {
            Some(login) => format!("{MY_ADDRESSES}:{login}"),
            None => MY_ADDRESSES.to_owned(),
        })
    }

    /// The user's own e-mail addresses (empty until they said).
    pub fn my_addresses(&self) -> Result<Vec<String>> {
        let key = self.my_addresses_key()?;
        let text = self.setting(&key).unwrap_or_default();
        Ok(parse_addresses(&text).unwrap_or_default())
    }

    /// Remembers the user's own addresses (none clears them).
    pub fn set_my_addresses(&mut self, addresses: &[String]) -> Result<()> {
        let text = addresses.join(", ");
        let checked = parse_addresses(&text).map_err(StoreError::Invalid)?;
        let key = self.my_addresses_key()?;
        self.set_setting(&key, &checked.join(", "))
    }

    /// The dry run: reads every entry once and counts what the import would do. Nothing is
    /// written. `progress(done, total)` is called every few hundred entries; false stops.
    pub fn plan_conversation_import(
        &self,
        source: &mut dyn IncomingSource,
        options: &ConversationImportOptions,
        progress: &mut dyn FnMut(u64, u64) -> bool,
    ) -> Result<ConversationPlan> {
        let mut matcher = Matcher::new(&options.my_addresses);
        let mut tally = Tally::default();
        let mut new_people: std::collections::HashSet<String> = Default::default();
        while let Some(batch) = next_batch(source, progress)? {
            matcher.resolve(&self.conn, &batch)?;
            for entry in &batch {
                tally.read += 1;
                tally.count_people(entry, &matcher);
                match matcher.decide(entry, &mut tally.seen) {
                    Decision::Skip(reason) => tally.skip(reason),
                    Decision::Already => tally.already += 1,
                    Decision::Make { participants, .. } if !participants.is_empty() => {
                        tally.made(&participants)
                    }
                    Decision::Make { unknown, .. } => {
                        tally.nobody_known(&unknown);
                        if options.new_contacts && !unknown.is_empty() {
                            tally.conversations += 1;
                            new_people.extend(unknown.iter().map(MailAddress::key));
                        }
                    }
                }
            }
        }
        tally.new_contacts = new_people.len();
        tally.into_plan(&self.conn, options.hint)
    }

    /// Imports the entries as conversations in one transaction, recorded as a batch
    /// (`import_batches`, format `eml`, `mbox`, `ics` or several joined by `+`) that
    /// `undo_import` removes whole: its conversations and the contacts it made. Entries
    /// stored before are counted as already in Rapport. When `progress` returns false the
    /// transaction is dropped and nothing changes.
    pub fn import_conversations(
        &mut self,
        source_name: &str,
        format: &str,
        source: &mut dyn IncomingSource,
        options: &ConversationImportOptions,
        progress: &mut dyn FnMut(u64, u64) -> bool,
    ) -> Result<(ImportBatchId, ConversationPlan)> {
        let now = self.now();
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO import_batches (source_name, format, started_at) VALUES (?1, ?2, ?3)",
            params![source_name, format, now],
        )?;
        let batch = ImportBatchId(tx.last_insert_id("import_batches")?);
        let mut writer = Writer {
            tx: &tx,
            batch,
            now,
            contacts: BatchWrites::default(),
            documents: Vec::new(),
        };
        let mut matcher = Matcher::new(&options.my_addresses);
        let mut tally = Tally::default();
        while let Some(entries) = next_batch(source, progress)? {
            matcher.resolve(&tx, &entries)?;
            for entry in &entries {
                tally.read += 1;
                match matcher.decide(entry, &mut tally.seen) {
                    Decision::Skip(reason) => tally.skip(reason),
                    Decision::Already => tally.already += 1,
                    Decision::Make {
                        mut participants,
                        unknown,
                        initiated_by,
                        outcome,
                    } => {
                        if participants.is_empty() {
                            tally.nobody_known(&unknown);
                            if !options.new_contacts || unknown.is_empty() {
                                continue;
                            }
                            for person in &unknown {
                                // An earlier message may have made them already.
                                let id = match matcher.contact_of(person) {
                                    Some(id) => id,
                                    None => {
                                        tally.new_contacts += 1;
                                        let id = writer.new_contact(person)?;
                                        matcher.learn(&person.address, id);
                                        id
                                    }
                                };
                                if !participants.contains(&id) {
                                    participants.push(id);
                                }
                            }
                        }
                        let made = Made {
                            entry,
                            participants: &participants,
                            initiated_by,
                            outcome,
                        };
                        if writer.conversation(&made)? {
                            tally.made(&participants);
                        } else {
                            // Stored already, perhaps as a teammate's private conversation.
                            tally.already += 1;
                        }
                    }
                }
            }
            writer.flush_documents()?;
        }
        writer.flush_documents()?;
        let Writer { contacts, .. } = writer;
        contacts.finish(&tx)?;
        let plan = tally.into_plan(&tx, options.hint)?;
        tx.execute(
            "UPDATE import_batches SET finished_at = ?2, created_count = ?3, merged_count = 0,
             skipped_count = ?4 WHERE id = ?1",
            params![
                batch,
                now,
                plan.conversations as i64,
                (plan.skipped_total() + plan.already) as i64
            ],
        )?;
        tx.commit()?;
        let (done, total) = source.bytes_done();
        progress(done.max(total), total);
        Ok((batch, plan))
    }

    /// Where each of `ids` came from, for those imported from a file.
    pub fn conversation_origins(
        &self,
        ids: &[InteractionId],
    ) -> Result<HashMap<InteractionId, ConversationOrigin>> {
        let mut found = HashMap::new();
        let mut stmt = self.conn.prepare_cached(
            "SELECT source_ref, thread_ref, attachments, import_batch_id FROM interactions
             WHERE id = ?1 AND source_ref IS NOT NULL",
        )?;
        for id in ids {
            let origin = stmt.query_map([id], |r| {
                let attachments: String = r.get(2)?;
                Ok(ConversationOrigin {
                    source_ref: r.get(0)?,
                    thread_ref: r.get(1)?,
                    attachments: attachments
                        .lines()
                        .filter(|l| !l.trim().is_empty())
                        .map(str::to_owned)
                        .collect(),
                    batch: r.get(3)?,
                })
            })?;
            for origin in origin {
                found.insert(*id, origin?);
            }
        }
        Ok(found)
    }
}

/// The next few hundred entries, after asking `progress` whether to go on; `None` at the end.
fn next_batch(
    source: &mut dyn IncomingSource,
    progress: &mut dyn FnMut(u64, u64) -> bool,
) -> Result<Option<Vec<IncomingConversation>>> {
    let (done, total) = source.bytes_done();
    if !progress(done, total) {
        return Err(StoreError::Cancelled);
    }
    let batch: Vec<IncomingConversation> = (&mut *source).take(BATCH).collect();
    Ok((!batch.is_empty()).then_some(batch))
}

/// One conversation to write.
struct Made<'a> {
    entry: &'a IncomingConversation,
    participants: &'a [ContactId],
    initiated_by: crate::model::Initiator,
    outcome: crate::model::Outcome,
}

/// The import's writes inside its transaction; search documents are collected and written
/// a few thousand per statement.
struct Writer<'t> {
    tx: &'t Db,
    batch: ImportBatchId,
    now: DateTime<Utc>,
    contacts: BatchWrites,
    documents: Vec<(i64, String, String)>,
}

impl Writer<'_> {
    /// A contact for an unknown person: their name and address, carrying the batch.
    fn new_contact(&mut self, person: &MailAddress) -> Result<ContactId> {
        let name = person.name.trim();
        let draft = ContactDraft {
            display_name: if name.contains('@') { "" } else { name }.to_owned(),
            emails: vec![Email {
                label: String::new(),
                address: person.address.trim().to_owned(),
            }],
            ..ContactDraft::default()
        };
        insert_contact_indexing(
            self.tx,
            &draft,
            "import",
            self.now,
            Some(self.batch),
            &mut SearchIndexing::Later(&mut self.contacts),
        )
    }

    /// Writes the conversation unless its source is stored already (false then).
    fn conversation(&mut self, made: &Made<'_>) -> Result<bool> {
        let entry = made.entry;
        let at = fmt_time(entry.occurred_at);
        let attachments = entry.attachments.join("\n");
        let inserted = self
            .tx
            .prepare_cached(
                "INSERT INTO interactions (occurred_at, channel, initiated_by, purpose, outcome,
                 duration_minutes, summary, they_said, created_at, updated_at, private,
                 source_ref, thread_ref, import_batch_id, attachments)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9, 0, ?10, ?11, ?12, ?13)
                 ON CONFLICT DO NOTHING",
            )?
            .execute(params![
                at,
                entry.channel,
                made.initiated_by,
                Purpose::default(),
                made.outcome,
                entry.duration_minutes,
                entry.summary.trim(),
                entry.they_said.trim(),
                self.now,
                entry.source_ref,
                entry.thread_ref,
                self.batch,
                attachments
            ])?;
        if inserted == 0 {
            return Ok(false);
        }
        let id = self.tx.last_insert_id("interactions")?;
        let mut stmt = self.tx.prepare_cached(
            "INSERT INTO interaction_participants (interaction_id, contact_id, occurred_at)
             VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
        )?;
        for contact in made.participants {
            stmt.execute(params![id, contact, at])?;
        }
        self.documents.push((
            id,
            entry.summary.trim().to_owned(),
            entry.they_said.trim().to_owned(),
        ));
        if self.documents.len() >= DOCUMENTS_PER_WRITE {
            self.flush_documents()?;
        }
        Ok(true)
    }

    /// Writes the search documents collected so far.
    fn flush_documents(&mut self) -> Result<()> {
        if self.documents.is_empty() {
            return Ok(());
        }
        let documents = std::mem::take(&mut self.documents);
        if self.tx.is_postgres() {
            for (id, summary, said) in &documents {
                put_document(self.tx, SearchTable::Interactions, *id, &[summary, said])?;
            }
            return Ok(());
        }
        let json =
            serde_json::to_string(&documents).map_err(|e| StoreError::Invalid(e.to_string()))?;
        self.tx
            .prepare_cached(
                "INSERT INTO interaction_fts (rowid, summary, they_said, they_need, i_promised, next_step)
                 SELECT value->>0, value->>1, value->>2, '', '', '' FROM json_each(?1)",
            )?
            .execute([json])?;
        Ok(())
    }
}

/// Undoing an import batch: its conversations go, with their participants and search
/// documents, except those edited since (`updated_at` after the batch finished), which are
/// kept and named by their summary. Runs inside `undo_import`'s transaction, before the
/// contacts the batch made are looked at (so they are no longer "talked to since").
pub(super) fn undo_conversations(
    tx: &Db,
    batch: ImportBatchId,
    finished: DateTime<Utc>,
) -> Result<(usize, Vec<String>)> {
    let kept: Vec<String> = tx
        .prepare(
            "SELECT summary FROM interactions WHERE import_batch_id = ?1 AND updated_at > ?2
             ORDER BY occurred_at, id",
        )?
        .query_map(params![batch, finished], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    tx.execute(
        "DELETE FROM interaction_fts WHERE rowid IN
           (SELECT id FROM interactions WHERE import_batch_id = ?1 AND updated_at <= ?2)",
        params![batch, finished],
    )?;
    let removed = tx.execute(
        "DELETE FROM interactions WHERE import_batch_id = ?1 AND updated_at <= ?2",
        params![batch, finished],
    )?;
    Ok((removed, kept))
}
