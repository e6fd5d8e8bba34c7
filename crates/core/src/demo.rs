//! Realistic demo data, the same for the same seed: for benchmarks, `cdesk demo`, and the
//! desktop app's first run.
//!
//! ```no_run
//! # use cdesk_core::{demo::{generate, DemoSize}, store::Store};
//! let mut store = Store::open("demo.db".as_ref())?;
//! let today = "2026-11-23".parse().unwrap();
//! let summary = generate(&mut store, DemoSize { partners: 50, notes: 2_000 }, 7, today)?;
//! assert_eq!(summary.partners, 50);
//! # Ok::<(), cdesk_core::CoreError>(())
//! ```
//!
//! Everything is written through [`Writer::put`], so the outbox holds every demo record as a
//! real user's would, in transactions of about [`BATCH_ROWS`] rows. Ids, timestamps and text
//! derive from the seed and `today` only, never from the clock: two runs with the same seed
//! and day give identical records. Partners are generated from per-partner random streams, so
//! asking for more notes leaves the partners as they were.
//!
//! Meant for an empty store. The rules (track and badge requirements, R7 thresholds,
//! journey checklist, curriculum) are read from the store, so the data fits the rules in force.

mod enablement;
mod partners;
mod plans;
mod rng;
mod selling;
mod text;
mod words;

use std::collections::HashSet;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::*;
use crate::error::{CoreError, Result};
use crate::store::{Entity, Store, Writer};
use rng::Rng;

/// How much demo data to make. Accounts, opportunities, people, plans and next steps follow
/// from the number of partners and notes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct DemoSize {
    pub partners: usize,
    pub notes: usize,
}

/// What [`generate`] wrote, by kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct DemoSummary {
    pub partners: usize,
    pub people: usize,
    pub enablement_items: usize,
    pub plans: usize,
    pub accounts: usize,
    pub opportunities: usize,
    pub notes: usize,
    pub next_steps: usize,
    /// Exchange rates added for the demo's currencies (none where the rules have one).
    pub exchange_rates: usize,
}

/// Records written per transaction: large enough to amortise commits, small enough to keep
/// memory flat at any size.
pub const BATCH_ROWS: usize = 5_000;

/// Searches a person might type against demo data (words, two-word queries, and prefixes
/// still being typed). Each matches a small share of the notes, not most of them.
pub const SAMPLE_SEARCHES: &[&str] = &[
    "helm",
    "terraform",
    "residency",
    "fedramp",
    "sbom",
    "gerrit",
    "flaky",
    "runner",
    "penetration",
    "cobalt",
    "geo replication",
    "fuzz testing",
    "bitbucket migration",
    "jenkins migration",
    "kube",
    "terra",
    "checkm",
    "sapph",
    "argo",
    "penet",
];

pub use crate::domain::plan::FISCAL_YEAR_START_MONTH;

// Independent random streams, one per part of the data.
const STREAM_PARTNER: u64 = 1;
const STREAM_SELLING: u64 = 2;
const STREAM_NOTES: u64 = 3;
const STREAM_ACTIVITY: u64 = 4;

/// Writes demo partners, people, enablement plans, business plans, accounts, opportunities,
/// call notes and next steps into `store`, deterministically for `seed` and `today`.
pub fn generate(
    store: &mut Store,
    size: DemoSize,
    seed: u64,
    today: NaiveDate,
) -> Result<DemoSummary> {
    if size.partners == 0 && size.notes > 0 {
        return Err(CoreError::invalid(
            "notes",
            "demo call notes belong to partners: ask for at least one partner",
        ));
    }
    let mut summary = DemoSummary::default();
    let kept = store.read().rule_book()?.exchange_rates;
    store.write(|w| {
        // Only a demo with partners has amounts in their currencies.
        let wanted = if size.partners > 0 {
            partners::demo_rates(today)
        } else {
            Vec::new()
        };
        for rate in wanted {
            if !kept.iter().any(|r| r.currency == rate.currency) {
                w.put(&rate)?;
                summary.exchange_rates += 1;
            }
        }
        Ok(())
    })?;
    let book = store.read().rule_book()?;
    let notes_per_partner = allocate_notes(seed, size);
    let mut partner_names = HashSet::new();
    let mut account_names = HashSet::new();
    let mut batch = Batch::default();

    for (index, notes) in notes_per_partner.into_iter().enumerate() {
        let i = index as u64;
        let data = partners::partner(
            &mut Rng::stream(seed, STREAM_PARTNER, i),
            index,
            &book,
            today,
            &mut partner_names,
        );
        let (accounts, opportunities) = selling::accounts_and_opportunities(
            &mut Rng::stream(seed, STREAM_SELLING, i),
            &data,
            &book,
            today,
            &mut account_names,
        );
        let (call_notes, next_steps) = selling::notes(
            &mut Rng::stream(seed, STREAM_NOTES, i),
            &data,
            &accounts,
            &opportunities,
            notes,
            today,
        );
        batch.partners.push(data.partner);
        batch.people.extend(data.people);
        batch.items.extend(data.items);
        batch.plans.extend(data.plans);
        batch.accounts.extend(accounts);
        batch.opportunities.extend(opportunities);
        batch.notes.extend(call_notes);
        batch.next_steps.extend(next_steps);
        if batch.len() >= BATCH_ROWS {
            batch.flush(store, &mut summary)?;
        }
    }
    batch.flush(store, &mut summary)?;
    tracing::info!(?summary, seed, %today, "demo data generated");
    Ok(summary)
}

/// How many notes each partner gets: busy partners get many, quiet ones few, the total
/// exactly `size.notes`.
fn allocate_notes(seed: u64, size: DemoSize) -> Vec<usize> {
    let mut counts = vec![0; size.partners];
    if size.partners == 0 {
        return counts;
    }
    let mut cumulative = Vec::with_capacity(size.partners);
    let mut total = 0u64;
    for i in 0..size.partners {
        let mut rng = Rng::stream(seed, STREAM_ACTIVITY, i as u64);
        let busy = if rng.chance(0.1) { 6 } else { 1 };
        total += rng.between(1, 4) as u64 * busy;
        cumulative.push(total);
    }
    let mut rng = Rng::stream(seed, STREAM_ACTIVITY, u64::MAX);
    for _ in 0..size.notes {
        let roll = rng.below(total as usize) as u64;
        counts[cumulative.partition_point(|c| *c <= roll)] += 1;
    }
    counts
}

/// Records waiting to be written, in an order that satisfies foreign keys.
#[derive(Default)]
struct Batch {
    partners: Vec<Partner>,
    people: Vec<Person>,
    items: Vec<EnablementItem>,
    plans: Vec<BusinessPlan>,
    accounts: Vec<Account>,
    opportunities: Vec<Opportunity>,
    notes: Vec<CallNote>,
    next_steps: Vec<NextStep>,
}

impl Batch {
    fn len(&self) -> usize {
        self.partners.len()
            + self.people.len()
            + self.items.len()
            + self.plans.len()
            + self.accounts.len()
            + self.opportunities.len()
            + self.notes.len()
            + self.next_steps.len()
    }

    /// Writes everything in one transaction and counts it.
    fn flush(&mut self, store: &mut Store, summary: &mut DemoSummary) -> Result<()> {
        if self.len() == 0 {
            return Ok(());
        }
        let batch = std::mem::take(self);
        store.write(|w| {
            put_all(w, &batch.partners)?;
            put_all(w, &batch.people)?;
            put_all(w, &batch.items)?;
            put_all(w, &batch.plans)?;
            put_all(w, &batch.accounts)?;
            put_all(w, &batch.opportunities)?;
            put_all(w, &batch.notes)?;
            put_all(w, &batch.next_steps)
        })?;
        summary.partners += batch.partners.len();
        summary.people += batch.people.len();
        summary.enablement_items += batch.items.len();
        summary.plans += batch.plans.len();
        summary.accounts += batch.accounts.len();
        summary.opportunities += batch.opportunities.len();
        summary.notes += batch.notes.len();
        summary.next_steps += batch.next_steps.len();
        Ok(())
    }
}

fn put_all<E: Entity>(w: &mut Writer<'_>, records: &[E]) -> Result<()> {
    for record in records {
        w.put(record)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests;
