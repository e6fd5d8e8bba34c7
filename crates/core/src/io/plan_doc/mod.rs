//! A business plan as a document a CAM shares with the partner: Markdown to paste, a
//! self-contained HTML page (inline CSS, no scripts, nothing fetched) to email or print, or a
//! PDF.
//!
//! Both render one [`PlanView`]: the plan with every id resolved to a name and every value
//! formatted, plus the partner's compliance as of today.

mod html;
mod markdown;

use chrono::NaiveDate;

use crate::domain::{BusinessPlan, MdfStatus, Money};
use crate::error::Result;
use crate::rules::{partner_compliance, GapClosure, PartnerCompliance};
use crate::store::Reader;
use crate::time;

/// The plan as Markdown.
pub fn plan_markdown(reader: Reader<'_>, plan: &BusinessPlan) -> Result<String> {
    Ok(markdown::render(&PlanView::gather(
        reader,
        plan,
        time::today(),
    )?))
}

/// The plan as one self-contained, print-friendly HTML page; all text is escaped.
pub fn plan_html(reader: Reader<'_>, plan: &BusinessPlan) -> Result<String> {
    Ok(html::render(&PlanView::gather(
        reader,
        plan,
        time::today(),
    )?))
}

/// The plan as a PDF on A4 pages, its fonts embedded.
pub fn plan_pdf(reader: Reader<'_>, plan: &BusinessPlan) -> Result<Vec<u8>> {
    crate::io::document::to_pdf(&html::document(&PlanView::gather(
        reader,
        plan,
        time::today(),
    )?))
}

/// Everything the document shows, as text.
struct PlanView {
    partner: String,
    title: String,
    facts: Vec<(&'static str, String)>,
    goals: String,
    arr: Vec<(&'static str, String)>,
    services: Vec<&'static str>,
    marketing_plan: String,
    /// (activity, quarter, amount)
    mdf: Vec<[String; 4]>,
    mdf_total: String,
    /// Quarter, requested, approved.
    mdf_quarters: Vec<[String; 3]>,
    joint_webinars: i64,
    /// (certification, people, by)
    certifications: Vec<[String; 3]>,
    kpis: Vec<(&'static str, String)>,
    compliance: ComplianceView,
}

pub(crate) struct ComplianceView {
    as_of: NaiveDate,
    /// "Select track: compliant"
    track: String,
    /// (certification, required, certified, gap)
    requirements: Vec<[String; 4]>,
    /// One line per badge.
    badges: Vec<String>,
}

impl PlanView {
    fn gather(reader: Reader<'_>, plan: &BusinessPlan, today: NaiveDate) -> Result<PlanView> {
        let partner = reader.partner(&plan.partner_id)?;
        let book = reader.rule_book()?;
        let items = reader.enablement_items(&partner.id)?;
        let compliance = partner_compliance(&partner, &items, &book, today);
        let mdf_total: Money = plan.mdf_requests.iter().map(|m| m.amount).sum();
        let money = |m| plan.currency.format(m);
        let days = |d: Option<i64>| match d {
            Some(1) => "1 day".to_string(),
            Some(n) => format!("{n} days"),
            None => "not set".to_string(),
        };
        Ok(PlanView {
            title: format!("{} — Business plan FY{}", partner.name, plan.fiscal_year),
            facts: vec![
                ("Partner", partner.name.clone()),
                ("Fiscal year", format!("FY{}", plan.fiscal_year)),
                ("Status", plan.status.label().to_string()),
                ("Track", partner.track.label().to_string()),
                ("Region", partner.region.label().to_string()),
                ("Channel account manager", partner.owner.clone()),
                (
                    "Journey stage today",
                    partner.journey_stage.label().to_string(),
                ),
                (
                    "Target journey stage",
                    plan.target_stage.label().to_string(),
                ),
            ],
            partner: partner.name.clone(),
            goals: plan.goals.trim().to_string(),
            arr: vec![
                ("Growth ARR", money(plan.growth_arr_target)),
                ("New-customer ARR", money(plan.new_customer_arr_target)),
                ("Total ARR", money(plan.total_arr_target())),
            ],
            services: plan.services_practice.iter().map(|s| s.label()).collect(),
            marketing_plan: plan.marketing_plan.trim().to_string(),
            mdf: plan
                .mdf_requests
                .iter()
                .map(|m| {
                    let status = match m.reviewed_with_cam_on {
                        Some(on) if m.status >= MdfStatus::ReviewedWithCam => {
                            format!("{} (reviewed {on})", m.status.label())
                        }
                        _ => m.status.label().to_string(),
                    };
                    [
                        m.activity.clone(),
                        m.quarter.clone(),
                        status,
                        money(m.amount),
                    ]
                })
                .collect(),
            mdf_total: money(mdf_total),
            mdf_quarters: crate::ops::mdf_by_quarter(&plan.mdf_requests)
                .into_iter()
                .map(|q| {
                    [
                        if q.quarter.is_empty() {
                            "No quarter".into()
                        } else {
                            q.quarter
                        },
                        money(q.requested),
                        money(q.approved),
                    ]
                })
                .collect(),
            joint_webinars: plan.joint_webinars,
            certifications: plan
                .certification_plan
                .iter()
                .map(|c| {
                    [
                        book.certification_name(&c.certification_id).to_string(),
                        c.count.to_string(),
                        c.by.to_string(),
                    ]
                })
                .collect(),
            kpis: vec![
                (
                    "Infrastructure Ready",
                    days(plan.kpis.infrastructure_ready_days),
                ),
                ("First Value", days(plan.kpis.first_value_days)),
                ("Outcome Achieved", days(plan.kpis.outcome_achieved_days)),
            ],
            compliance: ComplianceView::new(&compliance, today),
        })
    }
}

impl ComplianceView {
    pub(crate) fn new(c: &PartnerCompliance, as_of: NaiveDate) -> Self {
        let verdict = |ok: bool| if ok { "compliant" } else { "not compliant" };
        ComplianceView {
            as_of,
            track: format!(
                "{} track: {} ({})",
                c.track.track.label(),
                verdict(c.track.compliant),
                closure_text(c.track.closure)
            ),
            requirements: c
                .track
                .requirements
                .iter()
                .map(|r| {
                    [
                        r.certification_name.clone(),
                        r.required.to_string(),
                        r.certified.to_string(),
                        closure_text(r.closure),
                    ]
                })
                .collect(),
            badges: c
                .badges
                .iter()
                .map(|b| {
                    let held = if b.held { "held" } else { "not held" };
                    format!(
                        "{}: {held}, {} ({})",
                        b.badge_name,
                        if b.compliant {
                            "requirements met"
                        } else {
                            "requirements not met"
                        },
                        closure_text(b.closure)
                    )
                })
                .collect(),
        }
    }
}

/// "met", "gap closes by 2027-03-31", "gap not closed: 2 more needed".
pub(crate) fn closure_text(c: GapClosure) -> String {
    match c {
        GapClosure::Met => "met".into(),
        GapClosure::Planned { on, overdue: false } => format!("gap closes by {on}"),
        GapClosure::Planned { on, overdue: true } => {
            format!("gap closes by {on}, but the plan is behind: some target dates have passed")
        }
        GapClosure::NotClosed { short_by } => format!(
            "gap not closed by the plan: {short_by} more certification{} needed",
            if short_by == 1 { "" } else { "s" }
        ),
    }
}
