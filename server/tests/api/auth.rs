//! Sign-in, lockout, sessions and role checks over real HTTP.

use chrono::Duration;
use loopdesk::store::AuditAction;
use reqwest::StatusCode;
use serde_json::Value;

use crate::test_app::{session_cookie, TestApp, PASSWORD};

#[tokio::test]
async fn every_demo_persona_signs_in_with_its_role() {
    let app = TestApp::spawn().await;
    for (login, role) in [
        ("admin", "admin"),
        ("agent", "agent"),
        ("agent2", "agent"),
        ("handler", "agent"),
        ("supervisor", "supervisor"),
        ("13800000001", "customer"),
        ("+86 138-0000-0001", "customer"),
    ] {
        let client = app.client();
        let res = app.api_login(&client, login, PASSWORD).await;
        assert_eq!(res.status(), StatusCode::OK, "{login}");
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["role"]["code"], role, "{login}");
        assert!(body["role"]["name"].as_str().is_some_and(|n| !n.is_empty()));
        let me: Value = client
            .get(app.url("/api/v1/me"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(me["role"]["code"], role, "{login}");
    }
    // The handler belongs to billing; the customer's phone is masked.
    let client = app.client();
    let body: Value = app
        .api_login(&client, "handler", PASSWORD)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(body["user"]["department"]["code"], "billing");
    let body: Value = app
        .api_login(&app.client(), "13800000001", PASSWORD)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(body["user"]["phone"], "138****0001");
    assert_eq!(body["user"]["department"], Value::Null);
}

#[tokio::test]
async fn wrong_password_and_unknown_user_get_the_same_answer() {
    let app = TestApp::spawn().await;
    let wrong = app.api_login(&app.client(), "agent", "nope-nope").await;
    let unknown = app.api_login(&app.client(), "nobody", "nope-nope").await;
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(unknown.status(), StatusCode::UNAUTHORIZED);
    let wrong: Value = wrong.json().await.unwrap();
    let unknown: Value = unknown.json().await.unwrap();
    assert_eq!(wrong["code"], "unauthenticated");
    assert_eq!(wrong["code"], unknown["code"]);
    assert_eq!(wrong["message"], unknown["message"]);
    assert!(session_cookie(&app.api_login(&app.client(), "agent", "x").await).is_none());
}

#[tokio::test]
async fn five_failures_lock_the_account_for_fifteen_minutes() {
    let app = TestApp::spawn().await;
    let client = app.client();
    for attempt in 1..=4 {
        let res = app.api_login(&client, "agent", "wrong").await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "attempt {attempt}");
        app.clock.advance(Duration::seconds(30));
    }
    let fifth = app.api_login(&client, "agent", "wrong").await;
    assert_eq!(fifth.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(fifth.headers()["retry-after"], "900");
    let body: Value = fifth.json().await.unwrap();
    assert_eq!(body["code"], "rate_limited");
    assert!(body["message"].as_str().unwrap().contains("15"));

    // Locked: even the right password is refused, with the time left.
    app.clock.advance(Duration::minutes(10));
    let locked = app.api_login(&client, "agent", PASSWORD).await;
    assert_eq!(locked.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(locked.headers()["retry-after"], "300");
    // Other accounts are not affected.
    assert_eq!(
        app.api_login(&client, "agent2", PASSWORD).await.status(),
        StatusCode::OK
    );

    // The lock expires after 15 minutes.
    app.clock.advance(Duration::minutes(5));
    assert_eq!(
        app.api_login(&client, "agent", PASSWORD).await.status(),
        StatusCode::OK
    );

    // The lockout is audited.
    let audit = app.state.stores.audit.recent(50).await.unwrap();
    let locks: Vec<_> = audit
        .iter()
        .filter(|e| e.action == AuditAction::AccountLocked)
        .collect();
    assert_eq!(locks.len(), 1);
    assert_eq!(locks[0].subject, "u:agent");
}

#[tokio::test]
async fn failures_outside_the_window_do_not_count() {
    let app = TestApp::spawn().await;
    let client = app.client();
    for _ in 0..4 {
        app.api_login(&client, "agent", "wrong").await;
    }
    app.clock.advance(Duration::minutes(16));
    let res = app.api_login(&client, "agent", "wrong").await;
    assert_eq!(
        res.status(),
        StatusCode::UNAUTHORIZED,
        "only 1 failure in the window"
    );
}

#[tokio::test]
async fn unknown_login_names_lock_exactly_like_real_ones() {
    let app = TestApp::spawn().await;
    let client = app.client();
    let mut statuses = Vec::new();
    for name in ["ghost", "agent"] {
        for _ in 0..5 {
            statuses.push(app.api_login(&client, name, "wrong").await.status());
        }
    }
    assert_eq!(
        statuses[..5],
        statuses[5..],
        "no user enumeration through lockouts"
    );
    assert_eq!(statuses[4], StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn the_session_id_changes_at_login() {
    let app = TestApp::spawn().await;
    let client = app.client();
    let first = app.api_login(&client, "agent", PASSWORD).await;
    let first_cookie = session_cookie(&first).expect("session cookie at login");
    let second = app.api_login(&client, "agent2", PASSWORD).await;
    let second_cookie = session_cookie(&second).expect("session cookie at second login");
    assert_ne!(first_cookie, second_cookie);
    // The old id is dead; the new one is agent2.
    assert_eq!(
        app.me_with_cookie(&first_cookie).await.status(),
        StatusCode::UNAUTHORIZED
    );
    let me: Value = app
        .me_with_cookie(&second_cookie)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["user"]["username"], "agent2");
    // Cookie flags.
    let raw = second
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        raw.contains("HttpOnly") && raw.contains("SameSite=Lax"),
        "{raw}"
    );
}

#[tokio::test]
async fn logout_invalidates_the_session() {
    let app = TestApp::spawn().await;
    let client = app.client();
    let cookie = session_cookie(&app.api_login(&client, "supervisor", PASSWORD).await).unwrap();
    assert_eq!(app.me_with_cookie(&cookie).await.status(), StatusCode::OK);
    let out = client
        .delete(app.url("/api/v1/session"))
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        app.me_with_cookie(&cookie).await.status(),
        StatusCode::UNAUTHORIZED
    );
    let audit = app.state.stores.audit.recent(10).await.unwrap();
    assert_eq!(audit[0].action, AuditAction::Logout);
}

#[tokio::test]
async fn a_customer_gets_403_on_an_agent_api() {
    let app = TestApp::spawn().await;
    let customer = app.client();
    app.api_login(&customer, "13800000001", PASSWORD).await;
    let res = customer
        .get(app.url("/api/v1/departments"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["code"], "forbidden");

    let agent = app.client();
    app.api_login(&agent, "agent", PASSWORD).await;
    let res = agent
        .get(app.url("/api/v1/departments"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let list: Vec<Value> = res.json().await.unwrap();
    assert_eq!(list.len(), 4);

    let anonymous = app
        .client()
        .get(app.url("/api/v1/departments"))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn form_sign_in_redirects_to_the_role_home_or_back_with_an_error() {
    let app = TestApp::spawn().await;
    let client = app.client();
    let post = |form: &'static [(&'static str, &'static str)]| {
        client.post(app.url("/auth/login")).form(form).send()
    };
    let res = post(&[("username", "agent"), ("password", "bad"), ("next", "")])
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()["location"], "/login?error=invalid&u=agent");

    // `next` is honoured only when the role may open it and it is local.
    let res = post(&[
        ("username", "agent"),
        ("password", PASSWORD),
        ("next", "/admin"),
    ])
    .await
    .unwrap();
    assert_eq!(res.headers()["location"], "/agent");
    let res = post(&[
        ("username", "supervisor"),
        ("password", PASSWORD),
        ("next", "//evil.example"),
    ])
    .await
    .unwrap();
    assert_eq!(res.headers()["location"], "/supervisor");
    let res = post(&[
        ("username", "supervisor"),
        ("password", PASSWORD),
        ("next", "/agent/tickets"),
    ])
    .await
    .unwrap();
    assert_eq!(res.headers()["location"], "/agent/tickets");
}

#[tokio::test]
async fn cross_origin_form_sign_in_is_refused() {
    let app = TestApp::spawn().await;
    let client = app.client();
    let res = client
        .post(app.url("/auth/login"))
        .header("origin", "http://evil.example")
        .form(&[("username", "agent"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(res.headers()["location"]
        .to_str()
        .unwrap()
        .starts_with("/login?error=origin"));
    let me = client.get(app.url("/api/v1/me")).send().await.unwrap();
    assert_eq!(me.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn demo_seeding_is_idempotent() {
    let dir = std::sync::Arc::new(tempfile::tempdir().unwrap());
    let url = format!("sqlite://{}/seed.db?mode=rwc", dir.path().display());
    let first = TestApp::spawn_on(dir.clone(), url.clone()).await;
    assert_eq!(first.state.stores.users.count_users().await.unwrap(), 7);
    drop(first);
    let second = TestApp::spawn_on(dir, url).await;
    assert_eq!(second.state.stores.users.count_users().await.unwrap(), 7);
    assert_eq!(
        second
            .state
            .stores
            .departments
            .list_departments()
            .await
            .unwrap()
            .len(),
        4
    );
}
