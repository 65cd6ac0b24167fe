//! The agent console home: agent state, the current call (screen pop lands here), the
//! agent's queue and standard phrases.

use leptos::prelude::*;
use loopdesk::locale::Locale;

use crate::api::desk::{queue_counts, QueueSizes};
use crate::components::console::{AgentStatePanel, PhrasesPanel};
use crate::components::panel::{Panel, Tile};
use crate::components::screen_pop::{live_stream, CurrentCall};
use crate::i18n::t;

/// `/agent`.
#[component]
pub fn AgentHome(locale: Locale) -> impl IntoView {
    let tx = t(locale);
    let counts = Resource::new(|| (), |_| queue_counts());
    let live = live_stream();
    let caller = Signal::derive(move || live.pop.get().and_then(|p| p.customer.map(|c| c.id)));
    view! {
        <div class="grid grid-agent">
            <div class="col-main">
                <Panel title=tx.current_call>
                    <CurrentCall locale pop=live.pop/>
                </Panel>
                <Panel title=tx.my_queue>
                    <Suspense fallback=|| ()>
                        {move || Suspend::new(async move {
                            let c = counts.await.ok();
                            let v = |f: fn(&QueueSizes) -> u64| c.map(|c| f(&c).to_string());
                            view! {
                                <div class="tiles" data-testid="queue-tiles">
                                    <a class="tile-link" href="/agent/tickets?queue=at_risk">
                                        <Tile label=tx.queue_due_soon value=v(|c| c.at_risk) tone="warn"/>
                                    </a>
                                    <a class="tile-link" href="/agent/tickets?queue=mine">
                                        <Tile label=tx.queue_open value=v(|c| c.mine) tone="info"/>
                                    </a>
                                    <a class="tile-link" href="/agent/tickets?queue=department">
                                        <Tile label=tx.queue_to_revisit value=v(|c| c.to_revisit) tone="ok"/>
                                    </a>
                                </div>
                            }
                        })}
                    </Suspense>
                </Panel>
            </div>
            <div class="col-side">
                <Panel title=tx.agent_state>
                    <AgentStatePanel locale pushed=live.state/>
                </Panel>
                <Panel title=tx.phrases>
                    <PhrasesPanel locale customer=caller/>
                </Panel>
            </div>
        </div>
    }
}
