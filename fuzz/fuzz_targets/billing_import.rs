//! Billing imports as files arrive (CSV of each kind, JSON batches): any text is parsed;
//! a parse either yields a batch or names its problems, never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;
use loopdesk::billing::import::{parse_csv, parse_json, ImportKind};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for kind in ImportKind::ALL {
        match parse_csv(*kind, text) {
            Ok(batch) => {
                let _ = batch.referenced_accounts();
            }
            Err(issues) => assert!(!issues.is_empty(), "a refusal names its problems"),
        }
    }
    match parse_json(text) {
        Ok(batch) => {
            let _ = batch.len();
        }
        Err(issues) => assert!(!issues.is_empty(), "a refusal names its problems"),
    }
});
