//! Storage backends behind the `loopdesk::store` ports. The backend is chosen once at
//! start-up from `DATABASE_URL`; nothing else in the server knows which one is in use.
//!
//! SQLite is implemented; PostgreSQL (twin migrations already in `migrations/postgres/`)
//! will be a second module implementing the same traits and passing the same conformance
//! suite (`server/tests/api/store_conformance.rs`).

pub mod sqlite;

use std::sync::Arc;

use app::state::Stores;

/// What start-up needs from a backend: the ports and a session store for tower-sessions.
pub struct Backend {
    /// The storage ports.
    pub stores: Stores,
    /// Session storage matching the backend.
    pub sessions: tower_sessions_sqlx_store::SqliteStore,
}

impl Backend {
    /// Builds the backend from a SQLite backend value.
    pub fn sqlite(db: sqlite::SqliteBackend) -> Backend {
        let sessions = tower_sessions_sqlx_store::SqliteStore::new(db.pool().clone());
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
                roster: db,
            },
            sessions,
        }
    }
}
