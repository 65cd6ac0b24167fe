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
use crate::views::ScreenPop;

/// Opens the live stream once hydrated; the latest pop lands in the returned signal.
fn live_pops() -> ReadSignal<Option<ScreenPop>> {
    let (pop, set_pop) = signal(None::<ScreenPop>);
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
        let source = send_wrapper::SendWrapper::new(source);
        on_cleanup(move || source.close());
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = set_pop;
    pop
}

/// The "current call" panel body.
#[component]
pub fn CurrentCall(locale: Locale) -> impl IntoView {
    let tx = t(locale);
    let dx = dt(locale);
    let pop = live_pops();
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
                            <a class="btn btn-primary" href=register(&c.id) data-testid="register-from-call">{dx.register_from_call}</a>
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
