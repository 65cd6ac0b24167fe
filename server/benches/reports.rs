//! Supervisor report benchmark (issue 7). Prints figures; asserts nothing about speed.
//!
//! Builds a SQLite database with N tickets spread over a year (every kind, channel, state
//! and SLA outcome; a fifth of them followed up with a rating), 5 000 customers, 40 agents
//! in 4 departments and M inbound calls, then times the full report use case
//! (`app::supervision::report`: ticket cells, hours and days, satisfaction, calls, agent
//! states, quality, breakdowns and the four SVG charts) for a month, a quarter and the whole
//! year, with and without filters, and the wallboard.
//!
//! `cargo bench -p server --bench reports` (N = 1 000 000, M = 300 000);
//! `BENCH_TICKETS=100000 BENCH_CALLS=30000` for a quicker run.

use std::time::Instant;

use chrono::{DateTime, Duration, TimeZone, Utc};
use loopdesk::customer::{Customer, CustomerId, Tier};
use loopdesk::metrics::ServiceTargets;
use loopdesk::sla::{SlaTarget, TargetState};
use loopdesk::store::{NewUser, PasswordHash};
use loopdesk::ticket::{Channel, TicketKind, TicketState};
use loopdesk::user::{Department, DepartmentId, Role, User, UserId};
use server::store::sql::SqlBackend;
use server::store::Backend;
use uuid::Uuid;

use server::seed::history::Lcg;

/// A random element.
fn pick<T: Copy>(rng: &mut Lcg, from: &[T]) -> T {
    from[rng.below(from.len() as u64) as usize]
}

fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

fn env(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[tokio::main]
async fn main() {
    let tickets = env("BENCH_TICKETS", 1_000_000);
    let calls = env("BENCH_CALLS", 300_000);
    let dir = tempfile::tempdir().unwrap();
    // BENCH_DB=path keeps the generated database (and reuses it when it exists).
    let kept = std::env::var("BENCH_DB").ok();
    let path = kept
        .clone()
        .unwrap_or_else(|| format!("{}/reports.db", dir.path().display()));
    let reuse = kept.is_some() && std::path::Path::new(&path).exists();
    let url = format!("sqlite://{path}?mode=rwc");
    let db = SqlBackend::connect(&url).await.unwrap();
    let pool = db.sqlite_pool().expect("SQLite").clone();
    let stores = Backend::new(db).stores;
    let end = Utc.with_ymd_and_hms(2026, 12, 1, 16, 0, 0).unwrap();
    let start = end - Duration::days(365);

    if !reuse {
        generate(&stores, &pool, tickets, calls, start, end).await;
    }
    let mut depts: Vec<DepartmentId> = stores
        .departments
        .list_departments()
        .await
        .unwrap()
        .iter()
        .map(|d| d.id)
        .collect();
    depts.sort_by_key(|d| d.0);
    let agents = stores.users.list_ticket_staff().await.unwrap();
    let boss = agents
        .iter()
        .find(|u| u.role == Role::Supervisor)
        .unwrap()
        .clone();
    let targets = ServiceTargets::default();
    let now = end;
    let day = |d: DateTime<Utc>| {
        d.with_timezone(&chrono_tz::Asia::Shanghai)
            .date_naive()
            .to_string()
    };
    let cases: Vec<(&str, app::views::supervision::ReportQuery)> = vec![
        ("last 30 days", q(&day(end - Duration::days(29)), &day(end))),
        ("last 90 days", q(&day(end - Duration::days(89)), &day(end))),
        ("whole year", q(&day(start + Duration::days(1)), &day(end))),
        ("whole year, complaints", {
            let mut x = q(&day(start + Duration::days(1)), &day(end));
            x.kind = "complaint".into();
            x
        }),
        ("whole year, one department", {
            let mut x = q(&day(start + Duration::days(1)), &day(end));
            x.department = depts[1].0.to_string();
            x
        }),
        ("whole year, one agent", {
            let mut x = q(&day(start + Duration::days(1)), &day(end));
            x.agent = agents[3].id.0.to_string();
            x
        }),
    ];
    for (name, query) in &cases {
        let mut times = Vec::new();
        let mut counted = 0;
        for _ in 0..3 {
            let t = Instant::now();
            let r = app::supervision::report(
                &stores,
                now,
                &boss,
                query,
                &targets,
                loopdesk::locale::Locale::ZhCn,
            )
            .await
            .unwrap();
            times.push(t.elapsed().as_secs_f64() * 1000.0);
            counted = r.totals.tickets;
        }
        times.sort_by(|a, b| a.partial_cmp(b).unwrap());
        println!(
            "report {name:<28} {counted:>8} tickets: best {:>7.0} ms, median {:>7.0} ms",
            times[0], times[1]
        );
    }
    let mut times = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        app::supervision::wallboard(
            &stores,
            now,
            &boss,
            &targets,
            loopdesk::locale::Locale::ZhCn,
        )
        .await
        .unwrap();
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(|a, b| a.partial_cmp(b).unwrap());
    println!(
        "wallboard (open tickets of {tickets}): best {:.0} ms, median {:.0} ms",
        times[0], times[2]
    );
}

fn q(from: &str, to: &str) -> app::views::supervision::ReportQuery {
    app::views::supervision::ReportQuery {
        from: from.into(),
        to: to.into(),
        ..Default::default()
    }
}

async fn generate(
    stores: &app::state::Stores,
    pool: &sqlx::SqlitePool,
    tickets: u64,
    calls: u64,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) {
    let started = Instant::now();
    let mut depts = Vec::new();
    for (i, code) in ["service_center", "billing", "network", "field_service"]
        .iter()
        .enumerate()
    {
        let id = DepartmentId(Uuid::new_v4());
        stores
            .departments
            .create_department(Department {
                id,
                code: (*code).into(),
                name_zh: format!("部门{i}"),
                name_en: format!("Department {i}"),
            })
            .await
            .unwrap();
        depts.push(id);
    }
    let mut agents = Vec::new();
    for i in 0..40 {
        let user = User {
            id: UserId(Uuid::new_v4()),
            username: Some(format!("agent{i}")),
            phone: None,
            display_name: format!("坐席{i}"),
            role: if i == 0 {
                Role::Supervisor
            } else {
                Role::Agent
            },
            department_id: Some(depts[i % depts.len()]),
            locale: None,
            disabled: false,
        };
        agents.push(user.clone());
        stores
            .users
            .create_user(
                NewUser {
                    user,
                    password_hash: PasswordHash("x".into()),
                },
                start,
            )
            .await
            .unwrap();
    }
    let mut customers = Vec::new();
    for i in 0..5_000u32 {
        let tier = [
            Tier::Normal,
            Tier::Normal,
            Tier::Normal,
            Tier::Silver,
            Tier::Gold,
        ][i as usize % 5];
        let c = Customer::new(
            CustomerId(Uuid::new_v4()),
            &format!("客户{i}"),
            &[format!("139{i:08}")],
            tier,
        )
        .unwrap();
        stores.customers.create_customer(&c, start).await.unwrap();
        customers.push(c);
    }

    let mut rng = Lcg(7);
    let kinds = TicketKind::ALL;
    let channels = Channel::ALL;
    // A year of a center: nine in ten archived, a few cancelled, the rest in the loop.
    let mut states = vec![TicketState::Closed; 88];
    states.extend([TicketState::Cancelled; 2]);
    states.extend([TicketState::Resolved; 3]);
    states.extend([TicketState::InProgress; 3]);
    states.extend([
        TicketState::Dispatched,
        TicketState::Acknowledged,
        TicketState::New,
        TicketState::PendingCustomer,
    ]);
    let categories = [
        "billing/charge_dispute",
        "billing/plan",
        "network/signal",
        "network/broadband",
        "service/change",
        "service/number_port",
    ];
    let outcomes = [
        TargetState::Met,
        TargetState::Met,
        TargetState::Met,
        TargetState::Overdue,
        TargetState::Breached,
        TargetState::Running,
    ];
    let span = (end - start).num_seconds() as u64;
    let mut tx = pool.begin().await.unwrap();
    for n in 0..tickets {
        let id = Uuid::new_v4().to_string();
        let at = start + Duration::seconds((rng.next_u64() % span) as i64);
        let kind = pick(&mut rng, kinds);
        let state = pick(&mut rng, &states);
        let c = &customers[(rng.next_u64() % customers.len() as u64) as usize];
        let dept = pick(&mut rng, &depts);
        let assignee = agents[(rng.next_u64() % agents.len() as u64) as usize].id;
        let key = format!(
            "{}={};{}={}",
            SlaTarget::Acknowledge.code(),
            pick(&mut rng, &outcomes).code(),
            SlaTarget::Resolve.code(),
            pick(&mut rng, &outcomes).code()
        );
        let complaint = kind == TicketKind::Complaint;
        sqlx::query(
            "insert into tickets (id, number, kind, channel, priority, complexity, state, customer_id, \
             tier, department_id, assignee_id, escalation_level, reopen_count, unreachable_attempts, \
             resolved_on_first_contact, version, subject, description, category, registered_at, \
             updated_at, sla, sla_key, nearest_due_at, risk_at) values ($1, $2, $3, $4, $5, $6, $7, \
             $8, $9, $10, $11, $17, $12, 0, $13, 1, 'bench', '', $14, $15, $15, '[]', $16, $18, $19)",
        )
        .bind(&id)
        .bind(format!("B{n:09}"))
        .bind(kind.code())
        .bind(pick(&mut rng, channels).code())
        .bind(if rng.next_u64().is_multiple_of(50) { "urgent" } else { "normal" })
        .bind(complaint.then(|| pick(&mut rng, &["simple", "general", "complex"])))
        .bind(state.code())
        .bind(c.id.0.to_string())
        .bind(c.tier.code())
        .bind(dept.0.to_string())
        .bind(assignee.0.to_string())
        .bind(i64::from(rng.next_u64().is_multiple_of(20)))
        .bind(i64::from(rng.next_u64().is_multiple_of(4)))
        .bind(pick(&mut rng, &categories))
        .bind(ts(at))
        .bind(key)
        .bind(i64::from(state.is_open() && rng.next_u64().is_multiple_of(30)))
        .bind(state.is_open().then(|| ts(at + Duration::days(2))))
        .bind(state.is_open().then(|| ts(at + Duration::days(1))))
        .execute(&mut *tx)
        .await
        .unwrap();
        if matches!(state, TicketState::Closed) && rng.next_u64().is_multiple_of(3) {
            sqlx::query(
                "insert into ticket_feedback (ticket_id, seq, at, source, satisfied, rating) \
                 values ($1, 2, $2, $3, $4, $5)",
            )
            .bind(&id)
            .bind(ts(at + Duration::days(2)))
            .bind(if rng.next_u64().is_multiple_of(2) {
                "revisit"
            } else {
                "portal"
            })
            .bind(rng.next_u64() % 10 < 8)
            .bind(1 + (rng.next_u64() % 5) as i64)
            .execute(&mut *tx)
            .await
            .unwrap();
        }
    }
    for n in 0..calls {
        let ring = start + Duration::seconds((rng.next_u64() % span) as i64);
        let answered = (!rng.next_u64().is_multiple_of(10))
            .then(|| ring + Duration::seconds((rng.next_u64() % 40) as i64));
        let ended = answered.map_or(ring + Duration::seconds(30), |a| {
            a + Duration::seconds(60 + (rng.next_u64() % 300) as i64)
        });
        let agent = answered.map(|_| {
            agents[(rng.next_u64() % agents.len() as u64) as usize]
                .id
                .0
                .to_string()
        });
        let c = &customers[(rng.next_u64() % customers.len() as u64) as usize];
        sqlx::query(
            "insert into calls (call_id, direction, from_number, to_number, customer_number, agent_id, \
             customer_id, candidates, ringing_at, answered_at, ended_at, version, updated_at, \
             wait_seconds, talk_seconds) values ($1, 'in', $2, '10086', $2, $3, $4, 1, $5, $6, $7, \
             1, $7, $8, $9)",
        )
        .bind(format!("bench-{n}"))
        .bind(&c.phones[0])
        .bind(agent)
        .bind(c.id.0.to_string())
        .bind(ts(ring))
        .bind(answered.map(ts))
        .bind(ts(ended))
        .bind(answered.map(|a| (a - ring).num_seconds()))
        .bind(answered.map(|a| (ended - a).num_seconds()))
        .execute(&mut *tx)
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
    sqlx::query("analyze").execute(pool).await.unwrap();
    println!(
        "generated {tickets} tickets, {calls} calls, 5000 customers, 40 staff in {:.1} s",
        started.elapsed().as_secs_f64()
    );
}
