//! Partner reads: the filtered list and everything about one partner on one page.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::enablement::{enablement_plan, EnablementLine};
use super::input;
use crate::domain::*;
use crate::error::Result;
use crate::rules::{compliance_for_all, partner_compliance, PartnerCompliance};
use crate::store::{PartnerFilter, Reader};

/// Filters of the partner list, as typed; `None` (or blank) means any.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct PartnerQuery {
    pub track: Option<String>,
    pub region: Option<String>,
    pub stage: Option<String>,
    pub partner_type: Option<String>,
    pub owner: Option<String>,
    /// Part of the name, ignoring case.
    pub name: Option<String>,
}

/// Partners matching the query, in name order.
pub fn list_partners(reader: Reader<'_>, query: &PartnerQuery) -> Result<Vec<Partner>> {
    let filter = PartnerFilter {
        track: input::optional("track", query.track.as_deref(), Track::parse)?,
        region: input::optional("region", query.region.as_deref(), Region::parse)?,
        stage: input::optional("stage", query.stage.as_deref(), JourneyStage::parse)?,
        partner_type: input::optional("type", query.partner_type.as_deref(), PartnerType::parse)?,
        owner: query.owner.clone().filter(|o| !o.trim().is_empty()),
        name_contains: query.name.clone(),
    };
    reader.partners(&filter)
}

/// One capability of the journey checklist and whether the partner has ticked it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CapabilityTick {
    pub id: String,
    pub stage: JourneyStage,
    pub area: String,
    pub label: String,
    pub ticked: bool,
}

/// One business plan in a partner's list of plans.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PlanHeadline {
    pub id: String,
    pub fiscal_year: i32,
    pub status: PlanStatus,
    pub total_arr_target: Money,
}

/// Everything about one partner: the record, its journey checklist, people, enablement plan,
/// compliance as of a date, and its business plans.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PartnerDetail {
    pub partner: Partner,
    pub solution_provider: bool,
    pub checklist: Vec<CapabilityTick>,
    pub people: Vec<Person>,
    pub enablement: Vec<EnablementLine>,
    pub compliance: PartnerCompliance,
    pub plans: Vec<PlanHeadline>,
}

/// A partner (by id or name) with everything about it, as of `today`.
pub fn partner_detail(
    reader: Reader<'_>,
    partner: &str,
    today: NaiveDate,
) -> Result<PartnerDetail> {
    let partner = reader.resolve_partner(partner)?;
    let book = reader.rule_book()?;
    let items = reader.enablement_items(&partner.id)?;
    let compliance = partner_compliance(&partner, &items, &book, today);
    let checklist = book
        .journey_capabilities
        .iter()
        .map(|c| CapabilityTick {
            id: c.id.clone(),
            stage: c.stage,
            area: c.area.clone(),
            label: c.label.clone(),
            ticked: partner.capabilities.contains(&c.id),
        })
        .collect();
    let plans = reader
        .business_plans(&partner.id)?
        .into_iter()
        .map(|p| PlanHeadline {
            total_arr_target: p.total_arr_target(),
            id: p.id,
            fiscal_year: p.fiscal_year,
            status: p.status,
        })
        .collect();
    Ok(PartnerDetail {
        solution_provider: partner.is_solution_provider(),
        checklist,
        people: reader.people(&partner.id)?,
        enablement: enablement_plan(reader, &partner.id, today)?,
        compliance,
        plans,
        partner,
    })
}

/// Compliance of one partner (by id or name) or of all, optionally only those with a gap.
pub fn compliance_report(
    reader: Reader<'_>,
    partner: Option<&str>,
    gaps_only: bool,
    today: NaiveDate,
) -> Result<Vec<PartnerCompliance>> {
    let all = match partner {
        Some(key) => {
            let p = reader.resolve_partner(key)?;
            let items = reader.enablement_items(&p.id)?;
            vec![partner_compliance(&p, &items, &reader.rule_book()?, today)]
        }
        None => compliance_for_all(reader, &PartnerFilter::default(), today)?,
    };
    Ok(all
        .into_iter()
        .filter(|c| !gaps_only || c.has_gap())
        .collect())
}
