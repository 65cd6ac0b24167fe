-- Accounts: departments, users, sign-in throttling and the audit log.
-- Twin of migrations/postgres/0001_accounts.sql (same tables, columns and CHECKs).
-- Ids are hyphenated UUID text; instants are RFC 3339 UTC text.

create table departments (
    id text primary key,
    code text not null unique,          -- stable code, e.g. 'billing'
    name_zh text not null,
    name_en text not null
);

create table users (
    id text primary key,
    username text unique,               -- staff sign in with it (lower case)
    phone text unique,                  -- customers sign in with it (11 digits, national form)
    display_name text not null,
    role text not null check (role in ('customer', 'agent', 'supervisor', 'admin')),
    department_id text references departments (id),
    password_hash text not null,        -- argon2id PHC string
    locale text check (locale in ('zh-CN', 'en')),
    disabled integer not null default 0 check (disabled in (0, 1)),
    created_at text not null,
    last_login_at text,
    check (username is not null or phone is not null),
    -- staff belong to exactly one department, customers to none
    check ((role = 'customer') = (department_id is null))
);

-- Failed sign-ins per login name ('u:<username>' or 'p:<phone>'), whether or not an account
-- exists under it, so lockouts never reveal which accounts exist.
create table login_failures (
    login_key text not null,
    failed_at text not null
);
create index login_failures_key_at on login_failures (login_key, failed_at);

create table login_locks (
    login_key text primary key,
    locked_until text not null
);

-- Append-only audit log (hash chaining arrives with the security issue).
create table audit_log (
    id integer primary key autoincrement,
    at text not null,
    actor_id text references users (id),
    action text not null check (action in ('login_succeeded', 'login_failed', 'account_locked', 'logout')),
    subject text not null,
    detail text not null,
    transaction_id text
);
