//! The dates a person works to, as calendar events: open next steps, badge evidence and review
//! months, grace periods ending, certification target dates and expiries, for the partners and
//! steps in their [`Audience`]. [`crate::io::calendar_ics`] writes them as an iCalendar file.

use chrono::NaiveDate;
use serde::Serialize;

use super::audience::Audience;
use super::next_steps::partner_refs;
use crate::domain::EnablementStatus;
use crate::error::Result;
use crate::rules::{compliance_for_all, ReviewStatus};
use crate::store::Reader;

/// What a calendar event is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum CalendarKind {
    NextStep,
    BadgeEvidence,
    BadgeReview,
    GraceEnds,
    CertificationTarget,
    CertificationExpiry,
}

/// One all-day event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CalendarEvent {
    /// Stable across exports, so that importing a newer file updates the same events.
    pub uid: String,
    pub on: NaiveDate,
    pub kind: CalendarKind,
    pub summary: String,
    pub description: String,
}

/// Every dated thing to do in `audience`, by date.
pub fn calendar_events(
    reader: Reader<'_>,
    audience: &Audience,
    today: NaiveDate,
) -> Result<Vec<CalendarEvent>> {
    let names = partner_refs(reader)?;
    let partner_name = |id: Option<&str>| {
        id.and_then(|id| names.get(id))
            .map(|p| p.name.clone())
            .unwrap_or_default()
    };
    let mut out = Vec::new();

    for step in reader
        .open_next_steps()?
        .into_iter()
        .filter(|s| audience.step(s))
    {
        let partner = partner_name(step.partner_id.as_deref());
        let mut description = format!("Owner: {}", step.owner);
        if !partner.is_empty() {
            description = format!("Partner: {partner}\n{description}");
        }
        if step.agreed_with_partner {
            description.push_str("\nDue date agreed with the partner");
        }
        out.push(CalendarEvent {
            uid: format!("next-step-{}", step.id),
            on: step.due_on,
            kind: CalendarKind::NextStep,
            summary: if partner.is_empty() {
                step.description.clone()
            } else {
                format!("{} ({partner})", step.description)
            },
            description,
        });
    }

    let items = reader.enablement_items_by_partner()?;
    let book = reader.rule_book()?;
    for c in compliance_for_all(reader, &Default::default(), today)?
        .into_iter()
        .filter(|c| audience.partner(Some(&c.partner_id)))
    {
        let partner = &c.partner_name;
        for b in c.badges.iter().filter(|b| b.held) {
            let Some(review) = b.review else { continue };
            let key = format!("{}-{}", c.partner_id, b.badge_id);
            match review.status {
                ReviewStatus::Lapsed { .. } => continue,
                ReviewStatus::InGrace { until, .. } => out.push(CalendarEvent {
                    uid: format!("badge-grace-{key}-{until}"),
                    on: until,
                    kind: CalendarKind::GraceEnds,
                    summary: format!("{partner}: {} grace ends", b.badge_name),
                    description: format!(
                        "The last day to show compliance with {} in a new review; after it \
                         the badge lapses.",
                        b.badge_name
                    ),
                }),
                _ => {}
            }
            out.push(CalendarEvent {
                uid: format!("badge-evidence-{key}-{}", review.next_review),
                on: review.evidence_from,
                kind: CalendarKind::BadgeEvidence,
                summary: format!("{partner}: {} review evidence due", b.badge_name),
                description: format!(
                    "The partner sends the evidence for its {} review (customers it served) \
                     before the review month.",
                    b.badge_name
                ),
            });
            out.push(CalendarEvent {
                uid: format!("badge-review-{key}-{}", review.next_review),
                on: review.next_review,
                kind: CalendarKind::BadgeReview,
                summary: format!("{partner}: {} review this month", b.badge_name),
                description: format!("The yearly review of {} falls this month.", b.badge_name),
            });
        }

        let Some(mine) = items.get(&c.partner_id) else {
            continue;
        };
        let people = reader.people(&c.partner_id)?;
        let person = |id: &str| {
            people
                .iter()
                .find(|p| p.id == id)
                .map_or("someone", |p| p.name.as_str())
                .to_string()
        };
        for item in mine {
            let Some(cert) = item.certification_id.as_deref() else {
                continue;
            };
            let cert_name = book.certification_name(cert);
            match (item.status, item.target_date, item.expires_on) {
                (EnablementStatus::Planned | EnablementStatus::InProgress, Some(target), _) => out
                    .push(CalendarEvent {
                        uid: format!("cert-target-{}", item.id),
                        on: target,
                        kind: CalendarKind::CertificationTarget,
                        summary: format!(
                            "{partner}: {} to certify in {cert_name}",
                            person(&item.person_id)
                        ),
                        description: format!("Target date in {partner}'s enablement plan."),
                    }),
                (EnablementStatus::Certified, _, Some(expires)) => out.push(CalendarEvent {
                    uid: format!("cert-expiry-{}", item.id),
                    on: expires,
                    kind: CalendarKind::CertificationExpiry,
                    summary: format!(
                        "{partner}: {}'s {cert_name} expires",
                        person(&item.person_id)
                    ),
                    description: "After this date the certification no longer counts toward the \
                                  track or badges."
                        .into(),
                }),
                _ => {}
            }
        }
    }
    out.sort_by(|a, b| a.on.cmp(&b.on).then_with(|| a.uid.cmp(&b.uid)));
    Ok(out)
}
