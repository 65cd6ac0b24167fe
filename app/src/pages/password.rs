//! `/password`: choose a new password — when it expired or an administrator reset it (the
//! sign-in form sends the user here, nobody is signed in yet), or whenever a signed-in user
//! wants to. The current password is asked again either way; saving signs the user in and
//! every other session out, and lands on the role's home.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_query_map;
use loopdesk::locale::Locale;

use crate::api::accounts::change_password;
use crate::app::SessionResource;
use crate::components::auth_frame::{enter, AuthFrame};
use crate::i18n::accounts::at;
use crate::i18n::t;
use crate::pages::errors::ErrorBox;

/// `/password`.
#[component]
pub fn PasswordPage() -> impl IntoView {
    let session = expect_context::<SessionResource>();
    let query = use_query_map();
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match session.await {
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    Ok(info) => {
                        let q = query.get_untracked();
                        let signed_in = info.user.as_ref().map(|u| (u.login.clone(), u.role));
                        view! {
                            <PasswordForm
                                locale=info.locale
                                signed_in
                                login=q.get("u").unwrap_or_default()
                                reason=q.get("reason").unwrap_or_default()
                            />
                        }
                            .into_any()
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
fn PasswordForm(
    locale: Locale,
    signed_in: Option<(String, loopdesk::user::Role)>,
    login: String,
    reason: String,
) -> impl IntoView {
    let tx = t(locale);
    let ax = at(locale);
    let px = crate::i18n::portal::pt(locale);
    let is_signed_in = signed_in.is_some();
    let login = RwSignal::new(signed_in.as_ref().map(|s| s.0.clone()).unwrap_or(login));
    // Customers sign in with their mobile number; everyone else is staff.
    let staff = move || match &signed_in {
        Some((_, role)) => role.is_staff(),
        None => loopdesk::user::normalize_mobile(&login.get()).is_none(),
    };
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let confirm = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let notice = match reason.as_str() {
        "expired" => Some(tx.err_password_expired),
        "reset" => Some(tx.err_password_reset),
        _ => None,
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        spawn_local(async move {
            let res = change_password(
                login.get_untracked(),
                current.get_untracked(),
                new.get_untracked(),
                confirm.get_untracked(),
            )
            .await;
            match res {
                Ok(home) => enter(&home),
                Err(e) => {
                    error.set(Some(e.message(locale)));
                    busy.set(false);
                }
            }
        });
    };
    view! {
        <AuthFrame locale title=ax.password_title.to_owned() hero_title=tx.app_name tagline=tx.tagline>
                <form class="login-form" on:submit=submit novalidate data-testid="password-change-form">
                    <h1>{ax.password_title}</h1>
                    {notice.map(|n| view! { <div class="alert alert-info" role="status">{n}</div> })}
                    <p class="muted">{ax.password_intro}</p>
                    {move || error.get().map(|e| view! { <div class="alert alert-error" role="alert">{e}</div> })}
                    <label class="field">
                        <span class="field-label">{tx.login_name_label}</span>
                        <input type="text" name="username" autocomplete="username"
                            bind:value=login readonly=is_signed_in required/>
                    </label>
                    <label class="field">
                        <span class="field-label">{ax.current_password}</span>
                        <input type="password" name="current" autocomplete="current-password"
                            bind:value=current required autofocus=true/>
                    </label>
                    <label class="field">
                        <span class="field-label">{ax.new_password}</span>
                        <input type="password" name="new" autocomplete="new-password" bind:value=new required/>
                        <span class="hint">{move || if staff() { ax.staff_rule } else { px.password_rule }}</span>
                    </label>
                    <label class="field">
                        <span class="field-label">{ax.confirm_password}</span>
                        <input type="password" name="confirm" autocomplete="new-password" bind:value=confirm required/>
                    </label>
                    <button type="submit" class="btn btn-primary btn-block" disabled=move || busy.get()>
                        {if is_signed_in { ax.save } else { ax.save_and_sign_in }}
                    </button>
                    {(!is_signed_in).then(|| view! {
                        <p class="hint"><a href="/login">{ax.back_to_sign_in}</a></p>
                    })}
                </form>
        </AuthFrame>
    }
}
