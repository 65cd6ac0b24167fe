//! CTI events over HTTP: normal, duplicate and out-of-order sequences converge; missed calls
//! need a callback; unknown agents and numbers are reported, never a 5xx; the screen pop
//! reaches the agent's open event stream.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::test_app::{TestApp, PASSWORD};

async fn admin(app: &TestApp) -> reqwest::Client {
    let c = app.client();
    assert_eq!(
        app.api_login(&c, "admin", PASSWORD).await.status(),
        StatusCode::OK
    );
    c
}

async fn cti(app: &TestApp, c: &reqwest::Client, body: Value) -> (StatusCode, Value) {
    let r = c
        .post(app.url("/api/v1/cti/events"))
        .json(&body)
        .send()
        .await
        .unwrap();
    let s = r.status();
    (s, r.json().await.unwrap_or(Value::Null))
}

fn event(kind: &str, call: &str, at: &str, agent: Option<&str>) -> Value {
    json!({"event": kind, "call_id": call, "direction": "in", "from": "+86 138-0000-0001", "to": "10000",
           "queue": "vip", "agent": agent, "cause": if kind == "hangup" { Some("normalClearing") } else { None }, "at": at})
}

#[tokio::test]
async fn cti_sequences_converge_whatever_the_order() {
    let app = TestApp::spawn().await;
    let c = admin(&app).await;
    let events = [
        event("newCall", "c1", "2026-11-23T02:00:00Z", Some("agent")),
        event("answer", "c1", "2026-11-23T02:00:08Z", Some("agent")),
        event("hangup", "c1", "2026-11-23T02:03:20Z", None),
    ];
    let mut last = Value::Null;
    for e in &events {
        let (s, r) = cti(&app, &c, e.clone()).await;
        assert_eq!(s, StatusCode::OK, "{r}");
        last = r;
    }
    assert_eq!(last["call"]["state"], "completed");
    assert_eq!(last["call"]["wait_seconds"], 8);
    assert_eq!(last["call"]["agent_known"], true);
    assert!(last["call"]["customer"].is_string(), "{last}");
    // A duplicate changes nothing.
    let (_, dup) = cti(&app, &c, events[1].clone()).await;
    assert_eq!(dup["changed"], false);
    // The same events in reverse order on another call id give the same record.
    for e in events.iter().rev() {
        let mut e = e.clone();
        e["call_id"] = json!("c2");
        cti(&app, &c, e).await;
    }
    let (_, one) = (
        StatusCode::OK,
        c.get(app.url("/api/v1/calls/c1"))
            .send()
            .await
            .unwrap()
            .json::<Value>()
            .await
            .unwrap(),
    );
    let mut two: Value = c
        .get(app.url("/api/v1/calls/c2"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    two["call_id"] = json!("c1");
    assert_eq!(one, two);
}

#[tokio::test]
async fn missed_calls_unknown_agents_and_bad_input_are_reported_not_failed() {
    let app = TestApp::spawn().await;
    let c = admin(&app).await;
    let (s, r) = cti(&app, &c, json!({"event": "newCall", "call_id": "m1", "direction": "in", "from": "anonymous", "to": "10000", "agent": "nobody"})).await;
    assert_eq!(s, StatusCode::OK, "{r}");
    let warnings: Vec<&str> = r["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["warning"].as_str().unwrap())
        .collect();
    assert_eq!(warnings, ["unusable_number", "unknown_agent"]);
    let (_, r) = cti(&app, &c, json!({"event": "hangup", "call_id": "m1", "direction": "in", "from": "anonymous", "to": "10000", "cause": "cancel"})).await;
    assert_eq!(
        (
            r["call"]["state"].as_str(),
            r["call"]["needs_callback"].as_bool()
        ),
        (Some("missed"), Some(true))
    );
    // An answer for a call never seen creates it.
    let (s, r) = cti(&app, &c, json!({"event": "answer", "call_id": "late", "direction": "in", "from": "13900000002", "to": "10000", "agent": "agent2"})).await;
    assert_eq!(
        (s, r["call"]["state"].as_str()),
        (StatusCode::OK, Some("connected"))
    );
    // Direction flips and empty ids are 422 naming the field; bad JSON 400; staff 403.
    let (s, e) = cti(&app, &c, json!({"event": "hangup", "call_id": "late", "direction": "out", "from": "10000", "to": "13900000002"})).await;
    assert_eq!(
        (s, e["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("direction"))
    );
    let (s, e) = cti(
        &app,
        &c,
        json!({"event": "newCall", "call_id": "", "direction": "in", "from": "1", "to": "2"}),
    )
    .await;
    assert_eq!(
        (s, e["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("call_id"))
    );
    let (s, _) = cti(
        &app,
        &c,
        json!({"event": "ring", "call_id": "x", "direction": "in", "from": "1", "to": "2"}),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let r = c
        .post(app.url("/api/v1/cti/events"))
        .header("content-type", "application/json")
        .body("{\"event\":")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let big = format!(
        "{{\"event\":\"newCall\",\"call_id\":\"{}\"}}",
        "x".repeat(1_100_000)
    );
    let r = c
        .post(app.url("/api/v1/cti/events"))
        .header("content-type", "application/json")
        .body(big)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let agent = app.client();
    app.api_login(&agent, "agent", PASSWORD).await;
    let (s, _) = cti(
        &app,
        &agent,
        event("newCall", "z", "2026-11-23T02:00:00Z", Some("agent")),
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_ringing_call_pops_the_callers_card_on_the_agents_stream() {
    let app = TestApp::spawn().await;
    let c = admin(&app).await;
    let agent = app.client();
    app.api_login(&agent, "agent", PASSWORD).await;
    let mut stream = agent.get(app.url("/api/v1/live")).send().await.unwrap();
    assert_eq!(stream.status(), StatusCode::OK);
    assert!(stream.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/event-stream"));
    let (_, r) = cti(
        &app,
        &c,
        event("newCall", "p1", "2026-11-23T02:00:00Z", Some("agent")),
    )
    .await;
    assert_eq!(r["popped"], 1, "{r}");
    let mut text = String::new();
    while !text.contains("\n\n") || !text.contains("event: pop") {
        let chunk = stream.chunk().await.unwrap().expect("stream open");
        text.push_str(&String::from_utf8_lossy(&chunk));
    }
    let data = text
        .lines()
        .find_map(|l| l.strip_prefix("data: "))
        .expect("data line");
    let pop: Value = serde_json::from_str(data).unwrap();
    assert_eq!(pop["call_id"], "p1");
    assert_eq!(pop["customer"]["name"], "张明");
    assert_eq!(pop["customer"]["tier"]["code"], "gold");
    assert_eq!(pop["number"], "138****0001");
    // 张明's complaint waiting for billing is among his open tickets.
    assert_eq!(pop["open_tickets"].as_array().unwrap().len(), 1, "{pop}");
    // A call ringing at another agent does not pop here (agent2 has no stream open).
    let (_, r) = cti(
        &app,
        &c,
        event("newCall", "p2", "2026-11-23T02:01:00Z", Some("agent2")),
    )
    .await;
    assert_eq!(r["popped"], 0);
}

#[tokio::test]
async fn shutting_down_ends_open_event_streams() {
    let app = TestApp::spawn().await;
    let agent = app.client();
    app.api_login(&agent, "agent", PASSWORD).await;
    let mut stream = agent.get(app.url("/api/v1/live")).send().await.unwrap();
    assert_eq!(stream.status(), StatusCode::OK);
    drop(app);
    // The stream ends (None) instead of holding the server open.
    while let Ok(Some(_)) = stream.chunk().await {}
}
