//! How model values are kept in SQLite columns: typed ids as integers, vocabularies by their
//! stable storage names, local times as `YYYY-MM-DD HH:MM:SS` text, and the keys names and
//! phone numbers are matched by. The model knows nothing of SQL; these impls live here so that
//! `rusqlite` is named only inside the store.

use crate::model::{
    Channel, ContactId, FollowUpId, FollowUpStatus, ImportBatchId, Initiator, InteractionId,
    LifeEventId, OrganizationId, Outcome, Purpose, Stage,
};
use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};

/// Typed ids are stored as their integer.
macro_rules! id_columns {
    ($($name:ident),* $(,)?) => {$(
        impl ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
                self.0.to_sql()
            }
        }

        impl FromSql for $name {
            fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
                i64::column_result(value).map($name)
            }
        }
    )*};
}

id_columns!(
    ContactId,
    OrganizationId,
    InteractionId,
    FollowUpId,
    LifeEventId,
    ImportBatchId,
);

/// Vocabularies (`model::enums`) are stored by their stable name (`as_str`) and read back with
/// `FromStr`; a name this build does not know is a conversion error, not a silent default.
macro_rules! vocabulary_columns {
    ($($name:ident),* $(,)?) => {$(
        impl ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
                Ok(ToSqlOutput::from(self.as_str()))
            }
        }

        impl FromSql for $name {
            fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
                let text = value.as_str()?;
                text.parse().map_err(|e| FromSqlError::Other(Box::new(e)))
            }
        }
    )*};
}

vocabulary_columns!(Channel, Purpose, Outcome, Initiator, Stage, FollowUpStatus);

const TIME_FORMAT: &str = "%Y-%m-%d %H:%M:%S";

pub(super) fn fmt_time(t: NaiveDateTime) -> String {
    t.format(TIME_FORMAT).to_string()
}

pub(super) fn parse_time(text: &str) -> rusqlite::Result<NaiveDateTime> {
    NaiveDateTime::parse_from_str(text, TIME_FORMAT).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, e.into())
    })
}

pub(super) fn parse_date(text: &str) -> rusqlite::Result<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, e.into())
    })
}

/// Lowercased, trimmed text used for matching and ordering names.
pub(super) fn key_of(text: &str) -> String {
    text.trim().to_lowercase()
}

/// Digits (and a leading +) of a phone number, for matching.
pub(super) fn phone_key(number: &str) -> String {
    let trimmed = number.trim();
    let mut key: String = trimmed.chars().filter(|c| c.is_ascii_digit()).collect();
    if trimmed.starts_with('+') {
        key.insert(0, '+');
    }
    key
}
