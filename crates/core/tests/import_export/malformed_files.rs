//! Files that cannot be imported as they are: refused whole, or every bad row reported; nothing is written either way.

use super::*;

#[test]
fn an_unbalanced_quote_is_reported_on_the_line_it_opens_and_nothing_is_written() {
    let mut s = store();
    let csv = format!("{PARTNER_HEADER}Acme,VAR/VAD,Open,EMEA,cam\n\"Borealis,DMR,Open,EMEA,cam\nCobalt,DMR,Open,EMEA,cam\n");
    let report = import_fails_changing_nothing(&mut s, ImportKind::Partners, csv.as_bytes());
    assert_eq!(report.errors.len(), 1, "{:?}", report.errors);
    assert_eq!(report.errors[0].line, 3);
    assert!(
        report.errors[0].message.contains("never closed"),
        "{:?}",
        report.errors[0]
    );
    assert_eq!(
        counts(&s).partners,
        0,
        "even the good first row is not written"
    );
}

#[test]
fn a_row_with_the_wrong_number_of_fields_is_a_row_error() {
    let mut s = store();
    let csv = format!("{PARTNER_HEADER}Acme,VAR/VAD,Open,EMEA,cam\nBorealis,DMR,Open,EMEA\nCobalt,DMR,Open,EMEA,cam,extra\n");
    let report = import_fails_changing_nothing(&mut s, ImportKind::Partners, csv.as_bytes());
    let found: Vec<(u64, &str)> = report
        .errors
        .iter()
        .map(|e| (e.line, e.message.as_str()))
        .collect();
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(found[0].0, 3);
    assert!(
        found[0].1.contains("4 fields but the header has 5"),
        "{found:?}"
    );
    assert_eq!(found[1].0, 4);
    assert!(
        found[1].1.contains("6 fields but the header has 5"),
        "{found:?}"
    );
    assert_eq!(report.rows_ok, 1);
}

#[test]
fn a_file_that_is_not_utf8_is_refused_naming_the_line() {
    let mut s = store_with_partners();
    // "Müller" in Windows-1252, as Excel writes a plain "CSV" on Windows.
    let csv = b"Name,Types,Track,Region,Owner\nM\xfcller GmbH,VAR/VAD,Open,EMEA,cam\n";
    file_is_refused(&mut s, ImportKind::Partners, csv, "not UTF-8 text (line 2");
}

#[test]
fn an_empty_file_is_refused() {
    let mut s = store();
    file_is_refused(&mut s, ImportKind::Partners, b"", "the file is empty");
    file_is_refused(
        &mut s,
        ImportKind::People,
        b"\xef\xbb\xbf\r\n  \n",
        "the file is empty",
    );
}

#[test]
fn a_missing_required_column_is_refused_naming_it() {
    let mut s = store_with_partners();
    file_is_refused(
        &mut s,
        ImportKind::Partners,
        b"Name,Track,Owner\nAcme,Open,cam\n",
        "no Region column",
    );
    file_is_refused(
        &mut s,
        ImportKind::People,
        b"Partner,Name,Email\nAcme Cloud Services,Ana,ana@acme.example\n",
        "no Certification column",
    );
    file_is_refused(
        &mut s,
        ImportKind::Opportunities,
        b"Opportunity Name,Account Name,Segment\nX,Y,SMB\n",
        "no Close Date column",
    );
}

#[test]
fn one_bad_row_among_a_hundred_writes_nothing() {
    let mut s = store_with_partners();
    let mut csv = String::from(PARTNER_HEADER);
    for i in 1..=100 {
        let region = if i == 57 { "Antarctica" } else { "EMEA" };
        csv.push_str(&format!("Partner {i},VAR/VAD,Open,{region},cam\n"));
    }
    let report = import_fails_changing_nothing(&mut s, ImportKind::Partners, csv.as_bytes());
    assert_eq!((report.rows_total, report.rows_ok), (100, 99));
    assert_eq!(report.errors.len(), 1);
    assert_eq!(
        report.errors[0].line, 58,
        "row 57 is on line 58, after the header"
    );
    assert_eq!(report.errors[0].column.as_deref(), Some("Region"));
}
