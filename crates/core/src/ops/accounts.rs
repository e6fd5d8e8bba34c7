//! Co-selling records: accounts (tiered) and opportunities with the facts R7 asks for.

use serde::{Deserialize, Serialize};

use super::{input, resolve};
use crate::domain::*;
use crate::error::{CoreError, Result};
use crate::rules::{
    incumbent_right, opportunity_r7, partner_compliance, Conversion, IncumbentRight, R7Check,
};
use crate::store::{Reader, Store};

/// A customer or prospect.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct NewAccount {
    pub name: String,
    /// The sales rep who owns the account.
    pub owner: String,
    /// Untiered when not given.
    #[cfg_attr(feature = "specta", specta(type = Option<Tier>))]
    pub tier: Option<String>,
    pub tier_notes: Option<String>,
    /// The partner co-selling on the account, by id or name.
    pub partner: Option<String>,
    /// Current ARR, e.g. `48000` or `$48,000`.
    pub carr: Option<String>,
    /// ISO 4217 code of the CARR and of new deals; the partner's when not given (US dollars
    /// without a partner).
    pub currency: Option<String>,
}

/// Changes to an account; only the fields given change. An empty `partner` takes the
/// co-selling partner away.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct AccountChanges {
    /// The account, by id or name.
    pub account: String,
    pub name: Option<String>,
    #[cfg_attr(feature = "specta", specta(type = Option<Tier>))]
    pub tier: Option<String>,
    /// What the partner uncovered that bears on the tier.
    pub tier_notes: Option<String>,
    /// Current ARR, e.g. `48000` or `$48,000`.
    pub carr: Option<String>,
    /// The co-selling partner, by id or name; empty for none.
    pub partner: Option<String>,
    pub owner: Option<String>,
    /// ISO 4217 code of the CARR and of new deals (deals already written keep theirs).
    pub currency: Option<String>,
}

/// An account as the Accounts screen lists it: its partner, what it pays and has open, whether
/// R7 wants it tiered, the last call and the next step.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct AccountLine {
    pub account: Account,
    pub partner_name: Option<String>,
    pub open_deals: usize,
    /// The amount of its open deals, in the account's currency.
    pub open_pipeline: Money,
    /// How deals in other currencies were converted into the account's, in words; empty when
    /// none were.
    pub pipeline_conversion: Vec<String>,
    /// Untiered although a customer (CARR above zero) or a prospect with an open deal.
    pub needs_tier: bool,
    pub last_note: Option<AccountNote>,
    pub next_step: Option<AccountStep>,
}

/// An account's latest call.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct AccountNote {
    pub id: String,
    pub title: String,
    pub occurred_at: crate::time::Timestamp,
}

/// An account's soonest open next step.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct AccountStep {
    pub description: String,
    pub due_on: chrono::NaiveDate,
}

/// Which accounts to list.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct AccountQuery {
    /// Only those a partner (by id or name) co-sells.
    pub partner: Option<String>,
    /// Only those a sales rep owns.
    pub owner: Option<String>,
    /// Only those R7 wants tiered.
    pub needs_tier_only: bool,
}

/// A tier change, with what the partner uncovered that justifies it (R7).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct TierChange {
    pub account: String,
    #[cfg_attr(feature = "specta", specta(type = Tier))]
    pub tier: String,
    pub tier_notes: Option<String>,
}

/// A deal. Amounts are typed (`12500`, `$12,500.00`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct NewOpportunity {
    /// The account, by id or name.
    pub account: String,
    pub name: String,
    #[cfg_attr(feature = "specta", specta(type = Segment))]
    pub segment: String,
    pub close_date: String,
    /// New business when not given.
    #[cfg_attr(feature = "specta", specta(type = Option<OpportunityType>))]
    pub opportunity_type: Option<String>,
    /// Qualifying when not given.
    #[cfg_attr(feature = "specta", specta(type = Option<OpportunityStage>))]
    pub stage: Option<String>,
    pub amount: Option<String>,
    pub iacv: Option<String>,
    /// ISO 4217 code of the amounts; the account's when not given.
    pub currency: Option<String>,
    /// The partner that registered the deal, by id or name.
    pub registered_partner: Option<String>,
    /// How much of a command plan exists: none, overview, full.
    #[cfg_attr(feature = "specta", specta(type = Option<CommandPlanLevel>))]
    pub command_plan: Option<String>,
    pub has_pitch_deck: bool,
    pub owner: Option<String>,
    pub customer_understanding: Option<String>,
    pub win_loss_reason: Option<String>,
    pub pitch_deck_url: Option<String>,
    pub understanding_via_partner: bool,
    pub partner_discount: Option<String>,
    pub services_attach: Option<String>,
    /// A renewal's incumbent partner, by id or name; when a renewal names none, the partner
    /// that sold the account's latest won deal.
    pub incumbent_partner: Option<String>,
    pub incumbent_declined_by_customer: bool,
}

/// Changes to an opportunity; only the fields given change. An empty `registered_partner`
/// takes the registration away; an empty amount is refused (say `0`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct OpportunityChanges {
    /// The opportunity, by id or name.
    pub opportunity: String,
    pub name: Option<String>,
    #[cfg_attr(feature = "specta", specta(type = Option<OpportunityType>))]
    pub opportunity_type: Option<String>,
    #[cfg_attr(feature = "specta", specta(type = Option<Segment>))]
    pub segment: Option<String>,
    #[cfg_attr(feature = "specta", specta(type = Option<OpportunityStage>))]
    pub stage: Option<String>,
    pub amount: Option<String>,
    pub iacv: Option<String>,
    /// ISO 4217 code of the deal's amounts.
    pub currency: Option<String>,
    pub close_date: Option<String>,
    /// The partner that registered the deal, by id or name; empty for none.
    pub registered_partner: Option<String>,
    #[cfg_attr(feature = "specta", specta(type = Option<CommandPlanLevel>))]
    pub command_plan: Option<String>,
    pub has_pitch_deck: Option<bool>,
    pub pitch_deck_url: Option<String>,
    pub customer_understanding: Option<String>,
    pub understanding_via_partner: Option<bool>,
    pub partner_discount: Option<String>,
    pub services_attach: Option<String>,
    /// A renewal's incumbent partner, by id or name; empty for none.
    pub incumbent_partner: Option<String>,
    pub incumbent_declined_by_customer: Option<bool>,
    pub owner: Option<String>,
    pub win_loss_reason: Option<String>,
}

/// An opportunity in a list, with its account's name and what R7 says of it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct OpportunityLine {
    pub opportunity: Opportunity,
    pub account_name: String,
    /// The partner co-selling on the deal's account, if any (the registering partner is on
    /// the deal itself).
    pub co_selling_partner_id: Option<String>,
    pub r7: R7Check,
    /// What an open deal lacks to be kept honest (past its close date, no next step).
    pub attention: DealAttention,
    /// The partner discount credited back to the seller (channel neutral).
    pub channel_neutral_credit: Money,
    /// A renewal's incumbent and its first right of refusal.
    pub incumbent: Option<IncumbentRight>,
}

/// An open deal's housekeeping flags: a close date already gone, no open next step.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct DealAttention {
    pub past_close_date: bool,
    pub no_next_step: bool,
}

impl DealAttention {
    /// The flags of `opp` on `today`, given whether it has an open next step. Closed deals
    /// need nothing.
    pub fn of(opp: &Opportunity, today: chrono::NaiveDate, has_open_step: bool) -> Self {
        if opp.stage.is_closed() {
            return DealAttention::default();
        }
        DealAttention {
            past_close_date: opp.close_date < today,
            no_next_step: !has_open_step,
        }
    }

    pub fn any(self) -> bool {
        self.past_close_date || self.no_next_step
    }
}

/// Which opportunities to list.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct OpportunityQuery {
    /// Only those a partner (by id or name) registered or co-sells.
    pub partner: Option<String>,
    /// Only those on an account (by id or name).
    pub account: Option<String>,
    /// Leave out closed deals.
    pub open_only: bool,
    /// Only those with an R7 gap.
    pub r7_gaps_only: bool,
}

/// Creates an account; a name another account has is refused.
pub fn create_account(store: &mut Store, input: &NewAccount) -> Result<Account> {
    let tier = input::optional("tier", input.tier.as_deref(), Tier::parse)?;
    let carr = input::optional_money("carr", input.carr.as_deref())?;
    let currency = input::optional("currency", input.currency.as_deref(), Currency::parse)?;
    store.write(|w| {
        let reader = w.read();
        if reader.find_account(&input.name)?.is_some() {
            return Err(CoreError::Duplicate(format!(
                "an account named {:?} already exists",
                input.name.trim()
            )));
        }
        let mut account = Account::new(&input.name, &input.owner);
        account.tier = tier.unwrap_or(Tier::Untiered);
        account.tier_notes = input.tier_notes.clone().unwrap_or_default();
        if let Some(key) = input.partner.as_deref().filter(|k| !k.trim().is_empty()) {
            let partner = reader.resolve_partner(key)?;
            account.partner_id = Some(partner.id);
            account.currency = partner.currency;
        }
        account.carr = carr.unwrap_or_default();
        if let Some(currency) = currency {
            account.currency = currency;
        }
        w.put(&account)?;
        Ok(account)
    })
}

/// Sets an account's tier and, when given, what the partner uncovered about it.
pub fn set_account_tier(store: &mut Store, change: &TierChange) -> Result<Account> {
    Tier::parse("tier", &change.tier)?;
    update_account(
        store,
        &AccountChanges {
            account: change.account.clone(),
            tier: Some(change.tier.clone()),
            tier_notes: change.tier_notes.clone(),
            ..AccountChanges::default()
        },
    )
}

/// Changes the given fields of an account: its name (unique), tier and tier notes, CARR,
/// co-selling partner and owner.
pub fn update_account(store: &mut Store, changes: &AccountChanges) -> Result<Account> {
    let c = changes;
    let tier = input::optional("tier", c.tier.as_deref(), Tier::parse)?;
    let carr = input::optional_money("carr", c.carr.as_deref())?;
    let currency = input::optional("currency", c.currency.as_deref(), Currency::parse)?;
    store.write(|w| {
        let reader = w.read();
        let mut account = resolve::account(reader, &c.account)?;
        if let Some(name) = c.name.as_deref().map(str::trim) {
            if let Some(other) = reader.find_account(name)?.filter(|o| o.id != account.id) {
                return Err(CoreError::Duplicate(format!(
                    "an account named {:?} already exists",
                    other.name
                )));
            }
            account.name = name.to_string();
        }
        account.tier = tier.unwrap_or(account.tier);
        if let Some(notes) = &c.tier_notes {
            account.tier_notes = notes.clone();
        }
        account.carr = carr.unwrap_or(account.carr);
        account.currency = currency.unwrap_or(account.currency);
        if let Some(key) = &c.partner {
            account.partner_id = match key.trim() {
                "" => None,
                key => Some(reader.resolve_partner(key)?.id),
            };
        }
        if let Some(owner) = &c.owner {
            account.owner = owner.trim().to_string();
        }
        w.put(&account)?;
        w.read().account(&account.id)
    })
}

/// Accounts by name, each with its partner, open pipeline, tiering need, last call and next
/// step.
pub fn list_account_lines(reader: Reader<'_>, query: &AccountQuery) -> Result<Vec<AccountLine>> {
    let partner_id = match query.partner.as_deref().filter(|p| !p.trim().is_empty()) {
        Some(key) => Some(reader.resolve_partner(key)?.id),
        None => None,
    };
    let owner = query
        .owner
        .as_deref()
        .map(str::trim)
        .filter(|o| !o.is_empty());
    let partners = super::next_steps::partner_refs(reader)?;
    let mut open = reader.open_deals_per_account()?;
    let book = reader.rule_book()?;
    // The account's currency and its deals' currencies → what their conversion says.
    let mut said: std::collections::HashMap<String, Vec<String>> = Default::default();
    let mut notes = reader.last_note_per_account()?;
    let mut steps = reader.next_step_per_account()?;
    let lines = reader
        .accounts()?
        .into_iter()
        .filter(|a| partner_id.is_none() || a.partner_id == partner_id)
        .filter(|a| owner.is_none_or(|o| a.owner.eq_ignore_ascii_case(o)))
        .map(|a| {
            let deals = open.remove(&a.id).unwrap_or_default();
            let to = a.currency.as_str();
            let open_pipeline = deals
                .amounts
                .iter()
                .filter_map(|(from, amount)| book.rates().convert(*amount, from, to))
                .sum();
            // The words depend only on the currencies: said once per combination, not per
            // account (thousands of accounts share a few).
            let mut key = to.to_string();
            for (c, _) in &deals.amounts {
                key.push(' ');
                key.push_str(c);
            }
            let pipeline_conversion = said
                .entry(key)
                .or_insert_with(|| {
                    let mut conversion = Conversion::new(&book.exchange_rates, a.currency.clone());
                    for (c, amount) in &deals.amounts {
                        conversion.convert(*amount, c);
                    }
                    conversion.finish().lines
                })
                .clone();
            let open_deals = deals.count;
            AccountLine {
                partner_name: a
                    .partner_id
                    .as_ref()
                    .and_then(|p| partners.get(p).map(|r| r.name.clone())),
                open_deals,
                open_pipeline,
                pipeline_conversion,
                needs_tier: crate::rules::account_needs_tier(&a, open_deals),
                last_note: notes
                    .remove(&a.id)
                    .map(|(id, title, occurred_at)| AccountNote {
                        id,
                        title,
                        occurred_at,
                    }),
                next_step: steps
                    .remove(&a.id)
                    .map(|(description, due_on)| AccountStep {
                        description,
                        due_on,
                    }),
                account: a,
            }
        })
        .filter(|l| !query.needs_tier_only || l.needs_tier)
        .collect();
    Ok(lines)
}

/// R7 asks why a deal was won or lost: a closed deal must say.
fn check_closed_has_reason(opp: &Opportunity) -> Result<()> {
    if opp.stage.is_closed() && opp.win_loss_reason.trim().is_empty() {
        return Err(CoreError::invalid(
            "win_loss_reason",
            format!("a {} deal says why it was won or lost", opp.stage.label()),
        ));
    }
    Ok(())
}

/// Creates an opportunity on an account, with its R7 facts (command plan, pitch deck).
pub fn create_opportunity(store: &mut Store, input: &NewOpportunity) -> Result<Opportunity> {
    let segment = Segment::parse("segment", &input.segment)?;
    let close_date = input::date("close_date", &input.close_date)?;
    let kind = input::optional(
        "type",
        input.opportunity_type.as_deref(),
        OpportunityType::parse,
    )?;
    let stage = input::optional("stage", input.stage.as_deref(), OpportunityStage::parse)?;
    let amount = input::optional_money("amount", input.amount.as_deref())?;
    let iacv = input::optional_money("iacv", input.iacv.as_deref())?;
    let plan = input::optional(
        "command_plan",
        input.command_plan.as_deref(),
        CommandPlanLevel::parse,
    )?;
    let discount = input::optional_money("partner_discount", input.partner_discount.as_deref())?;
    let attach = input::optional_money("services_attach", input.services_attach.as_deref())?;
    let currency = input::optional("currency", input.currency.as_deref(), Currency::parse)?;
    store.write(|w| {
        let reader = w.read();
        let account = resolve::account(reader, &input.account)?;
        let mut opp = Opportunity::new(&account.id, &input.name, segment, close_date);
        opp.currency = currency.unwrap_or_else(|| account.currency.clone());
        opp.pitch_deck_url = input
            .pitch_deck_url
            .clone()
            .unwrap_or_default()
            .trim()
            .into();
        // A link to the deck says there is one.
        opp.has_pitch_deck = input.has_pitch_deck || !opp.pitch_deck_url.is_empty();
        opp.understanding_via_partner = input.understanding_via_partner;
        opp.partner_discount = discount.unwrap_or_default();
        opp.services_attach = attach.unwrap_or_default();
        opp.opportunity_type = kind.unwrap_or(opp.opportunity_type);
        opp.stage = stage.unwrap_or(opp.stage);
        opp.amount = amount.unwrap_or_default();
        opp.iacv = iacv.unwrap_or_default();
        opp.command_plan = plan.unwrap_or(CommandPlanLevel::None);
        opp.owner = input.owner.clone().unwrap_or_else(|| account.owner.clone());
        opp.customer_understanding = input.customer_understanding.clone().unwrap_or_default();
        opp.win_loss_reason = input.win_loss_reason.clone().unwrap_or_default();
        if let Some(key) = input
            .registered_partner
            .as_deref()
            .filter(|k| !k.trim().is_empty())
        {
            opp.registered_partner_id = Some(reader.resolve_partner(key)?.id);
        }
        opp.incumbent_partner_id = match input
            .incumbent_partner
            .as_deref()
            .filter(|k| !k.trim().is_empty())
        {
            Some(key) => Some(reader.resolve_partner(key)?.id),
            None if opp.opportunity_type == OpportunityType::Renewal => {
                reader.partner_of_last_won_deal(&account.id)?
            }
            None => None,
        };
        opp.incumbent_declined_by_customer = input.incumbent_declined_by_customer;
        check_closed_has_reason(&opp)?;
        w.put(&opp)?;
        Ok(opp)
    })
}

/// Changes the given fields of an opportunity: what it is (name, type, segment, owner), where
/// it stands (stage, close date, amounts), who is on it, and its R7 facts. A closed stage needs
/// the win/loss reason, in the same change or already on the deal.
pub fn update_opportunity(store: &mut Store, changes: &OpportunityChanges) -> Result<Opportunity> {
    let c = changes;
    let kind = input::optional(
        "type",
        c.opportunity_type.as_deref(),
        OpportunityType::parse,
    )?;
    let segment = input::optional("segment", c.segment.as_deref(), Segment::parse)?;
    let stage = input::optional("stage", c.stage.as_deref(), OpportunityStage::parse)?;
    let amount = input::optional_money("amount", c.amount.as_deref())?;
    let iacv = input::optional_money("iacv", c.iacv.as_deref())?;
    let close = input::optional_date("close_date", c.close_date.as_deref())?;
    let plan = input::optional(
        "command_plan",
        c.command_plan.as_deref(),
        CommandPlanLevel::parse,
    )?;
    let discount = input::optional_money("partner_discount", c.partner_discount.as_deref())?;
    let attach = input::optional_money("services_attach", c.services_attach.as_deref())?;
    let currency = input::optional("currency", c.currency.as_deref(), Currency::parse)?;
    store.write(|w| {
        let reader = w.read();
        let mut opp = resolve::opportunity(reader, &c.opportunity, None)?;
        opp.currency = currency.unwrap_or(opp.currency);
        if let Some(name) = &c.name {
            opp.name = name.trim().to_string();
        }
        opp.opportunity_type = kind.unwrap_or(opp.opportunity_type);
        opp.segment = segment.unwrap_or(opp.segment);
        opp.stage = stage.unwrap_or(opp.stage);
        opp.amount = amount.unwrap_or(opp.amount);
        opp.iacv = iacv.unwrap_or(opp.iacv);
        opp.close_date = close.unwrap_or(opp.close_date);
        if let Some(key) = &c.registered_partner {
            opp.registered_partner_id = match key.trim() {
                "" => None,
                key => Some(reader.resolve_partner(key)?.id),
            };
        }
        opp.command_plan = plan.unwrap_or(opp.command_plan);
        opp.has_pitch_deck = c.has_pitch_deck.unwrap_or(opp.has_pitch_deck);
        if let Some(url) = &c.pitch_deck_url {
            opp.pitch_deck_url = url.trim().to_string();
            // A link to the deck says there is one.
            opp.has_pitch_deck |= !opp.pitch_deck_url.is_empty() && c.has_pitch_deck.is_none();
        }
        if let Some(text) = &c.customer_understanding {
            opp.customer_understanding = text.clone();
        }
        opp.understanding_via_partner = c
            .understanding_via_partner
            .unwrap_or(opp.understanding_via_partner);
        opp.partner_discount = discount.unwrap_or(opp.partner_discount);
        opp.services_attach = attach.unwrap_or(opp.services_attach);
        if let Some(key) = &c.incumbent_partner {
            opp.incumbent_partner_id = match key.trim() {
                "" => None,
                key => Some(reader.resolve_partner(key)?.id),
            };
        }
        opp.incumbent_declined_by_customer = c
            .incumbent_declined_by_customer
            .unwrap_or(opp.incumbent_declined_by_customer);
        if let Some(owner) = &c.owner {
            opp.owner = owner.trim().to_string();
        }
        if let Some(text) = &c.win_loss_reason {
            opp.win_loss_reason = text.trim().to_string();
        }
        check_closed_has_reason(&opp)?;
        w.put(&opp)?;
        w.read().opportunity(&opp.id)
    })
}

/// Opportunities with their account and R7 check, by close date.
pub fn list_opportunities(
    reader: Reader<'_>,
    query: &OpportunityQuery,
) -> Result<Vec<OpportunityLine>> {
    let partner_id = match query.partner.as_deref().filter(|p| !p.trim().is_empty()) {
        Some(key) => Some(reader.resolve_partner(key)?.id),
        None => None,
    };
    let account_id = match query.account.as_deref().filter(|a| !a.trim().is_empty()) {
        Some(key) => Some(resolve::account(reader, key)?.id),
        None => None,
    };
    let book = reader.rule_book()?;
    let accounts: std::collections::HashMap<String, Account> = reader
        .accounts()?
        .into_iter()
        .map(|a| (a.id.clone(), a))
        .collect();
    let with_open_step = reader.opportunities_with_open_steps()?;
    let today = crate::time::today();
    let incumbents = Incumbents::new(reader, today);
    let lines = reader
        .opportunities(partner_id.as_deref())?
        .into_iter()
        .filter(|o| !query.open_only || !o.stage.is_closed())
        .filter(|o| account_id.as_ref().is_none_or(|a| &o.account_id == a))
        .map(|o| {
            let account = accounts.get(&o.account_id);
            let co_selling_partner_id = account.and_then(|a| a.partner_id.clone());
            let partner_on_deal =
                o.registered_partner_id.is_some() || co_selling_partner_id.is_some();
            Ok(OpportunityLine {
                incumbent: incumbents.right(&o)?,
                r7: opportunity_r7(&book.r7_thresholds, book.rates(), &o),
                attention: DealAttention::of(&o, today, with_open_step.contains(&o.id)),
                channel_neutral_credit: o.channel_neutral_credit(partner_on_deal),
                account_name: account.map(|a| a.name.clone()).unwrap_or_default(),
                co_selling_partner_id,
                opportunity: o,
            })
        })
        .filter(|line| {
            line.as_ref()
                .map_or(true, |l| !query.r7_gaps_only || l.r7.has_gap())
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(lines)
}

/// The first right of refusal of renewals' incumbents, reading each incumbent's compliance
/// once and its calls on an account only for the renewals that name it.
struct Incumbents<'r> {
    reader: Reader<'r>,
    today: chrono::NaiveDate,
    /// Partner id → (name, compliant).
    partners: std::cell::RefCell<std::collections::HashMap<String, (String, bool)>>,
}

impl<'r> Incumbents<'r> {
    fn new(reader: Reader<'r>, today: chrono::NaiveDate) -> Self {
        Incumbents {
            reader,
            today,
            partners: Default::default(),
        }
    }

    fn right(&self, opp: &Opportunity) -> Result<Option<IncumbentRight>> {
        let Some(id) = opp
            .incumbent_partner_id
            .as_deref()
            .filter(|_| opp.opportunity_type == OpportunityType::Renewal)
        else {
            return Ok(None);
        };
        if !self.partners.borrow().contains_key(id) {
            let partner = self.reader.partner(id)?;
            let items = self.reader.enablement_items(id)?;
            let book = self.reader.rule_book()?;
            let compliant = !partner_compliance(&partner, &items, &book, self.today).has_gap();
            self.partners
                .borrow_mut()
                .insert(id.to_string(), (partner.name, compliant));
        }
        let (name, compliant) = self.partners.borrow()[id].clone();
        let last_call = self.reader.last_call_on_account(id, &opp.account_id)?;
        Ok(incumbent_right(
            opp, &name, compliant, last_call, self.today,
        ))
    }
}

/// All accounts, by name.
pub fn list_accounts(reader: Reader<'_>) -> Result<Vec<Account>> {
    reader.accounts()
}
