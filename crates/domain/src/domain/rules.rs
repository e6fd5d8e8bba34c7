//! The rules tables: program data the program owner edits (shipped as seed rows, synced).

use serde::{Deserialize, Serialize};

use super::enums::{JourneyStage, R7Metric, R7Requirement, Segment, Track};
use chrono::NaiveDate;

use super::money::{Currency, Money, Rate};
use super::validate;
use crate::error::{DomainError, Result};

/// A certification partner people can earn (Sales Core, Sales Pro, SA Core, PSE).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Certification {
    pub id: String,
    pub name: String,
    /// How long a certification stays valid, if it expires.
    pub validity_months: Option<i64>,
    pub sort_order: i64,
}

/// A track needs `count` people certified in a certification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TrackRequirement {
    pub id: String,
    pub track: Track,
    pub certification_id: String,
    pub count: i64,
}

/// A badge a partner can earn (PSP, Training Services Partner).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Badge {
    pub id: String,
    pub name: String,
    /// The partner must meet its track's requirements to hold the badge.
    pub requires_track_compliance: bool,
    /// Months between reviews; the first is this long after the grant, in the grant month.
    #[serde(default = "Badge::default_review_every_months")]
    pub review_every_months: i64,
    /// How many months before the review month the partner sends its evidence.
    #[serde(default = "Badge::default_evidence_lead_months")]
    pub evidence_lead_months: i64,
    /// How long a partner found non-compliant at a review has to comply again before the
    /// badge lapses.
    #[serde(default = "Badge::default_grace_months")]
    pub grace_months: i64,
}

/// A badge needs `count` people certified in a certification, at all times.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct BadgeRequirement {
    pub id: String,
    pub badge_id: String,
    pub certification_id: String,
    pub count: i64,
}

/// Over `threshold` of `metric` in `segment`, an opportunity needs `requirement`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct R7Threshold {
    pub id: String,
    pub segment: Segment,
    pub requirement: R7Requirement,
    pub metric: R7Metric,
    /// Strictly over this amount triggers the requirement.
    pub threshold: Money,
}

/// What one unit of a currency is worth in US dollars (the base currency), as an admin keeps
/// it: sums across currencies (plan against actuals, the roll-up) convert with it and say so.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ExchangeRate {
    pub id: String,
    pub currency: Currency,
    /// US dollars for one unit of `currency`.
    pub usd_per_unit: Rate,
    /// The day the rate was taken.
    pub as_of: NaiveDate,
}

/// One capability of a journey stage's checklist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct JourneyCapability {
    pub id: String,
    pub stage: JourneyStage,
    /// The group it belongs to, e.g. "Get sales ready".
    pub area: String,
    pub label: String,
    pub sort_order: i64,
}

/// A module of the channel sales enablement curriculum.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CurriculumModule {
    pub id: String,
    /// "core" or "advanced".
    pub level: String,
    pub section: String,
    pub title: String,
    /// "Material", "Quiz", ...
    pub kind: String,
    pub minutes: Option<i64>,
    /// What a quiz is worth (the SDLC quiz: 9 points).
    #[serde(default)]
    pub points: Option<i64>,
    pub sort_order: i64,
}

fn count_at_least_one(field: &str, n: i64) -> Result<()> {
    if n < 1 {
        return Err(DomainError::invalid(
            field,
            format!("must be at least 1 (got {n})"),
        ));
    }
    Ok(())
}

impl Certification {
    pub fn validate(&self) -> Result<()> {
        validate::reference("id", &self.id)?;
        validate::name("name", &self.name)?;
        if let Some(m) = self.validity_months {
            count_at_least_one("validity_months", m)?;
        }
        Ok(())
    }
}

impl TrackRequirement {
    pub fn validate(&self) -> Result<()> {
        validate::reference("id", &self.id)?;
        validate::reference("certification_id", &self.certification_id)?;
        count_at_least_one("count", self.count)
    }
}

impl Badge {
    /// The handbook's cadence (seed 003): reviewed yearly, evidence a month before, a quarter
    /// of grace. Records written before these were rules carry no value and get these.
    pub const fn default_review_every_months() -> i64 {
        12
    }
    pub const fn default_evidence_lead_months() -> i64 {
        1
    }
    pub const fn default_grace_months() -> i64 {
        3
    }

    pub fn validate(&self) -> Result<()> {
        validate::reference("id", &self.id)?;
        validate::name("name", &self.name)?;
        if !(1..=60).contains(&self.review_every_months) {
            return Err(DomainError::invalid(
                "review_every_months",
                "must be between 1 and 60 months",
            ));
        }
        if !(0..self.review_every_months).contains(&self.evidence_lead_months) {
            return Err(DomainError::invalid(
                "evidence_lead_months",
                "must be 0 or more and shorter than the time between reviews",
            ));
        }
        if !(0..self.review_every_months).contains(&self.grace_months) {
            return Err(DomainError::invalid(
                "grace_months",
                "must be 0 or more and shorter than the time between reviews",
            ));
        }
        Ok(())
    }
}

impl BadgeRequirement {
    pub fn validate(&self) -> Result<()> {
        validate::reference("id", &self.id)?;
        validate::reference("badge_id", &self.badge_id)?;
        validate::reference("certification_id", &self.certification_id)?;
        count_at_least_one("count", self.count)
    }
}

impl R7Threshold {
    pub fn validate(&self) -> Result<()> {
        validate::reference("id", &self.id)?;
        validate::not_negative("threshold", self.threshold.0)
    }
}

impl ExchangeRate {
    pub fn validate(&self) -> Result<()> {
        validate::reference("id", &self.id)?;
        self.currency.validate("currency")?;
        if self.currency.is_base() {
            return Err(DomainError::invalid(
                "currency",
                format!(
                    "{} is the base currency: its rate is always 1",
                    self.currency
                ),
            ));
        }
        self.usd_per_unit.validate("usd_per_unit")
    }
}

impl JourneyCapability {
    pub fn validate(&self) -> Result<()> {
        validate::reference("id", &self.id)?;
        validate::name("label", &self.label)
    }
}

impl CurriculumModule {
    pub fn validate(&self) -> Result<()> {
        validate::reference("id", &self.id)?;
        validate::name("title", &self.title)?;
        if self.level != "core" && self.level != "advanced" {
            return Err(DomainError::invalid("level", "must be core or advanced"));
        }
        validate::name("section", &self.section)?;
        validate::name("kind", &self.kind)?;
        if let Some(m) = self.minutes {
            count_at_least_one("minutes", m)?;
        }
        if let Some(p) = self.points {
            count_at_least_one("points", p)?;
        }
        Ok(())
    }
}
