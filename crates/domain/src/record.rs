//! The record kinds, defined once for every side of sync: each kind's wire name, the fields it
//! has (and how the local store keeps them: its table and column types), its validation, and its
//! natural key. The local store writes what [`check`] accepts, and the server refuses, per
//! mutation, any record [`check`] does not accept: so no client is ever sent a record it cannot
//! store.
//!
//! Field names are the serde names of the domain types; a test round-trips every entity so a
//! field added to a type but not here (or the reverse) fails at once.

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::domain::*;
use crate::error::{DomainError, Result};

/// How a field is stored in SQLite.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Col {
    /// TEXT (strings, enum codes, dates, timestamps) or NULL.
    Text,
    /// INTEGER (counts, cents, years) or NULL.
    Int,
    /// INTEGER 0/1.
    Bool,
    /// A list or object, stored as JSON text.
    Json,
}

/// A record kind the store can persist: a table, its columns, and its validation.
pub trait Entity: Serialize + DeserializeOwned {
    /// The table name.
    const TABLE: &'static str;
    /// The kind's name in the outbox and on the wire (`partner`, `call_note`, ...).
    const KIND: &'static str;
    /// Every persisted field, `id` first.
    const COLUMNS: &'static [(&'static str, Col)];
    /// A rules table: everyone reads it, only an admin writes it.
    const RULES: bool;
    fn id(&self) -> &str;
    fn validate(&self) -> Result<()>;
}

macro_rules! entity {
    ($ty:ty, $table:literal, $kind:literal, rules, [$($field:ident: $col:ident),+ $(,)?]) => {
        entity!(@impl $ty, $table, $kind, true, [$($field: $col),+]);
    };
    ($ty:ty, $table:literal, $kind:literal, [$($field:ident: $col:ident),+ $(,)?]) => {
        entity!(@impl $ty, $table, $kind, false, [$($field: $col),+]);
    };
    (@impl $ty:ty, $table:literal, $kind:literal, $rules:literal, [$($field:ident: $col:ident),+]) => {
        impl Entity for $ty {
            const TABLE: &'static str = $table;
            const KIND: &'static str = $kind;
            const COLUMNS: &'static [(&'static str, Col)] = &[$((stringify!($field), Col::$col)),+];
            const RULES: bool = $rules;
            fn id(&self) -> &str {
                &self.id
            }
            fn validate(&self) -> Result<()> {
                <$ty>::validate(self)
            }
        }
    };
}

entity!(Partner, "partners", "partner", [
    id: Text, name: Text, partner_types: Json, track: Text, region: Text, owner: Text,
    journey_stage: Text, capabilities: Json, badges: Json, account_notes: Text,
    last_phd_review: Text, tsp_invited_on: Text, currency: Text, created_at: Text, updated_at: Text,
]);

entity!(Person, "people", "person", [
    id: Text, partner_id: Text, name: Text, email: Text, role: Text, created_at: Text,
    updated_at: Text,
]);

entity!(EnablementItem, "enablement_items", "enablement_item", [
    id: Text, partner_id: Text, person_id: Text, certification_id: Text, module_id: Text,
    target_date: Text, status: Text, completed_on: Text, expires_on: Text, created_at: Text,
    updated_at: Text,
]);

entity!(BusinessPlan, "business_plans", "business_plan", [
    id: Text, partner_id: Text, fiscal_year: Int, goals: Text, growth_arr_target: Int,
    new_customer_arr_target: Int, currency: Text, services_practice: Json, target_stage: Text,
    marketing_plan: Text, mdf_requests: Json, joint_webinars: Int, certification_plan: Json,
    kpis: Json, status: Text, created_at: Text, updated_at: Text,
]);

entity!(Account, "accounts", "account", [
    id: Text, name: Text, tier: Text, tier_notes: Text, partner_id: Text, owner: Text, carr: Int,
    currency: Text, created_at: Text, updated_at: Text,
]);

entity!(Opportunity, "opportunities", "opportunity", [
    id: Text, account_id: Text, name: Text, opportunity_type: Text, stage: Text, amount: Int,
    iacv: Int, currency: Text, segment: Text, close_date: Text, registered_partner_id: Text,
    win_loss_reason: Text, customer_understanding: Text, command_plan: Text,
    has_pitch_deck: Bool, pitch_deck_url: Text, understanding_via_partner: Bool,
    partner_discount: Int, services_attach: Int, incumbent_partner_id: Text,
    incumbent_declined_by_customer: Bool, owner: Text, created_at: Text, updated_at: Text,
]);

entity!(CallNote, "call_notes", "call_note", [
    id: Text, title: Text, body: Text, via_partner: Bool, partner_id: Text, account_id: Text,
    opportunity_id: Text, author: Text, occurred_at: Text, created_at: Text, updated_at: Text,
]);

entity!(NextStep, "next_steps", "next_step", [
    id: Text, description: Text, owner: Text, due_on: Text, agreed_with_partner: Bool,
    status: Text, note_id: Text, partner_id: Text, opportunity_id: Text, award_badge_id: Text,
    done_at: Text, created_at: Text, updated_at: Text,
]);

entity!(NfrRequest, "nfr_requests", "nfr_request", [
    id: Text, partner_id: Text, requested_by: Text, requested_on: Text, contact_name: Text,
    contact_email: Text, purpose: Text, seats: Int, status: Text, status_on: Text,
    refusal_reason: Text, created_at: Text, updated_at: Text,
]);

entity!(Certification, "certifications", "certification", rules, [
    id: Text, name: Text, validity_months: Int, sort_order: Int,
]);

entity!(TrackRequirement, "track_requirements", "track_requirement", rules, [
    id: Text, track: Text, certification_id: Text, count: Int,
]);

entity!(Badge, "badges", "badge", rules, [
    id: Text, name: Text, requires_track_compliance: Bool, review_every_months: Int,
    evidence_lead_months: Int, grace_months: Int,
]);

entity!(BadgeRequirement, "badge_requirements", "badge_requirement", rules, [
    id: Text, badge_id: Text, certification_id: Text, count: Int,
]);

entity!(R7Threshold, "r7_thresholds", "r7_threshold", rules, [
    id: Text, segment: Text, requirement: Text, metric: Text, threshold: Int,
]);

entity!(ExchangeRate, "exchange_rates", "exchange_rate", rules, [
    id: Text, currency: Text, usd_per_unit: Int, as_of: Text,
]);

entity!(JourneyCapability, "journey_capabilities", "journey_capability", rules, [
    id: Text, stage: Text, area: Text, label: Text, sort_order: Int,
]);

entity!(CurriculumModule, "curriculum_modules", "curriculum_module", rules, [
    id: Text, level: Text, section: Text, title: Text, kind: Text, minutes: Int, points: Int,
    sort_order: Int,
]);

/// Every kind, by name: what sync and the outbox tests iterate over.
pub const KINDS: &[&str] = &[
    Partner::KIND,
    Person::KIND,
    EnablementItem::KIND,
    BusinessPlan::KIND,
    Account::KIND,
    Opportunity::KIND,
    CallNote::KIND,
    NextStep::KIND,
    NfrRequest::KIND,
    Certification::KIND,
    TrackRequirement::KIND,
    Badge::KIND,
    BadgeRequirement::KIND,
    R7Threshold::KIND,
    ExchangeRate::KIND,
    JourneyCapability::KIND,
    CurriculumModule::KIND,
];

/// Runs `$body` with `$E` bound to the entity type whose KIND is `$kind`, or `$unknown`.
#[macro_export]
macro_rules! with_kind {
    ($kind:expr, $E:ident => $body:expr, unknown => $unknown:expr) => {{
        use $crate::domain::*;
        use $crate::record::Entity as _;
        match $kind {
            k if k == Partner::KIND => {
                type $E = Partner;
                $body
            }
            k if k == Person::KIND => {
                type $E = Person;
                $body
            }
            k if k == EnablementItem::KIND => {
                type $E = EnablementItem;
                $body
            }
            k if k == BusinessPlan::KIND => {
                type $E = BusinessPlan;
                $body
            }
            k if k == Account::KIND => {
                type $E = Account;
                $body
            }
            k if k == Opportunity::KIND => {
                type $E = Opportunity;
                $body
            }
            k if k == CallNote::KIND => {
                type $E = CallNote;
                $body
            }
            k if k == NextStep::KIND => {
                type $E = NextStep;
                $body
            }
            k if k == NfrRequest::KIND => {
                type $E = NfrRequest;
                $body
            }
            k if k == Certification::KIND => {
                type $E = Certification;
                $body
            }
            k if k == TrackRequirement::KIND => {
                type $E = TrackRequirement;
                $body
            }
            k if k == Badge::KIND => {
                type $E = Badge;
                $body
            }
            k if k == BadgeRequirement::KIND => {
                type $E = BadgeRequirement;
                $body
            }
            k if k == R7Threshold::KIND => {
                type $E = R7Threshold;
                $body
            }
            k if k == ExchangeRate::KIND => {
                type $E = ExchangeRate;
                $body
            }
            k if k == JourneyCapability::KIND => {
                type $E = JourneyCapability;
                $body
            }
            k if k == CurriculumModule::KIND => {
                type $E = CurriculumModule;
                $body
            }
            _ => $unknown,
        }
    }};
}
pub use with_kind;

/// The rules kinds: everyone reads them, only an admin writes them.
pub fn is_rules(kind: &str) -> bool {
    with_kind!(kind, E => E::RULES, unknown => false)
}

/// The fields of a record of `kind` but its id, in column order; None for an unknown kind.
pub fn fields(kind: &str) -> Option<&'static [(&'static str, Col)]> {
    with_kind!(kind, E => Some(&E::COLUMNS[1..]), unknown => None)
}

/// The fields that identify a record of `kind` in the domain, apart from its id: a store holds
/// one record per value (a UNIQUE constraint locally), so the server must too. Two devices that
/// each create one offline get one record (the server merges the second into the first).
pub fn natural_key(kind: &str) -> Option<&'static [&'static str]> {
    match kind {
        k if k == BusinessPlan::KIND => Some(&["partner_id", "fiscal_year"]),
        k if k == TrackRequirement::KIND => Some(&["track", "certification_id"]),
        k if k == BadgeRequirement::KIND => Some(&["badge_id", "certification_id"]),
        k if k == R7Threshold::KIND => Some(&["segment", "requirement", "metric"]),
        k if k == ExchangeRate::KIND => Some(&["currency"]),
        _ => None,
    }
}

/// The values a new record of `kind` starts with, where the domain has a blank one (an empty
/// draft plan): a field still at this value was not filled in. None where every value counts.
pub fn blank(kind: &str) -> Option<Map<String, Value>> {
    match kind {
        k if k == BusinessPlan::KIND => match serde_json::to_value(BusinessPlan::draft("", 2000)) {
            Ok(Value::Object(fields)) => Some(fields),
            _ => None,
        },
        _ => None,
    }
}

/// Checks that `fields` (every field of the record but `id`) make a record of `kind` that a
/// store can hold: each field of the right type, none missing, every rule of the domain kept.
/// Fields the kind does not have are not looked at (the server refuses them on its own).
pub fn check(kind: &str, id: &str, fields: &Map<String, Value>) -> Result<()> {
    with_kind!(kind, E => {
        let mut record = fields.clone();
        record.insert("id".into(), Value::String(id.to_string()));
        // The path names the field of a value of the wrong type (serde alone does not).
        let record: E = serde_path_to_error::deserialize(Value::Object(record)).map_err(|e| {
            let what = kind.replace('_', " ");
            match e.path().to_string().as_str() {
                "." => DomainError::invalid(kind, format!("a {what} that does not fit: {}", e.inner())),
                path => DomainError::invalid(path, format!("a {what} that does not fit: {}", e.inner())),
            }
        })?;
        record.validate()
    }, unknown => Err(DomainError::invalid(
        "entity",
        format!("unknown record kind {kind:?}"),
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_a_store_can_hold_passes_and_a_missing_field_is_named() {
        let note = CallNote {
            partner_id: Some("p1".into()),
            ..CallNote::new("Kickoff", "", "cam@x.io")
        };
        let Value::Object(mut fields) = serde_json::to_value(&note).unwrap() else {
            unreachable!()
        };
        fields.remove("id");
        assert_eq!(check("call_note", &note.id, &fields), Ok(()));
        fields.remove("created_at");
        let err = check("call_note", &note.id, &fields).unwrap_err();
        assert!(err.to_string().contains("created_at"), "{err}");
    }

    #[test]
    fn the_rules_of_the_domain_hold_too() {
        let mut note = serde_json::to_value(CallNote::new("Kickoff", "", "cam@x.io")).unwrap();
        let fields = note.as_object_mut().unwrap();
        fields.remove("id");
        let err = check("call_note", "n1", fields).unwrap_err();
        assert!(
            err.to_string().contains("partner"),
            "a note is linked to something: {err}"
        );
        assert!(check("planet", "x", &Map::new()).is_err());
    }

    #[test]
    fn natural_keys_are_fields_and_the_blank_plan_names_every_field() {
        for kind in KINDS {
            let fields = fields(kind).unwrap();
            for key in natural_key(kind).unwrap_or_default() {
                assert!(fields.iter().any(|(f, _)| f == key), "{kind}.{key}");
            }
        }
        let blank = blank("business_plan").unwrap();
        for (f, _) in fields("business_plan").unwrap() {
            assert!(blank.contains_key(*f), "{f}");
        }
    }
}
