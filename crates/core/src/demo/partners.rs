//! Demo partners with their people, enablement plans and business plans.
//!
//! Requirements come from the rule book in the store, so the mix of compliant partners,
//! partners whose plan closes a gap on a date, and partners whose plan does not, holds for
//! whatever rules the program owner has set.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use chrono::{Datelike, Duration, Months, NaiveDate};

use super::rng::Rng;
use super::text::Filler;
use super::words::*;
use super::FISCAL_YEAR_START_MONTH;
use crate::domain::plan::fiscal_year_of;
use crate::domain::*;
use crate::rules::RuleBook;
use crate::time::Timestamp;

/// One partner and everything of it that enablement and planning need.
pub(super) struct PartnerData {
    pub partner: Partner,
    pub people: Vec<Person>,
    pub items: Vec<EnablementItem>,
    pub plans: Vec<BusinessPlan>,
}

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

/// Partner number `index` of the demo. The first few cover every type, region and track so
/// that even a small demo shows them all.
pub(super) fn partner(
    rng: &mut Rng,
    index: usize,
    book: &RuleBook,
    today: NaiveDate,
    names: &mut HashSet<String>,
) -> PartnerData {
    let partner_type = match PartnerType::ALL.get(index) {
        Some(t) => *t,
        None => *rng.pick_weighted(&[
            (PartnerType::VarVad, 30),
            (PartnerType::Dmr, 10),
            (PartnerType::RegionalSi, 15),
            (PartnerType::BoutiqueSi, 12),
            (PartnerType::GlobalSi, 4),
            (PartnerType::Msp, 10),
            (PartnerType::Alliance, 5),
            (PartnerType::Distributor, 6),
        ]),
    };
    let region = match Region::ALL.get(index) {
        Some(r) => *r,
        None => *rng.pick_weighted(&[
            (Region::Americas, 35),
            (Region::Emea, 35),
            (Region::Apac, 20),
            (Region::PublicSector, 10),
        ]),
    };
    let track = if partner_type == PartnerType::Distributor {
        Track::Distribution
    } else if index < PartnerType::ALL.len() {
        [Track::Open, Track::Select][index % 2]
    } else {
        *rng.pick_weighted(&[(Track::Open, 65), (Track::Select, 35)])
    };
    let mut partner_types = vec![partner_type];
    if matches!(partner_type, PartnerType::VarVad | PartnerType::Dmr) && rng.chance(0.15) {
        // A Solution Provider: resells and sells services.
        partner_types.push(*rng.pick(&[
            PartnerType::RegionalSi,
            PartnerType::BoutiqueSi,
            PartnerType::Msp,
        ]));
    }
    let stage_weights: &[(JourneyStage, u32)] = match track {
        Track::Select => &[
            (JourneyStage::Onboarding, 10),
            (JourneyStage::Established, 35),
            (JourneyStage::Leading, 35),
            (JourneyStage::Strategic, 20),
        ],
        _ => &[
            (JourneyStage::Onboarding, 35),
            (JourneyStage::Established, 40),
            (JourneyStage::Leading, 20),
            (JourneyStage::Strategic, 5),
        ],
    };
    let journey_stage = *rng.pick_weighted(stage_weights);

    let name = partner_name(rng, region, names);
    let age_days = rng.between(120, 2000);
    let created = rng.time_on(today - Duration::days(age_days));
    let updated = rng.time_within(today, -age_days, 0);
    let owner = rng.pick(cams(region)).to_string();

    let mut capabilities = BTreeSet::new();
    for cap in &book.journey_capabilities {
        if cap.stage < journey_stage || (cap.stage == journey_stage && rng.chance(0.5)) {
            capabilities.insert(cap.id.clone());
        }
    }

    let services = partner_types.iter().any(|t| {
        matches!(
            t,
            PartnerType::GlobalSi
                | PartnerType::RegionalSi
                | PartnerType::BoutiqueSi
                | PartnerType::Msp
        )
    });
    let badges = badges(rng, book, journey_stage, services, created.date(), today);

    let mut partner = Partner {
        id: rng.id(created),
        name,
        partner_types,
        track,
        region,
        owner,
        journey_stage,
        capabilities,
        badges,
        account_notes: String::new(),
        last_phd_review: rng
            .chance(0.8)
            .then(|| today - Duration::days(rng.between(3, 200))),
        created_at: created,
        updated_at: updated.max(created),
    };

    let people = people(rng, &partner, today);
    let people_names: Vec<String> = people.iter().map(|p| p.name.clone()).collect();
    let filler = Filler {
        partner: &partner.name,
        customer: "their largest customer",
        people: &people_names,
        region,
        today,
    };
    let lines = rng.between(1, 3) as usize;
    partner.account_notes = filler.sentences(rng, ACCOUNT_NOTES, lines, " ");

    let (items, gaps) = enablement(rng, &partner, &people, book, today);
    let plans = business_plans(rng, &partner, &filler, &gaps, today);
    PartnerData {
        partner,
        people,
        items,
        plans,
    }
}

/// A company name from the word lists, unique within the demo.
fn partner_name(rng: &mut Rng, region: Region, taken: &mut HashSet<String>) -> String {
    let mut candidate = String::new();
    for _ in 0..20 {
        let first = rng.pick(PARTNER_FIRST);
        let second = rng.pick(PARTNER_SECOND);
        let suffix = rng.pick(partner_suffixes(region));
        candidate = if rng.chance(0.5) {
            format!("{first}{} {suffix}", second.to_lowercase())
        } else {
            format!("{first} {second} {suffix}")
        };
        if taken.insert(candidate.clone()) {
            return candidate;
        }
    }
    // The word lists are exhausted for this region: number the last candidate.
    let mut n = 2;
    loop {
        let numbered = format!("{candidate} {n}");
        if taken.insert(numbered.clone()) {
            return numbered;
        }
        n += 1;
    }
}

/// PSP (and rarely other badges) for partners far enough along, some failing their review.
fn badges(
    rng: &mut Rng,
    book: &RuleBook,
    stage: JourneyStage,
    services: bool,
    created: NaiveDate,
    today: NaiveDate,
) -> Vec<BadgeGrant> {
    let mut out = Vec::new();
    for (i, badge) in book.badges.iter().enumerate() {
        let base = match stage {
            JourneyStage::Onboarding => 0.03,
            JourneyStage::Established => 0.2,
            JourneyStage::Leading => 0.4,
            JourneyStage::Strategic => 0.6,
        };
        // The first badge (PSP) is the common one; services partners hold it more often.
        let p = base * if services { 1.4 } else { 0.6 } * if i == 0 { 1.0 } else { 0.25 };
        let held_days = (today - created).num_days() - 60;
        if held_days < 30 || !rng.chance(p) {
            continue;
        }
        let granted_on = today - Duration::days(rng.between(30, held_days));
        // Reviewed yearly in the grant month: the latest such month that has come.
        let mut review =
            NaiveDate::from_ymd_opt(today.year(), granted_on.month(), 1).unwrap_or(granted_on);
        if review > today {
            review = review - Months::new(12);
        }
        let (last_review_on, last_review_compliant) = if review > granted_on {
            (Some(review), Some(!rng.chance(0.2)))
        } else {
            (None, None)
        };
        out.push(BadgeGrant {
            badge_id: badge.id.clone(),
            granted_on,
            last_review_on,
            last_review_compliant,
        });
    }
    out
}

/// Three to eight key people, with job titles that suit the certifications they will hold.
fn people(rng: &mut Rng, partner: &Partner, today: NaiveDate) -> Vec<Person> {
    let count = match partner.track {
        Track::Select => rng.between(5, 8),
        Track::Open => rng.between(3, 7),
        Track::Distribution => rng.between(3, 5),
    } as usize;
    let domain = format!(
        "{}.example",
        ascii_fold(partner.name.split(' ').next().unwrap_or("partner"))
    );
    let mut taken = HashSet::new();
    let mut out = Vec::with_capacity(count);
    while out.len() < count {
        let first = rng.pick(FIRST_NAMES);
        let last = rng.pick(LAST_NAMES);
        let name = format!("{first} {last}");
        if !taken.insert(name.clone()) {
            continue;
        }
        // Roles in rotation from a random start, so every partner has a mix of families.
        let role = ROLES[(out.len() * 5 + rng.below(3)) % ROLES.len()].0;
        let created = rng.time_within(partner.created_at.date(), 0, 60);
        let created = created.min(Timestamp(today.and_time(chrono::NaiveTime::MIN).and_utc()));
        out.push(Person {
            id: rng.id(created),
            partner_id: partner.id.clone(),
            email: format!("{}.{}@{domain}", ascii_fold(first), ascii_fold(last)),
            name,
            role: role.to_string(),
            created_at: created,
            updated_at: created,
        });
    }
    out
}

/// Lowercase ASCII letters and digits of `s`, accents dropped: for email addresses.
fn ascii_fold(s: &str) -> String {
    s.to_lowercase()
        .chars()
        .filter_map(|c| match c {
            'á' | 'à' | 'ã' | 'â' | 'ä' => Some('a'),
            'é' | 'è' | 'ê' | 'ë' => Some('e'),
            'í' | 'ì' | 'î' | 'ï' => Some('i'),
            'ó' | 'ò' | 'õ' | 'ô' | 'ö' => Some('o'),
            'ú' | 'ù' | 'û' | 'ü' => Some('u'),
            'ç' => Some('c'),
            'ñ' => Some('n'),
            c if c.is_ascii_alphanumeric() => Some(c),
            _ => None,
        })
        .collect()
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
fn enablement(
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

/// Most partners have a plan for the current fiscal year; some also last year's, archived.
fn business_plans(
    rng: &mut Rng,
    partner: &Partner,
    filler: &Filler<'_>,
    gaps: &BTreeMap<String, i64>,
    today: NaiveDate,
) -> Vec<BusinessPlan> {
    let year = fiscal_year_of(today, FISCAL_YEAR_START_MONTH);
    let mut out = Vec::new();
    if rng.chance(0.3) {
        let mut last = plan(
            rng,
            partner,
            filler,
            gaps,
            year - 1,
            today - Duration::days(365),
        );
        last.status = PlanStatus::Archived;
        out.push(last);
    }
    if rng.chance(0.85) {
        out.push(plan(rng, partner, filler, gaps, year, today));
    }
    out
}

fn plan(
    rng: &mut Rng,
    partner: &Partner,
    filler: &Filler<'_>,
    gaps: &BTreeMap<String, i64>,
    fiscal_year: i32,
    as_of: NaiveDate,
) -> BusinessPlan {
    let created = rng.time_within(as_of, -120, -10);
    let growth = rng.between(5, 200) * 10_000;
    let services = partner.partner_types.iter().any(|t| {
        matches!(
            t,
            PartnerType::GlobalSi
                | PartnerType::RegionalSi
                | PartnerType::BoutiqueSi
                | PartnerType::Msp
        )
    });
    let practice_size = if services {
        rng.between(2, 5)
    } else {
        rng.between(0, 1)
    } as usize;
    let next_stage = JourneyStage::ALL
        .iter()
        .copied()
        .find(|s| *s > partner.journey_stage)
        .unwrap_or(partner.journey_stage);
    let mut certification_plan: Vec<CertificationCommitment> = gaps
        .iter()
        .map(|(cert, missing)| CertificationCommitment {
            certification_id: cert.clone(),
            count: *missing,
            by: as_of + Duration::days(rng.between(30, 240)),
        })
        .collect();
    if certification_plan.is_empty() && rng.chance(0.3) {
        certification_plan.push(CertificationCommitment {
            certification_id: "sales-pro".into(),
            count: 1,
            by: as_of + Duration::days(rng.between(60, 300)),
        });
    }
    let first_value = rng.between(20, 90);
    let goal_lines = rng.between(2, 3) as usize;
    let marketing_lines = rng.between(1, 3) as usize;
    BusinessPlan {
        id: rng.id(created),
        partner_id: partner.id.clone(),
        fiscal_year,
        goals: filler.sentences(rng, PLAN_GOALS, goal_lines, "\n"),
        growth_arr_target: Money::from_dollars(growth),
        new_customer_arr_target: Money::from_dollars(growth * rng.between(3, 6) / 10),
        services_practice: rng
            .sample(ServiceOffering::ALL, practice_size)
            .into_iter()
            .copied()
            .collect(),
        target_stage: if rng.chance(0.6) {
            next_stage
        } else {
            partner.journey_stage
        },
        marketing_plan: filler.sentences(rng, PLAN_MARKETING, marketing_lines, "\n"),
        mdf_requests: (0..rng.between(0, 3))
            .map(|_| MdfRequest {
                activity: rng.pick(MDF_ACTIVITIES).to_string(),
                amount: Money::from_dollars(rng.between(4, 50) * 500),
                quarter: format!("Q{}", rng.between(1, 4)),
            })
            .collect(),
        joint_webinars: rng.between(0, 6),
        certification_plan,
        kpis: TimeToValue {
            infrastructure_ready_days: rng.chance(0.8).then(|| rng.between(5, 30)),
            first_value_days: rng.chance(0.8).then_some(first_value),
            outcome_achieved_days: rng.chance(0.7).then(|| first_value + rng.between(30, 200)),
        },
        status: if rng.chance(0.65) {
            PlanStatus::Agreed
        } else {
            PlanStatus::Draft
        },
        created_at: created,
        updated_at: created,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_plain_ascii() {
        assert_eq!(ascii_fold("Tomás"), "tomas");
        assert_eq!(ascii_fold("Müller"), "muller");
        assert_eq!(ascii_fold("S.A."), "sa");
    }

    #[test]
    fn partner_names_stay_unique_when_the_lists_run_out() {
        let mut rng = Rng::new(9);
        let mut taken = HashSet::new();
        let n = PARTNER_FIRST.len() * PARTNER_SECOND.len() * 3;
        for _ in 0..n {
            partner_name(&mut rng, Region::PublicSector, &mut taken);
        }
        assert_eq!(taken.len(), n, "every name handed out is new");
    }
}
