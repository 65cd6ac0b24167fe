//! The supervisor dashboard home: SLA and queue key figures, agent states, escalations.

use leptos::prelude::*;
use loopdesk::locale::Locale;

use crate::components::icon::IconKind;
use crate::components::panel::{Empty, Panel, Tile};
use crate::i18n::t;

/// `/supervisor`.
#[component]
pub fn SupervisorHome(locale: Locale) -> impl IntoView {
    let tx = t(locale);
    view! {
        <div class="tiles tiles-4">
            <Tile label=tx.kpi_sla_at_risk value=None tone="warn"/>
            <Tile label=tx.kpi_sla_breached value=None tone="bad"/>
            <Tile label=tx.kpi_backlog value=None tone="info"/>
            <Tile label=tx.kpi_service_level value=None tone="ok"/>
        </div>
        <div class="grid grid-2">
            <Panel title=tx.agents_now>
                <Empty icon=IconKind::Users title=tx.no_data_yet hint=tx.agent_state_hint/>
            </Panel>
            <Panel title=tx.escalations>
                <Empty icon=IconKind::Flag title=tx.no_data_yet hint=tx.section_pending_body/>
            </Panel>
        </div>
    }
}
