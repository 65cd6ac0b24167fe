//! Storage ports of the knowledge base (DESIGN §3.6): articles with their versions, views,
//! feedback and suggestion uses; categories; synonym groups; zero-result queries; SOP flows
//! with frozen published versions and their runs; answer-bot conversations.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::StoreError;
use crate::customer::CustomerId;
use crate::flow::{Flow, FlowDef, Run};
use crate::kb::bot::Conversation;
use crate::kb::search::{DocKind, SynonymGroup};
use crate::kb::{Article, ArticleContent, ArticleStatus, Audience};
use crate::ticket::TicketId;
use crate::user::UserId;

/// An article with its counters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleRecord {
    /// The article (working copy).
    pub article: Article,
    /// Row version for optimistic updates.
    pub rev: u32,
    /// Times opened by readers.
    pub views: u64,
    /// "Helpful" votes.
    pub helpful: u64,
    /// "Not helpful" votes.
    pub not_helpful: u64,
    /// Times agents used it from a suggestion (inserted into a reply).
    pub used: u64,
    /// Created.
    pub created_at: DateTime<Utc>,
}

/// One saved version of an article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleVersion {
    /// Version number.
    pub version: u32,
    /// The content.
    pub content: ArticleContent,
    /// Who saved it.
    pub editor: UserId,
    /// When.
    pub saved_at: DateTime<Utc>,
}

/// Which articles to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ArticleFilter {
    /// Only this status.
    pub status: Option<ArticleStatus>,
    /// Only this category and below.
    pub category: Option<String>,
    /// Only published articles of this audience (readers' lists).
    pub live_audience: Option<Audience>,
    /// At most this many (newest change first).
    pub limit: u32,
}

/// A category of the tree (`billing`, `billing/charges`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Category {
    /// Path.
    pub path: String,
    /// Name, Chinese.
    pub name_zh: String,
    /// Name, English.
    pub name_en: String,
}

/// A query that found nothing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ZeroResult {
    /// The query, trimmed and lower-cased.
    pub query: String,
    /// Asked by customers (public) or staff.
    pub audience: Audience,
    /// How often.
    pub count: u64,
    /// Last time.
    pub last_at: DateTime<Utc>,
}

/// A suggestion an agent used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuggestionUse {
    /// Article or flow.
    pub kind: DocKind,
    /// Its id.
    pub target: Uuid,
    /// The ticket it helped with.
    pub ticket: Option<TicketId>,
    /// The agent.
    pub user: UserId,
    /// When.
    pub at: DateTime<Utc>,
}

/// Articles, categories, synonyms, zero results, bot conversations.
#[async_trait]
pub trait KnowledgeStore: Send + Sync {
    /// Creates an article with its first version.
    async fn create_article(&self, article: &Article, now: DateTime<Utc>)
        -> Result<(), StoreError>;
    /// Saves an article changed by an action; `Conflict` when `rev` is not current. A
    /// content edit stores the new version too.
    async fn save_article(
        &self,
        article: &Article,
        rev: u32,
        new_version: bool,
    ) -> Result<(), StoreError>;
    /// One article.
    async fn article(&self, id: Uuid) -> Result<ArticleRecord, StoreError>;
    /// One version of an article.
    async fn article_version(&self, id: Uuid, version: u32) -> Result<ArticleVersion, StoreError>;
    /// Every version of an article, newest first.
    async fn article_versions(&self, id: Uuid) -> Result<Vec<ArticleVersion>, StoreError>;
    /// Articles by filter, most recently changed first.
    async fn articles(&self, filter: &ArticleFilter) -> Result<Vec<ArticleRecord>, StoreError>;
    /// The live content of every published article (to build the search index).
    async fn live_articles(&self) -> Result<Vec<(Uuid, ArticleContent)>, StoreError>;
    /// Counts a view.
    async fn count_view(&self, id: Uuid) -> Result<(), StoreError>;
    /// Records a reader's vote (one per voter, the last one counts); returns the counts.
    async fn vote(
        &self,
        id: Uuid,
        voter: &str,
        helpful: bool,
        at: DateTime<Utc>,
    ) -> Result<(u64, u64), StoreError>;
    /// Records that a suggestion was used.
    async fn record_use(&self, used: &SuggestionUse) -> Result<(), StoreError>;
    /// The category tree, by path.
    async fn categories(&self) -> Result<Vec<Category>, StoreError>;
    /// Adds or renames a category.
    async fn put_category(&self, category: &Category) -> Result<(), StoreError>;
    /// Synonym groups.
    async fn synonyms(&self) -> Result<Vec<SynonymGroup>, StoreError>;
    /// Adds or replaces a synonym group.
    async fn put_synonym(&self, group: &SynonymGroup) -> Result<(), StoreError>;
    /// Deletes a synonym group.
    async fn delete_synonym(&self, id: Uuid) -> Result<(), StoreError>;
    /// Counts a query that found nothing.
    async fn record_zero_result(
        &self,
        query: &str,
        audience: Audience,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError>;
    /// The most frequent zero-result queries.
    async fn zero_results(&self, limit: u32) -> Result<Vec<ZeroResult>, StoreError>;
}

/// A run of a flow.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FlowRun {
    /// Id.
    pub id: Uuid,
    /// The flow.
    pub flow: Uuid,
    /// The version it runs.
    pub version: u32,
    /// Where it is and its history.
    pub run: Run,
    /// Who runs it (agent or customer user).
    pub user: UserId,
    /// The customer it is for, when known.
    pub customer: Option<CustomerId>,
    /// The ticket it registered.
    pub ticket: Option<TicketId>,
    /// Row version.
    pub rev: u32,
    /// Started.
    pub started_at: DateTime<Utc>,
    /// Last step.
    pub updated_at: DateTime<Utc>,
}

/// A stored bot conversation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BotSession {
    /// Id.
    pub id: Uuid,
    /// The customer user.
    pub user: UserId,
    /// The conversation.
    pub conversation: Conversation,
    /// Row version.
    pub rev: u32,
    /// Started.
    pub started_at: DateTime<Utc>,
    /// Last turn.
    pub updated_at: DateTime<Utc>,
}

/// SOP flows, their frozen versions and runs; bot conversations.
#[async_trait]
pub trait FlowStore: Send + Sync {
    /// Creates a flow.
    async fn create_flow(&self, flow: &Flow, by: UserId) -> Result<(), StoreError>;
    /// Saves a flow's working definition and settings; `Conflict` when `rev` is stale.
    async fn save_flow(&self, flow: &Flow, rev: u32, by: UserId) -> Result<(), StoreError>;
    /// Freezes `def` as the next version and makes it live; returns the version number.
    async fn publish_flow(
        &self,
        id: Uuid,
        def: &FlowDef,
        by: UserId,
        at: DateTime<Utc>,
    ) -> Result<u32, StoreError>;
    /// One flow.
    async fn flow(&self, id: Uuid) -> Result<Flow, StoreError>;
    /// Every flow, by title.
    async fn flows(&self) -> Result<Vec<Flow>, StoreError>;
    /// A frozen version.
    async fn flow_version(&self, id: Uuid, version: u32) -> Result<FlowDef, StoreError>;
    /// Starts a run.
    async fn create_run(&self, run: &FlowRun) -> Result<(), StoreError>;
    /// One run.
    async fn run(&self, id: Uuid) -> Result<FlowRun, StoreError>;
    /// Saves a run after a step; `Conflict` when `rev` is stale.
    async fn save_run(&self, run: &FlowRun, rev: u32) -> Result<(), StoreError>;
    /// A user's unfinished runs, newest first (to resume).
    async fn open_runs(&self, user: UserId, limit: u32) -> Result<Vec<FlowRun>, StoreError>;
    /// Starts a bot conversation.
    async fn create_conversation(&self, session: &BotSession) -> Result<(), StoreError>;
    /// One conversation.
    async fn conversation(&self, id: Uuid) -> Result<BotSession, StoreError>;
    /// Saves a conversation; `Conflict` when `rev` is stale.
    async fn save_conversation(&self, session: &BotSession, rev: u32) -> Result<(), StoreError>;
}
