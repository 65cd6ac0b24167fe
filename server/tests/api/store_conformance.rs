//! The store conformance suite: behaviour every backend must show, written against the
//! ports only. Each function takes `&Stores`; the SQLite pass runs it on a fresh file.
//! The PostgreSQL backend will run the same functions.

use app::state::Stores;
use chrono::{Duration, TimeZone, Utc};
use loopdesk::locale::Locale;
use loopdesk::login::LoginThrottle;
use loopdesk::store::{AuditAction, AuditEntry, NewUser, PasswordHash, StoreError};
use loopdesk::user::{Department, DepartmentId, LoginName, Role, User, UserId};
use server::store::sql::SqlBackend;
use server::store::Backend;
use uuid::Uuid;

fn t0() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 2, 0, 0).unwrap()
}

fn staff(username: &str, dept: DepartmentId) -> NewUser {
    NewUser {
        user: User {
            id: UserId(Uuid::new_v4()),
            username: Some(username.into()),
            phone: None,
            display_name: format!("User {username}"),
            role: Role::Agent,
            department_id: Some(dept),
            locale: None,
            disabled: false,
        },
        password_hash: PasswordHash("$argon2id$fake".into()),
    }
}

async fn dept(stores: &Stores, code: &str) -> DepartmentId {
    let id = DepartmentId(Uuid::new_v4());
    stores
        .departments
        .create_department(Department {
            id,
            code: code.into(),
            name_zh: "计费".into(),
            name_en: "Billing".into(),
        })
        .await
        .unwrap();
    id
}

pub async fn users_round_trip(stores: &Stores) {
    let d = dept(stores, "billing").await;
    let new = staff("alice", d);
    let id = new.user.id;
    stores.users.create_user(new.clone(), t0()).await.unwrap();
    let (found, hash) = stores
        .users
        .find_for_login(&LoginName::Username("alice".into()))
        .await
        .unwrap()
        .expect("found");
    assert_eq!(found, new.user);
    assert_eq!(hash, new.password_hash);
    assert_eq!(stores.users.get_user(id).await.unwrap(), new.user);
    assert!(stores
        .users
        .find_for_login(&LoginName::Username("bob".into()))
        .await
        .unwrap()
        .is_none());
    stores.users.set_locale(id, Locale::En).await.unwrap();
    assert_eq!(
        stores.users.get_user(id).await.unwrap().locale,
        Some(Locale::En)
    );
    assert_eq!(stores.users.count_users().await.unwrap(), 1);
}

pub async fn account_lifecycle_round_trip(stores: &Stores) {
    use loopdesk::password::DisabledReason;
    use loopdesk::store::PasswordUpdate;
    let d = dept(stores, "billing").await;
    let (alice, bob) = (staff("alice", d), staff("bob", d));
    let id = alice.user.id;
    stores.users.create_user(alice.clone(), t0()).await.unwrap();
    stores.users.create_user(bob.clone(), t0()).await.unwrap();
    let a = stores.users.account(id).await.unwrap();
    assert_eq!(a.user, alice.user);
    assert_eq!(
        a.password.changed_at,
        t0(),
        "a first password dates from creation"
    );
    assert!(!a.password.must_change);
    assert_eq!(
        (a.session_epoch, a.last_login_at, a.enabled_at),
        (0, None, None)
    );
    assert_eq!(a.last_used(), t0());
    assert!(matches!(
        stores.users.account(UserId(Uuid::new_v4())).await,
        Err(StoreError::NotFound)
    ));

    // Each new password pushes the old one into a history of at most `keep_history`,
    // newest first, and moves the epoch.
    let mut epoch = 0;
    for i in 1..=5 {
        let at = t0() + Duration::days(i);
        epoch = stores
            .users
            .set_password(
                id,
                PasswordUpdate {
                    hash: PasswordHash(format!("hash-{i}")),
                    at,
                    must_change: i == 5,
                    keep_history: 3,
                },
            )
            .await
            .unwrap();
        assert_eq!(epoch, i);
    }
    let history = stores.users.password_history(id).await.unwrap();
    let names: Vec<&str> = history.iter().map(|h| h.0.as_str()).collect();
    assert_eq!(names, ["hash-4", "hash-3", "hash-2"]);
    let (_, current) = stores
        .users
        .find_for_login(&LoginName::Username("alice".into()))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(current.0, "hash-5");
    let a = stores.users.account(id).await.unwrap();
    assert_eq!(a.password.changed_at, t0() + Duration::days(5));
    assert!(a.password.must_change);
    assert_eq!(stores.users.revoke_sessions(id).await.unwrap(), epoch + 1);
    assert!(stores
        .users
        .password_history(bob.user.id)
        .await
        .unwrap()
        .is_empty());

    // Disable and enable; enabling counts as a use.
    stores
        .users
        .set_disabled(id, Some(DisabledReason::Admin), t0())
        .await
        .unwrap();
    let a = stores.users.account(id).await.unwrap();
    assert!(a.user.disabled);
    assert_eq!(a.disabled_reason, Some(DisabledReason::Admin));
    let back = t0() + Duration::days(40);
    stores.users.set_disabled(id, None, back).await.unwrap();
    let a = stores.users.account(id).await.unwrap();
    assert!(!a.user.disabled && a.disabled_reason.is_none());
    assert_eq!((a.enabled_at, a.last_used()), (Some(back), back));

    // Inactivity: bob (never used since t0) goes, alice (enabled at day 40) stays.
    let gone = stores
        .users
        .disable_inactive(t0() + Duration::days(31))
        .await
        .unwrap();
    assert_eq!(gone.iter().map(|u| u.id).collect::<Vec<_>>(), [bob.user.id]);
    let b = stores.users.account(bob.user.id).await.unwrap();
    assert_eq!(b.disabled_reason, Some(DisabledReason::Inactive));
    assert!(stores
        .users
        .disable_inactive(t0() + Duration::days(31))
        .await
        .unwrap()
        .is_empty());
    stores
        .users
        .record_login(id, t0() + Duration::days(80))
        .await
        .unwrap();
    assert_eq!(
        stores.users.account(id).await.unwrap().last_used(),
        t0() + Duration::days(80)
    );
    let listed: Vec<String> = stores
        .users
        .list_staff_accounts()
        .await
        .unwrap()
        .into_iter()
        .filter_map(|a| a.user.username)
        .collect();
    assert_eq!(listed, ["alice", "bob"]);
}

pub async fn customers_are_found_by_phone(stores: &Stores) {
    let mut new = staff("x", DepartmentId(Uuid::nil()));
    new.user.username = None;
    new.user.phone = Some("13900000002".into());
    new.user.role = Role::Customer;
    new.user.department_id = None;
    stores.users.create_user(new.clone(), t0()).await.unwrap();
    let found = stores
        .users
        .find_for_login(&LoginName::Phone("13900000002".into()))
        .await
        .unwrap();
    assert_eq!(found.map(|(u, _)| u), Some(new.user));
}

pub async fn duplicates_and_missing_rows_are_classified(stores: &Stores) {
    let d = dept(stores, "billing").await;
    stores
        .users
        .create_user(staff("alice", d), t0())
        .await
        .unwrap();
    let again = stores.users.create_user(staff("alice", d), t0()).await;
    assert!(
        matches!(again, Err(StoreError::Conflict { what: "user" })),
        "{again:?}"
    );
    let dup = stores
        .departments
        .create_department(Department {
            id: DepartmentId(Uuid::new_v4()),
            code: "billing".into(),
            name_zh: "x".into(),
            name_en: "x".into(),
        })
        .await;
    assert!(matches!(
        dup,
        Err(StoreError::Conflict { what: "department" })
    ));
    assert!(matches!(
        stores.users.get_user(UserId(Uuid::new_v4())).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        stores
            .users
            .set_locale(UserId(Uuid::new_v4()), Locale::En)
            .await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        stores
            .departments
            .get_department(DepartmentId(Uuid::new_v4()))
            .await,
        Err(StoreError::NotFound)
    ));
}

pub async fn a_staff_user_needs_a_department(stores: &Stores) {
    let mut new = staff("carol", DepartmentId(Uuid::new_v4()));
    new.user.department_id = None;
    assert!(stores.users.create_user(new, t0()).await.is_err());
    assert_eq!(
        stores.users.count_users().await.unwrap(),
        0,
        "nothing written"
    );
}

pub async fn login_failures_lock_and_clear(stores: &Stores) {
    let th = LoginThrottle::default();
    let key = "u:alice";
    for i in 0..4 {
        let lock = stores
            .login_attempts
            .record_failure(key, t0() + Duration::minutes(i), &th)
            .await
            .unwrap();
        assert_eq!(lock, None);
    }
    // Another key does not count towards this one.
    stores
        .login_attempts
        .record_failure("u:bob", t0(), &th)
        .await
        .unwrap();
    let lock = stores
        .login_attempts
        .record_failure(key, t0() + Duration::minutes(5), &th)
        .await
        .unwrap();
    assert_eq!(lock, Some(t0() + Duration::minutes(20)));
    assert_eq!(
        stores.login_attempts.locked_until(key).await.unwrap(),
        Some(t0() + Duration::minutes(20))
    );
    assert_eq!(
        stores.login_attempts.locked_until("u:bob").await.unwrap(),
        None
    );
    stores.login_attempts.clear(key).await.unwrap();
    assert_eq!(stores.login_attempts.locked_until(key).await.unwrap(), None);
}

pub async fn old_failures_fall_out_of_the_window(stores: &Stores) {
    let th = LoginThrottle::default();
    for i in 0..4 {
        stores
            .login_attempts
            .record_failure("u:a", t0() + Duration::minutes(i), &th)
            .await
            .unwrap();
    }
    // 20 minutes later only this failure counts.
    let lock = stores
        .login_attempts
        .record_failure("u:a", t0() + Duration::minutes(20), &th)
        .await
        .unwrap();
    assert_eq!(lock, None);
}

pub async fn audit_entries_come_back_newest_first(stores: &Stores) {
    for (i, action) in [AuditAction::LoginFailed, AuditAction::AccountLocked]
        .into_iter()
        .enumerate()
    {
        stores
            .audit
            .append(AuditEntry {
                at: t0() + Duration::seconds(i as i64),
                actor: None,
                action,
                subject: "u:alice".into(),
                detail: format!("#{i}"),
                transaction_id: Some("tx-1".into()),
            })
            .await
            .unwrap();
    }
    let recent = stores.audit.recent(10).await.unwrap();
    assert_eq!(recent.len(), 2);
    assert_eq!(recent[0].action, AuditAction::AccountLocked);
    assert_eq!(recent[0].at, t0() + Duration::seconds(1));
    assert_eq!(recent[1].transaction_id.as_deref(), Some("tx-1"));
    assert_eq!(stores.audit.recent(1).await.unwrap().len(), 1);
}

pub async fn audit_entries_form_a_chain_and_can_be_searched(stores: &Stores) {
    use loopdesk::audit::{ChainWalk, GENESIS};
    use loopdesk::store::AuditQuery;
    let d = dept(stores, "center").await;
    let alice = staff("alice", d);
    stores.users.create_user(alice.clone(), t0()).await.unwrap();
    let alice = alice.user.id;
    let entries = [
        (AuditAction::LoginSucceeded, Some(alice), "u:alice", 0),
        (AuditAction::BillingViewed, Some(alice), "c:1", 10),
        (AuditAction::LoginFailed, None, "u:bob", 20),
        (AuditAction::BillingViewed, Some(alice), "c:2", 30),
        (AuditAction::Logout, Some(alice), "u:alice", 40),
    ];
    for (action, actor, subject, minute) in entries {
        stores
            .audit
            .append(AuditEntry {
                at: t0() + Duration::minutes(minute),
                actor,
                action,
                subject: subject.into(),
                detail: "中文 detail".into(),
                transaction_id: None,
            })
            .await
            .unwrap();
    }
    let all = stores.audit.sealed_after(0, 100).await.unwrap();
    assert_eq!(all.len(), 5);
    assert_eq!(all[0].prev_hash, GENESIS);
    let mut walk = ChainWalk::default();
    for s in &all {
        walk.check(s).unwrap();
    }
    assert_eq!(walk.checked(), 5);
    for pair in all.windows(2) {
        assert!(pair[0].id < pair[1].id);
        assert_eq!(pair[1].prev_hash, pair[0].hash);
    }
    // Pages of the walk.
    let page = stores.audit.sealed_after(all[1].id, 2).await.unwrap();
    assert_eq!(page, all[2..4].to_vec());

    let search = |q: AuditQuery| async move { stores.audit.search_audit(&q).await.unwrap() };
    let q = AuditQuery {
        page: 1,
        page_size: 50,
        ..AuditQuery::default()
    };
    let everything = search(q.clone()).await;
    assert_eq!(everything.total, 5);
    assert_eq!(everything.items[0], all[4], "newest first");
    let viewed = search(AuditQuery {
        action: Some(AuditAction::BillingViewed),
        ..q.clone()
    })
    .await;
    assert_eq!(viewed.total, 2);
    assert_eq!(
        viewed
            .items
            .iter()
            .map(|s| s.entry.subject.as_str())
            .collect::<Vec<_>>(),
        ["c:2", "c:1"]
    );
    let by_alice = search(AuditQuery {
        actor: Some(alice),
        ..q.clone()
    })
    .await;
    assert_eq!(by_alice.total, 4);
    let about = search(AuditQuery {
        subject: Some("u:alice".into()),
        from: Some(t0() + Duration::minutes(1)),
        to: Some(t0() + Duration::minutes(41)),
        ..q.clone()
    })
    .await;
    assert_eq!(about.items, vec![all[4].clone()]);
    let second_page = search(AuditQuery {
        page: 2,
        page_size: 2,
        ..q.clone()
    })
    .await;
    assert_eq!(second_page.total, 5);
    assert_eq!(second_page.items, vec![all[2].clone(), all[1].clone()]);
}

pub async fn the_database_answers_pings(stores: &Stores) {
    stores.health.ping().await.unwrap();
}

// ---------------------------------------------------------------- desk

fn customer(name: &str, phone: &str) -> loopdesk::customer::Customer {
    loopdesk::customer::Customer::new(
        loopdesk::customer::CustomerId(Uuid::new_v4()),
        name,
        &[phone.to_owned()],
        loopdesk::customer::Tier::Silver,
    )
    .unwrap()
}

async fn stored_ticket(
    stores: &Stores,
    d: DepartmentId,
    c: &loopdesk::customer::Customer,
    due_in_minutes: i64,
) -> loopdesk::ticket::Ticket {
    use loopdesk::store::desk::{NewTicket, SlaSnapshot, TicketDetails};
    use loopdesk::ticket::event::{EventKind, NewEvent};
    use loopdesk::ticket::*;
    let t = Ticket::register(Registration {
        id: TicketId(Uuid::new_v4()),
        kind: TicketKind::Query,
        channel: Channel::Phone,
        customer: c.id,
        tier: c.tier,
        priority: Priority::Normal,
        complexity: None,
        department: d,
        registered_by: None,
        on_call: false,
    })
    .unwrap();
    let due = t0() + Duration::minutes(due_in_minutes);
    stores
        .tickets
        .create_ticket(NewTicket {
            ticket: t.clone(),
            details: TicketDetails {
                account: None,
                contact_time: None,
                subject: format!("due in {due_in_minutes}"),
                description: String::new(),
                category: String::new(),
            },
            day: "20261123".into(),
            registered_at: t0(),
            registered_by: None,
            events: vec![NewEvent {
                at: t0(),
                actor: None,
                kind: EventKind::Registered { on_call: false },
                from: None,
                to: t.state,
            }],
            sla: SlaSnapshot {
                targets: Vec::new(),
                next_check_at: Some(due),
                nearest_due_at: Some(due),
                risk_at: Some(due - Duration::minutes(5)),
            },
        })
        .await
        .unwrap();
    t
}

pub async fn customers_are_searched_by_name_and_number(stores: &Stores) {
    let a = customer("张明", "13800000001");
    stores.customers.create_customer(&a, t0()).await.unwrap();
    stores
        .customers
        .create_customer(&customer("李华", "021-6555 0005"), t0())
        .await
        .unwrap();
    assert_eq!(stores.customers.get_customer(a.id).await.unwrap(), a);
    let by_name = stores.customers.search_customers("张", 10).await.unwrap();
    assert_eq!(by_name, vec![a.clone()]);
    let by_number = stores
        .customers
        .search_customers("0216555", 10)
        .await
        .unwrap();
    assert_eq!(by_number.len(), 1);
    assert_eq!(by_number[0].name, "李华");
    assert!(stores
        .customers
        .search_customers("%", 10)
        .await
        .unwrap()
        .is_empty());
    // A number has one owner.
    let dup = customer("王五", "13800000001");
    assert!(matches!(
        stores.customers.create_customer(&dup, t0()).await,
        Err(StoreError::Conflict { .. })
    ));
    assert!(matches!(
        stores.customers.get_customer(dup.id).await,
        Err(StoreError::NotFound)
    ));
}

pub async fn ticket_writes_are_version_checked_and_chained(stores: &Stores) {
    use loopdesk::store::desk::{SlaSnapshot, TicketWrite};
    use loopdesk::ticket::action::Action;
    use loopdesk::ticket::event::{verify_chain, EventKind, NewEvent};
    use loopdesk::ticket::TicketState;
    let d = dept(stores, "center").await;
    let c = customer("张明", "13800000001");
    stores.customers.create_customer(&c, t0()).await.unwrap();
    let t = stored_ticket(stores, d, &c, 15).await;
    let first = stores.tickets.get_ticket(t.id).await.unwrap();
    assert_eq!(first.number, "T20261123-000001");
    assert_eq!(first.ticket, t);
    let second = stored_ticket(stores, d, &c, 30).await;
    assert_eq!(
        stores.tickets.get_ticket(second.id).await.unwrap().number,
        "T20261123-000002"
    );

    let mut next = t.clone();
    next.state = TicketState::Acknowledged;
    next.version = 2;
    let write = |ticket: loopdesk::ticket::Ticket| TicketWrite {
        ticket: ticket.clone(),
        events: vec![NewEvent {
            at: t0() + Duration::minutes(1),
            actor: None,
            kind: EventKind::Action(Action::Acknowledge),
            from: Some(TicketState::New),
            to: TicketState::Acknowledged,
        }],
        sla: SlaSnapshot::default(),
        outbound: Vec::new(),
        supersede: Vec::new(),
        notifications: Vec::new(),
        customer_notices: vec![loopdesk::store::portal::CustomerNotice {
            id: Uuid::new_v4(),
            customer: t.customer,
            ticket: t.id,
            kind: loopdesk::store::portal::NoticeKind::StateChanged,
            state: ticket.state,
            at: t0() + Duration::minutes(1),
            read: false,
        }],
        at: t0() + Duration::minutes(1),
    };
    stores
        .tickets
        .write_ticket(1, write(next.clone()))
        .await
        .unwrap();
    // The same expected version again: conflict, nothing written.
    let mut stale = next.clone();
    stale.state = TicketState::Cancelled;
    assert!(matches!(
        stores.tickets.write_ticket(1, write(stale)).await,
        Err(StoreError::Conflict { what: "version" })
    ));
    let stored = stores.tickets.get_ticket(t.id).await.unwrap();
    assert_eq!(stored.ticket.state, TicketState::Acknowledged);
    assert_eq!(stored.ticket.version, 2);
    assert_eq!(stored.next_check_at, None, "the SLA snapshot was replaced");
    let events = stores.tickets.ticket_events(t.id).await.unwrap();
    assert_eq!(events.len(), 2);
    assert_eq!(verify_chain(&events), Ok(()));
    // The notice came with the successful write only.
    let notices = stores.portal.notices(t.customer, 10).await.unwrap();
    assert_eq!(notices.len(), 1);
    assert_eq!(notices[0].state, TicketState::Acknowledged);
    assert!(matches!(
        stores
            .tickets
            .write_ticket(
                1,
                write({
                    let mut x = next;
                    x.id = loopdesk::ticket::TicketId(Uuid::new_v4());
                    x
                })
            )
            .await,
        Err(StoreError::NotFound)
    ));
}

pub async fn due_tickets_are_claimed_earliest_first_and_lists_page(stores: &Stores) {
    use loopdesk::store::desk::{TicketQuery, TicketSort};
    let d = dept(stores, "center").await;
    let c = customer("张明", "13800000001");
    stores.customers.create_customer(&c, t0()).await.unwrap();
    let late = stored_ticket(stores, d, &c, 60).await;
    let early = stored_ticket(stores, d, &c, 10).await;
    let middle = stored_ticket(stores, d, &c, 30).await;
    let now = t0() + Duration::minutes(45);
    let lease = now + Duration::minutes(5);
    let claim = |limit| stores.tickets.claim_sla_checks(now, limit, lease);
    assert_eq!(claim(1).await.unwrap(), vec![early.id]);
    // A claimed ticket is passed by until its lease ends.
    assert_eq!(claim(10).await.unwrap(), vec![middle.id]);
    assert!(claim(10).await.unwrap().is_empty());
    // A sweeper that died leaves its claims to be taken again after the lease.
    let again = stores
        .tickets
        .claim_sla_checks(lease, 10, lease + Duration::minutes(5))
        .await
        .unwrap();
    let mut expected = vec![early.id, middle.id];
    expected.sort_by_key(|id| id.0); // equal leases: in id order
    assert_eq!(again, expected);
    let record = stores.tickets.get_ticket(early.id).await.unwrap();
    assert_eq!(
        record.ticket.version, early.version,
        "a claim is not a ticket write"
    );
    let q = |page, page_size| TicketQuery {
        open_only: true,
        sort: TicketSort::NearestDue,
        page,
        page_size,
        ..TicketQuery::default()
    };
    let p1 = stores.tickets.list_tickets(&q(1, 2)).await.unwrap();
    assert_eq!(p1.total, 3);
    let ids: Vec<_> = p1.items.iter().map(|r| r.id).collect();
    assert_eq!(ids, vec![early.id, middle.id]);
    assert_eq!(p1.items[0].customer_name, "张明");
    let p2 = stores.tickets.list_tickets(&q(2, 2)).await.unwrap();
    assert_eq!(
        p2.items.iter().map(|r| r.id).collect::<Vec<_>>(),
        vec![late.id]
    );
    let risky = stores
        .tickets
        .list_tickets(&TicketQuery {
            at_risk_at: Some(t0() + Duration::minutes(26)),
            ..q(1, 50)
        })
        .await
        .unwrap();
    assert_eq!(risky.total, 2);
    assert_eq!(stores.tickets.open_ticket_ids().await.unwrap().len(), 3);
}

pub async fn calendars_and_policies_round_trip(stores: &Stores) {
    use loopdesk::calendar::spec::CalendarSpec;
    use loopdesk::store::desk::StoredCalendar;
    assert!(stores.sla_config.calendars().await.unwrap().is_empty());
    assert!(stores.sla_config.policies().await.unwrap().is_empty());
    let cal = StoredCalendar {
        code: "office".into(),
        spec: CalendarSpec::of(&loopdesk::calendar::Calendar::office()),
        updated_at: t0(),
    };
    stores.sla_config.put_calendar(cal.clone()).await.unwrap();
    stores.sla_config.put_calendar(cal.clone()).await.unwrap();
    assert_eq!(stores.sla_config.calendars().await.unwrap(), vec![cal]);
    let policies = loopdesk::sla::seed_policies();
    stores
        .sla_config
        .put_policies(&policies, t0())
        .await
        .unwrap();
    stores
        .sla_config
        .put_policies(&policies, t0())
        .await
        .unwrap();
    assert_eq!(stores.sla_config.policies().await.unwrap(), policies);
}

// ---------------------------------------------------------------- console

pub async fn billing_batches_upsert_and_count_what_changed(stores: &Stores) {
    use loopdesk::billing::*;
    use loopdesk::store::console::BillingBatch;
    let c = customer("张明", "13800000001");
    stores.customers.create_customer(&c, t0()).await.unwrap();
    let account = |balance| Account {
        number: "A1".into(),
        customer: c.id,
        plan: "畅享 129".into(),
        status: AccountStatus::Active,
        balance: Fen(balance),
        credit_limit: Fen(0),
    };
    let bill = |month, total| Bill {
        account: "A1".into(),
        period: Period { year: 2026, month },
        due_on: format!("2026-{:02}-15", month + 1).parse().unwrap(),
        items: vec![BillItem {
            name: "月基本费".into(),
            amount: Fen(total),
        }],
    };
    let batch = BillingBatch {
        accounts: vec![account(-5000)],
        bills: vec![bill(9, 5000), bill(10, 6000)],
        payments: vec![Payment {
            reference: "P1".into(),
            account: "A1".into(),
            paid_at: t0(),
            amount: Fen(100),
            method: PayMethod::Alipay,
        }],
        usage: vec![Usage {
            account: "A1".into(),
            day: "2026-11-20".parse().unwrap(),
            kind: UsageKind::Data,
            quantity: 100,
            charge: Fen(0),
        }],
    };
    let first = stores.billing.import_billing(&batch, t0()).await.unwrap();
    assert_eq!((first.created, first.updated, first.unchanged), (5, 0, 0));
    let again = stores.billing.import_billing(&batch, t0()).await.unwrap();
    assert_eq!((again.created, again.updated, again.unchanged), (0, 0, 5));
    let mut changed = batch.clone();
    changed.accounts[0].balance = Fen(0);
    changed.bills[1].items.push(BillItem {
        name: "优惠".into(),
        amount: Fen(-100),
    });
    let third = stores.billing.import_billing(&changed, t0()).await.unwrap();
    assert_eq!((third.created, third.updated, third.unchanged), (0, 2, 3));

    assert_eq!(
        stores.billing.account("A1").await.unwrap(),
        Some(account(0))
    );
    assert_eq!(
        stores.billing.customer_accounts(c.id).await.unwrap().len(),
        1
    );
    let bills = stores.billing.bills("A1", 12).await.unwrap();
    assert_eq!(
        bills.iter().map(|b| b.period.month).collect::<Vec<_>>(),
        vec![10, 9]
    );
    assert_eq!(bills[0].total(), Fen(5900));
    assert_eq!(stores.billing.payments("A1", 5).await.unwrap().len(), 1);
    let from = "2026-11-01".parse().unwrap();
    assert_eq!(
        stores.billing.usage("A1", from, from).await.unwrap().len(),
        0
    );
    assert_eq!(
        stores
            .billing
            .usage("A1", from, "2026-11-30".parse().unwrap())
            .await
            .unwrap()
            .len(),
        1
    );
    assert!(stores.billing.owing_accounts(10).await.unwrap().is_empty());
    stores.billing.import_billing(&batch, t0()).await.unwrap();
    assert_eq!(stores.billing.owing_accounts(10).await.unwrap().len(), 1);

    // A batch that fails half way writes nothing: a bill for an unknown account.
    let mut broken = batch.clone();
    broken.accounts[0].plan = "改了".into();
    broken.bills.push(Bill {
        account: "NOPE".into(),
        ..bill(8, 1)
    });
    assert!(stores.billing.import_billing(&broken, t0()).await.is_err());
    assert_eq!(
        stores.billing.account("A1").await.unwrap().unwrap().plan,
        "畅享 129"
    );
}

pub async fn agent_states_are_version_checked_and_logged(stores: &Stores) {
    use loopdesk::agent::{AgentState, AgentStatus, StateSource};
    use loopdesk::store::console::AgentStateChange;
    let d = dept(stores, "center").await;
    let new = staff("alice", d);
    let user = new.user.id;
    stores.users.create_user(new, t0()).await.unwrap();
    assert_eq!(stores.agents.agent_status(user).await.unwrap(), None);
    let change = |state, minutes, source| AgentStateChange {
        user,
        status: AgentStatus {
            state,
            reason: None,
            call_id: None,
            since: t0() + Duration::minutes(minutes),
        },
        source,
    };
    stores
        .agents
        .set_agent_status(&change(AgentState::Available, 0, StateSource::Agent), None)
        .await
        .unwrap();
    assert!(matches!(
        stores
            .agents
            .set_agent_status(&change(AgentState::Break, 1, StateSource::Agent), None)
            .await,
        Err(StoreError::Conflict { .. })
    ));
    stores
        .agents
        .set_agent_status(&change(AgentState::OnCall, 2, StateSource::Cti), Some(1))
        .await
        .unwrap();
    assert!(matches!(
        stores
            .agents
            .set_agent_status(&change(AgentState::Break, 3, StateSource::Agent), Some(1))
            .await,
        Err(StoreError::Conflict { .. })
    ));
    let (now, version) = stores.agents.agent_status(user).await.unwrap().unwrap();
    assert_eq!((now.state, version), (AgentState::OnCall, 2));
    let log = stores.agents.agent_state_log(user, t0()).await.unwrap();
    assert_eq!(log.len(), 2, "refused changes are not logged");
    assert_eq!(log[1].source, StateSource::Cti);
    assert_eq!(stores.agents.agent_statuses().await.unwrap().len(), 1);
}

pub async fn tasks_are_added_once_and_updated_by_version(stores: &Stores) {
    use loopdesk::store::desk::TaskQuery;
    use loopdesk::task::*;
    let d = dept(stores, "center").await;
    let new = staff("alice", d);
    let user = new.user.id;
    stores.users.create_user(new, t0()).await.unwrap();
    let c = customer("张明", "13800000001");
    stores.customers.create_customer(&c, t0()).await.unwrap();
    let t = stored_ticket(stores, d, &c, 60).await;
    let task = |reason, due| {
        let mut x = OutboundTask::new(
            Uuid::new_v4(),
            reason,
            Some(c.id),
            "13800000001".into(),
            d,
            due,
            t0(),
        );
        x.ticket = Some(t.id);
        x
    };
    let a = task(TaskReason::SlaOverdue, t0());
    assert!(stores.work.add_task(&a).await.unwrap());
    assert!(
        !stores
            .work
            .add_task(&task(TaskReason::SlaOverdue, t0()))
            .await
            .unwrap(),
        "one open notice per ticket"
    );
    let b = task(TaskReason::FollowUp, t0() - Duration::minutes(5));
    assert!(stores.work.add_task(&b).await.unwrap());
    let open = stores
        .work
        .tasks(&TaskQuery {
            open_only: true,
            limit: 10,
            ..TaskQuery::default()
        })
        .await
        .unwrap();
    assert_eq!(
        open.iter().map(|x| x.id).collect::<Vec<_>>(),
        vec![b.id, a.id],
        "earliest due first"
    );

    let done = a.record(user, TaskOutcome::Reached, "ok", t0()).unwrap();
    let attempt = TaskAttempt {
        at: t0(),
        user,
        outcome: TaskOutcome::Reached,
        note: "ok".into(),
    };
    stores
        .work
        .update_task(&done, a.version, Some(&attempt))
        .await
        .unwrap();
    assert!(matches!(
        stores.work.update_task(&done, a.version, None).await,
        Err(StoreError::Conflict { .. })
    ));
    assert_eq!(stores.work.get_task(a.id).await.unwrap(), done);
    assert_eq!(
        stores.work.task_attempts(a.id).await.unwrap(),
        vec![attempt]
    );
    // With the notice done, a new one may be added.
    assert!(stores
        .work
        .add_task(&task(TaskReason::SlaOverdue, t0()))
        .await
        .unwrap());
    let mine = stores
        .work
        .tasks(&TaskQuery {
            assignee: Some(Some(user)),
            limit: 10,
            ..TaskQuery::default()
        })
        .await
        .unwrap();
    assert_eq!(mine.len(), 1);
    assert!(matches!(
        stores.work.get_task(Uuid::new_v4()).await,
        Err(StoreError::NotFound)
    ));
}

pub async fn phrases_round_trip(stores: &Stores) {
    let all = loopdesk::phrase::defaults();
    for p in &all {
        stores.phrases.put_phrase(p, t0()).await.unwrap();
    }
    assert_eq!(stores.phrases.phrases().await.unwrap(), all);
    let mut edited = all[0].clone();
    edited.steps[0].zh = "您好!".into();
    stores.phrases.put_phrase(&edited, t0()).await.unwrap();
    assert_eq!(stores.phrases.phrases().await.unwrap()[0], edited);
    stores.phrases.delete_phrase(edited.id).await.unwrap();
    assert!(matches!(
        stores.phrases.delete_phrase(edited.id).await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(stores.phrases.phrases().await.unwrap().len(), all.len() - 1);
}

async fn stored_staff(stores: &Stores, name: &str) -> UserId {
    let d = dept(stores, &format!("kb-{name}")).await;
    let new = staff(name, d);
    let id = new.user.id;
    stores.users.create_user(new, t0()).await.unwrap();
    id
}

fn article_content(title: &str, audience: loopdesk::kb::Audience) -> loopdesk::kb::ArticleContent {
    loopdesk::kb::ArticleContent {
        title: title.into(),
        body: "重启光猫".into(),
        category: "broadband/fault".into(),
        tags: vec!["宽带".into()],
        similar_questions: vec!["宽带上不了网".into()],
        audience,
        en: None,
    }
}

pub async fn articles_keep_versions_and_a_live_version(stores: &Stores) {
    use loopdesk::kb::{Article, ArticleAction, ArticleStatus, Audience};
    use loopdesk::store::knowledge::ArticleFilter;
    let (author, reviewer) = (
        stored_staff(stores, "author").await,
        stored_staff(stores, "reviewer").await,
    );
    let kb = &stores.knowledge;
    let a = Article::draft(
        Uuid::new_v4(),
        article_content("宽带断网", Audience::Public),
        author,
        t0(),
    )
    .unwrap();
    kb.create_article(&a, t0()).await.unwrap();
    let rec = kb.article(a.id).await.unwrap();
    assert_eq!((rec.article.clone(), rec.rev, rec.views), (a.clone(), 1, 0));
    let edited = a
        .apply(
            ArticleAction::Edit {
                content: article_content("宽带断网怎么办", Audience::Public),
            },
            author,
            Role::Agent,
            t0(),
        )
        .unwrap();
    kb.save_article(&edited, 1, true).await.unwrap();
    assert!(matches!(
        kb.save_article(&edited, 1, true).await,
        Err(StoreError::Conflict { .. })
    ));
    let submitted = edited
        .apply(ArticleAction::Submit, author, Role::Agent, t0())
        .unwrap();
    kb.save_article(&submitted, 2, false).await.unwrap();
    let published = submitted
        .apply(ArticleAction::Publish, reviewer, Role::Supervisor, t0())
        .unwrap();
    kb.save_article(&published, 3, false).await.unwrap();
    let versions = kb.article_versions(a.id).await.unwrap();
    assert_eq!(
        versions.iter().map(|v| v.version).collect::<Vec<_>>(),
        vec![2, 1]
    );
    assert_eq!(versions[0].content.title, "宽带断网怎么办");
    assert_eq!(
        kb.article_version(a.id, 1).await.unwrap().content.title,
        "宽带断网"
    );
    let live = kb.live_articles().await.unwrap();
    assert_eq!(live, vec![(a.id, versions[0].content.clone())]);
    // A revision leaves the published version live and visible in readers' lists.
    let revised = published
        .apply(ArticleAction::Revise, author, Role::Agent, t0())
        .unwrap();
    kb.save_article(&revised, 4, false).await.unwrap();
    let mut changed = article_content("宽带断网（草稿）", Audience::Internal);
    changed.body = "新的步骤".into();
    let redrafted = revised
        .apply(
            ArticleAction::Edit { content: changed },
            author,
            Role::Agent,
            t0(),
        )
        .unwrap();
    kb.save_article(&redrafted, 5, true).await.unwrap();
    assert_eq!(
        kb.live_articles().await.unwrap()[0].1.title,
        "宽带断网怎么办",
        "readers keep the published version"
    );
    let public = ArticleFilter {
        live_audience: Some(Audience::Public),
        limit: 10,
        ..Default::default()
    };
    assert_eq!(kb.articles(&public).await.unwrap().len(), 1);
    let drafts = ArticleFilter {
        status: Some(ArticleStatus::Draft),
        category: Some("broadband".into()),
        limit: 10,
        ..Default::default()
    };
    assert_eq!(kb.articles(&drafts).await.unwrap()[0].article.id, a.id);
    let other_category = ArticleFilter {
        category: Some("broad".into()),
        limit: 10,
        ..Default::default()
    };
    assert!(kb.articles(&other_category).await.unwrap().is_empty());
    // Counters.
    kb.count_view(a.id).await.unwrap();
    assert_eq!(kb.vote(a.id, "u1", true, t0()).await.unwrap(), (1, 0));
    assert_eq!(kb.vote(a.id, "u2", false, t0()).await.unwrap(), (1, 1));
    assert_eq!(
        kb.vote(a.id, "u1", false, t0()).await.unwrap(),
        (0, 2),
        "last vote counts"
    );
    kb.record_use(&loopdesk::store::knowledge::SuggestionUse {
        kind: loopdesk::kb::search::DocKind::Article,
        target: a.id,
        ticket: None,
        user: author,
        at: t0(),
    })
    .await
    .unwrap();
    let rec = kb.article(a.id).await.unwrap();
    assert_eq!(
        (rec.views, rec.helpful, rec.not_helpful, rec.used),
        (1, 0, 2, 1)
    );
    assert!(matches!(
        kb.article(Uuid::new_v4()).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        kb.count_view(Uuid::new_v4()).await,
        Err(StoreError::NotFound)
    ));
}

pub async fn categories_synonyms_and_zero_results_round_trip(stores: &Stores) {
    use loopdesk::kb::search::SynonymGroup;
    use loopdesk::kb::Audience;
    use loopdesk::store::knowledge::Category;
    let kb = &stores.knowledge;
    let c = Category {
        path: "billing".into(),
        name_zh: "话费".into(),
        name_en: "Billing".into(),
    };
    kb.put_category(&c).await.unwrap();
    kb.put_category(&Category {
        name_en: "Bills".into(),
        ..c.clone()
    })
    .await
    .unwrap();
    assert_eq!(kb.categories().await.unwrap()[0].name_en, "Bills");
    let g = SynonymGroup::parse(Uuid::new_v4(), "流量/数据").unwrap();
    kb.put_synonym(&g).await.unwrap();
    let g2 = SynonymGroup::parse(g.id, "流量/数据/上网").unwrap();
    kb.put_synonym(&g2).await.unwrap();
    assert_eq!(kb.synonyms().await.unwrap(), vec![g2.clone()]);
    kb.delete_synonym(g2.id).await.unwrap();
    assert!(matches!(
        kb.delete_synonym(g2.id).await,
        Err(StoreError::NotFound)
    ));
    for _ in 0..3 {
        kb.record_zero_result("宽带报装", Audience::Public, t0())
            .await
            .unwrap();
    }
    kb.record_zero_result("携转", Audience::Internal, t0() + Duration::hours(1))
        .await
        .unwrap();
    let z = kb.zero_results(10).await.unwrap();
    assert_eq!(
        z.iter()
            .map(|z| (z.query.as_str(), z.count))
            .collect::<Vec<_>>(),
        vec![("宽带报装", 3), ("携转", 1)]
    );
}

fn tiny_flow() -> loopdesk::flow::FlowDef {
    serde_json::from_value(serde_json::json!({
        "title_zh": "宽带故障自助排查", "title_en": "Broadband self-check",
        "nodes": [
            {"id": "s", "type": "start"},
            {"id": "t", "type": "task", "instructions_zh": "看灯", "instructions_en": "Check the light",
             "fields": [{"name": "light", "label_zh": "灯", "label_en": "Light",
                         "kind": {"type": "choice", "options": ["red", "green"]}, "required": true}]},
            {"id": "e", "type": "end", "outcome": {"type": "resolved", "note_zh": "好", "note_en": "ok"}}
        ],
        "edges": [{"from": "s", "to": "t"}, {"from": "t", "to": "e"}]
    }))
    .unwrap()
}

pub async fn flows_freeze_versions_and_runs_are_version_checked(stores: &Stores) {
    use loopdesk::flow::{self, Flow};
    use loopdesk::kb::bot::Conversation;
    use loopdesk::kb::Audience;
    use loopdesk::store::knowledge::{BotSession, FlowRun};
    let by = stored_staff(stores, "flows").await;
    let fs = &stores.flows;
    let f = Flow {
        id: Uuid::new_v4(),
        def: tiny_flow(),
        audience: Audience::Public,
        category: "broadband/fault".into(),
        keywords: vec!["上不了网".into()],
        live: None,
        rev: 1,
        updated_at: t0(),
    };
    fs.create_flow(&f, by).await.unwrap();
    assert_eq!(fs.flow(f.id).await.unwrap(), f);
    assert_eq!(fs.publish_flow(f.id, &f.def, by, t0()).await.unwrap(), 1);
    let mut changed = fs.flow(f.id).await.unwrap();
    assert_eq!((changed.live, changed.rev), (Some(1), 2));
    changed.def.title_zh = "宽带自查".into();
    fs.save_flow(&changed, 2, by).await.unwrap();
    assert!(matches!(
        fs.save_flow(&changed, 2, by).await,
        Err(StoreError::Conflict { .. })
    ));
    assert_eq!(
        fs.publish_flow(f.id, &changed.def, by, t0()).await.unwrap(),
        2
    );
    assert_eq!(
        fs.flow_version(f.id, 1).await.unwrap().title_zh,
        "宽带故障自助排查"
    );
    assert_eq!(fs.flows().await.unwrap().len(), 1);
    assert!(matches!(
        fs.flow_version(f.id, 9).await,
        Err(StoreError::NotFound)
    ));
    let def1 = fs.flow_version(f.id, 1).await.unwrap();
    let run = FlowRun {
        id: Uuid::new_v4(),
        flow: f.id,
        version: 1,
        run: flow::start(&def1).unwrap(),
        user: by,
        customer: None,
        ticket: None,
        rev: 1,
        started_at: t0(),
        updated_at: t0(),
    };
    fs.create_run(&run).await.unwrap();
    assert_eq!(fs.open_runs(by, 10).await.unwrap(), vec![run.clone()]);
    let answers = [("light".to_owned(), "red".to_owned())]
        .into_iter()
        .collect();
    let done = FlowRun {
        run: flow::submit(&def1, &run.run, &answers, t0()).unwrap(),
        ..run.clone()
    };
    fs.save_run(&done, 1).await.unwrap();
    assert!(matches!(
        fs.save_run(&done, 1).await,
        Err(StoreError::Conflict { .. })
    ));
    assert_eq!(fs.run(run.id).await.unwrap().run, done.run);
    assert!(
        fs.open_runs(by, 10).await.unwrap().is_empty(),
        "finished runs are not open"
    );
    let bad = FlowRun {
        id: Uuid::new_v4(),
        version: 7,
        ..run.clone()
    };
    assert!(
        fs.create_run(&bad).await.is_err(),
        "a run needs a published version"
    );
    let s = BotSession {
        id: Uuid::new_v4(),
        user: by,
        conversation: Conversation::new(),
        rev: 1,
        started_at: t0(),
        updated_at: t0(),
    };
    fs.create_conversation(&s).await.unwrap();
    let mut next = s.clone();
    next.conversation.ask("宽带", &[], t0()).unwrap();
    fs.save_conversation(&next, 1).await.unwrap();
    assert!(matches!(
        fs.save_conversation(&next, 1).await,
        Err(StoreError::Conflict { .. })
    ));
    assert_eq!(
        fs.conversation(s.id).await.unwrap().conversation,
        next.conversation
    );
    assert!(matches!(
        fs.conversation(Uuid::new_v4()).await,
        Err(StoreError::NotFound)
    ));
}

pub async fn portal_codes_limits_files_and_notices(stores: &Stores) {
    use loopdesk::portal::attachment::FileKind;
    use loopdesk::portal::{CodePurpose, RateBucket, VerificationCode};
    use loopdesk::store::portal::AttachmentMeta;
    let p = &stores.portal;
    // Codes: one per number and purpose, attempts counted, used once.
    let (first, _) = VerificationCode::issue("13800000001", CodePurpose::Register, 1, t0());
    p.put_code(&first).await.unwrap();
    let (second, _) = VerificationCode::issue("13800000001", CodePurpose::Register, 2, t0());
    p.put_code(&second).await.unwrap();
    assert_eq!(
        p.get_code("13800000001", CodePurpose::Register)
            .await
            .unwrap(),
        Some(second.clone())
    );
    assert_eq!(
        p.get_code("13800000001", CodePurpose::Reset).await.unwrap(),
        None
    );
    p.code_failed("13800000001", CodePurpose::Register)
        .await
        .unwrap();
    let stored = p
        .get_code("13800000001", CodePurpose::Register)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.attempts, 1);
    assert!(p
        .consume_code("13800000001", CodePurpose::Register)
        .await
        .unwrap());
    assert!(!p
        .consume_code("13800000001", CodePurpose::Register)
        .await
        .unwrap());
    // Rate hits in a window.
    for m in [0, 10, 20] {
        p.record_rate_hit(
            RateBucket::CodePerIp,
            "10.0.0.1",
            t0() + Duration::minutes(m),
        )
        .await
        .unwrap();
    }
    let hits = p
        .rate_hits(
            RateBucket::CodePerIp,
            "10.0.0.1",
            t0() + Duration::minutes(5),
        )
        .await
        .unwrap();
    assert_eq!(hits.len(), 2);
    assert!(p
        .rate_hits(RateBucket::CodePerPhone, "10.0.0.1", t0())
        .await
        .unwrap()
        .is_empty());
    // Files: bytes round-trip, the per-ticket maximum holds.
    let d = dept(stores, "center").await;
    let c = customer("王芳", "13800000009");
    stores.customers.create_customer(&c, t0()).await.unwrap();
    let t = stored_ticket(stores, d, &c, 30).await;
    let meta = |n: u8| AttachmentMeta {
        id: Uuid::new_v4(),
        ticket: t.id,
        customer: c.id,
        uploaded_by: None,
        name: format!("{n}.png"),
        kind: FileKind::Png,
        size: 3,
        sha256: "x".into(),
        created_at: t0() + Duration::seconds(i64::from(n)),
    };
    let a = meta(1);
    p.add_attachment(&a, &[1, 2, 3], 2).await.unwrap();
    p.add_attachment(&meta(2), &[4, 5, 6], 2).await.unwrap();
    assert!(matches!(
        p.add_attachment(&meta(3), &[7], 2).await,
        Err(StoreError::Conflict {
            what: "attachments"
        })
    ));
    let listed = p.attachments(t.id).await.unwrap();
    assert_eq!(
        listed.iter().map(|m| m.name.as_str()).collect::<Vec<_>>(),
        ["1.png", "2.png"]
    );
    assert_eq!(p.attachment(a.id).await.unwrap(), (a, vec![1, 2, 3]));
    assert!(matches!(
        p.attachment(Uuid::new_v4()).await,
        Err(StoreError::NotFound)
    ));
    // Notices: none yet, read marks all.
    assert_eq!(p.unread_notices(c.id).await.unwrap(), 0);
    assert_eq!(p.mark_notices_read(c.id).await.unwrap(), 0);
}

#[allow(clippy::too_many_arguments)]
async fn report_ticket(
    stores: &Stores,
    d: DepartmentId,
    c: &loopdesk::customer::Customer,
    kind: loopdesk::ticket::TicketKind,
    channel: loopdesk::ticket::Channel,
    category: &str,
    state: loopdesk::ticket::TicketState,
    assignee: Option<UserId>,
    at: chrono::DateTime<Utc>,
    targets: Vec<(loopdesk::sla::SlaTarget, loopdesk::sla::TargetState)>,
) -> loopdesk::ticket::Ticket {
    use loopdesk::store::desk::{NewTicket, SlaSnapshot, TicketDetails};
    use loopdesk::ticket::event::{EventKind, NewEvent};
    use loopdesk::ticket::*;
    let complaint = kind == TicketKind::Complaint;
    let mut t = Ticket::register(Registration {
        id: TicketId(Uuid::new_v4()),
        kind,
        channel,
        customer: c.id,
        tier: c.tier,
        priority: Priority::Normal,
        complexity: complaint.then_some(Complexity::General),
        department: d,
        registered_by: None,
        on_call: false,
    })
    .unwrap();
    t.state = state;
    t.assignee = assignee;
    let targets = targets
        .into_iter()
        .map(|(target, state)| loopdesk::sla::TargetStatus {
            target,
            state,
            started_at: at,
            stopped_at: None,
            due_at: at,
            hard_due_at: None,
            warn_at: at,
            paused_seconds: 0,
            trace: vec![],
        })
        .collect();
    stores
        .tickets
        .create_ticket(NewTicket {
            ticket: t.clone(),
            details: TicketDetails {
                account: None,
                contact_time: None,
                subject: "report".into(),
                description: String::new(),
                category: category.into(),
            },
            day: at.format("%Y%m%d").to_string(),
            registered_at: at,
            registered_by: None,
            events: vec![NewEvent {
                at,
                actor: None,
                kind: EventKind::Registered { on_call: false },
                from: None,
                to: t.state,
            }],
            sla: SlaSnapshot {
                targets,
                ..SlaSnapshot::default()
            },
        })
        .await
        .unwrap();
    t
}

pub async fn report_cells_count_tickets_times_and_feedback(stores: &Stores) {
    use loopdesk::metrics::{Compliance, TicketTotals};
    use loopdesk::sla::{SlaTarget, TargetState};
    use loopdesk::store::desk::{SlaSnapshot, TicketWrite};
    use loopdesk::store::supervision::ReportFilter;
    use loopdesk::ticket::action::{Action, RevisitOutcome};
    use loopdesk::ticket::event::{EventKind, NewEvent};
    use loopdesk::ticket::{Channel, TicketKind as K, TicketState as S};
    let center = dept(stores, "center").await;
    let billing = dept(stores, "billing").await;
    let agent = stored_staff(stores, "agent-r").await;
    let c = customer("张明", "13800000001");
    stores.customers.create_customer(&c, t0()).await.unwrap();
    let at = |h| t0() + Duration::hours(h);
    let met = (SlaTarget::Acknowledge, TargetState::Met);
    let late = (SlaTarget::Resolve, TargetState::Breached);
    // t0 = 2026-11-23 02:00Z = 10:00 in Shanghai.
    let a = report_ticket(
        stores,
        center,
        &c,
        K::Inquiry,
        Channel::Phone,
        "billing/charge_dispute",
        S::Closed,
        Some(agent),
        at(0),
        vec![met],
    )
    .await;
    report_ticket(
        stores,
        center,
        &c,
        K::Complaint,
        Channel::Portal,
        "billing",
        S::Resolved,
        Some(agent),
        at(0),
        vec![met, late],
    )
    .await;
    report_ticket(
        stores,
        billing,
        &c,
        K::Complaint,
        Channel::Phone,
        "network/signal",
        S::InProgress,
        None,
        at(1),
        vec![(SlaTarget::Acknowledge, TargetState::Overdue)],
    )
    .await;
    // Outside the range.
    report_ticket(
        stores,
        center,
        &c,
        K::Inquiry,
        Channel::Phone,
        "billing",
        S::New,
        None,
        at(30),
        vec![],
    )
    .await;
    let filter = report_filter(t0(), t0() + Duration::hours(24));
    let cells = stores.reports.ticket_cells(&filter).await.unwrap();
    let total = cells
        .iter()
        .fold(TicketTotals::default(), |s, c| s.plus(&c.totals));
    assert_eq!(
        total,
        TicketTotals {
            tickets: 3,
            answered: 2,
            first_contact: 0,
            reopened: 0,
            complaints: 2,
            serious: 0
        }
    );
    let mut resolve = Compliance::default();
    let mut ack = Compliance::default();
    for cell in &cells {
        for (target, counts) in &cell.sla {
            match target {
                SlaTarget::Resolve => resolve = resolve.plus(counts),
                SlaTarget::Acknowledge => ack = ack.plus(counts),
                _ => {}
            }
        }
    }
    assert_eq!((ack.met, ack.overdue, resolve.breached), (2, 1, 1));
    // Filters: department, kind, category prefix, channel, agent.
    let count = |f: ReportFilter| async move {
        stores
            .reports
            .ticket_cells(&f)
            .await
            .unwrap()
            .iter()
            .map(|c| c.totals.tickets)
            .sum::<u64>()
    };
    assert_eq!(
        count(ReportFilter {
            department: Some(billing),
            ..filter.clone()
        })
        .await,
        1
    );
    assert_eq!(
        count(ReportFilter {
            kind: Some(K::Complaint),
            ..filter.clone()
        })
        .await,
        2
    );
    assert_eq!(
        count(ReportFilter {
            category: Some("billing".into()),
            ..filter.clone()
        })
        .await,
        2
    );
    assert_eq!(
        count(ReportFilter {
            category: Some("bill".into()),
            ..filter.clone()
        })
        .await,
        0
    );
    assert_eq!(
        count(ReportFilter {
            channel: Some(Channel::Portal),
            ..filter.clone()
        })
        .await,
        1
    );
    assert_eq!(
        count(ReportFilter {
            agent: Some(agent),
            ..filter.clone()
        })
        .await,
        2
    );
    // Local days and hours.
    let times = stores.reports.ticket_times(&filter).await.unwrap();
    let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    assert_eq!(times.len(), 2);
    assert_eq!(
        (
            times[0].day,
            times[0].hour,
            times[0].tickets,
            times[0].complaints
        ),
        (day, 10, 2, 1)
    );
    assert_eq!((times[1].hour, times[1].tickets), (11, 1));
    // Feedback: a satisfied follow-up with a rating, written with the event.
    let rec = stores.tickets.get_ticket(a.id).await.unwrap();
    let mut next = rec.ticket.clone();
    next.version += 1;
    stores
        .tickets
        .write_ticket(
            rec.ticket.version,
            TicketWrite {
                ticket: next,
                events: vec![NewEvent {
                    at: at(2),
                    actor: None,
                    kind: EventKind::Action(Action::Revisit {
                        outcome: RevisitOutcome::Satisfied,
                        rating: Some(4),
                        note: String::new(),
                    }),
                    from: Some(S::Closed),
                    to: S::Closed,
                }],
                sla: SlaSnapshot::default(),
                outbound: vec![],
                supersede: vec![],
                notifications: vec![],
                customer_notices: vec![],
                at: at(2),
            },
        )
        .await
        .unwrap();
    let fb = stores.reports.feedback_cells(&filter).await.unwrap();
    assert_eq!(fb.len(), 1);
    assert_eq!(fb[0].assignee, Some(agent));
    assert_eq!(
        (
            fb[0].satisfaction.satisfied,
            fb[0].satisfaction.rating_sum,
            fb[0].satisfaction.rated
        ),
        (1, 4, 1)
    );
    let later = ReportFilter {
        from: at(3),
        ..filter.clone()
    };
    assert!(stores
        .reports
        .feedback_cells(&later)
        .await
        .unwrap()
        .is_empty());
    // Open counts and breaches; customers.
    let open = stores.reports.open_counts().await.unwrap();
    let open_total: u64 = open.iter().map(|(_, _, n)| n).sum();
    assert_eq!(open_total, 3, "resolved, in progress and new are open");
    assert!(open.contains(&(billing, S::InProgress, 1)));
    assert_eq!(stores.reports.open_breached().await.unwrap(), 1);
    assert_eq!(stores.reports.customer_count().await.unwrap(), 1);
}

/// A report over `[from, to)` in Shanghai time, without filters.
fn report_filter(
    from: chrono::DateTime<Utc>,
    to: chrono::DateTime<Utc>,
) -> loopdesk::store::supervision::ReportFilter {
    loopdesk::store::supervision::ReportFilter {
        from,
        to,
        department: None,
        kind: None,
        category: None,
        channel: None,
        agent: None,
        utc_offset_minutes: 480,
    }
}

/// A ticket cell's key (kind, channel, category, department) and counts.
type CellKey = (
    loopdesk::ticket::TicketKind,
    loopdesk::ticket::Channel,
    String,
    DepartmentId,
);
type CellCounts = (
    loopdesk::metrics::TicketTotals,
    Vec<loopdesk::metrics::Compliance>,
);

/// The report aggregates a ticket set should give, computed here from the tickets
/// themselves with the domain's definitions (the stores read rollups or tickets).
#[derive(Debug, Default, PartialEq)]
struct Expected {
    cells: std::collections::HashMap<CellKey, CellCounts>,
    owners: std::collections::HashMap<
        (DepartmentId, Option<UserId>),
        (
            loopdesk::metrics::TicketTotals,
            loopdesk::metrics::Compliance,
        ),
    >,
    times: std::collections::HashMap<(chrono::NaiveDate, u32), (u64, u64)>,
}

impl Expected {
    fn of(
        records: &[loopdesk::store::desk::TicketRecord],
        f: &loopdesk::store::supervision::ReportFilter,
    ) -> Expected {
        use loopdesk::metrics::{parse_sla_key, sla_key, Compliance, TicketTotals};
        use loopdesk::sla::SlaTarget;
        use loopdesk::ticket::{Complexity, Priority, TicketKind, TicketState};
        let mut e = Expected::default();
        for r in records {
            let t = &r.ticket;
            let in_scope = r.registered_at >= f.from
                && r.registered_at < f.to
                && f.department.is_none_or(|d| d == t.department)
                && f.kind.is_none_or(|k| k == t.kind)
                && f.channel.is_none_or(|c| c == t.channel)
                && f.agent.is_none_or(|a| Some(a) == t.assignee)
                && f.category.as_ref().is_none_or(|c| {
                    r.details.category == *c || r.details.category.starts_with(&format!("{c}/"))
                });
            if !in_scope {
                continue;
            }
            let answered = matches!(t.state, TicketState::Resolved | TicketState::Closed);
            let complaint = t.kind == TicketKind::Complaint;
            let totals = TicketTotals {
                tickets: 1,
                answered: u64::from(answered),
                first_contact: u64::from(answered && t.resolved_on_first_contact),
                reopened: u64::from(answered && t.reopen_count > 0),
                complaints: u64::from(complaint),
                serious: u64::from(
                    complaint
                        && (t.complexity == Some(Complexity::Complex)
                            || t.priority == Priority::Urgent),
                ),
            };
            let states = parse_sla_key(&sla_key(&r.sla));
            let per_target: Vec<Compliance> = SlaTarget::ALL
                .iter()
                .map(|target| {
                    let mut c = Compliance::default();
                    for (_, s) in states.iter().filter(|(x, _)| x == target) {
                        c.add(*s, 1);
                    }
                    c
                })
                .collect();
            let all = per_target
                .iter()
                .fold(Compliance::default(), |a, c| a.plus(c));
            let cell = e
                .cells
                .entry((t.kind, t.channel, r.details.category.clone(), t.department))
                .or_insert_with(|| (TicketTotals::default(), vec![Compliance::default(); 4]));
            cell.0 = cell.0.plus(&totals);
            for (have, add) in cell.1.iter_mut().zip(&per_target) {
                *have = have.plus(add);
            }
            let owner = e.owners.entry((t.department, t.assignee)).or_default();
            owner.0 = owner.0.plus(&totals);
            owner.1 = owner.1.plus(&all);
            let local = r.registered_at + Duration::minutes(i64::from(f.utc_offset_minutes));
            let time = e
                .times
                .entry((local.date_naive(), chrono::Timelike::hour(&local)))
                .or_default();
            time.0 += 1;
            time.1 += u64::from(complaint);
        }
        e
    }

    async fn read(stores: &Stores, f: &loopdesk::store::supervision::ReportFilter) -> Expected {
        let mut e = Expected::default();
        for c in stores.reports.ticket_cells(f).await.unwrap() {
            assert!(
                c.sla
                    .iter()
                    .map(|(t, _)| *t)
                    .eq(loopdesk::sla::SlaTarget::ALL),
                "every target, in order"
            );
            let prev = e.cells.insert(
                (c.kind, c.channel, c.category, c.department),
                (c.totals, c.sla.into_iter().map(|(_, x)| x).collect()),
            );
            assert!(prev.is_none(), "one cell per combination");
        }
        for c in stores.reports.owner_cells(f).await.unwrap() {
            let prev = e
                .owners
                .insert((c.department, c.assignee), (c.totals, c.sla));
            assert!(prev.is_none(), "one owner cell per combination");
        }
        for t in stores.reports.ticket_times(f).await.unwrap() {
            e.times.insert((t.day, t.hour), (t.tickets, t.complaints));
        }
        e
    }
}

pub async fn report_rollups_follow_every_ticket_write(stores: &Stores) {
    use loopdesk::sla::{SlaTarget, TargetState};
    use loopdesk::store::desk::{SlaSnapshot, TicketWrite};
    use loopdesk::store::supervision::ReportFilter;
    use loopdesk::ticket::{Channel, Priority, TicketKind as K, TicketState as S};
    let center = dept(stores, "center").await;
    let billing = dept(stores, "billing").await;
    let a1 = stored_staff(stores, "agent-x").await;
    let a2 = stored_staff(stores, "agent-y").await;
    let c = customer("王芳", "13800000002");
    stores.customers.create_customer(&c, t0()).await.unwrap();
    // t0 = 10:00 in Shanghai; -10 h is local midnight of 2026-11-23.
    let hours = [-10, -10, 0, 0, 5, 13, 14, 14, 20, 30, 40, 50, 61, 62];
    let kinds = [K::Inquiry, K::Complaint, K::FaultReport, K::Complaint];
    let channels = [Channel::Phone, Channel::Portal, Channel::Chat];
    let categories = ["billing/plan", "billing/charge_dispute", "network/signal"];
    let targets = [
        vec![(SlaTarget::Acknowledge, TargetState::Met)],
        vec![
            (SlaTarget::Acknowledge, TargetState::Met),
            (SlaTarget::Resolve, TargetState::Paused),
        ],
        vec![(SlaTarget::Acknowledge, TargetState::Overdue)],
        vec![],
    ];
    let mut ids = Vec::new();
    for (i, h) in hours.iter().enumerate() {
        let t = report_ticket(
            stores,
            if i % 3 == 0 { billing } else { center },
            &c,
            kinds[i % kinds.len()],
            channels[i % channels.len()],
            categories[i % categories.len()],
            [S::New, S::InProgress, S::Resolved][i % 3],
            [Some(a1), None, Some(a2)][i % 3],
            t0() + Duration::hours(*h),
            targets[i % targets.len()].clone(),
        )
        .await;
        ids.push(t.id);
    }
    // Writes that move tickets across every rolled-up dimension and fact.
    for (i, id) in ids.iter().enumerate().filter(|(i, _)| i % 2 == 0) {
        let rec = stores.tickets.get_ticket(*id).await.unwrap();
        let mut next = rec.ticket.clone();
        next.version += 1;
        next.state = S::Closed;
        next.resolved_on_first_contact = i % 4 == 0;
        next.reopen_count = u32::from(i % 4 == 2);
        next.department = if rec.ticket.department == center {
            billing
        } else {
            center
        };
        next.assignee = if i % 3 == 0 { None } else { Some(a2) };
        next.priority = Priority::Urgent;
        let mut sla = rec.sla.clone();
        for s in &mut sla {
            s.state = TargetState::Breached;
        }
        stores
            .tickets
            .write_ticket(
                rec.ticket.version,
                TicketWrite {
                    ticket: next,
                    events: vec![],
                    sla: SlaSnapshot {
                        targets: sla,
                        ..SlaSnapshot::default()
                    },
                    outbound: vec![],
                    supersede: vec![],
                    notifications: vec![],
                    customer_notices: vec![],
                    at: t0() + Duration::hours(70),
                },
            )
            .await
            .unwrap();
    }
    // And again, so the old rows taken away carry every fact (answered, first contact,
    // reopened, serious, breached): some reopen into progress, the rest move department.
    for (i, id) in ids
        .iter()
        .enumerate()
        .filter(|(i, _)| i % 4 == 0 || i % 4 == 2)
    {
        let rec = stores.tickets.get_ticket(*id).await.unwrap();
        let mut next = rec.ticket.clone();
        next.version += 1;
        if i % 8 < 4 {
            next.state = S::InProgress;
            next.reopen_count += 1;
            next.priority = Priority::Normal;
        } else {
            next.department = if rec.ticket.department == center {
                billing
            } else {
                center
            };
            next.assignee = Some(a1);
        }
        stores
            .tickets
            .write_ticket(
                rec.ticket.version,
                TicketWrite {
                    ticket: next,
                    events: vec![],
                    sla: SlaSnapshot {
                        targets: rec.sla.clone(),
                        ..SlaSnapshot::default()
                    },
                    outbound: vec![],
                    supersede: vec![],
                    notifications: vec![],
                    customer_notices: vec![],
                    at: t0() + Duration::hours(71),
                },
            )
            .await
            .unwrap();
    }
    // The sweeper's SLA-only write.
    let rec = stores.tickets.get_ticket(ids[1]).await.unwrap();
    let mut sla = rec.sla.clone();
    for s in &mut sla {
        s.state = TargetState::Met;
    }
    stores
        .tickets
        .store_sla(
            ids[1],
            rec.ticket.version,
            SlaSnapshot {
                targets: sla,
                ..SlaSnapshot::default()
            },
        )
        .await
        .unwrap();
    let mut records = Vec::new();
    for id in &ids {
        records.push(stores.tickets.get_ticket(*id).await.unwrap());
    }
    let midnight = t0() - Duration::hours(10);
    let whole_days = report_filter(midnight, midnight + Duration::days(3));
    let expected = Expected::of(&records, &whole_days);
    assert_eq!(
        expected.cells.values().map(|c| c.0.tickets).sum::<u64>(),
        13,
        "all but the last ticket are inside three local days"
    );
    let ranges = [
        whole_days.clone(),
        // Partial days at both ends, and a partial hour.
        ReportFilter {
            from: midnight + Duration::minutes(30),
            to: midnight + Duration::hours(60) + Duration::minutes(30),
            ..whole_days.clone()
        },
        // Another offset: local days the rollups do not keep.
        ReportFilter {
            utc_offset_minutes: 0,
            ..whole_days.clone()
        },
        ReportFilter {
            department: Some(billing),
            ..whole_days.clone()
        },
        ReportFilter {
            kind: Some(K::Complaint),
            ..whole_days.clone()
        },
        ReportFilter {
            category: Some("billing".into()),
            ..whole_days.clone()
        },
        ReportFilter {
            channel: Some(Channel::Portal),
            ..whole_days.clone()
        },
        ReportFilter {
            agent: Some(a2),
            ..whole_days.clone()
        },
    ];
    for f in &ranges {
        assert_eq!(
            Expected::read(stores, f).await,
            Expected::of(&records, f),
            "{f:?}"
        );
    }
}

/// (direction, customer, ringing, answered, ended in ms after t0, answered by the agent).
type CallSpec<'a> = (
    loopdesk::call::Direction,
    Option<&'a loopdesk::customer::Customer>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    bool,
);

pub async fn call_aggregates_equal_the_domain_over_the_raw_calls(stores: &Stores) {
    use loopdesk::call::{CallRecord, Direction};
    use loopdesk::metrics::{CallFacts, CallSummary};
    use loopdesk::store::desk::StoredCall;
    let agent = stored_staff(stores, "agent-c").await;
    let mut vip = customer("王芳", "13900000009");
    vip.tier = loopdesk::customer::Tier::Gold;
    let mut plain = customer("李雷", "13900000008");
    plain.tier = loopdesk::customer::Tier::Normal;
    stores.customers.create_customer(&vip, t0()).await.unwrap();
    stores
        .customers
        .create_customer(&plain, t0())
        .await
        .unwrap();
    let ms = |x: i64| t0() + Duration::milliseconds(x);
    // (direction, customer, ringing, answered, ended, agent), times in ms after t0.
    let specs: Vec<CallSpec> = vec![
        (
            Direction::In,
            Some(&plain),
            Some(0),
            Some(5_000),
            Some(65_000),
            true,
        ),
        (
            Direction::In,
            Some(&plain),
            Some(900),
            Some(21_100),
            Some(50_000),
            true,
        ), // 21 s by whole seconds
        (
            Direction::In,
            Some(&plain),
            Some(0),
            Some(20_000),
            None,
            true,
        ), // on the line
        (Direction::In, None, Some(0), None, Some(30_000), false), // abandoned
        (Direction::In, None, Some(1_000), None, None, false),     // waiting
        (
            Direction::In,
            Some(&vip),
            Some(0),
            Some(3_000),
            Some(100_000),
            true,
        ),
        (
            Direction::In,
            Some(&vip),
            Some(0),
            Some(40_000),
            Some(90_000),
            true,
        ),
        (
            Direction::Out,
            Some(&plain),
            Some(0),
            Some(8_000),
            Some(38_000),
            true,
        ),
        (
            Direction::In,
            Some(&plain),
            Some(3_600_000 * 30),
            Some(3_600_000 * 30 + 1_000),
            Some(3_600_000 * 30 + 9_000),
            true,
        ), // outside
    ];
    let mut facts = Vec::new();
    for (i, (dir, cust, r, a, e, by_agent)) in specs.iter().enumerate() {
        let record = CallRecord {
            call_id: format!("c{i}"),
            direction: *dir,
            from: "13900000000".into(),
            to: "10086".into(),
            customer_number: None,
            queue: None,
            agent: by_agent.then(|| "agent-c".into()),
            ringing_at: r.map(ms),
            answered_at: a.map(ms),
            ended_at: e.map(ms),
            cause: None,
        };
        stores
            .calls
            .insert_call(
                &StoredCall {
                    record: record.clone(),
                    agent_user: by_agent.then_some(agent),
                    customer: cust.map(|c| c.id),
                    candidates: u32::from(cust.is_some()),
                    disposition: None,
                    notes: String::new(),
                    version: 1,
                },
                t0(),
            )
            .await
            .unwrap();
        if r.is_some_and(|r| r < 3_600_000 * 24) {
            facts.push(CallFacts {
                inbound: *dir == Direction::In,
                vip: cust.is_some_and(|c| loopdesk::metrics::is_vip(c.tier)),
                ringing_at: record.ringing_at,
                answered_at: record.answered_at,
                ended_at: record.ended_at,
            });
        }
    }
    let cells = stores
        .reports
        .call_cells(t0(), t0() + Duration::hours(24), 20)
        .await
        .unwrap();
    let mut sum = CallSummary::default();
    for c in &cells {
        sum.standard = sum.standard.plus(&c.summary.standard);
        sum.vip = sum.vip.plus(&c.summary.vip);
    }
    let expected = CallSummary::from_facts(&facts, 20);
    assert_eq!(sum, expected);
    // By hand: standard offered 4 (three answered, one on the line still, and one
    // abandoned), within 20 s the 5 s and 20 s answers (21.1 − 0.9 is 21 whole seconds);
    // VIP 1 of 2.
    assert_eq!(expected.standard.offered, 4);
    assert_eq!(expected.standard.answered_within, 2);
    assert_eq!(expected.standard.waiting, 1);
    assert_eq!(expected.vip.answered_within, 1);
    let mine = cells.iter().find(|c| c.agent == Some(agent)).unwrap();
    assert_eq!(mine.summary.total().handled, 5);
    // Half-hour intervals (inbound only), local time.
    let iv = stores
        .reports
        .call_intervals(t0(), t0() + Duration::hours(24), 480)
        .await
        .unwrap();
    assert_eq!(iv.len(), 1);
    assert_eq!(iv[0].slot, 20, "10:00 local");
    assert_eq!((iv[0].offered, iv[0].handled), (6, 4));
    assert_eq!(iv[0].talk_seconds, 60 + 29 + 97 + 50);
}

pub async fn state_history_has_the_state_in_force_and_the_changes(stores: &Stores) {
    use loopdesk::agent::{AgentState, AgentStatus, StateSource};
    use loopdesk::store::console::AgentStateChange;
    let user = stored_staff(stores, "agent-s").await;
    let mut version = None;
    for (state, minutes) in [
        (AgentState::Available, -30),
        (AgentState::OnCall, 10),
        (AgentState::WrapUp, 20),
    ] {
        stores
            .agents
            .set_agent_status(
                &AgentStateChange {
                    user,
                    status: AgentStatus {
                        state,
                        reason: None,
                        call_id: None,
                        since: t0() + Duration::minutes(minutes),
                    },
                    source: StateSource::Agent,
                },
                version,
            )
            .await
            .unwrap();
        version = Some(version.unwrap_or(0) + 1);
    }
    let h = stores
        .reports
        .state_history(t0(), t0() + Duration::hours(1))
        .await
        .unwrap();
    assert_eq!(h.before, vec![(user, AgentState::Available)]);
    assert_eq!(h.changes.len(), 2);
    assert_eq!(
        h.changes[0],
        (user, t0() + Duration::minutes(10), AgentState::OnCall)
    );
}

pub async fn quality_reviews_and_the_roster_round_trip(stores: &Stores) {
    use loopdesk::quality::{Review, ReviewSubject, Scorecard};
    use loopdesk::staffing::Shift;
    use loopdesk::store::supervision::ReviewQuery;
    let agent = stored_staff(stores, "agent-q").await;
    let boss = stored_staff(stores, "boss-q").await;
    let mut card = Scorecard::seed(Uuid::new_v4());
    stores.quality.put_scorecard(&card, t0()).await.unwrap();
    card.active = false;
    stores.quality.put_scorecard(&card, t0()).await.unwrap();
    assert_eq!(
        stores.quality.scorecards().await.unwrap(),
        vec![card.clone()]
    );
    let scores: Vec<(String, u32)> = card
        .criteria
        .iter()
        .map(|c| (c.key.clone(), c.weight))
        .collect();
    let review = |id, minutes| Review {
        id,
        scorecard: card.id,
        subject: ReviewSubject::Call("call-1".into()),
        agent,
        reviewer: boss,
        scores: scores.clone(),
        total: 100,
        comment: "规范".into(),
        at: t0() + Duration::minutes(minutes),
    };
    let first = review(Uuid::new_v4(), 0);
    stores.quality.add_review(&first).await.unwrap();
    // The same call with the same scorecard again: a conflict.
    assert!(matches!(
        stores.quality.add_review(&review(Uuid::new_v4(), 1)).await,
        Err(StoreError::Conflict { what: "review" })
    ));
    let mut other = review(Uuid::new_v4(), 5);
    other.subject = ReviewSubject::Ticket(Uuid::new_v4());
    other.total = 80;
    stores.quality.add_review(&other).await.unwrap();
    let all = stores
        .quality
        .reviews(&ReviewQuery {
            agent: Some(agent),
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(all, vec![other.clone(), first.clone()]);
    let early = stores
        .quality
        .reviews(&ReviewQuery {
            to: Some(t0() + Duration::minutes(1)),
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(early, vec![first.clone()]);
    assert!(stores
        .quality
        .reviews(&ReviewQuery {
            agent: Some(boss),
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap()
        .is_empty());
    assert_eq!(stores.quality.get_review(first.id).await.unwrap(), first);
    assert!(matches!(
        stores.quality.get_review(Uuid::new_v4()).await,
        Err(StoreError::NotFound)
    ));

    let day = chrono::NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
    let t = |h, m| chrono::NaiveTime::from_hms_opt(h, m, 0).unwrap();
    let mut s = Shift {
        id: Uuid::new_v4(),
        agent: "agent".into(),
        date: day,
        start: t(9, 0),
        end: t(17, 30),
    };
    stores.roster.put_shift(&s).await.unwrap();
    s.end = t(18, 0);
    stores.roster.put_shift(&s).await.unwrap();
    let next_week = Shift {
        id: Uuid::new_v4(),
        date: day + Duration::days(7),
        ..s.clone()
    };
    stores.roster.put_shift(&next_week).await.unwrap();
    assert_eq!(
        stores
            .roster
            .shifts(day, day + Duration::days(7))
            .await
            .unwrap(),
        vec![s.clone()]
    );
    stores.roster.delete_shift(s.id).await.unwrap();
    assert!(matches!(
        stores.roster.delete_shift(s.id).await,
        Err(StoreError::NotFound)
    ));
    assert!(stores
        .roster
        .shifts(day, day + Duration::days(7))
        .await
        .unwrap()
        .is_empty());
}

async fn sqlite() -> (tempfile::TempDir, Stores) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/conformance.db?mode=rwc", dir.path().display());
    let backend = Backend::connect(&url).await.unwrap();
    (dir, backend.stores)
}

/// A fresh database on the test PostgreSQL server (the server lives as long as the value).
async fn postgres() -> (crate::pg::Server, Stores) {
    let server = crate::pg::Server::start();
    let url = server.fresh_database().await;
    let backend = Backend::connect(&url).await.unwrap();
    (server, backend.stores)
}

/// Runs every named function of the suite on a fresh SQLite file and on a fresh PostgreSQL
/// database: the same assertions on both backends.
macro_rules! on_both {
    ($($name:ident),* $(,)?) => {
        mod sqlite_pass {
            $(
                #[tokio::test]
                async fn $name() {
                    let (_dir, stores) = super::sqlite().await;
                    super::$name(&stores).await;
                }
            )*
        }
        mod postgres_pass {
            $(
                #[tokio::test]
                async fn $name() {
                    let (_server, stores) = super::postgres().await;
                    super::$name(&stores).await;
                }
            )*
        }
    };
}

on_both!(
    users_round_trip,
    account_lifecycle_round_trip,
    customers_are_found_by_phone,
    duplicates_and_missing_rows_are_classified,
    a_staff_user_needs_a_department,
    login_failures_lock_and_clear,
    old_failures_fall_out_of_the_window,
    audit_entries_come_back_newest_first,
    audit_entries_form_a_chain_and_can_be_searched,
    the_database_answers_pings,
    customers_are_searched_by_name_and_number,
    ticket_writes_are_version_checked_and_chained,
    due_tickets_are_claimed_earliest_first_and_lists_page,
    calendars_and_policies_round_trip,
    billing_batches_upsert_and_count_what_changed,
    agent_states_are_version_checked_and_logged,
    tasks_are_added_once_and_updated_by_version,
    phrases_round_trip,
    articles_keep_versions_and_a_live_version,
    categories_synonyms_and_zero_results_round_trip,
    flows_freeze_versions_and_runs_are_version_checked,
    portal_codes_limits_files_and_notices,
    report_cells_count_tickets_times_and_feedback,
    report_rollups_follow_every_ticket_write,
    call_aggregates_equal_the_domain_over_the_raw_calls,
    state_history_has_the_state_in_force_and_the_changes,
    quality_reviews_and_the_roster_round_trip,
);

/// Tickets stored before the SLA key existed get it when the database is next opened, and
/// the report rollups count it.
#[tokio::test]
async fn older_tickets_get_their_sla_key_when_the_database_opens() {
    use loopdesk::sla::{SlaTarget, TargetState};
    use loopdesk::ticket::{Channel, TicketKind, TicketState};
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/old.db?mode=rwc", dir.path().display());
    let first = SqlBackend::connect(&url).await.unwrap();
    let pool = first.sqlite_pool().expect("a SQLite backend").clone();
    let stores = Backend::new(first).stores;
    let d = dept(&stores, "center").await;
    let c = customer("李雷", "13800000003");
    stores.customers.create_customer(&c, t0()).await.unwrap();
    let t = report_ticket(
        &stores,
        d,
        &c,
        TicketKind::Inquiry,
        Channel::Phone,
        "billing",
        TicketState::Closed,
        None,
        t0(),
        vec![(SlaTarget::Acknowledge, TargetState::Met)],
    )
    .await;
    sqlx::query("update tickets set sla_key = ''")
        .execute(&pool)
        .await
        .unwrap();
    let midnight = t0() - Duration::hours(10);
    let filter = report_filter(midnight, midnight + Duration::days(1));
    let met = |stores: Stores| {
        let filter = filter.clone();
        async move {
            let owners = stores.reports.owner_cells(&filter).await.unwrap();
            owners.iter().map(|o| o.sla.met).sum::<u64>()
        }
    };
    assert_eq!(met(stores).await, 0, "an empty key counts no target");
    pool.close().await;
    let again = Backend::connect(&url).await.unwrap().stores;
    let key: String = sqlx::query_scalar("select sla_key from tickets where id = $1")
        .bind(t.id.0.to_string())
        .fetch_one(&sqlx::SqlitePool::connect(&url).await.unwrap())
        .await
        .unwrap();
    assert_eq!(key, "acknowledge=met");
    assert_eq!(met(again).await, 1);
}
