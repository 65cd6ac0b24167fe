-- The account lifecycle (loopdesk::password): when a password was set and whether its owner
-- must choose a new one, the earlier hashes a new password must differ from, why an account
-- is disabled and when it was last re-enabled (counts as use for the inactivity rule), and a
-- session epoch that signs out every session of a user when it moves.
-- The audit log's action list moves out of the database (it is the Rust enum, and the hash
-- chain protects every entry).
-- Twin of migrations/sqlite/0012_account_lifecycle.sql.

alter table users add column password_changed_at timestamptz;   -- null: since created_at
alter table users add column must_change_password boolean not null default false;
alter table users add column disabled_reason text check (disabled_reason in ('inactive', 'admin'));
alter table users add column enabled_at timestamptz;
alter table users add column session_epoch bigint not null default 0;

create table password_history (
    user_id uuid not null references users (id),
    hash text not null,                                  -- an earlier argon2id PHC string
    set_at timestamptz not null
);
create index password_history_user on password_history (user_id, set_at);

alter table audit_log drop constraint audit_log_action_check;
