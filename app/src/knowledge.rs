//! Knowledge use cases (SSR only): search with zero-result logging, reading and voting on
//! published articles, the editorial workflow with versions and diffs, categories and
//! synonyms, solution matching for tickets and ringing calls, SOP flows (edit, validate,
//! publish a frozen version, run, roll back, register the ticket an end node asks for) and
//! the answer bot. The search index is updated before a publish returns.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use loopdesk::customer::CustomerId;
use loopdesk::flow::{self, Flow, FlowDef, NodeKind, Outcome, RunStatus};
use loopdesk::kb::bot::{BotReply, Conversation, ConversationStatus, Pick, Turn};
use loopdesk::kb::search::{DocKind, SearchHit, SearchIndex, SearchQuery, SynonymGroup};
use loopdesk::kb::{
    self, markdown, Article, ArticleAction, ArticleContent, ArticleStatus, Audience, DiffLine,
};
use loopdesk::locale::Locale;
use loopdesk::store::desk::{TicketQuery, TicketSort};
use loopdesk::store::knowledge::{ArticleFilter, BotSession, Category, FlowRun, SuggestionUse};
use loopdesk::store::StoreError;
use loopdesk::ticket::{Channel, TicketId, TicketKind};
use loopdesk::user::{Role, User};
use uuid::Uuid;

use crate::desk::{self, DeskError, Invalid};
use crate::i18n::knowledge::{article_status, audience as audience_name};
use crate::state::Stores;
use crate::views::knowledge::*;
use crate::views::{local, CodeName, RegisterInput};

/// The search index shared by every request.
pub type Index = Arc<dyn SearchIndex>;

/// Longest search text.
pub const MAX_QUERY: usize = 200;

fn internal(e: impl std::fmt::Display) -> DeskError {
    tracing::error!(error = %e, "knowledge failure");
    DeskError::Internal
}

fn is_staff(user: Option<&User>) -> bool {
    user.is_some_and(|u| u.role.is_staff())
}

fn is_editor(user: &User) -> bool {
    matches!(user.role, Role::Supervisor | Role::Admin)
}

fn need_staff(user: &User) -> Result<(), DeskError> {
    crate::console::staff(user)
}

fn need_editor(user: &User) -> Result<(), DeskError> {
    match is_editor(user) {
        true => Ok(()),
        false => Err(DeskError::Forbidden),
    }
}

fn conflict(e: StoreError, current: u32) -> DeskError {
    match e {
        StoreError::Conflict { .. } => DeskError::Conflict {
            current_version: u64::from(current),
        },
        other => other.into(),
    }
}

// ------------------------------------------------------------------ the index

/// Fills the index from the store: every live article, every published flow, the
/// synonyms. Returns the number of documents.
pub async fn rebuild_index(stores: &Stores, index: &dyn SearchIndex) -> Result<u64, DeskError> {
    let mut docs: Vec<_> = stores
        .knowledge
        .live_articles()
        .await?
        .into_iter()
        .map(|(id, content)| content.search_doc(id))
        .collect();
    for f in stores.flows.flows().await? {
        if let Some(v) = f.live {
            docs.push(stores.flows.flow_version(f.id, v).await?.search_doc(&f));
        }
    }
    index.upsert(docs).map_err(internal)?;
    index.set_synonyms(&stores.knowledge.synonyms().await?);
    Ok(index.len())
}

/// Brings one document of the index up to date with the store: an article's live version or
/// a flow's published version, or its removal when there is none (another instance changed
/// it).
pub async fn refresh_doc(
    stores: &Stores,
    index: &dyn SearchIndex,
    id: Uuid,
) -> Result<(), DeskError> {
    match stores.knowledge.article(id).await {
        Ok(rec) => return reindex_article(stores, index, &rec.article).await,
        Err(StoreError::NotFound) => {}
        Err(e) => return Err(e.into()),
    }
    match stores.flows.flow(id).await {
        Ok(f) => match f.live {
            Some(v) => {
                let doc = stores.flows.flow_version(f.id, v).await?.search_doc(&f);
                index.upsert(vec![doc]).map_err(internal)
            }
            None => index.remove(id).map_err(internal),
        },
        Err(StoreError::NotFound) => index.remove(id).map_err(internal),
        Err(e) => Err(e.into()),
    }
}

/// Reloads the synonym groups from the store (another instance changed them).
pub async fn refresh_synonyms(stores: &Stores, index: &dyn SearchIndex) -> Result<(), DeskError> {
    index.set_synonyms(&stores.knowledge.synonyms().await?);
    Ok(())
}

async fn reindex_article(
    stores: &Stores,
    index: &dyn SearchIndex,
    a: &Article,
) -> Result<(), DeskError> {
    match a.live {
        Some(v) => {
            let content = stores.knowledge.article_version(a.id, v).await?.content;
            index.upsert(vec![content.search_doc(a.id)])
        }
        None => index.remove(a.id),
    }
    .map_err(internal)
}

// ------------------------------------------------------------------ categories

type Names = HashMap<String, (String, String)>;

async fn category_names(stores: &Stores) -> Result<Names, DeskError> {
    Ok(stores
        .knowledge
        .categories()
        .await?
        .into_iter()
        .map(|c| (c.path, (c.name_zh, c.name_en)))
        .collect())
}

/// `billing/charges` → `话费 / 账单查询` from the names of each level (the code where a
/// level has no name).
fn category_cn(names: &Names, path: &str, locale: Locale) -> CodeName {
    let mut prefix = String::new();
    let mut parts = Vec::new();
    for seg in path.split('/').filter(|s| !s.is_empty()) {
        if !prefix.is_empty() {
            prefix.push('/');
        }
        prefix.push_str(seg);
        parts.push(match (names.get(&prefix), locale) {
            (Some((zh, _)), Locale::ZhCn) => zh.clone(),
            (Some((_, en)), Locale::En) => en.clone(),
            (None, _) => seg.to_owned(),
        });
    }
    CodeName {
        code: path.to_owned(),
        name: parts.join(" / "),
    }
}

/// The category tree in order.
pub async fn categories(stores: &Stores, locale: Locale) -> Result<Vec<CategoryView>, DeskError> {
    Ok(stores
        .knowledge
        .categories()
        .await?
        .into_iter()
        .map(|c| CategoryView {
            depth: c.path.matches('/').count(),
            name: match locale {
                Locale::ZhCn => c.name_zh.clone(),
                Locale::En => c.name_en.clone(),
            },
            path: c.path,
            name_zh: c.name_zh,
            name_en: c.name_en,
        })
        .collect())
}

fn valid_path(path: &str) -> bool {
    !path.is_empty()
        && path.len() <= 80
        && path.split('/').all(|seg| {
            !seg.is_empty()
                && seg
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
        })
}

/// Adds or renames a category (editors).
pub async fn save_category(
    stores: &Stores,
    user: &User,
    path: &str,
    name_zh: &str,
    name_en: &str,
) -> Result<(), DeskError> {
    need_editor(user)?;
    let path = path.trim().trim_matches('/');
    if !valid_path(path) {
        return Err(DeskError::invalid("path", Invalid::Category));
    }
    for (field, name) in [("name_zh", name_zh), ("name_en", name_en)] {
        if name.trim().is_empty() {
            return Err(DeskError::invalid(field, Invalid::Required));
        }
        if name.trim().chars().count() > 40 {
            return Err(DeskError::invalid(field, Invalid::TooLong { max: 40 }));
        }
    }
    stores
        .knowledge
        .put_category(&Category {
            path: path.to_owned(),
            name_zh: name_zh.trim().to_owned(),
            name_en: name_en.trim().to_owned(),
        })
        .await?;
    Ok(())
}

// ------------------------------------------------------------------ search

/// A search as asked.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SearchInput {
    /// Free text.
    pub text: String,
    /// Category filter.
    #[serde(default)]
    pub category: Option<String>,
    /// Articles or flows only.
    #[serde(default)]
    pub kind: Option<DocKind>,
    /// Audience filter (staff only; readers always get public documents).
    #[serde(default)]
    pub audience: Option<Audience>,
    /// At most this many hits (1–50, default 10).
    #[serde(default)]
    pub limit: Option<usize>,
}

fn hit_view(hit: SearchHit, names: &Names, locale: Locale) -> HitView {
    let title = match (locale, hit.title_en.text.is_empty()) {
        (Locale::En, false) => hit.title_en.runs(),
        _ => hit.title.runs(),
    };
    HitView {
        id: hit.id.to_string(),
        kind: hit.kind,
        title,
        snippet: passage(&hit, locale).runs(),
        category: category_cn(names, &hit.category, locale),
        score: hit.score,
    }
}

/// The passage to show: the reader's language unless only the other one matched.
fn passage(hit: &SearchHit, locale: Locale) -> &loopdesk::kb::search::Marked {
    let (mine, other) = match locale {
        Locale::En if !hit.snippet_en.text.is_empty() => (&hit.snippet_en, &hit.snippet),
        Locale::En => (&hit.snippet, &hit.snippet_en),
        Locale::ZhCn => (&hit.snippet, &hit.snippet_en),
    };
    match mine.marks.is_empty() && !other.marks.is_empty() {
        true => other,
        false => mine,
    }
}

/// Ranked hits; a query that finds nothing is recorded for editors.
pub async fn search(
    stores: &Stores,
    index: &dyn SearchIndex,
    user: Option<&User>,
    input: SearchInput,
    locale: Locale,
    now: DateTime<Utc>,
) -> Result<Vec<HitView>, DeskError> {
    let text = input.text.trim();
    if text.chars().count() > MAX_QUERY {
        return Err(DeskError::invalid("q", Invalid::TooLong { max: MAX_QUERY }));
    }
    if text.is_empty() {
        return Ok(Vec::new());
    }
    let staff = is_staff(user);
    let query = SearchQuery {
        text: text.to_owned(),
        audience: match staff {
            true => input.audience,
            false => Some(Audience::Public),
        },
        category: input.category.filter(|c| !c.trim().is_empty()),
        kind: input.kind,
        limit: input.limit.unwrap_or(10).clamp(1, 50),
    };
    let hits = index.search(&query).map_err(internal)?;
    if hits.is_empty() {
        let who = match staff {
            true => Audience::Internal,
            false => Audience::Public,
        };
        stores
            .knowledge
            .record_zero_result(&text.to_lowercase(), who, now)
            .await?;
    }
    let names = category_names(stores).await?;
    Ok(hits
        .into_iter()
        .map(|h| hit_view(h, &names, locale))
        .collect())
}

/// The most frequent queries that found nothing (editors).
pub async fn zero_results(
    stores: &Stores,
    user: &User,
    locale: Locale,
) -> Result<Vec<ZeroRow>, DeskError> {
    need_editor(user)?;
    Ok(stores
        .knowledge
        .zero_results(100)
        .await?
        .into_iter()
        .map(|z| ZeroRow {
            query: z.query,
            audience: CodeName {
                code: z.audience.code().into(),
                name: audience_name(z.audience, locale).into(),
            },
            count: z.count,
            last: local(z.last_at),
        })
        .collect())
}

// ------------------------------------------------------------------ synonyms

/// The synonym groups (staff).
pub async fn synonyms(stores: &Stores, user: &User) -> Result<Vec<SynonymRow>, DeskError> {
    need_staff(user)?;
    Ok(stores
        .knowledge
        .synonyms()
        .await?
        .into_iter()
        .map(|g| SynonymRow {
            id: g.id.to_string(),
            words: g.words.join(" / "),
        })
        .collect())
}

/// Adds (`id` none) or replaces a synonym group (administrators); searches use it at once.
pub async fn save_synonym(
    stores: &Stores,
    index: &dyn SearchIndex,
    user: &User,
    id: Option<Uuid>,
    words: &str,
) -> Result<(), DeskError> {
    crate::console::admin(user)?;
    let group = SynonymGroup::parse(id.unwrap_or_else(Uuid::new_v4), words)
        .map_err(|e| DeskError::invalid("words", Invalid::Synonym(e)))?;
    if let Some(id) = id {
        let exists = stores
            .knowledge
            .synonyms()
            .await?
            .iter()
            .any(|g| g.id == id);
        if !exists {
            return Err(DeskError::NotFound);
        }
    }
    stores.knowledge.put_synonym(&group).await?;
    index.set_synonyms(&stores.knowledge.synonyms().await?);
    Ok(())
}

/// Deletes a synonym group (administrators).
pub async fn delete_synonym(
    stores: &Stores,
    index: &dyn SearchIndex,
    user: &User,
    id: Uuid,
) -> Result<(), DeskError> {
    crate::console::admin(user)?;
    stores.knowledge.delete_synonym(id).await?;
    index.set_synonyms(&stores.knowledge.synonyms().await?);
    Ok(())
}

// ------------------------------------------------------------------ reading

/// A published article for a reader (customers: public ones only; anything else is "not
/// found", so that internal articles are not disclosed). Counts a view.
pub async fn read_article(
    stores: &Stores,
    user: Option<&User>,
    id: Uuid,
    locale: Locale,
) -> Result<ArticleView, DeskError> {
    let rec = stores.knowledge.article(id).await?;
    let live = rec.article.live.ok_or(DeskError::NotFound)?;
    let version = stores.knowledge.article_version(id, live).await?;
    if !kb::visible_to(version.content.audience, user.map(|u| u.role)) {
        return Err(DeskError::NotFound);
    }
    stores.knowledge.count_view(id).await?;
    let c = &version.content;
    let (title, body) = c.localized(locale == Locale::En);
    let names = category_names(stores).await?;
    Ok(ArticleView {
        id: id.to_string(),
        title: title.to_owned(),
        html: markdown::to_html(body),
        plain: markdown::to_plain(body),
        category: category_cn(&names, &c.category, locale),
        tags: c.tags.clone(),
        questions: c.similar_questions.clone(),
        audience: CodeName {
            code: c.audience.code().into(),
            name: audience_name(c.audience, locale).into(),
        },
        version: live,
        updated: local(version.saved_at),
        views: rec.views + 1,
        helpful: rec.helpful,
        not_helpful: rec.not_helpful,
    })
}

/// A reader's helpful / not-helpful vote (one per reader; the last one counts).
pub async fn vote(
    stores: &Stores,
    user: Option<&User>,
    voter: &str,
    id: Uuid,
    helpful: bool,
    now: DateTime<Utc>,
) -> Result<(u64, u64), DeskError> {
    let rec = stores.knowledge.article(id).await?;
    let live = rec.article.live.ok_or(DeskError::NotFound)?;
    let version = stores.knowledge.article_version(id, live).await?;
    if !kb::visible_to(version.content.audience, user.map(|u| u.role)) {
        return Err(DeskError::NotFound);
    }
    let voter = match user {
        Some(u) => u.id.0.to_string(),
        None => format!("anon:{}", voter.chars().take(64).collect::<String>()),
    };
    Ok(stores.knowledge.vote(id, &voter, helpful, now).await?)
}

/// Articles for the knowledge page: staff see every article by status; readers see the
/// published public ones (their live titles).
pub async fn list_articles(
    stores: &Stores,
    user: Option<&User>,
    status: Option<ArticleStatus>,
    category: Option<String>,
    locale: Locale,
) -> Result<Vec<ArticleRow>, DeskError> {
    let staff = is_staff(user);
    let filter = ArticleFilter {
        status: status.filter(|_| staff),
        category: category.filter(|c| !c.trim().is_empty()),
        live_audience: match staff {
            true => None,
            false => Some(Audience::Public),
        },
        limit: 200,
    };
    let names = category_names(stores).await?;
    let mut rows = Vec::new();
    for rec in stores.knowledge.articles(&filter).await? {
        let a = &rec.article;
        let content = match (staff, a.live) {
            (true, _) => a.content.clone(),
            (false, Some(v)) => stores.knowledge.article_version(a.id, v).await?.content,
            (false, None) => continue,
        };
        let (title, _) = content.localized(locale == Locale::En);
        rows.push(ArticleRow {
            id: a.id.to_string(),
            title: title.to_owned(),
            status: CodeName {
                code: a.status.code().into(),
                name: article_status(a.status, locale).into(),
            },
            audience: CodeName {
                code: content.audience.code().into(),
                name: audience_name(content.audience, locale).into(),
            },
            category: category_cn(&names, &content.category, locale),
            version: a.version,
            live: a.live,
            updated: local(a.updated_at),
            views: rec.views,
            votes: (rec.helpful, rec.not_helpful),
            used: rec.used,
        });
    }
    Ok(rows)
}

// ------------------------------------------------------------------ editing

/// Actions `user` may take on `a` now.
fn permitted(a: &Article, user: &User, now: DateTime<Utc>) -> Vec<String> {
    let probe = [
        (
            "edit",
            ArticleAction::Edit {
                content: a.content.clone(),
            },
        ),
        ("submit", ArticleAction::Submit),
        ("reject", ArticleAction::Reject),
        ("publish", ArticleAction::Publish),
        ("archive", ArticleAction::Archive),
        ("revise", ArticleAction::Revise),
    ];
    probe
        .into_iter()
        .filter(|(_, action)| a.apply(action.clone(), user.id, user.role, now).is_ok())
        .map(|(name, _)| name.to_owned())
        .collect()
}

/// The editor's view of an article (staff).
pub async fn article_edit(
    stores: &Stores,
    user: &User,
    id: Uuid,
    locale: Locale,
    now: DateTime<Utc>,
) -> Result<ArticleEdit, DeskError> {
    need_staff(user)?;
    let rec = stores.knowledge.article(id).await?;
    let versions = stores.knowledge.article_versions(id).await?;
    let mut people: HashMap<Uuid, String> = HashMap::new();
    for uid in versions
        .iter()
        .map(|v| v.editor)
        .chain([rec.article.author])
    {
        if let std::collections::hash_map::Entry::Vacant(e) = people.entry(uid.0) {
            let name = match stores.users.get_user(uid).await {
                Ok(u) => u.display_name,
                Err(_) => "—".to_owned(),
            };
            e.insert(name);
        }
    }
    let a = &rec.article;
    Ok(ArticleEdit {
        id: id.to_string(),
        rev: rec.rev,
        status: CodeName {
            code: a.status.code().into(),
            name: article_status(a.status, locale).into(),
        },
        version: a.version,
        live: a.live,
        author: people.get(&a.author.0).cloned().unwrap_or_default(),
        preview: markdown::to_html(a.content.localized(locale == Locale::En).1),
        content: a.content.clone(),
        versions: versions
            .iter()
            .map(|v| VersionRow {
                version: v.version,
                title: v.content.title.clone(),
                editor: people.get(&v.editor.0).cloned().unwrap_or_default(),
                saved: local(v.saved_at),
            })
            .collect(),
        actions: permitted(a, user, now),
    })
}

/// Creates a draft (staff); returns its id.
pub async fn create_article(
    stores: &Stores,
    user: &User,
    content: ArticleContent,
    now: DateTime<Utc>,
) -> Result<Uuid, DeskError> {
    need_staff(user)?;
    let a = Article::draft(Uuid::new_v4(), content, user.id, now).map_err(DeskError::Article)?;
    stores.knowledge.create_article(&a, now).await?;
    Ok(a.id)
}

/// Applies an editorial action at row version `rev`; publishing and archiving update the
/// index before returning.
pub async fn act_on_article(
    stores: &Stores,
    index: &dyn SearchIndex,
    user: &User,
    id: Uuid,
    rev: u32,
    action: ArticleAction,
    now: DateTime<Utc>,
) -> Result<(), DeskError> {
    need_staff(user)?;
    let rec = stores.knowledge.article(id).await?;
    if rec.rev != rev {
        return Err(DeskError::Conflict {
            current_version: u64::from(rec.rev),
        });
    }
    let next = rec
        .article
        .apply(action, user.id, user.role, now)
        .map_err(DeskError::Article)?;
    let new_version = next.version != rec.article.version;
    stores
        .knowledge
        .save_article(&next, rev, new_version)
        .await
        .map_err(|e| conflict(e, rec.rev + 1))?;
    if next.live != rec.article.live {
        reindex_article(stores, index, &next).await?;
    }
    Ok(())
}

/// A line diff between two versions (title, then body).
pub async fn article_diff(
    stores: &Stores,
    user: &User,
    id: Uuid,
    from: u32,
    to: u32,
) -> Result<Vec<DiffRow>, DeskError> {
    need_staff(user)?;
    let text = |c: &ArticleContent| format!("# {}\n\n{}", c.title, c.body);
    let old = stores.knowledge.article_version(id, from).await?;
    let new = stores.knowledge.article_version(id, to).await?;
    Ok(kb::diff(&text(&old.content), &text(&new.content))
        .into_iter()
        .map(|l| {
            let (op, line) = match l {
                DiffLine::Same(l) => ("same", l),
                DiffLine::Added(l) => ("added", l),
                DiffLine::Removed(l) => ("removed", l),
            };
            DiffRow {
                op: op.into(),
                line,
            }
        })
        .collect())
}

// ------------------------------------------------------------------ solution matching

/// Ranks hits of the same top-level category as the case higher.
fn prefer_category(mut hits: Vec<SearchHit>, category: &str, take: usize) -> Vec<SearchHit> {
    let top = category.split('/').next().unwrap_or_default();
    if !top.is_empty() {
        for h in &mut hits {
            if h.category.split('/').next() == Some(top) {
                h.score *= 1.5;
            }
        }
        hits.sort_by(|a, b| b.score.total_cmp(&a.score));
    }
    hits.truncate(take);
    hits
}

async fn suggest(
    stores: &Stores,
    index: &dyn SearchIndex,
    text: String,
    category: &str,
    locale: Locale,
) -> Result<Suggestions, DeskError> {
    let text: String = text.chars().take(MAX_QUERY * 2).collect();
    let search = |kind| {
        let mut q = SearchQuery::new(text.clone());
        q.kind = Some(kind);
        q.limit = 12;
        index.search(&q).map_err(internal)
    };
    let names = category_names(stores).await?;
    let view = |hits: Vec<SearchHit>| {
        hits.into_iter()
            .map(|h| hit_view(h, &names, locale))
            .collect::<Vec<_>>()
    };
    Ok(Suggestions {
        articles: view(prefer_category(search(DocKind::Article)?, category, 5)),
        flows: view(prefer_category(search(DocKind::Flow)?, category, 3)),
        query: text.clone(),
    })
}

/// Articles and flows for a ticket, from its category, subject and description.
pub async fn suggest_for_ticket(
    stores: &Stores,
    index: &dyn SearchIndex,
    user: &User,
    ticket: TicketId,
    locale: Locale,
) -> Result<Suggestions, DeskError> {
    need_staff(user)?;
    let rec = stores.tickets.get_ticket(ticket).await?;
    let d = &rec.details;
    let text = format!("{} {}", d.subject, d.description);
    suggest(stores, index, text, &d.category, locale).await
}

/// Articles and flows for a ringing call: from the caller's recent tickets.
pub async fn suggest_for_customer(
    stores: &Stores,
    index: &dyn SearchIndex,
    user: &User,
    customer: CustomerId,
    locale: Locale,
) -> Result<Suggestions, DeskError> {
    need_staff(user)?;
    let recent = stores
        .tickets
        .list_tickets(&TicketQuery {
            customer: Some(customer),
            sort: TicketSort::Newest,
            page: 1,
            page_size: 3,
            ..TicketQuery::default()
        })
        .await?;
    let Some(first) = recent.items.first() else {
        return Ok(Suggestions::default());
    };
    let category = stores.tickets.get_ticket(first.id).await?.details.category;
    let text = recent
        .items
        .iter()
        .map(|r| r.subject.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    suggest(stores, index, text, &category, locale).await
}

/// The answer text of a live article to insert into a reply (agents); counts the use.
pub async fn use_article(
    stores: &Stores,
    user: &User,
    id: Uuid,
    ticket: Option<TicketId>,
    locale: Locale,
    now: DateTime<Utc>,
) -> Result<String, DeskError> {
    need_staff(user)?;
    let rec = stores.knowledge.article(id).await?;
    let live = rec.article.live.ok_or(DeskError::NotFound)?;
    let content = stores.knowledge.article_version(id, live).await?.content;
    stores
        .knowledge
        .record_use(&SuggestionUse {
            kind: DocKind::Article,
            target: id,
            ticket,
            user: user.id,
            at: now,
        })
        .await?;
    Ok(markdown::to_plain(
        content.localized(locale == Locale::En).1,
    ))
}

// ------------------------------------------------------------------ flows

fn flow_title(def: &FlowDef, locale: Locale) -> String {
    match locale {
        Locale::ZhCn => def.title_zh.clone(),
        Locale::En => def.title_en.clone(),
    }
}

/// Flows a user may see: staff all, others the published public ones.
pub async fn list_flows(
    stores: &Stores,
    user: Option<&User>,
    locale: Locale,
) -> Result<Vec<FlowRow>, DeskError> {
    let staff = is_staff(user);
    let names = category_names(stores).await?;
    Ok(stores
        .flows
        .flows()
        .await?
        .into_iter()
        .filter(|f| staff || (f.live.is_some() && f.audience == Audience::Public))
        .map(|f| FlowRow {
            id: f.id.to_string(),
            title: flow_title(&f.def, locale),
            audience: CodeName {
                code: f.audience.code().into(),
                name: audience_name(f.audience, locale).into(),
            },
            category: category_cn(&names, &f.category, locale),
            live: f.live,
        })
        .collect())
}

async fn visible_flow(stores: &Stores, user: Option<&User>, id: Uuid) -> Result<Flow, DeskError> {
    let f = stores.flows.flow(id).await?;
    match is_staff(user) || (f.live.is_some() && f.audience == Audience::Public) {
        true => Ok(f),
        false => Err(DeskError::NotFound),
    }
}

fn problems(def: &FlowDef, locale: Locale) -> Vec<String> {
    def.validate()
        .err()
        .unwrap_or_default()
        .iter()
        .map(|p| crate::i18n::knowledge::flow_error(p, locale))
        .collect()
}

/// A flow's page: editors see the working definition with its problems, everyone else the
/// published version.
pub async fn flow_view(
    stores: &Stores,
    user: Option<&User>,
    id: Uuid,
    locale: Locale,
) -> Result<FlowView, DeskError> {
    let f = visible_flow(stores, user, id).await?;
    let editable = user.is_some_and(is_editor);
    let def = match (editable, f.live) {
        (false, Some(v)) => stores.flows.flow_version(id, v).await?,
        _ => f.def.clone(),
    };
    Ok(FlowView {
        id: id.to_string(),
        rev: f.rev,
        title: flow_title(&def, locale),
        audience: f.audience,
        category: f.category.clone(),
        keywords: f.keywords.clone(),
        live: f.live,
        problems: match editable {
            true => problems(&def, locale),
            false => Vec::new(),
        },
        diagram: diagram(&def, locale == Locale::En),
        def,
        editable,
    })
}

/// A flow's editable settings and definition.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct FlowInput {
    /// Definition.
    pub def: FlowDef,
    /// Audience.
    pub audience: Audience,
    /// Category path.
    pub category: String,
    /// Search phrases.
    #[serde(default)]
    pub keywords: Vec<String>,
}

fn check_flow_input(input: &mut FlowInput) -> Result<(), DeskError> {
    input.category = input.category.trim().trim_matches('/').to_owned();
    if !valid_path(&input.category) {
        return Err(DeskError::invalid("category", Invalid::Category));
    }
    input.keywords = input
        .keywords
        .iter()
        .map(|k| k.trim().to_owned())
        .filter(|k| !k.is_empty())
        .collect();
    if input.keywords.len() > 20 || input.keywords.iter().any(|k| k.chars().count() > 60) {
        return Err(DeskError::invalid("keywords", Invalid::TooLong { max: 60 }));
    }
    if input.def.title_zh.trim().is_empty() {
        return Err(DeskError::invalid("title_zh", Invalid::Required));
    }
    if input.def.title_en.trim().is_empty() {
        return Err(DeskError::invalid("title_en", Invalid::Required));
    }
    Ok(())
}

/// Creates a flow (editors); the definition may still have problems (shown, and refused
/// at publishing). Returns its id.
pub async fn create_flow(
    stores: &Stores,
    user: &User,
    mut input: FlowInput,
    now: DateTime<Utc>,
) -> Result<Uuid, DeskError> {
    need_editor(user)?;
    check_flow_input(&mut input)?;
    let f = Flow {
        id: Uuid::new_v4(),
        def: input.def,
        audience: input.audience,
        category: input.category,
        keywords: input.keywords,
        live: None,
        rev: 1,
        updated_at: now,
    };
    stores.flows.create_flow(&f, user.id).await?;
    Ok(f.id)
}

/// Saves a flow's working definition at row version `rev` (editors).
pub async fn save_flow(
    stores: &Stores,
    user: &User,
    id: Uuid,
    rev: u32,
    mut input: FlowInput,
    now: DateTime<Utc>,
) -> Result<(), DeskError> {
    need_editor(user)?;
    check_flow_input(&mut input)?;
    let f = stores.flows.flow(id).await?;
    let next = Flow {
        def: input.def,
        audience: input.audience,
        category: input.category,
        keywords: input.keywords,
        updated_at: now,
        ..f.clone()
    };
    stores
        .flows
        .save_flow(&next, rev, user.id)
        .await
        .map_err(|e| conflict(e, f.rev))
}

/// Validates and freezes the working definition as the next version (editors); new runs
/// use it, running ones keep theirs. Returns the version.
pub async fn publish_flow(
    stores: &Stores,
    index: &dyn SearchIndex,
    user: &User,
    id: Uuid,
    rev: u32,
    now: DateTime<Utc>,
) -> Result<u32, DeskError> {
    need_editor(user)?;
    let f = stores.flows.flow(id).await?;
    if f.rev != rev {
        return Err(DeskError::Conflict {
            current_version: u64::from(f.rev),
        });
    }
    f.def.validate().map_err(DeskError::Flow)?;
    let version = stores.flows.publish_flow(id, &f.def, user.id, now).await?;
    index.upsert(vec![f.def.search_doc(&f)]).map_err(internal)?;
    Ok(version)
}

fn owns(run: &FlowRun, user: &User) -> Result<(), DeskError> {
    match run.user == user.id {
        true => Ok(()),
        // Someone else's run does not exist for this user.
        false => Err(DeskError::NotFound),
    }
}

fn first_line(text: &str) -> String {
    text.lines().next().unwrap_or_default().to_owned()
}

fn run_view(run: &FlowRun, def: &FlowDef, ticket: Option<String>, locale: Locale) -> RunView {
    let en = locale == Locale::En;
    let fields = def.fields();
    let label = |name: &str| {
        fields
            .get(name)
            .map(|f| {
                if en {
                    f.label_en.clone()
                } else {
                    f.label_zh.clone()
                }
            })
            .unwrap_or_else(|| name.to_owned())
    };
    let task_text = |node: &str| match def.node_by_id(node).map(|n| &n.kind) {
        Some(NodeKind::Task {
            instructions_zh,
            instructions_en,
            ..
        }) => if en { instructions_en } else { instructions_zh }.clone(),
        _ => String::new(),
    };
    let (node, instructions, field_views, finished, outcome) = match &run.run.status {
        RunStatus::AtTask { node } => {
            let views = match def.node_by_id(node).map(|n| &n.kind) {
                Some(NodeKind::Task { fields, .. }) => fields
                    .iter()
                    .map(|f| {
                        let (kind, options) = match &f.kind {
                            flow::FieldKind::Text => ("text", Vec::new()),
                            flow::FieldKind::Number => ("number", Vec::new()),
                            flow::FieldKind::Choice { options } => ("choice", options.clone()),
                            flow::FieldKind::Date => ("date", Vec::new()),
                        };
                        FieldView {
                            name: f.name.clone(),
                            label: if en {
                                f.label_en.clone()
                            } else {
                                f.label_zh.clone()
                            },
                            kind: kind.into(),
                            options,
                            required: f.required,
                            value: run
                                .run
                                .history
                                .iter()
                                .rev()
                                .find(|s| s.node == *node)
                                .and_then(|s| s.values.get(&f.name).cloned())
                                .unwrap_or_default(),
                        }
                    })
                    .collect(),
                _ => Vec::new(),
            };
            (node.clone(), task_text(node), views, false, String::new())
        }
        RunStatus::Finished { node, outcome } => {
            let text = match (outcome, en) {
                (Outcome::Resolved { note_zh, .. }, false) => note_zh.clone(),
                (Outcome::Resolved { note_en, .. }, true) => note_en.clone(),
                (Outcome::RegisterTicket { subject, .. }, false) => {
                    format!(
                        "需要登记工单：{}",
                        flow::fill_subject(subject, &run.run.values)
                    )
                }
                (Outcome::RegisterTicket { subject, .. }, true) => format!(
                    "A ticket is needed: {}",
                    flow::fill_subject(subject, &run.run.values)
                ),
            };
            (node.clone(), String::new(), Vec::new(), true, text)
        }
    };
    let history = run
        .run
        .history
        .iter()
        .map(|s| StepView {
            title: first_line(&task_text(&s.node)),
            answers: s
                .values
                .iter()
                .map(|(k, v)| (label(k), v.clone()))
                .collect(),
            rolled_back: s.rolled_back,
            at: local(s.at),
        })
        .collect();
    RunView {
        id: run.id.to_string(),
        rev: run.rev,
        flow: run.flow.to_string(),
        title: flow_title(def, locale),
        version: run.version,
        node,
        instructions,
        fields: field_views,
        finished,
        outcome,
        ticket,
        history,
        can_rollback: run.ticket.is_none() && run.run.history.iter().any(|s| !s.rolled_back),
        diagram: diagram(def, en),
    }
}

async fn ticket_number(stores: &Stores, id: Option<TicketId>) -> Result<Option<String>, DeskError> {
    match id {
        Some(t) => Ok(Some(stores.tickets.get_ticket(t).await?.number)),
        None => Ok(None),
    }
}

/// Starts a run of the published version (customers: public flows only; staff may name
/// the customer it is for).
pub async fn start_run(
    stores: &Stores,
    user: &User,
    flow_id: Uuid,
    customer: Option<CustomerId>,
    locale: Locale,
    now: DateTime<Utc>,
) -> Result<RunView, DeskError> {
    let f = visible_flow(stores, Some(user), flow_id).await?;
    let version = f.live.ok_or(DeskError::NotFound)?;
    let def = stores.flows.flow_version(flow_id, version).await?;
    let customer = match user.role {
        Role::Customer => Some(desk::own_customer(stores, user).await?.id),
        _ => match customer {
            Some(c) => match stores.customers.get_customer(c).await {
                Ok(c) => Some(c.id),
                Err(StoreError::NotFound) => {
                    return Err(DeskError::invalid("customer", Invalid::Unknown))
                }
                Err(e) => return Err(e.into()),
            },
            None => None,
        },
    };
    let run = FlowRun {
        id: Uuid::new_v4(),
        flow: flow_id,
        version,
        run: flow::start(&def).map_err(DeskError::Run)?,
        user: user.id,
        customer,
        ticket: None,
        rev: 1,
        started_at: now,
        updated_at: now,
    };
    stores.flows.create_run(&run).await?;
    Ok(run_view(&run, &def, None, locale))
}

/// A run (its owner only).
pub async fn get_run(
    stores: &Stores,
    user: &User,
    id: Uuid,
    locale: Locale,
) -> Result<RunView, DeskError> {
    let run = stores.flows.run(id).await?;
    owns(&run, user)?;
    let def = stores.flows.flow_version(run.flow, run.version).await?;
    let ticket = ticket_number(stores, run.ticket).await?;
    Ok(run_view(&run, &def, ticket, locale))
}

/// The user's unfinished runs (to resume).
pub async fn open_runs(
    stores: &Stores,
    user: &User,
    locale: Locale,
) -> Result<Vec<RunView>, DeskError> {
    let mut out = Vec::new();
    for run in stores.flows.open_runs(user.id, 10).await? {
        let def = stores.flows.flow_version(run.flow, run.version).await?;
        out.push(run_view(&run, &def, None, locale));
    }
    Ok(out)
}

/// The user's run at row version `rev` (someone else's does not exist for them), with
/// the frozen definition it runs.
async fn run_at(
    stores: &Stores,
    user: &User,
    id: Uuid,
    rev: u32,
) -> Result<(FlowRun, FlowDef), DeskError> {
    let run = stores.flows.run(id).await?;
    owns(&run, user)?;
    if run.rev != rev {
        return Err(DeskError::Conflict {
            current_version: u64::from(run.rev),
        });
    }
    let def = stores.flows.flow_version(run.flow, run.version).await?;
    Ok((run, def))
}

/// Saves a run read at `rev`; returns it at its new row version.
async fn save_step(stores: &Stores, mut next: FlowRun, rev: u32) -> Result<FlowRun, DeskError> {
    stores
        .flows
        .save_run(&next, rev)
        .await
        .map_err(|e| conflict(e, rev))?;
    next.rev = rev + 1;
    Ok(next)
}

/// A refused answer names its field (by name for the API, by label for people).
fn answer_error(def: &FlowDef, e: flow::RunError, locale: Locale) -> DeskError {
    use flow::RunError::*;
    match &e {
        Required(name) | NotNumber(name) | NotOption(name) | NotDate(name) => {
            let label = def
                .fields()
                .get(name.as_str())
                .map(|f| match locale {
                    Locale::ZhCn => f.label_zh.clone(),
                    Locale::En => f.label_en.clone(),
                })
                .unwrap_or_else(|| name.clone());
            DeskError::invalid(name.clone(), Invalid::Answer { label, why: e })
        }
        _ => DeskError::Run(e),
    }
}

/// The run's answers as text for the ticket it registers.
fn transcript(def: &FlowDef, run: &FlowRun, locale: Locale) -> String {
    let view = run_view(run, def, None, locale);
    let mut out = vec![match locale {
        Locale::ZhCn => format!("自助流程《{}》第 {} 版：", view.title, run.version),
        Locale::En => format!(
            "Self-service flow \"{}\" version {}:",
            view.title, run.version
        ),
    }];
    for s in view.history.iter().filter(|s| !s.rolled_back) {
        out.push(format!("- {}", s.title));
        for (label, value) in &s.answers {
            out.push(format!("  {label}: {value}"));
        }
    }
    out.join("\n")
}

/// Submits the current step at row version `rev`. When the flow ends asking for a ticket,
/// the ticket is registered for the run's customer with the answers attached (staff runs
/// without a customer show the outcome and leave the registration to the agent).
pub async fn submit_run(
    stores: &Stores,
    user: &User,
    id: Uuid,
    rev: u32,
    answers: BTreeMap<String, String>,
    locale: Locale,
    now: DateTime<Utc>,
) -> Result<RunView, DeskError> {
    let (run, def) = run_at(stores, user, id, rev).await?;
    let mut next = FlowRun {
        run: flow::submit(&def, &run.run, &answers, now)
            .map_err(|e| answer_error(&def, e, locale))?,
        updated_at: now,
        ..run.clone()
    };
    if let RunStatus::Finished {
        outcome:
            Outcome::RegisterTicket {
                kind,
                category,
                subject,
            },
        ..
    } = &next.run.status
    {
        if let Some(customer) = next.customer {
            let input = RegisterInput {
                account: None,
                contact_time: None,
                kind: *kind,
                channel: match user.role {
                    Role::Customer => Channel::Portal,
                    _ => Channel::Phone,
                },
                priority: loopdesk::ticket::Priority::Normal,
                complexity: (*kind == TicketKind::Complaint)
                    .then_some(loopdesk::ticket::Complexity::General),
                customer: customer.0,
                subject: flow::fill_subject(subject, &next.run.values)
                    .chars()
                    .take(120)
                    .collect(),
                description: transcript(&def, &next, locale),
                category: category.clone(),
                on_call: false,
                first_contact: None,
                call_id: None,
            };
            let ticket = match user.role {
                Role::Customer => desk::register_for_customer(stores, now, user, input).await?,
                _ => desk::register(stores, now, user, input).await?,
            };
            next.ticket = Some(ticket);
        }
    }
    let next = save_step(stores, next, rev).await?;
    let ticket = ticket_number(stores, next.ticket).await?;
    Ok(run_view(&next, &def, ticket, locale))
}

/// Goes back one step (not after a ticket was registered).
pub async fn rollback_run(
    stores: &Stores,
    user: &User,
    id: Uuid,
    rev: u32,
    locale: Locale,
    now: DateTime<Utc>,
) -> Result<RunView, DeskError> {
    let (run, def) = run_at(stores, user, id, rev).await?;
    if run.ticket.is_some() {
        return Err(DeskError::Run(flow::RunError::Finished));
    }
    let next = FlowRun {
        run: flow::rollback(&def, &run.run).map_err(DeskError::Run)?,
        updated_at: now,
        ..run
    };
    let next = save_step(stores, next, rev).await?;
    Ok(run_view(&next, &def, None, locale))
}

// ------------------------------------------------------------------ the answer bot

fn bot_labels(locale: Locale) -> impl Fn(&str) -> String {
    move |key: &str| {
        let (zh, en) = match key {
            "customer" => ("客户", "Customer"),
            "bot" => ("智能助手", "Assistant"),
            "chose" => ("客户选择", "Customer chose"),
            "helped" => ("客户：已解决", "Customer: this helped"),
            "not_helped" => ("客户：没有解决", "Customer: this did not help"),
            "no_answer" => ("没有找到答案", "no answer found"),
            "flow" => ("推荐自助流程", "suggested self-service flow"),
            _ => (key, key),
        };
        match locale {
            Locale::ZhCn => zh.to_owned(),
            Locale::En => en.to_owned(),
        }
    }
}

async fn article_html(stores: &Stores, id: Uuid, locale: Locale) -> Option<String> {
    let rec = stores.knowledge.article(id).await.ok()?;
    let v = stores
        .knowledge
        .article_version(id, rec.article.live?)
        .await
        .ok()?;
    (v.content.audience == Audience::Public)
        .then(|| markdown::to_html(v.content.localized(locale == Locale::En).1))
}

async fn bot_view(stores: &Stores, s: &BotSession, locale: Locale) -> Result<BotView, DeskError> {
    let c = &s.conversation;
    let say = bot_labels(locale);
    let mut lines = Vec::new();
    let pair = |p: &Pick| (p.id.to_string(), p.title.clone());
    for t in &c.turns {
        let line = match t {
            Turn::Asked { text, .. } => BotLine {
                who: "customer".into(),
                text: text.clone(),
                links: Vec::new(),
                flow: None,
                html: None,
            },
            Turn::Replied { reply, .. } => {
                let (text, links, flow, html) = match reply {
                    BotReply::Answer { article } => (
                        article.title.clone(),
                        vec![pair(article)],
                        None,
                        article_html(stores, article.id, locale).await,
                    ),
                    BotReply::Choose { candidates } => (
                        match locale {
                            Locale::ZhCn => "您想问的是下面哪一个？".to_owned(),
                            Locale::En => "Which of these is closest to your question?".to_owned(),
                        },
                        candidates.iter().map(pair).collect(),
                        None,
                        None,
                    ),
                    BotReply::NoAnswer => (
                        match locale {
                            Locale::ZhCn => {
                                "抱歉，没有找到相关答案。您可以换个说法，或转人工处理。".to_owned()
                            }
                            Locale::En => "Sorry, I found no answer. Try other words, or hand over to an agent.".to_owned(),
                        },
                        Vec::new(),
                        None,
                        None,
                    ),
                    BotReply::OfferFlow { flow } => (
                        match locale {
                            Locale::ZhCn => "可以试试这个自助流程，一步步排查：".to_owned(),
                            Locale::En => "This self-service flow may solve it step by step:".to_owned(),
                        },
                        Vec::new(),
                        Some(pair(flow)),
                        None,
                    ),
                };
                BotLine {
                    who: "bot".into(),
                    text,
                    links,
                    flow,
                    html,
                }
            }
            Turn::Chose { article, .. } => BotLine {
                who: "bot".into(),
                text: article.title.clone(),
                links: vec![pair(article)],
                flow: None,
                html: article_html(stores, article.id, locale).await,
            },
            Turn::Feedback { helpful, .. } => BotLine {
                who: "customer".into(),
                text: say(if *helpful { "helped" } else { "not_helped" }),
                links: Vec::new(),
                flow: None,
                html: None,
            },
        };
        lines.push(line);
    }
    let choices = match c.turns.last() {
        Some(Turn::Replied {
            reply: BotReply::Choose { candidates },
            ..
        }) if c.status == ConversationStatus::Open => candidates.iter().map(pair).collect(),
        _ => Vec::new(),
    };
    let (status, ticket) = match &c.status {
        ConversationStatus::Open => ("open", None),
        ConversationStatus::Solved => ("solved", None),
        ConversationStatus::HandedOver { ticket } => ("handed_over", Some(ticket.clone())),
    };
    Ok(BotView {
        id: s.id.to_string(),
        rev: s.rev,
        lines,
        choices,
        can_rate: c.status == ConversationStatus::Open && c.current_answer().is_some(),
        status: status.into(),
        ticket,
    })
}

/// Starts a conversation (signed-in users; hand-over needs a customer).
pub async fn bot_start(
    stores: &Stores,
    user: &User,
    locale: Locale,
    now: DateTime<Utc>,
) -> Result<BotView, DeskError> {
    let s = BotSession {
        id: Uuid::new_v4(),
        user: user.id,
        conversation: Conversation::new(),
        rev: 1,
        started_at: now,
        updated_at: now,
    };
    stores.flows.create_conversation(&s).await?;
    bot_view(stores, &s, locale).await
}

async fn own_session(
    stores: &Stores,
    user: &User,
    id: Uuid,
    rev: u32,
) -> Result<BotSession, DeskError> {
    let s = stores.flows.conversation(id).await?;
    if s.user != user.id {
        return Err(DeskError::NotFound);
    }
    if s.rev != rev {
        return Err(DeskError::Conflict {
            current_version: u64::from(s.rev),
        });
    }
    Ok(s)
}

async fn save_session(
    stores: &Stores,
    mut s: BotSession,
    rev: u32,
    locale: Locale,
    now: DateTime<Utc>,
) -> Result<BotView, DeskError> {
    s.updated_at = now;
    stores
        .flows
        .save_conversation(&s, rev)
        .await
        .map_err(|e| conflict(e, rev))?;
    s.rev = rev + 1;
    bot_view(stores, &s, locale).await
}

/// A conversation (its owner only).
pub async fn bot_get(
    stores: &Stores,
    user: &User,
    id: Uuid,
    locale: Locale,
) -> Result<BotView, DeskError> {
    let s = stores.flows.conversation(id).await?;
    if s.user != user.id {
        return Err(DeskError::NotFound);
    }
    bot_view(stores, &s, locale).await
}

fn public_query(text: &str, kind: DocKind, limit: usize) -> SearchQuery {
    SearchQuery {
        text: text.to_owned(),
        audience: Some(Audience::Public),
        category: None,
        kind: Some(kind),
        limit,
    }
}

fn pick(hit: &SearchHit, locale: Locale) -> Pick {
    let title = match (locale, hit.title_en.text.is_empty()) {
        (Locale::En, false) => hit.title_en.text.clone(),
        _ => hit.title.text.clone(),
    };
    Pick { id: hit.id, title }
}

/// The customer asks; the bot answers from public articles or offers candidates.
#[allow(clippy::too_many_arguments)]
pub async fn bot_ask(
    stores: &Stores,
    index: &dyn SearchIndex,
    user: &User,
    id: Uuid,
    rev: u32,
    text: &str,
    locale: Locale,
    now: DateTime<Utc>,
) -> Result<BotView, DeskError> {
    let mut s = own_session(stores, user, id, rev).await?;
    let query: String = text.trim().chars().take(MAX_QUERY).collect();
    let hits = match query.is_empty() {
        true => Vec::new(),
        false => index
            .search(&public_query(&query, DocKind::Article, 5))
            .map_err(internal)?,
    };
    let ranked: Vec<(Pick, f32)> = hits.iter().map(|h| (pick(h, locale), h.score)).collect();
    s.conversation
        .ask(text, &ranked, now)
        .map_err(DeskError::Bot)?;
    if hits.is_empty() {
        stores
            .knowledge
            .record_zero_result(&query.to_lowercase(), Audience::Public, now)
            .await?;
    }
    save_session(stores, s, rev, locale, now).await
}

/// The customer picks one of the offered articles.
pub async fn bot_choose(
    stores: &Stores,
    user: &User,
    id: Uuid,
    rev: u32,
    article: Uuid,
    locale: Locale,
    now: DateTime<Utc>,
) -> Result<BotView, DeskError> {
    let mut s = own_session(stores, user, id, rev).await?;
    s.conversation
        .choose(article, now)
        .map_err(DeskError::Bot)?;
    save_session(stores, s, rev, locale, now).await
}

/// "This helped" / "this did not help"; the latter offers a public flow matching the
/// questions when there is one.
#[allow(clippy::too_many_arguments)]
pub async fn bot_feedback(
    stores: &Stores,
    index: &dyn SearchIndex,
    user: &User,
    id: Uuid,
    rev: u32,
    helpful: bool,
    locale: Locale,
    now: DateTime<Utc>,
) -> Result<BotView, DeskError> {
    let mut s = own_session(stores, user, id, rev).await?;
    let flow = match helpful {
        true => None,
        false => {
            let asked = s.conversation.questions().join(" ");
            index
                .search(&public_query(&asked, DocKind::Flow, 1))
                .map_err(internal)?
                .first()
                .map(|h| pick(h, locale))
        }
    };
    s.conversation
        .feedback(helpful, flow, now)
        .map_err(DeskError::Bot)?;
    save_session(stores, s, rev, locale, now).await
}

/// Hands over to staff: registers a ticket (channel chat) for the customer with the
/// conversation attached.
pub async fn bot_hand_over(
    stores: &Stores,
    user: &User,
    id: Uuid,
    rev: u32,
    locale: Locale,
    now: DateTime<Utc>,
) -> Result<BotView, DeskError> {
    let mut s = own_session(stores, user, id, rev).await?;
    let first = s
        .conversation
        .questions()
        .first()
        .map(|q| q.chars().take(60).collect::<String>())
        .ok_or(DeskError::Bot(loopdesk::kb::bot::BotError::Question))?;
    if s.conversation.status != ConversationStatus::Open {
        return Err(DeskError::Bot(loopdesk::kb::bot::BotError::Closed));
    }
    let input = RegisterInput {
        account: None,
        contact_time: None,
        kind: TicketKind::Inquiry,
        channel: Channel::Chat,
        priority: loopdesk::ticket::Priority::Normal,
        complexity: None,
        customer: Uuid::nil(),
        subject: first,
        description: s.conversation.transcript(bot_labels(locale)),
        category: String::new(),
        on_call: false,
        first_contact: None,
        call_id: None,
    };
    let ticket = desk::register_for_customer(stores, now, user, input).await?;
    let number = stores.tickets.get_ticket(ticket).await?.number;
    s.conversation.hand_over(number).map_err(DeskError::Bot)?;
    save_session(stores, s, rev, locale, now).await
}
