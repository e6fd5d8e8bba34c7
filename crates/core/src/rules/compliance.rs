//! Compliance: for a partner's track and each badge, how many people are certified against
//! what is required, what is missing, and the date by which the enablement plan closes the
//! gap — or that it does not.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::NaiveDate;
use serde::Serialize;

use super::review::{badge_review, BadgeReview};
use super::RuleBook;
use crate::domain::*;
use crate::error::Result;
use crate::store::{PartnerFilter, Reader};

/// When (whether) the plan closes a gap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum GapClosure {
    /// Nothing is missing.
    Met,
    /// The plan closes the gap on `on`. `overdue`: the plan is behind — at least one target
    /// date it counts on has passed without the certification (`on` itself may be later).
    Planned { on: NaiveDate, overdue: bool },
    /// Even if everything planned is done, `short_by` certifications are still missing.
    NotClosed { short_by: i64 },
}

impl GapClosure {
    /// Combines the closures of several requirements that must all be met.
    pub fn all(closures: impl IntoIterator<Item = GapClosure>) -> GapClosure {
        let mut short = 0;
        let mut latest: Option<NaiveDate> = None;
        let mut any_overdue = false;
        for c in closures {
            match c {
                GapClosure::Met => {}
                GapClosure::NotClosed { short_by } => short += short_by,
                GapClosure::Planned { on, overdue } => {
                    latest = latest.max(Some(on));
                    any_overdue |= overdue;
                }
            }
        }
        match (short, latest) {
            (s, _) if s > 0 => GapClosure::NotClosed { short_by: s },
            (_, Some(on)) => GapClosure::Planned {
                on,
                overdue: any_overdue,
            },
            _ => GapClosure::Met,
        }
    }
}

/// One "N people certified in X" requirement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RequirementStatus {
    pub certification_id: String,
    pub certification_name: String,
    pub required: i64,
    pub certified: i64,
    pub missing: i64,
    /// People planned or in progress for it (not yet certified), with a target date.
    pub planned: i64,
    /// Planned without a target date: they cannot be counted on a date.
    pub undated: i64,
    pub closure: GapClosure,
}

/// The partner against its track's requirements.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TrackCompliance {
    pub track: Track,
    pub compliant: bool,
    pub requirements: Vec<RequirementStatus>,
    pub closure: GapClosure,
}

/// The partner against one badge (whether it holds it or is working toward it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct BadgeCompliance {
    pub badge_id: String,
    pub badge_name: String,
    pub held: bool,
    pub requires_track_compliance: bool,
    pub compliant: bool,
    pub requirements: Vec<RequirementStatus>,
    /// Includes the track's closure when the badge requires track compliance.
    pub closure: GapClosure,
    /// For a held badge: its yearly review and any grace period.
    pub review: Option<BadgeReview>,
    /// For a held badge: when it was granted, every review (oldest first) and the evidence
    /// sent for them.
    pub granted_on: Option<NaiveDate>,
    pub history: Vec<BadgeReviewRecord>,
    pub evidence: Vec<BadgeEvidence>,
}

/// Everything the rules say about one partner's enablement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PartnerCompliance {
    pub partner_id: String,
    pub partner_name: String,
    pub track: TrackCompliance,
    pub badges: Vec<BadgeCompliance>,
}

impl PartnerCompliance {
    /// A gap a CAM must act on: the track, or a badge the partner holds, is not met.
    pub fn has_gap(&self) -> bool {
        !self.track.compliant || self.badges.iter().any(|b| b.held && !b.compliant)
    }

    /// Held badges out of compliance, by name.
    pub fn held_badges_at_risk(&self) -> Vec<&str> {
        self.badges
            .iter()
            .filter(|b| b.held && !b.compliant)
            .map(|b| b.badge_name.as_str())
            .collect()
    }
}

/// Per certification: who is certified now, and the earliest planned date per other person.
struct Roster {
    certified: HashMap<String, BTreeSet<String>>,
    planned: HashMap<String, BTreeMap<String, Option<NaiveDate>>>,
}

impl Roster {
    fn new(items: &[EnablementItem], today: NaiveDate) -> Roster {
        let mut certified: HashMap<String, BTreeSet<String>> = HashMap::new();
        let mut planned: HashMap<String, BTreeMap<String, Option<NaiveDate>>> = HashMap::new();
        for item in items {
            let Some(cert) = &item.certification_id else {
                continue;
            };
            match item.effective_status(today) {
                EnablementStatus::Certified => {
                    certified
                        .entry(cert.clone())
                        .or_default()
                        .insert(item.person_id.clone());
                }
                EnablementStatus::Planned | EnablementStatus::InProgress => {
                    let slot = planned
                        .entry(cert.clone())
                        .or_default()
                        .entry(item.person_id.clone())
                        .or_insert(item.target_date);
                    // Keep the earliest dated plan for the person; a date beats no date.
                    *slot = match (*slot, item.target_date) {
                        (Some(a), Some(b)) => Some(a.min(b)),
                        (a, b) => a.or(b),
                    };
                }
                EnablementStatus::Lapsed => {}
            }
        }
        Roster { certified, planned }
    }

    fn status(
        &self,
        book: &RuleBook,
        cert: &str,
        required: i64,
        today: NaiveDate,
    ) -> RequirementStatus {
        let certified_people = self.certified.get(cert);
        let certified = certified_people.map_or(0, |s| s.len() as i64);
        let missing = (required - certified).max(0);
        let mut dates: Vec<NaiveDate> = Vec::new();
        let mut undated = 0;
        if let Some(plans) = self.planned.get(cert) {
            for (person, date) in plans {
                if certified_people.is_some_and(|s| s.contains(person)) {
                    continue; // already counts; a recertification plan adds nothing
                }
                match date {
                    Some(d) => dates.push(*d),
                    None => undated += 1,
                }
            }
        }
        dates.sort();
        let closure = if missing == 0 {
            GapClosure::Met
        } else if (dates.len() as i64) >= missing {
            let on = dates[(missing - 1) as usize];
            GapClosure::Planned {
                on,
                overdue: on < today,
            }
        } else {
            GapClosure::NotClosed {
                short_by: missing - dates.len() as i64,
            }
        };
        RequirementStatus {
            certification_id: cert.to_string(),
            certification_name: book.certification_name(cert).to_string(),
            required,
            certified,
            missing,
            planned: dates.len() as i64,
            undated,
            closure,
        }
    }
}

/// Compliance of one partner, given its enablement items, as of `today`.
pub fn partner_compliance(
    partner: &Partner,
    items: &[EnablementItem],
    book: &RuleBook,
    today: NaiveDate,
) -> PartnerCompliance {
    let roster = Roster::new(items, today);

    let track_reqs: Vec<RequirementStatus> = book
        .track_requirements
        .iter()
        .filter(|r| r.track == partner.track)
        .map(|r| roster.status(book, &r.certification_id, r.count, today))
        .collect();
    let track_closure = GapClosure::all(track_reqs.iter().map(|r| r.closure));
    let track = TrackCompliance {
        track: partner.track,
        compliant: track_reqs.iter().all(|r| r.missing == 0),
        requirements: track_reqs,
        closure: track_closure,
    };

    let badges = book
        .badges
        .iter()
        .map(|badge| {
            let reqs: Vec<RequirementStatus> = book
                .badge_requirements
                .iter()
                .filter(|r| r.badge_id == badge.id)
                .map(|r| roster.status(book, &r.certification_id, r.count, today))
                .collect();
            let own_met = reqs.iter().all(|r| r.missing == 0);
            let compliant = own_met && (!badge.requires_track_compliance || track.compliant);
            let mut closures: Vec<GapClosure> = reqs.iter().map(|r| r.closure).collect();
            if badge.requires_track_compliance {
                closures.push(track.closure);
            }
            let grant = partner.badges.iter().find(|g| g.badge_id == badge.id);
            BadgeCompliance {
                badge_id: badge.id.clone(),
                badge_name: badge.name.clone(),
                held: grant.is_some(),
                requires_track_compliance: badge.requires_track_compliance,
                compliant,
                requirements: reqs,
                closure: GapClosure::all(closures),
                review: grant.map(|g| badge_review(badge, g, compliant, today)),
                granted_on: grant.map(|g| g.granted_on),
                history: grant.map(BadgeGrant::review_history).unwrap_or_default(),
                evidence: grant.map(|g| g.evidence.clone()).unwrap_or_default(),
            }
        })
        .collect();

    PartnerCompliance {
        partner_id: partner.id.clone(),
        partner_name: partner.name.clone(),
        track,
        badges,
    }
}

/// How many people the program needs certified in each certification for `partner`: its
/// track's requirements and those of the badges it holds. Where several name one certification
/// the largest count wins, since one certified person counts toward each.
pub fn certifications_needed(partner: &Partner, book: &RuleBook) -> BTreeMap<String, i64> {
    let track = book
        .track_requirements
        .iter()
        .filter(|r| r.track == partner.track)
        .map(|r| (&r.certification_id, r.count));
    let badges = book
        .badge_requirements
        .iter()
        .filter(|r| partner.badges.iter().any(|g| g.badge_id == r.badge_id))
        .map(|r| (&r.certification_id, r.count));
    let mut needed: BTreeMap<String, i64> = BTreeMap::new();
    for (cert, count) in track.chain(badges) {
        let slot = needed.entry(cert.clone()).or_default();
        *slot = (*slot).max(count);
    }
    needed
}

/// Compliance for every partner (or those matching `filter`), in name order.
pub fn compliance_for_all(
    reader: Reader<'_>,
    filter: &PartnerFilter,
    today: NaiveDate,
) -> Result<Vec<PartnerCompliance>> {
    let book = reader.rule_book()?;
    let partners = reader.partners(filter)?;
    let items = reader.enablement_items_by_partner()?;
    Ok(partners
        .iter()
        .map(|p| {
            let mine = items.get(&p.id).map(Vec::as_slice).unwrap_or(&[]);
            partner_compliance(p, mine, &book, today)
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    const TODAY: &str = "2026-11-23";

    /// The seed rules of DOMAIN.md.
    fn book() -> RuleBook {
        let cert = |id: &str, n| Certification {
            id: id.into(),
            name: id.to_uppercase(),
            validity_months: None,
            sort_order: n,
        };
        let tr = |track, c: &str, count| TrackRequirement {
            id: format!("{track:?}-{c}"),
            track,
            certification_id: c.into(),
            count,
        };
        RuleBook {
            certifications: vec![
                cert("sales-core", 1),
                cert("sales-pro", 2),
                cert("sa-core", 3),
                cert("pse", 4),
            ],
            track_requirements: vec![
                tr(Track::Select, "sales-core", 4),
                tr(Track::Select, "sales-pro", 1),
                tr(Track::Select, "sa-core", 2),
                tr(Track::Select, "pse", 1),
                tr(Track::Open, "sales-core", 2),
                tr(Track::Open, "sa-core", 1),
            ],
            badges: vec![Badge {
                id: "psp".into(),
                name: "PSP".into(),
                requires_track_compliance: true,
                review_every_months: 12,
                evidence_lead_months: 1,
                grace_months: 3,
            }],
            badge_requirements: vec![BadgeRequirement {
                id: "psp-pse".into(),
                badge_id: "psp".into(),
                certification_id: "pse".into(),
                count: 3,
            }],
            ..RuleBook::default()
        }
    }

    fn certified(person: &str, cert: &str) -> EnablementItem {
        let mut i = EnablementItem::plan_certification("p", person, cert, None);
        i.status = EnablementStatus::Certified;
        i.completed_on = Some(d("2026-01-10"));
        i
    }

    fn planned(person: &str, cert: &str, date: &str) -> EnablementItem {
        EnablementItem::plan_certification("p", person, cert, Some(d(date)))
    }

    fn partner(track: Track) -> Partner {
        Partner::new("Acme", track, Region::Emea, "cam")
    }

    fn open_compliant_items() -> Vec<EnablementItem> {
        vec![
            certified("a", "sales-core"),
            certified("b", "sales-core"),
            certified("c", "sa-core"),
        ]
    }

    #[test]
    fn open_partner_needs_two_sales_core_and_one_sa_core() {
        let today = d(TODAY);
        let c = partner_compliance(
            &partner(Track::Open),
            &open_compliant_items(),
            &book(),
            today,
        );
        assert!(c.track.compliant, "{:#?}", c.track);
        assert_eq!(c.track.closure, GapClosure::Met);

        let mut items = open_compliant_items();
        items.pop();
        let c = partner_compliance(&partner(Track::Open), &items, &book(), today);
        assert!(!c.track.compliant, "no SA Core");
        let sa = c
            .track
            .requirements
            .iter()
            .find(|r| r.certification_id == "sa-core")
            .unwrap();
        assert_eq!((sa.required, sa.certified, sa.missing), (1, 0, 1));
        assert_eq!(sa.closure, GapClosure::NotClosed { short_by: 1 });
    }

    #[test]
    fn select_partner_needs_four_sales_core() {
        let mut items: Vec<_> = (0..3)
            .map(|i| certified(&format!("s{i}"), "sales-core"))
            .collect();
        items.push(certified("pro", "sales-pro"));
        items.push(certified("sa1", "sa-core"));
        items.push(certified("sa2", "sa-core"));
        items.push(certified("pse1", "pse"));
        let c = partner_compliance(&partner(Track::Select), &items, &book(), d(TODAY));
        assert!(!c.track.compliant, "three Sales Core is one short");
        let sc = &c.track.requirements[0];
        assert_eq!(
            (sc.certification_id.as_str(), sc.missing),
            ("sales-core", 1)
        );

        items.push(certified("s3", "sales-core"));
        let c = partner_compliance(&partner(Track::Select), &items, &book(), d(TODAY));
        assert!(c.track.compliant, "four Sales Core meets Select");
    }

    #[test]
    fn one_person_certified_twice_counts_once() {
        let items = vec![
            certified("a", "sales-core"),
            certified("a", "sales-core"),
            certified("c", "sa-core"),
        ];
        let c = partner_compliance(&partner(Track::Open), &items, &book(), d(TODAY));
        assert!(!c.track.compliant);
    }

    #[test]
    fn psp_needs_exactly_three_pses_and_track_compliance() {
        let mut items = open_compliant_items();
        items.push(certified("x", "pse"));
        items.push(certified("y", "pse"));
        let c = partner_compliance(&partner(Track::Open), &items, &book(), d(TODAY));
        let psp = &c.badges[0];
        assert!(!psp.compliant, "two PSEs are not enough");
        assert_eq!(psp.requirements[0].missing, 1);

        items.push(certified("z", "pse"));
        let c = partner_compliance(&partner(Track::Open), &items, &book(), d(TODAY));
        assert!(
            c.badges[0].compliant,
            "exactly three PSEs with a compliant track"
        );

        let pses_only: Vec<_> = items
            .into_iter()
            .filter(|i| i.certification_id.as_deref() == Some("pse"))
            .collect();
        let c = partner_compliance(&partner(Track::Open), &pses_only, &book(), d(TODAY));
        assert!(
            !c.badges[0].compliant,
            "three PSEs but the track is not met"
        );
    }

    #[test]
    fn a_lapsed_certification_does_not_count() {
        let mut items = open_compliant_items();
        items[2].status = EnablementStatus::Lapsed;
        let c = partner_compliance(&partner(Track::Open), &items, &book(), d(TODAY));
        assert!(!c.track.compliant, "explicitly lapsed");

        let mut items = open_compliant_items();
        items[2].expires_on = Some(d("2026-11-22"));
        let c = partner_compliance(&partner(Track::Open), &items, &book(), d(TODAY));
        assert!(!c.track.compliant, "expired yesterday");

        items[2].expires_on = Some(d(TODAY));
        let c = partner_compliance(&partner(Track::Open), &items, &book(), d(TODAY));
        assert!(c.track.compliant, "valid through its expiry day");
    }

    #[test]
    fn the_plan_closes_the_gap_on_the_date_of_the_last_needed_certification() {
        let items = vec![
            planned("a", "sales-core", "2027-03-01"),
            planned("b", "sales-core", "2027-01-15"),
            planned("e", "sales-core", "2027-06-30"),
            planned("c", "sa-core", "2027-02-01"),
        ];
        let c = partner_compliance(&partner(Track::Open), &items, &book(), d(TODAY));
        let sc = &c.track.requirements[0];
        assert_eq!(
            sc.closure,
            GapClosure::Planned {
                on: d("2027-03-01"),
                overdue: false
            },
            "two needed: the second earliest date"
        );
        assert_eq!(
            c.track.closure,
            GapClosure::Planned {
                on: d("2027-03-01"),
                overdue: false
            },
            "the track closes when its last requirement does"
        );
    }

    #[test]
    fn a_plan_short_of_people_does_not_close_the_gap() {
        let items = vec![
            planned("a", "sales-core", "2027-03-01"),
            certified("c", "sa-core"),
        ];
        let c = partner_compliance(&partner(Track::Open), &items, &book(), d(TODAY));
        assert_eq!(c.track.closure, GapClosure::NotClosed { short_by: 1 });
    }

    #[test]
    fn a_plan_date_in_the_past_is_overdue() {
        let items = vec![
            certified("a", "sales-core"),
            certified("b", "sales-core"),
            planned("c", "sa-core", "2026-10-01"),
        ];
        let c = partner_compliance(&partner(Track::Open), &items, &book(), d(TODAY));
        assert_eq!(
            c.track.closure,
            GapClosure::Planned {
                on: d("2026-10-01"),
                overdue: true
            }
        );
    }

    #[test]
    fn undated_plans_do_not_close_a_gap_but_are_counted() {
        let mut item = planned("c", "sa-core", "2027-01-01");
        item.target_date = None;
        let items = vec![
            certified("a", "sales-core"),
            certified("b", "sales-core"),
            item,
        ];
        let c = partner_compliance(&partner(Track::Open), &items, &book(), d(TODAY));
        let sa = c
            .track
            .requirements
            .iter()
            .find(|r| r.certification_id == "sa-core")
            .unwrap();
        assert_eq!(sa.undated, 1);
        assert_eq!(sa.closure, GapClosure::NotClosed { short_by: 1 });
    }

    #[test]
    fn badge_closure_includes_the_track() {
        let items = vec![
            certified("a", "sales-core"),
            certified("b", "sales-core"),
            planned("c", "sa-core", "2027-05-01"),
            certified("x", "pse"),
            certified("y", "pse"),
            planned("z", "pse", "2027-02-01"),
        ];
        let c = partner_compliance(&partner(Track::Open), &items, &book(), d(TODAY));
        assert_eq!(
            c.badges[0].closure,
            GapClosure::Planned {
                on: d("2027-05-01"),
                overdue: false
            }
        );
    }

    #[test]
    fn gap_means_track_or_held_badge() {
        let mut p = partner(Track::Open);
        let c = partner_compliance(&p, &open_compliant_items(), &book(), d(TODAY));
        assert!(!c.has_gap(), "PSP not held, so its shortfall is not a gap");
        p.badges.push(BadgeGrant::new("psp", d("2025-03-10")));
        let c = partner_compliance(&p, &open_compliant_items(), &book(), d(TODAY));
        assert!(c.has_gap(), "holds PSP without three PSEs");
        assert_eq!(c.held_badges_at_risk(), vec!["PSP"]);
        assert!(c.badges[0].review.is_some());
    }

    #[test]
    fn distribution_track_with_no_requirements_is_compliant() {
        let c = partner_compliance(&partner(Track::Distribution), &[], &book(), d(TODAY));
        assert!(c.track.compliant);
        assert!(c.track.requirements.is_empty());
    }
}
