//! Editing the rules tables (admins): how many certified people a track or badge needs, the
//! R7 thresholds, and the exchange rates sums across currencies are converted with. Rules are records like any other: every change goes through the outbox
//! and syncs; the server decides who may make it.

use serde::{Deserialize, Serialize};

use super::input;
use crate::domain::*;
use crate::error::{CoreError, Result};
use crate::rules::RuleBook;
use crate::store::{Reader, Store};

/// A new count for one track or badge requirement, by the requirement's id.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct RequirementCountChange {
    pub id: String,
    pub count: i64,
}

/// A new threshold for one R7 rule, as typed (`5000`, `$5,000.00`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct R7ThresholdChange {
    pub id: String,
    pub threshold: String,
}

/// An exchange rate as typed: US dollars for one unit of `currency`, and the day it was taken
/// (today when not given).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct ExchangeRateInput {
    pub currency: String,
    /// e.g. `1.0845`.
    pub usd_per_unit: String,
    pub as_of: Option<String>,
}

/// All the rules tables.
pub fn rule_book(reader: Reader<'_>) -> Result<RuleBook> {
    reader.rule_book()
}

/// Whether the person of this profile may edit the rules tables: an admin, as the server
/// decides, or anyone on a profile nobody ever signed in to (a desk that does not sync keeps
/// its own rules). Checked here too, so that a CAM's edit is refused at once instead of being
/// computed with until the server refuses it.
pub fn may_edit_rules(reader: Reader<'_>) -> Result<bool> {
    Ok(matches!(
        reader.profile_role()?,
        None | Some(cdesk_protocol::Role::Admin)
    ))
}

fn ensure_may_edit_rules(reader: Reader<'_>) -> Result<()> {
    if may_edit_rules(reader)? {
        return Ok(());
    }
    let role = serde_json::to_value(reader.profile_role()?)?;
    Err(CoreError::invalid(
        "rules",
        format!(
            "only a program admin edits the rules tables; this profile is signed in as a {}",
            role.as_str().unwrap_or("user")
        ),
    ))
}

fn not_found(entity: &'static str, id: &str) -> CoreError {
    CoreError::NotFound {
        entity,
        id: id.to_string(),
    }
}

/// Changes how many certified people a track requirement asks for.
pub fn set_track_requirement_count(
    store: &mut Store,
    change: &RequirementCountChange,
) -> Result<TrackRequirement> {
    store.write(|w| {
        ensure_may_edit_rules(w.read())?;
        let book = w.read().rule_book()?;
        let mut rule = book
            .track_requirements
            .into_iter()
            .find(|r| r.id == change.id)
            .ok_or_else(|| not_found("track requirement", &change.id))?;
        rule.count = change.count;
        w.put(&rule)?;
        Ok(rule)
    })
}

/// Changes how many certified people a badge requirement asks for.
pub fn set_badge_requirement_count(
    store: &mut Store,
    change: &RequirementCountChange,
) -> Result<BadgeRequirement> {
    store.write(|w| {
        ensure_may_edit_rules(w.read())?;
        let book = w.read().rule_book()?;
        let mut rule = book
            .badge_requirements
            .into_iter()
            .find(|r| r.id == change.id)
            .ok_or_else(|| not_found("badge requirement", &change.id))?;
        rule.count = change.count;
        w.put(&rule)?;
        Ok(rule)
    })
}

/// Changes the amount over which an R7 rule fires.
pub fn set_r7_threshold(store: &mut Store, change: &R7ThresholdChange) -> Result<R7Threshold> {
    let threshold = input::optional_money("threshold", Some(&change.threshold))?
        .ok_or_else(|| CoreError::invalid("threshold", "give an amount, e.g. 5000"))?;
    store.write(|w| {
        ensure_may_edit_rules(w.read())?;
        let book = w.read().rule_book()?;
        let mut rule = book
            .r7_thresholds
            .into_iter()
            .find(|r| r.id == change.id)
            .ok_or_else(|| not_found("R7 threshold", &change.id))?;
        rule.threshold = threshold;
        w.put(&rule)?;
        Ok(rule)
    })
}

/// Sets the rate of a currency: the one already kept for it is changed, or a new one added.
pub fn set_exchange_rate(store: &mut Store, input: &ExchangeRateInput) -> Result<ExchangeRate> {
    let currency = Currency::parse("currency", &input.currency)?;
    let usd_per_unit = Rate::parse("usd_per_unit", &input.usd_per_unit)?;
    let as_of =
        input::optional_date("as_of", input.as_of.as_deref())?.unwrap_or_else(crate::time::today);
    store.write(|w| {
        ensure_may_edit_rules(w.read())?;
        let kept = w
            .read()
            .rule_book()?
            .exchange_rates
            .into_iter()
            .find(|r| r.currency == currency);
        let rate = ExchangeRate {
            id: kept.map_or_else(crate::time::new_id, |r| r.id),
            currency,
            usd_per_unit,
            as_of,
        };
        w.put(&rate)?;
        Ok(rate)
    })
}

/// Removes the rate of a currency (by code): sums leave its amounts out again, and say so.
pub fn remove_exchange_rate(store: &mut Store, currency: &str) -> Result<()> {
    let currency = Currency::parse("currency", currency)?;
    store.write(|w| {
        ensure_may_edit_rules(w.read())?;
        let rate = w
            .read()
            .rule_book()?
            .exchange_rates
            .into_iter()
            .find(|r| r.currency == currency)
            .ok_or_else(|| not_found("exchange rate", currency.as_str()))?;
        w.delete::<ExchangeRate>(&rate.id)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rule_change_is_a_change_to_sync() {
        let mut store = Store::open_in_memory().unwrap();
        let rule = store.read().rule_book().unwrap().track_requirements[0].clone();
        let before = store.read().outbox_len().unwrap();
        let change = RequirementCountChange {
            id: rule.id.clone(),
            count: rule.count + 1,
        };
        let saved = set_track_requirement_count(&mut store, &change).unwrap();
        assert_eq!(saved.count, rule.count + 1);
        assert_eq!(
            store.read().outbox_len().unwrap(),
            before + 1,
            "rules sync too"
        );
    }

    #[test]
    fn only_an_admin_or_a_profile_nobody_signed_in_to_edits_the_rules() {
        use cdesk_protocol::Role;
        let mut store = Store::open_in_memory().unwrap();
        let rule = store.read().rule_book().unwrap().track_requirements[0].clone();
        let change = |count| RequirementCountChange {
            id: rule.id.clone(),
            count,
        };
        assert!(may_edit_rules(store.read()).unwrap(), "nobody signed in");
        set_track_requirement_count(&mut store, &change(rule.count + 1)).unwrap();

        store.set_profile_role(Some(Role::Cam)).unwrap();
        assert!(!may_edit_rules(store.read()).unwrap());
        let before = store.read().outbox_len().unwrap();
        let err = set_track_requirement_count(&mut store, &change(rule.count + 2)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "rules: only a program admin edits the rules tables; this profile is signed in as a cam"
        );
        assert_eq!(
            store.read().outbox_len().unwrap(),
            before,
            "nothing written"
        );
        let threshold = R7ThresholdChange {
            id: store.read().rule_book().unwrap().r7_thresholds[0]
                .id
                .clone(),
            threshold: "1".into(),
        };
        assert!(set_r7_threshold(&mut store, &threshold).is_err());

        store.set_profile_role(Some(Role::Admin)).unwrap();
        set_track_requirement_count(&mut store, &change(rule.count + 2)).unwrap();
    }

    #[test]
    fn a_requirement_of_zero_people_is_refused() {
        let mut store = Store::open_in_memory().unwrap();
        let rule = store.read().rule_book().unwrap().badge_requirements[0].clone();
        let change = RequirementCountChange {
            id: rule.id,
            count: 0,
        };
        let err = set_badge_requirement_count(&mut store, &change).unwrap_err();
        assert_eq!(err.code(), "invalid", "{err}");
    }

    #[test]
    fn an_r7_threshold_is_typed_money() {
        let mut store = Store::open_in_memory().unwrap();
        let rule = store.read().rule_book().unwrap().r7_thresholds[0].clone();
        let change = R7ThresholdChange {
            id: rule.id.clone(),
            threshold: "$7,500".into(),
        };
        assert_eq!(
            set_r7_threshold(&mut store, &change).unwrap().threshold,
            Money::from_dollars(7_500)
        );
        let bad = R7ThresholdChange {
            id: rule.id,
            threshold: "lots".into(),
        };
        assert!(set_r7_threshold(&mut store, &bad).is_err(), "not money");
    }
}
