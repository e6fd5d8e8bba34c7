//! Each command group does what it says, in text and in JSON.

use super::*;

#[test]
fn partners_list_filters_and_show_has_every_section() {
    let desk = Desk::new();
    desk.acme();
    desk.ok(&[
        "partner",
        "add",
        "Globex",
        "--type",
        "msp",
        "--track",
        "select",
        "--region",
        "apac",
        "--owner",
        "cam2@vendor.example",
    ]);
    let select = desk.json(&["partner", "list", "--track", "Select"]);
    assert_eq!(select.as_array().unwrap().len(), 1);
    assert_eq!(select[0]["name"], "Globex");
    let by_type = desk.json(&[
        "partner",
        "list",
        "--type",
        "boutique_si",
        "--region",
        "emea",
    ]);
    assert_eq!(by_type[0]["name"], "Acme");
    desk.ok(&["partner", "tick", "Acme", "onb-portal"]);
    desk.ok(&[
        "partner",
        "badge-grant",
        "Acme",
        "psp",
        "--on",
        "2025-12-10",
    ]);
    let text = desk.ok(&["partner", "show", "acme"]);
    for part in [
        "Solution Provider",
        "[x] onb-portal",
        "Compliance",
        "People and enablement",
        "Ana Lima",
        "granted 2025-12-10, review 2026-12 (evidence due), evidence from 2026-11-01",
    ] {
        assert!(text.contains(part), "shows {part:?}: {text}");
    }
    let json = desk.json(&["partner", "show", "Acme"]);
    assert_eq!(json["partner"]["badges"][0]["badge_id"], "psp");
}

#[test]
fn opportunities_list_with_their_r7_flags() {
    let desk = Desk::new();
    desk.acme();
    desk.ok(&[
        "account",
        "add",
        "Initech",
        "--owner",
        "ae@vendor.example",
        "--partner",
        "Acme",
    ]);
    desk.ok(&[
        "opp",
        "add",
        "--account",
        "Initech",
        "--name",
        "Premium",
        "--segment",
        "smb",
        "--close",
        "2027-01-31",
        "--amount",
        "12000",
        "--iacv",
        "12000",
        "--command-plan",
        "overview",
    ]);
    let text = desk.ok(&["opp", "list"]);
    assert!(
        text.contains("plan full!, deck!"),
        "a full plan and a deck are missing: {text}"
    );
    let json = desk.json(&["opp", "list", "--r7-gaps"]);
    assert_eq!(json[0]["r7"]["command_plan_required"], "full");
    desk.ok(&[
        "opp",
        "edit",
        "Premium",
        "--command-plan",
        "full",
        "--pitch-deck",
        "yes",
    ]);
    assert!(desk
        .json(&["opp", "list", "--r7-gaps"])
        .as_array()
        .unwrap()
        .is_empty());
}

#[test]
fn a_rep_corrects_a_deal_closes_it_won_and_the_cam_sees_it_in_the_plan() {
    let desk = Desk::new();
    desk.acme();
    desk.ok(&[
        "plan",
        "set",
        "--partner",
        "Acme",
        "--year",
        "FY27",
        "--new-customer-arr",
        "50000",
    ]);
    desk.ok(&[
        "account",
        "add",
        "Initech",
        "--owner",
        "ae@vendor.example",
        "--partner",
        "Acme",
    ]);
    desk.ok(&[
        "opp",
        "add",
        "--account",
        "Initech",
        "--name",
        "Premium",
        "--segment",
        "smb",
        "--close",
        "2026-12-15",
        "--amount",
        "12000",
        "--iacv",
        "12000",
    ]);
    // Entered as SMB; it is mid-market, where $12,000 needs only an overview plan.
    let edited = desk.json(&[
        "opp",
        "edit",
        "Premium",
        "--segment",
        "mid_market",
        "--type",
        "new_business",
        "--command-plan",
        "overview",
        "--partner",
        "Acme",
        "--discount",
        "1800",
        "--services",
        "2500",
        "--deck-url",
        "https://decks.example.com/premium",
        "--via-partner",
        "yes",
        "--understanding",
        "The platform for their whole SDLC",
    ]);
    assert_eq!(edited["segment"], "mid_market");
    assert_eq!(edited["partner_discount"], 180_000, "in cents");
    assert_eq!(edited["understanding_via_partner"], true);
    let lines = desk.json(&["opp", "list", "--r7-gaps"]);
    assert!(
        lines.as_array().unwrap().is_empty(),
        "no R7 gap once mid-market: {lines}"
    );

    let (_, err) = desk.fails(&["opp", "edit", "Premium", "--stage", "closed_won"]);
    assert!(
        err.contains("win_loss_reason"),
        "a reason is asked for: {err}"
    );
    desk.ok(&[
        "opp",
        "edit",
        "Premium",
        "--stage",
        "closed_won",
        "--reason",
        "Partner-led proof of value",
    ]);

    let actuals = desk.json(&["plan", "actuals", "--partner", "Acme", "--year", "FY27"]);
    assert_eq!(actuals["new_customer_arr"]["actual"], 1_200_000);
    assert_eq!(actuals["new_customer_arr"]["target"], 5_000_000);
    assert_eq!(actuals["won"][0]["reason"], "Partner-led proof of value");
    let text = desk.ok(&["plan", "actuals", "--partner", "Acme", "--year", "FY27"]);
    assert!(
        text.contains("new-customer ARR:  $12,000.00 of $50,000.00"),
        "{text}"
    );
}

#[test]
fn accounts_are_edited_and_listed_with_what_r7_asks() {
    let desk = Desk::new();
    desk.acme();
    desk.ok(&[
        "account",
        "add",
        "Initech",
        "--owner",
        "ae@vendor.example",
        "--partner",
        "Acme",
    ]);
    desk.ok(&["account", "add", "Hooli", "--owner", "ae@vendor.example"]);
    let edited = desk.json(&[
        "account",
        "edit",
        "Hooli",
        "--carr",
        "$9,000",
        "--tier-notes",
        "Pays for 50 seats",
    ]);
    assert_eq!(edited["carr"], 900_000);
    let text = desk.ok(&["account", "list", "--needs-tier"]);
    assert!(
        text.contains("Hooli") && text.contains("untiered!"),
        "a customer needs a tier: {text}"
    );
    assert!(
        !text.contains("Initech"),
        "a prospect with nothing open does not: {text}"
    );
    desk.ok(&[
        "account",
        "edit",
        "Hooli",
        "--tier",
        "tier3",
        "--partner",
        "Acme",
    ]);
    assert!(desk
        .json(&["account", "list", "--needs-tier"])
        .as_array()
        .unwrap()
        .is_empty());
    let acme = desk.json(&["account", "list", "--partner", "Acme"]);
    assert_eq!(acme.as_array().unwrap().len(), 2);
    let (_, err) = desk.fails(&["account", "edit", "Hooli", "--name", "initech"]);
    assert!(err.contains("already exists"), "{err}");
}

#[test]
fn the_cam_chases_an_overdue_partner_task_and_today_narrows_to_whose_work() {
    let desk = Desk::new();
    desk.acme();
    let step = desk.json(&[
        "next-step",
        "add",
        "--partner",
        "Acme",
        "--description",
        "Acme sends the SOW",
        "--owner",
        "partner",
        "--due",
        "2026-11-20",
        "--agreed",
    ]);
    let id = step["id"].as_str().unwrap();
    let overdue = desk.json(&["overdue"]);
    assert_eq!(overdue[0]["channel_manager"], "cam@vendor.example");
    let (_, err) = desk.fails(&[
        "next-step",
        "chase",
        id,
        "--due",
        "2026-11-01",
        "--author",
        "cam@vendor.example",
    ]);
    assert!(err.contains("due_on"), "{err}");
    let done = desk.json(&[
        "next-step",
        "chase",
        id,
        "--due",
        "2026-11-28",
        "--message",
        "Waiting on legal",
        "--author",
        "cam@vendor.example",
    ]);
    assert_eq!(done["step"]["due_on"], "2026-11-28");
    assert_eq!(
        done["note"]["title"],
        "Update requested: Acme sends the SOW"
    );
    assert!(desk.json(&["overdue"]).as_array().unwrap().is_empty());

    // Nobody signed in here: everything is the person's own.
    assert_eq!(desk.json(&["summary"])["scope"], "everyone");
    let mine = desk.json(&["summary", "--scope", "mine"]);
    assert_eq!(mine["scope"], "mine");
    assert!(
        mine["due_soon"].as_array().unwrap().is_empty(),
        "Acme is cam@vendor.example's, not ae@vendor.example's (CDESK_AUTHOR): {mine}"
    );
    assert_eq!(
        desk.json(&["summary", "--scope", "everyone"])["due_soon"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn a_managers_rollup_per_cam_with_their_partners() {
    let desk = Desk::new();
    desk.acme();
    desk.ok(&[
        "plan",
        "set",
        "--partner",
        "Acme",
        "--year",
        "FY27",
        "--growth-arr",
        "80000",
        "--status",
        "agreed",
    ]);
    desk.ok(&[
        "account",
        "add",
        "Initech",
        "--owner",
        "ae@vendor.example",
        "--partner",
        "Acme",
    ]);
    desk.ok(&[
        "opp",
        "add",
        "--account",
        "Initech",
        "--name",
        "Premium",
        "--segment",
        "smb",
        "--close",
        "2026-10-15",
        "--amount",
        "20000",
        "--iacv",
        "20000",
        "--type",
        "add_on",
        "--stage",
        "closed_won",
        "--reason",
        "Partner-led proof of value",
    ]);
    let r = desk.json(&["rollup", "--year", "FY27", "--scope", "everyone"]);
    let cam = &r["cams"][0];
    assert_eq!(cam["cam"], "cam@vendor.example");
    assert_eq!(
        (cam["partners"].as_i64(), cam["plans_agreed"].as_i64()),
        (Some(1), Some(1))
    );
    assert_eq!(
        (cam["arr_won"].as_i64(), cam["arr_target"].as_i64()),
        (Some(2_000_000), Some(8_000_000))
    );
    assert_eq!(cam["lines"][0]["partner_name"], "Acme");
    let text = desk.ok(&[
        "rollup",
        "--year",
        "FY27",
        "--scope",
        "everyone",
        "--partners",
    ]);
    assert!(
        text.contains("$20,000.00 / $80,000.00") && text.contains("  Acme"),
        "{text}"
    );
}

#[test]
fn notes_page_with_limit_and_before() {
    let desk = Desk::new();
    desk.acme();
    for day in 1..=3 {
        let at = format!("2026-11-0{day}");
        desk.ok(&[
            "note",
            "add",
            "--partner",
            "Acme",
            "--title",
            &format!("Call {day}"),
            "--at",
            &at,
        ]);
    }
    let page = desk.json(&["note", "list", "--partner", "Acme", "--limit", "2"]);
    assert_eq!(page["notes"][0]["title"], "Call 3");
    let next = page["next_before"].as_str().unwrap().to_string();
    let page = desk.json(&[
        "note",
        "list",
        "--partner",
        "Acme",
        "--limit",
        "2",
        "--before",
        &next,
    ]);
    assert_eq!(page["notes"][0]["title"], "Call 1");
    assert!(page["next_before"].is_null(), "the last page");
}

#[test]
fn a_next_step_is_done_and_reopened() {
    let desk = Desk::new();
    desk.acme();
    let step = desk.json(&[
        "next-step",
        "add",
        "--partner",
        "Acme",
        "--description",
        "Send SOW",
        "--owner",
        "ana",
        "--due",
        "2026-11-20",
    ]);
    let id = step["id"].as_str().unwrap();
    assert_eq!(desk.json(&["overdue"]).as_array().unwrap().len(), 1);
    assert_eq!(desk.json(&["next-step", "done", id])["status"], "done");
    assert!(desk.json(&["overdue"]).as_array().unwrap().is_empty());
    assert_eq!(desk.json(&["next-step", "reopen", id])["status"], "open");
}

#[test]
fn a_business_plan_is_set_in_parts_and_exported() {
    let desk = Desk::new();
    desk.acme();
    desk.ok(&[
        "plan",
        "set",
        "--partner",
        "Acme",
        "--year",
        "FY27",
        "--goals",
        "Grow migrations",
        "--growth-arr",
        "250000",
        "--commit",
        "PSE;3;2027-06-30",
        "--mdf",
        "Roadshow;12000;Q2",
        "--mdf",
        "Webinars;3000;Q2;approved;2026-10-02",
    ]);
    let (_, err) = desk.fails(&[
        "plan",
        "set",
        "--partner",
        "Acme",
        "--year",
        "FY27",
        "--mdf",
        "Booth;500;Q3;submitted",
    ]);
    assert!(
        err.contains("give the date it was reviewed with the CAM"),
        "{err}"
    );
    let actuals = desk.ok(&["plan", "actuals", "--partner", "Acme", "--year", "FY27"]);
    assert!(
        actuals.contains("Q2               $15,000.00 requested, $3,000.00 approved"),
        "{actuals}"
    );
    // Slide 19 against the Open track, and required once Acme is invited to become a TSP.
    assert!(
        actuals.contains("0 of 3 by 2027-06-30 (0 more planned by then, 0 later): short by 3"),
        "{actuals}"
    );
    assert!(
        actuals.contains("! Sales Core: not committed, the track and badges need 2."),
        "{actuals}"
    );
    desk.ok(&["partner", "edit", "Acme", "--tsp-invited", "2026-11-02"]);
    assert!(desk
        .ok(&["partner", "show", "Acme"])
        .contains("invited to become a Training Services Partner on 2026-11-02"));
    let (_, err) = desk.fails(&["partner", "edit", "Acme", "--tsp-invited", "soon"]);
    assert!(err.contains("tsp_invited_on"), "{err}");
    let other = desk.json(&["plan", "actuals", "--partner", "Acme", "--year", "FY28"]);
    assert_eq!(other["commitments_missing"], true, "no FY28 plan: {other}");
    desk.ok(&["partner", "edit", "Acme", "--tsp-invited", "none"]);
    let other = desk.json(&["plan", "actuals", "--partner", "Acme", "--year", "FY28"]);
    assert_eq!(other["commitments_missing"], false);
    let plan = desk.json(&[
        "plan",
        "set",
        "--partner",
        "Acme",
        "--year",
        "2027",
        "--webinars",
        "4",
    ]);
    assert_eq!(plan["goals"], "Grow migrations", "kept from the first set");
    assert_eq!(plan["joint_webinars"], 4);
    assert_eq!(
        desk.json(&[
            "plan",
            "status",
            "--partner",
            "Acme",
            "--year",
            "FY27",
            "agreed"
        ])["status"],
        "agreed"
    );
    let md = desk.ok(&["plan", "export", "--partner", "Acme", "--format", "md"]);
    assert!(
        md.starts_with('#') && md.contains("Grow migrations"),
        "{md}"
    );
    let out = desk.path().join("plan.html");
    desk.ok(&[
        "plan",
        "export",
        "--partner",
        "Acme",
        "--year",
        "FY27",
        "--format",
        "html",
        "--out",
        out.to_str().unwrap(),
    ]);
    let html = std::fs::read_to_string(out).unwrap();
    assert!(html.contains("<html") && html.contains("Acme"));
}

#[test]
fn export_then_import_round_trips_and_a_bad_file_writes_nothing() {
    let desk = Desk::new();
    desk.acme();
    let file = desk.path().join("partners.csv");
    desk.ok(&["export", "partners", "--out", file.to_str().unwrap()]);
    let preview = desk.json(&["import", "partners", file.to_str().unwrap(), "--preview"]);
    assert_eq!(
        (preview["rows_total"].as_u64(), preview["created"].as_u64()),
        (Some(1), Some(0))
    );
    assert_eq!(preview["committed"], false, "a preview writes nothing");

    let bad = desk.path().join("bad.csv");
    std::fs::write(
        &bad,
        "Name,Types,Track,Region,Owner\nGlobex,dmr,Gold,emea,cam\n",
    )
    .unwrap();
    let before = desk.outbox_pending();
    let (code, stderr) = desk.fails(&["import", "partners", bad.to_str().unwrap()]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("nothing was written"), "{stderr}");
    assert_eq!(desk.outbox_pending(), before);
}

#[test]
fn demo_fills_an_empty_database_only() {
    let desk = Desk::new();
    let summary = desk.json(&["demo", "--partners", "3", "--notes", "20"]);
    assert_eq!(summary["partners"], 3);
    assert_eq!(summary["notes"], 20);
    let (code, stderr) = desk.fails(&["demo", "--partners", "3", "--notes", "20"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("already has 3 partners"), "{stderr}");
}

#[test]
fn a_cam_plans_in_euros_and_the_manager_sees_dollars_at_the_admins_rates() {
    let desk = Desk::new();
    desk.acme();
    desk.ok(&["partner", "edit", "Acme", "--currency", "eur"]);
    desk.ok(&[
        "plan",
        "set",
        "--partner",
        "Acme",
        "--year",
        "FY27",
        "--growth-arr",
        "€100,000",
    ]);
    desk.ok(&[
        "account",
        "add",
        "Initech",
        "--partner",
        "Acme",
        "--carr",
        "9000",
    ]);
    let won = |name: &str, iacv: &str, currency: Option<&str>| {
        let mut args = vec![
            "opp",
            "add",
            "--account",
            "Initech",
            "--name",
            name,
            "--segment",
            "smb",
            "--close",
            "2026-10-15",
            "--iacv",
            iacv,
            "--type",
            "add_on",
            "--stage",
            "closed_won",
            "--reason",
            "Partner-led proof of value",
        ];
        if let Some(c) = currency {
            args.extend(["--currency", c]);
        }
        desk.ok(&args);
    };
    won("Euro deal", "20000", None);
    won("Dollar deal", "10800", Some("USD"));

    let accounts = desk.ok(&["account", "list"]);
    assert!(
        accounts.contains("9,000.00 EUR"),
        "the partner's currency: {accounts}"
    );
    let text = desk.ok(&["plan", "actuals", "--partner", "Acme", "--year", "FY27"]);
    assert!(text.contains("20,000.00 EUR of 100,000.00 EUR"), "{text}");
    assert!(text.contains("No exchange rate for EUR"), "{text}");

    let (code, err) = desk.fails(&["rules", "rate", "EUR", "1,08"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("usd_per_unit"), "{err}");
    desk.ok(&["rules", "rate", "eur", "1.08", "--as-of", "2026-11-20"]);
    let rates = desk.json(&["rules", "list", "rates"]);
    assert_eq!(rates[0]["currency"], "EUR");
    assert_eq!(rates[0]["usd_per_unit"], 1_080_000_000);

    let text = desk.ok(&["plan", "actuals", "--partner", "Acme", "--year", "FY27"]);
    assert!(text.contains("30,000.00 EUR of 100,000.00 EUR"), "{text}");
    assert!(
        text.contains(
            "Amounts in USD converted to EUR at the exchange rates in the rules: \
                       1 EUR = 1.08 USD (2026-11-20)."
        ),
        "{text}"
    );
    let r = desk.json(&["rollup", "--year", "FY27", "--scope", "everyone"]);
    assert_eq!(r["currency"], "USD");
    assert_eq!(
        (
            r["cams"][0]["arr_won"].as_i64(),
            r["cams"][0]["arr_target"].as_i64()
        ),
        (Some(3_240_000), Some(10_800_000)),
        "€20,000 + $10,800 won against €100,000"
    );
    let text = desk.ok(&["rollup", "--year", "FY27", "--scope", "everyone"]);
    assert!(text.contains("$32,400.00 / $108,000.00"), "{text}");
    assert!(text.contains("Amounts in EUR converted to USD"), "{text}");

    desk.ok(&["rules", "remove-rate", "EUR"]);
    assert_eq!(
        desk.json(&["rules", "list", "rates"]),
        serde_json::json!([])
    );
}

#[test]
fn rules_tables_are_listed() {
    let desk = Desk::new();
    let text = desk.ok(&["rules", "list"]);
    for part in [
        "Sales Core",
        "Select",
        "Professional Services Partner (PSP)",
        "Mid-Market",
        "onb-portal",
        "Pricing",
        "Badge reviews",
        "12 months",
    ] {
        assert!(text.contains(part), "{part}: {text}");
    }
    let r7 = desk.json(&["rules", "list", "r7"]);
    assert_eq!(r7.as_array().unwrap().len(), 6);
}

#[test]
fn the_partner_review_of_a_quarter_as_html_pdf_and_json() {
    let desk = Desk::new();
    desk.acme();
    desk.ok(&["account", "add", "Initech", "--partner", "Acme"]);
    desk.ok(&[
        "opp",
        "add",
        "--account",
        "Initech",
        "--name",
        "Premium",
        "--segment",
        "smb",
        "--close",
        "2026-11-10",
        "--amount",
        "20000",
        "--iacv",
        "20000",
        "--type",
        "new_business",
        "--stage",
        "closed_won",
        "--reason",
        "Partner-led <proof> of value",
    ]);
    desk.ok(&[
        "note",
        "add",
        "--partner",
        "Acme",
        "--title",
        "QBR prep",
        "--at",
        "2026-11-20",
    ]);

    // Today is 2026-11-23: Q4 FY27 by default.
    let html_path = desk.path().join("acme.html");
    let said = desk.ok(&["review", "Acme", "--out", html_path.to_str().unwrap()]);
    assert!(said.contains("wrote the Q4 FY27 review of Acme"), "{said}");
    let html = std::fs::read_to_string(&html_path).unwrap();
    for part in [
        "Acme — Partner review, Q4 FY27",
        "Partner-led &lt;proof&gt; of value",
        "QBR prep",
    ] {
        assert!(html.contains(part), "{part}");
    }

    let pdf_path = desk.path().join("acme.pdf");
    desk.ok(&["review", "Acme", "--out", pdf_path.to_str().unwrap()]);
    assert!(std::fs::read(&pdf_path).unwrap().starts_with(b"%PDF-"));

    let earlier = desk.json(&["review", "Acme", "--quarter", "Q3"]);
    assert_eq!(earlier["review"]["quarter"]["first_day"], "2026-08-01");
    assert_eq!(
        earlier["review"]["won_in_quarter"].as_array().map(Vec::len),
        Some(0)
    );
    let now = desk.json(&["review", "Acme"]);
    assert_eq!(now["review"]["won_in_quarter"][0]["name"], "Premium");

    let out = desk.run(&["review", "Acme", "--quarter", "Q5"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("quarter") && err.contains("Q1 to Q4"), "{err}");
}

#[test]
fn a_renewal_names_its_incumbent_and_whether_the_customer_declined_it() {
    let desk = Desk::new();
    desk.acme();
    desk.ok(&["account", "add", "Initech", "--partner", "Acme"]);
    let opp = desk.json(&[
        "opp",
        "add",
        "--account",
        "Initech",
        "--name",
        "Renewal",
        "--segment",
        "smb",
        "--close",
        "2027-01-31",
        "--type",
        "renewal",
        "--incumbent",
        "Acme",
        "--incumbent-declined",
    ]);
    let acme = desk.json(&["partner", "show", "Acme"]);
    assert_eq!(opp["incumbent_partner_id"], acme["partner"]["id"]);
    assert_eq!(opp["incumbent_declined_by_customer"], true);
    let lines = desk.json(&["opp", "list"]);
    assert_eq!(lines[0]["incumbent"]["partner_name"], "Acme");
    assert_eq!(lines[0]["incumbent"]["first_right_of_refusal"], false);
    let opp = desk.json(&[
        "opp",
        "edit",
        "Renewal",
        "--incumbent",
        "",
        "--incumbent-declined",
        "no",
    ]);
    assert_eq!(opp["incumbent_partner_id"], serde_json::Value::Null);
    assert_eq!(opp["incumbent_declined_by_customer"], false);
}

/// A badge's year as a CAM lives it: granted, evidence due a month before the review month,
/// evidence sent, reviewed with the computed outcome, a year on found short (an override
/// with its reason), a quarter of grace, lapsed; every step in `partner show` and Today.
#[test]
fn a_badge_lives_through_evidence_review_grace_and_lapse() {
    let desk = Desk::new();
    desk.acme();
    for (i, cert) in ["SA Core", "PSE", "PSE", "PSE"].into_iter().enumerate() {
        let email = format!("p{i}@acme.example");
        desk.add_certified("Acme", &format!("P{i}"), &email, cert, "2026-05-01");
    }
    desk.ok(&[
        "partner",
        "badge-grant",
        "Acme",
        "psp",
        "--on",
        "2026-11-15",
    ]);
    let show = |day: &str| desk.ok_on(day, &["partner", "show", "Acme"]);
    assert!(
        show("2026-11-23").contains("review 2027-11 (in good standing), evidence from 2027-10-01"),
        "granted this month: first reviewed a year on\n{}",
        show("2026-11-23")
    );
    assert!(show("2027-10-05").contains("(evidence due)"));

    desk.ok_on(
        "2027-10-20",
        &[
            "partner",
            "badge-evidence",
            "Acme",
            "psp",
            "--on",
            "2027-10-12",
            "--customer",
            "Initech",
            "--customer",
            "Globex",
        ],
    );
    let text = show("2027-10-20");
    assert!(
        text.contains("(evidence sent 2027-10-12, review to record)"),
        "{text}"
    );
    assert!(
        text.contains("evidence sent 2027-10-12: Initech, Globex"),
        "{text}"
    );

    desk.ok_on(
        "2027-11-10",
        &[
            "partner",
            "badge-review",
            "Acme",
            "psp",
            "--on",
            "2027-11-10",
        ],
    );
    let text = show("2027-11-12");
    assert!(text.contains("reviewed 2027-11-10: compliant"), "{text}");
    assert!(text.contains("review 2028-11 (in good standing)"), "{text}");

    // A year on the rules still find Acme compliant; the CAM records otherwise, with why.
    let (_, err) = desk.fails(&[
        "partner",
        "badge-review",
        "Acme",
        "psp",
        "--on",
        "2026-11-20",
        "--compliant",
        "no",
    ]);
    assert!(err.contains("the rules find Acme compliant"), "{err}");
    desk.ok_on(
        "2028-11-10",
        &[
            "partner",
            "badge-review",
            "Acme",
            "psp",
            "--on",
            "2028-11-10",
            "--compliant",
            "no",
            "--reason",
            "no PSE delivered a project this year",
        ],
    );
    let text = show("2028-12-01");
    assert!(
        text.contains("(in grace until 2029-02-10 (compliant again: record a review))"),
        "{text}"
    );
    assert!(
        text.contains(
            "reviewed 2028-11-10: not compliant (the rules found compliant; no PSE delivered a \
             project this year)"
        ),
        "{text}"
    );
    let text = show("2029-02-11");
    assert!(text.contains("(lapsed 2029-02-11)"), "{text}");
    assert!(
        text.contains("reviewed 2027-11-10: compliant"),
        "the history stays: {text}"
    );
    let today = desk.ok_on("2029-02-11", &["--json", "summary", "--scope", "everyone"]);
    let today: Value = serde_json::from_str(&today).unwrap();
    assert_eq!(today["badge_reviews"][0]["status"]["state"], "lapsed");
}

/// The PHD works through the month's reviews: the list says who is due, recording one takes
/// the partner off the list and writes what it found in the account notes.
#[test]
fn the_phd_works_through_the_reviews_due() {
    let desk = Desk::new();
    desk.acme(); // Open, onboarding: weekly
    for (name, track, stage) in [
        ("Globex", "open", "established"),
        ("Initech", "select", "leading"),
        ("Umbrella", "distribution", "leading"),
    ] {
        desk.ok(&[
            "partner",
            "add",
            name,
            "--type",
            "var_vad",
            "--track",
            track,
            "--region",
            "emea",
            "--owner",
            "cam@vendor.example",
            "--stage",
            stage,
        ]);
    }
    let due = desk.json(&["phd", "--scope", "everyone"]);
    let lines: Vec<(&str, &str, &str, bool)> = due
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["partner_name"].as_str().unwrap(),
                l["cadence"].as_str().unwrap(),
                l["due_on"].as_str().unwrap(),
                l["overdue"].as_bool().unwrap(),
            )
        })
        .collect();
    // Today is Monday 2026-11-23: November's middle Friday (the 13th) has passed.
    assert_eq!(
        lines,
        vec![
            ("Globex", "monthly", "2026-11-13", true),
            ("Acme", "weekly", "2026-11-23", false),
            ("Initech", "quarterly", "2026-11-30", false),
        ]
    );
    desk.ok(&[
        "partner",
        "phd-review",
        "Globex",
        "--on",
        "2026-11-23",
        "--note",
        "Portal users cleaned up",
    ]);
    let text = desk.ok(&["phd", "--scope", "everyone"]);
    assert!(!text.contains("Globex"), "{text}");
    assert!(text.contains("Acme") && text.contains("Initech"), "{text}");
    let globex = desk.json(&["partner", "show", "Globex"]);
    assert_eq!(globex["partner"]["last_phd_review"], "2026-11-23");
    assert_eq!(
        globex["partner"]["account_notes"],
        "2026-11-23 PHD review: Portal users cleaned up"
    );
}

/// The third PSE certifies: the CAM has an award task due in seven days; marking it done
/// grants the badge.
#[test]
fn the_award_task_of_a_badge_met_grants_it_when_done() {
    let desk = Desk::new();
    desk.acme();
    for (i, cert) in ["SA Core", "PSE", "PSE", "PSE"].into_iter().enumerate() {
        let email = format!("p{i}@acme.example");
        desk.add_certified("Acme", &format!("P{i}"), &email, cert, "2026-11-20");
    }
    let steps = desk.json(&["next-step", "list", "--partner", "Acme"]);
    let steps = steps.as_array().unwrap();
    assert_eq!(steps.len(), 1, "{steps:?}");
    let step = &steps[0]["step"];
    assert_eq!(step["award_badge_id"], "psp");
    assert_eq!(
        step["due_on"], "2026-11-30",
        "seven calendar days after {TODAY}"
    );
    desk.ok(&["next-step", "done", step["id"].as_str().unwrap()]);
    let acme = desk.json(&["partner", "show", "Acme"]);
    assert_eq!(acme["partner"]["badges"][0]["badge_id"], "psp");
    assert_eq!(acme["partner"]["badges"][0]["granted_on"], TODAY);
}
