//! Call-path benchmarks (issue 4). Prints figures; asserts nothing about speed.
//!
//! 1. Screen pop: a CTI `newCall` in → the caller's card ready (call recorded, customer
//!    matched among N customers by any of their numbers, agent resolved, open tickets,
//!    billing summary, last contacts): p50 / p99 over 2 000 calls on SQLite.
//! 2. CTI events per second sustained (newCall, answer, hangup with agent states and
//!    callbacks), one client and four concurrent clients.
//!
//! `cargo bench -p server --bench calls` (N = 100 000 customers); `BENCH_CUSTOMERS=10000`
//! for a quicker run.

use std::time::Instant;

use chrono::{Duration, Utc};
use loopdesk::billing::{Account, AccountStatus, Bill, BillItem, Fen, Period};
use loopdesk::call::CtiEvent;
use loopdesk::customer::{Customer, CustomerId, Tier};
use loopdesk::locale::Locale;
use loopdesk::store::console::BillingBatch;
use loopdesk::store::{NewUser, PasswordHash};
use loopdesk::user::{Department, DepartmentId, Role, User, UserId};
use server::store::Backend;
use uuid::Uuid;

async fn setup(dir: &tempfile::TempDir, n: u32) -> app::state::Stores {
    let url = format!("sqlite://{}/bench.db?mode=rwc", dir.path().display());
    let stores = Backend::connect(&url).await.unwrap().stores;
    let dept = DepartmentId(Uuid::new_v4());
    stores
        .departments
        .create_department(Department {
            id: dept,
            code: "service_center".into(),
            name_zh: "客服中心".into(),
            name_en: "Center".into(),
        })
        .await
        .unwrap();
    for i in 0..8 {
        let user = User {
            id: UserId(Uuid::new_v4()),
            username: Some(format!("agent{i}")),
            phone: None,
            display_name: format!("坐席{i}"),
            role: Role::Agent,
            department_id: Some(dept),
            locale: None,
            disabled: false,
        };
        let new = NewUser {
            user,
            password_hash: PasswordHash("x".into()),
        };
        stores.users.create_user(new, Utc::now()).await.unwrap();
    }
    let started = Instant::now();
    let mut batch = BillingBatch::default();
    for i in 0..n {
        let mut phones = vec![format!("139{i:08}")];
        if i.is_multiple_of(3) {
            phones.push(format!("0216{i:07}"));
        }
        let c = Customer::new(
            CustomerId(Uuid::new_v4()),
            &format!("客户{i}"),
            &phones,
            Tier::ALL[(i % 5) as usize],
        )
        .unwrap();
        stores
            .customers
            .create_customer(&c, Utc::now())
            .await
            .unwrap();
        if i.is_multiple_of(5) {
            let number = format!("A{i:09}");
            batch.accounts.push(Account {
                number: number.clone(),
                customer: c.id,
                plan: "畅享 129".into(),
                status: AccountStatus::Active,
                balance: Fen(i64::from(i % 7) * 1000 - 3000),
                credit_limit: Fen(0),
            });
            for m in 7..=10 {
                batch.bills.push(Bill {
                    account: number.clone(),
                    period: Period {
                        year: 2026,
                        month: m,
                    },
                    due_on: format!("2026-{:02}-15", m + 1).parse().unwrap(),
                    items: vec![BillItem {
                        name: "月基本费".into(),
                        amount: Fen(12900),
                    }],
                });
            }
        }
    }
    stores
        .billing
        .import_billing(&batch, Utc::now())
        .await
        .unwrap();
    println!(
        "setup: {n} customers ({} accounts, {} bills) in {:.1} s",
        batch.accounts.len(),
        batch.bills.len(),
        started.elapsed().as_secs_f64()
    );
    stores
}

fn event(kind: &str, id: &str, from: &str, agent: &str, at: chrono::DateTime<Utc>) -> CtiEvent {
    serde_json::from_value(serde_json::json!({
        "event": kind, "call_id": id, "direction": "in", "from": from, "to": "10000",
        "agent": agent, "queue": "hotline", "at": at.to_rfc3339(),
        "cause": if kind == "hangup" { Some("normalClearing") } else { None },
    }))
    .unwrap()
}

fn pct(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

async fn screen_pops(stores: &app::state::Stores, n: u32) {
    let calls = 2000u32;
    let mut times = Vec::with_capacity(calls as usize);
    let t0 = Utc::now();
    for k in 0..calls {
        let i = (k.wrapping_mul(2_654_435_761)) % n;
        let from = if i.is_multiple_of(3) && k.is_multiple_of(2) {
            format!("021-6{i:07}")
        } else {
            format!("+86 139 {i:08}")
        };
        let at = t0 + Duration::seconds(i64::from(k));
        let started = Instant::now();
        let out = app::calls::handle_event(
            stores,
            at,
            event(
                "newCall",
                &format!("pop-{k}"),
                &from,
                &format!("agent{}", k % 8),
                at,
            ),
        )
        .await
        .unwrap();
        let pop = app::calls::screen_pop(stores, at, &out.call, Locale::ZhCn)
            .await
            .unwrap();
        times.push(started.elapsed().as_secs_f64() * 1000.0);
        assert!(pop.customer.is_some(), "caller {from} not matched");
    }
    times.sort_by(f64::total_cmp);
    println!(
        "screen pop (CTI newCall in -> card ready) over {n} customers, {calls} calls: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        pct(&times, 0.5),
        pct(&times, 0.99),
        times[times.len() - 1]
    );
}

async fn cti_throughput(stores: &app::state::Stores, n: u32, clients: u32) {
    let calls_per_client = 400u32;
    let t0 = Utc::now() + Duration::days(1);
    let started = Instant::now();
    let mut handles = Vec::new();
    for c in 0..clients {
        let stores = stores.clone();
        handles.push(tokio::spawn(async move {
            for k in 0..calls_per_client {
                let id = format!("tp-{clients}-{c}-{k}");
                let i = (k * 7919 + c * 104_729) % n;
                let from = format!("139{i:08}");
                let agent = format!("agent{}", (c * 2 + k) % 8);
                let at = t0 + Duration::seconds(i64::from(k) * 10);
                for (kind, s) in [("newCall", 0), ("answer", 5), ("hangup", 65)] {
                    let e = event(kind, &id, &from, &agent, at + Duration::seconds(s));
                    app::calls::handle_event(&stores, at, e).await.unwrap();
                }
            }
        }));
    }
    for h in handles {
        h.await.unwrap();
    }
    let secs = started.elapsed().as_secs_f64();
    let events = clients * calls_per_client * 3;
    println!(
        "CTI events: {events} by {clients} concurrent client(s) in {secs:.2} s = {:.0} events/s",
        f64::from(events) / secs
    );
}

fn main() {
    let n: u32 = std::env::var("BENCH_CUSTOMERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let dir = tempfile::tempdir().unwrap();
        let stores = setup(&dir, n).await;
        screen_pops(&stores, n).await;
        cti_throughput(&stores, n, 1).await;
        cti_throughput(&stores, n, 4).await;
    });
}
