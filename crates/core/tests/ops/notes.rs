use cdesk_core::ops::{self, NewNextStep, NewNote, NoteEdit, NoteQuery};

use super::selling::{account, opportunity};
use super::*;

pub fn step(description: &str, due: &str) -> NewNextStep {
    NewNextStep {
        description: description.into(),
        owner: "partner".into(),
        due_on: due.into(),
        agreed_with_partner: true,
    }
}

pub fn note(partner: &str, title: &str) -> NewNote {
    NewNote {
        title: title.into(),
        body: "Talked about the migration".into(),
        partner: Some(partner.into()),
        author: "ae@vendor.example".into(),
        ..NewNote::default()
    }
}

#[test]
fn a_note_and_its_next_steps_are_saved_together() {
    let mut s = store();
    let acme = partner(&mut s, "Acme");
    let mut input = note("Acme", "Discovery with Initech");
    input.via_partner = true;
    input.next_steps = vec![
        step("Send SOW", "2026-11-30"),
        step("Book demo", "2026-12-04"),
    ];
    let (logged, added) = with_outbox(&mut s, |s| ops::log_note(s, &input));
    assert_eq!(added, 3, "one note and two next steps");
    assert_eq!(
        logged.note.title, "Discovery with Initech (ii)",
        "via-partner mark"
    );
    assert!(logged.note.via_partner);
    let steps = s.read().next_steps_for_note(&logged.note.id).unwrap();
    assert_eq!(steps.len(), 2);
    assert!(steps
        .iter()
        .all(|st| st.partner_id.as_deref() == Some(acme.id.as_str())));
}

#[test]
fn an_invalid_next_step_date_saves_neither_the_note_nor_the_other_steps() {
    let mut s = store();
    partner(&mut s, "Acme");
    let mut input = note("Acme", "Call");
    input.next_steps = vec![
        step("Send SOW", "2026-11-30"),
        step("Book demo", "2026-02-30"),
    ];
    let err = fails_writing_nothing(&mut s, |s| ops::log_note(s, &input));
    assert!(
        err.to_string().starts_with("next_steps[2].due_on:"),
        "names the step: {err}"
    );
    assert_eq!(s.read().note_count().unwrap(), 0);
}

#[test]
fn a_note_for_an_unknown_partner_writes_nothing() {
    let mut s = store();
    let err = fails_writing_nothing(&mut s, |s| ops::log_note(s, &note("Nobody", "Call")));
    assert_eq!(err.code(), "not_found");
}

#[test]
fn a_note_on_an_opportunity_takes_its_account_and_partner() {
    let mut s = store();
    let acme = partner(&mut s, "Acme");
    let initech = account(&mut s, "Initech", Some("Acme"));
    ops::create_opportunity(&mut s, &opportunity("Initech", "Premium", "100")).unwrap();
    let input = NewNote {
        title: "Pricing call".into(),
        opportunity: Some("Premium".into()),
        author: "ae".into(),
        occurred_at: Some("2026-11-20".into()),
        ..NewNote::default()
    };
    let logged = ops::log_note(&mut s, &input).unwrap();
    assert_eq!(logged.note.account_id.as_deref(), Some(initech.id.as_str()));
    assert_eq!(logged.note.partner_id.as_deref(), Some(acme.id.as_str()));
    assert_eq!(logged.note.occurred_at.date(), d("2026-11-20"));
}

#[test]
fn a_via_partner_note_must_name_the_partner() {
    let mut s = store();
    account(&mut s, "Hooli", None);
    let input = NewNote {
        title: "Call".into(),
        account: Some("Hooli".into()),
        via_partner: true,
        author: "ae".into(),
        ..NewNote::default()
    };
    let err = fails_writing_nothing(&mut s, |s| ops::log_note(s, &input));
    assert!(err.to_string().starts_with("partner:"), "{err}");
}

#[test]
fn the_author_edits_a_note_and_the_mark_follows_via_partner() {
    let mut s = store();
    partner(&mut s, "Acme");
    let mut input = note("Acme", "Call");
    input.via_partner = true;
    let logged = ops::log_note(&mut s, &input).unwrap();
    let edit = NoteEdit {
        note: logged.note.id.clone(),
        title: Some("Kickoff call".into()),
        body: Some("Agreed the plan".into()),
        via_partner: None,
    };
    let (edited, added) = with_outbox(&mut s, |s| ops::update_note(s, &edit));
    assert_eq!(added, 1);
    assert_eq!(
        edited.title, "Kickoff call (ii)",
        "a via-partner note keeps its mark"
    );
    assert_eq!(edited.body, "Agreed the plan");
    let unmark = NoteEdit {
        note: logged.note.id,
        via_partner: Some(false),
        ..NoteEdit::default()
    };
    let edited = ops::update_note(&mut s, &unmark).unwrap();
    assert_eq!(
        (edited.title.as_str(), edited.via_partner),
        ("Kickoff call", false)
    );
}

#[test]
fn notes_page_by_the_last_id_of_the_previous_page() {
    let mut s = store();
    partner(&mut s, "Acme");
    for day in 1..=5 {
        let mut input = note("Acme", &format!("Call {day}"));
        input.occurred_at = Some(format!("2026-11-0{day}"));
        ops::log_note(&mut s, &input).unwrap();
    }
    let mut query = NoteQuery {
        partner: Some("Acme".into()),
        limit: 2,
        ..NoteQuery::default()
    };
    let mut titles = Vec::new();
    loop {
        let page = ops::list_notes(s.read(), &query).unwrap();
        titles.extend(page.notes.iter().map(|n| n.title.clone()));
        match page.next_before {
            Some(last) => query.before = Some(last),
            None => break,
        }
    }
    assert_eq!(
        titles,
        vec!["Call 5", "Call 4", "Call 3", "Call 2", "Call 1"]
    );
}
