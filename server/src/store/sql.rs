//! The SQL store: one implementation of every storage port, run on SQLite or PostgreSQL
//! through the `db` layer. This module owns connecting (pool options, migrations from
//! `migrations/sqlite/` or `migrations/postgres/`, start-up repairs) and the account ports;
//! the submodules own the other ports.
//!
//! SQLite serves one instance. On PostgreSQL several instances share the database: writes
//! are version-checked, and background work is claimed with row locks (see `desk`).

use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use loopdesk::audit::{audit_hash, SealedAudit, GENESIS};
use loopdesk::locale::Locale;
use loopdesk::login::LoginThrottle;
use loopdesk::password::{DisabledReason, PasswordAge};
use loopdesk::store::{
    Account, AuditAction, AuditEntry, AuditPage, AuditQuery, AuditStore, DepartmentStore,
    HealthStore, LoginAttemptStore, NewUser, PasswordHash, PasswordUpdate, StoreError, UserStore,
};
use loopdesk::user::{Department, DepartmentId, LoginName, Role, User, UserId};
use sqlx::postgres::PgPoolOptions;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use uuid::Uuid;

mod console;
pub mod db;
mod desk;
mod knowledge;
mod portal;
mod rows;
mod supervision;
mod work;

use db::{query, query_scalar, Builder, Db, Row};
use rows::found;

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/postgres");

/// The store, on either backend.
#[derive(Clone)]
pub struct SqlBackend {
    db: Db,
}

fn other(e: impl std::error::Error + Send + Sync + 'static) -> StoreError {
    StoreError::Other(Box::new(e))
}

/// Classifies a sqlx error: missing rows (also a reference to a missing row) and unique
/// violations get their own variants.
fn classify(e: sqlx::Error, what: &'static str) -> StoreError {
    match &e {
        sqlx::Error::RowNotFound => StoreError::NotFound,
        sqlx::Error::Database(db) if db.kind() == sqlx::error::ErrorKind::ForeignKeyViolation => {
            StoreError::NotFound
        }
        sqlx::Error::Database(db) if db.kind() == sqlx::error::ErrorKind::UniqueViolation => {
            StoreError::Conflict { what }
        }
        _ => other(e),
    }
}

#[derive(Debug, thiserror::Error)]
#[error("corrupt row: {0}")]
struct CorruptRow(String);

fn parse_ts(text: &str) -> Result<DateTime<Utc>, StoreError> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| other(CorruptRow(format!("bad instant {text:?}"))))
}

fn parse_uuid(text: &str) -> Result<Uuid, StoreError> {
    Uuid::parse_str(text).map_err(|_| other(CorruptRow(format!("bad uuid {text:?}"))))
}

impl SqlBackend {
    /// Opens (creating if needed) a SQLite database file and runs pending migrations.
    pub async fn connect_sqlite(url: &str) -> anyhow::Result<SqlBackend> {
        use anyhow::Context;
        let options = SqliteConnectOptions::from_str(url)
            .with_context(|| "DATABASE_URL is not a valid sqlite URL")?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // WAL + NORMAL: durable across process crashes, one fsync per checkpoint.
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(5))
            .foreign_keys(true);
        if let Some(parent) = options.get_filename().parent() {
            if !parent.as_os_str().is_empty() {
                std::fs::create_dir_all(parent).with_context(|| {
                    format!("cannot create the database directory {}", parent.display())
                })?;
            }
        }
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await
            .context("cannot open the SQLite database")?;
        SQLITE_MIGRATIONS
            .run(&pool)
            .await
            .context("cannot apply the SQLite migrations")?;
        SqlBackend::opened(Db::Sqlite(pool)).await
    }

    /// Connects to a PostgreSQL database (which must exist) and runs pending migrations;
    /// several instances may do this at once (the migrator takes an advisory lock).
    pub async fn connect_postgres(url: &str) -> anyhow::Result<SqlBackend> {
        use anyhow::Context;
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(10))
            .connect(url)
            .await
            .context("cannot connect to the PostgreSQL database")?;
        POSTGRES_MIGRATIONS
            .run(&pool)
            .await
            .context("cannot apply the PostgreSQL migrations")?;
        SqlBackend::opened(Db::Postgres(pool)).await
    }

    /// Connects to whichever backend `url` names (`sqlite:` or `postgres(ql)://`).
    pub async fn connect(url: &str) -> anyhow::Result<SqlBackend> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            SqlBackend::connect_postgres(url).await
        } else if url.starts_with("sqlite:") {
            SqlBackend::connect_sqlite(url).await
        } else {
            anyhow::bail!("the database URL must start with sqlite:, postgres:// or postgresql://")
        }
    }

    async fn opened(db: Db) -> anyhow::Result<SqlBackend> {
        use anyhow::Context;
        let backend = SqlBackend { db };
        backend
            .fill_sla_keys()
            .await
            .context("cannot fill in the SLA keys of older tickets")?;
        backend
            .seal_audit_log()
            .await
            .context("cannot seal the older audit log entries")?;
        Ok(backend)
    }

    /// Tickets written before migration 0007 have SLA targets but no `sla_key` (so the
    /// reports and their rollups would not count their compliance): derive it once from
    /// the stored targets, with the domain's definition.
    async fn fill_sla_keys(&self) -> Result<u64, StoreError> {
        let sql = self.db.pick(
            "select id, sla from tickets where sla_key = '' and sla <> '[]'",
            "select id, sla from tickets where sla_key = '' and sla <> '[]'::jsonb",
        );
        let rows = query(sql).fetch_all(&self.db).await.map_err(other)?;
        let mut tx = self.db.begin().await.map_err(other)?;
        for row in &rows {
            let id: Uuid = row.get("id").map_err(other)?;
            let sla: String = row.get("sla").map_err(other)?;
            let targets: Vec<loopdesk::sla::TargetStatus> = rows::json(&sla)?;
            query("update tickets set sla_key = $1 where id = $2")
                .bind(loopdesk::metrics::sla_key(&targets))
                .bind(id)
                .execute(&mut tx)
                .await
                .map_err(other)?;
        }
        tx.commit().await.map_err(other)?;
        Ok(rows.len() as u64)
    }

    /// The connection pool (shared with the session store).
    pub fn db(&self) -> &Db {
        &self.db
    }

    /// The SQLite pool, when this is the SQLite backend (maintenance and tests).
    pub fn sqlite_pool(&self) -> Option<&sqlx::SqlitePool> {
        match &self.db {
            Db::Sqlite(p) => Some(p),
            Db::Postgres(_) => None,
        }
    }

    /// The PostgreSQL pool, when this is the PostgreSQL backend.
    pub fn postgres_pool(&self) -> Option<&sqlx::PgPool> {
        match &self.db {
            Db::Postgres(p) => Some(p),
            Db::Sqlite(_) => None,
        }
    }
}

const USER_COLUMNS: &str =
    "id, username, phone, display_name, role, department_id, locale, disabled, password_hash";

const ACCOUNT_COLUMNS: &str =
    "id, username, phone, display_name, role, department_id, locale, disabled, password_hash, \
     coalesce(password_changed_at, created_at) as password_changed_at, must_change_password, \
     disabled_reason, created_at, last_login_at, enabled_at, session_epoch";

fn account_from_row(row: &Row) -> Result<Account, StoreError> {
    let (user, _) = user_from_row(row)?;
    let reason: Option<String> = row.get("disabled_reason").map_err(other)?;
    Ok(Account {
        user,
        password: PasswordAge {
            changed_at: row.get("password_changed_at").map_err(other)?,
            must_change: row.get("must_change_password").map_err(other)?,
        },
        disabled_reason: reason.as_deref().and_then(DisabledReason::from_code),
        created_at: row.get("created_at").map_err(other)?,
        last_login_at: row.get("last_login_at").map_err(other)?,
        enabled_at: row.get("enabled_at").map_err(other)?,
        session_epoch: row.get("session_epoch").map_err(other)?,
    })
}

fn user_from_row(row: &Row) -> Result<(User, PasswordHash), StoreError> {
    let get = |e: sqlx::Error| other(e);
    let id: String = row.get("id").map_err(get)?;
    let role: String = row.get("role").map_err(get)?;
    let dept: Option<String> = row.get("department_id").map_err(get)?;
    let locale: Option<String> = row.get("locale").map_err(get)?;
    let user = User {
        id: UserId(parse_uuid(&id)?),
        username: row.get("username").map_err(get)?,
        phone: row.get("phone").map_err(get)?,
        display_name: row.get("display_name").map_err(get)?,
        role: Role::from_str(&role).map_err(other)?,
        department_id: dept
            .as_deref()
            .map(parse_uuid)
            .transpose()?
            .map(DepartmentId),
        locale: locale
            .as_deref()
            .map(Locale::from_str)
            .transpose()
            .map_err(other)?,
        disabled: row.get::<i64>("disabled").map_err(get)? != 0,
    };
    let hash = PasswordHash(row.get("password_hash").map_err(get)?);
    Ok((user, hash))
}

#[async_trait]
impl UserStore for SqlBackend {
    async fn create_user(&self, new: NewUser, now: DateTime<Utc>) -> Result<(), StoreError> {
        let u = new.user;
        query(
            "insert into users (id, username, phone, display_name, role, department_id, \
             password_hash, locale, disabled, created_at) \
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(u.id.0)
        .bind(u.username)
        .bind(u.phone)
        .bind(u.display_name)
        .bind(u.role.code())
        .bind(u.department_id.map(|d| d.0))
        .bind(new.password_hash.0)
        .bind(u.locale.map(|l| l.code()))
        .bind(u.disabled)
        .bind(now)
        .execute(&self.db)
        .await
        .map_err(|e| classify(e, "user"))?;
        Ok(())
    }

    async fn find_for_login(
        &self,
        login: &LoginName,
    ) -> Result<Option<(User, PasswordHash)>, StoreError> {
        let (column, value) = match login {
            LoginName::Username(u) => ("username", u),
            LoginName::Phone(p) => ("phone", p),
        };
        let sql = format!("select {USER_COLUMNS} from users where {column} = $1");
        let row = query(&sql)
            .bind(value)
            .fetch_optional(&self.db)
            .await
            .map_err(other)?;
        row.as_ref().map(user_from_row).transpose()
    }

    async fn get_user(&self, id: UserId) -> Result<User, StoreError> {
        let sql = format!("select {USER_COLUMNS} from users where id = $1");
        let row = query(&sql)
            .bind(id.0)
            .fetch_one(&self.db)
            .await
            .map_err(|e| classify(e, "user"))?;
        user_from_row(&row).map(|(u, _)| u)
    }

    async fn set_locale(&self, id: UserId, locale: Locale) -> Result<(), StoreError> {
        let done = query("update users set locale = $1 where id = $2")
            .bind(locale.code())
            .bind(id.0)
            .execute(&self.db)
            .await
            .map_err(other)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    async fn account(&self, id: UserId) -> Result<Account, StoreError> {
        let sql = format!("select {ACCOUNT_COLUMNS} from users where id = $1");
        let row = query(&sql)
            .bind(id.0)
            .fetch_one(&self.db)
            .await
            .map_err(|e| classify(e, "user"))?;
        account_from_row(&row)
    }

    async fn set_password(&self, id: UserId, update: PasswordUpdate) -> Result<i64, StoreError> {
        let mut tx = self.db.begin_immediate().await.map_err(other)?;
        let old: String = query_scalar("select password_hash from users where id = $1")
            .bind(id.0)
            .fetch_one(&mut tx)
            .await
            .map_err(|e| classify(e, "user"))?;
        if update.keep_history > 0 {
            query("insert into password_history (user_id, hash, set_at) values ($1, $2, $3)")
                .bind(id.0)
                .bind(old)
                .bind(update.at)
                .execute(&mut tx)
                .await
                .map_err(other)?;
        }
        // Keep the newest `keep_history` (ties on the instant broken by the hash, the same
        // way on both backends).
        query(
            "delete from password_history where user_id = $1 and hash not in \
             (select hash from password_history where user_id = $1 \
              order by set_at desc, hash limit $2)",
        )
        .bind(id.0)
        .bind(i64::try_from(update.keep_history).unwrap_or(i64::MAX))
        .execute(&mut tx)
        .await
        .map_err(other)?;
        let epoch: i64 = query_scalar(
            "update users set password_hash = $1, password_changed_at = $2, \
             must_change_password = $3, session_epoch = session_epoch + 1 \
             where id = $4 returning session_epoch",
        )
        .bind(update.hash.0)
        .bind(update.at)
        .bind(update.must_change)
        .bind(id.0)
        .fetch_one(&mut tx)
        .await
        .map_err(|e| classify(e, "user"))?;
        tx.commit().await.map_err(other)?;
        Ok(epoch)
    }

    async fn password_history(&self, id: UserId) -> Result<Vec<PasswordHash>, StoreError> {
        let hashes: Vec<String> = query_scalar(
            "select hash from password_history where user_id = $1 order by set_at desc, hash",
        )
        .bind(id.0)
        .fetch_all(&self.db)
        .await
        .map_err(other)?;
        Ok(hashes.into_iter().map(PasswordHash).collect())
    }

    async fn set_disabled(
        &self,
        id: UserId,
        reason: Option<DisabledReason>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let q = match reason {
            Some(r) => {
                query("update users set disabled = true, disabled_reason = $1 where id = $2")
                    .bind(r.code())
            }
            None => query(
                "update users set disabled = false, disabled_reason = null, enabled_at = $1 \
                 where id = $2",
            )
            .bind(now),
        };
        let done = q.bind(id.0).execute(&self.db).await.map_err(other)?;
        found(&done)
    }

    async fn revoke_sessions(&self, id: UserId) -> Result<i64, StoreError> {
        query_scalar(
            "update users set session_epoch = session_epoch + 1 where id = $1 \
             returning session_epoch",
        )
        .bind(id.0)
        .fetch_one(&self.db)
        .await
        .map_err(|e| classify(e, "user"))
    }

    async fn disable_inactive(&self, before: DateTime<Utc>) -> Result<Vec<User>, StoreError> {
        let sql = format!(
            "update users set disabled = true, disabled_reason = 'inactive' \
             where role <> 'customer' and disabled = false \
             and coalesce(last_login_at, created_at) < $1 \
             and (enabled_at is null or enabled_at < $1) \
             returning {USER_COLUMNS}"
        );
        let rows = query(&sql)
            .bind(before)
            .fetch_all(&self.db)
            .await
            .map_err(other)?;
        let mut users = rows
            .iter()
            .map(|r| user_from_row(r).map(|(u, _)| u))
            .collect::<Result<Vec<_>, _>>()?;
        users.sort_by(|a, b| a.username.cmp(&b.username));
        Ok(users)
    }

    async fn list_staff_accounts(&self) -> Result<Vec<Account>, StoreError> {
        let sql = format!(
            "select {ACCOUNT_COLUMNS} from users where role <> 'customer' order by username, id"
        );
        let rows = query(&sql).fetch_all(&self.db).await.map_err(other)?;
        rows.iter().map(account_from_row).collect()
    }

    async fn record_login(&self, id: UserId, now: DateTime<Utc>) -> Result<(), StoreError> {
        query("update users set last_login_at = $1 where id = $2")
            .bind(now)
            .bind(id.0)
            .execute(&self.db)
            .await
            .map_err(other)?;
        Ok(())
    }

    async fn list_ticket_staff(&self) -> Result<Vec<User>, StoreError> {
        let sql = format!(
            "select {USER_COLUMNS} from users where role in ('agent', 'supervisor') \
             and disabled = false order by display_name, id"
        );
        let rows = query(&sql).fetch_all(&self.db).await.map_err(other)?;
        rows.iter()
            .map(|r| user_from_row(r).map(|(u, _)| u))
            .collect()
    }

    async fn count_users(&self) -> Result<u64, StoreError> {
        let n: i64 = query_scalar("select count(*) from users")
            .fetch_one(&self.db)
            .await
            .map_err(other)?;
        Ok(u64::try_from(n).unwrap_or(0))
    }
}

fn department_from_row(row: &Row) -> Result<Department, StoreError> {
    let id: String = row.get("id").map_err(other)?;
    Ok(Department {
        id: DepartmentId(parse_uuid(&id)?),
        code: row.get("code").map_err(other)?,
        name_zh: row.get("name_zh").map_err(other)?,
        name_en: row.get("name_en").map_err(other)?,
    })
}

#[async_trait]
impl DepartmentStore for SqlBackend {
    async fn create_department(&self, dept: Department) -> Result<(), StoreError> {
        query("insert into departments (id, code, name_zh, name_en) values ($1, $2, $3, $4)")
            .bind(dept.id.0)
            .bind(dept.code)
            .bind(dept.name_zh)
            .bind(dept.name_en)
            .execute(&self.db)
            .await
            .map_err(|e| classify(e, "department"))?;
        Ok(())
    }

    async fn list_departments(&self) -> Result<Vec<Department>, StoreError> {
        let rows = query("select id, code, name_zh, name_en from departments order by code")
            .fetch_all(&self.db)
            .await
            .map_err(other)?;
        rows.iter().map(department_from_row).collect()
    }

    async fn get_department(&self, id: DepartmentId) -> Result<Department, StoreError> {
        let row = query("select id, code, name_zh, name_en from departments where id = $1")
            .bind(id.0)
            .fetch_one(&self.db)
            .await
            .map_err(|e| classify(e, "department"))?;
        department_from_row(&row)
    }
}

#[async_trait]
impl LoginAttemptStore for SqlBackend {
    async fn locked_until(&self, key: &str) -> Result<Option<DateTime<Utc>>, StoreError> {
        let until: Option<String> =
            query_scalar("select locked_until from login_locks where login_key = $1")
                .bind(key)
                .fetch_optional(&self.db)
                .await
                .map_err(other)?;
        until.as_deref().map(parse_ts).transpose()
    }

    async fn record_failure(
        &self,
        key: &str,
        now: DateTime<Utc>,
        throttle: &LoginThrottle,
    ) -> Result<Option<DateTime<Utc>>, StoreError> {
        let mut tx = self.db.begin().await.map_err(other)?;
        // Old failures no longer count; drop them so the table stays small.
        query("delete from login_failures where login_key = $1 and failed_at <= $2")
            .bind(key)
            .bind(throttle.window_start(now))
            .execute(&mut tx)
            .await
            .map_err(other)?;
        query("insert into login_failures (login_key, failed_at) values ($1, $2)")
            .bind(key)
            .bind(now)
            .execute(&mut tx)
            .await
            .map_err(other)?;
        let count: i64 = query_scalar("select count(*) from login_failures where login_key = $1")
            .bind(key)
            .fetch_one(&mut tx)
            .await
            .map_err(other)?;
        let lock = throttle.lock_after_failure(u32::try_from(count).unwrap_or(u32::MAX), now);
        if let Some(until) = lock {
            query(
                "insert into login_locks (login_key, locked_until) values ($1, $2) \
                 on conflict (login_key) do update set locked_until = excluded.locked_until",
            )
            .bind(key)
            .bind(until)
            .execute(&mut tx)
            .await
            .map_err(other)?;
            // The lock replaces the failures: after it expires, counting starts afresh.
            query("delete from login_failures where login_key = $1")
                .bind(key)
                .execute(&mut tx)
                .await
                .map_err(other)?;
        }
        tx.commit().await.map_err(other)?;
        Ok(lock)
    }

    async fn clear(&self, key: &str) -> Result<(), StoreError> {
        let mut tx = self.db.begin().await.map_err(other)?;
        for sql in [
            "delete from login_failures where login_key = $1",
            "delete from login_locks where login_key = $1",
        ] {
            query(sql).bind(key).execute(&mut tx).await.map_err(other)?;
        }
        tx.commit().await.map_err(other)
    }
}

/// Serialises appends to the audit chain across instances (PostgreSQL advisory lock).
const AUDIT_LOCK: i64 = 0x4c44_4155_4449;

#[async_trait]
impl AuditStore for SqlBackend {
    async fn append(&self, e: AuditEntry) -> Result<(), StoreError> {
        // One writer at a time: the new entry links to the last one.
        let mut tx = self.db.begin_immediate().await.map_err(other)?;
        tx.exclusive(AUDIT_LOCK).await.map_err(other)?;
        let prev: Option<String> =
            query_scalar("select hash from audit_log order by id desc limit 1")
                .fetch_optional(&mut tx)
                .await
                .map_err(other)?;
        let prev = prev.unwrap_or_else(|| GENESIS.to_owned());
        let hash = audit_hash(&prev, &e);
        query(
            "insert into audit_log (at, actor_id, action, subject, detail, transaction_id, \
             prev_hash, hash) values ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(e.at)
        .bind(e.actor.map(|a| a.0))
        .bind(e.action.code())
        .bind(e.subject)
        .bind(e.detail)
        .bind(e.transaction_id)
        .bind(prev)
        .bind(hash)
        .execute(&mut tx)
        .await
        .map_err(other)?;
        tx.commit().await.map_err(other)
    }

    async fn recent(&self, limit: u32) -> Result<Vec<AuditEntry>, StoreError> {
        let rows = query(format!(
            "select {AUDIT_COLUMNS} from audit_log order by id desc limit $1"
        ))
        .bind(i64::from(limit))
        .fetch_all(&self.db)
        .await
        .map_err(other)?;
        rows.iter().map(audit_from_row).collect()
    }

    async fn about(&self, subject: &str, limit: u32) -> Result<Vec<AuditEntry>, StoreError> {
        let rows = query(format!(
            "select {AUDIT_COLUMNS} from audit_log where subject = $1 order by id desc limit $2"
        ))
        .bind(subject)
        .bind(i64::from(limit))
        .fetch_all(&self.db)
        .await
        .map_err(other)?;
        rows.iter().map(audit_from_row).collect()
    }

    async fn sealed_after(&self, after: i64, limit: u32) -> Result<Vec<SealedAudit>, StoreError> {
        let rows = query(format!(
            "select id, prev_hash, hash, {AUDIT_COLUMNS} from audit_log where id > $1 \
             order by id limit $2"
        ))
        .bind(after)
        .bind(i64::from(limit))
        .fetch_all(&self.db)
        .await
        .map_err(other)?;
        rows.iter().map(sealed_from_row).collect()
    }

    async fn search_audit(&self, q: &AuditQuery) -> Result<AuditPage, StoreError> {
        let filters = |b: &mut Builder| {
            b.push(" where 1 = 1");
            if let Some(a) = q.actor {
                b.push(" and actor_id = ").push_bind(a.0);
            }
            if let Some(a) = q.action {
                b.push(" and action = ").push_bind(a.code());
            }
            if let Some(s) = &q.subject {
                b.push(" and subject = ").push_bind(s.as_str());
            }
            if let Some(t) = q.from {
                b.push(" and at >= ").push_bind(t);
            }
            if let Some(t) = q.to {
                b.push(" and at < ").push_bind(t);
            }
        };
        let mut count = Builder::new("select count(*) from audit_log");
        filters(&mut count);
        let total: i64 = count
            .build()
            .scalar()
            .fetch_one(&self.db)
            .await
            .map_err(other)?;
        let size = q.page_size.clamp(1, 200);
        let mut page = Builder::new(format!(
            "select id, prev_hash, hash, {AUDIT_COLUMNS} from audit_log"
        ));
        filters(&mut page);
        page.push(" order by id desc limit ")
            .push_bind(i64::from(size))
            .push(" offset ")
            .push_bind(i64::from(q.page.max(1) - 1) * i64::from(size));
        let rows = page.build().fetch_all(&self.db).await.map_err(other)?;
        Ok(AuditPage {
            items: rows.iter().map(sealed_from_row).collect::<Result<_, _>>()?,
            total: u64::try_from(total).unwrap_or(0),
        })
    }
}

const AUDIT_COLUMNS: &str = "at, actor_id, action, subject, detail, transaction_id";

fn audit_from_row(row: &Row) -> Result<AuditEntry, StoreError> {
    let at: DateTime<Utc> = row.get("at").map_err(other)?;
    let actor: Option<Uuid> = row.get("actor_id").map_err(other)?;
    let action: String = row.get("action").map_err(other)?;
    Ok(AuditEntry {
        at,
        actor: actor.map(UserId),
        action: AuditAction::from_code(&action)
            .ok_or_else(|| other(CorruptRow(format!("bad action {action:?}"))))?,
        subject: row.get("subject").map_err(other)?,
        detail: row.get("detail").map_err(other)?,
        transaction_id: row.get("transaction_id").map_err(other)?,
    })
}

fn sealed_from_row(row: &Row) -> Result<SealedAudit, StoreError> {
    Ok(SealedAudit {
        id: row.get("id").map_err(other)?,
        entry: audit_from_row(row)?,
        prev_hash: row.get("prev_hash").map_err(other)?,
        hash: row.get("hash").map_err(other)?,
    })
}

impl SqlBackend {
    /// Entries written before the chain existed (migration 0011) get their links, in order,
    /// once; the triggers allow exactly this update of an unsealed entry.
    async fn seal_audit_log(&self) -> Result<u64, StoreError> {
        let rows = query(format!(
            "select id, prev_hash, hash, {AUDIT_COLUMNS} from audit_log where hash = '' \
             order by id"
        ))
        .fetch_all(&self.db)
        .await
        .map_err(other)?;
        let Some(first) = rows.first() else {
            return Ok(0);
        };
        let first_id: i64 = first.get("id").map_err(other)?;
        let mut tx = self.db.begin_immediate().await.map_err(other)?;
        tx.exclusive(AUDIT_LOCK).await.map_err(other)?;
        let mut prev: String = query_scalar::<String>(
            "select hash from audit_log where id < $1 order by id desc limit 1",
        )
        .bind(first_id)
        .fetch_optional(&mut tx)
        .await
        .map_err(other)?
        .unwrap_or_else(|| GENESIS.to_owned());
        for row in &rows {
            let sealed = sealed_from_row(row)?;
            let hash = audit_hash(&prev, &sealed.entry);
            query("update audit_log set prev_hash = $1, hash = $2 where id = $3")
                .bind(&prev)
                .bind(&hash)
                .bind(sealed.id)
                .execute(&mut tx)
                .await
                .map_err(other)?;
            prev = hash;
        }
        tx.commit().await.map_err(other)?;
        Ok(rows.len() as u64)
    }
}

#[async_trait]
impl HealthStore for SqlBackend {
    async fn ping(&self) -> Result<(), StoreError> {
        query("select 1").execute(&self.db).await.map_err(other)?;
        Ok(())
    }
}
