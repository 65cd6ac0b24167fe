//! The real server binary as a child process (for tests and benchmarks that need separate
//! instances or a SIGKILL): started on a database URL with an OS-chosen port, read from the
//! address line it prints; killed when dropped. Shared by `instances.rs` and
//! `benches/instances.rs`.

use std::io::BufRead;

/// The demo password of every demo login.
pub const DEMO_PASSWORD: &str = "loopdesk-demo";

/// A running server process.
pub struct Process {
    child: std::process::Child,
    /// `http://127.0.0.1:port`.
    pub base: String,
}

impl Process {
    /// Starts the binary on `database_url` (`--demo` seeds an empty database).
    pub fn start(database_url: &str, demo: bool) -> Process {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_server"));
        if demo {
            cmd.arg("--demo");
        }
        let mut child = cmd
            .env("DATABASE_URL", database_url)
            .env("LOOPDESK_ADDR", "127.0.0.1:0")
            .env("LOOPDESK_DEMO_HISTORY_DAYS", "0")
            // Every simulated agent comes from this one address: the per-IP API limit would
            // measure itself, not the server.
            .env("LOOPDESK_API_RATE_LIMIT", "off")
            .env("RUST_LOG", "warn")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("the server binary starts");
        let out = child.stdout.take().expect("stdout");
        let mut lines = std::io::BufReader::new(out).lines();
        let base = loop {
            let line = lines
                .next()
                .expect("the server prints its address before anything fails")
                .expect("stdout");
            if let Some(rest) = line.split("running at ").nth(1) {
                break rest.trim().to_owned();
            }
        };
        // Keep reading so the server never blocks on a full pipe.
        std::thread::spawn(move || lines.for_each(drop));
        Process { child, base }
    }

    /// SIGKILL: no graceful shutdown, open connections cut.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Resident memory in MiB (from /proc).
    pub fn rss_mib(&self) -> f64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .unwrap_or_default();
        status
            .lines()
            .find(|l| l.starts_with("VmRSS:"))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
            / 1024.0
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A cookie-keeping client signed in as a demo `user` on the server at `base`.
pub async fn signed_in(base: &str, user: &str) -> reqwest::Client {
    let c = reqwest::Client::builder()
        .cookie_store(true)
        .timeout(std::time::Duration::from_secs(30))
        .build()
        .unwrap();
    let r = c
        .post(format!("{base}/api/v1/session"))
        .json(&serde_json::json!({"username": user, "password": DEMO_PASSWORD}))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "sign-in as {user}: {}", r.status());
    c
}

/// `GET url` with `c`; the JSON body.
pub async fn get_json(c: &reqwest::Client, url: &str) -> serde_json::Value {
    c.get(url)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap_or(serde_json::Value::Null)
}

/// The id of the customer on file with mobile number `phone` (staff client `c`).
pub async fn customer_id(c: &reqwest::Client, base: &str, phone: &str) -> String {
    let found = get_json(c, &format!("{base}/api/v1/customers?phone={phone}")).await;
    found[0]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("no customer with number {phone}: {found}"))
        .to_owned()
}
