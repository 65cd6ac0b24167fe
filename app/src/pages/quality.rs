//! Quality inspection (质检) pages: `/supervisor/quality` — draw a random sample of each
//! agent's handled tickets and calls (or pick one by id), score it against a scorecard with
//! a comment, see the latest reviews and each agent's mean, and edit the scorecards — and
//! `/agent/quality`, where agents read their own results.

use leptos::prelude::*;
use leptos::task::spawn_local;
use loopdesk::locale::Locale;
use loopdesk::quality::Criterion;

use crate::api::supervision::{
    load_my_reviews, load_quality, sample_work, save_scorecard, submit_review,
};
use crate::components::clock::local_time;
use crate::components::icon::IconKind;
use crate::components::panel::{Empty, Panel};
use crate::i18n::supervision::{st, SupervisionTexts};
use crate::pages::errors::ErrorBox;
use crate::views::supervision::{
    QualityView, ReviewInput, ReviewView, SampleItem, ScorecardInput, ScorecardView,
};

/// `/supervisor/quality`.
#[component]
pub fn QualityPage(locale: Locale) -> impl IntoView {
    let tx = st(locale);
    let version = RwSignal::new(0u32);
    let data = Resource::new(move || version.get(), |_| load_quality());
    // Kept outside the reloading body, so a saved review's subject and outcome survive it.
    let form = ReviewState {
        sample: RwSignal::new(None),
        target: RwSignal::new(None),
        result: RwSignal::new(None),
    };
    view! {
        <div class="page-head"><h1>{tx.quality_title}</h1></div>
        <Transition fallback=|| view! { <div class="loading"></div> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    Ok(q) => view! { <QualityBody q locale version form/> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// The scoring form's subject (kind, id, label) and its last outcome.
#[derive(Clone, Copy)]
struct ReviewState {
    sample: RwSignal<Option<Result<Vec<SampleItem>, crate::error::AppError>>>,
    target: RwSignal<Option<(String, String, String)>>,
    result: RwSignal<Option<Result<ReviewView, crate::error::AppError>>>,
}

#[component]
fn QualityBody(
    q: QualityView,
    locale: Locale,
    version: RwSignal<u32>,
    form: ReviewState,
) -> impl IntoView {
    let tx = st(locale);
    let (agents, cards, reviews) = (q.agents.clone(), q.scorecards.clone(), q.reviews.clone());
    let editors = q
        .scorecards
        .iter()
        .map(|c| view! { <ScorecardEditor card=Some(c.clone()) tx version/> })
        .collect_view();
    view! {
        <div class="grid grid-2">
            <Panel title=tx.sample_title>
                <SamplePanel agents tx form/>
            </Panel>
            <Panel title=tx.score>
                <ReviewForm cards tx form version/>
            </Panel>
        </div>
        <div class="grid grid-agent">
            <Panel title=tx.reviews>
                <ReviewList reviews tx show_agent=true/>
            </Panel>
            <Panel title=tx.agent_means>
                {if q.by_agent.is_empty() {
                    view! { <p class="muted">{tx.no_reviews}</p> }.into_any()
                } else {
                    view! {
                        <table class="table compact" data-testid="agent-means">
                            <tbody>
                                {q.by_agent.iter().map(|(a, mean, n)| view! {
                                    <tr><td>{a.name.clone()}</td><td class="num strong">{format!("{mean:.1}")}</td><td class="num muted small">{*n}</td></tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any()
                }}
            </Panel>
        </div>
        <Panel title=tx.scorecards>
            <div class="scorecards">
                {editors}
                <ScorecardEditor card=None tx version/>
            </div>
        </Panel>
    }
}

#[component]
fn SamplePanel(
    agents: Vec<crate::views::RefView>,
    tx: &'static SupervisionTexts,
    form: ReviewState,
) -> impl IntoView {
    let agent = RwSignal::new(String::new());
    let days = RwSignal::new("7".to_owned());
    let per = RwSignal::new("3".to_owned());
    let items = form.sample;
    let seed = RwSignal::new(1u64);
    let draw = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        seed.update(|s| *s += 1);
        let (a, d, p, s) = (
            agent.get_untracked(),
            days.get_untracked().trim().parse().unwrap_or(0),
            per.get_untracked().trim().parse().unwrap_or(0),
            seed.get_untracked(),
        );
        spawn_local(async move {
            items.set(Some(sample_work(a, d, p, s).await));
        });
    };
    view! {
        <form class="form" on:submit=draw data-testid="sample-form">
            <div class="form-row">
                <label class="field"><span class="field-label">{tx.agent}</span>
                    <select name="agent" on:change=move |ev| agent.set(event_target_value(&ev))>
                        <option value="">{tx.any}</option>
                        {agents.iter().map(|a| view! { <option value=a.id.clone()>{a.name.clone()}</option> }).collect_view()}
                    </select>
                </label>
                <label class="field"><span class="field-label">{tx.days}</span><input type="number" name="days" min="1" max="92" bind:value=days/></label>
                <label class="field"><span class="field-label">{tx.per_agent_n}</span><input type="number" name="per_agent" min="1" max="50" bind:value=per/></label>
            </div>
            <div class="form-actions"><button class="btn" type="submit">{tx.draw}</button></div>
        </form>
        {move || items.get().map(|r| match r {
            Err(e) => view! { <ErrorBox error=e/> }.into_any(),
            Ok(list) if list.is_empty() => view! { <p class="muted">{tx.no_sample}</p> }.into_any(),
            Ok(list) => view! {
                <ul class="sample-list" data-testid="sample">
                    {list.into_iter().map(|i| {
                        let pick = (i.kind.clone(), i.id.clone(), i.label.clone());
                        let kind = if i.kind == "call" { tx.call } else { tx.ticket };
                        view! {
                            <li>
                                <span class="chip">{kind}</span>
                                <span class="sample-label">{i.label.clone()}</span>
                                <span class="muted small">{i.agent.name.clone()} " · " {local_time(i.at)}</span>
                                <button class="btn btn-small" type="button" on:click=move |_| {
                                    form.result.set(None);
                                    form.target.set(Some(pick.clone()));
                                }>{tx.score}</button>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }.into_any(),
        })}
    }
}

#[component]
fn ReviewForm(
    cards: Vec<ScorecardView>,
    tx: &'static SupervisionTexts,
    form: ReviewState,
    version: RwSignal<u32>,
) -> impl IntoView {
    let (target, result) = (form.target, form.result);
    let active: Vec<ScorecardView> = cards.into_iter().filter(|c| c.active).collect();
    let Some(first) = active.first().cloned() else {
        return view! { <p class="muted">{tx.inactive}</p> }.into_any();
    };
    let card_id = RwSignal::new(first.id);
    let kind = RwSignal::new("ticket".to_owned());
    let subject = RwSignal::new(String::new());
    let label = RwSignal::new(String::new());
    Effect::new(move |_| {
        if let Some((k, id, l)) = target.get() {
            kind.set(k);
            subject.set(id);
            label.set(l);
        }
    });
    let comment = RwSignal::new(String::new());
    let scores = RwSignal::new(Vec::<(String, String)>::new());
    let cards_for_current = active.clone();
    let current = Memo::new(move |_| {
        let id = card_id.get();
        cards_for_current.iter().find(|c| c.id == id).cloned()
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = ReviewInput {
            scorecard: card_id.get_untracked(),
            kind: kind.get_untracked(),
            subject: subject.get_untracked(),
            scores: scores
                .get_untracked()
                .into_iter()
                .map(|(k, v)| (k, v.trim().parse().unwrap_or(u32::MAX)))
                .collect(),
            comment: comment.get_untracked(),
        };
        spawn_local(async move {
            let r = submit_review(input).await;
            let ok = r.is_ok();
            result.set(Some(r));
            if ok {
                version.update(|v| *v += 1);
            }
        });
    };
    view! {
        <form class="form" on:submit=submit data-testid="review-form">
            <div class="form-row">
                <label class="field"><span class="field-label">{tx.scorecards}</span>
                    <select name="scorecard" on:change=move |ev| card_id.set(event_target_value(&ev))>
                        {active.iter().map(|c| view! { <option value=c.id.clone()>{c.name.clone()}</option> }).collect_view()}
                    </select>
                </label>
                <label class="field"><span class="field-label">{tx.subject}</span>
                    <select name="kind" prop:value=move || kind.get() on:change=move |ev| kind.set(event_target_value(&ev))>
                        <option value="ticket">{tx.ticket}</option>
                        <option value="call">{tx.call}</option>
                    </select>
                </label>
                <label class="field"><span class="field-label">{tx.subject_id}</span>
                    <input type="text" name="subject" bind:value=subject/>
                </label>
            </div>
            {move || (!label.get().is_empty()).then(|| view! { <p class="muted small">{label.get()}</p> })}
            {move || current.get().map(|c| {
                scores.set(c.criteria.iter().map(|(k, _, w)| (k.clone(), w.to_string())).collect());
                view! {
                    <table class="table compact" data-testid="criteria">
                        <thead><tr><th>{tx.criteria}</th><th class="num">{tx.weight}</th><th class="num">{tx.score}</th></tr></thead>
                        <tbody>
                            {c.criteria.iter().enumerate().map(|(i, (key, name, weight))| view! {
                                <tr>
                                    <td>{name.clone()}</td>
                                    <td class="num muted">{*weight}</td>
                                    <td class="num">
                                        <input class="score-input" type="number" min="0" max=weight.to_string() name=format!("score-{key}")
                                            prop:value=weight.to_string()
                                            on:input=move |ev| scores.update(|s| if let Some(x) = s.get_mut(i) { x.1 = event_target_value(&ev); })/>
                                    </td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }
            })}
            <label class="field"><span class="field-label">{tx.comment}</span>
                <textarea name="comment" rows="2" bind:value=comment></textarea>
            </label>
            <div class="form-actions"><button class="btn btn-primary" type="submit">{tx.submit_review}</button></div>
            {move || result.get().map(|r| match r {
                Ok(v) => view! { <div class="alert alert-ok" role="status">{tx.review_saved} " · " {tx.score_total} " " {v.total}</div> }.into_any(),
                Err(e) => view! { <ErrorBox error=e/> }.into_any(),
            })}
        </form>
    }.into_any()
}

/// Reviews as a table with their breakdown.
#[component]
pub fn ReviewList(
    reviews: Vec<ReviewView>,
    tx: &'static SupervisionTexts,
    show_agent: bool,
) -> impl IntoView {
    if reviews.is_empty() {
        return view! { <Empty icon=IconKind::Flag title=tx.no_reviews hint=tx.my_quality_hint/> }
            .into_any();
    }
    view! {
        <div class="table-scroll">
            <table class="table" data-testid="reviews">
                <thead><tr>
                    <th>{tx.date}</th>
                    {show_agent.then(|| view! { <th>{tx.agent}</th> })}
                    <th>{tx.subject}</th><th class="num">{tx.score_total}</th><th>{tx.criteria}</th>
                    <th>{tx.comment}</th><th>{tx.reviewer}</th>
                </tr></thead>
                <tbody>
                    {reviews.into_iter().map(|r| {
                        let kind = if r.kind == "call" { tx.call } else { tx.ticket };
                        let subject = match r.href.clone() {
                            Some(h) => view! { <a href=h>{kind}</a> }.into_any(),
                            None => view! { <span>{kind} " " <span class="mono small">{r.subject.clone()}</span></span> }.into_any(),
                        };
                        view! {
                            <tr>
                                <td class="small nowrap">{local_time(r.at)}</td>
                                {show_agent.then(|| view! { <td class="nowrap">{r.agent.name.clone()}</td> })}
                                <td>{subject}</td>
                                <td class="num strong" data-testid="review-total">{r.total}</td>
                                <td class="small chips">
                                    {r.scores.iter().map(|(l, p, w)| view! { <span class="chip">{l.clone()} " " {*p} "/" {*w}</span> }).collect_view()}
                                </td>
                                <td class="small">{r.comment.clone()}</td>
                                <td class="small muted nowrap">{r.reviewer.name.clone()}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }.into_any()
}

#[component]
fn ScorecardEditor(
    card: Option<ScorecardView>,
    tx: &'static SupervisionTexts,
    version: RwSignal<u32>,
) -> impl IntoView {
    let id = card.as_ref().map(|c| c.id.clone()).unwrap_or_default();
    let name = RwSignal::new(card.as_ref().map(|c| c.name.clone()).unwrap_or_default());
    let active = RwSignal::new(card.as_ref().is_none_or(|c| c.active));
    let rows = RwSignal::new(
        card.as_ref()
            .map(|c| {
                c.definition
                    .iter()
                    .map(|x| {
                        (
                            x.key.clone(),
                            x.label.clone(),
                            x.label_en.clone(),
                            x.weight.to_string(),
                        )
                    })
                    .collect::<Vec<_>>()
            })
            .unwrap_or_else(|| vec![(String::new(), String::new(), String::new(), "100".into())]),
    );
    let result = RwSignal::new(None::<Result<String, crate::error::AppError>>);
    let is_new = card.is_none();
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = ScorecardInput {
            id: id.clone(),
            name: name.get_untracked(),
            active: active.get_untracked(),
            criteria: rows
                .get_untracked()
                .into_iter()
                .map(|(key, label, label_en, weight)| Criterion {
                    key,
                    label,
                    label_en,
                    weight: weight.trim().parse().unwrap_or(0),
                })
                .collect(),
        };
        spawn_local(async move {
            let r = save_scorecard(input).await;
            if r.is_ok() {
                version.update(|v| *v += 1);
            }
            result.set(Some(r));
        });
    };
    let sum = move || {
        rows.read()
            .iter()
            .map(|r| r.3.trim().parse::<u32>().unwrap_or(0))
            .sum::<u32>()
    };
    view! {
        <form class="scorecard-editor" on:submit=save data-testid={if is_new { "new-scorecard" } else { "scorecard" }}>
            <h3 class="sub-title">{if is_new { tx.new_scorecard } else { tx.scorecards }}</h3>
            <div class="form-row">
                <label class="field"><span class="field-label">{tx.name}</span><input type="text" name="name" bind:value=name/></label>
                <label class="check"><input type="checkbox" name="active" bind:checked=active/>{tx.active}</label>
            </div>
            <table class="table compact">
                <thead><tr><th>{tx.key}</th><th>{tx.label}</th><th>{tx.label_en}</th><th class="num">{tx.weight}</th><th></th></tr></thead>
                <tbody>
                    <For each={move || (0..rows.read().len()).collect::<Vec<_>>()} key={|i| *i} let:i>
                        <tr>
                            <td><input type="text" class="narrow" prop:value=move || rows.read().get(i).map(|r| r.0.clone()).unwrap_or_default()
                                on:input=move |ev| rows.update(|r| if let Some(x) = r.get_mut(i) { x.0 = event_target_value(&ev) })/></td>
                            <td><input type="text" prop:value=move || rows.read().get(i).map(|r| r.1.clone()).unwrap_or_default()
                                on:input=move |ev| rows.update(|r| if let Some(x) = r.get_mut(i) { x.1 = event_target_value(&ev) })/></td>
                            <td><input type="text" prop:value=move || rows.read().get(i).map(|r| r.2.clone()).unwrap_or_default()
                                on:input=move |ev| rows.update(|r| if let Some(x) = r.get_mut(i) { x.2 = event_target_value(&ev) })/></td>
                            <td class="num"><input type="number" class="score-input" min="0" max="100" prop:value=move || rows.read().get(i).map(|r| r.3.clone()).unwrap_or_default()
                                on:input=move |ev| rows.update(|r| if let Some(x) = r.get_mut(i) { x.3 = event_target_value(&ev) })/></td>
                            <td><button class="btn btn-ghost btn-small" type="button" on:click=move |_| rows.update(|r| { if i < r.len() { r.remove(i); } })>{tx.remove}</button></td>
                        </tr>
                    </For>
                </tbody>
            </table>
            <p class="small" class:late=move || sum() != 100>{tx.weights_sum} ": " {sum}</p>
            <div class="form-actions">
                <button class="btn btn-ghost" type="button" on:click=move |_| rows.update(|r| r.push((String::new(), String::new(), String::new(), "0".into())))>{tx.add_criterion}</button>
                <button class="btn btn-primary" type="submit">{tx.save}</button>
            </div>
            {move || result.get().map(|r| match r {
                Ok(_) => view! { <div class="alert alert-ok" role="status">{tx.saved}</div> }.into_any(),
                Err(e) => view! { <ErrorBox error=e/> }.into_any(),
            })}
        </form>
    }
}

/// `/agent/quality`: the signed-in agent's own reviews.
#[component]
pub fn MyQualityPage(locale: Locale) -> impl IntoView {
    let tx = st(locale);
    let data = Resource::new(|| (), |_| load_my_reviews());
    view! {
        <div class="page-head"><h1>{tx.my_quality}</h1></div>
        <Suspense fallback=|| view! { <div class="loading"></div> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    Ok(list) => {
                        let mean = (!list.is_empty()).then(|| list.iter().map(|r| f64::from(r.total)).sum::<f64>() / list.len() as f64);
                        view! {
                            {mean.map(|m| view! {
                                <div class="tiles tiles-4">
                                    <div class="tile tone-ok" data-testid="my-mean"><div class="tile-value">{format!("{m:.1}")}</div><div class="tile-label">{tx.quality_score}</div></div>
                                    <div class="tile tone-info"><div class="tile-value">{list.len()}</div><div class="tile-label">{tx.reviews}</div></div>
                                </div>
                            })}
                            <Panel title=tx.reviews><ReviewList reviews=list.clone() tx show_agent=false/></Panel>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}
