//! The partner review (QBR): what it gathers for a quarter, and the documents it exports.

use cdesk_core::io::document::{to_html, to_pdf};
use cdesk_core::io::review_document;
use cdesk_core::ops::{NewNextStep, NewNote};

use super::plans::deal;
use super::*;

fn note(s: &mut Store, title: &str, on: &str, next_step: Option<(&str, &str)>) {
    ops::log_note(
        s,
        &NewNote {
            title: title.into(),
            body: format!("Body of {title}"),
            partner: Some("Acme".into()),
            author: "cam@vendor.example".into(),
            occurred_at: Some(on.into()),
            next_steps: next_step
                .map(|(what, due)| NewNextStep {
                    description: what.into(),
                    owner: "partner@acme.example".into(),
                    due_on: due.into(),
                    agreed_with_partner: true,
                })
                .into_iter()
                .collect(),
            ..Default::default()
        },
    )
    .unwrap();
}

/// Acme in Q3 FY27 (2026-08-01 .. 2026-10-31), reviewed on 2026-10-20.
fn acme_in_q3() -> Store {
    let mut s = store();
    partner(&mut s, "Acme");
    super::selling::account(&mut s, "Initech", Some("Acme"));
    deal(
        &mut s,
        "Initech",
        "Won in Q3",
        "new_business",
        "closed_won",
        "2026-08-01",
        12_000,
    );
    deal(
        &mut s,
        "Initech",
        "Won in Q2",
        "add_on",
        "closed_won",
        "2026-07-31",
        3_000,
    );
    deal(
        &mut s,
        "Initech",
        "Lost in Q3",
        "add_on",
        "closed_lost",
        "2026-10-31",
        9_000,
    );
    deal(
        &mut s,
        "Initech",
        "Open",
        "new_business",
        "proposal",
        "2026-12-01",
        40_000,
    );
    note(&mut s, "Before the quarter", "2026-07-31T23:00:00Z", None);
    note(
        &mut s,
        "Kick-off <QBR> & plan",
        "2026-08-02T09:00:00Z",
        Some(("Send the deck", "2026-10-01")),
    );
    note(
        &mut s,
        "Pipeline call",
        "2026-10-15T09:00:00Z",
        Some(("Book the workshop", "2026-11-10")),
    );
    s
}

#[test]
fn the_review_holds_the_quarters_deals_notes_and_open_steps() {
    let s = acme_in_q3();
    let q = ops::parse_quarter("Q3 FY27", d("2026-10-20")).unwrap();
    let r = ops::partner_review(s.read(), "Acme", Some(q), d("2026-10-20")).unwrap();
    assert_eq!(
        (q.first_day, q.last_day),
        (d("2026-08-01"), d("2026-10-31"))
    );

    let names =
        |deals: &[ops::ClosedDeal]| deals.iter().map(|d| d.name.clone()).collect::<Vec<_>>();
    assert_eq!(
        names(&r.won_in_quarter),
        ["Won in Q3"],
        "Q2's deal is in the year, not the quarter"
    );
    assert_eq!(names(&r.lost_in_quarter), ["Lost in Q3"]);
    assert_eq!(r.lost_in_quarter[0].reason, "Lost in Q3 reason");
    assert_eq!(
        r.actuals.new_customer_arr.actual,
        Money::from_dollars(12_000)
    );
    assert_eq!(
        r.actuals.growth_arr.actual,
        Money::from_dollars(3_000),
        "the year to date"
    );
    assert_eq!(r.actuals.open_pipeline, Money::from_dollars(40_000));

    let titles: Vec<&str> = r.notes.iter().map(|n| n.title.as_str()).collect();
    assert_eq!(
        titles,
        ["Pipeline call", "Kick-off <QBR> & plan"],
        "newest first, quarter only"
    );

    let steps: Vec<(&str, bool)> = r
        .open_next_steps
        .iter()
        .map(|s| (s.description.as_str(), s.overdue))
        .collect();
    assert_eq!(
        steps,
        [("Send the deck", true), ("Book the workshop", false)]
    );
}

#[test]
fn the_quarter_defaults_to_today_and_bad_quarters_are_named() {
    let s = acme_in_q3();
    let r = ops::partner_review(s.read(), "Acme", None, d("2026-10-20")).unwrap();
    assert_eq!(r.quarter.label(), "Q3 FY27");
    assert_eq!(
        ops::parse_quarter("q1", d("2026-10-20"))
            .unwrap()
            .fiscal_year,
        2027
    );
    assert_eq!(
        ops::parse_quarter("FY26 Q4", d("2026-10-20"))
            .unwrap()
            .last_day,
        d("2026-01-31")
    );
    for bad in ["Q5", "Q", "third", "Q3 FY2"] {
        let err = ops::parse_quarter(bad, d("2026-10-20")).unwrap_err();
        assert_eq!(err.code(), "invalid", "{bad}");
        assert!(err.to_string().contains("quarter"), "{bad}: {err}");
    }
}

#[test]
fn the_exported_html_and_pdf_read_the_same_review() {
    let s = acme_in_q3();
    let r = ops::partner_review(s.read(), "Acme", None, d("2026-10-20")).unwrap();
    let doc = review_document(&r);

    let html = to_html(&doc);
    assert!(html.contains("<title>Acme — Partner review, Q3 FY27</title>"));
    assert!(html.contains("Kick-off &lt;QBR&gt; &amp; plan"), "escaped");
    assert!(html.contains("Lost in Q3 reason"));
    assert!(!html.contains("<script") && !html.contains("src=") && !html.contains("href="));

    let pdf = to_pdf(&doc).unwrap();
    let text = pdf_extract::extract_text_from_mem(&pdf).unwrap();
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for expected in [
        "Acme — Partner review, Q3 FY27",
        "Won in Q3",
        "Lost in Q3 reason",
        "Kick-off <QBR> & plan",
        "Book the workshop",
        "$12,000.00",
        "Compliance as of 2026-10-20",
    ] {
        assert!(
            flat.contains(expected),
            "the PDF reads {expected:?}:\n{flat}"
        );
    }
}
