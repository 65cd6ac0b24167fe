//! `/agent/tickets`: the queues (mine, my department's work orders to accept, my
//! department, all open, at risk, overdue, escalated), sorted by the nearest due time with
//! live countdowns, paginated; and the registration form with the customer picker
//! (`?new=1`).

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_query_map};
use loopdesk::customer::Tier;
use loopdesk::locale::Locale;
use loopdesk::ticket::{Channel, Complexity, Priority, TicketKind};

use crate::api::desk::{
    customer_by_id, find_customers, new_customer, register_ticket, ticket_queue, Queue,
};
use crate::components::clock::{ticking, Countdown, StateBadge};
use crate::components::icon::IconKind;
use crate::components::panel::{Empty, Panel};
use crate::i18n::desk::{dt, DeskTexts};
use crate::i18n::fill;
use crate::i18n::names::{channel_name, complexity_name, kind_name, priority_name, tier_name};
use crate::pages::errors::ErrorBox;
use crate::views::{CustomerView, FirstContact, RegisterInput, TicketList};

/// The label of a queue tab.
pub fn queue_label(q: Queue, tx: &DeskTexts) -> &'static str {
    match q {
        Queue::Mine => tx.queue_mine,
        Queue::Inbox => tx.queue_inbox,
        Queue::Department => tx.queue_department,
        Queue::AllOpen => tx.queue_open,
        Queue::AtRisk => tx.queue_at_risk,
        Queue::Overdue => tx.queue_overdue,
        Queue::Escalated => tx.queue_escalated,
    }
}

/// `/agent/tickets`.
#[component]
pub fn TicketsPage(locale: Locale) -> impl IntoView {
    let tx = dt(locale);
    let query = use_query_map();
    let queue = Memo::new(move |_| {
        query
            .read()
            .get("queue")
            .and_then(|q| Queue::from_code(&q))
            .unwrap_or(Queue::Mine)
    });
    let page = Memo::new(move |_| {
        query
            .read()
            .get("page")
            .and_then(|p| p.parse::<u32>().ok())
            .unwrap_or(1)
            .max(1)
    });
    let show_new = Memo::new(move |_| query.read().get("new").is_some());
    let rows = Resource::new(
        move || (queue.get(), page.get()),
        |(q, p)| ticket_queue(q, p),
    );
    view! {
        <div class="toolbar">
            <nav class="tabs" aria-label=tx.queue_open>
                {Queue::ALL
                    .into_iter()
                    .map(|q| {
                        view! {
                            <a
                                href=format!("/agent/tickets?queue={}", q.code())
                                class="tab"
                                class:active=move || queue.get() == q
                                data-queue=q.code()
                            >
                                {queue_label(q, tx)}
                            </a>
                        }
                    })
                    .collect_view()}
            </nav>
            <a class="btn btn-primary" href="/agent/tickets?new=1" data-testid="new-ticket">
                {tx.new_ticket}
            </a>
        </div>
        <Show when=move || show_new.get()>
            <RegisterForm locale/>
        </Show>
        <Transition fallback=move || view! { <div class="loading"></div> }>
            {move || Suspend::new(async move {
                match rows.await {
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    Ok(list) => {
                        view! { <QueueTable list locale queue=queue.get_untracked()/> }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

#[component]
fn QueueTable(list: TicketList, locale: Locale, queue: Queue) -> impl IntoView {
    let tx = dt(locale);
    if list.items.is_empty() {
        return view! {
            <Panel title=queue_label(queue, tx)>
                <Empty icon=IconKind::Document title=tx.empty_queue hint=tx.empty_queue_hint/>
            </Panel>
        }
        .into_any();
    }
    let now = ticking(list.as_of);
    let pages = fill(
        tx.page_of,
        &[
            ("page", &list.page.to_string()),
            ("pages", &list.total_pages.max(1).to_string()),
            ("total", &list.total.to_string()),
        ],
    );
    let link = move |p: u32| format!("/agent/tickets?queue={}&page={p}", queue.code());
    view! {
        <Panel title=queue_label(queue, tx)>
            <table class="table tickets" data-testid="ticket-table">
                <thead>
                    <tr>
                        <th>{tx.col_number}</th>
                        <th>{tx.col_subject}</th>
                        <th>{tx.col_customer}</th>
                        <th>{tx.col_kind}</th>
                        <th>{tx.col_state}</th>
                        <th>{tx.col_department}</th>
                        <th>{tx.col_assignee}</th>
                        <th>{tx.col_due}</th>
                    </tr>
                </thead>
                <tbody>
                    {list
                        .items
                        .into_iter()
                        .map(|r| {
                            let href = format!("/agent/tickets/{}", r.id);
                            view! {
                                <tr class:at-risk=r.at_risk class:overdue=r.overdue>
                                    <td><a href=href.clone() class="mono">{r.number.clone()}</a></td>
                                    <td>
                                        <a href=href>{r.subject.clone()}</a>
                                        {(r.escalation_level > 0).then(|| view! {
                                            <span class="badge badge-bad">
                                                {fill(tx.escalated_badge, &[("n", &r.escalation_level.to_string())])}
                                            </span>
                                        })}
                                    </td>
                                    <td>
                                        {r.customer_name.clone()}
                                        <span class=format!("tier tier-{}", r.tier.code)>{r.tier.name.clone()}</span>
                                    </td>
                                    <td>{r.kind.name.clone()}</td>
                                    <td><StateBadge code=r.state.code.clone() name=r.state.name.clone()/></td>
                                    <td>{r.department.name.clone()}</td>
                                    <td>{r.assignee.map(|a| a.name).unwrap_or_default()}</td>
                                    <td>
                                        {match r.nearest_due_at {
                                            Some(due) => view! { <Countdown due now locale/> }.into_any(),
                                            None => view! { <span class="muted">{tx.no_due}</span> }.into_any(),
                                        }}
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
            <div class="pager">
                <span class="muted">{pages}</span>
                {(list.page > 1).then(|| view! { <a class="btn btn-ghost" href=link(list.page - 1)>{tx.prev}</a> })}
                {(!list.last_page).then(|| view! { <a class="btn btn-ghost" href=link(list.page + 1)>{tx.next}</a> })}
            </div>
        </Panel>
    }
    .into_any()
}

fn options<T: Copy + PartialEq + 'static>(
    all: &'static [T],
    code: fn(T) -> &'static str,
    name: fn(T, Locale) -> &'static str,
    locale: Locale,
) -> impl IntoView {
    all.iter()
        .map(|v| view! { <option value=code(*v)>{name(*v, locale)}</option> })
        .collect_view()
}

/// The registration form: customer picker (search or create), kind, complexity, channel,
/// priority, text, on-call and first-contact resolution.
#[component]
fn RegisterForm(locale: Locale) -> impl IntoView {
    let tx = dt(locale);
    let navigate = use_navigate();
    let search = RwSignal::new(String::new());
    let found = RwSignal::new(Vec::<CustomerView>::new());
    let searched = RwSignal::new(false);
    let chosen = RwSignal::new(None::<CustomerView>);
    let creating = RwSignal::new(false);
    let (new_name, new_phone, new_tier) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new("normal".to_owned()),
    );
    let kind = RwSignal::new("complaint".to_owned());
    let complexity = RwSignal::new("general".to_owned());
    let channel = RwSignal::new("phone".to_owned());
    let priority = RwSignal::new("normal".to_owned());
    let (subject, description, category) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let on_call = RwSignal::new(true);
    let first_contact = RwSignal::new(false);
    let (resolution, cause) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    // Opened from a screen pop: the caller is preselected and the ticket linked to the call.
    let query = use_query_map().get_untracked();
    let call_id = RwSignal::new(query.get("call").filter(|c| !c.is_empty()));
    let preset = query.get("customer");
    let preset = LocalResource::new(move || {
        let id = preset.clone();
        async move {
            match id {
                Some(id) => customer_by_id(id).await.ok(),
                None => None,
            }
        }
    });
    Effect::new(move |_| {
        if let Some(Some(c)) = preset.get() {
            chosen.set(Some(c));
        }
    });

    let run_search = move || {
        let q = search.get_untracked();
        spawn_local(async move {
            match find_customers(q).await {
                Ok(list) => {
                    found.set(list);
                    searched.set(true);
                }
                Err(e) => error.set(Some(e.message(locale))),
            }
        });
    };
    let create = move |_| {
        spawn_local(async move {
            match new_customer(
                new_name.get_untracked(),
                new_phone.get_untracked(),
                new_tier.get_untracked(),
            )
            .await
            {
                Ok(c) => {
                    chosen.set(Some(c));
                    creating.set(false);
                    error.set(None);
                }
                Err(e) => error.set(Some(e.message(locale))),
            }
        });
    };
    let allows_fcr = move || matches!(kind.get().as_str(), "inquiry" | "query");
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(customer) = chosen.get_untracked() else {
            error.set(Some(tx.choose_customer_first.to_owned()));
            return;
        };
        let kind_v = TicketKind::from_code(&kind.get_untracked()).unwrap_or(TicketKind::Inquiry);
        let input = RegisterInput {
            account: None,
            contact_time: None,
            kind: kind_v,
            channel: Channel::from_code(&channel.get_untracked()).unwrap_or(Channel::Phone),
            priority: Priority::from_code(&priority.get_untracked()).unwrap_or(Priority::Normal),
            complexity: (kind_v == TicketKind::Complaint)
                .then(|| Complexity::from_code(&complexity.get_untracked()))
                .flatten(),
            customer: customer.id.parse().unwrap_or_default(),
            subject: subject.get_untracked(),
            description: description.get_untracked(),
            category: category.get_untracked(),
            on_call: on_call.get_untracked(),
            first_contact: (first_contact.get_untracked()
                && kind_v.allows_first_contact_resolution())
            .then(|| FirstContact {
                resolution: resolution.get_untracked(),
                cause_category: cause.get_untracked(),
            }),
            call_id: call_id.get_untracked(),
        };
        busy.set(true);
        let navigate = navigate.clone();
        spawn_local(async move {
            match register_ticket(input).await {
                Ok(id) => navigate(&format!("/agent/tickets/{id}"), Default::default()),
                Err(e) => error.set(Some(e.message(locale))),
            }
            busy.set(false);
        });
    };

    view! {
        <Panel title=tx.register_title>
            <form class="form register-form" on:submit=submit novalidate>
                {move || error.get().map(|e| view! { <div class="alert alert-error" role="alert">{e}</div> })}
                <fieldset class="field customer-picker">
                    <legend class="field-label">{tx.find_customer}</legend>
                    {move || match chosen.get() {
                        Some(c) => view! {
                            <div class="chosen-customer" data-testid="chosen-customer">
                                <strong>{c.name.clone()}</strong>
                                <span class=format!("tier tier-{}", c.tier.code)>{c.tier.name.clone()}</span>
                                <span class="muted">{c.phones.join(" · ")}</span>
                                <button type="button" class="btn btn-ghost" on:click=move |_| chosen.set(None)>{tx.change}</button>
                            </div>
                        }.into_any(),
                        None => view! {
                            <div class="search-row">
                                <input
                                    type="search"
                                    name="customer_search"
                                    placeholder=tx.find_customer_placeholder
                                    bind:value=search
                                    on:input=move |_| run_search()
                                />
                                <button type="button" class="btn btn-ghost" on:click=move |_| creating.set(true)>{tx.new_customer}</button>
                            </div>
                            <ul class="picker-results">
                                {move || found.get().into_iter().map(|c| {
                                    let pick = c.clone();
                                    view! {
                                        <li>
                                            <button type="button" class="pick" on:click=move |_| chosen.set(Some(pick.clone()))>
                                                <strong>{c.name.clone()}</strong>
                                                <span class=format!("tier tier-{}", c.tier.code)>{c.tier.name.clone()}</span>
                                                <span class="muted">{c.phones.join(" · ")}</span>
                                            </button>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                            {move || (searched.get() && found.get().is_empty() && !search.get().trim().is_empty())
                                .then(|| view! { <p class="muted small">{tx.no_customer_found}</p> })}
                            <Show when=move || creating.get()>
                                <div class="new-customer">
                                    <label class="field"><span class="field-label">{tx.customer_name}</span>
                                        <input type="text" name="new_customer_name" bind:value=new_name/></label>
                                    <label class="field"><span class="field-label">{tx.customer_phone}</span>
                                        <input type="tel" name="new_customer_phone" bind:value=new_phone/></label>
                                    <label class="field"><span class="field-label">{tx.customer_tier}</span>
                                        <select name="new_customer_tier" on:change=move |ev| new_tier.set(event_target_value(&ev))>
                                            {options(&Tier::ALL, Tier::code, tier_name, locale)}
                                        </select></label>
                                    <button type="button" class="btn" on:click=create>{tx.create_customer}</button>
                                </div>
                            </Show>
                        }.into_any(),
                    }}
                </fieldset>
                <div class="form-row">
                    <label class="field"><span class="field-label">{tx.kind}</span>
                        <select name="kind" prop:value=move || kind.get() on:change=move |ev| kind.set(event_target_value(&ev))>
                            {options(TicketKind::ALL, TicketKind::code, kind_name, locale)}
                        </select></label>
                    <Show when=move || kind.get() == "complaint">
                        <label class="field"><span class="field-label">{tx.complexity}</span>
                            <select name="complexity" prop:value=move || complexity.get() on:change=move |ev| complexity.set(event_target_value(&ev))>
                                {options(Complexity::ALL, Complexity::code, complexity_name, locale)}
                            </select></label>
                    </Show>
                    <label class="field"><span class="field-label">{tx.channel}</span>
                        <select name="channel" prop:value=move || channel.get() on:change=move |ev| channel.set(event_target_value(&ev))>
                            {options(Channel::ALL, Channel::code, channel_name, locale)}
                        </select></label>
                    <label class="field"><span class="field-label">{tx.priority}</span>
                        <select name="priority" prop:value=move || priority.get() on:change=move |ev| priority.set(event_target_value(&ev))>
                            {options(Priority::ALL, Priority::code, priority_name, locale)}
                        </select></label>
                </div>
                <label class="field"><span class="field-label">{tx.subject}</span>
                    <input type="text" name="subject" maxlength="200" bind:value=subject required/></label>
                <label class="field"><span class="field-label">{tx.description}</span>
                    <textarea name="description" rows="3" bind:value=description></textarea></label>
                <label class="field"><span class="field-label">{tx.category}</span>
                    <input type="text" name="category" placeholder="billing/charge_dispute" bind:value=category/></label>
                <label class="check">
                    <input type="checkbox" name="on_call" bind:checked=on_call/>
                    <span>{tx.on_call}</span>
                    <span class="muted small">{tx.on_call_hint}</span>
                </label>
                <Show when=allows_fcr>
                    <label class="check">
                        <input type="checkbox" name="first_contact" bind:checked=first_contact/>
                        <span>{tx.first_contact}</span>
                        <span class="muted small">{tx.first_contact_hint}</span>
                    </label>
                    <Show when=move || first_contact.get()>
                        <label class="field"><span class="field-label">{tx.resolution}</span>
                            <textarea name="resolution" rows="2" bind:value=resolution></textarea></label>
                        <label class="field"><span class="field-label">{tx.cause_category}</span>
                            <input type="text" name="cause_category" bind:value=cause/></label>
                    </Show>
                </Show>
                <div class="form-actions">
                    <button type="submit" class="btn btn-primary" disabled=move || busy.get()>{tx.register}</button>
                    <a class="btn btn-ghost" href="/agent/tickets">{tx.cancel_form}</a>
                </div>
            </form>
        </Panel>
    }
}
