//! `/register` and `/forgot`: a customer signs up (or activates the record staff created)
//! or resets a forgotten password with a code texted to their phone, then lands signed in
//! on the portal. Errors come back localized and name the field.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::Redirect;
use loopdesk::locale::Locale;
use loopdesk::portal::CodePurpose;

use crate::api::portal::{portal_register, portal_reset, send_portal_code, CodeInfo};
use crate::app::SessionResource;
use crate::components::auth_frame::{enter, AuthFrame};
use crate::i18n::portal::pt;
use crate::i18n::{fill, t};
use crate::pages::errors::ErrorBox;

/// `/register`.
#[component]
pub fn RegisterPage() -> impl IntoView {
    view! { <Anonymous purpose=CodePurpose::Register/> }
}

/// `/forgot`.
#[component]
pub fn ResetPage() -> impl IntoView {
    view! { <Anonymous purpose=CodePurpose::Reset/> }
}

#[component]
fn Anonymous(purpose: CodePurpose) -> impl IntoView {
    let session = expect_context::<SessionResource>();
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match session.await {
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    Ok(info) => match info.user {
                        Some(user) => view! { <Redirect path=user.role.home_path()/> }.into_any(),
                        None => view! { <CodeForm locale=info.locale purpose/> }.into_any(),
                    },
                }
            })}
        </Suspense>
    }
}

#[component]
fn CodeForm(locale: Locale, purpose: CodePurpose) -> impl IntoView {
    let tx = t(locale);
    let px = pt(locale);
    let register = purpose == CodePurpose::Register;
    let (title, intro) = if register {
        (px.register_title, px.register_intro)
    } else {
        (px.reset_title, px.reset_intro)
    };
    let phone = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let sent = RwSignal::new(None::<CodeInfo>);
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let send_code = move |_| {
        busy.set(true);
        spawn_local(async move {
            match send_portal_code(phone.get_untracked(), purpose).await {
                Ok(info) => {
                    error.set(None);
                    sent.set(Some(info));
                }
                Err(e) => error.set(Some(e.message(locale))),
            }
            busy.set(false);
        });
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        spawn_local(async move {
            let res = if register {
                portal_register(
                    phone.get_untracked(),
                    code.get_untracked(),
                    name.get_untracked(),
                    password.get_untracked(),
                )
                .await
            } else {
                portal_reset(
                    phone.get_untracked(),
                    code.get_untracked(),
                    password.get_untracked(),
                )
                .await
            };
            match res {
                Ok(home) => enter(&home),
                Err(e) => {
                    error.set(Some(e.message(locale)));
                    busy.set(false);
                }
            }
        });
    };
    let activates = move || sent.get().is_some_and(|s| s.activates);
    view! {
        <AuthFrame locale title=title.to_owned() hero_title=tx.portal_home tagline=tx.portal_intro>
                <form class="login-form" on:submit=submit novalidate data-testid="code-form">
                    <h1>{title}</h1>
                    <p class="muted">{intro}</p>
                    {move || error.get().map(|e| view! { <div class="alert alert-error" role="alert">{e}</div> })}
                    <label class="field">
                        <span class="field-label">{px.phone}</span>
                        <span class="password-row">
                            <input type="tel" name="phone" autocomplete="tel" inputmode="numeric"
                                placeholder=px.phone_placeholder bind:value=phone required/>
                            <button type="button" class="btn" data-testid="send-code"
                                disabled=move || busy.get() on:click=send_code>{px.send_code}</button>
                        </span>
                    </label>
                    {move || sent.get().map(|s| view! {
                        <div class="alert alert-info" role="status" data-testid="code-sent">
                            {fill(px.code_sent, &[("phone", &s.phone), ("min", &loopdesk::portal::CODE_TTL_MINUTES.to_string())])}
                            <br/><span class="small">{px.demo_code_hint}</span>
                        </div>
                    })}
                    <label class="field">
                        <span class="field-label">{px.code}</span>
                        <input type="text" name="code" inputmode="numeric" maxlength="6"
                            autocomplete="one-time-code" bind:value=code required/>
                    </label>
                    {register.then(|| view! {
                        <Show when=move || !activates()>
                            <label class="field">
                                <span class="field-label">{px.name}</span>
                                <input type="text" name="name" autocomplete="name" maxlength="50" bind:value=name/>
                            </label>
                        </Show>
                        <Show when=activates>
                            <p class="hint">{px.code_activates}</p>
                        </Show>
                    })}
                    <label class="field">
                        <span class="field-label">{px.new_password}</span>
                        <input type="password" name="password" autocomplete="new-password" bind:value=password required/>
                        <span class="hint">{px.password_rule}</span>
                    </label>
                    <button type="submit" class="btn btn-primary btn-block" disabled=move || busy.get()>
                        {if register { px.create_account } else { px.set_password }}
                    </button>
                    <p class="hint">
                        <a href="/login">{px.back_to_sign_in}</a>
                        {(!register).then(|| view! { " · " <a href="/register">{px.no_account}</a> })}
                    </p>
                </form>
        </AuthFrame>
    }
}
