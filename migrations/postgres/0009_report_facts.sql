-- Report facts kept with the rows the reports scan, so a year of satisfaction outcomes and
-- calls is read from one covering index instead of a lookup per row.
-- Twin of migrations/sqlite/0009_report_facts.sql.

-- A satisfaction outcome counts for the ticket's department, assignee, kind, channel and
-- category as they were when the customer gave it (the people who handled it then).
alter table ticket_feedback add column department_id uuid;
alter table ticket_feedback add column assignee_id uuid;
alter table ticket_feedback add column kind text;
alter table ticket_feedback add column channel text;
alter table ticket_feedback add column category text;

update ticket_feedback fb set
    department_id = t.department_id,
    assignee_id = t.assignee_id,
    kind = t.kind,
    channel = t.channel,
    category = t.category
from tickets t where t.id = fb.ticket_id;

create function ticket_feedback_facts() returns trigger language plpgsql as $$
begin
    select t.department_id, t.assignee_id, t.kind, t.channel, t.category
        into new.department_id, new.assignee_id, new.kind, new.channel, new.category
        from tickets t where t.id = new.ticket_id;
    return new;
end;
$$;
create trigger ticket_feedback_facts before insert on ticket_feedback
    for each row execute function ticket_feedback_facts();

drop index ticket_feedback_at;
create index ticket_feedback_report on ticket_feedback (at, department_id, assignee_id, source,
    kind, channel, category, satisfied, rating);

-- Whether the caller was a VIP (silver tier or above, loopdesk::metrics::is_vip) when the
-- call came in: the service level is reported per segment as of the call.
alter table calls add column vip boolean not null default false;
update calls set vip = coalesce((select c.tier in ('silver', 'gold', 'diamond', 'supreme')
    from customers c where c.id = calls.customer_id), false);

create function calls_vip() returns trigger language plpgsql as $$
begin
    new.vip := coalesce((select c.tier in ('silver', 'gold', 'diamond', 'supreme')
        from customers c where c.id = new.customer_id), false);
    return new;
end;
$$;
create trigger calls_vip_insert before insert on calls
    for each row execute function calls_vip();
create trigger calls_vip_update before update of customer_id on calls
    for each row execute function calls_vip();

create index calls_report on calls (ringing_at, agent_id, vip, direction, answered_at, ended_at,
    wait_seconds, talk_seconds);

-- The wallboard counts open tickets at risk and lists the overdue and escalated ones,
-- nearest due first: from these indexes alone (the list's sort reads no table rows).
create index tickets_open_risk on tickets (state, risk_at);
drop index tickets_state_due;
create index tickets_open_due on tickets (state, nearest_due_at, registered_at, id,
    escalation_level);
