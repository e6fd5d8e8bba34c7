//! The program's own workflows: NFR licence requests (seed 003), the rules tables' rows added
//! and removed by an admin, and each person's progress through the curriculum (seed 004).

use super::*;
use cdesk_core::ops::{
    NewEnablementItem, NewNfrRequest, NewPerson, NfrStatusChange, RuleRow, RuleTable,
};
use cdesk_core::rules::NfrCheckKind;

fn person(store: &mut Store, partner: &str, name: &str, email: &str) -> Person {
    let input = NewPerson {
        partner: partner.into(),
        name: name.into(),
        email: email.into(),
        role: "Solutions Architect".into(),
    };
    ops::add_person(store, &input).unwrap()
}

fn nfr(partner: &str, email: &str) -> NewNfrRequest {
    NewNfrRequest {
        partner: partner.into(),
        requested_by: "cam@vendor.example".into(),
        contact_name: "Ana Silva".into(),
        contact_email: email.into(),
        purpose: "demo lab for the migration practice".into(),
        seats: Some(5),
        requested_on: Some("2026-11-20".into()),
    }
}

fn status(request: &str, status: &str, reason: Option<&str>, on: &str) -> NfrStatusChange {
    NfrStatusChange {
        request: request.into(),
        status: status.into(),
        reason: reason.map(Into::into),
        on: Some(on.into()),
    }
}

#[test]
fn a_licence_goes_from_requested_to_verified_to_sent_and_a_second_waits_a_year() {
    let mut s = store();
    let today = d(TODAY);
    partner(&mut s, "Acme");
    person(&mut s, "Acme", "Ana Silva", "ana@acme.example");

    let (line, written) = with_outbox(&mut s, |s| {
        ops::request_nfr(s, &nfr("Acme", "ana@acme.example"), today)
    });
    assert_eq!(written, 1, "the request syncs");
    assert_eq!(line.request.status, NfrStatus::Requested);
    assert_eq!(line.request.seats, 5);
    assert!(line.eligibility.eligible, "{:?}", line.eligibility);
    let id = line.request.id.clone();

    // Sent before verified is refused and names the step.
    let err = fails_writing_nothing(&mut s, |s| {
        ops::set_nfr_status(s, &status(&id, "sent", None, TODAY), today)
    });
    assert_eq!(
        err.to_string(),
        "status: a request that is requested cannot be marked sent: the help desk verifies it before the licence is sent"
    );
    let verified =
        ops::set_nfr_status(&mut s, &status(&id, "verified", None, "2026-11-21"), today).unwrap();
    assert_eq!(verified.request.status, NfrStatus::Verified);
    assert_eq!(verified.request.status_on, Some(d("2026-11-21")));
    let sent = ops::set_nfr_status(&mut s, &status(&id, "Sent", None, TODAY), today).unwrap();
    assert_eq!(sent.request.status, NfrStatus::Sent);

    // A second request the same week is recorded, but cannot be verified.
    let second = ops::request_nfr(&mut s, &nfr("Acme", "ana@acme.example"), today).unwrap();
    assert!(!second.eligibility.eligible);
    let err = fails_writing_nothing(&mut s, |s| {
        ops::set_nfr_status(
            s,
            &status(&second.request.id, "verified", None, TODAY),
            today,
        )
    });
    assert_eq!(
        err.to_string(),
        "status: cannot verify: a licence was sent to Ana Silva on 2026-11-23: another can be asked for from 2027-11-23"
    );
    // A year on, it can.
    let next_year = d("2027-11-23");
    let line = ops::set_nfr_status(
        &mut s,
        &status(&second.request.id, "verified", None, "2027-11-23"),
        next_year,
    )
    .unwrap();
    assert_eq!(line.request.status, NfrStatus::Verified);

    let listed = ops::nfr_requests(s.read(), "Acme", today).unwrap();
    assert_eq!(listed.len(), 2);
    // A sent request is final.
    let err = fails_writing_nothing(&mut s, |s| {
        ops::set_nfr_status(s, &status(&id, "refused", Some("late"), TODAY), today)
    });
    assert!(
        err.to_string().ends_with("it is final; make a new request"),
        "{err}"
    );
}

#[test]
fn a_contact_outside_the_partner_is_refused_with_a_reason_and_a_partner_without_certifications_is_encouraged(
) {
    let mut s = store();
    let today = d(TODAY);
    partner(&mut s, "Acme");
    person(&mut s, "Acme", "Ana Silva", "ana@acme.example");

    let precheck = ops::nfr_precheck(s.read(), "Acme", "Eve", "eve@gmail.example", today).unwrap();
    assert!(!precheck.eligible);
    let line = ops::request_nfr(&mut s, &nfr("Acme", "eve@gmail.example"), today).unwrap();
    let contact = line
        .eligibility
        .checks
        .iter()
        .find(|c| c.check == NfrCheckKind::ContactAtPartner)
        .unwrap();
    assert!(!contact.met);
    let err = fails_writing_nothing(&mut s, |s| {
        ops::set_nfr_status(s, &status(&line.request.id, "verified", None, TODAY), today)
    });
    assert!(
        err.to_string().contains("is not one of the people of Acme"),
        "{err}"
    );

    // Refusing needs a reason, and keeps it.
    let err = fails_writing_nothing(&mut s, |s| {
        ops::set_nfr_status(
            s,
            &status(&line.request.id, "refused", Some("  "), TODAY),
            today,
        )
    });
    assert_eq!(
        err.to_string(),
        "reason: say why the request is refused: the CAM and the partner read it"
    );
    let refused = ops::set_nfr_status(
        &mut s,
        &status(&line.request.id, "refused", Some("personal address"), TODAY),
        today,
    )
    .unwrap();
    assert_eq!(
        refused.request.refusal_reason.as_deref(),
        Some("personal address")
    );

    // No certification yet: eligible, with the SA Core email; once someone certifies, not.
    let line = ops::request_nfr(&mut s, &nfr("Acme", "ana@acme.example"), today).unwrap();
    assert!(line.eligibility.eligible, "a refusal does not block");
    assert!(line
        .eligibility
        .encouragement
        .as_deref()
        .unwrap()
        .contains("Solution Architect Core"));
    let certified = NewEnablementItem {
        partner: "Acme".into(),
        person: "ana@acme.example".into(),
        certification: Some("SA Core".into()),
        status: Some("certified".into()),
        completed_on: Some("2026-11-01".into()),
        ..Default::default()
    };
    ops::plan_enablement(&mut s, &certified, today).unwrap();
    let lines = ops::nfr_requests(s.read(), "Acme", today).unwrap();
    assert_eq!(lines[0].request.id, line.request.id, "newest first");
    assert_eq!(lines[0].eligibility.encouragement, None);
}

#[test]
fn a_bad_request_names_its_field_and_writes_nothing() {
    let mut s = store();
    let today = d(TODAY);
    partner(&mut s, "Acme");
    let cases = [
        (
            NewNfrRequest {
                contact_email: "ana".into(),
                ..nfr("Acme", "")
            },
            "contact_email",
        ),
        (
            NewNfrRequest {
                seats: Some(0),
                ..nfr("Acme", "ana@acme.example")
            },
            "seats",
        ),
        (
            NewNfrRequest {
                requested_on: Some("2026-12-24".into()),
                ..nfr("Acme", "ana@acme.example")
            },
            "requested_on",
        ),
        (
            NewNfrRequest {
                requested_on: Some("2026-02-30".into()),
                ..nfr("Acme", "ana@acme.example")
            },
            "requested_on",
        ),
        (
            NewNfrRequest {
                contact_name: " ".into(),
                ..nfr("Acme", "ana@acme.example")
            },
            "contact_name",
        ),
        (nfr("Nobody", "ana@acme.example"), "partner"),
    ];
    for (input, field) in cases {
        let err = fails_writing_nothing(&mut s, |s| ops::request_nfr(s, &input, today));
        assert!(err.to_string().contains(field), "{field}: {err}");
    }
}

fn track_requirement(track: Track, certification: &str, count: i64) -> RuleRow {
    RuleRow::TrackRequirement(TrackRequirement {
        id: String::new(),
        track,
        certification_id: certification.into(),
        count,
    })
}

#[test]
fn an_admin_adds_a_track_requirement_and_a_partners_compliance_changes() {
    let mut s = store();
    let today = d(TODAY);
    partner(&mut s, "Acme");
    let before = ops::compliance_report(s.read(), Some("Acme"), false, today)
        .unwrap()
        .remove(0);
    let (row, written) = with_outbox(&mut s, |s| {
        ops::put_rule(s, &track_requirement(Track::Open, "pse", 1))
    });
    assert_eq!(written, 1, "a new rules row syncs");
    let RuleRow::TrackRequirement(added) = row else {
        panic!("{row:?}")
    };
    assert!(!added.id.is_empty(), "a new row gets an id");
    let after = ops::compliance_report(s.read(), Some("Acme"), false, today)
        .unwrap()
        .remove(0);
    assert_eq!(
        after.track.requirements.len(),
        before.track.requirements.len() + 1,
        "Open now needs a PSE too"
    );

    // The same requirement twice is refused, naming the row to change instead.
    let err = fails_writing_nothing(&mut s, |s| {
        ops::put_rule(s, &track_requirement(Track::Open, "pse", 2))
    });
    assert_eq!(
        err.to_string(),
        "rules: Open already requires 1 certified in Professional Services Engineer (PSE): change that row's count"
    );
    // A certification that does not exist is refused.
    let err = fails_writing_nothing(&mut s, |s| {
        ops::put_rule(s, &track_requirement(Track::Open, "ghost", 1))
    });
    assert_eq!(
        err.to_string(),
        "certification_id: \"ghost\" is not a certification in the rules"
    );

    ops::remove_rule(&mut s, RuleTable::TrackRequirement, &added.id).unwrap();
    let removed = ops::compliance_report(s.read(), Some("Acme"), false, today)
        .unwrap()
        .remove(0);
    assert_eq!(
        removed.track.requirements.len(),
        before.track.requirements.len()
    );
}

#[test]
fn a_certification_still_named_is_not_removed_and_a_new_one_is() {
    let mut s = store();
    let err = fails_writing_nothing(&mut s, |s| {
        ops::remove_rule(s, RuleTable::Certification, "pse")
    });
    assert!(
        err.to_string()
            .starts_with("rules: \"pse\" is still used: "),
        "{err}"
    );

    let new = RuleRow::Certification(Certification {
        id: String::new(),
        name: "Security Specialist".into(),
        validity_months: Some(24),
        sort_order: 9,
    });
    let RuleRow::Certification(added) = ops::put_rule(&mut s, &new).unwrap() else {
        panic!()
    };
    let again = RuleRow::Certification(Certification {
        id: String::new(),
        name: "security specialist".into(),
        ..added.clone()
    });
    let err = fails_writing_nothing(&mut s, |s| ops::put_rule(s, &again));
    assert_eq!(
        err.to_string(),
        "rules: a certification named \"Security Specialist\" is already in the rules"
    );

    // Edited whole by id: the validity changes, the row stays one.
    let edited = RuleRow::Certification(Certification {
        validity_months: None,
        ..added.clone()
    });
    ops::put_rule(&mut s, &edited).unwrap();
    let book = s.read().rule_book().unwrap();
    let kept: Vec<_> = book
        .certifications
        .iter()
        .filter(|c| c.name == "Security Specialist")
        .collect();
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0].validity_months, None);

    let (_, written) = with_outbox(&mut s, |s| {
        ops::remove_rule(s, RuleTable::Certification, &added.id)
    });
    assert_eq!(written, 1, "the removal syncs");
    assert!(!s
        .read()
        .rule_book()
        .unwrap()
        .certifications
        .iter()
        .any(|c| c.id == added.id));
    let err = fails_writing_nothing(&mut s, |s| {
        ops::remove_rule(s, RuleTable::Certification, &added.id)
    });
    assert_eq!(err.code(), "not_found", "{err}");
}

#[test]
fn every_rules_table_takes_a_new_row_and_gives_it_back() {
    let mut s = store();
    let rows = [
        RuleRow::Badge(Badge {
            id: String::new(),
            name: "Cloud Partner".into(),
            requires_track_compliance: true,
            review_every_months: 24,
            evidence_lead_months: 2,
            grace_months: 3,
        }),
        RuleRow::BadgeRequirement(BadgeRequirement {
            id: String::new(),
            badge_id: "tsp".into(),
            certification_id: "sa-core".into(),
            count: 2,
        }),
        RuleRow::JourneyCapability(JourneyCapability {
            id: String::new(),
            stage: JourneyStage::Leading,
            area: "Deliver".into(),
            label: "Runs a GitLab Duo workshop".into(),
            sort_order: 99,
        }),
        RuleRow::CurriculumModule(CurriculumModule {
            id: String::new(),
            level: "advanced".into(),
            section: "Security".into(),
            title: "Selling GitLab Ultimate security".into(),
            kind: "Quiz".into(),
            minutes: Some(15),
            points: Some(12),
            sort_order: 200,
        }),
    ];
    let book_before = s.read().rule_book().unwrap();
    for row in rows {
        let (saved, written) = with_outbox(&mut s, |s| ops::put_rule(s, &row));
        assert_eq!(written, 1, "{row:?}");
        let table = match &saved {
            RuleRow::Badge(b) => (RuleTable::Badge, b.id.clone()),
            RuleRow::BadgeRequirement(r) => (RuleTable::BadgeRequirement, r.id.clone()),
            RuleRow::JourneyCapability(c) => (RuleTable::JourneyCapability, c.id.clone()),
            RuleRow::CurriculumModule(m) => (RuleTable::CurriculumModule, m.id.clone()),
            other => panic!("{other:?}"),
        };
        ops::remove_rule(&mut s, table.0, &table.1).unwrap();
    }
    let book_after = s.read().rule_book().unwrap();
    assert_eq!(book_after.badges, book_before.badges);
    assert_eq!(
        book_after.curriculum_modules,
        book_before.curriculum_modules
    );

    // An invalid row names its field.
    let bad = RuleRow::Badge(Badge {
        id: String::new(),
        name: "Short".into(),
        requires_track_compliance: false,
        review_every_months: 12,
        evidence_lead_months: 12,
        grace_months: 3,
    });
    let err = fails_writing_nothing(&mut s, |s| ops::put_rule(s, &bad));
    assert!(
        err.to_string().starts_with("evidence_lead_months:"),
        "{err}"
    );
}

#[test]
fn a_cam_adds_and_removes_no_rules_row() {
    let mut s = store();
    s.set_profile_role(Some(cdesk_protocol::Role::Cam)).unwrap();
    let err = fails_writing_nothing(&mut s, |s| {
        ops::put_rule(s, &track_requirement(Track::Open, "pse", 1))
    });
    assert!(
        err.to_string()
            .contains("only a program admin edits the rules tables"),
        "{err}"
    );
    let id = s.read().rule_book().unwrap().track_requirements[0]
        .id
        .clone();
    let err = fails_writing_nothing(&mut s, |s| {
        ops::remove_rule(s, RuleTable::TrackRequirement, &id)
    });
    assert!(err.to_string().contains("only a program admin"), "{err}");
}

#[test]
fn each_person_progresses_through_the_core_and_advanced_curriculum() {
    let mut s = store();
    let today = d(TODAY);
    partner(&mut s, "Acme");
    person(&mut s, "Acme", "Ana Silva", "ana@acme.example");
    person(&mut s, "Acme", "Bo Chen", "bo@acme.example");
    let book = s.read().rule_book().unwrap();
    let core: Vec<&CurriculumModule> = book
        .curriculum_modules
        .iter()
        .filter(|m| m.level == "core")
        .collect();
    let quiz = core
        .iter()
        .find(|m| m.points == Some(9))
        .expect("the SDLC quiz is worth 9 points");
    let module = |title: &str, status: &str| NewEnablementItem {
        partner: "Acme".into(),
        person: "ana@acme.example".into(),
        module: Some(title.into()),
        status: Some(status.into()),
        completed_on: (status == "certified").then(|| "2026-11-10".into()),
        ..Default::default()
    };
    ops::plan_enablement(&mut s, &module(&core[0].title, "certified"), today).unwrap();
    ops::plan_enablement(&mut s, &module(&quiz.title, "certified"), today).unwrap();
    ops::plan_enablement(&mut s, &module(&core[1].title, "planned"), today).unwrap();

    let progress = ops::curriculum_progress(s.read(), "Acme", today).unwrap();
    let names: Vec<&str> = progress.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["Ana Silva", "Bo Chen"]);
    let ana = &progress[0].levels[0];
    assert_eq!(ana.level, "core");
    assert_eq!(ana.modules, core.len());
    assert_eq!((ana.done, ana.planned), (2, 1));
    assert_eq!(ana.minutes_done, core[0].minutes.unwrap_or(0));
    assert_eq!(
        ana.minutes,
        core.iter().filter_map(|m| m.minutes).sum::<i64>()
    );
    assert_eq!((ana.points_done, ana.points), (9, 9));
    assert_eq!(
        ana.next_module.as_deref(),
        Some(core[2].title.as_str()),
        "the next not done nor planned"
    );
    let bo = &progress[1].levels[0];
    assert_eq!((bo.done, bo.planned), (0, 0));
    assert_eq!(bo.next_module.as_deref(), Some(core[0].title.as_str()));
    assert_eq!(progress[0].levels[1].level, "advanced");
}
