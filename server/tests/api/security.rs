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

#[tokio::test]
async fn pages_allow_only_their_own_nonced_inline_scripts() {
    let app = TestApp::spawn().await;
    let c = app.client();
    let mut nonces = Vec::new();
    for path in ["/login", "/login"] {
        let r = c.get(app.url(path)).send().await.unwrap();
        let csp = r.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .to_owned();
        let html = r.text().await.unwrap();
        let nonce = csp
            .split("'nonce-")
            .nth(1)
            .and_then(|rest| rest.split('\'').next())
            .unwrap_or_else(|| panic!("no nonce in {csp}"))
            .to_owned();
        let script_src = csp
            .split(';')
            .find(|d| d.trim().starts_with("script-src"))
            .unwrap();
        assert!(!script_src.contains("unsafe-inline"), "{script_src}");
        assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
        // Every script of the page carries this response's nonce.
        let tags: Vec<&str> = html
            .split("<script")
            .skip(1)
            .map(|rest| rest.split('>').next().unwrap_or_default())
            .collect();
        assert!(!tags.is_empty());
        for tag in &tags {
            assert!(tag.contains(&format!("nonce=\"{nonce}\"")), "<script{tag}>");
        }
        nonces.push(nonce);
    }
    assert_ne!(nonces[0], nonces[1], "a fresh nonce per response");
}

#[tokio::test]
async fn a_request_not_answered_in_time_gets_408_while_event_streams_stay_open() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let dir = std::sync::Arc::new(tempfile::tempdir().unwrap());
    let url = format!("sqlite://{}/t.db?mode=rwc", dir.path().display());
    let app = TestApp::spawn_with(dir, url, |c| c.request_timeout_seconds = 1).await;
    // An agent's event stream opens first.
    let agent = login(&app, "agent").await;
    let mut stream = agent.get(app.url("/api/v1/live")).send().await.unwrap();
    assert_eq!(stream.status(), StatusCode::OK);

    // A client sends the headers and half of its body, then stalls.
    let host = app.base.trim_start_matches("http://").to_owned();
    let mut socket = tokio::net::TcpStream::connect(&host).await.unwrap();
    let head = format!(
        "POST /api/v1/session HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n\
         Content-Length: 100\r\nConnection: close\r\n\r\n{{\"username\""
    );
    socket.write_all(head.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    let mut buf = [0u8; 4096];
    let read = async {
        loop {
            let n = socket.read(&mut buf).await.unwrap_or(0);
            answer.extend_from_slice(&buf[..n]);
            let text = String::from_utf8_lossy(&answer);
            if n == 0 || text.contains("\"transaction_id\"") {
                return text.into_owned();
            }
        }
    };
    // Bounded so a broken server fails the test instead of hanging it.
    let text = tokio::time::timeout(std::time::Duration::from_secs(20), read)
        .await
        .expect("the server answers the stalled request");
    assert!(text.starts_with("HTTP/1.1 408"), "{text}");
    assert!(text.contains("\"code\":\"timeout\""), "{text}");

    // The stream opened before the timeout elapsed still delivers.
    let admin = login(&app, "admin").await;
    let r = admin
        .post(app.url("/api/v1/cti/events"))
        .json(
            &json!({"event": "newCall", "call_id": "t1", "direction": "in",
                      "from": "13800000001", "to": "10000", "agent": "agent",
                      "at": "2026-11-23T02:00:00Z"}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let mut seen = String::new();
    while !seen.contains("event: pop") {
        let chunk = stream
            .chunk()
            .await
            .unwrap()
            .expect("the stream is still open");
        seen.push_str(&String::from_utf8_lossy(&chunk));
    }
}

#[tokio::test]
async fn the_rest_api_limits_each_client_and_address_with_retry_after() {
    use server::api::rate::RateSettings;
    let dir = std::sync::Arc::new(tempfile::tempdir().unwrap());
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("t.db").display());
    let app = TestApp::spawn_with(dir, url, |c| {
        c.api_rate = RateSettings {
            per_client: Some(20),
            per_ip: Some(30),
        }
    })
    .await;
    let agent = login(&app, "agent").await; // one request of the agent's session
    let mut statuses = Vec::new();
    for _ in 0..20 {
        let r = agent.get(app.url("/api/v1/me")).send().await.unwrap();
        statuses.push(r.status());
        if r.status() == StatusCode::TOO_MANY_REQUESTS {
            let wait: u64 = r.headers()["retry-after"]
                .to_str()
                .unwrap()
                .parse()
                .unwrap();
            assert!((1..=4).contains(&wait), "{wait}");
            assert_eq!(r.headers()["x-transaction-id"].len(), 36);
            let body: Value = r.json().await.unwrap();
            assert_eq!(body["code"], "rate_limited");
            assert_eq!(body["message"], "操作过于频繁，请稍后再试");
        }
    }
    // The sign-in had no session yet (it counted for the address only): 20 of the session's.
    let refused = statuses
        .iter()
        .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert_eq!((statuses.len() - refused, refused), (20, 0), "{statuses:?}");
    let r = agent.get(app.url("/api/v1/me")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    // Another client from the same address still gets through, until the address's own
    // budget (30 a minute: 22 used with its sign-in) runs out — before its client budget.
    let other = login(&app, "supervisor").await;
    let mut ok = 0;
    loop {
        let r = other.get(app.url("/api/v1/me")).send().await.unwrap();
        if r.status() != StatusCode::OK {
            assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
            break;
        }
        ok += 1;
        assert!(ok < 20, "the address limit binds first");
    }
    assert!(ok >= 8, "{ok}");
    // Pages and server functions are not the REST API: not counted.
    let page = app.client().get(app.url("/login")).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
}
