//! The record kinds the server syncs and their field names: the same names the client's store
//! uses (`cdesk-core`'s `tables.rs`; a test keeps the two lists equal).

/// One record kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Partner,
    Person,
    EnablementItem,
    BusinessPlan,
    Account,
    Opportunity,
    CallNote,
    NextStep,
    Certification,
    TrackRequirement,
    Badge,
    BadgeRequirement,
    R7Threshold,
    JourneyCapability,
    CurriculumModule,
}

/// The partner regions (a partner and a manager each have exactly one).
pub const REGIONS: &[&str] = &["americas", "emea", "apac", "public_sector"];

impl Kind {
    pub const ALL: [Kind; 15] = [
        Kind::Partner,
        Kind::Person,
        Kind::EnablementItem,
        Kind::BusinessPlan,
        Kind::Account,
        Kind::Opportunity,
        Kind::CallNote,
        Kind::NextStep,
        Kind::Certification,
        Kind::TrackRequirement,
        Kind::Badge,
        Kind::BadgeRequirement,
        Kind::R7Threshold,
        Kind::JourneyCapability,
        Kind::CurriculumModule,
    ];

    pub fn parse(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == name)
    }

    /// The wire name.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Partner => "partner",
            Kind::Person => "person",
            Kind::EnablementItem => "enablement_item",
            Kind::BusinessPlan => "business_plan",
            Kind::Account => "account",
            Kind::Opportunity => "opportunity",
            Kind::CallNote => "call_note",
            Kind::NextStep => "next_step",
            Kind::Certification => "certification",
            Kind::TrackRequirement => "track_requirement",
            Kind::Badge => "badge",
            Kind::BadgeRequirement => "badge_requirement",
            Kind::R7Threshold => "r7_threshold",
            Kind::JourneyCapability => "journey_capability",
            Kind::CurriculumModule => "curriculum_module",
        }
    }

    /// Rules tables: everyone reads them, only admins write them.
    pub fn is_rules(self) -> bool {
        matches!(
            self,
            Kind::Certification
                | Kind::TrackRequirement
                | Kind::Badge
                | Kind::BadgeRequirement
                | Kind::R7Threshold
                | Kind::JourneyCapability
                | Kind::CurriculumModule
        )
    }

    /// Kinds that carry an author (call notes in a field; next steps as recorded by the server).
    pub fn is_authored(self) -> bool {
        matches!(self, Kind::CallNote | Kind::NextStep)
    }

    /// Every field except `id`, in the client's column order.
    pub fn fields(self) -> &'static [&'static str] {
        match self {
            Kind::Partner => &[
                "name",
                "partner_types",
                "track",
                "region",
                "owner",
                "journey_stage",
                "capabilities",
                "badges",
                "account_notes",
                "last_phd_review",
                "created_at",
                "updated_at",
            ],
            Kind::Person => &[
                "partner_id",
                "name",
                "email",
                "role",
                "created_at",
                "updated_at",
            ],
            Kind::EnablementItem => &[
                "partner_id",
                "person_id",
                "certification_id",
                "module_id",
                "target_date",
                "status",
                "completed_on",
                "expires_on",
                "created_at",
                "updated_at",
            ],
            Kind::BusinessPlan => &[
                "partner_id",
                "fiscal_year",
                "goals",
                "growth_arr_target",
                "new_customer_arr_target",
                "services_practice",
                "target_stage",
                "marketing_plan",
                "mdf_requests",
                "joint_webinars",
                "certification_plan",
                "kpis",
                "status",
                "created_at",
                "updated_at",
            ],
            Kind::Account => &[
                "name",
                "tier",
                "tier_notes",
                "partner_id",
                "owner",
                "created_at",
                "updated_at",
            ],
            Kind::Opportunity => &[
                "account_id",
                "name",
                "opportunity_type",
                "stage",
                "amount",
                "iacv",
                "segment",
                "close_date",
                "registered_partner_id",
                "win_loss_reason",
                "customer_understanding",
                "command_plan",
                "has_pitch_deck",
                "owner",
                "created_at",
                "updated_at",
            ],
            Kind::CallNote => &[
                "title",
                "body",
                "via_partner",
                "partner_id",
                "account_id",
                "opportunity_id",
                "author",
                "occurred_at",
                "created_at",
                "updated_at",
            ],
            Kind::NextStep => &[
                "description",
                "owner",
                "due_on",
                "agreed_with_partner",
                "status",
                "note_id",
                "partner_id",
                "opportunity_id",
                "done_at",
                "created_at",
                "updated_at",
            ],
            Kind::Certification => &["name", "validity_months", "sort_order"],
            Kind::TrackRequirement => &["track", "certification_id", "count"],
            Kind::Badge => &["name", "requires_track_compliance"],
            Kind::BadgeRequirement => &["badge_id", "certification_id", "count"],
            Kind::R7Threshold => &["segment", "requirement", "metric", "threshold"],
            Kind::JourneyCapability => &["stage", "area", "label", "sort_order"],
            Kind::CurriculumModule => {
                &["level", "section", "title", "kind", "minutes", "sort_order"]
            }
        }
    }

    /// The fields that identify a record of this kind in the domain, apart from its id: the
    /// client's stores hold one record per value (a UNIQUE constraint), so the server must too.
    /// Two devices that each create one offline get one record: the second is merged into the
    /// first (push.rs).
    pub fn natural_key(self) -> Option<&'static [&'static str]> {
        match self {
            Kind::BusinessPlan => Some(&["partner_id", "fiscal_year"]),
            Kind::TrackRequirement => Some(&["track", "certification_id"]),
            Kind::BadgeRequirement => Some(&["badge_id", "certification_id"]),
            Kind::R7Threshold => Some(&["segment", "requirement", "metric"]),
            _ => None,
        }
    }

    /// Fields that decide who may see the record: they must be text (or null).
    pub fn scope_fields(self) -> &'static [&'static str] {
        match self {
            Kind::Partner => &["owner", "region"],
            Kind::Person | Kind::EnablementItem | Kind::BusinessPlan => &["partner_id"],
            Kind::Account => &["partner_id", "owner"],
            Kind::Opportunity => &["account_id", "registered_partner_id"],
            Kind::CallNote => &["partner_id", "account_id", "opportunity_id", "author"],
            Kind::NextStep => &["note_id", "partner_id", "opportunity_id"],
            _ => &[],
        }
    }

    /// Timestamps the client sets on every write: they are versioned like any field, but two
    /// edits that both touched them are no conflict (every concurrent edit would be one).
    pub fn is_bookkeeping(field: &str) -> bool {
        matches!(field, "created_at" | "updated_at")
    }

    pub fn rules() -> impl Iterator<Item = Kind> {
        Kind::ALL.into_iter().filter(|k| k.is_rules())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for kind in Kind::ALL {
            assert_eq!(Kind::parse(kind.name()), Some(kind));
        }
        assert_eq!(
            Kind::parse("partners"),
            None,
            "table names are not kind names"
        );
    }

    #[test]
    fn natural_keys_are_fields() {
        for kind in Kind::ALL {
            for f in kind.natural_key().unwrap_or_default() {
                assert!(kind.fields().contains(f), "{f} is a field of {kind:?}");
            }
        }
    }

    #[test]
    fn scope_fields_are_fields() {
        for kind in Kind::ALL {
            for f in kind.scope_fields() {
                assert!(kind.fields().contains(f), "{f} is a field of {kind:?}");
            }
        }
    }
}
