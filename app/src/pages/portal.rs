//! The customer portal home: greeting, open requests, recent bills, self-help.

use leptos::prelude::*;
use loopdesk::locale::Locale;

use crate::api::SessionUser;
use crate::components::icon::IconKind;
use crate::components::panel::{Empty, Panel};
use crate::i18n::{fill, t};

/// `/portal`.
#[component]
pub fn PortalHome(user: SessionUser, locale: Locale) -> impl IntoView {
    let tx = t(locale);
    let kx = crate::i18n::knowledge::kt(locale);
    view! {
        <div class="welcome">
            <h1>{fill(tx.portal_greeting, &[("name", &user.display_name)])}</h1>
            <p class="muted">{tx.portal_intro}</p>
        </div>
        <div class="grid grid-3">
            <Panel title=tx.my_requests>
                <Empty icon=IconKind::Document title=tx.no_data_yet hint=tx.no_requests/>
            </Panel>
            <Panel title=tx.recent_bills>
                <Empty icon=IconKind::Receipt title=tx.no_data_yet hint=tx.no_bills/>
            </Panel>
            <Panel title=tx.self_help>
                <p class="muted">{tx.self_help_hint}</p>
                <div class="pop-actions">
                    <a class="btn btn-primary" href="/portal/help">{kx.title_portal}</a>
                    <a class="btn" href="/portal/help?bot=1">{kx.ask_bot}</a>
                    <a class="btn btn-ghost" href="/portal/help?tab=flows">{kx.tab_flows}</a>
                </div>
            </Panel>
        </div>
    }
}
