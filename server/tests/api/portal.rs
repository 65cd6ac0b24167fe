//! The customer portal over HTTP: sign-up with a texted code (and activation of a record
//! staff created), code rules and rate limits, password reset and change, submitting with
//! files (too large, wrong type), downloads, the closed loop from the customer's side, and
//! the isolation matrix: a second customer gets 404 for everything of the first.

use chrono::Duration;
use reqwest::multipart::{Form, Part};
use reqwest::{Client, Method, StatusCode};
use serde_json::{json, Value};

use crate::test_app::{get, login, post, send, TestApp, PASSWORD};

const PNG: &[u8] =
    b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";

async fn code_for(app: &TestApp, c: &Client, phone: &str, purpose: &str) -> (StatusCode, Value) {
    post(
        app,
        c,
        "/api/v1/portal/codes",
        json!({"phone": phone, "purpose": purpose}),
    )
    .await
}

/// Registers a new customer through the API and returns their signed-in client.
async fn sign_up(app: &TestApp, phone: &str, name: &str) -> Client {
    let c = app.client();
    let (s, _) = code_for(app, &c, phone, "register").await;
    assert_eq!(s, StatusCode::ACCEPTED);
    let code = app.last_code(phone).expect("a code was texted");
    let (s, body) = post(
        app,
        &c,
        "/api/v1/portal/register",
        json!({"phone": phone, "code": code, "name": name, "password": "secret123x"}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{body}");
    c
}

fn form(kind: &str, description: &str) -> Form {
    Form::new()
        .text("kind", kind.to_owned())
        .text("category", "billing")
        .text("description", description.to_owned())
        .text("contact_time", "workday_evening")
}

async fn submit(app: &TestApp, c: &Client, form: Form) -> (StatusCode, Value) {
    let r = c
        .post(app.url("/api/v1/portal/tickets"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    let s = r.status();
    (s, r.json().await.unwrap_or(Value::Null))
}

async fn staff_act(app: &TestApp, staff: &Client, id: &str, body: Value) -> Value {
    let (_, t) = get(app, staff, &format!("/api/v1/tickets/{id}")).await;
    let mut body = body;
    body["expected_version"] = t["version"].clone();
    let (s, r) = post(app, staff, &format!("/api/v1/tickets/{id}/actions"), body).await;
    assert_eq!(s, StatusCode::OK, "{r}");
    r
}

#[tokio::test]
async fn sign_up_with_a_texted_code_creates_the_customer_and_signs_in() {
    let app = TestApp::spawn().await;
    let c = app.client();
    let phone = "13912345678";
    let (s, body) = code_for(&app, &c, "+86 139-1234-5678", "register").await;
    assert_eq!(s, StatusCode::ACCEPTED, "{body}");
    assert_eq!(body["phone"], "139****5678");
    assert_eq!(body["activates"], false);
    let code = app.last_code(phone).expect("texted");
    let register = |code: &str, password: &str, name: &str| json!({"phone": phone, "code": code, "name": name, "password": password});
    // Field problems are named and localized; nothing is created.
    let (s, e) = post(
        &app,
        &c,
        "/api/v1/portal/register",
        register(&code, "short", "王芳"),
    )
    .await;
    assert_eq!(
        (s, e["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("password"))
    );
    assert_eq!(e["message"], "密码至少 8 位");
    let (s, e) = post(
        &app,
        &c,
        "/api/v1/portal/register",
        register(&code, "secret123x", " "),
    )
    .await;
    assert_eq!(
        (s, e["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("name"))
    );
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let (s, e) = post(
        &app,
        &c,
        "/api/v1/portal/register",
        register(wrong, "secret123x", "王芳"),
    )
    .await;
    assert_eq!(
        (s, e["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("code"))
    );
    assert_eq!(e["message"], "验证码不正确");
    let (s, body) = post(
        &app,
        &c,
        "/api/v1/portal/register",
        register(&code, "secret123x", "王芳"),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{body}");
    assert_eq!(
        (body["activated"].as_bool(), body["home"].as_str()),
        (Some(false), Some("/portal"))
    );
    let (s, me) = get(&app, &c, "/api/v1/me").await;
    assert_eq!(
        (s, me["user"]["role"]["code"].as_str()),
        (StatusCode::OK, Some("customer")),
        "{me}"
    );
    let found = app
        .state
        .stores
        .customers
        .customers_by_phone(phone)
        .await
        .unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].name, "王芳");
    let (s, home) = get(&app, &c, "/api/v1/portal/home").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(home["open"], json!([]));
    // The code works once; the number now has an account.
    let (s, _) = post(
        &app,
        &app.client(),
        "/api/v1/portal/register",
        register(&code, "secret123x", "王芳"),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    app.clock.advance(Duration::minutes(2));
    let (s, e) = code_for(&app, &app.client(), phone, "register").await;
    assert_eq!(
        (s, e["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("phone"))
    );
    // The new password signs in.
    let fresh = app.client();
    let (s, _) = post(
        &app,
        &fresh,
        "/api/v1/session",
        json!({"username": phone, "password": "secret123x"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
}

#[tokio::test]
async fn signing_up_activates_the_record_staff_created() {
    let app = TestApp::spawn().await;
    let c = app.client();
    // 刘洋 is a customer with an account but no portal account.
    let (s, body) = code_for(&app, &c, "13900000002", "register").await;
    assert_eq!(
        (s, body["activates"].as_bool()),
        (StatusCode::ACCEPTED, Some(true))
    );
    let code = app.last_code("13900000002").unwrap();
    let (s, body) = post(
        &app,
        &c,
        "/api/v1/portal/register",
        json!({"phone": "13900000002", "code": code, "password": "liuyang2026"}),
    )
    .await;
    assert_eq!(
        (s, body["activated"].as_bool()),
        (StatusCode::CREATED, Some(true)),
        "{body}"
    );
    assert_eq!(body["user"]["display_name"], "刘洋");
    let (_, home) = get(&app, &c, "/api/v1/portal/home").await;
    assert_eq!(home["accounts"][0]["number"], "A10000002", "{home}");
    assert_eq!(
        app.state
            .stores
            .customers
            .customers_by_phone("13900000002")
            .await
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
async fn codes_are_rate_limited_expire_and_die_after_wrong_entries() {
    let app = TestApp::spawn().await;
    let c = app.client();
    let phone = "13811112222";
    assert_eq!(
        code_for(&app, &c, phone, "register").await.0,
        StatusCode::ACCEPTED
    );
    // A second code within a minute: 429 with Retry-After.
    let r = c
        .post(app.url("/api/v1/portal/codes"))
        .json(&json!({"phone": phone, "purpose": "register"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry: i64 = r.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(retry, 60, "the first code was sent at the same instant");
    assert_eq!(r.json::<Value>().await.unwrap()["code"], "rate_limited");
    assert_eq!(
        app.sent_messages().len(),
        1,
        "the refused request sent nothing"
    );
    // Bad numbers are named.
    let (s, e) = code_for(&app, &c, "12345", "register").await;
    assert_eq!(
        (s, e["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("phone"))
    );
    // Five wrong entries kill the code, even the right one after that.
    let code = app.last_code(phone).unwrap();
    let wrong = if code == "999999" { "888888" } else { "999999" };
    let body =
        |code: &str| json!({"phone": phone, "code": code, "name": "甲", "password": "secret123x"});
    for _ in 0..5 {
        assert_eq!(
            post(&app, &c, "/api/v1/portal/register", body(wrong))
                .await
                .0,
            StatusCode::UNPROCESSABLE_ENTITY
        );
    }
    let (_, e) = post(&app, &c, "/api/v1/portal/register", body(&code)).await;
    assert_eq!(e["message"], "验证码错误次数过多，请重新获取");
    // A new code after a minute; it expires after ten.
    app.clock.advance(Duration::seconds(61));
    assert_eq!(
        code_for(&app, &c, phone, "register").await.0,
        StatusCode::ACCEPTED
    );
    let code = app.last_code(phone).unwrap();
    app.clock.advance(Duration::minutes(10));
    let (_, e) = post(&app, &c, "/api/v1/portal/register", body(&code)).await;
    assert_eq!(e["field"], "code");
    assert!(e["message"].as_str().unwrap().contains("已过期"), "{e}");
    // At most five codes an hour per number.
    for _ in 0..3 {
        app.clock.advance(Duration::seconds(61));
        assert_eq!(
            code_for(&app, &c, phone, "register").await.0,
            StatusCode::ACCEPTED
        );
    }
    app.clock.advance(Duration::seconds(61));
    assert_eq!(
        code_for(&app, &c, phone, "register").await.0,
        StatusCode::TOO_MANY_REQUESTS
    );
}

#[tokio::test]
async fn sign_in_is_rate_limited_per_address() {
    let app = TestApp::spawn().await;
    let c = app.client();
    // Blank passwords are refused before any hashing, so the limit is cheap to reach.
    for _ in 0..300 {
        let (s, _) = post(
            &app,
            &c,
            "/api/v1/session",
            json!({"username": "agent", "password": ""}),
        )
        .await;
        assert_eq!(s, StatusCode::BAD_REQUEST);
    }
    let r = c
        .post(app.url("/api/v1/session"))
        .json(&json!({"username": "agent", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(r.headers()["retry-after"], "900");
    app.clock.advance(Duration::minutes(16));
    assert_eq!(
        app.api_login(&c, "agent", PASSWORD).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn passwords_are_reset_with_a_code_and_changed_with_the_current_one() {
    let app = TestApp::spawn().await;
    let c = app.client();
    // An unknown number: the same answer, but nothing is texted.
    let (s, _) = code_for(&app, &c, "13700001111", "reset").await;
    assert_eq!(s, StatusCode::ACCEPTED);
    assert!(app.sent_messages().is_empty());
    let (s, _) = code_for(&app, &c, "13800000001", "reset").await;
    assert_eq!(s, StatusCode::ACCEPTED);
    let code = app.last_code("13800000001").unwrap();
    let (s, e) = post(
        &app,
        &c,
        "/api/v1/portal/password/reset",
        json!({"phone": "13800000001", "code": code, "password": "abcdefgh"}),
    )
    .await;
    assert_eq!(
        (s, e["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("password"))
    );
    let (s, body) = post(
        &app,
        &c,
        "/api/v1/portal/password/reset",
        json!({"phone": "13800000001", "code": code, "password": "newpass2026"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert_eq!(
        app.api_login(&app.client(), "13800000001", PASSWORD)
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.api_login(&app.client(), "13800000001", "newpass2026")
            .await
            .status(),
        StatusCode::OK
    );
    // Change: the current password must match; the new one must follow the rule.
    let change =
        |current: &str, new: &str| json!({"current_password": current, "new_password": new});
    let (s, e) = send(
        &app,
        &c,
        Method::PUT,
        "/api/v1/portal/password",
        change("wrong", "other2026x"),
    )
    .await;
    assert_eq!(
        (s, e["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("current_password"))
    );
    let (s, e) = send(
        &app,
        &c,
        Method::PUT,
        "/api/v1/portal/password",
        change("newpass2026", "x00000001"),
    )
    .await;
    assert_eq!(
        (s, e["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("new_password"))
    );
    let (s, _) = send(
        &app,
        &c,
        Method::PUT,
        "/api/v1/portal/password",
        change("newpass2026", "other2026x"),
    )
    .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    assert_eq!(
        app.api_login(&app.client(), "13800000001", "other2026x")
            .await
            .status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn attachments_are_type_checked_size_limited_and_served_safely() {
    let app = TestApp::spawn().await;
    let c = login(&app, "13800000001").await;
    let count = |v: Value| v.as_array().map_or(0, Vec::len);
    let (_, all) = get(&app, &c, "/api/v1/portal/tickets?all=true").await;
    let tickets_before = count(all);
    // Wrong type (a script named .png): 415, nothing written.
    let (s, e) = submit(
        &app,
        &c,
        form("complaint", "多扣费").part(
            "files",
            Part::bytes(b"<script>alert(1)</script>".to_vec()).file_name("a.png"),
        ),
    )
    .await;
    assert_eq!(
        (s, e["field"].as_str()),
        (StatusCode::UNSUPPORTED_MEDIA_TYPE, Some("files")),
        "{e}"
    );
    assert!(e["message"].as_str().unwrap().contains("PDF"));
    // Too large: 413, nothing written.
    let mut big = b"%PDF-1.4\n".to_vec();
    big.resize(5 * 1024 * 1024 + 1, b' ');
    let (s, e) = submit(
        &app,
        &c,
        form("complaint", "多扣费").part("files", Part::bytes(big).file_name("big.pdf")),
    )
    .await;
    assert_eq!(
        (s, e["field"].as_str()),
        (StatusCode::PAYLOAD_TOO_LARGE, Some("files")),
        "{e}"
    );
    let (_, all) = get(&app, &c, "/api/v1/portal/tickets?all=true").await;
    assert_eq!(
        count(all),
        tickets_before,
        "refused submissions wrote nothing"
    );
    // A PNG and a 5 MB PDF are accepted.
    let mut pdf = b"%PDF-1.4\n".to_vec();
    pdf.resize(5 * 1024 * 1024, b' ');
    let (s, t) = submit(
        &app,
        &c,
        form("complaint", "10月账单多扣了20元流量费")
            .part("files", Part::bytes(PNG.to_vec()).file_name("../截图.png"))
            .part("files", Part::bytes(pdf).file_name("账单.pdf")),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{t}");
    let files = t["attachments"].as_array().unwrap();
    assert_eq!(files.len(), 2);
    assert_eq!(files[0]["name"], "截图.png");
    let r = c
        .get(app.url(files[0]["url"].as_str().unwrap()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "image/png");
    assert_eq!(r.headers()["x-content-type-options"], "nosniff");
    assert!(r.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .contains("sandbox"));
    assert!(r.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("inline; "));
    assert_eq!(r.bytes().await.unwrap().as_ref(), PNG);
    let r = c
        .get(app.url(files[1]["url"].as_str().unwrap()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["content-type"], "application/pdf");
    let disposition = r.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        disposition.starts_with("attachment; ")
            && disposition.contains("filename*=UTF-8''%E8%B4%A6%E5%8D%95.pdf"),
        "{disposition}"
    );
    // Staff may read the customer's files.
    let staff = login(&app, "agent").await;
    let r = staff
        .get(app.url(files[0]["url"].as_str().unwrap()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    // Anonymous: 401.
    let r = app
        .client()
        .get(app.url(files[0]["url"].as_str().unwrap()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_customer_closes_the_loop_from_the_portal() {
    let app = TestApp::spawn().await;
    let c = login(&app, "13800000001").await;
    let staff = login(&app, "agent").await;
    let (_, notices) = get(&app, &c, "/api/v1/portal/notices").await;
    let unread_before = notices["unread"].as_u64().unwrap();
    let (s, t) = submit(
        &app,
        &c,
        form("complaint", "宽带每晚断线\n已持续一周").text("account", "A10000001"),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{t}");
    let id = t["row"]["id"].as_str().unwrap().to_owned();
    assert_eq!(t["row"]["subject"], "宽带每晚断线");
    assert_eq!(t["row"]["state"]["code"], "new");
    assert_eq!(t["row"]["promise"]["kind"], "contact");
    assert_eq!(t["account"], "A10000001");
    assert_eq!(t["contact_time"]["code"], "workday_evening");
    let (_, staff_view) = get(&app, &staff, &format!("/api/v1/tickets/{id}")).await;
    assert_eq!(staff_view["channel"]["code"], "portal", "{staff_view}");
    let ack_due = staff_view["sla"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["target"]["code"] == "acknowledge")
        .unwrap()["due_at"]
        .clone();
    assert_eq!(t["row"]["promise"]["due_at"], ack_due);

    // Staff acknowledge and leave an internal note: the customer sees the state and a notice,
    // never the note or a staff name.
    staff_act(&app, &staff, &id, json!({"action": "acknowledge"})).await;
    staff_act(
        &app,
        &staff,
        &id,
        json!({"action": "comment", "text": "内部：疑似光猫故障", "visibility": "internal"}),
    )
    .await;
    staff_act(
        &app,
        &staff,
        &id,
        json!({"action": "comment", "text": "请问断线一般在几点？", "visibility": "customer"}),
    )
    .await;
    let (_, t) = get(&app, &c, &format!("/api/v1/portal/tickets/{id}")).await;
    assert_eq!(t["row"]["state"]["code"], "acknowledged");
    assert_eq!(t["row"]["promise"]["kind"], "answer");
    let text = t["timeline"].to_string();
    assert!(!text.contains("光猫故障"), "internal note leaked: {text}");
    assert!(
        text.contains("工号 agent") && text.contains("请问断线一般在几点"),
        "{text}"
    );
    let (_, notices) = get(&app, &c, "/api/v1/portal/notices").await;
    assert_eq!(
        notices["unread"].as_u64(),
        Some(unread_before + 2),
        "{notices}"
    );
    let number = t["row"]["number"].as_str().unwrap();
    let mine: Vec<&str> = notices["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["number"] == number)
        .map(|n| n["text"].as_str().unwrap())
        .collect();
    assert_eq!(mine.len(), 2, "{notices}");
    assert!(
        mine.iter().any(|t| t.contains("已受理")) && mine.iter().any(|t| t.contains("新留言")),
        "{mine:?}"
    );
    let (_, marked) = post(&app, &c, "/api/v1/portal/notices/read", json!({})).await;
    assert_eq!(marked["marked"].as_u64(), Some(unread_before + 2));
    let (_, notices) = get(&app, &c, "/api/v1/portal/notices").await;
    assert_eq!(notices["unread"], 0);

    // The customer replies (a stale version is a conflict).
    let (s, _) = post(
        &app,
        &c,
        &format!("/api/v1/portal/tickets/{id}/replies"),
        json!({"text": "晚上九点左右", "expected_version": 1}),
    )
    .await;
    assert_eq!(s, StatusCode::CONFLICT);
    let v = t["version"].clone();
    let (s, t) = post(
        &app,
        &c,
        &format!("/api/v1/portal/tickets/{id}/replies"),
        json!({"text": "晚上九点左右", "expected_version": v}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{t}");
    // Confirming before an answer is refused.
    let (s, _) = post(
        &app,
        &c,
        &format!("/api/v1/portal/tickets/{id}/confirm"),
        json!({"satisfied": true, "rating": 5, "expected_version": t["version"]}),
    )
    .await;
    assert_eq!(s, StatusCode::CONFLICT);

    staff_act(
        &app,
        &staff,
        &id,
        json!({"action": "reply", "resolution": "已更换光猫", "cause_category": "equipment"}),
    )
    .await;
    // The answer (and the earlier message) were texted to the customer; the acknowledge was not.
    let texts: Vec<String> = app
        .sent_messages()
        .iter()
        .filter(|m| m["to"]["to"] == "13800000001" && m["purpose"] == "ticket_notice")
        .map(|m| m["text"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(texts.len(), 2, "{texts:?}");
    assert!(
        texts[1].contains("已答复") && texts[1].contains(number),
        "{texts:?}"
    );
    let (_, t) = get(&app, &c, &format!("/api/v1/portal/tickets/{id}")).await;
    assert_eq!(
        (
            t["can_confirm"].as_bool(),
            t["row"]["promise"]["kind"].as_str()
        ),
        (Some(true), Some("confirm"))
    );
    assert!(
        !t["timeline"].to_string().contains("equipment"),
        "cause categories are internal"
    );
    // Not satisfied: reopened (and escalated, a complaint).
    let (s, e) = post(
        &app,
        &c,
        &format!("/api/v1/portal/tickets/{id}/confirm"),
        json!({"satisfied": false, "rating": 9, "expected_version": t["version"]}),
    )
    .await;
    assert_eq!(
        (s, e["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("rating"))
    );
    let (s, t) = post(&app, &c, &format!("/api/v1/portal/tickets/{id}/confirm"), json!({"satisfied": false, "rating": 2, "comment": "还是断", "expected_version": t["version"]})).await;
    assert_eq!(s, StatusCode::OK, "{t}");
    assert_eq!(t["row"]["state"]["code"], "in_progress");
    let (_, staff_view) = get(&app, &staff, &format!("/api/v1/tickets/{id}")).await;
    assert_eq!(
        (
            staff_view["reopen_count"].as_u64(),
            staff_view["escalation_level"].as_u64()
        ),
        (Some(1), Some(1)),
        "{staff_view}"
    );
    // Answered again, then satisfied: archived.
    staff_act(
        &app,
        &staff,
        &id,
        json!({"action": "reply", "resolution": "已派人上门更换线路", "cause_category": "line"}),
    )
    .await;
    let (_, t) = get(&app, &c, &format!("/api/v1/portal/tickets/{id}")).await;
    let (s, t) = post(&app, &c, &format!("/api/v1/portal/tickets/{id}/confirm"), json!({"satisfied": true, "rating": 5, "comment": "好了", "expected_version": t["version"]})).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(t["row"]["state"]["code"], "closed");
    assert_eq!(
        (t["can_reply"].as_bool(), t["can_confirm"].as_bool()),
        (Some(false), Some(false))
    );
    let kinds: Vec<&str> = t["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "submitted",
            "state",
            "message",
            "message",
            "answer",
            "confirmed",
            "answer",
            "confirmed"
        ]
    );
    // No longer open.
    let (_, open) = get(&app, &c, "/api/v1/portal/tickets").await;
    assert!(!open.to_string().contains(&id));
}

#[tokio::test]
async fn a_customer_reply_resumes_a_ticket_waiting_for_them() {
    let app = TestApp::spawn().await;
    let c = login(&app, "13800000001").await;
    let staff = login(&app, "agent").await;
    let (_, t) = submit(&app, &c, form("fault_report", "无法上网")).await;
    let id = t["row"]["id"].as_str().unwrap().to_owned();
    staff_act(&app, &staff, &id, json!({"action": "acknowledge"})).await;
    let (_, depts) = get(&app, &staff, "/api/v1/departments").await;
    let own = depts
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "service_center")
        .unwrap()["id"]
        .clone();
    staff_act(
        &app,
        &staff,
        &id,
        json!({"action": "dispatch", "department": own, "note": "-"}),
    )
    .await;
    staff_act(&app, &staff, &id, json!({"action": "accept"})).await;
    staff_act(
        &app,
        &staff,
        &id,
        json!({"action": "pause", "reason": "等客户提供光猫型号"}),
    )
    .await;
    let (_, t) = get(&app, &c, &format!("/api/v1/portal/tickets/{id}")).await;
    assert_eq!(t["row"]["promise"]["kind"], "waiting_for_you");
    let (s, t) = post(
        &app,
        &c,
        &format!("/api/v1/portal/tickets/{id}/replies"),
        json!({"text": "型号 HG8245", "expected_version": t["version"]}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{t}");
    assert_eq!(t["row"]["state"]["code"], "in_progress");
    assert!(
        !t["timeline"].to_string().contains("光猫型号"),
        "pause reasons are internal"
    );
}

#[tokio::test]
async fn another_customers_ids_are_not_found_everywhere() {
    let app = TestApp::spawn().await;
    let owner = login(&app, "13800000001").await;
    let (s, t) = submit(
        &app,
        &owner,
        form("complaint", "我的诉求").part("files", Part::bytes(PNG.to_vec()).file_name("a.png")),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED);
    let id = t["row"]["id"].as_str().unwrap().to_owned();
    let file = t["attachments"][0]["url"].as_str().unwrap().to_owned();
    let version = t["version"].clone();
    let other = sign_up(&app, "13566667777", "李四").await;

    let gets = [
        format!("/api/v1/portal/tickets/{id}"),
        file.clone(),
        "/api/v1/portal/bills/A10000001/2026-10/csv".to_owned(),
    ];
    for path in &gets {
        let (s, body) = get(&app, &other, path).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "GET {path}: {body}");
        // The owner reaches the same paths.
        let r = owner.get(app.url(path)).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK, "owner GET {path}");
    }
    let posts = [
        (
            format!("/api/v1/portal/tickets/{id}/replies"),
            json!({"text": "x", "expected_version": version}),
        ),
        (
            format!("/api/v1/portal/tickets/{id}/confirm"),
            json!({"satisfied": true, "rating": 5, "expected_version": version}),
        ),
    ];
    for (path, body) in &posts {
        let (s, e) = post(&app, &other, path, body.clone()).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "POST {path}: {e}");
    }
    // A staff route is refused to customers whatever the id: nothing to learn from it.
    let staff_route = format!("/api/v1/tickets/{id}/actions");
    let body = json!({"action": "comment", "text": "x", "visibility": "customer", "expected_version": version});
    for c in [&other, &owner] {
        let (s, e) = post(&app, c, &staff_route, body.clone()).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "POST {staff_route}: {e}");
    }
    let r = other
        .post(app.url(&format!("/api/v1/portal/tickets/{id}/attachments")))
        .multipart(Form::new().part("files", Part::bytes(PNG.to_vec()).file_name("b.png")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    // The portal page of the request.
    let r = other
        .get(app.url(&format!("/portal/requests/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = owner
        .get(app.url(&format!("/portal/requests/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    // Lists and home show none of it; someone else's account cannot be named.
    for path in [
        "/api/v1/portal/tickets?all=true",
        "/api/v1/portal/home",
        "/api/v1/portal/notices",
        "/api/v1/portal/bills",
    ] {
        let (s, body) = get(&app, &other, path).await;
        assert_eq!(s, StatusCode::OK, "{path}");
        let text = body.to_string();
        assert!(
            !text.contains(&id) && !text.contains("A10000001"),
            "{path}: {text}"
        );
    }
    let (s, e) = submit(
        &app,
        &other,
        form("inquiry", "x").text("account", "A10000001"),
    )
    .await;
    assert_eq!(
        (s, e["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("account"))
    );
    // Staff routes stay closed to customers.
    let (s, _) = get(&app, &other, &format!("/api/v1/tickets/{id}")).await;
    assert!(
        s == StatusCode::NOT_FOUND || s == StatusCode::FORBIDDEN,
        "{s}"
    );
}

#[tokio::test]
async fn bills_download_as_csv() {
    let app = TestApp::spawn().await;
    let c = login(&app, "13800000001").await;
    let (s, b) = get(&app, &c, "/api/v1/portal/bills").await;
    assert_eq!(s, StatusCode::OK);
    let bill = &b["bills"][0];
    let (account, period) = (
        bill["account"].as_str().unwrap(),
        bill["period"].as_str().unwrap(),
    );
    let r = c
        .get(app.url(&format!("/api/v1/portal/bills/{account}/{period}/csv")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK, "{:?}", r.text().await);
    assert_eq!(r.headers()["content-type"], "text/csv; charset=utf-8");
    assert!(r.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment; "));
    let text = r.text().await.unwrap();
    let text = text.trim_start_matches('\u{feff}');
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "账户,账期,缴费截止日,项目,金额（元）");
    assert!(lines.last().unwrap().contains(",合计,"), "{text}");
    assert_eq!(lines.len(), bill["items"].as_array().unwrap().len() + 2);
    let total = bill["total"].as_i64().unwrap();
    assert!(
        lines
            .last()
            .unwrap()
            .ends_with(&format!("{}.{:02}", total / 100, total % 100)),
        "{text}"
    );
    let (s, e) = get(
        &app,
        &c,
        "/api/v1/portal/bills?from=2026-12-01&to=2026-01-01",
    )
    .await;
    assert_eq!(
        (s, e["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("from"))
    );
}
