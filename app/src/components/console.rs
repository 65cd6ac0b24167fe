//! Panels of the agent console: the agent's state (available, break with a reason,
//! offline; on call and wrap-up come from the telephony) with the wrap-up form that ends
//! wrap-up, and the standard phrases for the situation, addressed to the caller on the line.

use leptos::prelude::*;
use leptos::task::spawn_local;
use loopdesk::locale::Locale;

use crate::api::console::{my_agent_state, phrase_list, set_agent_state, submit_disposition};
use crate::components::clock::local_time;
use crate::i18n::console::ct;
use crate::i18n::fill;
use crate::views::console::{disposition_name, AgentStateView, DISPOSITIONS};

/// The agent's state and the buttons to change it; `pushed` carries changes the server
/// pushes (a call answered or ended).
#[component]
pub fn AgentStatePanel(
    locale: Locale,
    pushed: ReadSignal<Option<AgentStateView>>,
) -> impl IntoView {
    let tx = ct(locale);
    let current = RwSignal::new(None::<AgentStateView>);
    let error = RwSignal::new(None::<String>);
    let reason = RwSignal::new(tx.break_reasons.split(',').next().unwrap_or("").to_owned());
    let disposition = RwSignal::new(DISPOSITIONS[0].to_owned());
    let notes = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let loaded = Resource::new(|| (), |_| my_agent_state());
    Effect::new(move |_| {
        if let Some(Ok(s)) = loaded.get() {
            current.set(Some(s));
        }
    });
    Effect::new(move |_| {
        if let Some(s) = pushed.get() {
            current.set(Some(s));
        }
    });
    let change = move |code: &'static str| {
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            let why = if code == "break" {
                reason.get_untracked()
            } else {
                String::new()
            };
            match set_agent_state(code.to_owned(), why).await {
                Ok(s) => current.set(Some(s)),
                Err(e) => error.set(Some(e.to_string())),
            }
            busy.set(false);
        });
    };
    let wrap_up = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(call) = current.get_untracked().and_then(|s| s.call_id) else {
            return;
        };
        busy.set(true);
        spawn_local(async move {
            match submit_disposition(call, disposition.get_untracked(), notes.get_untracked()).await
            {
                Ok(()) => {
                    notes.set(String::new());
                    if let Ok(s) = my_agent_state().await {
                        current.set(Some(s));
                    }
                }
                Err(e) => error.set(Some(e.to_string())),
            }
            busy.set(false);
        });
    };
    let code = move || {
        current
            .get()
            .map(|s| s.state.code)
            .unwrap_or_else(|| "offline".into())
    };
    view! {
        <div data-testid="agent-state" data-state=code>
            {move || current.get().map(|s| view! {
                <div class="state-row">
                    <span class=format!("state-dot {}", s.state.code) aria-hidden="true"></span>
                    <span class="state-name">{s.state.name.clone()}</span>
                    {s.reason.clone().map(|r| view! { <span class="chip">{r}</span> })}
                    <span class="muted small">{fill(tx.state_since, &[("time", &local_time(s.since))])}</span>
                </div>
            })}
            <Show when=move || !matches!(code().as_str(), "on_call" | "wrap_up")>
                <div class="state-buttons">
                    <button class="btn btn-small" type="button" data-testid="go-available"
                        disabled=move || busy.get() || code() == "available"
                        on:click=move |_| change("available")>{tx.go_available}</button>
                    <select bind:value=reason aria-label=tx.break_reason>
                        {tx.break_reasons.split(',').map(|r| view! { <option value=r>{r}</option> }).collect_view()}
                    </select>
                    <button class="btn btn-small" type="button" disabled=move || busy.get() || code() == "break"
                        on:click=move |_| change("break")>{tx.go_break}</button>
                    <button class="btn btn-small btn-ghost" type="button" disabled=move || busy.get() || code() == "offline"
                        on:click=move |_| change("offline")>{tx.go_offline}</button>
                </div>
            </Show>
            <Show when=move || code() == "wrap_up">
                <form class="wrap-up" on:submit=wrap_up data-testid="wrap-up">
                    <h3 class="sub-title">{tx.wrap_up_title}</h3>
                    <p class="muted small">{tx.wrap_up_hint}</p>
                    <label>{tx.disposition}
                        <select bind:value=disposition>
                            {DISPOSITIONS.iter().map(|d| view! { <option value=*d>{disposition_name(d, locale)}</option> }).collect_view()}
                        </select>
                    </label>
                    <label>{tx.note}<textarea bind:value=notes rows="2" maxlength="2000"></textarea></label>
                    <button class="btn btn-primary" type="submit" disabled=move || busy.get()>{tx.submit}</button>
                </form>
            </Show>
            {move || error.get().map(|e| view! { <p class="form-error small" role="alert">{e}</p> })}
        </div>
    }
}

/// The standard phrases, re-rendered for the caller when a call pops (`customer`).
#[component]
pub fn PhrasesPanel(locale: Locale, customer: Signal<Option<String>>) -> impl IntoView {
    let tx = ct(locale);
    let phrases = Resource::new(
        move || customer.get(),
        |c| phrase_list(c.unwrap_or_default()),
    );
    view! {
        <Transition fallback=|| view! { <div class="loading"></div> }>
            {move || Suspend::new(async move {
                match phrases.await {
                    Err(e) => view! { <p class="form-error small">{e.to_string()}</p> }.into_any(),
                    Ok(list) => view! {
                        <div class="phrases" data-testid="phrases">
                            {list.into_iter().map(|p| view! {
                                <details class="phrase">
                                    <summary>{p.title.clone()}</summary>
                                    <ol class="phrase-steps">
                                        {p.steps.iter().map(|(text, pause)| view! {
                                            <li>
                                                <span class="phrase-text">{text.clone()}</span>
                                                {(*pause > 0).then(|| view! {
                                                    <span class="chip">{fill(tx.pause, &[("s", &pause.to_string())])}</span>
                                                })}
                                            </li>
                                        }).collect_view()}
                                    </ol>
                                    {(!p.forbidden.is_empty()).then(|| view! {
                                        <p class="forbidden small">{tx.forbidden}{p.forbidden.clone()}</p>
                                    })}
                                </details>
                            }).collect_view()}
                        </div>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}
