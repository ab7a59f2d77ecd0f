//! The relationship timeline of one contact: every dated thing, merged from several tables.

use super::sql_types::parse_time;
use super::{Result, Store};
use crate::model::{
    Channel, ContactId, FollowUpStatus, Outcome, Purpose, Stage, TimelineEntry, TimelineKind,
};
use chrono::{DateTime, NaiveDateTime, NaiveTime, Utc};

fn local(at: DateTime<Utc>) -> NaiveDateTime {
    at.with_timezone(&chrono::Local).naive_local()
}

impl Store {
    /// Every dated event of a contact, newest first: conversations, follow-ups made and their
    /// due moments, life events, stage changes and when the contact was created.
    pub fn timeline_for_contact(&self, contact: ContactId) -> Result<Vec<TimelineEntry>> {
        let mut entries = Vec::new();

        let mut stmt = self.conn.prepare_cached(
            "SELECT i.id, i.occurred_at, i.channel, i.purpose, i.outcome, i.summary
             FROM interaction_participants p JOIN interactions i ON i.id = p.interaction_id
             WHERE p.contact_id = ?1",
        )?;
        let rows = stmt.query_map([contact], |r| {
            let channel: Channel = r.get(2)?;
            let purpose: Purpose = r.get(3)?;
            let outcome: Outcome = r.get(4)?;
            let summary: String = r.get(5)?;
            let mut title = format!("{} · {}", channel.label(), purpose.label());
            if outcome != Outcome::Held {
                title.push_str(" · ");
                title.push_str(outcome.label());
            }
            Ok(TimelineEntry {
                at: parse_time(&r.get::<String>(1)?)?,
                kind: TimelineKind::Conversation {
                    id: r.get(0)?,
                    channel,
                    purpose,
                    outcome,
                },
                title,
                detail: summary,
            })
        })?;
        for row in rows {
            entries.push(row?);
        }

        let follow_ups = self.follow_ups_for_contact(contact)?;
        for f in follow_ups {
            let made_by = match f.draft.promised_by {
                crate::model::Initiator::Me => "I promised",
                crate::model::Initiator::Them => "They promised",
            };
            // A repeating promise was made once: its later occurrences are only due (and kept).
            if f.occurrence == 1 {
                let detail = match &f.draft.repeat {
                    Some(repeat) => format!("due {}, then {}", f.draft.due_date, repeat.describe()),
                    None => format!("due {}", f.draft.due_date),
                };
                entries.push(TimelineEntry {
                    at: local(f.created_at),
                    kind: TimelineKind::FollowUpMade { id: f.id },
                    title: format!("{made_by}: {}", f.draft.text),
                    detail,
                });
            }
            let due_at = f
                .draft
                .due_date
                .and_time(f.draft.due_time.unwrap_or(NaiveTime::MIN));
            let (at, word) = match f.status {
                FollowUpStatus::Open => (due_at, "Due"),
                FollowUpStatus::Done => (f.completed_at.unwrap_or(due_at), "Kept"),
                FollowUpStatus::DoneLate => (f.completed_at.unwrap_or(due_at), "Kept late"),
                FollowUpStatus::Missed => (due_at, "Missed"),
                FollowUpStatus::Cancelled => (f.completed_at.unwrap_or(due_at), "Cancelled"),
            };
            entries.push(TimelineEntry {
                at,
                kind: TimelineKind::FollowUpDue {
                    id: f.id,
                    status: f.status,
                    all_day: f.draft.due_time.is_none() && at == due_at,
                },
                title: format!("{word}: {}", f.draft.text),
                detail: f.draft.notes.clone(),
            });
        }

        for event in self.life_events_for_contact(contact)? {
            entries.push(TimelineEntry {
                at: event.occurred_on.and_time(NaiveTime::MIN),
                kind: TimelineKind::LifeEvent { id: event.id },
                title: event.kind,
                detail: event.description,
            });
        }

        let mut stmt = self.conn.prepare_cached(
            "SELECT changed_at, old_stage, new_stage FROM stage_changes WHERE contact_id = ?1",
        )?;
        let rows = stmt.query_map([contact], |r| {
            let from: Option<Stage> = r.get(1)?;
            let to: Stage = r.get(2)?;
            Ok((r.get::<DateTime<Utc>>(0)?, from, to))
        })?;
        for row in rows {
            let (at, from, to) = row?;
            // The first stage is told by the "created" entry.
            if let Some(from) = from {
                entries.push(TimelineEntry {
                    at: local(at),
                    kind: TimelineKind::StageChange {
                        from: Some(from),
                        to,
                    },
                    title: format!("Stage: {} to {}", from.label(), to.label()),
                    detail: String::new(),
                });
            }
        }

        let (created_at, source): (DateTime<Utc>, String) = self
            .conn
            .prepare_cached("SELECT created_at, source FROM contacts WHERE id = ?1")?
            .query_row([contact], |r| Ok((r.get(0)?, r.get(1)?)))?;
        let how = match source.as_str() {
            "import" => "Imported",
            "demo" => "Added (demo data)",
            _ => "Added to Rapport",
        };
        entries.push(TimelineEntry {
            at: local(created_at),
            kind: TimelineKind::Created { source },
            title: how.to_owned(),
            detail: String::new(),
        });

        entries.sort_by_key(|e| std::cmp::Reverse(e.at));
        Ok(entries)
    }

    /// The timeline of everyone at an organization, newest first; a conversation with several
    /// of them appears once, and every entry names whose it is.
    pub fn timeline_for_organization(
        &self,
        organization: crate::model::OrganizationId,
    ) -> Result<Vec<TimelineEntry>> {
        let mut seen = std::collections::HashSet::new();
        let mut entries = Vec::new();
        for member in self.members(organization)? {
            for mut entry in self.timeline_for_contact(member.id)? {
                if let TimelineKind::Conversation { id, .. } = entry.kind
                    && !seen.insert(id)
                {
                    continue;
                }
                entry.title = format!("{}: {}", member.display_name, entry.title);
                entries.push(entry);
            }
        }
        entries.sort_by_key(|e| std::cmp::Reverse(e.at));
        Ok(entries)
    }
}
