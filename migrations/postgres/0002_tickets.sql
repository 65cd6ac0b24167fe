-- The service desk: customers (basic record), tickets with their append-only hash-chained
-- event log and SLA state, calendars, SLA policies, outbound tasks and notifications.
-- Twin of migrations/sqlite/0002_tickets.sql (same tables, columns and CHECKs).

-- The audit log learns the configuration actions.
alter table audit_log drop constraint audit_log_action_check;
alter table audit_log add constraint audit_log_action_check check (action in ('login_succeeded',
    'login_failed', 'account_locked', 'logout', 'calendar_changed', 'policies_changed',
    'ticket_imported'));

create table customers (
    id uuid primary key,
    name text not null,
    tier text not null check (tier in ('normal', 'silver', 'gold', 'diamond', 'supreme')),
    created_at timestamptz not null
);
create index customers_name on customers (name);

-- Every number of a customer, normalised (national form); a number has one owner.
create table customer_phones (
    phone text primary key,
    customer_id uuid not null references customers (id),
    position integer not null
);
create index customer_phones_customer on customer_phones (customer_id, position);

-- Ticket numbers: T<local date>-<6-digit sequence of the day>.
create table ticket_counters (
    day text primary key,
    last integer not null
);

create table tickets (
    id uuid primary key,
    number text not null unique,
    kind text not null check (kind in ('inquiry', 'query', 'complaint', 'fault_report',
        'service_request', 'suggestion', 'praise')),
    channel text not null check (channel in ('phone', 'portal', 'chat', 'email', 'api', 'walk_in')),
    priority text not null check (priority in ('low', 'normal', 'high', 'urgent')),
    complexity text check (complexity in ('simple', 'general', 'complex')),
    state text not null check (state in ('new', 'acknowledged', 'dispatched', 'in_progress',
        'pending_customer', 'resolved', 'closed', 'cancelled')),
    customer_id uuid not null references customers (id),
    tier text not null check (tier in ('normal', 'silver', 'gold', 'diamond', 'supreme')),
    department_id uuid not null references departments (id),
    assignee_id uuid references users (id),
    dispatched_from_state text check (dispatched_from_state in ('new', 'acknowledged', 'in_progress')),
    dispatched_from_department_id uuid references departments (id),
    escalation_level integer not null default 0 check (escalation_level >= 0),
    reopen_count integer not null default 0 check (reopen_count >= 0),
    unreachable_attempts integer not null default 0 check (unreachable_attempts >= 0),
    resolved_on_first_contact boolean not null default false,
    version bigint not null check (version >= 1),
    subject text not null,
    description text not null,
    category text not null,
    registered_at timestamptz not null,
    registered_by uuid references users (id),
    updated_at timestamptz not null,
    sla jsonb not null,                  -- JSON array of the targets as of the last write
    next_sla_check_at timestamptz,             -- when the sweeper must look again
    nearest_due_at timestamptz,                -- earliest due time of a running target
    risk_at timestamptz,                       -- earliest warning point of a running target
    check ((kind = 'complaint') = (complexity is not null)),
    check ((dispatched_from_state is null) = (dispatched_from_department_id is null))
);
create index tickets_next_sla_check on tickets (next_sla_check_at) where next_sla_check_at is not null;
create index tickets_state_due on tickets (state, nearest_due_at);
create index tickets_department_state on tickets (department_id, state);
create index tickets_assignee_state on tickets (assignee_id, state);
create index tickets_customer on tickets (customer_id);
create index tickets_risk on tickets (risk_at) where risk_at is not null;

-- Append-only: each event stores the hash of the ticket's previous event.
create table ticket_events (
    ticket_id uuid not null references tickets (id),
    seq bigint not null check (seq >= 1),
    at timestamptz not null,
    actor_id uuid references users (id),
    code text not null,                 -- registered, an action code, or sla_*
    payload jsonb not null,              -- the event as JSON
    from_state text,
    to_state text not null,
    prev_hash text not null,
    hash text not null,
    primary key (ticket_id, seq)
);
create function ticket_events_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'ticket events are append-only';
end;
$$;
create trigger ticket_events_no_update before update or delete on ticket_events
    for each row execute function ticket_events_append_only();

create table calendars (
    code text primary key check (code in ('24x7', 'office')),
    definition jsonb not null,           -- the exchange form (JSON)
    updated_at timestamptz not null
);

create table sla_policies (
    position integer primary key,
    definition jsonb not null,           -- one policy (JSON)
    updated_at timestamptz not null
);

create table outbound_tasks (
    id uuid primary key,
    ticket_id uuid not null references tickets (id),
    customer_id uuid not null references customers (id),
    reason text not null check (reason in ('sla_overdue')),
    department_id uuid not null references departments (id),
    created_at timestamptz not null,
    done_at timestamptz
);
create index outbound_tasks_open on outbound_tasks (created_at) where done_at is null;
create index outbound_tasks_ticket on outbound_tasks (ticket_id);

create table notifications (
    id uuid primary key,
    role text not null check (role in ('customer', 'agent', 'supervisor', 'admin')),
    kind text not null check (kind in ('sla_breached', 'escalated')),
    ticket_id uuid not null references tickets (id),
    at timestamptz not null
);
create index notifications_role_at on notifications (role, at);
