-- The account lifecycle (loopdesk::password): when a password was set and whether its owner
-- must choose a new one, the earlier hashes a new password must differ from, why an account
-- is disabled and when it was last re-enabled (counts as use for the inactivity rule), and a
-- session epoch that signs out every session of a user when it moves.
-- The audit log's action list moves out of the database (it is the Rust enum, and the hash
-- chain protects every entry): SQLite cannot drop a CHECK, so the table is rebuilt.
-- Twin of migrations/postgres/0012_account_lifecycle.sql.

alter table users add column password_changed_at text;   -- null: since created_at
alter table users add column must_change_password integer not null default 0
    check (must_change_password in (0, 1));
alter table users add column disabled_reason text check (disabled_reason in ('inactive', 'admin'));
alter table users add column enabled_at text;
alter table users add column session_epoch integer not null default 0;

create table password_history (
    user_id text not null references users (id),
    hash text not null,                                  -- an earlier argon2id PHC string
    set_at text not null
);
create index password_history_user on password_history (user_id, set_at);

drop trigger audit_log_no_delete;
drop trigger audit_log_sealed;
create table audit_log_next (
    id integer primary key autoincrement,
    at text not null,
    actor_id text references users (id),
    action text not null,
    subject text not null,
    detail text not null,
    transaction_id text,
    prev_hash text not null default '',
    hash text not null default ''
);
insert into audit_log_next (id, at, actor_id, action, subject, detail, transaction_id, prev_hash, hash)
    select id, at, actor_id, action, subject, detail, transaction_id, prev_hash, hash from audit_log;
drop table audit_log;
alter table audit_log_next rename to audit_log;
create index audit_log_subject on audit_log (subject, at);
create index audit_log_actor on audit_log (actor_id, id);
create index audit_log_action on audit_log (action, id);
create trigger audit_log_no_delete before delete on audit_log
begin
    select raise(abort, 'the audit log is append-only');
end;
create trigger audit_log_sealed before update on audit_log when old.hash <> ''
begin
    select raise(abort, 'the audit log is append-only');
end;
