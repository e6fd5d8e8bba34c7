use cdesk_core::ops::{self, BadgeGrantInput, NewEnablementItem, NewPerson, TodaySummary};
use cdesk_core::rules::{GapClosure, ReviewStatus};

use super::notes::{note, step};
use super::selling::{account, opportunity};
use super::*;

/// Acme (Open) plans its way to compliance by 2027-03-31; Globex holds PSP without a single
/// PSE, its review due in December; a pipeline with an R7 gap and an untiered account; notes
/// with an overdue and a due-soon step, and one synced-in via-partner note lacking "(ii)".
fn scenario() -> (Store, TodaySummary) {
    let mut s = store();
    partner(&mut s, "Acme");
    partner(&mut s, "Globex");
    for (name, email) in [("Ana", "ana@acme.example"), ("Bo", "bo@acme.example")] {
        let input = NewPerson {
            partner: "Acme".into(),
            name: name.into(),
            email: email.into(),
            role: String::new(),
        };
        ops::add_person(&mut s, &input).unwrap();
    }
    for (person, cert, by) in [
        ("Ana", "sales-core", "2027-01-31"),
        ("Bo", "sales-core", "2027-02-28"),
        ("Ana", "sa-core", "2027-03-31"),
    ] {
        let input = NewEnablementItem {
            partner: "Acme".into(),
            person: person.into(),
            certification: Some(cert.into()),
            target_date: Some(by.into()),
            ..Default::default()
        };
        ops::plan_enablement(&mut s, &input, d(TODAY)).unwrap();
    }
    let grant = BadgeGrantInput {
        partner: "Globex".into(),
        badge: "psp".into(),
        granted_on: "2025-12-05".into(),
    };
    ops::grant_badge(&mut s, &grant).unwrap();
    // Reviewed in June 2026 at the latest, and never recorded: overdue.
    let grant = BadgeGrantInput {
        partner: "Acme".into(),
        badge: "tsp".into(),
        granted_on: "2025-06-10".into(),
    };
    ops::grant_badge(&mut s, &grant).unwrap();

    account(&mut s, "Initech", Some("Acme"));
    ops::create_opportunity(&mut s, &opportunity("Initech", "No deck", "6000")).unwrap();
    let mut small = opportunity("Initech", "Small", "1000");
    small.stage = Some("proposal".into());
    ops::create_opportunity(&mut s, &small).unwrap();
    let mut won = opportunity("Initech", "Won", "50000");
    won.stage = Some("closed_won".into());
    won.win_loss_reason = Some("Partner-led POV".into());
    ops::create_opportunity(&mut s, &won).unwrap();

    let mut call = note("Acme", "Weekly sync");
    call.next_steps = vec![
        step("Send SOW", "2026-11-20"),
        step("Book demo", "2026-11-27"),
    ];
    ops::log_note(&mut s, &call).unwrap();
    let acme = s.read().resolve_partner("Acme").unwrap();
    let mut synced = CallNote::new("Synced from elsewhere", "", "ae");
    synced.partner_id = Some(acme.id);
    synced.via_partner = true;
    s.write(|w| w.put(&synced)).unwrap();

    let summary = ops::today_summary(s.read(), d(TODAY), &ops::Audience::everyone()).unwrap();
    (s, summary)
}

#[test]
fn overdue_and_due_soon_next_steps_are_separated() {
    let (_, t) = scenario();
    assert_eq!(t.overdue_next_steps.len(), 1);
    assert_eq!(t.overdue_next_steps[0].step.description, "Send SOW");
    assert_eq!(t.due_soon.len(), 1);
    assert_eq!(t.due_soon[0].step.description, "Book demo");
}

#[test]
fn compliance_gaps_say_when_the_plan_closes_them_or_that_it_does_not() {
    let (_, t) = scenario();
    let acme = t
        .compliance_gaps
        .iter()
        .find(|g| g.partner_name == "Acme")
        .unwrap();
    assert_eq!(
        acme.closure,
        GapClosure::Planned {
            on: d("2027-03-31"),
            overdue: false
        }
    );
    assert_eq!(
        acme.missing.len(),
        2,
        "Sales Core and SA Core: {:?}",
        acme.missing
    );
    let globex = t
        .compliance_gaps
        .iter()
        .find(|g| g.partner_name == "Globex")
        .unwrap();
    assert_eq!(
        globex.badges_at_risk,
        vec!["Professional Services Partner (PSP)"]
    );
    let pse = globex
        .missing
        .iter()
        .find(|m| m.certification.contains("PSE"))
        .unwrap();
    assert_eq!(pse.count, 3, "the badge's three PSEs, not the track's none");
    assert_eq!(
        globex.closure,
        GapClosure::NotClosed { short_by: 6 },
        "2 Sales Core + 1 SA Core + 3 PSE, nothing planned"
    );
}

#[test]
fn badge_reviews_within_sixty_days_and_overdue_ones_are_listed() {
    let (_, t) = scenario();
    let lines: Vec<_> = t
        .badge_reviews
        .iter()
        .map(|r| (r.partner_name.as_str(), r.next_review, r.status))
        .collect();
    assert_eq!(
        lines,
        vec![
            (
                "Acme",
                d("2026-06-01"),
                ReviewStatus::ReviewOverdue {
                    since: d("2026-07-01")
                }
            ),
            ("Globex", d("2026-12-01"), ReviewStatus::EvidenceDue),
        ]
    );
}

#[test]
fn the_pipeline_counts_open_opportunities_per_stage() {
    let (_, t) = scenario();
    let stages: Vec<_> = t
        .pipeline
        .iter()
        .map(|p| (p.stage, p.count, p.amount))
        .collect();
    assert_eq!(
        stages,
        vec![
            (OpportunityStage::Qualifying, 1, Money::from_dollars(6_000)),
            (OpportunityStage::Proposal, 1, Money::from_dollars(1_000)),
        ],
        "closed deals are not pipeline"
    );
}

#[test]
fn r7_gaps_untiered_accounts_and_unmarked_notes_are_flagged() {
    let (_, t) = scenario();
    assert_eq!(t.r7_gaps.len(), 1);
    assert_eq!(t.r7_gaps[0].opportunity_name, "No deck");
    assert!(t.r7_gaps[0].check.pitch_deck_missing);
    assert_eq!(t.untiered_accounts.len(), 1);
    assert_eq!(t.untiered_accounts[0].open_opportunities, 2);
    assert_eq!(t.notes_missing_mark.len(), 1);
    assert_eq!(t.notes_missing_mark[0].title, "Synced from elsewhere");
}

#[test]
fn recent_notes_and_the_outbox_count_are_reported() {
    let (s, t) = scenario();
    assert_eq!(t.recent_notes.len(), 2);
    assert_eq!(t.outbox_pending, s.read().outbox_len().unwrap());
    let json = serde_json::to_value(&t).unwrap();
    for key in [
        "overdue_next_steps",
        "compliance_gaps",
        "pipeline",
        "outbox_pending",
    ] {
        assert!(json.get(key).is_some(), "the desktop reads {key}");
    }
}

#[test]
fn an_empty_database_has_a_quiet_today() {
    let s = store();
    let t = ops::today_summary(s.read(), d(TODAY), &ops::Audience::everyone()).unwrap();
    assert!(t.overdue_next_steps.is_empty() && t.compliance_gaps.is_empty());
    assert!(t.pipeline.is_empty() && t.recent_notes.is_empty());
    assert_eq!(t.outbox_pending, 0);
}

/// Today as `scope` sees it: the overdue steps' descriptions and the R7 gaps' deal names.
fn seen(s: &Store, scope: ops::Scope) -> (Vec<String>, Vec<String>) {
    let audience = ops::Audience::of(s.read(), scope).unwrap();
    let t = ops::today_summary(s.read(), d(TODAY), &audience).unwrap();
    (
        t.overdue_next_steps
            .into_iter()
            .map(|l| l.step.description)
            .collect(),
        t.r7_gaps.into_iter().map(|g| g.opportunity_name).collect(),
    )
}

#[test]
fn today_covers_mine_my_team_or_everyone() {
    let mut s = store();
    partner(&mut s, "Acme"); // cam@vendor.example's, in EMEA
    let mut zeta = new_partner("Zeta");
    zeta.owner = "other@vendor.example".into();
    zeta.region = "apac".into();
    ops::create_partner(&mut s, &zeta).unwrap();
    for p in ["Acme", "Zeta"] {
        let mut call = note(p, &format!("{p} sync"));
        call.next_steps = vec![step(&format!("{p} sends the SOW"), "2026-11-20")];
        ops::log_note(&mut s, &call).unwrap();
    }
    // A step on Zeta that is mine to do, and a deal of mine on an account of nobody's partner.
    let mut mine = note("Zeta", "Zeta pricing");
    mine.next_steps = vec![ops::NewNextStep {
        owner: "CAM@vendor.example".into(),
        ..step("I send the pricing", "2026-11-21")
    }];
    ops::log_note(&mut s, &mine).unwrap();
    account(&mut s, "Initech", None);
    let mut deal = opportunity("Initech", "My deal", "6000");
    deal.owner = Some("cam@vendor.example".into());
    ops::create_opportunity(&mut s, &deal).unwrap();
    account(&mut s, "Hooli", Some("Zeta"));
    ops::create_opportunity(&mut s, &opportunity("Hooli", "Zeta deal", "6000")).unwrap();

    assert_eq!(
        ops::Scope::default_for(s.read()).unwrap(),
        ops::Scope::Everyone,
        "nobody signed in"
    );
    s.set_sync_account(Some(("https://desk.example.com", "cam@vendor.example")))
        .unwrap();
    assert_eq!(ops::Scope::default_for(s.read()).unwrap(), ops::Scope::Mine);

    let (steps, deals) = seen(&s, ops::Scope::Mine);
    assert_eq!(steps, ["Acme sends the SOW", "I send the pricing"]);
    assert_eq!(deals, ["My deal"]);
    let (steps, _) = seen(&s, ops::Scope::Team);
    assert_eq!(
        steps,
        ["Acme sends the SOW", "I send the pricing"],
        "my region is EMEA's"
    );
    s.set_profile_region(Some("apac")).unwrap();
    let (steps, deals) = seen(&s, ops::Scope::Team);
    assert_eq!(
        steps,
        [
            "Acme sends the SOW",
            "Zeta sends the SOW",
            "I send the pricing"
        ],
        "a manager of APAC"
    );
    assert_eq!(deals, ["My deal", "Zeta deal"]);
    let (steps, deals) = seen(&s, ops::Scope::Everyone);
    assert_eq!((steps.len(), deals.len()), (3, 2));
}
