//! `server migrate-data --from sqlite://… --to postgres://…`: copies every table of a SQLite
//! database into an empty PostgreSQL database and proves the copy. Both are migrated to the
//! current schema first. The copy runs in one PostgreSQL transaction with the tables' own
//! triggers off (rollups and report facts are copied as they are, not recomputed; the
//! append-only guard would refuse nothing, as rows are only inserted) and foreign keys on,
//! parents before children. Values convert by the PostgreSQL column type (text ids to
//! `uuid`, RFC 3339 text to `timestamptz`, 0/1 to `boolean`, JSON text to `jsonb`, …).
//!
//! Verification reads both databases again: per table the row count and an
//! order-independent digest of the rows, every value normalised the same way on both sides;
//! then every ticket's event hash chain on PostgreSQL. Sessions are not copied (users sign
//! in again).

use std::collections::{BTreeMap, BTreeSet};

use anyhow::{bail, Context};
use futures_util::TryStreamExt;
use sha2::{Digest, Sha256};

use crate::store::sql::db::{query, query_scalar, Arg, Builder, Db, Row};
use crate::store::sql::SqlBackend;

/// A column of the target table.
#[derive(Debug, Clone)]
struct Column {
    name: String,
    kind: Kind,
}

/// The PostgreSQL column types the schema uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Uuid,
    Instant,
    Date,
    Hour,
    Json,
    Bool,
    Int,
    Text,
    Bytes,
}

impl Kind {
    fn of(udt: &str) -> anyhow::Result<Kind> {
        Ok(match udt {
            "uuid" => Kind::Uuid,
            "timestamptz" => Kind::Instant,
            "date" => Kind::Date,
            "timestamp" => Kind::Hour,
            "jsonb" | "json" => Kind::Json,
            "bool" => Kind::Bool,
            "int2" | "int4" | "int8" => Kind::Int,
            "text" | "varchar" => Kind::Text,
            "bytea" => Kind::Bytes,
            other => bail!("no conversion for the PostgreSQL column type {other}"),
        })
    }
}

/// A table to copy.
#[derive(Debug, Clone)]
struct Table {
    name: String,
    columns: Vec<Column>,
    identity: bool,
    serials: Vec<String>,
}

/// What a copy did.
#[derive(Debug, Clone, Default)]
pub struct CopyReport {
    /// Rows per table, in copy order.
    pub tables: Vec<(String, u64)>,
    /// Tickets whose event hash chain verified on the target.
    pub chains_verified: u64,
    /// Seconds the copy took (without verification).
    pub copy_seconds: f64,
    /// Seconds the verification took.
    pub verify_seconds: f64,
}

impl CopyReport {
    /// All rows copied.
    pub fn rows(&self) -> u64 {
        self.tables.iter().map(|(_, n)| n).sum()
    }
}

/// Copies `from` (SQLite) into `to` (an empty PostgreSQL database) and verifies the copy.
pub async fn run(from: &str, to: &str) -> anyhow::Result<CopyReport> {
    if !from.starts_with("sqlite:") {
        bail!("--from must be a sqlite: URL");
    }
    if !(to.starts_with("postgres://") || to.starts_with("postgresql://")) {
        bail!("--to must be a postgres:// URL");
    }
    let source = SqlBackend::connect_sqlite(from).await?;
    let target = SqlBackend::connect_postgres(to).await?;
    let (src, dst) = (source.db(), target.db());
    for table in ["users", "customers", "tickets"] {
        let n: i64 = query_scalar(format!("select count(*) from {table}"))
            .fetch_one(dst)
            .await?;
        if n > 0 {
            bail!("the target database already has {table}; migrate-data copies into an empty database");
        }
    }
    let tables = tables(src, dst).await?;
    let started = std::time::Instant::now();
    let mut report = CopyReport::default();
    let mut tx = dst.begin().await?;
    for t in &tables {
        query(format!("alter table {} disable trigger user", t.name))
            .execute(&mut tx)
            .await?;
    }
    // Rows the migrations put there (e.g. the report offset) give way to the source's.
    for t in tables.iter().rev() {
        query(format!("delete from {}", t.name))
            .execute(&mut tx)
            .await?;
    }
    for t in &tables {
        let n = copy_table(src, &mut tx, t)
            .await
            .with_context(|| format!("copying {}", t.name))?;
        report.tables.push((t.name.clone(), n));
    }
    for t in &tables {
        query(format!("alter table {} enable trigger user", t.name))
            .execute(&mut tx)
            .await?;
        for c in &t.serials {
            query(format!(
                "select setval(pg_get_serial_sequence('{0}', '{c}'), \
                 coalesce((select max({c}) from {0}), 0) + 1, false)",
                t.name
            ))
            .execute(&mut tx)
            .await?;
        }
    }
    tx.commit().await?;
    report.copy_seconds = started.elapsed().as_secs_f64();
    let started = std::time::Instant::now();
    verify_tables(src, dst, &tables).await?;
    report.chains_verified = verify_chains(&target).await?;
    report.verify_seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

/// Compares every table of `from` and `to` (both migrated), and every ticket chain on `to`;
/// the first difference is the error.
pub async fn verify(from: &str, to: &str) -> anyhow::Result<u64> {
    let source = SqlBackend::connect_sqlite(from).await?;
    let target = SqlBackend::connect_postgres(to).await?;
    let tables = tables(source.db(), target.db()).await?;
    verify_tables(source.db(), target.db(), &tables).await?;
    verify_chains(&target).await
}

/// The application's tables, parents before children, with their target columns.
async fn tables(src: &Db, dst: &Db) -> anyhow::Result<Vec<Table>> {
    let names: Vec<String> = query_scalar(
        "select table_name from information_schema.tables where table_schema = 'public' \
         and table_type = 'BASE TABLE' and table_name not like '\\_sqlx%' order by table_name",
    )
    .fetch_all(dst)
    .await?;
    let in_source: BTreeSet<String> =
        query_scalar::<String>("select name from sqlite_master where type = 'table'")
            .fetch_all(src)
            .await?
            .into_iter()
            .collect();
    if let Some(missing) = names.iter().find(|n| !in_source.contains(*n)) {
        bail!("the SQLite database has no table {missing}: are both at the same migration?");
    }
    let mut parents: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for row in query(
        "select conrelid::regclass::text as child, confrelid::regclass::text as parent \
         from pg_constraint where contype = 'f' and connamespace = 'public'::regnamespace",
    )
    .fetch_all(dst)
    .await?
    {
        let (child, parent): (String, String) = (row.get("child")?, row.get("parent")?);
        if child != parent {
            parents.entry(child).or_default().insert(parent);
        }
    }
    // Parents first (Kahn's algorithm over the foreign keys).
    let mut ordered = Vec::new();
    let mut left: BTreeSet<String> = names.into_iter().collect();
    while !left.is_empty() {
        let ready: Vec<String> = left
            .iter()
            .filter(|t| {
                parents
                    .get(*t)
                    .is_none_or(|ps| ps.iter().all(|p| !left.contains(p)))
            })
            .cloned()
            .collect();
        if ready.is_empty() {
            bail!("the foreign keys between {left:?} form a cycle");
        }
        for t in ready {
            left.remove(&t);
            ordered.push(t);
        }
    }
    let mut out = Vec::new();
    for name in ordered {
        let rows = query(
            "select column_name, udt_name, is_identity, \
             coalesce(column_default, '') like 'nextval(%' as serial \
             from information_schema.columns where table_schema = 'public' \
             and table_name = $1 order by ordinal_position",
        )
        .bind(&name)
        .fetch_all(dst)
        .await?;
        let mut columns = Vec::new();
        let (mut identity, mut serials) = (false, Vec::new());
        for r in &rows {
            let column: String = r.get("column_name")?;
            let udt: String = r.get("udt_name")?;
            if r.get::<String>("is_identity")? == "YES" {
                identity = true;
                serials.push(column.clone());
            } else if r.get::<bool>("serial")? {
                serials.push(column.clone());
            }
            columns.push(Column {
                kind: Kind::of(&udt).with_context(|| format!("{name}.{column}"))?,
                name: column,
            });
        }
        out.push(Table {
            name,
            columns,
            identity,
            serials,
        });
    }
    Ok(out)
}

fn column_list(t: &Table) -> String {
    t.columns
        .iter()
        .map(|c| c.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// An identifier column. The report rollups key "no assignee" as '' on SQLite and as the
/// nil UUID on PostgreSQL (whose column is a `uuid`); both read as the nil UUID.
fn uuid_of(row: &Row, i: usize) -> Result<Option<uuid::Uuid>, sqlx::Error> {
    match row.get::<Option<String>>(i)?.as_deref() {
        None => Ok(None),
        Some("") => Ok(Some(uuid::Uuid::nil())),
        Some(_) => row.get(i),
    }
}

/// A source value as the argument the target column takes.
fn value(row: &Row, i: usize, kind: Kind) -> Result<Arg, sqlx::Error> {
    Ok(match kind {
        Kind::Uuid => Arg::Uuid(uuid_of(row, i)?),
        Kind::Instant => Arg::Time(row.get(i)?),
        Kind::Date => Arg::Date(row.get(i)?),
        Kind::Hour => Arg::UtcHour(row.get(i)?),
        Kind::Json => Arg::Json(row.get(i)?),
        Kind::Bool => Arg::Bool(row.get(i)?),
        Kind::Int => Arg::Int(row.get(i)?),
        Kind::Text => Arg::Text(row.get(i)?),
        Kind::Bytes => Arg::Bytes(row.get(i)?),
    })
}

async fn copy_table(
    src: &Db,
    tx: &mut crate::store::sql::db::Tx,
    t: &Table,
) -> anyhow::Result<u64> {
    let columns = column_list(t);
    let select = query(format!("select {columns} from {}", t.name));
    let mut rows = select.fetch(src);
    // PostgreSQL takes at most 65 535 parameters per statement.
    let per_batch = (30_000 / t.columns.len().max(1)).max(1);
    let head = format!(
        "insert into {} ({columns}){} values ",
        t.name,
        if t.identity {
            " overriding system value"
        } else {
            ""
        }
    );
    let mut batch: Vec<Vec<Arg>> = Vec::new();
    let mut copied = 0u64;
    loop {
        let next = rows.try_next().await?;
        if let Some(row) = &next {
            let values = t
                .columns
                .iter()
                .enumerate()
                .map(|(i, c)| value(row, i, c.kind).with_context(|| format!("column {}", c.name)))
                .collect::<anyhow::Result<Vec<_>>>()?;
            batch.push(values);
        }
        if batch.len() >= per_batch || (next.is_none() && !batch.is_empty()) {
            let mut q = Builder::new(head.clone());
            for (k, values) in batch.drain(..).enumerate() {
                q.push(if k == 0 { "(" } else { ", (" });
                q.push_list(values);
                q.push(")");
            }
            copied += q.build().execute(&mut *tx).await?.rows_affected();
        }
        if next.is_none() {
            return Ok(copied);
        }
    }
}

/// A value in the one text form both backends give for it.
fn normal(row: &Row, i: usize, kind: Kind) -> Result<String, sqlx::Error> {
    fn opt<T>(v: Option<T>, f: impl Fn(T) -> String) -> String {
        v.map(f).unwrap_or_else(|| "\u{0}null".into())
    }
    Ok(match kind {
        Kind::Uuid => opt(uuid_of(row, i)?, |u| u.to_string()),
        Kind::Instant => opt(row.get(i)?, crate::store::sql::db::instant_text),
        Kind::Date => opt(row.get::<Option<chrono::NaiveDate>>(i)?, |d| d.to_string()),
        Kind::Hour => opt(row.get::<Option<chrono::NaiveDateTime>>(i)?, |h| {
            h.to_string()
        }),
        Kind::Json => opt(row.get::<Option<String>>(i)?, |text| {
            serde_json::from_str::<serde_json::Value>(&text)
                .map(|v| canonical(&v))
                .unwrap_or(text)
        }),
        Kind::Bool => opt(row.get::<Option<bool>>(i)?, |b| b.to_string()),
        Kind::Int => opt(row.get::<Option<i64>>(i)?, |n| n.to_string()),
        Kind::Text => opt(row.get::<Option<String>>(i)?, |s| s),
        Kind::Bytes => opt(row.get::<Option<Vec<u8>>>(i)?, |b| {
            b.iter().map(|x| format!("{x:02x}")).collect()
        }),
    })
}

/// JSON with object keys sorted (PostgreSQL's `jsonb` does not keep the written order).
fn canonical(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Object(m) => {
            let sorted: BTreeMap<&String, String> =
                m.iter().map(|(k, v)| (k, canonical(v))).collect();
            let parts: Vec<String> = sorted
                .into_iter()
                .map(|(k, v)| format!("{}:{v}", serde_json::Value::String(k.clone())))
                .collect();
            format!("{{{}}}", parts.join(","))
        }
        serde_json::Value::Array(a) => {
            format!(
                "[{}]",
                a.iter().map(canonical).collect::<Vec<_>>().join(",")
            )
        }
        other => other.to_string(),
    }
}

/// Row count and an order-independent digest (the sum of the rows' SHA-256 prefixes).
async fn digest(db: &Db, t: &Table) -> anyhow::Result<(u64, u128)> {
    let select = query(format!("select {} from {}", column_list(t), t.name));
    let mut rows = select.fetch(db);
    let (mut n, mut sum) = (0u64, 0u128);
    while let Some(row) = rows.try_next().await? {
        let mut h = Sha256::new();
        for (i, c) in t.columns.iter().enumerate() {
            h.update(normal(&row, i, c.kind)?.as_bytes());
            h.update([0xff]);
        }
        let bytes = h.finalize();
        let mut prefix = [0u8; 16];
        prefix.copy_from_slice(&bytes[..16]);
        sum = sum.wrapping_add(u128::from_be_bytes(prefix));
        n += 1;
    }
    Ok((n, sum))
}

async fn verify_tables(src: &Db, dst: &Db, tables: &[Table]) -> anyhow::Result<()> {
    for t in tables {
        let (a, b) = (digest(src, t).await?, digest(dst, t).await?);
        if a.0 != b.0 {
            bail!(
                "table {}: {} rows in SQLite, {} in PostgreSQL",
                t.name,
                a.0,
                b.0
            );
        }
        if a.1 != b.1 {
            bail!("table {}: the rows differ after the copy", t.name);
        }
    }
    Ok(())
}

/// Checks every ticket's event hash chain on the target; how many were checked.
async fn verify_chains(target: &SqlBackend) -> anyhow::Result<u64> {
    use loopdesk::store::desk::TicketStore;
    let ids: Vec<uuid::Uuid> = query_scalar("select id from tickets order by id")
        .fetch_all(target.db())
        .await?;
    for id in &ids {
        let events = target
            .ticket_events(loopdesk::ticket::TicketId(*id))
            .await
            .map_err(|e| anyhow::anyhow!("reading the events of ticket {id}: {e:?}"))?;
        loopdesk::ticket::event::verify_chain(&events)
            .with_context(|| format!("the event chain of ticket {id} does not verify"))?;
    }
    Ok(ids.len() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_is_compared_with_sorted_keys() {
        let a: serde_json::Value =
            serde_json::from_str(r#"{"b":1,"a":{"d":[1,{"y":2,"x":"中"}],"c":null}}"#).unwrap();
        let b: serde_json::Value =
            serde_json::from_str(r#"{"a": {"c": null, "d": [1, {"x": "中", "y": 2}]}, "b": 1}"#)
                .unwrap();
        assert_eq!(canonical(&a), canonical(&b));
        assert_eq!(
            canonical(&a),
            r#"{"a":{"c":null,"d":[1,{"x":"中","y":2}]},"b":1}"#
        );
        let c: serde_json::Value = serde_json::from_str(r#"{"b":2,"a":{}}"#).unwrap();
        assert_ne!(canonical(&a), canonical(&c));
    }

    #[test]
    fn every_schema_type_has_a_conversion() {
        for udt in [
            "uuid",
            "timestamptz",
            "date",
            "timestamp",
            "jsonb",
            "bool",
            "int4",
            "int8",
            "text",
            "bytea",
        ] {
            assert!(Kind::of(udt).is_ok(), "{udt}");
        }
        assert!(Kind::of("money").is_err());
    }
}
