//! The audit log is append-only and hash-chained: the database refuses deletes and updates,
//! entries written before the chain existed are sealed when the database opens, and
//! `server audit verify` (the real binary) finds the first entry someone changed behind the
//! triggers' back.

use std::sync::Arc;

use crate::test_app::{login, TestApp};

/// `server audit verify` on `database_url`: exit code and what it printed.
fn verify_command(database_url: &str) -> (i32, String) {
    crate::test_app::server_command(database_url, &["audit", "verify"])
}

#[tokio::test]
async fn the_audit_log_refuses_changes_and_verify_finds_tampering() {
    let dir = Arc::new(tempfile::tempdir().unwrap());
    let url = format!("sqlite://{}/audit.db?mode=rwc", dir.path().display());
    let app = TestApp::spawn_on(dir.clone(), url.clone()).await;
    // Sign-ins write audit entries.
    for user in ["agent", "supervisor", "admin"] {
        login(&app, user).await;
    }
    drop(app);
    let (code, out) = verify_command(&url);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("entries verified"), "{out}");

    let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
    let ids: Vec<i64> = sqlx::query_scalar("select id from audit_log order by id")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert!(ids.len() >= 3, "{ids:?}");
    // The database itself refuses to change or remove an entry.
    for sql in [
        "update audit_log set detail = 'nothing happened' where id = $1",
        "delete from audit_log where id = $1",
    ] {
        let refused = sqlx::query(sql).bind(ids[1]).execute(&pool).await;
        assert!(refused.is_err(), "{sql} was allowed");
    }
    // Someone with the file drops the guard and edits an entry: verify names it.
    sqlx::query("drop trigger audit_log_sealed")
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query("update audit_log set detail = 'nothing happened' where id = $1")
        .bind(ids[1])
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;
    let (code, out) = verify_command(&url);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains(&format!("BROKEN at entry {}", ids[1])),
        "{out}"
    );
}

#[tokio::test]
async fn entries_from_before_the_chain_are_sealed_in_order_when_the_database_opens() {
    use loopdesk::audit::ChainWalk;
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/old.db?mode=rwc", dir.path().display());
    let backend = server::store::Backend::connect(&url).await.unwrap();
    let pool = backend.sql.sqlite_pool().unwrap().clone();
    // Rows as a database before migration 0011 holds them: no links yet.
    for (i, subject) in ["u:a", "u:b", "u:c"].iter().enumerate() {
        sqlx::query(
            "insert into audit_log (at, action, subject, detail, prev_hash, hash) \
             values ($1, 'login_failed', $2, '', '', '')",
        )
        .bind(format!("2026-11-0{}T02:00:00.000000Z", i + 1))
        .bind(subject)
        .execute(&pool)
        .await
        .unwrap();
    }
    pool.close().await;
    let stores = server::store::Backend::connect(&url).await.unwrap().stores;
    let sealed = stores.audit.sealed_after(0, 10).await.unwrap();
    assert_eq!(sealed.len(), 3);
    let mut walk = ChainWalk::default();
    for s in &sealed {
        walk.check(s).unwrap();
    }
    assert_eq!(
        sealed
            .iter()
            .map(|s| s.entry.subject.as_str())
            .collect::<Vec<_>>(),
        ["u:a", "u:b", "u:c"]
    );
    assert_eq!(app::audit::verify_chain(&stores).await.unwrap(), Ok(3));
}

#[tokio::test]
async fn supervisors_and_admins_search_the_audit_log_others_may_not() {
    use crate::test_app::get;
    use reqwest::StatusCode;
    let app = TestApp::spawn().await;
    let agent = login(&app, "agent").await;
    let supervisor = login(&app, "supervisor").await;
    let admin = login(&app, "admin").await;
    let customer = login(&app, "13800000001").await;

    let (s, page) = get(&app, &supervisor, "/api/v1/audit?action=login_succeeded").await;
    assert_eq!(s, StatusCode::OK, "{page}");
    let items = page["items"].as_array().unwrap();
    assert!(items.len() >= 4, "{page}");
    assert!(items
        .iter()
        .all(|e| e["action"]["code"] == "login_succeeded"));
    assert_eq!(items[0]["action"]["name"], "登录成功");
    // Newest first: the supervisor's own sign-in came after the agent's.
    assert!(items[0]["id"].as_i64() > items[items.len() - 1]["id"].as_i64());
    assert_eq!(items[0]["hash"].as_str().unwrap().len(), 64);

    let (s, page) = get(&app, &admin, "/api/v1/audit?subject=u:agent&page_size=1").await;
    assert_eq!(s, StatusCode::OK, "{page}");
    assert_eq!(page["page_size"], 1);
    assert_eq!(
        page["total"].as_u64(),
        Some(page["total_pages"].as_u64().unwrap())
    );

    for (who, c) in [("agent", &agent), ("customer", &customer)] {
        let (s, _) = get(&app, c, "/api/v1/audit").await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{who}");
    }
    let (s, _) = get(&app, &app.client(), "/api/v1/audit").await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    for bad in [
        "action=nope",
        "actor=x",
        "from=yesterday",
        "page_size=201",
        "page=0",
    ] {
        let (s, e) = get(&app, &supervisor, &format!("/api/v1/audit?{bad}")).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{bad}: {e}");
        assert_eq!(e["code"], "validation", "{bad}: {e}");
    }
}
