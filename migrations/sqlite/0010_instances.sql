-- Several instances: task attempts keep their order without SQLite's rowid, and live
-- events (screen pops, agent states) for connections held by another instance.
-- Twin of migrations/postgres/0010_instances.sql.

-- The attempt's position among its task's attempts (1, 2, …).
alter table task_attempts add column seq integer not null default 0;
update task_attempts set seq = (select count(*) from task_attempts b
    where b.task_id = task_attempts.task_id and b.rowid <= task_attempts.rowid);
create unique index task_attempts_seq on task_attempts (task_id, seq) where seq > 0;

-- A live event relayed between instances (PostgreSQL NOTIFY carries the id; SQLite has one
-- instance and never writes here). Rows older than a minute are removed.
create table live_events (
    id integer primary key autoincrement,
    user_id text not null,
    event text not null check (event in ('pop', 'state')),
    data text not null,
    at text not null
);
create index live_events_at on live_events (at);
