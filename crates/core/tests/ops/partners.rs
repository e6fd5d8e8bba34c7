use cdesk_core::ops::{
    self, BadgeEvidenceInput, BadgeGrantInput, BadgeReviewInput, CapabilityTicks,
    NewEnablementItem, NewPerson, PartnerChanges, PhdReviewInput,
};

use super::*;

#[test]
fn creating_a_partner_saves_it_through_the_outbox() {
    let mut s = store();
    let mut input = new_partner("Acme");
    input.partner_types = vec!["VAR/VAD".into(), "boutique_si".into(), "var_vad".into()];
    input.track = "Select".into();
    input.stage = Some("02 Established".into());
    let (p, added) = with_outbox(&mut s, |s| ops::create_partner(s, &input));
    assert_eq!(added, 1, "one partner, one outbox entry");
    let saved = s.read().partner(&p.id).unwrap();
    assert_eq!(saved.track, Track::Select);
    assert_eq!(saved.journey_stage, JourneyStage::Established);
    assert_eq!(
        saved.partner_types,
        vec![PartnerType::VarVad, PartnerType::BoutiqueSi],
        "labels and codes accepted, repeats dropped"
    );
    assert!(saved.is_solution_provider());
}

#[test]
fn a_second_partner_with_the_same_name_is_refused() {
    let mut s = store();
    partner(&mut s, "Acme");
    let err = fails_writing_nothing(&mut s, |s| ops::create_partner(s, &new_partner(" ACME ")));
    assert_eq!(err.code(), "duplicate");
    assert!(err.to_string().contains("\"ACME\" already exists"), "{err}");
}

#[test]
fn an_unknown_track_names_the_field_and_lists_the_allowed_values() {
    let mut s = store();
    let mut input = new_partner("Acme");
    input.track = "Platinum".into();
    let err = fails_writing_nothing(&mut s, |s| ops::create_partner(s, &input));
    assert_eq!(
        err.to_string(),
        "track: \"Platinum\" is not one of: open, select, distribution"
    );
}

#[test]
fn a_partner_needs_at_least_one_type() {
    let mut s = store();
    let mut input = new_partner("Acme");
    input.partner_types.clear();
    let err = fails_writing_nothing(&mut s, |s| ops::create_partner(s, &input));
    assert!(err.to_string().starts_with("partner_types:"), "{err}");
}

#[test]
fn updating_changes_only_the_fields_given() {
    let mut s = store();
    let p = partner(&mut s, "Acme");
    let changes = PartnerChanges {
        partner: "acme".into(),
        region: Some("apac".into()),
        account_notes: Some("Strong in banking".into()),
        ..PartnerChanges::default()
    };
    let (updated, added) = with_outbox(&mut s, |s| ops::update_partner(s, &changes));
    assert_eq!(added, 1);
    assert_eq!(updated.region, Region::Apac);
    assert_eq!(updated.account_notes, "Strong in banking");
    assert_eq!(
        (updated.track, updated.owner.as_str()),
        (p.track, p.owner.as_str()),
        "untouched"
    );
}

#[test]
fn renaming_onto_another_partners_name_is_refused() {
    let mut s = store();
    partner(&mut s, "Acme");
    partner(&mut s, "Globex");
    let changes = PartnerChanges {
        partner: "Globex".into(),
        name: Some("acme".into()),
        ..PartnerChanges::default()
    };
    let err = fails_writing_nothing(&mut s, |s| ops::update_partner(s, &changes));
    assert_eq!(err.code(), "duplicate");
}

#[test]
fn capabilities_are_ticked_and_unticked_by_rule_book_id() {
    let mut s = store();
    partner(&mut s, "Acme");
    let mut ticks = CapabilityTicks {
        partner: "Acme".into(),
        capabilities: vec!["onb-portal".into(), "onb-deal-reg".into()],
        ticked: true,
    };
    let (p, added) = with_outbox(&mut s, |s| ops::set_capabilities(s, &ticks));
    assert_eq!(added, 1, "two ticks, one partner update");
    assert!(p.capabilities.contains("onb-portal") && p.capabilities.contains("onb-deal-reg"));
    ticks.capabilities = vec!["onb-portal".into()];
    ticks.ticked = false;
    let p = ops::set_capabilities(&mut s, &ticks).unwrap();
    assert_eq!(p.capabilities.len(), 1);
}

#[test]
fn an_unknown_capability_is_refused_with_the_known_ones() {
    let mut s = store();
    partner(&mut s, "Acme");
    let ticks = CapabilityTicks {
        partner: "Acme".into(),
        capabilities: vec!["onb-portal".into(), "fly-to-the-moon".into()],
        ticked: true,
    };
    let err = fails_writing_nothing(&mut s, |s| ops::set_capabilities(s, &ticks));
    let msg = err.to_string();
    assert!(msg.starts_with("capability: \"fly-to-the-moon\""), "{msg}");
    assert!(msg.contains("onb-portal"), "lists the known ids: {msg}");
}

#[test]
fn a_badge_is_granted_once_and_its_review_recorded() {
    let mut s = store();
    partner(&mut s, "Acme");
    let grant = BadgeGrantInput {
        partner: "Acme".into(),
        badge: "PSP".into(),
        granted_on: "2025-03-10".into(),
    };
    let (p, added) = with_outbox(&mut s, |s| ops::grant_badge(s, &grant));
    assert_eq!(added, 1);
    assert_eq!(p.badges[0].badge_id, "psp");
    assert_eq!(p.badges[0].granted_on, d("2025-03-10"));

    let err = fails_writing_nothing(&mut s, |s| ops::grant_badge(s, &grant));
    assert_eq!(err.code(), "duplicate", "{err}");

    let review = BadgeReviewInput {
        partner: "Acme".into(),
        badge: "psp".into(),
        reviewed_on: "2026-03-12".into(),
        ..BadgeReviewInput::default()
    };
    let (p, added) = with_outbox(&mut s, |s| ops::record_badge_review(s, &review, d(TODAY)));
    assert_eq!(added, 1);
    assert_eq!(p.badges[0].last_review_on, Some(d("2026-03-12")));
    assert_eq!(
        p.badges[0].last_review_compliant,
        Some(false),
        "nobody is certified: the computed outcome is not compliant"
    );
}

/// Acme (Open) with the people PSP needs, certified on 2025-03-01: two Sales Core, one SA
/// Core (the track) and `pses` PSEs (the badge needs three).
fn certified_partner(s: &mut Store, name: &str, pses: usize) {
    partner(s, name);
    let slug = name.to_lowercase();
    let certs = ["sales-core", "sales-core", "sa-core"]
        .into_iter()
        .chain(std::iter::repeat_n("pse", pses));
    for (i, cert) in certs.enumerate() {
        let person = format!("Person {i}");
        ops::add_person(
            s,
            &NewPerson {
                partner: name.into(),
                name: person.clone(),
                email: format!("p{i}@{slug}.example"),
                role: "Engineer".into(),
            },
        )
        .unwrap();
        ops::plan_enablement(
            s,
            &NewEnablementItem {
                partner: name.into(),
                person,
                certification: Some(cert.into()),
                status: Some("certified".into()),
                completed_on: Some("2025-03-01".into()),
                ..NewEnablementItem::default()
            },
            d(TODAY),
        )
        .unwrap();
    }
    ops::grant_badge(
        s,
        &BadgeGrantInput {
            partner: name.into(),
            badge: "psp".into(),
            granted_on: "2025-03-10".into(),
        },
    )
    .unwrap();
}

#[test]
fn a_review_records_the_computed_compliance_and_an_override_needs_a_reason() {
    let mut s = store();
    certified_partner(&mut s, "Acme", 3);
    certified_partner(&mut s, "Beta", 1);
    let review = |partner: &str| BadgeReviewInput {
        partner: partner.into(),
        badge: "psp".into(),
        reviewed_on: "2026-03-12".into(),
        ..BadgeReviewInput::default()
    };
    let acme = ops::record_badge_review(&mut s, &review("Acme"), d(TODAY)).unwrap();
    let history = acme.badges[0].review_history();
    assert_eq!(history.len(), 1);
    assert!(history[0].compliant && history[0].computed_compliant);

    let mut beta = review("Beta");
    beta.compliant = Some(true);
    let err = fails_writing_nothing(&mut s, |s| ops::record_badge_review(s, &beta, d(TODAY)));
    assert_eq!(
        err.to_string(),
        "override_reason: on 2026-03-12 the rules find Beta not compliant for Professional \
         Services Partner (PSP); to record otherwise, say why"
    );
    beta.override_reason = Some("  two PSE exams passed, results pending  ".into());
    let saved = ops::record_badge_review(&mut s, &beta, d(TODAY)).unwrap();
    let last = saved.badges[0].last_review().unwrap();
    assert!(last.compliant && !last.computed_compliant);
    assert_eq!(
        last.override_reason.as_deref(),
        Some("two PSE exams passed, results pending")
    );

    // A second review keeps the first: the history is the badge's record.
    let mut again = review("Beta");
    again.reviewed_on = "2026-05-02".into();
    let saved = ops::record_badge_review(&mut s, &again, d(TODAY)).unwrap();
    let history = saved.badges[0].review_history();
    assert_eq!(
        history
            .iter()
            .map(|r| (r.reviewed_on, r.compliant))
            .collect::<Vec<_>>(),
        vec![(d("2026-03-12"), true), (d("2026-05-02"), false)]
    );
    assert_eq!(saved.badges[0].last_review_compliant, Some(false));
}

#[test]
fn evidence_names_its_customers_and_dates_that_have_come() {
    let mut s = store();
    certified_partner(&mut s, "Acme", 3);
    let mut evidence = BadgeEvidenceInput {
        partner: "Acme".into(),
        badge: "PSP".into(),
        sent_on: "2026-02-10".into(),
        customers: vec![" ".into()],
    };
    let err = fails_writing_nothing(&mut s, |s| {
        ops::record_badge_evidence(s, &evidence, d(TODAY))
    });
    assert_eq!(
        err.to_string(),
        "customers: name at least one customer the evidence covers"
    );
    evidence.customers = vec!["Initech".into(), " initech ".into(), "Globex".into()];
    let (p, added) = with_outbox(&mut s, |s| {
        ops::record_badge_evidence(s, &evidence, d(TODAY))
    });
    assert_eq!(added, 1);
    assert_eq!(p.badges[0].evidence[0].customers, ["Initech", "Globex"]);

    evidence.sent_on = "2999-01-01".into();
    let err = fails_writing_nothing(&mut s, |s| {
        ops::record_badge_evidence(s, &evidence, d(TODAY))
    });
    assert!(err.to_string().contains("is in the future"), "{err}");
    let review = BadgeReviewInput {
        partner: "Acme".into(),
        badge: "psp".into(),
        reviewed_on: "2025-03-09".into(),
        ..BadgeReviewInput::default()
    };
    let err = fails_writing_nothing(&mut s, |s| ops::record_badge_review(s, &review, d(TODAY)));
    assert_eq!(
        err.to_string(),
        "reviewed_on: 2025-03-09 is before the grant on 2025-03-10"
    );
}

#[test]
fn reviewing_a_badge_the_partner_does_not_hold_is_refused() {
    let mut s = store();
    partner(&mut s, "Acme");
    let review = BadgeReviewInput {
        partner: "Acme".into(),
        badge: "tsp".into(),
        reviewed_on: "2026-03-12".into(),
        ..BadgeReviewInput::default()
    };
    let err = fails_writing_nothing(&mut s, |s| ops::record_badge_review(s, &review, d(TODAY)));
    assert!(err.to_string().contains("does not hold"), "{err}");
}

#[test]
fn an_unknown_badge_or_partner_or_bad_date_writes_nothing() {
    let mut s = store();
    partner(&mut s, "Acme");
    let mut grant = BadgeGrantInput {
        partner: "Acme".into(),
        badge: "Gold".into(),
        granted_on: "2025-03-10".into(),
    };
    let err = fails_writing_nothing(&mut s, |s| ops::grant_badge(s, &grant));
    assert!(err.to_string().contains("psp, tsp"), "lists badges: {err}");
    grant.badge = "psp".into();
    grant.partner = "Initech".into();
    let err = fails_writing_nothing(&mut s, |s| ops::grant_badge(s, &grant));
    assert_eq!(err.code(), "not_found");
    grant.partner = "Acme".into();
    grant.granted_on = "2025-02-30".into();
    let err = fails_writing_nothing(&mut s, |s| ops::grant_badge(s, &grant));
    assert!(err.to_string().starts_with("granted_on:"), "{err}");
}

#[test]
fn a_phd_review_sets_the_date_and_adds_to_the_account_notes() {
    let mut s = store();
    partner(&mut s, "Acme");
    let review = |on: &str, note: &str| PhdReviewInput {
        partner: "Acme".into(),
        reviewed_on: on.into(),
        note: Some(note.into()),
    };
    let (p, added) = with_outbox(&mut s, |s| {
        ops::record_phd_review(s, &review("2026-10-01", ""), d(TODAY))
    });
    assert_eq!((p.last_phd_review, added), (Some(d("2026-10-01")), 1));
    assert_eq!(p.account_notes, "", "an empty note adds nothing");

    let p = ops::record_phd_review(
        &mut s,
        &review("2026-11-13", " Portal users cleaned up "),
        d(TODAY),
    )
    .unwrap();
    let p2 = ops::record_phd_review(&mut s, &review("2026-11-02", "Late entry"), d(TODAY)).unwrap();
    assert_eq!(p.last_phd_review, Some(d("2026-11-13")));
    assert_eq!(
        p2.last_phd_review,
        Some(d("2026-11-13")),
        "a review entered late does not move the date back"
    );
    assert_eq!(
        p2.account_notes,
        "2026-11-13 PHD review: Portal users cleaned up\n2026-11-02 PHD review: Late entry"
    );
    let err = fails_writing_nothing(&mut s, |s| {
        ops::record_phd_review(s, &review("2026-11-24", "tomorrow"), d(TODAY))
    });
    assert!(err.to_string().contains("is in the future"), "{err}");
}

#[test]
fn partners_are_listed_by_typed_filters() {
    let mut s = store();
    partner(&mut s, "Acme");
    let mut select = new_partner("Globex");
    select.track = "select".into();
    ops::create_partner(&mut s, &select).unwrap();
    let query = ops::PartnerQuery {
        track: Some("Select".into()),
        ..Default::default()
    };
    let names: Vec<String> = ops::list_partners(s.read(), &query)
        .unwrap()
        .into_iter()
        .map(|p| p.name)
        .collect();
    assert_eq!(names, vec!["Globex"]);
    let bad = ops::PartnerQuery {
        region: Some("Mars".into()),
        ..Default::default()
    };
    assert!(ops::list_partners(s.read(), &bad)
        .unwrap_err()
        .to_string()
        .starts_with("region:"));
}

#[test]
fn partner_detail_gathers_checklist_people_enablement_and_compliance() {
    let mut s = store();
    partner(&mut s, "Acme");
    let ticks = CapabilityTicks {
        partner: "Acme".into(),
        capabilities: vec!["onb-portal".into()],
        ticked: true,
    };
    ops::set_capabilities(&mut s, &ticks).unwrap();
    let detail = ops::partner_detail(s.read(), "Acme", d(TODAY)).unwrap();
    assert_eq!(detail.partner.name, "Acme");
    assert!(detail
        .checklist
        .iter()
        .any(|c| c.id == "onb-portal" && c.ticked));
    assert!(detail
        .checklist
        .iter()
        .any(|c| c.id == "onb-deal-reg" && !c.ticked));
    assert!(!detail.compliance.track.compliant, "no one certified yet");
}

/// Acme (Open) certified for the track and two PSEs, a third PSE planned: one certification
/// short of PSP.
fn one_pse_short(s: &mut Store) -> String {
    partner(s, "Acme");
    let certs = ["sales-core", "sales-core", "sa-core", "pse", "pse", "pse"];
    let mut last = String::new();
    for (i, cert) in certs.into_iter().enumerate() {
        let person = format!("Person {i}");
        ops::add_person(
            s,
            &NewPerson {
                partner: "Acme".into(),
                name: person.clone(),
                email: format!("p{i}@acme.example"),
                role: "Engineer".into(),
            },
        )
        .unwrap();
        let planned = i == 5;
        let item = ops::plan_enablement(
            s,
            &NewEnablementItem {
                partner: "Acme".into(),
                person,
                certification: Some(cert.into()),
                status: Some(if planned { "planned" } else { "certified" }.into()),
                completed_on: (!planned).then(|| "2026-10-01".into()),
                target_date: planned.then(|| "2026-12-15".into()),
                ..NewEnablementItem::default()
            },
            d(TODAY),
        )
        .unwrap();
        last = item.id;
    }
    last
}

fn certify(s: &mut Store, item: &str, on: &str) {
    let change = ops::EnablementStatusChange {
        item: item.into(),
        status: "certified".into(),
        completed_on: Some(on.into()),
        expires_on: None,
    };
    ops::set_enablement_status(s, &change, d(on)).unwrap();
}

#[test]
fn meeting_a_badge_opens_one_award_task_due_in_seven_days_and_doing_it_grants_the_badge() {
    let mut s = store();
    let third = one_pse_short(&mut s);
    let acme = ops::partner_detail(s.read(), "Acme", d(TODAY))
        .unwrap()
        .partner;
    assert!(
        s.read().award_task(&acme.id, "psp").unwrap().is_none(),
        "not met yet"
    );

    // The third PSE certifies on 28 November: the task is due on 5 December, across the month.
    let before = s.read().outbox_len().unwrap();
    certify(&mut s, &third, "2026-11-28");
    assert_eq!(
        s.read().outbox_len().unwrap() - before,
        2,
        "the certification and the award task"
    );
    let task = s.read().award_task(&acme.id, "psp").unwrap().unwrap();
    assert_eq!(task.due_on, d("2026-12-05"));
    assert_eq!(task.owner, "cam@vendor.example");
    assert_eq!(task.award_badge_id.as_deref(), Some("psp"));
    assert!(
        task.description
            .starts_with("Award Professional Services Partner (PSP) to Acme:"),
        "{}",
        task.description
    );
    assert!(task.is_overdue(d("2026-12-06")) && !task.is_overdue(d("2026-12-05")));

    // Certifying again does not open a second task.
    let items = s.read().enablement_items(&acme.id).unwrap();
    certify(&mut s, &items[0].id, "2026-11-29");
    let open: Vec<_> = s
        .read()
        .next_steps_for_partner(&acme.id)
        .unwrap()
        .into_iter()
        .filter(|t| t.award_badge_id.is_some())
        .collect();
    assert_eq!(open.len(), 1);

    ops::set_next_step_done(&mut s, &task.id, true, d("2026-12-02")).unwrap();
    let acme = s.read().partner(&acme.id).unwrap();
    assert_eq!(acme.badges.len(), 1);
    assert_eq!(
        (acme.badges[0].badge_id.as_str(), acme.badges[0].granted_on),
        ("psp", d("2026-12-02"))
    );
}

#[test]
fn granting_the_badge_by_hand_closes_its_award_task() {
    let mut s = store();
    let third = one_pse_short(&mut s);
    certify(&mut s, &third, TODAY);
    let grant = BadgeGrantInput {
        partner: "Acme".into(),
        badge: "psp".into(),
        granted_on: TODAY.into(),
    };
    let p = ops::grant_badge(&mut s, &grant).unwrap();
    let task = s.read().award_task(&p.id, "psp").unwrap().unwrap();
    assert_eq!(task.status, NextStepStatus::Done);
}
