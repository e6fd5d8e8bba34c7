//! Co-selling: accounts, opportunities, call notes and next steps (R7).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::enums::{
    CommandPlanLevel, NextStepStatus, OpportunityStage, OpportunityType, Segment, Tier,
};
use super::money::{Currency, Money};
use super::validate;
use crate::error::{DomainError, Result};
use crate::time::Timestamp;

/// The marker a note captured through a partner carries in its title.
pub const VIA_PARTNER_MARK: &str = "(ii)";

/// A customer or prospect.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Account {
    pub id: String,
    pub name: String,
    pub tier: Tier,
    /// What the partner uncovered that bears on the tier.
    pub tier_notes: String,
    /// The partner co-selling on this account, if any.
    pub partner_id: Option<String>,
    /// The sales rep (AE) who owns the account.
    pub owner: String,
    /// Current annual recurring revenue: above zero, the account is a customer.
    #[serde(default)]
    pub carr: Money,
    /// The currency of the CARR.
    #[serde(default)]
    pub currency: Currency,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

impl Account {
    pub fn new(name: &str, owner: &str) -> Self {
        let now = Timestamp::now();
        Account {
            id: crate::time::new_id(),
            name: name.trim().to_string(),
            tier: Tier::Untiered,
            tier_notes: String::new(),
            partner_id: None,
            owner: owner.trim().to_string(),
            carr: Money::default(),
            currency: Currency::default(),
            created_at: now,
            updated_at: now,
        }
    }

    pub fn validate(&self) -> Result<()> {
        validate::reference("id", &self.id)?;
        validate::name("name", &self.name)?;
        validate::text("tier_notes", &self.tier_notes)?;
        validate::not_negative("carr", self.carr.0)?;
        self.currency.validate("currency")?;
        validate::chars_at_most("owner", &self.owner, validate::MAX_NAME_CHARS)
    }
}

/// A deal in the pipeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Opportunity {
    pub id: String,
    pub account_id: String,
    pub name: String,
    pub opportunity_type: OpportunityType,
    pub stage: OpportunityStage,
    pub amount: Money,
    pub iacv: Money,
    /// The currency of the deal's amounts (amount, IACV, discount, services attach).
    #[serde(default)]
    pub currency: Currency,
    pub segment: Segment,
    pub close_date: NaiveDate,
    /// The partner that registered the deal (deal registration).
    pub registered_partner_id: Option<String>,
    pub win_loss_reason: String,
    /// The customer's understanding of what the vendor does.
    pub customer_understanding: String,
    /// How much of a command plan exists today.
    pub command_plan: CommandPlanLevel,
    pub has_pitch_deck: bool,
    /// Where the custom pitch deck is (a link), when there is one.
    #[serde(default)]
    pub pitch_deck_url: String,
    /// The customer's understanding came "via the Partner" (R7: say so when it did).
    #[serde(default)]
    pub understanding_via_partner: bool,
    /// The standard partner discount on the deal. Channel neutral: it is credited back to the
    /// seller (paid at BCR, no quota credit), see [`Opportunity::channel_neutral_credit`].
    #[serde(default)]
    pub partner_discount: Money,
    /// Partner services sold with the deal (the Services Attach rebate and the PS spiff).
    #[serde(default)]
    pub services_attach: Money,
    /// A renewal's incumbent: the partner that sold the deal being renewed. While in good
    /// standing it has the first right of refusal on the renewal (seed 004).
    #[serde(default)]
    pub incumbent_partner_id: Option<String>,
    /// The customer said it does not want the incumbent for this renewal ("unless otherwise
    /// stated by the customer"): the first right of refusal lapses.
    #[serde(default)]
    pub incumbent_declined_by_customer: bool,
    pub owner: String,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

impl Opportunity {
    pub fn new(account_id: &str, name: &str, segment: Segment, close_date: NaiveDate) -> Self {
        let now = Timestamp::now();
        Opportunity {
            id: crate::time::new_id(),
            account_id: account_id.to_string(),
            name: name.trim().to_string(),
            opportunity_type: OpportunityType::NewBusiness,
            stage: OpportunityStage::Qualifying,
            amount: Money::default(),
            iacv: Money::default(),
            currency: Currency::default(),
            segment,
            close_date,
            registered_partner_id: None,
            win_loss_reason: String::new(),
            customer_understanding: String::new(),
            command_plan: CommandPlanLevel::None,
            has_pitch_deck: false,
            pitch_deck_url: String::new(),
            understanding_via_partner: false,
            partner_discount: Money::default(),
            services_attach: Money::default(),
            incumbent_partner_id: None,
            incumbent_declined_by_customer: false,
            owner: String::new(),
            created_at: now,
            updated_at: now,
        }
    }

    pub fn validate(&self) -> Result<()> {
        validate::reference("id", &self.id)?;
        validate::reference("account_id", &self.account_id)?;
        validate::name("name", &self.name)?;
        validate::not_negative("amount", self.amount.0)?;
        self.currency.validate("currency")?;
        validate::not_negative("partner_discount", self.partner_discount.0)?;
        validate::not_negative("services_attach", self.services_attach.0)?;
        if self.partner_discount > self.amount {
            return Err(DomainError::invalid(
                "partner_discount",
                format!(
                    "a partner discount of {} is more than the deal's amount of {}",
                    self.partner_discount, self.amount
                ),
            ));
        }
        validate::text("win_loss_reason", &self.win_loss_reason)?;
        validate::text("customer_understanding", &self.customer_understanding)?;
        validate::link("pitch_deck_url", &self.pitch_deck_url)?;
        validate::chars_at_most("owner", &self.owner, validate::MAX_NAME_CHARS)
    }

    /// Channel neutral: the partner discount is credited back to the seller when a partner is
    /// on the deal (it pays at BCR and earns no quota credit); nothing without a partner.
    pub fn channel_neutral_credit(&self, partner_on_deal: bool) -> Money {
        if partner_on_deal {
            self.partner_discount
        } else {
            Money::default()
        }
    }
}

/// A logged verbal interaction (R7: every call is logged).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CallNote {
    pub id: String,
    pub title: String,
    pub body: String,
    /// Captured through the partner; such a title carries "(ii)".
    pub via_partner: bool,
    pub partner_id: Option<String>,
    pub account_id: Option<String>,
    pub opportunity_id: Option<String>,
    pub author: String,
    /// When the call happened.
    pub occurred_at: Timestamp,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

impl CallNote {
    pub fn new(title: &str, body: &str, author: &str) -> Self {
        let now = Timestamp::now();
        CallNote {
            id: crate::time::new_id(),
            title: title.trim().to_string(),
            body: body.to_string(),
            via_partner: false,
            partner_id: None,
            account_id: None,
            opportunity_id: None,
            author: author.trim().to_string(),
            occurred_at: now,
            created_at: now,
            updated_at: now,
        }
    }

    /// Marks the note as captured via the partner and puts "(ii)" in the title if missing.
    pub fn mark_via_partner(&mut self) {
        self.via_partner = true;
        if !title_has_via_partner_mark(&self.title) {
            self.title = format!("{} {VIA_PARTNER_MARK}", self.title.trim_end());
        }
    }

    pub fn validate(&self) -> Result<()> {
        validate::reference("id", &self.id)?;
        validate::title("title", &self.title)?;
        validate::text("body", &self.body)?;
        validate::name("author", &self.author)?;
        if self.partner_id.is_none() && self.account_id.is_none() && self.opportunity_id.is_none() {
            return Err(DomainError::invalid(
                "partner_id",
                "link the note to a partner, an account or an opportunity",
            ));
        }
        Ok(())
    }
}

/// Whether a title carries the "(ii)" via-partner mark.
pub fn title_has_via_partner_mark(title: &str) -> bool {
    title.contains(VIA_PARTNER_MARK)
}

/// A task agreed on a call, with an owner and a due date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct NextStep {
    pub id: String,
    pub description: String,
    pub owner: String,
    pub due_on: NaiveDate,
    /// The due date was agreed with the partner (R7: partner tasks carry an agreed date).
    pub agreed_with_partner: bool,
    pub status: NextStepStatus,
    pub note_id: Option<String>,
    pub partner_id: Option<String>,
    pub opportunity_id: Option<String>,
    /// An award task (seed 003): the badge the partner has just met the requirements of. Done
    /// grants the badge.
    #[serde(default)]
    pub award_badge_id: Option<String>,
    pub done_at: Option<Timestamp>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

impl NextStep {
    pub fn new(description: &str, owner: &str, due_on: NaiveDate) -> Self {
        let now = Timestamp::now();
        NextStep {
            id: crate::time::new_id(),
            description: description.trim().to_string(),
            owner: owner.trim().to_string(),
            due_on,
            agreed_with_partner: false,
            status: NextStepStatus::Open,
            note_id: None,
            partner_id: None,
            opportunity_id: None,
            award_badge_id: None,
            done_at: None,
            created_at: now,
            updated_at: now,
        }
    }

    /// The id of the award task of a partner's badge: the same on every device, so that two
    /// devices noticing the same award make one task, not two.
    pub fn award_task_id(partner_id: &str, badge_id: &str) -> String {
        format!("award-{partner_id}-{badge_id}")
    }

    /// Open and past its due date.
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.status == NextStepStatus::Open && self.due_on < today
    }

    pub fn validate(&self) -> Result<()> {
        validate::reference("id", &self.id)?;
        validate::title("description", &self.description)?;
        validate::name("owner", &self.owner)?;
        if let Some(badge) = &self.award_badge_id {
            validate::reference("award_badge_id", badge)?;
            if self.partner_id.is_none() {
                return Err(DomainError::invalid(
                    "partner_id",
                    "an award task names the partner it awards",
                ));
            }
        }
        if self.status == NextStepStatus::Done && self.done_at.is_none() {
            return Err(DomainError::invalid(
                "done_at",
                "a done next step records when",
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marking_via_partner_adds_ii_once() {
        let mut n = CallNote::new("Discovery with Acme", "", "ae");
        n.mark_via_partner();
        assert_eq!(n.title, "Discovery with Acme (ii)");
        n.mark_via_partner();
        assert_eq!(n.title, "Discovery with Acme (ii)", "not added twice");
    }

    #[test]
    fn a_note_must_be_linked() {
        let n = CallNote::new("t", "b", "ae");
        assert!(n
            .validate()
            .unwrap_err()
            .to_string()
            .contains("link the note"));
    }

    #[test]
    fn next_step_overdue_only_after_due_day_and_while_open() {
        let due: NaiveDate = "2026-11-20".parse().unwrap();
        let mut s = NextStep::new("Send SOW", "partner", due);
        assert!(!s.is_overdue(due));
        assert!(s.is_overdue(due.succ_opt().unwrap()));
        s.status = NextStepStatus::Done;
        assert!(!s.is_overdue(due.succ_opt().unwrap()));
    }
}
