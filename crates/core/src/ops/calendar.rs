//! The dates a person works to, as calendar events: open next steps (award tasks among them),
//! badge evidence and review months, grace periods ending, certification target dates and
//! expiries, PHD reviews due, for the partners and steps in their [`Audience`]. [`crate::io::calendar_ics`] writes them as an iCalendar file.

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
    PhdReview,
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
    for due in super::phd::phd_reviews(reader, audience, today)? {
        out.push(CalendarEvent {
            uid: format!("phd-review-{}-{}", due.partner_id, due.due_on),
            on: due.due_on,
            kind: CalendarKind::PhdReview,
            summary: format!("PHD review: {}", due.partner_name),
            description: "Review the partner's portal activity and enablement; then record it \
                          (Last PHD review and account notes)."
                .into(),
        });
    }
    out.sort_by(|a, b| a.on.cmp(&b.on).then_with(|| a.uid.cmp(&b.uid)));
    Ok(out)
}

/// What the OS notification tells a person: the dated work of their audience that is due
/// today or overdue.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Reminders {
    pub steps_overdue: usize,
    pub steps_due_today: usize,
    /// Award tasks among those steps.
    pub awards: usize,
    pub phd_reviews: usize,
    /// Badge evidence, reviews, grace endings and certification dates that fall today.
    pub today: Vec<String>,
}

impl Reminders {
    /// The reminders among `events` as of `today`.
    pub fn of(events: &[CalendarEvent], awards: usize, today: NaiveDate) -> Reminders {
        let mut r = Reminders {
            awards,
            ..Reminders::default()
        };
        for e in events {
            match e.kind {
                CalendarKind::NextStep if e.on < today => r.steps_overdue += 1,
                CalendarKind::NextStep if e.on == today => r.steps_due_today += 1,
                CalendarKind::PhdReview if e.on <= today => r.phd_reviews += 1,
                CalendarKind::NextStep | CalendarKind::PhdReview => {}
                _ if e.on == today => r.today.push(e.summary.clone()),
                _ => {}
            }
        }
        r
    }

    /// One line for the notification, or `None` when nothing is due.
    pub fn message(&self) -> Option<String> {
        let plural =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        let mut parts = Vec::new();
        match (self.steps_overdue, self.steps_due_today) {
            (0, 0) => {}
            (o, 0) => parts.push(format!("{} overdue", plural(o, "next step", "next steps"))),
            (0, d) => parts.push(format!(
                "{} due today",
                plural(d, "next step", "next steps")
            )),
            (o, d) => parts.push(format!(
                "{} overdue and {d} due today",
                plural(o, "next step", "next steps")
            )),
        }
        if self.awards > 0 {
            parts.push(format!(
                "{} to give",
                plural(self.awards, "badge award", "badge awards")
            ));
        }
        if self.phd_reviews > 0 {
            parts.push(format!(
                "{} due",
                plural(self.phd_reviews, "PHD review", "PHD reviews")
            ));
        }
        parts.extend(self.today.iter().cloned());
        (!parts.is_empty()).then(|| parts.join(" · "))
    }
}

/// The reminders of `audience` as of `today`.
pub fn reminders(reader: Reader<'_>, audience: &Audience, today: NaiveDate) -> Result<Reminders> {
    let events = calendar_events(reader, audience, today)?;
    let awards = reader
        .open_next_steps()?
        .iter()
        .filter(|s| s.award_badge_id.is_some())
        .filter(|s| audience.step(s))
        .count();
    Ok(Reminders::of(&events, awards, today))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(kind: CalendarKind, on: &str, summary: &str) -> CalendarEvent {
        CalendarEvent {
            uid: summary.into(),
            on: on.parse().unwrap(),
            kind,
            summary: summary.into(),
            description: String::new(),
        }
    }

    #[test]
    fn the_reminder_counts_what_is_due_and_names_what_falls_today() {
        let today = "2026-12-07".parse().unwrap();
        let events = [
            event(CalendarKind::NextStep, "2026-12-01", "late"),
            event(CalendarKind::NextStep, "2026-12-07", "today"),
            event(CalendarKind::NextStep, "2026-12-08", "tomorrow"),
            event(CalendarKind::PhdReview, "2026-12-07", "PHD review: Acme"),
            event(CalendarKind::PhdReview, "2026-11-13", "PHD review: Globex"),
            event(
                CalendarKind::BadgeEvidence,
                "2026-12-07",
                "Acme: PSP review evidence due",
            ),
            event(
                CalendarKind::GraceEnds,
                "2026-12-08",
                "Globex: PSP grace ends",
            ),
        ];
        let r = Reminders::of(&events, 1, today);
        assert_eq!(
            r.message().as_deref(),
            Some(
                "1 next step overdue and 1 due today · 1 badge award to give · 2 PHD reviews \
                 due · Acme: PSP review evidence due"
            )
        );
        assert_eq!(Reminders::of(&[], 0, today).message(), None);
        let r = Reminders::of(&events[2..3], 0, today);
        assert_eq!(r.message(), None, "tomorrow's step is for tomorrow");
    }
}
