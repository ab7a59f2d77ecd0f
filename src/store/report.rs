//! Gathering a timeline report's data: the people in scope, their conversations, follow-ups and
//! life events in a period. Set-based: the scope is one subquery (`scope(id)`) joined into each
//! query, so a report on everyone costs a handful of queries, not a few per contact.

use super::follow_ups::{FOLLOW_UP_COLUMNS, follow_up_from_row};
use super::sql_types::{parse_date, parse_time};
use super::{Result, Store, StoreError};
use crate::model::{
    Birthday, ContactId, ContactPhoto, DueFollowUp, Interaction, InteractionDraft, InteractionId,
    LifeEvent, NamedLifeEvent, PersonalDetails, ReportData, ReportPerson, ReportRequest,
    ReportScope,
};
use rusqlite::types::Value;
use std::collections::HashMap;

/// The `WITH scope(id) AS (…)` clause for a scope, with its one parameter, for `db`'s engine.
pub(super) fn scope_cte(db: &super::db::Db, scope: &ReportScope) -> (&'static str, Value) {
    match scope {
        // The ids go in as one JSON array, each engine reading it its own way.
        ReportScope::Contacts(ids) => (
            if db.is_postgres() {
                "WITH scope(id) AS (SELECT id FROM contacts WHERE deleted_at IS NULL AND id IN (
                     SELECT CAST(x AS BIGINT)
                     FROM jsonb_array_elements_text(CAST(CAST(?1 AS TEXT) AS jsonb)) AS t(x)))"
            } else {
                "WITH scope(id) AS (SELECT id FROM contacts WHERE deleted_at IS NULL
                     AND id IN (SELECT value FROM json_each(?1)))"
            },
            Value::Text(format!(
                "[{}]",
                ids.iter()
                    .map(|id| id.0.to_string())
                    .collect::<Vec<_>>()
                    .join(",")
            )),
        ),
        ReportScope::Contact(id) => (
            "WITH scope(id) AS (SELECT id FROM contacts WHERE id = ?1)",
            Value::Integer(id.0),
        ),
        ReportScope::Organization(id) => (
            "WITH scope(id) AS (SELECT id FROM contacts
                 WHERE organization_id = ?1 AND deleted_at IS NULL)",
            Value::Integer(id.0),
        ),
        ReportScope::Tag(tag) => (
            "WITH scope(id) AS (SELECT c.id FROM tags t
                 JOIN contact_tags ct ON ct.tag_id = t.id
                 JOIN contacts c ON c.id = ct.contact_id
                 WHERE t.name = ?1 AND c.deleted_at IS NULL)",
            Value::Text(tag.trim().to_owned()),
        ),
        ReportScope::Everyone => (
            // The parameter is unused but keeps every query's numbering the same.
            "WITH scope(id) AS (SELECT id FROM contacts WHERE deleted_at IS NULL AND CAST(?1 AS BIGINT) IS NOT NULL)",
            Value::Integer(1),
        ),
    }
}

impl Store {
    /// Everything a timeline report on `request` needs, narrowed to its scope and period:
    /// the people (with personal details only when asked for), conversations oldest first
    /// with their participants, follow-ups due in the period, and life events when asked for.
    pub fn report_data(&self, request: &ReportRequest) -> Result<ReportData> {
        let subject = self.report_subject(&request.scope)?;
        let (cte, scope_param) = scope_cte(&self.conn, &request.scope);
        let from_day = request
            .from
            .map(|d| d.to_string())
            .unwrap_or_else(|| "0000-01-01".to_owned());
        let to_day = request
            .to
            .map(|d| d.to_string())
            .unwrap_or_else(|| "9999-12-31".to_owned());
        let from_time = format!("{from_day} 00:00:00");
        let to_time = format!("{to_day} 23:59:59");

        let people = self.report_people(
            cte,
            &scope_param,
            request.include_personal,
            request.scope.is_single_contact(),
        )?;
        let range = [
            scope_param.clone(),
            Value::Text(from_time),
            Value::Text(to_time),
        ];
        let conversations = self.report_conversations(cte, &range)?;
        let dates = [
            scope_param.clone(),
            Value::Text(from_day),
            Value::Text(to_day),
        ];
        let follow_ups = self.report_follow_ups(cte, &dates)?;
        // Life events, only when asked for: they are the most personal kind of entry.
        let life_events = if request.kinds.life_events {
            self.report_life_events(cte, &dates)?
        } else {
            Vec::new()
        };

        Ok(ReportData {
            subject,
            people,
            conversations,
            follow_ups,
            life_events,
        })
    }

    /// The people in scope, in name order, with personal details and photos only when asked
    /// for. A photo is personal data: a report is a file that leaves the app (printed, mailed),
    /// so it follows the report's personal-details choice, where the window always shows it.
    /// One contact's report carries the stored image (at most 256 px, sharp in print at the
    /// heading's size); a group's carries each person's 48 px thumbnail (a few KB), so a report
    /// on thousands of people never holds their full photos.
    fn report_people(
        &self,
        cte: &str,
        scope_param: &Value,
        include_personal: bool,
        single_contact: bool,
    ) -> Result<Vec<ReportPerson>> {
        let (photo_columns, photo_join) = match (include_personal, single_contact) {
            (false, _) => ("NULL, NULL", ""),
            (true, true) => (
                "p.mime, p.image",
                "LEFT JOIN contact_photos p ON p.contact_id = c.id",
            ),
            (true, false) => (
                "'image/png', p.thumbnail",
                "LEFT JOIN contact_photos p ON p.contact_id = c.id",
            ),
        };
        let sql = format!(
            "{cte} SELECT c.id, c.display_name, COALESCE(o.name, ''), c.title,
                    c.birthday_year, c.birthday_month, c.birthday_day,
                    c.family, c.interests, c.personal_notes, c.how_we_met, {photo_columns}
             FROM contacts c LEFT JOIN organizations o ON o.id = c.organization_id {photo_join}
             WHERE c.id IN (SELECT id FROM scope) ORDER BY c.sort_key, c.id"
        );
        let people: Vec<ReportPerson> = self
            .conn
            .prepare_cached(&sql)?
            .query_map([scope_param], |r| {
                let personal = if include_personal {
                    let month: Option<u32> = r.get(5)?;
                    let day: Option<u32> = r.get(6)?;
                    let birthday = match (month, day) {
                        (Some(m), Some(d)) => Birthday::new(r.get(4)?, m, d),
                        _ => None,
                    };
                    Some(PersonalDetails {
                        family: r.get(7)?,
                        birthday,
                        interests: r.get(8)?,
                        personal_notes: r.get(9)?,
                        how_we_met: r.get(10)?,
                        custom_fields: Vec::new(),
                    })
                } else {
                    None
                };
                let photo = if include_personal {
                    let bytes: Option<Vec<u8>> = r.get(12)?;
                    match bytes {
                        Some(bytes) => Some(ContactPhoto {
                            mime: r.get(11)?,
                            bytes,
                        }),
                        None => None,
                    }
                } else {
                    None
                };
                Ok(ReportPerson {
                    id: r.get(0)?,
                    display_name: r.get(1)?,
                    organization: r.get(2)?,
                    title: r.get(3)?,
                    personal,
                    photo,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        let mut people = people;
        if include_personal {
            super::custom_fields::add_report_fields(&self.conn, cte, scope_param, &mut people)?;
        }
        Ok(people)
    }

    /// Conversations in the period (`range`: scope, from and to times), each once, oldest
    /// first, with their participants.
    fn report_conversations(&self, cte: &str, range: &[Value; 3]) -> Result<Vec<Interaction>> {
        let chosen = format!(
            "{cte}, chosen(id) AS (SELECT DISTINCT p.interaction_id FROM interaction_participants p
                 WHERE p.contact_id IN (SELECT id FROM scope) AND p.occurred_at >= ?2 AND p.occurred_at <= ?3)"
        );
        let sql = format!(
            "{chosen} SELECT i.id, i.occurred_at, i.channel, i.initiated_by, i.purpose, i.outcome,
                    i.duration_minutes, i.summary, i.they_said, i.they_need, i.i_promised,
                    i.next_step, i.created_at
             FROM chosen JOIN interactions i ON i.id = chosen.id
             ORDER BY i.occurred_at, i.id"
        );
        let mut conversations: Vec<Interaction> = self
            .conn
            .prepare_cached(&sql)?
            .query_map(super::db::params_from_iter(range.iter()), |r| {
                Ok(Interaction {
                    id: r.get(0)?,
                    draft: InteractionDraft {
                        occurred_at: parse_time(&r.get::<String>(1)?)?,
                        channel: r.get(2)?,
                        initiated_by: r.get(3)?,
                        purpose: r.get(4)?,
                        outcome: r.get(5)?,
                        duration_minutes: r.get(6)?,
                        participants: Vec::new(),
                        summary: r.get(7)?,
                        they_said: r.get(8)?,
                        they_need: r.get(9)?,
                        i_promised: r.get(10)?,
                        next_step: r.get(11)?,
                        private: false,
                    },
                    participant_names: Vec::new(),
                    created_at: r.get(12)?,
                    logged_by: String::new(),
                    version: 0,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        let position: HashMap<InteractionId, usize> = conversations
            .iter()
            .enumerate()
            .map(|(n, i)| (i.id, n))
            .collect();
        let sql = format!(
            "{chosen} SELECT pp.interaction_id, c.id, c.display_name
             FROM chosen JOIN interaction_participants pp ON pp.interaction_id = chosen.id
             JOIN contacts c ON c.id = pp.contact_id
             ORDER BY c.sort_key, c.id"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(super::db::params_from_iter(range.iter()), |r| {
            Ok((
                r.get::<InteractionId>(0)?,
                r.get::<ContactId>(1)?,
                r.get::<String>(2)?,
            ))
        })?;
        for row in rows {
            let (interaction, contact, name) = row?;
            if let Some(&n) = position.get(&interaction) {
                conversations[n].draft.participants.push(contact);
                conversations[n].participant_names.push(name);
            }
        }
        Ok(conversations)
    }

    /// Follow-ups due in the period (`dates`: scope, first and last day), soonest first.
    fn report_follow_ups(&self, cte: &str, dates: &[Value; 3]) -> Result<Vec<DueFollowUp>> {
        let sql = format!(
            "{cte} SELECT {FOLLOW_UP_COLUMNS}, c.display_name FROM follow_ups f
             JOIN contacts c ON c.id = f.contact_id
             WHERE f.contact_id IN (SELECT id FROM scope) AND f.due_date >= ?2 AND f.due_date <= ?3
             ORDER BY f.due_date, f.due_time IS NULL, f.due_time, f.id"
        );
        let follow_ups: Vec<DueFollowUp> = self
            .conn
            .prepare_cached(&sql)?
            .query_map(super::db::params_from_iter(dates.iter()), |r| {
                Ok(DueFollowUp {
                    follow_up: follow_up_from_row(r)?,
                    contact_name: r.get(17)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(follow_ups)
    }

    /// Life events in the period (`dates`: scope, first and last day), oldest first.
    fn report_life_events(&self, cte: &str, dates: &[Value; 3]) -> Result<Vec<NamedLifeEvent>> {
        let sql = format!(
            "{cte} SELECT l.id, l.contact_id, l.occurred_on, l.kind, l.description, c.display_name
                 FROM life_events l JOIN contacts c ON c.id = l.contact_id
                 WHERE l.contact_id IN (SELECT id FROM scope) AND l.occurred_on >= ?2 AND l.occurred_on <= ?3
                 ORDER BY l.occurred_on, l.id"
        );
        Ok(self
            .conn
            .prepare_cached(&sql)?
            .query_map(super::db::params_from_iter(dates.iter()), |r| {
                Ok(NamedLifeEvent {
                    event: LifeEvent {
                        id: r.get(0)?,
                        contact_id: r.get(1)?,
                        occurred_on: parse_date(&r.get::<String>(2)?)?,
                        kind: r.get(3)?,
                        description: r.get(4)?,
                    },
                    contact_name: r.get(5)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?)
    }

    /// Who a report is about, in words; fails with a sentence when the scope names nothing.
    fn report_subject(&self, scope: &ReportScope) -> Result<String> {
        use super::db::OptionalExtension as _;
        match scope {
            ReportScope::Contact(id) => Ok(self.contact(*id)?.draft.display_name),
            ReportScope::Organization(id) => {
                Ok(format!("Everyone at {}", self.organization(*id)?.name))
            }
            ReportScope::Tag(tag) => {
                let name: Option<String> = self
                    .conn
                    .prepare_cached("SELECT name FROM tags WHERE name = ?1")?
                    .query_row([tag.trim()], |r| r.get(0))
                    .optional()?;
                match name {
                    Some(name) => Ok(format!("Everyone tagged \u{201c}{name}\u{201d}")),
                    None => Err(StoreError::Invalid(format!(
                        "No contact carries the tag \"{}\"; check the spelling.",
                        tag.trim()
                    ))),
                }
            }
            ReportScope::Everyone => Ok("Everyone".to_owned()),
            ReportScope::Contacts(ids) => Ok(match ids.len() {
                1 => "1 chosen contact".to_owned(),
                n => format!("{n} chosen contacts"),
            }),
        }
    }
}
