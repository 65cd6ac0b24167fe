-- The self-service portal: verification codes, rate-limit hits, ticket attachments and the
-- customers' in-portal notices.
-- Twin of migrations/sqlite/0006_portal.sql.

create table verification_codes (
    phone text not null,
    purpose text not null check (purpose in ('register', 'reset')),
    code_hash text not null,                       -- SHA-256 of phone, purpose and code
    created_at timestamptz not null,
    expires_at timestamptz not null,
    attempts integer not null default 0,
    consumed boolean not null default false,
    primary key (phone, purpose)
);

create table rate_hits (
    bucket text not null,
    key text not null,
    at timestamptz not null
);
create index rate_hits_key on rate_hits (bucket, key, at);

create table attachments (
    id uuid primary key,
    ticket_id uuid not null references tickets (id),
    customer_id uuid not null references customers (id),
    uploaded_by uuid references users (id),
    name text not null,
    kind text not null check (kind in ('png', 'jpeg', 'gif', 'webp', 'pdf')),
    size bigint not null check (size > 0),
    sha256 text not null,
    position integer not null,                     -- 0, 1, 2… per ticket
    data bytea not null,
    created_at timestamptz not null
);
create unique index attachments_ticket on attachments (ticket_id, position);

create table customer_notices (
    id uuid primary key,
    customer_id uuid not null references customers (id),
    ticket_id uuid not null references tickets (id),
    kind text not null check (kind in ('state_changed', 'answered', 'message')),
    state text not null,
    at timestamptz not null,
    read boolean not null default false
);
create index customer_notices_customer on customer_notices (customer_id, at);

-- What a customer adds when submitting a request: the account it concerns and when they
-- prefer to be contacted.
alter table tickets add column account text;
alter table tickets add column contact_time text
    check (contact_time in ('any', 'workday_daytime', 'workday_evening', 'weekend'));
