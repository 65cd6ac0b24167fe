//! What people type into forms and systems send in fields: login names, mobile numbers,
//! passwords, working hours, time zones, synonym groups, billing periods, holiday CSV and
//! stored SLA keys. The first byte picks the parser; none may panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use loopdesk::user::Role;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    match pick % 9 {
        0 => {
            if let Ok(name) = loopdesk::user::LoginName::parse(text) {
                let _ = name.throttle_key();
            }
        }
        1 => {
            if let Some(national) = loopdesk::user::normalize_mobile(text) {
                assert_eq!(national.len(), 11, "{national}");
            }
        }
        2 => {
            let mid = (text.len() / 2..=text.len())
                .find(|i| text.is_char_boundary(*i))
                .unwrap_or(text.len());
            let (a, b) = text.split_at(mid);
            let _ = loopdesk::password::check_for(Role::Agent, a, b);
            let _ = loopdesk::password::check_for(Role::Customer, a, b);
        }
        3 => {
            let (a, b) = text.split_once('-').unwrap_or((text, ""));
            let _ = loopdesk::calendar::WorkInterval::parse(a, b);
        }
        4 => {
            let _ = loopdesk::calendar::Calendar::parse_tz(text);
        }
        5 => {
            let _ = loopdesk::kb::search::SynonymGroup::parse(uuid::Uuid::nil(), text);
        }
        6 => {
            let _ = loopdesk::billing::Period::parse(text);
        }
        7 => {
            let _ = loopdesk::calendar::spec::parse_overrides_csv(text);
        }
        _ => {
            let _ = loopdesk::metrics::parse_sla_key(text);
        }
    }
});
