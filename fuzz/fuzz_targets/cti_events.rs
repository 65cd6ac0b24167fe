//! CTI payloads as the PBX posts them: any bytes that decode as a list of events start a
//! call with the first and apply the rest. Refusals are fine; panics and inconsistent
//! records are not.
#![no_main]

use chrono::{Duration, TimeZone, Utc};
use libfuzzer_sys::fuzz_target;
use loopdesk::call::{CallRecord, CtiEvent};

fuzz_target!(|data: &[u8]| {
    let Ok(events) = serde_json::from_slice::<Vec<CtiEvent>>(data) else {
        return;
    };
    let t0 = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
    let mut events = events.into_iter();
    let Some(first) = events.next() else { return };
    let Ok(mut call) = CallRecord::new(&first, t0) else {
        return;
    };
    for (i, e) in events.enumerate() {
        let before = call.clone();
        if call
            .apply(&e, t0 + Duration::seconds(i as i64 + 1))
            .is_err()
        {
            // A refused event leaves the record as it was.
            assert_eq!(call, before);
        }
        let _ = call.state();
        let _ = call.needs_callback();
        if let Some(w) = call.wait_seconds() {
            assert!(w >= 0, "negative wait {w}");
        }
    }
});
