//! The SVG diagram of an SOP flow: start (circle), tasks (boxes), gateways (diamonds) and
//! ends (rounded, double-lined), edges with arrows and condition labels; the current node
//! and the visited ones are marked.

use leptos::prelude::*;

use crate::views::knowledge::{Diagram, NODE_H, NODE_W};

/// A flow diagram; `current` is the node a run is at.
#[component]
pub fn FlowDiagram(
    diagram: Diagram,
    #[prop(optional)] current: Option<String>,
    label: &'static str,
) -> impl IntoView {
    let (w, h) = (NODE_W, NODE_H);
    let edges = diagram
        .edges
        .iter()
        .map(|e| {
            let ((x1, y1), (x2, y2)) = (e.from, e.to);
            // Leave the box at its bottom edge and enter the next at its top edge.
            let (y1, y2) = if y2 > y1 {
                (y1 + h / 2, y2 - h / 2 - 4)
            } else {
                (y1 - h / 2, y2 + h / 2 + 4)
            };
            // Labels sit a third of the way along, near their gateway, so that edges
            // meeting at one node do not stack their labels.
            let (mx, my) = (x1 + (x2 - x1) / 3, y1 + (y2 - y1) / 3);
            view! {
                <g class="flow-edge">
                    <line x1=x1 y1=y1 x2=x2 y2=y2 marker-end="url(#flow-arrow)"/>
                    {(!e.label.is_empty()).then(|| view! {
                        <text class="flow-edge-label" x=mx + 4 y=my>{e.label.clone()}</text>
                    })}
                </g>
            }
        })
        .collect_view();
    let nodes = diagram
        .nodes
        .iter()
        .map(|n| {
            let is_current = current.as_deref() == Some(n.id.as_str());
            let class = format!(
                "flow-node flow-{}{}",
                n.shape,
                if is_current { " current" } else { "" }
            );
            let (x, y) = (n.x, n.y);
            let shape = match n.shape.as_str() {
                "start" => view! { <circle cx=x cy=y r=h / 2 - 4/> }.into_any(),
                "gateway" => {
                    let points = format!(
                        "{},{} {},{} {},{} {},{}",
                        x,
                        y - h / 2,
                        x + h,
                        y,
                        x,
                        y + h / 2,
                        x - h,
                        y
                    );
                    view! { <polygon points=points/> }.into_any()
                }
                _ => view! {
                    <rect x=x - w / 2 y=y - h / 2 width=w height=h rx=if n.shape == "end" { 20 } else { 6 }/>
                }
                .into_any(),
            };
            view! {
                <g class=class data-node=n.id.clone()>
                    {shape}
                    <text x=x y=y + 5 text-anchor="middle">{n.label.clone()}</text>
                </g>
            }
        })
        .collect_view();
    view! {
        <div class="flow-diagram">
            <svg
                role="img"
                aria-label=label
                viewBox=format!("0 0 {} {}", diagram.width, diagram.height)
                width=diagram.width
                height=diagram.height
            >
                <defs>
                    <marker id="flow-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                        <path d="M 0 0 L 10 5 L 0 10 z"/>
                    </marker>
                </defs>
                {edges}
                {nodes}
            </svg>
        </div>
    }
}
