//! Demo enablement plans: who holds, plans or let lapse which certification.
//!
//! Requirements come from the rule book in the store, so the mix of compliant partners,
//! partners whose plan closes a gap on a date, and partners whose plan does not, holds for
//! whatever rules the program owner has set.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Duration, Months, NaiveDate};

use super::rng::Rng;
use super::words::*;
use crate::domain::*;
use crate::rules::RuleBook;

/// Where a certification the partner needs stands, which decides its enablement items.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Posture {
    /// Enough people certified.
    Met,
    /// Short, but planned certifications with target dates close the gap.
    Closing,
    /// Short, and the plan does not close the gap (undated, lapsed or nobody planned).
    NotClosed,
}

fn family_of(certification_id: &str) -> Family {
    if certification_id.starts_with("sales") {
        Family::Sales
    } else if certification_id.starts_with("sa-") {
        Family::Architect
    } else if certification_id == "pse" {
        Family::Services
    } else {
        Family::Other
    }
}

fn family_of_role(role: &str) -> Family {
    ROLES
        .iter()
        .find(|(r, _)| *r == role)
        .map_or(Family::Other, |(_, f)| *f)
}

/// The enablement items of a partner, and the certifications it is short of (with how many).
pub(super) fn enablement(
    rng: &mut Rng,
    partner: &Partner,
    people: &[Person],
    book: &RuleBook,
    today: NaiveDate,
) -> (Vec<EnablementItem>, BTreeMap<String, i64>) {
    // What the partner needs: its track, and every badge it holds (the larger count wins).
    let mut needs: BTreeMap<&str, i64> = BTreeMap::new();
    for r in book
        .track_requirements
        .iter()
        .filter(|r| r.track == partner.track)
    {
        let n = needs.entry(&r.certification_id).or_default();
        *n = (*n).max(r.count);
    }
    let mut failed_review_certs: BTreeSet<&str> = BTreeSet::new();
    for grant in &partner.badges {
        for r in book
            .badge_requirements
            .iter()
            .filter(|r| r.badge_id == grant.badge_id)
        {
            let n = needs.entry(&r.certification_id).or_default();
            *n = (*n).max(r.count);
            if grant.last_review_compliant == Some(false) {
                failed_review_certs.insert(&r.certification_id);
            }
        }
    }

    let overall = *rng.pick_weighted(&[
        (Posture::Met, 45),
        (Posture::Closing, 30),
        (Posture::NotClosed, 25),
    ]);
    // A short partner is short on at least one certification.
    let forced_gap = (!needs.is_empty()).then(|| rng.below(needs.len()));
    let mut items = Vec::new();
    let mut gaps = BTreeMap::new();
    for (i, (cert, count)) in needs.iter().enumerate() {
        let posture = if failed_review_certs.contains(cert) {
            // Failed its review for this: in its quarter of grace, with or without a plan.
            *rng.pick(&[Posture::Closing, Posture::NotClosed])
        } else if overall == Posture::Met || (forced_gap != Some(i) && rng.chance(0.5)) {
            Posture::Met
        } else {
            overall
        };
        let family = family_of(cert);
        let mut ordered: Vec<&Person> = people.iter().collect();
        ordered.sort_by_key(|p| family_of_role(&p.role) != family);
        let missing = match posture {
            Posture::Met => 0,
            _ => rng.between(1, *count),
        };
        if missing > 0 {
            gaps.insert((*cert).to_string(), missing);
        }
        let slots = *count + i64::from(posture == Posture::Met && rng.chance(0.2));
        for slot in 0..slots {
            let Some(person) = ordered.get(slot as usize) else {
                break; // fewer people than the requirement: a gap no plan can close
            };
            let last = slot == slots - 1;
            let line = if slot < *count - missing || slot >= *count {
                Some(certified(rng, partner, person, cert, today))
            } else if posture == Posture::Closing || (!last && rng.chance(0.5)) {
                Some(planned(rng, partner, person, cert, today, true))
            } else {
                match rng.below(3) {
                    0 => None,
                    1 => Some(planned(rng, partner, person, cert, today, false)),
                    _ => Some(lapsed(rng, partner, person, cert, today)),
                }
            };
            items.extend(line);
        }
    }
    if rng.chance(0.15) && !book.certifications.is_empty() {
        let cert = &rng.pick(&book.certifications).id;
        let person = rng.pick(people);
        items.push(lapsed(rng, partner, person, cert, today));
    }
    if rng.chance(0.6) && !book.curriculum_modules.is_empty() {
        let learners = rng.between(1, 3) as usize;
        for person in rng.sample(people, learners) {
            let modules = rng.between(1, 4) as usize;
            for module in rng.sample(&book.curriculum_modules, modules) {
                items.push(module_item(rng, partner, person, &module.id, today));
            }
        }
    }
    (items, gaps)
}

fn item(
    rng: &mut Rng,
    partner: &Partner,
    person: &Person,
    status: EnablementStatus,
    created_on: NaiveDate,
) -> EnablementItem {
    let created = rng.time_on(created_on);
    EnablementItem {
        id: rng.id(created),
        partner_id: partner.id.clone(),
        person_id: person.id.clone(),
        certification_id: None,
        module_id: None,
        target_date: None,
        status,
        completed_on: None,
        expires_on: None,
        created_at: created,
        updated_at: created,
    }
}

fn certified(
    rng: &mut Rng,
    partner: &Partner,
    person: &Person,
    cert: &str,
    today: NaiveDate,
) -> EnablementItem {
    let done = today - Duration::days(rng.between(20, 1000));
    let mut i = item(rng, partner, person, EnablementStatus::Certified, done);
    i.certification_id = Some(cert.to_string());
    i.completed_on = Some(done);
    // Some certifications carry an expiry; keep it in the future so they still count.
    let expiry = done + Months::new(24);
    if expiry > today && rng.chance(0.4) {
        i.expires_on = Some(expiry);
    }
    i
}

fn planned(
    rng: &mut Rng,
    partner: &Partner,
    person: &Person,
    cert: &str,
    today: NaiveDate,
    dated: bool,
) -> EnablementItem {
    let status = if rng.chance(0.4) {
        EnablementStatus::InProgress
    } else {
        EnablementStatus::Planned
    };
    let created_on = today - Duration::days(rng.between(5, 200));
    let mut i = item(rng, partner, person, status, created_on);
    i.certification_id = Some(cert.to_string());
    // Mostly ahead; some target dates have passed without the certification (overdue).
    i.target_date = dated.then(|| today + Duration::days(rng.between(-45, 210)));
    i
}

fn lapsed(
    rng: &mut Rng,
    partner: &Partner,
    person: &Person,
    cert: &str,
    today: NaiveDate,
) -> EnablementItem {
    let done = today - Duration::days(rng.between(800, 1400));
    let mut i = item(rng, partner, person, EnablementStatus::Lapsed, done);
    i.certification_id = Some(cert.to_string());
    i.completed_on = Some(done);
    i.expires_on = Some(done + Months::new(24));
    i
}

fn module_item(
    rng: &mut Rng,
    partner: &Partner,
    person: &Person,
    module_id: &str,
    today: NaiveDate,
) -> EnablementItem {
    let status = *rng.pick_weighted(&[
        (EnablementStatus::Certified, 50),
        (EnablementStatus::InProgress, 30),
        (EnablementStatus::Planned, 20),
    ]);
    let created_on = today - Duration::days(rng.between(10, 300));
    let mut i = item(rng, partner, person, status, created_on);
    i.module_id = Some(module_id.to_string());
    if status == EnablementStatus::Certified {
        i.completed_on =
            Some(created_on + Duration::days(rng.between(0, 9)).min(today - created_on));
    } else {
        i.target_date = Some(today + Duration::days(rng.between(-10, 90)));
    }
    i
}
