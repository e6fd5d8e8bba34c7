//! Re-importing updates what the file matches instead of duplicating it.

use super::*;

#[test]
fn reimporting_partners_updates_them_instead_of_duplicating() {
    let mut s = store_with_partners();
    let csv = format!(
        "{PARTNER_HEADER}acme cloud services,VAR/VAD,Open,EMEA,dana@vendor.example\nNew Partner,DMR,Open,APAC,lee@vendor.example\n"
    );
    let report = run_import(&mut s, ImportKind::Partners, csv.as_bytes()).unwrap();
    assert!(report.committed, "{:?}", report.errors);
    assert_eq!((report.created, report.updated), (1, 1));
    assert_eq!(counts(&s).partners, 5);
    let acme = partner(&s, "Acme Cloud Services");
    assert_eq!(acme.track, Track::Open, "updated from the file");
    assert_eq!(acme.partner_types, [PartnerType::VarVad]);
    assert_eq!(
        acme.account_notes, "Strong in DACH.\nWants PSP this year.",
        "a column the file lacks keeps its value"
    );
}

#[test]
fn reimporting_an_unchanged_file_writes_nothing() {
    let mut s = store_with_partners();
    run_import(&mut s, ImportKind::People, PEOPLE_CSV).unwrap();
    run_import(&mut s, ImportKind::Opportunities, OPPORTUNITIES_CSV).unwrap();
    let before = counts(&s);
    for (kind, data) in [
        (ImportKind::Partners, PARTNERS_CSV),
        (ImportKind::People, PEOPLE_CSV),
        (ImportKind::Opportunities, OPPORTUNITIES_CSV),
    ] {
        let report = run_import(&mut s, kind, data).unwrap();
        assert!(report.committed, "{kind}: {:?}", report.errors);
        assert_eq!(
            (report.created, report.updated),
            (0, 0),
            "{kind}: nothing new or changed"
        );
    }
    assert_eq!(counts(&s), before, "no duplicates and no outbox entries");
}

#[test]
fn reimporting_people_updates_certifications_and_matches_people_by_email() {
    let mut s = store_with_partners();
    run_import(&mut s, ImportKind::People, PEOPLE_CSV).unwrap();
    let before = counts(&s);
    // Ana renamed in the LMS, matched by her email; her PSE is now certified.
    let csv = b"Partner,Name,Email,Certification,Status,Completed\n\
        Acme Cloud Services,Ana Lima-Souza,ANA@acme.example,PSE,Passed,2026-12-01\n";
    let report = run_import(&mut s, ImportKind::People, csv).unwrap();
    assert!(report.committed, "{:?}", report.errors);
    assert_eq!(
        (report.created, report.updated),
        (0, 2),
        "the person and the item"
    );
    let after = counts(&s);
    assert_eq!((after.people, after.items), (before.people, before.items));
    let acme = partner(&s, "Acme Cloud Services");
    let ana = s
        .read()
        .resolve_person(&acme.id, "ana@acme.example")
        .unwrap();
    assert_eq!(ana.name, "Ana Lima-Souza");
    let pse = s
        .read()
        .enablement_items(&acme.id)
        .unwrap()
        .into_iter()
        .find(|i| i.person_id == ana.id && i.certification_id.as_deref() == Some("pse"))
        .unwrap();
    assert_eq!(pse.status, EnablementStatus::Certified);
    assert_eq!(pse.completed_on, Some(date("2026-12-01")));
    assert_eq!(
        pse.target_date,
        Some(date("2026-12-15")),
        "an empty cell keeps the value"
    );
}

#[test]
fn reimporting_opportunities_updates_by_account_and_name() {
    let mut s = store_with_partners();
    run_import(&mut s, ImportKind::Opportunities, OPPORTUNITIES_CSV).unwrap();
    let csv = b"Opportunity Name,Account Name,Stage,Amount,Segment,Close Date\n\
        initech premium upgrade,INITECH,Closed Won,15000,SMB,2026-12-20\n";
    let report = run_import(&mut s, ImportKind::Opportunities, csv).unwrap();
    assert_eq!(
        (report.created, report.updated),
        (0, 1),
        "{:?}",
        report.errors
    );
    let c = counts(&s);
    assert_eq!((c.accounts, c.opportunities), (2, 3));
    let r = s.read();
    let initech = r.find_account("Initech").unwrap().unwrap();
    let o = r
        .find_opportunity(&initech.id, "Initech Premium Upgrade")
        .unwrap()
        .unwrap();
    assert_eq!(
        (o.stage, o.amount),
        (OpportunityStage::ClosedWon, Money(1_500_000))
    );
    assert_eq!(
        o.iacv,
        Money(900_000),
        "IACV is not in the file and keeps its value"
    );
}
