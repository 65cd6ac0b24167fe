//! The two migration directories must stay twins: same versions and names, and the same
//! tables and columns once applied (PostgreSQL on a throw-away server).

fn names(dir: &str) -> Vec<String> {
    let path = format!("{}/../migrations/{dir}", env!("CARGO_MANIFEST_DIR"));
    let mut names: Vec<String> = std::fs::read_dir(&path)
        .unwrap_or_else(|e| panic!("{path}: {e}"))
        .map(|e| {
            e.expect("dir entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|n| n.ends_with(".sql"))
        .collect();
    names.sort();
    names
}

#[test]
fn sqlite_and_postgres_migrations_are_twins() {
    let sqlite = names("sqlite");
    assert!(!sqlite.is_empty());
    assert_eq!(sqlite, names("postgres"));
}

/// Migration 0009 spells out the VIP tiers for the calls' `vip` flag: they must be the
/// domain's (`loopdesk::metrics::is_vip`).
#[test]
fn the_vip_tiers_of_the_call_facts_are_the_domains() {
    use loopdesk::customer::Tier;
    let list = Tier::ALL
        .into_iter()
        .filter(|t| loopdesk::metrics::is_vip(*t))
        .map(|t| format!("'{}'", t.code()))
        .collect::<Vec<_>>()
        .join(", ");
    for dir in ["sqlite", "postgres"] {
        let path = format!(
            "{}/../migrations/{dir}/0009_report_facts.sql",
            env!("CARGO_MANIFEST_DIR")
        );
        let text = std::fs::read_to_string(&path).unwrap();
        let uses = text.matches("c.tier in (").count();
        assert!(uses >= 2, "{path}");
        assert_eq!(
            text.matches(&format!("c.tier in ({list})")).count(),
            uses,
            "{path}: every VIP list is ({list})"
        );
    }
}

/// Both migration directories apply to a fresh database of their kind (PostgreSQL: a real
/// throw-away server) and leave the same tables with the same columns.
#[tokio::test]
async fn both_migration_sets_apply_and_build_the_same_tables() {
    use sqlx::Row;
    use std::collections::BTreeSet;
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/twins.db?mode=rwc", dir.path().display());
    let sqlite = server::store::sql::SqlBackend::connect(&url).await.unwrap();
    let mut lite: BTreeSet<(String, String)> = BTreeSet::new();
    let tables: Vec<String> = sqlx::query_scalar(
        "select name from sqlite_master where type = 'table' and name not like '\\_%' escape '\\' \
         and name not like 'sqlite%'",
    )
    .fetch_all(sqlite.sqlite_pool().unwrap())
    .await
    .unwrap();
    for t in &tables {
        for row in sqlx::query(&format!("pragma table_info({t})"))
            .fetch_all(sqlite.sqlite_pool().unwrap())
            .await
            .unwrap()
        {
            lite.insert((t.clone(), row.get::<String, _>("name")));
        }
    }

    let pg = crate::pg::Server::start();
    let pool = sqlx::PgPool::connect(&pg.fresh_database().await)
        .await
        .unwrap();
    let path = format!("{}/../migrations/postgres", env!("CARGO_MANIFEST_DIR"));
    sqlx::migrate::Migrator::new(std::path::Path::new(&path))
        .await
        .unwrap()
        .run(&pool)
        .await
        .unwrap_or_else(|e| panic!("the PostgreSQL migrations do not apply: {e}"));
    let postgres: BTreeSet<(String, String)> = sqlx::query(
        "select table_name::text as t, column_name::text as c from information_schema.columns \
         where table_schema = 'public' and table_name not like '\\_%'",
    )
    .fetch_all(&pool)
    .await
    .unwrap()
    .iter()
    .map(|r| (r.get("t"), r.get("c")))
    .collect();
    assert!(lite.len() > 100, "{} columns", lite.len());
    let only_lite: Vec<_> = lite.difference(&postgres).collect();
    let only_pg: Vec<_> = postgres.difference(&lite).collect();
    assert!(
        only_lite.is_empty() && only_pg.is_empty(),
        "only in SQLite: {only_lite:?}; only in PostgreSQL: {only_pg:?}"
    );
    pool.close().await;
}
