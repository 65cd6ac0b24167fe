//! What the supervisors' screens and their API show: the live wallboard, reports (figures,
//! breakdowns, server-rendered SVG charts), quality inspection and the staffing plan.
//! Rates are fractions (0–1) and `None` when nothing was there to measure.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::{CodeName, RefView, TicketRow};

/// Call figures over a period (today on the wallboard, the range in reports).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct CallFigures {
    /// Inbound offered (answered + abandoned).
    pub offered: u64,
    /// Inbound answered.
    pub answered: u64,
    /// Inbound abandoned.
    pub abandoned: u64,
    /// Ringing now.
    pub waiting: u64,
    /// On the line now.
    pub in_progress: u64,
    /// Service level, all callers.
    pub service_level: Option<f64>,
    /// Service level, standard callers.
    pub service_level_standard: Option<f64>,
    /// Service level, VIP callers.
    pub service_level_vip: Option<f64>,
    /// Target for standard callers (0–1).
    pub target_standard: f64,
    /// Target for VIP callers (0–1).
    pub target_vip: f64,
    /// Answer threshold, seconds.
    pub threshold_seconds: i64,
    /// Average speed of answer, seconds.
    pub asa_seconds: Option<f64>,
    /// Abandonment rate.
    pub abandonment: Option<f64>,
    /// Average handle time (talk + wrap-up), seconds.
    pub aht_seconds: Option<f64>,
    /// Occupancy.
    pub occupancy: Option<f64>,
}

/// One agent on the wallboard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentNow {
    /// The agent.
    pub agent: RefView,
    /// State.
    pub state: CodeName,
    /// Break reason.
    pub reason: Option<String>,
    /// In this state since.
    pub since: DateTime<Utc>,
}

/// Open tickets of one department, per open state (in `WallboardView::states` order).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DepartmentLoad {
    /// The department.
    pub department: RefView,
    /// Counts per state.
    pub counts: Vec<u64>,
    /// All open.
    pub total: u64,
}

/// The live wallboard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WallboardView {
    /// The open states, in order.
    pub states: Vec<CodeName>,
    /// Open tickets per state (same order).
    pub by_state: Vec<u64>,
    /// Per department.
    pub departments: Vec<DepartmentLoad>,
    /// All open tickets.
    pub open: u64,
    /// Open tickets past a warning point.
    pub at_risk: u64,
    /// Open tickets past a due time.
    pub overdue: u64,
    /// Open tickets past a hard limit.
    pub breached: u64,
    /// Open escalated tickets.
    pub escalated: u64,
    /// Overdue and escalated tickets to act on (nearest due first).
    pub attention: Vec<TicketRow>,
    /// Agents' states.
    pub agents: Vec<AgentNow>,
    /// Today's calls (local day).
    pub today: CallFigures,
    /// The server's clock.
    pub as_of: DateTime<Utc>,
}

/// A report's filters as the page sends them (`YYYY-MM-DD` dates, codes, ids; empty: any).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ReportQuery {
    /// First day (local).
    #[serde(default)]
    pub from: String,
    /// Last day (local, inclusive).
    #[serde(default)]
    pub to: String,
    /// Department id.
    #[serde(default)]
    pub department: String,
    /// Kind code.
    #[serde(default)]
    pub kind: String,
    /// Category code or prefix.
    #[serde(default)]
    pub category: String,
    /// Channel code.
    #[serde(default)]
    pub channel: String,
    /// Agent id.
    #[serde(default)]
    pub agent: String,
}

/// A count under a name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bucket {
    /// What.
    pub key: CodeName,
    /// Tickets.
    pub tickets: u64,
}

/// Compliance of one SLA target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComplianceRow {
    /// The target.
    pub target: CodeName,
    /// Met.
    pub met: u64,
    /// Overdue.
    pub overdue: u64,
    /// Breached.
    pub breached: u64,
    /// Still running.
    pub running: u64,
    /// Met ÷ decided.
    pub rate: Option<f64>,
}

/// Performance of an agent or a department.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Performance {
    /// Who.
    pub who: RefView,
    /// Tickets registered in the range that they own.
    pub tickets: u64,
    /// Of those, answered.
    pub handled: u64,
    /// Calls handled.
    pub calls: u64,
    /// Average handle time of their calls, seconds (talk only for departments).
    pub aht_seconds: Option<f64>,
    /// SLA compliance over every target of their tickets.
    pub sla_rate: Option<f64>,
    /// Share satisfied.
    pub satisfaction: Option<f64>,
    /// Mean rating.
    pub mean_rating: Option<f64>,
    /// Mean quality score (0–100).
    pub quality: Option<f64>,
    /// Quality reviews.
    pub reviews: u64,
}

/// Report figures over the whole selection.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportTotals {
    /// Tickets registered.
    pub tickets: u64,
    /// Answered.
    pub answered: u64,
    /// First-contact resolution rate.
    pub fcr: Option<f64>,
    /// Reopen rate.
    pub reopen_rate: Option<f64>,
    /// Share satisfied.
    pub satisfaction: Option<f64>,
    /// Mean rating.
    pub mean_rating: Option<f64>,
    /// Satisfaction outcomes counted.
    pub outcomes: u64,
    /// Complaints.
    pub complaints: u64,
    /// Complaints per 10 000 customers.
    pub complaint_rate: Option<f64>,
    /// Share of serious complaints.
    pub serious_share: Option<f64>,
    /// The ceiling for it (0.01).
    pub serious_ceiling: f64,
    /// Customers on record.
    pub customers: u64,
}

/// A report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportView {
    /// First day.
    pub from: NaiveDate,
    /// Last day (inclusive).
    pub to: NaiveDate,
    /// Totals.
    pub totals: ReportTotals,
    /// By kind.
    pub by_kind: Vec<Bucket>,
    /// By channel.
    pub by_channel: Vec<Bucket>,
    /// By category (full code).
    pub by_category: Vec<Bucket>,
    /// By local hour of day (24 entries).
    pub by_hour: Vec<u64>,
    /// By local day.
    pub by_day: Vec<(NaiveDate, u64)>,
    /// SLA compliance per target.
    pub sla: Vec<ComplianceRow>,
    /// Calls in the range.
    pub calls: CallFigures,
    /// Per agent.
    pub agents: Vec<Performance>,
    /// Per department.
    pub departments: Vec<Performance>,
    /// Charts (SVG, rendered on the server).
    pub charts: ReportCharts,
    /// Departments for the filter.
    pub department_choices: Vec<RefView>,
    /// Agents for the filter.
    pub agent_choices: Vec<RefView>,
}

/// The report's charts as SVG documents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportCharts {
    /// Tickets per day (line).
    pub by_day: String,
    /// Tickets per hour of day (bars).
    pub by_hour: String,
    /// Tickets per kind, stacked by channel.
    pub kind_channel: String,
    /// SLA outcomes per target (stacked bars).
    pub sla: String,
}

/// A scorecard for the quality pages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScorecardView {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Active.
    pub active: bool,
    /// Criteria: key, label in the reader's language, weight.
    pub criteria: Vec<(String, String, u32)>,
    /// The criteria as defined (both labels), for the editor.
    pub definition: Vec<loopdesk::quality::Criterion>,
}

/// Something that can be reviewed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SampleItem {
    /// `ticket` or `call`.
    pub kind: String,
    /// Its id.
    pub id: String,
    /// What to show (ticket number and subject, or the caller and time).
    pub label: String,
    /// When it happened.
    pub at: DateTime<Utc>,
    /// The agent.
    pub agent: RefView,
}

/// A review as shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewView {
    /// Id.
    pub id: String,
    /// Scorecard name.
    pub scorecard: String,
    /// `ticket` or `call`.
    pub kind: String,
    /// Subject id.
    pub subject: String,
    /// Link to it, when it has a page.
    pub href: Option<String>,
    /// The agent.
    pub agent: RefView,
    /// The reviewer.
    pub reviewer: RefView,
    /// Label, points, weight per criterion.
    pub scores: Vec<(String, u32, u32)>,
    /// Total out of 100.
    pub total: u32,
    /// Comment.
    pub comment: String,
    /// When.
    pub at: DateTime<Utc>,
}

/// The quality page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QualityView {
    /// Scorecards.
    pub scorecards: Vec<ScorecardView>,
    /// Latest reviews.
    pub reviews: Vec<ReviewView>,
    /// Mean score per agent over the reviews listed.
    pub by_agent: Vec<(RefView, f64, u64)>,
    /// Agents (for sampling and picking).
    pub agents: Vec<RefView>,
}

/// One interval of the staffing plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanRow {
    /// Local date.
    pub date: NaiveDate,
    /// `09:00`.
    pub time: String,
    /// Expected calls.
    pub calls: f64,
    /// Expected AHT, seconds.
    pub aht_seconds: f64,
    /// Agents needed.
    pub required: u32,
    /// Agents rostered.
    pub rostered: u32,
}

/// A shift as shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShiftView {
    /// Id.
    pub id: String,
    /// Agent.
    pub agent: String,
    /// Local date.
    pub date: NaiveDate,
    /// `09:00`.
    pub start: String,
    /// `17:30`.
    pub end: String,
}

/// The staffing page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StaffingView {
    /// Monday of the planned week.
    pub week: NaiveDate,
    /// History weeks used.
    pub history_weeks: u32,
    /// The growth factor applied.
    pub trend: f64,
    /// Service-level goal (0–1), threshold seconds, occupancy cap (0–1).
    pub goal: (f64, f64, f64),
    /// Intervals with any demand or roster (others are left out).
    pub rows: Vec<PlanRow>,
    /// Σ required agent-hours, Σ rostered agent-hours, intervals short.
    pub summary: (f64, f64, u32),
    /// Required vs rostered per interval over the week (SVG).
    pub chart: String,
    /// The week's shifts.
    pub shifts: Vec<ShiftView>,
}

/// A scorecard from the editor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScorecardInput {
    /// Existing id (empty: new).
    pub id: String,
    /// Name.
    pub name: String,
    /// Active.
    pub active: bool,
    /// Criteria.
    pub criteria: Vec<loopdesk::quality::Criterion>,
}

/// A review from the scoring form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewInput {
    /// Scorecard id.
    pub scorecard: String,
    /// `ticket` or `call`.
    pub kind: String,
    /// The ticket id or call id.
    pub subject: String,
    /// Points per criterion key.
    pub scores: Vec<(String, u32)>,
    /// Comment for the agent.
    pub comment: String,
}

/// A shift from the roster editor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShiftInput {
    /// Existing id (empty: new).
    pub id: String,
    /// Agent login or placeholder.
    pub agent: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// `HH:MM`.
    pub start: String,
    /// `HH:MM`.
    pub end: String,
}

/// Filters of an audit log search as the page sends them (empty text: no filter; days in
/// the center's time zone, `to` inclusive).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditFilter {
    /// An audit action code.
    pub action: String,
    /// The exact subject (e.g. `u:agent`, a customer id).
    pub subject: String,
    /// First day, `YYYY-MM-DD`.
    pub from: String,
    /// Last day, `YYYY-MM-DD`.
    pub to: String,
    /// Page, from 1.
    pub page: u32,
}

/// One audit log entry as pages and the API show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRowView {
    /// Position in the log.
    pub id: i64,
    /// When.
    pub at: DateTime<Utc>,
    /// Who acted (id and display name), when known.
    pub actor: Option<RefView>,
    /// What happened.
    pub action: CodeName,
    /// What it happened to.
    pub subject: String,
    /// Detail.
    pub detail: String,
    /// The request's transaction id.
    pub transaction_id: Option<String>,
    /// The entry's chain hash.
    pub hash: String,
}

/// A page of audit log entries, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditListView {
    /// The entries.
    pub items: Vec<AuditRowView>,
    /// 1-based page.
    pub page: u32,
    /// Entries per page.
    pub page_size: u32,
    /// Matching entries.
    pub total: u64,
    /// Pages in all.
    pub total_pages: u32,
    /// This is the last page.
    pub last_page: bool,
}
