-- Report facts kept with the rows the reports scan, so a year of satisfaction outcomes and
-- calls is read from one covering index instead of a lookup per row.
-- Twin of migrations/postgres/0009_report_facts.sql.

-- A satisfaction outcome counts for the ticket's department, assignee, kind, channel and
-- category as they were when the customer gave it (the people who handled it then).
alter table ticket_feedback add column department_id text;
alter table ticket_feedback add column assignee_id text;
alter table ticket_feedback add column kind text;
alter table ticket_feedback add column channel text;
alter table ticket_feedback add column category text;

update ticket_feedback set
    department_id = (select t.department_id from tickets t where t.id = ticket_id),
    assignee_id = (select t.assignee_id from tickets t where t.id = ticket_id),
    kind = (select t.kind from tickets t where t.id = ticket_id),
    channel = (select t.channel from tickets t where t.id = ticket_id),
    category = (select t.category from tickets t where t.id = ticket_id);

create trigger ticket_feedback_facts after insert on ticket_feedback begin
    update ticket_feedback set
        department_id = t.department_id,
        assignee_id = t.assignee_id,
        kind = t.kind,
        channel = t.channel,
        category = t.category
    from (select * from tickets where id = new.ticket_id) as t
    where ticket_feedback.ticket_id = new.ticket_id and ticket_feedback.seq = new.seq;
end;

drop index ticket_feedback_at;
create index ticket_feedback_report on ticket_feedback (at, department_id, assignee_id, source,
    kind, channel, category, satisfied, rating);

-- Whether the caller was a VIP (silver tier or above, loopdesk::metrics::is_vip) when the
-- call came in: the service level is reported per segment as of the call.
alter table calls add column vip integer not null default 0 check (vip in (0, 1));
update calls set vip = coalesce((select c.tier in ('silver', 'gold', 'diamond', 'supreme')
    from customers c where c.id = calls.customer_id), 0);

create trigger calls_vip_insert after insert on calls when new.customer_id is not null begin
    update calls set vip = coalesce((select c.tier in ('silver', 'gold', 'diamond', 'supreme')
        from customers c where c.id = new.customer_id), 0)
    where call_id = new.call_id;
end;
create trigger calls_vip_update after update of customer_id on calls begin
    update calls set vip = coalesce((select c.tier in ('silver', 'gold', 'diamond', 'supreme')
        from customers c where c.id = new.customer_id), 0)
    where call_id = new.call_id;
end;

create index calls_report on calls (ringing_at, agent_id, vip, direction, answered_at, ended_at,
    wait_seconds, talk_seconds);

-- The wallboard counts open tickets at risk and lists the overdue and escalated ones,
-- nearest due first: from these indexes alone (the list's sort reads no table rows).
create index tickets_open_risk on tickets (state, risk_at);
drop index tickets_state_due;
create index tickets_open_due on tickets (state, nearest_due_at, registered_at, id,
    escalation_level);
