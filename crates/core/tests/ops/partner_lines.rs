//! The partners list as a CAM scans it: each column of `list_partner_lines` against a
//! hand-built fixture (today 2026-11-23, fiscal year FY27 = Feb 2026 – Jan 2027).

use cdesk_core::ops::{
    self, BadgeGrantInput, ComplianceStatus, NewEnablementItem, NewOpportunity, NewPerson,
    PartnerLine, PartnerQuery, PlanChanges,
};
use cdesk_core::rules::{GapClosure, ReviewStatus};

use super::selling::account;
use super::*;

/// `people` at `partner`, each certified in `cert` (completed in 2026), or planned for it
/// by `target` when `target` is given.
fn enable(s: &mut Store, partner: &str, cert: &str, people: &[(&str, Option<&str>)]) {
    for (name, target) in people {
        let email = format!("{}@{}.example", name.to_lowercase(), partner.to_lowercase());
        let person = match s
            .read()
            .resolve_person(&s.read().resolve_partner(partner).unwrap().id, &email)
        {
            Ok(p) => p,
            Err(_) => ops::add_person(
                s,
                &NewPerson {
                    partner: partner.into(),
                    name: (*name).into(),
                    email: email.clone(),
                    role: String::new(),
                },
            )
            .unwrap(),
        };
        let item = NewEnablementItem {
            partner: partner.into(),
            person: person.id,
            certification: Some(cert.into()),
            target_date: target.map(Into::into),
            status: Some(
                if target.is_some() {
                    "planned"
                } else {
                    "certified"
                }
                .into(),
            ),
            completed_on: target.is_none().then(|| "2026-03-01".into()),
            ..NewEnablementItem::default()
        };
        ops::plan_enablement(s, &item, d(TODAY)).unwrap();
    }
}

fn plan(s: &mut Store, partner: &str, year: i32, growth: &str, new: &str, status: &str) {
    let changes = PlanChanges {
        partner: partner.into(),
        fiscal_year: year,
        growth_arr_target: Some(growth.into()),
        new_customer_arr_target: Some(new.into()),
        status: Some(status.into()),
        ..PlanChanges::default()
    };
    ops::save_plan(s, &changes).unwrap();
}

/// A deal with its IACV in dollars; closed ones say why.
fn deal(s: &mut Store, account: &str, name: &str, kind: &str, stage: &str, close: &str, iacv: i64) {
    let input = NewOpportunity {
        account: account.into(),
        name: name.into(),
        segment: "smb".into(),
        close_date: close.into(),
        opportunity_type: Some(kind.into()),
        stage: Some(stage.into()),
        amount: Some(iacv.to_string()),
        iacv: Some(iacv.to_string()),
        win_loss_reason: stage
            .starts_with("closed")
            .then(|| format!("{name} reason")),
        ..NewOpportunity::default()
    };
    ops::create_opportunity(s, &input).unwrap();
}

fn grant(s: &mut Store, partner: &str, badge: &str, on: &str) {
    let input = BadgeGrantInput {
        partner: partner.into(),
        badge: badge.into(),
        granted_on: on.into(),
    };
    ops::grant_badge(s, &input).unwrap();
}

fn note(s: &mut Store, partner: &str, title: &str, body: &str, at: &str) {
    let mut input = super::notes::note(partner, title);
    input.body = body.into();
    input.occurred_at = Some(at.into());
    ops::log_note(s, &input).unwrap();
}

/// Acme: compliant, agreed plan, deals of every kind. Bravo: a gap its plan closes, a draft
/// plan. Cyan: compliant track, holds PSP without its PSEs and a badge due for review.
fn fixture() -> Store {
    let mut s = store();
    for name in ["Acme", "Bravo", "Cyan"] {
        partner(&mut s, name);
    }
    ops::update_partner(
        &mut s,
        &ops::PartnerChanges {
            partner: "Cyan".into(),
            owner: Some("kim@vendor.example".into()),
            region: Some("apac".into()),
            ..Default::default()
        },
    )
    .unwrap();

    // Open needs 2 Sales Core and 1 SA Core.
    enable(&mut s, "Acme", "sales-core", &[("Ana", None), ("Bo", None)]);
    enable(&mut s, "Acme", "sa-core", &[("Ana", None)]);
    enable(
        &mut s,
        "Bravo",
        "sales-core",
        &[("Cy", None), ("Di", Some("2027-02-01"))],
    );
    enable(&mut s, "Bravo", "sa-core", &[("Ed", Some("2027-03-15"))]);
    enable(&mut s, "Cyan", "sales-core", &[("Fa", None), ("Gi", None)]);
    enable(&mut s, "Cyan", "sa-core", &[("Fa", None)]);
    // PSP needs 3 PSEs: one certified, one planned (already late), one missing outright.
    enable(
        &mut s,
        "Cyan",
        "pse",
        &[("Ho", None), ("Io", Some("2026-10-01"))],
    );
    grant(&mut s, "Cyan", "psp", "2025-03-10");
    grant(&mut s, "Cyan", "tsp", "2025-12-20");

    plan(&mut s, "Acme", 2027, "100000", "50000", "agreed");
    plan(&mut s, "Acme", 2028, "900000", "0", "draft");
    plan(&mut s, "Bravo", 2026, "1", "1", "agreed");
    plan(&mut s, "Bravo", 2027, "0", "20000", "draft");

    account(&mut s, "Initech", Some("Acme"));
    account(&mut s, "Hooli", None);
    deal(
        &mut s,
        "Initech",
        "New",
        "new_business",
        "closed_won",
        "2026-05-01",
        10_000,
    );
    deal(
        &mut s,
        "Initech",
        "Last year",
        "new_business",
        "closed_won",
        "2026-01-31",
        40_000,
    );
    deal(
        &mut s,
        "Initech",
        "Next year",
        "add_on",
        "closed_won",
        "2027-02-01",
        30_000,
    );
    deal(
        &mut s,
        "Initech",
        "Services",
        "services_only",
        "closed_won",
        "2026-06-01",
        7_000,
    );
    deal(
        &mut s,
        "Initech",
        "Lost",
        "new_business",
        "closed_lost",
        "2026-06-01",
        3_000,
    );
    deal(
        &mut s,
        "Initech",
        "Open",
        "add_on",
        "proposal",
        "2026-12-20",
        4_000,
    );
    deal(
        &mut s,
        "Initech",
        "Renewal",
        "renewal",
        "closed_won",
        "2027-01-31",
        1_000,
    );
    // Registered by Acme on an account no partner co-sells; registered by Bravo on Acme's
    // account (counts for both); registered by Acme on its own account (counts once).
    for (acct, name, by) in [
        ("Hooli", "Registered", "Acme"),
        ("Initech", "Shared", "Bravo"),
        ("Initech", "Own", "Acme"),
    ] {
        deal(
            &mut s,
            acct,
            name,
            "add_on",
            "closed_won",
            "2026-08-01",
            2_000,
        );
        let opp = ops::list_opportunities(s.read(), &Default::default())
            .unwrap()
            .into_iter()
            .find(|l| l.opportunity.name == name)
            .unwrap();
        ops::update_opportunity(
            &mut s,
            &ops::OpportunityChanges {
                opportunity: opp.opportunity.id,
                registered_partner: Some(by.into()),
                ..Default::default()
            },
        )
        .unwrap();
    }

    note(
        &mut s,
        "Acme",
        "Kick-off",
        "First call",
        "2026-09-01T09:00:00Z",
    );
    let long = format!(
        "Agreed the   QBR agenda.\n\n- pipeline\n- {}",
        "x".repeat(200)
    );
    note(&mut s, "Acme", "QBR prep", &long, "2026-11-20T15:30:00Z");
    note(
        &mut s,
        "Acme",
        "Older",
        "An old call",
        "2026-10-01T09:00:00Z",
    );
    s
}

fn lines(s: &Store, query: &PartnerQuery) -> Vec<PartnerLine> {
    ops::list_partner_lines(s.read(), query, d(TODAY)).unwrap()
}

#[test]
fn each_partner_line_shows_the_partner_and_what_a_cam_scans_for() {
    let s = fixture();
    let all = lines(&s, &PartnerQuery::default());
    let names: Vec<_> = all.iter().map(|l| l.partner.name.as_str()).collect();
    assert_eq!(names, ["Acme", "Bravo", "Cyan"], "in name order");
    let [acme, bravo, cyan] = &all[..] else {
        unreachable!()
    };

    // The partner's own fields.
    assert_eq!(cyan.partner.track, Track::Open);
    assert_eq!(cyan.partner.region, Region::Apac);
    assert_eq!(cyan.partner.journey_stage, JourneyStage::Onboarding);
    assert_eq!(cyan.partner.partner_types, [PartnerType::VarVad]);
    assert_eq!(cyan.partner.owner, "kim@vendor.example");
    assert!(all.iter().all(|l| l.fiscal_year == 2027));

    // Compliance.
    assert_eq!(acme.compliance, ComplianceStatus::Compliant);
    assert_eq!(
        bravo.compliance,
        ComplianceStatus::Gap {
            missing: 2,
            closure: GapClosure::Planned {
                on: d("2027-03-15"),
                overdue: false
            }
        },
        "one Sales Core and one SA Core, both planned: closed by the later date"
    );
    assert_eq!(
        cyan.compliance,
        ComplianceStatus::Gap {
            missing: 2,
            closure: GapClosure::NotClosed { short_by: 1 }
        },
        "a held PSP two PSEs short, one of them planned"
    );

    // The plan of the fiscal year (not of another year).
    assert_eq!(acme.plan_status, Some(PlanStatus::Agreed));
    assert_eq!(acme.arr_target, Some(Money::from_dollars(150_000)));
    assert_eq!(bravo.plan_status, Some(PlanStatus::Draft));
    assert_eq!(bravo.arr_target, Some(Money::from_dollars(20_000)));
    assert_eq!((cyan.plan_status, cyan.arr_target), (None, None));

    // Closed won in FY27: Acme 10,000 (new) + 1,000 (renewal on the last day) + 2,000 ×3
    // (registered, shared, own); not last year's, next year's, services-only, lost or open.
    assert_eq!(acme.arr_won, Money::from_dollars(17_000));
    assert_eq!(bravo.arr_won, Money::from_dollars(2_000), "the shared deal");
    assert_eq!(cyan.arr_won, Money::default());

    // Next review: the soonest of the held badges. PSP's March review was never recorded, so
    // it is overdue and comes before the Training Services Partner review due in December.
    assert_eq!(acme.next_review, None, "no badge held");
    let review = cyan.next_review.as_ref().unwrap();
    assert_eq!(
        (review.on, review.badge_name.as_str(), review.status),
        (
            d("2026-03-01"),
            "Professional Services Partner (PSP)",
            ReviewStatus::ReviewOverdue {
                since: d("2026-04-01")
            }
        )
    );

    // The last note, its body on one line and cut.
    let last = acme.last_note.as_ref().unwrap();
    assert_eq!(last.title, "QBR prep");
    assert_eq!(last.occurred_at.to_text(), "2026-11-20T15:30:00.000Z");
    assert!(
        last.snippet
            .starts_with("Agreed the QBR agenda. - pipeline - xxx"),
        "{}",
        last.snippet
    );
    assert_eq!(last.snippet.chars().count(), ops::SNIPPET_CHARS);
    assert!(last.snippet.ends_with('…'));
    assert_eq!(bravo.last_note, None);
}

#[test]
fn partner_lines_take_the_list_filters_and_keep_the_partner_fields_in_json() {
    let s = fixture();
    let apac = PartnerQuery {
        region: Some("APAC".into()),
        ..PartnerQuery::default()
    };
    let found = lines(&s, &apac);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].partner.name, "Cyan");
    let by_name = PartnerQuery {
        name: Some("rav".into()),
        ..PartnerQuery::default()
    };
    assert_eq!(lines(&s, &by_name)[0].partner.name, "Bravo");
    let bad = PartnerQuery {
        track: Some("gold".into()),
        ..PartnerQuery::default()
    };
    let err = ops::list_partner_lines(s.read(), &bad, d(TODAY)).unwrap_err();
    assert!(err.to_string().starts_with("track:"), "{err}");

    // The partner's fields sit beside the computed ones, as `partner list --json` had them.
    let json = serde_json::to_value(&lines(&s, &by_name)[0]).unwrap();
    assert_eq!(json["name"], "Bravo");
    assert_eq!(json["owner"], "cam@vendor.example");
    assert_eq!(json["compliance"]["state"], "gap");
    assert_eq!(json["compliance"]["closure"]["state"], "planned");
    assert_eq!(json["plan_status"], "draft");
}

#[test]
fn with_many_partners_each_line_gets_its_own_sum_and_note() {
    // The sums and notes are read once for all partners and handed out by partner id.
    let mut s = store();
    for i in 0..200 {
        let name = format!("P{i:03}");
        partner(&mut s, &name);
        account(&mut s, &format!("A{i:03}"), Some(&name));
        deal(
            &mut s,
            &format!("A{i:03}"),
            "Won",
            "new_business",
            "closed_won",
            "2026-05-01",
            i + 1,
        );
        note(&mut s, &name, "Call", "Body", "2026-11-01T09:00:00Z");
    }
    let all = lines(&s, &PartnerQuery::default());
    assert_eq!(all.len(), 200);
    assert!(all
        .iter()
        .enumerate()
        .all(|(i, l)| l.arr_won == Money::from_dollars(i as i64 + 1)
            && l.last_note.as_ref().is_some_and(|n| n.title == "Call")));
}
