//! The record kinds the server syncs, as a typed handle on the record contract
//! (`cdesk_domain::record`): their fields, natural keys and validation come from there, as the
//! clients' stores take them (a test keeps the list of kinds equal).

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
    NfrRequest,
    Certification,
    TrackRequirement,
    Badge,
    BadgeRequirement,
    R7Threshold,
    ExchangeRate,
    JourneyCapability,
    CurriculumModule,
}

/// The partner regions (a partner and a manager each have exactly one).
pub const REGIONS: &[&str] = &["americas", "emea", "apac", "public_sector"];

impl Kind {
    pub const ALL: [Kind; 17] = [
        Kind::Partner,
        Kind::Person,
        Kind::EnablementItem,
        Kind::BusinessPlan,
        Kind::Account,
        Kind::Opportunity,
        Kind::CallNote,
        Kind::NextStep,
        Kind::NfrRequest,
        Kind::Certification,
        Kind::TrackRequirement,
        Kind::Badge,
        Kind::BadgeRequirement,
        Kind::R7Threshold,
        Kind::ExchangeRate,
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
            Kind::NfrRequest => "nfr_request",
            Kind::Certification => "certification",
            Kind::TrackRequirement => "track_requirement",
            Kind::Badge => "badge",
            Kind::BadgeRequirement => "badge_requirement",
            Kind::R7Threshold => "r7_threshold",
            Kind::ExchangeRate => "exchange_rate",
            Kind::JourneyCapability => "journey_capability",
            Kind::CurriculumModule => "curriculum_module",
        }
    }

    /// Rules tables: everyone reads them, only admins write them.
    pub fn is_rules(self) -> bool {
        cdesk_domain::record::is_rules(self.name())
    }

    /// Kinds that carry an author (call notes in a field; next steps as recorded by the server).
    pub fn is_authored(self) -> bool {
        matches!(self, Kind::CallNote | Kind::NextStep)
    }

    /// Every field except `id`, in the client's column order: the record contract's
    /// (`cdesk_domain::record`), which the local stores use too.
    pub fn fields(self) -> impl Iterator<Item = &'static str> {
        cdesk_domain::record::fields(self.name())
            .unwrap_or_default()
            .iter()
            .map(|(field, _)| *field)
    }

    pub fn has_field(self, field: &str) -> bool {
        self.fields().any(|f| f == field)
    }

    /// The fields that identify a record of this kind apart from its id (the contract's): two
    /// devices that each create one offline get one record (push.rs merges the second).
    pub fn natural_key(self) -> Option<&'static [&'static str]> {
        cdesk_domain::record::natural_key(self.name())
    }

    /// Fields that decide who may see the record: they must be text (or null).
    pub fn scope_fields(self) -> &'static [&'static str] {
        match self {
            Kind::Partner => &["owner", "region"],
            Kind::Person | Kind::EnablementItem | Kind::BusinessPlan | Kind::NfrRequest => {
                &["partner_id"]
            }
            Kind::Account => &["partner_id", "owner"],
            Kind::Opportunity => &[
                "account_id",
                "registered_partner_id",
                "incumbent_partner_id",
            ],
            Kind::CallNote => &["partner_id", "account_id", "opportunity_id", "author"],
            Kind::NextStep => &["note_id", "partner_id", "opportunity_id"],
            _ => &[],
        }
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
    fn the_kinds_are_the_contracts() {
        let names: Vec<&str> = Kind::ALL.iter().map(|k| k.name()).collect();
        assert_eq!(names, cdesk_domain::record::KINDS);
        for kind in Kind::ALL {
            assert!(kind.fields().count() > 1, "{kind:?} has fields");
        }
    }

    #[test]
    fn scope_fields_are_fields() {
        for kind in Kind::ALL {
            for f in kind.scope_fields() {
                assert!(kind.has_field(f), "{f} is a field of {kind:?}");
            }
        }
    }
}
