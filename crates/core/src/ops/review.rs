//! A partner review for a quarterly business review (QBR): the plan against actuals for the
//! fiscal year to date, compliance and when its gaps close, the deals won and lost in the
//! quarter with their reasons, the open next steps and the notes of the quarter.
//!
//! The app shows it and exports it as a document (HTML or PDF, see
//! [`crate::io::review_document`]) a CAM sends to the partner.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;

use super::actuals::{plan_actuals, ClosedDeal, PlanActuals};
use crate::domain::plan::{FiscalQuarter, FISCAL_YEAR_START_MONTH};
use crate::domain::*;
use crate::error::{CoreError, Result};
use crate::rules::{partner_compliance, PartnerCompliance};
use crate::store::{NoteCursor, NoteFilter, Reader};

/// An open next step, as the review lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ReviewStep {
    pub description: String,
    pub owner: String,
    pub due_on: NaiveDate,
    pub agreed_with_partner: bool,
    pub overdue: bool,
}

/// A call note of the quarter, as the review lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ReviewNote {
    pub note_id: String,
    pub occurred_on: NaiveDate,
    pub title: String,
    pub body: String,
    pub author: String,
    pub account_name: Option<String>,
}

/// Everything a partner review shows.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PartnerReview {
    pub partner_id: String,
    pub partner_name: String,
    pub channel_manager: String,
    pub track: Track,
    pub region: Region,
    pub quarter: FiscalQuarter,
    pub as_of: NaiveDate,
    pub plan_status: Option<PlanStatus>,
    /// The fiscal year of the quarter, to date.
    pub actuals: PlanActuals,
    /// As of `as_of`, with the dates the enablement plan closes each gap.
    pub compliance: PartnerCompliance,
    pub won_in_quarter: Vec<ClosedDeal>,
    pub lost_in_quarter: Vec<ClosedDeal>,
    /// Soonest first; overdue ones are flagged.
    pub open_next_steps: Vec<ReviewStep>,
    /// Newest first.
    pub notes: Vec<ReviewNote>,
}

/// Reads a quarter written `Q3`, `3`, `Q3 FY27` or `FY27 Q3`; a quarter without a year is in
/// the fiscal year of `today`.
pub fn parse_quarter(text: &str, today: NaiveDate) -> Result<FiscalQuarter> {
    let bad = || {
        CoreError::invalid(
            "quarter",
            format!("{text:?} is not a quarter: write Q1 to Q4, optionally with a year (Q3 FY27)"),
        )
    };
    let mut quarter = None;
    let mut year = None;
    for word in text.split_whitespace() {
        let upper = word.to_ascii_uppercase();
        if let Some(q) = upper.strip_prefix('Q') {
            quarter = Some(q.parse::<u32>().map_err(|_| bad())?);
        } else if upper.starts_with("FY") || upper.len() == 4 {
            year = Some(super::plans::parse_fiscal_year("quarter", word)?);
        } else {
            quarter = Some(upper.parse::<u32>().map_err(|_| bad())?);
        }
    }
    let fiscal_year = year
        .unwrap_or_else(|| FiscalQuarter::containing(today, FISCAL_YEAR_START_MONTH).fiscal_year);
    FiscalQuarter::new(
        fiscal_year,
        quarter.ok_or_else(bad)?,
        FISCAL_YEAR_START_MONTH,
    )
    .ok_or_else(bad)
}

/// The review of `partner` (by id or name) for `quarter` (the current one when `None`), as of
/// `today`.
pub fn partner_review(
    reader: Reader<'_>,
    partner: &str,
    quarter: Option<FiscalQuarter>,
    today: NaiveDate,
) -> Result<PartnerReview> {
    let partner = reader.resolve_partner(partner)?;
    let quarter =
        quarter.unwrap_or_else(|| FiscalQuarter::containing(today, FISCAL_YEAR_START_MONTH));
    let actuals = plan_actuals(reader, &partner.id, quarter.fiscal_year, today)?;
    let plan_status = reader
        .business_plan(&partner.id, quarter.fiscal_year)?
        .map(|p| p.status);
    let compliance = partner_compliance(
        &partner,
        &reader.enablement_items(&partner.id)?,
        &reader.rule_book()?,
        today,
    );
    let in_quarter = |deals: &[ClosedDeal]| -> Vec<ClosedDeal> {
        deals
            .iter()
            .filter(|d| quarter.contains(d.close_date))
            .cloned()
            .collect()
    };
    let mut open_next_steps: Vec<ReviewStep> = reader
        .next_steps_for_partner(&partner.id)?
        .into_iter()
        .filter(|s| s.status == NextStepStatus::Open)
        .map(|s| ReviewStep {
            overdue: s.due_on < today,
            description: s.description,
            owner: s.owner,
            due_on: s.due_on,
            agreed_with_partner: s.agreed_with_partner,
        })
        .collect();
    open_next_steps.sort_by(|a, b| (a.due_on, &a.description).cmp(&(b.due_on, &b.description)));
    Ok(PartnerReview {
        won_in_quarter: in_quarter(&actuals.won),
        lost_in_quarter: in_quarter(&actuals.lost),
        notes: quarter_notes(reader, &partner.id, &quarter)?,
        partner_id: partner.id,
        partner_name: partner.name,
        channel_manager: partner.owner,
        track: partner.track,
        region: partner.region,
        quarter,
        as_of: today,
        plan_status,
        actuals,
        compliance,
        open_next_steps,
    })
}

/// The partner's notes that happened in the quarter, newest first, read a page at a time from
/// the newest until the quarter's first day.
fn quarter_notes(
    reader: Reader<'_>,
    partner_id: &str,
    quarter: &FiscalQuarter,
) -> Result<Vec<ReviewNote>> {
    const PAGE: usize = 500;
    let account_names: HashMap<String, String> = reader
        .accounts()?
        .into_iter()
        .map(|a| (a.id, a.name))
        .collect();
    let mut notes = Vec::new();
    let mut before = None;
    loop {
        let page = reader.notes(&NoteFilter {
            partner_id: Some(partner_id.to_string()),
            before: before.take(),
            limit: PAGE,
            ..Default::default()
        })?;
        let full = page.len() == PAGE;
        let mut reached_start = false;
        for n in &page {
            let day = n.occurred_at.date();
            if day < quarter.first_day {
                reached_start = true;
                break;
            }
            if day <= quarter.last_day {
                notes.push(ReviewNote {
                    note_id: n.id.clone(),
                    occurred_on: day,
                    title: n.title.clone(),
                    body: n.body.clone(),
                    author: n.author.clone(),
                    account_name: n
                        .account_id
                        .as_ref()
                        .and_then(|a| account_names.get(a).cloned()),
                });
            }
        }
        match page.last() {
            Some(last) if full && !reached_start => {
                before = Some(NoteCursor {
                    occurred_at: last.occurred_at.to_text(),
                    id: last.id.clone(),
                })
            }
            _ => return Ok(notes),
        }
    }
}
