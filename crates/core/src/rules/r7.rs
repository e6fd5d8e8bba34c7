//! R7 co-selling thresholds: which opportunities need a command plan or a custom pitch deck.

use serde::Serialize;

use super::currency::Rates;
use crate::domain::*;

/// What R7 requires of one opportunity, and whether it has it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct R7Check {
    pub opportunity_id: String,
    pub command_plan_required: CommandPlanLevel,
    pub pitch_deck_required: bool,
    /// The command plan it has falls short of what is required.
    pub command_plan_missing: bool,
    pub pitch_deck_missing: bool,
}

impl R7Check {
    pub fn has_gap(&self) -> bool {
        self.command_plan_missing || self.pitch_deck_missing
    }
}

/// The requirements that fire for a segment, amount and IACV: strictly *over* a threshold.
pub fn requirements(
    thresholds: &[R7Threshold],
    segment: Segment,
    amount: Money,
    iacv: Money,
) -> (CommandPlanLevel, bool) {
    let fired = |req: R7Requirement| {
        thresholds
            .iter()
            .filter(|t| t.segment == segment && t.requirement == req)
            .any(|t| {
                let value = match t.metric {
                    R7Metric::Amount => amount,
                    R7Metric::Iacv => iacv,
                };
                value > t.threshold
            })
    };
    let plan = if fired(R7Requirement::CommandPlanFull) {
        CommandPlanLevel::Full
    } else if fired(R7Requirement::CommandPlanOverview) {
        CommandPlanLevel::Overview
    } else {
        CommandPlanLevel::None
    };
    (plan, fired(R7Requirement::PitchDeck))
}

/// Checks an opportunity against the R7 thresholds (in US dollars: a deal in another currency
/// is converted with the rules' exchange rates, see [`Rates::in_base_or_as_is`]). Closed deals
/// need nothing more.
pub fn opportunity_r7(thresholds: &[R7Threshold], rates: Rates<'_>, opp: &Opportunity) -> R7Check {
    let usd = |m| rates.in_base_or_as_is(m, &opp.currency);
    let (plan, deck) = requirements(thresholds, opp.segment, usd(opp.amount), usd(opp.iacv));
    let open = !opp.stage.is_closed();
    R7Check {
        opportunity_id: opp.id.clone(),
        command_plan_required: plan,
        pitch_deck_required: deck,
        command_plan_missing: open && opp.command_plan < plan,
        pitch_deck_missing: open && deck && !opp.has_pitch_deck,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The seed thresholds of DOMAIN.md, as shipped in migration 002.
    fn seed() -> Vec<R7Threshold> {
        let t = |id: &str, segment, requirement, metric, dollars| R7Threshold {
            id: id.into(),
            segment,
            requirement,
            metric,
            threshold: Money::from_dollars(dollars),
        };
        use R7Metric::*;
        use R7Requirement::*;
        use Segment::*;
        vec![
            t("a", Smb, CommandPlanOverview, Amount, 5_000),
            t("b", Smb, CommandPlanFull, Iacv, 10_000),
            t("c", Smb, PitchDeck, Amount, 5_000),
            t("d", MidMarket, CommandPlanOverview, Amount, 10_000),
            t("e", MidMarket, CommandPlanFull, Iacv, 20_000),
            t("f", MidMarket, PitchDeck, Amount, 10_000),
        ]
    }

    fn req(segment: Segment, amount: &str, iacv: &str) -> (CommandPlanLevel, bool) {
        requirements(
            &seed(),
            segment,
            Money::parse("amount", amount).unwrap(),
            Money::parse("iacv", iacv).unwrap(),
        )
    }

    #[test]
    fn smb_exactly_five_thousand_needs_nothing() {
        assert_eq!(
            req(Segment::Smb, "5000.00", "0"),
            (CommandPlanLevel::None, false)
        );
    }

    #[test]
    fn smb_one_cent_over_five_thousand_needs_overview_and_deck() {
        assert_eq!(
            req(Segment::Smb, "5000.01", "0"),
            (CommandPlanLevel::Overview, true)
        );
    }

    #[test]
    fn smb_full_plan_over_ten_thousand_iacv() {
        assert_eq!(
            req(Segment::Smb, "4000", "10000"),
            (CommandPlanLevel::None, false)
        );
        assert_eq!(
            req(Segment::Smb, "4000", "10000.01"),
            (CommandPlanLevel::Full, false)
        );
    }

    #[test]
    fn mid_market_thresholds_are_double() {
        assert_eq!(
            req(Segment::MidMarket, "10000", "20000"),
            (CommandPlanLevel::None, false)
        );
        assert_eq!(
            req(Segment::MidMarket, "10000.01", "0"),
            (CommandPlanLevel::Overview, true)
        );
        assert_eq!(
            req(Segment::MidMarket, "0", "20000.01"),
            (CommandPlanLevel::Full, false)
        );
        assert_eq!(
            req(Segment::MidMarket, "7500", "0"),
            (CommandPlanLevel::None, false),
            "over the SMB amount but not the Mid-Market one"
        );
    }

    #[test]
    fn an_opportunity_with_an_overview_still_lacks_a_required_full_plan() {
        let mut opp = Opportunity::new("a", "Deal", Segment::Smb, "2027-01-01".parse().unwrap());
        opp.amount = Money::from_dollars(12_000);
        opp.iacv = Money::from_dollars(12_000);
        opp.command_plan = CommandPlanLevel::Overview;
        let check = opportunity_r7(&seed(), Rates(&[]), &opp);
        assert_eq!(check.command_plan_required, CommandPlanLevel::Full);
        assert!(check.command_plan_missing);
        assert!(check.pitch_deck_missing);
        opp.command_plan = CommandPlanLevel::Full;
        opp.has_pitch_deck = true;
        assert!(!opportunity_r7(&seed(), Rates(&[]), &opp).has_gap());
    }

    #[test]
    fn closed_deals_have_no_gaps() {
        let mut opp = Opportunity::new("a", "Deal", Segment::Smb, "2027-01-01".parse().unwrap());
        opp.amount = Money::from_dollars(50_000);
        opp.stage = OpportunityStage::ClosedWon;
        let check = opportunity_r7(&seed(), Rates(&[]), &opp);
        assert_eq!(
            check.command_plan_required,
            CommandPlanLevel::Overview,
            "still reported"
        );
        assert!(!check.has_gap());
    }
}
