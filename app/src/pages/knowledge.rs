//! The knowledge screens: `/agent/knowledge` for staff (search, articles and their review
//! workflow, flows and runs, zero-result queries) and `/portal/help` for customers (public
//! search, articles, self-service flows, the answer bot). One page reads its query string:
//! `?q=` search, `?article=` read, `?edit=` / `?new=1` edit, `?flow=` a flow, `?run=` a run,
//! `?bot=1` the answer bot. Also the ticket page's suggestion panel and the administrators'
//! categories and synonyms.

use std::collections::BTreeMap;

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_query_map};
use loopdesk::kb::search::DocKind;
use loopdesk::kb::{ArticleAction, ArticleContent, ArticleStatus, Audience, Translation};
use loopdesk::locale::Locale;

use crate::api::knowledge::*;
use crate::components::flow_diagram::FlowDiagram;
use crate::components::icon::IconKind;
use crate::components::panel::{Empty, Panel};
use crate::i18n::knowledge::kt;
use crate::pages::errors::ErrorBox;
use crate::views::knowledge::*;

/// Text with highlighted runs.
fn marked(runs: Runs) -> impl IntoView {
    runs.into_iter()
        .map(|(text, hit)| match hit {
            true => view! { <mark>{text}</mark> }.into_any(),
            false => text.into_any(),
        })
        .collect_view()
}

/// The knowledge page of an area: `base` is its path (`/agent/knowledge`, `/portal/help`).
#[component]
pub fn KnowledgePage(locale: Locale, base: &'static str, staff: bool) -> impl IntoView {
    let query = use_query_map();
    move || {
        let q = query.read();
        let get = |k: &str| q.get(k).filter(|v| !v.is_empty());
        if let Some(id) = get("article") {
            view! { <ArticleReader id locale base staff/> }.into_any()
        } else if let Some(id) = get("edit").filter(|_| staff) {
            view! { <ArticleEditor id=Some(id) locale base/> }.into_any()
        } else if get("new").is_some() && staff {
            view! { <ArticleEditor id=None locale base/> }.into_any()
        } else if let Some(id) = get("flow") {
            view! { <FlowPage id locale base/> }.into_any()
        } else if get("new_flow").is_some() && staff {
            view! { <FlowEditor flow=None locale base/> }.into_any()
        } else if let Some(id) = get("run") {
            view! { <RunPage id locale base/> }.into_any()
        } else if get("bot").is_some() {
            view! { <BotPanel locale base/> }.into_any()
        } else {
            let text = get("q").unwrap_or_default();
            let kind = get("kind").and_then(|k| DocKind::from_code(&k));
            let category = get("category");
            let audience = get("audience")
                .and_then(|a| Audience::from_code(&a))
                .filter(|_| staff);
            let tab = get("tab").unwrap_or_else(|| "articles".into());
            view! { <SearchHome text kind category audience tab locale base staff/> }.into_any()
        }
    }
}

#[component]
fn SearchHome(
    text: String,
    kind: Option<DocKind>,
    category: Option<String>,
    audience: Option<Audience>,
    tab: String,
    locale: Locale,
    base: &'static str,
    staff: bool,
) -> impl IntoView {
    let tx = kt(locale);
    let categories = Resource::new(|| (), |_| kb_categories());
    let searched = !text.trim().is_empty();
    let hits = Resource::new(
        {
            let (t, c) = (text.clone(), category.clone());
            move || (t.clone(), kind, c.clone(), audience)
        },
        |(t, k, c, a)| kb_search(t, k, c, a),
    );
    let audience_code = audience.map(|a| a.code()).unwrap_or_default();
    let kind_code = kind.map(|k| k.code()).unwrap_or_default();
    let chosen = category.unwrap_or_default();
    view! {
        <div class="kb-head">
            <h1>{if staff { tx.title_staff } else { tx.title_portal }}</h1>
            <form class="kb-search" method="get" action=base role="search">
                <input type="search" name="q" value=text placeholder=tx.search_placeholder
                    aria-label=tx.search_placeholder maxlength="200" autofocus data-testid="kb-q"/>
                <select name="kind" aria-label=tx.kind>
                    <option value="" selected=kind_code.is_empty()>{tx.kind_all}</option>
                    <option value="article" selected=kind_code == "article">{tx.kind_articles}</option>
                    <option value="flow" selected=kind_code == "flow">{tx.kind_flows}</option>
                </select>
                {staff.then(|| view! {
                    <select name="audience" aria-label=tx.col_audience>
                        <option value="" selected=audience_code.is_empty()>{tx.audience_all}</option>
                        <option value="internal" selected=audience_code == "internal">{tx.audience_internal}</option>
                        <option value="public" selected=audience_code == "public">{tx.audience_public}</option>
                    </select>
                })}
                <Suspense fallback=|| ()>
                    {move || Suspend::new({
                        let chosen = chosen.clone();
                        async move {
                            let list = categories.await.unwrap_or_default();
                            view! {
                                <select name="category" aria-label=tx.category>
                                    <option value="">{tx.category_all}</option>
                                    {list.into_iter().map(|c| {
                                        let sel = c.path == chosen;
                                        let indent = "\u{a0}\u{a0}".repeat(c.depth);
                                        view! { <option value=c.path selected=sel>{indent}{c.name}</option> }
                                    }).collect_view()}
                                </select>
                            }
                        }
                    })}
                </Suspense>
                <button class="btn btn-primary" type="submit">{tx.search}</button>
            </form>
            {(!staff).then(|| view! {
                <p class="kb-bot-link"><a class="btn" href=format!("{base}?bot=1") data-testid="open-bot">{tx.ask_bot}</a></p>
            })}
        </div>
        {searched.then(|| view! {
            <Transition fallback=|| view! { <div class="loading"></div> }>
                {move || Suspend::new(async move {
                    match hits.await {
                        Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                        Ok(h) if h.is_empty() => view! {
                            <Panel title=tx.results>
                                <Empty icon=IconKind::Bulb title=tx.no_results hint=tx.no_results_hint/>
                            </Panel>
                        }.into_any(),
                        Ok(h) => view! {
                            <Panel title=tx.results>
                                <HitList hits=h base locale/>
                            </Panel>
                        }.into_any(),
                    }
                })}
            </Transition>
        })}
        {(!searched).then(|| view! { <Browse tab locale base staff/> })}
    }
}

#[component]
fn HitList(hits: Vec<HitView>, base: &'static str, locale: Locale) -> impl IntoView {
    let tx = kt(locale);
    view! {
        <ol class="kb-hits" data-testid="kb-hits">
            {hits.into_iter().map(|h| {
                let href = match h.kind {
                    DocKind::Article => format!("{base}?article={}", h.id),
                    DocKind::Flow => format!("{base}?flow={}", h.id),
                };
                let is_flow = h.kind == DocKind::Flow;
                view! {
                    <li class="kb-hit" data-kind=h.kind.code()>
                        <a class="kb-hit-title" href=href>{marked(h.title)}</a>
                        <span class="chip">{if is_flow { tx.kind_flow } else { tx.kind_article }}</span>
                        <span class="muted small">{h.category.name}</span>
                        <p class="kb-snippet">{marked(h.snippet)}</p>
                    </li>
                }
            }).collect_view()}
        </ol>
    }
}

/// Lists below the search box: articles (staff by status), flows, my open runs, zero
/// results (editors).
#[component]
fn Browse(tab: String, locale: Locale, base: &'static str, staff: bool) -> impl IntoView {
    let tx = kt(locale);
    let status = Memo::new({
        let tab = tab.clone();
        move |_| ArticleStatus::from_code(&tab)
    });
    let tab_link = {
        let tab = tab.clone();
        move |code: &'static str, label: &'static str| {
            let active = tab == code || (code == "articles" && tab.is_empty());
            view! { <a class="tab" class:active=active href=format!("{base}?tab={code}")>{label}</a> }
        }
    };
    let body = match tab.as_str() {
        "flows" => view! { <FlowList locale base staff/> }.into_any(),
        "runs" => view! { <OpenRuns locale base/> }.into_any(),
        "zero" if staff => view! { <ZeroResults locale/> }.into_any(),
        _ => view! { <ArticleList status=status.get_untracked() locale base staff/> }.into_any(),
    };
    view! {
        <div class="toolbar">
            <nav class="tabs">
                {tab_link("articles", tx.tab_articles)}
                {staff.then(|| view! {
                    {tab_link("draft", tx.tab_drafts)}
                    {tab_link("in_review", tx.tab_review)}
                    {tab_link("archived", tx.tab_archived)}
                })}
                {tab_link("flows", tx.tab_flows)}
                {tab_link("runs", tx.tab_runs)}
                {staff.then(|| tab_link("zero", tx.tab_zero))}
            </nav>
            {staff.then(|| view! {
                <a class="btn btn-primary" href=format!("{base}?new=1") data-testid="new-article">{tx.new_article}</a>
            })}
        </div>
        {body}
    }
}

#[component]
fn ArticleList(
    status: Option<ArticleStatus>,
    locale: Locale,
    base: &'static str,
    staff: bool,
) -> impl IntoView {
    let tx = kt(locale);
    let status = status.or(Some(ArticleStatus::Published));
    let list = Resource::new(move || status, |s| kb_articles(s, None));
    view! {
        <Transition fallback=|| view! { <div class="loading"></div> }>
            {move || Suspend::new(async move {
                match list.await {
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    Ok(rows) if rows.is_empty() => view! {
                        <Panel title=tx.tab_articles>
                            <Empty icon=IconKind::Document title=tx.no_articles hint=tx.no_articles_hint/>
                        </Panel>
                    }.into_any(),
                    Ok(rows) => view! {
                        <Panel title=tx.tab_articles>
                            <div class="table-wrap">
                            <table class="table" data-testid="article-table">
                                <thead><tr>
                                    <th>{tx.col_title}</th><th>{tx.category}</th>
                                    {staff.then(|| view! { <th>{tx.col_status}</th><th>{tx.col_audience}</th><th class="num">{tx.col_version}</th> })}
                                    <th class="num">{tx.col_views}</th><th class="num">{tx.col_votes}</th>
                                    {staff.then(|| view! { <th class="num">{tx.col_used}</th><th>{tx.col_updated}</th> })}
                                </tr></thead>
                                <tbody>
                                    {rows.into_iter().map(|r| {
                                        let href = match (staff, r.live.is_some()) {
                                            (true, false) => format!("{base}?edit={}", r.id),
                                            _ => format!("{base}?article={}", r.id),
                                        };
                                        view! {
                                            <tr>
                                                <td><a href=href>{r.title.clone()}</a></td>
                                                <td class="small">{r.category.name.clone()}</td>
                                                {staff.then(|| view! {
                                                    <td><span class=format!("chip status-{}", r.status.code)>{r.status.name.clone()}</span></td>
                                                    <td class="small">{r.audience.name.clone()}</td>
                                                    <td class="num">{r.version}</td>
                                                })}
                                                <td class="num">{r.views}</td>
                                                <td class="num">"👍 " {r.votes.0} " · 👎 " {r.votes.1}</td>
                                                {staff.then(|| view! {
                                                    <td class="num">{r.used}</td>
                                                    <td class="small muted">{r.updated.clone()}</td>
                                                })}
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                            </div>
                        </Panel>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn FlowList(locale: Locale, base: &'static str, staff: bool) -> impl IntoView {
    let tx = kt(locale);
    let list = Resource::new(|| (), |_| kb_flows());
    let editor = staff;
    view! {
        <Transition fallback=|| view! { <div class="loading"></div> }>
            {move || Suspend::new(async move {
                match list.await {
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    Ok(rows) => view! {
                        <Panel title=tx.tab_flows>
                            {editor.then(|| view! { <p><a class="btn" href=format!("{base}?new_flow=1")>{tx.new_flow}</a></p> })}
                            <ul class="flow-list" data-testid="flow-list">
                                {rows.into_iter().map(|f| view! {
                                    <li>
                                        <a href=format!("{base}?flow={}", f.id)>{f.title.clone()}</a>
                                        " " <span class="muted small">{f.category.name.clone()}</span>
                                        {staff.then(|| view! { <span class="chip">{f.audience.name.clone()}</span> })}
                                        {match f.live {
                                            Some(v) => view! { <span class="chip">"v" {v}</span> }.into_any(),
                                            None => view! { <span class="chip status-draft">{tx.unpublished}</span> }.into_any(),
                                        }}
                                    </li>
                                }).collect_view()}
                            </ul>
                        </Panel>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn OpenRuns(locale: Locale, base: &'static str) -> impl IntoView {
    let tx = kt(locale);
    let list = Resource::new(|| (), |_| kb_open_runs());
    view! {
        <Transition fallback=|| view! { <div class="loading"></div> }>
            {move || Suspend::new(async move {
                match list.await {
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    Ok(runs) if runs.is_empty() => view! {
                        <Panel title=tx.tab_runs>
                            <Empty icon=IconKind::Flag title=tx.no_runs hint=tx.no_runs_hint/>
                        </Panel>
                    }.into_any(),
                    Ok(runs) => view! {
                        <Panel title=tx.tab_runs>
                            <ul class="flow-list">
                                {runs.into_iter().map(|r| view! {
                                    <li>
                                        <a href=format!("{base}?run={}", r.id)>{r.title.clone()}</a>
                                        " " <span class="muted small">{r.instructions.lines().next().unwrap_or_default().to_owned()}</span>
                                    </li>
                                }).collect_view()}
                            </ul>
                        </Panel>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn ZeroResults(locale: Locale) -> impl IntoView {
    let tx = kt(locale);
    let list = Resource::new(|| (), |_| kb_zero_results());
    view! {
        <Transition fallback=|| view! { <div class="loading"></div> }>
            {move || Suspend::new(async move {
                match list.await {
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    Ok(rows) if rows.is_empty() => view! {
                        <Panel title=tx.tab_zero>
                            <Empty icon=IconKind::Bulb title=tx.no_zero hint=tx.zero_hint/>
                        </Panel>
                    }.into_any(),
                    Ok(rows) => view! {
                        <Panel title=tx.tab_zero>
                            <p class="muted small">{tx.zero_hint}</p>
                            <table class="table" data-testid="zero-table">
                                <thead><tr><th>{tx.col_query}</th><th>{tx.col_asked_by}</th><th class="num">{tx.col_count}</th><th>{tx.col_last}</th></tr></thead>
                                <tbody>
                                    {rows.into_iter().map(|z| view! {
                                        <tr><td>{z.query}</td><td>{z.audience.name}</td><td class="num">{z.count}</td><td class="small muted">{z.last}</td></tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </Panel>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn ArticleReader(id: String, locale: Locale, base: &'static str, staff: bool) -> impl IntoView {
    let tx = kt(locale);
    let article = Resource::new(move || id.clone(), kb_article);
    view! {
        <p><a class="muted small" href=base>"← " {tx.back}</a></p>
        <Suspense fallback=|| view! { <div class="loading"></div> }>
            {move || Suspend::new(async move {
                match article.await {
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    Ok(a) => view! { <ArticleBody a locale base staff/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ArticleBody(a: ArticleView, locale: Locale, base: &'static str, staff: bool) -> impl IntoView {
    let tx = kt(locale);
    let votes = RwSignal::new((a.helpful, a.not_helpful));
    let voted = RwSignal::new(None::<bool>);
    let vote = {
        let id = a.id.clone();
        move |helpful: bool| {
            let id = id.clone();
            spawn_local(async move {
                if let Ok(v) = kb_vote(id, helpful).await {
                    votes.set(v);
                    voted.set(Some(helpful));
                }
            });
        }
    };
    let up = vote.clone();
    view! {
        <article class="panel kb-article" data-testid="kb-article">
            <header class="kb-article-head">
                <h1>{a.title.clone()}</h1>
                <div class="ticket-meta">
                    <span class="chip">{a.category.name.clone()}</span>
                    {staff.then(|| view! { <span class="chip">{a.audience.name.clone()}</span> })}
                    <span class="muted small">"v" {a.version} " · " {a.updated.clone()} " · " {tx.views} " " {a.views}</span>
                    {staff.then(|| view! { <a class="btn btn-small" href=format!("{base}?edit={}", a.id)>{tx.edit}</a> })}
                </div>
            </header>
            <div class="kb-body" inner_html=a.html.clone()></div>
            {(!a.questions.is_empty()).then(|| view! {
                <section class="kb-questions">
                    <h2 class="panel-title">{tx.similar_questions}</h2>
                    <ul>{a.questions.iter().map(|q| view! { <li>{q.clone()}</li> }).collect_view()}</ul>
                </section>
            })}
            <footer class="kb-feedback">
                <span>{tx.was_helpful}</span>
                <button type="button" class="btn btn-small" class:btn-primary=move || voted.get() == Some(true)
                    on:click=move |_| up(true) data-testid="vote-up">"👍 " {move || votes.get().0}</button>
                <button type="button" class="btn btn-small" class:btn-primary=move || voted.get() == Some(false)
                    on:click=move |_| vote(false) data-testid="vote-down">"👎 " {move || votes.get().1}</button>
                {move || voted.get().map(|_| view! { <span class="muted small">{tx.thanks}</span> })}
            </footer>
        </article>
    }
}

/// Lines of a textarea, trimmed, without blanks.
fn lines(text: &str) -> Vec<String> {
    text.lines()
        .map(|l| l.trim().to_owned())
        .filter(|l| !l.is_empty())
        .collect()
}

#[component]
fn ArticleEditor(id: Option<String>, locale: Locale, base: &'static str) -> impl IntoView {
    let tx = kt(locale);
    let version = RwSignal::new(0u32);
    let edit = Resource::new(
        move || (id.clone(), version.get()),
        |(id, _)| async move {
            match id {
                Some(id) => kb_article_edit(id).await.map(Some),
                None => Ok(None),
            }
        },
    );
    let categories = Resource::new(|| (), |_| kb_categories());
    view! {
        <p><a class="muted small" href=base>"← " {tx.back}</a></p>
        <Suspense fallback=|| view! { <div class="loading"></div> }>
            {move || Suspend::new(async move {
                match (edit.await, categories.await) {
                    (Err(e), _) | (_, Err(e)) => view! { <ErrorBox error=e/> }.into_any(),
                    (Ok(e), Ok(c)) => view! {
                        <EditorForm edit=e categories=c locale base on_saved=Callback::new(move |_| version.update(|v| *v += 1))/>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn EditorForm(
    edit: Option<ArticleEdit>,
    categories: Vec<CategoryView>,
    locale: Locale,
    base: &'static str,
    on_saved: Callback<()>,
) -> impl IntoView {
    let tx = kt(locale);
    let navigate = use_navigate();
    let c = edit.as_ref().map(|e| e.content.clone());
    let s = |v: Option<String>| RwSignal::new(v.unwrap_or_default());
    let title = s(c.as_ref().map(|c| c.title.clone()));
    let body = s(c.as_ref().map(|c| c.body.clone()));
    let category = s(c
        .as_ref()
        .map(|c| c.category.clone())
        .or_else(|| categories.first().map(|c| c.path.clone())));
    let tags = s(c.as_ref().map(|c| c.tags.join(", ")));
    let questions = s(c.as_ref().map(|c| c.similar_questions.join("\n")));
    let audience = s(Some(
        c.as_ref()
            .map(|c| c.audience)
            .unwrap_or(Audience::Internal)
            .code()
            .to_owned(),
    ));
    let en_title = s(c
        .as_ref()
        .and_then(|c| c.en.as_ref().map(|t| t.title.clone())));
    let en_body = s(c
        .as_ref()
        .and_then(|c| c.en.as_ref().map(|t| t.body.clone())));
    let message = RwSignal::new(None::<(bool, String)>);
    let busy = RwSignal::new(false);
    let editable = edit
        .as_ref()
        .is_none_or(|e| e.actions.iter().any(|a| a == "edit"));
    let content = move || ArticleContent {
        title: title.get_untracked(),
        body: body.get_untracked(),
        category: category.get_untracked(),
        tags: tags
            .get_untracked()
            .split([',', '，'])
            .map(|t| t.trim().to_owned())
            .filter(|t| !t.is_empty())
            .collect(),
        similar_questions: lines(&questions.get_untracked()),
        audience: Audience::from_code(&audience.get_untracked()).unwrap_or(Audience::Internal),
        en: Some(Translation {
            title: en_title.get_untracked(),
            body: en_body.get_untracked(),
        }),
    };
    let (id, rev) = (
        edit.as_ref().map(|e| e.id.clone()),
        edit.as_ref().map(|e| e.rev).unwrap_or(0),
    );
    let act = {
        let navigate = navigate.clone();
        move |action: ArticleAction| {
            let id = id.clone();
            let navigate = navigate.clone();
            busy.set(true);
            message.set(None);
            spawn_local(async move {
                let result = match id {
                    Some(id) => kb_article_action(id.clone(), rev, action).await.map(|_| id),
                    None => match action {
                        ArticleAction::Edit { content } => kb_create_article(content).await,
                        _ => Ok(String::new()),
                    },
                };
                busy.set(false);
                match result {
                    Ok(id) => {
                        message.set(Some((true, tx.saved.to_owned())));
                        navigate(&format!("{base}?edit={id}"), Default::default());
                        on_saved.run(());
                    }
                    Err(e) => message.set(Some((false, e.to_string()))),
                }
            });
        }
    };
    let save = {
        let act = act.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            act(ArticleAction::Edit { content: content() });
        }
    };
    let actions = edit.as_ref().map(|e| e.actions.clone()).unwrap_or_default();
    let action_button = move |code: &str| -> Option<AnyView> {
        let (label, action) = match code {
            "submit" => (tx.submit_review, ArticleAction::Submit),
            "publish" => (tx.publish, ArticleAction::Publish),
            "reject" => (tx.reject, ArticleAction::Reject),
            "archive" => (tx.archive, ArticleAction::Archive),
            "revise" => (tx.revise, ArticleAction::Revise),
            _ => return None,
        };
        let act = act.clone();
        Some(view! {
            <button type="button" class="btn" data-action=code.to_owned() disabled=move || busy.get()
                on:click=move |_| act(action.clone())>{label}</button>
        }.into_any())
    };
    let field = |label: &'static str, input: AnyView| {
        view! {
            <label class="field"><span class="field-label">{label}</span>{input}</label>
        }
    };
    let meta = edit.clone();
    let has_edit = edit.is_some();
    view! {
        <div class="grid grid-ticket">
            <div class="col-main">
                <Panel title=if has_edit { tx.edit_article } else { tx.new_article }>
                    {meta.map(|e| view! {
                        <div class="ticket-meta" data-testid="article-status">
                            <span class=format!("chip status-{}", e.status.code)>{e.status.name.clone()}</span>
                            <span class="muted small">{tx.working_version} " " {e.version}</span>
                            {e.live.map(|v| view! { <span class="chip">{tx.live_version} " v" {v}</span> })}
                            <span class="muted small">{tx.author} ": " {e.author.clone()}</span>
                            {e.live.map(|_| view! { <a class="small" href=format!("{base}?article={}", e.id)>{tx.view_published}</a> })}
                        </div>
                    })}
                    {move || message.get().map(|(ok, m)| view! {
                        <div class=if ok { "alert alert-ok" } else { "alert alert-error prewrap" } role="alert" data-testid="editor-message">{m}</div>
                    })}
                    <form class="form" on:submit=save novalidate>
                        <fieldset disabled=!editable>
                        {field(tx.col_title, view! { <input type="text" name="title" bind:value=title maxlength="120" required/> }.into_any())}
                        <div class="form-row">
                            {field(tx.category, view! {
                                <select name="category" on:change=move |ev| category.set(event_target_value(&ev))>
                                    {categories.iter().map(|c| {
                                        let sel = c.path == category.get_untracked();
                                        let indent = "\u{a0}\u{a0}".repeat(c.depth);
                                        view! { <option value=c.path.clone() selected=sel>{indent}{c.name.clone()}</option> }
                                    }).collect_view()}
                                </select>
                            }.into_any())}
                            {field(tx.col_audience, view! {
                                <select name="audience" on:change=move |ev| audience.set(event_target_value(&ev))>
                                    <option value="internal" selected=audience.get_untracked() == "internal">{tx.audience_internal}</option>
                                    <option value="public" selected=audience.get_untracked() == "public">{tx.audience_public}</option>
                                </select>
                            }.into_any())}
                        </div>
                        {field(tx.body_markdown, view! { <textarea name="body" rows="12" bind:value=body class="mono"></textarea> }.into_any())}
                        {field(tx.tags, view! { <input type="text" name="tags" bind:value=tags placeholder=tx.tags_hint/> }.into_any())}
                        {field(tx.similar_questions, view! { <textarea name="questions" rows="4" bind:value=questions placeholder=tx.one_per_line></textarea> }.into_any())}
                        <details class="kb-en" open=!en_title.get_untracked().is_empty()>
                            <summary>{tx.english_version}</summary>
                            {field(tx.col_title, view! { <input type="text" name="en_title" bind:value=en_title maxlength="120"/> }.into_any())}
                            {field(tx.body_markdown, view! { <textarea name="en_body" rows="8" bind:value=en_body class="mono"></textarea> }.into_any())}
                        </details>
                        </fieldset>
                        <div class="form-actions">
                            {editable.then(|| view! {
                                <button type="submit" class="btn btn-primary" disabled=move || busy.get() data-testid="save-article">{tx.save_draft}</button>
                            })}
                            {actions.iter().filter_map(|a| action_button(a)).collect_view()}
                        </div>
                    </form>
                </Panel>
            </div>
            <div class="col-side">
                {edit.map(|e| view! { <Versions e locale/> })}
            </div>
        </div>
    }
}

#[component]
fn Versions(e: ArticleEdit, locale: Locale) -> impl IntoView {
    let tx = kt(locale);
    let id = e.id.clone();
    let diff = RwSignal::new(None::<Result<Vec<DiffRow>, String>>);
    let show = move |from: u32, to: u32| {
        let id = id.clone();
        spawn_local(async move {
            diff.set(Some(kb_diff(id, from, to).await.map_err(|e| e.to_string())));
        });
    };
    view! {
        <Panel title=tx.preview>
            <div class="kb-body kb-preview" inner_html=e.preview.clone()></div>
        </Panel>
        <Panel title=tx.versions>
            <ol class="versions" data-testid="versions">
                {e.versions.iter().map(|v| {
                    let show = show.clone();
                    let n = v.version;
                    view! {
                        <li>
                            <strong>"v" {n}</strong> " " {v.title.clone()}
                            <div class="muted small">{v.editor.clone()} " · " {v.saved.clone()}</div>
                            {(n > 1).then(|| view! {
                                <button type="button" class="btn btn-small btn-ghost" data-diff=n
                                    on:click=move |_| show(n - 1, n)>{tx.diff_previous}</button>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ol>
            {move || diff.get().map(|d| match d {
                Err(m) => view! { <p class="form-error">{m}</p> }.into_any(),
                Ok(rows) => view! {
                    <pre class="diff" data-testid="diff">
                        {rows.into_iter().map(|r| {
                            let sign = match r.op.as_str() { "added" => "+ ", "removed" => "- ", _ => "  " };
                            view! { <span class=format!("diff-{}", r.op)>{sign}{r.line}"\n"</span> }
                        }).collect_view()}
                    </pre>
                }.into_any(),
            })}
        </Panel>
    }
}

#[component]
fn FlowPage(id: String, locale: Locale, base: &'static str) -> impl IntoView {
    let tx = kt(locale);
    let version = RwSignal::new(0u32);
    let flow = Resource::new(move || (id.clone(), version.get()), |(id, _)| kb_flow(id));
    let navigate = use_navigate();
    let error = RwSignal::new(None::<String>);
    let start = move |flow_id: String| {
        let navigate = navigate.clone();
        spawn_local(async move {
            match kb_start_run(flow_id, None).await {
                Ok(run) => navigate(&format!("{base}?run={}", run.id), Default::default()),
                Err(e) => error.set(Some(e.to_string())),
            }
        });
    };
    view! {
        <p><a class="muted small" href=format!("{base}?tab=flows")>"← " {tx.back}</a></p>
        <Suspense fallback=|| view! { <div class="loading"></div> }>
            {move || Suspend::new({
                let start = start.clone();
                async move {
                match flow.await {
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    Ok(f) => {
                        let fid = f.id.clone();
                        let live = f.live.is_some();
                        let (editable, diagram) = (f.editable, f.diagram.clone());
                        view! {
                            <div class="kb-head">
                                <h1>{f.title.clone()}</h1>
                                <div class="ticket-meta">
                                    {match f.live {
                                        Some(v) => view! { <span class="chip">{tx.live_version} " v" {v}</span> }.into_any(),
                                        None => view! { <span class="chip status-draft">{tx.unpublished}</span> }.into_any(),
                                    }}
                                    {live.then(|| view! {
                                        <button type="button" class="btn btn-primary" data-testid="start-run"
                                            on:click=move |_| start(fid.clone())>{tx.start_flow}</button>
                                    })}
                                </div>
                                {move || error.get().map(|m| view! { <div class="alert alert-error" role="alert">{m}</div> })}
                            </div>
                            <Panel title=tx.diagram>
                                <FlowDiagram diagram=diagram label=tx.diagram/>
                            </Panel>
                            {editable.then(|| view! {
                                <FlowEditor flow=Some(f.clone()) locale base on_saved=Callback::new(move |_| version.update(|v| *v += 1))/>
                            })}
                        }.into_any()
                    }
                }
            }})}
        </Suspense>
    }
}

/// One editable node row.
#[derive(Clone)]
struct NodeRow {
    id: RwSignal<String>,
    kind: RwSignal<String>,
    zh: RwSignal<String>,
    en: RwSignal<String>,
    fields: RwSignal<String>,
    outcome: RwSignal<String>,
}

/// One editable edge row.
#[derive(Clone)]
struct EdgeRow {
    from: RwSignal<String>,
    to: RwSignal<String>,
    field: RwSignal<String>,
    op: RwSignal<String>,
    value: RwSignal<String>,
    default: RwSignal<bool>,
}

fn field_lines(fields: &[loopdesk::flow::Field]) -> String {
    use loopdesk::flow::FieldKind;
    fields
        .iter()
        .map(|f| {
            let kind = match &f.kind {
                FieldKind::Text => "text".to_owned(),
                FieldKind::Number => "number".to_owned(),
                FieldKind::Date => "date".to_owned(),
                FieldKind::Choice { options } => format!("choice:{}", options.join(",")),
            };
            format!(
                "{} | {} | {} | {}{}",
                f.name,
                f.label_zh,
                f.label_en,
                kind,
                if f.required { " | required" } else { "" }
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn parse_fields(text: &str) -> Vec<loopdesk::flow::Field> {
    use loopdesk::flow::{Field, FieldKind};
    lines(text)
        .iter()
        .map(|l| {
            let p: Vec<&str> = l.split('|').map(str::trim).collect();
            let kind = match p.get(3).copied().unwrap_or("text") {
                "number" => FieldKind::Number,
                "date" => FieldKind::Date,
                k if k.starts_with("choice") => FieldKind::Choice {
                    options: k
                        .trim_start_matches("choice")
                        .trim_start_matches(':')
                        .split(',')
                        .map(|o| o.trim().to_owned())
                        .filter(|o| !o.is_empty())
                        .collect(),
                },
                _ => FieldKind::Text,
            };
            Field {
                name: p.first().copied().unwrap_or_default().to_owned(),
                label_zh: p.get(1).copied().unwrap_or_default().to_owned(),
                label_en: p.get(2).copied().unwrap_or_default().to_owned(),
                kind,
                required: p.get(4).is_some_and(|r| *r == "required"),
            }
        })
        .collect()
}

/// The structured form editor of a flow: settings, nodes and edges as rows.
#[component]
fn FlowEditor(
    flow: Option<FlowView>,
    locale: Locale,
    base: &'static str,
    #[prop(optional)] on_saved: Option<Callback<()>>,
) -> impl IntoView {
    use loopdesk::flow::{Condition, Edge, FlowDef, Node, NodeKind, Op, Outcome};
    let tx = kt(locale);
    let navigate = use_navigate();
    let def = flow.as_ref().map(|f| f.def.clone()).unwrap_or(FlowDef {
        title_zh: String::new(),
        title_en: String::new(),
        nodes: vec![
            Node {
                id: "start".into(),
                kind: NodeKind::Start,
            },
            Node {
                id: "end".into(),
                kind: NodeKind::End {
                    outcome: Outcome::Resolved {
                        note_zh: "已解决".into(),
                        note_en: "Solved".into(),
                    },
                },
            },
        ],
        edges: vec![Edge {
            from: "start".into(),
            to: "end".into(),
            when: None,
            default: false,
        }],
    });
    fn s(v: String) -> RwSignal<String> {
        RwSignal::new(v)
    }
    let title_zh = s(def.title_zh.clone());
    let title_en = s(def.title_en.clone());
    let audience = s(flow
        .as_ref()
        .map(|f| f.audience)
        .unwrap_or(Audience::Internal)
        .code()
        .to_owned());
    let category = s(flow
        .as_ref()
        .map(|f| f.category.clone())
        .unwrap_or_default());
    let keywords = s(flow
        .as_ref()
        .map(|f| f.keywords.join("\n"))
        .unwrap_or_default());
    let node_row = |n: &Node| {
        let (kind, zh, en, fields, outcome) = match &n.kind {
            NodeKind::Start => (
                "start",
                String::new(),
                String::new(),
                String::new(),
                String::new(),
            ),
            NodeKind::Gateway => (
                "gateway",
                String::new(),
                String::new(),
                String::new(),
                String::new(),
            ),
            NodeKind::Task {
                instructions_zh,
                instructions_en,
                fields,
            } => (
                "task",
                instructions_zh.clone(),
                instructions_en.clone(),
                field_lines(fields),
                String::new(),
            ),
            NodeKind::End { outcome } => match outcome {
                Outcome::Resolved { note_zh, note_en } => (
                    "end",
                    note_zh.clone(),
                    note_en.clone(),
                    String::new(),
                    String::new(),
                ),
                Outcome::RegisterTicket {
                    kind,
                    category,
                    subject,
                } => (
                    "ticket",
                    subject.clone(),
                    String::new(),
                    String::new(),
                    format!("{} | {}", kind.code(), category),
                ),
            },
        };
        NodeRow {
            id: s(n.id.clone()),
            kind: s(kind.into()),
            zh: s(zh),
            en: s(en),
            fields: s(fields),
            outcome: s(outcome),
        }
    };
    let nodes = RwSignal::new(def.nodes.iter().map(node_row).collect::<Vec<_>>());
    let edge_row = |e: &Edge| EdgeRow {
        from: s(e.from.clone()),
        to: s(e.to.clone()),
        field: s(e.when.as_ref().map(|c| c.field.clone()).unwrap_or_default()),
        op: s(e
            .when
            .as_ref()
            .map(|c| {
                serde_json::to_value(c.op)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default()
            })
            .unwrap_or_else(|| "eq".into())),
        value: s(e.when.as_ref().map(|c| c.value.clone()).unwrap_or_default()),
        default: RwSignal::new(e.default),
    };
    let edges = RwSignal::new(def.edges.iter().map(edge_row).collect::<Vec<_>>());
    let message = RwSignal::new(None::<(bool, String)>);
    let busy = RwSignal::new(false);
    let problems = flow
        .as_ref()
        .map(|f| f.problems.clone())
        .unwrap_or_default();
    let build = move || -> FlowDef {
        let g = |s: RwSignal<String>| s.get_untracked().trim().to_owned();
        let nodes = nodes
            .get_untracked()
            .iter()
            .map(|r| {
                let kind = match g(r.kind).as_str() {
                    "start" => NodeKind::Start,
                    "gateway" => NodeKind::Gateway,
                    "task" => NodeKind::Task {
                        instructions_zh: g(r.zh),
                        instructions_en: g(r.en),
                        fields: parse_fields(&r.fields.get_untracked()),
                    },
                    "ticket" => {
                        let o = g(r.outcome);
                        let mut p = o.split('|').map(str::trim);
                        NodeKind::End {
                            outcome: Outcome::RegisterTicket {
                                kind: p
                                    .next()
                                    .and_then(loopdesk::ticket::TicketKind::from_code)
                                    .unwrap_or(loopdesk::ticket::TicketKind::Inquiry),
                                category: p.next().unwrap_or_default().to_owned(),
                                subject: g(r.zh),
                            },
                        }
                    }
                    _ => NodeKind::End {
                        outcome: Outcome::Resolved {
                            note_zh: g(r.zh),
                            note_en: g(r.en),
                        },
                    },
                };
                Node { id: g(r.id), kind }
            })
            .collect();
        let edges = edges
            .get_untracked()
            .iter()
            .map(|e| {
                let field = g(e.field);
                let op: Op =
                    serde_json::from_value(serde_json::Value::String(g(e.op))).unwrap_or(Op::Eq);
                Edge {
                    from: g(e.from),
                    to: g(e.to),
                    when: (!field.is_empty()).then(|| Condition {
                        field,
                        op,
                        value: g(e.value),
                    }),
                    default: e.default.get_untracked(),
                }
            })
            .collect();
        FlowDef {
            title_zh: g(title_zh),
            title_en: g(title_en),
            nodes,
            edges,
        }
    };
    let (id, rev) = (
        flow.as_ref().map(|f| f.id.clone()),
        flow.as_ref().map(|f| f.rev).unwrap_or(0),
    );
    let save = {
        let id = id.clone();
        let navigate = navigate.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let form = FlowForm {
                def: build(),
                audience: Audience::from_code(&audience.get_untracked())
                    .unwrap_or(Audience::Internal),
                category: category.get_untracked(),
                keywords: lines(&keywords.get_untracked()),
            };
            let id = id.clone();
            let navigate = navigate.clone();
            busy.set(true);
            spawn_local(async move {
                let result = kb_save_flow(id.clone(), rev, form).await;
                busy.set(false);
                match result {
                    Ok(new_id) => {
                        message.set(Some((true, tx.saved.to_owned())));
                        match (id, on_saved) {
                            (Some(_), Some(cb)) => cb.run(()),
                            _ => navigate(&format!("{base}?flow={new_id}"), Default::default()),
                        }
                    }
                    Err(e) => message.set(Some((false, e.to_string()))),
                }
            });
        }
    };
    let publish = {
        let id = id.clone();
        move |_| {
            let Some(id) = id.clone() else { return };
            busy.set(true);
            spawn_local(async move {
                let result = kb_publish_flow(id, rev).await;
                busy.set(false);
                match result {
                    Ok(v) => {
                        message.set(Some((true, format!("{} v{v}", tx.published))));
                        if let Some(cb) = on_saved {
                            cb.run(());
                        }
                    }
                    Err(e) => message.set(Some((false, e.to_string()))),
                }
            });
        }
    };
    let add_node = move |_| {
        nodes.update(|n| {
            n.push(node_row(&Node {
                id: format!("n{}", n.len() + 1),
                kind: NodeKind::Gateway,
            }))
        })
    };
    let add_edge = move |_| {
        edges.update(|e| {
            e.push(EdgeRow {
                from: s(String::new()),
                to: s(String::new()),
                field: s(String::new()),
                op: s("eq".into()),
                value: s(String::new()),
                default: RwSignal::new(false),
            })
        })
    };
    view! {
        <Panel title=tx.flow_editor>
            {(!problems.is_empty()).then(|| view! {
                <div class="alert alert-error" role="alert" data-testid="flow-problems">
                    <strong>{tx.flow_problems}</strong>
                    <ul>{problems.iter().map(|p| view! { <li>{p.clone()}</li> }).collect_view()}</ul>
                </div>
            })}
            {move || message.get().map(|(ok, m)| view! {
                <div class=if ok { "alert alert-ok" } else { "alert alert-error prewrap" } role="alert" data-testid="flow-message">{m}</div>
            })}
            <form class="form flow-editor" on:submit=save novalidate>
                <div class="form-row">
                    <label class="field"><span class="field-label">{tx.title_zh}</span><input type="text" bind:value=title_zh/></label>
                    <label class="field"><span class="field-label">{tx.title_en}</span><input type="text" bind:value=title_en/></label>
                </div>
                <div class="form-row">
                    <label class="field"><span class="field-label">{tx.col_audience}</span>
                        <select on:change=move |ev| audience.set(event_target_value(&ev))>
                            <option value="internal" selected=audience.get_untracked() == "internal">{tx.audience_internal}</option>
                            <option value="public" selected=audience.get_untracked() == "public">{tx.audience_public}</option>
                        </select></label>
                    <label class="field"><span class="field-label">{tx.category_path}</span><input type="text" bind:value=category placeholder="broadband/fault"/></label>
                </div>
                <label class="field"><span class="field-label">{tx.keywords}</span><textarea rows="2" bind:value=keywords placeholder=tx.one_per_line></textarea></label>
                <h3>{tx.nodes}</h3>
                <p class="muted small">{tx.nodes_hint}</p>
                <div class="table-wrap">
                <table class="table flow-rows">
                    <thead><tr><th>{tx.node_id}</th><th>{tx.node_type}</th><th>{tx.node_text}</th><th>{tx.node_fields}</th><th></th></tr></thead>
                    <tbody>
                        {move || nodes.get().into_iter().enumerate().map(|(i, r)| view! {
                            <tr>
                                <td><input type="text" bind:value=r.id size="8"/></td>
                                <td>
                                    <select on:change=move |ev| r.kind.set(event_target_value(&ev))>
                                        {[("start", tx.type_start), ("task", tx.type_task), ("gateway", tx.type_gateway), ("end", tx.type_end), ("ticket", tx.type_ticket)].into_iter().map(|(code, label)| view! {
                                            <option value=code selected=r.kind.get_untracked() == code>{label}</option>
                                        }).collect_view()}
                                    </select>
                                </td>
                                <td>
                                    {move || matches!(r.kind.get().as_str(), "task" | "end" | "ticket").then(|| view! {
                                        <textarea rows="2" bind:value=r.zh placeholder=tx.text_zh></textarea>
                                    })}
                                    {move || matches!(r.kind.get().as_str(), "task" | "end").then(|| view! {
                                        <textarea rows="2" bind:value=r.en placeholder=tx.text_en></textarea>
                                    })}
                                </td>
                                <td>
                                    {move || (r.kind.get() == "task").then(|| view! {
                                        <textarea rows="2" class="mono small" bind:value=r.fields placeholder=tx.fields_hint></textarea>
                                    })}
                                    {move || (r.kind.get() == "ticket").then(|| view! {
                                        <input type="text" class="mono small" bind:value=r.outcome placeholder=tx.outcome_hint/>
                                    })}
                                </td>
                                <td><button type="button" class="btn btn-small btn-ghost" on:click=move |_| nodes.update(|n| { n.remove(i); })>{tx.remove}</button></td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
                </div>
                <button type="button" class="btn btn-small" on:click=add_node>{tx.add_node}</button>
                <h3>{tx.edges}</h3>
                <div class="table-wrap">
                <table class="table flow-rows">
                    <thead><tr><th>{tx.edge_from}</th><th>{tx.edge_to}</th><th>{tx.edge_condition}</th><th>{tx.edge_default}</th><th></th></tr></thead>
                    <tbody>
                        {move || edges.get().into_iter().enumerate().map(|(i, e)| view! {
                            <tr>
                                <td><input type="text" bind:value=e.from size="8"/></td>
                                <td><input type="text" bind:value=e.to size="8"/></td>
                                <td><div class="cond">
                                    <input type="text" bind:value=e.field size="8" placeholder=tx.edge_field/>
                                    <select on:change=move |ev| e.op.set(event_target_value(&ev))>
                                        {["eq", "ne", "gt", "ge", "lt", "le", "contains"].into_iter().map(|o| view! {
                                            <option value=o selected=e.op.get_untracked() == o>{o}</option>
                                        }).collect_view()}
                                    </select>
                                    <input type="text" bind:value=e.value size="8" placeholder=tx.edge_value/>
                                </div></td>
                                <td><input type="checkbox" bind:checked=e.default/></td>
                                <td><button type="button" class="btn btn-small btn-ghost" on:click=move |_| edges.update(|v| { v.remove(i); })>{tx.remove}</button></td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
                </div>
                <button type="button" class="btn btn-small" on:click=add_edge>{tx.add_edge}</button>
                <div class="form-actions">
                    <button type="submit" class="btn btn-primary" disabled=move || busy.get() data-testid="save-flow">{tx.save_draft}</button>
                    {id.is_some().then(|| view! {
                        <button type="button" class="btn" disabled=move || busy.get() on:click=publish data-testid="publish-flow">{tx.publish}</button>
                    })}
                </div>
            </form>
        </Panel>
    }
}

#[component]
fn RunPage(id: String, locale: Locale, base: &'static str) -> impl IntoView {
    let tx = kt(locale);
    let run = Resource::new(move || id.clone(), kb_run);
    view! {
        <p><a class="muted small" href=format!("{base}?tab=runs")>"← " {tx.back}</a></p>
        <Suspense fallback=|| view! { <div class="loading"></div> }>
            {move || Suspend::new(async move {
                match run.await {
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    Ok(r) => view! { <RunBody initial=r locale base/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn RunBody(initial: RunView, locale: Locale, base: &'static str) -> impl IntoView {
    let tx = kt(locale);
    let run = RwSignal::new(initial);
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let answers = RwSignal::new(BTreeMap::<String, String>::new());
    let reset_answers = move |r: &RunView| {
        answers.set(
            r.fields
                .iter()
                .map(|f| (f.name.clone(), f.value.clone()))
                .collect(),
        );
    };
    reset_answers(&run.get_untracked());
    let done = move |result: Result<RunView, crate::error::AppError>| {
        busy.set(false);
        match result {
            Ok(r) => {
                reset_answers(&r);
                error.set(None);
                run.set(r);
            }
            Err(e) => error.set(Some(e.to_string())),
        }
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let r = run.get_untracked();
        busy.set(true);
        spawn_local(async move { done(kb_submit_run(r.id, r.rev, answers.get_untracked()).await) });
    };
    let back = move |_| {
        let r = run.get_untracked();
        busy.set(true);
        spawn_local(async move { done(kb_rollback_run(r.id, r.rev).await) });
    };
    view! {
        {move || {
            let r = run.get();
            let (form_node, diagram_node) = (r.node.clone(), r.node.clone());
            view! {
                <div class="kb-head">
                    <h1>{r.title.clone()}</h1>
                    <span class="muted small">{tx.version} " " {r.version}</span>
                </div>
                <div class="grid grid-ticket">
                    <div class="col-main">
                        <Panel title=if r.finished { tx.flow_done } else { tx.current_step }>
                            {move || error.get().map(|m| view! { <div class="alert alert-error" role="alert" data-testid="run-error">{m}</div> })}
                            {match r.finished {
                                true => view! {
                                    <div class="run-outcome" data-testid="run-outcome">
                                        <p class="prewrap">{r.outcome.clone()}</p>
                                        {r.ticket.clone().map(|n| view! {
                                            <p class="alert alert-ok">{tx.ticket_registered} " " <strong class="mono" data-testid="run-ticket">{n}</strong></p>
                                        })}
                                    </div>
                                }.into_any(),
                                false => view! {
                                    <form class="form" on:submit=submit novalidate data-testid="run-form" data-node=form_node>
                                        <p class="prewrap run-instructions">{r.instructions.clone()}</p>
                                        {r.fields.iter().map(|f| {
                                            let name = f.name.clone();
                                            let value = f.value.clone();
                                            let set = {
                                                let name = name.clone();
                                                move |v: String| answers.update(|a| { a.insert(name.clone(), v); })
                                            };
                                            let input = match f.kind.as_str() {
                                                "choice" => {
                                                    view! {
                                                        <div class="choices" role="radiogroup">
                                                            {f.options.iter().map(|o| {
                                                                let set = set.clone();
                                                                let o2 = o.clone();
                                                                view! {
                                                                    <label class="choice">
                                                                        <input type="radio" name=name.clone() value=o.clone() checked=value == *o
                                                                            on:change=move |_| set(o2.clone())/>
                                                                        " " {option_label(o, locale)}
                                                                    </label>
                                                                }
                                                            }).collect_view()}
                                                        </div>
                                                    }.into_any()
                                                }
                                                kind => {
                                                    let t = match kind { "number" => "number", "date" => "date", _ => "text" };
                                                    view! { <input type=t name=name value=value on:input=move |ev| set(event_target_value(&ev))/> }.into_any()
                                                }
                                            };
                                            view! {
                                                <div class="field">
                                                    <span class="field-label">{f.label.clone()} {f.required.then_some(" *")}</span>
                                                    {input}
                                                </div>
                                            }
                                        }).collect_view()}
                                        <div class="form-actions">
                                            <button type="submit" class="btn btn-primary" disabled=move || busy.get() data-testid="run-next">{tx.next}</button>
                                            {r.can_rollback.then(|| view! {
                                                <button type="button" class="btn" disabled=move || busy.get() on:click=back data-testid="run-back">{tx.back_step}</button>
                                            })}
                                        </div>
                                    </form>
                                }.into_any(),
                            }}
                            {(r.finished && r.can_rollback).then(|| view! {
                                <button type="button" class="btn" on:click=back data-testid="run-back">{tx.back_step}</button>
                            })}
                        </Panel>
                        <Panel title=tx.diagram>
                            <FlowDiagram diagram=r.diagram.clone() current=diagram_node label=tx.diagram/>
                        </Panel>
                    </div>
                    <div class="col-side">
                        <Panel title=tx.history>
                            <ol class="run-history" data-testid="run-history">
                                {r.history.iter().map(|s| view! {
                                    <li class:rolled-back=s.rolled_back>
                                        <strong>{s.title.clone()}</strong>
                                        {s.rolled_back.then(|| view! { " " <span class="chip">{tx.rolled_back}</span> })}
                                        <div class="muted small">{s.at.clone()}</div>
                                        <ul>{s.answers.iter().map(|(k, v)| view! { <li>{k.clone()} ": " {option_label(v, locale)}</li> }).collect_view()}</ul>
                                    </li>
                                }).collect_view()}
                            </ol>
                            <p><a class="small" href=format!("{base}?flow={}", r.flow)>{tx.view_flow}</a></p>
                        </Panel>
                    </div>
                </div>
            }
        }}
    }
}

/// Choice option codes in words where they are common (`yes`, `no`, light colours …).
fn option_label(code: &str, locale: Locale) -> String {
    let zh = locale == Locale::ZhCn;
    let word = match (code, zh) {
        ("yes", true) => "是",
        ("yes", false) => "Yes",
        ("no", true) => "否",
        ("no", false) => "No",
        ("red", true) => "红灯",
        ("red", false) => "Red",
        ("off", true) => "熄灭",
        ("off", false) => "Off",
        ("data", true) => "流量费",
        ("data", false) => "Data",
        ("value_added", true) => "增值业务费",
        ("value_added", false) => "Value-added services",
        ("roaming", true) => "漫游费",
        ("roaming", false) => "Roaming",
        ("other", true) => "其他",
        ("other", false) => "Other",
        _ => return code.to_owned(),
    };
    word.to_owned()
}

/// The portal's answer bot.
#[component]
fn BotPanel(locale: Locale, base: &'static str) -> impl IntoView {
    let tx = kt(locale);
    let bot = RwSignal::new(None::<BotView>);
    let error = RwSignal::new(None::<String>);
    let text = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    Effect::new(move |_| {
        spawn_local(async move {
            match bot_start().await {
                Ok(b) => bot.set(Some(b)),
                Err(e) => error.set(Some(e.to_string())),
            }
        });
    });
    let run = move |f: std::pin::Pin<
        Box<dyn std::future::Future<Output = Result<BotView, crate::error::AppError>>>,
    >| {
        busy.set(true);
        spawn_local(async move {
            match f.await {
                Ok(b) => {
                    error.set(None);
                    bot.set(Some(b));
                }
                Err(e) => error.set(Some(e.to_string())),
            }
            busy.set(false);
        });
    };
    let current = move || {
        bot.get_untracked()
            .map(|b| (b.id, b.rev))
            .unwrap_or_default()
    };
    let ask = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (id, rev) = current();
        let q = text.get_untracked();
        text.set(String::new());
        run(Box::pin(bot_ask(id, rev, q)));
    };
    view! {
        <p><a class="muted small" href=base>"← " {tx.back}</a></p>
        <Panel title=tx.bot_title>
            <div class="bot" data-testid="bot">
                <div class="bot-line bot-bot"><p>{tx.bot_greeting}</p></div>
                {move || bot.get().map(|b| {
                    let open = b.status == "open";
                    view! {
                        {b.lines.into_iter().map(|l| view! {
                            <div class=format!("bot-line bot-{}", l.who)>
                                <p>{l.text.clone()}</p>
                                {l.html.map(|h| view! { <div class="kb-body bot-answer" inner_html=h></div> })}
                                {(l.links.len() == 1 && l.who == "bot").then(|| {
                                    let (id, _) = l.links[0].clone();
                                    view! { <a class="small" href=format!("{base}?article={id}")>{tx.open_article}</a> }
                                })}
                                {l.flow.map(|(id, title)| view! {
                                    <a class="btn btn-small" href=format!("{base}?flow={id}") data-testid="bot-flow">{title}</a>
                                })}
                            </div>
                        }).collect_view()}
                        {(!b.choices.is_empty()).then(|| view! {
                            <div class="bot-choices" data-testid="bot-choices">
                                {b.choices.iter().map(|(id, title)| {
                                    let id = id.clone();
                                    view! {
                                        <button type="button" class="btn btn-small" on:click=move |_| {
                                            let (cid, rev) = current();
                                            run(Box::pin(bot_choose(cid, rev, id.clone())));
                                        }>{title.clone()}</button>
                                    }
                                }).collect_view()}
                            </div>
                        })}
                        {b.can_rate.then(|| view! {
                            <div class="bot-rate">
                                <span>{tx.did_it_help}</span>
                                <button type="button" class="btn btn-small" data-testid="bot-helped" on:click=move |_| {
                                    let (id, rev) = current();
                                    run(Box::pin(bot_feedback(id, rev, true)));
                                }>{tx.helped}</button>
                                <button type="button" class="btn btn-small" data-testid="bot-not-helped" on:click=move |_| {
                                    let (id, rev) = current();
                                    run(Box::pin(bot_feedback(id, rev, false)));
                                }>{tx.not_helped}</button>
                            </div>
                        })}
                        {match b.status.as_str() {
                            "solved" => view! { <p class="alert alert-ok">{tx.bot_solved}</p> }.into_any(),
                            "handed_over" => view! {
                                <p class="alert alert-ok" data-testid="bot-ticket">{tx.bot_handed_over} " " <strong class="mono">{b.ticket.clone()}</strong></p>
                            }.into_any(),
                            _ => ().into_any(),
                        }}
                        {open.then(|| view! {
                            <form class="bot-ask" on:submit=ask>
                                <input type="text" bind:value=text placeholder=tx.bot_placeholder aria-label=tx.bot_placeholder maxlength="500" data-testid="bot-q"/>
                                <button type="submit" class="btn btn-primary" disabled=move || busy.get()>{tx.send}</button>
                                <button type="button" class="btn btn-ghost" disabled=move || busy.get() data-testid="bot-hand-over" on:click=move |_| {
                                    let (id, rev) = current();
                                    run(Box::pin(bot_hand_over(id, rev)));
                                }>{tx.hand_over}</button>
                            </form>
                        })}
                    }
                })}
                {move || error.get().map(|m| view! { <div class="alert alert-error" role="alert">{m}</div> })}
            </div>
        </Panel>
    }
}

/// Loads suggestions in the browser once the page is live: they never hold up the page,
/// and the server-rendered page and the hydrated one agree (both start empty).
fn after_hydration<F, Fut>(load: F) -> RwSignal<Option<Suggestions>>
where
    F: Fn() -> Fut + 'static,
    Fut: std::future::Future<Output = Result<Suggestions, crate::error::AppError>> + 'static,
{
    let data = RwSignal::new(None::<Suggestions>);
    Effect::new(move |_| {
        let fut = load();
        spawn_local(async move {
            // A failure leaves the panel empty: suggestions are a help, not the work.
            data.set(Some(fut.await.unwrap_or_default()));
        });
    });
    data
}

/// Suggested articles and flows on the ticket page; "insert" puts an article's answer into
/// the reply.
#[component]
pub fn SuggestionsPanel(
    ticket: String,
    locale: Locale,
    on_insert: Callback<String>,
) -> impl IntoView {
    let tx = kt(locale);
    let ticket = StoredValue::new(ticket);
    let data = after_hydration(move || kb_suggest_for_ticket(ticket.get_value()));
    view! {
        <Panel title=tx.suggestions>
            {move || match data.get() {
                None => view! { <div class="loading"></div> }.into_any(),
                Some(s) if s.articles.is_empty() && s.flows.is_empty() => view! {
                    <p class="muted small">{tx.no_suggestions}</p>
                }.into_any(),
                Some(s) => view! {
                    <ul class="suggestions" data-testid="suggestions">
                        {s.articles.into_iter().map(|h| {
                            let id = h.id.clone();
                            view! {
                                <li>
                                    <a href=format!("/agent/knowledge?article={}", h.id) target="_blank">{marked(h.title)}</a>
                                    <button type="button" class="btn btn-small" data-testid="insert-article" on:click=move |_| {
                                        let id = id.clone();
                                        spawn_local(async move {
                                            if let Ok(text) = kb_use_article(id, Some(ticket.get_value())).await {
                                                on_insert.run(text);
                                            }
                                        });
                                    }>{tx.insert}</button>
                                </li>
                            }
                        }).collect_view()}
                        {s.flows.into_iter().map(|h| view! {
                            <li>
                                <span class="chip">{tx.kind_flow}</span> " "
                                <a href=format!("/agent/knowledge?flow={}", h.id)>{marked(h.title)}</a>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </Panel>
    }
}

/// Suggestions for a ringing call, from the caller's recent tickets (nothing when they
/// have none).
#[component]
pub fn CallSuggestions(customer: String, locale: Locale) -> impl IntoView {
    let tx = kt(locale);
    let data = after_hydration(move || kb_suggest_for_customer(customer.clone()));
    move || {
        let s = data.get().unwrap_or_default();
        let items: Vec<(String, Runs, bool)> = s
            .articles
            .into_iter()
            .take(3)
            .map(|h| (format!("/agent/knowledge?article={}", h.id), h.title, false))
            .chain(
                s.flows
                    .into_iter()
                    .take(2)
                    .map(|h| (format!("/agent/knowledge?flow={}", h.id), h.title, true)),
            )
            .collect();
        (!items.is_empty()).then(|| {
            view! {
                <div class="pop-suggestions" data-testid="pop-suggestions">
                    <span class="muted small">{tx.suggestions} ": "</span>
                    {items.into_iter().map(|(href, title, flow)| view! {
                        <a class="chip" href=href>{flow.then_some("▶ ")}{marked(title)}</a>
                    }).collect_view()}
                </div>
            }
        })
    }
}

/// `/admin/categories`: knowledge categories and synonym groups.
#[component]
pub fn KnowledgeSettingsPage(locale: Locale) -> impl IntoView {
    let tx = kt(locale);
    let version = RwSignal::new(0u32);
    let categories = Resource::new(move || version.get(), |_| kb_categories());
    let synonyms = Resource::new(move || version.get(), |_| kb_synonyms());
    let message = RwSignal::new(None::<(bool, String)>);
    let (path, zh, en, words) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let finish = move |r: Result<(), crate::error::AppError>| match r {
        Ok(()) => {
            message.set(Some((true, tx.saved.to_owned())));
            version.update(|v| *v += 1);
        }
        Err(e) => message.set(Some((false, e.to_string()))),
    };
    let save_category = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        spawn_local(async move {
            finish(
                kb_save_category(path.get_untracked(), zh.get_untracked(), en.get_untracked())
                    .await,
            )
        });
    };
    let add_synonym = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        spawn_local(async move {
            let r = kb_save_synonym(None, words.get_untracked()).await;
            if r.is_ok() {
                words.set(String::new());
            }
            finish(r)
        });
    };
    view! {
        {move || message.get().map(|(ok, m)| view! {
            <div class=if ok { "alert alert-ok" } else { "alert alert-error" } role="alert" data-testid="settings-message">{m}</div>
        })}
        <div class="grid grid-2">
            <Panel title=tx.synonyms>
                <p class="muted small">{tx.synonyms_hint}</p>
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        match synonyms.await {
                            Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                            Ok(list) => view! {
                                <ul class="synonyms" data-testid="synonyms">
                                    {list.into_iter().map(|g| {
                                        let id = g.id.clone();
                                        view! {
                                            <li>
                                                <span>{g.words}</span>
                                                <button type="button" class="btn btn-small btn-ghost" on:click=move |_| {
                                                    let id = id.clone();
                                                    spawn_local(async move { finish(kb_delete_synonym(id).await) });
                                                }>{tx.remove}</button>
                                            </li>
                                        }
                                    }).collect_view()}
                                </ul>
                            }.into_any(),
                        }
                    })}
                </Transition>
                <form class="inline-form" on:submit=add_synonym>
                    <input type="text" bind:value=words placeholder="流量 / 数据" aria-label=tx.synonyms data-testid="synonym-words"/>
                    <button type="submit" class="btn btn-primary btn-small">{tx.add}</button>
                </form>
            </Panel>
            <Panel title=tx.categories>
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        match categories.await {
                            Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                            Ok(list) => view! {
                                <table class="table">
                                    <thead><tr><th>{tx.category_path}</th><th>{tx.name_zh}</th><th>{tx.name_en}</th></tr></thead>
                                    <tbody>
                                        {list.into_iter().map(|c| view! {
                                            <tr><td class="mono small">{c.path}</td><td>{c.name_zh}</td><td>{c.name_en}</td></tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            }.into_any(),
                        }
                    })}
                </Transition>
                <form class="form" on:submit=save_category>
                    <div class="form-row">
                        <label class="field"><span class="field-label">{tx.category_path}</span><input type="text" bind:value=path placeholder="billing/refund"/></label>
                        <label class="field"><span class="field-label">{tx.name_zh}</span><input type="text" bind:value=zh/></label>
                        <label class="field"><span class="field-label">{tx.name_en}</span><input type="text" bind:value=en/></label>
                    </div>
                    <button type="submit" class="btn btn-primary btn-small">{tx.save}</button>
                </form>
            </Panel>
        </div>
    }
}
