//! CSV import and export, and the business plan document, against a real (in-memory) store.
//! One test binary; the modules under `import_export/` group the specifications by theme.

use cdesk_core::domain::*;
use cdesk_core::io::*;
use cdesk_core::store::{PartnerFilter, Store};

#[path = "import_export/export.rs"]
mod export;
#[path = "import_export/happy_paths.rs"]
mod happy_paths;
#[path = "import_export/malformed_files.rs"]
mod malformed_files;
#[path = "import_export/performance.rs"]
mod performance;
#[path = "import_export/plan_document.rs"]
mod plan_document;
#[path = "import_export/reimport.rs"]
mod reimport;
#[path = "import_export/row_errors.rs"]
mod row_errors;

const PARTNERS_CSV: &[u8] = include_bytes!("fixtures/partners.csv");
const PEOPLE_CSV: &[u8] = include_bytes!("fixtures/people_lms.csv");
const OPPORTUNITIES_CSV: &[u8] = include_bytes!("fixtures/opportunities_salesforce.csv");
const PARTNERS_BAD_ROWS_CSV: &[u8] = include_bytes!("fixtures/partners_bad_rows.csv");

const PARTNER_HEADER: &str = "Name,Types,Track,Region,Owner\n";

/// How many records of each kind the store holds, and how long the outbox is.
#[derive(Debug, PartialEq, Eq)]
struct Counts {
    partners: usize,
    people: usize,
    items: usize,
    accounts: usize,
    opportunities: usize,
    outbox: i64,
}

fn counts(store: &Store) -> Counts {
    let r = store.read();
    let partners = r.partners(&PartnerFilter::default()).unwrap();
    Counts {
        people: partners
            .iter()
            .map(|p| r.people(&p.id).unwrap().len())
            .sum(),
        items: partners
            .iter()
            .map(|p| r.enablement_items(&p.id).unwrap().len())
            .sum(),
        partners: partners.len(),
        accounts: r.accounts().unwrap().len(),
        opportunities: r.opportunities(None).unwrap().len(),
        outbox: r.outbox_len().unwrap(),
    }
}

fn store() -> Store {
    Store::open_in_memory().unwrap()
}

/// A store holding the partners of `fixtures/partners.csv`.
fn store_with_partners() -> Store {
    let mut s = store();
    let report = run_import(&mut s, ImportKind::Partners, PARTNERS_CSV).unwrap();
    assert!(
        report.committed,
        "partners fixture imports: {:?}",
        report.errors
    );
    s
}

fn partner(store: &Store, name: &str) -> Partner {
    store.read().resolve_partner(name).unwrap()
}

fn date(s: &str) -> chrono::NaiveDate {
    s.parse().unwrap()
}

/// Imports `data`, expecting it to fail with row errors and to change nothing.
fn import_fails_changing_nothing(store: &mut Store, kind: ImportKind, data: &[u8]) -> ImportReport {
    let before = counts(store);
    let report = run_import(store, kind, data).expect("row errors are a report, not an Err");
    assert!(!report.committed, "a file with bad rows is not committed");
    assert!(!report.errors.is_empty(), "bad rows are reported");
    assert_eq!(
        counts(store),
        before,
        "a failed import writes nothing, outbox included"
    );
    report
}

/// Imports `data`, expecting the whole file to be refused with a CSV error naming `problem`.
fn file_is_refused(store: &mut Store, kind: ImportKind, data: &[u8], problem: &str) {
    let before = counts(store);
    let preview = preview_import(store, kind, data).expect_err("preview refuses the file");
    let err = run_import(store, kind, data).expect_err("import refuses the file");
    for e in [&preview, &err] {
        assert_eq!(e.code(), "csv", "{e}");
        assert!(
            e.to_string().contains(problem),
            "{e:?} should mention {problem:?}"
        );
    }
    assert_eq!(counts(store), before, "a refused file writes nothing");
}

fn export(store: &Store, kind: ExportKind) -> (usize, String) {
    let mut out = Vec::new();
    let rows = export_csv(store.read(), kind, &mut out).unwrap();
    (rows, String::from_utf8(out).unwrap())
}

/// A store with partners, people and opportunities, plus what the CSVs cannot all express.
fn full_store() -> Store {
    let mut s = store_with_partners();
    for (kind, data) in [
        (ImportKind::People, PEOPLE_CSV),
        (ImportKind::Opportunities, OPPORTUNITIES_CSV),
    ] {
        assert!(run_import(&mut s, kind, data).unwrap().committed);
    }
    // A person with no certification still exports and comes back.
    let delta = partner(&s, "Delta Distribution");
    let person = Person::new(
        &delta.id,
        "Dee Quote, \"the\" Lead",
        "dee@delta.example",
        "",
    );
    s.write(|w| w.put(&person).map(|_| ())).unwrap();
    // A deal with its link, the partner's part in the understanding, and its economics.
    let economics = cdesk_core::ops::OpportunityChanges {
        opportunity: "Globex Migration".into(),
        pitch_deck_url: Some("https://decks.example.com/globex, \"v2\"".into()),
        understanding_via_partner: Some(true),
        partner_discount: Some("4800.05".into()),
        services_attach: Some("12000".into()),
        ..Default::default()
    };
    cdesk_core::ops::update_opportunity(&mut s, &economics).unwrap();
    s
}
