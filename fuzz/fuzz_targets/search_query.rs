//! Arbitrary text typed into search, over a store with a few partners and notes: always hits or
//! an empty list, never an error or a panic.

#![no_main]

use std::sync::{Mutex, OnceLock};

use cdesk_core::domain::{CallNote, Partner, Region, Track};
use cdesk_core::store::search::to_match_query;
use cdesk_core::store::Store;
use libfuzzer_sys::fuzz_target;

/// Searching writes nothing, so one store serves every input.
fn store() -> &'static Mutex<Store> {
    static STORE: OnceLock<Mutex<Store>> = OnceLock::new();
    STORE.get_or_init(|| {
        let mut store = Store::open_in_memory().expect("in-memory store");
        let partners = [
            ("Acme Cloud Services", "DACH reseller; wants PSP this year"),
            ("Globex \"Quoted\" AG", "AND OR NOT NEAR * ^ : ( ) - notes"),
            (
                "Initech Ümlaut 株式会社",
                "renewal: Q3 – see https://initech.example/a?b=c",
            ),
        ];
        for (name, body) in partners {
            let mut p = Partner::new(name, Track::Open, Region::Emea, "cam@vendor.example");
            p.account_notes = body.to_string();
            let mut note = CallNote::new(&format!("Call with {name}"), body, "ae@vendor.example");
            note.partner_id = Some(p.id.clone());
            store
                .write(|w| {
                    w.put(&p)?;
                    w.put(&note)?;
                    Ok(())
                })
                .expect("seed a partner and a note");
        }
        Mutex::new(store)
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(input) = std::str::from_utf8(data) else {
        return;
    };
    let _ = to_match_query(input);
    let store = store().lock().expect("store lock");
    if let Err(e) = store.read().search(input, 20) {
        panic!("search {input:?} failed: {e}");
    }
});
