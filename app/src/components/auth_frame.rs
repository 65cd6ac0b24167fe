//! The frame of the pages people use before they are signed in (sign-in, sign-up, password
//! reset, choosing a new password): the brand panel beside the form, the language switch,
//! the page title — and where such a page goes once it has signed someone in.

use leptos::prelude::*;
use leptos_meta::{Html, Title};
use loopdesk::locale::Locale;

use crate::components::lang_switch::LangSwitch;

/// The brand panel (`hero_title`, `tagline`, optional feature list) beside the form.
#[component]
pub fn AuthFrame(
    locale: Locale,
    /// The page title (before "· Loopdesk").
    title: String,
    /// The brand panel's heading.
    hero_title: &'static str,
    /// The brand panel's line under it.
    tagline: &'static str,
    /// Feature bullets (sign-in page only).
    #[prop(optional)]
    features: &'static [&'static str],
    children: Children,
) -> impl IntoView {
    view! {
        <Html {..} lang=locale.code()/>
        <Title text=format!("{title} · Loopdesk")/>
        <div class="login-page">
            <aside class="login-hero">
                <div class="brand brand-large">
                    <span class="brand-mark" aria-hidden="true">"L"</span>
                    <span class="brand-name">"Loopdesk"</span>
                </div>
                <h2 class="hero-title">{hero_title}</h2>
                <p class="hero-tagline">{tagline}</p>
                {(!features.is_empty()).then(|| view! {
                    <ul class="hero-features">
                        {features.iter().map(|f| view! { <li>{*f}</li> }).collect_view()}
                    </ul>
                })}
            </aside>
            <section class="login-panel">
                <div class="login-top"><LangSwitch locale/></div>
                {children()}
            </section>
        </div>
    }
}

/// After a server function signed someone in: a full page load of their home, so the whole
/// app starts with the new session.
pub fn enter(home: &str) {
    #[cfg(feature = "hydrate")]
    if let Some(w) = web_sys::window() {
        let _ = w.location().set_href(home);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = home;
}
