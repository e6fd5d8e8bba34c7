//! Row errors: each names its line (the header is line 1) and its column.

use super::*;

#[test]
fn every_bad_row_is_reported_with_its_line_and_column() {
    let mut s = store();
    let report = import_fails_changing_nothing(&mut s, ImportKind::Partners, PARTNERS_BAD_ROWS_CSV);
    let found: Vec<(u64, Option<&str>)> = report
        .errors
        .iter()
        .map(|e| (e.line, e.column.as_deref()))
        .collect();
    // Line 2 holds a quoted field over three lines, so "Bad Track" starts on line 5.
    assert_eq!(
        found,
        [
            (5, Some("Track")),
            (6, Some("Last PHD Review")),
            (7, Some("Name"))
        ],
        "{:?}",
        report.errors
    );
    assert_eq!((report.rows_total, report.rows_ok), (5, 2));
}

#[test]
fn february_thirtieth_is_refused_with_its_line() {
    let report = preview_import(&store(), ImportKind::Partners, PARTNERS_BAD_ROWS_CSV).unwrap();
    let e = report
        .errors
        .iter()
        .find(|e| e.message.contains("2026-02-30"))
        .expect("the impossible date is reported");
    assert_eq!(e.line, 6);
    assert!(e.message.contains("not a valid date"), "{e:?}");
}

#[test]
fn an_unknown_value_lists_the_allowed_ones() {
    let report = preview_import(&store(), ImportKind::Partners, PARTNERS_BAD_ROWS_CSV).unwrap();
    let track = report.errors.iter().find(|e| e.line == 5).unwrap();
    assert!(
        track
            .message
            .contains("\"Platinum\" is not one of: open, select, distribution"),
        "{track:?}"
    );
}

#[test]
fn line_numbers_count_every_line_of_quoted_multiline_fields() {
    let csv = format!(
        "{PARTNER_HEADER}\"Acme\nCloud\",VAR/VAD,Open,EMEA,cam\nBorealis,\"DMR;\n\nMSP\",Open,EMEA,cam\nCobalt,VAR/VAD,Open,Mars,cam\n"
    );
    let report = preview_import(&store(), ImportKind::Partners, csv.as_bytes()).unwrap();
    assert_eq!(report.errors.len(), 1, "{:?}", report.errors);
    assert_eq!(
        report.errors[0].line, 7,
        "header 1, Acme 2-3, Borealis 4-6, Cobalt 7"
    );
}

#[test]
fn windows_line_endings_count_lines_the_same() {
    let csv = "Name,Types,Track,Region,Owner\r\n\"Acme\r\nCloud\",VAR/VAD,Open,EMEA,cam\r\nCobalt,VAR/VAD,Open,Mars,cam\r\n";
    let report = preview_import(&store(), ImportKind::Partners, csv.as_bytes()).unwrap();
    assert_eq!(report.errors.len(), 1, "{:?}", report.errors);
    assert_eq!(report.errors[0].line, 4);
    assert_eq!(
        report.preview[0][0], "Acme\r\nCloud",
        "a quoted line break is kept"
    );
}

#[test]
fn a_semicolon_separated_export_imports_like_a_comma_separated_one() {
    let mut s = store_with_partners();
    let csv = "Partner;Name;E-Mail;Certification;Completion Date\n\
        Acme Cloud Services;Ana Lima;ana@acme.example;Sales Core;2026-04-01\n";
    let report = run_import(&mut s, ImportKind::People, csv.as_bytes()).unwrap();
    assert!(report.committed, "{:?}", report.errors);
    assert_eq!(report.created, 2, "one person and one certification");
}

#[test]
fn a_new_partner_needs_track_region_and_owner_but_an_existing_one_keeps_its_own() {
    let mut s = store_with_partners();
    let csv = format!("{PARTNER_HEADER}Acme Cloud Services,,,,\nNewcomer,,Open,,\n");
    let report = run_import(&mut s, ImportKind::Partners, csv.as_bytes()).unwrap();
    let found: Vec<(u64, Option<&str>)> = report
        .errors
        .iter()
        .map(|e| (e.line, e.column.as_deref()))
        .collect();
    assert_eq!(
        found,
        [(3, Some("Region")), (3, Some("Owner"))],
        "{:?}",
        report.errors
    );
    assert!(report.errors[0]
        .message
        .contains("must not be empty for a new partner"));
}

#[test]
fn a_partner_listed_twice_in_one_file_is_refused() {
    let csv = format!("{PARTNER_HEADER}Acme,VAR/VAD,Open,EMEA,cam\nACME ,DMR,Open,EMEA,cam\n");
    let report = preview_import(&store(), ImportKind::Partners, csv.as_bytes()).unwrap();
    assert_eq!(report.errors.len(), 1);
    assert_eq!(report.errors[0].line, 3);
    assert!(
        report.errors[0].message.contains("already on line 2"),
        "{:?}",
        report.errors
    );
}

#[test]
fn unknown_partner_and_certification_are_row_errors() {
    let mut s = store_with_partners();
    let csv = b"Partner,Name,Email,Certification\n\
        Nowhere Inc,Ana,ana@x.example,Sales Core\n\
        Acme Cloud Services,Ben,ben@acme.example,Underwater Basket Weaving\n\
        Acme Cloud Services,Cy,not-an-email,SA Core\n";
    let report = import_fails_changing_nothing(&mut s, ImportKind::People, csv);
    let found: Vec<(u64, Option<&str>)> = report
        .errors
        .iter()
        .map(|e| (e.line, e.column.as_deref()))
        .collect();
    assert_eq!(
        found,
        [
            (2, Some("Partner")),
            (3, Some("Certification")),
            (4, Some("Email"))
        ],
        "{:?}",
        report.errors
    );
    assert!(report.errors[0]
        .message
        .contains("no partner is named \"Nowhere Inc\""));
    assert!(report.errors[1]
        .message
        .contains("known certifications: Sales Core"));
}

#[test]
fn an_expiry_before_completion_is_refused_on_the_expiry_column() {
    let mut s = store_with_partners();
    let csv = b"Partner,Name,Certification,Completed,Expires\n\
        Acme Cloud Services,Ana,PSE,2026-05-01,2026-04-01\n";
    let report = import_fails_changing_nothing(&mut s, ImportKind::People, csv);
    assert_eq!(report.errors[0].column.as_deref(), Some("Expires"));
    assert!(report.errors[0]
        .message
        .contains("before the completion date"));
}

#[test]
fn bad_money_and_unknown_stage_are_row_errors() {
    let mut s = store_with_partners();
    let csv = b"Opportunity Name,Account Name,Stage,Amount,Segment,Close Date\n\
        Deal A,Initech,Proposal,12.345,SMB,2026-12-01\n\
        Deal B,Initech,Won-ish,100,SMB,2026-12-01\n\
        Deal C,Initech,Proposal,100,Enterprise,2026-12-01\n\
        Deal D,Initech,Proposal,100,SMB,2026-13-01\n";
    let report = import_fails_changing_nothing(&mut s, ImportKind::Opportunities, csv);
    let found: Vec<(u64, Option<&str>)> = report
        .errors
        .iter()
        .map(|e| (e.line, e.column.as_deref()))
        .collect();
    assert_eq!(
        found,
        [
            (2, Some("Amount")),
            (3, Some("Stage")),
            (4, Some("Segment")),
            (5, Some("Close Date"))
        ],
        "{:?}",
        report.errors
    );
    assert!(report.errors[0].message.contains("not an amount of money"));
    assert!(report.errors[2].message.contains("smb, mid_market"));
}

#[test]
fn an_unknown_registered_partner_is_a_row_error() {
    let mut s = store_with_partners();
    let csv = b"Opportunity Name,Account Name,Segment,Close Date,Registered Partner\n\
        Deal A,Initech,SMB,2026-12-01,Ghost Partners\n";
    let report = import_fails_changing_nothing(&mut s, ImportKind::Opportunities, csv);
    assert_eq!(
        report.errors[0].column.as_deref(),
        Some("Registered Partner")
    );
}
