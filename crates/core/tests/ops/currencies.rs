//! Money in the partner's currency: plans, accounts and deals carry an ISO 4217 currency, and
//! sums across currencies convert at the exchange rates an admin keeps, saying so.

use cdesk_core::ops::{ExchangeRateInput, NewOpportunity, OpportunityChanges, PlanChanges};

use super::*;

/// A deal of `iacv` (whole units) in `currency`, or the account's when `None`.
fn deal(
    s: &mut Store,
    name: &str,
    kind: &str,
    stage: &str,
    iacv: i64,
    currency: Option<&str>,
) -> Opportunity {
    let input = NewOpportunity {
        account: "Initech".into(),
        name: name.into(),
        segment: "smb".into(),
        close_date: "2026-06-30".into(),
        opportunity_type: Some(kind.into()),
        stage: Some(stage.into()),
        amount: Some(iacv.to_string()),
        iacv: Some(iacv.to_string()),
        currency: currency.map(Into::into),
        win_loss_reason: stage
            .starts_with("closed")
            .then(|| format!("{name} reason")),
        ..Default::default()
    };
    ops::create_opportunity(s, &input).unwrap()
}

fn rate(s: &mut Store, currency: &str, usd: &str) {
    let input = ExchangeRateInput {
        currency: currency.into(),
        usd_per_unit: usd.into(),
        as_of: Some("2026-12-01".into()),
    };
    ops::set_exchange_rate(s, &input).unwrap();
}

/// Acme sells in euros; its FY27 plan (begun after that) targets €100,000 growth and €50,000
/// new-customer ARR. Initech, its account, takes its currency, and so do deals on it unless
/// they say otherwise.
fn euro_desk() -> Store {
    let mut s = store();
    let acme = ops::NewPartner {
        currency: Some("eur".into()),
        ..new_partner("Acme")
    };
    ops::create_partner(&mut s, &acme).unwrap();
    let plan = PlanChanges {
        partner: "Acme".into(),
        fiscal_year: 2027,
        growth_arr_target: Some("€100,000".into()),
        new_customer_arr_target: Some("50000".into()),
        ..Default::default()
    };
    ops::save_plan(&mut s, &plan).unwrap();
    super::selling::account(&mut s, "Initech", Some("Acme"));
    deal(
        &mut s,
        "Euro win",
        "new_business",
        "closed_won",
        10_000,
        None,
    );
    deal(
        &mut s,
        "Dollar win",
        "add_on",
        "closed_won",
        10_800,
        Some("USD"),
    );
    deal(
        &mut s,
        "Pound win",
        "add_on",
        "closed_won",
        1_000,
        Some("GBP"),
    );
    deal(
        &mut s,
        "Yen win",
        "new_business",
        "closed_won",
        1_000_000,
        Some("JPY"),
    );
    deal(&mut s, "Euro open", "add_on", "proposal", 5_000, None);
    deal(
        &mut s,
        "Dollar open",
        "add_on",
        "proposal",
        2_160,
        Some("USD"),
    );
    s
}

#[test]
fn records_take_their_partners_currency_and_a_bad_code_is_refused_naming_it() {
    let mut s = euro_desk();
    let acme = s.read().resolve_partner("Acme").unwrap();
    assert_eq!(acme.currency.as_str(), "EUR");
    let plan = s.read().business_plan(&acme.id, 2027).unwrap();
    assert_eq!(plan.unwrap().currency, Currency("EUR".into()));
    let initech = s.read().find_account("Initech").unwrap().unwrap();
    assert_eq!(initech.currency.as_str(), "EUR");
    let deals = s.read().opportunities(None).unwrap();
    let euro = deals.iter().find(|o| o.name == "Euro win").unwrap();
    assert_eq!(euro.currency.as_str(), "EUR", "the account's");

    let bad = NewOpportunity {
        currency: Some("EURO".into()),
        ..super::selling::opportunity("Initech", "Typo", "100")
    };
    let err = fails_writing_nothing(&mut s, |s| ops::create_opportunity(s, &bad));
    assert_eq!(
        err.to_string(),
        "currency: \"EURO\" is not an ISO 4217 currency code like USD, EUR or JPY"
    );
    let replaced = OpportunityChanges {
        opportunity: "Euro win".into(),
        currency: Some("HRK".into()),
        ..Default::default()
    };
    let err = fails_writing_nothing(&mut s, |s| ops::update_opportunity(s, &replaced));
    assert!(err.to_string().contains("replaced by EUR"), "{err}");
}

#[test]
fn a_plan_in_euros_sums_deals_in_other_currencies_at_the_admins_rates_and_says_so() {
    let mut s = euro_desk();
    rate(&mut s, "EUR", "1.08");
    rate(&mut s, "GBP", "1.35");
    let a = ops::plan_actuals(s.read(), "Acme", 2027, d(TODAY)).unwrap();
    assert_eq!(a.currency.as_str(), "EUR");
    // €10,000; the yen deal has no rate and is left out.
    assert_eq!(a.new_customer_arr.actual, Money::from_dollars(10_000));
    assert_eq!(a.new_customer_arr.target, Some(Money::from_dollars(50_000)));
    // $10,800 is €10,000; £1,000 is $1,350, which is €1,250.
    assert_eq!(a.growth_arr.actual, Money::from_dollars(11_250));
    // €5,000 and $2,160 (€2,000).
    assert_eq!(a.open_pipeline, Money::from_dollars(7_000));
    assert_eq!(a.conversion.missing, vec![Currency("JPY".into())]);
    assert_eq!(
        a.conversion.lines,
        [
            "Amounts in GBP and USD converted to EUR at the exchange rates in the rules: \
             1 GBP = 1.35 USD (2026-12-01), 1 EUR = 1.08 USD (2026-12-01)."
                .to_string(),
            "No exchange rate for JPY: amounts in it are left out of these sums until an admin \
             adds the rate to the rules."
                .to_string(),
        ]
    );
    let yen = a.won.iter().find(|w| w.name == "Yen win").unwrap();
    assert_eq!(
        (yen.currency.as_str(), yen.iacv, yen.iacv_converted),
        ("JPY", Money::from_dollars(1_000_000), None),
        "listed in its own currency, not converted"
    );

    // The admin adds the yen: ¥1,000,000 at 0.0067 is $6,700, which is €6,203.70.
    rate(&mut s, "jpy", "0.0067");
    let a = ops::plan_actuals(s.read(), "Acme", 2027, d(TODAY)).unwrap();
    assert_eq!(a.new_customer_arr.actual, Money(1_000_000 + 620_370));
    assert!(a.conversion.missing.is_empty());

    // The partners list sums the same, in the plan's currency.
    let lines = ops::list_partner_lines(s.read(), &Default::default(), d(TODAY)).unwrap();
    let acme = &lines[0];
    assert_eq!(acme.arr_currency.as_str(), "EUR");
    assert_eq!(acme.arr_won, Money(1_620_370 + 1_125_000));
    assert_eq!(acme.arr_target, Some(Money::from_dollars(150_000)));
    assert_eq!(acme.arr_conversion.len(), 1);

    // The roll-up is in dollars: €150,000 is $162,000; won: €10,000 ($10,800) + $10,800 +
    // £1,000 ($1,350) + ¥1,000,000 ($6,700).
    let r = ops::rollup(s.read(), d(TODAY), 2027, &ops::Audience::everyone()).unwrap();
    assert_eq!(r.currency.as_str(), "USD");
    let cam = &r.cams[0];
    assert_eq!(cam.arr_target, Money::from_dollars(162_000));
    assert_eq!(
        cam.arr_won,
        Money::from_dollars(10_800 + 10_800 + 1_350 + 6_700)
    );
    assert_eq!(cam.open_pipeline, Money::from_dollars(5_400 + 2_160));
    assert!(
        r.conversion.lines[0].starts_with("Amounts in EUR, GBP and JPY converted to USD"),
        "{:?}",
        r.conversion.lines
    );

    // The Accounts screen: Initech's open deals in euros, the dollar one converted.
    let accounts = ops::list_account_lines(s.read(), &Default::default()).unwrap();
    assert_eq!(accounts[0].open_pipeline, Money::from_dollars(7_000));
    assert_eq!(accounts[0].open_deals, 2);

    // Without the pound's rate its deal drops out again, and the sums say so.
    ops::remove_exchange_rate(&mut s, "GBP").unwrap();
    let a = ops::plan_actuals(s.read(), "Acme", 2027, d(TODAY)).unwrap();
    assert_eq!(a.growth_arr.actual, Money::from_dollars(10_000));
    assert_eq!(a.conversion.missing, vec![Currency("GBP".into())]);
}

#[test]
fn r7_thresholds_in_dollars_apply_to_a_deal_in_euros_converted() {
    let mut s = euro_desk();
    let book = s.read().rule_book().unwrap();
    let deck = book
        .r7_thresholds
        .iter()
        .find(|t| {
            t.segment == Segment::Smb
                && t.requirement == R7Requirement::PitchDeck
                && t.metric == R7Metric::Amount
        })
        .expect("a seeded SMB pitch-deck threshold on the amount")
        .threshold;
    // Just under the threshold in euros, over it in dollars once converted at 1.08.
    let under = Money(deck.cents() * 100 / 105);
    let mut input = super::selling::opportunity("Initech", "Close call", "0");
    input.amount = Some(format!(
        "{}.{:02}",
        under.cents() / 100,
        under.cents() % 100
    ));
    ops::create_opportunity(&mut s, &input).unwrap();
    let needs_deck = |s: &Store| {
        let q = ops::OpportunityQuery::default();
        ops::list_opportunities(s.read(), &q)
            .unwrap()
            .into_iter()
            .find(|l| l.opportunity.name == "Close call")
            .unwrap()
            .r7
            .pitch_deck_required
    };
    assert!(
        !needs_deck(&s),
        "without a rate the amount is compared as it is"
    );
    rate(&mut s, "EUR", "1.08");
    assert!(
        needs_deck(&s),
        "{under:?} euro cents are over {deck:?} dollar cents at 1.08"
    );
}

#[test]
fn only_an_admin_keeps_the_exchange_rates_and_a_rate_must_make_sense() {
    let mut s = store();
    let bad = |currency: &str, usd: &str| ExchangeRateInput {
        currency: currency.into(),
        usd_per_unit: usd.into(),
        as_of: None,
    };
    for (input, field) in [
        (bad("EUR", "0"), "usd_per_unit"),
        (bad("EUR", "1,08"), "usd_per_unit"),
        (bad("USD", "1"), "currency"),
        (bad("XYZ", "1"), "currency"),
    ] {
        let err = fails_writing_nothing(&mut s, |s| ops::set_exchange_rate(s, &input));
        assert!(err.to_string().starts_with(field), "{err}");
    }
    let (saved, written) = with_outbox(&mut s, |s| ops::set_exchange_rate(s, &bad("EUR", "1.08")));
    assert_eq!((saved.as_of, written), (cdesk_core::time::today(), 1));
    let (again, _) = with_outbox(&mut s, |s| ops::set_exchange_rate(s, &bad("eur", "1.1")));
    assert_eq!(
        again.id, saved.id,
        "one rate per currency, changed in place"
    );
    assert_eq!(s.read().rule_book().unwrap().exchange_rates.len(), 1);

    s.set_profile_role(Some(cdesk_protocol::Role::Cam)).unwrap();
    let err = fails_writing_nothing(&mut s, |s| ops::set_exchange_rate(s, &bad("GBP", "1.3")));
    assert!(err.to_string().contains("only a program admin"), "{err}");
    let err = fails_writing_nothing(&mut s, |s| ops::remove_exchange_rate(s, "EUR"));
    assert!(err.to_string().contains("only a program admin"), "{err}");
}
