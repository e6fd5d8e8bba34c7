//! The Today view as a screen shows it: every list of [`TodaySummary`] cut to its first
//! `shown` lines (the most urgent: each list is already in priority order), with the full
//! counts beside them. At 100,000 notes an office can have thousands of overdue steps; the
//! screen shows a dozen and says how many more, and the rest never crosses to the UI.

use chrono::NaiveDate;
use serde::Serialize;

use super::audience::{Audience, Scope};
use super::today::{today_summary, TodaySummary};
use crate::error::Result;
use crate::store::Reader;

/// How many lines each list of the Today screen holds when not told.
pub const TODAY_SHOWN: usize = 12;

/// How many lines each list has in full.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TodayTotals {
    pub overdue_next_steps: usize,
    pub due_soon: usize,
    pub compliance_gaps: usize,
    pub badge_reviews: usize,
    pub r7_gaps: usize,
    pub notes_missing_mark: usize,
    pub untiered_accounts: usize,
}

/// The Today view, each list cut to its first lines, and the full counts.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TodayDigest {
    pub summary: TodaySummary,
    pub totals: TodayTotals,
}

/// The Today view as of `today` for `scope` (the profile's default when `None`: see
/// [`Scope::default_for`]), at most `shown` lines per list (at least one).
pub fn today_digest(
    reader: Reader<'_>,
    today: NaiveDate,
    shown: usize,
    scope: Option<Scope>,
) -> Result<TodayDigest> {
    let scope = match scope {
        Some(scope) => scope,
        None => Scope::default_for(reader)?,
    };
    let mut s = today_summary(reader, today, &Audience::of(reader, scope)?)?;
    let totals = TodayTotals {
        overdue_next_steps: s.overdue_next_steps.len(),
        due_soon: s.due_soon.len(),
        compliance_gaps: s.compliance_gaps.len(),
        badge_reviews: s.badge_reviews.len(),
        r7_gaps: s.r7_gaps.len(),
        notes_missing_mark: s.notes_missing_mark.len(),
        untiered_accounts: s.untiered_accounts.len(),
    };
    let n = shown.max(1);
    s.overdue_next_steps.truncate(n);
    s.due_soon.truncate(n);
    s.compliance_gaps.truncate(n);
    s.badge_reviews.truncate(n);
    s.r7_gaps.truncate(n);
    s.notes_missing_mark.truncate(n);
    s.untiered_accounts.truncate(n);
    Ok(TodayDigest { summary: s, totals })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::{create_partner, NewNextStep, NewNote, NewPartner};
    use crate::store::Store;

    fn store_with_overdue_steps(n: usize, today: NaiveDate) -> Store {
        let mut store = Store::open_in_memory().unwrap();
        create_partner(
            &mut store,
            &NewPartner {
                name: "Acme".into(),
                partner_types: vec!["var_vad".into()],
                track: "open".into(),
                region: "emea".into(),
                owner: "cam".into(),
                ..NewPartner::default()
            },
        )
        .unwrap();
        let steps = (0..n)
            .map(|i| NewNextStep {
                description: format!("step {i}"),
                owner: "partner".into(),
                due_on: (today - chrono::Days::new(i as u64 + 1)).to_string(),
                agreed_with_partner: true,
            })
            .collect();
        crate::ops::log_note(
            &mut store,
            &NewNote {
                title: "Call".into(),
                partner: Some("Acme".into()),
                author: "cam".into(),
                next_steps: steps,
                ..NewNote::default()
            },
        )
        .unwrap();
        store
    }

    #[test]
    fn the_digest_shows_the_most_overdue_first_and_counts_them_all() {
        let today: NaiveDate = "2026-11-23".parse().unwrap();
        let store = store_with_overdue_steps(20, today);
        let digest = today_digest(store.read(), today, 5, None).unwrap();
        assert_eq!(digest.totals.overdue_next_steps, 20, "the full count");
        let shown = &digest.summary.overdue_next_steps;
        assert_eq!(shown.len(), 5, "only the first lines cross to the UI");
        assert_eq!(shown[0].step.description, "step 19", "most overdue first");
    }

    #[test]
    fn a_digest_shows_at_least_one_line() {
        let today: NaiveDate = "2026-11-23".parse().unwrap();
        let store = store_with_overdue_steps(2, today);
        let digest = today_digest(store.read(), today, 0, None).unwrap();
        assert_eq!(digest.summary.overdue_next_steps.len(), 1);
    }
}
