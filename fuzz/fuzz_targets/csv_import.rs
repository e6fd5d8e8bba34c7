//! Arbitrary bytes as each kind of CSV import, on a store holding one partner: never a panic;
//! the preview predicts the run; an import that does not commit writes nothing.

#![no_main]

use std::sync::Mutex;

use cdesk_core::domain::{Partner, Region, Track};
use cdesk_core::io::{export_csv, preview_import, run_import, ExportKind, ImportKind};
use cdesk_core::store::Store;
use libfuzzer_sys::fuzz_target;

/// Everything an import could write: the exports of every kind, and the outbox's length.
type Snapshot = (Vec<u8>, usize);

fn snapshot(store: &Store) -> Snapshot {
    let mut csv = Vec::new();
    for &kind in ExportKind::ALL {
        export_csv(store.read(), kind, &mut csv).expect("export");
    }
    let outbox = store
        .read()
        .outbox(0, usize::MAX >> 1)
        .expect("outbox")
        .len();
    (csv, outbox)
}

/// A store holding one partner for people and opportunities to name (the fixtures' "Acme Cloud
/// Services"), and its snapshot.
fn seeded() -> (Store, Snapshot) {
    let mut store = Store::open_in_memory().expect("in-memory store");
    let partner = Partner::new(
        "Acme Cloud Services",
        Track::Select,
        Region::Emea,
        "dana@vendor.example",
    );
    store
        .write(|w| w.put(&partner).map(drop))
        .expect("seed partner");
    let snap = snapshot(&store);
    (store, snap)
}

/// Opening a store (its migrations) costs far more than most imports, so the seeded store is
/// kept and opened afresh only after an import committed: every input starts from the same one.
static STORE: Mutex<Option<(Store, Snapshot)>> = Mutex::new(None);

fuzz_target!(|data: &[u8]| {
    let mut slot = STORE.lock().expect("store lock");
    for &kind in ImportKind::ALL {
        let (store, before) = slot.get_or_insert_with(seeded);
        let preview = preview_import(store, kind, data);
        match run_import(store, kind, data) {
            Ok(report) => {
                let mut predicted = preview.expect("the run read a file the preview refused");
                predicted.committed = report.committed;
                assert_eq!(predicted, report, "the preview differs from the run");
                assert_eq!(report.committed, report.errors.is_empty());
                if report.committed {
                    *slot = None;
                } else {
                    assert_eq!(*before, snapshot(store), "a refused import wrote");
                }
            }
            Err(_) => {
                assert!(preview.is_err(), "the preview read a file the run refused");
                assert_eq!(*before, snapshot(store), "a failed import wrote");
            }
        }
    }
});
