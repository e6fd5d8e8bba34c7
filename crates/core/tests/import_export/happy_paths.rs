//! Partners, people and opportunities files as real exports write them.

use super::*;

#[test]
fn partners_csv_imports_every_row_with_types_stage_notes_and_review_date() {
    let mut s = store();
    let report = run_import(&mut s, ImportKind::Partners, PARTNERS_CSV).unwrap();
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert!(report.committed);
    assert_eq!((report.rows_total, report.rows_ok), (4, 4));
    assert_eq!((report.created, report.updated), (4, 0));
    assert_eq!(counts(&s).partners, 4);

    let acme = partner(&s, "acme cloud services");
    assert_eq!(
        acme.partner_types,
        [PartnerType::VarVad, PartnerType::GlobalSi]
    );
    assert_eq!((acme.track, acme.region), (Track::Select, Region::Emea));
    assert_eq!(acme.owner, "dana@vendor.example");
    assert_eq!(acme.journey_stage, JourneyStage::Established);
    assert_eq!(acme.account_notes, "Strong in DACH.\nWants PSP this year.");
    assert_eq!(acme.last_phd_review, Some(date("2026-09-15")));

    let borealis = partner(&s, "Borealis Systems");
    assert_eq!(
        borealis.partner_types,
        [PartnerType::RegionalSi, PartnerType::Msp]
    );
    assert_eq!(
        borealis.journey_stage,
        JourneyStage::Onboarding,
        "code accepted"
    );
    assert_eq!(borealis.last_phd_review, None);
    assert_eq!(
        partner(&s, "Cobalt Integration").account_notes,
        "Quote \"best\" partner"
    );
    let delta = partner(&s, "Delta Distribution");
    assert_eq!(delta.region, Region::PublicSector);
    assert_eq!(delta.partner_types, [PartnerType::Distributor]);
}

#[test]
fn a_byte_order_mark_does_not_hide_the_first_column() {
    assert!(
        PARTNERS_CSV.starts_with(b"\xef\xbb\xbf"),
        "the fixture starts with a BOM"
    );
    let report = preview_import(&store(), ImportKind::Partners, PARTNERS_CSV).unwrap();
    assert_eq!(report.columns[0].header, "Partner Name");
    assert_eq!(report.columns[0].field.as_deref(), Some("name"));
}

#[test]
fn the_report_maps_every_header_and_ignores_unknown_ones() {
    let report = preview_import(&store(), ImportKind::Partners, PARTNERS_CSV).unwrap();
    let mapping: Vec<(&str, Option<&str>)> = report
        .columns
        .iter()
        .map(|c| (c.header.as_str(), c.field.as_deref()))
        .collect();
    assert_eq!(
        mapping,
        [
            ("Partner Name", Some("name")),
            ("Partner Type(s)", Some("partner_types")),
            ("Track", Some("track")),
            ("Region", Some("region")),
            ("CAM", Some("owner")),
            ("Stage", Some("journey_stage")),
            ("Account Notes", Some("account_notes")),
            ("Website", None),
            ("Last PHD Review", Some("last_phd_review")),
        ]
    );
}

#[test]
fn people_lms_export_creates_each_person_once_with_one_item_per_certification() {
    let mut s = store_with_partners();
    let report = run_import(&mut s, ImportKind::People, PEOPLE_CSV).unwrap();
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert_eq!(report.rows_ok, 5);
    assert_eq!(report.created, 3 + 5, "3 people and 5 certifications");

    let acme = partner(&s, "Acme Cloud Services");
    let people = s.read().people(&acme.id).unwrap();
    let names: Vec<&str> = people.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(
        names,
        ["Ana Lima", "Ben Okafor"],
        "first + last name, each person once"
    );
    let ana = &people[0];
    assert_eq!(
        (ana.email.as_str(), ana.role.as_str()),
        ("ana@acme.example", "Solutions Architect")
    );

    let items = s.read().enablement_items(&acme.id).unwrap();
    let of = |person: &Person, cert: &str| {
        items
            .iter()
            .find(|i| i.person_id == person.id && i.certification_id.as_deref() == Some(cert))
            .unwrap_or_else(|| panic!("{} has {cert}", person.name))
            .clone()
    };
    let sa = of(ana, "sa-core");
    assert_eq!(
        sa.status,
        EnablementStatus::Certified,
        "LMS \"Passed\" means certified"
    );
    assert_eq!(
        (sa.completed_on, sa.expires_on),
        (Some(date("2026-03-10")), Some(date("2028-03-10")))
    );
    let pse = of(ana, "pse");
    assert_eq!(
        (pse.status, pse.target_date),
        (EnablementStatus::InProgress, Some(date("2026-12-15")))
    );
    let ben = &people[1];
    assert_eq!(
        of(ben, "sales-core").status,
        EnablementStatus::Certified,
        "status defaults to certified"
    );
    assert_eq!(of(ben, "sales-pro").status, EnablementStatus::Planned);

    let borealis = partner(&s, "Borealis Systems");
    let items = s.read().enablement_items(&borealis.id).unwrap();
    assert_eq!(
        items[0].certification_id.as_deref(),
        Some("pse"),
        "full name resolves"
    );
}

#[test]
fn salesforce_opportunities_create_accounts_once_and_carry_the_registered_partner() {
    let mut s = store_with_partners();
    let report = run_import(&mut s, ImportKind::Opportunities, OPPORTUNITIES_CSV).unwrap();
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert_eq!(report.created, 2 + 3, "2 accounts and 3 opportunities");
    let c = counts(&s);
    assert_eq!((c.accounts, c.opportunities), (2, 3));

    let r = s.read();
    let initech = r.find_account("initech").unwrap().expect("account created");
    let upgrade = r
        .find_opportunity(&initech.id, "Initech Premium Upgrade")
        .unwrap()
        .unwrap();
    assert_eq!(upgrade.amount, Money(1_250_000));
    assert_eq!(upgrade.iacv, Money(900_000));
    assert_eq!(upgrade.opportunity_type, OpportunityType::AddOn);
    assert_eq!(upgrade.stage, OpportunityStage::Proposal);
    assert_eq!(upgrade.segment, Segment::Smb);
    assert_eq!(upgrade.close_date, date("2026-12-15"));
    assert_eq!(upgrade.owner, "ae.jones@vendor.example");
    let acme = partner(&s, "Acme Cloud Services");
    assert_eq!(upgrade.registered_partner_id, Some(acme.id));

    let globex = r.find_account("Globex Corporation").unwrap().unwrap();
    let migration = r
        .find_opportunity(&globex.id, "Globex Migration")
        .unwrap()
        .unwrap();
    assert_eq!(migration.amount, Money(4_800_050));
    assert_eq!(
        migration.win_loss_reason,
        "Partner-led migration plan, strong champion"
    );
    assert_eq!(migration.stage, OpportunityStage::ClosedWon);
}

#[test]
fn a_deals_currency_comes_from_its_column_or_else_from_its_account() {
    let mut s = store_with_partners();
    let account = cdesk_core::ops::NewAccount {
        name: "Umbrella".into(),
        currency: Some("GBP".into()),
        ..Default::default()
    };
    cdesk_core::ops::create_account(&mut s, &account).unwrap();
    let csv = "Opportunity Name,Account Name,Amount,Segment,Close Date,Opportunity Currency\n\
               Euro deal,Initech,\"€12,500.00\",SMB,2026-12-15,eur\n\
               Pound deal,Umbrella,4000,SMB,2026-12-15,\n\
               Bad code,Initech,10,SMB,2026-12-15,Euro\n";
    let report = run_import(&mut s, ImportKind::Opportunities, csv.as_bytes()).unwrap();
    assert!(!report.committed, "one bad row writes nothing");
    assert_eq!(report.errors.len(), 1, "{:?}", report.errors);
    assert_eq!(report.errors[0].line, 4);
    assert!(
        report.errors[0]
            .message
            .contains("not an ISO 4217 currency code"),
        "{:?}",
        report.errors[0]
    );
    let csv = csv.lines().take(3).collect::<Vec<_>>().join("\n");
    let report = run_import(&mut s, ImportKind::Opportunities, csv.as_bytes()).unwrap();
    assert!(report.committed, "{:?}", report.errors);
    let r = s.read();
    let initech = r.find_account("Initech").unwrap().unwrap();
    let euro = r
        .find_opportunity(&initech.id, "Euro deal")
        .unwrap()
        .unwrap();
    assert_eq!(
        (euro.amount, euro.currency.as_str()),
        (Money(1_250_000), "EUR")
    );
    assert_eq!(initech.currency.as_str(), "EUR", "created by the euro deal");
    let umbrella = r.find_account("Umbrella").unwrap().unwrap();
    let pound = r
        .find_opportunity(&umbrella.id, "Pound deal")
        .unwrap()
        .unwrap();
    assert_eq!(pound.currency.as_str(), "GBP", "the account's");
}

#[test]
fn preview_reports_what_would_happen_and_writes_nothing() {
    let s = store();
    let before = counts(&s);
    let report = preview_import(&s, ImportKind::Partners, PARTNERS_CSV).unwrap();
    assert_eq!((report.rows_ok, report.created), (4, 4));
    assert!(!report.committed, "a preview never commits");
    assert_eq!(report.preview.len(), 4);
    assert_eq!(report.preview[1][0], "Borealis Systems");
    assert_eq!(counts(&s), before, "preview writes nothing");
}

#[test]
fn the_preview_shows_the_first_ten_rows_only() {
    let mut csv = String::from(PARTNER_HEADER);
    for i in 0..25 {
        csv.push_str(&format!("P{i},VAR/VAD,Open,EMEA,cam\n"));
    }
    let report = preview_import(&store(), ImportKind::Partners, csv.as_bytes()).unwrap();
    assert_eq!(report.rows_total, 25);
    assert_eq!(report.preview.len(), 10);
    assert_eq!(report.preview[9], ["P9", "VAR/VAD", "Open", "EMEA", "cam"]);
}

#[test]
fn importing_the_certifications_that_meet_a_badge_opens_its_award_task() {
    let mut s = store_with_partners();
    let acme = partner(&s, "Acme Cloud Services");
    let mut csv = String::from("Partner,Name,Email,Certification,Status,Completion Date\n");
    // Acme is Select: four Sales Core, a Sales Pro and two SA Core for the track, three PSEs.
    let certs = [
        "Sales Core",
        "Sales Core",
        "Sales Core",
        "Sales Core",
        "Sales Pro",
        "SA Core",
        "SA Core",
        "PSE",
        "PSE",
        "PSE",
    ];
    for (i, cert) in certs.into_iter().enumerate() {
        csv.push_str(&format!(
            "Acme Cloud Services,Person {i},p{i}@acme.example,{cert},Certified,2026-10-01\n"
        ));
    }
    let report = run_import(&mut s, ImportKind::People, csv.as_bytes()).unwrap();
    assert!(report.committed, "{:?}", report.errors);
    let task = s.read().award_task(&acme.id, "psp").unwrap();
    let task = task.expect("PSP met: an award task for the CAM");
    assert_eq!(task.owner, acme.owner);
    assert_eq!(task.award_badge_id.as_deref(), Some("psp"));
}
