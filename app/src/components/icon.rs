//! Inline SVG icons (stroke style), so pages never depend on an emoji font being present.

use leptos::prelude::*;

/// The icons the UI uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IconKind {
    /// A telephone handset.
    Phone,
    /// Two people.
    Users,
    /// A flag (escalation).
    Flag,
    /// A document (requests).
    Document,
    /// A receipt (bills).
    Receipt,
    /// A light bulb (self-help).
    Bulb,
    /// A wrench (module under construction).
    Wrench,
}

impl IconKind {
    fn paths(self) -> &'static [&'static str] {
        match self {
            IconKind::Phone => &["M5 4h4l2 5-2.5 1.5a11 11 0 0 0 5 5L15 13l5 2v4a2 2 0 0 1-2 2A16 16 0 0 1 3 6a2 2 0 0 1 2-2"],
            IconKind::Users => &[
                "M16 21v-2a4 4 0 0 0-4-4H6a4 4 0 0 0-4 4v2",
                "M9 11a4 4 0 1 0 0-8 4 4 0 0 0 0 8",
                "M22 21v-2a4 4 0 0 0-3-3.87",
                "M16 3.13a4 4 0 0 1 0 7.75",
            ],
            IconKind::Flag => &["M4 22V4", "M4 4h13l-2 4 2 4H4"],
            IconKind::Document => &[
                "M14 3H6a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2V9z",
                "M14 3v6h6",
                "M8 13h8",
                "M8 17h5",
            ],
            IconKind::Receipt => &[
                "M5 3v18l2-1.5L9 21l2-1.5L13 21l2-1.5L17 21l2-1.5V3l-2 1.5L15 3l-2 1.5L11 3 9 4.5 7 3z",
                "M9 9h6",
                "M9 13h6",
            ],
            IconKind::Bulb => &[
                "M9 18h6",
                "M10 22h4",
                "M12 2a7 7 0 0 0-4 12.7V16h8v-1.3A7 7 0 0 0 12 2",
            ],
            IconKind::Wrench => &["M14.7 6.3a4 4 0 0 0 5 5L22 14l-8 8-2.3-2.3a4 4 0 0 0-5-5L2 10l8-8z"],
        }
    }
}

/// An icon, sized by CSS (`.icon`).
#[component]
pub fn Icon(kind: IconKind) -> impl IntoView {
    view! {
        <svg
            class="icon"
            viewBox="0 0 24 24"
            fill="none"
            stroke="currentColor"
            stroke-width="1.6"
            stroke-linecap="round"
            stroke-linejoin="round"
            aria-hidden="true"
        >
            {kind.paths().iter().map(|d| view! { <path d=*d></path> }).collect_view()}
        </svg>
    }
}
