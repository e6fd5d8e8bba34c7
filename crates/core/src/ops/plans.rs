//! Business plan use cases: one plan per partner and fiscal year, created on first save and
//! changed field by field afterwards; its status (draft, agreed with partner, archived).

use serde::{Deserialize, Serialize};

use super::{input, resolve};
use crate::domain::*;
use crate::error::{CoreError, Result};
use crate::store::{Reader, Store};

/// Changes to the plan of `partner` for `fiscal_year`; only the fields given change, and the
/// plan is created (as a draft) when it does not exist yet.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct PlanChanges {
    /// The partner, by id or name.
    pub partner: String,
    /// e.g. 2027 for FY27 (see [`parse_fiscal_year`]).
    pub fiscal_year: i32,
    pub goals: Option<String>,
    pub growth_arr_target: Option<String>,
    pub new_customer_arr_target: Option<String>,
    /// ISO 4217 code of the targets and MDF amounts; a new plan takes the partner's.
    pub currency: Option<String>,
    /// Replaces the list: service offering codes or labels.
    #[cfg_attr(feature = "specta", specta(type = Option<Vec<ServiceOffering>>))]
    pub services_practice: Option<Vec<String>>,
    #[cfg_attr(feature = "specta", specta(type = Option<JourneyStage>))]
    pub target_stage: Option<String>,
    pub marketing_plan: Option<String>,
    /// Replaces the list.
    pub mdf_requests: Option<Vec<MdfRequestInput>>,
    pub joint_webinars: Option<i64>,
    /// Replaces the list ("slide 19").
    pub certification_plan: Option<Vec<CommitmentInput>>,
    pub infrastructure_ready_days: Option<i64>,
    pub first_value_days: Option<i64>,
    pub outcome_achieved_days: Option<i64>,
    #[cfg_attr(feature = "specta", specta(type = Option<PlanStatus>))]
    pub status: Option<String>,
}

/// An MDF request as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct MdfRequestInput {
    pub activity: String,
    pub amount: String,
    /// e.g. "Q2"
    pub quarter: String,
    /// Drafted when not given.
    #[cfg_attr(feature = "specta", specta(type = Option<MdfStatus>))]
    pub status: Option<String>,
    /// `YYYY-MM-DD`; needed from "reviewed with the CAM" on.
    pub reviewed_with_cam_on: Option<String>,
}

/// A certification commitment as typed: `count` people certified in `certification` by `by`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct CommitmentInput {
    pub certification: String,
    pub count: i64,
    pub by: String,
}

/// Reads a fiscal year written `2027`, `FY27` or `FY2027`.
pub fn parse_fiscal_year(field: &str, text: &str) -> Result<i32> {
    let t = text.trim();
    let digits = t
        .strip_prefix("FY")
        .or_else(|| t.strip_prefix("fy"))
        .or_else(|| t.strip_prefix("Fy"))
        .unwrap_or(t);
    let bad = || {
        CoreError::invalid(
            field,
            format!("{text:?} is not a fiscal year; write 2027 or FY27"),
        )
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err(bad());
    }
    let year: i32 = digits.parse().map_err(|_| bad())?;
    match digits.len() {
        2 => Ok(2000 + year),
        4 => Ok(year),
        _ => Err(bad()),
    }
}

fn money(field: &str, text: &Option<String>) -> Result<Option<Money>> {
    input::optional_money(field, text.as_deref())
}

/// Creates or updates the plan of a partner for a fiscal year with the fields given.
pub fn save_plan(store: &mut Store, changes: &PlanChanges) -> Result<BusinessPlan> {
    let growth = money("growth_arr_target", &changes.growth_arr_target)?;
    let new_customer = money("new_customer_arr_target", &changes.new_customer_arr_target)?;
    let stage = input::optional(
        "target_stage",
        changes.target_stage.as_deref(),
        JourneyStage::parse,
    )?;
    let status = input::optional("status", changes.status.as_deref(), PlanStatus::parse)?;
    let currency = input::optional("currency", changes.currency.as_deref(), Currency::parse)?;
    let practice = match &changes.services_practice {
        Some(list) => Some(input::list(
            "services_practice",
            list,
            ServiceOffering::parse,
        )?),
        None => None,
    };
    let mdf = match &changes.mdf_requests {
        Some(list) => Some(
            list.iter()
                .map(|m| {
                    Ok(MdfRequest {
                        activity: m.activity.trim().to_string(),
                        amount: Money::parse("mdf_requests.amount", &m.amount)?,
                        quarter: m.quarter.trim().to_string(),
                        status: input::optional(
                            "mdf_requests.status",
                            m.status.as_deref(),
                            MdfStatus::parse,
                        )?
                        .unwrap_or_default(),
                        reviewed_with_cam_on: input::optional_date(
                            "mdf_requests.reviewed_with_cam_on",
                            m.reviewed_with_cam_on.as_deref(),
                        )?,
                    })
                })
                .collect::<Result<Vec<_>>>()?,
        ),
        None => None,
    };
    store.write(|w| {
        let reader = w.read();
        let partner = reader.resolve_partner(&changes.partner)?;
        let mut plan = reader
            .business_plan(&partner.id, changes.fiscal_year)?
            .unwrap_or_else(|| BusinessPlan {
                currency: partner.currency.clone(),
                ..BusinessPlan::draft(&partner.id, changes.fiscal_year)
            });
        if let Some(currency) = &currency {
            plan.currency = currency.clone();
        }
        if let Some(commitments) = &changes.certification_plan {
            let book = reader.rule_book()?;
            plan.certification_plan = commitments
                .iter()
                .map(|c| {
                    Ok(CertificationCommitment {
                        certification_id: resolve::certification(&book, &c.certification)?
                            .id
                            .clone(),
                        count: c.count,
                        by: input::date("certification_plan.by", &c.by)?,
                    })
                })
                .collect::<Result<Vec<_>>>()?;
        }
        if let Some(goals) = &changes.goals {
            plan.goals = goals.clone();
        }
        plan.growth_arr_target = growth.unwrap_or(plan.growth_arr_target);
        plan.new_customer_arr_target = new_customer.unwrap_or(plan.new_customer_arr_target);
        if let Some(practice) = practice {
            plan.services_practice = practice;
        }
        plan.target_stage = stage.unwrap_or(plan.target_stage);
        if let Some(marketing) = &changes.marketing_plan {
            plan.marketing_plan = marketing.clone();
        }
        if let Some(mdf) = mdf {
            if let Some(sent) = mdf.iter().find(|m| m.status.is_submitted()) {
                if !crate::rules::mdf_eligible(partner.track) {
                    return Err(CoreError::invalid(
                        "mdf_requests.status",
                        format!(
                            "{:?} cannot be {}: {} is a {} partner, and only Select and Open \
                             partners submit MDF requests",
                            sent.activity,
                            sent.status.label().to_lowercase(),
                            partner.name,
                            partner.track
                        ),
                    ));
                }
            }
            plan.mdf_requests = mdf;
        }
        plan.joint_webinars = changes.joint_webinars.unwrap_or(plan.joint_webinars);
        let kpis = &mut plan.kpis;
        kpis.infrastructure_ready_days = changes
            .infrastructure_ready_days
            .or(kpis.infrastructure_ready_days);
        kpis.first_value_days = changes.first_value_days.or(kpis.first_value_days);
        kpis.outcome_achieved_days = changes.outcome_achieved_days.or(kpis.outcome_achieved_days);
        plan.status = status.unwrap_or(plan.status);
        w.put(&plan)?;
        Ok(w.read()
            .business_plan(&partner.id, changes.fiscal_year)?
            .unwrap_or(plan))
    })
}

/// Sets the status of an existing plan (draft, agreed with the partner, archived).
pub fn set_plan_status(
    store: &mut Store,
    partner: &str,
    fiscal_year: i32,
    status: &str,
) -> Result<BusinessPlan> {
    let status = PlanStatus::parse("status", status)?;
    store.write(|w| {
        let mut plan = plan_for(w.read(), partner, Some(fiscal_year))?;
        plan.status = status;
        w.put(&plan)?;
        plan_for(w.read(), partner, Some(fiscal_year))
    })
}

/// The plan of a partner (by id or name) for a fiscal year, or its latest plan.
pub fn plan_for(
    reader: Reader<'_>,
    partner: &str,
    fiscal_year: Option<i32>,
) -> Result<BusinessPlan> {
    let p = reader.resolve_partner(partner)?;
    let found = match fiscal_year {
        Some(year) => reader.business_plan(&p.id, year)?,
        None => reader.business_plans(&p.id)?.into_iter().next(),
    };
    found.ok_or_else(|| CoreError::NotFound {
        entity: "business plan",
        id: match fiscal_year {
            Some(year) => format!("{} FY{}", p.name, year % 100),
            None => p.name.clone(),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fiscal_years_in_common_notations() {
        assert_eq!(parse_fiscal_year("year", "2027").unwrap(), 2027);
        assert_eq!(parse_fiscal_year("year", "FY27").unwrap(), 2027);
        assert_eq!(parse_fiscal_year("year", "fy2028").unwrap(), 2028);
        for bad in ["", "FY", "27x", "202", "FY-27"] {
            assert!(parse_fiscal_year("year", bad).is_err(), "{bad:?}");
        }
    }
}
