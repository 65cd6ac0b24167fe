//! `/supervisor/audit` and `/admin/audit`: the audit log, newest first, searched by action,
//! subject and local days, 50 entries a page, each with who acted, the transaction id and
//! the start of its chain hash.

use leptos::prelude::*;
use loopdesk::locale::Locale;
use loopdesk::store::AuditAction;

use crate::api::supervision::audit_log;
use crate::components::clock::local_time;
use crate::components::icon::IconKind;
use crate::components::panel::{Empty, Panel};
use crate::i18n::fill;
use crate::i18n::names::audit_action_name;
use crate::i18n::supervision::st;
use crate::pages::errors::ErrorBox;
use crate::views::supervision::{AuditFilter, AuditListView};

/// The audit log page.
#[component]
pub fn AuditPage(locale: Locale) -> impl IntoView {
    let tx = st(locale);
    let form = RwSignal::new(AuditFilter::default());
    let query = RwSignal::new(AuditFilter {
        page: 1,
        ..AuditFilter::default()
    });
    let list = Resource::new(move || query.get(), audit_log);
    let field = |get: fn(&AuditFilter) -> &String, set: fn(&mut AuditFilter, String)| {
        (
            move || get(&form.read()).clone(),
            move |ev| form.update(|f| set(f, event_target_value(&ev))),
        )
    };
    let (subject_v, subject_set) = field(|f| &f.subject, |f, v| f.subject = v);
    let (from_v, from_set) = field(|f| &f.from, |f, v| f.from = v);
    let (to_v, to_set) = field(|f| &f.to, |f, v| f.to = v);
    let (action_v, action_set) = field(|f| &f.action, |f, v| f.action = v);
    let go = move |page: u32| {
        query.set(AuditFilter {
            page,
            ..form.get_untracked()
        })
    };
    view! {
        <Panel title=tx.audit_title>
            <p class="muted">{tx.audit_hint}</p>
            <form class="filters" data-testid="audit-filters" on:submit=move |ev| {
                ev.prevent_default();
                go(1);
            }>
                <div class="form-row">
                    <label class="field"><span class="field-label">{tx.audit_action}</span>
                        <select name="action" prop:value=action_v on:change=action_set>
                            <option value="">{tx.audit_all_actions}</option>
                            {AuditAction::ALL.into_iter().map(|a| view! {
                                <option value=a.code()>{audit_action_name(a, locale)}</option>
                            }).collect_view()}
                        </select>
                    </label>
                    <label class="field"><span class="field-label">{tx.audit_subject}</span>
                        <input type="text" name="subject" placeholder="u:agent" prop:value=subject_v on:input=subject_set/>
                    </label>
                    <label class="field"><span class="field-label">{tx.audit_from}</span>
                        <input type="date" name="from" prop:value=from_v on:input=from_set/>
                    </label>
                    <label class="field"><span class="field-label">{tx.audit_to}</span>
                        <input type="date" name="to" prop:value=to_v on:input=to_set/>
                    </label>
                </div>
                <div class="form-actions"><button class="btn btn-primary" type="submit">{tx.audit_search}</button></div>
            </form>
            <Transition fallback=|| view! { <div class="loading"></div> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                        Ok(l) => entries(l, locale, go).into_any(),
                    }
                })}
            </Transition>
        </Panel>
    }
}

fn entries(l: AuditListView, locale: Locale, go: impl Fn(u32) + Copy + 'static) -> impl IntoView {
    let tx = st(locale);
    if l.items.is_empty() {
        return view! { <Empty icon=IconKind::Document title=tx.audit_none hint=""/> }.into_any();
    }
    let pages = fill(
        tx.audit_page,
        &[
            ("page", &l.page.to_string()),
            ("pages", &l.total_pages.to_string()),
            ("total", &l.total.to_string()),
        ],
    );
    let (page, last) = (l.page, l.last_page);
    view! {
        <div class="table-wrap">
            <table class="table" data-testid="audit-table">
                <thead><tr>
                    <th>"#"</th><th>{tx.audit_time}</th><th>{tx.audit_action}</th><th>{tx.audit_actor}</th>
                    <th>{tx.audit_subject}</th><th>{tx.audit_detail}</th><th>{tx.audit_transaction}</th>
                    <th>{tx.audit_hash}</th>
                </tr></thead>
                <tbody>
                    {l.items.into_iter().map(|e| {
                        let tx_id = e.transaction_id.clone().unwrap_or_default();
                        let tx_short: String = tx_id.chars().take(8).collect();
                        view! {
                        <tr>
                            <td class="num muted">{e.id}</td>
                            <td class="nowrap">{local_time(e.at)}</td>
                            <td class="nowrap"><span class="badge">{e.action.name}</span></td>
                            <td class="nowrap">{e.actor.map(|a| a.name).unwrap_or_else(|| "—".into())}</td>
                            <td class="mono subject">{e.subject}</td>
                            <td>{e.detail}</td>
                            <td class="mono muted" title=tx_id>{tx_short}</td>
                            <td class="mono muted" title=e.hash.clone()>{e.hash.chars().take(12).collect::<String>()}</td>
                        </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <div class="pager">
            <span class="muted" data-testid="audit-pages">{pages}</span>
            {(page > 1).then(|| view! {
                <button class="btn btn-ghost" type="button" on:click=move |_| go(page - 1)>{tx.audit_prev}</button>
            })}
            {(!last).then(|| view! {
                <button class="btn btn-ghost" type="button" on:click=move |_| go(page + 1)>{tx.audit_next}</button>
            })}
        </div>
    }
    .into_any()
}
