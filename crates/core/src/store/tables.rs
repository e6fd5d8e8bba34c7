//! Which table each entity lives in, and how its fields map to columns.
//!
//! Field names are the serde names of the domain types; a test round-trips every entity so a
//! field added to a type but not here (or the reverse) fails at once.

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::domain::*;
use crate::error::Result;

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
    fn id(&self) -> &str;
    fn validate(&self) -> Result<()>;
}

macro_rules! entity {
    ($ty:ty, $table:literal, $kind:literal, [$($field:ident: $col:ident),+ $(,)?]) => {
        impl Entity for $ty {
            const TABLE: &'static str = $table;
            const KIND: &'static str = $kind;
            const COLUMNS: &'static [(&'static str, Col)] = &[$((stringify!($field), Col::$col)),+];
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
    last_phd_review: Text, created_at: Text, updated_at: Text,
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
    new_customer_arr_target: Int, services_practice: Json, target_stage: Text,
    marketing_plan: Text, mdf_requests: Json, joint_webinars: Int, certification_plan: Json,
    kpis: Json, status: Text, created_at: Text, updated_at: Text,
]);

entity!(Account, "accounts", "account", [
    id: Text, name: Text, tier: Text, tier_notes: Text, partner_id: Text, owner: Text,
    created_at: Text, updated_at: Text,
]);

entity!(Opportunity, "opportunities", "opportunity", [
    id: Text, account_id: Text, name: Text, opportunity_type: Text, stage: Text, amount: Int,
    iacv: Int, segment: Text, close_date: Text, registered_partner_id: Text,
    win_loss_reason: Text, customer_understanding: Text, command_plan: Text,
    has_pitch_deck: Bool, owner: Text, created_at: Text, updated_at: Text,
]);

entity!(CallNote, "call_notes", "call_note", [
    id: Text, title: Text, body: Text, via_partner: Bool, partner_id: Text, account_id: Text,
    opportunity_id: Text, author: Text, occurred_at: Text, created_at: Text, updated_at: Text,
]);

entity!(NextStep, "next_steps", "next_step", [
    id: Text, description: Text, owner: Text, due_on: Text, agreed_with_partner: Bool,
    status: Text, note_id: Text, partner_id: Text, opportunity_id: Text, done_at: Text,
    created_at: Text, updated_at: Text,
]);

entity!(Certification, "certifications", "certification", [
    id: Text, name: Text, validity_months: Int, sort_order: Int,
]);

entity!(TrackRequirement, "track_requirements", "track_requirement", [
    id: Text, track: Text, certification_id: Text, count: Int,
]);

entity!(Badge, "badges", "badge", [id: Text, name: Text, requires_track_compliance: Bool]);

entity!(BadgeRequirement, "badge_requirements", "badge_requirement", [
    id: Text, badge_id: Text, certification_id: Text, count: Int,
]);

entity!(R7Threshold, "r7_thresholds", "r7_threshold", [
    id: Text, segment: Text, requirement: Text, metric: Text, threshold: Int,
]);

entity!(JourneyCapability, "journey_capabilities", "journey_capability", [
    id: Text, stage: Text, area: Text, label: Text, sort_order: Int,
]);

entity!(CurriculumModule, "curriculum_modules", "curriculum_module", [
    id: Text, level: Text, section: Text, title: Text, kind: Text, minutes: Int, sort_order: Int,
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
    Certification::KIND,
    TrackRequirement::KIND,
    Badge::KIND,
    BadgeRequirement::KIND,
    R7Threshold::KIND,
    JourneyCapability::KIND,
    CurriculumModule::KIND,
];

/// Runs `$body` with `$E` bound to the entity type whose KIND is `$kind`, or `$unknown`.
macro_rules! with_kind {
    ($kind:expr, $E:ident => $body:expr, unknown => $unknown:expr) => {{
        use $crate::domain::*;
        use $crate::store::tables::Entity as _;
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
pub(crate) use with_kind;
