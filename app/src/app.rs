//! The HTML shell, the root component and the route table.

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Link, Meta, MetaTags, Stylesheet};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, SsrMode};
use loopdesk::access::Area;

use crate::api::{get_session, SessionInfo};
use crate::error::AppError;
use crate::pages::area::AreaPage;
use crate::pages::errors::NotFoundPage;
use crate::pages::login::{LoginPage, RootPage};

/// The session resource every page reads (user and language), loaded once per page load.
pub type SessionResource = Resource<Result<SessionInfo, AppError>>;

/// The document around the app, rendered on the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    page_security_policy();
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The page's Content-Security-Policy: scripts only from this origin or inline with this
/// response's nonce (Leptos' hydration and resource scripts carry it), WebAssembly allowed,
/// nothing framed, no plugins. Set on the response before the security-header middleware,
/// which then leaves it alone.
#[cfg(feature = "ssr")]
fn page_security_policy() {
    use axum::http::{header::CONTENT_SECURITY_POLICY, HeaderValue};
    let (Some(nonce), Some(response)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) else {
        return;
    };
    let policy = format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; \
         frame-ancestors 'none'; object-src 'none'; base-uri 'self'; form-action 'self'"
    );
    if let Ok(value) = HeaderValue::from_str(&policy) {
        response.insert_header(CONTENT_SECURITY_POLICY, value);
    }
}

/// The root component: session resource, stylesheet and routes.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let session: SessionResource = Resource::new_blocking(|| (), |_| get_session());
    provide_context(session);

    // Marks the document once the wasm has taken over, so end-to-end tests (and people
    // debugging) can tell a hydrated page from a server-rendered one.
    Effect::new(|_| {
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("data-hydrated", "true");
        }
    });

    view! {
        <Stylesheet id="leptos" href="/pkg/loopdesk.css"/>
        <Link rel="icon" href="/favicon.svg" type_="image/svg+xml"/>
        <Meta name="color-scheme" content="light"/>
        <Router>
            <Routes fallback=|| view! { <NotFoundPage/> }>
                <Route path=path!("/") view=RootPage ssr=SsrMode::Async/>
                <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async/>
                <Route path=path!("/register") view=crate::pages::signup::RegisterPage ssr=SsrMode::Async/>
                <Route path=path!("/forgot") view=crate::pages::signup::ResetPage ssr=SsrMode::Async/>
                <Route path=path!("/password") view=crate::pages::password::PasswordPage ssr=SsrMode::Async/>
                <Route path=path!("/agent") view=|| view! { <AreaPage area=Area::Agent/> } ssr=SsrMode::Async/>
                <Route path=path!("/agent/:section") view=|| view! { <AreaPage area=Area::Agent/> } ssr=SsrMode::Async/>
                <Route path=path!("/agent/tickets/:id") view=|| view! { <AreaPage area=Area::Agent/> } ssr=SsrMode::Async/>
                <Route path=path!("/agent/customers/:cid") view=|| view! { <AreaPage area=Area::Agent/> } ssr=SsrMode::Async/>
                <Route path=path!("/supervisor") view=|| view! { <AreaPage area=Area::Supervisor/> } ssr=SsrMode::Async/>
                <Route path=path!("/supervisor/:section") view=|| view! { <AreaPage area=Area::Supervisor/> } ssr=SsrMode::Async/>
                <Route path=path!("/admin") view=|| view! { <AreaPage area=Area::Admin/> } ssr=SsrMode::Async/>
                <Route path=path!("/admin/:section") view=|| view! { <AreaPage area=Area::Admin/> } ssr=SsrMode::Async/>
                <Route path=path!("/portal") view=|| view! { <AreaPage area=Area::Portal/> } ssr=SsrMode::Async/>
                <Route path=path!("/portal/:section") view=|| view! { <AreaPage area=Area::Portal/> } ssr=SsrMode::Async/>
                <Route path=path!("/portal/requests/:rid") view=|| view! { <AreaPage area=Area::Portal/> } ssr=SsrMode::Async/>
            </Routes>
        </Router>
    }
}
