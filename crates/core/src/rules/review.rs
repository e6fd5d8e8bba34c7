//! Badge reviews: every year in the month the badge was granted; a partner found
//! non-compliant at a review has one quarter to return to compliance.

use chrono::{Datelike, Months, NaiveDate};
use serde::Serialize;

use crate::domain::BadgeGrant;

/// Where a held badge stands with respect to its yearly review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum ReviewStatus {
    /// Nothing to do before the next review.
    InGoodStanding,
    /// The review is within a month: the partner provides evidence one month before.
    EvidenceDue,
    /// Failed its last review and still non-compliant: must comply by `until`.
    InGrace { until: NaiveDate },
    /// Failed its last review and the quarter of grace ran out on `since`.
    GraceExpired { since: NaiveDate },
}

/// A held badge's next review and standing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct BadgeReview {
    /// The first day of the month of the next review (this month's, during the review month).
    pub next_review: NaiveDate,
    pub status: ReviewStatus,
}

/// The next review of a badge granted on `grant.granted_on`, as of `today`.
pub fn next_review_month(granted_on: NaiveDate, today: NaiveDate) -> NaiveDate {
    let month = granted_on.month();
    let year = if today.month() <= month {
        today.year()
    } else {
        today.year() + 1
    };
    NaiveDate::from_ymd_opt(year, month, 1).expect("first of a month exists")
}

/// Review standing of a held badge, given whether the partner complies today.
pub fn badge_review(grant: &BadgeGrant, compliant_now: bool, today: NaiveDate) -> BadgeReview {
    let next_review = next_review_month(grant.granted_on, today);
    let failed_review = match (grant.last_review_on, grant.last_review_compliant) {
        (Some(on), Some(false)) => Some(on),
        _ => None,
    };
    let status = match failed_review {
        Some(on) if !compliant_now => {
            let until = on + Months::new(3);
            if today <= until {
                ReviewStatus::InGrace { until }
            } else {
                ReviewStatus::GraceExpired { since: until }
            }
        }
        _ if today >= next_review - Months::new(1) => ReviewStatus::EvidenceDue,
        _ => ReviewStatus::InGoodStanding,
    };
    BadgeReview {
        next_review,
        status,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn grant(granted: &str, review: Option<(&str, bool)>) -> BadgeGrant {
        BadgeGrant {
            badge_id: "psp".into(),
            granted_on: d(granted),
            last_review_on: review.map(|(on, _)| d(on)),
            last_review_compliant: review.map(|(_, ok)| ok),
        }
    }

    #[test]
    fn reviewed_every_year_in_the_grant_month() {
        assert_eq!(
            next_review_month(d("2024-03-15"), d("2026-01-10")),
            d("2026-03-01")
        );
        assert_eq!(
            next_review_month(d("2024-03-15"), d("2026-03-31")),
            d("2026-03-01"),
            "review month"
        );
        assert_eq!(
            next_review_month(d("2024-03-15"), d("2026-04-01")),
            d("2027-03-01")
        );
    }

    #[test]
    fn evidence_is_due_one_month_before_the_review() {
        let g = grant("2024-03-15", None);
        assert_eq!(
            badge_review(&g, true, d("2026-01-31")).status,
            ReviewStatus::InGoodStanding
        );
        assert_eq!(
            badge_review(&g, true, d("2026-02-01")).status,
            ReviewStatus::EvidenceDue
        );
        assert_eq!(
            badge_review(&g, true, d("2026-03-20")).status,
            ReviewStatus::EvidenceDue
        );
    }

    #[test]
    fn a_failed_review_gives_one_quarter_of_grace() {
        let g = grant("2024-03-15", Some(("2026-03-10", false)));
        assert_eq!(
            badge_review(&g, false, d("2026-06-10")).status,
            ReviewStatus::InGrace {
                until: d("2026-06-10")
            },
            "the last day of grace"
        );
        assert_eq!(
            badge_review(&g, false, d("2026-06-11")).status,
            ReviewStatus::GraceExpired {
                since: d("2026-06-10")
            }
        );
    }

    #[test]
    fn returning_to_compliance_ends_the_grace_period() {
        let g = grant("2024-03-15", Some(("2026-03-10", false)));
        assert_eq!(
            badge_review(&g, true, d("2026-05-01")).status,
            ReviewStatus::InGoodStanding
        );
    }
}
