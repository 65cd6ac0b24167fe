//! Cards used on the home pages: a titled panel, a key figure tile and an empty state.

use leptos::prelude::*;

use crate::components::icon::{Icon, IconKind};

/// A titled card.
#[component]
pub fn Panel(title: &'static str, children: Children) -> impl IntoView {
    view! {
        <section class="panel">
            <h2 class="panel-title">{title}</h2>
            <div class="panel-body">{children()}</div>
        </section>
    }
}

/// A key figure with its label; `value` is `None` while there is nothing to count.
#[component]
pub fn Tile(label: &'static str, value: Option<String>, tone: &'static str) -> impl IntoView {
    let empty = value.is_none();
    view! {
        <div class=format!("tile tone-{tone}")>
            <div class="tile-value" class:is-empty=empty>{value.unwrap_or_else(|| "—".to_owned())}</div>
            <div class="tile-label">{label}</div>
        </div>
    }
}

/// A friendly "nothing here yet" block.
#[component]
pub fn Empty(icon: IconKind, title: &'static str, hint: &'static str) -> impl IntoView {
    view! {
        <div class="empty">
            <div class="empty-icon"><Icon kind=icon/></div>
            <div class="empty-title">{title}</div>
            <p class="empty-hint">{hint}</p>
        </div>
    }
}
