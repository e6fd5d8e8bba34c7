//! NFR (not for resale) licence requests (seed 003): a CAM or the partner asks for a licence the
//! partner uses to learn, demo and build its practice; the Partner Help Desk verifies the request
//! and sends the licence to the partner's licence contact.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::enums::NfrStatus;
use super::validate;
use crate::error::{DomainError, Result};
use crate::time::Timestamp;

/// The most seats one request may ask for: an NFR licence is for the partner's own practice.
pub const MAX_NFR_SEATS: i64 = 1_000;

/// One NFR licence request for a partner, and where the help desk has taken it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct NfrRequest {
    pub id: String,
    pub partner_id: String,
    /// Who asked: the CAM's (or the partner's) email.
    pub requested_by: String,
    pub requested_on: NaiveDate,
    /// The partner's licence contact: the licence is emailed to them.
    pub contact_name: String,
    pub contact_email: String,
    /// What the licence is for, e.g. "demo lab for the migration practice".
    pub purpose: String,
    pub seats: i64,
    pub status: NfrStatus,
    /// The day the status last moved (verified, sent, refused); none while requested.
    pub status_on: Option<NaiveDate>,
    /// Why the help desk refused it (required when refused).
    pub refusal_reason: Option<String>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

impl NfrRequest {
    pub fn validate(&self) -> Result<()> {
        validate::reference("id", &self.id)?;
        validate::reference("partner_id", &self.partner_id)?;
        validate::name("requested_by", &self.requested_by)?;
        validate::name("contact_name", &self.contact_name)?;
        if self.contact_email.trim().is_empty() {
            return Err(DomainError::invalid(
                "contact_email",
                "must not be empty: the licence is emailed there",
            ));
        }
        validate::email("contact_email", &self.contact_email)?;
        validate::chars_at_most("purpose", &self.purpose, validate::MAX_TITLE_CHARS)?;
        if !(1..=MAX_NFR_SEATS).contains(&self.seats) {
            return Err(DomainError::invalid(
                "seats",
                format!("must be between 1 and {MAX_NFR_SEATS} (got {})", self.seats),
            ));
        }
        match (self.status, &self.refusal_reason) {
            (NfrStatus::Refused, None) => {
                return Err(DomainError::invalid(
                    "refusal_reason",
                    "a refused request says why",
                ))
            }
            (NfrStatus::Refused, Some(reason)) => validate::title("refusal_reason", reason)?,
            (_, Some(_)) => {
                return Err(DomainError::invalid(
                    "refusal_reason",
                    "only a refused request has a refusal reason",
                ))
            }
            (_, None) => {}
        }
        match (self.status, self.status_on) {
            (NfrStatus::Requested, Some(_)) => Err(DomainError::invalid(
                "status_on",
                "a request not yet taken by the help desk has no status date",
            )),
            (NfrStatus::Requested, None) => Ok(()),
            (_, None) => Err(DomainError::invalid(
                "status_on",
                "give the day the status moved",
            )),
            (_, Some(on)) if on < self.requested_on => Err(DomainError::invalid(
                "status_on",
                format!("{on} is before the request ({})", self.requested_on),
            )),
            _ => Ok(()),
        }
    }
}
