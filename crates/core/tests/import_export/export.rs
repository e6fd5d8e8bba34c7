//! CSV export: what it writes imports back.

use super::*;

#[test]
fn export_writes_importable_headers_dates_and_plain_dollars() {
    let s = full_store();
    let (rows, csv) = export(&s, ExportKind::Opportunities);
    assert_eq!(rows, 3);
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "Opportunity Name,Account Name,Type,Stage,Amount,IACV,Currency,Segment,Close Date,\
         Registered Partner,Win/Loss Reason,Owner,Customer Understanding,Command Plan,Pitch Deck,\
         Pitch Deck Link,Understanding Via Partner,Partner Discount,Services Attach"
    );
    assert!(
        csv.contains("Globex Migration,Globex Corporation,New Business,Closed Won,48000.50,30000.00,USD,Mid-Market,2026-10-01,Borealis Systems,"),
        "{csv}"
    );
    let (rows, csv) = export(&s, ExportKind::Partners);
    assert_eq!(rows, 4);
    assert!(
        csv.contains("Acme Cloud Services,VAR/VAD; Global SI,Select,EMEA,"),
        "{csv}"
    );
    assert!(csv.contains(",2026-09-15\n"), "{csv}");
}

#[test]
fn export_then_import_round_trips_every_kind() {
    let source = full_store();
    let mut copy = store();
    for (export_kind, import_kind) in [
        (ExportKind::Partners, ImportKind::Partners),
        (ExportKind::People, ImportKind::People),
        (ExportKind::Opportunities, ImportKind::Opportunities),
    ] {
        let (rows, csv) = export(&source, export_kind);
        let report = run_import(&mut copy, import_kind, csv.as_bytes()).unwrap();
        assert!(report.committed, "{import_kind}: {:?}", report.errors);
        assert_eq!(
            report.rows_ok, rows,
            "{import_kind}: every exported row imports"
        );
        assert!(
            report.columns.iter().all(|c| c.field.is_some()),
            "{import_kind}: every exported header is understood: {:?}",
            report.columns
        );
        assert_eq!(
            export(&copy, export_kind).1,
            csv,
            "{import_kind}: the copy exports the same"
        );
    }
    let (a, b) = (counts(&source), counts(&copy));
    assert_eq!(
        (a.partners, a.people, a.items, a.accounts, a.opportunities),
        (b.partners, b.people, b.items, b.accounts, b.opportunities)
    );
}

#[test]
fn importing_an_export_into_its_own_store_changes_nothing() {
    let mut s = full_store();
    let before = counts(&s);
    for (export_kind, import_kind) in [
        (ExportKind::Partners, ImportKind::Partners),
        (ExportKind::People, ImportKind::People),
        (ExportKind::Opportunities, ImportKind::Opportunities),
    ] {
        let (_, csv) = export(&s, export_kind);
        let report = run_import(&mut s, import_kind, csv.as_bytes()).unwrap();
        assert_eq!(
            (report.created, report.updated),
            (0, 0),
            "{import_kind}: {:?}",
            report.errors
        );
    }
    assert_eq!(counts(&s), before);
}
