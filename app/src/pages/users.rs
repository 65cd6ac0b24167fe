//! `/admin/users`: the staff accounts with their status, last sign-in and password dates,
//! and the administrators' actions on them (disable, enable, sign out everywhere, reset the
//! password to a temporary one shown once). The server refuses an action on one's own
//! account; the page offers none there.

use leptos::prelude::*;
use leptos::task::spawn_local;
use loopdesk::locale::Locale;

use crate::api::accounts::{manage_account, staff_accounts};
use crate::components::clock::local_time;
use crate::components::panel::Panel;
use crate::i18n::accounts::{action_name, at, status_name};
use crate::i18n::fill;
use crate::pages::errors::ErrorBox;
use crate::views::accounts::{AccountAction, AccountStatus, StaffAccountView};

/// The staff accounts page.
#[component]
pub fn UsersPage(locale: Locale) -> impl IntoView {
    let ax = at(locale);
    let version = RwSignal::new(0u32);
    let list = Resource::new(move || version.get(), |_| staff_accounts());
    let message = RwSignal::new(None::<String>);
    let temporary = RwSignal::new(None::<(String, String)>);
    let error = RwSignal::new(None::<String>);
    let act = move |account: StaffAccountView, action: AccountAction| {
        spawn_local(async move {
            match manage_account(account.id.clone(), action).await {
                Ok(secret) => {
                    error.set(None);
                    temporary.set(secret.map(|s| (account.display_name.clone(), s)));
                    message.set(Some(fill(
                        ax.done,
                        &[
                            ("action", action_name(action, locale)),
                            ("name", &account.display_name),
                        ],
                    )));
                    version.update(|v| *v += 1);
                }
                Err(e) => {
                    message.set(None);
                    error.set(Some(e.message(locale)));
                }
            }
        });
    };
    view! {
        <Panel title=ax.users_title>
            <p class="muted">{ax.users_hint}</p>
            {move || error.get().map(|e| view! { <div class="alert alert-error" role="alert">{e}</div> })}
            {move || message.get().map(|m| view! { <div class="alert alert-success" role="status" data-testid="account-done">{m}</div> })}
            {move || temporary.get().map(|(name, secret)| view! {
                <div class="notice notice-ok" role="status" data-testid="temporary-password">
                    <p>{fill(ax.temporary_for, &[("name", &name)])}</p>
                    <code class="secret">{secret}</code>
                    <p class="small">{ax.temporary_hint}</p>
                </div>
            })}
            <Transition fallback=|| view! { <div class="loading"></div> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                        Ok(rows) => view! {
                            <table class="table" data-testid="users-table">
                                <thead><tr>
                                    <th>{ax.username}</th><th>{ax.name}</th><th>{ax.role}</th>
                                    <th>{ax.department}</th><th>{ax.status}</th><th>{ax.last_login}</th>
                                    <th>{ax.password_set}</th><th>{ax.password_expires}</th><th>{ax.actions}</th>
                                </tr></thead>
                                <tbody>
                                    {rows.into_iter().map(|a| account_row(a, locale, act)).collect_view()}
                                </tbody>
                            </table>
                        }.into_any(),
                    }
                })}
            </Transition>
        </Panel>
    }
}

/// The local day of an instant (`YYYY-MM-DD`).
fn local_day(at: chrono::DateTime<chrono::Utc>) -> String {
    local_time(at).chars().take(10).collect()
}

fn account_row(
    a: StaffAccountView,
    locale: Locale,
    act: impl Fn(StaffAccountView, AccountAction) + Copy + 'static,
) -> impl IntoView {
    let ax = at(locale);
    let badge = match a.status {
        AccountStatus::Active => "badge badge-ok",
        AccountStatus::MustChangePassword => "badge badge-warn",
        AccountStatus::DisabledInactive | AccountStatus::DisabledAdmin => "badge badge-bad",
    };
    let disabled = matches!(
        a.status,
        AccountStatus::DisabledInactive | AccountStatus::DisabledAdmin
    );
    let actions = if a.is_self {
        vec![]
    } else if disabled {
        vec![AccountAction::Enable, AccountAction::ResetPassword]
    } else {
        vec![
            AccountAction::Disable,
            AccountAction::SignOut,
            AccountAction::ResetPassword,
        ]
    };
    let username = a.username.clone();
    view! {
        <tr class:muted=disabled data-testid=format!("user-{username}")>
            <td class="mono">{a.username.clone()}</td>
            <td class="nowrap">{a.display_name.clone()}{a.is_self.then_some(ax.you)}</td>
            <td class="nowrap">{a.role.name.clone()}</td>
            <td>{a.department.clone()}</td>
            <td class="nowrap"><span class=badge>{status_name(a.status, locale)}</span></td>
            <td class="nowrap">{a.last_login_at.map(local_time).unwrap_or_else(|| ax.never.to_owned())}</td>
            <td class="nowrap">{local_day(a.password_changed_at)}</td>
            <td class="nowrap">{local_day(a.password_expires_at)}</td>
            <td><div class="row-actions">
                {actions.into_iter().map(|action| {
                    let account = a.clone();
                    view! {
                        <button class="btn btn-small" type="button"
                            data-action=format!("{action:?}").to_lowercase()
                            on:click=move |_| act(account.clone(), action)>
                            {action_name(action, locale)}
                        </button>
                    }
                }).collect_view()}
            </div></td>
        </tr>
    }
}
