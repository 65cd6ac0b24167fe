//! Time on the desk screens: local (Shanghai) formatting, countdowns in words, a clock
//! signal that ticks in the browser from the server's "as of" time, and the state badge.

use chrono::{DateTime, Duration, Utc};
use leptos::prelude::*;
use loopdesk::locale::Locale;

use crate::i18n::desk::dt;
use crate::i18n::fill;

/// `2026-11-30 16:00` on the center's clock (Asia/Shanghai).
pub fn local_time(at: DateTime<Utc>) -> String {
    at.with_timezone(&chrono_tz::Asia::Shanghai)
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

/// A duration in words: `1天2小时5分` / `1d 2h 5m`.
pub fn span_words(d: Duration, locale: Locale) -> String {
    let total = d.num_minutes().abs();
    let (days, hours, minutes) = (total / 1440, total % 1440 / 60, total % 60);
    let zh = locale == Locale::ZhCn;
    let mut out = String::new();
    if days > 0 {
        out += &if zh {
            format!("{days}天")
        } else {
            format!("{days}d ")
        };
    }
    if hours > 0 {
        out += &if zh {
            format!("{hours}小时")
        } else {
            format!("{hours}h ")
        };
    }
    if days == 0 && (minutes > 0 || hours == 0) {
        out += &if total == 0 {
            if zh {
                "不到1分".to_owned()
            } else {
                "<1m".to_owned()
            }
        } else if zh {
            format!("{minutes}分")
        } else {
            format!("{minutes}m")
        };
    }
    out.trim().to_owned()
}

/// "2小时5分 left" or "35m overdue" for a due time seen at `now`.
pub fn countdown(due: DateTime<Utc>, now: DateTime<Utc>, locale: Locale) -> (String, bool) {
    let tx = dt(locale);
    let left = due - now;
    let words = span_words(left, locale);
    if left < Duration::zero() {
        (fill(tx.overdue_by, &[("t", &words)]), true)
    } else {
        (fill(tx.due_in, &[("t", &words)]), false)
    }
}

/// The current time: the server's `as_of` at first, ticking every second once hydrated.
pub fn ticking(as_of: DateTime<Utc>) -> ReadSignal<DateTime<Utc>> {
    let (now, set_now) = signal(as_of);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        let start = js_sys::Date::now();
        let handle = set_interval_with_handle(
            move || {
                let elapsed = (js_sys::Date::now() - start) as i64;
                set_now.set(as_of + Duration::milliseconds(elapsed));
            },
            std::time::Duration::from_secs(1),
        )
        .ok();
        on_cleanup(move || {
            if let Some(h) = handle {
                h.clear();
            }
        });
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = set_now;
    now
}

/// A ticket state as a coloured badge.
#[component]
pub fn StateBadge(code: String, name: String) -> impl IntoView {
    let class = format!("badge state-{code}");
    view! { <span class=class data-state=code>{name}</span> }
}

/// A live countdown to a due time.
#[component]
pub fn Countdown(
    due: DateTime<Utc>,
    now: ReadSignal<DateTime<Utc>>,
    locale: Locale,
) -> impl IntoView {
    let text = move || countdown(due, now.get(), locale);
    view! {
        <span class="countdown" class:late=move || text().1 title=local_time(due)>
            {move || text().0}
        </span>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_read_naturally_in_both_languages() {
        let d = Duration::minutes(26 * 60 + 5);
        assert_eq!(span_words(d, Locale::ZhCn), "1天2小时");
        assert_eq!(span_words(Duration::minutes(125), Locale::En), "2h 5m");
        assert_eq!(span_words(Duration::seconds(20), Locale::En), "<1m");
        let due = DateTime::from_timestamp(1_000_000, 0).unwrap();
        let (text, late) = countdown(due, due + Duration::minutes(35), Locale::ZhCn);
        assert_eq!((text.as_str(), late), ("超时 35分", true));
        assert_eq!(local_time(due), "1970-01-12 21:46");
    }
}
