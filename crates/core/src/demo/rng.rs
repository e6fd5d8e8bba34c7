//! A small deterministic random source (splitmix64), and the ids and times made from it.
//!
//! Not `rand`: the algorithm behind its `StdRng` may change between releases, and demo data
//! must stay the same for a seed across dependency upgrades (benchmarks are compared run to
//! run, tests pin what a seed produces). splitmix64 is a few lines and fixed forever.

use chrono::{DateTime, Duration, NaiveDate, Utc};

use crate::time::Timestamp;

/// splitmix64 (Steele, Lea & Flood, 2014): one 64-bit state, full period.
#[derive(Debug, Clone)]
pub(super) struct Rng {
    state: u64,
}

const GOLDEN: u64 = 0x9E37_79B9_7F4A_7C15;

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng { state: seed }
    }

    /// An independent stream for one part of the data (`part`) and one item of it (`index`),
    /// so that, say, asking for more notes does not change the partners.
    pub fn stream(seed: u64, part: u64, index: u64) -> Self {
        let base = Rng::new(seed).next_u64();
        let mut mixed = Rng::new(base ^ part.rotate_left(40) ^ index.wrapping_mul(GOLDEN));
        Rng::new(mixed.next_u64())
    }

    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(GOLDEN);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n`; `n` must be positive.
    pub fn below(&mut self, n: usize) -> usize {
        debug_assert!(n > 0, "below(0)");
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// Uniform in `lo..=hi`.
    pub fn between(&mut self, lo: i64, hi: i64) -> i64 {
        debug_assert!(lo <= hi, "between({lo}, {hi})");
        lo + self.below((hi - lo + 1) as usize) as i64
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        ((self.next_u64() >> 11) as f64 / (1u64 << 53) as f64) < p
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// A name from `make` not yet in `taken` (and now in it). When 20 tries all collide, the
    /// word lists are exhausted: the last candidate gets a number.
    pub fn unique_name(
        &mut self,
        taken: &mut std::collections::HashSet<String>,
        mut make: impl FnMut(&mut Rng) -> String,
    ) -> String {
        let mut candidate = String::new();
        for _ in 0..20 {
            candidate = make(self);
            if taken.insert(candidate.clone()) {
                return candidate;
            }
        }
        (2..)
            .map(|n| format!("{candidate} {n}"))
            .find(|numbered| taken.insert(numbered.clone()))
            .expect("an unbounded range")
    }

    /// One of `items`, each as likely as its weight.
    pub fn pick_weighted<'a, T>(&mut self, items: &'a [(T, u32)]) -> &'a T {
        let total: u64 = items.iter().map(|(_, w)| u64::from(*w)).sum();
        let mut roll = self.below(total as usize) as u64;
        for (item, w) in items {
            if roll < u64::from(*w) {
                return item;
            }
            roll -= u64::from(*w);
        }
        &items[items.len() - 1].0
    }

    /// `k` distinct items (all of them when `k >= items.len()`), in their original order.
    pub fn sample<'a, T>(&mut self, items: &'a [T], k: usize) -> Vec<&'a T> {
        let mut chosen: Vec<usize> = (0..items.len()).collect();
        for i in 0..k.min(items.len()) {
            let j = i + self.below(items.len() - i);
            chosen.swap(i, j);
        }
        chosen.truncate(k.min(items.len()));
        chosen.sort_unstable();
        chosen.into_iter().map(|i| &items[i]).collect()
    }

    /// A UUIDv7 for a record created at `at`: same shape and time order as `time::new_id`,
    /// but its random bits come from this stream.
    pub fn id(&mut self, at: Timestamp) -> String {
        let mut bytes = [0u8; 10];
        bytes[..8].copy_from_slice(&self.next_u64().to_le_bytes());
        bytes[8..].copy_from_slice(&self.next_u64().to_le_bytes()[..2]);
        let millis = u64::try_from(at.0.timestamp_millis()).unwrap_or(0);
        uuid::Builder::from_unix_timestamp_millis(millis, &bytes)
            .into_uuid()
            .to_string()
    }

    /// A time during the working day of `date` (08:00–18:59 UTC), to the second.
    pub fn time_on(&mut self, date: NaiveDate) -> Timestamp {
        let secs = self.between(8 * 3600, 19 * 3600 - 1);
        at_seconds(date, secs)
    }

    /// A working-day time between `from` and `to` days (inclusive) after `date`.
    pub fn time_within(&mut self, date: NaiveDate, from: i64, to: i64) -> Timestamp {
        let day = date + Duration::days(self.between(from, to));
        self.time_on(day)
    }
}

/// `date` plus `secs` seconds after midnight UTC.
pub(super) fn at_seconds(date: NaiveDate, secs: i64) -> Timestamp {
    let midnight: DateTime<Utc> = date.and_time(chrono::NaiveTime::MIN).and_utc();
    Timestamp(midnight + Duration::seconds(secs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_numbers() {
        let a: Vec<u64> = (0..5)
            .scan(Rng::new(7), |r, _| Some(r.next_u64()))
            .collect();
        let b: Vec<u64> = (0..5)
            .scan(Rng::new(7), |r, _| Some(r.next_u64()))
            .collect();
        assert_eq!(a, b);
        // splitmix64's published first output for seed 0, so the algorithm never drifts.
        assert_eq!(Rng::new(0).next_u64(), 0xE220_A839_7B1D_CDAF);
    }

    #[test]
    fn streams_differ_by_part_and_index() {
        let first = |part, index| Rng::stream(1, part, index).next_u64();
        assert_ne!(first(0, 0), first(0, 1));
        assert_ne!(first(0, 0), first(1, 0));
        assert_eq!(first(3, 9), first(3, 9));
    }

    #[test]
    fn below_and_between_stay_in_range() {
        let mut r = Rng::new(42);
        for _ in 0..10_000 {
            assert!(r.below(3) < 3);
            let v = r.between(-2, 2);
            assert!((-2..=2).contains(&v), "{v}");
        }
    }

    #[test]
    fn ids_are_uuid_v7_in_time_order() {
        let mut r = Rng::new(1);
        let day: NaiveDate = "2026-11-23".parse().unwrap();
        let early = r.id(at_seconds(day, 10));
        let late = r.id(at_seconds(day, 20));
        let parsed = uuid::Uuid::parse_str(&early).unwrap();
        assert_eq!(parsed.get_version_num(), 7);
        assert!(early < late, "{early} sorts before {late}");
    }

    #[test]
    fn sample_is_distinct_and_bounded() {
        let mut r = Rng::new(5);
        let items = [1, 2, 3, 4, 5];
        let s = r.sample(&items, 3);
        assert_eq!(s.len(), 3);
        assert!(
            s.windows(2).all(|w| w[0] < w[1]),
            "distinct and in order: {s:?}"
        );
        assert_eq!(r.sample(&items, 9).len(), 5);
    }
}
