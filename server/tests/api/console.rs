//! The agent console over HTTP: billing imports (row-level problems, all-or-nothing,
//! idempotent, arrears → collection tasks), the customer 360 and billing lookups with their
//! access log, agent states driven by CTI and dispositions, callbacks and follow-ups on the
//! task list, standard phrases, and the external billing provider against a real HTTP
//! server started here.

use std::time::Duration;

use app::console::BillingProvider;
use loopdesk::customer::{Customer, CustomerId, Tier};
use loopdesk::store::AuditAction;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::test_app::{get, login, post, send, TestApp};

async fn csv(app: &TestApp, c: &reqwest::Client, kind: &str, text: &str) -> (StatusCode, Value) {
    let r = c
        .post(app.url(&format!("/api/v1/billing/import?kind={kind}")))
        .header("content-type", "text/csv")
        .body(text.to_owned())
        .send()
        .await
        .unwrap();
    let s = r.status();
    (s, r.json().await.unwrap_or(Value::Null))
}

async fn customer_id(app: &TestApp, c: &reqwest::Client, phone: &str) -> String {
    let r = c
        .get(app.url("/api/v1/customers"))
        .query(&[("phone", phone)])
        .send()
        .await
        .unwrap();
    let (s, list) = (r.status(), r.json::<Value>().await.unwrap_or(Value::Null));
    assert_eq!(s, StatusCode::OK, "{list}");
    list[0]["id"].as_str().expect("a customer").to_owned()
}

#[tokio::test]
async fn billing_imports_are_checked_row_by_row_all_or_nothing_and_idempotent() {
    let app = TestApp::spawn().await;
    let admin = login(&app, "admin").await;
    // Every problem of the file at once, with line and field; nothing written.
    let bad = "number,customer_phone,plan,status,balance_fen\n\
               B1,13600000004,乐享 59,active,100\n\
               B2,13600009999,乐享 59,active,100\n\
               B3,13600000004,乐享 59,frozen,1.5\n";
    let (s, r) = csv(&app, &admin, "accounts", bad).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{r}");
    let issues = r["issues"].as_array().unwrap();
    let at = |line: u64, field: &str| {
        issues
            .iter()
            .find(|i| i["at"] == line && i["field"] == field)
            .map(|i| i["problem"].as_str().unwrap().to_owned())
    };
    assert_eq!(at(4, "status").as_deref(), Some("not_one_of"));
    assert_eq!(at(4, "balance_fen").as_deref(), Some("not_integer"));
    assert!(issues
        .iter()
        .all(|i| i["message"].as_str().unwrap().contains("第")));
    // Parsing problems come first; the unknown owner is found once the file parses.
    let bad = "number,customer_phone,plan,status,balance_fen\n\
               B1,13600000004,乐享 59,active,100\n\
               B2,13600009999,乐享 59,active,100\n";
    let (s, r) = csv(&app, &admin, "accounts", bad).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r["issues"][0]["at"], 3);
    assert_eq!(r["issues"][0]["problem"], "unknown_customer");
    let zhou = customer_id(&app, &admin, "13600000004").await;
    let (_, view) = get(&app, &admin, &format!("/api/v1/customers/{zhou}")).await;
    assert_eq!(
        view["accounts"],
        json!([]),
        "nothing of a refused file is written"
    );

    // A valid document: accounts, bills, payments and usage in one go.
    let doc = json!({
        "accounts": [{"number": "B1", "customer_phone": "136 0000 0004", "plan": "乐享 59",
                      "status": "active", "balance_fen": -12000}],
        "bills": [{"account": "B1", "period": "2026-09", "due_on": "2026-10-15",
                   "items": [{"name": "月基本费", "amount_fen": 5900}, {"name": "超出流量", "amount_fen": 6100}]}],
        "payments": [{"reference": "PX1", "account": "B1", "paid_at": "2026-09-01 09:00",
                      "amount_fen": 5900, "method": "wechat"}],
        "usage": [{"account": "B1", "day": "2026-11-20", "kind": "data", "quantity": 2048, "charge_fen": 300}]
    });
    let (s, r) = post(&app, &admin, "/api/v1/billing/import", doc.clone()).await;
    assert_eq!(s, StatusCode::OK, "{r}");
    assert_eq!(
        (r["created"].as_u64(), r["updated"].as_u64()),
        (Some(4), Some(0))
    );
    assert_eq!(
        r["collections"], 1,
        "B1 owes 120 yuan on a bill due in October"
    );
    // The same file again changes nothing and raises no second collection.
    let (_, again) = post(&app, &admin, "/api/v1/billing/import", doc).await;
    assert_eq!(
        (again["created"].as_u64(), again["unchanged"].as_u64()),
        (Some(0), Some(4))
    );
    assert_eq!(again["collections"], 0);
    // A CSV payment for an account nobody knows.
    let (s, r) = csv(
        &app,
        &admin,
        "payments",
        "reference,account,paid_at,amount_fen,method\nPX2,NOPE,2026-11-01 10:00,100,cash\n",
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r["issues"][0]["problem"], "unknown_account");
    // An update of the balance is counted as such.
    let (s, r) = csv(
        &app,
        &admin,
        "accounts",
        "number,customer_phone,plan,status,balance_fen\nB1,13600000004,乐享 59,active,0\n",
    )
    .await;
    assert_eq!((s, r["updated"].as_u64()), (StatusCode::OK, Some(1)), "{r}");

    // Only administrators import; the formats are checked.
    let agent = login(&app, "agent").await;
    let (s, _) = csv(&app, &agent, "accounts", "number\n").await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, r) = csv(&app, &admin, "refunds", "a\n1\n").await;
    assert_eq!(
        (s, r["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("kind"))
    );
    let r = admin
        .post(app.url("/api/v1/billing/import"))
        .header("content-type", "text/plain")
        .body("x")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let (s, r) = post(
        &app,
        &admin,
        "/api/v1/billing/import",
        json!({"bills": "x"}),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{r}");

    // The collection task is on the list, for the account's owner.
    let (_, tasks) = get(&app, &agent, "/api/v1/tasks?reason=collection").await;
    let b1: Vec<_> = tasks
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["account"] == "B1")
        .collect();
    assert_eq!(b1.len(), 1, "{tasks}");
    assert_eq!(b1[0]["customer"]["name"], "周杰");
    assert_eq!(b1[0]["phone"], "136****0004");
}

#[tokio::test]
async fn the_customer_360_billing_views_and_reveals_are_access_logged() {
    let app = TestApp::spawn().await;
    let agent = login(&app, "agent").await;
    let zhang = customer_id(&app, &agent, "+86 138-0000-0001").await;

    let (s, v) = get(&app, &agent, &format!("/api/v1/customers/{zhang}")).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["customer"]["phones"], json!(["138****0001"]));
    assert_eq!(v["id_number"], "110***********002X");
    assert_eq!(v["accounts"][0]["number"], "A10000001");
    assert_eq!(v["accounts"][0]["balance"], 3650);
    assert_eq!(v["timeline"][0]["kind"], "ticket", "{v}");
    assert_eq!(
        v["open_tickets"][0]["number"],
        v["timeline"][0]["summary"].as_str().unwrap()[..16]
    );

    let (s, b) = get(
        &app,
        &agent,
        &format!("/api/v1/customers/{zhang}/billing?from=2026-11-01&to=2026-11-23"),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    assert_eq!(b["bills"].as_array().unwrap().len(), 6);
    assert_eq!(b["bills"][0]["period"], "2026-10");
    assert_eq!(b["bills"][0]["items"].as_array().unwrap().len(), 3);
    assert_eq!(b["payments"][0]["reference"], "P2026001");
    let data = b["usage"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["kind"]["code"] == "data")
        .unwrap();
    let expected: i64 = (0..23).map(|d: i64| 800 + d * 37 % 500).sum();
    assert_eq!(data["quantity"], expected, "23 days of November");
    let (s, r) = get(
        &app,
        &agent,
        &format!("/api/v1/customers/{zhang}/billing?from=2026-11-30&to=2026-11-01"),
    )
    .await;
    assert_eq!(
        (s, r["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("from"))
    );

    // Reveals show the full value and are logged like the views.
    let (s, r) = post(
        &app,
        &agent,
        &format!("/api/v1/customers/{zhang}/reveal"),
        json!({"field": "id_number"}),
    )
    .await;
    assert_eq!(
        (s, r["value"].as_str()),
        (StatusCode::OK, Some("11010519491231002X"))
    );
    let (s, r) = post(
        &app,
        &agent,
        &format!("/api/v1/customers/{zhang}/reveal"),
        json!({"field": "phone", "index": 0}),
    )
    .await;
    assert_eq!(
        (s, r["value"].as_str()),
        (StatusCode::OK, Some("13800000001"))
    );
    let (s, _) = post(
        &app,
        &agent,
        &format!("/api/v1/customers/{zhang}/reveal"),
        json!({"field": "phone", "index": 5}),
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND);

    let log: Vec<_> = app
        .state
        .stores
        .audit
        .about(&zhang, 20)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| {
            matches!(
                e.action,
                AuditAction::BillingViewed | AuditAction::NumberRevealed
            )
        })
        .collect();
    let agent_id = log[0].actor.expect("an actor");
    let of = |a: AuditAction| log.iter().filter(|e| e.action == a).count();
    assert_eq!(of(AuditAction::BillingViewed), 2, "{log:?}");
    assert_eq!(of(AuditAction::NumberRevealed), 2, "{log:?}");
    assert!(log
        .iter()
        .all(|e| e.actor == Some(agent_id) && e.transaction_id.is_some()));
    assert!(log.iter().any(|e| e.detail == "id_number"));

    // Search by account number and by ticket number; customers and strangers get nothing.
    let (_, found) = get(&app, &agent, "/api/v1/customers?q=A10000002").await;
    assert_eq!(found[0]["name"], "刘洋");
    let (_, tickets) = get(&app, &agent, "/api/v1/tickets").await;
    let number = tickets["items"][0]["number"].as_str().unwrap().to_owned();
    let (_, found) = get(
        &app,
        &agent,
        &format!("/api/v1/customers?q={}", number.to_lowercase()),
    )
    .await;
    assert_eq!(
        found[0]["name"], tickets["items"][0]["customer_name"],
        "{found}"
    );
    let (s, _) = get(&app, &agent, "/api/v1/customers?phone=12ab").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let portal = login(&app, "13800000001").await;
    let (s, _) = get(&app, &portal, &format!("/api/v1/customers/{zhang}/billing")).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = get(&app, &app.client(), &format!("/api/v1/customers/{zhang}")).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
}

fn event(kind: &str, call: &str, at: &str, agent: &str) -> Value {
    json!({"event": kind, "call_id": call, "direction": "in", "from": "13900000002",
           "to": "10000", "agent": agent, "at": at})
}

#[tokio::test]
async fn agent_states_follow_calls_and_end_with_the_disposition() {
    let app = TestApp::spawn().await;
    let admin = login(&app, "admin").await;
    let agent = login(&app, "agent").await;
    let put = |c: &reqwest::Client, body: Value| {
        let c = c.clone();
        let url = app.url("/api/v1/agent/state");
        async move {
            let r = c.put(url).json(&body).send().await.unwrap();
            let s = r.status();
            (s, r.json::<Value>().await.unwrap_or(Value::Null))
        }
    };
    let (_, s0) = get(&app, &agent, "/api/v1/agent/state").await;
    assert_eq!(s0["state"]["code"], "offline");
    assert_eq!(
        put(&agent, json!({"state": "available"})).await.0,
        StatusCode::OK
    );
    let (s, r) = put(&agent, json!({"state": "break", "reason": " "})).await;
    assert_eq!(
        (s, r["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("reason"))
    );
    let (s, _) = put(&agent, json!({"state": "on_call"})).await;
    assert_eq!(s, StatusCode::CONFLICT);

    for e in [
        event("newCall", "k1", "2026-11-23T02:00:00Z", "agent"),
        event("answer", "k1", "2026-11-23T02:00:05Z", "agent"),
    ] {
        assert_eq!(
            post(&app, &admin, "/api/v1/cti/events", e).await.0,
            StatusCode::OK
        );
    }
    let (_, st) = get(&app, &agent, "/api/v1/agent/state").await;
    assert_eq!(
        (st["state"]["code"].as_str(), st["call_id"].as_str()),
        (Some("on_call"), Some("k1"))
    );
    let (s, _) = put(&agent, json!({"state": "break", "reason": "午餐"})).await;
    assert_eq!(s, StatusCode::CONFLICT);
    let hangup = event("hangup", "k1", "2026-11-23T02:04:00Z", "agent");
    assert_eq!(
        post(&app, &admin, "/api/v1/cti/events", hangup.clone())
            .await
            .0,
        StatusCode::OK
    );
    assert_eq!(
        post(&app, &admin, "/api/v1/cti/events", hangup).await.0,
        StatusCode::OK
    );
    let (_, st) = get(&app, &agent, "/api/v1/agent/state").await;
    assert_eq!(st["state"]["code"], "wrap_up");
    let (s, r) = put(&agent, json!({"state": "available"})).await;
    assert_eq!(s, StatusCode::CONFLICT, "{r}");

    // The wrap-up: unknown codes are refused; the right one frees the agent.
    let (s, r) = post(
        &app,
        &agent,
        "/api/v1/calls/k1/disposition",
        json!({"disposition": "lunch"}),
    )
    .await;
    assert_eq!(
        (s, r["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("disposition"))
    );
    let other = login(&app, "agent2").await;
    let (s, _) = post(
        &app,
        &other,
        "/api/v1/calls/k1/disposition",
        json!({"disposition": "resolved"}),
    )
    .await;
    assert_eq!(
        s,
        StatusCode::FORBIDDEN,
        "only the call's agent wraps it up"
    );
    let r = agent
        .post(app.url("/api/v1/calls/k1/disposition"))
        .json(&json!({"disposition": "resolved", "notes": "已解释账单"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let (_, st) = get(&app, &agent, "/api/v1/agent/state").await;
    assert_eq!(st["state"]["code"], "available");
    let (_, call) = get(&app, &agent, "/api/v1/calls/k1").await;
    assert_eq!(call["disposition"], "resolved");
    assert_eq!(call["notes"], "已解释账单");

    // A ticket registered on the call is linked to it; an unknown call is named.
    let liu = customer_id(&app, &agent, "13900000002").await;
    let ticket = |call: &str| {
        json!({"kind": "query", "channel": "phone", "customer": liu,
        "subject": "查询话费", "on_call": true, "call_id": call})
    };
    let (s, r) = post(&app, &agent, "/api/v1/tickets", ticket("nope")).await;
    assert_eq!(
        (s, r["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("call_id"))
    );
    let (s, t) = post(&app, &agent, "/api/v1/tickets", ticket("k1")).await;
    assert_eq!(s, StatusCode::CREATED, "{t}");
    let (_, call) = get(&app, &agent, "/api/v1/calls/k1").await;
    assert_eq!(call["tickets"], json!([t["id"]]));

    // Signing out takes an available agent offline.
    let r = agent
        .delete(app.url("/api/v1/session"))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success());

    // Every change is logged with who made it.
    let user = app
        .state
        .stores
        .users
        .find_for_login(&loopdesk::user::LoginName::parse("agent").unwrap())
        .await
        .unwrap()
        .unwrap()
        .0;
    let log = app
        .state
        .stores
        .agents
        .agent_state_log(user.id, chrono::DateTime::UNIX_EPOCH)
        .await
        .unwrap();
    let seq: Vec<(&str, &str)> = log
        .iter()
        .map(|c| (c.status.state.code(), c.source.code()))
        .collect();
    assert_eq!(
        seq,
        vec![
            ("available", "agent"),
            ("on_call", "cti"),
            ("wrap_up", "cti"),
            ("available", "system"),
            ("offline", "system")
        ]
    );
}

#[tokio::test]
async fn missed_calls_become_callbacks_that_agents_take_and_close() {
    let app = TestApp::spawn().await;
    let admin = login(&app, "admin").await;
    for e in [
        event("newCall", "m1", "2026-11-23T02:00:00Z", "agent"),
        json!({"event": "hangup", "call_id": "m1", "direction": "in", "from": "13900000002",
               "to": "10000", "cause": "abandoned", "at": "2026-11-23T02:00:40Z"}),
    ] {
        post(&app, &admin, "/api/v1/cti/events", e.clone()).await;
        post(&app, &admin, "/api/v1/cti/events", e).await;
    }
    let agent = login(&app, "agent").await;
    let (_, list) = get(&app, &agent, "/api/v1/tasks?reason=callback").await;
    let list = list.as_array().unwrap();
    assert_eq!(
        list.len(),
        1,
        "one callback however often the hangup arrives: {list:?}"
    );
    let task = &list[0];
    assert_eq!(task["call_id"], "m1");
    assert_eq!(task["customer"]["name"], "刘洋");
    let id = task["id"].as_str().unwrap();
    let path = format!("/api/v1/tasks/{id}");

    let (s, taken) = post(&app, &agent, &path, json!({"version": task["version"]})).await;
    assert_eq!(s, StatusCode::OK, "{taken}");
    let other = login(&app, "agent2").await;
    let (s, _) = post(&app, &other, &path, json!({"version": taken["version"]})).await;
    assert_eq!(s, StatusCode::CONFLICT, "taken by another agent");
    let (_, others) = get(&app, &other, "/api/v1/tasks?reason=callback").await;
    assert_eq!(
        others,
        json!([]),
        "a taken task leaves the others' open list"
    );
    let (s, r) = post(
        &app,
        &agent,
        &path,
        json!({"version": 1, "outcome": "reached"}),
    )
    .await;
    assert_eq!(s, StatusCode::CONFLICT, "stale version: {r}");
    let (s, r) = post(
        &app,
        &agent,
        &path,
        json!({"version": taken["version"], "outcome": "satisfied"}),
    )
    .await;
    assert_eq!(
        (s, r["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("outcome"))
    );
    let (s, tried) = post(
        &app,
        &agent,
        &path,
        json!({"version": taken["version"], "outcome": "no_answer", "note": "无人接听"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{tried}");
    assert_eq!(
        (tried["attempts"].as_u64(), tried["done_at"].is_null()),
        (Some(1), true)
    );
    assert_eq!(tried["due_at"], "2026-11-23T03:00:00Z");
    let (s, done) = post(
        &app,
        &agent,
        &path,
        json!({"version": tried["version"], "outcome": "reached"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(done["outcome"]["code"], "reached");
    let attempts = app
        .state
        .stores
        .work
        .task_attempts(id.parse().unwrap())
        .await
        .unwrap();
    assert_eq!(attempts.len(), 2);
    let (_, mine) = get(&app, &agent, "/api/v1/tasks?scope=mine").await;
    assert!(mine.as_array().unwrap().iter().all(|t| t["id"] != id));
}

#[tokio::test]
async fn follow_up_tasks_record_the_revisit_on_the_ticket() {
    let app = TestApp::spawn().await;
    let agent = login(&app, "agent").await;
    let (_, list) = get(&app, &agent, "/api/v1/tasks?reason=follow_up").await;
    let task = list
        .as_array()
        .unwrap()
        .first()
        .cloned()
        .expect("the demo's answered complaint waits for its follow-up");
    let ticket = task["ticket"]["id"].as_str().unwrap().to_owned();
    let (_, before) = get(&app, &agent, &format!("/api/v1/tickets/{ticket}")).await;
    assert_eq!(before["state"]["code"], "resolved");
    let (s, r) = post(
        &app,
        &agent,
        &format!("/api/v1/tasks/{}", task["id"].as_str().unwrap()),
        json!({"version": task["version"], "outcome": "satisfied", "note": "客户满意"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{r}");
    let (_, after) = get(&app, &agent, &format!("/api/v1/tickets/{ticket}")).await;
    assert_eq!(after["state"]["code"], "closed", "{after}");
    let (_, list) = get(&app, &agent, "/api/v1/tasks?reason=follow_up").await;
    assert!(list
        .as_array()
        .unwrap()
        .iter()
        .all(|t| t["ticket"]["id"] != ticket.as_str()));

    // Supervisors create tasks; agents may not; bad references are named.
    let sup = login(&app, "supervisor").await;
    let (s, r) = post(
        &app,
        &sup,
        "/api/v1/tasks",
        json!({"reason": "callback", "phone": "12"}),
    )
    .await;
    assert_eq!(
        (s, r["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("phone"))
    );
    let (s, r) = post(
        &app,
        &sup,
        "/api/v1/tasks",
        json!({"reason": "collection", "phone": "13600000004", "account": "NOPE"}),
    )
    .await;
    assert_eq!(
        (s, r["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("account"))
    );
    let (s, r) = post(
        &app,
        &sup,
        "/api/v1/tasks",
        json!({"reason": "callback", "phone": "021-6555 0005", "note": "客户要求下午回电"}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{r}");
    assert_eq!(r["phone"], "021****0005");
    let (s, _) = post(
        &app,
        &agent,
        "/api/v1/tasks",
        json!({"reason": "callback", "phone": "13600000004"}),
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn standard_phrases_address_the_caller_and_admins_edit_them() {
    let app = TestApp::spawn().await;
    let agent = login(&app, "agent").await;
    let zhang = customer_id(&app, &agent, "13800000001").await;
    let (s, list) = get(&app, &agent, &format!("/api/v1/phrases?customer={zhang}")).await;
    assert_eq!(s, StatusCode::OK);
    let texts: Vec<String> = list
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| {
            p["steps"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s[0].as_str().unwrap().to_owned())
        })
        .collect();
    assert!(
        texts.iter().any(|t| t.starts_with("张先生,您好")),
        "{texts:?}"
    );
    assert!(
        texts.iter().any(|t| t.contains("agent号客服代表")),
        "{texts:?}"
    );
    let silent = list
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["title"] == "无声电话")
        .unwrap();
    assert_eq!(silent["steps"][0][1], 5);

    let admin = login(&app, "admin").await;
    let id = "00000000-0000-0000-0000-000000000abc";
    let mut phrase = json!({"id": id, "position": 99, "title_zh": "节日问候", "title_en": "Holiday greeting",
        "steps": [{"zh": "{customer},节日好!", "en": "Happy holidays, {customer}!", "pause_seconds": 0}]});
    let (s, _) = send(
        &app,
        &agent,
        reqwest::Method::PUT,
        &format!("/api/v1/phrases/{id}"),
        phrase.clone(),
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    phrase["steps"][0]["en"] = json!("Happy {holiday}");
    let (s, r) = send(
        &app,
        &admin,
        reqwest::Method::PUT,
        &format!("/api/v1/phrases/{id}"),
        phrase.clone(),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{r}");
    assert!(r["message"].as_str().unwrap().contains("{agent_no}"));
    phrase["steps"][0]["en"] = json!("Happy holidays, {customer}!");
    let (s, _) = send(
        &app,
        &admin,
        reqwest::Method::PUT,
        &format!("/api/v1/phrases/{id}"),
        phrase,
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let en = agent
        .get(app.url(&format!("/api/v1/phrases?customer={zhang}")))
        .header("accept-language", "en")
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap();
    let holiday = en.as_array().unwrap().iter().find(|p| p["id"] == id);
    // The agent's stored language is Chinese unless chosen otherwise; either way the
    // new phrase is there, with the caller addressed.
    let holiday = holiday.expect("the new phrase is listed");
    let first = holiday["steps"][0][0].as_str().unwrap();
    assert!(
        first == "张先生,节日好!" || first == "Happy holidays, Mr 张!",
        "{first}"
    );
    let r = admin
        .delete(app.url(&format!("/api/v1/phrases/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let r = admin
        .delete(app.url(&format!("/api/v1/phrases/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

/// A stand-in external billing system on a real port.
async fn remote_billing() -> (String, tokio::sync::mpsc::UnboundedReceiver<String>) {
    use axum::extract::Query;
    use axum::http::HeaderMap;
    use axum::routing::get;
    use std::collections::HashMap;
    let (seen, rx) = tokio::sync::mpsc::unbounded_channel();
    let router = axum::Router::new().route(
        "/api/customers/billing",
        get(move |Query(q): Query<HashMap<String, String>>, headers: HeaderMap| {
            let seen = seen.clone();
            async move {
                let tx = headers
                    .get("x-transaction-id")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("")
                    .to_owned();
                let _ = seen.send(tx);
                match q.get("phone").map(String::as_str) {
                    Some("13800000001") => (
                        axum::http::StatusCode::OK,
                        json!({
                            "accounts": [{"number": "R1", "customer_phone": "13800000001",
                                          "plan": "远程套餐", "status": "active", "balance_fen": 990}],
                            "bills": [{"account": "R1", "period": "2026-10", "due_on": "2026-11-15",
                                       "items": [{"name": "月基本费", "amount_fen": 9900}]}]
                        })
                        .to_string(),
                    ),
                    Some("13900000002") => (
                        axum::http::StatusCode::SERVICE_UNAVAILABLE,
                        json!({"code": "maintenance", "message": "down for maintenance"}).to_string(),
                    ),
                    Some("13700000003") => (axum::http::StatusCode::OK, "x".repeat(1024 * 1024 + 10)),
                    _ => {
                        // Never answers: the client's timeout must end the wait.
                        std::future::pending::<()>().await;
                        unreachable!()
                    }
                }
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    (format!("http://{addr}/api"), rx)
}

fn customer(phone: &str) -> Customer {
    Customer::new(
        CustomerId(uuid::Uuid::new_v4()),
        "x",
        &[phone.to_owned()],
        Tier::Normal,
    )
    .unwrap()
}

#[tokio::test]
async fn the_external_billing_provider_follows_the_integration_conventions() {
    let (base, mut seen) = remote_billing().await;
    let provider =
        server::billing_http::HttpBilling::new(&base, Duration::from_millis(500)).unwrap();
    let (from, to) = ("2026-11-01".parse().unwrap(), "2026-11-23".parse().unwrap());
    let c = customer("13800000001");
    let data = provider.billing(&c, from, to).await.unwrap();
    assert_eq!(data.accounts[0].number, "R1");
    assert_eq!(
        data.accounts[0].customer, c.id,
        "owned by the customer asked about"
    );
    assert_eq!(data.bills[0].total().0, 9900);
    let tx = seen.recv().await.unwrap();
    assert_eq!(tx.len(), 36, "a transaction id is sent: {tx:?}");

    let err = |r: Result<_, app::console::ProviderError>| match r {
        Err(app::console::ProviderError::Unavailable(m)) => m,
        other => panic!("expected unavailable, got {other:?}"),
    };
    let m = err(provider.billing(&customer("13900000002"), from, to).await);
    assert!(m.contains("maintenance"), "{m}");
    let m = err(provider.billing(&customer("13700000003"), from, to).await);
    assert!(m.contains("1 MB"), "{m}");
    let m = err(provider.billing(&customer("13600000004"), from, to).await);
    assert!(m.contains("timed out"), "{m}");
    let down =
        server::billing_http::HttpBilling::new("http://127.0.0.1:9", Duration::from_millis(500))
            .unwrap();
    let m = err(down.billing(&c, from, to).await);
    assert!(m.contains("cannot reach"), "{m}");
}

#[tokio::test]
async fn the_simulator_places_calls_and_missed_ones_become_callbacks() {
    let app = TestApp::spawn().await;
    let options = server::simulate::SimOptions {
        url: app.url(""),
        calls: 12,
        rate_per_minute: 60.0,
        abandon: 0.5,
        speed: 100_000.0,
        customers: 5,
        seed: 7,
        ..server::simulate::SimOptions::default()
    };
    let report = server::simulate::run(&options)
        .await
        .expect("the simulation runs");
    assert_eq!((report.calls, report.errors), (12, 0), "{report:?}");
    assert_eq!(report.events, 12 * 3 - report.abandoned);
    let admin = login(&app, "admin").await;
    let (_, calls) = get(&app, &admin, "/api/v1/calls").await;
    let sim: Vec<_> = calls
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["call_id"].as_str().unwrap().starts_with("sim-7-"))
        .collect();
    assert_eq!(sim.len(), 12);
    let missed = sim.iter().filter(|c| c["state"] == "missed").count() as u32;
    assert_eq!(missed, report.abandoned);
    assert!(
        sim.iter().all(|c| c["customer"].is_string()),
        "callers were put on file"
    );
    let agent = login(&app, "agent").await;
    let (_, tasks) = get(&app, &agent, "/api/v1/tasks?reason=callback&scope=all").await;
    assert_eq!(tasks.as_array().unwrap().len() as u32, report.abandoned);
    // Running the same traffic again, now with a `cti` token, is harmless: customers exist,
    // events are duplicates, and each token use is logged.
    let (_, created) = post(
        &app,
        &admin,
        "/api/v1/tokens",
        json!({"name": "sim", "scopes": ["cti"]}),
    )
    .await;
    let token = created["secret"].as_str().map(str::to_owned);
    let again = server::simulate::run(&server::simulate::SimOptions { token, ..options })
        .await
        .expect("a second run");
    assert_eq!(again.errors, 0);
    let log = app.state.stores.audit.recent(200).await.unwrap();
    let used = log
        .iter()
        .filter(|e| e.action == AuditAction::TokenUsed)
        .count() as u32;
    assert_eq!(used, again.events);
}

#[tokio::test]
async fn integrations_use_scoped_tokens_that_are_logged_expire_and_can_be_revoked() {
    let app = TestApp::spawn().await;
    let admin = login(&app, "admin").await;
    let create = |body: Value| {
        let admin = admin.clone();
        let url = app.url("/api/v1/tokens");
        async move {
            let r = admin.post(url).json(&body).send().await.unwrap();
            let s = r.status();
            (s, r.json::<Value>().await.unwrap_or(Value::Null))
        }
    };
    let (s, cti) = create(
        json!({"name": "PBX 1", "scopes": ["cti"], "allow_ips": ["127.0.0.1", "10.0.0.0/8"],
        "expires_at": "2026-11-23T04:00:00Z"}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{cti}");
    let secret = cti["secret"].as_str().unwrap().to_owned();
    assert!(secret.starts_with("ldk_"));
    let (_, list) = get(&app, &admin, "/api/v1/tokens").await;
    assert_eq!(list[0]["prefix"], cti["token"]["prefix"]);
    assert!(
        !list.to_string().contains(&secret[13..]),
        "the secret is never listed"
    );
    let (s, r) = create(json!({"name": "x", "scopes": [], "allow_ips": []})).await;
    assert_eq!(
        (s, r["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("scopes"))
    );
    let (s, r) = create(json!({"name": "x", "scopes": ["cti"], "allow_ips": ["10.0.0.300"]})).await;
    assert_eq!(
        (s, r["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("allow_ips"))
    );
    let agent = login(&app, "agent").await;
    let (s, _) = post(
        &app,
        &agent,
        "/api/v1/tokens",
        json!({"name": "x", "scopes": ["cti"]}),
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    let pbx = reqwest::Client::new();
    let push = |token: String, id: &'static str| {
        let pbx = pbx.clone();
        let url = app.url("/api/v1/cti/events");
        async move {
            pbx.post(url)
                .bearer_auth(token)
                .json(&event("newCall", id, "2026-11-23T02:00:00Z", "agent"))
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    assert_eq!(push(secret.clone(), "t1").await, StatusCode::OK);
    let last = if secret.ends_with('0') { '1' } else { '0' };
    let wrong = format!("{}{last}", &secret[..secret.len() - 1]);
    assert_eq!(push(wrong, "t2").await, StatusCode::UNAUTHORIZED);
    assert_eq!(
        push("ldk_nonsense".into(), "t2").await,
        StatusCode::UNAUTHORIZED
    );
    // No session and no token: 401 as before.
    let r = pbx
        .post(app.url("/api/v1/cti/events"))
        .json(&event("newCall", "t3", "2026-11-23T02:00:00Z", "agent"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);

    // A billing token may import but not push calls; an address outside the list is refused.
    let (_, billing) = create(json!({"name": "billing feed", "scopes": ["billing:import"]})).await;
    let billing_secret = billing["secret"]
        .as_str()
        .unwrap_or_else(|| panic!("{billing}"))
        .to_owned();
    assert_eq!(
        push(billing_secret.clone(), "t4").await,
        StatusCode::FORBIDDEN
    );
    let r = pbx
        .post(app.url("/api/v1/billing/import?kind=accounts"))
        .bearer_auth(&billing_secret)
        .header("content-type", "text/csv")
        .body("number,customer_phone,plan,status,balance_fen\nT1,13600000004,乐享 59,active,0\n")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let (_, far) =
        create(json!({"name": "far PBX", "scopes": ["cti"], "allow_ips": ["192.0.2.0/24"]})).await;
    assert_eq!(
        push(far["secret"].as_str().unwrap().to_owned(), "t5").await,
        StatusCode::FORBIDDEN
    );

    // Expiry and revocation.
    app.clock.advance(chrono::Duration::hours(3));
    assert_eq!(
        push(secret.clone(), "t6").await,
        StatusCode::UNAUTHORIZED,
        "expired"
    );
    let id = billing["token"]["id"].as_str().unwrap();
    let r = admin
        .delete(app.url(&format!("/api/v1/tokens/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let r = pbx
        .post(app.url("/api/v1/billing/import?kind=accounts"))
        .bearer_auth(&billing_secret)
        .header("content-type", "text/csv")
        .body("number\n")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "revoked");

    // Every use and refusal is in the audit log.
    let log = app.state.stores.audit.recent(100).await.unwrap();
    let count = |a: AuditAction| log.iter().filter(|e| e.action == a).count();
    assert_eq!(count(AuditAction::TokenUsed), 2, "{log:?}");
    assert_eq!(count(AuditAction::TokenRefused), 6, "{log:?}");
    assert_eq!(count(AuditAction::TokenCreated), 3);
    assert_eq!(count(AuditAction::TokenRevoked), 1);
    let (_, list) = get(&app, &admin, "/api/v1/tokens").await;
    let pbx1 = list
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "PBX 1")
        .unwrap();
    assert!(pbx1["last_used_at"].is_string());
}
