//! The account lifecycle over real HTTP: staff passwords expire after 3 months and must be
//! changed before working, cannot be changed again within 5 days or back to one of the last
//! five; customers only follow the strength rule; administrators disable, enable, sign out
//! everywhere and reset; unused staff accounts are disabled by the daily job.

use chrono::Duration;
use loopdesk::clock::Clock;
use loopdesk::store::AuditAction;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::test_app::{get, login, post, send, TestApp, PASSWORD};

async fn change(
    app: &TestApp,
    c: &reqwest::Client,
    user: &str,
    current: &str,
    new: &str,
) -> (StatusCode, Value) {
    post(
        app,
        c,
        "/api/v1/session/password",
        json!({ "username": user, "current_password": current, "new_password": new }),
    )
    .await
}

async fn audited(app: &TestApp, action: AuditAction) -> Vec<loopdesk::store::AuditEntry> {
    app.state
        .stores
        .audit
        .recent(200)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.action == action)
        .collect()
}

fn message(body: &Value) -> &str {
    body["message"].as_str().unwrap_or_default()
}

#[tokio::test]
async fn an_expired_staff_password_is_changed_before_work_under_the_policy() {
    let app = TestApp::spawn().await;
    let early = login(&app, "agent").await;
    assert_eq!(get(&app, &early, "/api/v1/me").await.0, StatusCode::OK);

    // Three months on: the open session no longer counts, and signing in is refused with a
    // code that says what to do.
    app.clock.advance(Duration::days(91));
    assert_eq!(
        get(&app, &early, "/api/v1/me").await.0,
        StatusCode::UNAUTHORIZED
    );
    let c = app.client();
    let res = app.api_login(&c, "agent", PASSWORD).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["code"], "password_change_required");
    assert!(message(&body).contains("3"), "{body}");
    assert_eq!(
        get(&app, &c, "/api/v1/me").await.0,
        StatusCode::UNAUTHORIZED
    );

    // The wrong current password counts as a failed sign-in; weak new ones are refused.
    let (s, body) = change(&app, &c, "agent", "not-it", "Lighthouse-2026").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    for weak in ["Short-1", "lowercase-only", "agent-Agent-1234"] {
        let (s, body) = change(&app, &c, "agent", PASSWORD, weak).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{weak}: {body}");
        assert!(!message(&body).is_empty());
    }
    assert_eq!(
        app.api_login(&app.client(), "agent", PASSWORD)
            .await
            .status(),
        StatusCode::FORBIDDEN,
        "refused changes change nothing"
    );

    // A good one signs the agent in on this client.
    let (s, body) = change(&app, &c, "agent", PASSWORD, "Lighthouse-2026").await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert_eq!(body["role"]["code"], "agent");
    assert_eq!(get(&app, &c, "/api/v1/me").await.0, StatusCode::OK);
    assert_eq!(
        app.api_login(&app.client(), "agent", PASSWORD)
            .await
            .status(),
        StatusCode::UNAUTHORIZED,
        "the old password is gone"
    );

    // Not again within 5 days; then fine; never back to a recent one.
    let (s, body) = change(&app, &c, "agent", "Lighthouse-2026", "Harbour-Lights-9").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(message(&body).contains('5'), "{body}");
    app.clock.advance(Duration::days(5));
    let (s, body) = change(&app, &c, "agent", "Lighthouse-2026", "Harbour-Lights-9").await;
    assert_eq!(s, StatusCode::OK, "{body}");
    app.clock.advance(Duration::days(5));
    let (s, body) = change(&app, &c, "agent", "Harbour-Lights-9", "Lighthouse-2026").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (s, body) = change(&app, &c, "agent", "Harbour-Lights-9", "Harbour-Lights-9").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");

    // Five more changes push the first one out of the history: it may come back.
    for (i, pw) in [
        "Tide-Pool-201",
        "Tide-Pool-202",
        "Tide-Pool-203",
        "Tide-Pool-204",
    ]
    .into_iter()
    .enumerate()
    {
        let current = if i == 0 {
            "Harbour-Lights-9".to_owned()
        } else {
            format!("Tide-Pool-20{i}")
        };
        let (s, body) = change(&app, &c, "agent", &current, pw).await;
        assert_eq!(s, StatusCode::OK, "{pw}: {body}");
        app.clock.advance(Duration::days(5));
    }
    let (s, body) = change(&app, &c, "agent", "Tide-Pool-204", "Lighthouse-2026").await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert_eq!(audited(&app, AuditAction::PasswordChanged).await.len(), 7);
}

#[tokio::test]
async fn customers_follow_the_strength_rule_only() {
    let app = TestApp::spawn().await;
    app.clock.advance(Duration::days(400));
    let c = login(&app, "13800000001").await;
    let put = |new: &'static str, current: &'static str| {
        let (app, c) = (&app, &c);
        async move {
            send(
                app,
                c,
                Method::PUT,
                "/api/v1/portal/password",
                json!({ "current_password": current, "new_password": new }),
            )
            .await
        }
    };
    let (s, body) = put("abc", PASSWORD).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (s, _) = put("sea2026shell", "wrong-one").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    // No minimum age and no history for customers.
    assert_eq!(
        put("sea2026shell", PASSWORD).await.0,
        StatusCode::NO_CONTENT
    );
    assert_eq!(get(&app, &c, "/api/v1/me").await.0, StatusCode::OK);
    assert_eq!(
        put("sea2027shell", "sea2026shell").await.0,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        put("sea2026shell", "sea2027shell").await.0,
        StatusCode::NO_CONTENT
    );
}

async fn user_id(app: &TestApp, admin: &reqwest::Client, username: &str) -> String {
    let (s, users) = get(app, admin, "/api/v1/users").await;
    assert_eq!(s, StatusCode::OK, "{users}");
    users
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["username"] == username)
        .unwrap_or_else(|| panic!("{username} listed"))["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn administrators_disable_enable_sign_out_and_reset_staff_accounts() {
    let app = TestApp::spawn().await;
    let admin = login(&app, "admin").await;
    let (a, b) = (login(&app, "agent").await, login(&app, "agent").await);
    assert_eq!(
        get(&app, &a, "/api/v1/users").await.0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        get(&app, &app.client(), "/api/v1/users").await.0,
        StatusCode::UNAUTHORIZED
    );
    let (_, users) = get(&app, &admin, "/api/v1/users").await;
    let listed: Vec<&str> = users
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["username"].as_str().unwrap())
        .collect();
    assert!(listed.contains(&"supervisor") && !listed.iter().any(|u| u.is_empty()));
    let agent = user_id(&app, &admin, "agent").await;
    let me = user_id(&app, &admin, "admin").await;
    let act = |id: String, action: &'static str| {
        let (app, admin) = (&app, &admin);
        async move {
            post(
                app,
                admin,
                &format!("/api/v1/users/{id}/actions"),
                json!({ "action": action }),
            )
            .await
        }
    };

    // Not on one's own account, not on customers, not by agents.
    assert_eq!(
        act(me.clone(), "disable").await.0,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let customer_user = app
        .state
        .stores
        .users
        .find_for_login(&loopdesk::user::LoginName::Phone("13800000001".into()))
        .await
        .unwrap()
        .unwrap()
        .0
        .id;
    assert_eq!(
        act(customer_user.to_string(), "disable").await.0,
        StatusCode::NOT_FOUND
    );
    let (s, _) = post(
        &app,
        &a,
        &format!("/api/v1/users/{me}/actions"),
        json!({ "action": "disable" }),
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    // Sign out everywhere: both sessions end; signing in again works.
    assert_eq!(act(agent.clone(), "sign_out").await.0, StatusCode::OK);
    for c in [&a, &b] {
        assert_eq!(get(&app, c, "/api/v1/me").await.0, StatusCode::UNAUTHORIZED);
    }
    let c = login(&app, "agent").await;

    // Disable: the session ends and signing in is refused; enable: back.
    assert_eq!(act(agent.clone(), "disable").await.0, StatusCode::OK);
    assert_eq!(
        get(&app, &c, "/api/v1/me").await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.api_login(&app.client(), "agent", PASSWORD)
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    let (_, users) = get(&app, &admin, "/api/v1/users").await;
    let row = users
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["id"] == agent.as_str())
        .unwrap();
    assert_eq!(row["status"], "disabled_admin");
    assert_eq!(act(agent.clone(), "enable").await.0, StatusCode::OK);
    let c = login(&app, "agent").await;

    // Reset: a temporary password, once; the old one is gone, the temporary one only
    // lets the owner choose a new one (no minimum age applies).
    let (s, body) = act(agent.clone(), "reset_password").await;
    assert_eq!(s, StatusCode::OK);
    let temporary = body["temporary_password"].as_str().unwrap().to_owned();
    assert!(temporary.chars().count() >= 12);
    assert_eq!(
        get(&app, &c, "/api/v1/me").await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.api_login(&app.client(), "agent", PASSWORD)
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
    let fresh = app.client();
    let res = app.api_login(&fresh, "agent", &temporary).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["code"], "password_change_required");
    let (s, body) = change(&app, &fresh, "agent", &temporary, "Lighthouse-2026").await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert_eq!(get(&app, &fresh, "/api/v1/me").await.0, StatusCode::OK);

    for action in [
        AuditAction::SessionsRevoked,
        AuditAction::AccountDisabled,
        AuditAction::AccountEnabled,
        AuditAction::PasswordReset,
    ] {
        let entries = audited(&app, action).await;
        assert_eq!(entries.len(), 1, "{action:?}");
        assert_eq!(entries[0].subject, agent, "{action:?}");
        assert!(entries[0].transaction_id.is_some());
    }
}

#[tokio::test]
async fn staff_unused_for_thirty_days_are_disabled_by_the_daily_job() {
    let app = TestApp::spawn().await;
    app.clock.advance(Duration::days(20));
    let _ = login(&app, "agent").await;
    app.clock.advance(Duration::days(11));
    let n = app::accounts::disable_inactive(&app.state.stores, &app.state.policy, app.clock.now())
        .await
        .unwrap();
    assert!(n >= 4, "{n}");
    assert_eq!(
        app.api_login(&app.client(), "supervisor", PASSWORD)
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    // The agent signed in 11 days ago; customers are never disabled this way.
    let _ = login(&app, "agent").await;
    let _ = login(&app, "13800000001").await;
    let disabled = audited(&app, AuditAction::AccountDisabled).await;
    assert_eq!(disabled.len(), n);
    assert!(disabled
        .iter()
        .all(|e| e.detail == "inactive" && e.actor.is_none()));
    // Running again finds nothing new.
    let again =
        app::accounts::disable_inactive(&app.state.stores, &app.state.policy, app.clock.now())
            .await
            .unwrap();
    assert_eq!(again, 0);
}

/// `server account <action> <username>` on `database_url`: exit code and what it printed.
fn account_command(database_url: &str, action: &str, username: &str) -> (i32, String) {
    crate::test_app::server_command(database_url, &["account", action, username])
}

#[tokio::test]
async fn the_command_line_enables_and_resets_when_no_administrator_can_sign_in() {
    let dir = std::sync::Arc::new(tempfile::tempdir().unwrap());
    let url = format!("sqlite://{}/accounts.db?mode=rwc", dir.path().display());
    let app = TestApp::spawn_on(dir.clone(), url.clone()).await;
    // A month without anyone: every staff account, the administrator's included, is off.
    app.clock.advance(Duration::days(31));
    app::accounts::disable_inactive(&app.state.stores, &app.state.policy, app.clock.now())
        .await
        .unwrap();
    assert_eq!(
        app.api_login(&app.client(), "admin", PASSWORD)
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    let (code, out) = account_command(&url, "enable", "admin");
    assert_eq!((code, out.trim()), (0, "admin enabled"));
    let admin = login(&app, "admin").await;
    assert_eq!(get(&app, &admin, "/api/v1/users").await.0, StatusCode::OK);

    let (code, out) = account_command(&url, "reset-password", "Agent");
    assert_eq!(code, 0, "{out}");
    let temporary = out.trim().rsplit(' ').next().unwrap().to_owned();
    // Still disabled: a reset does not enable.
    let res = app.api_login(&app.client(), "agent", &temporary).await;
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["code"], "forbidden");
    assert_eq!(account_command(&url, "enable", "agent").0, 0);
    let res = app.api_login(&app.client(), "agent", &temporary).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["code"], "password_change_required");

    assert_eq!(account_command(&url, "enable", "nobody").0, 1);
    assert_eq!(account_command(&url, "enable", "13800000001").0, 1);
    let entries = audited(&app, AuditAction::AccountEnabled).await;
    assert!(entries.iter().any(|e| e.actor.is_none()));
}
