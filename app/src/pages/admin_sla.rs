//! Administration of the SLA clocks: `/admin/calendars` (time zone, weekly working hours,
//! dated holidays / make-up working days / special hours, CSV import of a year's dates) and
//! `/admin/sla` (the policies: which tickets, which target, on which calendar, due and
//! hard limit, warning share). Saving recomputes open tickets on the server and is audited;
//! the server validates and its message names the offending field.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_query_map;
use loopdesk::calendar::spec::{CalendarSpec, IntervalSpec, OverrideKind, OverrideSpec};
use loopdesk::customer::Tier;
use loopdesk::locale::Locale;
use loopdesk::sla::{CalendarKind, Policy, PolicyMatch, SlaTarget, Span, TargetRule};
use loopdesk::ticket::{Complexity, Priority, TicketKind};

use crate::api::desk::{
    get_calendars, get_policies, import_holidays, save_calendar, save_policies,
};
use crate::components::panel::Panel;
use crate::error::AppError;
use crate::i18n::desk::{dt, DeskTexts};
use crate::i18n::fill;
use crate::i18n::names::{complexity_name, kind_name, priority_name, target_name, tier_name};
use crate::pages::errors::ErrorBox;

/// `09:00-12:00 13:30-18:00` → intervals (malformed pieces are passed on for the server to
/// name).
pub fn parse_intervals(text: &str) -> Vec<IntervalSpec> {
    text.split([' ', ',', '，'])
        .filter(|p| !p.trim().is_empty())
        .map(|p| match p.split_once(['-', '–']) {
            Some((a, b)) => [a.trim().to_owned(), b.trim().to_owned()],
            None => [p.trim().to_owned(), String::new()],
        })
        .collect()
}

/// Intervals → `09:00-12:00 13:30-18:00`.
pub fn show_intervals(list: &[IntervalSpec]) -> String {
    list.iter()
        .map(|[a, b]| format!("{a}-{b}"))
        .collect::<Vec<_>>()
        .join(" ")
}

type Message = RwSignal<Option<(bool, String)>>;

fn report(message: Message, result: Result<String, AppError>, locale: Locale) {
    message.set(Some(match result {
        Ok(m) => (true, m),
        Err(e) => (false, e.message(locale)),
    }));
}

#[component]
fn Flash(message: Message) -> impl IntoView {
    move || {
        message.get().map(|(ok, m)| {
            view! {
                <div class=if ok { "alert alert-ok" } else { "alert alert-error" } role="alert" data-testid="flash">{m}</div>
            }
        })
    }
}

/// `/admin/calendars`.
#[component]
pub fn CalendarsPage(locale: Locale) -> impl IntoView {
    let query = use_query_map();
    let code = Memo::new(move |_| query.read().get("code").unwrap_or_else(|| "office".into()));
    let version = RwSignal::new(0u32);
    let calendars = Resource::new(move || version.get(), |_| get_calendars());
    let tx = dt(locale);
    // Outlives the editor, which is rebuilt from the stored calendar after each save.
    let message: Message = RwSignal::new(None);
    view! {
        <Flash message/>
        <div class="toolbar">
            <nav class="tabs">
                {["office", "24x7"].into_iter().map(|c| view! {
                    <a class="tab" class:active=move || code.get() == c href=format!("/admin/calendars?code={c}")>{c}</a>
                }).collect_view()}
            </nav>
        </div>
        <Transition fallback=|| view! { <div class="loading"></div> }>
            {move || Suspend::new(async move {
                match calendars.await {
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    Ok(list) => {
                        let c = code.get_untracked();
                        match list.into_iter().find(|(k, _)| *k == c) {
                            Some((c, spec)) => view! { <CalendarEditor code=c spec locale version message tx/> }.into_any(),
                            None => view! { <ErrorBox error=AppError::NotFound/> }.into_any(),
                        }
                    }
                }
            })}
        </Transition>
    }
}

#[derive(Clone)]
struct OverrideRow {
    date: RwSignal<String>,
    kind: RwSignal<String>,
    intervals: RwSignal<String>,
}

impl OverrideRow {
    fn new(o: &OverrideSpec) -> OverrideRow {
        OverrideRow {
            date: RwSignal::new(o.date.clone()),
            kind: RwSignal::new(o.kind.code().to_owned()),
            intervals: RwSignal::new(show_intervals(&o.intervals)),
        }
    }

    fn spec(&self) -> OverrideSpec {
        OverrideSpec {
            date: self.date.get_untracked(),
            kind: match self.kind.get_untracked().as_str() {
                "workday" => OverrideKind::Workday,
                "special" => OverrideKind::Special,
                _ => OverrideKind::Holiday,
            },
            intervals: parse_intervals(&self.intervals.get_untracked()),
        }
    }
}

#[component]
fn CalendarEditor(
    code: String,
    spec: CalendarSpec,
    locale: Locale,
    version: RwSignal<u32>,
    message: Message,
    tx: &'static DeskTexts,
) -> impl IntoView {
    let code = StoredValue::new(code);
    let timezone = RwSignal::new(spec.timezone.clone());
    let weekly: Vec<RwSignal<String>> = spec
        .weekly
        .days()
        .iter()
        .map(|d| RwSignal::new(show_intervals(d)))
        .collect();
    let weekly = StoredValue::new(weekly);
    let rows = RwSignal::new(
        spec.overrides
            .iter()
            .map(OverrideRow::new)
            .collect::<Vec<_>>(),
    );
    let csv = RwSignal::new(String::new());

    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let w = weekly.get_value();
        let mut spec = CalendarSpec {
            timezone: timezone.get_untracked(),
            weekly: Default::default(),
            overrides: rows.get_untracked().iter().map(OverrideRow::spec).collect(),
        };
        let days = [
            &mut spec.weekly.mon,
            &mut spec.weekly.tue,
            &mut spec.weekly.wed,
            &mut spec.weekly.thu,
            &mut spec.weekly.fri,
            &mut spec.weekly.sat,
            &mut spec.weekly.sun,
        ];
        for (slot, text) in days.into_iter().zip(w.iter()) {
            *slot = parse_intervals(&text.get_untracked());
        }
        spawn_local(async move {
            let r = save_calendar(code.get_value(), spec)
                .await
                .map(|n| fill(tx.saved_recomputed, &[("n", &n.to_string())]));
            let ok = r.is_ok();
            report(message, r, locale);
            if ok {
                version.update(|v| *v += 1);
            }
        });
    };
    let import = move |_| {
        spawn_local(async move {
            let r = import_holidays(code.get_value(), csv.get_untracked())
                .await
                .map(|n| fill(tx.imported, &[("n", &n.to_string())]));
            let ok = r.is_ok();
            report(message, r, locale);
            if ok {
                version.update(|v| *v += 1);
            }
        });
    };
    let add = move |_| {
        rows.update(|r| {
            r.push(OverrideRow::new(&OverrideSpec {
                date: String::new(),
                kind: OverrideKind::Holiday,
                intervals: Vec::new(),
            }))
        })
    };

    view! {
        <form class="form calendar-form" on:submit=save novalidate data-testid="calendar-form">
            <Panel title=tx.weekly>
                <label class="field narrow"><span class="field-label">{tx.timezone}</span>
                    <input type="text" name="timezone" bind:value=timezone/></label>
                <p class="muted small">{tx.intervals_hint}</p>
                <div class="weekly">
                    {weekly.get_value().into_iter().zip(tx.weekdays).enumerate().map(|(i, (sig, day))| view! {
                        <label class="field weekday"><span class="field-label">{day}</span>
                            <input type="text" name=format!("weekly-{i}") bind:value=sig placeholder="—"/></label>
                    }).collect_view()}
                </div>
            </Panel>
            <Panel title=tx.overrides>
                <table class="table overrides" data-testid="overrides">
                    <thead><tr><th>{tx.date}</th><th>{tx.override_kind}</th><th>{tx.intervals}</th><th></th></tr></thead>
                    <tbody>
                        {move || rows.get().into_iter().enumerate().map(|(i, r)| view! {
                            <tr>
                                <td><input type="date" name=format!("date-{i}") bind:value=r.date/></td>
                                <td>
                                    <select name=format!("kind-{i}") prop:value=move || r.kind.get() on:change=move |ev| r.kind.set(event_target_value(&ev))>
                                        <option value="holiday">{tx.holiday}</option>
                                        <option value="workday">{tx.workday}</option>
                                        <option value="special">{tx.special}</option>
                                    </select>
                                </td>
                                <td><input type="text" name=format!("intervals-{i}") bind:value=r.intervals
                                    placeholder=move || if r.kind.get() == "holiday" { "" } else { "09:00-12:00 13:30-18:00" }/></td>
                                <td><button type="button" class="btn btn-ghost" on:click=move |_| rows.update(|v| { v.remove(i); })>{tx.remove}</button></td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
                <div class="form-actions">
                    <button type="button" class="btn" on:click=add>{tx.add_override}</button>
                    <button type="submit" class="btn btn-primary">{tx.save}</button>
                </div>
            </Panel>
        </form>
        <Panel title=tx.import_csv>
            <p class="muted small">{tx.import_csv_hint}</p>
            <div class="form">
                <textarea name="csv" rows="5" class="csv" bind:value=csv placeholder="date,kind,intervals\n2026-10-01,holiday\n2026-09-27,workday,09:00-12:00 13:30-18:00"></textarea>
                <div class="form-actions"><button type="button" class="btn" on:click=import>{tx.import}</button></div>
            </div>
        </Panel>
    }
}

/// `/admin/sla`.
#[component]
pub fn PoliciesPage(locale: Locale) -> impl IntoView {
    let policies = Resource::new(|| (), |_| get_policies());
    view! {
        <Suspense fallback=|| view! { <div class="loading"></div> }>
            {move || Suspend::new(async move {
                match policies.await {
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    Ok(list) => view! { <PolicyEditor initial=list locale/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn applies_text(m: &PolicyMatch, locale: Locale, tx: &DeskTexts) -> String {
    let mut parts = Vec::new();
    if let Some(k) = m.kind {
        parts.push(kind_name(k, locale).to_owned());
    }
    if let Some(c) = m.complexity {
        parts.push(complexity_name(c, locale).to_owned());
    }
    if let Some(t) = m.min_tier {
        parts.push(fill(tx.tier_and_above, &[("tier", tier_name(t, locale))]));
    }
    if let Some(p) = m.priority {
        parts.push(priority_name(p, locale).to_owned());
    }
    if parts.is_empty() {
        tx.any.to_owned()
    } else {
        parts.join(" · ")
    }
}

fn span_parts(s: Option<Span>) -> (String, String) {
    match s {
        None => ("none".into(), String::new()),
        Some(Span::BusinessMinutes(v)) => ("business_minutes".into(), v.to_string()),
        Some(Span::WorkingDays(v)) => ("working_days".into(), v.to_string()),
        Some(Span::NaturalDays(v)) => ("natural_days".into(), v.to_string()),
    }
}

fn span_of(unit: &str, value: &str) -> Option<Span> {
    let v: u32 = value.trim().parse().unwrap_or(0);
    match unit {
        "business_minutes" => Some(Span::BusinessMinutes(v)),
        "working_days" => Some(Span::WorkingDays(v)),
        "natural_days" => Some(Span::NaturalDays(v)),
        _ => None,
    }
}

#[derive(Clone)]
struct PolicyRow {
    name: RwSignal<String>,
    applies_to: PolicyMatch,
    target: SlaTarget,
    calendar: RwSignal<String>,
    due: (RwSignal<String>, RwSignal<String>),
    hard: (RwSignal<String>, RwSignal<String>),
    warn: RwSignal<String>,
}

impl PolicyRow {
    fn new(p: &Policy) -> PolicyRow {
        let pair = |s| {
            let (u, v) = span_parts(s);
            (RwSignal::new(u), RwSignal::new(v))
        };
        PolicyRow {
            name: RwSignal::new(p.name.clone()),
            applies_to: p.applies_to,
            target: p.target,
            calendar: RwSignal::new(match p.rule.calendar {
                CalendarKind::AllHours => "all_hours".into(),
                CalendarKind::Office => "office".into(),
            }),
            due: pair(Some(p.rule.due)),
            hard: pair(p.rule.hard),
            warn: RwSignal::new(p.warn_percent.to_string()),
        }
    }

    fn policy(&self) -> Policy {
        Policy {
            name: self.name.get_untracked(),
            applies_to: self.applies_to,
            target: self.target,
            rule: TargetRule {
                calendar: if self.calendar.get_untracked() == "office" {
                    CalendarKind::Office
                } else {
                    CalendarKind::AllHours
                },
                due: span_of(&self.due.0.get_untracked(), &self.due.1.get_untracked())
                    .unwrap_or(Span::BusinessMinutes(0)),
                hard: span_of(&self.hard.0.get_untracked(), &self.hard.1.get_untracked()),
            },
            warn_percent: self.warn.get_untracked().trim().parse().unwrap_or(0),
        }
    }
}

fn unit_select(
    name: String,
    sig: RwSignal<String>,
    with_none: bool,
    tx: &'static DeskTexts,
) -> impl IntoView {
    view! {
        <select name=name prop:value=move || sig.get() on:change=move |ev| sig.set(event_target_value(&ev))>
            {with_none.then(|| view! { <option value="none">{tx.none}</option> })}
            <option value="business_minutes">{tx.unit_minutes}</option>
            <option value="working_days">{tx.unit_working_days}</option>
            <option value="natural_days">{tx.unit_natural_days}</option>
        </select>
    }
}

#[component]
fn PolicyEditor(initial: Vec<Policy>, locale: Locale) -> impl IntoView {
    let tx = dt(locale);
    let rows = RwSignal::new(initial.iter().map(PolicyRow::new).collect::<Vec<_>>());
    let message: Message = RwSignal::new(None);
    // The "add" row.
    let new_target = RwSignal::new("resolve".to_owned());
    let new_kind = RwSignal::new(String::new());
    let new_complexity = RwSignal::new(String::new());
    let new_tier = RwSignal::new(String::new());
    let new_priority = RwSignal::new(String::new());
    let add = move |_| {
        let target = SlaTarget::ALL
            .into_iter()
            .find(|t| t.code() == new_target.get_untracked())
            .unwrap_or(SlaTarget::Resolve);
        let applies_to = PolicyMatch {
            kind: TicketKind::from_code(&new_kind.get_untracked()),
            complexity: Complexity::from_code(&new_complexity.get_untracked()),
            min_tier: Tier::from_code(&new_tier.get_untracked()),
            priority: Priority::from_code(&new_priority.get_untracked()),
        };
        let name = format!(
            "{} · {}",
            target_name(target, locale),
            applies_text(&applies_to, locale, tx)
        );
        rows.update(|r| {
            r.push(PolicyRow::new(&Policy {
                name,
                applies_to,
                target,
                rule: TargetRule {
                    calendar: CalendarKind::Office,
                    due: Span::WorkingDays(1),
                    hard: None,
                },
                warn_percent: 75,
            }))
        });
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let list: Vec<Policy> = rows.get_untracked().iter().map(PolicyRow::policy).collect();
        spawn_local(async move {
            let r = save_policies(list)
                .await
                .map(|n| fill(tx.saved_recomputed, &[("n", &n.to_string())]));
            report(message, r, locale);
        });
    };
    let choose = move |sig: RwSignal<String>,
                       name: &'static str,
                       opts: Vec<(&'static str, &'static str)>| {
        view! {
            <select name=name on:change=move |ev| sig.set(event_target_value(&ev))>
                <option value="">{tx.any}</option>
                {opts.into_iter().map(|(c, n)| view! { <option value=c>{n}</option> }).collect_view()}
            </select>
        }
    };
    view! {
        <Flash message/>
        <form class="form" on:submit=save novalidate data-testid="policy-form">
            <Panel title=tx.policies_title>
                <div class="table-scroll">
                <table class="table policies" data-testid="policies">
                    <thead><tr>
                        <th>{tx.policy_name}</th><th>{tx.target}</th><th>{tx.applies_to}</th><th>{tx.calendar}</th>
                        <th>{tx.due_after}</th><th>{tx.hard_after}</th><th>{tx.warn_percent}</th><th></th>
                    </tr></thead>
                    <tbody>
                        {move || rows.get().into_iter().enumerate().map(|(i, r)| view! {
                            <tr>
                                <td><input type="text" name=format!("name-{i}") bind:value=r.name/></td>
                                <td>{target_name(r.target, locale)}</td>
                                <td class="small">{applies_text(&r.applies_to, locale, tx)}</td>
                                <td>
                                    <select name=format!("calendar-{i}") prop:value=move || r.calendar.get() on:change=move |ev| r.calendar.set(event_target_value(&ev))>
                                        <option value="all_hours">"24x7"</option>
                                        <option value="office">"office"</option>
                                    </select>
                                </td>
                                <td class="span-cell">
                                    <input type="number" min="0" name=format!("due-{i}") bind:value=r.due.1/>
                                    {unit_select(format!("due-unit-{i}"), r.due.0, false, tx)}
                                </td>
                                <td class="span-cell">
                                    <input type="number" min="0" name=format!("hard-{i}") bind:value=r.hard.1/>
                                    {unit_select(format!("hard-unit-{i}"), r.hard.0, true, tx)}
                                </td>
                                <td><input type="number" min="1" max="100" class="num" name=format!("warn-{i}") bind:value=r.warn/></td>
                                <td><button type="button" class="btn btn-ghost" on:click=move |_| rows.update(|v| { v.remove(i); })>{tx.remove}</button></td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
                </div>
                <div class="add-policy">
                    <span class="field-label">{tx.add_policy} ":"</span>
                    <select name="new-target" on:change=move |ev| new_target.set(event_target_value(&ev)) prop:value=move || new_target.get()>
                        {SlaTarget::ALL.into_iter().map(|t| view! { <option value=t.code()>{target_name(t, locale)}</option> }).collect_view()}
                    </select>
                    {choose(new_kind, "new-kind", TicketKind::ALL.iter().map(|k| (k.code(), kind_name(*k, locale))).collect())}
                    {choose(new_complexity, "new-complexity", Complexity::ALL.iter().map(|k| (k.code(), complexity_name(*k, locale))).collect())}
                    {choose(new_tier, "new-tier", Tier::ALL.iter().map(|k| (k.code(), tier_name(*k, locale))).collect())}
                    {choose(new_priority, "new-priority", Priority::ALL.iter().map(|k| (k.code(), priority_name(*k, locale))).collect())}
                    <button type="button" class="btn" on:click=add>{tx.add_policy}</button>
                </div>
                <div class="form-actions"><button type="submit" class="btn btn-primary">{tx.save}</button></div>
            </Panel>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interval_text_round_trips() {
        let list = parse_intervals("09:00-12:00 13:30–18:00");
        assert_eq!(
            list,
            vec![
                ["09:00".to_owned(), "12:00".to_owned()],
                ["13:30".to_owned(), "18:00".to_owned()]
            ]
        );
        assert_eq!(show_intervals(&list), "09:00-12:00 13:30-18:00");
        assert!(parse_intervals("  ").is_empty());
        assert_eq!(parse_intervals("9h")[0][1], "");
    }
}
