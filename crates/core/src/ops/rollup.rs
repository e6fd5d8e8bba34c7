//! A manager's roll-up: per CAM, their partners with compliance gaps, plans agreed, pipeline
//! and closed-won against the plans' targets for a fiscal year, and overdue partner tasks;
//! each CAM's partners listed beneath, to drill into.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;

use super::actuals::DealSums;
use super::audience::Audience;
use crate::domain::plan::{fiscal_year_span, FISCAL_YEAR_START_MONTH};
use crate::domain::*;
use crate::error::Result;
use crate::rules::{partner_compliance, Conversion, Converted};
use crate::store::Reader;

/// One partner's line in a CAM's roll-up.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PartnerRollup {
    pub partner_id: String,
    pub partner_name: String,
    pub track: Track,
    pub compliance_gap: bool,
    /// The fiscal year's plan status; `None` without a plan.
    pub plan_status: Option<PlanStatus>,
    /// Growth plus new-customer ARR: the plan's targets (`None` without a plan) and what was
    /// won.
    pub arr_target: Option<Money>,
    pub arr_won: Money,
    pub open_pipeline: Money,
    pub overdue_tasks: usize,
}

/// One CAM's partners, summed.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CamRollup {
    pub cam: String,
    pub partners: usize,
    pub compliance_gaps: usize,
    pub plans_agreed: usize,
    pub arr_target: Money,
    pub arr_won: Money,
    pub open_pipeline: Money,
    pub overdue_tasks: usize,
    /// Their partners, most to act on first (gaps, then overdue tasks).
    pub lines: Vec<PartnerRollup>,
}

/// The roll-up of a fiscal year for an audience (a manager's team), CAMs by name. Every amount
/// is in the base currency (US dollars): partners sell in several.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Rollup {
    pub fiscal_year: i32,
    pub currency: Currency,
    /// How plans and deals in other currencies were converted, in words.
    pub conversion: Converted,
    pub cams: Vec<CamRollup>,
}

/// The roll-up of `fiscal_year` as of `today`, for the partners `audience` covers.
pub fn rollup(
    reader: Reader<'_>,
    today: NaiveDate,
    fiscal_year: i32,
    audience: &Audience,
) -> Result<Rollup> {
    let items = reader.enablement_items_by_partner()?;
    let book = reader.rule_book()?;
    let partners: Vec<Partner> = reader
        .partners(&Default::default())?
        .into_iter()
        .filter(|p| audience.partner(Some(&p.id)))
        .collect();
    let plans: HashMap<String, BusinessPlan> = reader
        .business_plans_for_year(fiscal_year)?
        .into_iter()
        .map(|p| (p.partner_id.clone(), p))
        .collect();
    // Only the columns summed are read; the one rule of what counts where is `DealSums::add`,
    // which plan against actuals for one partner uses too.
    let (first_day, last_day) = fiscal_year_span(fiscal_year, FISCAL_YEAR_START_MONTH);
    let mut conversion = Conversion::new(&book.exchange_rates, Currency::default());
    let mut sums: HashMap<String, DealSums> = HashMap::new();
    reader.for_each_deal_closing(first_day, last_day, |partner, d| {
        match sums.get_mut(partner) {
            Some(s) => s.add(d, &mut conversion),
            None => sums
                .entry(partner.to_string())
                .or_default()
                .add(d, &mut conversion),
        }
    })?;
    let overdue = reader.overdue_counts_by_partner(today)?;

    let mut by_cam: std::collections::BTreeMap<String, Vec<PartnerRollup>> = Default::default();
    for p in &partners {
        let mine = items.get(&p.id).map_or(&[][..], Vec::as_slice);
        let plan = plans.get(&p.id);
        let deals = sums.get(&p.id).copied().unwrap_or_default();
        by_cam
            .entry(p.owner.clone())
            .or_default()
            .push(PartnerRollup {
                partner_id: p.id.clone(),
                partner_name: p.name.clone(),
                track: p.track,
                compliance_gap: partner_compliance(p, mine, &book, today).has_gap(),
                plan_status: plan.map(|pl| pl.status),
                arr_target: plan
                    .and_then(|pl| conversion.convert(pl.total_arr_target(), pl.currency.as_str())),
                arr_won: deals.arr_won(),
                open_pipeline: deals.open_pipeline,
                overdue_tasks: overdue.get(&p.id).copied().unwrap_or(0),
            });
    }
    let cams = by_cam
        .into_iter()
        .map(|(cam, mut lines)| {
            lines.sort_by(|a, b| {
                (b.compliance_gap, b.overdue_tasks, &a.partner_name).cmp(&(
                    a.compliance_gap,
                    a.overdue_tasks,
                    &b.partner_name,
                ))
            });
            CamRollup {
                partners: lines.len(),
                compliance_gaps: lines.iter().filter(|l| l.compliance_gap).count(),
                plans_agreed: lines
                    .iter()
                    .filter(|l| l.plan_status == Some(PlanStatus::Agreed))
                    .count(),
                arr_target: lines.iter().filter_map(|l| l.arr_target).sum(),
                arr_won: lines.iter().map(|l| l.arr_won).sum(),
                open_pipeline: lines.iter().map(|l| l.open_pipeline).sum(),
                overdue_tasks: lines.iter().map(|l| l.overdue_tasks).sum(),
                cam,
                lines,
            }
        })
        .collect();
    Ok(Rollup {
        fiscal_year,
        currency: conversion.currency().clone(),
        conversion: conversion.finish(),
        cams,
    })
}
