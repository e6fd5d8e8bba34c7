//! Partner use cases: create and edit a partner, tick its journey capabilities, grant badges
//! and record their reviews and the evidence sent for them.

use serde::{Deserialize, Serialize};

use chrono::NaiveDate;

use super::{input, resolve};
use crate::domain::*;
use crate::error::{CoreError, Result};
use crate::rules::partner_compliance;
use crate::store::{PartnerFilter, Reader, Store};

/// A new partner. Enum fields take a code or a label (`select`, `Select`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct NewPartner {
    pub name: String,
    /// At least one, e.g. `["var_vad", "boutique_si"]`.
    #[cfg_attr(feature = "specta", specta(type = Vec<PartnerType>))]
    pub partner_types: Vec<String>,
    #[cfg_attr(feature = "specta", specta(type = Track))]
    pub track: String,
    #[cfg_attr(feature = "specta", specta(type = Region))]
    pub region: String,
    /// The CAM who owns the partner.
    pub owner: String,
    /// Journey stage; onboarding when not given.
    #[cfg_attr(feature = "specta", specta(type = Option<JourneyStage>))]
    pub stage: Option<String>,
    pub account_notes: Option<String>,
    /// The ISO 4217 currency the partner sells in (`EUR`); US dollars when not given.
    pub currency: Option<String>,
}

/// Changes to a partner: only the fields given change.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct PartnerChanges {
    /// The partner to change, by id or name.
    pub partner: String,
    pub name: Option<String>,
    #[cfg_attr(feature = "specta", specta(type = Option<Vec<PartnerType>>))]
    pub partner_types: Option<Vec<String>>,
    #[cfg_attr(feature = "specta", specta(type = Option<Track>))]
    pub track: Option<String>,
    #[cfg_attr(feature = "specta", specta(type = Option<Region>))]
    pub region: Option<String>,
    pub owner: Option<String>,
    #[cfg_attr(feature = "specta", specta(type = Option<JourneyStage>))]
    pub stage: Option<String>,
    pub account_notes: Option<String>,
    /// The day the partner was invited to become a Training Services Partner, `YYYY-MM-DD`; an
    /// empty text withdraws the invitation.
    pub tsp_invited_on: Option<String>,
    /// The ISO 4217 currency the partner sells in: its new plans' and accounts'. Plans, accounts
    /// and deals already written keep theirs.
    pub currency: Option<String>,
}

/// Ticks (or unticks) journey capabilities of a partner.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct CapabilityTicks {
    pub partner: String,
    /// Ids from the rules table `journey_capabilities`, e.g. `onb-portal`.
    pub capabilities: Vec<String>,
    /// True ticks them, false unticks them.
    pub ticked: bool,
}

/// A badge granted to a partner.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct BadgeGrantInput {
    pub partner: String,
    /// Badge id or name (`psp`, `PSP`).
    pub badge: String,
    pub granted_on: String,
}

/// A badge's review. The outcome is what the rules compute from the partner's certifications
/// on that date, unless the person overrides it and says why.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct BadgeReviewInput {
    pub partner: String,
    pub badge: String,
    pub reviewed_on: String,
    /// Overrides the computed outcome; needs `override_reason` when it differs.
    pub compliant: Option<bool>,
    pub override_reason: Option<String>,
}

/// Evidence a partner sent ahead of a badge review: when, and which customers it covers.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct BadgeEvidenceInput {
    pub partner: String,
    pub badge: String,
    pub sent_on: String,
    pub customers: Vec<String>,
}

/// Refuses a partner name already in use (ignoring case) by another partner: two partners with
/// one name cannot be told apart by name on the command line or in imports.
fn ensure_name_free(reader: Reader<'_>, name: &str, except_id: Option<&str>) -> Result<()> {
    let wanted = name.trim();
    let filter = PartnerFilter {
        name_contains: Some(wanted.to_string()),
        ..PartnerFilter::default()
    };
    let taken = reader
        .partners(&filter)?
        .into_iter()
        .any(|p| p.name.eq_ignore_ascii_case(wanted) && Some(p.id.as_str()) != except_id);
    if taken {
        return Err(CoreError::Duplicate(format!(
            "a partner named {wanted:?} already exists"
        )));
    }
    Ok(())
}

/// Creates a partner; refuses a name another partner already has.
pub fn create_partner(store: &mut Store, input: &NewPartner) -> Result<Partner> {
    let track = Track::parse("track", &input.track)?;
    let region = Region::parse("region", &input.region)?;
    let mut partner = Partner::new(&input.name, track, region, &input.owner);
    partner.partner_types = input::list("partner_types", &input.partner_types, PartnerType::parse)?;
    if let Some(stage) = input::optional("stage", input.stage.as_deref(), JourneyStage::parse)? {
        partner.journey_stage = stage;
    }
    if let Some(notes) = &input.account_notes {
        partner.account_notes = notes.clone();
    }
    if let Some(currency) = input::optional("currency", input.currency.as_deref(), Currency::parse)?
    {
        partner.currency = currency;
    }
    store.write(|w| {
        ensure_name_free(w.read(), &partner.name, None)?;
        w.put(&partner)?;
        Ok(partner)
    })
}

/// Changes the given fields of a partner; a new name must be free.
pub fn update_partner(store: &mut Store, changes: &PartnerChanges) -> Result<Partner> {
    let currency = input::optional("currency", changes.currency.as_deref(), Currency::parse)?;
    store.write(|w| {
        let mut p = w.read().resolve_partner(&changes.partner)?;
        if let Some(name) = &changes.name {
            ensure_name_free(w.read(), name, Some(&p.id))?;
            p.name = name.trim().to_string();
        }
        if let Some(types) = &changes.partner_types {
            p.partner_types = input::list("partner_types", types, PartnerType::parse)?;
        }
        if let Some(track) = input::optional("track", changes.track.as_deref(), Track::parse)? {
            p.track = track;
        }
        if let Some(region) = input::optional("region", changes.region.as_deref(), Region::parse)? {
            p.region = region;
        }
        if let Some(owner) = &changes.owner {
            p.owner = owner.trim().to_string();
        }
        if let Some(stage) =
            input::optional("stage", changes.stage.as_deref(), JourneyStage::parse)?
        {
            p.journey_stage = stage;
        }
        if let Some(notes) = &changes.account_notes {
            p.account_notes = notes.clone();
        }
        if let Some(invited) = &changes.tsp_invited_on {
            p.tsp_invited_on = input::optional_date("tsp_invited_on", Some(invited))?;
        }
        if let Some(currency) = &currency {
            p.currency = currency.clone();
        }
        w.put(&p)?;
        w.read().partner(&p.id)
    })
}

/// Ticks or unticks journey capabilities; each id must exist in the rules table.
pub fn set_capabilities(store: &mut Store, ticks: &CapabilityTicks) -> Result<Partner> {
    store.write(|w| {
        let book = w.read().rule_book()?;
        let mut p = w.read().resolve_partner(&ticks.partner)?;
        if ticks.capabilities.is_empty() {
            return Err(CoreError::invalid(
                "capability",
                "name at least one capability",
            ));
        }
        for key in &ticks.capabilities {
            let id = resolve::capability(&book, key)?.id.clone();
            if ticks.ticked {
                p.capabilities.insert(id);
            } else {
                p.capabilities.remove(&id);
            }
        }
        w.put(&p)?;
        w.read().partner(&p.id)
    })
}

/// Grants a badge on a date; a badge the partner already holds is refused.
pub fn grant_badge(store: &mut Store, grant: &BadgeGrantInput) -> Result<Partner> {
    let granted_on = input::date("granted_on", &grant.granted_on)?;
    store.write(|w| {
        let book = w.read().rule_book()?;
        let badge = resolve::badge(&book, &grant.badge)?;
        let mut p = w.read().resolve_partner(&grant.partner)?;
        if p.badges.iter().any(|b| b.badge_id == badge.id) {
            return Err(CoreError::Duplicate(format!(
                "{} already holds the badge {}",
                p.name, badge.name
            )));
        }
        p.badges.push(BadgeGrant::new(&badge.id, granted_on));
        w.put(&p)?;
        super::awards::close_award_task(w, &p.id, &badge.id)?;
        w.read().partner(&p.id)
    })
}

/// The grant of a badge the partner holds, or an error naming both.
fn held_badge<'p>(p: &'p mut Partner, badge: &Badge) -> Result<&'p mut BadgeGrant> {
    let name = p.name.clone();
    p.badges
        .iter_mut()
        .find(|b| b.badge_id == badge.id)
        .ok_or_else(|| CoreError::invalid("badge", format!("{name} does not hold {}", badge.name)))
}

/// A date that has come: reviews and evidence record what happened.
fn not_in_future(field: &str, on: NaiveDate, today: NaiveDate) -> Result<NaiveDate> {
    if on > today {
        return Err(CoreError::invalid(
            field,
            format!("{on} is in the future: record it when it has happened"),
        ));
    }
    Ok(on)
}

/// Records a review of a held badge with the compliance the rules compute for that date; a
/// different outcome needs a reason. A non-compliant outcome starts the grace period; every
/// review is kept.
pub fn record_badge_review(
    store: &mut Store,
    review: &BadgeReviewInput,
    today: NaiveDate,
) -> Result<Partner> {
    let reviewed_on = not_in_future(
        "reviewed_on",
        input::date("reviewed_on", &review.reviewed_on)?,
        today,
    )?;
    let reason = review
        .override_reason
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(str::to_string);
    store.write(|w| {
        let book = w.read().rule_book()?;
        let badge = resolve::badge(&book, &review.badge)?;
        let mut p = w.read().resolve_partner(&review.partner)?;
        let items = w.read().enablement_items(&p.id)?;
        let computed = partner_compliance(&p, &items, &book, reviewed_on)
            .badges
            .into_iter()
            .find(|b| b.badge_id == badge.id)
            .is_some_and(|b| b.compliant);
        let compliant = review.compliant.unwrap_or(computed);
        if compliant != computed && reason.is_none() {
            return Err(CoreError::invalid(
                "override_reason",
                format!(
                    "on {reviewed_on} the rules find {} {} for {}; to record otherwise, say why",
                    p.name,
                    if computed {
                        "compliant"
                    } else {
                        "not compliant"
                    },
                    badge.name
                ),
            ));
        }
        let grant = held_badge(&mut p, badge)?;
        if reviewed_on < grant.granted_on {
            return Err(CoreError::invalid(
                "reviewed_on",
                format!("{reviewed_on} is before the grant on {}", grant.granted_on),
            ));
        }
        grant.record_review(BadgeReviewRecord {
            reviewed_on,
            compliant,
            computed_compliant: computed,
            override_reason: reason.filter(|_| compliant != computed),
        });
        w.put(&p)?;
        w.read().partner(&p.id)
    })
}

/// Records the evidence a partner sent for the review of a held badge.
pub fn record_badge_evidence(
    store: &mut Store,
    evidence: &BadgeEvidenceInput,
    today: NaiveDate,
) -> Result<Partner> {
    let sent_on = not_in_future("sent_on", input::date("sent_on", &evidence.sent_on)?, today)?;
    let mut customers: Vec<String> = Vec::new();
    for c in evidence.customers.iter().map(|c| c.trim()) {
        if !c.is_empty() && !customers.iter().any(|k| k.eq_ignore_ascii_case(c)) {
            customers.push(c.to_string());
        }
    }
    if customers.is_empty() {
        return Err(CoreError::invalid(
            "customers",
            "name at least one customer the evidence covers",
        ));
    }
    store.write(|w| {
        let book = w.read().rule_book()?;
        let badge = resolve::badge(&book, &evidence.badge)?;
        let mut p = w.read().resolve_partner(&evidence.partner)?;
        let grant = held_badge(&mut p, badge)?;
        grant.evidence.push(BadgeEvidence { sent_on, customers });
        grant.evidence.sort_by_key(|e| e.sent_on);
        w.put(&p)?;
        w.read().partner(&p.id)
    })
}
