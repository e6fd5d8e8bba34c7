use cdesk_core::ops::{self, NewAccount, NewOpportunity, OpportunityChanges, TierChange};

use super::*;

pub fn account(s: &mut Store, name: &str, partner: Option<&str>) -> Account {
    let input = NewAccount {
        name: name.into(),
        owner: "ae@vendor.example".into(),
        partner: partner.map(Into::into),
        ..NewAccount::default()
    };
    ops::create_account(s, &input).unwrap()
}

pub fn opportunity(account: &str, name: &str, amount: &str) -> NewOpportunity {
    NewOpportunity {
        account: account.into(),
        name: name.into(),
        segment: "smb".into(),
        close_date: "2027-01-31".into(),
        amount: Some(amount.into()),
        ..NewOpportunity::default()
    }
}

#[test]
fn an_account_is_created_untiered_and_tiered_later() {
    let mut s = store();
    partner(&mut s, "Acme");
    let input = NewAccount {
        name: "Initech".into(),
        owner: "ae@vendor.example".into(),
        partner: Some("Acme".into()),
        ..NewAccount::default()
    };
    let (a, added) = with_outbox(&mut s, |s| ops::create_account(s, &input));
    assert_eq!((a.tier, added), (Tier::Untiered, 1));
    assert!(
        a.partner_id.is_some(),
        "co-selling partner resolved by name"
    );

    let change = TierChange {
        account: "initech".into(),
        tier: "Tier 2".into(),
        tier_notes: Some("Partner found 400 developers".into()),
    };
    let (a, added) = with_outbox(&mut s, |s| ops::set_account_tier(s, &change));
    assert_eq!((a.tier, added), (Tier::Tier2, 1));
    assert_eq!(a.tier_notes, "Partner found 400 developers");

    let err = fails_writing_nothing(&mut s, |s| ops::create_account(s, &input));
    assert_eq!(err.code(), "duplicate");
}

#[test]
fn an_opportunity_carries_its_r7_facts() {
    let mut s = store();
    account(&mut s, "Initech", None);
    let mut input = opportunity("Initech", "Initech Premium", "$12,000");
    input.iacv = Some("12000".into());
    input.command_plan = Some("overview".into());
    input.has_pitch_deck = true;
    let (o, added) = with_outbox(&mut s, |s| ops::create_opportunity(s, &input));
    assert_eq!(added, 1);
    assert_eq!(o.amount, Money::from_dollars(12_000));
    assert_eq!(
        (o.command_plan, o.has_pitch_deck),
        (CommandPlanLevel::Overview, true)
    );
    assert_eq!(o.owner, "ae@vendor.example", "the account owner by default");

    let lines = ops::list_opportunities(s.read(), &Default::default()).unwrap();
    assert_eq!(lines[0].account_name, "Initech");
    assert!(
        lines[0].r7.command_plan_missing,
        "over $10k IACV in SMB needs a full plan"
    );
    assert!(!lines[0].r7.pitch_deck_missing);
}

#[test]
fn an_opportunity_update_changes_only_the_given_fields() {
    let mut s = store();
    account(&mut s, "Initech", None);
    ops::create_opportunity(&mut s, &opportunity("Initech", "Premium", "6000")).unwrap();
    let changes = OpportunityChanges {
        opportunity: "Premium".into(),
        stage: Some("proposal".into()),
        has_pitch_deck: Some(true),
        ..Default::default()
    };
    let (o, added) = with_outbox(&mut s, |s| ops::update_opportunity(s, &changes));
    assert_eq!(
        (o.stage, o.has_pitch_deck, added),
        (OpportunityStage::Proposal, true, 1)
    );
    assert_eq!(o.amount, Money::from_dollars(6_000), "kept");
}

#[test]
fn closing_a_deal_says_why_it_was_won_or_lost() {
    let mut s = store();
    account(&mut s, "Initech", None);
    ops::create_opportunity(&mut s, &opportunity("Initech", "Premium", "6000")).unwrap();
    let mut changes = OpportunityChanges {
        opportunity: "Premium".into(),
        stage: Some("closed_lost".into()),
        ..Default::default()
    };
    let err = fails_writing_nothing(&mut s, |s| ops::update_opportunity(s, &changes));
    assert!(err.to_string().starts_with("win_loss_reason:"), "{err}");
    changes.win_loss_reason = Some("Chose the incumbent".into());
    ops::update_opportunity(&mut s, &changes).unwrap();
}

#[test]
fn an_opportunity_on_an_unknown_account_or_with_a_bad_close_date_writes_nothing() {
    let mut s = store();
    account(&mut s, "Initech", None);
    let err = fails_writing_nothing(&mut s, |s| {
        ops::create_opportunity(s, &opportunity("Hooli", "Deal", "100"))
    });
    assert_eq!(err.code(), "not_found");
    let mut bad = opportunity("Initech", "Deal", "100");
    bad.close_date = "2027-02-30".into();
    let err = fails_writing_nothing(&mut s, |s| ops::create_opportunity(s, &bad));
    assert!(err.to_string().starts_with("close_date:"), "{err}");
    let mut bad = opportunity("Initech", "Deal", "100");
    bad.segment = "Enterprise".into();
    let err = fails_writing_nothing(&mut s, |s| ops::create_opportunity(s, &bad));
    assert_eq!(
        err.to_string(),
        "segment: \"Enterprise\" is not one of: smb, mid_market"
    );
}

#[test]
fn opportunities_list_by_partner_and_r7_gaps() {
    let mut s = store();
    partner(&mut s, "Acme");
    account(&mut s, "Initech", Some("Acme"));
    account(&mut s, "Hooli", None);
    ops::create_opportunity(&mut s, &opportunity("Initech", "Big", "9000")).unwrap();
    ops::create_opportunity(&mut s, &opportunity("Hooli", "Small", "100")).unwrap();
    let query = ops::OpportunityQuery {
        partner: Some("Acme".into()),
        ..Default::default()
    };
    let names: Vec<_> = ops::list_opportunities(s.read(), &query)
        .unwrap()
        .into_iter()
        .map(|l| l.opportunity.name)
        .collect();
    assert_eq!(names, vec!["Big"], "co-sold through the account");
    let gaps = ops::OpportunityQuery {
        r7_gaps_only: true,
        ..Default::default()
    };
    assert_eq!(ops::list_opportunities(s.read(), &gaps).unwrap().len(), 1);
    let on_hooli = ops::OpportunityQuery {
        account: Some("Hooli".into()),
        ..Default::default()
    };
    let names: Vec<_> = ops::list_opportunities(s.read(), &on_hooli)
        .unwrap()
        .into_iter()
        .map(|l| l.opportunity.name)
        .collect();
    assert_eq!(names, vec!["Small"], "only the account's deals");
}

#[test]
fn every_field_of_a_deal_can_be_changed_and_a_wrong_segment_changes_its_r7_thresholds() {
    let mut s = store();
    partner(&mut s, "Acme");
    let globex = partner(&mut s, "Globex");
    account(&mut s, "Initech", Some("Acme"));
    let mut input = opportunity("Initech", "Premium", "12000");
    input.iacv = Some("12000".into());
    input.registered_partner = Some("Acme".into());
    ops::create_opportunity(&mut s, &input).unwrap();
    let r7 = |s: &Store| {
        ops::list_opportunities(s.read(), &Default::default()).unwrap()[0]
            .r7
            .clone()
    };
    assert!(
        r7(&s).command_plan_missing,
        "SMB over $10k IACV needs a full plan"
    );

    let changes = OpportunityChanges {
        opportunity: "Premium".into(),
        name: Some(" Premium Expansion ".into()),
        opportunity_type: Some("Add-On Business".into()),
        segment: Some("mid_market".into()),
        amount: Some("$14,000".into()),
        iacv: Some("14000".into()),
        close_date: Some("2027-01-15".into()),
        registered_partner: Some("Globex".into()),
        command_plan: Some("overview".into()),
        has_pitch_deck: Some(true),
        pitch_deck_url: Some("https://decks.example.com/initech".into()),
        customer_understanding: Some("Sees us as the DevSecOps platform".into()),
        understanding_via_partner: Some(true),
        partner_discount: Some("1400".into()),
        services_attach: Some("3000".into()),
        owner: Some("ae2@vendor.example".into()),
        ..Default::default()
    };
    let (o, added) = with_outbox(&mut s, |s| ops::update_opportunity(s, &changes));
    assert_eq!(added, 1);
    assert_eq!(o.name, "Premium Expansion");
    assert_eq!(
        (o.opportunity_type, o.segment, o.close_date),
        (OpportunityType::AddOn, Segment::MidMarket, d("2027-01-15"))
    );
    assert_eq!(
        (o.amount, o.iacv),
        (Money::from_dollars(14_000), Money::from_dollars(14_000))
    );
    assert_eq!(o.registered_partner_id, Some(globex.id));
    assert_eq!(o.pitch_deck_url, "https://decks.example.com/initech");
    assert!(o.understanding_via_partner && o.has_pitch_deck);
    assert_eq!(
        (o.partner_discount, o.services_attach),
        (Money::from_dollars(1_400), Money::from_dollars(3_000))
    );
    assert_eq!(o.owner, "ae2@vendor.example");
    let line = ops::list_opportunities(s.read(), &Default::default())
        .unwrap()
        .remove(0);
    assert!(
        !line.r7.command_plan_missing,
        "mid-market: an overview is enough at $14k"
    );
    assert_eq!(
        line.channel_neutral_credit,
        Money::from_dollars(1_400),
        "credited back to the seller"
    );
    assert!(
        line.co_selling_partner_id.is_some(),
        "Acme still co-sells through the account"
    );

    let unregister = OpportunityChanges {
        opportunity: o.id.clone(),
        registered_partner: Some(String::new()),
        ..Default::default()
    };
    assert_eq!(
        ops::update_opportunity(&mut s, &unregister)
            .unwrap()
            .registered_partner_id,
        None
    );
}

#[test]
fn a_deal_edit_that_breaks_a_rule_names_the_field_and_writes_nothing() {
    let mut s = store();
    account(&mut s, "Initech", None);
    ops::create_opportunity(&mut s, &opportunity("Initech", "Premium", "1000")).unwrap();
    let cases: [(OpportunityChanges, &str); 5] = [
        (
            OpportunityChanges {
                segment: Some("enterprise".into()),
                ..Default::default()
            },
            "segment:",
        ),
        (
            OpportunityChanges {
                opportunity_type: Some("barter".into()),
                ..Default::default()
            },
            "type:",
        ),
        (
            OpportunityChanges {
                partner_discount: Some("2000".into()),
                ..Default::default()
            },
            "partner_discount:",
        ),
        (
            OpportunityChanges {
                pitch_deck_url: Some("deck.pdf".into()),
                ..Default::default()
            },
            "pitch_deck_url:",
        ),
        (
            OpportunityChanges {
                registered_partner: Some("Nobody".into()),
                ..Default::default()
            },
            "",
        ),
    ];
    for (mut change, field) in cases {
        change.opportunity = "Premium".into();
        let err = fails_writing_nothing(&mut s, |s| ops::update_opportunity(s, &change));
        assert!(err.to_string().starts_with(field), "{field}: {err}");
    }
}

#[test]
fn an_open_deal_past_its_close_date_or_without_a_next_step_is_flagged() {
    let mut s = store();
    account(&mut s, "Initech", None);
    let mut late = opportunity("Initech", "Late", "100");
    late.close_date = "2020-01-31".into();
    ops::create_opportunity(&mut s, &late).unwrap();
    ops::create_opportunity(&mut s, &opportunity("Initech", "Planned", "100")).unwrap();
    let mut won = opportunity("Initech", "Won", "100");
    won.close_date = "2020-01-31".into();
    won.stage = Some("closed_won".into());
    won.win_loss_reason = Some("Partner-led proof of value".into());
    ops::create_opportunity(&mut s, &won).unwrap();
    ops::add_next_step(
        &mut s,
        &ops::NewStandaloneNextStep {
            step: ops::NewNextStep {
                description: "Send the proposal".into(),
                owner: "ae@vendor.example".into(),
                due_on: "2030-01-01".into(),
                agreed_with_partner: false,
            },
            opportunity: Some("Planned".into()),
            ..Default::default()
        },
    )
    .unwrap();
    let flags: std::collections::BTreeMap<_, _> =
        ops::list_opportunities(s.read(), &Default::default())
            .unwrap()
            .into_iter()
            .map(|l| {
                (
                    l.opportunity.name,
                    (l.attention.past_close_date, l.attention.no_next_step),
                )
            })
            .collect();
    assert_eq!(flags["Late"], (true, true));
    assert_eq!(flags["Planned"], (false, false), "an open step on the deal");
    assert_eq!(flags["Won"], (false, false), "a closed deal needs nothing");
}

#[test]
fn an_account_is_edited_in_full_and_a_taken_name_is_refused() {
    let mut s = store();
    partner(&mut s, "Acme");
    account(&mut s, "Initech", None);
    account(&mut s, "Hooli", None);
    let changes = ops::AccountChanges {
        account: "Initech".into(),
        tier: Some("tier1".into()),
        tier_notes: Some("The partner found a 2,000-seat expansion".into()),
        carr: Some("$48,000".into()),
        partner: Some("Acme".into()),
        owner: Some("ae2@vendor.example".into()),
        ..Default::default()
    };
    let (a, added) = with_outbox(&mut s, |s| ops::update_account(s, &changes));
    assert_eq!(added, 1);
    assert_eq!((a.tier, a.carr), (Tier::Tier1, Money::from_dollars(48_000)));
    assert_eq!(a.tier_notes, "The partner found a 2,000-seat expansion");
    assert!(a.partner_id.is_some());
    assert_eq!(a.owner, "ae2@vendor.example");

    let rename = ops::AccountChanges {
        account: "Initech".into(),
        name: Some("hooli".into()),
        ..Default::default()
    };
    let err = fails_writing_nothing(&mut s, |s| ops::update_account(s, &rename));
    assert_eq!(err.code(), "duplicate");
    for (carr, field) in [("-5", "carr:"), ("lots", "carr:")] {
        let bad = ops::AccountChanges {
            account: "Initech".into(),
            carr: Some(carr.into()),
            ..Default::default()
        };
        let err = fails_writing_nothing(&mut s, |s| ops::update_account(s, &bad));
        assert!(err.to_string().starts_with(field), "{carr}: {err}");
    }
    let drop_partner = ops::AccountChanges {
        account: "Initech".into(),
        partner: Some(String::new()),
        ..Default::default()
    };
    assert_eq!(
        ops::update_account(&mut s, &drop_partner)
            .unwrap()
            .partner_id,
        None
    );
}

#[test]
fn the_accounts_list_shows_pipeline_tiering_the_last_call_and_the_next_step() {
    let mut s = store();
    partner(&mut s, "Acme");
    account(&mut s, "Initech", Some("Acme"));
    account(&mut s, "Hooli", None);
    account(&mut s, "Globex", Some("Acme"));
    let mut open = opportunity("Initech", "Premium", "12000");
    open.stage = Some("proposal".into());
    ops::create_opportunity(&mut s, &open).unwrap();
    let mut won = opportunity("Initech", "Starter", "3000");
    won.stage = Some("closed_won".into());
    won.win_loss_reason = Some("Price".into());
    ops::create_opportunity(&mut s, &won).unwrap();
    // Hooli pays today: a customer, untiered, no open deal.
    ops::update_account(
        &mut s,
        &ops::AccountChanges {
            account: "Hooli".into(),
            carr: Some("9000".into()),
            ..Default::default()
        },
    )
    .unwrap();
    for (title, at) in [("First call", "2026-10-01"), ("Latest call", "2026-11-20")] {
        ops::log_note(
            &mut s,
            &ops::NewNote {
                title: title.into(),
                opportunity: Some("Premium".into()),
                author: "ae@vendor.example".into(),
                occurred_at: Some(at.into()),
                next_steps: vec![ops::NewNextStep {
                    description: format!("After the {title}"),
                    owner: "ae@vendor.example".into(),
                    due_on: if title == "First call" {
                        "2026-12-01"
                    } else {
                        "2026-12-15"
                    }
                    .into(),
                    agreed_with_partner: true,
                }],
                ..Default::default()
            },
        )
        .unwrap();
    }

    let lines = ops::list_account_lines(s.read(), &Default::default()).unwrap();
    let by_name: std::collections::HashMap<_, _> =
        lines.iter().map(|l| (l.account.name.as_str(), l)).collect();
    let initech = by_name["Initech"];
    assert_eq!(
        (initech.open_deals, initech.open_pipeline),
        (1, Money::from_dollars(12_000))
    );
    assert_eq!(initech.partner_name.as_deref(), Some("Acme"));
    assert!(initech.needs_tier, "a prospect with an open deal");
    assert_eq!(initech.last_note.as_ref().unwrap().title, "Latest call");
    let step = initech.next_step.as_ref().unwrap();
    assert_eq!(
        (step.description.as_str(), step.due_on),
        ("After the First call", d("2026-12-01"))
    );
    assert!(by_name["Hooli"].needs_tier, "a customer with CARR");
    assert!(
        !by_name["Globex"].needs_tier,
        "a prospect with nothing open"
    );
    assert!(by_name["Globex"].last_note.is_none() && by_name["Globex"].next_step.is_none());

    let acme = ops::AccountQuery {
        partner: Some("Acme".into()),
        ..Default::default()
    };
    let names: Vec<_> = ops::list_account_lines(s.read(), &acme)
        .unwrap()
        .into_iter()
        .map(|l| l.account.name)
        .collect();
    assert_eq!(names, ["Globex", "Initech"]);
    let untiered = ops::AccountQuery {
        needs_tier_only: true,
        ..Default::default()
    };
    let names: Vec<_> = ops::list_account_lines(s.read(), &untiered)
        .unwrap()
        .into_iter()
        .map(|l| l.account.name)
        .collect();
    assert_eq!(names, ["Hooli", "Initech"]);
}

#[test]
fn a_renewal_carries_its_incumbent_and_the_first_right_of_refusal_while_in_good_standing() {
    let mut s = store();
    partner(&mut s, "Acme");
    partner(&mut s, "Globex");
    account(&mut s, "Initech", Some("Acme"));
    // Acme sold the deal being renewed.
    let mut won = opportunity("Initech", "Year one", "12000");
    won.stage = Some("closed_won".into());
    won.win_loss_reason = Some("Partner-led".into());
    won.close_date = "2026-01-31".into();
    ops::create_opportunity(&mut s, &won).unwrap();

    let mut renewal = opportunity("Initech", "Year two", "12000");
    renewal.opportunity_type = Some("renewal".into());
    let renewal = ops::create_opportunity(&mut s, &renewal).unwrap();
    let acme = s.read().resolve_partner("Acme").unwrap();
    assert_eq!(
        renewal.incumbent_partner_id.as_deref(),
        Some(acme.id.as_str()),
        "the partner that sold the last won deal"
    );
    let right = |s: &Store| {
        ops::list_opportunities(s.read(), &ops::OpportunityQuery::default())
            .unwrap()
            .into_iter()
            .find(|l| l.opportunity.id == renewal.id)
            .unwrap()
            .incumbent
            .unwrap()
    };
    // Not in good standing yet: Acme has a compliance gap and has not called on the account.
    let r = right(&s);
    assert_eq!(r.partner_name, "Acme");
    assert!(!r.compliant && !r.supporting_customer && !r.first_right_of_refusal);

    // Acme certifies the people its Open track asks for, and calls on the customer.
    for (name, cert) in [
        ("Ana", "sales-core"),
        ("Bo", "sales-core"),
        ("Cy", "sa-core"),
    ] {
        let email = format!("{}@acme.example", name.to_lowercase());
        super::enablement::person(&mut s, "Acme", name, &email);
        ops::plan_enablement(
            &mut s,
            &ops::NewEnablementItem {
                partner: "Acme".into(),
                person: email,
                certification: Some(cert.into()),
                status: Some("certified".into()),
                completed_on: Some("2026-03-01".into()),
                ..Default::default()
            },
            d(TODAY),
        )
        .unwrap();
    }
    let call_day = cdesk_core::time::today() - chrono::Days::new(30);
    ops::log_note(
        &mut s,
        &ops::NewNote {
            title: "Support review".into(),
            account: Some("Initech".into()),
            partner: Some("Acme".into()),
            author: "cam@vendor.example".into(),
            occurred_at: Some(call_day.to_string()),
            ..Default::default()
        },
    )
    .unwrap();
    let r = right(&s);
    assert!(r.compliant && r.supporting_customer && r.first_right_of_refusal && !r.passed_over);

    // Globex registers the renewal: Acme's right is passed over.
    let change = |s: &mut Store, changes: ops::OpportunityChanges| {
        ops::update_opportunity(
            s,
            &ops::OpportunityChanges {
                opportunity: renewal.id.clone(),
                ..changes
            },
        )
        .unwrap()
    };
    change(
        &mut s,
        ops::OpportunityChanges {
            registered_partner: Some("Globex".into()),
            ..Default::default()
        },
    );
    assert!(right(&s).passed_over);

    // The customer says it does not want Acme: the right lapses.
    change(
        &mut s,
        ops::OpportunityChanges {
            incumbent_declined_by_customer: Some(true),
            ..Default::default()
        },
    );
    let r = right(&s);
    assert!(r.declined_by_customer && !r.first_right_of_refusal && !r.passed_over);

    // No incumbent at all.
    let saved = change(
        &mut s,
        ops::OpportunityChanges {
            incumbent_partner: Some(String::new()),
            ..Default::default()
        },
    );
    assert_eq!(saved.incumbent_partner_id, None);
}
