//! Server functions of the supervisors' screens (wallboard, reports, quality inspection,
//! staffing) and the agents' own quality results. Each authenticates, calls
//! `crate::supervision`, and maps errors to [`AppError`] in the user's language.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use crate::error::AppError;
use crate::views::supervision::{
    AuditFilter, AuditListView, QualityView, ReportQuery, ReportView, ReviewInput, ReviewView,
    SampleItem, ScorecardInput, ShiftInput, StaffingView, WallboardView,
};

#[cfg(feature = "ssr")]
use super::desk::support;

/// A page of the audit log (supervisors and administrators).
#[server(endpoint = "supervision/audit", input = Json)]
pub async fn audit_log(filter: AuditFilter) -> Result<AuditListView, AppError> {
    let (state, user, locale) = support::caller().await?;
    crate::audit::search_filtered(&state.stores, &user, &filter, locale)
        .await
        .map_err(|e| support::desk(e, locale))
}

/// The live wallboard (supervisors and administrators).
#[server(endpoint = "supervision/wallboard")]
pub async fn load_wallboard() -> Result<WallboardView, AppError> {
    let (state, user, locale) = support::caller().await?;
    crate::supervision::wallboard(
        &state.stores,
        state.clock.now(),
        &user,
        &state.targets,
        locale,
    )
    .await
    .map_err(|e| support::desk(e, locale))
}

/// A report.
#[server(endpoint = "supervision/report", input = Json)]
pub async fn load_report(query: ReportQuery) -> Result<ReportView, AppError> {
    let (state, user, locale) = support::caller().await?;
    crate::supervision::report(
        &state.stores,
        state.clock.now(),
        &user,
        &query,
        &state.targets,
        locale,
    )
    .await
    .map_err(|e| support::desk(e, locale))
}

/// The quality page.
#[server(endpoint = "supervision/quality")]
pub async fn load_quality() -> Result<QualityView, AppError> {
    let (state, user, locale) = support::caller().await?;
    crate::supervision::quality(&state.stores, state.clock.now(), &user, locale)
        .await
        .map_err(|e| support::desk(e, locale))
}

/// Saves a scorecard; returns its id.
#[server(endpoint = "supervision/scorecard", input = Json)]
pub async fn save_scorecard(input: ScorecardInput) -> Result<String, AppError> {
    let (state, user, locale) = support::caller().await?;
    crate::supervision::save_scorecard(&state.stores, state.clock.now(), &user, input)
        .await
        .map_err(|e| support::desk(e, locale))
}

/// A random sample of handled work to review (`agent`: an id, or empty for everyone).
#[server(endpoint = "supervision/sample", input = Json)]
pub async fn sample_work(
    agent: String,
    days: u32,
    per_agent: u32,
    seed: u64,
) -> Result<Vec<SampleItem>, AppError> {
    let (state, user, locale) = support::caller().await?;
    let agent = match agent.trim() {
        "" => None,
        a => Some(loopdesk::user::UserId(super::console::parse_id(a, locale)?)),
    };
    crate::supervision::sample(
        &state.stores,
        state.clock.now(),
        &user,
        agent,
        days,
        per_agent,
        seed,
    )
    .await
    .map_err(|e| support::desk(e, locale))
}

/// Scores a ticket or a call.
#[server(endpoint = "supervision/review", input = Json)]
pub async fn submit_review(input: ReviewInput) -> Result<ReviewView, AppError> {
    let (state, user, locale) = support::caller().await?;
    crate::supervision::add_review(&state.stores, state.clock.now(), &user, input, locale)
        .await
        .map_err(|e| support::desk(e, locale))
}

/// The signed-in agent's own reviews.
#[server(endpoint = "supervision/my_reviews")]
pub async fn load_my_reviews() -> Result<Vec<ReviewView>, AppError> {
    let (state, user, locale) = support::caller().await?;
    crate::supervision::my_reviews(&state.stores, &user, locale)
        .await
        .map_err(|e| support::desk(e, locale))
}

/// The staffing plan (`week`: any date of the week, empty for next week; percentages as
/// entered).
#[server(endpoint = "supervision/staffing", input = Json)]
pub async fn load_staffing(
    week: String,
    weeks: u32,
    service_level: f64,
    threshold: f64,
    occupancy: f64,
) -> Result<StaffingView, AppError> {
    let (state, user, locale) = support::caller().await?;
    let week = match week.trim() {
        "" => None,
        w => Some(
            chrono::NaiveDate::parse_from_str(w, "%Y-%m-%d").map_err(|_| {
                support::desk(
                    crate::desk::DeskError::invalid("week", crate::desk::Invalid::BadDate),
                    locale,
                )
            })?,
        ),
    };
    let goal = loopdesk::staffing::StaffingGoal {
        service_level: service_level / 100.0,
        threshold_seconds: threshold,
        max_occupancy: occupancy / 100.0,
    };
    crate::supervision::staffing(
        &state.stores,
        state.clock.now(),
        &user,
        week,
        weeks,
        goal,
        locale,
    )
    .await
    .map_err(|e| support::desk(e, locale))
}

/// Adds or changes a roster shift; returns its id.
#[server(endpoint = "supervision/shift", input = Json)]
pub async fn save_shift(input: ShiftInput) -> Result<String, AppError> {
    let (state, user, locale) = support::caller().await?;
    crate::supervision::save_shift(&state.stores, &user, input)
        .await
        .map_err(|e| support::desk(e, locale))
}

/// Removes a roster shift.
#[server(endpoint = "supervision/shift_delete", input = Json)]
pub async fn remove_shift(id: String) -> Result<(), AppError> {
    let (state, user, locale) = support::caller().await?;
    crate::supervision::delete_shift(&state.stores, &user, &id)
        .await
        .map_err(|e| support::desk(e, locale))
}
