//! REST conventions: transaction ids, error shape, bad bodies, health checks.

use reqwest::StatusCode;
use serde_json::Value;

use crate::test_app::TestApp;

#[tokio::test]
async fn transaction_id_is_echoed_or_generated() {
    let app = TestApp::spawn().await;
    let client = app.client();
    let res = client
        .get(app.url("/api/v1/me"))
        .header("x-transaction-id", "crm-20261123-0001")
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["x-transaction-id"], "crm-20261123-0001");
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["transaction_id"], "crm-20261123-0001");

    let res = client.get(app.url("/healthz")).send().await.unwrap();
    let generated = res.headers()["x-transaction-id"]
        .to_str()
        .unwrap()
        .to_owned();
    assert_eq!(generated.len(), 36, "a UUID is generated: {generated}");

    // An unusable id is replaced, not echoed.
    let res = client
        .get(app.url("/healthz"))
        .header("x-transaction-id", "bad id with spaces")
        .send()
        .await
        .unwrap();
    assert_ne!(res.headers()["x-transaction-id"], "bad id with spaces");
}

async fn post_raw(app: &TestApp, body: Vec<u8>, content_type: Option<&str>) -> (StatusCode, Value) {
    let mut req = app.client().post(app.url("/api/v1/session")).body(body);
    if let Some(ct) = content_type {
        req = req.header("content-type", ct);
    }
    let res = req.send().await.unwrap();
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn malformed_bodies_get_clear_4xx_answers_never_500() {
    let app = TestApp::spawn().await;
    let json = Some("application/json");

    let (status, body) = post_raw(&app, b"{\"username\": \"agent\",".to_vec(), json).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["code"], "validation");
    let msg = body["message"].as_str().unwrap();
    assert!(msg.contains("JSON") && msg.contains("line 1"), "{msg}");

    let (status, body) = post_raw(&app, b"{\"username\": \"agent\"}".to_vec(), json).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body["message"].as_str().unwrap().contains("password"),
        "{body}"
    );

    let (status, _) = post_raw(&app, b"username=agent".to_vec(), None).await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);

    let big = format!(
        "{{\"username\": \"{}\", \"password\": \"x\"}}",
        "a".repeat(1_100_000)
    );
    let (status, body) = post_raw(&app, big.into_bytes(), json).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(body["code"], "validation");

    let (status, body) =
        post_raw(&app, br#"{"username": "", "password": ""}"#.to_vec(), json).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["code"], "validation");

    let long = format!(r#"{{"username": "{}", "password": "x"}}"#, "a".repeat(65));
    let (status, _) = post_raw(&app, long.into_bytes(), json).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn errors_are_localized_by_accept_language() {
    let app = TestApp::spawn().await;
    let client = app.client();
    let ask = |lang: &'static str| {
        client
            .get(app.url("/api/v1/me"))
            .header("accept-language", lang)
            .send()
    };
    let zh: Value = ask("zh-CN").await.unwrap().json().await.unwrap();
    let en: Value = ask("en-US,en;q=0.9").await.unwrap().json().await.unwrap();
    assert_eq!(zh["message"], "请先登录。");
    assert_eq!(en["message"], "Please sign in first.");
}

#[tokio::test]
async fn unknown_api_paths_are_json_404s() {
    let app = TestApp::spawn().await;
    let res = app
        .client()
        .get(app.url("/api/v1/nothing-here"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["code"], "not_found");
}

#[tokio::test]
async fn health_and_readiness() {
    let app = TestApp::spawn().await;
    let client = app.client();
    let res = client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let res = client.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.text().await.unwrap(), "ready");
}

#[tokio::test]
async fn every_documented_path_is_routed_and_the_document_is_served() {
    let app = TestApp::spawn().await;
    let client = app.client();
    let r = client
        .get(app.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let doc: serde_json::Value = r.json().await.unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    let paths = doc["paths"].as_object().expect("paths");
    assert!(paths.len() >= 14);
    for (path, ops) in paths {
        let concrete = path
            .replace("{id}", &uuid::Uuid::nil().to_string())
            .replace("{code}", "office");
        for method in ops.as_object().unwrap().keys() {
            let url = app.url(&format!("/api/v1{concrete}"));
            let req = match method.as_str() {
                "get" => client.get(url),
                "post" => client.post(url).json(&serde_json::json!({})),
                "put" => client.put(url).json(&serde_json::json!({})),
                "delete" => client.delete(url),
                other => panic!("unexpected method {other}"),
            };
            let status = req.send().await.unwrap().status().as_u16();
            assert!(
                status != 404 && status != 405 && status < 500,
                "{method} {path} answered {status}"
            );
        }
    }
}
