//! Demo data for `server --demo`: the four departments and one account per persona, all
//! with the password `loopdesk-demo`. Seeding happens only into a database without users,
//! so running `--demo` again never changes an existing database.

use app::auth::hash_password_blocking;
use app::console;
use app::desk::{self, DeskError, RegisterInput};
use app::state::Stores;
use chrono::{DateTime, Duration, Utc};
use loopdesk::customer::Tier;
use loopdesk::store::{NewUser, StoreError};
use loopdesk::ticket::action::Action;
use loopdesk::ticket::{Channel, Complexity, Priority, TicketKind};
use loopdesk::user::{Department, DepartmentId, Role, User, UserId};
use uuid::Uuid;

pub mod history;

/// The demo password of every demo account.
pub const DEMO_PASSWORD: &str = "loopdesk-demo";

/// What seeding did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeedOutcome {
    /// The database was empty and now holds the demo data.
    Seeded,
    /// The database already had users; nothing was written.
    AlreadySeeded,
}

/// The demo logins printed at start-up: (login, role, what it shows).
pub const DEMO_LOGINS: [(&str, &str); 7] = [
    ("admin", "admin → /admin"),
    ("agent", "agent, 客服中心 → /agent"),
    ("agent2", "agent, 客服中心 → /agent"),
    ("handler", "agent, 计费 (billing) → /agent"),
    ("supervisor", "supervisor → /supervisor"),
    ("trainee", "agent, 客服中心 → /agent (a new hire)"),
    ("13800000001", "customer → /portal"),
];

/// Seeds the demo data into an empty database.
pub async fn seed_demo(
    stores: &Stores,
    now: DateTime<Utc>,
    history_days: u32,
) -> Result<SeedOutcome, StoreError> {
    if stores.users.count_users().await? > 0 {
        return Ok(SeedOutcome::AlreadySeeded);
    }
    let depts = [
        ("service_center", "客服中心", "Customer service center"),
        ("billing", "计费", "Billing"),
        ("network", "网络维护", "Network maintenance"),
        ("field_service", "装维", "Field service"),
    ];
    let mut ids = Vec::new();
    for (code, zh, en) in depts {
        let id = DepartmentId(Uuid::new_v4());
        stores
            .departments
            .create_department(Department {
                id,
                code: code.into(),
                name_zh: zh.into(),
                name_en: en.into(),
            })
            .await?;
        ids.push(id);
    }
    let (center, billing) = (ids[0], ids[1]);
    // One hash serves every demo account: argon2 is deliberately slow.
    let hash = tokio::task::spawn_blocking(|| hash_password_blocking(DEMO_PASSWORD))
        .await
        .map_err(|e| StoreError::Other(Box::new(e)))?;
    let staff = [
        ("admin", "系统管理员", Role::Admin, center),
        ("agent", "王芳", Role::Agent, center),
        ("agent2", "李强", Role::Agent, center),
        ("handler", "赵敏", Role::Agent, billing),
        ("supervisor", "陈静", Role::Supervisor, center),
        ("trainee", "周婷", Role::Agent, center),
    ];
    let mut users = Vec::new();
    for (username, name, role, dept) in staff {
        let user = User {
            id: UserId(Uuid::new_v4()),
            username: Some(username.into()),
            phone: None,
            display_name: name.into(),
            role,
            department_id: Some(dept),
            locale: None,
            disabled: false,
        };
        users.push(user.clone());
        stores
            .users
            .create_user(
                NewUser {
                    user,
                    password_hash: hash.clone(),
                },
                now,
            )
            .await?;
    }
    stores
        .users
        .create_user(
            NewUser {
                user: User {
                    id: UserId(Uuid::new_v4()),
                    username: None,
                    phone: Some("13800000001".into()),
                    display_name: "张明".into(),
                    role: Role::Customer,
                    department_id: None,
                    locale: None,
                    disabled: false,
                },
                password_hash: hash,
            },
            now,
        )
        .await?;
    seed_desk(stores, now, &users[1], &users[3], billing)
        .await
        .map_err(|e| StoreError::Other(format!("seeding tickets: {e:?}").into()))?;
    seed_billing(stores, now, &users[0])
        .await
        .map_err(|e| StoreError::Other(format!("seeding billing: {e:?}").into()))?;
    seed_knowledge(stores, now, &users[4], &users[0]).await?;
    history::seed_history(
        stores,
        now,
        &[&users[1], &users[2]],
        &users[4],
        history_days,
    )
    .await?;
    Ok(SeedOutcome::Seeded)
}

/// The knowledge seed: categories, telecom articles (Chinese, many with English) and three
/// SOP flows, in `server/seed/knowledge.json`.
#[derive(serde::Deserialize)]
struct KnowledgeSeed {
    categories: Vec<loopdesk::store::knowledge::Category>,
    articles: Vec<loopdesk::kb::ArticleContent>,
    flows: Vec<FlowSeed>,
}

#[derive(serde::Deserialize)]
struct FlowSeed {
    audience: loopdesk::kb::Audience,
    category: String,
    keywords: Vec<String>,
    def: loopdesk::flow::FlowDef,
}

fn knowledge_seed() -> Result<KnowledgeSeed, StoreError> {
    serde_json::from_str(include_str!("../seed/knowledge.json"))
        .map_err(|e| StoreError::Other(format!("the knowledge seed is invalid: {e}").into()))
}

/// Categories and synonym groups every installation starts with (only into empty tables).
pub async fn seed_knowledge_defaults(stores: &Stores) -> Result<(), StoreError> {
    if stores.knowledge.categories().await?.is_empty() {
        for c in knowledge_seed()?.categories {
            stores.knowledge.put_category(&c).await?;
        }
    }
    if stores.knowledge.synonyms().await?.is_empty() {
        for words in loopdesk::kb::search::SynonymGroup::defaults() {
            let g = loopdesk::kb::search::SynonymGroup::parse(Uuid::new_v4(), &words.join("/"))
                .map_err(|e| StoreError::Other(format!("default synonyms: {e}").into()))?;
            stores.knowledge.put_synonym(&g).await?;
        }
    }
    Ok(())
}

/// Demo articles, written by the supervisor and published by the administrator (someone
/// other than the author), and the three demo flows, published.
async fn seed_knowledge(
    stores: &Stores,
    now: DateTime<Utc>,
    author: &User,
    reviewer: &User,
) -> Result<(), StoreError> {
    use loopdesk::kb::{Article, ArticleAction};
    let bad = |what: String| StoreError::Other(what.into());
    let seed = knowledge_seed()?;
    for content in seed.articles {
        let title = content.title.clone();
        let published = Article::draft(Uuid::new_v4(), content, author.id, now)
            .and_then(|a| a.apply(ArticleAction::Submit, author.id, author.role, now))
            .and_then(|a| a.apply(ArticleAction::Publish, reviewer.id, reviewer.role, now))
            .map_err(|e| bad(format!("seed article {title:?}: {e}")))?;
        stores.knowledge.create_article(&published, now).await?;
    }
    for f in seed.flows {
        if let Err(problems) = f.def.validate() {
            return Err(bad(format!("seed flow {:?}: {problems:?}", f.def.title_en)));
        }
        let flow = loopdesk::flow::Flow {
            id: Uuid::new_v4(),
            def: f.def,
            audience: f.audience,
            category: f.category,
            keywords: f.keywords,
            live: None,
            rev: 1,
            updated_at: now,
        };
        stores.flows.create_flow(&flow, author.id).await?;
        stores
            .flows
            .publish_flow(flow.id, &flow.def, author.id, now)
            .await?;
    }
    Ok(())
}

/// Demo billing through the importer: 张明 with a paid-up plan, 刘洋 in arrears for two
/// past-due bills (which puts a collection task on the list), 孙丽 with two accounts.
async fn seed_billing(stores: &Stores, now: DateTime<Utc>, admin: &User) -> Result<(), DeskError> {
    use chrono::{Datelike, Months, NaiveDate};
    let today = desk::today(stores, now).await?;
    let first = NaiveDate::from_ymd_opt(today.year(), today.month(), 1).unwrap_or(today);
    let month = |back: u32| first - Months::new(back);
    let bill = |account: &str, back: u32, base: i64, extra: i64| {
        let period = month(back);
        serde_json::json!({
            "account": account,
            "period": period.format("%Y-%m").to_string(),
            "due_on": (period + Months::new(1)).with_day(15).unwrap_or(period).to_string(),
            "items": [
                {"name": "月基本费", "amount_fen": base},
                {"name": "套餐外流量费", "amount_fen": extra},
                {"name": "优惠减免", "amount_fen": -1000},
            ],
        })
    };
    let mut bills = Vec::new();
    for back in 1..=6 {
        bills.push(bill("A10000001", back, 12900, (back as i64 % 3) * 1500));
        bills.push(bill("A10000003", back, 19900, 0));
        bills.push(bill("A10000004", back, 5900, 0));
    }
    bills.push(bill("A10000002", 2, 5900, 2800));
    bills.push(bill("A10000002", 1, 5900, 4750));
    let mut usage = Vec::new();
    for day in 0..30 {
        let d = (today - chrono::Duration::days(day)).to_string();
        usage.push(
            serde_json::json!({"account": "A10000001", "day": d, "kind": "data",
            "quantity": 800 + day * 37 % 500, "charge_fen": if day % 9 == 0 { 300 } else { 0 }}),
        );
        usage.push(
            serde_json::json!({"account": "A10000001", "day": d, "kind": "voice",
            "quantity": 12 + day % 7}),
        );
    }
    let paid = |reference: &str, account: &str, back: u32, amount: i64, method: &str| {
        serde_json::json!({"reference": reference, "account": account,
            "paid_at": format!("{} 10:30", month(back).with_day(10).unwrap_or(today)),
            "amount_fen": amount, "method": method})
    };
    let doc = serde_json::json!({
        "accounts": [
            {"number": "A10000001", "customer_phone": "13800000001", "plan": "畅享 129 元套餐",
             "status": "active", "balance_fen": 3650, "credit_limit_fen": 10000},
            {"number": "A10000002", "customer_phone": "13900000002", "plan": "乐享 59 元套餐",
             "status": "suspended", "balance_fen": -18350, "credit_limit_fen": 0},
            {"number": "A10000003", "customer_phone": "13700000003", "plan": "至尊 199 元套餐",
             "status": "active", "balance_fen": 52000, "credit_limit_fen": 50000},
            {"number": "A10000004", "customer_phone": "13700000003", "plan": "家庭宽带 59 元",
             "status": "active", "balance_fen": 0, "credit_limit_fen": 0},
        ],
        "bills": bills,
        "payments": [
            paid("P2026001", "A10000001", 1, 14400, "wechat"),
            paid("P2026002", "A10000001", 2, 12900, "alipay"),
            paid("P2026003", "A10000003", 1, 50000, "bank"),
        ],
        "usage": usage,
    });
    console::import_billing(
        stores,
        now,
        admin,
        console::ImportFormat::Json,
        &doc.to_string(),
        today,
    )
    .await?;
    Ok(())
}

/// Demo customers and tickets in several states of the closed loop: one waiting for
/// billing, one answered and due for follow-up, one archived on the first contact, one
/// registered hours ago and never acknowledged (overdue), one in progress.
async fn seed_desk(
    stores: &Stores,
    now: DateTime<Utc>,
    agent: &User,
    handler: &User,
    billing: DepartmentId,
) -> Result<(), DeskError> {
    use loopdesk::phrase::Salutation::{Mr, Ms};
    let customers = [
        ("张明", "13800000001", Tier::Gold, "11010519491231002X", Mr),
        ("刘洋", "13900000002", Tier::Normal, "", Ms),
        ("孙丽", "13700000003", Tier::Diamond, "", Ms),
        ("周杰", "13600000004", Tier::Silver, "", Mr),
        ("吴刚", "02165550005", Tier::Normal, "", Mr),
    ];
    let mut ids = Vec::new();
    for (name, phone, tier, id_number, salutation) in customers {
        let input = desk::NewCustomerInput {
            name: name.into(),
            phones: vec![phone.into()],
            tier: Some(tier),
            id_number: id_number.into(),
            salutation: Some(salutation),
        };
        let c = desk::create_customer(stores, now, agent, &input).await?;
        ids.push(c.id.0);
    }
    let input = |kind, complexity, customer: Uuid, subject: &str, on_call| RegisterInput {
        account: None,
        contact_time: None,
        kind,
        channel: Channel::Phone,
        priority: Priority::Normal,
        complexity,
        customer,
        subject: subject.to_owned(),
        description: String::new(),
        category: String::new(),
        on_call,
        first_contact: None,
        call_id: None,
    };
    let earlier = now - Duration::hours(3);
    // Waiting for billing to accept.
    let t = desk::register(
        stores,
        earlier,
        agent,
        RegisterInput {
            account: None,
            contact_time: None,
            description: "客户称本月话费比上月多出 58 元，要求核查套餐外流量费用。".into(),
            category: "billing/charge_dispute".into(),
            ..input(
                TicketKind::Complaint,
                Some(Complexity::General),
                ids[0],
                "本月话费异常偏高",
                true,
            )
        },
    )
    .await?;
    let dispatch = Action::Dispatch {
        department: billing,
        note: "请核查 11 月账单流量费用".into(),
    };
    desk::act(
        stores,
        earlier + Duration::minutes(5),
        agent,
        t,
        1,
        dispatch,
    )
    .await?;
    // Answered, waiting for the follow-up call.
    let t = desk::register(
        stores,
        earlier,
        agent,
        input(
            TicketKind::Complaint,
            Some(Complexity::General),
            ids[1],
            "宽带经常掉线",
            true,
        ),
    )
    .await?;
    desk::act(
        stores,
        earlier + Duration::minutes(30),
        agent,
        t,
        1,
        Action::Reply {
            resolution: "已远程重置光猫并更换端口，近 2 小时无掉线。".into(),
            cause_category: "network/line_fault".into(),
        },
    )
    .await?;
    // Archived on the first contact.
    desk::register(
        stores,
        earlier,
        agent,
        RegisterInput {
            account: None,
            contact_time: None,
            first_contact: Some(desk::FirstContact {
                resolution: "告知客户 5G 套餐资费及办理方式。".into(),
                cause_category: "plan/information".into(),
            }),
            ..input(TicketKind::Inquiry, None, ids[3], "咨询 5G 套餐资费", true)
        },
    )
    .await?;
    // Registered from the portal hours ago, never acknowledged: overdue.
    desk::register(
        stores,
        earlier,
        agent,
        RegisterInput {
            account: None,
            contact_time: None,
            channel: Channel::Portal,
            ..input(
                TicketKind::FaultReport,
                None,
                ids[2],
                "家中固话无拨号音",
                false,
            )
        },
    )
    .await?;
    // In progress at billing.
    let t = desk::register(
        stores,
        now - Duration::minutes(40),
        agent,
        input(
            TicketKind::ServiceRequest,
            None,
            ids[4],
            "申请开具 10 月发票",
            true,
        ),
    )
    .await?;
    desk::act(
        stores,
        now - Duration::minutes(35),
        agent,
        t,
        1,
        Action::Dispatch {
            department: billing,
            note: "请开具 10 月增值税普通发票".into(),
        },
    )
    .await?;
    desk::act(
        stores,
        now - Duration::minutes(20),
        handler,
        t,
        2,
        Action::Accept,
    )
    .await?;
    Ok(())
}
