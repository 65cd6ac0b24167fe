//! The one SQL layer both backends run on: a pool that is SQLite or PostgreSQL, queries
//! with typed arguments, transactions and rows whose columns decode to the same Rust
//! values on either side. The store modules are written once against this layer.
//!
//! Values keep each backend's natural column types: SQLite stores identifiers, instants,
//! dates and JSON as text (instants as RFC 3339 with microseconds, the format the existing
//! databases hold) and booleans as integers; PostgreSQL uses `uuid`, `timestamptz`,
//! `date`, `jsonb` and `boolean`. An argument says which kind of value it is and each
//! backend encodes it its own way; a column decodes from whichever type the backend
//! returned (so `sum` over integers, `numeric` in PostgreSQL, reads as an integer).

use std::marker::PhantomData;

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use futures_util::stream::{BoxStream, StreamExt, TryStreamExt};
use sqlx::postgres::{PgArgumentBuffer, PgPool, PgRow, PgTypeInfo, PgValueRef, Postgres};
use sqlx::sqlite::{SqlitePool, SqliteRow};
use sqlx::{Column, Row as _, Sqlite, Transaction, TypeInfo, ValueRef};
use uuid::Uuid;

/// Which SQL dialect a pool speaks, for the few statements that differ.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    /// SQLite 3.
    Sqlite,
    /// PostgreSQL 13 or later.
    Postgres,
}

/// A connection pool of either backend.
#[derive(Clone, Debug)]
pub enum Db {
    /// A SQLite file.
    Sqlite(SqlitePool),
    /// A PostgreSQL server.
    Postgres(PgPool),
}

/// An open transaction of either backend.
pub enum Tx {
    /// On SQLite.
    Sqlite(Transaction<'static, Sqlite>),
    /// On PostgreSQL.
    Postgres(Transaction<'static, Postgres>),
}

impl Db {
    /// The dialect of this pool.
    pub fn dialect(&self) -> Dialect {
        match self {
            Db::Sqlite(_) => Dialect::Sqlite,
            Db::Postgres(_) => Dialect::Postgres,
        }
    }

    /// Picks the statement for this pool's dialect.
    pub fn pick<'a>(&self, sqlite: &'a str, postgres: &'a str) -> &'a str {
        match self.dialect() {
            Dialect::Sqlite => sqlite,
            Dialect::Postgres => postgres,
        }
    }

    /// Starts a transaction.
    pub async fn begin(&self) -> Result<Tx, sqlx::Error> {
        Ok(match self {
            Db::Sqlite(p) => Tx::Sqlite(p.begin().await?),
            Db::Postgres(p) => Tx::Postgres(p.begin().await?),
        })
    }

    /// Starts a transaction that writes from its first statement: SQLite takes the write
    /// lock at `BEGIN IMMEDIATE` (so a read-then-write cannot deadlock on the lock
    /// upgrade); PostgreSQL locks rows as the statements touch them.
    pub async fn begin_immediate(&self) -> Result<Tx, sqlx::Error> {
        Ok(match self {
            Db::Sqlite(p) => Tx::Sqlite(p.begin_with("BEGIN IMMEDIATE").await?),
            Db::Postgres(p) => Tx::Postgres(p.begin().await?),
        })
    }

    /// Closes every connection of the pool.
    pub async fn close(&self) {
        match self {
            Db::Sqlite(p) => p.close().await,
            Db::Postgres(p) => p.close().await,
        }
    }
}

impl Tx {
    /// Commits the transaction.
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        match self {
            Tx::Sqlite(t) => t.commit().await,
            Tx::Postgres(t) => t.commit().await,
        }
    }

    /// Serialises this transaction with every other one taking the same `key` until it
    /// ends: a PostgreSQL advisory transaction lock. SQLite has one writer anyway (the
    /// transaction must have been begun with [`Db::begin_immediate`]).
    pub async fn exclusive(&mut self, key: i64) -> Result<(), sqlx::Error> {
        if let Tx::Postgres(t) = self {
            sqlx::query("select pg_advisory_xact_lock($1)")
                .bind(key)
                .execute(&mut **t)
                .await?;
        }
        Ok(())
    }
}

/// Where a statement runs: on the pool or inside a transaction.
pub enum On<'a> {
    /// A connection taken from the pool for this statement.
    Pool(&'a Db),
    /// The transaction's connection.
    Tx(&'a mut Tx),
}

impl<'a> From<&'a Db> for On<'a> {
    fn from(db: &'a Db) -> On<'a> {
        On::Pool(db)
    }
}

impl<'a> From<&'a mut Tx> for On<'a> {
    fn from(tx: &'a mut Tx) -> On<'a> {
        On::Tx(tx)
    }
}

/// A statement argument: what kind of value it is, so each backend can encode it.
#[derive(Clone, Debug, PartialEq)]
pub enum Arg {
    /// Text.
    Text(Option<String>),
    /// An integer.
    Int(Option<i64>),
    /// A floating-point number.
    Float(Option<f64>),
    /// A boolean (an integer 0/1 on SQLite).
    Bool(Option<bool>),
    /// An identifier (text on SQLite).
    Uuid(Option<Uuid>),
    /// An instant (RFC 3339 text on SQLite).
    Time(Option<DateTime<Utc>>),
    /// A calendar date (`YYYY-MM-DD` text on SQLite).
    Date(Option<NaiveDate>),
    /// A JSON document, serialised (`jsonb` on PostgreSQL).
    Json(Option<String>),
    /// Bytes.
    Bytes(Option<Vec<u8>>),
    /// A UTC hour as the report rollups key it (`YYYY-MM-DDTHH` text on SQLite, a
    /// `timestamp` on PostgreSQL).
    UtcHour(Option<chrono::NaiveDateTime>),
}

/// A serialised JSON document, bound as JSON.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Json(pub String);

/// An instant in the text form SQLite stores (and the JSON and hash inputs use).
pub fn instant_text(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

macro_rules! arg_from {
    ($variant:ident: $($t:ty => $conv:expr),* $(,)?) => {$(
        impl From<$t> for Arg {
            fn from(v: $t) -> Arg {
                let conv = $conv;
                Arg::$variant(Some(conv(v)))
            }
        }
        impl From<Option<$t>> for Arg {
            fn from(v: Option<$t>) -> Arg {
                let conv = $conv;
                Arg::$variant(v.map(conv))
            }
        }
    )*};
}

arg_from!(Text: String => |v| v, &String => |v: &String| v.clone(), &str => |v: &str| v.to_owned());
arg_from!(Int: i64 => |v| v, i32 => i64::from, u32 => i64::from);
arg_from!(Float: f64 => |v| v);
arg_from!(Bool: bool => |v| v);
arg_from!(Uuid: Uuid => |v| v);
arg_from!(Time: DateTime<Utc> => |v| v);
arg_from!(Date: NaiveDate => |v| v);
arg_from!(Json: Json => |v: Json| v.0);
arg_from!(Bytes: Vec<u8> => |v| v, &[u8] => |v: &[u8]| v.to_vec());

impl From<&Option<String>> for Arg {
    fn from(v: &Option<String>) -> Arg {
        Arg::Text(v.clone())
    }
}

/// JSON text bound as PostgreSQL `jsonb` (binary format: version 1, then the text).
struct PgJson<'a>(&'a str);

impl sqlx::Type<Postgres> for PgJson<'_> {
    fn type_info() -> PgTypeInfo {
        PgTypeInfo::with_name("jsonb")
    }
}

impl<'q> sqlx::Encode<'q, Postgres> for PgJson<'_> {
    fn encode_by_ref(
        &self,
        buf: &mut PgArgumentBuffer,
    ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
        buf.push(1);
        buf.extend_from_slice(self.0.as_bytes());
        Ok(sqlx::encode::IsNull::No)
    }
}

/// A statement with its arguments, run on either backend.
#[derive(Clone, Debug)]
pub struct Query {
    sql: String,
    args: Vec<Arg>,
}

/// Starts a statement (placeholders `$1`, `$2`, … in both dialects).
pub fn query(sql: impl Into<String>) -> Query {
    Query {
        sql: sql.into(),
        args: Vec::new(),
    }
}

/// Starts a statement whose rows are one value each.
pub fn query_scalar<T: FromDb>(sql: impl Into<String>) -> Scalar<T> {
    Scalar {
        query: query(sql),
        _value: PhantomData,
    }
}

/// What a write did.
#[derive(Clone, Copy, Debug)]
pub struct Done {
    rows: u64,
}

impl Done {
    /// How many rows the statement changed.
    pub fn rows_affected(&self) -> u64 {
        self.rows
    }
}

macro_rules! bind_sqlite {
    ($q:expr, $args:expr) => {{
        let mut q = $q;
        for a in $args {
            q = match a {
                Arg::Text(v) => q.bind(v.as_deref()),
                Arg::Json(v) => q.bind(v.as_deref()),
                Arg::Int(v) => q.bind(*v),
                Arg::Float(v) => q.bind(*v),
                Arg::Bool(v) => q.bind(*v),
                Arg::Uuid(v) => q.bind(v.map(|u| u.to_string())),
                Arg::Time(v) => q.bind(v.map(instant_text)),
                Arg::Date(v) => q.bind(v.map(|d| d.format("%Y-%m-%d").to_string())),
                Arg::Bytes(v) => q.bind(v.as_deref()),
                Arg::UtcHour(v) => q.bind(v.map(|h| h.format("%Y-%m-%dT%H").to_string())),
            };
        }
        q
    }};
}

macro_rules! bind_postgres {
    ($q:expr, $args:expr) => {{
        let mut q = $q;
        for a in $args {
            q = match a {
                Arg::Text(v) => q.bind(v.as_deref()),
                Arg::Json(v) => q.bind(v.as_deref().map(PgJson)),
                Arg::Int(v) => q.bind(*v),
                Arg::Float(v) => q.bind(*v),
                Arg::Bool(v) => q.bind(*v),
                Arg::Uuid(v) => q.bind(*v),
                Arg::Time(v) => q.bind(*v),
                Arg::Date(v) => q.bind(*v),
                Arg::Bytes(v) => q.bind(v.as_deref()),
                Arg::UtcHour(v) => q.bind(*v),
            };
        }
        q
    }};
}

/// Runs `$method` of the bound sqlx query on the pool or transaction and maps the rows.
macro_rules! run {
    ($self:expr, $on:expr, $method:ident, $sqlite:expr, $postgres:expr) => {{
        let s = $self;
        match $on.into() {
            On::Pool(Db::Sqlite(p)) => bind_sqlite!(sqlx::query::<Sqlite>(&s.sql), &s.args)
                .$method(p)
                .await
                .map($sqlite),
            On::Pool(Db::Postgres(p)) => bind_postgres!(sqlx::query::<Postgres>(&s.sql), &s.args)
                .$method(p)
                .await
                .map($postgres),
            On::Tx(Tx::Sqlite(t)) => bind_sqlite!(sqlx::query::<Sqlite>(&s.sql), &s.args)
                .$method(&mut **t)
                .await
                .map($sqlite),
            On::Tx(Tx::Postgres(t)) => bind_postgres!(sqlx::query::<Postgres>(&s.sql), &s.args)
                .$method(&mut **t)
                .await
                .map($postgres),
        }
    }};
}

impl Query {
    /// Adds the next argument.
    pub fn bind(mut self, value: impl Into<Arg>) -> Query {
        self.args.push(value.into());
        self
    }

    /// Expects rows of one value each.
    pub fn scalar<T: FromDb>(self) -> Scalar<T> {
        Scalar {
            query: self,
            _value: PhantomData,
        }
    }

    /// Runs a write.
    pub async fn execute<'a>(&self, on: impl Into<On<'a>>) -> Result<Done, sqlx::Error> {
        run!(
            self,
            on,
            execute,
            |d: sqlx::sqlite::SqliteQueryResult| Done {
                rows: d.rows_affected()
            },
            |d: sqlx::postgres::PgQueryResult| Done {
                rows: d.rows_affected()
            }
        )
    }

    /// All rows.
    pub async fn fetch_all<'a>(&self, on: impl Into<On<'a>>) -> Result<Vec<Row>, sqlx::Error> {
        run!(
            self,
            on,
            fetch_all,
            |rows: Vec<SqliteRow>| rows.into_iter().map(Row::Sqlite).collect(),
            |rows: Vec<PgRow>| rows.into_iter().map(Row::Postgres).collect()
        )
    }

    /// Exactly one row (`RowNotFound` when there is none).
    pub async fn fetch_one<'a>(&self, on: impl Into<On<'a>>) -> Result<Row, sqlx::Error> {
        run!(self, on, fetch_one, Row::Sqlite, Row::Postgres)
    }

    /// The rows one by one as the database returns them (for reading whole tables without
    /// holding them in memory).
    pub fn fetch<'a>(&'a self, db: &'a Db) -> BoxStream<'a, Result<Row, sqlx::Error>> {
        match db {
            Db::Sqlite(p) => bind_sqlite!(sqlx::query::<Sqlite>(&self.sql), &self.args)
                .fetch(p)
                .map_ok(Row::Sqlite)
                .boxed(),
            Db::Postgres(p) => bind_postgres!(sqlx::query::<Postgres>(&self.sql), &self.args)
                .fetch(p)
                .map_ok(Row::Postgres)
                .boxed(),
        }
    }

    /// The first row, if any.
    pub async fn fetch_optional<'a>(
        &self,
        on: impl Into<On<'a>>,
    ) -> Result<Option<Row>, sqlx::Error> {
        run!(
            self,
            on,
            fetch_optional,
            |r: Option<SqliteRow>| r.map(Row::Sqlite),
            |r: Option<PgRow>| r.map(Row::Postgres)
        )
    }
}

/// A statement whose rows are one value each.
#[derive(Clone, Debug)]
pub struct Scalar<T> {
    query: Query,
    _value: PhantomData<fn() -> T>,
}

impl<T: FromDb> Scalar<T> {
    /// Adds the next argument.
    pub fn bind(mut self, value: impl Into<Arg>) -> Scalar<T> {
        self.query = self.query.bind(value);
        self
    }

    /// The value of every row.
    pub async fn fetch_all<'a>(&self, on: impl Into<On<'a>>) -> Result<Vec<T>, sqlx::Error> {
        self.query
            .fetch_all(on)
            .await?
            .iter()
            .map(|r| r.get(0))
            .collect()
    }

    /// The value of the only row.
    pub async fn fetch_one<'a>(&self, on: impl Into<On<'a>>) -> Result<T, sqlx::Error> {
        self.query.fetch_one(on).await?.get(0)
    }

    /// The value of the first row, if any.
    pub async fn fetch_optional<'a>(
        &self,
        on: impl Into<On<'a>>,
    ) -> Result<Option<T>, sqlx::Error> {
        self.query
            .fetch_optional(on)
            .await?
            .map(|r| r.get(0))
            .transpose()
    }
}

/// A statement assembled piece by piece (filters, `in` lists); placeholders are numbered
/// as arguments are pushed.
#[derive(Debug, Default)]
pub struct Builder {
    sql: String,
    args: Vec<Arg>,
}

impl Builder {
    /// Starts with a fixed prefix.
    pub fn new(sql: impl Into<String>) -> Builder {
        Builder {
            sql: sql.into(),
            args: Vec::new(),
        }
    }

    /// Appends SQL text.
    pub fn push(&mut self, sql: impl std::fmt::Display) -> &mut Builder {
        use std::fmt::Write;
        let _ = write!(self.sql, "{sql}");
        self
    }

    /// Appends a placeholder bound to `value`.
    pub fn push_bind(&mut self, value: impl Into<Arg>) -> &mut Builder {
        self.args.push(value.into());
        let n = self.args.len();
        self.push(format_args!("${n}"))
    }

    /// Appends placeholders for `values`, separated by commas.
    pub fn push_list<A: Into<Arg>>(&mut self, values: impl IntoIterator<Item = A>) -> &mut Builder {
        for (i, v) in values.into_iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            self.push_bind(v);
        }
        self
    }

    /// The statement built so far.
    pub fn build(&self) -> Query {
        Query {
            sql: self.sql.clone(),
            args: self.args.clone(),
        }
    }
}

/// A result row of either backend.
pub enum Row {
    /// From SQLite.
    Sqlite(SqliteRow),
    /// From PostgreSQL.
    Postgres(PgRow),
}

/// A column position or name.
pub trait ColumnRef: sqlx::ColumnIndex<SqliteRow> + sqlx::ColumnIndex<PgRow> + Copy {}
impl ColumnRef for &str {}
impl ColumnRef for usize {}

impl Row {
    /// Decodes a column.
    pub fn get<T: FromDb>(&self, column: impl ColumnRef) -> Result<T, sqlx::Error> {
        match self {
            Row::Sqlite(r) => {
                let i = r.try_column(column)?.ordinal();
                T::from_sqlite(r, i)
            }
            Row::Postgres(r) => {
                let i = r.try_column(column)?.ordinal();
                T::from_postgres(r, i)
            }
        }
    }
}

/// A Rust value a column decodes to on both backends.
pub trait FromDb: Sized {
    /// Decodes column `i` of a SQLite row.
    fn from_sqlite(row: &SqliteRow, i: usize) -> Result<Self, sqlx::Error>;
    /// Decodes column `i` of a PostgreSQL row.
    fn from_postgres(row: &PgRow, i: usize) -> Result<Self, sqlx::Error>;
}

fn bad(i: usize, what: impl Into<String>) -> sqlx::Error {
    sqlx::Error::ColumnDecode {
        index: i.to_string(),
        source: what.into().into(),
    }
}

fn pg_type(row: &PgRow, i: usize) -> String {
    row.column(i).type_info().name().to_ascii_uppercase()
}

fn pg_bytes(row: &PgRow, i: usize) -> Result<&[u8], sqlx::Error> {
    let v: PgValueRef<'_> = row.try_get_raw(i)?;
    v.as_bytes().map_err(|e| bad(i, e.to_string()))
}

/// A PostgreSQL `numeric` in binary form, as (integer part, value as f64).
fn pg_numeric(bytes: &[u8], i: usize) -> Result<(i64, f64), sqlx::Error> {
    let word = |k: usize| -> Result<i16, sqlx::Error> {
        bytes
            .get(k..k + 2)
            .map(|b| i16::from_be_bytes([b[0], b[1]]))
            .ok_or_else(|| bad(i, "short numeric"))
    };
    let ndigits = word(0)?.max(0) as usize;
    let weight = i32::from(word(2)?);
    let sign = word(4)? as u16;
    if sign == 0xC000 {
        return Err(bad(i, "numeric NaN"));
    }
    let (mut whole, mut value) = (0i64, 0f64);
    for k in 0..ndigits {
        let digit = i64::from(word(8 + 2 * k)?);
        let power = weight - k as i32;
        value += digit as f64 * 10000f64.powi(power);
        if power >= 0 {
            whole = 10000i64
                .checked_pow(power as u32)
                .and_then(|p| p.checked_mul(digit))
                .and_then(|d| whole.checked_add(d))
                .ok_or_else(|| bad(i, "numeric out of range"))?;
        }
    }
    if sign == 0x4000 {
        Ok((-whole, -value))
    } else {
        Ok((whole, value))
    }
}

fn parse_instant(text: &str, i: usize) -> Result<DateTime<Utc>, sqlx::Error> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| bad(i, format!("bad instant {text:?}")))
}

fn parse_uuid(text: &str, i: usize) -> Result<Uuid, sqlx::Error> {
    Uuid::parse_str(text).map_err(|_| bad(i, format!("bad uuid {text:?}")))
}

fn parse_date(text: &str, i: usize) -> Result<NaiveDate, sqlx::Error> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| bad(i, format!("bad date {text:?}")))
}

impl<T: FromDb> FromDb for Option<T> {
    fn from_sqlite(row: &SqliteRow, i: usize) -> Result<Self, sqlx::Error> {
        if row.try_get_raw(i)?.is_null() {
            return Ok(None);
        }
        T::from_sqlite(row, i).map(Some)
    }
    fn from_postgres(row: &PgRow, i: usize) -> Result<Self, sqlx::Error> {
        if row.try_get_raw(i)?.is_null() {
            return Ok(None);
        }
        T::from_postgres(row, i).map(Some)
    }
}

impl FromDb for String {
    fn from_sqlite(row: &SqliteRow, i: usize) -> Result<Self, sqlx::Error> {
        row.try_get(i)
    }
    fn from_postgres(row: &PgRow, i: usize) -> Result<Self, sqlx::Error> {
        Ok(match pg_type(row, i).as_str() {
            "UUID" => row.try_get::<Uuid, _>(i)?.to_string(),
            "TIMESTAMPTZ" => instant_text(row.try_get(i)?),
            "DATE" => row
                .try_get::<NaiveDate, _>(i)?
                .format("%Y-%m-%d")
                .to_string(),
            "JSONB" => {
                let b = pg_bytes(row, i)?;
                let text = b
                    .strip_prefix(&[1])
                    .ok_or_else(|| bad(i, "jsonb version"))?;
                String::from_utf8(text.to_vec()).map_err(|e| bad(i, e.to_string()))?
            }
            "JSON" => {
                String::from_utf8(pg_bytes(row, i)?.to_vec()).map_err(|e| bad(i, e.to_string()))?
            }
            _ => row.try_get(i)?,
        })
    }
}

impl FromDb for i64 {
    fn from_sqlite(row: &SqliteRow, i: usize) -> Result<Self, sqlx::Error> {
        row.try_get(i)
    }
    fn from_postgres(row: &PgRow, i: usize) -> Result<Self, sqlx::Error> {
        Ok(match pg_type(row, i).as_str() {
            "INT2" => i64::from(row.try_get::<i16, _>(i)?),
            "INT4" => i64::from(row.try_get::<i32, _>(i)?),
            "BOOL" => i64::from(row.try_get::<bool, _>(i)?),
            "NUMERIC" => pg_numeric(pg_bytes(row, i)?, i)?.0,
            _ => row.try_get(i)?,
        })
    }
}

impl FromDb for f64 {
    fn from_sqlite(row: &SqliteRow, i: usize) -> Result<Self, sqlx::Error> {
        row.try_get(i)
    }
    fn from_postgres(row: &PgRow, i: usize) -> Result<Self, sqlx::Error> {
        Ok(match pg_type(row, i).as_str() {
            "FLOAT4" => f64::from(row.try_get::<f32, _>(i)?),
            "NUMERIC" => pg_numeric(pg_bytes(row, i)?, i)?.1,
            "INT2" | "INT4" | "INT8" | "BOOL" => i64::from_postgres(row, i)? as f64,
            _ => row.try_get(i)?,
        })
    }
}

impl FromDb for bool {
    fn from_sqlite(row: &SqliteRow, i: usize) -> Result<Self, sqlx::Error> {
        row.try_get(i)
    }
    fn from_postgres(row: &PgRow, i: usize) -> Result<Self, sqlx::Error> {
        match pg_type(row, i).as_str() {
            "BOOL" => row.try_get(i),
            _ => Ok(i64::from_postgres(row, i)? != 0),
        }
    }
}

impl FromDb for Uuid {
    fn from_sqlite(row: &SqliteRow, i: usize) -> Result<Self, sqlx::Error> {
        parse_uuid(&row.try_get::<String, _>(i)?, i)
    }
    fn from_postgres(row: &PgRow, i: usize) -> Result<Self, sqlx::Error> {
        match pg_type(row, i).as_str() {
            "UUID" => row.try_get(i),
            _ => parse_uuid(&row.try_get::<String, _>(i)?, i),
        }
    }
}

impl FromDb for DateTime<Utc> {
    fn from_sqlite(row: &SqliteRow, i: usize) -> Result<Self, sqlx::Error> {
        parse_instant(&row.try_get::<String, _>(i)?, i)
    }
    fn from_postgres(row: &PgRow, i: usize) -> Result<Self, sqlx::Error> {
        match pg_type(row, i).as_str() {
            "TIMESTAMPTZ" => row.try_get(i),
            _ => parse_instant(&row.try_get::<String, _>(i)?, i),
        }
    }
}

impl FromDb for NaiveDate {
    fn from_sqlite(row: &SqliteRow, i: usize) -> Result<Self, sqlx::Error> {
        parse_date(&row.try_get::<String, _>(i)?, i)
    }
    fn from_postgres(row: &PgRow, i: usize) -> Result<Self, sqlx::Error> {
        match pg_type(row, i).as_str() {
            "DATE" => row.try_get(i),
            _ => parse_date(&row.try_get::<String, _>(i)?, i),
        }
    }
}

/// A `timestamp` without time zone (the report rollups' UTC hours): `YYYY-MM-DDTHH` text on
/// SQLite.
impl FromDb for NaiveDateTime {
    fn from_sqlite(row: &SqliteRow, i: usize) -> Result<Self, sqlx::Error> {
        let text: String = row.try_get(i)?;
        NaiveDateTime::parse_from_str(&format!("{text}:00:00"), "%Y-%m-%dT%H:%M:%S")
            .map_err(|_| bad(i, format!("bad hour {text:?}")))
    }
    fn from_postgres(row: &PgRow, i: usize) -> Result<Self, sqlx::Error> {
        row.try_get(i)
    }
}

impl FromDb for Vec<u8> {
    fn from_sqlite(row: &SqliteRow, i: usize) -> Result<Self, sqlx::Error> {
        row.try_get(i)
    }
    fn from_postgres(row: &PgRow, i: usize) -> Result<Self, sqlx::Error> {
        row.try_get(i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numeric(weight: i16, sign: u16, digits: &[i16]) -> Vec<u8> {
        let mut b = Vec::new();
        b.extend((digits.len() as i16).to_be_bytes());
        b.extend(weight.to_be_bytes());
        b.extend(sign.to_be_bytes());
        b.extend(0u16.to_be_bytes());
        for d in digits {
            b.extend(d.to_be_bytes());
        }
        b
    }

    #[test]
    fn numerics_decode_in_base_ten_thousand() {
        // 123456789 = 1·10000² + 2345·10000 + 6789
        assert_eq!(
            pg_numeric(&numeric(2, 0, &[1, 2345, 6789]), 0).unwrap().0,
            123_456_789
        );
        assert_eq!(pg_numeric(&numeric(0, 0x4000, &[42]), 0).unwrap().0, -42);
        // 1.5 = 1 + 5000·10000⁻¹
        let (whole, value) = pg_numeric(&numeric(0, 0, &[1, 5000]), 0).unwrap();
        assert_eq!((whole, value), (1, 1.5));
        // zero has no digits
        assert_eq!(pg_numeric(&numeric(0, 0, &[]), 0).unwrap().0, 0);
        assert!(pg_numeric(&numeric(0, 0xC000, &[]), 0).is_err());
        assert!(pg_numeric(&[0, 1], 0).is_err());
    }

    #[test]
    fn builder_numbers_placeholders_in_order() {
        let mut b = Builder::new("select 1 where a = ");
        b.push_bind(1i64)
            .push(" and b in (")
            .push_list(["x", "y"])
            .push(")");
        let q = b.build();
        assert_eq!(q.sql, "select 1 where a = $1 and b in ($2, $3)");
        assert_eq!(
            q.args,
            vec![
                Arg::Int(Some(1)),
                Arg::Text(Some("x".into())),
                Arg::Text(Some("y".into()))
            ]
        );
    }
}
