//! The closed loop and the SLA clocks over real HTTP: every action through the REST API,
//! its guards and error statuses, optimistic concurrency, the sweeper across a restart,
//! calendars, the SLA preview (worked examples) and historical imports.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};

use crate::test_app::{TestApp, PASSWORD};

async fn signed_in(app: &TestApp, username: &str) -> Client {
    let client = app.client();
    let r = app.api_login(&client, username, PASSWORD).await;
    assert_eq!(r.status(), StatusCode::OK, "{username} signs in");
    client
}

async fn get(app: &TestApp, c: &Client, path: &str) -> (StatusCode, Value) {
    let r = c.get(app.url(path)).send().await.expect("request");
    let s = r.status();
    (s, r.json().await.unwrap_or(Value::Null))
}

async fn send(
    app: &TestApp,
    c: &Client,
    method: &str,
    path: &str,
    body: Value,
) -> (StatusCode, Value) {
    let req = match method {
        "PUT" => c.put(app.url(path)),
        _ => c.post(app.url(path)),
    };
    let r = req.json(&body).send().await.expect("request");
    let s = r.status();
    (s, r.json().await.unwrap_or(Value::Null))
}

async fn customer_id(app: &TestApp, c: &Client, phone: &str) -> String {
    let (s, list) = get(app, c, &format!("/api/v1/customers?q={phone}")).await;
    assert_eq!(s, StatusCode::OK);
    list[0]["id"].as_str().expect("customer id").to_owned()
}

async fn department_id(app: &TestApp, c: &Client, code: &str) -> String {
    let (_, list) = get(app, c, "/api/v1/departments").await;
    list.as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == code)
        .expect("department")["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn at(v: &Value) -> DateTime<Utc> {
    v.as_str().expect("a timestamp").parse().expect("RFC 3339")
}

fn target<'a>(ticket: &'a Value, code: &str) -> &'a Value {
    ticket["sla"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["target"]["code"] == code)
        .unwrap_or_else(|| panic!("target {code} in {ticket}"))
}

fn shanghai(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(&format!("{text}:00+08:00"))
        .expect("time")
        .with_timezone(&Utc)
}

async fn register(app: &TestApp, c: &Client, body: Value) -> Value {
    let (s, t) = send(app, c, "POST", "/api/v1/tickets", body).await;
    assert_eq!(s, StatusCode::CREATED, "{t}");
    t
}

/// A general complaint for 刘洋 (normal tier: acknowledge within 2 h, warning at 90 min).
async fn complaint(app: &TestApp, c: &Client, on_call: bool) -> Value {
    let customer = customer_id(app, c, "13900000002").await;
    register(
        app,
        c,
        json!({"kind": "complaint", "complexity": "general", "channel": "phone",
               "customer": customer, "subject": "话费异常", "on_call": on_call}),
    )
    .await
}

async fn act(app: &TestApp, c: &Client, t: &Value, body: Value) -> (StatusCode, Value) {
    let mut body = body;
    body["expected_version"] = t["version"].clone();
    let path = format!("/api/v1/tickets/{}/actions", t["id"].as_str().unwrap());
    send(app, c, "POST", &path, body).await
}

#[tokio::test]
async fn the_closed_loop_runs_end_to_end_with_its_guards() {
    let app = TestApp::spawn().await;
    let agent = signed_in(&app, "agent").await;
    let handler = signed_in(&app, "handler").await;
    let billing = department_id(&app, &agent, "billing").await;

    // Registered on the call: acknowledged at once; Mon 10:00 Shanghai.
    let t = complaint(&app, &agent, true).await;
    assert_eq!(t["state"]["code"], "acknowledged");
    assert_eq!(t["state"]["name"], "已回复受理");
    assert!(t["number"].as_str().unwrap().starts_with("T20261123-"));
    assert_eq!(t["version"], 1);
    assert_eq!(target(&t, "acknowledge")["state"]["code"], "met");
    let resolve = target(&t, "resolve");
    assert_eq!(at(&resolve["due_at"]), shanghai("2026-11-24T10:00"));
    assert_eq!(at(&resolve["hard_due_at"]), shanghai("2026-11-26T10:00"));
    let allowed: Vec<&str> = t["allowed_actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["code"].as_str().unwrap())
        .collect();
    assert_eq!(allowed, ["dispatch", "reply", "escalate", "comment"]);

    let (s, t) = act(
        &app,
        &agent,
        &t,
        json!({"action": "dispatch", "department": billing, "note": "核查流量费"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{t}");
    assert_eq!(t["state"]["code"], "dispatched");
    assert_eq!(
        target(&t, "dispatch_acceptance")["state"]["code"],
        "running"
    );

    // Only billing accepts.
    let (s, e) = act(&app, &agent, &t, json!({"action": "accept"})).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{e}");
    let (s, t) = act(&app, &handler, &t, json!({"action": "accept"})).await;
    assert_eq!(s, StatusCode::OK, "{t}");
    assert_eq!(t["state"]["code"], "in_progress");
    assert_eq!(t["assignee"]["name"], "赵敏");

    // A reply needs its cause category.
    let (s, e) = act(
        &app,
        &handler,
        &t,
        json!({"action": "reply", "resolution": "已退费", "cause_category": " "}),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["field"], "cause_category");
    let (s, t) = act(&app, &handler, &t, json!({"action": "reply", "resolution": "已退费 58 元", "cause_category": "billing/overcharge"})).await;
    assert_eq!(s, StatusCode::OK, "{t}");
    assert_eq!(t["state"]["code"], "resolved");
    assert_eq!(target(&t, "resolve")["state"]["code"], "met");
    assert_eq!(target(&t, "follow_up")["state"]["code"], "running");

    // A complaint is archived only with a follow-up outcome.
    let (s, e) = act(&app, &agent, &t, json!({"action": "close", "note": ""})).await;
    assert_eq!(s, StatusCode::CONFLICT, "{e}");
    assert_eq!(e["code"], "refused");
    assert!(e["message"].as_str().unwrap().contains("回访"), "{e}");
    let (s, t) = act(
        &app,
        &agent,
        &t,
        json!({"action": "revisit", "outcome": "satisfied", "rating": 5, "note": "满意"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{t}");
    assert_eq!(t["state"]["code"], "closed");
    assert!(t["allowed_actions"].as_array().unwrap().is_empty());

    let id = t["id"].as_str().unwrap();
    let (s, log) = get(&app, &agent, &format!("/api/v1/tickets/{id}/events")).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(log["chain_intact"], true);
    let codes: Vec<&str> = log["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["event"]["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        ["registered", "dispatch", "accept", "reply", "revisit"]
    );
    let items = log["items"].as_array().unwrap();
    assert_eq!(items[1]["prev_hash"], items[0]["hash"]);
    assert_eq!(items[3]["payload"]["cause_category"], "billing/overcharge");
}

#[tokio::test]
async fn unsatisfied_follow_up_reopens_and_escalates_and_return_goes_back() {
    let app = TestApp::spawn().await;
    let agent = signed_in(&app, "agent").await;
    let handler = signed_in(&app, "handler").await;
    let supervisor = signed_in(&app, "supervisor").await;
    let billing = department_id(&app, &agent, "billing").await;
    let t = complaint(&app, &agent, false).await;
    assert_eq!(t["state"]["code"], "new");
    let (_, t) = act(&app, &agent, &t, json!({"action": "acknowledge"})).await;
    let (_, t) = act(
        &app,
        &agent,
        &t,
        json!({"action": "dispatch", "department": billing, "note": ""}),
    )
    .await;
    let (s, e) = act(
        &app,
        &handler,
        &t,
        json!({"action": "return", "reason": ""}),
    )
    .await;
    assert_eq!(
        (s, e["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("reason"))
    );
    let (s, t) = act(
        &app,
        &handler,
        &t,
        json!({"action": "return", "reason": "不属于计费问题"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(t["state"]["code"], "acknowledged");
    assert_eq!(t["department"]["name"], "客服中心");
    let (_, t) = act(
        &app,
        &agent,
        &t,
        json!({"action": "reply", "resolution": "说明", "cause_category": "other"}),
    )
    .await;
    let (s, t) = act(
        &app,
        &agent,
        &t,
        json!({"action": "revisit", "outcome": "unsatisfied", "note": "仍不满意"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(t["state"]["code"], "in_progress");
    assert_eq!(
        (t["reopen_count"].as_u64(), t["escalation_level"].as_u64()),
        (Some(1), Some(1))
    );
    // Complaints are cancelled by supervisors only.
    let (s, _) = act(
        &app,
        &agent,
        &t,
        json!({"action": "cancel", "reason": "重复"}),
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, t) = act(
        &app,
        &supervisor,
        &t,
        json!({"action": "cancel", "reason": "重复工单"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{t}");
    assert_eq!(t["state"]["code"], "cancelled");
    // The supervisor was notified of the escalation.
    let notes = app
        .state
        .stores
        .work
        .notifications(loopdesk::user::Role::Supervisor, 10)
        .await
        .unwrap();
    assert!(notes
        .iter()
        .any(|n| n.ticket.0.to_string() == t["id"].as_str().unwrap()));
}

#[tokio::test]
async fn exactly_one_of_two_concurrent_updates_at_the_same_version_wins() {
    let app = TestApp::spawn().await;
    let a = signed_in(&app, "agent").await;
    let b = signed_in(&app, "agent2").await;
    let t = complaint(&app, &a, true).await;
    let (ra, rb) = tokio::join!(
        act(
            &app,
            &a,
            &t,
            json!({"action": "comment", "text": "A", "visibility": "internal"})
        ),
        act(
            &app,
            &b,
            &t,
            json!({"action": "comment", "text": "B", "visibility": "internal"})
        ),
    );
    let mut statuses = [ra.0, rb.0];
    statuses.sort();
    assert_eq!(
        statuses,
        [StatusCode::OK, StatusCode::CONFLICT],
        "{ra:?} {rb:?}"
    );
    let loser = if ra.0 == StatusCode::CONFLICT {
        ra.1
    } else {
        rb.1
    };
    assert_eq!(loser["code"], "conflict");
    let id = t["id"].as_str().unwrap();
    let (_, fresh) = get(&app, &a, &format!("/api/v1/tickets/{id}")).await;
    assert_eq!(fresh["version"], 2);
    assert_eq!(fresh["events"].as_array().unwrap().len(), 2);
    // A stale version writes nothing.
    let (s, _) = act(&app, &a, &t, json!({"action": "escalate", "reason": "x"})).await;
    assert_eq!(s, StatusCode::CONFLICT);
    let (_, again) = get(&app, &a, &format!("/api/v1/tickets/{id}")).await;
    assert_eq!(again["escalation_level"], 0);
    assert_eq!(again["events"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn bad_input_is_a_4xx_naming_the_field_never_a_500() {
    let app = TestApp::spawn().await;
    let agent = signed_in(&app, "agent").await;
    let customer = customer_id(&app, &agent, "13800000001").await;
    let cases = [
        (
            json!({"kind": "complaint", "channel": "phone", "customer": customer, "subject": "x"}),
            "complexity",
        ),
        (
            json!({"kind": "query", "channel": "phone", "customer": customer, "subject": ""}),
            "subject",
        ),
        (
            json!({"kind": "query", "channel": "phone", "customer": uuid::Uuid::nil(), "subject": "x"}),
            "customer",
        ),
        (
            json!({"kind": "query", "channel": "phone", "customer": customer, "subject": "x".repeat(201)}),
            "subject",
        ),
    ];
    for (body, field) in cases {
        let (s, e) = send(&app, &agent, "POST", "/api/v1/tickets", body).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
        assert_eq!(e["field"], field, "{e}");
    }
    let (s, _) = send(
        &app,
        &agent,
        "POST",
        "/api/v1/tickets",
        json!({"kind": "rumour"}),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);

    let t = complaint(&app, &agent, true).await;
    let path = format!("/api/v1/tickets/{}/actions", t["id"].as_str().unwrap());
    let (s, e) = send(
        &app,
        &agent,
        "POST",
        &path,
        json!({"action": "fly", "expected_version": 1}),
    )
    .await;
    assert_eq!(
        (s, e["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("action"))
    );
    let (s, e) = send(
        &app,
        &agent,
        "POST",
        &path,
        json!({"action": "acknowledge"}),
    )
    .await;
    assert_eq!(
        (s, e["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("expected_version"))
    );
    let (s, e) = send(&app, &agent, "POST", &path, json!({"action": "dispatch", "expected_version": 1, "department": uuid::Uuid::nil(), "note": ""})).await;
    assert_eq!(
        (s, e["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("department"))
    );
    let (s, e) = send(
        &app,
        &agent,
        "POST",
        &path,
        json!({"action": "acknowledge", "expected_version": 1}),
    )
    .await;
    assert_eq!(
        s,
        StatusCode::CONFLICT,
        "acknowledged tickets cannot be acknowledged again: {e}"
    );
    let r = agent
        .post(app.url(&path))
        .header("content-type", "application/json")
        .body("{")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let (s, _) = get(&app, &agent, "/api/v1/tickets/not-a-uuid").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = get(
        &app,
        &agent,
        &format!("/api/v1/tickets/{}", uuid::Uuid::nil()),
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, e) = get(&app, &agent, "/api/v1/tickets?page_size=201").await;
    assert_eq!(
        (s, e["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("page_size"))
    );
    let (s, e) = get(&app, &agent, "/api/v1/tickets?state=lost").await;
    assert_eq!(
        (s, e["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("state"))
    );
    // English callers get English messages.
    let r = agent
        .get(app.url("/api/v1/tickets?state=lost"))
        .header("accept-language", "en-US,en;q=0.9")
        .send()
        .await
        .unwrap();
    let e: Value = r.json().await.unwrap();
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .starts_with("The query parameter state"),
        "{e}"
    );
    // Not signed in.
    let (s, _) = get(&app, &app.client(), "/api/v1/tickets").await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn lists_filter_sort_by_nearest_due_and_paginate() {
    let app = TestApp::spawn().await;
    let agent = signed_in(&app, "agent").await;
    let (_, all) = get(&app, &agent, "/api/v1/tickets?open=true&page_size=2").await;
    // The demo data has 4 open tickets.
    assert_eq!(all["total"], 4, "{all}");
    assert_eq!(
        (all["total_pages"].as_u64(), all["last_page"].as_bool()),
        (Some(2), Some(false))
    );
    let (_, p2) = get(&app, &agent, "/api/v1/tickets?open=true&page_size=2&page=2").await;
    assert_eq!(p2["last_page"], true);
    let dues: Vec<DateTime<Utc>> = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .chain(p2["items"].as_array().unwrap())
        .filter_map(|r| r["nearest_due_at"].as_str().map(|s| s.parse().unwrap()))
        .collect();
    assert!(dues.windows(2).all(|w| w[0] <= w[1]), "{dues:?}");
    // The portal fault report registered 3 h ago was never acknowledged, and billing has
    // not accepted the complaint dispatched 3 h ago: both overdue, nearest due first.
    let (_, overdue) = get(&app, &agent, "/api/v1/tickets?overdue=true").await;
    assert_eq!(overdue["total"], 2, "{overdue}");
    assert_eq!(overdue["items"][0]["kind"]["code"], "fault_report");
    assert_eq!(overdue["items"][1]["state"]["code"], "dispatched");
    assert!(overdue["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["overdue"] == true));
    let (_, mine) = get(&app, &agent, "/api/v1/tickets?state=dispatched").await;
    assert_eq!(mine["total"], 1);
    let handler = signed_in(&app, "handler").await;
    let (_, assigned) = get(&app, &handler, "/api/v1/tickets?assignee=me&open=true").await;
    assert_eq!(assigned["total"], 1);
}

async fn ticket_event_codes(app: &TestApp, id: &str) -> Vec<String> {
    let id = loopdesk::ticket::TicketId(id.parse().unwrap());
    app.state
        .stores
        .tickets
        .ticket_events(id)
        .await
        .unwrap()
        .iter()
        .map(|e| e.kind.code().to_owned())
        .collect()
}

#[tokio::test]
async fn the_sweeper_raises_each_point_once_also_after_a_restart() {
    let dir = Arc::new(tempfile::tempdir().expect("temp dir"));
    let url = format!("sqlite://{}/test.db?mode=rwc", dir.path().display());
    let app = TestApp::spawn_on(dir.clone(), url.clone()).await;
    let agent = signed_in(&app, "agent").await;
    let t = complaint(&app, &agent, false).await; // acknowledge: 2 h on 24x7, warn at 90 min
    let id = t["id"].as_str().unwrap().to_owned();
    let count = |codes: &[String], c: &str| codes.iter().filter(|x| *x == c).count();

    app.clock.advance(Duration::minutes(89));
    app::desk::run_once(&app.state.stores, app.state.clock.now(), 100)
        .await
        .unwrap();
    assert_eq!(
        count(&ticket_event_codes(&app, &id).await, "sla_warning"),
        0
    );
    app.clock.advance(Duration::minutes(2));
    app::desk::run_once(&app.state.stores, app.state.clock.now(), 100)
        .await
        .unwrap();
    app::desk::run_once(&app.state.stores, app.state.clock.now(), 100)
        .await
        .unwrap();
    assert_eq!(
        count(&ticket_event_codes(&app, &id).await, "sla_warning"),
        1
    );
    drop(app);

    // A new process on the same database, at the same moment and later.
    let app = TestApp::spawn_on(dir, url).await;
    app.clock.advance(Duration::minutes(91));
    app::desk::run_once(&app.state.stores, app.state.clock.now(), 100)
        .await
        .unwrap();
    assert_eq!(
        count(&ticket_event_codes(&app, &id).await, "sla_warning"),
        1
    );
    app.clock.advance(Duration::minutes(30));
    let o = app::desk::run_once(&app.state.stores, app.state.clock.now(), 100)
        .await
        .unwrap();
    assert!(o.overdue >= 1);
    app::desk::run_once(&app.state.stores, app.state.clock.now(), 100)
        .await
        .unwrap();
    let codes = ticket_event_codes(&app, &id).await;
    assert_eq!(
        (count(&codes, "sla_warning"), count(&codes, "sla_overdue")),
        (1, 1),
        "{codes:?}"
    );
    // The overdue point created one proactive-contact task.
    let tid = loopdesk::ticket::TicketId(id.parse().unwrap());
    let tasks = app
        .state
        .stores
        .work
        .ticket_outbound_tasks(tid)
        .await
        .unwrap();
    assert_eq!(tasks.len(), 1);
    // The chain still verifies with the system's events in it.
    let agent = signed_in(&app, "agent").await;
    let (_, log) = get(&app, &agent, &format!("/api/v1/tickets/{id}/events")).await;
    assert_eq!(log["chain_intact"], true);
    let sys = log["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["event"]["code"] == "sla_overdue")
        .unwrap();
    assert!(sys["actor"].is_null());
}

#[tokio::test]
async fn a_breach_escalates_and_notifies_supervisors() {
    let app = TestApp::spawn().await;
    let agent = signed_in(&app, "agent").await;
    let t = complaint(&app, &agent, true).await; // resolve hard limit: 3 working days
    let id = t["id"].as_str().unwrap().to_owned();
    app.clock.advance(Duration::days(4));
    app::desk::run_once(&app.state.stores, app.state.clock.now(), 100)
        .await
        .unwrap();
    let (_, fresh) = get(&app, &agent, &format!("/api/v1/tickets/{id}")).await;
    assert_eq!(fresh["escalation_level"], 1, "{fresh}");
    assert_eq!(target(&fresh, "resolve")["state"]["code"], "breached");
    let codes = ticket_event_codes(&app, &id).await;
    assert!(codes.contains(&"sla_breached".to_owned()), "{codes:?}");
    let notes = app
        .state
        .stores
        .work
        .notifications(loopdesk::user::Role::Supervisor, 50)
        .await
        .unwrap();
    assert!(notes.iter().any(|n| n.ticket.0.to_string() == id
        && n.kind == loopdesk::store::desk::NotificationKind::SlaBreached));
}

fn preview_body(kind: &str, complexity: Option<&str>, start: &str) -> Value {
    json!({"kind": kind, "complexity": complexity, "start": shanghai(start)})
}

#[tokio::test]
async fn calendars_are_editable_and_the_preview_follows_them() {
    let app = TestApp::spawn().await;
    let admin = signed_in(&app, "admin").await;
    let agent = signed_in(&app, "agent").await;

    // Worked examples 1, 3, 4, 5 and 6 on the shipped calendars.
    let p = |kind: &'static str, cx: Option<&'static str>, start: &'static str| {
        let (admin, app) = (&admin, &app);
        async move {
            let (s, list) = send(
                app,
                admin,
                "POST",
                "/api/v1/sla/preview",
                preview_body(kind, cx, start),
            )
            .await;
            assert_eq!(s, StatusCode::OK, "{list}");
            list
        }
    };
    let l = p("complaint", Some("general"), "2026-11-27T16:00").await;
    let r = target(&json!({"sla": l}), "resolve").clone();
    assert_eq!(
        (at(&r["due_at"]), at(&r["hard_due_at"])),
        (shanghai("2026-11-30T16:00"), shanghai("2026-12-02T16:00"))
    );
    let l = p("complaint", Some("complex"), "2026-11-27T16:00").await;
    let r = target(&json!({"sla": l}), "resolve").clone();
    assert_eq!(
        (at(&r["due_at"]), at(&r["hard_due_at"])),
        (shanghai("2026-12-04T16:00"), shanghai("2026-12-08T16:00"))
    );
    for (start, due) in [
        ("2026-11-28T10:00", "2026-12-01T09:00"),
        ("2026-12-01T12:30", "2026-12-02T13:30"),
        ("2026-12-01T18:30", "2026-12-03T09:00"),
    ] {
        let l = p("complaint", Some("general"), start).await;
        assert_eq!(
            at(&target(&json!({"sla": l}), "resolve")["due_at"]),
            shanghai(due),
            "{start}"
        );
    }
    let l = p("complaint", Some("general"), "2026-12-01T23:00").await;
    assert_eq!(
        at(&target(&json!({"sla": l}), "acknowledge")["due_at"]),
        shanghai("2026-12-02T01:00")
    );
    let l = p("complaint", Some("general"), "2026-11-27T17:50").await;
    assert_eq!(
        at(&target(&json!({"sla": l}), "dispatch_acceptance")["due_at"]),
        shanghai("2026-11-30T09:20")
    );
    let mut body = preview_body("complaint", Some("general"), "2026-11-30T10:00");
    body["pauses"] =
        json!([{"from": shanghai("2026-11-30T13:30"), "to": shanghai("2026-11-30T16:30")}]);
    let (_, l) = send(&app, &admin, "POST", "/api/v1/sla/preview", body).await;
    let r = target(&json!({"sla": l}), "resolve").clone();
    assert_eq!(at(&r["due_at"]), shanghai("2026-12-01T14:30"));
    assert_eq!(r["paused_seconds"], 3 * 3600);

    // Worked example 2 after an admin edits the office calendar.
    let (s, mut office) = get(&app, &admin, "/api/v1/calendars/office").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        office["weekly"]["mon"],
        json!([["09:00", "12:00"], ["13:30", "18:00"]])
    );
    office.as_object_mut().unwrap().remove("code");
    office["overrides"] = json!([
        {"date": "2026-11-30", "kind": "holiday"},
        {"date": "2026-11-29", "kind": "workday", "intervals": [["09:00", "12:00"], ["13:30", "18:00"]]}
    ]);
    let (s, e) = send(
        &app,
        &agent,
        "PUT",
        "/api/v1/calendars/office",
        office.clone(),
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{e}");
    let (s, saved) = send(
        &app,
        &admin,
        "PUT",
        "/api/v1/calendars/office",
        office.clone(),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{saved}");
    assert_eq!(saved["overrides"][0]["date"], "2026-11-29", "stored sorted");
    let l = p("complaint", Some("general"), "2026-11-27T16:00").await;
    let r = target(&json!({"sla": l}), "resolve").clone();
    assert_eq!(
        (at(&r["due_at"]), at(&r["hard_due_at"])),
        (shanghai("2026-11-29T16:00"), shanghai("2026-12-02T16:00"))
    );
    assert!(
        r["explanation"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l.as_str().unwrap().contains("调休")),
        "{r}"
    );

    // Bad calendars name the field.
    let mut bad = office.clone();
    bad["weekly"]["mon"] = json!([["09:00", "12:00"], ["11:00", "13:00"]]);
    let (s, e) = send(&app, &admin, "PUT", "/api/v1/calendars/office", bad).await;
    assert_eq!(
        (s, e["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("weekly.mon"))
    );
    let mut bad = office.clone();
    bad["overrides"][0]["date"] = json!("2026-02-30");
    let (s, e) = send(&app, &admin, "PUT", "/api/v1/calendars/office", bad).await;
    assert_eq!(
        (s, e["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("overrides[0].date"))
    );
    let mut bad = office.clone();
    bad["weekly"]["tue"] = json!([["18:00", "09:00"]]);
    let (s, e) = send(&app, &admin, "PUT", "/api/v1/calendars/office", bad).await;
    assert_eq!(
        (s, e["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("weekly.tue[0]"))
    );
    let (s, _) = send(&app, &admin, "PUT", "/api/v1/calendars/moon", office).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let audit = app.state.stores.audit.recent(20).await.unwrap();
    assert_eq!(
        audit
            .iter()
            .filter(|a| a.action == loopdesk::store::AuditAction::CalendarChanged)
            .count(),
        1
    );
}

#[tokio::test]
async fn historical_tickets_are_imported_with_their_original_times() {
    let app = TestApp::spawn().await;
    let admin = signed_in(&app, "admin").await;
    let agent = signed_in(&app, "agent").await;
    let customer = customer_id(&app, &agent, "13900000002").await;
    let body = json!({"kind": "query", "channel": "phone", "customer": customer, "subject": "历史工单",
                      "registered_at": shanghai("2026-11-20T09:00"), "acknowledged_at": shanghai("2026-11-20T09:30")});
    let (s, e) = send(&app, &agent, "POST", "/api/v1/tickets/import", body.clone()).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{e}");
    let (s, done) = send(&app, &admin, "POST", "/api/v1/tickets/import", body.clone()).await;
    assert_eq!(s, StatusCode::CREATED, "{done}");
    assert!(done["number"].as_str().unwrap().starts_with("T20261120-"));
    let (_, t) = get(
        &app,
        &agent,
        &format!("/api/v1/tickets/{}", done["id"].as_str().unwrap()),
    )
    .await;
    assert_eq!(t["state"]["code"], "acknowledged");
    assert_eq!(
        at(&target(&t, "acknowledge")["stopped_at"]),
        shanghai("2026-11-20T09:30")
    );
    // A query is due in 15 minutes: long overdue.
    assert_eq!(target(&t, "resolve")["state"]["code"], "overdue");
    let mut future = body;
    future["registered_at"] = json!(shanghai("2026-12-20T09:00"));
    future["acknowledged_at"] = Value::Null;
    let (s, e) = send(&app, &admin, "POST", "/api/v1/tickets/import", future).await;
    assert_eq!(
        (s, e["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("registered_at"))
    );
}

#[tokio::test]
async fn transfer_pause_reassign_and_closing_after_unreachable_follow_ups() {
    let app = TestApp::spawn().await;
    let agent = signed_in(&app, "agent").await;
    let handler = signed_in(&app, "handler").await;
    let supervisor = signed_in(&app, "supervisor").await;
    let billing = department_id(&app, &agent, "billing").await;
    let network = department_id(&app, &agent, "network").await;
    let t = complaint(&app, &agent, true).await;
    let (_, t) = act(
        &app,
        &agent,
        &t,
        json!({"action": "dispatch", "department": billing, "note": ""}),
    )
    .await;
    let (_, t) = act(&app, &handler, &t, json!({"action": "accept"})).await;
    // Transfer needs a reason and another department.
    let (s, e) = act(
        &app,
        &handler,
        &t,
        json!({"action": "transfer", "department": billing, "reason": "x"}),
    )
    .await;
    assert_eq!(s, StatusCode::CONFLICT, "{e}");
    let (s, t) = act(
        &app,
        &handler,
        &t,
        json!({"action": "transfer", "department": network, "reason": "线路故障"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{t}");
    assert_eq!(
        (
            t["state"]["code"].as_str(),
            t["department"]["name"].as_str()
        ),
        (Some("dispatched"), Some("网络维护"))
    );
    assert!(t["assignee"].is_null());

    // Reassign: supervisors only, to a real agent.
    let staff_id = app.state.stores.users.list_ticket_staff().await.unwrap();
    let handler_id = staff_id
        .iter()
        .find(|u| u.display_name == "赵敏")
        .unwrap()
        .id
        .0
        .to_string();
    let (s, _) = act(
        &app,
        &agent,
        &t,
        json!({"action": "reassign", "agent": handler_id}),
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, e) = act(
        &app,
        &supervisor,
        &t,
        json!({"action": "reassign", "agent": uuid::Uuid::nil()}),
    )
    .await;
    assert_eq!(
        (s, e["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("agent"))
    );
    let (s, t) = act(
        &app,
        &supervisor,
        &t,
        json!({"action": "reassign", "agent": handler_id}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{t}");
    assert_eq!(t["assignee"]["name"], "赵敏");

    // The network department returns it; billing gets it back in progress.
    let (s, _) = act(
        &app,
        &handler,
        &t,
        json!({"action": "return", "reason": "不是我们的"}),
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "billing is not the owner now");
    let (s, t) = act(
        &app,
        &supervisor,
        &t,
        json!({"action": "escalate", "reason": "客户多次来电"}),
    )
    .await;
    assert_eq!(
        (s, t["escalation_level"].as_u64()),
        (StatusCode::OK, Some(1))
    );

    // Pause and resume the resolve clock (a fresh ticket in progress at billing).
    let p = complaint(&app, &agent, true).await;
    let (_, p) = act(
        &app,
        &agent,
        &p,
        json!({"action": "dispatch", "department": billing, "note": ""}),
    )
    .await;
    let (_, p) = act(&app, &handler, &p, json!({"action": "accept"})).await;
    let (s, e) = act(&app, &handler, &p, json!({"action": "pause"})).await;
    assert_eq!(
        (s, e["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("reason")),
        "{e}"
    );
    let (_, p) = act(
        &app,
        &handler,
        &p,
        json!({"action": "pause", "reason": "等待客户提供账单截图"}),
    )
    .await;
    assert_eq!(p["state"]["code"], "pending_customer");
    assert_eq!(target(&p, "resolve")["state"]["code"], "paused");
    let due_before = at(&target(&p, "resolve")["due_at"]);
    app.clock.advance(Duration::hours(2));
    let (_, p) = act(&app, &handler, &p, json!({"action": "resume"})).await;
    assert_eq!(p["state"]["code"], "in_progress");
    let r = target(&p, "resolve");
    assert!(at(&r["due_at"]) > due_before, "{r}");
    assert_eq!(r["paused_seconds"], 7200);

    // Three unreachable follow-ups: only a supervisor may then close.
    let (_, p) = act(
        &app,
        &handler,
        &p,
        json!({"action": "reply", "resolution": "已处理", "cause_category": "billing"}),
    )
    .await;
    let (s, e) = act(
        &app,
        &supervisor,
        &p,
        json!({"action": "close", "note": ""}),
    )
    .await;
    assert_eq!(s, StatusCode::CONFLICT, "{e}");
    let mut p = p;
    for _ in 0..3 {
        let (s, next) = act(
            &app,
            &agent,
            &p,
            json!({"action": "revisit", "outcome": "unreachable", "note": "无人接听"}),
        )
        .await;
        assert_eq!(s, StatusCode::OK);
        p = next;
    }
    assert_eq!(
        (
            p["state"]["code"].as_str(),
            p["unreachable_attempts"].as_u64()
        ),
        (Some("resolved"), Some(3))
    );
    let (s, _) = act(
        &app,
        &agent,
        &p,
        json!({"action": "close", "note": "三次未接通"}),
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, p) = act(
        &app,
        &supervisor,
        &p,
        json!({"action": "close", "note": "三次未接通，归档"}),
    )
    .await;
    assert_eq!(
        (s, p["state"]["code"].as_str()),
        (StatusCode::OK, Some("closed"))
    );
    // Staff cannot confirm for the customer.
    let (s, _) = act(
        &app,
        &agent,
        &t,
        json!({"action": "customer_confirm", "satisfied": true, "rating": 5, "comment": ""}),
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn inquiries_are_resolved_on_the_first_contact_and_complaints_cannot_be() {
    let app = TestApp::spawn().await;
    let agent = signed_in(&app, "agent").await;
    let customer = customer_id(&app, &agent, "13900000002").await;
    let t = register(
        &app,
        &agent,
        json!({"kind": "inquiry", "channel": "phone", "customer": customer, "subject": "5G 套餐资费", "on_call": true,
               "first_contact": {"resolution": "已告知资费", "cause_category": "plan"}}),
    )
    .await;
    assert_eq!(t["state"]["code"], "closed");
    assert_eq!(t["resolved_on_first_contact"], true);
    assert_eq!(t["version"], 1);
    assert_eq!(t["events"].as_array().unwrap().len(), 3);
    let (s, e) = send(
        &app,
        &agent,
        "POST",
        "/api/v1/tickets",
        json!({"kind": "complaint", "complexity": "simple", "channel": "phone", "customer": customer, "subject": "x", "on_call": true,
               "first_contact": {"resolution": "r", "cause_category": "c"}}),
    )
    .await;
    assert_eq!(s, StatusCode::CONFLICT, "{e}");
    // Admins do not work tickets; they import them.
    let admin = signed_in(&app, "admin").await;
    let (s, _) = send(
        &app,
        &admin,
        "POST",
        "/api/v1/tickets",
        json!({"kind": "query", "channel": "phone", "customer": customer, "subject": "x"}),
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
}

/// A client whose every request carries a bearer token with these scopes (created by the
/// administrator), and the token's text.
async fn token_client(app: &TestApp, admin: &Client, scopes: &[&str]) -> Client {
    let (s, created) = send(
        app,
        admin,
        "POST",
        "/api/v1/tokens",
        json!({"name": format!("ERP {}", scopes.join("+")), "scopes": scopes,
               "acts_as": scopes.iter().any(|s| s.starts_with("tickets:")).then_some("agent")}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{created}");
    let secret = created["secret"].as_str().unwrap();
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        reqwest::header::AUTHORIZATION,
        format!("Bearer {secret}").parse().unwrap(),
    );
    Client::builder().default_headers(headers).build().unwrap()
}

#[tokio::test]
async fn integration_tokens_read_write_and_import_tickets_by_scope() {
    let app = TestApp::spawn().await;
    let admin = signed_in(&app, "admin").await;
    let agent = signed_in(&app, "agent").await;
    let customer = customer_id(&app, &agent, "13900000002").await;
    let reader = token_client(&app, &admin, &["tickets:read"]).await;
    let writer = token_client(&app, &admin, &["tickets:write"]).await;
    let importer = token_client(&app, &admin, &["import"]).await;
    // Ticket scopes need someone who works tickets to act as.
    for acts_as in [json!(null), json!("admin"), json!("nobody")] {
        let (s, e) = send(
            &app,
            &admin,
            "POST",
            "/api/v1/tokens",
            json!({"name": "ERP", "scopes": ["tickets:write"], "acts_as": acts_as}),
        )
        .await;
        assert_eq!(
            (s, e["field"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("acts_as")),
            "{e}"
        );
    }
    let body =
        json!({"kind": "inquiry", "channel": "api", "customer": customer, "subject": "ERP 工单"});

    // Writing needs tickets:write; reading needs tickets:read.
    let (s, _) = send(&app, &reader, "POST", "/api/v1/tickets", body.clone()).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let t = register(&app, &writer, body).await;
    // The ticket was registered by the agent the token acts as.
    assert_eq!(t["events"][0]["actor"]["name"], "王芳", "{t}");
    let path = format!("/api/v1/tickets/{}", t["id"].as_str().unwrap());
    let (s, read) = get(&app, &reader, &path).await;
    assert_eq!((s, &read["subject"]), (StatusCode::OK, &json!("ERP 工单")));
    assert_eq!(get(&app, &writer, &path).await.0, StatusCode::FORBIDDEN);
    let (s, list) = get(&app, &reader, "/api/v1/tickets?page_size=5").await;
    assert_eq!(s, StatusCode::OK, "{list}");
    let (s, acted) = act(
        &app,
        &writer,
        &t,
        json!({"action": "comment", "text": "from the ERP", "visibility": "internal"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{acted}");
    assert_eq!(
        act(
            &app,
            &reader,
            &acted,
            json!({"action": "comment", "text": "x", "visibility": "internal"})
        )
        .await
        .0,
        StatusCode::FORBIDDEN
    );

    // Importing historical tickets needs import.
    let old = json!({"kind": "query", "channel": "phone", "customer": customer, "subject": "历史工单",
                     "registered_at": shanghai("2026-11-20T09:00")});
    let (s, _) = send(&app, &writer, "POST", "/api/v1/tickets/import", old.clone()).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, done) = send(&app, &importer, "POST", "/api/v1/tickets/import", old).await;
    assert_eq!(s, StatusCode::CREATED, "{done}");

    // No token, or a wrong one: 401. Every use is in the audit log.
    assert_eq!(
        get(&app, &app.client(), &path).await.0,
        StatusCode::UNAUTHORIZED
    );
    let audit = app.state.stores.audit.recent(100).await.unwrap();
    let count = |a| audit.iter().filter(|e| e.action == a).count();
    use loopdesk::store::AuditAction::{TokenRefused, TokenUsed};
    // Used: register, read, list, act, import; refused: the four calls out of scope. Each
    // names the request's transaction.
    assert_eq!((count(TokenUsed), count(TokenRefused)), (5, 4));
    assert!(audit
        .iter()
        .filter(|e| matches!(e.action, TokenUsed | TokenRefused))
        .all(|e| e.transaction_id.as_deref().is_some_and(|t| t.len() == 36)));
}
