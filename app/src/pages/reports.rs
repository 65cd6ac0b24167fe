//! `/supervisor/reports`: reports over any date range, filtered by department, kind,
//! category, channel and agent — volume by kind, channel, category, hour of day and day;
//! SLA compliance per target; first-contact resolution, reopen rate, satisfaction,
//! complaint rate and the serious-complaint share against its ceiling; calls; per-agent and
//! per-department performance — with server-rendered charts and a CSV download.

use leptos::prelude::*;
use loopdesk::locale::Locale;
use loopdesk::ticket::{Channel, TicketKind};

use crate::api::supervision::load_report;
use crate::components::icon::IconKind;
use crate::components::panel::{Empty, Panel};
use crate::i18n::names::{channel_name, kind_name};
use crate::i18n::supervision::{st, SupervisionTexts};
use crate::pages::errors::ErrorBox;
use crate::pages::supervisor::{pct, secs, CallTiles};
use crate::views::supervision::{Bucket, Performance, ReportQuery, ReportView};

fn query_string(q: &ReportQuery) -> String {
    let enc = |s: &str| {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'/' => {
                    (b as char).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect::<String>()
    };
    [
        ("from", &q.from),
        ("to", &q.to),
        ("department", &q.department),
        ("kind", &q.kind),
        ("category", &q.category),
        ("channel", &q.channel),
        ("agent", &q.agent),
    ]
    .iter()
    .filter(|(_, v)| !v.is_empty())
    .map(|(k, v)| format!("{k}={}", enc(v)))
    .collect::<Vec<_>>()
    .join("&")
}

/// `/supervisor/reports`.
#[component]
pub fn ReportsPage(locale: Locale) -> impl IntoView {
    let tx = st(locale);
    let query = RwSignal::new(ReportQuery::default());
    let form = RwSignal::new(ReportQuery::default());
    let report = Resource::new(move || query.get(), load_report);
    let field = move |get: fn(&ReportQuery) -> &String, set: fn(&mut ReportQuery, String)| {
        (
            move || get(&form.read()).clone(),
            move |ev| form.update(|f| set(f, event_target_value(&ev))),
        )
    };
    let (from_v, from_set) = field(|q| &q.from, |q, v| q.from = v);
    let (to_v, to_set) = field(|q| &q.to, |q, v| q.to = v);
    let (dept_v, dept_set) = field(|q| &q.department, |q, v| q.department = v);
    let (kind_v, kind_set) = field(|q| &q.kind, |q, v| q.kind = v);
    let (cat_v, cat_set) = field(|q| &q.category, |q, v| q.category = v);
    let (chan_v, chan_set) = field(|q| &q.channel, |q, v| q.channel = v);
    let (agent_v, agent_set) = field(|q| &q.agent, |q, v| q.agent = v);
    let csv_href = move || format!("/api/v1/reports/csv?{}", query_string(&query.get()));
    view! {
        <div class="page-head">
            <h1>{tx.reports_title}</h1>
            <a class="btn" href=csv_href rel="external" download data-testid="report-csv">{tx.download_csv}</a>
        </div>
        <Transition fallback=|| view! { <div class="loading"></div> }>
            {move || Suspend::new(async move {
                let r = report.await;
                if let Ok(r) = &r {
                    // Show what the server applied (defaults included).
                    form.update(|f| {
                        f.from = r.from.to_string();
                        f.to = r.to.to_string();
                    });
                }
                let choices = r.as_ref().ok().map(|r| (r.department_choices.clone(), r.agent_choices.clone())).unwrap_or_default();
                view! {
                    <form class="panel filters" data-testid="report-filters" on:submit=move |ev| {
                        ev.prevent_default();
                        query.set(form.get_untracked());
                    }>
                        <div class="form-row">
                            <label class="field"><span class="field-label">{tx.from}</span><input type="date" name="from" prop:value=from_v on:input=from_set/></label>
                            <label class="field"><span class="field-label">{tx.to}</span><input type="date" name="to" prop:value=to_v on:input=to_set/></label>
                            <label class="field"><span class="field-label">{tx.department}</span>
                                <select name="department" prop:value=dept_v on:change=dept_set>
                                    <option value="">{tx.any}</option>
                                    {choices.0.iter().map(|d| view! { <option value=d.id.clone()>{d.name.clone()}</option> }).collect_view()}
                                </select>
                            </label>
                            <label class="field"><span class="field-label">{tx.kind}</span>
                                <select name="kind" prop:value=kind_v on:change=kind_set>
                                    <option value="">{tx.any}</option>
                                    {TicketKind::ALL.iter().map(|k| view! { <option value=k.code()>{kind_name(*k, locale)}</option> }).collect_view()}
                                </select>
                            </label>
                            <label class="field"><span class="field-label">{tx.channel}</span>
                                <select name="channel" prop:value=chan_v on:change=chan_set>
                                    <option value="">{tx.any}</option>
                                    {Channel::ALL.iter().map(|c| view! { <option value=c.code()>{channel_name(*c, locale)}</option> }).collect_view()}
                                </select>
                            </label>
                            <label class="field"><span class="field-label">{tx.category}</span><input type="text" name="category" placeholder="billing" prop:value=cat_v on:input=cat_set/></label>
                            <label class="field"><span class="field-label">{tx.agent}</span>
                                <select name="agent" prop:value=agent_v on:change=agent_set>
                                    <option value="">{tx.any}</option>
                                    {choices.1.iter().map(|a| view! { <option value=a.id.clone()>{a.name.clone()}</option> }).collect_view()}
                                </select>
                            </label>
                        </div>
                        <div class="form-actions"><button class="btn btn-primary" type="submit">{tx.apply}</button></div>
                    </form>
                    {match r {
                        Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                        Ok(r) => view! { <ReportBody r locale/> }.into_any(),
                    }}
                }
            })}
        </Transition>
    }
}

#[component]
fn ReportBody(r: ReportView, locale: Locale) -> impl IntoView {
    let tx = st(locale);
    let t = r.totals.clone();
    let serious_tone = match t.serious_share {
        Some(s) if s > t.serious_ceiling => "bad",
        Some(_) => "ok",
        None => "info",
    };
    view! {
        <div class="tiles tiles-6" data-testid="report-totals">
            <Fig label=tx.tickets value=t.tickets.to_string() tone="info" id="tickets"/>
            <Fig label=tx.fcr value=pct(t.fcr) tone="ok" id="fcr"/>
            <Fig label=tx.reopen_rate value=pct(t.reopen_rate) tone="warn" id="reopen"/>
            <Fig label=tx.satisfaction value=pct(t.satisfaction) tone="ok" id="satisfaction"
                note=format!("{} {} · {} {}", t.outcomes, tx.outcomes, tx.mean_rating, t.mean_rating.map_or("—".into(), |m| format!("{m:.2}")))/>
            <Fig label=tx.complaint_rate value=t.complaint_rate.map_or("—".into(), |v| format!("{v:.1}")) tone="info" id="complaint-rate"
                note=format!("{} {} · {} {}", t.complaints, tx.complaints, t.customers, tx.customers)/>
            <Fig label=tx.serious_share value=pct(t.serious_share) tone=serious_tone id="serious"
                note=format!("{} {:.0}%", tx.ceiling, t.serious_ceiling * 100.0)/>
        </div>
        {(t.tickets == 0).then(|| view! { <Empty icon=IconKind::Flag title=tx.no_tickets hint=""/> })}
        <div class="grid grid-2">
            <Panel title=tx.chart_by_day><Chart svg=r.charts.by_day.clone() id="by-day"/></Panel>
            <Panel title=tx.chart_by_hour><Chart svg=r.charts.by_hour.clone() id="by-hour"/></Panel>
            <Panel title=tx.chart_kind_channel><Chart svg=r.charts.kind_channel.clone() id="kind-channel"/></Panel>
            <Panel title=tx.chart_sla><Chart svg=r.charts.sla.clone() id="sla"/></Panel>
        </div>
        <h2 class="section-title">{tx.calls_handled}</h2>
        <CallTiles c=r.calls.clone() locale/>
        <div class="grid grid-3">
            <Panel title=tx.by_kind><Buckets items=r.by_kind.clone() tx id="by-kind"/></Panel>
            <Panel title=tx.by_channel><Buckets items=r.by_channel.clone() tx id="by-channel"/></Panel>
            <Panel title=tx.by_category><Buckets items=r.by_category.clone() tx id="by-category"/></Panel>
        </div>
        <Panel title=tx.sla_compliance>
            <div class="table-scroll">
                <table class="table" data-testid="sla-compliance">
                    <thead><tr>
                        <th></th><th class="num">{tx.met}</th><th class="num">{tx.overdue}</th>
                        <th class="num">{tx.breached}</th><th class="num">{tx.running}</th><th class="num">{tx.rate}</th>
                    </tr></thead>
                    <tbody>
                        {r.sla.iter().map(|c| view! {
                            <tr data-target=c.target.code.clone()>
                                <td class="nowrap">{c.target.name.clone()}</td>
                                <td class="num">{c.met}</td><td class="num">{c.overdue}</td>
                                <td class="num">{c.breached}</td><td class="num">{c.running}</td>
                                <td class="num strong">{pct(c.rate)}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </Panel>
        <Panel title=tx.per_agent><PerfTable rows=r.agents.clone() tx id="per-agent"/></Panel>
        <Panel title=tx.per_department><PerfTable rows=r.departments.clone() tx id="per-department"/></Panel>
    }
}

#[component]
fn Fig(
    label: &'static str,
    value: String,
    tone: &'static str,
    id: &'static str,
    #[prop(optional)] note: Option<String>,
) -> impl IntoView {
    view! {
        <div class=format!("tile tone-{tone}") data-testid=format!("total-{id}")>
            <div class="tile-value">{value}</div>
            <div class="tile-label">{label}</div>
            {note.map(|n| view! { <div class="tile-note">{n}</div> })}
        </div>
    }
}

/// A server-rendered SVG chart.
#[component]
fn Chart(svg: String, id: &'static str) -> impl IntoView {
    view! { <div class="chart" data-testid=format!("chart-{id}") inner_html=svg></div> }
}

#[component]
fn Buckets(items: Vec<Bucket>, tx: &'static SupervisionTexts, id: &'static str) -> impl IntoView {
    let total: u64 = items.iter().map(|b| b.tickets).sum::<u64>().max(1);
    view! {
        <table class="table compact bars-table" data-testid=id>
            <thead><tr><th></th><th></th><th class="num">{tx.tickets}</th></tr></thead>
            <tbody>
                {items.into_iter().map(|b| {
                    let width = format!("width: {}%", (b.tickets as f64 / total as f64 * 100.0).round());
                    view! {
                        <tr data-key=b.key.code>
                            <td class="nowrap">{b.key.name.clone()}</td>
                            <td class="bar-cell"><span class="bar" style=width></span></td>
                            <td class="num">{b.tickets}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn PerfTable(
    rows: Vec<Performance>,
    tx: &'static SupervisionTexts,
    id: &'static str,
) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="muted">{tx.no_tickets}</p> }.into_any();
    }
    view! {
        <div class="table-scroll">
            <table class="table" data-testid=id>
                <thead><tr>
                    <th></th><th class="num">{tx.tickets}</th><th class="num">{tx.answered}</th>
                    <th class="num">{tx.calls_handled}</th><th class="num">{tx.aht}</th>
                    <th class="num">{tx.sla_rate}</th><th class="num">{tx.satisfaction}</th>
                    <th class="num">{tx.mean_rating}</th><th class="num">{tx.quality_score}</th>
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|p| view! {
                        <tr data-who=p.who.name>
                            <td class="nowrap">{p.who.name.clone()}</td>
                            <td class="num">{p.tickets}</td>
                            <td class="num">{p.handled}</td>
                            <td class="num">{p.calls}</td>
                            <td class="num">{secs(p.aht_seconds, tx)}</td>
                            <td class="num">{pct(p.sla_rate)}</td>
                            <td class="num">{pct(p.satisfaction)}</td>
                            <td class="num">{p.mean_rating.map_or("—".into(), |m| format!("{m:.2}"))}</td>
                            <td class="num">{p.quality.map_or("—".into(), |q| format!("{q:.1} ({})", p.reviews))}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }.into_any()
}
