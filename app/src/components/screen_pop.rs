//! The screen pop on the agent console: listens to the server-sent `pop` events of
//! `/api/v1/live` (in the browser) and shows the ringing caller's card — customer, tier,
//! masked numbers, open tickets with their nearest due time — with a button that registers
//! a ticket from the call (acknowledged at registration) for that customer.

use leptos::prelude::*;
use loopdesk::locale::Locale;

use crate::components::clock::{local_time, ticking, Countdown, StateBadge};
use crate::components::icon::IconKind;
use crate::components::panel::Empty;
use crate::i18n::desk::dt;
use crate::i18n::{fill, t};
use crate::views::console::AgentStateView;
use crate::views::ScreenPop;

/// The live stream's latest screen pop and agent state.
#[derive(Clone, Copy)]
pub struct Live {
    /// The latest screen pop.
    pub pop: ReadSignal<Option<ScreenPop>>,
    /// The latest state pushed by the server (a CTI event changed it).
    pub state: ReadSignal<Option<AgentStateView>>,
}

/// Opens the live stream once hydrated; pops and state changes land in the signals.
pub fn live_stream() -> Live {
    let (pop, set_pop) = signal(None::<ScreenPop>);
    let (state, set_state) = signal(None::<AgentStateView>);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        use wasm_bindgen::closure::Closure;
        use wasm_bindgen::JsCast;
        let Ok(source) = web_sys::EventSource::new("/api/v1/live") else {
            return;
        };
        let on_pop =
            Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
                if let Some(text) = e.data().as_string() {
                    if let Ok(p) = serde_json::from_str::<ScreenPop>(&text) {
                        set_pop.set(Some(p));
                    }
                }
            });
        let _ = source.add_event_listener_with_callback("pop", on_pop.as_ref().unchecked_ref());
        on_pop.forget();
        let on_state =
            Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
                if let Some(text) = e.data().as_string() {
                    if let Ok(s) = serde_json::from_str::<AgentStateView>(&text) {
                        set_state.set(Some(s));
                    }
                }
            });
        let _ = source.add_event_listener_with_callback("state", on_state.as_ref().unchecked_ref());
        on_state.forget();
        let source = send_wrapper::SendWrapper::new(source);
        on_cleanup(move || source.close());
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = (set_pop, set_state);
    Live { pop, state }
}

/// The "current call" panel body.
#[component]
pub fn CurrentCall(locale: Locale, pop: ReadSignal<Option<ScreenPop>>) -> impl IntoView {
    let tx = t(locale);
    let dx = dt(locale);
    let cx = crate::i18n::console::ct(locale);
    move || match pop.get() {
        None => {
            view! { <Empty icon=IconKind::Phone title=tx.no_call hint=tx.no_call_hint/> }.into_any()
        }
        Some(p) => {
            let now = ticking(p.ringing_at);
            let register = |customer: &str| {
                format!(
                    "/agent/tickets?new=1&customer={customer}&call={}",
                    p.call_id
                )
            };
            view! {
                <div class="screen-pop" data-testid="screen-pop" data-call=p.call_id.clone()>
                    <div class="pop-line">
                        <span class="ring-dot" aria-hidden="true"></span>
                        <strong class="mono">{p.number.clone()}</strong>
                        {p.queue.clone().map(|q| view! { <span class="chip">{q}</span> })}
                        <span class="muted small">{local_time(p.ringing_at)}</span>
                    </div>
                    {match p.customer.clone() {
                        Some(c) => view! {
                            <div class="pop-customer" data-testid="pop-customer">
                                <span class="customer-name">{c.name.clone()}</span>
                                <span class=format!("tier tier-{}", c.tier.code)>{c.tier.name.clone()}</span>
                                <span class="muted">{c.phones.join(" · ")}</span>
                                <span class="muted small">{fill(dx.recent_calls, &[("n", &p.recent_calls.to_string())])}</span>
                            </div>
                            {p.billing.clone().map(|b| view! {
                                <div class="pop-billing" data-testid="pop-billing">
                                    <span>{fill(cx.billing_summary, &[("n", &b.accounts.to_string()), ("balance", &b.balance.to_string())])}</span>
                                    {b.plan.clone().map(|plan| view! { <span class="chip">{plan}</span> })}
                                    {(b.owed.0 > 0).then(|| view! { <span class="badge badge-bad">{fill(cx.owed, &[("amount", &b.owed.to_string())])}</span> })}
                                    {b.suspended.then(|| view! { <span class="badge badge-bad">{cx.suspended}</span> })}
                                    {b.latest_bill.map(|(period, total)| view! {
                                        <span class="muted small">{fill(cx.latest_bill, &[("period", &period.to_string()), ("amount", &total.to_string())])}</span>
                                    })}
                                </div>
                            })}
                            <div class="pop-actions">
                                <a class="btn btn-primary" href=register(&c.id) data-testid="register-from-call">{dx.register_from_call}</a>
                                <a class="btn" href=format!("/agent/customers/{}", c.id) data-testid="open-360">{cx.open_360}</a>
                                <a class="btn btn-ghost" href="/agent/knowledge">{cx.answer_from_kb}</a>
                            </div>
                            <crate::pages::knowledge::CallSuggestions customer=c.id.clone() locale/>
                        }.into_any(),
                        None if !p.candidates.is_empty() => view! {
                            <p class="muted">{dx.several_customers}</p>
                            <ul class="picker-results">
                                {p.candidates.iter().map(|c| view! {
                                    <li><a class="pick" href=register(&c.id)>
                                        <strong>{c.name.clone()}</strong>
                                        <span class=format!("tier tier-{}", c.tier.code)>{c.tier.name.clone()}</span>
                                    </a></li>
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        None => view! {
                            <p class="muted">{dx.unknown_caller}</p>
                            <a class="btn" href=format!("/agent/tickets?new=1&call={}", p.call_id)>{dx.new_customer}</a>
                        }.into_any(),
                    }}
                    {(!p.last_contacts.is_empty()).then(|| view! {
                        <div class="pop-contacts">
                            <h3 class="sub-title">{cx.last_contacts}</h3>
                            <ul class="timeline">
                                {p.last_contacts.iter().map(|e| view! {
                                    <li><span class="muted small">{local_time(e.at)}</span><span>{e.summary.clone()}</span></li>
                                }).collect_view()}
                            </ul>
                        </div>
                    })}
                    {(!p.open_tickets.is_empty()).then(|| view! {
                        <table class="table tickets pop-tickets">
                            <tbody>
                                {p.open_tickets.iter().map(|r| view! {
                                    <tr>
                                        <td><a href=format!("/agent/tickets/{}", r.id)>{r.subject.clone()}</a></td>
                                        <td><StateBadge code=r.state.code.clone() name=r.state.name.clone()/></td>
                                        <td>{r.nearest_due_at.map(|due| view! { <Countdown due now locale/> })}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    })}
                </div>
            }
            .into_any()
        }
    }
}
