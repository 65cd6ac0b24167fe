//! Server functions of the knowledge screens: search, articles (read, vote, edit through
//! the review workflow, diff), categories, synonyms, zero-result queries, suggestions for a
//! ticket with "insert into reply", SOP flows (view, edit, publish) and runs, and the
//! answer bot. Each authenticates, calls `crate::knowledge`, and maps errors to
//! [`AppError`] in the user's language.

use std::collections::BTreeMap;

use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use loopdesk::kb::search::DocKind;
use loopdesk::kb::{ArticleAction, ArticleContent, ArticleStatus};

use crate::error::AppError;
use crate::views::knowledge::*;

#[cfg(feature = "ssr")]
use super::console::parse_id;
#[cfg(feature = "ssr")]
use super::desk::support;

#[cfg(feature = "ssr")]
macro_rules! call {
    ($locale:expr, $e:expr) => {
        $e.await.map_err(|e| support::desk(e, $locale))
    };
}

/// Knowledge search (customers: public documents only, whatever they ask for).
#[server(endpoint = "kb/search")]
pub async fn kb_search(
    text: String,
    kind: Option<DocKind>,
    category: Option<String>,
    audience: Option<loopdesk::kb::Audience>,
) -> Result<Vec<HitView>, AppError> {
    let (state, user, locale) = support::caller().await?;
    let input = crate::knowledge::SearchInput {
        text,
        category,
        kind,
        audience,
        limit: Some(20),
    };
    call!(
        locale,
        crate::knowledge::search(
            &state.stores,
            state.search.as_ref(),
            Some(&user),
            input,
            locale,
            state.clock.now()
        )
    )
}

/// A published article (counts a view).
#[server(endpoint = "kb/article")]
pub async fn kb_article(id: String) -> Result<ArticleView, AppError> {
    let (state, user, locale) = support::caller().await?;
    let id = parse_id(&id, locale)?;
    call!(
        locale,
        crate::knowledge::read_article(&state.stores, Some(&user), id, locale)
    )
}

/// A helpful / not-helpful vote; the counts after it.
#[server(endpoint = "kb/vote")]
pub async fn kb_vote(id: String, helpful: bool) -> Result<(u64, u64), AppError> {
    let (state, user, locale) = support::caller().await?;
    let id = parse_id(&id, locale)?;
    call!(
        locale,
        crate::knowledge::vote(
            &state.stores,
            Some(&user),
            "",
            id,
            helpful,
            state.clock.now()
        )
    )
}

/// Articles for the knowledge page (staff: by status; customers: published public ones).
#[server(endpoint = "kb/articles")]
pub async fn kb_articles(
    status: Option<ArticleStatus>,
    category: Option<String>,
) -> Result<Vec<ArticleRow>, AppError> {
    let (state, user, locale) = support::caller().await?;
    call!(
        locale,
        crate::knowledge::list_articles(&state.stores, Some(&user), status, category, locale)
    )
}

/// The editor's view of an article.
#[server(endpoint = "kb/article-edit")]
pub async fn kb_article_edit(id: String) -> Result<ArticleEdit, AppError> {
    let (state, user, locale) = support::caller().await?;
    let id = parse_id(&id, locale)?;
    call!(
        locale,
        crate::knowledge::article_edit(&state.stores, &user, id, locale, state.clock.now())
    )
}

/// Creates a draft; returns its id.
#[server(endpoint = "kb/create-article", input = Json)]
pub async fn kb_create_article(content: ArticleContent) -> Result<String, AppError> {
    let (state, user, locale) = support::caller().await?;
    call!(
        locale,
        crate::knowledge::create_article(&state.stores, &user, content, state.clock.now())
    )
    .map(|id| id.to_string())
}

/// An editorial action (edit, submit, reject, publish, archive, revise) at row version `rev`.
#[server(endpoint = "kb/article-action", input = Json)]
pub async fn kb_article_action(
    id: String,
    rev: u32,
    action: ArticleAction,
) -> Result<(), AppError> {
    let (state, user, locale) = support::caller().await?;
    let id = parse_id(&id, locale)?;
    call!(
        locale,
        crate::knowledge::act_on_article(
            &state.stores,
            state.search.as_ref(),
            &user,
            id,
            rev,
            action,
            state.clock.now()
        )
    )
}

/// A line diff between two versions.
#[server(endpoint = "kb/diff")]
pub async fn kb_diff(id: String, from: u32, to: u32) -> Result<Vec<DiffRow>, AppError> {
    let (state, user, locale) = support::caller().await?;
    let id = parse_id(&id, locale)?;
    call!(
        locale,
        crate::knowledge::article_diff(&state.stores, &user, id, from, to)
    )
}

/// The category tree.
#[server(endpoint = "kb/categories")]
pub async fn kb_categories() -> Result<Vec<CategoryView>, AppError> {
    let (state, _user, locale) = support::caller().await?;
    call!(locale, crate::knowledge::categories(&state.stores, locale))
}

/// Adds or renames a category (editors).
#[server(endpoint = "kb/save-category")]
pub async fn kb_save_category(
    path: String,
    name_zh: String,
    name_en: String,
) -> Result<(), AppError> {
    let (state, user, locale) = support::caller().await?;
    call!(
        locale,
        crate::knowledge::save_category(&state.stores, &user, &path, &name_zh, &name_en)
    )
}

/// Synonym groups.
#[server(endpoint = "kb/synonyms")]
pub async fn kb_synonyms() -> Result<Vec<SynonymRow>, AppError> {
    let (state, user, locale) = support::caller().await?;
    call!(locale, crate::knowledge::synonyms(&state.stores, &user))
}

/// Adds (no id) or replaces a synonym group (administrators).
#[server(endpoint = "kb/save-synonym")]
pub async fn kb_save_synonym(id: Option<String>, words: String) -> Result<(), AppError> {
    let (state, user, locale) = support::caller().await?;
    let id = match id.filter(|i| !i.is_empty()) {
        Some(i) => Some(parse_id(&i, locale)?),
        None => None,
    };
    call!(
        locale,
        crate::knowledge::save_synonym(&state.stores, state.search.as_ref(), &user, id, &words)
    )
}

/// Deletes a synonym group (administrators).
#[server(endpoint = "kb/delete-synonym")]
pub async fn kb_delete_synonym(id: String) -> Result<(), AppError> {
    let (state, user, locale) = support::caller().await?;
    let id = parse_id(&id, locale)?;
    call!(
        locale,
        crate::knowledge::delete_synonym(&state.stores, state.search.as_ref(), &user, id)
    )
}

/// Queries that found nothing (editors).
#[server(endpoint = "kb/zero-results")]
pub async fn kb_zero_results() -> Result<Vec<ZeroRow>, AppError> {
    let (state, user, locale) = support::caller().await?;
    call!(
        locale,
        crate::knowledge::zero_results(&state.stores, &user, locale)
    )
}

/// Suggested articles and flows for a ticket.
#[server(endpoint = "kb/suggest-ticket")]
pub async fn kb_suggest_for_ticket(ticket: String) -> Result<Suggestions, AppError> {
    let (state, user, locale) = support::caller().await?;
    let ticket = loopdesk::ticket::TicketId(parse_id(&ticket, locale)?);
    call!(
        locale,
        crate::knowledge::suggest_for_ticket(
            &state.stores,
            state.search.as_ref(),
            &user,
            ticket,
            locale
        )
    )
}

/// Suggested articles and flows for a caller (from their recent tickets).
#[server(endpoint = "kb/suggest-customer")]
pub async fn kb_suggest_for_customer(customer: String) -> Result<Suggestions, AppError> {
    let (state, user, locale) = support::caller().await?;
    let customer = loopdesk::customer::CustomerId(parse_id(&customer, locale)?);
    call!(
        locale,
        crate::knowledge::suggest_for_customer(
            &state.stores,
            state.search.as_ref(),
            &user,
            customer,
            locale
        )
    )
}

/// An article's answer text for a reply; counts the suggestion as used.
#[server(endpoint = "kb/use-article")]
pub async fn kb_use_article(id: String, ticket: Option<String>) -> Result<String, AppError> {
    let (state, user, locale) = support::caller().await?;
    let id = parse_id(&id, locale)?;
    let ticket = match ticket.filter(|t| !t.is_empty()) {
        Some(t) => Some(loopdesk::ticket::TicketId(parse_id(&t, locale)?)),
        None => None,
    };
    call!(
        locale,
        crate::knowledge::use_article(&state.stores, &user, id, ticket, locale, state.clock.now())
    )
}

/// Flows the user may see.
#[server(endpoint = "kb/flows")]
pub async fn kb_flows() -> Result<Vec<FlowRow>, AppError> {
    let (state, user, locale) = support::caller().await?;
    call!(
        locale,
        crate::knowledge::list_flows(&state.stores, Some(&user), locale)
    )
}

/// A flow with its diagram.
#[server(endpoint = "kb/flow")]
pub async fn kb_flow(id: String) -> Result<FlowView, AppError> {
    let (state, user, locale) = support::caller().await?;
    let id = parse_id(&id, locale)?;
    call!(
        locale,
        crate::knowledge::flow_view(&state.stores, Some(&user), id, locale)
    )
}

/// A flow's editable definition and settings, as the editor sends them.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct FlowForm {
    /// Definition.
    pub def: loopdesk::flow::FlowDef,
    /// Audience.
    pub audience: loopdesk::kb::Audience,
    /// Category path.
    pub category: String,
    /// Search phrases.
    pub keywords: Vec<String>,
}

/// Creates (no id; returns the new id) or saves a flow's working definition (editors).
#[server(endpoint = "kb/save-flow", input = Json)]
pub async fn kb_save_flow(
    id: Option<String>,
    rev: u32,
    form: FlowForm,
) -> Result<String, AppError> {
    let (state, user, locale) = support::caller().await?;
    let input = crate::knowledge::FlowInput {
        def: form.def,
        audience: form.audience,
        category: form.category,
        keywords: form.keywords,
    };
    let now = state.clock.now();
    match id.filter(|i| !i.is_empty()) {
        None => call!(
            locale,
            crate::knowledge::create_flow(&state.stores, &user, input, now)
        )
        .map(|id| id.to_string()),
        Some(i) => {
            let id = parse_id(&i, locale)?;
            call!(
                locale,
                crate::knowledge::save_flow(&state.stores, &user, id, rev, input, now)
            )?;
            Ok(id.to_string())
        }
    }
}

/// Publishes the working definition as the next version (editors).
#[server(endpoint = "kb/publish-flow")]
pub async fn kb_publish_flow(id: String, rev: u32) -> Result<u32, AppError> {
    let (state, user, locale) = support::caller().await?;
    let id = parse_id(&id, locale)?;
    call!(
        locale,
        crate::knowledge::publish_flow(
            &state.stores,
            state.search.as_ref(),
            &user,
            id,
            rev,
            state.clock.now()
        )
    )
}

/// Starts a run (staff may name the customer).
#[server(endpoint = "kb/start-run")]
pub async fn kb_start_run(flow: String, customer: Option<String>) -> Result<RunView, AppError> {
    let (state, user, locale) = support::caller().await?;
    let flow = parse_id(&flow, locale)?;
    let customer = match customer.filter(|c| !c.is_empty()) {
        Some(c) => Some(loopdesk::customer::CustomerId(parse_id(&c, locale)?)),
        None => None,
    };
    call!(
        locale,
        crate::knowledge::start_run(
            &state.stores,
            &user,
            flow,
            customer,
            locale,
            state.clock.now()
        )
    )
}

/// A run.
#[server(endpoint = "kb/run")]
pub async fn kb_run(id: String) -> Result<RunView, AppError> {
    let (state, user, locale) = support::caller().await?;
    let id = parse_id(&id, locale)?;
    call!(
        locale,
        crate::knowledge::get_run(&state.stores, &user, id, locale)
    )
}

/// The user's unfinished runs.
#[server(endpoint = "kb/open-runs")]
pub async fn kb_open_runs() -> Result<Vec<RunView>, AppError> {
    let (state, user, locale) = support::caller().await?;
    call!(
        locale,
        crate::knowledge::open_runs(&state.stores, &user, locale)
    )
}

/// Submits the current step.
#[server(endpoint = "kb/submit-run", input = Json)]
pub async fn kb_submit_run(
    id: String,
    rev: u32,
    answers: BTreeMap<String, String>,
) -> Result<RunView, AppError> {
    let (state, user, locale) = support::caller().await?;
    let id = parse_id(&id, locale)?;
    call!(
        locale,
        crate::knowledge::submit_run(
            &state.stores,
            &user,
            id,
            rev,
            answers,
            locale,
            state.clock.now()
        )
    )
}

/// Back one step.
#[server(endpoint = "kb/rollback-run")]
pub async fn kb_rollback_run(id: String, rev: u32) -> Result<RunView, AppError> {
    let (state, user, locale) = support::caller().await?;
    let id = parse_id(&id, locale)?;
    call!(
        locale,
        crate::knowledge::rollback_run(&state.stores, &user, id, rev, locale, state.clock.now())
    )
}

/// Starts an answer-bot conversation.
#[server(endpoint = "bot/start")]
pub async fn bot_start() -> Result<BotView, AppError> {
    let (state, user, locale) = support::caller().await?;
    call!(
        locale,
        crate::knowledge::bot_start(&state.stores, &user, locale, state.clock.now())
    )
}

/// Asks the bot.
#[server(endpoint = "bot/ask")]
pub async fn bot_ask(id: String, rev: u32, text: String) -> Result<BotView, AppError> {
    let (state, user, locale) = support::caller().await?;
    let id = parse_id(&id, locale)?;
    call!(
        locale,
        crate::knowledge::bot_ask(
            &state.stores,
            state.search.as_ref(),
            &user,
            id,
            rev,
            &text,
            locale,
            state.clock.now()
        )
    )
}

/// Picks an offered article.
#[server(endpoint = "bot/choose")]
pub async fn bot_choose(id: String, rev: u32, article: String) -> Result<BotView, AppError> {
    let (state, user, locale) = support::caller().await?;
    let id = parse_id(&id, locale)?;
    let article = parse_id(&article, locale)?;
    call!(
        locale,
        crate::knowledge::bot_choose(
            &state.stores,
            &user,
            id,
            rev,
            article,
            locale,
            state.clock.now()
        )
    )
}

/// Says whether the answer helped.
#[server(endpoint = "bot/feedback")]
pub async fn bot_feedback(id: String, rev: u32, helpful: bool) -> Result<BotView, AppError> {
    let (state, user, locale) = support::caller().await?;
    let id = parse_id(&id, locale)?;
    call!(
        locale,
        crate::knowledge::bot_feedback(
            &state.stores,
            state.search.as_ref(),
            &user,
            id,
            rev,
            helpful,
            locale,
            state.clock.now()
        )
    )
}

/// Hands over to an agent (registers a ticket with the conversation).
#[server(endpoint = "bot/hand-over")]
pub async fn bot_hand_over(id: String, rev: u32) -> Result<BotView, AppError> {
    let (state, user, locale) = support::caller().await?;
    let id = parse_id(&id, locale)?;
    call!(
        locale,
        crate::knowledge::bot_hand_over(&state.stores, &user, id, rev, locale, state.clock.now())
    )
}
