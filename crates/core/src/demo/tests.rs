use std::collections::BTreeSet;

use super::*;
use crate::rules::{compliance_for_all, GapClosure, ReviewStatus};
use crate::store::{search::HitKind, NoteFilter, PartnerFilter};

fn today() -> NaiveDate {
    "2026-11-23".parse().unwrap()
}

fn demo(partners: usize, notes: usize, seed: u64) -> (Store, DemoSummary) {
    let mut store = Store::open_in_memory().unwrap();
    let summary = generate(&mut store, DemoSize { partners, notes }, seed, today()).unwrap();
    (store, summary)
}

/// Every co-selling and enablement record of the store, as JSON, in a stable order.
fn snapshot(store: &Store) -> serde_json::Value {
    let r = store.read();
    let partners = r.partners(&PartnerFilter::default()).unwrap();
    let mut people = Vec::new();
    let mut items = Vec::new();
    let mut plans = Vec::new();
    let mut steps = Vec::new();
    for p in &partners {
        people.extend(r.people(&p.id).unwrap());
        items.extend(r.enablement_items(&p.id).unwrap());
        plans.extend(r.business_plans(&p.id).unwrap());
        steps.extend(r.next_steps_for_partner(&p.id).unwrap());
    }
    let notes = r
        .notes(&NoteFilter {
            limit: 1000,
            ..NoteFilter::default()
        })
        .unwrap();
    serde_json::json!({
        "partners": partners,
        "people": people,
        "items": items,
        "plans": plans,
        "accounts": r.accounts().unwrap(),
        "opportunities": r.opportunities(None).unwrap(),
        "notes": notes,
        "next_steps": steps,
    })
}

#[test]
fn the_same_seed_and_day_give_identical_records() {
    let (a, _) = demo(12, 300, 7);
    let (b, _) = demo(12, 300, 7);
    assert_eq!(
        snapshot(&a),
        snapshot(&b),
        "ids, timestamps and text all derive from the seed"
    );
    let (c, _) = demo(12, 300, 8);
    assert_ne!(
        snapshot(&a)["partners"],
        snapshot(&c)["partners"],
        "another seed, other data"
    );
}

#[test]
fn more_notes_leave_the_partners_as_they_were() {
    let (few, _) = demo(10, 50, 3);
    let (many, _) = demo(10, 400, 3);
    assert_eq!(snapshot(&few)["partners"], snapshot(&many)["partners"]);
    assert_eq!(snapshot(&few)["items"], snapshot(&many)["items"]);
}

#[test]
fn produces_the_requested_counts_and_an_honest_outbox() {
    let (store, s) = demo(30, 500, 1);
    assert_eq!((s.partners, s.notes), (30, 500));
    let r = store.read();
    assert_eq!(r.partner_count().unwrap(), 30);
    assert_eq!(r.note_count().unwrap(), 500);
    assert!(
        (30 * 3..=30 * 8).contains(&s.people),
        "3 to 8 people per partner: {s:?}"
    );
    assert!(s.plans >= 20, "most partners have a plan: {s:?}");
    assert!(
        s.accounts >= 30 && s.opportunities > 0 && s.next_steps > 0,
        "{s:?}"
    );
    let written = s.partners
        + s.people
        + s.enablement_items
        + s.plans
        + s.accounts
        + s.opportunities
        + s.notes
        + s.next_steps
        + s.exchange_rates;
    assert_eq!(
        s.exchange_rates, 4,
        "the demo's four currencies get a rate: {s:?}"
    );
    assert_eq!(
        r.outbox_len().unwrap(),
        written as i64,
        "every demo record went through Writer::put and so into the outbox"
    );
}

#[test]
fn every_generated_record_validates() {
    let (store, _) = demo(25, 400, 11);
    let snap = snapshot(&store);
    fn check<E: Entity>(value: &serde_json::Value) {
        for v in value.as_array().unwrap() {
            let e: E = serde_json::from_value(v.clone()).unwrap();
            e.validate()
                .unwrap_or_else(|err| panic!("{} {}: {err}", E::KIND, e.id()));
        }
    }
    check::<Partner>(&snap["partners"]);
    check::<Person>(&snap["people"]);
    check::<EnablementItem>(&snap["items"]);
    check::<BusinessPlan>(&snap["plans"]);
    check::<Account>(&snap["accounts"]);
    check::<Opportunity>(&snap["opportunities"]);
    check::<CallNote>(&snap["notes"]);
    check::<NextStep>(&snap["next_steps"]);
}

#[test]
fn a_small_demo_shows_every_type_region_and_track() {
    let (store, _) = demo(PartnerType::ALL.len(), 0, 5);
    let partners = store.read().partners(&PartnerFilter::default()).unwrap();
    let types: BTreeSet<_> = partners
        .iter()
        .flat_map(|p| p.partner_types.clone())
        .collect();
    let regions: BTreeSet<_> = partners.iter().map(|p| p.region).collect();
    let tracks: BTreeSet<_> = partners.iter().map(|p| p.track).collect();
    assert_eq!(types.len(), PartnerType::ALL.len(), "{types:?}");
    assert_eq!(regions.len(), Region::ALL.len(), "{regions:?}");
    assert_eq!(tracks.len(), Track::ALL.len(), "{tracks:?}");
    let owners: BTreeSet<_> = partners.iter().map(|p| p.owner.as_str()).collect();
    assert!(owners.len() >= 4, "several CAMs own partners: {owners:?}");
}

#[test]
fn compliance_shows_met_closing_and_unclosed_gaps() {
    let (store, _) = demo(80, 0, 2);
    let all = compliance_for_all(store.read(), &PartnerFilter::default(), today()).unwrap();
    let closures: Vec<GapClosure> = all.iter().map(|c| c.track.closure).collect();
    let met = closures.iter().filter(|c| **c == GapClosure::Met).count();
    let planned = closures
        .iter()
        .filter(|c| matches!(c, GapClosure::Planned { .. }))
        .count();
    let overdue = closures
        .iter()
        .filter(|c| matches!(c, GapClosure::Planned { overdue: true, .. }))
        .count();
    let not_closed = closures
        .iter()
        .filter(|c| matches!(c, GapClosure::NotClosed { .. }))
        .count();
    assert!(met >= 20, "many partners are compliant: {met}");
    assert!(planned >= 8, "some plans close a gap on a date: {planned}");
    assert!(overdue >= 1, "some of those dates have passed: {overdue}");
    assert!(
        not_closed >= 8,
        "some plans do not close the gap: {not_closed}"
    );

    let held: Vec<_> = all
        .iter()
        .flat_map(|c| &c.badges)
        .filter(|b| b.held)
        .collect();
    assert!(held.len() >= 5, "some partners hold PSP: {}", held.len());
    assert!(
        held.iter().any(|b| matches!(
            b.review.map(|r| r.status),
            Some(ReviewStatus::InGrace { .. } | ReviewStatus::Lapsed { .. })
        )),
        "some failed their review and are not compliant again yet"
    );
}

#[test]
fn notes_and_next_steps_look_like_real_co_selling() {
    let (store, _) = demo(20, 600, 4);
    let snap = snapshot(&store);
    let notes: Vec<CallNote> = serde_json::from_value(snap["notes"].clone()).unwrap();
    let via = notes.iter().filter(|n| n.via_partner).count();
    assert!(
        (60..=180).contains(&via),
        "about a fifth via the partner: {via}"
    );
    assert!(
        notes
            .iter()
            .all(|n| !crate::rules::note_lacks_via_partner_mark(n)),
        "(ii) titles"
    );
    let titles: BTreeSet<_> = notes.iter().map(|n| n.title.as_str()).collect();
    assert!(titles.len() > 100, "varied titles: {}", titles.len());

    let steps: Vec<NextStep> = serde_json::from_value(snap["next_steps"].clone()).unwrap();
    let overdue = steps.iter().filter(|s| s.is_overdue(today())).count();
    let upcoming = steps
        .iter()
        .filter(|s| s.status == NextStepStatus::Open && s.due_on >= today())
        .count();
    assert!(
        overdue > 0 && upcoming > 0,
        "overdue {overdue}, upcoming {upcoming}"
    );

    let opps: Vec<Opportunity> = serde_json::from_value(snap["opportunities"].clone()).unwrap();
    let segments: BTreeSet<_> = opps.iter().map(|o| o.segment).collect();
    assert_eq!(segments.len(), 2, "SMB and Mid-Market");
    let smb_over = opps
        .iter()
        .filter(|o| o.segment == Segment::Smb && o.amount > Money::from_dollars(5_000));
    let smb_under = opps
        .iter()
        .filter(|o| o.segment == Segment::Smb && o.amount <= Money::from_dollars(5_000));
    assert!(
        smb_over.count() > 0 && smb_under.count() > 0,
        "amounts on both sides of $5k"
    );
}

/// Whether a note matches a search as `search` reads it: every word present, the last one
/// as a prefix (still being typed).
fn note_matches(note: &CallNote, query: &str) -> bool {
    let words: Vec<String> = format!("{} {}", note.title, note.body)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let terms: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
    terms.iter().enumerate().all(|(i, t)| {
        let prefix = i == terms.len() - 1;
        words
            .iter()
            .any(|w| w == t || (prefix && w.starts_with(t.as_str())))
    })
}

#[test]
fn sample_searches_hit_a_small_share_of_notes() {
    let notes = 4_000;
    let (store, _) = demo(40, notes, 42);
    let all = store
        .read()
        .notes(&NoteFilter {
            limit: 1000,
            ..NoteFilter::default()
        })
        .unwrap();
    let mut sample: Vec<CallNote> = all;
    // Pages of 1,000: read them all.
    while sample.len() < notes {
        let last = sample.last().unwrap();
        let cursor = crate::store::NoteCursor {
            occurred_at: last.occurred_at.to_text(),
            id: last.id.clone(),
        };
        let page = store
            .read()
            .notes(&NoteFilter {
                before: Some(cursor),
                limit: 1000,
                ..NoteFilter::default()
            })
            .unwrap();
        assert!(!page.is_empty(), "paging ended early at {}", sample.len());
        sample.extend(page);
    }
    for q in SAMPLE_SEARCHES {
        let hits = sample.iter().filter(|n| note_matches(n, q)).count();
        let share = hits as f64 / notes as f64;
        assert!(
            (0.001..=0.05).contains(&share),
            "{q:?} matches {hits} of {notes} notes; a realistic search matches 0.1-5%"
        );
        let found = store.read().search(q, 20).unwrap();
        assert!(
            found.iter().any(|h| h.kind == HitKind::Note),
            "{q:?} finds notes through full-text search too"
        );
    }
}

#[test]
#[ignore = "prints how often candidate search words occur; run by hand when editing words.rs"]
fn print_word_shares() {
    let (store, _) = demo(40, 1000, 42);
    let notes = store
        .read()
        .notes(&NoteFilter {
            limit: 1000,
            ..NoteFilter::default()
        })
        .unwrap();
    let candidates = std::env::var("DEMO_WORDS").unwrap_or_default();
    for q in candidates.split(',').chain(SAMPLE_SEARCHES.iter().copied()) {
        let hits = notes.iter().filter(|n| note_matches(n, q)).count();
        println!("{q:>24} {:>5.2}%", hits as f64 * 100.0 / notes.len() as f64);
    }
}

#[test]
fn notes_need_a_partner() {
    let mut store = Store::open_in_memory().unwrap();
    let err = generate(
        &mut store,
        DemoSize {
            partners: 0,
            notes: 5,
        },
        1,
        today(),
    )
    .unwrap_err();
    assert_eq!(err.code(), "invalid");
    let empty = generate(
        &mut store,
        DemoSize {
            partners: 0,
            notes: 0,
        },
        1,
        today(),
    )
    .unwrap();
    assert_eq!(empty, DemoSummary::default());
}
