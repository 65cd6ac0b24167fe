-- Calls built from CTI events (DESIGN §3.4). Twin of migrations/postgres/0003_calls.sql.

create table calls (
    call_id text primary key,
    direction text not null check (direction in ('in', 'out')),
    from_number text not null,
    to_number text not null,
    customer_number text,               -- the customer's side, normalised
    queue text,
    agent_login text,                   -- as the PBX sent it
    agent_id text references users (id),-- null when the login is unknown
    customer_id text references customers (id), -- set when exactly one customer matched
    candidates integer not null default 0 check (candidates >= 0),
    ringing_at text,
    answered_at text,
    ended_at text,
    cause text,
    disposition text,
    notes text not null default '',
    version integer not null check (version >= 1),
    updated_at text not null
);
create index calls_ringing on calls (ringing_at);
create index calls_customer on calls (customer_id, ringing_at);
create index calls_agent on calls (agent_id, ringing_at);
