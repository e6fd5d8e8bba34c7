//! The rules tables: program data the program owner edits (shipped as seed rows, synced).

use serde::{Deserialize, Serialize};

use super::enums::{JourneyStage, R7Metric, R7Requirement, Segment, Track};
use super::money::Money;
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
    pub fn validate(&self) -> Result<()> {
        validate::reference("id", &self.id)?;
        validate::name("name", &self.name)
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
        Ok(())
    }
}
