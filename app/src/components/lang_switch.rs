//! The language switch in the header: a small form that posts the choice to `/auth/locale`
//! (stored for the user and in a cookie) and comes back to the same page.

use leptos::prelude::*;
use leptos_router::hooks::use_location;
use loopdesk::locale::Locale;

use crate::i18n::t;

/// Two buttons, one per language; the current one is marked.
#[component]
pub fn LangSwitch(locale: Locale) -> impl IntoView {
    let location = use_location();
    let return_to = move || {
        let search = location.search.get();
        if search.is_empty() {
            location.pathname.get()
        } else {
            format!("{}?{}", location.pathname.get(), search)
        }
    };
    view! {
        <form class="lang-switch" method="post" action="/auth/locale" aria-label=t(locale).language>
            <input type="hidden" name="return_to" value=return_to/>
            {Locale::ALL
                .into_iter()
                .map(|l| {
                    view! {
                        <button
                            type="submit"
                            name="lang"
                            value=l.code()
                            class:current=l == locale
                            aria-pressed=if l == locale { "true" } else { "false" }
                            lang=l.code()
                        >
                            {l.native_name()}
                        </button>
                    }
                })
                .collect_view()}
        </form>
    }
}
