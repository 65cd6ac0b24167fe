-- Supervision: report facts on tickets (SLA target states as a compact key, an index the
-- reports scan by registration time), follow-up and portal outcomes for satisfaction,
-- quality inspection (scorecards and reviews) and the staffing roster.
-- Twin of migrations/sqlite/0007_supervision.sql.

-- `acknowledge=met;resolve=running`: the worst state of each started target as of the last
-- write (loopdesk::metrics::sla_key). Tickets written before this migration keep '' until
-- their next write.
alter table tickets add column sla_key text not null default '';

-- Reports filter by registration time and group by these columns: a covering index lets
-- them run from the index alone.
create index tickets_report on tickets (registered_at, kind, channel, department_id, category,
    assignee_id, state, sla_key, resolved_on_first_contact, reopen_count, complexity, priority);

-- The wallboard counts open tickets per state and department, escalated and breached ones:
-- from this index alone.
create index tickets_open_load on tickets (state, department_id, escalation_level, sla_key);

-- One row per satisfied/unsatisfied follow-up (revisit) or portal confirmation, written
-- with the event in the same transaction.
create table ticket_feedback (
    ticket_id uuid not null references tickets (id),
    seq bigint not null,                -- the event's seq
    at timestamptz not null,
    source text not null check (source in ('revisit', 'portal')),
    satisfied boolean not null,
    rating integer check (rating between 1 and 5),
    primary key (ticket_id, seq)
);
create index ticket_feedback_at on ticket_feedback (at);

create table qa_scorecards (
    id uuid primary key,
    name text not null,
    criteria text not null,             -- JSON array of loopdesk::quality::Criterion
    active boolean not null,
    updated_at timestamptz not null
);

create table qa_reviews (
    id uuid primary key,
    scorecard_id uuid not null references qa_scorecards (id),
    subject_kind text not null check (subject_kind in ('ticket', 'call')),
    subject_id text not null,
    agent_id uuid not null references users (id),
    reviewer_id uuid not null references users (id),
    scores text not null,               -- JSON array of [criterion key, points]
    total integer not null check (total between 0 and 100),
    comment text not null default '',
    at timestamptz not null,
    unique (scorecard_id, subject_kind, subject_id)
);
create index qa_reviews_agent on qa_reviews (agent_id, at);
create index qa_reviews_at on qa_reviews (at);

-- Planned shifts; `agent` is a login or a placeholder for an unfilled shift.
create table roster_shifts (
    id uuid primary key,
    agent text not null,
    day date not null,                  -- local date
    start_minute integer not null check (start_minute between 0 and 1410),
    end_minute integer not null check (end_minute between 30 and 1440),
    check (end_minute > start_minute)
);
create index roster_shifts_day on roster_shifts (day);

create index agent_state_log_at on agent_state_log (at);

-- Whole seconds from ringing to answer and from answer to hangup
-- (loopdesk::metrics::seconds_between), kept with each write so call figures are sums.
alter table calls add column wait_seconds bigint check (wait_seconds >= 0);
alter table calls add column talk_seconds bigint check (talk_seconds >= 0);
update calls set
    wait_seconds = case when answered_at is not null and ringing_at is not null
        then greatest(0, extract(epoch from date_trunc('second', answered_at))
            - extract(epoch from date_trunc('second', ringing_at)))::bigint end,
    talk_seconds = case when answered_at is not null and ended_at is not null
        then greatest(0, extract(epoch from date_trunc('second', ended_at))
            - extract(epoch from date_trunc('second', answered_at)))::bigint end;
