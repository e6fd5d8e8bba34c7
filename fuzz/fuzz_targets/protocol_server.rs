//! Arbitrary bytes as a push request body, decoded and checked as the server does before it
//! touches the database: never a panic, and every refusal renders as an API answer.

#![no_main]

use axum::response::IntoResponse;
use cdesk_server::push::{check_mutation, check_request, decode_request};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let checked = decode_request(data).and_then(|req| check_request(&req).map(|()| req));
    let req = match checked {
        Ok(req) => req,
        Err(refusal) => {
            let _ = refusal.into_response();
            return;
        }
    };
    for m in &req.mutations {
        let Ok((kind, patch)) = check_mutation(m) else {
            continue;
        };
        // What passes is what gets stored: the kind's own fields, and never the id.
        assert!(!patch.contains_key("id"), "the patch's id is stored");
        for field in patch.keys() {
            assert!(kind.has_field(field), "{field} is stored");
        }
    }
});
