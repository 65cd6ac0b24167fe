//! The store conformance suite: behaviour every backend must show, written against the
//! ports only. Each function takes `&Stores`; the SQLite pass runs it on a fresh file.
//! The PostgreSQL backend will run the same functions.

use app::state::Stores;
use chrono::{Duration, TimeZone, Utc};
use loopdesk::locale::Locale;
use loopdesk::login::LoginThrottle;
use loopdesk::store::{AuditAction, AuditEntry, NewUser, PasswordHash, StoreError};
use loopdesk::user::{Department, DepartmentId, LoginName, Role, User, UserId};
use server::store::{sqlite::SqliteBackend, Backend};
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

pub async fn the_database_answers_pings(stores: &Stores) {
    stores.health.ping().await.unwrap();
}

async fn sqlite() -> (tempfile::TempDir, Stores) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/conformance.db?mode=rwc", dir.path().display());
    let backend = Backend::sqlite(SqliteBackend::connect(&url).await.unwrap());
    (dir, backend.stores)
}

macro_rules! on_sqlite {
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
    };
}

on_sqlite!(
    users_round_trip,
    customers_are_found_by_phone,
    duplicates_and_missing_rows_are_classified,
    a_staff_user_needs_a_department,
    login_failures_lock_and_clear,
    old_failures_fall_out_of_the_window,
    audit_entries_come_back_newest_first,
    the_database_answers_pings,
);
