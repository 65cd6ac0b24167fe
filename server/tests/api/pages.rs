//! Server-rendered pages: guard redirects, role homes, localized 403/404.

use reqwest::StatusCode;

use crate::test_app::{TestApp, PASSWORD};

#[tokio::test]
async fn anonymous_visitors_are_sent_to_sign_in() {
    let app = TestApp::spawn().await;
    for path in ["/agent", "/supervisor", "/admin/users", "/portal"] {
        let res = app.client().get(app.url(path)).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{path}");
        let location = res.headers()["location"].to_str().unwrap().to_owned();
        assert_eq!(
            location,
            format!("/login?next={}", path.replace('/', "%2F"))
        );
    }
    let login = app.client().get(app.url("/login")).send().await.unwrap();
    assert_eq!(login.status(), StatusCode::OK);
    let html = login.text().await.unwrap();
    assert!(html.contains("用户名或手机号"), "Chinese by default");
    assert!(html.contains(r#"action="/auth/login""#));
}

#[tokio::test]
async fn each_role_gets_its_home_and_a_localized_403_elsewhere() {
    let app = TestApp::spawn().await;
    let customer = app.client();
    app.api_login(&customer, "13800000001", PASSWORD).await;
    let res = customer.get(app.url("/portal")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.text().await.unwrap().contains("张明"));

    let res = customer
        .get(app.url("/agent"))
        .header("accept-language", "zh-CN")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert!(res.text().await.unwrap().contains("无权访问"));

    let agent = app.client();
    app.api_login(&agent, "agent", PASSWORD).await;
    assert_eq!(
        agent.get(app.url("/agent")).send().await.unwrap().status(),
        StatusCode::OK
    );
    let res = agent
        .get(app.url("/supervisor"))
        .header("accept-language", "en")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("Access denied"),
        "English from Accept-Language"
    );
    assert!(html.contains(r#"lang="en""#));
}

#[tokio::test]
async fn unknown_pages_and_sections_are_404() {
    let app = TestApp::spawn().await;
    let agent = app.client();
    app.api_login(&agent, "agent", PASSWORD).await;
    for path in ["/no-such-page", "/agent/no-such-section"] {
        let res = agent.get(app.url(path)).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{path}");
        assert!(res.text().await.unwrap().contains("页面不存在"));
    }
}

#[tokio::test]
async fn the_language_choice_is_stored_for_the_user() {
    let app = TestApp::spawn().await;
    let agent = app.client();
    app.api_login(&agent, "agent", PASSWORD).await;
    let res = agent
        .post(app.url("/auth/locale"))
        .form(&[("lang", "en"), ("return_to", "/agent")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()["location"], "/agent");
    // A new client (no language cookie) signing in as the same user gets English.
    let other = app.client();
    app.api_login(&other, "agent", PASSWORD).await;
    let html = other
        .get(app.url("/agent"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Agent console"));
    // An open redirect is not possible through return_to.
    let res = agent
        .post(app.url("/auth/locale"))
        .form(&[("lang", "zh-CN"), ("return_to", "//evil.example/")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["location"], "/");
}

/// Many concurrent renders of every kind of page (home, section, 404 route, 404 fallback,
/// sign-in) all complete with the right status.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_page_renders_all_complete() {
    let app = TestApp::spawn().await;
    let agent = app.client();
    app.api_login(&agent, "agent", PASSWORD).await;
    for (path, want) in [
        ("/agent", StatusCode::OK),
        ("/agent/tickets", StatusCode::OK),
        ("/agent/no-such-section", StatusCode::NOT_FOUND),
        ("/no-such-page", StatusCode::NOT_FOUND),
        ("/admin", StatusCode::FORBIDDEN),
    ] {
        let requests: Vec<_> = (0..100)
            .map(|_| {
                let (client, url) = (agent.clone(), app.url(path));
                tokio::spawn(async move { client.get(url).send().await.map(|r| r.status()) })
            })
            .collect();
        for request in requests {
            let status = request.await.expect("task").expect("response");
            assert_eq!(status, want, "{path}");
        }
    }
}
