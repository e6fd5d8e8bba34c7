//! The scripted sessions of a CAM and a sales rep: plan, certify, log, chase, find.

use super::*;

#[test]
fn a_planned_certification_shows_the_closing_date_until_it_is_certified() {
    let desk = Desk::new();
    desk.acme();
    desk.ok(&[
        "cert",
        "add",
        "--partner",
        "Acme",
        "--person",
        "ana@acme.example",
        "--cert",
        "sa-core",
        "--target",
        "2027-03-31",
    ]);

    let table = desk.ok(&["compliance", "--gaps"]);
    assert!(table.contains("Acme"), "Acme has a gap: {table}");
    assert!(
        table.contains("1 Solution Architect (SA) Core"),
        "what is missing: {table}"
    );
    assert!(
        table.contains("closes 2027-03-31"),
        "when the plan closes it: {table}"
    );

    let json = desk.json(&["compliance", "--partner", "Acme"]);
    assert_eq!(
        json[0]["track"]["closure"],
        serde_json::json!({"state": "planned", "on": "2027-03-31", "overdue": false})
    );

    desk.ok(&[
        "cert",
        "status",
        "--partner",
        "Acme",
        "--person",
        "ana@acme.example",
        "--cert",
        "SA Core",
        "certified",
        "--completed",
        "2026-10-01",
    ]);
    let table = desk.ok(&["compliance", "--gaps"]);
    assert!(
        table.contains("no partner has a gap"),
        "the gap is closed: {table}"
    );
    let json = desk.json(&["compliance", "--partner", "Acme"]);
    assert_eq!(json[0]["track"]["compliant"], true);
}

#[test]
fn a_via_partner_note_with_a_step_due_yesterday_is_overdue_and_searchable() {
    let desk = Desk::new();
    desk.acme();
    let logged = desk.json(&[
        "note",
        "add",
        "--partner",
        "Acme",
        "--title",
        "Discovery with Initech",
        "--via-partner",
        "--body",
        "They run forty Jenkins servers and want a migration plan",
        "--next-step",
        "Send the migration SOW;ana@acme.example;2026-11-22",
    ]);
    assert_eq!(logged["note"]["title"], "Discovery with Initech (ii)");
    assert_eq!(logged["note"]["via_partner"], true);
    assert_eq!(logged["next_steps"][0]["due_on"], "2026-11-22");

    let overdue = desk.ok(&["overdue"]);
    assert!(overdue.contains("Send the migration SOW"), "{overdue}");
    assert!(overdue.contains("1d"), "one day late: {overdue}");
    let overdue = desk.json(&["overdue"]);
    assert_eq!(overdue[0]["days_overdue"], 1);
    assert_eq!(overdue[0]["partner_name"], "Acme");
    assert_eq!(overdue[0]["step"]["description"], "Send the migration SOW");

    let hits = desk.ok(&["search", "jenkins"]);
    assert!(hits.contains("Discovery with Initech (ii)"), "{hits}");
    assert!(
        hits.contains("[Jenkins]"),
        "hits marked with [..] outside a terminal: {hits}"
    );
    let hits = desk.json(&["search", "jenkins"]);
    assert_eq!(hits[0]["kind"], "note");
    assert!(hits[0]["id"].is_string() && hits[0]["snippet"].is_array());
    assert!(hits[0]["snippet_text"]
        .as_str()
        .unwrap()
        .contains("[Jenkins]"));
}

#[test]
fn cdesk_alone_prints_the_today_summary() {
    let desk = Desk::new();
    desk.acme();
    let text = desk.ok(&[]);
    assert!(
        text.starts_with(&format!("Channel Desk, today {TODAY}")),
        "{text}"
    );
    for section in [
        "Overdue next steps",
        "Partners with compliance gaps",
        "Pipeline",
        "Recent notes",
    ] {
        assert!(text.contains(section), "has {section}: {text}");
    }
    let json = desk.json(&[]);
    assert_eq!(json["today"], TODAY);
    assert!(
        json["compliance_gaps"].as_array().unwrap().len() == 1,
        "Acme lacks SA Core"
    );
}
