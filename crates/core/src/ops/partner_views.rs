//! Partner reads: the filtered list (plain, or as lines with what a CAM scans for) and
//! everything about one partner on one page.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::actuals::{sums_currency, DealSums};
use super::enablement::{enablement_plan, EnablementLine};
use super::input;
use crate::domain::plan::{fiscal_year_of, fiscal_year_span, FISCAL_YEAR_START_MONTH};
use crate::domain::*;
use crate::error::Result;
use crate::rules::{
    compliance_for_all, partner_compliance, Conversion, GapClosure, PartnerCompliance,
    RequirementStatus, ReviewStatus,
};
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
    reader.partners(&filter_of(query)?)
}

fn filter_of(query: &PartnerQuery) -> Result<PartnerFilter> {
    Ok(PartnerFilter {
        track: input::optional("track", query.track.as_deref(), Track::parse)?,
        region: input::optional("region", query.region.as_deref(), Region::parse)?,
        stage: input::optional("stage", query.stage.as_deref(), JourneyStage::parse)?,
        partner_type: input::optional("type", query.partner_type.as_deref(), PartnerType::parse)?,
        owner: query.owner.clone().filter(|o| !o.trim().is_empty()),
        name_contains: query.name.clone(),
    })
}

/// A partner as the partners list shows it: the record itself (flattened: `id`, `name`,
/// `partner_types`, `track`, `region`, `journey_stage`, `owner`, `last_phd_review`, …) and what
/// a CAM scans for: compliance, the current fiscal year's plan and closed-won ARR against its
/// target, the next review and the last call note.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PartnerLine {
    #[serde(flatten)]
    pub partner: Partner,
    pub compliance: ComplianceStatus,
    /// The fiscal year `today` falls in: the year of the plan and of the closed-won sum.
    pub fiscal_year: i32,
    /// That year's business plan status; `None` without a plan.
    pub plan_status: Option<PlanStatus>,
    /// The plan's growth plus new-customer ARR target; `None` without a plan.
    pub arr_target: Option<Money>,
    /// Closed-won IACV of the year's new business, add-ons and renewals (services-only deals
    /// carry no ARR) on deals the partner registered or co-sells through the account: the same
    /// sum as the plan against actuals.
    pub arr_won: Money,
    /// The currency of `arr_target` and `arr_won`: the plan's, or the partner's without a plan.
    pub arr_currency: Currency,
    /// How deals in other currencies were converted into `arr_currency`, in words; empty when
    /// none were.
    pub arr_conversion: Vec<String>,
    /// The next badge review (seed 001: every year in the month the badge was granted): the
    /// soonest among the badges the partner holds; `None` when it holds none. The PHD review
    /// has no cadence in the rules tables, so only its last date is given (`last_phd_review`).
    pub next_review: Option<NextReview>,
    /// The latest call note on the partner.
    pub last_note: Option<PartnerNote>,
}

/// Where a partner stands against its track and the badges it holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum ComplianceStatus {
    /// The track and every held badge are met.
    Compliant,
    /// The track or a held badge is not met.
    Gap {
        /// Certifications still missing. One person counts toward the track and every badge,
        /// so per certification this is the largest shortfall, not the sum.
        missing: i64,
        /// When the enablement plan closes every gap, or by how many certifications it falls
        /// short.
        closure: GapClosure,
    },
}

impl ComplianceStatus {
    /// The status of a partner's compliance report.
    pub fn of(c: &PartnerCompliance) -> Self {
        if !c.has_gap() {
            return ComplianceStatus::Compliant;
        }
        // The requirements in play: the track's and those of held badges out of compliance.
        // Per certification the largest requirement decides (the same roster answers all).
        let mut by_cert: std::collections::HashMap<&str, &RequirementStatus> = Default::default();
        let held_at_risk = c.badges.iter().filter(|b| b.held && !b.compliant);
        for r in c
            .track
            .requirements
            .iter()
            .chain(held_at_risk.flat_map(|b| b.requirements.iter()))
        {
            let slot = by_cert.entry(&r.certification_id).or_insert(r);
            if r.required > slot.required {
                *slot = r;
            }
        }
        ComplianceStatus::Gap {
            missing: by_cert.values().map(|r| r.missing).sum(),
            closure: GapClosure::all(by_cert.values().map(|r| r.closure)),
        }
    }
}

/// A held badge's next yearly review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct NextReview {
    /// The first day of the review month.
    pub on: NaiveDate,
    pub badge_name: String,
    pub status: ReviewStatus,
}

/// A partner's latest call note.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PartnerNote {
    pub id: String,
    pub title: String,
    /// The start of the body on one line, cut at [`SNIPPET_CHARS`] with an ellipsis.
    pub snippet: String,
    pub occurred_at: crate::time::Timestamp,
}

/// How much of a note's body the partners list shows.
pub const SNIPPET_CHARS: usize = 120;

fn snippet(body: &str) -> String {
    let flat = body.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= SNIPPET_CHARS {
        return flat;
    }
    let mut cut: String = flat.chars().take(SNIPPET_CHARS - 1).collect();
    cut.push('…');
    cut
}

/// Partners matching the query, in name order, each with its compliance, plan and closed-won
/// ARR for the fiscal year of `today`, next badge review and last note. A fixed number of
/// queries whatever the number of partners: the deals closing in the year are read once (by
/// close date) and summed per partner in one pass, in the currency of its plan.
pub fn list_partner_lines(
    reader: Reader<'_>,
    query: &PartnerQuery,
    today: NaiveDate,
) -> Result<Vec<PartnerLine>> {
    let partners = reader.partners(&filter_of(query)?)?;
    let book = reader.rule_book()?;
    let items = reader.enablement_items_by_partner()?;
    let fiscal_year = fiscal_year_of(today, FISCAL_YEAR_START_MONTH);
    let mut plans: HashMap<String, BusinessPlan> = reader
        .business_plans_for_year(fiscal_year)?
        .into_iter()
        .map(|p| (p.partner_id.clone(), p))
        .collect();
    let currencies: HashMap<&str, &Currency> = partners
        .iter()
        .map(|p| (p.id.as_str(), sums_currency(p, plans.get(&p.id))))
        .collect();
    let mut sums = deal_sums_by_partner(reader, fiscal_year, &book.exchange_rates, &currencies)?;
    let mut notes = reader.last_note_per_partner()?;
    Ok(partners
        .into_iter()
        .map(|partner| {
            let mine = items.get(&partner.id).map_or(&[][..], Vec::as_slice);
            let compliance = partner_compliance(&partner, mine, &book, today);
            let plan = plans.remove(&partner.id);
            PartnerLine {
                compliance: ComplianceStatus::of(&compliance),
                fiscal_year,
                plan_status: plan.as_ref().map(|p| p.status),
                arr_target: plan.as_ref().map(BusinessPlan::total_arr_target),
                arr_won: sums
                    .get(&partner.id)
                    .map(|(sums, _)| sums.arr_won())
                    .unwrap_or_default(),
                arr_currency: sums_currency(&partner, plan.as_ref()).clone(),
                arr_conversion: sums
                    .remove(&partner.id)
                    .map(|(_, c)| c.finish().lines)
                    .unwrap_or_default(),
                next_review: compliance
                    .badges
                    .iter()
                    .filter_map(|b| {
                        b.review.map(|r| NextReview {
                            on: r.next_review,
                            badge_name: b.badge_name.clone(),
                            status: r.status,
                        })
                    })
                    .min_by_key(|r| r.on),
                last_note: notes
                    .remove(&partner.id)
                    .map(|(id, title, body, at)| PartnerNote {
                        id,
                        title,
                        snippet: snippet(&body),
                        occurred_at: at,
                    }),
                partner,
            }
        })
        .collect())
}

/// The deals of `fiscal_year` summed per partner listed in `currencies`, each in its currency
/// there: the sums plan against actuals makes (a deal counts for the partner that registered it
/// and for the one co-selling its account), with how other currencies were converted.
fn deal_sums_by_partner<'b>(
    reader: Reader<'_>,
    fiscal_year: i32,
    rates: &'b [ExchangeRate],
    currencies: &HashMap<&str, &Currency>,
) -> Result<HashMap<String, (DealSums, Conversion<'b>)>> {
    let (first, last) = fiscal_year_span(fiscal_year, FISCAL_YEAR_START_MONTH);
    let mut sums: HashMap<String, (DealSums, Conversion<'b>)> = HashMap::new();
    reader.for_each_deal_closing(first, last, |partner, deal| {
        let Some(currency) = currencies.get(partner) else {
            return;
        };
        let (s, c) = match sums.get_mut(partner) {
            Some(entry) => entry,
            None => sums.entry(partner.to_string()).or_insert_with(|| {
                (
                    DealSums::default(),
                    Conversion::new(rates, (*currency).clone()),
                )
            }),
        };
        s.add(deal, c);
    })?;
    Ok(sums)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{BadgeCompliance, TrackCompliance};

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn req(cert: &str, required: i64, certified: i64, closure: GapClosure) -> RequirementStatus {
        RequirementStatus {
            certification_id: cert.into(),
            certification_name: cert.to_uppercase(),
            required,
            certified,
            missing: (required - certified).max(0),
            planned: 0,
            undated: 0,
            closure,
        }
    }

    fn badge(held: bool, compliant: bool, reqs: Vec<RequirementStatus>) -> BadgeCompliance {
        BadgeCompliance {
            badge_id: "psp".into(),
            badge_name: "PSP".into(),
            held,
            requires_track_compliance: true,
            compliant,
            closure: GapClosure::all(reqs.iter().map(|r| r.closure)),
            requirements: reqs,
            review: None,
            granted_on: None,
            history: Vec::new(),
            evidence: Vec::new(),
        }
    }

    fn select_partner(
        track: Vec<RequirementStatus>,
        badges: Vec<BadgeCompliance>,
    ) -> PartnerCompliance {
        PartnerCompliance {
            partner_id: "p".into(),
            partner_name: "P".into(),
            track: TrackCompliance {
                track: Track::Select,
                compliant: track.iter().all(|r| r.missing == 0),
                closure: GapClosure::all(track.iter().map(|r| r.closure)),
                requirements: track,
            },
            badges,
        }
    }

    #[test]
    fn a_person_short_for_the_track_and_a_held_badge_counts_once() {
        // Select wants 1 PSE, a held PSP 3; nobody is certified and two are planned.
        let planned = GapClosure::Planned {
            on: d("2027-01-10"),
            overdue: false,
        };
        let c = select_partner(
            vec![
                req("pse", 1, 0, planned),
                req("sales-core", 4, 4, GapClosure::Met),
            ],
            vec![badge(
                true,
                false,
                vec![req("pse", 3, 0, GapClosure::NotClosed { short_by: 1 })],
            )],
        );
        assert_eq!(
            ComplianceStatus::of(&c),
            ComplianceStatus::Gap {
                missing: 3,
                closure: GapClosure::NotClosed { short_by: 1 }
            }
        );
    }

    #[test]
    fn a_badge_not_held_is_no_gap_and_the_latest_planned_date_closes_the_gap() {
        let on = |s| GapClosure::Planned {
            on: d(s),
            overdue: false,
        };
        let c = select_partner(
            vec![req("pse", 1, 1, GapClosure::Met)],
            vec![badge(
                false,
                false,
                vec![req("pse", 3, 1, GapClosure::NotClosed { short_by: 2 })],
            )],
        );
        assert_eq!(ComplianceStatus::of(&c), ComplianceStatus::Compliant);
        let c = select_partner(
            vec![
                req("sales-core", 4, 3, on("2027-02-01")),
                req("sa-core", 2, 1, on("2027-04-01")),
            ],
            vec![],
        );
        assert_eq!(
            ComplianceStatus::of(&c),
            ComplianceStatus::Gap {
                missing: 2,
                closure: on("2027-04-01")
            }
        );
    }

    #[test]
    fn a_snippet_is_one_line_and_cut_with_an_ellipsis() {
        assert_eq!(snippet("  Agreed\n\n the plan  "), "Agreed the plan");
        let long = snippet(&"word ".repeat(100));
        assert_eq!(long.chars().count(), SNIPPET_CHARS);
        assert!(long.ends_with('…'));
    }
}
