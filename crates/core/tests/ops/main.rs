//! The use cases of `cdesk_core::ops`, each as the desktop and the CLI call it: the effect is
//! there, the outbox grew with it, and a use case that fails leaves nothing written.

mod currencies;
mod enablement;
mod next_steps;
mod notes;
mod partner_lines;
mod partners;
mod plans;
mod program;
mod review;
mod selling;
mod today;

use cdesk_core::domain::*;
use cdesk_core::ops::{self, NewPartner};
use cdesk_core::store::Store;
use cdesk_core::{CoreError, Result};
use chrono::NaiveDate;

pub fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

pub const TODAY: &str = "2026-11-23";

pub fn store() -> Store {
    Store::open_in_memory().unwrap()
}

/// A new Open partner in EMEA, owned by cam@vendor.example.
pub fn new_partner(name: &str) -> NewPartner {
    NewPartner {
        name: name.into(),
        partner_types: vec!["var_vad".into()],
        track: "open".into(),
        region: "emea".into(),
        owner: "cam@vendor.example".into(),
        ..NewPartner::default()
    }
}

pub fn partner(store: &mut Store, name: &str) -> Partner {
    ops::create_partner(store, &new_partner(name)).unwrap()
}

/// Runs a use case that must succeed, returning its result and how many outbox entries it
/// appended.
pub fn with_outbox<T>(store: &mut Store, f: impl FnOnce(&mut Store) -> Result<T>) -> (T, i64) {
    let before = store.read().outbox_len().unwrap();
    let out = f(store).unwrap_or_else(|e| panic!("use case failed: {e}"));
    (out, store.read().outbox_len().unwrap() - before)
}

/// Runs a use case that must fail, and checks that it left every record and the outbox
/// exactly as they were.
pub fn fails_writing_nothing<T: std::fmt::Debug>(
    store: &mut Store,
    f: impl FnOnce(&mut Store) -> Result<T>,
) -> CoreError {
    let snapshot = store.read().snapshot().unwrap();
    let outbox = store.read().outbox_len().unwrap();
    let err = f(store).expect_err("the use case should fail");
    assert_eq!(
        store.read().outbox_len().unwrap(),
        outbox,
        "outbox unchanged after: {err}"
    );
    assert!(
        store.read().snapshot().unwrap() == snapshot,
        "records unchanged after: {err}"
    );
    err
}
