use cdesk_core::ops::{self, CommitmentInput, MdfRequestInput, PlanChanges};

use super::*;

fn changes(partner: &str, year: i32) -> PlanChanges {
    PlanChanges {
        partner: partner.into(),
        fiscal_year: year,
        ..PlanChanges::default()
    }
}

#[test]
fn the_first_save_creates_a_draft_and_later_saves_change_only_given_fields() {
    let mut s = store();
    partner(&mut s, "Acme");
    let mut first = changes("Acme", 2027);
    first.goals = Some("Grow the public sector practice".into());
    first.growth_arr_target = Some("$250,000".into());
    first.services_practice = Some(vec!["migration".into(), "Education".into()]);
    first.certification_plan = Some(vec![CommitmentInput {
        certification: "PSE".into(),
        count: 3,
        by: "2027-06-30".into(),
    }]);
    first.mdf_requests = Some(vec![MdfRequestInput {
        activity: "Joint webinar series".into(),
        amount: "12000".into(),
        quarter: "Q2".into(),
        ..MdfRequestInput::default()
    }]);
    let (plan, added) = with_outbox(&mut s, |s| ops::save_plan(s, &first));
    assert_eq!(added, 1);
    assert_eq!(plan.status, PlanStatus::Draft);
    assert_eq!(plan.growth_arr_target, Money::from_dollars(250_000));
    assert_eq!(plan.certification_plan[0].certification_id, "pse");

    let mut second = changes("Acme", 2027);
    second.new_customer_arr_target = Some("100000".into());
    second.first_value_days = Some(30);
    let (plan2, added) = with_outbox(&mut s, |s| ops::save_plan(s, &second));
    assert_eq!(added, 1);
    assert_eq!(plan2.id, plan.id, "same plan for the same year");
    assert_eq!(plan2.goals, "Grow the public sector practice", "kept");
    assert_eq!(plan2.growth_arr_target, plan.growth_arr_target, "kept");
    assert_eq!(plan2.total_arr_target(), Money::from_dollars(350_000));
    assert_eq!(plan2.kpis.first_value_days, Some(30));
    assert_eq!(plan2.mdf_requests.len(), 1, "kept");
}

#[test]
fn a_plan_status_is_set_on_an_existing_plan() {
    let mut s = store();
    partner(&mut s, "Acme");
    ops::save_plan(&mut s, &changes("Acme", 2027)).unwrap();
    let (plan, added) = with_outbox(&mut s, |s| ops::set_plan_status(s, "Acme", 2027, "agreed"));
    assert_eq!((plan.status, added), (PlanStatus::Agreed, 1));
    let err = fails_writing_nothing(&mut s, |s| ops::set_plan_status(s, "Acme", 2028, "agreed"));
    assert_eq!(err.code(), "not_found");
    let err = fails_writing_nothing(&mut s, |s| ops::set_plan_status(s, "Acme", 2027, "signed"));
    assert!(err.to_string().starts_with("status:"), "{err}");
}

#[test]
fn the_latest_plan_is_shown_when_no_year_is_given() {
    let mut s = store();
    partner(&mut s, "Acme");
    ops::save_plan(&mut s, &changes("Acme", 2026)).unwrap();
    ops::save_plan(&mut s, &changes("Acme", 2027)).unwrap();
    assert_eq!(
        ops::plan_for(s.read(), "Acme", None).unwrap().fiscal_year,
        2027
    );
    assert_eq!(
        ops::plan_for(s.read(), "Acme", Some(2026))
            .unwrap()
            .fiscal_year,
        2026
    );
}

#[test]
fn a_bad_amount_commitment_date_or_year_writes_nothing() {
    let mut s = store();
    partner(&mut s, "Acme");
    let mut bad = changes("Acme", 2027);
    bad.growth_arr_target = Some("lots".into());
    let err = fails_writing_nothing(&mut s, |s| ops::save_plan(s, &bad));
    assert!(err.to_string().starts_with("growth_arr_target:"), "{err}");

    let mut bad = changes("Acme", 2027);
    bad.certification_plan = Some(vec![CommitmentInput {
        certification: "pse".into(),
        count: 1,
        by: "2027-02-30".into(),
    }]);
    let err = fails_writing_nothing(&mut s, |s| ops::save_plan(s, &bad));
    assert!(
        err.to_string().starts_with("certification_plan.by:"),
        "{err}"
    );

    let err = fails_writing_nothing(&mut s, |s| ops::save_plan(s, &changes("Acme", 27)));
    assert!(err.to_string().starts_with("fiscal_year:"), "{err}");
}

/// A deal for `account` closing on `close` at `stage`, worth `iacv` dollars of IACV.
pub fn deal(
    s: &mut Store,
    account: &str,
    name: &str,
    kind: &str,
    stage: &str,
    close: &str,
    iacv: i64,
) -> Opportunity {
    let input = ops::NewOpportunity {
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
        services_attach: Some("500".into()),
        ..Default::default()
    };
    ops::create_opportunity(s, &input).unwrap()
}

#[test]
fn a_plan_against_its_fiscal_years_closed_won_deals() {
    let mut s = store();
    partner(&mut s, "Acme");
    partner(&mut s, "Globex");
    super::selling::account(&mut s, "Initech", Some("Acme"));
    super::selling::account(&mut s, "Hooli", None);
    let mut plan = changes("Acme", 2027);
    plan.growth_arr_target = Some("100000".into());
    plan.new_customer_arr_target = Some("50000".into());
    plan.target_stage = Some("leading".into());
    plan.mdf_requests = Some(vec![
        MdfRequestInput {
            activity: "Webinars".into(),
            amount: "12000".into(),
            quarter: "Q2".into(),
            status: Some("approved".into()),
            reviewed_with_cam_on: Some("2026-03-02".into()),
        },
        MdfRequestInput {
            activity: "Event".into(),
            amount: "3000".into(),
            quarter: "q3".into(),
            ..MdfRequestInput::default()
        },
        MdfRequestInput {
            activity: "Roadshow".into(),
            amount: "1000".into(),
            quarter: "Q2".into(),
            status: Some("Submitted".into()),
            reviewed_with_cam_on: Some("2026-05-10".into()),
        },
    ]);
    ops::save_plan(&mut s, &plan).unwrap();

    // FY27 runs 2026-02-01 .. 2027-01-31: the first and the last day count, the days around
    // them do not.
    deal(
        &mut s,
        "Initech",
        "First day",
        "new_business",
        "closed_won",
        "2026-02-01",
        10_000,
    );
    deal(
        &mut s,
        "Initech",
        "Last day",
        "add_on",
        "closed_won",
        "2027-01-31",
        20_000,
    );
    deal(
        &mut s,
        "Initech",
        "Renewal uplift",
        "renewal",
        "closed_won",
        "2026-06-30",
        5_000,
    );
    deal(
        &mut s,
        "Initech",
        "Services",
        "services_only",
        "closed_won",
        "2026-07-01",
        7_000,
    );
    deal(
        &mut s,
        "Initech",
        "FY26",
        "new_business",
        "closed_won",
        "2026-01-31",
        99_000,
    );
    deal(
        &mut s,
        "Initech",
        "FY28",
        "add_on",
        "closed_won",
        "2027-02-01",
        99_000,
    );
    deal(
        &mut s,
        "Initech",
        "Lost",
        "new_business",
        "closed_lost",
        "2026-09-15",
        40_000,
    );
    deal(
        &mut s,
        "Initech",
        "Open",
        "new_business",
        "proposal",
        "2026-12-15",
        8_000,
    );
    // Registered by Acme on an account it does not co-sell: counts for Acme.
    let registered = deal(
        &mut s,
        "Hooli",
        "Registered",
        "new_business",
        "closed_won",
        "2026-03-01",
        1_000,
    );
    ops::update_opportunity(
        &mut s,
        &ops::OpportunityChanges {
            opportunity: registered.id.clone(),
            registered_partner: Some("Acme".into()),
            ..Default::default()
        },
    )
    .unwrap();

    let a = ops::plan_actuals(s.read(), "Acme", 2027, d("2027-01-15")).unwrap();
    assert_eq!(
        (a.first_day, a.last_day),
        (d("2026-02-01"), d("2027-01-31"))
    );
    assert!(a.has_plan);
    assert_eq!(a.new_customer_arr.target, Some(Money::from_dollars(50_000)));
    assert_eq!(
        a.new_customer_arr.actual,
        Money::from_dollars(11_000),
        "first day + registered"
    );
    assert_eq!(a.growth_arr.target, Some(Money::from_dollars(100_000)));
    assert_eq!(
        a.growth_arr.actual,
        Money::from_dollars(25_000),
        "add-on + renewal uplift"
    );
    assert_eq!(a.open_pipeline, Money::from_dollars(8_000));
    assert_eq!(
        a.services_attach_won,
        Money::from_dollars(2_500),
        "five won deals, $500 each"
    );
    let won: Vec<_> = a.won.iter().map(|w| w.name.as_str()).collect();
    assert_eq!(
        won,
        [
            "Last day",
            "Services",
            "Renewal uplift",
            "Registered",
            "First day"
        ]
    );
    assert_eq!(a.lost.len(), 1);
    assert_eq!(a.lost[0].reason, "Lost reason");
    assert_eq!(a.mdf_requested, Money::from_dollars(16_000));
    let quarters: Vec<_> = a
        .mdf_by_quarter
        .iter()
        .map(|q| (q.quarter.as_str(), q.requested, q.approved))
        .collect();
    assert_eq!(
        quarters,
        vec![
            (
                "Q2",
                Money::from_dollars(13_000),
                Money::from_dollars(12_000)
            ),
            ("Q3", Money::from_dollars(3_000), Money::default()),
        ],
        "per quarter, \"q3\" and \"Q3\" together; only the approved request counts as approved"
    );
    assert!(a.mdf_eligible, "an Open partner submits MDF requests");
    assert_eq!(a.target_stage, Some(JourneyStage::Leading));

    // The deal moves to Globex: it leaves Acme's actuals and joins Globex's (no plan there).
    ops::update_opportunity(
        &mut s,
        &ops::OpportunityChanges {
            opportunity: registered.id,
            registered_partner: Some("Globex".into()),
            ..Default::default()
        },
    )
    .unwrap();
    let a = ops::plan_actuals(s.read(), "Acme", 2027, d("2027-01-15")).unwrap();
    assert_eq!(a.new_customer_arr.actual, Money::from_dollars(10_000));
    let g = ops::plan_actuals(s.read(), "Globex", 2027, d("2027-01-15")).unwrap();
    assert!(!g.has_plan);
    assert_eq!(
        g.new_customer_arr,
        ops::AgainstTarget {
            target: None,
            actual: Money::from_dollars(1_000)
        }
    );
}

#[test]
fn a_managers_rollup_sums_each_cams_partners_against_a_hand_count() {
    let mut s = store();
    partner(&mut s, "Acme"); // cam@vendor.example, Open, no certified people: a compliance gap
    partner(&mut s, "Bravo");
    let mut other = ops::NewPartner {
        owner: "cam2@vendor.example".into(),
        ..new_partner("Zulu")
    };
    other.region = "apac".into();
    ops::create_partner(&mut s, &other).unwrap();
    let mut plan = changes("Acme", 2027);
    plan.growth_arr_target = Some("100000".into());
    plan.new_customer_arr_target = Some("50000".into());
    plan.status = Some("agreed".into());
    ops::save_plan(&mut s, &plan).unwrap();
    let mut draft = changes("Zulu", 2027);
    draft.new_customer_arr_target = Some("20000".into());
    ops::save_plan(&mut s, &draft).unwrap();
    super::selling::account(&mut s, "Initech", Some("Acme"));
    super::selling::account(&mut s, "Umbrella", Some("Zulu"));
    deal(
        &mut s,
        "Initech",
        "Won A",
        "new_business",
        "closed_won",
        "2026-05-01",
        10_000,
    );
    deal(
        &mut s,
        "Initech",
        "Won B",
        "add_on",
        "closed_won",
        "2026-06-01",
        5_000,
    );
    deal(
        &mut s,
        "Initech",
        "Open A",
        "new_business",
        "proposal",
        "2026-12-20",
        7_000,
    );
    deal(
        &mut s,
        "Umbrella",
        "Won Z",
        "new_business",
        "closed_won",
        "2026-07-01",
        3_000,
    );
    // Registered by Bravo on Acme's account: counts for both.
    let shared = deal(
        &mut s,
        "Initech",
        "Shared",
        "add_on",
        "closed_won",
        "2026-08-01",
        2_000,
    );
    ops::update_opportunity(
        &mut s,
        &ops::OpportunityChanges {
            opportunity: shared.id,
            registered_partner: Some("Bravo".into()),
            ..Default::default()
        },
    )
    .unwrap();
    let mut call = super::notes::note("Acme", "Sync");
    call.next_steps = vec![super::notes::step("Acme sends the SOW", "2026-11-01")];
    ops::log_note(&mut s, &call).unwrap();

    let r = ops::rollup(s.read(), d(TODAY), 2027, &ops::Audience::everyone()).unwrap();
    assert_eq!(r.cams.len(), 2);
    let cams: Vec<_> = r.cams.iter().map(|c| c.cam.as_str()).collect();
    assert_eq!(
        cams,
        ["cam2@vendor.example", "cam@vendor.example"],
        "by name"
    );
    let cam = &r.cams[1];
    assert_eq!(
        (cam.partners, cam.plans_agreed, cam.overdue_tasks),
        (2, 1, 1)
    );
    assert_eq!(
        cam.compliance_gaps, 2,
        "two Open partners with no one certified"
    );
    assert_eq!(
        cam.arr_target,
        Money::from_dollars(150_000),
        "Bravo has no plan"
    );
    // Acme: 10,000 + 5,000 + 2,000 (shared); Bravo: 2,000 (shared).
    assert_eq!(cam.arr_won, Money::from_dollars(19_000));
    assert_eq!(cam.open_pipeline, Money::from_dollars(7_000));
    assert_eq!(
        cam.lines[0].partner_name, "Acme",
        "gaps and overdue tasks first"
    );
    assert_eq!(cam.lines[0].arr_target, Some(Money::from_dollars(150_000)));
    assert_eq!(cam.lines[1].arr_target, None);
    let zulu = &r.cams[0];
    assert_eq!(
        (zulu.cam.as_str(), zulu.plans_agreed),
        ("cam2@vendor.example", 0)
    );
    assert_eq!(
        (zulu.arr_target, zulu.arr_won),
        (Money::from_dollars(20_000), Money::from_dollars(3_000))
    );

    // A manager of APAC sees Zulu's CAM only (and what names them: nothing here).
    s.set_sync_account(Some(("https://desk.example.com", "manager@vendor.example")))
        .unwrap();
    s.set_profile_region(Some("apac")).unwrap();
    let team = ops::Audience::of(s.read(), ops::Scope::Team).unwrap();
    let r = ops::rollup(s.read(), d(TODAY), 2027, &team).unwrap();
    let cams: Vec<_> = r.cams.iter().map(|c| c.cam.as_str()).collect();
    assert_eq!(cams, ["cam2@vendor.example"]);
}

#[test]
fn slide_19_commitments_count_people_certified_and_those_planned_in_time() {
    let mut s = store();
    partner(&mut s, "Acme");
    for (name, email) in [
        ("Ana", "ana@acme.example"),
        ("Bo", "bo@acme.example"),
        ("Cy", "cy@acme.example"),
        ("Di", "di@acme.example"),
    ] {
        super::enablement::person(&mut s, "Acme", name, email);
    }
    let item = |person: &str, target: &str, status: &str, completed: Option<&str>| {
        ops::NewEnablementItem {
            partner: "Acme".into(),
            person: person.into(),
            certification: Some("pse".into()),
            target_date: Some(target.into()),
            status: Some(status.into()),
            completed_on: completed.map(Into::into),
            expires_on: (person == "Bo").then(|| "2025-01-01".into()),
            ..Default::default()
        }
    };
    // Certified and current; certified but lapsed by the review day; planned in time; planned
    // after the commitment's date.
    let plans = [
        item("Ana", "2026-05-01", "certified", Some("2026-05-01")),
        item("Bo", "2024-01-01", "certified", Some("2024-01-01")),
        item("Cy", "2026-09-30", "planned", None),
        item("Di", "2027-06-30", "planned", None),
    ];
    for p in &plans {
        ops::plan_enablement(&mut s, p, d(TODAY)).unwrap();
    }
    let mut plan = changes("Acme", 2027);
    plan.certification_plan = Some(vec![CommitmentInput {
        certification: "PSE".into(),
        count: 3,
        by: "2026-12-31".into(),
    }]);
    ops::save_plan(&mut s, &plan).unwrap();

    let a = ops::plan_actuals(s.read(), "Acme", 2027, d("2026-08-01")).unwrap();
    let c = &a.certifications;
    assert_eq!(c.len(), 1);
    assert_eq!(c[0].certification_id, "pse");
    assert_eq!((c[0].committed, c[0].by), (3, d("2026-12-31")));
    assert_eq!(c[0].certified, 1, "Bo's certification has lapsed");
    assert_eq!(c[0].planned_by_date, 1, "Di is planned after the date");
    assert_eq!(c[0].planned_later, 1);
    assert_eq!(
        (c[0].status, c[0].late_by, c[0].label.as_str()),
        (
            ops::CommitmentStatus::Late,
            1,
            "late: 1 planned after the date"
        ),
        "1 certified + 1 planned in time < 3 committed, but Di makes 3 after the date"
    );
    assert_eq!(
        c[0].program_needs, 0,
        "an Open partner without PSP needs no PSE"
    );
    assert_eq!(
        a.commitment_gaps,
        [
            "Sales Core: not committed, the track and badges need 2.",
            "Solution Architect (SA) Core: not committed, the track and badges need 1.",
        ],
        "the Open track's requirements are not on slide 19"
    );
    // One more committed than there are people: short, whatever the dates.
    let mut plan = changes("Acme", 2027);
    plan.certification_plan = Some(vec![CommitmentInput {
        certification: "PSE".into(),
        count: 4,
        by: "2026-12-31".into(),
    }]);
    ops::save_plan(&mut s, &plan).unwrap();
    let a = ops::plan_actuals(s.read(), "Acme", 2027, d("2026-08-01")).unwrap();
    let c = &a.certifications[0];
    assert_eq!(
        (c.status, c.short_by, c.label.as_str()),
        (ops::CommitmentStatus::Short, 1, "short by 1")
    );
    // Di's plan moves before the date, and one fewer is committed: on track.
    let mut plan = changes("Acme", 2027);
    plan.certification_plan = Some(vec![CommitmentInput {
        certification: "PSE".into(),
        count: 2,
        by: "2027-12-31".into(),
    }]);
    ops::save_plan(&mut s, &plan).unwrap();
    let a = ops::plan_actuals(s.read(), "Acme", 2027, d("2026-08-01")).unwrap();
    assert_eq!(a.certifications[0].planned_by_date, 2);
    assert_eq!(a.certifications[0].status, ops::CommitmentStatus::OnTrack);
    let mut plan = changes("Acme", 2027);
    plan.certification_plan = Some(vec![CommitmentInput {
        certification: "PSE".into(),
        count: 1,
        by: "2027-12-31".into(),
    }]);
    ops::save_plan(&mut s, &plan).unwrap();
    let a = ops::plan_actuals(s.read(), "Acme", 2027, d("2026-08-01")).unwrap();
    assert_eq!(a.certifications[0].status, ops::CommitmentStatus::Met);
}

#[test]
fn slide_19_is_checked_against_the_track_and_badges_and_required_of_a_tsp_invitee() {
    let mut s = store();
    partner(&mut s, "Acme");
    let invite = |s: &mut Store, on: &str| {
        ops::update_partner(
            s,
            &ops::PartnerChanges {
                partner: "Acme".into(),
                tsp_invited_on: Some(on.into()),
                ..Default::default()
            },
        )
        .unwrap()
    };
    let gaps = |s: &Store| {
        ops::plan_actuals(s.read(), "Acme", 2027, d("2026-08-01"))
            .unwrap()
            .commitment_gaps
    };
    // Invited, with no plan yet: slide 19 is missing.
    assert_eq!(
        invite(&mut s, "2026-07-01").tsp_invited_on,
        Some(d("2026-07-01"))
    );
    let a = ops::plan_actuals(s.read(), "Acme", 2027, d("2026-08-01")).unwrap();
    assert!(a.commitments_missing);
    assert_eq!(
        a.commitment_gaps,
        [
            "Invited to become a Training Services Partner on 2026-07-01: the plan must commit \
          to certifications (slide 19)."
        ]
    );
    let err = ops::update_partner(
        &mut s,
        &ops::PartnerChanges {
            partner: "Acme".into(),
            tsp_invited_on: Some("2026-13-01".into()),
            ..Default::default()
        },
    )
    .unwrap_err();
    assert!(err.to_string().starts_with("tsp_invited_on:"), "{err}");

    // A PSP holder needs 3 PSEs: committing 2 is below it, and the Open track's own
    // requirements are committed in full.
    ops::grant_badge(
        &mut s,
        &ops::BadgeGrantInput {
            partner: "Acme".into(),
            badge: "psp".into(),
            granted_on: "2026-06-01".into(),
        },
    )
    .unwrap();
    let mut plan = changes("Acme", 2027);
    plan.certification_plan = Some(
        [("PSE", 2), ("Sales Core", 2), ("SA Core", 1)]
            .into_iter()
            .map(|(cert, count)| CommitmentInput {
                certification: cert.into(),
                count,
                by: "2027-06-30".into(),
            })
            .collect(),
    );
    ops::save_plan(&mut s, &plan).unwrap();
    let a = ops::plan_actuals(s.read(), "Acme", 2027, d("2026-08-01")).unwrap();
    assert!(!a.commitments_missing, "the invitee's plan now commits");
    let pse = a
        .certifications
        .iter()
        .find(|c| c.certification_id == "pse")
        .unwrap();
    assert_eq!(pse.program_needs, 3);
    assert_eq!(
        gaps(&s),
        ["Professional Services Engineer (PSE): 2 committed, the track and badges need 3."]
    );
    // Withdrawn: nothing is required of a plain Open partner beyond its track.
    assert_eq!(invite(&mut s, "").tsp_invited_on, None);
    let mut plan = changes("Acme", 2027);
    plan.certification_plan = Some(vec![CommitmentInput {
        certification: "PSE".into(),
        count: 3,
        by: "2027-06-30".into(),
    }]);
    ops::save_plan(&mut s, &plan).unwrap();
    assert_eq!(
        gaps(&s),
        [
            "Sales Core: not committed, the track and badges need 2.",
            "Solution Architect (SA) Core: not committed, the track and badges need 1.",
        ]
    );
}

#[test]
fn an_mdf_request_is_reviewed_with_the_cam_before_it_is_submitted_and_only_by_open_or_select() {
    let mut s = store();
    partner(&mut s, "Acme");
    let mut distributor = new_partner("Disty");
    distributor.track = "distribution".into();
    ops::create_partner(&mut s, &distributor).unwrap();
    let request = |status: &str, reviewed: Option<&str>| MdfRequestInput {
        activity: "Roadshow".into(),
        amount: "1000".into(),
        quarter: "Q2".into(),
        status: Some(status.into()),
        reviewed_with_cam_on: reviewed.map(Into::into),
    };
    let mut plan = changes("Acme", 2027);
    plan.mdf_requests = Some(vec![request("submitted", None)]);
    let err = fails_writing_nothing(&mut s, |s| ops::save_plan(s, &plan));
    assert_eq!(
        err.to_string(),
        "mdf_requests.reviewed_with_cam_on: \"Roadshow\" is submitted: give the date it was \
         reviewed with the CAM (partners review a request with their CAM before submitting it)"
    );
    plan.mdf_requests = Some(vec![request("submitted", Some("2026-11-02"))]);
    let saved = ops::save_plan(&mut s, &plan).unwrap();
    assert_eq!(saved.mdf_requests[0].status, MdfStatus::Submitted);

    let mut plan = changes("Disty", 2027);
    plan.mdf_requests = Some(vec![request("reviewed_with_cam", Some("2026-11-02"))]);
    ops::save_plan(&mut s, &plan).unwrap();
    plan.mdf_requests = Some(vec![request("approved", Some("2026-11-02"))]);
    let err = fails_writing_nothing(&mut s, |s| ops::save_plan(s, &plan));
    assert_eq!(
        err.to_string(),
        "mdf_requests.status: \"Roadshow\" cannot be approved: Disty is a Distribution \
         partner, and only Select and Open partners submit MDF requests"
    );
}

/// The roll-up sums deals in SQL, a partner's plan against actuals in Rust from its deals:
/// both must say the same of every partner of a demo desk, deals registered by one partner on
/// another's account included. The roll-up is in US dollars, a plan in the partner's currency:
/// the demo's amounts convert exactly at its rates, so converting a plan's sums must give the
/// roll-up's to the cent.
#[test]
fn the_rollup_and_each_partners_plan_against_actuals_agree_on_a_demo_desk() {
    let mut s = store();
    cdesk_core::demo::generate(
        &mut s,
        cdesk_core::demo::DemoSize {
            partners: 40,
            notes: 400,
        },
        7,
        d(TODAY),
    )
    .unwrap();
    let year = 2027;
    let r = ops::rollup(s.read(), d(TODAY), year, &ops::Audience::everyone()).unwrap();
    let lines: Vec<_> = r.cams.iter().flat_map(|c| &c.lines).collect();
    assert_eq!(lines.len(), 40);
    assert_eq!(r.currency.as_str(), "USD");
    let book = s.read().rule_book().unwrap();
    let usd = |m, from: &Currency| book.rates().convert(m, from.as_str(), "USD").unwrap();
    let mut with_won = 0;
    let mut with_open = 0;
    let mut converted = 0;
    for line in lines {
        let a = ops::plan_actuals(s.read(), &line.partner_id, year, d(TODAY)).unwrap();
        let who = &line.partner_name;
        converted += usize::from(!a.currency.is_base());
        assert_eq!(
            line.arr_won,
            usd(a.growth_arr.actual + a.new_customer_arr.actual, &a.currency),
            "{who}: won"
        );
        assert_eq!(
            line.open_pipeline,
            usd(a.open_pipeline, &a.currency),
            "{who}: open pipeline"
        );
        let target = a.has_plan.then(|| {
            usd(
                a.growth_arr.target.unwrap() + a.new_customer_arr.target.unwrap(),
                &a.currency,
            )
        });
        assert_eq!(line.arr_target, target, "{who}: target");
        with_won += usize::from(line.arr_won.cents() > 0);
        with_open += usize::from(line.open_pipeline.cents() > 0);
    }
    assert!(converted >= 5, "the demo sells in several currencies");
    assert!(
        r.conversion.lines[0].starts_with("Amounts in AUD, EUR, GBP and SGD converted to USD"),
        "{:?}",
        r.conversion.lines
    );
    assert!(
        with_won >= 5 && with_open >= 5,
        "the demo has deals to sum: {with_won} partners won, {with_open} have pipeline"
    );
}
