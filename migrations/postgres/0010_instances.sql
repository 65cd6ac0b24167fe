-- Several instances: task attempts keep their order (PostgreSQL has no rowid), and live
-- events (screen pops, agent states) for connections held by another instance.
-- Twin of migrations/sqlite/0010_instances.sql.

-- The attempt's position among its task's attempts (1, 2, …).
alter table task_attempts add column seq integer not null default 0;
update task_attempts a set seq = n.seq from (
    select ctid, row_number() over (partition by task_id order by at, ctid) as seq
    from task_attempts) n
where a.ctid = n.ctid;
create unique index task_attempts_seq on task_attempts (task_id, seq) where seq > 0;

-- A live event relayed between instances: the writer inserts it and sends its id with
-- NOTIFY loopdesk_live; every instance reads it and delivers it to its own connections.
-- Rows older than a minute are removed.
create table live_events (
    id bigint generated always as identity primary key,
    user_id uuid not null,
    event text not null check (event in ('pop', 'state')),
    data text not null,
    at timestamptz not null
);
create index live_events_at on live_events (at);
