//! `/agent/outbound` and `/agent/callbacks`: the one outbound task list — follow-ups,
//! overdue notices, callbacks of missed calls, arrears collection — earliest due first.
//! An agent takes a task (no one else can then), calls, and records the outcome; an
//! unanswered attempt comes back an hour later, three give up; a follow-up's outcome is the
//! ticket's revisit.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_query_map;
use loopdesk::locale::Locale;
use loopdesk::task::TaskReason;

use crate::api::console::{load_tasks, work_on_task};
use crate::components::clock::{local_time, ticking, Countdown};
use crate::components::icon::IconKind;
use crate::components::panel::{Empty, Panel};
use crate::i18n::console::ct;
use crate::i18n::fill;
use crate::i18n::names::task_reason_name;
use crate::pages::errors::ErrorBox;
use crate::views::console::TaskView;

/// The task list; `reason` fixes the kind (callbacks), otherwise a filter offers all.
#[component]
pub fn TasksPage(locale: Locale, reason: Option<TaskReason>) -> impl IntoView {
    let tx = ct(locale);
    let query = use_query_map();
    let scope = Memo::new(move |_| query.read().get("scope").unwrap_or_else(|| "open".into()));
    let chosen = Memo::new(move |_| {
        reason
            .map(|r| r.code().to_owned())
            .or_else(|| query.read().get("reason"))
            .unwrap_or_default()
    });
    let version = RwSignal::new(0u32);
    let list = Resource::new(
        move || (scope.get(), chosen.get(), version.get()),
        |(s, r, _)| load_tasks(s, r),
    );
    let base = match reason {
        Some(TaskReason::Callback) => "/agent/callbacks",
        _ => "/agent/outbound",
    };
    let title = match reason {
        Some(TaskReason::Callback) => tx.tasks_callbacks,
        _ => tx.tasks_outbound,
    };
    let tab = move |code: &'static str, label: &'static str| {
        let href = match chosen.get_untracked().as_str() {
            "" => format!("{base}?scope={code}"),
            r if reason.is_none() => format!("{base}?scope={code}&reason={r}"),
            _ => format!("{base}?scope={code}"),
        };
        view! { <a class="tab" class:active=move || scope.get() == code href=href>{label}</a> }
    };
    view! {
        <div class="toolbar">
            <nav class="tabs">
                {tab("open", tx.scope_open)}
                {tab("mine", tx.scope_mine)}
                {tab("all", tx.scope_all)}
            </nav>
            {reason.is_none().then(|| view! {
                <nav class="tabs tabs-small">
                    <a class="tab" class:active=move || chosen.get().is_empty() href=move || format!("{base}?scope={}", scope.get())>{tx.all_reasons}</a>
                    {TaskReason::ALL.iter().map(|r| {
                        let code = r.code();
                        view! {
                            <a class="tab" class:active=move || chosen.get() == code
                                href=move || format!("{base}?scope={}&reason={code}", scope.get())>
                                {task_reason_name(*r, locale)}
                            </a>
                        }
                    }).collect_view()}
                </nav>
            })}
        </div>
        <Transition fallback=|| view! { <div class="loading"></div> }>
            {move || Suspend::new(async move {
                match list.await {
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    Ok(list) if list.items.is_empty() => view! {
                        <Panel title=title>
                            <Empty icon=IconKind::Phone title=tx.tasks_empty hint=tx.tasks_empty_hint/>
                        </Panel>
                    }.into_any(),
                    Ok(list) => view! {
                        <Panel title=title>
                            <TaskTable tasks=list.items as_of=list.as_of locale on_change=Callback::new(move |_| version.update(|v| *v += 1))/>
                        </Panel>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn TaskTable(
    tasks: Vec<TaskView>,
    as_of: chrono::DateTime<chrono::Utc>,
    locale: Locale,
    on_change: Callback<()>,
) -> impl IntoView {
    let tx = ct(locale);
    let now = ticking(as_of);
    view! {
        <table class="table tasks" data-testid="task-table">
            <thead><tr>
                <th>{tx.col_reason}</th><th>{tx.col_customer}</th><th>{tx.col_phone}</th>
                <th>{tx.col_ref}</th><th>{tx.col_due}</th><th class="num">{tx.col_attempts}</th>
                <th>{tx.col_taken}</th><th>{tx.col_outcome}</th>
            </tr></thead>
            <tbody>
                {tasks.into_iter().map(|t| view! { <TaskRowView t as_of locale now on_change/> }).collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn TaskRowView(
    t: TaskView,
    as_of: chrono::DateTime<chrono::Utc>,
    locale: Locale,
    now: ReadSignal<chrono::DateTime<chrono::Utc>>,
    on_change: Callback<()>,
) -> impl IntoView {
    let tx = ct(locale);
    let outcome = RwSignal::new(
        t.outcomes
            .first()
            .map(|o| o.code.clone())
            .unwrap_or_default(),
    );
    let note = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let send = {
        let (id, version) = (t.id.clone(), t.version);
        move |with_outcome: bool| {
            let id = id.clone();
            busy.set(true);
            spawn_local(async move {
                let o = if with_outcome {
                    outcome.get_untracked()
                } else {
                    String::new()
                };
                match work_on_task(id, version, o, note.get_untracked()).await {
                    Ok(_) => on_change.run(()),
                    Err(e) => error.set(Some(e.to_string())),
                }
                busy.set(false);
            });
        }
    };
    let take = {
        let send = send.clone();
        move |_| send(false)
    };
    let record = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        send(true);
    };
    let reference = match (&t.ticket, &t.account, &t.call_id) {
        (Some(r), _, _) => {
            view! { <a class="mono" href=format!("/agent/tickets/{}", r.id)>{r.name.clone()}</a> }
                .into_any()
        }
        (None, Some(a), _) => {
            view! { <span class="mono">{fill(tx.account_ref, &[("n", a)])}</span> }.into_any()
        }
        (None, None, Some(c)) => {
            view! { <span class="mono small">{fill(tx.call_ref, &[("id", c)])}</span> }.into_any()
        }
        _ => ().into_any(),
    };
    let open = t.done_at.is_none();
    let overdue = open && t.due_at < as_of;
    let due = t.due_at;
    view! {
        <tr class:overdue=overdue data-task=t.id.clone() data-reason=t.reason.code.clone()>
            <td><span class=format!("chip reason-{}", t.reason.code)>{t.reason.name.clone()}</span></td>
            <td>
                {match &t.customer {
                    Some(c) => view! { <a href=format!("/agent/customers/{}", c.id)>{c.name.clone()}</a> }.into_any(),
                    None => view! { <span class="muted">{tx.unknown_caller}</span> }.into_any(),
                }}
            </td>
            <td class="mono">{t.phone.clone()}</td>
            <td>{reference}</td>
            <td>
                {match open {
                    true => view! { <Countdown due now locale/> }.into_any(),
                    false => view! { <span class="muted small">{t.done_at.map(local_time)}</span> }.into_any(),
                }}
            </td>
            <td class="num">{t.attempts}</td>
            <td>{t.assignee.clone().map(|a| a.name)}</td>
            <td>
                {match (open, t.assignee.is_some()) {
                    (false, _) => view! {
                        <span class="badge">{t.outcome.clone().map(|o| o.name)}</span>
                        <span class="muted small">{t.note.clone()}</span>
                    }.into_any(),
                    (true, false) => view! {
                        <button class="btn btn-small" type="button" disabled=move || busy.get() on:click=take>{tx.take}</button>
                    }.into_any(),
                    (true, true) => view! {
                        <form class="inline-form" on:submit=record>
                            <select bind:value=outcome aria-label=tx.col_outcome>
                                {t.outcomes.iter().map(|o| view! { <option value=o.code.clone()>{o.name.clone()}</option> }).collect_view()}
                            </select>
                            <input type="text" bind:value=note placeholder=tx.note aria-label=tx.note maxlength="2000"/>
                            <button class="btn btn-primary btn-small" type="submit" disabled=move || busy.get()>{tx.record}</button>
                        </form>
                    }.into_any(),
                }}
                {move || error.get().map(|e| view! { <p class="form-error small" role="alert">{e}</p> })}
            </td>
        </tr>
    }
}
