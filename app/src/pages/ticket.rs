//! `/agent/tickets/:id`: one ticket — header, customer card, each SLA target with a live
//! countdown, its state and explanation, only the actions the server would accept now
//! (each with its form), and the event timeline. A stale version shows the conflict
//! message and the fresh ticket.

use leptos::prelude::*;
use leptos::task::spawn_local;
use loopdesk::locale::Locale;
use loopdesk::ticket::action::{Action, RevisitOutcome, Visibility};
use loopdesk::user::{DepartmentId, UserId};

use crate::api::desk::{act_on_ticket, directory, get_ticket, DeskDirectory};
use crate::components::clock::{local_time, ticking, Countdown, StateBadge};
use crate::components::panel::Panel;
use crate::error::AppError;
use crate::i18n::desk::dt;
use crate::i18n::fill;
use crate::pages::errors::ErrorBox;
use crate::views::{SlaTargetView, TicketView};

/// `/agent/tickets/:id`.
#[component]
pub fn TicketPage(locale: Locale, id: String) -> impl IntoView {
    let ticket = Resource::new(move || id.clone(), get_ticket);
    let dir = Resource::new(|| (), |_| directory());
    view! {
        <Suspense fallback=|| view! { <div class="loading"></div> }>
            {move || Suspend::new(async move {
                match (ticket.await, dir.await) {
                    (Err(e), _) | (_, Err(e)) => view! { <ErrorBox error=e/> }.into_any(),
                    (Ok(t), Ok(d)) => view! { <TicketBody initial=t dir=d locale/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn TicketBody(initial: TicketView, dir: DeskDirectory, locale: Locale) -> impl IntoView {
    let tx = dt(locale);
    let px = crate::i18n::portal::pt(locale);
    let now = ticking(initial.as_of);
    let ticket = RwSignal::new(initial);
    let t = move || ticket.get();
    let inserted = RwSignal::new(None::<String>);
    let ticket_id = ticket.get_untracked().id;
    view! {
        <div class="ticket-head" data-testid="ticket-head">
            <a class="muted small" href="/agent/tickets">"← " {tx.back_to_queue}</a>
            <h1>
                <span class="mono" data-testid="ticket-number">{move || t().number}</span>
                " "
                {move || t().subject}
            </h1>
            <div class="ticket-meta">
                {move || {
                    let v = t();
                    view! {
                        <StateBadge code=v.state.code.clone() name=v.state.name.clone()/>
                        <span class="chip">{v.kind.name.clone()}</span>
                        {v.complexity.clone().map(|c| view! { <span class="chip">{c.name}</span> })}
                        <span class="chip">{v.channel.name.clone()}</span>
                        <span class="chip">{tx.priority} ": " {v.priority.name.clone()}</span>
                        <span class="chip">{tx.department} ": " {v.department.name.clone()}</span>
                        {v.assignee.clone().map(|a| view! { <span class="chip">{tx.agent} ": " {a.name}</span> })}
                        {(v.escalation_level > 0).then(|| view! {
                            <span class="badge badge-bad" data-testid="escalation">
                                {fill(dt(locale).escalated_badge, &[("n", &v.escalation_level.to_string())])}
                            </span>
                        })}
                        <span class="muted small">{tx.version} " " {v.version}</span>
                    }
                }}
            </div>
        </div>
        <div class="grid grid-ticket">
            <div class="col-main">
                <ActionPanel ticket dir locale inserted/>
                <Panel title=tx.sla_title>
                    <div class="sla-list" data-testid="sla-panel">
                        {move || t().sla.into_iter().map(|s| view! { <SlaCard s now locale/> }).collect_view()}
                    </div>
                </Panel>
                <Panel title=tx.timeline>
                    <Timeline ticket locale/>
                </Panel>
            </div>
            <div class="col-side">
                <crate::pages::knowledge::SuggestionsPanel ticket=ticket_id locale
                    on_insert=Callback::new(move |text| inserted.set(Some(text)))/>
                <Panel title=tx.customer_card>
                    {move || {
                        let c = t().customer;
                        view! {
                            <div class="customer-card" data-testid="customer-card">
                                <div class="customer-name">{c.name}</div>
                                <div><span class=format!("tier tier-{}", c.tier.code)>{c.tier.name}</span></div>
                                <div class="muted">{tx.phones} ": " {c.phones.join(" · ")}</div>
                            </div>
                        }
                    }}
                </Panel>
                <Panel title=tx.description>
                    {move || {
                        let v = t();
                        view! {
                            <p class="prewrap">{v.description.clone()}</p>
                            <dl class="facts">
                                <dt>{tx.category}</dt><dd>{v.category.clone()}</dd>
                                <dt>{tx.registered_at}</dt><dd>{local_time(v.registered_at)}</dd>
                                <dt>{tx.reopened}</dt><dd>{v.reopen_count}</dd>
                                <dt>{tx.unreachable_attempts}</dt><dd>{v.unreachable_attempts}</dd>
                                {v.account.clone().map(|a| view! { <dt>{px.account}</dt><dd class="mono">{a}</dd> })}
                                {v.contact_time.clone().map(|c| view! { <dt>{px.contact_time}</dt><dd>{c.name}</dd> })}
                            </dl>
                            {(!v.attachments.is_empty()).then(|| view! {
                                <h3 class="sub-title">{px.attachments}</h3>
                                <ul class="plain-list files" data-testid="ticket-attachments">
                                    {v.attachments.iter().map(|a| view! {
                                        <li><a href=a.url.clone() target="_blank" rel="noopener">{a.name.clone()}</a></li>
                                    }).collect_view()}
                                </ul>
                            })}
                        }
                    }}
                </Panel>
            </div>
        </div>
    }
}

#[component]
fn SlaCard(
    s: SlaTargetView,
    now: ReadSignal<chrono::DateTime<chrono::Utc>>,
    locale: Locale,
) -> impl IntoView {
    let tx = dt(locale);
    let running = s.stopped_at.is_none() && s.state.code != "paused";
    view! {
        <div class=format!("sla-card sla-{}", s.state.code) data-target=s.target.code.clone()>
            <div class="sla-top">
                <span class="sla-name">{s.target.name.clone()}</span>
                <span class=format!("badge sla-state-{}", s.state.code)>{s.state.name.clone()}</span>
                {running.then(|| view! { <Countdown due=s.due_at now locale/> })}
            </div>
            <dl class="sla-times">
                <dt>{tx.sla_due}</dt><dd data-testid="due">{local_time(s.due_at)}</dd>
                {s.hard_due_at.map(|h| view! { <dt>{tx.sla_hard}</dt><dd data-testid="hard">{local_time(h)}</dd> })}
                <dt>{tx.sla_warn}</dt><dd>{local_time(s.warn_at)}</dd>
                <dt>{tx.sla_started}</dt><dd>{local_time(s.started_at)}</dd>
                {s.stopped_at.map(|at| view! { <dt>{tx.sla_stopped}</dt><dd>{local_time(at)}</dd> })}
            </dl>
            {(s.paused_seconds > 0).then(|| view! {
                <p class="muted small">{fill(tx.sla_paused, &[("m", &(s.paused_seconds / 60).to_string())])}</p>
            })}
            <details class="explain">
                <summary>{tx.explain}</summary>
                <ul>{s.explanation.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}</ul>
            </details>
        </div>
    }
}

#[component]
fn Timeline(ticket: RwSignal<TicketView>, locale: Locale) -> impl IntoView {
    let tx = dt(locale);
    view! {
        <p class=move || if ticket.get().chain_intact { "chain ok small" } else { "chain broken small" }>
            {move || if ticket.get().chain_intact { tx.chain_ok } else { tx.chain_broken }}
        </p>
        <ol class="timeline" data-testid="timeline">
            {move || {
                let mut events = ticket.get().events;
                events.reverse();
                events
                    .into_iter()
                    .map(|e| {
                        let details = describe(&e.payload, locale);
                        view! {
                            <li class=format!("event event-{}", e.event.code)>
                                <div class="event-head">
                                    <span class="event-name">{e.event.name.clone()}</span>
                                    <span class="muted small">
                                        {local_time(e.at)} " · "
                                        {e.actor.map(|a| a.name).unwrap_or_else(|| tx.system.to_owned())}
                                    </span>
                                    {e.from.filter(|f| f.code != e.to.code).map(|f| view! {
                                        <span class="small">{f.name} " → " {e.to.name.clone()}</span>
                                    })}
                                </div>
                                {(!details.is_empty()).then(|| view! { <div class="event-body prewrap">{details}</div> })}
                            </li>
                        }
                    })
                    .collect_view()
            }}
        </ol>
    }
}

/// The free-text fields of an event's payload, one per line (the target's name for SLA
/// events).
fn describe(payload: &serde_json::Value, locale: Locale) -> String {
    const FIELDS: [&str; 6] = [
        "reason",
        "note",
        "resolution",
        "cause_category",
        "text",
        "comment",
    ];
    if let Some(target) = payload
        .get("target")
        .and_then(|t| serde_json::from_value::<loopdesk::sla::SlaTarget>(t.clone()).ok())
    {
        return crate::i18n::names::target_name(target, locale).to_owned();
    }
    FIELDS
        .iter()
        .filter_map(|f| {
            payload
                .get(*f)
                .and_then(|v| v.as_str())
                .filter(|v| !v.trim().is_empty())
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Form state of the action panel.
#[derive(Clone, Copy)]
struct Fields {
    reason: RwSignal<String>,
    note: RwSignal<String>,
    department: RwSignal<String>,
    agent: RwSignal<String>,
    resolution: RwSignal<String>,
    cause: RwSignal<String>,
    outcome: RwSignal<String>,
    rating: RwSignal<String>,
    text: RwSignal<String>,
    visibility: RwSignal<String>,
}

impl Fields {
    fn new() -> Fields {
        let s = || RwSignal::new(String::new());
        Fields {
            reason: s(),
            note: s(),
            department: s(),
            agent: s(),
            resolution: s(),
            cause: s(),
            outcome: RwSignal::new("satisfied".into()),
            rating: s(),
            text: s(),
            visibility: RwSignal::new("internal".into()),
        }
    }

    fn clear(&self) {
        for f in [
            self.reason,
            self.note,
            self.resolution,
            self.cause,
            self.text,
            self.rating,
        ] {
            f.set(String::new());
        }
    }

    fn action(&self, code: &str) -> Action {
        let g = |s: RwSignal<String>| s.get_untracked();
        let uuid =
            |s: RwSignal<String>| uuid::Uuid::parse_str(&s.get_untracked()).unwrap_or_default();
        match code {
            "acknowledge" => Action::Acknowledge,
            "dispatch" => Action::Dispatch {
                department: DepartmentId(uuid(self.department)),
                note: g(self.note),
            },
            "accept" => Action::Accept,
            "return" => Action::Return {
                reason: g(self.reason),
            },
            "transfer" => Action::Transfer {
                department: DepartmentId(uuid(self.department)),
                reason: g(self.reason),
            },
            "pause" => Action::Pause {
                reason: g(self.reason),
            },
            "resume" => Action::Resume,
            "reply" => Action::Reply {
                resolution: g(self.resolution),
                cause_category: g(self.cause),
            },
            "revisit" => Action::Revisit {
                outcome: match g(self.outcome).as_str() {
                    "unsatisfied" => RevisitOutcome::Unsatisfied,
                    "unreachable" => RevisitOutcome::Unreachable,
                    _ => RevisitOutcome::Satisfied,
                },
                rating: g(self.rating).parse().ok(),
                note: g(self.note),
            },
            "close" => Action::Close { note: g(self.note) },
            "escalate" => Action::Escalate {
                reason: g(self.reason),
            },
            "reassign" => Action::Reassign {
                agent: UserId(uuid(self.agent)),
            },
            "cancel" => Action::Cancel {
                reason: g(self.reason),
            },
            _ => Action::Comment {
                text: g(self.text),
                visibility: if g(self.visibility) == "customer" {
                    Visibility::Customer
                } else {
                    Visibility::Internal
                },
            },
        }
    }
}

#[component]
fn ActionPanel(
    ticket: RwSignal<TicketView>,
    dir: DeskDirectory,
    locale: Locale,
    inserted: RwSignal<Option<String>>,
) -> impl IntoView {
    let tx = dt(locale);
    let selected = RwSignal::new(None::<String>);
    let message = RwSignal::new(None::<(bool, String)>);
    let busy = RwSignal::new(false);
    let f = Fields::new();
    // An article's answer from the suggestions goes into the reply (or a customer-visible
    // comment when replying is not possible now).
    Effect::new(move |_| {
        let Some(text) = inserted.get() else {
            return;
        };
        let allowed = ticket.get_untracked().allowed_actions;
        let has = |code: &str| allowed.iter().any(|a| a.code == code);
        let append = |s: RwSignal<String>| {
            s.update(|v| {
                if !v.trim().is_empty() {
                    v.push_str("\n\n");
                }
                v.push_str(&text);
            })
        };
        if has("reply") {
            append(f.resolution);
            selected.set(Some("reply".into()));
        } else if has("comment") {
            append(f.text);
            f.visibility.set("customer".into());
            selected.set(Some("comment".into()));
        }
        inserted.set(None);
    });
    let departments = StoredValue::new(dir.departments);
    let staff = StoredValue::new(dir.staff);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(code) = selected.get_untracked() else {
            return;
        };
        let current = ticket.get_untracked();
        let action = f.action(&code);
        busy.set(true);
        spawn_local(async move {
            match act_on_ticket(current.id.clone(), current.version, action).await {
                Ok(fresh) => {
                    ticket.set(fresh);
                    selected.set(None);
                    f.clear();
                    message.set(Some((true, tx.done.to_owned())));
                }
                Err(AppError::Conflict(m)) => {
                    message.set(Some((false, format!("{m} {}", tx.reloaded))));
                    if let Ok(fresh) = get_ticket(current.id).await {
                        ticket.set(fresh);
                    }
                    selected.set(None);
                }
                Err(e) => message.set(Some((false, e.message(locale)))),
            }
            busy.set(false);
        });
    };

    let reason = move || {
        view! {
            <label class="field"><span class="field-label">{tx.reason}</span>
                <textarea name="reason" rows="2" bind:value=f.reason></textarea></label>
        }
    };
    let note = move || {
        view! {
            <label class="field"><span class="field-label">{tx.note}</span>
                <textarea name="note" rows="2" bind:value=f.note></textarea></label>
        }
    };
    let department = move || {
        view! {
            <label class="field"><span class="field-label">{tx.department}</span>
                <select name="department" on:change=move |ev| f.department.set(event_target_value(&ev))>
                    <option value="">{tx.choose}</option>
                    {departments.get_value().into_iter().map(|d| view! { <option value=d.id>{d.name}</option> }).collect_view()}
                </select></label>
        }
    };
    let form = move |code: String| -> AnyView {
        match code.as_str() {
            "dispatch" => view! { {department()} {note()} }.into_any(),
            "transfer" => view! { {department()} {reason()} }.into_any(),
            "return" | "pause" | "escalate" | "cancel" => reason().into_any(),
            "reply" => view! {
                <label class="field"><span class="field-label">{tx.resolution}</span>
                    <textarea name="resolution" rows="3" bind:value=f.resolution></textarea></label>
                <label class="field"><span class="field-label">{tx.cause_category}</span>
                    <input type="text" name="cause_category" bind:value=f.cause/></label>
            }.into_any(),
            "revisit" => view! {
                <label class="field"><span class="field-label">{tx.outcome}</span>
                    <select name="outcome" on:change=move |ev| f.outcome.set(event_target_value(&ev))>
                        <option value="satisfied">{tx.satisfied}</option>
                        <option value="unsatisfied">{tx.unsatisfied}</option>
                        <option value="unreachable">{tx.unreachable}</option>
                    </select></label>
                <label class="field"><span class="field-label">{tx.rating}</span>
                    <select name="rating" on:change=move |ev| f.rating.set(event_target_value(&ev))>
                        <option value="">{tx.no_rating}</option>
                        {(1..=5).rev().map(|r| view! { <option value=r.to_string()>{"★".repeat(r)}</option> }).collect_view()}
                    </select></label>
                {note()}
            }.into_any(),
            "close" => note().into_any(),
            "reassign" => view! {
                <label class="field"><span class="field-label">{tx.agent}</span>
                    <select name="agent" on:change=move |ev| f.agent.set(event_target_value(&ev))>
                        <option value="">{tx.choose}</option>
                        {staff.get_value().into_iter().map(|u| view! { <option value=u.id>{u.name}</option> }).collect_view()}
                    </select></label>
            }.into_any(),
            "comment" => view! {
                <label class="field"><span class="field-label">{tx.text}</span>
                    <textarea name="text" rows="2" bind:value=f.text></textarea></label>
                <label class="field"><span class="field-label">{tx.visibility}</span>
                    <select name="visibility" on:change=move |ev| f.visibility.set(event_target_value(&ev))>
                        <option value="internal">{tx.internal}</option>
                        <option value="customer">{tx.customer_visible}</option>
                    </select></label>
            }.into_any(),
            _ => ().into_any(),
        }
    };

    view! {
        <Panel title=tx.actions>
            {move || message.get().map(|(ok, m)| view! {
                <div class=if ok { "alert alert-ok" } else { "alert alert-error" } role="alert" data-testid="action-message">{m}</div>
            })}
            {move || {
                let allowed = ticket.get().allowed_actions;
                if allowed.is_empty() {
                    return view! { <p class="muted">{tx.no_actions}</p> }.into_any();
                }
                view! {
                    <div class="action-buttons" data-testid="actions">
                        {allowed.into_iter().map(|a| {
                            let code = a.code.clone();
                            let active = code.clone();
                            view! {
                                <button
                                    type="button"
                                    class="btn"
                                    class:btn-primary=move || selected.get().as_deref() == Some(active.as_str())
                                    data-action=a.code
                                    on:click=move |_| { message.set(None); selected.set(Some(code.clone())); }
                                >
                                    {a.name}
                                </button>
                            }
                        }).collect_view()}
                    </div>
                }.into_any()
            }}
            {move || selected.get().map(|code| {
                let body = form(code.clone());
                view! {
                <form class="form action-form" on:submit=submit data-form=code novalidate>
                    {body}
                    <div class="form-actions">
                        <button type="submit" class="btn btn-primary" disabled=move || busy.get()>{tx.submit}</button>
                        <button type="button" class="btn btn-ghost" on:click=move |_| selected.set(None)>{tx.cancel_form}</button>
                    </div>
                </form>
            }})}
        </Panel>
    }
}
