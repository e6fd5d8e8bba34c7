//! Editing the rules tables (admins): a row of any table added, changed whole or removed; the R7
//! thresholds and exchange rates as typed. Rules are records like any other: every change goes
//! through the outbox and syncs; the server decides who may make it.

use serde::{Deserialize, Serialize};

use super::input;
use crate::domain::*;
use crate::error::{CoreError, Result};
use crate::rules::RuleBook;
use crate::store::{Reader, Store};

/// A new threshold for one R7 rule, as typed (`5000`, `$5,000.00`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct R7ThresholdChange {
    /// The rule to change; blank adds a rule for `segment`, `requirement` and `metric`.
    pub id: String,
    pub threshold: String,
    #[cfg_attr(feature = "specta", specta(type = Option<Segment>))]
    pub segment: Option<String>,
    #[cfg_attr(feature = "specta", specta(type = Option<R7Requirement>))]
    pub requirement: Option<String>,
    #[cfg_attr(feature = "specta", specta(type = Option<R7Metric>))]
    pub metric: Option<String>,
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

/// Changes the amount over which an R7 rule fires, or adds a rule (a blank id) for a segment,
/// requirement and metric: the amount as typed, read by the core's one rule of money.
pub fn set_r7_threshold(store: &mut Store, change: &R7ThresholdChange) -> Result<R7Threshold> {
    let threshold = input::optional_money("threshold", Some(&change.threshold))?
        .ok_or_else(|| CoreError::invalid("threshold", "give an amount, e.g. 5000"))?;
    let id = change.id.trim();
    let rule = if id.is_empty() {
        let required = |field: &str, value: &Option<String>| {
            value
                .clone()
                .filter(|v| !v.trim().is_empty())
                .ok_or_else(|| CoreError::invalid(field, "a new R7 rule names it"))
        };
        R7Threshold {
            id: String::new(),
            segment: Segment::parse("segment", &required("segment", &change.segment)?)?,
            requirement: R7Requirement::parse(
                "requirement",
                &required("requirement", &change.requirement)?,
            )?,
            metric: R7Metric::parse("metric", &required("metric", &change.metric)?)?,
            threshold,
        }
    } else {
        let mut rule = store
            .read()
            .rule_book()?
            .r7_thresholds
            .into_iter()
            .find(|r| r.id == id)
            .ok_or_else(|| not_found("R7 threshold", id))?;
        rule.threshold = threshold;
        rule
    };
    match put_rule(store, &RuleRow::R7Threshold(rule))? {
        RuleRow::R7Threshold(saved) => Ok(saved),
        other => unreachable!("an R7 threshold was saved as {other:?}"),
    }
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

/// The rules tables, by name: which one a row is added to or removed from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum RuleTable {
    Certification,
    TrackRequirement,
    Badge,
    BadgeRequirement,
    R7Threshold,
    ExchangeRate,
    JourneyCapability,
    CurriculumModule,
}

/// A row of any rules table, whole, as an admin adds or changes it. A blank id adds a row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "table", content = "row", rename_all = "snake_case")]
pub enum RuleRow {
    Certification(Certification),
    TrackRequirement(TrackRequirement),
    Badge(Badge),
    BadgeRequirement(BadgeRequirement),
    R7Threshold(R7Threshold),
    ExchangeRate(ExchangeRate),
    JourneyCapability(JourneyCapability),
    CurriculumModule(CurriculumModule),
}

impl RuleRow {
    fn id_mut(&mut self) -> &mut String {
        match self {
            RuleRow::Certification(r) => &mut r.id,
            RuleRow::TrackRequirement(r) => &mut r.id,
            RuleRow::Badge(r) => &mut r.id,
            RuleRow::BadgeRequirement(r) => &mut r.id,
            RuleRow::R7Threshold(r) => &mut r.id,
            RuleRow::ExchangeRate(r) => &mut r.id,
            RuleRow::JourneyCapability(r) => &mut r.id,
            RuleRow::CurriculumModule(r) => &mut r.id,
        }
    }
}

/// Another row of the same table that `row` would duplicate (the same natural key, or the
/// same name), in words.
fn duplicate_of(book: &RuleBook, row: &RuleRow) -> Option<String> {
    fn other<'a, T>(
        rows: &'a [T],
        id: &str,
        same: impl Fn(&T) -> bool,
        id_of: impl Fn(&T) -> &str,
    ) -> Option<&'a T> {
        rows.iter().find(|r| id_of(r) != id && same(r))
    }
    match row {
        RuleRow::Certification(c) => other(
            &book.certifications,
            &c.id,
            |o| o.name.trim().eq_ignore_ascii_case(c.name.trim()),
            |o| &o.id,
        )
        .map(|o| format!("a certification named {:?} is already in the rules", o.name)),
        RuleRow::Badge(b) => other(
            &book.badges,
            &b.id,
            |o| o.name.trim().eq_ignore_ascii_case(b.name.trim()),
            |o| &o.id,
        )
        .map(|o| format!("a badge named {:?} is already in the rules", o.name)),
        RuleRow::TrackRequirement(t) => other(
            &book.track_requirements,
            &t.id,
            |o| o.track == t.track && o.certification_id == t.certification_id,
            |o| &o.id,
        )
        .map(|o| {
            format!(
                "{} already requires {} certified in {}: change that row's count",
                o.track,
                o.count,
                book.certification_name(&o.certification_id)
            )
        }),
        RuleRow::BadgeRequirement(r) => other(
            &book.badge_requirements,
            &r.id,
            |o| o.badge_id == r.badge_id && o.certification_id == r.certification_id,
            |o| &o.id,
        )
        .map(|o| {
            format!(
                "{} already requires {} certified in {}: change that row's count",
                book.badge(&o.badge_id)
                    .map_or(o.badge_id.as_str(), |b| b.name.as_str()),
                o.count,
                book.certification_name(&o.certification_id)
            )
        }),
        RuleRow::R7Threshold(r) => other(
            &book.r7_thresholds,
            &r.id,
            |o| o.segment == r.segment && o.requirement == r.requirement && o.metric == r.metric,
            |o| &o.id,
        )
        .map(|o| {
            format!(
                "{} already has a threshold for {} by {}: change that row",
                o.segment, o.requirement, o.metric
            )
        }),
        RuleRow::ExchangeRate(r) => other(
            &book.exchange_rates,
            &r.id,
            |o| o.currency == r.currency,
            |o| &o.id,
        )
        .map(|o| format!("{} already has a rate: change that row", o.currency)),
        RuleRow::JourneyCapability(c) => other(
            &book.journey_capabilities,
            &c.id,
            |o| o.stage == c.stage && o.label.trim().eq_ignore_ascii_case(c.label.trim()),
            |o| &o.id,
        )
        .map(|o| format!("{:?} is already a capability of {}", o.label, o.stage)),
        RuleRow::CurriculumModule(m) => other(
            &book.curriculum_modules,
            &m.id,
            |o| o.level == m.level && o.title.trim().eq_ignore_ascii_case(m.title.trim()),
            |o| &o.id,
        )
        .map(|o| format!("{:?} is already a {} module", o.title, o.level)),
    }
}

/// A certification or badge a requirement names must be in the rules.
fn check_references(book: &RuleBook, row: &RuleRow) -> Result<()> {
    let certification = |id: &str| {
        if book.certifications.iter().any(|c| c.id == id) {
            Ok(())
        } else {
            Err(CoreError::invalid(
                "certification_id",
                format!("{id:?} is not a certification in the rules"),
            ))
        }
    };
    match row {
        RuleRow::TrackRequirement(r) => certification(&r.certification_id),
        RuleRow::BadgeRequirement(r) => {
            if book.badge(&r.badge_id).is_none() {
                return Err(CoreError::invalid(
                    "badge_id",
                    format!("{:?} is not a badge in the rules", r.badge_id),
                ));
            }
            certification(&r.certification_id)
        }
        _ => Ok(()),
    }
}

/// Adds a row to a rules table (a blank id) or changes one (by id), whole: the row is
/// validated, must not repeat another, and must name certifications and badges that exist.
pub fn put_rule(store: &mut Store, row: &RuleRow) -> Result<RuleRow> {
    let mut row = row.clone();
    store.write(|w| {
        ensure_may_edit_rules(w.read())?;
        let id = row.id_mut();
        *id = id.trim().to_string();
        if id.is_empty() {
            *id = crate::time::new_id();
        }
        let book = w.read().rule_book()?;
        if let Some(duplicate) = duplicate_of(&book, &row) {
            return Err(CoreError::invalid("rules", duplicate));
        }
        check_references(&book, &row)?;
        match &row {
            RuleRow::Certification(r) => w.put(r),
            RuleRow::TrackRequirement(r) => w.put(r),
            RuleRow::Badge(r) => w.put(r),
            RuleRow::BadgeRequirement(r) => w.put(r),
            RuleRow::R7Threshold(r) => w.put(r),
            RuleRow::ExchangeRate(r) => w.put(r),
            RuleRow::JourneyCapability(r) => w.put(r),
            RuleRow::CurriculumModule(r) => w.put(r),
        }?;
        Ok(row)
    })
}

/// What still uses a certification, badge or module, in words: such a row is not removed
/// (people's enablement, partners' badges and the requirements would point at nothing).
fn still_used(
    reader: Reader<'_>,
    book: &RuleBook,
    table: RuleTable,
    id: &str,
) -> Result<Option<String>> {
    let count = |sql: &str| reader.count_where(sql, id);
    Ok(match table {
        RuleTable::Certification => {
            let requirements = book
                .track_requirements
                .iter()
                .filter(|r| r.certification_id == id)
                .count()
                + book
                    .badge_requirements
                    .iter()
                    .filter(|r| r.certification_id == id)
                    .count();
            let items = count("SELECT count(*) FROM enablement_items WHERE certification_id = ?")?;
            (requirements + items > 0).then(|| {
                format!("{requirements} requirement(s) and {items} enablement plan line(s) name it: remove or change those first")
            })
        }
        RuleTable::Badge => {
            let requirements = book
                .badge_requirements
                .iter()
                .filter(|r| r.badge_id == id)
                .count();
            let holders = count("SELECT count(*) FROM partners, json_each(partners.badges) WHERE json_extract(json_each.value, '$.badge_id') = ?")?;
            (requirements + holders > 0).then(|| {
                format!("{requirements} requirement(s) name it and {holders} partner(s) hold it: remove those first")
            })
        }
        RuleTable::CurriculumModule => {
            let items = count("SELECT count(*) FROM enablement_items WHERE module_id = ?")?;
            (items > 0)
                .then(|| format!("{items} enablement plan line(s) name it: remove those first"))
        }
        _ => None,
    })
}

/// Removes a row from a rules table, unless something still uses it.
pub fn remove_rule(store: &mut Store, table: RuleTable, id: &str) -> Result<()> {
    store.write(|w| {
        ensure_may_edit_rules(w.read())?;
        let book = w.read().rule_book()?;
        let exists = match table {
            RuleTable::Certification => book.certifications.iter().any(|r| r.id == id),
            RuleTable::TrackRequirement => book.track_requirements.iter().any(|r| r.id == id),
            RuleTable::Badge => book.badges.iter().any(|r| r.id == id),
            RuleTable::BadgeRequirement => book.badge_requirements.iter().any(|r| r.id == id),
            RuleTable::R7Threshold => book.r7_thresholds.iter().any(|r| r.id == id),
            RuleTable::ExchangeRate => book.exchange_rates.iter().any(|r| r.id == id),
            RuleTable::JourneyCapability => book.journey_capabilities.iter().any(|r| r.id == id),
            RuleTable::CurriculumModule => book.curriculum_modules.iter().any(|r| r.id == id),
        };
        if !exists {
            return Err(not_found("rules row", id));
        }
        if let Some(used) = still_used(w.read(), &book, table, id)? {
            return Err(CoreError::invalid(
                "rules",
                format!("{id:?} is still used: {used}"),
            ));
        }
        match table {
            RuleTable::Certification => w.delete::<Certification>(id),
            RuleTable::TrackRequirement => w.delete::<TrackRequirement>(id),
            RuleTable::Badge => w.delete::<Badge>(id),
            RuleTable::BadgeRequirement => w.delete::<BadgeRequirement>(id),
            RuleTable::R7Threshold => w.delete::<R7Threshold>(id),
            RuleTable::ExchangeRate => w.delete::<ExchangeRate>(id),
            RuleTable::JourneyCapability => w.delete::<JourneyCapability>(id),
            RuleTable::CurriculumModule => w.delete::<CurriculumModule>(id),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first track requirement with `count` people, as an admin's edit sends it whole.
    fn track_count(store: &Store, count: i64) -> RuleRow {
        let rule = store.read().rule_book().unwrap().track_requirements[0].clone();
        RuleRow::TrackRequirement(TrackRequirement { count, ..rule })
    }

    #[test]
    fn a_rule_change_is_a_change_to_sync() {
        let mut store = Store::open_in_memory().unwrap();
        let before = store.read().outbox_len().unwrap();
        let saved = {
            let row = track_count(&store, 7);
            put_rule(&mut store, &row)
        }
        .unwrap();
        assert!(matches!(saved, RuleRow::TrackRequirement(r) if r.count == 7));
        assert_eq!(
            store.read().rule_book().unwrap().track_requirements[0].count,
            7
        );
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
        assert!(may_edit_rules(store.read()).unwrap(), "nobody signed in");
        {
            let row = track_count(&store, 5);
            put_rule(&mut store, &row)
        }
        .unwrap();

        store.set_profile_role(Some(Role::Cam)).unwrap();
        assert!(!may_edit_rules(store.read()).unwrap());
        let before = store.read().outbox_len().unwrap();
        let err = {
            let row = track_count(&store, 6);
            put_rule(&mut store, &row)
        }
        .unwrap_err();
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
            ..Default::default()
        };
        assert!(set_r7_threshold(&mut store, &threshold).is_err());

        store.set_profile_role(Some(Role::Admin)).unwrap();
        {
            let row = track_count(&store, 6);
            put_rule(&mut store, &row)
        }
        .unwrap();
    }

    #[test]
    fn a_requirement_of_zero_people_is_refused() {
        let mut store = Store::open_in_memory().unwrap();
        let rule = store.read().rule_book().unwrap().badge_requirements[0].clone();
        let zero = RuleRow::BadgeRequirement(BadgeRequirement { count: 0, ..rule });
        let err = put_rule(&mut store, &zero).unwrap_err();
        assert_eq!(err.code(), "invalid", "{err}");
        assert_eq!(err.to_string(), "count: must be at least 1 (got 0)");
    }

    #[test]
    fn an_r7_threshold_is_typed_money() {
        let mut store = Store::open_in_memory().unwrap();
        let rule = store.read().rule_book().unwrap().r7_thresholds[0].clone();
        let change = R7ThresholdChange {
            id: rule.id.clone(),
            threshold: "$7,500".into(),
            ..Default::default()
        };
        assert_eq!(
            set_r7_threshold(&mut store, &change).unwrap().threshold,
            Money::from_dollars(7_500)
        );
        let bad = R7ThresholdChange {
            id: rule.id,
            threshold: "lots".into(),
            ..Default::default()
        };
        assert!(set_r7_threshold(&mut store, &bad).is_err(), "not money");

        // A blank id adds a rule, once per segment, requirement and metric.
        let new = R7ThresholdChange {
            threshold: "€12,000.50".into(),
            segment: Some("Mid-Market".into()),
            requirement: Some("pitch_deck".into()),
            metric: Some("iacv".into()),
            ..Default::default()
        };
        let added = set_r7_threshold(&mut store, &new).unwrap();
        assert!(!added.id.is_empty());
        assert_eq!(added.threshold, Money(1_200_050));
        let err = set_r7_threshold(&mut store, &new).unwrap_err();
        assert!(err.to_string().contains("already has a threshold"), "{err}");
        let partial = R7ThresholdChange {
            metric: None,
            ..new
        };
        assert_eq!(
            set_r7_threshold(&mut store, &partial)
                .unwrap_err()
                .to_string(),
            "metric: a new R7 rule names it"
        );
    }
}
