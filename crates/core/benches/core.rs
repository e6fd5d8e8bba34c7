//! Core benchmarks on a demo database of 1,000 partners, 10,000 accounts, 50,000 opportunities
//! and 100,000 call notes.
//!
//! ```text
//! CARGO_TARGET_DIR=/work/target-bench cargo bench -p cdesk-core --bench core
//! ```
//!
//! The targets are percentiles and criterion reports means, so a run has two parts: first a
//! latency pass that times each operation one call at a time and prints p50/p95/p99 against
//! the targets, then the criterion groups (means with confidence intervals). The percentile
//! tables are printed again at the end, so they are the last thing on screen.
//!
//! Every run works on a fresh copy of a cached demo database (see `core/fixture.rs`).

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use cdesk_core::demo::SAMPLE_SEARCHES;
use cdesk_core::domain::plan::{fiscal_year_of, FISCAL_YEAR_START_MONTH};
use cdesk_core::ops::{self, AccountQuery, Audience, PartnerQuery};
use cdesk_core::rules::compliance_for_all;
use cdesk_core::store::{PartnerFilter, Store};
use chrono::NaiveDate;
use criterion::{BatchSize, Criterion};

#[path = "core/fixture.rs"]
mod fixture;
#[path = "core/import.rs"]
mod import;
#[path = "core/latency.rs"]
mod latency;

use fixture::{call_note, note_targets, SIZE, TODAY};
use latency::{Latencies, Level, Target};

const fn target(level: Level, millis: u64) -> Target {
    Target {
        level,
        limit: Duration::from_millis(millis),
    }
}

fn latency_pass(cached: &Path, db: &Path, work: &Path, today: NaiveDate) -> Vec<Latencies> {
    // Opening first, with no other connection open: what starting the app does.
    let open = Latencies::measure(
        "open database (migrated)",
        target(Level::P95, 100),
        50,
        |_| Store::open(db).expect("open"),
    );

    let mut store = Store::open(db).expect("open");
    let targets = note_targets(&store);
    let save = Latencies::measure(
        "save a note (row+FTS+outbox)",
        target(Level::P99, 2),
        2_000,
        |i| {
            let (partner, account) = &targets[i % targets.len()];
            let note = call_note(i, partner, account.as_deref());
            store.write(|w| w.put(&note)).expect("save note");
        },
    );

    let search = Latencies::measure(
        "search (query mix, 20 hits)",
        target(Level::P95, 10),
        500,
        |i| {
            let q = SAMPLE_SEARCHES[i % SAMPLE_SEARCHES.len()];
            let hits = store.read().search(q, 20).expect("search");
            assert!(!hits.is_empty(), "{q:?} finds something");
        },
    );

    let compliance = Latencies::measure(
        "compliance, all 1,000 partners",
        target(Level::P95, 50),
        30,
        |_| {
            let all = compliance_for_all(store.read(), &PartnerFilter::default(), today)
                .expect("compliance");
            assert_eq!(all.len(), SIZE.partners);
        },
    );

    let year = fiscal_year_of(today, FISCAL_YEAR_START_MONTH);
    let rollup = Latencies::measure(
        "plan vs actuals + roll-up, all partners",
        target(Level::P95, 50),
        30,
        |_| {
            let r = ops::rollup(store.read(), today, year, &Audience::everyone()).expect("rollup");
            assert_eq!(
                r.cams.iter().map(|c| c.partners).sum::<usize>(),
                SIZE.partners
            );
        },
    );

    let accounts = Latencies::measure(
        "Accounts screen lines, 10,000 accounts",
        target(Level::P95, 200),
        30,
        |_| {
            let lines =
                ops::list_account_lines(store.read(), &AccountQuery::default()).expect("accounts");
            assert_eq!(lines.len(), fixture::ACCOUNTS);
        },
    );

    let partners = Latencies::measure(
        "Partners list lines, all 1,000 partners",
        target(Level::P95, 100),
        30,
        |_| {
            let lines = ops::list_partner_lines(store.read(), &PartnerQuery::default(), today)
                .expect("partner lines");
            assert_eq!(lines.len(), SIZE.partners);
        },
    );

    let import = import::latencies(cached, work);
    vec![
        open, save, search, compliance, rollup, accounts, partners, import,
    ]
}

fn criterion_groups(c: &mut Criterion, cached: &Path, db: &Path, work: &Path, today: NaiveDate) {
    let mut store = Store::open(db).expect("open");
    let targets = note_targets(&store);

    let mut group = c.benchmark_group("note");
    group
        .sample_size(50)
        .measurement_time(Duration::from_secs(4));
    let mut i = 0;
    group.bench_function("save", |b| {
        b.iter_batched(
            || {
                i += 1;
                let (partner, account) = &targets[i % targets.len()];
                call_note(i, partner, account.as_deref())
            },
            |note| store.write(|w| w.put(&note)).expect("save note"),
            BatchSize::SmallInput,
        )
    });
    group.finish();

    let mut group = c.benchmark_group("search");
    group
        .sample_size(50)
        .measurement_time(Duration::from_secs(4));
    let mut q = 0;
    group.bench_function("query_mix", |b| {
        b.iter(|| {
            q += 1;
            let query = SAMPLE_SEARCHES[q % SAMPLE_SEARCHES.len()];
            black_box(store.read().search(query, 20).expect("search"))
        })
    });
    group.finish();

    let mut group = c.benchmark_group("compliance");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(4));
    group.bench_function("all_partners", |b| {
        b.iter(|| {
            black_box(
                compliance_for_all(store.read(), &PartnerFilter::default(), today)
                    .expect("compliance"),
            )
        })
    });
    group.finish();

    let year = fiscal_year_of(today, FISCAL_YEAR_START_MONTH);
    let mut group = c.benchmark_group("co_selling");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(4));
    group.bench_function("rollup_all_partners", |b| {
        b.iter(|| {
            black_box(
                ops::rollup(store.read(), today, year, &Audience::everyone()).expect("rollup"),
            )
        })
    });
    group.bench_function("account_lines_all", |b| {
        b.iter(|| {
            black_box(
                ops::list_account_lines(store.read(), &AccountQuery::default()).expect("accounts"),
            )
        })
    });
    group.bench_function("partner_lines_all", |b| {
        b.iter(|| {
            black_box(
                ops::list_partner_lines(store.read(), &PartnerQuery::default(), today)
                    .expect("partner lines"),
            )
        })
    });
    group.finish();
    drop(store);

    let mut group = c.benchmark_group("store");
    group
        .sample_size(20)
        .measurement_time(Duration::from_secs(3));
    group.bench_function("open_migrated", |b| {
        // Closing (outside the clock) before the next open, as an app start would find it.
        b.iter_custom(|iters| {
            let mut opening = Duration::ZERO;
            for _ in 0..iters {
                let start = Instant::now();
                let store = Store::open(db).expect("open");
                opening += start.elapsed();
                drop(store);
            }
            opening
        })
    });
    group.finish();

    import::criterion_group(c, cached, work);
}

fn main() {
    let today: NaiveDate = TODAY.parse().expect("a date");
    let cached = fixture::demo_database(today);
    let work = tempfile::tempdir().expect("temporary directory");
    let db = work.path().join("bench.db");
    fixture::fresh_copy(&cached, &db);

    let rows = latency_pass(&cached, &db, work.path(), today);
    let title = format!(
        "Latency pass: {} partners, {} notes, each call timed on its own",
        SIZE.partners, SIZE.notes
    );
    latency::print_tables(&title, &rows);
    println!();

    let mut c = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .configure_from_args();
    criterion_groups(&mut c, &cached, &db, work.path(), today);
    c.final_summary();

    latency::print_tables(&title, &rows);
}
