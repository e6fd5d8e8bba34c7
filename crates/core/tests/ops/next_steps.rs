use cdesk_core::ops::{self, NewStandaloneNextStep, NextStepQuery};

use super::notes::step;
use super::*;

fn standalone(partner: &str, description: &str, due: &str) -> NewStandaloneNextStep {
    NewStandaloneNextStep {
        step: step(description, due),
        partner: Some(partner.into()),
        ..Default::default()
    }
}

#[test]
fn a_next_step_is_added_done_and_reopened() {
    let mut s = store();
    partner(&mut s, "Acme");
    let (st, added) = with_outbox(&mut s, |s| {
        ops::add_next_step(s, &standalone("Acme", "Send SOW", "2026-11-20"))
    });
    assert_eq!((st.status, added), (NextStepStatus::Open, 1));
    let overdue = ops::overdue_next_steps(s.read(), d(TODAY)).unwrap();
    assert_eq!(overdue.len(), 1);
    assert_eq!(
        (overdue[0].days_overdue, overdue[0].partner_name.as_deref()),
        (3, Some("Acme"))
    );

    let (done, added) = with_outbox(&mut s, |s| {
        ops::set_next_step_done(s, &st.id, true, d(TODAY))
    });
    assert_eq!((done.status, added), (NextStepStatus::Done, 1));
    assert!(done.done_at.is_some(), "records when");
    assert!(ops::overdue_next_steps(s.read(), d(TODAY))
        .unwrap()
        .is_empty());

    let reopened = ops::set_next_step_done(&mut s, &st.id, false, d(TODAY)).unwrap();
    assert_eq!(
        (reopened.status, reopened.done_at),
        (NextStepStatus::Open, None)
    );
}

#[test]
fn a_next_step_needs_a_link_a_real_date_and_a_known_id() {
    let mut s = store();
    partner(&mut s, "Acme");
    let unlinked = NewStandaloneNextStep {
        step: step("Send SOW", "2026-11-20"),
        ..Default::default()
    };
    let err = fails_writing_nothing(&mut s, |s| ops::add_next_step(s, &unlinked));
    assert!(err.to_string().starts_with("partner:"), "{err}");
    let err = fails_writing_nothing(&mut s, |s| {
        ops::add_next_step(s, &standalone("Acme", "Send SOW", "2026-02-30"))
    });
    assert!(err.to_string().starts_with("next_step.due_on:"), "{err}");
    let err = fails_writing_nothing(&mut s, |s| {
        ops::set_next_step_done(s, "nope", true, d(TODAY))
    });
    assert_eq!(err.code(), "not_found");
}

#[test]
fn next_steps_list_open_ones_by_due_date_or_a_partners_by_status() {
    let mut s = store();
    partner(&mut s, "Acme");
    let a = ops::add_next_step(&mut s, &standalone("Acme", "Later", "2026-12-20")).unwrap();
    ops::add_next_step(&mut s, &standalone("Acme", "Sooner", "2026-11-25")).unwrap();
    ops::set_next_step_done(&mut s, &a.id, true, d(TODAY)).unwrap();
    let open = ops::list_next_steps(s.read(), &NextStepQuery::default(), d(TODAY)).unwrap();
    assert_eq!(open.len(), 1, "done ones are not open");
    let done = NextStepQuery {
        partner: Some("Acme".into()),
        status: Some("done".into()),
        ..Default::default()
    };
    let lines = ops::list_next_steps(s.read(), &done, d(TODAY)).unwrap();
    assert_eq!(lines[0].step.description, "Later");
    let due_by = NextStepQuery {
        due_by: Some("2026-11-24".into()),
        ..Default::default()
    };
    assert!(ops::list_next_steps(s.read(), &due_by, d(TODAY))
        .unwrap()
        .is_empty());
}

#[test]
fn the_cam_requests_an_update_on_an_overdue_partner_task() {
    let mut s = store();
    partner(&mut s, "Acme");
    let mut call = super::notes::note("Acme", "Weekly sync");
    call.next_steps = vec![super::notes::step("Acme sends the SOW", "2026-11-20")];
    let logged = ops::log_note(&mut s, &call).unwrap();
    let step_id = logged.next_steps[0].id.clone();
    let overdue = ops::overdue_next_steps(s.read(), d(TODAY)).unwrap();
    assert_eq!(
        overdue[0].channel_manager.as_deref(),
        Some("cam@vendor.example"),
        "the one to chase"
    );

    let request = ops::UpdateRequest {
        step: step_id.clone(),
        due_on: "2026-11-30".into(),
        author: "cam@vendor.example".into(),
        message: Some("They are waiting on legal.".into()),
    };
    let (done, added) = with_outbox(&mut s, |s| ops::request_update(s, &request, d(TODAY)));
    assert_eq!(added, 2, "the note and the step, in one change");
    assert_eq!(done.step.due_on, d("2026-11-30"));
    assert_eq!(done.note.title, "Update requested: Acme sends the SOW");
    assert!(
        done.note
            .body
            .contains("due 2026-11-20 (3 days overdue). New date: 2026-11-30."),
        "{}",
        done.note.body
    );
    assert!(done.note.body.ends_with("They are waiting on legal."));
    assert_eq!(done.note.partner_id, done.step.partner_id);
    assert!(ops::overdue_next_steps(s.read(), d(TODAY))
        .unwrap()
        .is_empty());

    let past = ops::UpdateRequest {
        due_on: "2026-11-22".into(),
        ..request.clone()
    };
    let err = fails_writing_nothing(&mut s, |s| ops::request_update(s, &past, d(TODAY)));
    assert!(err.to_string().starts_with("due_on:"), "{err}");
    ops::set_next_step_done(&mut s, &step_id, true, d(TODAY)).unwrap();
    let err = fails_writing_nothing(&mut s, |s| ops::request_update(s, &request, d(TODAY)));
    assert!(err.to_string().contains("not open"), "{err}");
}
