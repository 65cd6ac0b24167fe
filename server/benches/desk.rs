//! Service-desk benchmarks (issue 3). Prints figures; asserts nothing about speed.
//!
//! 1. Due-time computations per second for the worked examples of the SLA engine.
//! 2. One SLA sweeper pass over N open tickets on SQLite, all due (time, memory).
//! 3. Ticket action throughput on SQLite (version check, event with hash chain, SLA
//!    recompute), sequential and with concurrent clients.
//!
//! `cargo bench -p server --bench desk` (N = 100 000); `BENCH_TICKETS=10000` for a
//! quicker run.

use std::sync::Arc;
use std::time::Instant;

use chrono::{DateTime, Duration, TimeZone, Utc};
use loopdesk::calendar::{Calendar, DayOverride, WorkInterval};
use loopdesk::customer::{Customer, CustomerId, Tier};
use loopdesk::sla::{self, Calendars, ClockEvent, TicketFacts};
use loopdesk::store::desk::{NewTicket, TicketDetails};
use loopdesk::store::{NewUser, PasswordHash};
use loopdesk::ticket::action::{Action, Visibility};
use loopdesk::ticket::event::{EventKind, NewEvent};
use loopdesk::ticket::{Channel, Complexity, Priority, Registration, Ticket, TicketId, TicketKind};
use loopdesk::user::{Department, DepartmentId, Role, User, UserId};
use server::store::Backend;
use uuid::Uuid;

fn sh(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    chrono_tz::Asia::Shanghai
        .with_ymd_and_hms(y, mo, d, h, mi, 0)
        .unwrap()
        .with_timezone(&Utc)
}

fn rss_kib() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

fn due_time_computations() {
    let holiday_cal = {
        let day = vec![
            WorkInterval::parse("09:00", "12:00").unwrap(),
            WorkInterval::parse("13:30", "18:00").unwrap(),
        ];
        Calendar::office()
            .with_override(
                chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
                DayOverride::Holiday,
            )
            .unwrap()
            .with_override(
                chrono::NaiveDate::from_ymd_opt(2026, 11, 29).unwrap(),
                DayOverride::Workday { intervals: day },
            )
            .unwrap()
    };
    let shipped = Calendars::shipped();
    let with_holiday = Calendars {
        all_hours: Calendar::twenty_four_seven(),
        office: holiday_cal,
    };
    let policies = sla::seed_policies();
    let complaint = |c| TicketFacts {
        kind: TicketKind::Complaint,
        complexity: Some(c),
        tier: Tier::Normal,
        priority: Priority::Normal,
    };
    let reg = |at| vec![(at, ClockEvent::Registered { on_call: false })];
    let paused = {
        let mut e = reg(sh(2026, 11, 30, 10, 0));
        e.push((sh(2026, 11, 30, 13, 30), ClockEvent::Paused));
        e.push((sh(2026, 11, 30, 16, 30), ClockEvent::Resumed));
        e
    };
    let dispatched = vec![
        (
            sh(2026, 11, 27, 17, 0),
            ClockEvent::Registered { on_call: true },
        ),
        (sh(2026, 11, 27, 17, 50), ClockEvent::Dispatched),
    ];
    type Case<'a> = (&'a Calendars, TicketFacts, Vec<(DateTime<Utc>, ClockEvent)>);
    let cases: Vec<Case> = vec![
        (
            &shipped,
            complaint(Complexity::General),
            reg(sh(2026, 11, 27, 16, 0)),
        ),
        (
            &with_holiday,
            complaint(Complexity::General),
            reg(sh(2026, 11, 27, 16, 0)),
        ),
        (
            &shipped,
            complaint(Complexity::Complex),
            reg(sh(2026, 11, 27, 16, 0)),
        ),
        (
            &shipped,
            complaint(Complexity::General),
            reg(sh(2026, 11, 28, 10, 0)),
        ),
        (
            &shipped,
            complaint(Complexity::General),
            reg(sh(2026, 12, 1, 23, 0)),
        ),
        (&shipped, complaint(Complexity::General), dispatched),
        (&shipped, complaint(Complexity::General), paused),
    ];
    let rounds = 20_000;
    let start = Instant::now();
    let mut targets = 0usize;
    for _ in 0..rounds {
        for (cals, facts, events) in &cases {
            let now = events.last().unwrap().0 + Duration::hours(1);
            targets += sla::compute(&policies, cals, facts, events, now)
                .unwrap()
                .len();
        }
    }
    let secs = start.elapsed().as_secs_f64();
    let tickets = rounds * cases.len();
    println!(
        "due-time computations: {tickets} tickets ({targets} targets) in {secs:.2} s = {:.0} tickets/s, {:.0} targets/s",
        tickets as f64 / secs,
        targets as f64 / secs
    );
}

async fn setup(dir: &tempfile::TempDir) -> (app::state::Stores, User, Vec<Customer>) {
    let url = format!("sqlite://{}/bench.db?mode=rwc", dir.path().display());
    let stores = Backend::connect(&url).await.unwrap().stores;
    let dept = DepartmentId(Uuid::new_v4());
    stores
        .departments
        .create_department(Department {
            id: dept,
            code: "center".into(),
            name_zh: "客服中心".into(),
            name_en: "Center".into(),
        })
        .await
        .unwrap();
    let user = User {
        id: UserId(Uuid::new_v4()),
        username: Some("agent".into()),
        phone: None,
        display_name: "王芳".into(),
        role: Role::Agent,
        department_id: Some(dept),
        locale: None,
        disabled: false,
    };
    stores
        .users
        .create_user(
            NewUser {
                user: user.clone(),
                password_hash: PasswordHash("x".into()),
            },
            Utc::now(),
        )
        .await
        .unwrap();
    let mut customers = Vec::new();
    for i in 0..1000u32 {
        let c = Customer::new(
            CustomerId(Uuid::new_v4()),
            &format!("客户{i}"),
            &[format!("139{i:08}")],
            Tier::ALL[(i % 5) as usize],
        )
        .unwrap();
        stores
            .customers
            .create_customer(&c, Utc::now())
            .await
            .unwrap();
        customers.push(c);
    }
    (stores, user, customers)
}

async fn sweeper(n: usize) {
    let dir = tempfile::tempdir().unwrap();
    let (stores, user, customers) = setup(&dir).await;
    let cfg = app::desk::load_sla_config(&stores).await.unwrap();
    let t0 = sh(2026, 11, 23, 10, 0);
    let start = Instant::now();
    for i in 0..n {
        let c = &customers[i % customers.len()];
        let ticket = Ticket::register(Registration {
            id: TicketId(Uuid::new_v4()),
            kind: TicketKind::Complaint,
            channel: Channel::Portal,
            customer: c.id,
            tier: c.tier,
            priority: Priority::Normal,
            complexity: Some(Complexity::General),
            department: user.department_id.unwrap(),
            registered_by: Some(user.id),
            on_call: false,
        })
        .unwrap();
        let at = t0 + Duration::seconds(i as i64 % 3600);
        let events = vec![NewEvent {
            at,
            actor: Some(user.id),
            kind: EventKind::Registered { on_call: false },
            from: None,
            to: ticket.state,
        }];
        let clock = vec![(at, ClockEvent::Registered { on_call: false })];
        let sla = app::desk::snapshot(&cfg, &ticket, &clock, &[], at).unwrap();
        stores
            .tickets
            .create_ticket(NewTicket {
                ticket,
                details: TicketDetails {
                    account: None,
                    contact_time: None,
                    subject: format!("投诉 {i}"),
                    description: String::new(),
                    category: String::new(),
                },
                day: "20261123".into(),
                registered_at: at,
                registered_by: Some(user.id),
                events,
                sla,
            })
            .await
            .unwrap();
    }
    let load = start.elapsed().as_secs_f64();
    println!(
        "sweeper: loaded {n} open tickets in {load:.1} s ({:.0} tickets/s)",
        n as f64 / load
    );
    let (rss0, _) = rss_kib();
    // Three hours later every acknowledge clock is past its warning and due points.
    let now = t0 + Duration::hours(3);
    let start = Instant::now();
    let o = app::desk::run_once(&stores, now, 500).await.unwrap();
    let secs = start.elapsed().as_secs_f64();
    let (rss1, hwm) = rss_kib();
    println!(
        "sweeper: one pass over {} due tickets raised {} warnings + {} overdue (with outbound tasks) in {secs:.1} s = {:.0} tickets/s; RSS {} → {} MiB (peak {} MiB)",
        o.tickets, o.warnings, o.overdue, o.tickets as f64 / secs, rss0 / 1024, rss1 / 1024, hwm / 1024
    );
    let start = Instant::now();
    let again = app::desk::run_once(&stores, now, 500).await.unwrap();
    println!(
        "sweeper: a second pass at the same moment looked at {} tickets and raised {} events in {:.3} s",
        again.tickets,
        again.warnings + again.overdue + again.breached,
        start.elapsed().as_secs_f64()
    );
}

async fn actions(n: usize, clients: usize) {
    let dir = tempfile::tempdir().unwrap();
    let (stores, user, customers) = setup(&dir).await;
    let t0 = Utc::now();
    let mut ids = Vec::new();
    // 1 000 tickets, so each gets a handful of events as real tickets do.
    for (i, c) in customers.iter().enumerate() {
        let input = app::views::RegisterInput {
            account: None,
            contact_time: None,
            kind: TicketKind::Complaint,
            channel: Channel::Phone,
            priority: Priority::Normal,
            complexity: Some(Complexity::General),
            customer: c.id.0,
            subject: format!("投诉 {i}"),
            description: String::new(),
            category: String::new(),
            on_call: true,
            first_contact: None,
            call_id: None,
        };
        ids.push(
            app::desk::register(&stores, t0, &user, input)
                .await
                .unwrap(),
        );
    }
    let stores = Arc::new(stores);
    let ids = Arc::new(ids);
    let per_client = n / clients;
    let start = Instant::now();
    let mut tasks = Vec::new();
    for k in 0..clients {
        let (stores, ids, user) = (stores.clone(), ids.clone(), user.clone());
        tasks.push(tokio::spawn(async move {
            // Each client works its own tickets, so versions never collide.
            let mine: Vec<TicketId> = ids.iter().copied().skip(k).step_by(clients).collect();
            let mut versions = vec![1u64; mine.len()];
            for i in 0..per_client {
                let j = i % mine.len();
                let action = Action::Comment {
                    text: format!("跟进 {i}"),
                    visibility: Visibility::Internal,
                };
                app::desk::act(&stores, Utc::now(), &user, mine[j], versions[j], action)
                    .await
                    .unwrap();
                versions[j] += 1;
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let secs = start.elapsed().as_secs_f64();
    let done = per_client * clients;
    println!(
        "actions: {done} comment actions by {clients} concurrent client(s) in {secs:.2} s = {:.0} actions/s ({:.2} ms each)",
        done as f64 / secs,
        secs * 1000.0 / done as f64 * clients as f64
    );
}

fn main() {
    let n: usize = std::env::var("BENCH_TICKETS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    due_time_computations();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        sweeper(n).await;
        actions(5_000, 1).await;
        actions(5_000, 4).await;
    });
}
