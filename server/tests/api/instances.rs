//! Several instances on one PostgreSQL database (the server of `crate::pg`): a call posted
//! to one instance pops the screen of an agent connected to another, and a ticket written on
//! one wakes wallboards on the other; sessions are shared; two sweepers running at once over
//! 10 000 due tickets raise every SLA event exactly once.

use std::sync::Arc;

use chrono::Duration;
use loopdesk::clock::Clock;
use loopdesk::user::LoginName;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::pg;
use crate::process::{customer_id, get_json, signed_in, Process};
use crate::test_app::{login, session_cookie, TestApp, PASSWORD};

/// Two instances on one fresh database (the first seeds the demo data).
async fn two_instances(server: &pg::Server) -> (TestApp, TestApp) {
    let url = server.fresh_database().await;
    let a = TestApp::spawn_on(Arc::new(tempfile::tempdir().unwrap()), url.clone()).await;
    let b = TestApp::spawn_on(Arc::new(tempfile::tempdir().unwrap()), url).await;
    (a, b)
}

/// Reads a server-sent event stream until an event named `name` arrives; its data.
async fn next_event(stream: &mut reqwest::Response, name: &str) -> Value {
    let mut text = String::new();
    loop {
        if let Some(block) = text
            .split("\n\n")
            .find(|b| b.lines().any(|l| l == format!("event: {name}")))
        {
            let data = block
                .lines()
                .find_map(|l| l.strip_prefix("data: "))
                .expect("a data line");
            return serde_json::from_str(data).unwrap_or(Value::String(data.to_owned()));
        }
        let chunk = stream
            .chunk()
            .await
            .unwrap()
            .expect("the stream stays open");
        text.push_str(&String::from_utf8_lossy(&chunk));
    }
}

#[tokio::test]
async fn a_call_posted_to_one_instance_pops_the_screen_on_another() {
    let server = pg::Server::start();
    let (a, b) = two_instances(&server).await;

    // Sessions live in the database: signed in on A, known on B.
    let agent = b.client();
    let r = a.api_login(&agent, "agent", PASSWORD).await;
    assert_eq!(r.status(), StatusCode::OK);
    let cookie = session_cookie(&r).expect("a session cookie");
    assert_eq!(b.me_with_cookie(&cookie).await.status(), StatusCode::OK);

    // The agent's console is connected to B.
    let mut stream = agent.get(b.url("/api/v1/live")).send().await.unwrap();
    assert_eq!(stream.status(), StatusCode::OK);

    let admin = login(&a, "admin").await;
    let r: Value = admin
        .post(a.url("/api/v1/cti/events"))
        .json(
            &json!({"event": "newCall", "call_id": "x1", "direction": "in",
                      "from": "13800000001", "to": "10000", "agent": "agent",
                      "at": "2026-11-23T02:00:00Z"}),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(r["popped"], 0, "no console on A: {r}");
    assert_eq!(r["relayed"], true, "{r}");
    let pop = next_event(&mut stream, "pop").await;
    assert_eq!(pop["call_id"], "x1");
    assert_eq!(pop["customer"]["name"], "张明");
    assert_eq!(pop["number"], "138****0001");

    // A wallboard on B hears of a ticket written on A.
    let supervisor = login(&b, "supervisor").await;
    let mut wallboard = supervisor
        .get(b.url("/api/v1/wallboard/live"))
        .send()
        .await
        .unwrap();
    assert_eq!(wallboard.status(), StatusCode::OK);
    let customer = pop["customer"]["id"].as_str().unwrap().to_owned();
    let (s, t) = crate::test_app::post(
        &a,
        &login(&a, "agent").await,
        "/api/v1/tickets",
        json!({"kind": "inquiry", "channel": "phone", "customer": customer,
               "subject": "套餐咨询"}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{t}");
    next_event(&mut wallboard, "changed").await;
}

#[tokio::test]
async fn two_sweepers_at_once_raise_every_sla_event_exactly_once() {
    const TICKETS: usize = 10_000;
    let server = pg::Server::start();
    let (a, b) = two_instances(&server).await;
    let stores = a.state.stores.clone();
    let (agent, _) = stores
        .users
        .find_for_login(&LoginName::Username("agent".into()))
        .await
        .unwrap()
        .expect("the demo agent");
    let customer = stores
        .customers
        .customers_by_phone("13900000002")
        .await
        .unwrap()
        .remove(0);
    let now = a.clock.now();
    // Complaints not registered on a call: the acknowledge target (2 h, 24x7) warns at
    // 90 minutes.
    let mut writers = tokio::task::JoinSet::new();
    for w in 0..8 {
        let (stores, agent) = (stores.clone(), agent.clone());
        writers.spawn(async move {
            for i in (w..TICKETS).step_by(8) {
                let input = serde_json::from_value(json!({
                    "kind": "complaint", "complexity": "general", "channel": "phone",
                    "customer": customer.id.0, "subject": format!("sweep {i}")}))
                .unwrap();
                app::desk::register(&stores, now, &agent, input)
                    .await
                    .unwrap();
            }
        });
    }
    while let Some(done) = writers.join_next().await {
        done.unwrap();
    }
    let later = now + Duration::minutes(91);
    let (oa, ob) = tokio::join!(
        app::desk::run_once(&a.state.stores, later, 500),
        app::desk::run_once(&b.state.stores, later, 500),
    );
    let (oa, ob) = (oa.unwrap(), ob.unwrap());
    println!("sweeper A: {oa:?}\nsweeper B: {ob:?}");
    let pool = a_pool(&a);
    let (events, tickets): (i64, i64) = sqlx::query_as(
        "select count(*), count(distinct e.ticket_id) from ticket_events e \
         join tickets t on t.id = e.ticket_id \
         where t.subject like 'sweep %' and e.code = 'sla_warning'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(tickets, TICKETS as i64, "every ticket warned");
    assert_eq!(events, TICKETS as i64, "no ticket warned twice");
    assert!(
        oa.warnings + ob.warnings >= TICKETS,
        "the sweepers report what they raised"
    );
    // A second round at the same moment finds nothing left to raise.
    let (ra, rb) = tokio::join!(
        app::desk::run_once(&a.state.stores, later, 500),
        app::desk::run_once(&b.state.stores, later, 500),
    );
    assert_eq!(ra.unwrap().warnings + rb.unwrap().warnings, 0);
}

/// The PostgreSQL pool under an instance.
fn a_pool(app: &TestApp) -> sqlx::PgPool {
    app.postgres_pool().expect("a PostgreSQL instance")
}

/// Tickets as a supervisor's list shows them: (number, state, version), sorted.
async fn ticket_list(app: &TestApp) -> Vec<(String, String, i64)> {
    let c = login(app, "supervisor").await;
    let (s, page) = crate::test_app::get(app, &c, "/api/v1/tickets?page_size=200").await;
    assert_eq!(s, StatusCode::OK, "{page}");
    let mut out: Vec<_> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["number"].as_str().unwrap().to_owned(),
                t["state"]["code"].as_str().unwrap().to_owned(),
                t["version"].as_i64().unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

#[tokio::test]
async fn a_sqlite_database_is_copied_to_postgresql_and_the_copy_verifies() {
    let dir = Arc::new(tempfile::tempdir().unwrap());
    let from = format!("sqlite://{}/source.db?mode=rwc", dir.path().display());
    let lite = TestApp::spawn_on(dir.clone(), from.clone()).await;
    // Some writes of our own on top of the demo data: a complaint taken through two steps.
    let agent = login(&lite, "agent").await;
    let customer = lite
        .state
        .stores
        .customers
        .customers_by_phone("13900000002")
        .await
        .unwrap()
        .remove(0);
    let (s, t) = crate::test_app::post(
        &lite,
        &agent,
        "/api/v1/tickets",
        json!({"kind": "complaint", "complexity": "general", "channel": "phone",
               "customer": customer.id.0, "subject": "话费异常 copy"}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{t}");
    let path = format!("/api/v1/tickets/{}/actions", t["id"].as_str().unwrap());
    let (s, r) = crate::test_app::post(
        &lite,
        &agent,
        &path,
        json!({"action": "acknowledge", "expected_version": t["version"]}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{r}");
    let before = ticket_list(&lite).await;
    assert!(before.len() > 5);
    drop(lite);

    let server = pg::Server::start();
    let to = server.fresh_database().await;
    let report = server::migrate_data::run(&from, &to).await.unwrap();
    let rows = |name: &str| {
        report
            .tables
            .iter()
            .find(|(t, _)| t == name)
            .map(|(_, n)| *n)
            .unwrap_or_else(|| panic!("{name} copied"))
    };
    assert_eq!(rows("tickets"), before.len() as u64);
    assert!(rows("ticket_events") > rows("tickets"));
    assert!(rows("users") >= 6 && rows("billing_accounts") > 0 && rows("kb_articles") > 0);
    assert_eq!(report.chains_verified, before.len() as u64);
    // Parents come before children.
    let at = |name: &str| report.tables.iter().position(|(t, _)| t == name).unwrap();
    assert!(at("customers") < at("tickets") && at("tickets") < at("ticket_events"));

    // A second copy into the same database is refused; nothing is written.
    let again = server::migrate_data::run(&from, &to).await.unwrap_err();
    assert!(format!("{again:#}").contains("already has"), "{again:#}");

    // Verification passes on the untouched copy and notices a changed row.
    assert!(server::migrate_data::verify(&from, &to).await.is_ok());
    let pool = sqlx::PgPool::connect(&to).await.unwrap();
    sqlx::query("update customers set name = name || '!' where id = $1")
        .bind(customer.id.0)
        .execute(&pool)
        .await
        .unwrap();
    let changed = server::migrate_data::verify(&from, &to).await.unwrap_err();
    assert!(format!("{changed:#}").contains("customers"), "{changed:#}");
    sqlx::query("update customers set name = rtrim(name, '!') where id = $1")
        .bind(customer.id.0)
        .execute(&pool)
        .await
        .unwrap();

    // The application on PostgreSQL serves the same tickets, with intact chains.
    let pg_app = TestApp::spawn_on(Arc::new(tempfile::tempdir().unwrap()), to.clone()).await;
    assert_eq!(ticket_list(&pg_app).await, before);
    let c = login(&pg_app, "agent").await;
    let (s, log) = crate::test_app::get(
        &pg_app,
        &c,
        &format!("/api/v1/tickets/{}/events", t["id"].as_str().unwrap()),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{log}");
    assert_eq!(log["chain_intact"], true, "{log}");
}

#[test]
fn migrate_data_takes_a_source_and_a_target() {
    use server::config::Command;
    let args = |a: &[&str]| Command::from_args(a.iter().map(|s| s.to_string()));
    match args(&[
        "migrate-data",
        "--from",
        "sqlite://a.db",
        "--to",
        "postgres://x/y",
    ]) {
        Ok(Command::MigrateData { from, to }) => {
            assert_eq!(
                (from.as_str(), to.as_str()),
                ("sqlite://a.db", "postgres://x/y")
            )
        }
        other => panic!("{:?}", other.map(|_| ())),
    }
    assert!(args(&["migrate-data", "--from", "sqlite://a.db"]).is_err());
    assert!(args(&["migrate-data", "--to"]).is_err());
}

#[tokio::test]
async fn killing_one_instance_mid_load_loses_no_accepted_write() {
    let server = pg::Server::start();
    let url = server.fresh_database().await;
    let mut a = Process::start(&url, true);
    let b = Process::start(&url, false);
    let customer = customer_id(&signed_in(&b.base, "agent").await, &b.base, "13900000002").await;
    // Eight agents register tickets, alternating between the instances; A is killed once
    // 100 registrations were accepted.
    let accepted = Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let (killed_tx, killed_rx) = tokio::sync::watch::channel(false);
    let progress = Arc::new(tokio::sync::Notify::new());
    let mut agents = tokio::task::JoinSet::new();
    for w in 0..8 {
        let (a_base, b_base) = (a.base.clone(), b.base.clone());
        let (accepted, customer) = (accepted.clone(), customer.clone());
        let killed = killed_rx.clone();
        let progress = progress.clone();
        agents.spawn(async move {
            let on_a = signed_in(&a_base, "agent").await;
            let on_b = signed_in(&b_base, "agent").await;
            let (mut refused, mut i) = (0u32, 0u32);
            while i < 60 {
                let (c, base) = match i % 2 {
                    0 => (&on_a, &a_base),
                    _ => (&on_b, &b_base),
                };
                i += 1;
                let sent = c
                    .post(format!("{base}/api/v1/tickets"))
                    .json(
                        &json!({"kind": "inquiry", "channel": "phone", "customer": customer,
                                  "subject": format!("load {w}-{i}")}),
                    )
                    .send()
                    .await;
                match sent {
                    Ok(r) if r.status() == StatusCode::CREATED => {
                        let t: Value = r.json().await.unwrap();
                        accepted
                            .lock()
                            .unwrap()
                            .push(t["id"].as_str().unwrap().to_owned());
                        progress.notify_one();
                    }
                    Ok(r) => panic!("{base}: {} {}", r.status(), r.text().await.unwrap()),
                    // Only the killed instance may fail to answer.
                    Err(e) => {
                        assert!(*killed.borrow() && base == &a_base, "{base}: {e}");
                        refused += 1;
                    }
                }
            }
            refused
        });
    }
    while accepted.lock().unwrap().len() < 100 {
        progress.notified().await;
    }
    killed_tx.send_replace(true);
    a.kill();
    let mut refused = 0;
    while let Some(r) = agents.join_next().await {
        refused += r.unwrap();
    }
    let accepted = accepted.lock().unwrap().clone();
    println!(
        "accepted {} registrations, {refused} refused by the killed instance; survivor RSS {:.0} MiB",
        accepted.len(),
        b.rss_mib()
    );
    assert!(refused > 0, "A was killed while agents were still using it");
    // Every accepted ticket is there, with its registration event, on the surviving instance.
    let c = signed_in(&b.base, "supervisor").await;
    for id in &accepted {
        let log = get_json(&c, &format!("{}/api/v1/tickets/{id}/events", b.base)).await;
        assert_eq!(log["chain_intact"], true, "{id}: {log}");
    }
    let pool = sqlx::PgPool::connect(&url).await.unwrap();
    let stored: i64 =
        sqlx::query_scalar("select count(*) from tickets where subject like 'load %'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert!(
        stored >= accepted.len() as i64,
        "accepted {}, stored {stored}",
        accepted.len()
    );
}

/// Waits until instance B has handled everything instance A relayed so far, without
/// guessing a time: A writes a ticket, whose wallboard change A relays after everything it
/// relayed before; B's listener handles one connection's notifications in order, so when
/// B's wallboard stream reports the change, the earlier notifications are done.
async fn settled(
    a: &TestApp,
    wallboard_on_b: &mut reqwest::Response,
    agent: &loopdesk::user::User,
) {
    let customer = a
        .state
        .stores
        .customers
        .customers_by_phone("13900000002")
        .await
        .unwrap()
        .remove(0);
    let input = serde_json::from_value(json!({
        "kind": "inquiry", "channel": "phone", "customer": customer.id.0, "subject": "barrier"}))
    .unwrap();
    app::desk::register(&a.state.stores, a.clock.now(), agent, input)
        .await
        .unwrap();
    next_event(wallboard_on_b, "changed").await;
}

#[tokio::test]
async fn an_article_published_on_one_instance_is_found_on_the_other() {
    use app::knowledge;
    use loopdesk::kb::{ArticleAction, ArticleContent, Audience};
    let server = pg::Server::start();
    let (a, b) = two_instances(&server).await;
    let user = |name: &'static str| {
        let stores = a.state.stores.clone();
        async move {
            stores
                .users
                .find_for_login(&LoginName::Username(name.into()))
                .await
                .unwrap()
                .unwrap()
                .0
        }
    };
    let (agent, supervisor) = (user("agent").await, user("supervisor").await);
    let now = a.clock.now();
    let content = ArticleContent {
        title: "跨实例测试口令".into(),
        body: "每个实例都能搜到这篇。".into(),
        category: "billing/payment".into(),
        tags: vec![],
        similar_questions: vec![],
        audience: Audience::Public,
        en: None,
    };
    let (stores_a, index_a) = (&a.state.stores, a.state.search.as_ref());
    let id = knowledge::create_article(stores_a, &agent, content, now)
        .await
        .unwrap();
    knowledge::act_on_article(stores_a, index_a, &agent, id, 1, ArticleAction::Submit, now)
        .await
        .unwrap();
    let found_on_b = || {
        let q = knowledge::SearchInput {
            text: "跨实例测试口令".into(),
            ..Default::default()
        };
        let (stores, index, agent) = (
            b.state.stores.clone(),
            b.state.search.clone(),
            agent.clone(),
        );
        async move {
            knowledge::search(
                &stores,
                index.as_ref(),
                Some(&agent),
                q,
                loopdesk::locale::Locale::ZhCn,
                now,
            )
            .await
            .unwrap()
            .iter()
            .any(|h| h.id == id.to_string())
        }
    };
    assert!(!found_on_b().await, "a draft is not indexed");
    let mut wallboard = login(&b, "supervisor")
        .await
        .get(b.url("/api/v1/wallboard/live"))
        .send()
        .await
        .unwrap();
    assert_eq!(wallboard.status(), StatusCode::OK);
    knowledge::act_on_article(
        stores_a,
        index_a,
        &supervisor,
        id,
        2,
        ArticleAction::Publish,
        now,
    )
    .await
    .unwrap();
    settled(&a, &mut wallboard, &agent).await;
    assert!(found_on_b().await, "B finds the article A published");
    knowledge::act_on_article(
        stores_a,
        index_a,
        &supervisor,
        id,
        3,
        ArticleAction::Archive,
        now,
    )
    .await
    .unwrap();
    settled(&a, &mut wallboard, &agent).await;
    assert!(
        !found_on_b().await,
        "B no longer finds the article A archived"
    );
}
