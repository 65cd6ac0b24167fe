-- Knowledge base, SOP flows and the answer bot (DESIGN §3.6).
-- Twin of migrations/postgres/0005_knowledge.sql.

create table kb_articles (
    id text primary key,
    status text not null check (status in ('draft', 'in_review', 'published', 'archived')),
    content text not null,                         -- JSON ArticleContent of the working copy
    author_id text not null references users (id),
    reviewer_id text references users (id),
    version integer not null check (version >= 1),
    live_version integer,                          -- the published version readers see
    live_audience text check (live_audience in ('internal', 'public')),
    rev integer not null default 1,
    views integer not null default 0,
    used integer not null default 0,
    created_at text not null,
    updated_at text not null
);
create index kb_articles_status on kb_articles (status, updated_at);
create index kb_articles_live on kb_articles (live_audience, updated_at);

create table kb_article_versions (
    article_id text not null references kb_articles (id),
    version integer not null,
    content text not null,                         -- JSON ArticleContent
    audience text not null check (audience in ('internal', 'public')),
    category text not null,
    editor_id text not null references users (id),
    saved_at text not null,
    primary key (article_id, version)
);

create table kb_votes (
    article_id text not null references kb_articles (id),
    voter text not null,                           -- user id, or a browser key for visitors
    helpful integer not null check (helpful in (0, 1)),
    at text not null,
    primary key (article_id, voter)
);

create table kb_uses (
    id integer primary key autoincrement,
    kind text not null check (kind in ('article', 'flow')),
    target_id text not null,
    ticket_id text references tickets (id),
    user_id text not null references users (id),
    at text not null
);
create index kb_uses_target on kb_uses (target_id);

create table kb_categories (
    path text primary key,
    name_zh text not null,
    name_en text not null
);

create table kb_synonyms (
    id text primary key,
    words text not null                            -- JSON ["流量", "数据"]
);

create table kb_zero_results (
    query text not null,
    audience text not null check (audience in ('internal', 'public')),
    count integer not null,
    last_at text not null,
    primary key (query, audience)
);
create index kb_zero_results_count on kb_zero_results (count desc);

create table flows (
    id text primary key,
    title text not null,
    def text not null,                             -- JSON FlowDef being edited
    audience text not null check (audience in ('internal', 'public')),
    category text not null,
    keywords text not null,                        -- JSON ["宽带上不了网", …]
    live_version integer,
    rev integer not null default 1,
    updated_by text not null references users (id),
    updated_at text not null
);

create table flow_versions (
    flow_id text not null references flows (id),
    version integer not null,
    def text not null,                             -- frozen JSON FlowDef
    published_by text not null references users (id),
    published_at text not null,
    primary key (flow_id, version)
);

create table flow_runs (
    id text primary key,
    flow_id text not null,
    version integer not null,
    run text not null,                             -- JSON Run with its history
    finished integer not null check (finished in (0, 1)),
    user_id text not null references users (id),
    customer_id text references customers (id),
    ticket_id text references tickets (id),
    rev integer not null default 1,
    started_at text not null,
    updated_at text not null,
    foreign key (flow_id, version) references flow_versions (flow_id, version)
);
create index flow_runs_user on flow_runs (user_id, finished, updated_at);

create table bot_conversations (
    id text primary key,
    user_id text not null references users (id),
    conversation text not null,                    -- JSON Conversation
    rev integer not null default 1,
    started_at text not null,
    updated_at text not null
);
create index bot_conversations_user on bot_conversations (user_id, started_at);
