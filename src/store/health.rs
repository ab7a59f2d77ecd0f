//! Relationship health and the dashboard's lists: gathers what `insight::health` judges in one
//! ordered pass over contacts, conversations and follow-ups (constant memory at any size),
//! stores the result in `contact_health`, and reads the attention list, birthdays, recent
//! conversations and touch counts back for the dashboard.

use super::db::Db;
use super::db::OptionalExtension as _;
use super::sql_types::{parse_date, parse_time};
use super::{Result, Store};
use crate::insight::{
    AttentionItem, Health, HealthInput, HealthLevel, OpenPromise, RECENT_TOUCHES, Touch, health,
};
use crate::model::{
    Birthday, Channel, ContactId, FollowUpStatus, Initiator, InteractionId, Outcome, Purpose, Stage,
};
use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};
use rusqlite::params;

/// How many contacts are judged between progress reports and written per statement batch.
const CHUNK: usize = 2_000;

/// A recent conversation for the dashboard.
#[derive(Clone, Debug, PartialEq)]
pub struct RecentConversation {
    pub id: InteractionId,
    pub at: NaiveDateTime,
    pub channel: Channel,
    pub purpose: Purpose,
    pub outcome: Outcome,
    pub summary: String,
    /// The first participant, whose contact the entry opens.
    pub contact_id: ContactId,
    pub contact_name: String,
}

/// A birthday coming up.
#[derive(Clone, Debug, PartialEq)]
pub struct UpcomingBirthday {
    pub contact_id: ContactId,
    pub name: String,
    pub birthday: Birthday,
    pub on: NaiveDate,
}

/// A life event near today.
#[derive(Clone, Debug, PartialEq)]
pub struct NearbyLifeEvent {
    pub contact_id: ContactId,
    pub name: String,
    pub occurred_on: NaiveDate,
    pub kind: String,
    pub description: String,
}

/// The weakest-first order of contacts joined to `contact_health h` and `contacts c`: lowest
/// score, then (for people on the attention list) the most urgent kind of reason, then by name
/// and id; contacts not yet judged last. The attention list, `rapport attention` and the
/// contact list's "Weakest first" all sort by it in SQL, before any LIMIT. The urgency is read
/// from the stored judgement only for contacts that need attention (a few hundred at most), so
/// sorting the whole list stays a plain sort for everyone else.
pub(super) fn weakest_first_order(db: &super::db::Db) -> &'static str {
    static ORDERS: std::sync::LazyLock<[String; 2]> = std::sync::LazyLock::new(|| {
        let cases: String = crate::insight::ATTENTION_URGENCY
            .iter()
            .enumerate()
            .map(|(rank, kind)| format!(" WHEN '{kind}' THEN {rank}"))
            .collect();
        let last = crate::insight::ATTENTION_URGENCY.len();
        let order = |reasons: &str| {
            format!(
                "h.score IS NULL, h.score,
                 CASE WHEN h.attention = 1 THEN COALESCE((SELECT MIN(CASE k.key{cases} END)
                     FROM {reasons}), {last})
                 ELSE {last} END,
                 c.sort_key, c.id"
            )
        };
        [
            order("json_each(h.health_json, '$.reasons') r, json_each(r.value) k"),
            // Each reason is an object keyed by its kind (a kind without details is a plain
            // string, which SQLite's json_each gives no key for).
            order(
                "jsonb_array_elements(CAST(h.health_json AS jsonb) -> 'reasons') r,
                 jsonb_each(CASE WHEN jsonb_typeof(r.value) = 'object' THEN r.value
                            ELSE '{}'::jsonb END) k",
            ),
        ]
    });
    &ORDERS[db.is_postgres() as usize]
}

fn date_key(at: NaiveDateTime) -> String {
    at.format("%Y-%m-%d %H:%M:%S").to_string()
}

impl Store {
    /// Judges every live contact (or only `only`) as of `now` and hands each judgement to
    /// `each`. The three queries walk their indexes in contact order side by side, so memory
    /// stays the same at 100 or 100,000 contacts.
    pub fn judge_health(
        &self,
        only: Option<ContactId>,
        now: NaiveDateTime,
        mut each: impl FnMut(ContactId, Health) -> Result<bool>,
    ) -> Result<()> {
        let year_ago = date_key(now - Duration::days(365));
        let now_key = date_key(now);
        let (contact_filter, participant_filter, follow_up_filter) = match only {
            Some(_) => (
                "AND c.id = ?1",
                "AND p.contact_id = ?1",
                "AND f.contact_id = ?1",
            ),
            None => (
                "AND CAST(?1 AS BIGINT) IS NULL",
                "AND CAST(?1 AS BIGINT) IS NULL",
                "AND CAST(?1 AS BIGINT) IS NULL",
            ),
        };
        let id_param = only.map(|id| id.0);

        let mut contacts = self.conn.prepare_cached(&format!(
            "SELECT c.id, c.stage, c.is_decision_maker,
                    COALESCE(c.cadence_days, (SELECT MIN(t.cadence_days) FROM contact_tags ct
                        JOIN tags t ON t.id = ct.tag_id WHERE ct.contact_id = c.id)),
                    c.created_at
             FROM contacts c WHERE c.deleted_at IS NULL {contact_filter} ORDER BY c.id"
        ))?;
        let mut touches = self.conn.prepare_cached(&format!(
            "SELECT p.contact_id, p.occurred_at, i.channel, i.purpose, i.outcome
             FROM interaction_participants p JOIN interactions i ON i.id = p.interaction_id
             WHERE p.occurred_at <= ?2 {participant_filter}
             ORDER BY p.contact_id, p.occurred_at DESC"
        ))?;
        let mut follow_ups = self.conn.prepare_cached(&format!(
            "SELECT f.contact_id, f.text, f.due_date, f.due_time, f.status, f.created_at,
                    COALESCE(f.completed_at, f.updated_at)
             FROM follow_ups f WHERE f.promised_by = ?2 {follow_up_filter}
             ORDER BY f.contact_id, f.due_date, f.due_time"
        ))?;

        let mut contact_rows = contacts.query_map(params![id_param], |r| {
            let created: chrono::DateTime<chrono::Utc> = r.get(4)?;
            let mut input = HealthInput::new(
                r.get(0)?,
                created.with_timezone(&chrono::Local).date_naive(),
            );
            input.stage = r.get::<Stage>(1)?;
            input.is_decision_maker = r.get(2)?;
            input.cadence_days = r.get(3)?;
            Ok(input)
        })?;
        let mut touch_rows = touches
            .query_map(params![id_param, now_key], |r| {
                Ok((
                    r.get::<ContactId>(0)?,
                    Touch {
                        at: parse_time(&r.get::<String>(1)?)?,
                        channel: r.get(2)?,
                        purpose: r.get(3)?,
                        outcome: r.get(4)?,
                    },
                ))
            })?
            .peekable();
        let mut follow_up_rows = follow_ups
            .query_map(params![id_param, Initiator::Me.as_str()], |r| {
                let due_date: String = r.get(2)?;
                let due_time: Option<String> = r.get(3)?;
                let created: chrono::DateTime<chrono::Utc> = r.get(5)?;
                let closed: String = r.get(6)?;
                Ok((
                    r.get::<ContactId>(0)?,
                    r.get::<String>(1)?,
                    parse_date(&due_date)?,
                    due_time.and_then(|t| NaiveTime::parse_from_str(&t, "%H:%M").ok()),
                    r.get::<FollowUpStatus>(4)?,
                    created.with_timezone(&chrono::Local).date_naive(),
                    closed,
                ))
            })?
            .peekable();

        for input in contact_rows.by_ref() {
            let mut input = input?;
            let id = input.contact_id;
            // Skip rows of contacts that are not live (trashed): both streams are in id order.
            while let Some(Ok((cid, _))) = touch_rows.peek() {
                if *cid >= id {
                    break;
                }
                touch_rows.next();
            }
            while let Some(row) =
                touch_rows.next_if(|row| matches!(row, Ok((cid, _)) if *cid == id))
            {
                let (_, touch) = row?;
                if input.recent.len() < RECENT_TOUCHES {
                    input.recent.push(touch);
                }
                if touch.outcome == Outcome::Held && input.last_held.is_none() {
                    input.last_held = Some(touch.at);
                }
                if touch.outcome == Outcome::NoShow && touch.at >= now - Duration::days(365) {
                    input.no_shows_last_year += 1;
                }
            }
            if let Some(Err(_)) = touch_rows.peek()
                && let Some(Err(error)) = touch_rows.next()
            {
                return Err(error.into());
            }

            while let Some(Ok((cid, ..))) = follow_up_rows.peek() {
                if *cid >= id {
                    break;
                }
                follow_up_rows.next();
            }
            while let Some(row) =
                follow_up_rows.next_if(|row| matches!(row, Ok((cid, ..)) if *cid == id))
            {
                let (_, text, due_date, due_time, status, made_on, closed) = row?;
                match status {
                    FollowUpStatus::Open => input.open_promises.push(OpenPromise {
                        text,
                        made_on,
                        due_at: match due_time {
                            Some(t) => due_date.and_time(t),
                            None => due_date.and_hms_opt(23, 59, 59).unwrap_or_default(),
                        },
                    }),
                    FollowUpStatus::Done | FollowUpStatus::DoneLate => input.kept += 1,
                    FollowUpStatus::Missed => {
                        if closed.as_str() >= year_ago.as_str() {
                            input.broken_last_year += 1;
                        }
                    }
                    FollowUpStatus::Cancelled => {}
                }
            }
            if let Some(Err(_)) = follow_up_rows.peek()
                && let Some(Err(error)) = follow_up_rows.next()
            {
                return Err(error.into());
            }
            input.open_promises.sort_by_key(|p| p.due_at);
            if !each(id, health(&input, now))? {
                return Err(super::StoreError::Cancelled);
            }
        }
        Ok(())
    }

    /// Recomputes the health of the given contacts (after they changed) in one transaction.
    pub fn refresh_health(&mut self, ids: &[ContactId], now: NaiveDateTime) -> Result<()> {
        let mut judged = Vec::new();
        for id in ids {
            self.judge_health(Some(*id), now, |id, h| {
                judged.push((id, h));
                Ok(true)
            })?;
        }
        let today = now.date().to_string();
        if !self.may_write_health()? {
            return Ok(());
        }
        self.write(|tx| {
            for id in ids {
                tx.execute("DELETE FROM contact_health WHERE contact_id = ?1", [id])?;
            }
            write_health(tx, &judged, &today)
        })
    }

    /// False for a read-only member of a team database, whose window judges health to show
    /// it but may not write it (the members' windows do).
    fn may_write_health(&self) -> Result<bool> {
        if !self.conn.is_postgres() {
            return Ok(true);
        }
        self.conn.query_row(
            "SELECT has_table_privilege('contact_health', 'INSERT')",
            (),
            |r| r.get(0),
        )
    }

    /// Recomputes everyone's health as of `now`, reporting `(done, total)`; `progress`
    /// returning false cancels. Health is derived data: it is judged in one read snapshot,
    /// then written in short transactions so the window's own writes never wait long.
    /// Returns how many contacts were judged.
    pub fn refresh_all_health(
        &mut self,
        now: NaiveDateTime,
        mut progress: impl FnMut(usize, usize) -> bool,
    ) -> Result<usize> {
        let total = self.count_contacts("")?;
        let today = now.date().to_string();
        let mut judged = Vec::with_capacity(total);
        self.judge_health(None, now, |id, h| {
            judged.push((id, h));
            if judged.len() % CHUNK == 0 {
                return Ok(progress(judged.len(), total));
            }
            Ok(true)
        })?;
        if !self.may_write_health()? {
            progress(judged.len(), total);
            return Ok(judged.len());
        }
        for chunk in judged.chunks(CHUNK) {
            self.write(|tx| write_health(tx, chunk, &today))?;
        }
        self.write(|tx| {
            // Rows of contacts in the trash or gone are not shown anywhere; drop them.
            tx.execute(
                "DELETE FROM contact_health WHERE contact_id NOT IN
                     (SELECT id FROM contacts WHERE deleted_at IS NULL)",
                (),
            )?;
            tx.execute(
                "INSERT INTO settings (key, value) VALUES ('health_computed_on', ?1)
                 ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [&today],
            )?;
            Ok(())
        })?;
        progress(judged.len(), total);
        Ok(judged.len())
    }

    /// The day everyone's health was last computed, if ever.
    pub fn health_computed_on(&self) -> Option<NaiveDate> {
        self.setting("health_computed_on")
            .and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok())
    }

    /// A contact's stored health, if it was computed.
    pub fn health_of(&self, id: ContactId) -> Result<Option<Health>> {
        let json: Option<String> = self
            .conn
            .prepare_cached("SELECT health_json FROM contact_health WHERE contact_id = ?1")?
            .query_row([id], |r| r.get(0))
            .optional()?;
        Ok(json.and_then(|j| serde_json::from_str(&j).ok()))
    }

    /// How many live contacts need attention.
    pub fn count_attention(&self) -> Result<usize> {
        let n: i64 = self
            .conn
            .prepare_cached(
                "SELECT COUNT(*) FROM contact_health h JOIN contacts c ON c.id = h.contact_id
                 WHERE h.attention = 1 AND c.deleted_at IS NULL",
            )?
            .query_row((), |r| r.get(0))?;
        Ok(n as usize)
    }

    /// The contacts that need me, most urgent first (see `weakest_first_order`), at most
    /// `limit` of them: the first `limit` of `rapport attention` and of the weakest-first list.
    pub fn attention_list(&self, limit: usize) -> Result<Vec<AttentionItem>> {
        let items: Vec<AttentionItem> = self
            .conn
            .prepare_cached(&format!(
                "SELECT c.id, c.display_name, COALESCE(o.name, ''), h.health_json
                 FROM contact_health h {}
                 JOIN contacts c ON c.id = h.contact_id
                 LEFT JOIN organizations o ON o.id = c.organization_id
                 WHERE h.attention = 1 AND c.deleted_at IS NULL
                 ORDER BY {} LIMIT ?1",
                // SQLite's planner would walk the name index instead; PostgreSQL picks well.
                if self.conn.is_postgres() {
                    ""
                } else {
                    "INDEXED BY contact_health_by_attention"
                },
                weakest_first_order(&self.conn)
            ))?
            .query_map([limit as i64], |r| {
                Ok((
                    r.get::<ContactId>(0)?,
                    r.get::<String>(1)?,
                    r.get::<String>(2)?,
                    r.get::<String>(3)?,
                ))
            })?
            .filter_map(|row| {
                let (contact_id, name, organization, json) = match row {
                    Ok(row) => row,
                    Err(error) => return Some(Err(error)),
                };
                let health: Health = serde_json::from_str(&json).ok()?;
                Some(Ok(AttentionItem {
                    contact_id,
                    name,
                    organization,
                    score: health.score,
                    level: health.level,
                    reason_keys: health
                        .reasons
                        .iter()
                        .filter(|r| r.asks_for_action())
                        .map(|r| r.key().to_owned())
                        .collect(),
                    reasons: health
                        .reasons
                        .iter()
                        .filter(|r| r.asks_for_action())
                        .map(|r| r.sentence())
                        .collect(),
                }))
            })
            .collect::<rusqlite::Result<_>>()?;
        Ok(items)
    }

    /// Birthdays in the `days` days from `today` (inclusive), soonest first.
    pub fn upcoming_birthdays(&self, today: NaiveDate, days: i64) -> Result<Vec<UpcomingBirthday>> {
        use chrono::Datelike;
        let keys: Vec<i64> = (0..days)
            .map(|d| {
                let date = today + Duration::days(d);
                i64::from(date.month()) * 100 + i64::from(date.day())
            })
            .collect();
        let list = keys
            .iter()
            .map(|k| k.to_string())
            .collect::<Vec<_>>()
            .join(",");
        let mut found: Vec<UpcomingBirthday> = self
            .conn
            .prepare(&format!(
                "SELECT id, display_name, birthday_year, birthday_month, birthday_day FROM contacts
                 WHERE deleted_at IS NULL AND birthday_month IS NOT NULL
                   AND birthday_month * 100 + birthday_day IN ({list})"
            ))?
            .query_map((), |r| {
                Ok((
                    r.get::<ContactId>(0)?,
                    r.get::<String>(1)?,
                    r.get::<Option<i32>>(2)?,
                    r.get::<u32>(3)?,
                    r.get::<u32>(4)?,
                ))
            })?
            .filter_map(|row| match row {
                Ok((contact_id, name, year, month, day)) => {
                    let birthday = Birthday::new(year, month, day)?;
                    Some(Ok(UpcomingBirthday {
                        contact_id,
                        name,
                        on: birthday.next_on_or_after(today),
                        birthday,
                    }))
                }
                Err(error) => Some(Err(error)),
            })
            .collect::<rusqlite::Result<_>>()?;
        found.sort_by(|a, b| a.on.cmp(&b.on).then_with(|| a.name.cmp(&b.name)));
        Ok(found)
    }

    /// Life events dated between `from` and `to` (inclusive), newest first.
    pub fn life_events_between(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<NearbyLifeEvent>> {
        let rows = self
            .conn
            .prepare_cached(
                "SELECT e.contact_id, c.display_name, e.occurred_on, e.kind, e.description
                 FROM life_events e JOIN contacts c ON c.id = e.contact_id
                 WHERE e.occurred_on BETWEEN ?1 AND ?2 AND c.deleted_at IS NULL
                 ORDER BY e.occurred_on DESC LIMIT 50",
            )?
            .query_map(params![from.to_string(), to.to_string()], |r| {
                Ok(NearbyLifeEvent {
                    contact_id: r.get(0)?,
                    name: r.get(1)?,
                    occurred_on: parse_date(&r.get::<String>(2)?)?,
                    kind: r.get(3)?,
                    description: r.get(4)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// The latest conversations up to `now`, newest first.
    pub fn recent_conversations(
        &self,
        now: NaiveDateTime,
        limit: usize,
    ) -> Result<Vec<RecentConversation>> {
        let rows = self
            .conn
            .prepare_cached(
                "SELECT i.id, i.occurred_at, i.channel, i.purpose, i.outcome, i.summary,
                        c.id, c.display_name
                 FROM (SELECT id FROM interactions WHERE occurred_at <= ?1
                       ORDER BY occurred_at DESC, id DESC LIMIT ?2 * 4) page
                 JOIN interactions i ON i.id = page.id
                 JOIN contacts c ON c.id = (SELECT p.contact_id FROM interaction_participants p
                      JOIN contacts pc ON pc.id = p.contact_id
                      WHERE p.interaction_id = i.id AND pc.deleted_at IS NULL LIMIT 1)
                 ORDER BY i.occurred_at DESC, i.id DESC LIMIT ?2",
            )?
            .query_map(params![date_key(now), limit as i64], |r| {
                Ok(RecentConversation {
                    id: r.get(0)?,
                    at: parse_time(&r.get::<String>(1)?)?,
                    channel: r.get(2)?,
                    purpose: r.get(3)?,
                    outcome: r.get(4)?,
                    summary: r.get(5)?,
                    contact_id: r.get(6)?,
                    contact_name: r.get(7)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Conversations per day and purpose from `from` to `to` (inclusive), for the weekly chart.
    pub fn daily_touches(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<(NaiveDate, Purpose, u32)>> {
        let rows = self
            .conn
            .prepare_cached(
                "SELECT substr(occurred_at, 1, 10) AS day, purpose, COUNT(*) FROM interactions
                 WHERE occurred_at >= ?1 AND occurred_at < ?2 GROUP BY day, purpose",
            )?
            .query_map(
                params![from.to_string(), (to + Duration::days(1)).to_string()],
                |r| {
                    Ok((
                        parse_date(&r.get::<String>(0)?)?,
                        r.get::<Purpose>(1)?,
                        r.get::<i64>(2)? as u32,
                    ))
                },
            )?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Conversations per channel from `from` to `to` (inclusive), most used first.
    pub fn channel_mix(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<(Channel, u32)>> {
        let rows = self
            .conn
            .prepare_cached(
                "SELECT channel, COUNT(*) AS n FROM interactions
                 WHERE occurred_at >= ?1 AND occurred_at < ?2 GROUP BY channel ORDER BY n DESC",
            )?
            .query_map(
                params![from.to_string(), (to + Duration::days(1)).to_string()],
                |r| Ok((r.get::<Channel>(0)?, r.get::<i64>(1)? as u32)),
            )?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }
}

fn write_health(tx: &Db, judged: &[(ContactId, Health)], today: &str) -> Result<()> {
    let mut insert = tx.prepare_cached(
        "INSERT INTO contact_health
             (contact_id, score, level, attention, health_json, computed_on)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (contact_id) DO UPDATE SET score = excluded.score, level = excluded.level,
             attention = excluded.attention, health_json = excluded.health_json,
             computed_on = excluded.computed_on",
    )?;
    for (id, h) in judged {
        let json =
            serde_json::to_string(h).map_err(|e| super::StoreError::Invalid(e.to_string()))?;
        insert.execute(params![
            id,
            h.score,
            h.level.as_str(),
            h.needs_attention(),
            json,
            today
        ])?;
    }
    Ok(())
}

/// Parses a stored health level, for rows read elsewhere in the store.
pub(super) fn level_of(text: &str) -> Option<HealthLevel> {
    HealthLevel::parse(text)
}
