//! Administrators' console settings: `/admin/billing` imports billing data (a CSV file of
//! one kind or a JSON document; every problem listed with its line, nothing imported then)
//! and `/admin/phrases` edits the standard phrases (steps with pauses, forbidden phrases,
//! variables checked by the server).

use leptos::prelude::*;
use leptos::task::spawn_local;
use loopdesk::billing::import::ImportKind;
use loopdesk::locale::Locale;
use loopdesk::phrase::{Phrase, PhraseStep};

use crate::api::console::{
    delete_phrase, import_billing_file, phrase_definitions, save_phrase, ImportOutcome,
};
use crate::components::panel::Panel;
use crate::i18n::console::ct;
use crate::i18n::fill;
use crate::pages::errors::ErrorBox;

/// `/admin/billing`.
#[component]
pub fn BillingImportPage(locale: Locale) -> impl IntoView {
    let tx = ct(locale);
    let format = RwSignal::new("csv".to_owned());
    let kind = RwSignal::new("accounts".to_owned());
    let text = RwSignal::new(String::new());
    let outcome = RwSignal::new(None::<Result<ImportOutcome, String>>);
    let busy = RwSignal::new(false);
    let on_file = move |ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            let input: Option<web_sys::HtmlInputElement> =
                ev.target().and_then(|t| t.dyn_into().ok());
            let file = input.and_then(|i| i.files()).and_then(|f| f.get(0));
            if let Some(file) = file {
                if file.name().ends_with(".json") {
                    format.set("json".into());
                }
                let promise = file.text();
                spawn_local(async move {
                    if let Ok(v) = wasm_bindgen_futures::JsFuture::from(promise).await {
                        text.set(v.as_string().unwrap_or_default());
                    }
                });
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = ev;
    };
    let run = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        spawn_local(async move {
            let r = import_billing_file(
                format.get_untracked(),
                kind.get_untracked(),
                text.get_untracked(),
            )
            .await;
            outcome.set(Some(r.map_err(|e| e.to_string())));
            busy.set(false);
        });
    };
    view! {
        <Panel title=tx.import_title>
            <p class="muted">{tx.import_hint}</p>
            <form class="form-grid" on:submit=run data-testid="billing-import">
                <label>{tx.import_format}
                    <select bind:value=format>
                        <option value="csv">"CSV"</option>
                        <option value="json">"JSON"</option>
                    </select>
                </label>
                <Show when=move || format.get() == "csv">
                    <label>{tx.import_kind}
                        <select bind:value=kind>
                            {ImportKind::ALL.iter().map(|k| view! {
                                <option value=k.code()>{crate::i18n::names::import_kind_name(*k, locale)}</option>
                            }).collect_view()}
                        </select>
                    </label>
                </Show>
                <label>{tx.import_file}<input type="file" accept=".csv,.json,text/csv,application/json" on:change=on_file/></label>
                <label class="wide">{tx.import_text}
                    <textarea bind:value=text rows="10" class="mono" spellcheck="false"></textarea>
                </label>
                <div class="wide">
                    <button class="btn btn-primary" type="submit" disabled=move || busy.get() || text.get().trim().is_empty()>
                        {tx.import_run}
                    </button>
                </div>
            </form>
            {move || outcome.get().map(|o| match o {
                Err(e) => view! { <p class="form-error" role="alert">{e}</p> }.into_any(),
                Ok(o) if o.issues.is_empty() => view! {
                    <p class="notice notice-ok" role="status" data-testid="import-done">
                        {fill(tx.import_done, &[
                            ("created", &o.created.to_string()), ("updated", &o.updated.to_string()),
                            ("unchanged", &o.unchanged.to_string()), ("collections", &o.collections.to_string()),
                        ])}
                    </p>
                }.into_any(),
                Ok(o) => view! {
                    <div class="notice notice-bad" role="alert" data-testid="import-problems">
                        <p>{tx.import_problems}</p>
                        <ul>{o.issues.into_iter().map(|i| view! { <li>{i}</li> }).collect_view()}</ul>
                    </div>
                }.into_any(),
            })}
        </Panel>
    }
}

/// `/admin/phrases`.
#[component]
pub fn PhrasesAdminPage(locale: Locale) -> impl IntoView {
    let tx = ct(locale);
    let version = RwSignal::new(0u32);
    let list = Resource::new(move || version.get(), |_| phrase_definitions());
    let editing = RwSignal::new(None::<Phrase>);
    let new_phrase = move |_| {
        editing.set(Some(Phrase {
            id: uuid::Uuid::nil(),
            position: 100,
            title_zh: String::new(),
            title_en: String::new(),
            steps: vec![PhraseStep {
                zh: String::new(),
                en: String::new(),
                pause_seconds: 0,
            }],
            forbidden_zh: String::new(),
            forbidden_en: String::new(),
        }))
    };
    view! {
        <Panel title=tx.phrases_admin>
            <p class="muted">{tx.phrases_admin_hint}</p>
            <button class="btn" type="button" on:click=new_phrase>{tx.new_phrase}</button>
            {move || editing.get().map(|p| view! {
                <PhraseEditor p locale on_done=Callback::new(move |_| { editing.set(None); version.update(|v| *v += 1); })/>
            })}
            <Transition fallback=|| view! { <div class="loading"></div> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                        Ok(all) => view! {
                            <table class="table" data-testid="phrase-table">
                                <thead><tr><th>{tx.position}</th><th>{tx.title_zh}</th><th>{tx.title_en}</th><th>{tx.step_zh}</th><th></th></tr></thead>
                                <tbody>
                                    {all.into_iter().map(|p| {
                                        let edit = p.clone();
                                        view! {
                                            <tr>
                                                <td class="num">{p.position}</td>
                                                <td>{p.title_zh.clone()}</td>
                                                <td>{p.title_en.clone()}</td>
                                                <td class="small">{p.steps.first().map(|s| s.zh.clone())}</td>
                                                <td><button class="btn btn-small" type="button" on:click=move |_| editing.set(Some(edit.clone()))>{tx.edit}</button></td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }.into_any(),
                    }
                })}
            </Transition>
        </Panel>
    }
}

#[component]
fn PhraseEditor(p: Phrase, locale: Locale, on_done: Callback<()>) -> impl IntoView {
    let tx = ct(locale);
    let id = p.id;
    let position = RwSignal::new(p.position.to_string());
    let title_zh = RwSignal::new(p.title_zh);
    let title_en = RwSignal::new(p.title_en);
    let forbidden_zh = RwSignal::new(p.forbidden_zh);
    let forbidden_en = RwSignal::new(p.forbidden_en);
    let steps = RwSignal::new(
        p.steps
            .into_iter()
            .map(|s| {
                (
                    RwSignal::new(s.zh),
                    RwSignal::new(s.en),
                    RwSignal::new(s.pause_seconds.to_string()),
                )
            })
            .collect::<Vec<_>>(),
    );
    let error = RwSignal::new(None::<String>);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let phrase = Phrase {
            id,
            position: position.get_untracked().trim().parse().unwrap_or(100),
            title_zh: title_zh.get_untracked(),
            title_en: title_en.get_untracked(),
            steps: steps
                .get_untracked()
                .iter()
                .map(|(zh, en, pause)| PhraseStep {
                    zh: zh.get_untracked(),
                    en: en.get_untracked(),
                    pause_seconds: pause.get_untracked().trim().parse().unwrap_or(0),
                })
                .collect(),
            forbidden_zh: forbidden_zh.get_untracked(),
            forbidden_en: forbidden_en.get_untracked(),
        };
        spawn_local(async move {
            match save_phrase(phrase).await {
                Ok(_) => on_done.run(()),
                Err(e) => error.set(Some(e.to_string())),
            }
        });
    };
    let remove = move |_| {
        spawn_local(async move {
            match delete_phrase(id.to_string()).await {
                Ok(()) => on_done.run(()),
                Err(e) => error.set(Some(e.to_string())),
            }
        });
    };
    view! {
        <form class="form-grid phrase-editor" on:submit=save data-testid="phrase-editor">
            <label>{tx.title_zh}<input type="text" bind:value=title_zh maxlength="60"/></label>
            <label>{tx.title_en}<input type="text" bind:value=title_en maxlength="60"/></label>
            <label>{tx.position}<input type="number" min="0" bind:value=position/></label>
            <div class="wide">
                <For each=move || steps.get().into_iter().enumerate() key=|(i, _)| *i let:((i, step))>
                    <div class="step-row">
                        <span class="muted">{i + 1}</span>
                        <label>{tx.step_zh}<textarea rows="2" bind:value=step.0></textarea></label>
                        <label>{tx.step_en}<textarea rows="2" bind:value=step.1></textarea></label>
                        <label>{tx.pause_seconds}<input type="number" min="0" max="60" bind:value=step.2/></label>
                        <button class="btn btn-ghost btn-small" type="button"
                            on:click=move |_| steps.update(|s| { if s.len() > 1 { s.remove(i); } })>{tx.remove_step}</button>
                    </div>
                </For>
                <button class="btn btn-small" type="button"
                    on:click=move |_| steps.update(|s| s.push((RwSignal::new(String::new()), RwSignal::new(String::new()), RwSignal::new("0".into())))) >
                    {tx.add_step}
                </button>
            </div>
            <label>{tx.forbidden_zh}<input type="text" bind:value=forbidden_zh/></label>
            <label>{tx.forbidden_en}<input type="text" bind:value=forbidden_en/></label>
            <div class="wide">
                <button class="btn btn-primary" type="submit">{tx.save}</button>
                {(!id.is_nil()).then(|| view! {
                    <button class="btn btn-ghost" type="button" on:click=remove>{tx.delete}</button>
                })}
            </div>
            {move || error.get().map(|e| view! { <p class="form-error wide" role="alert">{e}</p> })}
        </form>
    }
}

/// `/admin/tokens`: API tokens for integrations.
#[component]
pub fn TokensPage(locale: Locale) -> impl IntoView {
    use crate::api::console::{api_tokens, create_api_token, revoke_api_token};
    use crate::components::clock::local_time;
    use loopdesk::token::TokenScope;
    let tx = ct(locale);
    let version = RwSignal::new(0u32);
    let list = Resource::new(move || version.get(), |_| api_tokens());
    let name = RwSignal::new(String::new());
    // One box per scope; `cti` ticked to start with.
    let chosen = RwSignal::new(vec![TokenScope::Cti]);
    let expires = RwSignal::new(String::new());
    let ips = RwSignal::new(String::new());
    let acts_as = RwSignal::new(String::new());
    let created = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<String>);
    let create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let scopes: Vec<String> = chosen
            .get_untracked()
            .iter()
            .map(|s| s.code().to_owned())
            .collect();
        spawn_local(async move {
            match create_api_token(
                name.get_untracked(),
                scopes,
                expires.get_untracked(),
                ips.get_untracked(),
                acts_as.get_untracked(),
            )
            .await
            {
                Ok(secret) => {
                    created.set(Some(secret));
                    error.set(None);
                    name.set(String::new());
                    version.update(|v| *v += 1);
                }
                Err(e) => error.set(Some(e.to_string())),
            }
        });
    };
    view! {
        <Panel title=tx.tokens_title>
            <p class="muted">{tx.tokens_hint}</p>
            <form class="form-grid" on:submit=create data-testid="token-form">
                <label>{tx.token_name}<input type="text" bind:value=name maxlength="80"/></label>
                <div class="checks">
                    <span class="field-label">{tx.token_scopes}</span>
                    {TokenScope::ALL.iter().copied().map(|scope| view! {
                        <label class="check">
                            <input type="checkbox" value=scope.code()
                                prop:checked=move || chosen.read().contains(&scope)
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    chosen.update(|c| {
                                        c.retain(|s| *s != scope);
                                        if on {
                                            c.push(scope);
                                        }
                                    });
                                }/>
                            {scope.code()}
                        </label>
                    }).collect_view()}
                </div>
                <label>{tx.token_expires}<input type="date" bind:value=expires/></label>
                <label>{tx.token_ips}<input type="text" bind:value=ips placeholder="10.0.0.0/8, 192.168.1.20"/></label>
                <label>{tx.token_acts_as}<input type="text" name="acts_as" bind:value=acts_as placeholder="agent"/></label>
                <div class="wide"><button class="btn btn-primary" type="submit">{tx.token_create}</button></div>
                {move || error.get().map(|e| view! { <p class="form-error wide" role="alert">{e}</p> })}
            </form>
            {move || created.get().map(|secret| view! {
                <div class="notice notice-ok" role="status" data-testid="token-secret">
                    <p>{tx.token_once}</p>
                    <code class="secret">{secret}</code>
                </div>
            })}
            <Transition fallback=|| view! { <div class="loading"></div> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                        Ok(all) if all.is_empty() => view! { <p class="muted">{tx.none}</p> }.into_any(),
                        Ok(all) => view! {
                            <table class="table" data-testid="token-table">
                                <thead><tr>
                                    <th>{tx.token_name}</th><th>{tx.token_prefix}</th><th>{tx.token_scopes}</th>
                                    <th>{tx.token_expires}</th><th>{tx.token_ips}</th><th>{tx.token_last_used}</th><th></th>
                                </tr></thead>
                                <tbody>
                                    {all.into_iter().map(|t| {
                                        let id = t.id.to_string();
                                        let revoked = t.revoked_at.is_some();
                                        view! {
                                            <tr class:muted=revoked>
                                                <td>{t.name.clone()}</td>
                                                <td class="mono">{format!("ldk_{}_…", t.prefix)}</td>
                                                <td>{t.scopes.iter().map(|s| s.code()).collect::<Vec<_>>().join(", ")}</td>
                                                <td>{t.expires_at.map(local_time)}</td>
                                                <td class="small">{t.allow_ips.join(", ")}</td>
                                                <td>{t.last_used_at.map(local_time)}</td>
                                                <td>
                                                    {match revoked {
                                                        true => view! { <span class="badge badge-bad">{tx.token_revoked}</span> }.into_any(),
                                                        false => view! {
                                                            <button class="btn btn-small" type="button" on:click=move |_| {
                                                                let id = id.clone();
                                                                spawn_local(async move {
                                                                    if revoke_api_token(id).await.is_ok() {
                                                                        version.update(|v| *v += 1);
                                                                    }
                                                                });
                                                            }>{tx.token_revoke}</button>
                                                        }.into_any(),
                                                    }}
                                                </td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }.into_any(),
                    }
                })}
            </Transition>
        </Panel>
    }
}
