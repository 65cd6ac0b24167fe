//! The SQLite backend: pool set-up (WAL, busy timeout, foreign keys), migrations from
//! `migrations/sqlite/`, and the implementation of every storage port.
//!
//! SQLite serves one instance; nothing here needs row locking.

use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use loopdesk::locale::Locale;
use loopdesk::login::LoginThrottle;
use loopdesk::store::{
    AuditAction, AuditEntry, AuditStore, DepartmentStore, HealthStore, LoginAttemptStore, NewUser,
    PasswordHash, StoreError, UserStore,
};
use loopdesk::user::{Department, DepartmentId, LoginName, Role, User, UserId};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteRow, SqliteSynchronous,
};
use sqlx::{Row, SqlitePool};
use uuid::Uuid;

mod console;
mod desk;
mod knowledge;
mod portal;
mod rows;
mod supervision;
mod work;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/sqlite");

/// The SQLite store.
#[derive(Clone)]
pub struct SqliteBackend {
    pool: SqlitePool,
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

fn ts(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

fn parse_ts(text: &str) -> Result<DateTime<Utc>, StoreError> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| other(CorruptRow(format!("bad instant {text:?}"))))
}

fn parse_uuid(text: &str) -> Result<Uuid, StoreError> {
    Uuid::parse_str(text).map_err(|_| other(CorruptRow(format!("bad uuid {text:?}"))))
}

impl SqliteBackend {
    /// Opens (creating if needed) the database file and runs pending migrations.
    pub async fn connect(url: &str) -> anyhow::Result<SqliteBackend> {
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
        MIGRATOR
            .run(&pool)
            .await
            .context("cannot apply the SQLite migrations")?;
        let backend = SqliteBackend { pool };
        backend
            .fill_sla_keys()
            .await
            .context("cannot fill in the SLA keys of older tickets")?;
        Ok(backend)
    }

    /// Tickets written before migration 0007 have SLA targets but no `sla_key` (so the
    /// reports and their rollups would not count their compliance): derive it once from
    /// the stored targets, with the domain's definition.
    async fn fill_sla_keys(&self) -> Result<u64, StoreError> {
        let rows = sqlx::query("select id, sla from tickets where sla_key = '' and sla <> '[]'")
            .fetch_all(&self.pool)
            .await
            .map_err(other)?;
        let mut tx = self.pool.begin().await.map_err(other)?;
        for row in &rows {
            let id: String = row.try_get("id").map_err(other)?;
            let sla: String = row.try_get("sla").map_err(other)?;
            let targets: Vec<loopdesk::sla::TargetStatus> = rows::json(&sla)?;
            sqlx::query("update tickets set sla_key = $1 where id = $2")
                .bind(loopdesk::metrics::sla_key(&targets))
                .bind(&id)
                .execute(&mut *tx)
                .await
                .map_err(other)?;
        }
        tx.commit().await.map_err(other)?;
        Ok(rows.len() as u64)
    }

    /// The connection pool (shared with the session store).
    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }
}

const USER_COLUMNS: &str =
    "id, username, phone, display_name, role, department_id, locale, disabled, password_hash";

fn user_from_row(row: &SqliteRow) -> Result<(User, PasswordHash), StoreError> {
    let get = |e: sqlx::Error| other(e);
    let id: String = row.try_get("id").map_err(get)?;
    let role: String = row.try_get("role").map_err(get)?;
    let dept: Option<String> = row.try_get("department_id").map_err(get)?;
    let locale: Option<String> = row.try_get("locale").map_err(get)?;
    let user = User {
        id: UserId(parse_uuid(&id)?),
        username: row.try_get("username").map_err(get)?,
        phone: row.try_get("phone").map_err(get)?,
        display_name: row.try_get("display_name").map_err(get)?,
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
        disabled: row.try_get::<i64, _>("disabled").map_err(get)? != 0,
    };
    let hash = PasswordHash(row.try_get("password_hash").map_err(get)?);
    Ok((user, hash))
}

#[async_trait]
impl UserStore for SqliteBackend {
    async fn create_user(&self, new: NewUser, now: DateTime<Utc>) -> Result<(), StoreError> {
        let u = new.user;
        sqlx::query(
            "insert into users (id, username, phone, display_name, role, department_id, \
             password_hash, locale, disabled, created_at) \
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(u.id.0.to_string())
        .bind(u.username)
        .bind(u.phone)
        .bind(u.display_name)
        .bind(u.role.code())
        .bind(u.department_id.map(|d| d.0.to_string()))
        .bind(new.password_hash.0)
        .bind(u.locale.map(|l| l.code()))
        .bind(i64::from(u.disabled))
        .bind(ts(now))
        .execute(&self.pool)
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
        let row = sqlx::query(&sql)
            .bind(value)
            .fetch_optional(&self.pool)
            .await
            .map_err(other)?;
        row.as_ref().map(user_from_row).transpose()
    }

    async fn get_user(&self, id: UserId) -> Result<User, StoreError> {
        let sql = format!("select {USER_COLUMNS} from users where id = $1");
        let row = sqlx::query(&sql)
            .bind(id.0.to_string())
            .fetch_one(&self.pool)
            .await
            .map_err(|e| classify(e, "user"))?;
        user_from_row(&row).map(|(u, _)| u)
    }

    async fn set_locale(&self, id: UserId, locale: Locale) -> Result<(), StoreError> {
        let done = sqlx::query("update users set locale = $1 where id = $2")
            .bind(locale.code())
            .bind(id.0.to_string())
            .execute(&self.pool)
            .await
            .map_err(other)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    async fn set_password(&self, id: UserId, hash: PasswordHash) -> Result<(), StoreError> {
        let done = sqlx::query("update users set password_hash = $1 where id = $2")
            .bind(hash.0)
            .bind(id.0.to_string())
            .execute(&self.pool)
            .await
            .map_err(other)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    async fn record_login(&self, id: UserId, now: DateTime<Utc>) -> Result<(), StoreError> {
        sqlx::query("update users set last_login_at = $1 where id = $2")
            .bind(ts(now))
            .bind(id.0.to_string())
            .execute(&self.pool)
            .await
            .map_err(other)?;
        Ok(())
    }

    async fn list_ticket_staff(&self) -> Result<Vec<User>, StoreError> {
        let sql = format!(
            "select {USER_COLUMNS} from users where role in ('agent', 'supervisor') \
             and disabled = 0 order by display_name, id"
        );
        let rows = sqlx::query(&sql)
            .fetch_all(&self.pool)
            .await
            .map_err(other)?;
        rows.iter()
            .map(|r| user_from_row(r).map(|(u, _)| u))
            .collect()
    }

    async fn count_users(&self) -> Result<u64, StoreError> {
        let n: i64 = sqlx::query_scalar("select count(*) from users")
            .fetch_one(&self.pool)
            .await
            .map_err(other)?;
        Ok(u64::try_from(n).unwrap_or(0))
    }
}

fn department_from_row(row: &SqliteRow) -> Result<Department, StoreError> {
    let id: String = row.try_get("id").map_err(other)?;
    Ok(Department {
        id: DepartmentId(parse_uuid(&id)?),
        code: row.try_get("code").map_err(other)?,
        name_zh: row.try_get("name_zh").map_err(other)?,
        name_en: row.try_get("name_en").map_err(other)?,
    })
}

#[async_trait]
impl DepartmentStore for SqliteBackend {
    async fn create_department(&self, dept: Department) -> Result<(), StoreError> {
        sqlx::query("insert into departments (id, code, name_zh, name_en) values ($1, $2, $3, $4)")
            .bind(dept.id.0.to_string())
            .bind(dept.code)
            .bind(dept.name_zh)
            .bind(dept.name_en)
            .execute(&self.pool)
            .await
            .map_err(|e| classify(e, "department"))?;
        Ok(())
    }

    async fn list_departments(&self) -> Result<Vec<Department>, StoreError> {
        let rows = sqlx::query("select id, code, name_zh, name_en from departments order by code")
            .fetch_all(&self.pool)
            .await
            .map_err(other)?;
        rows.iter().map(department_from_row).collect()
    }

    async fn get_department(&self, id: DepartmentId) -> Result<Department, StoreError> {
        let row = sqlx::query("select id, code, name_zh, name_en from departments where id = $1")
            .bind(id.0.to_string())
            .fetch_one(&self.pool)
            .await
            .map_err(|e| classify(e, "department"))?;
        department_from_row(&row)
    }
}

#[async_trait]
impl LoginAttemptStore for SqliteBackend {
    async fn locked_until(&self, key: &str) -> Result<Option<DateTime<Utc>>, StoreError> {
        let until: Option<String> =
            sqlx::query_scalar("select locked_until from login_locks where login_key = $1")
                .bind(key)
                .fetch_optional(&self.pool)
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
        let mut tx = self.pool.begin().await.map_err(other)?;
        // Old failures no longer count; drop them so the table stays small.
        sqlx::query("delete from login_failures where login_key = $1 and failed_at <= $2")
            .bind(key)
            .bind(ts(throttle.window_start(now)))
            .execute(&mut *tx)
            .await
            .map_err(other)?;
        sqlx::query("insert into login_failures (login_key, failed_at) values ($1, $2)")
            .bind(key)
            .bind(ts(now))
            .execute(&mut *tx)
            .await
            .map_err(other)?;
        let count: i64 =
            sqlx::query_scalar("select count(*) from login_failures where login_key = $1")
                .bind(key)
                .fetch_one(&mut *tx)
                .await
                .map_err(other)?;
        let lock = throttle.lock_after_failure(u32::try_from(count).unwrap_or(u32::MAX), now);
        if let Some(until) = lock {
            sqlx::query(
                "insert into login_locks (login_key, locked_until) values ($1, $2) \
                 on conflict (login_key) do update set locked_until = excluded.locked_until",
            )
            .bind(key)
            .bind(ts(until))
            .execute(&mut *tx)
            .await
            .map_err(other)?;
            // The lock replaces the failures: after it expires, counting starts afresh.
            sqlx::query("delete from login_failures where login_key = $1")
                .bind(key)
                .execute(&mut *tx)
                .await
                .map_err(other)?;
        }
        tx.commit().await.map_err(other)?;
        Ok(lock)
    }

    async fn clear(&self, key: &str) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await.map_err(other)?;
        for sql in [
            "delete from login_failures where login_key = $1",
            "delete from login_locks where login_key = $1",
        ] {
            sqlx::query(sql)
                .bind(key)
                .execute(&mut *tx)
                .await
                .map_err(other)?;
        }
        tx.commit().await.map_err(other)
    }
}

#[async_trait]
impl AuditStore for SqliteBackend {
    async fn append(&self, e: AuditEntry) -> Result<(), StoreError> {
        sqlx::query(
            "insert into audit_log (at, actor_id, action, subject, detail, transaction_id) \
             values ($1, $2, $3, $4, $5, $6)",
        )
        .bind(ts(e.at))
        .bind(e.actor.map(|a| a.0.to_string()))
        .bind(e.action.code())
        .bind(e.subject)
        .bind(e.detail)
        .bind(e.transaction_id)
        .execute(&self.pool)
        .await
        .map_err(other)?;
        Ok(())
    }

    async fn recent(&self, limit: u32) -> Result<Vec<AuditEntry>, StoreError> {
        let rows = sqlx::query(&format!(
            "select {AUDIT_COLUMNS} from audit_log order by id desc limit $1"
        ))
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await
        .map_err(other)?;
        rows.iter().map(audit_from_row).collect()
    }

    async fn about(&self, subject: &str, limit: u32) -> Result<Vec<AuditEntry>, StoreError> {
        let rows = sqlx::query(&format!(
            "select {AUDIT_COLUMNS} from audit_log where subject = $1 order by id desc limit $2"
        ))
        .bind(subject)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await
        .map_err(other)?;
        rows.iter().map(audit_from_row).collect()
    }
}

const AUDIT_COLUMNS: &str = "at, actor_id, action, subject, detail, transaction_id";

fn audit_from_row(row: &SqliteRow) -> Result<AuditEntry, StoreError> {
    let at: String = row.try_get("at").map_err(other)?;
    let actor: Option<String> = row.try_get("actor_id").map_err(other)?;
    let action: String = row.try_get("action").map_err(other)?;
    Ok(AuditEntry {
        at: parse_ts(&at)?,
        actor: actor.as_deref().map(parse_uuid).transpose()?.map(UserId),
        action: AuditAction::from_code(&action)
            .ok_or_else(|| other(CorruptRow(format!("bad action {action:?}"))))?,
        subject: row.try_get("subject").map_err(other)?,
        detail: row.try_get("detail").map_err(other)?,
        transaction_id: row.try_get("transaction_id").map_err(other)?,
    })
}

#[async_trait]
impl HealthStore for SqliteBackend {
    async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("select 1")
            .execute(&self.pool)
            .await
            .map_err(other)?;
        Ok(())
    }
}
