//! Demo partners and their people; their enablement plans are made in [`super::enablement`],
//! their business plans in [`super::plans`].

use std::collections::{BTreeSet, HashSet};

use chrono::{Datelike, Days, Duration, Months, NaiveDate};

use super::enablement::enablement;
use super::plans::business_plans;
use super::rng::Rng;
use super::text::Filler;
use super::words::*;
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
        tsp_invited_on: None,
        currency: demo_currency(region, index),
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
/// EMEA partners sell in euros or pounds, APAC ones in Australian or Singapore dollars, the
/// rest in US dollars: alternating by index, so the random streams stay as they were.
fn demo_currency(region: Region, index: usize) -> Currency {
    let code = match region {
        Region::Emea => ["EUR", "GBP"][index % 2],
        Region::Apac => ["AUD", "SGD"][index % 2],
        Region::Americas | Region::PublicSector => BASE_CURRENCY,
    };
    Currency(code.to_string())
}

/// The rates the demo's currencies are converted with, as an admin would keep them.
pub(super) fn demo_rates(today: NaiveDate) -> Vec<ExchangeRate> {
    [
        ("EUR", 1_080_000_000),
        ("GBP", 1_270_000_000),
        ("AUD", 655_000_000),
        ("SGD", 745_000_000),
    ]
    .into_iter()
    .map(|(code, billionths)| ExchangeRate {
        id: format!("demo-{}", code.to_lowercase()),
        currency: Currency(code.to_string()),
        usd_per_unit: Rate(billionths),
        as_of: today,
    })
    .collect()
}

fn partner_name(rng: &mut Rng, region: Region, taken: &mut HashSet<String>) -> String {
    rng.unique_name(taken, |rng| {
        let first = rng.pick(PARTNER_FIRST);
        let second = rng.pick(PARTNER_SECOND);
        let suffix = rng.pick(partner_suffixes(region));
        if rng.chance(0.5) {
            format!("{first}{} {suffix}", second.to_lowercase())
        } else {
            format!("{first} {second} {suffix}")
        }
    })
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
        let mut grant = BadgeGrant::new(&badge.id, granted_on);
        if review > granted_on {
            let reviewed_on = (review + Days::new(rng.between(0, 20) as u64)).min(today);
            let compliant = !rng.chance(0.2);
            grant.evidence.push(BadgeEvidence {
                sent_on: review - Days::new(rng.between(5, 25) as u64),
                customers: vec!["Globex".into(), "Initech".into()],
            });
            grant.record_review(BadgeReviewRecord {
                reviewed_on,
                compliant,
                computed_compliant: compliant,
                override_reason: None,
            });
        }
        out.push(grant);
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
