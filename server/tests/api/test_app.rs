//! `TestApp`: spawns the real application on port 0 with a fresh SQLite file, demo data
//! and a clock the test moves by hand. With `LOOPDESK_TEST_HTTP_BACKEND=postgres` every
//! HTTP test runs on a fresh PostgreSQL database instead (the server of `crate::pg`), so the
//! whole HTTP suite can be run on either backend.

use std::sync::{Arc, Mutex};

use app::state::AppState;
use chrono::{DateTime, Duration, TimeZone, Utc};
use loopdesk::clock::Clock;
use reqwest::{Client, Response};
use serde_json::json;
use server::config::{Config, DatabaseUrl};
use server::startup::Application;
use tokio::sync::oneshot;

pub const PASSWORD: &str = "loopdesk-demo";

/// A clock that only moves when told to.
pub struct ManualClock(Mutex<DateTime<Utc>>);

impl ManualClock {
    pub fn advance(&self, by: Duration) {
        let mut now = self.0.lock().expect("clock lock");
        *now += by;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().expect("clock lock")
    }
}

pub struct TestApp {
    pub base: String,
    pub clock: Arc<ManualClock>,
    pub state: AppState,
    _dir: Arc<tempfile::TempDir>,
    _postgres: Option<Arc<crate::pg::Server>>,
    pg_pool: Option<sqlx::PgPool>,
    stop: Option<oneshot::Sender<()>>,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

pub fn config(db_url: &str) -> Config {
    Config {
        database_url: DatabaseUrl::parse(db_url).expect("sqlite url"),
        addr: "127.0.0.1:0".parse().expect("addr"),
        secure_cookies: false,
        session_idle_minutes: 120,
        site_root: "target/site".into(),
        sweep_seconds: 0,
        billing_url: None,
        sms_spool: None,
        service_targets: loopdesk::metrics::ServiceTargets::default(),
        demo_history_days: 0,
        request_timeout_seconds: 30,
        api_rate: server::api::rate::RateSettings::default(),
    }
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        let dir = Arc::new(tempfile::tempdir().expect("temp dir"));
        if std::env::var("LOOPDESK_TEST_HTTP_BACKEND").as_deref() == Ok("postgres") {
            let server = Arc::new(crate::pg::Server::start());
            let db_url = server.fresh_database().await;
            let mut app = Self::spawn_on(dir, db_url).await;
            app._postgres = Some(server);
            return app;
        }
        let db_url = format!("sqlite://{}/test.db?mode=rwc", dir.path().display());
        Self::spawn_on(dir, db_url).await
    }

    pub async fn spawn_on(dir: Arc<tempfile::TempDir>, db_url: String) -> TestApp {
        Self::spawn_with(dir, db_url, |_| {}).await
    }

    /// Like [`TestApp::spawn_on`], with the configuration adjusted by `tweak` first.
    pub async fn spawn_with(
        dir: Arc<tempfile::TempDir>,
        db_url: String,
        tweak: impl FnOnce(&mut Config),
    ) -> TestApp {
        let clock = Arc::new(ManualClock(Mutex::new(
            Utc.with_ymd_and_hms(2026, 11, 23, 2, 0, 0).unwrap(),
        )));
        let mut cfg = config(&db_url);
        tweak(&mut cfg);
        cfg.sms_spool = Some(dir.path().join("sms.jsonl"));
        let app = Application::build(cfg, true, clock.clone())
            .await
            .expect("the application builds");
        let base = format!("http://{}", app.local_addr());
        let pg_pool = match db_url.starts_with("postgres") {
            true => Some(
                sqlx::PgPool::connect(&db_url)
                    .await
                    .expect("a PostgreSQL pool"),
            ),
            false => None,
        };
        let state = app.state().clone();
        let (stop, stopped) = oneshot::channel();
        tokio::spawn(app.run_until(async move {
            let _ = stopped.await;
        }));
        TestApp {
            base,
            clock,
            state,
            _dir: dir,
            _postgres: None,
            pg_pool,
            stop: Some(stop),
        }
    }

    /// A browser-like client: keeps cookies, does not follow redirects, and gives up after
    /// 30 s so that a stuck request fails the test instead of stalling the run.
    pub fn client(&self) -> Client {
        Client::builder()
            .cookie_store(true)
            .timeout(std::time::Duration::from_secs(30))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client")
    }

    /// The texts sent so far (the SMS spool), oldest first.
    pub fn sent_messages(&self) -> Vec<serde_json::Value> {
        let path = self._dir.path().join("sms.jsonl");
        std::fs::read_to_string(path)
            .unwrap_or_default()
            .lines()
            .map(|l| serde_json::from_str(l).expect("spool line"))
            .collect()
    }

    /// The last verification code texted to `phone`.
    pub fn last_code(&self, phone: &str) -> Option<String> {
        self.sent_messages()
            .iter()
            .rev()
            .find(|m| m["to"]["to"] == phone && m["purpose"] == "verification_code")
            .and_then(|m| m["text"].as_str().map(str::to_owned))
            .and_then(|t| {
                t.split(|c: char| !c.is_ascii_digit())
                    .find(|w| w.len() == 6)
                    .map(str::to_owned)
            })
    }

    /// A pool on the instance's PostgreSQL database (none on SQLite).
    pub fn postgres_pool(&self) -> Option<sqlx::PgPool> {
        self.pg_pool.clone()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub async fn api_login(&self, client: &Client, username: &str, password: &str) -> Response {
        client
            .post(self.url("/api/v1/session"))
            .json(&json!({ "username": username, "password": password }))
            .send()
            .await
            .expect("request")
    }

    pub async fn me_with_cookie(&self, cookie: &str) -> Response {
        Client::new()
            .get(self.url("/api/v1/me"))
            .header("cookie", cookie)
            .send()
            .await
            .expect("request")
    }
}

/// The `name=value` of the session cookie a response sets.
pub fn session_cookie(response: &Response) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(server::startup::SESSION_COOKIE))
        .and_then(|v| v.split(';').next())
        .map(str::to_owned)
}

/// A browser-like client signed in as `user` (fails the test otherwise).
pub async fn login(app: &TestApp, user: &str) -> Client {
    let c = app.client();
    assert_eq!(
        app.api_login(&c, user, PASSWORD).await.status(),
        reqwest::StatusCode::OK
    );
    c
}

/// `GET` a path: status and JSON body (`null` when there is none).
pub async fn get(
    app: &TestApp,
    c: &Client,
    path: &str,
) -> (reqwest::StatusCode, serde_json::Value) {
    let r = c.get(app.url(path)).send().await.unwrap();
    let s = r.status();
    (s, r.json().await.unwrap_or(serde_json::Value::Null))
}

/// A JSON request: status and JSON body (`null` when there is none).
pub async fn send(
    app: &TestApp,
    c: &Client,
    method: reqwest::Method,
    path: &str,
    body: serde_json::Value,
) -> (reqwest::StatusCode, serde_json::Value) {
    let r = c
        .request(method, app.url(path))
        .json(&body)
        .send()
        .await
        .unwrap();
    let s = r.status();
    (s, r.json().await.unwrap_or(serde_json::Value::Null))
}

/// `POST` JSON.
pub async fn post(
    app: &TestApp,
    c: &Client,
    path: &str,
    body: serde_json::Value,
) -> (reqwest::StatusCode, serde_json::Value) {
    send(app, c, reqwest::Method::POST, path, body).await
}

/// The real `server` binary with `args` on `database_url`: exit code and what it printed.
pub fn server_command(database_url: &str, args: &[&str]) -> (i32, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_server"))
        .args(args)
        .env("DATABASE_URL", database_url)
        .env("RUST_LOG", "warn")
        .output()
        .expect("the server binary runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}
