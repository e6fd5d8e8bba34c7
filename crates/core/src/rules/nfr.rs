//! Whether a partner may have an NFR licence (seed 003). The help desk verifies three things;
//! the handbook kept only the third in words ("if the partner has no certifications yet, but
//! meets the other two eligibility criteria above, currently we can still send the NFR
//! license, but we should encourage the partner to complete the Solution Architect Core").
//! The other two, as this app reads them from the partner's record:
//! - the licence contact works at the partner (one of its people, or their company's domain);
//! - the partner has no other licence under way or sent in the last year.
//!
//! A partner with no certification is still eligible; the request then carries the seed's
//! email encouraging SA Core, to send with the licence.

use chrono::{Months, NaiveDate};
use serde::Serialize;

use crate::domain::*;

/// How long a sent NFR licence lasts before the partner may ask for another.
pub const NFR_LICENCE_MONTHS: u32 = 12;

/// The certification a partner without any is encouraged to complete (seed 003).
pub const ENCOURAGED_CERTIFICATION: &str = "SA Core";

/// One of the help desk's checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum NfrCheckKind {
    /// The licence contact works at the partner.
    ContactAtPartner,
    /// No other licence for the partner is under way or was sent in the last year.
    NoOtherLicence,
    /// At least one of the partner's people holds a current certification. Not required: a
    /// partner without one is encouraged to complete SA Core.
    Certified,
}

/// A check and what was found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct NfrCheck {
    pub check: NfrCheckKind,
    pub met: bool,
    /// Whether the request can be verified without it.
    pub required: bool,
    /// What was found, in words.
    pub detail: String,
}

/// The checks of one request, as of a day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct NfrEligibility {
    pub checks: Vec<NfrCheck>,
    /// Every required check is met: the help desk may verify the request.
    pub eligible: bool,
    /// The seed's email to the licence contact and the CAM, encouraging SA Core, when the
    /// partner has no certification yet.
    pub encouragement: Option<String>,
}

impl NfrEligibility {
    /// The required checks not met, in words: why the request cannot be verified.
    pub fn unmet(&self) -> Vec<&str> {
        self.checks
            .iter()
            .filter(|c| c.required && !c.met)
            .map(|c| c.detail.as_str())
            .collect()
    }
}

/// What the checks read: the partner, its people, how many of them are certified today, and
/// its other NFR requests.
pub struct NfrFacts<'a> {
    pub partner: &'a Partner,
    pub people: &'a [Person],
    pub certified_people: usize,
    pub other_requests: &'a [NfrRequest],
}

/// The help desk's checks for a licence to `contact_email`, asked for on `requested_on`.
pub fn nfr_eligibility(
    facts: &NfrFacts<'_>,
    contact_name: &str,
    contact_email: &str,
    requested_on: NaiveDate,
) -> NfrEligibility {
    let checks = vec![
        contact_check(facts, contact_name, contact_email),
        other_licence_check(facts, requested_on),
        certified_check(facts),
    ];
    let eligible = checks.iter().all(|c| c.met || !c.required);
    let encouragement = (facts.certified_people == 0).then(|| encouragement(contact_name));
    NfrEligibility {
        checks,
        eligible,
        encouragement,
    }
}

fn domain_of(email: &str) -> Option<String> {
    email
        .trim()
        .rsplit_once('@')
        .map(|(_, domain)| domain.to_lowercase())
        .filter(|d| !d.is_empty())
}

fn contact_check(facts: &NfrFacts<'_>, contact_name: &str, contact_email: &str) -> NfrCheck {
    let partner = &facts.partner.name;
    let email = contact_email.trim();
    let person = facts
        .people
        .iter()
        .find(|p| !p.email.is_empty() && p.email.trim().eq_ignore_ascii_case(email));
    let colleague = domain_of(email).and_then(|domain| {
        facts
            .people
            .iter()
            .find(|p| domain_of(&p.email).as_deref() == Some(domain.as_str()))
    });
    let (met, detail) = match (person, colleague) {
        (Some(p), _) => (
            true,
            format!("{} is one of the people of {partner}", p.name),
        ),
        (None, Some(p)) => (
            true,
            format!(
                "{email} is at the same company domain as {}, one of the people of {partner}",
                p.name
            ),
        ),
        (None, None) => (
            false,
            format!(
                "{} ({email}) is not one of the people of {partner}: add them to its people first",
                contact_name.trim()
            ),
        ),
    };
    NfrCheck {
        check: NfrCheckKind::ContactAtPartner,
        met,
        required: true,
        detail,
    }
}

fn other_licence_check(facts: &NfrFacts<'_>, requested_on: NaiveDate) -> NfrCheck {
    let blocking = facts.other_requests.iter().find(|r| match r.status {
        NfrStatus::Requested | NfrStatus::Verified => true,
        NfrStatus::Sent => r
            .status_on
            .and_then(|sent| sent.checked_add_months(Months::new(NFR_LICENCE_MONTHS)))
            .is_some_and(|until| until > requested_on),
        NfrStatus::Refused => false,
    });
    let detail = match blocking {
        None => format!(
            "{} has no other licence under way or sent in the last {NFR_LICENCE_MONTHS} months",
            facts.partner.name
        ),
        Some(r) if r.status == NfrStatus::Sent => format!(
            "a licence was sent to {} on {}: another can be asked for from {}",
            r.contact_name,
            r.status_on.map(|d| d.to_string()).unwrap_or_default(),
            r.status_on
                .and_then(|d| d.checked_add_months(Months::new(NFR_LICENCE_MONTHS)))
                .map(|d| d.to_string())
                .unwrap_or_default()
        ),
        Some(r) => format!(
            "another request (for {}, asked on {}) is still {}",
            r.contact_name,
            r.requested_on,
            r.status.label().to_lowercase()
        ),
    };
    NfrCheck {
        check: NfrCheckKind::NoOtherLicence,
        met: blocking.is_none(),
        required: true,
        detail,
    }
}

fn certified_check(facts: &NfrFacts<'_>) -> NfrCheck {
    let n = facts.certified_people;
    NfrCheck {
        check: NfrCheckKind::Certified,
        met: n > 0,
        required: false,
        detail: match n {
            0 => format!(
                "no certification yet: the licence can still be sent; encourage {} to complete {ENCOURAGED_CERTIFICATION}",
                facts.partner.name
            ),
            1 => "1 person holds a current certification".to_string(),
            n => format!("{n} people hold a current certification"),
        },
    }
}

/// The seed's sample email, sent once the licence is, to a partner with no certification.
fn encouragement(contact_name: &str) -> String {
    format!(
        "Subject: NFR License Request\n\n\
         Hi {},\n\n\
         We just sent you an email with your NFR license, please let us know if you did not \
         receive it.\n\n\
         To ensure you receive the most value from this license, we encourage you or someone in \
         your organization to complete the available parts of the Solution Architect Core \
         certification in the Partner Portal.\n\n\
         Please let us know if you need anything else.\n\n\
         Kind regards,",
        contact_name.trim()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::Timestamp;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn partner() -> Partner {
        Partner::new("Acme", Track::Open, Region::Emea, "cam@example.com")
    }

    fn person(p: &Partner, email: &str) -> Person {
        Person::new(&p.id, "Ana", email, "SA")
    }

    fn request(p: &Partner, status: NfrStatus, status_on: Option<&str>) -> NfrRequest {
        let now = Timestamp::now();
        NfrRequest {
            id: crate::time::new_id(),
            partner_id: p.id.clone(),
            requested_by: "cam@example.com".into(),
            requested_on: day("2026-01-10"),
            contact_name: "Bo".into(),
            contact_email: "bo@acme.example".into(),
            purpose: String::new(),
            seats: 5,
            status,
            status_on: status_on.map(day),
            refusal_reason: (status == NfrStatus::Refused).then(|| "no".into()),
            created_at: now,
            updated_at: now,
        }
    }

    fn check(e: &NfrEligibility, kind: NfrCheckKind) -> &NfrCheck {
        e.checks.iter().find(|c| c.check == kind).unwrap()
    }

    #[test]
    fn a_contact_is_one_of_the_partners_people_or_at_their_domain() {
        let p = partner();
        let people = [person(&p, "Ana@Acme.example")];
        let facts = NfrFacts {
            partner: &p,
            people: &people,
            certified_people: 1,
            other_requests: &[],
        };
        let on = day("2026-12-07");
        let same = nfr_eligibility(&facts, "Ana", "ana@acme.example", on);
        assert!(same.eligible, "{same:?}");
        assert_eq!(
            check(&same, NfrCheckKind::ContactAtPartner).detail,
            "Ana is one of the people of Acme"
        );
        let colleague = nfr_eligibility(&facts, "Cy", "cy@ACME.example", on);
        assert!(colleague.eligible);
        let stranger = nfr_eligibility(&facts, "Eve", "eve@elsewhere.example", on);
        assert!(!stranger.eligible);
        assert_eq!(
            stranger.unmet(),
            ["Eve (eve@elsewhere.example) is not one of the people of Acme: add them to its people first"]
        );
        let no_people = NfrFacts {
            people: &[],
            ..facts
        };
        assert!(!nfr_eligibility(&no_people, "Ana", "ana@acme.example", on).eligible);
    }

    #[test]
    fn another_licence_under_way_or_sent_within_a_year_blocks_a_new_one() {
        let p = partner();
        let people = [person(&p, "ana@acme.example")];
        let eligible_with = |others: &[NfrRequest], on: &str| {
            let facts = NfrFacts {
                partner: &p,
                people: &people,
                certified_people: 1,
                other_requests: others,
            };
            nfr_eligibility(&facts, "Ana", "ana@acme.example", day(on))
        };
        assert!(eligible_with(&[], "2026-12-07").eligible);
        for pending in [NfrStatus::Requested, NfrStatus::Verified] {
            let on = (pending == NfrStatus::Verified).then_some("2026-01-12");
            let e = eligible_with(&[request(&p, pending, on)], "2026-12-07");
            assert!(!e.eligible, "{pending:?}");
            assert!(
                e.unmet()[0].starts_with("another request (for Bo, asked on 2026-01-10) is still")
            );
        }
        let refused = [request(&p, NfrStatus::Refused, Some("2026-01-11"))];
        assert!(
            eligible_with(&refused, "2026-01-12").eligible,
            "a refusal does not block"
        );
        // Sent on 2026-01-15: a year later, to the day, another may be asked for.
        let sent = [request(&p, NfrStatus::Sent, Some("2026-01-15"))];
        let e = eligible_with(&sent, "2027-01-14");
        assert!(!e.eligible);
        assert_eq!(
            e.unmet(),
            ["a licence was sent to Bo on 2026-01-15: another can be asked for from 2027-01-15"]
        );
        assert!(eligible_with(&sent, "2027-01-15").eligible);
    }

    #[test]
    fn no_certification_yet_is_eligible_with_the_sa_core_encouragement() {
        let p = partner();
        let people = [person(&p, "ana@acme.example")];
        let facts = NfrFacts {
            partner: &p,
            people: &people,
            certified_people: 0,
            other_requests: &[],
        };
        let e = nfr_eligibility(&facts, "Ana", "ana@acme.example", day("2026-12-07"));
        assert!(e.eligible, "the licence can still be sent");
        let certified = check(&e, NfrCheckKind::Certified);
        assert!(!certified.met && !certified.required);
        assert!(certified
            .detail
            .contains("encourage Acme to complete SA Core"));
        let mail = e.encouragement.unwrap();
        assert!(mail.starts_with("Subject: NFR License Request\n\nHi Ana,"));
        assert!(mail.contains("Solution Architect Core"));

        let certified = NfrFacts {
            certified_people: 2,
            ..facts
        };
        let e = nfr_eligibility(&certified, "Ana", "ana@acme.example", day("2026-12-07"));
        assert_eq!(e.encouragement, None);
        assert_eq!(
            check(&e, NfrCheckKind::Certified).detail,
            "2 people hold a current certification"
        );
    }
}
