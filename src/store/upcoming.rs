//! Meetings ahead: conversations dated after now (logged ahead or imported from a calendar),
//! for Today. Cancelled ones are not upcoming. One query over the time index: its cost grows
//! with the meetings in the period asked, not with what is stored. On a team database the
//! server's row-level security leaves out a teammate's private conversations, as everywhere.

use super::sql_types::parse_time;
use super::{Result, Store};
use crate::model::conversation_rows::UpcomingMeeting;
use crate::model::{Channel, ContactId, InteractionId};
use chrono::NaiveDateTime;

/// What one row of the query holds: a meeting and one of its people.
type MeetingPerson = (
    InteractionId,
    String,
    Channel,
    String,
    Option<i64>,
    ContactId,
    String,
);

impl Store {
    /// Held conversations after `now` and before `until`, soonest first, at most `limit`,
    /// each with the people in it who are not in the trash (by name). A meeting with nobody
    /// left is not listed.
    pub fn upcoming_meetings(
        &self,
        now: NaiveDateTime,
        until: NaiveDateTime,
        limit: usize,
    ) -> Result<Vec<UpcomingMeeting>> {
        let rows: Vec<MeetingPerson> = self
            .conn
            .prepare_cached(
                "SELECT i.id, i.occurred_at, i.channel, i.summary, i.duration_minutes,
                        c.id, c.display_name
                 FROM (SELECT id FROM interactions
                       WHERE occurred_at > ?1 AND occurred_at < ?2 AND outcome = 'held'
                       ORDER BY occurred_at, id LIMIT ?3) page
                 JOIN interactions i ON i.id = page.id
                 JOIN interaction_participants p ON p.interaction_id = i.id
                 JOIN contacts c ON c.id = p.contact_id AND c.deleted_at IS NULL
                 ORDER BY i.occurred_at, i.id, c.display_name, c.id",
            )?
            .query_map(
                rusqlite::params![
                    now.format("%Y-%m-%d %H:%M:%S").to_string(),
                    until.format("%Y-%m-%d %H:%M:%S").to_string(),
                    limit as i64
                ],
                |r| {
                    Ok((
                        r.get(0)?,
                        r.get(1)?,
                        r.get(2)?,
                        r.get(3)?,
                        r.get(4)?,
                        r.get(5)?,
                        r.get(6)?,
                    ))
                },
            )?
            .collect::<rusqlite::Result<_>>()?;
        let mut meetings: Vec<UpcomingMeeting> = Vec::new();
        for (id, at, channel, summary, duration_minutes, contact, name) in rows {
            match meetings.last_mut() {
                Some(last) if last.id == id => last.people.push((contact, name)),
                _ => meetings.push(UpcomingMeeting {
                    id,
                    at: parse_time(&at)?,
                    channel,
                    summary,
                    duration_minutes,
                    people: vec![(contact, name)],
                }),
            }
        }
        Ok(meetings)
    }
}
