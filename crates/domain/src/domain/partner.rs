//! Partners: who they are, their track, journey stage and badges.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::enums::{JourneyStage, PartnerType, Region, Track};
use super::money::Currency;
use super::validate;
use crate::error::{DomainError, Result};
use crate::time::Timestamp;

/// A partner company in the program.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Partner {
    pub id: String,
    pub name: String,
    /// At least one; reseller and services together make a "Solution Provider".
    pub partner_types: Vec<PartnerType>,
    pub track: Track,
    pub region: Region,
    /// The CAM who owns the partner (their email or name).
    pub owner: String,
    pub journey_stage: JourneyStage,
    /// Ids of the journey capabilities ticked for this partner (rules table `journey_capabilities`).
    pub capabilities: BTreeSet<String>,
    pub badges: Vec<BadgeGrant>,
    pub account_notes: String,
    pub last_phd_review: Option<NaiveDate>,
    /// When the partner was invited to become a Training Services Partner (seed 003): an
    /// invitee's business plan must carry its certification commitments ("slide 19").
    #[serde(default)]
    pub tsp_invited_on: Option<NaiveDate>,
    /// The currency the partner sells in: its business plans' and new accounts' by default.
    #[serde(default)]
    pub currency: Currency,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// A badge the partner holds, with every review and the evidence sent for them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct BadgeGrant {
    /// Id of the badge in the rules table `badges` (e.g. `psp`).
    pub badge_id: String,
    pub granted_on: NaiveDate,
    /// The most recent review, if one happened. Kept beside `reviews` for clients that
    /// predate the history; [`BadgeGrant::last_review`] reads both.
    #[serde(default)]
    pub last_review_on: Option<NaiveDate>,
    /// Whether that review found the partner compliant.
    #[serde(default)]
    pub last_review_compliant: Option<bool>,
    /// Every review recorded, oldest first.
    #[serde(default)]
    pub reviews: Vec<BadgeReviewRecord>,
    /// Evidence the partner sent ahead of its reviews, oldest first.
    #[serde(default)]
    pub evidence: Vec<BadgeEvidence>,
}

/// What one review of a held badge found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct BadgeReviewRecord {
    pub reviewed_on: NaiveDate,
    /// The outcome: compliant or not.
    pub compliant: bool,
    /// What the rules computed on that date from the partner's certifications.
    pub computed_compliant: bool,
    /// Why the person recording the review decided against the computed outcome.
    #[serde(default)]
    pub override_reason: Option<String>,
}

/// Evidence a partner sent for a review: when, and which customers it covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct BadgeEvidence {
    pub sent_on: NaiveDate,
    pub customers: Vec<String>,
}

impl BadgeGrant {
    /// A badge granted on a date, never reviewed.
    pub fn new(badge_id: &str, granted_on: NaiveDate) -> Self {
        BadgeGrant {
            badge_id: badge_id.to_string(),
            granted_on,
            last_review_on: None,
            last_review_compliant: None,
            reviews: Vec::new(),
            evidence: Vec::new(),
        }
    }

    /// Every review, oldest first; a record from an older client that only knows the last
    /// review shows that one.
    pub fn review_history(&self) -> Vec<BadgeReviewRecord> {
        match (self.last_review_on, self.last_review_compliant) {
            (Some(on), Some(compliant)) if !self.reviews.iter().any(|r| r.reviewed_on == on) => {
                let mut all = self.reviews.clone();
                all.push(BadgeReviewRecord {
                    reviewed_on: on,
                    compliant,
                    computed_compliant: compliant,
                    override_reason: None,
                });
                all.sort_by_key(|r| r.reviewed_on);
                all
            }
            _ => self.reviews.clone(),
        }
    }

    /// The latest review, if any.
    pub fn last_review(&self) -> Option<BadgeReviewRecord> {
        self.review_history().pop()
    }

    /// Adds a review to the history (in date order) and keeps the last-review fields in step.
    pub fn record_review(&mut self, review: BadgeReviewRecord) {
        self.reviews.retain(|r| r.reviewed_on != review.reviewed_on);
        self.reviews.push(review);
        self.reviews.sort_by_key(|r| r.reviewed_on);
        let last = self.reviews.last().expect("just pushed");
        self.last_review_on = Some(last.reviewed_on);
        self.last_review_compliant = Some(last.compliant);
    }

    fn validate(&self) -> Result<()> {
        validate::reference("badges.badge_id", &self.badge_id)?;
        let reviews = self.review_history();
        for r in &reviews {
            if r.reviewed_on < self.granted_on {
                return Err(DomainError::invalid(
                    "badges.reviews",
                    format!(
                        "review {} is before the grant on {}",
                        r.reviewed_on, self.granted_on
                    ),
                ));
            }
            match &r.override_reason {
                Some(reason) => validate::title("badges.reviews.override_reason", reason)?,
                None if r.compliant != r.computed_compliant => {
                    return Err(DomainError::invalid(
                        "badges.reviews.override_reason",
                        format!(
                            "the review on {} overrides the computed outcome: say why",
                            r.reviewed_on
                        ),
                    ))
                }
                None => {}
            }
        }
        for e in &self.evidence {
            if e.customers.is_empty() {
                return Err(DomainError::invalid(
                    "badges.evidence.customers",
                    "name at least one customer",
                ));
            }
            for c in &e.customers {
                validate::name("badges.evidence.customers", c)?;
            }
        }
        Ok(())
    }
}

impl Partner {
    /// A new partner with sensible defaults: onboarding stage, no badges.
    pub fn new(name: &str, track: Track, region: Region, owner: &str) -> Self {
        let now = Timestamp::now();
        Partner {
            id: crate::time::new_id(),
            name: name.trim().to_string(),
            partner_types: vec![PartnerType::VarVad],
            track,
            region,
            owner: owner.trim().to_string(),
            journey_stage: JourneyStage::Onboarding,
            capabilities: BTreeSet::new(),
            badges: Vec::new(),
            account_notes: String::new(),
            last_phd_review: None,
            tsp_invited_on: None,
            currency: Currency::default(),
            created_at: now,
            updated_at: now,
        }
    }

    /// True when the partner both resells and sells services.
    pub fn is_solution_provider(&self) -> bool {
        use PartnerType::*;
        let resells = self.partner_types.iter().any(|t| matches!(t, VarVad | Dmr));
        let services = self
            .partner_types
            .iter()
            .any(|t| matches!(t, GlobalSi | RegionalSi | BoutiqueSi | Msp));
        resells && services
    }

    pub fn validate(&self) -> Result<()> {
        validate::reference("id", &self.id)?;
        validate::name("name", &self.name)?;
        validate::name("owner", &self.owner)?;
        if self.partner_types.is_empty() {
            return Err(DomainError::invalid(
                "partner_types",
                "name at least one partner type",
            ));
        }
        validate::text("account_notes", &self.account_notes)?;
        self.currency.validate("currency")?;
        let mut seen = BTreeSet::new();
        for b in &self.badges {
            b.validate()?;
            if !seen.insert(&b.badge_id) {
                return Err(DomainError::invalid(
                    "badges",
                    format!("badge {} is listed twice", b.badge_id),
                ));
            }
        }
        Ok(())
    }
}

/// A person who works at a partner (their key people in the enablement plan).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Person {
    pub id: String,
    pub partner_id: String,
    pub name: String,
    pub email: String,
    /// Job title, e.g. "Solutions Architect".
    pub role: String,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

impl Person {
    pub fn new(partner_id: &str, name: &str, email: &str, role: &str) -> Self {
        let now = Timestamp::now();
        Person {
            id: crate::time::new_id(),
            partner_id: partner_id.to_string(),
            name: name.trim().to_string(),
            email: email.trim().to_string(),
            role: role.trim().to_string(),
            created_at: now,
            updated_at: now,
        }
    }

    pub fn validate(&self) -> Result<()> {
        validate::reference("id", &self.id)?;
        validate::reference("partner_id", &self.partner_id)?;
        validate::name("name", &self.name)?;
        validate::email("email", &self.email)?;
        validate::chars_at_most("role", &self.role, validate::MAX_NAME_CHARS)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partner_without_a_name_is_invalid() {
        let p = Partner::new("  ", Track::Open, Region::Emea, "cam@vendor.example");
        assert_eq!(
            p.validate().unwrap_err().to_string(),
            "name: must not be empty"
        );
    }

    #[test]
    fn solution_provider_resells_and_sells_services() {
        let mut p = Partner::new("Acme", Track::Open, Region::Emea, "cam");
        assert!(!p.is_solution_provider());
        p.partner_types.push(PartnerType::BoutiqueSi);
        assert!(p.is_solution_provider());
    }

    #[test]
    fn a_badge_listed_twice_is_refused() {
        let mut p = Partner::new("Acme", Track::Open, Region::Emea, "cam");
        let grant = BadgeGrant::new("psp", NaiveDate::from_ymd_opt(2025, 3, 1).unwrap());
        p.badges = vec![grant.clone(), grant];
        assert!(p.validate().is_err());
    }
}
