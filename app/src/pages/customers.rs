//! `/agent/customers`: find a customer by name, number (any format), account number or
//! ticket number; `/agent/customers/:cid`: the customer 360 — profile with masked numbers
//! (revealing one is logged), accounts, billing on demand (bills with items, payments,
//! usage for a period; logged), open and past tickets, calls, outbound tasks and the contact
//! timeline.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_query_map;
use loopdesk::locale::Locale;

use crate::api::console::{customer_billing, load_customer_360, reveal_number};
use crate::api::desk::find_customers;
use crate::components::clock::{local_time, StateBadge};
use crate::components::icon::IconKind;
use crate::components::panel::{Empty, Panel};
use crate::i18n::console::{ct, ConsoleTexts};
use crate::i18n::fill;
use crate::pages::errors::ErrorBox;
use crate::views::console::{AccountView, BillingView, Customer360};
use crate::views::TicketRow;

/// `/agent/customers`.
#[component]
pub fn CustomersPage(locale: Locale) -> impl IntoView {
    let tx = ct(locale);
    let query = use_query_map();
    let q = Memo::new(move |_| query.read().get("q").unwrap_or_default());
    let found = Resource::new(move || q.get(), find_customers);
    view! {
        <Panel title=tx.customers_title>
            <form class="search-row" method="get" action="/agent/customers">
                <input
                    type="search"
                    name="q"
                    value=move || q.get()
                    placeholder=tx.customers_search_placeholder
                    aria-label=tx.customers_search_placeholder
                    data-testid="customer-search"
                />
                <button class="btn btn-primary" type="submit">{tx.customers_search}</button>
            </form>
            <Transition fallback=|| view! { <div class="loading"></div> }>
                {move || Suspend::new(async move {
                    let searched = !q.get_untracked().trim().is_empty();
                    match found.await {
                        Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                        Ok(list) if list.is_empty() && searched => view! {
                            <Empty icon=IconKind::Users title=tx.customers_none hint=tx.customers_hint/>
                        }.into_any(),
                        Ok(list) if list.is_empty() => view! {
                            <p class="muted">{tx.customers_hint}</p>
                        }.into_any(),
                        Ok(list) => view! {
                            <ul class="picker-results" data-testid="customer-results">
                                {list.into_iter().map(|c| view! {
                                    <li>
                                        <a class="pick" href=format!("/agent/customers/{}", c.id)>
                                            <strong>{c.name.clone()}</strong>
                                            <span class=format!("tier tier-{}", c.tier.code)>{c.tier.name.clone()}</span>
                                            <span class="muted mono">{c.phones.join(" · ")}</span>
                                        </a>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                    }
                })}
            </Transition>
        </Panel>
    }
}

/// `/agent/customers/:cid`.
#[component]
pub fn CustomerPage(locale: Locale, id: String) -> impl IntoView {
    let key = id.clone();
    let data = Resource::new(move || key.clone(), load_customer_360);
    view! {
        <Suspense fallback=|| view! { <div class="loading"></div> }>
            {move || {
                let id = id.clone();
                Suspend::new(async move {
                    match data.await {
                        Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                        Ok(c) => view! { <Customer360View c id locale/> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

/// A masked value with a reveal button (each reveal is logged on the server).
#[component]
fn Revealable(
    id: String,
    field: &'static str,
    index: usize,
    masked: String,
    locale: Locale,
) -> impl IntoView {
    let tx = ct(locale);
    let shown = RwSignal::new(masked);
    let revealed = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let reveal = move |_| {
        let id = id.clone();
        spawn_local(async move {
            match reveal_number(id, field.to_owned(), index).await {
                Ok(v) => {
                    shown.set(v);
                    revealed.set(true);
                }
                Err(e) => error.set(Some(e.to_string())),
            }
        });
    };
    view! {
        <span class="revealable">
            <span class="mono" data-testid=format!("masked-{field}-{index}")>{move || shown.get()}</span>
            <Show when=move || !revealed.get()>
                <button class="btn btn-ghost btn-small" type="button" title=tx.reveal_logged on:click=reveal.clone()>
                    {tx.reveal}
                </button>
            </Show>
            {move || error.get().map(|e| view! { <span class="form-error small">{e}</span> })}
        </span>
    }
}

fn account_rows(accounts: &[AccountView], tx: &'static ConsoleTexts) -> impl IntoView {
    accounts
        .iter()
        .map(|a| {
            let arrears = a.arrears.map(|r| {
                fill(
                    tx.arrears,
                    &[("amount", &r.owed.to_string()), ("since", &r.since.to_string())],
                )
            });
            let owing = arrears.is_some();
            view! {
                <tr class:overdue=owing>
                    <td class="mono">{a.number.clone()}</td>
                    <td>{a.plan.clone()}</td>
                    <td><span class=format!("badge status-{}", a.status.code)>{a.status.name.clone()}</span></td>
                    <td class="num" class:negative=a.balance.0 < 0>{a.balance.to_string()}</td>
                    <td class="num">{a.credit_limit.to_string()}</td>
                    <td>{arrears.map(|t| view! { <span class="badge badge-bad">{t}</span> })}</td>
                </tr>
            }
        })
        .collect_view()
}

fn ticket_rows(rows: Vec<TicketRow>) -> impl IntoView {
    view! {
        <ul class="ticket-list">
            {rows
                .into_iter()
                .map(|r| {
                    view! {
                        <li>
                            <a class="mono small" href=format!("/agent/tickets/{}", r.id)>{r.number.clone()}</a>
                            <StateBadge code=r.state.code name=r.state.name/>
                            <span class="muted small">{r.kind.name.clone()}</span>
                            <div>{r.subject}</div>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}

#[component]
fn Customer360View(c: Customer360, id: String, locale: Locale) -> impl IntoView {
    let tx = ct(locale);
    let summary = fill(
        tx.billing_summary,
        &[
            ("n", &c.billing.accounts.to_string()),
            ("balance", &c.billing.balance.to_string()),
        ],
    );
    let owed =
        (c.billing.owed.0 > 0).then(|| fill(tx.owed, &[("amount", &c.billing.owed.to_string())]));
    let id_number = c.id_number.clone();
    let phones = {
        c.customer
            .phones
            .iter()
            .enumerate()
            .map(|(i, p)| view! { <Revealable id=id.clone() field="phone" index=i masked=p.clone() locale/> })
            .collect_view()
    };
    let id_view = match id_number {
        Some(n) => view! { <Revealable id=id.clone() field="id_number" index=0 masked=n locale/> }
            .into_any(),
        None => view! { <span class="muted">{tx.none}</span> }.into_any(),
    };
    let new_ticket = format!("/agent/tickets?new=1&customer={id}");
    view! {
        <div class="grid grid-agent" data-testid="customer-360">
            <div class="col-main">
                <Panel title=tx.profile>
                    <div class="profile">
                        <div class="pop-customer">
                            <span class="customer-name">{c.customer.name.clone()}</span>
                            <span class=format!("tier tier-{}", c.customer.tier.code)>{c.customer.tier.name.clone()}</span>
                            <span class="muted">{summary}</span>
                            {owed.map(|o| view! { <span class="badge badge-bad">{o}</span> })}
                            {c.billing.suspended.then(|| view! { <span class="badge badge-bad">{tx.suspended}</span> })}
                        </div>
                        <dl class="facts">
                            <dt>{tx.phones}</dt>
                            <dd>{phones}</dd>
                            <dt>{tx.id_number}</dt>
                            <dd>{id_view}</dd>
                        </dl>
                        <p class="muted small">{tx.reveal_logged}</p>
                    </div>
                </Panel>
                <Panel title=tx.accounts>
                    {if c.accounts.is_empty() {
                        view! { <p class="muted">{tx.no_accounts}</p> }.into_any()
                    } else {
                        view! {
                            <table class="table" data-testid="accounts">
                                <thead><tr>
                                    <th>{tx.account_number}</th><th>{tx.plan}</th><th>{tx.status}</th>
                                    <th class="num">{tx.balance}</th><th class="num">{tx.credit_limit}</th><th></th>
                                </tr></thead>
                                <tbody>{account_rows(&c.accounts, tx)}</tbody>
                            </table>
                        }.into_any()
                    }}
                </Panel>
                <Panel title=tx.billing>
                    <BillingSection id locale/>
                </Panel>
            </div>
            <div class="col-side">
                <Panel title=tx.open_tickets>
                    {if c.open_tickets.is_empty() {
                        view! { <p class="muted">{tx.none}</p> }.into_any()
                    } else {
                        ticket_rows(c.open_tickets.clone()).into_any()
                    }}
                    <a class="btn" href=new_ticket>{crate::i18n::desk::dt(locale).new_ticket}</a>
                </Panel>
                <Panel title=tx.timeline>
                    <ul class="timeline" data-testid="timeline">
                        {c.timeline.iter().map(|e| view! {
                            <li class=format!("tl-{}", e.kind)>
                                <span class="muted small">{local_time(e.at)}</span>
                                {match &e.ticket_id {
                                    Some(t) => view! { <a href=format!("/agent/tickets/{t}")>{e.summary.clone()}</a> }.into_any(),
                                    None => view! { <span>{e.summary.clone()}</span> }.into_any(),
                                }}
                            </li>
                        }).collect_view()}
                    </ul>
                </Panel>
                <Panel title=tx.calls>
                    {if c.calls.is_empty() {
                        view! { <p class="muted">{tx.none}</p> }.into_any()
                    } else {
                        view! {
                            <ul class="calls">
                                {c.calls.iter().map(|call| view! {
                                    <li>
                                        <span class="muted small">{call.at.map(local_time)}</span>
                                        <span class=format!("badge call-{}", call.state.code)>{call.state.name.clone()}</span>
                                        {call.wait_seconds.map(|s| view! { <span class="small muted">{fill(tx.call_wait, &[("s", &s.to_string())])}</span> })}
                                        {call.talk_seconds.map(|s| view! { <span class="small muted">{fill(tx.call_talk, &[("s", &s.to_string())])}</span> })}
                                        {call.disposition.clone().map(|d| view! { <span class="chip">{crate::views::console::disposition_name(&d, locale)}</span> })}
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }}
                </Panel>
                <Panel title=tx.tasks>
                    {if c.tasks.is_empty() {
                        view! { <p class="muted">{tx.none}</p> }.into_any()
                    } else {
                        view! {
                            <ul class="calls">
                                {c.tasks.iter().map(|t| view! {
                                    <li>
                                        <span class="chip">{t.reason.name.clone()}</span>
                                        <span class="small muted">{local_time(t.due_at)}</span>
                                        {t.outcome.clone().map(|o| view! { <span class="badge">{o.name}</span> })}
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }}
                </Panel>
                <Panel title=tx.past_tickets>
                    {if c.past_tickets.is_empty() {
                        view! { <p class="muted">{tx.none}</p> }.into_any()
                    } else {
                        ticket_rows(c.past_tickets.clone()).into_any()
                    }}
                </Panel>
            </div>
        </div>
    }
}

/// Billing on demand: each load is a logged view of the customer's billing data.
#[component]
fn BillingSection(id: String, locale: Locale) -> impl IntoView {
    let tx = ct(locale);
    let (from, to) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let billing = RwSignal::new(None::<Result<BillingView, String>>);
    let busy = RwSignal::new(false);
    let load = move || {
        let id = id.clone();
        busy.set(true);
        spawn_local(async move {
            let r = customer_billing(id, from.get_untracked(), to.get_untracked()).await;
            if let Ok(b) = &r {
                from.set(b.from.to_string());
                to.set(b.to.to_string());
            }
            billing.set(Some(r.map_err(|e| e.to_string())));
            busy.set(false);
        });
    };
    let load2 = load.clone();
    view! {
        <p class="muted small">{tx.billing_logged}</p>
        <Show when=move || billing.with(Option::is_none)>
            <button class="btn btn-primary" type="button" data-testid="show-billing"
                disabled=move || busy.get() on:click={let load = load.clone(); move |_| load()}>
                {tx.show_billing}
            </button>
        </Show>
        {move || match billing.get() {
            None => ().into_any(),
            Some(Err(e)) => view! { <p class="form-error" role="alert">{e}</p> }.into_any(),
            Some(Ok(b)) => {
                let load = load2.clone();
                view! { <BillingTables b locale from to on_range=Callback::new(move |_| load())/> }.into_any()
            }
        }}
    }
}

#[component]
pub(crate) fn BillingTables(
    b: BillingView,
    locale: Locale,
    from: RwSignal<String>,
    to: RwSignal<String>,
    on_range: Callback<()>,
    /// Link each bill to its CSV download (the customer's own bills in the portal).
    #[prop(optional)]
    csv: Option<&'static str>,
) -> impl IntoView {
    let tx = ct(locale);
    view! {
        <div data-testid="billing">
            <h3 class="sub-title">{tx.bills}</h3>
            <table class="table bills">
                <thead><tr>
                    <th>{tx.account_number}</th><th>{tx.period}</th><th>{tx.due_on}</th>
                    <th class="num">{tx.total}</th><th>{tx.items}</th>
                    {csv.map(|_| view! { <th></th> })}
                </tr></thead>
                <tbody>
                    {b.bills.iter().map(|bill| view! {
                        <tr>
                            <td class="mono">{bill.account.clone()}</td>
                            <td>{bill.period.clone()}</td>
                            <td>{bill.due_on.to_string()}</td>
                            <td class="num">{bill.total.to_string()}</td>
                            <td>
                                <details>
                                    <summary>{bill.items.len()}</summary>
                                    <ul class="bill-items">
                                        {bill.items.iter().map(|i| view! {
                                            <li><span>{i.name.clone()}</span><span class="num">{i.amount.to_string()}</span></li>
                                        }).collect_view()}
                                    </ul>
                                </details>
                            </td>
                            {csv.map(|label| view! {
                                <td><a class="btn btn-small" data-testid="bill-csv" download
                                    href=format!("/api/v1/portal/bills/{}/{}/csv", bill.account, bill.period)>{label}</a></td>
                            })}
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            <h3 class="sub-title">{tx.payments}</h3>
            {if b.payments.is_empty() {
                view! { <p class="muted">{tx.none}</p> }.into_any()
            } else {
                view! {
                    <table class="table">
                        <thead><tr><th>{tx.paid_at}</th><th>{tx.account_number}</th><th>{tx.method}</th><th class="num">{tx.amount}</th></tr></thead>
                        <tbody>
                            {b.payments.iter().map(|p| view! {
                                <tr>
                                    <td>{local_time(p.paid_at)}</td>
                                    <td class="mono">{p.account.clone()}</td>
                                    <td>{p.method.name.clone()}</td>
                                    <td class="num">{p.amount.to_string()}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
            <h3 class="sub-title">{tx.usage}</h3>
            <form class="search-row" on:submit=move |ev| { ev.prevent_default(); on_range.run(()); }>
                <label>{tx.usage_from}<input type="date" bind:value=from/></label>
                <label>{tx.usage_to}<input type="date" bind:value=to/></label>
                <button class="btn" type="submit">{tx.usage_apply}</button>
            </form>
            {if b.usage.is_empty() {
                view! { <p class="muted">{tx.none}</p> }.into_any()
            } else {
                view! {
                    <table class="table" data-testid="usage">
                        <thead><tr><th>{tx.account_number}</th><th></th><th class="num">{tx.quantity}</th><th class="num">{tx.charge}</th></tr></thead>
                        <tbody>
                            {b.usage.iter().map(|u| view! {
                                <tr>
                                    <td class="mono">{u.account.clone()}</td>
                                    <td>{u.kind.name.clone()}</td>
                                    <td class="num">{u.quantity}</td>
                                    <td class="num">{u.charge.to_string()}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </div>
    }
}
