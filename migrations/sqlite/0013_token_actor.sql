-- API tokens with the ticket scopes act as an agent or supervisor (administrators do not work
-- tickets). Twin of migrations/postgres/0013_token_actor.sql.
alter table api_tokens add column acts_as text references users (id);
