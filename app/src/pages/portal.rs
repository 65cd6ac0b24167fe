//! The customer portal: home (open requests with their promise in plain words and a live
//! countdown, balance, recent bills, shortcuts), the request list, the submission form
//! with files, one request (timeline, reply, add files, confirm or reject the answer with a
//! rating), bills with CSV download, notices, and the password change.

use chrono::{DateTime, Datelike, Utc};
use leptos::prelude::*;
use leptos::task::spawn_local;
use loopdesk::locale::Locale;

use crate::api::portal::*;
use crate::api::SessionUser;
use crate::components::clock::{countdown, local_time, ticking};
use crate::components::icon::IconKind;
use crate::components::panel::{Empty, Panel};
use crate::i18n::portal::{pt, PortalTexts};
use crate::i18n::{fill, t};
use crate::pages::errors::ErrorBox;
use crate::views::console::BillingView;
use crate::views::portal::{Promise, PromiseKind, RequestRow, RequestView};

/// "Tue 2 Dec 14:30" / "12月2日（周二）14:30" on the center's clock.
pub fn promise_time(at: DateTime<Utc>, locale: Locale) -> String {
    let local = at.with_timezone(&chrono_tz::Asia::Shanghai);
    match locale {
        Locale::En => local.format("%a %-d %b %H:%M").to_string(),
        Locale::ZhCn => {
            let days = ["一", "二", "三", "四", "五", "六", "日"];
            let wd = days[local.weekday().num_days_from_monday() as usize];
            format!(
                "{}月{}日（周{wd}）{}",
                local.month(),
                local.day(),
                local.format("%H:%M")
            )
        }
    }
}

/// The promise of a request in words, with a countdown when it has a time.
#[component]
fn PromiseLine(
    promise: Option<Promise>,
    now: ReadSignal<DateTime<Utc>>,
    locale: Locale,
) -> impl IntoView {
    let px = pt(locale);
    let Some(p) = promise else {
        return ().into_any();
    };
    let words = |text: &str| match p.due_at {
        Some(due) => fill(text, &[("t", &promise_time(due, locale))]),
        None => text.to_owned(),
    };
    let line = match p.kind {
        PromiseKind::Contact => words(px.promise_contact),
        PromiseKind::Answer => words(px.promise_answer),
        PromiseKind::WaitingForYou => px.promise_waiting.to_owned(),
        PromiseKind::Confirm => px.promise_confirm.to_owned(),
    };
    let timed = matches!(p.kind, PromiseKind::Contact | PromiseKind::Answer);
    let due = p.due_at.filter(|_| timed);
    view! {
        <p class="promise" data-testid="promise" data-kind=format!("{:?}", p.kind).to_lowercase()>
            <span>{line}</span>
            {due.map(|due| view! {
                <span class="countdown" class:late=move || countdown(due, now.get(), locale).1>
                    {move || {
                        let (text, late) = countdown(due, now.get(), locale);
                        if late { px.promise_late.to_owned() } else { text }
                    }}
                </span>
            })}
        </p>
    }
    .into_any()
}

fn request_rows(
    rows: Vec<RequestRow>,
    now: ReadSignal<DateTime<Utc>>,
    locale: Locale,
) -> impl IntoView {
    view! {
        <ul class="request-list" data-testid="requests">
            {rows.into_iter().map(|r| {
                let href = format!("/portal/requests/{}", r.id);
                view! {
                    <li class="request-row">
                        <a href=href class="request-link">
                            <span class="request-top">
                                <span class="mono small muted">{r.number.clone()}</span>
                                <span class=format!("badge state-{}", r.state.code) data-state=r.state.code.clone()>{r.state.name.clone()}</span>
                            </span>
                            <strong class="request-subject">{r.subject.clone()}</strong>
                            <span class="small muted">{r.kind.name.clone()} " · " {local_time(r.registered_at)}</span>
                        </a>
                        <PromiseLine promise=r.promise now locale/>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

/// `/portal`.
#[component]
pub fn PortalHome(user: SessionUser, locale: Locale) -> impl IntoView {
    let tx = t(locale);
    let px = pt(locale);
    let kx = crate::i18n::knowledge::kt(locale);
    let home = Resource::new(|| (), |_| portal_home());
    view! {
        <div class="welcome portal-welcome">
            <div>
                <h1>{fill(tx.portal_greeting, &[("name", &user.display_name)])}</h1>
                <p class="muted">{tx.portal_intro}</p>
            </div>
            <a class="btn btn-primary" href="/portal/requests/new" data-testid="new-request">{px.new_request}</a>
        </div>
        <Suspense fallback=|| view! { <div class="loading"></div> }>
            {move || Suspend::new(async move {
                match home.await {
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    Ok(h) => {
                        let now = ticking(h.as_of);
                        let unread = h.unread;
                        view! {
                            {(unread > 0).then(|| view! {
                                <a class="alert alert-info notice-banner" href="/portal/notices" data-testid="unread">
                                    {px.notices} ": " {unread} " " {px.unread}
                                </a>
                            })}
                            <div class="grid portal-grid">
                                <Panel title=px.open_requests>
                                    {if h.open.is_empty() {
                                        view! { <Empty icon=IconKind::Document title=px.no_open_requests hint=px.no_requests_hint/> }.into_any()
                                    } else {
                                        request_rows(h.open.clone(), now, locale).into_any()
                                    }}
                                    <a class="small" href="/portal/requests">{px.all_requests} " →"</a>
                                </Panel>
                                <Panel title=px.balance>
                                    <p class="balance" data-testid="balance">{h.balance.to_string()}</p>
                                    <ul class="plain-list">
                                        {h.accounts.iter().map(|a| view! {
                                            <li><span class="mono">{a.number.clone()}</span> " · " {a.plan.clone()} " · " {a.status.name.clone()}</li>
                                        }).collect_view()}
                                    </ul>
                                    <h3 class="sub-title">{px.recent_bills}</h3>
                                    {if h.bills.is_empty() {
                                        view! { <p class="muted">{px.no_bills}</p> }.into_any()
                                    } else {
                                        view! {
                                            <ul class="plain-list">
                                                {h.bills.iter().map(|b| view! {
                                                    <li class="bill-line"><span>{b.period.clone()} " · " <span class="mono">{b.account.clone()}</span></span><span class="num">{b.total.to_string()}</span></li>
                                                }).collect_view()}
                                            </ul>
                                        }.into_any()
                                    }}
                                    <a class="small" href="/portal/bills">{px.all_bills} " →"</a>
                                </Panel>
                                <Panel title=tx.self_help>
                                    <p class="muted">{tx.self_help_hint}</p>
                                    <div class="pop-actions">
                                        <a class="btn" href="/portal/help">{kx.title_portal}</a>
                                        <a class="btn" href="/portal/help?bot=1">{kx.ask_bot}</a>
                                        <a class="btn btn-ghost" href="/portal/help?tab=flows">{kx.tab_flows}</a>
                                    </div>
                                </Panel>
                            </div>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// `/portal/requests`.
#[component]
pub fn RequestsPage(locale: Locale) -> impl IntoView {
    let px = pt(locale);
    let rows = Resource::new(|| (), |_| portal_requests());
    view! {
        <div class="page-head">
            <h1>{px.all_requests}</h1>
            <a class="btn btn-primary" href="/portal/requests/new">{px.new_request}</a>
        </div>
        <Suspense fallback=|| view! { <div class="loading"></div> }>
            {move || Suspend::new(async move {
                match rows.await {
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    Ok((r, _)) if r.is_empty() => view! {
                        <Empty icon=IconKind::Document title=px.no_open_requests hint=px.no_requests_hint/>
                    }.into_any(),
                    Ok((r, as_of)) => {
                        let now = ticking(as_of);
                        request_rows(r, now, locale).into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// `/portal/requests/:rid`: the form (`new`) or one request.
#[component]
pub fn RequestRoute(locale: Locale, id: String) -> impl IntoView {
    if id == "new" {
        view! { <SubmitForm locale/> }.into_any()
    } else {
        view! { <RequestPage locale id/> }.into_any()
    }
}

#[component]
fn SubmitForm(locale: Locale) -> impl IntoView {
    let px = pt(locale);
    let choices = Resource::new(|| (), |_| portal_choices());
    let form_ref = NodeRef::<leptos::html::Form>::new();
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        #[cfg(feature = "hydrate")]
        if let Some(form) = form_ref.get() {
            busy.set(true);
            error.set(None);
            spawn_local(async move {
                match crate::components::upload::post_form("/api/v1/portal/tickets", &form).await {
                    Ok(json) => {
                        let id = json["row"]["id"].as_str().unwrap_or_default().to_owned();
                        if let Some(w) = web_sys::window() {
                            let _ = w.location().set_href(&format!("/portal/requests/{id}"));
                        }
                    }
                    Err(m) => {
                        error.set(Some(m));
                        busy.set(false);
                    }
                }
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (form_ref, busy, error);
    };
    view! {
        <div class="page-head">
            <h1>{px.submit_title}</h1>
            <a class="btn btn-ghost" href="/portal/requests">{px.back}</a>
        </div>
        <Suspense fallback=|| view! { <div class="loading"></div> }>
            {move || Suspend::new(async move {
                match choices.await {
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    Ok(c) => view! {
                        <form class="card form-card submit-form" node_ref=form_ref on:submit=on_submit
                            enctype="multipart/form-data" data-testid="submit-form">
                            <p class="muted">{px.submit_intro}</p>
                            {move || error.get().map(|e| view! { <div class="alert alert-error" role="alert">{e}</div> })}
                            <div class="form-grid">
                                <label class="field">
                                    <span class="field-label">{px.kind}</span>
                                    <select name="kind" required>
                                        {c.kinds.iter().map(|k| view! { <option value=k.code.clone()>{k.name.clone()}</option> }).collect_view()}
                                    </select>
                                </label>
                                <label class="field">
                                    <span class="field-label">{px.category}</span>
                                    <select name="category">
                                        <option value="">{px.choose}</option>
                                        {c.categories.iter().map(|k| view! { <option value=k.code.clone()>{k.name.clone()}</option> }).collect_view()}
                                    </select>
                                </label>
                                <label class="field">
                                    <span class="field-label">{px.account}</span>
                                    <select name="account">
                                        <option value="">{px.no_account_choice}</option>
                                        {c.accounts.iter().map(|a| view! { <option value=a.clone()>{a.clone()}</option> }).collect_view()}
                                    </select>
                                </label>
                                <label class="field">
                                    <span class="field-label">{px.contact_time}</span>
                                    <select name="contact_time">
                                        {c.contact_times.iter().map(|k| view! { <option value=k.code.clone()>{k.name.clone()}</option> }).collect_view()}
                                    </select>
                                </label>
                            </div>
                            <label class="field">
                                <span class="field-label">{px.subject}</span>
                                <input type="text" name="subject" maxlength="200" placeholder=px.subject_hint/>
                            </label>
                            <label class="field">
                                <span class="field-label">{px.description}</span>
                                <textarea name="description" rows="6" required placeholder=px.description_hint></textarea>
                            </label>
                            <label class="field">
                                <span class="field-label">{px.files}</span>
                                <input type="file" name="files" multiple accept="image/png,image/jpeg,image/gif,image/webp,application/pdf" data-testid="files"/>
                                <span class="hint">{px.files_hint}</span>
                            </label>
                            <button class="btn btn-primary" type="submit" disabled=move || busy.get()>
                                {move || if busy.get() { px.submitting } else { px.submit }}
                            </button>
                        </form>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn RequestPage(locale: Locale, id: String) -> impl IntoView {
    let request = Resource::new(move || id.clone(), portal_request);
    view! {
        <Suspense fallback=|| view! { <div class="loading"></div> }>
            {move || Suspend::new(async move {
                match request.await {
                    Err(e) => view! {
                        <a class="muted small" href="/portal/requests">"← " {pt(locale).all_requests}</a>
                        <ErrorBox error=e/>
                    }.into_any(),
                    Ok(r) => view! { <RequestBody initial=r locale/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn RequestBody(initial: RequestView, locale: Locale) -> impl IntoView {
    let px = pt(locale);
    let now = ticking(initial.as_of);
    let request = RwSignal::new(initial);
    let r = move || request.get();
    let error = RwSignal::new(None::<String>);
    let apply = move |res: Result<RequestView, crate::error::AppError>| match res {
        Ok(v) => {
            error.set(None);
            request.set(v);
        }
        Err(e) => error.set(Some(e.message(locale))),
    };
    view! {
        <a class="muted small" href="/portal/requests">"← " {px.all_requests}</a>
        <div class="ticket-head" data-testid="request-head">
            <h1>
                <span class="mono" data-testid="request-number">{move || r().row.number}</span>
                " "
                {move || r().row.subject}
            </h1>
            <div class="ticket-meta">
                {move || {
                    let s = r().row.state;
                    view! { <span class=format!("badge state-{}", s.code) data-testid="request-state" data-state=s.code>{s.name}</span> }
                }}
                <span class="chip">{move || r().row.kind.name}</span>
            </div>
            {move || view! { <PromiseLine promise=r().row.promise now locale/> }}
        </div>
        {move || error.get().map(|e| view! { <div class="alert alert-error" role="alert">{e}</div> })}
        <div class="request-layout">
            <div class="request-main">
                <Show when=move || r().can_confirm>
                    <ConfirmPanel request locale apply/>
                </Show>
                <Panel title=px.timeline>
                    <ol class="timeline portal-timeline" data-testid="timeline">
                        {move || r().timeline.into_iter().map(|e| view! {
                            <li class="timeline-item" class:mine=e.mine data-kind=e.kind>
                                <div class="timeline-meta small muted"><span>{e.who.clone()}</span>" · "<span>{local_time(e.at)}</span></div>
                                <div class="timeline-title">{e.title.clone()}</div>
                                {e.body.clone().map(|b| view! { <div class="timeline-body">{b}</div> })}
                            </li>
                        }).collect_view()}
                    </ol>
                </Panel>
                <Show when=move || r().can_reply>
                    <ReplyPanel request locale apply/>
                </Show>
            </div>
            <aside class="request-side">
                <Panel title=px.details>
                    <dl class="facts">
                        <dt>{px.submitted_at}</dt><dd>{move || local_time(r().row.registered_at)}</dd>
                        {move || (!r().category.is_empty()).then(|| view! { <dt>{px.category}</dt><dd>{r().category}</dd> })}
                        {move || r().account.map(|a| view! { <dt>{px.account}</dt><dd class="mono">{a}</dd> })}
                        {move || r().contact_time.map(|c| view! { <dt>{px.contact_time}</dt><dd>{c.name}</dd> })}
                    </dl>
                    <p class="description">{move || r().description}</p>
                </Panel>
                <Panel title=px.attachments>
                    <ul class="plain-list files" data-testid="attachments">
                        {move || r().attachments.into_iter().map(|a| view! {
                            <li><a href=a.url.clone() target="_blank" rel="noopener">{a.name.clone()}</a>
                                <span class="small muted">" " {format!("{:.0} KB", (a.size as f64 / 1024.0).ceil())}</span></li>
                        }).collect_view()}
                    </ul>
                    <Show when=move || r().can_attach>
                        <AddFiles request locale error/>
                    </Show>
                </Panel>
            </aside>
        </div>
    }
}

#[component]
fn ConfirmPanel(
    request: RwSignal<RequestView>,
    locale: Locale,
    apply: impl Fn(Result<RequestView, crate::error::AppError>) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let px = pt(locale);
    let satisfied = RwSignal::new(true);
    let rating = RwSignal::new(5u8);
    let comment = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let v = request.get_untracked();
        busy.set(true);
        spawn_local(async move {
            let res = portal_confirm(
                v.row.id,
                v.version,
                satisfied.get_untracked(),
                rating.get_untracked(),
                comment.get_untracked(),
            )
            .await;
            busy.set(false);
            apply(res);
        });
    };
    view! {
        <form class="card confirm-card" on:submit=send data-testid="confirm-form">
            <h2>{px.confirm_title}</h2>
            <p class="muted">{px.confirm_intro}</p>
            <div class="choice-row" role="radiogroup">
                <label class="choice" class:chosen=move || satisfied.get()>
                    <input type="radio" name="satisfied" checked=move || satisfied.get() on:change=move |_| satisfied.set(true) data-testid="satisfied"/>
                    {px.satisfied}
                </label>
                <label class="choice" class:chosen=move || !satisfied.get()>
                    <input type="radio" name="satisfied" checked=move || !satisfied.get() on:change=move |_| satisfied.set(false) data-testid="unsatisfied"/>
                    {px.unsatisfied}
                </label>
            </div>
            <div class="field">
                <span class="field-label">{px.rating}</span>
                <div class="stars" data-testid="rating">
                    {(1u8..=5).map(|n| view! {
                        <button type="button" class="star" class:on=move || { rating.get() >= n }
                            aria-label=n.to_string() aria-pressed=move || (rating.get() == n).to_string()
                            on:click=move |_| rating.set(n)>"★"</button>
                    }).collect_view()}
                </div>
            </div>
            <label class="field">
                <span class="field-label">{px.comment}</span>
                <textarea rows="2" bind:value=comment data-testid="confirm-comment"></textarea>
            </label>
            <button class="btn btn-primary" type="submit" disabled=move || busy.get()>{px.confirm_send}</button>
        </form>
    }
}

#[component]
fn ReplyPanel(
    request: RwSignal<RequestView>,
    locale: Locale,
    apply: impl Fn(Result<RequestView, crate::error::AppError>) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let px = pt(locale);
    let text = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let v = request.get_untracked();
        busy.set(true);
        spawn_local(async move {
            let res = portal_reply(v.row.id, v.version, text.get_untracked()).await;
            busy.set(false);
            if res.is_ok() {
                text.set(String::new());
            }
            apply(res);
        });
    };
    view! {
        <form class="card reply-card" on:submit=send data-testid="reply-form">
            <label class="field">
                <span class="field-label">{px.reply}</span>
                <textarea rows="3" bind:value=text placeholder=px.reply_placeholder></textarea>
            </label>
            <button class="btn" type="submit" disabled=move || busy.get() || text.get().trim().is_empty()>{px.send}</button>
        </form>
    }
}

#[component]
fn AddFiles(
    request: RwSignal<RequestView>,
    locale: Locale,
    error: RwSignal<Option<String>>,
) -> impl IntoView {
    let px = pt(locale);
    let form_ref = NodeRef::<leptos::html::Form>::new();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        #[cfg(feature = "hydrate")]
        if let Some(form) = form_ref.get() {
            let id = request.get_untracked().row.id;
            spawn_local(async move {
                let url = format!("/api/v1/portal/tickets/{id}/attachments");
                match crate::components::upload::post_form(&url, &form).await {
                    Ok(json) => match serde_json::from_value::<RequestView>(json) {
                        Ok(v) => {
                            form.reset();
                            error.set(None);
                            request.set(v);
                        }
                        Err(e) => error.set(Some(e.to_string())),
                    },
                    Err(m) => error.set(Some(m)),
                }
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (form_ref, request, error);
    };
    view! {
        <form class="add-files" node_ref=form_ref on:submit=on_submit enctype="multipart/form-data">
            <input type="file" name="files" multiple accept="image/png,image/jpeg,image/gif,image/webp,application/pdf"/>
            <button class="btn btn-small" type="submit">{px.upload}</button>
        </form>
    }
}

/// `/portal/bills`.
#[component]
pub fn BillsPage(locale: Locale) -> impl IntoView {
    let px = pt(locale);
    let (from, to) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let range = RwSignal::new((String::new(), String::new()));
    let bills = Resource::new(move || range.get(), |(f, t)| portal_bills(f, t));
    view! {
        <div class="page-head"><h1>{px.bills_title}</h1></div>
        <Suspense fallback=|| view! { <div class="loading"></div> }>
            {move || Suspend::new(async move {
                match bills.await {
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    Ok(b) => {
                        from.set(b.from.to_string());
                        to.set(b.to.to_string());
                        view! { <BillsBody b locale px from to range/> }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
fn BillsBody(
    b: BillingView,
    locale: Locale,
    px: &'static PortalTexts,
    from: RwSignal<String>,
    to: RwSignal<String>,
    range: RwSignal<(String, String)>,
) -> impl IntoView {
    view! {
        <div class="grid grid-3 account-cards">
            {b.accounts.iter().map(|a| view! {
                <div class="card account-card">
                    <div class="small muted mono">{a.number.clone()}</div>
                    <div class="balance">{a.balance.to_string()}</div>
                    <div class="small">{px.plan} ": " {a.plan.clone()} " · " {a.status.name.clone()}</div>
                </div>
            }).collect_view()}
        </div>
        <crate::pages::customers::BillingTables b locale from to csv=px.download_csv on_range=Callback::new(move |_| range.set((from.get_untracked(), to.get_untracked())))/>
    }
}

/// `/portal/notices`.
#[component]
pub fn NoticesPage(locale: Locale) -> impl IntoView {
    let px = pt(locale);
    let version = RwSignal::new(0u32);
    let notices = Resource::new(move || version.get(), |_| portal_notices());
    let mark = move |_| {
        spawn_local(async move {
            let _ = portal_read_notices().await;
            version.update(|v| *v += 1);
        });
    };
    view! {
        <div class="page-head">
            <h1>{px.notices}</h1>
            <button class="btn" type="button" on:click=mark data-testid="mark-read">{px.mark_read}</button>
        </div>
        <Suspense fallback=|| view! { <div class="loading"></div> }>
            {move || Suspend::new(async move {
                match notices.await {
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    Ok((items, _)) if items.is_empty() => view! {
                        <Empty icon=IconKind::Document title=px.no_notices hint=px.no_requests_hint/>
                    }.into_any(),
                    Ok((items, _)) => view! {
                        <ul class="notice-list card" data-testid="notices">
                            {items.into_iter().map(|n| view! {
                                <li class="notice" class:unread=!n.read>
                                    <a href=format!("/portal/requests/{}", n.ticket_id)>{n.text.clone()}</a>
                                    <span class="small muted">{local_time(n.at)}</span>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// `/portal/account`: change the password.
#[component]
pub fn AccountPage(locale: Locale) -> impl IntoView {
    let px = pt(locale);
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let message = RwSignal::new(None::<Result<(), String>>);
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        spawn_local(async move {
            let res = portal_change_password(current.get_untracked(), new.get_untracked()).await;
            if res.is_ok() {
                current.set(String::new());
                new.set(String::new());
            }
            message.set(Some(res.map_err(|e| e.message(locale))));
        });
    };
    view! {
        <div class="page-head"><h1>{px.change_password}</h1></div>
        <form class="card form-card narrow" on:submit=send data-testid="password-form">
            {move || message.get().map(|m| match m {
                Ok(()) => view! { <div class="alert alert-success" role="status">{px.password_changed}</div> }.into_any(),
                Err(e) => view! { <div class="alert alert-error" role="alert">{e}</div> }.into_any(),
            })}
            <label class="field">
                <span class="field-label">{px.current_password}</span>
                <input type="password" autocomplete="current-password" bind:value=current required/>
            </label>
            <label class="field">
                <span class="field-label">{px.new_password}</span>
                <input type="password" autocomplete="new-password" bind:value=new required/>
                <span class="hint">{px.password_rule}</span>
            </label>
            <button class="btn btn-primary" type="submit">{px.change_password}</button>
        </form>
    }
}
