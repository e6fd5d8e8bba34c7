//! `cdesk calendar`: the dates to work to, read back by an independent iCalendar parser (the
//! Python `icalendar` package that scripts/ensure-deps.sh installs into .venv).

use std::process::Command;

use super::*;

/// The events of an .ics file as the Python parser reads them: (start, summary, category, uid).
fn parsed(ics: &Path) -> Vec<(String, String, String, String)> {
    let python = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.venv/bin/python");
    assert!(
        python.exists(),
        "the calendar tests read .ics files with Python's icalendar: run \
         `scripts/ensure-deps.sh test` (make test does) to install it into .venv"
    );
    let script = r#"
import json, sys, icalendar
cal = icalendar.Calendar.from_ical(open(sys.argv[1], "rb").read())
out = []
for e in cal.walk("VEVENT"):
    start = e.decoded("DTSTART")
    assert type(start).__name__ == "date", f"an all-day event: {start!r}"
    cats = e.get("CATEGORIES")
    out.append([start.isoformat(), str(e["SUMMARY"]), ",".join(str(c) for c in cats.cats), str(e["UID"])])
print(json.dumps(out))
"#;
    let out = Command::new(python)
        .args(["-c", script])
        .arg(ics)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "the .ics does not parse: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn the_calendar_has_one_event_per_date_to_work_to() {
    let desk = Desk::new();
    desk.acme();
    desk.ok(&[
        "next-step",
        "add",
        "--partner",
        "Acme",
        "--description",
        "Send the SOW",
        "--owner",
        "cam@vendor.example",
        "--due",
        "2026-12-04",
    ]);
    desk.ok(&[
        "partner",
        "badge-grant",
        "Acme",
        "psp",
        "--on",
        "2025-12-10",
    ]);
    desk.ok(&[
        "cert",
        "add",
        "--partner",
        "Acme",
        "--person",
        "ana@acme.example",
        "--cert",
        "SA Core",
        "--target",
        "2027-01-31",
    ]);
    desk.ok(&[
        "cert",
        "add",
        "--partner",
        "Acme",
        "--person",
        "bo@acme.example",
        "--cert",
        "PSE",
        "--status",
        "certified",
        "--completed",
        "2026-10-01",
        "--expires",
        "2028-10-01",
    ]);
    let file = desk.path().join("desk.ics");
    let said = desk.ok(&[
        "calendar",
        "--scope",
        "everyone",
        "--out",
        file.to_str().unwrap(),
    ]);
    assert_eq!(said.trim(), format!("wrote 6 events to {}", file.display()));

    let events = parsed(&file);
    let summary: Vec<_> = events
        .iter()
        .map(|(on, what, category, _)| (on.as_str(), what.as_str(), category.as_str()))
        .collect();
    assert_eq!(
        summary,
        vec![
            (
                "2026-11-01",
                "Acme: Professional Services Partner (PSP) review evidence due",
                "Badge evidence"
            ),
            ("2026-11-23", "PHD review: Acme", "PHD review"),
            (
                "2026-12-01",
                "Acme: Professional Services Partner (PSP) review this month",
                "Badge review"
            ),
            ("2026-12-04", "Send the SOW (Acme)", "Next step"),
            (
                "2027-01-31",
                "Acme: Ana Lima to certify in Solution Architect (SA) Core",
                "Certification target"
            ),
            (
                "2028-10-01",
                "Acme: Bo Berg's Professional Services Engineer (PSE) expires",
                "Certification expiry"
            ),
        ]
    );

    // Exported again after the step is done: the same UIDs, one event fewer, so a calendar
    // app that imports the newer file updates rather than duplicates.
    let json = desk.json(&["next-step", "list", "--partner", "Acme"]);
    let step = json[0]["step"]["id"]
        .as_str()
        .or(json[0]["id"].as_str())
        .unwrap()
        .to_string();
    desk.ok(&["next-step", "done", &step]);
    desk.ok(&[
        "calendar",
        "--scope",
        "everyone",
        "--out",
        file.to_str().unwrap(),
    ]);
    let again = parsed(&file);
    assert_eq!(again.len(), 5);
    for e in &again {
        assert!(events.iter().any(|old| old.3 == e.3), "a stable UID: {e:?}");
    }
}
