//! Calendar events as an iCalendar file (RFC 5545) that calendar apps import: one all-day
//! event per date, with a stable UID so that a newer export updates the same events.

use chrono::{DateTime, Utc};
use icalendar::{Calendar, Component, Event, EventLike};

use crate::ops::CalendarEvent;

/// The events as one `VCALENDAR`; `stamp` is when the file was made (each event's DTSTAMP).
pub fn calendar_ics(events: &[CalendarEvent], stamp: DateTime<Utc>) -> String {
    let mut calendar = Calendar::new();
    calendar.name("Channel Desk");
    for e in events {
        calendar.push(
            Event::new()
                .uid(&format!("{}@channel-desk", e.uid))
                .timestamp(stamp)
                .all_day(e.on)
                .summary(&e.summary)
                .description(&e.description)
                .add_property("CATEGORIES", category(e))
                .done(),
        );
    }
    calendar.done().to_string()
}

fn category(e: &CalendarEvent) -> &'static str {
    use crate::ops::CalendarKind::*;
    match e.kind {
        NextStep => "Next step",
        BadgeEvidence => "Badge evidence",
        BadgeReview => "Badge review",
        GraceEnds => "Badge grace period",
        CertificationTarget => "Certification target",
        CertificationExpiry => "Certification expiry",
        PhdReview => "PHD review",
    }
}
