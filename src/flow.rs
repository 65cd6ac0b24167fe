//! SOP flows (动态解决方案, DESIGN §3.6): guided procedures an agent or a customer walks
//! through. A definition has nodes — one start, tasks (instructions and form fields: text,
//! number, choice, date), exclusive gateways (conditions on collected fields, in order, and a
//! required default branch) and ends (resolved with a note, or register a ticket of a kind
//! and category with a subject filled from the answers) — joined by edges. Owns validation
//! (exactly one start, every node reachable, every gateway with a default, no dead ends),
//! and runs: start, submit the current task, roll back to the previous one; the history is
//! kept for the ticket the flow may register.

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::ticket::TicketKind;

/// A form field of a task.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Field {
    /// Key (unique in the flow).
    pub name: String,
    /// Label, Chinese.
    pub label_zh: String,
    /// Label, English.
    pub label_en: String,
    /// What it holds.
    pub kind: FieldKind,
    /// Must be answered.
    #[serde(default)]
    pub required: bool,
}

/// What a field holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum FieldKind {
    /// Free text.
    Text,
    /// A number.
    Number,
    /// One of the options.
    Choice {
        /// Option codes.
        options: Vec<String>,
    },
    /// A date, `YYYY-MM-DD`.
    Date,
}

/// How a flow ends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Outcome {
    /// Solved; tell the customer this.
    Resolved {
        /// Note, Chinese.
        note_zh: String,
        /// Note, English.
        note_en: String,
    },
    /// Not solvable here: register a ticket.
    RegisterTicket {
        /// Kind.
        kind: TicketKind,
        /// Category.
        category: String,
        /// Subject with `{field}` placeholders.
        subject: String,
    },
}

/// A node.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum NodeKind {
    /// Where runs begin.
    Start,
    /// Something to do or ask.
    Task {
        /// Instructions, Chinese.
        instructions_zh: String,
        /// Instructions, English.
        instructions_en: String,
        /// Fields to fill.
        #[serde(default)]
        fields: Vec<Field>,
    },
    /// Branches on collected answers.
    Gateway,
    /// The end.
    End {
        /// What it means.
        outcome: Outcome,
    },
}

/// A node with its id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Node {
    /// Id (unique in the flow).
    pub id: String,
    /// What it is.
    #[serde(flatten)]
    pub kind: NodeKind,
}

/// How a condition compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    /// Equal (numbers numerically).
    Eq,
    /// Not equal.
    Ne,
    /// Greater than (numbers).
    Gt,
    /// Greater or equal.
    Ge,
    /// Less than.
    Lt,
    /// Less or equal.
    Le,
    /// Text contains.
    Contains,
}

/// A condition on a collected field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Condition {
    /// Field name.
    pub field: String,
    /// Comparison.
    pub op: Op,
    /// Value to compare with.
    pub value: String,
}

/// An edge; a gateway's edges carry conditions (checked in order) or are its default.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Edge {
    /// From node.
    pub from: String,
    /// To node.
    pub to: String,
    /// Condition (gateway edges).
    #[serde(default)]
    pub when: Option<Condition>,
    /// The gateway's default edge.
    #[serde(default)]
    pub default: bool,
}

/// A flow definition (one version).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FlowDef {
    /// Title, Chinese.
    pub title_zh: String,
    /// Title, English.
    pub title_en: String,
    /// Nodes.
    pub nodes: Vec<Node>,
    /// Edges.
    pub edges: Vec<Edge>,
}

/// Why a definition is invalid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum FlowError {
    /// Not exactly one start node.
    #[error("a flow needs exactly one start node, found {found}")]
    StartCount {
        /// How many.
        found: usize,
    },
    /// Two nodes share an id.
    #[error("node id {0:?} is used twice")]
    DuplicateNode(String),
    /// Two fields share a name.
    #[error("field {0:?} is defined twice")]
    DuplicateField(String),
    /// An edge points at a node that does not exist.
    #[error("an edge refers to the unknown node {0:?}")]
    UnknownNode(String),
    /// A start or task node needs exactly one plain outgoing edge.
    #[error("node {0:?} needs exactly one outgoing edge")]
    NeedsOneNext(String),
    /// A gateway without a default edge (or with several).
    #[error("gateway {0:?} needs exactly one default edge")]
    GatewayDefault(String),
    /// A gateway without conditional edges.
    #[error("gateway {0:?} needs at least one conditional edge")]
    GatewayConditions(String),
    /// A condition on a field no task collects.
    #[error("a condition of {node:?} uses the unknown field {field:?}")]
    UnknownField {
        /// Gateway.
        node: String,
        /// Field.
        field: String,
    },
    /// Conditions or defaults on edges that do not leave a gateway.
    #[error("only gateway edges may have conditions (edge from {0:?})")]
    ConditionOutsideGateway(String),
    /// An end node with outgoing edges.
    #[error("end node {0:?} must not have outgoing edges")]
    EndWithEdges(String),
    /// A node the start cannot reach.
    #[error("node {0:?} cannot be reached from the start")]
    Unreachable(String),
    /// A node from which no end can be reached.
    #[error("no end can be reached from node {0:?}")]
    DeadEnd(String),
    /// A choice field without options, or an empty name or title.
    #[error("{0:?} is incomplete (name, title or choice options missing)")]
    Incomplete(String),
}

fn outgoing<'a>(def: &'a FlowDef, node: &'a str) -> impl Iterator<Item = &'a Edge> + 'a {
    def.edges.iter().filter(move |e| e.from == node)
}

impl FlowDef {
    fn node(&self, id: &str) -> Option<&Node> {
        self.nodes.iter().find(|n| n.id == id)
    }

    /// Every field of every task, by name.
    pub fn fields(&self) -> HashMap<&str, &Field> {
        self.nodes
            .iter()
            .filter_map(|n| match &n.kind {
                NodeKind::Task { fields, .. } => Some(fields),
                _ => None,
            })
            .flatten()
            .map(|f| (f.name.as_str(), f))
            .collect()
    }

    /// Checks the definition; returns every problem found.
    pub fn validate(&self) -> Result<(), Vec<FlowError>> {
        let mut errors = Vec::new();
        if self.title_zh.trim().is_empty() || self.title_en.trim().is_empty() {
            errors.push(FlowError::Incomplete("title".into()));
        }
        let starts: Vec<&Node> = self
            .nodes
            .iter()
            .filter(|n| n.kind == NodeKind::Start)
            .collect();
        if starts.len() != 1 {
            errors.push(FlowError::StartCount {
                found: starts.len(),
            });
        }
        let mut ids = HashSet::new();
        let mut names = HashSet::new();
        for n in &self.nodes {
            if n.id.trim().is_empty() {
                errors.push(FlowError::Incomplete("node id".into()));
            }
            if !ids.insert(n.id.as_str()) {
                errors.push(FlowError::DuplicateNode(n.id.clone()));
            }
            if let NodeKind::Task { fields, .. } = &n.kind {
                for f in fields {
                    if !names.insert(f.name.as_str()) {
                        errors.push(FlowError::DuplicateField(f.name.clone()));
                    }
                    let no_options =
                        matches!(&f.kind, FieldKind::Choice { options } if options.is_empty());
                    if f.name.trim().is_empty() || no_options {
                        errors.push(FlowError::Incomplete(f.name.clone()));
                    }
                }
            }
        }
        for e in &self.edges {
            for end in [&e.from, &e.to] {
                if !ids.contains(end.as_str()) {
                    errors.push(FlowError::UnknownNode(end.clone()));
                }
            }
        }
        let fields = self.fields();
        for n in &self.nodes {
            let out: Vec<&Edge> = outgoing(self, &n.id).collect();
            match &n.kind {
                NodeKind::Start | NodeKind::Task { .. } => {
                    if out.len() != 1 {
                        errors.push(FlowError::NeedsOneNext(n.id.clone()));
                    }
                    if out.iter().any(|e| e.when.is_some() || e.default) {
                        errors.push(FlowError::ConditionOutsideGateway(n.id.clone()));
                    }
                }
                NodeKind::Gateway => {
                    if out.iter().filter(|e| e.default).count() != 1 {
                        errors.push(FlowError::GatewayDefault(n.id.clone()));
                    }
                    if !out.iter().any(|e| e.when.is_some() && !e.default) {
                        errors.push(FlowError::GatewayConditions(n.id.clone()));
                    }
                    for c in out.iter().filter_map(|e| e.when.as_ref()) {
                        if !fields.contains_key(c.field.as_str()) {
                            errors.push(FlowError::UnknownField {
                                node: n.id.clone(),
                                field: c.field.clone(),
                            });
                        }
                    }
                }
                NodeKind::End { .. } => {
                    if !out.is_empty() {
                        errors.push(FlowError::EndWithEdges(n.id.clone()));
                    }
                }
            }
        }
        if let [start] = starts.as_slice() {
            let reached = self.reach(&start.id, |e| (&e.from, &e.to));
            for n in &self.nodes {
                if !reached.contains(n.id.as_str()) {
                    errors.push(FlowError::Unreachable(n.id.clone()));
                }
            }
        }
        let ends: Vec<&str> = self
            .nodes
            .iter()
            .filter(|n| matches!(n.kind, NodeKind::End { .. }))
            .map(|n| n.id.as_str())
            .collect();
        let mut can_end: HashSet<&str> = HashSet::new();
        for end in ends {
            can_end.extend(self.reach(end, |e| (&e.to, &e.from)));
        }
        for n in &self.nodes {
            if !can_end.contains(n.id.as_str()) {
                errors.push(FlowError::DeadEnd(n.id.clone()));
            }
        }
        errors.dedup();
        match errors.is_empty() {
            true => Ok(()),
            false => Err(errors),
        }
    }

    /// Nodes reachable from `from` following edges in the given direction.
    fn reach<'a>(
        &'a self,
        from: &'a str,
        dir: impl Fn(&'a Edge) -> (&'a String, &'a String),
    ) -> HashSet<&'a str> {
        let mut seen = HashSet::from([from]);
        let mut queue = VecDeque::from([from]);
        while let Some(n) = queue.pop_front() {
            for e in &self.edges {
                let (a, b) = dir(e);
                if a == n && seen.insert(b.as_str()) {
                    queue.push_back(b.as_str());
                }
            }
        }
        seen
    }
}

/// Where a run is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum RunStatus {
    /// Waiting at a task.
    AtTask {
        /// The task node.
        node: String,
    },
    /// Finished.
    Finished {
        /// The end node.
        node: String,
        /// Its outcome.
        outcome: Outcome,
    },
}

/// One submitted task.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunStep {
    /// The task node.
    pub node: String,
    /// Answers given there.
    pub values: BTreeMap<String, String>,
    /// When.
    pub at: DateTime<Utc>,
    /// Rolled back afterwards.
    #[serde(default)]
    pub rolled_back: bool,
}

/// A run of one flow version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Run {
    /// Where it is.
    pub status: RunStatus,
    /// Answers so far (of steps not rolled back).
    pub values: BTreeMap<String, String>,
    /// Every submission, rolled-back ones included.
    pub history: Vec<RunStep>,
}

/// Why a submission or rollback was refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum RunError {
    /// The run is finished.
    #[error("the flow is finished")]
    Finished,
    /// Nothing to roll back.
    #[error("already at the first step")]
    AtFirstStep,
    /// A required field is empty.
    #[error("{0} is required")]
    Required(String),
    /// Not a number.
    #[error("{0} must be a number")]
    NotNumber(String),
    /// Not one of the options.
    #[error("{0} must be one of the options")]
    NotOption(String),
    /// Not a date.
    #[error("{0} must be a date (YYYY-MM-DD)")]
    NotDate(String),
    /// The definition is broken (validated definitions never are).
    #[error("the flow definition is invalid")]
    Broken,
}

fn number(s: &str) -> Option<f64> {
    s.trim().parse::<f64>().ok().filter(|n| n.is_finite())
}

impl Condition {
    /// Whether the answers satisfy it (a missing answer satisfies only `ne`).
    pub fn holds(&self, values: &BTreeMap<String, String>) -> bool {
        let Some(v) = values.get(&self.field) else {
            return self.op == Op::Ne;
        };
        let numeric = number(v).zip(number(&self.value));
        match (self.op, numeric) {
            (Op::Eq, Some((a, b))) => a == b,
            (Op::Ne, Some((a, b))) => a != b,
            (Op::Gt, Some((a, b))) => a > b,
            (Op::Ge, Some((a, b))) => a >= b,
            (Op::Lt, Some((a, b))) => a < b,
            (Op::Le, Some((a, b))) => a <= b,
            (Op::Eq, None) => v.trim() == self.value.trim(),
            (Op::Ne, None) => v.trim() != self.value.trim(),
            (Op::Contains, _) => v.contains(self.value.trim()),
            (Op::Gt | Op::Ge | Op::Lt | Op::Le, None) => false,
        }
    }
}

/// Follows edges from `node` through gateways to the next task or end.
fn advance(
    def: &FlowDef,
    from: &str,
    values: &BTreeMap<String, String>,
) -> Result<RunStatus, RunError> {
    let mut at = from.to_owned();
    // A validated flow reaches a task or an end within as many hops as it has nodes.
    for hop in 0..=def.nodes.len() {
        let node = def.node(&at).ok_or(RunError::Broken)?;
        let next = match &node.kind {
            NodeKind::Task { .. } if hop > 0 => return Ok(RunStatus::AtTask { node: at }),
            NodeKind::End { outcome } => {
                return Ok(RunStatus::Finished {
                    node: at,
                    outcome: outcome.clone(),
                })
            }
            NodeKind::Gateway => {
                let out: Vec<&Edge> = outgoing(def, &at).collect();
                out.iter()
                    .find(|e| !e.default && e.when.as_ref().is_some_and(|c| c.holds(values)))
                    .or_else(|| out.iter().find(|e| e.default))
                    .ok_or(RunError::Broken)?
                    .to
                    .clone()
            }
            NodeKind::Start | NodeKind::Task { .. } => outgoing(def, &at)
                .next()
                .ok_or(RunError::Broken)?
                .to
                .clone(),
        };
        at = next;
    }
    Err(RunError::Broken)
}

/// Starts a run of a validated flow.
pub fn start(def: &FlowDef) -> Result<Run, RunError> {
    let start = def
        .nodes
        .iter()
        .find(|n| n.kind == NodeKind::Start)
        .ok_or(RunError::Broken)?;
    let values = BTreeMap::new();
    Ok(Run {
        status: advance(def, &start.id, &values)?,
        values,
        history: Vec::new(),
    })
}

/// Checks one field's answer; returns the normalised value (`None`: left empty).
fn check(field: &Field, raw: Option<&String>) -> Result<Option<String>, RunError> {
    let v = raw.map(|s| s.trim()).filter(|s| !s.is_empty());
    let Some(v) = v else {
        return match field.required {
            true => Err(RunError::Required(field.name.clone())),
            false => Ok(None),
        };
    };
    match &field.kind {
        FieldKind::Text => Ok(Some(v.chars().take(2000).collect())),
        FieldKind::Number => number(v)
            .map(|_| Some(v.to_owned()))
            .ok_or_else(|| RunError::NotNumber(field.name.clone())),
        FieldKind::Choice { options } => match options.iter().any(|o| o == v) {
            true => Ok(Some(v.to_owned())),
            false => Err(RunError::NotOption(field.name.clone())),
        },
        FieldKind::Date => NaiveDate::parse_from_str(v, "%Y-%m-%d")
            .map(|d| Some(d.to_string()))
            .map_err(|_| RunError::NotDate(field.name.clone())),
    }
}

/// Submits the current task's answers and moves on.
pub fn submit(
    def: &FlowDef,
    run: &Run,
    answers: &BTreeMap<String, String>,
    now: DateTime<Utc>,
) -> Result<Run, RunError> {
    let RunStatus::AtTask { node } = &run.status else {
        return Err(RunError::Finished);
    };
    let Some(NodeKind::Task { fields, .. }) = def.node(node).map(|n| &n.kind) else {
        return Err(RunError::Broken);
    };
    let mut step = BTreeMap::new();
    for f in fields {
        if let Some(v) = check(f, answers.get(&f.name))? {
            step.insert(f.name.clone(), v);
        }
    }
    let mut values = run.values.clone();
    values.extend(step.clone());
    let mut history = run.history.clone();
    history.push(RunStep {
        node: node.clone(),
        values: step,
        at: now,
        rolled_back: false,
    });
    Ok(Run {
        status: advance(def, node, &values)?,
        values,
        history,
    })
}

/// Goes back to the previous task: its answers are withdrawn (kept in the history, marked
/// rolled back). A finished run can be rolled back too.
pub fn rollback(def: &FlowDef, run: &Run) -> Result<Run, RunError> {
    let mut history = run.history.clone();
    let Some(last) = history.iter_mut().rev().find(|s| !s.rolled_back) else {
        return Err(RunError::AtFirstStep);
    };
    last.rolled_back = true;
    let node = last.node.clone();
    def.node(&node).ok_or(RunError::Broken)?;
    let values = history
        .iter()
        .filter(|s| !s.rolled_back)
        .flat_map(|s| s.values.clone())
        .collect();
    Ok(Run {
        status: RunStatus::AtTask { node },
        values,
        history,
    })
}

/// A flow as stored: the working definition and, once published, the frozen version that
/// new runs use. Runs keep the version they started on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Flow {
    /// Id.
    pub id: uuid::Uuid,
    /// The working definition (what editors change).
    pub def: FlowDef,
    /// Who may run it: staff only, or customers in the portal too.
    pub audience: crate::kb::Audience,
    /// Category path, like articles.
    pub category: String,
    /// Phrases customers and agents use for the problem it solves (search).
    pub keywords: Vec<String>,
    /// The published version new runs use.
    pub live: Option<u32>,
    /// Row version for optimistic updates.
    pub rev: u32,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

impl FlowDef {
    /// The searchable form of a published version.
    pub fn search_doc(&self, flow: &Flow) -> crate::kb::search::SearchDoc {
        let (mut zh, mut en) = (Vec::new(), Vec::new());
        for n in &self.nodes {
            if let NodeKind::Task {
                instructions_zh,
                instructions_en,
                ..
            } = &n.kind
            {
                zh.push(instructions_zh.as_str());
                en.push(instructions_en.as_str());
            }
        }
        crate::kb::search::SearchDoc {
            id: flow.id,
            kind: crate::kb::search::DocKind::Flow,
            title: self.title_zh.clone(),
            title_en: self.title_en.clone(),
            body: zh.join("\n"),
            body_en: en.join("\n"),
            questions: flow.keywords.clone(),
            tags: Vec::new(),
            category: flow.category.clone(),
            audience: flow.audience,
        }
    }

    /// The task and end nodes in the order a run meets them first (breadth-first from the
    /// start), for listing and drawing.
    pub fn ordered(&self) -> Vec<&Node> {
        let mut seen = HashSet::new();
        let mut queue: VecDeque<&str> = self
            .nodes
            .iter()
            .filter(|n| n.kind == NodeKind::Start)
            .map(|n| n.id.as_str())
            .collect();
        let mut out = Vec::new();
        while let Some(id) = queue.pop_front() {
            if !seen.insert(id) {
                continue;
            }
            if let Some(n) = self.node(id) {
                out.push(n);
            }
            queue.extend(outgoing(self, id).map(|e| e.to.as_str()));
        }
        out.extend(self.nodes.iter().filter(|n| !seen.contains(n.id.as_str())));
        out
    }

    /// A node by id.
    pub fn node_by_id(&self, id: &str) -> Option<&Node> {
        self.node(id)
    }
}

/// Fills `{field}` placeholders of a ticket subject from the answers.
pub fn fill_subject(template: &str, values: &BTreeMap<String, String>) -> String {
    values.iter().fold(template.to_owned(), |s, (k, v)| {
        s.replace(&format!("{{{k}}}"), v)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn task(id: &str, fields: Vec<Field>) -> Node {
        Node {
            id: id.into(),
            kind: NodeKind::Task {
                instructions_zh: format!("{id} 说明"),
                instructions_en: format!("{id} instructions"),
                fields,
            },
        }
    }

    fn field(name: &str, kind: FieldKind, required: bool) -> Field {
        Field {
            name: name.into(),
            label_zh: name.into(),
            label_en: name.into(),
            kind,
            required,
        }
    }

    fn edge(from: &str, to: &str) -> Edge {
        Edge {
            from: from.into(),
            to: to.into(),
            when: None,
            default: false,
        }
    }

    fn when(from: &str, to: &str, field: &str, op: Op, value: &str) -> Edge {
        Edge {
            when: Some(Condition {
                field: field.into(),
                op,
                value: value.into(),
            }),
            ..edge(from, to)
        }
    }

    /// 话费异常排查: ask the amount, check the plan; above 100 yuan extra → ticket.
    fn billing_triage() -> FlowDef {
        FlowDef {
            title_zh: "话费异常排查".into(),
            title_en: "Billing dispute triage".into(),
            nodes: vec![
                Node {
                    id: "start".into(),
                    kind: NodeKind::Start,
                },
                task(
                    "ask",
                    vec![
                        field("extra", FieldKind::Number, true),
                        field(
                            "cause",
                            FieldKind::Choice {
                                options: vec!["data".into(), "roaming".into(), "unknown".into()],
                            },
                            true,
                        ),
                        field("since", FieldKind::Date, false),
                    ],
                ),
                Node {
                    id: "gw".into(),
                    kind: NodeKind::Gateway,
                },
                task(
                    "explain",
                    vec![field(
                        "accepted",
                        FieldKind::Choice {
                            options: vec!["yes".into(), "no".into()],
                        },
                        true,
                    )],
                ),
                Node {
                    id: "gw2".into(),
                    kind: NodeKind::Gateway,
                },
                Node {
                    id: "solved".into(),
                    kind: NodeKind::End {
                        outcome: Outcome::Resolved {
                            note_zh: "已解释".into(),
                            note_en: "Explained".into(),
                        },
                    },
                },
                Node {
                    id: "ticket".into(),
                    kind: NodeKind::End {
                        outcome: Outcome::RegisterTicket {
                            kind: TicketKind::Complaint,
                            category: "billing/charge_dispute".into(),
                            subject: "话费异常 {extra} 元（{cause}）".into(),
                        },
                    },
                },
            ],
            edges: vec![
                edge("start", "ask"),
                edge("ask", "gw"),
                when("gw", "ticket", "extra", Op::Gt, "100"),
                when("gw", "explain", "cause", Op::Ne, "unknown"),
                Edge {
                    default: true,
                    ..edge("gw", "ticket")
                },
                edge("explain", "gw2"),
                when("gw2", "solved", "accepted", Op::Eq, "yes"),
                Edge {
                    default: true,
                    ..edge("gw2", "ticket")
                },
            ],
        }
    }

    fn answers(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn now() -> DateTime<Utc> {
        "2026-11-23T02:00:00Z".parse().unwrap()
    }

    #[test]
    fn a_sound_flow_validates() {
        assert_eq!(billing_triage().validate(), Ok(()));
    }

    #[test]
    fn broken_flows_are_refused_with_every_problem() {
        let mut f = billing_triage();
        f.nodes.push(Node {
            id: "start2".into(),
            kind: NodeKind::Start,
        });
        f.edges.retain(|e| !(e.from == "gw2" && e.default));
        f.edges.push(edge("solved", "ask"));
        f.edges.push(edge("ask", "nowhere"));
        f.nodes.push(task("orphan", vec![]));
        f.edges.push(edge("orphan", "orphan"));
        let errors = f.validate().unwrap_err();
        for expected in [
            FlowError::StartCount { found: 2 },
            FlowError::GatewayDefault("gw2".into()),
            FlowError::EndWithEdges("solved".into()),
            FlowError::UnknownNode("nowhere".into()),
            FlowError::NeedsOneNext("ask".into()),
            FlowError::DeadEnd("orphan".into()),
        ] {
            assert!(
                errors.contains(&expected),
                "{expected:?} missing from {errors:?}"
            );
        }
        let mut g = billing_triage();
        g.edges.push(when("gw", "solved", "colour", Op::Eq, "red"));
        g.nodes.push(task("lost", vec![]));
        g.edges.push(edge("lost", "solved"));
        let errors = g.validate().unwrap_err();
        assert!(errors.contains(&FlowError::UnknownField {
            node: "gw".into(),
            field: "colour".into()
        }));
        assert!(errors.contains(&FlowError::Unreachable("lost".into())));
        let mut h = billing_triage();
        h.edges[0].default = true;
        assert!(h
            .validate()
            .unwrap_err()
            .contains(&FlowError::ConditionOutsideGateway("start".into())));
    }

    #[test]
    fn gateways_branch_on_answers_in_order_with_a_default() {
        let f = billing_triage();
        let run = start(&f).unwrap();
        assert_eq!(run.status, RunStatus::AtTask { node: "ask".into() });
        // Over 100 yuan: straight to a ticket, subject filled from the answers.
        let done = submit(
            &f,
            &run,
            &answers(&[("extra", "158"), ("cause", "data")]),
            now(),
        )
        .unwrap();
        let RunStatus::Finished {
            node,
            outcome: Outcome::RegisterTicket { subject, .. },
        } = &done.status
        else {
            panic!("{done:?}")
        };
        assert_eq!(node, "ticket");
        assert_eq!(
            fill_subject(subject, &done.values),
            "话费异常 158 元（data）"
        );
        // Small and explainable: the explanation task, then solved.
        let small = submit(
            &f,
            &run,
            &answers(&[("extra", "20"), ("cause", "roaming")]),
            now(),
        )
        .unwrap();
        assert_eq!(
            small.status,
            RunStatus::AtTask {
                node: "explain".into()
            }
        );
        let solved = submit(&f, &small, &answers(&[("accepted", "yes")]), now()).unwrap();
        assert!(matches!(solved.status, RunStatus::Finished { ref node, .. } if node == "solved"));
        // Unknown cause: the default branch.
        let unknown = submit(
            &f,
            &run,
            &answers(&[("extra", "20"), ("cause", "unknown")]),
            now(),
        )
        .unwrap();
        assert!(matches!(unknown.status, RunStatus::Finished { ref node, .. } if node == "ticket"));
        assert_eq!(
            submit(&f, &solved, &answers(&[]), now()),
            Err(RunError::Finished)
        );
    }

    #[test]
    fn answers_are_checked_per_field() {
        let f = billing_triage();
        let run = start(&f).unwrap();
        let try_with = |a: &[(&str, &str)]| submit(&f, &run, &answers(a), now()).unwrap_err();
        assert_eq!(
            try_with(&[("cause", "data")]),
            RunError::Required("extra".into())
        );
        assert_eq!(
            try_with(&[("extra", "十"), ("cause", "data")]),
            RunError::NotNumber("extra".into())
        );
        assert_eq!(
            try_with(&[("extra", "1"), ("cause", "wifi")]),
            RunError::NotOption("cause".into())
        );
        assert_eq!(
            try_with(&[("extra", "1"), ("cause", "data"), ("since", "2026-02-30")]),
            RunError::NotDate("since".into())
        );
    }

    #[test]
    fn rollback_withdraws_the_last_answers_and_keeps_the_history() {
        let f = billing_triage();
        let run = start(&f).unwrap();
        assert_eq!(rollback(&f, &run), Err(RunError::AtFirstStep));
        let small = submit(
            &f,
            &run,
            &answers(&[("extra", "20"), ("cause", "roaming")]),
            now(),
        )
        .unwrap();
        let back = rollback(&f, &small).unwrap();
        assert_eq!(back.status, RunStatus::AtTask { node: "ask".into() });
        assert!(back.values.is_empty());
        assert_eq!(back.history.len(), 1);
        assert!(back.history[0].rolled_back);
        // Answer differently this time: the history keeps both.
        let big = submit(
            &f,
            &back,
            &answers(&[("extra", "500"), ("cause", "data")]),
            now(),
        )
        .unwrap();
        assert!(matches!(big.status, RunStatus::Finished { .. }));
        assert_eq!(big.history.len(), 2);
        assert_eq!(big.values.get("extra").map(String::as_str), Some("500"));
        // A finished run steps back to its last task.
        let again = rollback(&f, &big).unwrap();
        assert_eq!(again.status, RunStatus::AtTask { node: "ask".into() });
    }

    #[test]
    fn a_gateway_may_send_the_run_back_to_the_same_task() {
        let f = FlowDef {
            title_zh: "重启光猫".into(),
            title_en: "Restart the modem".into(),
            nodes: vec![
                Node {
                    id: "s".into(),
                    kind: NodeKind::Start,
                },
                task(
                    "restart",
                    vec![field(
                        "online",
                        FieldKind::Choice {
                            options: vec!["yes".into(), "no".into()],
                        },
                        true,
                    )],
                ),
                Node {
                    id: "g".into(),
                    kind: NodeKind::Gateway,
                },
                Node {
                    id: "ok".into(),
                    kind: NodeKind::End {
                        outcome: Outcome::Resolved {
                            note_zh: "恢复".into(),
                            note_en: "Back".into(),
                        },
                    },
                },
            ],
            edges: vec![
                edge("s", "restart"),
                edge("restart", "g"),
                when("g", "ok", "online", Op::Eq, "yes"),
                Edge {
                    default: true,
                    ..edge("g", "restart")
                },
            ],
        };
        assert_eq!(f.validate(), Ok(()));
        let run = start(&f).unwrap();
        let again = submit(&f, &run, &answers(&[("online", "no")]), now()).unwrap();
        assert_eq!(
            again.status,
            RunStatus::AtTask {
                node: "restart".into()
            }
        );
        let done = submit(&f, &again, &answers(&[("online", "yes")]), now()).unwrap();
        assert!(matches!(done.status, RunStatus::Finished { .. }));
        assert_eq!(done.history.len(), 2);
    }

    #[test]
    fn conditions_compare_numbers_numerically_and_text_exactly() {
        let v = answers(&[("n", "9"), ("t", "宽带断网")]);
        let c = |field: &str, op, value: &str| Condition {
            field: field.into(),
            op,
            value: value.into(),
        };
        assert!(
            c("n", Op::Lt, "10").holds(&v),
            "9 < 10 numerically, not as text"
        );
        assert!(c("n", Op::Eq, "9.0").holds(&v));
        assert!(c("t", Op::Contains, "断网").holds(&v));
        assert!(!c("t", Op::Gt, "1").holds(&v));
        assert!(c("missing", Op::Ne, "x").holds(&v));
        assert!(!c("missing", Op::Eq, "x").holds(&v));
    }
}
