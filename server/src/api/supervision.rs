//! REST resources of supervision (supervisors and administrators): the wallboard figures
//! (`metrics/summary`), its live change stream, and reports as JSON or CSV. Handlers only
//! translate HTTP to the use cases in `app::supervision`.

use std::convert::Infallible;

use axum::extract::{Query, State};
use axum::http::header;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::Json;
use futures_util::stream::{self, Stream};

use app::state::AppState;
use app::supervision;
use app::views::supervision::{ReportQuery, ReportView, WallboardView};

use super::caller::Caller;

use super::error::ApiResult;

/// `GET /api/v1/metrics/summary`: the wallboard's figures now.
pub async fn summary(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<WallboardView>> {
    supervision::wallboard(
        &state.stores,
        state.clock.now(),
        &caller.user,
        &state.targets,
        caller.locale,
    )
    .await
    .map(Json)
    .map_err(|e| caller.desk_error(&e))
}

async fn load_report(state: &AppState, caller: &Caller, q: &ReportQuery) -> ApiResult<ReportView> {
    supervision::report(
        &state.stores,
        state.clock.now(),
        &caller.user,
        q,
        &state.targets,
        caller.locale,
    )
    .await
    .map_err(|e| caller.desk_error(&e))
}

/// `GET /api/v1/reports?from=&to=&department=&kind=&category=&channel=&agent=`.
pub async fn report(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<ReportQuery>,
) -> ApiResult<Json<ReportView>> {
    load_report(&state, &caller, &q).await.map(Json)
}

/// `GET /api/v1/reports/csv?…`: the same report as a CSV download.
pub async fn report_csv(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<ReportQuery>,
) -> ApiResult<Response> {
    let view = load_report(&state, &caller, &q).await?;
    let csv = supervision::report_csv(&view, caller.locale);
    let disposition = format!(
        "attachment; filename=\"loopdesk-report-{}-{}.csv\"",
        view.from, view.to
    );
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        csv,
    )
        .into_response())
}

/// `GET /api/v1/wallboard/live` (supervisors): a `changed` event whenever a ticket, call or
/// agent state changed — at most one every half second; the page then reloads the figures.
pub async fn live(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Sse<impl Stream<Item = Result<Event, Infallible>>>> {
    supervision::require_supervisor(&caller.user).map_err(|e| caller.desk_error(&e))?;
    let (mut changes, closing) = state.live.watch_changes();
    changes.mark_unchanged();
    let events = stream::unfold(
        (changes, closing),
        |(mut changes, mut closing)| async move {
            if *closing.borrow() {
                return None;
            }
            tokio::select! {
                r = changes.changed() => r.ok()?,
                _ = closing.changed() => return None,
            }
            // Coalesce a burst of writes into one event (rate limit, not synchronisation).
            tokio::time::sleep(std::time::Duration::from_millis(500)).await;
            let n = *changes.borrow_and_update();
            Some((
                Ok(Event::default().event("changed").data(n.to_string())),
                (changes, closing),
            ))
        },
    );
    Ok(Sse::new(events).keep_alive(KeepAlive::default()))
}
