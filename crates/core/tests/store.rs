//! The local store as a whole: every write lands in the outbox, old databases upgrade with
//! nothing lost, search survives anything typed, limits refuse clearly and write nothing.

use std::path::Path;

use cdesk_core::domain::*;
use cdesk_core::store::{self, Entity, NoteFilter, PutOutcome, Store};
use cdesk_core::CoreError;
use chrono::NaiveDate;
use serde_json::Value;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn partner(name: &str) -> Partner {
    Partner::new(name, Track::Open, Region::Emea, "cam@vendor.example")
}

fn note_for(p: &Partner, title: &str, body: &str) -> CallNote {
    let mut n = CallNote::new(title, body, "ae@vendor.example");
    n.partner_id = Some(p.id.clone());
    n
}

/// The outbox entries added by `f`.
fn outbox_added(
    store: &mut Store,
    f: impl FnOnce(&mut Store) -> cdesk_core::Result<()>,
) -> Vec<store::OutboxEntry> {
    let before = store.read().outbox(0, usize::MAX >> 1).unwrap();
    let last = before.last().map_or(0, |e| e.mutation_id);
    f(store).unwrap();
    store.read().outbox(last, 10_000).unwrap()
}

/// Asserts the outbox story of one entity kind: insert, edit, no-op, delete.
fn check_outbox_for<E: Entity + Clone>(
    store: &mut Store,
    record: E,
    edit: impl FnOnce(&mut E) -> &'static str,
) {
    let id = record.id().to_string();
    let fields: std::collections::BTreeSet<String> = serde_json::to_value(&record)
        .unwrap()
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    let columns: std::collections::BTreeSet<String> =
        E::COLUMNS.iter().map(|(c, _)| c.to_string()).collect();
    assert_eq!(
        fields,
        columns,
        "{}: every field has a column and no more",
        E::KIND
    );
    let inserted = outbox_added(store, |s| s.write(|w| w.put(&record).map(|_| ())));
    assert_eq!(
        inserted.len(),
        1,
        "{}: an insert appends one entry",
        E::KIND
    );
    assert_eq!(inserted[0].entity, E::KIND);
    assert_eq!(inserted[0].entity_id, id);
    assert_eq!(inserted[0].op, "upsert");
    let patch = inserted[0].patch.as_object().unwrap();
    for (col, _) in E::COLUMNS.iter().filter(|(c, _)| *c != "id") {
        assert!(
            patch.contains_key(*col),
            "{}: insert patch carries {col}",
            E::KIND
        );
    }

    let mut changed = record.clone();
    let field = edit(&mut changed);
    let edited = outbox_added(store, |s| s.write(|w| w.put(&changed).map(|_| ())));
    assert_eq!(edited.len(), 1, "{}: an edit appends one entry", E::KIND);
    let patch = edited[0].patch.as_object().unwrap();
    let mut keys: Vec<&str> = patch.keys().map(String::as_str).collect();
    keys.retain(|k| *k != "updated_at");
    assert_eq!(
        keys,
        vec![field],
        "{}: an edit sends only the changed field",
        E::KIND
    );

    let unchanged = outbox_added(store, |s| {
        s.write(|w| {
            assert_eq!(w.put(&changed)?, PutOutcome::Unchanged);
            Ok(())
        })
    });
    assert!(
        unchanged.is_empty(),
        "{}: saving the same record appends nothing",
        E::KIND
    );

    let deleted = outbox_added(store, |s| s.write(|w| w.delete::<E>(&id)));
    assert_eq!(deleted.len(), 1, "{}: a delete appends one entry", E::KIND);
    assert_eq!(deleted[0].op, "delete");
    // Put it back so records that refer to it can be written next.
    store.write(|w| w.put(&changed).map(|_| ())).unwrap();
}

#[test]
fn every_entity_kind_writes_through_the_outbox() {
    let mut store = Store::open_in_memory().unwrap();
    let p = partner("Acme");
    check_outbox_for(&mut store, p.clone(), |p| {
        p.account_notes = "Prefers email".into();
        "account_notes"
    });
    let person = Person::new(&p.id, "Ana Lima", "ana@acme.example", "SA");
    check_outbox_for(&mut store, person.clone(), |x| {
        x.role = "Lead SA".into();
        "role"
    });
    let item = EnablementItem::plan_certification(&p.id, &person.id, "pse", Some(d("2027-01-31")));
    check_outbox_for(&mut store, item, |x| {
        x.status = EnablementStatus::InProgress;
        "status"
    });
    let now = cdesk_core::time::Timestamp::now();
    let licence = NfrRequest {
        id: "nfr-1".into(),
        partner_id: p.id.clone(),
        requested_by: "cam@vendor.example".into(),
        requested_on: d("2026-11-20"),
        contact_name: "Ana".into(),
        contact_email: "ana@acme.example".into(),
        purpose: String::new(),
        seats: 5,
        status: NfrStatus::Requested,
        status_on: None,
        refusal_reason: None,
        created_at: now,
        updated_at: now,
    };
    check_outbox_for(&mut store, licence, |x| {
        x.seats = 6;
        "seats"
    });
    check_outbox_for(&mut store, BusinessPlan::draft(&p.id, 2027), |x| {
        x.goals = "Grow services".into();
        "goals"
    });
    let acct = Account::new("Initech", "ae@vendor.example");
    check_outbox_for(&mut store, acct.clone(), |x| {
        x.tier = Tier::Tier1;
        "tier"
    });
    let opp = Opportunity::new(&acct.id, "Initech Premium", Segment::Smb, d("2027-01-31"));
    check_outbox_for(&mut store, opp.clone(), |x| {
        x.amount = Money::from_dollars(6_000);
        "amount"
    });
    let note = note_for(&p, "Discovery", "Talked about migration");
    check_outbox_for(&mut store, note.clone(), |x| {
        x.body = "Talked about migration and pricing".into();
        "body"
    });
    let mut step = NextStep::new("Send SOW", "partner", d("2026-12-01"));
    step.note_id = Some(note.id.clone());
    check_outbox_for(&mut store, step, |x| {
        x.agreed_with_partner = true;
        "agreed_with_partner"
    });
    let cert = Certification {
        id: "devsecops".into(),
        name: "DevSecOps Specialist".into(),
        validity_months: None,
        sort_order: 9,
    };
    check_outbox_for(&mut store, cert, |x| {
        x.validity_months = Some(24);
        "validity_months"
    });
    check_outbox_for(
        &mut store,
        TrackRequirement {
            id: "distribution-sales-core".into(),
            track: Track::Distribution,
            certification_id: "sales-core".into(),
            count: 1,
        },
        |x| {
            x.count = 2;
            "count"
        },
    );
    check_outbox_for(
        &mut store,
        Badge {
            id: "msp".into(),
            name: "Managed Services Partner".into(),
            requires_track_compliance: true,
            review_every_months: 12,
            evidence_lead_months: 1,
            grace_months: 3,
        },
        |x| {
            x.requires_track_compliance = false;
            "requires_track_compliance"
        },
    );
    check_outbox_for(
        &mut store,
        BadgeRequirement {
            id: "msp-pse".into(),
            badge_id: "msp".into(),
            certification_id: "pse".into(),
            count: 2,
        },
        |x| {
            x.count = 4;
            "count"
        },
    );
    check_outbox_for(
        &mut store,
        R7Threshold {
            id: "smb-deck-iacv".into(),
            segment: Segment::Smb,
            requirement: R7Requirement::PitchDeck,
            metric: R7Metric::Iacv,
            threshold: Money::from_dollars(1),
        },
        |x| {
            x.threshold = Money::from_dollars(2);
            "threshold"
        },
    );
    check_outbox_for(
        &mut store,
        ExchangeRate {
            id: "rate-eur".into(),
            currency: Currency("EUR".into()),
            usd_per_unit: Rate::parse("rate", "1.08").unwrap(),
            as_of: chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
        },
        |x| {
            x.usd_per_unit = Rate::parse("rate", "1.09").unwrap();
            "usd_per_unit"
        },
    );
    // The seeded table has an amount rule for (smb, pitch_deck); an IACV rule may sit beside it.
    check_outbox_for(
        &mut store,
        JourneyCapability {
            id: "str-awards".into(),
            stage: JourneyStage::Strategic,
            area: "Strategic".into(),
            label: "Wins partner awards".into(),
            sort_order: 99,
        },
        |x| {
            x.label = "Wins partner of the year".into();
            "label"
        },
    );
    check_outbox_for(
        &mut store,
        CurriculumModule {
            id: "mod-new".into(),
            level: "advanced".into(),
            section: "Integrations".into(),
            title: "Slack".into(),
            kind: "Material".into(),
            minutes: Some(5),
            points: None,
            sort_order: 99,
        },
        |x| {
            x.minutes = Some(7);
            "minutes"
        },
    );
    assert_eq!(
        store::tables::KINDS.len(),
        17,
        "a new kind needs a check_outbox_for line above"
    );
}

#[test]
fn a_failed_transaction_writes_nothing_at_all() {
    let mut store = Store::open_in_memory().unwrap();
    let p = partner("Acme");
    let result = store.write(|w| {
        w.put(&p)?;
        w.put(&partner("")) // invalid: empty name
    });
    assert_eq!(result.unwrap_err().code(), "invalid");
    assert_eq!(
        store.read().partner_count().unwrap(),
        0,
        "the first put rolled back too"
    );
    assert_eq!(
        store.read().outbox_len().unwrap(),
        0,
        "and so did its outbox entry"
    );
}

#[test]
fn soft_limits_refuse_clearly_and_keep_what_was_saved() {
    let mut store = Store::open_in_memory().unwrap();
    let p = partner("Acme");
    let saved = note_for(&p, "Kickoff", "first");
    store
        .write(|w| {
            w.put(&p)?;
            w.put(&saved)
        })
        .unwrap();
    let outbox = store.read().outbox_len().unwrap();

    let huge = note_for(&p, "Paste", &"x".repeat(10 * 1024 * 1024 + 1));
    let err = store.write(|w| w.put(&huge)).unwrap_err().to_string();
    assert!(err.starts_with("body:") && err.contains("10 MB"), "{err}");

    let mut edited = saved.clone();
    edited.title = "   ".into();
    let err = store.write(|w| w.put(&edited)).unwrap_err().to_string();
    assert_eq!(err, "title: must not be empty");

    assert_eq!(
        store.read().note(&saved.id).unwrap().title,
        "Kickoff",
        "saved note intact"
    );
    assert_eq!(
        store.read().outbox_len().unwrap(),
        outbox,
        "nothing appended"
    );

    let at_limit = note_for(&p, "Long paste", &"word ".repeat(2 * 1024 * 1024));
    store
        .write(|w| w.put(&at_limit))
        .expect("exactly 10 MB is allowed");
}

#[test]
fn invalid_dates_and_enum_values_name_the_field() {
    let err = cdesk_core::time::parse_date("due_on", "2026-02-30").unwrap_err();
    let err = CoreError::from(err);
    assert!(matches!(err, CoreError::Invalid { ref field, .. } if field == "due_on"));
    let err = Segment::parse("segment", "Enterprise")
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        "segment: \"Enterprise\" is not one of: smb, mid_market"
    );
}

#[test]
fn a_second_plan_for_the_same_fiscal_year_is_a_duplicate() {
    let mut store = Store::open_in_memory().unwrap();
    let p = partner("Acme");
    store.write(|w| w.put(&p)).unwrap();
    store
        .write(|w| w.put(&BusinessPlan::draft(&p.id, 2027)))
        .unwrap();
    let err = store
        .write(|w| w.put(&BusinessPlan::draft(&p.id, 2027)))
        .unwrap_err();
    assert_eq!(err.code(), "duplicate", "{err}");
    assert!(err.to_string().contains("fiscal_year"), "{err}");
}

#[test]
fn a_reference_to_a_missing_record_is_refused() {
    let mut store = Store::open_in_memory().unwrap();
    let person = Person::new("no-such-partner", "Ana", "", "");
    let err = store.write(|w| w.put(&person)).unwrap_err();
    assert_eq!(err.code(), "invalid");
    assert!(err.to_string().contains("does not exist"), "{err}");
}

fn seed_search(store: &mut Store) -> Partner {
    let p = partner("Globex Consulting");
    let a = note_for(
        &p,
        "Pitch deck review (ii)",
        "They want a migration assessment.",
    );
    let b = note_for(
        &p,
        "Pricing call",
        "The pitch deck needs a migration slide.",
    );
    let c = note_for(
        &p,
        "Quarterly sync",
        "Nothing about decks here; talked about GitOps.",
    );
    store
        .write(|w| {
            w.put(&p)?;
            w.put(&a)?;
            w.put(&b)?;
            w.put(&c)?;
            let mut plan = BusinessPlan::draft(&p.id, 2027);
            plan.goals = "Build a migration practice".into();
            w.put(&plan)?;
            let mut step = NextStep::new("Draft migration SOW", "partner", d("2026-12-01"));
            step.partner_id = Some(p.id.clone());
            w.put(&step)
        })
        .unwrap();
    p
}

#[test]
fn search_finds_notes_plans_partners_and_next_steps_with_highlights() {
    let mut store = Store::open_in_memory().unwrap();
    seed_search(&mut store);
    let hits = store.read().search("migration", 20).unwrap();
    let kinds: Vec<_> = hits.iter().map(|h| format!("{:?}", h.kind)).collect();
    for kind in ["Note", "Plan", "NextStep"] {
        assert!(kinds.iter().any(|k| k == kind), "{kind} among {kinds:?}");
    }
    let note = hits.iter().find(|h| h.title == "Pricing call").unwrap();
    assert!(
        note.snippet
            .iter()
            .any(|f| f.hit && f.text.eq_ignore_ascii_case("migration")),
        "the matched word is a highlighted fragment: {:?}",
        note.snippet
    );
    let partners = store.read().search("globex", 20).unwrap();
    assert_eq!(partners[0].title, "Globex Consulting");
}

#[test]
fn a_title_match_ranks_above_a_body_match() {
    let mut store = Store::open_in_memory().unwrap();
    seed_search(&mut store);
    let hits = store.read().search("pitch deck", 20).unwrap();
    assert_eq!(hits[0].title, "Pitch deck review (ii)", "{hits:#?}");
    assert!(hits.iter().any(|h| h.title == "Pricing call"));
}

#[test]
fn prefixes_phrases_and_exclusions() {
    let mut store = Store::open_in_memory().unwrap();
    seed_search(&mut store);
    let r = store.read();
    assert!(
        !r.search("migr", 20).unwrap().is_empty(),
        "prefix while typing"
    );
    let phrase = r.search("\"pitch deck needs\"", 20).unwrap();
    assert_eq!(phrase.len(), 1);
    assert_eq!(phrase[0].title, "Pricing call");
    let excluded = r.search("pitch -pricing", 20).unwrap();
    assert!(
        excluded.iter().all(|h| h.title != "Pricing call"),
        "{excluded:#?}"
    );
    assert!(!excluded.is_empty());
}

#[test]
fn anything_typed_in_the_search_box_is_safe() {
    let mut store = Store::open_in_memory().unwrap();
    seed_search(&mut store);
    let nasty = [
        "\"",
        "\"\"",
        "\"unbalanced",
        "AND",
        "OR",
        "NOT",
        "a AND",
        "AND b",
        "*",
        "**",
        "-",
        "--",
        "(",
        ")",
        "((migration",
        "migration)",
        "NEAR(a b)",
        "title:pitch",
        "pitch:",
        "^pitch",
        "+",
        "'; DROP TABLE call_notes; --",
        "\\",
        "%",
        "_",
        "\u{0}",
        "😀 deck",
        "mïgratión",
        "{}",
        "[",
        "a OR OR b",
        "-migration",
        "\"pitch\" \"",
        "col:\"x",
    ];
    for q in nasty {
        let result = store.read().search(q, 20);
        assert!(result.is_ok(), "{q:?} must not error: {result:?}");
    }
    assert!(!store.read().search("((migration", 20).unwrap().is_empty());
    assert!(
        !store.read().search("mïgratión", 20).unwrap().is_empty(),
        "diacritics folded"
    );
    assert_eq!(store.read().note_count().unwrap(), 3, "nothing dropped");
}

#[test]
fn search_follows_edits_and_deletes() {
    let mut store = Store::open_in_memory().unwrap();
    let p = seed_search(&mut store);
    let mut n = note_for(&p, "Renewal", "kubernetes discussion");
    store.write(|w| w.put(&n)).unwrap();
    assert_eq!(store.read().search("kubernetes", 10).unwrap().len(), 1);
    n.body = "helm charts".into();
    store.write(|w| w.put(&n)).unwrap();
    assert!(
        store.read().search("kubernetes", 10).unwrap().is_empty(),
        "old words gone"
    );
    assert_eq!(store.read().search("helm", 10).unwrap().len(), 1);
    store.write(|w| w.delete::<CallNote>(&n.id)).unwrap();
    assert!(store.read().search("helm", 10).unwrap().is_empty());
}

#[test]
fn search_stays_right_after_vacuum() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("desk.db");
    let mut store = Store::open(&path).unwrap();
    let p = partner("Acme");
    let notes: Vec<CallNote> = (0..50)
        .map(|i| note_for(&p, &format!("Call {i}"), &format!("topic{i} details")))
        .collect();
    store
        .write(|w| {
            w.put(&p)?;
            notes.iter().try_for_each(|n| w.put(n).map(|_| ()))
        })
        .unwrap();
    store
        .write(|w| {
            notes[..25]
                .iter()
                .try_for_each(|n| w.delete::<CallNote>(&n.id))
        })
        .unwrap();
    drop(store);
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute_batch("VACUUM")
        .unwrap();
    let store = Store::open(&path).unwrap();
    let hits = store.read().search("topic40", 10).unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(
        hits[0].title, "Call 40",
        "FTS rows still point at the right notes"
    );
}

#[test]
fn notes_page_newest_first_without_gaps_or_repeats() {
    let mut store = Store::open_in_memory().unwrap();
    let p = partner("Acme");
    store.write(|w| w.put(&p)).unwrap();
    store
        .write(|w| {
            (0..57).try_for_each(|i| {
                let mut n = note_for(&p, &format!("Note {i:02}"), "");
                n.occurred_at = cdesk_core::time::Timestamp::parse(
                    "occurred_at",
                    &format!("2026-11-{:02}T10:00:00.000Z", 1 + i % 20),
                )
                .unwrap();
                w.put(&n).map(|_| ())
            })
        })
        .unwrap();
    let mut seen = Vec::new();
    let mut filter = NoteFilter {
        partner_id: Some(p.id.clone()),
        limit: 10,
        ..Default::default()
    };
    loop {
        let page = store.read().notes(&filter).unwrap();
        if page.is_empty() {
            break;
        }
        let last = page.last().unwrap();
        filter.before = Some(cdesk_core::store::NoteCursor {
            occurred_at: last.occurred_at.to_text(),
            id: last.id.clone(),
        });
        seen.extend(page);
    }
    assert_eq!(seen.len(), 57, "every note exactly once");
    let mut ids: Vec<_> = seen.iter().map(|n| n.id.clone()).collect();
    ids.dedup();
    assert_eq!(ids.len(), 57);
    assert!(
        seen.windows(2)
            .all(|w| w[0].occurred_at >= w[1].occurred_at),
        "newest first"
    );
}

/// Writes rows the way the release with schema 2 (before search existed) did.
fn legacy_database(path: &Path) {
    store::create_database_at_schema_version(path, 2).unwrap();
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.execute_batch(
        r#"
        INSERT INTO partners (id, name, partner_types, track, region, owner, journey_stage,
            capabilities, badges, account_notes, last_phd_review, created_at, updated_at)
        VALUES ('p1', 'Legacy Partner', '["var_vad"]', 'select', 'apac', 'cam@vendor.example',
            'established', '["onb-portal"]',
            '[{"badge_id":"psp","granted_on":"2024-05-02"}]', 'Old notes', '2026-01-15',
            '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z');
        INSERT INTO people (id, partner_id, name, email, role, created_at, updated_at)
        VALUES ('x1', 'p1', 'Old Person', 'old@legacy.example', 'SA',
            '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z');
        INSERT INTO enablement_items (id, partner_id, person_id, certification_id, module_id,
            target_date, status, completed_on, expires_on, created_at, updated_at)
        VALUES ('e1', 'p1', 'x1', 'pse', NULL, NULL, 'certified', '2025-02-01', NULL,
            '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z');
        INSERT INTO call_notes (id, title, body, via_partner, partner_id, account_id,
            opportunity_id, author, occurred_at, created_at, updated_at)
        VALUES ('n1', 'Legacy kickoff (ii)', 'zeppelin roadmap', 1, 'p1', NULL, NULL, 'ae',
            '2025-03-01T09:00:00.000Z', '2025-03-01T09:00:00.000Z', '2025-03-01T09:00:00.000Z');
        INSERT INTO next_steps (id, description, owner, due_on, agreed_with_partner, status,
            note_id, partner_id, opportunity_id, done_at, created_at, updated_at)
        VALUES ('s1', 'Send zeppelin deck', 'partner', '2025-03-15', 1, 'open', 'n1', 'p1',
            NULL, NULL, '2025-03-01T09:00:00.000Z', '2025-03-01T09:00:00.000Z');
        INSERT INTO business_plans (id, partner_id, fiscal_year, goals, growth_arr_target,
            new_customer_arr_target, services_practice, target_stage, marketing_plan,
            mdf_requests, joint_webinars, certification_plan, kpis, status, created_at, updated_at)
        VALUES ('b1', 'p1', 2026, 'Zeppelin goals', 5000000, 2500000, '["migration"]',
            'leading', 'Two webinars', '[]', 2, '[]', '{}', 'agreed',
            '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z');
        "#,
    )
    .unwrap();
}

#[test]
fn a_database_from_an_earlier_schema_opens_with_everything_there() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    legacy_database(&path);

    let store = Store::open(&path).unwrap();
    let r = store.read();
    let p = r.partner("p1").unwrap();
    assert_eq!(
        (p.name.as_str(), p.track),
        ("Legacy Partner", Track::Select)
    );
    assert_eq!(p.badges[0].granted_on, d("2024-05-02"));
    assert_eq!(p.last_phd_review, Some(d("2026-01-15")));
    assert_eq!(r.people("p1").unwrap()[0].email, "old@legacy.example");
    assert_eq!(
        r.enablement_items("p1").unwrap()[0].status,
        EnablementStatus::Certified
    );
    let plan = r.business_plan("p1", 2026).unwrap().unwrap();
    assert_eq!(plan.growth_arr_target, Money::from_dollars(50_000));
    assert_eq!(plan.kpis, TimeToValue::default());
    assert!(r.note("n1").unwrap().via_partner);
    assert_eq!(r.next_step("s1").unwrap().due_on, d("2025-03-15"));

    let hits = r.search("zeppelin", 10).unwrap();
    assert_eq!(
        hits.len(),
        3,
        "old note, plan and next step are indexed: {hits:#?}"
    );
}

#[test]
fn a_database_from_a_newer_release_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new.db");
    drop(Store::open(&path).unwrap());
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.pragma_update(None, "user_version", 99).unwrap();
    drop(conn);
    let err = Store::open(&path).err().expect("refused");
    assert_eq!(err.code(), "schema_too_new");
    assert!(err.to_string().contains("update the app"), "{err}");
    let conn = rusqlite::Connection::open(&path).unwrap();
    let v: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(v, 99, "left as it was");
}

#[test]
fn a_file_that_is_not_a_database_is_reported_as_damaged() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("garbage.db");
    std::fs::write(
        &path,
        b"this is a spreadsheet, not a database\n".repeat(200),
    )
    .unwrap();
    let err = Store::open(&path).err().expect("refused");
    assert_eq!(err.code(), "corrupt", "{err}");
    assert!(
        err.to_string().contains("garbage.db"),
        "names the file: {err}"
    );
}

#[test]
fn reopening_keeps_everything_and_does_not_migrate_again() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("desk.db");
    let mut store = Store::open(&path).unwrap();
    let p = partner("Acme");
    store.write(|w| w.put(&p)).unwrap();
    let before = store.read().snapshot().unwrap();
    drop(store);
    let store = Store::open(&path).unwrap();
    assert_eq!(store.read().snapshot().unwrap(), before);
    assert_eq!(store.read().outbox_len().unwrap(), 1);
}

mod replay {
    //! The outbox is complete: replaying it over the starting state rebuilds the database.
    use super::*;
    use proptest::prelude::*;

    #[derive(Debug, Clone)]
    enum Op {
        AddPartner(u8),
        EditPartner(u8, String),
        AddNote(u8, String),
        EditNote(u8, String),
        DeleteNote(u8),
        AddStep(u8, i64),
        CompleteStep(u8),
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            any::<u8>().prop_map(Op::AddPartner),
            (any::<u8>(), "[a-z ]{0,12}").prop_map(|(i, s)| Op::EditPartner(i, s)),
            (any::<u8>(), "[a-z]{1,8}").prop_map(|(i, s)| Op::AddNote(i, s)),
            (any::<u8>(), "[a-z ]{0,16}").prop_map(|(i, s)| Op::EditNote(i, s)),
            any::<u8>().prop_map(Op::DeleteNote),
            (any::<u8>(), -5i64..5).prop_map(|(i, days)| Op::AddStep(i, days)),
            any::<u8>().prop_map(Op::CompleteStep),
        ]
    }

    fn pick<T: Clone>(v: &[T], i: u8) -> Option<T> {
        (!v.is_empty()).then(|| v[i as usize % v.len()].clone())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(32))]
        #[test]
        fn replaying_the_outbox_rebuilds_the_database(ops in prop::collection::vec(op(), 1..40)) {
            let mut store = Store::open_in_memory().unwrap();
            let start = store.read().snapshot().unwrap();
            let (mut partners, mut notes, mut steps) = (Vec::<Partner>::new(), Vec::<CallNote>::new(), Vec::<NextStep>::new());
            for op in ops {
                let result = store.write(|w| {
                    match &op {
                        Op::AddPartner(i) => {
                            let p = partner(&format!("Partner {i} {}", partners.len()));
                            w.put(&p)?;
                            partners.push(p);
                        }
                        Op::EditPartner(i, text) => if let Some(mut p) = pick(&partners, *i) {
                            p.account_notes = text.clone();
                            w.put(&p)?;
                            let at = partners.iter().position(|x| x.id == p.id).unwrap();
                            partners[at] = p;
                        },
                        Op::AddNote(i, title) => if let Some(p) = pick(&partners, *i) {
                            let n = note_for(&p, title, "");
                            w.put(&n)?;
                            notes.push(n);
                        },
                        Op::EditNote(i, body) => if let Some(mut n) = pick(&notes, *i) {
                            n.body = body.clone();
                            w.put(&n)?;
                            let at = notes.iter().position(|x| x.id == n.id).unwrap();
                            notes[at] = n;
                        },
                        Op::DeleteNote(i) => if let Some(n) = pick(&notes, *i) {
                            if !steps.iter().any(|s| s.note_id.as_deref() == Some(&n.id)) {
                                w.delete::<CallNote>(&n.id)?;
                                notes.retain(|x| x.id != n.id);
                            }
                        },
                        Op::AddStep(i, days) => if let Some(n) = pick(&notes, *i) {
                            let mut s = NextStep::new("Follow up", "partner", d("2026-11-23") + chrono::Days::new(days.unsigned_abs()));
                            s.note_id = Some(n.id.clone());
                            w.put(&s)?;
                            steps.push(s);
                        },
                        Op::CompleteStep(i) => if let Some(mut s) = pick(&steps, *i) {
                            s.status = NextStepStatus::Done;
                            s.done_at = Some(cdesk_core::time::Timestamp::now());
                            w.put(&s)?;
                        },
                    }
                    Ok(())
                });
                prop_assert!(result.is_ok(), "{op:?}: {result:?}");
            }
            let mut replayed = start;
            for entry in store.read().outbox(0, 1_000_000).unwrap() {
                let key = (entry.entity.clone(), entry.entity_id.clone());
                if entry.op == "delete" {
                    replayed.remove(&key);
                } else {
                    let row = replayed.entry(key).or_insert_with(|| {
                        let mut m = serde_json::Map::new();
                        m.insert("id".into(), Value::String(entry.entity_id.clone()));
                        m
                    });
                    for (k, v) in entry.patch.as_object().unwrap() {
                        row.insert(k.clone(), v.clone());
                    }
                }
            }
            prop_assert_eq!(replayed, store.read().snapshot().unwrap());
        }
    }
}
