//! One handle over either engine, so the store's operations are written once: `Db` is a SQLite
//! connection (the local file) or a PostgreSQL client (a team database), and offers the few
//! calls the store makes — `execute`, `query_row`, `prepare_cached` with `query_map` — with the
//! same behaviour on both.
//!
//! Values cross in SQLite's vocabulary (`rusqlite::types::ToSql` / `FromSql`), which every model
//! type the store writes already speaks; on PostgreSQL each parameter becomes a `PgValue` bound
//! to the column type the server inferred, and each column read comes back as one. SQL is
//! written with `?N` (or `?`) placeholders and turned into `$N` for PostgreSQL. What the two
//! dialects spell differently is chosen where it is written, with `Db::is_postgres`.

use super::{Result, StoreError};
use postgres::types::{FromSql as PgFromSql, IsNull, ToSql as PgToSql, Type, to_sql_checked};
use rusqlite::types::{FromSql, ToSql, ToSqlOutput, ValueRef};
use std::cell::RefCell;
use std::collections::HashMap;

/// A connection to the database of either engine.
#[allow(clippy::large_enum_variant)] // one per store, never moved about in numbers
pub enum Db {
    Sqlite(rusqlite::Connection),
    Postgres(PgConn),
}

/// A PostgreSQL client with the statements it has prepared, by their SQL.
pub struct PgConn {
    client: RefCell<postgres::Client>,
    statements: RefCell<HashMap<String, postgres::Statement>>,
}

impl PgConn {
    pub fn new(client: postgres::Client) -> Self {
        Self {
            client: RefCell::new(client),
            statements: RefCell::default(),
        }
    }

    /// The client itself, for what only PostgreSQL does (`COPY`, `LISTEN`).
    pub fn client(&self) -> std::cell::RefMut<'_, postgres::Client> {
        self.client.borrow_mut()
    }

    fn statement(&self, sql: &str) -> Result<postgres::Statement> {
        if let Some(statement) = self.statements.borrow().get(sql) {
            return Ok(statement.clone());
        }
        let statement = self
            .client
            .borrow_mut()
            .prepare(&dollar_placeholders(sql))?;
        let mut statements = self.statements.borrow_mut();
        if statements.len() > 512 {
            statements.clear();
        }
        statements.insert(sql.to_owned(), statement.clone());
        Ok(statement)
    }

    fn run(&self, sql: &str, values: &[PgValue]) -> Result<u64> {
        let refs: Vec<&(dyn PgToSql + Sync)> = values.iter().map(|v| v as _).collect();
        self.again_if_stale(sql, |client, statement| client.execute(statement, &refs))
    }

    fn rows(&self, sql: &str, values: &[PgValue]) -> Result<Vec<Vec<PgValue>>> {
        let refs: Vec<&(dyn PgToSql + Sync)> = values.iter().map(|v| v as _).collect();
        let rows = self.again_if_stale(sql, |client, statement| client.query(statement, &refs))?;
        rows.iter()
            .map(|row| {
                (0..row.len())
                    .map(|i| row.try_get::<_, PgValue>(i).map_err(StoreError::from))
                    .collect()
            })
            .collect()
    }

    /// Runs `call` with the statement for `sql`; when another client changed the schema since
    /// it was prepared ("cached plan must not change result type"), prepares it again and
    /// tries once more (inside a transaction the first failure stands, and the next one works).
    fn again_if_stale<T>(
        &self,
        sql: &str,
        call: impl Fn(&mut postgres::Client, &postgres::Statement) -> Result<T, postgres::Error>,
    ) -> Result<T> {
        let statement = self.statement(sql)?;
        let first = call(&mut self.client.borrow_mut(), &statement);
        match first {
            Err(e) if is_stale_plan(&e) => {
                self.statements.borrow_mut().remove(sql);
                let statement = self.statement(sql)?;
                call(&mut self.client.borrow_mut(), &statement).map_err(|_| refusal(e))
            }
            other => other.map_err(refusal),
        }
    }

    /// The columns a statement returns, prepared anew (a `SELECT *` asks this first, and the
    /// query that follows must return the same columns even if the schema changed).
    fn columns(&self, sql: &str) -> Result<Vec<String>> {
        self.statements.borrow_mut().remove(sql);
        Ok(self
            .statement(sql)?
            .columns()
            .iter()
            .map(|c| c.name().to_owned())
            .collect())
    }
}

fn is_stale_plan(e: &postgres::Error) -> bool {
    e.code() == Some(&postgres::error::SqlState::FEATURE_NOT_SUPPORTED)
        && e.as_db_error()
            .is_some_and(|db| db.message().contains("cached plan"))
}

/// The server's refusals in words: a role without the right, a row private to someone else.
fn refusal(e: postgres::Error) -> StoreError {
    let Some(db) = e.as_db_error() else {
        return StoreError::Postgres(e);
    };
    // Refusals of the schema's own triggers say what happened in a sentence of their own.
    if db.code().code() == "RP001" {
        return StoreError::NotAllowed(db.message().to_owned());
    }
    if db.code() == &postgres::error::SqlState::FOREIGN_KEY_VIOLATION
        && db
            .message()
            .starts_with("update or delete on table \"contacts\"")
        && matches!(
            db.constraint(),
            Some("interaction_participants_contact_id_fkey" | "follow_ups_contact_id_fkey")
        )
    {
        return StoreError::NotAllowed(
            "A teammate keeps a private conversation or promise with this contact, so it cannot be deleted for good while they do; nothing was changed.".to_owned(),
        );
    }
    if db.code() != &postgres::error::SqlState::INSUFFICIENT_PRIVILEGE {
        return StoreError::Postgres(e);
    }
    if db.message().contains("row-level security") {
        StoreError::NotAllowed(
            "That is private to the team member who made it; nothing was changed.".to_owned(),
        )
    } else {
        StoreError::NotAllowed(
            "Your role in this team database does not allow that (read-only, or not an owner); nothing was changed.".to_owned(),
        )
    }
}

/// Parameters as the store writes them: `params![a, b]`, `[id]`, `[]`, or `params_from_iter`.
pub trait Params {
    fn bound(&self) -> Vec<&dyn ToSql>;
}

impl Params for &[&dyn ToSql] {
    fn bound(&self) -> Vec<&dyn ToSql> {
        self.to_vec()
    }
}

impl Params for () {
    fn bound(&self) -> Vec<&dyn ToSql> {
        Vec::new()
    }
}

impl<T: ToSql, const N: usize> Params for [T; N] {
    fn bound(&self) -> Vec<&dyn ToSql> {
        self.iter().map(|v| v as &dyn ToSql).collect()
    }
}

impl<T: ToSql, const N: usize> Params for &[T; N] {
    fn bound(&self) -> Vec<&dyn ToSql> {
        self.iter().map(|v| v as &dyn ToSql).collect()
    }
}

/// Any number of values of one type, like `rusqlite::params_from_iter`.
pub struct ParamsFromIter<T>(Vec<T>);

pub fn params_from_iter<I>(values: I) -> ParamsFromIter<I::Item>
where
    I: IntoIterator,
    I::Item: ToSql,
{
    ParamsFromIter(values.into_iter().collect())
}

impl<T: ToSql> Params for ParamsFromIter<T> {
    fn bound(&self) -> Vec<&dyn ToSql> {
        self.0.iter().map(|v| v as &dyn ToSql).collect()
    }
}

/// `query_row(..).optional()`: no row is `None`, not an error.
pub trait OptionalExtension<T> {
    fn optional(self) -> Result<Option<T>>;
}

impl<T> OptionalExtension<T> for Result<T> {
    fn optional(self) -> Result<Option<T>> {
        match self {
            Ok(value) => Ok(Some(value)),
            Err(StoreError::Sqlite(rusqlite::Error::QueryReturnedNoRows)) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

/// One row of a result, from either engine.
pub enum Row<'r, 's> {
    Sqlite(&'r rusqlite::Row<'s>),
    Pg(&'r [PgValue]),
}

impl Row<'_, '_> {
    /// Column `index` as `T`, converted the same way on both engines.
    pub fn get<T: FromSql>(&self, index: usize) -> rusqlite::Result<T> {
        match self {
            Row::Sqlite(row) => row.get(index),
            Row::Pg(values) => {
                let value = values
                    .get(index)
                    .ok_or(rusqlite::Error::InvalidColumnIndex(index))?;
                T::column_result(value.as_ref()).map_err(|e| match e {
                    rusqlite::types::FromSqlError::InvalidType => {
                        rusqlite::Error::InvalidColumnType(index, String::new(), value.kind())
                    }
                    other => rusqlite::Error::FromSqlConversionFailure(
                        index,
                        value.kind(),
                        Box::new(other),
                    ),
                })
            }
        }
    }
}

impl Db {
    pub fn is_postgres(&self) -> bool {
        matches!(self, Db::Postgres(_))
    }

    /// The SQLite connection, for what only SQLite has (pragmas, the backup API); a sentence
    /// for a team database.
    pub fn sqlite(&self) -> Result<&rusqlite::Connection> {
        match self {
            Db::Sqlite(conn) => Ok(conn),
            Db::Postgres(_) => Err(StoreError::Invalid(
                "This works on a local Rapport file, not on a team database.".to_owned(),
            )),
        }
    }

    pub fn execute<P: Params>(&self, sql: &str, params: P) -> Result<usize> {
        self.prepare_cached(sql)?.execute(params)
    }

    pub fn query_row<T, P, F>(&self, sql: &str, params: P, f: F) -> Result<T>
    where
        P: Params,
        F: FnOnce(&Row<'_, '_>) -> rusqlite::Result<T>,
    {
        self.prepare_cached(sql)?.query_row(params, f)
    }

    /// Statements separated by `;`, without parameters (migrations).
    pub fn execute_batch(&self, sql: &str) -> Result<()> {
        match self {
            Db::Sqlite(conn) => Ok(conn.execute_batch(sql)?),
            Db::Postgres(pg) => Ok(pg.client.borrow_mut().batch_execute(sql)?),
        }
    }

    /// A statement kept prepared for the next call with the same SQL.
    pub fn prepare_cached(&self, sql: &str) -> Result<Stmt<'_>> {
        match self {
            Db::Sqlite(conn) => Ok(Stmt::Sqlite(conn.prepare_cached(sql)?)),
            Db::Postgres(pg) => Ok(Stmt::Pg {
                pg,
                sql: sql.to_owned(),
                raw: Vec::new(),
            }),
        }
    }

    /// A statement for SQL that is built on the fly (not worth keeping prepared on SQLite).
    pub fn prepare(&self, sql: &str) -> Result<Stmt<'_>> {
        match self {
            Db::Sqlite(conn) => Ok(Stmt::SqliteOnce(conn.prepare(sql)?)),
            Db::Postgres(_) => self.prepare_cached(sql),
        }
    }

    /// The id the last `INSERT` into `table` on this connection gave its row: SQLite's last
    /// rowid, or the current value of the table's identity on PostgreSQL (per connection, and
    /// untouched by the sequences triggers use, unlike `lastval()`).
    pub fn last_insert_id(&self, table: &str) -> Result<i64> {
        match self {
            Db::Sqlite(conn) => Ok(conn.last_insert_rowid()),
            Db::Postgres(_) => self.query_row(
                "SELECT currval(pg_get_serial_sequence(?1, 'id'))",
                [table],
                |r| r.get(0),
            ),
        }
    }

    /// Starts a transaction that takes the write lock at once; dropped without `commit`, it
    /// rolls back.
    pub fn transaction(&self) -> Result<Tx<'_>> {
        self.execute_batch(if self.is_postgres() {
            "BEGIN"
        } else {
            "BEGIN IMMEDIATE"
        })?;
        Ok(Tx {
            db: self,
            open: true,
        })
    }
}

/// An open transaction; it derefs to the `Db` it runs on.
pub struct Tx<'a> {
    db: &'a Db,
    open: bool,
}

impl Tx<'_> {
    pub fn commit(mut self) -> Result<()> {
        // Still open if COMMIT fails (SQLite busy): dropping it then rolls back.
        self.db.execute_batch("COMMIT")?;
        self.open = false;
        Ok(())
    }
}

impl std::ops::Deref for Tx<'_> {
    type Target = Db;
    fn deref(&self) -> &Db {
        self.db
    }
}

impl Drop for Tx<'_> {
    fn drop(&mut self) {
        if self.open
            && let Err(e) = self.db.execute_batch("ROLLBACK")
        {
            tracing::warn!("rollback failed: {e}");
        }
    }
}

/// A prepared statement of either engine.
pub enum Stmt<'a> {
    Sqlite(rusqlite::CachedStatement<'a>),
    SqliteOnce(rusqlite::Statement<'a>),
    Pg {
        pg: &'a PgConn,
        sql: String,
        /// Values set one at a time with `raw_bind_parameter`.
        raw: Vec<PgValue>,
    },
}

/// The rows of a query, mapped, in order.
pub type MappedRows<'s, T> = Box<dyn Iterator<Item = rusqlite::Result<T>> + 's>;

impl<'a> Stmt<'a> {
    fn sqlite(&mut self) -> Option<&mut rusqlite::Statement<'a>> {
        match self {
            Stmt::Sqlite(stmt) => Some(stmt),
            Stmt::SqliteOnce(stmt) => Some(stmt),
            Stmt::Pg { .. } => None,
        }
    }

    pub fn execute<P: Params>(&mut self, params: P) -> Result<usize> {
        let bound = params.bound();
        match self {
            Stmt::Pg { pg, sql, .. } => Ok(pg.run(sql, &pg_values(&bound)?)? as usize),
            _ => Ok(self.sqlite().map_or(Ok(0), |s| s.execute(&bound[..]))?),
        }
    }

    pub fn query_row<T, P, F>(&mut self, params: P, f: F) -> Result<T>
    where
        P: Params,
        F: FnOnce(&Row<'_, '_>) -> rusqlite::Result<T>,
    {
        let bound = params.bound();
        match self {
            Stmt::Pg { pg, sql, .. } => {
                let rows = pg.rows(sql, &pg_values(&bound)?)?;
                let first = rows.first().ok_or(rusqlite::Error::QueryReturnedNoRows)?;
                Ok(f(&Row::Pg(first))?)
            }
            _ => {
                let stmt = self.sqlite().ok_or(rusqlite::Error::QueryReturnedNoRows)?;
                Ok(stmt.query_row(&bound[..], |r| f(&Row::Sqlite(r)))?)
            }
        }
    }

    /// The rows, each mapped by `f`: read as they are needed on SQLite, all at once on
    /// PostgreSQL.
    pub fn query_map<'s, T, P, F>(&'s mut self, params: P, mut f: F) -> Result<MappedRows<'s, T>>
    where
        P: Params,
        F: FnMut(&Row<'_, '_>) -> rusqlite::Result<T> + 's,
        T: 's,
    {
        let bound = params.bound();
        match self {
            Stmt::Pg { pg, sql, .. } => {
                let rows = pg.rows(sql, &pg_values(&bound)?)?;
                let mapped: Vec<_> = rows.iter().map(|r| f(&Row::Pg(r))).collect();
                Ok(Box::new(mapped.into_iter()))
            }
            Stmt::Sqlite(stmt) => Ok(Box::new(
                stmt.query_map(&bound[..], move |r| f(&Row::Sqlite(r)))?,
            )),
            Stmt::SqliteOnce(stmt) => Ok(Box::new(
                stmt.query_map(&bound[..], move |r| f(&Row::Sqlite(r)))?,
            )),
        }
    }

    /// Every row, each mapped by `f`, for loops that need `?` on the store's errors.
    pub fn query<P: Params>(&mut self, params: P) -> Result<Rows<'_>> {
        let bound = params.bound();
        match self {
            Stmt::Pg { pg, sql, .. } => Ok(Rows::Pg {
                rows: pg.rows(sql, &pg_values(&bound)?)?,
                at: 0,
            }),
            Stmt::Sqlite(stmt) => Ok(Rows::Sqlite(stmt.query(&bound[..])?)),
            Stmt::SqliteOnce(stmt) => Ok(Rows::Sqlite(stmt.query(&bound[..])?)),
        }
    }

    pub fn column_names(&mut self) -> Result<Vec<String>> {
        match self {
            Stmt::Pg { pg, sql, .. } => pg.columns(sql),
            _ => Ok(self
                .sqlite()
                .map_or_else(Vec::new, |s| s.column_names().map(str::to_owned).collect())),
        }
    }

    /// Sets parameter `index` (from 1) for `raw_execute`.
    pub fn raw_bind_parameter<T: ToSql>(&mut self, index: usize, value: T) -> Result<()> {
        match self {
            Stmt::Pg { raw, .. } => {
                if raw.len() < index {
                    raw.resize(index, PgValue::Null);
                }
                raw[index - 1] = PgValue::from_sql(&value)?;
                Ok(())
            }
            _ => Ok(self
                .sqlite()
                .map_or(Ok(()), |s| s.raw_bind_parameter(index, value))?),
        }
    }

    /// Runs the statement with the parameters set by `raw_bind_parameter`.
    pub fn raw_execute(&mut self) -> Result<usize> {
        match self {
            Stmt::Pg { pg, sql, raw } => {
                let values = std::mem::take(raw);
                Ok(pg.run(sql, &values)? as usize)
            }
            _ => Ok(self.sqlite().map_or(Ok(0), |s| s.raw_execute())?),
        }
    }
}

/// The rows of `Stmt::query`, one at a time.
pub enum Rows<'s> {
    Sqlite(rusqlite::Rows<'s>),
    Pg { rows: Vec<Vec<PgValue>>, at: usize },
}

impl Rows<'_> {
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Result<Option<Row<'_, '_>>> {
        match self {
            Rows::Sqlite(rows) => Ok(rows.next()?.map(Row::Sqlite)),
            Rows::Pg { rows, at } => {
                let row = rows.get(*at).map(|r| Row::Pg(r.as_slice()));
                *at += 1;
                Ok(row)
            }
        }
    }
}

/// A value on its way to or from PostgreSQL, in SQLite's five kinds.
#[derive(Debug, Clone, PartialEq)]
pub enum PgValue {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
}

impl PgValue {
    fn from_sql(value: &dyn ToSql) -> Result<Self> {
        let output = value.to_sql()?;
        let value_ref = match &output {
            ToSqlOutput::Borrowed(v) => *v,
            ToSqlOutput::Owned(v) => ValueRef::from(v),
            _ => {
                return Err(StoreError::Invalid(
                    "a value of a kind the team database cannot store".to_owned(),
                ));
            }
        };
        Ok(match value_ref {
            ValueRef::Null => PgValue::Null,
            ValueRef::Integer(i) => PgValue::Int(i),
            ValueRef::Real(f) => PgValue::Real(f),
            ValueRef::Text(t) => PgValue::Text(String::from_utf8_lossy(t).into_owned()),
            ValueRef::Blob(b) => PgValue::Blob(b.to_vec()),
        })
    }

    fn as_ref(&self) -> ValueRef<'_> {
        match self {
            PgValue::Null => ValueRef::Null,
            PgValue::Int(i) => ValueRef::Integer(*i),
            PgValue::Real(f) => ValueRef::Real(*f),
            PgValue::Text(t) => ValueRef::Text(t.as_bytes()),
            PgValue::Blob(b) => ValueRef::Blob(b),
        }
    }

    fn kind(&self) -> rusqlite::types::Type {
        self.as_ref().data_type()
    }
}

fn pg_values(bound: &[&dyn ToSql]) -> Result<Vec<PgValue>> {
    bound.iter().map(|v| PgValue::from_sql(*v)).collect()
}

type BoxError = Box<dyn std::error::Error + Sync + Send>;

impl PgToSql for PgValue {
    /// Binds to the type the server inferred for the placeholder, as SQLite would store it.
    fn to_sql(&self, ty: &Type, out: &mut bytes::BytesMut) -> Result<IsNull, BoxError> {
        match (self, ty) {
            (PgValue::Null, _) => Ok(IsNull::Yes),
            (PgValue::Int(v), &Type::INT8) => PgToSql::to_sql(&v, ty, out),
            (PgValue::Int(v), &Type::INT4) => PgToSql::to_sql(&i32::try_from(*v)?, ty, out),
            (PgValue::Int(v), &Type::INT2) => PgToSql::to_sql(&i16::try_from(*v)?, ty, out),
            (PgValue::Int(v), &Type::BOOL) => PgToSql::to_sql(&(*v != 0), ty, out),
            (PgValue::Int(v), &Type::FLOAT8) => PgToSql::to_sql(&(*v as f64), ty, out),
            (PgValue::Real(v), &Type::FLOAT8) => PgToSql::to_sql(&v, ty, out),
            (PgValue::Real(v), &Type::FLOAT4) => PgToSql::to_sql(&(*v as f32), ty, out),
            (PgValue::Int(v), _) if is_text(ty) => {
                PgToSql::to_sql(&v.to_string().as_str(), ty, out)
            }
            (PgValue::Text(t), _) if is_text(ty) => PgToSql::to_sql(&t.as_str(), ty, out),
            (PgValue::Blob(b), &Type::BYTEA) => PgToSql::to_sql(&b.as_slice(), ty, out),
            (value, _) => Err(format!("cannot store {value:?} in a column of type {ty}").into()),
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

fn is_text(ty: &Type) -> bool {
    matches!(
        *ty,
        Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME | Type::UNKNOWN
    )
}

impl<'v> PgFromSql<'v> for PgValue {
    fn from_sql(ty: &Type, raw: &'v [u8]) -> Result<Self, BoxError> {
        Ok(match *ty {
            Type::BOOL => PgValue::Int(bool::from_sql(ty, raw)? as i64),
            Type::INT2 => PgValue::Int(i16::from_sql(ty, raw)?.into()),
            Type::INT4 => PgValue::Int(i32::from_sql(ty, raw)?.into()),
            Type::INT8 => PgValue::Int(i64::from_sql(ty, raw)?),
            Type::OID => PgValue::Int(u32::from_sql(ty, raw)?.into()),
            Type::FLOAT4 => PgValue::Real(f32::from_sql(ty, raw)?.into()),
            Type::FLOAT8 => PgValue::Real(f64::from_sql(ty, raw)?),
            Type::BYTEA => PgValue::Blob(raw.to_vec()),
            Type::VOID => PgValue::Null,
            _ if is_text(ty) => PgValue::Text(<&str>::from_sql(ty, raw)?.to_owned()),
            _ => return Err(format!("Rapport does not read columns of type {ty}").into()),
        })
    }

    fn from_sql_null(_: &Type) -> Result<Self, BoxError> {
        Ok(PgValue::Null)
    }

    fn accepts(_: &Type) -> bool {
        true
    }
}

/// `?N` and `?` placeholders as PostgreSQL's `$N`, leaving quoted text and comments alone.
pub fn dollar_placeholders(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    let mut chars = sql.chars().peekable();
    let mut next_bare = 0;
    let mut quote: Option<char> = None;
    while let Some(c) = chars.next() {
        if let Some(q) = quote {
            out.push(c);
            if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '\'' | '"' => {
                quote = Some(c);
                out.push(c);
            }
            '-' if chars.peek() == Some(&'-') => {
                out.push('-');
                for c in chars.by_ref() {
                    out.push(c);
                    if c == '\n' {
                        break;
                    }
                }
            }
            '?' => {
                let mut digits = String::new();
                while let Some(d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                    digits.push(*d);
                    chars.next();
                }
                // As SQLite numbers them: a bare `?` is one more than the largest so far.
                if digits.is_empty() {
                    next_bare += 1;
                    digits = next_bare.to_string();
                } else if let Ok(n) = digits.parse::<usize>() {
                    next_bare = next_bare.max(n);
                }
                out.push('$');
                out.push_str(&digits);
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::dollar_placeholders;

    #[test]
    fn placeholders_become_dollars_outside_quotes() {
        assert_eq!(
            dollar_placeholders("SELECT ?1, '?2', \"a?\" FROM t WHERE x = ?12 AND y = ?"),
            "SELECT $1, '?2', \"a?\" FROM t WHERE x = $12 AND y = $13"
        );
        assert_eq!(
            dollar_placeholders("SELECT 1 -- why?\n, ?"),
            "SELECT 1 -- why?\n, $1"
        );
    }
}
