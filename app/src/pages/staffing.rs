//! `/supervisor/staffing` (排班): the forecast of a chosen week from the same half hours of
//! the last weeks (with their trend), the agents Erlang C says each half hour needs for the
//! service-level goal under the occupancy cap, the roster of planned shifts against it (a
//! chart and the intervals that are short), and the roster editor.

use leptos::prelude::*;
use leptos::task::spawn_local;
use loopdesk::locale::Locale;

use crate::api::supervision::{load_staffing, remove_shift, save_shift};
use crate::components::icon::IconKind;
use crate::components::panel::{Empty, Panel};
use crate::i18n::supervision::{st, SupervisionTexts};
use crate::pages::errors::ErrorBox;
use crate::views::supervision::{ShiftInput, StaffingView};

#[derive(Debug, Clone, PartialEq)]
struct Params {
    week: String,
    weeks: String,
    sl: String,
    threshold: String,
    occupancy: String,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            week: String::new(),
            weeks: "4".into(),
            sl: "80".into(),
            threshold: "20".into(),
            occupancy: "85".into(),
        }
    }
}

fn num(s: &str) -> f64 {
    s.trim().parse().unwrap_or(f64::NAN)
}

/// `/supervisor/staffing`.
#[component]
pub fn StaffingPage(locale: Locale) -> impl IntoView {
    let tx = st(locale);
    let params = RwSignal::new(Params::default());
    let form = RwSignal::new(Params::default());
    let version = RwSignal::new(0u32);
    let plan = Resource::new(
        move || (params.get(), version.get()),
        |(p, _)| {
            load_staffing(
                p.week,
                p.weeks.trim().parse().unwrap_or(0),
                num(&p.sl),
                num(&p.threshold),
                num(&p.occupancy),
            )
        },
    );
    let bind = move |get: fn(&Params) -> &String, set: fn(&mut Params, String)| {
        (
            move || get(&form.read()).clone(),
            move |ev| form.update(|f| set(f, event_target_value(&ev))),
        )
    };
    let (week_v, week_s) = bind(|p| &p.week, |p, v| p.week = v);
    let (weeks_v, weeks_s) = bind(|p| &p.weeks, |p, v| p.weeks = v);
    let (sl_v, sl_s) = bind(|p| &p.sl, |p, v| p.sl = v);
    let (th_v, th_s) = bind(|p| &p.threshold, |p, v| p.threshold = v);
    let (oc_v, oc_s) = bind(|p| &p.occupancy, |p, v| p.occupancy = v);
    view! {
        <div class="page-head"><h1>{tx.staffing_title}</h1></div>
        <form class="panel filters" data-testid="staffing-form" on:submit=move |ev| {
            ev.prevent_default();
            params.set(form.get_untracked());
        }>
            <div class="form-row">
                <label class="field"><span class="field-label">{tx.week}</span><input type="date" name="week" prop:value=week_v on:input=week_s/></label>
                <label class="field"><span class="field-label">{tx.history}</span><input type="number" name="weeks" min="1" max="26" prop:value=weeks_v on:input=weeks_s/></label>
                <label class="field"><span class="field-label">{tx.goal_sl}</span><input type="number" name="sl" min="1" max="99" prop:value=sl_v on:input=sl_s/></label>
                <label class="field"><span class="field-label">{tx.goal_threshold}</span><input type="number" name="threshold" min="1" prop:value=th_v on:input=th_s/></label>
                <label class="field"><span class="field-label">{tx.goal_occupancy}</span><input type="number" name="occupancy" min="1" max="100" prop:value=oc_v on:input=oc_s/></label>
            </div>
            <div class="form-actions"><button class="btn btn-primary" type="submit">{tx.compute}</button></div>
        </form>
        <Transition fallback=|| view! { <div class="loading"></div> }>
            {move || Suspend::new(async move {
                match plan.await {
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    Ok(p) => {
                        form.update(|f| if f.week.is_empty() { f.week = p.week.to_string(); });
                        view! { <Plan p tx version/> }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

#[component]
fn Plan(p: StaffingView, tx: &'static SupervisionTexts, version: RwSignal<u32>) -> impl IntoView {
    let (required, rostered, short) = p.summary;
    let has_demand = p.rows.iter().any(|r| r.calls > 0.0);
    view! {
        <div class="tiles tiles-4" data-testid="staffing-summary">
            <div class="tile tone-info"><div class="tile-value">{format!("×{:.2}", p.trend)}</div><div class="tile-label">{tx.trend}</div>
                <div class="tile-note">{p.history_weeks} " " {tx.history}</div></div>
            <div class="tile tone-info" data-testid="required-hours"><div class="tile-value">{format!("{required:.1}")}</div><div class="tile-label">{tx.required} " (" {tx.agent_hours} ")"</div></div>
            <div class="tile tone-ok" data-testid="rostered-hours"><div class="tile-value">{format!("{rostered:.1}")}</div><div class="tile-label">{tx.rostered} " (" {tx.agent_hours} ")"</div></div>
            <div class=format!("tile tone-{}", if short > 0 { "bad" } else { "ok" }) data-testid="short"><div class="tile-value">{short}</div><div class="tile-label">{tx.short_intervals}</div></div>
        </div>
        <Panel title=tx.plan>
            {if has_demand {
                view! { <div class="chart" data-testid="chart-staffing" inner_html=p.chart.clone()></div> }.into_any()
            } else {
                view! { <Empty icon=IconKind::Users title=tx.no_demand hint=""/> }.into_any()
            }}
        </Panel>
        <div class="grid grid-agent">
            <Panel title=tx.plan>
                <div class="table-scroll plan-scroll">
                    <table class="table compact" data-testid="plan">
                        <thead><tr>
                            <th>{tx.date}</th><th>{tx.time}</th><th class="num">{tx.calls_expected}</th>
                            <th class="num">{tx.aht_expected}</th><th class="num">{tx.required}</th>
                            <th class="num">{tx.rostered}</th><th class="num">{tx.gap}</th>
                        </tr></thead>
                        <tbody>
                            {p.rows.iter().map(|r| {
                                let gap = i64::from(r.rostered) - i64::from(r.required);
                                view! {
                                    <tr class:overdue=gap < 0>
                                        <td class="small">{r.date.format("%m-%d %a").to_string()}</td>
                                        <td class="mono">{r.time.clone()}</td>
                                        <td class="num">{format!("{:.1}", r.calls)}</td>
                                        <td class="num">{format!("{:.0}", r.aht_seconds)}</td>
                                        <td class="num strong">{r.required}</td>
                                        <td class="num">{r.rostered}</td>
                                        <td class="num" class:late=gap < 0>{format!("{gap:+}")}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            </Panel>
            <Panel title=tx.shifts>
                <ShiftEditor week=p.week tx version/>
                {if p.shifts.is_empty() {
                    view! { <p class="muted">{tx.no_shifts}</p> }.into_any()
                } else {
                    view! {
                        <table class="table compact" data-testid="shifts">
                            <tbody>
                                {p.shifts.iter().map(|s| {
                                    let id = s.id.clone();
                                    view! {
                                        <tr>
                                            <td>{s.agent.clone()}</td>
                                            <td class="small">{s.date.format("%m-%d %a").to_string()}</td>
                                            <td class="mono">{s.start.clone()} "–" {s.end.clone()}</td>
                                            <td><button class="btn btn-ghost btn-small" type="button" on:click=move |_| {
                                                let id = id.clone();
                                                spawn_local(async move {
                                                    if remove_shift(id).await.is_ok() {
                                                        version.update(|v| *v += 1);
                                                    }
                                                });
                                            }>{tx.delete}</button></td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any()
                }}
            </Panel>
        </div>
    }
}

#[component]
fn ShiftEditor(
    week: chrono::NaiveDate,
    tx: &'static SupervisionTexts,
    version: RwSignal<u32>,
) -> impl IntoView {
    let agent = RwSignal::new(String::new());
    let date = RwSignal::new(week.to_string());
    let start = RwSignal::new("09:00".to_owned());
    let end = RwSignal::new("17:30".to_owned());
    let result = RwSignal::new(None::<Result<String, crate::error::AppError>>);
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = ShiftInput {
            id: String::new(),
            agent: agent.get_untracked(),
            date: date.get_untracked(),
            start: start.get_untracked(),
            end: end.get_untracked(),
        };
        spawn_local(async move {
            let r = save_shift(input).await;
            if r.is_ok() {
                version.update(|v| *v += 1);
            }
            result.set(Some(r));
        });
    };
    view! {
        <form class="form" on:submit=add data-testid="shift-form">
            <div class="form-row">
                <label class="field"><span class="field-label">{tx.agent}</span><input type="text" name="agent" bind:value=agent/></label>
                <label class="field"><span class="field-label">{tx.date}</span><input type="date" name="date" bind:value=date/></label>
                <label class="field"><span class="field-label">{tx.start}</span><input type="time" name="start" step="1800" bind:value=start/></label>
                <label class="field"><span class="field-label">{tx.end}</span><input type="time" name="end" step="1800" bind:value=end/></label>
            </div>
            <div class="form-actions"><button class="btn" type="submit">{tx.add_shift}</button></div>
            {move || result.get().and_then(|r| r.err()).map(|e| view! { <ErrorBox error=e/> })}
        </form>
    }
}
