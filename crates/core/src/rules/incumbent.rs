//! Renewals incumbent protection (seed 004): "If a partner sells a deal and is in good standing
//! (actively supporting the customer, etc) that partner receives first right of refusal for
//! renewal; unless otherwise stated by the customer."

use chrono::NaiveDate;
use serde::Serialize;

use crate::domain::{Opportunity, OpportunityType};

/// How recent the incumbent's last call on the account must be for it to count as actively
/// supporting the customer.
pub const SUPPORT_WINDOW_DAYS: i64 = 365;

/// A renewal's incumbent partner and whether it holds the first right of refusal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct IncumbentRight {
    pub partner_id: String,
    pub partner_name: String,
    /// Meets its track and held badges' requirements.
    pub compliant: bool,
    /// A call note with the partner on the account within [`SUPPORT_WINDOW_DAYS`].
    pub supporting_customer: bool,
    pub declined_by_customer: bool,
    /// In good standing (compliant and supporting the customer) and not declined.
    pub first_right_of_refusal: bool,
    /// The right holds but another partner registered the renewal.
    pub passed_over: bool,
}

/// What the incumbent of `opp` (a renewal naming one) may claim on `today`; `None` for any
/// other deal. `compliant` is the incumbent's compliance (no gap); `last_call_on_account` the
/// day of its latest call note on the deal's account.
pub fn incumbent_right(
    opp: &Opportunity,
    partner_name: &str,
    compliant: bool,
    last_call_on_account: Option<NaiveDate>,
    today: NaiveDate,
) -> Option<IncumbentRight> {
    let partner_id = opp.incumbent_partner_id.clone()?;
    if opp.opportunity_type != OpportunityType::Renewal {
        return None;
    }
    let supporting_customer =
        last_call_on_account.is_some_and(|d| (today - d).num_days() <= SUPPORT_WINDOW_DAYS);
    let first_right_of_refusal =
        compliant && supporting_customer && !opp.incumbent_declined_by_customer;
    let passed_over = first_right_of_refusal
        && opp
            .registered_partner_id
            .as_ref()
            .is_some_and(|p| p != &partner_id);
    Some(IncumbentRight {
        partner_name: partner_name.to_string(),
        compliant,
        supporting_customer,
        declined_by_customer: opp.incumbent_declined_by_customer,
        first_right_of_refusal,
        passed_over,
        partner_id,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Segment;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn renewal(incumbent: Option<&str>, registered: Option<&str>) -> Opportunity {
        let mut o = Opportunity::new("acct", "Renewal", Segment::Smb, d("2027-01-31"));
        o.opportunity_type = OpportunityType::Renewal;
        o.incumbent_partner_id = incumbent.map(Into::into);
        o.registered_partner_id = registered.map(Into::into);
        o
    }

    #[test]
    fn a_compliant_incumbent_supporting_the_customer_has_the_first_right_of_refusal() {
        let today = d("2026-12-07");
        let right = |o: &Opportunity, compliant, last| {
            incumbent_right(o, "Acme", compliant, last, today).unwrap()
        };
        let o = renewal(Some("acme"), Some("acme"));
        let r = right(&o, true, Some(d("2026-01-01")));
        assert!(r.first_right_of_refusal && !r.passed_over);
        assert!(
            !right(&o, false, Some(d("2026-12-01"))).first_right_of_refusal,
            "a compliance gap"
        );
        assert!(
            !right(&o, true, None).first_right_of_refusal,
            "never called on the account"
        );
        let stale = right(&o, true, Some(d("2025-12-06")));
        assert!(!stale.supporting_customer, "the last call is 366 days old");

        let mut declined = o.clone();
        declined.incumbent_declined_by_customer = true;
        assert!(!right(&declined, true, Some(d("2026-12-01"))).first_right_of_refusal);

        let other = renewal(Some("acme"), Some("globex"));
        assert!(right(&other, true, Some(d("2026-12-01"))).passed_over);
        assert!(
            !right(&other, false, Some(d("2026-12-01"))).passed_over,
            "no right to pass over"
        );
    }

    #[test]
    fn only_a_renewal_naming_an_incumbent_has_one() {
        let today = d("2026-12-07");
        assert_eq!(
            incumbent_right(&renewal(None, None), "", true, None, today),
            None
        );
        let mut add_on = renewal(Some("acme"), None);
        add_on.opportunity_type = OpportunityType::AddOn;
        assert_eq!(incumbent_right(&add_on, "Acme", true, None, today), None);
    }
}
