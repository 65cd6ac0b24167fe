-- The audit log becomes a hash chain (loopdesk::audit): each entry stores the hash of the
-- entry before and its own. Entries written before this migration are sealed in order when
-- the database is next opened. Append-only: no deletes, and no updates once sealed.
-- Twin of migrations/postgres/0011_audit_chain.sql.

alter table audit_log add column prev_hash text not null default '';
alter table audit_log add column hash text not null default '';

create trigger audit_log_no_delete before delete on audit_log
begin
    select raise(abort, 'the audit log is append-only');
end;
create trigger audit_log_sealed before update on audit_log when old.hash <> ''
begin
    select raise(abort, 'the audit log is append-only');
end;

-- Searching by who and what, newest first.
create index audit_log_actor on audit_log (actor_id, id);
create index audit_log_action on audit_log (action, id);
