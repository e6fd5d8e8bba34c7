//! The domain: partners, enablement, business plans, co-selling, and the rules tables.
//! Plain data with validation; persistence is in `cdesk_core::store`, rules in `cdesk_core::rules`.

pub mod enablement;
pub mod enums;
pub mod money;
pub mod nfr;
pub mod partner;
pub mod plan;
pub mod rules;
pub mod selling;
pub mod validate;

pub use enablement::EnablementItem;
pub use enums::*;
pub use money::{Currency, Money, Rate, BASE_CURRENCY};
pub use nfr::{NfrRequest, MAX_NFR_SEATS};
pub use partner::{BadgeEvidence, BadgeGrant, BadgeReviewRecord, Partner, Person};
pub use plan::{BusinessPlan, CertificationCommitment, MdfRequest, TimeToValue};
pub use rules::{
    Badge, BadgeRequirement, Certification, CurriculumModule, ExchangeRate, JourneyCapability,
    R7Threshold, TrackRequirement,
};
pub use selling::{Account, CallNote, NextStep, Opportunity};
