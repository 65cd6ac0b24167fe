//! The administration home: the organisation at a glance (departments).

use leptos::prelude::*;
use loopdesk::locale::Locale;

use crate::api::list_departments;
use crate::components::panel::Panel;
use crate::i18n::t;
use crate::pages::errors::ErrorBox;

/// `/admin`.
#[component]
pub fn AdminHome(locale: Locale) -> impl IntoView {
    let tx = t(locale);
    let departments = Resource::new(|| (), |_| list_departments());
    view! {
        <Panel title=tx.departments>
            <Suspense fallback=move || view! { <p class="muted">{tx.loading}</p> }>
                {move || Suspend::new(async move {
                    match departments.await {
                        Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                        Ok(rows) => view! {
                            <table class="table">
                                <thead>
                                    <tr>
                                        <th>{tx.code}</th>
                                        <th>{tx.name}</th>
                                        <th></th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {rows
                                        .into_iter()
                                        .map(|d| view! {
                                            <tr>
                                                <td><code>{d.code}</code></td>
                                                <td>{d.name}</td>
                                                <td class="muted">{d.other_name}</td>
                                            </tr>
                                        })
                                        .collect_view()}
                                </tbody>
                            </table>
                        }
                            .into_any(),
                    }
                })}
            </Suspense>
        </Panel>
    }
}
