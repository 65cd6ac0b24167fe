//! The supervisor dashboard home: SLA and queue key figures, agent states, and the
//! escalations and overdue tickets to act on (reassign and escalate happen on the ticket
//! page, where the supervisor-only actions are offered).

use leptos::prelude::*;
use loopdesk::locale::Locale;

use crate::api::desk::{queue_counts, ticket_queue, Queue};
use crate::components::clock::{ticking, Countdown, StateBadge};
use crate::components::icon::IconKind;
use crate::components::panel::{Empty, Panel, Tile};
use crate::i18n::desk::dt;
use crate::i18n::{fill, t};
use crate::pages::errors::ErrorBox;

/// `/supervisor`.
#[component]
pub fn SupervisorHome(locale: Locale) -> impl IntoView {
    let tx = t(locale);
    let dx = dt(locale);
    let counts = Resource::new(|| (), |_| queue_counts());
    let escalated = Resource::new(|| (), |_| ticket_queue(Queue::Escalated, 1));
    let overdue = Resource::new(|| (), |_| ticket_queue(Queue::Overdue, 1));
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let c = counts.await.ok();
                let v = |f: fn(&crate::api::desk::QueueSizes) -> u64| c.map(|c| f(&c).to_string());
                view! {
                    <div class="tiles tiles-4" data-testid="kpis">
                        <Tile label=tx.kpi_sla_at_risk value=v(|c| c.at_risk) tone="warn"/>
                        <Tile label=tx.kpi_sla_breached value=v(|c| c.overdue) tone="bad"/>
                        <Tile label=tx.kpi_backlog value=v(|c| c.open) tone="info"/>
                        <Tile label=tx.kpi_service_level value=None tone="ok"/>
                    </div>
                }
            })}
        </Suspense>
        <div class="grid grid-2">
            <Panel title=dx.escalations_breaches>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        match (escalated.await, overdue.await) {
                            (Err(e), _) | (_, Err(e)) => view! { <ErrorBox error=e/> }.into_any(),
                            (Ok(a), Ok(b)) => {
                                let now = ticking(a.as_of);
                                let mut rows = a.items;
                                for r in b.items {
                                    if !rows.iter().any(|x| x.id == r.id) {
                                        rows.push(r);
                                    }
                                }
                                if rows.is_empty() {
                                    return view! {
                                        <Empty icon=IconKind::Flag title=dx.no_escalations hint=""/>
                                    }.into_any();
                                }
                                view! {
                                    <table class="table tickets" data-testid="escalations">
                                        <tbody>
                                            {rows.into_iter().map(|r| view! {
                                                <tr class:overdue=r.overdue>
                                                    <td>
                                                        <a href=format!("/agent/tickets/{}", r.id)>{r.subject.clone()}</a>
                                                        <div class="muted small mono">{r.number.clone()} " · " {r.customer_name.clone()}</div>
                                                    </td>
                                                    <td><StateBadge code=r.state.code.clone() name=r.state.name.clone()/></td>
                                                    <td>
                                                        {(r.escalation_level > 0).then(|| view! {
                                                            <span class="badge badge-bad">{fill(dx.escalated_badge, &[("n", &r.escalation_level.to_string())])}</span>
                                                        })}
                                                    </td>
                                                    <td>{r.nearest_due_at.map(|due| view! { <Countdown due now locale/> })}</td>
                                                </tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                }.into_any()
                            }
                        }
                    })}
                </Suspense>
            </Panel>
            <Panel title=tx.agents_now>
                <Empty icon=IconKind::Users title=tx.no_data_yet hint=tx.agent_state_hint/>
            </Panel>
        </div>
    }
}
