//! The page of a protected area (`/agent`, `/supervisor`, `/admin`, `/portal`, and their
//! sections). It applies `loopdesk::access::page_access` — the same table the server's page
//! guard enforces before rendering — and picks the home or section content.

use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::{use_location, use_params_map};
use loopdesk::access::{page_access, Area, PageAccess};

use crate::app::SessionResource;
use crate::components::frame::Frame;
use crate::components::icon::IconKind;
use crate::components::panel::Empty;
use crate::i18n::{area_nav, t};
use crate::pages::errors::{ErrorBox, ForbiddenPage, NotFoundPage};

/// A protected area page; `section` comes from the route (`/agent/:section`).
#[component]
pub fn AreaPage(area: Area) -> impl IntoView {
    let session = expect_context::<SessionResource>();
    let params = use_params_map();
    let location = use_location();
    view! {
        <Suspense fallback=|| view! { <div class="loading"></div> }>
            {move || Suspend::new(async move {
                let ticket_id = params.read().get("id");
                let customer_id = params.read().get("cid");
                let request_id = params.read().get("rid");
                let section = if request_id.is_some() {
                    "requests".to_owned()
                } else if ticket_id.is_some() {
                    "tickets".to_owned()
                } else if customer_id.is_some() {
                    "customers".to_owned()
                } else {
                    params.read().get("section").unwrap_or_default()
                };
                let path = location.pathname.get_untracked();
                match session.await {
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    Ok(info) => {
                        let role = info.user.as_ref().map(|u| u.role);
                        match (page_access(role, &path), info.user) {
                            (PageAccess::SignIn, _) | (_, None) => {
                                let to = format!("/login?next={}", path);
                                view! { <Redirect path=to/> }.into_any()
                            }
                            (PageAccess::Forbidden, Some(user)) => {
                                view! { <ForbiddenPage locale=info.locale user=Some(user)/> }
                                    .into_any()
                            }
                            (PageAccess::Allowed, Some(user)) => {
                                let locale = info.locale;
                                let known = area_nav(area, locale)
                                    .iter()
                                    .any(|(seg, _)| *seg == section.as_str());
                                if !known {
                                    return view! { <NotFoundPage/> }.into_any();
                                }
                                let body = if let Some(id) = request_id {
                                    view! { <crate::pages::portal::RequestRoute locale id/> }.into_any()
                                } else if let Some(id) = ticket_id {
                                    view! { <crate::pages::ticket::TicketPage locale id/> }.into_any()
                                } else if let Some(id) = customer_id {
                                    view! { <crate::pages::customers::CustomerPage locale id/> }.into_any()
                                } else if section.is_empty() {
                                    home(area, &user, locale)
                                } else if let Some(page) = section_page(area, &section, locale) {
                                    page
                                } else {
                                    let tx = t(locale);
                                    view! {
                                        <Empty
                                            icon=IconKind::Wrench
                                            title=tx.section_pending_title
                                            hint=tx.section_pending_body
                                        />
                                    }
                                        .into_any()
                                };
                                view! {
                                    <Frame area current=section user locale>
                                        {body}
                                    </Frame>
                                }
                                    .into_any()
                            }
                        }
                    }
                }
            })}
        </Suspense>
    }
}

fn section_page(area: Area, section: &str, locale: loopdesk::locale::Locale) -> Option<AnyView> {
    Some(match (area, section) {
        (Area::Agent, "tickets") => {
            view! { <crate::pages::tickets::TicketsPage locale/> }.into_any()
        }
        (Area::Agent, "customers") => {
            view! { <crate::pages::customers::CustomersPage locale/> }.into_any()
        }
        (Area::Agent, "outbound") => {
            view! { <crate::pages::tasks::TasksPage locale reason=None/> }.into_any()
        }
        (Area::Agent, "knowledge") => view! {
            <crate::pages::knowledge::KnowledgePage locale base="/agent/knowledge" staff=true/>
        }
        .into_any(),
        (Area::Portal, "requests") => {
            view! { <crate::pages::portal::RequestsPage locale/> }.into_any()
        }
        (Area::Portal, "bills") => view! { <crate::pages::portal::BillsPage locale/> }.into_any(),
        (Area::Portal, "notices") => {
            view! { <crate::pages::portal::NoticesPage locale/> }.into_any()
        }
        (Area::Portal, "account") => {
            view! { <crate::pages::portal::AccountPage locale/> }.into_any()
        }
        (Area::Portal, "help") => view! {
            <crate::pages::knowledge::KnowledgePage locale base="/portal/help" staff=false/>
        }
        .into_any(),
        (Area::Admin, "categories") => {
            view! { <crate::pages::knowledge::KnowledgeSettingsPage locale/> }.into_any()
        }
        (Area::Agent, "callbacks") => view! {
            <crate::pages::tasks::TasksPage locale reason=Some(loopdesk::task::TaskReason::Callback)/>
        }
        .into_any(),
        (Area::Admin, "billing") => {
            view! { <crate::pages::admin_console::BillingImportPage locale/> }.into_any()
        }
        (Area::Admin, "users") => view! { <crate::pages::users::UsersPage locale/> }.into_any(),
        (Area::Admin, "tokens") => {
            view! { <crate::pages::admin_console::TokensPage locale/> }.into_any()
        }
        (Area::Admin, "phrases") => {
            view! { <crate::pages::admin_console::PhrasesAdminPage locale/> }.into_any()
        }
        (Area::Admin, "calendars") => {
            view! { <crate::pages::admin_sla::CalendarsPage locale/> }.into_any()
        }
        (Area::Supervisor, "reports") => {
            view! { <crate::pages::reports::ReportsPage locale/> }.into_any()
        }
        (Area::Supervisor, "quality") => {
            view! { <crate::pages::quality::QualityPage locale/> }.into_any()
        }
        (Area::Supervisor, "staffing") => {
            view! { <crate::pages::staffing::StaffingPage locale/> }.into_any()
        }
        (Area::Agent, "quality") => {
            view! { <crate::pages::quality::MyQualityPage locale/> }.into_any()
        }
        (Area::Supervisor | Area::Admin, "audit") => {
            view! { <crate::pages::audit::AuditPage locale/> }.into_any()
        }
        (Area::Admin, "sla") => {
            view! { <crate::pages::admin_sla::PoliciesPage locale/> }.into_any()
        }
        _ => return None,
    })
}

fn home(area: Area, user: &crate::api::SessionUser, locale: loopdesk::locale::Locale) -> AnyView {
    match area {
        Area::Agent => view! { <crate::pages::agent::AgentHome locale/> }.into_any(),
        Area::Supervisor => view! { <crate::pages::supervisor::SupervisorHome locale/> }.into_any(),
        Area::Admin => view! { <crate::pages::admin::AdminHome locale/> }.into_any(),
        Area::Portal => {
            view! { <crate::pages::portal::PortalHome user=user.clone() locale/> }.into_any()
        }
    }
}
