use cdesk_core::ops::{self, EnablementStatusChange, NewEnablementItem, NewPerson};
use cdesk_core::rules::GapClosure;

use super::*;

pub fn person(s: &mut Store, partner: &str, name: &str, email: &str) -> Person {
    let input = NewPerson {
        partner: partner.into(),
        name: name.into(),
        email: email.into(),
        role: "Solutions Architect".into(),
    };
    ops::add_person(s, &input).unwrap()
}

fn plan(partner: &str, person: &str, cert: &str, target: &str) -> NewEnablementItem {
    NewEnablementItem {
        partner: partner.into(),
        person: person.into(),
        certification: Some(cert.into()),
        target_date: Some(target.into()),
        ..NewEnablementItem::default()
    }
}

#[test]
fn a_person_is_added_to_a_partner_once_per_email() {
    let mut s = store();
    let acme = partner(&mut s, "Acme");
    let input = NewPerson {
        partner: "Acme".into(),
        name: "Ana".into(),
        email: "ana@acme.example".into(),
        role: String::new(),
    };
    let (ana, added) = with_outbox(&mut s, |s| ops::add_person(s, &input));
    assert_eq!((ana.partner_id.as_str(), added), (acme.id.as_str(), 1));
    let mut again = input.clone();
    again.email = "ANA@acme.example".into();
    let err = fails_writing_nothing(&mut s, |s| ops::add_person(s, &again));
    assert_eq!(err.code(), "duplicate");
}

#[test]
fn planning_a_certification_resolves_names_and_shows_the_closing_date() {
    let mut s = store();
    partner(&mut s, "Acme");
    person(&mut s, "Acme", "Ana", "ana@acme.example");
    let (item, added) = with_outbox(&mut s, |s| {
        ops::plan_enablement(
            s,
            &plan("Acme", "ana@acme.example", "SA Core", "2027-03-31"),
            d(TODAY),
        )
    });
    assert_eq!(added, 1);
    assert_eq!(item.certification_id.as_deref(), Some("sa-core"));
    assert_eq!(item.status, EnablementStatus::Planned);

    let detail = ops::partner_detail(s.read(), "Acme", d(TODAY)).unwrap();
    let sa = detail
        .compliance
        .track
        .requirements
        .iter()
        .find(|r| r.certification_id == "sa-core");
    assert_eq!(
        sa.unwrap().closure,
        GapClosure::Planned {
            on: d("2027-03-31"),
            overdue: false
        },
        "the plan closes the SA Core gap on the target date"
    );
    assert_eq!(detail.enablement[0].what, "Solution Architect (SA) Core");
    assert_eq!(detail.enablement[0].person_name, "Ana");
}

#[test]
fn a_second_open_plan_for_the_same_certification_is_refused() {
    let mut s = store();
    partner(&mut s, "Acme");
    person(&mut s, "Acme", "Ana", "ana@acme.example");
    ops::plan_enablement(&mut s, &plan("Acme", "Ana", "pse", "2027-03-31"), d(TODAY)).unwrap();
    let err = fails_writing_nothing(&mut s, |s| {
        ops::plan_enablement(s, &plan("Acme", "Ana", "PSE", "2027-06-30"), d(TODAY))
    });
    assert_eq!(err.code(), "duplicate", "{err}");
}

#[test]
fn certifying_records_the_completion_date_and_closes_the_gap() {
    let mut s = store();
    partner(&mut s, "Acme");
    person(&mut s, "Acme", "Ana", "ana@acme.example");
    let item = ops::plan_enablement(
        &mut s,
        &plan("Acme", "Ana", "sa-core", "2027-03-31"),
        d(TODAY),
    )
    .unwrap();
    let change = EnablementStatusChange {
        item: item.id.clone(),
        status: "certified".into(),
        completed_on: Some("2026-10-01".into()),
        expires_on: Some("2028-10-01".into()),
    };
    let (certified, added) =
        with_outbox(&mut s, |s| ops::set_enablement_status(s, &change, d(TODAY)));
    assert_eq!(added, 1);
    assert_eq!(certified.status, EnablementStatus::Certified);
    assert_eq!(certified.completed_on, Some(d("2026-10-01")));
    assert_eq!(certified.expires_on, Some(d("2028-10-01")));
    let detail = ops::partner_detail(s.read(), "Acme", d(TODAY)).unwrap();
    let sa = detail
        .compliance
        .track
        .requirements
        .iter()
        .find(|r| r.certification_id == "sa-core");
    assert_eq!(sa.unwrap().missing, 0);
}

#[test]
fn certified_without_a_completion_date_is_refused() {
    let mut s = store();
    partner(&mut s, "Acme");
    person(&mut s, "Acme", "Ana", "ana@acme.example");
    let item =
        ops::plan_enablement(&mut s, &plan("Acme", "Ana", "pse", "2027-03-31"), d(TODAY)).unwrap();
    let change = EnablementStatusChange {
        item: item.id,
        status: "certified".into(),
        ..Default::default()
    };
    let err = fails_writing_nothing(&mut s, |s| ops::set_enablement_status(s, &change, d(TODAY)));
    assert!(err.to_string().starts_with("completed_on:"), "{err}");
}

#[test]
fn a_planned_item_has_no_completion_date() {
    let mut s = store();
    partner(&mut s, "Acme");
    person(&mut s, "Acme", "Ana", "ana@acme.example");
    let mut input = plan("Acme", "Ana", "pse", "2027-03-31");
    input.completed_on = Some("2026-01-01".into());
    let err = fails_writing_nothing(&mut s, |s| ops::plan_enablement(s, &input, d(TODAY)));
    assert!(err.to_string().starts_with("completed_on:"), "{err}");
}

#[test]
fn recording_an_earned_certification_and_lapsing_it() {
    let mut s = store();
    partner(&mut s, "Acme");
    person(&mut s, "Acme", "Ana", "ana@acme.example");
    let mut input = plan("Acme", "Ana", "Sales Core", "");
    input.status = Some("Certified".into());
    input.completed_on = Some("2026-05-01".into());
    let item = ops::plan_enablement(&mut s, &input, d(TODAY)).unwrap();
    assert_eq!(
        (item.status, item.target_date),
        (EnablementStatus::Certified, None)
    );
    let found = ops::find_enablement_item(s.read(), "Acme", "Ana", "sales core").unwrap();
    assert_eq!(found.id, item.id, "found by person and certification name");
    let change = EnablementStatusChange {
        item: item.id,
        status: "lapsed".into(),
        ..Default::default()
    };
    let lapsed = ops::set_enablement_status(&mut s, &change, d(TODAY)).unwrap();
    assert_eq!(lapsed.status, EnablementStatus::Lapsed);
    assert_eq!(lapsed.completed_on, Some(d("2026-05-01")), "history kept");
}

#[test]
fn a_curriculum_module_is_planned_by_title() {
    let mut s = store();
    partner(&mut s, "Acme");
    person(&mut s, "Acme", "Ana", "ana@acme.example");
    let input = NewEnablementItem {
        partner: "Acme".into(),
        person: "Ana".into(),
        module: Some("Pricing".into()),
        target_date: Some("2027-01-15".into()),
        ..Default::default()
    };
    let item = ops::plan_enablement(&mut s, &input, d(TODAY)).unwrap();
    assert_eq!(item.module_id.as_deref(), Some("mod-pricing"));
    assert_eq!(item.certification_id, None);
}

#[test]
fn an_unknown_person_certification_or_target_date_writes_nothing() {
    let mut s = store();
    partner(&mut s, "Acme");
    person(&mut s, "Acme", "Ana", "ana@acme.example");
    let err = fails_writing_nothing(&mut s, |s| {
        ops::plan_enablement(
            s,
            &plan("Acme", "bob@acme.example", "pse", "2027-03-31"),
            d(TODAY),
        )
    });
    assert_eq!(err.code(), "not_found");
    let err = fails_writing_nothing(&mut s, |s| {
        ops::plan_enablement(s, &plan("Acme", "Ana", "Wizard", "2027-03-31"), d(TODAY))
    });
    assert!(
        err.to_string()
            .contains("sales-core, sales-pro, sa-core, pse"),
        "{err}"
    );
    let err = fails_writing_nothing(&mut s, |s| {
        ops::plan_enablement(s, &plan("Acme", "Ana", "pse", "2027-02-30"), d(TODAY))
    });
    assert!(err.to_string().starts_with("target_date:"), "{err}");
}
