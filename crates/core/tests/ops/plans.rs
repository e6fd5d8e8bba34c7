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
