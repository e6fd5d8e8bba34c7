//! Business plans: what a partner commits to for one fiscal year.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::enums::{JourneyStage, MdfStatus, PlanStatus, ServiceOffering};
use super::money::{Currency, Money};
use super::validate;
use crate::error::{DomainError, Result};
use crate::time::Timestamp;

/// One partner's plan for one fiscal year (at most one per partner and year).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct BusinessPlan {
    pub id: String,
    pub partner_id: String,
    /// The fiscal year, e.g. 2027 for FY27.
    pub fiscal_year: i32,
    pub goals: String,
    pub growth_arr_target: Money,
    pub new_customer_arr_target: Money,
    /// The currency of the targets and MDF requests: the partner's when the plan was begun.
    #[serde(default)]
    pub currency: Currency,
    pub services_practice: Vec<ServiceOffering>,
    pub target_stage: JourneyStage,
    pub marketing_plan: String,
    pub mdf_requests: Vec<MdfRequest>,
    pub joint_webinars: i64,
    /// "Slide 19": which certifications the partner commits to, by when.
    pub certification_plan: Vec<CertificationCommitment>,
    pub kpis: TimeToValue,
    pub status: PlanStatus,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// A market development funds request in the marketing plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct MdfRequest {
    pub activity: String,
    pub amount: Money,
    /// e.g. "Q2"
    pub quarter: String,
    #[serde(default)]
    pub status: MdfStatus,
    /// When the request was reviewed with the CAM: needed before it is submitted.
    #[serde(default)]
    pub reviewed_with_cam_on: Option<NaiveDate>,
}

/// A commitment to have `count` people certified in a certification by a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CertificationCommitment {
    pub certification_id: String,
    pub count: i64,
    pub by: NaiveDate,
}

/// Time-to-value targets, in days from the start of a customer engagement.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TimeToValue {
    pub infrastructure_ready_days: Option<i64>,
    pub first_value_days: Option<i64>,
    pub outcome_achieved_days: Option<i64>,
}

impl BusinessPlan {
    /// An empty draft plan for a partner and fiscal year.
    pub fn draft(partner_id: &str, fiscal_year: i32) -> Self {
        let now = Timestamp::now();
        BusinessPlan {
            id: crate::time::new_id(),
            partner_id: partner_id.to_string(),
            fiscal_year,
            goals: String::new(),
            growth_arr_target: Money::default(),
            new_customer_arr_target: Money::default(),
            currency: Currency::default(),
            services_practice: Vec::new(),
            target_stage: JourneyStage::Established,
            marketing_plan: String::new(),
            mdf_requests: Vec::new(),
            joint_webinars: 0,
            certification_plan: Vec::new(),
            kpis: TimeToValue::default(),
            status: PlanStatus::Draft,
            created_at: now,
            updated_at: now,
        }
    }

    pub fn total_arr_target(&self) -> Money {
        self.growth_arr_target + self.new_customer_arr_target
    }

    pub fn validate(&self) -> Result<()> {
        validate::reference("id", &self.id)?;
        validate::reference("partner_id", &self.partner_id)?;
        if !(2000..=2100).contains(&self.fiscal_year) {
            return Err(DomainError::invalid(
                "fiscal_year",
                format!(
                    "{} is not a fiscal year between 2000 and 2100",
                    self.fiscal_year
                ),
            ));
        }
        validate::text("goals", &self.goals)?;
        self.currency.validate("currency")?;
        validate::text("marketing_plan", &self.marketing_plan)?;
        validate::not_negative("growth_arr_target", self.growth_arr_target.0)?;
        validate::not_negative("new_customer_arr_target", self.new_customer_arr_target.0)?;
        validate::not_negative("joint_webinars", self.joint_webinars)?;
        for m in &self.mdf_requests {
            validate::name("mdf_requests.activity", &m.activity)?;
            validate::not_negative("mdf_requests.amount", m.amount.0)?;
            if m.status >= MdfStatus::ReviewedWithCam && m.reviewed_with_cam_on.is_none() {
                return Err(DomainError::invalid(
                    "mdf_requests.reviewed_with_cam_on",
                    format!(
                        "{:?} is {}: give the date it was reviewed with the CAM (partners \
                         review a request with their CAM before submitting it)",
                        m.activity,
                        m.status.label().to_lowercase()
                    ),
                ));
            }
        }
        for c in &self.certification_plan {
            validate::reference("certification_plan.certification_id", &c.certification_id)?;
            if c.count < 1 {
                return Err(DomainError::invalid(
                    "certification_plan.count",
                    "commit to at least one certification",
                ));
            }
        }
        for (field, days) in [
            (
                "kpis.infrastructure_ready_days",
                self.kpis.infrastructure_ready_days,
            ),
            ("kpis.first_value_days", self.kpis.first_value_days),
            (
                "kpis.outcome_achieved_days",
                self.kpis.outcome_achieved_days,
            ),
        ] {
            if let Some(days) = days {
                validate::not_negative(field, days)?;
            }
        }
        Ok(())
    }
}

/// The program's fiscal year starts in February: FY27 runs from February 2026 to January
/// 2027.
pub const FISCAL_YEAR_START_MONTH: u32 = 2;

/// The first and the last day of fiscal year `fiscal_year` (see [`fiscal_year_of`]).
pub fn fiscal_year_span(fiscal_year: i32, start_month: u32) -> (NaiveDate, NaiveDate) {
    let first = if start_month <= 1 {
        NaiveDate::from_ymd_opt(fiscal_year, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(fiscal_year - 1, start_month, 1)
    }
    .expect("the first of a month in a valid year");
    let next = if start_month <= 1 {
        NaiveDate::from_ymd_opt(fiscal_year + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(fiscal_year, start_month, 1)
    }
    .expect("the first of a month in a valid year");
    (
        first,
        next.pred_opt().expect("a day before the first of a month"),
    )
}

/// The fiscal year a date falls in, for a fiscal year starting on the first of `start_month`
/// and named after the calendar year it ends in (FY27 runs Feb 2026 – Jan 2027 when
/// `start_month` is 2).
pub fn fiscal_year_of(date: NaiveDate, start_month: u32) -> i32 {
    use chrono::Datelike;
    if start_month <= 1 || date.month() < start_month {
        date.year()
    } else {
        date.year() + 1
    }
}

/// A quarter of a fiscal year: Q1 starts on the fiscal year's first day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct FiscalQuarter {
    pub fiscal_year: i32,
    /// 1 to 4.
    pub quarter: u32,
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
}

impl FiscalQuarter {
    /// Quarter `quarter` (1–4) of `fiscal_year`, or `None` for another number.
    pub fn new(fiscal_year: i32, quarter: u32, start_month: u32) -> Option<Self> {
        if !(1..=4).contains(&quarter) {
            return None;
        }
        let (year_start, _) = fiscal_year_span(fiscal_year, start_month);
        let first_day = year_start.checked_add_months(chrono::Months::new(3 * (quarter - 1)))?;
        let last_day = first_day
            .checked_add_months(chrono::Months::new(3))?
            .pred_opt()?;
        Some(FiscalQuarter {
            fiscal_year,
            quarter,
            first_day,
            last_day,
        })
    }

    /// The quarter `date` falls in.
    pub fn containing(date: NaiveDate, start_month: u32) -> Self {
        let fiscal_year = fiscal_year_of(date, start_month);
        (1..=4)
            .filter_map(|q| Self::new(fiscal_year, q, start_month))
            .find(|q| q.contains(date))
            .expect("a fiscal year's four quarters cover it")
    }

    pub fn contains(&self, date: NaiveDate) -> bool {
        (self.first_day..=self.last_day).contains(&date)
    }

    /// "Q3 FY27"
    pub fn label(&self) -> String {
        format!(
            "Q{} FY{:02}",
            self.quarter,
            self.fiscal_year.rem_euclid(100)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fiscal_quarters_start_with_the_fiscal_year_and_cover_it() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        let q1 = FiscalQuarter::new(2027, 1, 2).unwrap();
        assert_eq!(
            (q1.first_day, q1.last_day),
            (d("2026-02-01"), d("2026-04-30"))
        );
        let q4 = FiscalQuarter::new(2027, 4, 2).unwrap();
        assert_eq!(
            (q4.first_day, q4.last_day),
            (d("2026-11-01"), d("2027-01-31"))
        );
        assert_eq!(FiscalQuarter::containing(d("2027-01-31"), 2), q4);
        assert_eq!(FiscalQuarter::containing(d("2026-05-01"), 2).quarter, 2);
        assert_eq!(
            FiscalQuarter::containing(d("2026-05-01"), 2).label(),
            "Q2 FY27"
        );
        assert_eq!(FiscalQuarter::new(2027, 5, 2), None);
    }

    #[test]
    fn fiscal_year_starting_in_february_is_named_for_its_end() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        assert_eq!(fiscal_year_of(d("2026-01-31"), 2), 2026);
        assert_eq!(fiscal_year_of(d("2026-02-01"), 2), 2027);
        assert_eq!(fiscal_year_of(d("2026-11-23"), 1), 2026);
    }

    #[test]
    fn a_fiscal_years_span_holds_exactly_its_days() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        assert_eq!(
            fiscal_year_span(2027, 2),
            (d("2026-02-01"), d("2027-01-31"))
        );
        assert_eq!(
            fiscal_year_span(2024, 3),
            (d("2023-03-01"), d("2024-02-29"))
        );
        assert_eq!(
            fiscal_year_span(2026, 1),
            (d("2026-01-01"), d("2026-12-31"))
        );
        for start in 1..=12 {
            let (first, last) = fiscal_year_span(2030, start);
            assert_eq!(fiscal_year_of(first, start), 2030);
            assert_eq!(fiscal_year_of(last, start), 2030);
            assert_eq!(fiscal_year_of(first.pred_opt().unwrap(), start), 2029);
            assert_eq!(fiscal_year_of(last.succ_opt().unwrap(), start), 2031);
        }
    }

    #[test]
    fn negative_targets_are_refused() {
        let mut plan = BusinessPlan::draft("p", 2027);
        plan.growth_arr_target = Money(-1);
        assert!(plan
            .validate()
            .unwrap_err()
            .to_string()
            .starts_with("growth_arr_target"));
    }

    #[test]
    fn fiscal_year_outside_range_is_refused() {
        assert!(BusinessPlan::draft("p", 27).validate().is_err());
        assert!(BusinessPlan::draft("p", 2027).validate().is_ok());
    }
}
