//! Backends and instances (issue 8): real server processes (this package's release binary)
//! on SQLite with one instance, and on PostgreSQL with one and with two instances, driven
//! over HTTP from this process. Prints figures; asserts nothing about speed.
//!
//! 1. Ticket actions: C agents (sessions spread over the instances) each comment on their
//!    own ticket as fast as the server answers — every action is version-checked, appends a
//!    hash-chained event and recomputes the SLA snapshot: actions/s and p50/p99 latency.
//! 2. Screen pop: a CTI `newCall` posted to the first instance → the caller's card arriving
//!    on the agent's open event stream, which is on the *last* instance (with two instances
//!    the pop crosses PostgreSQL LISTEN/NOTIFY): p50/p99 over sequential calls.
//!
//! `cargo bench -p server --bench instances`. PostgreSQL: a throw-away cluster from
//! Debian's binaries (as the tests do), or `LOOPDESK_TEST_POSTGRES=postgres://…`.
//! `BENCH_ACTIONS` (per agent, default 300), `BENCH_AGENTS` (default 16),
//! `BENCH_POPS` (default 300).

#[path = "../tests/api/pg.rs"]
#[allow(dead_code)]
mod pg;
#[path = "../tests/api/process.rs"]
mod process;

use std::time::Instant;

use process::{customer_id, signed_in, Process};

use serde_json::{json, Value};

fn pct(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

async fn actions(instances: &[Process], agents: usize, per_agent: usize) -> String {
    let base = &instances[0].base;
    let customer = customer_id(&signed_in(base, "agent").await, base, "13900000002").await;
    let mut tasks = tokio::task::JoinSet::new();
    let started = Instant::now();
    for k in 0..agents {
        let base = instances[k % instances.len()].base.clone();
        let customer = customer.clone();
        tasks.spawn(async move {
            let c = signed_in(&base, "agent").await;
            let t: Value = c
                .post(format!("{base}/api/v1/tickets"))
                .json(
                    &json!({"kind": "inquiry", "channel": "phone", "customer": customer,
                              "subject": format!("bench {k}")}),
                )
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            let id = t["id"].as_str().unwrap().to_owned();
            let mut version = t["version"].as_i64().unwrap();
            let mut times = Vec::with_capacity(per_agent);
            for i in 0..per_agent {
                let sent = Instant::now();
                let r = c
                    .post(format!("{base}/api/v1/tickets/{id}/actions"))
                    .json(&json!({"action": "comment", "text": format!("note {i}"),
                                  "visibility": "internal", "expected_version": version}))
                    .send()
                    .await
                    .unwrap();
                assert!(r.status().is_success(), "action: {}", r.status());
                let t: Value = r.json().await.unwrap();
                times.push(sent.elapsed().as_secs_f64() * 1000.0);
                version = t["version"].as_i64().unwrap();
            }
            times
        });
    }
    let mut times = Vec::new();
    while let Some(t) = tasks.join_next().await {
        times.extend(t.unwrap());
    }
    let secs = started.elapsed().as_secs_f64();
    times.sort_by(f64::total_cmp);
    format!(
        "{:>7.0} actions/s  p50 {:>6.2} ms  p99 {:>6.2} ms",
        times.len() as f64 / secs,
        pct(&times, 0.5),
        pct(&times, 0.99)
    )
}

async fn screen_pops(instances: &[Process], calls: usize) -> String {
    let (first, last) = (&instances[0], &instances[instances.len() - 1]);
    let agent = signed_in(&last.base, "agent").await;
    let mut stream = agent
        .get(format!("{}/api/v1/live", last.base))
        .send()
        .await
        .unwrap();
    let admin = signed_in(&first.base, "admin").await;
    let mut times = Vec::with_capacity(calls);
    let mut text = String::new();
    let t0 = chrono::Utc::now();
    for k in 0..calls {
        let id = format!("bench-pop-{k}");
        let at = t0 + chrono::Duration::seconds(k as i64 * 2);
        let sent = Instant::now();
        let r = admin
            .post(format!("{}/api/v1/cti/events", first.base))
            .json(
                &json!({"event": "newCall", "call_id": id, "direction": "in",
                          "from": "13800000001", "to": "10000", "agent": "agent",
                          "at": at.to_rfc3339()}),
            )
            .send()
            .await
            .unwrap();
        assert!(r.status().is_success(), "CTI: {}", r.status());
        // The pop of this call on the stream.
        let needle = format!("\"call_id\":\"{id}\"");
        while !text.contains(&needle) {
            let chunk = stream.chunk().await.unwrap().expect("stream open");
            text.push_str(&String::from_utf8_lossy(&chunk));
        }
        times.push(sent.elapsed().as_secs_f64() * 1000.0);
        text.clear();
        // End the call so the agent is free for the next one.
        admin
            .post(format!("{}/api/v1/cti/events", first.base))
            .json(&json!({"event": "hangup", "call_id": id, "direction": "in",
                          "from": "13800000001", "to": "10000", "agent": "agent",
                          "cause": "normalClearing",
                          "at": (at + chrono::Duration::seconds(1)).to_rfc3339()}))
            .send()
            .await
            .unwrap();
    }
    times.sort_by(f64::total_cmp);
    format!(
        "p50 {:>6.2} ms  p99 {:>6.2} ms",
        pct(&times, 0.5),
        pct(&times, 0.99)
    )
}

fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let (per_agent, agents, pops) = (
        env("BENCH_ACTIONS", 300),
        env("BENCH_AGENTS", 16),
        env("BENCH_POPS", 300),
    );
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let pg = pg::Server::start();
        println!(
            "{agents} agents x {per_agent} comment actions; {pops} screen pops (2 cores, client in the same machine)"
        );
        for (label, n) in [("SQLite", 1usize), ("PostgreSQL", 1), ("PostgreSQL", 2)] {
            let dir = tempfile::tempdir().unwrap();
            let url = match label {
                "SQLite" => format!("sqlite://{}/bench.db?mode=rwc", dir.path().display()),
                _ => pg.fresh_database().await,
            };
            let mut instances = vec![Process::start(&url, true)];
            while instances.len() < n {
                instances.push(Process::start(&url, false));
            }
            let acts = actions(&instances, agents, per_agent).await;
            let popped = screen_pops(&instances, pops).await;
            let rss: Vec<String> = instances
                .iter()
                .map(|p| format!("{:.0}", p.rss_mib()))
                .collect();
            println!(
                "{label:<10} x{n}: actions {acts} | screen pop {popped} | RSS {} MiB",
                rss.join(" + ")
            );
        }
    });
}
