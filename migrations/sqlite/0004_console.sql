-- Customer 360, billing, agent states, the one outbound task list, call–ticket links and
-- standard phrases (DESIGN §3.4–3.5). Twin of migrations/postgres/0004_console.sql.

-- The audit log learns the console's actions; staff views of billing data and reveals of
-- masked numbers are its access log (SQLite cannot alter a CHECK: rebuild).
create table audit_log_next (
    id integer primary key autoincrement,
    at text not null,
    actor_id text references users (id),
    action text not null check (action in ('login_succeeded', 'login_failed', 'account_locked',
        'logout', 'calendar_changed', 'policies_changed', 'ticket_imported', 'billing_viewed',
        'number_revealed', 'billing_imported', 'phrases_changed', 'customer_created',
        'token_created', 'token_revoked', 'token_used', 'token_refused')),
    subject text not null,
    detail text not null,
    transaction_id text
);
insert into audit_log_next select * from audit_log;
drop table audit_log;
alter table audit_log_next rename to audit_log;
create index audit_log_subject on audit_log (subject, at);

alter table customers add column id_number text;          -- 证件号, only ever shown masked
alter table customers add column salutation text check (salutation in ('mr', 'ms'));

create table billing_accounts (
    number text primary key,
    customer_id text not null references customers (id),
    plan text not null,
    status text not null check (status in ('active', 'suspended', 'closed')),
    balance_fen integer not null,                           -- negative: the customer owes
    credit_limit_fen integer not null check (credit_limit_fen >= 0),
    updated_at text not null
);
create index billing_accounts_customer on billing_accounts (customer_id);
create index billing_accounts_owing on billing_accounts (balance_fen) where balance_fen < 0;

create table bills (
    account_number text not null references billing_accounts (number),
    period text not null,                                   -- YYYY-MM
    due_on text not null,                                   -- YYYY-MM-DD
    total_fen integer not null,
    items text not null,                                    -- JSON [{name, amount}]
    primary key (account_number, period)
);

create table payments (
    reference text primary key,
    account_number text not null references billing_accounts (number),
    paid_at text not null,
    amount_fen integer not null check (amount_fen > 0),
    method text not null check (method in ('cash', 'bank_card', 'alipay', 'wechat', 'bank', 'other'))
);
create index payments_account on payments (account_number, paid_at);

create table usage_records (
    account_number text not null references billing_accounts (number),
    day text not null,
    kind text not null check (kind in ('voice', 'data', 'sms')),
    quantity integer not null check (quantity >= 0),
    charge_fen integer not null,
    primary key (account_number, day, kind)
);

-- One list of outbound work: follow-ups, overdue notices, callbacks, collections.
create table tasks (
    id text primary key,
    reason text not null check (reason in ('follow_up', 'sla_overdue', 'callback', 'collection')),
    customer_id text references customers (id),             -- null: a caller not on file
    phone text not null,
    ticket_id text references tickets (id),
    call_id text references calls (call_id),
    account_number text references billing_accounts (number),
    department_id text not null references departments (id),
    due_at text not null,
    attempts integer not null default 0 check (attempts >= 0),
    assignee_id text references users (id),
    outcome text check (outcome in ('reached', 'satisfied', 'unsatisfied', 'no_answer',
                                    'wrong_number', 'promised', 'unreachable', 'superseded')),
    note text not null default '',
    created_at text not null,
    done_at text,
    version integer not null check (version >= 1)
);
insert into tasks (id, reason, customer_id, phone, ticket_id, department_id, due_at,
                   created_at, done_at, version)
select o.id, o.reason, o.customer_id,
       coalesce((select p.phone from customer_phones p where p.customer_id = o.customer_id
                 order by p.position limit 1), ''),
       o.ticket_id, o.department_id, o.created_at, o.created_at, o.done_at, 1
from outbound_tasks o;
drop table outbound_tasks;
create index tasks_open on tasks (due_at) where done_at is null;
create index tasks_ticket on tasks (ticket_id);
create unique index tasks_one_open_collection on tasks (account_number)
    where done_at is null and reason = 'collection';
create unique index tasks_one_callback_per_call on tasks (call_id) where reason = 'callback';
-- One open overdue notice per ticket (several targets may pass their due time).
update tasks set outcome = 'superseded', done_at = created_at
where reason = 'sla_overdue' and done_at is null
  and id not in (select min(id) from tasks where reason = 'sla_overdue' and done_at is null
                 group by ticket_id);
create unique index tasks_one_open_notice on tasks (ticket_id)
    where done_at is null and reason = 'sla_overdue';

create table task_attempts (
    task_id text not null references tasks (id),
    at text not null,
    user_id text not null references users (id),
    outcome text not null,
    note text not null default ''
);
create index task_attempts_task on task_attempts (task_id, at);

-- Agent states: the current one and every change.
create table agent_status (
    user_id text primary key references users (id),
    state text not null check (state in ('available', 'on_call', 'wrap_up', 'break', 'offline')),
    reason text,
    call_id text,
    since text not null,
    version integer not null check (version >= 1)
);
create table agent_state_log (
    id integer primary key autoincrement,
    user_id text not null references users (id),
    state text not null,
    reason text,
    call_id text,
    source text not null check (source in ('agent', 'cti', 'system')),
    at text not null
);
create index agent_state_log_user_at on agent_state_log (user_id, at);

create table call_tickets (
    call_id text not null references calls (call_id),
    ticket_id text not null references tickets (id),
    primary key (call_id, ticket_id)
);
create index call_tickets_ticket on call_tickets (ticket_id);

-- Standard phrases (规范用语), seeded from the requirements and edited by admins.
create table phrases (
    id text primary key,
    position integer not null,
    title_zh text not null,
    title_en text not null,
    steps text not null,                                    -- JSON [{zh, en, pause_seconds}]
    forbidden_zh text not null default '',
    forbidden_en text not null default '',
    updated_at text not null
);

-- API tokens for integrations (CTI push, billing feeds): only the SHA-256 of the token is kept.
create table api_tokens (
    id text primary key,
    name text not null,
    prefix text not null unique,
    hash text not null,
    scopes text not null,                                   -- JSON ["cti", "billing:import"]
    allow_ips text not null,                                -- JSON ["10.0.0.0/8"]
    created_by text not null references users (id),
    created_at text not null,
    expires_at text,
    revoked_at text,
    last_used_at text
);
