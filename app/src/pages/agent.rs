//! The agent console home: agent state, the current call (screen pop lands here), the
//! agent's queue and standard phrases.

use leptos::prelude::*;
use loopdesk::locale::Locale;

use crate::components::icon::IconKind;
use crate::components::panel::{Empty, Panel, Tile};
use crate::i18n::t;

/// `/agent`.
#[component]
pub fn AgentHome(locale: Locale) -> impl IntoView {
    let tx = t(locale);
    view! {
        <div class="grid grid-agent">
            <div class="col-main">
                <Panel title=tx.current_call>
                    <Empty icon=IconKind::Phone title=tx.no_call hint=tx.no_call_hint/>
                </Panel>
                <Panel title=tx.my_queue>
                    <div class="tiles">
                        <Tile label=tx.queue_due_soon value=None tone="warn"/>
                        <Tile label=tx.queue_open value=None tone="info"/>
                        <Tile label=tx.queue_to_revisit value=None tone="ok"/>
                    </div>
                </Panel>
            </div>
            <div class="col-side">
                <Panel title=tx.agent_state>
                    <div class="state-row">
                        <span class="state-dot offline" aria-hidden="true"></span>
                        <span class="state-name">{tx.agent_state_offline}</span>
                    </div>
                    <p class="muted small">{tx.agent_state_hint}</p>
                </Panel>
                <Panel title=tx.phrases>
                    <ul class="phrases">
                        <li>{tx.phrase_greeting}</li>
                        <li>{tx.phrase_closing}</li>
                    </ul>
                </Panel>
            </div>
        </div>
    }
}
