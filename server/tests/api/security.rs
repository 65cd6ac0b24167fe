//! Browser protections on every route: a state-changing request carried by the session
//! cookie from another site is refused (403, localized, nothing written); bearer-token
//! requests are not the browser's and pass to authentication; every response carries the
//! security headers.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::test_app::{login, TestApp};

async fn ticket_count(app: &TestApp) -> u64 {
    app.state
        .stores
        .tickets
        .count_tickets(&Default::default())
        .await
        .unwrap()
}

#[tokio::test]
async fn cross_site_state_changes_are_refused_and_nothing_is_written() {
    let app = TestApp::spawn().await;
    let agent = login(&app, "agent").await;
    let customer = crate::process::customer_id(&agent, &app.base, "13900000002").await;
    let body = json!({"kind": "inquiry", "channel": "phone",
                      "customer": customer, "subject": "跨站测试"});
    let before = ticket_count(&app).await;
    for (name, value) in [
        ("origin", "http://evil.example"),
        ("referer", "http://evil.example/page"),
        ("origin", "null"),
    ] {
        let r = agent
            .post(app.url("/api/v1/tickets"))
            .header(name, value)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{name}: {value}");
        let e: Value = r.json().await.unwrap();
        assert_eq!(e["code"], "forbidden");
        assert!(e["message"].as_str().unwrap().contains("其他网站"), "{e}");
        assert!(e["transaction_id"].is_string());
    }
    // A server function is guarded the same way.
    let r = agent
        .post(app.url("/api/supervision/audit"))
        .header("origin", "http://evil.example")
        .json(&json!({"filter": {"action": "", "subject": "", "from": "", "to": "", "page": 1}}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(ticket_count(&app).await, before, "nothing was written");

    // From our own origin (what the pages send) it works.
    let r = agent
        .post(app.url("/api/v1/tickets"))
        .header("origin", app.base.clone())
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    assert_eq!(ticket_count(&app).await, before + 1);

    // English readers get the message in English.
    let r = agent
        .post(app.url("/api/v1/tickets"))
        .header("origin", "http://evil.example")
        .header("accept-language", "en")
        .header("cookie", "loopdesk_lang=en")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let e: Value = r.json().await.unwrap();
    assert!(
        e["message"].as_str().unwrap().contains("another site"),
        "{e}"
    );

    // A bearer token is not a browser session: the guard lets it through to authentication.
    let r = app
        .client()
        .post(app.url("/api/v1/cti/events"))
        .header("origin", "http://evil.example")
        .header("authorization", "Bearer ldk_not_a_token")
        .json(
            &json!({"event": "newCall", "call_id": "x", "direction": "in", "from": "1", "to": "2"}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = TestApp::spawn().await;
    let c = app.client();
    for path in ["/login", "/api/v1/me", "/healthz", "/no-such-page"] {
        let r = c.get(app.url(path)).send().await.unwrap();
        let h = r.headers();
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(h["x-frame-options"], "DENY", "{path}");
        assert_eq!(h["referrer-policy"], "same-origin", "{path}");
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
    }
}
