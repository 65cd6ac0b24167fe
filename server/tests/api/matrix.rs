//! The permission matrix (DESIGN §5): every page, server function and REST route — listed
//! from the router itself, the Leptos route list and the server-function registry — called
//! by every kind of caller (anonymous, customer, agent, back-office handler, supervisor,
//! administrator, a bearer token with and without the route's scope), with the status the
//! access tables say. A route without an entry in the tables fails here.

use loopdesk::access::{page_access, PageAccess};
use loopdesk::user::Role;
use reqwest::{Client, Method, StatusCode};
use serde_json::json;
use server::gate::{classify, Target};

use crate::test_app::{TestApp, PASSWORD};

/// Who calls.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Who {
    Anonymous,
    Role(&'static str, Role),
    Token(&'static str),
}

const CALLERS: [Who; 11] = [
    Who::Anonymous,
    Who::Role("13800000001", Role::Customer),
    Who::Role("agent", Role::Agent),
    Who::Role("handler", Role::Agent),
    Who::Role("supervisor", Role::Supervisor),
    Who::Role("admin", Role::Admin),
    Who::Token("cti"),
    Who::Token("billing:import"),
    Who::Token("tickets:read"),
    Who::Token("tickets:write"),
    Who::Token("import"),
];

struct Caller {
    who: Who,
    client: Client,
    bearer: Option<String>,
}

impl Caller {
    fn request(&self, app: &TestApp, method: Method, path: &str) -> reqwest::RequestBuilder {
        let r = self.client.request(method, app.url(path));
        match &self.bearer {
            Some(t) => r.bearer_auth(t),
            None => r,
        }
    }

    fn role(&self) -> Option<Role> {
        match self.who {
            Who::Role(_, r) => Some(r),
            _ => None,
        }
    }
}

async fn callers(app: &TestApp) -> Vec<Caller> {
    let admin = app.client();
    assert_eq!(
        app.api_login(&admin, "admin", PASSWORD).await.status(),
        StatusCode::OK
    );
    let mut out = Vec::new();
    for who in CALLERS {
        let client = app.client();
        let bearer = match who {
            Who::Anonymous => None,
            Who::Role(login, _) => {
                let s = app.api_login(&client, login, PASSWORD).await.status();
                assert_eq!(s, StatusCode::OK, "{login}");
                None
            }
            Who::Token(scope) => {
                let r = admin
                    .post(app.url("/api/v1/tokens"))
                    .json(&json!({
                        "name": format!("matrix {scope}"),
                        "scopes": [scope],
                        // Ticket scopes act as someone who works tickets.
                        "acts_as": scope.starts_with("tickets:").then_some("agent"),
                    }))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(r.status(), StatusCode::CREATED);
                let body: serde_json::Value = r.json().await.unwrap();
                Some(body["secret"].as_str().unwrap().to_owned())
            }
        };
        out.push(Caller {
            who,
            client,
            bearer,
        });
    }
    out
}

fn concrete(pattern: &str) -> String {
    pattern
        .replace("{id}", &uuid::Uuid::nil().to_string())
        .replace("{code}", "office")
        .replace("{account}", "A0000")
        .replace("{period}", "2026-01")
        .replace("{section}", "tickets")
        .replace("{cid}", &uuid::Uuid::nil().to_string())
        .replace("{rid}", &uuid::Uuid::nil().to_string())
}

/// Whether a status means "let through to the handler" (which may still refuse the empty
/// input, or find nothing under the nil id).
fn passed(status: StatusCode) -> bool {
    status != StatusCode::UNAUTHORIZED && status != StatusCode::FORBIDDEN
}

#[tokio::test]
async fn every_rest_route_answers_every_caller_as_the_table_says() {
    let app = TestApp::spawn().await;
    let callers = callers(&app).await;
    let admin = &callers[5];
    let mut failures = Vec::new();
    let mut checked = 0;
    for pattern in server::api::route_patterns() {
        let path = format!("/api/v1{}", concrete(pattern));
        for method in [Method::GET, Method::POST, Method::PUT, Method::DELETE] {
            // Signing out would end the callers' sessions; auth.rs covers it.
            if pattern == "/session" && method == Method::DELETE {
                continue;
            }
            let probe = admin.request(&app, method.clone(), &path).json(&json!({}));
            if probe.send().await.unwrap().status() == StatusCode::METHOD_NOT_ALLOWED {
                continue;
            }
            let route = format!("/api/v1{pattern}");
            let Target::Rest(rule) = classify(&method, &route) else {
                failures.push(format!("{method} {route}: no entry in gate::REST"));
                continue;
            };
            for caller in &callers {
                let status = caller
                    .request(&app, method.clone(), &path)
                    .json(&json!({}))
                    .send()
                    .await
                    .unwrap()
                    .status();
                checked += 1;
                let want_pass = match caller.who {
                    Who::Token(_) if rule.audience == loopdesk::access::Audience::Anyone => true,
                    Who::Token(scope) => rule.token.is_some_and(|s| s.code() == scope),
                    _ => rule.audience.admits(caller.role()) == PageAccess::Allowed,
                };
                let ok = if want_pass {
                    passed(status)
                } else {
                    match (caller.who, rule.token) {
                        // A session-less caller of a session route must sign in.
                        (Who::Anonymous, _) | (Who::Token(_), None) => {
                            status == StatusCode::UNAUTHORIZED
                        }
                        // A token without the route's scope is refused.
                        (Who::Token(_), Some(_)) | (Who::Role(..), _) => {
                            status == StatusCode::FORBIDDEN
                        }
                    }
                };
                if !ok || status.is_server_error() {
                    failures.push(format!(
                        "{method} {route} by {:?}: {status} (should {})",
                        caller.who,
                        if want_pass { "pass" } else { "be refused" }
                    ));
                }
            }
        }
    }
    assert!(checked > 400, "{checked}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[tokio::test]
async fn every_server_function_answers_every_caller_as_the_table_says() {
    let app = TestApp::spawn().await;
    let callers = callers(&app).await;
    let mut failures = Vec::new();
    let fns: Vec<(&str, _)> = leptos::server_fn::axum::server_fn_paths().collect();
    assert!(fns.len() >= 90, "{}", fns.len());
    for (path, method) in fns {
        let Target::ServerFn(audience) = classify(&method, path) else {
            failures.push(format!("{path}: no entry in gate::SERVER_FNS"));
            continue;
        };
        for caller in &callers {
            let status = caller
                .request(&app, method.clone(), path)
                .header("content-type", "application/x-www-form-urlencoded")
                .body("")
                .send()
                .await
                .unwrap()
                .status();
            let want = audience.admits(caller.role());
            let ok = match want {
                PageAccess::Allowed => passed(status),
                PageAccess::SignIn => status == StatusCode::UNAUTHORIZED,
                PageAccess::Forbidden => status == StatusCode::FORBIDDEN,
            };
            if !ok || status.is_server_error() {
                failures.push(format!(
                    "{path} by {:?}: {status} (want {want:?})",
                    caller.who
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[tokio::test]
async fn every_page_answers_every_caller_as_the_table_says() {
    let app = TestApp::spawn().await;
    let callers = callers(&app).await;
    let routes = leptos_axum::generate_route_list(app::app::App);
    let mut failures = Vec::new();
    assert!(routes.len() >= 14, "{}", routes.len());
    for route in routes {
        let path = concrete(route.path());
        for caller in callers.iter().filter(|c| !matches!(c.who, Who::Token(_))) {
            let res = caller
                .request(&app, Method::GET, &path)
                .send()
                .await
                .unwrap();
            let status = res.status();
            let location = res
                .headers()
                .get("location")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned();
            let ok = match page_access(caller.role(), &path) {
                // Open pages render or send the visitor on (the sign-in page sends the
                // signed-in home); protected ones render for their roles.
                // Past the guard, a nil id or a section an area lacks is simply not found.
                PageAccess::Allowed => {
                    status.is_success()
                        || status.is_redirection()
                        || status == StatusCode::NOT_FOUND
                }
                PageAccess::SignIn => {
                    status == StatusCode::SEE_OTHER && location.starts_with("/login")
                }
                PageAccess::Forbidden => status == StatusCode::FORBIDDEN,
            };
            if !ok {
                failures.push(format!(
                    "GET {path} by {:?}: {status} {location}",
                    caller.who
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
