-- Report rollups: per local day (and per UTC hour) sums of the ticket facts the supervisor
-- reports add up, kept by triggers in the transaction of every ticket write, so a report
-- over a year reads a few hundred thousand rollup rows instead of every ticket.
-- Twin of migrations/sqlite/0008_report_rollups.sql (same tables, columns and facts; here
-- one PL/pgSQL function applies a ticket's contribution with a sign).

-- Local days are UTC + this many minutes (Asia/Shanghai by default). Reports at another
-- offset read the tickets themselves.
create table report_offset (
    id integer primary key check (id = 1),
    minutes integer not null check (minutes between -1440 and 1440)
);
insert into report_offset (id, minutes) values (1, 480);

-- Per local day, department, kind, channel and category: counts and, per SLA target
-- (ack = acknowledge, dsp = dispatch acceptance, res = resolve, fup = follow-up), tickets
-- whose target is met / overdue / breached / running.
create table report_mix (
    day date not null,
    department_id uuid not null,
    kind text not null,
    channel text not null,
    category text not null,
    tickets bigint not null,
    answered bigint not null,
    first_contact bigint not null,
    reopened bigint not null,
    complaints bigint not null,
    serious bigint not null,
    ack_met bigint not null, ack_overdue bigint not null,
    ack_breached bigint not null, ack_running bigint not null,
    dsp_met bigint not null, dsp_overdue bigint not null,
    dsp_breached bigint not null, dsp_running bigint not null,
    res_met bigint not null, res_overdue bigint not null,
    res_breached bigint not null, res_running bigint not null,
    fup_met bigint not null, fup_overdue bigint not null,
    fup_breached bigint not null, fup_running bigint not null,
    primary key (day, department_id, kind, channel, category)
);

-- Per local day, department, assignee (the nil UUID for none) and kind: counts and the
-- number of SLA targets (all targets together) in each state.
create table report_owner (
    day date not null,
    department_id uuid not null,
    assignee_id uuid not null,
    kind text not null,
    tickets bigint not null,
    answered bigint not null,
    first_contact bigint not null,
    reopened bigint not null,
    complaints bigint not null,
    serious bigint not null,
    sla_met bigint not null,
    sla_overdue bigint not null,
    sla_breached bigint not null,
    sla_running bigint not null,
    primary key (day, department_id, assignee_id, kind)
);

-- Per UTC hour, department and kind: tickets (volume by hour of day).
create table report_hours (
    utc_hour timestamp not null,
    department_id uuid not null,
    kind text not null,
    tickets bigint not null,
    primary key (utc_hour, department_id, kind)
);

-- One agent's tickets by registration time (reports filtered to an agent read these).
create index tickets_report_agent on tickets (assignee_id, registered_at, kind, channel,
    department_id, category, state, sla_key, resolved_on_first_contact, reopen_count,
    complexity, priority);

-- Existing tickets.
insert into report_mix (day, department_id, kind, channel, category, tickets, answered, first_contact, reopened, complaints, serious, ack_met, ack_overdue, ack_breached, ack_running, dsp_met, dsp_overdue, dsp_breached, dsp_running, res_met, res_overdue, res_breached, res_running, fup_met, fup_overdue, fup_breached, fup_running)
select
    ((t.registered_at at time zone 'UTC') + make_interval(mins => (select minutes from report_offset)))::date,
    t.department_id,
    t.kind,
    t.channel,
    t.category,
    sum(1),
    sum((t.state in ('resolved', 'closed'))::int),
    sum((t.state in ('resolved', 'closed') and t.resolved_on_first_contact)::int),
    sum((t.state in ('resolved', 'closed') and t.reopen_count > 0)::int),
    sum((t.kind = 'complaint')::int),
    sum((t.kind = 'complaint' and (t.complexity = 'complex' or t.priority = 'urgent'))::int),
    sum((strpos((';' || t.sla_key || ';'), ';acknowledge=met;') > 0)::int),
    sum((strpos((';' || t.sla_key || ';'), ';acknowledge=overdue;') > 0)::int),
    sum((strpos((';' || t.sla_key || ';'), ';acknowledge=breached;') > 0)::int),
    sum((strpos((';' || t.sla_key || ';'), ';acknowledge=running;') > 0)::int + (strpos((';' || t.sla_key || ';'), ';acknowledge=paused;') > 0)::int),
    sum((strpos((';' || t.sla_key || ';'), ';dispatch_acceptance=met;') > 0)::int),
    sum((strpos((';' || t.sla_key || ';'), ';dispatch_acceptance=overdue;') > 0)::int),
    sum((strpos((';' || t.sla_key || ';'), ';dispatch_acceptance=breached;') > 0)::int),
    sum((strpos((';' || t.sla_key || ';'), ';dispatch_acceptance=running;') > 0)::int + (strpos((';' || t.sla_key || ';'), ';dispatch_acceptance=paused;') > 0)::int),
    sum((strpos((';' || t.sla_key || ';'), ';resolve=met;') > 0)::int),
    sum((strpos((';' || t.sla_key || ';'), ';resolve=overdue;') > 0)::int),
    sum((strpos((';' || t.sla_key || ';'), ';resolve=breached;') > 0)::int),
    sum((strpos((';' || t.sla_key || ';'), ';resolve=running;') > 0)::int + (strpos((';' || t.sla_key || ';'), ';resolve=paused;') > 0)::int),
    sum((strpos((';' || t.sla_key || ';'), ';follow_up=met;') > 0)::int),
    sum((strpos((';' || t.sla_key || ';'), ';follow_up=overdue;') > 0)::int),
    sum((strpos((';' || t.sla_key || ';'), ';follow_up=breached;') > 0)::int),
    sum((strpos((';' || t.sla_key || ';'), ';follow_up=running;') > 0)::int + (strpos((';' || t.sla_key || ';'), ';follow_up=paused;') > 0)::int)
from tickets t group by 1, 2, 3, 4, 5;

insert into report_owner (day, department_id, assignee_id, kind, tickets, answered, first_contact, reopened, complaints, serious, sla_met, sla_overdue, sla_breached, sla_running)
select
    ((t.registered_at at time zone 'UTC') + make_interval(mins => (select minutes from report_offset)))::date,
    t.department_id,
    coalesce(t.assignee_id, '00000000-0000-0000-0000-000000000000'),
    t.kind,
    sum(1),
    sum((t.state in ('resolved', 'closed'))::int),
    sum((t.state in ('resolved', 'closed') and t.resolved_on_first_contact)::int),
    sum((t.state in ('resolved', 'closed') and t.reopen_count > 0)::int),
    sum((t.kind = 'complaint')::int),
    sum((t.kind = 'complaint' and (t.complexity = 'complex' or t.priority = 'urgent'))::int),
    sum((length((';' || t.sla_key || ';')) - length(replace((';' || t.sla_key || ';'), '=met;', ''))) / 5),
    sum((length((';' || t.sla_key || ';')) - length(replace((';' || t.sla_key || ';'), '=overdue;', ''))) / 9),
    sum((length((';' || t.sla_key || ';')) - length(replace((';' || t.sla_key || ';'), '=breached;', ''))) / 10),
    sum((length((';' || t.sla_key || ';')) - length(replace((';' || t.sla_key || ';'), '=running;', ''))) / 9 + (length((';' || t.sla_key || ';')) - length(replace((';' || t.sla_key || ';'), '=paused;', ''))) / 8)
from tickets t group by 1, 2, 3, 4;

insert into report_hours (utc_hour, department_id, kind, tickets)
select
    date_trunc('hour', t.registered_at at time zone 'UTC'),
    t.department_id,
    t.kind,
    sum(1)
from tickets t group by 1, 2, 3;

-- Adds (s = 1) or takes away (s = -1) one ticket's contribution.
create function report_rollup_apply(t tickets, s integer) returns void language plpgsql as $$
begin
    insert into report_mix (day, department_id, kind, channel, category, tickets, answered, first_contact, reopened, complaints, serious, ack_met, ack_overdue, ack_breached, ack_running, dsp_met, dsp_overdue, dsp_breached, dsp_running, res_met, res_overdue, res_breached, res_running, fup_met, fup_overdue, fup_breached, fup_running)
    values (
        ((t.registered_at at time zone 'UTC') + make_interval(mins => (select minutes from report_offset)))::date,
        t.department_id,
        t.kind,
        t.channel,
        t.category,
        s * (1),
        s * ((t.state in ('resolved', 'closed'))::int),
        s * ((t.state in ('resolved', 'closed') and t.resolved_on_first_contact)::int),
        s * ((t.state in ('resolved', 'closed') and t.reopen_count > 0)::int),
        s * ((t.kind = 'complaint')::int),
        s * ((t.kind = 'complaint' and (t.complexity = 'complex' or t.priority = 'urgent'))::int),
        s * ((strpos((';' || t.sla_key || ';'), ';acknowledge=met;') > 0)::int),
        s * ((strpos((';' || t.sla_key || ';'), ';acknowledge=overdue;') > 0)::int),
        s * ((strpos((';' || t.sla_key || ';'), ';acknowledge=breached;') > 0)::int),
        s * ((strpos((';' || t.sla_key || ';'), ';acknowledge=running;') > 0)::int + (strpos((';' || t.sla_key || ';'), ';acknowledge=paused;') > 0)::int),
        s * ((strpos((';' || t.sla_key || ';'), ';dispatch_acceptance=met;') > 0)::int),
        s * ((strpos((';' || t.sla_key || ';'), ';dispatch_acceptance=overdue;') > 0)::int),
        s * ((strpos((';' || t.sla_key || ';'), ';dispatch_acceptance=breached;') > 0)::int),
        s * ((strpos((';' || t.sla_key || ';'), ';dispatch_acceptance=running;') > 0)::int + (strpos((';' || t.sla_key || ';'), ';dispatch_acceptance=paused;') > 0)::int),
        s * ((strpos((';' || t.sla_key || ';'), ';resolve=met;') > 0)::int),
        s * ((strpos((';' || t.sla_key || ';'), ';resolve=overdue;') > 0)::int),
        s * ((strpos((';' || t.sla_key || ';'), ';resolve=breached;') > 0)::int),
        s * ((strpos((';' || t.sla_key || ';'), ';resolve=running;') > 0)::int + (strpos((';' || t.sla_key || ';'), ';resolve=paused;') > 0)::int),
        s * ((strpos((';' || t.sla_key || ';'), ';follow_up=met;') > 0)::int),
        s * ((strpos((';' || t.sla_key || ';'), ';follow_up=overdue;') > 0)::int),
        s * ((strpos((';' || t.sla_key || ';'), ';follow_up=breached;') > 0)::int),
        s * ((strpos((';' || t.sla_key || ';'), ';follow_up=running;') > 0)::int + (strpos((';' || t.sla_key || ';'), ';follow_up=paused;') > 0)::int))
    on conflict (day, department_id, kind, channel, category) do update set
        tickets = report_mix.tickets + excluded.tickets,
        answered = report_mix.answered + excluded.answered,
        first_contact = report_mix.first_contact + excluded.first_contact,
        reopened = report_mix.reopened + excluded.reopened,
        complaints = report_mix.complaints + excluded.complaints,
        serious = report_mix.serious + excluded.serious,
        ack_met = report_mix.ack_met + excluded.ack_met,
        ack_overdue = report_mix.ack_overdue + excluded.ack_overdue,
        ack_breached = report_mix.ack_breached + excluded.ack_breached,
        ack_running = report_mix.ack_running + excluded.ack_running,
        dsp_met = report_mix.dsp_met + excluded.dsp_met,
        dsp_overdue = report_mix.dsp_overdue + excluded.dsp_overdue,
        dsp_breached = report_mix.dsp_breached + excluded.dsp_breached,
        dsp_running = report_mix.dsp_running + excluded.dsp_running,
        res_met = report_mix.res_met + excluded.res_met,
        res_overdue = report_mix.res_overdue + excluded.res_overdue,
        res_breached = report_mix.res_breached + excluded.res_breached,
        res_running = report_mix.res_running + excluded.res_running,
        fup_met = report_mix.fup_met + excluded.fup_met,
        fup_overdue = report_mix.fup_overdue + excluded.fup_overdue,
        fup_breached = report_mix.fup_breached + excluded.fup_breached,
        fup_running = report_mix.fup_running + excluded.fup_running;
    insert into report_owner (day, department_id, assignee_id, kind, tickets, answered, first_contact, reopened, complaints, serious, sla_met, sla_overdue, sla_breached, sla_running)
    values (
        ((t.registered_at at time zone 'UTC') + make_interval(mins => (select minutes from report_offset)))::date,
        t.department_id,
        coalesce(t.assignee_id, '00000000-0000-0000-0000-000000000000'),
        t.kind,
        s * (1),
        s * ((t.state in ('resolved', 'closed'))::int),
        s * ((t.state in ('resolved', 'closed') and t.resolved_on_first_contact)::int),
        s * ((t.state in ('resolved', 'closed') and t.reopen_count > 0)::int),
        s * ((t.kind = 'complaint')::int),
        s * ((t.kind = 'complaint' and (t.complexity = 'complex' or t.priority = 'urgent'))::int),
        s * ((length((';' || t.sla_key || ';')) - length(replace((';' || t.sla_key || ';'), '=met;', ''))) / 5),
        s * ((length((';' || t.sla_key || ';')) - length(replace((';' || t.sla_key || ';'), '=overdue;', ''))) / 9),
        s * ((length((';' || t.sla_key || ';')) - length(replace((';' || t.sla_key || ';'), '=breached;', ''))) / 10),
        s * ((length((';' || t.sla_key || ';')) - length(replace((';' || t.sla_key || ';'), '=running;', ''))) / 9 + (length((';' || t.sla_key || ';')) - length(replace((';' || t.sla_key || ';'), '=paused;', ''))) / 8))
    on conflict (day, department_id, assignee_id, kind) do update set
        tickets = report_owner.tickets + excluded.tickets,
        answered = report_owner.answered + excluded.answered,
        first_contact = report_owner.first_contact + excluded.first_contact,
        reopened = report_owner.reopened + excluded.reopened,
        complaints = report_owner.complaints + excluded.complaints,
        serious = report_owner.serious + excluded.serious,
        sla_met = report_owner.sla_met + excluded.sla_met,
        sla_overdue = report_owner.sla_overdue + excluded.sla_overdue,
        sla_breached = report_owner.sla_breached + excluded.sla_breached,
        sla_running = report_owner.sla_running + excluded.sla_running;
    insert into report_hours (utc_hour, department_id, kind, tickets)
    values (
        date_trunc('hour', t.registered_at at time zone 'UTC'),
        t.department_id,
        t.kind,
        s * (1))
    on conflict (utc_hour, department_id, kind) do update set
        tickets = report_hours.tickets + excluded.tickets;
end;
$$;

create function tickets_report_rollup() returns trigger language plpgsql as $$
begin
    if tg_op in ('UPDATE', 'DELETE') then
        perform report_rollup_apply(old, -1);
    end if;
    if tg_op in ('INSERT', 'UPDATE') then
        perform report_rollup_apply(new, 1);
    end if;
    return null;
end;
$$;

create trigger tickets_report_insert_delete after insert or delete on tickets
    for each row execute function tickets_report_rollup();
create trigger tickets_report_update after update of registered_at, kind, channel, category,
    department_id, assignee_id, state, sla_key, resolved_on_first_contact, reopen_count,
    complexity, priority on tickets
    for each row execute function tickets_report_rollup();
