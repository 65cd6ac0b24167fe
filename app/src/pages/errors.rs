//! Error pages: 403 (signed in, wrong role) and 404, localized, with the right HTTP status
//! when rendered on the server; and an inline error box for failed loads.

use leptos::prelude::*;
use leptos_meta::{Html, Title};
use loopdesk::locale::Locale;

use crate::api::SessionUser;
use crate::app::SessionResource;
use crate::components::lang_switch::LangSwitch;
use crate::error::AppError;
use crate::i18n::t;

#[cfg(feature = "ssr")]
fn set_status(code: axum::http::StatusCode) {
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(code);
    }
}

/// The 403 page.
#[component]
pub fn ForbiddenPage(locale: Locale, user: Option<SessionUser>) -> impl IntoView {
    #[cfg(feature = "ssr")]
    set_status(axum::http::StatusCode::FORBIDDEN);
    let tx = t(locale);
    let home = user.map(|u| u.role.home_path()).unwrap_or("/login");
    view! {
        <Html {..} lang=locale.code()/>
        <Title text=format!("403 · {} · Loopdesk", tx.forbidden_title)/>
        <ErrorLayout locale code="403" title=tx.forbidden_title body=tx.forbidden_body home/>
    }
}

/// The 404 page (unknown routes and unknown sections).
#[component]
pub fn NotFoundPage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    set_status(axum::http::StatusCode::NOT_FOUND);
    let session = expect_context::<SessionResource>();
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let info = session.await.ok();
                let locale = info.as_ref().map(|i| i.locale).unwrap_or_default();
                let home = info
                    .and_then(|i| i.user)
                    .map(|u| u.role.home_path())
                    .unwrap_or("/login");
                let tx = t(locale);
                view! {
                    <Html {..} lang=locale.code()/>
                    <Title text=format!("404 · {} · Loopdesk", tx.not_found_title)/>
                    <ErrorLayout locale code="404" title=tx.not_found_title body=tx.not_found_body home/>
                }
            })}
        </Suspense>
    }
}

#[component]
fn ErrorLayout(
    locale: Locale,
    code: &'static str,
    title: &'static str,
    body: &'static str,
    home: &'static str,
) -> impl IntoView {
    let tx = t(locale);
    view! {
        <div class="error-page">
            <div class="error-top">
                <span class="brand-name">"Loopdesk"</span>
                <LangSwitch locale/>
            </div>
            <div class="error-card">
                <div class="error-code">{code}</div>
                <h1>{title}</h1>
                <p>{body}</p>
                <a class="btn btn-primary" href=home>{tx.go_home}</a>
            </div>
        </div>
    }
}

/// An inline message for a failed server call.
#[component]
pub fn ErrorBox(error: AppError) -> impl IntoView {
    let session = use_context::<SessionResource>();
    let locale = session
        .and_then(|s| s.get_untracked())
        .and_then(|r| r.ok())
        .map(|i| i.locale)
        .unwrap_or_default();
    view! { <div class="alert alert-error" role="alert">{error.message(locale)}</div> }
}
