//! Supervision over real HTTP: the wallboard's figures equal the ones the test recomputes
//! from the raw call and ticket lists; reports and their CSV; quality reviews through the
//! server functions; staffing; and who may reach any of it.

use chrono::Duration;
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};

use crate::test_app::{get, login, post, TestApp};

async fn cti(
    app: &TestApp,
    c: &Client,
    event: &str,
    call: &str,
    from: &str,
    at: &str,
    agent: Option<&str>,
) {
    let body = json!({"event": event, "call_id": call, "direction": "in", "from": from, "to": "10086",
        "agent": agent, "cause": (event == "hangup").then_some("normalClearing"), "at": at});
    let (s, r) = post(app, c, "/api/v1/cti/events", body).await;
    assert_eq!(s, StatusCode::OK, "{r}");
}

fn secs(v: &Value, a: &str, b: &str) -> Option<i64> {
    let t = |k: &str| {
        v[k].as_str()
            .and_then(|s| chrono::DateTime::parse_from_rfc3339(s).ok())
            .map(|t| t.timestamp())
    };
    Some(t(b)? - t(a)?)
}

fn close(a: &Value, b: f64) -> bool {
    a.as_f64().is_some_and(|a| (a - b).abs() < 1e-9)
}

#[tokio::test]
async fn wallboard_figures_equal_the_raw_records() {
    let app = TestApp::spawn().await;
    let admin = login(&app, "admin").await;
    let boss = login(&app, "supervisor").await;
    app.clock.advance(Duration::minutes(10)); // 02:10Z = 10:10 in Shanghai
                                              // 张明 (gold, VIP) answered in 8 s; 刘洋 (normal) in 35 s; an unknown caller abandons;
                                              // another answered in 15 s; one still ringing.
    cti(
        &app,
        &admin,
        "newCall",
        "w1",
        "13800000001",
        "2026-11-23T02:00:00Z",
        Some("agent"),
    )
    .await;
    cti(
        &app,
        &admin,
        "answer",
        "w1",
        "13800000001",
        "2026-11-23T02:00:08Z",
        Some("agent"),
    )
    .await;
    cti(
        &app,
        &admin,
        "hangup",
        "w1",
        "13800000001",
        "2026-11-23T02:03:20Z",
        None,
    )
    .await;
    cti(
        &app,
        &admin,
        "newCall",
        "w2",
        "13900000002",
        "2026-11-23T02:01:00Z",
        None,
    )
    .await;
    cti(
        &app,
        &admin,
        "answer",
        "w2",
        "13900000002",
        "2026-11-23T02:01:35Z",
        Some("agent2"),
    )
    .await;
    cti(
        &app,
        &admin,
        "hangup",
        "w2",
        "13900000002",
        "2026-11-23T02:05:00Z",
        None,
    )
    .await;
    cti(
        &app,
        &admin,
        "newCall",
        "w3",
        "13712345678",
        "2026-11-23T02:02:00Z",
        None,
    )
    .await;
    cti(
        &app,
        &admin,
        "hangup",
        "w3",
        "13712345678",
        "2026-11-23T02:02:40Z",
        None,
    )
    .await;
    cti(
        &app,
        &admin,
        "newCall",
        "w4",
        "13712345679",
        "2026-11-23T02:06:00Z",
        None,
    )
    .await;
    cti(
        &app,
        &admin,
        "answer",
        "w4",
        "13712345679",
        "2026-11-23T02:06:15Z",
        Some("agent"),
    )
    .await;
    cti(
        &app,
        &admin,
        "hangup",
        "w4",
        "13712345679",
        "2026-11-23T02:08:00Z",
        None,
    )
    .await;
    cti(
        &app,
        &admin,
        "newCall",
        "w5",
        "13712345670",
        "2026-11-23T02:09:00Z",
        None,
    )
    .await;

    let (s, summary) = get(&app, &boss, "/api/v1/metrics/summary").await;
    assert_eq!(s, StatusCode::OK, "{summary}");
    let today = &summary["today"];

    // Recompute from the raw call list.
    let (_, calls) = get(&app, &boss, "/api/v1/calls").await;
    let calls = calls.as_array().unwrap().clone();
    let mut vip_of = std::collections::HashMap::new();
    for c in &calls {
        if let Some(id) = c["customer"].as_str() {
            let (_, cust) = get(&app, &boss, &format!("/api/v1/customers/{id}")).await;
            let tier = cust["customer"]["tier"]["code"]
                .as_str()
                .unwrap_or("normal")
                .to_owned();
            vip_of.insert(id.to_owned(), tier != "normal");
        }
    }
    let vip = |c: &Value| c["customer"].as_str().is_some_and(|id| vip_of[id]);
    let answered: Vec<&Value> = calls
        .iter()
        .filter(|c| !c["answered_at"].is_null())
        .collect();
    let abandoned = calls
        .iter()
        .filter(|c| c["answered_at"].is_null() && !c["ended_at"].is_null())
        .count();
    let waiting = calls
        .iter()
        .filter(|c| c["answered_at"].is_null() && c["ended_at"].is_null())
        .count();
    let offered = answered.len() + abandoned;
    let within = |list: &[&Value]| {
        list.iter()
            .filter(|c| secs(c, "ringing_at", "answered_at").unwrap() <= 20)
            .count()
    };
    let waits: i64 = answered
        .iter()
        .map(|c| secs(c, "ringing_at", "answered_at").unwrap())
        .sum();
    assert_eq!((offered, abandoned, waiting), (4, 1, 1));
    assert_eq!(today["offered"], offered as u64);
    assert_eq!(today["answered"], answered.len() as u64);
    assert_eq!(today["abandoned"], abandoned as u64);
    assert_eq!(today["waiting"], waiting as u64);
    assert!(
        close(
            &today["service_level"],
            within(&answered) as f64 / offered as f64
        ),
        "{today}"
    );
    assert!(
        close(&today["asa_seconds"], waits as f64 / answered.len() as f64),
        "{today}"
    );
    assert!(
        close(&today["abandonment"], abandoned as f64 / offered as f64),
        "{today}"
    );
    let vip_answered: Vec<&Value> = answered.iter().copied().filter(|c| vip(c)).collect();
    let vip_offered = vip_answered.len();
    assert!(
        close(
            &today["service_level_vip"],
            within(&vip_answered) as f64 / vip_offered as f64
        ),
        "{today}"
    );
    let std_answered: Vec<&Value> = answered.iter().copied().filter(|c| !vip(c)).collect();
    assert!(
        close(
            &today["service_level_standard"],
            within(&std_answered) as f64 / (offered - vip_offered) as f64
        ),
        "{today}"
    );
    assert!(close(&today["target_vip"], 0.85) && close(&today["target_standard"], 0.75));

    // Tickets by state: the raw list of open tickets.
    let (_, list) = get(&app, &boss, "/api/v1/tickets?open=true&page_size=200").await;
    let items = list["items"].as_array().unwrap();
    assert_eq!(summary["open"], items.len() as u64);
    let states: Vec<String> = summary["states"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["code"].as_str().unwrap().to_owned())
        .collect();
    for (i, code) in states.iter().enumerate() {
        let n = items
            .iter()
            .filter(|t| t["state"]["code"] == code.as_str())
            .count();
        assert_eq!(summary["by_state"][i], n as u64, "{code}");
    }
    let by_dept: u64 = summary["departments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["total"].as_u64().unwrap())
        .sum();
    assert_eq!(by_dept, items.len() as u64);
    let escalated = items
        .iter()
        .filter(|t| t["escalation_level"].as_u64().unwrap_or(0) > 0)
        .count();
    assert_eq!(summary["escalated"], escalated as u64);
    // Agents on the board: the one on w4 hung up into wrap-up.
    let agents = summary["agents"].as_array().unwrap();
    let wang = agents
        .iter()
        .find(|a| a["agent"]["name"] == "王芳")
        .expect("王芳 on the board");
    assert_eq!(wang["state"]["code"], "wrap_up");
}

#[tokio::test]
async fn reports_and_their_csv_count_the_tickets_of_the_range() {
    let app = TestApp::spawn().await;
    let boss = login(&app, "supervisor").await;
    let (s, r) = get(&app, &boss, "/api/v1/reports?from=2026-11-23&to=2026-11-23").await;
    assert_eq!(s, StatusCode::OK, "{r}");
    let tickets = r["totals"]["tickets"].as_u64().unwrap();
    assert!(
        tickets >= 5,
        "the demo registers its tickets today: {tickets}"
    );
    let by_kind: u64 = r["by_kind"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["tickets"].as_u64().unwrap())
        .sum();
    assert_eq!(by_kind, tickets);
    assert_eq!(r["by_hour"].as_array().unwrap().len(), 24);
    assert_eq!(
        r["by_hour"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_u64().unwrap())
            .sum::<u64>(),
        tickets
    );
    assert!(r["charts"]["kind_channel"]
        .as_str()
        .unwrap()
        .starts_with("<svg"));
    let complaints = r["by_kind"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["key"]["code"] == "complaint")
        .unwrap()["tickets"]
        .as_u64()
        .unwrap();
    assert_eq!(r["totals"]["complaints"], complaints);
    // Filtered to complaints.
    let (_, only) = get(
        &app,
        &boss,
        "/api/v1/reports?from=2026-11-23&to=2026-11-23&kind=complaint",
    )
    .await;
    assert_eq!(only["totals"]["tickets"], complaints);
    // The day before has nothing.
    let (_, none) = get(&app, &boss, "/api/v1/reports?from=2026-11-22&to=2026-11-22").await;
    assert_eq!(none["totals"]["tickets"], 0);

    // CSV: a download with the same figures.
    let res = boss
        .get(app.url("/api/v1/reports/csv?from=2026-11-23&to=2026-11-23"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "text/csv; charset=utf-8");
    assert_eq!(
        res.headers()["content-disposition"],
        "attachment; filename=\"loopdesk-report-2026-11-23-2026-11-23.csv\""
    );
    let text = res.text().await.unwrap();
    assert!(text.starts_with('\u{feff}'), "BOM for spreadsheet programs");
    let lines: Vec<&str> = text.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines[0], "统计期间,2026-11-23,2026-11-23");
    assert!(
        lines.contains(&format!("工单量,{tickets}").as_str()),
        "{text}"
    );
    assert!(
        lines.contains(&format!("投诉,complaint,{complaints}").as_str()),
        "{text}"
    );
    assert!(lines
        .iter()
        .any(|l| l.starts_with("时限达标,达标,已超时,已违约,进行中,达标率")));

    // Refused filters are named; nothing is computed.
    for (query, field) in [
        ("from=2026-13-01", "from"),
        ("from=2026-11-23&to=2026-11-01", "to"),
        ("from=2025-01-01&to=2026-11-23", "to"),
        ("kind=rumour", "kind"),
        ("department=nope", "department"),
    ] {
        let (s, e) = get(&app, &boss, &format!("/api/v1/reports?{query}")).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{query}: {e}");
        assert_eq!(e["field"], field, "{query}: {e}");
    }
}

#[tokio::test]
async fn only_supervisors_and_administrators_reach_supervision() {
    let app = TestApp::spawn().await;
    let paths = [
        "/api/v1/metrics/summary",
        "/api/v1/reports",
        "/api/v1/reports/csv",
        "/api/v1/wallboard/live",
    ];
    let anonymous = app.client();
    let agent = login(&app, "agent").await;
    let customer = app.client();
    let r = app
        .api_login(&customer, "13800000001", crate::test_app::PASSWORD)
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let boss = login(&app, "supervisor").await;
    let admin = login(&app, "admin").await;
    for path in paths {
        for (who, c, expected) in [
            ("anonymous", &anonymous, StatusCode::UNAUTHORIZED),
            ("customer", &customer, StatusCode::FORBIDDEN),
            ("agent", &agent, StatusCode::FORBIDDEN),
            ("supervisor", &boss, StatusCode::OK),
            ("admin", &admin, StatusCode::OK),
        ] {
            let res = c.get(app.url(path)).send().await.unwrap();
            assert_eq!(res.status(), expected, "{who} {path}");
        }
    }
    // Server functions of the pages too.
    for (path, body) in [
        ("/api/supervision/wallboard", json!({})),
        ("/api/supervision/quality", json!({})),
        ("/api/supervision/report", json!({"query": {}})),
    ] {
        let res = agent.post(app.url(path)).json(&body).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "agent {path}");
        let res = boss.post(app.url(path)).json(&body).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK, "supervisor {path}");
    }
}

#[tokio::test]
async fn supervisors_score_calls_and_agents_read_their_own_results() {
    let app = TestApp::spawn().await;
    let admin = login(&app, "admin").await;
    let boss = login(&app, "supervisor").await;
    let agent = login(&app, "agent").await;
    let agent2 = login(&app, "agent2").await;
    app.clock.advance(Duration::minutes(10));
    cti(
        &app,
        &admin,
        "newCall",
        "q1",
        "13800000001",
        "2026-11-23T02:00:00Z",
        Some("agent"),
    )
    .await;
    cti(
        &app,
        &admin,
        "answer",
        "q1",
        "13800000001",
        "2026-11-23T02:00:05Z",
        Some("agent"),
    )
    .await;
    cti(
        &app,
        &admin,
        "hangup",
        "q1",
        "13800000001",
        "2026-11-23T02:04:00Z",
        None,
    )
    .await;

    // The quality page seeds the scorecard on first use.
    let (s, q) = post(&app, &boss, "/api/supervision/quality", json!({})).await;
    assert_eq!(s, StatusCode::OK, "{q}");
    let card = &q["scorecards"][0];
    let id = card["id"].as_str().unwrap().to_owned();
    let keys: Vec<(String, u64)> = card["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c[0].as_str().unwrap().to_owned(), c[2].as_u64().unwrap()))
        .collect();
    // The sample offers the handled call, for 王芳.
    let (s, sample) = post(
        &app,
        &boss,
        "/api/supervision/sample",
        json!({"agent": "", "days": 7, "per_agent": 5, "seed": 1}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{sample}");
    assert!(
        sample
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["id"] == "q1" && i["agent"]["name"] == "王芳"),
        "{sample}"
    );

    let scores = |accuracy: u64| -> Value {
        keys.iter()
            .map(|(k, w)| json!([k, if k == "accuracy" { accuracy } else { *w }]))
            .collect()
    };
    let review = |accuracy: u64| json!({"input": {"scorecard": id, "kind": "call", "subject": "q1", "scores": scores(accuracy), "comment": "语速偏快"}});
    // Above the criterion's points: refused, nothing stored.
    let (s, e) = post(&app, &boss, "/api/supervision/review", review(31)).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert!(e.to_string().contains("accuracy"), "{e}");
    // Agents may not score.
    let (s, _) = post(&app, &agent2, "/api/supervision/review", review(20)).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, v) = post(&app, &boss, "/api/supervision/review", review(20)).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["total"], 90);
    assert_eq!(v["agent"]["name"], "王芳");
    // Once per call and scorecard.
    let (s, e) = post(&app, &boss, "/api/supervision/review", review(25)).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    // An unknown call.
    let bad = json!({"input": {"scorecard": id, "kind": "call", "subject": "nope", "scores": scores(1), "comment": ""}});
    let (s, _) = post(&app, &boss, "/api/supervision/review", bad).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);

    // The agent reads it; the other agent has none.
    let (s, mine) = post(&app, &agent, "/api/supervision/my_reviews", json!({})).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(mine.as_array().unwrap().len(), 1);
    assert_eq!(mine[0]["comment"], "语速偏快");
    let (_, theirs) = post(&app, &agent2, "/api/supervision/my_reviews", json!({})).await;
    assert_eq!(theirs.as_array().unwrap().len(), 0);
    // And it feeds the report's per-agent quality score.
    let (_, r) = get(&app, &boss, "/api/v1/reports?from=2026-11-23&to=2026-11-23").await;
    let wang = r["agents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["who"]["name"] == "王芳")
        .expect("王芳");
    assert_eq!(wang["quality"], 90.0);
    assert_eq!(wang["reviews"], 1);
    assert_eq!(wang["calls"], 1);
}

#[tokio::test]
async fn staffing_plans_from_history_and_checks_goals_and_shifts() {
    let app = TestApp::spawn().await;
    let admin = login(&app, "admin").await;
    let boss = login(&app, "supervisor").await;
    // History: last week (Mon 2026-11-16), 10:00 local: four calls of 180 s.
    for i in 0..4 {
        let id = format!("h{i}");
        let at = |s: i64| {
            (chrono::DateTime::parse_from_rfc3339("2026-11-16T02:00:00Z").unwrap()
                + Duration::seconds(i * 300 + s))
            .to_rfc3339()
        };
        cti(&app, &admin, "newCall", &id, "13712345678", &at(0), None).await;
        cti(
            &app,
            &admin,
            "answer",
            &id,
            "13712345678",
            &at(10),
            Some("agent"),
        )
        .await;
        cti(&app, &admin, "hangup", &id, "13712345678", &at(190), None).await;
    }
    let plan = |week: &str, sl: f64, occupancy: f64| json!({"week": week, "weeks": 1, "service_level": sl, "threshold": 20.0, "occupancy": occupancy});
    let (s, p) = post(
        &app,
        &boss,
        "/api/supervision/staffing",
        plan("2026-11-30", 80.0, 85.0),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{p}");
    assert_eq!(p["week"], "2026-11-30");
    let ten = p["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["date"] == "2026-11-30" && r["time"] == "10:00")
        .expect("10:00");
    assert_eq!(ten["calls"], 4.0);
    assert_eq!(ten["aht_seconds"], 180.0);
    // 4 calls × 180 s in 30 min = 0.4 Erlang: one agent gives 80 % in 20 s? Erlang C says 2.
    let a: f64 = 0.4;
    let sl1 = 1.0 - a * (-(1.0 - a) * 20.0 / 180.0_f64).exp();
    assert!(sl1 < 0.8, "{sl1}");
    assert_eq!(ten["required"], 2);
    assert_eq!(ten["rostered"], 0);
    // A shift covering 10:00–11:00 on that Monday.
    let shift = json!({"input": {"id": "", "agent": "agent", "date": "2026-11-30", "start": "10:00", "end": "11:00"}});
    let (s, _) = post(&app, &boss, "/api/supervision/shift", shift).await;
    assert_eq!(s, StatusCode::OK);
    let (_, p) = post(
        &app,
        &boss,
        "/api/supervision/staffing",
        plan("2026-12-02", 80.0, 85.0),
    )
    .await;
    assert_eq!(p["week"], "2026-11-30", "any date picks its week");
    let ten = p["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["time"] == "10:00")
        .unwrap();
    assert_eq!(ten["rostered"], 1);
    assert_eq!(p["summary"][1], 1.0, "one agent-hour rostered");
    // Bad goals and shifts are named.
    for (body, what) in [
        (plan("", 100.0, 85.0), "服务水平"),
        (plan("", 80.0, 0.0), "占用率"),
        (plan("2026-02-30", 80.0, 85.0), "日期"),
    ] {
        let (s, e) = post(&app, &boss, "/api/supervision/staffing", body).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
        assert!(e.to_string().contains(what), "{what}: {e}");
    }
    let bad = json!({"input": {"id": "", "agent": "agent", "date": "2026-11-30", "start": "10:15", "end": "11:00"}});
    let (s, e) = post(&app, &boss, "/api/supervision/shift", bad).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert!(e.to_string().contains("半点"), "{e}");
    let agent = login(&app, "agent").await;
    let (s, _) = post(
        &app,
        &agent,
        "/api/supervision/staffing",
        plan("", 80.0, 85.0),
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
}
