//! What the knowledge pages show: search hits with highlighted runs, articles rendered for
//! readers, the editor's view with versions and permitted actions, flows with a laid-out
//! diagram, flow runs at their current step, and answer-bot conversations — serialisable
//! views built on the server with names in the reader's language.

use loopdesk::flow::{FlowDef, NodeKind};
use loopdesk::kb::search::DocKind;
use loopdesk::kb::{ArticleContent, Audience};
use serde::{Deserialize, Serialize};

use super::CodeName;

/// Text cut into `(piece, highlighted)` runs.
pub type Runs = Vec<(String, bool)>;

/// One search hit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HitView {
    /// Article or flow id.
    pub id: String,
    /// Which.
    pub kind: DocKind,
    /// Title in the reader's language, highlighted.
    pub title: Runs,
    /// A passage with the matches highlighted.
    pub snippet: Runs,
    /// Category, named.
    pub category: CodeName,
    /// Relevance.
    pub score: f32,
}

/// A published article for readers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArticleView {
    /// Id.
    pub id: String,
    /// Title in the reader's language.
    pub title: String,
    /// Body rendered to safe HTML.
    pub html: String,
    /// The body as plain text (what "insert into reply" inserts).
    pub plain: String,
    /// Category, named.
    pub category: CodeName,
    /// Tags.
    pub tags: Vec<String>,
    /// Similar questions.
    pub questions: Vec<String>,
    /// Audience, named.
    pub audience: CodeName,
    /// The published version shown.
    pub version: u32,
    /// When it was published (local time text).
    pub updated: String,
    /// Views.
    pub views: u64,
    /// Helpful votes.
    pub helpful: u64,
    /// Not-helpful votes.
    pub not_helpful: u64,
}

/// One row of an article list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArticleRow {
    /// Id.
    pub id: String,
    /// Title (working copy).
    pub title: String,
    /// Status, named.
    pub status: CodeName,
    /// Audience, named.
    pub audience: CodeName,
    /// Category, named.
    pub category: CodeName,
    /// Working version.
    pub version: u32,
    /// Published version.
    pub live: Option<u32>,
    /// Last change (local time text).
    pub updated: String,
    /// Views.
    pub views: u64,
    /// Helpful / not helpful.
    pub votes: (u64, u64),
    /// Times used from suggestions.
    pub used: u64,
}

/// One saved version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VersionRow {
    /// Number.
    pub version: u32,
    /// Title then.
    pub title: String,
    /// Editor's name.
    pub editor: String,
    /// When (local time text).
    pub saved: String,
}

/// The editor's view of an article.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArticleEdit {
    /// Id.
    pub id: String,
    /// Row version for the next action.
    pub rev: u32,
    /// Status, named.
    pub status: CodeName,
    /// Working version.
    pub version: u32,
    /// Published version.
    pub live: Option<u32>,
    /// Author of the working version.
    pub author: String,
    /// The working copy.
    pub content: ArticleContent,
    /// Rendered preview of the working copy.
    pub preview: String,
    /// Versions, newest first.
    pub versions: Vec<VersionRow>,
    /// Actions this user may take now (`edit`, `submit`, `reject`, `publish`, `archive`,
    /// `revise`).
    pub actions: Vec<String>,
}

/// One line of a version diff: `same`, `added` or `removed`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DiffRow {
    /// Which.
    pub op: String,
    /// The line.
    pub line: String,
}

/// A category of the tree.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CategoryView {
    /// Path.
    pub path: String,
    /// Name in the reader's language.
    pub name: String,
    /// Depth (0 for top level).
    pub depth: usize,
    /// Chinese name.
    pub name_zh: String,
    /// English name.
    pub name_en: String,
}

/// A zero-result query.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ZeroRow {
    /// The query.
    pub query: String,
    /// Audience, named (who asked).
    pub audience: CodeName,
    /// How often.
    pub count: u64,
    /// Last time (local).
    pub last: String,
}

/// A synonym group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SynonymRow {
    /// Id.
    pub id: String,
    /// Words joined with " / ".
    pub words: String,
}

/// Suggestions for a ticket or a call.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Suggestions {
    /// Articles, best first.
    pub articles: Vec<HitView>,
    /// SOP flows, best first.
    pub flows: Vec<HitView>,
    /// The text the suggestions were searched with.
    pub query: String,
}

/// A flow in a list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FlowRow {
    /// Id.
    pub id: String,
    /// Title in the reader's language.
    pub title: String,
    /// Audience, named.
    pub audience: CodeName,
    /// Category, named.
    pub category: CodeName,
    /// Published version.
    pub live: Option<u32>,
}

/// A node placed on the diagram.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DiagramNode {
    /// Node id.
    pub id: String,
    /// `start`, `task`, `gateway` or `end`.
    pub shape: String,
    /// Label in the reader's language.
    pub label: String,
    /// Centre x.
    pub x: i32,
    /// Centre y.
    pub y: i32,
}

/// An edge of the diagram.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DiagramEdge {
    /// From centre.
    pub from: (i32, i32),
    /// To centre.
    pub to: (i32, i32),
    /// Condition text or "default".
    pub label: String,
}

/// A laid-out flow diagram.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Diagram {
    /// Nodes.
    pub nodes: Vec<DiagramNode>,
    /// Edges.
    pub edges: Vec<DiagramEdge>,
    /// Canvas width.
    pub width: i32,
    /// Canvas height.
    pub height: i32,
}

/// Node box size on the diagram.
pub const NODE_W: i32 = 168;
/// Node box height.
pub const NODE_H: i32 = 44;
const GAP_X: i32 = 24;
const GAP_Y: i32 = 40;

/// Lays a flow out in layers by distance from the start (breadth-first), left to right
/// within a layer.
pub fn diagram(def: &FlowDef, english: bool) -> Diagram {
    use std::collections::HashMap;
    let ordered = def.ordered();
    let mut layer: HashMap<&str, usize> = HashMap::new();
    for n in &ordered {
        let depth = def
            .edges
            .iter()
            .filter(|e| e.to == n.id)
            .filter_map(|e| layer.get(e.from.as_str()).map(|d| d + 1))
            .min()
            .unwrap_or(0);
        layer.insert(n.id.as_str(), depth);
    }
    let rows = layer.values().copied().max().map_or(0, |m| m + 1);
    let mut per_row: Vec<Vec<&str>> = vec![Vec::new(); rows];
    for n in &ordered {
        per_row[layer[n.id.as_str()]].push(n.id.as_str());
    }
    let widest = per_row.iter().map(Vec::len).max().unwrap_or(1).max(1) as i32;
    let width = widest * (NODE_W + GAP_X) + GAP_X;
    let mut at: HashMap<&str, (i32, i32)> = HashMap::new();
    for (r, ids) in per_row.iter().enumerate() {
        let n = ids.len() as i32;
        let row_w = n * NODE_W + (n - 1).max(0) * GAP_X;
        for (i, id) in ids.iter().enumerate() {
            let x = (width - row_w) / 2 + i as i32 * (NODE_W + GAP_X) + NODE_W / 2;
            let y = GAP_Y / 2 + r as i32 * (NODE_H + GAP_Y) + NODE_H / 2;
            at.insert(id, (x, y));
        }
    }
    let label = |kind: &NodeKind, id: &str| -> (String, String) {
        match kind {
            NodeKind::Start => (
                "start".into(),
                if english { "Start" } else { "开始" }.into(),
            ),
            NodeKind::Task {
                instructions_zh,
                instructions_en,
                ..
            } => {
                let text = if english {
                    instructions_en
                } else {
                    instructions_zh
                };
                ("task".into(), clip(text.lines().next().unwrap_or(id)))
            }
            NodeKind::Gateway => (
                "gateway".into(),
                if english { "Decide" } else { "判断" }.into(),
            ),
            NodeKind::End { outcome } => {
                let text = match (outcome, english) {
                    (loopdesk::flow::Outcome::Resolved { .. }, false) => "已解决",
                    (loopdesk::flow::Outcome::Resolved { .. }, true) => "Resolved",
                    (loopdesk::flow::Outcome::RegisterTicket { .. }, false) => "登记工单",
                    (loopdesk::flow::Outcome::RegisterTicket { .. }, true) => "Register a ticket",
                };
                ("end".into(), text.into())
            }
        }
    };
    let nodes = ordered
        .iter()
        .filter_map(|n| {
            let (x, y) = *at.get(n.id.as_str())?;
            let (shape, label) = label(&n.kind, &n.id);
            Some(DiagramNode {
                id: n.id.clone(),
                shape,
                label,
                x,
                y,
            })
        })
        .collect();
    let edges = def
        .edges
        .iter()
        .filter_map(|e| {
            let from = *at.get(e.from.as_str())?;
            let to = *at.get(e.to.as_str())?;
            let label = match (&e.when, e.default) {
                (Some(c), _) => format!("{} {} {}", c.field, op_text(c.op), c.value),
                (None, true) => if english { "otherwise" } else { "其他" }.to_owned(),
                (None, false) => String::new(),
            };
            Some(DiagramEdge { from, to, label })
        })
        .collect();
    Diagram {
        nodes,
        edges,
        width,
        height: rows as i32 * (NODE_H + GAP_Y),
    }
}

/// The first words of a label that fit a node box (about 24 Latin or 11 Chinese
/// characters).
fn clip(text: &str) -> String {
    let mut width = 0;
    let mut out = String::new();
    for c in text.chars() {
        width += if c.is_ascii() { 1 } else { 2 };
        if width > 24 {
            out.push('…');
            return out;
        }
        out.push(c);
    }
    out
}

fn op_text(op: loopdesk::flow::Op) -> &'static str {
    use loopdesk::flow::Op;
    match op {
        Op::Eq => "=",
        Op::Ne => "≠",
        Op::Gt => ">",
        Op::Ge => "≥",
        Op::Lt => "<",
        Op::Le => "≤",
        Op::Contains => "∋",
    }
}

/// A flow for its page: settings, definition, problems and diagram.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FlowView {
    /// Id.
    pub id: String,
    /// Row version.
    pub rev: u32,
    /// Title in the reader's language.
    pub title: String,
    /// Audience.
    pub audience: Audience,
    /// Category path.
    pub category: String,
    /// Search phrases.
    pub keywords: Vec<String>,
    /// Published version.
    pub live: Option<u32>,
    /// The definition shown (working copy for editors, published version otherwise).
    pub def: FlowDef,
    /// Validation problems of the working copy (editors).
    pub problems: Vec<String>,
    /// The diagram of `def`.
    pub diagram: Diagram,
    /// The user may edit and publish.
    pub editable: bool,
}

/// A form field at the current step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldView {
    /// Name.
    pub name: String,
    /// Label in the reader's language.
    pub label: String,
    /// `text`, `number`, `choice` or `date`.
    pub kind: String,
    /// Options of a choice.
    pub options: Vec<String>,
    /// Required.
    pub required: bool,
    /// The answer given before (after a rollback).
    pub value: String,
}

/// A submitted step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StepView {
    /// Instructions (first line) of the step.
    pub title: String,
    /// `label: value` answers.
    pub answers: Vec<(String, String)>,
    /// Rolled back.
    pub rolled_back: bool,
    /// When (local time).
    pub at: String,
}

/// A run at its current point.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunView {
    /// Id.
    pub id: String,
    /// Row version for the next step.
    pub rev: u32,
    /// Flow id.
    pub flow: String,
    /// Flow title.
    pub title: String,
    /// The version it runs.
    pub version: u32,
    /// Current node id (task or end).
    pub node: String,
    /// Instructions of the current task (empty when finished).
    pub instructions: String,
    /// Fields of the current task.
    pub fields: Vec<FieldView>,
    /// Finished.
    pub finished: bool,
    /// The outcome in words, when finished.
    pub outcome: String,
    /// The ticket it registered (number).
    pub ticket: Option<String>,
    /// Submitted steps, oldest first.
    pub history: Vec<StepView>,
    /// A step can be rolled back.
    pub can_rollback: bool,
    /// The diagram with `node` as the current one.
    pub diagram: Diagram,
}

/// One line of a bot conversation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BotLine {
    /// `customer`, `bot` or `note`.
    pub who: String,
    /// What was said.
    pub text: String,
    /// Articles offered or answered with: (id, title).
    pub links: Vec<(String, String)>,
    /// A flow offered: (id, title).
    pub flow: Option<(String, String)>,
    /// Rendered article body, when the bot answered with one.
    pub html: Option<String>,
}

/// A bot conversation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BotView {
    /// Id.
    pub id: String,
    /// Row version for the next turn.
    pub rev: u32,
    /// Lines.
    pub lines: Vec<BotLine>,
    /// Candidates offered in the last reply: (id, title).
    pub choices: Vec<(String, String)>,
    /// An answer is shown and can be rated.
    pub can_rate: bool,
    /// `open`, `solved` or `handed_over`.
    pub status: String,
    /// The ticket registered by the hand-over.
    pub ticket: Option<String>,
}
