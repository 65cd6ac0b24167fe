//! Demo data for `server --demo`: the four departments and one account per persona, all
//! with the password `loopdesk-demo`. Seeding happens only into a database without users,
//! so running `--demo` again never changes an existing database.

use app::auth::hash_password_blocking;
use app::state::Stores;
use chrono::{DateTime, Utc};
use loopdesk::store::{NewUser, StoreError};
use loopdesk::user::{Department, DepartmentId, Role, User, UserId};
use uuid::Uuid;

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
pub const DEMO_LOGINS: [(&str, &str); 6] = [
    ("admin", "admin → /admin"),
    ("agent", "agent, 客服中心 → /agent"),
    ("agent2", "agent, 客服中心 → /agent"),
    ("handler", "agent, 计费 (billing) → /agent"),
    ("supervisor", "supervisor → /supervisor"),
    ("13800000001", "customer → /portal"),
];

/// Seeds the demo data into an empty database.
pub async fn seed_demo(stores: &Stores, now: DateTime<Utc>) -> Result<SeedOutcome, StoreError> {
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
    ];
    for (username, name, role, dept) in staff {
        stores
            .users
            .create_user(
                NewUser {
                    user: User {
                        id: UserId(Uuid::new_v4()),
                        username: Some(username.into()),
                        phone: None,
                        display_name: name.into(),
                        role,
                        department_id: Some(dept),
                        locale: None,
                        disabled: false,
                    },
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
    Ok(SeedOutcome::Seeded)
}
