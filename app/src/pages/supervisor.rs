//! `/supervisor`: the live wallboard — open tickets by state and department, SLA at risk /
//! overdue / breached with drill-down to the queues, escalations, agents' states with time
//! in state, and today's calls (service level standard and VIP against their targets, ASA,
//! abandonment, AHT, occupancy, waiting and on the line). It listens to
//! `/api/v1/wallboard/live` and reloads its figures when the server says something changed.

use leptos::prelude::*;
use loopdesk::locale::Locale;

use crate::api::supervision::load_wallboard;
use crate::components::clock::{local_time, span_words, ticking, Countdown, StateBadge};
use crate::components::icon::IconKind;
use crate::components::panel::{Empty, Panel};
use crate::i18n::fill;
use crate::i18n::supervision::{st, SupervisionTexts};
use crate::pages::errors::ErrorBox;
use crate::views::supervision::{CallFigures, WallboardView};

/// `82.5%`, or `—`.
pub fn pct(v: Option<f64>) -> String {
    v.map_or_else(|| "—".to_owned(), |x| format!("{:.1}%", x * 100.0))
}

/// `12.3 s`, or `—`.
pub fn secs(v: Option<f64>, tx: &SupervisionTexts) -> String {
    v.map_or_else(|| "—".to_owned(), |x| format!("{x:.0} {}", tx.seconds))
}

/// Counts changes pushed by the server (`changed` events of the wallboard stream), and
/// whether the stream is connected.
fn change_stream() -> (ReadSignal<u64>, ReadSignal<bool>) {
    let (n, set_n) = signal(0u64);
    let (open, set_open) = signal(false);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        use wasm_bindgen::closure::Closure;
        use wasm_bindgen::JsCast;
        let Ok(source) = web_sys::EventSource::new("/api/v1/wallboard/live") else {
            return;
        };
        let on_change =
            Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |_: web_sys::MessageEvent| {
                set_n.update(|n| *n += 1);
            });
        let _ =
            source.add_event_listener_with_callback("changed", on_change.as_ref().unchecked_ref());
        on_change.forget();
        let on_open = Closure::<dyn FnMut(web_sys::Event)>::new(move |_: web_sys::Event| {
            set_open.set(true);
        });
        let _ = source.add_event_listener_with_callback("open", on_open.as_ref().unchecked_ref());
        on_open.forget();
        let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(move |_: web_sys::Event| {
            set_open.set(false);
        });
        let _ = source.add_event_listener_with_callback("error", on_error.as_ref().unchecked_ref());
        on_error.forget();
        let source = send_wrapper::SendWrapper::new(source);
        on_cleanup(move || source.close());
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = (set_n, set_open);
    (n, open)
}

/// A key figure, optionally linking to the tickets behind it.
#[component]
fn Figure(
    label: &'static str,
    value: String,
    tone: &'static str,
    #[prop(optional)] href: Option<&'static str>,
    #[prop(optional)] note: Option<String>,
    #[prop(optional)] testid: &'static str,
) -> impl IntoView {
    let body = view! {
        <div class=format!("tile tone-{tone}") data-testid=testid>
            <div class="tile-value">{value}</div>
            <div class="tile-label">{label}</div>
            {note.map(|n| view! { <div class="tile-note">{n}</div> })}
        </div>
    };
    match href {
        Some(h) => view! { <a class="tile-link" href=h>{body}</a> }.into_any(),
        None => body.into_any(),
    }
}

fn sl_tone(v: Option<f64>, target: f64) -> &'static str {
    match v {
        None => "info",
        Some(x) if x >= target => "ok",
        Some(_) => "bad",
    }
}

/// The call figures as tiles (wallboard: today; reports: the range).
#[component]
pub fn CallTiles(c: CallFigures, locale: Locale) -> impl IntoView {
    let tx = st(locale);
    let target = |t: f64| format!("{} {:.0}%", tx.target, t * 100.0);
    view! {
        <div class="tiles tiles-6" data-testid="call-figures">
            <Figure label=tx.service_level value=pct(c.service_level) tone=sl_tone(c.service_level, c.target_standard)
                note=format!("{} {} · {}", c.answered, tx.answered_calls, fill("≤{s}s", &[("s", &c.threshold_seconds.to_string())]))
                testid="fig-service-level"/>
            <Figure label=tx.standard value=pct(c.service_level_standard) tone=sl_tone(c.service_level_standard, c.target_standard)
                note=target(c.target_standard) testid="fig-sl-standard"/>
            <Figure label=tx.vip value=pct(c.service_level_vip) tone=sl_tone(c.service_level_vip, c.target_vip)
                note=target(c.target_vip) testid="fig-sl-vip"/>
            <Figure label=tx.asa value=secs(c.asa_seconds, tx) tone="info" testid="fig-asa"/>
            <Figure label=tx.abandonment value=pct(c.abandonment) tone="warn"
                note=format!("{} {} / {} {}", c.abandoned, tx.abandoned, c.offered, tx.calls_offered) testid="fig-abandonment"/>
            <Figure label=tx.aht value=secs(c.aht_seconds, tx) tone="info" testid="fig-aht"/>
            <Figure label=tx.occupancy value=pct(c.occupancy) tone="info" testid="fig-occupancy"/>
            <Figure label=tx.waiting value=c.waiting.to_string() tone={if c.waiting > 0 { "warn" } else { "ok" }} testid="fig-waiting"/>
            <Figure label=tx.in_progress value=c.in_progress.to_string() tone="info" testid="fig-in-progress"/>
        </div>
    }
}

/// `/supervisor`.
#[component]
pub fn SupervisorHome(locale: Locale) -> impl IntoView {
    let tx = st(locale);
    let (changes, connected) = change_stream();
    let board = Resource::new(move || changes.get(), |_| load_wallboard());
    view! {
        <div class="page-head">
            <h1>{tx.wallboard_title}</h1>
            <span class="live-badge" class:offline=move || !connected.get() data-testid="live-badge"
                data-live=move || if connected.get() { "open" } else { "closed" }>
                <span class="live-dot"></span>{tx.live}
            </span>
        </div>
        <Transition fallback=|| view! { <div class="loading"></div> }>
            {move || Suspend::new(async move {
                match board.await {
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    Ok(b) => view! { <Board b locale/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Board(b: WallboardView, locale: Locale) -> impl IntoView {
    let tx = st(locale);
    let now = ticking(b.as_of);
    let max_state = b.by_state.iter().copied().max().unwrap_or(0).max(1);
    let state_table = view! {
                <table class="table bars-table" data-testid="by-state">
                    <tbody>
                        {b.states.iter().zip(&b.by_state).map(|(s, n)| {
                            let width = format!("width: {}%", (*n as f64 / max_state as f64 * 100.0).round());
                            view! {
                                <tr>
                                    <td><StateBadge code=s.code.clone() name=s.name.clone()/></td>
                                    <td class="bar-cell"><span class="bar" style=width></span></td>
                                    <td class="num" data-state=s.code.clone()>{*n}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
    };
    let dept_table = view! {
                <div class="table-scroll">
                    <table class="table compact" data-testid="by-department">
                        <thead><tr>
                            <th>{tx.department}</th>
                            {b.states.iter().map(|s| view! { <th class="num">{s.name.clone()}</th> }).collect_view()}
                            <th class="num">{tx.total}</th>
                        </tr></thead>
                        <tbody>
                            {b.departments.iter().map(|d| view! {
                                <tr>
                                    <td class="nowrap">{d.department.name.clone()}</td>
                                    {d.counts.iter().map(|n| view! { <td class="num" class:muted=*n == 0>{*n}</td> }).collect_view()}
                                    <td class="num strong">{d.total}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
    };
    view! {
        <p class="muted small wallboard-updated" data-testid="updated">{tx.updated} " " {local_time(b.as_of)}</p>
        <div class="tiles tiles-5" data-testid="ticket-figures">
            <Figure label=tx.open value=b.open.to_string() tone="info" href="/agent/tickets?queue=open" testid="fig-open"/>
            <Figure label=tx.at_risk value=b.at_risk.to_string() tone="warn" href="/agent/tickets?queue=at_risk" testid="fig-at-risk"/>
            <Figure label=tx.overdue value=b.overdue.to_string() tone="bad" href="/agent/tickets?queue=overdue" testid="fig-overdue"/>
            <Figure label=tx.breached value=b.breached.to_string() tone="bad" href="/agent/tickets?queue=overdue" testid="fig-breached"/>
            <Figure label=tx.escalated value=b.escalated.to_string() tone="warn" href="/agent/tickets?queue=escalated" testid="fig-escalated"/>
        </div>
        <h2 class="section-title">{tx.calls_today}</h2>
        <CallTiles c=b.today.clone() locale/>
        <div class="grid grid-2">
            <Panel title=tx.by_state>
                {state_table}
            </Panel>
            <Panel title=tx.by_department>
                {dept_table}
            </Panel>
        </div>
        <div class="grid grid-agent">
            <Panel title=tx.attention>
                {if b.attention.is_empty() {
                    view! { <Empty icon=IconKind::Flag title=tx.nothing_overdue hint=""/> }.into_any()
                } else {
                    view! {
                        <table class="table tickets" data-testid="escalations">
                            <tbody>
                                {b.attention.iter().map(|r| view! {
                                    <tr class:overdue=r.overdue>
                                        <td>
                                            <a href=format!("/agent/tickets/{}", r.id)>{r.subject.clone()}</a>
                                            <div class="muted small mono">{r.number.clone()} " · " {r.department.name.clone()}</div>
                                        </td>
                                        <td><StateBadge code=r.state.code.clone() name=r.state.name.clone()/></td>
                                        <td>{(r.escalation_level > 0).then(|| view! { <span class="badge badge-bad">{tx.escalated} " " {r.escalation_level}</span> })}</td>
                                        <td>{r.nearest_due_at.map(|due| view! { <Countdown due now locale/> })}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any()
                }}
            </Panel>
            <Panel title=tx.agents_title>
                {if b.agents.is_empty() {
                    view! { <Empty icon=IconKind::Users title=tx.no_agents hint=""/> }.into_any()
                } else {
                    view! {
                        <table class="table compact" data-testid="agents">
                            <tbody>
                                {b.agents.iter().map(|a| {
                                    let since = a.since;
                                    view! {
                                        <tr data-agent=a.agent.name.clone()>
                                            <td>{a.agent.name.clone()}</td>
                                            <td>
                                                <span class=format!("agent-state agent-{}", a.state.code) data-state=a.state.code.clone()>{a.state.name.clone()}</span>
                                                {a.reason.clone().map(|r| view! { <span class="muted small">" · " {r}</span> })}
                                            </td>
                                            <td class="num muted small">{tx.in_state_for} " " {move || span_words(now.get() - since, locale)}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any()
                }}
            </Panel>
        </div>
    }
}
