//! NFR licence requests (seed 003): a CAM asks for a licence for a partner; the Partner Help
//! Desk verifies it against the checks of [`rules::nfr`](crate::rules::nfr), sends it, or
//! refuses it with a reason.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::input;
use crate::domain::*;
use crate::error::{CoreError, Result};
use crate::rules::{nfr_eligibility, NfrEligibility, NfrFacts};
use crate::store::{Reader, Store};
use crate::time::{self, Timestamp};

/// A new NFR licence request, as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct NewNfrRequest {
    /// The partner, by id or name.
    pub partner: String,
    /// Who asks (the desktop sets the signed-in person).
    pub requested_by: String,
    pub contact_name: String,
    pub contact_email: String,
    pub purpose: String,
    /// Seats asked for; 1 when not given.
    pub seats: Option<i64>,
    /// `YYYY-MM-DD`; today when not given.
    pub requested_on: Option<String>,
}

/// The help desk moves a request on: verified, sent, or refused (with the reason).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct NfrStatusChange {
    /// The request's id.
    pub request: String,
    /// `verified`, `sent` or `refused` (code or label).
    pub status: String,
    /// Required when refusing.
    pub reason: Option<String>,
    /// `YYYY-MM-DD`; today when not given.
    pub on: Option<String>,
}

/// A request with its checks, as of today.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct NfrLine {
    pub request: NfrRequest,
    pub eligibility: NfrEligibility,
}

/// The checks for a licence for `partner` as of a day (the day a request is verified, or today
/// for a list), leaving out the request `except` (a request does not block itself).
fn checks_for(
    reader: Reader<'_>,
    partner: &Partner,
    except: Option<&str>,
    contact_name: &str,
    contact_email: &str,
    as_of: NaiveDate,
) -> Result<NfrEligibility> {
    let people = reader.people(&partner.id)?;
    let certified_people = certified_people(reader, &partner.id, as_of)?;
    let others: Vec<NfrRequest> = reader
        .nfr_requests(&partner.id)?
        .into_iter()
        .filter(|r| Some(r.id.as_str()) != except)
        .collect();
    Ok(nfr_eligibility(
        &NfrFacts {
            partner,
            people: &people,
            certified_people,
            other_requests: &others,
        },
        contact_name,
        contact_email,
        as_of,
    ))
}

/// How many of a partner's people hold a current certification (any of them) on `today`.
fn certified_people(reader: Reader<'_>, partner_id: &str, today: NaiveDate) -> Result<usize> {
    let mut people: Vec<String> = reader
        .enablement_items(partner_id)?
        .into_iter()
        .filter(|i| {
            i.certification_id.is_some() && i.effective_status(today) == EnablementStatus::Certified
        })
        .map(|i| i.person_id)
        .collect();
    people.sort();
    people.dedup();
    Ok(people.len())
}

/// The checks a request to `contact_email` would meet today, before it is made: what the
/// request form shows as it is filled in.
pub fn nfr_precheck(
    reader: Reader<'_>,
    partner: &str,
    contact_name: &str,
    contact_email: &str,
    today: NaiveDate,
) -> Result<NfrEligibility> {
    let partner = reader.resolve_partner(partner)?;
    checks_for(reader, &partner, None, contact_name, contact_email, today)
}

/// Records a request. Its checks are not required to ask (the help desk decides), only to
/// verify it.
pub fn request_nfr(store: &mut Store, new: &NewNfrRequest, today: NaiveDate) -> Result<NfrLine> {
    let requested_on =
        input::optional_date("requested_on", new.requested_on.as_deref())?.unwrap_or(today);
    if requested_on > today {
        return Err(CoreError::invalid(
            "requested_on",
            format!("{requested_on} is in the future: record a request when it is made"),
        ));
    }
    store.write(|w| {
        let partner = w.read().resolve_partner(&new.partner)?;
        let now = Timestamp::now();
        let request = NfrRequest {
            id: time::new_id(),
            partner_id: partner.id.clone(),
            requested_by: new.requested_by.trim().to_string(),
            requested_on,
            contact_name: new.contact_name.trim().to_string(),
            contact_email: new.contact_email.trim().to_string(),
            purpose: new.purpose.trim().to_string(),
            seats: new.seats.unwrap_or(1),
            status: NfrStatus::Requested,
            status_on: None,
            refusal_reason: None,
            created_at: now,
            updated_at: now,
        };
        w.put(&request)?;
        nfr_line(w.read(), request, today)
    })
}

/// Moves a request on. Verifying needs every required check met; a licence is sent only once
/// verified; a refusal says why. A sent or refused request is final: ask again instead.
pub fn set_nfr_status(
    store: &mut Store,
    change: &NfrStatusChange,
    today: NaiveDate,
) -> Result<NfrLine> {
    let status = NfrStatus::parse("status", &change.status)?;
    let on = input::optional_date("on", change.on.as_deref())?.unwrap_or(today);
    if on > today {
        return Err(CoreError::invalid(
            "on",
            format!("{on} is in the future: record it when it has happened"),
        ));
    }
    let reason = change
        .reason
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(str::to_string);
    store.write(|w| {
        let mut request = w.read().nfr_request(&change.request)?;
        let allowed = matches!(
            (request.status, status),
            (
                NfrStatus::Requested,
                NfrStatus::Verified | NfrStatus::Refused
            ) | (NfrStatus::Verified, NfrStatus::Sent | NfrStatus::Refused)
        );
        if !allowed {
            let hint = match (request.status, status) {
                (NfrStatus::Requested, NfrStatus::Sent) => {
                    ": the help desk verifies it before the licence is sent"
                }
                (NfrStatus::Sent | NfrStatus::Refused, _) => ": it is final; make a new request",
                _ => "",
            };
            return Err(CoreError::invalid(
                "status",
                format!(
                    "a request that is {} cannot be marked {}{hint}",
                    request.status.label().to_lowercase(),
                    status.label().to_lowercase()
                ),
            ));
        }
        let partner = w.read().partner(&request.partner_id)?;
        if status == NfrStatus::Verified {
            let checks = checks_for(
                w.read(),
                &partner,
                Some(&request.id),
                &request.contact_name,
                &request.contact_email,
                on,
            )?;
            let unmet = checks.unmet();
            if !unmet.is_empty() {
                return Err(CoreError::invalid(
                    "status",
                    format!("cannot verify: {}", unmet.join("; ")),
                ));
            }
        }
        if status == NfrStatus::Refused && reason.is_none() {
            return Err(CoreError::invalid(
                "reason",
                "say why the request is refused: the CAM and the partner read it",
            ));
        }
        if on < request.requested_on {
            return Err(CoreError::invalid(
                "on",
                format!("{on} is before the request ({})", request.requested_on),
            ));
        }
        request.status = status;
        request.status_on = Some(on);
        request.refusal_reason = if status == NfrStatus::Refused {
            reason.clone()
        } else {
            None
        };
        request.updated_at = Timestamp::now();
        w.put(&request)?;
        nfr_line(w.read(), request, today)
    })
}

fn nfr_line(reader: Reader<'_>, request: NfrRequest, today: NaiveDate) -> Result<NfrLine> {
    let partner = reader.partner(&request.partner_id)?;
    let eligibility = checks_for(
        reader,
        &partner,
        Some(&request.id),
        &request.contact_name,
        &request.contact_email,
        today,
    )?;
    Ok(NfrLine {
        request,
        eligibility,
    })
}

/// A partner's requests, newest first, each with its checks as of today.
pub fn nfr_requests(reader: Reader<'_>, partner: &str, today: NaiveDate) -> Result<Vec<NfrLine>> {
    let partner = reader.resolve_partner(partner)?;
    reader
        .nfr_requests(&partner.id)?
        .into_iter()
        .map(|r| nfr_line(reader, r, today))
        .collect()
}
