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
fn deal(
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
        },
        MdfRequestInput {
            activity: "Event".into(),
            amount: "3000".into(),
            quarter: "Q3".into(),
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

    let a = ops::plan_actuals(s.read(), "Acme", 2027).unwrap();
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
    assert_eq!(a.mdf_requested, Money::from_dollars(15_000));
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
    let a = ops::plan_actuals(s.read(), "Acme", 2027).unwrap();
    assert_eq!(a.new_customer_arr.actual, Money::from_dollars(10_000));
    let g = ops::plan_actuals(s.read(), "Globex", 2027).unwrap();
    assert!(!g.has_plan);
    assert_eq!(
        g.new_customer_arr,
        ops::AgainstTarget {
            target: None,
            actual: Money::from_dollars(1_000)
        }
    );
}
