//! A partner's business plan against what happened in its fiscal year: closed-won ARR against
//! the growth and new-customer targets, the pipeline still open, deals won and lost with their
//! reasons, the plan's certification commitments ("slide 19") against the people certified, MDF
//! requested and the journey stage against the target.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::domain::plan::{fiscal_year_span, FISCAL_YEAR_START_MONTH};
use crate::domain::*;
use crate::error::Result;
use crate::rules::{Conversion, Converted, RuleBook};
use crate::store::{DealFacts, Reader};

/// Which plan target a deal's ARR counts toward.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum ArrTarget {
    /// A new customer: new business.
    NewCustomer,
    /// More from a customer: add-on business and the uplift of a renewal.
    Growth,
    /// Services only: no licence ARR.
    None,
}

impl ArrTarget {
    /// The one rule of which deals count toward which target; a deal counts its IACV.
    pub fn of(kind: OpportunityType) -> Self {
        match kind {
            OpportunityType::NewBusiness => ArrTarget::NewCustomer,
            OpportunityType::AddOn | OpportunityType::Renewal => ArrTarget::Growth,
            OpportunityType::ServicesOnly => ArrTarget::None,
        }
    }
}

/// What a partner's deals in a fiscal year add up to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DealSums {
    /// Closed-won IACV toward the growth target.
    pub growth: Money,
    /// Closed-won IACV toward the new-customer target.
    pub new_customer: Money,
    /// IACV of deals not yet won or lost.
    pub open_pipeline: Money,
    /// Services attached to closed-won deals.
    pub services_attach_won: Money,
}

impl DealSums {
    /// The one rule of what a deal adds: won deals their IACV toward the target
    /// [`ArrTarget::of`] their type, and their services; open deals their IACV to the
    /// pipeline; lost deals nothing. Amounts are converted into the sums' currency; a deal in a
    /// currency without a rate adds nothing, and `conversion` names the currency.
    pub fn add(&mut self, deal: DealFacts<'_>, conversion: &mut Conversion<'_>) {
        if deal.stage == OpportunityStage::ClosedLost {
            return;
        }
        let Some(iacv) = conversion.convert(deal.iacv, deal.currency) else {
            return;
        };
        match deal.stage {
            OpportunityStage::ClosedWon => {
                let services_attach = conversion
                    .convert(deal.services_attach, deal.currency)
                    .unwrap_or_default();
                match ArrTarget::of(deal.opportunity_type) {
                    ArrTarget::NewCustomer => self.new_customer += iacv,
                    ArrTarget::Growth => self.growth += iacv,
                    ArrTarget::None => {}
                }
                self.services_attach_won += services_attach;
            }
            OpportunityStage::ClosedLost => {}
            _ => self.open_pipeline += iacv,
        }
    }

    /// Closed-won ARR toward both targets.
    pub fn arr_won(&self) -> Money {
        self.growth + self.new_customer
    }
}

/// A closed deal, as a plan review lists it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ClosedDeal {
    pub opportunity_id: String,
    pub name: String,
    pub account_name: String,
    pub opportunity_type: OpportunityType,
    /// The deal's own amounts, in its currency.
    pub iacv: Money,
    pub services_attach: Money,
    pub currency: Currency,
    /// `iacv` in the plan's currency; `None` without an exchange rate.
    pub iacv_converted: Option<Money>,
    pub close_date: NaiveDate,
    pub reason: String,
}

/// Target against actual for one measure; `target` is `None` when there is no plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct AgainstTarget {
    pub target: Option<Money>,
    pub actual: Money,
}

/// One certification commitment of the plan ("slide 19") against the partner's people and
/// against what the program needs of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CommitmentProgress {
    pub certification_id: String,
    pub certification_name: String,
    /// People the partner committed to certify…
    pub committed: i64,
    /// …by this date.
    pub by: NaiveDate,
    /// People holding the certification today (lapsed ones do not count).
    pub certified: i64,
    /// People not yet certified whose enablement plan has them certify by `by`.
    pub planned_by_date: i64,
    /// People not yet certified who are planned only after `by`, or with no date.
    pub planned_later: i64,
    /// [`CommitmentStatus::Late`]: how many of the committed people are planned after the date.
    pub late_by: i64,
    /// [`CommitmentStatus::Short`]: how many are missing even if everyone planned certifies.
    pub short_by: i64,
    /// What the partner's track and held badges need of this certification (0: nothing). A
    /// commitment below it leaves the partner out of compliance even when met.
    pub program_needs: i64,
    pub status: CommitmentStatus,
    /// The status in words, with its count: "late: 1 planned after the date", "short by 2".
    pub label: String,
}

/// Where a certification commitment stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum CommitmentStatus {
    /// Enough people are certified.
    Met,
    /// Enough will be if everyone planned certifies by the date.
    OnTrack,
    /// Enough people are planned, but some of them only after the date.
    Late,
    /// Not enough people, even with everyone planned.
    Short,
}

/// A certification the partner's track or badges need that the plan commits no one to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct UncommittedNeed {
    pub certification_id: String,
    pub certification_name: String,
    pub needed: i64,
}

impl CommitmentStatus {
    /// "met", "on track", "late: 1 planned after the date", "short by 2".
    fn label(self, late_by: i64, short_by: i64) -> String {
        match self {
            CommitmentStatus::Met => "met".into(),
            CommitmentStatus::OnTrack => "on track".into(),
            CommitmentStatus::Late => format!("late: {late_by} planned after the date"),
            CommitmentStatus::Short => format!("short by {short_by}"),
        }
    }
}

/// MDF requested in one quarter of the plan, and how much of it is approved (or claimed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct MdfQuarter {
    /// As written in the plan, e.g. "Q2"; empty when the request names none.
    pub quarter: String,
    pub requested: Money,
    pub approved: Money,
}

/// The plan's MDF requests summed per quarter, quarters in the order they first appear.
pub fn mdf_by_quarter(requests: &[MdfRequest]) -> Vec<MdfQuarter> {
    let mut out: Vec<MdfQuarter> = Vec::new();
    for m in requests {
        let quarter = m.quarter.trim().to_uppercase();
        let i = match out.iter().position(|q| q.quarter == quarter) {
            Some(i) => i,
            None => {
                out.push(MdfQuarter {
                    quarter,
                    requested: Money::default(),
                    approved: Money::default(),
                });
                out.len() - 1
            }
        };
        out[i].requested += m.amount;
        if m.status.is_approved() {
            out[i].approved += m.amount;
        }
    }
    out
}

/// A partner's plan (if any) against its deals in one fiscal year.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PlanActuals {
    pub partner_id: String,
    pub fiscal_year: i32,
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
    pub has_plan: bool,
    /// The currency of every sum and target here: the plan's, or the partner's without a plan.
    pub currency: Currency,
    /// How deals in other currencies were converted into `currency`, in words.
    pub conversion: Converted,
    /// Closed-won IACV of add-on business and renewals.
    pub growth_arr: AgainstTarget,
    /// Closed-won IACV of new business.
    pub new_customer_arr: AgainstTarget,
    /// IACV of open deals due to close in the year (their stage is not yet won or lost).
    pub open_pipeline: Money,
    pub services_attach_won: Money,
    /// Closed won in the year, latest first.
    pub won: Vec<ClosedDeal>,
    /// Closed lost in the year, latest first.
    pub lost: Vec<ClosedDeal>,
    /// The MDF the plan requests.
    pub mdf_requested: Money,
    /// The plan's MDF per quarter (in the order first named), with how much is approved.
    pub mdf_by_quarter: Vec<MdfQuarter>,
    /// The partner's track lets it submit MDF requests (Select and Open).
    pub mdf_eligible: bool,
    pub journey_stage: JourneyStage,
    pub target_stage: Option<JourneyStage>,
    /// The plan's certification commitments against the people certified, as of `as_of`.
    pub certifications: Vec<CommitmentProgress>,
    /// Certifications the track and held badges need that the plan commits no one to (only
    /// when there is a plan).
    pub uncommitted: Vec<UncommittedNeed>,
    /// When the partner was invited to become a Training Services Partner: its plan must then
    /// carry certification commitments.
    pub tsp_invited_on: Option<NaiveDate>,
    /// A Training Services Partner invitee whose plan (or lack of one) commits no one.
    pub commitments_missing: bool,
    /// What the commitments leave out, in words: a missing slide 19 for an invitee, and each
    /// certification committed below, or not at all, what the track and held badges need.
    pub commitment_gaps: Vec<String>,
    pub as_of: NaiveDate,
}

/// The plan of `partner` (by id or name) for `fiscal_year` against its deals: those the partner
/// registered or co-sells (through the account), closing in the year; certifications as of
/// `today`.
pub fn plan_actuals(
    reader: Reader<'_>,
    partner: &str,
    fiscal_year: i32,
    today: NaiveDate,
) -> Result<PlanActuals> {
    let partner = reader.resolve_partner(partner)?;
    let plan = reader.business_plan(&partner.id, fiscal_year)?;
    let deals = reader.opportunities(Some(&partner.id))?;
    let items = reader.enablement_items(&partner.id)?;
    let account_names: std::collections::HashMap<String, String> = reader
        .accounts()?
        .into_iter()
        .map(|a| (a.id, a.name))
        .collect();
    Ok(sum_actuals(
        &partner,
        plan.as_ref(),
        fiscal_year,
        &deals,
        &account_names,
        Enablement {
            items: &items,
            book: &reader.rule_book()?,
            today,
        },
    ))
}

/// A partner's enablement plan and the rules that name its certifications, as of a day.
pub struct Enablement<'a> {
    pub items: &'a [EnablementItem],
    pub book: &'a RuleBook,
    pub today: NaiveDate,
}

/// Each certification commitment of `plan` against the partner's enablement plan and against
/// what its track and badges need (`needed`, from [`crate::rules::certifications_needed`]).
pub fn commitment_progress(
    plan: &BusinessPlan,
    needed: &BTreeMap<String, i64>,
    e: &Enablement<'_>,
) -> Vec<CommitmentProgress> {
    plan.certification_plan
        .iter()
        .map(|c| {
            let of_this = || {
                e.items
                    .iter()
                    .filter(|i| i.certification_id.as_deref() == Some(&c.certification_id))
            };
            let certified = of_this()
                .filter(|i| i.effective_status(e.today) == EnablementStatus::Certified)
                .count() as i64;
            let planned: Vec<Option<NaiveDate>> = of_this()
                .filter(|i| {
                    matches!(
                        i.status,
                        EnablementStatus::Planned | EnablementStatus::InProgress
                    )
                })
                .map(|i| i.target_date)
                .collect();
            let planned_by_date = planned
                .iter()
                .filter(|d| d.is_some_and(|d| d <= c.by))
                .count() as i64;
            let planned_later = planned.len() as i64 - planned_by_date;
            let in_time = certified + planned_by_date;
            let (status, late_by, short_by) = if certified >= c.count {
                (CommitmentStatus::Met, 0, 0)
            } else if in_time >= c.count {
                (CommitmentStatus::OnTrack, 0, 0)
            } else if in_time + planned_later >= c.count {
                (CommitmentStatus::Late, c.count - in_time, 0)
            } else {
                (
                    CommitmentStatus::Short,
                    0,
                    c.count - in_time - planned_later,
                )
            };
            CommitmentProgress {
                status,
                label: status.label(late_by, short_by),
                late_by,
                short_by,
                certification_id: c.certification_id.clone(),
                certification_name: e.book.certification_name(&c.certification_id).to_string(),
                committed: c.count,
                by: c.by,
                certified,
                planned_by_date,
                planned_later,
                program_needs: needed.get(&c.certification_id).copied().unwrap_or(0),
            }
        })
        .collect()
}

/// The gaps of slide 19 in words (see [`PlanActuals::commitment_gaps`]). `invited_without`: the
/// date of a Training Services Partner invitation the plan commits no one for.
fn commitment_gaps(
    invited_without: Option<NaiveDate>,
    commitments: &[CommitmentProgress],
    uncommitted: &[UncommittedNeed],
) -> Vec<String> {
    let invitation = invited_without.map(|on| {
        format!(
            "Invited to become a Training Services Partner on {on}: the plan must commit to \
             certifications (slide 19)."
        )
    });
    let below = commitments
        .iter()
        .filter(|c| c.committed < c.program_needs)
        .map(|c| {
            format!(
                "{}: {} committed, the track and badges need {}.",
                c.certification_name, c.committed, c.program_needs
            )
        });
    let missing = uncommitted.iter().map(|u| {
        format!(
            "{}: not committed, the track and badges need {}.",
            u.certification_name, u.needed
        )
    });
    invitation.into_iter().chain(below).chain(missing).collect()
}

/// The currency a partner's deals are summed in against its plan: the plan's, or the
/// partner's own without a plan.
pub fn sums_currency<'a>(partner: &'a Partner, plan: Option<&'a BusinessPlan>) -> &'a Currency {
    plan.map_or(&partner.currency, |p| &p.currency)
}

/// The sums of [`plan_actuals`], from records already read.
pub fn sum_actuals(
    partner: &Partner,
    plan: Option<&BusinessPlan>,
    fiscal_year: i32,
    deals: &[Opportunity],
    account_names: &std::collections::HashMap<String, String>,
    enablement: Enablement<'_>,
) -> PlanActuals {
    let (first_day, last_day) = fiscal_year_span(fiscal_year, FISCAL_YEAR_START_MONTH);
    let currency = sums_currency(partner, plan).clone();
    let mut conversion = Conversion::new(&enablement.book.exchange_rates, currency.clone());
    let mut sums = DealSums::default();
    let mut won = Vec::new();
    let mut lost = Vec::new();
    for o in deals
        .iter()
        .filter(|o| (first_day..=last_day).contains(&o.close_date))
    {
        sums.add(DealFacts::of(o), &mut conversion);
        let mut closed = || ClosedDeal {
            iacv_converted: conversion.convert(o.iacv, o.currency.as_str()),
            opportunity_id: o.id.clone(),
            name: o.name.clone(),
            account_name: account_names
                .get(&o.account_id)
                .cloned()
                .unwrap_or_default(),
            opportunity_type: o.opportunity_type,
            iacv: o.iacv,
            services_attach: o.services_attach,
            currency: o.currency.clone(),
            close_date: o.close_date,
            reason: o.win_loss_reason.clone(),
        };
        match o.stage {
            OpportunityStage::ClosedWon => won.push(closed()),
            OpportunityStage::ClosedLost => lost.push(closed()),
            _ => {}
        }
    }
    let needed = crate::rules::certifications_needed(partner, enablement.book);
    let certifications = plan
        .map(|p| commitment_progress(p, &needed, &enablement))
        .unwrap_or_default();
    let uncommitted: Vec<UncommittedNeed> = plan
        .map(|p| {
            // In the rules' order of certifications, as the app lists them.
            enablement
                .book
                .certifications
                .iter()
                .filter(|cert| {
                    !p.certification_plan
                        .iter()
                        .any(|c| c.certification_id == cert.id)
                })
                .filter_map(|cert| {
                    needed.get(&cert.id).map(|n| UncommittedNeed {
                        certification_id: cert.id.clone(),
                        certification_name: cert.name.clone(),
                        needed: *n,
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    let commitments_missing =
        partner.tsp_invited_on.is_some() && plan.is_none_or(|p| p.certification_plan.is_empty());
    let commitment_gaps = commitment_gaps(
        partner.tsp_invited_on.filter(|_| commitments_missing),
        &certifications,
        &uncommitted,
    );
    let latest_first = |a: &ClosedDeal, b: &ClosedDeal| b.close_date.cmp(&a.close_date);
    won.sort_by(latest_first);
    lost.sort_by(latest_first);
    PlanActuals {
        partner_id: partner.id.clone(),
        fiscal_year,
        first_day,
        last_day,
        has_plan: plan.is_some(),
        currency,
        conversion: conversion.finish(),
        growth_arr: AgainstTarget {
            target: plan.map(|p| p.growth_arr_target),
            actual: sums.growth,
        },
        new_customer_arr: AgainstTarget {
            target: plan.map(|p| p.new_customer_arr_target),
            actual: sums.new_customer,
        },
        open_pipeline: sums.open_pipeline,
        services_attach_won: sums.services_attach_won,
        won,
        lost,
        mdf_requested: plan
            .map(|p| p.mdf_requests.iter().map(|m| m.amount).sum())
            .unwrap_or_default(),
        mdf_by_quarter: plan
            .map(|p| mdf_by_quarter(&p.mdf_requests))
            .unwrap_or_default(),
        mdf_eligible: crate::rules::mdf_eligible(partner.track),
        journey_stage: partner.journey_stage,
        target_stage: plan.map(|p| p.target_stage),
        certifications,
        uncommitted,
        tsp_invited_on: partner.tsp_invited_on,
        commitments_missing,
        commitment_gaps,
        as_of: enablement.today,
    }
}
