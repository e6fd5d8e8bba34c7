//! The rules engine: compliance of a partner against its track and badges, badge reviews,
//! and the R7 co-selling checks. Pure functions of records, the [`RuleBook`] and `today`.

pub mod compliance;
pub mod currency;
pub mod incumbent;
pub mod nfr;
pub mod phd;
pub mod r7;
pub mod review;

use serde::Serialize;

use crate::domain::*;

pub use compliance::{
    certifications_needed, compliance_for_all, partner_compliance, BadgeCompliance, GapClosure,
    PartnerCompliance, RequirementStatus, TrackCompliance,
};
pub use currency::{Conversion, Converted, Rates};
pub use incumbent::{incumbent_right, IncumbentRight};
pub use nfr::{nfr_eligibility, NfrCheck, NfrCheckKind, NfrEligibility, NfrFacts};
pub use phd::{phd_reviews_due, PhdCadence, PhdDue};
pub use r7::{opportunity_r7, R7Check};
pub use review::{badge_review, BadgeReview, ReviewStatus};

/// Seed 003: Select and Open partners submit MDF requests in the Partner Portal; Distribution
/// partners do not.
pub fn mdf_eligible(track: Track) -> bool {
    matches!(track, Track::Open | Track::Select)
}

/// All the rules tables, loaded together (see `Reader::rule_book`).
#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RuleBook {
    pub certifications: Vec<Certification>,
    pub track_requirements: Vec<TrackRequirement>,
    pub badges: Vec<Badge>,
    pub badge_requirements: Vec<BadgeRequirement>,
    pub r7_thresholds: Vec<R7Threshold>,
    pub exchange_rates: Vec<ExchangeRate>,
    pub journey_capabilities: Vec<JourneyCapability>,
    pub curriculum_modules: Vec<CurriculumModule>,
}

impl RuleBook {
    pub fn certification_name<'a>(&'a self, id: &'a str) -> &'a str {
        self.certifications
            .iter()
            .find(|c| c.id == id)
            .map(|c| c.name.as_str())
            .unwrap_or(id)
    }

    /// The exchange rates, to convert amounts between currencies.
    pub fn rates(&self) -> Rates<'_> {
        Rates(&self.exchange_rates)
    }

    pub fn badge(&self, id: &str) -> Option<&Badge> {
        self.badges.iter().find(|b| b.id == id)
    }

    /// The journey checklist of one stage, in order.
    pub fn checklist(&self, stage: JourneyStage) -> impl Iterator<Item = &JourneyCapability> {
        self.journey_capabilities
            .iter()
            .filter(move |c| c.stage == stage)
    }
}

/// A via-partner note must carry "(ii)" in its title.
pub fn note_lacks_via_partner_mark(note: &CallNote) -> bool {
    note.via_partner && !selling::title_has_via_partner_mark(&note.title)
}

/// R7: "any customer with CARR higher than 0 or any prospect with an open opportunity needs to
/// be tiered". `open_deals`: how many of the account's deals are not closed (won or lost).
pub fn account_needs_tier(account: &Account, open_deals: usize) -> bool {
    account.tier == Tier::Untiered && (account.carr.cents() > 0 || open_deals > 0)
}

/// R7: open next steps past their due date; the channel manager chases these.
pub fn overdue_next_steps(steps: &[NextStep], today: chrono::NaiveDate) -> Vec<&NextStep> {
    steps.iter().filter(|s| s.is_overdue(today)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn via_partner_note_without_ii_is_flagged() {
        let mut n = CallNote::new("Discovery call", "", "ae");
        assert!(
            !note_lacks_via_partner_mark(&n),
            "a direct note needs no mark"
        );
        n.via_partner = true;
        assert!(note_lacks_via_partner_mark(&n));
        n.title = "Discovery call (ii)".into();
        assert!(!note_lacks_via_partner_mark(&n));
    }

    #[test]
    fn untiered_account_with_open_opportunity_needs_a_tier() {
        let mut acct = Account::new("Initech", "ae");
        assert!(account_needs_tier(&acct, 1));
        assert!(!account_needs_tier(&acct, 0), "no open opportunity");
        acct.tier = Tier::Tier1;
        assert!(!account_needs_tier(&acct, 2), "tiered");
    }

    #[test]
    fn a_customer_with_carr_needs_a_tier_even_without_an_open_deal() {
        let mut acct = Account::new("Initech", "ae");
        assert!(
            !account_needs_tier(&acct, 0),
            "a prospect with nothing open"
        );
        acct.carr = Money::from_dollars(1);
        assert!(account_needs_tier(&acct, 0), "a customer");
        acct.tier = Tier::Tier3;
        assert!(!account_needs_tier(&acct, 0), "tiered");
    }

    #[test]
    fn overdue_means_open_and_due_before_today() {
        let today: chrono::NaiveDate = "2026-11-23".parse().unwrap();
        let yesterday = NextStep::new("a", "o", today.pred_opt().unwrap());
        let due_today = NextStep::new("b", "o", today);
        let steps = [yesterday, due_today];
        let overdue = overdue_next_steps(&steps, today);
        assert_eq!(overdue.len(), 1);
        assert_eq!(overdue[0].description, "a");
    }
}
