//! Follow-ups and promises: recording them, what is due, completing and rescheduling (history
//! kept), the promise ledger, and keep-in-touch cadences.

use super::db::{Db, OptionalExtension as _};
use super::sql_types::{fmt_time, parse_date, parse_time};
use super::{Result, Store, StoreError};
use crate::model::repeat::Repeat;
use crate::model::{
    CadenceRow, ContactId, DueFollowUp, FollowUp, FollowUpDraft, FollowUpId, FollowUpStatus,
    Initiator, PromiseCounts,
};
use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use rusqlite::params;

pub(super) const FOLLOW_UP_COLUMNS: &str =
    "f.id, f.contact_id, f.organization_id, f.interaction_id, f.text, f.notes,
     f.due_date, f.due_time, f.promised_by, f.status, f.completed_at, f.created_at, f.version,
     f.repeat_rule, f.series_first, f.occurrence, COALESCE(f.series_id, f.id)";

fn last_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(9999, 12, 31).unwrap_or(NaiveDate::MAX)
}

impl Store {
    /// One follow-up.
    pub fn follow_up(&self, id: FollowUpId) -> Result<crate::model::FollowUp> {
        self.conn
            .prepare_cached(&format!(
                "SELECT {FOLLOW_UP_COLUMNS} FROM follow_ups f WHERE f.id = ?1"
            ))?
            .query_row([id], follow_up_from_row)
            .optional()?
            .ok_or(StoreError::NotFound {
                what: "follow-up",
                id: id.0,
            })
    }

    /// Open follow-ups due on or before `until` (overdue ones included), soonest first, for
    /// contacts not in the trash.
    pub fn open_follow_ups_until(&self, until: NaiveDate) -> Result<Vec<DueFollowUp>> {
        let sql = format!(
            "SELECT {FOLLOW_UP_COLUMNS}, c.display_name FROM follow_ups f
             JOIN contacts c ON c.id = f.contact_id
             WHERE f.status = 'open' AND f.due_date <= ?1 AND c.deleted_at IS NULL
             ORDER BY f.due_date, f.due_time IS NULL, f.due_time, f.id"
        );
        let rows = self
            .conn
            .prepare_cached(&sql)?
            // Dates are stored as YYYY-MM-DD text: keep the bound in that form (NaiveDate::MAX
            // prints with a sign and would sort before every date).
            .query_map([until.min(last_day()).to_string()], |r| {
                Ok(DueFollowUp {
                    follow_up: follow_up_from_row(r)?,
                    contact_name: r.get(17)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Deletes a follow-up (used to undo creating one).
    pub fn delete_follow_up(&mut self, id: FollowUpId) -> Result<()> {
        self.write(|tx| {
            if tx.execute("DELETE FROM follow_ups WHERE id = ?1", [id])? == 0 {
                return Err(StoreError::NotFound {
                    what: "follow-up",
                    id: id.0,
                });
            }
            Ok(())
        })
    }

    /// Ticks a follow-up off at local time `at`: kept on time, or kept late after its due moment.
    pub fn complete_follow_up(
        &mut self,
        id: FollowUpId,
        at: NaiveDateTime,
    ) -> Result<FollowUpStatus> {
        let follow_up = self.follow_up(id)?;
        let status = follow_up.draft.status_when_done(at);
        self.set_follow_up_status(id, status, at)?;
        Ok(status)
    }

    /// Ticks off the follow-up as it was shown (`seen`); when a teammate changed it since (did
    /// it, moved it), nothing is written and it says who. A repeating one's next occurrence
    /// is scheduled in the same step, and named.
    pub fn complete_follow_up_seen(
        &mut self,
        seen: &FollowUp,
        at: NaiveDateTime,
    ) -> Result<(FollowUpStatus, Option<FollowUpId>)> {
        let status = seen.draft.status_when_done(at);
        let next = self.set_follow_up_status_seen(seen.id, status, at, Some(seen.version))?;
        Ok((status, next))
    }

    /// Moves a follow-up to a new due moment; the old one is kept in its history.
    pub fn reschedule_follow_up(
        &mut self,
        id: FollowUpId,
        due_date: NaiveDate,
        due_time: Option<NaiveTime>,
        note: &str,
    ) -> Result<()> {
        self.reschedule_follow_up_seen(id, (due_date, due_time), note, None)
    }

    /// Moves a follow-up unless it changed since `seen_version` was shown (see
    /// `complete_follow_up_seen`).
    pub fn reschedule_follow_up_seen(
        &mut self,
        id: FollowUpId,
        (due_date, due_time): (NaiveDate, Option<NaiveTime>),
        note: &str,
        seen_version: Option<i64>,
    ) -> Result<()> {
        let now = self.now();
        self.write(|tx| {
            if let Some(seen) = seen_version {
                super::versions::unchanged_since(tx, "follow_ups", id.0, seen)?;
            }
            let changed = tx.execute(
                "INSERT INTO follow_up_changes (follow_up_id, changed_at, old_due_date, old_due_time, old_status, note)
                 SELECT id, ?2, due_date, due_time, status, ?3 FROM follow_ups WHERE id = ?1",
                params![id, now, note.trim()],
            )?;
            if changed == 0 {
                return Err(StoreError::NotFound { what: "follow-up", id: id.0 });
            }
            tx.execute(
                "UPDATE follow_ups SET due_date = ?2, due_time = ?3, status = 'open', completed_at = NULL,
                 updated_at = ?4 WHERE id = ?1",
                params![id, due_date.to_string(), due_time.map(|t| t.format("%H:%M").to_string()), now],
            )?;
            Ok(())
        })
    }

    /// Follow-ups settled (done, missed or cancelled) at or after `since`, local time, soonest
    /// due first: the calendar export marks their events cancelled.
    pub fn settled_follow_ups_since(&self, since: NaiveDateTime) -> Result<Vec<DueFollowUp>> {
        let sql = format!(
            "SELECT {FOLLOW_UP_COLUMNS}, c.display_name FROM follow_ups f
             JOIN contacts c ON c.id = f.contact_id
             WHERE f.status <> 'open' AND f.completed_at >= ?1
             ORDER BY f.due_date, f.id"
        );
        let rows = self
            .conn
            .prepare_cached(&sql)?
            .query_map([fmt_time(since)], |r| {
                Ok(DueFollowUp {
                    follow_up: follow_up_from_row(r)?,
                    contact_name: r.get(17)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// How many times a follow-up was moved.
    pub fn reschedule_count(&self, id: FollowUpId) -> Result<usize> {
        let n: i64 = self
            .conn
            .prepare_cached("SELECT COUNT(*) FROM follow_up_changes WHERE follow_up_id = ?1")?
            .query_row([id], |r| r.get(0))?;
        Ok(n as usize)
    }

    /// How many times each open follow-up was moved, for those moved at all: a calendar's
    /// `SEQUENCE`, which tells a calendar app that a re-imported event is a newer version.
    pub fn open_follow_up_reschedules(&self) -> Result<std::collections::HashMap<FollowUpId, u32>> {
        let rows = self
            .conn
            .prepare_cached(
                "SELECT c.follow_up_id, COUNT(*) FROM follow_up_changes c
                 JOIN follow_ups f ON f.id = c.follow_up_id
                 WHERE f.status = 'open' GROUP BY c.follow_up_id",
            )?
            .query_map((), |r| {
                let n: i64 = r.get(1)?;
                Ok((r.get(0)?, u32::try_from(n).unwrap_or(u32::MAX)))
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// The promise ledger for one contact, or for everyone: kept on time, late, broken, open
    /// (and overdue as of `now`), promises they made, and no-shows.
    pub fn promise_counts(
        &self,
        contact: Option<ContactId>,
        now: NaiveDateTime,
    ) -> Result<PromiseCounts> {
        let mut counts = PromiseCounts::default();
        let mut stmt = self.conn.prepare_cached(
            "SELECT promised_by, status, due_date, due_time FROM follow_ups
             WHERE CAST(?1 AS BIGINT) IS NULL OR contact_id = ?1",
        )?;
        let rows = stmt.query_map([contact], |r| {
            Ok((
                r.get::<Initiator>(0)?,
                r.get::<FollowUpStatus>(1)?,
                r.get::<String>(2)?,
                r.get::<Option<String>>(3)?,
            ))
        })?;
        for row in rows {
            let (by, status, date, time) = row?;
            match (by, status) {
                (Initiator::Me, FollowUpStatus::Done) => counts.mine_kept += 1,
                (Initiator::Me, FollowUpStatus::DoneLate) => counts.mine_late += 1,
                (Initiator::Me, FollowUpStatus::Missed) => counts.mine_broken += 1,
                (Initiator::Me, FollowUpStatus::Open) => {
                    counts.mine_open += 1;
                    let due =
                        NaiveDate::parse_from_str(&date, "%Y-%m-%d").ok().map(|d| {
                            match time.and_then(|t| NaiveTime::parse_from_str(&t, "%H:%M").ok()) {
                                Some(t) => d.and_time(t),
                                None => d.and_hms_opt(23, 59, 59).unwrap_or_default(),
                            }
                        });
                    if due.is_some_and(|due| due < now) {
                        counts.mine_overdue += 1;
                    }
                }
                (Initiator::Them, FollowUpStatus::Done | FollowUpStatus::DoneLate) => {
                    counts.theirs_kept += 1
                }
                (Initiator::Them, FollowUpStatus::Missed) => counts.theirs_broken += 1,
                (Initiator::Them, FollowUpStatus::Open) => counts.theirs_open += 1,
                (_, FollowUpStatus::Cancelled) => {}
            }
        }
        let no_shows: i64 = match contact {
            Some(id) => self
                .conn
                .prepare_cached(
                    "SELECT COUNT(*) FROM interaction_participants p JOIN interactions i ON i.id = p.interaction_id
                     WHERE p.contact_id = ?1 AND i.outcome = 'no_show'",
                )?
                .query_row([id], |r| r.get(0))?,
            None => self
                .conn
                .prepare_cached("SELECT COUNT(*) FROM interactions WHERE outcome = 'no_show'")?
                .query_row((), |r| r.get(0))?,
        };
        counts.no_shows = no_shows as u32;
        Ok(counts)
    }

    /// Every live contact with a keep-in-touch cadence (their own, else the shortest of their
    /// tags'), with their last conversation. Any conversation that was held counts as a touch
    /// (a cancelled meeting or a no-show does not).
    pub fn cadence_rows(&self) -> Result<Vec<CadenceRow>> {
        self.cadence_rows_at(NaiveDateTime::MAX)
    }

    /// [`Store::cadence_rows`] as of `now`: a conversation dated later (a meeting ahead, logged
    /// or imported from a calendar) is no touch yet.
    pub fn cadence_rows_at(&self, now: NaiveDateTime) -> Result<Vec<CadenceRow>> {
        let last = NaiveDate::from_ymd_opt(9999, 12, 31).and_then(|d| d.and_hms_opt(23, 59, 59));
        let now = fmt_time(now.min(last.unwrap_or(NaiveDateTime::MAX)));
        let rows = self
            .conn
            .prepare_cached(
                "SELECT c.id, c.display_name, cadence, c.created_at,
                        (SELECT p.occurred_at FROM interaction_participants p
                         JOIN interactions i ON i.id = p.interaction_id
                         WHERE p.contact_id = c.id AND p.occurred_at <= ?1 AND i.outcome = 'held'
                         ORDER BY p.occurred_at DESC LIMIT 1)
                 FROM (SELECT c.*, COALESCE(c.cadence_days,
                         (SELECT MIN(t.cadence_days) FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id
                          WHERE ct.contact_id = c.id)) AS cadence
                       FROM contacts c WHERE c.deleted_at IS NULL) c
                 WHERE cadence IS NOT NULL",
            )?
            .query_map([now], |r| {
                let created: chrono::DateTime<chrono::Utc> = r.get(3)?;
                let last: Option<String> = r.get(4)?;
                Ok(CadenceRow {
                    id: r.get(0)?,
                    display_name: r.get(1)?,
                    cadence_days: r.get(2)?,
                    last_touch: last.map(|t| parse_time(&t)).transpose()?,
                    added_on: created.with_timezone(&chrono::Local).date_naive(),
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Sets a tag's keep-in-touch cadence (creating the tag if needed).
    pub fn set_tag_cadence(&mut self, tag: &str, days: Option<i64>) -> Result<()> {
        let tag = tag.trim();
        if tag.is_empty() {
            return Err(StoreError::Invalid("Name the tag.".to_owned()));
        }
        self.write(|tx| {
            tx.execute(
                "INSERT INTO tags (name) VALUES (?1) ON CONFLICT DO NOTHING",
                [tag],
            )?;
            tx.execute(
                "UPDATE tags SET cadence_days = ?2 WHERE name = ?1",
                params![tag, days],
            )?;
            Ok(())
        })
    }

    /// The open follow-up due soonest after `after` that has a time, for reminders.
    pub fn next_timed_follow_up_after(
        &self,
        after: NaiveDateTime,
    ) -> Result<Option<NaiveDateTime>> {
        let row: Option<(String, String)> = self
            .conn
            .prepare_cached(
                "SELECT due_date, due_time FROM follow_ups
                 WHERE status = 'open' AND due_time IS NOT NULL AND (due_date || ' ' || due_time || ':00') > ?1
                 ORDER BY due_date, due_time LIMIT 1",
            )?
            .query_row([fmt_time(after)], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        Ok(row.and_then(|(d, t)| {
            NaiveDateTime::parse_from_str(&format!("{d} {t}"), "%Y-%m-%d %H:%M").ok()
        }))
    }

    /// Open follow-ups with a time that came due in `(after, until]`, for notifications.
    pub fn timed_follow_ups_due_between(
        &self,
        after: NaiveDateTime,
        until: NaiveDateTime,
    ) -> Result<Vec<DueFollowUp>> {
        let list = self.open_follow_ups_until(until.date())?;
        Ok(list
            .into_iter()
            .filter(|d| d.follow_up.draft.due_time.is_some())
            .filter(|d| {
                let due = d.follow_up.draft.due_moment();
                due > after && due <= until
            })
            .collect())
    }

    /// Every live contact with a birthday, for the calendar export.
    pub fn birthdays(&self) -> Result<Vec<(ContactId, String, crate::model::Birthday)>> {
        let rows = self
            .conn
            .prepare_cached(
                "SELECT id, display_name, birthday_year, birthday_month, birthday_day FROM contacts
                 WHERE deleted_at IS NULL AND birthday_month IS NOT NULL ORDER BY birthday_month, birthday_day",
            )?
            .query_map((), |r| {
                Ok((r.get::<ContactId>(0)?, r.get::<String>(1)?, r.get::<Option<i32>>(2)?, r.get::<u32>(3)?, r.get::<u32>(4)?))
            })?
            .filter_map(|row| match row {
                Ok((id, name, year, month, day)) => crate::model::Birthday::new(year, month, day).map(|b| Ok((id, name, b))),
                Err(e) => Some(Err(e)),
            })
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Records a follow-up (a promise, mine or theirs).
    pub fn add_follow_up(&mut self, draft: &FollowUpDraft) -> Result<FollowUpId> {
        if draft.text.trim().is_empty() {
            return Err(StoreError::Invalid(
                "Say what the follow-up is about.".to_owned(),
            ));
        }
        let now = self.now();
        self.write(|tx| insert_follow_up(tx, draft, now))
    }

    /// Marks a follow-up with a final status at a local time.
    pub fn set_follow_up_status(
        &mut self,
        id: FollowUpId,
        status: FollowUpStatus,
        at: NaiveDateTime,
    ) -> Result<()> {
        self.set_follow_up_status_seen(id, status, at, None)
            .map(|_| ())
    }

    /// Sets a final status unless the follow-up changed since `seen_version` was shown. Done,
    /// done late or missed, a repeating follow-up's next occurrence is written too (its id is
    /// returned); cancelled, its series ends.
    pub fn set_follow_up_status_seen(
        &mut self,
        id: FollowUpId,
        status: FollowUpStatus,
        at: NaiveDateTime,
        seen_version: Option<i64>,
    ) -> Result<Option<FollowUpId>> {
        let now = self.now();
        self.write(|tx| {
            if let Some(seen) = seen_version {
                super::versions::unchanged_since(tx, "follow_ups", id.0, seen)?;
            }
            let completed = (status != FollowUpStatus::Open).then(|| fmt_time(at));
            let changed = tx.execute(
                "UPDATE follow_ups SET status = ?2, completed_at = ?3, updated_at = ?4 WHERE id = ?1",
                params![id, status, completed, now],
            )?;
            if changed == 0 {
                return Err(StoreError::NotFound { what: "follow-up", id: id.0 });
            }
            if matches!(status, FollowUpStatus::Open | FollowUpStatus::Cancelled) {
                return Ok(None);
            }
            schedule_next(tx, id, at, now)
        })
    }

    /// A contact's follow-ups, soonest due first.
    pub fn follow_ups_for_contact(&self, contact: ContactId) -> Result<Vec<FollowUp>> {
        let sql = format!(
            "SELECT {FOLLOW_UP_COLUMNS} FROM follow_ups f WHERE f.contact_id = ?1
             ORDER BY f.due_date, f.due_time, f.id"
        );
        let rows = self
            .conn
            .prepare_cached(&sql)?
            .query_map([contact], follow_up_from_row)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }
}

pub(super) fn follow_up_from_row(r: &super::db::Row<'_, '_>) -> rusqlite::Result<FollowUp> {
    let due_time: Option<String> = r.get(7)?;
    let completed: Option<String> = r.get(10)?;
    let due_date = parse_date(&r.get::<String>(6)?)?;
    let repeat: Option<String> = r.get(13)?;
    let first: Option<String> = r.get(14)?;
    Ok(FollowUp {
        id: r.get(0)?,
        draft: FollowUpDraft {
            contact_id: r.get(1)?,
            organization_id: r.get(2)?,
            interaction_id: r.get(3)?,
            text: r.get(4)?,
            notes: r.get(5)?,
            due_date,
            due_time: due_time.and_then(|t| NaiveTime::parse_from_str(&t, "%H:%M").ok()),
            promised_by: r.get(8)?,
            repeat: repeat
                .as_deref()
                .and_then(|rule| Repeat::from_rrule(rule).ok()),
        },
        status: r.get(9)?,
        completed_at: completed.map(|t| parse_time(&t)).transpose()?,
        created_at: r.get(11)?,
        version: r.get(12)?,
        series_first: match first {
            Some(first) => parse_date(&first)?,
            None => due_date,
        },
        occurrence: r.get::<i64>(15)?.clamp(1, u32::MAX as i64) as u32,
        series: r.get(16)?,
    })
}

/// After an occurrence of a repeating follow-up was settled at `at`: the next one, on the
/// rule's first date after both its due day and the day before `at` (one done late moves to
/// the next date still ahead, never to "done plus the interval"), unless the series ended.
fn schedule_next(
    tx: &Db,
    id: FollowUpId,
    at: NaiveDateTime,
    now: DateTime<Utc>,
) -> Result<Option<FollowUpId>> {
    let settled = tx
        .prepare_cached(&format!(
            "SELECT {FOLLOW_UP_COLUMNS} FROM follow_ups f WHERE f.id = ?1"
        ))?
        .query_row([id], follow_up_from_row)?;
    let Some(repeat) = &settled.draft.repeat else {
        return Ok(None);
    };
    let after = settled
        .draft
        .due_date
        .max(at.date().pred_opt().unwrap_or(at.date()));
    let (first, done) = (settled.series_first, settled.occurrence);
    let Some(date) = repeat.next(first, done, Some(after)) else {
        return Ok(None);
    };
    // Its number in the series: dates skipped while it was late count too, as in a calendar.
    let mut number = done + 1;
    while repeat
        .next(first, number - 1, None)
        .is_some_and(|d| d < date)
    {
        number += 1;
    }
    let draft = FollowUpDraft {
        due_date: date,
        ..settled.draft.clone()
    };
    insert_occurrence(tx, &draft, (first, number, Some(settled.series)), now).map(Some)
}

pub(super) fn insert_follow_up(
    tx: &Db,
    draft: &FollowUpDraft,
    now: DateTime<Utc>,
) -> Result<FollowUpId> {
    insert_occurrence(tx, draft, (draft.due_date, 1, None), now)
}

/// Writes a follow-up as occurrence `number` of the series of `series` that began on `first`
/// (a follow-up that does not repeat, or a series' first, is the first of its own).
fn insert_occurrence(
    tx: &Db,
    draft: &FollowUpDraft,
    (first, number, series): (NaiveDate, u32, Option<FollowUpId>),
    now: DateTime<Utc>,
) -> Result<FollowUpId> {
    tx.prepare_cached(
        "INSERT INTO follow_ups (contact_id, organization_id, interaction_id, text, notes,
         due_date, due_time, promised_by, status, created_at, updated_at, repeat_rule,
         series_first, occurrence, series_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'open', ?9, ?9, ?10, ?11, ?12, ?13)",
    )?
    .execute(params![
        draft.contact_id,
        draft.organization_id,
        draft.interaction_id,
        draft.text.trim(),
        draft.notes.trim(),
        draft.due_date.to_string(),
        draft.due_time.map(|t| t.format("%H:%M").to_string()),
        draft.promised_by,
        now,
        draft.repeat.as_ref().map(|r| r.rrule_value().to_owned()),
        first.to_string(),
        i64::from(number),
        series,
    ])?;
    Ok(FollowUpId(tx.last_insert_id("follow_ups")?))
}
