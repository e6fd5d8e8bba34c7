//! Demo business plans: one for the current fiscal year for most partners.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate};

use super::rng::Rng;
use super::text::Filler;
use super::words::*;
use super::FISCAL_YEAR_START_MONTH;
use crate::domain::plan::fiscal_year_of;
use crate::domain::*;

/// Most partners have a plan for the current fiscal year; some also last year's, archived.
pub(super) fn business_plans(
    rng: &mut Rng,
    partner: &Partner,
    filler: &Filler<'_>,
    gaps: &BTreeMap<String, i64>,
    today: NaiveDate,
) -> Vec<BusinessPlan> {
    let year = fiscal_year_of(today, FISCAL_YEAR_START_MONTH);
    let mut out = Vec::new();
    if rng.chance(0.3) {
        let mut last = plan(
            rng,
            partner,
            filler,
            gaps,
            year - 1,
            today - Duration::days(365),
        );
        last.status = PlanStatus::Archived;
        out.push(last);
    }
    if rng.chance(0.85) {
        out.push(plan(rng, partner, filler, gaps, year, today));
    }
    out
}

fn plan(
    rng: &mut Rng,
    partner: &Partner,
    filler: &Filler<'_>,
    gaps: &BTreeMap<String, i64>,
    fiscal_year: i32,
    as_of: NaiveDate,
) -> BusinessPlan {
    let created = rng.time_within(as_of, -120, -10);
    let growth = rng.between(5, 200) * 10_000;
    let services = partner.partner_types.iter().any(|t| {
        matches!(
            t,
            PartnerType::GlobalSi
                | PartnerType::RegionalSi
                | PartnerType::BoutiqueSi
                | PartnerType::Msp
        )
    });
    let practice_size = if services {
        rng.between(2, 5)
    } else {
        rng.between(0, 1)
    } as usize;
    let next_stage = JourneyStage::ALL
        .iter()
        .copied()
        .find(|s| *s > partner.journey_stage)
        .unwrap_or(partner.journey_stage);
    let mut certification_plan: Vec<CertificationCommitment> = gaps
        .iter()
        .map(|(cert, missing)| CertificationCommitment {
            certification_id: cert.clone(),
            count: *missing,
            by: as_of + Duration::days(rng.between(30, 240)),
        })
        .collect();
    if certification_plan.is_empty() && rng.chance(0.3) {
        certification_plan.push(CertificationCommitment {
            certification_id: "sales-pro".into(),
            count: 1,
            by: as_of + Duration::days(rng.between(60, 300)),
        });
    }
    let first_value = rng.between(20, 90);
    let goal_lines = rng.between(2, 3) as usize;
    let marketing_lines = rng.between(1, 3) as usize;
    BusinessPlan {
        id: rng.id(created),
        partner_id: partner.id.clone(),
        fiscal_year,
        goals: filler.sentences(rng, PLAN_GOALS, goal_lines, "\n"),
        growth_arr_target: Money::from_dollars(growth),
        new_customer_arr_target: Money::from_dollars(growth * rng.between(3, 6) / 10),
        currency: partner.currency.clone(),
        services_practice: rng
            .sample(ServiceOffering::ALL, practice_size)
            .into_iter()
            .copied()
            .collect(),
        target_stage: if rng.chance(0.6) {
            next_stage
        } else {
            partner.journey_stage
        },
        marketing_plan: filler.sentences(rng, PLAN_MARKETING, marketing_lines, "\n"),
        mdf_requests: (0..rng.between(0, 3))
            .map(|_| {
                // Distribution partners do not submit MDF requests: theirs stay in review.
                let furthest = if crate::rules::mdf_eligible(partner.track) {
                    MdfStatus::ALL.len()
                } else {
                    2
                };
                let status = MdfStatus::ALL[rng.between(0, furthest as i64 - 1) as usize];
                MdfRequest {
                    activity: rng.pick(MDF_ACTIVITIES).to_string(),
                    amount: Money::from_dollars(rng.between(4, 50) * 500),
                    quarter: format!("Q{}", rng.between(1, 4)),
                    status,
                    reviewed_with_cam_on: (status >= MdfStatus::ReviewedWithCam)
                        .then(|| as_of - Duration::days(rng.between(5, 120))),
                }
            })
            .collect(),
        joint_webinars: rng.between(0, 6),
        certification_plan,
        kpis: TimeToValue {
            infrastructure_ready_days: rng.chance(0.8).then(|| rng.between(5, 30)),
            first_value_days: rng.chance(0.8).then_some(first_value),
            outcome_achieved_days: rng.chance(0.7).then(|| first_value + rng.between(30, 200)),
        },
        status: if rng.chance(0.65) {
            PlanStatus::Agreed
        } else {
            PlanStatus::Draft
        },
        created_at: created,
        updated_at: created,
    }
}
