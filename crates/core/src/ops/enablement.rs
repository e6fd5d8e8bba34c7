//! Enablement use cases: a partner's key people, and for each the certifications or curriculum
//! modules they will complete by a target date, with their status.

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

use super::{awards, input, resolve};
use crate::domain::*;
use crate::error::{CoreError, Result};
use crate::rules::RuleBook;
use crate::store::{Reader, Store};

/// A person at a partner.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct NewPerson {
    /// The partner, by id or name.
    pub partner: String,
    pub name: String,
    pub email: String,
    /// Job title, e.g. "Solutions Architect".
    pub role: String,
}

/// A line of the enablement plan: a person and a certification **or** a curriculum module.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct NewEnablementItem {
    pub partner: String,
    /// The person, by id, email or name.
    pub person: String,
    /// Certification id or name (`pse`, `PSE`, `Sales Core`).
    pub certification: Option<String>,
    /// Curriculum module id or title.
    pub module: Option<String>,
    pub target_date: Option<String>,
    /// Planned when not given; `certified` records one already earned.
    #[cfg_attr(feature = "specta", specta(type = Option<EnablementStatus>))]
    pub status: Option<String>,
    pub completed_on: Option<String>,
    pub expires_on: Option<String>,
}

/// A new status for an enablement item.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct EnablementStatusChange {
    /// The item's id.
    pub item: String,
    #[cfg_attr(feature = "specta", specta(type = EnablementStatus))]
    pub status: String,
    /// Required when certified.
    pub completed_on: Option<String>,
    /// When not given for a certification that expires, computed from its validity.
    pub expires_on: Option<String>,
}

/// One enablement item with the names a person reads.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct EnablementLine {
    pub item: EnablementItem,
    pub person_name: String,
    pub person_email: String,
    /// The certification's name or the module's title.
    pub what: String,
    /// The status as of today: a certification past its expiry counts as lapsed.
    pub effective_status: EnablementStatus,
}

/// Adds a person to a partner; an email already used at that partner is refused.
pub fn add_person(store: &mut Store, input: &NewPerson) -> Result<Person> {
    store.write(|w| {
        let partner = w.read().resolve_partner(&input.partner)?;
        let email = input.email.trim();
        if !email.is_empty()
            && w.read()
                .people(&partner.id)?
                .iter()
                .any(|p| p.email.eq_ignore_ascii_case(email))
        {
            return Err(CoreError::Duplicate(format!(
                "{} already has a person with the email {email}",
                partner.name
            )));
        }
        let person = Person::new(&partner.id, &input.name, email, &input.role);
        w.put(&person)?;
        Ok(person)
    })
}

/// Sets status and dates of an item together, so the combination always makes sense: only a
/// certified (or lapsed) item has a completion date, and a certified one must have it.
fn apply_status(
    item: &mut EnablementItem,
    book: &RuleBook,
    status: EnablementStatus,
    completed_on: Option<NaiveDate>,
    expires_on: Option<NaiveDate>,
) -> Result<()> {
    match status {
        EnablementStatus::Planned | EnablementStatus::InProgress => {
            if completed_on.is_some() || expires_on.is_some() {
                return Err(CoreError::invalid(
                    if completed_on.is_some() {
                        "completed_on"
                    } else {
                        "expires_on"
                    },
                    format!("a {} item has no completion or expiry date", status.code()),
                ));
            }
            item.completed_on = None;
            item.expires_on = None;
        }
        EnablementStatus::Certified => {
            let done = completed_on.or(item.completed_on).ok_or_else(|| {
                CoreError::invalid(
                    "completed_on",
                    "a certified item records when it was completed",
                )
            })?;
            item.completed_on = Some(done);
            // A certification with a validity period expires on its own unless told otherwise.
            let validity = item
                .certification_id
                .as_deref()
                .and_then(|c| book.certifications.iter().find(|x| x.id == c))
                .and_then(|c| c.validity_months);
            item.expires_on = expires_on
                .or_else(|| validity.and_then(|m| done.checked_add_months(Months::new(m as u32))));
        }
        EnablementStatus::Lapsed => {
            if let Some(done) = completed_on {
                item.completed_on = Some(done);
            }
            if let Some(expiry) = expires_on {
                item.expires_on = Some(expiry);
            }
        }
    }
    item.status = status;
    Ok(())
}

/// Plans (or records) a certification or module for a person. A second open plan for the same
/// person and certification is refused: update the existing item instead. A certification
/// that makes the partner meet a badge for the first time opens its award task.
pub fn plan_enablement(
    store: &mut Store,
    input: &NewEnablementItem,
    today: NaiveDate,
) -> Result<EnablementItem> {
    let target = input::optional_date("target_date", input.target_date.as_deref())?;
    let status = input::optional("status", input.status.as_deref(), EnablementStatus::parse)?
        .unwrap_or(EnablementStatus::Planned);
    let completed_on = input::optional_date("completed_on", input.completed_on.as_deref())?;
    let expires_on = input::optional_date("expires_on", input.expires_on.as_deref())?;
    store.write(|w| {
        let reader = w.read();
        let book = reader.rule_book()?;
        let partner = reader.resolve_partner(&input.partner)?;
        let person = reader.resolve_person(&partner.id, &input.person)?;
        let (certification_id, module_id) = match (&input.certification, &input.module) {
            (Some(cert), None) => (Some(resolve::certification(&book, cert)?.id.clone()), None),
            (None, Some(module)) => (None, Some(resolve::module(&book, module)?.id.clone())),
            _ => {
                return Err(CoreError::invalid(
                    "certification",
                    "name either a certification or a curriculum module",
                ))
            }
        };
        let mut item = EnablementItem::plan_certification(&partner.id, &person.id, "", target);
        item.certification_id = certification_id;
        item.module_id = module_id;
        let open_twin = reader
            .enablement_items(&partner.id)?
            .into_iter()
            .find(|other| {
                other.person_id == item.person_id
                    && other.certification_id == item.certification_id
                    && other.module_id == item.module_id
                    && matches!(
                        other.status,
                        EnablementStatus::Planned | EnablementStatus::InProgress
                    )
            });
        if let Some(twin) = open_twin {
            return Err(CoreError::Duplicate(format!(
                "{} already has this planned (item {}); change its status instead",
                person.name, twin.id
            )));
        }
        apply_status(&mut item, &book, status, completed_on, expires_on)?;
        w.put(&item)?;
        awards::open_award_tasks(w, &item.partner_id, today)?;
        Ok(item)
    })
}

/// Changes an item's status: certified (with its completion date, and expiry), lapsed,
/// in progress, or back to planned. A certification that makes the partner meet a badge for the
/// first time opens its award task.
pub fn set_enablement_status(
    store: &mut Store,
    change: &EnablementStatusChange,
    today: NaiveDate,
) -> Result<EnablementItem> {
    let status = EnablementStatus::parse("status", &change.status)?;
    let completed_on = input::optional_date("completed_on", change.completed_on.as_deref())?;
    let expires_on = input::optional_date("expires_on", change.expires_on.as_deref())?;
    store.write(|w| {
        let book = w.read().rule_book()?;
        let mut item = w.read().enablement_item(&change.item)?;
        apply_status(&mut item, &book, status, completed_on, expires_on)?;
        w.put(&item)?;
        awards::open_award_tasks(w, &item.partner_id, today)?;
        w.read().enablement_item(&item.id)
    })
}

/// The item of a person for a certification or module (by id or name), preferring an open
/// one: how a person names an item without knowing its id.
pub fn find_enablement_item(
    reader: Reader<'_>,
    partner: &str,
    person: &str,
    certification_or_module: &str,
) -> Result<EnablementItem> {
    let book = reader.rule_book()?;
    let partner = reader.resolve_partner(partner)?;
    let person = reader.resolve_person(&partner.id, person)?;
    let cert = resolve::certification(&book, certification_or_module).ok();
    let module = resolve::module(&book, certification_or_module).ok();
    if cert.is_none() && module.is_none() {
        return Err(CoreError::invalid(
            "certification",
            format!(
                "{certification_or_module:?} is neither a certification nor a curriculum module"
            ),
        ));
    }
    let mut mine: Vec<EnablementItem> = reader
        .enablement_items(&partner.id)?
        .into_iter()
        .filter(|i| i.person_id == person.id)
        .filter(|i| {
            cert.is_some_and(|c| i.certification_id.as_deref() == Some(&c.id))
                || module.is_some_and(|m| i.module_id.as_deref() == Some(&m.id))
        })
        .collect();
    // Open items first, then the most recently created.
    mine.sort_by_key(|i| {
        let open = matches!(
            i.status,
            EnablementStatus::Planned | EnablementStatus::InProgress
        );
        (!open, std::cmp::Reverse(i.created_at))
    });
    mine.into_iter().next().ok_or_else(|| CoreError::NotFound {
        entity: "enablement item",
        id: format!("{} / {certification_or_module}", person.name),
    })
}

/// A partner's (by id or name) enablement plan with names, by target date.
pub fn enablement_plan(
    reader: Reader<'_>,
    partner: &str,
    today: NaiveDate,
) -> Result<Vec<EnablementLine>> {
    let book = reader.rule_book()?;
    let partner = reader.resolve_partner(partner)?;
    let people = reader.people(&partner.id)?;
    let lines = reader
        .enablement_items(&partner.id)?
        .into_iter()
        .map(|item| {
            let person = people.iter().find(|p| p.id == item.person_id);
            let what = match (&item.certification_id, &item.module_id) {
                (Some(c), _) => book.certification_name(c).to_string(),
                (None, Some(m)) => book
                    .curriculum_modules
                    .iter()
                    .find(|x| &x.id == m)
                    .map_or_else(|| m.clone(), |x| x.title.clone()),
                (None, None) => String::new(),
            };
            EnablementLine {
                person_name: person.map(|p| p.name.clone()).unwrap_or_default(),
                person_email: person.map(|p| p.email.clone()).unwrap_or_default(),
                what,
                effective_status: item.effective_status(today),
                item,
            }
        })
        .collect();
    Ok(lines)
}
