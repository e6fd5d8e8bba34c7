//! Opportunities CSV (a CRM export): one opportunity per row, matched by account and name.
//! Accounts are matched by name or created; the registered partner is resolved by name.

use std::collections::HashMap;

use super::lookup::{key, PartnerIndex};
use super::pool::Pool;
use super::row::RowCtx;
use super::Writes;
use crate::domain::{
    Account, CommandPlanLevel, Currency, Money, Opportunity, OpportunityStage, OpportunityType,
    Segment,
};
use crate::error::{CoreError, Result};
use crate::io::headers::normalize;
use crate::store::Reader;
use crate::time::parse_date;

pub(super) struct OpportunityRows {
    partners: PartnerIndex,
    /// Account id by name key: stored accounts and those the file creates.
    account_by_name: HashMap<String, String>,
    /// Each stored account's currency, by id: a new deal on it takes it.
    account_currency: HashMap<String, Currency>,
    new_accounts: Pool<Account>,
    opportunities: Pool<Opportunity>,
    /// (account id, name key) -> opportunity.
    opportunity_of: HashMap<(String, String), usize>,
    line_of: HashMap<usize, u64>,
}

impl OpportunityRows {
    pub fn load(reader: Reader<'_>) -> Result<Self> {
        let mut account_by_name = HashMap::new();
        let mut account_currency = HashMap::new();
        for a in reader.accounts()? {
            // Like `Reader::find_account`, the first account of a name wins.
            account_currency.insert(a.id.clone(), a.currency);
            account_by_name.entry(key(&a.name)).or_insert(a.id);
        }
        let mut rows = OpportunityRows {
            partners: PartnerIndex::load(reader)?,
            account_by_name,
            account_currency,
            new_accounts: Pool::new(),
            opportunities: Pool::new(),
            opportunity_of: HashMap::new(),
            line_of: HashMap::new(),
        };
        for o in reader.opportunities(None)? {
            let k = (o.account_id.clone(), key(&o.name));
            let i = rows.opportunities.stored(o);
            rows.opportunity_of.entry(k).or_insert(i);
        }
        Ok(rows)
    }

    pub fn row(&mut self, row: &mut RowCtx<'_>) -> Result<()> {
        let name = row.require("name");
        let account_name = row.require("account");
        let kind = row.parse("opportunity_type", |t| OpportunityType::parse("type", t));
        let stage = row.parse("stage", |t| OpportunityStage::parse("stage", t));
        let amount = row.parse("amount", |t| Money::parse("amount", t));
        let iacv = row.parse("iacv", |t| Money::parse("iacv", t));
        let currency = row.parse("currency", |t| Currency::parse("currency", t));
        let segment = row.parse("segment", |t| Segment::parse("segment", t));
        let close_date = row.parse("close_date", |t| parse_date("close_date", t));
        let partner = match row
            .get("registered_partner")
            .map(|p| self.partners.resolve(p))
        {
            Some(Ok(id)) => Some(id),
            Some(Err(message)) => {
                row.fail("registered_partner", message);
                None
            }
            None => None,
        };
        let reason = row.get("win_loss_reason");
        let owner = row.get("owner");
        let understanding = row.get("customer_understanding");
        let command_plan = row.parse("command_plan", |t| {
            CommandPlanLevel::parse("command_plan", t)
        });
        let pitch_deck = row.parse("has_pitch_deck", |t| parse_yes_no("has_pitch_deck", t));
        let deck_url = row.get("pitch_deck_url");
        let via_partner = row.parse("understanding_via_partner", |t| {
            parse_yes_no("understanding_via_partner", t)
        });
        let discount = row.parse("partner_discount", |t| Money::parse("partner_discount", t));
        let attach = row.parse("services_attach", |t| Money::parse("services_attach", t));
        let (Some(name), Some(account_name)) = (name, account_name) else {
            return Ok(());
        };

        let account_id = self.account_by_name.get(&key(account_name)).cloned();
        let index = account_id
            .as_ref()
            .and_then(|a| self.opportunity_of.get(&(a.clone(), key(name))))
            .copied();
        if let Some(first) = index.and_then(|i| self.line_of.get(&i)) {
            row.fail(
                "name",
                format!("{name:?} at {account_name:?} is already on line {first}"),
            );
            return Ok(());
        }
        let mut opportunity = match index {
            Some(i) => self.opportunities.get(i).clone(),
            None => {
                // A new opportunity needs what an existing one may leave empty.
                for (field, given) in [
                    ("segment", segment.is_some()),
                    ("close_date", close_date.is_some()),
                ] {
                    if !given && row.get(field).is_none() {
                        row.fail(field, "must not be empty for a new opportunity");
                    }
                }
                match (segment, close_date) {
                    (Some(s), Some(d)) => Opportunity::new("", name, s, d),
                    _ => return Ok(()),
                }
            }
        };
        if row.has_errors() {
            return Ok(());
        }
        opportunity.name = name.to_string();
        set(&mut opportunity.opportunity_type, kind);
        set(&mut opportunity.stage, stage);
        set(&mut opportunity.amount, amount);
        set(&mut opportunity.iacv, iacv);
        match (currency, index, &account_id) {
            (Some(c), _, _) => opportunity.currency = c,
            // A new deal on a known account is in the account's currency, as in the app.
            (None, None, Some(id)) => {
                if let Some(c) = self.account_currency.get(id) {
                    opportunity.currency = c.clone();
                }
            }
            _ => {}
        }
        set(&mut opportunity.segment, segment);
        set(&mut opportunity.close_date, close_date);
        if partner.is_some() {
            opportunity.registered_partner_id = partner;
        }
        set(&mut opportunity.win_loss_reason, reason.map(str::to_string));
        set(&mut opportunity.owner, owner.map(str::to_string));
        set(
            &mut opportunity.customer_understanding,
            understanding.map(str::to_string),
        );
        set(&mut opportunity.command_plan, command_plan);
        set(&mut opportunity.has_pitch_deck, pitch_deck);
        set(
            &mut opportunity.pitch_deck_url,
            deck_url.map(str::to_string),
        );
        set(&mut opportunity.understanding_via_partner, via_partner);
        set(&mut opportunity.partner_discount, discount);
        set(&mut opportunity.services_attach, attach);

        let new_account = match &account_id {
            Some(id) => {
                opportunity.account_id = id.clone();
                None
            }
            None => {
                // A new account is in the currency of the deal that brings it.
                let account = Account {
                    currency: opportunity.currency.clone(),
                    ..Account::new(account_name, owner.unwrap_or(""))
                };
                if let Err(e) = account.validate() {
                    row.invalid_record(e, &[("name", "account")]);
                    return Ok(());
                }
                opportunity.account_id = account.id.clone();
                Some(account)
            }
        };
        if let Err(e) = opportunity.validate() {
            row.invalid_record(e, &[]);
            return Ok(());
        }

        if let Some(account) = new_account {
            self.account_by_name
                .insert(key(account_name), account.id.clone());
            self.new_accounts.created(account);
        }
        let index = match index {
            Some(i) => {
                self.opportunities.set(i, opportunity);
                i
            }
            None => {
                let k = (opportunity.account_id.clone(), key(name));
                let i = self.opportunities.created(opportunity);
                self.opportunity_of.insert(k, i);
                i
            }
        };
        self.line_of.insert(index, row.line);
        Ok(())
    }

    pub fn finish(self) -> Writes {
        let mut writes = Writes::default();
        writes.accounts = writes.take(self.new_accounts);
        writes.opportunities = writes.take(self.opportunities);
        writes
    }
}

/// Sets `slot` when the file gave a value.
fn set<T>(slot: &mut T, value: Option<T>) {
    if let Some(v) = value {
        *slot = v;
    }
}

/// `yes`/`no`, `true`/`false`, `y`/`n`, `1`/`0`.
fn parse_yes_no(field: &str, text: &str) -> Result<bool> {
    match normalize(text).as_str() {
        "yes" | "y" | "true" | "1" | "x" => Ok(true),
        "no" | "n" | "false" | "0" => Ok(false),
        _ => Err(CoreError::invalid(
            field,
            format!("{text:?} is not yes or no"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yes_and_no_in_their_usual_spellings() {
        assert!(parse_yes_no("via", "Yes").unwrap());
        assert!(!parse_yes_no("via", "FALSE").unwrap());
        let err = parse_yes_no("via", "maybe").unwrap_err().to_string();
        assert!(err.starts_with("via:"), "{err}");
    }
}
