//! Arbitrary bytes as a server's answer, decoded as the client decodes each kind of answer:
//! never a panic. A pull page that decodes is applied to a fresh store, which must then still
//! read back.

#![no_main]

use cdesk_client::{decode_answer, decode_error};
use cdesk_core::store::{PartnerFilter, Store};
use cdesk_protocol::{Conflict, ConflictList, PullResponse, PushResponse, TokenResponse};
use libfuzzer_sys::fuzz_target;
use reqwest::StatusCode;

fuzz_target!(|data: &[u8]| {
    // A failed answer: the first byte picks a 4xx or 5xx status, the rest is the body.
    if let Some((&status, body)) = data.split_first() {
        let status = StatusCode::from_u16(400 + u16::from(status) % 200).expect("a valid status");
        let _ = decode_error(status, &String::from_utf8_lossy(body));
    }

    let _ = decode_answer::<PushResponse>(data);
    let _ = decode_answer::<TokenResponse>(data);
    let _ = decode_answer::<ConflictList>(data);
    let _ = decode_answer::<Conflict>(data);
    if let Ok(PullResponse::Changes {
        changes,
        cursor,
        epoch,
        ..
    }) = decode_answer::<PullResponse>(data)
    {
        let mut store = Store::open_in_memory().expect("in-memory store");
        // A change the store cannot take is an error for the sync to report, not a panic.
        if store.apply_pull(&changes, cursor, &epoch).is_ok() {
            let read = store.read();
            read.partners(&PartnerFilter::default())
                .expect("partners read back");
            read.accounts().expect("accounts read back");
            read.opportunities(None).expect("opportunities read back");
            read.search("a", 10).expect("search after a pull");
        }
    }
});
