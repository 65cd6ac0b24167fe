//! The sign-in page and `/`, which sends visitors to their home or to sign in.
//!
//! The form posts to `/auth/login` (a plain HTML form, so it also works before the wasm has
//! loaded); the server answers with a redirect to the role's home, or back here with an
//! error code that this page turns into a localized message.

use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;
use loopdesk::locale::Locale;

use crate::app::SessionResource;
use crate::components::auth_frame::AuthFrame;
use crate::i18n::{fill, t};
use crate::pages::errors::ErrorBox;

/// `/`: home for signed-in users, sign-in for everyone else.
#[component]
pub fn RootPage() -> impl IntoView {
    let session = expect_context::<SessionResource>();
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let to = match session.await {
                    Ok(info) => info.user.map(|u| u.role.home_path()).unwrap_or("/login"),
                    Err(_) => "/login",
                };
                view! { <Redirect path=to/> }
            })}
        </Suspense>
    }
}

/// The message for an error code the server put in the query string.
pub fn login_error_message(code: &str, minutes: Option<&str>, locale: Locale) -> Option<String> {
    let tx = t(locale);
    Some(match code {
        "invalid" => tx.err_invalid_credentials.to_owned(),
        "locked" => fill(tx.err_locked, &[("minutes", minutes.unwrap_or("15"))]),
        "empty" => tx.err_empty_fields.to_owned(),
        "too_long" => tx.err_login_name_too_long.to_owned(),
        "disabled" => tx.err_disabled.to_owned(),
        "origin" => tx.err_bad_origin.to_owned(),
        "internal" => tx.err_internal.to_owned(),
        "rate" => crate::i18n::portal::rate_limited(locale),
        _ => return None,
    })
}

/// `/login`.
#[component]
pub fn LoginPage() -> impl IntoView {
    let session = expect_context::<SessionResource>();
    let query = use_query_map();
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match session.await {
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    Ok(info) => match info.user {
                        Some(user) => view! { <Redirect path=user.role.home_path()/> }.into_any(),
                        None => {
                            let q = query.get_untracked();
                            let error = q
                                .get("error")
                                .and_then(|c| login_error_message(&c, q.get("minutes").as_deref(), info.locale));
                            view! {
                                <LoginForm
                                    locale=info.locale
                                    error
                                    login=q.get("u").unwrap_or_default()
                                    next=q.get("next").unwrap_or_default()
                                />
                            }
                                .into_any()
                        }
                    },
                }
            })}
        </Suspense>
    }
}

#[component]
fn LoginForm(locale: Locale, error: Option<String>, login: String, next: String) -> impl IntoView {
    let tx = t(locale);
    let show = RwSignal::new(false);
    let autofocus_password = !login.is_empty();
    view! {
        <AuthFrame
            locale
            title=tx.login_title.to_owned()
            hero_title=tx.app_name
            tagline=tx.tagline
            features=&tx.login_features
        >
                <form class="login-form" method="post" action="/auth/login" novalidate>
                    <h1>{tx.login_title}</h1>
                    <p class="muted">{tx.login_subtitle}</p>
                    {error.map(|e| view! { <div class="alert alert-error" role="alert">{e}</div> })}
                    <input type="hidden" name="next" value=next/>
                    <label class="field">
                        <span class="field-label">{tx.login_name_label}</span>
                        <input
                            type="text"
                            name="username"
                            autocomplete="username"
                            placeholder=tx.login_name_placeholder
                            value=login
                            required
                            autofocus=!autofocus_password
                        />
                    </label>
                    <label class="field">
                        <span class="field-label">{tx.password_label}</span>
                        <span class="password-row">
                            <input
                                type=move || if show.get() { "text" } else { "password" }
                                name="password"
                                autocomplete="current-password"
                                required
                                autofocus=autofocus_password
                            />
                            <button
                                type="button"
                                class="btn btn-ghost reveal"
                                aria-pressed=move || if show.get() { "true" } else { "false" }
                                on:click=move |_| show.update(|s| *s = !*s)
                            >
                                {move || if show.get() { tx.hide_password } else { tx.show_password }}
                            </button>
                        </span>
                    </label>
                    <button type="submit" class="btn btn-primary btn-block">{tx.sign_in}</button>
                    <p class="hint">{tx.login_hint}</p>
                    <p class="hint login-links">
                        <a href="/register" data-testid="register-link">{crate::i18n::portal::pt(locale).register_title}</a>
                        " · "
                        <a href="/forgot">{crate::i18n::portal::pt(locale).forgot}</a>
                    </p>
                </form>
        </AuthFrame>
    }
}
