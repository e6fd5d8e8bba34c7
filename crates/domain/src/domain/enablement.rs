//! Enablement plans: which person completes which certification or curriculum module, by when.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::enums::EnablementStatus;
use super::validate;
use crate::error::{DomainError, Result};
use crate::time::Timestamp;

/// One line of a partner's enablement plan: a person and either a certification or a module.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct EnablementItem {
    pub id: String,
    pub partner_id: String,
    pub person_id: String,
    /// Id in the rules table `certifications`; exactly one of this and `module_id` is set.
    pub certification_id: Option<String>,
    /// Id in the rules table `curriculum_modules`.
    pub module_id: Option<String>,
    pub target_date: Option<NaiveDate>,
    pub status: EnablementStatus,
    /// When the person certified (or completed the module).
    pub completed_on: Option<NaiveDate>,
    /// When a certification stops counting; after this date it is treated as lapsed.
    pub expires_on: Option<NaiveDate>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

impl EnablementItem {
    /// A planned certification for a person, due by `target_date`.
    pub fn plan_certification(
        partner_id: &str,
        person_id: &str,
        certification_id: &str,
        target_date: Option<NaiveDate>,
    ) -> Self {
        let now = Timestamp::now();
        EnablementItem {
            id: crate::time::new_id(),
            partner_id: partner_id.to_string(),
            person_id: person_id.to_string(),
            certification_id: Some(certification_id.to_string()),
            module_id: None,
            target_date,
            status: EnablementStatus::Planned,
            completed_on: None,
            expires_on: None,
            created_at: now,
            updated_at: now,
        }
    }

    /// The status as of `today`: a certification past its expiry counts as lapsed.
    pub fn effective_status(&self, today: NaiveDate) -> EnablementStatus {
        match (self.status, self.expires_on) {
            (EnablementStatus::Certified, Some(expiry)) if expiry < today => {
                EnablementStatus::Lapsed
            }
            (status, _) => status,
        }
    }

    pub fn validate(&self) -> Result<()> {
        validate::reference("id", &self.id)?;
        validate::reference("partner_id", &self.partner_id)?;
        validate::reference("person_id", &self.person_id)?;
        match (&self.certification_id, &self.module_id) {
            (Some(c), None) => validate::reference("certification_id", c)?,
            (None, Some(m)) => validate::reference("module_id", m)?,
            _ => {
                return Err(DomainError::invalid(
                    "certification_id",
                    "name exactly one certification or one curriculum module",
                ))
            }
        }
        if let (Some(done), Some(expiry)) = (self.completed_on, self.expires_on) {
            if expiry < done {
                return Err(DomainError::invalid(
                    "expires_on",
                    format!("{expiry} is before the completion date {done}"),
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn a_certification_past_its_expiry_is_lapsed() {
        let mut item = EnablementItem::plan_certification("p", "x", "pse", None);
        item.status = EnablementStatus::Certified;
        item.expires_on = Some(d("2026-06-30"));
        assert_eq!(
            item.effective_status(d("2026-06-30")),
            EnablementStatus::Certified
        );
        assert_eq!(
            item.effective_status(d("2026-07-01")),
            EnablementStatus::Lapsed
        );
    }

    #[test]
    fn an_item_names_a_certification_or_a_module_not_both() {
        let mut item = EnablementItem::plan_certification("p", "x", "pse", None);
        item.module_id = Some("m".into());
        assert!(item.validate().is_err());
        item.certification_id = None;
        assert!(item.validate().is_ok());
        item.module_id = None;
        assert!(item.validate().is_err());
    }
}
