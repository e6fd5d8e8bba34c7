//! Import speed.

use super::*;

/// Run with `cargo test --release -p cdesk-core --test import_export -- --ignored --nocapture`.
#[test]
#[ignore = "timing; run in release"]
fn importing_ten_thousand_partners_takes_well_under_two_seconds() {
    let mut csv =
        String::from("Name,Types,Track,Region,Owner,Stage,Account Notes,Last PHD Review\n");
    for i in 0..10_000 {
        csv.push_str(&format!(
            "Partner {i:05},VAR/VAD; Global SI,Select,EMEA,cam{}@vendor.example,02 Established,\"Notes for {i}, with a comma\",2026-09-15\n",
            i % 7
        ));
    }
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(&dir.path().join("desk.db")).unwrap();
    let start = std::time::Instant::now();
    let report = run_import(&mut s, ImportKind::Partners, csv.as_bytes()).unwrap();
    let first = start.elapsed();
    assert!(
        report.committed && report.created == 10_000,
        "{:?}",
        &report.errors[..1.min(report.errors.len())]
    );

    let changed = csv.replace(",Select,", ",Open,");
    let start = std::time::Instant::now();
    let report = run_import(&mut s, ImportKind::Partners, changed.as_bytes()).unwrap();
    let again = start.elapsed();
    assert_eq!(report.updated, 10_000);
    println!("10,000 partners: import {first:?}, re-import updating all {again:?}");
    assert!(first.as_secs_f64() < 2.0, "import took {first:?}");
    assert!(again.as_secs_f64() < 2.0, "re-import took {again:?}");
}
