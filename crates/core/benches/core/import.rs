//! Importing a partner list of 10,000 rows into the demo database.
//!
//! Every import runs against a fresh copy of the 1,000-partner database: the importer matches
//! rows against every stored partner, so a database that grew with each import would make
//! later imports slower than the first. Copying and opening are not timed; `run_import` is.

use std::path::Path;
use std::time::{Duration, Instant};

use cdesk_core::io::{run_import, ImportKind};
use cdesk_core::store::Store;
use criterion::{Criterion, SamplingMode};

use super::fixture::fresh_copy;
use super::latency::{Latencies, Level, Target};

pub const ROWS: usize = 10_000;

/// A partner list as a spreadsheet or portal export has it, every partner new.
pub fn partners_csv() -> Vec<u8> {
    const TYPES: &[&str] = &[
        "VAR/VAD",
        "Regional SI",
        "Boutique SI",
        "MSP;VAR/VAD",
        "Distributor",
    ];
    const TRACKS: &[&str] = &["Open", "Select", "Open", "Open", "Distribution"];
    const REGIONS: &[&str] = &["Americas", "EMEA", "APAC", "Public Sector"];
    const STAGES: &[&str] = &[
        "01 Onboarding",
        "02 Established",
        "03 Leading",
        "04 Strategic",
    ];
    let mut csv = String::from(
        "Partner Name,Partner Type,Track,Region,CAM,Journey Stage,Notes,Last PHD Review\n",
    );
    for i in 0..ROWS {
        let t = i % TYPES.len();
        csv.push_str(&format!(
            "Imported Partner {i:05} Ltd,{},{},{},cam{}@vendor.example,{},\"From the partner \
             portal export, row {i}; focus on migrations, \"\"Premium\"\" resale\",2026-{:02}-{:02}\n",
            TYPES[t],
            TRACKS[t],
            REGIONS[i % REGIONS.len()],
            i % 7,
            STAGES[i % STAGES.len()],
            1 + i % 11,
            1 + i % 28,
        ));
    }
    csv.into_bytes()
}

fn fresh_store(cached: &Path, work: &Path) -> Store {
    let db = work.join("import.db");
    fresh_copy(cached, &db);
    Store::open(&db).expect("open the copy")
}

fn import(store: &mut Store, csv: &[u8]) {
    let report = run_import(store, ImportKind::Partners, csv).expect("import");
    assert!(
        report.committed && report.created == ROWS,
        "every row imports: {:?}",
        report.errors.first()
    );
}

pub fn latencies(cached: &Path, work: &Path) -> Latencies {
    let csv = partners_csv();
    Latencies::measure_with_setup(
        "import 10,000 partner CSV rows",
        Target {
            level: Level::Max,
            limit: Duration::from_secs(2),
        },
        5,
        |_| fresh_store(cached, work),
        |_, mut store| import(&mut store, &csv),
    )
}

pub fn criterion_group(c: &mut Criterion, cached: &Path, work: &Path) {
    let csv = partners_csv();
    let mut group = c.benchmark_group("import");
    // About one import per sample: 10 samples of ~1 s, each on a fresh copy (not timed).
    group
        .sampling_mode(SamplingMode::Flat)
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(9));
    group.bench_function("partners_10k_rows", |b| {
        b.iter_custom(|iters| {
            let mut importing = Duration::ZERO;
            for _ in 0..iters {
                let mut store = fresh_store(cached, work);
                let start = Instant::now();
                import(&mut store, &csv);
                importing += start.elapsed();
            }
            importing
        })
    });
    group.finish();
}
