//! Badge reviews (seed 003): a held badge is reviewed every year in the month it was granted,
//! the first review a year after the grant; the partner sends its evidence one month before;
//! a partner found non-compliant has a quarter of grace, after which the badge lapses. The
//! cadence, the evidence lead time and the grace period are columns of the `badges` rules
//! table.

use chrono::{Datelike, Days, Months, NaiveDate};
use serde::Serialize;

use crate::domain::{Badge, BadgeGrant};

/// Where a held badge stands with respect to its reviews.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum ReviewStatus {
    /// Nothing to do before the evidence for the next review is due.
    InGoodStanding,
    /// The evidence window of the next review is open and no evidence is recorded.
    EvidenceDue,
    /// The partner sent its evidence on `on`; the review is still to be recorded.
    EvidenceSent { on: NaiveDate },
    /// The review month ended on the day before `since` with no review recorded.
    ReviewOverdue { since: NaiveDate },
    /// The last review found the partner non-compliant: it must comply by `until`, shown by
    /// a new review. `compliant_now` says whether its certifications already meet the badge.
    InGrace {
        until: NaiveDate,
        compliant_now: bool,
    },
    /// The grace period ran out on the day before `since` without a compliant review.
    Lapsed { since: NaiveDate },
}

impl ReviewStatus {
    /// Whether a person must act on it now (not merely see it coming).
    pub fn needs_action(&self) -> bool {
        !matches!(self, ReviewStatus::InGoodStanding)
    }
}

/// A held badge's next review and standing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct BadgeReview {
    /// The first day of the month of the review that is due (a past month while overdue).
    pub next_review: NaiveDate,
    /// The first day the partner's evidence for that review is due.
    pub evidence_from: NaiveDate,
    pub status: ReviewStatus,
}

/// The first day of `date`'s month.
fn month_of(date: NaiveDate) -> NaiveDate {
    date.with_day(1).expect("every month has a first day")
}

/// The review that is due: the first review month (a whole cadence after the grant month,
/// then every cadence) whose evidence window opened after the last recorded review. A review
/// recorded late still covers its month; an extra review (say, one that ends a grace period)
/// does not move the yearly month.
pub fn due_review_month(
    badge: &Badge,
    granted_on: NaiveDate,
    last_review_on: Option<NaiveDate>,
) -> NaiveDate {
    let every = Months::new(badge.review_every_months.max(1) as u32);
    let lead = Months::new(badge.evidence_lead_months.max(0) as u32);
    let mut month = month_of(granted_on) + every;
    while last_review_on.is_some_and(|on| on >= month - lead) {
        month = month + every;
    }
    month
}

/// Review standing of a held badge, given whether the partner complies today.
pub fn badge_review(
    badge: &Badge,
    grant: &BadgeGrant,
    compliant_now: bool,
    today: NaiveDate,
) -> BadgeReview {
    let last = grant.last_review();
    let next_review = due_review_month(
        badge,
        grant.granted_on,
        last.as_ref().map(|r| r.reviewed_on),
    );
    let evidence_from = next_review - Months::new(badge.evidence_lead_months.max(0) as u32);
    let status = match last.filter(|r| !r.compliant) {
        Some(failed) => {
            let until = failed.reviewed_on + Months::new(badge.grace_months.max(0) as u32);
            if today <= until {
                ReviewStatus::InGrace {
                    until,
                    compliant_now,
                }
            } else {
                ReviewStatus::Lapsed {
                    since: until + Days::new(1),
                }
            }
        }
        None => {
            let after_review_month = next_review + Months::new(1);
            if today >= after_review_month {
                ReviewStatus::ReviewOverdue {
                    since: after_review_month,
                }
            } else if today >= evidence_from {
                let sent = grant
                    .evidence
                    .iter()
                    .filter(|e| e.sent_on >= evidence_from && e.sent_on <= today)
                    .map(|e| e.sent_on)
                    .max();
                match sent {
                    Some(on) => ReviewStatus::EvidenceSent { on },
                    None => ReviewStatus::EvidenceDue,
                }
            } else {
                ReviewStatus::InGoodStanding
            }
        }
    };
    BadgeReview {
        next_review,
        evidence_from,
        status,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{BadgeEvidence, BadgeReviewRecord};

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn psp() -> Badge {
        Badge {
            id: "psp".into(),
            name: "PSP".into(),
            requires_track_compliance: true,
            review_every_months: 12,
            evidence_lead_months: 1,
            grace_months: 3,
        }
    }

    fn grant(granted: &str, reviews: &[(&str, bool)]) -> BadgeGrant {
        let mut g = BadgeGrant::new("psp", d(granted));
        for (on, ok) in reviews {
            g.record_review(BadgeReviewRecord {
                reviewed_on: d(on),
                compliant: *ok,
                computed_compliant: *ok,
                override_reason: None,
            });
        }
        g
    }

    fn status(g: &BadgeGrant, compliant: bool, today: &str) -> ReviewStatus {
        badge_review(&psp(), g, compliant, d(today)).status
    }

    #[test]
    fn a_badge_granted_today_is_in_good_standing_and_first_reviewed_a_year_later() {
        let g = grant("2026-11-15", &[]);
        let r = badge_review(&psp(), &g, true, d("2026-11-15"));
        assert_eq!(r.status, ReviewStatus::InGoodStanding);
        assert_eq!(r.next_review, d("2027-11-01"));
        assert_eq!(r.evidence_from, d("2027-10-01"));
        assert_eq!(
            status(&g, true, "2026-11-14"),
            ReviewStatus::InGoodStanding,
            "the day before the grant (a backdated view)"
        );
    }

    #[test]
    fn evidence_is_due_from_one_month_before_the_review_month() {
        let g = grant("2026-11-15", &[]);
        assert_eq!(status(&g, true, "2027-09-30"), ReviewStatus::InGoodStanding);
        assert_eq!(status(&g, true, "2027-10-01"), ReviewStatus::EvidenceDue);
        assert_eq!(status(&g, true, "2027-11-30"), ReviewStatus::EvidenceDue);
    }

    #[test]
    fn evidence_sent_in_the_window_is_shown_until_the_review() {
        let mut g = grant("2026-11-15", &[]);
        g.evidence.push(BadgeEvidence {
            sent_on: d("2026-12-01"),
            customers: vec!["Early Corp".into()],
        });
        assert_eq!(
            status(&g, true, "2027-10-05"),
            ReviewStatus::EvidenceDue,
            "evidence sent before the window counts for no review"
        );
        g.evidence.push(BadgeEvidence {
            sent_on: d("2027-10-20"),
            customers: vec!["Initech".into()],
        });
        assert_eq!(
            status(&g, true, "2027-10-25"),
            ReviewStatus::EvidenceSent {
                on: d("2027-10-20")
            }
        );
    }

    #[test]
    fn a_review_month_that_passes_without_a_review_is_overdue_not_next_year() {
        let g = grant("2026-11-15", &[]);
        let r = badge_review(&psp(), &g, true, d("2027-12-01"));
        assert_eq!(
            r.status,
            ReviewStatus::ReviewOverdue {
                since: d("2027-12-01")
            }
        );
        assert_eq!(
            r.next_review,
            d("2027-11-01"),
            "the overdue month stays due"
        );
        assert_eq!(
            status(&g, true, "2029-02-01"),
            ReviewStatus::ReviewOverdue {
                since: d("2027-12-01")
            }
        );
    }

    #[test]
    fn a_review_covers_its_month_even_when_late_and_the_next_is_a_year_on() {
        let late = grant("2026-11-15", &[("2028-01-10", true)]);
        let r = badge_review(&psp(), &late, true, d("2028-01-10"));
        assert_eq!(r.next_review, d("2028-11-01"));
        assert_eq!(r.status, ReviewStatus::InGoodStanding);
        let early = grant("2026-11-15", &[("2027-10-02", true)]);
        assert_eq!(
            due_review_month(&psp(), d("2026-11-15"), Some(d("2027-10-02"))),
            d("2028-11-01"),
            "a review in the evidence window covers that year"
        );
        assert_eq!(
            status(&early, true, "2027-11-20"),
            ReviewStatus::InGoodStanding
        );
        assert_eq!(
            due_review_month(&psp(), d("2026-11-15"), Some(d("2027-09-30"))),
            d("2027-11-01"),
            "a review before the window does not"
        );
    }

    #[test]
    fn leap_day_grants_are_reviewed_in_february() {
        let g = grant("2024-02-29", &[("2025-02-28", true)]);
        let r = badge_review(&psp(), &g, true, d("2026-01-01"));
        assert_eq!(r.next_review, d("2026-02-01"));
        assert_eq!(r.status, ReviewStatus::EvidenceDue);
        assert_eq!(
            status(&g, true, "2026-03-01"),
            ReviewStatus::ReviewOverdue {
                since: d("2026-03-01")
            }
        );
    }

    #[test]
    fn a_failed_review_gives_a_quarter_of_grace_then_the_badge_lapses() {
        let g = grant("2025-03-15", &[("2026-03-10", false)]);
        assert_eq!(
            status(&g, false, "2026-06-10"),
            ReviewStatus::InGrace {
                until: d("2026-06-10"),
                compliant_now: false
            },
            "the last day of grace"
        );
        assert_eq!(
            status(&g, false, "2026-06-11"),
            ReviewStatus::Lapsed {
                since: d("2026-06-11")
            }
        );
        assert_eq!(
            status(&g, true, "2026-06-11"),
            ReviewStatus::Lapsed {
                since: d("2026-06-11")
            },
            "complying again after grace without a review does not bring the badge back"
        );
    }

    #[test]
    fn a_compliant_review_during_grace_ends_it_and_keeps_the_yearly_month() {
        let mut g = grant("2025-03-15", &[("2026-03-10", false)]);
        assert_eq!(
            status(&g, true, "2026-05-01"),
            ReviewStatus::InGrace {
                until: d("2026-06-10"),
                compliant_now: true
            },
            "compliant again, not yet reviewed"
        );
        g.record_review(BadgeReviewRecord {
            reviewed_on: d("2026-05-02"),
            compliant: true,
            computed_compliant: true,
            override_reason: None,
        });
        let r = badge_review(&psp(), &g, true, d("2026-07-01"));
        assert_eq!(r.status, ReviewStatus::InGoodStanding);
        assert_eq!(r.next_review, d("2027-03-01"));
        assert_eq!(g.review_history().len(), 2, "both reviews are kept");
    }

    #[test]
    fn cadence_lead_time_and_grace_come_from_the_rules_row() {
        let badge = Badge {
            review_every_months: 6,
            evidence_lead_months: 2,
            grace_months: 1,
            ..psp()
        };
        let g = grant("2026-01-20", &[]);
        let r = badge_review(&badge, &g, true, d("2026-05-01"));
        assert_eq!(r.next_review, d("2026-07-01"));
        assert_eq!(r.status, ReviewStatus::EvidenceDue);
        let failed = grant("2026-01-20", &[("2026-07-03", false)]);
        assert_eq!(
            badge_review(&badge, &failed, false, d("2026-08-04")).status,
            ReviewStatus::Lapsed {
                since: d("2026-08-04")
            }
        );
    }

    #[test]
    fn an_older_clients_last_review_fields_still_count() {
        let mut g = BadgeGrant::new("psp", d("2025-03-15"));
        g.last_review_on = Some(d("2026-03-10"));
        g.last_review_compliant = Some(false);
        assert_eq!(
            status(&g, false, "2026-04-01"),
            ReviewStatus::InGrace {
                until: d("2026-06-10"),
                compliant_now: false
            }
        );
    }
}
