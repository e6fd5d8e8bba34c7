//! Import speed.

use std::time::{Duration, Instant};

use super::*;

const ROWS: usize = 10_000;
const RUNS: usize = 3;

fn partners_csv() -> String {
    let mut csv =
        String::from("Name,Types,Track,Region,Owner,Stage,Account Notes,Last PHD Review\n");
    for i in 0..ROWS {
        csv.push_str(&format!(
            "Partner {i:05},VAR/VAD; Global SI,Select,EMEA,cam{}@vendor.example,\
             02 Established,\"Notes for {i}, with a comma\",2026-09-15\n",
            i % 7
        ));
    }
    csv
}

fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let start = Instant::now();
    let out = f();
    (out, start.elapsed())
}

/// Run with `cargo test --release -p cdesk-core --test import_export -- --ignored --nocapture`.
/// Each import runs into a fresh database file; the fastest of a few runs is judged, so a
/// busy machine does not fail it, and every run is printed.
#[test]
#[ignore = "timing; run in release"]
fn importing_ten_thousand_partners_takes_well_under_two_seconds() {
    let csv = partners_csv();
    let changed = csv.replace(",Select,", ",Open,");
    let (mut imports, mut reimports, mut previews) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..RUNS {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Store::open(&dir.path().join("desk.db")).unwrap();
        let (report, took) = timed(|| run_import(&mut s, ImportKind::Partners, csv.as_bytes()));
        let report = report.unwrap();
        assert!(
            report.committed && report.created == ROWS,
            "{:?}",
            report.errors.first()
        );
        imports.push(took);

        let (report, took) = timed(|| preview_import(&s, ImportKind::Partners, changed.as_bytes()));
        assert_eq!(report.unwrap().updated, ROWS);
        previews.push(took);

        let (report, took) = timed(|| run_import(&mut s, ImportKind::Partners, changed.as_bytes()));
        assert_eq!(report.unwrap().updated, ROWS);
        reimports.push(took);
    }
    println!("{ROWS} partners, {RUNS} runs each:");
    println!("  import into an empty database: {imports:?}");
    println!("  preview of a re-import:        {previews:?}");
    println!("  re-import updating every row:  {reimports:?}");
    let best = |runs: &[Duration]| runs.iter().min().copied().unwrap();
    assert!(
        best(&imports) < Duration::from_secs(2),
        "import: {imports:?}"
    );
    assert!(
        best(&reimports) < Duration::from_secs(2),
        "re-import: {reimports:?}"
    );
}
