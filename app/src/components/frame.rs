//! The frame around every signed-in page: header with brand, area title, language switch and
//! user menu; a side navigation for the area; the page content.

use leptos::prelude::*;
use leptos_meta::{Html, Title};
use loopdesk::access::Area;
use loopdesk::locale::Locale;

use crate::api::SessionUser;
use crate::components::lang_switch::LangSwitch;
use crate::i18n::{area_nav, area_title, role_name, t};

/// The page frame for a signed-in user in an area. `current` is the nav segment shown.
#[component]
pub fn Frame(
    area: Area,
    current: String,
    user: SessionUser,
    locale: Locale,
    children: Children,
) -> impl IntoView {
    let tx = t(locale);
    let title = area_title(area, locale);
    let nav = area_nav(area, locale);
    let page_title = nav
        .iter()
        .find(|(seg, _)| *seg == current)
        .map(|(_, label)| format!("{label} · {title} · Loopdesk"))
        .unwrap_or_else(|| format!("{title} · Loopdesk"));
    let initial = user.display_name.chars().next().unwrap_or('?').to_string();
    view! {
        <Html {..} lang=locale.code()/>
        <Title text=page_title/>
        <div class=format!("frame area-{}", area.prefix().trim_start_matches('/'))>
            <header class="topbar">
                <a class="brand" href=area.prefix()>
                    <span class="brand-mark" aria-hidden="true">"L"</span>
                    <span class="brand-name">"Loopdesk"</span>
                </a>
                <span class="area-title">{title}</span>
                <div class="topbar-right">
                    <LangSwitch locale/>
                    <div class="user-menu" aria-label=tx.signed_in_as>
                        <span class="avatar" aria-hidden="true">{initial}</span>
                        <span class="user-text">
                            <span class="user-name">{user.display_name.clone()}</span>
                            <span class="user-meta">
                                <span class="role-badge">{role_name(user.role, locale)}</span>
                                {user.department.map(|d| view! { <span class="dept">{d}</span> })}
                            </span>
                        </span>
                    </div>
                    // Customers change it on the portal's account page.
                    {(area != Area::Portal).then(|| view! {
                        <a class="btn btn-ghost" href="/password" data-testid="change-password">
                            {crate::i18n::accounts::at(locale).change_password_link}
                        </a>
                    })}
                    <form method="post" action="/auth/logout">
                        <button type="submit" class="btn btn-ghost">{tx.sign_out}</button>
                    </form>
                </div>
            </header>
            <nav class="sidenav" aria-label=title>
                <ul>
                    {nav
                        .into_iter()
                        .map(|(seg, label)| {
                            let href = if seg.is_empty() {
                                area.prefix().to_owned()
                            } else {
                                format!("{}/{}", area.prefix(), seg)
                            };
                            let active = seg == current;
                            view! {
                                <li>
                                    <a
                                        href=href
                                        class:active=active
                                        aria-current=if active { Some("page") } else { None }
                                    >
                                        {label}
                                    </a>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </nav>
            <main class="content">{children()}</main>
        </div>
    }
}
