//! The closed vocabularies of the domain. Each value has a stable code (stored, synced, used in
//! CSV and on the command line) and a label for people. Parsing accepts either, ignoring case,
//! and an unknown value is refused with the list of allowed ones.

use serde::{Deserialize, Serialize};

use crate::error::{DomainError, Result};

macro_rules! text_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $code:literal / $label:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[cfg_attr(feature = "specta", derive(specta::Type))]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $code)] $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable code, as stored and synced.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            /// The name a person reads.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            /// Parses a code or a label, ignoring case and surrounding spaces.
            pub fn parse(field: &str, text: &str) -> Result<Self> {
                let wanted = text.trim();
                $name::ALL
                    .iter()
                    .copied()
                    .find(|v| v.code().eq_ignore_ascii_case(wanted) || v.label().eq_ignore_ascii_case(wanted))
                    .ok_or_else(|| {
                        let allowed: Vec<&str> = $name::ALL.iter().map(|v| v.code()).collect();
                        DomainError::invalid(
                            field,
                            format!("{wanted:?} is not one of: {}", allowed.join(", ")),
                        )
                    })
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.label())
            }
        }
    };
}

text_enum!(
    /// What kind of business a partner is (a partner may be several: a "Solution Provider").
    PartnerType {
        VarVad = "var_vad" / "VAR/VAD",
        Dmr = "dmr" / "DMR",
        GlobalSi = "global_si" / "Global SI",
        RegionalSi = "regional_si" / "Regional SI",
        BoutiqueSi = "boutique_si" / "Boutique SI",
        Msp = "msp" / "Managed Service Provider",
        Alliance = "alliance" / "Alliance",
        Distributor = "distributor" / "Distributor",
    }
);

text_enum!(
    /// The program track a partner is in.
    Track {
        Open = "open" / "Open",
        Select = "select" / "Select",
        Distribution = "distribution" / "Distribution",
    }
);

text_enum!(
    /// A partner agreement covers exactly one region.
    Region {
        Americas = "americas" / "Americas",
        Emea = "emea" / "EMEA",
        Apac = "apac" / "APAC",
        PublicSector = "public_sector" / "Public Sector",
    }
);

text_enum!(
    /// The four maturity stages of the partner capabilities journey.
    JourneyStage {
        Onboarding = "onboarding" / "01 Onboarding",
        Established = "established" / "02 Established",
        Leading = "leading" / "03 Leading",
        Strategic = "strategic" / "04 Strategic",
    }
);

text_enum!(
    /// Where a person's certification or module stands in the enablement plan.
    EnablementStatus {
        Planned = "planned" / "Planned",
        InProgress = "in_progress" / "In progress",
        Certified = "certified" / "Certified",
        Lapsed = "lapsed" / "Lapsed",
    }
);

text_enum!(
    /// An MDF request's way (seed 003): drafted in the plan, reviewed with the CAM, submitted
    /// in the Partner Portal, approved, claimed.
    #[derive(Default)]
    MdfStatus {
        #[default]
        Drafted = "drafted" / "Drafted",
        ReviewedWithCam = "reviewed_with_cam" / "Reviewed with the CAM",
        Submitted = "submitted" / "Submitted",
        Approved = "approved" / "Approved",
        Claimed = "claimed" / "Claimed",
    }
);

impl MdfStatus {
    /// Sent to the portal (or further): it must have been reviewed with the CAM first.
    pub fn is_submitted(self) -> bool {
        self >= MdfStatus::Submitted
    }

    /// Funds the partner can count on.
    pub fn is_approved(self) -> bool {
        self >= MdfStatus::Approved
    }
}

text_enum!(
    /// An NFR licence request's way (seed 003): requested by the CAM or partner, verified by
    /// the Partner Help Desk, the licence sent to the partner's contact; or refused, with why.
    #[derive(Default)]
    NfrStatus {
        #[default]
        Requested = "requested" / "Requested",
        Verified = "verified" / "Verified",
        Sent = "sent" / "Sent",
        Refused = "refused" / "Refused",
    }
);

text_enum!(
    /// A business plan's life: drafted by the CAM, agreed with the partner, archived.
    PlanStatus {
        Draft = "draft" / "Draft",
        Agreed = "agreed" / "Agreed with partner",
        Archived = "archived" / "Archived",
    }
);

text_enum!(
    /// Service offerings a partner practice can include (seed 001).
    ServiceOffering {
        Assessment = "assessment" / "Assessment",
        Migration = "migration" / "Migration",
        Integration = "integration" / "Integration",
        Implementation = "implementation" / "Implementation",
        Education = "education" / "Education",
        Optimization = "optimization" / "Optimization",
        ManagedHosted = "managed_hosted" / "Managed/hosted services",
        SecurityCompliance = "security_compliance" / "Security/compliance",
    }
);

text_enum!(
    /// The customer segment an opportunity sells into.
    Segment {
        Smb = "smb" / "SMB",
        MidMarket = "mid_market" / "Mid-Market",
    }
);

text_enum!(
    /// Account tiering (R7: every customer with CARR or an open opportunity is tiered).
    Tier {
        Tier1 = "tier1" / "Tier 1",
        Tier2 = "tier2" / "Tier 2",
        Tier3 = "tier3" / "Tier 3",
        Untiered = "untiered" / "Untiered",
    }
);

text_enum!(
    /// Opportunity type. Services only: a service partner brought in to assess or optimize a
    /// customer's deployment, with no licence ARR of its own.
    OpportunityType {
        NewBusiness = "new_business" / "New Business",
        AddOn = "add_on" / "Add-On Business",
        Renewal = "renewal" / "Renewal",
        ServicesOnly = "services_only" / "Services Only",
    }
);

text_enum!(
    /// Opportunity stage, in pipeline order.
    OpportunityStage {
        Qualifying = "qualifying" / "Qualifying",
        Discovery = "discovery" / "Discovery",
        Scoping = "scoping" / "Scoping",
        TechnicalEvaluation = "technical_evaluation" / "Technical Evaluation",
        Proposal = "proposal" / "Proposal",
        Negotiating = "negotiating" / "Negotiating",
        ClosedWon = "closed_won" / "Closed Won",
        ClosedLost = "closed_lost" / "Closed Lost",
    }
);

impl OpportunityStage {
    pub fn is_closed(self) -> bool {
        matches!(
            self,
            OpportunityStage::ClosedWon | OpportunityStage::ClosedLost
        )
    }
}

text_enum!(
    /// How much of a command plan an opportunity has (or needs).
    CommandPlanLevel {
        None = "none" / "None",
        Overview = "overview" / "Overview",
        Full = "full" / "Full",
    }
);

text_enum!(
    /// A next step's state.
    NextStepStatus {
        Open = "open" / "Open",
        Done = "done" / "Done",
        Cancelled = "cancelled" / "Cancelled",
    }
);

text_enum!(
    /// What an R7 threshold rule requires once crossed.
    R7Requirement {
        CommandPlanOverview = "command_plan_overview" / "Command plan (overview)",
        CommandPlanFull = "command_plan_full" / "Command plan (full)",
        PitchDeck = "pitch_deck" / "Custom pitch deck",
    }
);

text_enum!(
    /// Which money figure of an opportunity an R7 threshold compares.
    R7Metric {
        Amount = "amount" / "Amount",
        Iacv = "iacv" / "IACV",
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_codes_and_labels_ignoring_case() {
        assert_eq!(Track::parse("track", "select").unwrap(), Track::Select);
        assert_eq!(Region::parse("region", " emea ").unwrap(), Region::Emea);
        assert_eq!(
            Segment::parse("segment", "Mid-Market").unwrap(),
            Segment::MidMarket
        );
        assert_eq!(
            JourneyStage::parse("stage", "02 established").unwrap(),
            JourneyStage::Established
        );
    }

    #[test]
    fn unknown_value_lists_the_allowed_ones() {
        let err = Track::parse("track", "Platinum").unwrap_err().to_string();
        assert!(err.starts_with("track:"), "{err}");
        assert!(err.contains("open, select, distribution"), "{err}");
    }

    #[test]
    fn serde_uses_the_stable_code() {
        assert_eq!(
            serde_json::to_string(&Segment::MidMarket).unwrap(),
            "\"mid_market\""
        );
        assert!(serde_json::from_str::<Segment>("\"enterprise\"").is_err());
    }

    #[test]
    fn stages_are_in_pipeline_order() {
        assert!(OpportunityStage::Discovery < OpportunityStage::Proposal);
        assert!(OpportunityStage::ClosedWon.is_closed());
        assert!(!OpportunityStage::Negotiating.is_closed());
    }
}
