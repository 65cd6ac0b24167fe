-- Report rollups: per local day (and per UTC hour) sums of the ticket facts the supervisor
-- reports add up, kept by triggers in the transaction of every ticket write, so a report
-- over a year reads a few hundred thousand rollup rows instead of every ticket.
-- Twin of migrations/postgres/0008_report_rollups.sql.
--
-- A ticket counts in the rollups under its current values: a write subtracts the old row's
-- contribution and adds the new one. The fact definitions are those of the raw report
-- queries in server/src/store/sqlite/supervision.rs (answered = resolved or closed;
-- serious = complaint that is complex or urgent; SLA states from `sla_key`, paused counting
-- as running), and a conformance test checks both paths give the same figures.

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
    day text not null,
    department_id text not null,
    kind text not null,
    channel text not null,
    category text not null,
    tickets integer not null,
    answered integer not null,
    first_contact integer not null,
    reopened integer not null,
    complaints integer not null,
    serious integer not null,
    ack_met integer not null, ack_overdue integer not null,
    ack_breached integer not null, ack_running integer not null,
    dsp_met integer not null, dsp_overdue integer not null,
    dsp_breached integer not null, dsp_running integer not null,
    res_met integer not null, res_overdue integer not null,
    res_breached integer not null, res_running integer not null,
    fup_met integer not null, fup_overdue integer not null,
    fup_breached integer not null, fup_running integer not null,
    primary key (day, department_id, kind, channel, category)
) without rowid;

-- Per local day, department, assignee ('' for none) and kind: counts and the number of
-- SLA targets (all targets together) in each state.
create table report_owner (
    day text not null,
    department_id text not null,
    assignee_id text not null,
    kind text not null,
    tickets integer not null,
    answered integer not null,
    first_contact integer not null,
    reopened integer not null,
    complaints integer not null,
    serious integer not null,
    sla_met integer not null,
    sla_overdue integer not null,
    sla_breached integer not null,
    sla_running integer not null,
    primary key (day, department_id, assignee_id, kind)
) without rowid;

-- Per UTC hour (`2026-11-23T02`), department and kind: tickets (volume by hour of day).
create table report_hours (
    utc_hour text not null,
    department_id text not null,
    kind text not null,
    tickets integer not null,
    primary key (utc_hour, department_id, kind)
) without rowid;

-- One agent's tickets by registration time (reports filtered to an agent read these).
create index tickets_report_agent on tickets (assignee_id, registered_at, kind, channel,
    department_id, category, state, sla_key, resolved_on_first_contact, reopen_count,
    complexity, priority);


-- Existing tickets.
insert into report_mix (day, department_id, kind, channel, category, tickets, answered, first_contact, reopened, complaints, serious, ack_met, ack_overdue, ack_breached, ack_running, dsp_met, dsp_overdue, dsp_breached, dsp_running, res_met, res_overdue, res_breached, res_running, fup_met, fup_overdue, fup_breached, fup_running)
select
    date(t.registered_at, (select minutes || ' minutes' from report_offset)),
    t.department_id,
    t.kind,
    t.channel,
    t.category,
    sum(1),
    sum((t.state in ('resolved', 'closed'))),
    sum((t.state in ('resolved', 'closed') and t.resolved_on_first_contact = 1)),
    sum((t.state in ('resolved', 'closed') and t.reopen_count > 0)),
    sum((t.kind = 'complaint')),
    sum((t.kind = 'complaint' and (t.complexity = 'complex' or t.priority = 'urgent'))),
    sum(((instr((';' || t.sla_key || ';'), ';acknowledge=met;') > 0))),
    sum(((instr((';' || t.sla_key || ';'), ';acknowledge=overdue;') > 0))),
    sum(((instr((';' || t.sla_key || ';'), ';acknowledge=breached;') > 0))),
    sum(((instr((';' || t.sla_key || ';'), ';acknowledge=running;') > 0) + (instr((';' || t.sla_key || ';'), ';acknowledge=paused;') > 0))),
    sum(((instr((';' || t.sla_key || ';'), ';dispatch_acceptance=met;') > 0))),
    sum(((instr((';' || t.sla_key || ';'), ';dispatch_acceptance=overdue;') > 0))),
    sum(((instr((';' || t.sla_key || ';'), ';dispatch_acceptance=breached;') > 0))),
    sum(((instr((';' || t.sla_key || ';'), ';dispatch_acceptance=running;') > 0) + (instr((';' || t.sla_key || ';'), ';dispatch_acceptance=paused;') > 0))),
    sum(((instr((';' || t.sla_key || ';'), ';resolve=met;') > 0))),
    sum(((instr((';' || t.sla_key || ';'), ';resolve=overdue;') > 0))),
    sum(((instr((';' || t.sla_key || ';'), ';resolve=breached;') > 0))),
    sum(((instr((';' || t.sla_key || ';'), ';resolve=running;') > 0) + (instr((';' || t.sla_key || ';'), ';resolve=paused;') > 0))),
    sum(((instr((';' || t.sla_key || ';'), ';follow_up=met;') > 0))),
    sum(((instr((';' || t.sla_key || ';'), ';follow_up=overdue;') > 0))),
    sum(((instr((';' || t.sla_key || ';'), ';follow_up=breached;') > 0))),
    sum(((instr((';' || t.sla_key || ';'), ';follow_up=running;') > 0) + (instr((';' || t.sla_key || ';'), ';follow_up=paused;') > 0)))
from tickets t group by 1, 2, 3, 4, 5;

insert into report_owner (day, department_id, assignee_id, kind, tickets, answered, first_contact, reopened, complaints, serious, sla_met, sla_overdue, sla_breached, sla_running)
select
    date(t.registered_at, (select minutes || ' minutes' from report_offset)),
    t.department_id,
    coalesce(t.assignee_id, ''),
    t.kind,
    sum(1),
    sum((t.state in ('resolved', 'closed'))),
    sum((t.state in ('resolved', 'closed') and t.resolved_on_first_contact = 1)),
    sum((t.state in ('resolved', 'closed') and t.reopen_count > 0)),
    sum((t.kind = 'complaint')),
    sum((t.kind = 'complaint' and (t.complexity = 'complex' or t.priority = 'urgent'))),
    sum(((length((';' || t.sla_key || ';')) - length(replace((';' || t.sla_key || ';'), '=met;', ''))) / 5)),
    sum(((length((';' || t.sla_key || ';')) - length(replace((';' || t.sla_key || ';'), '=overdue;', ''))) / 9)),
    sum(((length((';' || t.sla_key || ';')) - length(replace((';' || t.sla_key || ';'), '=breached;', ''))) / 10)),
    sum(((length((';' || t.sla_key || ';')) - length(replace((';' || t.sla_key || ';'), '=running;', ''))) / 9 + (length((';' || t.sla_key || ';')) - length(replace((';' || t.sla_key || ';'), '=paused;', ''))) / 8))
from tickets t group by 1, 2, 3, 4;

insert into report_hours (utc_hour, department_id, kind, tickets)
select
    substr(t.registered_at, 1, 13),
    t.department_id,
    t.kind,
    sum(1)
from tickets t group by 1, 2, 3;

-- Every later write.
create trigger tickets_report_insert after insert on tickets begin
    insert into report_mix (day, department_id, kind, channel, category, tickets, answered, first_contact, reopened, complaints, serious, ack_met, ack_overdue, ack_breached, ack_running, dsp_met, dsp_overdue, dsp_breached, dsp_running, res_met, res_overdue, res_breached, res_running, fup_met, fup_overdue, fup_breached, fup_running)
    values (
        date(new.registered_at, (select minutes || ' minutes' from report_offset)),
        new.department_id,
        new.kind,
        new.channel,
        new.category,
        1,
        (new.state in ('resolved', 'closed')),
        (new.state in ('resolved', 'closed') and new.resolved_on_first_contact = 1),
        (new.state in ('resolved', 'closed') and new.reopen_count > 0),
        (new.kind = 'complaint'),
        (new.kind = 'complaint' and (new.complexity = 'complex' or new.priority = 'urgent')),
        ((instr((';' || new.sla_key || ';'), ';acknowledge=met;') > 0)),
        ((instr((';' || new.sla_key || ';'), ';acknowledge=overdue;') > 0)),
        ((instr((';' || new.sla_key || ';'), ';acknowledge=breached;') > 0)),
        ((instr((';' || new.sla_key || ';'), ';acknowledge=running;') > 0) + (instr((';' || new.sla_key || ';'), ';acknowledge=paused;') > 0)),
        ((instr((';' || new.sla_key || ';'), ';dispatch_acceptance=met;') > 0)),
        ((instr((';' || new.sla_key || ';'), ';dispatch_acceptance=overdue;') > 0)),
        ((instr((';' || new.sla_key || ';'), ';dispatch_acceptance=breached;') > 0)),
        ((instr((';' || new.sla_key || ';'), ';dispatch_acceptance=running;') > 0) + (instr((';' || new.sla_key || ';'), ';dispatch_acceptance=paused;') > 0)),
        ((instr((';' || new.sla_key || ';'), ';resolve=met;') > 0)),
        ((instr((';' || new.sla_key || ';'), ';resolve=overdue;') > 0)),
        ((instr((';' || new.sla_key || ';'), ';resolve=breached;') > 0)),
        ((instr((';' || new.sla_key || ';'), ';resolve=running;') > 0) + (instr((';' || new.sla_key || ';'), ';resolve=paused;') > 0)),
        ((instr((';' || new.sla_key || ';'), ';follow_up=met;') > 0)),
        ((instr((';' || new.sla_key || ';'), ';follow_up=overdue;') > 0)),
        ((instr((';' || new.sla_key || ';'), ';follow_up=breached;') > 0)),
        ((instr((';' || new.sla_key || ';'), ';follow_up=running;') > 0) + (instr((';' || new.sla_key || ';'), ';follow_up=paused;') > 0)))
    on conflict (day, department_id, kind, channel, category) do update set
        tickets = tickets + excluded.tickets,
        answered = answered + excluded.answered,
        first_contact = first_contact + excluded.first_contact,
        reopened = reopened + excluded.reopened,
        complaints = complaints + excluded.complaints,
        serious = serious + excluded.serious,
        ack_met = ack_met + excluded.ack_met,
        ack_overdue = ack_overdue + excluded.ack_overdue,
        ack_breached = ack_breached + excluded.ack_breached,
        ack_running = ack_running + excluded.ack_running,
        dsp_met = dsp_met + excluded.dsp_met,
        dsp_overdue = dsp_overdue + excluded.dsp_overdue,
        dsp_breached = dsp_breached + excluded.dsp_breached,
        dsp_running = dsp_running + excluded.dsp_running,
        res_met = res_met + excluded.res_met,
        res_overdue = res_overdue + excluded.res_overdue,
        res_breached = res_breached + excluded.res_breached,
        res_running = res_running + excluded.res_running,
        fup_met = fup_met + excluded.fup_met,
        fup_overdue = fup_overdue + excluded.fup_overdue,
        fup_breached = fup_breached + excluded.fup_breached,
        fup_running = fup_running + excluded.fup_running;
    insert into report_owner (day, department_id, assignee_id, kind, tickets, answered, first_contact, reopened, complaints, serious, sla_met, sla_overdue, sla_breached, sla_running)
    values (
        date(new.registered_at, (select minutes || ' minutes' from report_offset)),
        new.department_id,
        coalesce(new.assignee_id, ''),
        new.kind,
        1,
        (new.state in ('resolved', 'closed')),
        (new.state in ('resolved', 'closed') and new.resolved_on_first_contact = 1),
        (new.state in ('resolved', 'closed') and new.reopen_count > 0),
        (new.kind = 'complaint'),
        (new.kind = 'complaint' and (new.complexity = 'complex' or new.priority = 'urgent')),
        ((length((';' || new.sla_key || ';')) - length(replace((';' || new.sla_key || ';'), '=met;', ''))) / 5),
        ((length((';' || new.sla_key || ';')) - length(replace((';' || new.sla_key || ';'), '=overdue;', ''))) / 9),
        ((length((';' || new.sla_key || ';')) - length(replace((';' || new.sla_key || ';'), '=breached;', ''))) / 10),
        ((length((';' || new.sla_key || ';')) - length(replace((';' || new.sla_key || ';'), '=running;', ''))) / 9 + (length((';' || new.sla_key || ';')) - length(replace((';' || new.sla_key || ';'), '=paused;', ''))) / 8))
    on conflict (day, department_id, assignee_id, kind) do update set
        tickets = tickets + excluded.tickets,
        answered = answered + excluded.answered,
        first_contact = first_contact + excluded.first_contact,
        reopened = reopened + excluded.reopened,
        complaints = complaints + excluded.complaints,
        serious = serious + excluded.serious,
        sla_met = sla_met + excluded.sla_met,
        sla_overdue = sla_overdue + excluded.sla_overdue,
        sla_breached = sla_breached + excluded.sla_breached,
        sla_running = sla_running + excluded.sla_running;
    insert into report_hours (utc_hour, department_id, kind, tickets)
    values (
        substr(new.registered_at, 1, 13),
        new.department_id,
        new.kind,
        1)
    on conflict (utc_hour, department_id, kind) do update set
        tickets = tickets + excluded.tickets;
end;

create trigger tickets_report_delete after delete on tickets begin
    insert into report_mix (day, department_id, kind, channel, category, tickets, answered, first_contact, reopened, complaints, serious, ack_met, ack_overdue, ack_breached, ack_running, dsp_met, dsp_overdue, dsp_breached, dsp_running, res_met, res_overdue, res_breached, res_running, fup_met, fup_overdue, fup_breached, fup_running)
    values (
        date(old.registered_at, (select minutes || ' minutes' from report_offset)),
        old.department_id,
        old.kind,
        old.channel,
        old.category,
        -1,
        -(old.state in ('resolved', 'closed')),
        -(old.state in ('resolved', 'closed') and old.resolved_on_first_contact = 1),
        -(old.state in ('resolved', 'closed') and old.reopen_count > 0),
        -(old.kind = 'complaint'),
        -(old.kind = 'complaint' and (old.complexity = 'complex' or old.priority = 'urgent')),
        -((instr((';' || old.sla_key || ';'), ';acknowledge=met;') > 0)),
        -((instr((';' || old.sla_key || ';'), ';acknowledge=overdue;') > 0)),
        -((instr((';' || old.sla_key || ';'), ';acknowledge=breached;') > 0)),
        -((instr((';' || old.sla_key || ';'), ';acknowledge=running;') > 0) + (instr((';' || old.sla_key || ';'), ';acknowledge=paused;') > 0)),
        -((instr((';' || old.sla_key || ';'), ';dispatch_acceptance=met;') > 0)),
        -((instr((';' || old.sla_key || ';'), ';dispatch_acceptance=overdue;') > 0)),
        -((instr((';' || old.sla_key || ';'), ';dispatch_acceptance=breached;') > 0)),
        -((instr((';' || old.sla_key || ';'), ';dispatch_acceptance=running;') > 0) + (instr((';' || old.sla_key || ';'), ';dispatch_acceptance=paused;') > 0)),
        -((instr((';' || old.sla_key || ';'), ';resolve=met;') > 0)),
        -((instr((';' || old.sla_key || ';'), ';resolve=overdue;') > 0)),
        -((instr((';' || old.sla_key || ';'), ';resolve=breached;') > 0)),
        -((instr((';' || old.sla_key || ';'), ';resolve=running;') > 0) + (instr((';' || old.sla_key || ';'), ';resolve=paused;') > 0)),
        -((instr((';' || old.sla_key || ';'), ';follow_up=met;') > 0)),
        -((instr((';' || old.sla_key || ';'), ';follow_up=overdue;') > 0)),
        -((instr((';' || old.sla_key || ';'), ';follow_up=breached;') > 0)),
        -((instr((';' || old.sla_key || ';'), ';follow_up=running;') > 0) + (instr((';' || old.sla_key || ';'), ';follow_up=paused;') > 0)))
    on conflict (day, department_id, kind, channel, category) do update set
        tickets = tickets + excluded.tickets,
        answered = answered + excluded.answered,
        first_contact = first_contact + excluded.first_contact,
        reopened = reopened + excluded.reopened,
        complaints = complaints + excluded.complaints,
        serious = serious + excluded.serious,
        ack_met = ack_met + excluded.ack_met,
        ack_overdue = ack_overdue + excluded.ack_overdue,
        ack_breached = ack_breached + excluded.ack_breached,
        ack_running = ack_running + excluded.ack_running,
        dsp_met = dsp_met + excluded.dsp_met,
        dsp_overdue = dsp_overdue + excluded.dsp_overdue,
        dsp_breached = dsp_breached + excluded.dsp_breached,
        dsp_running = dsp_running + excluded.dsp_running,
        res_met = res_met + excluded.res_met,
        res_overdue = res_overdue + excluded.res_overdue,
        res_breached = res_breached + excluded.res_breached,
        res_running = res_running + excluded.res_running,
        fup_met = fup_met + excluded.fup_met,
        fup_overdue = fup_overdue + excluded.fup_overdue,
        fup_breached = fup_breached + excluded.fup_breached,
        fup_running = fup_running + excluded.fup_running;
    insert into report_owner (day, department_id, assignee_id, kind, tickets, answered, first_contact, reopened, complaints, serious, sla_met, sla_overdue, sla_breached, sla_running)
    values (
        date(old.registered_at, (select minutes || ' minutes' from report_offset)),
        old.department_id,
        coalesce(old.assignee_id, ''),
        old.kind,
        -1,
        -(old.state in ('resolved', 'closed')),
        -(old.state in ('resolved', 'closed') and old.resolved_on_first_contact = 1),
        -(old.state in ('resolved', 'closed') and old.reopen_count > 0),
        -(old.kind = 'complaint'),
        -(old.kind = 'complaint' and (old.complexity = 'complex' or old.priority = 'urgent')),
        -((length((';' || old.sla_key || ';')) - length(replace((';' || old.sla_key || ';'), '=met;', ''))) / 5),
        -((length((';' || old.sla_key || ';')) - length(replace((';' || old.sla_key || ';'), '=overdue;', ''))) / 9),
        -((length((';' || old.sla_key || ';')) - length(replace((';' || old.sla_key || ';'), '=breached;', ''))) / 10),
        -((length((';' || old.sla_key || ';')) - length(replace((';' || old.sla_key || ';'), '=running;', ''))) / 9 + (length((';' || old.sla_key || ';')) - length(replace((';' || old.sla_key || ';'), '=paused;', ''))) / 8))
    on conflict (day, department_id, assignee_id, kind) do update set
        tickets = tickets + excluded.tickets,
        answered = answered + excluded.answered,
        first_contact = first_contact + excluded.first_contact,
        reopened = reopened + excluded.reopened,
        complaints = complaints + excluded.complaints,
        serious = serious + excluded.serious,
        sla_met = sla_met + excluded.sla_met,
        sla_overdue = sla_overdue + excluded.sla_overdue,
        sla_breached = sla_breached + excluded.sla_breached,
        sla_running = sla_running + excluded.sla_running;
    insert into report_hours (utc_hour, department_id, kind, tickets)
    values (
        substr(old.registered_at, 1, 13),
        old.department_id,
        old.kind,
        -1)
    on conflict (utc_hour, department_id, kind) do update set
        tickets = tickets + excluded.tickets;
end;

create trigger tickets_report_update after update of registered_at, kind, channel, category, department_id, assignee_id, state, sla_key, resolved_on_first_contact, reopen_count, complexity, priority
    on tickets begin
    insert into report_mix (day, department_id, kind, channel, category, tickets, answered, first_contact, reopened, complaints, serious, ack_met, ack_overdue, ack_breached, ack_running, dsp_met, dsp_overdue, dsp_breached, dsp_running, res_met, res_overdue, res_breached, res_running, fup_met, fup_overdue, fup_breached, fup_running)
    values (
        date(old.registered_at, (select minutes || ' minutes' from report_offset)),
        old.department_id,
        old.kind,
        old.channel,
        old.category,
        -1,
        -(old.state in ('resolved', 'closed')),
        -(old.state in ('resolved', 'closed') and old.resolved_on_first_contact = 1),
        -(old.state in ('resolved', 'closed') and old.reopen_count > 0),
        -(old.kind = 'complaint'),
        -(old.kind = 'complaint' and (old.complexity = 'complex' or old.priority = 'urgent')),
        -((instr((';' || old.sla_key || ';'), ';acknowledge=met;') > 0)),
        -((instr((';' || old.sla_key || ';'), ';acknowledge=overdue;') > 0)),
        -((instr((';' || old.sla_key || ';'), ';acknowledge=breached;') > 0)),
        -((instr((';' || old.sla_key || ';'), ';acknowledge=running;') > 0) + (instr((';' || old.sla_key || ';'), ';acknowledge=paused;') > 0)),
        -((instr((';' || old.sla_key || ';'), ';dispatch_acceptance=met;') > 0)),
        -((instr((';' || old.sla_key || ';'), ';dispatch_acceptance=overdue;') > 0)),
        -((instr((';' || old.sla_key || ';'), ';dispatch_acceptance=breached;') > 0)),
        -((instr((';' || old.sla_key || ';'), ';dispatch_acceptance=running;') > 0) + (instr((';' || old.sla_key || ';'), ';dispatch_acceptance=paused;') > 0)),
        -((instr((';' || old.sla_key || ';'), ';resolve=met;') > 0)),
        -((instr((';' || old.sla_key || ';'), ';resolve=overdue;') > 0)),
        -((instr((';' || old.sla_key || ';'), ';resolve=breached;') > 0)),
        -((instr((';' || old.sla_key || ';'), ';resolve=running;') > 0) + (instr((';' || old.sla_key || ';'), ';resolve=paused;') > 0)),
        -((instr((';' || old.sla_key || ';'), ';follow_up=met;') > 0)),
        -((instr((';' || old.sla_key || ';'), ';follow_up=overdue;') > 0)),
        -((instr((';' || old.sla_key || ';'), ';follow_up=breached;') > 0)),
        -((instr((';' || old.sla_key || ';'), ';follow_up=running;') > 0) + (instr((';' || old.sla_key || ';'), ';follow_up=paused;') > 0)))
    on conflict (day, department_id, kind, channel, category) do update set
        tickets = tickets + excluded.tickets,
        answered = answered + excluded.answered,
        first_contact = first_contact + excluded.first_contact,
        reopened = reopened + excluded.reopened,
        complaints = complaints + excluded.complaints,
        serious = serious + excluded.serious,
        ack_met = ack_met + excluded.ack_met,
        ack_overdue = ack_overdue + excluded.ack_overdue,
        ack_breached = ack_breached + excluded.ack_breached,
        ack_running = ack_running + excluded.ack_running,
        dsp_met = dsp_met + excluded.dsp_met,
        dsp_overdue = dsp_overdue + excluded.dsp_overdue,
        dsp_breached = dsp_breached + excluded.dsp_breached,
        dsp_running = dsp_running + excluded.dsp_running,
        res_met = res_met + excluded.res_met,
        res_overdue = res_overdue + excluded.res_overdue,
        res_breached = res_breached + excluded.res_breached,
        res_running = res_running + excluded.res_running,
        fup_met = fup_met + excluded.fup_met,
        fup_overdue = fup_overdue + excluded.fup_overdue,
        fup_breached = fup_breached + excluded.fup_breached,
        fup_running = fup_running + excluded.fup_running;
    insert into report_owner (day, department_id, assignee_id, kind, tickets, answered, first_contact, reopened, complaints, serious, sla_met, sla_overdue, sla_breached, sla_running)
    values (
        date(old.registered_at, (select minutes || ' minutes' from report_offset)),
        old.department_id,
        coalesce(old.assignee_id, ''),
        old.kind,
        -1,
        -(old.state in ('resolved', 'closed')),
        -(old.state in ('resolved', 'closed') and old.resolved_on_first_contact = 1),
        -(old.state in ('resolved', 'closed') and old.reopen_count > 0),
        -(old.kind = 'complaint'),
        -(old.kind = 'complaint' and (old.complexity = 'complex' or old.priority = 'urgent')),
        -((length((';' || old.sla_key || ';')) - length(replace((';' || old.sla_key || ';'), '=met;', ''))) / 5),
        -((length((';' || old.sla_key || ';')) - length(replace((';' || old.sla_key || ';'), '=overdue;', ''))) / 9),
        -((length((';' || old.sla_key || ';')) - length(replace((';' || old.sla_key || ';'), '=breached;', ''))) / 10),
        -((length((';' || old.sla_key || ';')) - length(replace((';' || old.sla_key || ';'), '=running;', ''))) / 9 + (length((';' || old.sla_key || ';')) - length(replace((';' || old.sla_key || ';'), '=paused;', ''))) / 8))
    on conflict (day, department_id, assignee_id, kind) do update set
        tickets = tickets + excluded.tickets,
        answered = answered + excluded.answered,
        first_contact = first_contact + excluded.first_contact,
        reopened = reopened + excluded.reopened,
        complaints = complaints + excluded.complaints,
        serious = serious + excluded.serious,
        sla_met = sla_met + excluded.sla_met,
        sla_overdue = sla_overdue + excluded.sla_overdue,
        sla_breached = sla_breached + excluded.sla_breached,
        sla_running = sla_running + excluded.sla_running;
    insert into report_hours (utc_hour, department_id, kind, tickets)
    values (
        substr(old.registered_at, 1, 13),
        old.department_id,
        old.kind,
        -1)
    on conflict (utc_hour, department_id, kind) do update set
        tickets = tickets + excluded.tickets;
    insert into report_mix (day, department_id, kind, channel, category, tickets, answered, first_contact, reopened, complaints, serious, ack_met, ack_overdue, ack_breached, ack_running, dsp_met, dsp_overdue, dsp_breached, dsp_running, res_met, res_overdue, res_breached, res_running, fup_met, fup_overdue, fup_breached, fup_running)
    values (
        date(new.registered_at, (select minutes || ' minutes' from report_offset)),
        new.department_id,
        new.kind,
        new.channel,
        new.category,
        1,
        (new.state in ('resolved', 'closed')),
        (new.state in ('resolved', 'closed') and new.resolved_on_first_contact = 1),
        (new.state in ('resolved', 'closed') and new.reopen_count > 0),
        (new.kind = 'complaint'),
        (new.kind = 'complaint' and (new.complexity = 'complex' or new.priority = 'urgent')),
        ((instr((';' || new.sla_key || ';'), ';acknowledge=met;') > 0)),
        ((instr((';' || new.sla_key || ';'), ';acknowledge=overdue;') > 0)),
        ((instr((';' || new.sla_key || ';'), ';acknowledge=breached;') > 0)),
        ((instr((';' || new.sla_key || ';'), ';acknowledge=running;') > 0) + (instr((';' || new.sla_key || ';'), ';acknowledge=paused;') > 0)),
        ((instr((';' || new.sla_key || ';'), ';dispatch_acceptance=met;') > 0)),
        ((instr((';' || new.sla_key || ';'), ';dispatch_acceptance=overdue;') > 0)),
        ((instr((';' || new.sla_key || ';'), ';dispatch_acceptance=breached;') > 0)),
        ((instr((';' || new.sla_key || ';'), ';dispatch_acceptance=running;') > 0) + (instr((';' || new.sla_key || ';'), ';dispatch_acceptance=paused;') > 0)),
        ((instr((';' || new.sla_key || ';'), ';resolve=met;') > 0)),
        ((instr((';' || new.sla_key || ';'), ';resolve=overdue;') > 0)),
        ((instr((';' || new.sla_key || ';'), ';resolve=breached;') > 0)),
        ((instr((';' || new.sla_key || ';'), ';resolve=running;') > 0) + (instr((';' || new.sla_key || ';'), ';resolve=paused;') > 0)),
        ((instr((';' || new.sla_key || ';'), ';follow_up=met;') > 0)),
        ((instr((';' || new.sla_key || ';'), ';follow_up=overdue;') > 0)),
        ((instr((';' || new.sla_key || ';'), ';follow_up=breached;') > 0)),
        ((instr((';' || new.sla_key || ';'), ';follow_up=running;') > 0) + (instr((';' || new.sla_key || ';'), ';follow_up=paused;') > 0)))
    on conflict (day, department_id, kind, channel, category) do update set
        tickets = tickets + excluded.tickets,
        answered = answered + excluded.answered,
        first_contact = first_contact + excluded.first_contact,
        reopened = reopened + excluded.reopened,
        complaints = complaints + excluded.complaints,
        serious = serious + excluded.serious,
        ack_met = ack_met + excluded.ack_met,
        ack_overdue = ack_overdue + excluded.ack_overdue,
        ack_breached = ack_breached + excluded.ack_breached,
        ack_running = ack_running + excluded.ack_running,
        dsp_met = dsp_met + excluded.dsp_met,
        dsp_overdue = dsp_overdue + excluded.dsp_overdue,
        dsp_breached = dsp_breached + excluded.dsp_breached,
        dsp_running = dsp_running + excluded.dsp_running,
        res_met = res_met + excluded.res_met,
        res_overdue = res_overdue + excluded.res_overdue,
        res_breached = res_breached + excluded.res_breached,
        res_running = res_running + excluded.res_running,
        fup_met = fup_met + excluded.fup_met,
        fup_overdue = fup_overdue + excluded.fup_overdue,
        fup_breached = fup_breached + excluded.fup_breached,
        fup_running = fup_running + excluded.fup_running;
    insert into report_owner (day, department_id, assignee_id, kind, tickets, answered, first_contact, reopened, complaints, serious, sla_met, sla_overdue, sla_breached, sla_running)
    values (
        date(new.registered_at, (select minutes || ' minutes' from report_offset)),
        new.department_id,
        coalesce(new.assignee_id, ''),
        new.kind,
        1,
        (new.state in ('resolved', 'closed')),
        (new.state in ('resolved', 'closed') and new.resolved_on_first_contact = 1),
        (new.state in ('resolved', 'closed') and new.reopen_count > 0),
        (new.kind = 'complaint'),
        (new.kind = 'complaint' and (new.complexity = 'complex' or new.priority = 'urgent')),
        ((length((';' || new.sla_key || ';')) - length(replace((';' || new.sla_key || ';'), '=met;', ''))) / 5),
        ((length((';' || new.sla_key || ';')) - length(replace((';' || new.sla_key || ';'), '=overdue;', ''))) / 9),
        ((length((';' || new.sla_key || ';')) - length(replace((';' || new.sla_key || ';'), '=breached;', ''))) / 10),
        ((length((';' || new.sla_key || ';')) - length(replace((';' || new.sla_key || ';'), '=running;', ''))) / 9 + (length((';' || new.sla_key || ';')) - length(replace((';' || new.sla_key || ';'), '=paused;', ''))) / 8))
    on conflict (day, department_id, assignee_id, kind) do update set
        tickets = tickets + excluded.tickets,
        answered = answered + excluded.answered,
        first_contact = first_contact + excluded.first_contact,
        reopened = reopened + excluded.reopened,
        complaints = complaints + excluded.complaints,
        serious = serious + excluded.serious,
        sla_met = sla_met + excluded.sla_met,
        sla_overdue = sla_overdue + excluded.sla_overdue,
        sla_breached = sla_breached + excluded.sla_breached,
        sla_running = sla_running + excluded.sla_running;
    insert into report_hours (utc_hour, department_id, kind, tickets)
    values (
        substr(new.registered_at, 1, 13),
        new.department_id,
        new.kind,
        1)
    on conflict (utc_hour, department_id, kind) do update set
        tickets = tickets + excluded.tickets;
end;

