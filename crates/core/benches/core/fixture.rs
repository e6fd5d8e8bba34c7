//! The demo database the benchmarks run on, and the notes they save into it.
//!
//! The database is generated once and cached in `<target>/cdesk-bench/`, keyed by size, seed,
//! day, schema version and a fingerprint of the generator's source. Every run works on a copy.

use std::path::{Path, PathBuf};
use std::time::Instant;

use cdesk_core::demo::{self, DemoSize};
use cdesk_core::domain::CallNote;
use cdesk_core::store::{PartnerFilter, Store, MIGRATIONS, SCHEMA_VERSION};

pub const SIZE: DemoSize = DemoSize {
    partners: 1_000,
    notes: 100_000,
};
/// Co-selling at the size of a large region (issue 11): the demo's accounts and deals are
/// topped up to these counts.
pub const ACCOUNTS: usize = 10_000;
pub const OPPORTUNITIES: usize = 50_000;
pub const SEED: u64 = 42;
/// A fixed day, so the data (and thus the numbers) do not drift with the calendar.
pub const TODAY: &str = "2026-11-23";

/// The generator's source: when it changes, the cached database is stale.
const GENERATOR_SOURCES: &[&str] = &[
    include_str!("../../src/demo.rs"),
    include_str!("../../src/demo/partners.rs"),
    include_str!("../../src/demo/enablement.rs"),
    include_str!("../../src/demo/plans.rs"),
    include_str!("../../src/demo/selling.rs"),
    include_str!("../../src/demo/text.rs"),
    include_str!("../../src/demo/words.rs"),
    include_str!("../../src/demo/rng.rs"),
    include_str!("fixture.rs"),
];

/// FNV-1a: a fingerprint that is stable (std's hasher may change between Rust releases).
fn fingerprint(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in parts.iter().flat_map(|p| p.bytes()) {
        h ^= u64::from(byte);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// `<target>/cdesk-bench`, from this executable's path (`<target>/release/deps/core-…`).
fn cache_dir() -> PathBuf {
    std::env::current_exe()
        .ok()
        .and_then(|exe| Some(exe.parent()?.parent()?.parent()?.join("cdesk-bench")))
        .unwrap_or_else(|| std::env::temp_dir().join("cdesk-bench"))
}

/// The cached demo database, generated when missing.
pub fn demo_database(today: chrono::NaiveDate) -> PathBuf {
    let dir = cache_dir();
    std::fs::create_dir_all(&dir).expect("create the bench cache directory");
    let key = format!(
        "demo-{}p-{}n-{ACCOUNTS}a-{OPPORTUNITIES}o-seed{SEED}-{TODAY}-schema{SCHEMA_VERSION}-{:016x}.db",
        SIZE.partners,
        SIZE.notes,
        // The schema it is made with too: a migration edited before its release is a new
        // fixture.
        fingerprint(&[GENERATOR_SOURCES, MIGRATIONS].concat())
    );
    let path = dir.join(key);
    if path.exists() {
        println!("demo database: cached at {}", path.display());
        return path;
    }
    let partial = dir.join(format!("generating-{}.db", std::process::id()));
    let start = Instant::now();
    let summary = {
        let mut store = Store::open(&partial).expect("open a new demo database");
        let summary = demo::generate(&mut store, SIZE, SEED, today).expect("generate demo data");
        top_up_selling(&mut store);
        summary
        // Dropping the store checkpoints the WAL into the file, so the file alone is complete.
    };
    std::fs::rename(&partial, &path).expect("move the demo database into the cache");
    println!(
        "demo database: generated in {:.1} s at {}\n  {}",
        start.elapsed().as_secs_f64(),
        path.display(),
        serde_json::to_string(&summary).expect("summary as JSON")
    );
    path
}

/// More accounts and deals, copied from the demo's own (new ids and names, spread over every
/// partner and over two fiscal years), until there are [`ACCOUNTS`] and [`OPPORTUNITIES`].
fn top_up_selling(store: &mut Store) {
    let r = store.read();
    let accounts = r.accounts().expect("accounts");
    let deals = r.opportunities(None).expect("opportunities");
    let partners: Vec<String> = r
        .partners(&PartnerFilter::default())
        .expect("partners")
        .into_iter()
        .map(|p| p.id)
        .collect();
    let mut all_accounts = accounts.clone();
    let mut new_accounts = Vec::new();
    for i in accounts.len()..ACCOUNTS {
        let mut a = accounts[i % accounts.len()].clone();
        a.id = format!("bench-account-{i}");
        a.name = format!("{} {i}", a.name);
        a.partner_id = Some(partners[i % partners.len()].clone());
        new_accounts.push(a.clone());
        all_accounts.push(a);
    }
    let mut new_deals = Vec::new();
    for i in deals.len()..OPPORTUNITIES {
        let mut o = deals[i % deals.len()].clone();
        let account = &all_accounts[i % all_accounts.len()];
        o.id = format!("bench-deal-{i}");
        o.name = format!("{} {i}", o.name);
        o.account_id = account.id.clone();
        o.registered_partner_id = account.partner_id.clone();
        o.close_date = o.close_date - chrono::Days::new((i % 400) as u64);
        new_deals.push(o);
    }
    store
        .write(|w| {
            for a in &new_accounts {
                w.put(a)?;
            }
            for o in &new_deals {
                w.put(o)?;
            }
            Ok(())
        })
        .expect("top up accounts and deals");
}

/// What a person saves after a call: realistic title and body lengths.
pub fn call_note(i: usize, partner_id: &str, account_id: Option<&str>) -> CallNote {
    const BODIES: &[&str] = &[
        "Spoke with the DevOps Director about security scanning. They run Jenkins today and are \
         feeling rising maintenance cost. Agreed to run a Proof of Value focused on SAST; the \
         partner will scope the migration work and send a SOW.",
        "Pricing came in at $48,000; they asked for a multi-year discount. Procurement needs \
         three quotes. Next QBR is planned in Berlin.",
        "Mapped their current toolchain: Bitbucket, Bamboo and scripts. The partner's delivery \
         team is booked until Q2. Champion is the VP of App Dev; the economic buyer is the CFO. \
         Legal is reviewing the order form.",
    ];
    let mut note = CallNote::new(
        &format!("Bench call {i}: pipeline review"),
        BODIES[i % BODIES.len()],
        "bench.ae@vendor.example",
    );
    note.partner_id = Some(partner_id.to_string());
    note.account_id = account_id.map(str::to_string);
    if i % 5 == 0 {
        note.mark_via_partner();
    }
    note
}

/// Where new notes go: every partner, with one of its accounts when it has any.
pub fn note_targets(store: &Store) -> Vec<(String, Option<String>)> {
    let r = store.read();
    let accounts = r.accounts().expect("accounts");
    r.partners(&PartnerFilter::default())
        .expect("partners")
        .into_iter()
        .map(|p| {
            let account = accounts
                .iter()
                .find(|a| a.partner_id.as_deref() == Some(p.id.as_str()))
                .map(|a| a.id.clone());
            (p.id, account)
        })
        .collect()
}

/// A fresh copy of `cached` at `path`, with no WAL left from an earlier copy.
pub fn fresh_copy(cached: &Path, path: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let mut file = path.as_os_str().to_owned();
        file.push(suffix);
        // Absent is fine: there is nothing to clear.
        let _ = std::fs::remove_file(file);
    }
    std::fs::copy(cached, path).expect("copy the demo database");
}
