//! Storage backends behind the `loopdesk::store` ports. The backend is chosen once at
//! start-up from `DATABASE_URL`; nothing else in the server knows which one is in use.
//!
//! One implementation (`sql`) serves SQLite and PostgreSQL; the store conformance suite
//! (`server/tests/api/store_conformance.rs`) runs the same assertions on both. Sessions
//! live in the same database, through the matching tower-sessions store.

pub mod sql;

use std::sync::Arc;

use app::state::Stores;
use async_trait::async_trait;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, ExpiredDeletion, SessionStore};
use tower_sessions_sqlx_store::{PostgresStore, SqliteStore};

use sql::db::Db;
use sql::SqlBackend;

/// What start-up needs from a backend: the ports and a session store for tower-sessions.
pub struct Backend {
    /// The storage ports.
    pub stores: Stores,
    /// Session storage in the same database.
    pub sessions: Sessions,
    /// The store itself (for maintenance commands and tests).
    pub sql: Arc<SqlBackend>,
}

impl Backend {
    /// Connects to the database `url` names (`sqlite:` or `postgres(ql)://`), migrating it.
    pub async fn connect(url: &str) -> anyhow::Result<Backend> {
        Ok(Backend::new(SqlBackend::connect(url).await?))
    }

    /// Wraps a connected store.
    pub fn new(db: SqlBackend) -> Backend {
        let sessions = match db.db() {
            Db::Sqlite(p) => Sessions::Sqlite(SqliteStore::new(p.clone())),
            Db::Postgres(p) => Sessions::Postgres(PostgresStore::new(p.clone())),
        };
        let db = Arc::new(db);
        Backend {
            stores: Stores {
                users: db.clone(),
                departments: db.clone(),
                login_attempts: db.clone(),
                audit: db.clone(),
                health: db.clone(),
                customers: db.clone(),
                tickets: db.clone(),
                sla_config: db.clone(),
                work: db.clone(),
                calls: db.clone(),
                billing: db.clone(),
                agents: db.clone(),
                phrases: db.clone(),
                tokens: db.clone(),
                knowledge: db.clone(),
                flows: db.clone(),
                portal: db.clone(),
                reports: db.clone(),
                quality: db.clone(),
                roster: db.clone(),
            },
            sessions,
            sql: db,
        }
    }
}

/// The session store of the backend in use.
#[derive(Clone, Debug)]
pub enum Sessions {
    /// Sessions in the SQLite file.
    Sqlite(SqliteStore),
    /// Sessions in PostgreSQL (shared by every instance).
    Postgres(PostgresStore),
}

impl Sessions {
    /// Creates the session table if it is missing.
    pub async fn migrate(&self) -> Result<(), sqlx::Error> {
        match self {
            Sessions::Sqlite(s) => s.migrate().await,
            Sessions::Postgres(s) => s.migrate().await,
        }
    }
}

#[async_trait]
impl SessionStore for Sessions {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        match self {
            Sessions::Sqlite(s) => s.create(record).await,
            Sessions::Postgres(s) => s.create(record).await,
        }
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        match self {
            Sessions::Sqlite(s) => s.save(record).await,
            Sessions::Postgres(s) => s.save(record).await,
        }
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        match self {
            Sessions::Sqlite(s) => s.load(id).await,
            Sessions::Postgres(s) => s.load(id).await,
        }
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        match self {
            Sessions::Sqlite(s) => s.delete(id).await,
            Sessions::Postgres(s) => s.delete(id).await,
        }
    }
}

#[async_trait]
impl ExpiredDeletion for Sessions {
    async fn delete_expired(&self) -> session_store::Result<()> {
        match self {
            Sessions::Sqlite(s) => s.delete_expired().await,
            Sessions::Postgres(s) => s.delete_expired().await,
        }
    }
}
