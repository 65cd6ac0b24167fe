//! The call simulator (`server simulate`): puts demo callers on file and posts realistic
//! CTI traffic to a running server — Poisson arrivals at a given rate, a share of callers
//! who hang up while waiting, exponential answer waits and handle times — in simulated time
//! compressed by `--speed`. Used by the demo, the tests and the benchmarks; it reports how
//! many calls and events it sent and the latency of the CTI endpoint.

use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use serde_json::json;

/// What to simulate.
#[derive(Debug, Clone, PartialEq)]
pub struct SimOptions {
    /// Server base URL.
    pub url: String,
    /// An API token with scope `cti` for the CTI events (else the login's session is used).
    pub token: Option<String>,
    /// Administrator login (creates the demo callers; posts CTI events without a token).
    pub login: String,
    /// Its password.
    pub password: String,
    /// Calls per simulated minute.
    pub rate_per_minute: f64,
    /// How many calls.
    pub calls: u32,
    /// Share of callers who hang up before an answer (0–1).
    pub abandon: f64,
    /// Mean seconds until an answer.
    pub mean_wait: f64,
    /// Mean talk seconds.
    pub mean_handle: f64,
    /// Agents the calls ring at, round robin.
    pub agents: Vec<String>,
    /// Simulated seconds per real second.
    pub speed: f64,
    /// Demo callers put on file (numbers 1770000xxxx).
    pub customers: u32,
    /// Random seed (the same seed gives the same traffic).
    pub seed: u64,
}

impl Default for SimOptions {
    fn default() -> Self {
        SimOptions {
            url: "http://127.0.0.1:3000".into(),
            token: None,
            login: "admin".into(),
            password: crate::seed::DEMO_PASSWORD.into(),
            rate_per_minute: 6.0,
            calls: 20,
            abandon: 0.15,
            mean_wait: 12.0,
            mean_handle: 150.0,
            agents: vec!["agent".into(), "agent2".into()],
            speed: 10.0,
            customers: 20,
            seed: 1,
        }
    }
}

impl SimOptions {
    /// `server simulate --help`.
    pub const HELP: &'static str = "\
USAGE:
    server simulate [--url URL] [--calls N] [--rate PER_MINUTE] [--abandon SHARE]
                    [--wait MEAN_S] [--handle MEAN_S] [--agents a,b] [--speed X]
                    [--customers N] [--seed N] [--login NAME] [--password PW]
                    [--token ldk_…]

Posts CTI traffic to a running Loopdesk (defaults: 20 calls, 6 per minute, 15 % abandon,
12 s mean wait, 150 s mean handle time, agents agent,agent2, 10x speed).";

    /// Parses `simulate`'s arguments.
    pub fn from_args(args: &[String]) -> Result<SimOptions, String> {
        let mut o = SimOptions::default();
        let mut it = args.iter();
        while let Some(flag) = it.next() {
            let value = it
                .next()
                .ok_or_else(|| format!("{flag} needs a value"))?
                .clone();
            let num = |v: &str| {
                v.parse::<f64>()
                    .map_err(|_| format!("{flag}: {v:?} is not a number"))
            };
            match flag.as_str() {
                "--url" => o.url = value.trim_end_matches('/').to_owned(),
                "--login" => o.login = value,
                "--token" => o.token = Some(value),
                "--password" => o.password = value,
                "--rate" => o.rate_per_minute = num(&value)?,
                "--calls" => o.calls = num(&value)? as u32,
                "--abandon" => o.abandon = num(&value)?,
                "--wait" => o.mean_wait = num(&value)?,
                "--handle" => o.mean_handle = num(&value)?,
                "--speed" => o.speed = num(&value)?,
                "--customers" => o.customers = num(&value)? as u32,
                "--seed" => o.seed = num(&value)? as u64,
                "--agents" => {
                    o.agents = value
                        .split(',')
                        .map(str::trim)
                        .filter(|a| !a.is_empty())
                        .map(str::to_owned)
                        .collect()
                }
                other => return Err(format!("unknown option {other:?}")),
            }
        }
        if !(o.rate_per_minute > 0.0 && o.speed > 0.0 && (0.0..=1.0).contains(&o.abandon)) {
            return Err("--rate and --speed must be positive, --abandon between 0 and 1".into());
        }
        if o.customers == 0 || o.customers > 9999 {
            return Err("--customers must be between 1 and 9999".into());
        }
        Ok(o)
    }
}

/// A small deterministic generator (xorshift64*), enough for traffic shapes.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> f64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        let x = self.0.wrapping_mul(0x2545_F491_4F6C_DD1D);
        (x >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Exponentially distributed with the given mean.
    fn exp(&mut self, mean: f64) -> f64 {
        -mean * (1.0 - self.next()).ln()
    }
}

/// One CTI event at a simulated offset.
#[derive(Debug, Clone)]
struct Planned {
    offset: f64,
    body: serde_json::Value,
}

/// What a run did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SimReport {
    /// Calls placed.
    pub calls: u32,
    /// Of them, abandoned before an answer.
    pub abandoned: u32,
    /// CTI events posted.
    pub events: u32,
    /// Events the server refused or failed.
    pub errors: u32,
    /// Median CTI latency, ms.
    pub p50_ms: f64,
    /// 99th percentile CTI latency, ms.
    pub p99_ms: f64,
    /// Events per real second.
    pub events_per_second: f64,
}

fn plan(o: &SimOptions, start: DateTime<Utc>) -> (Vec<Planned>, u32) {
    let mut rng = Rng(o.seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let mut t = 0.0;
    let mut events = Vec::new();
    let mut abandoned = 0;
    let at = |s: f64| (start + chrono::Duration::milliseconds((s * 1000.0) as i64)).to_rfc3339();
    for i in 0..o.calls {
        t += rng.exp(60.0 / o.rate_per_minute);
        let id = format!("sim-{}-{i}", o.seed);
        let caller = format!("1770000{:04}", (rng.next() * o.customers as f64) as u32);
        let agent = o.agents.get(i as usize % o.agents.len().max(1)).cloned();
        let base = json!({"call_id": id, "direction": "in", "from": caller, "to": "10000",
                          "queue": "hotline"});
        let with = |event: &str, s: f64, extra: serde_json::Value| {
            let mut b = base.clone();
            b["event"] = json!(event);
            b["at"] = json!(at(s));
            if let (Some(obj), Some(more)) = (b.as_object_mut(), extra.as_object()) {
                obj.extend(more.clone());
            }
            Planned { offset: s, body: b }
        };
        events.push(with("newCall", t, json!({"agent": agent})));
        let wait = rng.exp(o.mean_wait).max(1.0);
        if rng.next() < o.abandon {
            abandoned += 1;
            events.push(with("hangup", t + wait, json!({"cause": "abandoned"})));
        } else {
            let talk = rng.exp(o.mean_handle).max(5.0);
            events.push(with("answer", t + wait, json!({"agent": agent})));
            events.push(with(
                "hangup",
                t + wait + talk,
                json!({"cause": "normalClearing"}),
            ));
        }
    }
    events.sort_by(|a, b| a.offset.total_cmp(&b.offset));
    (events, abandoned)
}

/// Runs the simulation against a running server.
pub async fn run(o: &SimOptions) -> anyhow::Result<SimReport> {
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .timeout(Duration::from_secs(30))
        .build()?;
    let signed = client
        .post(format!("{}/api/v1/session", o.url))
        .json(&json!({"username": o.login, "password": o.password}))
        .send()
        .await?;
    anyhow::ensure!(
        signed.status().is_success(),
        "cannot sign in as {}: {}",
        o.login,
        signed.status()
    );
    for i in 0..o.customers {
        let r = client
            .post(format!("{}/api/v1/customers", o.url))
            .json(&json!({"name": format!("模拟客户{i:04}"), "phones": [format!("1770000{i:04}")]}))
            .send()
            .await?;
        // 422 `phones` taken: already on file from an earlier run.
        anyhow::ensure!(
            r.status().is_success() || r.status() == reqwest::StatusCode::UNPROCESSABLE_ENTITY,
            "cannot create demo customers: {}",
            r.status()
        );
    }
    let (events, abandoned) = plan(o, Utc::now());
    let started = Instant::now();
    let mut latencies = Vec::with_capacity(events.len());
    let mut errors = 0;
    for e in &events {
        let due = started + Duration::from_secs_f64(e.offset / o.speed);
        tokio::time::sleep_until(due.into()).await;
        let sent = Instant::now();
        let mut request = client
            .post(format!("{}/api/v1/cti/events", o.url))
            .json(&e.body);
        if let Some(token) = &o.token {
            request = request.bearer_auth(token);
        }
        let r = request.send().await;
        latencies.push(sent.elapsed().as_secs_f64() * 1000.0);
        match r {
            Ok(r) if r.status().is_success() => {}
            Ok(r) => {
                errors += 1;
                tracing::warn!(status = %r.status(), "CTI event refused");
            }
            Err(e) => {
                errors += 1;
                tracing::warn!(error = %e, "CTI event failed");
            }
        }
    }
    let elapsed = started.elapsed().as_secs_f64().max(1e-9);
    latencies.sort_by(f64::total_cmp);
    let pct = |p: f64| {
        latencies
            .get(((latencies.len() as f64 - 1.0) * p).round() as usize)
            .copied()
            .unwrap_or(0.0)
    };
    Ok(SimReport {
        calls: o.calls,
        abandoned,
        events: events.len() as u32,
        errors,
        p50_ms: pct(0.5),
        p99_ms: pct(0.99),
        events_per_second: events.len() as f64 / elapsed,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plans_are_deterministic_and_well_formed() {
        let o = SimOptions {
            calls: 200,
            ..SimOptions::default()
        };
        let start = "2026-11-23T02:00:00Z".parse().unwrap();
        let (a, abandoned) = plan(&o, start);
        let (b, _) = plan(&o, start);
        assert_eq!(a.len(), b.len());
        assert!(a.iter().zip(&b).all(|(x, y)| x.body == y.body));
        // Every call rings once and hangs up once; answered ones are answered once.
        assert_eq!(a.len() as u32, 200 * 3 - abandoned);
        assert!(
            (10..=50).contains(&abandoned),
            "about 15 % abandon: {abandoned}"
        );
        assert!(a.windows(2).all(|w| w[0].offset <= w[1].offset));
        // About 6 calls a minute: 200 calls take roughly 33 simulated minutes.
        let last_ring = a
            .iter()
            .filter(|e| e.body["event"] == "newCall")
            .map(|e| e.offset)
            .fold(0.0, f64::max);
        assert!((1200.0..3000.0).contains(&last_ring), "{last_ring}");
    }

    #[test]
    fn options_are_checked() {
        let args = |s: &str| s.split_whitespace().map(str::to_owned).collect::<Vec<_>>();
        let o =
            SimOptions::from_args(&args("--calls 5 --rate 30 --agents a,b,c --speed 100")).unwrap();
        assert_eq!((o.calls, o.agents.len(), o.speed), (5, 3, 100.0));
        assert!(SimOptions::from_args(&args("--rate 0")).is_err());
        assert!(SimOptions::from_args(&args("--abandon 2")).is_err());
        assert!(SimOptions::from_args(&args("--calls")).is_err());
        assert!(SimOptions::from_args(&args("--bogus 1")).is_err());
    }
}
